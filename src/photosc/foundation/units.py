"""Physical constants, the internal unit system, and unit parsing at the boundary.

Internal units
--------------
========== ============================================================
quantity    internal unit
========== ============================================================
energy      meV (also frequencies: hbar*omega, or h*nu for "THz" input)
time        ps
temperature K at the boundary; k_B T in meV inside the cores
fluence     mJ/cm^2
length      nm
========== ============================================================

Quantities in configuration files and on the command line are strings with
units (``"100 K"``, ``"0.3 THz"``, ``"52 meV"``, ``"5 mJ/cm^2"``, ``"2 ps"``),
parsed once with pint by the pydantic types defined here (:func:`quantity`).
A bare number is read in the field's declared unit. Booleans, NaN and infinities
are refused.

Which units a field accepts
---------------------------
* An **energy** field and a **temperature** field accept the same quantities,
  converted with E = k_B T where the kinds differ: energies (``"52 meV"``),
  temperatures (``"100 K"``: 8.617 meV; ``"1 meV"`` for a temperature is 11.6 K),
  wavenumbers (``"30 cm^-1"``, E = h c nu-tilde) and frequencies (``"10 THz"``,
  E = h nu). A field declared in Hz-like units (``"THz"``) accepts the same.
* A **wavelength** (``"800 nm"``, E = h c / lambda) is a photon energy: only a
  photon-energy field accepts it (pump, probe, photon, carrier or laser in its
  name, see :func:`is_photon_field`, or ``quantity(..., photon=True)``). For any
  other energy a length is a dimension error (``cutoff = "30 mm"``).
* Every other field needs its declared dimension (a rate in ``1/ps`` does not
  take an energy).
* Every value must lie in a sanity range (:data:`SANITY_RANGES`, e.g. energies
  0 or 1e-6 ... 1e7 meV), so that ``"1e30 meV"`` or ``"30 Hz"`` for a phonon
  cutoff are refused instead of run.
"""

from __future__ import annotations

import functools
import math
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo

#: Boltzmann constant, meV / K.
KB = 0.08617333262
#: Reduced Planck constant, meV ps.
HBAR = 0.6582119569
#: Planck constant, meV ps.
H_PLANCK = 2.0 * math.pi * HBAR
#: Speed of light, nm / ps.
C_LIGHT = 299792.458
#: Fine-structure constant.
ALPHA_FS = 7.2973525693e-3
#: Elementary charge, C.
E_CHARGE = 1.602176634e-19
#: Vacuum permittivity, F / m.
EPS0 = 8.8541878128e-12
#: One Rydberg, meV.
RYDBERG = 13605.693122994
#: One wavenumber (cm^-1), meV.
WAVENUMBER = 0.12398419843320026
#: One terahertz (h * 1 THz), meV.
THZ = 4.135667696923859


class UnitError(ValueError):
    """A quantity with a missing, unknown or dimensionally wrong unit, or out of scale."""


@functools.cache
def _registry():
    import pint

    ureg = pint.UnitRegistry()
    ureg.enable_contexts("sp")
    return ureg


#: Reference units of the dimension kinds the parser distinguishes.
_KIND_UNITS = {
    "energy": "meV",
    "temperature": "K",
    "frequency": "Hz",
    "wavenumber": "1/cm",
    "length": "nm",
    "time": "ps",
    "fluence": "mJ/cm^2",
}

#: Kinds that a spectral field (energy, temperature, Hz-frequency) accepts; a
#: photon-energy field also accepts a wavelength ("length").
_SPECTRAL_KINDS = ("energy", "temperature", "frequency", "wavenumber")

#: Sanity range (smallest non-zero magnitude, largest magnitude, unit) of a
#: quantity field, by the kind of its declared unit. Values outside are refused
#: as out of scale (``"1e30 meV"``, ``"30 Hz"`` for a phonon cutoff): they are
#: far outside anything these models describe. Other kinds: ``|x| <= 1e15``.
SANITY_RANGES: dict[str, tuple[float, float, str]] = {
    "energy": (1e-6, 1e7, "meV"),  # 1 neV ... 10 keV
    "temperature": (1e-6, 1e8, "K"),
    "frequency": (1e-6 / THZ, 1e7 / THZ, "THz"),  # the energy range, E = h nu
    "time": (1e-9, 1e15, "ps"),  # 1 zs ... 1000 s
    "length": (1e-6, 1e12, "nm"),  # 1 fm ... 1 km
    "fluence": (1e-12, 1e9, "mJ/cm^2"),
}
_DEFAULT_MAX = 1e15

#: Name parts that mark a photon-energy field (a wavelength is then accepted).
_PHOTON_WORDS = ("photon", "carrier", "laser")
_PHOTON_ENDINGS = ("pump", "probe", "pump_energy", "probe_energy")


