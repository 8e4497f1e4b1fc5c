"""One driven-dissipative solve of paper 002: time integration, Newton refinement in the
co-rotating frame, stability, and the unpaired (normal) state."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from photosc.cores import bands
from photosc.cores.bands.solve import one_blas_thread
from photosc.errors import ConfigError, ConvergenceError
from photosc.models.interband_pairing.parameters import InterbandNumerics, InterbandParams


def _build(params: InterbandParams, numerics: InterbandNumerics, gamma_rr: float):
    if numerics.dk > params.k_cutoff / 2:
        raise ConfigError(
            f"numerics.dk={numerics.dk} is too coarse for k_cutoff={params.k_cutoff}; "
            f"allowed: dk <= k_cutoff / 2"
        )
    k = bands.radial_grid(params.k_cutoff, numerics.dk)
    dk = k[1] - k[0]
    amax = max(params.a1, params.a2)
    if params.phonon_velocity < amax * dk:
        raise ConfigError(
            f"phonon_velocity={params.phonon_velocity} moves less than one grid step in the "
            f"band with curvature {amax}; allowed: phonon_velocity >= max(a1, a2) * dk = "
            f"{amax * dk:.4g} (or a finer dk)"
        )
    minus = bands.minus_index(k)
    nk = len(k)
    weights = np.full(nk, dk / (2 * np.pi))  # Eq. B3
    # rotating frame (nu = E_g): E_1 + 1/2 = A_1 k^2, E_2 - 1/2 = A_2 k^2
    system = bands.BandSystem(
        k,
        params.a1 * k**2,
        params.a2 * k**2,
        np.full(nk, 0.5 * params.rabi, dtype=complex),
        minus,
        weights,
    )
    v_core = -params.interaction if params.pairing_convention == "paper" else params.interaction
    coupling = bands.GapCoupling.uniform(v_core, weights) if params.interaction > 0 else None
    dissipators = []
    if params.gamma_ph > 0:
        dissipators.append(
            bands.acoustic_phonons_1d(
                k,
                (params.a1, params.a2),
                params.phonon_velocity,
                2.0 * params.gamma_ph,
                params.phonon_temperature,
                minus,
                form=params.phonon_form,
            )
        )
    if gamma_rr > 0:
        dissipators.append(bands.radiative_recombination(nk, 2.0 * gamma_rr, minus))
    return bands.MeanFieldEOM(system, coupling, dissipators)


def _atol(eom: bands.MeanFieldEOM, numerics: InterbandNumerics, seed: float) -> np.ndarray:
    nk = eom.packing.nk
    atol = np.full(eom.packing.size, numerics.atol)
    atol[4 * nk :] = min(numerics.atol, numerics.pair_atol_over_seed * seed)
    return atol


def _abs_gap(eom: bands.MeanFieldEOM, y: np.ndarray) -> np.ndarray:
    st = eom.packing.unpack(y)
    return np.abs(eom.gap(st)[..., 0])


@one_blas_thread
def _pair_growth_rate(eom: bands.MeanFieldEOM, y: np.ndarray, reference: bool = False) -> float:
    """Largest real part of the pair-sector eigenvalues at an unpaired fixed point.

    At ``s = 0`` the linearised equations are block triangular (pair
    perturbations change the populations only at second order), so the
    pair-amplitude block alone decides whether a seed grows. The Jacobian is the
    structured one (:meth:`~photosc.cores.bands.MeanFieldEOM.structured_jacobian`;
    ``reference``: the dense finite-difference one, as before issue 16). BLAS on one
    thread (the eigenvalues of a few hundred rows; see ``one_blas_thread``).
    """
    nk = eom.packing.nk
    jac = eom.jacobian(y) if reference else eom.structured_jacobian(y)
    block = jac[4 * nk :, 4 * nk :]
    return float(np.linalg.eigvals(block).real.max())


#: Newton options of the path before issue 16 (``reference=True``).
_REFERENCE_NEWTON: dict[str, Any] = {
    "reuse_jacobian": False,
    "stall_iterations": None,
    "structured_jacobian": False,
}

#: Largest pair amplitude max |s^21_k| up to which the seeded run stands in for the
#: unpaired one: the populations feel the pairs only at second order (|s|^2 <= 1e-12,
#: below the integrator's atol of 1e-9).
_UNPAIRED_TRAIL_MAX_PAIR = 1e-6


@dataclasses.dataclass
class _UnpairedTrail:
    """What the seeded run already knows about the unpaired (``s = 0``) run.

    Attributes
    ----------
    t : float, 1/E_g
        Latest output time up to which the seeded run's pair amplitude stayed at or
        below ``_UNPAIRED_TRAIL_MAX_PAIR``.
    y : (size,) float or None
        The seeded run's state at ``t`` with the pairs set to zero.
    ends : dict int -> (size,) float
        Chunk index -> the seeded run's state at that chunk's end (pairs zeroed).
    refined : dict int -> SteadyState or ConvergenceError
        Chunk index -> outcome of the seeded run's Newton refinement there, where it
        treated the state as unpaired (no phase unknown, no band shift): the equations
        the unpaired run would solve, up to terms of order |s|.
    following : bool
        False once the pair amplitude has passed the limit.
    """

    t: float = 0.0
    y: np.ndarray | None = None
    ends: dict[int, np.ndarray] = dataclasses.field(default_factory=dict)
    refined: dict[int, Any] = dataclasses.field(default_factory=dict)
    following: bool = True

    def follow(self, eom: bands.MeanFieldEOM, chunk: int, tr: bands.Trajectory) -> None:
        """Extend the trail along chunk ``chunk`` of the seeded run."""
        if not self.following:
            return
        nk = eom.packing.nk
        pairs = np.maximum.accumulate(np.abs(tr.y[4 * nk : 6 * nk]).max(axis=0))
        n_ok = int(np.sum(pairs <= _UNPAIRED_TRAIL_MAX_PAIR))
        if n_ok == 0:
            self.following = False
            return
        self.t, self.y = float(tr.t[n_ok - 1]), _zero_pairs(eom, tr.y[:, n_ok - 1])
        if n_ok == len(pairs):
            self.ends[chunk] = self.y
        else:
            self.following = False


def _max_pair(eom: bands.MeanFieldEOM, y: np.ndarray) -> float:
    """max |component| of the pair amplitudes of a packed state (dimensionless)."""
    return float(np.abs(y[4 * eom.packing.nk : 6 * eom.packing.nk]).max())


def _zero_pairs(eom: bands.MeanFieldEOM, y: np.ndarray) -> np.ndarray:
    """Copy of a packed state with every pair amplitude set to zero."""
    out = np.array(y, dtype=float)
    out[4 * eom.packing.nk :] = 0.0
    return out


def _normal_state(
    eom: bands.MeanFieldEOM,
    numerics: InterbandNumerics,
    times: np.ndarray,
    trail: _UnpairedTrail | None = None,
    reference: bool = False,
) -> dict[str, Any]:
    """Unpaired steady state (no seed) and the growth rate of a small pair amplitude there.

    The unpaired run is integrated in chunks of ``t_max`` (up to ``max_extensions``
    more) and refined by Newton's method after each. Where the seeded run's pair
    amplitude stayed small (``trail``), its states and unpaired Newton outcomes are
    taken over instead of integrating and refining the same populations again.
    """
    nk = eom.packing.nk
    y = eom.packing.pack(bands.ground_state(nk, 0.0))
    t0 = 0.0
    trail = trail or _UnpairedTrail()
    newton = {} if not reference else _REFERENCE_NEWTON
    for chunk in range(numerics.max_extensions + 1):
        outcome = None
        if chunk in trail.ends:
            y, t0 = trail.ends[chunk], times[-1] * (chunk + 1)
            outcome = trail.refined.get(chunk)
        else:
            if trail.y is not None and trail.t > t0:
                y, t0_int = trail.y, trail.t
            else:
                t0_int = t0
            t_end = times[-1] + t0
            tr = bands.integrate(
                eom, y, np.array([t0_int, t_end]), rtol=numerics.rtol, atol=numerics.atol
            )
            y, t0 = tr.y[:, -1], tr.t[-1]
        if outcome is None:
            try:
                outcome = bands.refine_steady_state(eom, y, **newton)
            except ConvergenceError as err:
                outcome = err
        if isinstance(outcome, ConvergenceError):
            continue
        return {
            "normal_state_pair_growth_rate": _pair_growth_rate(
                eom, _zero_pairs(eom, outcome.y), reference
            ),
            "normal_state_converged": True,
        }
    # not settled: the rate at the end of the run (flagged)
    return {
        "normal_state_pair_growth_rate": _pair_growth_rate(eom, y, reference),
        "normal_state_converged": False,
    }


def solve_point(
    params: InterbandParams,
    numerics: InterbandNumerics,
    gamma_rr: float | None = None,
    *,
    reference: bool = False,
) -> dict[str, Any]:
    """Integrate, refine and classify one parameter point.

    Returns a dict with the trajectory (``t``, ``abs_delta``, ``number``), the
    final/steady state (``state``), and scalar diagnostics (see the summary keys
    of the scenarios).

    Parameters
    ----------
    params : InterbandParams
        Physics (units in the field descriptions).
    numerics : InterbandNumerics
        Grid, integrator and steady-state options.
    gamma_rr : float or None, E_g
        Radiative rate overriding ``params.gamma_rr``.
    reference : bool
        The path before issue 16, kept for tests: a fresh Jacobian every Newton step
        and a separate integration of the unpaired run for ``normal_state``. The
        default reuses factorised Jacobians (:func:`~photosc.cores.bands.
        refine_steady_state`) and takes the unpaired run over from the seeded one
        while its pair amplitude is below 1e-6 (:class:`_UnpairedTrail`).
    """
    g_rr = params.gamma_rr if gamma_rr is None else gamma_rr
    eom = _build(params, numerics, g_rr)
    nk = eom.packing.nk
    y0 = eom.packing.pack(bands.ground_state(nk, params.seed * (1 + 1j)))
    times = np.linspace(0.0, numerics.t_max, numerics.n_times)
    atol = _atol(eom, numerics, params.seed)
    ts: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    nfev = 0
    y_start, t_start = y0, 0.0
    fixed: tuple | None = (
        None  # (eom in co-rotating frame, y, stability) of an accepted fixed point
    )
    newton_residual, max_growth, n_marg = -1.0, 0.0, 0
    newton = _REFERENCE_NEWTON if reference else {}
    trail = _UnpairedTrail(following=numerics.normal_state and not reference)
    for chunk in range(numerics.max_extensions + 1):
        tr = bands.integrate(eom, y_start, times + t_start, rtol=numerics.rtol, atol=atol)
        trail.follow(eom, chunk, tr)
        ts.append(tr.t if chunk == 0 else tr.t[1:])
        ys.append(tr.y if chunk == 0 else tr.y[:, 1:])
        nfev += tr.nfev
        y_start, t_start = tr.y[:, -1], tr.t[-1]
        chunk_delta = _abs_gap(eom, tr.y)
        tail = bands.classify_tail(
            tr.t, chunk_delta, numerics.tail_fraction, numerics.steady_rel_tol, floor=1e-6
        )
        if tail.kind == "growing" or not numerics.refine:
            if tail.kind in ("steady", "oscillating"):
                break
            continue
        delta_end = eom.gap(eom.packing.unpack(tr.y[:, -2:]))[:, 0]
        rotation = (
            np.angle(delta_end[-1] / delta_end[-2]) / (tr.t[-1] - tr.t[-2])
            if abs(delta_end[-1]) > 1e-8
            else 0.0
        )
        # the same Newton problem as the unpaired run's: no phase unknown, no shift
        unpaired_newton = (
            chunk in trail.ends and rotation == 0.0 and _max_pair(eom, tr.y[:, -1]) <= 1e-10
        )
        try:
            ss = bands.refine_steady_state(eom, tr.y[:, -1], shift_guess=-0.5 * rotation, **newton)
        except ConvergenceError as err:
            if unpaired_newton:
                trail.refined[chunk] = err
            newton_residual = float(err.residual)
            continue  # not close enough to a (physical) fixed point yet: keep integrating
        else:
            if unpaired_newton:
                trail.refined[chunk] = ss
            e2 = eom.with_shift(ss.shift)
            newton_residual = ss.residual
            stab = (
                bands.stability(e2, ss.y, structured_jacobian=not reference)
                if numerics.stability
                else None
            )
            stable = stab is None or stab.stable
            if stab is not None:
                max_growth, n_marg = stab.max_growth_rate, stab.n_marginal
            delta_fp = float(_abs_gap(e2, ss.y))
            # the run must be heading for this fixed point: a steady tail at it, or
            # oscillations around it
            near = abs(tail.mean - delta_fp) <= tail.spread + 1e-3 * max(delta_fp, 1e-6)
            if stable and near:
                fixed = (e2, ss.y, stab)
                break
            if not stable and delta_fp < 1e-6 and tail.mean < 1e-6:
                continue  # an unstable unpaired state: the seed is still growing
        if tail.kind in ("steady", "oscillating"):
            break
    tr = bands.Trajectory(np.concatenate(ts), np.concatenate(ys, axis=1), nfev)
    abs_delta = _abs_gap(eom, tr.y)
    number = bands.total_number(eom, tr.y)
    delta_t = eom.gap(eom.packing.unpack(tr.y[:, -2:]))[:, 0]
    rotation = (
        np.angle(delta_t[-1] / delta_t[-2]) / (tr.t[-1] - tr.t[-2])
        if abs(delta_t[-1]) > 1e-8
        else 0.0
    )
    out: dict[str, Any] = {
        "t": tr.t,
        "abs_delta": abs_delta,
        "number": number,
        "state": eom.packing.unpack(tr.y[:, -1]),
        "behaviour": tail.kind,
        "abs_delta_end": float(abs_delta[-1]),
        "abs_delta_tail_mean": tail.mean,
        "abs_delta_tail_spread": tail.spread,
        "abs_delta_steady": tail.mean,
        "particle_number_drift": float(abs(number[-1] - number[0]) / number[0]),
        "nfev": tr.nfev,
        "refined": fixed is not None,
        "newton_residual": newton_residual,
        "gap_frequency": float(-rotation),
        "steady_state_stable": False,
        "max_growth_rate": max_growth,
        "n_marginal_modes": n_marg,
    }
    out["rhs_residual_end"] = float(np.abs(eom(0.0, tr.y[:, -1])).max())
    if (
        fixed is None
        and tail.kind == "steady"
        and tail.mean < 1e-6
        and (out["rhs_residual_end"] > 1e-6)
    ):
        # |Delta| sits at zero but the populations are still moving: not a steady state
        out["behaviour"] = "unsettled"
    if fixed is not None:
        e2, yfp, stab = fixed
        out["state"] = e2.packing.unpack(yfp)
        out["abs_delta_steady"] = float(_abs_gap(e2, yfp))
        out["gap_frequency"] = float(2.0 * e2.shift)
        out["steady_state_stable"] = stab is not None and stab.stable
        if tail.kind != "steady":
            out["behaviour"] = "converging"
    if numerics.normal_state:
        out.update(_normal_state(eom, numerics, times, trail, reference))
    return out


def time_to_fraction(t: np.ndarray, x: np.ndarray, target: float, fraction: float = 0.9) -> float:
    """First time at which ``x`` reaches ``fraction * target`` (linear interpolation).

    Returns ``-1.0`` when it never does (and ``target <= 0`` gives ``-1.0``).
    """
    if target <= 0:
        return -1.0
    level = fraction * target
    idx = np.flatnonzero(x >= level)
    if len(idx) == 0:
        return -1.0
    i = int(idx[0])
    if i == 0:
        return float(t[0])
    return float(t[i - 1] + (level - x[i - 1]) * (t[i] - t[i - 1]) / (x[i] - x[i - 1]))
