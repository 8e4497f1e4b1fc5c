"""Equilibrium Migdal-Eliashberg superconductivity on the real frequency axis (paper 001).

Paper 001 (Simon et al., arXiv:2603.18182) solves the isotropic Migdal-Eliashberg
equations in the constant-DOS approximation directly on the real frequency axis (main
text after Eq. 2; SI Sec. III, Fig. 6: the equilibrium gap Delta(omega) of Pb, LaH10,
K3C60 and CaC6; SI Table 1: T_c,0). The equations, their discretisation and the
mu* convention (sharp real-axis cutoff omega_c, the material card's ``mu_star_cutoff``;
5 x the highest phonon energy by default) are documented in :mod:`photosc.cores.eliashberg`;
the spectra (documented model spectra, not the paper's unpublished DFT ones) in
:mod:`photosc.cores.spectra.library`.

Two models:

``eliashberg-equilibrium``
    One material (built-in name, material card or alpha^2F file): Delta(omega),
    Z(omega) and the DOS at ``temperature``, the gap edge Delta_0(T) from 0.05 T_c to
    T_c (warm starts), T_c from the linearised equations. Summary: ``tc_K``,
    ``delta0_meV`` (gap edge at ``temperature``), ``lambda``, ``omega_log_meV``,
    ``two_delta0_over_kTc`` (with the gap edge at 0.05 T_c), plus ``allen_dynes_tc_K``,
    ``omega2_meV``, ``mu_star``.
``eliashberg-materials``
    The paper-001 materials with their documented mu*: Delta(omega) at the SI Fig. 6
    temperatures and T_c against SI Table 1.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field, field_validator

from photosc.cores.eliashberg import EliashbergResult, EliashbergSolver
from photosc.cores.spectra import Spectrum, builtin_names
from photosc.foundation.units import KB, quantity
from photosc.materials import MaterialOverrides, MaterialRef, resolve
from photosc.models._base import ModelOutput, ModelSpec, Numerics, Params

#: Lowest temperature of the Delta_0(T) curve, in units of T_c.
T_LOW_OVER_TC = 0.05
#: Largest energy written to the Dataset, in units of the highest phonon energy.
OUTPUT_OMEGA_FACTOR = 3.0


class EliashbergParams(Params):
    """Physics parameters of ``eliashberg-equilibrium``."""

    material: MaterialRef = Field(
        "Pb",
        description="built-in material (Pb, LaH10, K3C60, CaC6, Al, Nb), or a material card "
        "(.toml) or alpha^2F file path: alpha^2F, mu* and its Coulomb cutoff omega_c "
        "(photosc material NAME shows them)",
    )
    material_overrides: MaterialOverrides = Field(
        default_factory=dict,
        description="card fields to replace, with units (e.g. mu_star = 0.12, "
        "mu_star_cutoff = '60 meV')",
    )
    temperature: quantity("K", gt=0) = Field(
        "1 K", description="temperature of Delta(omega), Z(omega), DOS, K"
    )


class EliashbergNumerics(Numerics):
    """Numerical options of the real-axis solver."""

    n_omega: int = Field(4096, ge=256, le=200000, description="minimum real-frequency points")
    points_in_gap: float = Field(
        25.0, ge=5, le=1000, description="grid points below the expected gap edge"
    )
    n_temperatures: int = Field(30, ge=2, le=1000, description="points of the Delta_0(T) curve")
    tol: float = Field(1e-6, gt=0, lt=1e-2, description="relative tolerance on Delta(omega)")
    max_iter: int = Field(400, ge=10, le=100000, description="iterations per solve")


def _check_material(params: EliashbergParams, numerics: EliashbergNumerics) -> None:
    """Pre-flight check (ModelSpec.check): the material resolves (card, file, mu*)."""
    resolve(params.material, params.material_overrides)


def make_solver(
    spec: Spectrum, mu_star: float, cutoff: float, numerics: EliashbergNumerics
) -> EliashbergSolver:
    """Solver on W = omega_c = ``cutoff`` (meV), step <= expected gap / points_in_gap.

    The expected gap is 1.9 k_B T_AD (Allen-Dynes T_c with this mu*; at least 0.1 K).
    """
    w_top = cutoff
    tc_est = max(spec.allen_dynes_tc(mu_star), 0.1)
    step = min(w_top / numerics.n_omega, 1.9 * KB * tc_est / numerics.points_in_gap)
    return EliashbergSolver(spec.omega, spec.a2f, mu_star, omega_max=w_top, step=step)


def gap_curve(
    solver: EliashbergSolver, tc: float, numerics: EliashbergNumerics
) -> tuple[np.ndarray, np.ndarray, EliashbergResult]:
    """Delta_0(T) from T_LOW_OVER_TC T_c to T_c (K, meV); also the coldest result.

    Each solve starts from the linear extrapolation of the two previous Delta(omega).
    """
    temps = np.linspace(T_LOW_OVER_TC, 1.0, numerics.n_temperatures) * tc
    gaps = np.zeros_like(temps)
    hist: list[tuple[float, EliashbergResult]] = []
    for i, t in enumerate(temps[:-1]):
        r = solver.solve(
            kT=KB * t,
            warm_start=extrapolated_start(hist, t),
            tol=numerics.tol,
            max_iter=numerics.max_iter,
        )
        gaps[i] = r.delta0
        hist = hist + [(float(t), r)] if r.delta0 > 0 else []
    gaps[-1] = 0.0  # T_c itself: the linearised criterion
    cold = solver.solve(kT=KB * temps[0], tol=numerics.tol, max_iter=numerics.max_iter)
    return temps, gaps, cold


def extrapolated_start(hist: list[tuple[float, EliashbergResult]], t: float):
    """Warm start at temperature t (K) from the last two (T, result) pairs (linear in T)."""
    if not hist:
        return None
    if len(hist) == 1:
        return hist[-1][1]
    (ta, ra), (tb, rb) = hist[-2], hist[-1]
    return rb.delta + (rb.delta - ra.delta) * (t - tb) / (tb - ta)


def _omega_vars(res: EliashbergResult, keep: np.ndarray) -> dict[str, Any]:
    return {
        "delta_real": ("omega", res.delta.real[keep], {"units": "meV", "long_name": "Re Delta"}),
        "delta_imag": ("omega", res.delta.imag[keep], {"units": "meV", "long_name": "Im Delta"}),
        "z_real": ("omega", res.z.real[keep], {"units": "1", "long_name": "Re Z"}),
        "z_imag": ("omega", res.z.imag[keep], {"units": "1", "long_name": "Im Z"}),
        "dos": (
            "omega",
            res.dos[keep],
            {"units": "1", "long_name": "quasi-particle DOS Re[w/sqrt(w^2-Delta^2)]"},
        ),
    }


def run(params: EliashbergParams, numerics: EliashbergNumerics) -> ModelOutput:
    """T_c, Delta_0(T) and Delta(omega), Z(omega), DOS at ``temperature``.

    Returns
    -------
    ModelOutput
        Dataset: over ``omega`` (meV) ``delta_real``, ``delta_imag`` (meV), ``z_real``,
        ``z_imag``, ``dos``; over ``phonon_omega`` (meV) ``a2f``; over ``temperature``
        (K) ``gap_edge`` (meV). Summary keys listed in the module docstring.
    """
    mat = resolve(params.material, params.material_overrides)
    spec = mat.spectrum
    mu_star = mat.mu_star
    solver = make_solver(spec, mu_star, mat.mu_star_cutoff, numerics)
    tc = solver.critical_temperature()
    t = params.temperature
    if tc > 0:
        temps, gaps, cold = gap_curve(solver, tc, numerics)
        two_d_over_ktc = 2.0 * cold.delta0 / (KB * tc)
        warm = cold if t >= temps[0] else None
    else:
        temps, gaps = np.array([0.0, t]), np.zeros(2)
        two_d_over_ktc = 0.0
        warm = None
    res = solver.solve(kT=KB * t, warm_start=warm, tol=numerics.tol, max_iter=numerics.max_iter)
    keep = solver.omega <= OUTPUT_OMEGA_FACTOR * spec.omega_max
    ds = xr.Dataset(
        {
            **_omega_vars(res, keep),
            "a2f": ("phonon_omega", spec.a2f, {"units": "1", "long_name": "alpha^2F"}),
            "gap_edge": (
                "temperature",
                gaps,
                {"units": "meV", "long_name": "gap edge Delta_0(T)"},
            ),
        },
        coords={
            "omega": ("omega", solver.omega[keep], {"units": "meV", "long_name": "energy"}),
            "phonon_omega": (
                "phonon_omega",
                spec.omega,
                {"units": "meV", "long_name": "phonon energy"},
            ),
            "temperature": ("temperature", temps, {"units": "K", "long_name": "temperature"}),
        },
        attrs={
            "model": "eliashberg-equilibrium",
            "spectrum": spec.name,
            "spectrum_source": spec.source,
            "mu_star": mu_star,
            "omega_c_meV": solver.omega_c,
            "step_meV": solver.step,
            "n_omega": solver.n,
            "eta_meV": res.eta,
            "temperature_K": t,
        },
    )
    summary: dict[str, Any] = {
        "tc_K": float(tc),
        "delta0_meV": float(res.delta0),
        "lambda": float(spec.lambda_),
        "omega_log_meV": float(spec.omega_log),
        "omega2_meV": float(spec.omega2),
        "two_delta0_over_kTc": float(two_d_over_ktc),
        "allen_dynes_tc_K": float(spec.allen_dynes_tc(mu_star)),
        "mu_star": float(mu_star),
        "omega_c_meV": float(solver.omega_c),
        "superconducting": bool(res.delta0 > 0),
        "iterations": int(res.iterations),
    }
    return ModelOutput(dataset=ds, summary=summary)


def plot(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Re/Im Delta(omega) with the DOS, and Delta_0(T)."""
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.6))
    w = ds["omega"].values
    ax1.plot(w, ds["delta_real"].values, label=r"Re $\Delta$")
    ax1.plot(w, ds["delta_imag"].values, label=r"Im $\Delta$")
    ax1.set_xlabel(r"$\omega$ (meV)")
    ax1.set_ylabel(r"$\Delta(\omega)$ (meV)")
    ax1.set_title(f"{ds.attrs['spectrum']}, T = {ds.attrs['temperature_K']:g} K", fontsize=9)
    ax1.legend(frameon=False)
    ax1b = ax1.twinx()
    ax1b.plot(w, ds["dos"].values, color="0.6", lw=0.8)
    ax1b.set_ylabel("DOS")
    ax1b.set_ylim(0, 5)
    ax2.plot(ds["temperature"].values, ds["gap_edge"].values, "o-", ms=3)
    ax2.set_xlabel("temperature (K)")
    ax2.set_ylabel(r"$\Delta_0$ (meV)")
    ax2.set_title(
        rf"$T_c$ = {summary['tc_K']:.2f} K, $2\Delta_0/k_BT_c$ = "
        f"{summary['two_delta0_over_kTc']:.2f}",
        fontsize=9,
    )
    ax2.set_ylim(bottom=0)
    fig.tight_layout()
    return {"gap": fig}


