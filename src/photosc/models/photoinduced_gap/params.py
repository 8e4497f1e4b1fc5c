"""Parameters of the photo-induced-gap models (paper 001) and the material they name.

:class:`PumpParams` and :class:`PumpNumerics` are shared by every model of the package;
:func:`resolve_material` turns the material (a built-in name or a card,
:mod:`photosc.materials`) into the :class:`Material` tuple the runs use (alpha^2F, F, mu*,
Coulomb cutoff, N(0) and ion density N).
"""

from __future__ import annotations

import math
from typing import ClassVar, Literal, NamedTuple

from pydantic import Field, field_validator, model_validator

from photosc.cores.spectra import Spectrum
from photosc.foundation.units import quantity
from photosc.materials import MaterialOverrides, MaterialRef, resolve
from photosc.models._base import FLOAT_BYTES, Numerics, Params


class PumpParams(Params):
    """Parameters shared by every photo-induced-gap model (paper 001)."""

    material: MaterialRef = Field(
        "K3C60",
        description="built-in material (K3C60, CaC6, Pb, LaH10, Al, Nb), or a material card "
        "(.toml) or alpha^2F file path; it gives alpha^2F, F(omega), mu*, the Coulomb cutoff, "
        "N(0) and the ion density (photosc material NAME shows them)",
    )
    material_overrides: MaterialOverrides = Field(
        default_factory=dict,
        description="card fields to replace, with units (e.g. mu_star = 0.1, "
        "n0 = '12 1/(eV nm^3)', phonon_dos = 'derived from alpha^2F')",
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
    pump_form: Literal["classical", "printed"] = Field(
        "printed",
        description="'classical': the core's classical-field drive (absorption + stimulated "
        "emission + pair processes); 'printed': paper 001's printed absorption-only term",
    )

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

    workers: int = Field(
        0,
        ge=0,
        le=512,
        description=(
            "processes for independent pump runs (temperatures, fluences; 0: all cores, "
            "1: in-process; inside a sweep worker: in-process)"
        ),
    )
    scheduler: str = Field("", description="Dask scheduler address for the runs (empty: local)")

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
    """The material data the pump runs need, from ``params.material`` and its overrides.

    Raises
    ------
    ConfigError
        A material without N(0), ion density or phonon DOS F(omega) (an alpha^2F file
        has none: give ``phonon_dos = 'derived from alpha^2F'`` in the card or the
        overrides), or a bad card (one error naming the field).
    """
    mat = resolve(params.material, params.material_overrides)
    mat.require(
        "n0_per_ev_nm3", "n_ion_nm3", "phonon_dos", needed_by="the photo-induced-gap models"
    )
    spec = mat.spectrum
    return Material(
        spec,
        float(mat.mu_star),
        float(mat.mu_star_cutoff),
        mat.n0_per_ev_nm3 * 1e-3,
        float(mat.n_ion_nm3),
    )


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
