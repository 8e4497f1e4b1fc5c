"""Gap change of paper 004: Ginzburg-Landau (Eqs. 17-18) and the full self-consistent BCS gap.

Paper 004: Curtis et al., PRL 122, 167002 (2019). All energy arguments share one unit
(k_B T_c in the models, :mod:`photosc.cores.cavity`). The distribution change delta n(E)
comes from :mod:`photosc.cores.cavity.qp_distribution`.

* Eqs. 17-18, Ginzburg-Landau gap change. Expanding the gap equation 1 = lambda int_0
  dxi (1 - 2n)/E with n = n_F + delta n near T_c gives::

      (T_c - T)/T_c - b Delta^2/T_c^2 - 2 int_Delta dE delta n(E)/sqrt(E^2 - Delta^2) = 0,

  b = 7 zeta(3)/(8 pi^2): Eq. 17 with nu_qp/nu_F = E/sqrt(E^2 - Delta^2) (``dos_factor=1``,
  the default). Eq. 17 read with Eq. 1's nu_qp = 2 nu_F E/sqrt(E^2 - Delta^2) doubles the
  delta n term (``dos_factor=2``). To first order in delta n, with b Delta_0^2 =
  (T_c - T)/T_c, 2 b Delta_0 delta Delta = -2 dos_factor I, I = int dE delta n/sqrt(E^2 -
  Delta_0^2), so delta Delta/Delta_0 = -(T_c/(T_c - T)) dos_factor I: Eq. 18 follows from
  Eq. 17 with the same DOS (:func:`gl_relative_gap_change`).
* Beyond the GL expansion: :func:`solve_cavity_gap` solves the BCS gap equation (Eq. 1)
  with n = n_F + dos_factor delta n[Delta], the kernel K (Eq. 15) rebuilt at every trial
  gap; its T_qp -> T_c, small-W limit is Eq. 18.

Numerics
--------
The GL response G(Omega) = int dE K(Omega, E)/sqrt(E^2 - Delta^2) (:func:`gap_response`)
swaps the order of the two integrals and serves as an independent check of the GL gap
change.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import zeta

from photosc.cores.cavity._common import (
    OmegaIntegration,
    _check_mode,
    _check_positive,
    _gauss01,
)
from photosc.cores.cavity.qp_distribution import distribution_change
from photosc.foundation.distributions import fermi

#: 7 zeta(3) / (8 pi^2) = 0.10657, the Delta^2 coefficient of Eq. 17 (units of T_c^-2).
GL_COEFFICIENT = 7.0 * float(zeta(3.0)) / (8.0 * math.pi**2)


def gap_integral_weights(
    delta: float, emax: float, cuts: Sequence[float] = (), n_nodes: int = 10
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Nodes E and weights w with sum(w g(E)) = int_Delta^emax dE g(E)/sqrt(E^2 - Delta^2).

    E = Delta cosh u (dE/sqrt(E^2 - Delta^2) = du), Gauss-Legendre panels of width <= 0.25
    in u with extra edges at ``cuts`` (kinks of g), geometrically graded towards each cut
    (g ~ sqrt(E - E_k) at the kinks of delta n, Fig. 2).

    Parameters
    ----------
    delta : float, energy
        Gap > 0.
    emax : float, energy
        Upper end > delta.
    cuts : sequence of float, energy
        Energies where g has kinks.
    n_nodes : int
        Nodes per panel.

    Returns
    -------
    energy : (Q,) ndarray, energy
    weights : (Q,) ndarray, dimensionless
    """
    d = _check_positive("delta", delta)
    if not emax > d:
        raise ValueError(f"emax must exceed delta = {d}, got {emax}")
    u_hi = math.acosh(emax / d)
    n_uni = max(4, math.ceil(u_hi / 0.25))
    c = np.arccosh(np.asarray([x for x in cuts if d < x < emax], dtype=float) / d)
    # geometric grading towards each kink (delta n ~ sqrt(E - E_k) there): hp-refinement
    grade = 0.25 * 0.2 ** np.arange(1, 7)
    graded = (c[:, None] + np.concatenate([grade, -grade])[None, :]).ravel()
    graded = graded[(graded > 0) & (graded < u_hi)]
    edges = np.unique(np.concatenate([np.linspace(0.0, u_hi, n_uni + 1), c, graded]))
    x01, w01 = _gauss01(n_nodes)
    a = edges[:-1, None]
    h = np.diff(edges)[:, None]
    u = (a + h * x01).ravel()
    return d * np.cosh(u), (h * w01).ravel()


