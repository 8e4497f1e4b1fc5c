"""Parameters and numerics of the generic pump-probe model ``pump-probe``.

What a user sets (:class:`PumpProbeParams`: material card, temperatures, pump, fluences,
probe energies or a transient spectrum, delays, sample geometry, measured quantity) and
how it is resolved (:class:`PumpProbeNumerics`: kinetic grid, integrator tolerance,
conductivity form, depth slices, workers), with the derived probe energies and record
times. The run itself is :func:`photosc.models.pump_probe.generic.run_generic`.

Units: energies meV, times ps, lengths nm, fluence mJ/cm^2, temperatures K.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from photosc.foundation.units import quantity
from photosc.inputs.material_cards import MaterialOverrides, MaterialRef
from photosc.models._base import FLOAT_BYTES, Params
from photosc.models.pump_probe._common import _delays, _Kin

__all__ = [
    "QUANTITY_UNITS",
    "PumpProbeNumerics",
    "PumpProbeParams",
    "conductivity_forms",
    "escape_times",
    "probe_energies",
    "record_times",
]

#: Units and long names of the measured quantities.
QUANTITY_UNITS = {
    "dR/R": ("1", "dR/R0"),
    "dT/T": ("1", "dT/T0"),
    "sigma1": ("1", "sigma_1 / sigma_N of the pumped layer"),
    "sigma2": ("1", "sigma_2 / sigma_N of the pumped layer"),
    "penetration-depth": ("nm", "probe penetration depth of the pumped layer"),
}


class PumpProbeParams(Params):
    """Any material's pump-probe trace (the chain of paper 001 Fig. 2c, 2d)."""

    material: MaterialRef = Field(
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
    probe_energy_range: list[quantity("meV", gt=0)] = Field(
        [],
        description=(
            "transient spectrum: lowest and highest probe energy, meV; numerics."
            "n_probe_energies log-spaced energies replace probe_photon_energy (empty: "
            "probe_photon_energy)"
        ),
    )
    probe_duration: quantity("ps", gt=0) = Field("200 ps", description="probe FWHM, ps")
    delays: list[quantity("ps")] = Field(
        [],
        description=(
            "record the state at these delays only, ps (strictly increasing; one pre-pump "
            "delay is added before them); empty: dense through the pump, log-spaced to t_end"
        ),
    )
    reference_temperature: quantity("K", ge=0) = Field(
        "0 K",
        description=(
            "also the equilibrium conductivity at this temperature, K, e.g. a gapped "
            "state below T_c as the reference of a transient spectrum (0: none)"
        ),
    )
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
        rng = self.probe_energy_range
        if rng:
            if len(rng) != 2 or not rng[1] > rng[0]:
                raise ValueError(
                    "probe_energy_range needs two energies, lowest then highest, got "
                    f"{self.probe_energy_range} meV"
                )
            if "probe_photon_energy" in self.model_fields_set:
                raise ValueError("give probe_photon_energy or probe_energy_range, not both")
        d = list(self.delays)
        if any(b <= a for a, b in zip(d, d[1:])):
            raise ValueError(f"delays must be strictly increasing, got {d} ps")
        if d and not d[-1] > -3.0 * self.pump_duration:
            raise ValueError(
                f"delays must reach past the pump's onset (-3 pump_duration = "
                f"{-3.0 * self.pump_duration:g} ps), got {d} ps"
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
    n_probe_energies: int = Field(
        60, ge=2, le=5000, description="probe energies of a probe_energy_range spectrum"
    )
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
        n_t = len(params.delays) + 1 if params.delays else self.n_times
        return FLOAT_BYTES * 2 * n_t * n_qp * runs


def probe_energies(params: PumpProbeParams, numerics: PumpProbeNumerics) -> np.ndarray:
    """The probe photon energies (meV): ``probe_photon_energy``, or
    ``numerics.n_probe_energies`` log-spaced over ``probe_energy_range``."""
    if params.probe_energy_range:
        lo, hi = params.probe_energy_range
        return np.geomspace(lo, hi, numerics.n_probe_energies)
    return np.asarray(params.probe_photon_energy, dtype=float)


def record_times(params: PumpProbeParams, numerics: PumpProbeNumerics) -> np.ndarray:
    """The kinetics' record times (ps): ``params.delays`` after one pre-pump delay
    (-max(3 tau_pump, 2 probe FWHM), or the first delay if earlier), or the automatic
    sampling (dense through the pump up to ``dense_until``, log-spaced to ``t_end``)."""
    pre = max(3.0 * params.pump_duration, 2.0 * params.probe_duration)
    if params.delays:
        first = min(-pre, float(params.delays[0]))
        return np.unique(np.concatenate([[first], np.asarray(params.delays, dtype=float)]))
    return _delays(
        params.pump_duration,
        params.t_end,
        numerics.n_times,
        numerics.dense_until,
        2 * params.probe_duration,
    )


def conductivity_forms(numerics: PumpProbeNumerics) -> list[str]:
    """Conductivity forms to compute, the primary first."""
    if numerics.conductivity == "both":
        return ["mattis-bardeen", "nam"]
    return [numerics.conductivity]


def escape_times(params: PumpProbeParams) -> list[float]:
    """The phonon escape time of each fluence, ps."""
    taus = [float(t) for t in params.tau_esc]
    return taus * len(params.fluence) if len(taus) == 1 else taus
