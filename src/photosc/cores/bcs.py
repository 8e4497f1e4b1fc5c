"""BCS mean-field core: gap equation for an arbitrary quasi-particle distribution.

Conventions
-----------
* Energies in meV; ``kT`` = k_B T in meV (0 allowed: the T = 0 limit).
* ``coupling`` = nu(0) U, dimensionless, with nu(0) the density of states per spin
  at the Fermi level; ``cutoff`` = omega_D, the Debye (pairing) cutoff, meV.
* ``occupation`` n(E) is the occupation of one Bogoliubov quasi-particle state of
  energy E (the same for both branches/spins); the gap equation uses 1 - 2 n(E).

Equations
---------
Gap equation (paper 004 Eq. 1; paper 000 Eq. 4 and Eq. 31)::

    1 = coupling * int_0^cutoff dxi (1 - 2 n(E)) / E,     E = sqrt(xi^2 + Delta^2)

Paper 004 writes 1/g = int dE/E nu_qp(E) [1 - 2n(E)] with nu_qp = 2 nu_F E / sqrt(E^2 -
Delta^2); since dE E / sqrt(E^2 - Delta^2) = dxi, this is the form above with
``coupling = 2 g nu_F``. For the Bogoliubov distribution n(E) = 1/(exp((E + lam)/kT) + 1)
of paper 000, 1 - 2n = tanh((E + lam)/(2 kT)): the converted text of Eq. 4 puts lambda
inside the square root and Eq. 31 lost the 1/2 in the tanh argument (papers/README.md);
the form used here is the one derived from Eqs. 29-30.

Closed forms: Delta(0) = cutoff / sinh(1/coupling);
k_B T_c = (2 e^gamma / pi) cutoff exp(-1/coupling) = 1.134 cutoff exp(-1/coupling)
(weak coupling); Delta(0) / k_B T_c = pi / e^gamma = 1.764;
Delta(T) = sqrt(8 pi^2 / (7 zeta(3))) k_B T_c sqrt(1 - T/T_c) = 3.063 k_B T_c sqrt(1 - T/T_c)
near T_c (weak coupling).

Free energy (paper 000 Eq. 25, per nu(0), normal state subtracted)::

    (F_SC - F_N)/nu(0) = Delta^2/coupling - 2 int_0^cutoff dxi (E - xi)
        - 4 kT int_0^cutoff dxi [ln(1 + e^{-(E+lam)/kT}) - ln(1 + e^{-(xi+lam)/kT})]

Quasi-particle density (paper 000 Eq. 5, per nu(0): both spins, xi of both signs)::

    n_qp / nu(0) = 4 int_0^cutoff dxi n(E)

API
---
``delta_zero(coupling, cutoff)``                     exact T = 0 gap, meV
``tc_weak_coupling(coupling, cutoff)``               k_B T_c closed form, meV
``gap_near_tc(kT, kTc)``                             weak-coupling Delta(T) near T_c, meV
``weak_coupling_gap(kT, kTc)``                       universal weak-coupling Delta(T), meV
``condensation_energy_zero(coupling, cutoff)``       (F_SC - F_N)/nu(0) at T = 0, meV^2
``condensation_energy_near_tc(kT, kTc)``             its weak-coupling GL limit, meV^2
``critical_temperature(coupling, cutoff)``           k_B T_c of the cutoff model, solved, meV
``gap_integral(delta, cutoff, occupation, *, breakpoints, scale)``
                                                     int_0^cutoff dxi (1 - 2n(E))/E
``solve_gap(coupling, cutoff, occupation=None, *, kT=0, lam=0, delta_guess=None, tol=1e-10,
max_iter=200, breakpoints=())`` -> ``GapSolution(delta, iterations, residual)``;
``occupation(E, delta) -> n`` (None: Bogoliubov n(E) = 1/(exp((E + lam)/kT) + 1))
``equilibrium_gap(kT, coupling, cutoff)``            Delta(T), broadcast over kT and coupling
``free_energy(delta, kT, coupling, cutoff, lam=0)``  (F_SC - F_N)/nu(0), broadcast, meV^2
``qp_density(delta, lam, kT, cutoff)``               n_qp / nu(0), broadcast, meV
``fixed_density_state(n_qp, kT, coupling, cutoff, *, delta_guess=None, tol, max_iter)``
-> ``FixedDensityState(delta, lam, iterations, residual)`` (paper 000 Eqs. 4-5, 27-31)
``fixed_density_free_energy(delta, n_qp, kT, coupling, cutoff)``  F_n(Delta) - F_n(0) at
fixed density (paper 000 Eq. 27), meV^2; stationary at the fixed-density states

Bad input (coupling <= 0, cutoff <= 0, kT < 0, NaN, ...) raises ``ValueError`` naming the
argument and the value; a root finder that does not converge raises
:class:`photosc.errors.ConvergenceError` with the residual.

Numerics
--------
Integrals over xi use the substitution xi = a sinh(u) with a = Delta (a = kT, or a given
scale, at Delta = 0), so that dxi / E = du and every integrand is smooth in u, and
composite Gauss-Legendre panels (10 nodes) of width <= 0.5 in u, with extra panel edges
around the Fermi step E = -lam for lam < 0 (and, in the free energy, around xi ~ kT when
kT << Delta). Gaps below 1e-200 * cutoff count as 0. Everything is vectorised over the
nodes (and over Delta, kT, lam, coupling where documented); no ``scipy.integrate.quad``.
``equilibrium_gap`` solves all its points at once (safeguarded Newton in log Delta);
``solve_gap`` and ``fixed_density_state`` use Brent's method per point, with a scan for
the largest root where the gap equation may have several (``benchmarks/bench_bcs.py``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq, minimize_scalar
from scipy.special import expit, zeta

from photosc.errors import ConvergenceError

__all__ = [
    "EULER_GAMMA",
    "FixedDensityState",
    "GapSolution",
    "condensation_energy_near_tc",
    "condensation_energy_zero",
    "critical_temperature",
    "delta_zero",
    "equilibrium_gap",
    "fixed_density_free_energy",
    "fixed_density_state",
    "free_energy",
    "gap_integral",
    "gap_near_tc",
    "qp_density",
    "solve_gap",
    "tc_weak_coupling",
    "weak_coupling_gap",
]

#: Euler-Mascheroni constant.
EULER_GAMMA = 0.5772156649015329
#: 2 e^gamma / pi = 1.1339 (k_B T_c = TC_PREFACTOR * cutoff * exp(-1/coupling)).
TC_PREFACTOR = 2.0 * math.exp(EULER_GAMMA) / math.pi
#: pi / e^gamma = 1.7639 (Delta(0) / k_B T_c in weak coupling).
GAP_TO_TC = math.pi / math.exp(EULER_GAMMA)
#: sqrt(8 pi^2 / (7 zeta(3))) = 3.0633 (Delta(T) / (k_B T_c sqrt(1 - T/T_c)) near T_c).
GAP_NEAR_TC_PREFACTOR = math.sqrt(8.0 * math.pi**2 / (7.0 * float(zeta(3.0))))

# Quadrature: Gauss-Legendre panels in u (xi = a sinh u).
_N_GL = 10
_GL_X, _GL_W = np.polynomial.legendre.leggauss(_N_GL)
_GL_X01 = 0.5 * (_GL_X + 1.0)
_GL_W01 = 0.5 * _GL_W
_H_U = 0.5  # largest panel width in u
_MIN_PANELS = 4
# Extra panel edges around a Fermi step at E = -lam, in units of kT.
_STEP_OFFSETS = np.array(
    [-30.0, -16.0, -8.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
)
# Extra panel edges xi / kT for the normal-state term of the free energy.
_NORMAL_EDGES = np.array([0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0])
# Gaps below _TINY * cutoff are treated as 0 (their effect is below double precision).
_TINY = 1e-200
# Smallest Delta / Delta(0) tried when bracketing the gap equation.
_DELTA_FLOOR = 1e-12


class GapSolution(NamedTuple):
    """Result of :func:`solve_gap`.

    Attributes
    ----------
    delta : float, meV
        The self-consistent gap (0.0 when only the trivial solution exists).
    iterations : int
        Evaluations of the gap equation.
    residual : float
        |coupling * gap_integral - 1| at ``delta`` (0.0 for the trivial solution).
    """

    delta: float
    iterations: int
    residual: float


class FixedDensityState(NamedTuple):
    """Result of :func:`fixed_density_state`.

    Attributes
    ----------
    delta : float, meV
        Gap self-consistent with the Bogoliubov distribution at ``lam``.
    lam : float, meV
        Bogoliubov chemical potential lambda fixing the quasi-particle density.
    iterations : int
        Evaluations of the gap equation (each with its own lambda solve).
    residual : float
        max(|coupling * gap_integral - 1|, |log(n_qp(delta, lam) / n_qp)|).
    """

    delta: float
    lam: float
    iterations: int
    residual: float


# --------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------
def _is_number(x: object) -> bool:
    return isinstance(x, float | int) and not isinstance(x, bool)


def _check(
    x: ArrayLike, ok: Callable[[NDArray[np.float64]], NDArray[np.bool_]], what: str
) -> NDArray[np.float64]:
    """``x`` as a float array if ``ok`` holds everywhere (and it is finite), else ValueError."""
    if _is_number(x):  # fast path for plain numbers
        arr = np.asarray(float(x))  # type: ignore[arg-type]
        if math.isfinite(float(x)) and bool(ok(arr)):  # type: ignore[arg-type]
            return arr
        raise ValueError(f"{what}, got {x}")
    arr = np.asarray(x, dtype=float)
    good = np.isfinite(arr) & ok(arr)
    if not np.all(good):
        bad = arr if arr.ndim == 0 else arr[~good][:3]
        raise ValueError(f"{what}, got {bad}")
    return arr


def _check_coupling(coupling: ArrayLike) -> NDArray[np.float64]:
    return _check(
        coupling, lambda g: g > 0, "coupling (dimensionless nu(0)U) must be finite and > 0"
    )


def _check_cutoff(cutoff: ArrayLike) -> NDArray[np.float64]:
    return _check(cutoff, lambda w: w > 0, "cutoff (Debye energy, meV) must be finite and > 0")


def _check_kT(kT: ArrayLike, name: str = "kT") -> NDArray[np.float64]:
    return _check(kT, lambda t: t >= 0, f"{name} (k_B T in meV) must be finite and >= 0")


def _check_delta(delta: ArrayLike) -> NDArray[np.float64]:
    return _check(delta, lambda d: d >= 0, "delta (gap in meV) must be finite and >= 0")


def _check_lam(lam: ArrayLike) -> NDArray[np.float64]:
    return _check(
        lam,
        lambda x: np.ones_like(x, dtype=bool),
        "lam (Bogoliubov chemical potential, meV) must be finite",
    )


# --------------------------------------------------------------------------------------
# closed forms
# --------------------------------------------------------------------------------------
def delta_zero(coupling: float, cutoff: float) -> float:
    """Exact T = 0 gap of the cutoff model, Delta(0) = cutoff / sinh(1/coupling).

    Parameters
    ----------
    coupling : float
        nu(0) U > 0, dimensionless.
    cutoff : float, meV
        Debye energy omega_D > 0.

    Returns
    -------
    float, meV
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    x = 1.0 / g
    if x > 700.0:
        return 2.0 * w * math.exp(-x)
    return w / math.sinh(x)


