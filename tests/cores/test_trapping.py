"""Tests of photosc.cores.trapping (paper 000 Eqs. 4-8, 36, Fig. 4)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from photosc.cores import bcs, trapping
from photosc.cores.qp_rates import Mode, eq8_rate
from photosc.foundation.units import KB

KT = 100 * KB


def test_fast_fixed_density_matches_bcs():
    c, cutoff = 0.3, 88.0
    for n in (1e-3, 0.5, 20.0):
        ref = bcs.fixed_density_state(n, KT, c, cutoff)
        guess = (ref.delta * 1.02, ref.lam + 0.3 * KT)
        d, lam = trapping.fixed_density_fast(n, KT, c, cutoff, guess)
        assert d == pytest.approx(ref.delta, rel=1e-8)
        assert lam == pytest.approx(ref.lam, rel=1e-7, abs=1e-7)


def test_normal_state_lambda_inverts_density():
    cutoff = 88.0
    for lam in (-5.0, 0.0, 7.0, 60.0):
        n = float(bcs.qp_density(0.0, lam, KT, cutoff))
        assert trapping.normal_state_lambda(n, KT, cutoff) == pytest.approx(lam, abs=1e-8)


def _k3c60_like(kT: float) -> trapping.TrappingModel:
    c0 = 0.24638843729626195  # T_c = 20 K with cutoff 88 meV
    sigma = 10.0
    nu = 2 / (math.sqrt(2 * math.pi) * sigma)
    w = np.linspace(0, 6.0, 301)
    a2f = 0.02 * (w / 6.0) ** 2
    return trapping.TrappingModel(kT, c0, 88.0, nu, sigma, [Mode(52.0, 31.6)], 6.0, w, a2f)


def test_trapping_curve_monotone_and_thresholds():
    m = _k3c60_like(100 * KB)
    cv = m.curve(24)
    assert np.all(np.diff(cv.n) > 0)
    assert np.all(np.diff(cv.delta) <= 1e-12)
    assert 2 * cv.delta[23] == pytest.approx(6.0, rel=1e-8)  # n_av: 2 Delta = Omega_max
    assert cv.n[23] == pytest.approx(cv.n_av)
    assert cv.lifetime[0] > cv.lifetime[10] > 0 and cv.lifetime[-1] == 0.0
    assert cv.delta[0] == pytest.approx(m.delta0, rel=1e-4)  # n -> 0: Delta(T = 0)
    # dn/dt > 0 (lam > 0: a dearth of quasi-particles) everywhere on the curve
    assert np.all(cv.rate > 0) and np.all(cv.lam > 0)
    # the slow regime is set by the molecular mode: tau ~ n_av tau_eq (Eq. 8 estimate)
    eq8 = eq8_rate(m.modes, m.delta0, m.kT, m.nu0, m.sigma)
    assert cv.lifetime[0] == pytest.approx(cv.n_av / eq8, rel=0.15)


def test_lifetime_ratio_follows_arrhenius():
    """tau(T1)/tau(T2) = thermal factor of the mode x the threshold-density correction.

    For lam >> T the net rate is 4 n_B(Omega) (not exp(-Omega/T): at 300 K, Omega/T = 2
    and the two differ by 15 %); tau ~ n_av / rate, and n_av grows with T.
    """
    t1, t2 = 100 * KB, 300 * KB
    c1, c2 = _k3c60_like(t1).curve(24), _k3c60_like(t2).curve(24)
    ratio = c1.lifetime[0] / c2.lifetime[0]
    bose_ratio = math.expm1(52.0 / t1) / math.expm1(52.0 / t2)
    assert ratio == pytest.approx(bose_ratio * c1.n_av / c2.n_av, rel=0.03)
    # the bare Arrhenius factor alone misses the n_av(T) correction by far
    assert ratio < 0.75 * math.exp(52.0 / t1 - 52.0 / t2)


@pytest.mark.slow
def test_curve_quadrature_matches_time_integration():
    m = _k3c60_like(100 * KB)
    cv = m.curve(24)
    i = 8
    t_ode = m.lifetime_ode(float(cv.n[i]), cv.n_av)
    assert cv.lifetime[i] == pytest.approx(t_ode, rel=1e-3)


def test_trapping_needs_gap_above_continuum():
    m = _k3c60_like(100 * KB)
    m.omega_max = 7.0  # 2 Delta(0) = 6.08 meV < 7 meV
    with pytest.raises(ValueError, match="no quasi-particle trapping"):
        m.lambda_avalanche()


def test_compiled_fixed_density_equations_agree_with_numpy():
    """The compiled Eqs. 4-5 residuals of the Newton iteration (issue 16) agree with the
    NumPy form to round-off over gapped and normal, hot and cold, lam of both signs."""
    from photosc.cores.trapping import _equations, _equations_fast

    rng = np.random.default_rng(11)
    for _ in range(300):
        args = (
            10 ** rng.uniform(-3, 1.5), rng.uniform(-30.0, 30.0), 10 ** rng.uniform(-1, 1.2),
            88.0, rng.uniform(0.1, 0.6), rng.uniform(-10.0, 3.0),
        )  # fmt: skip
        np.testing.assert_allclose(_equations_fast(*args), _equations(*args), rtol=0, atol=1e-13)
