"""Conductivity: Mattis-Bardeen limits and sum rule, Nam -> Mattis-Bardeen / Drude, references."""

from __future__ import annotations

import math

import numpy as np
import pytest

from photosc.cores import optics as cd
from photosc.cores.optics.reference import mattis_bardeen_quad
from photosc.foundation.distributions import bogoliubov, fermi

DELTA = 1.3  # meV, an arbitrary gap (not 1, so that a missing Delta factor shows)


def occ_bog(kT, lam):
    return lambda e: bogoliubov(e, lam, kT)


# ---------------------------------------------------------------------------------------
# Mattis-Bardeen
# ---------------------------------------------------------------------------------------
def test_mb_zero_temperature_matches_elliptic_closed_forms():
    w = DELTA * np.array([0.01, 0.3, 1.0, 1.9, 1.999, 2.001, 2.2, 3.0, 5.0, 20.0, 300.0])
    num = cd.mattis_bardeen(w, DELTA, cd.thermal_occupation(0.0), energy_max=10 * DELTA)
    ana = cd.mattis_bardeen_zero_temperature(w, DELTA)
    below = w < 2 * DELTA
    assert np.all(num.real[below] == 0.0)  # no absorption below 2 Delta at T = 0
    assert np.all(ana.real[below] == 0.0)
    np.testing.assert_allclose(num.real, ana.real, rtol=0, atol=1e-10)
    np.testing.assert_allclose(num.imag, ana.imag, rtol=1e-10)
    # sigma_2(2 Delta) = E(1) = 1 exactly (K(1) diverges, multiplied by 0)
    assert cd.mattis_bardeen_zero_temperature(2 * DELTA, DELTA).imag[0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kT", "lam"),
    [(0.05, 0.0), (0.3, 0.0), (1.0, 0.0), (0.25, -0.6), (0.25, 1.2)],
    ids=["cold", "warm", "hot", "excess-qp", "depleted"],
)
def test_mb_matches_quad_reference_thermal_and_nonthermal(kT, lam):
    """Vectorised substitution quadrature vs adaptive QUADPACK with algebraic weights."""
    occ = occ_bog(kT * DELTA, lam * DELTA)
    w = DELTA * np.array([0.004, 0.05, 0.7, 1.95, 2.03, 2.6, 6.0, 25.0])
    emax = DELTA * (1 + 25 + 60 * kT + 2 * abs(lam))
    num = cd.mattis_bardeen(w, DELTA, occ, energy_max=emax)
    ref = np.array([mattis_bardeen_quad(x, DELTA, occ, energy_max=emax) for x in w])
    np.testing.assert_allclose(num.real, ref.real, rtol=1e-8, atol=1e-11)
    np.testing.assert_allclose(num.imag, ref.imag, rtol=1e-8)


def test_mb_far_above_gap_tends_to_normal_state():
    w = DELTA * np.array([1e2, 1e3, 1e4])
    s = cd.mattis_bardeen(w, DELTA, cd.thermal_occupation(0.4 * DELTA), energy_max=2e4 * DELTA)
    dev = 1.0 - s.real
    # asymptote 1 - sigma_1/sigma_N ~ 2.3 (Delta/w)^2 ln(w/Delta) (seen from the T=0 forms)
    x = w / DELTA
    assert np.all(dev > 0) and np.all(dev < 3.0 * np.log(x) / x**2)
    assert np.all(np.diff(dev) < 0)  # monotone approach
    assert np.all(s.imag < 4 * DELTA / w)  # sigma_2 -> 0 as well


@pytest.mark.parametrize("t_over_delta", [0.0, 0.2, 0.5, 1.5])
def test_mb_low_frequency_sigma2_limit(t_over_delta):
    kT = t_over_delta * DELTA
    w = DELTA * np.array([1e-5, 1e-4])
    emax = DELTA * (2 + 60 * t_over_delta)
    occ = cd.thermal_occupation(kT)
    s = cd.mattis_bardeen(w, DELTA, occ, energy_max=emax)
    lim = cd.mattis_bardeen_sigma2_low_frequency(w, DELTA, kT)
    # corrections are O(w ln w / Delta)
    np.testing.assert_allclose(s.imag, lim, rtol=2e-3)
    assert abs(s.imag[0] / lim[0] - 1) < abs(s.imag[1] / lim[1] - 1) + 1e-12


