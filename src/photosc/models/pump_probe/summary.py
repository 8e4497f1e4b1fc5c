"""Summary of a generic pump-probe run: the read-outs of :mod:`.readouts` and
:mod:`.optics_readouts` assembled from the dataset and the kinetic traces.

Every per-run value is nested as the dataset is, ``[temperature][fluence]`` or
``[temperature][fluence][probe energy]``; units are in the keys' names.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import xarray as xr

from photosc.foundation.units import KB
from photosc.models.pump_probe._common import _budget_summary
from photosc.models.pump_probe.optics_readouts import (
    depth_readouts,
    gap_readouts,
    reflectance_readouts,
)
from photosc.models.pump_probe.parameters import (
    QUANTITY_UNITS,
    PumpProbeParams,
    conductivity_forms,
    escape_times,
    probe_energies,
)
from photosc.models.pump_probe.readouts import (
    fluence_trends,
    gap_timescales,
    nam_vs_mattis_bardeen,
    recovery_readouts,
    temperature_trends,
)

__all__ = ["CHANGE_FROM_START", "change", "optics_summary", "run_summary"]

#: Observables read as a change from their pre-pump value (dR/R0, dT/T0 are changes).
CHANGE_FROM_START = ("sigma1", "sigma2", "penetration-depth")


def change(params, signal: np.ndarray) -> np.ndarray:
    """The signal as a change from its pre-pump value (dR/R0, dT/T0 are changes already)."""
    return signal - signal[..., :1] if params.observable in CHANGE_FROM_START else signal


def _readouts(params, ds, suffix: str = "") -> dict[str, Any]:
    """Recovery read-outs and temperature trends of one conductivity form's signals."""
    time = ds["time"].values
    shown = ds[f"signal{suffix}"].values
    bare = ds[f"signal_no_tail{suffix}"].values if f"signal_no_tail{suffix}" in ds else shown
    shown, bare = change(params, shown), change(params, bare)
    reads = recovery_readouts(time, shown, bare, params.probe_duration)
    return {**reads, **temperature_trends(reads, list(params.temperature))}


