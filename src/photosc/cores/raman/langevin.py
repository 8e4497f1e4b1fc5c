"""Underdamped Langevin dynamics of the phonon coordinate (paper 000 Eq. 24).

q'' = a(q, t) - gamma q' + eta with <eta(t) eta(t')> = 2 gamma v_thermal^2 delta(t - t')
(fluctuation-dissipation), integrated with the BAOAB splitting (Leimkuhler & Matthews,
Appl. Math. Res. Express 2013, 34); the force comes from the free-energy landscape of
:mod:`.landscape`. Times in ps, velocities in coordinate unit / ps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray


class LangevinResult(NamedTuple):
    """Trajectories of :func:`langevin_baoab`.

    Attributes
    ----------
    t : (n_rec,) float, ps
    q : (n_rec, n_traj) float, coordinate unit
    v : (n_rec, n_traj) float, coordinate unit / ps
    """

    t: NDArray[np.float64]
    q: NDArray[np.float64]
    v: NDArray[np.float64]


def langevin_baoab(
    accel: Callable[[NDArray[np.float64], float], NDArray[np.float64]],
    q0: ArrayLike,
    v0: ArrayLike,
    *,
    dt: float,
    n_steps: int,
    gamma: float,
    v_thermal: float,
    rng: np.random.Generator,
    record_every: int = 1,
    t0: float = 0.0,
) -> LangevinResult:
    """Underdamped Langevin dynamics q'' = a(q, t) - gamma q' + eta, BAOAB splitting.

    The noise obeys <eta(t) eta(t')> = 2 gamma v_thermal^2 delta(t - t') (fluctuation-
    dissipation, v_thermal^2 = k_B T / m), so that exp(-V/k_BT) is stationary for
    a = -V'/m (paper 000 Eq. 24). The O step is the exact Ornstein-Uhlenbeck update
    (Leimkuhler & Matthews, Appl. Math. Res. Express 2013, 34), which samples the
    configurational Boltzmann distribution with O(dt^2) error.

    Parameters
    ----------
    accel : callable
        ``accel(q, t) -> a``: q an (n_traj,) array, t in ps, returns unit / ps^2.
    q0, v0 : array_like, (n_traj,)
        Initial coordinates and velocities.
    dt : float, ps
        Time step > 0.
    n_steps : int
        Number of steps.
    gamma : float, 1/ps
        Damping rate >= 0.
    v_thermal : float, unit / ps
        sqrt(k_B T / m) >= 0.
    rng : numpy.random.Generator
        Source of the noise (seeded by the caller for reproducibility).
    record_every : int
        Store every k-th step (and the initial state).
    t0 : float, ps
        Initial time.

    Returns
    -------
    LangevinResult
    """
    if not dt > 0:
        raise ValueError(f"dt must be > 0, got {dt}")
    if gamma < 0 or v_thermal < 0:
        raise ValueError("gamma and v_thermal must be >= 0")
    q = np.array(q0, dtype=float, ndmin=1)
    v = np.array(v0, dtype=float, ndmin=1) * np.ones_like(q)
    c1 = math.exp(-gamma * dt)
    c2 = math.sqrt(max(1.0 - c1 * c1, 0.0)) * v_thermal
    n_rec = n_steps // record_every + 1
    tq = np.empty((n_rec, q.size))
    tv = np.empty((n_rec, q.size))
    tt = np.empty(n_rec)
    tq[0], tv[0], tt[0] = q, v, t0
    a = accel(q, t0)
    k = 1
    for step in range(1, n_steps + 1):
        t = t0 + (step - 1) * dt
        v += 0.5 * dt * a
        q += 0.5 * dt * v
        v = c1 * v + c2 * rng.standard_normal(q.size)
        q += 0.5 * dt * v
        a = accel(q, t + dt)
        v += 0.5 * dt * a
        if step % record_every == 0:
            tq[k], tv[k], tt[k] = q, v, t + dt
            k += 1
    return LangevinResult(tt[:k], tq[:k], tv[:k])
