"""``photoinduced-gap``: Delta_0(t) after one pump at several temperatures (paper 001 Fig. 3)."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from photosc.cores.kinetics.pump import envelope
from photosc.models._base import ModelOutput
from photosc.models.photoinduced_gap.batch import simulate_many
from photosc.models.photoinduced_gap.output import (
    _attrs,
    _common_attrs,
    kinetic_diagnostics,
)
from photosc.models.photoinduced_gap.params import (
    GapTransientParams,
    PumpNumerics,
    resolve_material,
)
from photosc.models.photoinduced_gap.simulate import (
    equilibrium_tc,
    gap_lifetime,
    make_eliashberg,
)


def run_transient(params: GapTransientParams, numerics: PumpNumerics) -> ModelOutput:
    """Delta_0(t) after one pump at each temperature (paper 001 Fig. 3).

    Returns
    -------
    ModelOutput
        Dataset over (``temperature`` K, ``time`` ps): ``delta0`` (meV), ``qp_density``
        (1/nm^3), ``energy`` (meV/nm^3); over ``time``: ``envelope``; over
        ``temperature``: ``gamma_pump`` (1/ps), ``deposited_energy`` (meV/nm^3).
        Summary: ``max_delta0_meV``, ``gap_lifetime_ps``, ``photoinduced_gap`` (per
        temperature), ``tc0_K``, ``max_delta0_overall_meV``, ``absorbed_energy_meV_nm3``.
    """
    mat = resolve_material(params)
    solver = make_eliashberg(mat, numerics.step)
    tc0 = equilibrium_tc(mat, solver)
    cases = [(T, params.pump_energy, params.fluence) for T in params.temperatures]
    runs = simulate_many(mat, params, numerics, cases, solver, desc="photoinduced-gap temperatures")
    t = runs[0].t
    temps = np.array(params.temperatures, dtype=float)
    kin_vars, kin_summary = kinetic_diagnostics(runs, ("temperature", "time"), (len(runs), t.size))
    ds = xr.Dataset(
        {
            "delta0": (
                ("temperature", "time"),
                np.array([r.delta0 for r in runs]),
                _attrs("meV", "gap edge Delta_0(t)"),
            ),
            "qp_density": (
                ("temperature", "time"),
                np.array([r.qp_density for r in runs]),
                _attrs("nm^-3", "quasi-particle density"),
            ),
            "energy": (
                ("temperature", "time"),
                np.array([r.energy for r in runs]),
                _attrs("meV/nm^3", "quasi-particle + phonon energy density"),
            ),
            "envelope": (
                "time",
                envelope(t, params.pump_duration, params.pump_delay),
                _attrs("1", "pump envelope S(t)"),
            ),
            "gamma_pump": (
                "temperature",
                np.array([r.gamma for r in runs]),
                _attrs("1/ps", "calibrated Gamma_pump"),
            ),
            "deposited_energy": (
                "temperature",
                np.array([r.deposited for r in runs]),
                _attrs("meV/nm^3", "energy deposited by the pump"),
            ),
            **kin_vars,
        },
        coords={
            "temperature": ("temperature", temps, _attrs("K", "bath temperature")),
            "time": ("time", t, _attrs("ps", "time")),
        },
        attrs={
            "model": "photoinduced-gap",
            **_common_attrs(mat, params, numerics),
            "pump_energy_meV": params.pump_energy,
            "fluence_mJ_cm2": params.fluence,
            "tc0_K": tc0,
        },
    )
    thr = numerics.gap_threshold
    maxes = [float(r.delta0.max()) for r in runs]
    summary: dict[str, Any] = {
        "tc0_K": tc0,
        "temperatures_K": [float(x) for x in temps],
        "max_delta0_meV": maxes,
        "gap_lifetime_ps": [gap_lifetime(r.t, r.delta0, thr) for r in runs],
        "photoinduced_gap": [bool(m > thr) for m in maxes],
        "max_delta0_overall_meV": float(max(maxes)),
        "gap_above_tc0": bool(any(m > thr and T > tc0 for m, T in zip(maxes, temps))),
        "absorbed_energy_meV_nm3": float(runs[0].target),
        "deposited_energy_meV_nm3": [r.deposited for r in runs],
        "qp_density_peak_nm3": [float(r.qp_density.max()) for r in runs],
    }
    summary.update(kin_summary)
    return ModelOutput(dataset=ds, summary=summary)


def plot_transient(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Delta_0(t) per temperature with the pump envelope (Fig. 3), max |Delta(omega, t)|
    (sees gapless states) and, below, the pairing eigenvalue lambda_max(t) (> 1: the
    normal state is Cooper-unstable) with the energy budget error."""
    import matplotlib.pyplot as plt

    fig, (ax, ax2) = plt.subplots(
        2, 1, figsize=(5.5, 5.6), sharex=True, gridspec_kw={"height_ratios": [3, 2]}
    )
    t = ds["time"].values
    top = max(float(ds["delta0"].max()), float(ds["delta_max"].max()), 1e-3)
    ax.fill_between(t, 0, top * ds["envelope"].values, color="0.85", label="pump S(t)")
    for T in ds["temperature"].values:
        (line,) = ax.plot(t, ds["delta0"].sel(temperature=T).values, label=f"{T:g} K")
        ax.plot(t, ds["delta_max"].sel(temperature=T).values, ls=":", color=line.get_color())
        ax2.plot(t, ds["pairing_eigenvalue"].sel(temperature=T).values, color=line.get_color())
    ax.set_ylabel(r"$\Delta_0$ (solid), max$|\Delta|$ (dotted) (meV)")
    ax.set_title(f"{ds.attrs['spectrum']}, T_c0 = {summary['tc0_K']:.1f} K")
    ax.legend(fontsize=7)
    ax2.axhline(1.0, color="k", lw=0.8, ls="--")
    ax2.set_xlabel("t (ps)")
    ax2.set_ylabel(r"$\lambda_{max}$")
    ax2.set_title(
        f"energy budget error {summary['energy_budget_error']:.1e} (relative)", fontsize=8
    )
    fig.tight_layout()
    return {"delta0_t": fig}