def gl_relative_gap_change(
    integral: ArrayLike, t_qp_over_tc: float, dos_factor: float = 1.0
) -> NDArray[np.float64]:
    """delta Delta / Delta_0 in the Ginzburg-Landau regime, paper 004 Eq. 18.

    delta Delta/Delta_0 = -(T_c/(T_c - T_qp)) int_Delta0 dE/E (nu_qp/nu_F) delta n(E)
                        = -(T_c/(T_c - T_qp)) dos_factor int dE delta n/sqrt(E^2 - Delta0^2),

    the first-order solution of Eq. 17 (module docstring): dos_factor = 1 is the DOS that
    follows from the BCS gap equation, 2 the literal Eq. 1 nu_qp.

    Parameters
    ----------
    integral : array_like
        int_Delta0 dE delta n(E)/sqrt(E^2 - Delta0^2), dimensionless.
    t_qp_over_tc : float
        T_qp/T_c in (0, 1).
    dos_factor : float
        1 (derived) or 2 (Eq. 1's nu_qp in Eq. 17).

    Returns
    -------
    ndarray, shape of ``integral``, dimensionless
    """
    t = float(t_qp_over_tc)
    if not 0 < t < 1:
        raise ValueError(f"t_qp_over_tc must be in (0, 1), got {t_qp_over_tc}")
    return -dos_factor * np.asarray(integral, dtype=float) / (1.0 - t)


def gap_response(
    omega: ArrayLike,
    delta: float,
    kT: float,
    *,
    omega_integration: OmegaIntegration = "positive",
    n_nodes: int = 16,
) -> NDArray[np.float64]:
    """G(Omega) = int_Delta^oo dE K(Omega, E)/sqrt(E^2 - Delta^2) (Eq. 15 kernel, Omega > 0).

    With it the GL gap change (Eqs. 14, 18) reads
    delta Delta/Delta_0 = -(dos_factor/(1 - T_qp/T_c)) int_0^oo dOmega W(Omega) G(Omega):
    the order of the E and Omega integrals swapped, an independent route to the same
    number. Scattering terms combined (E -> E + Omega in f(Omega, E)):
    int_Delta dE c_s (n_F(E+Omega) - n_F(E)) 2 Omega/(s(E) s(E+Omega)),
    s(E) = sqrt(E^2 - Delta^2), with E = Delta cosh u; pair term over E in
    [Delta, Omega - Delta] with E = Delta + (Omega - 2 Delta) sin^2(theta/2), which removes
    both edge singularities.

    Parameters
    ----------
    omega : array_like, energy
        Omega > 0, any shape.
    delta : float, energy
        Gap > 0.
    kT : float, energy
        T_qp > 0.
    omega_integration : {"positive", "all"}
        See :func:`~photosc.cores.cavity.qp_distribution.distribution_change`.
    n_nodes : int
        Gauss-Legendre nodes per panel.

    Returns
    -------
    ndarray, shape of ``omega``, 1/energy
    """
    m_s = _check_mode(omega_integration)
    d = _check_positive("delta", delta)
    t = _check_positive("kT", kT)
    om = np.asarray(omega, dtype=float)
    shape = om.shape
    om = om.reshape(-1)
    if np.any(om <= 0):
        raise ValueError("gap_response needs omega > 0")
    x01, w01 = _gauss01(n_nodes)
    # scattering: u from 0 to acosh(emax/d), cuts near u = 0 at scale omega
    emax = d + 60.0 * t
    u_hi = math.acosh(emax / d)
    base = np.linspace(0.0, u_hi, max(8, math.ceil(u_hi / 0.25)) + 1)
    with np.errstate(invalid="ignore"):
        near = np.arccosh(1.0 + np.outer(om / d, [0.25, 1.0, 4.0, 16.0]))
    near = np.where(near < u_hi, near, u_hi)
    edges = np.sort(np.concatenate([np.broadcast_to(base, (om.size, base.size)), near], 1), 1)
    a = edges[:, :-1, None]
    h = edges[:, 1:, None] - a
    u = (a + h * x01).reshape(om.size, -1)
    wu = (h * w01).reshape(om.size, -1)
    e = d * np.cosh(u)
    ep = e + om[:, None]
    sp = np.sqrt(ep * ep - d * d)
    cs = 0.5 * (1.0 + d * d / (e * ep))
    g_scat = np.sum(wu * cs * (fermi(ep, t) - fermi(e, t)) * 2.0 * om[:, None] / sp, axis=1)
    # pair: Omega > 2 Delta only
    g_pair = np.zeros_like(om)
    on = om > 2.0 * d
    if np.any(on):
        a_len = om[on] - 2.0 * d
        th_edges = np.linspace(0.0, math.pi, 9)
        th = (th_edges[:-1, None] + np.diff(th_edges)[:, None] * x01).ravel()
        wth = (np.diff(th_edges)[:, None] * w01).ravel()
        e1 = d + a_len[:, None] * np.sin(0.5 * th) ** 2
        e2 = om[on][:, None] - e1
        cp = 0.5 * (1.0 - d * d / (e1 * e2))
        occ = 1.0 - fermi(e1, t) - fermi(e2, t)
        dens = 2.0 * e2 / np.sqrt((e1 + d) * (e2 + d))
        g_pair[on] = np.sum(wth * cp * occ * dens, axis=1)
    return (m_s * g_scat + g_pair).reshape(shape)


