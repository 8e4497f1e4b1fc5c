"""Tests of photosc.cores.cavity (paper 004): kernel, J_cav, delta n, GL and BCS gap change.

Energies in units of k_B T_c throughout (paper 004 is dimensionless).
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from photosc.cores import bcs
from photosc.cores import cavity as cv
from photosc.foundation.distributions import bose, fermi

T_QP = 0.95
DELTA = 0.6711611893743216  # BCS Delta(0.95 T_c), nu(0)U = 0.25 (checked below)
SCALE = cv.multimode_prefactor(133.0, 9.17e-5)


def multimode_weight(w0, t_cav, kappa=0.0, t_qp=T_QP, pref=SCALE):
    def w(om):
        return cv.j_multimode(om, w0, kappa, pref) * cv.photon_occupation_change(om, t_cav, t_qp)

    return w


def single_weight(w0, t_cav, kappa, t_qp=T_QP, pref=1e-3):
    def w(om):
        return cv.j_single_mode(om, w0, kappa, pref) * cv.photon_occupation_change(om, t_cav, t_qp)

    return w


def bp_for(w0, kappa):
    if kappa == 0:
        return [w0]
    return [w0 + c * kappa for c in (-8, -3, -1, 0, 1, 3, 8) if w0 + c * kappa > 0]


# --------------------------------------------------------------------------------------
# photon bath
# --------------------------------------------------------------------------------------
def test_spectral_function_normalised():
    val = quad(lambda w: cv.photon_spectral_function(w, 1.3, 0.07), -np.inf, np.inf)[0]
    assert val == pytest.approx(2.0 * math.pi, rel=1e-8)


@pytest.mark.parametrize("kappa", [0.02, 0.3, 3.0])
@pytest.mark.parametrize("om", [0.0, 0.4, 1.45, 1.5, 1.7, 4.0, 40.0])
def test_multimode_lineshape_closed_form_vs_quadrature(om, kappa):
    w0 = 1.5

    def integrand(w):
        return cv.photon_spectral_function(om, w, kappa) * (1.0 + w0**2 / w**2)

    top = max(w0, om) + 200 * kappa + 10.0
    pts = [om] if om > w0 else None
    ref = quad(integrand, w0, top, points=pts, limit=800, epsabs=1e-14, epsrel=1e-12)[0]
    ref += quad(integrand, top, np.inf, limit=200, epsabs=1e-14)[0]
    assert cv.multimode_lineshape(om, w0, kappa) == pytest.approx(ref / (2 * np.pi), rel=1e-7)


def test_multimode_narrow_line_limit():
    w0 = 1.5
    om = np.array([0.5, 1.2, 1.8, 3.0, 10.0])
    narrow = cv.multimode_lineshape(om, w0, 1e-7)
    exact = cv.multimode_lineshape(om, w0, 0.0)
    assert np.allclose(exact, np.where(om > w0, 1 + w0**2 / om**2, 0.0))
    assert np.allclose(narrow, exact, atol=1e-6)


def test_multimode_prefactor_from_mode_sum():
    """Eq. 16 from the modes: 4 pi alpha c D (2/L) int d^2q/(2pi)^2 A/(2 w_q) sum |eps_par|^2.

    Independent of the library's closed form: integrate over the in-plane momentum q with
    the polarisation sum built from the TE and TM standing-wave fields at z = L/2.
    """
    c, alpha, diff, length, kappa = 2.0, 1.0 / 137.0, 0.37, 3.1, 0.05
    w0 = math.pi * c / length
    kz = math.pi / length

    def pol_sum(q):
        # TE: E along z x q (in plane); TM: E in the (q, z) plane, perpendicular to k.
        te = 1.0
        k = math.hypot(q, kz)
        tm = (kz / k) ** 2  # in-plane fraction of the normalised TM field at the antinode
        return te + tm

    def j_direct(om):
        def f(q):
            wq = math.sqrt(w0**2 + c * c * q * q)
            return q / (2 * math.pi) * cv.photon_spectral_function(om, wq, kappa) / (2 * wq)

        q_res = math.sqrt(max(om**2 - w0**2, 0.0)) / c
        pts = [q_res] if q_res > 0 else None
        val = quad(lambda q: f(q) * pol_sum(q), 0, 50 * w0 / c, points=pts, limit=800)[0]
        val += quad(lambda q: f(q) * pol_sum(q), 50 * w0 / c, np.inf, limit=200)[0]
        return 4 * math.pi * alpha * c * diff * (2.0 / length) * val

    pref = cv.multimode_prefactor(1.0, math.pi * alpha * diff / c**2, "derived")
    for om in (0.8 * w0, 1.2 * w0, 2.5 * w0):
        assert j_direct(om) == pytest.approx(cv.j_multimode(om, w0, kappa, pref), rel=1e-6)
    quoted = cv.multimode_prefactor(1.0, 1.0, "quoted")
    assert cv.multimode_prefactor(1.0, 1.0, "derived") / quoted == pytest.approx(4 / math.pi)


def test_single_mode_form():
    w0, k = 1.2, 0.3
    om = np.linspace(0.1, 4, 7)
    j = cv.j_single_mode(om, w0, k, 2.0)
    assert np.allclose(j, 2.0 * w0**2 * 2 * k / ((om - w0) ** 2 + k**2))
    s = cv.single_mode_prefactor(133.0, 9.17e-5)
    assert s == pytest.approx(4 * 133.0 * 9.17e-5 / (math.pi * math.sqrt(3)) ** 3)


def test_photon_occupation_change_matches_bose():
    om = np.geomspace(1e-4, 200.0, 40)
    for tc in (0.0, 0.3, 2.0):
        ref = bose(om, tc) - bose(om, T_QP)
        assert np.allclose(cv.photon_occupation_change(om, tc, T_QP), ref, rtol=1e-12, atol=0)
    assert np.all(cv.photon_occupation_change(om, T_QP, T_QP) == 0.0)


# --------------------------------------------------------------------------------------
# kernel vs golden rule (Eqs. 8-13 -> Eq. 15)
# --------------------------------------------------------------------------------------
def _dos(e, d):
    return 2 * e / math.sqrt(e * e - d * d)


def golden_rule_terms(e, ep, d, kt, jfun, nfun):
    """Eq. 8 after the Fermi-surface average, written out process by process.

    Rates per unit E' for a quasi-particle at E and a partner at E' (Eqs. 8-13): the xi xi'
    terms of Eqs. 12-13 average out, B(w) = J(w) theta(w) is the photon weight, N the
    photon occupation (any function), n the equilibrium quasi-particle occupation.
    Returns (emission E -> E' < E, absorption E -> E' > E, pair) contributions to dn(E)/dt.
    """
    n, n_p = 1 / (math.exp(e / kt) + 1), 1 / (math.exp(ep / kt) + 1)
    rho = _dos(ep, d)
    cs = 0.5 * (1 + d * d / (e * ep))
    cp = 0.5 * (1 - d * d / (e * ep))
    down = up = 0.0
    if ep < e:  # Gamma_{p->p'}: E emits w = E - E'; the reverse brings E' up to E
        w = e - ep
        down = -rho * cs * jfun(w) * (n * (1 - n_p) * (nfun(w) + 1) - (1 - n) * n_p * nfun(w))
    elif ep > e:  # Gamma_{p'->p}: E' emits w = E' - E landing at E; reverse: E absorbs
        w = ep - e
        up = rho * cs * jfun(w) * (n_p * (1 - n) * (nfun(w) + 1) - (1 - n_p) * n * nfun(w))
    w = e + ep  # pair breaking (in) and recombination (out)
    pair = rho * cp * jfun(w) * ((1 - n) * (1 - n_p) * nfun(w) - n * n_p * (nfun(w) + 1))
    return down, up, pair


@pytest.mark.parametrize("w0", [0.5, 1.7, 3.0])
def test_kernel_terms_equal_golden_rule_pointwise(w0):
    """f(Omega,E), f(-Omega,E), -f(-Omega,-E) times J delta N = the Eq. 8 processes."""
    rng = np.random.default_rng(1)
    t_cav = 0.4

    def jfun(w):
        return float(cv.j_multimode(w, w0, 0.2, SCALE))

    def ncav(w):
        return float(bose(w, t_cav))

    def weight(w):
        return jfun(w) * float(cv.photon_occupation_change(w, t_cav, T_QP))

    for _ in range(40):
        e = DELTA + rng.exponential(1.5)
        om = rng.uniform(0.01, 6.0)
        # down: partner E - Omega (if a state), up: E + Omega, pair: Omega - E
        ep_down, ep_up, ep_pair = e - om, e + om, om - e
        f_down = float(cv.kernel_f(om, e, DELTA, T_QP))
        f_up = float(cv.kernel_f(-om, e, DELTA, T_QP))
        f_pair = -float(cv.kernel_f(-om, -e, DELTA, T_QP))
        gr_down = (
            golden_rule_terms(e, ep_down, DELTA, T_QP, jfun, ncav)[0] if ep_down > DELTA else 0
        )
        gr_up = golden_rule_terms(e, ep_up, DELTA, T_QP, jfun, ncav)[1]
        gr_pair = (
            golden_rule_terms(e, ep_pair, DELTA, T_QP, jfun, ncav)[2] if ep_pair > DELTA else 0
        )
        assert weight(om) * f_down == pytest.approx(gr_down, rel=1e-9, abs=1e-15)
        assert weight(om) * f_up == pytest.approx(gr_up, rel=1e-9, abs=1e-15)
        assert weight(om) * f_pair == pytest.approx(gr_pair, rel=1e-9, abs=1e-15)
        k = float(cv.kernel(om, e, DELTA, T_QP))
        assert k == pytest.approx(f_down + f_up + f_pair, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("w0", [0.3, 2.5])
def test_golden_rule_detailed_balance(w0):
    """The full Eq. 8 integrand vanishes term by term for N = n_B(T_qp), at every omega_0."""

    def jfun(w):
        return float(cv.j_multimode(w, w0, 0.1, SCALE))

    def neq(w):
        return float(bose(w, T_QP))

    for e in (DELTA * 1.001, 1.0, 2.3):
        for ep in (DELTA * 1.01, 0.9, 1.7, 4.0):
            terms = golden_rule_terms(e, ep, DELTA, T_QP, jfun, neq)
            assert np.allclose(terms, 0.0, atol=1e-14)


@pytest.mark.parametrize("w0,kappa", [(0.6, 0.0), (2.2, 0.0), (1.4, 0.3)])
def test_distribution_change_equals_golden_rule_integral(w0, kappa):
    """delta n(E)/tau_in from the library = int dE' of the Eq. 8 processes (scipy quad)."""
    t_cav = 0.3

    def jfun(w):
        return float(cv.j_multimode(w, w0, kappa, SCALE))

    def ncav(w):
        return float(bose(w, t_cav))

    energies = np.array([DELTA, DELTA * 1.05, 1.2, w0 + DELTA + 0.1, 3.5])
    lib = cv.distribution_change(
        energies, DELTA, T_QP, multimode_weight(w0, t_cav, kappa),
        omega_max=w0 + 50, breakpoints=bp_for(w0, kappa),
    )  # fmt: skip
    for e, got in zip(energies, lib):
        # E' = Delta cosh u removes the DOS edge singularity; u in [0, 6]
        def integrand(u, e=e):
            ep = DELTA * math.cosh(u)
            jac = DELTA * math.sinh(u)
            if jac == 0.0:
                return 0.0
            return sum(golden_rule_terms(e, ep, DELTA, T_QP, jfun, ncav)) * jac

        brk = [e, e - w0, e + w0, w0 - e] + ([] if kappa == 0 else [e - w0 - kappa, e + w0])
        pts = sorted({math.acosh(b / DELTA) for b in brk if DELTA < b < DELTA * math.cosh(6)})
        ref = quad(integrand, 0, 6.0, points=pts or None, limit=800, epsabs=1e-13)[0]
        assert got == pytest.approx(ref, rel=2e-6, abs=1e-11)


