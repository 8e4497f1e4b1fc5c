"""Tests of photosc.cores.raman (paper 000: U(Q), extended model, landscape, Langevin)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

from photosc.cores import bcs, raman
from photosc.foundation.units import KB

OMEGA = 88.0
G = 0.6 * OMEGA


def gap_quad(c: float, kT: float, cutoff: float) -> float:
    """Independent BCS gap: brentq on the gap equation with scipy quad."""

    def h(d: float) -> float:
        def f(x: float) -> float:
            e = math.sqrt(x * x + d * d)
            return math.tanh(e / (2 * kT)) / e

        pts = [p for p in (kT, 10 * kT, d) if 0 < p < cutoff]
        return c * quad(f, 0, cutoff, points=pts or None, limit=400, epsabs=1e-13)[0] - 1.0

    d0 = cutoff / math.sinh(1 / c)
    if h(1e-9 * d0) <= 0:
        return 0.0
    return brentq(h, 1e-9 * d0, 1.01 * d0, xtol=1e-13 * d0)


def c0_20K() -> float:
    return brentq(lambda c: bcs.tc_weak_coupling(c, OMEGA) - 20 * KB, 0.1, 0.5)


# ---------------------------------------------------------------------- U(Q)
def test_pairing_u_limits():
    q = np.array([0.0, 1e-3, 1e3])
    u = raman.pairing_u(q, 5.0, G, OMEGA, 100.0)
    assert u[0] == 5.0
    # small q: U0 + (g^2/k) 4 g^2 q^2 / Delta_E^2
    assert u[1] - 5.0 == pytest.approx(G**2 / OMEGA * 4 * G**2 * 1e-6 / 100.0**2, rel=1e-5)
    # saturation: U0 + g^2/k
    assert u[2] == pytest.approx(5.0 + G**2 / OMEGA, rel=1e-6)


def test_pairing_u_derivative_matches_finite_difference():
    q = np.linspace(0.1, 3.0, 7)
    h = 1e-6
    num = (
        raman.pairing_u(q + h, 0, G, OMEGA, 80.0) - raman.pairing_u(q - h, 0, G, OMEGA, 80.0)
    ) / (2 * h)
    np.testing.assert_allclose(raman.pairing_u_derivative(q, G, OMEGA, 80.0), num, rtol=1e-7)


def test_extended_reduces_to_eq3_without_intraband_modes():
    q = np.linspace(0, 3, 11)
    ext = raman.extended_u(
        q, 0.7, g_x=G, g_z=0.0, g_ag=0.0, k_x=OMEGA, k_z=50.0, k_ag=30.0, delta_e=120.0
    )
    np.testing.assert_allclose(ext, raman.pairing_u(q, 0.0, G, OMEGA, 120.0), rtol=1e-12)


@pytest.mark.parametrize(
    "qx,qz,gz,gag", [(0.3, 0.0, 20.0, 10.0), (1.2, 0.4, 35.0, 0.0), (2.0, -0.7, 10.0, 25.0)]
)
def test_extended_matches_projection_on_lower_band(qx, qz, gz, gag):
    kw = dict(g_x=G, g_z=gz, g_ag=gag, k_x=OMEGA, k_z=60.0, k_ag=40.0, delta_e=150.0)
    assert float(raman.extended_u(qx, qz, **kw)) == pytest.approx(
        raman.extended_u_projected(qx, qz, **kw), rel=1e-12
    )


def test_extended_delta_u_changes_sign_at_equal_pair_energies():
    k_x, k_z = OMEGA, 60.0
    kw = dict(g_x=G, g_ag=5.0, k_x=k_x, k_z=k_z, k_ag=40.0, delta_e=150.0)
    g_eq = G * math.sqrt(k_z / k_x)  # g_z^2/k_z = g_x^2/k_x

    def du(gz: float) -> float:
        u = raman.extended_u(1.0, 0.0, g_z=gz, **kw)
        return float(u - raman.extended_u(0.0, 0.0, g_z=gz, **kw))

    assert du(0.9 * g_eq) > 0
    assert du(1.1 * g_eq) < 0
    assert abs(du(g_eq)) < 1e-12


# ---------------------------------------------------------------------- gap table
@pytest.mark.parametrize("c", [0.22, 0.35, 0.8])
@pytest.mark.parametrize("frac", [0.2, 0.6, 0.9, 0.99])
def test_gap_table_against_quadrature(c, frac):
    tc = bcs.critical_temperature(c, OMEGA)
    kT = frac * tc
    ref = gap_quad(c, kT, OMEGA)
    got = float(raman.gap_from_table(c, kT, OMEGA))
    # near T_c Delta ~ sqrt(1 - T/T_c) amplifies the table error
    assert got == pytest.approx(ref, rel=2e-3 if frac < 0.95 else 1e-2)


def test_gap_table_zero_t_and_normal_state():
    c = np.array([0.2, 0.3, 0.5])
    np.testing.assert_allclose(
        raman.gap_from_table(c, 0.0, OMEGA), [bcs.delta_zero(x, OMEGA) for x in c], rtol=1e-14
    )
    tc = bcs.critical_temperature(0.3, OMEGA)
    assert float(raman.gap_from_table(0.3, 1.01 * tc, OMEGA)) == 0.0
    assert float(raman.gap_from_table(0.0, 1.0, OMEGA)) == 0.0
    with pytest.raises(ValueError, match="coupling"):
        raman.gap_from_table(-0.1, 1.0, OMEGA)


# ---------------------------------------------------------------------- landscape
def model(nu_per_eV: float, delta_e: float, u0: float | None = None) -> raman.RamanModel:
    nu = nu_per_eV / 1000
    return raman.RamanModel(OMEGA, G, delta_e, nu, c0_20K() / nu if u0 is None else u0)


def test_force_is_derivative_of_direct_free_energy():
    """Envelope theorem: dF/dq = omega q - Delta^2 U'/U^2 against d/dq of Eq. 25."""
    m = model(45.0, 150.0)
    q = np.array([0.3, 0.8, 1.2])
    kT = 60 * KB
    h = 1e-4
    num = (raman.landscape_direct(m, q + h, kT) - raman.landscape_direct(m, q - h, kT)) / (2 * h)
    np.testing.assert_allclose(raman.landscape_force(m, q, kT), num, rtol=2e-3, atol=2e-3)


