"""Summaries of sweeps over the paper pump-probe models (issue 12 sections 3-4): per-point
time scales and how they change with the swept numerics or spectrum scalings."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from photosc.models.pump_probe._common import (
    _max_change,
    _sweep_points,
)


def summarize_generic_sweep(ds: xr.Dataset) -> dict[str, Any]:
    """Per-point recovery read-outs of a ``pump-probe`` sweep and how the swept numerics or
    spectrum scalings move them (issue 12 section 4).

    Parameters
    ----------
    ds : xarray.Dataset
        Gathered sweep of ``pump-probe`` (:func:`photosc.sweeps.gather`: the nested
        ``[T][F][w]`` read-outs of every point as arrays over the swept dims and theirs).

    Returns
    -------
    dict
        ``points`` (labels), ``temperatures_K``; per point (``*_by_point``, nested as in
        one run): ``recovery_time_no_tail_ps``, ``recovery_fit_time_ps``,
        ``recovery_speeds_up_with_temperature``, ``fastest_recovery_temperature_K``, the
        gap time scales and fluence trends (:func:`.readouts.gap_timescales`,
        :func:`.readouts.fluence_trends`), and the scalars ``kaplan_tau0_at_2delta_ps``,
        ``lambda``, ``energy_budget_error``;
        ``recovery_speeds_up_any_point`` (the trend at any point, fluence and probe
        energy), ``energy_budget_error`` (largest) and ``gap_tol_max_relative_change``
        (largest |tau(gap_tol) - tau(first gap_tol)| / tau(first gap_tol) of the no-tail
        1/e times over the other points and traces; 0 if gap_tol is not swept);
        ``late_over_peak_grid_change`` (largest absolute change against the first
        ``grid_step``), ``signal_10pct_time_grid_change``,
        ``gap_recovery_90_time_grid_change`` and ``slow_component_grid_change`` (largest
        relative change; 0 if grid_step is not swept; the Eliashberg broadening
        eta = step / 8 changes with it).
    """
    flag = "energy_budget_error"
    dims, idx, labels = _sweep_points(ds, flag)

    def at(name: str, ix: tuple[int, ...]) -> Any:
        return ds[name].isel(dict(zip(dims, ix))).values

    out: dict[str, Any] = {"points": labels}
    for key in (*_BY_POINT, *_GRID_CHANGE, *_TRENDS):
        if key in ds:
            out[f"{key}_by_point"] = [at(key, ix).tolist() for ix in idx]
    if "temperatures_K" in ds:
        out["temperatures_K"] = [float(t) for t in at("temperatures_K", idx[0])]
    trend = out.get("recovery_speeds_up_with_temperature_by_point", [])
    out["recovery_speeds_up_any_point"] = bool(np.any(np.asarray(trend, dtype=bool)))
    out["energy_budget_error"] = float(np.nanmax(ds[flag].values))
    times = [np.ravel(v).tolist() for v in out.get("recovery_time_no_tail_ps_by_point", [])]
    out["gap_tol_max_relative_change"] = _max_change(times, dims, idx, "gap_tol")
    for key, relative in _GRID_CHANGE.items():
        if f"{key}_by_point" in out:
            flat = [np.ravel(v).tolist() for v in out[f"{key}_by_point"]]
            name = key.removesuffix("_ps") + "_grid_change"
            out[name] = _max_change(flat, dims, idx, "grid_step", relative=relative)
    return out


#: Per-point read-outs of a ``pump-probe`` sweep kept in its summary (nested as in a run).
_BY_POINT = (
    "recovery_time_no_tail_ps", "recovery_fit_time_ps", "fastest_recovery_temperature_K",
    "kaplan_tau0_at_2delta_ps", "lambda", "energy_budget_error", "gap_closed_time_ps",
    "gap_reopened",
    "absorbed_over_condensation_energy", "min_delta0_meV", "final_delta0_meV", "peak_signal",
    "delta0_equilibrium_meV", "pairing_eigenvalue_max",
)  # fmt: skip

#: Trend flags kept per point.
_TRENDS = (
    "recovery_speeds_up_with_temperature", "bottleneck_grows_with_fluence",
    "gap_recovery_grows_with_fluence", "signal_10pct_time_grows_with_fluence",
    "slow_component_grows_with_fluence", "late_signal_grows_with_fluence",
)  # fmt: skip

#: Read-outs whose change against the first grid_step is reported (``<name>_grid_change``),
#: relative (True) or absolute (False: late_over_peak is already a fraction of the peak,
#: and the late signal itself is often ~0, where a relative change means nothing).
_GRID_CHANGE = {
    "late_over_peak": False,
    "signal_10pct_time_ps": True,
    "gap_recovery_90_time_ps": True,
    "slow_component_ps": True,
}
