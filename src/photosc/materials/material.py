"""The :class:`Material` object: everything a model needs to know about one superconductor.

A material bundles (issue 15, section 1)

* the Eliashberg function alpha^2F(omega) and, where known, the phonon density of states
  F(omega), as one :class:`~photosc.cores.spectra.Spectrum` (meV), with a line saying
  where F comes from (:data:`PHONON_DOS_SOURCES`);
* the Coulomb pseudopotential mu* with its sharp real-axis cutoff omega_c (meV), in the
  convention of :mod:`photosc.cores.eliashberg`, and how mu* was obtained ("given" or
  calibrated to a T_c with the real-axis solver, :mod:`photosc.materials.calibration`);
* the known or target T_c (K);
* N(0), the single-spin electronic density of states at the Fermi level, 1/(eV nm^3), and
  the ion density N, 1/nm^3 (paper 001, SI Table 1; they enter the kinetic equations,
  SI Eqs. 4-5, and the deposited-energy calibration of the pump);
* the normal-state optics: the resistivity rho_N (Ohm nm; paper 001, SI Table 1) and/or
  the Drude plasma energy hbar omega_p and scattering rate Gamma = hbar / tau (meV),
  related by the Drude formula (:func:`drude_resistivity`), and the background
  permittivity eps_inf of n = sqrt(eps_inf + i sigma / (eps_0 omega)) (paper 001, main
  text after Eq. 2);
* a source line for every number (``sources``: field -> text).

Everything here is pure (no file I/O): cards are read by
:mod:`photosc.inputs.material_cards`. Bad values raise
:class:`~photosc.errors.ConfigError` naming the material, the field, the value and what
is allowed.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from photosc.cores.spectra import Spectrum
from photosc.errors import ConfigError
from photosc.foundation.units import E_CHARGE, EPS0, HBAR

__all__ = [
    "DRUDE_RTOL",
    "FIELD_UNITS",
    "Material",
    "PHONON_DOS_SOURCES",
    "drude_plasma_energy",
    "drude_resistivity",
    "drude_scattering_rate",
    "phonon_dos_from_a2f",
]

#: The values ``Material.phonon_dos_source`` takes when the spectrum carries an F(omega).
PHONON_DOS_SOURCES = ("file", "builtin model", "derived from alpha^2F (constant alpha^2)")

#: Largest relative mismatch allowed between rho_N and the Drude value from the plasma
#: energy and scattering rate when all three are given.
DRUDE_RTOL = 0.01

#: Numeric fields of :class:`Material` and their units ("1": dimensionless).
FIELD_UNITS: dict[str, str] = {
    "mu_star": "1",
    "mu_star_cutoff": "meV",
    "tc_K": "K",
    "n0_per_ev_nm3": "1/(eV nm^3)",
    "n_ion_nm3": "1/nm^3",
    "rho_n_ohm_nm": "Ohm nm",
    "plasma_energy_meV": "meV",
    "scattering_rate_meV": "meV",
    "eps_inf": "1",
}

# SI values of the Drude conversion
_J_PER_MEV = 1e-3 * E_CHARGE
_HBAR_JS = HBAR * _J_PER_MEV * 1e-12  # meV ps -> J s
_OHM_M_PER_OHM_NM = 1e-9


def drude_resistivity(plasma_energy_meV: float, scattering_rate_meV: float) -> float:
    """Normal-state resistivity of a Drude metal, rho_N = 1 / sigma_0, in Ohm nm.

    sigma_0 = eps_0 omega_p^2 / Gamma (SI units, omega_p and Gamma in rad/s), i.e. with
    energies E_p = hbar omega_p and E_Gamma = hbar Gamma:
    rho_N = hbar E_Gamma / (eps_0 E_p^2).

    Parameters
    ----------
    plasma_energy_meV : float, meV
        Plasma energy hbar omega_p (> 0).
    scattering_rate_meV : float, meV
        Scattering rate hbar / tau (> 0).

    Returns
    -------
    float, Ohm nm
    """
    ep = plasma_energy_meV * _J_PER_MEV
    eg = scattering_rate_meV * _J_PER_MEV
    return _HBAR_JS * eg / (EPS0 * ep**2) / _OHM_M_PER_OHM_NM


def drude_scattering_rate(rho_n_ohm_nm: float, plasma_energy_meV: float) -> float:
    """Scattering rate hbar / tau (meV) that gives rho_N with plasma energy E_p (Drude).

    E_Gamma = eps_0 E_p^2 rho_N / hbar (inverse of :func:`drude_resistivity`).

    Parameters
    ----------
    rho_n_ohm_nm : float, Ohm nm
    plasma_energy_meV : float, meV

    Returns
    -------
    float, meV
    """
    ep = plasma_energy_meV * _J_PER_MEV
    return EPS0 * ep**2 * rho_n_ohm_nm * _OHM_M_PER_OHM_NM / _HBAR_JS / _J_PER_MEV


def drude_plasma_energy(rho_n_ohm_nm: float, scattering_rate_meV: float) -> float:
    """Plasma energy hbar omega_p (meV) that gives rho_N with scattering rate E_Gamma (Drude).

    E_p = sqrt(hbar E_Gamma / (eps_0 rho_N)) (inverse of :func:`drude_resistivity`).

    Parameters
    ----------
    rho_n_ohm_nm : float, Ohm nm
    scattering_rate_meV : float, meV

    Returns
    -------
    float, meV
    """
    eg = scattering_rate_meV * _J_PER_MEV
    return math.sqrt(_HBAR_JS * eg / (EPS0 * rho_n_ohm_nm * _OHM_M_PER_OHM_NM)) / _J_PER_MEV


def phonon_dos_from_a2f(omega: NDArray[np.float64], a2f: NDArray[np.float64]) -> NDArray:
    """F(omega) = 3 alpha^2F(omega) / int alpha^2F d omega (constant alpha^2), 1/meV.

    The phonon DOS of a material whose alpha^2F is known but F is not, assuming an
    energy-independent coupling alpha^2 (negative alpha^2F, an interpolation artefact of
    ab-initio codes, is set to zero); normalised to 3 modes per atom as the built-in
    model spectra (:mod:`photosc.cores.spectra.library`). The same construction as the
    ``phonon_dos = "from_a2f"`` option of the photo-induced-gap models.

    Parameters
    ----------
    omega : (n,) float, meV
    a2f : (n,) float, dimensionless

    Returns
    -------
    (n,) float, 1/meV
    """
    a = np.maximum(np.asarray(a2f, float), 0.0)
    w = np.asarray(omega, float)
    norm = float(np.sum(0.5 * (a[1:] + a[:-1]) * np.diff(w)))
    if not norm > 0:
        raise ValueError("alpha^2F has no positive weight to derive F(omega) from")
    return 3.0 * a / norm


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(float(x))


@dataclass(frozen=True, eq=False)
class Material:
    """One superconductor: spectra, Coulomb pseudopotential, densities, optics, sources.

    Attributes
    ----------
    name : str
        Material name (a built-in's canonical spelling, or the card's ``name``).
    spectrum : Spectrum
        alpha^2F(omega) on omega in meV and, where known, F(omega) (``spectrum.f_dos``,
        1/meV, normalised to 3 modes per atom). Its ``mu_star``, ``mu_star_cutoff``,
        ``tc_target_K`` and (where N, rho_N, N(0) are all known) ``material`` are set to
        this material's values, so code that takes a Spectrum sees the same numbers.
    mu_star : float, dimensionless
        Coulomb pseudopotential, sharp real-axis cutoff at ``mu_star_cutoff``
        (convention of :mod:`photosc.cores.eliashberg`); 0 <= mu* < 1.
    mu_star_cutoff : float, meV
        Coulomb cutoff omega_c (> the highest phonon energy).
    mu_star_source : str
        "given" (with where from) or "calibrated to T_c = ... K with the real-axis
        Eliashberg solver".
    tc_K : float or None, K
        Known (measured) or target T_c; None if not given.
    phonon_dos_source : str or None
        Where F(omega) comes from, one of :data:`PHONON_DOS_SOURCES`; None when the
        spectrum carries no F.
    n0_per_ev_nm3 : float or None, 1/(eV nm^3)
        Single-spin electronic DOS at the Fermi level N(0).
    n_ion_nm3 : float or None, 1/nm^3
        Ion density N.
    rho_n_ohm_nm : float or None, Ohm nm
        Normal-state resistivity rho_N.
    plasma_energy_meV : float or None, meV
        Drude plasma energy hbar omega_p.
    scattering_rate_meV : float or None, meV
        Drude (impurity) scattering rate Gamma = hbar / tau.
    eps_inf : float or None, dimensionless
        Background permittivity (> 0).
    sources : Mapping[str, str]
        Field name -> where its value comes from; one entry for every field above that
        holds a number (checked), plus ``spectrum`` (alpha^2F) and ``phonon_dos``.
    card : str
        Where the material was loaded from (built-in card, card path or spectrum file).

    Notes
    -----
    Of rho_N, hbar omega_p and Gamma any two determine the third by the Drude formula
    sigma_0 = 1 / rho_N = eps_0 omega_p^2 / Gamma (:func:`drude_resistivity`); the
    methods :meth:`normal_state_resistivity`, :meth:`drude_scattering_rate` and
    :meth:`drude_plasma_energy` give each from what is known. When all three are given
    they must agree within :data:`DRUDE_RTOL`.
    """

    name: str
    spectrum: Spectrum
    mu_star: float
    mu_star_cutoff: float
    mu_star_source: str = "given"
    tc_K: float | None = None
    phonon_dos_source: str | None = None
    n0_per_ev_nm3: float | None = None
    n_ion_nm3: float | None = None
    rho_n_ohm_nm: float | None = None
    plasma_energy_meV: float | None = None
    scattering_rate_meV: float | None = None
    eps_inf: float | None = None
    sources: Mapping[str, str] = field(default_factory=dict)
    card: str = ""

    def __post_init__(self) -> None:
        where = f"material {self.name!r}"
        if not isinstance(self.spectrum, Spectrum):
            raise ConfigError(f"{where}: spectrum must be a Spectrum, got {self.spectrum!r}")
        if not _is_number(self.mu_star) or not 0.0 <= self.mu_star < 1.0:
            raise ConfigError(
                f"{where}: mu_star = {self.mu_star!r}; allowed: a number with 0 <= mu* < 1"
            )
        wmax = self.spectrum.omega_max
        if not _is_number(self.mu_star_cutoff) or not wmax < self.mu_star_cutoff <= 1e7:
            raise ConfigError(
                f"{where}: mu_star_cutoff = {self.mu_star_cutoff!r} meV; allowed: above the "
                f"highest phonon energy of alpha^2F ({wmax:.6g} meV) and at most 1e7 meV"
            )
        positive = {
            "tc_K": (self.tc_K, 1e-6, 1e5),
            "n0_per_ev_nm3": (self.n0_per_ev_nm3, 0.0, 1e6),
            "n_ion_nm3": (self.n_ion_nm3, 0.0, 1e6),
            "rho_n_ohm_nm": (self.rho_n_ohm_nm, 0.0, 1e15),
            "plasma_energy_meV": (self.plasma_energy_meV, 0.0, 1e7),
            "scattering_rate_meV": (self.scattering_rate_meV, 0.0, 1e7),
            "eps_inf": (self.eps_inf, 0.0, 1e6),
        }
        for key, (v, lo, hi) in positive.items():
            if v is None:
                continue
            if not _is_number(v) or not lo < v <= hi:
                raise ConfigError(
                    f"{where}: {key} = {v!r} {FIELD_UNITS[key]}; allowed: a number > {lo:g} "
                    f"and <= {hi:g} {FIELD_UNITS[key]}, or not given"
                )
        if (self.spectrum.f_dos is None) != (self.phonon_dos_source is None):
            raise ConfigError(
                f"{where}: phonon_dos_source = {self.phonon_dos_source!r} but the spectrum "
                f"{'has no' if self.spectrum.f_dos is None else 'has an'} F(omega); allowed: "
                f"None exactly when there is no F, else one of {PHONON_DOS_SOURCES}"
            )
        if self.phonon_dos_source is not None and self.phonon_dos_source not in PHONON_DOS_SOURCES:
            raise ConfigError(
                f"{where}: phonon_dos_source = {self.phonon_dos_source!r}; allowed: "
                f"{', '.join(PHONON_DOS_SOURCES)}"
            )
        trio = (self.rho_n_ohm_nm, self.plasma_energy_meV, self.scattering_rate_meV)
        if all(v is not None for v in trio):
            rho = drude_resistivity(self.plasma_energy_meV, self.scattering_rate_meV)
            if abs(rho / self.rho_n_ohm_nm - 1.0) > DRUDE_RTOL:
                raise ConfigError(
                    f"{where}: rho_n_ohm_nm = {self.rho_n_ohm_nm:g} Ohm nm disagrees with the "
                    f"Drude value hbar Gamma / (eps_0 E_p^2) = {rho:.6g} Ohm nm of "
                    f"plasma_energy_meV = {self.plasma_energy_meV:g} and scattering_rate_meV = "
                    f"{self.scattering_rate_meV:g}; allowed: agreement within "
                    f"{100 * DRUDE_RTOL:g} %, or give only two of the three"
                )
        src = {k: v for k, v in self.sources.items() if v}
        for key in FIELD_UNITS:  # no source line for a number that is not there
            if getattr(self, key) is None:
                src.pop(key, None)
        missing = [k for k in (*self.numbers(), "spectrum") if not src.get(k)]
        if self.phonon_dos_source is not None and not src.get("phonon_dos"):
            missing.append("phonon_dos")
        if missing:
            raise ConfigError(
                f"{where}: no source line for {', '.join(missing)}; allowed: a sources entry "
                "(field -> text) for every number"
            )
        object.__setattr__(self, "sources", MappingProxyType(src))

    # ------------------------------------------------------------------ views
    def numbers(self) -> dict[str, float]:
        """The numeric fields that are given, name -> value (units: :data:`FIELD_UNITS`)."""
        out = {}
        for key in FIELD_UNITS:
            v = getattr(self, key)
            if v is not None:
                out[key] = float(v)
        return out

    @property
    def lambda_(self) -> float:
        """lambda = 2 int alpha^2F / omega d omega (dimensionless)."""
        return self.spectrum.lambda_

    @property
    def omega_log(self) -> float:
        """omega_log, meV."""
        return self.spectrum.omega_log

    @property
    def omega2(self) -> float:
        """sqrt(<omega^2>), meV."""
        return self.spectrum.omega2

    @property
    def n0_per_mev_nm3(self) -> float:
        """N(0) in the internal unit 1/(meV nm^3) (ConfigError if not given)."""
        self.require("n0_per_ev_nm3")
        return float(self.n0_per_ev_nm3) * 1e-3  # type: ignore[arg-type]

    def allen_dynes_tc(self) -> float:
        """Allen-Dynes T_c (K) with this mu* (Allen & Dynes, PRB 12, 905 (1975), Eq. 34)."""
        return self.spectrum.allen_dynes_tc(self.mu_star)

    # ------------------------------------------------------------------ optics
    def normal_state_resistivity(self) -> float | None:
        """rho_N in Ohm nm: given, or from the Drude formula (None if not determined)."""
        if self.rho_n_ohm_nm is not None:
            return float(self.rho_n_ohm_nm)
        if self.plasma_energy_meV is not None and self.scattering_rate_meV is not None:
            return drude_resistivity(self.plasma_energy_meV, self.scattering_rate_meV)
        return None

    def drude_scattering_rate(self) -> float | None:
        """Gamma = hbar / tau in meV: given, or from rho_N and E_p (None if not determined)."""
        if self.scattering_rate_meV is not None:
            return float(self.scattering_rate_meV)
        if self.rho_n_ohm_nm is not None and self.plasma_energy_meV is not None:
            return drude_scattering_rate(self.rho_n_ohm_nm, self.plasma_energy_meV)
        return None

    def drude_plasma_energy(self) -> float | None:
        """hbar omega_p in meV: given, or from rho_N and Gamma (None if not determined)."""
        if self.plasma_energy_meV is not None:
            return float(self.plasma_energy_meV)
        if self.rho_n_ohm_nm is not None and self.scattering_rate_meV is not None:
            return drude_plasma_energy(self.rho_n_ohm_nm, self.scattering_rate_meV)
        return None

    # ------------------------------------------------------------------ checks
    def require(self, *fields: str, needed_by: str = "") -> None:
        """Raise a ConfigError naming every one of ``fields`` that is not given.

        ``rho_n_ohm_nm``, ``scattering_rate_meV`` and ``plasma_energy_meV`` count as given
        when the Drude formula determines them; ``phonon_dos`` asks for F(omega).

        Parameters
        ----------
        *fields : str
            Field names of this class (e.g. ``"n0_per_ev_nm3"``, ``"phonon_dos"``).
        needed_by : str
            What needs them (a model name), quoted in the message.
        """
        derived = {
            "rho_n_ohm_nm": self.normal_state_resistivity,
            "scattering_rate_meV": self.drude_scattering_rate,
            "plasma_energy_meV": self.drude_plasma_energy,
        }
        missing = []
        for key in fields:
            if key == "phonon_dos":
                if self.spectrum.f_dos is None:
                    missing.append(
                        "phonon_dos (F(omega): give a file, or phonon_dos = "
                        "'derived from alpha^2F')"
                    )
                continue
            if key not in FIELD_UNITS:
                raise KeyError(f"unknown material field {key!r}; known: {', '.join(FIELD_UNITS)}")
            v = derived[key]() if key in derived else getattr(self, key)
            if v is None:
                missing.append(f"{key} ({FIELD_UNITS[key]})")
        if missing:
            who = f" needed by {needed_by}" if needed_by else ""
            raise ConfigError(
                f"material {self.name!r} ({self.card or 'no card'}): missing "
                f"{'; '.join(missing)}{who}; allowed: add it to the material card or to "
                "material_overrides (see photosc.materials)"
            )

    def replace(self, **changes: Any) -> Material:
        """A copy with ``changes`` (field name -> value in the field's unit), validated.

        A changed number without a ``sources`` entry in ``changes`` gets the source
        "override"; changing ``mu_star`` marks ``mu_star_source`` as "given (override)"
        unless that is changed too. Raises ConfigError for an unknown field or a bad value.
        """
        known = {f.name for f in dataclasses.fields(self)}
        bad = sorted(set(changes) - known)
        if bad:
            raise ConfigError(
                f"material {self.name!r}: unknown field(s) {bad}; allowed: "
                f"{', '.join(sorted(known))}"
            )
        src = dict(self.sources)
        given_src = dict(changes.pop("sources", None) or {})
        for key, v in changes.items():
            if key in FIELD_UNITS or key == "spectrum":
                src[key] = "override" if v is not None else ""
        src.update(given_src)
        if "mu_star" in changes and "mu_star_source" not in changes:
            changes["mu_star_source"] = "given (override)"
        return dataclasses.replace(self, sources=src, **changes)

    def summary(self) -> dict[str, Any]:
        """Plain values with unit-suffixed keys (None entries left out), for summary.json."""
        out: dict[str, Any] = {"material": self.name}
        for key, v in self.numbers().items():
            out[_summary_key(key)] = v
        out["mu_star_source"] = self.mu_star_source
        out["phonon_dos_source"] = self.phonon_dos_source or "none"
        for key, fn in (
            ("rho_n_ohm_nm", self.normal_state_resistivity),
            ("scattering_rate_meV", self.drude_scattering_rate),
            ("plasma_energy_meV", self.drude_plasma_energy),
        ):
            v = fn()
            if v is not None and key not in out:
                out[key] = v
                out[f"{key}_source"] = "Drude formula sigma_0 = eps_0 omega_p^2 / Gamma"
        return out


def _summary_key(key: str) -> str:
    return {"mu_star_cutoff": "mu_star_cutoff_meV"}.get(key, key)
