"""Gapped honeycomb model of paper 003: analytic limits, independent routes, dynamics."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from photosc.cores.bands import honeycomb as hc

T = 1.0


# ----------------------------------------------------------------------------- lattice, DOS


@pytest.mark.parametrize("delta", [0.25, 1.0, 5.0])
def test_gap_at_the_valleys_and_bands_symmetric(delta):
    e1, e2 = hc.band_energies(*hc.K_PLUS, T, delta)
    assert e2 - e1 == pytest.approx(delta, abs=1e-12)
    rng = np.random.default_rng(0)
    k = rng.uniform(-3, 3, (2, 50))
    ha = hc.hamiltonian(k[0], k[1], T, delta)
    ev = np.linalg.eigvalsh(ha)
    b1, b2 = hc.band_energies(k[0], k[1], T, delta)
    np.testing.assert_allclose(ev[:, 0], b1, atol=1e-12)
    np.testing.assert_allclose(ev[:, 1], b2, atol=1e-12)
    # time reversal: E(-k) = E(k)
    np.testing.assert_allclose(hc.band_energies(-k[0], -k[1], T, delta)[1], b2, atol=1e-12)


def test_valley_dos_normalisation_and_band_edge():
    for delta in (0.25, 5.0):
        e, w = hc.band_quadrature(T, delta, [delta / 2 + 0.1], [0.01])
        assert w.sum() == pytest.approx(0.5, abs=1e-9)
        edge = float(hc.dos_valley(delta / 2 * (1 + 1e-12), T, delta))
        assert edge == pytest.approx(hc.A_CELL * delta / (9 * np.pi * T**2), rel=1e-6)


def test_valley_dos_matches_zone_histogram():
    delta = 1.0
    z = hc.zone_grid(400)
    _, e2 = hc.band_energies(z.kx, z.ky, T, delta)
    lo, vh, hi = hc.band_limits(T, delta)
    edges = np.linspace(lo, hi, 31)
    hist, _ = np.histogram(e2, bins=edges)
    # per unit cell per valley: half the zone
    zone = 0.5 * hist / e2.size
    exact = np.array(
        [
            quad(
                lambda x: float(hc.dos_valley(x, T, delta)),
                a,
                b,
                points=[vh] if a < vh < b else None,
            )[0]
            for a, b in zip(edges[:-1], edges[1:])
        ]
    )
    np.testing.assert_allclose(zone, exact, atol=2e-4)


# ----------------------------------------------------------------------------- dichroism


@pytest.mark.parametrize("delta", [0.25, 1.0, 5.0])
def test_eta_is_exactly_plus_minus_one_at_the_valleys(delta):
    assert hc.circular_dichroism(*hc.K_PLUS, T, delta) == 1.0
    assert hc.circular_dichroism(*(-hc.K_PLUS), T, delta) == -1.0
    el = hc.optical_matrix_elements(*hc.K_PLUS, T, delta)
    assert abs(el.p_plus) == pytest.approx(3 * T, rel=1e-12)
    assert abs(el.p_minus) < 1e-12


def test_literal_eq2_convention_has_the_opposite_sign():
    """With p_+ = p_x + i p_y literally, K+ couples to sigma_-: our eta is the literal -eta."""
    delta = 1.0
    h = hc.hamiltonian(*hc.K_PLUS, T, delta)
    e, u = np.linalg.eigh(h)
    step = 1e-6
    vx = (hc.hamiltonian(hc.K_PLUS[0] + step, 0, T, delta) - hc.hamiltonian(
        hc.K_PLUS[0] - step, 0, T, delta)) / (2 * step)  # fmt: skip
    vy = (hc.hamiltonian(hc.K_PLUS[0], step, T, delta) - hc.hamiltonian(
        hc.K_PLUS[0], -step, T, delta)) / (2 * step)  # fmt: skip
    p_lit_plus = u[:, 1].conj() @ (vx + 1j * vy) @ u[:, 0]
    p_lit_minus = u[:, 1].conj() @ (vx - 1j * vy) @ u[:, 0]
    assert abs(p_lit_plus) < 1e-6 and abs(p_lit_minus) == pytest.approx(3.0, rel=1e-6)


def test_matrix_elements_against_finite_differences():
    rng = np.random.default_rng(1)
    delta, step = 0.7, 1e-6
    for kx, ky in rng.uniform(-2, 2, (5, 2)):
        _, u = np.linalg.eigh(hc.hamiltonian(kx, ky, T, delta))
        vx = (hc.hamiltonian(kx + step, ky, T, delta) - hc.hamiltonian(kx - step, ky, T, delta)) / (
            2 * step
        )
        vy = (hc.hamiltonian(kx, ky + step, T, delta) - hc.hamiltonian(kx, ky - step, T, delta)) / (
            2 * step
        )
        ref_p = abs(u[:, 1].conj() @ (vx - 1j * vy) @ u[:, 0])
        ref_m = abs(u[:, 1].conj() @ (vx + 1j * vy) @ u[:, 0])
        el = hc.optical_matrix_elements(kx, ky, T, delta)
        assert abs(el.p_plus) == pytest.approx(ref_p, rel=1e-6, abs=1e-8)
        assert abs(el.p_minus) == pytest.approx(ref_m, rel=1e-6, abs=1e-8)


def test_eta_odd_under_time_reversal_and_drive_region_is_half_the_zone():
    z = hc.zone_grid(60)
    for delta in (0.25, 5.0):
        eta = hc.circular_dichroism(z.kx, z.ky, T, delta)
        np.testing.assert_allclose(hc.circular_dichroism(-z.kx, -z.ky, T, delta), -eta, atol=1e-12)
        assert np.sum(eta > 0) == np.sum(eta < 0)
        driven = hc.drive_pattern(z.kx, z.ky, T, delta)
        assert driven[np.argmin(np.hypot(z.kx - hc.K_PLUS[0], z.ky))]
    assert np.all(hc.in_hexagon(z.kx, z.ky))


# ----------------------------------------------------------------------------- populations


def test_populations_equilibrium_without_drive_and_closed_form_identities():
    e = np.linspace(0.5, 2.0, 7)
    st = hc.born_markov_populations(
        e, mu=-0.01, omega0=1.2, rabi=0.0, gamma1=0.01, gamma2=0.02, kT=0.05
    )
    np.testing.assert_allclose(st.n11, st.f1)
    np.testing.assert_allclose(st.n22, st.f2)
    st = hc.born_markov_populations(
        e, mu=-0.01, omega0=1.2, rabi=0.1, gamma1=0.01, gamma2=0.03, kT=0.05
    )
    # number balance: Gamma1 (n11 - f1) + Gamma2 (n22 - f2) = 0 (drive conserves number)
    np.testing.assert_allclose(0.01 * (st.n11 - st.f1) + 0.03 * (st.n22 - st.f2), 0, atol=1e-15)
    assert np.all((st.n22 >= 0) & (st.n22 <= 1) & (st.n11 >= 0) & (st.n11 <= 1))


def test_bad_input_names_the_field():
    with pytest.raises(ValueError, match="gamma1"):
        hc.born_markov_populations(1.0, mu=0, omega0=1, rabi=1, gamma1=-1, gamma2=1, kT=0)
    with pytest.raises(ValueError, match="kT"):
        hc.born_markov_populations(1.0, mu=0, omega0=1, rabi=1, gamma1=1, gamma2=1, kT=-1)
    with pytest.raises(ValueError, match="F_\\+ F_-"):
        hc.critical_couplings(1.0, 1.0, 0.0)


def test_closed_form_steady_state_equals_integrated_bands_core():
    """Eqs. 10-11 (+ coherence) vs the bands core's EOM integrated from equilibrium."""
    from photosc.cores import bands

    g1, g2, mu, w0, om, kT = 0.03, 0.05, -0.04, 1.4, 0.1, 0.02
    grid = hc.valley_energy_grid(T, 1.0, w0 / 2, 0.1, 12, window=0.4)
    sys_ = hc.valley_band_system(grid, omega0=w0, rabi=om)
    res = hc.valley_reservoir(grid, mu=mu, gamma1=g1, gamma2=g2, kT=kT)
    eom = bands.MeanFieldEOM(sys_, None, [res], layout="full")
    closed = hc.valley_normal_state(grid, mu=mu, omega0=w0, rabi=om, gamma1=g1, gamma2=g2, kT=kT)
    y_closed = eom.packing.pack(closed)
    assert np.abs(eom(0.0, y_closed)).max() < 1e-14
    eq = hc.valley_normal_state(grid, mu=mu, omega0=w0, rabi=0.0, gamma1=g1, gamma2=g2, kT=kT)
    traj = bands.integrate(eom, eom.packing.pack(eq), np.array([0.0, 30.0 / (g1 + g2)]))
    np.testing.assert_allclose(traj.y[:, -1], y_closed, atol=1e-8)


