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
* Gap-edge singularity: the densities N and P are cell averages over
  [j h, (j+1) h] computed from the exact antiderivatives
  sqrt(omega'^2 - Delta^2) and Delta ln(omega' + sqrt(omega'^2 - Delta^2)) with Delta
  frozen per cell (product integration), so the 1/sqrt edge costs no accuracy.
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
* Broadening: the density integrals use omega' + i eta with eta = step / 8 (see
  :class:`EliashbergSolver`); Delta_0 is biased by about -0.6 eta.
* Resolution: the gap edge needs several grid steps below Delta_0. Close to T_c, where
  Delta_0 falls to a few steps, Delta_0 is grid-limited and low (CaC6 on the default
  grid, step 0.26 meV: Delta_0(0.95 T_c) = 0.55 meV against 0.69 meV converged, and
  the state collapses to the normal one above ~0.97 T_c while the linearised T_c is
  grid-converged); choose ``step`` <= Delta_0 / 10 for the temperatures of interest.
* Iteration: Anderson mixing on (Re Delta, Im Delta); failure raises
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
    "critical_temperature",
    "default_grid",
    "gap_edge",
    "on_grid",
    "rescale_mu_star",
    "solve_eliashberg",
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


@numba.njit(cache=True, fastmath=False)
def _cell_densities(delta, h, eta):  # pragma: no cover - compiled
    """Cell averages over [j h, (j+1) h] of Re[w / sqrt(w^2 - D^2)] and Re[D / sqrt(...)].

    w = omega' + i eta; D = delta[j] frozen in cell j; antiderivatives
    sqrt(w^2 - D^2) and D log(w + sqrt(w^2 - D^2)) (principal branches; the cut is
    approached from above, the retarded side).
    """
    n = delta.size
    nd = np.empty(n)
    pd = np.empty(n)
    for j in range(n):
        d = delta[j]
        if d == 0:
            nd[j] = 1.0
            pd[j] = 0.0
            continue
        d2 = d * d
        wc = complex((j + 0.5) * h, eta)
        if abs(d2) < 0.02 * (j * h) ** 2:
            # far above the gap: midpoint rule with 1/sqrt(1 - x) = 1 + x/2 + 3x^2/8 + 5x^3/16
            x = d2 / (wc * wc)
            ser = 1.0 + x * (0.5 + x * (0.375 + x * 0.3125))
            nd[j] = ser.real
            pd[j] = (d / wc * ser).real
            continue
        a = complex(j * h, eta)
        b = complex((j + 1) * h, eta)
        za = a * a - d2
        zb = b * b - d2
        if za.imag == 0.0:
            za = complex(za.real, 0.0)
        if zb.imag == 0.0:
            zb = complex(zb.real, 0.0)
        sa = np.sqrt(za)
        sb = np.sqrt(zb)
        nd[j] = (sb - sa).real / h
        pd[j] = (d * (np.log(b + sb) - np.log(a + sa))).real / h
    return nd, pd


def gap_edge(omega: NDArray[np.float64], delta: NDArray[np.complex128]) -> float:
    """Gap edge Delta_0 (meV): where omega - Re Delta(omega) turns from < 0 to >= 0.

    The first upward zero crossing of omega - Re Delta(omega), linearly interpolated.
    With damping (non-thermal or hot phonons) Re Delta(omega) -> 0 for omega below the
    scattering rate, so omega - Re Delta is positive there first; the edge is the
    crossing that follows the first negative value. 0.0 if omega >= Re Delta everywhere
    (gapless or normal).
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


def default_grid(
    omega_ph_max: float, gap_estimate: float, n_min: int = 4096, points_in_gap: float = 25.0
) -> tuple[float, float]:
    """Default (W, step) in meV: W = 5 x highest phonon energy, step <= gap / points_in_gap.

    Parameters
    ----------
    omega_ph_max : float, meV
        Highest phonon energy of the spectrum.
    gap_estimate : float, meV
        Expected gap (e.g. 1.764 k_B T_c from Allen-Dynes).
    n_min : int
        At least this many real frequencies.
    points_in_gap : float
        Grid points below the gap edge.
    """
    w = DEFAULT_CUTOFF_FACTOR * omega_ph_max
    step = min(w / n_min, gap_estimate / points_in_gap)
    n = sfft.next_fast_len(int(math.ceil(w / step)), real=True)
    return n * step, step


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
        Broadening of the density integrals, step / 8 by default: without it the
        1/sqrt gap-edge singularity makes the discrete fixed-point problem
        multi-valued (solutions differing by about one grid step) and the iteration
        unstable; with it the solution is unique and Delta_0 is biased by about
        -0.6 eta (see tests).
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
    def _densities(self, delta: NDArray[np.complex128]):
        """Cell-averaged N and P for Delta frozen per cell (broadening eta)."""
        return _cell_densities(delta, self.step, self.eta)

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

    def _update(self, delta, f):
        """One evaluation of the Eliashberg map: returns (Delta_new, Z, N, P)."""
        (t1, t2) = self._tables_n
        (t3, t4) = self._tables_a
        nd, pd = self._densities(delta)
        nf = nd * f
        pf = pd * f
        z_part = self._apply([(nd, t1), (nf, t3)], [(nd, t2), (nf, t4)])
        # phi: P [T2(e) - T1(d)] + Pf [T4(e) - T3(d)]
        phi = self._apply([(pd, (-t1[0], -t1[1])), (pf, (-t3[0], -t3[1]))], [(pd, t2), (pf, t4)])
        phi_c = -self.mu_star * self.step * float(np.sum(pd * (1.0 - 2.0 * f) * self._coul))
        w = self.omega
        z = 1.0 - (z_part + self._tail) / w
        phi = phi + phi_c
        return phi / z, z, nd, pd

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
        if isinstance(warm_start, EliashbergResult):
            x0 = np.asarray(warm_start.delta, complex)
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
            return self._iterate(x0, ff, tol, max_iter, mixing, history, float(eta))
        try:
            return self._iterate(x0, ff, tol, max_iter, mixing, history, self.eta)
        except ConvergenceError:
            # the gap-edge singularity can destabilise the iteration on coarse grids;
            # a larger broadening (step / 2) restores it (documented in EliashbergResult.eta)
            return self._iterate(x0, ff, tol, max_iter, mixing, history, 4.0 * self.eta)

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

    def _iterate(self, x0, ff, tol, max_iter, mixing, history, eta) -> EliashbergResult:
        eta_saved = self.eta
        self.eta = eta
        try:
            return self._iterate_eta(x0, ff, tol, max_iter, mixing, history)
        finally:
            self.eta = eta_saved

    def _iterate_eta(self, x0, ff, tol, max_iter, mixing, history) -> EliashbergResult:
        n = self.n

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
            dnew, z, nd, pd = self._update(d, ff)
            g = pack(dnew) - x
            amp = float(np.max(np.abs(dnew)))
            res = float(np.max(np.abs(g))) / max(amp, 1e-12)
            if amp < 1e-9:
                # collapsed onto the normal state (T >= T_c or no attraction)
                d = np.zeros(n, complex)
                _, z, nd, pd = self._update(d, ff)
                return EliashbergResult(self.omega, d, z, nd, pd, 0.0, it, 0.0, self.eta)
            if res < tol:
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
    def normal_z(self, kT: float) -> NDArray[np.complex128]:
        """Normal-state Z(omega) at temperature kT (meV), thermal f and n."""
        ff = self._distributions(None, None, kT)
        (t1, t2) = self._tables_n
        (t3, t4) = self._tables_a
        ones = np.ones(self.n)
        z_part = self._apply([(ones, t1), (ff, t3)], [(ones, t2), (ff, t4)])
        return 1.0 - (z_part + self._tail) / self.omega

    def linearized_operator(self, kT: float) -> Callable[[NDArray], NDArray]:
        """Linearised gap equation at kT (meV) as a real-linear map on phi = Z Delta.

        The argument and result are (2n,) real vectors (Re phi, Im phi). The pairing
        density P = Re[Delta / omega'] = Re[phi / (omega' Z_N)] enters as the cell
        integral (1/h) Re[phi_j int_cell (omega' / omega_j) d omega' / (omega' Z_N)]
        with omega' Z_N linear in the cell (product integration; the weight
        omega'/omega_j follows the kernel, which vanishes linearly at omega' -> 0, and
        is 1 + O(h) elsewhere). This resolves the dip of Delta(omega) at
        omega < Gamma / Z (Gamma = Im[omega Z_N] at omega -> 0, the thermal scattering
        rate), which the midpoint rule captures only for a step below Gamma / Z (T_c
        then drifts by ~0.3 % per halving of the step). Largest eigenvalue 1 at T_c.
        """
        zn = self.normal_z(kT)
        ff = fermi(self.omega, kT)
        (t1, t2) = self._tables_n
        (t3, t4) = self._tables_a
        h, n = self.step, self.n
        wz = self.omega * zn
        slope = np.gradient(wz, h)
        a = self._edges[:-1]
        # omega' Z_N(omega') = A + slope omega' in cell j; A -> i Gamma at omega' -> 0
        base = wz - slope * self.omega
        base = np.where(np.abs(base) < 1e-300, 1e-300j, base)
        integral = h / slope - base / slope**2 * np.log1p(slope * h / (base + slope * a))
        cell = integral / (h * self.omega)  # (1/h) int_cell (omega'/omega_j) / (omega' Z_N)
        neg_t1 = (-t1[0], -t1[1])
        neg_t3 = (-t3[0], -t3[1])
        weight_c = h * (1.0 - 2.0 * ff) * self._coul

        def op(y):
            y = np.asarray(y, float).ravel()
            phi = y[:n] + 1j * y[n:]
            pd = (phi * cell).real
            pf = pd * ff
            out = self._apply([(pd, neg_t1), (pf, neg_t3)], [(pd, t2), (pf, t4)])
            out = out - self.mu_star * float(np.sum(pd * weight_c))
            return np.concatenate([out.real, out.imag])

        return op

    def linearized_eigenvalue(self, kT: float) -> float:
        """Largest real eigenvalue of the linearised gap equation at kT (meV); 1 at T_c."""
        op = self.linearized_operator(kT)
        lin = LinearOperator((2 * self.n, 2 * self.n), matvec=op, dtype=float)
        v0 = np.concatenate([np.exp(-self.omega / (2 * self.omega_ph_max)), np.zeros(self.n)])
        try:
            vals = eigs(
                lin, k=1, which="LR", v0=v0, tol=1e-8, maxiter=5000, return_eigenvectors=False
            )
        except ArpackNoConvergence as exc:  # pragma: no cover - rare
            raise ConvergenceError("linearised eigenvalue (ARPACK) did not converge") from exc
        return float(np.max(vals.real))

    def critical_temperature(
        self, t_lo: float | None = None, t_hi: float | None = None, rtol: float = 1e-4
    ) -> float:
        """T_c in K where the linearised eigenvalue crosses 1 (Brent's bracketed search).

        Returns 0.0 if the eigenvalue is below 1 down to ``t_lo``.
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
    """T_c in K from the linearised real-axis equations (see EliashbergSolver)."""
    solver = EliashbergSolver(omega, a2f, mu_star, omega_max=omega_max, step=step, omega_c=omega_c)
    return solver.critical_temperature()