def tc_weak_coupling(coupling: float, cutoff: float) -> float:
    """Weak-coupling k_B T_c = (2 e^gamma / pi) cutoff exp(-1/coupling) = 1.134 ...

    Parameters
    ----------
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy.

    Returns
    -------
    float, meV
        k_B T_c.
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    return TC_PREFACTOR * w * math.exp(-1.0 / g)


def gap_near_tc(kT: ArrayLike, kTc: float) -> NDArray[np.float64]:
    """Weak-coupling gap near T_c: 3.063 k_B T_c sqrt(1 - T/T_c) (0 above T_c).

    Parameters
    ----------
    kT : array_like, meV
        k_B T >= 0.
    kTc : float, meV
        k_B T_c > 0.

    Returns
    -------
    ndarray, shape of ``kT``, meV
    """
    t = _check_kT(kT)
    if not kTc > 0:
        raise ValueError(f"kTc must be > 0, got {kTc}")
    return GAP_NEAR_TC_PREFACTOR * kTc * np.sqrt(np.clip(1.0 - t / kTc, 0.0, None))


def condensation_energy_near_tc(kT: ArrayLike, kTc: float) -> NDArray[np.float64]:
    """Weak-coupling (F_SC - F_N)/nu(0) at the gap near T_c (Ginzburg-Landau limit), meV^2.

    From dF/dDelta = 2 Delta (1/coupling - I) with 1/coupling - I(0, T) = ln(T/T_c) and
    I(Delta, T) - I(0, T) = -7 zeta(3) Delta^2 / (8 pi^2 kT^2):
    F = -(4 pi^2 / (7 zeta(3))) (k_B T_c)^2 (1 - T/T_c)^2 to leading order (0 above T_c).

    Parameters
    ----------
    kT : array_like, meV
        k_B T >= 0.
    kTc : float, meV
        k_B T_c > 0.

    Returns
    -------
    ndarray, shape of ``kT``, meV^2
    """
    t = _check_kT(kT)
    if not kTc > 0:
        raise ValueError(f"kTc must be > 0, got {kTc}")
    eps = np.clip(1.0 - t / kTc, 0.0, None)
    return -0.5 * GAP_NEAR_TC_PREFACTOR**2 * kTc**2 * eps**2


def _weak_gap_residual(log_d: float, kT: float, d0: float) -> float:
    """ln(Delta_0/Delta) - 2 int_0^inf dxi f(E)/E with xi = Delta sinh u (dxi/E = du)."""
    d = math.exp(log_d)
    # f(Delta cosh u) underflows beyond E = 760 kT
    u_max = math.acosh(max(1.0 + 1e-12, 760.0 * kT / d))
    n_panels = max(_MIN_PANELS, math.ceil(u_max / _H_U))
    u, w = _panels(np.linspace(0.0, u_max, n_panels + 1))
    occ = _fermi(d * np.cosh(u), np.asarray(kT))
    return math.log(d0) - log_d - 2.0 * float(np.sum(w * occ))


def weak_coupling_gap(kT: ArrayLike, kTc: float, *, tol: float = 1e-12) -> NDArray[np.float64]:
    """Universal weak-coupling BCS gap Delta(T), independent of the cutoff.

    Subtracting the T = 0 gap equation from the finite-T one and letting cutoff -> infinity,
    coupling -> 0 at fixed T_c gives the cutoff-free form

        ln(Delta_0 / Delta) = 2 int_0^inf dxi f(E) / E,   Delta_0 = (pi / e^gamma) k_B T_c,

    solved here for Delta (a method independent of :func:`solve_gap`; the cutoff model
    approaches it as coupling -> 0).

    Parameters
    ----------
    kT : array_like, meV
        k_B T >= 0.
    kTc : float, meV
        k_B T_c > 0.
    tol : float
        Relative tolerance on Delta.

    Returns
    -------
    ndarray, shape of ``kT``, meV
        0 at and above T_c.
    """
    t = _check_kT(kT)
    if not kTc > 0:
        raise ValueError(f"kTc must be > 0, got {kTc}")
    d0 = GAP_TO_TC * kTc
    out = np.zeros(t.shape)
    flat, res = t.reshape(-1), out.reshape(-1)
    for i, ti in enumerate(flat):
        if ti == 0.0:
            res[i] = d0
        elif ti < kTc:
            res[i] = math.exp(
                brentq(
                    _weak_gap_residual, math.log(d0) - 60.0, math.log(d0), args=(ti, d0), xtol=tol
                )
            )
    return out


def condensation_energy_zero(coupling: float, cutoff: float) -> float:
    """(F_SC - F_N)/nu(0) at T = 0 and the self-consistent gap, exact for the cutoff model.

    cutoff^2 (1 - coth(1/coupling)) -> -Delta(0)^2 / 2 in weak coupling; paper 000 writes
    the T = 0 energy as -omega^2 nu(0) coth(1/(nu(0) U)) (Methods, below Eq. 26), the same
    up to the Delta-independent omega^2 nu(0).

    Parameters
    ----------
    coupling : float
        nu(0) U > 0, dimensionless.
    cutoff : float, meV
        Debye energy omega_D > 0.

    Returns
    -------
    float, meV^2
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    x = 1.0 / g
    # 1 - coth(x) = -2 / (e^{2x} - 1)
    return -2.0 * w * w / math.expm1(2.0 * x) if x < 350 else -2.0 * w * w * math.exp(-2 * x)


