"""Pump-probe signals: Eq. 3, exact Gaussian probe convolution, reheating tail."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtr

from photosc.cores.optics import signals

SIG_PER_FWHM = 1.0 / (2.0 * math.sqrt(2.0 * math.log(2.0)))


def test_differential():
    r0 = 0.9
    r = np.array([0.9, 0.91, 0.88])
    np.testing.assert_allclose(signals.differential(r, r0), [0.0, 0.01 / 0.9, -0.02 / 0.9])
    with pytest.raises(ValueError, match="reference"):
        signals.differential(r, 0.0)


def nonuniform_grid(n=400, t0=-50.0, t1=200.0, seed=0):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(t0, t1, n))
    t[0], t[-1] = t0, t1
    return t


def test_convolution_of_a_step_is_the_error_function():
    t = nonuniform_grid()
    fwhm = 8.0
    step = (t >= 0).astype(float)
    # make the sampled step exact for the piecewise-linear interpolant: insert t = 0
    t = np.sort(np.concatenate([t, [0.0, -1e-9]]))
    step = (t >= 0).astype(float)
    out = signals.gaussian_probe_convolution(t, step, fwhm)
    expected = ndtr(t / (fwhm * SIG_PER_FWHM))
    np.testing.assert_allclose(out, expected, atol=2e-9)


def test_convolution_of_gaussians_adds_variances():
    s1, fwhm = 3.0, 5.0
    s = math.hypot(s1, fwhm * SIG_PER_FWHM)
    errors = []
    for n in (1001, 2001):
        t = np.linspace(-100.0, 100.0, n)
        x = np.exp(-0.5 * (t / s1) ** 2)
        out = signals.gaussian_probe_convolution(t, x, fwhm)
        expected = s1 / s * np.exp(-0.5 * (t / s) ** 2)
        errors.append(np.max(np.abs(out - expected)))
        assert np.trapezoid(out, t) == pytest.approx(np.trapezoid(x, t), rel=1e-9)
    # exact convolution of the piecewise-linear interpolant: second order in the spacing
    assert errors[1] < 1e-4
    assert 3.5 < errors[0] / errors[1] < 4.5


def test_convolution_keeps_constants_and_lines_in_the_interior():
    t = nonuniform_grid(seed=4)
    out = signals.gaussian_probe_convolution(t, np.full(t.size, 2.5), 10.0)
    np.testing.assert_allclose(out, 2.5, rtol=1e-12)
    line = 0.3 * t - 1.0
    out = signals.gaussian_probe_convolution(t, line, 10.0)
    inner = (t > 0) & (t < 150)
    np.testing.assert_allclose(out[inner], line[inner], atol=1e-9)


def test_convolution_along_an_axis():
    t = np.linspace(0, 10, 50)
    x = np.stack([np.sin(t), np.cos(t)], axis=0)
    a = signals.gaussian_probe_convolution(t, x, 1.0, axis=1)
    b = signals.gaussian_probe_convolution(t, x.T, 1.0, axis=0)
    np.testing.assert_allclose(a, b.T)
    with pytest.raises(ValueError, match="samples"):
        signals.gaussian_probe_convolution(t, x, 1.0, axis=0)
    with pytest.raises(ValueError, match="fwhm"):
        signals.gaussian_probe_convolution(t, x, 0.0, axis=1)


def test_reheating_tail():
    t = np.linspace(-100.0, 10000.0, 2001)
    s = np.where(t >= 0, np.exp(-np.clip(t, 0, None) / 500.0), 0.0) * 0.7
    out = signals.reheating_tail(t, s, amplitude=0.2, decay=3000.0)
    np.testing.assert_array_equal(out[t < 0], 0.0)
    k = np.argmax(s)
    assert out[k] == pytest.approx(s[k] * 1.2)
    late = t > 6000
    np.testing.assert_allclose(
        out[late] - s[late], 0.2 * s[k] * np.exp(-(t[late] - t[k]) / 3000.0), rtol=1e-12
    )
    with pytest.raises(ValueError, match="decay"):
        signals.reheating_tail(t, s, decay=-1.0)


def test_film_trace_matches_direct_composition():
    from photosc.cores.optics import films

    rng = np.random.default_rng(5)
    w = np.array([5.0, 1500.0])
    sig = (rng.uniform(1e5, 1e7, (6, 2, 3)) + 1j * rng.uniform(0, 1e7, (6, 2, 3))).astype(complex)
    d = [4.0, 6.0, 10.0]
    tr = signals.film_trace(sig, w, d, n_substrate=3.4, eps_inf=2.0)
    for k in range(6):
        n = films.complex_index(sig[k], w[:, None], 2.0)
        ref = films.stack(n, d, w, n_substrate=3.4)
        np.testing.assert_allclose(tr.reflectance[k], ref.reflectance, rtol=1e-13)
        np.testing.assert_allclose(tr.transmittance[k], ref.transmittance, rtol=1e-13)
    np.testing.assert_array_equal(tr.d_r_over_r[0], 0.0)
    np.testing.assert_allclose(
        tr.d_t_over_t[3], tr.transmittance[3] / tr.transmittance[0] - 1, rtol=1e-12
    )
    assert tr.penetration_depth.shape == (6, 2, 3)
    with pytest.raises(ValueError, match="shape"):
        signals.film_trace(sig[:, :1], w, d)
    with pytest.raises(ValueError, match="reference"):
        signals.film_trace(sig, w, d, reference=6)