# ----------------------------------------------------------------------------- F+-, V_c

KW = dict(t=T, delta=1.0, mu=-0.05, omega0=1.4, rabi=0.05, gamma1=0.05, gamma2=0.05, kT=0.0)


def test_three_routes_to_f_plus_agree():
    dos = hc.f_pm_dos(**KW)
    zone = hc.f_pm_zone_sum(hc.zone_grid(300), **KW)
    eq14 = hc.f_plus_eq14(**{k: v for k, v in KW.items() if k != "kT"})
    quad = hc.f_pm_dos(method="quad", **KW)
    assert zone.f_plus == pytest.approx(dos.f_plus, rel=1e-6)
    assert eq14.f_plus == pytest.approx(dos.f_plus, rel=1e-10)  # T = 0: same integrand
    assert quad.f_plus == pytest.approx(dos.f_plus, rel=1e-9)
    assert dos.f_minus == pytest.approx(-dos.f_plus, rel=1e-12)  # Eq. 15, gamma1 = gamma2
    assert zone.f_minus == pytest.approx(-zone.f_plus, rel=1e-9)


def test_eq15_for_unequal_rates_and_finite_temperature_departure():
    kw = dict(KW, gamma1=0.02, gamma2=0.06)
    f = hc.f_pm_dos(**kw)
    assert f.f_minus / f.f_plus == pytest.approx(-0.06 / 0.02, rel=1e-9)
    hot = hc.f_pm_dos(**dict(kw, kT=0.2))
    assert abs(hot.f_minus / hot.f_plus + 3.0) > 1e-3  # Eq. 15 needs T << delta


