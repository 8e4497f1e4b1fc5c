"""Parameter sweeps: map a scenario over a grid on local processes or Dask.

Each grid point is an ordinary run of the scenario's model with the swept
values as overrides. Points run on a local process pool by default, or on an
existing Dask distributed cluster given its scheduler address
(:func:`photosc.foundation.parallel.parallel_imap`: one BLAS thread per worker;
a model that maps over items itself, e.g. the slices of a depth-resolved film,
runs them in-process inside a sweep worker). A model whose run is a map of
independent jobs and a finishing step (``ModelSpec.plan``,
:class:`~photosc.models._base.RunPlan`: the pump-probe model's kinetic runs) has
the jobs of all points run in one pool instead, each point finished in this process
when its last job is in, with the record the point would have alone. A point that
fails is recorded with its parameters and error and does not spoil the others.

Completed points are stored as JSON files in ``OUT/points/`` the moment they
arrive, keyed by a hash of the model, the point's resolved configuration and the
photosc version, with a checksum, so an interrupted sweep resumes without
recomputing them; a damaged point file is recomputed with a :class:`CacheWarning`
naming it. Every point's configuration is validated before any point runs, and a
point that fails with a configuration error stops the sweep (the other points
would share it).

The gathered ``result.nc`` has one dimension per swept parameter and the
per-point summary values as variables (lists get an extra ``<key>_index``
dimension); a ``failed`` variable marks failed points and ``error`` holds their
errors; their numeric values are NaN, the summary counts them (``failed``) and
lists them (``failed_points``). When every point fails, the errors are raised.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

import photosc
from photosc.config import (
    Scenario,
    parse_sweep_values,
    validate,
    with_overrides,
)
from photosc.errors import ConfigError, PhotoscError
from photosc.foundation.parallel import _warned_call, parallel_imap
from photosc.foundation.progress import progress
from photosc.foundation.units import parse_quantity
from photosc.models._base import units_of
from photosc.results import (
    MARKER,
    OutputError,
    RunResult,
    check_summary,
    claim_out,
    close_figures,
    compute,
    load_any,
    make_figures,
    provenance,
    read_marker,
    record_warnings,
    write_folder,
    write_marker,
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


class CacheWarning(UserWarning):
    """A sweep's cached point file is damaged or stale and is recomputed."""


#: Version of the point-file layout in ``OUT/points``.
_POINT_FORMAT = 2


def point_key(spec, params, numerics) -> str:
    """Cache key of a point: the model, its resolved (validated) configuration and
    the photosc version."""
    blob = json.dumps(
        {
            "photosc_version": photosc.__version__,
            "model": spec.name,
            "parameters": params.model_dump(),
            "numerics": numerics.model_dump(),
        },
        sort_keys=True,
        default=repr,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def _checksum(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def write_point(path: Path, key: str, record: dict[str, Any]) -> None:
    """Store a point record with its key, the photosc version and a checksum (atomically)."""
    data = {
        "format": _POINT_FORMAT,
        "key": key,
        "photosc_version": photosc.__version__,
        "sha256": _checksum(record),
        "record": record,
    }
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, default=str))
    tmp.replace(path)


def read_point(path: Path, key: str) -> dict[str, Any] | None:
    """The record of a cached point, or None if absent or damaged.

    A damaged file (truncated, edited, another key or version) gives a
    :class:`CacheWarning` naming it; the point is then recomputed.
    """
    if not path.is_file():
        return None
    problem = ""
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError) as exc:
        problem = f"unreadable ({exc})"
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON ({exc.msg} at character {exc.pos}; truncated?)"
    else:
        if not isinstance(data, dict) or not isinstance(data.get("record"), dict):
            problem = "not a photosc point record"
        elif data.get("key") != key or data.get("photosc_version") != photosc.__version__:
            problem = "written for another configuration or photosc version"
        elif data.get("sha256") != _checksum(data["record"]):
            problem = "checksum mismatch (the file was changed after photosc wrote it)"
        else:
            return data["record"]
    warnings.warn(
        f"sweep cache: point file {path} is damaged: {problem}; recomputing the point",
        CacheWarning,
        stacklevel=2,
    )
    return None


