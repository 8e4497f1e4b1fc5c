"""Optical conductivity of a superconductor: Mattis-Bardeen and Nam side by side.

Paper 001 (Simon et al., arXiv:2603.18182), main text after Eq. 2: the optical
response follows from sigma(omega) of a Kubo formula (its refs. 42-43, Nam 1967) and
the index n = sqrt(1 + i sigma/(eps0 omega)); SI Eqs. 10-14 (film, penetration
depth); SI Table 1 (rho_N). This model gives the equilibrium (or a given non-thermal)
conductivity that THz and infrared spectroscopists compare with:

* ``gap_model = "bcs"``: the gap Delta(T) of the BCS cutoff model
  (:mod:`photosc.cores.bcs`) at T = ``t_over_tc`` T_c; Mattis-Bardeen (dirty limit,
  sigma/sigma_N) and Nam with a finite impurity rate Gamma (sigma/sigma_0, with the
  Drude normal state sigma_0 Gamma/(Gamma - i omega));
* ``gap_model = "eliashberg"``: Delta(omega), Z(omega) of a material's alpha^2F
  (``material``, ``temperature``) from :mod:`photosc.cores.eliashberg`; Nam with the
  full complex gap next to Mattis-Bardeen with the gap edge Delta_0.

The quasi-particle occupation is thermal, or Bogoliubov-like n(E) = 1/(exp((E +
lambda)/kT) + 1) with lambda = ``lambda_over_delta`` x the thermal gap (paper 000
Eqs. 4-5; lambda < 0 adds quasi-particles, as after a pump); the gap is then the
self-consistent gap of that state (BCS: :func:`photosc.cores.bcs.solve_gap` with lam;
Eliashberg: the solver with the non-thermal f). The conductivity forms are those of
:mod:`photosc.cores.optics.mattis_bardeen_forms` and :mod:`photosc.cores.optics.nam`
(derived there; Mattis-Bardeen generalised to a non-thermal n(E)).

Frequencies: the spectral grid and ``probe_frequencies_over_delta`` are hbar*omega in
units of the gap Delta at the run's temperature (BCS: Delta(T); Eliashberg: the gap
edge Delta_0(T), omega = Re Delta(omega)). Nam conductivities in the summary are
normalised by the normal-state Re sigma_N(omega) at the same frequency (the Drude
sigma_0 Gamma^2/(Gamma^2 + omega^2) for the BCS model; for the Eliashberg model the
Nam form with Delta = 0 and the superconducting state's Z(omega), an approximation: a
normal-state solution at the same T would need the gap suppressed), which in the dirty
limit is the Mattis-Bardeen normalisation.

Index: n = sqrt(eps_inf + i sigma/(eps0 omega)) with ``eps_inf`` = 1 as in the paper
(the superconducting and free-carrier response dominates at THz frequencies; a
material's interband background can be given).

Film: a film of ``film_thickness`` on a substrate of index ``n_substrate`` in vacuum
(SI Eqs. 10-13 through :func:`photosc.cores.optics.films.stack`), with the Nam
conductivity in S/m from rho_N; also its normal state (Gamma fixed, Delta = 0), for the
transmission ratio T_s/T_n of THz experiments.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from photosc.cores import bcs, optics
from photosc.cores.optics import films
from photosc.cores.optics.occupations import Occupation
from photosc.errors import ConfigError
from photosc.foundation.distributions import bogoliubov
from photosc.foundation.units import KB, quantity
from photosc.materials import MaterialOverrides, MaterialRef, resolve
from photosc.models._base import ModelOutput, ModelSpec, Numerics, Params

#: Lowest frequency (units of Delta) of the sum-rule grid, where w sigma_2 gives D.
SUM_RULE_W_MIN = 1e-5
#: Highest frequency (units of Delta) of the sum-rule grid (the tail beyond is fitted).
SUM_RULE_W_MAX = 200.0


class OpticalConductivityParams(Params):
    """Physics parameters (paper 001: Kubo/Nam conductivity, SI Eqs. 10-14, SI Table 1)."""

    gap_model: Literal["bcs", "eliashberg"] = Field(
        "bcs", description="'bcs' (cutoff-model Delta(T)) or 'eliashberg' (material alpha^2F)"
    )
    t_over_tc: float = Field(0.5, ge=0, lt=1, description="T / T_c for gap_model = 'bcs'")
    coupling: float = Field(0.3, gt=0, le=10, description="BCS nu(0) U (gap_model = 'bcs')")
    cutoff: quantity("meV", gt=0) = Field("30 meV", description="BCS Debye energy, meV")
    material: MaterialRef = Field(
        "Pb",
        description="material of gap_model = 'eliashberg': built-in name, material card or "
        "alpha^2F file (alpha^2F, mu*, Coulomb cutoff)",
    )
    material_overrides: MaterialOverrides = Field(
        default_factory=dict, description="card fields to replace, with units"
    )
    temperature: quantity("K", ge=0) = Field(
        "2 K", description="temperature for gap_model = 'eliashberg', K"
    )
    lambda_over_delta: float = Field(
        0.0,
        ge=-20,
        le=20,
        description="Bogoliubov chemical potential lambda / Delta of n(E) (0: thermal)",
    )
    probe_frequencies_over_delta: list[float] = Field(
        [0.5, 1.0, 1.5, 2.0, 2.2, 2.5, 3.0, 4.0, 6.0, 10.0],
        min_length=1,
        description="probe photon energies hbar*omega / Delta for the summary lists",
    )
    scattering_rate: quantity("meV", gt=0) = Field(
        "100 meV", description="impurity scattering rate hbar/tau of the Nam form, meV"
    )
    rho_n: quantity("ohm * nm", gt=0) = Field(
        "350 ohm * nm",
        description="normal-state resistivity rho_N, Ohm nm (paper 001 SI Table 1: Pb 350)",
    )
    film_thickness: quantity("nm", gt=0) = Field("10 nm", description="film thickness, nm")
    n_substrate: float = Field(
        3.42, gt=0, description="real substrate index (3.42: high-resistivity Si at THz)"
    )
    eps_inf: float = Field(
        1.0,
        gt=0,
        description="background permittivity of the film (paper 001: 1; bound charges)",
    )

    @model_validator(mode="after")
    def _probes_positive(self) -> OpticalConductivityParams:
        bad = [x for x in self.probe_frequencies_over_delta if not (x > 0 and math.isfinite(x))]
        if bad:
            raise ValueError(f"probe_frequencies_over_delta must all be > 0, got {bad}")
        return self


class OpticalConductivityNumerics(Numerics):
    """Numerical options."""

    n_omega: int = Field(300, ge=10, le=100000, description="points of the spectral grid")
    omega_max_over_delta: float = Field(
        8.0, gt=2, le=1000, description="upper end of the spectral grid, units of Delta"
    )
    n_sum_rule: int = Field(
        600, ge=50, le=100000, description="log-spaced points of the sum-rule grid"
    )
    n_quad: int = Field(256, ge=16, le=4096, description="Gauss nodes per Mattis-Bardeen integral")
    n_quad_nam: int = Field(
        192,
        ge=16,
        le=4096,
        description="Gauss nodes per Nam piece (5 pieces); a tabulated Eliashberg gap at "
        "finite T needs ~192 for the sum rule to 0.3%",
    )
    energy_max_over_delta: float = Field(
        1e4, gt=10, description="Nam energy cutoff E_max / Delta (BCS model)"
    )


def _occupation(kt: float, lam: float) -> Occupation:
    if lam == 0.0:
        return optics.thermal_occupation(kt)
    return lambda e: bogoliubov(e, lam, kt)


def _bcs_state(params: OpticalConductivityParams) -> dict[str, Any]:
    g, w = params.coupling, params.cutoff
    ktc = bcs.critical_temperature(g, w)
    kt = params.t_over_tc * ktc
    delta_th = float(bcs.equilibrium_gap(np.array([kt]), g, w)[0])
    lam = params.lambda_over_delta * delta_th
    delta = delta_th
    if lam != 0.0:
        if kt == 0.0:
            raise ConfigError(
                "lambda_over_delta != 0 needs a temperature > 0 (t_over_tc > 0); got t_over_tc = 0"
            )
        # the gap of the non-thermal state itself (paper 000 Eq. 4), not the thermal one
        delta = float(bcs.solve_gap(g, w, kT=kt, lam=lam, delta_guess=delta_th).delta)
    return {
        "kt": kt,
        "lam": lam,
        "tc_K": ktc / KB,
        "delta": delta,
        "gap": optics.bcs_gap_function(delta),
        "energy_max": None,
    }


def _eliashberg_state(params: OpticalConductivityParams) -> dict[str, Any]:
    try:
        from photosc.cores import eliashberg
    except ImportError as exc:  # pragma: no cover - depends on the other core's presence
        raise ConfigError(
            f"gap_model = 'eliashberg' needs photosc.cores.eliashberg, not available: {exc}"
        ) from None
    mat = resolve(params.material, params.material_overrides)
    spec = mat.spectrum
    solver = eliashberg.EliashbergSolver(
        spec.omega, spec.a2f, mu_star=mat.mu_star, omega_c=mat.mu_star_cutoff
    )
    kt = params.temperature * KB
    res = solver.solve(kT=kt)
    lam = params.lambda_over_delta * float(res.delta0)
    if lam != 0.0:
        if kt == 0.0:
            raise ConfigError("lambda_over_delta != 0 needs temperature > 0 K")
        f = bogoliubov(solver.omega, lam, kt)
        res = solver.solve(kT=kt, f=f, warm_start=res)
    delta0 = float(res.delta0)
    if not delta0 > 0:
        raise ConfigError(
            f"temperature: {params.temperature} K (lambda_over_delta = "
            f"{params.lambda_over_delta}) leaves no gap in {mat.name}"
        )
    gap = optics.tabulated_gap_function(solver.omega, res.delta, res.z, edge=delta0)
    return {
        "kt": kt,
        "lam": lam,
        "tc_K": float(solver.critical_temperature()),
        "delta": delta0,
        "gap": gap,
        "energy_max": float(solver.omega[-1]),
    }


def run(params: OpticalConductivityParams, numerics: OpticalConductivityNumerics) -> ModelOutput:
    """sigma(omega) by Mattis-Bardeen and Nam, the sum rule, index, film R/T.

    Returns
    -------
    ModelOutput
        Dataset over ``omega`` (meV; coordinate ``omega_over_delta``): ``sigma1_mb``,
        ``sigma2_mb`` (sigma/sigma_N), ``sigma1_nam``, ``sigma2_nam``, ``sigma1_normal``,
        ``sigma2_normal`` (sigma/sigma_0), ``index_n``, ``index_k``,
        ``penetration_depth`` (nm), ``reflectance``, ``transmittance``,
        ``absorptance``, ``transmittance_normal``; summary lists ``sigma1_over_sigman``,
        ``sigma2_over_sigman`` (Mattis-Bardeen), ``sigma1_nam_over_sigman``,
        ``sigma2_nam_over_sigman`` at ``probe_frequencies_over_delta``, and
        ``fgt_sum_rule_ratio``, ``fgt_sum_rule_ratio_nam``, ``sigma2_low_frequency_ratio``,
        ``max_sigma1_below_2delta_at_t0``, ``sigma1_over_sigman_at_100_delta``,
        ``delta_meV``, ``tc_K``, ``temperature_K``.
    """
    state = _bcs_state(params) if params.gap_model == "bcs" else _eliashberg_state(params)
    kt, delta, gap = state["kt"], state["delta"], state["gap"]
    if not delta > 0:
        raise ConfigError(
            "the gap vanishes for these parameters (t_over_tc, lambda_over_delta); "
            "choose a lower temperature or a smaller quasi-particle excess"
        )
    lam = state["lam"]
    occ = _occupation(kt, lam)
    gamma = params.scattering_rate
    # energy scale of n(E) above the gap: thermal tail plus a shifted step for lam < 0
    e_tail = 2.0 * delta + max(0.0, -lam) + 60.0 * kt
    if state["energy_max"] is None:
        e_max_nam = numerics.energy_max_over_delta * delta
    else:
        e_max_nam = state["energy_max"]

    def mb(w: np.ndarray) -> np.ndarray:
        return optics.mattis_bardeen(
            w, delta, occ, energy_max=float(w.max()) + e_tail, n_quad=numerics.n_quad
        )

    def nam(w: np.ndarray, g: optics.GapFunction) -> np.ndarray:
        return optics.nam_conductivity(
            w, g, occ, gamma, energy_max=e_max_nam, n_quad=numerics.n_quad_nam
        )

    x = np.linspace(0.0, numerics.omega_max_over_delta, numerics.n_omega + 1)[1:]
    w = x * delta
    s_mb = mb(w)
    s_nam = nam(w, gap)
    if params.gap_model == "bcs":
        s_norm = optics.drude(w, gamma)
    else:
        normal = gap._replace(delta=lambda e: np.zeros(np.shape(e), dtype=complex), edge=0.0)
        s_norm = nam(w, normal)

    # sum rules on a log grid
    xs = np.geomspace(SUM_RULE_W_MIN, SUM_RULE_W_MAX, numerics.n_sum_rule)
    ws = xs * delta
    mb_s = mb(ws)
    fgt = optics.fgt_sum_rule_ratio(ws, mb_s.real, ws[0] * mb_s.imag[0])
    # low-frequency limit (pi Delta / w)(1 - 2 n(Delta)); tanh(Delta/2kT) when thermal
    h_edge = 1.0 - 2.0 * float(occ(np.array([delta]))[0])
    low_ratio = float(mb_s.imag[0] / (np.pi * delta / ws[0] * h_edge))
    nam_s = nam(ws, gap)
    norm_s = optics.drude(ws, gamma) if params.gap_model == "bcs" else nam(ws, normal)
    y = norm_s.real - nam_s.real
    area = ws[0] * y[0] + float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(ws)))
    fgt_nam = area / (0.5 * np.pi * ws[0] * nam_s.imag[0])

    # analytic-limit statements
    t0 = optics.mattis_bardeen(
        w[w < 2 * delta], delta, optics.thermal_occupation(0.0), energy_max=3 * delta
    )
    far = optics.mattis_bardeen(
        np.array([100.0 * delta]), delta, optics.thermal_occupation(kt), energy_max=110 * delta
    )

    # index and film (Nam conductivity in S/m)
    sig_si = films.conductivity_si(s_nam, params.rho_n)
    index = films.complex_index(sig_si, w, params.eps_inf)
    depth = films.penetration_depth(index, w)
    film = films.stack(index[:, None], [params.film_thickness], w, n_substrate=params.n_substrate)
    n_norm = films.complex_index(films.conductivity_si(s_norm, params.rho_n), w, params.eps_inf)
    film_n = films.stack(
        n_norm[:, None], [params.film_thickness], w, n_substrate=params.n_substrate
    )

    probes = np.asarray(params.probe_frequencies_over_delta, dtype=float) * delta
    p_mb = mb(probes)
    p_nam = nam(probes, gap)
    p_norm = optics.drude(probes, gamma) if params.gap_model == "bcs" else nam(probes, normal)

    def var(data: np.ndarray, units: str, long_name: str) -> tuple:
        return ("omega", np.asarray(data, dtype=float), {"units": units, "long_name": long_name})

    ds = xr.Dataset(
        {
            "sigma1_mb": var(s_mb.real, "1", "sigma_1 / sigma_N, Mattis-Bardeen"),
            "sigma2_mb": var(s_mb.imag, "1", "sigma_2 / sigma_N, Mattis-Bardeen"),
            "sigma1_nam": var(s_nam.real, "1", "sigma_1 / sigma_0, Nam"),
            "sigma2_nam": var(s_nam.imag, "1", "sigma_2 / sigma_0, Nam"),
            "sigma1_normal": var(s_norm.real, "1", "normal-state sigma_1 / sigma_0"),
            "sigma2_normal": var(s_norm.imag, "1", "normal-state sigma_2 / sigma_0"),
            "index_n": var(index.real, "1", "refractive index n (Nam)"),
            "index_k": var(index.imag, "1", "extinction coefficient kappa (Nam)"),
            "penetration_depth": var(depth, "nm", "penetration depth c/(2 omega kappa)"),
            "reflectance": var(film.reflectance, "1", "film reflectance R"),
            "transmittance": var(film.transmittance, "1", "film transmittance T"),
            "absorptance": var(film.absorptance, "1", "film absorptance 1 - R - T"),
            "transmittance_normal": var(
                film_n.transmittance, "1", "normal-state film transmittance T_n"
            ),
        },
        coords={
            "omega": ("omega", w, {"units": "meV", "long_name": "photon energy hbar omega"}),
            "omega_over_delta": (
                "omega",
                x,
                {"units": "1", "long_name": "photon energy / gap Delta"},
            ),
        },
        attrs={
            "model": "optical-conductivity",
            "gap_model": params.gap_model,
            "delta_meV": delta,
            "kT_meV": kt,
            "tc_K": state["tc_K"],
            "scattering_rate_meV": gamma,
            "rho_n_ohm_nm": params.rho_n,
        },
    )
    summary: dict[str, Any] = {
        "sigma1_over_sigman": [float(v) for v in p_mb.real],
        "sigma2_over_sigman": [float(v) for v in p_mb.imag],
        "sigma1_nam_over_sigman": [float(v) for v in p_nam.real / p_norm.real],
        "sigma2_nam_over_sigman": [float(v) for v in p_nam.imag / p_norm.real],
        "fgt_sum_rule_ratio": float(fgt),
        "fgt_sum_rule_ratio_nam": float(fgt_nam),
        "sigma2_low_frequency_ratio": low_ratio,
        "max_sigma1_below_2delta_at_t0": float(np.max(t0.real)) if t0.size else 0.0,
        "sigma1_over_sigman_at_100_delta": float(far.real[0]),
        "delta_meV": float(delta),
        "tc_K": float(state["tc_K"]),
        "temperature_K": float(kt / KB),
    }
    return ModelOutput(dataset=ds, summary=summary)


def plot(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """sigma_1/sigma_N and sigma_2/sigma_N versus omega/Delta; film transmission ratio."""
    import matplotlib.pyplot as plt

    x = ds["omega_over_delta"].values
    norm = ds["sigma1_normal"].values
    fig, ax = plt.subplots(figsize=(5.6, 3.8))
    ax.plot(x, ds["sigma1_mb"], "-", color="C0", lw=2, label=r"$\sigma_1/\sigma_N$ MB")
    ax.plot(x, ds["sigma2_mb"], "-", color="C3", lw=2, label=r"$\sigma_2/\sigma_N$ MB")
    ax.plot(x, ds["sigma1_nam"] / norm, "--", color="C0", lw=1.2, label=r"$\sigma_1$ Nam")
    ax.plot(x, ds["sigma2_nam"] / norm, "--", color="C3", lw=1.2, label=r"$\sigma_2$ Nam")
    ax.axvline(2.0, color="0.5", lw=0.8, ls=":")
    ax.set_ylim(0, 3)
    ax.set_xlabel(r"$\hbar\omega / \Delta$")
    ax.set_ylabel(r"$\sigma / \sigma_N$")
    ax.set_title(
        f"T = {summary['temperature_K']:.2f} K, Delta = {summary['delta_meV']:.3f} meV", fontsize=9
    )
    ax.legend(fontsize=8)
    fig.tight_layout()

    fig2, ax2 = plt.subplots(figsize=(5.6, 3.8))
    ax2.plot(x, ds["transmittance"] / ds["transmittance_normal"], color="C2")
    ax2.axvline(2.0, color="0.5", lw=0.8, ls=":")
    ax2.set_xlabel(r"$\hbar\omega / \Delta$")
    ax2.set_ylabel(r"$T_s / T_n$ (film on substrate)")
    fig2.tight_layout()
    return {"conductivity": fig, "film_transmission": fig2}


MODELS = [
    ModelSpec(
        name="optical-conductivity",
        paper="001",
        description=(
            "Mattis-Bardeen and Nam conductivity of a BCS or Eliashberg superconductor, "
            "index, penetration depth and film R/T (paper 001, Kubo formula, SI Eqs. 10-14)"
        ),
        params=OpticalConductivityParams,
        numerics=OpticalConductivityNumerics,
        run=run,
        plot=plot,
    )
]
