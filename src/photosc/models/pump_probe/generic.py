"""Generic pump-probe model ``pump-probe``: any material, any sample, any measured quantity.

Paper 001 (Simon et al., arXiv:2603.18182) computes Fig. 2c (Pb, -dT/T0) and Fig. 2d
(LaH10, dR/R0) with one chain; this model runs that chain for a material card
(:mod:`photosc.materials`: alpha^2F, F, mu*, N(0), rho_N or the Drude pair, eps_inf):

1. pump: chi = 1 - R - T of the sample at the pump with sigma_N = 1/rho_N and
   E_abs = fluence_scale F_0 chi / d (main text after Eq. 3; d = ``pumped_depth``, by
   default the film thickness or delta_pump of a thick sample, SI Eq. 14)
   (:func:`photosc.pipeline.signal.pump_deposition`);
2. kinetics: Chang-Scalapino f(E, t), n(Omega, t) with dynamic phonons (SI Eqs. 4-5),
   phonon escape tau_esc (one value, or one per fluence as SI II.1 assigns them for
   LaH10) and the adiabatic real-axis Eliashberg gap (SI Eqs. 6-9)
   (:func:`photosc.pipeline.kinetics.run_kinetics`), with its energy budget; the runs
   (temperatures x fluences) are independent and go to ``numerics.workers`` processes;
3. conductivity at the probe energies: Mattis-Bardeen with Delta_0(t) and f(E, t), the
   Nam form with the full Delta(omega, t), Z(omega, t) and an impurity rate, or both
   (:mod:`photosc.pipeline.conductivity`);
4. sample optics: film on substrate, thick sample on its unpumped self, or a layered
   stack (:func:`photosc.pipeline.signal.sample_response`; SI Eqs. 10-13), optionally
   the depth-resolved film (:func:`photosc.pipeline.sample.depth_resolved_film`);
5. signal: dR/R0, dT/T0 (Eq. 3), sigma_1,2 / sigma_N or the probe penetration depth,
   with the optional substrate-reheating tail (SI II.1) and averaged by the Gaussian probe
   (SI II.2);
6. read-outs (:mod:`.readouts`): peak and recovery times with and without the tail, the
   gap's closed and recovery times, the slow component, their trends with temperature
   (Fig. 2c) and fluence (Fig. 2d), E_abs over the condensation energy.

Approximations: those of the paper's chain (isotropic Eliashberg, dirty-limit
Mattis-Bardeen or Born-impurity Nam form, homogeneous pumped layer or independent
slices). Sensitivity probes: alpha^2F and F scaled below an edge
(:func:`photosc.pipeline.kinetics.scaled_low_energy`). The Pb (Fig. 2c) and LaH10
(Fig. 2d) paper scenarios run on this model; it reproduces the per-material models it
replaced (tests/models/test_pump_probe_generic.py, against their stored [test]-grid
results).

Units: energies meV, times ps, lengths nm, fluence mJ/cm^2, temperatures K.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from pathlib import Path
from typing import Any, Literal

import numpy as np
import xarray as xr
from pydantic import Field, field_validator, model_validator

from photosc.cores import optics
from photosc.errors import ConfigError
from photosc.foundation.parallel import parallel_map_warned
from photosc.foundation.units import KB, quantity
from photosc.inputs.material_cards import MaterialOverrides
from photosc.models._base import FLOAT_BYTES, ModelOutput, ModelSpec, Params
from photosc.models.pump_probe._common import (
    _budget_summary,
    _budget_vars,
    _delays,
    _Kin,
    _plot_budget,
    _var,
)
from photosc.models.pump_probe.figures import plot_generic_sweep
from photosc.models.pump_probe.readouts import (
    fluence_trends,
    gap_timescales,
    nam_vs_mattis_bardeen,
    recovery_readouts,
    temperature_trends,
)
from photosc.models.pump_probe.sweep_summaries import summarize_generic_sweep
from photosc.pipeline import conductivity as pc
from photosc.pipeline import signal as psig
from photosc.pipeline.kinetics import KineticTrace, run_kinetics
from photosc.pipeline.sample import depth_resolved_film

__all__ = ["GENERIC_MODEL", "PumpProbeNumerics", "PumpProbeParams", "run_generic"]

#: Folder searched for a relative card path after the working directory: the built-in
#: scenarios, so that a shipped scenario can name a card shipped beside it.
SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"

#: Units and long names of the measured quantities.
_QUANTITY_UNITS = {
    "dR/R": ("1", "dR/R0"),
    "dT/T": ("1", "dT/T0"),
    "sigma1": ("1", "sigma_1 / sigma_N of the pumped layer"),
    "sigma2": ("1", "sigma_2 / sigma_N of the pumped layer"),
    "penetration-depth": ("nm", "probe penetration depth of the pumped layer"),
}


def material_path(ref: str) -> str:
    """``ref`` as :func:`photosc.materials.load_material` takes it: a built-in name or an
    existing path as given, else a path relative to the built-in scenarios folder.

    Raises
    ------
    ValueError
        If it is none of these (pydantic turns it into the field's ConfigError).
    """
    from photosc.materials import builtin_material_names

    text = str(ref).strip()
    if text.lower() in {n.lower() for n in builtin_material_names()}:
        return text
    if Path(text).expanduser().is_file():
        return text
    beside = SCENARIO_DIR / text
    if beside.is_file():
        return str(beside)
    raise ValueError(
        f"{text!r} is neither a built-in material ({', '.join(builtin_material_names())}) "
        f"nor an existing card or alpha^2F file (looked in the working directory and in "
        f"{SCENARIO_DIR})"
    )


class PumpProbeParams(Params):
    """Any material's pump-probe trace (the chain of paper 001 Fig. 2c, 2d)."""

    material: str = Field(
        "Pb",
        description=(
            "built-in material name, or a material card (.toml) / alpha^2F file path "
            "(relative paths: the working directory, then the built-in scenarios folder)"
        ),
    )
    material_overrides: MaterialOverrides = Field(
        default_factory=dict, description="card fields to replace, with units"
    )
    temperature: list[quantity("K", gt=0)] = Field(
        [4.0], min_length=1, description="bath temperature(s), K (one value or a list)"
    )
    pump_photon_energy: quantity("meV", gt=0) = Field("1500 meV", description="omega_pump, meV")
    pump_injection_energy: quantity("meV", ge=0) = Field(
        "0 meV", description="photon energy used in the kinetics, meV (0: omega_pump)"
    )
    pump_duration: quantity("ps", gt=0) = Field("2 ps", description="tau_pump (FWHM), ps")
    fluence: list[quantity("mJ/cm^2", ge=0)] = Field(
        ["5e-7 mJ/cm^2"], min_length=1, description="F_0, mJ/cm^2 (one value or a list)"
    )
    probe_photon_energy: list[quantity("meV", gt=0)] = Field(
        ["5 meV"],
        min_length=1,
        description="omega_pr, meV (one value, or a list for a transient spectrum)",
    )
    probe_duration: quantity("ps", gt=0) = Field("200 ps", description="probe FWHM, ps")
    tau_esc: list[quantity("ps", gt=0)] = Field(
        ["500 ps"],
        min_length=1,
        description=(
            "phonon escape time, ps (one value, or one per fluence: paper 001 uses a longer "
            "escape time at a larger fluence for LaH10)"
        ),
    )
    pumped_depth: quantity("nm", ge=0) = Field(
        "0 nm",
        description=(
            "depth over which the absorbed fluence is spread, nm: E_abs = fluence_scale F_0 "
            "chi / pumped_depth (paper 001 after Eq. 3); 0: the film thickness, or a thick "
            "sample's pump penetration depth delta_pump (SI Eq. 14)"
        ),
    )
    fluence_scale: float = Field(
        1.0,
        gt=0,
        description=(
            "effective over incident fluence (1: the paper): scales the deposited energy, "
            "e.g. to scan E_abs against the condensation energy"
        ),
    )
    slow_fit_start: quantity("ps", ge=0) = Field(
        "0 ps",
        description=(
            "earliest start of the slow-component fits, ps (slow_component_ps starts no "
            "earlier than one probe FWHM after the 90 % gap recovery; "
            "slow_component_from_fit_start_ps starts here)"
        ),
    )
    t_end: quantity("ps", gt=0) = Field("8000 ps", description="last delay, ps")
    geometry: Literal["film-on-substrate", "thick", "stack"] = Field(
        "film-on-substrate",
        description=(
            "sample: a film on a substrate, a thick sample (pumped layer on the unpumped "
            "material), or a film on non-absorbing layers on a substrate"
        ),
    )
    film_thickness: quantity("nm", gt=0) = Field(
        "10 nm", description="pumped film (or thick sample's pumped layer) thickness, nm"
    )
    n_ambient: float = Field(1.0, gt=0, description="index of the incidence medium")
    n_substrate_pump: float = Field(3.7, gt=0, description="substrate index at the pump")
    n_substrate_probe: float = Field(3.42, gt=0, description="substrate index at the probe")
    layer_thicknesses: list[quantity("nm", gt=0)] = Field(
        [], description="stack: thicknesses of the layers between film and substrate, nm"
    )
    layer_indices: list[float] = Field(
        [], description="stack: real indices of those layers (same length)"
    )
    observable: Literal["dR/R", "dT/T", "sigma1", "sigma2", "penetration-depth"] = Field(
        "dT/T", description="measured quantity"
    )
    depth_resolved: bool = Field(
        False, description="also the depth-resolved film (numerics.n_slices slices)"
    )
    scattering_rate: quantity("meV", ge=0) = Field(
        "0 meV",
        description=(
            "impurity scattering rate of the Nam form, meV (0: the material's "
            "scattering_rate, or the Drude value from rho_N and the plasma energy)"
        ),
    )
    reheating_tail_amplitude: float = Field(
        0.0,
        ge=0,
        description=(
            "substrate-reheating tail (paper 001 SI II.1): amplitude relative to the "
            "unconvolved peak, added before the probe convolution (0: no tail)"
        ),
    )
    reheating_tail_decay: quantity("ps", gt=0) = Field(
        "3000 ps", description="decay constant of the reheating tail, ps"
    )
    alpha2f_low_scale: float = Field(
        1.0,
        gt=0,
        le=10,
        description=(
            "factor on alpha^2F below alpha2f_low_edge (1: the material's): a sensitivity "
            "probe of recombination at 2 Delta (phonon number kept)"
        ),
    )
    phonon_dos_low_scale: float = Field(
        1.0,
        gt=0,
        le=10,
        description=(
            "factor on the phonon DOS F below alpha2f_low_edge at fixed alpha^2F (1: the "
            "material's): 2 Delta phonons break pairs 1/factor times faster (SI Eq. 5)"
        ),
    )
    alpha2f_low_edge: quantity("meV", ge=0) = Field(
        "0 meV",
        description=(
            "upper end of the scaled alpha^2F / F range, meV (> 0 when a low-energy scale is not 1)"
        ),
    )

    @field_validator("temperature", "fluence", "probe_photon_energy", "tau_esc", mode="before")
    @classmethod
    def _one_or_list(cls, v: Any) -> Any:
        return v if isinstance(v, list | tuple) else [v]

    @field_validator("material")
    @classmethod
    def _material(cls, v: str) -> str:
        material_path(v)  # found (the value is kept as written: results stay portable)
        return v

    @model_validator(mode="after")
    def _layers(self) -> PumpProbeParams:
        if len(self.layer_thicknesses) != len(self.layer_indices):
            raise ValueError(
                f"layer_thicknesses ({len(self.layer_thicknesses)} values) and layer_indices "
                f"({len(self.layer_indices)} values) must have the same length"
            )
        if self.geometry == "stack" and not self.layer_thicknesses:
            raise ValueError("geometry = 'stack' needs at least one layer (layer_thicknesses)")
        if self.geometry != "stack" and self.layer_thicknesses:
            raise ValueError(f"layer_thicknesses are for geometry = 'stack', not {self.geometry!r}")
        if any(not n > 0 for n in self.layer_indices):
            raise ValueError(f"layer_indices must be > 0, got {self.layer_indices}")
        if len(self.tau_esc) not in (1, len(self.fluence)):
            raise ValueError(
                f"tau_esc needs one value or one per fluence ({len(self.fluence)}), got "
                f"{len(self.tau_esc)}"
            )
        if not self.slow_fit_start < self.t_end:
            raise ValueError(
                f"slow_fit_start ({self.slow_fit_start} ps) must be before t_end ({self.t_end} ps)"
            )
        scaled = self.alpha2f_low_scale != 1.0 or self.phonon_dos_low_scale != 1.0
        if scaled and not self.alpha2f_low_edge > 0:
            raise ValueError(
                "alpha2f_low_edge must be > 0 meV when alpha2f_low_scale or "
                f"phonon_dos_low_scale is not 1, got {self.alpha2f_low_edge} meV"
            )
        if self.depth_resolved and self.geometry == "stack":
            raise ValueError(
                "depth_resolved = true is available for 'film-on-substrate' and 'thick'"
            )
        return self


class PumpProbeNumerics(_Kin):
    """Kinetic numerics plus the conductivity form and the depth resolution."""

    conductivity: Literal["mattis-bardeen", "nam", "both"] = Field(
        "mattis-bardeen",
        description=(
            "probe conductivity: 'mattis-bardeen' (dirty BCS limit with Delta_0(t)), "
            "'nam' (Kubo/Nam form with the Eliashberg Delta(omega, t), Z(omega, t)), or "
            "'both' (Mattis-Bardeen primary, Nam beside it with the prefix nam_)"
        ),
    )
    n_quad_nam: int = Field(192, ge=16, le=4096, description="Gauss nodes per Nam panel")
    dense_until: quantity("ps", gt=0) = Field(
        "50 ps", description="end of the dense delay sampling after the pump, ps"
    )
    n_slices: int = Field(8, ge=1, le=200, description="slices of the depth-resolved film")
    workers: int = Field(
        0,
        ge=0,
        le=512,
        description=(
            "processes for the independent kinetic runs (temperatures x fluences) and the "
            "slices (0: all cores, 1: in-process; inside a sweep worker: in-process)"
        ),
    )
    scheduler: str = Field(
        "", description="Dask scheduler address for the runs and slices (empty: local)"
    )

    memory_fields = ("grid_step", "e_max", "n_times", "n_slices")

    def estimated_bytes(self, params: Params) -> int:
        """The recorded f(E, t) of every kinetic run, twice (optics copy): one run per
        temperature and fluence, plus n_slices each when depth-resolved. A lower bound."""
        w = params.pump_injection_energy or params.pump_photon_energy
        n_qp = math.ceil(max(self.e_max, w + 10 * self.grid_step) / self.grid_step - 1e-9)
        runs = len(params.temperature) * len(params.fluence)
        runs *= 1 + (self.n_slices if params.depth_resolved else 0)
        return FLOAT_BYTES * 2 * self.n_times * n_qp * runs


def _material(params: PumpProbeParams) -> Any:
    """The resolved Material, with the data the chain needs (ConfigError otherwise)."""
    from photosc.materials import load_material

    mat = load_material(material_path(params.material), params.material_overrides or None)
    mat.require("n0_per_ev_nm3", "phonon_dos", needed_by="pump-probe")
    if mat.normal_state_resistivity() is None:
        raise ConfigError(
            f"material {mat.name!r}: pump-probe needs the normal-state resistivity: give "
            "rho_n, or plasma_energy and scattering_rate, in the card or material_overrides"
        )
    return mat


def _check(params: PumpProbeParams, numerics: PumpProbeNumerics) -> None:
    """Pre-flight: the material resolves and has what the chain needs."""
    mat = _material(params)
    if numerics.conductivity != "mattis-bardeen" and _scattering_rate(params, mat) is None:
        raise ConfigError(
            f"scattering_rate = 0 meV and material {mat.name!r} has no scattering_rate or "
            "plasma_energy; allowed: a rate > 0 meV, or a card with them (Nam form)"
        )


def _scattering_rate(params: PumpProbeParams, mat: Any) -> float | None:
    if params.scattering_rate > 0:
        return float(params.scattering_rate)
    return mat.drude_scattering_rate()


def _spectrum(mat: Any) -> Any:
    """The material's spectrum carrying its mu* and Coulomb cutoff (the kinetics reads them
    from the spectrum)."""
    sp = mat.spectrum
    if sp.mu_star == mat.mu_star and sp.mu_star_cutoff == mat.mu_star_cutoff:
        return sp
    return dataclasses.replace(
        sp, mu_star=mat.mu_star, mu_star_cutoff=mat.mu_star_cutoff, _cache={}
    )


def _sample(params: PumpProbeParams, eps_inf: float) -> psig.Sample:
    return psig.Sample(
        geometry=params.geometry,
        thickness=params.film_thickness,
        n_ambient=params.n_ambient,
        n_substrate_pump=params.n_substrate_pump,
        n_substrate_probe=params.n_substrate_probe,
        layer_thicknesses=tuple(params.layer_thicknesses),
        layer_indices=tuple(params.layer_indices),
        eps_inf=eps_inf,
    )


def _forms(numerics: PumpProbeNumerics) -> list[str]:
    """Conductivity forms to compute, the primary first."""
    if numerics.conductivity == "both":
        return ["mattis-bardeen", "nam"]
    return [numerics.conductivity]


def _one_run(
    tr: KineticTrace,
    params: PumpProbeParams,
    numerics: PumpProbeNumerics,
    form: str,
    sample: psig.Sample,
    rho: float,
    w_inj: float,
    gamma: float | None,
    temperature: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(raw, displayed, no tail) measured quantity (n_t, n_w) of one kinetic trace at
    ``temperature`` (K; a thick sample's unpumped substrate is thermal) with the
    conductivity ``form`` ("mattis-bardeen" or "nam").

    raw: before the probe convolution, no tail; displayed: probe-convolved, with the
    reheating tail (SI II.1, :func:`photosc.cores.optics.reheating_tail`, added to the raw
    change before the convolution, as paper 001 does) if ``reheating_tail_amplitude`` > 0;
    no tail: probe-convolved without it (the convolution is linear, so displayed - no
    tail is the convolved tail)."""
    w_pr = np.asarray(params.probe_photon_energy, dtype=float)
    if form == "nam":
        s = pc.probe_conductivity_nam(tr, w_pr, gamma, numerics.n_quad_nam, (w_inj, 2 * w_inj))
    else:
        s = pc.probe_conductivity(tr, w_pr, numerics.n_quad, (w_inj, 2 * w_inj))
    n_sub = None
    if sample.geometry == "thick":
        n_sub = pc.equilibrium_index(w_pr, rho, tr.delta0[0], KB * temperature, sample.eps_inf)
    ft = psig.sample_response(
        optics.conductivity_si(s, rho)[..., None], [params.film_thickness], w_pr, sample, n_sub
    )
    raw = psig.measured_signal(params.observable, ft, s)
    bare = psig.convolve_probe(tr.time, raw, params.probe_duration)
    if not params.reheating_tail_amplitude > 0:
        return raw, bare, bare
    base = raw[:1] if params.observable in _CHANGE_FROM_START else 0.0
    change = raw - base
    tailed = np.stack(
        [
            optics.reheating_tail(
                tr.time,
                change[:, k],
                amplitude=params.reheating_tail_amplitude,
                decay=params.reheating_tail_decay,
            )
            if np.max(np.abs(change[:, k])) > 0
            else change[:, k]
            for k in range(change.shape[1])
        ],
        axis=1,
    )
    return raw, psig.convolve_probe(tr.time, tailed + base, params.probe_duration), bare


def _spectrum_for_run(params: PumpProbeParams, mat: Any) -> Any:
    """The material's spectrum with the low-energy scalings of ``params`` (1: unchanged;
    :func:`photosc.pipeline.kinetics.scaled_low_energy`)."""
    from photosc.pipeline.kinetics import scaled_low_energy

    return scaled_low_energy(
        _spectrum(mat),
        params.alpha2f_low_scale,
        params.alpha2f_low_edge,
        params.phonon_dos_low_scale,
    )


def _kinetics_job(sp: Any, item: tuple[float, float, float], **kw: Any) -> KineticTrace:
    """One kinetic run at (temperature K, absorbed energy density meV/nm^3, phonon escape
    time ps) with the keywords of :func:`photosc.pipeline.kinetics.run_kinetics`."""
    temp, e_abs, tau_esc = item
    return run_kinetics(sp, temp, energy_density=e_abs, tau_esc=tau_esc, **kw)


def _tau_esc(params: PumpProbeParams) -> list[float]:
    """The phonon escape time of each fluence, ps."""
    taus = [float(t) for t in params.tau_esc]
    return taus * len(params.fluence) if len(taus) == 1 else taus


def run_generic(params: PumpProbeParams, numerics: PumpProbeNumerics) -> ModelOutput:
    """The pump-probe trace of any material (the chain of paper 001 Eqs. 1-3, SI II).

    Returns
    -------
    ModelOutput
        Dataset over (temperature, fluence, probe_energy, time): ``signal`` (the measured
        quantity, probe-convolved, with the reheating tail if any: the displayed
        signal), ``signal_raw`` (before the convolution, no tail), ``signal_no_tail``
        (convolved, no tail; with a tail only), with conductivity "both" the same three
        with suffix ``_nam`` (Nam form; ``signal`` etc. are Mattis-Bardeen's), with
        ``depth_resolved``: ``signal_depth_resolved``; over (temperature, fluence,
        time): ``delta0`` (meV) and the energy budget ``energy_absorbed``,
        ``energy_exchanged``, ``energy_gap_work``, ``energy_stored``,
        ``energy_budget_error`` (meV/nm^3), ``pairing_eigenvalue`` where provided.
        Summary: ``material``, ``observable``, ``signal_units``, ``geometry``,
        ``conductivity_form`` (the primary), ``absorbed_fraction``, ``pump_depth_nm``,
        ``pumped_depth_nm``, ``energy_density_meV_nm3`` (per fluence),
        ``injection_energy_meV``, ``delta0_equilibrium_meV`` (per temperature),
        ``min_delta0_meV`` (``[T][F]``); the read-outs of
        :func:`.readouts.recovery_readouts` (``[T][F][w]``: peak, 1/e recovery of the
        displayed signal and without the tail, exponential fit, tail fraction; for
        sigma_1,2 and the penetration depth of the change from the pre-pump value) and
        :func:`.readouts.temperature_trends` (``[F][w]``); ``lambda``,
        ``delta0_1K_meV`` and ``kaplan_tau0_at_2delta_ps`` (Kaplan's tau_0 at
        2 Delta_0(1 K) with the material's T_c, where it has one) of the spectrum used,
        ``alpha2f_low_scale``, ``phonon_dos_low_scale``; ``energy_budget_error``
        (largest), ``energy_budget_error_per_run`` and ``pairing_eigenvalue_max`` (``[T][F]``);
        with the Nam form ``scattering_rate_meV``; with "both" every read-out and trend
        with prefix ``nam_`` and :func:`.readouts.nam_vs_mattis_bardeen`.
    """
    mat = _material(params)
    sp = _spectrum_for_run(params, mat)
    rho = float(mat.normal_state_resistivity())
    eps_inf = 1.0 if mat.eps_inf is None else float(mat.eps_inf)
    sample = _sample(params, eps_inf)
    forms = _forms(numerics)
    gamma = _scattering_rate(params, mat) if "nam" in forms else None
    from photosc.cores.kinetics.pump import absorbed_energy_density

    dep = psig.pump_deposition(sample, params.pump_photon_energy, rho)
    depth = params.pumped_depth or dep.pumped_depth
    e_abs = [
        absorbed_energy_density(params.fluence_scale * f, dep.absorbed_fraction, depth)
        for f in params.fluence
    ]
    taus = _tau_esc(params)
    w_inj = params.pump_injection_energy or params.pump_photon_energy
    delays = _delays(
        params.pump_duration,
        params.t_end,
        numerics.n_times,
        numerics.dense_until,
        2 * params.probe_duration,
    )
    # the kinetic runs are independent: on worker processes (numerics.workers), each
    # bit for bit the in-process run, their warnings re-issued here
    run = functools.partial(
        _kinetics_job,
        sp,
        n0_per_ev_nm3=mat.n0_per_ev_nm3,
        injection_energy=w_inj,
        tau_pump=params.pump_duration,
        delays=delays,
        step=numerics.grid_step,
        e_max=numerics.e_max,
        rtol=numerics.rtol,
        gap_tol=numerics.gap_tol,
    )
    items = [
        (float(t), float(e), float(tau)) for t in params.temperature for e, tau in zip(e_abs, taus)
    ]
    traces = parallel_map_warned(
        run,
        items,
        workers=numerics.workers or None,
        scheduler=numerics.scheduler or None,
        desc=f"{mat.name} kinetics",
    )
    sig: dict[str, dict[str, list]] = {f: {"raw": [], "conv": [], "bare": []} for f in forms}
    deep, slices = [], []
    fls = [float(f) for t in params.temperature for f in params.fluence]
    for (temp, _, tau), fl, tr in zip(items, fls, traces):
        for form in forms:
            out = _one_run(tr, params, numerics, form, sample, rho, w_inj, gamma, temp)
            for kind, x in zip(("raw", "conv", "bare"), out):
                sig[form][kind].append(x)
        if params.depth_resolved:
            conv, sl = _deep(
                params, numerics, sample, sp, mat, rho, dep, temp, fl, tau, w_inj, delays, tr
            )
            deep.append(conv)
            slices.append(sl)
    shape = (len(params.temperature), len(params.fluence))
    ds = _dataset(params, delays, shape, sig, deep, traces)
    ds.attrs.update(
        model="pump-probe",
        material=mat.name,
        absorbed_fraction=dep.absorbed_fraction,
        injection_energy_meV=w_inj,
        conductivity=numerics.conductivity,
    )
    summary = _summary(params, numerics, ds, mat, sp, dep, e_abs, w_inj, traces, gamma, slices)
    return ModelOutput(dataset=ds, summary=summary)


def _deep(
    params: PumpProbeParams,
    numerics: PumpProbeNumerics,
    sample: psig.Sample,
    sp: Any,
    mat: Any,
    rho: float,
    dep: psig.Deposition,
    temp: float,
    fl: float,
    tau_esc: float,
    w_inj: float,
    delays: np.ndarray,
    tr: KineticTrace,
) -> tuple[np.ndarray, list[KineticTrace]]:
    """Probe-convolved measured quantity (n_t, n_w) of the depth-resolved film, and the
    slices' kinetics: the film (or 3 delta_pump of a thick sample) in
    ``numerics.n_slices`` slices, each with its own kinetics at its share of the pump
    (Mattis-Bardeen; issue 8)."""
    w_pr = np.asarray(params.probe_photon_energy, dtype=float)
    thick = sample.geometry == "thick"
    dr = depth_resolved_film(
        sp,
        temp,
        n0_per_ev_nm3=mat.n0_per_ev_nm3,
        rho_n=rho,
        omega_pump=params.pump_photon_energy,
        injection_energy=w_inj,
        tau_pump=params.pump_duration,
        fluence=params.fluence_scale * fl,
        tau_esc=tau_esc,
        delays=delays,
        probe=w_pr,
        depth=3.0 * dep.pump_depth if thick else params.film_thickness,
        n_slices=numerics.n_slices,
        n_ambient=params.n_ambient,
        numerics=numerics,
        n_substrate_pump=None if thick else params.n_substrate_pump,
        eps_inf=sample.eps_inf,
        label=f"{mat.name} slices",
    )
    n_sub = None
    if thick:
        n_sub = pc.equilibrium_index(w_pr, rho, tr.delta0[0], KB * temp, sample.eps_inf)
    ft = psig.sample_response(dr.sigma, dr.thickness, w_pr, sample, n_sub)
    s_top = dr.sigma[..., 0] * rho * 1e-9  # S/m x Ohm m: sigma / sigma_N of the top slice
    conv = psig.convolve_probe(
        tr.time, psig.measured_signal(params.observable, ft, s_top), params.probe_duration
    )
    return conv, list(dr.traces)


def _dataset(params, delays, shape, sig, deep, traces) -> xr.Dataset:
    """Assemble the (temperature, fluence, probe_energy, time) dataset."""
    n_t, n_w = len(delays), len(params.probe_photon_energy)

    def grid(x: list) -> np.ndarray:  # runs of (n_t, n_w) -> (T, F, w, t)
        return np.moveaxis(np.array(x).reshape(*shape, n_t, n_w), -1, -2)

    units, long_name = _QUANTITY_UNITS[params.observable]
    d4 = ("temperature", "fluence", "probe_energy", "time")
    d3 = ("temperature", "fluence", "time")
    tail = params.reheating_tail_amplitude > 0
    data = {}
    for form, suffix, label in (("mattis-bardeen", "", ""), ("nam", "_nam", " (Nam form)")):
        if form not in sig:
            continue
        if len(sig) == 1:
            suffix = label = ""
        s = sig[form]
        shown = f"{long_name}{label}, probe-convolved" + (" + reheating tail" if tail else "")
        data[f"signal{suffix}"] = _var(d4, grid(s["conv"]), units, shown)
        data[f"signal_raw{suffix}"] = _var(
            d4, grid(s["raw"]), units, f"{long_name}{label} before the probe convolution"
        )
        if tail:
            data[f"signal_no_tail{suffix}"] = _var(
                d4, grid(s["bare"]), units, f"{long_name}{label}, probe-convolved, no tail"
            )
    data["delta0"] = _var(
        d3, np.array([t.delta0 for t in traces]).reshape(*shape, n_t), "meV", "Delta_0"
    )
    if deep:
        data["signal_depth_resolved"] = _var(
            d4, grid(deep), units, f"{long_name} of the depth-resolved film, probe-convolved"
        )
    for key, (_, arr, attrs) in _budget_vars(traces, ("run", "time")).items():
        data[key] = (d3, np.asarray(arr).reshape(*shape, n_t), attrs)
    return xr.Dataset(
        data,
        coords={
            "temperature": _var(("temperature",), params.temperature, "K", "bath temperature"),
            "fluence": _var(("fluence",), params.fluence, "mJ/cm^2", "incident fluence F_0"),
            "probe_energy": _var(
                ("probe_energy",), params.probe_photon_energy, "meV", "probe photon energy"
            ),
            "time": _var(("time",), delays, "ps", "pump-probe delay"),
        },
        attrs={"observable": params.observable, "geometry": params.geometry},
    )


#: Observables read as a change from their pre-pump value (dR/R0, dT/T0 are changes).
_CHANGE_FROM_START = ("sigma1", "sigma2", "penetration-depth")


def _change(params, signal: np.ndarray) -> np.ndarray:
    """The signal as a change from its pre-pump value (dR/R0, dT/T0 are changes already)."""
    return signal - signal[..., :1] if params.observable in _CHANGE_FROM_START else signal


def _readouts(params, ds, suffix: str = "") -> dict[str, Any]:
    """Recovery read-outs and temperature trends of one conductivity form's signals."""
    time = ds["time"].values
    shown = ds[f"signal{suffix}"].values
    bare = ds[f"signal_no_tail{suffix}"].values if f"signal_no_tail{suffix}" in ds else shown
    shown, bare = _change(params, shown), _change(params, bare)
    reads = recovery_readouts(time, shown, bare, params.probe_duration)
    return {**reads, **temperature_trends(reads, list(params.temperature))}


def _summary(
    params, numerics, ds, mat, sp, dep, e_abs, w_inj, traces, gamma, slices
) -> dict[str, Any]:
    """Summary keys of :func:`run_generic` (units in the names)."""
    from photosc.pipeline.kinetics import eliashberg_solver, kaplan_tau0

    d0 = ds["delta0"].values
    main = _readouts(params, ds)
    gaps = gap_timescales(
        ds["time"].values,
        _change(params, ds["signal"].values),
        d0,
        params.probe_duration,
        params.slow_fit_start,
    )
    # BCS estimate N(0) Delta_0^2 / 2 (single-spin N(0); the equilibrium gap edge at each
    # temperature; no strong-coupling or thermal corrections)
    e_cond = [0.5 * 1e-3 * mat.n0_per_ev_nm3 * float(d0[i, 0, 0]) ** 2 for i in range(len(d0))]
    d0_low = float(eliashberg_solver(sp, numerics.grid_step).solve(kT=1.0 * KB).delta0)
    tc = mat.tc_K
    n_t, n_f = len(params.temperature), len(params.fluence)
    budget = _budget_summary(traces, per="run", extra=[t for sl in slices for t in sl])
    out: dict[str, Any] = {
        "material": mat.name,
        "observable": params.observable,
        "signal_units": _QUANTITY_UNITS[params.observable][0],
        "geometry": params.geometry,
        "conductivity_form": _forms(numerics)[0],
        "temperatures_K": [float(t) for t in params.temperature],
        "fluences_mJ_cm2": [float(f) for f in params.fluence],
        "probe_energies_meV": [float(w) for w in params.probe_photon_energy],
        "absorbed_fraction": float(dep.absorbed_fraction),
        "pump_depth_nm": float(dep.pump_depth),
        "pumped_depth_nm": float(params.pumped_depth or dep.pumped_depth),
        "energy_density_meV_nm3": [float(e) for e in e_abs],
        "injection_energy_meV": float(w_inj),
        "delta0_equilibrium_meV": [float(d0[i, 0, 0]) for i in range(d0.shape[0])],
        "min_delta0_meV": [
            [float(np.min(d0[i, j])) for j in range(d0.shape[1])] for i in range(d0.shape[0])
        ],  # fmt: skip
        **main,
        **gaps,
        **fluence_trends(gaps, list(params.fluence)),
        "final_delta0_meV": d0[:, :, -1].tolist(),
        "tau_esc_ps": _tau_esc(params),
        "fluence_scale": float(params.fluence_scale),
        "condensation_energy_meV_nm3": e_cond,
        "absorbed_over_condensation_energy": [
            [e / c if c > 0 else 0.0 for e in e_abs] for c in e_cond
        ],
        "lambda": float(sp.lambda_),
        "delta0_1K_meV": d0_low,
        "alpha2f_low_scale": float(params.alpha2f_low_scale),
        "phonon_dos_low_scale": float(params.phonon_dos_low_scale),
        "energy_budget_error": budget["energy_budget_error"],
        "energy_budget_error_per_run": np.reshape(
            budget["energy_budget_error_per_run"], (n_t, n_f)
        ).tolist(),
    }
    tau0 = kaplan_tau0(sp, 2.0 * d0_low, float(tc)) if tc and d0_low > 0 else math.inf
    if math.isfinite(tau0):  # inf: no alpha^2F at 2 Delta_0 (no Debye coefficient b there)
        out["kaplan_tau0_at_2delta_ps"] = 1000.0 * tau0
    if "pairing_eigenvalue_max" in budget:
        out["pairing_eigenvalue_max"] = np.reshape(
            budget["pairing_eigenvalue_max"], (n_t, n_f)
        ).tolist()
        out["pairing_eigenvalue_max_time_ps"] = np.reshape(
            budget["pairing_eigenvalue_max_time_ps"], (n_t, n_f)
        ).tolist()
    if gamma is not None:
        out["scattering_rate_meV"] = float(gamma)
    if "signal_depth_resolved" in ds:
        deep = ds["signal_depth_resolved"].values
        d_peak = np.take_along_axis(deep, np.argmax(np.abs(deep), axis=-1)[..., None], -1)[..., 0]
        out["depth_resolved_peak_signal"] = d_peak.tolist()
        out["depth_resolved_over_single_peak"] = (d_peak / np.asarray(main["peak_signal"])).tolist()
        out["depth_resolved_max_difference"] = float(np.max(np.abs(deep - ds["signal"].values)))
        out["depth_resolved_energy_budget_error"] = np.reshape(
            [max(float(t.energy_budget_error) for t in sl) for sl in slices], (n_t, n_f)
        ).tolist()
    if numerics.conductivity == "both":
        nam = _readouts(params, ds, "_nam")
        out.update({f"nam_{k}": v for k, v in nam.items()})
        out.update(
            nam_vs_mattis_bardeen(
                ds["signal"].values,
                ds["signal_nam"].values,
                main["peak_signal"],
                nam["peak_signal"],
            )
        )
    return out


def plot_generic(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Signal versus delay (every temperature, fluence and probe energy; without the
    reheating tail dotted and the Nam form dashed where computed), Delta_0(t) and the
    energy budget."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, figsize=(6.5, 8.0), sharex=True)
    time = ds["time"].values
    k = 0
    for t in ds["temperature"].values:
        for f in ds["fluence"].values:
            for w in ds["probe_energy"].values:
                at = dict(temperature=t, fluence=f, probe_energy=w)
                c = f"C{k % 10}"
                s = ds["signal"].sel(at).values
                axes[0].plot(time, s, color=c, label=f"{t:g} K, {f:g} mJ/cm2, {w:g} meV")
                if "signal_no_tail" in ds:
                    axes[0].plot(time, ds["signal_no_tail"].sel(at).values, ":", color=c, lw=1.0)
                if "signal_nam" in ds:
                    axes[0].plot(time, ds["signal_nam"].sel(at).values, "--", color=c, lw=0.9)
                k += 1
            axes[1].plot(time, ds["delta0"].sel(temperature=t, fluence=f).values)
    extra = "; dotted: no tail" if "signal_no_tail" in ds else ""
    extra += "; dashed: Nam" if "signal_nam" in ds else ""
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
    return {"signal": fig}


GENERIC_MODEL = ModelSpec(
    name="pump-probe",
    paper="001",
    description=(
        "pump-probe trace (dR/R, dT/T, sigma_1,2, penetration depth) of any material card: "
        "kinetics, Mattis-Bardeen or Nam conductivity, film/thick/stack optics, probe"
    ),
    params=PumpProbeParams,
    numerics=PumpProbeNumerics,
    run=run_generic,
    plot=plot_generic,
    check=_check,
    summarize_sweep=summarize_generic_sweep,
    plot_sweep=plot_generic_sweep,
)


MODELS = [GENERIC_MODEL]
