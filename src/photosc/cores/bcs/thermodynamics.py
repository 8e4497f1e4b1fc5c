"""BCS free energy and quasi-particle density of the Bogoliubov distribution (paper 000).

With n(E) = 1/(exp((E + lam)/kT) + 1), lam the Bogoliubov chemical potential (lam = 0:
thermal equilibrium), energies in meV and everything per nu(0):

Free energy (paper 000 Eq. 25, normal state subtracted)::

    (F_SC - F_N)/nu(0) = Delta^2/coupling - 2 int_0^cutoff dxi (E - xi)
        - 4 kT int_0^cutoff dxi [ln(1 + e^{-(E+lam)/kT}) - ln(1 + e^{-(xi+lam)/kT})]

(for lam != 0 the grand potential of the quasi-particles, Eq. 27 minimised over rho at
fixed lambda; its stationary points in Delta are the solutions of Eq. 4).

Quasi-particle density (paper 000 Eq. 5, both spins, xi of both signs)::

    n_qp / nu(0) = 4 int_0^cutoff dxi n(E)

(d/dlam of the free energy above is n_qp(Delta) - n_qp(0)). Its logarithm and
lam-derivative, without underflow, serve :mod:`photosc.cores.bcs.fixed_density`.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from photosc.cores.bcs.quadrature import (
    _GL_W01,
    _GL_X01,
    _H_U,
    _MIN_PANELS,
    _STEP_OFFSETS,
    _TINY,
    _broadcast_flat,
    _check_coupling,
    _check_cutoff,
    _check_delta,
    _check_kT,
    _check_lam,
    _fermi,
    _integrate,
    _nodes_1d,
    _step_breaks,
)

# Extra panel edges xi / kT for the normal-state term of the free energy.
_NORMAL_EDGES = np.array([0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0])


# --------------------------------------------------------------------------------------
# free energy
# --------------------------------------------------------------------------------------
def _softplus_T(x: NDArray[np.float64], kT: NDArray[np.float64]) -> NDArray[np.float64]:
    """kT ln(1 + exp(-x/kT)); max(-x, 0) at kT = 0."""
    pos = kT > 0
    safe = np.where(pos, kT, 1.0)
    with np.errstate(over="ignore"):
        tail = np.where(pos, safe * np.log1p(np.exp(-np.abs(x) / safe)), 0.0)
    return np.maximum(-x, 0.0) + tail


def free_energy(
    delta: ArrayLike,
    kT: ArrayLike,
    coupling: ArrayLike,
    cutoff: float,
    lam: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """BCS free energy relative to the normal state, per nu(0) (paper 000 Eq. 25).

    (F_SC - F_N)/nu(0) = Delta^2/coupling - 2 int_0^w dxi (E - xi)
        - 4 int_0^w dxi [kT ln(1 + e^{-(E+lam)/kT}) - kT ln(1 + e^{-(xi+lam)/kT})],

    w = cutoff. The ground-state term is done in closed form,
    -2 int_0^w (E - xi) = -w Delta^2/(w + sqrt(w^2+Delta^2)) - Delta^2 asinh(w/Delta);
    the normal-state reference (Delta = 0, same kT and lam) is subtracted inside the
    integrand, so the result -> 0 as Delta -> 0 (it is exactly 0 at Delta = 0).
    d/dDelta = 2 Delta [1/coupling - int dxi tanh((E+lam)/2kT)/E]: stationary at the
    self-consistent gap; at lam = 0 a minimum in Delta for T < T_c.

    For lam != 0 this is the grand potential of quasi-particles with energy E + lam
    (paper 000 Eq. 27 minimised over rho at fixed lambda: the Lagrange term contributes
    -lam n, a Delta-independent constant, which is dropped), minus its normal-state value.
    Its stationary points in Delta at fixed lam are the solutions of paper 000 Eq. 4, and
    d/dlam of it equals qp_density(Delta) - qp_density(0).

    Parameters
    ----------
    delta : array_like, meV
        Gap >= 0.
    kT : array_like, meV
        k_B T >= 0.
    coupling : array_like
        nu(0) U > 0 (may vary, e.g. with a phonon displacement Q in paper 000).
    cutoff : float, meV
        Debye energy.
    lam : array_like, meV
        Bogoliubov chemical potential. ``delta``, ``kT``, ``coupling``, ``lam`` broadcast.

    Returns
    -------
    ndarray, broadcast shape, meV^2
    """
    _check_delta(delta)
    _check_kT(kT)
    _check_coupling(coupling)
    _check_lam(lam)
    w_c = float(_check_cutoff(cutoff))
    shape, (d, t, g, lm) = _broadcast_flat(delta, kT, coupling, lam)
    out = np.zeros(d.shape)
    m = d >= _TINY * w_c  # below: F ~ Delta^2 underflows, 0 is exact in double precision
    if np.any(m):
        dm, tm, gm, lmm = d[m], t[m], g[m], lm[m]
        d2 = dm * dm
        ground = d2 / gm - w_c * d2 / (w_c + np.sqrt(w_c * w_c + d2)) - d2 * np.arcsinh(w_c / dm)
        thermal = np.zeros_like(dm)
        needs = (tm > 0) | (lmm < 0)
        if np.any(needs):
            dn, tn, ln_ = dm[needs], tm[needs], lmm[needs]

            def integrand(u: NDArray[np.float64], sel: NDArray[np.intp]) -> NDArray[np.float64]:
                xi = dn[sel, None] * np.sinh(u)
                e = dn[sel, None] * np.cosh(u)  # also dxi/du
                lam_, t_ = ln_[sel, None], tn[sel, None]
                return e * (_softplus_T(e + lam_, t_) - _softplus_T(xi + lam_, t_))

            cut = np.full_like(dn, w_c)
            # the normal-state term varies on the scale kT near xi = 0: resolve it when kT << Delta
            normal_edges = tn[:, None] * _NORMAL_EDGES[None, :]
            normal_edges[(tn > 0.25 * dn) | (ln_ > 40.0 * tn)] = np.nan
            breaks = np.concatenate([_step_breaks(dn, ln_, tn), normal_edges], axis=1)
            thermal[needs] = -4.0 * _integrate(dn, cut, breaks, integrand)
        out[m] = ground + thermal
    return out.reshape(shape)


# --------------------------------------------------------------------------------------
# quasi-particle density
# --------------------------------------------------------------------------------------
def qp_density(delta: ArrayLike, lam: ArrayLike, kT: ArrayLike, cutoff: float) -> NDArray:
    """Quasi-particle density per nu(0), 4 int_0^cutoff dxi n(E) (paper 000 Eq. 5).

    n(E) = 1/(exp((E + lam)/kT) + 1) (paper 000 Eqs. 4-5, 30). The factor 4 counts both
    spins and xi of both signs (nu(0) is per spin), consistent with Eq. 25 and with
    d(free energy)/d(lam) = n_qp.

    Parameters
    ----------
    delta, lam, kT : array_like, meV (broadcast together)
        Gap >= 0, Bogoliubov chemical potential, k_B T >= 0.
    cutoff : float, meV
        Debye energy.

    Returns
    -------
    ndarray, broadcast shape, meV (density / nu(0))
    """
    _check_delta(delta)
    _check_lam(lam)
    _check_kT(kT)
    w_c = float(_check_cutoff(cutoff))
    shape, (d, lm, t) = _broadcast_flat(delta, lam, kT)
    d = np.where(d < _TINY * w_c, 0.0, d)
    a = np.where(d > 0, d, np.maximum(t, 1e-12 * w_c))
    if d.size == 1:  # scalar fast path (same nodes as the vector path)
        breaks = _step_breaks(d, lm, t)[0] if lm[0] < 0 else None
        u, w = _nodes_1d(float(a[0]), w_c, breaks)
        xi = a[0] * np.sinh(u)
        e = np.sqrt(xi * xi + d[0] ** 2)
        n = _fermi(e + lm[0], t[0])
        return np.asarray(4.0 * float(np.dot(w, a[0] * np.cosh(u) * n))).reshape(shape)

    def integrand(u: NDArray[np.float64], sel: NDArray[np.intp]) -> NDArray[np.float64]:
        xi = a[sel, None] * np.sinh(u)
        e = np.sqrt(xi * xi + d[sel, None] ** 2)
        return a[sel, None] * np.cosh(u) * _fermi(e + lm[sel, None], t[sel, None])

    cut = np.full_like(d, w_c)
    return (4.0 * _integrate(a, cut, _step_breaks(d, lm, t), integrand)).reshape(shape)


@numba.njit(cache=True)
def _log_qp_density_kernel(delta, lam, kT, cutoff, gx, gw, offsets):  # pragma: no cover
    """:func:`_log_qp_density_and_slope_numpy` in one compiled pass: the same panels in u
    (xi = a sinh u; width <= _H_U, at least _MIN_PANELS, plus the edges at the Fermi
    steps for lam < 0) and nodes, the sums in order (round-off agreement, ~1e-15)."""
    a = delta if delta > 0 else max(kT, 1e-12 * cutoff)
    upper = math.asinh(cutoff / a)
    n_panels = max(_MIN_PANELS, math.ceil(upper / _H_U))
    edges = np.empty(n_panels + 1 + 2 * offsets.size)
    for k in range(n_panels + 1):
        edges[k] = upper * k / n_panels
    m = n_panels + 1
    if lam < 0:
        # the breaks of _step_breaks: xi where E = e_step (if above the gap) and
        # xi = e_step (if >= 0), clipped to the cutoff
        for k in range(offsets.size):
            e_step = -lam + kT * offsets[k]
            v2 = e_step * e_step - delta * delta
            if v2 >= 0.0:
                edges[m] = math.asinh(min(math.sqrt(v2), cutoff) / a)
                m += 1
        for k in range(offsets.size):
            e_step = -lam + kT * offsets[k]
            if e_step >= 0.0:
                edges[m] = math.asinh(min(e_step, cutoff) / a)
                m += 1
    ed = np.sort(edges[:m])
    top = -math.inf
    for p in range(m - 1):
        h = ed[p + 1] - ed[p]
        for q in range(gx.size):
            u = ed[p] + h * gx[q]
            x = (math.sqrt((a * math.sinh(u)) ** 2 + delta * delta) + lam) / kT
            top = max(top, -(max(x, 0.0) + math.log1p(math.exp(-abs(x)))))
    total = 0.0
    hole = 0.0
    for p in range(m - 1):
        h = ed[p + 1] - ed[p]
        for q in range(gx.size):
            u = ed[p] + h * gx[q]
            x = (math.sqrt((a * math.sinh(u)) ** 2 + delta * delta) + lam) / kT
            log_f = -(max(x, 0.0) + math.log1p(math.exp(-abs(x))))
            weight = h * gw[q] * a * math.cosh(u) * math.exp(log_f - top)
            total += weight
            hole += weight / (1.0 + math.exp(-x))  # 1 - f = expit(x)
    return math.log(4.0) + top + math.log(total), -hole / (total * kT)


def _log_qp_density_and_slope(
    delta: float, lam: float, kT: float, cutoff: float
) -> tuple[float, float]:
    """log(n_qp / nu(0)) and its lam-derivative, without underflow (kT > 0).

    d log n / d lam = -(1/kT) <1 - f>, the average over the quasi-particles. Compiled
    (:func:`_log_qp_density_kernel`; issue 16: the fixed-density solves of paper 000's
    protocol scenario spent 11 of their 16 s here); :func:`_log_qp_density_and_slope_numpy`
    is the NumPy form it is tested against.
    """
    if delta < _TINY * cutoff:
        delta = 0.0
    return _log_qp_density_kernel(
        float(delta), float(lam), float(kT), float(cutoff), _GL_X01, _GL_W01, _STEP_OFFSETS
    )


def _log_qp_density_and_slope_numpy(
    delta: float, lam: float, kT: float, cutoff: float
) -> tuple[float, float]:
    """The NumPy form of :func:`_log_qp_density_and_slope` (test reference)."""
    if delta < _TINY * cutoff:
        delta = 0.0
    a = delta if delta > 0 else max(kT, 1e-12 * cutoff)
    breaks = None
    if lam < 0:
        breaks = _step_breaks(np.array([delta]), np.array([lam]), np.array([kT]))[0]
    u, w = _nodes_1d(a, cutoff, breaks)
    xi = a * np.sinh(u)
    e = np.sqrt(xi * xi + delta * delta)
    x = (e + lam) / kT
    log_f = -np.logaddexp(0.0, x)
    top = float(np.max(log_f))
    weight = w * a * np.cosh(u) * np.exp(log_f - top)
    total = float(np.sum(weight))
    one_minus_f = expit(x)
    slope = -float(np.sum(weight * one_minus_f)) / (total * kT)
    return math.log(4.0) + top + math.log(total), slope


def _log_qp_density(delta: float, lam: float, kT: float, cutoff: float) -> float:
    """log(n_qp / nu(0)) without underflow (kT > 0)."""
    return _log_qp_density_and_slope(delta, lam, kT, cutoff)[0]
