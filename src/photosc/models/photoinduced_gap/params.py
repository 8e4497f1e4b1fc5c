"""Parameters of the photo-induced-gap models (paper 001) and the material they name.

:class:`PumpParams` and :class:`PumpNumerics` are shared by every model of the package;
:func:`resolve_material` turns the spectrum and material fields into a :class:`Material`
(alpha^2F, F, mu*, Coulomb cutoff, SI Table 1 N(0) and ion density N).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import ClassVar, Literal, NamedTuple

import numpy as np
from pydantic import Field, field_validator, model_validator

from photosc.cores.spectra import Spectrum, builtin, builtin_names
from photosc.errors import ConfigError
from photosc.foundation.units import quantity
from photosc.inputs.spectrum_files import read_spectrum
from photosc.models._base import FLOAT_BYTES, Numerics, Params


def _check_spectrum_name(v: str) -> str:
    if v.strip().lower() in {n.lower() for n in builtin_names()}:
        return v
    if Path(v).expanduser().is_file():
        return v
    raise ValueError(
        f"spectrum={v!r} is neither a built-in ({', '.join(builtin_names())}) nor an existing file"
    )


class PumpParams(Params):
    """Parameters shared by every photo-induced-gap model (paper 001)."""

    spectrum: str = Field(
        "K3C60", description="built-in spectrum (K3C60, CaC6, Pb, LaH10, Al, Nb) or a file path"
    )
    spectrum_units: str = Field(
        "", description="frequency unit of a spectrum file without one in its header; '' = file"
    )
    mu_star: float = Field(
        -1.0,
        ge=-1,
        lt=1,
        description="Coulomb pseudopotential (sharp real-axis cutoff, see the eliashberg core); "
        "-1 = the built-in spectrum's documented value (reproduces SI Table 1 T_c0)",
    )
    mu_star_cutoff: quantity("meV", ge=0) = Field(
        0.0, description="Coulomb cutoff omega_c, meV; 0 = the built-in spectrum's (5 x omega_max)"
    )
    n0_per_ev_nm3: float = Field(
        0.0, ge=0, description="single-spin N(0), 1/(eV nm^3); 0 = SI Table 1 of the built-in"
    )
    n_ion_nm3: float = Field(
        0.0, ge=0, description="ion density N, 1/nm^3; 0 = SI Table 1 of the built-in"
    )
    pump_duration: quantity("ps", gt=0) = Field(
        "300 fs", description="FWHM tau_pump of the Gaussian intensity envelope, ps"
    )
    pump_delay: quantity("ps", gt=0) = Field(
        "0.6 ps", description="time of the pulse maximum after the start of the run, ps"
    )
    absorbed_fraction: float = Field(
        0.5, gt=0, le=1, description="chi = 1 - R - T of the pump (paper 001 text before Fig. 3)"
    )
    pump_depth: quantity("nm", gt=0) = Field(
        "200 nm", description="pumped depth d (pump penetration depth), nm"
    )
    tau_esc: quantity("ps", gt=0) = Field("500 ps", description="phonon escape time, ps")
    duration: quantity("ps", gt=0) = Field("3 ps", description="simulated time, ps")
    phonon_dos: Literal["spectrum", "from_a2f"] = Field(
        "spectrum",
        description="F(omega) of the dynamic phonons: 'spectrum' (the built-in's F); "
        "'from_a2f': F = 3 alpha^2F / int alpha^2F (constant alpha^2; for a user's "
        "EPW/QE file, which has no F)",
    )
    pump_form: Literal["classical", "printed"] = Field(
        "printed",
        description="'classical': the core's classical-field drive (absorption + stimulated "
        "emission + pair processes); 'printed': paper 001's printed absorption-only term",
    )

    _name = field_validator("spectrum")(lambda cls, v: _check_spectrum_name(v))

    @model_validator(mode="after")
    def _delay_inside(self) -> PumpParams:
        if not self.pump_delay < self.duration:
            raise ValueError(
                f"pump_delay={self.pump_delay} ps must be before the end of the run "
                f"(duration={self.duration} ps)"
            )
        return self


class PumpNumerics(Numerics):
    """Numerical options of the pump runs."""

    step: quantity("meV", gt=0) = Field(
        "0.5 meV", description="energy step h of the kinetic and Eliashberg grids, meV"
    )
    e_max_over_pump: float = Field(
        3.2, ge=1.5, le=20, description="quasi-particle grid top / pump photon energy"
    )
    n_times: int = Field(61, ge=3, le=5000, description="recorded times")
    rtol: float = Field(1e-3, gt=0, lt=0.1, description="relative tolerance of the integrator")
    atol: float = Field(1e-7, gt=0, lt=1e-2, description="absolute tolerance of the integrator")
    gap_tol: float = Field(
        1e-4, gt=0, lt=0.1, description="weighted change of f, n that triggers a gap update"
    )
    gap_every_step: bool = Field(False, description="solve the gap after every step")
    normal_check_tol: float = Field(
        1e-3,
        ge=0,
        lt=0.5,
        description="in the normal state, re-check for a gap (seeded Eliashberg solve) only "
        "after this weighted change of f, n (0: at every gap update)",
    )
    gap_seed: quantity("meV", gt=0) = Field(
        "1 meV", description="trial gap of an Eliashberg solve from the normal state, meV"
    )
    gap_threshold: quantity("meV", gt=0) = Field(
        "0.02 meV", description="Delta_0 above which the state counts as gapped, meV"
    )
    eliashberg_tol: float = Field(1e-6, gt=0, lt=1e-2, description="Eliashberg convergence")
    calibration_rtol: float = Field(
        0.01, gt=0, lt=0.5, description="relative tolerance of the deposited-energy match"
    )
    n_output_energy: int = Field(
        600, ge=20, le=20000, description="largest number of energies written per spectrum"
    )

    # ---------------------------------------------------------------------------- one pump run

    memory_fields: ClassVar[tuple[str, ...]] = ("step", "e_max_over_pump", "n_times")

    def estimated_bytes(self, params: Params) -> int:
        """Kinetic grid (e_max / step bins) times ~40 work arrays plus the recorded f and n
        (n_times x bins); the pump energy is the largest the parameters name."""
        pumps = [getattr(params, "pump_energy", 0.0), *getattr(params, "pump_energies", [])]
        e_max = self.e_max_over_pump * max(float(x) for x in pumps) if pumps else 0.0
        bins = max(e_max, 500.0) / self.step
        return int(FLOAT_BYTES * bins * (40 + 2 * self.n_times))


class Material(NamedTuple):
    """Resolved material data: spectrum, mu*, cutoff (meV), N(0) 1/(meV nm^3), N 1/nm^3."""

    spectrum: Spectrum
    mu_star: float
    omega_c: float
    n0_per_mev_nm3: float
    n_ion_nm3: float


def resolve_material(params: PumpParams) -> Material:
    """The spectrum and material data named by ``params`` (clear error naming a missing one)."""
    name = params.spectrum
    if name.strip().lower() in {n.lower() for n in builtin_names()}:
        spec = builtin(name)
    else:
        spec = read_spectrum(Path(name).expanduser(), units=params.spectrum_units or None)
    mat = spec.material
    mu = params.mu_star if params.mu_star >= 0 else spec.mu_star
    if mu is None:
        raise ConfigError(f"mu_star: spectrum {name!r} has no documented mu*; give mu_star >= 0")
    wc = params.mu_star_cutoff or spec.mu_star_cutoff or 5.0 * spec.omega_max
    n0 = params.n0_per_ev_nm3 or (mat.n0_per_ev_nm3 if mat else 0.0)
    nion = params.n_ion_nm3 or (mat.n_ion_nm3 if mat else 0.0)
    if not n0 > 0:
        raise ConfigError(f"n0_per_ev_nm3: spectrum {name!r} has no SI Table 1 N(0); give it > 0")
    if not nion > 0:
        raise ConfigError(f"n_ion_nm3: spectrum {name!r} has no ion density; give it > 0")
    if params.phonon_dos == "from_a2f":
        a = np.maximum(spec.a2f, 0.0)
        norm = float(np.trapezoid(a, spec.omega))
        if not norm > 0:
            raise ConfigError(f"spectrum: {name!r} has no positive alpha^2F to build F from")
        spec = dataclasses.replace(spec, f_dos=3.0 * a / norm, _cache={})
    if spec.f_dos is None:
        raise ConfigError(
            f"phonon_dos: spectrum {name!r} has no phonon DOS F(omega), needed for the "
            "dynamic phonons; use phonon_dos = 'from_a2f' (constant alpha^2)"
        )
    return Material(spec, float(mu), float(wc), n0 * 1e-3, float(nion))


def _check_material(params: PumpParams, numerics: PumpNumerics) -> None:
    """Pre-flight check (ModelSpec.check): the spectrum, its phonon DOS and material data."""
    resolve_material(params)


class GapTransientParams(PumpParams):
    """Parameters of ``photoinduced-gap`` (paper 001 Fig. 3)."""

    temperatures: list[float] = Field(
        [20.0, 30.0, 50.0], min_length=1, description="bath temperatures, K (each > 0)"
    )
    pump_energy: quantity("meV", gt=0) = Field("170 meV", description="pump photon energy, meV")
    fluence: quantity("mJ/cm^2", ge=0) = Field(
        "1.1 mJ/cm^2", description="incident fluence F_0, mJ/cm^2"
    )

    @field_validator("temperatures")
    @classmethod
    def _positive(cls, v: list[float]) -> list[float]:
        bad = [x for x in v if not (math.isfinite(x) and x > 0)]
        if bad:
            raise ValueError(f"temperatures must all be > 0 K, got {bad}")
        return v


class FluenceParams(PumpParams):
    """Parameters of ``photoinduced-gap-fluence`` (paper 001 SI Fig. 8)."""

    temperatures: list[float] = Field(
        [30.0, 120.0, 60.0], min_length=1, description="temperature of each case, K"
    )
    pump_energies: list[float] = Field(
        [170.0, 79.0, 50.0], min_length=1, description="pump photon energy of each case, meV"
    )
    fluences: list[float] = Field(
        [0.3, 1.0, 2.0, 5.0, 10.0], min_length=2, description="incident fluences F_0, mJ/cm^2"
    )
    saturation_level: float = Field(
        0.9, gt=0, le=1, description="saturation: max Delta_0 reaches this fraction of its top"
    )

    @model_validator(mode="after")
    def _cases(self) -> FluenceParams:
        if len(self.temperatures) != len(self.pump_energies):
            raise ValueError(
                f"temperatures ({len(self.temperatures)}) and pump_energies "
                f"({len(self.pump_energies)}) must have the same length (one per case)"
            )
        if any(not x > 0 for x in self.temperatures + self.pump_energies):
            raise ValueError("temperatures (K) and pump_energies (meV) must all be > 0")
        if any(not x > 0 for x in self.fluences) or sorted(self.fluences) != self.fluences:
            raise ValueError(f"fluences must be > 0 mJ/cm^2 and increasing, got {self.fluences}")
        return self


class DistributionParams(PumpParams):
    """Parameters of ``nonthermal-distributions`` (paper 001 Fig. 4, SI Figs. 9-11)."""

    temperature: quantity("K", gt=0) = Field("30 K", description="bath temperature, K")
    pump_energy: quantity("meV", gt=0) = Field("170 meV", description="pump photon energy, meV")
    fluence: quantity("mJ/cm^2", ge=0) = Field("1.1 mJ/cm^2", description="fluence F_0, mJ/cm^2")
    delta_omega_max: quantity("meV", gt=0) = Field(
        "100 meV", description="largest omega of the recorded Re Delta(omega, t), meV"
    )


class MapParams(PumpParams):
    """Parameters of one point of ``photoinduced-gap-map`` (swept: pump_energy, fluence)."""

    temperature: quantity("K", gt=0) = Field("30 K", description="bath temperature, K")
    pump_energy: quantity("meV", gt=0) = Field("170 meV", description="pump photon energy, meV")
    fluence: quantity("mJ/cm^2", ge=0) = Field("1 mJ/cm^2", description="fluence F_0, mJ/cm^2")
