"""Paper 000's reduced trapping model against the full kinetics (issue 7, section 3).

The model ``qp-trapping-kinetics`` hands the reduced model's Bogoliubov state at n0 to the
Chang-Scalapino kinetics with the like-for-like bath (module docstring of
:mod:`photosc.models.trapping_kinetics`). These tests check the pieces the comparison
rests on, each against an independent computation: the two gap equations at t = 0, the
gap-edge rate (the mapping), the kinetic dn/dt against the analytic flat-band
pair-creation rate, the phase-space integral's limits, and detailed balance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import photosc
from photosc.config import load_scenario, small_grid_overrides
from photosc.cores import bcs, qp_rates
from photosc.cores.kaplan import pair_phase_space
from photosc.foundation.distributions import bogoliubov, bose
from photosc.foundation.units import HBAR
from photosc.models.trapping_kinetics import (
    TrappingKineticsNumerics,
    TrappingKineticsParams,
    initial_rates,
    pair_creation_rate,
    setup,
    site_density,
)

SMALL = TrappingKineticsNumerics(step=0.05, e_max=92.0, check_step=0.0, n_points=20)


@pytest.fixture(scope="module")
def tk100():
    return setup(TrappingKineticsParams(), SMALL)


def test_initial_state_is_the_reduced_state(tk100):
    """t = 0: the kinetic BCS gap with f0 = Bogoliubov(lambda0) is Eq. 4's Delta(n0), and the
    kinetic density (per site, 4 nu0 h sum rho f) is Eq. 5's n0.

    The kinetic density counts states up to e_max; Eq. 5 stops at xi = cutoff, so the
    comparison sums the bins below E(cutoff) (the tail above adds f(88 meV)/f(Delta) ~ 5e-5).
    """
    s, st = tk100.solver, tk100.start
    assert abs(s.state.coherence.delta0 - st.delta) < 1e-6  # meV; window is 0.04 meV wide
    e_cut = math.hypot(tk100.model.cutoff, st.delta)
    below = s.grid.energy < e_cut
    coh = s.state.coherence
    n_kin = 4 * tk100.model.nu0 * s.grid.step * float(np.sum((coh.rho * s.state.f)[below]))
    assert n_kin == pytest.approx(st.n, rel=2e-5)
    assert site_density(tk100) == pytest.approx(st.n, rel=2e-4)  # whole grid, tail included


def test_gap_edge_rate_is_the_reduced_rate(tk100):
    """The mapping: the kinetic net pair rate of a quasi-particle in the first bin above the
    gap, (1 - f) Gamma_pb - f Gamma_rec, equals the reduced model's dn/dt (Eqs. 6-7, 33-35
    with nu_SC), up to the bin's offset from Delta (O(h/Omega))."""
    r = initial_rates(tk100)
    assert r["edge"] == pytest.approx(r["reduced"], rel=2e-3)
    # and Eq. 6-7 on the kinetic alpha^2F array reproduces the delta-mode form
    assert r["reduced_kin_a2f"] == pytest.approx(r["reduced"], rel=2e-3)


def test_kinetic_density_rate_is_the_flat_band_pair_creation_rate(tk100):
    """dn/dt of the kinetics at t = 0 (sum over the grid of rho df/dt) equals the analytic
    golden-rule pair-creation rate (double integral, Gauss-Legendre in the pair energy), and
    exceeds paper 000's gap-edge rate by the phase-space factor 4 nu0 I / sqrt(W/(W-2D))."""
    r = initial_rates(tk100)
    assert r["kinetic"] == pytest.approx(r["golden_rule"], rel=1e-4)
    m, st = tk100.model, tk100.start
    om = m.modes[0].omega
    factor = 4 * m.nu0 * float(pair_phase_space(om, st.delta)) / math.sqrt(om / (om - 2 * st.delta))
    assert r["kinetic"] / r["reduced"] == pytest.approx(factor, rel=5e-3)
    assert 10 < factor < 20


