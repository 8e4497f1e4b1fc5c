"""Accurate thermal gap edge Delta_0(T) on the real axis (issue 16, "speed" row 3).

The default real-axis solve (:meth:`~photosc.cores.eliashberg.EliashbergSolver.solve`,
broadening eta = step / 8) reads the gap edge Delta_0 (omega = Re Delta(omega),
:func:`~photosc.cores.eliashberg.gap_edge`) with an error that is not controlled at the
0.1 % level. Measured for K3C60 at 4 K, mu* = 0, against Matsubara + Pade
(:mod:`~photosc.cores.eliashberg.matsubara`, sums to 20 x the phonons, Pade through the
points below 200 meV: 8.7893 meV, stable within 0.01 % under the point set and the
cutoff 10-40 x):

(a) at eta = step / 8 the discrete fixed-point problem has several solutions near the
    gap edge (phi frozen per cell makes the cell holding the edge a steep function of
    Delta there): the same grid gives +1.10 % from the default start and -0.25 % from a
    start 3 % above or below (step 0.255 meV, eta = step / 16); +0.06 % and +0.35 % at
    step 0.127 meV, eta = step / 8. Which branch is found depends on where the edge falls
    in its cell, hence the scatter of ~0.3 step "not monotone in the step"; tighter
    tolerances do not change it (1e-6 to 1e-10: the same values);
(b) with eta >= step the solution is unique (starts 3 % above and below agree within
    1e-6) and smooth in eta, but biased: +0.57 / +1.06 / +1.96 % at eta = 0.125 / 0.25 /
    0.5 meV (h <= eta / 2), not linear (curvature ~ -0.55 %/meV^2);
(c) cutting the pairing integral at W = 5 x the highest phonon energy: +0.14 % (K3C60),
    +0.23 % (Pb at 1 K) against W = 10 x at the same step and eta.

Method
------
1. Estimate Delta_0 on a coarse grid (``n_coarse`` points, eta = 2 steps; once more on
   a grid of ~30 steps per gap if the gap spans fewer than 30 coarse steps; the default
   grid and solve where no gap edge is found).
2. One grid of step h = eta_1 / ``cells_per_eta`` (default 1.5), eta_1 = ``eta_ratio``
   (default 0.015) x Delta_0 (estimate), extent W; solve at eta_2 = 2 eta_1
   (warm-started from the coarse solution) and at eta_1 (warm-started from that), both
   unique (eta >= step).
3. Richardson extrapolation in the broadening, linear:
   Delta_0 = 2 Delta_0(eta_1) - Delta_0(eta_2) (removes the O(eta) bias (b); the
   O(eta^2) remainder is ~0.02 % at eta_1 = 0.015 Delta_0).
4. The pairing integral beyond W, added analytically to phi in every evaluation of the
   map (the normal-state tail of Z is already in the solver): far above the phonons
   phi_ph(omega) -> A / omega^2 (measured: Re phi omega^2 constant within ~3 % from
   5 to 10 x the phonons for K3C60 and Pb), so P(omega') = A / omega'^3 beyond W and

       phi_tail = A int_W^inf d omega' omega'^-3 int dOmega alpha^2F(Omega)
                  [2 (n + 1) / (omega' + Omega) + 2 n / (omega' - Omega)]

   (the kernel of :mod:`~photosc.cores.eliashberg.kernels` at omega << omega', f' = 0),
   a constant; A is the mean of Re[phi_ph(omega)] omega^2 over 0.85-0.97 W of the
   current evaluation (phi_ph = phi minus the constant mu* term). It lowers the W = 5 x
   bias (c) from +0.14 % to +0.01 % (K3C60) and from +0.23 % to +0.08 % (Pb, where
   Re phi omega^2 is still 25 % off its plateau at 0.85-0.97 W).

Equations: Marsiglio, Schossmann & Carbotte, PRB 37, 4965 (1988); Holcomb, PRB 54, 6648
(1996); paper 001 main text after Eq. 2 and SI Sec. I (real axis); Richardson
extrapolation, e.g. Press et al., Numerical Recipes 3rd ed., Sec. 4.3.

Accuracy (measured, mu* = 0, defaults; ranges over eight grids up to 6 % apart, i.e.
over where the edge falls in its cell; tests check Pb and K3C60 within 0.1 %): against
Matsubara + Pade, K3C60 at 4 K -0.066 to -0.080 %, Pb at 1 K +0.023 to +0.029 %, LaH10
at 30 K -0.001 to +0.010 %. One cell per eta_1 (``cells_per_eta=1``, 2/3 of the
points, ~1.5 x cheaper) scatters 4-10 x more: K3C60 -0.04 to -0.095 %.
The real-axis continuum limit itself (eta_1 = 0.01 Delta_0, h = eta_1 / 2, W = 5 x
with the tail; W = 6 x for Pb) is -0.06 % (K3C60), -0.05 % (Pb), -0.02 % (LaH10) from
Matsubara + Pade, whose own Delta_0 moves by < 0.01 % with the Pade point set (14-185
points) and the cutoff of the sums (10-40 x): a residual difference of the two
discretisations below 0.1 % that is not resolved here.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.eliashberg.kernels import DEFAULT_CUTOFF_FACTOR
from photosc.cores.eliashberg.solver import EliashbergResult, EliashbergSolver
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import bose
from photosc.foundation.units import KB

#: Window of the grid (fractions of W) over which the tail amplitude A is averaged.
TAIL_WINDOW = (0.85, 0.97)


def _tail_integral(w_top: float, a: NDArray[np.float64]) -> NDArray[np.float64]:
    """I(W, a) = int_W^inf dx / (x^3 (x + a)) (meV^-4) for |a| <= W / 2.

    Series in t = -a / W: I = W^-3 sum_k t^k / (k + 3) (|t| <= 1/2: 50 terms, < 1e-16).
    """
    t = -np.asarray(a, float) / w_top
    acc = np.zeros_like(t)
    p = np.ones_like(t)
    for k in range(50):
        acc += p / (k + 3)
        p = p * t
    return acc / w_top**3


class TailSolver(EliashbergSolver):
    """:class:`EliashbergSolver` whose pairing integral is continued beyond W analytically.

    Adds phi_tail = A K_tail (module docstring, step 4) to phi at every evaluation of the
    map; A is the mean of Re[phi_ph] omega^2 over :data:`TAIL_WINDOW` of the grid (phi_ph
    the phonon part of phi: phi minus the constant mu* term), K_tail (meV^-3) is set by
    :meth:`set_tail` for a thermal phonon occupation. Same parameters as
    :class:`EliashbergSolver`; W must be at least 2 x the highest phonon energy.
    Without :meth:`set_tail` it is the plain solver.
    """

    _k_tail: float = 0.0
    _tail_sel: NDArray[np.bool_] | None = None
    _tail_w2: NDArray[np.float64] | None = None

    def set_tail(self, kT: float) -> float:
        """Set the tail kernel for thermal phonons at k_B T (meV); returns K_tail (meV^-3).

        K_tail = 2 h sum_m alpha^2F(Omega_m) [(n_m + 1) I(W, Omega_m) + n_m I(W, -Omega_m)],
        I from :func:`_tail_integral`, n the Bose function (0 at kT = 0).
        """
        w_top = self.omega_max
        if w_top < 2.0 * self.omega_ph_max:
            raise ValueError(
                f"the tail needs omega_max >= 2 x the highest phonon energy "
                f"({2.0 * self.omega_ph_max:g} meV), got {w_top:g}"
            )
        w = self.phonon_omega[1:]
        g = self._a2f[1:]
        nn = bose(w, kT) if kT > 0 else np.zeros_like(w)
        ker = (nn + 1.0) * _tail_integral(w_top, w) + nn * _tail_integral(w_top, -w)
        self._k_tail = 2.0 * self.step * float(np.sum(g * ker))
        lo, hi = TAIL_WINDOW
        self._tail_sel = (self.omega >= lo * w_top) & (self.omega <= hi * w_top)
        self._tail_w2 = self.omega[self._tail_sel] ** 2
        return self._k_tail

    def _update(self, delta, f, z=None):
        dnew, znew, nd, pu = super()._update(delta, f, z)
        if self._tail_sel is None or self._k_tail == 0.0:
            return dnew, znew, nd, pu
        sel = self._tail_sel
        # the constant Coulomb part of phi (cell averages of P; the map uses the
        # omega'-weighted ones, equal to O(h^2), which only moves the fit of A)
        phi_c = -self.mu_star * self.step * float(np.sum(pu * (1.0 - 2.0 * f) * self._coul))
        phi_ph = (dnew[sel] * znew[sel]).real - phi_c
        amp = float(np.mean(phi_ph * self._tail_w2))
        return dnew + (amp * self._k_tail) / znew, znew, nd, pu


class ThermalGap(NamedTuple):
    """Result of :func:`thermal_gap`.

    Attributes
    ----------
    delta0 : float, meV
        Gap edge extrapolated to eta -> 0 (0 where no gap edge exists).
    delta0_eta : (2,) float, meV
        Delta_0 read off (:func:`~photosc.cores.eliashberg.gap_edge`) at eta_1 and eta_2.
    eta : (2,) float, meV
        The broadenings eta_1 and eta_2 = 2 eta_1.
    step : float, meV
        Grid step h of the two solves.
    n : int
        Grid points of the two solves.
    omega_max : float, meV
        Grid extent W.
    tail : float, meV^-3
        K_tail of :class:`TailSolver` (0: no tail).
    coarse_delta0 : float, meV
        The coarse estimate (step 1).
    resolved : bool
        False when the grid was capped at ``max_points`` (eta_1 then exceeds
        ``eta_ratio`` x Delta_0 and the accuracy statement does not apply) or no gap
        edge was found.
    result : EliashbergResult
        The solution at eta_1 (its ``delta0`` is the read-off at eta_1).
    """

    delta0: float
    delta0_eta: tuple[float, float]
    eta: tuple[float, float]
    step: float
    n: int
    omega_max: float
    tail: float
    coarse_delta0: float
    resolved: bool
    result: EliashbergResult


def _interp_start(result: EliashbergResult, omega: NDArray[np.float64]) -> NDArray[np.complex128]:
    """Delta of ``result`` interpolated linearly onto ``omega`` (a warm start)."""
    d = result.delta
    return np.interp(omega, result.omega, d.real) + 1j * np.interp(omega, result.omega, d.imag)


def _solve_eta(sol: EliashbergSolver, kT: float, eta: float, start) -> EliashbergResult:
    """Solve at the broadening ``eta``; on a ConvergenceError retry with the joint scheme
    and 1000 evaluations (never needed in the built-in scan, kept as the safety net)."""
    try:
        return sol.solve(kT=kT, eta=eta, warm_start=start)
    except ConvergenceError:
        return sol.solve(kT=kT, eta=eta, warm_start=start, scheme="joint", max_iter=1000)


def thermal_gap(
    spectrum_omega: ArrayLike,
    a2f: ArrayLike,
    mu_star: float,
    temperature: float,
    *,
    omega_max: float | None = None,
    omega_c: float | None = None,
    eta_ratio: float = 0.015,
    cells_per_eta: float = 1.5,
    tail: bool = True,
    n_coarse: int = 1024,
    max_points: int = 32768,
) -> ThermalGap:
    """Thermal gap edge Delta_0(T) on the real axis within ~0.1 % (module docstring).

    Coarse estimate, then two solves on one grid at eta_1 = ``eta_ratio`` x Delta_0 and
    2 eta_1 with step eta_1 / ``cells_per_eta``, Richardson extrapolation to eta -> 0,
    and the pairing integral continued beyond W (:class:`TailSolver`). Verified against
    Matsubara sums + Pade continuation (:mod:`~photosc.cores.eliashberg.matsubara`,
    mu* = 0): K3C60 at 4 K -0.07 to -0.08 %, Pb at 1 K +0.03 %, LaH10 at 30 K +0.01 %
    (tests: K3C60 and Pb within 0.1 %). CPU cost: 1.6-2.7 x that of Matsubara + Pade at
    equal accuracy (``benchmarks/bench_eliashberg.py`` [3]). Converges for the built-ins
    (LaH10, Pb, K3C60 with their mu*) at 0.05-0.95 T_c. The default solve
    (:meth:`EliashbergSolver.solve`) is unchanged.

    Parameters
    ----------
    spectrum_omega : (n_s,) float, meV
        Phonon energies of alpha^2F (increasing, >= 0).
    a2f : (n_s,) float, dimensionless
        alpha^2F on ``spectrum_omega``.
    mu_star : float, dimensionless
        Coulomb pseudopotential, sharp real-axis cutoff ``omega_c`` (as the solver).
    temperature : float, K
        Temperature (> 0).
    omega_max : float, meV, optional
        Grid extent W (default 5 x the highest phonon energy; >= 2 x with the tail).
    omega_c : float, meV, optional
        Coulomb cutoff (default W).
    eta_ratio : float, dimensionless
        eta_1 / Delta_0 (estimate). Smaller: smaller O(eta^2) remainder, finer grid.
    cells_per_eta : float, dimensionless
        eta_1 / step (>= 1 keeps the solutions unique).
    tail : bool
        Continue the pairing integral beyond W (:class:`TailSolver`).
    n_coarse : int
        Points of the coarse grid of the estimate.
    max_points : int
        Most points of the fine grid (near T_c, where Delta_0 -> 0, the step is capped
        at W / max_points and eta_1 = ``cells_per_eta`` x step; ``resolved`` False).

    Returns
    -------
    ThermalGap

    Raises
    ------
    ConvergenceError
        If a solve does not converge (not seen for the built-ins).
    """
    if not (temperature > 0 and math.isfinite(temperature)):
        raise ValueError(f"temperature must be > 0 K, got {temperature}")
    if not (eta_ratio > 0 and cells_per_eta > 0):
        raise ValueError("eta_ratio and cells_per_eta must be > 0")
    kt = KB * float(temperature)
    if omega_max is None:
        # the highest phonon energy as the solver defines it (alpha^2F above 1e-6 of its max)
        ws = np.asarray(spectrum_omega, float)
        g = np.asarray(a2f, float)
        pos = np.nonzero(g > 1e-6 * np.max(g))[0]
        w_top = DEFAULT_CUTOFF_FACTOR * float(ws[pos[-1]] if pos.size else ws[-1])
    else:
        w_top = float(omega_max)
    coarse_sol = EliashbergSolver(
        spectrum_omega, a2f, mu_star, omega_max=w_top, step=w_top / n_coarse, omega_c=omega_c
    )
    try:
        # eta = 2 steps: a unique solution, found in ~10-20 evaluations (the default
        # eta = step / 8 can stall, e.g. Pb at 1 K on this grid: 0.12 s); its bias of a
        # few % only moves the fine grid's step
        coarse = coarse_sol.solve(kT=kt, eta=2.0 * coarse_sol.step)
    except ConvergenceError:
        coarse = coarse_sol.solve(kT=kt)
    d_est = coarse.delta0
    if 0.0 < d_est < 30.0 * coarse_sol.step and coarse_sol.n < 8192:
        # a gap of < 30 coarse steps (K3C60 with its mu*: 2.3 meV on 1 meV steps, read
        # 15 % low at eta = 2 steps): once more on a grid of ~30 steps per gap
        n_c = min(8192, int(math.ceil(30.0 * w_top / d_est)))
        coarse_sol = EliashbergSolver(
            spectrum_omega, a2f, mu_star, omega_max=w_top, step=w_top / n_c, omega_c=omega_c
        )
        try:
            coarse = coarse_sol.solve(
                kT=kt, eta=2.0 * coarse_sol.step, warm_start=_interp_start(coarse, coarse_sol.omega)
            )
        except ConvergenceError:
            coarse = coarse_sol.solve(kT=kt)
        d_est = coarse.delta0
    if d_est <= 0.0:
        # the coarse grid may not resolve a small gap edge near T_c: the default grid
        coarse_sol = EliashbergSolver(
            spectrum_omega, a2f, mu_star, omega_max=w_top, omega_c=omega_c
        )
        coarse = coarse_sol.solve(kT=kt)
        d_est = coarse.delta0
    resolved = d_est > 0.0
    if resolved:
        step = eta_ratio * d_est / cells_per_eta
        n = int(math.ceil(w_top / step))
    else:
        n = coarse_sol.n
    if n > max_points:
        n = max_points
        resolved = False
    n = max(n, 64)
    step = w_top / n
    eta1 = cells_per_eta * step
    cls = TailSolver if tail else EliashbergSolver
    sol = cls(spectrum_omega, a2f, mu_star, omega_max=w_top, step=step, omega_c=omega_c)
    k_tail = sol.set_tail(kt) if tail else 0.0
    r2 = _solve_eta(sol, kt, 2.0 * eta1, _interp_start(coarse, sol.omega))
    r1 = _solve_eta(sol, kt, eta1, r2)
    d1, d2 = float(r1.delta0), float(r2.delta0)
    if d1 > 0.0 and d2 > 0.0:
        d0 = 2.0 * d1 - d2
    else:
        d0 = d1
        resolved = False
    return ThermalGap(
        delta0=d0,
        delta0_eta=(d1, d2),
        eta=(eta1, 2.0 * eta1),
        step=step,
        n=n,
        omega_max=sol.omega_max,
        tail=k_tail,
        coarse_delta0=float(coarse.delta0),
        resolved=resolved,
        result=r1,
    )
