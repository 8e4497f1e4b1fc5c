"""The BCS gap equation for an arbitrary quasi-particle distribution, and T_c.

Gap equation (paper 004 Eq. 1; paper 000 Eq. 4 and Eq. 31)::

    1 = coupling * int_0^cutoff dxi (1 - 2 n(E)) / E,     E = sqrt(xi^2 + Delta^2)

Paper 004 writes 1/g = int dE/E nu_qp(E) [1 - 2n(E)] with nu_qp = 2 nu_F E / sqrt(E^2 -
Delta^2); since dE E / sqrt(E^2 - Delta^2) = dxi, this is the form above with
``coupling = 2 g nu_F``. For the Bogoliubov distribution n(E) = 1/(exp((E + lam)/kT) + 1)
of paper 000, 1 - 2n = tanh((E + lam)/(2 kT)): the converted text of Eq. 4 puts lambda
inside the square root and Eq. 31 lost the 1/2 in the tanh argument (papers/README.md);
the form used here is the one derived from Eqs. 29-30.

T_c of the cutoff model is its Delta -> 0 limit at lam = 0,
1 = coupling int_0^cutoff dxi tanh(xi/2kT)/xi, solved without the weak-coupling
approximation (:mod:`photosc.cores.bcs.closed_forms` has the weak-coupling forms).

Root finding: ``equilibrium_gap`` solves all its points at once (safeguarded Newton in
log Delta); ``solve_gap`` and :func:`photosc.cores.bcs.fixed_density_state` use Brent's
method per point, with a scan for the largest root where the gap equation may have
several (``benchmarks/bench_bcs.py``). Quadrature: :mod:`photosc.cores.bcs.quadrature`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq, minimize_scalar

from photosc.cores.bcs.closed_forms import TC_PREFACTOR, delta_zero, tc_weak_coupling
from photosc.cores.bcs.quadrature import (
    _TINY,
    _broadcast_flat,
    _check_coupling,
    _check_cutoff,
    _check_delta,
    _check_kT,
    _check_lam,
    _integrate,
    _nodes_1d,
    _one_minus_2n,
    _step_breaks,
)
from photosc.errors import ConvergenceError

# Smallest Delta / Delta(0) tried when bracketing the gap equation.
_DELTA_FLOOR = 1e-12


class GapSolution(NamedTuple):
    """Result of :func:`solve_gap`.

    Attributes
    ----------
    delta : float, meV
        The self-consistent gap (0.0 when only the trivial solution exists).
    iterations : int
        Evaluations of the gap equation.
    residual : float
        |coupling * gap_integral - 1| at ``delta`` (0.0 for the trivial solution).
    """

    delta: float
    iterations: int
    residual: float


# --------------------------------------------------------------------------------------
# gap integrals
# --------------------------------------------------------------------------------------
def _bogoliubov_gap_integral_1(delta: float, lam: float, kT: float, cutoff: float) -> float:
    """Scalar fast path of :func:`_bogoliubov_gap_integral` (delta > 0)."""
    breaks = None
    if lam < 0:
        breaks = _step_breaks(np.array([delta]), np.array([lam]), np.array([kT]))[0]
    u, w = _nodes_1d(delta, cutoff, breaks)
    x = delta * np.cosh(u) + lam
    if kT > 0:
        with np.errstate(over="ignore"):
            return float(np.dot(w, np.tanh(x / (2.0 * kT))))
    return float(np.dot(w, np.sign(x)))


def _bogoliubov_gap_integral(
    delta: NDArray[np.float64],
    lam: NDArray[np.float64],
    kT: NDArray[np.float64],
    cutoff: NDArray[np.float64],
) -> NDArray[np.float64]:
    """int_0^cutoff dxi tanh((E + lam)/2kT) / E for flat arrays (N,), delta > 0."""

    def integrand(u: NDArray[np.float64], sel: NDArray[np.intp]) -> NDArray[np.float64]:
        e = delta[sel, None] * np.cosh(u)
        return _one_minus_2n(e + lam[sel, None], kT[sel, None])

    return _integrate(delta, cutoff, _step_breaks(delta, lam, kT), integrand)


def _normal_gap_integral(kT: NDArray[np.float64], cutoff: NDArray[np.float64]) -> NDArray:
    """int_0^cutoff dxi tanh(xi/2kT) / xi for flat arrays, kT > 0 (xi = kT sinh u).

    The Delta -> 0 limit of the gap integral at lam = 0 (T_c equation).
    """

    def integrand(u: NDArray[np.float64], sel: NDArray[np.intp]) -> NDArray[np.float64]:
        return np.tanh(0.5 * np.sinh(u)) / np.tanh(u)

    return _integrate(kT, cutoff, None, integrand)


def gap_integral(
    delta: float,
    cutoff: float,
    occupation: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    *,
    breakpoints: Sequence[float] = (),
    scale: float | None = None,
) -> float:
    """int_0^cutoff dxi (1 - 2 n(E)) / E for an arbitrary occupation n(E).

    Paper 004 Eq. 1 written over xi (see the module docstring); paper 000 Eq. 4.

    Parameters
    ----------
    delta : float, meV
        Gap >= 0.
    cutoff : float, meV
        Debye energy > 0.
    occupation : callable
        ``occupation(E) -> n``, E an ndarray (any shape) of quasi-particle energies in meV,
        returns the occupation (same shape, dimensionless).
    breakpoints : sequence of float, meV
        Energies E where n(E) has a kink or step (panel edges are put there).
    scale : float, meV, optional
        For ``delta = 0`` only: the scale a of xi = a sinh u (default cutoff / 1000). The
        integral is finite at delta = 0 only if 1 - 2 n(E) vanishes at E -> 0.

    Returns
    -------
    float, dimensionless (1/coupling at self-consistency)
    """
    d = float(_check_delta(delta))
    w_c = float(_check_cutoff(cutoff))
    if d < _TINY * w_c:
        d = 0.0
    a = d if d > 0 else (float(scale) if scale is not None else 1e-3 * w_c)
    if not a >= _TINY * w_c:
        raise ValueError(f"scale must be > {_TINY} * cutoff, got {scale}")
    xi_b = None
    if len(breakpoints):
        bp = np.asarray(breakpoints, dtype=float).reshape(-1)
        bp = bp[np.abs(bp) > d]  # energies inside the gap are not in the integral
        xi_b = np.sqrt(bp * bp - d * d)
    u, w = _nodes_1d(a, w_c, xi_b)
    if d > 0:  # xi = Delta sinh u: E = Delta cosh u, dxi / E = du
        e = d * np.cosh(u)
        jac = None
    else:
        e = a * np.sinh(u)
        jac = 1.0 / np.tanh(u)
    n = np.asarray(occupation(e), dtype=float)
    if n.shape != e.shape:
        raise ValueError(f"occupation returned shape {n.shape}, expected {e.shape}")
    total = float(np.dot(w if jac is None else w * jac, 1.0 - 2.0 * n))
    if not math.isfinite(total):
        raise ValueError("occupation returned non-finite values")
    return total


# --------------------------------------------------------------------------------------
# T_c and the gap equation
# --------------------------------------------------------------------------------------
def critical_temperature(coupling: float, cutoff: float, *, tol: float = 1e-12) -> float:
    """k_B T_c of the cutoff model: 1 = coupling int_0^cutoff dxi tanh(xi/2kT)/xi.

    Solved numerically (no weak-coupling approximation; results are cached); tends to
    :func:`tc_weak_coupling` as coupling -> 0 (with corrections ~ exp(-cutoff/kT_c)) and
    to coupling * cutoff / 2 at strong coupling.

    Parameters
    ----------
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy > 0.
    tol : float
        Relative tolerance on k_B T_c.

    Returns
    -------
    float, meV
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    return _critical_temperature(g, w, float(tol))


