"""The paper-004 scenarios: multimode (Fig. 1a), single mode (Fig. 3) and the
distribution change (Fig. 2), with their figures."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from photosc.cores import cavity as cv
from photosc.models._base import ModelOutput
from photosc.models.cavity_eliashberg.gap_change import (
    _Bath,
    _bcs_change,
    _bcs_indices,
    _check_temperatures,
    _coord,
    _gap_change_attrs,
    _gl_change,
    _omega_axis,
    _sweep,
    _var,
    equilibrium_gap_tc,
    onset,
)
from photosc.models.cavity_eliashberg.parameters import (
    CavityNumerics,
    DistributionNumerics,
    DistributionParams,
    MultimodeParams,
    SingleModeParams,
)


# --------------------------------------------------------------------------------------
# cavity-multimode (Fig. 1a)
# --------------------------------------------------------------------------------------
def run_multimode(p: MultimodeParams, num: CavityNumerics) -> ModelOutput:
    """Fig. 1a: GL gap change (Eq. 18) vs omega_0/Delta_0, multimode J (Eq. 16)."""
    _check_temperatures(p.t_cav_over_t_qp, "t_cav_over_t_qp")
    t = p.t_qp_over_tc
    delta0, cutoff = equilibrium_gap_tc(t, p.bcs_coupling)
    pref = cv.multimode_prefactor(p.x_enhancement, p.coupling_scale, p.j_normalisation)
    x = _omega_axis(p.omega0_over_delta0_max, num.n_omega0)
    idx = _bcs_indices(len(x), num.n_omega0_bcs)
    gl, full, route = _sweep(
        "multimode", p, num, p.linewidth_over_omega0, pref, delta0, cutoff, x,
        "cavity-multimode (full BCS)", idx,
    )  # fmt: skip
    other = "all" if p.omega_integration == "positive" else "positive"
    p_other = p.model_copy(update={"omega_integration": other})
    coldest = int(np.argmin(p.t_cav_over_t_qp))
    p_cold = p_other.model_copy(update={"t_cav_over_t_qp": [p.t_cav_over_t_qp[coldest]]})
    gl_other, _, _ = _sweep(
        "multimode", p_cold, num, p.linewidth_over_omega0, pref, delta0, cutoff, x,
        "cavity-multimode (other Eq. 14 reading)", np.zeros(0, dtype=int),
    )  # fmt: skip
    found, x_on = onset(x, gl[coldest])
    per_curve = [onset(x, gl[i]) for i in range(len(p.t_cav_over_t_qp))]
    found_o, x_on_o = onset(x, gl_other[0])
    ds = xr.Dataset(
        {
            "relative_gap_change": _var(
                gl,
                ("t_cav_over_t_qp", "omega0_over_delta0"),
                "delta Delta / Delta_0 (GL, Eq. 18)",
            ),
            "relative_gap_change_other_reading": _var(
                gl_other[0],
                ("omega0_over_delta0",),
                f"delta Delta / Delta_0 of the coldest curve, Eq. 14 read as '{other}'",
            ),
            "relative_gap_change_bcs": _var(
                full,
                ("t_cav_over_t_qp", "omega0_over_delta0_bcs"),
                "delta Delta / Delta_0 (full self-consistent BCS, Eq. 1)",
            ),
        },  # fmt: skip
        coords={
            "t_cav_over_t_qp": _coord("t_cav_over_t_qp", p.t_cav_over_t_qp, "T_cav / T_qp"),
            "omega0_over_delta0": _coord("omega0_over_delta0", x, "omega_0 / Delta_0"),
            "omega0_over_delta0_bcs": _coord(
                "omega0_over_delta0_bcs", x[idx], "omega_0 / Delta_0 (full BCS points)"
            ),
        },
        attrs=_gap_change_attrs(p, delta0, t, cutoff, pref),
    )
    diff = np.abs(full - gl[:, idx]) if idx.size else np.zeros(1)
    summary = {
        "delta0_over_tc": delta0,
        "onset_found": found,
        "onset_omega0_over_delta0": x_on,
        "onset_omega0_over_delta0_per_curve": [v for _, v in per_curve],
        "onset_found_per_curve": [f for f, _ in per_curve],
        "onset_other_reading_found": found_o,
        "onset_omega0_over_delta0_other_reading": x_on_o,
        "other_reading": other,
        "max_relative_gap_change": float(np.max(gl)),
        "min_relative_gap_change": float(np.min(gl)),
        "max_relative_gap_change_coldest": float(np.max(gl[coldest])),
        "max_gl_bcs_difference": float(np.max(diff)),
        "gl_route_difference": route,
    }
    return ModelOutput(dataset=ds, summary=summary)


def plot_multimode(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Fig. 1a: delta Delta/Delta_0 vs omega_0/Delta_0."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.2))
    x = ds["omega0_over_delta0"].values
    for i, tr in enumerate(ds["t_cav_over_t_qp"].values):
        (line,) = ax.plot(x, ds["relative_gap_change"].values[i], label=f"T_cav/T_qp = {tr:g}")
        if ds.sizes["omega0_over_delta0_bcs"]:
            ax.plot(
                ds["omega0_over_delta0_bcs"].values,
                ds["relative_gap_change_bcs"].values[i],
                "o",
                color=line.get_color(),
                ms=4,
            )
    ax.plot(x, ds["relative_gap_change_other_reading"].values, "k:", lw=1,
            label=f"coldest, Eq. 14 '{summary['other_reading']}'")  # fmt: skip
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.axvline(2.0, color="0.6", lw=0.8, ls="--")
    ax.set_xlabel(r"$\omega_0/\Delta_0$")
    ax.set_ylabel(r"$\delta\Delta/\Delta_0$ (lines GL Eq. 18, dots full BCS)")
    ax.set_title(f"multimode cavity, T_qp = {ds.attrs['t_qp_over_tc']:g} T_c")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return {"gap_change": fig}


# --------------------------------------------------------------------------------------
# cavity-single-mode (Fig. 3)
# --------------------------------------------------------------------------------------
def run_single_mode(p: SingleModeParams, num: CavityNumerics) -> ModelOutput:
    """Fig. 3: single-mode Lorentzian J, printed and narrow linewidth, hot and cold."""
    _check_temperatures(p.t_cav_over_t_qp, "t_cav_over_t_qp")
    t = p.t_qp_over_tc
    delta0, cutoff = equilibrium_gap_tc(t, p.bcs_coupling)
    pref = cv.single_mode_prefactor(p.x_enhancement, p.coupling_scale)
    x = _omega_axis(p.omega0_over_delta0_max, num.n_omega0)
    idx = _bcs_indices(len(x), num.n_omega0_bcs)
    widths = [p.linewidth_over_omega0, p.narrow_linewidth_over_omega0]
    gl = np.zeros((2, len(p.t_cav_over_t_qp), len(x)))
    full = np.zeros((2, len(p.t_cav_over_t_qp), len(idx)))
    route = 0.0
    for k, lw in enumerate(widths):
        gl[k], full[k], r = _sweep(
            "single", p, num, lw, pref, delta0, cutoff, x, f"cavity-single-mode ({lw:g})", idx
        )
        route = max(route, r)
    tr = np.asarray(p.t_cav_over_t_qp)
    hot, cold = tr > 1.0, tr < 1.0

    def ext(k: int, mask: np.ndarray) -> float:
        return float(np.max(gl[k][mask])) if mask.any() else 0.0

    dims = ("linewidth_over_omega0", "t_cav_over_t_qp", "omega0_over_delta0")
    ds = xr.Dataset(
        {
            "relative_gap_change": _var(gl, dims, "delta Delta / Delta_0 (GL, Eq. 18)"),
            "relative_gap_change_bcs": _var(
                full,
                dims[:2] + ("omega0_over_delta0_bcs",),
                "delta Delta / Delta_0 (full self-consistent BCS, Eq. 1)",
            ),  # fmt: skip
        },
        coords={
            "linewidth_over_omega0": _coord(
                "linewidth_over_omega0", widths, "1/(2 tau_cav) / omega_0"
            ),
            "t_cav_over_t_qp": _coord("t_cav_over_t_qp", tr, "T_cav / T_qp"),
            "omega0_over_delta0": _coord("omega0_over_delta0", x, "omega_0 / Delta_0"),
            "omega0_over_delta0_bcs": _coord(
                "omega0_over_delta0_bcs", x[idx], "omega_0 / Delta_0 (full BCS points)"
            ),
        },
        attrs=_gap_change_attrs(p, delta0, t, cutoff, pref),
    )
    summary = {
        "delta0_over_tc": delta0,
        "has_hot_curves": bool(hot.any()),
        "has_cold_curves": bool(cold.any()),
        "max_relative_gap_change_hot": ext(0, hot),
        "max_relative_gap_change_cold": ext(0, cold),
        "max_relative_gap_change_hot_narrow": ext(1, hot),
        "max_relative_gap_change_cold_narrow": ext(1, cold),
        "min_relative_gap_change_hot": float(np.min(gl[0][hot])) if hot.any() else 0.0,
        "scale_fig3": pref,
        "max_gl_bcs_difference": float(np.max(np.abs(full - gl[:, :, idx]))) if idx.size else 0.0,
        "gl_route_difference": route,
    }
    return ModelOutput(dataset=ds, summary=summary)


def plot_single_mode(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Fig. 3: two panels, printed linewidth and narrow line."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.0))
    x = ds["omega0_over_delta0"].values
    for k, ax in enumerate(axes):
        for i, tr in enumerate(ds["t_cav_over_t_qp"].values):
            ax.plot(x, ds["relative_gap_change"].values[k, i], label=f"T_cav/T_qp = {tr:g}")
        ax.axhline(0.0, color="0.6", lw=0.8)
        ax.axvline(2.0, color="0.6", lw=0.8, ls="--")
        lw = ds["linewidth_over_omega0"].values[k]
        ax.set_title(f"single mode, 1/(2 tau_cav) = {lw:g} omega_0")
        ax.set_xlabel(r"$\omega_0/\Delta_0$")
        ax.set_ylabel(r"$\delta\Delta/\Delta_0$ (GL, Eq. 18)")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return {"gap_change": fig}


# --------------------------------------------------------------------------------------
# cavity-distribution (Fig. 2)
# --------------------------------------------------------------------------------------
def run_distribution(p: DistributionParams, num: DistributionNumerics) -> ModelOutput:
    """Fig. 2: delta n(E) (Eq. 14) at T_cav/T_qp = 0.5 for omega_0 below and above 2 Delta_0."""
    _check_temperatures([p.t_cav_over_t_qp], "t_cav_over_t_qp")
    t = p.t_qp_over_tc
    delta0, cutoff = equilibrium_gap_tc(t, p.bcs_coupling)
    pref = cv.multimode_prefactor(p.x_enhancement, p.coupling_scale)
    ratios = [p.omega0_low_over_delta0, p.omega0_high_over_delta0]
    e_max = num.e_max_over_delta0 or (p.omega0_high_over_delta0 + 3.0)
    if e_max <= p.omega0_high_over_delta0 + 1.2:
        raise ValueError(
            f"e_max_over_delta0 = {e_max} must exceed omega0_high_over_delta0 + 1.2 = "
            f"{p.omega0_high_over_delta0 + 1.2} to show the kink at omega_0 + Delta_0"
        )
    e = delta0 * np.linspace(1.0, e_max, num.n_energy)
    dn = np.zeros((2, e.size))
    gl = np.zeros(2)
    full = np.zeros(2)
    kinks: list[list[float]] = []
    for k, r in enumerate(ratios):
        w0 = r * delta0
        bath = _Bath(
            "multimode", w0, p.linewidth_over_omega0 * w0, pref,
            np.array([p.t_cav_over_t_qp * t]), t,
        )  # fmt: skip
        dn[k] = cv.distribution_change(
            e, delta0, t, bath.weight, omega_max=bath.omega_max, breakpoints=bath.breakpoints,
            omega_integration=p.omega_integration, n_nodes=num.n_nodes,
        )[0]  # fmt: skip
        gl[k] = _gl_change(bath, delta0, p, num.n_nodes)[0]
        if num.full_bcs:
            full[k] = _bcs_change(bath, 0, delta0, cutoff, p, num.bcs_tol, 8)
        found = cv.find_kinks(e, dn[k], exclude_below=1.1 * delta0)
        kinks.append([float(v) for v in found / delta0])
    ds = xr.Dataset(
        {
            "delta_n": _var(dn, ("omega0_over_delta0", "energy_over_delta0"), "delta n(E), Eq. 14"),
            "relative_gap_change": _var(
                gl, ("omega0_over_delta0",), "delta Delta / Delta_0 (GL, Eq. 18)"
            ),
            "relative_gap_change_bcs": _var(
                full, ("omega0_over_delta0",), "delta Delta / Delta_0 (full BCS; 0 if not run)"
            ),
        },  # fmt: skip
        coords={
            "omega0_over_delta0": _coord("omega0_over_delta0", ratios, "omega_0 / Delta_0"),
            "energy_over_delta0": _coord("energy_over_delta0", e / delta0, "E / Delta_0"),
        },
        attrs={
            "delta0_over_tc": delta0,
            "t_qp_over_tc": t,
            "t_cav_over_t_qp": p.t_cav_over_t_qp,
            "full_bcs": int(num.full_bcs),
            "omega_integration": p.omega_integration,
            "units_note": "energies in units of k_B T_c (paper 004 is dimensionless)",
        },
    )
    summary = {
        "delta0_over_tc": delta0,
        "gap_change_sign_low": int(np.sign(gl[0])),
        "gap_change_sign_high": int(np.sign(gl[1])),
        "relative_gap_change_low": float(gl[0]),
        "relative_gap_change_high": float(gl[1]),
        "kinks_over_delta0": kinks[0] + kinks[1],
        "kinks_over_delta0_low": kinks[0],
        "kinks_over_delta0_high": kinks[1],
        "expected_kinks_over_delta0": [ratios[0] + 1.0, ratios[1] - 1.0, ratios[1] + 1.0],
    }
    if num.full_bcs:
        summary["relative_gap_change_bcs_low"] = float(full[0])
        summary["relative_gap_change_bcs_high"] = float(full[1])
    return ModelOutput(dataset=ds, summary=summary)


def plot_distribution(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Fig. 2: delta n(E) with the kinks found."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.2))
    e = ds["energy_over_delta0"].values
    for k, r in enumerate(ds["omega0_over_delta0"].values):
        (line,) = ax.plot(e, ds["delta_n"].values[k], label=f"omega_0 = {r:g} Delta_0")
        key = "kinks_over_delta0_low" if k == 0 else "kinks_over_delta0_high"
        for xk in summary.get(key, []):
            ax.axvline(xk, color=line.get_color(), ls=":", lw=1)
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel(r"$E/\Delta_0$")
    ax.set_ylabel(r"$\delta n(E)$")
    ax.set_title(f"T_cav/T_qp = {ds.attrs['t_cav_over_t_qp']:g} (dotted: kinks found)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return {"distribution": fig}
