"""Collision integrals: FFT against the double loop, detailed balance, conservation laws,
the normal-metal (Prange-Kadanoff) limit and the coherence-factor swap between baths."""

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
    make_grid,
    normal_coherence,
)
from photosc.cores.kinetics.pump import Drive
from photosc.foundation.distributions import fermi
from photosc.foundation.units import HBAR


@pytest.fixture
def small_grid():
    return _small_grid()


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def _random_state(grid, rng):
    f = rng.uniform(0.0, 0.6, grid.n_qp)
    n = rng.uniform(0.0, 3.0, grid.n_boson)
    n[0] = 0.0
    return f, n


@pytest.mark.parametrize("delta", [0.0, 0.73, 2.1])
def test_fft_matches_double_loop(small_grid, rng, delta):
    g = small_grid
    coh = bcs_coherence(g, delta)
    f, n = _random_state(g, rng)
    chans = [
        bath_channel(g, phonons(g, 0.4), n),
        bath_channel(g, photons(g, 0.2, dynamic=True), 0.5 * n),
        Drive(1.3, 0.7).channel(g, 0.0),
    ]
    fast = CollisionOperator(g, z=1.3).evaluate(f, coh, chans)
    ref = collisions_direct(g, f, coh, chans, z=1.3)
    for a, b in [(fast.gain, ref.gain), (fast.loss, ref.loss)]:
        assert np.max(np.abs(a - b)) <= 1e-12 * np.max(np.abs(b))
    for k in (0, 1):
        for a, b in [
            (fast.boson_gain[k], ref.boson_gain[k]),
            (fast.boson_loss[k], ref.boson_loss[k]),
        ]:
            assert np.max(np.abs(a - b)) <= 1e-12 * np.max(np.abs(b))
    assert fast.boson_gain[2] is None and ref.boson_gain[2] is None


def test_fft_matches_double_loop_strong_coupling_arrays(small_grid, rng):
    """Complex Delta(E) (Eliashberg-like): N, P as arrays, P not equal to N Delta/E."""
    g = small_grid
    e = np.linspace(0.01, 15.0, 3000)
    dlt = (1.2 + 0.1 * e / 15) + 1j * (0.02 + 0.01 * e)
    coh = coherence_from_gap_function(g, e, dlt)
    assert coh.rho[0] > 0  # lifetime-broadened: states inside the "gap"
    f, n = _random_state(g, rng)
    chans = [bath_channel(g, phonons(g, 0.4), n)]
    fast = CollisionOperator(g).evaluate(f, coh, chans)
    ref = collisions_direct(g, f, coh, chans)
    assert np.max(np.abs(fast.gain - ref.gain)) <= 1e-12 * np.max(ref.gain)
    assert np.max(np.abs(fast.boson_loss[0] - ref.boson_loss[0])) <= 1e-12 * np.max(
        ref.boson_loss[0]
    )


@pytest.mark.parametrize("delta", [0.0, 1.0])
@pytest.mark.parametrize(
    "make",
    [
        lambda g, t: phonons(g, t),
        lambda g, t: phonons(g, t, dynamic=False),
        lambda g, t: photons(g, t),
        lambda g, t: photons(g, t, dynamic=True),
    ],
    ids=["phonon-dynamic", "phonon-reservoir", "photon-reservoir", "photon-dynamic"],
)
@pytest.mark.parametrize("fused", [True, False], ids=["fused", "numpy"])
def test_detailed_balance(small_grid, delta, make, fused):
    """Thermal f and n at the bath temperature are stationary, bin by bin."""
    g = small_grid
    kT = 0.35
    bath = make(g, kT)
    coh = bcs_coherence(g, delta)
    f = fermi(g.energy, kT)
    col = CollisionOperator(g, fused=fused).evaluate(f, coh, [bath_channel(g, bath)])
    scale = np.max(f * col.loss)
    assert scale > 0
    assert np.max(np.abs(col.df_dt(f))) <= 1e-12 * scale
    if bath.dynamic:
        n = bath_channel(g, bath).gn / np.where(bath.coupling > 0, bath.coupling, 1.0)
        dn = col.boson_gain[0] * (n + 1) - col.boson_loss[0] * n
        assert np.max(np.abs(dn)) <= 1e-12 * np.max(col.boson_loss[0] * n)


def test_not_stationary_at_wrong_temperature(small_grid):
    """The detailed-balance test can fail: f hotter than the bath relaxes."""
    g = small_grid
    coh = bcs_coherence(g, 1.0)
    f = fermi(g.energy, 0.5)
    col = CollisionOperator(g).evaluate(f, coh, [bath_channel(g, phonons(g, 0.3))])
    assert np.max(np.abs(col.df_dt(f))) > 1e-3 * np.max(f * col.loss)


