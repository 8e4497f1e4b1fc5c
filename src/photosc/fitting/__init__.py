"""Measured traces beside the models: comparison, and least-squares fits (issue 15 section 3).

Layer: beside :mod:`photosc.runner` (the fit driver calls it), above the models.

Public API
----------
:func:`fit` (:mod:`photosc.fitting.driver`)
    Fit float parameters of a scenario, ``time_zero`` and ``fluence_scale`` to a measured
    trace; standard errors, correlations, flags for parameters the data do not constrain.
:func:`compare`, :func:`model_trace` (:mod:`photosc.fitting.compare`)
    A model variable cut to one trace (or transient spectrum) and compared with data.
"""

from photosc.fitting.compare import Comparison, ModelTrace, compare, model_trace
from photosc.fitting.driver import FitResult, fit, report_lines

__all__ = ["Comparison", "FitResult", "ModelTrace", "compare", "fit", "model_trace", "report_lines"]
