"""Time integration, steady states and their stability for :class:`MeanFieldEOM`.

* :func:`integrate` — adaptive Runge-Kutta (``scipy.integrate.solve_ivp``,
  DOP853 by default) of the packed equations.
* :func:`refine_steady_state` — Newton's method on ``dy/dt = 0`` in the frame
  rotating with the gap phase (unknown common band shift ``mu``: a gap
  ``Delta(t) ~ exp(-2 i mu t)`` is a fixed point there), with the particle
  number fixed where the dissipators conserve it and the gauge ``Im Delta = 0``.
* :func:`stability` — eigenvalues of the finite-difference Jacobian at a fixed
  point, with the exact zero modes of the symmetries (particle number, pair
  phase) removed.
* :func:`classify_tail` — whether ``|Delta|(t)`` settled, oscillates or bursts.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp
from scipy.linalg import lstsq, lu_factor, lu_solve

from photosc.cores.bands.eom import MeanFieldEOM
from photosc.cores.bands.system import unphysical_amount
from photosc.errors import ConvergenceError

__all__ = [
    "Trajectory",
    "SteadyState",
    "Stability",
    "integrate",
    "refine_steady_state",
    "stability",
    "classify_tail",
    "total_number",
    "conserves_number",
]


class Trajectory(NamedTuple):
    """Result of :func:`integrate`.

    Attributes
    ----------
    t : (nt,) float, 1/energy
        Output times.
    y : (size, nt) float
        Packed states.
    nfev : int
        Right-hand-side evaluations.
    """

    t: NDArray[np.float64]
    y: NDArray[np.float64]
    nfev: int


class Stability(NamedTuple):
    """Linear stability of a fixed point.

    Attributes
    ----------
    eigenvalues : (m,) complex, energy
        Eigenvalues of the Jacobian without the removed symmetry zero modes.
    n_zero_modes : int
        Symmetry zero modes removed (particle number, pair phase).
    max_growth_rate : float, energy
        Largest real part among ``eigenvalues``.
    n_marginal : int
        Further eigenvalues with ``|lambda| <= tolerance`` (a continuum of fixed
        points, e.g. Pauli-blocked states at T = 0 whose occupation cannot change).
    stable : bool
        ``max_growth_rate <= tolerance``: no perturbation grows (marginal modes
        allowed, and counted in ``n_marginal``).
    """

    eigenvalues: NDArray[np.complex128]
    n_zero_modes: int
    max_growth_rate: float
    n_marginal: int
    stable: bool


class SteadyState(NamedTuple):
    """Result of :func:`refine_steady_state`.

    Attributes
    ----------
    y : (size,) float
        Packed fixed point (in the frame with band shift ``shift``).
    shift : float, energy
        Common band shift of the co-rotating frame (gap rotates as ``exp(-2 i shift t)``).
    residual : float, energy
        Max |dy/dt| at the fixed point.
    iterations : int
        Newton steps.
    jacobians : int
        Finite-difference Jacobians computed (fewer than ``iterations`` where a
        factorised Jacobian was reused).
    """

    y: NDArray[np.float64]
    shift: float
    residual: float
    iterations: int
    jacobians: int = 0


def integrate(
    eom: MeanFieldEOM,
    y0: NDArray[np.float64],
    t_eval: NDArray[np.float64],
    rtol: float = 1e-8,
    atol: float = 1e-9,
    method: str = "DOP853",
    max_step: float = np.inf,
) -> Trajectory:
    """Integrate the equations of motion from ``t_eval[0]`` to ``t_eval[-1]``.

    Parameters
    ----------
    eom : MeanFieldEOM
    y0 : (size,) float
        Packed initial state.
    t_eval : (nt,) float, 1/energy
        Increasing output times.
    rtol, atol : float
        Tolerances of the adaptive Runge-Kutta method (paper 002: atol 1e-9).
    method : str
        ``solve_ivp`` method.
    max_step : float, 1/energy
        Largest step.

    Raises
    ------
    ConvergenceError
        If the integrator fails.
    """
    t_eval = np.asarray(t_eval, dtype=float)
    sol = solve_ivp(
        eom,
        (t_eval[0], t_eval[-1]),
        np.asarray(y0, dtype=float),
        method=method,
        t_eval=t_eval,
        rtol=rtol,
        atol=atol,
        max_step=max_step,
    )
    if not sol.success:
        raise ConvergenceError(f"time integration failed: {sol.message}", float("nan"), sol.nfev)
    return Trajectory(sol.t, sol.y, int(sol.nfev))


def total_number(eom: MeanFieldEOM, y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Total electron number ``sum_k (n^11_k + n^22_k)`` of packed state(s).

    Parameters
    ----------
    eom : MeanFieldEOM
        Supplies the packing (grid size ``nk``).
    y : (size,) or (size, batch) float, dimensionless
        Packed state(s).

    Returns
    -------
    float array of shape () or (batch,), dimensionless (electrons on the grid, unweighted)
    """
    nk = eom.packing.nk
    return y[:nk].sum(axis=0) + y[nk : 2 * nk].sum(axis=0)


