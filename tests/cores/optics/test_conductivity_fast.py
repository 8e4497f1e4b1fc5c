"""Fast Mattis-Bardeen paths: the grid (FFT) form against the quadrature path, BCS limits.

The reference for :func:`mattis_bardeen_grid` is :func:`mattis_bardeen_batch` with a
panel edge at every bin centre: the quadrature then integrates the same linearly
interpolated occupation exactly up to round-off (its Gauss nodes never straddle a kink),
so the differences below are the grid method's own errors.
"""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores import optics as cd
from photosc.foundation.distributions import fermi

DELTA = 1.3  # meV (Pb-like; not 1, so that a missing Delta factor shows)
STEP = 0.1  # meV, kinetic bin width


def kinetic_energy(step: float, top: float) -> np.ndarray:
    """Bin centres (i + 1/2) h of a kinetic grid up to ``top`` (meV)."""
    return (np.arange(round(top / step)) + 0.5) * step


def exact(omega, delta, energy, occupations):
    """Quadrature with a panel edge at every kink of the interpolated table."""
    h = energy[1] - energy[0]
    return cd.mattis_bardeen_batch(
        omega,
        delta,
        energy,
        occupations,
        energy_max=energy[-1] + 0.5 * h,
        n_quad=10,
        breakpoints=energy[:-1],
    )


def probe_grid(delta: float, step: float, top: float) -> np.ndarray:
    """Log-spaced probes from 10 steps up, plus points close to 2 Delta on both sides."""
    w = np.geomspace(10 * step, top, 40)
    near = 2 * delta + step * np.array([-7.5, -3.3, -0.5, 0.01, 0.7, 2.2, 5.5, 6.5, 12.0])
    return np.sort(np.concatenate([w, near]))


@pytest.mark.parametrize("kT", [0.1, 0.4, 1.0])
def test_grid_matches_quadrature_for_thermal_occupation(kT):
    e = kinetic_energy(STEP, 40.0)
    f = fermi(e, kT)[None]
    w = probe_grid(DELTA, STEP, 30.0)
    ref = exact(w, [DELTA], e, f)
    fast = cd.mattis_bardeen_grid(w, [DELTA], e, f)
    # measured max |difference|: 2e-8 (kT = 0.1), 2e-6 (0.4), 5e-5 (1.0, at the lowest
    # probe energy, 10 bins, where sigma_2 = 2.3: the edge singularities of the two
    # factors are then close); the production quadrature (n_quad = 256, no panels at
    # the kinks) differs from ``ref`` by 7e-9, 4e-7, 6e-6
    np.testing.assert_allclose(fast, ref, rtol=0, atol=1e-4)
    np.testing.assert_allclose(fast[:, w > 2.0], ref[:, w > 2.0], rtol=0, atol=2e-5)
    far = w > 4 * DELTA  # smooth region: closer still (measured 7e-7 at kT = 1.0)
    np.testing.assert_allclose(fast[:, far], ref[:, far], rtol=0, atol=2e-6)


def test_grid_matches_quadrature_for_pumped_step_distribution():
    """A stepped (pumped) f: the grid form needs no breakpoints, the quadrature does."""
    e = kinetic_energy(STEP, 40.0)
    f = fermi(e, 0.3) + np.where((e > DELTA) & (e < 15.0), 0.02, 0.0)
    f2 = fermi(e, 0.2) + np.where((e > DELTA) & (e < 25.0), 0.05 * np.exp(-e / 10), 0.0)
    occ = np.stack([f, f2])
    delta = np.array([DELTA, 0.9 * DELTA])
    w = np.sort(np.concatenate([probe_grid(DELTA, STEP, 35.0), [13.7, 13.75, 16.3]]))
    ref = exact(w, delta, e, occ)
    fast = cd.mattis_bardeen_grid(w, delta, e, occ)
    # sigma(w) has a (w - w_k)^(3/2) feature wherever a kink of the table at E_k crosses
    # the gap edge (w_k = E_k -+ Delta); at the sharp kinks of the step (15 meV) the
    # cubic interpolation between lattice frequencies errs by ~ slope jump * h^(3/2):
    # measured 1.6e-4 at w = 13.65 meV (2 % of the step's signal there), 5e-6 elsewhere
    np.testing.assert_allclose(fast, ref, rtol=0, atol=2.5e-4)
    step_images = np.abs(w[:, None] - (15.0 + np.array([-1, 1]) * delta[0])).min(1)
    away = step_images > 0.3
    np.testing.assert_allclose(fast[:, away], ref[:, away], rtol=0, atol=2e-5)
    # finer lattices shrink it like refine^(-3/2)
    w_k = np.linspace(13.5, 13.8, 13)
    ref_k = exact(w_k, delta, e, occ)
    err = [
        np.abs(cd.mattis_bardeen_grid(w_k, delta, e, occ, refine=q) - ref_k).max() for q in (1, 4)
    ]
    assert err[1] < 2e-5 < err[0]
    # the pump-induced change, what a pump-probe signal is made of, agrees as well
    base = cd.mattis_bardeen_grid(w, delta, e, np.stack([fermi(e, 0.3), fermi(e, 0.2)]))
    ref_base = exact(w, delta, e, np.stack([fermi(e, 0.3), fermi(e, 0.2)]))
    change = np.abs(ref - ref_base).max()
    assert change > 1e-2
    np.testing.assert_allclose(fast - base, ref - ref_base, rtol=0, atol=2.5e-4)
    # the quadrature path without panels at the step is far off: 2e-3
    coarse = cd.mattis_bardeen_batch(w, delta, e, occ, energy_max=e[-1] + 0.05)
    assert np.abs(coarse - ref).max() > 10 * np.abs(fast - ref).max()


