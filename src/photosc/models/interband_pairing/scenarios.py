"""The paper-002 scenarios: steady state (Figs. 3, 6, 7), transient (Fig. 4), phase
diagram (Fig. 2) and the effective BdG populations (Eq. 12), with their figures."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import xarray as xr

from photosc.errors import ConfigError
from photosc.foundation.parallel import parallel_map_warned
from photosc.models._base import ModelOutput
from photosc.models.interband_pairing.datasets import (
    _E,
    _T,
    _grid,
    _k_coord,
    _state_vars,
    _summary_of,
)
from photosc.models.interband_pairing.parameters import (
    BdgParams,
    InterbandNumerics,
    PhaseParams,
    SteadyParams,
    TransientParams,
)
from photosc.models.interband_pairing.solve import solve_point, time_to_fraction


def run_steady(params: SteadyParams, numerics: InterbandNumerics) -> ModelOutput:
    """Figs. 3, 6, 7: steady populations, n^21 and s^21, |Delta|(t)."""
    res = solve_point(params, numerics)
    k = _grid(params, numerics)
    ds = xr.Dataset(
        {
            **_state_vars(res["state"]),
            "abs_delta": ("t", res["abs_delta"], {"units": _E, "long_name": "|Delta|(t)"}),
            "number": ("t", res["number"], {"units": "1", "long_name": "electrons in the box"}),
        },
        coords={"k": _k_coord(k), "t": ("t", res["t"], {"units": _T, "long_name": "time"})},
    )
    return ModelOutput(ds, _summary_of(res))


def plot_steady(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Populations (Fig. 6a), n^21 (Fig. 6b), s^21 (Fig. 7a) and |Delta|(t) (Fig. 7b)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(2, 2, figsize=(9, 6.5))
    k = ds["k"].values
    ax[0, 0].plot(k, ds["n11"], ".", label=r"$n^{11}_k$")
    ax[0, 0].plot(k, ds["n22"], ".", label=r"$n^{22}_k$")
    ax[0, 0].set_title("steady populations (Fig. 6a)")
    ax[0, 1].plot(k, ds["n21_re"], label=r"Re $n^{21}_k$")
    ax[0, 1].plot(k, ds["n21_im"], label=r"Im $n^{21}_k$")
    ax[0, 1].set_title("interband coherence (Fig. 6b)")
    ax[1, 0].plot(k, ds["s21_re"], label=r"Re $s^{21}_k$")
    ax[1, 0].plot(k, ds["s21_im"], label=r"Im $s^{21}_k$")
    ax[1, 0].set_title("anomalous correlator (Fig. 7a)")
    for a in (ax[0, 0], ax[0, 1], ax[1, 0]):
        a.set_xlabel("k (1/a)")
        a.legend(fontsize=8)
    ax[1, 1].semilogy(ds["t"], np.maximum(ds["abs_delta"], 1e-30))
    ax[1, 1].set_xlabel(r"t (1/$E_g$)")
    ax[1, 1].set_ylabel(r"$|\Delta|$ ($E_g$)")
    ax[1, 1].set_title(
        f"|Delta|(t) (Fig. 7b): steady {summary['abs_delta_steady']:.3g}, {summary['behaviour']}",
        fontsize=9,
    )
    fig.tight_layout()
    return {"steady_state": fig}


def run_transient(params: TransientParams, numerics: InterbandNumerics) -> ModelOutput:
    """Fig. 4: |Delta|(t) for several radiative rates."""
    ratios = list(params.gamma_rr_ratios)
    if any(r <= 0 for r in ratios):
        raise ConfigError(f"gamma_rr_ratios must all be > 0, got {ratios}")
    # the radiative rates are independent runs: in parallel (issue 16; in-process inside a
    # sweep worker)
    runs = parallel_map_warned(
        functools.partial(solve_point, params, numerics),
        [r * params.gamma_ph for r in ratios],
    )
    t = runs[0]["t"]
    ds = xr.Dataset(
        {
            "abs_delta": (
                ("ratio", "t"),
                np.stack([r["abs_delta"] for r in runs]),
                {"units": _E, "long_name": "|Delta|(t)"},
            ),
            "n11": (
                ("ratio", "k"),
                np.stack([r["state"].n[:, 0, 0].real for r in runs]),
                {"units": "1", "long_name": "steady valence n^11_k"},
            ),
            "n22": (
                ("ratio", "k"),
                np.stack([r["state"].n[:, 1, 1].real for r in runs]),
                {"units": "1", "long_name": "steady conduction n^22_k"},
            ),
        },
        coords={
            "ratio": ("ratio", np.array(ratios), {"units": "1", "long_name": "Gamma^rr/Gamma^ph"}),
            "t": ("t", t, {"units": _T, "long_name": "time"}),
            "k": _k_coord(_grid(params, numerics)),
        },
    )
    steady = [float(r["abs_delta_steady"]) for r in runs]
    summary: dict[str, Any] = {
        "abs_delta_steady": steady,
        "time_to_90_percent": [
            time_to_fraction(r["t"], r["abs_delta"], s) for r, s in zip(runs, steady)
        ],
        "steady_state_stable": [bool(r["steady_state_stable"]) for r in runs],
        "behaviour": [r["behaviour"] for r in runs],
        "particle_number_drift": max(float(r["particle_number_drift"]) for r in runs),
    }
    summary["relative_spread_of_steady_gap"] = float(
        (max(steady) - min(steady)) / max(max(steady), 1e-12)
    )
    t90 = summary["time_to_90_percent"]
    summary["faster_with_more_radiative_recombination"] = bool(
        all(x > 0 for x in t90) and all(np.diff(t90) < 0)
    )
    return ModelOutput(ds, summary)


def plot_transient(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """|Delta|(t) for each Gamma^rr / Gamma^ph (Fig. 4)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for i, r in enumerate(ds["ratio"].values):
        ax.plot(ds["t"], ds["abs_delta"][i], label=rf"$\Gamma^{{rr}}/\Gamma^{{ph}}$ = {r:g}")
    ax.set_xlabel(r"t (1/$E_g$)")
    ax.set_ylabel(r"$|\Delta|$ ($E_g$)")
    ax.set_title("transient of the gap (Fig. 4)")
    ax.legend()
    fig.tight_layout()
    return {"transient": fig}


