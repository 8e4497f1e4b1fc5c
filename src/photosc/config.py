"""Scenario files: loading, command-line overrides and validation.

A scenario is a TOML file (format in CONTRIBUTING.md) naming a registered
model, its ``[parameters]`` and ``[numerics]``, optionally a ``[sweep]`` grid,
a ``[test]`` table of small-grid overrides, a ``[paper]`` table of the
paper's values it is compared with and, for a paper scenario, a ``[ci]`` table: the
reduced grid on which CI checks every paper check's status (issue 14), and optionally a
``[measured]`` table naming measured data the run is compared with
(:class:`photosc.inputs.measured.MeasuredSpec`; issue 15). Built-in scenarios live in
``photosc/scenarios``; users pass a path to their own file.

Validation happens here, once: unknown keys, wrong units, out-of-range values,
booleans given for numbers, and grids that would need more memory than the
machine has become a :class:`~photosc.errors.ConfigError` naming the field, the
value and what is allowed, before anything is computed.
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import numpy as np
import tomli_w
from pydantic import ValidationError

from photosc.errors import ConfigError, PhotoscError
from photosc.inputs.measured import MeasuredSpec, parse_spec
from photosc.models import ModelSpec, Numerics, Params
from photosc.models import get as get_model
from photosc.models._base import units_of

_TOP_LEVEL = {"scenario", "parameters", "numerics", "test", "paper", "sweep", "ci", "measured"}
_GRID_KEYS = {"parameters", "numerics", "sweep", "why"}
#: Which settings a paper scenario runs on: its own (``full``), its ``[ci]`` grid, or
#: its ``[test]`` small grid.
GRIDS = ("full", "ci", "small")
_SCENARIO_KEYS = {"model", "title", "paper", "figure", "description"}


@dataclass(frozen=True)
class Scenario:
    """A loaded (not yet validated against the model) scenario."""

    name: str
    model: str
    title: str = ""
    paper: str = ""
    figure: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    numerics: dict[str, Any] = field(default_factory=dict)
    sweep: dict[str, list[Any]] = field(default_factory=dict)
    test: dict[str, Any] = field(default_factory=dict)
    paper_table: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    #: the ``[ci]`` table (None: the file has none); ``{}`` or only ``why``: CI runs the
    #: full settings
    ci: dict[str, Any] | None = None
    #: the ``[measured]`` table: data compared with the result (None: the file has none)
    measured: MeasuredSpec | None = None

    @property
    def is_sweep(self) -> bool:
        return bool(self.sweep)


def builtin_dir() -> Path:
    """Folder holding the built-in scenario files."""
    return Path(str(resources.files("photosc") / "scenarios"))


def builtin_scenarios() -> dict[str, Path]:
    """Built-in scenario name -> file, sorted by name."""
    return {p.stem: p for p in sorted(builtin_dir().glob("*.toml"))}


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name or a user's TOML file by path.

    Raises
    ------
    ConfigError
        Missing file, unknown name, TOML syntax error, unknown table or key.
    """
    text_name = str(name_or_path)
    builtins = builtin_scenarios()
    if text_name in builtins:
        path = builtins[text_name]
    else:
        path = Path(text_name)
        if not path.is_file():
            known = ", ".join(builtins) or "(none)"
            raise ConfigError(
                f"scenario {text_name!r} is neither a built-in scenario nor an existing file; "
                f"built-in scenarios: {known}"
            )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the scenario file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not a TOML text file (not UTF-8: byte {raw[exc.start]:#04x} "
            f"at offset {exc.start})"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return scenario_from_dict(data, name=path.stem, source=str(path))


def scenario_from_dict(data: dict[str, Any], *, name: str, source: str = "") -> Scenario:
    """Build a :class:`Scenario` from a parsed TOML mapping (checks the table layout)."""
    where = source or name
    unknown = set(data) - _TOP_LEVEL
    if unknown:
        raise ConfigError(
            f"{where}: unknown table(s) {sorted(unknown)}; allowed: {sorted(_TOP_LEVEL)}"
        )
    head = data.get("scenario", {})
    if "model" not in head:
        raise ConfigError(f'{where}: [scenario] must name a model (scenario.model = "...")')
    bad = set(head) - _SCENARIO_KEYS
    if bad:
        raise ConfigError(
            f"{where}: unknown key(s) {sorted(bad)} in [scenario]; "
            f"allowed: {sorted(_SCENARIO_KEYS)}"
        )
    sweep = {k: parse_sweep_values(k, v) for k, v in data.get("sweep", {}).items()}
    return Scenario(
        name=name,
        model=str(head["model"]),
        title=str(head.get("title", "")),
        paper=str(head.get("paper", "")),
        figure=str(head.get("figure", "")),
        parameters=dict(data.get("parameters", {})),
        numerics=dict(data.get("numerics", {})),
        sweep=sweep,
        test=dict(data.get("test", {})),
        paper_table=dict(data.get("paper", {})),
        source=source,
        ci=_grid_table(data, "ci", where),
        measured=_measured_table(data, source, where),
    )


def _measured_table(data: dict[str, Any], source: str, where: str) -> MeasuredSpec | None:
    """The ``[measured]`` table, its file resolved against the scenario file's folder."""
    if "measured" not in data:
        return None
    base = Path(source).parent if source and not source.endswith(".nc") else None
    return parse_spec(data["measured"], base, where)


def _grid_table(data: dict[str, Any], table: str, where: str) -> dict[str, Any] | None:
    """A ``[ci]``-like table of overrides, with its keys checked (None when absent)."""
    if table not in data:
        return None
    value = data[table]
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{table}] must be a table, got {value!r}")
    bad = set(value) - _GRID_KEYS
    if bad:
        raise ConfigError(
            f"{where}: unknown key(s) {sorted(bad)} in [{table}]; allowed: {sorted(_GRID_KEYS)}"
        )
    for key in ("parameters", "numerics", "sweep"):
        if not isinstance(value.get(key, {}), dict):
            raise ConfigError(f"{where}: {table}.{key} must be a table, got {value[key]!r}")
    return dict(value)


def parse_value(text: str) -> Any:
    """Read a command-line value as a TOML value, else as a bare string.

    ``5`` -> 5, ``[0.0, 0.5]`` -> list, ``"5 mJ/cm^2"`` or ``5 mJ/cm^2`` -> str,
    ``true`` -> True.
    """
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``key=value`` (the ``--set`` syntax) into key and parsed value."""
    if "=" not in text:
        raise ConfigError(f"--set expects key=value, got {text!r}")
    key, value = text.split("=", 1)
    key = key.strip()
    if not key:
        raise ConfigError(f"--set expects key=value, got {text!r}")
    return key, parse_value(value)


def parse_sweep_values(key: str, spec: Any) -> list[Any]:
    """Values of a swept parameter: ``"start:stop:num"`` (linspace) or a list."""
    if isinstance(spec, list):
        if not spec:
            raise ConfigError(f"sweep parameter {key!r}: the list of values is empty")
        return spec
    if isinstance(spec, str) and spec.count(":") == 2:
        a, b, n = spec.split(":")
        try:
            start, stop, num = float(a), float(b), int(n)
        except ValueError:
            raise ConfigError(
                f"sweep parameter {key!r}: {spec!r} is not start:stop:num with numbers "
                "(use a TOML list for values with units)"
            ) from None
        if num < 1:
            raise ConfigError(f"sweep parameter {key!r}: num must be >= 1, got {num}")
        return [float(x) for x in np.linspace(start, stop, num)]
    raise ConfigError(
        f"sweep parameter {key!r}: expected 'start:stop:num' or a list of values, got {spec!r}"
    )


def _section_of(spec: ModelSpec, key: str) -> tuple[str, str]:
    """('parameters'|'numerics', field) for an override key, plain or qualified."""
    if "." in key:
        section, name = key.split(".", 1)
        if section not in ("parameters", "numerics"):
            raise ConfigError(
                f"override {key!r}: section must be 'parameters' or 'numerics', got {section!r}"
            )
        model = spec.params if section == "parameters" else spec.numerics
        if name not in model.model_fields:
            raise ConfigError(_unknown_key_message(spec, name))
        return section, name
    if key in spec.params.model_fields:
        return "parameters", key
    if key in spec.numerics.model_fields:
        return "numerics", key
    raise ConfigError(_unknown_key_message(spec, key))


def _unknown_key_message(spec: ModelSpec, key: str) -> str:
    return (
        f"unknown key {key!r} for model {spec.name!r}; parameters: "
        f"{', '.join(spec.params.model_fields)}; numerics: {', '.join(spec.numerics.model_fields)}"
    )


def merge_overrides(
    overrides: Mapping[str, Any] | None, more: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``overrides`` and then ``more`` as one dict (the API's ``overrides=`` and keywords).

    Raises
    ------
    ConfigError
        If ``overrides`` is not a mapping (``overrides="fluence=5"``).
    """
    _check_overrides(overrides)
    return {**(overrides or {}), **(more or {})}


def _check_overrides(overrides: Any) -> None:
    if overrides is not None and not isinstance(overrides, Mapping):
        raise ConfigError(
            f"overrides must be a mapping of key -> value (e.g. {{'fluence': '5 mJ/cm^2'}}), "
            f"got {type(overrides).__name__} {overrides!r}"
        )


def with_overrides(scenario: Scenario, overrides: Mapping[str, Any] | None) -> Scenario:
    """Return a copy of ``scenario`` with ``key -> value`` overrides applied.

    Keys are parameter or numerics field names (``fluence``) or qualified
    (``numerics.n_energy``); an unknown key is a ConfigError listing the known ones.
    """
    _check_overrides(overrides)
    if not overrides:
        return scenario
    bad_keys = [k for k in overrides if not isinstance(k, str)]
    if bad_keys:
        raise ConfigError(f"override keys must be strings (field names), got {bad_keys!r}")
    try:
        spec = get_model(scenario.model)
    except KeyError as exc:
        raise ConfigError(f"{scenario.source or scenario.name}: {exc.args[0]}") from None
    params = copy.deepcopy(scenario.parameters)
    numerics = copy.deepcopy(scenario.numerics)
    sweep = dict(scenario.sweep)
    for key, value in overrides.items():
        section, name = _section_of(spec, key)
        (params if section == "parameters" else numerics)[name] = value
        sweep.pop(name, None)  # a fixed value replaces a swept one
    return replace(scenario, parameters=params, numerics=numerics, sweep=sweep)


def _table_overrides(table: Mapping[str, Any]) -> dict[str, Any]:
    """A ``[test]``- or ``[ci]``-like table's parameter and numerics overrides as one flat,
    qualified dict (``"numerics.step": ...``)."""
    return {
        f"{section}.{k}": v
        for section in ("parameters", "numerics")
        for k, v in table.get(section, {}).items()
    }


def small_grid_overrides(scenario: Scenario) -> dict[str, Any]:
    """The ``[test]`` table's small-grid overrides as one flat, qualified dict."""
    return _table_overrides(scenario.test)


def on_grid(scenario: Scenario, grid: str = "full") -> Scenario:
    """``scenario`` on one of its :data:`GRIDS`: ``full`` (as written), ``ci`` (its
    ``[ci]`` overrides and sweep values; the full settings where the table is empty or
    absent) or ``small`` (its ``[test]`` table). A ``sweep`` entry of the table replaces
    those swept values; the others keep the scenario's."""
    if grid not in GRIDS:
        raise ConfigError(f"grid must be one of {GRIDS}, got {grid!r}")
    table = {"full": None, "ci": scenario.ci, "small": scenario.test}[grid] or {}
    out = with_overrides(scenario, _table_overrides(table))
    if table.get("sweep"):
        sweep = dict(out.sweep)
        sweep.update({k: parse_sweep_values(k, v) for k, v in table["sweep"].items()})
        out = replace(out, sweep=sweep)
    return out


def _format_validation(section: str, exc: ValidationError, given: dict[str, Any]) -> str:
    lines = []
    for err in exc.errors():
        msg = err["msg"].removeprefix("Value error, ")
        if not err["loc"]:  # a check across fields (model validator): no single field
            lines.append(f"{section}: {msg}")
            continue
        loc = ".".join(str(x) for x in err["loc"])
        top = str(err["loc"][0])
        shown = given.get(top, err.get("input"))
        if err["type"] == "extra_forbidden":
            lines.append(f"{section}.{loc}: unknown key")
        else:
            lines.append(f"{section}.{loc} = {shown!r}: {msg}")
    return "; ".join(lines)


def _admits_bool(annotation: Any) -> bool:
    """Whether a field annotation accepts a boolean (bool, Any, or a union/list with bool)."""
    if annotation is bool or annotation is Any:
        return True
    return any(_admits_bool(a) for a in get_args(annotation))


def _has_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, list | tuple):
        return any(_has_bool(v) for v in value)
    if isinstance(value, dict):
        return any(_has_bool(v) for v in value.values())
    return False


