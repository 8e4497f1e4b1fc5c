"""Gap updates for the adiabatic self-consistency of the kinetics.

The kinetic solver calls a *gap update* whenever f or n changed beyond a tolerance:
``update(grid, f, n_list, previous) -> Coherence``, with ``f`` (n_qp,), ``n_list`` the
occupations of the dynamic baths, and ``previous`` the last :class:`Coherence` (a warm
start). Any callable with this signature plugs in: a fixed gap, the BCS gap equation
with the non-thermal f (:class:`BCSGap`, via :func:`photosc.cores.bcs.solve_gap`), or a
real-axis Eliashberg solve with f and n that returns
:func:`~photosc.cores.kinetics.coherence.coherence_from_gap_function` (paper 001 SI
Eqs. 6-9).

f lives on a fixed energy grid (paper 001 SI Eq. 4 is written for f(E)); bins inside the
current gap hold no states. When the gap shrinks, bins that re-enter the continuum take
the occupation of the lowest occupied bin (:func:`fill_gap`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from photosc.cores.kinetics.coherence import (
    Coherence,
    GapTable,
    bcs_coherence,
    spectral_bound,
)
from photosc.cores.kinetics.grid import KineticGrid


def fill_gap(f: NDArray[np.float64], old: Coherence, new: Coherence) -> NDArray[np.float64]:
    """f after the gap shrank: bins that re-enter the continuum (rho = 0 in ``old``,
    rho > 0 in ``new``) take the occupation of the lowest bin that had states in ``old``.

    Parameters
    ----------
    f : (n_qp,) float
        Distribution.
    old, new : Coherence
        Before and after the gap update.
    """
    f = np.asarray(f, dtype=float)
    out = f.copy()
    had = np.nonzero(np.asarray(old.rho) > 0)[0]
    if had.size == 0:
        return out
    first = had[0]
    back = (np.arange(f.size) < first) & (np.asarray(new.rho) > 0)
    out[back] = f[first]
    return out


@dataclass(frozen=True)
class FixedGap:
    """A gap that does not respond to f: BCS coherence at ``delta`` (meV)."""

    delta: float

    def __call__(
        self,
        grid: KineticGrid,
        f: NDArray[np.float64],
        n_list: Sequence[NDArray[np.float64]],
        previous: Coherence | None,
    ) -> Coherence:
        return bcs_coherence(grid, self.delta)


@dataclass(frozen=True)
class BCSGap:
    """BCS gap equation with the current non-thermal f (paper 004 Eq. 1).

    1 = coupling int_0^cutoff dxi (1 - 2 f(E)) / E, f linearly interpolated between bin
    centres (:func:`photosc.cores.bcs.solve_gap`, warm-started at the previous gap).
    Bins inside the gap keep the value they had when they left the continuum (the
    solver does not change them), so the interpolation across the edge bin is continuous
    in time. Below the first bin centre f is extrapolated linearly (for a thermal f this
    gives f(0) = 1/2 + O(h^3), so no spurious gap appears above T_c).

    Attributes
    ----------
    coupling : float
        nu(0) U (dimensionless).
    cutoff : float, meV
        Pairing cutoff omega_D (must lie inside the quasi-particle grid).
    tol : float
        Relative tolerance of the root finder.
    """

    coupling: float
    cutoff: float
    tol: float = 1e-10

    def solve(self, grid: KineticGrid, f: NDArray[np.float64], guess: float | None) -> float:
        """The gap (meV) for the distribution f on ``grid``.

        Parameters
        ----------
        grid : KineticGrid
            The kinetic grid (must extend beyond ``cutoff``).
        f : (n_qp,) float, dimensionless
            Quasi-particle distribution on the bin centres.
        guess : float or None, meV
            Warm start of the root finder (None: no guess).

        Returns
        -------
        float, meV
        """
        from photosc.cores import bcs

        if not self.cutoff < grid.n_qp * grid.step:
            raise ValueError(
                f"BCS cutoff {self.cutoff} meV must lie inside the grid "
                f"(e_max = {grid.n_qp * grid.step} meV)"
            )
        e = grid.energy
        ff = np.asarray(f, dtype=float)

        slope0 = (ff[1] - ff[0]) / (e[1] - e[0])

        def occupation(x: NDArray[np.float64], d: float) -> NDArray[np.float64]:
            # below the first bin centre: linear extrapolation (np.interp would hold f[0],
            # a step at E -> 0 whose log-divergent weight fakes a tiny gap above T_c)
            lin = np.clip(ff[0] + (x - e[0]) * slope0, 0.0, 1.0)
            return np.where(x < e[0], lin, np.interp(x, e, ff))

        sol = bcs.solve_gap(self.coupling, self.cutoff, occupation, delta_guess=guess, tol=self.tol)
        return float(sol.delta)

    def pairing_eigenvalue(
        self,
        grid: KineticGrid,
        f: NDArray[np.float64],
        n_list: Sequence[NDArray[np.float64]],
        coherence: Coherence | None = None,
    ) -> float:
        """Leading eigenvalue of the linearised BCS gap equation with the current f.

        lambda_max = coupling int_0^cutoff dxi (1 - 2 f(xi)) / xi (normal state, E = xi;
        paper 004 Eq. 1 at Delta -> 0): > 1, the normal state with this f is
        Cooper-unstable; 1 at T_c for a thermal f. f is linear between bin centres
        (exact log integrals per segment) and, below the first centre e_0, linear from
        1/2 at xi = 0 (particle-hole symmetry of a normal state) to f(e_0), which adds
        1 - 2 f(e_0).

        Parameters
        ----------
        grid : KineticGrid
            The kinetic grid (must extend beyond ``cutoff``).
        f : (n_qp,) float, dimensionless
            Quasi-particle distribution on the bin centres.
        n_list : sequence of (n_boson,) float, dimensionless
            Occupations of the dynamic baths; not used by the BCS equation (the signature
            the kinetic solver calls).
        coherence : Coherence, optional
            Current coherence arrays; not used here.

        Returns
        -------
        float, dimensionless
        """
        if not self.cutoff < grid.n_qp * grid.step:
            raise ValueError(
                f"BCS cutoff {self.cutoff} meV must lie inside the grid "
                f"(e_max = {grid.n_qp * grid.step} meV)"
            )
        e = grid.energy
        ff = np.asarray(f, dtype=float)
        m = int(np.searchsorted(e, self.cutoff))  # e[m-1] < cutoff <= e[m]
        a, b = e[: m - 1], e[1:m]
        fa, fb = ff[: m - 1], ff[1:m]
        slope = (fb - fa) / (b - a)
        total = 1.0 - 2.0 * ff[0]
        total += float(np.sum((1 - 2 * fa + 2 * slope * a) * np.log(b / a) - 2 * slope * (b - a)))
        # last partial segment [e[m-1], cutoff]
        a1, f1 = e[m - 1], ff[m - 1]
        s1 = (ff[m] - f1) / (e[m] - a1) if m < e.size else 0.0
        total += (1 - 2 * f1 + 2 * s1 * a1) * math.log(self.cutoff / a1) - 2 * s1 * (
            self.cutoff - a1
        )
        return self.coupling * total

    def __call__(
        self,
        grid: KineticGrid,
        f: NDArray[np.float64],
        n_list: Sequence[NDArray[np.float64]],
        previous: Coherence | None,
    ) -> Coherence:
        guess = previous.delta0 if previous is not None and previous.delta0 > 0 else None
        return bcs_coherence(grid, self.solve(grid, f, guess))


def solution_coherence(grid: KineticGrid, res, table: GapTable | None = None) -> Coherence:
    """The kinetic :class:`Coherence` of a real-axis Eliashberg solution.

    The solver's cell-averaged N(E) (``res.dos``) and P(E) (``res.pair_density``) on
    the shared bins, N = 1 and P = 0 beyond the solver grid, and |P| <= N
    (:func:`~photosc.cores.kinetics.coherence.spectral_bound`: the broadened edge of the
    solver's densities leaves |P| > N inside the gap, which would make coherence
    factors negative and the collision integrals create energy).

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid (same step as the solver).
    res : photosc.cores.eliashberg.EliashbergResult
        The solution (``dos``, ``pair_density``, ``delta0``).
    table : GapTable, optional
        Recorded with the coherence.

    Raises
    ------
    ValueError
        If the DOS is negative beyond round-off (-1e-9).
    """
    rho = np.ones(grid.n_qp)
    p = np.zeros(grid.n_qp)
    m = min(grid.n_qp, len(res.dos))
    dos = np.asarray(res.dos[:m], dtype=float)
    if np.any(dos < -1e-9):
        raise ValueError(
            f"Eliashberg density of states is negative (min {dos.min():.3e}) at "
            f"E = {float(grid.energy[int(np.argmin(dos))]):.4g} meV"
        )
    rho[:m] = np.maximum(dos, 0.0)  # round-off only
    p[:m] = spectral_bound(rho[:m], np.where(rho[:m] > 0, res.pair_density[:m], 0.0))
    return Coherence(rho, p, float(res.delta0), table)


class EliashbergGap:
    """Real-axis Migdal-Eliashberg gap with the current f and n (paper 001 SI Eqs. 6-9).

    Wraps a :class:`photosc.cores.eliashberg.EliashbergSolver` built on the *same step*
    as the kinetic grid (its electron energies (j + 1/2) h and phonon energies m h are
    then the kinetic bins), solves with the kinetic f and the phonon occupation of one
    dynamic bath (warm-started at the previous solution), and returns the cell-averaged
    strong-coupling N(E) and P(E) (with |P| <= N, :func:`.coherence.spectral_bound`) as
    :class:`Coherence`, with the complex Delta(E) and
    Z(E) of that solution on the solver grid as its ``gap_table``
    (:class:`~photosc.cores.kinetics.coherence.GapTable`; copies, so that a recorded
    trajectory keeps every state's gap function for the Nam/Kubo optics).

    Parameters
    ----------
    solver : EliashbergSolver
        Set-up solver; ``solver.step`` must equal the kinetic grid step.
    bath_index : int or None
        Which dynamic bath (position in the solver's ``n_list``) supplies n(Omega);
        None: phonons at ``kT_phonon``.
    kT_phonon : float, meV, optional
        Temperature for phonon energies beyond the bath's grid (and for ``bath_index``
        None). Required.
    tol : float
        Convergence of the Eliashberg iteration.

    Notes
    -----
    Beyond the kinetic grid the electron distribution is taken as 0 (the grid must
    cover every populated energy); beyond the solver grid, N = 1 and P = 0.
    """

    def __init__(
        self, solver, kT_phonon: float, bath_index: int | None = 0, tol: float = 1e-6
    ) -> None:
        if not (np.isfinite(kT_phonon) and kT_phonon > 0):
            raise ValueError(f"kT_phonon must be > 0 meV, got {kT_phonon}")
        self.solver = solver
        self.kT_phonon = float(kT_phonon)
        self.bath_index = bath_index
        self.tol = float(tol)
        self.last = None
        self.solves = 0
        self._energy: NDArray[np.float64] | None = None
        self._eigen = None  # last PairingEigen, the warm start of the next

    def pairing_eigenvalue(
        self,
        grid: KineticGrid,
        f: NDArray[np.float64],
        n_list: Sequence[NDArray[np.float64]],
        coherence: Coherence | None = None,
    ) -> float:
        """Leading eigenvalue lambda_max of the linearised real-axis gap equation with the
        current non-thermal f and n, in both Z_N and the pairing kernel (issue 12;
        :meth:`photosc.cores.eliashberg.EliashbergSolver.pairing_eigenvalue`, warm-started
        at the previous eigenvector). > 1: the normal state is Cooper-unstable at that
        moment; 1 at T_c for thermal f and n. Dimensionless.

        Parameters
        ----------
        grid : KineticGrid
            The kinetic grid (same step as the solver).
        f : (n_qp,) float, dimensionless
            Quasi-particle distribution on the bin centres (0 beyond the grid).
        n_list : sequence of (n_boson,) float, dimensionless
            Occupations of the dynamic baths; entry ``bath_index`` supplies n(Omega).
        coherence : Coherence, optional
            Current coherence arrays; not used here (the signature the kinetic solver
            calls).

        Returns
        -------
        float, dimensionless
        """
        fe, nph = self._inputs(grid, f, n_list)
        self._eigen = self.solver.pairing_eigenvalue(f=fe, n=nph, v0=self._eigen)
        return float(self._eigen.value)

    def _inputs(self, grid: KineticGrid, f, n_list):
        from photosc.foundation.distributions import bose

        s = self.solver
        if abs(s.step - grid.step) > 1e-12 * grid.step:
            raise ValueError(
                f"Eliashberg solver step {s.step} meV must equal the kinetic grid step "
                f"{grid.step} meV"
            )
        fe = np.zeros(s.n)
        m = min(s.n, grid.n_qp)
        fe[:m] = np.asarray(f, dtype=float)[:m]
        nph = np.zeros(s.phonon_omega.size)
        nph[1:] = bose(s.phonon_omega[1:], self.kT_phonon)
        if self.bath_index is not None:
            nb = np.asarray(n_list[self.bath_index], dtype=float)
            k = min(nb.size, nph.size)
            nph[1:k] = nb[1:k]
        return fe, nph

    def __call__(
        self,
        grid: KineticGrid,
        f: NDArray[np.float64],
        n_list: Sequence[NDArray[np.float64]],
        previous: Coherence | None,
    ) -> Coherence:
        fe, nph = self._inputs(grid, f, n_list)
        # warm start from the previous superconducting solution, gapped or gapless (a
        # damped state with Delta_0 = 0 but finite |Delta| is superconducting,
        # is_superconducting); from a normal one (or at a new start) use the solver's
        # finite guess: Delta = 0 solves the equations identically, and an iteration
        # started there could never find the Cooper instability of a non-thermal state
        # (the photo-induced gap above T_c).
        from photosc.cores.eliashberg import is_superconducting

        ok = (
            previous is not None
            and self.last is not None
            and is_superconducting(self.last) != "normal"
        )
        warm = self.last if ok else None
        res = self.solver.solve(f=fe, n=nph, warm_start=warm, tol=self.tol)
        self.last = res
        self.solves += 1
        if self._energy is None:
            self._energy = np.array(self.solver.omega, dtype=float)
        table = GapTable(
            self._energy,
            np.array(res.delta, dtype=complex),
            np.array(res.z, dtype=complex),
        )
        return solution_coherence(grid, res, table)