def run_phase_point(params: PhaseParams, numerics: InterbandNumerics) -> ModelOutput:
    """One point of Fig. 2 (the sweep machinery maps it over ``rabi`` x ``interaction``)."""
    res = solve_point(params, numerics)
    k = _grid(params, numerics)
    ds = xr.Dataset(
        {
            **_state_vars(res["state"]),
            "abs_delta": ("t", res["abs_delta"], {"units": _E, "long_name": "|Delta|(t)"}),
        },
        coords={
            "k": _k_coord(k),
            "t": ("t", res["t"], {"units": _T, "long_name": "time"}),
        },
    )
    return ModelOutput(ds, _summary_of(res))


def _threshold(x: np.ndarray, y: np.ndarray, level: float) -> float:
    """First crossing of ``y`` above ``level`` along increasing ``x`` (interpolated); -1 if none."""
    order = np.argsort(x)
    x, y = x[order], y[order]
    above = y > level
    if not above.any():
        return -1.0
    i = int(np.argmax(above))
    if i == 0:
        return float(x[0])
    return float(x[i - 1] + (level - y[i - 1]) * (x[i] - x[i - 1]) / (y[i] - y[i - 1]))


#: |Delta| above which a point counts as paired (E_g); the seed is 1e-20 and an
#: unpaired run ends below 1e-12.
PAIRED_LEVEL = 1e-4


