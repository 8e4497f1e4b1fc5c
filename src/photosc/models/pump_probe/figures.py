"""Figures of the paper pump-probe models (Fig. 2c, 2d, SI Fig. 7, K3C60 optics) and of
their sweeps: matplotlib only, from the datasets and summaries the models return."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from photosc.models.pump_probe._common import (
    _plot_budget,
)


def plot_depth(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """delta_probe(t) - delta_pump(t = 0) for LaH10 and K3C60 (as SI Fig. 7); K3C60 in
    the primary form and, where computed, the Nam form (dashed); below, the energy
    budget of each material's kinetics."""
    import matplotlib.pyplot as plt

    budget = "lah10_energy_absorbed" in ds
    rows = 2 if budget else 1
    fig, axes = plt.subplots(
        rows, 2, figsize=(8.0, 3.4 + 2.4 * (rows - 1)), squeeze=False,
        gridspec_kw={"height_ratios": [1.4, 1.0][:rows]},
    )  # fmt: skip
    top = axes[0]
    top[0].plot(ds["time_lah10"], ds["lah10_probe_minus_pump"], label="Mattis-Bardeen")
    top[0].set_title("LaH10: 1.5 eV probe vs 2 eV pump", fontsize=9)
    primary = "Nam" if ds.attrs.get("k3c60_conductivity") == "nam" else "Mattis-Bardeen"
    top[1].plot(ds["time_k3c60"], ds["k3c60_probe_minus_pump"], label=primary)
    if "k3c60_probe_minus_pump_nam" in ds:
        top[1].plot(
            ds["time_k3c60"], ds["k3c60_probe_minus_pump_nam"], "--", label="Nam (Eliashberg Z)"
        )
    top[1].set_title("K3C60: 10 meV probe vs 170 meV pump", fontsize=9)
    for ax in top:
        ax.set_xlabel("delay (ps)")
        ax.set_ylabel(r"$\delta_{pr}(t) - \delta_{pump}(0)$ (nm)")
        ax.legend(fontsize=7)
    if budget:
        for ax, key in zip(axes[1], ("lah10", "k3c60")):
            _plot_budget(ax, ds[f"time_{key}"].values, ds, prefix=f"{key}_")
            ax.set_xlabel("delay (ps)")
    fig.tight_layout()
    return {"penetration_depth": fig}


def plot_k3c60(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """sigma_1, sigma_2 and R(omega) at each delay (single layer; R depth-resolved dashed);
    with the Nam form computed, a second row shows its sigma_1, sigma_2 and R, and the
    equilibrium reference (grey) in both rows."""
    import matplotlib.pyplot as plt

    rows = [""] + (["_nam"] if "sigma1_nam" in ds else [])
    extra = "energy_absorbed" in ds
    fig, axes = plt.subplots(
        len(rows), 3 + extra, figsize=(11.0 + 3.2 * extra, 3.4 * len(rows)), squeeze=False
    )
    w = ds["omega"].values
    for r, x in enumerate(rows):
        ax = axes[r]
        for i, d in enumerate(ds["delay"].values):
            c = f"C{i}"
            ax[0].plot(w, ds["sigma1" + x][i], color=c, label=f"{d:g} ps")
            ax[1].loglog(w, np.maximum(ds["sigma2" + x][i], 1e-6), color=c)
            ax[2].plot(w, ds["reflectance" + x][i], color=c)
            if "reflectance_depth_resolved" + x in ds:
                ax[2].plot(w, ds["reflectance_depth_resolved" + x][i], "--", color=c)
        ax[0].plot(w, ds["sigma1_reference" + x], color="0.5", lw=0.8, label="equilibrium ref.")
        ax[1].loglog(w, np.maximum(ds["sigma2_reference" + x], 1e-6), color="0.5", lw=0.8)
        form = "Nam" if x else ("Nam" if ds.attrs.get("conductivity") == "nam" else "MB")
        norm = r"\sigma_0" if form == "Nam" else r"\sigma_N"
        ax[0].set_ylabel(rf"$\sigma_1/{norm}$ ({form})")
        ax[1].set_ylabel(rf"$\sigma_2/{norm}$ ({form})")
        ax[2].set_ylabel(f"R ({form}; dashed: depth-resolved)")
        for a in ax:
            a.set_xlabel(r"$\hbar\omega$ (meV)")
    axes[0][0].legend(fontsize=7)
    if extra:
        # the surface layer's kinetics: energy budget; Delta_0 and lambda_max(t)
        _plot_budget(axes[0][3], ds["time"].values, ds)
        axes[0][3].plot([], [], " ", label="markers: record times")
        for line in axes[0][3].get_lines():
            line.set_marker(".")
        axes[0][3].set_xlabel("delay (ps)")
        if len(rows) > 1:
            ax = axes[1][3]
            ax.plot(ds["delay"], ds["delta0"], "o-", color="C0", ms=3)
            ax.set_ylabel(r"$\Delta_0$ (meV)", fontsize=8)
            ax.set_xlabel("delay (ps)")
            if "pairing_eigenvalue" in ds:
                ax2 = ax.twinx()
                ax2.plot(ds["time"], ds["pairing_eigenvalue"], "s--", color="C3", ms=3)
                ax2.axhline(1.0, color="0.6", lw=0.6)
                ax2.set_ylabel(r"$\lambda_{max}$ (dashed)", fontsize=8)
    fig.tight_layout()
    return {"conductivity_reflectance": fig}


def plot_generic_sweep(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """One curve per swept point: with several temperatures, the no-tail 1/e recovery time
    versus temperature (paper 001 Fig. 2c's trend); with one, the late signal (over its
    peak) and the 10 % signal time versus the absorbed energy over the condensation energy
    (Fig. 2d's fluence trend, issue 12 section 4). The first probe energy; every fluence."""
    import matplotlib.pyplot as plt

    temps = summary.get("temperatures_K", [])
    points = summary.get("points", [])
    if len(temps) > 1:
        fig, ax = plt.subplots(figsize=(5.5, 3.8))
        for i, (label, t) in enumerate(
            zip(points, summary.get("recovery_time_no_tail_ps_by_point", []))
        ):
            t = np.asarray(t, dtype=float)  # [T][F][w]
            for jf in range(t.shape[1]):
                extra = f" (fluence #{jf})" if t.shape[1] > 1 else ""
                ax.plot(temps, t[:, jf, 0], "o-", color=f"C{i % 10}", label=label + extra)
        ax.set_xlabel("temperature (K)")
        ax.set_ylabel("1/e recovery, no tail (ps)")
        ax.legend(fontsize=7)
        fig.tight_layout()
        return {"recovery_vs_temperature": fig}
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.6))
    x_all = summary.get("absorbed_over_condensation_energy_by_point", [])
    for key, ax, label in (
        ("late_over_peak_by_point", axes[0], "signal at t_end / peak"),
        ("signal_10pct_time_ps_by_point", axes[1], "10 % signal time (ps)"),
    ):
        for i, (name, y) in enumerate(zip(points, summary.get(key, []))):
            x = np.asarray(x_all[i], dtype=float)[0] if i < len(x_all) else None
            y = np.asarray(y, dtype=float)[0, :, 0]  # [T=0][F][w=0]
            xs = x if x is not None and x.size == y.size else np.arange(y.size)
            ax.plot(xs, y, "o-", color=f"C{i % 10}", label=name)
        ax.set_xscale("log")
        ax.set_xlabel(r"$E_{abs} / E_{cond}$")
        ax.set_ylabel(label)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    return {"timescales_vs_energy": fig}