@pytest.mark.parametrize("omega0", [0.2, 0.8, 1.34, 2.0, 3.7])
def test_delta_n_vanishes_at_equal_temperatures(omega0):
    """T_cav = T_qp: delta n = 0 for every omega_0 (multimode and single mode)."""
    e = np.linspace(DELTA, 8.0, 50)
    for weight, bp in (
        (multimode_weight(omega0, T_QP), [omega0]),
        (single_weight(omega0, T_QP, 0.1 * omega0), bp_for(omega0, 0.1 * omega0)),
    ):
        for reading in ("positive", "all"):
            dn = cv.distribution_change(
                e, DELTA, T_QP, weight, omega_max=60.0, breakpoints=bp, omega_integration=reading
            )
            assert np.all(dn == 0.0)


@pytest.mark.parametrize(
    "kind,w0,kappa", [("multi", 2.6, 0.0), ("multi", 1.5, 0.2), ("single", 0.9, 0.09),
                      ("single", 1.0, 10.0)]
)  # fmt: skip
def test_distribution_change_vs_eq14_quadrature(kind, w0, kappa):
    """E'-form panels = Eq. 14 integrated over Omega > 0 with scipy quad."""
    t_cav = 1.7
    if kind == "multi":
        weight = multimode_weight(w0, t_cav, kappa)
    else:
        weight = single_weight(w0, t_cav, kappa)
    energies = np.array([DELTA * 1.0001, 2.0])
    w_max = w0 + 40 * t_cav
    lib = cv.distribution_change(
        energies, DELTA, T_QP, weight, omega_max=w_max, breakpoints=bp_for(w0, kappa)
    )
    for e, got in zip(energies, lib):
        pts = [p for p in (e - DELTA, e + DELTA, w0, w0 - kappa, w0 + kappa) if 0 < p < w_max]
        ref = quad(
            lambda om, e=e: float(weight(om)) * float(cv.kernel(om, e, DELTA, T_QP)),
            0, w_max, points=sorted(set(pts)), limit=1000, epsabs=1e-13, epsrel=1e-10,
        )[0]  # fmt: skip
        assert got == pytest.approx(ref, rel=1e-6, abs=1e-12)