def summarize_phase_diagram(ds: xr.Dataset) -> dict[str, Any]:
    """Thresholds of Fig. 2: ``v_threshold`` (largest Omega), ``omega_threshold`` (largest V).

    Thresholds are the first crossing of ``|Delta| = PAIRED_LEVEL`` (interpolated
    on the swept grid); where the per-point pair growth rate of the normal state
    is available, its zero crossing is reported as well (``*_linear``). ``-1``:
    no paired point on that line.
    """
    d = ds["abs_delta_steady"]
    rabi = ds["rabi"].values
    inter = ds["interaction"].values
    line_v = d.sel(rabi=rabi.max()).values
    line_o = d.sel(interaction=inter.max()).values
    out: dict[str, Any] = {
        "v_threshold": _threshold(inter, line_v, PAIRED_LEVEL),
        "omega_threshold": _threshold(rabi, line_o, PAIRED_LEVEL),
        "fraction_paired": float((d.values > PAIRED_LEVEL).mean()),
        "max_abs_delta": float(d.max()),
    }
    if "normal_state_pair_growth_rate" in ds:
        g = ds["normal_state_pair_growth_rate"]
        out["v_threshold_linear"] = _threshold(inter, g.sel(rabi=rabi.max()).values, 0.0)
        out["omega_threshold_linear"] = _threshold(rabi, g.sel(interaction=inter.max()).values, 0.0)
    if "behaviour" in ds:
        beh = np.asarray(ds["behaviour"].values).astype(str)
        out["fraction_not_steady"] = float(np.isin(beh, ["oscillating", "bursts"]).mean())
        out["fraction_unsettled"] = float(
            np.isin(beh, ["unsettled", "drifting", "growing", "damped"]).mean()
        )
    # monotonic growth of |Delta| with V (at max Omega) and with Omega (at max V)
    pv = line_v[np.argsort(inter)]
    po = line_o[np.argsort(rabi)]
    pv, po = pv[pv > PAIRED_LEVEL], po[po > PAIRED_LEVEL]
    out["delta_grows_with_v"] = bool(len(pv) >= 2 and np.all(np.diff(pv) > -1e-6))
    out["delta_grows_with_omega"] = bool(len(po) >= 2 and np.all(np.diff(po) > -1e-6))
    return out


