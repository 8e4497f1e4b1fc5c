"""The fused collision path (issue 16) against the plain NumPy path and the double loop.

``CollisionOperator(fused=True)`` (the default) batches the FFTs, caches the spectra of
the coherence and of unchanged channel arrays and assembles the rates in compiled loops;
``fused=False`` is the previous NumPy path. Both must give the same rates to round-off
(<= 1e-12 of each array's largest entry) for every channel mix the solvers build, and the
caches must never return stale spectra.
"""

from __future__ import annotations

import numpy as np
import pytest
from kinetics_helpers import phonons, photons
from kinetics_helpers import small_grid as _small_grid

from photosc.cores.kinetics import (
    CollisionOperator,
    bath_channel,
    bcs_coherence,
    coherence_from_gap_function,
    collisions_direct,
    normal_coherence,
)
from photosc.cores.kinetics.collisions import Channel
from photosc.cores.kinetics.pump import Drive

TOL = 1e-12


@pytest.fixture
def grid():
    return _small_grid()


@pytest.fixture
def rng():
    return np.random.default_rng(4321)


def _state(grid, rng):
    f = rng.uniform(0.0, 0.6, grid.n_qp)
    n = rng.uniform(0.0, 3.0, grid.n_boson)
    n[0] = 0.0
    return f, n


def _close(a, b, tol=TOL):
    """max |a - b| <= tol max |b| for every rate array (None where b is None)."""
    pairs = [(a.gain, b.gain), (a.loss, b.loss)]
    assert len(a.boson_gain) == len(b.boson_gain)
    for x, y, u, v in zip(a.boson_gain, b.boson_gain, a.boson_loss, b.boson_loss):
        if y is None:
            assert x is None and u is None and v is None
        else:
            pairs += [(x, y), (u, v)]
    for x, y in pairs:
        assert x.shape == y.shape
        assert np.max(np.abs(x - y)) <= tol * np.max(np.abs(y))


def _coherences(grid):
    e = np.linspace(0.01, 15.0, 3000)
    dlt = (1.2 + 0.1 * e / 15) + 1j * (0.02 + 0.01 * e)
    return {
        "normal": normal_coherence(grid),
        "bcs": bcs_coherence(grid, 0.9),
        "eliashberg": coherence_from_gap_function(grid, e, dlt),
    }


def _channel_sets(grid, n):
    ph = phonons(grid, 0.4)
    return {
        "phonon-dynamic": [bath_channel(grid, ph, n)],
        "phonon+classical-drive": [bath_channel(grid, ph, n), Drive(1.3, 0.7).channel(grid, 0.2)],
        "phonon+printed-drive": [
            bath_channel(grid, ph, n),
            Drive(2.1, 0.4, form="paper", coherence="density").channel(grid, 0.0),
        ],
        "two-dynamic-one-reservoir": [
            bath_channel(grid, ph, n),
            bath_channel(grid, photons(grid, 0.2, dynamic=True), 0.5 * n),
            bath_channel(grid, phonons(grid, 0.3, dynamic=False)),
            Drive(1.3, 0.7).channel(grid, 0.0),
        ],
        "same-signs-twice": [
            bath_channel(grid, ph, n),
            bath_channel(grid, phonons(grid, 0.2), 0.3 * n),
        ],
        "reservoir-only": [bath_channel(grid, photons(grid, 0.3))],
        "zero-drive": [bath_channel(grid, ph, n), Drive(1.3, 0.0).channel(grid, 0.0)],
        "none": [],
    }


@pytest.mark.parametrize("coh_name", ["normal", "bcs", "eliashberg"])
@pytest.mark.parametrize(
    "chan_name",
    [
        "phonon-dynamic",
        "phonon+classical-drive",
        "phonon+printed-drive",
        "two-dynamic-one-reservoir",
        "same-signs-twice",
        "reservoir-only",
        "zero-drive",
        "none",
    ],
)
@pytest.mark.parametrize("z", [1.0, 1.6])
def test_fused_matches_numpy_path_and_double_loop(grid, rng, coh_name, chan_name, z):
    f, n = _state(grid, rng)
    coh = _coherences(grid)[coh_name]
    chans = _channel_sets(grid, n)[chan_name]
    fused = CollisionOperator(grid, z=z).evaluate(f, coh, chans)
    plain = CollisionOperator(grid, z=z, fused=False).evaluate(f, coh, chans)
    if not chans:
        assert not np.any(fused.gain) and not np.any(fused.loss)
        assert not np.any(plain.gain) and not np.any(plain.loss)
        return
    _close(fused, plain)
    _close(fused, collisions_direct(grid, f, coh, chans, z=z))


