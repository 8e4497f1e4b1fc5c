"""Quasi-particle occupations n(E) for the conductivity forms: thermal and tabulated.

``occupation(E) -> n`` is the occupation of one Bogoliubov quasi-particle state of
energy E >= 0 (meV), the same for both branches and spins (no charge imbalance), as in
:mod:`photosc.cores.bcs`. The Mattis-Bardeen forms
(:mod:`photosc.cores.optics.mattis_bardeen_forms`) use n(E) directly; the Nam form
(:mod:`photosc.cores.optics.nam`) uses the electron distribution function of the
Keldysh formalism, h(eps) = 1 - 2 f_el(eps) = sign(eps) [1 - 2 n(|eps|)].

Any callable of that signature is accepted. The two built here,
:func:`thermal_occupation` (Fermi function) and :func:`tabulated_occupation` (linear
interpolation of a table, e.g. the kinetics core's f(E, t)), carry their parameters
(k_B T; the table and its bucket index) as attributes, so that the compiled loops of
the conductivity modules evaluate them without calling back into Python. Many states
tabulated on one grid (every time step of a kinetic run) are interpolated row-wise by
:class:`_RowTable` (NumPy) and :func:`_table_value` (compiled), with the same
arithmetic.

Every integral over n(E) is truncated at an upper energy ``energy_max``; the occupation
there must be below :data:`TAIL_OCCUPATION` (:func:`_check_tail`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numba as nb
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from photosc.cores.optics.quadrature import _bucket_index

__all__ = ["TAIL_OCCUPATION", "Occupation", "tabulated_occupation", "thermal_occupation"]

#: ``occupation(E) -> n``: quasi-particle occupation for energies E >= 0 (meV), any shape.
Occupation = Callable[[NDArray[np.float64]], NDArray[np.float64]]

#: Largest occupation allowed at the integration cutoff (the neglected tail).
TAIL_OCCUPATION = 1e-9


def thermal_occupation(kT: float) -> Occupation:
    """Fermi occupation n(E) = 1 / (exp(E / kT) + 1) as an ``occupation`` callable.

    Parameters
    ----------
    kT : float, meV
        k_B T >= 0 (0: n = 0 for E > 0).
    """
    t = float(kT)
    if not (t >= 0 and math.isfinite(t)):
        raise ValueError(f"kT must be a finite number >= 0 meV, got {kT!r}")
    return _ThermalOccupation(t)


class _ThermalOccupation:
    """Fermi occupation at k_B T = ``kT`` (meV); the attribute lets compiled loops use it."""

    __slots__ = ("kT",)

    def __init__(self, kT: float) -> None:
        self.kT = kT

    def __call__(self, energy: NDArray[np.float64]) -> NDArray[np.float64]:
        e = np.asarray(energy, dtype=float)
        if self.kT == 0.0:
            return np.where(e > 0, 0.0, np.where(e < 0, 1.0, 0.5))
        return expit(-e / self.kT)


def tabulated_occupation(
    energy: ArrayLike, occupation: ArrayLike, *, above: float = 0.0
) -> Occupation:
    """Occupation n(E) interpolated linearly from a table (e.g. the kinetics core's f(E, t)).

    Below the first tabulated energy the first value is used (in-gap states carry no
    spectral weight in the BCS limit and little with a complex Eliashberg gap); above
    the last one ``above`` is used (default 0: an empty band beyond the table). Both are
    explicit choices, documented here, not a silent clip.

    Parameters
    ----------
    energy : (n_e,) float, meV
        Strictly increasing energies >= 0.
    occupation : (n_e,) float
        Occupations in [0, 1].
    above : float
        Occupation above ``energy[-1]``, in [0, 1].
    """
    e = np.asarray(energy, dtype=float)
    n = np.asarray(occupation, dtype=float)
    if e.ndim != 1 or e.shape != n.shape or e.size < 2:
        raise ValueError(
            f"energy and occupation must be 1-D of equal length >= 2, got shapes "
            f"{e.shape} and {n.shape}"
        )
    if not (np.all(np.isfinite(e)) and np.all(np.diff(e) > 0) and e[0] >= 0):
        raise ValueError("energy must be finite, >= 0 and strictly increasing (meV)")
    if not (np.all(np.isfinite(n)) and n.min() >= 0 and n.max() <= 1):
        raise ValueError(f"occupation must lie in [0, 1], got min {n.min()!r}, max {n.max()!r}")
    if not 0 <= above <= 1:
        raise ValueError(f"above must lie in [0, 1], got {above!r}")

    return _TabulatedOccupation(e, n, float(above))


class _TabulatedOccupation:
    """``np.interp`` of a table (left: first value, right: ``above``), with the table
    and a bucket index (:func:`~photosc.cores.optics.quadrature._bucket_index`) for
    compiled loops."""

    __slots__ = ("above", "energy", "index", "slopes", "values")

    def __init__(self, energy: NDArray[np.float64], values: NDArray[np.float64], above: float):
        self.energy = np.ascontiguousarray(energy)
        self.values = np.ascontiguousarray(values)
        self.above = above
        self.index = _bucket_index(self.energy)
        self.slopes = np.diff(self.values) / np.diff(self.energy)  # np.interp's slopes

    def __call__(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        n = self.values
        return np.interp(np.asarray(x, dtype=float), self.energy, n, left=n[0], right=self.above)


def _call_occupation(occupation: Occupation, energy: NDArray[np.float64]) -> NDArray:
    """``occupation(energy)`` as a float array of ``energy``'s shape, checked finite.

    Parameters
    ----------
    occupation : callable
        ``occupation(E) -> n``, meV -> dimensionless.
    energy : ndarray, meV
        Energies E >= 0.
    """
    n = np.asarray(occupation(energy), dtype=float)
    if n.shape != energy.shape:
        raise ValueError(f"occupation returned shape {n.shape}, expected {energy.shape}")
    if not np.all(np.isfinite(n)):
        raise ValueError("occupation returned non-finite values")
    return n


def _check_tail(occupation: Occupation, energy_max: float) -> None:
    """ValueError unless n(``energy_max``) <= :data:`TAIL_OCCUPATION` (energy_max in meV)."""
    n_end = float(_call_occupation(occupation, np.array([energy_max]))[0])
    if n_end > TAIL_OCCUPATION:
        raise ValueError(
            f"energy_max={energy_max} meV is too low: the occupation there is {n_end:.3g} "
            f"(> {TAIL_OCCUPATION:g}); the integrals would be truncated. Raise energy_max."
        )


class _RowTable:
    """Row-wise linear interpolation of occupations (n_t, n_e) at energies (n_t, ...).

    Parameters
    ----------
    energy : (n_e,) float, meV
        Increasing table energies, common to all rows.
    table : (n_t, n_e) float
        Occupations n_k(E) of state k.
    above : float
        Occupation beyond ``energy[-1]`` (below ``energy[0]``: the first value).

    Attributes
    ----------
    step : float or None, meV
        The step of a uniform ``energy`` (index arithmetic), None otherwise (search).
    """

    def __init__(self, energy: NDArray[np.float64], table: NDArray[np.float64], above: float):
        self.energy = energy
        self.table = np.ascontiguousarray(table)
        self.above = above
        step = np.diff(energy)
        self.step = float(step[0]) if np.allclose(step, step[0], rtol=1e-12, atol=0) else None

    def __call__(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        e, tab = self.energy, self.table
        flat = x.reshape(x.shape[0], -1)
        if self.step is not None:  # uniform grid (the kinetic grid): index arithmetic
            i0 = np.clip(((flat - e[0]) / self.step).astype(np.intp), 0, e.size - 2)
        else:
            i0 = np.clip(np.searchsorted(e, flat, side="right") - 1, 0, e.size - 2)
        frac = np.clip((flat - e[i0]) / (e[i0 + 1] - e[i0]), 0.0, 1.0)
        idx = i0 + (np.arange(flat.shape[0]) * e.size)[:, None]
        lo = tab.ravel()[idx]
        hi = tab.ravel()[idx + 1]
        out = lo + frac * (hi - lo)  # below the table: first value (frac = 0 at i0 = 0)
        out = np.where(flat > e[-1], self.above, out)
        return out.reshape(x.shape)


@nb.njit(cache=True, fastmath=False)
def _table_value(x, row, energy, table, step, above):  # pragma: no cover - compiled
    """Linear interpolation of ``table[row]`` at x (:class:`_RowTable` semantics).

    Parameters
    ----------
    x : float, meV
        Energy.
    row : int
        State (row of ``table``).
    energy : (n_e,) float, meV
        Table energies.
    table : (n_t, n_e) float
        Occupations.
    step : float, meV
        Step of a uniform ``energy`` (index arithmetic), 0 otherwise (search).
    above : float
        Occupation beyond ``energy[-1]``.
    """
    n_e = energy.size
    if x > energy[n_e - 1]:
        return above
    if step > 0.0:
        i0 = int((x - energy[0]) / step)  # truncation toward 0, as astype(intp)
    else:
        i0 = np.searchsorted(energy, x, side="right") - 1
    i0 = min(max(i0, 0), n_e - 2)
    frac = (x - energy[i0]) / (energy[i0 + 1] - energy[i0])
    frac = min(max(frac, 0.0), 1.0)
    lo = table[row, i0]
    return lo + frac * (table[row, i0 + 1] - lo)
