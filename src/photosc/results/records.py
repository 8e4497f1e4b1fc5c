"""What a run returns and writes: :class:`RunResult`, a summary made plain JSON, a
Dataset whose attributes netCDF accepts, and the model's figures."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from photosc.errors import PhotoscError


@dataclass
class RunResult:
    """What :func:`run` returns."""

    name: str
    dataset: xr.Dataset
    summary: dict[str, Any]
    path: Path | None = None
    figures: list[Path] = field(default_factory=list)


def check_summary(summary: dict[str, Any], where: str = "summary") -> dict[str, Any]:
    """Make a summary plain JSON; NaN, inf and None are errors naming the key."""

    def plain(key: str, v: Any) -> Any:
        if isinstance(v, bool | np.bool_):
            return bool(v)
        if isinstance(v, int | np.integer):
            return int(v)
        if isinstance(v, float | np.floating):
            if not math.isfinite(float(v)):
                raise PhotoscError(f"{where}: value of {key!r} is {v} (not a finite number)")
            return float(v)
        if isinstance(v, str):
            return v
        if isinstance(v, list | tuple | np.ndarray):
            return [plain(f"{key}[{i}]", x) for i, x in enumerate(list(v))]
        if isinstance(v, dict):
            return {str(k): plain(f"{key}.{k}", x) for k, x in v.items()}
        raise PhotoscError(f"{where}: value of {key!r} has unsupported type {type(v).__name__}")

    return {str(k): plain(str(k), v) for k, v in summary.items()}


def _flat_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """netCDF-safe attributes: bools -> int, None dropped, nested -> JSON text."""
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        if v is None:
            continue
        if isinstance(v, bool | np.bool_):
            out[k] = int(v)
        elif isinstance(v, dict):
            out[k] = json.dumps(v)
        elif isinstance(v, list | tuple) and any(isinstance(x, str) for x in v):
            out[k] = json.dumps(list(v))
        elif isinstance(v, list | tuple):
            out[k] = np.asarray(v)
        else:
            out[k] = v
    return out


def netcdf_ready(ds: xr.Dataset) -> xr.Dataset:
    """A copy of ``ds`` whose attributes all netCDF accepts (see STYLE.md habit 7)."""
    ds = ds.copy()
    ds.attrs = _flat_attrs(ds.attrs)
    for name in list(ds.variables):
        ds[name].attrs = _flat_attrs(ds[name].attrs)
    return ds


def make_figures(plotter, dataset: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Call a model's plot function with a non-interactive backend."""
    if plotter is None:
        return {}
    import matplotlib

    matplotlib.use("Agg")
    return dict(plotter(dataset, summary) or {})


def close_figures(figures: dict[str, Any]) -> None:
    """Close the figures of :func:`make_figures` (their memory is held until closed)."""
    import matplotlib.pyplot as plt

    for fig in figures.values():
        plt.close(fig)
