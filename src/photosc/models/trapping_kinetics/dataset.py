"""Dataset and figures of ``qp-trapping-kinetics``."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from photosc.foundation.units import KB
from photosc.models.trapping_kinetics.mapping import (
    TrappingKinetics,
)
from photosc.models.trapping_kinetics.params import (
    TrappingKineticsNumerics,
)
from photosc.models.trapping_kinetics.trajectories import (
    KineticRun,
    _Reduced,
)


def _kinetic_vars(kin: KineticRun) -> dict[str, tuple]:
    """The dataset variables over the kinetics' record times: Delta(t), lambda_max,
    the energy budget, n(t), the Bogoliubov state of n(t), the (T, lambda) fitted to f
    and the Hg(2) occupation."""
    return {
        "delta": ("time", kin.delta, {"units": "meV", "long_name": "gap Delta(t), kinetics"}),
        "pairing_eigenvalue": (
            "time",
            kin.pairing_eigenvalue,
            {"units": "1", "long_name": "lambda_max of the linearised BCS equation"},
        ),
        "energy_budget_error": (
            "time",
            kin.budget_error,
            {"units": "meV^2", "long_name": "energy created by the integration, per 4 N(0)"},
        ),
        "n": ("time", kin.n, {"units": "1", "long_name": "quasi-particle density per site"}),
        "delta_bcs": (
            "time",
            kin.delta_n,
            {"units": "meV", "long_name": "Delta of the Bogoliubov state with density n(t)"},
        ),
        "lam_density": (
            "time",
            kin.lam_n,
            {"units": "meV", "long_name": "lambda of the Bogoliubov state with density n(t)"},
        ),
        "lam_fit": (
            "time",
            kin.lam_eff,
            {"units": "meV", "long_name": "lambda fitted to f over [Delta, Delta + T]"},
        ),
        "temperature_fit": (
            "time",
            kin.t_eff / KB,
            {"units": "K", "long_name": "temperature fitted to f over [Delta, Delta + T]"},
        ),
        "mode_occupation_ratio": (
            "time",
            kin.mode_occupation,
            {"units": "1", "long_name": "Hg(2) phonon occupation / Bose(T)"},
        ),
    }


def _reduced_vars(red: dict[str, _Reduced], ns: float) -> dict[str, tuple]:
    """The dataset variables over the reduced model's Bogoliubov states: Delta and the
    times (ns, ``ns`` the factor from ps) of the three reduced trajectories."""
    return {
        "delta_reduced": (
            "state",
            red["reduced"].delta,
            {"units": "meV", "long_name": "Delta on the Bogoliubov curve (Eqs. 4-5)"},
        ),
        "time_reduced": (
            "state",
            red["reduced"].time * ns,
            {"units": "ns", "long_name": "time, reduced model (Eq. 6-7)"},
        ),
        "time_reduced_kinetic_a2f": (
            "state",
            red["reduced_kin_a2f"].time * ns,
            {"units": "ns", "long_name": "time, Eq. 6-7 with the kinetic alpha^2F"},
        ),
        "time_golden_rule": (
            "state",
            red["golden_rule"].time * ns,
            {"units": "ns", "long_name": "time, flat-band pair-creation rate"},
        ),
    }


def _dataset(
    tk: TrappingKinetics,
    red: dict[str, _Reduced],
    kin: KineticRun,
    numerics: TrappingKineticsNumerics,
) -> xr.Dataset:
    """Assemble the dataset of :func:`_run`: the kinetics over time (ns), the reduced
    trajectories over the Bogoliubov states, lambda_eff(E) = T ln((1-f)/f) - E (meV) at
    the start and at the crossing over [0, Delta + 6 T], and the kinetic alpha^2F.

    Parameters
    ----------
    tk : TrappingKinetics
    red : dict
        :func:`reduced_trajectories`.
    kin : KineticRun
    numerics : TrappingKineticsNumerics
    """
    m = tk.model
    ns = 1e-3  # ps -> ns
    e = tk.grid.energy
    sub = np.nonzero(e <= min(float(numerics.e_max), tk.start.delta + 6.0 * m.kT))[0]
    sub = sub[:: max(1, sub.size // 800)]

    def lam_eff(f: NDArray) -> NDArray:
        ff = np.clip(f[sub], 1e-300, 1.0 - 1e-16)
        return m.kT * (np.log1p(-ff) - np.log(ff)) - e[sub]

    return xr.Dataset(
        {
            **_kinetic_vars(kin),
            **_reduced_vars(red, ns),
            "lam_eff_start": (
                "energy",
                lam_eff(kin.f_start),
                {"units": "meV", "long_name": "T ln((1-f)/f) - E at t = 0"},
            ),
            "lam_eff_threshold": (
                "energy",
                lam_eff(kin.f_cross),
                {"units": "meV", "long_name": "T ln((1-f)/f) - E at 2 Delta = Omega_max"},
            ),
            "a2f_kinetic": (
                "omega",
                tk.a2f,
                {"units": "1", "long_name": "alpha^2F of the kinetic bath"},
            ),
        },
        coords={
            "time": ("time", kin.t * ns, {"units": "ns", "long_name": "time, kinetics"}),
            "n_reduced": (
                "state",
                red["reduced"].n,
                {"units": "1", "long_name": "density per site on the Bogoliubov curve"},
            ),
            "energy": ("energy", e[sub], {"units": "meV", "long_name": "quasi-particle energy"}),
            "omega": (
                "omega",
                tk.grid.omega,
                {"units": "meV", "long_name": "phonon energy"},
            ),
        },
        attrs={"omega_max_meV": float(m.omega_max), "kT_meV": float(m.kT)},
    )


def _plot(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4))
    half = 0.5 * float(ds.attrs["omega_max_meV"])
    t = ds["time"].values
    pos = t > 0
    ax.plot(t[pos], ds["delta"].values[pos], color="k", label="full kinetics")
    for var, lab, st in (
        ("time_reduced", "reduced, Eq. 6 (paper 000)", "-"),
        ("time_reduced_kinetic_a2f", r"Eq. 6 with kinetic $\alpha^2F$", ":"),
        ("time_golden_rule", "Bogoliubov states, pair-creation rate", "--"),
    ):
        tr = ds[var].values
        p = tr > 0
        ax.plot(tr[p], ds["delta_reduced"].values[p], st, label=lab)
    ax.axhline(half, color="gray", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_xlabel("t (ns)")
    ax.set_ylabel(r"$\Delta(t)$ (meV)")
    ax.set_ylim(max(0.0, half - 0.15), float(ds["delta"].values[0]) + 0.02)
    ax.legend(fontsize=7)
    ax.set_title(
        f"T = {summary['temperature_K']:.0f} K, n(0) = {summary['n0_over_n_av']:g} n_av: "
        f"tau_kin / tau_red = {summary['tau_ms_ratio']:.3g}",
        fontsize=9,
    )
    bx.plot(t[pos], ds["n"].values[pos], color="k", label="full kinetics")
    bx.plot(ds["time_reduced"].values[1:], ds["n_reduced"].values[1:], "-", label="reduced (Eq. 6)")
    bx.plot(
        ds["time_golden_rule"].values[1:],
        ds["n_reduced"].values[1:],
        "--",
        label="pair-creation rate",
    )
    bx.axhline(summary["n_av"], color="gray", lw=0.8, ls=":")
    bx.set_xscale("log")
    bx.set_yscale("log")
    bx.set_xlabel("t (ns)")
    bx.set_ylabel("n(t) per site")
    bx.legend(fontsize=7)
    fig.tight_layout()

    fig2, cx = plt.subplots(figsize=(6, 4))
    e = ds["energy"].values
    up = e >= float(ds["delta"].values[0])  # bins inside the gap hold no states
    cx.plot(e[up], ds["lam_eff_start"].values[up], label="t = 0")
    cx.plot(e[up], ds["lam_eff_threshold"].values[up], label=r"$2\Delta = \Omega_{max}$")
    cx.set_xlabel("E (meV)")
    cx.set_ylabel(r"$T\,\ln((1-f)/f) - E$ (meV)")
    cx.set_title(
        "flat = Bogoliubov distribution at the bath temperature; above: injected hot tail",
        fontsize=9,
    )
    cx.legend(fontsize=8)
    fig2.tight_layout()
    return {"gap_and_density_vs_time": fig, "distribution_check": fig2}