# ----------------------------------------------------------------------------- materials
#: SI Table 1 of paper 001: T_c,0 (K).
TABLE1_TC_K = {"Pb": 8.0, "LaH10": 250.0, "K3C60": 15.0, "CaC6": 11.0}
#: SI Fig. 6 temperatures (K).
FIG6_T_K = {"Pb": 3.8, "LaH10": 77.0, "K3C60": 1.0, "CaC6": 1.0}


class MaterialsParams(Params):
    """Physics parameters of ``eliashberg-materials`` (each spectrum's documented mu*)."""

    materials: list[str] = Field(
        ["Pb", "LaH10", "K3C60", "CaC6"], min_length=1, description="built-in spectra"
    )
    temperatures: list[quantity("K", gt=0)] = Field(
        [3.8, 77.0, 1.0, 1.0], description="temperature of each Delta(omega), K (SI Fig. 6)"
    )

    @field_validator("materials")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        known = {n.lower(): n for n in builtin_names()}
        bad = [m for m in v if m.strip().lower() not in known]
        if bad:
            raise ValueError(f"unknown materials {bad}; allowed: {', '.join(builtin_names())}")
        return [known[m.strip().lower()] for m in v]


class MaterialsNumerics(Numerics):
    """Numerical options (as ``eliashberg-equilibrium``)."""

    n_omega: int = Field(4096, ge=256, le=200000, description="minimum real-frequency points")
    points_in_gap: float = Field(25.0, ge=5, le=1000, description="grid points below the gap")
    n_output: int = Field(
        600, ge=20, le=20000, description="points of each Delta(omega) on the output axis"
    )
    tol: float = Field(1e-6, gt=0, lt=1e-2, description="relative tolerance on Delta(omega)")
    max_iter: int = Field(400, ge=10, le=100000, description="iterations per solve")


