"""Reader of measured traces: a signal versus pump-probe delay, or a transient spectrum.

A scenario's ``[measured]`` table (:class:`MeasuredSpec`) names a text file that a
measurement wrote; :func:`read_measured` turns it into a :class:`MeasuredData` of arrays in
internal units (delays in ps, probe energies in meV), the form that
:mod:`photosc.fitting` compares with a model's dataset. No physics here, only the file.

File layout
-----------
CSV or whitespace-separated text. Lines starting with ``#`` are comments (so is the rest of a
line after ``#``); blank lines are skipped. The first non-comment line may be a header of
column names, each optionally followed by its unit in brackets or parentheses::

    # pump-probe of a 10 nm Pb film, 4 K
    delay [ps], dT/T [1], sigma [1]
    -400, 1.2e-6, 2e-5
    ...

Without a header the columns are addressed by number (1-based). Columns used:

* ``delay`` -- the pump-probe delay; its unit (``ps``, ``fs``, ``ns``, any pint time) from
  the header or the table's ``units.delay``; one of the two must give it;
* ``signal`` -- the measured quantity (dimensionless by default, or with a unit convertible
  to the compared variable's);
* ``error`` (optional) -- one standard deviation of the signal, same unit, > 0;
* ``energy`` (transient spectrum only) -- the probe photon energy (``meV``, ``eV``, ``THz``,
  ``cm^-1`` or a wavelength ``nm``): one row per (energy, delay) point ("long" layout).

Delays must be monotonic (strictly increasing or decreasing; a decreasing trace is
reversed); in a transient spectrum, within each probe energy. Every malformed file (no
numbers, a cell that is not a number, NaN or infinity, a wrong number of columns,
non-monotonic delays, a delay unit that is not a time) is one
:class:`~photosc.errors.ConfigError` naming the file, the line and column and what is
allowed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from photosc.errors import ConfigError
from photosc.foundation.units import UnitError, parse_quantity

#: Keys a ``[measured]`` table may hold.
MEASURED_KEYS = (
    "file",
    "variable",
    "columns",
    "units",
    "select",
    "time_zero",
    "fluence_parameters",
)
#: Column roles a ``[measured].columns`` table may name.
COLUMN_ROLES = ("delay", "signal", "error", "energy")
#: Header names read as the error column when ``columns.error`` is not given.
_ERROR_NAMES = ("error", "err", "sigma", "uncertainty", "std")
_HEADER_UNIT = re.compile(r"^\s*(?P<name>.*?)\s*[\[(](?P<unit>[^\])]*)[\])]\s*$")


@dataclass(frozen=True)
class MeasuredSpec:
    """A scenario's ``[measured]`` table, checked (paths resolved, keys known).

    Attributes
    ----------
    file : Path
        The data file (absolute: resolved against the scenario file's folder).
    variable : str
        The dataset variable the data are compared with (e.g. ``"minus_dT_over_T"``).
    columns : dict of str to str or int
        Role (``delay``, ``signal``, ``error``, ``energy``) -> header name or 1-based number.
    units : dict of str to str
        Role -> unit, for columns whose header gives none.
    select : dict of str to Any
        Coordinate values picking one trace of a variable with more dimensions
        (``{"temperature": 4.0}``; numbers in the coordinate's unit).
    time_zero : float, ps
        Shift of the model trace on the delay axis: the model at delay t is compared with
        the data at t + time_zero (fit-level; ``photosc fit`` writes it).
    fluence_parameters : tuple of str, optional
        Parameters that ``fluence_scale`` multiplies (default: those declared in a fluence
        unit).
    """

    file: Path
    variable: str
    columns: dict[str, str | int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    select: dict[str, Any] = field(default_factory=dict)
    time_zero: float = 0.0
    fluence_parameters: tuple[str, ...] | None = None

    def to_table(self) -> dict[str, Any]:
        """The spec as a TOML-ready ``[measured]`` table (absolute file path)."""
        out: dict[str, Any] = {"file": str(self.file), "variable": self.variable}
        if self.columns:
            out["columns"] = dict(self.columns)
        if self.units:
            out["units"] = dict(self.units)
        if self.select:
            out["select"] = dict(self.select)
        out["time_zero"] = f"{self.time_zero!r} ps"
        if self.fluence_parameters is not None:
            out["fluence_parameters"] = list(self.fluence_parameters)
        return out


@dataclass(frozen=True)
class MeasuredData:
    """A measured trace or transient spectrum in internal units.

    Attributes
    ----------
    delay : (n,) float, ps
        Delay of each point (increasing; in a spectrum, increasing within each energy).
    signal : (n,) float
        Measured values, in ``signal_unit``.
    error : (n,) float or None
        One standard deviation of each value (``signal_unit``), None when not given.
    energy : (n,) float, meV, or None
        Probe photon energy of each point (transient spectrum), None for a trace.
    signal_unit : str
        Unit of ``signal`` and ``error`` as the file or table gives it (``"1"``: none).
    source : str
        The file, for messages.
    """

    delay: np.ndarray
    signal: np.ndarray
    error: np.ndarray | None
    energy: np.ndarray | None
    signal_unit: str
    source: str

    @property
    def is_spectrum(self) -> bool:
        """Whether the data are a transient spectrum (probe energy x delay)."""
        return self.energy is not None


def parse_spec(table: Any, base: Path | None, where: str) -> MeasuredSpec:
    """Check a ``[measured]`` table and resolve its file against ``base``.

    Parameters
    ----------
    table : dict
        The parsed TOML table.
    base : Path or None
        Folder of the scenario file (relative paths are read from there); None: the
        current folder.
    where : str
        Scenario name or file, for messages.

    Raises
    ------
    ConfigError
        Not a table, unknown key, missing ``file`` or ``variable``, bad types.
    """
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [measured] must be a table, got {table!r}")
    bad = sorted(set(table) - set(MEASURED_KEYS))
    if bad:
        raise ConfigError(
            f"{where}: unknown key(s) {bad} in [measured]; allowed: {', '.join(MEASURED_KEYS)}"
        )
    for key in ("file", "variable"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise ConfigError(
                f"{where}: measured.{key} = {table.get(key)!r}: a non-empty string is required "
                "(file: path of the data, relative to the scenario file; variable: the "
                "dataset variable it is compared with)"
            )
    columns = _sub_table(table, "columns", where)
    for role, col in columns.items():
        if role not in COLUMN_ROLES:
            raise ConfigError(
                f"{where}: measured.columns.{role}: unknown role; allowed: "
                f"{', '.join(COLUMN_ROLES)}"
            )
        if (
            isinstance(col, bool)
            or not isinstance(col, str | int)
            or (isinstance(col, int) and col < 1)
        ):
            raise ConfigError(
                f"{where}: measured.columns.{role} = {col!r}: give a header name or a column "
                "number >= 1"
            )
    units = _sub_table(table, "units", where)
    for role, unit in units.items():
        if role not in COLUMN_ROLES or not isinstance(unit, str):
            raise ConfigError(
                f"{where}: measured.units.{role} = {unit!r}: a unit string for one of "
                f"{', '.join(COLUMN_ROLES)} is required"
            )
    select = _sub_table(table, "select", where)
    try:
        time_zero = parse_quantity(table.get("time_zero", 0.0), "ps", field="time_zero")
    except UnitError as exc:
        raise ConfigError(f"{where}: measured.time_zero: {exc} (a time, e.g. '0.5 ps')") from None
    fluence = table.get("fluence_parameters")
    if fluence is not None and (
        not isinstance(fluence, list) or not all(isinstance(x, str) for x in fluence)
    ):
        raise ConfigError(
            f"{where}: measured.fluence_parameters = {fluence!r}: a list of parameter names "
            "is required"
        )
    path = Path(table["file"]).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return MeasuredSpec(
        file=Path(path).resolve(),
        variable=table["variable"].strip(),
        columns=dict(columns),
        units=dict(units),
        select=dict(select),
        time_zero=time_zero,
        fluence_parameters=None if fluence is None else tuple(fluence),
    )


def _sub_table(table: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: measured.{key} must be a table, got {value!r}")
    return value


def _split(line: str) -> list[str]:
    """Cells of one line: comma- or semicolon-separated if it has one, else whitespace."""
    for sep in (",", ";", "\t"):
        if sep in line:
            return [c.strip() for c in line.split(sep)]
    return line.split()


def _number(text: str) -> float | None:
    try:
        return float(text.replace("D", "E").replace("d", "e"))
    except ValueError:
        return None


def _header(cells: list[str]) -> tuple[list[str], list[str | None]]:
    """Column names and units (None where the header gives none)."""
    names, units = [], []
    for cell in cells:
        m = _HEADER_UNIT.match(cell)
        if m and m.group("name"):
            names.append(m.group("name").strip())
            units.append(m.group("unit").strip() or None)
        else:
            names.append(cell.strip())
            units.append(None)
    return names, units


def _rows(path: Path) -> tuple[list[str] | None, list[str | None], list[tuple[int, list[str]]]]:
    """Header names, header units and (line number, cells) of the data lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"measured data {path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"measured data {path}: not a text file (not UTF-8 at byte {exc.start}); "
            "expected CSV or whitespace-separated columns"
        ) from None
    except OSError as exc:
        raise ConfigError(f"measured data {path}: cannot read: {exc.strerror or exc}") from None
    names: list[str] | None = None
    units: list[str | None] = []
    rows: list[tuple[int, list[str]]] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        cells = _split(line)
        if not rows and names is None and any(_number(c) is None for c in cells):
            names, units = _header(cells)
            continue
        rows.append((lineno, cells))
    return names, units, rows


#: Header names a role's column is found by when ``[measured].columns`` does not name it.
_ROLE_NAMES = {
    "error": _ERROR_NAMES,
    "energy": ("energy", "probe_energy", "probe energy", "photon_energy"),
    "delay": ("delay", "time", "t", "pump-probe delay"),
}


def _columns(
    spec: MeasuredSpec, names: list[str] | None, ncol: int, path: Path
) -> dict[str, int | None]:
    """0-based column of each role: as named in the spec, else by header name (error,
    energy, delay), else the first column not taken (delay, then signal)."""
    idx: dict[str, int | None] = {}
    for role in COLUMN_ROLES:
        if role in spec.columns:
            idx[role] = _column_index(role, spec, names, ncol, path)
    for role in ("error", "energy", "delay"):
        if role not in idx and names:
            taken = set(idx.values())
            hits = [
                i for i, n in enumerate(names) if n.lower() in _ROLE_NAMES[role] and i not in taken
            ]
            idx[role] = hits[0] if hits else None
    for role in ("delay", "signal"):
        if idx.get(role) is None:
            taken = set(idx.values())
            free = [i for i in range(ncol) if i not in taken]
            if not free:
                raise ConfigError(f"measured data {path}: no column left for the {role}")
            idx[role] = free[0]
    for role in COLUMN_ROLES:
        idx.setdefault(role, None)
    return idx


def _column_index(
    role: str, spec: MeasuredSpec, names: list[str] | None, ncol: int, path: Path
) -> int:
    """0-based index of the column ``[measured].columns`` names for ``role``."""
    want = spec.columns[role]
    if isinstance(want, int):
        if want > ncol:
            raise ConfigError(
                f"measured data {path}: measured.columns.{role} = {want}, but the file has "
                f"{ncol} column(s)"
            )
        return want - 1
    if not names or want not in names:
        shown = ", ".join(repr(n) for n in names) if names else "none (no header line)"
        raise ConfigError(
            f"measured data {path}: measured.columns.{role} = {want!r} is not a column of the "
            f"file; header columns: {shown} (or give a column number)"
        )
    return names.index(want)


def _unit(
    role: str, idx: int, spec: MeasuredSpec, header_units: list[str | None], path: Path
) -> str | None:
    head = header_units[idx] if idx < len(header_units) else None
    given = spec.units.get(role)
    if head and given and head.replace(" ", "") != given.replace(" ", ""):
        raise ConfigError(
            f"measured data {path}: column {idx + 1} ({role}) is in {head!r} by its header "
            f"but measured.units.{role} = {given!r}; give one of them, or the same unit"
        )
    return head or given


def read_measured(spec: MeasuredSpec, *, spectrum: bool | None = None) -> MeasuredData:
    """Read the file a :class:`MeasuredSpec` names.

    Parameters
    ----------
    spec : MeasuredSpec
        Which file, columns and units.
    spectrum : bool, optional
        Require (True) or refuse (False) an energy column; None: a spectrum if the
        spec or the header names an energy column.

    Returns
    -------
    MeasuredData
        Delays in ps, energies in meV, the signal in its own unit.

    Raises
    ------
    ConfigError
        Naming the file, line and column and what is allowed.
    """
    path = spec.file
    names, header_units, rows = _rows(path)
    if not rows:
        raise ConfigError(
            f"measured data {path}: no rows of numbers; expected columns of delay and signal "
            "(CSV or whitespace-separated, '#' comments, an optional header line)"
        )
    ncol = len(names) if names else len(rows[0][1])
    for lineno, cells in rows:
        if len(cells) != ncol:
            raise ConfigError(
                f"measured data {path}, line {lineno}: {len(cells)} column(s), expected {ncol} "
                "(as the header or the first data line)"
            )
    idx = _columns(spec, names, ncol, path)
    if spectrum is True and idx["energy"] is None:
        raise ConfigError(
            f"measured data {path}: the compared variable is a transient spectrum (probe "
            "energy x delay); name the energy column (measured.columns.energy)"
        )
    if spectrum is False and idx["energy"] is not None:
        raise ConfigError(
            f"measured data {path}: the file has a probe-energy column but the compared "
            "variable has no energy dimension; compare a trace (delay, signal) or a variable "
            "with an energy dimension"
        )
    used = [i for i in idx.values() if i is not None]
    if len(set(used)) != len(used):
        raise ConfigError(f"measured data {path}: two roles use the same column: {idx}")
    data = np.empty((len(rows), ncol))
    for r, (lineno, cells) in enumerate(rows):
        for c in used:
            x = _number(cells[c])
            if x is None or not math.isfinite(x):
                what = "not a number" if x is None else "not a finite number"
                raise ConfigError(
                    f"measured data {path}, line {lineno}, column {c + 1}: {cells[c]!r} is "
                    f"{what}; every cell of the delay, signal, error and energy columns must "
                    "be a finite number"
                )
            data[r, c] = x
    delay = data[:, idx["delay"]] * _time_factor(
        _unit("delay", idx["delay"], spec, header_units, path), path, idx["delay"]
    )
    signal = data[:, idx["signal"]].copy()
    signal_unit = _unit("signal", idx["signal"], spec, header_units, path) or "1"
    error = None
    if idx["error"] is not None:
        error = data[:, idx["error"]].copy()
        err_unit = _unit("error", idx["error"], spec, header_units, path) or signal_unit
        if err_unit != signal_unit:
            error *= convert_factor(err_unit, signal_unit, f"measured data {path}, error column")
        bad = np.flatnonzero(error <= 0)
        if bad.size:
            r = int(bad[0])
            raise ConfigError(
                f"measured data {path}, line {rows[r][0]}, column {idx['error'] + 1}: error "
                f"{float(data[r, idx['error']])!r} must be > 0 (one standard deviation of the "
                "signal)"
            )
    energy = None
    if idx["energy"] is not None:
        unit = _unit("energy", idx["energy"], spec, header_units, path)
        energy = _energies(data[:, idx["energy"]], unit, path, idx["energy"])
    order = _monotonic(delay, energy, [ln for ln, _ in rows], path, idx["delay"])
    return MeasuredData(
        delay=delay[order],
        signal=signal[order],
        error=None if error is None else error[order],
        energy=None if energy is None else energy[order],
        signal_unit=signal_unit,
        source=str(path),
    )


def _time_factor(unit: str | None, path: Path, col: int) -> float:
    """ps per unit of the delay column."""
    if not unit:
        raise ConfigError(
            f"measured data {path}: the delay column ({col + 1}) has no unit; give it in the "
            "header (e.g. 'delay [ps]') or as measured.units.delay (ps, fs, ns, ...)"
        )
    try:
        return parse_quantity(f"1 {unit}", "ps", field="delay")
    except UnitError:
        raise ConfigError(
            f"measured data {path}: the delay column ({col + 1}) is in {unit!r}, which is not "
            "a time; allowed: a time unit such as fs, ps, ns"
        ) from None


def _energies(values: np.ndarray, unit: str | None, path: Path, col: int) -> np.ndarray:
    """Probe energies in meV (wavelengths as photon energies)."""
    if not unit:
        raise ConfigError(
            f"measured data {path}: the energy column ({col + 1}) has no unit; give it in the "
            "header (e.g. 'energy [meV]') or as measured.units.energy (meV, eV, THz, cm^-1, nm)"
        )
    out = np.empty_like(values)
    cache: dict[float, float] = {}
    for i, v in enumerate(values):
        if v not in cache:
            try:
                cache[v] = parse_quantity(f"{float(v)!r} {unit}", "meV", field="probe", photon=True)
            except UnitError:
                raise ConfigError(
                    f"measured data {path}: the energy column ({col + 1}) is in {unit!r}; "
                    "allowed: an energy (meV, eV), a frequency (THz), a wavenumber (cm^-1) or "
                    "a wavelength (nm)"
                ) from None
        out[i] = cache[v]
    return out


def _monotonic(
    delay: np.ndarray, energy: np.ndarray | None, lines: list[int], path: Path, col: int
) -> np.ndarray:
    """Row order with increasing delays (per energy); raise for non-monotonic delays."""
    groups = (
        [np.arange(delay.size)]
        if energy is None
        else [np.flatnonzero(energy == e) for e in np.unique(energy)]
    )
    order = []
    for g in groups:
        d = np.diff(delay[g])
        if g.size > 1 and np.all(d < 0):
            g = g[::-1]
        elif np.any(d <= 0):
            k = int(np.flatnonzero(d <= 0)[0])
            where = "" if energy is None else f" (probe energy {energy[g[0]]:.6g} meV)"
            raise ConfigError(
                f"measured data {path}, line {lines[g[k + 1]]}, column {col + 1}: delay "
                f"{delay[g[k + 1]]:.6g} ps after {delay[g[k]]:.6g} ps{where}; delays must "
                "increase (or decrease) strictly"
            )
        order.append(g)
    return np.concatenate(order)


def convert_factor(unit: str, target: str, where: str = "measured data") -> float:
    """Factor converting values in ``unit`` to ``target`` (both pint units, ``"1"``: none).

    Parameters
    ----------
    unit : str
        The data's unit (``"1"``, ``"%"``, ``"meV"``, ...).
    target : str
        The model variable's unit.
    where : str
        File or scenario, for the message.

    Returns
    -------
    float
        Values in ``target`` per value in ``unit``.

    Raises
    ------
    ConfigError
        The units have different dimensions.
    """
    plain = ("", "1", "dimensionless")
    if unit.strip() in plain and target.strip() in plain:
        return 1.0
    try:
        if unit.strip() in plain:  # a bare number would be read in ``target``
            raise UnitError("dimensionless")
        return parse_quantity(f"1 {unit}", target)
    except (UnitError, ValueError):
        raise ConfigError(
            f"{where}: the unit {unit!r} cannot be converted to the model's {target!r}"
        ) from None