def test_integrated_landscape_matches_direct():
    """Trapezoid-integrated force vs Eq. 25 directly; the table's ~1e-4 relative gap error
    accumulates to ~0.05 meV on landscapes spanning ~100 meV."""
    m = model(50.0, 150.0)
    q = np.linspace(0, 2.0, 801)
    for kT in (0.0, 50 * KB, 200 * KB):
        direct = raman.landscape_direct(m, q, kT)
        np.testing.assert_allclose(raman.landscape(m, q, kT), direct - direct[0], atol=0.1)


def test_zero_t_energy_closed_form():
    m = model(42.0, 150.0)
    q = np.linspace(0, 2, 9)
    np.testing.assert_allclose(
        raman.zero_t_energy(m, q), raman.landscape_direct(m, q, 0.0), rtol=1e-9, atol=1e-9
    )


@pytest.mark.parametrize("nu,de", [(40.0, 60.0), (60.0, 150.0), (30.0, 20.0)])
def test_eq26_solutions_are_the_critical_points(nu, de):
    m = model(nu, de, u0=0.0)
    eq26 = raman.critical_points_eq26(m)
    cp = raman.critical_points(m, 0.0)
    found = np.sort(np.concatenate([cp.minima, cp.maxima]))
    assert eq26.size == found.size >= 2
    np.testing.assert_allclose(eq26, found, rtol=1e-6)
    # the smaller root is the barrier (maximum), the larger the metastable minimum
    assert cp.maxima[0] == pytest.approx(eq26[0], rel=1e-6)
    assert cp.minima[-1] == pytest.approx(eq26[-1], rel=1e-6)