def _refuse_booleans(where: str, section: str, cls: type, given: dict[str, Any]) -> None:
    """A boolean for a number is an error (pydantic would read ``true`` as 1)."""
    units = units_of(cls)
    for key, value in given.items():
        info = cls.model_fields.get(key)
        if info is None or not _has_bool(value) or _admits_bool(info.annotation):
            continue
        unit = f" (a number in {units[key]} or a string with units)" if key in units else ""
        raise ConfigError(
            f"{where}: {section}.{key} = {value!r}: a boolean is not allowed here; "
            f"expected {_type_name(info.annotation)}{unit}"
        )


def _type_name(annotation: Any) -> str:
    """'a number', 'an integer', 'a list of numbers', ... for an error message."""
    names = {int: "an integer", float: "a number", str: "a string"}
    if annotation in names:
        return names[annotation]
    origin = getattr(annotation, "__origin__", None)
    args = get_args(annotation)
    if origin in (list, tuple) and args:
        return "a list of " + _type_name(args[0]).split(" ", 1)[1] + "s"
    if args:  # Annotated[float, ...] (a quantity) or a union
        return _type_name(args[0])
    return str(annotation).replace("typing.", "")


def machine_memory_bytes() -> int | None:
    """Memory available to this process: physical memory, or a smaller cgroup limit.

    None when it cannot be determined (the memory check is then skipped).
    """
    total: int | None = None
    try:
        total = int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        total = None
    for limit_file in (
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ):
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) > 0:
            total = int(text) if total is None else min(total, int(text))
        break
    return total if total and total > 0 else None


