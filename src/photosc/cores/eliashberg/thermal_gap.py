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
1. A ladder of grids of extent W, each solved at eta = ``cells_per_eta`` (default 1.5)
   x its step (a unique solution: eta >= step), each warm-started from the last (Delta
   and Z interpolated). The first has ``n_first`` (default 1024) points and gives the
   estimate of Delta_0. A grid is the eta_2 grid when its eta / 2 is at most
   :data:`ACCEPT` (1.2) x ``eta_ratio`` (default 0.015) x Delta_0 of its own solve
   (Pb and LaH10 at their defaults: the first grid, eta_1 / Delta_0 = 0.018 and 0.014);
   otherwise the next grid is the one with eta_2 = 2 ``eta_ratio`` Delta_0, after one
   more estimate on ~16 steps per gap if the gap spans fewer than :data:`MIN_STEPS`
   steps (K3C60 at mu* = 0: 1024, 5666 points). Where no gap edge is found on the first
   grid, the default grid and solve estimate it (near T_c).
2. The eta_1 = eta_2 / 2 solve on a grid of half the step (the same cells per eta),
   started from (Delta, Z) extrapolated linearly in eta from the last two grids' solutions
   where there are two (:func:`_secant_start`), else from the eta_2 solution, and with
   the eta_2 solve's Anderson pairs interpolated onto its grid
   (:meth:`~photosc.cores.eliashberg.KeptHistory.prolonged`: Pb 9 -> 7, LaH10 9 -> 8,
   K3C60 6 -> 3 evaluations; Delta_0 moves by 3e-5 to 8e-5 relative, within what the
   solves' tolerance allows). Every solve converges to :data:`SOLVE_TOL`.
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

Accuracy (measured 2026-12-07 09:10 UTC, mu* = 0, defaults; ranges over six first grids
of 900-1150 points, i.e. over where the edge falls in its cells; tests check Pb and K3C60
within 0.1 %): against Matsubara + Pade, K3C60 at 4 K -0.070 % (-0.068 to -0.087 %),
Pb at 1 K +0.053 % (+0.002 to +0.053 %), LaH10 at 30 K -0.020 % (-0.028 to +0.000 %).
The eta_2 solve on a grid of its own scatters more over grids than both solves on the
eta_1 grid (the scheme before, Pb +0.023 to +0.029 %) at about two thirds of the
evaluations. The dependence on W is larger than either (the tail's A / omega^2 is not
yet reached at 0.85-0.97 W): at W = 4.7, 5.3, 6 and 7 x the phonons Pb +0.109, -0.031,
-0.051, -0.023 %; K3C60 -0.062, -0.077, -0.097, -0.100 %; LaH10 +0.051, -0.011,
+0.028, -0.012 %.
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
from photosc.cores.eliashberg.solver import EliashbergResult, EliashbergSolver, KeptHistory
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import bose
from photosc.foundation.units import KB

#: Window of the grid (fractions of W) over which the tail amplitude A is averaged.
TAIL_WINDOW = (0.85, 0.97)

#: The first grid's eta / 2 is taken as eta_1 when it is at most this multiple of
#: ``eta_ratio`` x Delta_0 (the grid then already resolves the gap to the accuracy asked).
ACCEPT = 1.2

#: A gap edge spanning fewer grid steps than this is read poorly (~15 % low at 8 steps):
#: the next grid is chosen for ~2 x this many steps per gap before eta_1 is fixed.
MIN_STEPS = 8.0

#: Convergence of the solves (max |Delta' - Delta| / max |Delta| and the same for Z).
#: The extrapolated Delta_0 against solves to 1e-8: Pb +0.002 %, K3C60 +0.003 %,
#: LaH10 +0.007 % at 1e-4; Pb +0.009 %, LaH10 +0.03 % at 3e-4; up to 0.34 % at 1e-3.
SOLVE_TOL = 1e-4


def _tail_integral(w_top: float, a: NDArray[np.float64]) -> NDArray[np.float64]:
    """I(W, a) = int_W^inf dx / (x^3 (x + a)) (meV^-4) for |a| <= W / 2.

    With t = -a / W: I = W^-3 S(t), S(t) = sum_k t^k / (k + 3)
    = -[log(1 - t) + t + t^2 / 2] / t^3; the closed form for |t| >= 0.1 (cancellation
    error < 1e-12 relative), the series to t^15 below (truncation < 1e-17).
    """
    t = -np.asarray(a, float) / w_top
    small = np.abs(t) < 0.1
    ts = np.where(small, t, 0.0)
    acc = np.zeros_like(t)
    for k in range(15, -1, -1):  # Horner
        acc = acc * ts + 1.0 / (k + 3)
    tl = np.where(small, 0.5, t)
    closed = -(np.log1p(-tl) + tl + 0.5 * tl * tl) / tl**3
    return np.where(small, acc, closed) / w_top**3


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
    _tail_sel: slice | None = None
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
        both = _tail_integral(w_top, np.concatenate([w, -w]))  # one call for I(W, +-Omega)
        ker = (nn + 1.0) * both[: w.size] + nn * both[w.size :]
        self._k_tail = 2.0 * self.step * float(np.sum(g * ker))
        lo, hi = TAIL_WINDOW
        # the cells of the window: a contiguous run of the (increasing) grid
        inside = np.nonzero((self.omega >= lo * w_top) & (self.omega <= hi * w_top))[0]
        self._tail_sel = slice(int(inside[0]), int(inside[-1]) + 1)
        self._tail_w2 = self.omega[self._tail_sel] ** 2
        return self._k_tail

    def _phi_extra(self, phi, pu, f) -> float:
        """phi_tail = A K_tail (meV), A the mean of Re[phi_ph] omega^2 over the window."""
        if self._tail_sel is None or self._k_tail == 0.0:
            return 0.0
        sel = self._tail_sel
        phi_ph = phi[sel].real
        if self.mu_star != 0.0:
            # the constant Coulomb part of phi (cell averages of P; the map uses the
            # omega'-weighted ones, equal to O(h^2), which only moves the fit of A)
            phi_ph = phi_ph + self.mu_star * self.step * float(
                np.dot(pu * (1.0 - 2.0 * f), self._coul)
            )
        return float(np.dot(phi_ph, self._tail_w2)) / phi_ph.size * self._k_tail


class ThermalGap(NamedTuple):
    """Result of :func:`thermal_gap`.

    Attributes
    ----------
    delta0 : float, meV
        Gap edge extrapolated to eta -> 0 (0 where no gap edge exists).
    delta0_eta : (2,) float, meV
        Delta_0 read off (:func:`~photosc.cores.eliashberg.gap_edge`) at eta_1 and eta_2.
    eta : (2,) float, meV
        The broadenings eta_1 and eta_2 = 2 eta_1 (``cells_per_eta`` x the step of
        their grids).
    step : float, meV
        Grid step h of the eta_1 solve (the eta_2 grid has 2 h).
    n : int
        Grid points of the eta_1 solve (the eta_2 grid has n / 2).
    omega_max : float, meV
        Grid extent W.
    tail : float, meV^-3
        K_tail of :class:`TailSolver` (0: no tail).
    coarse_delta0 : float, meV
        The first estimate (the first grid's Delta_0; method step 1).
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


def _interp_start(result: EliashbergResult, omega: NDArray[np.float64]) -> EliashbergResult:
    """``result`` with Delta and Z interpolated linearly onto ``omega`` (a warm start: the
    solver takes both, so that the lagged Z does not restart from the normal state)."""

    def on(y: NDArray[np.complex128]) -> NDArray[np.complex128]:
        return np.interp(omega, result.omega, y.real) + 1j * np.interp(omega, result.omega, y.imag)

    return result._replace(omega=omega, delta=on(result.delta), z=on(result.z))


def _secant_start(
    r0: EliashbergResult, r1: EliashbergResult, eta: float, omega: NDArray[np.float64]
) -> EliashbergResult:
    """A start at ``eta`` on ``omega``: (Delta, Z) extrapolated linearly in the broadening
    from the solutions ``r0`` (at r0.eta) and ``r1`` (at r1.eta), both interpolated onto
    ``omega``. From eta_2 to eta_1 it saves about a third of the evaluations (Pb, LaH10:
    9 to 6) against the eta_2 solution alone."""
    a, b = _interp_start(r0, omega), _interp_start(r1, omega)
    c = (eta - r1.eta) / (r1.eta - r0.eta)
    return b._replace(delta=b.delta + c * (b.delta - a.delta), z=b.z + c * (b.z - a.z))


def _solve_eta(
    sol: EliashbergSolver, kT: float, eta: float, start, keep: KeptHistory | None = None
) -> EliashbergResult:
    """Solve at the broadening ``eta`` to :data:`SOLVE_TOL` (continuing the Anderson pairs
    of ``keep``, which then holds this solve's); on a ConvergenceError retry with the
    joint scheme and 1000 evaluations (never needed in the built-in scan, kept as the
    safety net)."""
    try:
        return sol.solve(kT=kT, eta=eta, warm_start=start, tol=SOLVE_TOL, keep=keep)
    except ConvergenceError:
        return sol.solve(
            kT=kT, eta=eta, warm_start=start, tol=SOLVE_TOL, scheme="joint", max_iter=1000
        )


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
    n_first: int = 1024,
    max_points: int = 32768,
) -> ThermalGap:
    """Thermal gap edge Delta_0(T) on the real axis within ~0.1 % (module docstring).

    A ladder of grids with eta = ``cells_per_eta`` x step: the first (``n_first``
    points) estimates Delta_0; the last is the eta_2 solve, and the eta_1 solve runs on a
    grid of half its step; Richardson extrapolation to eta -> 0, the pairing integral
    continued beyond W (:class:`TailSolver`). Verified against Matsubara sums + Pade
    continuation (:mod:`~photosc.cores.eliashberg.matsubara`, mu* = 0): K3C60 at 4 K
    -0.07 %, Pb at 1 K +0.05 %, LaH10 at 30 K -0.02 % (tests: K3C60 and Pb within
    0.1 %). CPU cost against Matsubara + Pade at equal accuracy
    (``benchmarks/bench_eliashberg.py`` [3], 2026-12-07): K3C60 0.4 x, LaH10 1.6 x,
    Pb 2.3 x. Converges for the built-ins (LaH10, Pb,
    K3C60 with their mu*) at 0.05-0.95 T_c. The default solve
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
        Target eta_1 / Delta_0. Smaller: smaller O(eta^2) remainder, finer grids. Where
        the first grid already gives eta_1 <= :data:`ACCEPT` x ``eta_ratio`` x Delta_0 it
        is kept as the eta_2 grid (eta_1 / Delta_0 then below the target or up to 20 %
        above it: Pb 0.018, LaH10 0.014 at the defaults).
    cells_per_eta : float, dimensionless
        eta / step on every grid (>= 1 keeps the solutions unique).
    tail : bool
        Continue the pairing integral beyond W (:class:`TailSolver`).
    n_first : int
        Points of the first grid.
    max_points : int
        Most points of the eta_1 grid (near T_c, where Delta_0 -> 0, its step is capped
        at W / max_points; ``resolved`` False).

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
    if n_first < 64 or max_points < 128:
        raise ValueError(
            f"n_first must be >= 64 and max_points >= 128, got {n_first} and {max_points}"
        )
    kt = KB * float(temperature)
    if omega_max is None:
        # the highest phonon energy as the solver defines it (alpha^2F above 1e-6 of its max)
        ws = np.asarray(spectrum_omega, float)
        g = np.asarray(a2f, float)
        pos = np.nonzero(g > 1e-6 * np.max(g))[0]
        w_top = DEFAULT_CUTOFF_FACTOR * float(ws[pos[-1]] if pos.size else ws[-1])
    else:
        w_top = float(omega_max)
    cls = TailSolver if tail else EliashbergSolver

    def grid(n: int) -> EliashbergSolver:
        """The solver on n points of extent W (with the tail kernel set)."""
        sol = cls(spectrum_omega, a2f, mu_star, omega_max=w_top, step=w_top / n, omega_c=omega_c)
        if isinstance(sol, TailSolver):
            sol.set_tail(kt)
        return sol

    def solve(n: int, start: EliashbergResult | None, keep: KeptHistory) -> EliashbergResult:
        """A solve on the ladder; ``keep`` then holds its Anderson pairs."""
        sol = grid(n)
        warm = None if start is None else _interp_start(start, sol.omega)
        return _solve_eta(sol, kt, cells_per_eta * sol.step, warm, keep)

    half_cap = max_points // 2
    n = min(n_first, half_cap)
    keep = KeptHistory()  # the Anderson pairs of the last solve on the ladder
    trail = [solve(n, None, keep)]
    d_first = trail[0].delta0
    on_ladder = True  # the last solve has eta = cells_per_eta x step (it can be eta_2)
    if d_first <= 0.0:
        # a small gap near T_c may not show on the first grid: estimate it on the
        # default grid (eta = step / 8, with the solver's continuation in eta)
        est = EliashbergSolver(spectrum_omega, a2f, mu_star, omega_max=w_top, omega_c=omega_c)
        trail = [est.solve(kT=kt)]
        d_first = trail[0].delta0
        n = est.n
        on_ladder = False
    resolved = d_first > 0.0
    fixed = not resolved
    while not fixed:
        d = trail[-1].delta0
        ratio = cells_per_eta * (w_top / n) / (2.0 * d) if d > 0.0 else math.inf
        if on_ladder and ratio <= ACCEPT * eta_ratio:
            break
        n_next = math.ceil(n * ratio / eta_ratio) if d > 0.0 else 2 * n
        fixed = True
        if d > 0.0 and d < MIN_STEPS * w_top / n:
            refine = math.ceil(2.0 * MIN_STEPS * w_top / d)
            if refine < n_next:
                # a poor estimate: once more on a grid that reads it well
                n_next, fixed = refine, False
        if n_next >= half_cap:
            n_next, fixed, resolved = half_cap, True, False
        n = n_next
        keep = KeptHistory()
        trail.append(solve(n, trail[-1], keep))
        on_ladder = True
    r2 = trail[-1]
    sol = grid(2 * r2.omega.size)
    k_tail = sol._k_tail if isinstance(sol, TailSolver) else 0.0
    eta1 = cells_per_eta * sol.step
    if len(trail) > 1 and trail[-2].eta != r2.eta:
        start = _secant_start(trail[-2], r2, eta1, sol.omega)
    else:
        start = _interp_start(r2, sol.omega)
    # the eta_2 solve's Anderson pairs, interpolated onto the eta_1 grid, start its solve
    r1 = _solve_eta(
        sol, kt, eta1, start, keep.prolonged(r2.omega, sol.omega) if on_ladder else None
    )
    d1, d2 = float(r1.delta0), float(r2.delta0)
    if d1 > 0.0 and d2 > 0.0:
        d0 = 2.0 * d1 - d2
    else:
        d0 = d1
        resolved = False
    return ThermalGap(
        delta0=d0,
        delta0_eta=(d1, d2),
        eta=(eta1, float(r2.eta)),
        step=sol.step,
        n=sol.n,
        omega_max=sol.omega_max,
        tail=k_tail,
        coarse_delta0=float(d_first),
        resolved=resolved,
        result=r1,
    )
