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
A bare number is read in the field's declared unit.

Frequencies given in Hz-like units convert to energies with E = h nu
(pint's spectroscopy context), wavenumbers with E = h c nu-tilde.
"""

from __future__ import annotations

import functools
import math
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

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
    """A quantity with a missing, unknown or dimensionally wrong unit."""


@functools.cache
def _registry():
    import pint

    ureg = pint.UnitRegistry()
    ureg.enable_contexts("sp")
    return ureg


def parse_quantity(value: Any, unit: str, *, field: str | None = None) -> float:
    """Convert a number or a string with units to a float in ``unit``.

    Parameters
    ----------
    value : float, int or str
        ``5``, ``"5"`` (both read in ``unit``) or ``"5 mJ/cm^2"``.
    unit : str
        Target unit understood by pint (``"meV"``, ``"ps"``, ``"K"``, ...).
        A temperature target (``"K"``) also accepts an energy, converted with
        k_B (``"8.617 meV"`` -> 100 K).
    field : str, optional
        Name used in error messages.

    Returns
    -------
    float
        The value in ``unit``.

    Raises
    ------
    UnitError
        For an unknown unit, a wrong dimension or a value that is not a number.
    """
    where = f" for '{field}'" if field else ""
    if isinstance(value, bool):
        raise UnitError(f"expected a quantity in {unit}{where}, got boolean {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        raise UnitError(
            f"expected a number or a string with units (e.g. '1 {unit}'){where}, "
            f"got {type(value).__name__} {value!r}"
        )
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    ureg = _registry()
    try:
        q = ureg.Quantity(text)
    except Exception as exc:  # pint raises several exception types
        raise UnitError(f"cannot parse {value!r}{where} as a quantity: {exc}") from None
    if not hasattr(q, "to"):
        raise UnitError(f"cannot parse {value!r}{where} as a quantity")
    try:
        return float(q.to(unit).magnitude)
    except Exception:
        pass
    if unit == "K":
        try:
            return float(q.to("meV").magnitude) / KB
        except Exception:
            pass
    target = ureg.Quantity(1.0, unit)
    raise UnitError(
        f"{value!r}{where} has dimension {q.dimensionality}, expected "
        f"{target.dimensionality} (a quantity convertible to {unit})"
    )


def quantity(unit: str, **constraints: Any) -> Any:
    """A pydantic float type read from a number or a string with units.

    ``Energy = quantity("meV", ge=0)`` declares a non-negative energy in meV;
    the unit is recorded in the field's JSON schema (``"unit"``) so that the
    runner can label outputs and document defaults.
    """

    def _parse(v: Any) -> Any:
        if isinstance(v, list | tuple):
            return v  # let pydantic report the type error on the right field
        return parse_quantity(v, unit)

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


def kelvin_to_mev(temperature_K: Any) -> Any:
    """k_B T in meV for a temperature in K (works on arrays)."""
    return temperature_K * KB


def mev_to_kelvin(energy_meV: Any) -> Any:
    """Temperature in K for an energy k_B T in meV (works on arrays)."""
    return energy_meV / KB
