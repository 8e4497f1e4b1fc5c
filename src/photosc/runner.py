"""Run a scenario: validate, compute, write one output folder.

A run writes into ``DIR`` (default ``runs/NAME-TIMESTAMP``):

* ``result.nc`` - the model's xarray Dataset (h5netcdf), every variable and
  coordinate with a ``units`` attribute; global attributes hold the resolved
  configuration (``photosc_config``, TOML text), the photosc version, the
  model, scenario, paper and figure, and the wall time;
* ``summary.json`` - the scenario's headline numbers (keys carry their unit);
* ``*.png`` - the model's figures.

Everything is written into a hidden sibling folder first and renamed into
place at the end, so a failed run leaves no folder that looks complete.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

import photosc
from photosc.config import (
    Scenario,
    load_scenario,
    resolved_toml,
    validate,
    with_overrides,
)
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
        if ds[name].dtype == bool:
            pass  # xarray encodes bool as int8 with a dtype attr
    return ds


def default_out(name: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path("runs") / f"{name}-{stamp}"


def write_folder(
    out: Path,
    dataset: xr.Dataset | None,
    summary: dict[str, Any],
    figures: dict[str, Any],
    extra_files: dict[str, str] | None = None,
    keep: tuple[str, ...] = (),
) -> list[Path]:
    """Write result.nc, summary.json and PNGs into ``out`` atomically.

    The folder is assembled next to ``out`` and renamed into place; an
    existing ``out`` is replaced only after the new one is complete; entries
    named in ``keep`` (e.g. a sweep's ``points`` cache) move into the new folder.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        if dataset is not None:
            netcdf_ready(dataset).to_netcdf(tmp / "result.nc", engine="h5netcdf")
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        for fname, text in (extra_files or {}).items():
            (tmp / fname).write_text(text)
        pngs = []
        for stem, fig in figures.items():
            p = tmp / f"{stem}.png"
            fig.savefig(p, dpi=120, bbox_inches="tight")
            pngs.append(out / p.name)
        if out.exists():
            for name in keep:
                if (out / name).exists():
                    (out / name).rename(tmp / name)
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return pngs


def make_figures(plotter, dataset: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Call a model's plot function with a non-interactive backend."""
    if plotter is None:
        return {}
    import matplotlib

    matplotlib.use("Agg")
    return dict(plotter(dataset, summary) or {})


def close_figures(figures: dict[str, Any]) -> None:
    import matplotlib.pyplot as plt

    for fig in figures.values():
        plt.close(fig)


def provenance(scenario: Scenario, spec, params, numerics, wall: float) -> dict[str, Any]:
    """Global attributes that make a result reproducible (STYLE.md habit 7)."""
    return {
        "photosc_version": photosc.__version__,
        "photosc_model": spec.name,
        "photosc_scenario": scenario.name,
        "photosc_config": resolved_toml(scenario, params, numerics),
        "paper": scenario.paper,
        "figure": scenario.figure,
        "title": scenario.title,
        "wall_time_s": wall,
    }


def compute(scenario: Scenario) -> tuple[xr.Dataset, dict[str, Any], Any]:
    """Validate and run a (non-sweep) scenario in memory: (dataset, summary, spec)."""
    spec, params, numerics = validate(scenario)
    t0 = time.perf_counter()
    output = spec.run(params, numerics)
    wall = time.perf_counter() - t0
    summary = check_summary(output.summary, f"scenario {scenario.name!r} summary")
    ds = output.dataset
    ds.attrs.update(provenance(scenario, spec, params, numerics, wall))
    return ds, summary, spec


def run(
    name_or_path: str | Path,
    *,
    out: str | Path | None = None,
    write: bool = True,
    overrides: dict[str, Any] | None = None,
    **kw_overrides: Any,
) -> RunResult:
    """Run a built-in scenario or a scenario file; the Python twin of ``photosc run``.

    Parameters
    ----------
    name_or_path : str or Path
        Built-in scenario name (``photosc list``) or a TOML file.
    out : str or Path, optional
        Output folder (default ``runs/NAME-TIMESTAMP``).
    write : bool
        Write the folder (True) or only compute in memory.
    overrides, **kw_overrides
        Parameter or numerics values, e.g. ``fluence="5 mJ/cm^2"`` or
        ``{"numerics.n_energy": 400}``.

    Returns
    -------
    RunResult
        ``dataset``, ``summary``, ``path`` (the folder, or None) and ``figures``.
    """
    scenario = load_scenario(name_or_path)
    scenario = with_overrides(scenario, {**(overrides or {}), **kw_overrides})
    if scenario.is_sweep:
        from photosc.sweeps import run_sweep

        return run_sweep(scenario, out=out, write=write)
    ds, summary, spec = compute(scenario)
    result = RunResult(scenario.name, ds, summary)
    if write:
        figures = make_figures(spec.plot, ds, summary)
        try:
            path = Path(out) if out is not None else default_out(scenario.name)
            result.figures = write_folder(path, ds, summary, figures)
            result.path = path
        finally:
            close_figures(figures)
    return result