def _ratio(a: Any, b: Any, signal: np.ndarray) -> np.ndarray:
    """a / b elementwise, 1 where |b| is rounding noise (below 1e-12 of the largest
    |signal| of that trace, e.g. a change of a quantity that the pump leaves alone)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    noise = 1e-12 * np.max(np.abs(signal), axis=-1)
    zero = np.abs(b) <= noise
    return np.where(zero, 1.0, a / np.where(zero, 1.0, b))


def run_summary(
    params, numerics, ds, mat, sp, dep, e_abs, w_inj, traces, gamma, slices
) -> dict[str, Any]:
    """Summary keys of :func:`run_generic` (units in the names)."""
    from photosc.pipeline.kinetics import eliashberg_solver, kaplan_tau0

    d0 = ds["delta0"].values
    # time scales need the automatic delay sampling, not a few chosen delays
    timed = not params.delays
    main = _readouts(params, ds) if timed else {}
    gaps = {}
    if timed:
        gaps = gap_timescales(
            ds["time"].values,
            change(params, ds["signal"].values),
            d0,
            params.probe_duration,
            params.slow_fit_start,
        )
        gaps.update(fluence_trends(gaps, list(params.fluence)))
    # BCS estimate N(0) Delta_0^2 / 2 (single-spin N(0); the equilibrium gap edge at each
    # temperature; no strong-coupling or thermal corrections)
    e_cond = [0.5 * 1e-3 * mat.n0_per_ev_nm3 * float(d0[i, 0, 0]) ** 2 for i in range(len(d0))]
    d0_low = float(eliashberg_solver(sp, numerics.grid_step).solve(kT=1.0 * KB).delta0)
    tc = mat.tc_K
    n_t, n_f = len(params.temperature), len(params.fluence)
    budget = _budget_summary(traces, per="run", extra=[t for sl in slices for t in sl])
    out: dict[str, Any] = {
        "material": mat.name,
        "observable": params.observable,
        "signal_units": QUANTITY_UNITS[params.observable][0],
        "geometry": params.geometry,
        "conductivity_form": conductivity_forms(numerics)[0],
        "temperatures_K": [float(t) for t in params.temperature],
        "fluences_mJ_cm2": [float(f) for f in params.fluence],
        "probe_energies_meV": [float(w) for w in probe_energies(params, numerics)],
        "absorbed_fraction": float(dep.absorbed_fraction),
        "pump_depth_nm": float(dep.pump_depth),
        "pumped_depth_nm": float(params.pumped_depth or dep.pumped_depth),
        "energy_density_meV_nm3": [float(e) for e in e_abs],
        "injection_energy_meV": float(w_inj),
        "delta0_equilibrium_meV": [float(d0[i, 0, 0]) for i in range(d0.shape[0])],
        "min_delta0_meV": [
            [float(np.min(d0[i, j])) for j in range(d0.shape[1])] for i in range(d0.shape[0])
        ],  # fmt: skip
        **main,
        **gaps,
        "final_delta0_meV": d0[:, :, -1].tolist(),
        "tau_esc_ps": escape_times(params),
        "fluence_scale": float(params.fluence_scale),
        "condensation_energy_meV_nm3": e_cond,
        "absorbed_over_condensation_energy": [
            [e / c if c > 0 else 0.0 for e in e_abs] for c in e_cond
        ],
        "lambda": float(sp.lambda_),
        "delta0_1K_meV": d0_low,
        "alpha2f_low_scale": float(params.alpha2f_low_scale),
        "phonon_dos_low_scale": float(params.phonon_dos_low_scale),
        "energy_budget_error": budget["energy_budget_error"],
        "energy_budget_error_per_run": np.reshape(
            budget["energy_budget_error_per_run"], (n_t, n_f)
        ).tolist(),
    }
    tau0 = kaplan_tau0(sp, 2.0 * d0_low, float(tc)) if tc and d0_low > 0 else math.inf
    if math.isfinite(tau0):  # inf: no alpha^2F at 2 Delta_0 (no Debye coefficient b there)
        out["kaplan_tau0_at_2delta_ps"] = 1000.0 * tau0
    if "pairing_eigenvalue_max" in budget:
        out["pairing_eigenvalue_max"] = np.reshape(
            budget["pairing_eigenvalue_max"], (n_t, n_f)
        ).tolist()
        out["pairing_eigenvalue_max_time_ps"] = np.reshape(
            budget["pairing_eigenvalue_max_time_ps"], (n_t, n_f)
        ).tolist()
    if gamma is not None:
        out["scattering_rate_meV"] = float(gamma)
    if "signal_depth_resolved" in ds:
        deep = ds["signal_depth_resolved"].values
        d_peak = np.take_along_axis(deep, np.argmax(np.abs(deep), axis=-1)[..., None], -1)[..., 0]
        out["depth_resolved_peak_signal"] = d_peak.tolist()
        if timed:
            out["depth_resolved_over_single_peak"] = _ratio(
                d_peak, main["peak_signal"], ds["signal"].values
            ).tolist()
        out["depth_resolved_max_difference"] = float(np.max(np.abs(deep - ds["signal"].values)))
        out["depth_resolved_max_delta0_meV"] = np.reshape(
            [max(float(np.max(t.delta0)) for t in sl) for sl in slices], (n_t, n_f)
        ).tolist()
        out["depth_resolved_energy_budget_error"] = np.reshape(
            [max(float(t.energy_budget_error) for t in sl) for sl in slices], (n_t, n_f)
        ).tolist()
    if numerics.conductivity == "both" and timed:
        nam = _readouts(params, ds, "_nam")
        out.update({f"nam_{k}": v for k, v in nam.items()})
        out.update(
            nam_vs_mattis_bardeen(
                ds["signal"].values,
                ds["signal_nam"].values,
                main["peak_signal"],
                nam["peak_signal"],
            )
        )
    return out


def optics_summary(
    params: PumpProbeParams,
    ds: xr.Dataset,
    sig: dict[str, dict[str, list]],
    shape: tuple[int, int],
    ref: dict[str, Any],
) -> dict[str, Any]:
    """Summary keys of the optics (:mod:`.optics_readouts`): the photo-induced gap, the
    reflectance change, the penetration depths, the below-gap measures of a transient
    spectrum and the equilibrium reference; the Nam form's with prefix ``nam_`` beside
    Mattis-Bardeen."""
    time = ds["time"].values
    out: dict[str, Any] = gap_readouts(time, ds["delta0"].values)
    both = len(sig) == 2
    for form, x in sig.items():
        pre = "nam_" if both and form == "nam" else ""
        sfx = "_nam" if both and form == "nam" else ""
        out.update(reflectance_readouts(ds[f"reflectance{sfx}"].values, pre))
        if params.observable == "penetration-depth":
            d_pump = np.reshape(x["depth_pump"], shape)
            out.update(depth_readouts(time, ds[f"signal_raw{sfx}"].values, d_pump, pre))
        if "slope" in x:
            out[f"{pre}sigma2_slope_below_gap"] = np.reshape(x["slope"], shape).tolist()
            out[f"{pre}sigma1_min_below_gap"] = np.reshape(x["sigma1_min"], shape).tolist()
            out[f"{pre}sigma2_slope_resolved"] = np.reshape(x["resolved"], shape).tolist()
        if form in ref:
            out[f"{pre}reference_sigma2_slope_below_gap"] = ref[form]["slope"]
            out[f"{pre}reference_sigma2_slope_resolved"] = ref[form]["resolved"]
    if ref:
        out["reference_delta0_meV"] = ref["delta0"]
        out["reference_temperature_K"] = float(params.reference_temperature)
        w_mb, w_nam = (ref.get(f, {}).get("weight") for f in ("mattis-bardeen", "nam"))
        if w_mb and w_nam:
            out["reference_nam_over_mb_superfluid_weight"] = w_nam / w_mb
    return out
