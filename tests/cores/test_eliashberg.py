"""Tests of the real-axis Migdal-Eliashberg solver (photosc.cores.eliashberg).

Physics checks: normal-state limits (Z(0) = 1 + lambda, Im Sigma), the BCS limit
2 Delta_0 / k_B T_c -> 3.53, T_c against an independent linearised Eliashberg solver
on the Matsubara axis written here, Pb against experiment, the built-in materials
against paper 001 SI Table 1, and non-thermal inputs.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from eliashberg_helpers import k3c60_solver, matsubara_kernel, pumped_f
from scipy.integrate import quad
from scipy.optimize import brentq

from photosc.cores.eliashberg import (
    EliashbergResult,
    EliashbergSolver,
    OrderParameter,
    _hilbert_weights,
    critical_temperature,
    gap_edge,
    is_superconducting,
    order_parameter,
    rescale_mu_star,
    solve_eliashberg,
    superfluid_weight,
)
from photosc.cores.spectra import Spectrum, builtin
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import bose, fermi
from photosc.foundation.units import KB


# ----------------------------------------------------------------------------- helpers
def gaussian_spectrum(center: float, width: float, lam: float, step: float = 0.01) -> Spectrum:
    w = step * np.arange(int((center + 6 * width) / step) + 2)
    a = 0.5 * w * np.exp(-0.5 * ((w - center) / width) ** 2)
    lam0 = 2 * np.trapezoid(np.where(w > 0, a / np.where(w > 0, w, 1.0), 0.0), w)
    return Spectrum(omega=w, a2f=a * lam / lam0, name="gauss")


def matsubara_tc(omega, a2f, mu_star=0.0, lo=1.0, hi=30.0, cutoff_factor=30.0):
    """Independent T_c (K): where the largest eigenvalue of the linearised Eliashberg
    equations on the Matsubara axis (:func:`eliashberg_helpers.matsubara_kernel`) is 1."""

    def eig(t):
        k = matsubara_kernel(omega, a2f, t, mu_star, cutoff_factor)
        return np.max(np.linalg.eigvals(k).real)

    return brentq(lambda t: eig(t) - 1.0, lo, hi, rtol=1e-6)


@pytest.fixture(scope="module")
def pb_solver():
    s = builtin("Pb")
    return EliashbergSolver(s.omega, s.a2f, s.mu_star)


# ----------------------------------------------------------------------------- kernels
def test_hilbert_weights_exact():
    for s in [-3.0, -0.5, 0.3, 2.0, 7.0]:
        ref = quad(lambda t: 1 - abs(t), -1, 1, weight="cauchy", wvar=s)[0]
        assert -_hilbert_weights(np.array([s]))[0] == pytest.approx(ref, rel=1e-9, abs=1e-12)


def segment_hilbert(x: float, om: np.ndarray, g: np.ndarray) -> float:
    """PV int g / (x - W) dW for piecewise-linear g, segment by segment (closed form).

    On [p, q] with slope s: g(x) ln|(x - p)/(x - q)| - s (q - p), g(x) the segment's
    linear extension; log terms at a node x cancel between neighbours and are dropped.
    """
    p, q = om[:-1], om[1:]
    s = np.diff(g) / np.diff(om)
    gx = g[:-1] + s * (x - p)

    def ln(u):
        a = np.abs(u)
        return np.where(a > 0, np.log(np.where(a > 0, a, 1.0)), 0.0)

    return float(np.sum(gx * (ln(x - p) - ln(x - q)) - s * (q - p)))


def test_hilbert_table_against_segment_formula(pb_solver):
    sol = pb_solver
    h = sol.step
    for k in [-300, -5, 0, 7, 351, 700, 1500]:
        x = k * h
        ref = segment_hilbert(x, sol.phonon_omega, sol._a2f)
        got = sol._ha[k + sol._kmax]
        assert got.real == pytest.approx(ref, rel=1e-9, abs=1e-12)
        ref_im = -np.pi * np.interp(x, sol.phonon_omega, sol._a2f, left=0, right=0)
        assert got.imag == pytest.approx(ref_im, abs=1e-12)


def direct_update(sol: EliashbergSolver, delta, f, zin):
    """O(n^2) evaluation of the same discretised equations (reference for the FFT path).

    N and the weighted pair density come from the solver's cell integrals for Z = zin.
    """
    n, h = sol.n, sol.step
    nd, _, pd = sol._densities(delta, zin)
    ha = sol._ha
    ph = sol.phonon_omega
    nn = sol._nvals
    hn = sol._hilbert(sol._a2f * nn)
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    d = i - j
    e = i + j + 1

    def at(t, k):
        return t[k + sol._kmax]

    t1 = -np.conj(at(hn, -d)) + at(ha, d) + at(hn, d)
    t3 = -np.conj(at(ha, -d)) - at(ha, d)
    t2 = at(hn, e) - np.conj(at(hn, -e)) - np.conj(at(ha, -e))
    t4 = at(ha, e) + np.conj(at(ha, -e))
    zpart = h * ((t1 + t2) @ nd + (t3 + t4) @ (nd * f))
    phi = h * ((t2 - t1) @ pd + (t4 - t3) @ (pd * f))
    phi = phi - sol.mu_star * h * np.sum(pd * (1 - 2 * f) * (sol.omega <= sol.omega_c))
    z = 1 - (zpart + sol._tail) / sol.omega
    del ph
    return phi / z, z


def test_fft_path_equals_direct_sums():
    s = gaussian_spectrum(10.0, 1.0, 1.0, step=0.05)
    sol = EliashbergSolver(s.omega, s.a2f, 0.1, omega_max=60.0, step=0.1)
    kt = 0.3
    f = fermi(sol.omega, kt)
    sol._distributions(None, None, kt)
    rng = np.random.default_rng(1)
    delta = 2.0 + 0.3 * rng.standard_normal(sol.n) + 0.1j * rng.standard_normal(sol.n)
    zin = sol.normal_z(kt) + 0.05j * rng.standard_normal(sol.n)
    d_fft, z_fft, *_ = sol._update(delta, f, zin)
    d_ref, z_ref = direct_update(sol, delta, f, zin)
    np.testing.assert_allclose(z_fft, z_ref, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(d_fft, d_ref, rtol=1e-9, atol=1e-10)


# ----------------------------------------------------------------------------- normal state
@pytest.mark.parametrize("w_top", [30.0, 51.0, 100.0])
def test_normal_state_z0_is_one_plus_lambda_independent_of_cutoff(w_top):
    s = builtin("Pb")
    sol = EliashbergSolver(s.omega, s.a2f, 0.0, omega_max=w_top, step=0.0125)
    z = sol.normal_z(1e-4)
    assert z[0].real == pytest.approx(1 + s.lambda_, rel=2e-5)
    # Im[omega Z] = pi int_0^omega alpha^2F at T = 0 (phonon emission)
    i = np.searchsorted(sol.omega, 7.0)
    x = np.linspace(0.0, sol.omega[i], 20001)
    ref = np.pi * np.trapezoid(s.interpolate(x), x)
    assert (sol.omega[i] * z[i]).imag == pytest.approx(ref, rel=1e-3)


def test_normal_state_above_tc(pb_solver):
    r = pb_solver.solve(kT=KB * 9.0)
    assert r.delta0 == 0.0
    assert np.all(r.delta == 0)
    np.testing.assert_allclose(r.dos, 1.0)


# ----------------------------------------------------------------------------- limits
def test_bcs_limit_ratio():
    """Weak coupling (lambda = 0.3, T_c / omega_E ~ 0.01): 2 Delta_0 / k_B T_c -> 3.53.

    The strong-coupling correction 3.53 [1 + 12.5 (T_c/w)^2 ln(w / 2 T_c)] is +0.5 %
    here (Carbotte, RMP 62, 1027 (1990), Eq. 4.1).
    """
    s = gaussian_spectrum(20.0, 1.0, 0.3)
    sol = EliashbergSolver(s.omega, s.a2f, 0.0, omega_max=100.0, step=0.01)
    tc = sol.critical_temperature()
    r = sol.solve(kT=KB * 0.05 * tc)
    ratio = 2 * r.delta0 / (KB * tc)
    assert ratio == pytest.approx(3.528 * 1.005, abs=0.02)


@pytest.mark.parametrize(
    "name, lo, hi",
    [("Pb", 6.0, 14.0), ("Nb", 8.0, 40.0)],
)
def test_tc_against_matsubara(name, lo, hi):
    s = builtin(name)
    tc_real = critical_temperature(s.omega, s.a2f, 0.0)
    tc_mats = matsubara_tc(s.omega, s.a2f, 0.0, lo=lo, hi=hi)
    assert tc_real == pytest.approx(tc_mats, rel=0.02)
    # in fact much closer than the 2 % asked for
    assert tc_real == pytest.approx(tc_mats, rel=0.005)


@pytest.mark.slow
def test_tc_against_matsubara_with_mu_star():
    """Same comparison with mu* = 0.1 and the same sharp cutoff 30 omega_ph on both axes.

    (At a low cutoff such as 5 omega_ph the two sharp-cutoff conventions differ by
    ~2.5 % in T_c for Pb; Morel-Anderson rescaling, :func:`rescale_mu_star`, is exact
    only for cutoffs far above the phonons.)
    """
    s = builtin("Pb")
    wc = 30 * s.omega_max
    sol = EliashbergSolver(s.omega, s.a2f, 0.1, omega_max=wc, step=0.025)
    tc_real = sol.critical_temperature()
    tc_mats = matsubara_tc(s.omega, s.a2f, 0.1, lo=3.0, hi=12.0, cutoff_factor=30.0)
    assert tc_real == pytest.approx(tc_mats, rel=0.02)


def test_tc_converged_in_grid_step_with_low_frequency_phonons():
    """CaC6 (thermal scattering rate Gamma / Z ~ 0.015 meV << step 0.26 meV at T_c):
    the product-integrated pairing density makes T_c independent of the step (the
    midpoint rule drifted by ~0.3 % per halving)."""
    s = builtin("CaC6")
    coarse = EliashbergSolver(s.omega, s.a2f, s.mu_star)
    fine = EliashbergSolver(
        s.omega, s.a2f, s.mu_star, step=coarse.step / 2, omega_max=coarse.omega_max
    )
    assert coarse.critical_temperature() == pytest.approx(fine.critical_temperature(), rel=2e-4)


def test_pb_tc_and_ratio(pb_solver):
    """Pb: T_c ~ 7.2 K with the documented mu*, 2 Delta_0 / k_B T_c ~ 4.4-4.5."""
    tc = pb_solver.critical_temperature()
    assert tc == pytest.approx(7.2, rel=0.01)
    r = pb_solver.solve(kT=KB * 0.1 * tc)
    ratio = 2 * r.delta0 / (KB * tc)
    assert 4.35 <= ratio <= 4.6, ratio


# ----------------------------------------------------------------------------- behaviour
def test_gap_curve_and_warm_start(pb_solver):
    tc = 7.2
    temps = np.linspace(0.05, 0.97, 8) * tc
    prev = None
    gaps = []
    its_warm = []
    for t in temps:
        r = pb_solver.solve(kT=KB * t, warm_start=prev)
        its_warm.append(r.iterations)
        gaps.append(r.delta0)
        prev = r
    gaps = np.array(gaps)
    # flat at low T (to the 1e-4 meV precision of the edge interpolation), then falling
    assert np.all(np.diff(gaps) < 1e-4)
    assert np.all(np.diff(gaps)[temps[:-1] > 0.3 * tc] < 0)
    cold = pb_solver.solve(kT=KB * temps[-1])
    assert cold.delta0 == pytest.approx(gaps[-1], rel=1e-3)
    assert its_warm[-1] < cold.iterations
    assert cold.delta0 > 0
    assert gaps[-1] < 0.35 * gaps[0]


def test_minus_delta_is_the_same_state_returned_in_one_gauge(pb_solver):
    """Delta -> -Delta solves the equations too (phi -> -phi). A start on the negative
    branch converges there, but the solver returns the positive gauge, so the gap edge
    and the optics see the gap (issue 12: without it LaH10 read Delta_0 = 0 for a state
    with its full equilibrium gap)."""
    from photosc.cores.eliashberg.solver import positive_gauge

    kt = KB * 4.0
    pos = pb_solver.solve(kT=kt)
    neg = pb_solver.solve(kT=kt, warm_start=-pos.delta)
    assert neg.delta0 == pytest.approx(pos.delta0, rel=1e-6)
    assert np.allclose(neg.delta, pos.delta, atol=1e-6 * np.abs(pos.delta).max())
    # the same state to the iteration tolerance (the edge cell, P ~ 3, differs by 2e-4)
    assert np.allclose(neg.pair_density, pos.pair_density, atol=1e-3)
    assert np.allclose(neg.dos, pos.dos, atol=1e-3)
    # on the negative branch the gap edge would read 0: the gauge matters
    from photosc.cores.eliashberg.gap_measures import gap_edge

    assert gap_edge(pos.omega, -pos.delta) == 0.0
    d, p = positive_gauge(pos.omega, -pos.delta, -pos.pair_density)
    assert np.array_equal(d, pos.delta) and np.array_equal(p, pos.pair_density)


@pytest.mark.parametrize("t_over_tc", [0.05, 0.5, 0.9, 0.98])
def test_converges_from_bcs_guess(pb_solver, t_over_tc):
    """Cold start (constant BCS-like guess) converges from 0.05 T_c to T_c."""
    r = pb_solver.solve(kT=KB * 7.2 * t_over_tc)
    assert r.residual < 1e-6
    assert r.delta0 > 0


def test_dos_limits(pb_solver):
    r = pb_solver.solve(kT=KB * 1.0)
    w = r.omega
    assert np.all(np.abs(r.dos[w < 0.8 * r.delta0]) < 1e-2)
    assert np.all(r.dos >= -1e-12)
    assert r.dos[-1] == pytest.approx(1.0, abs=1e-3)
    # gap edge: the DOS peaks at Delta_0
    assert abs(w[np.argmax(r.dos)] - r.delta0) < 3 * pb_solver.step
    assert gap_edge(w, r.delta) == r.delta0


def test_nonthermal_inputs_equal_to_thermal_reproduce_thermal(pb_solver):
    kt = KB * 3.0
    ref = pb_solver.solve(kT=kt)
    f = fermi(pb_solver.omega, kt)
    w = pb_solver.phonon_omega
    n = np.zeros_like(w)
    n[1:] = bose(w[1:], kt)
    r = pb_solver.solve(f=f, n=n, warm_start=ref)
    np.testing.assert_allclose(r.delta, ref.delta, atol=1e-5)
    np.testing.assert_allclose(r.z, ref.z, atol=1e-6)


def test_hot_electrons_or_phonons_reduce_the_gap(pb_solver):
    kt = KB * 2.0
    ref = pb_solver.solve(kT=kt)
    hot_f = pb_solver.solve(f=fermi(pb_solver.omega, KB * 5.0), kT=kt, warm_start=ref)
    w = pb_solver.phonon_omega
    # phonons above T_c (pair-breaking phonons populated) with cold electrons; sub-gap
    # phonons alone change the edge only at the 0.1 % level, of either sign
    n_10 = np.zeros_like(w)
    n_10[1:] = bose(w[1:], KB * 10.0)
    hot_n = pb_solver.solve(n=n_10, kT=kt, warm_start=ref)
    assert hot_f.delta0 < ref.delta0
    assert hot_n.delta0 < 0.99 * ref.delta0
    # damping: Re Delta(omega -> 0) -> 0 below the scattering rate, edge still found
    assert abs(hot_n.delta[0].real) < 0.1 * hot_n.delta0
    n_hot = np.zeros_like(w)
    n_hot[1:] = bose(w[1:], KB * 5.0)
    # both hot: the thermal state at 5 K
    both = pb_solver.solve(f=fermi(pb_solver.omega, KB * 5.0), n=n_hot, warm_start=ref)
    th5 = pb_solver.solve(kT=KB * 5.0, warm_start=ref)
    assert both.delta0 == pytest.approx(th5.delta0, rel=1e-6)


def test_convergence_error_carries_residual(pb_solver):
    with pytest.raises(ConvergenceError, match="residual") as exc:
        pb_solver.solve(kT=KB * 1.0, max_iter=2, eta=pb_solver.eta)
    assert exc.value.residual > 0


def test_bad_inputs_name_the_field(pb_solver):
    with pytest.raises(ValueError, match="f must be given on solver.omega"):
        pb_solver.solve(f=np.ones(10), kT=0.1)
    with pytest.raises(ValueError, match="n must be given on solver.phonon_omega"):
        pb_solver.solve(n=np.ones(10), kT=0.1)
    with pytest.raises(ValueError, match="kT"):
        pb_solver.solve()
    with pytest.raises(ValueError, match="mu_star"):
        EliashbergSolver([0, 1, 2.0], [0, 1, 0.0], -0.1)
    with pytest.raises(ValueError, match="omega_c"):
        EliashbergSolver([0, 1, 2.0], [0, 1, 0.0], 0.1, omega_c=100.0)


def test_convenience_function_matches_class():
    s = builtin("Pb")
    r = solve_eliashberg(s.omega, s.a2f, 2.0, s.mu_star)
    assert isinstance(r, EliashbergResult)
    sol = EliashbergSolver(s.omega, s.a2f, s.mu_star)
    assert sol.solve(kT=KB * 2.0).delta0 == pytest.approx(r.delta0, rel=1e-6)


def test_rescale_mu_star_roundtrip():
    # a lower cutoff renormalises mu* further down: mu*(w) = mu / (1 + mu ln(E / w))
    m = rescale_mu_star(0.1, 1000.0, 100.0)
    assert m == pytest.approx(0.1 / (1 + 0.1 * np.log(10.0)), rel=1e-12)
    assert rescale_mu_star(m, 100.0, 1000.0) == pytest.approx(0.1, rel=1e-12)


def test_core_imports_stay_light():
    code = (
        "import sys, photosc.cores.eliashberg, photosc.cores.spectra;"
        "bad=[m for m in ('xarray','matplotlib','photosc.models') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# SI Table 1 of paper 001 (T_c,0 in K); Al and Nb: experiment
TABLE1_TC = {"Pb": 8.0, "LaH10": 250.0, "K3C60": 15.0, "CaC6": 11.0, "Al": 1.18, "Nb": 9.25}


@pytest.mark.parametrize("name", sorted(TABLE1_TC))
def test_builtin_tc_against_table(name):
    """Each built-in with its documented mu* gives its target T_c (within 1 %), and that
    target is SI Table 1's T_c,0 within 5 %, except Pb: we match the measured 7.2 K,
    10 % below the table's 8 K (the paper's DFT spectrum is not published; ours is built
    on tunnelling data), a documented deviation."""
    s = builtin(name)
    sol = EliashbergSolver(s.omega, s.a2f, s.mu_star)
    assert sol.omega_c == pytest.approx(s.mu_star_cutoff, rel=1e-3)
    tc = sol.critical_temperature()
    assert tc == pytest.approx(s.tc_target_K, rel=0.01)
    if name == "Pb":
        assert s.tc_target_K == 7.2
        assert abs(tc - TABLE1_TC[name]) / TABLE1_TC[name] > 0.05  # known deviation
    else:
        assert tc == pytest.approx(TABLE1_TC[name], rel=0.05)


# ----------------------------------------------------------------------------- issue 12 (a)
@pytest.fixture(scope="module")
def k3c60_grids():
    return {h: k3c60_solver(h) for h in (1.0, 0.5)}


@pytest.mark.parametrize("step", [1.0, 0.5])
def test_small_amplitude_gain_equals_linear_eigenvalue(k3c60_grids, step):
    """Issue 12 (a): on the production grids the non-linear map, applied to a tiny
    multiple of the leading linear eigenvector, multiplies it by the linear eigenvalue
    (within 0.5 %; in fact ~1e-6), for a thermal state at 20 K and a pumped one. With
    Delta frozen per cell and omega' + i eta (the old map) the gain was 2-9 % low
    (20 K thermal: 0.920 against 0.931 at step 0.5; pumped: 0.945 / 0.951 against
    1.033 / 1.034 at steps 1 / 0.5, issue text)."""
    sol = k3c60_grids[step]
    kt = KB * 20.0
    gain, lam = sol.small_amplitude_gain(kT=kt)
    assert lam == pytest.approx(0.931, abs=0.003)
    assert gain == pytest.approx(lam, rel=5e-3)
    assert gain == pytest.approx(lam, rel=1e-4)
    f = pumped_f(sol.omega, kt)
    gain_p, lam_p = sol.small_amplitude_gain(kT=kt, f=f)
    assert lam_p > 1.05  # the pumped normal state at 20 K > T_c0 is Cooper-unstable
    assert gain_p == pytest.approx(lam_p, rel=5e-3)
    assert gain_p == pytest.approx(lam_p, rel=1e-4)


def test_gap_near_tc0_on_production_grids(k3c60_grids):
    """Issue 12 (a): a gap exists at 0.98 T_c0 (the old map found the normal state on the
    0.5 meV grid there, and Delta_0 = 0 already at 14.5 K); on the 1 meV grid the state
    is superconducting with max |Delta| > 1 meV, its gap-edge crossing not resolved."""
    fine = k3c60_grids[0.5]
    tc0 = fine.critical_temperature()
    assert tc0 == pytest.approx(15.0, rel=0.01)
    r = fine.solve(kT=KB * 0.98 * tc0)
    assert r.delta0 > 0.3
    assert np.max(np.abs(r.delta)) > 2.0
    coarse = k3c60_grids[1.0].solve(kT=KB * 0.98 * tc0)
    assert np.max(np.abs(coarse.delta)) > 1.0


def test_gap_near_tc0_converged_in_step(k3c60_grids):
    """Delta_0(14 K) on the 0.5 meV grid within 1.5 % of the 0.25 meV grid (old map:
    0.636 against 0.874 meV, 27 % low)."""
    r_half = k3c60_grids[0.5].solve(kT=KB * 14.0)
    r_quarter = k3c60_solver(0.25).solve(kT=KB * 14.0)
    assert r_half.delta0 == pytest.approx(r_quarter.delta0, rel=0.015)
    assert r_quarter.delta0 == pytest.approx(1.03, rel=0.03)


# ----------------------------------------------------------------------------- issue 12 (c)
@pytest.mark.parametrize("delta, t_kelvin", [(1.0, 1.0), (1.37, 3.5), (2.0, 11.6)])
def test_superfluid_weight_bcs_limit(delta, t_kelvin):
    """Constant real Delta: D_s = pi Delta tanh(Delta / 2 k_B T) (Mattis-Bardeen
    omega sigma_2 / sigma_n at omega -> 0), within 0.2 % at a step Delta / 10 and 1e-4 at
    Delta / 40 (the error, O(h^2), is f interpolated linearly across the gap-edge pole)."""
    kt = KB * t_kelvin
    ref = np.pi * delta * np.tanh(delta / (2 * kt))
    for step, rel in [(delta / 10, 2e-3), (delta / 40, 1e-4)]:
        w = (np.arange(int(200.0 / step)) + 0.5) * step
        got = superfluid_weight(w, np.full(w.size, delta + 0j), fermi(w, kt))
        assert got == pytest.approx(ref, rel=rel)


def test_superfluid_weight_of_a_gapless_damped_gap():
    """Delta(omega) = D omega / (omega + i Gamma): no gap edge (Re Delta < omega), but a
    positive superfluid weight, smaller than that of the undamped gap D; 0 for Delta = 0."""
    w = (np.arange(8000) + 0.5) * 0.025
    d = 1.0 * w / (w + 2.0j)
    f = fermi(w, KB * 2.0)
    assert gap_edge(w, d) == 0.0
    ds = superfluid_weight(w, d, f)
    assert 0.05 < ds < superfluid_weight(w, np.full(w.size, 1.0 + 0j), f)
    assert superfluid_weight(w, np.zeros(w.size, complex), f) == 0.0


def test_order_parameter_classifies_gapless_superconductivity(k3c60_grids):
    """K3C60 at 0.98 T_c0 on the 1 meV grid: no resolved gap edge (Delta_0 = 0) but
    |Delta| up to > 1 meV, a DOS dip at E_F and a positive superfluid weight:
    "gapless", not normal (issue 12 (c)); 10 K "gapped"; 16 K "normal"."""
    sol = k3c60_grids[1.0]
    kt = KB * 0.98 * 15.0
    f = sol.thermal_f(kt)
    r = sol.solve(kT=kt)
    op = order_parameter(r, f)
    assert isinstance(op, OrderParameter)
    assert op.delta0 == 0.0
    assert op.delta_max > 1.0 > 4 * r.eta
    assert op.dos_ef < 0.95
    assert op.superfluid_weight > 0.05
    assert op.delta_low > 0
    assert is_superconducting(op) == "gapless"
    assert is_superconducting(r) == "gapless"
    cold = sol.solve(kT=KB * 10.0)
    op_cold = order_parameter(cold, sol.thermal_f(KB * 10.0))
    assert is_superconducting(op_cold) == "gapped"
    assert op_cold.superfluid_weight > 10 * op.superfluid_weight
    assert op_cold.dos_ef < 0.1
    hot = sol.solve(kT=KB * 16.0)
    op_hot = order_parameter(hot, sol.thermal_f(KB * 16.0))
    assert is_superconducting(op_hot) == "normal"
    assert op_hot.superfluid_weight == 0.0
    assert op_hot.dos_ef == 1.0
    assert is_superconducting(op, min_delta=10.0) == "normal"


def test_eliashberg_gap_warm_starts_a_gapless_state(k3c60_grids):
    """kinetics EliashbergGap: after a gapless superconducting solve the next solve is
    warm-started from it (before: Delta_0 = 0 was taken for the normal state)."""
    from photosc.cores.kinetics.gap import EliashbergGap
    from photosc.cores.kinetics.grid import KineticGrid

    sol = k3c60_grids[1.0]
    kt = KB * 0.98 * 15.0
    gapless = sol.solve(kT=kt)
    assert is_superconducting(gapless) == "gapless"
    seen = []

    class Recording:
        step = sol.step
        n = sol.n
        omega = sol.omega
        phonon_omega = sol.phonon_omega

        def solve(self, **kw):
            seen.append(kw.get("warm_start"))
            return sol.solve(**kw)

    gap = EliashbergGap(Recording(), kT_phonon=kt, bath_index=None)
    gap.last = gapless
    grid = KineticGrid(step=sol.step, n_qp=200, n_boson=sol.phonon_omega.size)
    coh = gap(grid, sol.thermal_f(kt)[:200], [], previous=object())
    assert seen[-1] is gapless
    assert coh.delta0 == 0.0


# ----------------------------------------------------------------------------- issue 16
# speed: the fused map (2n embedding, batched FFTs, compiled products) against the
# previous code (kernel_path="reference"); robustness: stall detection, joint (Delta, Z)
# Anderson and continuation in eta against the previous rule (scheme="delta")
def _pumped_n(sol, kt):
    w = sol.phonon_omega
    n = sol.thermal_n(kt)
    top = sol.omega_ph_max
    n[1:] += 0.05 * np.exp(-(((w[1:] - 0.5 * top) / (0.05 * top)) ** 2))
    return n


@pytest.mark.parametrize("name", ["Pb", "K3C60", "LaH10"])
def test_fused_map_equals_reference_map(name):
    """One evaluation of the map: the fused path equals the previous one to round-off
    (1e-12 relative) for a random complex Delta and Z, thermal and non-thermal f, n."""
    s = builtin(name)
    new = EliashbergSolver(s.omega, s.a2f, s.mu_star)
    old = EliashbergSolver(s.omega, s.a2f, s.mu_star, kernel_path="reference")
    assert new._nfft < old._nfft  # the 2n embedding
    rng = np.random.default_rng(3)
    scale = 0.2 * new.omega_ph_max
    delta = scale * (1 + 0.3 * rng.standard_normal(new.n) + 0.2j * rng.standard_normal(new.n))
    kt = KB * 0.3 * s.tc_target_K
    for f, n in [(None, None), (pumped_f(new.omega, kt), _pumped_n(new, kt))]:
        ff_new = new._distributions(f, n, kt)
        ff_old = old._distributions(f, n, kt)
        z = new._zn_current(ff_new) + 0.05j * rng.standard_normal(new.n)
        d1, z1, n1, p1 = new._update(delta, ff_new, z)
        d0, z0, n0, p0 = old._update(delta, ff_old, z)
        assert np.array_equal(n1, n0) and np.array_equal(p1, p0)
        np.testing.assert_allclose(z1, z0, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(d1, d0, rtol=1e-12, atol=1e-12 * np.max(np.abs(d0)))


@pytest.mark.parametrize(
    "name, temps", [("Pb", (1.0, 5.0)), ("K3C60", (4.0, 12.0)), ("LaH10", (30.0, 200.0))]
)
def test_fused_solve_equals_reference_solve(name, temps):
    """Solutions through the fused map agree with the previous code (same lagged scheme)
    to the solver tolerance on Delta(omega), Z(omega) and Delta_0, thermal and with a
    pumped (non-thermal) f, at two temperatures."""
    s = builtin(name)
    new = EliashbergSolver(s.omega, s.a2f, s.mu_star)
    old = EliashbergSolver(s.omega, s.a2f, s.mu_star, kernel_path="reference")
    tol = 1e-6
    for t in temps:
        kt = KB * t
        for f in (None, pumped_f(new.omega, kt)):
            a = new.solve(kT=kt, f=f, scheme="delta", tol=tol)
            b = old.solve(kT=kt, f=f, scheme="delta", tol=tol)
            amp = np.max(np.abs(b.delta))
            assert a.eta == b.eta
            assert np.max(np.abs(a.delta - b.delta)) <= 10 * tol * amp
            assert np.max(np.abs(a.z - b.z)) <= 10 * tol * np.max(np.abs(b.z))
            assert abs(a.delta0 - b.delta0) <= 10 * tol * amp + 1e-9


@pytest.mark.parametrize("name, t", [("Pb", 1.0), ("Pb", 5.0), ("K3C60", 8.0), ("LaH10", 12.5)])
def test_auto_scheme_is_the_previous_scheme_where_that_converged(name, t):
    """Where the lagged scheme converges at eta, the default (auto) returns its result
    bit for bit (the validation records do not move)."""
    s = builtin(name)
    sol = EliashbergSolver(s.omega, s.a2f, s.mu_star)
    a = sol.solve(kT=KB * t)
    b = sol.solve(kT=KB * t, scheme="delta")
    assert a.eta == b.eta == sol.eta
    assert np.array_equal(a.delta, b.delta) and np.array_equal(a.z, b.z)
    assert a.delta0 == b.delta0


@pytest.mark.parametrize(
    "name, t, eta_max",
    [("LaH10", 50.0, 1.0), ("LaH10", 100.0, 1.0), ("LaH10", 150.0, 1.0), ("Pb", 2.9, 2.0)],
)
def test_stalled_cases_converge_at_the_smallest_broadening(name, t, eta_max):
    """The cases that failed 400 iterations at eta = step / 8 on the default grids (and
    were retried at 4 eta: issue 16) converge with the joint (Delta, Z) iteration at eta
    (LaH10) or by continuation at 2 eta (Pb at 2.9 K, where the lagged and the joint
    iteration wander at a residual ~1e-4: the gap-edge singularity seen through the end
    of the phonon spectrum at omega = Omega_max + Delta_0); the gap edge is that of the
    old 4-eta result within the bias 0.6 x (4 - eta_max) eta plus a grid step."""
    s = builtin(name)
    sol = EliashbergSolver(s.omega, s.a2f, s.mu_star)
    with pytest.raises(ConvergenceError):
        sol.solve(kT=KB * t, eta=sol.eta, scheme="delta")
    new = sol.solve(kT=KB * t)
    old = sol.solve(kT=KB * t, scheme="delta")
    assert old.eta == 4 * sol.eta
    assert new.residual < 1e-6
    assert new.eta <= eta_max * sol.eta
    assert abs(new.delta0 - old.delta0) <= 0.6 * (4 - eta_max) * sol.eta + sol.step


def test_scheme_and_kernel_path_are_checked(pb_solver):
    with pytest.raises(ValueError, match="scheme must be"):
        pb_solver.solve(kT=0.1, scheme="newton")
    s = builtin("Pb")
    with pytest.raises(ValueError, match="kernel_path must be one of"):
        EliashbergSolver(s.omega, s.a2f, s.mu_star, kernel_path="fast")


def test_fused_linearised_operator_and_normal_z_equal_reference():
    """The batched products of ``_apply`` (linearised operator, Z_N) equal the previous
    code to round-off on the production K3C60 grid with a pumped f."""
    sols = [k3c60_solver(0.5)]
    s = builtin("K3C60")
    ref = sols[0]
    sols.append(
        EliashbergSolver(
            s.omega,
            s.a2f,
            s.mu_star,
            omega_max=ref.omega_max,
            step=0.5,
            omega_c=ref.omega_c,
            kernel_path="reference",
        )
    )
    kt = KB * 20.0
    f = pumped_f(ref.omega, kt)
    v = np.random.default_rng(5).standard_normal(2 * ref.n)
    new_op, old_op = (sol.linearized_operator(kT=kt, f=f) for sol in sols)
    y_new, y_old = new_op(v), old_op(v)
    np.testing.assert_allclose(y_new, y_old, rtol=0, atol=1e-12 * np.max(np.abs(y_old)))
    z_new, z_old = (sol.normal_z(kT=kt, f=f) for sol in sols)
    np.testing.assert_allclose(z_new, z_old, rtol=1e-12)