def run_point(scenario: Scenario, point: dict[str, Any]) -> dict[str, Any]:
    """Run one grid point in memory; never raises (errors are returned).

    In a pool, the worker limits BLAS/OpenMP to one thread
    (:func:`photosc.foundation.parallel.parallel_imap`).
    """
    t0 = time.perf_counter()
    try:
        sc = with_overrides(replace(scenario, sweep={}), point)
        ds, summary, _ = compute(sc)
        return {
            "point": point,
            "status": "ok",
            "summary": summary,
            "warnings": json.loads(ds.attrs.get("photosc_warnings", "[]")),
            "wall_s": time.perf_counter() - t0,
        }
    except Exception as exc:  # a failed point must not spoil the sweep
        error, config_error, tb = _failure(exc)
        return _error_record(point, error, config_error, t0, tb)


def _iter_results(
    scenario: Scenario,
    points: list[dict[str, Any]],
    scheduler: str | None,
    workers: int | None,
    spec: Any = None,
) -> Iterator[dict[str, Any]]:
    """Run the points (:func:`photosc.foundation.parallel.parallel_imap`: local processes
    with one BLAS thread each, or Dask) and yield their records as they complete.

    A model with a :class:`~photosc.models._base.RunPlan` (``spec.plan``) and more than
    one point: the jobs of every point in one pool (:func:`_iter_planned`)."""
    if spec is not None and spec.plan is not None and len(points) > 1:
        yield from _iter_planned(scenario, points, scheduler, workers)
        return
    fn = functools.partial(run_point, scenario)
    for _, rec in parallel_imap(fn, points, workers=workers, scheduler=scheduler, ordered=False):
        yield rec


def _error_record(point: dict[str, Any], error: str, config_error: bool, t0: float, tb: str):
    """The record of a point that failed (as :func:`run_point` writes it); ``error`` is
    ``"Type: message"``."""
    return {
        "point": point,
        "status": "error",
        "error": error,
        "config_error": config_error,
        "traceback": tb,
        "wall_s": time.perf_counter() - t0,
    }


def _failure(exc: BaseException) -> tuple[str, bool, str]:
    """(``"Type: message"``, is a configuration error, traceback) of the exception being
    handled: plain data, so that it crosses a process boundary whatever the exception."""
    return f"{type(exc).__name__}: {exc}", isinstance(exc, ConfigError), traceback.format_exc(5)


def _run_job(job: tuple[Any, Any]) -> tuple[bool, Any, Any]:
    """One job of a point's :class:`~photosc.models._base.RunPlan` in a worker: ``(True,
    result, warnings as (message, category))`` or ``(False, _failure(...), None)``: a
    failed job fails its point, not the sweep."""
    fn, item = job
    try:
        out, caught = _warned_call(fn, item)
        return True, out, caught
    except Exception as exc:
        return False, _failure(exc), None


def _iter_planned(
    scenario: Scenario, points: list[dict[str, Any]], scheduler: str | None, workers: int | None
) -> Iterator[dict[str, Any]]:
    """The points of a model with a run plan: every point's plan in this process, the jobs
    of all of them in one pool, each point finished here when its last job is in (issue
    16: pump-probe-pb-sensitivity's 8 points of 6 runs left one core idle while the last
    point ran). A point's record is the one :func:`run_point` gives, bit for bit: the
    same plan, jobs and finish, and its warnings (plan, jobs in item order, finish)."""
    planned: dict[int, dict[str, Any]] = {}
    jobs: list[tuple[int, int]] = []  # (point, job of that point)
    tasks: list[tuple[Any, Any]] = []
    for i, point in enumerate(points):
        t0 = time.perf_counter()
        try:
            sc = with_overrides(replace(scenario, sweep={}), point)
            spec, params, numerics = validate(sc)
            plan, caught = record_warnings(spec.plan, params, numerics)
        except Exception as exc:
            error, config_error, tb = _failure(exc)
            yield _error_record(point, error, config_error, t0, tb)
            continue
        planned[i] = {
            "point": point, "name": sc.name, "plan": plan, "caught": caught, "t0": t0,
            "out": [None] * len(plan.items), "left": len(plan.items),
        }  # fmt: skip
        for j, item in enumerate(plan.items):
            jobs.append((i, j))
            tasks.append((plan.fn, item))
    for p in planned.values():
        if p["left"] == 0:
            yield _finish_point(p)
    for n, out in parallel_imap(
        _run_job, tasks, workers=workers, scheduler=scheduler, ordered=False
    ):
        i, j = jobs[n]
        p = planned[i]
        p["out"][j] = out
        p["left"] -= 1
        if p["left"] == 0:
            yield _finish_point(p)