def is_photon_field(name: str | None) -> bool:
    """Whether a field name denotes a photon energy (pump, probe, photon, carrier, laser).

    ``pump_energy``, ``probe_photon_energy``, ``k3c60_pump``, ``carrier`` are photon
    fields; ``pump_injection_energy`` or ``pump_depth`` are not.
    """
    if not name:
        return False
    parts = name.lower().split("_")
    return any(w in parts for w in _PHOTON_WORDS) or name.lower().endswith(_PHOTON_ENDINGS)


@functools.cache
def _kind_of_dims(dims: str) -> str | None:
    ureg = _registry()
    for kind, ref in _KIND_UNITS.items():
        if str(ureg.Quantity(1.0, ref).dimensionality) == dims:
            return kind
    return None


def _kind(q: Any) -> str | None:
    return _kind_of_dims(str(q.dimensionality))


@functools.cache
def _target_kind(unit: str) -> str | None:
    """Kind of a declared unit; a 1/time unit is a frequency only if written in Hz."""
    kind = _kind(_registry().Quantity(1.0, unit))
    if kind == "frequency" and not unit.strip().endswith("Hz"):
        return None  # a rate such as 1/ps: same dimension only, no E = h nu
    return kind


def _accepted(unit: str, target: str | None, photon: bool) -> str:
    if target in _SPECTRAL_KINDS:
        text = (
            "an energy (meV, eV), a temperature (K, as k_B T), a wavenumber (cm^-1) "
            "or a frequency (THz, as h nu)"
        )
        return text + (" or a wavelength (nm, as h c / lambda)" if photon else "")
    dims = _registry().Quantity(1.0, unit).dimensionality
    return f"a quantity of dimension {dims}"


def parse_quantity(
    value: Any, unit: str, *, field: str | None = None, photon: bool | None = None
) -> float:
    """Convert a number or a string with units to a float in ``unit``.

    Energy and temperature fields accept the same quantities, converted with
    E = k_B T where needed: energies (``"52 meV"``), temperatures (``"100 K"``),
    wavenumbers (``"30 cm^-1"``, E = h c nu-tilde) and frequencies (``"1 THz"``,
    E = h nu). A wavelength (``"800 nm"``, E = h c / lambda) is a photon energy
    and is accepted only by a photon-energy field (``photon``). A field declared
    in Hz-like units (``"THz"``) accepts the same. Any other unit must have the
    declared unit's dimension.

    Parameters
    ----------
    value : float, int or str
        ``5``, ``"5"`` (both read in ``unit``) or ``"5 mJ/cm^2"``.
    unit : str
        Target unit understood by pint (``"meV"``, ``"ps"``, ``"K"``, ...).
    field : str, optional
        Name used in error messages; also decides ``photon`` when not given
        (:func:`is_photon_field`).
    photon : bool, optional
        Whether the field is a photon energy (accepts wavelengths).

    Returns
    -------
    float
        The value in ``unit`` (finite).

    Raises
    ------
    UnitError
        For an unknown unit, a wrong dimension, a value that is not a finite number.
    """
    where = f" for '{field}'" if field else ""
    if photon is None:
        photon = is_photon_field(field)
    if isinstance(value, bool):
        raise UnitError(f"expected a quantity in {unit}{where}, got boolean {value!r}")
    if isinstance(value, int | float):
        out = float(value)
    elif not isinstance(value, str):
        raise UnitError(
            f"expected a number or a string with units (e.g. '1 {unit}'){where}, "
            f"got {type(value).__name__} {value!r}"
        )
    else:
        try:
            out = float(value.strip())
        except ValueError:
            out = _convert(value, unit, where, photon)
    if not math.isfinite(out):
        raise UnitError(f"{value!r}{where} is not a finite number")
    return out


@functools.lru_cache(maxsize=4096)
def _convert(value: str, unit: str, where: str, photon: bool) -> float:
    """``value`` (a string with units) in ``unit`` (:func:`parse_quantity`). Cached: a
    sweep validates every point, and pint's parser took 12 of the 16 s that the
    4096-point metastability-diagram spent validating (issue 16); a pure function of
    its (hashable) arguments, and errors are raised, not cached."""
    ureg = _registry()
    try:
        q = ureg.Quantity(value.strip())
    except Exception as exc:  # pint raises several exception types
        raise UnitError(f"cannot parse {value!r}{where} as a quantity: {exc}") from None
    if not hasattr(q, "to") or not isinstance(q.magnitude, int | float):
        raise UnitError(f"cannot parse {value!r}{where} as a quantity")
    target = _target_kind(unit)
    kind = _kind(q)
    try:
        if target in _SPECTRAL_KINDS:
            allowed = (*_SPECTRAL_KINDS, "length") if photon else _SPECTRAL_KINDS
            if kind == target:
                return float(q.to(unit).magnitude)
            if kind in allowed:
                e = q.to("K").magnitude * KB if kind == "temperature" else q.to("meV").magnitude
                if target == "temperature":
                    return float(e) / KB
                return float(ureg.Quantity(float(e), "meV").to(unit).magnitude)
        elif q.dimensionality == ureg.Quantity(1.0, unit).dimensionality:
            return float(q.to(unit).magnitude)
    except Exception as exc:  # pint conversion errors
        raise UnitError(f"cannot convert {value!r}{where} to {unit}: {exc}") from None
    if target in _SPECTRAL_KINDS and kind == "length":
        hint = (
            "; a length is an energy only as a photon wavelength (E = h c / lambda), "
            "which only photon-energy fields (pump, probe) accept"
        )
    else:
        hint = ""
    accepted = _accepted(unit, target, photon)
    raise UnitError(
        f"{value!r}{where} has dimension {q.dimensionality}; expected {accepted} "
        f"convertible to {unit}{hint}"
    )


