"""Quasi-particles of paper 004: collision kernel K(Omega, E) (Eq. 15) and delta n(E) (Eq. 14).

Paper 004: Curtis et al., PRL 122, 167002 (2019). All energy arguments share one unit
(k_B T_c in the models, :mod:`photosc.cores.cavity`); the weight W(Omega) = tau_in X
J(Omega) delta N(Omega) of the photon bath (:mod:`photosc.cores.cavity.photon_bath`) has
the unit 1/energy, delta n is dimensionless. The kinks of delta n(E) (Fig. 2: A and C at
E = omega_0 + Delta_0, B at omega_0 - Delta_0) are located by :func:`find_kinks`.

* Eq. 15, f(Omega, E) and K(Omega, E) = f(Omega, E) + f(-Omega, E) - f(-Omega, -E), with
  nu_qp/nu_F = 2|E|/sqrt(E^2 - Delta^2) as in Eq. 1 (the 2 counts the two branches
  xi = +-sqrt(E^2 - Delta^2) of int_p' -> nu_F int dxi'; the overall scale of J absorbs
  every constant in front of the kernel).
* Eq. 14, delta n(E) = tau_in int dOmega J(Omega) delta N(Omega) K(Omega, E).
  **Range of Omega.** Eq. 8 linearised about n_F with N = n_B(T_qp) + delta N gives,
  after the Fermi-surface average (Eqs. 9-13, xi xi' terms averaging out)::

      delta n(E)/tau_in = int_Delta^oo dE' nu_qp(E')/nu_F {
            c_s(E, E') B(|E - E'|) delta N(|E - E'|) [n_F(E') - n_F(E)]
          + c_p(E, E') B(E + E')   delta N(E + E')   [1 - n_F(E) - n_F(E')] },

  c_s = (1 + Delta^2/(E E'))/2 (Eq. 13), c_p = (1 - Delta^2/(E E'))/2 (Eq. 12) (the
  current-coupled, "case II" coherence factors; a density-coupled phonon bath has them
  swapped; the left side of Eq. 12 as converted, (u_p v_-p' - v_-p' u_p)^2, vanishes
  identically, a garble of (u v' - v u')^2 whose right side is used), B the
  positive-frequency photon spectral weight (J). Substituting Omega = E - E' (E' < E,
  photon emitted), Omega = E' - E (E' > E, absorbed) and Omega = E + E' (pair) turns the
  three pieces into f(Omega, E), f(-Omega, E) and -f(-Omega, -E) with **Omega > 0 only**:
  each scattering and pair process is counted once (``omega_integration="positive"``,
  the default). Reading Eq. 14 literally over all Omega, with J continued as the odd
  bosonic spectral function so that J delta N is even, adds K(-Omega, E) =
  f(-Omega, E) + f(Omega, E) (f(Omega, -E) = 0): the scattering terms are counted twice,
  the pair term once (``omega_integration="all"``). Both vanish at T_cav = T_qp.

Numerics
--------
delta n(E) is evaluated in the E' form above, E' = Delta cosh(u) (so that
nu_qp(E') dE' = 2 Delta cosh(u) du is smooth), on composite Gauss-Legendre panels whose
edges include the E-dependent images of every feature of W(Omega) (the multimode step at
omega_0, Lorentzian peaks) and of the thermal scales; vectorised over E and over a batch
of weights (e.g. several T_cav).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.cavity._common import (
    OmegaIntegration,
    _check_mode,
    _check_positive,
    _gauss01,
)
from photosc.foundation.distributions import fermi

#: Largest panel width in u (E' = Delta cosh u).
_H_U = 0.5
#: Panel edges at these multiples of each temperature (in Omega).
_THERMAL_CUTS = (0.3, 1.0, 3.0, 8.0, 20.0)


def qp_dos(energy: ArrayLike, delta: float) -> NDArray[np.float64]:
    """nu_qp(E)/nu_F = 2|E|/sqrt(E^2 - Delta^2) for |E| > Delta, else 0 (paper 004 Eq. 1).

    Parameters
    ----------
    energy : array_like, energy
        E (either sign).
    delta : float, energy
        Gap >= 0.

    Returns
    -------
    ndarray, shape of ``energy``, dimensionless
    """
    e = np.abs(np.asarray(energy, dtype=float))
    d2 = float(delta) ** 2
    inside = e * e > d2
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 2.0 * e / np.sqrt(np.where(inside, e * e - d2, 1.0))
    return np.where(inside, out, 0.0)


def kernel_f(omega: ArrayLike, energy: ArrayLike, delta: float, kT: float) -> NDArray[np.float64]:
    """f(Omega, E) of paper 004 Eq. 15 (as printed).

    f = theta(E - Omega - Delta) nu_qp(E - Omega)/nu_F (1/2)(1 + Delta^2/(E (E - Omega)))
        [n_F((E - Omega)/T) - n_F(E/T)].

    Parameters
    ----------
    omega, energy : array_like, energy (broadcast)
        Omega and E, either sign (K evaluates f at -Omega and -E).
    delta : float, energy
        Gap > 0.
    kT : float, energy
        T_qp > 0.

    Returns
    -------
    ndarray, broadcast shape, dimensionless
    """
    om = np.asarray(omega, dtype=float)
    e = np.asarray(energy, dtype=float)
    ep = e - om
    on = ep > delta
    dos = qp_dos(np.where(on, ep, 2.0 * delta + 1.0), delta)
    with np.errstate(divide="ignore", invalid="ignore"):
        coh = 0.5 * (1.0 + delta * delta / np.where(on, e * ep, 1.0))
    occ = fermi(ep, kT) - fermi(e, kT)
    return np.where(on, dos * coh * occ, 0.0)


def kernel(omega: ArrayLike, energy: ArrayLike, delta: float, kT: float) -> NDArray:
    """K(Omega, E) = f(Omega, E) + f(-Omega, E) - f(-Omega, -E), paper 004 Eq. 15.

    For Omega > 0: f(Omega, E) down-scattering E -> E - Omega (photon emitted),
    f(-Omega, E) up-scattering E -> E + Omega (absorbed), -f(-Omega, -E) pair processes
    E + E' = Omega (Fig. 1c).

    Parameters
    ----------
    omega, energy : array_like, energy (broadcast)
    delta, kT : float, energy

    Returns
    -------
    ndarray, broadcast shape, dimensionless
    """
    om = np.asarray(omega, dtype=float)
    e = np.asarray(energy, dtype=float)
    return kernel_f(om, e, delta, kT) + kernel_f(-om, e, delta, kT) - kernel_f(-om, -e, delta, kT)


def thermal_breakpoints(*kTs: float) -> list[float]:
    """Panel edges in Omega at a few multiples of each temperature (energy units)."""
    return [c * t for t in kTs if t > 0 for c in _THERMAL_CUTS]


def _to_u(ep: NDArray[np.float64], delta: float) -> NDArray[np.float64]:
    if delta > 0:
        return np.arccosh(np.maximum(ep / delta, 1.0))
    return ep


def _panel_nodes(
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    cuts: NDArray[np.float64],
    delta: float,
    n_nodes: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Nodes E' (N, Q) and weights for int_lo^hi dE' nu_qp(E')/nu_F g(E') per row.

    E' = Delta cosh(u) (Delta > 0; then nu_qp dE' = 2 Delta cosh u du), panels of width
    <= _H_U in u plus the edges ``cuts`` (N, K) (values outside [lo, hi] are ignored).
    Rows with hi <= lo get zero weights.
    """
    hi = np.maximum(hi, lo)
    u_lo, u_hi = _to_u(lo, delta), _to_u(hi, delta)
    span = u_hi - u_lo
    scale = _H_U if delta > 0 else max(_H_U * delta, 1.0)
    n_uni = max(1, int(np.ceil(np.max(span) / scale))) if span.size else 1
    uni = u_lo[:, None] + span[:, None] * np.linspace(0.0, 1.0, n_uni + 1)[None, :]
    uc = _to_u(np.clip(cuts, lo[:, None], hi[:, None]), delta)
    edges = np.sort(np.concatenate([uni, uc], axis=1), axis=1)
    x01, w01 = _gauss01(n_nodes)
    a = edges[:, :-1, None]
    h = edges[:, 1:, None] - a
    u = (a + h * x01).reshape(len(lo), -1)
    w = (h * w01).reshape(len(lo), -1)
    if delta > 0:
        ep = delta * np.cosh(u)
        return ep, w * 2.0 * ep
    return u, 2.0 * w


