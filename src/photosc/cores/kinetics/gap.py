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

#: Default ``stability_margin`` of :class:`EliashbergGap` (issue 16): a seeded solve from a
#: normal state runs only once lambda_max >= 1 - this; 1000 x the residual 1e-6 of the
#: eigenpair behind the decision (``stability_tol``).
STABILITY_MARGIN = 1e-3
#: Safety factor on the sensitivity bound of lambda_max (:class:`EliashbergGap`).
BOUND_SAFETY = 4.0
#: Default of :class:`EliashbergGap`'s ``extrapolate`` (the secant warm start, issue 16);
#: False restores the warm start at the last solution of the releases before.
EXTRAPOLATE = True
#: Default of :class:`EliashbergGap`'s ``keep_history`` (issue 16): the solves of one
#: trajectory continue one Anderson history; False restores a fresh one per solve.
KEEP_HISTORY = True


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


class DeferredNormalZ:
    """Z_N(E) of a normal-state solution, computed when first read (issue 16).

    In the normal state the kinetics needs N = 1 and P = 0 only; Z_N (the solver's phonon
    tables for this n and two FFT products, about 1 ms at the paper grids, 9 % of a LaH10
    or K3C60 run whose gap has closed) is read only where a state is recorded (its
    :class:`GapTable`, for the Nam optics) or rewound to. This object holds the f, n
    (solver grid) of the solution and gives ``solver.normal_z(f=f, n=n)`` as an array
    (``np.asarray``) on first use, then keeps it: the same value as computing it at once,
    bit for bit (Z_N depends on f and n alone, not on the solver's caches).

    Parameters
    ----------
    solver : EliashbergSolver
        The solver of the gap update.
    f : (n,) float
        Electron distribution on ``solver.omega`` (not modified afterwards).
    n : (n_ph,) float
        Phonon occupation on ``solver.phonon_omega`` (not modified afterwards).
    """

    __slots__ = ("_args", "_value")

    def __init__(self, solver, f: NDArray[np.float64], n: NDArray[np.float64]) -> None:
        self._args: tuple | None = (solver, f, n)
        self._value: NDArray[np.complex128] | None = None

    def value(self) -> NDArray[np.complex128]:
        """Z_N on ``solver.omega``, (n,) complex, dimensionless."""
        if self._value is None:
            assert self._args is not None
            solver, f, n = self._args
            self._value = np.asarray(solver.normal_z(f=f, n=n), dtype=complex)
            self._args = None
        return self._value

    def __array__(self, dtype=None, copy=None) -> NDArray:
        out = self.value()
        if dtype is not None:
            out = out.astype(dtype, copy=False)
        return out.copy() if copy else out


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