def plot_phase_diagram(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """|Delta| over (Omega, V) (Fig. 2)."""
    import matplotlib.pyplot as plt

    d = ds["abs_delta_steady"].transpose("interaction", "rabi")
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    m = ax.pcolormesh(ds["rabi"], ds["interaction"], d.values, shading="nearest", cmap="viridis")
    fig.colorbar(m, ax=ax, label=r"$|\Delta|$ ($E_g$)")
    ax.set_xlabel(r"$\Omega$ ($E_g$)")
    ax.set_ylabel(r"$V$ ($E_g$)")
    ax.set_title(
        f"Fig. 2: V_th(max Omega) = {summary['v_threshold']:.3g}, "
        f"Omega_th(max V) = {summary['omega_threshold']:.3g}",
        fontsize=9,
    )
    fig.tight_layout()
    return {"phase_diagram": fig}


def bdg_populations(k: np.ndarray, a1: float, a2: float, offset: float, gap: float) -> np.ndarray:
    """Ground-state populations ``n^22_k = n^11_{-k}`` of the effective BdG model (Eq. 12).

    ``H_eff = sum eps_alpha n_alpha - gap sum_k (c^dagger_{k2} c^dagger_{-k1} + h.c.)``,
    ``eps_alpha = A_alpha k^2 - C``. The printed pairing ``sum_{alpha != beta}
    c^dagger_{k alpha} c^dagger_{-k beta}`` vanishes identically after the k sum
    (antisymmetry); the sigma^y form of Eq. 2 is used instead. Each pair of modes
    ``(k 2, -k 1)`` is solved exactly in its 4-state Fock space: the paired sector
    ``{|0>, |both>}`` has energy ``xi - sqrt(xi^2 + gap^2)``, ``xi = (eps_1 + eps_2)/2``,
    with ``n = (1 - xi / sqrt(xi^2 + gap^2)) / 2`` in both modes; the singly
    occupied states (energies eps_1, eps_2) win where they are lower.

    Parameters
    ----------
    k : (nk,) float, 1/a
    a1, a2 : float, E_g a^2
    offset : float, E_g
        C.
    gap : float, E_g
        |Delta~| >= 0.

    Returns
    -------
    (2, nk) float
        ``[n^11_k, n^22_k]``.
    """
    e1 = a1 * k**2 - offset
    e2 = a2 * k**2 - offset
    # pair (k2, -k1): the bands are even in k, so eps_1(-k) = eps_1(k)
    xi = 0.5 * (e1 + e2)
    r = np.hypot(xi, gap)
    e_pair = xi - r  # <= 0: lowest state of {|0>, |both>}
    v2 = np.where(r > 0, 0.5 * (1.0 - xi / np.where(r > 0, r, 1.0)), 0.0)
    energies = np.stack([e_pair, e1, e2])  # paired, only -k1 occupied, only k2 occupied
    best = np.argmin(energies, axis=0)
    n1 = np.select([best == 0, best == 1], [v2, 1.0], 0.0)
    n2 = np.select([best == 0, best == 2], [v2, 1.0], 0.0)
    return np.stack([n1, n2])


def run_bdg(params: BdgParams, numerics: InterbandNumerics) -> ModelOutput:
    """Driven-dissipative steady populations beside the BdG populations of Eq. 12 (Fig. 3)."""
    res = solve_point(params, numerics)
    k = _grid(params, numerics)
    neff = bdg_populations(k, params.a1, params.a2, params.bdg_offset, params.bdg_gap)
    ds = xr.Dataset(
        {
            **_state_vars(res["state"]),
            "n11_bdg": ("k", neff[0], {"units": "1", "long_name": "BdG valence n^11_k (Eq. 12)"}),
            "n22_bdg": ("k", neff[1], {"units": "1", "long_name": "BdG conduction n^22_k"}),
            "abs_delta": ("t", res["abs_delta"], {"units": _E, "long_name": "|Delta|(t)"}),
        },
        coords={
            "k": _k_coord(k),
            "t": ("t", res["t"], {"units": _T, "long_name": "time"}),
        },
    )
    n = res["state"].n
    mean_driven = 0.5 * (n[:, 0, 0].real + n[:, 1, 1].real)
    mean_bdg = 0.5 * (neff[0] + neff[1])
    summary = _summary_of(res)
    summary["rms_population_difference"] = float(np.sqrt(np.mean((mean_driven - mean_bdg) ** 2)))
    summary["max_population_difference"] = float(np.abs(mean_driven - mean_bdg).max())
    # the pairing field of Eq. 12 is an effective parameter: also report the one that
    # fits best (same C), to separate "the effective model works" from "0.05 is the value"
    gaps = np.linspace(0.0, 1.0, 201)
    rms = [
        np.sqrt(
            np.mean(
                (
                    bdg_populations(k, params.a1, params.a2, params.bdg_offset, g).mean(0)
                    - mean_driven
                )
                ** 2
            )
        )
        for g in gaps
    ]
    i = int(np.argmin(rms))
    summary["bdg_gap_best_fit"] = float(gaps[i])
    summary["rms_population_difference_best_fit"] = float(rms[i])
    best = bdg_populations(k, params.a1, params.a2, params.bdg_offset, gaps[i])
    ds["n_bdg_best_fit"] = (
        "k",
        best.mean(axis=0),
        {"units": "1", "long_name": "BdG band-averaged population, best-fitting pairing field"},
    )
    return ModelOutput(ds, summary)


def plot_bdg(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Fig. 3: driven-dissipative populations (dots) and the BdG population (line)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    k = ds["k"].values
    ax.plot(k, ds["n11"], "b.", ms=3, label=r"$n^{11}_k$ driven")
    ax.plot(k, ds["n22"], "r.", ms=3, label=r"$n^{22}_k$ driven")
    n_eff = 0.5 * (ds["n11_bdg"] + ds["n22_bdg"])
    ax.plot(k, n_eff, "k-", label=r"$n^{\rm eff}_k$ (BdG, Eq. 12, band average)")
    if "n_bdg_best_fit" in ds:
        ax.plot(
            k,
            ds["n_bdg_best_fit"],
            "k--",
            label=rf"BdG, best pairing field {summary.get('bdg_gap_best_fit', 0):.3g}",
        )
    ax.set_xlabel("k (1/a)")
    ax.set_ylabel("occupation")
    ax.set_title(f"Fig. 3: rms difference {summary['rms_population_difference']:.3f}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return {"bdg_populations": fig}
