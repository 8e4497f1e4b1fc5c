"""The BCS state at a fixed quasi-particle density (paper 000 Eqs. 4-5, 27-31).

Paper 000 traps quasi-particles: their number, not their temperature, is fixed. With the
Bogoliubov distribution n(E) = 1/(exp((E + lam)/kT) + 1), the gap equation (Eq. 4, tanh
argument (E + lam)/2kT, :mod:`photosc.cores.bcs.gap_equation`) and the density (Eq. 5,
per nu(0))::

    n_qp / nu(0) = 4 int_0^cutoff dxi n(E)

are solved together for Delta and lambda (``fixed_density_state``): the stationarity
conditions of the constrained free energy, Eqs. 27-31. ``fixed_density_free_energy`` is
Eq. 27 minimised over rho at given Delta, the Legendre transform
F_n(Delta) = Omega(Delta, lambda(Delta)) - lambda(Delta) n_qp of the grand potential of
Eq. 25 (:mod:`photosc.cores.bcs.thermodynamics`), relative to the normal state at the
same density. Energies in meV, densities per nu(0) in meV.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.bcs.closed_forms import delta_zero
from photosc.cores.bcs.gap_equation import _bogoliubov_gap_integral_1, _gap_root
from photosc.cores.bcs.quadrature import (
    _check_coupling,
    _check_cutoff,
    _check_delta,
    _check_kT,
    _nodes_1d,
    _step_breaks,
)
from photosc.cores.bcs.thermodynamics import (
    _log_qp_density,
    _log_qp_density_and_slope,
    _softplus_T,
    free_energy,
)
from photosc.errors import ConvergenceError


class FixedDensityState(NamedTuple):
    """Result of :func:`fixed_density_state`.

    Attributes
    ----------
    delta : float, meV
        Gap self-consistent with the Bogoliubov distribution at ``lam``.
    lam : float, meV
        Bogoliubov chemical potential lambda fixing the quasi-particle density.
    iterations : int
        Evaluations of the gap equation (each with its own lambda solve).
    residual : float
        max(|coupling * gap_integral - 1|, |log(n_qp(delta, lam) / n_qp)|).
    """

    delta: float
    lam: float
    iterations: int
    residual: float


def _lambda_for_density(
    delta: float,
    log_n: float,
    kT: float,
    cutoff: float,
    tol: float,
    lam_start: float | None = None,
    max_iter: int = 100,
) -> float:
    """lambda with log qp_density(delta, lambda) = log_n, safeguarded Newton.

    log n decreases with lam with slope -(1/kT) <1 - f> in [-1/kT, 0); the start is
    ``lam_start`` or the Boltzmann estimate n(lam) ~ e^{-lam/kT} n(0). Steps are limited to
    20 kT and kept inside the bracket found so far (bisection otherwise).
    """
    if lam_start is None:
        lam = kT * (_log_qp_density(delta, 0.0, kT, cutoff) - log_n)
    else:
        lam = lam_start
    lo, hi = -math.inf, math.inf
    val = math.nan
    for _ in range(max_iter):
        log_n_lam, slope = _log_qp_density_and_slope(delta, lam, kT, cutoff)
        val = log_n_lam - log_n
        if val == 0.0:
            return lam
        if val > 0:
            lo = max(lo, lam)
        else:
            hi = min(hi, lam)
        step = -val / slope if slope < 0 else math.copysign(20.0 * kT, val)
        step = max(-20.0 * kT, min(20.0 * kT, step))
        new = lam + step
        if not lo < new < hi:
            new = 0.5 * (lo + hi) if math.isfinite(lo) and math.isfinite(hi) else new
        if abs(new - lam) <= tol * max(kT, abs(lam)):
            return new
        lam = new
    raise ConvergenceError("lambda at fixed quasi-particle density did not converge", val, max_iter)


def _check_fixed_density(n_qp: float, kT: float, cutoff: float) -> tuple[float, float]:
    """(kT, log n_qp) after checking a fixed-density request (kT > 0, 0 < n_qp < 4 cutoff)."""
    t = float(_check_kT(kT))
    if t <= 0:
        raise ValueError(f"kT must be > 0 for a fixed quasi-particle density, got {kT}")
    if not (0 < n_qp < 4.0 * cutoff):
        raise ValueError(
            f"n_qp (quasi-particle density per nu(0), meV) must be in (0, 4*cutoff = "
            f"{4 * cutoff}), got {n_qp}"
        )
    return t, math.log(n_qp)


def fixed_density_state(
    n_qp: float,
    kT: float,
    coupling: float,
    cutoff: float,
    *,
    delta_guess: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 200,
) -> FixedDensityState:
    """Delta and lambda self-consistent at a fixed quasi-particle density (paper 000).

    Solves paper 000 Eq. 4 (tanh argument (E + lam)/2kT, see :mod:`.gap_equation`) and
    Eq. 5 (n_qp / nu(0) = 4 int_0^cutoff dxi n(E)) together, the stationarity conditions of
    the constrained free energy Eqs. 27-31. For each trial Delta, lambda(Delta) is found
    from the density (log-space root, no underflow for tiny densities), then the gap
    equation is solved for Delta; the largest root is returned (the branch that tends to
    Delta(T = 0) as n_qp -> 0), unless ``delta_guess`` selects another. When no
    non-trivial root exists, delta = 0 and lam fixes the density of the normal state.

    Above a critical density the trapped state disappears in a saddle-node: the largest
    root merges with a smaller one at a finite gap and Delta jumps to 0 (a static limit of
    the fixed-density equations, see :func:`fixed_density_free_energy`; not the same as
    paper 000's avalanche density n_av of Fig. 4, where 2 Delta falls below the top of the
    phonon continuum and the generation rate runs away). Near the
    normal state, Delta enters the density only through Delta^2, so a density fixes Delta^2
    rather than Delta to the given tolerance.

    Parameters
    ----------
    n_qp : float, meV
        Quasi-particle density per nu(0), 0 < n_qp < 4 cutoff.
    kT : float, meV
        k_B T > 0 (the quasi-particles' temperature, the phonon bath's in paper 000).
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy.
    delta_guess : float, meV, optional
        Warm start (e.g. the previous point of a density sweep).
    tol : float
        Relative tolerance on Delta and lambda.
    max_iter : int
        Iterations of the outer root finder.

    Returns
    -------
    FixedDensityState
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    t, log_n = _check_fixed_density(n_qp, kT, w)
    last: dict[str, float | None] = {"lam": None}
    cache: dict[float, float] = {}  # the same Delta gives the same lambda (brentq re-evaluates)

    def lam_for(d: float) -> float:
        if d not in cache:
            cache[d] = _lambda_for_density(d, log_n, t, w, tol, last["lam"])
            last["lam"] = cache[d]
        return cache[d]

    def h(d: float) -> float:
        lam = lam_for(d)
        return g * _bogoliubov_gap_integral_1(d, lam, t, w) - 1.0

    sol = _gap_root(h, delta_zero(g, w), False, delta_guess, tol, max_iter, g)
    lam = lam_for(sol.delta)
    dens_res = abs(_log_qp_density(sol.delta, lam, t, w) - log_n)
    return FixedDensityState(sol.delta, lam, sol.iterations, max(sol.residual, dens_res))


