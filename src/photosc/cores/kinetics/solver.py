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

The options and records (:class:`SolverOptions`, :class:`KineticState`,
:class:`KineticResult`) live in :mod:`.state`, the ETD2 functions phi1, phi2 in
:mod:`.etd`, and the energy budget (issue 12) in :mod:`.budget`, whose
:class:`~.budget.EnergyBudget` the solver inherits; all three records are importable
from here as before.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.kinetics.baths import (
    Bath,
    bath_channel,
    boson_factor,
    check_bath,
    thermal_occupation,
)
from photosc.cores.kinetics.budget import EnergyBudget
from photosc.cores.kinetics.coherence import Coherence, GapTable, check_coherence
from photosc.cores.kinetics.collisions import Channel, CollisionOperator
from photosc.cores.kinetics.etd import (
    _exp_phi12,
    etdrk4_coefficients,
    etdrk4_final,
    etdrk4_nonlinear,
    etdrk4_stage,
    etdrk4_stage_c,
)
from photosc.cores.kinetics.gap import fill_gap
from photosc.cores.kinetics.grid import KineticGrid, check_grid
from photosc.cores.kinetics.pump import Drive, check_drive
from photosc.cores.kinetics.state import (
    KineticResult,
    KineticState,
    SolverOptions,
    _stack_gap_tables,
)
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import fermi

__all__ = [
    "Calibration",
    "GapUpdate",
    "KineticResult",
    "KineticSolver",
    "KineticState",
    "SolverOptions",
]

#: Factor on the tolerances of :meth:`KineticSolver.calibrated_run`'s preliminary trials.
#: Their deposited energy barely depends on the integrator's tolerances: at 30 (was 10) the
#: loose trials' deposition moved by 2e-6 (LaH10, 6.2 mJ/cm^2) and 5e-5 (an Nb-like map
#: point) relative to the trials at 10, well below the rtol / 4 they aim at, while each
#: trial took about half the steps (issue 16). The accepted trial always runs at full
#: tolerance, so this factor sets cost only.
LOOSE = 30.0
#: Whether a secant step from two loose calibration trials, the last within rtol, goes to
#: full tolerance directly (:meth:`KineticSolver.calibrated_run`; issue 16). False runs
#: the loose trial at that step first, as before: one trial more, and the same Gamma
#: wherever that trial meets rtol / 4 (the secant's remainder is quadratic in the error).
SECANT_TO_FULL = True

#: Keys of the records that :meth:`KineticSolver._record` appends to.
_RECORD_KEYS = (
    "t", "f", "n", "delta0", "energy", "qp", "gap", "absorbed", "exchanged", "gap_work",
    "budget", "lambda",
)  # fmt: skip

GapUpdate = Callable[
    [KineticGrid, NDArray[np.float64], Sequence[NDArray[np.float64]], Coherence | None], Coherence
]


class Calibration(NamedTuple):
    """Outcome of :meth:`KineticSolver.calibrated_run`.

    Attributes
    ----------
    gamma : float, 1/ps
        The calibrated Gamma of the drive.
    deposited : float, meV^2
        Energy the accepted (full-tolerance) trial deposited by t_end, per 4 N(0).
    trials : int
        Full-tolerance trial integrations (the last one accepted and kept).
    loose_trials : int
        Preliminary trials at the loosened tolerances.
    records : list
        Per record time in the window: the one-time :class:`KineticResult` or what
        ``observe`` returned for it.
    """

    gamma: float
    deposited: float
    trials: int
    loose_trials: int
    records: list


