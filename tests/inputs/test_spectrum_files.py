"""Tests of photosc.inputs.spectrum_files: the alpha^2F readers (QE, EPW, text)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from photosc.cores.spectra import Spectrum
from photosc.inputs.spectrum_files import (
    NegativeWeightWarning,
    SpectrumFileError,
    SpectrumWarning,
    read_spectrum,
)

DATA = Path(__file__).parent.parent / "data" / "spectra"
REAL = DATA / "real"  # files from the codes' own repositories, see README.md
RY_MEV = 13605.693122994


def lambda_tolerance(s: Spectrum, dw, da, lam_half: float = 0.0) -> float:
    """How far lambda from printed numbers may lie from the lambda the code printed.

    The codes sum 2 alpha^2F / omega over their grid with the rectangle rule; the
    trapezoid of Spectrum.lambda_ differs by the end cells step * (|g_first| + |g_last|),
    g = alpha^2F / omega. Rounding omega by dw and alpha^2F by da (half the last printed
    digit, meV and 1) moves lambda by at most 2 sum step (da / omega + |a| dw / omega^2);
    ``lam_half`` is the rounding of the printed lambda itself.
    """
    w, a = s.omega, s.a2f
    step = np.gradient(w)
    g = a / w
    printed = 2.0 * np.sum(step * (da / w + np.abs(a) * dw / w**2))
    ends = step[0] * abs(g[0]) + step[-1] * abs(g[-1])
    return float(printed + ends + lam_half)


@pytest.mark.parametrize("name", ["a2F.dos1", "a2F.dos5"])
def test_read_qe_reference_a2f_dos(name):
    """QE's own Recover_example output: (3X,2F12.6) 'E total' + (6F16.8) modes, total with
    6 decimals only (sum of modes != total beyond print precision), 'lambda = ... Delta'."""
    with pytest.warns(NegativeWeightWarning):  # QE's Fourier-interpolation wiggle
        s = read_spectrum(REAL / name)
    assert "qe-a2f-dos" in s.source and "Ry stated in the file" in s.source
    assert s.omega.size == 50
    assert s.omega[-1] == pytest.approx(0.003034 * RY_MEV)
    tol = lambda_tolerance(s, 5e-7 * RY_MEV, 5e-7)
    assert tol < 1e-3 * s.file_lambda
    assert abs(s.lambda_ - s.file_lambda) <= tol
    assert s.file_lambda == {"a2F.dos1": 0.21892891254052915, "a2F.dos5": 0.3685949955658127}[name]


def test_read_qe_a2f_dos_wrapped_and_one_line():
    """matdyn.x layouts: wrapped (9 modes: 6 + 3 per record, F format) and one line (E)."""
    wrapped = read_spectrum(DATA / "a2F.dos3")
    assert wrapped.omega.size == 100 and np.any(wrapped.a2f < 0)  # wiggle kept
    assert abs(wrapped.lambda_ - wrapped.file_lambda) <= lambda_tolerance(
        wrapped, 5e-7 * RY_MEV, 5e-7
    )
    one = read_spectrum(DATA / "a2F.dos2")
    assert "qe-a2f-dos" in one.source and one.omega.size == 200
    assert one.omega[-1] == pytest.approx(19.95, rel=1e-6)
    rounding = 5e-6  # E16.6: half of the 6th mantissa digit, relative
    tol = lambda_tolerance(one, rounding * one.omega, rounding * np.abs(one.a2f))
    assert abs(one.lambda_ - one.file_lambda) <= tol
    assert 0 < wrapped.negative_weight < 0.01 and 0 < one.negative_weight < 0.01


def test_read_qe_one_line_sum_checked(tmp_path):
    lines = (DATA / "a2F.dos2").read_text().splitlines()
    vals = lines[30].split()
    vals[1] = f"{2 * float(vals[1]) + 1e-3:.6E}"  # total no longer the sum of the modes
    lines[30] = "   " + "".join(f"{v:>16s}" for v in vals)
    p = tmp_path / "a2F.dos2"
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(SpectrumFileError, match=r"line 31: the mode values sum to"):
        read_spectrum(p)


def test_read_epw_a2f_header_without_hash():
    """EPW supercond.f90: ' w[meV] a2f and integrated 2*a2f/w for N smearing values' (no
    '#'), rows 1 + 2N (alpha^2F x N, cumulative lambda x N), text footer."""
    assert not (DATA / "pb.a2f").read_text().startswith(" #")
    specs = [read_spectrum(DATA / "pb.a2f", column=c) for c in (1, 2, 3)]
    for s in specs:
        assert "epw-a2f" in s.source and "meV stated in the file" in s.source
        assert abs(s.lambda_ - s.file_lambda) <= lambda_tolerance(s, 5e-8, 5e-8, 5e-8)
    assert specs[2].lambda_ == pytest.approx(0.9 * specs[0].lambda_, rel=1e-5)
    with pytest.raises(SpectrumFileError, match="3 smearing"):
        read_spectrum(DATA / "pb.a2f", column=4)


def test_read_epw_write_a2f_three_columns():
    """Current EPW write_a2f: three columns under a header still naming 10 smearings."""
    s = read_spectrum(DATA / "nb_write_a2f.a2f")
    assert s.file_lambda == pytest.approx(0.3379914)
    assert abs(s.lambda_ - s.file_lambda) <= lambda_tolerance(s, 5e-8, 5e-8, 5e-8)
    assert s.lambda_ == pytest.approx(read_spectrum(DATA / "pb.a2f").lambda_, rel=1e-9)
    with pytest.raises(SpectrumFileError, match="has 1 smearing"):
        read_spectrum(DATA / "nb_write_a2f.a2f", column=2)


@pytest.mark.parametrize("column", [1, 5, 10])
def test_read_epw4_reference_without_header(column):
    """EPW 4 test-suite reference (QE repository): no header, 1 + N columns, footer."""
    s = read_spectrum(REAL / "MgB2.a2f", column=column)
    assert "epw-a2f" in s.source and "meV fixed by the layout" in s.source
    assert s.omega.size == 500 and s.omega[-1] == pytest.approx(115.539748)
    footer = {1: 0.9397306, 5: 0.9397786, 10: 0.9398612}  # 'Integrated el-ph coupling'
    assert s.file_lambda == footer[column]
    assert abs(s.lambda_ - s.file_lambda) <= lambda_tolerance(s, 5e-8, 5e-8, 5e-8)
    with pytest.raises(SpectrumFileError, match="has 10 smearing"):
        read_spectrum(REAL / "MgB2.a2f", column=11)


def test_read_qe_alpha2f_dat():
    """alpha2f.x's prefix.a2F.dat (QE tetra_example): lambda as alpha2f.x printed it."""
    s = read_spectrum(REAL / "aluminum.a2F.dat")
    assert "qe-alpha2f-dat" in s.source and s.file_lambda is None
    lam_printed = 0.3963915104345056  # reference/al.a2F.out: 'lambda : ' from a2F
    rounding = 5e-15  # e25.15
    tol = lambda_tolerance(s, rounding * s.omega, rounding * np.abs(s.a2f))
    assert abs(s.lambda_ - lam_printed) <= tol < 1e-3
    with pytest.raises(SpectrumFileError, match="phonon DOS"):
        read_spectrum(REAL / "aluminum.a2F.dat", column=2)