@pytest.mark.parametrize("t_over_delta", [0.0, 0.3, 0.6])
def test_mb_ferrell_glover_tinkham_sum_rule(t_over_delta):
    kT = t_over_delta * DELTA
    w = DELTA * np.geomspace(1e-5, 100.0, 600)
    occ = cd.thermal_occupation(kT)
    s = cd.mattis_bardeen(w, DELTA, occ, energy_max=w[-1] + DELTA * (2 + 60 * t_over_delta))
    weight = w[0] * s.imag[0]  # superfluid weight read from sigma_2
    ratio = cd.fgt_sum_rule_ratio(w, s.real, weight)
    assert ratio == pytest.approx(1.0, abs=5e-4)
    # without the extrapolated tail the truncated area is short by ~ 2.3 ln(W)/W Delta
    short = cd.fgt_sum_rule_ratio(w, s.real, weight, tail=False)
    assert 0.96 < short < 0.99


def test_mb_sum_rule_fails_for_wrong_superfluid_weight():
    w = DELTA * np.geomspace(1e-5, 100.0, 600)
    s = cd.mattis_bardeen(w, DELTA, cd.thermal_occupation(0.0), energy_max=w[-1] + 2 * DELTA)
    assert abs(cd.fgt_sum_rule_ratio(w, s.real, 0.9 * w[0] * s.imag[0]) - 1) > 0.1


def test_mb_zero_gap_is_normal_state():
    s = cd.mattis_bardeen([0.1, 5.0], 0.0, cd.thermal_occupation(0.1), energy_max=1.0)
    np.testing.assert_array_equal(s, [1.0 + 0j, 1.0 + 0j])


def test_mb_tabulated_thermal_occupation_equals_thermal():
    """A thermal f handed over as a table (as the kinetics core does) gives equilibrium."""
    kT = 0.35 * DELTA
    e = np.linspace(DELTA, 40 * DELTA, 20001)
    tab = cd.tabulated_occupation(e, fermi(e, kT))
    w = DELTA * np.array([0.1, 1.0, 2.5, 8.0])
    a = cd.mattis_bardeen(w, DELTA, tab, energy_max=39 * DELTA)
    b = cd.mattis_bardeen(w, DELTA, cd.thermal_occupation(kT), energy_max=39 * DELTA)
    np.testing.assert_allclose(a, b, rtol=1e-6)


def test_mb_excess_quasiparticles_reduce_sigma2_and_add_subgap_absorption():
    w = DELTA * np.array([0.2, 1.0])
    eq = cd.mattis_bardeen(w, DELTA, cd.thermal_occupation(0.1 * DELTA), energy_max=20 * DELTA)
    ex = cd.mattis_bardeen(w, DELTA, occ_bog(0.1 * DELTA, -0.8 * DELTA), energy_max=20 * DELTA)
    assert np.all(ex.real > eq.real) and np.all(ex.imag < eq.imag)


# ---------------------------------------------------------------------------------------
# Nam / Kubo
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kT", [0.0, 0.4])
def test_nam_reduces_to_mattis_bardeen_in_dirty_limit(kT):
    occ = cd.thermal_occupation(kT * DELTA)
    w = DELTA * np.array([0.1, 1.0, 1.9, 2.05, 3.0, 10.0])
    mb = cd.mattis_bardeen(w, DELTA, occ, energy_max=DELTA * (12 + 60 * kT))
    errs1, errs2 = [], []
    for gamma in (1e3, 1e4, 1e5):
        nam = cd.nam_conductivity(
            w, cd.bcs_gap_function(DELTA), occ, gamma * DELTA, energy_max=1e6 * DELTA
        )
        errs1.append(np.max(np.abs(nam.real - mb.real)))
        # the normal-state inductive part w/Gamma of the Drude response is not in MB
        errs2.append(np.max(np.abs((nam.imag - w / (gamma * DELTA)) / mb.imag - 1)))
    # finite-Gamma corrections: ~ (Delta/Gamma)^2 for sigma_1, ~ (Delta/Gamma) ln for sigma_2
    assert errs1[-1] < 1e-8 and errs2[-1] < 2e-3
    assert all(a > 5 * b for a, b in zip(errs1[:-1], errs1[1:]))
    assert all(a > 5 * b for a, b in zip(errs2[:-1], errs2[1:]))