def _finish_point(p: dict[str, Any]) -> dict[str, Any]:
    """A planned point's record from its jobs' results (:func:`_iter_planned`)."""
    failed = next((o for o in p["out"] if not o[0]), None)
    if failed is not None:
        error, config_error, tb = failed[1]
        return _error_record(p["point"], error, config_error, p["t0"], tb)

    def finish():
        for _, _, caught in p["out"]:  # re-issued in item order, as parallel_map_warned
            for message, category in caught:
                warnings.warn(message, category, stacklevel=2)
        return p["plan"].finish([o[1] for o in p["out"]])

    try:
        output, caught = record_warnings(finish)
        summary = check_summary(output.summary, f"scenario {p['name']!r} summary")
    except Exception as exc:
        error, config_error, tb = _failure(exc)
        return _error_record(p["point"], error, config_error, p["t0"], tb)
    return {
        "point": p["point"],
        "status": "ok",
        "summary": summary,
        "warnings": list(dict.fromkeys([*p["caught"], *caught])),
        "wall_s": time.perf_counter() - p["t0"],
    }


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


def _nested_shape(key: str, summaries: list[dict[str, Any]]) -> tuple[int, ...] | None:
    """The common shape of ``key``'s nested numeric (or boolean) lists in every summary that
    has it, or None if they are ragged, non-numeric, or of different shapes."""
    shapes = set()
    for s in summaries:
        if key not in s:
            continue
        try:
            a = np.asarray(s[key])
        except ValueError:  # ragged
            return None
        if a.ndim < 2 or a.dtype.kind not in "fiub":
            return None
        shapes.add(a.shape)
    return shapes.pop() if len(shapes) == 1 else None