def conserves_number(eom: MeanFieldEOM, seed: int = 0) -> bool:
    """Whether the equations conserve the total number (tested on a random state).

    Parameters
    ----------
    eom : MeanFieldEOM
        Equations of motion to test.
    seed : int
        Seed of the random packed state (components uniform in [0, 0.5)).
    """
    rng = np.random.default_rng(seed)
    y = rng.uniform(0, 1, eom.packing.size) * 0.5
    f = eom(0.0, y)
    nk = eom.packing.nk
    return bool(abs(f[: 2 * nk].sum()) < 1e-10 * max(1.0, np.abs(f).max()))


def _gauge(eom: MeanFieldEOM, y: NDArray) -> NDArray:
    """Sum of ``w_k s^21_k`` (its imaginary part is fixed to zero)."""
    nk = eom.packing.nk
    w = eom.system.weights
    return (w * (y[4 * nk : 5 * nk] + 1j * y[5 * nk : 6 * nk])).sum(axis=0)


@functools.cache
def _blas_controller():
    """threadpoolctl's view of the loaded BLAS libraries (inspected once)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread(fn):
    """Decorator: run ``fn`` with BLAS on one thread (threadpoolctl), restored after.

    The Newton steps and stability eigenvalues work on matrices of a few hundred to a
    few thousand rows. With multithreaded OpenBLAS on a machine whose cores are all
    busy (sweeps run one process per core), the threads spin-wait for each other and
    a 250 x 250 solve takes a second instead of a millisecond.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _blas_controller().limit(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper


#: Public name of the decorator, for dense linear algebra in the models.
one_blas_thread = _one_blas_thread


def _solve_linear(a: NDArray, b: NDArray) -> NDArray:
    """Newton step: LU solve, least squares where the Jacobian is (nearly) singular."""
    try:
        x = np.linalg.solve(a, b)
        if np.all(np.isfinite(x)) and np.linalg.norm(a @ x - b) <= 1e-8 * (1 + np.linalg.norm(b)):
            return x
    except np.linalg.LinAlgError:
        pass
    return lstsq(a, b, lapack_driver="gelsy")[0]


class _Factorised:
    """A Newton matrix, LU-factorised once and solved for many right-hand sides.

    Falls back to least squares (``gelsy``) where the matrix is (nearly) singular,
    exactly as :func:`_solve_linear` does for a single solve.
    """

    def __init__(self, a: NDArray) -> None:
        self.a = a
        try:
            self.lu: tuple | None = lu_factor(a, check_finite=False)
            if not np.all(np.isfinite(self.lu[0])):
                self.lu = None
        except (np.linalg.LinAlgError, ValueError):
            self.lu = None

    def solve(self, b: NDArray) -> NDArray:
        """``a^-1 b`` (LU), or the least-squares solution where LU is inaccurate."""
        if self.lu is not None:
            x = lu_solve(self.lu, b, check_finite=False)
            ok = np.all(np.isfinite(x))
            if ok and np.linalg.norm(self.a @ x - b) <= 1e-8 * (1 + np.linalg.norm(b)):
                return x
            self.lu = None  # singular: least squares from now on
        return lstsq(self.a, b, lapack_driver="gelsy")[0]


@_one_blas_thread
def refine_steady_state(
    eom: MeanFieldEOM,
    y_guess: NDArray[np.float64],
    shift_guess: float = 0.0,
    tol: float = 1e-11,
    max_iter: int = 30,
    pair_threshold: float = 1e-10,
    physical_tol: float = 1e-6,
    reuse_jacobian: bool = True,
    stall_iterations: int | None = 6,
    structured_jacobian: bool = True,
) -> SteadyState:
    """Newton refinement of a fixed point close to ``y_guess``.

    Unknowns: the packed state and, when the pair amplitude is finite
    (``max |s^21| > pair_threshold``), the band shift ``mu`` of the co-rotating
    frame. Equations: ``dy/dt = 0``, with one number equation replaced by
    ``N(y) = N(y_guess)`` when the equations conserve the particle number,
    and the gauge ``Im sum_k w_k s^21_k = 0`` when ``mu`` is unknown.

    With ``reuse_jacobian`` (default) the finite-difference Jacobian is
    LU-factorised once and kept for the following steps (chord / Shamanskii
    Newton) while each step cuts the residual at least tenfold without damping;
    a step that does not decrease the residual with a kept Jacobian is discarded
    and retried with a fresh one. The fixed point is the same (the equations and
    ``tol`` are); only the path to it is cheaper. ``reuse_jacobian=False,
    stall_iterations=None, structured_jacobian=False`` is the plain damped Newton
    method with a fresh dense Jacobian every step (the path before issue 16, kept
    as the reference of the tests).

    Parameters
    ----------
    eom : MeanFieldEOM
    y_guess : (size,) float, dimensionless
        Starting point (e.g. the end of a time integration).
    shift_guess : float, energy
        Starting band shift (half the gap's rotation frequency, sign as in
        :class:`SteadyState`).
    tol : float, energy
        Convergence: max |dy/dt| below ``tol``.
    max_iter : int
        Newton steps with a fresh Jacobian (and, with ``reuse_jacobian``, at most
        ``4 max_iter`` steps in all).
    pair_threshold : float, dimensionless
        Below this the state is treated as normal (no phase unknown).
    physical_tol : float, dimensionless
        Largest allowed violation of ``0 <= G_k <= 1`` (see
        :func:`~photosc.cores.bands.system.unphysical_amount`).
    reuse_jacobian : bool
        Keep the factorised Jacobian across steps while they converge fast.
    stall_iterations : int or None
        Give up after this many consecutive fresh-Jacobian steps that each cut the
        residual by less than 10 % (a start too far from any fixed point: the
        damped steps crawl; the caller integrates further instead). ``None``: use
        all ``max_iter`` steps.
    structured_jacobian : bool
        Use :meth:`MeanFieldEOM.structured_jacobian` (coloured finite differences
        plus the exact gap part, the same matrix to ~1e-9) instead of the dense
        finite-difference :meth:`MeanFieldEOM.jacobian`.

    Raises
    ------
    ConvergenceError
        If Newton's method does not reach ``tol`` (the message carries the residual),
        or reaches an unphysical fixed point of the factorised equations.
    """
    y = np.array(y_guess, dtype=float)
    nk = eom.packing.nk
    size = len(y)
    number = conserves_number(eom)
    n0 = total_number(eom, y)
    paired = np.abs(y[4 * nk : 6 * nk]).max() > pair_threshold
    if paired:
        g = _gauge(eom, y)
        phase = np.exp(-1j * np.angle(g))  # rotate so that sum w s21 is real
        s21 = (y[4 * nk : 5 * nk] + 1j * y[5 * nk : 6 * nk]) * phase
        y[4 * nk : 5 * nk], y[5 * nk : 6 * nk] = s21.real, s21.imag
        if eom.packing.layout == "full":
            for c in (6, 8):
                v = (y[c * nk : (c + 1) * nk] + 1j * y[(c + 1) * nk : (c + 2) * nk]) * phase
                y[c * nk : (c + 1) * nk], y[(c + 1) * nk : (c + 2) * nk] = v.real, v.imag
    mu = float(shift_guess)

    def residual(yv: NDArray, m: float) -> NDArray:
        f = eom.with_shift(m)(0.0, yv)
        out = [f]
        if number:
            out[0] = f.copy()
            out[0][0] = total_number(eom, yv) - n0
        if paired:
            out.append(np.array([_gauge(eom, yv).imag]))
        return np.concatenate(out)

    def flow_residual(yv: NDArray, m: float) -> float:
        return float(np.abs(eom.with_shift(m)(0.0, yv)).max())

    def newton_matrix(yv: NDArray, m: float) -> NDArray:
        e = eom.with_shift(m)
        jac = e.structured_jacobian(yv) if structured_jacobian else e.jacobian(yv)
        if number:
            jac[0, :] = 0.0
            jac[0, :nk] = 1.0
            jac[0, nk : 2 * nk] = 1.0
        if paired:
            dmu = 1e-6
            col = (residual(yv, m + dmu) - residual(yv, m - dmu)) / (2 * dmu)
            grow = np.zeros((1, size))
            grow[0, 5 * nk : 6 * nk] = eom.system.weights
            jac = np.vstack([jac, grow])
            jac = np.hstack([jac, col[:, None]])
        return jac

    def damped(step: NDArray) -> tuple[NDArray, float, float, float]:
        # damped update: halve until the residual decreases
        lam = 1.0
        for _ in range(12):
            y_new = y + lam * step[:size]
            mu_new = mu + (lam * step[size] if paired else 0.0)
            res_new = flow_residual(y_new, mu_new)
            if res_new < res or lam < 1e-3:
                break
            lam *= 0.5
        return y_new, mu_new, res_new, lam

    res = flow_residual(y, mu)
    it = 0
    n_jac = 0
    n_stall = 0
    if not reuse_jacobian:
        while res >= tol and it < max_iter:
            it += 1
            n_jac += 1
            step = _solve_linear(newton_matrix(y, mu), -residual(y, mu))
            y_new, mu_new, res_new, _ = damped(step)
            n_stall = n_stall + 1 if res_new > 0.9 * res else 0
            y, mu, res = y_new, mu_new, res_new
            if stall_iterations is not None and n_stall >= stall_iterations:
                break
    else:
        factor: _Factorised | None = None
        while res >= tol and n_jac <= max_iter and it < 4 * max_iter:
            fresh = factor is None
            if fresh:
                if n_jac == max_iter:
                    break
                factor = _Factorised(newton_matrix(y, mu))
                n_jac += 1
            step = factor.solve(-residual(y, mu))
            y_new, mu_new, res_new, lam = damped(step)
            if not fresh and not res_new < res:
                factor = None  # the kept Jacobian is too old: retry with a fresh one
                continue
            it += 1
            if fresh:
                n_stall = n_stall + 1 if res_new > 0.9 * res else 0
            if lam < 1.0 or res_new > 0.1 * res:
                factor = None
            y, mu, res = y_new, mu_new, res_new
            if stall_iterations is not None and n_stall >= stall_iterations:
                break
    if not res < tol:
        raise ConvergenceError("steady-state Newton refinement did not converge", res, it)
    bad = unphysical_amount(eom.packing.unpack(y), eom.system.minus)
    if bad > physical_tol:
        raise ConvergenceError(
            f"Newton refinement converged to an unphysical fixed point (one-body density "
            f"matrix eigenvalue outside [0, 1] by {bad:.3g})",
            res,
            it,
        )
    return SteadyState(y, mu, res, it, n_jac)


@_one_blas_thread
def stability(
    eom: MeanFieldEOM,
    y: NDArray[np.float64],
    tolerance: float = 1e-7,
    structured_jacobian: bool = False,
) -> Stability:
    """Eigenvalues of the linearised equations at a fixed point ``y`` (frame of ``eom``).

    The exact symmetry zero modes are removed: one per conserved particle
    number, one for the pair phase when the pair amplitude is finite. A fixed
    point is stable when no other eigenvalue has real part above ``tolerance``;
    eigenvalues within ``tolerance`` of zero are counted as marginal.

    Parameters
    ----------
    eom : MeanFieldEOM
        Equations in the co-rotating frame of the fixed point.
    y : (size,) float
        Fixed point.
    tolerance : float, energy
        Margin around zero (the finite-difference Jacobian is accurate to ~1e-9).
    structured_jacobian : bool
        Use :meth:`MeanFieldEOM.structured_jacobian` (the same matrix to ~1e-9, from
        far fewer right-hand-side evaluations) instead of the dense one.
    """
    nk = eom.packing.nk
    jac = eom.structured_jacobian(y) if structured_jacobian else eom.jacobian(y)
    ev = np.linalg.eigvals(jac)
    n_zero = int(conserves_number(eom)) + int(np.abs(y[4 * nk : 6 * nk]).max() > 1e-10)
    if n_zero:
        order = np.argsort(np.abs(ev))
        ev = np.delete(ev, order[:n_zero])
    gmax = float(ev.real.max()) if len(ev) else -np.inf
    n_marg = int(np.sum(np.abs(ev) <= tolerance))
    return Stability(ev, n_zero, gmax, n_marg, bool(gmax <= tolerance))


class TailBehaviour(NamedTuple):
    """Classification of ``|Delta|(t)`` at the end of a run.

    Attributes
    ----------
    kind : str
        ``"steady"``, ``"oscillating"`` (periodic, several similar maxima),
        ``"damped"`` (oscillating with decreasing maxima), ``"bursts"`` (irregular
        maxima), ``"drifting"`` (monotonic, not settled) or ``"growing"`` (below
        ``floor`` but increasing monotonically by more than a factor 2).
    mean, spread : float, energy
        Mean and max-min of ``|Delta|`` over the tail.
    relative_drift : float
        ``|last - first| / max(mean, floor)`` over the tail.
    """

    kind: str
    mean: float
    spread: float
    relative_drift: float


def classify_tail(
    t: NDArray[np.float64],
    abs_delta: NDArray[np.float64],
    tail_fraction: float = 0.25,
    rel_tol: float = 1e-3,
    floor: float = 1e-8,
) -> TailBehaviour:
    """Say whether ``|Delta|(t)`` settled over the last ``tail_fraction`` of the run.

    Parameters
    ----------
    t : (nt,) float
        Times.
    abs_delta : (nt,) float, energy
        ``|Delta|(t)``.
    tail_fraction : float
        Fraction of the run examined.
    rel_tol : float
        Relative spread (to ``max(mean, floor)``) below which the tail is steady.
    floor : float, energy
        Absolute scale below which ``|Delta|`` counts as zero.
    """
    t = np.asarray(t)
    x = np.asarray(abs_delta)
    tail = x[t >= t[0] + (1 - tail_fraction) * (t[-1] - t[0])]
    mean = float(tail.mean())
    spread = float(tail.max() - tail.min())
    scale = max(mean, floor)
    drift = float(abs(tail[-1] - tail[0]) / scale)
    if spread / scale < rel_tol:
        if tail[-1] > 2.0 * tail[0] and tail[-1] > 1e-300:
            # tiny but growing exponentially (a seed on its way up)
            return TailBehaviour("growing", mean, spread, drift)
        return TailBehaviour("steady", mean, spread, drift)
    d = np.diff(tail)
    monotonic = np.all(d >= -1e-3 * spread) or np.all(d <= 1e-3 * spread)
    if monotonic:
        return TailBehaviour("drifting", mean, spread, drift)
    peaks = np.flatnonzero((tail[1:-1] > tail[:-2]) & (tail[1:-1] >= tail[2:])) + 1
    if len(peaks) >= 3:
        heights = tail[peaks]
        if (heights.max() - heights.min()) < 0.1 * spread:
            return TailBehaviour("oscillating", mean, spread, drift)
        dev = np.abs(tail - np.median(tail))
        third = len(dev) // 3
        if dev[-third:].max() < 0.8 * dev[:third].max():
            return TailBehaviour("damped", mean, spread, drift)
    return TailBehaviour("bursts", mean, spread, drift)
