"""Reader of measured traces (photosc.inputs.measured): layouts, units, and bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from photosc.errors import ConfigError
from photosc.inputs.measured import MeasuredSpec, convert_factor, parse_spec, read_measured

EXAMPLE = Path(__file__).parents[1] / "data" / "measured"


def _spec(path: Path, **kw) -> MeasuredSpec:
    return MeasuredSpec(file=path, variable="signal", **kw)


def _write(tmp_path: Path, text: str, name: str = "trace.csv") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_csv_with_header_units_in_fs(tmp_path):
    p = _write(tmp_path, "# a comment\ndelay [fs], dR/R, sigma\n100, 1e-3, 1e-4\n300, 2e-3, 1e-4\n")
    d = read_measured(_spec(p))
    np.testing.assert_allclose(d.delay, [0.1, 0.3])
    np.testing.assert_allclose(d.signal, [1e-3, 2e-3])
    np.testing.assert_allclose(d.error, [1e-4, 1e-4])  # 'sigma' is read as the error column
    assert d.energy is None and d.signal_unit == "1"


def test_whitespace_without_header_units_from_table_and_decreasing_delays(tmp_path):
    p = _write(tmp_path, "2.0  0.5   # trailing comment\n1.0 0.25\n\n0.5 0.1\n", "t.dat")
    d = read_measured(_spec(p, units={"delay": "ns"}))
    np.testing.assert_allclose(d.delay, [500.0, 1000.0, 2000.0])
    np.testing.assert_allclose(d.signal, [0.1, 0.25, 0.5])
    assert d.error is None


def test_columns_by_name_and_number(tmp_path):
    p = _write(tmp_path, "x, t (ps), y (meV)\n9, 0, 1\n9, 1, 2\n")
    d = read_measured(_spec(p, columns={"delay": "t", "signal": 3}))
    np.testing.assert_allclose(d.delay, [0.0, 1.0])
    np.testing.assert_allclose(d.signal, [1.0, 2.0])
    assert d.signal_unit == "meV"


def test_transient_spectrum_long_layout(tmp_path):
    rows = ["energy [eV], delay [ps], signal"]
    for e in (0.005, 0.010):
        for t in (2.0, 0.0, 1.0) if e == 0.005 else (0.0, 1.0, 2.0):
            rows.append(f"{e}, {t}, {e * 1000 + t}")
    p = _write(tmp_path, "\n".join(rows) + "\n")
    with pytest.raises(ConfigError, match=r"line 3, column 2: delay 0 ps after 2 ps"):
        read_measured(_spec(p), spectrum=True)
    rows[1:4] = ["0.005, 0.0, 5.0", "0.005, 1.0, 6.0", "0.005, 2.0, 7.0"]
    p = _write(tmp_path, "\n".join(rows) + "\n")
    d = read_measured(_spec(p), spectrum=True)
    np.testing.assert_allclose(np.unique(d.energy), [5.0, 10.0])  # meV
    np.testing.assert_allclose(d.signal, d.energy + d.delay, atol=1e-12)


def test_shipped_example_reads():
    d = read_measured(_spec(EXAMPLE / "raman-langevin-weak.csv"))
    assert d.delay.size > 50 and d.error is not None
    assert np.all(np.diff(d.delay) > 0)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("# only comments\n\n", "no rows of numbers"),
        ("delay [ps], s\n", "no rows of numbers"),
        ("delay [ps], s\n0, 1\n1, nan\n", r"line 3, column 2: 'nan' is not a finite number"),
        ("delay [ps], s\n0, 1\n1, abc\n", r"line 3, column 2: 'abc' is not a number"),
        ("delay [ps], s\n0, 1\n1, 2\n1, 3\n", r"line 4, column 1: delay 1 ps after 1 ps"),
        ("delay [ps], s\n0, 1\n2, 2\n1, 3\n", r"line 4, column 1: .*increase \(or decrease\)"),
        ("delay [meV], s\n0, 1\n1, 2\n", r"'meV', which is not a time"),
        ("delay, s\n0, 1\n1, 2\n", "has no unit"),
        ("delay [ps], s\n0, 1\n1, 2, 3\n", r"line 3: 3 column\(s\), expected 2"),
        ("delay [ps], s, sigma\n0, 1, 0.1\n1, 2, 0\n", r"line 3, column 3: error 0.0 must be > 0"),
        ("delay [ps]; s\n0; inf\n", r"line 2, column 2: 'inf' is not a finite number"),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path, text, pattern):
    p = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=pattern) as info:
        read_measured(_spec(p))
    assert str(p) in str(info.value)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        read_measured(_spec(tmp_path / "absent.csv"))
    p = tmp_path / "b.csv"
    p.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ConfigError, match="not a text file"):
        read_measured(_spec(p))


def test_column_and_unit_mistakes(tmp_path):
    p = _write(tmp_path, "delay [ps], s\n0, 1\n1, 2\n")
    with pytest.raises(ConfigError, match=r"'dT' is not a column of the file; header columns"):
        read_measured(_spec(p, columns={"signal": "dT"}))
    with pytest.raises(ConfigError, match="= 5, but the file has 2 column"):
        read_measured(_spec(p, columns={"signal": 5}))
    with pytest.raises(ConfigError, match=r"in 'ps' by its header but measured.units.delay"):
        read_measured(_spec(p, units={"delay": "fs"}))
    with pytest.raises(ConfigError, match="name the energy column"):
        read_measured(_spec(p), spectrum=True)


def test_parse_spec_checks_the_table(tmp_path):
    spec = parse_spec({"file": "a.csv", "variable": "x", "time_zero": "2 fs"}, tmp_path, "sc")
    assert spec.file == (tmp_path / "a.csv").resolve()
    assert spec.time_zero == pytest.approx(0.002)
    for table, pattern in [
        ({"file": "a.csv"}, r"measured.variable = None: a non-empty string"),
        ({"file": "a.csv", "variable": "x", "colour": 1}, r"unknown key\(s\) \['colour'\]"),
        ({"file": "a", "variable": "x", "columns": {"time": 1}}, "unknown role"),
        ({"file": "a", "variable": "x", "columns": {"delay": 0}}, "column number >= 1"),
        ({"file": "a", "variable": "x", "time_zero": "3 meV"}, r"measured.time_zero"),
        ({"file": "a", "variable": "x", "fluence_parameters": "f"}, "list of parameter names"),
        ([1, 2], "must be a table"),
    ]:
        with pytest.raises(ConfigError, match=pattern):
            parse_spec(table, tmp_path, "sc")


def test_convert_factor():
    assert convert_factor("%", "1") == pytest.approx(0.01)
    assert convert_factor("eV", "meV") == pytest.approx(1000.0)
    with pytest.raises(ConfigError, match="cannot be converted"):
        convert_factor("1", "meV")
    with pytest.raises(ConfigError, match="cannot be converted"):
        convert_factor("ps", "meV")
