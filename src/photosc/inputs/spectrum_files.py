"""Readers for alpha^2F(omega) files: the layouts Quantum ESPRESSO and EPW write, and text.

The physics is the file layouts of the codes that compute the Eliashberg function
(and their units); the result is a :class:`photosc.cores.spectra.Spectrum`, the array
object the cores take (the cores never read files).

:func:`read_spectrum` detects the layout (or takes it from ``fmt``):

``"qe-a2f-dos"`` (alias ``"qe"``) -- Quantum ESPRESSO ``a2F.dos<n>`` (``matdyn.x`` with
    ``dos=.true.`` and ``la2F``; one file per electronic broadening). Header lines
    ``# Eliashberg function a2F (per both spin)``, ``#  frequencies in Rydberg``, ...; then
    one record per frequency E (the midpoints ``Emin + (n - 1/2) DeltaE``):

    * since QE 6.3 (``matdyn.f90``, ``'(3X,1000E16.6)'``): one line ``E total mode_1 ...
      mode_3nat`` in E format;
    * before (``'(3X,2F12.6)'`` then ``'(6F16.8)'``): a line ``E total`` followed by the
      mode values six per line (several lines for more than six modes).

    Footer `` lambda = <lambda>   Delta = <DeltaE>`` (older: ``lambda <value> ...``).
    Frequencies in Ry. The record length of the wrapped layout is the shortest period of
    the numbers-per-line pattern whose records satisfy sum(modes) = total within the
    precision the numbers are printed with (the total has only 6 decimals there). The
    footer lambda (QE's rectangle sum 2 sum_n total_n / E_n DeltaE) is
    ``Spectrum.file_lambda``.
``"epw-a2f"`` (alias ``"epw"``) -- EPW ``prefix.a2f``. Header line, without ``#``,
    `` w[meV] a2f and integrated 2*a2f/w for   N smearing values``; rows of either

    * ``1 + 2 N`` columns: omega, alpha^2F for the N phonon smearings, then the N
      cumulative lambda(omega) = sum 2 alpha^2F / omega d omega (``supercond.f90``);
    * ``1 + N`` columns: omega and the N alpha^2F (EPW 4 writes these without a header);
    * 3 columns: omega, alpha^2F, cumulative lambda, one smearing (the current
      ``write_a2f``), while the header still names ``nqsmear`` smearing values;

    then text footer lines: ``Integrated el-ph coupling`` with a ``#`` line of the
    lambdas, ``Phonon smearing (meV)`` with a ``#`` line, electron smearing, Fermi window,
    (DOS,) summed el-ph coupling. Frequencies in meV. ``column`` picks the smearing; the
    file's lambda for it (footer, or the last cumulative value) is ``file_lambda``.
``"qe-alpha2f-dat"`` -- Quantum ESPRESSO ``alpha2f.x`` output ``prefix.a2F.dat``:
    header ``# Frequency[Ry], a2F, DOS[Ry], Partial DOS(Atom 1), ...``, rows of omega (Ry),
    alpha^2F, phonon DOS, partial DOS; only column 1 is alpha^2F. No lambda in the file
    (``alpha2f.x`` prints it to standard output).
``"text"`` -- multi-column text: frequency, then one or more alpha^2F columns
    (comment lines start with ``#``, ``!`` or ``%``; an optional first line holding
    only the number of points, as in EPW's ``fila2f`` input, is checked and skipped).
    The unit comes from the header (``meV``, ``THz``, ``cm^-1``/``cm-1``/``1/cm``,
    ``Ry``/``Rydberg``, ``eV``) or from ``units``; if neither, it is an error.

Units: a unit the file states (QE's "frequencies in Rydberg", EPW's ``w[meV]``, a text
header naming exactly one unit) or that its layout fixes (QE a2F.dos: Ry, EPW: meV) is
authoritative; ``units`` may repeat it, and a different ``units`` is a
:class:`SpectrumFileError` naming both.

Quirks accepted, not rejected: small negative alpha^2F at low frequency (Fourier
interpolation) is kept, and a :class:`NegativeWeightWarning` (a :class:`SpectrumWarning`,
issued through :func:`warnings.warn`, so a run can record it) states the weight when
negative values carry more than 1 % of int |alpha^2F| / omega; Fortran ``D`` exponents and
three-digit exponents without ``E`` (``0.1-100``); a first frequency at or below zero
(dropped if alpha^2F is zero there).

Malformed files raise :class:`SpectrumFileError` (a :class:`photosc.errors.PhotoscError`
and a ``ValueError``) naming the file and, where it applies, the line, what was found
and what is allowed: empty, binary or one-number files, non-increasing frequencies,
NaN/inf, a wrong number of columns, text where numbers belong, no positive weight.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from photosc.cores.spectra import Spectrum
from photosc.errors import PhotoscError
from photosc.foundation.units import RYDBERG, THZ, WAVENUMBER

__all__ = [
    "FORMATS",
    "NegativeWeightWarning",
    "SpectrumFileError",
    "SpectrumWarning",
    "UNITS",
    "read_spectrum",
]

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

#: Display name of each canonical unit key.
_UNIT_NAMES = {"mev": "meV", "ev": "eV", "thz": "THz", "cm-1": "cm^-1", "ry": "Ry"}

_UNIT_PATTERNS = [
    (re.compile(r"(?<![a-z])mev(?![a-z])"), "mev"),
    (re.compile(r"(?<![a-z])thz(?![a-z])"), "thz"),
    (re.compile(r"cm\^?-1|1/cm|cm\*\*-1"), "cm-1"),
    (re.compile(r"rydberg|(?<![a-z])ry(?![a-z])"), "ry"),
    (re.compile(r"(?<![a-z])ev(?![a-z])"), "ev"),
]

#: Layout names accepted by ``fmt`` (besides "auto") and their aliases.
FORMATS = ("text", "qe-a2f-dos", "epw-a2f", "qe-alpha2f-dat")
_ALIASES = {"qe": "qe-a2f-dos", "epw": "epw-a2f"}

NEGATIVE_WEIGHT_THRESHOLD = 0.01

# a Fortran real with a three-digit exponent written without the letter: 0.123456-100
_FORTRAN_EXP = re.compile(r"^([-+]?(?:\d+\.\d*|\.\d+|\d+))([-+]\d{3})$")


class SpectrumFileError(PhotoscError, ValueError):
    """A malformed or contradictory alpha^2F file; the message names the file and line."""


class SpectrumWarning(UserWarning):
    """Something in an alpha^2F file that is kept but should be known (recorded by runs)."""


class NegativeWeightWarning(SpectrumWarning):
    """alpha^2F has a sizeable negative part (kept, but reported)."""


# ----------------------------------------------------------------------------- helpers
def _unit_key(units: str, path: Path) -> str:
    """Canonical unit key of a user-given unit string (error if unknown)."""
    key = units.strip().lower().replace(" ", "")
    if key not in UNITS:
        raise SpectrumFileError(
            f"{path}: unknown spectrum_units {units!r}; allowed: meV, eV, THz, cm^-1, Ry"
        )
    return {"cm^-1": "cm-1", "1/cm": "cm-1", "rydberg": "ry"}.get(key, key)


def _header_units(lines: list[str]) -> list[str]:
    """Distinct unit keys named in ``lines``, in order of first appearance."""
    found: list[tuple[int, int, str]] = []
    for i, line in enumerate(lines):
        low = line.lower()
        for pat, key in _UNIT_PATTERNS:
            m = pat.search(low)
            if m:
                found.append((i, m.start(), key))
    out: list[str] = []
    for _, _, key in sorted(found):
        if key not in out:
            out.append(key)
    return out


def _resolve_unit(path: Path, user: str | None, stated: str | None, where: str) -> str:
    """The frequency unit: the file's (``stated``, described by ``where``) wins over ``user``.

    A ``user`` unit that differs from the stated one is an error naming both.
    """
    if stated is not None:
        if user is not None:
            ukey = _unit_key(user, path)
            if not np.isclose(UNITS[ukey], UNITS[stated], rtol=1e-9):
                raise SpectrumFileError(
                    f"{path}: spectrum_units={user!r} ({_UNIT_NAMES[ukey]}) conflicts with "
                    f"the file's own frequency unit {_UNIT_NAMES[stated]} ({where}); "
                    "leave spectrum_units empty or give the file's unit"
                )
        return stated
    if user is None:
        raise SpectrumFileError(
            f"{path}: no frequency unit in the header; give spectrum_units "
            "(meV, eV, THz, cm^-1 or Ry)"
        )
    return _unit_key(user, path)


def _to_float(tok: str) -> float:
    t = tok.replace("D", "E").replace("d", "e")
    try:
        return float(t)
    except ValueError:
        m = _FORTRAN_EXP.match(t)
        if m:
            return float(f"{m.group(1)}e{m.group(2)}")
        raise


def _half_ulp(tok: str) -> float:
    """Half a unit in the last printed place of a number token (its rounding bound)."""
    t = tok.lower().replace("d", "e")
    m = _FORTRAN_EXP.match(t)
    mant, exp = (m.group(1), m.group(2)) if m else (t.partition("e")[0], t.partition("e")[2])
    dec = len(mant.split(".", 1)[1]) if "." in mant else 0
    return 0.5 * 10.0 ** ((int(exp) if exp else 0) - dec)


def _tokens(line: str, path: Path, lineno: int) -> tuple[list[float], list[str]]:
    toks = line.replace(",", " ").split()
    out = []
    for tok in toks:
        try:
            out.append(_to_float(tok))
        except ValueError:
            raise SpectrumFileError(
                f"{path}, line {lineno}: expected numbers, found {tok!r} in {line.strip()!r}"
            ) from None
    return out, toks


def _numbers(line: str, path: Path, lineno: int) -> list[float]:
    return _tokens(line, path, lineno)[0]


def _is_comment(line: str) -> bool:
    s = line.strip()
    return not s or s[0] in "#!%"


def _looks_numeric(line: str) -> bool:
    tok = line.split()
    if not tok:
        return False
    try:
        _to_float(tok[0])
        return True
    except ValueError:
        return False


def _check_finite(values: np.ndarray, rows: list[int], path: Path) -> None:
    bad = ~np.isfinite(values)
    if np.any(bad):
        i = int(np.nonzero(bad.any(axis=1) if values.ndim == 2 else bad)[0][0])
        raise SpectrumFileError(f"{path}, line {rows[i]}: NaN or inf value")


def _decode(path: Path) -> str:
    """The file's text; empty and binary files are errors that say so."""
    data = path.read_bytes()
    if not data.strip():
        raise SpectrumFileError(
            f"{path}: the file is empty ({len(data)} bytes); expected an alpha^2F table "
            "(frequency and alpha^2F columns)"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        raise SpectrumFileError(
            f"{path}: binary file (NUL byte at offset {nul}), not a text alpha^2F table"
        )
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(2, 0.01 * len(text)):
        raise SpectrumFileError(
            f"{path}: binary file ({bad} of {len(text)} characters are not text), "
            "not a text alpha^2F table"
        )
    return text


def _check_some_numbers(lines: list[str], path: Path) -> None:
    """A file with no number or a single number is an error that says so."""
    nums: list[tuple[int, str]] = []
    for k, line in enumerate(lines, start=1):
        if _is_comment(line):
            continue
        for tok in line.replace(",", " ").split():
            try:
                _to_float(tok)
            except ValueError:
                continue
            nums.append((k, tok))
            if len(nums) > 1:
                return
    if not nums:
        raise SpectrumFileError(
            f"{path}: no numbers in the file ({len(lines)} line(s) of text); expected an "
            "alpha^2F table (frequency and alpha^2F columns)"
        )
    k, tok = nums[0]
    raise SpectrumFileError(
        f"{path}, line {k}: the file holds a single number ({tok}); expected an alpha^2F "
        "table (frequency and alpha^2F columns)"
    )


def _detect(lines: list[str]) -> str:
    nonempty = [line.lower() for line in lines if line.strip()]
    head = " ".join(nonempty[:10])
    tail = nonempty[-12:]
    if ("w[mev]" in head and "smearing" in head) or any(
        "integrated el-ph coupling" in line for line in tail
    ):
        return "epw-a2f"
    if "eliashberg function a2f" in head or "a2f_total" in head.replace(" ", ""):
        return "qe-a2f-dos"
    if any(re.match(r"\s*lambda\b", line) for line in nonempty[-5:]):
        return "qe-a2f-dos"
    if "frequency[ry],a2f,dos" in head.replace(" ", ""):
        return "qe-alpha2f-dat"
    return "text"


def _finish(
    w: np.ndarray,
    a: np.ndarray,
    rows: list[int],
    path: Path,
    fmt: str,
    file_lambda: float | None,
    column: int,
    unit: str,
    stated: bool,
) -> Spectrum:
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
        raise SpectrumFileError(f"{path}: fewer than 3 frequency points (found {w.size})")
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
    how = "stated in the file" if stated else "given by spectrum_units"
    if fmt in ("qe-a2f-dos", "epw-a2f") and not stated:
        how = "fixed by the layout"
    spec = Spectrum(
        omega=w,
        a2f=a,
        name=path.stem,
        source=f"{path} ({fmt}, frequencies in {_UNIT_NAMES[unit]} {how}, "
        f"alpha^2F column {column})",
        file_lambda=file_lambda,
    )
    neg = spec.negative_weight
    if neg > NEGATIVE_WEIGHT_THRESHOLD:
        warnings.warn(
            f"{path}: negative alpha^2F carries {100 * neg:.1f} % of int |alpha^2F|/omega "
            "(kept in all moments)",
            NegativeWeightWarning,
            stacklevel=4,  # _finish <- layout reader <- read_spectrum <- its caller
        )
    return spec


@dataclass
class _Table:
    """Numeric rows of a plain table: values, 1-based line numbers."""

    values: NDArray[np.float64]
    rows: list[int]


def _plain_table(lines: list[str], path: Path) -> _Table:
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
                    f"{path}, line {k}: need a frequency and at least one alpha^2F column, "
                    f"found {ncol} number"
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
    return _Table(arr, rows)


# ----------------------------------------------------------------------------- layouts
def _read_text(lines: list[str], path: Path, units: str | None, column: int) -> Spectrum:
    header = [line for line in lines if _is_comment(line)]
    named = _header_units(header)
    if len(named) > 1 and units is None:
        raise SpectrumFileError(
            f"{path}: the header names several units ("
            + ", ".join(_UNIT_NAMES[k] for k in named)
            + "); give spectrum_units for the frequency column"
        )
    stated = named[0] if len(named) == 1 else None
    unit = _resolve_unit(path, units, stated, "named in its header")
    tab = _plain_table(lines, path)
    ncol = tab.values.shape[1]
    if not 1 <= column <= ncol - 1:
        raise SpectrumFileError(
            f"{path}: spectrum_column={column} out of range; the file has {ncol - 1} "
            "alpha^2F column(s) (1 = first after the frequency)"
        )
    return _finish(
        tab.values[:, 0] * UNITS[unit],
        tab.values[:, column],
        tab.rows,
        path,
        "text",
        None,
        column,
        unit,
        stated is not None,
    )


def _read_qe_alpha2f(lines: list[str], path: Path, units: str | None, column: int) -> Spectrum:
    named = _header_units([line for line in lines if _is_comment(line)])
    stated = "ry" if not named or named == ["ry"] else None
    unit = _resolve_unit(path, units, stated, "'Frequency[Ry]' in its header")
    tab = _plain_table(lines, path)
    if tab.values.shape[1] < 3:
        raise SpectrumFileError(
            f"{path}, line {tab.rows[0]}: an alpha2f.x a2F.dat row holds frequency, a2F, DOS "
            f"and partial DOS, found {tab.values.shape[1]} numbers"
        )
    if column != 1:
        raise SpectrumFileError(
            f"{path}: spectrum_column must be 1 for an alpha2f.x a2F.dat file (its only "
            f"alpha^2F column; the others are phonon DOS), got {column}"
        )
    return _finish(
        tab.values[:, 0] * UNITS[unit],
        tab.values[:, 1],
        tab.rows,
        path,
        "qe-alpha2f-dat",
        None,
        column,
        unit,
        True,
    )


def _sum_matches(vals: list[float], toks: list[str]) -> tuple[bool, float, float, float]:
    """Whether vals[2:] sum to vals[1] within the printed precision of the tokens."""
    tot = vals[1]
    s = float(np.sum(vals[2:]))
    tol = _half_ulp(toks[1]) + sum(_half_ulp(t) for t in toks[2:])
    tol = 1.0001 * tol + 1e-12 * (abs(tot) + float(np.sum(np.abs(vals[2:]))))
    return abs(s - tot) <= tol, s, tot, tol


def _read_qe_dos(lines: list[str], path: Path, units: str | None, column: int) -> Spectrum:
    named = _header_units([line for line in lines if _is_comment(line)])
    if len(named) > 1:
        raise SpectrumFileError(
            f"{path}: a QE a2F.dos header names one unit (Rydberg), this one names "
            + ", ".join(_UNIT_NAMES[k] for k in named)
        )
    stated = named[0] if named else "ry"
    where = "its header" if named else "QE's matdyn.x writes a2F.dos in Rydberg"
    unit = _resolve_unit(path, units, stated, where)
    recs: list[tuple[list[float], list[str]]] = []
    rows: list[int] = []
    file_lambda = None
    for k, line in enumerate(lines, start=1):
        if _is_comment(line):
            continue
        low = line.strip().lower()
        if low.startswith("lambda"):
            nums = re.findall(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eEdD][-+]?\d+)?", low[6:])
            if nums:
                file_lambda = _to_float(nums[0])
            break
        recs.append(_tokens(line, path, k))
        rows.append(k)
    if not recs:
        raise SpectrumFileError(f"{path}: no data lines before the 'lambda' footer")
    counts = [len(v) for v, _ in recs]
    nl = len(counts)
    if column != 1:
        raise SpectrumFileError(
            f"{path}: a QE a2F.dos file holds one alpha^2F (the total, for one broadening) "
            f"per file; spectrum_column must be 1, got {column}"
        )
    if counts[0] >= 3:
        # one line per frequency: E, total, modes (QE >= 6.3, E format)
        for (vals, toks), k in zip(recs, rows):
            if len(vals) != counts[0]:
                raise SpectrumFileError(
                    f"{path}, line {k}: {len(vals)} numbers, expected {counts[0]} "
                    f"(frequency, total, {counts[0] - 2} modes) as on line {rows[0]}"
                )
            ok, s, tot, tol = _sum_matches(vals, toks)
            if not ok:
                raise SpectrumFileError(
                    f"{path}, line {k}: the mode values sum to {s:.8g}, the total (column 2) "
                    f"is {tot:.8g}; a QE a2F.dos record needs them equal within print "
                    f"precision ({tol:.2g})"
                )
        period = 1
    elif counts[0] == 2:
        period = None
        for p in range(2, min(nl, 400) + 1):
            if nl % p or any(counts[i] != counts[i % p] for i in range(nl)):
                continue
            if any(c == 0 for c in counts[:p]):
                continue
            ok = True
            for r in range(0, nl, p):
                vals = [x for v, _ in recs[r : r + p] for x in v]
                toks = [t for _, ts in recs[r : r + p] for t in ts]
                if not _sum_matches(vals, toks)[0]:
                    ok = False
                    break
            if ok:
                period = p
                break
        if period is None and all(c == 2 for c in counts):
            period = 1  # only 'E total' lines (no mode values)
        if period is None:
            raise SpectrumFileError(
                f"{path}: cannot find a consistent record length: each record is a line "
                "'frequency total' followed by lines of mode values whose sum is the total "
                f"within print precision; numbers per line found: {counts[: min(nl, 12)]}"
                f"{' ...' if nl > 12 else ''} (lines {rows[0]}-{rows[-1]})"
            )
    else:
        raise SpectrumFileError(
            f"{path}, line {rows[0]}: a QE a2F.dos record starts with 'frequency total' "
            f"(and, on one line, the mode values), found {counts[0]} number"
        )
    w = np.array([recs[r][0][0] for r in range(0, nl, period)])
    a = np.array([recs[r][0][1] for r in range(0, nl, period)])
    rrows = rows[::period]
    _check_finite(np.c_[w, a], rrows, path)
    return _finish(
        w * UNITS[unit], a, rrows, path, "qe-a2f-dos", file_lambda, column, unit, bool(named)
    )