# --------------------------------------------------------------------------------------
# quadrature
# --------------------------------------------------------------------------------------
def _one_minus_2n(x: NDArray[np.float64], kT: NDArray[np.float64]) -> NDArray[np.float64]:
    """1 - 2 f(x) = tanh(x / 2kT); sign(x) at kT = 0."""
    pos = kT > 0
    safe = np.where(pos, kT, 1.0)
    with np.errstate(over="ignore"):
        return np.where(pos, np.tanh(x / (2.0 * safe)), np.sign(x))


def _fermi(x: NDArray[np.float64], kT: NDArray[np.float64]) -> NDArray[np.float64]:
    """Fermi function 1/(e^{x/kT}+1), step at kT = 0 (1/2 at x = 0); accurate in the tail."""
    pos = kT > 0
    safe = np.where(pos, kT, 1.0)
    with np.errstate(over="ignore"):
        return np.where(pos, expit(-x / safe), 0.5 * (1.0 - np.sign(x)))


def _panels(edges: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes and weights on the panels between sorted ``edges`` (..., P+1)."""
    a = edges[..., :-1, None]
    h = edges[..., 1:, None] - a
    x = a + h * _GL_X01
    w = h * _GL_W01
    shape = edges.shape[:-1] + (-1,)
    return x.reshape(shape), w.reshape(shape)


def _integrate(
    scale: NDArray[np.float64],
    cutoff: NDArray[np.float64],
    xi_breaks: NDArray[np.float64] | None,
    integrand: Callable[[NDArray[np.float64], NDArray[np.intp]], NDArray[np.float64]],
) -> NDArray[np.float64]:
    """int_0^cutoff dxi (...) as sum_j w_j integrand(u_j) with xi = scale sinh(u).

    The caller's ``integrand(u, sel)`` returns the integrand times dxi/du on the nodes
    ``u`` (len(sel), M) for the elements ``sel`` of the flat inputs. Panels of width
    <= _H_U in u; elements are grouped by the number of panels they need (exact up to
    32, then powers of 2) so that one tiny gap does not make every element expensive.

    Parameters
    ----------
    scale : (N,) float, meV
        a > 0 of the substitution (>= 1e-200 cutoff).
    cutoff : (N,) float, meV
        Upper end in xi.
    xi_breaks : (N, K) float, meV, optional
        Extra panel edges in xi (NaN entries and values outside [0, cutoff] are ignored).
    integrand : callable(u, sel) -> (len(sel), M) array, or a tuple of k such arrays

    Returns
    -------
    (N,) float, or (k, N) for a tuple integrand
    """
    upper = np.arcsinh(cutoff / scale)
    need = np.maximum(_MIN_PANELS, np.ceil(upper / _H_U)).astype(int)
    # exact panel counts up to 32, powers of two above (few groups, little waste)
    bucket = np.where(need <= 32, need, 2 ** np.ceil(np.log2(need)).astype(int))
    out: NDArray[np.float64] | None = None
    for b in np.unique(bucket):
        sel = np.nonzero(bucket == b)[0]
        edges = upper[sel, None] * np.linspace(0.0, 1.0, b + 1)[None, :]
        xb = None
        if xi_breaks is not None and xi_breaks.shape[-1]:
            xb = xi_breaks[sel]
            xb = xb[:, np.any(np.isfinite(xb), axis=0)]  # drop unused edges (no 0-width panels)
        if xb is not None and xb.shape[-1]:
            xb = np.where(np.isfinite(xb), xb, 0.0)
            xb = np.clip(xb, 0.0, cutoff[sel, None])
            ub = np.arcsinh(xb / scale[sel, None])
            edges = np.sort(np.concatenate([edges, ub], axis=1), axis=1)
        u, w = _panels(edges)
        vals = integrand(u, sel)
        part = np.stack(vals) if isinstance(vals, tuple) else vals
        if out is None:
            out = np.empty(part.shape[:-2] + scale.shape)
        out[..., sel] = np.sum(w * part, axis=-1)
    assert out is not None
    return out


@functools.lru_cache(maxsize=64)
def _template(n_panels: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes and weights of ``n_panels`` equal panels on [0, 1]."""
    x, w = _panels(np.linspace(0.0, 1.0, n_panels + 1))
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def _nodes_1d(
    scale: float, cutoff: float, xi_breaks: NDArray[np.float64] | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Nodes u (M,) and weights for one element (see :func:`_integrate`)."""
    upper = math.asinh(cutoff / scale)
    n_panels = max(_MIN_PANELS, math.ceil(upper / _H_U))
    if xi_breaks is not None and xi_breaks.size:
        xb = xi_breaks[np.isfinite(xi_breaks)]
        if xb.size:
            edges = np.linspace(0.0, upper, n_panels + 1)
            xb = np.clip(xb, 0.0, cutoff)
            return _panels(np.sort(np.concatenate([edges, np.arcsinh(xb / scale)])))
    x, w = _template(n_panels)
    return upper * x, upper * w


def _bogoliubov_gap_integral_1(delta: float, lam: float, kT: float, cutoff: float) -> float:
    """Scalar fast path of :func:`_bogoliubov_gap_integral` (delta > 0)."""
    breaks = None
    if lam < 0:
        breaks = _step_breaks(np.array([delta]), np.array([lam]), np.array([kT]))[0]
    u, w = _nodes_1d(delta, cutoff, breaks)
    x = delta * np.cosh(u) + lam
    if kT > 0:
        with np.errstate(over="ignore"):
            return float(np.dot(w, np.tanh(x / (2.0 * kT))))
    return float(np.dot(w, np.sign(x)))


def _step_breaks(
    delta: NDArray[np.float64], lam: NDArray[np.float64], kT: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Panel edges in xi around the Fermi steps of n(E) and of n(xi) at E = -lam (lam < 0).

    Returns (N, 2K) with NaN where not needed (lam >= 0).
    """
    e_step = -lam[:, None] + kT[:, None] * _STEP_OFFSETS[None, :]
    with np.errstate(invalid="ignore"):
        xi_sc = np.sqrt(e_step**2 - delta[:, None] ** 2)  # NaN below the gap
    xi_n = e_step
    out = np.concatenate([xi_sc, xi_n], axis=1)
    out[lam >= 0] = np.nan
    out[out < 0] = np.nan
    return out


def _broadcast_flat(*arrays: ArrayLike) -> tuple[tuple[int, ...], list[NDArray[np.float64]]]:
    b = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in arrays])
    shape = b[0].shape
    return shape, [np.ascontiguousarray(x).reshape(-1) for x in b]


