"""Quadrature, table look-up and argument checks shared by the conductivity modules.

No physics here: the numerical pieces that :mod:`photosc.cores.optics.mattis_bardeen_forms`,
:mod:`photosc.cores.optics.mattis_bardeen_fft` and :mod:`photosc.cores.optics.nam` have
in common.

* Gauss-Legendre nodes on [0, 1] (:func:`_gauss`) and panel edges at the images of the
  ``breakpoints`` (steps or kinks of n(E)) in a mapped variable (:func:`_panel_edges`,
  :func:`_theta_break` for the cosine map E = a + L (1 - cos theta)/2, which removes
  inverse square-root singularities at both ends of [a, a + L]).
* O(1) interval look-up in increasing tables (:func:`_bucket_index`,
  :func:`_table_intervals`): the compiled loop of the Nam table path interpolates the
  gap, renormalisation and occupation tables with it.
* Checks of the common arguments (photon energies, positive scalars, node counts,
  breakpoints), with the units in the error messages: energies in meV.
"""

from __future__ import annotations

import functools
import math

import numba as nb
import numpy as np
from numpy.typing import ArrayLike, NDArray


# --------------------------------------------------------------------------------------
# Gauss-Legendre panels
@functools.lru_cache(maxsize=32)
def _gauss(n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes and weights on [0, 1] (cached; treat as read-only).

    Parameters
    ----------
    n : int
        Number of nodes.

    Returns
    -------
    x01, w01 : (n,) float
        Nodes in (0, 1) and weights (summing to 1).
    """
    x, w = np.polynomial.legendre.leggauss(n)
    x01, w01 = 0.5 * (x + 1.0), 0.5 * w
    x01.flags.writeable = False
    w01.flags.writeable = False
    return x01, w01


@nb.njit(cache=True, fastmath=False)
def _panel_edges(u_max, breaks, out):  # pragma: no cover - compiled
    """Sorted panel edges [0, clip(breaks), u_max] of an integral over [0, u_max].

    Parameters
    ----------
    u_max : float
        Upper end of the (mapped) integration variable (units of the variable).
    breaks : (k,) float
        Images of the breakpoints in that variable; NaN (no image) and values outside
        [0, u_max] give empty panels (NaN -> 0, others clipped).
    out : (>= k + 2,) float
        Receives the k + 2 sorted edges.
    """
    k = breaks.size
    out[0] = 0.0
    for j in range(k):
        b = breaks[j]
        if not np.isfinite(b):
            b = 0.0
        out[j + 1] = min(max(b, 0.0), u_max)
    out[k + 1] = u_max
    out[: k + 2].sort()


@nb.njit(cache=True, fastmath=False)
def _theta_break(y, length):  # pragma: no cover - compiled
    """theta in [0, pi] with y = L (1 - cos theta)/2 (the cosine map), NaN outside [0, L].

    Parameters
    ----------
    y : float, meV
        Distance of the breakpoint's image from the start of the interval.
    length : float, meV
        Length L of the interval.
    """
    r = 1.0 - 2.0 * y / length
    if abs(r) <= 1.0:
        return np.arccos(r)
    return np.nan


# --------------------------------------------------------------------------------------
# table look-up
def _bucket_index(energy: NDArray[np.float64]) -> tuple[NDArray[np.intp], float, int, float]:
    """Bucket index of an increasing table for O(1) look-ups in compiled loops.

    Parameters
    ----------
    energy : (n_e,) float, meV
        Strictly increasing table energies.

    Returns
    -------
    guide : (m + 1,) int
        The table range is cut into m equal buckets of width 1/inv (m <= 16 n_e, about
        the smallest table step); ``guide[k]`` is the last table index at or below the
        start of bucket k, clipped to [0, n_e - 2].
    inv : float, 1/meV
        Buckets per meV.
    n_uniform : int
        Length (>= 2) of the table's uniform prefix: steps equal to the first one to a
        relative 1e-12 (the kinetic grid; an Eliashberg grid below its geometric tail).
        There the interval index is ``int((x - energy[0]) * inv_step)`` up to one step
        of rounding, corrected by comparison with the table, so the index found is the
        same as a search's.
    inv_step : float, 1/meV
        1 / (first step).
    """
    e = energy
    span = float(e[-1] - e[0])
    step = np.diff(e)
    m = int(min(span / float(np.min(step)), 16 * e.size)) + 1
    starts = e[0] + np.arange(m + 1) * (span / m)
    guide = np.clip(np.searchsorted(e, starts, side="right") - 1, 0, e.size - 2)
    off = np.abs(step - step[0]) > 1e-12 * step[0]
    n_uniform = int(np.argmax(off)) + 1 if off.any() else e.size
    return np.ascontiguousarray(guide, dtype=np.intp), m / span, n_uniform, 1.0 / float(step[0])


_CONSTANT_GRID = np.array([0.0, 1.0])  # table of a constant function (bcs_gap_function)
_CONSTANT_GRID.flags.writeable = False
_CONSTANT_INDEX = _bucket_index(_CONSTANT_GRID)


@nb.njit(cache=True, fastmath=False)
def _table_intervals(eps, energy, guide, inv, n_uniform, inv_step, out):  # pragma: no cover
    """Intervals of |eps| in an increasing table, for a whole array of energies.

    ``out[i]`` = -1 below ``energy[0]``, n_e - 1 at or beyond ``energy[-1]``, else the j
    with ``energy[j] <= |eps[i]| < energy[j + 1]`` (``np.searchsorted(energy, x,
    side="right") - 1``), from the index of :func:`_bucket_index`: directly on the
    uniform prefix, else from the bucket guide and a short search; the final
    comparisons with the table make it exact. One call per array (a panel's Gauss
    nodes), not per energy: a compiled call taking arrays costs reference counting.

    Parameters
    ----------
    eps : (n,) float, meV
        Energies (their absolute values are looked up).
    energy : (n_e,) float, meV
        The increasing table.
    guide, inv, n_uniform, inv_step
        Its bucket index (:func:`_bucket_index`; inv and inv_step in 1/meV).
    out : (n,) int
        Receives the intervals.
    """
    n = energy.size
    for i in range(eps.size):
        x = abs(eps[i])
        if x < energy[0]:
            out[i] = -1
            continue
        if x >= energy[n - 1]:
            out[i] = n - 1
            continue
        if x < energy[n_uniform - 1]:  # uniform prefix: the index directly
            j, hi = min(int((x - energy[0]) * inv_step), n_uniform - 2), 0
        else:
            k = min(max(int((x - energy[0]) * inv), 0), guide.size - 2)
            j, hi = guide[k], guide[k + 1] + 1
        while hi - j > 8:
            mid = (j + hi) >> 1
            if energy[mid] <= x:
                j = mid
            else:
                hi = mid
        while j > 0 and energy[j] > x:
            j -= 1
        while j < n - 2 and energy[j + 1] <= x:
            j += 1
        out[i] = j


@nb.njit(cache=True, fastmath=False)
def _interval(x, energy, guide, inv, n_uniform, inv_step):  # pragma: no cover - compiled
    """:func:`_table_intervals` at one energy energy[0] <= x < energy[-1] (meV), for tests:
    the j with ``energy[j] <= x < energy[j + 1]``."""
    out = np.empty(1, dtype=np.intp)
    _table_intervals(np.array([x]), energy, guide, inv, n_uniform, inv_step, out)
    return out[0]


# --------------------------------------------------------------------------------------
# argument checks
def _check_omega(omega: ArrayLike) -> NDArray[np.float64]:
    """Photon energies hbar*omega (meV) as a 1-D float array; finite and > 0."""
    w = np.atleast_1d(np.asarray(omega, dtype=float))
    if w.ndim != 1:
        raise ValueError(f"omega must be a scalar or 1-D array (meV), got shape {w.shape}")
    if not (np.all(np.isfinite(w)) and np.all(w > 0)):
        raise ValueError(f"omega (photon energies, meV) must be finite and > 0, got {w}")
    return w


def _check_positive(value: float, name: str, unit: str = "meV") -> float:
    """``value`` as a finite float > 0 (``unit`` for the message)."""
    v = float(value)
    if not (v > 0 and math.isfinite(v)):
        raise ValueError(f"{name} must be a finite number > 0 {unit}, got {value!r}")
    return v


def _check_n(n: int, name: str = "n_quad", minimum: int = 8) -> int:
    """A node (or cell) count: an integer >= ``minimum``."""
    if int(n) != n or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n!r}")
    return int(n)


def _check_breakpoints(breakpoints: ArrayLike) -> NDArray[np.float64]:
    """Breakpoints (meV): finite, >= 0; returned sorted and unique."""
    b = np.atleast_1d(np.asarray(breakpoints, dtype=float))
    if b.ndim != 1 or not np.all(np.isfinite(b)) or np.any(b < 0):
        raise ValueError(f"breakpoints must be finite energies >= 0 meV, got {breakpoints!r}")
    return np.unique(b)