def _normal_grand_potential(lam: float, kT: float, cutoff: float) -> float:
    """Omega_N(lam)/nu(0) = -4 int_0^cutoff dxi kT ln(1 + e^{-(xi + lam)/kT}), meV^2."""
    a = max(kT, 1e-12 * cutoff)
    breaks = None
    if lam < 0:
        breaks = _step_breaks(np.zeros(1), np.array([lam]), np.array([kT]))[0]
    u, w = _nodes_1d(a, cutoff, breaks)
    xi = a * np.sinh(u)
    vals = _softplus_T(xi + lam, np.asarray(kT)) * a * np.cosh(u)
    return -4.0 * float(np.dot(w, vals))


def fixed_density_free_energy(
    delta: ArrayLike,
    n_qp: float,
    kT: float,
    coupling: float,
    cutoff: float,
    *,
    tol: float = 1e-12,
) -> NDArray[np.float64]:
    """Free energy at fixed quasi-particle density as a function of Delta (paper 000 Eq. 27).

    Eq. 27 minimised over rho at given Delta, with lambda(Delta) fixing the density
    (Eq. 30, per nu(0): 4 int_0^cutoff dxi n(E) = n_qp), is the Legendre transform

        F_n(Delta) = Omega(Delta, lambda(Delta)) - lambda(Delta) n_qp,

    Omega being the grand potential of :func:`free_energy` (with its normal-state part).
    Since dOmega/dlambda = n_qp, dF_n/dDelta = dOmega/dDelta at fixed lambda: the
    stationary points of F_n are the fixed-density solutions (:func:`fixed_density_state`);
    the trapped state is a local minimum, the smaller root a barrier, and the two merge where
    the trapped state collapses. Returned relative to the normal state at the same density,
    F_n(Delta) - F_n(0).

    Parameters
    ----------
    delta : array_like, meV
        Gaps >= 0 (any shape).
    n_qp : float, meV
        Quasi-particle density per nu(0), in (0, 4 cutoff).
    kT : float, meV
        k_B T > 0.
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy.
    tol : float
        Relative tolerance of the lambda solves.

    Returns
    -------
    ndarray, shape of ``delta``, meV^2 (per nu(0))
    """
    d = _check_delta(delta)
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    t, log_n = _check_fixed_density(n_qp, kT, w)
    lam0 = _lambda_for_density(0.0, log_n, t, w, tol)
    omega_n0 = _normal_grand_potential(lam0, t, w)
    flat = d.reshape(-1)
    lams = np.empty(flat.shape)
    last = lam0
    for i, di in enumerate(flat):
        last = _lambda_for_density(float(di), log_n, t, w, tol, last)
        lams[i] = last
    sc = free_energy(flat, t, g, w, lams)  # Omega(Delta, lam) - Omega(0, lam)
    normal = np.array([_normal_grand_potential(float(x), t, w) for x in lams])
    out = sc + normal - omega_n0 - (lams - lam0) * n_qp
    return out.reshape(d.shape)