def _bogoliubov_gap_integral(
    delta: NDArray[np.float64],
    lam: NDArray[np.float64],
    kT: NDArray[np.float64],
    cutoff: NDArray[np.float64],
) -> NDArray[np.float64]:
    """int_0^cutoff dxi tanh((E + lam)/2kT) / E for flat arrays (N,), delta > 0."""

    def integrand(u: NDArray[np.float64], sel: NDArray[np.intp]) -> NDArray[np.float64]:
        e = delta[sel, None] * np.cosh(u)
        return _one_minus_2n(e + lam[sel, None], kT[sel, None])

    return _integrate(delta, cutoff, _step_breaks(delta, lam, kT), integrand)


def _normal_gap_integral(kT: NDArray[np.float64], cutoff: NDArray[np.float64]) -> NDArray:
    """int_0^cutoff dxi tanh(xi/2kT) / xi for flat arrays, kT > 0 (xi = kT sinh u).

    The Delta -> 0 limit of the gap integral at lam = 0 (T_c equation).
    """

    def integrand(u: NDArray[np.float64], sel: NDArray[np.intp]) -> NDArray[np.float64]:
        return np.tanh(0.5 * np.sinh(u)) / np.tanh(u)

    return _integrate(kT, cutoff, None, integrand)


def gap_integral(
    delta: float,
    cutoff: float,
    occupation: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    *,
    breakpoints: Sequence[float] = (),
    scale: float | None = None,
) -> float:
    """int_0^cutoff dxi (1 - 2 n(E)) / E for an arbitrary occupation n(E).

    Paper 004 Eq. 1 written over xi (see the module docstring); paper 000 Eq. 4.

    Parameters
    ----------
    delta : float, meV
        Gap >= 0.
    cutoff : float, meV
        Debye energy > 0.
    occupation : callable
        ``occupation(E) -> n``, E an ndarray (any shape) of quasi-particle energies in meV,
        returns the occupation (same shape, dimensionless).
    breakpoints : sequence of float, meV
        Energies E where n(E) has a kink or step (panel edges are put there).
    scale : float, meV, optional
        For ``delta = 0`` only: the scale a of xi = a sinh u (default cutoff / 1000). The
        integral is finite at delta = 0 only if 1 - 2 n(E) vanishes at E -> 0.

    Returns
    -------
    float, dimensionless (1/coupling at self-consistency)
    """
    d = float(_check_delta(delta))
    w_c = float(_check_cutoff(cutoff))
    if d < _TINY * w_c:
        d = 0.0
    a = d if d > 0 else (float(scale) if scale is not None else 1e-3 * w_c)
    if not a >= _TINY * w_c:
        raise ValueError(f"scale must be > {_TINY} * cutoff, got {scale}")
    xi_b = None
    if len(breakpoints):
        bp = np.asarray(breakpoints, dtype=float).reshape(-1)
        bp = bp[np.abs(bp) > d]  # energies inside the gap are not in the integral
        xi_b = np.sqrt(bp * bp - d * d)
    u, w = _nodes_1d(a, w_c, xi_b)
    if d > 0:  # xi = Delta sinh u: E = Delta cosh u, dxi / E = du
        e = d * np.cosh(u)
        jac = None
    else:
        e = a * np.sinh(u)
        jac = 1.0 / np.tanh(u)
    n = np.asarray(occupation(e), dtype=float)
    if n.shape != e.shape:
        raise ValueError(f"occupation returned shape {n.shape}, expected {e.shape}")
    total = float(np.dot(w if jac is None else w * jac, 1.0 - 2.0 * n))
    if not math.isfinite(total):
        raise ValueError("occupation returned non-finite values")
    return total


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


