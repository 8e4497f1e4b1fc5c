"""Critical points of the landscape, metastability and its temperatures (paper 000).

Paper 000, Methods "Mean-field metastability" and Fig. 2: the zeros of dF/dq
(:func:`~.landscape.landscape_force`) at q > 0, the classification of the T = 0
landscape (normal, type I: metastable, type II: distorted ground state), the temperature
T_B where the local minimum disappears and the first-order temperature of type II.
Units as in :mod:`.landscape` (q in l0, energies and k_B T in meV).

* Critical points for U0 = 0 at T = 0 (Eq. 26). The converted text prints
  Q_c^2 = Delta_E omega Delta(Q_c)/sqrt(2 g^2), which is not dimensionally consistent.
  Setting dE/dQ = 0 with U = (g^2/(M omega^2)) 4 g^2 Q^2/Delta_E_eff^2 gives
  U'/U^2 = Delta_E^2 / (2 (g^2/(M omega^2)) g^2 Q^3), hence::

      Q_c^2 = Delta_E Delta(Q_c) / (sqrt(2) g^2)        (form used here),

  checked against the numerically found critical points in the tests.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from photosc.cores import bcs
from photosc.cores.raman.gap_table import gap_from_table
from photosc.cores.raman.landscape import (
    RamanModel,
    landscape,
    landscape_force,
    q_range,
    zero_t_energy,
)


class CriticalPoints(NamedTuple):
    """Critical points of F(q) at q > 0.

    Attributes
    ----------
    minima, maxima : (k,) float, l0
        Local minima and maxima, ascending.
    """

    minima: NDArray[np.float64]
    maxima: NDArray[np.float64]


def critical_points(
    model: RamanModel, kT: float, q: ArrayLike | None = None, *, refine: bool = True
) -> CriticalPoints:
    """Zeros of dF/dq at q > 0 (paper 000, Methods "Mean-field metastability").

    Sign changes of :func:`landscape_force` on a grid, refined with brentq.

    Parameters
    ----------
    model : RamanModel
    kT : float, meV
    q : array_like, l0, optional
        Search grid (default 2000 points on (0, q_range]).
    refine : bool
        Refine each bracket with brentq (else the linear-interpolated zero).
    """
    qq = np.linspace(0.0, q_range(model), 2001)[1:] if q is None else np.asarray(q, float)
    f = landscape_force(model, qq, kT)
    s = np.sign(f)
    idx = np.nonzero(s[:-1] * s[1:] < 0)[0]
    minima, maxima = [], []
    for i in idx:
        a, b = float(qq[i]), float(qq[i + 1])
        if refine:

            def h(x: float) -> float:
                return float(landscape_force(model, np.array([x]), kT)[0])

            root = brentq(h, a, b, xtol=1e-12 * max(b, 1.0))
        else:
            root = a - f[i] * (b - a) / (f[i + 1] - f[i])
        (minima if f[i] < 0 else maxima).append(root)
    return CriticalPoints(np.array(minima), np.array(maxima))


def critical_points_eq26(model: RamanModel, q: ArrayLike | None = None) -> NDArray[np.float64]:
    """Solutions of the corrected Eq. 26, g^2 q^2 = Delta_E Delta(q)/sqrt(2) (U0 = 0, T = 0).

    Derived from dE/dQ = 0 (module docstring); valid only for ``model.u0 == 0``.

    Parameters
    ----------
    model : RamanModel
        With ``u0 == 0``.
    q : array_like, l0, optional
        Search grid (default 4000 points on (0, q_range]).

    Returns
    -------
    ndarray, l0
        The positive solutions, ascending (Q_B, Q_MS when metastability exists).
    """
    if model.u0 != 0.0:
        raise ValueError(f"Eq. 26 holds for U0 = 0 only, got u0 = {model.u0}")
    qq = np.linspace(0.0, q_range(model), 4001)[1:] if q is None else np.asarray(q, float)

    def r(x: ArrayLike) -> NDArray[np.float64]:
        xx = np.asarray(x, dtype=float)
        d = gap_from_table(model.coupling(xx), 0.0, model.omega)
        return model.g**2 * xx * xx - model.delta_e * d / math.sqrt(2.0)

    v = r(qq)
    idx = np.nonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)[0]
    return np.array([brentq(lambda x: float(r(x)), qq[i], qq[i + 1], xtol=1e-13) for i in idx])


class Classification(NamedTuple):
    """Kind of metastability at one parameter point (paper 000 Fig. 2).

    Attributes
    ----------
    kind : str
        "normal" (no local minimum at q > 0 at T = 0), "I" (a local minimum at q_ms > 0
        above the undistorted state), "II" (the distorted state is the ground state).
    q_ms : float, l0
        Position of the metastable (I) or ground-state (II) minimum, 0 if none.
    q_barrier : float, l0
        Local maximum between 0 and q_ms (0 if none: Q = 0 itself unstable).
    energy_ms : float, meV
        E(q_ms) - E(0) at T = 0 (0 if none).
    delta_ms : float, meV
        Gap at q_ms at T = 0 (0 if none).
    """

    kind: str
    q_ms: float
    q_barrier: float
    energy_ms: float
    delta_ms: float


def classify(model: RamanModel) -> Classification:
    """Classify the T = 0 landscape (paper 000 Methods, Fig. 2b).

    The paper: a local minimum of the T = 0 landscape is sufficient (and numerically
    necessary) for a metastable state; type I if E(Q_MS) > E(0), type II otherwise.
    """
    cp = critical_points(model, 0.0)
    if cp.minima.size == 0:
        return Classification("normal", 0.0, 0.0, 0.0, 0.0)
    e = zero_t_energy(model, np.concatenate([[0.0], cp.minima]))
    k = int(np.argmin(e[1:]))
    q_ms = float(cp.minima[k])
    below = cp.maxima[cp.maxima < q_ms]
    q_b = float(below.max()) if below.size else 0.0
    e_ms = float(e[1 + k] - e[0])
    d_ms = float(gap_from_table(model.coupling(q_ms), 0.0, model.omega))
    return Classification("I" if e_ms > 0 else "II", q_ms, q_b, e_ms, d_ms)


def _min_force(model: RamanModel, kT: float, q: NDArray[np.float64]) -> float:
    return float(np.min(landscape_force(model, q, kT)))


def metastable_temperature(
    model: RamanModel, *, n_q: int = 600, rtol: float = 1e-4, max_iter: int = 60
) -> float:
    """k_B T_B: the temperature where the local minimum at q > 0 disappears, meV.

    A minimum at q > 0 exists iff dF/dq < 0 somewhere at q > 0 (dF/dq -> +inf at large q);
    dF/dq rises with T at every q (Delta falls), so T_B is found by bisection on
    min_q dF/dq(q, T) = 0. Returns 0 when there is no minimum at T = 0.

    Parameters
    ----------
    model : RamanModel
    n_q : int
        Points of the q grid on (0, q_range].
    rtol : float
        Relative tolerance on T_B.
    max_iter : int
        Bisection steps.
    """
    q = np.linspace(0.0, q_range(model), n_q + 1)[1:]
    if _min_force(model, 0.0, q) >= 0:
        return 0.0
    hi = bcs.critical_temperature(float(model.coupling(q).max()), model.omega) * 1.001
    lo = 0.0
    for _ in range(max_iter):
        mid = 0.5 * (lo + hi)
        if _min_force(model, mid, q) < 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= rtol * hi:
            break
    return 0.5 * (lo + hi)


def first_order_temperature(
    model: RamanModel, kT_b: float, *, n_q: int = 600, rtol: float = 1e-4, max_iter: int = 60
) -> float:
    """k_B T of the first-order transition where F(q_ms) = F(0) (type II), meV.

    Bisection on min_{q>0} [F(q, T) - F(0, T)] between 0 and T_B (F from
    :func:`landscape`). Returns 0 if the distorted state is not the ground state at T = 0.

    Parameters
    ----------
    model : RamanModel
    kT_b : float, meV
        k_B T_B (:func:`metastable_temperature`), the upper end of the bisection.
    n_q : int
        Points of the q grid on (0, q_range] (plus q = 0).
    rtol : float
        Relative tolerance on the temperature.
    max_iter : int
        Bisection steps.
    """
    q = np.linspace(0.0, q_range(model), n_q + 1)

    def depth(kT: float) -> float:
        return float(np.min(landscape(model, q, kT)[1:]))

    if depth(0.0) >= 0:
        return 0.0
    lo, hi = 0.0, kT_b
    for _ in range(max_iter):
        mid = 0.5 * (lo + hi)
        if depth(mid) < 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= rtol * hi:
            break
    return 0.5 * (lo + hi)