def test_epw_wrapped_rows_and_column_mismatch(tmp_path):
    w = np.arange(1, 41) * 0.5
    a = 0.2 * np.exp(-0.5 * ((w - 8) / 2) ** 2)
    n = 12  # 1 + 2N = 25 values: Fortran '(f12.7, 20f12.7)' wraps after 21
    cum = np.cumsum(2 * a / w * 0.5)
    head = f" w[meV] a2f and integrated 2*a2f/w for {n:4d} smearing values\n"
    body = ""
    for j in range(w.size):
        vals = [w[j]] + [a[j]] * n + [cum[j]] * n
        body += "".join(f"{v:12.7f}" for v in vals[:21]) + "\n"
        body += "".join(f"{v:12.7f}" for v in vals[21:]) + "\n"
    foot = " Integrated el-ph coupling\n  #         " + f"{cum[-1]:12.7f}" * n + "\n"
    p = tmp_path / "x.a2f"
    p.write_text(head + body + foot)
    s = read_spectrum(p, column=12)
    assert s.omega.size == w.size and s.file_lambda == pytest.approx(cum[-1], abs=1e-7)
    # 1 + N columns under a header (some EPW versions), also with a '#' header
    rows = "".join(f"{x:12.7f}" + f"{y:12.7f}" * 4 + "\n" for x, y in zip(w, a))
    for h in (head.replace("  12", "   4"), " #" + head.replace("  12", "   4")):
        p.write_text(h + rows + " Integrated el-ph coupling\n  #  " + f"{cum[-1]:12.7f}" * 4)
        s4 = read_spectrum(p, column=4)
        assert s4.omega.size == w.size and s4.file_lambda == pytest.approx(cum[-1], abs=1e-7)
        assert s4.lambda_ == pytest.approx(cum[-1], rel=1e-3)
    p.write_text(head.replace("  12", "   3") + "".join(f"{x} {y} {y}\n" for x, y in zip(w, a)))
    with pytest.raises(SpectrumFileError, match=r"3 columns, but the header names 3 smearing"):
        read_spectrum(p)