@pytest.mark.parametrize(("gamma", "kT"), [(0.3, 0.0), (5.0, 0.2), (50.0, 1.0)])
def test_nam_normal_state_is_drude(gamma, kT):
    w = np.array([0.01, 0.3, 1.0, 7.0, 60.0])
    nam = cd.nam_conductivity(
        w, cd.bcs_gap_function(0.0), cd.thermal_occupation(kT), gamma, energy_max=500.0
    )
    np.testing.assert_allclose(nam, cd.drude(w, gamma), rtol=1e-10)


def test_nam_mass_renormalised_drude_for_constant_z():
    """Delta = 0, Z = 1 + lambda: sigma = sigma_0 Gamma / (Gamma - i Z w)."""
    lam, gamma = 0.8, 2.0
    e = np.array([0.0, 1e3])
    gapf = cd.tabulated_gap_function(e, [0.0, 0.0], [1 + lam, 1 + lam])
    w = np.array([0.05, 1.0, 4.0])
    nam = cd.nam_conductivity(w, gapf, cd.thermal_occupation(0.1), gamma, energy_max=900.0)
    np.testing.assert_allclose(nam, gamma / (gamma - 1j * (1 + lam) * w), rtol=1e-10)


@pytest.mark.parametrize(("gamma", "kT"), [(2.0, 0.0), (10.0, 0.3), (0.5, 0.3)])
def test_nam_ferrell_glover_tinkham_at_finite_mean_free_path(gamma, kT):
    """Missing Drude weight = superfluid weight read from sigma_2, at any Gamma."""
    w = DELTA * np.geomspace(1e-4, 2e3, 500)
    occ = cd.thermal_occupation(kT * DELTA)
    s = cd.nam_conductivity(
        w, cd.bcs_gap_function(DELTA), occ, gamma * DELTA, energy_max=1e5 * DELTA, n_quad=64
    )
    y = cd.drude(w, gamma * DELTA).real - s.real
    area = w[0] * y[0] + np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(w))
    assert area / (0.5 * math.pi * w[0] * s.imag[0]) == pytest.approx(1.0, abs=5e-4)
    assert np.all(s.real > -1e-12)


def test_nam_tabulated_bcs_gap_equals_constant_gap():
    e = np.linspace(0.0, 200.0, 5)
    tab = cd.tabulated_gap_function(e, np.full(5, DELTA), np.ones(5))
    assert tab.edge == pytest.approx(DELTA, abs=50.0)  # coarse table: first point >= Re Delta
    tab = tab._replace(edge=DELTA)
    w = np.array([0.5, 3.0])
    occ = cd.thermal_occupation(0.2)
    a = cd.nam_conductivity(w, tab, occ, 20.0, energy_max=150.0)
    b = cd.nam_conductivity(w, cd.bcs_gap_function(DELTA), occ, 20.0, energy_max=150.0)
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_nam_dynes_broadened_gap():
    """Dynes broadening eps -> eps + i Gamma_D (Z = 1 + i Gamma_D/eps, Delta(eps) = Delta/Z).

    sigma_1 > 0 everywhere, sub-gap absorption at T = 0 appears, and Gamma_D -> 0 gives
    back the sharp BCS gap.
    """
    e = np.concatenate([[0.0], np.geomspace(1e-6, 400.0, 20000)])
    w = DELTA * np.array([0.1, 1.0, 2.5, 10.0])
    occ = cd.thermal_occupation(0.0)
    bcs = cd.nam_conductivity(w, cd.bcs_gap_function(DELTA), occ, 30.0, energy_max=390.0)
    devs, sub = [], []
    for gd in (0.02, 0.002):
        z = 1.0 + 1j * gd * DELTA / np.maximum(e, 1e-9)
        gapf = cd.tabulated_gap_function(e, DELTA / z, z, edge=DELTA)
        s = cd.nam_conductivity(w, gapf, occ, 30.0, energy_max=390.0)
        assert np.all(np.isfinite(s)) and np.all(s.real > 0) and np.all(s.imag > 0)
        sub.append(s.real[:2])  # absorption below 2 Delta at T = 0 (0 for sharp BCS)
        devs.append(np.max(np.abs(s - bcs) / np.abs(bcs)))
    assert np.all(bcs.real[:2] == 0.0)
    assert np.all(sub[0] > sub[1]) and np.all(sub[1] > 0)
    assert devs[1] < 0.3 * devs[0] and devs[1] < 0.02