def format_bytes(n: float) -> str:
    """``1536`` -> ``'1.5 KiB'``; binary prefixes up to PiB."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024:
            return f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} PiB"


def check_memory(where: str, params: Params, numerics: Numerics) -> None:
    """Refuse numerics whose estimated memory (``Numerics.estimated_bytes``) exceeds the machine's.

    Raises
    ------
    ConfigError
        With the estimated size, the memory available and the fields involved.
    """
    need = numerics.estimated_bytes(params)
    if not need:
        return
    have = machine_memory_bytes()
    if have is None or need <= have:
        return
    shown = []
    for name in type(numerics).memory_fields:
        if name in type(numerics).model_fields:
            shown.append(f"numerics.{name} = {getattr(numerics, name)!r}")
        elif name in type(params).model_fields:
            shown.append(f"parameters.{name} = {getattr(params, name)!r}")
    fields = ", ".join(shown) or "the numerics"
    raise ConfigError(
        f"{where}: {fields} would need about {format_bytes(need)} of memory, more than "
        f"this machine has ({format_bytes(have)}); use smaller grids"
    )


def validate(scenario: Scenario) -> tuple[ModelSpec, Params, Numerics]:
    """Resolve the model and validate parameters and numerics against it."""
    try:
        spec = get_model(scenario.model)
    except KeyError as exc:
        raise ConfigError(f"{scenario.source or scenario.name}: {exc.args[0]}") from None
    out = []
    where = f"scenario {scenario.name!r}"
    for section, cls, given in (
        ("parameters", spec.params, scenario.parameters),
        ("numerics", spec.numerics, scenario.numerics),
    ):
        _refuse_booleans(where, section, cls, given)
        try:
            out.append(cls(**given))
        except ValidationError as exc:
            msg = _format_validation(section, exc, given)
            if section == "parameters" and any(
                e["type"] == "extra_forbidden" for e in exc.errors()
            ):
                msg += f" (allowed parameters: {', '.join(cls.model_fields)})"
            if section == "numerics" and any(e["type"] == "extra_forbidden" for e in exc.errors()):
                msg += f" (allowed numerics: {', '.join(cls.model_fields)})"
            raise ConfigError(f"{where}: {msg}") from None
    for key in scenario.sweep:
        _section_of(spec, key)
    check_memory(where, out[0], out[1])
    if spec.check is not None:
        try:
            spec.check(out[0], out[1])
        except ConfigError:
            raise
        except PhotoscError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return spec, out[0], out[1]


def plain_toml(value: Any) -> Any:
    """A configuration value as TOML-ready plain data: dict keys as strings, None entries
    dropped, tuples as lists, NumPy scalars as Python numbers, paths as strings."""
    if isinstance(value, dict):
        return {str(k): plain_toml(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [plain_toml(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return value


def resolved_toml(scenario: Scenario, params: Params, numerics: Numerics) -> str:
    """The full configuration actually used, defaults included, as TOML text.

    Quantities appear as floats in the field's declared unit (internal units).
    """
    data: dict[str, Any] = {
        "scenario": {
            "name": scenario.name,
            "model": scenario.model,
            "title": scenario.title,
            "paper": scenario.paper,
            "figure": scenario.figure,
        },
        "parameters": plain_toml(params.model_dump()),
        "numerics": plain_toml(numerics.model_dump()),
    }
    if scenario.sweep:
        data["sweep"] = plain_toml(scenario.sweep)
    return tomli_w.dumps(data)