def _log_qp_density_and_slope(
    delta: float, lam: float, kT: float, cutoff: float
) -> tuple[float, float]:
    """log(n_qp / nu(0)) and its lam-derivative, without underflow (kT > 0).

    d log n / d lam = -(1/kT) <1 - f>, the average over the quasi-particles.
    """
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


# --------------------------------------------------------------------------------------
# T_c and the gap equation
# --------------------------------------------------------------------------------------
def critical_temperature(coupling: float, cutoff: float, *, tol: float = 1e-12) -> float:
    """k_B T_c of the cutoff model: 1 = coupling int_0^cutoff dxi tanh(xi/2kT)/xi.

    Solved numerically (no weak-coupling approximation; results are cached); tends to
    :func:`tc_weak_coupling` as coupling -> 0 (with corrections ~ exp(-cutoff/kT_c)) and
    to coupling * cutoff / 2 at strong coupling.

    Parameters
    ----------
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy > 0.
    tol : float
        Relative tolerance on k_B T_c.

    Returns
    -------
    float, meV
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    return _critical_temperature(g, w, float(tol))


@functools.lru_cache(maxsize=4096)
def _critical_temperature(g: float, w: float, tol: float) -> float:
    t_w = tc_weak_coupling(g, w)
    if t_w <= 1e-300:
        raise ValueError(f"coupling {g} is too small: k_B T_c underflows")

    def h(log_t: float) -> float:
        t = math.exp(log_t)
        return g * float(_normal_gap_integral(np.array([t]), np.array([w]))[0]) - 1.0

    lo, hi = math.log(0.5 * t_w), math.log(max(2.0 * t_w, g * w))
    for _ in range(60):
        if h(lo) > 0:
            break
        lo -= 1.0
    for _ in range(60):
        if h(hi) < 0:
            break
        hi += 1.0
    log_tc, res = brentq(h, lo, hi, xtol=tol, rtol=4 * np.finfo(float).eps, full_output=True)
    if not res.converged:  # pragma: no cover - brentq raises first
        raise ConvergenceError("T_c search did not converge", abs(h(log_tc)), res.iterations)
    return math.exp(log_tc)


def _solve_bracketed(
    h: Callable[[float], float],
    lo: float,
    hi: float,
    xtol: float,
    rtol: float,
    max_iter: int,
    what: str,
) -> tuple[float, int]:
    """Brent's method on [lo, hi]; ConvergenceError (with |h|) instead of scipy's errors."""
    rtol = max(rtol, 4.0 * np.finfo(float).eps * 1.01)
    try:
        x, res = brentq(h, lo, hi, xtol=xtol, rtol=rtol, maxiter=max_iter, full_output=True)
    except (RuntimeError, ValueError) as exc:  # no convergence, or a bracket lost to noise
        raise ConvergenceError(f"{what}: {exc}", abs(h(0.5 * (lo + hi))), max_iter) from None
    return float(x), int(res.function_calls)


def solve_gap(
    coupling: float,
    cutoff: float,
    occupation: Callable[[NDArray[np.float64], float], NDArray[np.float64]] | None = None,
    *,
    kT: float = 0.0,
    lam: float = 0.0,
    delta_guess: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 200,
    breakpoints: Sequence[float] | Callable[[float], Sequence[float]] = (),
) -> GapSolution:
    """Solve 1 = coupling int_0^cutoff dxi (1 - 2n(E))/E for Delta (paper 004 Eq. 1).

    Parameters
    ----------
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy > 0.
    occupation : callable, optional
        ``occupation(E, delta) -> n``: E an ndarray of energies (meV), delta the trial gap
        (meV), so that a distribution that depends on the gap (e.g. paper 004's
        n_F + delta n[Delta]) is recomputed self-consistently. None: the Bogoliubov
        distribution 1/(exp((E + lam)/kT) + 1) (paper 000 Eq. 4).
    kT : float, meV
        k_B T >= 0 (used when ``occupation`` is None).
    lam : float, meV
        Bogoliubov chemical potential (used when ``occupation`` is None).
    delta_guess : float, meV, optional
        Warm start: a root is first sought in [guess/1.5, 1.5 guess] (this follows a branch
        when several solutions exist).
    tol : float
        Relative tolerance on Delta (in units of Delta(0) of the coupling).
    max_iter : int
        Maximum iterations of the root finder.
    breakpoints : sequence of float or callable(delta) -> sequence, meV
        Energies E where a user ``occupation`` has kinks or steps.

    Returns
    -------
    GapSolution
        ``delta = 0.0`` when only the trivial solution exists. For the Bogoliubov
        distribution with lam >= 0 the non-trivial solution is unique; otherwise the
        largest root is returned (the branch connected to Delta(0)), unless
        ``delta_guess`` selects another. The largest root is found by a 32-point scan
        below Delta(0) and, if no sign change shows, a maximisation of the residual around
        its largest scanned value; a pair of roots closer together than the scan spacing
        and away from that maximum could be missed.

    Raises
    ------
    ConvergenceError
        If the root finder does not converge, or no upper bracket is found.
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    t = float(_check_kT(kT))
    lm = float(_check_lam(lam))
    if not tol > 0:
        raise ValueError(f"tol must be > 0, got {tol}")
    d0 = delta_zero(g, w)

    if occupation is None:

        def integral(d: float) -> float:
            return _bogoliubov_gap_integral_1(d, lm, t, w)

        monotone = lm >= 0.0
    else:

        def integral(d: float) -> float:
            bp = breakpoints(d) if callable(breakpoints) else breakpoints
            return gap_integral(d, w, lambda e: occupation(e, d), breakpoints=bp)

        monotone = False

    return _gap_root(lambda d: g * integral(d) - 1.0, d0, monotone, delta_guess, tol, max_iter, g)