def _gapped_pair(a, b) -> bool:
    """Both Eliashberg solutions ``a`` and ``b`` superconducting and on the same grid (the
    secant warm start of :meth:`EliashbergGap._extrapolated`)."""
    from photosc.cores.eliashberg import is_superconducting

    return (
        hasattr(a, "_replace")
        and np.shape(a.delta) == np.shape(b.delta)
        and is_superconducting(a) != "normal"
        and is_superconducting(b) != "normal"
    )


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

    Delta = 0 solves the equations identically, so a solve started in the normal state
    could never find the Cooper instability of a non-thermal state (the photo-induced
    gap above T_c). A solve whose previous result was normal therefore starts from a
    finite gap: the solver's own guess, or a constant trial gap ``seed``. A normal state
    that is stable collapses back to Delta = 0 (the solver returns the normal state when
    max |Delta| < 1e-9 meV); an unstable one develops its gap. The options below (all but
    ``stability_margin`` off by default) make a long pumped run cheap and robust (paper
    001 photo-induced gap):

    * ``normal_check_tol`` > 0: while the state is normal, the seeded solve is repeated
      only after the weighted change of f, n since the last one exceeds it; in between
      the exact normal-state N = 1, P = 0 are returned (``skipped`` counts them);
    * ``confirm_collapse``: a warm-started solve from a gapped state that ends in the
      normal state is confirmed by a second solve from a constant start at the previous
      gap edge (the warm-started Anderson iteration can pass through |Delta| < 1e-9 meV
      and stop spuriously at Delta = 0; ``rescued`` counts the corrected cases);
    * ``loose_tol``: near the onset of pairing (lambda_max ~ 1) the iteration slows down
      critically and may stall; a stalled solve is repeated with damped mixing (0.5) and
      4000 iterations (``retried``) and, if it stalls again, accepted at the relative
      tolerance ``loose_tol`` (``loosened``) before the ConvergenceError is let through;
    * ``stability_margin``: while the previous state is normal, the question "is the
      normal state still stable?" is answered by the leading eigenvalue lambda_max of the
      linearised gap equation with the current f and n (:meth:`pairing_eigenvalue`,
      warm-started at the previous eigenvector, a few FFT products; issue 16) instead of
      a seeded non-linear solve: lambda_max < 1 - ``stability_margin``, the normal state
      is linearly stable and the exact N = 1, P = 0 are returned without a solve
      (``stable`` counts them); otherwise the seeded solve runs as without the option;
    * ``bound_safety`` (with ``stability_margin``): the eigenvalue itself is computed only
      when a bound says it may have come near 1 (issue 16: a hot layer stays normal for
      thousands of steps with lambda_max far below 1). Between two computed eigenvalues
      the largest observed rate |lambda_2 - lambda_1| / c_12, with c the weighted change
      of (f, n) that :meth:`_change` measures (weights 1/E and 1/Omega), gives the
      sensitivity s (at least 1; no bound before the first such pair); while
      lambda_last + ``bound_safety`` s c < 1 - ``stability_margin``, with c the change
      since the last computed eigenvalue, the state is declared stable without the
      eigenvalue (``bounded`` counts them; Z_N of the current f and n is still
      computed). None: the eigenvalue at every call (the reference path of the tests).
      The linearised operator is the exact small-Delta limit of the solver's map
      (:meth:`~photosc.cores.eliashberg.EliashbergSolver.small_amplitude_gain`), so the
      seeded solve collapses to Delta = 0 exactly when lambda_max < 1 (up to a
      first-order transition, where the seed could reach a gapped branch with
      lambda_max < 1; not seen in the paper 001 runs, issue 16 tests). The eigenvalue is
      computed to the relative residual ``stability_tol``; the margin must exceed that
      accuracy (the eigenvalue of a non-normal operator is off by at most its condition
      number times the residual), checked in the constructor: margin >= 100 x
      ``stability_tol``. With ``normal_check_tol`` the eigenvalue check takes the place
      of the seeded solve at the same moments. An eigenvalue computed for the same f and
      n is re-used by the record of lambda_max(t) (:meth:`pairing_eigenvalue`) and vice
      versa, never computed twice.

    Parameters
    ----------
    solver : EliashbergSolver
        Set-up solver; ``solver.step`` must equal the kinetic grid step.
    kT_phonon : float, meV
        Temperature for phonon energies beyond the bath's grid (and for ``bath_index``
        None). Required.
    bath_index : int or None
        Which dynamic bath (position in the solver's ``n_list``) supplies n(Omega);
        None: phonons at ``kT_phonon``.
    tol : float, dimensionless
        Convergence of the Eliashberg iteration.
    seed : float or None, meV
        Trial gap of a solve from the normal state (> 0); None: the solver's guess.
    normal_check_tol : float, dimensionless
        Weighted change of f, n that triggers a solve in the normal state (0: every call).
    confirm_collapse : bool
        Confirm a collapse to the normal state from a constant start.
    loose_tol : float or None, dimensionless
        Tolerance accepted from a solve that stalls twice; None: no retries.
    stability_margin : float or None, dimensionless
        Skip the seeded solve from a normal state while lambda_max < 1 - margin (default
        :data:`STABILITY_MARGIN`); None: always solve (the reference path).
    stability_tol : float, dimensionless
        Relative residual of the eigenpair behind that decision (<= margin / 100).
    bound_safety : float or None, dimensionless
        Factor (>= 1) on the sensitivity bound that skips the eigenvalue (default
        :data:`BOUND_SAFETY`); None: the eigenvalue at every call in the normal state.
    extrapolate : bool or None
        Start a solve from a gapped state at the secant of the two previous solutions
        of the trajectory (:meth:`_extrapolated`); None: :data:`EXTRAPOLATE` (True).
        The converged solution is the same within ``tol`` (about 1e-5 relative in
        Delta_0: the residual over one minus the map's contraction rate), with about
        half the iterations (Pb at 2 K, pump-probe-pb: 3.9 -> 1.7 per solve).
    keep_history : bool or None
        Continue the Anderson history of the previous solve of this trajectory
        (``EliashbergSolver.solve``'s ``keep``, one :class:`KeptHistory` per gap
        update object); None: :data:`KEEP_HISTORY` (True). The same solution within
        ``tol``, with fewer evaluations (LaH10 trace of ``bench_targets.py``: 9.9 -> 4.5
        per solve); a solve that does not converge with it runs again without.

    Notes
    -----
    Beyond the kinetic grid the electron distribution is taken as 0 (the grid must
    cover every populated energy); beyond the solver grid, N = 1 and P = 0.
    """

    def __init__(
        self,
        solver,
        kT_phonon: float,
        bath_index: int | None = 0,
        tol: float = 1e-6,
        *,
        seed: float | None = None,
        normal_check_tol: float = 0.0,
        confirm_collapse: bool = False,
        loose_tol: float | None = None,
        stability_margin: float | None = STABILITY_MARGIN,
        stability_tol: float = 1e-6,
        bound_safety: float | None = BOUND_SAFETY,
        extrapolate: bool | None = None,
        keep_history: bool | None = None,
    ) -> None:
        if not (np.isfinite(kT_phonon) and kT_phonon > 0):
            raise ValueError(f"kT_phonon must be > 0 meV, got {kT_phonon}")
        if seed is not None and not (math.isfinite(seed) and seed > 0):
            raise ValueError(f"gap seed must be > 0 meV, got {seed}")
        if not normal_check_tol >= 0:
            raise ValueError(f"normal_check_tol must be >= 0, got {normal_check_tol}")
        if loose_tol is not None and not loose_tol > 0:
            raise ValueError(f"loose_tol must be > 0, got {loose_tol}")
        if not (math.isfinite(stability_tol) and 0 < stability_tol < 1e-2):
            raise ValueError(f"stability_tol must be in (0, 0.01), got {stability_tol}")
        if stability_margin is not None and not (
            math.isfinite(stability_margin) and 100 * stability_tol <= stability_margin < 1
        ):
            raise ValueError(
                f"stability_margin must be in [100 stability_tol, 1) = "
                f"[{100 * stability_tol:g}, 1) (the eigenvalue's accuracy), got {stability_margin}"
            )
        if bound_safety is not None and not (math.isfinite(bound_safety) and bound_safety >= 1):
            raise ValueError(
                f"bound_safety (stability bound) must be >= 1 (None: off), got {bound_safety}"
            )
        self.solver = solver
        self.kT_phonon = float(kT_phonon)
        self.bath_index = bath_index
        self.tol = float(tol)
        self.seed = None if seed is None else float(seed)
        self.normal_check_tol = float(normal_check_tol)
        self.confirm_collapse = bool(confirm_collapse)
        self.loose_tol = None if loose_tol is None else float(loose_tol)
        self.stability_margin = None if stability_margin is None else float(stability_margin)
        self.stability_tol = float(stability_tol)
        self.last = None
        self.solves = 0
        self.skipped = 0
        self.rescued = 0
        self.retried = 0
        self.loosened = 0
        self._ref: tuple | None = None
        self._energy: NDArray[np.float64] | None = None
        self._eigen = None  # last PairingEigen, the warm start of the next
        self._eigen_key: tuple | None = None  # (f, n, tol) that _eigen was computed for
        self.bound_safety = None if bound_safety is None else float(bound_safety)
        # largest observed |d lambda| / change (>= 1); None until one has been measured
        self._sensitivity: float | None = None
        self.bounded = 0
        self.extrapolate = EXTRAPOLATE if extrapolate is None else bool(extrapolate)
        self.extrapolated = 0
        keep = KEEP_HISTORY if keep_history is None else bool(keep_history)
        if keep:
            from photosc.cores.eliashberg.solver import KeptHistory

            self._kept = KeptHistory()
        else:
            self._kept = None
        self._track: list = []
        self._change_weights: tuple | None = None
        self.stable = 0
        self.eigen_computed = 0
        self.eigen_reused = 0
        self.eigen_iterations = 0

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
        return self._lambda_max(fe, nph, 1e-8)

    def _lambda_max(
        self,
        fe: NDArray[np.float64],
        nph: NDArray[np.float64],
        tol: float,
        early_exit: int | None = None,
    ) -> float:
        """lambda_max at the solver-grid f and n to relative residual ``tol``, warm-started
        at the previous eigenvector (``early_exit``: as in
        :meth:`~photosc.cores.eliashberg.EliashbergSolver.pairing_eigenvalue`); the
        previous value if it was computed for the same f, n at a tolerance at least as
        tight (a decision and a record at one state)."""
        key = self._eigen_key
        if (
            key is not None
            and key[2] <= tol
            and np.array_equal(key[0], fe)
            and np.array_equal(key[1], nph)
        ):
            self.eigen_reused += 1
            return float(self._eigen.value)
        self._eigen = self.solver.pairing_eigenvalue(
            f=fe, n=nph, v0=self._eigen, tol=tol, early_exit=early_exit
        )
        self._eigen_key = (fe.copy(), nph.copy(), tol)
        self.eigen_computed += 1
        self.eigen_iterations += self._eigen.iterations
        return float(self._eigen.value)

    def _extrapolated(self, before, fe: NDArray[np.float64], nph: NDArray[np.float64]):
        """Warm start of a solve from the gapped solution ``before``: with ``extrapolate``
        and the two previous solves of this trajectory both gapped, the secant
        Delta_1 + r (Delta_1 - Delta_0) (Z likewise), r the ratio of the weighted changes
        of (f, n) (:meth:`_solver_change`) since the last solve and between the two,
        at most 2; else ``before`` itself. Only the start of the iteration changes, not
        its tolerance."""
        track = self._track
        if not self.extrapolate or len(track) < 2 or before is not track[-1][0]:
            return before
        (r0, f0, n0), (r1, f1, n1) = track
        if _gapped_pair(r0, r1):
            c01 = self._solver_change(f1, n1, f0, n0)
            if c01 > 0:
                r = min(self._solver_change(fe, nph, f1, n1) / c01, 2.0)
                self.extrapolated += 1
                return r1._replace(
                    delta=r1.delta + r * (r1.delta - r0.delta), z=r1.z + r * (r1.z - r0.z)
                )
        return before

    def _normal_is_stable(self, fe: NDArray[np.float64], nph: NDArray[np.float64]) -> bool:
        """Is the normal state at f, n (solver grid) linearly stable with the margin?
        lambda_max < 1 - ``stability_margin``, from the sensitivity bound where it
        decides, else from the eigenvalue (class doc); False without a margin."""
        if self.stability_margin is None:
            return False
        limit = 1.0 - self.stability_margin
        key = self._eigen_key
        if (
            self.bound_safety is not None
            and self._sensitivity is not None
            and key is not None
            and self._eigen is not None
        ):
            c = self._solver_change(fe, nph, key[0], key[1])
            if float(self._eigen.value) + self.bound_safety * self._sensitivity * c < limit:
                self.bounded += 1
                return True
        before = None if key is None else (key[0], key[1], float(self._eigen.value))
        lam = self._lambda_max(fe, nph, self.stability_tol, early_exit=2)
        if before is not None:
            c = self._solver_change(fe, nph, before[0], before[1])
            # the eigenvalues' own error (~ stability_tol each) is not a sensitivity
            moved = abs(lam - before[2]) - 2.0 * self.stability_tol
            if c > 0 and moved > 0:
                self._sensitivity = max(self._sensitivity or 1.0, moved / c)
        return lam < limit

    def _solver_change(self, fe, nph, fe_ref, nph_ref) -> float:
        """Weighted change of (f, n) on the solver grid, as :meth:`_change` weighs it
        (1/E for f, 1/Omega for n, each normalised to sum 1)."""
        w = self._change_weights
        if w is None:
            om = np.asarray(self.solver.omega, dtype=float)
            wf = 1.0 / np.abs(om)
            ph = np.asarray(self.solver.phonon_omega, dtype=float)
            wn = np.zeros(ph.size)
            wn[1:] = 1.0 / ph[1:]
            w = self._change_weights = (wf / wf.sum(), wn / wn.sum())
        return max(
            float(np.dot(w[0], np.abs(fe - fe_ref))), float(np.dot(w[1], np.abs(nph - nph_ref)))
        )

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

    def _change(self, grid: KineticGrid, f, n_list) -> float:
        """Weighted change of (f, n) since the last solve, as
        :meth:`~photosc.cores.kinetics.solver.KineticSolver.gap_change` measures it in
        the normal state (rho = 1, weights 1/E and 1/Omega); inf before the first."""
        if self._ref is None:
            return math.inf
        f_ref, n_ref = self._ref
        w = 1.0 / grid.energy
        change = float(np.sum(w * np.abs(np.asarray(f) - f_ref)) / np.sum(w))
        om = grid.omega
        for n, nr in zip(n_list, n_ref):
            k = min(n.size, om.size)
            v = np.zeros(k)
            v[1:] = 1.0 / om[1:k]
            change = max(change, float(np.sum(v * np.abs(n[:k] - nr[:k])) / np.sum(v)))
        return change

    def _previous_solution(self, previous: Coherence | None):
        """The solution behind ``previous``, the warm start of the next solve (None at a
        new start).

        Normally the last solve (``self.last``). A caller that rewinds the state
        (:meth:`~photosc.cores.kinetics.solver.KineticSolver.calibrate_drive` restarts
        every trial integration from the initial state) passes a ``previous`` that an
        earlier solve produced: its gap table (Delta, Z on the solver grid) and Delta_0
        then replace those of the last solve, so that a solve from a gapped state starts
        from that gap, not from whatever state the previous trial ended in (issue 16).
        """
        last = self.last
        if previous is None or last is None:
            return None
        table = getattr(previous, "gap_table", None)
        if (
            table is None
            or not hasattr(last, "_replace")
            or np.shape(table.delta) != np.shape(last.delta)
            or np.array_equal(table.delta, last.delta)
        ):
            return last
        return last._replace(
            delta=np.asarray(table.delta, dtype=complex),
            z=np.asarray(table.z, dtype=complex),
            delta0=float(previous.delta0),
        )

    def _normal_solution(self, fe: NDArray[np.float64], nph: NDArray[np.float64]):
        """The normal-state solution for f, n: what a solve that collapses returns
        (Delta = 0, Z = Z_N of this f and n, N = 1, P = 0, Delta_0 = 0), without the
        iteration. Z_N is computed when first read (:class:`DeferredNormalZ`)."""
        from photosc.cores.eliashberg import EliashbergResult

        s = self.solver
        return EliashbergResult(
            omega=np.asarray(s.omega, dtype=float),
            delta=np.zeros(s.n, dtype=complex),
            z=DeferredNormalZ(s, fe, nph),
            dos=np.ones(s.n),
            pair_density=np.zeros(s.n),
            delta0=0.0,
            iterations=0,
            residual=0.0,
            eta=float(s.eta),
        )

    def _solve(self, fe, nph, warm):
        """One real-axis solve; with ``loose_tol`` a stalled one is retried (class doc)."""
        from photosc.errors import ConvergenceError

        if self.loose_tol is None:
            return self.solver.solve(f=fe, n=nph, warm_start=warm, tol=self.tol, keep=self._kept)
        try:
            return self.solver.solve(f=fe, n=nph, warm_start=warm, tol=self.tol, keep=self._kept)
        except ConvergenceError:
            self.retried += 1
        try:
            return self.solver.solve(
                f=fe, n=nph, warm_start=warm, tol=self.tol, max_iter=4000, mixing=0.5
            )
        except ConvergenceError:
            if self.tol >= self.loose_tol:
                raise
        # still stalled (seen once in paper 001's K3C60 map: 170 meV / 20 K, residual
        # 8e-5 after 4000 damped iterations): accept a relative residual of loose_tol
        self.loosened += 1
        return self.solver.solve(
            f=fe, n=nph, warm_start=warm, tol=self.loose_tol, max_iter=4000, mixing=0.5
        )

    def __call__(
        self,
        grid: KineticGrid,
        f: NDArray[np.float64],
        n_list: Sequence[NDArray[np.float64]],
        previous: Coherence | None,
    ) -> Coherence:
        from photosc.cores.eliashberg import is_superconducting

        # warm start from the previous superconducting solution, gapped or gapless (a
        # damped state with Delta_0 = 0 but finite |Delta| is superconducting,
        # is_superconducting); from a normal one (or at a new start) from a finite gap
        # (class doc)
        before = self._previous_solution(previous)
        gapped = before is not None and is_superconducting(before) != "normal"
        if (
            not gapped
            and previous is not None
            and self.normal_check_tol > 0
            and self._change(grid, f, n_list) < self.normal_check_tol
        ):
            # still normal and (f, n) moved less than the check tolerance since the
            # last seeded solve: the normal-state N = 1, P = 0 are exact, skip the solve
            self.skipped += 1
            return Coherence(np.ones(grid.n_qp), np.zeros(grid.n_qp), 0.0)
        fe, nph = self._inputs(grid, f, n_list)
        if not gapped and previous is not None and self._normal_is_stable(fe, nph):
            # the normal state is linearly stable (class doc): a seeded solve would
            # collapse to Delta = 0; that solution (Delta = 0, Z = Z_N, N = 1, P = 0)
            # without the solve
            self.stable += 1
            res = self._normal_solution(fe, nph)
        else:
            warm = self._extrapolated(before, fe, nph) if gapped else self.seed
            res = self._solve(fe, nph, warm)
            self.solves += 1
        if gapped and self.confirm_collapse and is_superconducting(res) == "normal":
            # seen at step 0.5 meV: Delta_0 2.14 -> 0 -> 2.13 meV on successive updates
            start = before.delta0 if before.delta0 > 0 else self.seed
            retry = self._solve(fe, nph, start)
            if is_superconducting(retry) != "normal":
                self.rescued += 1
                res = retry
        # the last two solves along one trajectory, for the next warm start
        chain = bool(self._track) and before is not None and before is self._track[-1][0]
        self._track = [*(self._track[-1:] if chain else []), (res, fe, nph)]
        self.last = res
        if self.normal_check_tol > 0:
            self._ref = (np.array(f, dtype=float), [np.array(x, dtype=float) for x in n_list])
        if self._energy is None:
            self._energy = np.array(self.solver.omega, dtype=float)
        z = res.z if isinstance(res.z, DeferredNormalZ) else np.array(res.z, dtype=complex)
        table = GapTable(self._energy, np.array(res.delta, dtype=complex), z)
        return solution_coherence(grid, res, table)
