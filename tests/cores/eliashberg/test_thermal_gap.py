"""Tests of the accurate thermal gap edge on the real axis (photosc.cores.eliashberg.thermal_gap).

Checks: Delta_0 against the independent Matsubara + Pade reference within 0.1 % for Pb at
1 K and K3C60 at 4 K (mu* = 0, where both methods solve the same equations); the
extrapolation in eta is what brings it there (the read-off at eta_1 alone is off by more
than 0.1 %); the pairing tail beyond W lowers the dependence on W; the weak-coupling
limit 2 Delta_0 / k_B T_c = 3.528 (BCS) for a narrow Einstein spectrum at lambda = 0.3;
convergence and a consistent state near T_c with the built-in mu*.
"""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores.eliashberg import EliashbergSolver, ThermalGap, gap_edge, thermal_gap
from photosc.cores.eliashberg.matsubara import MatsubaraEliashberg, pade_gap_edge
from photosc.cores.spectra import builtin
from photosc.foundation.units import KB

#: 2 Delta / k_B T_c of BCS theory, 2 pi / exp(gamma_Euler).
BCS_RATIO = 2.0 * np.pi / np.exp(np.euler_gamma)


def _matsubara_pade(name: str, temperature: float) -> float:
    """Delta_0 (meV) from Matsubara sums to 10 x the phonons and Pade through the points
    below 200 meV (mu* = 0; 10 x and 20 x differ by < 0.01 % for these cases)."""
    s = builtin(name)
    wph = EliashbergSolver(s.omega, s.a2f, 0.0).omega_ph_max
    m = MatsubaraEliashberg(s.omega, s.a2f, 0.0, omega_c=10 * wph, omega_sum=10 * wph)
    r = m.solve(KB * temperature)
    return pade_gap_edge(r, step=1e-3 * r.delta[0], omega_top=3 * r.delta[0], omega_fit=200.0)


@pytest.mark.parametrize(("name", "temperature"), [("Pb", 1.0), ("K3C60", 4.0)])
def test_against_matsubara_pade(name, temperature):
    """Within 0.1 % of Matsubara + Pade. The default solve misses it for K3C60 (+0.84 %
    on the default grid) and so does the read-off at eta_1 alone (checked below): the
    extrapolation to eta -> 0 is what the test sees."""
    s = builtin(name)
    ref = _matsubara_pade(name, temperature)
    g = thermal_gap(s.omega, s.a2f, 0.0, temperature)
    assert isinstance(g, ThermalGap) and g.resolved
    assert g.delta0 == pytest.approx(ref, rel=1e-3)
    assert abs(g.delta0_eta[0] / ref - 1.0) > 1e-3


def test_tail_lowers_the_cutoff_dependence():
    """Pb at 1 K, W = 5 x and 7.5 x the phonons: with the pairing tail Delta_0 moves by
    < 0.1 % (measured 0.08 %), without it by ~0.2 %, at least twice as much."""
    s = builtin("Pb")
    wph = EliashbergSolver(s.omega, s.a2f, 0.0).omega_ph_max
    d = {
        (k, tail): thermal_gap(s.omega, s.a2f, 0.0, 1.0, omega_max=k * wph, tail=tail).delta0
        for k in (5.0, 7.5)
        for tail in (True, False)
    }
    with_tail = abs(d[5.0, True] / d[7.5, True] - 1.0)
    without = abs(d[5.0, False] / d[7.5, False] - 1.0)
    assert with_tail < 1e-3
    assert without > 2.0 * with_tail


def test_weak_coupling_bcs_ratio():
    """Narrow Einstein spectrum (Omega = 50 meV, Gaussian of width 1 meV), lambda = 0.3,
    mu* = 0: T_c / Omega ~ 0.01, so 2 Delta_0(T -> 0) / k_B T_c is the BCS 3.528 up to
    strong-coupling corrections of ~0.5 % (Carbotte, RMP 62, 1027 (1990), Eq. 4.1)."""
    om, lam = 50.0, 0.3
    w = np.linspace(0.0, 1.2 * om, 601)
    a = np.exp(-(((w - om) / (0.02 * om)) ** 2))
    a *= lam / (2.0 * np.trapezoid(a[1:] / w[1:], w[1:]))
    tc = EliashbergSolver(w, a, 0.0).critical_temperature()
    g = thermal_gap(w, a, 0.0, 0.1 * tc)
    assert g.resolved
    assert 2.0 * g.delta0 / (KB * tc) == pytest.approx(BCS_RATIO, rel=1e-2)


