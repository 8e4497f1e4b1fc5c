"""Equilibrium properties of one material card (issue 15, section 1; paper 001).

What ``photosc material NAME|CARD|FILE`` runs: the material of a card
(:mod:`photosc.materials`) characterised by

* the moments of alpha^2F: lambda, omega_log, sqrt(<omega^2>) (definitions in
  :mod:`photosc.cores.spectra`);
* the Allen-Dynes T_c with the material's mu* (Allen & Dynes, PRB 12, 905 (1975),
  Eq. 34; mu* in the real-axis convention of the solver, so this is an estimate);
* the real-axis Eliashberg T_c (linearised equations) and the self-consistent gap
  function Delta(omega) at ``temperature`` (default 0.05 T_c), its gap edge Delta_0, and
  2 Delta_0 / k_B T_c with the gap edge at 0.05 T_c (as ``eliashberg-equilibrium``): the
  isotropic Migdal-Eliashberg equations on the real frequency axis that paper 001 solves
  (main text after Eq. 2; SI Sec. I, SI Fig. 6), implemented in
  :mod:`photosc.cores.eliashberg`;
* the mu* used and how it was obtained, where F(omega) comes from, and the card's other
  numbers with their sources.

Grid (kept coarse so that a card is characterised in seconds): extent
W = max(omega_c, 5 omega_max) with omega_max the highest phonon energy, step
min(W / ``n_omega``, Delta_est / ``points_in_gap``), Delta_est = 1.9 k_B T_AD. With the
default ``n_omega = 4096`` and a gap resolved by that grid the step is the solver's own
default, the grid on which the built-ins' mu* and
:func:`~photosc.materials.calibrate_mu_star` are defined, so the T_c reproduces the card's
T_c to the solver's tolerance; a finer step (a small gap) moves T_c by about 1e-3.
"""

from __future__ import annotations

import math
from typing import Any

import xarray as xr
from pydantic import Field

from photosc.cores.eliashberg import EliashbergSolver
from photosc.foundation.units import KB, quantity
from photosc.materials import Material, MaterialOverrides, MaterialRef, resolve
from photosc.materials.calibration import solver_grid
from photosc.models._base import ModelOutput, ModelSpec, Numerics, Params

#: Default temperature of Delta(omega) in units of the Eliashberg T_c ("low T").
T_LOW_OVER_TC = 0.05
#: Largest electron energy written to the Dataset, in units of the highest phonon energy.
OUTPUT_OMEGA_FACTOR = 3.0
#: Temperature (K) used when there is no T_c to scale by and none was given.
FALLBACK_TEMPERATURE_K = 1.0


class MaterialPropertiesParams(Params):
    """Physics parameters of ``material-properties``."""

    material: MaterialRef = Field(
        "Pb", description="built-in material (Pb, LaH10, K3C60, CaC6, Al, Nb), card or file"
    )
    material_overrides: MaterialOverrides = Field(
        default_factory=dict,
        description="card fields replacing the card's, values with units (e.g. tc = '8 K')",
    )
    temperature: quantity("K", ge=0) = Field(
        0.0, description="temperature of Delta(omega) and Delta_0, K; 0 = 0.05 T_c"
    )


class MaterialPropertiesNumerics(Numerics):
    """Numerical options: a coarse real-axis grid (seconds per material)."""

    n_omega: int = Field(
        4096, ge=256, le=200000, description="grid points up to W (step <= W / n_omega)"
    )
    points_in_gap: float = Field(
        10.0, ge=3, le=1000, description="grid points below the expected gap edge"
    )
    tol: float = Field(1e-6, gt=0, lt=1e-2, description="relative tolerance on Delta(omega)")
    max_iter: int = Field(400, ge=10, le=100000, description="iterations per solve")


