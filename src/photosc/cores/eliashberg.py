"""Isotropic Migdal-Eliashberg equations on the real frequency axis, thermal or not.

API (for the kinetics of paper 001, which calls this at every time step)
------------------------------------------------------------------------
::

    from photosc.cores.eliashberg import EliashbergSolver, solve_eliashberg, critical_temperature

    solver = EliashbergSolver(spectrum.omega, spectrum.a2f, mu_star=0.11,
                              omega_max=None, step=None, omega_c=None)   # set-up once
    solver.omega          # (n,) meV, electron energies (cell centres (j + 1/2) * step)
    solver.phonon_omega   # (n_ph,) meV, phonon energies m * step, m = 0 .. n_ph - 1
    res = solver.solve(kT=0.3)                            # thermal f and n at k_B T (meV)
    res = solver.solve(f=f_on_omega, n=n_on_phonon_omega, warm_start=res)  # non-thermal
    res.delta, res.z      # (n,) complex: Delta(omega), Z(omega)
    res.dos               # (n,) quasi-particle DOS Re[omega / sqrt(omega^2 - Delta^2)]
    res.pair_density      # (n,) Re[Delta / sqrt(omega^2 - Delta^2)]
    res.delta0            # gap edge Delta_0 (meV): omega = Re Delta(omega)
    tc_K = solver.critical_temperature()                  # T_c (K), linearised equations
    eig = solver.pairing_eigenvalue(f=f, n=n, v0=eig)     # lambda_max (> 1: Cooper-unstable)
    op = order_parameter(res, f)          # delta_low, delta_max, dos_ef, superfluid_weight
    is_superconducting(op)                # "gapped" / "gapless" / "normal"

``f`` is the electron (quasi-particle) distribution at the energies ``solver.omega``
(omega > 0); particle-hole symmetry f(-omega) = 1 - f(omega) (no charge imbalance)
is assumed to fold the integrals onto omega' > 0. ``n`` is the phonon occupation at
``solver.phonon_omega``. Use :func:`on_grid` to interpolate from other grids.
A warm start (a previous result or a complex Delta array) makes successive solves
along a trajectory cheap.

Equations
---------
Constant-DOS Migdal-Eliashberg self-energy on the real axis (Marsiglio, Schossmann &
Carbotte, PRB 37, 4965 (1988); Holcomb, PRB 54, 6648 (1996); the form paper 001
solves, main text after Eq. 2 and SI Sec. I), with Delta = phi / Z and, for
omega' > 0, the densities

    N(omega') = Re[omega' / sqrt(omega'^2 - Delta(omega')^2)],
    P(omega') = Re[Delta(omega') / sqrt(omega'^2 - Delta(omega')^2)]

(retarded branch: principal square root, Re sqrt >= 0 for omega' > 0):

    omega [1 - Z(omega)] = int_0^W d omega' int dOmega alpha^2F(Omega) N(omega') {
          [n + f'] [1/(omega - omega' + Omega + i0) + 1/(omega + omega' - Omega + i0)]
        + [n + 1 - f'] [1/(omega - omega' - Omega + i0) + 1/(omega + omega' + Omega + i0)] }
        + (normal-state tail omega' > W, analytic)

    phi(omega) = int_0^W d omega' int dOmega alpha^2F(Omega) P(omega') {
          [n + 1 - f'] [1/(omega + omega' + Omega + i0) - 1/(omega - omega' - Omega + i0)]
        + [n + f'] [1/(omega + omega' - Omega + i0) - 1/(omega - omega' + Omega + i0)] }
        - mu* int_0^omega_c d omega' P(omega') [1 - 2 f(omega')]

with n = n(Omega), f' = f(omega'). This is the Holcomb form with the occupation
factors [1 - f + n] and [f + n]; f and n enter linearly and separately, so any
non-thermal f(E), n(Omega) can be used. Thermal: f = fermi(omega, kT), n = bose.

Method
------
* Kernels: every term is a one-dimensional function of omega - omega' or
  omega + omega', built from the complex Hilbert transforms
  H_g(x) = int g(Omega) / (x - Omega + i0) dOmega of g = alpha^2F and alpha^2F n
  (product integration of the piecewise-linear g: exact weights
  w(s) = (s+1) ln|s+1| - 2 s ln|s| + (s-1) ln|s-1|), applied as Toeplitz and Hankel
  products with real FFTs: O(n log n) per iteration, no n x n kernel.
* Cell integrals: the densities N and P are integrated over each cell
  [j h, (j+1) h] with phi = Z Delta frozen at the cell centre and omega' Z(omega')
  linear in the cell (the Z of the previous iterate; ``_cell_densities``), so that
  Delta(omega') = phi / Z(omega') follows the dip Delta ~ omega' below Gamma / Z
  (Gamma = Im[omega Z] at omega -> 0, the scattering rate: ~0.5 meV for K3C60 at
  20 K, where a pump depletes f), from the exact antiderivatives
  S = sqrt(u^2 - phi^2), log(u + S) of u = omega' Z (product integration), so neither
  the 1/sqrt gap edge nor the low-energy dip costs accuracy. P enters the pairing
  integrals with the weight omega'/omega_j (the kernel is odd in omega' for a
  particle-hole symmetric f), exactly as in the linearised operator: the map's gain
  for small Delta equals the linearised eigenvalue (tests: within 1e-4 on the
  production K3C60 grids; with Delta frozen per cell and omega' + i eta it was 2-9 %
  low, and Delta_0 = 0 at 0.97 T_c on the 0.5 meV grid).
* Cutoff: the omega' integral for Z is completed analytically beyond W in the
  normal state (N = 1, f = 0): tail(omega) = int dOmega alpha^2F(Omega) {
  n ln|(W - Omega - omega)/(W - Omega + omega)|
  + (n + 1) ln|(W + Omega - omega)/(W + Omega + omega)| },
  so Z(0) does not depend on W.
* mu* convention: sharp cutoff omega_c on the real axis (default omega_c = W =
  5 x the highest phonon energy). :func:`rescale_mu_star` converts a mu* between
  cutoffs with 1/mu*(omega_c) = 1/mu + ln(E/omega_c). A sharp real-axis cutoff and a
  sharp Matsubara cutoff at the same energy agree only far above the phonons: for Pb
  T_c agrees to 0.4 % at 30 x omega_ph but differs by 2.5 % at 5 x omega_ph (tests).
* Broadening: the gap edge is broadened by eta = step / 8 (see
  :class:`EliashbergSolver`) as phi^2 -> phi^2 - 2 i eta Re Z |phi| g, equivalent to
  omega' -> omega' + i eta at the edge; g = min(1, |phi / (omega Z)|^4) confines it
  to the edge and the gap (far above it, where P ~ Delta / omega', a broadening
  linear in |phi| would bias the cubic term of the gap equation by ~2 eta / Delta and
  shrink the gap near T_c by ~15 % on a 0.5 meV grid), and it vanishes for
  Delta -> 0 (the linearised problem needs none). Delta_0 is biased by about
  -0.6 eta at low T.
* Resolution: the gap edge needs a few grid steps below Delta_0. K3C60 (T_c0 =
  15.0 K on the production grids): Delta_0(14 K) = 1.080 / 1.035 / 1.031 meV at
  steps 1 / 0.5 / 0.25 meV (1.03-1.04 converged); at 0.98 T_c0 max |Delta| = 3.3 meV
  and Delta_0 = 0.52 meV on the 0.5 meV grid (on the 1 meV grid the gap-edge crossing
  is not resolved, Delta_0 = 0, while max |Delta| = 2.3 meV: a gapless-looking state,
  see :func:`order_parameter`). Choose ``step`` <= Delta_0 / 5 for the temperatures
  of interest.
* Iteration: Anderson mixing on (Re Delta, Im Delta), the Z of the cell
  interpolation lagged by one step (converged with Delta); failure raises
  :class:`~photosc.errors.ConvergenceError` with the residual.
* T_c: largest eigenvalue of the linearised phi equation (ARPACK, FFT mat-vec)
  crossing 1, bracketed root search (Brent) in T.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numba
import numpy as np
import scipy.fft as sfft
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigs

from photosc.cores.spectra import allen_dynes_tc
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import bose, fermi
from photosc.foundation.units import KB

__all__ = [
    "DEFAULT_CUTOFF_FACTOR",
    "EliashbergResult",
    "EliashbergSolver",
    "OrderParameter",
    "PairingEigen",
    "SC_DELTA_OVER_ETA",
    "critical_temperature",
    "gap_edge",
    "is_superconducting",
    "on_grid",
    "order_parameter",
    "rescale_mu_star",
    "solve_eliashberg",
    "superfluid_weight",
]

#: Default real-axis extent W = Coulomb cutoff omega_c, in units of the highest phonon energy.
DEFAULT_CUTOFF_FACTOR = 5.0


class EliashbergResult(NamedTuple):
    """Solution of the real-axis Eliashberg equations.

    Attributes
    ----------
    omega : (n,) float, meV
        Electron energies (cell centres).
    delta : (n,) complex, meV
        Gap function Delta(omega) = phi / Z.
    z : (n,) complex
        Renormalisation Z(omega).
    dos : (n,) float
        Quasi-particle DOS Re[omega / sqrt(omega^2 - Delta^2)] (cell averages), normalised
        to 1 in the normal state.
    pair_density : (n,) float
        Re[Delta / sqrt(omega^2 - Delta^2)] (cell averages).
    delta0 : float, meV
        Gap edge: the solution of omega = Re Delta(omega) (0 in the normal state).
    iterations : int
    residual : float
        max |Delta_new - Delta| / max(max |Delta|, 1e-12 meV) at the last iteration.
    eta : float, meV
        Broadening used in the density integrals (see ``EliashbergSolver``).
    """

    omega: NDArray[np.float64]
    delta: NDArray[np.complex128]
    z: NDArray[np.complex128]
    dos: NDArray[np.float64]
    pair_density: NDArray[np.float64]
    delta0: float
    iterations: int
    residual: float
    eta: float = 0.0


def rescale_mu_star(mu_star: float, omega_c_from: float, omega_c_to: float) -> float:
    """Convert a Coulomb pseudopotential between sharp cutoffs.

    1 / mu*(omega_c) = 1 / mu + ln(E_el / omega_c) (Morel-Anderson), hence
    mu*_to = mu*_from / (1 + mu*_from ln(omega_c_from / omega_c_to)).

    Parameters
    ----------
    mu_star : float
        mu* defined with cutoff ``omega_c_from``.
    omega_c_from, omega_c_to : float, meV
        Cutoffs (> 0).
    """
    if omega_c_from <= 0 or omega_c_to <= 0:
        raise ValueError(f"cutoffs must be > 0 meV, got {omega_c_from}, {omega_c_to}")
    den = 1.0 + mu_star * math.log(omega_c_from / omega_c_to)
    if den <= 0:
        raise ValueError(
            f"mu*={mu_star} cannot be moved from {omega_c_from} to {omega_c_to} meV "
            "(the Morel-Anderson rescaling diverges)"
        )
    return mu_star / den


def on_grid(x: ArrayLike, y: ArrayLike, grid: ArrayLike, fill: float | None = None):
    """Linear interpolation of samples (x, y) onto ``grid``.

    Outside [x[0], x[-1]] the end values are held, or ``fill`` if given.

    Parameters
    ----------
    x : (m,) float, any unit (e.g. meV)
        Sample abscissae, increasing.
    y : (m,) float, unit of the sampled quantity
        Samples (e.g. a distribution f, dimensionless).
    grid : array_like, unit of ``x``
        Where to evaluate.
    fill : float, optional, unit of ``y``
        Value outside [x[0], x[-1]] (default: hold the end values).

    Returns
    -------
    float array of the shape of ``grid``, unit of ``y``
    """
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    if fill is None:
        return np.interp(grid, x, y)
    return np.interp(grid, x, y, left=fill, right=fill)


def _hilbert_weights(s: NDArray[np.float64]) -> NDArray[np.float64]:
    """PV int_{-1}^{1} (1 - |t|) / (s - t) dt for the hat function (exact)."""

    def xlx(u):
        a = np.abs(u)
        out = np.zeros_like(a)
        nz = a > 0
        out[nz] = u[nz] * np.log(a[nz])
        return out

    return xlx(s + 1.0) - 2.0 * xlx(s) + xlx(s - 1.0)


@numba.njit(cache=True, fastmath=False, inline="always")
def _line(z, h, j):  # pragma: no cover - compiled
    """omega' Z(omega') = a + s omega' in cell j of the grid (j + 1/2) h: (a, s), complex.

    s: central difference of omega_j Z_j (one-sided at the ends, as np.gradient);
    a = omega_j Z_j - s omega_j. The line is kept on the retarded side over the cell
    (Re and Im of omega' Z >= 0 at both cell edges, since Im[omega Z] = -Im Sigma >= 0):
    a slope with Re s <= 0 is replaced by the frozen s = Z_j, and a negative Re or Im at
    an edge (the extrapolation into cell 0, round-off) is lifted to 0.
    """
    n = z.size
    wj = (j + 0.5) * h
    uc = wj * z[j]
    if n == 1:
        s = z[j]
    elif j == 0:
        s = (1.5 * h * z[1] - uc) / h
    elif j == n - 1:
        s = (uc - (j - 0.5) * h * z[j - 1]) / h
    else:
        s = ((j + 1.5) * h * z[j + 1] - (j - 0.5) * h * z[j - 1]) / (2.0 * h)
    if not s.real > 0.0:
        s = z[j]
    a = uc - s * wj
    ua = a + s * (j * h)
    ub = a + s * ((j + 1) * h)
    lift_re = min(ua.real, ub.real)
    lift_im = min(ua.imag, ub.imag)
    if lift_re < 0.0:
        a = a - lift_re
    if lift_im < 0.0:
        a = a - 1j * lift_im
    return a, s


@numba.njit(cache=True, fastmath=False, inline="always")
def _factors(a, s, h, j, inv):  # pragma: no cover - compiled
    """Small-Delta cell factors for the line u = a + s omega' in cell j: (cw, cu).

    cw = (1 / (h omega_j)) int_cell omega' d omega' / u (weighted), cu = (1 / h)
    int_cell d omega' / u (plain), so that P -> Re[phi cw] or Re[phi cu] for Delta -> 0;
    ``inv`` = 1 / u(omega_j). Exact (logarithm) where r = s h / u(omega_j) has
    |r| > 0.05, else the expansion in r to O(r^6) (error below 1e-13).
    cu is inf for u = 0 at omega' = 0 (a = 0 in cell 0; not used there).
    """
    wj = (j + 0.5) * h
    r = s * h * inv
    if r.real * r.real + r.imag * r.imag > 0.0025:
        ua = a + s * (j * h)
        ub = a + s * ((j + 1) * h)
        if ua == 0:
            return 1.0 / (s * wj), complex(np.inf, 0.0)
        lg = np.log(ub / ua)
        return (h / s - a / (s * s) * lg) / (h * wj), lg / (s * h)
    r2 = r * r
    # (1/h) int_{-h/2}^{h/2} dt / (u_c + s t) = (1/u_c) (1 + r^2/12 + r^4/80 + r^6/448), and
    # (1/h) int t dt / (u_c + s t) = -(h r / 12) (1 + 3 r^2 / 20 + 3 r^4 / 112) / u_c
    cu = (1.0 + r2 * (1.0 / 12.0 + r2 * (1.0 / 80.0 + r2 / 448.0))) * inv
    first = (-(h / 12.0) / wj) * r * (1.0 + r2 * (0.15 + r2 * 3.0 / 112.0)) * inv
    return cu + first, cu


@numba.njit(cache=True, fastmath=False)
def _line_factors(z, h):  # pragma: no cover - compiled
    """Small-Delta cell factors (cw, cu) of every cell for Z = ``z`` (see :func:`_factors`)."""
    n = z.size
    cw = np.empty(n, dtype=np.complex128)
    cu = np.empty(n, dtype=np.complex128)
    for j in range(n):
        a, s = _line(z, h, j)
        cw[j], cu[j] = _factors(a, s, h, j, 1.0 / (a + s * ((j + 0.5) * h)))
    return cw, cu


@numba.njit(cache=True, fastmath=False)
def _cell_densities(delta, z, h, eta):  # pragma: no cover - compiled
    """Cell integrals of N and P with omega' Z(omega') linear and phi = Z Delta frozen.

    In cell j, u(omega') = omega' Z(omega') = A_j + s_j omega' (:func:`_line` of ``z``)
    and phi_j = Delta_j Z_j, so Delta(omega') = phi_j omega' / u(omega') follows the
    dip Delta ~ omega' below Gamma / Z; with c = phi_j^2 - 2 i eta Re(Z_j) |phi_j| g,
    g = min(1, |phi_j / (omega_j Z_j)|^4) (the broadening of the gap edge, omega' ->
    omega' + i eta there, confined to the edge and the gap, vanishing with phi):

        N = Re[u / sqrt(u^2 - c)],  P = Re[phi / sqrt(u^2 - c)],

    integrated exactly with the antiderivatives S = sqrt(u^2 - c), L = log(u + S)
    (principal branches, retarded side): int N = Re[(S_b - S_a) / s],
    int P = Re[phi (L_b - L_a) / s], int (omega'/omega_j) P = Re[phi (S - A L)|_a^b /
    (s^2 omega_j)]. Far above the gap (|c| < 0.02 |u_a|^2) the square root is expanded
    about the cell centre, times the exact small-Delta factors of :func:`_factors`,
    so that for Delta -> 0 the densities are exactly those of the linearised operator.

    Returns
    -------
    nd : (n,) float
        Cell average of N.
    pu : (n,) float
        Cell average of P.
    pw : (n,) float
        Weighted average (1 / (h omega_j)) int_cell omega' P d omega'.
    """
    n = delta.size
    nd = np.empty(n)
    pu = np.empty(n)
    pw = np.empty(n)
    for j in range(n):
        d = delta[j]
        if d == 0:
            nd[j] = 1.0
            pu[j] = 0.0
            pw[j] = 0.0
            continue
        phi = d * z[j]
        zr = abs(z[j].real)
        if zr == 0.0:
            zr = 1.0
        a, s = _line(z, h, j)
        wj = (j + 0.5) * h
        ua = a + s * (j * h)
        uc = a + s * wj
        p2 = phi.real * phi.real + phi.imag * phi.imag
        u2 = uc.real * uc.real + uc.imag * uc.imag
        g = min(1.0, (p2 / u2) * (p2 / u2))
        c = phi * phi - 2j * eta * zr * math.sqrt(p2) * g
        if c.real * c.real + c.imag * c.imag < 4e-4 * (ua.real * ua.real + ua.imag * ua.imag) ** 2:
            inv = 1.0 / uc
            x = c * (inv * inv)
            ser = 1.0 + x * (0.5 + x * (0.375 + x * 0.3125))
            cw, cu = _factors(a, s, h, j, inv)
            nd[j] = ser.real
            pu[j] = (phi * cu * ser).real
            pw[j] = (phi * cw * ser).real
            continue
        ub = a + s * ((j + 1) * h)
        za = ua * ua - c
        zb = ub * ub - c
        if za.imag == 0.0:
            za = complex(za.real, 0.0)
        if zb.imag == 0.0:
            zb = complex(zb.real, 0.0)
        sa = np.sqrt(za)
        sb = np.sqrt(zb)
        dl = np.log(ub + sb) - np.log(ua + sa)
        nd[j] = ((sb - sa) / (s * h)).real
        pu[j] = (phi * dl / (s * h)).real
        pw[j] = (phi * ((sb - sa) - a * dl) / (s * s * h * wj)).real
    return nd, pu, pw


def gap_edge(omega: NDArray[np.float64], delta: NDArray[np.complex128]) -> float:
    """Gap edge Delta_0 (meV): where omega - Re Delta(omega) turns from < 0 to >= 0.

    The first upward zero crossing of omega - Re Delta(omega), linearly interpolated.
    With damping (non-thermal or hot phonons) Re Delta(omega) -> 0 for omega below the
    scattering rate, so omega - Re Delta is positive there first; the edge is the
    crossing that follows the first negative value. 0.0 if omega >= Re Delta everywhere
    (gapless or normal).

    Parameters
    ----------
    omega : (n,) float, meV
        Electron energies, increasing (e.g. ``EliashbergSolver.omega``).
    delta : (n,) complex, meV
        Gap function Delta(omega) on ``omega``.

    Returns
    -------
    float, meV
    """
    g = omega - delta.real
    neg = np.nonzero(g < 0)[0]
    if neg.size == 0:
        return 0.0
    after = np.nonzero(g[neg[0] :] >= 0)[0]
    if after.size == 0:
        return float(omega[-1])
    i = int(neg[0] + after[0])
    w0, w1, g0, g1 = omega[i - 1], omega[i], g[i - 1], g[i]
    return float(w0 - g0 * (w1 - w0) / (g1 - g0))


class OrderParameter(NamedTuple):
    """Measures of superconductivity of a real-axis solution (:func:`order_parameter`).

    A damped (non-thermal, hot-phonon, near-T_c) state can be superconducting without a
    gap edge: Re Delta(omega) < omega everywhere, so ``delta0`` = 0, while |Delta| is
    finite, the DOS at E_F is reduced and the superfluid weight is positive.

    Attributes
    ----------
    delta0 : float, meV
        Gap edge omega = Re Delta(omega) (:func:`gap_edge`; 0 if none).
    delta_low : float, meV
        Re Delta at the lowest grid energy.
    delta_max : float, meV
        max |Delta(omega)|.
    dos_ef : float
        Quasi-particle DOS (cell average) in the lowest cell, normal state 1.
    superfluid_weight : float, meV
        Dirty-limit superfluid weight lim_{omega -> 0} hbar omega sigma_2(omega) / sigma_n
        (:func:`superfluid_weight`); pi Delta tanh(Delta / 2 k_B T) in the BCS limit.
    eta : float, meV
        Broadening of the solution (``EliashbergResult.eta``), the scale of
        :func:`is_superconducting`'s threshold.
    """

    delta0: float
    delta_low: float
    delta_max: float
    dos_ef: float
    superfluid_weight: float
    eta: float


def superfluid_weight(omega: ArrayLike, delta: ArrayLike, f: ArrayLike, eta: float = 0.0) -> float:
    """Dirty-limit superfluid weight hbar omega sigma_2 / sigma_n at omega -> 0 (meV).

    Mattis-Bardeen / Nam in the dirty limit: 1 / lambda_L^2 is proportional to
    pi T sum_n Delta_n^2 / (omega_n^2 + Delta_n^2) (all Matsubara n); continued to the
    real axis (the Keldysh form, any particle-hole symmetric f, tanh(omega / 2T) ->
    1 - 2 f) and normalised to the Mattis-Bardeen omega sigma_2 / sigma_n:

        D_s = 2 int_0^inf d omega (1 - 2 f(omega)) Im[Delta^2 / (Delta^2 - (omega + i0)^2)]

    which is pi Delta tanh(Delta / 2 k_B T) for a constant real Delta (the pole at the
    gap edge carries pi Delta / 2) and stays positive for a damped, gapless Delta.
    Quadrature: Delta^2 / (Delta^2 - w^2) = (Delta / 2) [1 / (Delta - w) + 1 / (Delta + w)],
    w = omega + i eta; on each panel between grid points the denominators
    Delta(omega) -+ w and 1 - 2 f are linear in omega and integrated exactly (complex
    logarithm), Delta / 2 takes the panel average, so a gap-edge pole between grid
    points is integrated exactly (its residue includes the slope of Delta); [0, omega_0]
    with Delta = Delta_0 and 1 - 2 f linear from 0. BCS limit: error O(h^2) from f
    interpolated linearly across the pole's panel, 0.1 % at a step Delta / 10 (tests).

    Parameters
    ----------
    omega : (n,) float, meV
        Increasing grid (> 0).
    delta : (n,) complex, meV
        Delta(omega).
    f : (n,) float
        Electron distribution on ``omega``.
    eta : float, meV
        Broadening omega -> omega + i eta of the pole; default (and at least) 1e-9 x
        the step: the exact panel integrals need none, and a finite eta lowers D_s by
        about eta / Delta.
    """
    w = np.asarray(omega, float)
    d = np.asarray(delta, complex)
    g = 1.0 - 2.0 * np.asarray(f, float)
    if not (w.shape == d.shape == g.shape and w.ndim == 1 and w.size >= 2):
        raise ValueError("omega, delta and f must be 1-D arrays of equal length >= 2")
    wa = np.r_[0.0, w[:-1]]
    wb = w
    da = np.r_[d[0], d[:-1]]
    db = d
    ga = np.r_[0.0, g[:-1]]
    num = 0.25 * (da + db)  # Delta / 2, panel average
    length = wb - wa
    slope_g = (g - ga) / length
    eps = max(float(eta), 1e-9 * float(length[-1]))
    total = 0.0
    for sign in (-1.0, 1.0):
        # denominator y = Delta + sign (omega + i eps), linear on the panel; numerator
        # (Delta / 2)(1 - 2 f) with 1 - 2 f linear: int (p + q t) / (y_a + k t) dt
        ya = da + sign * (wa + 1j * eps)
        yb = db + sign * (wb + 1j * eps)
        dy = yb - ya
        small = np.abs(dy) <= 1e-9 * np.maximum(np.abs(ya), np.abs(yb))
        k = np.where(small, 1.0, dy) / length
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.log(yb / ya)
            exact = slope_g / k * length + (ga - slope_g * ya / k) * lg / k
        mid = 0.5 * (ga + g) * length / (0.5 * (ya + yb))
        total = total + np.sum((num * np.where(small, mid, exact)).imag)
    return float(2.0 * total)


def order_parameter(result: EliashbergResult, f: ArrayLike) -> OrderParameter:
    """Order parameters of a solution that see gapless superconductivity (issue 12).

    Parameters
    ----------
    result : EliashbergResult
    f : (n,) float
        The electron distribution of the solve, on ``result.omega``.
    """
    d = np.asarray(result.delta, complex)
    return OrderParameter(
        delta0=float(result.delta0),
        delta_low=float(d[0].real),
        delta_max=float(np.max(np.abs(d))),
        dos_ef=float(result.dos[0]),
        superfluid_weight=superfluid_weight(result.omega, d, f),
        eta=float(result.eta),
    )


#: A state is superconducting when max |Delta| exceeds this many broadenings eta.
SC_DELTA_OVER_ETA = 4.0


def is_superconducting(
    state: OrderParameter | EliashbergResult, min_delta: float | None = None
) -> str:
    """Classify a solution: "gapped", "gapless" or "normal".

    "gapped": a gap edge exists (Delta_0 > 0). "gapless": no edge but
    max |Delta| > ``min_delta`` (default SC_DELTA_OVER_ETA x eta, eta the solution's
    broadening, step / 8: a Delta below a few eta is not resolved by the grid, and the
    solver's normal state has Delta = 0 exactly). "normal": otherwise.

    Parameters
    ----------
    state : OrderParameter or EliashbergResult
        (or any object with ``delta0`` and ``delta_max`` or ``delta``, and ``eta``).
    min_delta : float, meV, optional
        Threshold on max |Delta| for a gapless superconductor.
    """
    delta0 = float(state.delta0)
    if hasattr(state, "delta_max"):
        dmax = float(state.delta_max)
    else:  # a result (duck-typed: delta0, delta, eta; a missing delta counts as 0)
        d = np.asarray(getattr(state, "delta", 0.0))
        dmax = float(np.max(np.abs(d))) if d.size else 0.0
    eta = float(getattr(state, "eta", 0.0))
    thr = SC_DELTA_OVER_ETA * eta if min_delta is None else float(min_delta)
    thr = max(thr, 1e-6)
    if delta0 > 0:
        return "gapped"
    if dmax > thr:
        return "gapless"
    return "normal"


class PairingEigen(NamedTuple):
    """Leading eigenpair of the linearised gap equation.

    Returned by :meth:`EliashbergSolver.pairing_eigenvalue`.

    Attributes
    ----------
    value : float
        lambda_max, dimensionless (> 1: the normal state is Cooper-unstable).
    vector : (2n,) float
        Unit eigenvector (Re phi, Im phi) on the solver grid, for warm starts.
    iterations : int
        Applications of the linearised operator.
    """

    value: float
    vector: NDArray[np.float64]
    iterations: int


def _restarted_arnoldi(
    matvec: Callable[[NDArray], NDArray],
    v0: NDArray[np.float64],
    tol: float,
    m: int = 10,
    restarts: int = 8,
) -> tuple[float, NDArray[np.float64]] | None:
    """Rightmost real eigenpair by explicitly restarted Arnoldi from a good start.

    Krylov spaces of dimension ``m`` (modified Gram-Schmidt, one re-orthogonalisation),
    Ritz value of largest real part, restarted from its Ritz vector until the residual
    |A v - theta v| <= tol |theta|. Returns (theta, unit v), or None (no convergence, a
    complex leading Ritz value, or a breakdown): the caller falls back to ARPACK.
    """
    v = np.asarray(v0, float)
    nrm = float(np.linalg.norm(v))
    if not nrm > 0:
        return None
    v = v / nrm
    for _ in range(restarts):
        q = np.zeros((v.size, m + 1))
        hm = np.zeros((m + 1, m))
        q[:, 0] = v
        k_used = m
        for k in range(m):
            w = matvec(q[:, k])
            for _rep in range(2):
                c = q[:, : k + 1].T @ w
                w = w - q[:, : k + 1] @ c
                hm[: k + 1, k] += c
            hm[k + 1, k] = float(np.linalg.norm(w))
            if hm[k + 1, k] <= 1e-14 * float(np.max(np.abs(hm[: k + 1, : k + 1]))):
                k_used = k + 1
                break
            q[:, k + 1] = w / hm[k + 1, k]
        hk = hm[:k_used, :k_used]
        vals, vecs = np.linalg.eig(hk)
        i = int(np.argmax(vals.real))
        theta = vals[i]
        if abs(theta.imag) > 1e-10 * abs(theta):
            return None
        y = vecs[:, i].real
        y = y / float(np.linalg.norm(y))
        v = q[:, :k_used] @ y
        v = v / float(np.linalg.norm(v))
        resid = abs(hm[k_used, k_used - 1] * y[-1]) if k_used == m else 0.0
        if resid <= tol * abs(theta.real):
            return float(theta.real), v
    return None


class EliashbergSolver:
    """Real-axis Migdal-Eliashberg solver with set-up done once (see module docstring).

    Parameters
    ----------
    spectrum_omega : (n_s,) float, meV
        Phonon energies of alpha^2F (increasing, >= 0).
    a2f : (n_s,) float
        alpha^2F on ``spectrum_omega``.
    mu_star : float
        Coulomb pseudopotential with sharp cutoff ``omega_c`` (>= 0).
    omega_max : float, meV, optional
        Extent W of the real-frequency grid (default: 5 x highest phonon energy).
    step : float, meV, optional
        Grid step h (default: W / 4096, next FFT-friendly size).
    omega_c : float, meV, optional
        Coulomb cutoff (default W; must be <= W).

    Attributes
    ----------
    omega : (n,) float, meV
        Electron energies, cell centres (j + 1/2) step.
    phonon_omega : (n_ph,) float, meV
        Phonon energies m step.
    eta : float, meV
        Broadening of the gap edge in the density integrals (module docstring),
        step / 8 by default: without it the 1/sqrt gap-edge singularity makes the
        discrete fixed-point problem multi-valued (solutions differing by about one
        grid step) and the iteration unstable; with it the solution is unique and
        Delta_0 is biased by about -0.6 eta (see tests).
    """

    def __init__(
        self,
        spectrum_omega: ArrayLike,
        a2f: ArrayLike,
        mu_star: float,
        omega_max: float | None = None,
        step: float | None = None,
        omega_c: float | None = None,
    ) -> None:
        ws = np.asarray(spectrum_omega, float)
        a = np.asarray(a2f, float)
        if ws.ndim != 1 or a.shape != ws.shape or ws.size < 3:
            raise ValueError("spectrum_omega and a2f must be 1-D arrays of equal length >= 3")
        if not (np.all(np.isfinite(ws)) and np.all(np.isfinite(a))):
            raise ValueError("spectrum_omega and a2f must be finite")
        if np.any(np.diff(ws) <= 0) or ws[0] < 0:
            raise ValueError("spectrum_omega must be >= 0 and strictly increasing")
        if not (mu_star >= 0 and math.isfinite(mu_star)):
            raise ValueError(f"mu_star must be >= 0, got {mu_star}")
        pos = np.nonzero(a > 1e-6 * np.max(a))[0]
        self.omega_ph_max = float(ws[pos[-1]]) if pos.size else float(ws[-1])
        w_top = (
            float(omega_max)
            if omega_max is not None
            else (DEFAULT_CUTOFF_FACTOR * self.omega_ph_max)
        )
        if not w_top > 0:
            raise ValueError(f"omega_max must be > 0 meV, got {omega_max}")
        if step is None:
            n = sfft.next_fast_len(4096, real=True)
            h = w_top / n
        else:
            if not step > 0:
                raise ValueError(f"step must be > 0 meV, got {step}")
            h = float(step)
            n = int(round(w_top / h))
        if n < 64:
            raise ValueError(f"grid too coarse: {n} points (omega_max={w_top}, step={h})")
        self.step = h
        self.n = n
        self.omega_max = n * h
        self.omega = (np.arange(n) + 0.5) * h
        self.omega_c = self.omega_max if omega_c is None else float(omega_c)
        if not 0 < self.omega_c <= self.omega_max * (1 + 1e-12):
            raise ValueError(
                f"omega_c must be within (0, omega_max={self.omega_max:g}] meV, got {omega_c}"
            )
        self.mu_star = float(mu_star)
        self._coul = (self.omega <= self.omega_c).astype(float)
        # phonon grid m h up to the end of the support of alpha^2F (values beyond the
        # last point above 1e-6 of the maximum are dropped), linear interpolation
        top = min(float(ws[-1]), self.omega_ph_max + 2.0 * h)
        n_ph = int(math.ceil(top / h)) + 2
        if n_ph > n:
            raise ValueError(
                f"omega_max={self.omega_max:g} meV must exceed the highest phonon energy "
                f"{self.omega_ph_max:g} meV of the spectrum"
            )
        self.phonon_omega = h * np.arange(n_ph)
        xs, ys = (ws, a) if ws[0] == 0 else (np.r_[0.0, ws], np.r_[0.0, a])
        self._a2f = np.interp(self.phonon_omega, xs, ys, left=0.0, right=0.0)
        self._a2f[0] = 0.0
        # FFT length for Toeplitz/Hankel products: density (n) * table (2n - 1)
        self._nfft = sfft.next_fast_len(3 * n - 2, real=True)
        # Hilbert weights for s in [-(2n + n_ph), 2n + n_ph]
        self._kmax = 2 * n + 1
        s = np.arange(-(self._kmax + n_ph), self._kmax + n_ph + 1, dtype=float)
        self._lhilb = sfft.next_fast_len(n_ph + s.size - 1, real=True)
        self._hw_fft = sfft.rfft(_hilbert_weights(s), self._lhilb)
        self._ks = np.arange(-self._kmax, self._kmax + 1)
        self._tail_setup()
        self._ha = self._hilbert(self._a2f)
        # f-dependent tables (T3, T4) are independent of n
        self._tables_a = self._table_ffts_a()
        self._tables_n: tuple | None = None
        self._n_key: object = None
        # rfft phase for reversal: X_rev[k] = exp(-2 pi i k (n-1) / L) conj(X[k])
        k = np.arange(self._nfft // 2 + 1)
        self._rev_phase = np.exp(-2j * np.pi * k * (n - 1) / self._nfft)
        self._edges = h * np.arange(n + 1)
        self.eta = 0.125 * h
        self._zn: NDArray[np.complex128] | None = None
        self._zn_key: object = None

    # ------------------------------------------------------------------ tables
    def _hilbert(self, g: NDArray[np.float64]) -> NDArray[np.complex128]:
        """H_g(x_k) = int g / (x_k - Omega + i0), x_k = k h, k = -kmax .. kmax."""
        n_ph = g.size
        # Re: sum_m g_m w(k - m); hw[p] = w(p - (kmax + n_ph)), so the linear convolution
        # index of k is k + kmax + n_ph
        conv = sfft.irfft(sfft.rfft(g, self._lhilb) * self._hw_fft, self._lhilb)
        ks = self._ks
        re = conv[ks + self._kmax + n_ph]
        im = np.zeros_like(re)
        inside = (ks >= 0) & (ks < n_ph)
        im[inside] = -np.pi * g[ks[inside]]
        return re + 1j * im

    def _at(self, table: NDArray[np.complex128], k: NDArray[np.int64]) -> NDArray[np.complex128]:
        return table[k + self._kmax]

    def _rfft_pair(self, t: NDArray[np.complex128]) -> tuple:
        L = self._nfft
        return sfft.rfft(t.real, L), sfft.rfft(t.imag, L)

    def _table_ffts_a(self) -> tuple:
        n = self.n
        d = np.arange(-(n - 1), n)  # omega_i - omega_j = d h
        e = np.arange(1, 2 * n)  # omega_i + omega_j = e h (e = i + j + 1)
        ha = self._ha
        t3 = -np.conj(self._at(ha, -d)) - self._at(ha, d)
        t4 = self._at(ha, e) + np.conj(self._at(ha, -e))
        return self._rfft_pair(t3), self._rfft_pair(t4)

    def _set_phonons(self, n_ph: NDArray[np.float64] | None, kT: float | None) -> None:
        """Tables that depend on the phonon distribution n(Omega)."""
        if n_ph is None:
            key: object = ("thermal", kT)
        else:
            key = ("array", n_ph.tobytes())
        if key == self._n_key:
            return
        w = self.phonon_omega
        if n_ph is None:
            with np.errstate(over="ignore"):
                nn = bose(np.where(w > 0, w, 1.0), kT) if kT > 0 else np.zeros_like(w)
            nn[0] = 0.0
        else:
            nn = n_ph.copy()
            nn[0] = 0.0
        gn = self._a2f * nn
        hn = self._hilbert(gn)
        n = self.n
        d = np.arange(-(n - 1), n)
        e = np.arange(1, 2 * n)
        ha = self._ha
        t1 = -np.conj(self._at(hn, -d)) + self._at(ha, d) + self._at(hn, d)
        t2 = self._at(hn, e) - np.conj(self._at(hn, -e)) - np.conj(self._at(ha, -e))
        self._tables_n = (self._rfft_pair(t1), self._rfft_pair(t2))
        self._tail = self._z_tail(gn)
        self._nvals = nn
        self._n_key = key

    def _tail_setup(self) -> None:
        """FFTs of the logarithms in the normal-state tail (fixed per solver)."""
        n, m_n = self.n, self._a2f.size

        def ell(u):
            return np.log(np.abs(u))

        # Hankel sums: sum_m c_m F(m + i); Toeplitz: sum_m c_m F(i - m); both read at
        # index i + m_n - 1 of the linear convolution (reversed c for Hankel)
        kk = np.arange(0, m_n + n)  # m + i
        dd = np.arange(-(m_n - 1), n)  # i - m
        self._ltail = sfft.next_fast_len(2 * m_n + n, real=True)
        L = self._ltail
        self._tail_fft = {
            "a1": sfft.rfft(ell(n - 0.5 - kk), L),  # ln|W - Omega - omega|
            "a4": sfft.rfft(ell(n + 0.5 + kk), L),  # ln|W + Omega + omega|
            "b2": sfft.rfft(ell(n + 0.5 + dd), L),  # ln|W - Omega + omega|
            "b3": sfft.rfft(ell(n - 0.5 - dd), L),  # ln|W + Omega - omega|
        }

    def _z_tail(self, gn: NDArray[np.float64]) -> NDArray[np.float64]:
        """Normal-state contribution of omega' > W to omega (1 - Z) (module docstring)."""
        h, n = self.step, self.n
        m_n = self._a2f.size
        L, t = self._ltail, self._tail_fft
        g1 = gn + self._a2f
        spec = (
            sfft.rfft(gn[::-1], L) * t["a1"]
            - sfft.rfft(gn, L) * t["b2"]
            + sfft.rfft(g1, L) * t["b3"]
            - sfft.rfft(g1[::-1], L) * t["a4"]
        )
        tail = sfft.irfft(spec, L)[m_n - 1 : m_n - 1 + n]
        return h * tail

    # ------------------------------------------------------------------ densities
    def _densities(self, delta: NDArray[np.complex128], z: NDArray[np.complex128]):
        """Cell integrals (N, P, weighted P) for Delta on the grid, omega' Z(omega') linear
        per cell from ``z`` (:func:`_cell_densities`, broadening ``self.eta``)."""
        return _cell_densities(
            np.asarray(delta, np.complex128), np.asarray(z, np.complex128), self.step, self.eta
        )

    # ------------------------------------------------------------------ kernel products
    def _apply(self, dens_t: list, dens_h: list) -> NDArray[np.complex128]:
        """sum_j h [D1_j A(i - j) + ...] + sum_j h [E1_j B(i + j + 1) + ...], complex.

        ``dens_t``/``dens_h``: lists of (density (n,), (rfft Re table, rfft Im table)).
        """
        L, n = self._nfft, self.n
        acc_r = 0.0
        acc_i = 0.0
        cache: dict[int, NDArray] = {}
        for dens, (tr, ti) in dens_t:
            key = id(dens)
            if key not in cache:
                cache[key] = sfft.rfft(dens, L)
            fd = cache[key]
            acc_r = acc_r + fd * tr
            acc_i = acc_i + fd * ti
        for dens, (tr, ti) in dens_h:
            key = -id(dens) - 1
            if key not in cache:
                fwd = cache.get(id(dens))
                if fwd is None:
                    fwd = sfft.rfft(dens, L)
                    cache[id(dens)] = fwd
                cache[key] = self._rev_phase * np.conj(fwd)
            fd = cache[key]
            acc_r = acc_r + fd * tr
            acc_i = acc_i + fd * ti
        re = sfft.irfft(acc_r, L)[n - 1 : 2 * n - 1]
        im = sfft.irfft(acc_i, L)[n - 1 : 2 * n - 1]
        return self.step * (re + 1j * im)

    def _update(self, delta, f, z=None):
        """One evaluation of the Eliashberg map: returns (Delta_new, Z_new, N, P).

        ``z`` is the Z(omega) whose omega Z is interpolated linearly inside each cell for
        the density integrals (the previous iterate's; default: the normal-state Z_N of
        the current f and n, exact for small Delta). N and P are the cell averages.
        """
        if z is None:
            z = self._zn_current(f)
        (t1, t2) = self._tables_n
        (t3, t4) = self._tables_a
        nd, pu, pw = self._densities(delta, z)
        nf = nd * f
        # the pairing integrals take the weighted cell integral of P (see
        # linearized_operator); P f and P (1 - 2 f) with f at the cell centre
        pf = pw * f
        z_part = self._apply([(nd, t1), (nf, t3)], [(nd, t2), (nf, t4)])
        # phi: P [T2(e) - T1(d)] + Pf [T4(e) - T3(d)]
        phi = self._apply([(pw, (-t1[0], -t1[1])), (pf, (-t3[0], -t3[1]))], [(pw, t2), (pf, t4)])
        phi_c = -self.mu_star * self.step * float(np.sum(pw * (1.0 - 2.0 * f) * self._coul))
        w = self.omega
        znew = 1.0 - (z_part + self._tail) / w
        phi = phi + phi_c
        return phi / znew, znew, nd, pu

    def _zn_current(self, f):
        """Normal-state Z_N for f (on omega) and the phonon tables now set (cached)."""
        key = (self._n_key, f.tobytes())
        if self._zn_key != key:
            (t1, t2) = self._tables_n
            (t3, t4) = self._tables_a
            ones = np.ones(self.n)
            z_part = self._apply([(ones, t1), (f, t3)], [(ones, t2), (f, t4)])
            self._zn = 1.0 - (z_part + self._tail) / self.omega
            self._zn_key = key
        return self._zn

    def _distributions(self, f, n_ph, kT):
        if f is None or n_ph is None:
            if kT is None:
                raise ValueError("give kT (meV) for thermal distributions, or both f and n")
            if not (kT >= 0 and math.isfinite(kT)):
                raise ValueError(f"kT must be >= 0 meV, got {kT}")
        if f is None:
            ff = fermi(self.omega, kT)
        else:
            ff = np.asarray(f, float)
            if ff.shape != self.omega.shape:
                raise ValueError(
                    f"f must be given on solver.omega, shape {self.omega.shape}, got {ff.shape}"
                )
            if not np.all(np.isfinite(ff)):
                raise ValueError("f contains NaN or inf")
        if n_ph is None:
            self._set_phonons(None, kT)
        else:
            nn = np.asarray(n_ph, float)
            if nn.shape != self.phonon_omega.shape:
                raise ValueError(
                    "n must be given on solver.phonon_omega, shape "
                    f"{self.phonon_omega.shape}, got {nn.shape}"
                )
            if not np.all(np.isfinite(nn[1:])):
                raise ValueError("n contains NaN or inf (n[0] at Omega = 0 is ignored)")
            self._set_phonons(nn, None)
        return ff

    # ------------------------------------------------------------------ public
    def thermal_f(self, kT: float) -> NDArray[np.float64]:
        """Fermi function on ``self.omega`` at kT (meV), shape (n,)."""
        return fermi(self.omega, kT)

    def thermal_n(self, kT: float) -> NDArray[np.float64]:
        """Bose function on ``self.phonon_omega`` at kT (meV), shape (n_ph,); 0 at Omega = 0."""
        w = self.phonon_omega
        out = np.zeros_like(w)
        if kT > 0:
            out[1:] = bose(w[1:], kT)
        return out

    def solve(
        self,
        kT: float | None = None,
        f: ArrayLike | None = None,
        n: ArrayLike | None = None,
        warm_start: EliashbergResult | ArrayLike | float | None = None,
        tol: float = 1e-6,
        max_iter: int = 400,
        mixing: float = 1.0,
        history: int = 8,
        eta: float | None = None,
    ) -> EliashbergResult:
        """Solve the non-linear equations.

        Parameters
        ----------
        kT : float, meV, optional
            Temperature for thermal f and/or n (whichever is not given).
        f : (n,) float, optional
            Electron distribution on ``self.omega``.
        n : (n_ph,) float, optional
            Phonon occupation on ``self.phonon_omega`` (the value at Omega = 0 is ignored).
        warm_start : EliashbergResult, (n,) complex array or float (meV), optional
            Starting Delta(omega); a float is a constant gap. Default: a BCS-like guess
            from the weak-coupling gap of the linearised problem scale.
        tol : float
            Convergence on max |Delta_new - Delta| / max |Delta|.
        max_iter : int
        mixing : float
            Linear mixing in the Anderson scheme (0 < mixing <= 1).
        history : int
            Anderson depth.
        eta : float, meV, optional
            Broadening omega' -> omega' + i eta of the density integrals. Default
            ``self.eta`` (= step / 8); if that iteration fails it is retried once with
            4 eta (= step / 2). The value used is ``result.eta``. Its bias on Delta_0 is
            about -0.6 eta.

        Returns
        -------
        EliashbergResult

        Raises
        ------
        ConvergenceError
            When ``max_iter`` is reached, with the last residual.
        """
        ff = self._distributions(f, n, kT)
        z0 = None
        if isinstance(warm_start, EliashbergResult):
            x0 = np.asarray(warm_start.delta, complex)
            if np.shape(warm_start.z) == (self.n,):
                z0 = np.asarray(warm_start.z, complex)
        elif warm_start is None:
            x0 = np.full(self.n, self._guess(), dtype=complex)
        elif np.ndim(warm_start) == 0:
            x0 = np.full(self.n, complex(warm_start))
        else:
            x0 = np.asarray(warm_start, complex)
        if x0.shape != (self.n,):
            raise ValueError(f"warm_start must have shape ({self.n},), got {x0.shape}")
        if eta is not None:
            if not (eta > 0 and math.isfinite(eta)):
                raise ValueError(f"eta must be > 0 meV, got {eta}")
            return self._iterate(x0, z0, ff, tol, max_iter, mixing, history, float(eta))
        try:
            return self._iterate(x0, z0, ff, tol, max_iter, mixing, history, self.eta)
        except ConvergenceError:
            # the gap-edge singularity can destabilise the iteration on coarse grids;
            # a larger broadening (step / 2) restores it (documented in EliashbergResult.eta)
            return self._iterate(x0, z0, ff, tol, max_iter, mixing, history, 4.0 * self.eta)

    def _guess(self) -> float:
        lam = 2.0 * float(
            np.sum(np.where(self.phonon_omega > 0, self._a2f, 0.0)[1:] / self.phonon_omega[1:])
            * self.step
        )
        wlog = math.exp(
            2.0
            / max(lam, 1e-12)
            * float(
                np.sum(self._a2f[1:] / self.phonon_omega[1:] * np.log(self.phonon_omega[1:]))
                * self.step
            )
        )
        tc = allen_dynes_tc(lam, wlog, self.mu_star)
        return max(1.9 * KB * tc, 5 * self.step)

    def _iterate(self, x0, z0, ff, tol, max_iter, mixing, history, eta) -> EliashbergResult:
        eta_saved = self.eta
        self.eta = eta
        try:
            return self._iterate_eta(x0, z0, ff, tol, max_iter, mixing, history)
        finally:
            self.eta = eta_saved

    def _iterate_eta(self, x0, z0, ff, tol, max_iter, mixing, history) -> EliashbergResult:
        """Anderson iteration on Delta; the Z of the cell interpolation (omega Z linear per
        cell) is the previous evaluation's (lagged), and convergence asks for both
        Delta and that Z to be stationary within ``tol``."""
        n = self.n
        zin = self._zn_current(ff) if z0 is None else z0

        def pack(d):
            return np.concatenate([d.real, d.imag])

        def unpack(x):
            return x[:n] + 1j * x[n:]

        x = pack(x0)
        dx = np.zeros((2 * n, history))
        dg = np.zeros((2 * n, history))
        x_prev = g_prev = None
        k = 0  # stored differences
        res = np.inf
        for it in range(1, max_iter + 1):
            d = unpack(x)
            dnew, z, nd, pd = self._update(d, ff, zin)
            g = pack(dnew) - x
            amp = float(np.max(np.abs(dnew)))
            res = float(np.max(np.abs(g))) / max(amp, 1e-12)
            res_z = float(np.max(np.abs(z - zin))) / float(np.max(np.abs(z)))
            zin = z
            if amp < 1e-9:
                # collapsed onto the normal state (T >= T_c or no attraction)
                d = np.zeros(n, complex)
                _, z, nd, pd = self._update(d, ff, self._zn_current(ff))
                return EliashbergResult(self.omega, d, z, nd, pd, 0.0, it, 0.0, self.eta)
            if res < tol and res_z < tol:
                # report the state at which the residual was measured
                return EliashbergResult(
                    self.omega, d, z, nd, pd, gap_edge(self.omega, d), it, res, self.eta
                )
            if x_prev is not None and history > 0:
                col = k % history
                dx[:, col] = x - x_prev
                dg[:, col] = g - g_prev
                k += 1
            x_prev, g_prev = x, g
            m = min(k, history)
            if m > 0:
                ddx, ddg = dx[:, :m], dg[:, :m]
                gram = ddg.T @ ddg
                gram += 1e-12 * np.trace(gram) * np.eye(m)
                gamma = np.linalg.solve(gram, ddg.T @ g)
                x = x + mixing * g - (ddx + mixing * ddg) @ gamma
            else:
                x = x + mixing * g
        raise ConvergenceError("real-axis Eliashberg iteration did not converge", res, max_iter)

    # ------------------------------------------------------------------ linearised / T_c
    def normal_z(
        self,
        kT: float | None = None,
        f: ArrayLike | None = None,
        n: ArrayLike | None = None,
    ) -> NDArray[np.complex128]:
        """Normal-state Z_N(omega) (Delta = 0) for thermal or given f and n.

        Parameters
        ----------
        kT : float, meV, optional
            Temperature of whichever of f, n is not given (as in :meth:`solve`).
        f : (n,) float, optional
            Electron distribution on ``self.omega``.
        n : (n_ph,) float, optional
            Phonon occupation on ``self.phonon_omega``.

        Returns
        -------
        (n,) complex
            Z_N on ``self.omega``; Im[omega Z_N] is the normal-state scattering rate.
        """
        ff = self._distributions(f, n, kT)
        return self._zn_current(ff).copy()

    def linearized_operator(
        self,
        kT: float | None = None,
        f: ArrayLike | None = None,
        n: ArrayLike | None = None,
    ) -> Callable[[NDArray], NDArray]:
        """Linearised gap equation as a real-linear map on phi = Z Delta.

        The equation for phi of the module docstring (paper 001 SI Eqs. 6-9 in the
        real-axis form of Marsiglio, Schossmann & Carbotte, PRB 37, 4965 (1988)) to first
        order in phi, with Z = Z_N (:meth:`normal_z`) for thermal (``kT``) or given
        non-thermal ``f`` (on ``self.omega``) and ``n`` (on ``self.phonon_omega``), the
        same conventions as :meth:`solve`. The argument and result are (2n,) real
        vectors (Re phi, Im phi). The pairing density P = Re[Delta / omega'] =
        Re[phi / (omega' Z_N)] enters through cell integrals with omega' Z_N linear in the
        cell (product integration, :func:`_line_factors`), with the weight
        omega'/omega_j: P multiplies kernels K1 + f' K2 whose f-independent part
        K1 + K2/2 is odd in omega' and f' - 1/2 is odd for a continuous, particle-hole
        symmetric f, so the integrand vanishes linearly at omega' -> 0 (the weight is
        1 + O(h) in the other cells; P f and P (1 - 2f) take f at the cell centre). The
        non-linear map (:meth:`_update`) uses the same cells and rule, so this is exactly
        its small-Delta limit (:meth:`small_amplitude_gain`). This resolves the dip of
        Delta(omega) at omega < Gamma / Z (Gamma = Im[omega Z_N] at omega -> 0, the
        scattering rate), which the midpoint rule captures only for a step below
        Gamma / Z. Largest eigenvalue 1 at T_c.

        Parameters
        ----------
        kT : float, meV, optional
            Temperature of whichever of f, n is not given (as in :meth:`solve`).
        f : (n,) float, optional
            Electron distribution on ``self.omega``.
        n : (n_ph,) float, optional
            Phonon occupation on ``self.phonon_omega``.

        Returns
        -------
        callable
            (2n,) float -> (2n,) float: (Re phi, Im phi) of phi = Z Delta (meV) to the same.
        """
        ff = self._distributions(f, n, kT)
        zn = self._zn_current(ff)
        (t1, t2) = self._tables_n
        (t3, t4) = self._tables_a
        nn = self.n
        cw, _ = _line_factors(np.asarray(zn, np.complex128), self.step)
        neg_t1 = (-t1[0], -t1[1])
        neg_t3 = (-t3[0], -t3[1])
        weight_c = self.step * (1.0 - 2.0 * ff) * self._coul
        ff = ff.copy()

        def op(y):
            y = np.asarray(y, float).ravel()
            phi = y[:nn] + 1j * y[nn:]
            pd = (phi * cw).real
            pf = pd * ff
            out = self._apply([(pd, neg_t1), (pf, neg_t3)], [(pd, t2), (pf, t4)])
            out = out - self.mu_star * float(np.sum(pd * weight_c))
            return np.concatenate([out.real, out.imag])

        return op

    def linearized_eigenvalue(self, kT: float) -> float:
        """Largest real eigenvalue of the linearised gap equation at kT (meV); 1 at T_c."""
        return self.pairing_eigenvalue(kT=kT).value

    def pairing_eigenvalue(
        self,
        kT: float | None = None,
        f: ArrayLike | None = None,
        n: ArrayLike | None = None,
        v0: ArrayLike | PairingEigen | None = None,
        tol: float = 1e-8,
    ) -> PairingEigen:
        """Leading eigenvalue lambda_max of the linearised gap equation for any f and n.

        lambda_max > 1: the normal state with these f and n is Cooper-unstable (a gap
        develops); 1 at T_c for thermal f and n. Z_N and the pairing kernel both carry the
        given (possibly non-thermal) f and n (:meth:`linearized_operator`).

        Parameters
        ----------
        kT : float, meV, optional
            Temperature of whichever of f, n is not given (as in :meth:`solve`).
        f : (n,) float, optional
            Electron distribution on ``self.omega``.
        n : (n_ph,) float, optional
            Phonon occupation on ``self.phonon_omega``.
        v0 : (2n,) float or PairingEigen, optional
            Warm start (a previous ``vector``): a short restarted Arnoldi iteration from
            it, typically 10-20 operator applications; ARPACK (``scipy.sparse.linalg.eigs``)
            when absent or if that does not converge.
        tol : float
            Relative residual |A v - lambda v| / |lambda| of the returned pair.

        Returns
        -------
        PairingEigen
            ``value`` (the eigenvalue with the largest real part; its real part),
            ``vector`` (2n,) real unit vector (Re phi, Im phi), ``iterations`` (operator
            applications).
        """
        op = self.linearized_operator(kT=kT, f=f, n=n)
        count = [0]

        def mv(y):
            count[0] += 1
            return op(y)

        m2 = 2 * self.n
        if isinstance(v0, PairingEigen):
            v0 = v0.vector
        if v0 is not None:
            v = np.asarray(v0, float).ravel()
            if v.shape != (m2,):
                raise ValueError(f"v0 must have shape ({m2},), got {v.shape}")
            got = _restarted_arnoldi(mv, v, tol)
            if got is not None:
                return PairingEigen(got[0], got[1], count[0])
        lin = LinearOperator((m2, m2), matvec=mv, dtype=float)
        start = np.concatenate([np.exp(-self.omega / (2 * self.omega_ph_max)), np.zeros(self.n)])
        try:
            vals, vecs = eigs(lin, k=1, which="LR", v0=start, tol=tol, maxiter=5000)
        except ArpackNoConvergence as exc:  # pragma: no cover - rare
            raise ConvergenceError("linearised eigenvalue (ARPACK) did not converge") from exc
        i = int(np.argmax(vals.real))
        vec = vecs[:, i].real
        nrm = float(np.linalg.norm(vec))
        if nrm == 0.0:  # pragma: no cover - purely imaginary Ritz vector
            vec, nrm = vecs[:, i].imag, float(np.linalg.norm(vecs[:, i].imag))
        return PairingEigen(float(vals[i].real), vec / nrm, count[0])

    def small_amplitude_gain(
        self,
        kT: float | None = None,
        f: ArrayLike | None = None,
        n: ArrayLike | None = None,
        eps: float = 1e-6,
        eigen: PairingEigen | None = None,
    ) -> tuple[float, float]:
        """Gain of the non-linear gap map along the leading linear eigenvector.

        With phi_1 the leading eigenvector of :meth:`linearized_operator` (eigenvalue
        lambda_max), the map (:meth:`_update`, Z of the cell interpolation = Z_N) is
        applied to Delta = eps phi_1 / Z_N and its output phi' = Z' Delta' projected on
        phi_1: gain = <phi_1, phi'> / (eps <phi_1, phi_1>). For a consistent
        discretisation gain -> lambda_max as eps -> 0.

        Parameters
        ----------
        kT : float, meV, optional
            Temperature of whichever of f, n is not given (as in :meth:`solve`).
        f : (n,) float, optional
            Electron distribution on ``self.omega``.
        n : (n_ph,) float, optional
            Phonon occupation on ``self.phonon_omega``.
        eps : float, meV
            Amplitude of the probe gap: phi_1 is scaled so that max |Delta(omega)| = eps.
        eigen : PairingEigen, optional
            Leading eigenpair (:meth:`pairing_eigenvalue`); computed from kT, f, n if absent.

        Returns
        -------
        (gain, lambda_max) : tuple of float, dimensionless
        """
        if eigen is None:
            eigen = self.pairing_eigenvalue(kT=kT, f=f, n=n)
        ff = self._distributions(f, n, kT)
        zn = self._zn_current(ff)
        m = self.n
        v = eigen.vector
        phi1 = v[:m] + 1j * v[m:]
        scale = eps / float(np.max(np.abs(phi1 / zn)))
        dnew, znew, _, _ = self._update(scale * phi1 / zn, ff, zn)
        out = dnew * znew
        proj = float(np.dot(np.concatenate([out.real, out.imag]), v)) / float(np.dot(v, v))
        return proj / scale, eigen.value

    def critical_temperature(
        self, t_lo: float | None = None, t_hi: float | None = None, rtol: float = 1e-4
    ) -> float:
        """T_c in K where the linearised eigenvalue crosses 1 (Brent's bracketed search).

        Returns 0.0 if the eigenvalue is below 1 down to ``t_lo``.

        Parameters
        ----------
        t_lo, t_hi : float, K, optional
            Initial bracket (default 0.3 and 3 times an Allen-Dynes estimate, floored by
            the grid step); widened by doubling ``t_hi`` and halving ``t_lo`` until the
            eigenvalue crosses 1.
        rtol : float, dimensionless
            Relative tolerance of Brent's method on T_c.

        Returns
        -------
        float, K
        """
        guess = self._guess() / (1.9 * KB)
        lo = t_lo if t_lo is not None else max(0.3 * guess, 5 * self.step / KB / 50)
        hi = t_hi if t_hi is not None else 3.0 * guess

        def g(t):
            return self.linearized_eigenvalue(KB * t) - 1.0

        glo, ghi = g(lo), g(hi)
        k = 0
        while ghi > 0 and k < 10:
            lo, glo = hi, ghi
            hi *= 2.0
            ghi = g(hi)
            k += 1
        while glo < 0 and k < 20:
            hi, ghi = lo, glo
            lo *= 0.5
            glo = g(lo)
            k += 1
            if lo < 1e-3:
                return 0.0
        if glo < 0 or ghi > 0:
            raise ConvergenceError("could not bracket T_c", min(abs(glo), abs(ghi)), k)
        return float(brentq(g, lo, hi, rtol=rtol, xtol=1e-6))


def solve_eliashberg(
    omega: ArrayLike,
    a2f: ArrayLike,
    temperature: float,
    mu_star: float,
    *,
    omega_max: float | None = None,
    step: float | None = None,
    omega_c: float | None = None,
    **kwargs,
) -> EliashbergResult:
    """Thermal equilibrium solution at ``temperature`` (K) (builds an EliashbergSolver).

    Parameters
    ----------
    omega : (n_s,) float, meV
    a2f : (n_s,) float
    temperature : float, K
    mu_star : float
    omega_max, step, omega_c : float, meV, optional
        Grid extent, step and Coulomb cutoff (see :class:`EliashbergSolver`).
    **kwargs
        Passed to :meth:`EliashbergSolver.solve`.
    """
    solver = EliashbergSolver(omega, a2f, mu_star, omega_max=omega_max, step=step, omega_c=omega_c)
    return solver.solve(kT=KB * temperature, **kwargs)


def critical_temperature(
    omega: ArrayLike,
    a2f: ArrayLike,
    mu_star: float,
    *,
    omega_max: float | None = None,
    step: float | None = None,
    omega_c: float | None = None,
) -> float:
    """T_c in K from the linearised real-axis equations (see EliashbergSolver).

    Parameters
    ----------
    omega : (n_s,) float, meV
        Phonon energies of alpha^2F (increasing, >= 0).
    a2f : (n_s,) float, dimensionless
        alpha^2F on ``omega``.
    mu_star : float, dimensionless
        Coulomb pseudopotential with sharp cutoff ``omega_c`` (>= 0).
    omega_max, step, omega_c : float, meV, optional
        Grid extent, step and Coulomb cutoff (see :class:`EliashbergSolver`).

    Returns
    -------
    float, K
    """
    solver = EliashbergSolver(omega, a2f, mu_star, omega_max=omega_max, step=step, omega_c=omega_c)
    return solver.critical_temperature()
