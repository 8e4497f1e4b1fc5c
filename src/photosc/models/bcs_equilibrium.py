"""Textbook equilibrium BCS: the gap Delta(T) of the cutoff model and its T_c.

Not one of the five papers; the reference every non-equilibrium model is measured
against. Gap equation (paper 004 Eq. 1 / paper 000 Eq. 4 with a thermal distribution)::

    1 = coupling * int_0^cutoff dxi tanh(E / 2 k_B T) / E,   E = sqrt(xi^2 + Delta^2),

``coupling`` = nu(0) U (nu(0) per spin), ``cutoff`` = omega_D. Solved exactly (no
weak-coupling approximation) by :mod:`photosc.cores.bcs`; the output also carries the
universal weak-coupling curve (cutoff-free form ln(Delta_0/Delta) = 2 int dxi f(E)/E with
Delta_0 = 1.764 k_B T_c^wc, k_B T_c^wc = 1.134 omega_D exp(-1/coupling)) for comparison,
the condensation free energy (F_SC - F_N)/nu(0) (paper 000 Eq. 25) at the gap, and the
thermal quasi-particle density (paper 000 Eq. 5 at lambda = 0).

Temperature grid: ``n_temperatures`` points, uniform from ``t_min`` to ``t_max`` (K), or
the explicit list ``temperatures`` (K) when it is given (then ``t_min``/``t_max`` are
ignored).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from photosc.cores import bcs
from photosc.foundation.units import KB, quantity
from photosc.models._base import ModelOutput, ModelSpec, Numerics, Params

#: 1 - T/T_c at which the near-T_c coefficient Delta / (k_B T_c sqrt(1 - T/T_c)) is taken.
NEAR_TC_EPS = 1e-4


class BCSParams(Params):
    """Physics parameters of the equilibrium BCS model."""

    coupling: float = Field(
        0.3, gt=0, le=10, description="nu(0) U, dimensionless BCS coupling (nu(0) per spin)"
    )
    cutoff: quantity("meV", gt=0) = Field("30 meV", description="Debye energy omega_D, meV")
    t_min: quantity("K", ge=0) = Field("0 K", description="lowest temperature of the grid, K")
    t_max: quantity("K", gt=0) = Field("20 K", description="highest temperature of the grid, K")
    temperatures: list[quantity("K", ge=0)] = Field(
        [],
        description="explicit temperatures in K (overrides t_min, t_max, n_temperatures)",
    )

    @model_validator(mode="after")
    def _grid_order(self) -> BCSParams:
        if not self.temperatures and not self.t_max > self.t_min:
            raise ValueError(
                f"t_max ({self.t_max} K) must exceed t_min ({self.t_min} K); "
                "or give an explicit 'temperatures' list"
            )
        return self


class BCSNumerics(Numerics):
    """Numerical options."""

    n_temperatures: int = Field(101, ge=2, le=100000, description="points of the T grid")
    tol: float = Field(1e-10, gt=0, lt=1e-3, description="relative tolerance on Delta")


def temperature_grid(params: BCSParams, numerics: BCSNumerics) -> np.ndarray:
    """The temperatures (K) of the run, sorted ascending, shape (n,)."""
    if params.temperatures:
        return np.unique(np.asarray(params.temperatures, dtype=float))
    return np.linspace(params.t_min, params.t_max, numerics.n_temperatures)


def run(params: BCSParams, numerics: BCSNumerics) -> ModelOutput:
    """Delta(T), T_c and the condensation free energy of the cutoff BCS model.

    Returns
    -------
    ModelOutput
        Dataset over ``temperature`` (K): ``delta`` (meV), ``delta_weak_coupling`` (meV),
        ``free_energy`` ((F_SC - F_N)/nu(0), meV^2), ``qp_density`` (thermal quasi-particle
        density per nu(0), paper 000 Eq. 5 with lambda = 0, meV); summary ``tc_K``, ``delta0_meV``,
        ``two_delta0_over_kTc``, ``tc_weak_coupling_K``, ``delta0_weak_coupling_meV``,
        ``gap_near_tc_coefficient``, ``condensation_energy_zero_meV2``, ``tc_in_range``.
    """
    g, w = params.coupling, params.cutoff
    t_k = temperature_grid(params, numerics)
    kt = t_k * KB
    ktc = bcs.critical_temperature(g, w)
    d0 = bcs.delta_zero(g, w)
    delta = bcs.equilibrium_gap(kt, g, w, tol=numerics.tol)
    ktc_wc = bcs.tc_weak_coupling(g, w)
    delta_wc = bcs.weak_coupling_gap(kt, ktc_wc)
    fe = bcs.free_energy(delta, kt, g, w)
    n_qp = bcs.qp_density(delta, 0.0, kt, w)
    kt_near = ktc * (1.0 - NEAR_TC_EPS)
    near = float(bcs.solve_gap(g, w, kT=kt_near, tol=numerics.tol).delta)

    temp = ("temperature", t_k, {"units": "K", "long_name": "temperature"})
    ds = xr.Dataset(
        {
            "delta": (
                "temperature",
                delta,
                {"units": "meV", "long_name": "superconducting gap Delta (cutoff model)"},
            ),
            "delta_weak_coupling": (
                "temperature",
                delta_wc,
                {"units": "meV", "long_name": "universal weak-coupling BCS gap"},
            ),
            "free_energy": (
                "temperature",
                fe,
                {"units": "meV^2", "long_name": "(F_SC - F_N) / nu(0) at the gap"},
            ),
            "qp_density": (
                "temperature",
                n_qp,
                {
                    "units": "meV",
                    "long_name": "thermal quasi-particle density / nu(0), 4 int dxi f(E)",
                },
            ),
        },
        coords={"temperature": temp},
        attrs={
            "model": "bcs-equilibrium",
            "coupling": g,
            "cutoff_meV": w,
            "tc_K": ktc / KB,
            "delta0_meV": d0,
        },
    )
    summary: dict[str, Any] = {
        "tc_K": ktc / KB,
        "delta0_meV": d0,
        "two_delta0_over_kTc": 2.0 * d0 / ktc,
        "tc_weak_coupling_K": ktc_wc / KB,
        "delta0_weak_coupling_meV": 2.0 * w * float(np.exp(-1.0 / g)),
        "gap_near_tc_coefficient": float(near / (ktc * np.sqrt(NEAR_TC_EPS))),
        "condensation_energy_zero_meV2": bcs.condensation_energy_zero(g, w),
        "tc_in_range": bool(t_k[0] < ktc / KB < t_k[-1]),
    }
    return ModelOutput(dataset=ds, summary=summary)


def plot(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Delta(T) with the universal weak-coupling BCS curve overlaid."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.0, 3.6))
    t = ds["temperature"].values
    ax.plot(t, ds["delta"].values, "-", color="C0", lw=2, label="cutoff model (solved)")
    ax.plot(
        t, ds["delta_weak_coupling"].values, "--", color="C3", lw=1.2, label="weak-coupling BCS"
    )
    ax.axvline(summary["tc_K"], color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("temperature (K)")
    ax.set_ylabel(r"$\Delta$ (meV)")
    ax.set_title(
        rf"$\nu(0)U$ = {ds.attrs['coupling']:g}, $\omega_D$ = {ds.attrs['cutoff_meV']:g} meV, "
        rf"$2\Delta_0/k_BT_c$ = {summary['two_delta0_over_kTc']:.3f}",
        fontsize=9,
    )
    ax.set_xlim(t[0], t[-1])
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, loc="lower left")
    fig.tight_layout()
    return {"gap": fig}


MODELS = [
    ModelSpec(
        name="bcs-equilibrium",
        paper="textbook",
        description="Equilibrium BCS gap Delta(T) and T_c of the cutoff model (textbook BCS)",
        params=BCSParams,
        numerics=BCSNumerics,
        run=run,
        plot=plot,
    )
]
