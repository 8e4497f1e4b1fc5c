"""Isotropic Eliashberg equations on the Matsubara axis, with Pade continuation to the real axis.

An independent method for the thermal gap (issue 16): the reference that the real-axis
solver of :mod:`~photosc.cores.eliashberg.solver` is checked and timed against.

Equations
---------
Constant-DOS, half-filled, isotropic Migdal-Eliashberg equations at the fermionic
Matsubara energies omega_n = pi k_B T (2n + 1) (Allen & Mitrovic, Solid State Phys. 37, 1
(1982), Sec. 4; Carbotte, Rev. Mod. Phys. 62, 1027 (1990), Sec. II.B; Marsiglio,
Schossmann & Carbotte, PRB 37, 4965 (1988), Eqs. 1-2), for n >= 0 (Delta and Z are even
in omega_n, so the sum over m < 0 folds onto m >= 0):

    Z_n = 1 + (pi T / omega_n) sum_m lambda(n - m) omega_m / R_m,
    Z_n Delta_n = pi T sum_m [lambda(n - m) - mu* theta(omega_c - |omega_m|)] Delta_m / R_m,

R_m = sqrt(omega_m^2 + Delta_m^2), sums over all m, and

    lambda(k) = int_0^inf dOmega 2 Omega alpha^2F(Omega) / (Omega^2 + (2 pi k T)^2).

* lambda(k): product integration of alpha^2F linear between the spectrum's points
  (closed form per segment), the same continuous alpha^2F that the real-axis solver
  interpolates.
* Z: the normal-state part of the sum is taken to all m in closed form,
  sum_m lambda(n - m) sign(omega_m) = lambda(0) + 2 sum_{k=1}^{n} lambda(k), and only the
  correction (omega_m / R_m - 1), which decays as Delta^2 / omega_m^2, is truncated.
* Truncation: the sums run over omega_m <= ``omega_sum`` (default the larger of
  omega_c and 10 x the highest phonon energy); the pairing sum converges as
  lambda(n - m) / omega_m.
* mu* convention: a sharp cutoff omega_c on the Matsubara axis. The real-axis solver
  cuts the omega' integral sharply at omega_c on the real axis
  (:mod:`~photosc.cores.eliashberg.kernels`); the two conventions describe the same
  physics only for omega_c far above the phonons. Measured (linearised T_c, built-in
  mu* and omega_c = 5 x the highest phonon energy): the Matsubara T_c is 3.5 % (Pb) and
  6 % (K3C60) below the real-axis one, and Morel-Anderson rescaling
  (:func:`~photosc.cores.eliashberg.rescale_mu_star`) to larger Matsubara cutoffs does
  not remove it (it changes T_c by < 0.6 % between 5 and 40 x); with the same mu* and
  omega_c = 30 x on both axes they agree within 0.4 % (tests). No conversion is
  applied: the comparisons use mu* = 0 or a cutoff of 30 x the phonons on both axes.
* Pade continuation: the N-point continued fraction of Vidberg & Serene, J. Low Temp.
  Phys. 29, 179 (1977), Eqs. A2-A5, through Delta(i omega_n) at the lowest
  Matsubara energies, evaluated at omega + i0; Delta_0 is the gap edge
  omega = Re Delta(omega) of the continued Delta (:func:`gap_edge`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from photosc.cores.eliashberg.gap_measures import gap_edge
from photosc.errors import ConvergenceError
from photosc.foundation.units import KB


def lambda_matsubara(
    spectrum_omega: ArrayLike, a2f: ArrayLike, nu: ArrayLike
) -> NDArray[np.float64]:
    """lambda(nu) = int 2 Omega alpha^2F(Omega) / (Omega^2 + nu^2) dOmega, exact.

    alpha^2F is linear between its points (and 0 at Omega = 0); on a segment [a, b] with
    alpha^2F = c + s Omega the integral is
    c ln[(b^2 + nu^2) / (a^2 + nu^2)] + 2 s [b - a - nu (atan(b / nu) - atan(a / nu))].

    Parameters
    ----------
    spectrum_omega : (n_s,) float, meV
        Phonon energies (>= 0, increasing).
    a2f : (n_s,) float, dimensionless
        alpha^2F at ``spectrum_omega``.
    nu : (k,) float, meV
        Bosonic Matsubara energies 2 pi k_B T k (>= 0).

    Returns
    -------
    (k,) float, dimensionless
    """
    w = np.asarray(spectrum_omega, float)
    g = np.asarray(a2f, float)
    if w[0] > 0:
        w, g = np.r_[0.0, w], np.r_[0.0, g]
    g = g.copy()
    g[0] = 0.0  # alpha^2F -> 0 at Omega -> 0 (as the real-axis grid)
    a, b = w[:-1], w[1:]
    s = np.diff(g) / np.diff(w)
    c = g[:-1] - s * a
    v = np.abs(np.asarray(nu, float))
    out = np.empty(v.size)
    # far above the phonons (nu > 2 Omega_top): 1 / (Omega^2 + nu^2) expanded in
    # (Omega / nu)^2 <= 1/4 to order 26 (relative error < 1e-15), exact moments of the
    # piecewise-linear alpha^2F: M_k = int 2 Omega^(2k+1) alpha^2F dOmega
    far = v > 2.0 * w[-1]
    if np.any(far):
        moments = []
        for k in range(27):
            p = 2 * k + 1
            moments.append(
                2.0
                * float(
                    np.sum(
                        c * (b ** (p + 1) - a ** (p + 1)) / (p + 1)
                        + s * (b ** (p + 2) - a ** (p + 2)) / (p + 2)
                    )
                )
            )
        inv = 1.0 / (v[far] ** 2)
        acc = np.zeros(inv.size)
        for k in reversed(range(27)):
            acc = acc * (-inv) + moments[k]
        out[far] = acc * inv
    near = np.nonzero(~far)[0]
    for lo in range(0, near.size, 64):  # chunks bound the (chunk, n_s) temporaries
        vv = v[near[lo : lo + 64]][:, None]
        safe = np.where(vv > 0, vv, 1.0)
        # per node, differenced per segment: log(b^2 + nu^2) - log(a^2 + nu^2) and
        # nu [atan(b / nu) - atan(a / nu)] (one log and one atan per node)
        with np.errstate(divide="ignore", invalid="ignore"):
            lw = np.log(w * w + vv * vv)
            logs = np.where(c == 0.0, 0.0, c * np.diff(lw, axis=1))  # c = 0 from Omega = 0
        at = np.where(vv > 0, vv * np.arctan(w / safe), 0.0)
        out[near[lo : lo + 64]] = np.sum(logs + 2.0 * s * ((b - a) - np.diff(at, axis=1)), axis=1)
    return out


class MatsubaraResult(NamedTuple):
    """Solution of the Matsubara-axis Eliashberg equations.

    Attributes
    ----------
    wn : (N,) float, meV
        Fermionic Matsubara energies pi k_B T (2n + 1), n = 0 .. N - 1.
    delta : (N,) float, meV
        Delta(i omega_n).
    z : (N,) float
        Z(i omega_n), dimensionless.
    kT : float, meV
    iterations : int
    residual : float
        max |Delta_new - Delta| / max |Delta| at the last iteration, dimensionless.
    """

    wn: NDArray[np.float64]
    delta: NDArray[np.float64]
    z: NDArray[np.float64]
    kT: float
    iterations: int
    residual: float


class MatsubaraEliashberg:
    """Isotropic Eliashberg equations on the Matsubara axis (module docstring).

    Parameters
    ----------
    spectrum_omega : (n_s,) float, meV
        Phonon energies of alpha^2F (>= 0, increasing).
    a2f : (n_s,) float, dimensionless
        alpha^2F on ``spectrum_omega``.
    mu_star : float, dimensionless
        Coulomb pseudopotential with a sharp Matsubara cutoff ``omega_c`` (>= 0).
    omega_c : float, meV
        Coulomb cutoff on the Matsubara axis (> 0).
    omega_sum : float, meV, optional
        Truncation of the Matsubara sums (default: max(omega_c, 10 x the highest phonon
        energy)); must be >= omega_c.
    """

    def __init__(
        self,
        spectrum_omega: ArrayLike,
        a2f: ArrayLike,
        mu_star: float,
        omega_c: float,
        omega_sum: float | None = None,
    ) -> None:
        w = np.asarray(spectrum_omega, float)
        g = np.asarray(a2f, float)
        if w.ndim != 1 or g.shape != w.shape or w.size < 3:
            raise ValueError("spectrum_omega and a2f must be 1-D arrays of equal length >= 3")
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(g))):
            raise ValueError("spectrum_omega and a2f must be finite")
        if np.any(np.diff(w) <= 0) or w[0] < 0:
            raise ValueError("spectrum_omega must be >= 0 and strictly increasing")
        if not (mu_star >= 0 and math.isfinite(mu_star)):
            raise ValueError(f"mu_star must be >= 0, got {mu_star}")
        if not (omega_c > 0 and math.isfinite(omega_c)):
            raise ValueError(f"omega_c must be > 0 meV, got {omega_c}")
        pos = np.nonzero(g > 1e-6 * np.max(g))[0]
        self.omega_ph_max = float(w[pos[-1]]) if pos.size else float(w[-1])
        self.omega = w
        self.a2f = g
        self.mu_star = float(mu_star)
        self.omega_c = float(omega_c)
        top = max(self.omega_c, 10.0 * self.omega_ph_max) if omega_sum is None else omega_sum
        if not (top >= self.omega_c and math.isfinite(top)):
            raise ValueError(f"omega_sum must be >= omega_c = {self.omega_c:g} meV, got {top}")
        self.omega_sum = float(top)
        self._kt: float | None = None

    # ------------------------------------------------------------------ set-up per T
    def _setup(self, kT: float) -> None:
        if self._kt == kT:
            return
        if not (kT > 0 and math.isfinite(kT)):
            raise ValueError(f"kT must be > 0 meV on the Matsubara axis, got {kT}")
        nmax = max(int(self.omega_sum / (2.0 * math.pi * kT) + 0.5), 4)
        wn = math.pi * kT * (2.0 * np.arange(nmax) + 1.0)
        lam = lambda_matsubara(self.omega, self.a2f, 2.0 * math.pi * kT * np.arange(2 * nmax + 1))
        i = np.arange(nmax)
        coul = (wn <= self.omega_c).astype(float)
        # (N, N) tables built in place (N ~ 2,000-4,000 at low T: a few 10 MB each)
        kp = lam[np.abs(i[:, None] - i[None, :])]
        hank = lam[i[:, None] + i[None, :] + 1]
        # Z correction kernel (pi T / omega_n) [lambda(n - m) - lambda(n + m + 1)]
        self._kz = kp - hank
        self._kz *= (math.pi * kT / wn)[:, None]
        # pairing kernel pi T [lambda(n - m) + lambda(n + m + 1) - 2 mu* theta] (m >= 0)
        kp += hank
        del hank
        kp -= 2.0 * self.mu_star * coul[None, :]
        kp *= math.pi * kT
        self._kp = kp
        cs = np.concatenate([[0.0], np.cumsum(lam[1:nmax])])
        self._zn = 1.0 + math.pi * kT / wn * (lam[0] + 2.0 * cs)
        self._wn = wn
        self._lam0 = float(lam[0])
        self._kt = kT

    def normal_z(self, kT: float) -> NDArray[np.float64]:
        """Normal-state Z_N(i omega_n) = 1 + (pi T / omega_n)[lambda(0) + 2 sum_1^n lambda(k)]."""
        self._setup(kT)
        return self._zn.copy()

    # ------------------------------------------------------------------ solve
    def solve(
        self,
        kT: float,
        warm_start: MatsubaraResult | float | None = None,
        tol: float = 1e-10,
        max_iter: int = 500,
        history: int = 6,
    ) -> MatsubaraResult:
        """Self-consistent Delta(i omega_n), Z(i omega_n) at k_B T (Anderson mixing).

        Parameters
        ----------
        kT : float, meV
            Temperature (> 0).
        warm_start : MatsubaraResult or float (meV), optional
            A previous solution (interpolated in omega_n) or a constant gap. Default: the
            constant 0.2 x (highest phonon energy) x lambda / (1 + lambda), at least
            5 k_B T (an over-estimate, from which the iteration descends).
        tol : float, dimensionless
            On max |Delta_new - Delta| / max |Delta|.
        max_iter : int
        history : int
            Anderson depth.

        Returns
        -------
        MatsubaraResult

        Raises
        ------
        ConvergenceError
            After ``max_iter`` iterations.
        """
        self._setup(kT)
        wn = self._wn
        if isinstance(warm_start, MatsubaraResult):
            d = np.interp(wn, warm_start.wn, warm_start.delta)
        elif warm_start is None:
            lam = self._lam0
            d = np.full(wn.size, max(0.2 * self.omega_ph_max * lam / (1 + lam), 5 * kT))
        else:
            d = np.full(wn.size, float(warm_start))
        x = d
        dx = np.zeros((history, wn.size))
        dg = np.zeros((history, wn.size))
        x_prev = g_prev = None
        k = 0
        res = np.inf
        for it in range(1, max_iter + 1):
            dnew, z = self._map(x)
            g = dnew - x
            amp = float(np.max(np.abs(dnew)))
            if amp < 1e-12:
                return MatsubaraResult(wn, np.zeros_like(wn), self._zn.copy(), kT, it, 0.0)
            res = float(np.max(np.abs(g))) / amp
            if res < tol:
                return MatsubaraResult(wn, dnew, z, kT, it, res)
            if x_prev is not None:
                dx[k % history] = x - x_prev
                dg[k % history] = g - g_prev
                k += 1
            x_prev, g_prev = x, g
            m = min(k, history)
            if m:
                ddg = dg[:m]
                gram = ddg @ ddg.T
                gram += 1e-14 * np.trace(gram) * np.eye(m)
                gamma = np.linalg.solve(gram, ddg @ g)
                x = x + g - (dx[:m] + ddg).T @ gamma
            else:
                x = x + g
        raise ConvergenceError("Matsubara Eliashberg iteration did not converge", res, max_iter)

    def _map(self, d: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """One evaluation: (Delta', Z') from Delta on the Matsubara energies."""
        wn = self._wn
        r = np.sqrt(wn * wn + d * d)
        z = self._zn + self._kz @ (wn / r - 1.0)
        phi = self._kp @ (d / r)
        return phi / z, z

    # ------------------------------------------------------------------ T_c
    def linearized_eigenvalue(self, kT: float) -> float:
        """Largest eigenvalue of the linearised gap equation at k_B T (meV); 1 at T_c.

        K_nm = pi T [lambda(n - m) + lambda(n + m + 1) - 2 mu* theta] / (Z_N,n omega_m),
        symmetrised as D^(1/2) K D^(-1/2) (D = Z_N / omega) to a symmetric matrix.
        """
        self._setup(kT)
        wn, zn = self._wn, self._zn
        s = 1.0 / np.sqrt(zn * wn)
        sym = s[:, None] * self._kp * s[None, :]
        return float(np.linalg.eigvalsh(0.5 * (sym + sym.T))[-1])

    def critical_temperature(self, t_lo: float, t_hi: float, rtol: float = 1e-6) -> float:
        """T_c in K where :meth:`linearized_eigenvalue` crosses 1 (Brent's method).

        Parameters
        ----------
        t_lo, t_hi : float, K
            Bracket: the eigenvalue must be above 1 at ``t_lo`` and below at ``t_hi``.
        rtol : float, dimensionless
            Relative tolerance on T_c.

        Returns
        -------
        float, K

        Raises
        ------
        ConvergenceError
            When [t_lo, t_hi] does not bracket T_c.
        """

        def g(t):
            return self.linearized_eigenvalue(KB * t) - 1.0

        glo, ghi = g(t_lo), g(t_hi)
        if not (glo > 0 > ghi):
            raise ConvergenceError(
                f"T_c not bracketed by [{t_lo}, {t_hi}] K", min(abs(glo), abs(ghi)), 2
            )
        return float(brentq(g, t_lo, t_hi, rtol=rtol, xtol=1e-9))


# ---------------------------------------------------------------------------- Pade
def pade_coefficients(z: ArrayLike, u: ArrayLike) -> NDArray[np.complex128]:
    """Coefficients a_i of the N-point Pade continued fraction (Vidberg & Serene 1977).

    C_N(z) = a_1 / (1 + a_2 (z - z_1) / (1 + ... a_N (z - z_{N-1}) / 1)), through
    (z_i, u_i): g_1(z_i) = u_i, g_p(z) = (g_{p-1}(z_{p-1}) - g_{p-1}(z)) /
    ((z - z_{p-1}) g_{p-1}(z)), a_p = g_p(z_p) (their Eq. A2).

    Parameters
    ----------
    z : (N,) complex, meV
        Points (i omega_n).
    u : (N,) complex, unit of the function (e.g. meV)
        Values at ``z``.
    """
    z = np.asarray(z, complex)
    g = np.array(u, dtype=complex)
    npts = z.size
    a = np.empty(npts, complex)
    a[0] = g[0]
    for p in range(1, npts):
        g[p:] = (g[p - 1] - g[p:]) / ((z[p:] - z[p - 1]) * g[p:])
        a[p] = g[p]
    return a


def pade_evaluate(
    a: NDArray[np.complex128], z_pts: ArrayLike, w: ArrayLike
) -> NDArray[np.complex128]:
    """The continued fraction of :func:`pade_coefficients` at ``w`` (recursion A_n, B_n,
    Vidberg & Serene Eqs. A3-A5).

    Parameters
    ----------
    a : (N,) complex, unit of the fitted values
        Coefficients from :func:`pade_coefficients`.
    z_pts : (N,) complex, meV
        The points they were fitted at.
    w : (k,) complex, meV
        Where to evaluate (e.g. omega + i0 on the real axis).

    Returns
    -------
    (k,) complex, unit of the fitted values
    """
    zp = np.asarray(z_pts, complex)
    w = np.asarray(w, complex)
    a_prev = np.zeros_like(w)
    a_cur = np.full_like(w, a[0])
    b_prev = np.ones_like(w)
    b_cur = np.ones_like(w)
    for p in range(1, a.size):
        a_next = a_cur + (w - zp[p - 1]) * a[p] * a_prev
        b_next = b_cur + (w - zp[p - 1]) * a[p] * b_prev
        a_prev, a_cur, b_prev, b_cur = a_cur, a_next, b_cur, b_next
        # rescale to keep the recursion in range (the ratio is unchanged)
        sc = np.abs(b_cur) + 1e-300
        a_prev, a_cur, b_prev, b_cur = a_prev / sc, a_cur / sc, b_prev / sc, b_cur / sc
    return a_cur / b_cur


def pade_gap(
    result: MatsubaraResult,
    omega: ArrayLike,
    n_points: int | None = None,
    omega_fit: float | None = None,
    eta: float = 0.0,
) -> NDArray[np.complex128]:
    """Delta(omega + i eta) on the real axis by Pade continuation of Delta(i omega_n).

    Parameters
    ----------
    result : MatsubaraResult
    omega : (k,) float, meV
        Real energies.
    n_points : int, optional
        Matsubara points fitted (the lowest ones). Default: those with omega_n below
        ``omega_fit``, at most 200 (double precision limits useful Pade orders).
    omega_fit : float, meV, optional
        Highest Matsubara energy fitted when ``n_points`` is not given (default: all).
    eta : float, meV
        Distance above the real axis (0: on it).

    Returns
    -------
    (k,) complex, meV
    """
    wn = result.wn
    if n_points is None:
        top = wn[-1] if omega_fit is None else float(omega_fit)
        n_points = int(min(np.count_nonzero(wn <= top), 200))
    if not 2 <= n_points <= wn.size:
        raise ValueError(f"n_points must be within [2, {wn.size}], got {n_points}")
    zp = 1j * wn[:n_points]
    a = pade_coefficients(zp, result.delta[:n_points].astype(complex))
    return pade_evaluate(a, zp, np.asarray(omega, float) + 1j * eta)


def pade_gap_edge(
    result: MatsubaraResult,
    step: float,
    omega_top: float,
    n_points: int | None = None,
    omega_fit: float | None = None,
) -> float:
    """Gap edge Delta_0 (meV) of the Pade-continued Delta(omega): omega = Re Delta(omega).

    Parameters
    ----------
    result : MatsubaraResult
    step : float, meV
        Real-axis sampling of the continued Delta (the crossing is interpolated linearly).
    omega_top : float, meV
        Highest real energy sampled (above the expected gap edge).
    n_points, omega_fit
        As in :func:`pade_gap`.
    """
    w = step * (np.arange(int(omega_top / step) + 1) + 0.5)
    d = pade_gap(result, w, n_points=n_points, omega_fit=omega_fit)
    return gap_edge(w, d)