def _warm_bracket(
    h: Callable[[float], float], guess: float, coupling: float
) -> tuple[float, float] | None:
    """A bracket [lo, hi] with h(lo) > 0 >= h(hi) near ``guess``, inside [guess/1.5, 1.5 guess].

    At low T, h ~ -coupling ln(Delta) + const, so the root is expected near
    guess exp(h(guess)/coupling); the bracket starts there and widens geometrically (the
    gap equation is flatter near T_c). None if no sign change is found in the window.
    """
    h0 = h(guess)
    if h0 == 0.0:
        return guess, guess * (1.0 + 1e-15)
    lo_lim, hi_lim = guess / 1.5, guess * 1.5
    est = guess * math.exp(max(-0.5, min(0.5, h0 / coupling)))
    width = max(abs(est - guess), 1e-6 * guess)
    for _ in range(12):
        if h0 > 0:
            edge = min(hi_lim, guess + 2.0 * width)
            if h(edge) <= 0:
                return guess, edge
            if edge == hi_lim:
                return None
        else:
            edge = max(lo_lim, guess - 2.0 * width)
            if h(edge) > 0:
                return edge, guess
            if edge == lo_lim:
                return None
        width *= 4.0
    return None


def _gap_root(
    h_raw: Callable[[float], float],
    d0: float,
    monotone: bool,
    delta_guess: float | None,
    tol: float,
    max_iter: int,
    coupling_hint: float = 0.3,
) -> GapSolution:
    """Root selection for h(Delta) = coupling * I(Delta) - 1 (see :func:`solve_gap`).

    1. warm start: a sign change near the guess, within [guess/1.5, 1.5 guess]
       (:func:`_warm_bracket`) -> Brent there;
    2. upper bracket at Delta(0) (h <= 0 there when 0 <= n <= 1), doubled if needed;
    3. monotone h: Brent on [1e-12 Delta(0), upper], or Delta = 0 if h(lower) <= 0;
    4. otherwise scan a grid downwards from the upper end for the largest sign change; if
       none, maximise h around the best grid point (a narrow window of h > 0 between two
       close roots, e.g. near the collapse of a fixed-density state) before concluding
       that only Delta = 0 exists.
    """
    calls = 0

    def h(d: float) -> float:
        nonlocal calls
        calls += 1
        return h_raw(d)

    xtol = tol * d0

    def solved(lo: float, hi: float) -> GapSolution:
        x, _ = _solve_bracketed(h, lo, hi, xtol, tol, max_iter, "gap equation")
        return GapSolution(x, calls, abs(h(x)))

    if delta_guess is not None and delta_guess > 0:
        bracket = _warm_bracket(h, float(delta_guess), coupling_hint)
        if bracket is not None:
            return solved(*bracket)

    hi = d0
    h_hi = h(hi)
    k = 0
    while h_hi > 0:
        k += 1
        if k > 40:
            raise ConvergenceError("no upper bracket for the gap equation", h_hi, calls)
        hi *= 2.0
        h_hi = h(hi)
    if h_hi == 0.0:
        return GapSolution(hi, calls, 0.0)

    if monotone:
        lo = _DELTA_FLOOR * d0
        if h(lo) <= 0:
            return GapSolution(0.0, calls, 0.0)
        return solved(lo, hi)

    grid = (
        np.unique(
            np.concatenate([np.geomspace(_DELTA_FLOOR, 0.05, 12), np.linspace(0.05, 1.0, 20)])
        )[::-1]
        * hi
    )
    values = [h_hi]
    for i in range(1, grid.size):
        hx = h(float(grid[i]))
        if hx > 0:
            return solved(float(grid[i]), float(grid[i - 1]))
        values.append(hx)
    best = int(np.argmax(values))
    if 0 < best < grid.size - 1:
        a, b = float(grid[best + 1]), float(grid[best - 1])
        opt = minimize_scalar(
            lambda x: -h(x), bounds=(a, b), method="bounded", options={"xatol": 1e-6 * b}
        )
        if -opt.fun > 0:
            return solved(float(opt.x), float(grid[best - 1]))
    return GapSolution(0.0, calls, 0.0)


def _gap_integral_and_slope(
    delta: NDArray[np.float64],
    lam: NDArray[np.float64],
    kT: NDArray[np.float64],
    cutoff: NDArray[np.float64],
) -> NDArray[np.float64]:
    """(I, Delta dI/dDelta) for I = int_0^cutoff dxi tanh((E + lam)/2kT)/E; flat, delta > 0.

    With xi = Delta sinh u (dxi/E = du):
    Delta dI/dDelta = int du (Delta/E)^2 [E sech^2((E+lam)/2kT)/(2kT) - tanh((E+lam)/2kT)].
    """

    def integrand(u: NDArray[np.float64], sel: NDArray[np.intp]) -> tuple[NDArray, NDArray]:
        ch = np.cosh(u)
        e = delta[sel, None] * ch
        t = kT[sel, None]
        occ = _one_minus_2n(e + lam[sel, None], t)
        safe = np.where(t > 0, t, 1.0)
        sech2 = np.where(t > 0, 1.0 - occ * occ, 0.0)
        return occ, (e * sech2 / (2.0 * safe) - occ) / (ch * ch)

    return _integrate(delta, cutoff, _step_breaks(delta, lam, kT), integrand)


