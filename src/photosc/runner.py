"""Run a scenario: validate, compute, write one output folder.

A run writes into ``DIR`` (default ``runs/NAME-TIMESTAMP``):

* ``result.nc`` - the model's xarray Dataset (h5netcdf), every variable and
  coordinate with a ``units`` attribute; global attributes hold the resolved
  configuration (``photosc_config``, TOML text with units that
  ``photosc run DIR/result.nc`` reruns), the photosc version, the model,
  scenario, paper and figure, the wall time and the warnings raised during the
  run (``photosc_warnings``, a JSON list of strings);
* ``summary.json`` - the scenario's headline numbers (keys carry their unit;
  ``warnings`` lists the run's warnings when there were any);
* ``config.toml`` - the same resolved configuration as a file (kept where the
  ``result.nc`` is not, e.g. beside a committed validation summary);
* ``*.png`` - the model's figures;
* ``.photosc`` - a small marker (JSON: version, kind, the files photosc wrote),
  written last.

Nothing of the user's is ever replaced or deleted. ``DIR`` may be new, an empty
folder, or a folder that photosc itself wrote (it carries the marker and holds
nothing else); replacing an earlier complete result needs ``overwrite=True``
(``--overwrite``). A folder holding anything else, or a file at ``DIR``, is
refused with an :class:`OutputError` naming it. A lock file next to ``DIR``
(``.DIR.photosc-lock``) makes a second run into the same ``DIR`` at the same
time fail clearly. Everything is written into a hidden sibling folder first and
renamed into place at the end, so a failed run leaves no folder that looks
complete.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
import tomllib
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w
import xarray as xr

import photosc
from photosc.config import (
    Scenario,
    load_scenario,
    merge_overrides,
    plain_toml,
    scenario_from_dict,
    validate,
    with_overrides,
)
from photosc.errors import ConfigError, PhotoscError
from photosc.foundation.progress import elapsed
from photosc.foundation.units import parse_quantity
from photosc.models._base import units_of

try:  # POSIX advisory locks; elsewhere an exclusive lock file stands in
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Name of the marker file that photosc writes (last) into every folder it owns.
MARKER = ".photosc"
#: Suffix of the lock file next to an output folder while a run writes it.
LOCK_SUFFIX = ".photosc-lock"


class OutputError(PhotoscError):
    """An output folder cannot be used: it holds the user's files, is a file,
    is being written by another run, or cannot be created."""


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


# --------------------------------------------------------------------------------------
# Output folders: never replace or delete anything photosc did not write
# --------------------------------------------------------------------------------------


def default_out(name: str) -> Path:
    """``runs/NAME-TIMESTAMP`` (a free name is chosen by :func:`claim_out`)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path("runs") / f"{name}-{stamp}"


