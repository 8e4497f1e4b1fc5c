"""Least-squares fit of a scenario's parameters to a measured trace (``photosc fit``).

The fit minimises sum_i r_i^2 with r_i = (model_i - data_i) / sigma_i (sigma_i the measured
errors, or 1 when the file gives none) over the measured points inside the model's delay
range, with :func:`scipy.optimize.least_squares` (trust-region reflective, bounds from the
parameters' declarations intersected with the user's). Each evaluation with new physics
values is one model run (:func:`photosc.runner.compute`); ``time_zero`` only shifts the
trace and needs none (the runs are cached by their physics values).

Jacobian: forward finite differences with relative steps h_i = diff_step |x_i| (the
parameter's typical size where x_i = 0; backward at an upper bound). The default
``diff_step`` lies above the model's own numerical noise: sqrt(tol) for the largest solver
tolerance ``tol`` the numerics declare (``rtol``, ``gap_tol``, ...: the relative noise of a
run, so that the truncation error ~h and the noise error ~tol/h balance), at least 1e-3 and
at most 0.1. ``time_zero``'s step is a quarter of the smallest model delay spacing (the
linear interpolant is differentiated exactly there; no run is involved).

The solver stops when the cost or the step changes by less than diff_step^2 (the noise
level diff_step was chosen from; at least 1e-8, at most 1e-2) relative to their size:
changes below a run's noise mean nothing.

time_zero starts from the best shift of a scan (:func:`_scan_time_zero`, no model runs):
a trace with oscillations faster than the shift sought has local minima in time_zero.

Standard errors (the usual linearised estimate): covariance C = s^2 (J^T J)^-1 with
s^2 = chi^2 / (n - p) when the data carry no errors; with measured errors
C = (J^T J)^-1 (the errors are taken as they are; the reduced chi^2 is reported beside
it). The inverse is taken by SVD of the column-scaled J: a direction of zero singular value
(the trace does not change with a combination of parameters) gives an infinite error.
A parameter is flagged as not constrained by the data when its standard error exceeds
:data:`REL_ERROR_LIMIT` times its value (time_zero: :data:`TIME_ZERO_LIMIT` times the
measured delay span), or when |correlation| with another parameter exceeds
:data:`CORRELATION_LIMIT`.
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w
from scipy.optimize import least_squares

from photosc.config import Scenario, on_grid, validate, with_overrides
from photosc.errors import ConfigError, PhotoscError
from photosc.fitting.compare import (
    Comparison,
    ModelTrace,
    compare,
    interpolate,
    model_trace,
    unit_suffix,
)
from photosc.fitting.parameters import (
    FIT_LEVEL,
    FreeParameter,
    apply,
    fluence_fields,
    free_parameters,
)
from photosc.foundation.progress import progress_bar
from photosc.inputs.measured import MeasuredSpec, read_measured

#: A standard error above this fraction of the value flags the parameter.
REL_ERROR_LIMIT = 1.0
#: time_zero is flagged when its standard error exceeds this fraction of the delay span.
TIME_ZERO_LIMIT = 0.1
#: |correlation| above this flags both parameters.
CORRELATION_LIMIT = 0.95
#: time_zero starts from a scan over +- this fraction of the measured delay span.
TIME_ZERO_SCAN = 0.05
#: Smallest and largest default relative finite-difference step.
DIFF_STEP_RANGE = (1e-3, 0.1)


@dataclass
class FitResult:
    """What :func:`fit` returns.

    Attributes
    ----------
    scenario : Scenario
        The fitted scenario (best values; ``measured.time_zero`` the best shift).
    parameters : list of FreeParameter
        The freed parameters (units, start values, bounds).
    values, stderr : (p,) float
        Best values and standard errors, in each parameter's unit (stderr inf: not
        constrained at all).
    correlation : (p, p) float
        Correlation matrix (NaN where an error is infinite).
    chi2 : float
        sum r_i^2 at the best fit (weighted by the errors if given).
    n_points : int
        Measured points used.
    weighted : bool
        Whether measured errors weighted the residuals.
    diff_step : float
        Relative finite-difference step used; ``diff_step_rule`` says why.
    flags : dict of str to list of str
        Why each flagged parameter is not constrained.
    comparison : Comparison
        The data beside the best model.
    trace : ModelTrace
        The best model trace.
    fitted_toml : str
        The fitted scenario as a TOML file that ``photosc run`` reruns.
    summary : dict
        The best run's summary with the fit's entries.
    path : Path or None
        The output folder (None when not written).
    """

    scenario: Scenario
    parameters: list[FreeParameter]
    values: np.ndarray
    stderr: np.ndarray
    correlation: np.ndarray
    chi2: float
    n_points: int
    weighted: bool
    diff_step: float
    diff_step_rule: str
    time_zero_step: float
    time_zero_scan_start: float | None
    n_runs: int
    success: bool
    message: str
    flags: dict[str, list[str]]
    comparison: Comparison
    trace: ModelTrace
    fitted_toml: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def names(self) -> list[str]:
        """Names of the freed parameters."""
        return [p.name for p in self.parameters]

    @property
    def dof(self) -> int:
        """Degrees of freedom n - p."""
        return self.n_points - len(self.parameters)

    @property
    def reduced_chi2(self) -> float:
        """chi^2 / (n - p) (s^2 of the covariance without measured errors)."""
        return self.chi2 / self.dof

    @property
    def warnings(self) -> list[str]:
        """One line per parameter the data do not constrain (and one if the solver stopped
        before converging)."""
        stopped = [] if self.success else [f"the solver stopped: {self.message}"]
        return stopped + [
            f"{name}: not constrained by the data ({'; '.join(why)})"
            for name, why in self.flags.items()
        ]

    def value(self, name: str) -> float:
        """Best value of one parameter (in its unit)."""
        return float(self.values[self.names.index(name)])

    def error(self, name: str) -> float:
        """Standard error of one parameter (in its unit; inf: not constrained)."""
        return float(self.stderr[self.names.index(name)])

    def to_json(self) -> dict[str, Any]:
        """The fit as plain JSON data (``fit.json``; null for infinite or undefined)."""

        def num(x: float) -> float | None:
            return float(x) if math.isfinite(x) else None

        return {
            "scenario": self.scenario.name,
            "model": self.scenario.model,
            "data_file": str(self.scenario.measured.file) if self.scenario.measured else "",
            "variable": self.scenario.measured.variable if self.scenario.measured else "",
            "select": dict(self.scenario.measured.select) if self.scenario.measured else {},
            "parameters": [
                {
                    "name": p.name,
                    "unit": p.unit,
                    "value": float(v),
                    "stderr": num(e),
                    "start": p.start,
                    "lower": num(p.lower),
                    "upper": num(p.upper),
                    "constrained": p.name not in self.flags,
                    "flags": self.flags.get(p.name, []),
                }
                for p, v, e in zip(self.parameters, self.values, self.stderr)
            ],
            "correlation": [[num(c) for c in row] for row in self.correlation],
            "chi2": self.chi2,
            "weighted_by_measured_errors": self.weighted,
            "reduced_chi2": self.reduced_chi2,
            "n_points": self.n_points,
            "n_outside": self.comparison.n_outside,
            "dof": self.dof,
            "rms": self.comparison.rms,
            "rms_unit": self.comparison.unit,
            "covariance": (
                "(J^T J)^-1 with J weighted by the measured errors"
                if self.weighted
                else "s^2 (J^T J)^-1, s^2 = chi^2 / (n - p)"
            ),
            "diff_step": self.diff_step,
            "diff_step_rule": self.diff_step_rule,
            "time_zero_step_ps": self.time_zero_step,
            "time_zero_scan_start_ps": self.time_zero_scan_start,
            "n_model_runs": self.n_runs,
            "success": self.success,
            "message": self.message,
            "warnings": self.warnings,
        }


def default_diff_step(numerics: Any) -> tuple[float, str]:
    """The relative finite-difference step above the model's numerical noise, and why.

    The noise of a run is taken as the largest solver tolerance the numerics declare
    (float fields named ``*tol``, between 0 and 1); the step is sqrt(tol), clipped to
    :data:`DIFF_STEP_RANGE`.
    """
    tols = {
        name: float(v)
        for name, v in numerics.model_dump().items()
        if name.endswith("tol") and isinstance(v, float) and 0 < v < 1
    }
    lo, hi = DIFF_STEP_RANGE
    if not tols:
        return lo, (
            f"{lo:g}: the numerics declare no solver tolerance (a fixed-step or closed-form "
            "model, noise at the rounding level)"
        )
    name = max(tols, key=tols.get)
    step = min(hi, max(lo, math.sqrt(tols[name])))
    return step, (
        f"{step:.3g} = sqrt(numerics.{name} = {tols[name]:g}), the largest solver tolerance "
        f"(clipped to [{lo:g}, {hi:g}]): above the relative noise of a run"
    )


class _Evaluator:
    """Model runs (cached by physics values) and the residual vector of a fit."""

    def __init__(
        self,
        scenario: Scenario,
        mspec: MeasuredSpec,
        params: Any,
        fluence: tuple[str, ...],
        free: list[FreeParameter],
        bar: Any,
    ):
        self.scenario, self.mspec, self.params = scenario, mspec, params
        self.fluence, self.free, self.bar = fluence, free, bar
        self.traces: dict[tuple[float, ...], ModelTrace] = {}
        self.outputs: dict[tuple[float, ...], tuple[Any, dict[str, Any]]] = {}
        self.n_runs = 0
        self.where = f"fit of scenario {scenario.name!r}"
        self.data: Any = None
        self.mask: np.ndarray | None = None
        self.target: np.ndarray | None = None
        self.sigma: np.ndarray | None = None

    def overrides(self, x: np.ndarray) -> dict[str, Any]:
        # the fit-level names (time_zero, fluence_scale) are the fit's own, even where the
        # model has a parameter of that name (the generic pump-probe's fluence_scale)
        values = {
            p.name: float(v)
            for p, v in zip(self.free, x)
            if p.name in self.params_names and p.name not in FIT_LEVEL
        }
        scale = next((float(v) for p, v in zip(self.free, x) if p.name == "fluence_scale"), 1.0)
        return apply(self.params, values, self.fluence, scale)

    @property
    def params_names(self) -> set[str]:
        return set(type(self.params).model_fields)

    def key(self, x: np.ndarray) -> tuple[float, ...]:
        return tuple(float(v) for p, v in zip(self.free, x) if p.is_physics)

    def run(self, x: np.ndarray) -> ModelTrace:
        """The model trace at ``x`` (one model run unless cached)."""
        from photosc.runner import compute

        key = self.key(x)
        if key in self.traces:
            return self.traces[key]
        sc = with_overrides(self.scenario, self.overrides(x))
        try:
            ds, summary, _ = compute(sc)
        except PhotoscError as exc:
            shown = ", ".join(f"{p.name} = {v:.6g} {p.unit}" for p, v in zip(self.free, x))
            raise PhotoscError(f"{self.where}: the model run at {shown} failed: {exc}") from None
        self.n_runs += 1
        self.bar.update(1)
        trace = model_trace(ds, self.mspec, self.where)
        self.traces[key] = trace
        self.outputs[key] = (ds, summary)
        while len(self.outputs) > 4:  # keep the datasets of the last few runs only
            self.outputs.pop(next(iter(self.outputs)))
        return trace

    def time_zero(self, x: np.ndarray) -> float:
        return next(
            (float(v) for p, v in zip(self.free, x) if p.name == "time_zero"),
            self.mspec.time_zero,
        )

    def setup(self, x0: np.ndarray) -> Comparison:
        """Read the data, fix the points used (inside the start model's range)."""
        trace = self.run(x0)
        self.data = read_measured(self.mspec, spectrum=trace.energy is not None)
        comp = compare(trace, self.data, self.time_zero(x0), self.where)
        self.mask = comp.inside
        self.target = comp.data[self.mask]
        self.sigma = None if comp.error is None else comp.error[self.mask]
        return comp

    def residuals(self, x: np.ndarray) -> np.ndarray:
        trace = self.run(x)
        values, _ = interpolate(trace, self.data.delay, self.data.energy, self.time_zero(x))
        r = values[self.mask] - self.target
        return r if self.sigma is None else r / self.sigma

    def jacobian(self, x: np.ndarray, steps: np.ndarray) -> np.ndarray:
        r0 = self.residuals(x)
        jac = np.empty((r0.size, x.size))
        for i, p in enumerate(self.free):
            h = steps[i] if p.name == "time_zero" else steps[i] * (abs(x[i]) or p.scale)
            if x[i] + h > p.upper:
                h = -h if x[i] - h >= p.lower else p.upper - x[i]
            xh = x.copy()
            xh[i] += h
            jac[:, i] = (self.residuals(xh) - r0) / (xh[i] - x[i])
        return jac


def _scan_time_zero(
    ev: _Evaluator, x0: np.ndarray, free: list[FreeParameter], span: float
) -> float | None:
    """Start time_zero at the best shift of a scan (no model runs); None if not freed.

    A trace with oscillations faster than the shift to be found (a coherent phonon, a
    forced response at the pump's carrier) has local minima of chi^2 in time_zero a
    period apart; the scan over +-:data:`TIME_ZERO_SCAN` x the measured delay span, in
    steps of half the smallest model delay spacing (within the bounds), puts the start in
    the basin of the best one. Updates ``x0`` in place; returns the chosen start (ps).
    """
    names = [p.name for p in free]
    if "time_zero" not in names:
        return None
    i = names.index("time_zero")
    p = free[i]
    trace = ev.run(x0)
    step = 0.5 * float(np.min(np.diff(trace.delay)))
    width = TIME_ZERO_SCAN * span
    n = min(int(width / step), 2000)
    grid = x0[i] + np.linspace(-width, width, 2 * n + 1)
    grid = grid[(grid >= p.lower) & (grid <= p.upper)]
    best, best_cost = x0[i], np.inf
    for tz in grid:
        x = x0.copy()
        x[i] = tz
        cost = float(np.sum(ev.residuals(x) ** 2))
        if cost < best_cost:
            best, best_cost = tz, cost
    x0[i] = best
    return float(best)


def _measured_spec(
    scenario: Scenario,
    data: str | os.PathLike[str] | None,
    variable: str | None,
    select: dict[str, Any] | None,
    units: dict[str, str] | None,
    fluence_parameters: list[str] | None,
) -> MeasuredSpec:
    spec = scenario.measured
    if spec is None:
        if data is None or variable is None:
            raise ConfigError(
                f"scenario {scenario.name!r} has no [measured] table: give the data file "
                "(--data) and the variable it is compared with (--variable)"
            )
        spec = MeasuredSpec(file=Path(data).expanduser().resolve(), variable=variable)
    elif data is not None:
        spec = replace(spec, file=Path(data).expanduser().resolve())
    if variable is not None:
        spec = replace(spec, variable=variable)
    if select:
        spec = replace(spec, select={**spec.select, **select})
    if units:
        spec = replace(spec, units={**spec.units, **units})
    if fluence_parameters is not None:
        spec = replace(spec, fluence_parameters=tuple(fluence_parameters))
    return spec


def _covariance(
    jac: np.ndarray, scale: np.ndarray, s2: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(covariance, standard errors, correlation) from J (columns scaled by ``scale``)."""
    js = jac * scale
    _, sv, vt = np.linalg.svd(js, full_matrices=False)
    p = jac.shape[1]
    tol = (sv.max() if sv.size else 0.0) * max(jac.shape) * np.finfo(float).eps
    keep = sv > tol
    cov_s = (vt[keep].T / sv[keep] ** 2) @ vt[keep]
    cov = cov_s * np.outer(scale, scale) * s2
    var = np.diag(cov).copy()
    for k in np.flatnonzero(~keep):  # null directions: infinite variance
        var[np.abs(vt[k]) > 1e-6] = np.inf
    stderr = np.sqrt(var)
    corr = np.full((p, p), np.nan)
    ok = np.isfinite(stderr) & (stderr > 0)
    sub = np.ix_(ok, ok)
    corr[sub] = cov[sub] / np.outer(stderr[ok], stderr[ok])
    return cov, stderr, corr


def _flags(
    free: list[FreeParameter], values: np.ndarray, stderr: np.ndarray, corr: np.ndarray, span: float
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i, p in enumerate(free):
        why = []
        if not math.isfinite(stderr[i]):
            why.append("the trace does not change with it: infinite standard error")
        elif p.name == "time_zero":
            if stderr[i] > TIME_ZERO_LIMIT * span:
                why.append(
                    f"standard error {stderr[i]:.3g} ps > {TIME_ZERO_LIMIT:g} x the measured "
                    f"delay span ({span:.3g} ps)"
                )
        elif stderr[i] > REL_ERROR_LIMIT * abs(values[i]):
            rel = stderr[i] / abs(values[i]) if values[i] else math.inf
            why.append(f"relative standard error {100 * rel:.3g} % > {100 * REL_ERROR_LIMIT:g} %")
        for bound, side in ((p.lower, "lower"), (p.upper, "upper")):
            if math.isfinite(bound) and abs(values[i] - bound) <= 1e-9 * max(1.0, abs(bound)):
                why.append(f"at its {side} bound {bound:.6g} {p.unit}: the error is not meaningful")
        for j, q in enumerate(free):
            if j != i and abs(corr[i, j]) > CORRELATION_LIMIT:
                why.append(f"correlation {corr[i, j]:+.3f} with {q.name}")
        if why:
            out[p.name] = why
    return out


def fitted_toml(scenario: Scenario, result_lines: list[str]) -> str:
    """The fitted scenario as a TOML file (resolved configuration plus ``[measured]``)."""
    from photosc.runner import config_toml

    spec, params, numerics = validate(scenario)
    data = tomllib.loads(config_toml(scenario, spec, params, numerics))
    data["measured"] = scenario.measured.to_table()
    head = "".join(f"# {line}\n" for line in result_lines)
    return head + tomli_w.dumps(data)


def fit(
    name_or_path: str | os.PathLike[str] | Scenario,
    *,
    free: list[str],
    data: str | os.PathLike[str] | None = None,
    variable: str | None = None,
    select: dict[str, Any] | None = None,
    units: dict[str, str] | None = None,
    fluence_parameters: list[str] | None = None,
    grid: str = "full",
    overrides: dict[str, Any] | None = None,
    bounds: dict[str, tuple[float, float]] | None = None,
    diff_step: float | None = None,
    max_evaluations: int = 50,
    out: str | os.PathLike[str] | None = None,
    write: bool = True,
    overwrite: bool = False,
) -> FitResult:
    """Fit parameters of a scenario to a measured trace; the twin of ``photosc fit``.

    Parameters
    ----------
    name_or_path : str, Path or Scenario
        Built-in scenario, TOML file or result.nc (as :func:`photosc.runner.run`).
    free : list of str
        Parameters to fit: float physics parameters (declared units), ``time_zero``
        (ps), ``fluence_scale`` (1).
    data : str or Path, optional
        The measured file (replaces the ``[measured]`` table's file; needed without one).
    variable : str, optional
        The compared dataset variable (needed without a ``[measured]`` table).
    select : dict, optional
        Coordinate values picking one trace (added to ``[measured].select``).
    units : dict of str to str, optional
        Column units (``{"delay": "fs"}``) where the file's header gives none.
    fluence_parameters : list of str, optional
        Parameters ``fluence_scale`` multiplies (default: those in a fluence unit).
    grid : {"full", "ci", "small"}
        Which settings the model runs on (:func:`photosc.config.on_grid`).
    overrides : dict, optional
        ``--set`` values (applied after the grid's).
    bounds : dict of str to (float, float), optional
        User bounds in each parameter's unit, intersected with the declared ones.
    diff_step : float, optional
        Relative finite-difference step (default: :func:`default_diff_step`).
    max_evaluations : int
        Most residual evaluations of the solver (each up to one model run; each
        Jacobian adds one run per freed physics parameter).
    out : str or Path, optional
        Output folder (default ``runs/NAME-fit-TIMESTAMP``): the best fit's run folder
        plus ``fit.json``, ``fitted.toml`` and ``fit.png``.
    write : bool
        Write the folder.
    overwrite : bool
        Replace an earlier photosc result in ``out``.

    Returns
    -------
    FitResult

    Raises
    ------
    ConfigError
        Bad names, bounds, data or too few points; never a traceback for bad input.
    """
    from photosc.runner import claim_out, compute, load_any

    scenario = with_overrides(on_grid(load_any(name_or_path), grid), overrides)
    if scenario.is_sweep:
        raise ConfigError(
            f"scenario {scenario.name!r} is a sweep; a fit runs one configuration: fix the "
            f"swept parameters with --set ({', '.join(scenario.sweep)})"
        )
    if diff_step is not None and not 0 < diff_step < 1:
        raise ConfigError(f"--diff-step must lie between 0 and 1 (relative), got {diff_step}")
    if max_evaluations < 1:
        raise ConfigError(f"--max-evals must be a positive integer, got {max_evaluations}")
    mspec = _measured_spec(scenario, data, variable, select, units, fluence_parameters)
    scenario = replace(scenario, measured=mspec)
    spec, params, numerics = validate(scenario)
    preview = read_measured(mspec)  # a bad file fails before any model run
    fluence = fluence_fields(spec, mspec.fluence_parameters)
    span = float(np.ptp(preview.delay)) or 1.0
    free_p = free_parameters(
        spec,
        params,
        list(free),
        time_zero=mspec.time_zero,
        fluence=fluence,
        user_bounds=bounds,
        delay_span=span,
    )
    step, rule = (diff_step, "given (--diff-step)") if diff_step else default_diff_step(numerics)
    path = lock = None
    if write:
        path, lock = claim_out(out, f"{scenario.name}-fit", overwrite=overwrite)
    try:
        n_phys = sum(p.is_physics for p in free_p)
        with progress_bar(max_evaluations * (1 + n_phys), f"fit {scenario.name}", "run") as bar:
            ev = _Evaluator(scenario, mspec, params, fluence, free_p, bar)
            x0 = np.array([p.start for p in free_p])
            comp0 = ev.setup(x0)
            n = int(ev.mask.sum())
            if n <= len(free_p):
                raise ConfigError(
                    f"fit of scenario {scenario.name!r}: {n} measured point(s) inside the "
                    f"model's delay range for {len(free_p)} free parameter(s); need more "
                    "points than parameters"
                )
            tz_step = 0.25 * float(np.min(np.diff(ev.traces[ev.key(x0)].delay)))
            steps = np.array([tz_step if p.name == "time_zero" else step for p in free_p])
            scales = np.array([p.scale for p in free_p])
            lo = np.array([p.lower for p in free_p])
            hi = np.array([p.upper for p in free_p])
            scan = _scan_time_zero(ev, x0, free_p, span)
            stop_tol = min(1e-2, max(1e-8, step**2))  # changes below a run's noise
            sol = least_squares(
                ev.residuals,
                x0,
                jac=lambda x: ev.jacobian(x, steps),
                bounds=(lo, hi),
                x_scale="jac",
                method="trf",
                max_nfev=max_evaluations,
                ftol=stop_tol,
                xtol=stop_tol,
            )
            x = np.clip(sol.x, lo, hi)
            r = ev.residuals(x)
            jac = ev.jacobian(x, steps)
        chi2 = float(r @ r)
        weighted = ev.sigma is not None
        s2 = 1.0 if weighted else chi2 / (n - len(free_p))
        _, stderr, corr = _covariance(jac, scales, s2)
        flags = _flags(free_p, x, stderr, corr, span)
        best_trace = ev.run(x)
        tz = ev.time_zero(x)
        best = replace(
            with_overrides(scenario, ev.overrides(x)), measured=replace(mspec, time_zero=tz)
        )
        comp = compare(best_trace, ev.data, tz, ev.where)
        result = FitResult(
            scenario=best,
            parameters=free_p,
            values=x,
            stderr=stderr,
            correlation=corr,
            chi2=chi2,
            n_points=n,
            weighted=weighted,
            diff_step=step,
            diff_step_rule=rule,
            time_zero_step=tz_step,
            time_zero_scan_start=scan,
            n_runs=ev.n_runs,
            success=bool(sol.success),
            message=str(sol.message),
            flags=flags,
            comparison=comp,
            trace=best_trace,
        )
        del comp0
        result.fitted_toml = fitted_toml(best, report_lines(result))
        ds, run_summary = ev.outputs.get(ev.key(x)) or compute(best)[:2]
        result.summary = _summary(result, run_summary)
        if write and path is not None:
            _write(result, ds, path, overwrite)
            result.path = path
    finally:
        if lock is not None:
            lock.release()
    return result


def _summary(result: FitResult, run_summary: dict[str, Any]) -> dict[str, Any]:
    from photosc.fitting.compare import summary_items
    from photosc.runner import check_summary

    out = dict(run_summary)
    out.update(summary_items(result.comparison, result.scenario.measured))
    for p, v, e in zip(result.parameters, result.values, result.stderr):
        sfx = unit_suffix(p.unit)
        out[f"fit_{p.name}{sfx}"] = float(v)
        if math.isfinite(e):
            out[f"fit_{p.name}_stderr{sfx}"] = float(e)
    out["fit_chi2"] = result.chi2
    out["fit_reduced_chi2"] = result.reduced_chi2
    out["fit_n_points"] = result.n_points
    out["fit_n_model_runs"] = result.n_runs
    out["fit_unconstrained"] = sorted(result.flags)
    if result.warnings:
        out["fit_warnings"] = result.warnings
    return check_summary(out, f"fit of scenario {result.scenario.name!r}")


def _write(result: FitResult, ds: Any, path: Path, overwrite: bool) -> None:
    from photosc.fitting.figures import comparison_figure
    from photosc.models import get as get_model
    from photosc.runner import close_figures, make_figures, write_folder

    figures = make_figures(get_model(result.scenario.model).plot, ds, result.summary)
    title = "fit: " + ", ".join(
        f"{p.name} = {v:.4g} +- {e:.2g} {p.unit}"
        for p, v, e in zip(result.parameters, result.values, result.stderr)
    )
    figures["fit"] = comparison_figure(result.trace, result.comparison, title)
    try:
        write_folder(
            path,
            ds,
            result.summary,
            figures,
            extra_files={
                "fit.json": json.dumps(result.to_json(), indent=1) + "\n",
                "fitted.toml": result.fitted_toml,
            },
            overwrite=overwrite,
            kind="fit",
            scenario=result.scenario.name,
        )
    finally:
        close_figures(figures)


def report_lines(result: FitResult) -> list[str]:
    """The fit as text lines: values with errors and units, correlations, warnings."""
    weights = "measured errors" if result.weighted else "no errors given: s^2 = chi^2/(n-p)"
    lines = [
        f"fit of {result.scenario.name} ({result.scenario.model}) to "
        f"{result.scenario.measured.file.name}: {result.n_points} points, {len(result.values)} "
        f"parameters, chi^2/(n-p) = {result.reduced_chi2:.4g} ({weights}), "
        f"{result.n_runs} model runs, {result.message}",
        f"finite-difference step: relative {result.diff_step_rule}; time_zero "
        f"{result.time_zero_step:.3g} ps",
    ]
    if result.time_zero_scan_start is not None:
        lines.append(
            f"time_zero started at {result.time_zero_scan_start:.6g} ps, the best shift of a "
            f"scan over +-{TIME_ZERO_SCAN:g} x the delay span"
        )
    for p, v, e in zip(result.parameters, result.values, result.stderr):
        err = f"{e:.3g}" if math.isfinite(e) else "inf"
        lines.append(f"  {p.name} = {v:.6g} +- {err} {p.unit}")
    if len(result.values) > 1:
        lines.append("correlation: " + " ".join(f"{n:>12s}" for n in result.names))
        for name, row in zip(result.names, result.correlation):
            cells = " ".join(f"{c:12.3f}" if math.isfinite(c) else f"{'n/a':>12s}" for c in row)
            lines.append(f"  {name:>10s}: {cells}")
    lines += [f"warning: {w}" for w in result.warnings]
    return lines
