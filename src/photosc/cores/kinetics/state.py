"""Options, state and recorded trajectory of the kinetic solver (paper 001 Eqs. 1-2).

:class:`SolverOptions` holds the numerical options of
:class:`~photosc.cores.kinetics.solver.KineticSolver` (tolerances of the ETD2 steps, the
energy-error control and budget check of issue 12, the adiabatic gap-update threshold of
paper 001 SI approximation (i)); :class:`KineticState` is (t, f, n, coherence) at one time;
:class:`KineticResult` the trajectory that ``run()`` records, with the energy budget
(:mod:`.budget`) and, for strong-coupling gap updates, the gap functions Delta(E), Z(E).
Units: t in ps, energies in meV, energies of the budget in meV^2 per 4 N(0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from photosc.cores.kinetics.coherence import Coherence


@dataclass(frozen=True)
class SolverOptions:
    """Numerical options of :class:`~.solver.KineticSolver`.

    Attributes
    ----------
    rtol, atol : float
        Relative and absolute tolerances of the local error. With ``error_norm =
        "deviation"`` (default) the error of each component is weighed by
        ``atol + rtol * |y - y_eq|``, its deviation from the equilibrium of the start
        temperature (Fermi for f, Bose for n), so a quasi-particle tail at f ~ 1e-8
        that carries energy is controlled relative to itself, not against a fixed
        floor; with ``"absolute"`` by ``atol + rtol * |y|`` (the scheme before
        issue 12, kept for comparison). With ``"gap"`` (issue 16) the error is not
        controlled bin by bin but in the weighted means that the observables read: for
        f the mean with the gap equation's weights rho / E (the weights of
        :meth:`~.solver.KineticSolver.gap_change`: what moves Delta_0) and the one with
        the quasi-particle number's weights rho, for each dynamic bath the means with
        the pairing kernel's g / Omega and with the mode density; each mean error must
        stay below ``atol + rtol`` times the same mean of |y - y_eq| (the energy is
        controlled by ``energy_rtol`` as with ``"deviation"``). A hot tail that holds
        little weight in these means is then not resolved to its own relative accuracy,
        which the bin-wise norms force with ~fs steps in the pulse.
    energy_rtol : float
        Second error measure (deviation and gap norms; both must hold): a step's change of
        the stored energy must match the energy the drives and the non-conserving terms
        supplied during it to ``energy_rtol`` times the energy that moved in the step
        (between the quasi-particles, the baths and the outside), with the energies
        w_i y_i, w = z h rho E (quasi-particles) and h D Omega (dynamic baths); the
        accumulated error then stays below ``energy_rtol`` times the run's energy
        turnover, however many steps it takes. The exponential steps do
        not keep the energy by themselves (see :meth:`~.solver.KineticSolver._energy_error`);
        this is what bounds the energy that integration errors create (issue 12).
    budget_tol : float
        Largest allowed relative error of the energy budget (see
        :meth:`~.solver.KineticSolver.budget_error`); :meth:`~.solver.KineticSolver.run` raises
        :class:`~photosc.errors.ConvergenceError` when a recorded state exceeds it.
        ``inf`` switches the check off (the budget is still recorded).
    error_norm : str
        ``"deviation"`` (default), ``"absolute"`` or ``"gap"`` (see ``rtol``).
    dt_initial : float, ps
        First trial step.
    dt_max : float, ps
        Largest step.
    gap_tol : float
        Re-solve the gap when the weighted change of f or n since the last gap update
        (:meth:`~.solver.KineticSolver.gap_change`) exceeds this.
    gap_every_step : bool
        Re-solve the gap after every accepted step (reference for ``gap_tol``).
    max_steps : int
        Limit of accepted + rejected steps per :meth:`~.solver.KineticSolver.run` call.
    method : str
        ``"etdrk4"`` (default since issue 16: the fourth-order exponential Runge-Kutta
        method of Cox & Matthews, four rate evaluations per step; its energy error per
        step falls as dt^5, so the energy criterion allows 2.5-3x fewer steps in the
        paper-001 runs at no loss of accuracy against a 10x tighter run), ``"etd2"``
        (the second-order method before, two evaluations per step) or
        ``"scipy:<solve_ivp method>"``.
    """

    rtol: float = 1e-4
    atol: float = 1e-8
    energy_rtol: float = 1e-4
    budget_tol: float = 1e-3
    error_norm: str = "deviation"
    dt_initial: float = 1e-4
    dt_max: float = math.inf
    gap_tol: float = 1e-4
    gap_every_step: bool = False
    max_steps: int = 2_000_000
    method: str = "etdrk4"


class KineticState(NamedTuple):
    """State at one time.

    Attributes
    ----------
    t : float, ps
    f : (n_qp,) float
    n : tuple of (n_boson,) float, one per dynamic bath
    coherence : Coherence
    """

    t: float
    f: NDArray[np.float64]
    n: tuple[NDArray[np.float64], ...]
    coherence: Coherence


class KineticResult(NamedTuple):
    """Recorded trajectory.

    Attributes
    ----------
    t : (nt,) float, ps
    f : (nt, n_qp) float
    n : (nt, n_dyn, n_boson) float -- occupations of the dynamic baths
    delta0 : (nt,) float, meV
    energy : (nt,) float, meV^2 -- quasi-particle + dynamic-bath energy per 4 N(0)
    qp_density : (nt,) float, meV -- quasi-particle number per 4 N(0)
    steps : int -- accepted steps
    rejected : int -- rejected steps
    gap_updates : int -- calls of the gap update
    gap_energy : (m,) float, meV, or None -- energies of the recorded gap functions
        (the Eliashberg solver grid, E > 0)
    gap_delta : (nt, m) complex, meV, or None -- Delta(E) of the state used at each
        recorded time (its coherence's :class:`~.coherence.GapTable`)
    gap_z : (nt, m) complex, or None -- Z(E) likewise

    absorbed : (nt,) float, meV^2 -- energy deposited by the drives since start(), per
        4 N(0): the time integral of :meth:`~.solver.KineticSolver.drive_power` (trapezoid over the
        accepted steps), evaluated independently of the energy change of the state
    exchanged : (nt,) float, meV^2 -- energy that the non-conserving terms moved into the
        system since start() (reservoir baths, phonon escape, the tau_in relaxation;
        negative: out), the time integral of their power
    gap_work : (nt,) float, meV^2 -- sum of the energy changes at the gap updates (the
        adiabatic change of N(E) moves the quasi-particle levels; the condensate takes up
        the difference, which the kinetic energy does not hold)
    budget_error : (nt,) float, meV^2 -- energy - energy[start] - absorbed - exchanged -
        gap_work: what the time integration created or lost (0 for an exact integration;
        the collision integrals conserve the quasi-particle + dynamic-bath energy exactly)
    energy_budget_error : float -- max |budget_error| divided by the budget's scale
        (the absorbed energy; without a drive the largest |exchanged|; without either the
        stored energy at start)
    pairing_eigenvalue : (nt,) float or None -- the leading eigenvalue of the linearised
        gap equation with the recorded f and n (> 1: the normal state is Cooper-unstable),
        where the gap update provides it (``gap_update.pairing_eigenvalue``)

    The three ``gap_*`` fields are None unless every recorded state carries a gap table
    (strong-coupling updates such as :class:`~.gap.EliashbergGap` do; fixed and BCS gaps,
    a constant real Delta_0 with Z = 1, do not).
    """

    t: NDArray[np.float64]
    f: NDArray[np.float64]
    n: NDArray[np.float64]
    delta0: NDArray[np.float64]
    energy: NDArray[np.float64]
    qp_density: NDArray[np.float64]
    steps: int
    rejected: int
    gap_updates: int
    gap_energy: NDArray[np.float64] | None = None
    gap_delta: NDArray[np.complex128] | None = None
    gap_z: NDArray[np.complex128] | None = None
    absorbed: NDArray[np.float64] | None = None
    exchanged: NDArray[np.float64] | None = None
    gap_work: NDArray[np.float64] | None = None
    budget_error: NDArray[np.float64] | None = None
    energy_budget_error: float = 0.0
    pairing_eigenvalue: NDArray[np.float64] | None = None


def _stack_gap_tables(tables: list) -> tuple:
    """(energy, delta (nt, m), z (nt, m)) of the recorded gap tables, or three None
    unless every recorded state has one."""
    if not tables or any(t is None for t in tables):
        return None, None, None
    energy = np.asarray(tables[0].energy, dtype=float)
    for t in tables[1:]:
        e = np.asarray(t.energy, dtype=float)
        if e.shape != energy.shape or not np.array_equal(e, energy):
            raise ValueError("recorded gap tables live on different energy grids")
    delta = np.array([np.asarray(t.delta, dtype=complex) for t in tables])
    z = np.array([np.asarray(t.z, dtype=complex) for t in tables])
    return energy.copy(), delta, z
