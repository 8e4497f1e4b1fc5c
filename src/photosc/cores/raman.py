"""Raman-phonon photo-controlled pairing and its adiabatic free-energy landscape (paper 000).

Paper 000: Chattopadhyay et al., *Metastable photo-induced superconductivity far above
T_c*, npj Quantum Mater. (2025).

Units
-----
The phonon coordinate is measured in units of the oscillator length
l0 = 1/sqrt(M omega) (hbar = 1), ``q = Q / l0``; energies in meV. Then
M omega^2 Q^2 / 2 = omega q^2 / 2, the coupling ``g`` of ``H_int = g Q (c^+d + d^+c)`` is
an energy per l0 (``g = gbar * omega`` with the paper's g l0 / omega = gbar), and
g^2 / (M omega^2) = g^2 / omega in meV. Densities of states ``nu0`` are per spin per site,
1/meV; free energies are per site, meV.

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

* Adiabatic free energy (Eq. 25 plus the elastic term of Eq. 24) per site::

      F(q, T) = omega q^2 / 2 + nu0 * f_BCS(Delta(q, T), T; nu0 U(q), cutoff = omega),

  with f_BCS = (F_SC - F_N)/nu0 of :func:`photosc.cores.bcs.free_energy`. Because
  dF_SC/dDelta = 0 at the self-consistent gap, the envelope theorem gives the force::

      dF/dq = omega q - Delta(q, T)^2 U'(q) / U(q)^2,

  which holds at every temperature; at T = 0, Delta = omega / sinh(1/(nu0 U)) and
  F_SC = nu0 omega^2 (1 - coth(1/(nu0 U))) (the E(Q) below Eq. 26 up to a constant).

* Critical points for U0 = 0 at T = 0 (Eq. 26). The converted text prints
  Q_c^2 = Delta_E omega Delta(Q_c)/sqrt(2 g^2), which is not dimensionally consistent.
  Setting dE/dQ = 0 with U = (g^2/(M omega^2)) 4 g^2 Q^2/Delta_E_eff^2 gives
  U'/U^2 = Delta_E^2 / (2 (g^2/(M omega^2)) g^2 Q^3), hence::

      Q_c^2 = Delta_E Delta(Q_c) / (sqrt(2) g^2)        (form used here),

  checked against the numerically found critical points in the tests.

Gap inversion
-------------
The landscape needs Delta for many couplings at one temperature. With t = kT/omega and
delta = Delta/omega the gap equation reads 1/c = h(delta, t) with the universal function
h(delta, t) = int_0^1 dx tanh(E/2t)/E, E = sqrt(x^2 + delta^2) (h(delta, 0) =
asinh(1/delta)). :func:`reduced_gap_table` tabulates h once (log-spaced delta and t) and
:func:`gap_from_table` inverts it by interpolation; the tests compare it with
:func:`photosc.cores.bcs.solve_gap`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from photosc.cores import bcs

__all__ = [
    "GapTable",
    "LangevinResult",
    "RamanModel",
    "classify",
    "critical_points",
    "critical_points_eq26",
    "extended_u",
    "extended_u_projected",
    "first_order_temperature",
    "gap",
    "gap_from_table",
    "landscape",
    "landscape_direct",
    "landscape_force",
    "langevin_baoab",
    "metastable_temperature",
    "pairing_u",
    "pairing_u_derivative",
    "q_range",
    "reduced_gap_table",
    "zero_t_energy",
]


# --------------------------------------------------------------------------------------
# photo-induced attraction
# --------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------
# universal gap table
# --------------------------------------------------------------------------------------
class GapTable:
    """Tabulated h(delta, t) = int_0^1 dx tanh(E/2t)/E (reduced gap equation 1/c = h).

    Rows (one temperature each) are computed on first use and cached, so a run that needs
    a few temperatures pays for a few rows only.

    Attributes
    ----------
    log_delta : (n_d,) float
        ln(Delta / cutoff), ascending.
    log_t : (n_t,) float
        ln(kT / cutoff), ascending.
    h0 : (n_d,) float
        The T = 0 row asinh(1/delta).
    """

    def __init__(self, log_delta: NDArray[np.float64], log_t: NDArray[np.float64]) -> None:
        self.log_delta = log_delta
        self.log_t = log_t
        d = np.exp(log_delta)
        self.h0 = np.arcsinh(1.0 / d)
        x, w = _x_nodes()
        self._e = np.sqrt(x[None, :] ** 2 + d[:, None] ** 2)  # (n_d, n_x)
        self._w = w
        self._rows: dict[int, NDArray[np.float64]] = {}

    def row(self, i: int) -> NDArray[np.float64]:
        """h(delta grid, t_i), shape (n_d,)."""
        if i not in self._rows:
            t = math.exp(self.log_t[i])
            self._rows[i] = np.sum(self._w * np.tanh(self._e / (2.0 * t)) / self._e, axis=1)
        return self._rows[i]


def _x_nodes(n_panels: int = 48, n_gl: int = 8) -> tuple[NDArray, NDArray]:
    """Gauss-Legendre nodes on geometric panels of [0, 1] (scales from 1e-9 to 1)."""
    edges = np.concatenate([[0.0], np.geomspace(1e-9, 1.0, n_panels)])
    gx, gw = np.polynomial.legendre.leggauss(n_gl)
    a = edges[:-1, None]
    h = np.diff(edges)[:, None]
    return (a + h * 0.5 * (gx + 1.0)).ravel(), (h * 0.5 * gw).ravel()


@functools.lru_cache(maxsize=4)
def reduced_gap_table(
    n_delta: int = 500, n_t: int = 200, delta_min: float = 1e-7, t_min: float = 1e-4
) -> GapTable:
    """The universal reduced gap-equation table (cached per process, rows built lazily).

    Parameters
    ----------
    n_delta : int
        Points in Delta/cutoff, log-spaced on [delta_min, 8].
    n_t : int
        Points in kT/cutoff, log-spaced on [t_min, 2].
    delta_min, t_min : float
        Lower ends (dimensionless). Below t_min the T = 0 row is used.

    Returns
    -------
    GapTable
    """
    log_d = np.linspace(math.log(delta_min), math.log(8.0), n_delta)
    log_t = np.linspace(math.log(t_min), math.log(2.0), n_t)
    return GapTable(log_d, log_t)


def _table_row(table: GapTable, t: float) -> NDArray[np.float64]:
    """h(delta grid, t), linear interpolation in ln t between rows."""
    if t <= math.exp(table.log_t[0]):
        return table.h0
    lt = math.log(t)
    if lt > table.log_t[-1]:
        raise ValueError(
            f"kT/cutoff = {t:.3g} exceeds the gap table's range ({math.exp(table.log_t[-1])})"
        )
    i = int(np.searchsorted(table.log_t, lt)) - 1
    i = min(max(i, 0), len(table.log_t) - 2)
    s = (lt - table.log_t[i]) / (table.log_t[i + 1] - table.log_t[i])
    return (1.0 - s) * table.row(i) + s * table.row(i + 1)


def gap_from_table(
    coupling: ArrayLike, kT: float, cutoff: float, table: GapTable | None = None
) -> NDArray[np.float64]:
    """Equilibrium BCS gap for many couplings at one temperature, by table inversion.

    Solves 1 = coupling int_0^cutoff dxi tanh(E/2kT)/E (the bcs core's gap equation at
    lam = 0) through the universal table h(Delta/cutoff, kT/cutoff); at kT = 0 the exact
    Delta = cutoff / sinh(1/coupling) is returned.

    Parameters
    ----------
    coupling : array_like
        nu(0) U >= 0 (0 gives Delta = 0), any shape.
    kT : float, meV
        k_B T >= 0.
    cutoff : float, meV
        Pairing cutoff > 0.
    table : GapTable, optional
        Default :func:`reduced_gap_table`.

    Returns
    -------
    ndarray, shape of ``coupling``, meV
        0 where only the normal solution exists (T >= T_c(coupling)).
    """
    c = np.asarray(coupling, dtype=float)
    if np.any(~np.isfinite(c)) or np.any(c < 0):
        raise ValueError("coupling must be finite and >= 0")
    if not kT >= 0:
        raise ValueError(f"kT must be >= 0, got {kT}")
    with np.errstate(divide="ignore"):
        y = np.where(c > 0, 1.0 / np.where(c > 0, c, 1.0), np.inf)
    if kT == 0.0:
        with np.errstate(over="ignore"):
            return np.where(np.isfinite(y), cutoff / np.sinh(np.minimum(y, 700.0)), 0.0)
    table = table if table is not None else reduced_gap_table()
    row = _table_row(table, kT / cutoff)
    if np.any(y < row[-1]):
        raise ValueError(f"coupling {c.max():.3g} too strong for the gap table (Delta > 8 cutoff)")
    # h decreases with delta: interpolate ln(delta) against h on the reversed row
    ld = np.interp(y, row[::-1], table.log_delta[::-1])
    return np.where(y < row[0], cutoff * np.exp(ld), 0.0)


# --------------------------------------------------------------------------------------
# the landscape
# --------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------
# Langevin dynamics (paper 000 Eq. 24)
# --------------------------------------------------------------------------------------
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