@pytest.mark.parametrize("delta", [0.0, 0.9])
@pytest.mark.parametrize("z", [1.0, 1.7])
@pytest.mark.parametrize("fused", [True, False], ids=["fused", "numpy"])
def test_energy_and_number_conservation(small_grid, rng, delta, z, fused):
    """Without pump and escape: d/dt (E_qp + E_phonon) = 0; scattering keeps N_qp, and
    dN_qp/dt = 2 (generation - recombination) = -2 dN_phonon,pair/dt."""
    g = small_grid
    bath = phonons(g, 0.4)
    coh = bcs_coherence(g, delta)
    f, n = _random_state(g, rng)
    op = CollisionOperator(g, z=z, fused=fused)
    ch = [bath_channel(g, bath, n)]
    col = op.evaluate(f, coh, ch)
    df = col.df_dt(f)
    dn = col.boson_gain[0] * (n + 1) - col.boson_loss[0] * n
    h = g.step
    de_qp = z * h * np.sum(coh.rho * g.energy * df)
    de_ph = h * np.sum(bath.mode_density * g.omega * dn)
    scale = z * h * np.sum(coh.rho * g.energy * f * col.loss)
    assert abs(de_qp) > 1e-3 * scale  # a genuine exchange takes place ...
    assert abs(de_qp + de_ph) <= 1e-12 * scale  # ... and conserves the total

    proc = op.processes(f, coh, ch)
    wt = z * h * coh.rho
    d_scat = np.sum(wt * ((1 - f) * proc.scattering_in - f * proc.scattering_out))
    gen = 0.5 * np.sum(wt * (1 - f) * proc.pair_breaking_in)
    rec = 0.5 * np.sum(wt * f * proc.recombination_out)
    assert abs(d_scat) <= 1e-12 * np.sum(wt * f * proc.scattering_out)
    dN = np.sum(wt * df)
    assert dN == pytest.approx(2 * (gen - rec), rel=1e-10, abs=1e-14 * gen)
    pair_dn = proc.boson_pair_gain[0] * (n + 1) - proc.boson_pair_loss[0] * n
    d_ph_pairs = h * np.sum(bath.mode_density * pair_dn)
    assert dN == pytest.approx(-2 * d_ph_pairs, rel=1e-10)


def _prange_kadanoff(h, m, f_el, a2f, n, mode):
    """Normal-metal electron-phonon equations on eps = (k + 1/2) h, k = -m .. m-1, written
    directly (no quasi-particle picture): returns df_el/dt (2m,), dn/dt (n_boson,)."""
    nb = a2f.size
    df = np.zeros(2 * m)
    dn = np.zeros(nb)
    for a in range(2 * m):
        for j in range(1, nb):
            for b, ind, emit in ((a + j, j, False), (a - j, j, True)):
                if not 0 <= b < 2 * m:
                    continue
                if not emit:  # eps -> eps + W absorbs a phonon
                    net = f_el[a] * (1 - f_el[b]) * n[ind] - f_el[b] * (1 - f_el[a]) * (n[ind] + 1)
                else:
                    net = f_el[a] * (1 - f_el[b]) * (n[ind] + 1) - f_el[b] * (1 - f_el[a]) * n[ind]
                df[a] -= 2 * np.pi / HBAR * h * a2f[j] * net
                if not emit:
                    # phonon density N F dn/dt = -2 N(0) (2 pi/hbar) a2F sum_eps net
                    dn[j] -= 2 * np.pi / HBAR * h * a2f[j] / (2 * mode[j]) * net
    return df, dn


def test_normal_state_is_prange_kadanoff(rng):
    """Delta = 0: the quasi-particle equations equal the normal-metal equations for the
    particle-hole symmetric electron distribution f_el(eps > 0) = f(E), f_el(-E) = 1 - f(E)."""
    g = make_grid(0.25, 6.0, 4.0)
    m = g.n_qp
    bath = phonons(g, 0.5)
    f = rng.uniform(0.0, 0.5, m)
    n = rng.uniform(0.0, 2.0, g.n_boson)
    n[0] = 0
    f_el = np.concatenate([1 - f[::-1], f])
    # restrict the comparison to energies whose partners stay on both grids
    col = CollisionOperator(g).evaluate(f, normal_coherence(g), [bath_channel(g, bath, n)])
    df_pk, dn_pk = _prange_kadanoff(g.step, m, f_el, bath.coupling, n, bath.mode_density)
    df = col.df_dt(f)
    dn = col.boson_gain[0] * (n + 1) - col.boson_loss[0] * n
    jmax = g.n_boson - 1
    inner = slice(0, m - jmax)  # E + W_max still inside the grid
    np.testing.assert_allclose(df[inner], df_pk[m:][inner], rtol=1e-12, atol=1e-14)
    # phonon equation: electron pairs with both energies inside the truncated grids
    np.testing.assert_allclose(dn[1:], dn_pk[1:], rtol=1e-12)


