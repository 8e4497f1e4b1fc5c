"""Plug-in models used by the runner/sweep/CLI tests (scenario.model = "toy_models:SQUARE").

Not physics: a deterministic function with units and an optional delay, so
that the machinery (validation, output folders, sweeps, resume, Dask) is
tested independently of any physics model.
"""

from __future__ import annotations

import time

import numpy as np
import xarray as xr
from pydantic import Field

from photosc.foundation.units import quantity
from photosc.models._base import ModelOutput, ModelSpec, Numerics, Params


class SquareParams(Params):
    energy: quantity("meV", gt=0) = Field("2 meV", description="an energy")
    temperature: quantity("K", ge=0) = Field("10 K", description="a temperature")
    fail_above: float = Field(1e9, description="raise if energy exceeds this (meV)")
    label: str = "toy"


class SquareNumerics(Numerics):
    n_points: int = Field(11, ge=3, description="grid points")
    delay: float = Field(0.0, ge=0, description="seconds to sleep (for interrupt tests)")


def _run(p: SquareParams, n: SquareNumerics) -> ModelOutput:
    if p.energy > p.fail_above:
        raise ValueError(f"energy {p.energy} meV above fail_above {p.fail_above}")
    time.sleep(n.delay)
    x = np.linspace(0.0, p.energy, n.n_points)
    ds = xr.Dataset(
        {"y": ("x", x**2, {"units": "meV^2", "long_name": "energy squared"})},
        coords={"x": ("x", x, {"units": "meV", "long_name": "energy"})},
    )
    return ModelOutput(
        ds,
        {
            "max_y_meV2": float(x[-1] ** 2),
            "energy_meV": p.energy,
            "positive": True,
            "label": p.label,
            "pair": [1.0, p.energy],
        },
    )


def _plot(ds, summary):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ds["y"].plot(ax=ax)
    return {"square": fig}


SQUARE = ModelSpec(
    name="toy-square",
    paper="none",
    description="test fixture",
    params=SquareParams,
    numerics=SquareNumerics,
    run=_run,
    plot=_plot,
)
