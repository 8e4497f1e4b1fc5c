"""Photo-induced attraction U(Q) of a displaced inter-band Raman phonon (paper 000).

Paper 000: Chattopadhyay et al., *Metastable photo-induced superconductivity far above
T_c*, npj Quantum Mater. (2025), Eqs. 3, 17 and 18-23. Units as in
:mod:`photosc.cores.raman`: q = Q / l0 with l0 = 1/sqrt(M omega) (hbar = 1), energies in
meV, the stiffness k = M omega^2 = omega in meV / l0^2 and g in meV / l0 (the functions
take any length unit L used consistently).

Equations
---------
* Photo-induced attraction (Eqs. 3 and 17)::

      U(q) = U0 + (g^2/k) 4 g^2 q^2 / (Delta_E^2 + 4 g^2 q^2),   k = M omega^2 (= omega).

* Extended model (Eqs. 18-22). Projecting the couplings of Eq. 20 on the lower band of
  the 2 x 2 level Hamiltonian with splitting Delta_E and distortions <Q_x>, <Q_z> gives
  the diagonal couplings g_x sin 2theta, g_z cos 2theta and g_Ag, hence::

      U = g_Ag^2/k_Ag + g_z^2/k_z + s (g_x^2/k_x - g_z^2/k_z),
      s = sin^2 2theta = 4 g_x^2 Q_x^2 / ((Delta_E - 2 g_z Q_z)^2 + 4 g_x^2 Q_x^2).

  The converted Eq. 22 prints the denominator as a square root (not dimensionally
  consistent; Eq. 3 must be recovered at g_z = g_Ag = 0, which needs the square) and
  writes Delta_E + 2 g_z Q_z: with Eq. 20 as printed the splitting is
  Delta_E - 2 g_z Q_z; the two differ by the sign convention of Q_z. The form above is
  the derived one; :func:`extended_u_projected` checks it by diagonalising the levels.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def pairing_u(
    q: ArrayLike, u0: float, g: float, stiffness: float, delta_e: float
) -> NDArray[np.float64]:
    """Pairing attraction U(Q) of a displaced inter-band Raman phonon (paper 000 Eqs. 3, 17).

    U = u0 + (g^2/k) 4 g^2 q^2 / (Delta_E^2 + 4 g^2 q^2).

    Parameters
    ----------
    q : array_like, length unit L (l0 in the models)
        Mean phonon displacement <Q>.
    u0 : float, meV
        Attraction of the undistorted crystal (>= 0).
    g : float, meV / L
        Inter-band electron-phonon coupling.
    stiffness : float, meV / L^2
        k = M omega^2 (= omega for L = l0).
    delta_e : float, meV
        Level splitting Delta_E > 0.

    Returns
    -------
    ndarray, shape of ``q``, meV
    """
    if not delta_e > 0:
        raise ValueError(f"delta_e (level splitting, meV) must be > 0, got {delta_e}")
    if not stiffness > 0:
        raise ValueError(f"stiffness (M omega^2) must be > 0, got {stiffness}")
    x = 4.0 * g * g * np.asarray(q, dtype=float) ** 2
    return u0 + (g * g / stiffness) * x / (delta_e * delta_e + x)


def pairing_u_derivative(
    q: ArrayLike, g: float, stiffness: float, delta_e: float
) -> NDArray[np.float64]:
    """dU/dq of :func:`pairing_u`, meV / L: (g^2/k) 8 g^2 q Delta_E^2 / (Delta_E^2 + 4g^2q^2)^2.

    Parameters
    ----------
    q : array_like, length unit L (l0 in the models)
        Mean phonon displacement <Q>.
    g : float, meV / L
        Inter-band electron-phonon coupling.
    stiffness : float, meV / L^2
        k = M omega^2 (= omega for L = l0).
    delta_e : float, meV
        Level splitting Delta_E > 0.

    Returns
    -------
    ndarray, shape of ``q``, meV / L
    """
    qq = np.asarray(q, dtype=float)
    d2 = delta_e * delta_e
    return (g * g / stiffness) * 8.0 * g * g * qq * d2 / (d2 + 4.0 * g * g * qq * qq) ** 2


def extended_u(
    qx: ArrayLike,
    qz: ArrayLike,
    *,
    g_x: float,
    g_z: float,
    g_ag: float,
    k_x: float,
    k_z: float,
    k_ag: float,
    delta_e: float,
) -> NDArray[np.float64]:
    """Attraction of the extended two-band model with Eg (x, z) and Ag modes (paper 000 Eq. 22).

    U = g_Ag^2/k_Ag + g_z^2/k_z + s (g_x^2/k_x - g_z^2/k_z),
    s = 4 g_x^2 Q_x^2 / ((Delta_E - 2 g_z Q_z)^2 + 4 g_x^2 Q_x^2)
    (derived form, see the module docstring: squared denominator, sign of Q_z from Eq. 20).
    The photo-induced part delta U = s (g_x^2/k_x - g_z^2/k_z) is Eq. 23.

    Parameters
    ----------
    qx, qz : array_like, L
        Distortions <Q_x> (inter-band Eg) and <Q_z> (intra-band Eg), broadcast together.
    g_x, g_z, g_ag : float, meV / L
        Couplings of the inter-band Eg, intra-band Eg and Ag modes.
    k_x, k_z, k_ag : float, meV / L^2
        Stiffnesses M omega_nu^2 (> 0).
    delta_e : float, meV
        Level splitting Delta_E.

    Returns
    -------
    ndarray, broadcast shape, meV
    """
    for name, k in (("k_x", k_x), ("k_z", k_z), ("k_ag", k_ag)):
        if not k > 0:
            raise ValueError(f"{name} (stiffness M omega^2) must be > 0, got {k}")
    qx = np.asarray(qx, dtype=float)
    qz = np.asarray(qz, dtype=float)
    split = delta_e - 2.0 * g_z * qz
    hyb = 4.0 * g_x * g_x * qx * qx
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(hyb > 0, hyb / (split * split + hyb), 0.0)
    return g_ag**2 / k_ag + g_z**2 / k_z + s * (g_x**2 / k_x - g_z**2 / k_z)


def extended_u_projected(
    qx: float,
    qz: float,
    *,
    g_x: float,
    g_z: float,
    g_ag: float,
    k_x: float,
    k_z: float,
    k_ag: float,
    delta_e: float,
) -> float:
    """Independent check of :func:`extended_u` by diagonalising the 2 x 2 level Hamiltonian.

    The static part of Eqs. 19-20 in the (c, d) basis is
    h = [[-Delta_E/2 + g_z Q_z, g_x Q_x], [g_x Q_x, Delta_E/2 - g_z Q_z]] (+ g_Ag Q_Ag 1).
    A fluctuation of mode nu couples to the lower eigenvector psi as
    g_nu <psi|tau_nu|psi> (tau_x, tau_z, 1), and integrating the phonon out gives the
    attraction sum_nu (g_nu <psi|tau_nu|psi>)^2 / k_nu (the Q-independent part of Eq. 16's
    instantaneous limit, as in Eq. 17).

    Parameters are those of :func:`extended_u` (scalars).

    Parameters
    ----------
    qx, qz : float, L
        Distortions <Q_x> (inter-band Eg) and <Q_z> (intra-band Eg).
    g_x, g_z, g_ag : float, meV / L
        Couplings of the inter-band Eg, intra-band Eg and Ag modes.
    k_x, k_z, k_ag : float, meV / L^2
        Stiffnesses M omega_nu^2 (> 0).
    delta_e : float, meV
        Level splitting Delta_E.

    Returns
    -------
    float, meV
    """
    h = np.array(
        [[-0.5 * delta_e + g_z * qz, g_x * qx], [g_x * qx, 0.5 * delta_e - g_z * qz]], dtype=float
    )
    _, vecs = np.linalg.eigh(h)
    psi = vecs[:, 0]
    tx = np.array([[0.0, 1.0], [1.0, 0.0]])
    tz = np.array([[1.0, 0.0], [0.0, -1.0]])
    mx = float(psi @ tx @ psi)
    mz = float(psi @ tz @ psi)
    return (g_x * mx) ** 2 / k_x + (g_z * mz) ** 2 / k_z + g_ag**2 / k_ag
