r"""Time integration of the coupled quasi-particle and boson kinetics (paper 001 Eqs. 1-2).

.. code-block:: text

    df/dt = sum_baths I_bath[f, n] + I_pump[f](t) - (f - f_F(E / kT_qp)) / tau_in
    dn/dt = I_S + I_B - (n - n_eq) / tau_esc                    (each dynamic bath)

(collision integrals: :mod:`.collisions`; pump: :mod:`.pump`; the relaxation-time term is
paper 004 Eq. 6, optional). The gap is updated adiabatically (paper 001 SI, approximation
(i): the time derivative of the self-energy is neglected): the density of states and
coherence arrays are held fixed during a step and recomputed by the gap-update callback
(:mod:`.gap`) after any step where f or n changed by more than ``gap_tol`` since the last
update -- measured with the weights of the gap equation (:meth:`KineticSolver.gap_change`)
-- or after every step with ``gap_every_step``, warm-started at the previous gap.

Integrator. Every equation has the gain/loss form dy/dt = A(y) - Lambda(y) y with
A >= 0 (in-rates) and Lambda the total out-rate; the stiffness (fast relaxation of
high-energy quasi-particles, fast pair breaking) sits mostly on that diagonal. We use
the second-order exponential Runge-Kutta method ETD2RK (Cox & Matthews, J. Comput.
Phys. 176, 430 (2002)) with the diagonal Lambda(y_n) treated exactly, and adaptive steps
from the difference between its first-order (exponential Euler) and second-order
stages. The exponential Euler stage keeps 0 <= f <= 1 and n >= 0 exactly (it is a convex
combination of y_n and A / Lambda); a component whose second-order value would leave
that range takes the first-order value for that step. Steps are also limited to
tau_pump / 8 within 2.5 tau_pump of a pulse centre. A scipy ``solve_ivp`` method can
be chosen instead (``method="scipy:DOP853"`` etc.) as an independent check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.kinetics.baths import Bath, bath_channel, check_bath, thermal_occupation
from photosc.cores.kinetics.coherence import Coherence, check_coherence
from photosc.cores.kinetics.collisions import Channel, CollisionOperator
from photosc.cores.kinetics.gap import fill_gap
from photosc.cores.kinetics.grid import KineticGrid, check_grid
from photosc.cores.kinetics.pump import Drive, check_drive, envelope
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import fermi

GapUpdate = Callable[
    [KineticGrid, NDArray[np.float64], Sequence[NDArray[np.float64]], Coherence | None], Coherence
]


@dataclass(frozen=True)
class SolverOptions:
    """Numerical options of :class:`KineticSolver`.

    Attributes
    ----------
    rtol, atol : float
        Relative and absolute tolerances of the local error. With ``error_norm =
        "deviation"`` (default) the error of each component is weighed by
        ``atol + rtol * |y - y_eq|``, its deviation from the equilibrium of the start
        temperature (Fermi for f, Bose for n), so a quasi-particle tail at f ~ 1e-8
        that carries energy is controlled relative to itself, not against a fixed
        floor; with ``"absolute"`` by ``atol + rtol * |y|`` (the scheme before
        issue 12, kept for comparison).
    energy_rtol : float
        Second error measure (deviation norm only; both must hold): a step's change of
        the stored energy must match the energy the drives and the non-conserving terms
        supplied during it to ``energy_rtol`` times the energy that moved in the step
        (between the quasi-particles, the baths and the outside), with the energies
        w_i y_i, w = z h rho E (quasi-particles) and h D Omega (dynamic baths); the
        accumulated error then stays below ``energy_rtol`` times the run's energy
        turnover, however many steps it takes. The exponential steps do
        not keep the energy by themselves (see :meth:`KineticSolver._energy_error`);
        this is what bounds the energy that integration errors create (issue 12).
    budget_tol : float
        Largest allowed relative error of the energy budget (see
        :meth:`KineticSolver.budget_error`); :meth:`KineticSolver.run` raises
        :class:`~photosc.errors.ConvergenceError` when a recorded state exceeds it.
        ``inf`` switches the check off (the budget is still recorded).
    error_norm : str
        ``"deviation"`` (default) or ``"absolute"`` (see ``rtol``).
    dt_initial : float, ps
        First trial step.
    dt_max : float, ps
        Largest step.
    gap_tol : float
        Re-solve the gap when the weighted change of f or n since the last gap update
        (:meth:`KineticSolver.gap_change`) exceeds this.
    gap_every_step : bool
        Re-solve the gap after every accepted step (reference for ``gap_tol``).
    max_steps : int
        Limit of accepted + rejected steps per :meth:`KineticSolver.run` call.
    method : str
        ``"etd2"`` (default) or ``"scipy:<solve_ivp method>"``.
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
    method: str = "etd2"


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
        4 N(0): the time integral of :meth:`KineticSolver.drive_power` (trapezoid over the
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


def _step_integral(p0: float, p1: float, dt: float) -> float:
    """int_0^dt p(t) dt from the end values of a power p, exact for p = a e^{-b t}.

    The logarithmic mean (p1 - p0) / ln(p1 / p0) where p0 and p1 have the same sign
    (relaxation through escape or tau_in decays exponentially, and the ETD2 steps
    integrate that decay exactly over steps of many decay times); the trapezoid
    otherwise. Both are second order for smooth p.
    """
    if p0 * p1 > 0 and abs(p1 - p0) > 1e-6 * abs(p0):
        return dt * (p1 - p0) / math.log(p1 / p0)
    return 0.5 * (p0 + p1) * dt


def _phi1(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """(1 - e^{-x}) / x, 1 at x = 0 (x = Lambda dt, any sign)."""
    small = np.abs(x) < 1e-6
    xs = np.where(small, 1.0, x)
    return np.where(small, 1.0 - 0.5 * x + x * x / 6.0, -np.expm1(-xs) / xs)


def _phi2(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """(e^{-x} - 1 + x) / x^2, 1/2 at x = 0."""
    small = np.abs(x) < 1e-4
    xs = np.where(small, 1.0, x)
    return np.where(small, 0.5 - x / 6.0 + x * x / 24.0, (np.expm1(-xs) + xs) / (xs * xs))


class KineticSolver:
    """Chang-Scalapino kinetics with baths, drives and an adiabatic gap.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    baths : sequence of Bath
        Phonon / photon baths (dynamic or reservoirs).
    gap_update : callable
        ``gap_update(grid, f, n_list, previous) -> Coherence`` (see :mod:`.gap`).
    drives : sequence of Drive
        Optical pump pulses or continuous drives.
    z : float
        Renormalisation Z_1(0) (1: paper 001's form).
    tau_in : float, ps
        Relaxation time of paper 004 Eq. 6 towards f_F(E / kT_qp); inf (default): none.
    kT_qp : float, meV
        Temperature of that relaxation term (required with a finite tau_in).
    options : SolverOptions
        Numerical options.
    """

    def __init__(
        self,
        grid: KineticGrid,
        baths: Sequence[Bath],
        gap_update: GapUpdate,
        drives: Sequence[Drive] = (),
        *,
        z: float = 1.0,
        tau_in: float = math.inf,
        kT_qp: float | None = None,
        options: SolverOptions | None = None,
    ) -> None:
        check_grid(grid)
        for b in baths:
            check_bath(grid, b)
        for d in drives:
            check_drive(d)
            d.weights(grid)  # range check
        if not tau_in > 0:
            raise ValueError(f"tau_in must be > 0 ps (inf: none), got {tau_in}")
        if math.isfinite(tau_in) and (kT_qp is None or not kT_qp >= 0):
            raise ValueError(f"kT_qp must be given (>= 0 meV) with tau_in, got {kT_qp}")
        self.grid = grid
        self.baths = tuple(baths)
        self.drives = tuple(drives)
        self.gap_update = gap_update
        self.options = options or SolverOptions()
        self._check_options()
        self.op = CollisionOperator(grid, z)
        self.z = float(z)
        self.tau_in = float(tau_in)
        self.kT_qp = kT_qp
        self._f_relax = fermi(grid.energy, kT_qp) if math.isfinite(tau_in) else None
        self.dynamic = [i for i, b in enumerate(self.baths) if b.dynamic]
        self._n_eq = [thermal_occupation(grid, self.baths[i].kT) for i in self.dynamic]
        self._reservoir = {
            i: bath_channel(grid, b) for i, b in enumerate(self.baths) if not b.dynamic
        }
        self.state: KineticState | None = None
        self._dt = self.options.dt_initial
        self._gap_ref: tuple[NDArray[np.float64], tuple] | None = None
        self.steps = 0
        self.rejected = 0
        self.gap_updates = 0
        # energy budget since start() (per 4 N(0), meV^2): see budget_error()
        self.absorbed = 0.0
        self.exchanged = 0.0
        self.gap_work = 0.0
        self._flow_max = 0.0
        self._edev_max = 0.0
        self._t_start = 0.0
        self._e_start = 0.0
        self._p_drive: tuple[float, ...] = ()
        self._start_state: KineticState | None = None
        self._drive_key: tuple | None = None
        self._drive_expected = 0.0
        self._p_other = 0.0
        self._y_eq: list[NDArray[np.float64]] = []

    @property
    def deposited(self) -> float:
        """Energy deposited by the drives since start(), per 4 N(0), meV^2 (= absorbed)."""
        return self.absorbed

    def _check_options(self) -> None:
        o = self.options
        for name in (
            "rtol",
            "atol",
            "energy_rtol",
            "budget_tol",
            "dt_initial",
            "dt_max",
            "gap_tol",
        ):
            v = getattr(o, name)
            if not v > 0:
                raise ValueError(f"options.{name} must be > 0, got {v}")
        if o.error_norm not in ("deviation", "absolute"):
            raise ValueError(
                f"options.error_norm={o.error_norm!r}: allowed 'deviation' or 'absolute'"
            )
        if not (o.method == "etd2" or o.method.startswith("scipy:")):
            raise ValueError(f"options.method={o.method!r}: allowed 'etd2' or 'scipy:<method>'")

    # -- state -----------------------------------------------------------------------
    def start(
        self,
        t0: float = 0.0,
        f0: ArrayLike | None = None,
        n0: Sequence[ArrayLike] | None = None,
        kT: float | None = None,
    ) -> KineticState:
        """Set the initial state and solve the gap for it.

        Parameters
        ----------
        t0 : float, ps
            Initial time.
        f0 : (n_qp,) float, optional
            Initial distribution (default: Fermi function at ``kT``).
        n0 : sequence of (n_boson,) float, optional
            Initial occupations of the dynamic baths (default: Bose at ``kT``).
        kT : float, meV, optional
            Temperature of the default initial state (default: the first bath's kT).
        """
        if kT is None:
            kT = self.baths[0].kT if self.baths else (self.kT_qp or 0.0)
        f = fermi(self.grid.energy, kT) if f0 is None else np.array(f0, dtype=float)
        if f.shape != (self.grid.n_qp,) or np.any((f < 0) | (f > 1)) or not np.all(np.isfinite(f)):
            raise ValueError(f"f0 must have shape ({self.grid.n_qp},) with 0 <= f <= 1")
        if n0 is None:
            ns = tuple(thermal_occupation(self.grid, kT) for _ in self.dynamic)
        else:
            ns = tuple(np.array(x, dtype=float) for x in n0)
            if len(ns) != len(self.dynamic):
                raise ValueError(f"n0 needs {len(self.dynamic)} arrays (dynamic baths)")
            for x in ns:
                if x.shape != (self.grid.n_boson,) or np.any(x < 0):
                    raise ValueError(f"each n0 must have shape ({self.grid.n_boson},), n >= 0")
        coh = self.gap_update(self.grid, f, ns, None)
        check_coherence(self.grid, coh)
        self.gap_updates = 1
        self.steps = 0
        self.rejected = 0
        self._dt = self.options.dt_initial
        self._gap_ref = (f.copy(), tuple(x.copy() for x in ns))
        self.state = KineticState(float(t0), f, ns, coh)
        self._y_eq = [fermi(self.grid.energy, kT), *self._n_eq]
        self._reset_budget()
        return self.state

    # -- energy budget ---------------------------------------------------------------
    def _reset_budget(self) -> None:
        """Zero the budget accumulators at the current state."""
        st = self.state
        self.absorbed = 0.0
        self.exchanged = 0.0
        self.gap_work = 0.0
        self._flow_max = 0.0
        self._edev_max = self._deviation_energy(st)
        self._t_start = st.t
        self._e_start = self.energy(st.f, st.n, st.coherence)
        self._p_drive = self._drive_units(st)
        self._p_other = self._other_power(st)
        self._start_state = st
        self._drive_key = None

    def budget_error(self, state: KineticState | None = None) -> float:
        """Signed energy-budget error at the current state, per 4 N(0), meV^2.

        stored(t) - stored(start) - absorbed - exchanged - gap_work, with stored the
        quasi-particle + dynamic-bath energy (:meth:`energy`), absorbed the integrated
        drive power, exchanged the integrated power of the reservoirs, escape and
        tau_in terms, and gap_work the energy steps at the gap updates (see
        :class:`KineticResult`). The collision integrals conserve the stored energy
        exactly on the grid (E -> E - Omega with Omega on the boson grid; pair
        processes Omega = E + E'), so this is what the time integration created.
        """
        st = self.state if state is None else state
        stored = self.energy(st.f, st.n, st.coherence) - self._e_start
        return stored - self.absorbed - self.exchanged - self.gap_work

    def expected_drive_energy(self) -> float:
        """Energy the pulsed drives will deposit over the whole run, meV^2 per 4 N(0).

        sum_k Gamma_k P_k int S_k dt with P_k the drive's power at S = 1 at the start of
        the budget (:meth:`pump_power`) and the Gaussian envelope integrated over all
        times (tau sqrt(pi / (4 ln 2))); continuous drives (tau = inf) count 0. It is
        the absorbed energy of a pulse that does not bleach its absorption, the natural
        scale of the budget from the first step on (before the pulse has delivered much,
        the energy that flowed so far would make round-off look large).
        """
        if self._start_state is None:
            return 0.0
        key = tuple((d.omega, d.gamma, d.tau, d.t0, d.form) for d in self.drives)
        if key != self._drive_key:
            total = 0.0
            for d in self.drives:
                if d.gamma > 0 and math.isfinite(d.tau):
                    width = d.tau * math.sqrt(math.pi / (4.0 * math.log(2.0)))
                    total += d.gamma * abs(self.pump_power(d, self._start_state)) * width
            self._drive_key, self._drive_expected = key, total
        return self._drive_expected

    def budget_scale(self) -> float:
        """Scale of the relative budget error, meV^2.

        The largest of the largest energy that flowed (|absorbed| + |exchanged| +
        |gap_work| over the history), the energy the pulsed drives will deposit
        (:meth:`expected_drive_energy`) and the largest energy of the deviation from
        equilibrium, sum_i w_i |y_i - y_eq,i| (a hot initial state that relaxes in a
        closed system moves energy without any flow); where none exists, the stored
        energy at start. Never below 1e-7 of the stored energy at start (round-off of
        the energy sums is ~1e-16 of it)."""
        stored = abs(self._e_start)
        scale = max(self._flow_max, self._edev_max, self.expected_drive_energy())
        if scale > 0:
            return max(scale, 1e-7 * stored, 1e-300)
        return max(stored, 1e-300)

    def _account(self, dt: float) -> None:
        """Add the step's drive and exchange energies at the new state (:func:`_step_integral`)."""
        st = self.state
        p_drive, p_other = self._drive_units(st), self._other_power(st)
        self.absorbed += self._drive_integral(st.t - dt, dt, self._p_drive, p_drive)
        self.exchanged += _step_integral(self._p_other, p_other, dt)
        self._p_drive, self._p_other = p_drive, p_other
        flow = abs(self.absorbed) + abs(self.exchanged) + abs(self.gap_work)
        self._flow_max = max(self._flow_max, flow)
        self._edev_max = max(self._edev_max, self._deviation_energy(st))

    def _deviation_energy(self, st: KineticState) -> float:
        """Energy of the deviation from equilibrium, sum_i w_i |y_i - y_eq,i|, meV^2."""
        w = self._energy_weights(st.coherence)
        return sum(
            float(np.dot(wk, np.abs(y - ref))) for wk, y, ref in zip(w, (st.f, *st.n), self._y_eq)
        )

    def channels(self, t: float, n_list: Sequence[NDArray[np.float64]]) -> list[Channel]:
        """Collision channels at time t (ps): baths (dynamic first, in order), then drives.

        Parameters
        ----------
        t : float, ps
            Time (sets the drive envelopes).
        n_list : sequence of (n_boson,) float, dimensionless
            Occupations of the dynamic baths, in the order of ``self.dynamic``.

        Returns
        -------
        list of Channel
        """
        chans = []
        k = 0
        for i, b in enumerate(self.baths):
            if b.dynamic:
                chans.append(bath_channel(self.grid, b, n_list[k]))
                k += 1
            else:
                chans.append(self._reservoir[i])
        chans.extend(d.channel(self.grid, t) for d in self.drives)
        return chans

    def _split(self, t: float, f, ns, coh) -> tuple:
        """Gain/loss form: (A_f, Lam_f, [A_n], [Lam_n])."""
        col = self.op.evaluate(f, coh, self.channels(t, ns))
        a_f = col.gain
        lam_f = col.gain + col.loss
        if self._f_relax is not None:
            a_f = a_f + self._f_relax / self.tau_in
            lam_f = lam_f + 1.0 / self.tau_in
        a_n, lam_n = [], []
        dyn_channels = [c for c in range(len(self.baths)) if self.baths[c].dynamic]
        for k, c in enumerate(dyn_channels):
            bg, bl = col.boson_gain[c], col.boson_loss[c]
            inv = 1.0 / self.baths[c].tau_esc
            a_n.append(bg + self._n_eq[k] * inv)
            lam_n.append(bl - bg + inv)
        return a_f, lam_f, a_n, lam_n

    def rhs(self, t: float, f, ns, coh: Coherence | None = None) -> tuple:
        """(df/dt (n_qp,), [dn/dt (n_boson,)]) in 1/ps at fixed coherence.

        Parameters
        ----------
        t : float, ps
            Time (sets the drive envelopes).
        f : (n_qp,) float, dimensionless
            Quasi-particle distribution.
        ns : sequence of (n_boson,) float, dimensionless
            Occupations of the dynamic baths.
        coh : Coherence, optional
            Density of states and pair density (default: the current state's).
        """
        coh = self.state.coherence if coh is None else coh
        a_f, lam_f, a_n, lam_n = self._split(t, f, ns, coh)
        return a_f - lam_f * f, [a - lam * n for a, lam, n in zip(a_n, lam_n, ns)]

    def energy(self, f, ns, coh: Coherence) -> float:
        """Quasi-particle plus dynamic-bath energy per 4 N(0), meV^2 (fixed-gap bookkeeping).

        Parameters
        ----------
        f : (n_qp,) float, dimensionless
            Quasi-particle distribution.
        ns : sequence of (n_boson,) float, dimensionless
            Occupations of the dynamic baths.
        coh : Coherence
            Density of states rho (dimensionless) weighting the quasi-particle bins.
        """
        h = self.grid.step
        e = self.z * h * float(np.sum(coh.rho * self.grid.energy * f))
        for k, c in enumerate(self.dynamic):
            e += h * float(np.sum(self.baths[c].mode_density * self.grid.omega * ns[k]))
        return e

    def qp_density(self, f, coh: Coherence) -> float:
        """Quasi-particle number per 4 N(0), meV.

        Parameters
        ----------
        f : (n_qp,) float, dimensionless
            Quasi-particle distribution.
        coh : Coherence
            Density of states rho (dimensionless) weighting the quasi-particle bins.
        """
        return self.z * self.grid.step * float(np.sum(coh.rho * f))

    def _drive_units(self, st: KineticState) -> tuple[float, ...]:
        """Power of each drive at envelope S = 1 (its own Gamma), meV^2/ps; 0 for a drive
        whose envelope is below 1e-16 of its peak (it deposits nothing measurable)."""
        return tuple(
            d.gamma * self.pump_power(d, st)
            if d.gamma > 0 and envelope(st.t, d.tau, d.t0) > 1e-16
            else 0.0
            for d in self.drives
        )

    def _drive_integral(
        self, t0: float, dt: float, u0: tuple[float, ...], u1: tuple[float, ...]
    ) -> float:
        """Energy the drives deposit in [t0, t0 + dt], meV^2 per 4 N(0).

        int S(t) u(t) dt with the Gaussian envelope S exact and the power at S = 1,
        u(t) (which changes only through f and the gap), linear between its end values
        ``u0``, ``u1``: the fast time dependence of a short pulse costs no accuracy.
        """
        total = 0.0
        for d, a, b in zip(self.drives, u0, u1):
            if a == 0.0 and b == 0.0:
                continue
            slope = (b - a) / dt
            if math.isinf(d.tau):
                total += (a + 0.5 * slope * dt) * dt
                continue
            sig = d.tau / math.sqrt(8.0 * math.log(2.0))
            x0, x1 = (t0 - d.t0) / sig, (t0 + dt - d.t0) / sig
            s_int = (
                sig
                * math.sqrt(0.5 * math.pi)
                * (math.erf(x1 / math.sqrt(2.0)) - math.erf(x0 / math.sqrt(2.0)))
            )
            # int S (t - t0) dt = int S (t - tc) dt + (tc - t0) int S dt
            s_t = -sig * sig * (math.exp(-0.5 * x1 * x1) - math.exp(-0.5 * x0 * x0))
            total += a * s_int + slope * (s_t + (d.t0 - t0) * s_int)
        return total

    def drive_power(self, state: KineticState | None = None) -> float:
        """Energy deposition rate of all drives at the state's time, per 4 N(0), meV^2/ps."""
        st = self.state if state is None else state
        # a pulse deposits nothing measurable beyond S(t) < 1e-16 of its peak
        active = [d for d in self.drives if d.gamma > 0 and envelope(st.t, d.tau, d.t0) > 1e-16]
        if not active:
            return 0.0
        chans = [d.channel(self.grid, st.t) for d in active]
        dfdt = self.op.evaluate(st.f, st.coherence, chans).df_dt(st.f)
        return self.z * self.grid.step * float(np.sum(st.coherence.rho * self.grid.energy * dfdt))

    def _other_power(self, st: KineticState) -> float:
        """Energy rate (per 4 N(0), meV^2/ps) of the terms that do not conserve the
        quasi-particle + dynamic-bath energy, drives excepted: reservoir baths, phonon
        escape and the tau_in relaxation."""
        h = self.grid.step
        wt = self.z * h * st.coherence.rho * self.grid.energy
        p = 0.0
        if self._reservoir:
            col = self.op.evaluate(st.f, st.coherence, list(self._reservoir.values()))
            p += float(np.sum(wt * col.df_dt(st.f)))
        if self._f_relax is not None:
            p -= float(np.sum(wt * (st.f - self._f_relax))) / self.tau_in
        for k, c in enumerate(self.dynamic):
            b = self.baths[c]
            if math.isfinite(b.tau_esc):
                de = b.mode_density * self.grid.omega * (st.n[k] - self._n_eq[k])
                p -= h * float(np.sum(de)) / b.tau_esc
        return p

    def pump_power(self, drive: Drive, state: KineticState | None = None) -> float:
        """Energy deposition rate per 4 N(0) of ``drive`` at S = 1 and Gamma = 1/ps, meV^2/ps.

        Multiply by 4 N(0) (1/(meV nm^3)) for meV/(nm^3 ps) per unit Gamma.

        Parameters
        ----------
        drive : Drive
            Supplies the photon energy (meV), coherence type and form; its gamma, tau
            and t0 are replaced by 1/ps, a continuous envelope and 0.
        state : KineticState, optional
            State whose f and coherence absorb (default: the current state).
        """
        st = self.state if state is None else state
        if st is None:
            raise RuntimeError("call start() first")
        unit = Drive(drive.omega, 1.0, math.inf, 0.0, drive.coherence, drive.form)
        col = self.op.evaluate(st.f, st.coherence, [unit.channel(self.grid, 0.0)])
        dfdt = col.df_dt(st.f)
        return self.z * self.grid.step * float(np.sum(st.coherence.rho * self.grid.energy * dfdt))

    # -- stepping --------------------------------------------------------------------
    def _dt_cap(self, t: float) -> float:
        cap = self.options.dt_max
        for d in self.drives:
            if math.isfinite(d.tau) and abs(t - d.t0) < 2.5 * d.tau:
                cap = min(cap, d.tau / 8.0)
            elif math.isfinite(d.tau) and t < d.t0:
                cap = min(cap, max(d.t0 - 2.5 * d.tau - t, d.tau / 8.0))
        return cap

    def _etd2(self, dt: float) -> tuple:
        st = self.state
        t, f, ns, coh = st.t, st.f, st.n, st.coherence
        a_f, lam_f, a_n, lam_n = self._split(t, f, ns, coh)
        ys = [f, *ns]
        a0 = [a_f, *a_n]
        lam0 = [lam_f, *lam_n]
        x = [lam * dt for lam in lam0]
        stage = [y * np.exp(-xx) + a * _phi1(xx) * dt for y, a, xx in zip(ys, a0, x)]
        stage[0] = np.clip(stage[0], 0.0, 1.0)  # convex combination: only round-off
        stage[1:] = [np.maximum(s, 0.0) for s in stage[1:]]
        b_f, mu_f, b_n, mu_n = self._split(t + dt, stage[0], stage[1:], coh)
        a1 = [b_f, *b_n]
        lam1 = [mu_f, *mu_n]
        new, err = [], 0.0
        o = self.options
        deviation = o.error_norm == "deviation"
        for k, (y, s, a, lam, b, mu, xx) in enumerate(zip(ys, stage, a0, lam0, a1, lam1, x)):
            # N(y) = A(y) - (Lambda(y) - Lambda0) y; N(y0) = A0
            corr = (b - (mu - lam) * s - a) * _phi2(xx) * dt
            y2 = s + corr
            bad = (y2 < 0) | ((y2 > 1) if k == 0 else False)
            y2 = np.where(bad, s, y2)
            if deviation:
                ref = self._y_eq[k]
                dev = np.maximum(np.abs(y - ref), np.abs(y2 - ref))
            else:
                dev = np.maximum(np.abs(y), np.abs(y2))
            err = max(err, float(np.max(np.abs(y2 - s) / (o.atol + o.rtol * dev))))
            new.append(y2)
        if deviation:
            # energy rate of the equations themselves at both ETD2 points (y_n at t and the
            # exponential-Euler stage at t + dt): their trapezoid is what an exact
            # integration would add to the stored energy over the step
            weights = self._energy_weights(coh)
            r0 = sum(float(np.dot(w, a - lam * y)) for w, a, lam, y in zip(weights, a0, lam0, ys))
            r1 = sum(float(np.dot(w, b - mu * s)) for w, b, mu, s in zip(weights, a1, lam1, stage))
            err = max(err, self._energy_error(dt, new, coh, 0.5 * (r0 + r1) * dt))
        return new, err

    def _energy_error(self, dt: float, new: list, coh: Coherence, supplied: float) -> float:
        """Energy-conservation error of a trial step, relative to its allowance.

        The ETD2 weights differ per component, so unlike an explicit Runge-Kutta step
        it does not keep the energy balance of the equations (a linear functional of the
        right-hand side); the violation concentrates in stiff components held
        quasi-steady (a hot quasi-particle tail). The step's stored-energy change
        E(y_new) - E(y) at fixed coherence is compared with ``supplied``, the trapezoid
        of the equations' own energy rate sum_i w_i dy_i/dt at the two ETD2 points (drive
        power plus exchange, plus whatever the discretised collision integrals do not
        conserve, e.g. quasi-particles leaving the top of the grid: that is not an
        integration error and no step size removes it; the recorded budget, with the drive
        and exchange powers evaluated on their own, reports it). The mismatch must stay
        below ``energy_rtol`` times the energy that moved in the step (the summed
        |change| of the quasi-particle and each bath's energy plus |supplied|) plus
        ``energy_rtol`` times the budget scale (:meth:`budget_scale`) times
        dt / (t + dt - t_start), a share per unit of log-time. The accumulated error
        then stays below ``energy_rtol`` times (the run's energy turnover + the budget
        scale times ln(t_end / dt_first) ~ 20), whatever the number of steps, while a
        slow, late relaxation is not held to steps set by its small turnover (plus 1e-12
        of the stored energy: round-off). Returns mismatch / allowance.
        """
        st = self.state
        weights = self._energy_weights(coh)
        change = moved = stored = 0.0
        for w, y0, y1 in zip(weights, (st.f, *st.n), new):
            d = float(np.dot(w, y1 - y0))
            change += d
            moved += abs(d)
            stored += float(np.dot(w, y1))
        mismatch = abs(change - supplied)
        elapsed = st.t + dt - self._t_start
        spread = self.budget_scale() * dt / elapsed if elapsed > 0 else 0.0
        allowance = self.options.energy_rtol * (moved + abs(supplied) + spread)
        allowance += 1e-12 * abs(stored)
        return mismatch / allowance

    def _energy_weights(self, coh: Coherence) -> list[NDArray[np.float64]]:
        """Energy per unit occupation of each bin, per 4 N(0) (meV^2): z h rho E for the
        quasi-particles, h D Omega for each dynamic bath (the weights of :meth:`energy`)."""
        h = self.grid.step
        w = [self.z * h * np.asarray(coh.rho) * self.grid.energy]
        for c in self.dynamic:
            w.append(h * np.asarray(self.baths[c].mode_density) * self.grid.omega)
        return w

    def step(self, t_stop: float = math.inf) -> KineticState:
        """Advance by one accepted adaptive step (not beyond ``t_stop``, ps)."""
        if self.state is None:
            raise RuntimeError("call start() before step()")
        if self.options.method != "etd2":
            raise ValueError("step() needs method='etd2'; use run() for scipy methods")
        tries = 0
        while True:
            st = self.state
            dt = min(self._dt, self._dt_cap(st.t), t_stop - st.t)
            if not dt > 0:
                raise ValueError(f"t_stop={t_stop} is not after the current time {st.t}")
            new, err = self._etd2(dt)
            if err <= 1.0:
                break
            self.rejected += 1
            tries += 1
            self._dt = dt * max(0.2, 0.9 / math.sqrt(err))
            if tries > 60 or self._dt < 1e-12:
                raise ConvergenceError(
                    f"step size underflow at t={st.t} ps (dt={self._dt:.3e} ps)", err, tries
                )
        self.steps += 1
        grow = 5.0 if err == 0 else min(5.0, 0.9 / math.sqrt(err))
        self._dt = dt * max(0.2, grow) if dt == self._dt else max(self._dt, dt)
        self.state = KineticState(st.t + dt, new[0], tuple(new[1:]), st.coherence)
        self._account(dt)
        self._maybe_update_gap()
        return self.state

    def gap_change(self, f, ns) -> float:
        """Change of (f, n) since the last gap update, weighted as the gap equation sees it.

        max of sum_i w_i |f_i - f_ref,i| with w = (rho / E) / sum(rho / E) (the weight of
        the BCS gap integral, dominated by the low-energy quasi-particles) and, for each
        dynamic bath, sum_j v_j |n_j - n_ref,j| with v = (g / Omega) / sum(g / Omega)
        (the weight of the pairing kernel, lambda = 2 int alpha^2F / Omega).

        Parameters
        ----------
        f : (n_qp,) float, dimensionless
            Quasi-particle distribution.
        ns : sequence of (n_boson,) float, dimensionless
            Occupations of the dynamic baths.

        Returns
        -------
        float, dimensionless
        """
        f_ref, n_ref = self._gap_ref
        rho = np.asarray(self.state.coherence.rho)
        w = rho / self.grid.energy
        w = w / w.sum() if w.sum() > 0 else np.full(w.size, 1.0 / w.size)
        change = float(np.sum(w * np.abs(np.asarray(f) - f_ref)))
        om = self.grid.omega
        for k, c in enumerate(self.dynamic):
            g = np.asarray(self.baths[c].coupling)
            v = np.zeros_like(g)
            v[1:] = g[1:] / om[1:]
            if v.sum() > 0:
                change = max(change, float(np.sum(v / v.sum() * np.abs(ns[k] - n_ref[k]))))
        return change

    def _maybe_update_gap(self, force: bool = False) -> None:
        st = self.state
        change = self.gap_change(st.f, st.n)
        if force or self.options.gap_every_step or change > self.options.gap_tol:
            coh = self.gap_update(self.grid, st.f, st.n, st.coherence)
            check_coherence(self.grid, coh)
            self.gap_updates += 1
            f = fill_gap(st.f, st.coherence, coh)
            e_old = self.energy(st.f, st.n, st.coherence)
            self.state = KineticState(st.t, f, st.n, coh)
            self._gap_ref = (f.copy(), tuple(x.copy() for x in st.n))
            self.gap_work += self.energy(f, st.n, coh) - e_old
            self._p_drive = self._drive_units(self.state)
            self._p_other = self._other_power(self.state)

    def _record(self, rec: dict) -> None:
        st = self.state
        rec["t"].append(st.t)
        rec["f"].append(st.f.copy())
        rec["n"].append(np.array(st.n).reshape(len(self.dynamic), self.grid.n_boson))
        rec["delta0"].append(st.coherence.delta0)
        rec["energy"].append(self.energy(st.f, st.n, st.coherence))
        rec["qp"].append(self.qp_density(st.f, st.coherence))
        rec["gap"].append(st.coherence.gap_table)
        rec["absorbed"].append(self.absorbed)
        rec["exchanged"].append(self.exchanged)
        rec["gap_work"].append(self.gap_work)
        rec["budget"].append(self.budget_error(st))
        lam = getattr(self.gap_update, "pairing_eigenvalue", None)
        rec["lambda"].append(
            float(lam(self.grid, st.f, st.n, st.coherence)) if lam is not None else math.nan
        )

    def run(self, t_eval: ArrayLike) -> KineticResult:
        """Integrate from the current state through the (increasing) times ``t_eval`` (ps).

        Records the state at each t_eval (a time equal to the current one records it
        as is). Returns a :class:`KineticResult`.
        """
        if self.state is None:
            raise RuntimeError("call start() before run()")
        times = np.asarray(t_eval, dtype=float)
        if times.ndim != 1 or np.any(np.diff(times) <= 0) or times[0] < self.state.t:
            raise ValueError("t_eval must be increasing and not before the current time")
        keys = ("t", "f", "n", "delta0", "energy", "qp", "gap", "absorbed", "exchanged")
        rec: dict = {k: [] for k in (*keys, "gap_work", "budget", "lambda")}
        budget = self.steps + self.rejected + self.options.max_steps
        for te in times:
            if self.options.method == "etd2":
                while self.state.t < te - 1e-12 * max(1.0, abs(te)):
                    self.step(te)
                    if self.steps + self.rejected > budget:
                        raise ConvergenceError(
                            f"max_steps={self.options.max_steps} reached at t={self.state.t} ps",
                            float("nan"),
                            self.steps,
                        )
            elif te > self.state.t:
                self._scipy_to(te)
            self._record(rec)
            self._check_budget(rec["budget"][-1])
        n_arr = np.array(rec["n"]).reshape(len(times), len(self.dynamic), self.grid.n_boson)
        budget = np.array(rec["budget"])
        lam = np.array(rec["lambda"])
        return KineticResult(
            np.array(rec["t"]),
            np.array(rec["f"]),
            n_arr,
            np.array(rec["delta0"]),
            np.array(rec["energy"]),
            np.array(rec["qp"]),
            self.steps,
            self.rejected,
            self.gap_updates,
            *_stack_gap_tables(rec["gap"]),
            absorbed=np.array(rec["absorbed"]),
            exchanged=np.array(rec["exchanged"]),
            gap_work=np.array(rec["gap_work"]),
            budget_error=budget,
            energy_budget_error=float(np.max(np.abs(budget))) / self.budget_scale(),
            pairing_eigenvalue=None if np.all(np.isnan(lam)) else lam,
        )

    def check_budget(self) -> None:
        """Raise ConvergenceError when the current state's budget error exceeds
        ``options.budget_tol`` (for callers that advance with :meth:`step`;
        :meth:`run` checks every recorded state)."""
        self._check_budget(self.budget_error())

    def _check_budget(self, error: float) -> None:
        """Raise ConvergenceError when |error| exceeds budget_tol x budget_scale()."""
        rel = abs(error) / self.budget_scale()
        if rel > self.options.budget_tol:
            raise ConvergenceError(
                f"energy budget violated at t={self.state.t:.6g} ps: the integration "
                f"created {error:.4g} meV^2 per 4 N(0), {rel:.3g} of the energy that "
                f"flowed (budget_tol={self.options.budget_tol:g}); tighten rtol, atol, gap_tol or "
                "energy_rtol, or, if energy leaves the grid, raise its upper end",
                rel,
                self.steps,
            )

    def _scipy_to(self, t_end: float) -> None:
        from scipy.integrate import solve_ivp

        st = self.state
        m, nb, nd = self.grid.n_qp, self.grid.n_boson, len(self.dynamic)
        coh = st.coherence

        def fun(t, y):
            f = y[:m]
            ns = [y[m + k * nb : m + (k + 1) * nb] for k in range(nd)]
            df, dn = self.rhs(t, f, ns, coh)
            return np.concatenate([df, *dn])

        y0 = np.concatenate([st.f, *st.n])
        sol = solve_ivp(
            fun,
            (st.t, t_end),
            y0,
            method=self.options.method.split(":", 1)[1],
            rtol=self.options.rtol,
            atol=self.options.atol,
            max_step=self._dt_cap(st.t),
        )
        if not sol.success:
            raise ConvergenceError(f"solve_ivp failed: {sol.message}", float("nan"), sol.nfev)
        self.steps += sol.t.size - 1
        for k in range(1, sol.t.size):  # budget over solve_ivp's own steps
            y = sol.y[:, k]
            self.state = KineticState(
                float(sol.t[k]),
                y[:m].copy(),
                tuple(y[m + j * nb : m + (j + 1) * nb].copy() for j in range(nd)),
                coh,
            )
            self._account(float(sol.t[k] - sol.t[k - 1]))
        self._maybe_update_gap()

    def calibrate_drive(
        self, index: int, energy: float, t_end: float, rtol: float = 1e-3, max_iter: int = 12
    ) -> float:
        """Fix a drive's Gamma so that it deposits ``energy`` by ``t_end`` (paper 001).

        Paper 001 fixes Gamma_pump "by matching the absorbed energy to the deposited
        energy". Starting from the linear-response value (:func:`gamma_from_energy`), the
        pulse is integrated from the current state to ``t_end`` and Gamma is corrected
        by secant steps on log(deposited) vs log(Gamma) (bleaching makes the deposition
        sub-linear; each step changes Gamma by at most a factor 4). The solver is left
        at the initial state with the calibrated drive.

        Parameters
        ----------
        index : int
            Which drive.
        energy : float, meV^2
            Target deposited energy per 4 N(0) (E_abs / (4 N(0)), with E_abs from
            :func:`~photosc.cores.kinetics.pump.absorbed_energy_density` in meV/nm^3 and
            N(0) in 1/(meV nm^3)).
        t_end : float, ps
            End of the window (e.g. t0 + 3 tau_pump).
        rtol : float
            Relative tolerance on the deposited energy.
        max_iter : int
            Maximum number of trial integrations.

        Returns
        -------
        float
            The calibrated Gamma, 1/ps.

        Raises
        ------
        ConvergenceError
            With the relative energy mismatch when ``max_iter`` is reached.
        """
        from dataclasses import replace

        from photosc.cores.kinetics.pump import gamma_from_energy

        if self.state is None:
            raise RuntimeError("call start() before calibrate_drive()")
        if not 0 <= index < len(self.drives):
            raise ValueError(f"index must be in [0, {len(self.drives)}), got {index}")
        if not energy > 0:
            raise ValueError(f"energy must be > 0, got {energy}")
        d = self.drives[index]
        start = self.state
        saved = (self._gap_ref, self._dt, self.steps, self.rejected, self.gap_updates)
        p1 = self.pump_power(d, start)
        gamma = gamma_from_energy(energy, p1, d.tau)

        def deposited(g: float) -> float:
            drives = list(self.drives)
            drives[index] = replace(d, gamma=g)
            self.drives = tuple(drives)
            self.state = start
            self._gap_ref, self._dt = saved[0], saved[1]
            self._reset_budget()
            self.run([t_end])
            return self.absorbed

        hist: list[tuple[float, float]] = []
        err = math.inf
        for _ in range(max_iter):
            e = deposited(gamma)
            if not e > 0:
                raise ConvergenceError("the drive deposits no energy", float("inf"), len(hist))
            err = abs(e / energy - 1.0)
            hist.append((math.log(gamma), math.log(e)))
            if err <= rtol:
                break
            if len(hist) >= 2 and hist[-1][1] != hist[-2][1]:
                (x0, y0), (x1, y1) = hist[-2], hist[-1]
                raw = (y1 - y0) / (x1 - x0)
                if raw < 0.01 and e < energy:
                    raise ConvergenceError(
                        f"the drive saturates: it deposits at most about {e:.4g} meV^2 "
                        f"(per 4 N(0)) by t_end, the target is {energy:.4g}",
                        err,
                        len(hist),
                    )
                slope = max(raw, 0.05)
            else:
                slope = 1.0
            step = (math.log(energy) - hist[-1][1]) / slope
            gamma = math.exp(hist[-1][0] + min(max(step, -math.log(4.0)), math.log(4.0)))
        else:
            raise ConvergenceError("pump calibration did not converge", err, max_iter)
        self.state = start
        self._gap_ref, self._dt, self.steps, self.rejected, self.gap_updates = saved
        self._reset_budget()
        return gamma

    def run_until_steady(
        self, rate_tol: float = 1e-6, t_max: float = 1e4, check_every: float = 1.0
    ) -> KineticState:
        """Integrate until max |df/dt| < rate_tol (1/ps) and the gap has settled.

        Parameters
        ----------
        rate_tol : float, 1/ps
            Tolerance on the largest |df/dt| and |dn/dt| (dynamic baths) after a forced
            gap update; the gap edge Delta_0 must also have changed by at most
            1e-9 max(1, Delta_0 / meV) meV since the previous check.
        t_max : float, ps
            Longest integration time after the current time.
        check_every : float, ps
            Interval between the checks.

        Raises
        ------
        ConvergenceError
            If t_max (ps, after the current time) is reached first; the residual is the
            last max |df/dt|.
        """
        if self.state is None:
            raise RuntimeError("call start() before run_until_steady()")
        t_end = self.state.t + t_max
        res = math.inf
        last_delta = self.state.coherence.delta0
        while self.state.t < t_end:
            self.run([min(self.state.t + check_every, t_end)])
            self._maybe_update_gap(force=True)
            st = self.state
            df, dn = self.rhs(st.t, st.f, st.n)
            res = float(np.max(np.abs(df)))
            for x in dn:
                res = max(res, float(np.max(np.abs(x))))
            d_delta = abs(st.coherence.delta0 - last_delta)
            last_delta = st.coherence.delta0
            if res < rate_tol and d_delta <= 1e-9 * max(1.0, last_delta):
                return st
        raise ConvergenceError(f"no steady state within t_max={t_max} ps", res, self.steps)
