"""Kaplan et al. (1976) lifetimes (photosc.cores.kaplan): closed forms, quadrature and the
FFT collision rates."""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores import kaplan as R
from photosc.cores.kinetics import (
    CollisionOperator,
    bath_channel,
    bcs_coherence,
    debye_bath,
    make_grid,
    rates,
)
from photosc.cores.kinetics.rates import integrated_rates
from photosc.foundation.distributions import fermi

B, WD = 4e-2, 5.0
KTC = 0.6
DELTA = 1.764 * KTC
A2 = 0.3  # 4 N(0) <alpha^2> / N, 1/meV


def a2f(w):
    return np.where(w <= WD, B * w * w, 0.0)


@pytest.mark.parametrize("energy", [0.3, 0.8, 1.5])
def test_tau0_normal_state_zero_temperature(energy):
    """Delta = 0, T -> 0: 1/tau_s(E) = (E / kTc)^3 / (3 tau_0)."""
    tau0 = R.kaplan_tau0(B, KTC)
    rate = R.scattering_rate(energy, 0.0, 1e-4, a2f, WD)
    assert rate == pytest.approx((energy / KTC) ** 3 / (3 * tau0), rel=2e-3)


def test_tau0_ph_at_pair_edge():
    """T = 0: the pair-breaking rate just above 2 Delta is 1/tau_0^ph, growing above."""
    tau = R.kaplan_tau0_ph(A2, DELTA)
    assert R.pair_breaking_rate(2 * DELTA * (1 + 1e-6), DELTA, 0.0, A2) * tau == pytest.approx(
        1.0, rel=1e-3
    )
    assert R.pair_breaking_rate(1.999 * DELTA, DELTA, 0.0, A2) == 0.0
    # Omega >> Delta: pi Delta -> Omega (normal-metal pair breaking)
    big = R.pair_breaking_rate(200 * DELTA, DELTA, 0.0, A2) * tau
    assert big == pytest.approx(200 / np.pi, rel=0.02)


def test_low_temperature_laws():
    """Quadrature -> Kaplan's closed forms as T -> 0, with an O(kT/Delta) correction."""
    errs_r, errs_s = [], []
    for t in (0.08, 0.04, 0.02):
        kT = t * DELTA
        errs_r.append(
            R.recombination_rate(DELTA, DELTA, kT, a2f, WD)
            / R.recombination_rate_low_t(DELTA, kT, B)
            - 1
        )
        errs_s.append(
            R.scattering_rate(DELTA, DELTA, kT, a2f, WD) / R.scattering_rate_low_t(DELTA, kT, B) - 1
        )
    for errs in (errs_r, errs_s):
        assert abs(errs[-1]) < 0.03
        # linear convergence: halving T halves the relative error
        assert abs(errs[1]) == pytest.approx(abs(errs[0]) / 2, rel=0.25)
        assert abs(errs[2]) == pytest.approx(abs(errs[1]) / 2, rel=0.25)
    # the closed forms in Kaplan's reduced units
    kT = 0.1 * KTC
    tau0 = R.kaplan_tau0(B, KTC)
    red_r = np.sqrt(np.pi) * (2 * DELTA / KTC) ** 2.5 * np.sqrt(kT / KTC) * np.exp(-DELTA / kT)
    assert R.recombination_rate_low_t(DELTA, kT, B) * tau0 == pytest.approx(red_r, rel=1e-12)


@pytest.mark.parametrize("energy", [DELTA, 1.7 * DELTA, 3.0 * DELTA])
def test_generation_balances_recombination_at_equilibrium(energy):
    """Thermal f and n: (1 - f(E)) / tau_g(E) = f(E) / tau_r(E) at every E (the occupation
    factors n (1 - f')(1 - f) and (n + 1) f' f are equal for Omega = E + E')."""
    kT = 0.5 * KTC
    f = float(fermi(energy, kT))
    g = R.generation_rate(energy, DELTA, kT, a2f, WD)
    r = R.recombination_rate(energy, DELTA, kT, a2f, WD)
    assert (1 - f) * g == pytest.approx(f * r, rel=1e-10)


@pytest.mark.parametrize("energy", [DELTA, 1.5 * DELTA, 3.0 * DELTA])
def test_sampled_and_callable_spectra_agree(energy):
    """alpha^2F as samples (trapezoid on the samples, sqrt-substitution at the edges, as
    for the gap-edge rates of paper 000) and as a callable (Gauss in arccosh(E'/Delta)):
    two quadratures of the same integrals, above the edge too (emission included)."""
    kT = 0.5 * KTC
    w = np.linspace(0.0, WD, 5001)
    for fn in (R.scattering_rate, R.recombination_rate, R.generation_rate):
        sampled = fn(energy, DELTA, kT, (w, a2f(w)))
        assert sampled == pytest.approx(fn(energy, DELTA, kT, a2f, WD), rel=1e-5)


def test_kinetics_rates_reexports_the_one_implementation():
    for name in ("scattering_rate", "recombination_rate", "pair_breaking_rate", "kaplan_tau0"):
        assert getattr(rates, name) is getattr(R, name)


def test_grid_rates_match_quadrature():
    """The process-resolved FFT collision rates at thermal equilibrium equal Kaplan's
    quadratures (away from the edge bin, where the grid averages the singularity)."""
    g = make_grid(0.01, 14.0, 6.0)
    kT = 0.5 * KTC
    bath = debye_bath(g, B, WD, kT=kT, alpha2_ratio=A2)
    coh = bcs_coherence(g, DELTA)
    f = fermi(g.energy, kT)
    proc = CollisionOperator(g).processes(f, coh, [bath_channel(g, bath)])
    for e in (1.5 * DELTA, 2.5 * DELTA, 4.0 * DELTA):
        i = int(e / g.step)
        ei = g.energy[i]
        assert proc.scattering_out[i] == pytest.approx(
            R.scattering_rate(ei, DELTA, kT, a2f, WD), rel=0.01
        )
        assert proc.recombination_out[i] == pytest.approx(
            R.recombination_rate(ei, DELTA, kT, a2f, WD), rel=0.01
        )
    n = bath_channel(g, bath).gn / np.where(bath.coupling > 0, bath.coupling, 1)
    for w in (2.5 * DELTA, 4.0 * DELTA):
        j = int(round(w / g.step))
        pb = proc.boson_pair_loss[0][j] - proc.boson_pair_gain[0][j]
        assert pb == pytest.approx(R.pair_breaking_rate(g.omega[j], DELTA, kT, A2), rel=0.01)
        sc = proc.boson_scattering_loss[0][j] - proc.boson_scattering_gain[0][j]
        assert sc == pytest.approx(
            R.phonon_scattering_rate(g.omega[j], DELTA, kT, A2, 14.0), rel=0.01
        )
    # integrated: at equilibrium generation balances recombination
    tot = integrated_rates(g, coh, f, proc)
    assert tot.generation == pytest.approx(tot.recombination, rel=1e-9)
    assert tot.qp_density > 0 and tot.scattering > 0
    assert n[1] > 0


def test_rate_arguments_are_checked():
    with pytest.raises(ValueError, match="kTc"):
        R.kaplan_tau0(B, -1.0)
    with pytest.raises(ValueError, match="energy must be >= delta"):
        R.scattering_rate(0.5, 1.0, 0.1, a2f, WD)
