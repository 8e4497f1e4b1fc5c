"""Closed forms of the BCS cutoff model and of its weak-coupling limit.

Conventions as in :mod:`photosc.cores.bcs`: energies in meV, ``coupling`` = nu(0) U
(dimensionless), ``cutoff`` = omega_D.

Exact for the cutoff model at T = 0: Delta(0) = cutoff / sinh(1/coupling) and the
condensation energy (F_SC - F_N)/nu(0) = cutoff^2 (1 - coth(1/coupling)) at the
self-consistent gap (paper 000, Methods below Eq. 26, up to a Delta-independent constant).

Weak coupling: k_B T_c = (2 e^gamma / pi) cutoff exp(-1/coupling) = 1.134 cutoff
exp(-1/coupling); Delta(0) / k_B T_c = pi / e^gamma = 1.764;
Delta(T) = sqrt(8 pi^2 / (7 zeta(3))) k_B T_c sqrt(1 - T/T_c) = 3.063 k_B T_c sqrt(1 - T/T_c)
near T_c, where (F_SC - F_N)/nu(0) = -(4 pi^2 / (7 zeta(3))) (k_B T_c)^2 (1 - T/T_c)^2
(Ginzburg-Landau limit); and the universal Delta(T) of the cutoff-free gap equation
ln(Delta_0 / Delta) = 2 int_0^inf dxi f(E) / E (solved numerically, independently of
:mod:`photosc.cores.bcs.gap_equation`).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq
from scipy.special import zeta

from photosc.cores.bcs.quadrature import (
    _H_U,
    _MIN_PANELS,
    _check_coupling,
    _check_cutoff,
    _check_kT,
    _fermi,
    _panels,
)

#: Euler-Mascheroni constant.
EULER_GAMMA = 0.5772156649015329
#: 2 e^gamma / pi = 1.1339 (k_B T_c = TC_PREFACTOR * cutoff * exp(-1/coupling)).
TC_PREFACTOR = 2.0 * math.exp(EULER_GAMMA) / math.pi
#: pi / e^gamma = 1.7639 (Delta(0) / k_B T_c in weak coupling).
GAP_TO_TC = math.pi / math.exp(EULER_GAMMA)
#: sqrt(8 pi^2 / (7 zeta(3))) = 3.0633 (Delta(T) / (k_B T_c sqrt(1 - T/T_c)) near T_c).
GAP_NEAR_TC_PREFACTOR = math.sqrt(8.0 * math.pi**2 / (7.0 * float(zeta(3.0))))


def delta_zero(coupling: float, cutoff: float) -> float:
    """Exact T = 0 gap of the cutoff model, Delta(0) = cutoff / sinh(1/coupling).

    Parameters
    ----------
    coupling : float
        nu(0) U > 0, dimensionless.
    cutoff : float, meV
        Debye energy omega_D > 0.

    Returns
    -------
    float, meV
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    x = 1.0 / g
    if x > 700.0:
        return 2.0 * w * math.exp(-x)
    return w / math.sinh(x)


