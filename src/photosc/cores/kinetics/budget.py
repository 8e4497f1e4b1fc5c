r"""Energy budget of the kinetics (issue 12): deposited, exchanged and created energy.

.. code-block:: text

    stored(t) - stored(start) = absorbed + exchanged + gap_work + budget_error

per 4 N(0), meV^2. ``stored`` is the quasi-particle + dynamic-bath energy
sum_i z h rho_i E_i f_i + sum_baths sum_j h D_j Omega_j n_j of paper 001 Eqs. 1-2 on the
kinetic grid; ``absorbed`` the time integral of the drive power (the pump of paper 001,
after main-text Eq. 2, with its Gaussian envelope integrated exactly); ``exchanged`` that
of the terms that do not conserve the stored energy (reservoir baths, phonon escape, the
tau_in relaxation of paper 004 Eq. 6); ``gap_work`` the energy steps at the adiabatic gap
updates (paper 001 SI, approximation (i)). The collision integrals conserve the stored
energy exactly on the grid, so ``budget_error`` is what the time integration created or
lost. The exponential steps (ETDRK4 or ETD2) are also accepted only when their own
energy balance holds (:meth:`EnergyBudget._energy_error`).

:class:`EnergyBudget` holds this bookkeeping as methods of
:class:`~photosc.cores.kinetics.solver.KineticSolver`, which inherits it; every method is
called on a solver (the attributes annotated on the class are the solver's).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from photosc.cores.kinetics.baths import Bath
from photosc.cores.kinetics.coherence import Coherence
from photosc.cores.kinetics.collisions import Channel, CollisionOperator
from photosc.cores.kinetics.etd import _step_integral
from photosc.cores.kinetics.grid import KineticGrid
from photosc.cores.kinetics.pump import Drive, envelope
from photosc.cores.kinetics.state import KineticState, SolverOptions
from photosc.errors import ConvergenceError


class EnergyBudget:
    """Energy bookkeeping of :class:`~photosc.cores.kinetics.solver.KineticSolver`.

    A mixin: the solver sets the attributes annotated below (its grid, baths, drives,
    collision operator, options and current state, and the budget accumulators, zeroed
    by :meth:`_reset_budget` at ``start()``) and inherits the methods.
    """

    grid: KineticGrid
    baths: tuple[Bath, ...]
    drives: tuple[Drive, ...]
    options: SolverOptions
    op: CollisionOperator
    z: float
    tau_in: float
    dynamic: list[int]
    state: KineticState | None
    steps: int
    absorbed: float
    exchanged: float
    gap_work: float
    _f_relax: NDArray[np.float64] | None
    _n_eq: list[NDArray[np.float64]]
    _reservoir: dict[int, Channel]
    _y_eq: list[NDArray[np.float64]]
    _flow_max: float
    _edev_max: float
    _t_start: float
    _e_start: float
    _p_drive: tuple[float, ...]
    _p_other: float
    _start_state: KineticState | None
    _drive_key: tuple | None
    _drive_expected: float
    _energy_w_cache: tuple | None

    @property
    def deposited(self) -> float:
        """Energy deposited by the drives since start(), per 4 N(0), meV^2 (= absorbed)."""
        return self.absorbed

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
        :class:`~.state.KineticResult`). The collision integrals conserve the stored energy
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
        whose envelope is below 1e-16 of its peak (it deposits nothing measurable).

        Evaluated by :meth:`pump_power_direct` (the drive couples to two boson bins: a
        few shifted products instead of the FFTs of the collision operator)."""
        return tuple(
            d.gamma * self.pump_power_direct(d, st)
            if d.gamma > 0 and envelope(st.t, d.tau, d.t0) > 1e-16
            else 0.0
            for d in self.drives
        )

    def pump_power_direct(self, drive: Drive, state: KineticState | None = None) -> float:
        """:meth:`pump_power` summed directly over the drive's two boson bins, meV^2/ps.

        The drive's channel is nonzero only at the two boson-grid energies around its
        photon energy (:meth:`~.pump.Drive.weights`), so each sum of the collision
        integrals (paper 001 SI Eq. 4; :mod:`.collisions`) over the boson energy has
        two terms: shifted products of (rho f, rho (1 - f), p f, p (1 - f)), O(N)
        instead of the O(N log N) FFT correlations of
        :meth:`~.collisions.CollisionOperator.evaluate`, summed with the energy weights
        as dot products (every summand of the rates is >= 0, so the FFT path's clipping
        of round-off below 0 has nothing to clip here). Equal to :meth:`pump_power` up
        to the FFT's round-off (tested to 1e-11 relative).

        Parameters
        ----------
        drive : Drive
            Supplies the photon energy (meV), coherence type and form (as
            :meth:`pump_power`).
        state : KineticState, optional
            State whose f and coherence absorb (default: the current state).
        """
        st = self.state if state is None else state
        if st is None:
            raise RuntimeError("call start() first")
        key = (drive.omega, drive.coherence, drive.form)
        cache = self.__dict__.setdefault("_unit_channels", {})
        if key not in cache:
            unit = Drive(drive.omega, 1.0, math.inf, 0.0, drive.coherence, drive.form)
            ch = unit.channel(self.grid, 0.0)
            bins = [(int(j), float(ch.gn[j]), float(ch.gn1[j])) for j in np.flatnonzero(ch.gn)]
            cache[key] = (ch, bins)
        ch, bins = cache[key]
        coh = st.coherence
        rho = np.asarray(coh.rho, dtype=float)
        p = np.asarray(coh.p, dtype=float)
        f = np.asarray(st.f, dtype=float)
        m = f.size
        has = rho > 0
        q = np.where(has, p / np.where(has, rho, 1.0), 0.0)
        rf, r1, pf, p1 = rho * f, rho * (1.0 - f), p * f, p * (1.0 - f)
        # energy per bin times (1 - f) (gain) and f (loss), with and without q = p / rho:
        # sum_i rho_i E_i [(1 - f_i) gain_i - f_i loss_i] as dot products of shifted arrays
        w = rho * self.grid.energy
        u, v = w * (1.0 - f), w * f
        uq, vq = u * q, v * q
        s_s, s_p = ch.s_scat, ch.s_pair
        total = 0.0
        for j, a, b in bins:
            if j < m:
                # scattering in: stimulated emission from E + W (gn1), absorption from
                # E - W (gn); out: absorption to E + W (gn), emission to E - W (gn1)
                k = m - j
                total += b * (np.dot(u[:k], rf[j:]) + s_s * np.dot(uq[:k], pf[j:]))
                total += a * (np.dot(u[j:], rf[:k]) + s_s * np.dot(uq[j:], pf[:k]))
                total -= a * (np.dot(v[:k], r1[j:]) + s_s * np.dot(vq[:k], p1[j:]))
                total -= b * (np.dot(v[j:], r1[:k]) + s_s * np.dot(vq[j:], p1[:k]))
            if ch.pair:
                # pair breaking in (gn) and recombination out (gn1) with the partner
                # E_k = W - E_i, k = j - 1 - i for i in [lo, hi)
                lo, hi = max(0, j - m), min(j, m)
                if hi > lo:
                    sl = slice(j - hi, j - lo)
                    total += a * (
                        np.dot(u[lo:hi], r1[sl][::-1]) + s_p * np.dot(uq[lo:hi], p1[sl][::-1])
                    )
                    total -= b * (
                        np.dot(v[lo:hi], rf[sl][::-1]) + s_p * np.dot(vq[lo:hi], pf[sl][::-1])
                    )
        return self.z * self.grid.step * self.op.c_qp * float(total)

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

    # -- step error ----------------------------------------------------------------
    def _energy_error(self, dt: float, new: list, coh: Coherence, supplied: float) -> float:
        """Energy-conservation error of a trial step, relative to its allowance.

        The exponential-integrator weights differ per component, so unlike an explicit
        Runge-Kutta step an ETD2 or ETDRK4 step does not keep the energy balance of the
        equations (a linear functional of the right-hand side); the violation concentrates
        in stiff components held quasi-steady (a hot quasi-particle tail). The step's
        stored-energy change E(y_new) - E(y) at fixed coherence is compared with
        ``supplied``, the quadrature of the equations' own energy rate sum_i w_i dy_i/dt
        over the step's stages (ETD2: the trapezoid of its two points; ETDRK4: the weights
        (1, 2, 2, 1) / 6 of its four stages) (drive power plus exchange, plus whatever the
        discretised collision integrals do not conserve, e.g. quasi-particles leaving the
        top of the grid: that is not an integration error and no step size removes it; the
        recorded budget, with the drive and exchange powers evaluated on their own, reports
        it). The mismatch must stay below ``energy_rtol`` times the energy that moved in the
        step (the summed |change| of the quasi-particle and each bath's energy plus
        |supplied|) plus ``energy_rtol`` times the budget scale (:meth:`budget_scale`) times
        dt / (t + dt - t_start), a share per unit of log-time. The accumulated error then
        stays below ``energy_rtol`` times (the run's energy turnover + the budget scale
        times ln(t_end / dt_first) ~ 20), whatever the number of steps, while a slow, late
        relaxation is not held to steps set by its small turnover (plus 1e-12 of the stored
        energy: round-off). Returns mismatch / allowance.
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
        quasi-particles, h D Omega for each dynamic bath (the weights of :meth:`energy`).
        Kept for the last coherence (it changes only at the gap updates)."""
        cached = self._energy_w_cache
        if cached is not None and cached[0] is coh:
            return cached[1]
        h = self.grid.step
        w = [self.z * h * np.asarray(coh.rho) * self.grid.energy]
        for c in self.dynamic:
            w.append(h * np.asarray(self.baths[c].mode_density) * self.grid.omega)
        self._energy_w_cache = (coh, w)
        return w

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
