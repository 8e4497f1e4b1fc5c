"""Quadrature, Fermi factors and argument checks shared by the BCS modules.

Integrals over xi use the substitution xi = a sinh(u) with a = Delta (a = kT, or a given
scale, at Delta = 0), so that dxi / E = du and every integrand is smooth in u, and
composite Gauss-Legendre panels (10 nodes) of width <= 0.5 in u, with extra panel edges
around the Fermi step E = -lam for lam < 0 (and, in the free energy, around xi ~ kT when
kT << Delta). Gaps below 1e-200 * cutoff count as 0. Everything is vectorised over the
nodes (and over Delta, kT, lam, coupling where documented); no ``scipy.integrate.quad``.

Also here: the occupation factors of the Bogoliubov distribution, 1 - 2 f(x) =
tanh(x / 2kT) (paper 000 Eqs. 4 and 31 with the 1/2 restored, see
:mod:`photosc.cores.bcs.gap_equation`) and the Fermi function f(x), with their kT = 0
limits; and the checks that turn bad input (coupling <= 0, cutoff <= 0, kT < 0, NaN, ...)
into a ``ValueError`` naming the argument and the value. Units: energies in meV.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

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
# Gaps below _TINY * cutoff are treated as 0 (their effect is below double precision).
_TINY = 1e-200


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