def distribution_change(
    energy: ArrayLike,
    delta: float,
    kT_qp: float,
    weight: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    *,
    omega_max: float,
    breakpoints: Sequence[float] = (),
    omega_integration: OmegaIntegration = "positive",
    n_nodes: int = 12,
) -> NDArray[np.float64]:
    """delta n(E) = int dOmega W(Omega) K(Omega, E), paper 004 Eq. 14.

    W(Omega) = tau_in J(Omega) delta N(Omega) (with X folded into J). Evaluated in the
    E' (partner-energy) form derived from Eq. 8 (module docstring): scattering partners
    E' = E -+ Omega, pair partner E' = Omega - E, Omega in (0, omega_max].

    Parameters
    ----------
    energy : (n_E,) array_like, energy
        Quasi-particle energies E >= Delta.
    delta : float, energy
        Gap >= 0.
    kT_qp : float, energy
        Quasi-particle temperature > 0.
    weight : callable
        ``weight(omega)`` for an ndarray omega > 0 (any shape, energy) returns W with shape
        ``batch + omega.shape`` (1/energy), e.g. batch = (n_T_cav,).
    omega_max : float, energy
        Upper end of the photon frequencies (W must be negligible above).
    breakpoints : sequence of float, energy
        Frequencies where W has a step, kink or narrow peak (panel edges are put at the
        matching E').
    omega_integration : {"positive", "all"}
        Reading of Eq. 14 (module docstring): "positive" counts each process once
        (derived from Eq. 8), "all" counts the scattering terms twice.
    n_nodes : int
        Gauss-Legendre nodes per panel.

    Returns
    -------
    ndarray, shape ``batch + (n_E,)``, dimensionless
    """
    m_s = _check_mode(omega_integration)
    d = _check_positive("delta", delta, allow_zero=True)
    t = _check_positive("kT_qp", kT_qp)
    w_max = _check_positive("omega_max", omega_max)
    e = np.atleast_1d(np.asarray(energy, dtype=float))
    if e.ndim != 1:
        raise ValueError(f"energy must be 1-D, got shape {e.shape}")
    if np.any(e < d * (1.0 - 1e-12)):
        raise ValueError(f"energy must be >= delta = {d} (quasi-particle states), min {e.min()}")
    e = np.maximum(e, d)
    bp = np.asarray(sorted({*breakpoints, *thermal_breakpoints(t)}), dtype=float)
    bp = bp[(bp > 0) & (bp < w_max)]
    col = e[:, None]
    n_e = fermi(e, t)[:, None]
    delta_lo = np.full_like(e, d)
    total = None
    # (lower E', upper E', panel edges in E', process)
    terms = (
        (np.maximum(delta_lo, e - w_max), e, col - bp[None, :], "down"),
        (e, e + w_max, col + bp[None, :], "up"),
        (delta_lo, np.maximum(delta_lo, w_max - e), bp[None, :] - col, "pair"),
    )
    for lo, hi, cuts, kind in terms:
        ep, wq = _panel_nodes(lo, hi, cuts, d, n_nodes)
        n_p = fermi(ep, t)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = d * d / (col * ep) if d > 0 else np.zeros_like(ep)
        if kind == "pair":
            om = col + ep
            g = 0.5 * (1.0 - ratio) * (1.0 - n_e - n_p)
            mult = 1.0
        else:
            om = np.abs(col - ep)
            g = 0.5 * (1.0 + ratio) * (n_p - n_e)
            mult = float(m_s)
        om = np.where(om > 0, om, w_max)  # zero-weight rows (hi == lo) only
        wt = np.asarray(weight(om), dtype=float)
        part = mult * np.sum(wt * (wq * g), axis=-1)
        total = part if total is None else total + part
    return total


