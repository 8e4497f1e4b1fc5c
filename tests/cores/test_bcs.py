"""Tests of the BCS core against closed forms, independent quadrature and identities."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.optimize import brentq
from scipy.special import k1

from photosc.cores import bcs
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import bogoliubov

W = 30.0  # cutoff, meV


# ---------------------------------------------------------------------------------------
# independent references (scipy.integrate.quad on the printed integrals)
# ---------------------------------------------------------------------------------------
def quad_gap_integral(delta, lam, kT, cutoff=W):
    def f(xi):
        e = math.hypot(xi, delta)
        return (1.0 - 2.0 * float(bogoliubov(e, lam, kT))) / e

    pts = [math.sqrt(lam * lam - delta * delta)] if lam < -delta else None
    return quad(f, 0.0, cutoff, points=pts, limit=400, epsabs=1e-13, epsrel=1e-12)[0]


def quad_free_energy(delta, kT, coupling, lam=0.0, cutoff=W):
    """Paper 000 Eq. 25 minus its Delta = 0 value, integrated term by term with quad."""

    def ground(xi):
        return math.hypot(xi, delta) - xi

    def thermal(xi, d):
        x = math.hypot(xi, d) + lam
        if kT == 0:  # kT ln(1 + e^{-x/kT}) -> max(-x, 0)
            return max(-x, 0.0)
        return max(-x, 0.0) + kT * math.log1p(math.exp(-abs(x) / kT))

    g = quad(ground, 0.0, cutoff, epsabs=1e-13, limit=200)[0]
    pts = [abs(lam), math.sqrt(max(lam * lam - delta * delta, 0.0))] if lam < 0 else None
    th = quad(lambda xi: thermal(xi, delta), 0.0, cutoff, points=pts, limit=400, epsabs=1e-13)[0]
    th0 = quad(lambda xi: thermal(xi, 0.0), 0.0, cutoff, points=pts, limit=400, epsabs=1e-13)[0]
    return delta**2 / coupling - 2.0 * g - 4.0 * (th - th0)


# ---------------------------------------------------------------------------------------
# closed forms
# ---------------------------------------------------------------------------------------
def test_closed_form_constants():
    assert bcs.TC_PREFACTOR == pytest.approx(1.134, abs=5e-4)
    assert bcs.GAP_TO_TC == pytest.approx(1.764, abs=5e-4)
    assert bcs.GAP_NEAR_TC_PREFACTOR == pytest.approx(3.06, abs=5e-3)


@pytest.mark.parametrize("g", [0.1, 0.3, 1.0, 3.0])
def test_delta_zero_is_root_of_t0_gap_equation(g):
    d0 = bcs.delta_zero(g, W)
    assert d0 == pytest.approx(W / math.sinh(1.0 / g), rel=1e-14)
    # the T = 0 equation 1 = g asinh(W/Delta), integrated by quad, is satisfied
    assert g * quad_gap_integral(d0, 0.0, 0.0) == pytest.approx(1.0, rel=1e-10)
    # and the solver finds it from a general (callable) occupation too
    sol = bcs.solve_gap(g, W, lambda e, d: np.zeros_like(e))
    assert sol.delta == pytest.approx(d0, rel=1e-9)


def test_delta_zero_weak_coupling_limit():
    g = 0.1
    assert bcs.delta_zero(g, W) == pytest.approx(2 * W * math.exp(-1 / g), rel=1e-8)


def test_tc_weak_coupling_and_ratio():
    g = 0.2
    tc = bcs.critical_temperature(g, W)
    assert tc == pytest.approx(bcs.tc_weak_coupling(g, W), rel=1e-8)
    assert bcs.delta_zero(g, W) / tc == pytest.approx(1.764, abs=1e-3)
    assert bcs.delta_zero(g, W) / tc == pytest.approx(bcs.GAP_TO_TC, rel=1e-4)


def test_ratio_deviation_grows_with_coupling():
    ratios = [bcs.delta_zero(g, W) / bcs.critical_temperature(g, W) for g in (0.2, 0.3, 0.5, 1.0)]
    dev = np.abs(np.array(ratios) - bcs.GAP_TO_TC)
    assert np.all(np.diff(dev) > 0)


def test_tc_strong_coupling_limit():
    # tanh(x)/x -> 1: 1 = g W / (2 kTc)
    g = 200.0
    assert bcs.critical_temperature(g, W) == pytest.approx(g * W / 2, rel=1e-3)


def test_tc_is_root_of_linearised_gap_equation():
    g = 0.4
    tc = bcs.critical_temperature(g, W)
    ref = quad(lambda xi: math.tanh(xi / (2 * tc)) / xi, 0, W, epsabs=1e-13, limit=200)[0]
    assert g * ref == pytest.approx(1.0, rel=1e-10)


def test_gap_near_tc():
    g = 0.2
    tc = bcs.critical_temperature(g, W)
    for eps in (1e-3, 1e-4):
        kt = tc * (1 - eps)
        ratio = bcs.equilibrium_gap(kt, g, W) / bcs.gap_near_tc(kt, tc)
        assert ratio == pytest.approx(1.0, abs=3 * eps)  # corrections are O(1 - T/T_c)


def test_gap_low_temperature_asymptote():
    # Delta(T) = Delta0 - sqrt(2 pi Delta0 kT) exp(-Delta0/kT) for kT << Delta0
    g = 0.3
    d0 = bcs.delta_zero(g, W)
    kt = 0.12 * d0
    expected = d0 - math.sqrt(2 * math.pi * d0 * kt) * math.exp(-d0 / kt)
    got = float(bcs.equilibrium_gap(kt, g, W))
    assert got < d0
    assert (d0 - got) == pytest.approx(d0 - expected, rel=0.1)


def test_equilibrium_gap_shape_and_limits():
    g = 0.3
    tc = bcs.critical_temperature(g, W)
    kt = np.array([[0.0, 0.5 * tc], [tc, 2 * tc]])
    d = bcs.equilibrium_gap(kt, g, W)
    assert d.shape == (2, 2)
    assert d[0, 0] == bcs.delta_zero(g, W)
    assert d[1, 0] == 0.0 and d[1, 1] == 0.0
    assert 0 < d[0, 1] < d[0, 0]


# ---------------------------------------------------------------------------------------
# quadrature against quad
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "delta, lam, kT",
    [
        (2.0, 0.0, 0.0),
        (2.0, 0.0, 1.0),
        (2.0, 0.0, 10.0),
        (1e-4, 0.0, 1.0),
        (2.0, 3.0, 1.0),
        (2.0, -5.0, 0.3),
        (2.0, -5.0, 0.0),
        (0.5, -1.0, 0.05),
    ],
)
def test_gap_integral_against_quad(delta, lam, kT):
    ref = quad_gap_integral(delta, lam, kT)
    got = bcs.gap_integral(delta, W, lambda e: bogoliubov(e, lam, kT), breakpoints=[-lam])
    assert got == pytest.approx(ref, rel=1e-9, abs=1e-11)
    # internal Bogoliubov path: g chosen so that the residual measures the integral
    one = np.array([1.0])
    internal = bcs._bogoliubov_gap_integral(one * delta, one * lam, one * kT, one * W)[0]
    assert internal == pytest.approx(ref, rel=1e-9, abs=1e-11)


def test_gap_integral_normal_state():
    kt = 1.3
    got = bcs.gap_integral(0.0, W, lambda e: bogoliubov(e, 0.0, kt), scale=kt)
    ref = quad(lambda xi: math.tanh(xi / (2 * kt)) / xi, 0, W, epsabs=1e-13)[0]
    assert got == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("delta, lam, kT", [(2.0, 0.0, 1.0), (1.0, 4.0, 0.5), (2.0, -4.0, 0.4)])
def test_qp_density_against_quad(delta, lam, kT):
    ref = (
        4
        * quad(
            lambda xi: float(bogoliubov(math.hypot(xi, delta), lam, kT)),
            0,
            W,
            points=[math.sqrt(max(lam * lam - delta * delta, 0))] if lam < 0 else None,
            epsabs=1e-14,
            limit=200,
        )[0]
    )
    assert float(bcs.qp_density(delta, lam, kT, W)) == pytest.approx(ref, rel=1e-9)


def test_qp_density_boltzmann_limit():
    # lam >> kT, cutoff >> kT: 4 int_0^inf e^{-(E+lam)/kT} dxi = 4 e^{-lam/kT} Delta K1(Delta/kT)
    delta, kT, lam = 2.0, 0.4, 6.0
    ref = 4 * math.exp(-lam / kT) * delta * k1(delta / kT)
    assert float(bcs.qp_density(delta, lam, kT, W)) == pytest.approx(ref, rel=1e-6)
    # log-space density agrees, also deep in the tail where the linear one underflows
    assert bcs._log_qp_density(delta, lam, kT, W) == pytest.approx(math.log(ref), rel=1e-6)
    big = 400.0
    ref_log = math.log(4 * delta * k1(delta / kT)) - big / kT
    assert bcs._log_qp_density(delta, big, kT, W) == pytest.approx(ref_log, rel=1e-9)


def test_qp_density_broadcast_and_monotone_in_lam():
    lam = np.linspace(-3, 3, 7)
    n = bcs.qp_density(1.5, lam[:, None], np.array([0.3, 1.0]), W)
    assert n.shape == (7, 2)
    assert np.all(np.diff(n, axis=0) < 0)


# ---------------------------------------------------------------------------------------
# Bogoliubov chemical potential
# ---------------------------------------------------------------------------------------
def test_large_lambda_gives_zero_temperature_gap():
    g = 0.3
    tc = bcs.critical_temperature(g, W)
    kt = 0.9 * tc
    d0 = bcs.delta_zero(g, W)
    gaps = [bcs.solve_gap(g, W, kT=kt, lam=lam).delta for lam in (0.0, 1.0, 3.0, 10.0, 60 * kt)]
    assert np.all(np.diff(gaps) > 0)
    assert gaps[-1] == pytest.approx(d0, rel=1e-12)
    assert gaps[0] == pytest.approx(float(bcs.equilibrium_gap(kt, g, W)), rel=1e-9)


def test_gap_above_tc_with_trapping():
    # lam > 0 (depleted quasi-particles) gives a gap above the equilibrium T_c (paper 000)
    g = 0.3
    tc = bcs.critical_temperature(g, W)
    assert bcs.solve_gap(g, W, kT=1.2 * tc).delta == 0.0
    assert bcs.solve_gap(g, W, kT=1.2 * tc, lam=2.0).delta > 0.0


def test_callable_occupation_matches_bogoliubov_and_is_self_consistent():
    g, kt, lam = 0.3, 1.0, 0.7
    ref = bcs.solve_gap(g, W, kT=kt, lam=lam)
    sol = bcs.solve_gap(g, W, lambda e, d: bogoliubov(e, lam, kt))
    assert sol.delta == pytest.approx(ref.delta, rel=1e-9)
    # a gap-dependent occupation: shifts by a fraction of the trial gap
    sol2 = bcs.solve_gap(g, W, lambda e, d: bogoliubov(e, 0.5 * d, kt))
    assert g * bcs.gap_integral(
        sol2.delta, W, lambda e: bogoliubov(e, 0.5 * sol2.delta, kt)
    ) == pytest.approx(1.0, abs=1e-9)
    assert sol2.residual < 1e-9
    # warm start gives the same root
    sol3 = bcs.solve_gap(g, W, lambda e, d: bogoliubov(e, 0.5 * d, kt), delta_guess=sol2.delta)
    assert sol3.delta == pytest.approx(sol2.delta, rel=1e-9)


def test_excess_quasiparticles_lower_the_gap():
    g, kt = 0.3, 0.5
    d_eq = bcs.solve_gap(g, W, kT=kt).delta
    d_neg = bcs.solve_gap(g, W, kT=kt, lam=-0.5).delta
    assert 0 < d_neg < d_eq
    assert g * quad_gap_integral(d_neg, -0.5, kt) == pytest.approx(1.0, abs=1e-9)


# ---------------------------------------------------------------------------------------
# free energy
# ---------------------------------------------------------------------------------------
def test_free_energy_zero_temperature_closed_form():
    for g in (0.2, 0.3, 1.0):
        d0 = bcs.delta_zero(g, W)
        f = float(bcs.free_energy(d0, 0.0, g, W))
        assert f == pytest.approx(bcs.condensation_energy_zero(g, W), rel=1e-12)
    # weak coupling: -Delta0^2 / 2
    g = 0.15
    assert bcs.condensation_energy_zero(g, W) == pytest.approx(
        -0.5 * bcs.delta_zero(g, W) ** 2, rel=1e-5
    )


@pytest.mark.parametrize(
    "delta, kT, lam",
    [
        (1.0, 0.0, 0.0),
        (1.0, 0.0, -3.0),
        (2.0, 1.0, 0.0),
        (0.5, 2.0, 1.5),
        (1.5, 0.3, -3.0),
        (2.8, 0.06, 0.0),
    ],
)
def test_free_energy_against_quad(delta, kT, lam):
    g = 0.3
    got = float(bcs.free_energy(delta, kT, g, W, lam))
    ref = quad_free_energy(delta, kT, g, lam)
    assert got == pytest.approx(ref, rel=1e-10, abs=1e-11)


@pytest.mark.parametrize("kT_over_tc, lam", [(0.0, 0.0), (0.3, 0.0), (0.8, 0.0), (0.9, 1.0)])
def test_free_energy_stationary_and_minimal_at_gap(kT_over_tc, lam):
    g = 0.3
    kt = kT_over_tc * bcs.critical_temperature(g, W)
    d = bcs.solve_gap(g, W, kT=kt, lam=lam).delta
    h = 1e-4 * d
    f = bcs.free_energy(np.array([d - h, d, d + h]), kt, g, W, lam)
    slope = (f[2] - f[0]) / (2 * h)
    curvature = (f[2] - 2 * f[1] + f[0]) / h**2
    assert abs(slope) < 1e-6 * abs(f[1]) / d
    assert curvature > 0
    grid = np.linspace(0, 1.5 * d, 61)
    assert np.all(bcs.free_energy(grid, kt, g, W, lam) >= f[1] - 1e-12)
    assert f[1] < 0


def test_free_energy_derivative_is_gap_equation():
    # dF/dDelta = 2 Delta (1/g - gap_integral): free energy vs gap integral, independent paths
    g, kt, lam = 0.3, 0.8, -1.0
    for d in (0.3, 1.0, 3.0):
        h = 1e-4 * d
        f = bcs.free_energy(np.array([d - h, d + h]), kt, g, W, lam)
        slope = (f[1] - f[0]) / (2 * h)
        integ = bcs.gap_integral(d, W, lambda e: bogoliubov(e, lam, kt), breakpoints=[-lam])
        assert slope == pytest.approx(2 * d * (1 / g - integ), rel=1e-6, abs=1e-9)


def test_free_energy_lambda_derivative_is_density():
    g, kt, d = 0.3, 0.6, 1.2
    for lam in (-1.0, 0.0, 1.0):
        h = 1e-4
        f = bcs.free_energy(d, kt, g, W, np.array([lam - h, lam + h]))
        slope = (f[1] - f[0]) / (2 * h)
        dn = bcs.qp_density(d, lam, kt, W) - bcs.qp_density(0.0, lam, kt, W)
        assert slope == pytest.approx(float(dn), rel=1e-6, abs=1e-10)


def test_free_energy_normal_state_limit_and_vectorisation():
    g, kt = 0.3, 1.0
    small = np.array([0.0, 1e-6, 1e-4])
    f = bcs.free_energy(small, kt, g, W)
    assert f[0] == 0.0
    assert abs(f[1]) < 1e-10 and abs(f[2]) < 1e-7
    d = np.linspace(0, 3, 8)[:, None]
    t = np.linspace(0, 2, 5)[None, :]
    grid = bcs.free_energy(d, t, g, W)
    assert grid.shape == (8, 5)
    one = [float(bcs.free_energy(float(x), float(y), g, W)) for x, y in [(3.0, 0.5), (1.2857, 2.0)]]
    assert grid[-1, 1] == pytest.approx(one[0], rel=1e-12)
    # coupling broadcasts too (paper 000: U depends on the phonon displacement Q)
    gq = np.array([0.2, 0.3, 0.4])[:, None, None]
    assert bcs.free_energy(d, t, gq, W).shape == (3, 8, 5)


# ---------------------------------------------------------------------------------------
# fixed quasi-particle density (paper 000 Eqs. 4-5)
# ---------------------------------------------------------------------------------------
def test_fixed_density_at_thermal_density_is_equilibrium():
    g = 0.3
    tc = bcs.critical_temperature(g, W)
    for frac in (0.3, 0.7, 0.95):
        kt = frac * tc
        d_eq = float(bcs.equilibrium_gap(kt, g, W))
        n_th = float(bcs.qp_density(d_eq, 0.0, kt, W))
        st_ = bcs.fixed_density_state(n_th, kt, g, W)
        assert st_.delta == pytest.approx(d_eq, rel=1e-8)
        assert st_.lam == pytest.approx(0.0, abs=1e-8 * kt)
        assert st_.residual < 1e-8


def test_fixed_density_low_density_gives_zero_temperature_gap():
    g = 0.3
    kt = 1.1 * bcs.critical_temperature(g, W)
    st_ = bcs.fixed_density_state(1e-12, kt, g, W)
    assert st_.delta == pytest.approx(bcs.delta_zero(g, W), rel=1e-8)
    assert st_.lam > 10 * kt


def test_fixed_density_high_density_normal():
    g = 0.3
    kt = 0.5 * bcs.critical_temperature(g, W)
    n = 50 * float(bcs.qp_density(bcs.delta_zero(g, W), 0.0, kt, W))
    st_ = bcs.fixed_density_state(n, kt, g, W)
    assert st_.delta == 0.0
    assert float(bcs.qp_density(0.0, st_.lam, kt, W)) == pytest.approx(n, rel=1e-8)


@settings(max_examples=25, deadline=None)
@given(
    g=st.floats(0.2, 0.6),
    t_frac=st.floats(0.1, 1.3),
    lam_over_t=st.floats(-1.5, 8.0),
)
def test_fixed_density_round_trip(g, t_frac, lam_over_t):
    """solve_gap at (kT, lam) -> density -> fixed_density_state recovers (Delta, lam)."""
    kt = t_frac * bcs.critical_temperature(g, W)
    lam = lam_over_t * kt
    d = bcs.solve_gap(g, W, kT=kt, lam=lam).delta
    if d == 0.0:
        return
    n = float(bcs.qp_density(d, lam, kt, W))
    st_ = bcs.fixed_density_state(n, kt, g, W, delta_guess=d)
    assert st_.residual < 1e-9
    d0 = bcs.delta_zero(g, W)
    # n depends on Delta through Delta^2 near T_c: Delta^2 is what the density fixes
    assert abs(st_.delta**2 - d**2) <= 1e-7 * d * d + 1e-9 * d0 * d0
    assert st_.lam == pytest.approx(lam, abs=1e-7 * max(kt, abs(lam)))


# ---------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------
@settings(max_examples=20, deadline=None)
@given(g=st.floats(0.15, 2.0), w=st.floats(1.0, 100.0))
def test_gap_decreases_with_temperature(g, w):
    tc = bcs.critical_temperature(g, w)
    d = bcs.equilibrium_gap(np.linspace(0, 1.05, 12) * tc, g, w)
    assert d[0] == pytest.approx(bcs.delta_zero(g, w), rel=1e-12)
    assert np.all(np.diff(d) <= 0)
    assert d[-1] == 0.0
    assert np.all(d[:-2] > 0)


@settings(max_examples=20, deadline=None)
@given(g=st.floats(0.15, 1.0), t_frac=st.floats(0.0, 0.98), x=st.floats(0.0, 2.0))
def test_equilibrium_gap_minimises_free_energy(g, t_frac, x):
    kt = t_frac * bcs.critical_temperature(g, W)
    d = float(bcs.equilibrium_gap(kt, g, W))
    assert float(bcs.free_energy(d, kt, g, W)) <= float(bcs.free_energy(x * d, kt, g, W)) + 1e-12


# ---------------------------------------------------------------------------------------
# errors and layering
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: bcs.delta_zero(-0.3, W), "coupling"),
        (lambda: bcs.delta_zero(0.3, 0.0), "cutoff"),
        (lambda: bcs.critical_temperature(0.0, W), "coupling"),
        (lambda: bcs.solve_gap(0.3, W, kT=-1.0), "kT"),
        (lambda: bcs.solve_gap(0.3, -5.0), "cutoff"),
        (lambda: bcs.equilibrium_gap([1.0, -1.0], 0.3, W), "kT"),
        (lambda: bcs.equilibrium_gap(float("nan"), 0.3, W), "kT"),
        (lambda: bcs.free_energy(-1.0, 1.0, 0.3, W), "delta"),
        (lambda: bcs.qp_density(1.0, float("inf"), 1.0, W), "lam"),
        (lambda: bcs.fixed_density_state(1.0, 0.0, 0.3, W), "kT"),
        (lambda: bcs.fixed_density_state(-1.0, 1.0, 0.3, W), "n_qp"),
        (lambda: bcs.fixed_density_state(200.0, 1.0, 0.3, W), "n_qp"),
    ],
)
def test_bad_input_raises_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_convergence_raises():
    with pytest.raises(ConvergenceError, match="residual"):
        bcs.solve_gap(0.3, W, kT=1.0, max_iter=2)


def test_core_imports_only_numerics():
    code = (
        "import sys, photosc.cores.bcs; "
        "bad = [m for m in ('xarray', 'matplotlib', 'photosc.models') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_cutoff_model_approaches_universal_weak_coupling_gap():
    """Two independent formulations: cutoff gap equation vs cutoff-free ln(Delta0/Delta) form."""
    t = np.array([0.0, 0.2, 0.5, 0.8, 0.95, 0.999, 1.0, 1.2])
    for g, rel in ((0.15, 1e-5), (0.3, 3e-3)):
        tc = bcs.critical_temperature(g, W)
        a = bcs.equilibrium_gap(t * tc, g, W)
        b = bcs.weak_coupling_gap(t * tc, tc)
        np.testing.assert_allclose(a, b, rtol=rel, atol=0)
    tc = 1.0
    near = bcs.weak_coupling_gap(0.9999, tc)
    assert near == pytest.approx(bcs.gap_near_tc(0.9999, tc), rel=3e-4)


def _fixed_density_h(d, log_n, kt, g):
    """Gap-equation residual at fixed density, via the public gap_integral (for brute force)."""
    lam = bcs._lambda_for_density(d, log_n, kt, W, 1e-12)
    occ = bcs.gap_integral(d, W, lambda e: bogoliubov(e, lam, kt), breakpoints=[-lam])
    return g * occ - 1.0


def test_fixed_density_largest_root_against_brute_force():
    g = 0.3
    kt = 0.9 * bcs.critical_temperature(g, W)
    n_th = float(bcs.qp_density(bcs.equilibrium_gap(kt, g, W), 0.0, kt, W))
    d0 = bcs.delta_zero(g, W)
    grid = np.linspace(0.02, 1.0, 120) * d0
    for ratio in (1.2, 1.4):
        log_n = math.log(ratio * n_th)
        h = np.array([_fixed_density_h(d, log_n, kt, g) for d in grid])
        last = np.nonzero(h > 0)[0][-1]  # largest sign change of the brute-force scan
        st_ = bcs.fixed_density_state(ratio * n_th, kt, g, W)
        assert grid[last] <= st_.delta <= grid[last + 1]
        assert st_.residual < 1e-9


def test_fixed_density_collapse_is_discontinuous():
    """Above a critical density the fixed-density solution ceases to exist (saddle-node).

    Just below the collapse h > 0 only in a narrow window, which the root search must find.
    """
    g = 0.3
    kt = 0.9 * bcs.critical_temperature(g, W)
    n_th = float(bcs.qp_density(bcs.equilibrium_gap(kt, g, W), 0.0, kt, W))
    lo, hi = 1.2 * n_th, 1.8 * n_th
    assert bcs.fixed_density_state(lo, kt, g, W).delta > 0
    assert bcs.fixed_density_state(hi, kt, g, W).delta == 0
    for _ in range(22):
        mid = 0.5 * (lo + hi)
        if bcs.fixed_density_state(mid, kt, g, W).delta > 0:
            lo = mid
        else:
            hi = mid
    below = bcs.fixed_density_state(lo, kt, g, W)
    d0 = bcs.delta_zero(g, W)
    assert below.delta > 0.02 * d0  # a finite gap right at the collapse
    assert below.residual < 1e-9
    # saddle-node: at the collapse the root is a double root, at the maximum of h(Delta)
    log_n = math.log(lo)
    near = below.delta * np.linspace(0.8, 1.2, 41)
    h = np.array([_fixed_density_h(d, log_n, kt, g) for d in near])
    assert abs(h.max()) < 1e-6
    assert abs(near[np.argmax(h)] - below.delta) < 0.03 * below.delta
    # above the collapse no Delta solves the gap equation (brute-force scan)
    log_n = math.log(hi * (1 + 1e-3))
    grid = np.linspace(0.02, 1.0, 60) * bcs.delta_zero(g, W)
    assert max(_fixed_density_h(d, log_n, kt, g) for d in grid) < 0


def test_fixed_density_free_energy_stationary_at_state_and_integrates_gap_equation():
    g = 0.3
    kt = 0.9 * bcs.critical_temperature(g, W)
    n_th = float(bcs.qp_density(bcs.equilibrium_gap(kt, g, W), 0.0, kt, W))
    for ratio in (0.5, 1.0):
        n = ratio * n_th
        st_ = bcs.fixed_density_state(n, kt, g, W)
        h = 1e-4 * st_.delta
        f = bcs.fixed_density_free_energy(
            np.array([st_.delta - h, st_.delta, st_.delta + h]), n, kt, g, W
        )
        assert abs(f[2] - f[0]) / (2 * h) < 1e-6
        assert f[2] - 2 * f[1] + f[0] > 0  # a minimum
        assert f[1] < 0  # below the normal state at the same density
        grid = np.linspace(0, 1.0, 21) * bcs.delta_zero(g, W)
        assert np.all(bcs.fixed_density_free_energy(grid, n, kt, g, W) >= f[1] - 1e-12)
    # independent: F_n(Delta) - F_n(0) = int_0^Delta dD 2D (1/g - I(D, lambda(D)))
    n = 0.7 * n_th
    log_n = math.log(n)
    target = 1.5

    def slope(d):
        lam = bcs._lambda_for_density(d, log_n, kt, W, 1e-12)
        integ = bcs.gap_integral(d, W, lambda e: bogoliubov(e, lam, kt), breakpoints=[-lam])
        return 2 * d * (1 / g - integ)

    ref = quad(slope, 1e-9, target, epsabs=1e-11, epsrel=1e-10)[0]
    got = float(bcs.fixed_density_free_energy(target, n, kt, g, W))
    assert got == pytest.approx(ref, rel=1e-7, abs=1e-10)


def test_fixed_density_free_energy_normal_state_stable_above_collapse():
    g = 0.3
    kt = 0.9 * bcs.critical_temperature(g, W)
    n_th = float(bcs.qp_density(bcs.equilibrium_gap(kt, g, W), 0.0, kt, W))
    grid = np.linspace(0.02, 1.0, 25) * bcs.delta_zero(g, W)
    f = bcs.fixed_density_free_energy(grid, 1.6 * n_th, kt, g, W)
    assert np.all(f > 0)
    assert float(bcs.fixed_density_free_energy(0.0, 1.6 * n_th, kt, g, W)) == pytest.approx(
        0.0, abs=1e-12
    )


@settings(max_examples=20, deadline=None)
@given(
    g=st.floats(0.2, 0.6),
    t_frac=st.floats(0.05, 1.2),
    lam_over_t=st.floats(-6.0, -0.1),
)
def test_solve_gap_returns_largest_root_for_excess_quasiparticles(g, t_frac, lam_over_t):
    """lam < 0: several roots are possible; the returned one is the largest (brute force)."""
    kt = t_frac * bcs.critical_temperature(g, W)
    lam = lam_over_t * kt
    sol = bcs.solve_gap(g, W, kT=kt, lam=lam)
    d0 = bcs.delta_zero(g, W)
    one = np.ones(1)
    start = sol.delta + 1e-9 * d0 if sol.delta > 0 else 1e-3 * d0  # beyond the root tolerance
    if start >= d0:
        return
    above = np.linspace(start, d0, 80)
    h = (
        g
        * bcs._bogoliubov_gap_integral(
            above, lam * np.ones_like(above), kt * np.ones_like(above), W * np.ones_like(above)
        )
        - 1.0
    )
    assert np.all(h <= 0)
    if sol.delta > 0:
        assert sol.residual < 1e-9
        assert g * bcs._bogoliubov_gap_integral(one * sol.delta, one * lam, one * kt, one * W)[
            0
        ] == pytest.approx(1.0, abs=1e-9)


def test_equilibrium_gap_broadcasts_over_coupling_and_matches_solve_gap():
    g = np.array([0.2, 0.35, 0.6])[:, None]
    kt = np.linspace(0.0, 4.0, 9)[None, :]
    d = bcs.equilibrium_gap(kt, g, W)
    assert d.shape == (3, 9)
    for i in range(3):
        for j in range(9):
            ref = bcs.solve_gap(float(g[i, 0]), W, kT=float(kt[0, j])).delta
            assert d[i, j] == pytest.approx(ref, rel=1e-9, abs=1e-12)


def test_free_energy_ginzburg_landau_limit():
    g = 0.2
    tc = bcs.critical_temperature(g, W)
    assert -0.5 * bcs.GAP_NEAR_TC_PREFACTOR**2 == pytest.approx(
        -4 * math.pi**2 / (7 * 1.2020569031595942), rel=1e-12
    )
    for eps in (1e-2, 1e-3):
        kt = tc * (1 - eps)
        f = float(bcs.free_energy(bcs.equilibrium_gap(kt, g, W), kt, g, W))
        assert f / float(bcs.condensation_energy_near_tc(kt, tc)) == pytest.approx(1.0, abs=3 * eps)


@pytest.mark.parametrize("g, w", [(0.065, 1.6), (0.07, 0.2), (4.5, 900.0)])
def test_small_and_large_gap_scales(g, w):
    """Tiny Delta(0) (weak coupling, small cutoff) and huge ones: tolerances are relative."""
    tc = bcs.critical_temperature(g, w)
    d0 = bcs.delta_zero(g, w)
    for lam_over_t in (0.0, 5.0, -2.0):
        kt = 0.3 * tc
        sol = bcs.solve_gap(g, w, kT=kt, lam=lam_over_t * kt)
        assert sol.delta > 0 and sol.residual < 1e-9
        ref = quad_gap_integral(sol.delta, lam_over_t * kt, kt, cutoff=w)
        assert g * ref == pytest.approx(1.0, abs=1e-8)
    assert float(bcs.equilibrium_gap(0.3 * tc, g, w)) == pytest.approx(
        bcs.solve_gap(g, w, kT=0.3 * tc).delta, rel=1e-9
    )
    assert 0 < float(bcs.equilibrium_gap(0.3 * tc, g, w)) < d0


def test_solve_gap_gap_dependent_step_with_breakpoints():
    """A non-thermal occupation with a step that moves with the gap (n = 0.3 for E < Delta + 1)."""
    g = 0.3

    def occ(e, d):
        return np.where(e < d + 1.0, 0.3, 0.0)

    sol = bcs.solve_gap(g, W, occ, breakpoints=lambda d: [d + 1.0])

    def ref_h(d):
        step = math.sqrt((d + 1.0) ** 2 - d * d)
        inner = quad(lambda xi: 0.4 / math.hypot(xi, d), 0, step, epsabs=1e-14)[0]
        return g * (inner + math.asinh(W / d) - math.asinh(step / d)) - 1.0

    ref = brentq(ref_h, 0.1, bcs.delta_zero(g, W), xtol=1e-14)
    assert sol.delta == pytest.approx(ref, rel=1e-9)
    assert sol.delta < bcs.delta_zero(g, W)


def test_compiled_log_qp_density_agrees_with_numpy():
    """The compiled log n_qp and its lam-slope (issue 16) agree with the NumPy quadrature
    (same panels and nodes) to round-off, Fermi-step panels (lam < 0) included."""
    from photosc.cores.bcs.thermodynamics import (
        _log_qp_density_and_slope,
        _log_qp_density_and_slope_numpy,
    )

    rng = np.random.default_rng(5)
    for _ in range(400):
        delta = 0.0 if rng.uniform() < 0.1 else 10 ** rng.uniform(-4, 1.5)
        args = (delta, rng.uniform(-60.0, 30.0), 10 ** rng.uniform(-1.5, 1.2), 30.0)
        got, want = _log_qp_density_and_slope(*args), _log_qp_density_and_slope_numpy(*args)
        assert got[0] == pytest.approx(want[0], rel=1e-13)
        assert got[1] == pytest.approx(want[1], rel=1e-10, abs=1e-300)