def out_path(out: str | os.PathLike[str]) -> Path:
    """The output folder as an absolute path; an empty name is an :class:`OutputError`."""
    text = os.fspath(out)
    if not str(text).strip():
        raise OutputError("output folder: the path is empty; give a folder name (e.g. --out run1)")
    return Path(os.path.abspath(Path(text).expanduser()))


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The ``.photosc`` marker of ``folder`` (None: no valid marker, not a photosc folder)."""
    try:
        data = json.loads((Path(folder) / MARKER).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None
    return data


def write_marker(folder: Path, kind: str, scenario: str, complete: bool) -> None:
    """Write the marker listing the entries now in ``folder`` (call it last)."""
    files = sorted(p.name for p in Path(folder).iterdir() if p.name != MARKER)
    data = {
        "photosc_version": photosc.__version__,
        "kind": kind,
        "scenario": scenario,
        "complete": complete,
        "files": files,
    }
    tmp = Path(folder) / f"{MARKER}.tmp"
    tmp.write_text(json.dumps(data, indent=1) + "\n")
    tmp.replace(Path(folder) / MARKER)


def _listing(entries: list[Path], limit: int = 5) -> str:
    names = sorted(p.name + ("/" if p.is_dir() else "") for p in entries)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def check_out(out: Path, *, overwrite: bool = False, resume_sweep: bool = False) -> str:
    """Check that ``out`` may receive a result; return its state.

    Parameters
    ----------
    out : Path
        The output folder (absolute, see :func:`out_path`).
    overwrite : bool
        Allow replacing an earlier complete photosc result.
    resume_sweep : bool
        A sweep may continue an unfinished photosc sweep folder (its point cache).

    Returns
    -------
    str
        ``"new"`` (absent), ``"empty"`` (an empty folder), ``"partial"`` (an
        unfinished photosc sweep) or ``"result"`` (an earlier photosc result).

    Raises
    ------
    OutputError
        ``out`` is a file, holds anything photosc did not write, holds an earlier
        result and ``overwrite`` is False, or cannot be read.
    """
    if out.is_symlink() and not out.exists():
        raise OutputError(f"output folder {out} is a broken symbolic link; choose another path")
    if not out.exists():
        return "new"
    if not out.is_dir():
        raise OutputError(
            f"output folder {out} is an existing file; photosc writes a result folder and "
            "never replaces a file: choose another --out"
        )
    try:
        entries = list(out.iterdir())
    except OSError as exc:
        raise OutputError(f"cannot read the output folder {out}: {exc.strerror or exc}") from None
    if not entries:
        return "empty"
    marker = read_marker(out)
    if marker is None:
        raise OutputError(
            f"output folder {out} already exists and holds files that photosc did not write "
            f"({_listing(entries)}); nothing was changed: choose a new or empty folder"
        )
    known = {MARKER, *map(str, marker["files"])}
    foreign = [p for p in entries if p.name not in known]
    if foreign:
        raise OutputError(
            f"output folder {out} is a photosc result but also holds files that photosc did "
            f"not write ({_listing(foreign)}); nothing was changed: move them or choose "
            "another folder"
        )
    if not marker.get("complete", True):
        if resume_sweep or overwrite:
            return "partial"
        raise OutputError(
            f"output folder {out} holds an unfinished photosc sweep; pass --overwrite "
            "(overwrite=True) to replace it, or rerun that sweep to resume it"
        )
    if not overwrite:
        raise OutputError(
            f"output folder {out} holds an earlier photosc result "
            f"(scenario {marker.get('scenario', '?')!r}); pass --overwrite (overwrite=True) "
            "to replace it, or choose another folder"
        )
    return "result"


class OutputLock:
    """Exclusive lock on an output folder: ``.NAME.photosc-lock`` next to it.

    A second run into the same folder fails at once with an :class:`OutputError`
    (POSIX ``flock``: the lock dies with its process, so a killed run leaves no
    stale lock behind).
    """

    def __init__(self, out: Path):
        self.out = out
        self.path = out.parent / f".{out.name}{LOCK_SUFFIX}"
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        """Take the lock; False when another process holds it."""
        make_parent(self.out)
        while True:
            try:
                if fcntl is None:  # pragma: no cover - Windows
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
                else:
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except FileExistsError:  # pragma: no cover - Windows
                return False
            except OSError as exc:
                raise OutputError(
                    f"cannot create a lock file for the output folder {self.out}: "
                    f"{exc.strerror or exc}"
                ) from None
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(fd)
                    return False
                # the previous holder may have removed the file between open and flock
                try:
                    same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
            os.write(fd, f"{os.getpid()}\n".encode())
            self._fd = fd
            return True

    def acquire(self) -> OutputLock:
        """Take the lock or raise an :class:`OutputError` naming the folder."""
        if not self.try_acquire():
            raise OutputError(
                f"output folder {self.out} is being written by another photosc process "
                f"(lock {self.path}); wait for it to finish or choose another --out"
            )
        return self

    def release(self) -> None:
        """Remove the lock file and release the lock."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> OutputLock:
        return self if self._fd is not None else self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def make_parent(out: Path) -> None:
    """Create the parent folders of ``out``; an OS error becomes an :class:`OutputError`."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder {out}: {exc.strerror or exc} "
            f"({exc.filename or out.parent})"
        ) from None
    if not out.parent.is_dir():
        raise OutputError(f"cannot create the output folder {out}: {out.parent} is not a folder")


def claim_out(
    out: str | os.PathLike[str] | None,
    name: str,
    *,
    overwrite: bool = False,
    resume_sweep: bool = False,
) -> tuple[Path, OutputLock]:
    """Choose, check and lock the output folder of a run.

    ``out`` None: a free ``runs/NAME-TIMESTAMP[-k]`` (concurrent runs land in
    distinct folders). Otherwise ``out`` is checked (:func:`check_out`) and locked;
    the caller releases the returned lock when the folder is written.
    """
    if out is not None:
        path = out_path(out)
        lock = OutputLock(path).acquire()
        try:
            check_out(path, overwrite=overwrite, resume_sweep=resume_sweep)
        except BaseException:
            lock.release()
            raise
        return path, lock
    base = out_path(default_out(name))
    for k in range(1, 10_000):
        path = base if k == 1 else base.with_name(f"{base.name}-{k}")
        if path.exists() or path.is_symlink():
            continue
        lock = OutputLock(path)
        if not lock.try_acquire():
            continue
        if path.exists():  # appeared before we locked it
            lock.release()
            continue
        return path, lock
    raise OutputError(f"no free output folder next to {base}")  # pragma: no cover


def write_folder(
    out: Path,
    dataset: xr.Dataset | None,
    summary: dict[str, Any],
    figures: dict[str, Any],
    extra_files: dict[str, str] | None = None,
    keep: tuple[str, ...] = (),
    *,
    overwrite: bool = False,
    kind: str = "run",
    scenario: str = "",
) -> list[Path]:
    """Write result.nc, summary.json, PNGs and the marker into ``out`` atomically.

    The folder is assembled next to ``out`` and renamed into place. ``out`` is
    checked again (:func:`check_out`) right before: only an absent or empty
    folder, an unfinished photosc sweep, or (with ``overwrite``) an earlier
    photosc result is replaced; entries named in ``keep`` (e.g. a sweep's
    ``points`` cache) move into the new folder. The caller holds the
    :class:`OutputLock` of ``out``.
    """
    out = out_path(out)
    make_parent(out)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"cannot write into {out.parent}: {exc.strerror or exc}") from None
    try:
        if dataset is not None:
            netcdf_ready(dataset).to_netcdf(tmp / "result.nc", engine="h5netcdf")
            config = dataset.attrs.get("photosc_config")
            if isinstance(config, str):
                (tmp / "config.toml").write_text(config)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        for fname, text in (extra_files or {}).items():
            (tmp / fname).write_text(text)
        pngs = []
        for stem, fig in figures.items():
            p = tmp / f"{stem}.png"
            fig.savefig(p, dpi=120, bbox_inches="tight")
            pngs.append(out / p.name)
        state = check_out(out, overwrite=overwrite, resume_sweep=(kind == "sweep"))
        if state != "new":
            for name in keep:
                if (out / name).exists():
                    (out / name).rename(tmp / name)
        write_marker(tmp, kind, scenario, complete=True)
        if state == "new":
            tmp.rename(out)
        elif state == "empty":
            out.rmdir()  # only ever an empty folder
            tmp.rename(out)
        else:  # a photosc folder holding only what photosc wrote (checked above)
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write the output folder {out}: {exc.strerror or exc}") from None
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


# --------------------------------------------------------------------------------------
# Provenance: a configuration that reruns as it stands, and the run's warnings
# --------------------------------------------------------------------------------------


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


def compute(scenario: Scenario) -> tuple[xr.Dataset, dict[str, Any], Any]:
    """Validate and run a (non-sweep) scenario in memory: (dataset, summary, spec).

    The warnings of the run are in ``dataset.attrs["photosc_warnings"]`` (JSON list).
    """
    spec, params, numerics = validate(scenario)
    t0 = time.perf_counter()
    with elapsed(f"running {scenario.name}"):
        output, caught = record_warnings(spec.run, params, numerics)
    wall = time.perf_counter() - t0
    summary = check_summary(output.summary, f"scenario {scenario.name!r} summary")
    ds = output.dataset
    ds.attrs.update(provenance(scenario, spec, params, numerics, wall))
    ds.attrs["photosc_warnings"] = json.dumps(caught)
    return ds, summary, spec


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


def run(
    name_or_path: str | Path | Scenario,
    *,
    out: str | Path | None = None,
    write: bool = True,
    overwrite: bool = False,
    overrides: dict[str, Any] | None = None,
    **kw_overrides: Any,
) -> RunResult:
    """Run a built-in scenario or a scenario file; the Python twin of ``photosc run``.

    Parameters
    ----------
    name_or_path : str or Path
        Built-in scenario name (``photosc list``), a TOML file, a ``result.nc``
        whose stored configuration is rerun, or a loaded
        :class:`~photosc.config.Scenario`.
    out : str or Path, optional
        Output folder (default a new ``runs/NAME-TIMESTAMP``). It must be new, empty,
        or an earlier photosc result (replaced only with ``overwrite``); a folder
        holding anything else is refused (:class:`OutputError`), nothing is deleted.
    write : bool
        Write the folder (True) or only compute in memory.
    overwrite : bool
        Replace an earlier photosc result in ``out`` (never a folder of the user's).
    overrides, **kw_overrides
        Parameter or numerics values, e.g. ``fluence="5 mJ/cm^2"`` or
        ``{"numerics.n_energy": 400}``.

    Returns
    -------
    RunResult
        ``dataset``, ``summary``, ``path`` (the folder, or None) and ``figures``.
    """
    scenario = load_any(name_or_path)
    scenario = with_overrides(scenario, merge_overrides(overrides, kw_overrides))
    if scenario.is_sweep and scenario.measured is not None:
        raise ConfigError(
            f"scenario {scenario.name!r}: a [measured] table compares one run with data; "
            "it cannot be combined with a [sweep] (remove one of them)"
        )
    if scenario.measured is not None:  # a bad data file fails before the model runs
        from photosc.inputs.measured import read_measured

        read_measured(scenario.measured)
    if scenario.is_sweep:
        from photosc.sweeps import run_sweep

        return run_sweep(scenario, out=out, write=write, overwrite=overwrite)
    lock = None
    path = None
    if write:  # refuse a bad folder before computing anything
        path, lock = claim_out(out, scenario.name, overwrite=overwrite)
    try:
        ds, summary, spec = compute(scenario)
        caught = json.loads(ds.attrs["photosc_warnings"])
        if caught:
            summary["warnings"] = caught
        result = RunResult(scenario.name, ds, summary)
        measured_figure = compare_measured(scenario, ds, summary, figure=write)
        if write and path is not None:
            figures = make_figures(spec.plot, ds, summary)
            if measured_figure is not None:
                figures["measured"] = measured_figure
            try:
                result.figures = write_folder(
                    path, ds, summary, figures, overwrite=overwrite, scenario=scenario.name
                )
                result.path = path
            finally:
                close_figures(figures)
    finally:
        if lock is not None:
            lock.release()
    return result


def compare_measured(
    scenario: Scenario, ds: xr.Dataset, summary: dict[str, Any], *, figure: bool = True
) -> Any:
    """Compare the run with the scenario's ``[measured]`` data, if any: the residual into
    ``summary`` (keys ``measured_*``), and (``figure``) the figure of data, model and
    residual returned (None without a ``[measured]`` table)."""
    if scenario.measured is None:
        return None
    from photosc.fitting.compare import compare, model_trace, summary_items
    from photosc.fitting.figures import comparison_figure
    from photosc.inputs.measured import read_measured

    where = f"scenario {scenario.name!r}"
    trace = model_trace(ds, scenario.measured, where)
    data = read_measured(scenario.measured, spectrum=trace.energy is not None)
    comp = compare(trace, data, scenario.measured.time_zero, where)
    summary.update(check_summary(summary_items(comp, scenario.measured), where))
    if not figure:
        return None
    import matplotlib

    matplotlib.use("Agg")
    return comparison_figure(trace, comp, f"{scenario.name}: {scenario.measured.file.name}")