def test_grid_zero_temperature_is_bcs():
    """n = 0: sigma_1 = 0 below 2 Delta, and the closed Mattis-Bardeen forms."""
    e = kinetic_energy(STEP, 20.0)
    w = probe_grid(DELTA, STEP, 200 * DELTA)
    s = cd.mattis_bardeen_grid(w, DELTA, e, np.zeros(e.size))
    assert np.all(s.real[w < 2 * DELTA] == 0.0)
    np.testing.assert_allclose(s, cd.mattis_bardeen_zero_temperature(w, DELTA), rtol=1e-12)


def test_grid_far_above_gap_tends_to_normal_state():
    e = kinetic_energy(STEP, 60.0)
    w = DELTA * np.array([20.0, 40.0])
    s = cd.mattis_bardeen_grid(w, DELTA, e, fermi(e, 0.4 * DELTA))
    dev = 1.0 - s.real
    x = w / DELTA
    # asymptote 1 - sigma_1/sigma_N ~ 2.3 (Delta/w)^2 ln(w/Delta) (see the quad tests)
    assert np.all(dev > 0) and np.all(dev < 3.0 * np.log(x) / x**2)
    assert dev[1] < dev[0]
    assert np.all(s.imag < 4 * DELTA / w)


def test_grid_batch_rows_and_zero_gap():
    e = kinetic_energy(STEP, 30.0)
    occ = np.stack([fermi(e, 0.3), fermi(e, 0.5), fermi(e, 0.2)])
    delta = np.array([DELTA, 0.0, 0.7 * DELTA])
    w = np.geomspace(1.0, 20.0, 17)
    both = cd.mattis_bardeen_grid(w, delta, e, occ)
    assert both.shape == (3, w.size)
    np.testing.assert_array_equal(both[1], np.ones(w.size))  # Delta = 0: normal state
    for k in (0, 2):
        one = cd.mattis_bardeen_grid(w, delta[k], e, occ[k])  # scalar gap: (n_w,)
        assert one.shape == (w.size,)
        np.testing.assert_allclose(one, both[k], rtol=1e-13, atol=1e-15)


def test_grid_refine_converges_to_the_same_values():
    """Sub-cells change the lattice, not the integrals: results agree to the method error."""
    e = kinetic_energy(0.5, 60.0)
    f = fermi(e, 1.0)
    w = np.array([6.0, 9.5, 15.0, 31.0])
    ref = exact(w, [3.5], e, f[None])[0]
    for q in (1, 2, 3):
        s = cd.mattis_bardeen_grid(w, 3.5, e, f, refine=q)
        np.testing.assert_allclose(s, ref, rtol=0, atol=2e-5)


def test_grid_default_refine_resolves_small_probe_energies():
    """Probes of a few bins (coarse kinetic grid): the default refine keeps >= 10 sub-steps."""
    e = kinetic_energy(2.0, 200.0)
    f = fermi(e, 2.6)
    w = np.array([2.0, 5.0, 20.0])  # 1 bin and more
    ref = exact(w, [3.5], e, f[None])[0]
    s = cd.mattis_bardeen_grid(w, 3.5, e, f)
    np.testing.assert_allclose(s, ref, rtol=1e-4)
    with pytest.raises(ValueError, match="refine"):
        cd.mattis_bardeen_grid(w, 3.5, e, f, refine=1)


def test_grid_bad_inputs_raise():
    e = kinetic_energy(STEP, 10.0)
    f = fermi(e, 0.3)
    with pytest.raises(ValueError, match="bin centres"):
        cd.mattis_bardeen_grid([2.0], DELTA, e + 0.01, f)
    with pytest.raises(ValueError, match="bin centres"):
        cd.mattis_bardeen_grid([2.0], DELTA, np.geomspace(0.05, 10.0, e.size), f)
    with pytest.raises(ValueError, match="occupations"):
        cd.mattis_bardeen_grid([2.0], [DELTA, DELTA], e, f[None])
    with pytest.raises(ValueError, match="occupations"):
        cd.mattis_bardeen_grid([2.0], DELTA, e, 3.0 * f)
    with pytest.raises(ValueError, match="delta"):
        cd.mattis_bardeen_grid([2.0], -1.0, e, f)
    with pytest.raises(ValueError, match="omega"):
        cd.mattis_bardeen_grid([0.0], DELTA, e, f)
    with pytest.raises(ValueError, match="refine"):
        cd.mattis_bardeen_grid([2.0], DELTA, e, f, refine=0)


def test_compiled_batch_equals_numpy_quadrature():
    """The compiled mattis_bardeen_batch uses the nodes of the NumPy integrals exactly."""
    e = kinetic_energy(STEP, 40.0)
    f = fermi(e, 0.3) + np.where((e > DELTA) & (e < 15.0), 0.02, 0.0)
    w = np.array([0.05, 1.0, 2.55, 2.65, 7.0, 20.0])
    occ = cd.tabulated_occupation(e, f)
    kw = {"energy_max": 39.0, "n_quad": 48, "breakpoints": (15.0, 30.0)}
    single = cd.mattis_bardeen(w, DELTA, occ, **kw)
    batch = cd.mattis_bardeen_batch(w, [DELTA], e, f[None], **kw)[0]
    np.testing.assert_allclose(batch, single, rtol=1e-13, atol=1e-14)
