"""The linearised real-axis gap equation: pairing eigenvalue lambda_max and T_c.

To first order in phi = Z Delta the phi equation of :mod:`~photosc.cores.eliashberg.kernels`
(paper 001 SI Eqs. 6-9 in the real-axis form of Marsiglio, Schossmann & Carbotte, PRB 37,
4965 (1988)) is a real-linear map on (Re phi, Im phi), with Z = Z_N, the normal-state Z of
the given thermal or non-thermal f(E) and n(Omega), and the pair density P = Re[phi /
(omega' Z_N)] integrated over the cells as in :mod:`~photosc.cores.eliashberg.densities`
(so that it is exactly the small-Delta limit of the non-linear map). Its leading
eigenvalue lambda_max > 1 means the normal state with these f and n is Cooper-unstable;
lambda_max = 1 at T_c for thermal f and n.

* Eigenvalue: ARPACK with the FFT mat-vec, or, from a previous eigenvector, an explicitly
  restarted Arnoldi iteration (typically 10-20 operator applications; 3-8 with
  ``early_exit``, the normal-state check of the kinetics, issue 16).
* T_c: largest eigenvalue of the linearised phi equation (ARPACK, FFT mat-vec)
  crossing 1, bracketed root search (Brent) in T.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigs

from photosc.cores.eliashberg.densities import _line_factors
from photosc.cores.eliashberg.kernels import EliashbergKernels
from photosc.errors import ConvergenceError
from photosc.foundation.units import KB


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
    k_min: int | None = None,
) -> tuple[float, NDArray[np.float64]] | None:
    """Rightmost real eigenpair by explicitly restarted Arnoldi from a good start.

    Krylov spaces of dimension ``m`` (modified Gram-Schmidt, one re-orthogonalisation),
    Ritz value of largest real part, restarted from its Ritz vector until the residual
    |A v - theta v| <= tol |theta|. Returns (theta, unit v), or None (no convergence, a
    complex leading Ritz value, or a breakdown): the caller falls back to ARPACK.

    With ``k_min`` (2 <= k_min <= m) the residual of the leading Ritz pair,
    |h_{k+1,k} y_k| (the Arnoldi relation), is also checked after every operator
    application from Krylov dimension ``k_min`` on, and the pair is returned as soon as
    it meets ``tol``: from the previous step's eigenvector (a warm start) that takes 3-6
    applications instead of at least ``m`` (issue 16). None: only at the end of a cycle.
    """
    if k_min is not None and not 2 <= k_min <= m:
        raise ValueError(f"k_min must be in [2, m={m}], got {k_min}")
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
            if k_min is not None and k_min <= k + 1 < m:
                vals, vecs = np.linalg.eig(hm[: k + 1, : k + 1])
                i = int(np.argmax(vals.real))
                theta = vals[i]
                y = vecs[:, i]
                if abs(theta.imag) <= 1e-10 * abs(theta) and abs(hm[k + 1, k] * y[-1]) <= tol * abs(
                    theta.real
                ) * float(np.linalg.norm(y)):
                    y = y.real / float(np.linalg.norm(y.real))
                    v = q[:, : k + 1] @ y
                    return float(theta.real), v / float(np.linalg.norm(v))
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


class LinearizedPairing(EliashbergKernels):
    """The linearised gap equation on the grid and kernels of :class:`EliashbergKernels`.

    The base of :class:`~photosc.cores.eliashberg.EliashbergSolver` (parameters there):
    Z_N, the linearised operator on phi = Z Delta, its leading eigenvalue, the
    small-amplitude gain of the non-linear map, and T_c.
    """

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

        The equation for phi of :mod:`.kernels` (paper 001 SI Eqs. 6-9 in the
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
        early_exit: int | None = None,
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
        early_exit : int, optional
            With ``v0``: return as soon as the Krylov space has this dimension (>= 2) and
            the leading Ritz pair meets ``tol`` (``k_min`` of :func:`_restarted_arnoldi`;
            3-6 operator applications from a close start instead of at least 10). None:
            residual checked at the end of each 10-dimensional cycle.

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
            got = _restarted_arnoldi(mv, v, tol, k_min=early_exit)
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
