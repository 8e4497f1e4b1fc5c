"""The universal reduced BCS gap table and its inversion (the gap equation, paper 000 Eq. 4).

Gap inversion
-------------
The landscape (:mod:`.landscape`) needs Delta for many couplings at one temperature.
With t = kT/omega and delta = Delta/omega the gap equation reads 1/c = h(delta, t) with
the universal function h(delta, t) = int_0^1 dx tanh(E/2t)/E, E = sqrt(x^2 + delta^2)
(h(delta, 0) = asinh(1/delta)). :func:`reduced_gap_table` tabulates h once (log-spaced
delta and t) and :func:`gap_from_table` inverts it by interpolation; the tests compare it
with :func:`photosc.cores.bcs.solve_gap`. Energies in meV, couplings nu(0) U
dimensionless.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import ArrayLike, NDArray


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
