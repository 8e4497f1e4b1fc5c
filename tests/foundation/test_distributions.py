import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from photosc.foundation.distributions import bogoliubov, bose, fermi, fermi_derivative

energies = st.floats(min_value=-1e5, max_value=1e5, allow_nan=False)
temps = st.floats(min_value=1e-6, max_value=1e3)


@given(energies, temps)
def test_fermi_particle_hole_symmetry_and_range(e, t):
    f = fermi(e, t)
    assert 0.0 <= f <= 1.0
    assert f + fermi(-e, t) == pytest.approx(1.0, abs=1e-12)


@given(st.floats(min_value=1e-3, max_value=1e5), temps)
def test_bose_odd_continuation_and_finite(w, t):
    n = bose(w, t)
    assert np.isfinite(n) and n >= 0
    assert bose(-w, t) == pytest.approx(-1.0 - n, rel=1e-12, abs=1e-12)


def test_zero_temperature_limits_without_warnings():
    e = np.array([-1.0, 0.0, 1.0])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(fermi(e, 0.0), [1.0, 0.5, 0.0])
        np.testing.assert_array_equal(bose(np.array([-1.0, 1.0]), 0.0), [-1.0, 0.0])


def test_overflow_safe():
    with np.errstate(all="raise"):
        assert fermi(1e6, 1e-3) == 0.0
        assert bose(1e6, 1e-3) == 0.0


def test_bogoliubov_is_shifted_fermi():
    e = np.linspace(1, 10, 7)
    np.testing.assert_allclose(bogoliubov(e, 2.0, 1.5), fermi(e + 2.0, 1.5))
    assert np.all(bogoliubov(e, 0.5, 1.0) < fermi(e, 1.0))  # lambda > 0 depletes


def test_fermi_derivative_matches_finite_difference():
    e = np.linspace(-3, 3, 13)
    h = 1e-6
    fd = -(fermi(e + h, 0.7) - fermi(e - h, 0.7)) / (2 * h)
    np.testing.assert_allclose(fermi_derivative(e, 0.7), fd, rtol=1e-6)


def test_negative_temperature_rejected():
    with pytest.raises(ValueError, match=">= 0"):
        fermi(1.0, -1.0)
