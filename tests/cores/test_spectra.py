"""Tests of photosc.cores.spectra: moments, Allen-Dynes, built-ins (readers: tests/inputs)."""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores.spectra import (
    Spectrum,
    allen_dynes_tc,
    builtin,
    builtin_names,
    k3c60,
)


def einstein(omega0: float, lam: float, width: float = 0.05, step: float = 0.01) -> Spectrum:
    """Narrow Gaussian peak normalised to lambda on a uniform grid."""
    w = step * np.arange(int(3 * omega0 / step))
    g = np.exp(-0.5 * ((w - omega0) / width) ** 2)
    a = 0.5 * w * g
    lam0 = 2 * np.trapezoid(np.where(w > 0, a / np.where(w > 0, w, 1), 0), w)
    return Spectrum(omega=w, a2f=a * lam / lam0, name="einstein")


def test_einstein_moments():
    s = einstein(20.0, 0.8)
    assert s.lambda_ == pytest.approx(0.8, rel=1e-10)
    assert s.omega_log == pytest.approx(20.0, rel=1e-4)
    assert s.omega2 == pytest.approx(20.0, rel=1e-4)


def test_allen_dynes_known_value():
    # McMillan form: lambda=1, mu*=0.1, omega_log=12 K*1.2 -> T_c = 12 exp(-2.08/0.838)
    kb = 0.08617333262
    tc = allen_dynes_tc(1.0, 1.2 * 12.0 * kb, 0.1)
    assert tc == pytest.approx(12.0 * np.exp(-1.04 * 2 / (1 - 0.1 * 1.62)), rel=1e-12)
    assert allen_dynes_tc(0.1, 10.0, 0.2) == 0.0


@pytest.mark.parametrize("name", ["Pb", "lah10", "K3C60", "cac6", "AL", "nb"])
def test_builtin_loads(name):
    s = builtin(name)
    dw = np.diff(s.omega)
    assert np.allclose(dw, dw[0]), "built-ins are on a uniform grid"
    assert s.omega[0] == 0.0 and s.a2f[0] == 0.0
    assert np.all(s.a2f >= 0)
    assert s.f_dos is not None
    assert np.trapezoid(s.f_dos, s.omega) == pytest.approx(3.0, rel=1e-10)
    assert s.mu_star is not None and s.tc_target_K is not None


def test_builtin_unknown_name_lists_known():
    with pytest.raises(KeyError, match="known: Pb, LaH10"):
        builtin("YBCO")
    assert builtin_names() == ["Pb", "LaH10", "K3C60", "CaC6", "Al", "Nb"]


# published (lambda, omega_log meV) the model spectra are built to match
PUBLISHED = {
    "Pb": (1.55, 4.83),
    "CaC6": (0.83, 24.7),
    "Al": (0.43, 23.3),
    "Nb": (0.98, 13.0),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_builtin_moments_match_published(name):
    lam, wlog = PUBLISHED[name]
    s = builtin(name)
    assert s.lambda_ == pytest.approx(lam, rel=0.01)
    assert s.omega_log == pytest.approx(wlog, rel=0.06)


def test_table1_parameters():
    assert builtin("Pb").material.n0_per_ev_nm3 == 5.895
    assert builtin("LaH10").material.tc0_K == 250.0
    assert builtin("K3C60").material.rho_n_ohm_nm == 20000.0
    assert builtin("CaC6").material.n_ion_nm3 == 95.0
    assert builtin("Al").material is None


def test_k3c60_structure():
    s = k3c60()
    w, a = s.omega, s.a2f
    # intermolecular continuum below omega_max = 6 meV, then a phonon gap up to Hg(1)
    assert np.all(a[(w >= 6.0) & (w < 27.99)] == 0.0)
    assert np.all(s.f_dos[(w >= 6.0) & (w < 27.99)] == 0.0)
    assert np.any(a[w < 6.0] > 0)
    # the strongest alpha^2F is the feature near 170 meV pumped in paper 001
    assert abs(w[np.argmax(a)] - 170.0) < 3.0
    # omega_max adjustable
    s8 = k3c60(omega_max=8.0)
    assert np.any(s8.a2f[(w > 6.5) & (w < 8.0)] > 0) if len(s8.omega) else False
    assert s8.lambda_ == pytest.approx(s.lambda_, rel=1e-9)
    with pytest.raises(ValueError, match="omega_max"):
        k3c60(omega_max=0.1)


def test_spectrum_validation_messages():
    w = np.linspace(0, 10, 11)
    with pytest.raises(ValueError, match="increase strictly"):
        Spectrum(omega=w[::-1], a2f=np.ones(11))
    with pytest.raises(ValueError, match="NaN"):
        Spectrum(omega=w, a2f=np.full(11, np.nan))
    with pytest.raises(ValueError, match="no positive weight"):
        Spectrum(omega=w, a2f=-np.ones(11))


def test_resample_preserves_moments():
    s = builtin("Nb")
    r = s.resampled(0.005)
    assert r.lambda_ == pytest.approx(s.lambda_, rel=2e-3)
    assert r.omega_log == pytest.approx(s.omega_log, rel=2e-3)