def run_materials(params: MaterialsParams, numerics: MaterialsNumerics) -> ModelOutput:
    """Delta(omega) of each material and T_c against SI Table 1.

    Delta(omega) is written on ``omega_scaled`` = omega / omega_max (0 to 3) so that all
    materials share one coordinate; ``omega_max_meV`` gives each scale.
    """
    if len(params.temperatures) != len(params.materials):
        raise ValueError(
            f"temperatures has {len(params.temperatures)} entries, materials "
            f"{len(params.materials)}: give one temperature per material"
        )
    num = EliashbergNumerics(
        n_omega=numerics.n_omega,
        points_in_gap=numerics.points_in_gap,
        tol=numerics.tol,
        max_iter=numerics.max_iter,
    )
    x = np.linspace(0.0, OUTPUT_OMEGA_FACTOR, numerics.n_output)
    tcs, gaps, ratios, lams, wlogs, mus, wmax, table, dev = [], [], [], [], [], [], [], [], []
    re_d, im_d, dos = [], [], []
    for name, t in zip(params.materials, params.temperatures):
        mat = resolve(name)  # the built-in card: documented mu*, omega_c = 5 x omega_max
        spec = mat.spectrum
        mu = float(mat.mu_star)
        solver = make_solver(spec, mu, mat.mu_star_cutoff, num)
        tc = solver.critical_temperature()
        cold = solver.solve(kT=KB * T_LOW_OVER_TC * tc, tol=num.tol, max_iter=num.max_iter)
        res = solver.solve(kT=KB * t, warm_start=cold, tol=num.tol, max_iter=num.max_iter)
        w = x * spec.omega_max
        re_d.append(np.interp(w, solver.omega, res.delta.real))
        im_d.append(np.interp(w, solver.omega, res.delta.imag))
        dos.append(np.interp(w, solver.omega, res.dos))
        tcs.append(float(tc))
        gaps.append(float(res.delta0))
        ratios.append(float(2 * cold.delta0 / (KB * tc)))
        lams.append(float(spec.lambda_))
        wlogs.append(float(spec.omega_log))
        mus.append(mu)
        wmax.append(float(spec.omega_max))
        ref = TABLE1_TC_K.get(name, float(spec.tc_target_K or tc))
        table.append(float(ref))
        dev.append(float(tc / ref - 1.0))
    mat = ("material", np.arange(len(params.materials)), {"units": "1", "long_name": "index"})
    ds = xr.Dataset(
        {
            "delta_real": (
                ("material", "omega_scaled"),
                np.array(re_d),
                {"units": "meV", "long_name": "Re Delta(omega)"},
            ),
            "delta_imag": (
                ("material", "omega_scaled"),
                np.array(im_d),
                {"units": "meV", "long_name": "Im Delta(omega)"},
            ),
            "dos": (
                ("material", "omega_scaled"),
                np.array(dos),
                {"units": "1", "long_name": "quasi-particle DOS"},
            ),
            "tc": ("material", np.array(tcs), {"units": "K", "long_name": "T_c (real axis)"}),
            "tc_table": (
                "material",
                np.array(table),
                {"units": "K", "long_name": "T_c,0 SI Tab. 1"},
            ),
            "omega_max": (
                "material",
                np.array(wmax),
                {"units": "meV", "long_name": "highest phonon energy"},
            ),
            "temperature": (
                "material",
                np.asarray(params.temperatures, float),
                {"units": "K", "long_name": "temperature of Delta(omega)"},
            ),
        },
        coords={
            "material": mat,
            "omega_scaled": (
                "omega_scaled",
                x,
                {"units": "1", "long_name": "omega / highest phonon energy"},
            ),
        },
        attrs={"model": "eliashberg-materials", "materials": ",".join(params.materials)},
    )
    summary: dict[str, Any] = {
        "materials": ",".join(params.materials),
        "tc_K": tcs,
        "tc_table_K": table,
        "tc_relative_deviation": dev,
        "delta0_meV": gaps,
        "two_delta0_over_kTc": ratios,
        "lambda": lams,
        "omega_log_meV": wlogs,
        "mu_star": mus,
    }
    return ModelOutput(dataset=ds, summary=summary)


