"""Tests of photosc.cores.spectra: moments, Allen-Dynes, built-ins, readers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from photosc.cores.spectra import (
    Spectrum,
    allen_dynes_tc,
    builtin,
    builtin_names,
    k3c60,
    read_spectrum,
)
from photosc.cores.spectra.readers import NegativeWeightWarning, SpectrumFileError


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


# ----------------------------------------------------------------------------- readers
DATA = Path(__file__).parent.parent / "data" / "spectra"


def test_read_qe_a2f_dos_layout():
    """QE a2F.dos: Ry frequencies, (freq, total) lines interleaved with mode lines,
    'lambda' footer, small negative values at low frequency kept."""
    s = read_spectrum(DATA / "a2F.dos3")
    assert "qe" in s.source
    assert s.omega[-1] == pytest.approx(20.0, rel=1e-6)  # 20 meV written in Ry
    assert np.any(s.a2f < 0)  # negative interpolation wiggle kept
    assert s.file_lambda == pytest.approx(0.33538523)
    assert s.lambda_ == pytest.approx(s.file_lambda, rel=2e-3)
    assert 0 < s.negative_weight < 0.01  # below the warning threshold


def test_read_epw_layout_columns():
    s1 = read_spectrum(DATA / "pb.a2f")
    s3 = read_spectrum(DATA / "pb.a2f", column=3)
    assert "epw" in s1.source
    assert s1.lambda_ == pytest.approx(s1.file_lambda, rel=2e-3)
    assert s3.lambda_ == pytest.approx(s3.file_lambda, rel=2e-3)
    assert s3.lambda_ == pytest.approx(0.9 * s1.lambda_, rel=1e-5)
    with pytest.raises(SpectrumFileError, match="3 smearing"):
        read_spectrum(DATA / "pb.a2f", column=4)


def test_read_text_units_header_and_user():
    thz = read_spectrum(DATA / "two_columns_thz.dat")
    thz2 = read_spectrum(DATA / "two_columns_thz.dat", column=2)
    cm = read_spectrum(DATA / "plain_cm.dat", units="cm^-1")
    epw = read_spectrum(DATA / "pb.a2f")
    assert thz.omega[-1] == pytest.approx(20.0, rel=1e-6)
    assert cm.omega[-1] == pytest.approx(20.0, rel=1e-6)
    assert thz.lambda_ == pytest.approx(cm.lambda_, rel=1e-6)
    assert thz.omega_log == pytest.approx(cm.omega_log, rel=1e-6)
    assert thz.lambda_ == pytest.approx(epw.lambda_, rel=5e-3)  # same model function
    assert thz2.lambda_ == pytest.approx(0.5 * thz.lambda_, rel=1e-6)
    with pytest.raises(SpectrumFileError, match="no frequency unit"):
        read_spectrum(DATA / "plain_cm.dat")
    with pytest.raises(SpectrumFileError, match="unknown spectrum_units"):
        read_spectrum(DATA / "plain_cm.dat", units="furlong")
    with pytest.raises(SpectrumFileError, match="spectrum_column=3 out of range"):
        read_spectrum(DATA / "two_columns_thz.dat", column=3)


def test_read_text_with_leading_point_count(tmp_path):
    w = np.linspace(0, 20, 101)
    a = 0.3 * np.exp(-0.5 * ((w - 8) / 2) ** 2) * (w / 20) ** 2
    body = "".join(f"{x:.4f} {y:.6e}\n" for x, y in zip(w, a))
    p = tmp_path / "a2f_input.dat"
    p.write_text(f"{w.size}\n" + body)
    s = read_spectrum(p, units="meV")
    assert s.omega.size == w.size - 1  # the zero-weight point at omega = 0 is dropped
    p.write_text(f"{w.size + 3}\n" + body)
    with pytest.raises(SpectrumFileError, match="declares 104 points, the file has 101"):
        read_spectrum(p, units="meV")


def _write(tmp_path, text, name="s.dat"):
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    "body, match",
    [
        ("# meV\n1 0.1\n2 0.2\n2 0.3\n4 0.1\n", r"line 4: frequencies must increase"),
        ("# meV\n1 0.1\n2 nan\n3 0.3\n", r"line 3: NaN"),
        ("# meV\n1 0.1 0.2\n2 0.2\n3 0.3 0.1\n", r"line 3: 2 columns, expected 3"),
        ("# meV\n1 0.1\n2 abc\n3 0.3\n", r"line 3: expected numbers, found 'abc'"),
        ("# meV\n1 -0.1\n2 0.0\n3 -0.3\n", r"no positive weight"),
    ],
)
def test_malformed_text_names_file_and_line(tmp_path, body, match):
    p = _write(tmp_path, body)
    with pytest.raises(SpectrumFileError, match=match) as exc:
        read_spectrum(p)
    assert str(p) in str(exc.value)


def test_malformed_qe_record(tmp_path):
    lines = open(DATA / "a2F.dos3").read().splitlines()
    lines.pop(10)  # drop one mode line: records no longer consistent
    p = _write(tmp_path, "\n".join(lines) + "\n", "a2F.dos1")
    with pytest.raises(SpectrumFileError, match="record length"):
        read_spectrum(p)


def test_sizeable_negative_weight_warns_and_is_kept(tmp_path):
    w = np.linspace(0.1, 20, 200)
    a = 0.3 * np.exp(-0.5 * ((w - 8) / 2) ** 2) - 0.02 * np.exp(-w / 1.0)
    p = _write(tmp_path, "# w (meV) a2F\n" + "".join(f"{x} {y}\n" for x, y in zip(w, a)))
    with pytest.warns(NegativeWeightWarning, match=r"negative alpha\^2F carries"):
        s = read_spectrum(p)
    assert s.a2f.min() < 0
    g = np.where(s.omega > 0, s.a2f / s.omega, 0)
    assert s.lambda_ == pytest.approx(2 * np.trapezoid(g, s.omega), rel=1e-12)