def test_all_reading_is_eq14_over_the_real_line():
    """'all': int_{-oo}^{oo} dOmega W K with W even (J and delta N odd) = 2 x scattering."""
    w0, t_cav = 1.3, 0.3
    weight = multimode_weight(w0, t_cav)
    energies = np.array([DELTA * 1.01, 2.5])
    lib_all = cv.distribution_change(
        energies, DELTA, T_QP, weight, omega_max=50.0, breakpoints=[w0], omega_integration="all"
    )
    for e, got in zip(energies, lib_all):

        def f(om, e=e):
            return float(weight(abs(om))) * float(cv.kernel(om, e, DELTA, T_QP))

        pts = sorted({w0, e - DELTA, e + DELTA})
        pos = quad(f, w0, 50.0, points=[p for p in pts if p > w0], limit=500, epsabs=1e-13)[0]
        neg = quad(f, -50.0, -w0, points=[-p for p in pts if p > w0], limit=500, epsabs=1e-13)[0]
        assert got == pytest.approx(pos + neg, rel=1e-6)
    # scattering doubled, pair once: all - positive = scattering part of positive
    lib_pos = cv.distribution_change(energies, DELTA, T_QP, weight, omega_max=50.0,
                                     breakpoints=[w0])  # fmt: skip
    assert not np.allclose(lib_all, lib_pos)