def _footer_numbers(line: str) -> list[float]:
    out = []
    for tok in line.replace("#", " ").split():
        try:
            out.append(_to_float(tok))
        except ValueError:
            return []
    return out


def _read_epw(lines: list[str], path: Path, units: str | None, column: int) -> Spectrum:
    # header: text lines before the first numeric row (EPW writes one, without '#')
    first = next((k for k, line in enumerate(lines) if _looks_numeric(line)), None)
    if first is None:
        raise SpectrumFileError(f"{path}: no data lines after the EPW header")
    head = " ".join(lines[:first]).lower()
    m = re.search(r"for\s+(\d+)\s+smearing", head)
    nsmear_head = int(m.group(1)) if m else None
    stated = "mev" if "w[mev]" in head else None
    where = "'w[meV]' in its header"
    if stated is None:
        named = _header_units(lines[:first])
        stated = named[0] if len(named) == 1 else "mev"
        where = "named in its header" if len(named) == 1 else "EPW writes frequencies in meV"
    unit = _resolve_unit(path, units, stated, where)
    # data rows up to the first text line (the footer)
    raw: list[tuple[int, list[float]]] = []
    footer_start = len(lines)
    for k in range(first, len(lines)):
        line = lines[k]
        if not line.strip():
            continue
        if not _looks_numeric(line):
            footer_start = k
            break
        raw.append((k + 1, _numbers(line, path, k + 1)))
    # footer: 'Integrated el-ph coupling' then a '#' line of lambdas
    footer_lams: list[float] = []
    rest = lines[footer_start:]
    for i, line in enumerate(rest):
        if "integrated el-ph coupling" in line.lower() and i + 1 < len(rest):
            footer_lams = _footer_numbers(rest[i + 1])
            break
    nf = len(footer_lams) or None
    # Fortran wraps rows of more than 21 values ('(f12.7, 20f12.7)') onto a next line
    expect = 1 + 2 * nsmear_head if nsmear_head else None
    if expect and expect > 21 and raw and len(raw[0][1]) == 21:
        joined, i = [], 0
        while i < len(raw):
            k0, vals = raw[i][0], list(raw[i][1])
            i += 1
            while len(vals) < expect and i < len(raw):
                vals += raw[i][1]
                i += 1
            joined.append((k0, vals))
        raw = joined
    rows = [k for k, _ in raw]
    ncol = len(raw[0][1])
    for k, vals in raw:
        if len(vals) != ncol:
            raise SpectrumFileError(
                f"{path}, line {k}: {len(vals)} columns, expected {ncol} as on line {rows[0]}"
            )
    arr = np.array([v for _, v in raw])
    _check_finite(arr, rows, path)

    def cumulative_ok(a: np.ndarray, lam: np.ndarray) -> bool:
        w = arr[:, 0]
        dw = np.diff(w, prepend=0.0)
        ref = np.cumsum(2.0 * a / np.where(w > 0, w, np.inf) * dw)
        return bool(np.allclose(lam, ref, rtol=2e-2, atol=1e-5 + 2e-2 * abs(ref[-1])))

    n = None
    has_cum = False
    if ncol == 3 and (nf == 1 or (nf is None and cumulative_ok(arr[:, 1], arr[:, 2]))):
        n, has_cum = 1, True  # current write_a2f: omega, a2F, cumulative lambda
    else:
        for n_try in (nsmear_head, nf):
            if n_try and ncol == 1 + 2 * n_try:
                n, has_cum = n_try, True
                break
            if n_try and ncol == 1 + n_try:
                n, has_cum = n_try, False
                break
    if n is None:
        if nsmear_head is None and nf is None and ncol >= 2:
            n, has_cum = ncol - 1, False
        else:
            said = []
            if nsmear_head:
                said.append(f"the header names {nsmear_head} smearing value(s)")
            if nf:
                said.append(f"the footer lists {nf} lambda(s)")
            raise SpectrumFileError(
                f"{path}, line {rows[0]}: {ncol} columns, but " + " and ".join(said) + "; "
                "an EPW a2f row has 1 + 2 N columns (omega, N alpha^2F, N cumulative lambda), "
                "1 + N, or 3 (omega, alpha^2F, cumulative lambda)"
            )
    if not 1 <= column <= n:
        raise SpectrumFileError(
            f"{path}: spectrum_column={column} out of range; the file has {n} smearing(s)"
        )
    file_lambda = None
    if footer_lams and len(footer_lams) >= n:
        file_lambda = footer_lams[column - 1]
    elif has_cum:
        file_lambda = float(arr[-1, n + column])
    return _finish(
        arr[:, 0] * UNITS[unit],
        arr[:, column],
        rows,
        path,
        "epw-a2f",
        file_lambda,
        column,
        unit,
        "w[mev]" in head,
    )