def test_pair_phase_space_is_kaplans_pair_breaking_integral_at_zero_temperature():
    """One integrand: the vectorised phase space equals Kaplan's 1/tau_B at T = 0 (with
    its independent arccosh quadrature) times hbar / (pi a)."""
    from photosc.cores.kaplan import pair_breaking_rate

    for om, d in [(10.0, 3.0), (52.0, 5.0), (6.5, 3.0)]:
        kaplan = pair_breaking_rate(om, d, 0.0, 1.0) * HBAR / math.pi
        assert float(pair_phase_space(om, d)) == pytest.approx(kaplan, rel=1e-10)


def test_pair_phase_space_limits():
    """I(Omega, Delta): Omega for Delta = 0; pi Delta at the threshold; 0 below it; and a
    direct quadrature of rho rho' (1 + Delta^2/EE') in between."""
    from scipy.integrate import quad

    assert float(pair_phase_space(52.0, 0.0)) == pytest.approx(52.0, rel=1e-12)
    assert float(pair_phase_space(6.0 + 1e-9, 3.0)) == pytest.approx(math.pi * 3.0, rel=1e-6)
    assert float(pair_phase_space(5.9, 3.0)) == 0.0
    d, om = 3.0, 10.0

    def g(e: float) -> float:
        ep = om - e
        return (e * ep + d * d) / math.sqrt((e * e - d * d) * (ep * ep - d * d))

    ref = quad(g, d, om - d, points=[om / 2], limit=200)[0]
    assert float(pair_phase_space(om, d)) == pytest.approx(ref, rel=1e-6)


def test_pair_creation_rate_large_lambda_limit():
    """lambda >> T: the occupation factor tends to n(Omega) (pair breaking only), so a
    narrow peak of weight W gives 4 nu0 (2 pi/hbar) W I(Omega, Delta) n(Omega)."""
    kT, d, nu0, om0 = 8.6, 3.0, 0.08, 52.0
    w = np.linspace(40.0, 64.0, 24001)
    prof = np.exp(-0.5 * ((w - om0) / 0.05) ** 2)
    a2f = 1e-3 * prof / np.trapezoid(prof, w)
    got = pair_creation_rate(w, a2f, d, 400.0, kT, nu0)
    ref = 4 * nu0 * 2 * math.pi / HBAR * 1e-3 * float(pair_phase_space(om0, d)) * bose(om0, kT)
    assert got == pytest.approx(ref, rel=1e-4)
    assert pair_creation_rate(w, a2f, d, 0.0, kT, nu0) == 0.0
    assert pair_creation_rate(w, a2f, d, -5.0, kT, nu0) < 0  # excess quasi-particles recombine


@pytest.mark.parametrize("temperature, dynamic", [(10.0, False), (100.0, False), (10.0, True)])
def test_thermal_start_stays_put(temperature, dynamic):
    """Detailed balance: lambda = 0 (thermal f) with phonons at the same temperature is
    stationary, bin by bin (|df/dt| << the gross in- and out-rates), and Delta and n do not
    move over 20 ps: the BCS equilibrium gap at 10 K (below T_c = 20 K), the normal state
    at 100 K. With dynamic phonons (Bose start) the same holds for the phonons."""
    params = TrappingKineticsParams(temperature=temperature, dynamic_phonons=dynamic)
    tk = setup(params, SMALL)
    s, m = tk.solver, tk.model
    s.start(f0=bogoliubov(s.grid.energy, 0.0, m.kT), kT=m.kT)
    d_eq = bcs.solve_gap(m.coupling, m.cutoff, kT=m.kT).delta
    # BCSGap interpolates f linearly between bin centres: O(h^2 / 8 T^2) ~ 4e-4 relative in
    # f at 10 K with h = 0.05 meV (measured 3.6e-5 meV in Delta; 3e-8 meV at 100 K)
    assert s.state.coherence.delta0 == pytest.approx(d_eq, abs=1e-4)
    d_kin = s.state.coherence.delta0
    col = s.op.evaluate(s.state.f, s.state.coherence, s.channels(0.0, s.state.n))
    f = s.state.f
    gross = (1 - f) * col.gain + f * col.loss
    net = col.df_dt(f)
    # relative where the rates are above the FFT round-off (~1e-16 of the largest)
    assert np.all(np.abs(net) <= 1e-9 * gross + 1e-13 * gross.max())
    n_start = site_density(tk)
    res = s.run([20.0])
    assert res.delta0[-1] == pytest.approx(d_kin, abs=1e-9)
    assert site_density(tk) == pytest.approx(n_start, rel=1e-8)
    if dynamic:
        nb = res.n[-1, 0, 1:]
        ref = bose(s.grid.omega[1:], m.kT)
        # relative, above the FFT round-off of the boson rates (occupations down to 1e-46)
        assert np.all(np.abs(nb - ref) <= 1e-8 * ref + 1e-14)


