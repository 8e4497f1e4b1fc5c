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

Layers: this module holds the dispatch, :func:`run`; a scenario with a ``[sweep]``
table goes to :func:`photosc.sweeps.run_sweep`. What both use (folders, markers and
locks, figures, provenance, :func:`compute`) lives below both in
:mod:`photosc.results` and is re-exported here under its old names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import xarray as xr

from photosc.config import Scenario, merge_overrides, with_overrides
from photosc.errors import ConfigError

# What the runner and the sweeps share lives one layer down, in photosc.results; the
# names stay importable from here (photosc.runner.write_folder, ...).
from photosc.results import (
    LOCK_SUFFIX,
    MARKER,
    OutputError,
    OutputLock,
    RunResult,
    check_out,
    check_summary,
    claim_out,
    close_figures,
    compute,
    config_toml,
    default_out,
    load_any,
    load_result_scenario,
    make_figures,
    make_parent,
    netcdf_ready,
    out_path,
    provenance,
    read_marker,
    record_warnings,
    write_folder,
    write_marker,
)
from photosc.sweeps import run_sweep

__all__ = [
    "LOCK_SUFFIX",
    "MARKER",
    "OutputError",
    "OutputLock",
    "RunResult",
    "check_out",
    "check_summary",
    "claim_out",
    "close_figures",
    "compute",
    "config_toml",
    "default_out",
    "load_any",
    "load_result_scenario",
    "make_figures",
    "make_parent",
    "netcdf_ready",
    "out_path",
    "provenance",
    "read_marker",
    "record_warnings",
    "run",
    "write_folder",
    "write_marker",
]


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