def _newton_gaps(
    coupling: NDArray[np.float64],
    lam: NDArray[np.float64],
    kT: NDArray[np.float64],
    cutoff: NDArray[np.float64],
    tol: float,
    max_iter: int = 100,
) -> NDArray[np.float64]:
    """Gap for each element (flat arrays, lam >= 0: unique root), safeguarded Newton in log Delta.

    h(x) = coupling I(e^x) - 1 decreases with x = log Delta; the bracket
    [log(_DELTA_FLOOR Delta_0), log Delta_0] holds the root when h(lo) > 0 (else Delta = 0).
    Newton steps that leave the bracket are replaced by bisection.
    """
    d0 = cutoff / np.sinh(1.0 / coupling)
    out = np.zeros(coupling.shape)
    # T = 0 with lam >= 0: no quasi-particles, Delta = Delta(0) exactly
    zero_t = kT < _TINY * cutoff  # corrections ~ exp(-Delta0/kT) vanish in double precision
    out[zero_t] = d0[zero_t]
    idx = np.nonzero(~zero_t)[0]
    if idx.size == 0:
        return out
    g, lm, t, w = coupling[idx], lam[idx], kT[idx], cutoff[idx]
    lo = np.log(_DELTA_FLOOR * d0[idx])
    hi = np.log(d0[idx])
    # h(Delta -> 0): +inf for lam > 0 (1 - 2n(0) = tanh(lam/2kT) > 0, log-divergent);
    # for lam = 0 it is the T_c condition. A root below the floor is returned as the floor.
    nontrivial = np.ones(idx.size, dtype=bool)
    zero_lam = lm == 0
    if np.any(zero_lam):
        nontrivial[zero_lam] = g[zero_lam] * _normal_gap_integral(t[zero_lam], w[zero_lam]) > 1.0
    idx, g, lm, t, w, lo, hi = (a[nontrivial] for a in (idx, g, lm, t, w, lo, hi))
    # initial guess: Delta/Delta0 ~ tanh(1.74 sqrt(T_c/T - 1)) with the weak-coupling T_c
    tc = TC_PREFACTOR * w * np.exp(-1.0 / g)
    ratio = np.tanh(1.74 * np.sqrt(np.clip(tc / t - 1.0, 1e-12, None)))
    x = np.clip(np.log(np.maximum(ratio, _DELTA_FLOOR)) + hi, lo, hi)
    x = np.where((x <= lo) | (x >= hi), 0.5 * (lo + hi), x)
    active = np.arange(idx.size)
    last_h = np.zeros(idx.size)
    for _ in range(max_iter):
        if active.size == 0:
            break
        xa = x[active]
        vals = _gap_integral_and_slope(np.exp(xa), lm[active], t[active], w[active])
        h = g[active] * vals[0] - 1.0
        dh = g[active] * vals[1]
        last_h[active] = h
        lo[active] = np.where(h > 0, xa, lo[active])
        hi[active] = np.where(h < 0, xa, hi[active])
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = xa - h / dh
        bad = ~np.isfinite(xn) | (xn <= lo[active]) | (xn >= hi[active])
        xn = np.where(bad, 0.5 * (lo[active] + hi[active]), xn)
        done = (np.abs(xn - xa) < tol) | (h == 0) | (hi[active] - lo[active] < tol)
        x[active] = xn
        active = active[~done]
    if active.size:
        raise ConvergenceError(
            f"gap equation (vectorised Newton) did not converge for {active.size} of "
            f"{idx.size} points",
            float(np.max(np.abs(last_h[active]))),
            max_iter,
        )
    out[idx] = np.exp(x)
    return out


def equilibrium_gap(
    kT: ArrayLike, coupling: ArrayLike, cutoff: float, *, tol: float = 1e-10
) -> NDArray[np.float64]:
    """Thermal BCS gap Delta(T) (lam = 0), vectorised over kT and coupling.

    All points are solved together by a safeguarded Newton iteration in log Delta (the
    gap equation with lam >= 0 has one non-trivial root at most); :func:`solve_gap` does the
    same one point at a time with Brent's method (``benchmarks/bench_bcs.py`` compares them).

    Parameters
    ----------
    kT : array_like, meV
        k_B T >= 0.
    coupling : array_like
        nu(0) U > 0, broadcast with ``kT`` (e.g. a coupling U(Q) that depends on a phonon
        displacement, paper 000).
    cutoff : float, meV
        Debye energy.
    tol : float
        Relative tolerance on Delta.

    Returns
    -------
    ndarray, broadcast shape of ``kT`` and ``coupling``, meV
        0 at and above T_c (more precisely where Delta < 1e-12 Delta(0)).

    Raises
    ------
    ConvergenceError
        If some point has not converged after 100 Newton/bisection steps.
    """
    _check_kT(kT)
    _check_coupling(coupling)
    w = float(_check_cutoff(cutoff))
    if not tol > 0:
        raise ValueError(f"tol must be > 0, got {tol}")
    shape, (t, g) = _broadcast_flat(kT, coupling)
    if t.size == 0:
        return np.zeros(shape)
    gaps = _newton_gaps(g, np.zeros_like(t), t, np.full_like(t, w), tol)
    return gaps.reshape(shape)


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
# fixed quasi-particle density
# --------------------------------------------------------------------------------------
def _lambda_for_density(
    delta: float,
    log_n: float,
    kT: float,
    cutoff: float,
    tol: float,
    lam_start: float | None = None,
    max_iter: int = 100,
) -> float:
    """lambda with log qp_density(delta, lambda) = log_n, safeguarded Newton.

    log n decreases with lam with slope -(1/kT) <1 - f> in [-1/kT, 0); the start is
    ``lam_start`` or the Boltzmann estimate n(lam) ~ e^{-lam/kT} n(0). Steps are limited to
    20 kT and kept inside the bracket found so far (bisection otherwise).
    """
    if lam_start is None:
        lam = kT * (_log_qp_density(delta, 0.0, kT, cutoff) - log_n)
    else:
        lam = lam_start
    lo, hi = -math.inf, math.inf
    val = math.nan
    for _ in range(max_iter):
        log_n_lam, slope = _log_qp_density_and_slope(delta, lam, kT, cutoff)
        val = log_n_lam - log_n
        if val == 0.0:
            return lam
        if val > 0:
            lo = max(lo, lam)
        else:
            hi = min(hi, lam)
        step = -val / slope if slope < 0 else math.copysign(20.0 * kT, val)
        step = max(-20.0 * kT, min(20.0 * kT, step))
        new = lam + step
        if not lo < new < hi:
            new = 0.5 * (lo + hi) if math.isfinite(lo) and math.isfinite(hi) else new
        if abs(new - lam) <= tol * max(kT, abs(lam)):
            return new
        lam = new
    raise ConvergenceError("lambda at fixed quasi-particle density did not converge", val, max_iter)


