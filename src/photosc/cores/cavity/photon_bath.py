"""Cavity photon bath of paper 004: spectral function, occupation change, coupling J(Omega).

Paper 004: Curtis, Raines, Allocca, Hafezi, Galitski, *Cavity Quantum Eliashberg
Enhancement of Superconductivity*, PRL 122, 167002 (2019). All energy arguments share one
unit (k_B T_c in the models, :mod:`photosc.cores.cavity`); occupations and J are
dimensionless.

* Eq. 11, photon spectral function A(omega) = (1/tau_cav)/((omega - omega_q)^2 +
  (1/2 tau_cav)^2), written with the half width kappa = 1/(2 tau_cav):
  A = 2 kappa / ((omega - omega_q)^2 + kappa^2), normalised to int A d omega = 2 pi.
* Eq. 7, delta N(Omega) = n_B(Omega/T_cav) - n_B(Omega/T_qp) (cavity photons thermal at
  T_cav).
* Eq. 16, multimode planar cavity. As printed J has the dimension of a length: the mode
  normalisation is missing. The fundamental mode of a cavity of length L normalised over
  its volume has |u(z)|^2 = 2/L per unit area at the antinode z = L/2. The in-plane
  polarisation sum at the antinode is sum_alpha |eps_par|^2 = 1 (TE) + omega_0^2/omega_q^2
  (TM, whose in-plane field is the fraction k_z/k = omega_0/omega_q of its amplitude).
  With d^2q/(2pi)^2 = omega d omega/(2 pi c^2) and L = pi c/omega_0::

      J(Omega) = (2 alpha D omega_0/(pi c^2)) int_omega_0^oo d omega A(Omega; omega)
                 (1 + omega_0^2/omega^2)
               -> (4/pi) (pi alpha D/c^2) omega_0 (1 + omega_0^2/Omega^2) theta(Omega - omega_0)

  for a narrow line, which is the form the paper quotes after Eq. 18 (J ~ omega_0 (1 +
  omega_0^2/Omega^2) theta). The derived prefactor is (4/pi) times the paper's quoted scale
  pi alpha X D tau_in T_c^2/c^2 (:func:`multimode_prefactor`).
* Single-mode cavity (text after Eq. 18): J = s omega_0^2 2 kappa/((Omega - omega_0)^2 +
  kappa^2) with the scale s = 4 pi alpha X D tau_in T_c^2/((pi sqrt 3)^3 c^2) of the Fig. 3
  caption (a cubic box whose (1,1,1) mode sits at omega_0, volume (pi sqrt3 c/omega_0)^3),
  used as printed (:func:`single_mode_prefactor`).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.cavity._common import _check_positive


def photon_spectral_function(
    omega: ArrayLike, omega_q: ArrayLike, linewidth: float
) -> NDArray[np.float64]:
    """Photon spectral function, paper 004 Eq. 11.

    A(omega) = (1/tau_cav) / ((omega - omega_q)^2 + (1/(2 tau_cav))^2)
             = 2 kappa / ((omega - omega_q)^2 + kappa^2),  kappa = 1/(2 tau_cav);
    int A d omega = 2 pi.

    Parameters
    ----------
    omega : array_like, energy
        Frequency.
    omega_q : array_like, energy
        Mode frequency (broadcasts with ``omega``).
    linewidth : float, energy
        Half width kappa = 1/(2 tau_cav) > 0.

    Returns
    -------
    ndarray, broadcast shape, 1/energy
    """
    k = _check_positive("linewidth", linewidth)
    d = np.asarray(omega, dtype=float) - np.asarray(omega_q, dtype=float)
    return 2.0 * k / (d * d + k * k)


def photon_occupation_change(
    omega: ArrayLike, kT_cav: ArrayLike, kT_qp: float
) -> NDArray[np.float64]:
    """delta N(Omega) = n_B(Omega/T_cav) - n_B(Omega/T_qp), paper 004 Eq. 7.

    Parameters
    ----------
    omega : array_like, energy
        Photon frequency Omega > 0.
    kT_cav : array_like, energy
        Photon temperature >= 0 (broadcasts with ``omega``).
    kT_qp : float, energy
        Quasi-particle (phonon bath) temperature > 0.

    Returns
    -------
    ndarray, broadcast shape, dimensionless
    """
    w = np.asarray(omega, dtype=float)
    if np.any(w <= 0):
        raise ValueError("photon frequency omega must be > 0 in delta N (Eq. 7)")
    t_c = np.asarray(kT_cav, dtype=float)
    if np.any(t_c < 0) or not np.all(np.isfinite(t_c)):
        raise ValueError(f"kT_cav must be finite and >= 0, got {kT_cav!r}")
    t_q = _check_positive("kT_qp", kT_qp)
    out = _bose_positive(w, t_c) - _bose_positive(w, np.asarray(t_q))
    return np.where(t_c == t_q, 0.0, out)


def _bose_positive(w: NDArray[np.float64], kT: NDArray[np.float64]) -> NDArray[np.float64]:
    """n_B(w/kT) for w > 0, kT >= 0 (0 at kT = 0); exp(-x)/(1 - exp(-x)), no overflow."""
    if kT.ndim == 0:
        if kT == 0:
            return np.zeros_like(w)
        x = w / kT
    else:
        x = w / np.where(kT > 0, kT, 1.0)
        x = np.where(kT > 0, x, np.inf)
    return np.exp(-x) / -np.expm1(-x)


def multimode_lineshape(omega: ArrayLike, omega0: float, linewidth: float) -> NDArray:
    """F(Omega) = (1/2pi) int_omega0^oo d omega A(Omega; omega) (1 + omega0^2/omega^2).

    The q-integral of Eq. 16 with the TE + TM polarisation sum at the antinode (module
    docstring), in closed form (partial fractions; the Lorentzian of Eq. 11 times
    1/omega^2 integrated analytically). For ``linewidth = 0`` the narrow-line limit
    (1 + omega0^2/Omega^2) theta(Omega - omega0) (theta(0) = 1/2).

    Parameters
    ----------
    omega : array_like, energy
        Frequency Omega (>= 0 for the closed form).
    omega0 : float, energy
        Cavity cut-off frequency omega_0 = pi c / L > 0.
    linewidth : float, energy
        kappa = 1/(2 tau_cav) >= 0.

    Returns
    -------
    ndarray, shape of ``omega``, dimensionless
    """
    w0 = _check_positive("omega0", omega0)
    k = _check_positive("linewidth", linewidth, allow_zero=True)
    om = np.asarray(omega, dtype=float)
    if k == 0.0:
        with np.errstate(divide="ignore"):
            shape = 1.0 + w0 * w0 / np.where(om > 0, om * om, 1.0)
        return np.where(om > w0, shape, np.where(om == w0, 1.0, 0.0))
    # I2 = int_w0^oo d omega / (omega^2 ((omega - Om)^2 + k^2))
    r2 = om * om + k * k
    b = 1.0 / r2
    a = 2.0 * om / (r2 * r2)
    tail = np.arctan2(k, w0 - om)  # pi/2 - atan((w0 - Om)/k)
    i2 = b / w0 + 0.5 * a * np.log(((w0 - om) ** 2 + k * k) / (w0 * w0)) + (a * om - b) * tail / k
    return (tail + k * w0 * w0 * i2) / math.pi


def multimode_prefactor(
    x_enhancement: float, coupling_scale: float, normalisation: str = "derived"
) -> float:
    """tau_in X J(Omega) / (omega_0 F(Omega)) for the multimode cavity (Eq. 16).

    Parameters
    ----------
    x_enhancement : float
        The paper's phenomenological factor X (133 in Fig. 1a).
    coupling_scale : float
        pi alpha D tau_in T_c^2 / c^2 (9.17e-5 in Fig. 1a), dimensionless.
    normalisation : {"derived", "quoted"}
        "derived": (4/pi) X pi alpha D tau_in/c^2 (mode normalisation 2/L at the antinode,
        L = pi c/omega_0; module docstring). "quoted": X pi alpha D tau_in/c^2, the scale
        the Fig. 1 caption quotes, without the 4/pi.

    Returns
    -------
    float, 1/T_c^2 in T_c units (tau_in X J = prefactor * omega_0 * F(Omega))
    """
    _check_positive("x_enhancement", x_enhancement, allow_zero=True)
    _check_positive("coupling_scale", coupling_scale, allow_zero=True)
    if normalisation == "derived":
        return 4.0 / math.pi * x_enhancement * coupling_scale
    if normalisation == "quoted":
        return x_enhancement * coupling_scale
    raise ValueError(f"normalisation must be 'derived' or 'quoted', got {normalisation!r}")


def single_mode_prefactor(x_enhancement: float, coupling_scale: float) -> float:
    """4 pi alpha X D tau_in T_c^2/((pi sqrt3)^3 c^2) (Fig. 3 caption), from pi alpha D tau_in/c^2.

    Parameters
    ----------
    x_enhancement : float
        X.
    coupling_scale : float
        pi alpha D tau_in T_c^2/c^2.

    Returns
    -------
    float (tau_in X J = prefactor * omega_0^2 * A(Omega; omega_0))
    """
    _check_positive("x_enhancement", x_enhancement, allow_zero=True)
    _check_positive("coupling_scale", coupling_scale, allow_zero=True)
    return 4.0 * x_enhancement * coupling_scale / (math.pi * math.sqrt(3.0)) ** 3


def j_multimode(
    omega: ArrayLike, omega0: float, linewidth: float, prefactor: float = 1.0
) -> NDArray[np.float64]:
    """Multimode planar-cavity coupling function, paper 004 Eq. 16 (normalised).

    J(Omega) = prefactor * omega_0 * F(Omega), F from :func:`multimode_lineshape`.

    Parameters
    ----------
    omega : array_like, energy
        Frequency Omega.
    omega0 : float, energy
        Lowest cavity frequency.
    linewidth : float, energy
        kappa = 1/(2 tau_cav) >= 0 (0: ideal mirrors, narrow line).
    prefactor : float, 1/energy
        See :func:`multimode_prefactor`.

    Returns
    -------
    ndarray, shape of ``omega``
    """
    return prefactor * omega0 * multimode_lineshape(omega, omega0, linewidth)


def j_single_mode(
    omega: ArrayLike, omega0: float, linewidth: float, prefactor: float = 1.0
) -> NDArray[np.float64]:
    """Single-mode cavity coupling function (paper 004, text after Eq. 18).

    J(Omega) = prefactor * omega_0^2 * 2 kappa/((Omega - omega_0)^2 + kappa^2).

    Parameters
    ----------
    omega : array_like, energy
        Frequency Omega.
    omega0 : float, energy
        Mode frequency.
    linewidth : float, energy
        kappa = 1/(2 tau_cav) > 0 (Fig. 3: 10 omega_0).
    prefactor : float
        See :func:`single_mode_prefactor`.

    Returns
    -------
    ndarray, shape of ``omega``
    """
    _check_positive("omega0", omega0)
    return prefactor * omega0 * omega0 * photon_spectral_function(omega, omega0, linewidth)