def gather(
    scenario: Scenario,
    spec,
    grid: dict[str, list[Any]],
    records: dict[str, dict[str, Any]],
    keys: list[str],
) -> xr.Dataset:
    """Assemble per-point summaries into one Dataset over the swept parameters.

    Failed points are NaN (numbers), False (flags) or "" (text); the ``failed``
    variable marks them and ``error`` holds their error messages. A summary key
    that is also a swept parameter (e.g. ``mu_star``) becomes ``<key>_summary``.
    """
    names = list(grid)
    shape = tuple(len(grid[k]) for k in names)
    dims = [k.split(".", 1)[-1] for k in names]
    coords = {}
    for k, d in zip(names, dims):
        vals, unit = _coordinate(spec, k, grid[k])
        coords[d] = (d, vals, {"units": unit, "long_name": d})
    ok_summaries = [r["summary"] for r in records.values() if r["status"] == "ok"]
    failed = np.zeros(shape, dtype=bool)
    errors = np.full(shape, "", dtype=object)
    data_vars: dict[str, Any] = {}
    summary_keys: list[str] = []
    for s in ok_summaries:
        for key in s:
            if key not in summary_keys:
                summary_keys.append(key)
    taken = set(dims) | {"failed", "error"}
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
            if length == 0:
                continue  # empty at every point (e.g. no failed temperatures)
            arr = np.full((*shape, length), np.nan)
        elif (inner := _nested_shape(key, ok_summaries)) is not None:
            # rectangular nested lists of one shape at every point (e.g. [T][F][w])
            flags = np.asarray(sample).dtype == bool
            arr = (
                np.zeros((*shape, *inner), dtype=bool)
                if flags
                else np.full((*shape, *inner), np.nan)
            )
        else:
            continue  # ragged or non-numeric nested values stay in the per-point JSON files
        for idx in itertools.product(*(range(n) for n in shape)):
            rec = records[keys[np.ravel_multi_index(idx, shape)]]
            if rec["status"] != "ok" or key not in rec["summary"]:
                continue
            v = rec["summary"][key]
            if arr.ndim > len(shape):
                arr[idx][: len(v)] = v
            else:
                arr[idx] = v
        var = key if key not in taken else f"{key}_summary"
        attrs = {"units": unit_from_key(key), "long_name": key}
        if arr.ndim == len(shape) + 1:
            data_vars[var] = ([*dims, f"{key}_index"], arr, attrs)
        elif arr.ndim > len(shape):
            inner_dims = [f"{key}_index{k}" for k in range(arr.ndim - len(shape))]
            data_vars[var] = ([*dims, *inner_dims], arr, attrs)
        else:
            if arr.dtype == object:
                arr = arr.astype(str)
            data_vars[var] = (dims, arr, attrs)
    for idx in itertools.product(*(range(n) for n in shape)):
        rec = records[keys[np.ravel_multi_index(idx, shape)]]
        failed[idx] = rec["status"] != "ok"
        errors[idx] = "" if rec["status"] == "ok" else str(rec.get("error", "unknown error"))
    data_vars["failed"] = (dims, failed, {"units": "1", "long_name": "point failed"})
    data_vars["error"] = (
        dims,
        errors.astype(str),
        {"units": "1", "long_name": "error of a failed point (empty: none)"},
    )
    return xr.Dataset(data_vars, coords=coords)


def _summarize(spec, ds: xr.Dataset, name: str, n_failed: int) -> dict[str, Any]:
    """The model's sweep summary, or ``summary_incomplete`` saying why it is not given
    (it failed, or gave NaN because points failed), instead of losing the gathered result."""
    if spec.summarize_sweep is None:
        return {}
    try:
        raw = spec.summarize_sweep(ds)
    except Exception as exc:
        note = f"the model's sweep summary failed ({type(exc).__name__}: {exc})"
        if n_failed:
            note += f"; {n_failed} point(s) failed"
        warnings.warn(f"sweep {name!r}: {note}", SweepWarning, stacklevel=2)
        return {"summary_incomplete": note}
    out: dict[str, Any] = {}
    dropped = []
    for key, value in raw.items():
        try:
            out.update(check_summary({key: value}, f"sweep {name!r} summary"))
        except PhotoscError:
            dropped.append(key)
    if dropped and n_failed:
        # a NaN from a failed point may have misled the other values too (an argmax
        # that picked it): none of the model's sweep summary is given
        return {
            "summary_incomplete": f"the model's sweep summary ({', '.join(raw)}) is not "
            f"defined because {n_failed} point(s) failed (NaN in {', '.join(dropped)})"
        }
    if dropped:
        note = f"{', '.join(dropped)} not defined (not a finite number)"
        out["summary_incomplete"] = note
        warnings.warn(f"sweep {name!r}: summary {note}", SweepWarning, stacklevel=2)
    return out


class SweepWarning(UserWarning):
    """A sweep's gathered summary is incomplete."""


def _start_folder(path: Path, name: str) -> bool:
    """Make ``path`` an unfinished photosc sweep folder with a ``points`` cache.

    Returns whether the folder was created here (so that a sweep that stops
    before any point is stored removes it again).
    """
    created = not path.exists()
    try:
        (path / "points").mkdir(parents=True, exist_ok=True)
        write_marker(path, "sweep", name, complete=False)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder {path}: {exc.strerror or exc}"
        ) from None
    return created


