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
