"""Compute one (non-sweep) scenario in memory: validate, run the model, attach provenance.

The common step of ``photosc run`` (:func:`photosc.runner.run`) and of every sweep
point (:func:`photosc.sweeps.run_point`).
"""

from __future__ import annotations

import json
import time
from typing import Any

import xarray as xr

from photosc.config import Scenario, validate
from photosc.foundation.progress import elapsed
from photosc.results.provenance import provenance, record_warnings
from photosc.results.records import check_summary


def compute(scenario: Scenario) -> tuple[xr.Dataset, dict[str, Any], Any]:
    """Validate and run a (non-sweep) scenario in memory: (dataset, summary, spec).

    The warnings of the run are in ``dataset.attrs["photosc_warnings"]`` (JSON list).
    """
    spec, params, numerics = validate(scenario)
    t0 = time.perf_counter()
    with elapsed(f"running {scenario.name}"):
        output, caught = record_warnings(spec.run, params, numerics)
    wall = time.perf_counter() - t0
    summary = check_summary(output.summary, f"scenario {scenario.name!r} summary")
    ds = output.dataset
    ds.attrs.update(provenance(scenario, spec, params, numerics, wall))
    ds.attrs["photosc_warnings"] = json.dumps(caught)
    return ds, summary, spec
