"""The real-axis Eliashberg map: Z and phi from Delta, for any f(E) and n(Omega).

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

The cell integrals of N and P are in :mod:`~photosc.cores.eliashberg.densities`.
``EliashbergKernels`` holds the grid, the kernel tables and one evaluation of the map; it
is the base of :class:`~photosc.cores.eliashberg.EliashbergSolver`.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import scipy.fft as sfft
from numpy.typing import ArrayLike, NDArray

from photosc.cores.eliashberg.densities import _cell_densities
from photosc.cores.spectra import allen_dynes_tc
from photosc.foundation.distributions import bose, fermi
from photosc.foundation.units import KB

#: Default real-axis extent W = Coulomb cutoff omega_c, in units of the highest phonon energy.
DEFAULT_CUTOFF_FACTOR = 5.0

#: Implementations of the map: "fused" (batched FFTs of length >= 2n - 1, compiled
#: products; default) and "reference" (one FFT pair per product, 3n embedding; issue 16).
KERNEL_PATHS = ("fused", "reference")


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


@numba.njit(cache=True, fastmath=False)
def _combine_spectra(spec, tabs, rev):  # pragma: no cover - compiled
    """The Toeplitz and Hankel products of the map in Fourier space, fused.

    ``spec`` (4, K): rfft of N, N f, P_w, P_w f (zero-padded to L); ``tabs`` (8, K): rfft
    of Re and Im of the tables T1, T2, T3, T4 (:meth:`EliashbergKernels._set_phonons`);
    ``rev`` (K,): the phase that turns conj(rfft(d)) into the rfft of the reversed d
    (Hankel products). Returns (4, K): the spectra of Re and Im of
    sum_j [N_j T1(i - j) + N_j f_j T3(i - j)] + [N_j T2(i + j + 1) + N_j f_j T4(i + j + 1)]
    and of sum_j -[P_j T1 + P_j f_j T3](i - j) + [P_j T2 + P_j f_j T4](i + j + 1).
    """
    m = spec.shape[1]
    out = np.empty((4, m), dtype=np.complex128)
    for k in range(m):
        fn = spec[0, k]
        fnf = spec[1, k]
        fp = spec[2, k]
        fpf = spec[3, k]
        ph = rev[k]
        rn = ph * np.conj(fn)
        rnf = ph * np.conj(fnf)
        rp = ph * np.conj(fp)
        rpf = ph * np.conj(fpf)
        for c in range(2):
            t1 = tabs[c, k]
            t2 = tabs[2 + c, k]
            t3 = tabs[4 + c, k]
            t4 = tabs[6 + c, k]
            out[c, k] = fn * t1 + fnf * t3 + rn * t2 + rnf * t4
            out[2 + c, k] = rp * t2 + rpf * t4 - fp * t1 - fpf * t3
    return out


@numba.njit(cache=True, fastmath=False)
def _finish(out, n, h, tail, omega, phi_c):  # pragma: no cover - compiled
    """phi and Z from the inverse transforms ``out`` (4, L) of :func:`_combine_spectra`
    (rows Re, Im of omega (1 - Z) and of phi; the products at index n - 1 + i):
    Z_i = 1 - (h out[0] + i h out[1] + tail_i) / omega_i, phi_i = h out[2] + phi_c +
    i h out[3] (complex (n,) each), in one pass."""
    phi = np.empty(n, dtype=np.complex128)
    z = np.empty(n, dtype=np.complex128)
    for i in range(n):
        k = n - 1 + i
        inv = 1.0 / omega[i]  # NumPy's complex / real: times the reciprocal (bit for bit)
        z[i] = complex(1.0 - (h * out[0, k] + tail[i]) * inv, -((h * out[1, k]) * inv))
        phi[i] = complex(h * out[2, k] + phi_c, h * out[3, k])
    return phi, z


def _hilbert_weights(s: NDArray[np.float64]) -> NDArray[np.float64]:
    """PV int_{-1}^{1} (1 - |t|) / (s - t) dt for the hat function (exact)."""

    def xlx(u):
        a = np.abs(u)
        out = np.zeros_like(a)
        nz = a > 0
        out[nz] = u[nz] * np.log(a[nz])
        return out

    if s.size > 1 and np.all(np.diff(s) == 1.0) and np.all(s == np.round(s)):
        # consecutive integers (the solver's table): s + 1 and s - 1 are the neighbours,
        # so one logarithm per point on the grid extended by one at each end (the same
        # values, a third of the work)
        x = xlx(np.arange(s[0] - 1.0, s[-1] + 1.5))
        return x[2:] - 2.0 * x[1:-1] + x[:-2]
    return xlx(s + 1.0) - 2.0 * xlx(s) + xlx(s - 1.0)


class EliashbergKernels:
    """Grid, kernel tables and one evaluation of the real-axis Eliashberg map.

    The base of :class:`~photosc.cores.eliashberg.EliashbergSolver`, which documents the
    parameters and attributes: set up once per spectrum, mu* and grid; the tables of the
    phonon occupation n(Omega) and the normal-state Z_N of f are cached by value.
    """

    def __init__(
        self,
        spectrum_omega: ArrayLike,
        a2f: ArrayLike,
        mu_star: float,
        omega_max: float | None = None,
        step: float | None = None,
        omega_c: float | None = None,
        *,
        kernel_path: str = "fused",
    ) -> None:
        if kernel_path not in KERNEL_PATHS:
            raise ValueError(f"kernel_path must be one of {KERNEL_PATHS}, got {kernel_path!r}")
        self.kernel_path = kernel_path
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
        # FFT length for Toeplitz/Hankel products: density (n) * table (2n - 1). Only the
        # outputs n - 1 .. 2n - 2 of the linear convolution (length 3n - 2) are read, and a
        # cyclic convolution of length L >= 2n - 1 leaves exactly those free of wrap-around
        # (index k receives k +- L, outside [0, 3n - 3] for n - 1 <= k <= 2n - 2): the 2n
        # embedding is exact. The reference path keeps the full 3n embedding.
        min_len = 2 * n - 1 if kernel_path == "fused" else 3 * n - 2
        self._nfft = sfft.next_fast_len(min_len, real=True)
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
        (a3, a4) = self._tables_a
        self._stack_a = np.array([*a3, *a4], dtype=np.complex128)
        self._tables_n: tuple | None = None
        self._n_key: object = None
        # rfft phase for reversal: X_rev[k] = exp(-2 pi i k (n-1) / L) conj(X[k])
        k = np.arange(self._nfft // 2 + 1)
        self._rev_phase = np.exp(-2j * np.pi * k * (n - 1) / self._nfft)
        self._edges = h * np.arange(n + 1)
        # work array of the fused path: rows N, N f, P_w, P_w f, zero-padded to L
        self._work = np.zeros((4, self._nfft))
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
        # the four real transforms of _rfft_pair(t3), _rfft_pair(t4) in one batched call
        p = sfft.rfft(np.stack([t3.real, t3.imag, t4.real, t4.imag]), self._nfft, axis=-1)
        return (p[0], p[1]), (p[2], p[3])

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
        # the four real transforms of _rfft_pair(t1), _rfft_pair(t2) in one batched call
        # (each row bit for bit its own transform); the T3, T4 rows are fixed
        parts = sfft.rfft(np.stack([t1.real, t1.imag, t2.real, t2.imag]), self._nfft, axis=-1)
        self._tables_n = ((parts[0], parts[1]), (parts[2], parts[3]))
        self._stack = np.concatenate([parts, self._stack_a])
        self._tail = self._z_tail(gn)
        self._nvals = nn
        self._n_key = key

    def _tail_setup(self) -> None:
        """FFTs of the logarithms in the normal-state tail (fixed per solver)."""
        n, m_n = self.n, self._a2f.size

        # Hankel sums: sum_m c_m F(m + i); Toeplitz: sum_m c_m F(i - m); both read at
        # index i + m_n - 1 of the linear convolution (reversed c for Hankel). Every
        # argument is |j + 1/2| for an integer j: one table of ln(j + 1/2), j >= 0
        kk = np.arange(0, m_n + n)  # m + i
        dd = np.arange(-(m_n - 1), n)  # i - m
        self._ltail = sfft.next_fast_len(2 * m_n + n, real=True)
        ln_half = np.log(np.arange(2 * n + m_n + 1) + 0.5)

        def ell(j):  # ln|j + 1/2| for integer arrays j
            return ln_half[np.where(j >= 0, j, -1 - j)]

        rows = np.zeros((4, kk.size))  # (dd has one entry fewer: zero-padded, as rfft pads)
        rows[0] = ell(n - 1 - kk)  # a1: ln|W - Omega - omega|
        rows[1] = ell(n + kk)  # a4: ln|W + Omega + omega|
        rows[2, : dd.size] = ell(n + dd)  # b2: ln|W - Omega + omega|
        rows[3, : dd.size] = ell(n - 1 - dd)  # b3: ln|W + Omega - omega|
        spec = sfft.rfft(rows, self._ltail, axis=-1)  # one batched call
        self._tail_fft = {"a1": spec[0], "a4": spec[1], "b2": spec[2], "b3": spec[3]}

    def _z_tail(self, gn: NDArray[np.float64]) -> NDArray[np.float64]:
        """Normal-state contribution of omega' > W to omega (1 - Z) (module docstring)."""
        h, n = self.step, self.n
        m_n = self._a2f.size
        L, t = self._ltail, self._tail_fft
        g1 = gn + self._a2f
        r = sfft.rfft(np.stack([gn[::-1], gn, g1, g1[::-1]]), L, axis=-1)  # one batched call
        spec = r[0] * t["a1"] - r[1] * t["b2"] + r[2] * t["b3"] - r[3] * t["a4"]
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
        The fused path transforms the distinct densities in one batched rfft and Re, Im
        of the result in one batched irfft (the linearised operator, Z_N); the reference
        path one FFT per density and per part.
        """
        if self.kernel_path == "reference":
            return self._apply_reference(dens_t, dens_h)
        L, n = self._nfft, self.n
        rows: dict[int, int] = {}
        for dens, _ in (*dens_t, *dens_h):
            rows.setdefault(id(dens), len(rows))
        stack = np.zeros((len(rows), L))
        for dens, _ in (*dens_t, *dens_h):
            stack[rows[id(dens)], :n] = dens
        spec = sfft.rfft(stack, axis=-1)
        acc = np.zeros((2, spec.shape[1]), dtype=np.complex128)
        for dens, (tr, ti) in dens_t:
            fd = spec[rows[id(dens)]]
            acc[0] += fd * tr
            acc[1] += fd * ti
        rev: dict[int, NDArray] = {}
        for dens, (tr, ti) in dens_h:
            r = rows[id(dens)]
            if r not in rev:
                rev[r] = self._rev_phase * np.conj(spec[r])
            acc[0] += rev[r] * tr
            acc[1] += rev[r] * ti
        out = sfft.irfft(acc, L, axis=-1)[:, n - 1 : 2 * n - 1]
        return self.step * (out[0] + 1j * out[1])

    def _apply_reference(self, dens_t: list, dens_h: list) -> NDArray[np.complex128]:
        """:meth:`_apply` as before issue 16 (the reference path)."""
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

        The fused path (default) transforms the four densities N, N f, P_w, P_w f in one
        batched real FFT of length L >= 2n - 1, forms the eight Toeplitz and Hankel
        products in one compiled loop (:func:`_combine_spectra`) and transforms the four
        results (Re and Im of omega (1 - Z) and of phi) back in one batched inverse FFT:
        2 FFT calls per evaluation instead of 8, on 2/3 of the length. The reference path
        (``kernel_path="reference"``) is the previous code, kept as the test reference.
        """
        if z is None:
            z = self._zn_current(f)
        if self.kernel_path == "reference":
            return self._update_reference(delta, f, z)
        nd, pu, pw = self._densities(delta, z)
        n, L = self.n, self._nfft
        work = self._work
        work[0, :n] = nd
        np.multiply(nd, f, out=work[1, :n])
        work[2, :n] = pw
        np.multiply(pw, f, out=work[3, :n])
        spec = sfft.rfft(work, axis=-1)
        acc = _combine_spectra(spec, self._stack, self._rev_phase)
        out = sfft.irfft(acc, L, axis=-1)
        h = self.step
        phi_c = 0.0
        if self.mu_star != 0.0:
            phi_c = -self.mu_star * h * float(np.dot(work[2, :n] - 2.0 * work[3, :n], self._coul))
        phi, znew = _finish(out, n, h, self._tail, self.omega, phi_c)
        extra = self._phi_extra(phi, pu, f)
        if extra != 0.0:
            phi += extra
        return phi / znew, znew, nd, pu

    def _phi_extra(self, phi, pu, f) -> float:
        """A constant (meV) added to phi in every evaluation of the map, from phi, the
        cell averages ``pu`` of P and f (0 here; the pairing tail beyond W of
        :class:`~photosc.cores.eliashberg.thermal_gap.TailSolver`)."""
        return 0.0

    def _update_reference(self, delta, f, z):
        """The map as before issue 16 (one FFT pair per density and table; test reference)."""
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
        extra = self._phi_extra(phi, pu, f)
        if extra != 0.0:
            phi = phi + extra
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
