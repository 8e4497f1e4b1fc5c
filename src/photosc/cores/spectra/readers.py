"""Readers for alpha^2F(omega) files: multi-column text, EPW, Quantum ESPRESSO.

:func:`read_spectrum` detects the layout:

``"qe"`` -- Quantum ESPRESSO ``a2F.dos*`` (``matdyn.x`` with ``la2F``):
    comment lines starting with ``#`` (one says "frequencies in Rydberg"), then per
    frequency a line ``omega a2F_total`` followed by one or more lines with the
    mode-resolved values (Fortran wraps long records), and a footer ``lambda  <value>``.
    Frequencies in Ry. The record length is found as the shortest period of the
    numbers-per-line pattern whose records satisfy sum(modes) = total; the footer
    lambda is stored as ``Spectrum.file_lambda``.
``"epw"`` -- EPW ``prefix.a2f`` / ``prefix.a2f_iso``: header
    ``# w[meV] a2f and integrated 2*a2f/w for N smearing values``, rows of
    ``omega, a2F(1..N), lambda_int(1..N)``, then text footer lines (``Integrated el-ph
    coupling`` with a ``#`` line of the N lambdas, smearings, ...). Frequencies in meV;
    ``column`` picks the smearing; the file's lambda for it is ``file_lambda``.
``"text"`` -- multi-column text: frequency, then one or more alpha^2F columns
    (comment lines start with ``#``, ``!`` or ``%``; an optional first line holding
    only the number of points, as in EPW's ``fila2f`` input, is checked and skipped).
    The unit comes from ``units`` or from a header word (``meV``, ``THz``,
    ``cm^-1``/``cm-1``/``1/cm``, ``Ry``/``Rydberg``, ``eV``); if neither, it is an error.

Quirks accepted, not rejected: small negative alpha^2F at low frequency (Fourier
interpolation) is kept, and a :class:`NegativeWeightWarning` states the weight when
negative values carry more than 1 % of int |alpha^2F| / omega; Fortran ``D`` exponents;
a first frequency at or below zero (dropped if alpha^2F is zero there, as QE writes).

Malformed files raise :class:`SpectrumFileError` naming the file and the line:
non-increasing frequencies, NaN/inf, a wrong number of columns, text where numbers
belong, no positive weight.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np

from photosc.foundation.units import RYDBERG, THZ, WAVENUMBER

__all__ = ["NegativeWeightWarning", "SpectrumFileError", "UNITS", "read_spectrum"]

#: Accepted frequency units and their value in meV.
UNITS = {
    "mev": 1.0,
    "ev": 1000.0,
    "thz": THZ,
    "cm-1": WAVENUMBER,
    "cm^-1": WAVENUMBER,
    "1/cm": WAVENUMBER,
    "ry": RYDBERG,
    "rydberg": RYDBERG,
}

_UNIT_PATTERNS = [
    (re.compile(r"(?<![a-z])mev(?![a-z])"), "mev"),
    (re.compile(r"(?<![a-z])thz(?![a-z])"), "thz"),
    (re.compile(r"cm\^?-1|1/cm|cm\*\*-1"), "cm-1"),
    (re.compile(r"rydberg|(?<![a-z])ry(?![a-z])"), "ry"),
    (re.compile(r"(?<![a-z])ev(?![a-z])"), "ev"),
]

NEGATIVE_WEIGHT_THRESHOLD = 0.01


class SpectrumFileError(ValueError):
    """A malformed alpha^2F file; the message names the file and line."""


class NegativeWeightWarning(UserWarning):
    """alpha^2F has a sizeable negative part (kept, but reported)."""


def _unit_factor(units: str, path: Path) -> float:
    key = units.strip().lower().replace(" ", "")
    if key not in UNITS:
        raise SpectrumFileError(
            f"{path}: unknown spectrum_units {units!r}; allowed: meV, eV, THz, cm^-1, Ry"
        )
    return UNITS[key]


def _header_unit(lines: list[str]) -> str | None:
    for line in lines:
        low = line.lower()
        for pat, key in _UNIT_PATTERNS:
            if pat.search(low):
                return key
    return None


def _numbers(line: str, path: Path, lineno: int) -> list[float]:
    out = []
    for tok in line.replace(",", " ").split():
        try:
            out.append(float(tok.replace("D", "E").replace("d", "e")))
        except ValueError:
            raise SpectrumFileError(
                f"{path}, line {lineno}: expected numbers, found {tok!r} in {line.strip()!r}"
            ) from None
    return out


def _is_comment(line: str) -> bool:
    s = line.strip()
    return not s or s[0] in "#!%"


def _looks_numeric(line: str) -> bool:
    tok = line.split()
    if not tok:
        return False
    try:
        float(tok[0].replace("D", "E").replace("d", "e"))
        return True
    except ValueError:
        return False


def _detect(lines: list[str]) -> str:
    head = " ".join(line.lower() for line in lines[:10] if _is_comment(line))
    if "w[mev]" in head and "smearing" in head:
        return "epw"
    if "eliashberg function a2f" in head or "a2f_total" in head.replace(" ", ""):
        return "qe"
    if any(re.match(r"\s*lambda\b", line.lower()) for line in lines[-5:]):
        return "qe"
    return "text"


def _check_finite(values: np.ndarray, rows: list[int], path: Path) -> None:
    bad = ~np.isfinite(values)
    if np.any(bad):
        i = int(np.nonzero(bad.any(axis=1) if values.ndim == 2 else bad)[0][0])
        raise SpectrumFileError(f"{path}, line {rows[i]}: NaN or inf value")


def _finish(
    w: np.ndarray,
    a: np.ndarray,
    rows: list[int],
    path: Path,
    fmt: str,
    file_lambda: float | None,
    column: int,
):
    from photosc.cores.spectra import Spectrum

    # drop leading points at omega <= 0 that carry no weight (QE starts at 0)
    keep = np.ones(w.size, bool)
    for i in range(w.size):
        if w[i] <= 0 and a[i] == 0.0:
            keep[i] = False
        else:
            break
    w, a = w[keep], a[keep]
    rows = [r for r, k in zip(rows, keep) if k]
    if w.size < 3:
        raise SpectrumFileError(f"{path}: fewer than 3 frequency points")
    if w[0] < 0:
        raise SpectrumFileError(f"{path}, line {rows[0]}: negative frequency {w[0]}")
    d = np.diff(w)
    if np.any(d <= 0):
        i = int(np.nonzero(d <= 0)[0][0]) + 1
        raise SpectrumFileError(
            f"{path}, line {rows[i]}: frequencies must increase; {w[i]} after {w[i - 1]}"
        )
    if not np.any(a > 0):
        raise SpectrumFileError(f"{path}: alpha^2F (column {column}) has no positive weight")
    spec = Spectrum(
        omega=w,
        a2f=a,
        name=path.stem,
        source=f"{path} ({fmt}, alpha^2F column {column})",
        file_lambda=file_lambda,
    )
    neg = spec.negative_weight
    if neg > NEGATIVE_WEIGHT_THRESHOLD:
        warnings.warn(
            f"{path}: negative alpha^2F carries {100 * neg:.1f} % of int |alpha^2F|/omega "
            "(kept in all moments)",
            NegativeWeightWarning,
            stacklevel=3,
        )
    return spec


def _read_text(lines, path, units, column):
    header = [line for line in lines if _is_comment(line)]
    unit = units or _header_unit(header)
    if unit is None:
        raise SpectrumFileError(
            f"{path}: no frequency unit in the header; give spectrum_units "
            "(meV, eV, THz, cm^-1 or Ry)"
        )
    factor = _unit_factor(unit, path)
    data, rows = [], []
    ncol = None
    n_declared = None
    for k, line in enumerate(lines, start=1):
        if _is_comment(line):
            continue
        vals = _numbers(line, path, k)
        if ncol is None and n_declared is None and len(vals) == 1 and vals[0] == int(vals[0]):
            # a leading point count (as in EPW's fila2f input): checked below
            n_declared = int(vals[0])
            continue
        if ncol is None:
            ncol = len(vals)
            if ncol < 2:
                raise SpectrumFileError(
                    f"{path}, line {k}: need a frequency and at least one alpha^2F column"
                )
        elif len(vals) != ncol:
            raise SpectrumFileError(
                f"{path}, line {k}: {len(vals)} columns, expected {ncol} as on line {rows[0]}"
            )
        data.append(vals)
        rows.append(k)
    if not data:
        raise SpectrumFileError(f"{path}: no data lines")
    if n_declared is not None and n_declared != len(data):
        raise SpectrumFileError(
            f"{path}: the first line declares {n_declared} points, the file has {len(data)}"
        )
    arr = np.array(data)
    _check_finite(arr, rows, path)
    if not 1 <= column <= ncol - 1:
        raise SpectrumFileError(
            f"{path}: spectrum_column={column} out of range; the file has {ncol - 1} "
            "alpha^2F column(s) (1 = first after the frequency)"
        )
    return _finish(arr[:, 0] * factor, arr[:, column], rows, path, "text", None, column)


def _read_epw(lines, path, units, column):
    head = " ".join(line for line in lines[:5] if _is_comment(line))
    m = re.search(r"for\s+(\d+)\s+smearing", head)
    nsmear = int(m.group(1)) if m else None
    factor = _unit_factor(units, path) if units else 1.0  # EPW writes meV
    data, rows = [], []
    footer_start = None
    for k, line in enumerate(lines, start=1):
        if _is_comment(line):
            continue
        if not _looks_numeric(line):
            footer_start = k
            break
        vals = _numbers(line, path, k)
        if nsmear is None:
            if len(vals) % 2 != 1:
                raise SpectrumFileError(
                    f"{path}, line {k}: EPW rows have 1 + 2 N columns, found {len(vals)}"
                )
            nsmear = (len(vals) - 1) // 2
        if len(vals) != 1 + 2 * nsmear:
            raise SpectrumFileError(
                f"{path}, line {k}: {len(vals)} columns, expected {1 + 2 * nsmear} "
                f"(frequency, {nsmear} alpha^2F, {nsmear} integrated lambda)"
            )
        data.append(vals)
        rows.append(k)
    if not data:
        raise SpectrumFileError(f"{path}: no data lines")
    if not 1 <= column <= nsmear:
        raise SpectrumFileError(
            f"{path}: spectrum_column={column} out of range; the file has {nsmear} smearing(s)"
        )
    arr = np.array(data)
    _check_finite(arr, rows, path)
    file_lambda = None
    if footer_start is not None:
        rest = lines[footer_start - 1 :]
        for i, line in enumerate(rest):
            if "integrated" in line.lower() and i + 1 < len(rest):
                nums = rest[i + 1].replace("#", " ").split()
                try:
                    file_lambda = float(nums[column - 1])
                except (ValueError, IndexError):
                    file_lambda = None
                break
    return _finish(arr[:, 0] * factor, arr[:, column], rows, path, "epw", file_lambda, column)


def _read_qe(lines, path, units, column):
    factor = _unit_factor(units, path) if units else RYDBERG
    rec_lines, counts, rows = [], [], []
    file_lambda = None
    for k, line in enumerate(lines, start=1):
        if _is_comment(line):
            continue
        low = line.strip().lower()
        if low.startswith("lambda"):
            nums = re.findall(r"[-+]?\d*\.\d+(?:[eEdD][-+]?\d+)?|[-+]?\d+", low[6:])
            if nums:
                file_lambda = float(nums[0].replace("d", "e"))
            break
        vals = _numbers(line, path, k)
        rec_lines.append(vals)
        counts.append(len(vals))
        rows.append(k)
    if not rec_lines:
        raise SpectrumFileError(f"{path}: no data lines")
    if counts[0] != 2:
        raise SpectrumFileError(
            f"{path}, line {rows[0]}: a QE a2F.dos record starts with 'frequency total', "
            f"found {counts[0]} numbers"
        )
    nl = len(counts)
    period = None
    for p in range(1, min(nl, 64) + 1):
        if nl % p or any(counts[i] != counts[i % p] for i in range(nl)):
            continue
        ok = True
        for r in range(0, nl, p):
            flat = [x for line in rec_lines[r : r + p] for x in line]
            if p > 1:
                tot, modes = flat[1], np.array(flat[2:])
                if abs(modes.sum() - tot) > 1e-3 * abs(tot) + 1e-6 * (abs(modes).sum() + 1e-30):
                    ok = False
                    break
        if ok:
            period = p
            break
    if period is None:
        raise SpectrumFileError(
            f"{path}: cannot find a consistent record length (each record: 'frequency total' "
            "then mode values summing to the total); wrong number of columns?"
        )
    w = np.array([rec_lines[r][0] for r in range(0, nl, period)])
    a = np.array([rec_lines[r][1] for r in range(0, nl, period)])
    rrows = rows[::period]
    _check_finite(np.c_[w, a], rrows, path)
    if column != 1:
        raise SpectrumFileError(
            f"{path}: a QE a2F.dos file holds one alpha^2F (smearing) per file; "
            f"spectrum_column must be 1, got {column}"
        )
    return _finish(w * factor, a, rrows, path, "qe", file_lambda, column)


def read_spectrum(path: str | Path, units: str | None = None, column: int = 1, fmt: str = "auto"):
    """Read alpha^2F from a file (layout detected, see module docstring).

    Parameters
    ----------
    path : str or Path
        The file.
    units : str, optional
        Frequency unit (meV, eV, THz, cm^-1, Ry); overrides the header/format default.
    column : int
        Which alpha^2F column (1 = the first after the frequency; for EPW the smearing).
    fmt : {"auto", "text", "epw", "qe"}

    Returns
    -------
    Spectrum
        omega in meV; ``file_lambda`` the file's own lambda where it states one.

    Raises
    ------
    SpectrumFileError
        Malformed file (names file and line) or bad ``units``/``column``.
    FileNotFoundError
    """
    p = Path(path)
    text = p.read_text(errors="replace")
    lines = text.splitlines()
    if not isinstance(column, int) or column < 1:
        raise SpectrumFileError(f"{p}: spectrum_column must be an integer >= 1, got {column!r}")
    kind = _detect(lines) if fmt == "auto" else fmt
    if kind == "qe":
        return _read_qe(lines, p, units, column)
    if kind == "epw":
        return _read_epw(lines, p, units, column)
    if kind == "text":
        return _read_text(lines, p, units, column)
    raise SpectrumFileError(f"{p}: unknown format {fmt!r}; allowed: auto, text, epw, qe")
