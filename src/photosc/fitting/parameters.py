"""The parameters a fit may free: declared float physics parameters and two fit-level ones.

Fit-level parameters, which every scenario with a delay trace has:

* ``time_zero`` (ps) -- shift of the model trace on the delay axis: the model at delay t is
  compared with the data at t + time_zero (the measured zero delay is never exact);
* ``fluence_scale`` (1) -- a factor on the fluence-type parameter(s): those declared in a
  fluence unit (``fluence``, ``fluences``), or those ``[measured].fluence_parameters``
  names (for a model whose drive strength is given another way). The measured fluence
  (absorbed fraction, spot size) is rarely known better than tens of per cent.

Bounds of a physics parameter are those of its declaration (pydantic ``gt``/``ge``/``lt``/
``le``; an open bound ``gt = a`` becomes ``a + 1e-9 |a|`` or ``1e-300``), intersected with
the user's (``--bounds name=lo:hi``).
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from typing import Any

from photosc.errors import ConfigError
from photosc.foundation.units import UnitError, parse_quantity
from photosc.models import ModelSpec, Params
from photosc.models._base import units_of

#: Parameters of the fit itself (not of the model).
FIT_LEVEL = ("time_zero", "fluence_scale")


@dataclass(frozen=True)
class FreeParameter:
    """One fitted parameter.

    Attributes
    ----------
    name : str
        Parameter name (a model field or one of :data:`FIT_LEVEL`).
    unit : str
        Its unit (the declared unit of a model field; ``ps`` for time_zero, ``1``).
    start : float
        Start value (the scenario's value), in ``unit``.
    lower, upper : float
        Bounds, in ``unit`` (infinite where open).
    scale : float
        Typical size, in ``unit`` (finite-difference steps and the solver's x_scale).
    """

    name: str
    unit: str
    start: float
    lower: float
    upper: float
    scale: float

    @property
    def is_physics(self) -> bool:
        """Whether changing it needs a new model run (time_zero does not)."""
        return self.name != "time_zero"


def fluence_fields(spec: ModelSpec, named: tuple[str, ...] | None) -> tuple[str, ...]:
    """Parameters that ``fluence_scale`` multiplies.

    Parameters
    ----------
    spec : ModelSpec
        The model.
    named : tuple of str or None
        The scenario's ``[measured].fluence_parameters`` (None: those declared in a fluence
        unit).

    Raises
    ------
    ConfigError
        A named parameter that the model does not declare.
    """
    fields = spec.params.model_fields
    if named is not None:
        bad = [n for n in named if n not in fields]
        if bad:
            raise ConfigError(
                f"measured.fluence_parameters: {bad} are not parameters of model "
                f"{spec.name!r}; parameters: {', '.join(fields)}"
            )
        return tuple(named)
    out = []
    units = {**_list_item_units(spec.params), **units_of(spec.params)}
    for name, unit in units.items():
        try:
            parse_quantity("1 mJ/cm^2", unit)
        except (UnitError, ValueError):
            continue
        out.append(name)
    return tuple(out)


def _list_item_units(cls: type[Params]) -> dict[str, str]:
    """Field name -> unit of the items, for list fields whose items carry a declared unit
    (``list[quantity("mJ/cm^2")]``: a fluence given as one value or a list)."""
    out: dict[str, str] = {}
    for name, info in cls.model_fields.items():
        if typing.get_origin(info.annotation) is not list:
            continue
        for item in typing.get_args(info.annotation):
            for meta in getattr(item, "__metadata__", ()):
                extra = getattr(meta, "json_schema_extra", None)
                if isinstance(extra, dict) and "unit" in extra:
                    out[name] = str(extra["unit"])
    return out


def declared_bounds(cls: type[Params], name: str) -> tuple[float, float]:
    """(lower, upper) of a field from its pydantic constraints (infinite where none)."""
    try:
        prop = cls.model_json_schema(mode="validation")["properties"].get(name, {})
    except Exception:  # a field type without a JSON schema
        prop = {}
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        prop = prop["items"]  # a one-value list (single_value): the bounds of its items
    lo, hi = -math.inf, math.inf
    for key in ("minimum", "ge"):
        if key in prop:
            lo = max(lo, float(prop[key]))
    for key in ("exclusiveMinimum", "gt"):
        if key in prop:
            a = float(prop[key])
            lo = max(lo, a + 1e-9 * abs(a) if a else 1e-300)
    for key in ("maximum", "le"):
        if key in prop:
            hi = min(hi, float(prop[key]))
    for key in ("exclusiveMaximum", "lt"):
        if key in prop:
            a = float(prop[key])
            hi = min(hi, a - 1e-9 * abs(a) if a else -1e-300)
    return lo, hi


def parse_bounds(text: str, units: dict[str, str]) -> tuple[str, tuple[float, float]]:
    """``name=lo:hi`` (either side may be empty; values in the unit or with units).

    Parameters
    ----------
    text : str
        The ``--bounds`` argument.
    units : dict of str to str
        Unit of each freeable parameter (values without a unit are read in it).
    """
    if "=" not in text or ":" not in text.split("=", 1)[1]:
        raise ConfigError(
            f"--bounds expects name=lo:hi (e.g. tau_esc=100:2000 or 'tau_esc=100 ps:2 ns'), "
            f"got {text!r}"
        )
    name, rng = (s.strip() for s in text.split("=", 1))
    lo_text, hi_text = rng.split(":", 1)
    unit = units.get(name, "1")
    out = []
    for side, default in ((lo_text, -math.inf), (hi_text, math.inf)):
        if not side.strip():
            out.append(default)
            continue
        try:
            out.append(parse_quantity(side.strip(), unit, field=name))
        except UnitError as exc:
            raise ConfigError(f"--bounds {text!r}: {exc} (values in {unit})") from None
    if not out[0] < out[1]:
        raise ConfigError(f"--bounds {text!r}: the lower bound must be below the upper bound")
    return name, (out[0], out[1])


def free_parameters(
    spec: ModelSpec,
    params: Params,
    free: list[str],
    *,
    time_zero: float,
    fluence: tuple[str, ...],
    user_bounds: dict[str, tuple[float, float]] | None = None,
    delay_span: float = 1.0,
) -> list[FreeParameter]:
    """Resolve ``--free`` names into :class:`FreeParameter` objects.

    Parameters
    ----------
    spec : ModelSpec
        The model.
    params : Params
        The scenario's validated parameters (start values).
    free : list of str
        Names to fit.
    time_zero : float, ps
        Start value of time_zero.
    fluence : tuple of str
        Fluence-type parameters (empty: ``fluence_scale`` is not available).
    user_bounds : dict of str to (float, float), optional
        Bounds given by the user, in each parameter's unit.
    delay_span : float, ps
        Span of the measured delays (typical size of time_zero).

    Raises
    ------
    ConfigError
        Unknown, duplicate or non-float name; fluence_scale without fluence parameters;
        user bounds for a parameter not freed; a start value outside the bounds.
    """
    units = {**_list_item_units(spec.params), **units_of(spec.params)}
    allowed = freeable(spec, params, fluence)
    if not free:
        raise ConfigError(f"--free: name at least one parameter; allowed: {', '.join(allowed)}")
    dup = sorted({n for n in free if free.count(n) > 1})
    if dup:
        raise ConfigError(f"--free names {dup} more than once")
    both = sorted(set(free) & set(fluence))
    if both and "fluence_scale" in free:
        raise ConfigError(
            f"--free: fluence_scale multiplies {both}; free either fluence_scale or {both}, "
            "not both"
        )
    out = []
    for name in free:
        if name not in allowed:
            why = ""
            if name == "fluence_scale":
                why = (
                    f" (model {spec.name!r} declares no parameter in a fluence unit; name the "
                    "drive-strength parameters in measured.fluence_parameters)"
                )
            elif name in spec.params.model_fields:
                why = (
                    f" ({name!r} is not a single number: only float parameters, or lists "
                    "of one float, can be fitted)"
                )
            raise ConfigError(
                f"--free: {name!r} cannot be fitted{why}; allowed: {', '.join(allowed)}"
            )
        if name == "time_zero":
            lo, hi, start, unit, scale = -math.inf, math.inf, time_zero, "ps", delay_span
        elif name == "fluence_scale":
            lo, hi, start, unit, scale = 1e-300, math.inf, 1.0, "1", 1.0
        else:
            lo, hi = declared_bounds(spec.params, name)
            start, unit = float(single_value(getattr(params, name))), units.get(name, "1")
            scale = abs(start) or (hi - lo if math.isfinite(hi - lo) else 1.0)
        ulo, uhi = (user_bounds or {}).get(name, (-math.inf, math.inf))
        lo, hi = max(lo, ulo), min(hi, uhi)
        if not lo <= start <= hi:
            raise ConfigError(
                f"--free {name}: the start value {start:.6g} {unit} lies outside the bounds "
                f"[{lo:.6g}, {hi:.6g}] {unit}; change it with --set or widen --bounds"
            )
        out.append(FreeParameter(name, unit, start, lo, hi, scale))
    extra = sorted(set(user_bounds or {}) - set(free))
    if extra:
        raise ConfigError(f"--bounds given for {extra}, which are not freed (--free)")
    return out


def single_value(value: Any) -> float | None:
    """The number of a float parameter, or of a list parameter holding one float (e.g. one
    temperature or escape time where a list is allowed); None otherwise."""
    if isinstance(value, float):
        return value
    if isinstance(value, list | tuple) and len(value) == 1 and isinstance(value[0], float):
        return float(value[0])
    return None


def freeable(spec: ModelSpec, params: Params, fluence: tuple[str, ...]) -> list[str]:
    """Names a fit may free: the fit-level ones and every physics parameter that is one
    float (or a list of one float)."""
    names = ["time_zero"] + (["fluence_scale"] if fluence else [])
    for name, info in spec.params.model_fields.items():
        value = getattr(params, name)
        one = single_value(value)
        if one is not None and info.annotation is not bool and name not in FIT_LEVEL:
            names.append(name)
    return names


def apply(
    params: Params, values: dict[str, float], fluence: tuple[str, ...], scale: float
) -> dict[str, Any]:
    """Overrides (declared units) for a model run at ``values`` and ``fluence_scale``.

    The fluence-type parameters are the scenario's values times ``scale`` (each element of
    a list).
    """
    out: dict[str, Any] = {
        k: [v] if isinstance(getattr(params, k, None), list | tuple) else v
        for k, v in values.items()
    }  # a one-value list parameter stays a list
    if scale != 1.0:
        for name in fluence:
            v = getattr(params, name)
            out[name] = [x * scale for x in v] if isinstance(v, list | tuple) else v * scale
    return out