_READERS = {
    "text": _read_text,
    "qe-a2f-dos": _read_qe_dos,
    "epw-a2f": _read_epw,
    "qe-alpha2f-dat": _read_qe_alpha2f,
}


def read_spectrum(
    path: str | Path, units: str | None = None, column: int = 1, fmt: str = "auto"
) -> Spectrum:
    """Read alpha^2F from a file (layout detected, see the module docstring).

    Parameters
    ----------
    path : str or Path
        The file.
    units : str, optional
        Frequency unit (meV, eV, THz, cm^-1, Ry) of a file that does not state one. A
        file's own unit (header, or fixed by its layout: QE a2F.dos Ry, EPW meV) is
        authoritative: ``units`` may repeat it; a different one is an error.
    column : int
        Which alpha^2F column (1 = the first after the frequency; for EPW the smearing).
    fmt : {"auto", "text", "qe-a2f-dos", "epw-a2f", "qe-alpha2f-dat", "qe", "epw"}
        Layout; "auto" detects it from the file's text.

    Returns
    -------
    Spectrum
        omega in meV; ``file_lambda`` the file's own lambda where it states one.

    Raises
    ------
    SpectrumFileError
        Malformed, empty or binary file (names file and line), or bad ``units``,
        ``column`` or ``fmt``.
    FileNotFoundError
    """
    p = Path(path)
    if not isinstance(column, int) or isinstance(column, bool) or column < 1:
        raise SpectrumFileError(f"{p}: spectrum_column must be an integer >= 1, got {column!r}")
    if units is not None and not units.strip():
        units = None
    key = _ALIASES.get(fmt, fmt)
    if key != "auto" and key not in _READERS:
        raise SpectrumFileError(
            f"{p}: unknown format {fmt!r}; allowed: auto, " + ", ".join(FORMATS) + ", qe, epw"
        )
    lines = _decode(p).splitlines()
    _check_some_numbers(lines, p)
    kind = _detect(lines) if key == "auto" else key
    return _READERS[kind](lines, p, units, column)