class CavityGap(NamedTuple):
    """Self-consistent gap with the cavity distribution (see :func:`solve_cavity_gap`).

    Attributes
    ----------
    delta : float, energy
        Gap solving Eq. 1 with n = n_F + dos_factor * delta n[Delta].
    iterations : int
        Gap-equation evaluations.
    residual : float
        |coupling * gap integral - 1| at ``delta``.
    """

    delta: float
    iterations: int
    residual: float


def solve_cavity_gap(
    coupling: float,
    cutoff: float,
    kT_qp: float,
    weight: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    *,
    omega_max: float,
    breakpoints: Sequence[float] = (),
    omega_integration: OmegaIntegration = "positive",
    dos_factor: float = 1.0,
    delta_guess: float | None = None,
    tol: float = 1e-10,
    n_nodes: int = 12,
) -> CavityGap:
    """Full BCS gap (Eq. 1) with n = n_F + delta n[Delta], delta n recomputed at each Delta.

    Goes beyond the paper's GL expansion: the kernel K (Eq. 15) is rebuilt with every trial
    gap, so the result is self-consistent at any T_qp < T_c; its T_qp -> T_c, small-W limit
    is Eq. 18. ``dos_factor = 2`` doubles delta n in the gap equation, the counterpart of
    reading Eq. 17 with Eq. 1's nu_qp.

    Parameters
    ----------
    coupling : float
        nu(0) U (dimensionless), see :mod:`photosc.cores.bcs`.
    cutoff : float, energy
        Debye cutoff.
    kT_qp : float, energy
        Quasi-particle temperature > 0.
    weight : callable
        W(Omega) = tau_in X J(Omega) delta N(Omega), ``weight(omega) -> omega.shape`` (no
        batch dimension), 1/energy.
    omega_max, breakpoints, omega_integration, n_nodes
        As in :func:`~photosc.cores.cavity.qp_distribution.distribution_change`.
    dos_factor : float
        1 (derived) or 2 (Eq. 1's nu_qp in Eq. 17).
    delta_guess : float, energy, optional
        Warm start (e.g. the equilibrium gap).
    tol : float
        Relative tolerance on Delta.

    Returns
    -------
    CavityGap
    """
    from photosc.cores.bcs import solve_gap

    t = _check_positive("kT_qp", kT_qp)

    def occupation(e: NDArray[np.float64], d: float) -> NDArray[np.float64]:
        flat = e.reshape(-1)
        dn = distribution_change(
            flat,
            d,
            t,
            weight,
            omega_max=omega_max,
            breakpoints=breakpoints,
            omega_integration=omega_integration,
            n_nodes=n_nodes,
        )
        if dn.shape != flat.shape:
            raise ValueError(f"weight must not add batch dimensions, got delta n {dn.shape}")
        return fermi(e, t) + dos_factor * dn.reshape(e.shape)

    def breaks(d: float) -> list[float]:
        out = [d + b for b in breakpoints] + [b - d for b in breakpoints if b > 2 * d]
        return [x for x in out if x > d]

    sol = solve_gap(
        coupling, cutoff, occupation, delta_guess=delta_guess, tol=tol, breakpoints=breaks
    )
    return CavityGap(sol.delta, sol.iterations, sol.residual)
