"""Provenance: a configuration that reruns as it stands, and the run's warnings.

Every result carries the resolved scenario as TOML text with units
(:func:`config_toml`, in ``result.nc`` as the ``photosc_config`` attribute and beside
it as ``config.toml``), the photosc version, model, scenario, paper, figure and wall
time (:func:`provenance`); :func:`load_any` reads a scenario back from a built-in name,
a TOML file or such a ``result.nc``.
"""

from __future__ import annotations

import math
import os
import tomllib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli_w
import xarray as xr

import photosc
from photosc.config import Scenario, load_scenario, plain_toml, scenario_from_dict
from photosc.errors import ConfigError
from photosc.foundation.units import parse_quantity
from photosc.models._base import units_of


def _with_units(values: dict[str, Any], units: dict[str, str]) -> dict[str, Any]:
    """Scalar quantities as ``"<repr> <unit>"`` strings that parse back to the same float."""
    out = {}
    for key, value in plain_toml(values).items():
        unit = units.get(key, "1")
        if unit != "1" and isinstance(value, float) and math.isfinite(value):
            text = f"{value!r} {unit}"
            try:
                if parse_quantity(text, unit) == value:
                    value = text
            except Exception:  # keep the bare number (read in the declared unit)
                pass
        out[key] = value
    return out


def config_toml(scenario: Scenario, spec, params, numerics) -> str:
    """The full configuration actually used, as a scenario file that reruns it.

    Defaults are included; quantities carry their unit (``cutoff = "25.0 meV"``,
    written so that they read back to the same float); ``photosc run`` accepts the
    text as a TOML file, or the ``result.nc`` that holds it.
    """
    head = {
        "model": scenario.model,
        "title": scenario.title,
        "paper": scenario.paper,
        "figure": scenario.figure,
    }
    data: dict[str, Any] = {
        "scenario": head,
        "parameters": _with_units(params.model_dump(), units_of(spec.params)),
        "numerics": _with_units(numerics.model_dump(), units_of(spec.numerics)),
    }
    if scenario.sweep:
        data["sweep"] = plain_toml(scenario.sweep)
    comment = (
        f"# photosc {photosc.__version__}: resolved configuration of scenario "
        f"{scenario.name!r}; rerun with `photosc run THIS_FILE`\n"
    )
    return comment + tomli_w.dumps(data)


def provenance(scenario: Scenario, spec, params, numerics, wall: float) -> dict[str, Any]:
    """Global attributes that make a result reproducible (STYLE.md habit 7)."""
    return {
        "photosc_version": photosc.__version__,
        "photosc_model": spec.name,
        "photosc_scenario": scenario.name,
        "photosc_config": config_toml(scenario, spec, params, numerics),
        "paper": scenario.paper,
        "figure": scenario.figure,
        "title": scenario.title,
        "wall_time_s": wall,
    }


def record_warnings(fn: Callable[..., Any], *args: Any) -> tuple[Any, list[str]]:
    """Call ``fn(*args)``; return its result and the warnings it raised as text.

    The warnings (``"RuntimeWarning: ..."``, deduplicated; deprecation warnings
    left out) are re-emitted after the call, so they are still printed.
    """
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            result = fn(*args)
    finally:  # re-emit, also when fn raised
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    texts: list[str] = []
    for w in caught:
        if issubclass(w.category, DeprecationWarning | PendingDeprecationWarning):
            continue
        text = f"{w.category.__name__}: {w.message}"
        if text not in texts:
            texts.append(text)
    return result, texts


def load_result_scenario(path: Path) -> Scenario:
    """The scenario stored in a ``result.nc`` (its ``photosc_config`` attribute).

    Results of earlier photosc versions (a ``name`` key in ``[scenario]``, bare
    numbers in the declared units) load as well.
    """
    try:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            attrs = dict(ds.attrs)
    except Exception as exc:  # h5py/h5netcdf raise several types
        raise ConfigError(f"{path}: not a readable photosc result.nc ({exc})") from None
    text = attrs.get("photosc_config")
    if not isinstance(text, str):
        raise ConfigError(f"{path}: has no photosc_config attribute (not a photosc result)")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: stored configuration is not valid TOML: {exc}") from None
    old_name = data.get("scenario", {}).pop("name", None)
    name = str(attrs.get("photosc_scenario") or old_name or path.stem)
    return scenario_from_dict(data, name=name, source=str(path))


def load_any(name_or_path: str | os.PathLike[str] | Scenario) -> Scenario:
    """A built-in scenario, a scenario TOML file, or the configuration of a result.nc
    (a :class:`~photosc.config.Scenario` is returned as it is)."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    text = os.fspath(name_or_path)
    if str(text).endswith(".nc") and Path(text).is_file():
        return load_result_scenario(Path(text))
    return load_scenario(text)