def _remove_if_unused(path: Path, created: bool) -> None:
    """Remove what :func:`_start_folder` made when no point was stored in it."""
    points = path / "points"
    try:
        if points.is_dir() and not any(points.iterdir()):
            points.rmdir()
        entries = [p.name for p in path.iterdir()] if path.is_dir() else []
        if entries == [MARKER] and not (read_marker(path) or {}).get("complete", True):
            (path / MARKER).unlink()
            if created:
                path.rmdir()
        elif created and not entries and path.is_dir():
            path.rmdir()
        elif entries:
            marker = read_marker(path)
            if marker is not None and not marker.get("complete", True):
                write_marker(path, "sweep", str(marker.get("scenario", "")), complete=False)
    except OSError:  # best effort: never more than what this sweep created
        pass


def run_sweep(
    scenario: Scenario,
    *,
    out: str | Path | None = None,
    write: bool = True,
    scheduler: str | None = None,
    workers: int | None = None,
    overwrite: bool = False,
) -> RunResult:
    """Map ``scenario`` over its ``sweep`` grid and gather the results.

    Parameters
    ----------
    scenario : Scenario
        A scenario with a non-empty ``sweep`` table.
    out : path, optional
        Output folder; completed points are cached in ``out/points`` (also
        when ``write`` is False, if ``out`` is given). It must be new, empty, an
        unfinished sweep (resumed) or, with ``overwrite``, an earlier photosc result;
        a folder holding anything else is refused (:class:`photosc.runner.OutputError`).
    scheduler : str, optional
        Address of a running Dask distributed scheduler (``tcp://host:port``);
        default: local processes.
    workers : int, optional
        Local worker processes (default: number of cores; 1 runs in-process).
    overwrite : bool
        Replace an earlier photosc result in ``out``.

    Raises
    ------
    ConfigError
        A point's configuration is invalid (found for every point before any runs),
        or a point fails with a configuration error (the remaining points are not run).
    PhotoscError
        Every point failed (the errors are named).
    """
    if not scenario.sweep:
        raise ConfigError(f"scenario {scenario.name!r} has no [sweep] grid to map over")
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ConfigError(
            f"workers = {workers!r}: must be a whole number >= 1 (or None: all cores)"
        )
    spec, params, numerics = validate(scenario)
    grid = scenario.sweep
    names = list(grid)
    points = [dict(zip(names, combo)) for combo in itertools.product(*(grid[k] for k in names))]
    keys = []
    base = replace(scenario, sweep={})
    for point in points:  # every point is validated before any runs
        try:
            _, p_params, p_numerics = validate(with_overrides(base, point))
        except ConfigError as exc:
            raise ConfigError(f"sweep {scenario.name!r}, point {point}: {exc}") from None
        keys.append(point_key(spec, p_params, p_numerics))
    path = lock = None
    if out is not None or write:
        path, lock = claim_out(out, scenario.name, overwrite=overwrite, resume_sweep=True)
    try:
        created = _start_folder(path, scenario.name) if path is not None else False
        try:
            return _run_and_gather(
                scenario,
                spec,
                params,
                numerics,
                points,
                keys,
                path,
                write,
                scheduler,
                workers,
                overwrite,
            )
        except BaseException:
            if path is not None:
                _remove_if_unused(path, created)
            raise
    finally:
        if lock is not None:
            lock.release()


