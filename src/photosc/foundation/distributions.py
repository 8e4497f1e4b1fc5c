"""Occupation functions, overflow-safe for any argument.

All energies and temperatures are in the same unit (meV internally); the
temperature argument is k_B T. A temperature of zero gives the T = 0 limit
(step functions), never a division warning.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit


def fermi(energy: ArrayLike, kT: ArrayLike) -> NDArray[np.float64]:
    """Fermi-Dirac occupation 1 / (exp(E / kT) + 1).

    Parameters
    ----------
    energy : array_like, meV
        Energy measured from the chemical potential.
    kT : array_like, meV
        k_B T >= 0; 0 gives the step function (1/2 at E = 0).
    """
    e = np.asarray(energy, dtype=float)
    t = np.asarray(kT, dtype=float)
    if t.ndim == 0 and t > 0 and math.isfinite(t) and np.all(np.isfinite(e)):
        # one temperature (the common case): the same values as below, fewer passes
        with np.errstate(under="ignore", over="ignore"):
            return expit(-(e / t))
    if np.any(t < 0):
        raise ValueError(f"temperature kT must be >= 0, got min {t.min()}")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        x = np.where(t > 0, e / np.where(t > 0, t, 1.0), np.sign(e) * np.inf)
    with np.errstate(under="ignore", over="ignore"):
        return expit(-np.nan_to_num(x, nan=0.0, posinf=np.inf, neginf=-np.inf))


def bose(omega: ArrayLike, kT: ArrayLike) -> NDArray[np.float64]:
    """Bose-Einstein occupation 1 / (exp(omega / kT) - 1).

    Odd continuation n(-omega) = -1 - n(omega). Diverges at omega = 0 (returns
    +inf there for kT > 0); at kT = 0 it is 0 for omega > 0 and -1 for omega < 0.

    Parameters
    ----------
    omega : array_like, meV
        Boson energy.
    kT : array_like, meV
        k_B T >= 0.
    """
    w = np.asarray(omega, dtype=float)
    t = np.asarray(kT, dtype=float)
    if np.any(t < 0):
        raise ValueError(f"temperature kT must be >= 0, got min {t.min()}")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        x = np.where(t > 0, np.abs(w) / np.where(t > 0, t, 1.0), np.inf)
        pos = np.exp(-x) / -np.expm1(-x)  # n(|w|), safe for large x
        pos = np.where(x == 0, np.inf, pos)
    return np.where(w >= 0, pos, -1.0 - pos)


def bogoliubov(energy: ArrayLike, lam: ArrayLike, kT: ArrayLike) -> NDArray[np.float64]:
    """Quasi-particle distribution with a Bogoliubov chemical potential.

    n(E) = 1 / (exp((E + lambda) / kT) + 1)   (paper 000, Eqs. 4-5).

    lambda > 0 depletes, lambda < 0 enhances the quasi-particle population
    relative to equilibrium (lambda = 0).

    Parameters
    ----------
    energy : array_like, meV
        Quasi-particle energy E >= Delta.
    lam : array_like, meV
        Bogoliubov chemical potential lambda.
    kT : array_like, meV
        k_B T >= 0.
    """
    return fermi(np.asarray(energy, dtype=float) + np.asarray(lam, dtype=float), kT)


def fermi_derivative(energy: ArrayLike, kT: float) -> NDArray[np.float64]:
    """-d f / d E = 1 / (4 kT cosh^2(E / 2kT)) in 1/meV (kT > 0).

    Parameters
    ----------
    energy : array_like, meV
        Energy measured from the chemical potential.
    kT : float, meV
        k_B T > 0.

    Returns
    -------
    ndarray, shape of ``energy``, 1/meV
    """
    if kT <= 0:
        raise ValueError("fermi_derivative needs kT > 0")
    x = np.asarray(energy, dtype=float) / (2.0 * kT)
    with np.errstate(over="ignore"):
        return 1.0 / (4.0 * kT * np.cosh(np.clip(x, -350, 350)) ** 2)