def test_coherence_factor_swap_at_gap_edge():
    """At E = E' = Delta the density coupling has 1 + Delta^2/EE' = 2 for recombination and
    0 for scattering; the current coupling has it the other way round."""
    g = make_grid(0.01, 6.0, 4.0)
    delta = 1.0
    coh = bcs_coherence(g, delta)
    f = np.zeros(g.n_qp)
    i = int(delta / g.step)  # edge bin
    f[i] = 1e-3
    w = g.omega
    coupling = np.where((w > 1.5) & (w < 2.5), 1e-2, 0.0)
    from photosc.cores.kinetics import Bath

    dens = Bath(coupling, "density", 0.0)
    curr = Bath(coupling, "current", 0.0)
    op = CollisionOperator(g)
    r_d = op.processes(f, coh, [bath_channel(g, dens)]).recombination_out[i]
    r_c = op.processes(f, coh, [bath_channel(g, curr)]).recombination_out[i]
    assert r_d > 0
    assert r_c < 0.05 * r_d  # only the bin average keeps it from vanishing


def test_phonon_bath_from_spectrum_uses_si_table_1():
    """SI Eq. 5 prefactor: (2 pi / hbar) g / D = 8 pi N(0) alpha^2(W) / (hbar N)."""
    from photosc.cores.kinetics import phonon_bath_from_spectrum
    from photosc.cores.spectra import builtin

    sp = builtin("CaC6")
    g = make_grid(0.25, 60.0, 100.0)
    bath = phonon_bath_from_spectrum(g, sp, kT=2.0, tau_esc=500.0)
    j = int(round(60.0 / g.step))
    a2f = np.interp(g.omega[j], sp.omega, sp.a2f)
    fdos = np.interp(g.omega[j], sp.omega, sp.f_dos)
    n0 = sp.material.n0_per_ev_nm3 * 1e-3  # 1/(meV nm^3)
    expected = 8 * np.pi * n0 * (a2f / fdos) / (HBAR * sp.material.n_ion_nm3)
    got = 2 * np.pi / HBAR * bath.coupling[j] / bath.mode_density[j]
    assert got == pytest.approx(expected, rel=1e-12)
    assert bath.tau_esc == 500.0 and bath.dynamic
    assert not phonon_bath_from_spectrum(g, sp, kT=2.0, dynamic=False).dynamic


def test_gap_function_coherence_reduces_to_bcs():
    """A real, constant Delta(E) gives the BCS N, P (sampled vs bin-averaged: equal away
    from the edge)."""
    g = make_grid(0.01, 10.0, 5.0)
    e = np.linspace(0.005, 12.0, 5000)
    sc = coherence_from_gap_function(g, e, np.full(e.size, 1.0 + 0j))
    bcs = bcs_coherence(g, 1.0)
    far = g.energy > 1.3
    np.testing.assert_allclose(sc.rho[far], bcs.rho[far], rtol=1e-3)
    np.testing.assert_allclose(sc.p[far], bcs.p[far], rtol=1e-3)
    assert np.all(sc.rho[g.energy < 0.99] == 0)
    assert sc.delta0 == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"coupling": np.ones(3)}, "coupling must have shape"),
        ({"coherence": "magnetic"}, "coherence='magnetic'"),
        ({"kT": -1.0}, "kT must be"),
        ({"tau_esc": 0.0}, "tau_esc"),
        ({"mode_density": "zero"}, "coupling > 0 where mode_density = 0"),
    ],
)
def test_bath_validation_names_the_field(kwargs, match):
    from photosc.cores.kinetics import Bath
    from photosc.cores.kinetics.baths import check_bath

    g = make_grid(0.1, 5.0, 3.0)
    base = dict(coupling=np.r_[0.0, np.ones(g.n_boson - 1)], coherence="density", kT=0.2)
    if kwargs.get("mode_density") == "zero":
        kwargs = {"mode_density": np.zeros(g.n_boson)}
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        check_bath(g, Bath(**base))


def test_grid_validation():
    with pytest.raises(ValueError, match="step"):
        make_grid(0.0, 5.0, 3.0)
    with pytest.raises(ValueError, match="e_max"):
        make_grid(1.0, 1.5, 3.0)
    with pytest.raises(ValueError, match="gap delta"):
        bcs_coherence(make_grid(0.1, 5.0, 3.0), -1.0)