@pytest.mark.parametrize(("name", "fraction"), [("Pb", 0.9), ("Pb", 0.95), ("K3C60", 0.95)])
def test_converges_near_tc(name, fraction):
    """Built-in mu*, near T_c (the grid capped at 8192 points): no exception, finite, and
    the state consistent with what is returned."""
    s = builtin(name)
    tc = EliashbergSolver(s.omega, s.a2f, s.mu_star).critical_temperature()
    g = thermal_gap(s.omega, s.a2f, s.mu_star, fraction * tc, max_points=8192)
    r = g.result
    assert np.isfinite(g.delta0) and g.delta0 > 0
    assert np.all(np.isfinite(r.delta)) and np.all(np.isfinite(r.z))
    assert g.n == r.omega.size and g.step == pytest.approx(r.omega[1] - r.omega[0])
    assert r.eta == pytest.approx(g.eta[0]) and g.eta[1] == pytest.approx(2 * g.eta[0])
    assert r.delta0 == g.delta0_eta[0] == gap_edge(r.omega, r.delta)
    assert g.delta0 == pytest.approx(2 * g.delta0_eta[0] - g.delta0_eta[1], rel=1e-12)
    # a gap well below its low-T value (0.2 T_c)
    low = thermal_gap(s.omega, s.a2f, s.mu_star, 0.2 * tc, max_points=8192).delta0
    assert 0 < g.delta0 < 0.7 * low


def test_tail_integral_against_quadrature():
    """I(W, a) = int_W^inf dx / (x^3 (x + a)) on both sides of the series / closed-form
    switch (|a| = 0.1 W) and at the ends |a| = W / 2, against adaptive quadrature."""
    from scipy.integrate import quad

    from photosc.cores.eliashberg.thermal_gap import _tail_integral

    w_top = 45.0
    a = np.array([-22.5, -4.6, -4.4, -0.3, 0.0, 0.3, 4.4, 4.6, 22.5])
    ref = [
        quad(lambda x, c=c: 1.0 / (x**3 * (x + c)), w_top, np.inf, epsabs=0.0, epsrel=1e-13)[0]
        for c in a
    ]
    np.testing.assert_allclose(_tail_integral(w_top, a), ref, rtol=1e-12)


def test_eta1_solve_started_with_the_eta2_pairs_agrees_with_a_fresh_start(monkeypatch):
    """Issue 16: the eta_1 solve continues the eta_2 solve's Anderson pairs, interpolated
    onto its grid. Against the same solve started without them (Pb at 1 K): Delta_0 at
    eta_1 within 1e-4 relative (the solves' tolerance is 1e-4 on Delta), the extrapolated
    Delta_0 within 2e-4, and fewer evaluations."""
    from photosc.cores.eliashberg import KeptHistory

    s = builtin("Pb")
    kept = thermal_gap(s.omega, s.a2f, 0.0, 1.0)
    monkeypatch.setattr(KeptHistory, "prolonged", lambda self, coarse, fine: KeptHistory())
    fresh = thermal_gap(s.omega, s.a2f, 0.0, 1.0)
    assert kept.n == fresh.n
    assert kept.delta0_eta[1] == fresh.delta0_eta[1]  # the eta_2 solve is the same
    assert kept.delta0_eta[0] == pytest.approx(fresh.delta0_eta[0], rel=1e-4)
    assert kept.delta0 == pytest.approx(fresh.delta0, rel=2e-4)
    assert kept.result.iterations < fresh.result.iterations


def test_tail_enters_the_fused_and_the_reference_map_alike():
    """The pairing tail is one constant added to phi in both implementations of the map
    (``_phi_extra``): one evaluation of each agrees to round-off, and the tail moves it."""
    from photosc.cores.eliashberg.thermal_gap import TailSolver

    s = builtin("Pb")
    kt = KB * 1.0
    out = {}
    for path in ("fused", "reference"):
        sol = TailSolver(s.omega, s.a2f, 0.1, omega_max=50.0, step=50.0 / 512, kernel_path=path)
        f = sol._distributions(None, None, kt)
        delta = np.full(sol.n, 1.4, dtype=complex) / (1.0 + (sol.omega / 10.0) ** 2)
        z = sol._zn_current(f)
        plain = sol._update(delta, f, z)[0]
        assert sol.set_tail(kt) > 0.0
        out[path] = sol._update(delta, f, z)[0]
        assert np.max(np.abs(out[path] - plain)) > 1e-6 * np.max(np.abs(plain))
    np.testing.assert_allclose(out["fused"], out["reference"], rtol=1e-10, atol=1e-12)
