"""Adiabatic free-energy landscape F(q, T) of the displaced crystal (paper 000 Eqs. 24-25).

Units as in :mod:`photosc.cores.raman`: q = Q / l0 with l0 = 1/sqrt(M omega) (hbar = 1),
energies and k_B T in meV; the phonon frequency omega is also the stiffness M omega^2 in
meV / l0^2 and the pairing cutoff. Densities of states ``nu0`` are per spin per site,
1/meV; free energies are per site, meV.

Equations
---------
* Adiabatic free energy (Eq. 25 plus the elastic term of Eq. 24) per site::

      F(q, T) = omega q^2 / 2 + nu0 * f_BCS(Delta(q, T), T; nu0 U(q), cutoff = omega),

  with U(q) of :func:`~.pairing.pairing_u` and f_BCS = (F_SC - F_N)/nu0 of
  :func:`photosc.cores.bcs.free_energy`. Because dF_SC/dDelta = 0 at the self-consistent
  gap, the envelope theorem gives the force::

      dF/dq = omega q - Delta(q, T)^2 U'(q) / U(q)^2,

  which holds at every temperature; at T = 0, Delta = omega / sinh(1/(nu0 U)) and
  F_SC = nu0 omega^2 (1 - coth(1/(nu0 U))) (the E(Q) below Eq. 26 up to a constant).

The gap Delta(q, T) comes from the universal table of :mod:`.gap_table`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores import bcs
from photosc.cores.raman.gap_table import gap_from_table
from photosc.cores.raman.pairing import pairing_u, pairing_u_derivative


class RamanModel(NamedTuple):
    """Parameters of the single-mode model in l0 units (paper 000 Eqs. 1-3, 24-25).

    Attributes
    ----------
    omega : float, meV
        Phonon frequency; also the pairing cutoff (Eq. 2) and the stiffness M omega^2 in
        meV / l0^2.
    g : float, meV / l0
        Inter-band coupling g l0 (the paper's g l0 / omega times omega).
    delta_e : float, meV
        Level splitting Delta_E.
    nu0 : float, 1/meV
        Density of states per spin per site at the Fermi level.
    u0 : float, meV
        Attraction of the undistorted crystal.
    """

    omega: float
    g: float
    delta_e: float
    nu0: float
    u0: float

    def u(self, q: ArrayLike) -> NDArray[np.float64]:
        """U(q), meV."""
        return pairing_u(q, self.u0, self.g, self.omega, self.delta_e)

    def du(self, q: ArrayLike) -> NDArray[np.float64]:
        """dU/dq, meV / l0."""
        return pairing_u_derivative(q, self.g, self.omega, self.delta_e)

    def coupling(self, q: ArrayLike) -> NDArray[np.float64]:
        """nu0 U(q), dimensionless."""
        return self.nu0 * self.u(q)


def gap(model: RamanModel, q: ArrayLike, kT: float) -> NDArray[np.float64]:
    """Equilibrium gap Delta(q, T) of the displaced crystal, meV (shape of ``q``).

    Parameters
    ----------
    model : RamanModel
    q : array_like, l0
        Displacements.
    kT : float, meV
        k_B T.
    """
    return gap_from_table(model.coupling(q), kT, model.omega)


def landscape_force(
    model: RamanModel, q: ArrayLike, kT: float, delta: ArrayLike | None = None
) -> NDArray[np.float64]:
    """dF/dq = omega q - Delta^2 U'(q)/U(q)^2 (envelope theorem on Eq. 25), meV / l0.

    Parameters
    ----------
    model : RamanModel
    q : array_like, l0
        Displacements.
    kT : float, meV
        k_B T.
    delta : array_like, meV, optional
        Gap at ``q`` (computed when not given).

    Returns
    -------
    ndarray, shape of ``q``, meV / l0
    """
    qq = np.asarray(q, dtype=float)
    d = gap(model, qq, kT) if delta is None else np.asarray(delta, dtype=float)
    u = model.u(qq)
    with np.errstate(divide="ignore", invalid="ignore"):
        sc = np.where(d > 0, d * d * model.du(qq) / np.where(u > 0, u * u, 1.0), 0.0)
    return model.omega * qq - sc


def zero_t_energy(model: RamanModel, q: ArrayLike) -> NDArray[np.float64]:
    """T = 0 energy E(q) - E_N = omega q^2/2 + nu0 omega^2 (1 - coth(1/(nu0 U))), meV.

    Paper 000, below Eq. 26 (E(Q) = M omega^2 Q^2/2 - omega^2 nu(0) coth(1/(nu(0)U)) up
    to the constant nu(0) omega^2, so that the normal state has zero condensation energy).

    Parameters
    ----------
    model : RamanModel
    q : array_like, l0
        Displacements.

    Returns
    -------
    ndarray, shape of ``q``, meV (per site)
    """
    qq = np.asarray(q, dtype=float)
    c = model.coupling(qq)
    with np.errstate(divide="ignore", over="ignore"):
        x = np.where(c > 0, 1.0 / np.where(c > 0, c, 1.0), np.inf)
        cond = np.where(np.isfinite(x), -2.0 / np.expm1(np.minimum(2.0 * x, 700.0)), 0.0)
    return 0.5 * model.omega * qq * qq + model.nu0 * model.omega**2 * cond


def landscape(model: RamanModel, q: ArrayLike, kT: float) -> NDArray[np.float64]:
    """F(q, T) - F(0, T) by integrating :func:`landscape_force` along q (trapezoid), meV.

    ``q`` must be ascending and start at 0; accurate to O(dq^2). At kT = 0 the closed form
    :func:`zero_t_energy` is returned instead.

    Parameters
    ----------
    model : RamanModel
    q : (n,) float, l0
        Displacements, ascending from 0.
    kT : float, meV
        k_B T.

    Returns
    -------
    (n,) float, meV (per site)
    """
    qq = np.asarray(q, dtype=float)
    if qq[0] != 0.0 or np.any(np.diff(qq) <= 0):
        raise ValueError("q must be ascending and start at 0")
    if kT == 0.0:
        e = zero_t_energy(model, qq)
        return e - e[0]
    f = landscape_force(model, qq, kT)
    out = np.zeros_like(qq)
    out[1:] = np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(qq))
    return out


def landscape_direct(
    model: RamanModel, q: ArrayLike, kT: ArrayLike, delta: ArrayLike | None = None
) -> NDArray[np.float64]:
    """F(q, T) - F_N from Eq. 25 evaluated directly (bcs.free_energy), meV.

    With ``delta`` given (broadcast with q and kT) this is the landscape over (q, Delta) of
    Fig. 2c; without, Delta is the self-consistent gap.

    Parameters
    ----------
    model : RamanModel
    q : array_like, l0
    kT : array_like, meV (broadcast with q)
    delta : array_like, meV, optional
    """
    if delta is None:
        qq, tt = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(kT, dtype=float))
        d = np.empty(qq.shape)
        for t in np.unique(tt):
            m = tt == t
            d[m] = gap(model, qq[m], float(t))
    else:
        qq, tt, d = np.broadcast_arrays(
            np.asarray(q, dtype=float), np.asarray(kT, dtype=float), np.asarray(delta, float)
        )
    c = model.coupling(qq)
    fsc = model.nu0 * bcs.free_energy(d, tt, np.maximum(c, 1e-300), model.omega)
    return 0.5 * model.omega * qq * qq + fsc


def q_range(model: RamanModel) -> float:
    """Upper end of q beyond which the landscape only rises (elastic cost wins), l0.

    max(3 Delta_E/(2g), 1.5 sqrt(2 |E_cond(U_max)| / omega)), U_max = U0 + g^2/omega.
    """
    c_max = model.nu0 * (model.u0 + model.g**2 / model.omega)
    x = 1.0 / c_max
    econd = 2.0 * model.nu0 * model.omega**2 / math.expm1(min(2.0 * x, 700.0))
    return max(3.0 * model.delta_e / (2.0 * model.g), 1.5 * math.sqrt(2.0 * econd / model.omega))
