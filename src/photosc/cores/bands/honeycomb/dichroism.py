"""Optics of the gapped honeycomb model (paper 003): interband elements, eta(k), drive pattern.

Section B of :mod:`photosc.cores.bands.honeycomb`. The interband matrix elements
P^21_+-(k) = <psi_2k | p_+- | psi_1k> of the velocity p = dH/dk, the degree of circular
polarisation eta(k) of Eq. 2 (Fig. 2; +1 at K+, -1 at K-, odd under k -> -k), the
hexagonal Brillouin zone (Monkhorst-Pack sampling, folding, membership) and the
valley-selective sigma_+ drive pattern, the true eta > 0 region of the zone.

Sign convention (package docstring): p_+- = p_x -+ i p_y, so that eta(K+) = +1 as the paper
states; Eq. 2 taken literally with p_+- = p_x +- i p_y gives -eta. Energies in units of
``t``, momenta in 1/a.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.bands.honeycomb.lattice import RECIPROCAL, _offdiagonal_gradient, offdiagonal


class OpticalElements(NamedTuple):
    """Interband matrix elements of p_+- (velocity units, energy unit x a)."""

    p_plus: NDArray[np.complex128]
    p_minus: NDArray[np.complex128]


def optical_matrix_elements(
    kx: ArrayLike, ky: ArrayLike, t: float, delta: float
) -> OpticalElements:
    """P^21_+-(k) = <psi_2k | p_+- | psi_1k> with p = dH/dk (m = 1), Eq. 2.

    Sign convention (module docstring): p_+- = p_x -+ i p_y, chosen so that eta(K+) = +1
    as the paper states. At K+ the sigma_+ element is |P_+| = 3t, P_- = 0.

    Parameters
    ----------
    kx, ky : array_like, 1/a
    t, delta : float, energy unit

    Returns
    -------
    OpticalElements of (...) complex arrays
    """
    h = offdiagonal(kx, ky, t)
    hx, hy = _offdiagonal_gradient(kx, ky, t)
    d = delta / 2
    e = np.sqrt(d**2 + np.abs(h) ** 2)
    # eigenvectors of [[d, h], [h*, -d]]: psi_2 = (d + e, h*) / N, psi_1 = (-h, d + e) / N
    norm = np.sqrt(2 * e * (e + d))
    with np.errstate(invalid="ignore", divide="ignore"):
        u2 = np.stack([(d + e) / norm, np.conj(h) / norm], axis=-1)
        u1 = np.stack([-h / norm, (d + e) / norm], axis=-1)
    if delta == 0:  # d = 0 and h = 0 cannot occur together except at the Dirac point
        u2 = np.where(np.isfinite(u2), u2, 0.0)
        u1 = np.where(np.isfinite(u1), u1, 0.0)

    def element(gx: NDArray, gy: NDArray, sign: float) -> NDArray:
        # operator v = [[0, g], [g*, 0]] with g = d h / dk along the combination
        g = gx - sign * 1j * gy
        gs = np.conj(gx) - sign * 1j * np.conj(gy)
        # <u2| M |u1>, M = [[0, g], [gs, 0]]
        return np.conj(u2[..., 0]) * g * u1[..., 1] + np.conj(u2[..., 1]) * gs * u1[..., 0]

    return OpticalElements(element(hx, hy, +1.0), element(hx, hy, -1.0))


def circular_dichroism(kx: ArrayLike, ky: ArrayLike, t: float, delta: float) -> NDArray:
    """Degree of circular polarisation eta(k) (Eq. 2, Fig. 2); +1 at K+, -1 at K-.

    eta = (|P_+|^2 - |P_-|^2) / (|P_+|^2 + |P_-|^2), convention of
    :func:`optical_matrix_elements`. Odd under k -> -k (time reversal). Where both
    elements vanish (the zone centre Gamma, where dh/dk = 0) eta is set to 0.

    Parameters
    ----------
    kx, ky : array_like, 1/a
    t, delta : float, energy unit

    Returns
    -------
    (...) float in [-1, 1]
    """
    pp, pm = optical_matrix_elements(kx, ky, t, delta)
    a, b = np.abs(pp) ** 2, np.abs(pm) ** 2
    s = a + b
    tiny = 1e-24 * t**2
    return np.where(s > tiny, (a - b) / np.where(s > tiny, s, 1.0), 0.0)


class ZoneGrid(NamedTuple):
    """Uniform Monkhorst-Pack sampling of the Brillouin zone (each point weight 1/N)."""

    kx: NDArray[np.float64]
    ky: NDArray[np.float64]


def zone_grid(n: int) -> ZoneGrid:
    """n x n points k = (i + 1/2)/n b1 + (j + 1/2)/n b2, folded into the hexagon.

    The shift by half a step keeps Gamma and K+- off the grid (even n) and makes the grid
    symmetric under k -> -k (so the K+ and K- regions have equal weight).

    Parameters
    ----------
    n : int, >= 2

    Returns
    -------
    ZoneGrid of (n*n,) arrays, 1/a
    """
    if n < 2:
        raise ValueError(f"zone grid size n must be >= 2, got {n}")
    u = (np.arange(n) + 0.5) / n - 0.5
    a, b = np.meshgrid(u, u, indexing="ij")
    k = a.ravel()[:, None] * RECIPROCAL[0] + b.ravel()[:, None] * RECIPROCAL[1]
    k = fold_to_hexagon(k[:, 0], k[:, 1])
    return ZoneGrid(k[0], k[1])


def fold_to_hexagon(kx: ArrayLike, ky: ArrayLike) -> tuple[NDArray, NDArray]:
    """Map momenta into the first (hexagonal) Brillouin zone by reciprocal translations.

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components, same size; the result has the shape of ``kx``.

    Returns
    -------
    (kx, ky) : tuple of (...) float arrays, 1/a
    """
    k = np.stack([np.asarray(kx, float).ravel(), np.asarray(ky, float).ravel()], axis=-1)
    shifts = np.array(
        [i * RECIPROCAL[0] + j * RECIPROCAL[1] for i in (-1, 0, 1) for j in (-1, 0, 1)]
    )
    for _ in range(3):
        cand = k[:, None, :] - shifts[None, :, :]
        best = np.argmin((cand**2).sum(-1), axis=1)
        k = cand[np.arange(k.shape[0]), best]
    shape = np.shape(kx)
    return k[:, 0].reshape(shape), k[:, 1].reshape(shape)


def in_hexagon(kx: ArrayLike, ky: ArrayLike) -> NDArray[np.bool_]:
    """True inside the first Brillouin zone (corner distance |K+|).

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components (broadcast together).

    Returns
    -------
    (...) bool
    """
    kx, ky = np.asarray(kx, float), np.asarray(ky, float)
    r = np.linalg.norm(RECIPROCAL[0]) / 2  # Gamma-M distance
    out = np.ones(np.broadcast(kx, ky).shape, dtype=bool)
    for ang in np.deg2rad([30.0, 90.0, 150.0]):
        out &= np.abs(kx * np.cos(ang) + ky * np.sin(ang)) <= r * (1 + 1e-12)
    return out


def drive_pattern(kx: ArrayLike, ky: ArrayLike, t: float, delta: float) -> NDArray[np.bool_]:
    """Valley-selective sigma_+ drive: True where eta(k) > 0 (k in "K+"), paper 003 p. 2.

    The region is the true sign region of eta on the hexagonal zone (not a disc around
    K+); by time reversal it is exactly the image of the eta < 0 region under k -> -k.

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components (broadcast together).
    t, delta : float, energy unit
        Hopping and staggered potential.

    Returns
    -------
    (...) bool
    """
    return circular_dichroism(kx, ky, t, delta) > 0
