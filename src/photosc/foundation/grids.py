"""Energy and frequency grids.

Uniform grids serve FFT convolutions; the quasi-particle grid maps E = Delta
cosh(u) so that integrals with the BCS density of states E / sqrt(E^2 -
Delta^2) have a smooth integrand (dE E / sqrt(E^2 - Delta^2) = Delta cosh(u) du).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray


class Grid(NamedTuple):
    """Points and quadrature weights: sum(weights * f(points)) ~ integral."""

    points: NDArray[np.float64]
    weights: NDArray[np.float64]


def uniform(start: float, stop: float, n: int) -> Grid:
    """Uniform grid with trapezoid weights.

    Parameters
    ----------
    start, stop : float, meV
        End points (included).
    n : int
        Number of points, >= 2.
    """
    if n < 2:
        raise ValueError(f"a grid needs at least 2 points, got n={n}")
    if not stop > start:
        raise ValueError(f"grid end {stop} must exceed its start {start}")
    x = np.linspace(start, stop, n)
    w = np.full(n, x[1] - x[0])
    w[0] *= 0.5
    w[-1] *= 0.5
    return Grid(x, w)


def quasiparticle(delta: float, emax: float, n: int) -> Grid:
    """Grid on [Delta, emax] that absorbs the BCS edge singularity.

    E = Delta cosh(u), u uniform on [0, arccosh(emax / Delta)], so that
    ``sum(weights * g(E))`` approximates int_Delta^emax dE g(E) and
    ``weights * E / sqrt(E^2 - Delta^2)`` stays finite at the edge.
    For Delta = 0 the grid is uniform on [0, emax].

    Parameters
    ----------
    delta : float, meV
        Gap, >= 0.
    emax : float, meV
        Upper end, > delta.
    n : int
        Number of points, >= 2.
    """
    if delta < 0:
        raise ValueError(f"gap must be >= 0, got {delta}")
    if delta == 0:
        return uniform(0.0, emax, n)
    if emax <= delta:
        raise ValueError(f"upper end {emax} must exceed the gap {delta}")
    u = uniform(0.0, float(np.arccosh(emax / delta)), n)
    e = delta * np.cosh(u.points)
    return Grid(e, u.weights * delta * np.sinh(u.points))


def quasiparticle_dos(delta: float, emax: float, n: int) -> Grid:
    """Quasi-particle grid whose weights include the BCS density of states.

    ``sum(weights * g(E))`` approximates int_Delta^emax dE E/sqrt(E^2 - Delta^2) g(E);
    with E = Delta cosh(u) the weights are Delta cosh(u) du, finite at the edge.

    Parameters
    ----------
    delta : float, meV
        Gap, > 0.
    emax : float, meV
        Upper end, > delta.
    n : int
        Number of points, >= 2.
    """
    if delta <= 0:
        raise ValueError(f"gap must be > 0 for the BCS density of states, got {delta}")
    g = quasiparticle(delta, emax, n)
    u = np.arccosh(np.maximum(g.points / delta, 1.0))
    du = uniform(0.0, float(u[-1]), n).weights
    return Grid(g.points, du * g.points)