def _run_and_gather(
    scenario: Scenario,
    spec,
    params,
    numerics,
    points: list[dict[str, Any]],
    keys: list[str],
    path: Path | None,
    write: bool,
    scheduler: str | None,
    workers: int | None,
    overwrite: bool,
) -> RunResult:
    grid = scenario.sweep
    names = list(grid)
    cache = path / "points" if path is not None else None
    records: dict[str, dict[str, Any]] = {}
    todo = []
    with warnings.catch_warnings(record=True) as cache_warnings:
        warnings.simplefilter("always", CacheWarning)
        for key, point in zip(keys, points):
            rec = read_point(cache / f"{key}.json", key) if cache is not None else None
            if rec is not None and rec.get("status") == "ok":
                records[key] = rec
                continue
            todo.append((key, point))
    for w in cache_warnings:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    sweep_warnings = [f"{w.category.__name__}: {w.message}" for w in cache_warnings]
    n_cached = len(records)
    t0 = time.perf_counter()
    pending = {json.dumps(p, sort_keys=True, default=str): k for k, p in todo}
    results = progress(
        _iter_results(scenario, [p for _, p in todo], scheduler, workers, spec),
        desc=f"sweep {scenario.name}",
        total=len(todo),
    )
    with contextlib.closing(results):
        for rec in results:
            key = pending[json.dumps(rec["point"], sort_keys=True, default=str)]
            records[key] = rec
            if cache is not None:
                write_point(cache / f"{key}.json", key, rec)
            if rec.get("config_error"):  # shared by the other points: stop here
                left = len(todo) - (len(records) - n_cached)
                raise ConfigError(
                    f"sweep {scenario.name!r}: point {rec['point']} has a configuration error, "
                    f"so the remaining {left} point(s) were not run: "
                    f"{rec['error'].split(': ', 1)[-1]}"
                )
    wall = time.perf_counter() - t0
    failures = [
        {"point": r["point"], "error": r["error"]} for r in records.values() if r["status"] != "ok"
    ]
    if len(failures) == len(points):
        distinct = list(dict.fromkeys(f["error"] for f in failures))
        shown = "; ".join(distinct[:3]) + (
            f" (and {len(distinct) - 3} more)" if len(distinct) > 3 else ""
        )
        raise PhotoscError(f"sweep {scenario.name!r}: all {len(points)} points failed: {shown}")
    ds = gather(scenario, spec, grid, records, keys)
    summary: dict[str, Any] = {
        "points": len(points),
        "computed": len(todo),
        "cached": n_cached,
        "failed": len(failures),
    }
    summary.update(_summarize(spec, ds, scenario.name, len(failures)))
    summary = check_summary(summary, f"sweep {scenario.name!r} summary")
    summary["failed_points"] = failures
    for key, point in zip(keys, points):
        for text in records[key].get("warnings", []) or []:
            sweep_warnings.append(f"point {point}: {text}")
    sweep_warnings = list(dict.fromkeys(sweep_warnings))
    if sweep_warnings:
        summary["warnings"] = sweep_warnings
    ds.attrs.update(provenance(scenario, spec, params, numerics, wall))
    ds.attrs["swept"] = json.dumps(names)
    ds.attrs["photosc_warnings"] = json.dumps(sweep_warnings)
    result = RunResult(scenario.name, ds, summary)
    if write and path is not None:
        figures = make_figures(spec.plot_sweep or plot_sweep_default, ds, summary)
        try:
            result.figures = write_folder(
                path,
                ds,
                summary,
                figures,
                keep=("points",),
                overwrite=overwrite,
                kind="sweep",
                scenario=scenario.name,
            )
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
    overwrite: bool = False,
) -> RunResult:
    """Python twin of ``photosc sweep``.

    Parameters
    ----------
    name_or_path : str or Path
        Built-in scenario name or TOML file.
    params : dict
        Swept parameter -> ``"start:stop:num"`` or a list of values; added to
        (and replacing entries of) the scenario's own ``[sweep]`` table.
    out, write, scheduler, workers, overwrite
        As for :func:`run_sweep`.
    overrides : dict, optional
        Fixed parameter values (as ``photosc run --set``).
    """
    scenario = with_overrides(load_any(name_or_path), overrides)
    grid = dict(scenario.sweep)
    for k, v in (params or {}).items():
        grid[k] = parse_sweep_values(k, v)
    scenario = replace(scenario, sweep=grid)
    return run_sweep(
        scenario,
        out=out,
        write=write,
        scheduler=scheduler,
        workers=workers,
        overwrite=overwrite,
    )
