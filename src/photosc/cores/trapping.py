"""Quasi-particle trapping: Delta(n), lambda(n), dn/dt and the lifetime of the trapped state.

Paper 000 (Chattopadhyay et al., npj Quantum Mater. 2025), Eqs. 4-8 and 36, Fig. 4.

After the phonon has relaxed, the quasi-particles are taken to stay in the Bogoliubov
distribution f(E) = 1/(exp((E + lam)/kT) + 1) at the bath temperature. At a fixed
density n per site the state (Delta, lambda) solves the gap equation Eq. 4 and the
density equation Eq. 5 (:mod:`photosc.cores.bcs`; a warm-started Newton iteration,
:func:`fixed_density_fast`, follows the branch), and n grows at the net gap-edge rate of
Eqs. 6-7 (:func:`photosc.cores.qp_rates.net_rate` for the low-frequency continuum,
:func:`photosc.cores.qp_rates.mode_net_rate` for the sharp molecular modes of Eq. 36).
The slow regime lasts while 2 Delta lies above the continuum (Omega_max); below, the
continuum opens and the gap collapses (the avalanche). :class:`TrappingModel` gives
tau_MS(n0) = int_{n0}^{n_av} dn / (dn/dt) by quadrature over a lambda grid
(:meth:`TrappingModel.curve`) and, as the reference, by time integration
(:meth:`TrappingModel.lifetime_ode`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores import bcs
from photosc.cores.kaplan import check_spectrum
from photosc.cores.qp_rates import Mode, mode_net_rate, net_rate
from photosc.errors import ConvergenceError

__all__ = [
    "TrappingCurve",
    "TrappingModel",
    "TrappingState",
    "fixed_density_fast",
    "normal_state_lambda",
    "normal_state_stable",
]


# --------------------------------------------------------------------------------------
# quasi-particle trapping: Delta(n), lambda(n), dn/dt, lifetime
# --------------------------------------------------------------------------------------
class TrappingState(NamedTuple):
    """State at fixed density: gap, Bogoliubov chemical potential, density, net rate.

    Attributes
    ----------
    delta, lam : float, meV
    n : float
        Quasi-particle density per site (nu0 times bcs.qp_density).
    rate : float, 1/ps
        dn/dt (per site).
    """

    delta: float
    lam: float
    n: float
    rate: float


class TrappingCurve(NamedTuple):
    """Lifetime of the trapped state versus the initial density (paper 000 Fig. 4).

    Attributes
    ----------
    lam : (k,) float, meV
        Bogoliubov chemical potential of each grid state (descending).
    delta : (k,) float, meV
        Gap (decreasing along the curve).
    n : (k,) float
        Density per site (ascending).
    rate : (k,) float, 1/ps
        dn/dt.
    lifetime : (k,) float, ps
        tau_MS(n0): time from n0 until the avalanche threshold n_av (0 beyond n_av).
    collapse_time : (k,) float, ps
        Time from n0 until the gap collapses (Delta -> 0), avalanche included.
    n_av : float
        Avalanche density, where 2 Delta = Omega_max.
    lam_av : float, meV
    """

    lam: NDArray[np.float64]
    delta: NDArray[np.float64]
    n: NDArray[np.float64]
    rate: NDArray[np.float64]
    lifetime: NDArray[np.float64]
    collapse_time: NDArray[np.float64]
    n_av: float
    lam_av: float


class TrappingModel:
    """Delta(t), lambda(t), n(t) after the phonon has relaxed (paper 000 Eqs. 4-8).

    The state at fixed density solves Eqs. 4-5 (bcs core); dn/dt is Eq. 6 with the
    low-frequency continuum alpha^2F (any array) plus the sharp molecular modes in the
    narrow band (Eq. 36 form). The slow regime lasts while 2 Delta lies above the
    continuum (Omega_max); below, the continuum opens and the gap collapses (avalanche).

    Parameters
    ----------
    kT : float, meV
        Bath temperature k_B T > 0.
    coupling : float
        nu(0) U0 (sets T_c).
    cutoff : float, meV
        Pairing cutoff of Eqs. 4-5.
    nu0 : float, 1/meV
        Density of states per spin per site of Eqs. 4-5 (also the Gaussian band's peak).
    sigma : float, meV
        Standard deviation of the Gaussian band (Methods).
    modes : sequence of Mode
        Sharp molecular modes.
    continuum_omega, continuum_a2f : (n,) float, meV and dimensionless, optional
        Low-frequency alpha^2F (only its part below ``omega_max`` is used).
    omega_max : float, meV
        Upper edge of the continuum.
    """

    def __init__(
        self,
        kT: float,
        coupling: float,
        cutoff: float,
        nu0: float,
        sigma: float,
        modes: Sequence[Mode],
        omega_max: float,
        continuum_omega: ArrayLike | None = None,
        continuum_a2f: ArrayLike | None = None,
    ) -> None:
        if not kT > 0:
            raise ValueError(f"kT must be > 0, got {kT}")
        if not nu0 > 0:
            raise ValueError(f"nu0 must be > 0, got {nu0}")
        self.kT = float(kT)
        self.coupling = float(coupling)
        self.cutoff = float(cutoff)
        self.nu0 = float(nu0)
        self.sigma = float(sigma)
        self.modes = tuple(modes)
        self.omega_max = float(omega_max)
        if continuum_omega is not None:
            w, a = check_spectrum(continuum_omega, continuum_a2f)
            keep = w <= omega_max
            self.c_omega, self.c_a2f = w[keep], a[keep]
        else:
            self.c_omega, self.c_a2f = np.array([0.0, omega_max]), np.zeros(2)
        self.delta0 = bcs.delta_zero(self.coupling, self.cutoff)

    # ---- pieces
    def rate(self, delta: float, lam: float) -> float:
        """dn/dt per site at (Delta, lambda), 1/ps (continuum + molecular modes).

        Parameters
        ----------
        delta : float, meV
            Gap >= 0.
        lam : float, meV
            Bogoliubov chemical potential.
        """
        r = mode_net_rate(self.modes, delta, lam, self.kT, self.nu0, self.sigma)
        if self.c_omega.size >= 2 and 2.0 * delta < self.c_omega[-1]:
            r += net_rate(self.c_omega, self.c_a2f, delta, lam, self.kT)
        return r

    def density(self, delta: float, lam: float) -> float:
        """n per site, Eq. 5 (nu0 times bcs.qp_density).

        Parameters
        ----------
        delta : float, meV
            Gap >= 0.
        lam : float, meV
            Bogoliubov chemical potential.

        Returns
        -------
        float, dimensionless (quasi-particles per site)
        """
        return self.nu0 * float(bcs.qp_density(delta, lam, self.kT, self.cutoff))

    def gap_at_lambda(self, lam: float, delta_guess: float | None = None) -> float:
        """Delta solving Eq. 4 at fixed lambda (bcs core), meV.

        Parameters
        ----------
        lam : float, meV
            Bogoliubov chemical potential.
        delta_guess : float, meV, optional
            Warm start of the gap solver.
        """
        return bcs.solve_gap(
            self.coupling, self.cutoff, kT=self.kT, lam=lam, delta_guess=delta_guess
        ).delta

    def state_at_density(self, n: float, delta_guess: float | None = None) -> TrappingState:
        """(Delta, lambda, n, dn/dt) at a fixed density n per site (bcs.fixed_density_state).

        Parameters
        ----------
        n : float, dimensionless
            Quasi-particle density per site (> 0).
        delta_guess : float, meV, optional
            Warm start of the gap.
        """
        st = bcs.fixed_density_state(
            n / self.nu0, self.kT, self.coupling, self.cutoff, delta_guess=delta_guess
        )
        return TrappingState(st.delta, st.lam, n, self.rate(st.delta, st.lam))

    def lambda_avalanche(self) -> float:
        """lambda where 2 Delta = Omega_max (the avalanche threshold), meV.

        Raises
        ------
        ValueError
            If 2 Delta(T = 0) <= Omega_max: no slow regime exists.
        """
        target = 0.5 * self.omega_max
        if self.delta0 <= target:
            raise ValueError(
                f"2 Delta(T=0) = {2 * self.delta0:.4g} meV <= omega_max = {self.omega_max} meV: "
                "the gap never lies in the phonon gap (no quasi-particle trapping)"
            )
        lo, hi = 0.0, self.kT
        while self.gap_at_lambda(hi) < target:
            hi *= 2.0
            if hi > 1e4 * self.kT:
                raise ConvergenceError("no lambda with 2 Delta > omega_max", hi, 0)
        if self.gap_at_lambda(lo) >= target:
            return 0.0
        from scipy.optimize import brentq

        return float(brentq(lambda x: self.gap_at_lambda(x) - target, lo, hi, xtol=1e-10 * self.kT))

    def lambda_collapse(self) -> float:
        """Smallest lambda >= 0 at which the gap is non-zero (Delta -> 0 below it), meV."""
        if self.gap_at_lambda(0.0) > 0:
            return 0.0
        lo, hi = 0.0, self.lambda_avalanche()
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if self.gap_at_lambda(mid) > 0:
                hi = mid
            else:
                lo = mid
            if hi - lo < 1e-7 * self.kT:
                break
        return hi

    def bcs_states(
        self, n_points: int = 60, n_small: float = 1e-4
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float]:
        """The states of the trapping curve: lambda grid, Delta(lambda), n/nu0, lambda_av.

        They depend only on (kT, coupling, cutoff), not on the bath or the band, so a scan
        over the band width can reuse them (:meth:`curve` with ``states``). The grid is
        uniform in lambda (geometric in the density) from ``n_small * n_av`` to the
        avalanche (n_points points), then uniform to the collapse (n_points // 3).

        Parameters
        ----------
        n_points : int
            Grid points in the slow regime (the avalanche regime gets n_points // 3).
        n_small : float, dimensionless
            Smallest density, in units of n_av.

        Returns
        -------
        (lam, delta, n_over_nu, lam_av)
            (k,) float meV, (k,) float meV, (k,) float meV (density per nu0), float meV.
        """
        lam_av = self.lambda_avalanche()
        lam_c = self.lambda_collapse()
        lam_top = lam_av - self.kT * math.log(n_small)
        lam_slow = np.linspace(lam_top, lam_av, n_points)
        lam_fast = np.linspace(lam_av, lam_c, max(n_points // 3, 4))[1:]
        lams = np.concatenate([lam_slow, lam_fast])
        deltas = np.empty_like(lams)
        guess = None
        for i, lm in enumerate(lams):
            deltas[i] = self.gap_at_lambda(float(lm), delta_guess=guess)
            guess = deltas[i] if deltas[i] > 0 else None
        n_nu = np.asarray(bcs.qp_density(deltas, lams, self.kT, self.cutoff), dtype=float)
        return lams, deltas, n_nu, lam_av

    def curve(
        self,
        n_points: int = 60,
        n_small: float = 1e-4,
        states: tuple[NDArray, NDArray, NDArray, float] | None = None,
    ) -> TrappingCurve:
        """tau_MS versus n0 by quadrature over a lambda grid (the fast path).

        tau_MS(n0) = int_{n0}^{n_av} dn / (dn/dt), and the collapse time the same integral
        up to the density where the gap vanishes; states are parametrised by lambda
        (Delta(lambda) from Eq. 4, n from Eq. 5), so no nested density solve is needed.

        Parameters
        ----------
        n_points : int
            Grid points in the slow regime (the avalanche regime gets n_points // 3).
        n_small : float
            Smallest density, in units of n_av.
        states : tuple, optional
            Output of :meth:`bcs_states` for the same (kT, coupling, cutoff, n_points).
        """
        lams, deltas, n_nu, lam_av = (
            states if states is not None else self.bcs_states(n_points, n_small)
        )
        ns = self.nu0 * n_nu
        n_av = float(ns[n_points - 1])
        rates = np.array([self.rate(float(d), float(lm)) for d, lm in zip(deltas, lams)])
        # the threshold point itself is taken from the slow side (2 Delta -> Omega_max+):
        # the continuum switches on as sqrt(Omega_max - 2 Delta), and the root finder puts
        # 2 Delta a hair below Omega_max
        i_av = n_points - 1
        rates[i_av] = mode_net_rate(
            self.modes, float(deltas[i_av]), float(lams[i_av]), self.kT, self.nu0, self.sigma
        )
        if np.any(rates <= 0):
            raise ConvergenceError("non-positive generation rate on the trapping curve", 0.0, 0)
        inv = 1.0 / rates
        seg = 0.5 * (inv[1:] + inv[:-1]) * np.diff(ns)
        collapse = np.concatenate([np.cumsum(seg[::-1])[::-1], [0.0]])
        life = np.maximum(collapse - collapse[n_points - 1], 0.0)
        return TrappingCurve(lams, deltas, ns, rates, life, collapse, n_av, lam_av)

    def lifetime_ode(self, n0: float, n_end: float, *, rtol: float = 1e-7) -> float:
        """Time for the density to grow from n0 to n_end by integrating dn/dt (reference), ps.

        The simple reference for :meth:`curve`: scipy's solve_ivp on d ln n/dt = rate/n
        where each right-hand side solves Eqs. 4-5 from scratch with
        :func:`photosc.cores.bcs.fixed_density_state`; stops when n reaches ``n_end``.

        Parameters
        ----------
        n0 : float, dimensionless
            Initial quasi-particle density per site (> 0).
        n_end : float, dimensionless
            Final density per site (> n0).
        rtol : float, dimensionless
            Relative tolerance of ``solve_ivp`` (on ln n).
        """
        from scipy.integrate import solve_ivp

        log_cap = math.log(2.0 * n_end)  # trial stages beyond the stop are clamped
        log_floor = math.log(n0) - 5.0

        def rhs(_t: float, y: NDArray[np.float64]) -> list[float]:
            n = math.exp(min(max(float(y[0]), log_floor), log_cap))
            return [self.state_at_density(n).rate / n]

        def reached(_t: float, y: NDArray[np.float64]) -> float:
            return float(y[0]) - math.log(n_end)

        reached.terminal = True  # type: ignore[attr-defined]
        st0 = self.state_at_density(n0)
        t_scale = (n_end - n0) / st0.rate
        sol = solve_ivp(
            rhs,
            (0.0, 1e3 * t_scale),
            [math.log(n0)],
            method="RK45",
            rtol=rtol,
            atol=1e-9,
            events=reached,
            first_step=1e-3 * n0 / st0.rate,
        )
        if not sol.t_events[0].size:
            raise ConvergenceError(
                "the density did not reach n_end within the window", float(sol.y[0, -1]), sol.nfev
            )
        return float(sol.t_events[0][0])


# --------------------------------------------------------------------------------------
# fast fixed-density state (warm-started Newton on Eqs. 4-5)
# --------------------------------------------------------------------------------------
_GX, _GW = np.polynomial.legendre.leggauss(8)
_STEP = np.array([-12.0, -6.0, -3.0, -1.5, 0.0, 1.5, 3.0, 6.0, 12.0])


def _xi_nodes(
    delta: float, lam: float, kT: float, cutoff: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes on geometric panels of [0, cutoff] (+ edges at a Fermi step)."""
    scale = max(min(delta, kT), 1e-9 * cutoff)
    edges = [np.array([0.0]), np.geomspace(1e-3 * scale, cutoff, 36)]
    if lam < 0:
        e_step = -lam + kT * _STEP
        xi = np.sqrt(np.maximum(e_step**2 - delta**2, 0.0))
        edges.append(xi[(xi > 0) & (xi < cutoff)])
    ed = np.unique(np.concatenate(edges))
    a = ed[:-1, None]
    h = np.diff(ed)[:, None]
    return (a + 0.5 * h * (_GX + 1.0)).ravel(), (0.5 * h * _GW).ravel()


def _equations(
    delta: float, lam: float, kT: float, cutoff: float, coupling: float, log_n: float
) -> tuple[float, float]:
    """(coupling * gap integral - 1, log(n/nu0) - log_n) of paper 000 Eqs. 4-5."""
    xi, w = _xi_nodes(delta, lam, kT, cutoff)
    e = np.sqrt(xi * xi + delta * delta)
    x = (e + lam) / kT
    gap = coupling * float(np.sum(w * np.tanh(0.5 * x) / e)) - 1.0
    log_f = -np.logaddexp(0.0, x)
    m = float(np.max(log_f))
    dens = math.log(4.0) + m + math.log(float(np.sum(w * np.exp(log_f - m))))
    return gap, dens - log_n


@numba.njit(cache=True)
def _equations_compiled(
    delta, lam, kT, cutoff, coupling, log_n, gx, gw, steps
):  # pragma: no cover - compiled
    """:func:`_equations` in one compiled pass (the same panels and nodes; the geometric
    edges as exp of a linear grid in log, ends exact; sums in order, so it agrees with
    the NumPy form to round-off, ~1e-15 relative)."""
    scale = max(min(delta, kT), 1e-9 * cutoff)
    n_geo = 36
    buf = np.empty(1 + n_geo + steps.size)
    buf[0] = 0.0
    lo, hi = math.log(1e-3 * scale), math.log(cutoff)
    for i in range(n_geo):
        buf[1 + i] = math.exp(lo + (hi - lo) * i / (n_geo - 1))
    buf[1] = 1e-3 * scale
    buf[n_geo] = cutoff
    m = 1 + n_geo
    if lam < 0:
        for k in range(steps.size):
            e_step = -lam + kT * steps[k]
            v = e_step * e_step - delta * delta
            xi = math.sqrt(v) if v > 0.0 else 0.0
            if xi > 0.0 and xi < cutoff:
                buf[m] = xi
                m += 1
    ed = np.unique(buf[:m])
    gap = 0.0
    top = -math.inf
    for p in range(ed.size - 1):  # first pass: the gap sum and the largest log f
        a, h = ed[p], ed[p + 1] - ed[p]
        for q in range(gx.size):
            xi = a + 0.5 * h * (gx[q] + 1.0)
            e = math.sqrt(xi * xi + delta * delta)
            x = (e + lam) / kT
            gap += 0.5 * h * gw[q] * math.tanh(0.5 * x) / e
            log_f = -(max(x, 0.0) + math.log1p(math.exp(-abs(x))))
            top = max(top, log_f)
    dens = 0.0
    for p in range(ed.size - 1):  # second pass: sum w f / max f
        a, h = ed[p], ed[p + 1] - ed[p]
        for q in range(gx.size):
            xi = a + 0.5 * h * (gx[q] + 1.0)
            x = (math.sqrt(xi * xi + delta * delta) + lam) / kT
            log_f = -(max(x, 0.0) + math.log1p(math.exp(-abs(x))))
            dens += 0.5 * h * gw[q] * math.exp(log_f - top)
    return coupling * gap - 1.0, math.log(4.0) + top + math.log(dens) - log_n


def _equations_fast(
    delta: float, lam: float, kT: float, cutoff: float, coupling: float, log_n: float
) -> tuple[float, float]:
    """:func:`_equations` compiled (:func:`_equations_compiled`), the form the Newton
    iteration of :func:`fixed_density_fast` evaluates (issue 16: 12 of the 21 s of the
    qp-trapping-protocol scenario were these NumPy calls)."""
    return _equations_compiled(
        float(delta), float(lam), float(kT), float(cutoff), float(coupling), float(log_n),
        _GX, _GW, _STEP,
    )  # fmt: skip


def fixed_density_fast(
    n_over_nu: float,
    kT: float,
    coupling: float,
    cutoff: float,
    guess: tuple[float, float],
    *,
    tol: float = 1e-10,
    max_iter: int = 50,
) -> tuple[float, float]:
    """(Delta, lambda) at fixed density by Newton from a warm start (paper 000 Eqs. 4-5).

    The same equations as :func:`photosc.cores.bcs.fixed_density_state` (which finds the
    branch from scratch and is used for the first point); here a 2-D Newton iteration in
    (ln Delta, lambda) with finite-difference Jacobian follows the branch from ``guess``.

    Parameters
    ----------
    n_over_nu : float, meV
        Density per nu(0) (4 int dxi n(E)).
    kT : float, meV
    coupling : float
        nu(0) U.
    cutoff : float, meV
    guess : (float, float), meV
        (Delta, lambda) of a nearby state, Delta > 0.
    tol : float
        Tolerance on both residuals.
    max_iter : int

    Returns
    -------
    (float, float), meV

    Raises
    ------
    ConvergenceError
        If Newton does not converge (e.g. the branch ends: the gap collapses).
    """
    log_n = math.log(n_over_nu)
    y = np.array([math.log(guess[0]), guess[1]])
    res = np.array(_equations_fast(math.exp(y[0]), y[1], kT, cutoff, coupling, log_n))
    it = 0
    for it in range(max_iter):  # noqa: B007
        if np.max(np.abs(res)) < tol:
            return math.exp(y[0]), float(y[1])
        jac = np.empty((2, 2))
        for k, hstep in enumerate((1e-7, 1e-7 * max(kT, abs(y[1])))):
            yy = y.copy()
            yy[k] += hstep
            jac[:, k] = (
                np.array(_equations_fast(math.exp(yy[0]), yy[1], kT, cutoff, coupling, log_n)) - res
            ) / hstep
        try:
            step = np.linalg.solve(jac, -res)
        except np.linalg.LinAlgError:
            break
        step[0] = np.clip(step[0], -0.5, 0.5)
        step[1] = np.clip(step[1], -5.0 * kT, 5.0 * kT)
        y = y + step
        res = np.array(_equations_fast(math.exp(y[0]), y[1], kT, cutoff, coupling, log_n))
    raise ConvergenceError(
        "fixed-density Newton (Eqs. 4-5) did not converge", float(np.max(np.abs(res))), it + 1
    )


def normal_state_lambda(n_over_nu: float, kT: float, cutoff: float) -> float:
    """lambda of the normal state (Delta = 0) holding the density n/nu0 (Eq. 5), meV.

    n/nu0 = 4 kT [ln(1 + e^{-lam/kT}) - ln(1 + e^{-(cutoff+lam)/kT})], inverted by brentq.

    Parameters
    ----------
    n_over_nu : float, meV
        Density per nu(0), in (0, 4 cutoff).
    kT : float, meV
        k_B T > 0.
    cutoff : float, meV
        Pairing cutoff of Eqs. 4-5.
    """
    from scipy.optimize import brentq

    def dens(lam: float) -> float:
        return 4.0 * kT * (np.logaddexp(0.0, -lam / kT) - np.logaddexp(0.0, -(cutoff + lam) / kT))

    if not 0 < n_over_nu < 4.0 * cutoff:
        raise ValueError(f"n/nu0 must be in (0, 4 cutoff), got {n_over_nu}")
    lo, hi = -cutoff - 60.0 * kT, 60.0 * kT
    while dens(hi) > n_over_nu:
        hi += 60.0 * kT
    return float(brentq(lambda x: math.log(dens(x)) - math.log(n_over_nu), lo, hi, xtol=1e-12))


def normal_state_stable(lam: float, kT: float, coupling: float, cutoff: float) -> bool:
    """True if Delta = 0 is the only solution near 0: coupling int tanh((xi+lam)/2T)/xi < 1.

    The Cooper instability of the normal state at fixed lambda (Eq. 4 at Delta -> 0); valid
    as a uniqueness criterion for lam >= 0 (bcs core); for lam < 0 it tests the normal
    state's linear stability only.

    Parameters
    ----------
    lam : float, meV
        Bogoliubov chemical potential.
    kT : float, meV
        k_B T > 0.
    coupling : float, dimensionless
        nu(0) U0.
    cutoff : float, meV
        Pairing cutoff of Eqs. 4-5.
    """
    xi, w = _xi_nodes(1e-9 * cutoff, lam, kT, cutoff)
    return bool(coupling * float(np.sum(w * np.tanh((xi + lam) / (2.0 * kT)) / xi)) < 1.0)
