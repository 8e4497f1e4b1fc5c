"""Measures of superconductivity of a real-axis solution, gapped or gapless (issue 12).

* Gap edge Delta_0: the first upward crossing of omega = Re Delta(omega) (0 when
  Re Delta(omega) < omega everywhere).
* Superfluid weight, dirty limit (Mattis-Bardeen / Nam, continued to the real axis in the
  Keldysh form for any particle-hole symmetric f):
  D_s = 2 int_0^inf d omega (1 - 2 f(omega)) Im[Delta^2 / (Delta^2 - (omega + i0)^2)],
  pi Delta tanh(Delta / 2 k_B T) in the BCS limit, meV.
* Order parameters (``OrderParameter``): Delta_0, Re Delta at the lowest energy,
  max |Delta|, the DOS at E_F, D_s; and the classification "gapped" / "gapless" /
  "normal" (``is_superconducting``). A damped (non-thermal, hot-phonon, near-T_c) state
  can be superconducting without a gap edge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from photosc.cores.eliashberg.solver import EliashbergResult


def gap_edge(omega: NDArray[np.float64], delta: NDArray[np.complex128]) -> float:
    """Gap edge Delta_0 (meV): where omega - Re Delta(omega) turns from < 0 to >= 0.

    The first upward zero crossing of omega - Re Delta(omega), linearly interpolated.
    With damping (non-thermal or hot phonons) Re Delta(omega) -> 0 for omega below the
    scattering rate, so omega - Re Delta is positive there first; the edge is the
    crossing that follows the first negative value. 0.0 if omega >= Re Delta everywhere
    (gapless or normal).

    Parameters
    ----------
    omega : (n,) float, meV
        Electron energies, increasing (e.g. ``EliashbergSolver.omega``).
    delta : (n,) complex, meV
        Gap function Delta(omega) on ``omega``.

    Returns
    -------
    float, meV
    """
    g = omega - delta.real
    neg = np.nonzero(g < 0)[0]
    if neg.size == 0:
        return 0.0
    after = np.nonzero(g[neg[0] :] >= 0)[0]
    if after.size == 0:
        return float(omega[-1])
    i = int(neg[0] + after[0])
    w0, w1, g0, g1 = omega[i - 1], omega[i], g[i - 1], g[i]
    return float(w0 - g0 * (w1 - w0) / (g1 - g0))


class OrderParameter(NamedTuple):
    """Measures of superconductivity of a real-axis solution (:func:`order_parameter`).

    A damped (non-thermal, hot-phonon, near-T_c) state can be superconducting without a
    gap edge: Re Delta(omega) < omega everywhere, so ``delta0`` = 0, while |Delta| is
    finite, the DOS at E_F is reduced and the superfluid weight is positive.

    Attributes
    ----------
    delta0 : float, meV
        Gap edge omega = Re Delta(omega) (:func:`gap_edge`; 0 if none).
    delta_low : float, meV
        Re Delta at the lowest grid energy.
    delta_max : float, meV
        max |Delta(omega)|.
    dos_ef : float
        Quasi-particle DOS (cell average) in the lowest cell, normal state 1.
    superfluid_weight : float, meV
        Dirty-limit superfluid weight lim_{omega -> 0} hbar omega sigma_2(omega) / sigma_n
        (:func:`superfluid_weight`); pi Delta tanh(Delta / 2 k_B T) in the BCS limit.
    eta : float, meV
        Broadening of the solution (``EliashbergResult.eta``), the scale of
        :func:`is_superconducting`'s threshold.
    """

    delta0: float
    delta_low: float
    delta_max: float
    dos_ef: float
    superfluid_weight: float
    eta: float


def superfluid_weight(omega: ArrayLike, delta: ArrayLike, f: ArrayLike, eta: float = 0.0) -> float:
    """Dirty-limit superfluid weight hbar omega sigma_2 / sigma_n at omega -> 0 (meV).

    Mattis-Bardeen / Nam in the dirty limit: 1 / lambda_L^2 is proportional to
    pi T sum_n Delta_n^2 / (omega_n^2 + Delta_n^2) (all Matsubara n); continued to the
    real axis (the Keldysh form, any particle-hole symmetric f, tanh(omega / 2T) ->
    1 - 2 f) and normalised to the Mattis-Bardeen omega sigma_2 / sigma_n:

        D_s = 2 int_0^inf d omega (1 - 2 f(omega)) Im[Delta^2 / (Delta^2 - (omega + i0)^2)]

    which is pi Delta tanh(Delta / 2 k_B T) for a constant real Delta (the pole at the
    gap edge carries pi Delta / 2) and stays positive for a damped, gapless Delta.
    Quadrature: Delta^2 / (Delta^2 - w^2) = (Delta / 2) [1 / (Delta - w) + 1 / (Delta + w)],
    w = omega + i eta; on each panel between grid points the denominators
    Delta(omega) -+ w and 1 - 2 f are linear in omega and integrated exactly (complex
    logarithm), Delta / 2 takes the panel average, so a gap-edge pole between grid
    points is integrated exactly (its residue includes the slope of Delta); [0, omega_0]
    with Delta = Delta_0 and 1 - 2 f linear from 0. BCS limit: error O(h^2) from f
    interpolated linearly across the pole's panel, 0.1 % at a step Delta / 10 (tests).

    Parameters
    ----------
    omega : (n,) float, meV
        Increasing grid (> 0).
    delta : (n,) complex, meV
        Delta(omega).
    f : (n,) float
        Electron distribution on ``omega``.
    eta : float, meV
        Broadening omega -> omega + i eta of the pole; default (and at least) 1e-9 x
        the step: the exact panel integrals need none, and a finite eta lowers D_s by
        about eta / Delta.
    """
    w = np.asarray(omega, float)
    d = np.asarray(delta, complex)
    g = 1.0 - 2.0 * np.asarray(f, float)
    if not (w.shape == d.shape == g.shape and w.ndim == 1 and w.size >= 2):
        raise ValueError("omega, delta and f must be 1-D arrays of equal length >= 2")
    wa = np.r_[0.0, w[:-1]]
    wb = w
    da = np.r_[d[0], d[:-1]]
    db = d
    ga = np.r_[0.0, g[:-1]]
    num = 0.25 * (da + db)  # Delta / 2, panel average
    length = wb - wa
    slope_g = (g - ga) / length
    eps = max(float(eta), 1e-9 * float(length[-1]))
    total = 0.0
    for sign in (-1.0, 1.0):
        # denominator y = Delta + sign (omega + i eps), linear on the panel; numerator
        # (Delta / 2)(1 - 2 f) with 1 - 2 f linear: int (p + q t) / (y_a + k t) dt
        ya = da + sign * (wa + 1j * eps)
        yb = db + sign * (wb + 1j * eps)
        dy = yb - ya
        small = np.abs(dy) <= 1e-9 * np.maximum(np.abs(ya), np.abs(yb))
        k = np.where(small, 1.0, dy) / length
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.log(yb / ya)
            exact = slope_g / k * length + (ga - slope_g * ya / k) * lg / k
        mid = 0.5 * (ga + g) * length / (0.5 * (ya + yb))
        total = total + np.sum((num * np.where(small, mid, exact)).imag)
    return float(2.0 * total)


def order_parameter(result: EliashbergResult, f: ArrayLike) -> OrderParameter:
    """Order parameters of a solution that see gapless superconductivity (issue 12).

    Parameters
    ----------
    result : EliashbergResult
    f : (n,) float
        The electron distribution of the solve, on ``result.omega``.
    """
    d = np.asarray(result.delta, complex)
    return OrderParameter(
        delta0=float(result.delta0),
        delta_low=float(d[0].real),
        delta_max=float(np.max(np.abs(d))),
        dos_ef=float(result.dos[0]),
        superfluid_weight=superfluid_weight(result.omega, d, f),
        eta=float(result.eta),
    )


#: A state is superconducting when max |Delta| exceeds this many broadenings eta.
SC_DELTA_OVER_ETA = 4.0


def is_superconducting(
    state: OrderParameter | EliashbergResult, min_delta: float | None = None
) -> str:
    """Classify a solution: "gapped", "gapless" or "normal".

    "gapped": a gap edge exists (Delta_0 > 0). "gapless": no edge but
    max |Delta| > ``min_delta`` (default SC_DELTA_OVER_ETA x eta, eta the solution's
    broadening, step / 8: a Delta below a few eta is not resolved by the grid, and the
    solver's normal state has Delta = 0 exactly). "normal": otherwise.

    Parameters
    ----------
    state : OrderParameter or EliashbergResult
        (or any object with ``delta0`` and ``delta_max`` or ``delta``, and ``eta``).
    min_delta : float, meV, optional
        Threshold on max |Delta| for a gapless superconductor.
    """
    delta0 = float(state.delta0)
    if hasattr(state, "delta_max"):
        dmax = float(state.delta_max)
    else:  # a result (duck-typed: delta0, delta, eta; a missing delta counts as 0)
        d = np.asarray(getattr(state, "delta", 0.0))
        dmax = float(np.max(np.abs(d))) if d.size else 0.0
    eta = float(getattr(state, "eta", 0.0))
    thr = SC_DELTA_OVER_ETA * eta if min_delta is None else float(min_delta)
    thr = max(thr, 1e-6)
    if delta0 > 0:
        return "gapped"
    if dmax > thr:
        return "gapless"
    return "normal"