def test_eq17_is_the_asymptote_of_the_exact_integral():
    """At fixed Omega/Gamma, Eq. 17 becomes exact as Gamma/delta -> 0 (band-edge laser)."""
    errs = []
    for gam in (2e-2, 2e-3, 2e-4):
        kw = dict(t=T, delta=5.0, mu=-gam / 2, omega0=5.0, rabi=3 * gam, gamma1=gam / 2,
                  gamma2=gam / 2, kT=0.0)  # fmt: skip
        exact = hc.f_pm_dos(**kw).f_plus
        errs.append(abs(hc.f_plus_eq17(t=T, delta=5.0, rabi=3 * gam, gamma=gam) / exact - 1))
    assert errs[0] > errs[1] > errs[2]
    assert errs[2] < 0.01


def test_critical_couplings_general_and_eq16():
    fp, fm, v = 3.0, -3.0, np.array([0.0, 0.5, 1.0])
    vc = hc.critical_couplings(fp, fm, v)
    np.testing.assert_allclose(vc.positive, hc.critical_coupling_eq16(fp, v))
    np.testing.assert_allclose(vc.negative, -hc.critical_coupling_eq16(fp, v))
    # general 2x2: roots make det(1 - M) vanish, any phase
    fp, fm, v, phi = 2.0, -0.7, 0.4, 0.9
    vc = hc.critical_couplings(fp, fm, v)
    for V in (vc.negative, vc.positive):
        m = np.array([[V * fp, v * np.exp(1j * phi) * fm], [v * np.exp(-1j * phi) * fp, V * fm]])
        assert abs(np.linalg.det(np.eye(2) - m)) < 1e-12
    assert vc.negative < 0 < vc.positive
    # saturation at +-v for strong drive (F -> infinity)
    sat = hc.critical_couplings(1e6, -1e6, 0.5)
    assert sat.positive == pytest.approx(0.5, rel=1e-9) and sat.negative == pytest.approx(
        -0.5, rel=1e-9
    )


def test_fast_relaxation_zero_temperature_limits():
    kw = dict(mu=-5e-4, kT=0.0, t=T, delta=0.25)
    assert hc.mu1_from_number_conservation(0.2, **kw) == pytest.approx(-0.2, abs=1e-9)
    f = hc.f_pm_fast_relaxation(0.2, gamma12=1e-3, **kw)
    n_exc = hc.band_occupation(0.2, 0.0, T, 0.25, 2)
    # kernel at mu = -Gamma12/2 is 1/(2 Gamma12); 1 - n22 - n11(-k) = -1 below mu_2
    assert f.f_plus == pytest.approx(n_exc / (2e-3), rel=1e-9)
    assert f.f_minus == pytest.approx(-f.f_plus, rel=1e-8)
    assert hc.band_occupation(0.1, 0.0, T, 0.25, 2) == 0.0  # mu_2 inside the gap


# ----------------------------------------------------------------------------- dynamics

DYN = dict(mu=-0.02, omega0=1.4, gamma1=0.02, gamma2=0.02, kT=0.0)


def _grid(n=16):
    return hc.valley_energy_grid(T, 1.0, 0.7, 0.2, n, window=0.6)