class KineticSolver(EnergyBudget):
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
        # per-solver constants of the channels built at every collision evaluation
        self._boson_factor = {i: boson_factor(self.baths[i]) for i in self.dynamic}
        self._drive_weights: dict[Drive, NDArray[np.float64]] = {}
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
        self._gap_w_cache: tuple | None = None
        self._norm_w_cache: tuple | None = None
        self._energy_w_cache: tuple | None = None

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
        if o.error_norm not in ("deviation", "absolute", "gap"):
            raise ValueError(
                f"options.error_norm={o.error_norm!r}: allowed 'deviation', 'absolute' or 'gap'"
            )
        if not (o.method in ("etd2", "etdrk4") or o.method.startswith("scipy:")):
            raise ValueError(
                f"options.method={o.method!r}: allowed 'etd2', 'etdrk4' or 'scipy:<method>'"
            )

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
                chans.append(bath_channel(self.grid, b, n_list[k], self._boson_factor[i]))
                k += 1
            else:
                chans.append(self._reservoir[i])
        for d in self.drives:
            w = self._drive_weights.get(d)
            if w is None:  # a new drive (or Gamma): checked once
                check_drive(d)
                w = self._drive_weights.setdefault(d, d.weights(self.grid))
            chans.append(d.channel(self.grid, t, w))
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
        for k, c in enumerate(self.dynamic):
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

    # -- stepping --------------------------------------------------------------------
    def _dt_cap(self, t: float) -> float:
        cap = self.options.dt_max
        for d in self.drives:
            if math.isfinite(d.tau) and abs(t - d.t0) < 2.5 * d.tau:
                cap = min(cap, d.tau / 8.0)
            elif math.isfinite(d.tau) and t < d.t0:
                cap = min(cap, max(d.t0 - 2.5 * d.tau - t, d.tau / 8.0))
        return cap

    def _step_start(self, split0: tuple | None) -> tuple:
        """(t, coherence, split, [f, *n], [A_f, *A_n], [Lambda_f, *Lambda_n]) at the current
        state: the gain/loss split (:meth:`_split`) computed unless a retried step passes
        it."""
        st = self.state
        t, f, ns, coh = st.t, st.f, st.n, st.coherence
        if split0 is None:
            split0 = self._split(t, f, ns, coh)
        a_f, lam_f, a_n, lam_n = split0
        return t, coh, split0, [f, *ns], [a_f, *a_n], [lam_f, *lam_n]

    def _etd2(self, dt: float, split0: tuple | None = None) -> tuple:
        """One ETD2RK trial step of length dt (ps): (new arrays, error / allowance,
        the gain/loss split at the current state, re-used by a retried step)."""
        t, coh, split0, ys, a0, lam0 = self._step_start(split0)
        x = [lam * dt for lam in lam0]
        phis = [_exp_phi12(xx) for xx in x]  # (e^{-x}, phi1, phi2) per component
        stage = [y * e + a * p1 * dt for y, a, (e, p1, _) in zip(ys, a0, phis)]
        stage[0] = np.clip(stage[0], 0.0, 1.0)  # convex combination: only round-off
        stage[1:] = [np.maximum(s, 0.0) for s in stage[1:]]
        b_f, mu_f, b_n, mu_n = self._split(t + dt, stage[0], stage[1:], coh)
        a1 = [b_f, *b_n]
        lam1 = [mu_f, *mu_n]
        new, err = [], 0.0
        deviation = self.options.error_norm != "absolute"
        norms = self._norm_weights(coh) if self.options.error_norm == "gap" else None
        for k, (y, s, a, lam, b, mu, ph) in enumerate(zip(ys, stage, a0, lam0, a1, lam1, phis)):
            # N(y) = A(y) - (Lambda(y) - Lambda0) y; N(y0) = A0
            corr = (b - (mu - lam) * s - a) * ph[2] * dt
            y2 = s + corr
            bad = (y2 < 0) | ((y2 > 1) if k == 0 else False)
            y2 = np.where(bad, s, y2)
            err = max(err, self._local_error(k, y, y2, np.abs(y2 - s), norms))
            new.append(y2)
        if deviation:
            # energy rate of the equations themselves at both ETD2 points (y_n at t and the
            # exponential-Euler stage at t + dt): their trapezoid is what an exact
            # integration would add to the stored energy over the step
            weights = self._energy_weights(coh)
            r0 = sum(float(np.dot(w, a - lam * y)) for w, a, lam, y in zip(weights, a0, lam0, ys))
            r1 = sum(float(np.dot(w, b - mu * s)) for w, b, mu, s in zip(weights, a1, lam1, stage))
            err = max(err, self._energy_error(dt, new, coh, 0.5 * (r0 + r1) * dt))
        return new, err, split0

    def _local_error(self, k: int, y, y_new, diff, norms) -> float:
        """Local error of component ``k`` (0: f, then the dynamic baths) over its
        allowance: ``diff`` (the step's error estimate, dimensionless) against
        ``atol + rtol * dev``, dev the larger deviation of ``y`` and ``y_new`` from
        equilibrium (or their size with ``error_norm = "absolute"``), bin by bin or, with
        ``norms`` (``error_norm = "gap"``), in the weighted means of
        :meth:`_norm_weights` (:class:`SolverOptions`)."""
        o = self.options
        if o.error_norm != "absolute":
            ref = self._y_eq[k]
            dev = np.maximum(np.abs(y - ref), np.abs(y_new - ref))
        else:
            dev = np.maximum(np.abs(y), np.abs(y_new))
        if norms is None:
            return float(np.max(diff / (o.atol + o.rtol * dev)))
        # weighted means of the error and of the deviation (SolverOptions.error_norm)
        return max(
            float(np.dot(w, diff)) / (o.atol + o.rtol * float(np.dot(w, dev))) for w in norms[k]
        )

    def _etdrk4(self, dt: float, split0: tuple | None = None) -> tuple:
        """One ETDRK4 trial step of length dt (ps), as :meth:`_etd2` returns it.

        The four stages of Cox & Matthews (:func:`~.etd.etdrk4_coefficients`) with the
        diagonal Lambda(y_n) treated exactly and N(y) = A(y) - (Lambda(y) - Lambda_n) y
        (N(y_n) = A(y_n)). Stages are clipped to 0 <= f <= 1, n >= 0 before their rates
        are evaluated; an entry of y_n+1 outside that range is replaced by the
        exponential-Euler value (positive by construction), as in :meth:`_etd2`. Error
        measures: bin-wise (or ``"gap"``-weighted) |y_n+1 - c|, c the last stage (a
        second-order approximation of y_n+1, so this over-estimates the fourth-order
        error), and the energy criterion with the stages' energy rates combined by the
        classical Runge-Kutta weights (1, 2, 2, 1) / 6 as the supplied energy.
        """
        t, coh, split0, ys, a0, lam0 = self._step_start(split0)
        coefs = [etdrk4_coefficients(lam * dt) for lam in lam0]
        uppers = [1.0] + [math.inf] * (len(ys) - 1)  # 0 <= f <= 1, n >= 0
        weights = self._energy_weights(coh)

        def stage(bases: list, xs: list, n0: list | None = None) -> list:
            """Stage a or b (``n0`` None) or c of every component, clipped."""
            out = []
            for k, (base, x, (_, e2, h1, *_r)) in enumerate(zip(bases, xs, coefs)):
                s_k = np.empty_like(base)
                if n0 is None:
                    etdrk4_stage(base, e2, h1, dt, x, uppers[k], s_k)
                else:
                    etdrk4_stage_c(base, e2, h1, dt, x, n0[k], uppers[k], s_k)
                out.append(s_k)
            return out

        def n_of(split: tuple, y: list) -> tuple[list, float]:
            """N at a stage per component, and the stage's energy rate sum_k w_k . dy_k/dt."""
            af, lf, an, ln = split
            ns, rate = [], 0.0
            for wk, a, lam, l0, yy in zip(weights, [af, *an], [lf, *ln], lam0, y):
                n_k, r_k = np.empty_like(yy), np.empty_like(yy)
                etdrk4_nonlinear(a, lam, l0, yy, n_k, r_k)
                ns.append(n_k)
                rate += float(np.dot(wk, r_k))
            return ns, rate

        half = dt * 0.5
        sa = stage(ys, a0)
        na, rate_a = n_of(self._split(t + half, sa[0], sa[1:], coh), sa)
        sb = stage(ys, na)
        nb, rate_b = n_of(self._split(t + half, sb[0], sb[1:], coh), sb)
        sc = stage(sa, nb, a0)
        nc, rate_c = n_of(self._split(t + dt, sc[0], sc[1:], coh), sc)
        deviation = self.options.error_norm != "absolute"
        norms = self._norm_weights(coh) if self.options.error_norm == "gap" else None
        new, err = [], 0.0
        for k, (y, a, n1, n2, n3, c, (e, _e2, _h1, f1, f2, f3)) in enumerate(
            zip(ys, a0, na, nb, nc, sc, coefs)
        ):
            y4 = np.empty_like(y)
            if etdrk4_final(y, e, f1, f2, f3, dt, a, n1, n2, n3, uppers[k], y4):
                # the exponential-Euler value at the entries out of range (elementwise:
                # the same values as on the whole array)
                i = np.flatnonzero((y4 < 0) | ((y4 > 1) if k == 0 else False))
                y4[i] = e[i] * y[i] + dt * _exp_phi12(lam0[k][i] * dt)[1] * a[i]
            err = max(err, self._local_error(k, y, y4, np.abs(y4 - c), norms))
            new.append(y4)
        if deviation:
            rate_0 = sum(
                float(np.dot(wk, a - lam * yy)) for wk, a, lam, yy in zip(weights, a0, lam0, ys)
            )
            r = rate_0 + 2.0 * rate_a + 2.0 * rate_b + rate_c
            err = max(err, self._energy_error(dt, new, coh, r * dt / 6.0))
        return new, err, split0

    def step(self, t_stop: float = math.inf) -> KineticState:
        """Advance by one accepted adaptive step (not beyond ``t_stop``, ps)."""
        if self.state is None:
            raise RuntimeError("call start() before step()")
        if self.options.method not in ("etd2", "etdrk4"):
            raise ValueError("step() needs method 'etd2' or 'etdrk4'; use run() for scipy methods")
        trial = self._etdrk4 if self.options.method == "etdrk4" else self._etd2
        # the step-size exponent: ETD2's error estimates scale as dt^2, ETDRK4's energy
        # error (relative to the energy moved) as dt^4 and its bin-wise one as dt^3
        power = 0.25 if self.options.method == "etdrk4" else 0.5
        tries = 0
        split0 = None  # the rates at the current state do not depend on dt
        while True:
            st = self.state
            dt = min(self._dt, self._dt_cap(st.t), t_stop - st.t)
            if not dt > 0:
                raise ValueError(f"t_stop={t_stop} is not after the current time {st.t}")
            new, err, split0 = trial(dt, split0)
            if err <= 1.0:
                break
            self.rejected += 1
            tries += 1
            self._dt = dt * max(0.2, 0.9 * err**-power)
            if tries > 60 or self._dt < 1e-12:
                raise ConvergenceError(
                    f"step size underflow at t={st.t} ps (dt={self._dt:.3e} ps)", err, tries
                )
        self.steps += 1
        grow = 5.0 if err == 0 else min(5.0, 0.9 * err**-power)
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
        w, vs = self._gap_weights(self.state.coherence)
        change = float(np.sum(w * np.abs(np.asarray(f) - f_ref)))
        for k, v in enumerate(vs):
            if v is not None:
                change = max(change, float(np.sum(v * np.abs(ns[k] - n_ref[k]))))
        return change

    def _norm_weights(self, coh: Coherence) -> list[list[NDArray[np.float64]]]:
        """Weights of the ``"gap"`` error norm per component (kept for the last coherence).

        f: the gap equation's rho / E (as :meth:`gap_change`) and the quasi-particle
        number's rho, each normalised to sum 1; each dynamic bath: the pairing kernel's
        g / Omega (as :meth:`gap_change`; uniform where g = 0) and the boson number's
        mode density D, normalised likewise."""
        cached = self._norm_w_cache
        if cached is not None and cached[0] is coh:
            return cached[1]
        w_gap, vs = self._gap_weights(coh)
        rho = np.asarray(coh.rho, dtype=float)
        w_num = rho / rho.sum() if rho.sum() > 0 else np.full(rho.size, 1.0 / rho.size)
        out = [[w_gap, w_num]]
        nb = self.grid.n_boson
        for k, c in enumerate(self.dynamic):
            v = vs[k] if vs[k] is not None else np.full(nb, 1.0 / nb)
            d = np.asarray(self.baths[c].mode_density, dtype=float) * np.ones(nb)
            d = d / d.sum() if d.sum() > 0 else np.full(nb, 1.0 / nb)
            out.append([v, d])
        self._norm_w_cache = (coh, out)
        return out

    def _gap_weights(self, coh: Coherence) -> tuple:
        """Normalised weights of :meth:`gap_change` for the coherence ``coh`` (kept for
        the last coherence: the gap changes only at the gap updates)."""
        cached = self._gap_w_cache
        if cached is not None and cached[0] is coh:
            return cached[1]
        rho = np.asarray(coh.rho)
        w = rho / self.grid.energy
        w = w / w.sum() if w.sum() > 0 else np.full(w.size, 1.0 / w.size)
        om = self.grid.omega
        vs = []
        for c in self.dynamic:
            g = np.asarray(self.baths[c].coupling)
            v = np.zeros_like(g)
            v[1:] = g[1:] / om[1:]
            vs.append(v / v.sum() if v.sum() > 0 else None)
        self._gap_w_cache = (coh, (w, vs))
        return w, vs

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
        rec: dict = {k: [] for k in _RECORD_KEYS}
        budget = self.steps + self.rejected + self.options.max_steps
        for te in times:
            self._advance(te, budget)
            self._record(rec)
            self._check_budget(rec["budget"][-1])
        return self._result(rec)

    def _advance(self, te: float, budget: int) -> None:
        """Integrate to ``te`` (ps) without recording; ``budget`` limits steps + rejected."""
        if self.options.method in ("etd2", "etdrk4"):
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

    def _result(self, rec: dict) -> KineticResult:
        """The :class:`KineticResult` of the records ``rec`` (see :meth:`_record`)."""
        nt = len(rec["t"])
        n_arr = np.array(rec["n"]).reshape(nt, len(self.dynamic), self.grid.n_boson)
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

    def calibrated_run(
        self,
        index: int,
        energy: float,
        t_end: float,
        t_eval: ArrayLike = (),
        *,
        rtol: float = 1e-3,
        max_iter: int = 12,
        loose: float | None = None,
        hold_gap: bool | None = None,
        observe: Callable[[KineticResult], Any] | None = None,
    ) -> Calibration:
        """Calibrate a drive's Gamma (as :meth:`calibrate_drive`) and keep the accepted trial.

        The pulse window is integrated from the current state to ``t_end`` for trial
        values of Gamma; the trial that meets ``rtol`` on the deposited energy at the
        solver's own (full) tolerances is kept: the solver is left at ``t_end`` with
        that trial's state, counters and energy budget (as if :meth:`run` had been
        called from the start with the calibrated drive), and the states at the times
        ``t_eval`` inside the window are recorded during it. Nothing is integrated twice.
        The gap update's attributes (e.g. :class:`~.gap.EliashbergGap`'s last solution,
        the warm start of the next) are restored to their values at the call before each
        trial, so the kept trial is the same as a run from the start with its Gamma.

        The trials before it run at ``loose`` times the solver's ``rtol``, ``atol``
        and ``energy_rtol``, with the gap held at its initial value (``hold_gap``;
        otherwise ``gap_tol`` times ``loose``): the deposited energy is smooth in Gamma
        and depends on the integrator's error and on the gap's response only weakly,
        while the gap updates are the bulk of a strong-coupling run's cost. They start
        from the linear-response Gamma (:func:`~.pump.gamma_from_energy`) with secant
        steps on log(deposited) vs log(Gamma) (each changes Gamma by at most a factor 4)
        until they meet ``rtol / 4``; then full-tolerance trials follow, the first at
        the loose Gamma, the next ones corrected with the latest secant slope, until one
        meets ``rtol``. A secant step from two loose trials the last of which met ``rtol``
        goes to full tolerance directly: the loose trial at it would meet ``rtol / 4``
        (the secant's remainder is quadratic in the last error) and pass on the same
        Gamma.
        ``loose = 1`` runs every trial at full tolerance; so do the trials after loose
        ones that fail (an integration error, no deposited energy, ``max_iter``), which
        start again from the linear-response Gamma; a saturation that the loose trials
        see is confirmed at full tolerance from their last Gamma.

        Parameters
        ----------
        index : int
            Which drive.
        energy : float, meV^2
            Target deposited energy per 4 N(0) (see :meth:`calibrate_drive`).
        t_end : float, ps
            End of the calibration window (after the current time).
        t_eval : array_like, ps
            Increasing record times, not before the current time; those <= ``t_end``
            are recorded in the accepted trial (the others are ignored).
        rtol : float
            Relative tolerance on the deposited energy at full tolerance.
        max_iter : int
            Maximum number of trial integrations at each of the two tolerances.
        loose : float or None
            Factor (>= 1) on the tolerances of the preliminary trials (None: the module's
            :data:`LOOSE`, 30).
        hold_gap : bool or None
            Hold the gap fixed in the preliminary trials (no gap updates). None
            (default): hold it when ``rtol >= 0.01``; with a tighter ``rtol`` the gap is
            updated at ``loose`` times ``gap_tol``, since the gap's response shifts the
            deposition by up to about 0.7 % (LaH10 at 6.2 mJ/cm^2) and a held gap would
            then cost a second full-tolerance trial (issue 16).
        observe : callable, optional
            ``observe(result)`` is called right after each record with the one-time
            :class:`KineticResult` (e.g. to read the gap update's state at that time);
            its return values are kept. Default: the results themselves.

        Returns
        -------
        Calibration
            Gamma (1/ps), the deposited energy (meV^2), the numbers of trials and the
            records of the accepted trial.

        Raises
        ------
        ConvergenceError
            When the drive saturates below the target or ``max_iter`` is reached.
        """
        from dataclasses import replace

        from photosc.cores.kinetics.pump import gamma_from_energy

        if self.state is None:
            raise RuntimeError("call start() before calibrated_run()")
        if not 0 <= index < len(self.drives):
            raise ValueError(f"index must be in [0, {len(self.drives)}), got {index}")
        if not energy > 0:
            raise ValueError(f"energy must be > 0, got {energy}")
        if loose is None:
            loose = LOOSE
        if not loose >= 1:
            raise ValueError(f"loose must be >= 1, got {loose}")
        start = self.state
        if not t_end > start.t:
            raise ValueError(f"t_end={t_end} ps must be after the current time {start.t} ps")
        times = np.asarray(t_eval, dtype=float).reshape(-1)
        if np.any(np.diff(times) <= 0) or (times.size and times[0] < start.t):
            raise ValueError("t_eval must be increasing and not before the current time")
        times = times[times <= t_end]
        d = self.drives[index]
        full = self.options
        if hold_gap is None:
            hold_gap = rtol >= 0.01
        looser = replace(
            full,
            rtol=min(full.rtol * loose, 0.05),
            atol=full.atol * loose,
            energy_rtol=full.energy_rtol * loose,
            gap_tol=math.inf if hold_gap else full.gap_tol * loose,
            gap_every_step=False,
            budget_tol=math.inf,
        )
        saved = (self._gap_ref, self._dt, self.steps, self.rejected, self.gap_updates)
        # the gap update's own state (last solution, warm starts, counters) at the start:
        # restored before each trial, so that the kept trial is the run from the start
        gap_vars = getattr(self.gap_update, "__dict__", None)
        gap_saved = dict(gap_vars) if gap_vars is not None else None
        gamma = gamma_from_energy(energy, self.pump_power(d, start), d.tau)

        def trial(g: float, opts: SolverOptions, record: bool) -> tuple[float, list]:
            drives = list(self.drives)
            drives[index] = replace(d, gamma=g)
            self.drives = tuple(drives)
            self.options = opts
            self.state = start
            self._gap_ref, self._dt, self.steps, self.rejected, self.gap_updates = saved
            if gap_saved is not None:
                gap_vars.clear()
                gap_vars.update(gap_saved)
            self._reset_budget()
            rows: list = []
            try:
                budget = self.steps + self.rejected + opts.max_steps
                for te in times if record else ():
                    r = self.run([te])
                    rows.append(r if observe is None else observe(r))
                self._advance(t_end, budget)
            finally:
                self.options = full
            return self.absorbed, rows

        hist: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
        slope = 1.0
        n_loose = n_full = 0
        err = math.inf
        is_full = loose == 1.0
        gamma0 = gamma
        while True:
            if is_full:
                n_full += 1
                e, rows = trial(gamma, full, True)
            else:
                n_loose += 1
                try:
                    e, rows = trial(gamma, looser, False)
                except ConvergenceError:
                    e = math.nan
                if not e > 0:  # the loose trials failed: full-tolerance trials only
                    is_full, gamma, slope = True, gamma0, 1.0
                    continue
            if not e > 0:
                raise ConvergenceError("the drive deposits no energy", math.inf, n_full + n_loose)
            err = abs(e / energy - 1.0)
            h = hist[is_full]
            h.append((math.log(gamma), math.log(e)))
            # the loose trials aim at rtol / 4: the full-tolerance trial that follows
            # then meets rtol unless the tolerances shift the deposition by > 3/4 rtol
            if err <= (rtol if is_full else 0.25 * rtol):
                if is_full:
                    break
                is_full = True  # the loose Gamma is the first full-tolerance trial
                continue
            if len(h) >= 2 and h[-1][1] != h[-2][1]:
                (x0, y0), (x1, y1) = h[-2], h[-1]
                raw = (y1 - y0) / (x1 - x0)
                if raw < 0.01 and e < energy and not is_full:
                    # saturation seen by the loose trials: confirm it at full tolerance
                    is_full, gamma = True, math.exp(x1)
                    continue
                if raw < 0.01 and e < energy:
                    raise ConvergenceError(
                        f"the drive saturates: it deposits at most about {e:.4g} meV^2 "
                        f"(per 4 N(0)) by t_end, the target is {energy:.4g}",
                        err,
                        n_full + n_loose,
                    )
                slope = max(raw, 0.05)
            if len(h) >= max_iter:
                if not is_full:
                    is_full, gamma, slope = True, gamma0, 1.0
                    continue
                raise ConvergenceError("pump calibration did not converge", err, len(h))
            step = (math.log(energy) - h[-1][1]) / slope
            gamma = math.exp(h[-1][0] + min(max(step, -math.log(4.0)), math.log(4.0)))
            if SECANT_TO_FULL and not is_full and err <= rtol and len(h) >= 2:
                # a secant between two loose trials, the last within rtol: the next loose
                # trial would land within the secant's quadratic remainder (LaH10: 1e-6
                # after 1.6e-3), i.e. meet rtol / 4 and hand its Gamma -- this one -- to
                # the full-tolerance trial. Run that trial at it directly (issue 16).
                is_full = True
        return Calibration(gamma, e, n_full, n_loose, rows)

    def join(self, parts: Sequence[KineticResult]) -> KineticResult:
        """One :class:`KineticResult` of consecutive results of this solver's run.

        The per-time arrays are concatenated; steps, rejected and gap_updates are the
        last part's (the solver's counters), and ``energy_budget_error`` is the largest
        |budget_error| over the solver's current budget scale (as :meth:`run` computes
        it at its end).

        Parameters
        ----------
        parts : sequence of KineticResult
            Results in time order (e.g. :attr:`Calibration.records`, then :meth:`run`).
        """
        if not parts:
            raise ValueError("join needs at least one result")
        rec: dict = {k: [] for k in _RECORD_KEYS}
        for p in parts:
            rec["t"].extend(p.t)
            rec["f"].extend(p.f)
            rec["n"].extend(p.n)
            rec["delta0"].extend(p.delta0)
            rec["energy"].extend(p.energy)
            rec["qp"].extend(p.qp_density)
            if p.gap_delta is None:
                rec["gap"].extend([None] * p.t.size)
            else:
                rec["gap"].extend(
                    GapTable(p.gap_energy, dl, zz) for dl, zz in zip(p.gap_delta, p.gap_z)
                )
            rec["absorbed"].extend(p.absorbed)
            rec["exchanged"].extend(p.exchanged)
            rec["gap_work"].extend(p.gap_work)
            rec["budget"].extend(p.budget_error)
            lam = p.pairing_eigenvalue
            rec["lambda"].extend([math.nan] * p.t.size if lam is None else lam)
        if np.any(np.diff(np.asarray(rec["t"])) <= 0):
            raise ValueError("the results to join must follow each other in time")
        return self._result(rec)

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
