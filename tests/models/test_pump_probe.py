"""pump_probe models (paper 001 Fig. 2c, 2d, SI Fig. 7, K3C60 optics): physics and plumbing."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError
from scipy.special import ndtr

from photosc.cores import optics
from photosc.cores.kinetics.pump import MJ_PER_CM2_IN_MEV_PER_NM2
from photosc.foundation.units import KB
from photosc.models import pump_probe as pp

RHO_PB = 350.0  # Ohm nm, SI Table 1


def _small_pb(energy_density: float, temperature: float = 4.0):
    """Pb kinetics on a coarse grid (0.2 meV, pump injected at 12 meV): a few seconds."""
    delays = np.array([-6.0, -1.0, 0.0, 2.0, 5.0, 20.0, 100.0, 400.0])
    return pp.run_kinetics(
        "Pb",
        temperature,
        injection_energy=12.0,
        tau_pump=2.0,
        energy_density=energy_density,
        tau_esc=500.0,
        delays=delays,
        step=0.2,
        e_max=20.0,
        rtol=3e-3,
        gap_tol=1e-5,
    )


@pytest.fixture(scope="module")
def pb_pair():
    """Two Pb runs, the second at twice the energy density (linear regime)."""
    return _small_pb(2e-4), _small_pb(4e-4)


def test_absorbed_fraction_is_one_minus_r_minus_t_and_slices_sum_to_it():
    """chi = 1 - R - T from the same stack code; per-slice shares sum to chi."""
    w = 1500.0
    chi, per, depth = pp.pump_absorption(w, RHO_PB, 10.0, n_slices=4, n_substrate=3.7)
    n = optics.complex_index(optics.conductivity_si(np.ones(1), RHO_PB), np.array([w]))
    film = optics.single_film(n[0], 10.0, w, n_substrate=3.7)  # SI Eqs. 10-13 as printed
    assert chi == pytest.approx(1.0 - film.reflectance - film.transmittance, abs=1e-12)
    assert per.sum() == pytest.approx(chi, abs=1e-12)
    assert np.all(per > 0)
    assert 0 < chi < 1


def test_pump_deposition_profile_of_a_thick_film_is_exponential():
    """On a semi-infinite sample of the same index the slices absorb e^{-z/delta} shares
    (paper 001 SI IV: deposition exp(-z / delta_pump))."""
    rho = 3000.0  # LaH10
    w = np.array([2000.0])
    n = optics.complex_index(optics.conductivity_si(np.ones(1), rho), w)[0]
    delta = float(optics.penetration_depth(n, 2000.0))
    assert delta == pytest.approx(20.6, abs=0.3)  # SI IV: ~20 nm
    d = np.full(6, 5.0)
    per = optics.layer_absorptance(np.full((1, 6), n), d, w, n_substrate=n)[0]
    ratios = per[1:] / per[:-1]
    np.testing.assert_allclose(ratios, math.exp(-5.0 / delta), rtol=1e-10)


def test_depth_resolved_energy_bookkeeping():
    """sum_j E_j d_j = F_0 chi_sliced: the slices receive exactly the absorbed energy."""
    f0 = 2.0
    rho = 20000.0
    w = np.array([170.0])
    n = optics.complex_index(optics.conductivity_si(np.ones(1), rho), w)[0]
    d = np.full(3, 200.0)
    per = optics.layer_absorptance(np.full((1, 3), n), d, w, n_substrate=n)[0]
    e = f0 * MJ_PER_CM2_IN_MEV_PER_NM2 * per / d
    total = optics.stack(np.full((1, 3), n), d, w, n_substrate=n).absorptance[0]
    assert np.sum(e * d) == pytest.approx(f0 * MJ_PER_CM2_IN_MEV_PER_NM2 * total, rel=1e-12)


def test_decay_rise_and_slow_times_on_closed_forms():
    t = np.linspace(-50.0, 500.0, 5501)
    s = np.where(t >= 0, np.exp(-np.clip(t, 0, None) / 70.0), 0.0)
    tau, ok = pp._decay_time(t, s)
    assert ok and tau == pytest.approx(70.0, rel=1e-3)
    assert pp._slow_time(t, s, 100.0) == pytest.approx(70.0, rel=1e-6)
    sigma = 3.0
    step = ndtr(t / sigma)  # a Gaussian-smoothed step: 10-90 % rise = 2.563 sigma
    step[-1] = 1.0
    assert pp._rise_time(t, step) == pytest.approx(2 * 1.2815516 * sigma, rel=2e-3)
    tau, ok = pp._decay_time(t, np.ones_like(t))
    assert not ok and tau == pytest.approx(550.0)


def test_no_pump_is_equilibrium():
    """Without pump energy the state, gap and optics stay at equilibrium (dT/T = 0)."""
    tr = _small_pb(0.0)
    assert tr.gamma_pump == 0.0
    np.testing.assert_allclose(tr.delta0, tr.delta0[0], rtol=0, atol=1e-12)
    s = pp.probe_conductivity(tr, np.array([5.0]), 32)
    sig = optics.conductivity_si(s, RHO_PB)[..., None]
    ft = optics.film_trace(sig, np.array([5.0]), [10.0], n_substrate=3.42)
    assert np.max(np.abs(ft.d_t_over_t)) < 1e-10


def test_thermal_trace_conductivity_matches_mattis_bardeen(pb_pair):
    """The batch conductivity of the pre-pump kinetic state equals the thermal
    Mattis-Bardeen conductivity at the same gap (independent quadrature path)."""
    tr = pb_pair[0]
    w = np.array([3.0, 5.0, 8.0])
    s = pp.probe_conductivity(tr, w, 128)[0]
    kt = 4.0 * KB
    ref = optics.mattis_bardeen(
        w, tr.delta0[0], optics.thermal_occupation(kt), energy_max=tr.energy_top, n_quad=256
    )
    # the kinetic f is the Fermi function sampled at bin centres (linear interpolation)
    np.testing.assert_allclose(s, ref, rtol=2e-3)


def test_pb_signal_is_linear_in_the_absorbed_energy(pb_pair):
    """F_0 ~ 5e-7 mJ/cm^2 is a weak perturbation (paper 001 Fig. 2c): doubling the
    deposited energy doubles -dT/T."""
    w = np.array([5.0])
    peaks = []
    for tr in pb_pair:
        s = pp.probe_conductivity(tr, w, 64, (12.0, 24.0))
        sig = optics.conductivity_si(s, RHO_PB)[..., None]
        sig_t = -optics.film_trace(sig, w, [10.0], n_substrate=3.42).d_t_over_t[:, 0]
        peaks.append(sig_t[np.argmax(np.abs(sig_t))])
        assert tr.delta0.min() < tr.delta0[0]  # the pump suppresses the gap
    assert peaks[0] > 0  # a weaker gap: less transmission at 5 meV (-dT/T > 0, as Fig. 2c)
    assert peaks[1] / peaks[0] == pytest.approx(2.0, rel=0.1)


def test_bad_inputs_name_the_field():
    with pytest.raises(ValidationError, match="tau_esc"):
        pp.PumpProbeLaH10Params(fluences=[1.0, 2.0], tau_esc=[50.0])
    with pytest.raises(ValidationError, match="temperatures"):
        pp.PumpProbePbParams(temperatures=[4.0, 7.5])
    with pytest.raises(ValidationError, match="delays"):
        pp.PhotoinducedOpticsParams(delays=[1.0, 0.5])
    with pytest.raises(ValidationError, match="omega_max"):
        pp.PhotoinducedOpticsParams(omega_min="50 meV", omega_max="10 meV")
    with pytest.raises(ValidationError, match="fluence"):
        pp.PumpProbePbParams(fluence="-1 mJ/cm^2")


def test_depth_resolved_film_against_single_layer():
    """A thick Pb sample pumped at 1.5 eV (delta_pump ~ 10 nm), sliced in two: the
    surface slice gets more energy and loses more gap than the deeper one, the slices
    hold the absorbed energy, and the graded stack's |dR/R| at 5 meV is well below that
    of a single layer pumped uniformly at the surface energy density, because the probe
    sees deeper than the pump (issue 8, section 1)."""
    from photosc.cores.kinetics.pump import absorbed_energy_density

    delays = np.array([-6.0, 0.0, 3.0, 10.0, 40.0])
    num = pp._Kin(grid_step="0.25 meV", e_max="16 meV", rtol=5e-3, gap_tol=1e-4, n_quad=48)
    f0 = 5e-7  # mJ/cm^2 (Fig. 2c)
    w = np.array([5.0])
    chi, per, delta = pp.pump_absorption(1500.0, RHO_PB, 1e5)
    dr = pp.depth_resolved_film(
        "Pb", 4.0, omega_pump=1500.0, injection_energy=12.0, tau_pump=2.0, fluence=f0,
        tau_esc=500.0, delays=delays, probe=w, depth=2 * delta, n_slices=2, n_ambient=1.0,
        numerics=num,
    )  # fmt: skip
    assert dr.energy_density[0] > dr.energy_density[1] > 0
    assert np.sum(dr.energy_density * dr.thickness) < f0 * MJ_PER_CM2_IN_MEV_PER_NM2 * chi
    loss = dr.delta0[0] - dr.delta0.min(axis=0)
    assert loss[0] > loss[1] > 0
    kt = 4.0 * KB
    n_sub = pp.equilibrium_index(w, RHO_PB, dr.delta0[0, 0], kt, 1.0)
    graded = optics.film_trace(dr.sigma, w, dr.thickness, n_substrate=n_sub).d_r_over_r[:, 0]
    single_tr = pp.run_kinetics(
        "Pb", 4.0, injection_energy=12.0, tau_pump=2.0,
        energy_density=absorbed_energy_density(f0, chi, delta), tau_esc=500.0,
        delays=delays, step=0.25, e_max=16.0, rtol=5e-3, gap_tol=1e-4,
    )  # fmt: skip
    s = optics.conductivity_si(pp.probe_conductivity(single_tr, w, 48, (12.0, 24.0)), RHO_PB)
    single = optics.film_trace(s[..., None], w, [1e5], n_substrate=n_sub).d_r_over_r[:, 0]
    # the 5 meV probe reaches far below the 2 delta_pump ~ 20 nm pumped layer, so the
    # graded film's signal is diluted by the unpumped material (paper 001 ref. 44)
    d_probe = float(optics.penetration_depth(n_sub, w)[0])
    assert d_probe > 4 * 2 * delta
    ratio = np.max(np.abs(graded)) / np.max(np.abs(single))
    assert 0 < ratio < 0.5


def test_thin_film_depth_resolved_equals_single_layer_at_the_mean_energy():
    """Paper 001's thin-film limit for Pb (Fig. 2c): the 10 nm film absorbs the 1.5 eV
    pump non-uniformly (delta_pump ~ 10 nm), but the 5 meV probe sees only the sheet
    conductance, so in the weak-pump regime three slices give the single layer's
    -dT/T at the mean energy density F_0 chi / d."""
    from photosc.cores.kinetics.pump import absorbed_energy_density

    delays = np.array([-6.0, 0.0, 3.0, 10.0, 40.0])
    num = pp._Kin(grid_step="0.25 meV", e_max="16 meV", rtol=5e-3, gap_tol=1e-4, n_quad=48)
    f0, d_film, w = 5e-7, 10.0, np.array([5.0])
    dr = pp.depth_resolved_film(
        "Pb", 4.0, omega_pump=1500.0, injection_energy=12.0, tau_pump=2.0, fluence=f0,
        tau_esc=500.0, delays=delays, probe=w, depth=d_film, n_slices=3, n_ambient=1.0,
        numerics=num, n_substrate_pump=3.7,
    )  # fmt: skip
    # non-uniform deposition (surface/bottom ~1.2: the Si interface reflects part back)
    assert dr.energy_density[0] > 1.1 * dr.energy_density[-1]
    chi, _, _ = pp.pump_absorption(1500.0, RHO_PB, d_film, n_substrate=3.7)
    assert np.sum(dr.absorbed) == pytest.approx(chi, rel=1e-12)
    graded = -optics.film_trace(dr.sigma, w, dr.thickness, n_substrate=3.42).d_t_over_t[:, 0]
    tr = pp.run_kinetics(
        "Pb", 4.0, injection_energy=12.0, tau_pump=2.0,
        energy_density=absorbed_energy_density(f0, chi, d_film), tau_esc=500.0,
        delays=delays, step=0.25, e_max=16.0, rtol=5e-3, gap_tol=1e-4,
    )  # fmt: skip
    s = optics.conductivity_si(pp.probe_conductivity(tr, w, 48, (12.0, 24.0)), RHO_PB)
    single = -optics.film_trace(s[..., None], w, [d_film], n_substrate=3.42).d_t_over_t[:, 0]
    k = int(np.argmax(single))
    assert graded[k] == pytest.approx(single[k], rel=0.1), graded[k] / single[k]


# ---------------------------------------------------------------------------------------
# Nam optics with the recorded Delta(omega, t)
def test_recorded_gap_table_of_an_equilibrium_state_gives_the_direct_solve_nam():
    """Nam with the gap table the kinetics recorded for an unpumped state equals Nam with
    a direct real-axis Eliashberg solve at that temperature (same f, same quadrature)."""
    tr = _small_pb(0.0, temperature=5.0)
    assert tr.gap_delta.shape == (tr.time.size, tr.gap_energy.size)
    energy, delta, z, d0 = pp.equilibrium_gap_table("Pb", 5.0, 0.2)
    np.testing.assert_array_equal(energy, tr.gap_energy)
    assert tr.delta0[0] == pytest.approx(d0, rel=1e-6)
    scale = np.max(np.abs(delta))
    np.testing.assert_allclose(tr.gap_delta[0], delta, rtol=0, atol=1e-5 * scale)
    np.testing.assert_allclose(tr.gap_z[-1], z, rtol=0, atol=1e-5)
    w = np.array([1.0, 2.5, 5.0, 10.0])
    gamma = 857.0
    nam = pp.probe_conductivity_nam(tr, w, gamma, 96)
    e_max = max(tr.energy_top, energy[-1]) + 1e-6  # the default cut (Delta = 0 beyond)
    direct = optics.nam_conductivity(
        w,
        pp.nam_gap_function(energy, delta, z, d0, e_max),
        optics.tabulated_occupation(tr.energy, tr.f[0]),
        gamma,
        energy_max=e_max,
        n_quad=96,
        breakpoints=[0.0],
    )
    np.testing.assert_allclose(nam[0], direct, rtol=1e-5)
    np.testing.assert_allclose(nam[-1], direct, rtol=1e-5)  # stationary
    # and with the continuous Fermi function (f sampled at bin centres: 1e-3 level)
    thermal = optics.nam_conductivity(
        w,
        pp.nam_gap_function(energy, delta, z, d0, e_max),
        optics.thermal_occupation(5.0 * KB),
        gamma,
        energy_max=e_max,
        n_quad=96,
    )
    np.testing.assert_allclose(nam[0], thermal, rtol=3e-3)


def test_nam_in_the_dirty_weak_coupling_limit_is_mattis_bardeen_for_a_pumped_state(pb_pair):
    """The pumped, non-thermal f(E, t) of the kinetics with a constant real gap
    Delta_0(t) and Z = 1 (weak coupling): Nam at Gamma = 10^4 Delta equals the
    generalised Mattis-Bardeen conductivity at every delay (paper 001 refs. 42-43)."""
    from dataclasses import replace

    tr = pb_pair[1]
    gamma = 1e4 * tr.delta0[0]
    e_max = 1e5 * tr.delta0[0]
    weak = replace(
        tr,
        gap_energy=np.array([0.0, 1.01 * e_max]),
        gap_delta=np.repeat(tr.delta0[:, None], 2, axis=1).astype(complex),
        gap_z=np.ones((tr.time.size, 2), dtype=complex),
    )
    w = np.array([1.0, 2.0, 3.0, 5.0, 8.0])
    bp = (12.0, 24.0)
    nam = pp.probe_conductivity_nam(weak, w, gamma, 128, bp, energy_max=e_max)
    mb = pp.probe_conductivity(tr, w, 128, bp)
    np.testing.assert_allclose(nam.real, mb.real, rtol=0, atol=1e-4)
    # sigma_2: Mattis-Bardeen has no normal-state inductive part w / Gamma
    np.testing.assert_allclose(nam.imag - w / gamma, mb.imag, rtol=1.5e-2)
    # the pumped signal itself (change from the pre-pump state) agrees as well
    d_nam, d_mb = nam - nam[0], mb - mb[0]
    assert np.max(np.abs(d_mb.real)) > 1e-3
    np.testing.assert_allclose(d_nam.real, d_mb.real, rtol=0, atol=1e-3 * np.abs(d_mb).max())
    # whereas the strong-coupling Pb table (2 Delta_0 / k_B T_c = 4.5) differs at O(0.1)
    strong = pp.probe_conductivity_nam(tr, w, 857.0, 96, bp)
    assert np.max(np.abs(strong.real - mb.real)) > 0.02


def _table_trace(delta: float, w_top: float, occupation: np.ndarray | None = None):
    """A one-state trace on a 0.05 meV kinetic grid up to 20 meV with a constant real gap
    table Delta(E) = ``delta``, Z = 1 up to ``w_top`` (Delta = 0 beyond, as
    :func:`pp.nam_gap_function` continues it) and f = ``occupation`` (default 0: T = 0)."""
    e = np.arange(0.025, 20.0, 0.05)
    f = np.zeros((1, e.size)) if occupation is None else occupation[None, :]
    return pp.KineticTrace(
        time=np.zeros(1), delta0=np.full(1, delta), f=f, energy=e, energy_top=20.0,
        gamma_pump=0.0, energy_density=0.0, injection_energy=0.0, qp_density=np.zeros(1),
        steps=0, gap_energy=np.array([0.0, w_top]), gap_delta=np.full((1, 2), delta + 0j),
        gap_z=np.ones((1, 2), dtype=complex),
    )  # fmt: skip


def test_nam_normal_state_of_a_trace_is_drude():
    """Delta = 0, Z = 1 and a thermal f tabulated on the kinetic grid: Nam gives the Drude
    sigma/sigma_0 = Gamma / (Gamma - i w) at the Pb and K3C60 rates. (In the normal state
    A_RR = 0 and the integrand is confined to where h(eps + w) != h(eps), so this checks the
    normalisation and the cut's default, not its convergence: see the next tests.)"""
    e = np.arange(0.025, 20.0, 0.05)
    f = 1.0 / (np.exp(e / (4.0 * KB)) + 1.0)
    w = np.array([0.5, 2.0, 10.0, 19.0])
    for gamma in (857.0, 270.0):
        s = pp.probe_conductivity_nam(_table_trace(0.0, 60.0, f), w, gamma, 96)[0]
        np.testing.assert_allclose(s, optics.drude(w, gamma), rtol=1e-3)


def test_nam_cut_converges_to_the_published_finite_gamma_form_as_the_table_extends():
    """A constant gap Delta = 1.3 meV, Z = 1 at T = 0 and Gamma = 857 meV: the default cut
    max(E_top, W) follows the table's end W, and sigma/sigma_0 converges in W to Zimmermann
    et al.'s closed form (Physica C 183, 99 (1991); constant gap to E -> infinity) at the
    rate ~ Gamma Delta / W^2 of the truncated A_RR tail, whereas the former default (the
    kinetic grid's top, 20 meV) leaves sigma_2 off by more than 0.5 %."""
    from photosc.cores.optics.reference import zimmermann_quad

    delta, gamma = 1.3, 857.0
    w = np.array([0.5, 2.0, 5.0])
    ref = np.array([zimmermann_quad(x, delta, 0.0, gamma, energy_max=1e7) for x in w])
    err = {}
    for w_top in (20.0, 200.0, 4 * gamma, 20 * gamma):
        s = pp.probe_conductivity_nam(_table_trace(delta, w_top), w, gamma, 96)[0]
        err[w_top] = np.abs(s - ref) / np.abs(ref)
        np.testing.assert_allclose(s.real, ref.real, rtol=1e-9, atol=1e-12)  # sigma_1 exact
    assert np.all(err[20.0] > 5e-3)  # the old cut at the top of the kinetic grid
    assert np.all(err[200.0] < err[20.0]) and np.all(err[4 * gamma] < err[200.0])
    # 1/W^2 between 4 and 20 Gamma (ratio 25), and converged to 1e-5 at 20 Gamma
    np.testing.assert_allclose(err[4 * gamma] / err[20 * gamma], 25.0, rtol=0.05)
    assert np.all(err[20 * gamma] < 1e-5)


def test_nam_of_an_eliashberg_table_does_not_depend_on_a_cut_beyond_the_table(pb_pair):
    """The recorded Pb table (Delta = 0 beyond its end W = 51 meV): the default cut
    max(E_top, W) equals a cut at 20 Gamma to quadrature accuracy (the integrand vanishes
    beyond W),
    while the former default, the kinetic grid's top (20 meV here), misses the A_RR term
    between 20 and 51 meV: sigma_2 at 5 meV off by several per cent."""
    tr = pb_pair[1]
    assert tr.energy_top < tr.gap_energy[-1]
    w = np.array([1.0, 2.0, 5.0])
    bp = (12.0, 24.0)
    s = pp.probe_conductivity_nam(tr, w, 857.0, 96, bp)
    far = pp.probe_conductivity_nam(tr, w, 857.0, 96, bp, energy_max=20 * 857.0)
    # equal up to quadrature (the far cut adds panel edges at W and W - w: ~2e-5)
    np.testing.assert_allclose(far, s, rtol=1e-4)
    old = pp.probe_conductivity_nam(tr, w, 857.0, 96, bp, energy_max=tr.energy_top + 1e-6)
    np.testing.assert_allclose(old.real, s.real, rtol=1e-3)
    assert np.max(np.abs(old.imag / s.imag - 1)) > 0.02
    e_max, edges = pp.nam_cutoff(tr.energy_top, tr.gap_energy)
    assert e_max == pytest.approx(tr.gap_energy[-1]) and edges == (0.0,)
    with pytest.raises(ValueError, match="energy_max"):
        pp.nam_cutoff(tr.energy_top, tr.gap_energy, tr.energy_top - 1.0)


def test_gap_table_follows_delta0_in_the_pumped_trace(pb_pair):
    """The recorded Delta(omega, t) changes when Delta_0(t) does, and each table's edge
    (first E with E >= Re Delta(E)) is that delay's Delta_0 to within a grid step."""
    tr = pb_pair[1]
    k = int(np.argmin(tr.delta0))
    assert tr.delta0[k] < tr.delta0[0]
    low = tr.gap_energy < 2.0  # below the phonons: Delta(E) ~ Delta_0
    ratio = np.abs(tr.gap_delta[k, low]) / np.abs(tr.gap_delta[0, low])
    assert np.all(ratio < 1.0)
    assert np.median(ratio) == pytest.approx(tr.delta0[k] / tr.delta0[0], abs=5e-3)
    for i in range(tr.time.size):
        e, d = tr.gap_energy, tr.gap_delta[i]
        edge = e[np.nonzero(e >= d.real)[0][0]]
        assert edge == pytest.approx(tr.delta0[i], abs=0.2)


def test_pb_conductivity_choice_nam_only_equals_the_nam_trace_of_both():
    """numerics.conductivity: 'nam' makes the Nam trace primary; it equals the
    ``*_nam`` trace of 'both', whose primary is Mattis-Bardeen's; the reported
    difference is that of the two traces."""
    params = pp.PumpProbePbParams(
        temperatures=[5.0], pump_injection_energy="12 meV", t_end="600 ps"
    )
    kw = dict(grid_step="0.25 meV", e_max="20 meV", rtol=5e-3, gap_tol=1e-4, n_times=14)
    both = pp.run_pb(params, pp.PumpProbePbNumerics(**kw, n_quad=32, n_quad_nam=64))
    nam = pp.run_pb(
        params, pp.PumpProbePbNumerics(**kw, n_quad=32, n_quad_nam=64, conductivity="nam")
    )
    np.testing.assert_allclose(
        nam.dataset["minus_dT_over_T"], both.dataset["minus_dT_over_T_nam"], rtol=1e-12
    )
    assert both.summary["conductivity_form"] == "mattis-bardeen"
    assert nam.summary["conductivity_form"] == "nam" and "nam_over_mb_peak" not in nam.summary
    a = both.dataset["minus_dT_over_T_nam"].values[0]
    b = both.dataset["minus_dT_over_T"].values[0]
    assert both.summary["nam_vs_mb_max_relative_difference"] == pytest.approx(
        np.max(np.abs(a - b)) / np.max(np.abs(b))
    )
    with pytest.raises(ValidationError, match="conductivity"):
        pp.PumpProbePbNumerics(conductivity="drude")


# ---------------------------------------------------------------------------------------
# penetration depth (SI Fig. 7) with the Nam form
@pytest.fixture(scope="module")
def k3c60_depths():
    """K3C60 at 30 K pumped at 170 meV (normal state: no photo-induced gap), 2 meV grid."""
    kin = pp._Kin(grid_step="2 meV", e_max="420 meV", rtol=2e-2, gap_tol=1e-2, n_times=12)
    return pp._depths(
        "K3C60", 30.0, 170.0, 10.0, 170.0, 0.3, 5.0, 500.0, 0.5, kin,
        forms=("mattis-bardeen", "nam"), scattering_rate=270.0, n_quad_nam=96,
    )  # fmt: skip


def test_k3c60_probe_depth_mattis_bardeen_is_blind_to_the_hot_normal_state(k3c60_depths):
    """With Delta_0(t) = 0 the Mattis-Bardeen sigma = sigma_N for any f(E, t): delta_probe(t)
    is the constant normal-state skin depth c / (2 omega Im n), n^2 = 1 + i sigma_N / (eps0 w)."""
    r = k3c60_depths
    assert np.all(r["trace"].delta0 == 0.0)
    d = r["mattis-bardeen"]["delta_probe"]
    n = optics.complex_index(optics.conductivity_si(np.ones(1), 20000.0), np.array([10.0]))
    np.testing.assert_allclose(d, optics.penetration_depth(n, np.array([10.0]))[0], rtol=1e-9)


def test_k3c60_probe_depth_nam_before_the_pump_is_the_equilibrium_and_grows_with_heating(
    k3c60_depths,
):
    """Nam before the pump equals the thermal Eliashberg state at 30 K computed directly
    (continuous Fermi function; the kinetic f is sampled on a 2 meV grid); the hot
    normal state after the pump absorbs more (phonon-assisted, Holstein Im Z grows), so
    delta_probe rises by tens of nm where Mattis-Bardeen stays constant."""
    r = k3c60_depths
    tr = r["trace"]
    e, dl, z, d0 = pp.equilibrium_gap_table("K3C60", 30.0, 2.0)
    e_max, edges = pp.nam_cutoff(tr.energy_top, e)
    w = np.array([10.0])
    s = optics.nam_conductivity(
        w, pp.nam_gap_function(e, dl, z, d0, e_max), optics.thermal_occupation(30.0 * KB),
        270.0, energy_max=e_max, n_quad=96, breakpoints=edges,
    )  # fmt: skip
    n = optics.complex_index(optics.conductivity_si(s, 20000.0), w)
    d_eq = optics.penetration_depth(n, w)[0]
    d = r["nam"]["delta_probe"]
    assert d[0] == pytest.approx(d_eq, rel=3e-3)
    assert 10.0 < np.max(d - d[0]) < 300.0
    assert np.all(
        np.abs(r["mattis-bardeen"]["delta_probe"] - r["mattis-bardeen"]["delta_probe"][0]) == 0
    )
    # the Nam pump depth at 170 meV includes the Drude roll-off (Gamma = 270 meV): shorter
    # than sigma_N's, as 1/Re sqrt(...) of a smaller, partly inductive sigma predicts
    assert r["nam"]["delta_pump"] < r["mattis-bardeen"]["delta_pump"]


def test_penetration_depth_conductivity_choice():
    """numerics.conductivity of penetration-depth: 'both' reports k3c60_*_nam beside the
    Mattis-Bardeen keys; 'nam' makes them primary; LaH10 is Mattis-Bardeen in every case."""
    with pytest.raises(ValidationError, match="conductivity"):
        pp.PenetrationDepthNumerics(conductivity="drude")
    assert pp.PenetrationDepthNumerics().conductivity == "both"


# ---------------------------------------------------------------------------------------
# depth-resolved slices through the parallel executor
class _SliceNumerics(pp._Kin):
    workers: int = 0
    scheduler: str = ""


def _thin_pb_slices(workers: int) -> pp.DepthResolved:
    num = _SliceNumerics(
        grid_step="0.25 meV", e_max="16 meV", rtol=5e-3, gap_tol=1e-4, n_quad=32, workers=workers
    )
    return pp.depth_resolved_film(
        "Pb", 4.0, omega_pump=1500.0, injection_energy=12.0, tau_pump=2.0, fluence=5e-7,
        tau_esc=500.0, delays=np.array([-6.0, 0.0, 3.0, 20.0]), probe=np.array([5.0]),
        depth=10.0, n_slices=2, n_ambient=1.0, numerics=num, n_substrate_pump=3.7,
    )  # fmt: skip


def _slices_in_a_worker(workers: int) -> tuple[bool, pp.DepthResolved]:
    """Run in a worker process: a pool started here would raise."""
    from photosc.foundation import parallel

    def no_pool(*args, **kwargs):
        raise RuntimeError("a process pool was started inside a worker")

    parallel.ProcessPoolExecutor = no_pool  # this worker process only
    return parallel.in_worker(), _thin_pb_slices(workers)


def test_parallel_slices_equal_sequential_bit_for_bit():
    """The slices' kinetics on two worker processes give exactly the sequential result."""
    seq = _thin_pb_slices(1)
    par = _thin_pb_slices(2)
    np.testing.assert_array_equal(par.sigma, seq.sigma)
    np.testing.assert_array_equal(par.delta0, seq.delta0)
    for a, b in zip(par.traces, seq.traces):
        np.testing.assert_array_equal(a.f, b.f)
        np.testing.assert_array_equal(a.gap_delta, b.gap_delta)
        assert a.gamma_pump == b.gamma_pump
    assert seq.delta0[0, 0] - seq.delta0[:, 0].min() > seq.delta0[0, 1] - seq.delta0[:, 1].min()


def test_slices_inside_a_sweep_worker_run_in_process():
    """A film with slices run as one point of a parallel map (a sweep worker) maps its
    slices in-process -- no pool inside the pool -- with the same result."""
    from photosc.foundation.parallel import parallel_map

    ref = _thin_pb_slices(1)
    out = parallel_map(_slices_in_a_worker, [2, 0], workers=2)
    for marked, dr in out:
        assert marked
        np.testing.assert_array_equal(dr.sigma, ref.sigma)
