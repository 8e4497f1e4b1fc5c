"""``photoinduced-gap-map``: one point of the pump-energy x fluence map of the photo-induced
gap (a sweep scenario), its sweep summary (the best point) and figures."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from photosc.errors import ConfigError
from photosc.models._base import ModelOutput
from photosc.models.photoinduced_gap.output import (
    _attrs,
    _common_attrs,
    kinetic_diagnostics,
)
from photosc.models.photoinduced_gap.params import (
    MapParams,
    PumpNumerics,
    resolve_material,
)
from photosc.models.photoinduced_gap.simulate import (
    gap_lifetime,
    simulate,
)


def run_map_point(params: MapParams, numerics: PumpNumerics) -> ModelOutput:
    """One (pump energy, fluence) point: Delta_0(t) and its scalar summary.

    Summary (scalars, gathered by the sweep): ``max_delta0_meV``, ``gap_lifetime_ps``,
    ``photoinduced_gap``, ``deposited_energy_meV_nm3``, ``qp_density_peak_nm3``.
    """
    mat = resolve_material(params)
    r = simulate(
        mat,
        params,
        numerics,
        temperature=params.temperature,
        pump_energy=params.pump_energy,
        fluence=params.fluence,
    )
    thr = numerics.gap_threshold
    kin_vars, kin_summary = kinetic_diagnostics([r], ("time",), (r.t.size,))
    ds = xr.Dataset(
        {
            **kin_vars,
            "delta0": ("time", r.delta0, _attrs("meV", "gap edge Delta_0(t)")),
            "qp_density": ("time", r.qp_density, _attrs("nm^-3", "quasi-particle density")),
        },
        coords={"time": ("time", r.t, _attrs("ps", "time"))},
        attrs={
            "model": "photoinduced-gap-map",
            **_common_attrs(mat, params, numerics),
            "temperature_K": params.temperature,
            "pump_energy_meV": params.pump_energy,
            "fluence_mJ_cm2": params.fluence,
        },
    )
    summary = {
        "max_delta0_meV": float(r.delta0.max()),
        "gap_lifetime_ps": gap_lifetime(r.t, r.delta0, thr),
        "photoinduced_gap": bool(r.delta0.max() > thr),
        "deposited_energy_meV_nm3": r.deposited,
        "qp_density_peak_nm3": float(r.qp_density.max()),
    }
    summary.update(kin_summary)
    return ModelOutput(dataset=ds, summary=summary)


#: Unit suffix of a swept map coordinate in the summary keys.
_MAP_UNITS = {"pump_energy": "_meV", "fluence": "_mJ_cm2", "temperature": "_K"}


def _at(point: xr.DataArray, prefix: str) -> dict[str, Any]:
    """Coordinates of one map point as summary entries (swept dimensions only)."""
    out: dict[str, Any] = {}
    for name in point.coords:
        if name not in point.dims and name in ("point",):
            continue
        if name in _MAP_UNITS or name == "pump_form":
            v = point[name].values
            out[f"{prefix}_{name}{_MAP_UNITS.get(name, '')}"] = (
                float(v) if name in _MAP_UNITS else str(v)
            )
    return out


def summarize_map(ds: xr.Dataset) -> dict[str, Any]:
    """Best point of a gathered map sweep (any of pump_energy, fluence, temperature,
    pump_form swept).

    Returns ``best_pump_energy_meV``, ``best_fluence_mJ_cm2``, ``best_temperature_K``,
    ``best_pump_form`` (each only when swept), ``best_max_delta0_meV`` (largest max
    Delta_0; the first point when all are 0), ``any_photoinduced_gap``,
    ``fraction_gapped``; where the points carry the pairing eigenvalue (issue 12):
    ``pairing_eigenvalue_max`` (largest lambda_max(t) over the map and time),
    ``unstable_*`` coordinates of that point, ``normal_state_unstable_anywhere``
    (lambda_max > 1 somewhere), ``fraction_unstable``, per pump form
    ``pairing_eigenvalue_max_<form>`` where ``pump_form`` is swept,
    ``unstable_points`` (each point with lambda_max > 1: its coordinates and max_t
    lambda_max), ``any_superconducting_state`` (gapped or gapless at some time) and
    ``energy_budget_error`` (largest over the points).
    """
    md = ds["max_delta0_meV"]
    flat = md.stack(point=list(md.dims)) if md.dims else md.expand_dims("point")
    if np.all(np.isnan(flat.values)):
        raise ConfigError("photoinduced-gap-map: no point of the map succeeded")
    k = int(np.nanargmax(flat.values))  # failed points (NaN) are left out
    out: dict[str, Any] = _at(flat.isel(point=k), "best")
    ok = ~np.isnan(np.asarray(md.values, dtype=float))
    gapped = np.asarray(md.values > 0, dtype=bool) & ok
    if "photoinduced_gap" in ds:
        gapped = np.asarray(np.nan_to_num(ds["photoinduced_gap"].values.astype(float)) > 0) & ok
    out["best_max_delta0_meV"] = float(flat.values[k])
    out["any_photoinduced_gap"] = bool(gapped.any())
    out["fraction_gapped"] = float(gapped.sum() / max(ok.sum(), 1))
    if "pairing_eigenvalue_max" in ds:
        lam = ds["pairing_eigenvalue_max"]
        lf = lam.stack(point=list(lam.dims)) if lam.dims else lam.expand_dims("point")
        kl = int(np.nanargmax(lf.values))
        out["pairing_eigenvalue_max"] = float(lf.values[kl])
        out.update(_at(lf.isel(point=kl), "unstable"))
        out["normal_state_unstable_anywhere"] = bool(np.nanmax(lam.values) > 1.0)
        out["fraction_unstable"] = float(np.sum(lam.values > 1.0) / max(ok.sum(), 1))
        if "pump_form" in lam.dims:
            for form in lam["pump_form"].values:
                sub = lam.sel(pump_form=form).values
                if np.any(~np.isnan(sub)):
                    out[f"pairing_eigenvalue_max_{form}"] = float(np.nanmax(sub))
        unstable = []
        for i in np.flatnonzero(np.nan_to_num(lf.values, nan=0.0) > 1.0):
            pt = lf.isel(point=int(i))
            label = ", ".join(f"{d} {_label(pt[d].values)}" for d in lam.dims)
            unstable.append(f"{label}: {float(pt.values):.3f}")
        out["unstable_points"] = unstable
    if "superconducting_state" in ds:
        states = np.asarray(ds["superconducting_state"].values).astype(str)
        out["any_superconducting_state"] = bool(np.any(states != "normal"))
    if "energy_budget_error" in ds:
        out["energy_budget_error"] = float(np.nanmax(ds["energy_budget_error"].values))
    return out


def _label(value: Any) -> str:
    """A coordinate value as text: numbers with %g, strings as they are."""
    v = value.item() if hasattr(value, "item") else value
    return f"{v:g}" if isinstance(v, int | float) else str(v)


def plot_map(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """max Delta_0 and, where recorded, max_t lambda_max over the two numeric swept axes
    (one panel per further swept value, e.g. per pump form)."""
    import matplotlib.pyplot as plt

    md = ds["max_delta0_meV"]
    axes2 = [d for d in ("pump_energy", "fluence", "temperature") if d in md.dims][:2]
    figs: dict[str, Any] = {}
    names = [("max_delta0_meV", r"max $\Delta_0$ (meV)", "max_delta0_map")]
    if "pairing_eigenvalue_max" in ds:
        names.append(
            ("pairing_eigenvalue_max", r"max$_t\ \lambda_{max}$", "pairing_eigenvalue_map")
        )
    labels = {
        "pump_energy": r"$\omega_{pump}$ (meV)",
        "fluence": r"$F_0$ (mJ/cm$^2$)",
        "temperature": "T (K)",
    }
    for var, clabel, stem in names:
        da = ds[var]
        extra = [d for d in da.dims if d not in axes2]
        panels = [{}]
        if extra:
            panels = [dict(zip(extra, vals)) for vals in zip(*[da[d].values for d in extra])]
            if len(extra) == 1:
                panels = [{extra[0]: v} for v in da[extra[0]].values]
        fig, axs = plt.subplots(1, len(panels), figsize=(4.6 * len(panels), 3.8), squeeze=False)
        for ax, sel in zip(axs[0], panels):
            sub = da.sel(sel) if sel else da
            if len(axes2) == 2:
                y, x = axes2[1], axes2[0]
                vals = sub.transpose(y, x).values
                m = ax.pcolormesh(ds[x].values, ds[y].values, vals, shading="nearest")
                fig.colorbar(m, ax=ax, label=clabel)
                ax.set_xlabel(labels[x])
                ax.set_ylabel(labels[y])
                if y == "fluence":
                    ax.set_yscale("log")
            else:
                x = axes2[0] if axes2 else None
                ax.plot(ds[x].values if x else [0], np.ravel(sub.values), "o-")
                ax.set_xlabel(labels.get(x, "point"))
                ax.set_ylabel(clabel)
            if sel:
                ax.set_title(", ".join(f"{k} = {v}" for k, v in sel.items()), fontsize=8)
        fig.tight_layout()
        figs[stem] = fig
    return figs


def plot_map_point(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Delta_0(t) of one map point."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 3.2))
    ax.plot(ds["time"].values, ds["delta0"].values)
    ax.set_xlabel("t (ps)")
    ax.set_ylabel(r"$\Delta_0$ (meV)")
    fig.tight_layout()
    return {"delta0_t": fig}