def make_solver(mat: Material, numerics: MaterialPropertiesNumerics) -> EliashbergSolver:
    """Real-axis solver for ``mat`` on the grid of the module docstring."""
    spec = mat.spectrum
    w_top = solver_grid(spec, mat.mu_star_cutoff)
    gap_est = 1.9 * KB * max(mat.allen_dynes_tc(), 0.1)
    step = min(w_top / numerics.n_omega, gap_est / numerics.points_in_gap)
    default = EliashbergSolver(spec.omega, spec.a2f, mat.mu_star, omega_max=w_top)
    if step >= default.step:  # the solver's own grid, that of the mu* calibration
        step = None
    else:  # a whole number of cells up to W, so that omega_c <= W holds exactly
        step = w_top / math.ceil(w_top / step)
    return EliashbergSolver(
        spec.omega,
        spec.a2f,
        mat.mu_star,
        omega_max=w_top,
        step=step,
        omega_c=mat.mu_star_cutoff,
    )


def _attrs(mat: Material) -> dict[str, Any]:
    out: dict[str, Any] = {
        "model": "material-properties",
        "material": mat.name,
        "material_card": mat.card,
        "mu_star_source": mat.mu_star_source,
        "phonon_dos_source": mat.phonon_dos_source or "none",
    }
    for key, text in mat.sources.items():
        out[f"source_{key}"] = text
    return out


def run(params: MaterialPropertiesParams, numerics: MaterialPropertiesNumerics) -> ModelOutput:
    """Moments, Allen-Dynes and Eliashberg T_c, Delta(omega), Delta_0 of a material.

    Returns
    -------
    ModelOutput
        Dataset: over ``phonon_omega`` (meV) ``a2f`` and, where known, ``f_dos`` (1/meV);
        over ``omega`` (meV) ``delta_real``, ``delta_imag`` (meV) and ``dos``. Summary:
        ``lambda``, ``omega_log_meV``, ``omega2_meV``, ``allen_dynes_tc_K``,
        ``tc_eliashberg_K``, ``delta0_meV`` (at ``temperature_K``), ``delta0_low_t_meV``
        (at 0.05 T_c), ``two_delta0_over_kTc`` (with the latter),
        ``mu_star``, ``mu_star_cutoff_meV``, ``mu_star_source``, the card's numbers
        (``tc_K``, ``n0_per_ev_nm3``, ...) and the grid (``grid_step_meV``,
        ``grid_extent_meV``).
    """
    mat = resolve(params.material, params.material_overrides)
    spec = mat.spectrum
    solver = make_solver(mat, numerics)
    tc = solver.critical_temperature()
    if params.temperature > 0:
        t = params.temperature
    else:
        t = T_LOW_OVER_TC * tc if tc > 0 else FALLBACK_TEMPERATURE_K
    t_low = T_LOW_OVER_TC * tc
    cold = None
    if tc > 0 and not math.isclose(t, t_low, rel_tol=1e-12):
        cold = solver.solve(kT=KB * t_low, tol=numerics.tol, max_iter=numerics.max_iter)
    warm = cold if cold is not None and t > t_low else None
    res = solver.solve(kT=KB * t, warm_start=warm, tol=numerics.tol, max_iter=numerics.max_iter)
    if cold is None:
        cold = res
    keep = solver.omega <= OUTPUT_OMEGA_FACTOR * spec.omega_max
    phonon: dict[str, Any] = {
        "a2f": ("phonon_omega", spec.a2f, {"units": "1", "long_name": "alpha^2F"}),
    }
    if spec.f_dos is not None:
        phonon["f_dos"] = (
            "phonon_omega",
            spec.f_dos,
            {"units": "1/meV", "long_name": f"phonon DOS F ({mat.phonon_dos_source})"},
        )
    ds = xr.Dataset(
        {
            **phonon,
            "delta_real": (
                "omega",
                res.delta.real[keep],
                {"units": "meV", "long_name": "Re Delta"},
            ),
            "delta_imag": (
                "omega",
                res.delta.imag[keep],
                {"units": "meV", "long_name": "Im Delta"},
            ),
            "dos": (
                "omega",
                res.dos[keep],
                {"units": "1", "long_name": "quasi-particle DOS Re[w/sqrt(w^2-Delta^2)]"},
            ),
        },
        coords={
            "omega": ("omega", solver.omega[keep], {"units": "meV", "long_name": "energy"}),
            "phonon_omega": (
                "phonon_omega",
                spec.omega,
                {"units": "meV", "long_name": "phonon energy"},
            ),
        },
        attrs={
            **_attrs(mat),
            "temperature_K": float(t),
            "mu_star": mat.mu_star,
            "omega_c_meV": solver.omega_c,
            "step_meV": solver.step,
            "n_omega": solver.n,
            "eta_meV": res.eta,
        },
    )
    summary: dict[str, Any] = {
        "material": mat.name,
        "lambda": float(spec.lambda_),
        "omega_log_meV": float(spec.omega_log),
        "omega2_meV": float(spec.omega2),
        "allen_dynes_tc_K": float(mat.allen_dynes_tc()),
        "tc_eliashberg_K": float(tc),
        "delta0_meV": float(res.delta0),
        "temperature_K": float(t),
        "delta0_low_t_meV": float(cold.delta0),
        "two_delta0_over_kTc": float(2.0 * cold.delta0 / (KB * tc)) if tc > 0 else 0.0,
        "superconducting": bool(res.delta0 > 0),
    }
    summary.update({k: v for k, v in mat.summary().items() if k not in summary})
    if spec.file_lambda is not None:
        summary["file_lambda"] = float(spec.file_lambda)
    summary.update(
        {
            "grid_step_meV": float(solver.step),
            "grid_extent_meV": float(solver.omega_max),
            "grid_points": int(solver.n),
            "iterations": int(res.iterations),
        }
    )
    return ModelOutput(dataset=ds, summary=summary)