def find_kinks(
    energy: ArrayLike, values: ArrayLike, *, exclude_below: float = -np.inf, ratio: float = 8.0
) -> NDArray[np.float64]:
    """Energies of kinks (derivative singularities) of a curve on a uniform grid.

    A kink is a local maximum of |second difference| exceeding ``ratio`` times the median
    |second difference| of the curve; adjacent hits are merged (largest kept).

    Parameters
    ----------
    energy : (n,) array_like, energy
        Uniform grid.
    values : (n,) array_like
        Curve, e.g. delta n(E).
    exclude_below : float, energy
        Ignore kinks at energies below this (e.g. the gap edge).
    ratio : float
        Detection threshold relative to the median.

    Returns
    -------
    ndarray, energy
        Kink positions, ascending.
    """
    e = np.asarray(energy, dtype=float)
    y = np.asarray(values, dtype=float)
    if e.shape != y.shape or e.ndim != 1 or e.size < 5:
        raise ValueError("energy and values must be 1-D arrays of the same length >= 5")
    d2 = np.abs(y[2:] - 2.0 * y[1:-1] + y[:-2])
    mid = e[1:-1]
    ref = np.median(d2)
    if ref == 0.0:
        ref = np.max(d2) * 1e-3 if np.max(d2) > 0 else 1.0
    peak = np.zeros_like(d2, dtype=bool)
    peak[1:-1] = (d2[1:-1] >= d2[:-2]) & (d2[1:-1] >= d2[2:])
    hit = peak & (d2 > ratio * ref) & (mid >= exclude_below)
    idx = np.flatnonzero(hit)
    out: list[int] = []
    for i in idx:
        if out and i - out[-1] <= 2:
            if d2[i] > d2[out[-1]]:
                out[-1] = i
        else:
            out.append(int(i))
    return mid[np.asarray(out, dtype=int)]