# --------------------------------------------------------------------------------------
# GL gap change
# --------------------------------------------------------------------------------------
def _omega_panels(edges, n=16):
    x, w = np.polynomial.legendre.leggauss(n)
    e = np.unique(edges)
    h = np.diff(e)[:, None]
    return (e[:-1, None] + 0.5 * h * (x + 1)).ravel(), (0.5 * h * w).ravel()


@pytest.mark.parametrize(
    "w0,t_cav,reading",
    [(0.7, 0.25, "positive"), (2.6, 0.5, "positive"), (1.5, 2.0, "positive"), (1.5, 0.25, "all")],
)
def test_gl_integral_two_routes(w0, t_cav, reading):
    """int dE delta n/sqrt(E^2-Delta^2): delta n first (Eq. 14) vs G(Omega) first (swapped)."""
    weight = multimode_weight(w0, t_cav)
    w_max = w0 + 40 * max(t_cav, T_QP)
    e, w = cv.gap_integral_weights(DELTA, DELTA + w_max, [w0 + DELTA, w0 - DELTA], n_nodes=16)
    dn = cv.distribution_change(
        e, DELTA, T_QP, weight, omega_max=w_max, breakpoints=[w0], omega_integration=reading,
        n_nodes=16,
    )  # fmt: skip
    route_e = float(dn @ w)
    om, wo = _omega_panels(np.r_[np.linspace(w0, w_max, 100), 2 * DELTA].clip(w0))
    g = cv.gap_response(om, DELTA, T_QP, omega_integration=reading)
    route_g = float((weight(om) * g) @ wo)
    assert route_e == pytest.approx(route_g, rel=1e-8)


