"""Figures of measured data beside a model: data, model and residuals."""

from __future__ import annotations

from typing import Any

import numpy as np

from photosc.fitting.compare import Comparison, ModelTrace

#: Most probe energies drawn as separate curves in a transient-spectrum figure.
MAX_CURVES = 6


def comparison_figure(trace: ModelTrace, comp: Comparison, title: str = "") -> Any:
    """Data (with error bars), the model (shifted by ``time_zero``) and the residuals.

    Parameters
    ----------
    trace : ModelTrace
        The model's trace or spectrum (delays in ps).
    comp : Comparison
        The measured points beside it.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the delay axis (ps): signal, and model - data.
    """
    import matplotlib.pyplot as plt

    fig, (ax, axr) = plt.subplots(
        2, 1, sharex=True, figsize=(6.4, 5.6), gridspec_kw={"height_ratios": [3, 1.3]}
    )
    unit = "" if comp.unit in ("", "1") else f" ({comp.unit})"
    if comp.energy is None:
        groups = [(None, np.ones(comp.delay.size, dtype=bool), trace.values)]
    else:
        energies = np.unique(comp.energy)
        if energies.size > MAX_CURVES:
            energies = energies[np.linspace(0, energies.size - 1, MAX_CURVES).astype(int)]
        groups = []
        for e in energies:
            sel = comp.energy == e
            if trace.energy.size == 1:
                row = trace.values[0]
            else:
                cols = range(trace.delay.size)
                row = np.array([np.interp(e, trace.energy, trace.values[:, j]) for j in cols])
            groups.append((e, sel, row))
    for k, (e, sel, row) in enumerate(groups):
        color = f"C{k % 10}"
        tag = "" if e is None else f" {e:.4g} meV"
        err = None if comp.error is None else comp.error[sel]
        ax.errorbar(
            comp.delay[sel],
            comp.data[sel],
            yerr=err,
            fmt="o",
            ms=3,
            color=color,
            alpha=0.6,
            label=f"measured{tag}",
        )
        ax.plot(trace.delay + comp.time_zero, row, "-", color=color, label=f"model{tag}")
        used = sel & comp.inside
        axr.plot(comp.delay[used], (comp.model - comp.data)[used], "o", ms=3, color=color)
        out = sel & ~comp.inside
        if out.any():
            ax.plot(comp.delay[out], comp.data[out], "x", color="0.5", label="outside model range")
    axr.axhline(0.0, color="0.3", lw=0.8)
    ax.set_ylabel(f"{trace.label}{unit}")
    axr.set_ylabel(f"model - data{unit}")
    axr.set_xlabel("delay (ps)")
    stats = f"rms {comp.rms:.3g}{unit}, n = {comp.n_used}"
    if comp.chi2 is not None:
        stats += f", chi2/n = {comp.chi2 / comp.n_used:.3g}"
    if comp.n_outside:
        stats += f", {comp.n_outside} outside"
    ax.set_title(f"{title}\n{stats}" if title else stats, fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