def test_eq26_needs_u0_zero():
    with pytest.raises(ValueError, match="U0 = 0"):
        raman.critical_points_eq26(model(40.0, 60.0))


def test_classification_kinds():
    assert raman.classify(model(6.6, 250.0)).kind == "normal"
    c1 = raman.classify(model(42.0, 150.0))
    c2 = raman.classify(model(50.0, 150.0))
    assert c1.kind == "I" and c1.energy_ms > 0 and 0 < c1.q_barrier < c1.q_ms
    assert c2.kind == "II" and c2.energy_ms < 0


def _has_minimum_direct(m: raman.RamanModel, kT: float) -> bool:
    """Independent check: F'(q) from quad-solved gaps on a q grid changes sign - to +."""
    q = np.linspace(0.02, raman.q_range(m), 160)
    d = np.array([gap_quad(float(c), kT, OMEGA) for c in m.coupling(q)])
    f = raman.landscape_force(m, q, kT, delta=d)
    return bool(np.any(f < 0))


@pytest.mark.parametrize("nu,de", [(42.0, 150.0), (50.0, 150.0)])
def test_barrier_temperature_is_where_the_minimum_disappears(nu, de):
    m = model(nu, de)
    kt_b = raman.metastable_temperature(m)
    assert kt_b > 20 * KB
    assert _has_minimum_direct(m, 0.98 * kt_b)
    assert not _has_minimum_direct(m, 1.02 * kt_b)


def test_first_order_temperature_type_ii():
    m = model(50.0, 150.0)
    kt_b = raman.metastable_temperature(m)
    kt_1 = raman.first_order_temperature(m, kt_b)
    assert 0 < kt_1 < kt_b
    q = np.linspace(0, raman.q_range(m), 1201)
    below = raman.landscape(m, q, 0.97 * kt_1)
    above = raman.landscape(m, q, 1.03 * kt_1)
    assert below[1:].min() < 0 < above[1:].min()
    assert raman.first_order_temperature(model(42.0, 150.0), kt_b) == 0.0


# ---------------------------------------------------------------------- Langevin
def test_langevin_harmonic_equipartition():
    """<q^2> = kT/(m W^2) and <v^2> = kT/m for a damped harmonic oscillator."""
    w2, gamma, vth = 4.0, 1.0, 0.7
    rng = np.random.default_rng(1)
    res = raman.langevin_baoab(
        lambda q, t: -w2 * q,
        np.zeros(400),
        0.0,
        dt=0.05,
        n_steps=4000,
        gamma=gamma,
        v_thermal=vth,
        rng=rng,
        record_every=10,
    )
    qs = res.q[100:]
    vs = res.v[100:]
    assert np.mean(qs**2) == pytest.approx(vth**2 / w2, rel=0.05)
    assert np.mean(vs**2) == pytest.approx(vth**2, rel=0.05)


def test_langevin_deterministic_and_reproducible():
    def run(seed):
        return raman.langevin_baoab(
            lambda q, t: -q,
            np.ones(3),
            0.0,
            dt=0.01,
            n_steps=200,
            gamma=0.5,
            v_thermal=0.3,
            rng=np.random.default_rng(seed),
        )

    np.testing.assert_array_equal(run(7).q, run(7).q)
    assert not np.array_equal(run(7).q, run(8).q)
    # no noise, no damping: energy conserved (velocity Verlet)
    r = raman.langevin_baoab(
        lambda q, t: -q,
        np.ones(1),
        0.0,
        dt=0.01,
        n_steps=2000,
        gamma=0.0,
        v_thermal=0.0,
        rng=np.random.default_rng(0),
    )
    e = 0.5 * r.v[:, 0] ** 2 + 0.5 * r.q[:, 0] ** 2
    assert np.ptp(e) < 1e-4
