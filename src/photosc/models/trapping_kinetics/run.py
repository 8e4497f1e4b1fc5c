"""``qp-trapping-kinetics``: run the comparison and summarise it (lifetimes, avalanche,
step check)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from photosc.models._base import ModelOutput
from photosc.models.trapping_kinetics.dataset import _dataset
from photosc.models.trapping_kinetics.mapping import (
    TrappingKinetics,
    initial_rates,
    setup,
)
from photosc.models.trapping_kinetics.params import (
    TrappingKineticsNumerics,
    TrappingKineticsParams,
)
from photosc.models.trapping_kinetics.trajectories import (
    KineticRun,
    _Reduced,
    reduced_trajectories,
    run_kinetics,
)


def _run(params: TrappingKineticsParams, numerics: TrappingKineticsNumerics) -> ModelOutput:
    """Paper 000's trapping start through the reduced model and the full kinetics.

    The recipe: set up the K3C60 trapping model and the mapped kinetic bath
    (:func:`setup`), compare the initial rates (:func:`initial_rates`), run the reduced
    trajectories (:func:`reduced_trajectories`) and the kinetics until the gap collapses
    (:func:`run_kinetics`), read the avalanche off Delta(t) (:func:`_avalanche`), rerun
    the kinetics at ``check_step`` (:func:`_step_check`), then summarise
    (:func:`_summary`) and assemble the dataset (:func:`_dataset`).

    Parameters
    ----------
    params : TrappingKineticsParams
    numerics : TrappingKineticsNumerics

    Returns
    -------
    ModelOutput
        Dataset over the kinetics' time (ns), the reduced model's states, the
        quasi-particle energy and the phonon energy (meV); summary of tau_MS (ns), the
        rate ratios and the checks (module docstring).
    """
    tk = setup(params, numerics)
    rates = initial_rates(tk)
    red = reduced_trajectories(tk, numerics.n_theta)
    kin = run_kinetics(tk, numerics)
    av = _avalanche(tk, kin)
    check = _step_check(params, numerics)
    summary = _summary(params, numerics, tk, rates, red, kin, av, check)
    ds = _dataset(tk, red, kin, numerics)
    return ModelOutput(ds, summary)


@dataclass
class _Avalanche:
    """How Delta(t) of the kinetics ended (:func:`_avalanche`).

    ``crossed``: 2 Delta fell below Omega_max before t_max; ``collapsed``: Delta
    reached 0; ``slow``: (n_rec,) bool, the records up to the crossing (all without);
    ``speedup``: the fastest decay after the crossing over the mean decay before it;
    ``seen``: crossed, collapsed and ``speedup`` >= 10.
    """

    crossed: bool
    collapsed: bool
    slow: NDArray[np.bool_]
    speedup: float
    seen: bool


def _avalanche(tk: TrappingKinetics, kin: KineticRun) -> _Avalanche:
    """The avalanche: the gap collapses after the crossing 2 Delta = Omega_max, and
    faster than it decayed before.

    Parameters
    ----------
    tk : TrappingKinetics
    kin : KineticRun
    """
    m = tk.model
    crossed, collapsed = math.isfinite(kin.t_cross), math.isfinite(kin.t_collapse)
    slow = kin.t <= (kin.t_cross if crossed else np.inf)
    # avalanche: the gap collapses after the crossing, and faster than it decayed before
    slow_speed = (tk.start.delta - 0.5 * m.omega_max) / kin.t_cross if crossed else 0.0
    after = ~slow
    speed = 0.0
    if crossed and np.count_nonzero(after) >= 2:
        tt, dd = kin.t[after], kin.delta[after]
        ok = np.diff(tt) > 0
        speed = float(np.max(-np.diff(dd)[ok] / np.diff(tt)[ok])) if np.any(ok) else 0.0
    speedup = speed / slow_speed if slow_speed > 0 else 0.0
    avalanche = bool(crossed and collapsed and speedup >= 10.0)
    return _Avalanche(crossed, collapsed, slow, speedup, avalanche)


def _step_check(
    params: TrappingKineticsParams, numerics: TrappingKineticsNumerics
) -> dict[str, float]:
    """Convergence in the grid step: the kinetics rerun with ``check_step`` (meV).

    Parameters
    ----------
    params : TrappingKineticsParams
    numerics : TrappingKineticsNumerics

    Returns
    -------
    dict
        ``tau`` (crossing time, ps), ``collapse`` (ps) and ``wall`` (s) of the rerun;
        empty with ``check_step`` = 0.
    """
    check = {}
    if numerics.check_step > 0:
        tk2 = setup(params, numerics, step=float(numerics.check_step))
        kin2 = run_kinetics(tk2, numerics)
        check = {"tau": kin2.t_cross, "collapse": kin2.t_collapse, "wall": kin2.wall}
    return check


def _summary(
    params: TrappingKineticsParams,
    numerics: TrappingKineticsNumerics,
    tk: TrappingKinetics,
    rates: dict[str, float],
    red: dict[str, _Reduced],
    kin: KineticRun,
    av: _Avalanche,
    check: dict[str, float],
) -> dict[str, Any]:
    """Summary of :func:`_run`: the start, the initial rates and their ratios, tau_MS
    and the collapse (ns) of the kinetics against the reduced trajectories, the
    avalanche, the deviations from a Bogoliubov state over the slow regime, the energy
    budget and the step-convergence check.

    Parameters
    ----------
    params : TrappingKineticsParams
    numerics : TrappingKineticsNumerics
    tk : TrappingKinetics
    rates : dict
        :func:`initial_rates` (per ps).
    red : dict
        :func:`reduced_trajectories`.
    kin : KineticRun
    av : _Avalanche
    check : dict
        :func:`_step_check`.
    """
    m = tk.model
    crossed, collapsed, slow = av.crossed, av.collapsed, av.slow
    ns = 1e-3  # ps -> ns
    tau_k = kin.t_cross * ns if crossed else float(numerics.t_max) * ns
    r_ = red["reduced"]
    summary: dict[str, Any] = {
        "temperature_K": float(params.temperature),
        "n0_over_n_av": float(params.n_inset_over_n_av),
        "n0": float(tk.n0),
        "n_av": float(tk.n_av),
        "initial_delta_meV": float(kin.delta[0]),
        "energy_budget_error": kin.energy_budget_error,
        "pairing_eigenvalue_max": float(np.max(kin.pairing_eigenvalue)),
        "pairing_eigenvalue_max_time_ps": float(kin.t[int(np.argmax(kin.pairing_eigenvalue))]),
        "initial_delta_reduced_meV": float(tk.start.delta),
        "initial_lambda_meV": float(tk.start.lam),
        "initial_density_kinetics": float(kin.n[0]),
        "initial_density_reduced": float(tk.start.n),
        "initial_rate_kinetics_per_ns": float(rates["kinetic"] / ns),
        "initial_rate_reduced_per_ns": float(rates["reduced"] / ns),
        "initial_rate_ratio": float(rates["kinetic"] / rates["reduced"]),
        "edge_rate_ratio": float(rates["edge"] / rates["reduced"]),
        "golden_rule_rate_ratio": float(rates["kinetic"] / rates["golden_rule"]),
        "phase_space_factor": float(rates["golden_rule"] / rates["reduced_kin_a2f"]),
        "hg2_weight_meV": float(tk.mode_weights[0]),
        "crossed": bool(crossed),
        "tau_ms_kinetics_ns": float(tau_k),
        "tau_ms_reduced_ns": float(r_.tau * ns),
        "tau_ms_ratio": float(tau_k / (r_.tau * ns)),
        "tau_ms_reduced_kinetic_a2f_ns": float(red["reduced_kin_a2f"].tau * ns),
        "tau_ms_golden_rule_ns": float(red["golden_rule"].tau * ns),
        "tau_ms_ratio_golden_rule": float(tau_k / (red["golden_rule"].tau * ns)),
        "collapsed": bool(collapsed),
        "collapse_time_kinetics_ns": float(
            (kin.t_collapse if collapsed else float(numerics.t_max)) * ns
        ),
        "collapse_time_reduced_ns": float(r_.collapse * ns),
        "collapse_time_golden_rule_ns": float(red["golden_rule"].collapse * ns),
        "avalanche_seen": av.seen,
        "avalanche_speedup": float(av.speedup),
        "slow_max_gap_deviation_meV": float(np.max(np.abs(kin.delta - kin.delta_n)[slow])),
        "slow_max_temperature_deviation": float(np.max(np.abs(kin.t_eff / m.kT - 1.0)[slow])),
        "slow_max_lambda_deviation_meV": float(np.max(np.abs(kin.lam_eff - kin.lam_n)[slow])),
        "slow_min_mode_occupation_ratio": float(np.min(kin.mode_occupation[slow])),
        "step_meV": float(numerics.step),
        "grid_points": int(tk.grid.n_qp),
        "kinetic_steps": int(kin.steps),
        "gap_updates": int(kin.gap_updates),
        "runtime_kinetics_s": float(kin.wall),
        "dynamic_phonons": bool(params.dynamic_phonons),
    }
    if check:
        summary["check_step_meV"] = float(numerics.check_step)
        summary["tau_ms_kinetics_ns_check_step"] = float(check["tau"] * ns)
        summary["step_convergence"] = float(check["tau"] / kin.t_cross - 1.0) if crossed else 0.0
        summary["runtime_check_s"] = float(check["wall"])
    return summary