def sanity_range(unit: str) -> tuple[float, float]:
    """(smallest non-zero, largest) magnitude accepted for a field declared in ``unit``.

    From :data:`SANITY_RANGES` by the unit's kind; other kinds: ``(0, 1e15)``.
    """
    kind = _target_kind(unit)
    if kind not in SANITY_RANGES:
        return 0.0, _DEFAULT_MAX
    lo, hi, ref = SANITY_RANGES[kind]
    ureg = _registry()
    if kind == "temperature" or ref == unit:
        return lo, hi
    return (
        float(ureg.Quantity(lo, ref).to(unit).magnitude),
        float(ureg.Quantity(hi, ref).to(unit).magnitude),
    )


def check_scale(
    x: float, unit: str, *, field: str | None = None, scale: tuple[float, float] | None = None
) -> float:
    """Refuse a magnitude outside the field's sanity range (see :func:`sanity_range`).

    Zero is always in range (other constraints decide whether it is allowed).

    Parameters
    ----------
    x : float, in ``unit``
        Value to check.
    unit : str
        Unit of ``x`` (the field's declared unit, e.g. "meV"); selects the default range.
    field : str, optional
        Field name, quoted in the error message.
    scale : (float, float), optional, in ``unit``
        (smallest non-zero, largest) magnitude; default :func:`sanity_range` of ``unit``.

    Returns
    -------
    float
        ``x`` unchanged.

    Raises
    ------
    UnitError
        If ``x`` is non-zero and its magnitude lies outside the range.
    """
    lo, hi = scale if scale is not None else sanity_range(unit)
    ax = abs(x)
    if ax > hi or (0.0 < ax < lo):
        where = f" for '{field}'" if field else ""
        raise UnitError(
            f"{x:.6g} {unit}{where} is out of scale: the magnitude must be 0 or "
            f"between {lo:.3g} and {hi:.3g} {unit}"
        )
    return x


def quantity(
    unit: str,
    *,
    photon: bool | None = None,
    scale: tuple[float, float] | None | bool = True,
    **constraints: Any,
) -> Any:
    """A pydantic float type read from a number or a string with units.

    ``Energy = quantity("meV", ge=0)`` declares a non-negative energy in meV;
    the unit is recorded in the field's JSON schema (``"unit"``) so that the
    runner can label outputs and document defaults.

    Parameters
    ----------
    unit : str
        Declared (internal) unit; a bare number is read in it.
    photon : bool, optional
        The field is a photon energy and accepts a wavelength. Default: decided
        from the field name (:func:`is_photon_field`).
    scale : (float, float), True or None
        Sanity range (smallest non-zero, largest magnitude) in ``unit``; True
        (default) takes :func:`sanity_range`, None disables the check.
    **constraints
        pydantic ``Field`` constraints (``gt``, ``ge``, ``lt``, ``le``).
    """

    def _parse(v: Any, info: ValidationInfo) -> Any:
        if isinstance(v, list | tuple):
            return v  # let pydantic report the type error on the right field
        is_photon = photon if photon is not None else is_photon_field(info.field_name)
        x = parse_quantity(v, unit, photon=is_photon)
        if scale is None or scale is False:
            return x
        return check_scale(x, unit, scale=None if scale is True else scale)

    return Annotated[
        float,
        BeforeValidator(_parse),
        Field(json_schema_extra={"unit": unit}, **constraints),
    ]


#: Common field types (values stored in internal units).
Energy = quantity("meV")
PositiveEnergy = quantity("meV", gt=0)
NonNegativeEnergy = quantity("meV", ge=0)
Time = quantity("ps")
PositiveTime = quantity("ps", gt=0)
Temperature = quantity("K", ge=0)
PositiveTemperature = quantity("K", gt=0)
Fluence = quantity("mJ/cm^2", ge=0)
Length = quantity("nm", gt=0)