def test_fused_is_the_default_and_numpy_path_stays_callable(grid):
    assert CollisionOperator(grid).fused
    assert not CollisionOperator(grid, fused=False).fused


def test_warm_caches_give_bit_identical_rates(grid, rng):
    """A warm operator (cached coherence and reservoir spectra) returns exactly what a
    fresh one returns: the caches store the very spectra a cold call computes."""
    coh = bcs_coherence(grid, 0.9)
    res = bath_channel(grid, phonons(grid, 0.3, dynamic=False))
    warm = CollisionOperator(grid)
    for k in range(4):
        f, n = _state(grid, rng)
        chans = [bath_channel(grid, phonons(grid, 0.4), n), res, Drive(1.3, 0.7).channel(grid, k)]
        a = warm.evaluate(f, coh, chans)
        b = CollisionOperator(grid).evaluate(f, coh, chans)
        np.testing.assert_array_equal(a.gain, b.gain)
        np.testing.assert_array_equal(a.loss, b.loss)
        np.testing.assert_array_equal(a.boson_gain[0], b.boson_gain[0])
        np.testing.assert_array_equal(a.boson_loss[0], b.boson_loss[0])
        # a second channel list in between (the solver's pump-power and exchange calls)
        unit = [Drive(1.3, 1.0).channel(grid, 0.0)]
        c = warm.evaluate(f, coh, unit)
        d = CollisionOperator(grid).evaluate(f, coh, unit)
        np.testing.assert_array_equal(c.gain, d.gain)
        np.testing.assert_array_equal(c.loss, d.loss)


def test_coherence_cache_follows_gap_updates(grid, rng):
    """A new gap (a new Coherence, or the same arrays changed in place) is seen."""
    f, n = _state(grid, rng)
    chans = [bath_channel(grid, phonons(grid, 0.4), n)]
    op = CollisionOperator(grid)
    for delta in (0.0, 0.9, 1.4, 0.9, 0.0):
        coh = bcs_coherence(grid, delta)
        _close(op.evaluate(f, coh, chans), CollisionOperator(grid).evaluate(f, coh, chans))
    coh = bcs_coherence(grid, 0.9)
    op.evaluate(f, coh, chans)
    new = bcs_coherence(grid, 1.2)
    coh.rho[:] = new.rho  # mutate the cached arrays in place
    coh.p[:] = new.p
    _close(op.evaluate(f, coh, chans), CollisionOperator(grid).evaluate(f, new, chans))


def test_channel_cache_follows_changed_arrays(grid, rng):
    """A reservoir channel whose arrays change (in place, or a new channel at the same
    position, or the channel order swapped) gives the rates of the new arrays."""
    f, n = _state(grid, rng)
    coh = bcs_coherence(grid, 0.9)
    res = bath_channel(grid, phonons(grid, 0.3, dynamic=False))
    other = bath_channel(grid, photons(grid, 0.3))
    op = CollisionOperator(grid)
    op.evaluate(f, coh, [res, other])
    res.gn[5:] *= 1.5  # in place
    fresh = CollisionOperator(grid, fused=False)
    _close(op.evaluate(f, coh, [res, other]), fresh.evaluate(f, coh, [res, other]))
    _close(op.evaluate(f, coh, [other, res]), fresh.evaluate(f, coh, [other, res]))
    ch = Channel(res.gn, res.gn.copy(), res.s_scat, res.s_pair)  # gn1 = gn now
    _close(op.evaluate(f, coh, [ch, other]), fresh.evaluate(f, coh, [ch, other]))


def test_fused_shape_errors_name_the_array(grid, rng):
    f, n = _state(grid, rng)
    op = CollisionOperator(grid)
    coh = bcs_coherence(grid, 0.9)
    chans = [bath_channel(grid, phonons(grid, 0.4), n)]
    with pytest.raises(ValueError, match="f must have shape"):
        op.evaluate(f[:-1], coh, chans)
    with pytest.raises(ValueError, match="coherence arrays must have shape"):
        op.evaluate(f, coh._replace(rho=coh.rho[:-1]), chans)
    bad = chans[0]._replace(gn=chans[0].gn[:-1])
    with pytest.raises(ValueError, match="channel 0: gn and gn1 must have shape"):
        op.evaluate(f, coh, [bad])