# ---------------------------------------------------------------------------------------
# input errors
# ---------------------------------------------------------------------------------------
def test_bad_inputs_raise_with_names():
    occ = cd.thermal_occupation(0.1)
    with pytest.raises(ValueError, match="omega"):
        cd.mattis_bardeen([-1.0], DELTA, occ, energy_max=10.0)
    with pytest.raises(ValueError, match="delta"):
        cd.mattis_bardeen([1.0], -DELTA, occ, energy_max=10.0)
    with pytest.raises(ValueError, match="energy_max"):
        cd.mattis_bardeen([1.0], DELTA, occ, energy_max=0.5 * DELTA)
    with pytest.raises(ValueError, match="too low"):
        cd.mattis_bardeen([1.0], DELTA, cd.thermal_occupation(DELTA), energy_max=5 * DELTA)
    with pytest.raises(ValueError, match="too low"):
        cd.nam_conductivity(
            [1.0], cd.bcs_gap_function(DELTA), cd.thermal_occupation(DELTA), 5.0, energy_max=5.0
        )
    with pytest.raises(ValueError, match="n_quad"):
        cd.mattis_bardeen([1.0], DELTA, occ, energy_max=10.0, n_quad=3)
    with pytest.raises(ValueError, match="shape"):
        cd.mattis_bardeen([1.0], DELTA, lambda e: np.zeros(3), energy_max=10.0)
    with pytest.raises(ValueError, match="non-finite"):
        cd.mattis_bardeen([1.0], DELTA, lambda e: np.full(e.shape, np.nan), energy_max=10.0)
    with pytest.raises(ValueError, match="scattering_rate"):
        cd.nam_conductivity([1.0], cd.bcs_gap_function(DELTA), occ, 0.0, energy_max=10.0)
    with pytest.raises(ValueError, match="kT"):
        cd.thermal_occupation(-1.0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        cd.tabulated_occupation([1.0, 2.0], [0.5, 1.5])
    with pytest.raises(ValueError, match="increasing"):
        cd.tabulated_occupation([2.0, 1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match="superfluid_weight"):
        cd.fgt_sum_rule_ratio([1.0, 2.0, 3.0], [0.0, 0.0, 0.5], 0.0)


@pytest.mark.parametrize("uniform", [True, False])
def test_mb_batch_equals_single_calls(uniform):
    """The batched form (all time steps of a run at once) equals one call per state."""
    e = (np.arange(1500) + 0.5) * 0.04
    if not uniform:
        e = np.concatenate([e[:200], e[200::3]])
    lams = [0.0, -0.3, 0.0, 0.4]
    deltas = np.array([DELTA, 0.9 * DELTA, 0.0, 1.1 * DELTA])
    occ = np.stack([bogoliubov(e, lam, 0.3) for lam in lams])
    w = DELTA * np.array([0.3, 1.9, 2.6, 6.0])
    batch = cd.mattis_bardeen_batch(w, deltas, e, occ, energy_max=58.0, n_quad=64)
    for k in range(len(lams)):
        one = cd.mattis_bardeen(
            w, deltas[k], cd.tabulated_occupation(e, occ[k]), energy_max=58.0, n_quad=64
        )
        np.testing.assert_allclose(batch[k], one, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(batch[2], 1.0 + 0j)
    with pytest.raises(ValueError, match="shape"):
        cd.mattis_bardeen_batch(w, deltas, e, occ[:2], energy_max=58.0)
    with pytest.raises(ValueError, match="too low"):
        cd.mattis_bardeen_batch(w, deltas, e, occ, energy_max=3.0)


def step_occupation(e):
    """Thermal tail plus plateaus with sharp edges (a pumped, not yet relaxed n(E))."""
    e = np.asarray(e, dtype=float)
    plateau = np.where((e > 20.0) & (e < 31.0), 0.01, 0.0) + np.where((e > 8) & (e < 9.5), 3e-3, 0)
    return bogoliubov(e, 0.0, 0.35) + plateau


STEPS = (8.0, 9.5, 20.0, 31.0)


def test_mb_breakpoints_make_step_distributions_exact():
    w = np.array([0.5, 2.0, 2.8, 5.0, 10.0, 25.0])
    fast = cd.mattis_bardeen(
        w, DELTA, step_occupation, energy_max=59.0, n_quad=48, breakpoints=STEPS
    )
    ref = [
        mattis_bardeen_quad(x, DELTA, step_occupation, energy_max=59.0, breakpoints=STEPS)
        for x in w
    ]
    np.testing.assert_allclose(fast, ref, rtol=1e-9)
    # without the panel edges the steps converge slowly: the option is needed
    plain = cd.mattis_bardeen(w, DELTA, step_occupation, energy_max=59.0, n_quad=64)
    assert np.max(np.abs(plain / fast - 1)) > 1e-3


def test_mb_batch_with_breakpoints():
    e = (np.arange(3000) + 0.5) * 0.02
    occ = np.stack([step_occupation(e), bogoliubov(e, 0.0, 0.35)])
    w = np.array([0.5, 3.0, 12.0])
    batch = cd.mattis_bardeen_batch(
        w, [DELTA, DELTA], e, occ, energy_max=59.0, n_quad=32, breakpoints=STEPS
    )
    one = cd.mattis_bardeen(
        w, DELTA, cd.tabulated_occupation(e, occ[0]), energy_max=59.0, n_quad=32, breakpoints=STEPS
    )
    np.testing.assert_allclose(batch[0], one, rtol=1e-13)


def test_nam_with_step_distribution_reduces_to_mattis_bardeen():
    """Non-thermal n(E) with steps: Nam (dirty limit) = Mattis-Bardeen, both with panels."""
    w = np.array([0.5, 2.0, 2.8, 5.0, 10.0, 25.0])
    mb = cd.mattis_bardeen(w, DELTA, step_occupation, energy_max=59.0, n_quad=48, breakpoints=STEPS)
    nam = cd.nam_conductivity(
        w,
        cd.bcs_gap_function(DELTA),
        step_occupation,
        1e5 * DELTA,
        energy_max=1e6 * DELTA,
        n_quad=48,
        breakpoints=STEPS,
    )
    np.testing.assert_allclose(nam.real, mb.real, rtol=1e-7)


def test_nam_kramers_kronig_at_finite_mean_free_path():
    """sigma_2 of the Nam form = D/w - (2w/pi) P int sigma_1(x)/(x^2 - w^2) dx (T = 0)."""
    d, gamma = 1.0, 2.0
    gap, occ = cd.bcs_gap_function(d), cd.thermal_occupation(0.0)
    x_max = 2e3
    u = np.linspace(0.0, np.sqrt(x_max - 2 * d), 2001)[1:]  # x = 2D + u^2 resolves the edge
    x = 2 * d + u**2
    s1 = cd.nam_conductivity(x, gap, occ, gamma, energy_max=1e5, n_quad=48).real
    du = u[1] - u[0]
    w0 = 1e-4
    weight = w0 * cd.nam_conductivity([w0], gap, occ, gamma, energy_max=1e5).imag[0]

    def kk(w):
        if w < 2 * d:
            pv = np.sum(s1 / (x**2 - w**2) * 2 * u) * du
        else:  # subtract the pole; P int_{2D}^{X} dx/(x^2 - w^2) in closed form
            s1w = np.interp(w, x, s1)
            pv = np.sum((s1 - s1w) / (x**2 - w**2) * 2 * u) * du
            logs = np.log((x_max - w) / (x_max + w)) - np.log((w - 2 * d) / (w + 2 * d))
            pv += s1w * logs / (2 * w)
        pv += gamma**2 / (3 * x_max**3)  # Drude tail sigma_1 ~ Gamma^2/x^2 beyond x_max
        return weight / w - 2 * w / np.pi * pv

    w = np.array([0.3, 1.0, 1.5, 2.5, 4.0, 8.0])
    direct = cd.nam_conductivity(w, gap, occ, gamma, energy_max=1e5).imag
    from_kk = np.array([kk(wi) for wi in w])
    below = w < 2 * d
    np.testing.assert_allclose(from_kk[below], direct[below], rtol=1e-6)
    np.testing.assert_allclose(from_kk[~below], direct[~below], rtol=1e-3)


@pytest.mark.slow
def test_nam_with_eliashberg_gap_of_weak_coupling_al_is_close_to_mattis_bardeen():
    """Nam with the real-axis Eliashberg Delta(eps), Z(eps) of Al (lambda ~ 0.4), dirty
    limit, low T: sigma_1 is Mattis-Bardeen's with the gap edge Delta_0; sigma_2 within the
    strong-coupling correction of the superfluid weight (a few per cent for Al)."""
    from photosc.cores import eliashberg, spectra

    spec = spectra.builtin("Al")
    kwargs = {"omega_c": spec.mu_star_cutoff} if spec.mu_star_cutoff else {}
    solver = eliashberg.EliashbergSolver(spec.omega, spec.a2f, mu_star=spec.mu_star, **kwargs)
    kt = 0.005  # meV, T ~ 0.05 T_c
    res = solver.solve(kT=kt)
    d0 = float(res.delta0)
    gap = cd.tabulated_gap_function(solver.omega, res.delta, res.z, edge=d0)
    occ = cd.thermal_occupation(kt)
    w = d0 * np.array([0.5, 1.5, 2.2, 3.0, 4.0, 6.0])
    e_max = float(solver.omega[-1])
    nam = cd.nam_conductivity(w, gap, occ, 1e4 * d0, energy_max=e_max, n_quad=192)
    normal = gap._replace(delta=lambda e: np.zeros(np.shape(e), dtype=complex), edge=0.0)
    nam_n = cd.nam_conductivity(w, normal, occ, 1e4 * d0, energy_max=e_max, n_quad=192)
    mb = cd.mattis_bardeen(w, d0, occ, energy_max=10 * d0 + w.max())
    np.testing.assert_allclose(nam.real / nam_n.real, mb.real, atol=1e-3)
    np.testing.assert_allclose(nam.imag / nam_n.real, mb.imag, rtol=0.1)


@pytest.mark.parametrize("kT", [0.0, 0.3])
@pytest.mark.parametrize("gamma", [0.5, 2.0, 10.0])
def test_nam_matches_zimmermann_published_form_at_finite_mean_free_path(kT, gamma):
    """Independent derivation (Zimmermann et al. 1991, positive-energy form) vs ours."""
    from photosc.cores.optics.reference import zimmermann_quad

    w = DELTA * np.array([0.5, 1.5, 2.5, 4.0])
    occ = cd.thermal_occupation(kT * DELTA)
    nam = cd.nam_conductivity(w, cd.bcs_gap_function(DELTA), occ, gamma * DELTA, energy_max=2e4)
    ref = [zimmermann_quad(x, DELTA, kT * DELTA, gamma * DELTA, energy_max=2e4) for x in w]
    np.testing.assert_allclose(nam, ref, rtol=1e-9)
