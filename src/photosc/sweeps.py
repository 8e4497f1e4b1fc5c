"""Parameter sweeps: map a scenario over a grid on local processes or Dask.

Each grid point is an ordinary run of the scenario's model with the swept
values as overrides. Points run on a local process pool by default, or on an
existing Dask distributed cluster given its scheduler address
(:func:`photosc.foundation.parallel.parallel_imap`: one BLAS thread per worker;
a model that maps over items itself, e.g. the slices of a depth-resolved film,
runs them in-process inside a sweep worker); a point that fails is recorded
with its parameters and error and does not spoil the others.

Completed points are stored as JSON files in ``OUT/points/`` the moment they
arrive, keyed by a hash of the model, the full configuration and the point,
so an interrupted sweep resumes without recomputing them.

The gathered ``result.nc`` has one dimension per swept parameter and the
per-point summary values as variables (lists get an extra ``<key>_index``
dimension); a ``failed`` variable marks failed points, whose numeric values
are NaN (and listed in ``summary.json`` with the error).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import time
import traceback
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from photosc.config import (
    Scenario,
    load_scenario,
    parse_sweep_values,
    validate,
    with_overrides,
)
from photosc.errors import ConfigError
from photosc.foundation.parallel import parallel_imap
from photosc.foundation.progress import progress
from photosc.foundation.units import parse_quantity
from photosc.models._base import units_of
from photosc.runner import (
    RunResult,
    check_summary,
    close_figures,
    compute,
    default_out,
    make_figures,
    provenance,
    write_folder,
)

#: Summary-key suffix -> unit attribute.
_SUFFIX_UNITS = {
    "K": "K",
    "meV": "meV",
    "eV": "eV",
    "ps": "ps",
    "ns": "ns",
    "fs": "fs",
    "s": "s",
    "nm": "nm",
    "THz": "THz",
    "mJ_cm2": "mJ/cm^2",
}


def unit_from_key(key: str) -> str:
    """Unit of a summary value from its key suffix (``tc_K`` -> ``K``; else ``1``)."""
    for suffix, unit in _SUFFIX_UNITS.items():
        if key.endswith("_" + suffix):
            return unit
    return "1"


def parse_param_spec(text: str) -> tuple[str, list[Any]]:
    """``key=start:stop:num`` or ``key=[v1, v2, ...]`` (the ``--param`` syntax)."""
    from photosc.config import parse_value

    if "=" not in text:
        raise ConfigError(f"--param expects key=start:stop:num or key=[values], got {text!r}")
    key, value = text.split("=", 1)
    parsed = parse_value(value)
    return key.strip(), parse_sweep_values(key.strip(), parsed)


def _point_key(scenario: Scenario, point: dict[str, Any]) -> str:
    blob = json.dumps(
        {
            "model": scenario.model,
            "parameters": scenario.parameters,
            "numerics": scenario.numerics,
            "point": point,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


def run_point(scenario: Scenario, point: dict[str, Any]) -> dict[str, Any]:
    """Run one grid point in memory; never raises (errors are returned).

    In a pool, the worker limits BLAS/OpenMP to one thread
    (:func:`photosc.foundation.parallel.parallel_imap`).
    """
    t0 = time.perf_counter()
    try:
        sc = with_overrides(replace(scenario, sweep={}), point)
        _, summary, _ = compute(sc)
        return {
            "point": point,
            "status": "ok",
            "summary": summary,
            "wall_s": time.perf_counter() - t0,
        }
    except Exception as exc:  # a failed point must not spoil the sweep
        return {
            "point": point,
            "status": "error",
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(limit=5),
            "wall_s": time.perf_counter() - t0,
        }


def _iter_results(
    scenario: Scenario, points: list[dict[str, Any]], scheduler: str | None, workers: int | None
) -> Iterator[dict[str, Any]]:
    """Run the points (:func:`photosc.foundation.parallel.parallel_imap`: local processes
    with one BLAS thread each, or Dask) and yield their records as they complete."""
    fn = functools.partial(run_point, scenario)
    for _, rec in parallel_imap(fn, points, workers=workers, scheduler=scheduler, ordered=False):
        yield rec


def _coordinate(spec, key: str, values: list[Any]) -> tuple[np.ndarray, str]:
    name = key.split(".", 1)[-1]
    units = {**units_of(spec.params), **units_of(spec.numerics)}
    unit = units.get(name, "1")
    if unit != "1":
        return np.array([parse_quantity(v, unit, field=name) for v in values]), unit
    arr = np.asarray(values)
    if arr.dtype.kind in "fiub":
        return arr, "1"
    return np.asarray([str(v) for v in values]), "1"


def gather(
    scenario: Scenario,
    spec,
    grid: dict[str, list[Any]],
    records: dict[str, dict[str, Any]],
    keys: list[str],
) -> xr.Dataset:
    """Assemble per-point summaries into one Dataset over the swept parameters."""
    names = list(grid)
    shape = tuple(len(grid[k]) for k in names)
    dims = [k.split(".", 1)[-1] for k in names]
    coords = {}
    for k, d in zip(names, dims):
        vals, unit = _coordinate(spec, k, grid[k])
        coords[d] = (d, vals, {"units": unit, "long_name": d})
    ok_summaries = [r["summary"] for r in records.values() if r["status"] == "ok"]
    failed = np.zeros(shape, dtype=bool)
    data_vars: dict[str, Any] = {}
    summary_keys: list[str] = []
    for s in ok_summaries:
        for key in s:
            if key not in summary_keys:
                summary_keys.append(key)
    for key in summary_keys:
        sample = next(s[key] for s in ok_summaries if key in s)
        if isinstance(sample, bool):
            arr = np.zeros(shape, dtype=bool)
        elif isinstance(sample, int | float):
            arr = np.full(shape, np.nan)
        elif isinstance(sample, str):
            arr = np.full(shape, "", dtype=object)
        elif isinstance(sample, list) and all(isinstance(x, int | float) for x in sample):
            length = max(len(s.get(key, [])) for s in ok_summaries)
            arr = np.full((*shape, length), np.nan)
        else:
            continue  # nested values stay in the per-point JSON files
        for idx in itertools.product(*(range(n) for n in shape)):
            rec = records[keys[np.ravel_multi_index(idx, shape)]]
            if rec["status"] != "ok" or key not in rec["summary"]:
                continue
            v = rec["summary"][key]
            if arr.ndim > len(shape):
                arr[idx][: len(v)] = v
            else:
                arr[idx] = v
        attrs = {"units": unit_from_key(key), "long_name": key}
        if arr.ndim > len(shape):
            data_vars[key] = ([*dims, f"{key}_index"], arr, attrs)
        else:
            if arr.dtype == object:
                arr = arr.astype(str)
            data_vars[key] = (dims, arr, attrs)
    for idx in itertools.product(*(range(n) for n in shape)):
        failed[idx] = records[keys[np.ravel_multi_index(idx, shape)]]["status"] != "ok"
    data_vars["failed"] = (dims, failed, {"units": "1", "long_name": "point failed"})
    return xr.Dataset(data_vars, coords=coords)


def run_sweep(
    scenario: Scenario,
    *,
    out: str | Path | None = None,
    write: bool = True,
    scheduler: str | None = None,
    workers: int | None = None,
) -> RunResult:
    """Map ``scenario`` over its ``sweep`` grid and gather the results.

    Parameters
    ----------
    scenario : Scenario
        A scenario with a non-empty ``sweep`` table.
    out : path, optional
        Output folder; completed points are cached in ``out/points`` (also
        when ``write`` is False, if ``out`` is given).
    scheduler : str, optional
        Address of a running Dask distributed scheduler (``tcp://host:port``);
        default: local processes.
    workers : int, optional
        Local worker processes (default: number of cores; 1 runs in-process).
    """
    if not scenario.sweep:
        raise ConfigError(f"scenario {scenario.name!r} has no [sweep] grid to map over")
    spec, params, numerics = validate(scenario)
    grid = scenario.sweep
    names = list(grid)
    points = [dict(zip(names, combo)) for combo in itertools.product(*(grid[k] for k in names))]
    path = Path(out) if out is not None else (default_out(scenario.name) if write else None)
    cache = None
    if path is not None:
        cache = path / "points"
        cache.mkdir(parents=True, exist_ok=True)
    keys = [_point_key(scenario, p) for p in points]
    records: dict[str, dict[str, Any]] = {}
    todo = []
    for key, point in zip(keys, points):
        f = cache / f"{key}.json" if cache else None
        if f is not None and f.is_file():
            rec = json.loads(f.read_text())
            if rec.get("status") == "ok":
                records[key] = rec
                continue
        todo.append(point)
    n_cached = len(records)
    t0 = time.perf_counter()
    by_point = {json.dumps(p, sort_keys=True, default=str): k for k, p in zip(keys, points)}
    for rec in progress(
        _iter_results(scenario, todo, scheduler, workers),
        desc=f"sweep {scenario.name}",
        total=len(todo),
    ):
        key = by_point[json.dumps(rec["point"], sort_keys=True, default=str)]
        records[key] = rec
        if cache is not None:
            tmp = cache / f".{key}.tmp"
            tmp.write_text(json.dumps(rec, default=str))
            tmp.replace(cache / f"{key}.json")
    wall = time.perf_counter() - t0
    ds = gather(scenario, spec, grid, records, keys)
    failures = [
        {"point": r["point"], "error": r["error"]} for r in records.values() if r["status"] != "ok"
    ]
    summary: dict[str, Any] = {
        "points": len(points),
        "computed": len(todo),
        "cached": n_cached,
        "failed": len(failures),
    }
    if spec.summarize_sweep is not None:
        summary.update(spec.summarize_sweep(ds))
    summary = check_summary(summary, f"sweep {scenario.name!r} summary")
    summary["failed_points"] = failures
    ds.attrs.update(provenance(scenario, spec, params, numerics, wall))
    ds.attrs["swept"] = json.dumps(names)
    result = RunResult(scenario.name, ds, summary)
    if write and path is not None:
        figures = make_figures(spec.plot_sweep or plot_sweep_default, ds, summary)
        try:
            result.figures = write_folder(path, ds, summary, figures, keep=("points",))
        finally:
            close_figures(figures)
        result.path = path
    return result


def plot_sweep_default(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """One figure of the swept numeric summary values (lines in 1D, maps in 2D)."""
    import matplotlib.pyplot as plt

    swept = json.loads(ds.attrs.get("swept", "[]")) or list(ds.dims)
    dims = [s.split(".", 1)[-1] for s in swept]
    names = [
        v
        for v in ds.data_vars
        if v != "failed" and ds[v].dims == tuple(dims) and ds[v].dtype.kind in "fiub"
    ][:6]
    if not names or len(dims) > 2:
        return {}
    ncol = min(3, len(names))
    nrow = (len(names) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.4 * nrow), squeeze=False)
    for ax, name in zip(axes.flat, names):
        da = ds[name].astype(float)
        if len(dims) == 1:
            da.plot(ax=ax, marker="o")
        else:
            da.plot(ax=ax, x=dims[0], y=dims[1])
        ax.set_title(name)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return {"sweep": fig}


def sweep(
    name_or_path: str | Path,
    params: dict[str, Any] | None = None,
    *,
    out: str | Path | None = None,
    write: bool = True,
    scheduler: str | None = None,
    workers: int | None = None,
    overrides: dict[str, Any] | None = None,
) -> RunResult:
    """Python twin of ``photosc sweep``.

    Parameters
    ----------
    name_or_path : str or Path
        Built-in scenario name or TOML file.
    params : dict
        Swept parameter -> ``"start:stop:num"`` or a list of values; added to
        (and replacing entries of) the scenario's own ``[sweep]`` table.
    out, write, scheduler, workers
        As for :func:`run_sweep`.
    overrides : dict, optional
        Fixed parameter values (as ``photosc run --set``).
    """
    scenario = with_overrides(load_scenario(name_or_path), overrides)
    grid = dict(scenario.sweep)
    for k, v in (params or {}).items():
        grid[k] = parse_sweep_values(k, v)
    scenario = replace(scenario, sweep=grid)
    return run_sweep(scenario, out=out, write=write, scheduler=scheduler, workers=workers)