def test_bath_channel_factor_is_the_masked_ratio(grid):
    """g / D where D > 0 and 0 where D = 0, bit for bit the two-pass form it replaced."""
    from photosc.cores.kinetics import Bath

    w = grid.omega
    g = np.where(w > 0, 0.02 * w, 0.0)
    d = np.where((w > 1.0) & (w < 6.0), 0.3 + 0.01 * w, 0.0)
    ch = bath_channel(grid, Bath(g, "density", 0.3, mode_density=d))
    expected = np.where(d > 0, g / np.where(d > 0, d, 1.0), 0.0)
    np.testing.assert_array_equal(ch.boson_factor, expected)
    assert np.all(ch.boson_factor[d == 0] == 0.0) and np.all(ch.boson_factor[d > 0] > 0)
    assert bath_channel(grid, Bath(g, "density", 0.3)).boson_factor is None


def _frozen(a):
    b = np.array(a, dtype=float)
    b.flags.writeable = False
    return b


def test_fused_accepts_read_only_and_strided_inputs(grid, rng):
    """Arrays the caller froze or sliced (read-only, non-contiguous, float32) work."""
    f, n = _state(grid, rng)
    coh = bcs_coherence(grid, 0.9)
    chans = [bath_channel(grid, phonons(grid, 0.4), n), Drive(1.3, 0.7).channel(grid, 0.0)]
    ref = CollisionOperator(grid, fused=False).evaluate(f, coh, chans)
    ch0 = chans[0]
    frozen_ch = ch0._replace(
        gn=_frozen(ch0.gn), gn1=_frozen(ch0.gn1), boson_factor=_frozen(ch0.boson_factor)
    )
    frozen_coh = coh._replace(rho=_frozen(coh.rho), p=_frozen(coh.p))
    got = CollisionOperator(grid).evaluate(_frozen(f), frozen_coh, [frozen_ch, chans[1]])
    _close(got, ref)
    wide = np.repeat(f, 2)[::2]  # strided view
    _close(CollisionOperator(grid).evaluate(wide, coh, chans), ref)
    got32 = CollisionOperator(grid).evaluate(f.astype(np.float32), coh, chans)
    ref32 = CollisionOperator(grid, fused=False).evaluate(f.astype(np.float32), coh, chans)
    _close(got32, ref32)


def test_pumped_bcs_run_same_on_both_paths():
    """A pumped run with a self-consistent BCS gap (the observables the scenarios read:
    Delta_0(t), quasi-particle density, energy, absorbed energy) is the same with the fused
    and the NumPy collision path: same accepted/rejected steps, values to 1e-10."""
    from photosc.cores import bcs
    from photosc.cores.kinetics import make_grid
    from photosc.cores.kinetics.gap import BCSGap
    from photosc.cores.kinetics.solver import KineticSolver, SolverOptions

    lam, cut = 0.3, 6.0
    grid = make_grid(0.1, 20.0, 15.0)
    kT = 0.5 * bcs.critical_temperature(lam, cut)
    times = [0.0, 1.0, 2.0, 3.0]
    out = {}
    for fused in (True, False):
        s = KineticSolver(
            grid,
            [phonons(grid, kT, tau_esc=20.0)],
            BCSGap(lam, cut),
            [Drive(12.0, 0.005, tau=0.5, t0=1.0)],
            options=SolverOptions(rtol=1e-3),
        )
        s.op = CollisionOperator(grid, fused=fused)
        s.start(kT=kT)
        out[fused] = s.run(times)
    a, b = out[True], out[False]
    assert (a.steps, a.rejected, a.gap_updates) == (b.steps, b.rejected, b.gap_updates)
    assert 0.1 * a.delta0[0] < a.delta0[-1] < 0.9 * a.delta0[0]  # pumped, still gapped
    for x, y in [
        (a.delta0, b.delta0),
        (a.qp_density, b.qp_density),
        (a.energy, b.energy),
        (a.absorbed, b.absorbed),
    ]:
        np.testing.assert_allclose(x, y, rtol=1e-10, atol=0)
    np.testing.assert_allclose(a.f, b.f, rtol=0, atol=1e-12)