def plot(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """alpha^2F and F(omega); Re/Im Delta(omega) with the quasi-particle DOS."""
    import matplotlib.pyplot as plt

    name = ds.attrs["material"]
    fig1, ax = plt.subplots(figsize=(5.5, 3.6))
    w = ds["phonon_omega"].values
    ax.plot(w, ds["a2f"].values, label=r"$\alpha^2F$")
    ax.set_xlabel(r"$\omega$ (meV)")
    ax.set_ylabel(r"$\alpha^2F(\omega)$")
    ax.set_title(
        rf"{name}: $\lambda$ = {summary['lambda']:.3g}, $\omega_{{log}}$ = "
        f"{summary['omega_log_meV']:.3g} meV",
        fontsize=9,
    )
    if "f_dos" in ds:
        ax2 = ax.twinx()
        ax2.plot(w, ds["f_dos"].values, color="0.55", lw=0.8, label="F")
        ax2.set_ylabel(r"$F(\omega)$ (1/meV)" + f"\n{ds.attrs['phonon_dos_source']}", fontsize=8)
        ax2.set_ylim(bottom=0)
    ax.set_ylim(bottom=min(0.0, float(ds["a2f"].min())))
    ax.legend(frameon=False, loc="upper left")
    fig1.tight_layout()

    fig2, bx = plt.subplots(figsize=(5.5, 3.6))
    x = ds["omega"].values
    bx.plot(x, ds["delta_real"].values, label=r"Re $\Delta$")
    bx.plot(x, ds["delta_imag"].values, label=r"Im $\Delta$")
    bx.axhline(0, color="0.7", lw=0.6)
    bx.set_xlabel(r"$\omega$ (meV)")
    bx.set_ylabel(r"$\Delta(\omega)$ (meV)")
    bx.set_title(
        f"{name}, T = {ds.attrs['temperature_K']:.3g} K: "
        rf"$T_c$ = {summary['tc_eliashberg_K']:.3g} K, $\Delta_0$ = "
        f"{summary['delta0_meV']:.3g} meV, $\\mu^*$ = {summary['mu_star']:.4g}",
        fontsize=9,
    )
    bx.legend(frameon=False)
    bx2 = bx.twinx()
    bx2.plot(x, ds["dos"].values, color="0.6", lw=0.8)
    bx2.set_ylabel("DOS")
    bx2.set_ylim(0, 5)
    fig2.tight_layout()
    return {"spectra": fig1, "gap": fig2}


MODELS = [
    ModelSpec(
        name="material-properties",
        paper="001",
        description="A material card: lambda, omega_log, Allen-Dynes and Eliashberg T_c, "
        "Delta(omega), Delta_0, 2 Delta_0 / k_B T_c, mu* and its origin",
        params=MaterialPropertiesParams,
        numerics=MaterialPropertiesNumerics,
        run=run,
        plot=plot,
        check=lambda params, numerics: resolve(params.material, params.material_overrides) and None,
    ),
]