@functools.lru_cache(maxsize=4096)
def _critical_temperature(g: float, w: float, tol: float) -> float:
    t_w = tc_weak_coupling(g, w)
    if t_w <= 1e-300:
        raise ValueError(f"coupling {g} is too small: k_B T_c underflows")

    def h(log_t: float) -> float:
        t = math.exp(log_t)
        return g * float(_normal_gap_integral(np.array([t]), np.array([w]))[0]) - 1.0

    lo, hi = math.log(0.5 * t_w), math.log(max(2.0 * t_w, g * w))
    for _ in range(60):
        if h(lo) > 0:
            break
        lo -= 1.0
    for _ in range(60):
        if h(hi) < 0:
            break
        hi += 1.0
    log_tc, res = brentq(h, lo, hi, xtol=tol, rtol=4 * np.finfo(float).eps, full_output=True)
    if not res.converged:  # pragma: no cover - brentq raises first
        raise ConvergenceError("T_c search did not converge", abs(h(log_tc)), res.iterations)
    return math.exp(log_tc)


def _solve_bracketed(
    h: Callable[[float], float],
    lo: float,
    hi: float,
    xtol: float,
    rtol: float,
    max_iter: int,
    what: str,
) -> tuple[float, int]:
    """Brent's method on [lo, hi]; ConvergenceError (with |h|) instead of scipy's errors."""
    rtol = max(rtol, 4.0 * np.finfo(float).eps * 1.01)
    try:
        x, res = brentq(h, lo, hi, xtol=xtol, rtol=rtol, maxiter=max_iter, full_output=True)
    except (RuntimeError, ValueError) as exc:  # no convergence, or a bracket lost to noise
        raise ConvergenceError(f"{what}: {exc}", abs(h(0.5 * (lo + hi))), max_iter) from None
    return float(x), int(res.function_calls)


