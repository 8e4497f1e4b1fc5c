"""Gapped honeycomb lattice of paper 003 (Hart et al., PRB 100, 060508): Eq. 1, bands, DOS.

Section A of :mod:`photosc.cores.bands.honeycomb`. The Bloch Hamiltonian
H(k) = [[delta/2, h(k)], [h(k)*, -delta/2]] with h(k) = -t sum_i exp(i k . d_i) (Eq. 1:
staggered potential delta, nearest-neighbour hopping t), its particle-hole symmetric bands
E_k1 = -E_k2 = -sqrt(delta^2/4 + |h|^2), the band limits, and the exact conduction-band
density of states of one valley half of the zone (paper 003 after Eq. 15, via the graphene
DOS of Castro Neto et al., RMP 81, 109, Eq. 14), finite at the band edge.

Dimensionless units: energies in units of the hopping ``t``, momenta in 1/a with the
nearest-neighbour distance a = 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ellipkm1

#: Area of the unit cell, nearest-neighbour distance a = 1 (paper 003 after Eq. 17).
A_CELL = 3.0 * np.sqrt(3.0) / 2.0
#: Nearest-neighbour vectors d_1, d_2, d_3 (rows), Eq. 1: d_12 = y/2 +- sqrt(3)/2 x, d_3 = -y.
NN_VECTORS = np.array([[np.sqrt(3.0) / 2, 0.5], [-np.sqrt(3.0) / 2, 0.5], [0.0, -1.0]])
#: Valley centre K+ = +4 pi / (3 sqrt 3) x (Fig. 2 caption); K- = -K+.
K_PLUS = np.array([4.0 * np.pi / (3.0 * np.sqrt(3.0)), 0.0])
#: Reciprocal lattice vectors b1, b2 (rows), b_i . a_j = 2 pi delta_ij, a_{1,2} = d_{1,2} - d_3.
RECIPROCAL = 2.0 * np.pi / 3.0 * np.array([[np.sqrt(3.0), 1.0], [-np.sqrt(3.0), 1.0]])


def offdiagonal(kx: ArrayLike, ky: ArrayLike, t: float) -> NDArray[np.complex128]:
    """h(k) = -t sum_i exp(i k . d_i) (paper 003, Eq. 1).

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components (broadcast together).
    t : float, energy unit
        Nearest-neighbour hopping.

    Returns
    -------
    (...) complex, energy unit
    """
    kx = np.asarray(kx, dtype=float)[..., None]
    ky = np.asarray(ky, dtype=float)[..., None]
    phase = kx * NN_VECTORS[:, 0] + ky * NN_VECTORS[:, 1]
    return -t * np.exp(1j * phase).sum(axis=-1)


def _offdiagonal_gradient(kx: ArrayLike, ky: ArrayLike, t: float):
    """(dh/dkx, dh/dky), each (...) complex, energy unit x a."""
    kx = np.asarray(kx, dtype=float)[..., None]
    ky = np.asarray(ky, dtype=float)[..., None]
    e = np.exp(1j * (kx * NN_VECTORS[:, 0] + ky * NN_VECTORS[:, 1]))
    return (-1j * t * (e * NN_VECTORS[:, 0]).sum(-1), -1j * t * (e * NN_VECTORS[:, 1]).sum(-1))


def hamiltonian(kx: ArrayLike, ky: ArrayLike, t: float, delta: float) -> NDArray[np.complex128]:
    """Bloch Hamiltonian H(k) = [[delta/2, h], [h*, -delta/2]] (Eq. 1), shape (..., 2, 2).

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components (broadcast together).
    t : float, energy unit
        Nearest-neighbour hopping.
    delta : float, energy unit
        Staggered potential (band gap delta at K+-).

    Returns
    -------
    (..., 2, 2) complex, energy unit
    """
    h = offdiagonal(kx, ky, t)
    out = np.empty(h.shape + (2, 2), dtype=complex)
    out[..., 0, 0] = delta / 2
    out[..., 1, 1] = -delta / 2
    out[..., 0, 1] = h
    out[..., 1, 0] = np.conj(h)
    return out


def band_energies(kx: ArrayLike, ky: ArrayLike, t: float, delta: float):
    """Valence and conduction bands E_k1 = -E, E_k2 = +E, E = sqrt(delta^2/4 + |h|^2).

    Parameters
    ----------
    kx, ky : array_like, 1/a
    t, delta : float, energy unit
        Hopping and staggered potential (band gap delta at K+-).

    Returns
    -------
    (e1, e2) : tuple of (...) float arrays, energy unit
    """
    e = np.sqrt(delta**2 / 4 + np.abs(offdiagonal(kx, ky, t)) ** 2)
    return -e, e


def _check_positive(name: str, value: float, allow_zero: bool = False) -> None:
    ok = value >= 0 if allow_zero else value > 0
    if not (np.isfinite(value) and ok):
        allowed = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {allowed}, got {value!r}")


def _dos_graphene_over_e(energy: ArrayLike, t: float) -> NDArray[np.float64]:
    """rho_g(E) / |E|, finite at E -> 0 (limit A_CELL / (pi v_F^2), v_F = 3t/2)."""
    _check_positive("t", t)
    x = np.abs(np.asarray(energy, dtype=float)) / t
    inside = x < 3.0
    xs = np.where(inside, x, 0.0)
    zin = (1 + xs) ** 2 - (xs**2 - 1) ** 2 / 4
    z0 = np.where(xs <= 1, zin, 4 * xs)
    # complementary parameter 1 - z1/z0 in closed form (no cancellation near the van Hove
    # energy |E| = t, where K diverges logarithmically; floored so that K stays finite)
    p = (1 - xs) ** 2 * np.abs(1 - (1 + xs) ** 2 / 4) / z0
    val = 2.0 / np.pi**2 / t**2 / np.sqrt(z0) * ellipkm1(np.maximum(p, 1e-300))
    return np.where(inside, val, 0.0)


def band_limits(t: float, delta: float) -> tuple[float, float, float]:
    """(band bottom delta/2, van Hove energy sqrt(delta^2/4 + t^2), band top) of band 2.

    Parameters
    ----------
    t, delta : float, energy unit
        Hopping and staggered potential (band gap delta at K+-).

    Returns
    -------
    (bottom, van_hove, top) : tuple of float, energy unit
    """
    return (delta / 2, float(np.hypot(delta / 2, t)), float(np.hypot(delta / 2, 3 * t)))


def dos_valley(energy: ArrayLike, t: float, delta: float) -> NDArray[np.float64]:
    """Density of states of the conduction band in one valley half of the zone.

    rho(E) = (E / E~) rho_g(E~) / 2 with E~ = sqrt(E^2 - delta^2/4) (paper 003 after
    Eq. 15: rho = (E/E~) rho_0(E~) / 4, rho_0 counting spin and both bands' valleys).
    Per unit cell, int rho dE = 1/2 (half the zone). By particle-hole symmetry the valence
    band has rho(-E). Exact for any delta/t, finite at the band edge:
    rho(delta/2) = A_CELL delta / (9 pi t^2).

    Parameters
    ----------
    energy : array_like, energy unit
        Conduction-band energy E (>= delta/2 inside the band).
    t, delta : float, energy unit

    Returns
    -------
    (...) float, states per unit cell per energy unit
    """
    _check_positive("delta", delta, allow_zero=True)
    e = np.asarray(energy, dtype=float)
    et2 = e**2 - delta**2 / 4
    inside = (et2 >= 0) & (e > 0)
    et = np.sqrt(np.where(inside, et2, 0.0))
    return np.where(inside, e * _dos_graphene_over_e(et, t) / 2, 0.0)
