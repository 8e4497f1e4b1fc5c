"""Tests of photosc.cores.qp_rates (paper 000 Eqs. 6-8, 33-36)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from photosc.cores import kaplan, qp_rates
from photosc.foundation.distributions import bogoliubov
from photosc.foundation.units import HBAR, KB

KT = 100 * KB
W = np.linspace(0.0, 12.0, 1201)
A2F = 0.05 * (W / 12.0) ** 2  # Debye-like continuum


@pytest.mark.parametrize("lam", [-3.0, -0.5, 0.7, 5.0, 40.0])
@pytest.mark.parametrize("delta", [0.0, 1.0, 3.0])
def test_net_rate_is_generation_minus_recombination(lam, delta):
    """Eq. 7 equals Gamma_g - Gamma_r of Eqs. 33, 35 for the Bogoliubov distribution."""
    net = qp_rates.net_rate(W, A2F, delta, lam, KT)
    g = qp_rates.generation_rate(W, A2F, delta, KT, lam=lam)
    r = qp_rates.recombination_rate(W, A2F, delta, KT, lam=lam)
    assert net == pytest.approx(g - r, rel=1e-9, abs=1e-14 * max(g, r))


def test_detailed_balance_and_sign():
    for delta in (0.5, 2.0):
        assert qp_rates.net_rate(W, A2F, delta, 0.0, KT) == 0.0
        g = qp_rates.generation_rate(W, A2F, delta, KT, lam=0.0)
        r = qp_rates.recombination_rate(W, A2F, delta, KT, lam=0.0)
        assert g == pytest.approx(r, rel=1e-12)
        assert qp_rates.net_rate(W, A2F, delta, 0.3, KT) > 0
        assert qp_rates.net_rate(W, A2F, delta, -0.3, KT) < 0


def test_rates_with_arbitrary_occupation_match_bogoliubov():
    lam = 2.0

    def occ(e):
        return 1.0 / (np.exp((np.asarray(e) + lam) / KT) + 1.0)

    for fn in (qp_rates.generation_rate, qp_rates.recombination_rate, qp_rates.scattering_rate):
        assert fn(W, A2F, 1.5, KT, occupation=occ) == pytest.approx(
            fn(W, A2F, 1.5, KT, lam=lam), rel=1e-12
        )


def test_generation_rate_single_peak_closed_form():
    """A narrow peak of weight A at Omega0: Gamma_g -> (2pi/hbar) A sqrt(Om/(Om-2D)) occ."""
    om0, width, weight = 9.0, 0.01, 0.02
    w = np.linspace(0.0, 12.0, 24001)
    a2f = weight * np.exp(-0.5 * ((w - om0) / width) ** 2) / (math.sqrt(2 * math.pi) * width)
    delta, lam = 2.0, 1.0

    def f(e: float) -> float:
        return 1.0 / (math.exp((e + lam) / KT) + 1.0)

    nb = 1.0 / math.expm1(om0 / KT)
    expect = (
        2
        * math.pi
        / HBAR
        * weight
        * math.sqrt(om0 / (om0 - 2 * delta))
        * (1 - f(om0 - delta))
        * (1 - f(delta))
        * nb
    )
    got = qp_rates.generation_rate(w, a2f, delta, KT, lam=lam, n_min=2000)
    assert got == pytest.approx(expect, rel=2e-3)


def test_edge_singularity_is_integrated():
    """Flat a2F: int_{2D}^{Wm} sqrt(Om/(Om-2D)) dOm has a closed form; checks the s-grid."""
    w = np.linspace(0.0, 10.0, 11)
    delta = 1.0
    s_top = math.sqrt(10.0 - 2 * delta)
    exact = (  # int sqrt(Om/(Om-2D)) dOm from 2D to 10, Om = 2D + s^2
        s_top * math.sqrt(10.0) + 2 * delta * math.asinh(s_top / math.sqrt(2 * delta))
    )
    s, ws = kaplan.edge_nodes(w, 2 * delta, 10.0, 4000)
    om = 2 * delta + s * s
    assert float(np.sum(ws * np.sqrt(om))) == pytest.approx(exact, rel=1e-6)


@pytest.mark.parametrize("delta", [0.0, 1.0, 3.0])
def test_gap_edge_rates_are_kaplans_general_rates_at_the_edge(delta):
    """Eqs. 33-35 are Kaplan's rates at E = Delta (photosc.cores.kaplan) times the
    occupation of the edge state: (1 - f(Delta)) for generation, f(Delta) for
    recombination, none for scattering. Checked with the same sampled alpha^2F (the same
    quadrature: equal to rounding) and with alpha^2F as a callable, integrated by Gauss
    in arccosh(E'/Delta), a quadrature independent of the gap-edge one (alpha^2F vanishes
    at its last sample: the edge quadrature's top node Omega = edge + s_top^2 can round
    above it, where a sampled alpha^2F is 0)."""
    lam = 0.7
    w = np.linspace(0.0, 12.0, 1201)

    def occ(e):
        return bogoliubov(e, lam, KT)

    def a2f_fn(om):
        return np.where(om <= 12.0, 0.05 * (om / 12.0) ** 2 * (1.0 - om / 12.0), 0.0)

    a2f = a2f_fn(w)

    f_edge = float(occ(np.asarray(delta)))
    edge = {
        kaplan.generation_rate: (qp_rates.generation_rate, 1.0 - f_edge),
        kaplan.recombination_rate: (qp_rates.recombination_rate, f_edge),
        kaplan.scattering_rate: (qp_rates.scattering_rate, 1.0),
    }
    for general, (at_edge, factor) in edge.items():
        got = at_edge(w, a2f, delta, KT, lam=lam)
        sampled = general(delta, delta, KT, (w, a2f), occupation=occ)
        callable_ = general(delta, delta, KT, a2f_fn, 12.0, occupation=occ)
        assert got == pytest.approx(factor * sampled, rel=1e-13)
        assert got == pytest.approx(factor * callable_, rel=1e-5)


def test_scattering_exceeds_generation_for_low_frequency_bath():
    """Gamma_s >> Gamma_g when 2 Delta >> T sits high in the bath (Methods; at 10 K)."""
    delta, kt = 4.5, 10 * KB
    gs = qp_rates.scattering_rate(W, A2F, delta, kt, lam=10.0)
    gg = qp_rates.generation_rate(W, A2F, delta, kt, lam=10.0)
    assert gs > 10 * gg > 0


def test_mode_rate_tends_to_eq8():
    modes = [qp_rates.Mode(52.0, 30.0), qp_rates.Mode(88.0, 25.0)]
    delta, sigma, nu = 3.0, 10.0, 0.08
    big_lam = 60 * KT
    net = qp_rates.mode_net_rate(modes, delta, big_lam, KT, nu, sigma)
    # Eq. 8 without coherence factors; the ratio per mode is sqrt(Om/(Om-2D)) (1 + O(e^-Om/T))
    terms = [
        m.g**2
        * float(qp_rates.superconducting_dos(m.omega - delta, delta, nu, sigma))
        * math.sqrt(m.omega / (m.omega - 2 * delta))
        * math.exp(-m.omega / KT)
        for m in modes
    ]
    assert net == pytest.approx(2 * math.pi / HBAR * sum(terms), rel=0.01)
    eq8 = qp_rates.eq8_rate(modes, delta, KT, nu, sigma)
    assert 1.0 < net / eq8 < math.sqrt(52 / 46) * 1.01


def test_superconducting_dos():
    d = 3.0
    e = np.array([2.0, 3.5, 50.0])
    dos = qp_rates.superconducting_dos(e, d, 0.1, 10.0)
    assert dos[0] == 0.0
    xi = math.sqrt(3.5**2 - 9)
    assert dos[1] == pytest.approx(0.1 * math.exp(-0.5 * (xi / 10) ** 2) * 3.5 / xi)
    with pytest.raises(ValueError, match="sigma"):
        qp_rates.gaussian_band_dos(1.0, 0.1, 0.0)


def test_gap_edge_rates_match_kaplans_low_temperature_forms():
    """Kaplan et al. (PRB 14, 4854 (1976), Eqs. 8, 9 and their low-T forms) for a Debye
    alpha^2F = b Omega^2 at k_B T << Delta, derived to first order in k_B T / Delta:

    Gamma_s(Delta) = (2 pi b / hbar) [G(7/2) z(7/2) (kT)^(7/2)
                      - G(9/2) z(9/2) (kT)^(9/2) / (4 Delta)] / sqrt(2 Delta)
    Gamma_r(Delta) / f(Delta) = (2 pi b / hbar) (2 Delta)^(5/2) sqrt(pi kT) e^(-Delta/kT)
                      (1 + 5 kT / (8 Delta))

    (absorption only at the edge, coherence factor sqrt(Omega / (Omega + 2 Delta));
    recombination with a thermal partner). Independent of the code's quadrature; a
    factor 2 in the coherence factor's Delta (sqrt(Omega / (Omega + Delta))) is off by
    sqrt(2).
    """
    from scipy.special import gamma, zeta

    b, delta, kt = 0.01, 1.0, 0.02
    w = np.linspace(0.0, 12.0, 120001)
    a2f = b * w**2
    pref = 2 * math.pi * b / HBAR
    gs = qp_rates.scattering_rate(w, a2f, delta, kt)
    lead = gamma(3.5) * zeta(3.5) * kt**3.5 - gamma(4.5) * zeta(4.5) * kt**4.5 / (4 * delta)
    assert gs == pytest.approx(pref * lead / math.sqrt(2 * delta), rel=2e-3)
    f_edge = 1.0 / (math.exp(delta / kt) + 1.0)
    gr = qp_rates.recombination_rate(w, a2f, delta, kt) / f_edge
    kaplan_r = (pref * (2 * delta) ** 2.5 * math.sqrt(math.pi * kt) * math.exp(-delta / kt)) * (
        1 + 5 * kt / (8 * delta)
    )
    assert gr == pytest.approx(kaplan_r, rel=2e-3)
