"""Shared pieces of the pump-probe model: kinetic numerics, dataset and plot helpers.

The physics lives in :mod:`photosc.pipeline` (material-free); this module holds the
kinetic numerics, the record times, the energy-budget dataset variables and summaries,
the budget figure and the per-point helpers of the sweep summaries.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import xarray as xr
from pydantic import Field

from photosc.errors import ConfigError
from photosc.foundation.units import quantity
from photosc.models._base import Numerics
from photosc.pipeline.kinetics import KineticTrace


def _budget_vars(traces: list[KineticTrace], dims: tuple[str, ...], prefix: str = "") -> dict:
    """Dataset variables of the kinetic energy budget over time (meV/nm^3) and, where
    every trace has it, lambda_max(t); ``traces`` stacked along ``dims[:-1]`` (a single
    trace for dims of length 1)."""

    def stack(name: str) -> np.ndarray:
        a = [getattr(tr, name) for tr in traces]
        return a[0] if len(dims) == 1 else np.array(a)

    out: dict[str, tuple] = {}
    if all(tr.absorbed is not None for tr in traces):
        for name, long_name in (
            ("absorbed", "pump energy absorbed since the start of the kinetics"),
            ("exchanged", "energy exchanged with the outside (phonon escape; < 0: out)"),
            ("gap_work", "energy taken up at the adiabatic gap updates"),
            ("stored", "change of the quasi-particle + phonon energy since the start"),
            ("budget_error", "stored - absorbed - exchanged - gap_work (integration error)"),
        ):
            out[f"{prefix}energy_{name}"] = _var(dims, stack(name), "meV/nm^3", long_name)
    if all(tr.pairing_eigenvalue is not None for tr in traces):
        out[f"{prefix}pairing_eigenvalue"] = _var(
            dims,
            stack("pairing_eigenvalue"),
            "1",
            "leading eigenvalue lambda_max of the linearised gap equation with f(E, t), n(t)",
        )
    return out


def _budget_summary(
    traces: list[KineticTrace], per: str | None = None, prefix: str = "", extra: list = ()
) -> dict[str, Any]:
    """Summary keys of the energy budget: ``{prefix}energy_budget_error`` (largest over
    ``traces`` and the further traces ``extra``, e.g. depth-resolved slices),
    ``{prefix}energy_budget_error_per_{per}`` (one per trace) where ``per`` is given,
    and, where every trace has lambda_max(t), ``{prefix}pairing_eigenvalue_max`` and
    ``{prefix}pairing_eigenvalue_max_time_ps`` (lists with ``per``)."""
    errs = [float(tr.energy_budget_error) for tr in traces]
    out: dict[str, Any] = {
        f"{prefix}energy_budget_error": max(errs + [float(tr.energy_budget_error) for tr in extra])
    }
    if per:
        out[f"{prefix}energy_budget_error_per_{per}"] = errs
    if all(tr.pairing_eigenvalue is not None for tr in traces):
        lam_max, t_max = [], []
        for tr in traces:
            lam = np.asarray(tr.pairing_eigenvalue, dtype=float)
            k = int(np.nanargmax(lam))
            lam_max.append(float(lam[k]))
            t_max.append(float(tr.time[k]))
        one = not per
        out[f"{prefix}pairing_eigenvalue_max"] = lam_max[0] if one else lam_max
        out[f"{prefix}pairing_eigenvalue_max_time_ps"] = t_max[0] if one else t_max
    return out


def _plot_budget(ax: Any, time: np.ndarray, ds: xr.Dataset, prefix: str = "", scale: float = 1.0):
    """One small panel: stored, absorbed and escaped energy (meV/nm^3) versus time of
    each curve along the dataset's first dimension (or of the single trace), with the
    largest budget error in the title. ``scale`` divides the time axis."""
    absorbed = np.atleast_2d(ds[f"{prefix}energy_absorbed"].values)
    stored = np.atleast_2d(ds[f"{prefix}energy_stored"].values)
    escaped = -np.atleast_2d(ds[f"{prefix}energy_exchanged"].values)
    err = np.atleast_2d(ds[f"{prefix}energy_budget_error"].values)
    x = np.asarray(time) / scale
    for i in range(absorbed.shape[0]):
        c = f"C{i}"
        ax.plot(x, absorbed[i], color=c, lw=1.0, label="absorbed" if i == 0 else None)
        ax.plot(x, stored[i], "--", color=c, lw=1.0, label="stored" if i == 0 else None)
        ax.plot(x, escaped[i], ":", color=c, lw=1.2, label="escaped" if i == 0 else None)
    rel = float(np.max(np.abs(err))) / (float(np.max(np.abs(absorbed))) or 1.0)
    ax.set_title(f"energy budget (max |error| / absorbed = {rel:.1e})", fontsize=8)
    ax.set_ylabel(r"energy (meV/nm$^3$)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6)


def _delays(tau: float, t_end: float, n: int, fine: float, pre: float = 0.0) -> np.ndarray:
    """Record times (ps): before the pulse (from -max(pre, 3 tau), so that a probe of
    FWHM ~ pre/2 sees the pre-pump state), dense through the pulse up to ``fine``,
    log-spaced after it up to ``t_end``; about ``n`` points (at least 4 after ``fine``)."""
    if not t_end > 0:
        raise ConfigError(f"t_end must be > 0 ps, got {t_end}")
    fine = min(fine, 0.5 * t_end)
    start = -max(pre, 3.0 * tau)
    before = np.linspace(start, -3.0 * tau, 4) if pre > 3.0 * tau else np.array([start])
    dense = np.linspace(-2.0 * tau, fine, max(8, (n - before.size) // 3))
    late = np.geomspace(fine, t_end, max(5, n - before.size - dense.size + 1))[1:]
    return np.concatenate([before, dense, late])


def _var(dims: tuple[str, ...], data: Any, units: str, long_name: str) -> tuple:
    return (dims, np.asarray(data, dtype=float), {"units": units, "long_name": long_name})


class _Kin(Numerics):
    """Kinetic numerics of the pump-probe model (grid, tolerances, record count, quadrature)."""

    grid_step: quantity("meV", gt=0) = Field(
        "0.1 meV", description="kinetic and Eliashberg grid step h, meV"
    )
    e_max: quantity("meV", gt=0) = Field(
        "60 meV", description="upper end of the quasi-particle grid, meV (raised to hold the pump)"
    )
    rtol: float = Field(1e-3, gt=0, lt=1, description="relative tolerance of the integrator")
    gap_tol: float = Field(1e-6, gt=0, lt=1, description="gap-update tolerance")
    n_times: int = Field(90, ge=12, le=5000, description="recorded delays")
    n_quad: int = Field(96, ge=16, le=2048, description="Gauss nodes per Mattis-Bardeen panel")

    memory_fields = ("grid_step", "e_max", "n_times")


Conductivity = Literal["mattis-bardeen", "nam", "both"]


def _sweep_points(ds: xr.Dataset, flag: str) -> tuple[list[str], list[tuple[int, ...]], list[str]]:
    """(swept dims, index tuples of every point, labels "name=value, ...") of a sweep,
    read from the dims of the per-point scalar ``flag``."""
    import itertools

    dims = [str(d) for d in ds[flag].dims]
    idx = list(itertools.product(*(range(ds.sizes[d]) for d in dims)))
    labels = [", ".join(f"{d}={ds[d].values[i]:g}" for d, i in zip(dims, ix)) for ix in idx]
    return dims, idx, labels


def _by_point(
    ds: xr.Dataset, flag: str, lists: tuple[str, ...], scalars: tuple[str, ...]
) -> tuple[dict[str, Any], list[str], list[tuple[int, ...]]]:
    """Per-point values of a sweep of a list-valued model: ``points``, ``<key>_by_point``
    for every key in ``lists`` (a list per point) and ``scalars`` and ``flag``."""
    dims, idx, labels = _sweep_points(ds, flag)

    def at(name: str, ix: tuple[int, ...]) -> Any:
        return ds[name].isel(dict(zip(dims, ix))).values

    out: dict[str, Any] = {"points": labels}
    for key in lists:
        if key in ds:  # NaN pads shorter lists in the gathered array: dropped again
            out[f"{key}_by_point"] = [
                [float(x) for x in at(key, ix) if np.isfinite(x)] for ix in idx
            ]
    for key in (flag, *scalars):
        if key in ds:
            conv = bool if ds[key].dtype == bool else float
            out[f"{key}_by_point"] = [conv(at(key, ix)) for ix in idx]
    if "energy_budget_error" in ds:
        out["energy_budget_error"] = float(np.nanmax(ds["energy_budget_error"].values))
    return out, dims, idx


def _max_change(
    values: list[list[float]],
    dims: list[str],
    idx: list[tuple[int, ...]],
    dim: str,
    relative: bool = True,
) -> float:
    """Largest |v - v(first value of ``dim``)| / |v(first)| (``relative``; else the
    absolute |v - v(first)|) over the other points and the list entries (0 where
    ``dim`` is not swept)."""
    if dim not in dims:
        return 0.0
    g = dims.index(dim)
    ref = {ix[:g] + ix[g + 1 :]: v for ix, v in zip(idx, values) if ix[g] == 0}
    change = [
        abs(a - b) / (abs(b) if relative else 1.0)
        for ix, v in zip(idx, values)
        for a, b in zip(v, ref[ix[:g] + ix[g + 1 :]])
        if (b != 0 or not relative) and math.isfinite(a) and math.isfinite(b)
    ]
    return float(max(change)) if change else 0.0