def _check_fixed_density(n_qp: float, kT: float, cutoff: float) -> tuple[float, float]:
    """(kT, log n_qp) after checking a fixed-density request (kT > 0, 0 < n_qp < 4 cutoff)."""
    t = float(_check_kT(kT))
    if t <= 0:
        raise ValueError(f"kT must be > 0 for a fixed quasi-particle density, got {kT}")
    if not (0 < n_qp < 4.0 * cutoff):
        raise ValueError(
            f"n_qp (quasi-particle density per nu(0), meV) must be in (0, 4*cutoff = "
            f"{4 * cutoff}), got {n_qp}"
        )
    return t, math.log(n_qp)


def fixed_density_state(
    n_qp: float,
    kT: float,
    coupling: float,
    cutoff: float,
    *,
    delta_guess: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 200,
) -> FixedDensityState:
    """Delta and lambda self-consistent at a fixed quasi-particle density (paper 000).

    Solves paper 000 Eq. 4 (tanh argument (E + lam)/2kT, see the module docstring) and
    Eq. 5 (n_qp / nu(0) = 4 int_0^cutoff dxi n(E)) together, the stationarity conditions of
    the constrained free energy Eqs. 27-31. For each trial Delta, lambda(Delta) is found
    from the density (log-space root, no underflow for tiny densities), then the gap
    equation is solved for Delta; the largest root is returned (the branch that tends to
    Delta(T = 0) as n_qp -> 0), unless ``delta_guess`` selects another. When no
    non-trivial root exists, delta = 0 and lam fixes the density of the normal state.

    Above a critical density the trapped state disappears in a saddle-node: the largest
    root merges with a smaller one at a finite gap and Delta jumps to 0 (a static limit of
    the fixed-density equations, see :func:`fixed_density_free_energy`; not the same as
    paper 000's avalanche density n_av of Fig. 4, where 2 Delta falls below the top of the
    phonon continuum and the generation rate runs away). Near the
    normal state, Delta enters the density only through Delta^2, so a density fixes Delta^2
    rather than Delta to the given tolerance.

    Parameters
    ----------
    n_qp : float, meV
        Quasi-particle density per nu(0), 0 < n_qp < 4 cutoff.
    kT : float, meV
        k_B T > 0 (the quasi-particles' temperature, the phonon bath's in paper 000).
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy.
    delta_guess : float, meV, optional
        Warm start (e.g. the previous point of a density sweep).
    tol : float
        Relative tolerance on Delta and lambda.
    max_iter : int
        Iterations of the outer root finder.

    Returns
    -------
    FixedDensityState
    """
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    t, log_n = _check_fixed_density(n_qp, kT, w)
    last: dict[str, float | None] = {"lam": None}
    cache: dict[float, float] = {}  # the same Delta gives the same lambda (brentq re-evaluates)

    def lam_for(d: float) -> float:
        if d not in cache:
            cache[d] = _lambda_for_density(d, log_n, t, w, tol, last["lam"])
            last["lam"] = cache[d]
        return cache[d]

    def h(d: float) -> float:
        lam = lam_for(d)
        return g * _bogoliubov_gap_integral_1(d, lam, t, w) - 1.0

    sol = _gap_root(h, delta_zero(g, w), False, delta_guess, tol, max_iter, g)
    lam = lam_for(sol.delta)
    dens_res = abs(_log_qp_density(sol.delta, lam, t, w) - log_n)
    return FixedDensityState(sol.delta, lam, sol.iterations, max(sol.residual, dens_res))


def _normal_grand_potential(lam: float, kT: float, cutoff: float) -> float:
    """Omega_N(lam)/nu(0) = -4 int_0^cutoff dxi kT ln(1 + e^{-(xi + lam)/kT}), meV^2."""
    a = max(kT, 1e-12 * cutoff)
    breaks = None
    if lam < 0:
        breaks = _step_breaks(np.zeros(1), np.array([lam]), np.array([kT]))[0]
    u, w = _nodes_1d(a, cutoff, breaks)
    xi = a * np.sinh(u)
    vals = _softplus_T(xi + lam, np.asarray(kT)) * a * np.cosh(u)
    return -4.0 * float(np.dot(w, vals))


def fixed_density_free_energy(
    delta: ArrayLike,
    n_qp: float,
    kT: float,
    coupling: float,
    cutoff: float,
    *,
    tol: float = 1e-12,
) -> NDArray[np.float64]:
    """Free energy at fixed quasi-particle density as a function of Delta (paper 000 Eq. 27).

    Eq. 27 minimised over rho at given Delta, with lambda(Delta) fixing the density
    (Eq. 30, per nu(0): 4 int_0^cutoff dxi n(E) = n_qp), is the Legendre transform

        F_n(Delta) = Omega(Delta, lambda(Delta)) - lambda(Delta) n_qp,

    Omega being the grand potential of :func:`free_energy` (with its normal-state part).
    Since dOmega/dlambda = n_qp, dF_n/dDelta = dOmega/dDelta at fixed lambda: the
    stationary points of F_n are the fixed-density solutions (:func:`fixed_density_state`);
    the trapped state is a local minimum, the smaller root a barrier, and the two merge where
    the trapped state collapses. Returned relative to the normal state at the same density,
    F_n(Delta) - F_n(0).

    Parameters
    ----------
    delta : array_like, meV
        Gaps >= 0 (any shape).
    n_qp : float, meV
        Quasi-particle density per nu(0), in (0, 4 cutoff).
    kT : float, meV
        k_B T > 0.
    coupling : float
        nu(0) U > 0.
    cutoff : float, meV
        Debye energy.
    tol : float
        Relative tolerance of the lambda solves.

    Returns
    -------
    ndarray, shape of ``delta``, meV^2 (per nu(0))
    """
    d = _check_delta(delta)
    g = float(_check_coupling(coupling))
    w = float(_check_cutoff(cutoff))
    t, log_n = _check_fixed_density(n_qp, kT, w)
    lam0 = _lambda_for_density(0.0, log_n, t, w, tol)
    omega_n0 = _normal_grand_potential(lam0, t, w)
    flat = d.reshape(-1)
    lams = np.empty(flat.shape)
    last = lam0
    for i, di in enumerate(flat):
        last = _lambda_for_density(float(di), log_n, t, w, tol, last)
        lams[i] = last
    sc = free_energy(flat, t, g, w, lams)  # Omega(Delta, lam) - Omega(0, lam)
    normal = np.array([_normal_grand_potential(float(x), t, w) for x in lams])
    out = sc + normal - omega_n0 - (lams - lam0) * n_qp
    return out.reshape(d.shape)
