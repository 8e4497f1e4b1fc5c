"""What every model declares: parameters, numerical options, run, plot.

A model is one paper mechanism (STYLE.md, habit 3). It declares

* ``params``: a :class:`Params` subclass, physics parameters with units and
  defaults (the paper's values);
* ``numerics``: a :class:`Numerics` subclass, grid sizes, tolerances, ...;
* ``run(params, numerics) -> ModelOutput``: composes cores, returns an
  ``xarray.Dataset`` (every variable and coordinate with ``units`` and
  ``long_name`` attrs) and a summary dict of plain JSON values whose keys
  carry their unit as a suffix (``tc_K``, ``delta0_meV``);
* ``plot(dataset, summary) -> dict[str, Figure]`` (optional): figures by
  file stem, saved as PNG by the runner.

Unknown keys in ``params`` or ``numerics`` are errors (``extra="forbid"``), and
so are NaN and infinite floats (``allow_inf_nan=False``). A numerics class whose
grid sizes decide the memory a run needs overrides
:meth:`Numerics.estimated_bytes` (and names those fields in
:attr:`Numerics.memory_fields`); :func:`photosc.config.validate` refuses a run
whose estimate exceeds the machine's memory before anything is allocated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import xarray as xr
from pydantic import BaseModel, ConfigDict

_CONFIG = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)

#: Bytes of one float64 value.
FLOAT_BYTES = 8


class Params(BaseModel):
    """Base class of a model's physics parameters (closed set of keys, finite floats)."""

    model_config = _CONFIG


class Numerics(BaseModel):
    """Base class of a model's numerical options (closed set of keys, finite floats)."""

    model_config = _CONFIG

    #: Fields (of the numerics, or of the parameters) that :meth:`estimated_bytes`
    #: depends on; the out-of-memory error names them with their values.
    memory_fields: ClassVar[tuple[str, ...]] = ()

    def estimated_bytes(self, params: Params) -> int:
        """Memory a run with these numerics needs, in bytes, estimated from the grid sizes.

        A lower bound (the largest arrays the run allocates, not every
        temporary): a run whose estimate exceeds the machine's memory cannot
        succeed and is refused at validation. The default, 0, means no estimate.

        Parameters
        ----------
        params : Params
            The validated physics parameters of the same run (some grids depend
            on them).

        Returns
        -------
        int
            Bytes.
        """
        return 0


@dataclass
class ModelOutput:
    """What ``ModelSpec.run`` returns."""

    dataset: xr.Dataset
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunPlan:
    """A model run as independent jobs and a finishing step (issue 16).

    ``finish([fn(x) for x in items])`` is the run's :class:`ModelOutput`. A model whose
    run is such a map declares ``ModelSpec.plan``; a sweep then runs the jobs of all its
    points in one pool instead of each point's jobs one after another in its worker.

    Attributes
    ----------
    fn : callable
        One job, ``fn(item)``; picklable (a module-level function or a partial of one).
    items : list
        The jobs' inputs (picklable).
    finish : callable
        ``finish(results) -> ModelOutput``, the results in the order of ``items``; runs
        in the calling process.
    desc : str
        Progress-bar label of the jobs.
    """

    fn: Callable[[Any], Any]
    items: list[Any]
    finish: Callable[[list[Any]], ModelOutput]
    desc: str = ""


@dataclass(frozen=True)
class ModelSpec:
    """A registered model."""

    name: str
    paper: str
    description: str
    params: type[Params]
    numerics: type[Numerics]
    run: Callable[[Any, Any], ModelOutput]
    plot: Callable[[xr.Dataset, dict[str, Any]], dict[str, Any]] | None = None
    #: For scenarios with a ``[sweep]`` table: summary of the gathered sweep
    #: Dataset (coordinates = swept parameters, variables = per-point summaries).
    summarize_sweep: Callable[[xr.Dataset], dict[str, Any]] | None = None
    #: Figures of the gathered sweep Dataset (e.g. a phase diagram).
    plot_sweep: Callable[[xr.Dataset, dict[str, Any]], dict[str, Any]] | None = None
    #: Pre-flight check of the inputs every run of the model needs (a spectrum file,
    #: its phonon DOS), ``check(params, numerics)``: cheap, raises a PhotoscError;
    #: :func:`photosc.config.validate` calls it, so a sweep finds a configuration
    #: error that all its points share once, before any point runs.
    check: Callable[[Any, Any], None] | None = None
    #: The run as independent jobs and a finishing step, ``plan(params, numerics) ->
    #: RunPlan``, where ``run`` is such a map (optional): ``run(params, numerics)`` must
    #: equal ``plan.finish`` of the jobs' results. Sweeps use it (:class:`RunPlan`).
    plan: Callable[[Any, Any], RunPlan] | None = None


def units_of(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> declared unit, for fields typed with ``foundation.units.quantity``."""
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and "unit" in extra:
            out[name] = str(extra["unit"])
        else:
            for meta in info.metadata:
                e = getattr(meta, "json_schema_extra", None)
                if isinstance(e, dict) and "unit" in e:
                    out[name] = str(e["unit"])
    return out


_BOUNDS = (
    ("exclusiveMinimum", "> {}"),
    ("gt", "> {}"),
    ("minimum", ">= {}"),
    ("ge", ">= {}"),
    ("exclusiveMaximum", "< {}"),
    ("lt", "< {}"),
    ("maximum", "<= {}"),
    ("le", "<= {}"),
)


def _kind_text(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return "one of " + ", ".join(repr(v) for v in prop["enum"])
    if "const" in prop:
        return f"exactly {prop['const']!r}"
    if "anyOf" in prop:
        return " or ".join(_kind_text(p) for p in prop["anyOf"])
    kind = prop.get("type", "value")
    if kind == "array":
        return "list of " + _kind_text(prop.get("items", {}))
    words = {"number": "number", "integer": "integer", "string": "string", "boolean": "boolean"}
    text = words.get(kind, str(kind))
    bounds = [fmt.format(prop[key]) for key, fmt in _BOUNDS if key in prop]
    return text + (f" {' and '.join(bounds)}" if bounds else "")


def describe_fields(model: type[BaseModel]) -> list[dict[str, Any]]:
    """Documentation of a parameter or numerics class, one dict per field.

    Keys: ``name``, ``default`` (as declared, e.g. ``"30 meV"``), ``unit`` (declared
    unit of a quantity, '' otherwise), ``allowed`` (type and bounds, e.g.
    ``"number > 0"``) and ``description``. Read from the class's JSON schema, so
    it is what validation enforces (``photosc show``).
    """
    try:
        props = model.model_json_schema(mode="validation").get("properties", {})
    except Exception:  # a field type without a JSON schema
        props = {}
    out = []
    for name, info in model.model_fields.items():
        prop = props.get(name, {})
        unit = prop.get("unit") or prop.get("items", {}).get("unit") or ""
        scale = ""
        if unit:
            from photosc.foundation.units import sanity_range

            lo, hi = sanity_range(unit)
            inner = prop.get("items", prop)
            positive = any(inner.get(k, -1) >= 0 for k in ("gt", "exclusiveMinimum"))
            scale = f", magnitude {lo:.3g} to {hi:.3g} {unit}" if lo else f", |x| <= {hi:.3g}"
            scale += " (or 0)" if lo and not positive else ""
        out.append(
            {
                "name": name,
                "default": info.get_default(call_default_factory=True),
                "unit": unit,
                "allowed": (_kind_text(prop) if prop else str(info.annotation)) + scale,
                "description": info.description or prop.get("description", ""),
            }
        )
    return out
