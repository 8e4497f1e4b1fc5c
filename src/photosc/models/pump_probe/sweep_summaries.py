"""Summaries of sweeps over the paper pump-probe models (issue 12 sections 3-4): per-point
time scales and how they change with the swept numerics or spectrum scalings."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from photosc.models.pump_probe._common import (
    _by_point,
    _max_change,
    _sweep_points,
)


def summarize_lah10_sweep(ds: xr.Dataset) -> dict[str, Any]:
    """Per-point time scales of a ``pump-probe-lah10`` sweep and their grid dependence.

    Parameters
    ----------
    ds : xarray.Dataset
        Gathered sweep (e.g. over ``grid_step``), with the per-fluence lists of
        :func:`run_lah10`'s summary.

    Returns
    -------
    dict
        ``points`` (labels), per point (``*_by_point``): ``late_over_peak``,
        ``gap_closed_time_ps``, ``gap_recovery_90_time_ps``, ``signal_10pct_time_ps``,
        ``absorbed_over_condensation_energy``, ``min_delta0_meV``, ``final_delta0_meV``
        (lists over the fluences), ``slow_component_ps``, ``pairing_eigenvalue_max`` (and
        its time) and ``gap_reopened`` (1.0 / 0.0) where gathered, ``delta0_equilibrium_meV``,
        and the trend flags;
        ``energy_budget_error`` (largest); ``late_over_peak_grid_change``: largest
        absolute change of dR/R(t_end) / peak against the first ``grid_step`` (a fraction
        of the peak: the late signal itself is often ~0, where a relative change means
        nothing); ``signal_10pct_time_grid_change``, ``gap_recovery_90_time_grid_change``
        and ``slow_component_grid_change``: largest relative change against the first
        ``grid_step`` (0 if it is not swept; the Eliashberg broadening eta = step / 8
        changes with it).
    """
    out, dims, idx = _by_point(
        ds,
        "bottleneck_grows_with_fluence",
        ("late_over_peak", "gap_closed_time_ps", "gap_recovery_90_time_ps",
         "signal_10pct_time_ps", "absorbed_over_condensation_energy", "min_delta0_meV",
         "final_delta0_meV", "peak_dR_over_R", "slow_component_ps", "pairing_eigenvalue_max",
         "pairing_eigenvalue_max_time_ps", "gap_reopened"),
        ("gap_recovery_grows_with_fluence", "signal_10pct_time_grows_with_fluence",
         "late_signal_grows_with_fluence", "slow_component_grows_with_fluence",
         "energy_budget_error", "delta0_equilibrium_meV"),
    )  # fmt: skip
    if "late_over_peak_by_point" in out:  # already relative to the peak: compare absolutely
        out["late_over_peak_grid_change"] = _max_change(
            out["late_over_peak_by_point"], dims, idx, "grid_step", relative=False
        )
    for key, name in (
        ("signal_10pct_time_ps", "signal_10pct_time_grid_change"),
        ("gap_recovery_90_time_ps", "gap_recovery_90_time_grid_change"),
        ("slow_component_ps", "slow_component_grid_change"),
    ):
        if f"{key}_by_point" in out:
            out[name] = _max_change(out[f"{key}_by_point"], dims, idx, "grid_step")
    return out


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
        ``recovery_speeds_up_with_temperature``, ``fastest_recovery_temperature_K``, and
        the scalars ``kaplan_tau0_at_2delta_ps``, ``lambda``, ``energy_budget_error``;
        ``recovery_speeds_up_any_point`` (the trend at any point, fluence and probe
        energy), ``energy_budget_error`` (largest) and ``gap_tol_max_relative_change``
        (largest |tau(gap_tol) - tau(first gap_tol)| / tau(first gap_tol) of the no-tail
        1/e times over the other points and traces; 0 if gap_tol is not swept).
    """
    flag = "energy_budget_error"
    dims, idx, labels = _sweep_points(ds, flag)

    def at(name: str, ix: tuple[int, ...]) -> Any:
        return ds[name].isel(dict(zip(dims, ix))).values

    out: dict[str, Any] = {"points": labels}
    for key in ("recovery_time_no_tail_ps", "recovery_fit_time_ps",
                "recovery_speeds_up_with_temperature", "fastest_recovery_temperature_K",
                "kaplan_tau0_at_2delta_ps", "lambda", "energy_budget_error"):  # fmt: skip
        if key in ds:
            out[f"{key}_by_point"] = [at(key, ix).tolist() for ix in idx]
    if "temperatures_K" in ds:
        out["temperatures_K"] = [float(t) for t in at("temperatures_K", idx[0])]
    trend = out.get("recovery_speeds_up_with_temperature_by_point", [])
    out["recovery_speeds_up_any_point"] = bool(np.any(np.asarray(trend, dtype=bool)))
    out["energy_budget_error"] = float(np.nanmax(ds[flag].values))
    times = [np.ravel(v).tolist() for v in out.get("recovery_time_no_tail_ps_by_point", [])]
    out["gap_tol_max_relative_change"] = _max_change(times, dims, idx, "gap_tol")
    return out