def plot_materials(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Re and Im Delta(omega) of each material (SI Fig. 6)."""
    import matplotlib.pyplot as plt

    names = ds.attrs["materials"].split(",")
    n = len(names)
    cols = min(n, 2)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.5 * cols, 3.2 * rows), squeeze=False)
    for i, name in enumerate(names):
        ax = axes[i // cols][i % cols]
        w = ds["omega_scaled"].values * float(ds["omega_max"].values[i])
        ax.plot(w, ds["delta_real"].values[i], label=r"Re $\Delta$")
        ax.plot(w, ds["delta_imag"].values[i], label=r"Im $\Delta$")
        ax.axhline(0, color="0.7", lw=0.6)
        ax.set_title(
            f"{name}, T = {float(ds['temperature'].values[i]):g} K, "
            f"T_c = {float(ds['tc'].values[i]):.1f} K",
            fontsize=9,
        )
        ax.set_xlabel(r"$\omega$ (meV)")
        ax.set_ylabel(r"$\Delta(\omega)$ (meV)")
    axes[0][0].legend(frameon=False)
    for j in range(n, rows * cols):
        axes[j // cols][j % cols].axis("off")
    fig.tight_layout()
    return {"gap_materials": fig}


MODELS = [
    ModelSpec(
        name="eliashberg-equilibrium",
        paper="001",
        description="Real-axis Migdal-Eliashberg: Delta(omega), Z(omega), DOS, Delta_0(T), T_c",
        params=EliashbergParams,
        numerics=EliashbergNumerics,
        run=run,
        plot=plot,
        check=_check_material,
    ),
    ModelSpec(
        name="eliashberg-materials",
        paper="001",
        description="Equilibrium gap Delta(omega) of Pb, LaH10, K3C60, CaC6 and T_c vs SI Table 1",
        params=MaterialsParams,
        numerics=MaterialsNumerics,
        run=run_materials,
        plot=plot_materials,
    ),
]
