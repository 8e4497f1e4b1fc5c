"""Figures of the generic pump-probe model (paper 001 Fig. 2c, 2d, SI Fig. 7, transient
spectra) and of its sweeps: matplotlib only, from the datasets and summaries it returns."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from photosc.models.pump_probe._common import (
    _plot_budget,
)


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


#: At most this many probe energies are drawn as traces versus delay; a longer list (a
#: transient spectrum) is drawn versus probe energy in its own figure.
MAX_TRACES_PER_RUN = 4


def _shown_energies(w: np.ndarray) -> np.ndarray:
    """Up to MAX_TRACES_PER_RUN probe energies, evenly through the list."""
    if w.size <= MAX_TRACES_PER_RUN:
        return w
    return w[np.unique(np.linspace(0, w.size - 1, MAX_TRACES_PER_RUN).round().astype(int))]


def plot_generic(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Signal versus delay (every temperature and fluence, up to four probe energies;
    without the reheating tail dotted, the Nam form dashed and the depth-resolved film
    dash-dotted where computed), Delta_0(t) and the energy budget; for a transient
    spectrum (more than four probe energies) also sigma_1, sigma_2 and R versus probe
    energy at every recorded delay (:func:`plot_spectrum`)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, figsize=(6.5, 8.0), sharex=True)
    time = ds["time"].values
    shown = _shown_energies(ds["probe_energy"].values)
    k = 0
    for t in ds["temperature"].values:
        for f in ds["fluence"].values:
            for w in shown:
                at = dict(temperature=t, fluence=f, probe_energy=w)
                c = f"C{k % 10}"
                s = ds["signal"].sel(at).values
                axes[0].plot(time, s, color=c, label=f"{t:g} K, {f:g} mJ/cm2, {w:.3g} meV")
                for name, style in (
                    ("signal_no_tail", ":"),
                    ("signal_nam", "--"),
                    ("signal_depth_resolved", "-."),
                ):
                    if name in ds:
                        axes[0].plot(time, ds[name].sel(at).values, style, color=c, lw=0.9)
                k += 1
            axes[1].plot(time, ds["delta0"].sel(temperature=t, fluence=f).values)
    _draw_pump_depths(axes[0], ds, summary)
    extra = "; dotted: no tail" if "signal_no_tail" in ds else ""
    extra += "; dashed: Nam" if "signal_nam" in ds else ""
    extra += "; dash-dot: depth-resolved" if "signal_depth_resolved" in ds else ""
    axes[0].set_ylabel(f"{summary['observable']} ({summary['signal_units']}){extra}", fontsize=8)
    axes[0].set_title(f"{summary['material']}: {summary['geometry']}", fontsize=9)
    axes[0].legend(fontsize=6)
    axes[1].set_ylabel(r"$\Delta_0$ (meV)")
    if "energy_absorbed" in ds:
        keys = [f"energy_{k}" for k in ("absorbed", "stored", "exchanged", "budget_error")]
        flat = ds[keys].stack(run=("temperature", "fluence")).transpose("run", "time")
        _plot_budget(axes[2], time, flat)
    axes[-1].set_xlabel("delay (ps)")  # linear, as paper 001 Fig. 2c, 2d
    fig.tight_layout()
    figs = {"signal": fig}
    if ds.sizes["probe_energy"] > MAX_TRACES_PER_RUN:
        figs["spectrum"] = plot_spectrum(ds)
    return figs


def _draw_pump_depths(ax: Any, ds: xr.Dataset, summary: dict[str, Any]) -> None:
    """With the observable "penetration-depth": the equilibrium pump depth delta_pump of
    every run (grey; Nam dashed), against which paper 001 SI Fig. 7 reads delta_probe."""
    for key, style in (("delta_pump_nm", "-"), ("nam_delta_pump_nm", "--")):
        depths = np.ravel(summary.get(key, []))
        first = r"$\delta_{pump}$ before the pump" if style == "-" else None
        for k, depth in enumerate(depths):
            ax.axhline(depth, color="0.5", ls=style, lw=0.9, label=first if k == 0 else None)


def plot_spectrum(ds: xr.Dataset) -> Any:
    """sigma_1, sigma_2 (over sigma_N; Nam dashed, over sigma_0) and R of the sample versus
    probe energy at every recorded delay, first temperature and fluence, with the
    equilibrium reference (black) where computed."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(12.0, 3.8))
    w = ds["probe_energy"].values
    at = dict(temperature=ds["temperature"].values[0], fluence=ds["fluence"].values[0])
    for i, t in enumerate(ds["time"].values):
        c = f"C{i % 10}"
        for ax, name in zip(axes, ("sigma1", "sigma2", "reflectance")):
            ax.plot(w, ds[name].sel(at).sel(time=t).values, color=c, label=f"{t:g} ps")
            if f"{name}_nam" in ds:
                ax.plot(w, ds[f"{name}_nam"].sel(at).sel(time=t).values, "--", color=c, lw=0.9)
    for ax, name in zip(axes[:2], ("sigma1", "sigma2")):
        for suffix, style in (("", "-"), ("_nam", "--")):
            ref = f"{name}_reference{suffix}"
            if ref in ds:
                ax.plot(w, ds[ref].values, style, color="k", lw=1.2, label=f"reference{suffix}")
    labels = (r"$\sigma_1/\sigma_N$", r"$\sigma_2/\sigma_N$", "R")
    for ax, label in zip(axes, labels):
        ax.set_xscale("log")
        ax.set_xlabel("probe energy (meV)")
        ax.set_ylabel(label)
    axes[1].set_yscale("symlog", linthresh=1e-2)
    axes[0].legend(fontsize=6)
    title = f"{float(at['temperature']):g} K, {float(at['fluence']):g} mJ/cm2"
    extra = "; dashed: Nam" if "sigma1_nam" in ds else ""
    fig.suptitle(title + extra, fontsize=9)
    fig.tight_layout()
    return fig