def test_gap_response_matches_kernel_quadrature():
    for om in (0.3, 1.5):
        ref = quad(
            lambda u, om=om: float(cv.kernel(om, DELTA * math.cosh(u), DELTA, T_QP)), 0, 6.0,
            points=[math.acosh(x / DELTA) for x in (om + DELTA, om - DELTA) if x > DELTA],
            limit=500, epsabs=1e-13,
        )[0]  # fmt: skip
        assert float(cv.gap_response(om, DELTA, T_QP)) == pytest.approx(ref, rel=1e-7)


def test_eq18_is_first_order_solution_of_eq17():
    """Solve Eq. 17 for Delta at fixed I = int dE dn/sqrt(...) and compare with Eq. 18."""
    t = 0.97
    eps = 1 - t
    delta0 = math.sqrt(eps / cv.GL_COEFFICIENT)
    for integral in (1e-5, -3e-5):
        delta = math.sqrt((eps - 2 * integral) / cv.GL_COEFFICIENT)  # Eq. 17, dos_factor 1
        exact = delta / delta0 - 1
        eq18 = float(cv.gl_relative_gap_change(integral, t))
        assert eq18 == pytest.approx(exact, rel=5e-3)
    assert float(cv.gl_relative_gap_change(1e-5, t, 2.0)) == pytest.approx(2 * -1e-5 / eps)


def test_gl_coefficient_consistent_with_bcs():
    """b Delta_0^2 -> (T_c - T)/T_c as T -> T_c (the equilibrium part of Eq. 17)."""
    cutoff = 50.0 / bcs.critical_temperature(0.25, 50.0)
    for t in (0.99, 0.995):
        d = bcs.solve_gap(0.25, cutoff, lambda e, _d, t=t: fermi(e, t), delta_guess=0.2).delta
        assert cv.GL_COEFFICIENT * d * d / (1 - t) == pytest.approx(1.0, abs=3 * (1 - t))


def test_reference_gap_value():
    cutoff = 50.0 / bcs.critical_temperature(0.25, 50.0)
    d = bcs.solve_gap(0.25, cutoff, lambda e, _d: fermi(e, T_QP), delta_guess=0.7).delta
    assert d == pytest.approx(DELTA, rel=1e-7)


@pytest.mark.parametrize("t_cav", [0.25, 2.0])
def test_full_bcs_tends_to_gl(t_cav):
    """Full BCS with n = n_F + delta n[Delta] vs Eq. 18: relative error -> 0 as T_qp -> T_c."""
    coupling = 0.25
    cutoff = 50.0 / bcs.critical_temperature(coupling, 50.0)
    errors = []
    for t in (0.95, 0.99):
        d0 = bcs.solve_gap(coupling, cutoff, lambda e, _d, t=t: fermi(e, t), tol=1e-12,
                           delta_guess=bcs.gap_near_tc(t, 1.0)).delta  # fmt: skip
        w0 = 2.5 * d0
        pref = 1e-3 * (1 - t)  # small perturbation: delta Delta/Delta_0 ~ 1e-3
        weight = multimode_weight(w0, t_cav * t, t_qp=t, pref=pref)
        w_max = w0 + 40 * max(t, t_cav * t)
        e, w = cv.gap_integral_weights(d0, d0 + w_max, [w0 + d0, w0 - d0], n_nodes=16)
        dn = cv.distribution_change(e, d0, t, weight, omega_max=w_max, breakpoints=[w0])
        gl = float(cv.gl_relative_gap_change(dn @ w, t))
        full = cv.solve_cavity_gap(
            coupling, cutoff, t, weight, omega_max=w_max, breakpoints=[w0], delta_guess=d0,
            tol=1e-13,
        )  # fmt: skip
        errors.append(abs(full.delta / d0 - 1 - gl) / abs(gl))
        assert abs(gl) > 1e-5
    # GL is the leading order in (T_c - T)/T_c: the error shrinks ~ linearly (measured:
    # 0.9 % -> 0.17 % cold, 1.1 % -> 0.26 % hot between T_qp = 0.95 and 0.99 T_c)
    assert errors[1] < 0.35 * errors[0]
    assert errors[1] < 0.004