def test_eq9_structure_never_grows_for_v0_analytic():
    """Flat pair energy E_k = -2 mu: without Rabi mixing a seed decays at Gamma for any V."""
    grid = _grid()
    for V in (-50.0, -1.0, 1.0, 50.0):
        lin = hc.pair_linearization(grid, rabi=0.2, V=V, v=0.0, mixing=False, **DYN)
        assert hc.pair_growth_rate(lin).rate == pytest.approx(-0.04, abs=1e-10)


def test_eq9_structure_pt_growth_for_v_above_V_analytic():
    """Without mixing: Delta_+- obey a PT-symmetric 2x2 problem, rate S sqrt(v^2 - V^2) - Gamma."""
    grid = _grid()
    st = hc.born_markov_populations(grid.energy, rabi=0.2, **DYN)
    s = -np.sum(grid.weight * (1 - st.n22 - st.f1))  # > 0 (population inversion)
    s_minus = np.sum(grid.weight * (1 - st.f2 - st.n11))
    assert s_minus == pytest.approx(s, rel=1e-12)
    V, v = 0.5, 3.0
    lin = hc.pair_linearization(grid, rabi=0.2, V=V, v=v, mixing=False, **DYN)
    expected = s * np.sqrt(v**2 - V**2) - 0.04
    assert hc.pair_growth_rate(lin).rate == pytest.approx(expected, rel=1e-8)


def test_static_response_real_part_is_eq9_kernel():
    grid = _grid(24)
    lin = hc.pair_linearization(grid, rabi=0.2, V=1.0, v=0.0, mixing=False, **DYN)
    chi = hc.pair_response(lin, 2 * DYN["mu"])
    st = hc.born_markov_populations(grid.energy, rabi=0.2, **DYN)
    kern = hc.pair_kernel_eq9(DYN["mu"], 0.04)
    fp = -kern * np.sum(grid.weight * (1 - st.n22 - st.f1))
    assert chi[0, 0].real == pytest.approx(fp, rel=1e-10)
    # the part Eq. 9 drops: Im/Re = Gamma / (-2 mu) = 1 at mu = -Gamma/2
    assert chi[0, 0].imag / chi[0, 0].real == pytest.approx(1.0, rel=1e-10)
    assert chi[1, 1].real == pytest.approx(-fp, rel=1e-10)


@pytest.mark.parametrize("V,v", [(3.0, 0.0), (-3.0, 0.0), (1.0, 2.0)])
def test_linearisation_matches_nonlinear_bands_core_for_small_seed(V, v):
    """Our linearised pair dynamics vs the bands core's full mean-field run (small seed)."""
    from photosc.cores import bands

    grid = _grid(10)
    rabi = 0.2
    eom = bands.MeanFieldEOM(
        hc.valley_band_system(grid, omega0=DYN["omega0"], rabi=rabi),
        hc.valley_gap_coupling(grid, V=V, v=v),
        [hc.valley_reservoir(grid, mu=DYN["mu"], gamma1=0.02, gamma2=0.02, kT=0.0)],
        layout="full",
    )
    state = hc.valley_normal_state(grid, rabi=rabi, **DYN)
    seed = 1e-9 * (0.6 + 0.8j)
    state.s[:, 1, 0] = seed
    state.s[:, 0, 1] = -seed
    times = np.linspace(0, 40.0, 9)
    traj = bands.integrate(eom, eom.packing.pack(state), times, rtol=1e-10, atol=1e-16)
    n = grid.energy.size
    gaps = np.array([eom.gap(eom.packing.unpack(traj.y[:, i])) for i in range(times.size)])
    lin = hc.pair_linearization(grid, rabi=rabi, V=V, v=v, **DYN)
    x0 = np.zeros((n, 4), dtype=complex)
    x0[:, 1] = np.conj(seed)
    x0[:, 2] = -np.conj(seed)
    pred = hc.evolve_linear(lin, x0.ravel(), times)
    scale = np.abs(pred).max()
    np.testing.assert_allclose(gaps[:, 0], pred[0], atol=1e-5 * scale)
    np.testing.assert_allclose(gaps[:, n], pred[1], atol=1e-5 * scale)


def test_growth_rate_from_eigenvalues_matches_late_time_evolution():
    grid = _grid(12)
    lin = hc.pair_linearization(grid, rabi=0.2, V=0.5, v=3.0, mixing=False, **DYN)
    g = hc.pair_growth_rate(lin)
    assert g.rate > 0
    x0 = np.zeros((grid.energy.size, 4), dtype=complex)
    x0[:, 1] = 1e-6
    ts = np.array([200.0, 260.0])
    d = np.abs(hc.evolve_linear(lin, x0.ravel(), ts)[0])
    assert np.log(d[1] / d[0]) / 60.0 == pytest.approx(g.rate, rel=1e-3)