def test_setup_rejects_cutoff_outside_grid():
    with pytest.raises(ValueError, match="e_max"):
        setup(TrappingKineticsParams(), TrappingKineticsNumerics(step=0.05, e_max=80.0))


def test_scenario_test_run_compares_and_avalanches(tmp_path):
    """The scenario's [test] grid: finite tau_MS in both descriptions, the crossing and the
    collapse both seen, and the kinetics within 30 % of the reduced model's own Bogoliubov
    trajectory driven by the pair-creation rate (quasi-equilibrium of f; never faster: the
    injected hot quasi-particles cool in a few ps)."""
    name = "qp-trapping-kinetics"
    sc = load_scenario(name)
    res = photosc.run(name, out=tmp_path / name, overrides=small_grid_overrides(sc))
    s = res.summary
    assert s["crossed"] and s["collapsed"] and s["avalanche_seen"]
    assert math.isfinite(s["tau_ms_ratio"]) and s["tau_ms_ratio"] > 0
    # the same reduced model as qp-trapping-k3c60 at n(0) = n_av / 2
    ref = photosc.run(
        "qp-trapping-k3c60",
        out=tmp_path / "reduced",
        overrides=small_grid_overrides(load_scenario("qp-trapping-k3c60")),
    ).summary["lifetime_ns_half_n_av"]
    assert s["tau_ms_reduced_ns"] == pytest.approx(ref, rel=0.05)
    # the hot injected quasi-particles only delay the collapse (ratio >= 1), by < 30 %
    assert 1.0 <= s["tau_ms_ratio_golden_rule"] < 1.3
    assert s["collapse_time_kinetics_ns"] > s["tau_ms_kinetics_ns"]
    assert s["edge_rate_ratio"] == pytest.approx(1.0, abs=2e-3)
    # the reduced model with the kinetic alpha^2F (nu_SC frozen at Delta(0)) is within 2 %
    assert s["tau_ms_reduced_kinetic_a2f_ns"] == pytest.approx(s["tau_ms_reduced_ns"], rel=0.02)


def test_reduced_model_uses_paper_000_mode_weight(tk100):
    """The Hg(2) weight in the kinetic alpha^2F is g^2 nu_SC(Omega - Delta0) of the reduced
    model, and integrates to that on the boson grid."""
    m, st = tk100.model, tk100.start
    mode = m.modes[0]
    ref = mode.g**2 * float(
        qp_rates.superconducting_dos(mode.omega - st.delta, st.delta, m.nu0, m.sigma)
    )
    assert tk100.mode_weights[0] == pytest.approx(ref, rel=1e-12)
    w = tk100.grid.omega
    near = np.abs(w - mode.omega) < 3.0
    assert tk100.grid.step * float(np.sum(tk100.a2f[near])) == pytest.approx(ref, rel=1e-9)