def tc_weak_coupling(coupling: float, cutoff: float) -> float:
    """Weak-coupling k_B T_c = (2 e^gamma / pi) cutoff exp(-1/coupling) = 1.134 ...

    Parameters
    ----------
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy.

    Returns
    -------
    float, meV
        k_B T_c.
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    return TC_PREFACTOR * w * math.exp(-1.0 / g)


def gap_near_tc(kT: ArrayLike, kTc: float) -> NDArray[np.float64]:
    """Weak-coupling gap near T_c: 3.063 k_B T_c sqrt(1 - T/T_c) (0 above T_c).

    Parameters
    ----------
    kT : array_like, meV
        k_B T >= 0.
    kTc : float, meV
        k_B T_c > 0.

    Returns
    -------
    ndarray, shape of ``kT``, meV
    """
    t = _check_kT(kT)
    if not kTc > 0:
        raise ValueError(f"kTc must be > 0, got {kTc}")
    return GAP_NEAR_TC_PREFACTOR * kTc * np.sqrt(np.clip(1.0 - t / kTc, 0.0, None))


def condensation_energy_near_tc(kT: ArrayLike, kTc: float) -> NDArray[np.float64]:
    """Weak-coupling (F_SC - F_N)/nu(0) at the gap near T_c (Ginzburg-Landau limit), meV^2.

    From dF/dDelta = 2 Delta (1/coupling - I) with 1/coupling - I(0, T) = ln(T/T_c) and
    I(Delta, T) - I(0, T) = -7 zeta(3) Delta^2 / (8 pi^2 kT^2):
    F = -(4 pi^2 / (7 zeta(3))) (k_B T_c)^2 (1 - T/T_c)^2 to leading order (0 above T_c).

    Parameters
    ----------
    kT : array_like, meV
        k_B T >= 0.
    kTc : float, meV
        k_B T_c > 0.

    Returns
    -------
    ndarray, shape of ``kT``, meV^2
    """
    t = _check_kT(kT)
    if not kTc > 0:
        raise ValueError(f"kTc must be > 0, got {kTc}")
    eps = np.clip(1.0 - t / kTc, 0.0, None)
    return -0.5 * GAP_NEAR_TC_PREFACTOR**2 * kTc**2 * eps**2


def _weak_gap_residual(log_d: float, kT: float, d0: float) -> float:
    """ln(Delta_0/Delta) - 2 int_0^inf dxi f(E)/E with xi = Delta sinh u (dxi/E = du)."""
    d = math.exp(log_d)
    # f(Delta cosh u) underflows beyond E = 760 kT
    u_max = math.acosh(max(1.0 + 1e-12, 760.0 * kT / d))
    n_panels = max(_MIN_PANELS, math.ceil(u_max / _H_U))
    u, w = _panels(np.linspace(0.0, u_max, n_panels + 1))
    occ = _fermi(d * np.cosh(u), np.asarray(kT))
    return math.log(d0) - log_d - 2.0 * float(np.sum(w * occ))


def weak_coupling_gap(kT: ArrayLike, kTc: float, *, tol: float = 1e-12) -> NDArray[np.float64]:
    """Universal weak-coupling BCS gap Delta(T), independent of the cutoff.

    Subtracting the T = 0 gap equation from the finite-T one and letting cutoff -> infinity,
    coupling -> 0 at fixed T_c gives the cutoff-free form

        ln(Delta_0 / Delta) = 2 int_0^inf dxi f(E) / E,   Delta_0 = (pi / e^gamma) k_B T_c,

    solved here for Delta (a method independent of :func:`solve_gap`; the cutoff model
    approaches it as coupling -> 0).

    Parameters
    ----------
    kT : array_like, meV
        k_B T >= 0.
    kTc : float, meV
        k_B T_c > 0.
    tol : float
        Relative tolerance on Delta.

    Returns
    -------
    ndarray, shape of ``kT``, meV
        0 at and above T_c.
    """
    t = _check_kT(kT)
    if not kTc > 0:
        raise ValueError(f"kTc must be > 0, got {kTc}")
    d0 = GAP_TO_TC * kTc
    out = np.zeros(t.shape)
    flat, res = t.reshape(-1), out.reshape(-1)
    for i, ti in enumerate(flat):
        if ti == 0.0:
            res[i] = d0
        elif ti < kTc:
            res[i] = math.exp(
                brentq(
                    _weak_gap_residual, math.log(d0) - 60.0, math.log(d0), args=(ti, d0), xtol=tol
                )
            )
    return out


def condensation_energy_zero(coupling: float, cutoff: float) -> float:
    """(F_SC - F_N)/nu(0) at T = 0 and the self-consistent gap, exact for the cutoff model.

    cutoff^2 (1 - coth(1/coupling)) -> -Delta(0)^2 / 2 in weak coupling; paper 000 writes
    the T = 0 energy as -omega^2 nu(0) coth(1/(nu(0) U)) (Methods, below Eq. 26), the same
    up to the Delta-independent omega^2 nu(0).

    Parameters
    ----------
    coupling : float
        nu(0) U > 0, dimensionless.
    cutoff : float, meV
        Debye energy omega_D > 0.

    Returns
    -------
    float, meV^2
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    x = 1.0 / g
    # 1 - coth(x) = -2 / (e^{2x} - 1)
    return -2.0 * w * w / math.expm1(2.0 * x) if x < 350 else -2.0 * w * w * math.exp(-2 * x)