# --------------------------------------------------------------------------------------
# kinks (Fig. 2)
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("ratio", [1.2, 3.5])
def test_kinks_of_delta_n(ratio):
    w0 = ratio * DELTA
    e = DELTA * np.linspace(1.0, ratio + 3.0, 900)
    dn = cv.distribution_change(e, DELTA, T_QP, multimode_weight(w0, 0.5 * T_QP),
                                omega_max=w0 + 40, breakpoints=[w0])  # fmt: skip
    kinks = cv.find_kinks(e, dn, exclude_below=1.1 * DELTA) / DELTA
    step = (ratio + 2.0) / 899
    expected = [ratio + 1.0] if ratio < 2 else [ratio - 1.0, ratio + 1.0]
    assert len(kinks) == len(expected), kinks
    assert np.allclose(kinks, expected, atol=1.5 * step)


def test_find_kinks_on_known_curve():
    x = np.linspace(0, 4, 801)
    y = np.exp(-x) + np.sqrt(np.clip(x - 1.3, 0, None)) - 0.5 * np.abs(x - 2.9)
    assert np.allclose(cv.find_kinks(x, y), [1.3, 2.9], atol=0.006)
    assert cv.find_kinks(x, np.exp(-x)).size == 0


# --------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------
def test_bad_inputs_raise_with_names():
    w = multimode_weight(1.0, 0.5)
    with pytest.raises(ValueError, match="omega_integration"):
        cv.distribution_change([1.0], DELTA, T_QP, w, omega_max=10, omega_integration="half")
    with pytest.raises(ValueError, match="energy must be >= delta"):
        cv.distribution_change([0.5], DELTA, T_QP, w, omega_max=10)
    with pytest.raises(ValueError, match="linewidth"):
        cv.photon_spectral_function(1.0, 1.0, -0.1)
    with pytest.raises(ValueError, match="normalisation"):
        cv.multimode_prefactor(1.0, 1.0, "other")
    with pytest.raises(ValueError, match="t_qp_over_tc"):
        cv.gl_relative_gap_change(0.1, 1.2)
    with pytest.raises(ValueError, match="kT_cav"):
        cv.photon_occupation_change(1.0, -0.1, 1.0)


def test_scattering_conserves_quasiparticle_number():
    """Photons below 2 Delta only scatter: int dE nu_qp(E) delta n(E) = 0 (Eq. 8 structure)."""
    two_d = 2.0 * DELTA

    def weight(om):
        om = np.asarray(om)
        return np.where(om < two_d, om**2 * (two_d - om) ** 2, 0.0) * (1.0 - 0.3 * om)

    top = 40.0
    cuts = [DELTA + two_d, DELTA + 2 * two_d]
    e, w = cv.gap_integral_weights(DELTA, top, cuts, n_nodes=16)
    dn = cv.distribution_change(e, DELTA, T_QP, weight, omega_max=two_d, breakpoints=[two_d])
    number = float((2 * e * dn) @ w)  # int dE nu_qp/nu_F delta n
    scale = float((2 * e * np.abs(dn)) @ w)
    assert scale > 1e-3
    assert abs(number) < 1e-9 * scale
    # photons above 2 Delta also break pairs: the number changes
    dn_pair = cv.distribution_change(
        e, DELTA, T_QP, lambda om: np.exp(-np.asarray(om)), omega_max=top, breakpoints=[two_d]
    )
    assert float((2 * e * dn_pair) @ w) > 1e-3