def solve_gap(
    coupling: float,
    cutoff: float,
    occupation: Callable[[NDArray[np.float64], float], NDArray[np.float64]] | None = None,
    *,
    kT: float = 0.0,
    lam: float = 0.0,
    delta_guess: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 200,
    breakpoints: Sequence[float] | Callable[[float], Sequence[float]] = (),
) -> GapSolution:
    """Solve 1 = coupling int_0^cutoff dxi (1 - 2n(E))/E for Delta (paper 004 Eq. 1).

    Parameters
    ----------
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy > 0.
    occupation : callable, optional
        ``occupation(E, delta) -> n``: E an ndarray of energies (meV), delta the trial gap
        (meV), so that a distribution that depends on the gap (e.g. paper 004's
        n_F + delta n[Delta]) is recomputed self-consistently. None: the Bogoliubov
        distribution 1/(exp((E + lam)/kT) + 1) (paper 000 Eq. 4).
    kT : float, meV
        k_B T >= 0 (used when ``occupation`` is None).
    lam : float, meV
        Bogoliubov chemical potential (used when ``occupation`` is None).
    delta_guess : float, meV, optional
        Warm start: a root is first sought in [guess/1.5, 1.5 guess] (this follows a branch
        when several solutions exist).
    tol : float
        Relative tolerance on Delta (in units of Delta(0) of the coupling).
    max_iter : int
        Maximum iterations of the root finder.
    breakpoints : sequence of float or callable(delta) -> sequence, meV
        Energies E where a user ``occupation`` has kinks or steps.

    Returns
    -------
    GapSolution
        ``delta = 0.0`` when only the trivial solution exists. For the Bogoliubov
        distribution with lam >= 0 the non-trivial solution is unique; otherwise the
        largest root is returned (the branch connected to Delta(0)), unless
        ``delta_guess`` selects another. The largest root is found by a 32-point scan
        below Delta(0) and, if no sign change shows, a maximisation of the residual around
        its largest scanned value; a pair of roots closer together than the scan spacing
        and away from that maximum could be missed.

    Raises
    ------
    ConvergenceError
        If the root finder does not converge, or no upper bracket is found.
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    t = float(_check_kT(kT))
    lm = float(_check_lam(lam))
    if not tol > 0:
        raise ValueError(f"tol must be > 0, got {tol}")
    d0 = delta_zero(g, w)

    if occupation is None:

        def integral(d: float) -> float:
            return _bogoliubov_gap_integral_1(d, lm, t, w)

        monotone = lm >= 0.0
    else:

        def integral(d: float) -> float:
            bp = breakpoints(d) if callable(breakpoints) else breakpoints
            return gap_integral(d, w, lambda e: occupation(e, d), breakpoints=bp)

        monotone = False

    return _gap_root(lambda d: g * integral(d) - 1.0, d0, monotone, delta_guess, tol, max_iter, g)


def _warm_bracket(
    h: Callable[[float], float], guess: float, coupling: float
) -> tuple[float, float] | None:
    """A bracket [lo, hi] with h(lo) > 0 >= h(hi) near ``guess``, inside [guess/1.5, 1.5 guess].

    At low T, h ~ -coupling ln(Delta) + const, so the root is expected near
    guess exp(h(guess)/coupling); the bracket starts there and widens geometrically (the
    gap equation is flatter near T_c). None if no sign change is found in the window.
    """
    h0 = h(guess)
    if h0 == 0.0:
        return guess, guess * (1.0 + 1e-15)
    lo_lim, hi_lim = guess / 1.5, guess * 1.5
    est = guess * math.exp(max(-0.5, min(0.5, h0 / coupling)))
    width = max(abs(est - guess), 1e-6 * guess)
    for _ in range(12):
        if h0 > 0:
            edge = min(hi_lim, guess + 2.0 * width)
            if h(edge) <= 0:
                return guess, edge
            if edge == hi_lim:
                return None
        else:
            edge = max(lo_lim, guess - 2.0 * width)
            if h(edge) > 0:
                return edge, guess
            if edge == lo_lim:
                return None
        width *= 4.0
    return None


def _gap_root(
    h_raw: Callable[[float], float],
    d0: float,
    monotone: bool,
    delta_guess: float | None,
    tol: float,
    max_iter: int,
    coupling_hint: float = 0.3,
) -> GapSolution:
    """Root selection for h(Delta) = coupling * I(Delta) - 1 (see :func:`solve_gap`).

    1. warm start: a sign change near the guess, within [guess/1.5, 1.5 guess]
       (:func:`_warm_bracket`) -> Brent there;
    2. upper bracket at Delta(0) (h <= 0 there when 0 <= n <= 1), doubled if needed;
    3. monotone h: Brent on [1e-12 Delta(0), upper], or Delta = 0 if h(lower) <= 0;
    4. otherwise scan a grid downwards from the upper end for the largest sign change; if
       none, maximise h around the best grid point (a narrow window of h > 0 between two
       close roots, e.g. near the collapse of a fixed-density state) before concluding
       that only Delta = 0 exists.
    """
    calls = 0

    def h(d: float) -> float:
        nonlocal calls
        calls += 1
        return h_raw(d)

    xtol = tol * d0

    def solved(lo: float, hi: float) -> GapSolution:
        x, _ = _solve_bracketed(h, lo, hi, xtol, tol, max_iter, "gap equation")
        return GapSolution(x, calls, abs(h(x)))

    if delta_guess is not None and delta_guess > 0:
        bracket = _warm_bracket(h, float(delta_guess), coupling_hint)
        if bracket is not None:
            return solved(*bracket)

    hi = d0
    h_hi = h(hi)
    k = 0
    while h_hi > 0:
        k += 1
        if k > 40:
            raise ConvergenceError("no upper bracket for the gap equation", h_hi, calls)
        hi *= 2.0
        h_hi = h(hi)
    if h_hi == 0.0:
        return GapSolution(hi, calls, 0.0)

    if monotone:
        lo = _DELTA_FLOOR * d0
        if h(lo) <= 0:
            return GapSolution(0.0, calls, 0.0)
        return solved(lo, hi)

    grid = (
        np.unique(
            np.concatenate([np.geomspace(_DELTA_FLOOR, 0.05, 12), np.linspace(0.05, 1.0, 20)])
        )[::-1]
        * hi
    )
    values = [h_hi]
    for i in range(1, grid.size):
        hx = h(float(grid[i]))
        if hx > 0:
            return solved(float(grid[i]), float(grid[i - 1]))
        values.append(hx)
    best = int(np.argmax(values))
    if 0 < best < grid.size - 1:
        a, b = float(grid[best + 1]), float(grid[best - 1])
        opt = minimize_scalar(
            lambda x: -h(x), bounds=(a, b), method="bounded", options={"xatol": 1e-6 * b}
        )
        if -opt.fun > 0:
            return solved(float(opt.x), float(grid[best - 1]))
    return GapSolution(0.0, calls, 0.0)


def _gap_integral_and_slope(
    delta: NDArray[np.float64],
    lam: NDArray[np.float64],
    kT: NDArray[np.float64],
    cutoff: NDArray[np.float64],
) -> NDArray[np.float64]:
    """(I, Delta dI/dDelta) for I = int_0^cutoff dxi tanh((E + lam)/2kT)/E; flat, delta > 0.

    With xi = Delta sinh u (dxi/E = du):
    Delta dI/dDelta = int du (Delta/E)^2 [E sech^2((E+lam)/2kT)/(2kT) - tanh((E+lam)/2kT)].
    """

    def integrand(u: NDArray[np.float64], sel: NDArray[np.intp]) -> tuple[NDArray, NDArray]:
        ch = np.cosh(u)
        e = delta[sel, None] * ch
        t = kT[sel, None]
        occ = _one_minus_2n(e + lam[sel, None], t)
        safe = np.where(t > 0, t, 1.0)
        sech2 = np.where(t > 0, 1.0 - occ * occ, 0.0)
        return occ, (e * sech2 / (2.0 * safe) - occ) / (ch * ch)

    return _integrate(delta, cutoff, _step_breaks(delta, lam, kT), integrand)


def _newton_gaps(
    coupling: NDArray[np.float64],
    lam: NDArray[np.float64],
    kT: NDArray[np.float64],
    cutoff: NDArray[np.float64],
    tol: float,
    max_iter: int = 100,
) -> NDArray[np.float64]:
    """Gap for each element (flat arrays, lam >= 0: unique root), safeguarded Newton in log Delta.

    h(x) = coupling I(e^x) - 1 decreases with x = log Delta; the bracket
    [log(_DELTA_FLOOR Delta_0), log Delta_0] holds the root when h(lo) > 0 (else Delta = 0).
    Newton steps that leave the bracket are replaced by bisection.
    """
    d0 = cutoff / np.sinh(1.0 / coupling)
    out = np.zeros(coupling.shape)
    # T = 0 with lam >= 0: no quasi-particles, Delta = Delta(0) exactly
    zero_t = kT < _TINY * cutoff  # corrections ~ exp(-Delta0/kT) vanish in double precision
    out[zero_t] = d0[zero_t]
    idx = np.nonzero(~zero_t)[0]
    if idx.size == 0:
        return out
    g, lm, t, w = coupling[idx], lam[idx], kT[idx], cutoff[idx]
    lo = np.log(_DELTA_FLOOR * d0[idx])
    hi = np.log(d0[idx])
    # h(Delta -> 0): +inf for lam > 0 (1 - 2n(0) = tanh(lam/2kT) > 0, log-divergent);
    # for lam = 0 it is the T_c condition. A root below the floor is returned as the floor.
    nontrivial = np.ones(idx.size, dtype=bool)
    zero_lam = lm == 0
    if np.any(zero_lam):
        nontrivial[zero_lam] = g[zero_lam] * _normal_gap_integral(t[zero_lam], w[zero_lam]) > 1.0
    idx, g, lm, t, w, lo, hi = (a[nontrivial] for a in (idx, g, lm, t, w, lo, hi))
    # initial guess: Delta/Delta0 ~ tanh(1.74 sqrt(T_c/T - 1)) with the weak-coupling T_c
    tc = TC_PREFACTOR * w * np.exp(-1.0 / g)
    ratio = np.tanh(1.74 * np.sqrt(np.clip(tc / t - 1.0, 1e-12, None)))
    x = np.clip(np.log(np.maximum(ratio, _DELTA_FLOOR)) + hi, lo, hi)
    x = np.where((x <= lo) | (x >= hi), 0.5 * (lo + hi), x)
    active = np.arange(idx.size)
    last_h = np.zeros(idx.size)
    for _ in range(max_iter):
        if active.size == 0:
            break
        xa = x[active]
        vals = _gap_integral_and_slope(np.exp(xa), lm[active], t[active], w[active])
        h = g[active] * vals[0] - 1.0
        dh = g[active] * vals[1]
        last_h[active] = h
        lo[active] = np.where(h > 0, xa, lo[active])
        hi[active] = np.where(h < 0, xa, hi[active])
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = xa - h / dh
        bad = ~np.isfinite(xn) | (xn <= lo[active]) | (xn >= hi[active])
        xn = np.where(bad, 0.5 * (lo[active] + hi[active]), xn)
        done = (np.abs(xn - xa) < tol) | (h == 0) | (hi[active] - lo[active] < tol)
        x[active] = xn
        active = active[~done]
    if active.size:
        raise ConvergenceError(
            f"gap equation (vectorised Newton) did not converge for {active.size} of "
            f"{idx.size} points",
            float(np.max(np.abs(last_h[active]))),
            max_iter,
        )
    out[idx] = np.exp(x)
    return out


def equilibrium_gap(
    kT: ArrayLike, coupling: ArrayLike, cutoff: float, *, tol: float = 1e-10
) -> NDArray[np.float64]:
    """Thermal BCS gap Delta(T) (lam = 0), vectorised over kT and coupling.

    All points are solved together by a safeguarded Newton iteration in log Delta (the
    gap equation with lam >= 0 has one non-trivial root at most); :func:`solve_gap` does the
    same one point at a time with Brent's method (``benchmarks/bench_bcs.py`` compares them).

    Parameters
    ----------
    kT : array_like, meV
        k_B T >= 0.
    coupling : array_like
        nu(0) U > 0, broadcast with ``kT`` (e.g. a coupling U(Q) that depends on a phonon
        displacement, paper 000).
    cutoff : float, meV
        Debye energy.
    tol : float
        Relative tolerance on Delta.

    Returns
    -------
    ndarray, broadcast shape of ``kT`` and ``coupling``, meV
        0 at and above T_c (more precisely where Delta < 1e-12 Delta(0)).

    Raises
    ------
    ConvergenceError
        If some point has not converged after 100 Newton/bisection steps.
    """
    _check_kT(kT)
    _check_coupling(coupling)
    w = float(_check_cutoff(cutoff))
    if not tol > 0:
        raise ValueError(f"tol must be > 0, got {tol}")
    shape, (t, g) = _broadcast_flat(kT, coupling)
    if t.size == 0:
        return np.zeros(shape)
    gaps = _newton_gaps(g, np.zeros_like(t), t, np.full_like(t, w), tol)
    return gaps.reshape(shape)