def test_file_unit_is_authoritative():
    """spectrum_units may repeat the file's unit; a different one is an error naming both."""
    ry = read_spectrum(REAL / "MgB2.a2f")
    assert read_spectrum(REAL / "MgB2.a2f", units="meV").lambda_ == ry.lambda_
    with pytest.raises(SpectrumFileError, match=r"spectrum_units='THz' \(THz\).*meV"):
        read_spectrum(REAL / "MgB2.a2f", units="THz")
    with pytest.warns(NegativeWeightWarning):
        s = read_spectrum(REAL / "a2F.dos5", units="Rydberg")
    assert s.omega[-1] == pytest.approx(0.003034 * RY_MEV)
    with pytest.raises(SpectrumFileError, match=r"'meV' \(meV\) conflicts .* Ry \(its header\)"):
        read_spectrum(REAL / "a2F.dos5", units="meV")
    with pytest.raises(SpectrumFileError, match=r"cm\^-1.*conflicts.*meV \('w\[meV\]'"):
        read_spectrum(DATA / "pb.a2f", units="cm^-1")
    with pytest.raises(SpectrumFileError, match=r"'meV' \(meV\) conflicts .* THz"):
        read_spectrum(DATA / "two_columns_thz.dat", units="meV")


def test_text_header_with_several_units(tmp_path):
    p = tmp_path / "a.dat"
    p.write_text("# omega (meV); computed with 0.1 eV smearing\n1 0.1\n2 0.3\n3 0.1\n")
    with pytest.raises(SpectrumFileError, match=r"several units \(meV, eV\)"):
        read_spectrum(p)
    assert read_spectrum(p, units="meV").omega[-1] == 3.0


@pytest.mark.parametrize(
    "content, match",
    [
        (b"", r"the file is empty \(0 bytes\)"),
        (b"\n   \n", r"the file is empty"),
        (b"\x00\x01\x02binary\x00", r"binary file \(NUL byte at offset 0\)"),
        (bytes(range(128, 256)) * 4, r"binary file"),
        (b"42\n", r"line 1: the file holds a single number \(42\)"),
        (b"# omega (meV) a2F\n\n  3.5  \n", r"line 3: the file holds a single number"),
        (b"# omega (meV) a2F\n", r"no numbers in the file"),
    ],
)
def test_empty_binary_one_number_say_so(tmp_path, content, match):
    p = tmp_path / "bad.dat"
    p.write_bytes(content)
    with pytest.raises(SpectrumFileError, match=match) as exc:
        read_spectrum(p)
    assert str(p) in str(exc.value)


def test_spectrum_file_error_is_photosc_error():
    from photosc.errors import PhotoscError

    assert issubclass(SpectrumFileError, PhotoscError)
    assert issubclass(SpectrumFileError, ValueError)
    assert issubclass(NegativeWeightWarning, SpectrumWarning)
    assert issubclass(SpectrumWarning, UserWarning)


def test_unknown_format_lists_allowed():
    with pytest.raises(SpectrumFileError, match="allowed: auto, text, qe-a2f-dos, epw-a2f"):
        read_spectrum(DATA / "pb.a2f", fmt="abinit")
    s = read_spectrum(DATA / "pb.a2f", fmt="epw")
    assert "epw-a2f" in s.source


def test_fortran_exponent_without_letter(tmp_path):
    p = tmp_path / "a.dat"
    p.write_text("# meV\n1.0 0.1\n2.0 0.5-100\n3.0 0.2D0\n4.0 0.1\n")
    s = read_spectrum(p)
    assert s.a2f[1] == pytest.approx(0.5e-100) and s.a2f[2] == 0.2


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
    with pytest.raises(SpectrumFileError, match="record length") as exc:
        read_spectrum(p)
    assert str(p) in str(exc.value)


def test_sizeable_negative_weight_warns_and_is_kept(tmp_path):
    w = np.linspace(0.1, 20, 200)
    a = 0.3 * np.exp(-0.5 * ((w - 8) / 2) ** 2) - 0.02 * np.exp(-w / 1.0)
    p = _write(tmp_path, "# w (meV) a2F\n" + "".join(f"{x} {y}\n" for x, y in zip(w, a)))
    with pytest.warns(SpectrumWarning, match=r"negative alpha\^2F carries") as rec:
        s = read_spectrum(p)
    assert rec[0].category is NegativeWeightWarning
    assert rec[0].filename == __file__  # attributed to the caller of read_spectrum
    assert s.a2f.min() < 0
    g = np.where(s.omega > 0, s.a2f / s.omega, 0)
    assert s.lambda_ == pytest.approx(2 * np.trapezoid(g, s.omega), rel=1e-12)
