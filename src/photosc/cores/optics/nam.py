"""Nam (Kubo) conductivity: complex gap Delta(eps), renormalisation Z(eps), impurity scattering.

Paper 001 (main text, after Eq. 2) states only that sigma(omega, t) "is calculated by
solving a Kubo formula [42, 43]" (refs. 42-43: Mahan, Many-particle physics (1980), the
Kubo formula; Nam, Phys. Rev. 156, 487 (1967)); it prints no formula. The form below is
derived here for a complex, frequency-dependent gap Delta(eps) and renormalisation
Z(eps) (Eliashberg), a finite impurity scattering rate Gamma = hbar / tau and a
non-thermal occupation n(E) (:func:`nam_conductivity`), and checked in the tests
against: the published arbitrary-purity BCS form of Zimmermann et al., Physica C 183,
99 (1991) (agreement 1e-9 at Gamma = 0.5-10 Delta), the Drude (:func:`drude`) and
mass-renormalised normal states, the Mattis-Bardeen forms
(:mod:`photosc.cores.optics.mattis_bardeen_forms`) in the dirty limit, the
Ferrell-Glover-Tinkham sum rule and Kramers-Kronig relations at finite Gamma.

Conventions: energies and photon energies hbar*omega in meV; sigma normalised by
sigma_0 = 1 / rho_N, the DC conductivity of the impurity Drude metal (paper 001 SI
Table 1); time dependence exp(-i omega t) (a Drude metal has sigma = sigma_0 / (1 - i
omega tau)). With the occupation n(E) of :mod:`photosc.cores.optics.occupations`, the
electron distribution function of the Keldysh formalism is h(eps) = 1 - 2 f_el(eps) =
sign(eps) [1 - 2 n(|eps|)].

The form
--------
Nambu Green's function with Born impurity scattering rate Gamma (meV) and the
retarded phonon self-energy expressed through Z(eps), Delta(eps):
D(eps) = sqrt(eps_t^2 - phi_t^2) + i Gamma/2 with eps_t = eps Z(eps), phi_t = Delta(eps)
Z(eps) (retarded branch of the root, Im >= 0, -> eps_t at large |eps|), quasi-classical
functions g = eps_t / sqrt(eps_t^2 - phi_t^2), f = phi_t / sqrt(eps_t^2 - phi_t^2)
(unchanged by non-magnetic impurities, Anderson's theorem).
Integrating the current bubble (vertex tau_0, no vertex corrections for isotropic
scattering) over xi first gives, with index 1 at eps + w and 2 at eps::

    sigma(w)/sigma_0 = i Gamma / (4 w) int de { [h(eps + w) - h(eps)] A_RA
                                              + h(eps) A_RR - h(eps + w) A_AA }
    A_RA = (1 + g1 g2* + f1 f2*) / (D1 - D2*)
    A_RR = (1 - g1 g2 - f1 f2) / (D1 + D2),    A_AA = -conj(A_RR)

This reproduces: the Drude form sigma_0 Gamma / (Gamma - i w) for Delta = 0, Z = 1;
the Holstein-renormalised normal state for Delta = 0 and complex Z; and, for
Gamma -> infinity with constant real Delta and Z = 1, the Mattis-Bardeen forms
(Re: (1/2w) int [h(eps+w) - h(eps)] (N1 N2 + M1 M2), N = Re g, M = Re f).
The retarded functions at negative eps follow from Delta(-eps) = Delta(eps)* and
Z(-eps) = Z(eps)*. The integrand with its coherence factors is written once
(``_nam_coherence``, from the roots of ``_nam_root``); its careful and fast forms
(``_nam_term``, ``_nam_term_fast``) differ only in how the four reciprocals are taken.

Numerics: the eps-integral is split at the gap edges eps = +-Delta_e and
eps = +-Delta_e - w (Delta_e: the gap edge), cosine maps on the inner pieces and
sinh^2 maps on the outer ones, truncated at [-E_max - w, E_max]; ``breakpoints`` b add
panel edges at eps = +-b, +-b - w. If n(E) of a table does not tend to 1/2 at E -> 0,
h(eps) jumps at eps = 0: give 0 as a breakpoint too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numba as nb
import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.optics.occupations import (
    Occupation,
    _call_occupation,
    _check_tail,
    _TabulatedOccupation,
    _ThermalOccupation,
)
from photosc.cores.optics.quadrature import (
    _CONSTANT_GRID,
    _CONSTANT_INDEX,
    _bucket_index,
    _check_breakpoints,
    _check_n,
    _check_omega,
    _check_positive,
    _gauss,
    _panel_edges,
    _table_intervals,
    _theta_break,
)

__all__ = [
    "GapFunction",
    "bcs_gap_function",
    "drude",
    "nam_conductivity",
    "tabulated_gap_function",
]


class GapFunction(NamedTuple):
    """Retarded gap and renormalisation functions of real energy.

    Attributes
    ----------
    delta : callable
        ``delta(eps) -> complex`` gap function Delta(eps), meV, for real eps (any sign).
    z : callable
        ``z(eps) -> complex`` renormalisation Z(eps), dimensionless.
    edge : float, meV
        Gap edge Delta_e (where Re sqrt(eps^2 - Delta^2) opens); used for panel edges.
    """

    delta: Callable[[NDArray[np.float64]], NDArray[np.complex128]]
    z: Callable[[NDArray[np.float64]], NDArray[np.complex128]]
    edge: float


def bcs_gap_function(delta: float) -> GapFunction:
    """Constant real BCS gap, Z = 1.

    Parameters
    ----------
    delta : float, meV
        Gap >= 0.
    """
    d = float(delta)
    if not (d >= 0 and math.isfinite(d)):
        raise ValueError(f"delta must be a finite number >= 0 meV, got {delta!r}")

    e, index = _CONSTANT_GRID, _CONSTANT_INDEX  # slope-0 interpolation: exactly d and 1
    dl = _TabulatedGap(e, np.full(2, d, dtype=complex), index)
    return GapFunction(dl, _TabulatedGap(e, np.ones(2, dtype=complex), index), d)


def tabulated_gap_function(
    energy: ArrayLike, delta: ArrayLike, z: ArrayLike, *, edge: float | None = None
) -> GapFunction:
    """Gap function from a table on eps >= 0 (e.g. the Eliashberg core's solution).

    Real and imaginary parts are interpolated linearly; negative energies use
    Delta(-eps) = Delta(eps)*, Z(-eps) = Z(eps)* (retarded functions of a real-time
    kernel). Beyond the table the last values are kept: the table must extend well
    past the phonon spectrum, where Delta(eps) has decayed and Z(eps) -> 1; the Nam
    integral is truncated at the table's end (``energy_max``).

    Parameters
    ----------
    energy : (n_e,) float, meV
        Increasing energies, starting at or below the gap edge, >= 0.
    delta : (n_e,) complex, meV
        Delta(eps).
    z : (n_e,) complex
        Z(eps).
    edge : float, meV, optional
        Gap edge; default: the first eps with eps >= Re Delta(eps).
    """
    e = np.array(energy, dtype=float)  # a private copy: the bucket index stays valid
    dl = np.asarray(delta, dtype=complex)
    zz = np.asarray(z, dtype=complex)
    if e.ndim != 1 or e.shape != dl.shape or e.shape != zz.shape or e.size < 2:
        raise ValueError(
            f"energy, delta and z must be 1-D of equal length >= 2, got {e.shape}, "
            f"{dl.shape}, {zz.shape}"
        )
    if not (np.all(np.isfinite(e)) and e[0] >= 0 and np.all(np.diff(e) > 0)):
        raise ValueError("energy must be finite, >= 0 and strictly increasing (meV)")
    if not (np.all(np.isfinite(dl)) and np.all(np.isfinite(zz))):
        raise ValueError("delta and z must be finite")
    if edge is None:
        above = np.nonzero(e >= dl.real)[0]
        if above.size == 0:
            raise ValueError("the table never reaches the gap edge eps = Re Delta(eps)")
        edge = float(e[above[0]])

    index = _bucket_index(e)
    return GapFunction(_TabulatedGap(e, dl, index), _TabulatedGap(e, zz, index), float(edge))


class _TabulatedGap:
    """``f(eps)``: linear interpolation of a complex table on eps >= 0 (``np.interp``,
    end values held), f(-eps) = f(eps)*. The table and its bucket index are attributes,
    so that :func:`nam_conductivity` interpolates inside its compiled loop."""

    __slots__ = ("energy", "index", "slopes", "values")

    def __init__(
        self,
        energy: NDArray[np.float64],
        values: NDArray[np.complex128],
        index: tuple[NDArray[np.intp], float, int, float],
    ) -> None:
        self.energy = energy
        self.values = np.ascontiguousarray(values, dtype=complex)
        self.index = index
        inv_dx = 1.0 / np.diff(energy)  # np.interp's complex slopes, same arithmetic
        dv = np.diff(self.values)
        self.slopes = np.empty(energy.size - 1, dtype=complex)
        self.slopes.real = dv.real * inv_dx
        self.slopes.imag = dv.imag * inv_dx

    def __call__(self, eps: NDArray[np.float64]) -> NDArray[np.complex128]:
        x = np.asarray(eps, dtype=float)
        v = np.asarray(np.interp(np.abs(x), self.energy, self.values))  # Re and Im parts
        np.negative(v.imag, out=v.imag, where=x < 0)  # Delta(-eps) = Delta(eps)*
        return v


def _call_gap(fn: Callable, eps: NDArray[np.float64]) -> NDArray[np.complex128]:
    """A gap-function callable at eps, as a contiguous complex array of eps's shape."""
    return np.ascontiguousarray(np.broadcast_to(np.asarray(fn(eps), dtype=complex), eps.shape))


def _h(eps: NDArray[np.float64], occupation: Occupation) -> NDArray[np.float64]:
    """h(eps) = sign(eps) [1 - 2 n(|eps|)] at energies ``eps`` (meV, any sign)."""
    return np.sign(eps) * (1.0 - 2.0 * _call_occupation(occupation, np.abs(eps)))


# Compiled Nam quadrature. ``_nam_panels_kernel`` lists the Gauss-Legendre panels over
# [-E_max - w, E_max]: five pieces split at the gap edges +-edge and +-edge - w (cosine
# map on the three inner pieces, x = c sinh^2 t on the two outer ones), each further cut
# at the steps +-b and +-b - w of n(E); ``_nam_node`` gives a panel's q-th node and weight.
# The generic path expands the nodes into arrays and calls the Python callables there;
# the table path (``_nam_table_kernel``) interpolates the tables at each node inside the
# loop. Both sum the same terms (``_nam_term``) in the same order.
_PANEL_COSINE = 0.0  # eps = a + s (1 - cos theta) / 2 on a piece of length s
_PANEL_SINH = 1.0  # eps = a + sign s sinh^2 t, s = c


@nb.njit(cache=True, fastmath=False)
def _nam_panels_kernel(w, edge, energy_max, bp):  # pragma: no cover - compiled
    """Panels (row, kind, a, s, sign, lo, h) of the Nam quadrature, empty ones dropped."""
    n_w, k = w.size, bp.size
    out = np.empty((n_w * 5 * (4 * k + 1), 7))
    pts = np.empty(4 * k)
    brk = np.empty(4 * k)
    edges = np.empty(4 * k + 2)
    inner = np.empty(4)
    cnt = 0
    for iw in range(n_w):
        ww = w[iw]
        inner[0], inner[1], inner[2], inner[3] = -edge - ww, edge - ww, -edge, edge
        inner.sort()
        for j in range(k):
            pts[j] = bp[j]
            pts[k + j] = -bp[j]
            pts[2 * k + j] = bp[j] - ww
            pts[3 * k + j] = -bp[j] - ww
        for i in range(3):  # inner pieces: cosine map
            a = inner[i]
            length = inner[i + 1] - a
            if not length > 0:
                continue
            for j in range(4 * k):
                brk[j] = _theta_break(pts[j] - a, length)
            _panel_edges(np.pi, brk, edges)
            for p in range(4 * k + 1):
                lo = edges[p]
                h = edges[p + 1] - lo
                if h == 0.0:
                    continue
                out[cnt, 0], out[cnt, 1], out[cnt, 2], out[cnt, 3] = iw, _PANEL_COSINE, a, length
                out[cnt, 4], out[cnt, 5], out[cnt, 6] = 1.0, lo, h
                cnt += 1
        c = min(ww, edge) if edge > 0 else ww
        t_max = np.arcsinh(np.sqrt(max(energy_max - edge, 0.0) / c))
        for side in range(2):  # outer pieces: x = c sinh^2 t from the edge outwards
            sign = 1.0 if side == 0 else -1.0
            start = inner[3] if side == 0 else inner[0]
            for j in range(4 * k):
                y = sign * (pts[j] - start) / c
                brk[j] = np.arcsinh(np.sqrt(y)) if y >= 0 else np.nan
            _panel_edges(t_max, brk, edges)
            for p in range(4 * k + 1):
                lo = edges[p]
                h = edges[p + 1] - lo
                if h == 0.0:
                    continue
                out[cnt, 0], out[cnt, 1], out[cnt, 2], out[cnt, 3] = iw, _PANEL_SINH, start, c
                out[cnt, 4], out[cnt, 5], out[cnt, 6] = sign, lo, h
                cnt += 1
    return out[:cnt]


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _panel_trig(kind, lo, h, xq):  # pragma: no cover - compiled
    """(sin, cos) of theta = lo + h xq (cosine panel) or (sinh, cosh) of t (sinh panel)."""
    u = lo + h * xq
    if kind == _PANEL_COSINE:
        return np.sin(u), np.cos(u)
    return np.sinh(u), np.cosh(u)


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _nam_node(kind, a, s, sign, h, wq, sn, cs):  # pragma: no cover - compiled
    """eps and weight of a panel's node from its ``_panel_trig`` values (sn, cs)."""
    if kind == _PANEL_COSINE:
        return a + 0.5 * s * (1 - cs), 0.5 * s * sn * (h * wq)
    return a + sign * (s * sn**2), 2.0 * s * sn * cs * (h * wq)


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _nam_nodes_kernel(panels, x01, w01):  # pragma: no cover - compiled
    """Flat (row, eps, weight) of the panels' nodes, positive weights only."""
    cap = panels.shape[0] * x01.size
    rows = np.empty(cap, dtype=np.intp)
    eps = np.empty(cap)
    wts = np.empty(cap)
    cnt = 0
    for p in range(panels.shape[0]):
        kind, a, s, sign, lo, h = (
            panels[p, 1],
            panels[p, 2],
            panels[p, 3],
            panels[p, 4],
            panels[p, 5],
            panels[p, 6],
        )
        for q in range(x01.size):
            sn, cs = _panel_trig(kind, lo, h, x01[q])
            e, wt = _nam_node(kind, a, s, sign, h, w01[q], sn, cs)
            if wt > 0:
                rows[cnt] = int(panels[p, 0])
                eps[cnt] = e
                wts[cnt] = wt
                cnt += 1
    return rows[:cnt], eps[:cnt], wts[:cnt]


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _trig_table(keys, x01):  # pragma: no cover - compiled
    """``_panel_trig`` at every Gauss node of each distinct (kind, lo, h) in ``keys``."""
    out = np.empty((keys.shape[0], x01.size, 2))
    for u in range(keys.shape[0]):
        for q in range(x01.size):
            out[u, q, 0], out[u, q, 1] = _panel_trig(keys[u, 0], keys[u, 1], keys[u, 2], x01[q])
    return out


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _retarded_sqrt(a, b, e):  # pragma: no cover - compiled
    """sqrt(a + i b) on the retarded branch: Im >= 0, and
    sign(Re) = sign(e) where Im = 0; principal root in real arithmetic (no hypot:
    |a + i b| is far from overflow for energies in meV). Returns (Re, Im).

    The continuation from e + i0 gives b the sign of e; a tabulated solution whose
    round-off leaves b of the other sign by at most 1e-5 e^2 (seen: 7e-7 e^2 just
    above the gap edge of a real-axis Eliashberg table at T ~ 0) is taken on the real
    axis, b = 0; otherwise that noise would flip the root to Re < 0 (a negative density
    of states). A larger wrong-sign b is kept as it is."""
    if e * b < 0 and abs(b) <= 1e-5 * e * e:
        b = 0.0
    r = math.sqrt(a * a + b * b)
    if a >= 0:
        t = math.sqrt(0.5 * (r + a))
        re, im = t, (b / (2.0 * t) if t > 0 else 0.0 * b)
    else:
        t = math.sqrt(0.5 * (r - a))
        re, im = abs(b) / (2.0 * t), math.copysign(t, b)
    if im < 0 or (im == 0 and re * e < 0):
        re, im = -re, -im
    return re, im


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _nam_root(e, d, z):  # pragma: no cover - compiled
    """eps_t = eps Z, phi_t = Delta Z and the retarded root D0 = sqrt(eps_t^2 - phi_t^2).

    Parameters
    ----------
    e : float, meV
        Real energy eps.
    d : complex, meV
        Delta(eps).
    z : complex
        Z(eps).

    Returns
    -------
    et, ph : complex, meV
        eps_t and phi_t.
    re, im : float, meV
        Re and Im of D0 (``_retarded_sqrt``).
    """
    et, ph = e * z, d * z
    x = et * et - ph * ph
    re, im = _retarded_sqrt(x.real, x.imag, e)
    return et, ph, re, im


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _reciprocal(re, im, inv_norm):  # pragma: no cover - compiled
    """1 / (re + i im) from ``inv_norm`` = 1 / (re^2 + im^2) (units: 1/[re])."""
    return complex(re * inv_norm, -im * inv_norm)


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _nam_coherence(g1, f1, g2, f2, inv_ra, inv_rr, h1, h2):  # pragma: no cover - compiled
    """Nam integrand {[h1 - h2] A_RA + h2 A_RR - h1 A_AA} (module docstring), index 1 at
    eps + w and 2 at eps; the coherence factors are written here only.

    Parameters
    ----------
    g1, f1, g2, f2 : complex
        Quasi-classical g = eps_t / D0 and f = phi_t / D0 (``_nam_root``).
    inv_ra, inv_rr : complex, 1/meV
        1 / (D_1 - D_2*) and 1 / (D_1 + D_2), D = D0 + i Gamma/2.
    h1, h2 : float
        h(eps + w), h(eps).
    """
    a_ra = (1.0 + g1 * np.conj(g2) + f1 * np.conj(f2)) * inv_ra
    a_rr = (1.0 - g1 * g2 - f1 * f2) * inv_rr
    return (h1 - h2) * a_ra + h2 * a_rr + h1 * np.conj(a_rr)


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _nam_term(e1, e2, d1, z1, d2, z2, h1, h2, gamma):  # pragma: no cover - compiled
    """Nam integrand at eps + w (index 1: e1, d1 = Delta, z1 = Z, h1 = h) and eps
    (index 2), meV; ``gamma``: Gamma (meV). Returns (term, ok); ok is False at a root
    D0 = 0 (a gap edge). The careful form of ``_nam_term_fast`` (four divisions), used
    where that one is not finite."""
    et1, ph1, r1re, r1im = _nam_root(e1, d1, z1)
    et2, ph2, r2re, r2im = _nam_root(e2, d2, z2)
    n1 = r1re * r1re + r1im * r1im
    n2 = r2re * r2re + r2im * r2im
    if n1 == 0 or n2 == 0:
        return 0j, False
    im = r1im + r2im + gamma  # D_1 - D_2* = r1 - r2* + i Gamma, D_1 + D_2 = r1 + r2 + i Gamma
    ra_re, rr_re = r1re - r2re, r1re + r2re
    inv_n1, inv_n2 = 1.0 / n1, 1.0 / n2
    inv_ra, inv_rr = 1.0 / (ra_re * ra_re + im * im), 1.0 / (rr_re * rr_re + im * im)
    i1 = _reciprocal(r1re, r1im, inv_n1)  # 1 / D0_1
    i2 = _reciprocal(r2re, r2im, inv_n2)
    ra, rr = _reciprocal(ra_re, im, inv_ra), _reciprocal(rr_re, im, inv_rr)
    return _nam_coherence(et1 * i1, ph1 * i1, et2 * i2, ph2 * i2, ra, rr, h1, h2), True


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _nam_term_fast(e1, e2, d1, z1, d2, z2, h1, h2, gamma):  # pragma: no cover - compiled
    """``_nam_term`` with the four reciprocals 1/D0_1, 1/D0_2, 1/(D_1 - D_2*),
    1/(D_1 + D_2) from one division of their product; not finite at a gap edge or
    where the product under- or overflows (then use ``_nam_term``)."""
    et1, ph1, r1re, r1im = _nam_root(e1, d1, z1)
    et2, ph2, r2re, r2im = _nam_root(e2, d2, z2)
    n1 = r1re * r1re + r1im * r1im
    n2 = r2re * r2re + r2im * r2im
    im = r1im + r2im + gamma
    ra_re, rr_re = r1re - r2re, r1re + r2re
    m_ra = ra_re * ra_re + im * im
    m_rr = rr_re * rr_re + im * im
    n12 = n1 * n2
    m12 = m_ra * m_rr
    inv = 1.0 / (n12 * m12)
    inv_n1, inv_n2 = (n2 * m12) * inv, (n1 * m12) * inv
    inv_ra, inv_rr = (m_rr * n12) * inv, (m_ra * n12) * inv
    i1 = _reciprocal(r1re, r1im, inv_n1)  # 1 / D0_1
    i2 = _reciprocal(r2re, r2im, inv_n2)
    ra, rr = _reciprocal(ra_re, im, inv_ra), _reciprocal(rr_re, im, inv_rr)
    return _nam_coherence(et1 * i1, ph1 * i1, et2 * i2, ph2 * i2, ra, rr, h1, h2)


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _nam_sum_kernel(rows, eps, wts, w, d1, z1, d2, z2, h1, h2, gamma):  # pragma: no cover
    """Sum over nodes of the Nam integrand per photon energy; NaN total if non-finite."""
    total = np.zeros(w.size, dtype=np.complex128)
    for i in range(eps.size):
        e2 = eps[i]
        e1 = e2 + w[rows[i]]
        term = _nam_term_fast(e1, e2, d1[i], z1[i], d2[i], z2[i], h1[i], h2[i], gamma)
        if not (math.isfinite(term.real) and math.isfinite(term.imag)):
            term, ok = _nam_term(e1, e2, d1[i], z1[i], d2[i], z2[i], h1[i], h2[i], gamma)
            if not ok:
                total[rows[i]] = np.nan
                continue
        total[rows[i]] += wts[i] * term
    return total


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _retarded_values(eps, j, energy, values, slopes, out):  # pragma: no cover - compiled
    """Delta(eps) or Z(eps) from a table on eps >= 0, with f(-eps) = f(eps)*.

    ``np.interp`` of the table at |eps| (Re and Im separately, with its slopes; end
    values held), in the intervals ``j`` of
    :func:`~photosc.cores.optics.quadrature._table_intervals`.

    Parameters
    ----------
    eps : (n,) float, meV
        Energies, any sign.
    j : (n,) int
        Intervals of |eps| in ``energy``.
    energy : (n_e,) float, meV
        Table energies.
    values, slopes : (n_e,), (n_e - 1,) complex
        Table values (meV for Delta, 1 for Z) and slopes (per meV).
    out : (n,) complex
        Receives the values.
    """
    n = energy.size
    for i in range(eps.size):
        x = abs(eps[i])
        k = j[i]
        if k < 0:
            v = values[0]
        elif k == n - 1:
            v = values[n - 1]
        else:
            dx = x - energy[k]
            v = complex(slopes[k].real * dx + values[k].real, slopes[k].imag * dx + values[k].imag)
        if eps[i] < 0:  # Delta(-eps) = Delta(eps)*, Z(-eps) = Z(eps)*
            v = np.conj(v)
        out[i] = v


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _h_values(eps, j, energy, values, slopes, above, kT, thermal, out):  # pragma: no cover
    """h(eps) = sign(eps) [1 - 2 n(|eps|)] with n tabulated or thermal.

    Table: ``np.interp`` arithmetic (first value below the table, ``above`` beyond it) in
    the intervals ``j`` (:func:`~photosc.cores.optics.quadrature._table_intervals`);
    ``thermal``: the Fermi function at ``kT`` (meV; table and ``j`` unused).

    Parameters
    ----------
    eps : (n,) float, meV
        Energies, any sign.
    j : (n,) int
        Intervals of |eps| in ``energy``.
    energy, values, slopes : (n_e,), (n_e,), (n_e - 1,) float
        Occupation table: energies (meV), n(E), slopes (1/meV).
    above : float
        Occupation beyond ``energy[-1]``.
    kT : float, meV
        k_B T of the thermal occupation.
    thermal : bool
        Use the Fermi function.
    out : (n,) float
        Receives h.
    """
    n_o = energy.size
    for i in range(eps.size):
        e = eps[i]
        x = abs(e)
        if thermal:
            if kT == 0.0:
                n = 0.0 if x > 0 else 0.5
            else:
                u = math.exp(-x / kT)
                n = u / (1.0 + u)
        elif j[i] < 0:
            n = values[0]
        elif j[i] == n_o - 1:
            n = above if x > energy[n_o - 1] else values[n_o - 1]
        else:
            k = j[i]
            n = slopes[k] * (x - energy[k]) + values[k]
        out[i] = np.sign(e) * (1.0 - 2.0 * n)


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _nam_table_kernel(
    panels, trig_index, trig, w01, w, gamma, gap, z, same, occ, kT, thermal
):  # pragma: no cover - compiled
    """``_nam_sum_kernel`` over the panels' nodes in one pass, with Delta, Z and n(E)
    interpolated from tables at each node (``np.interp`` arithmetic).

    Parameters
    ----------
    panels, trig_index, trig, w01
        The panels (``_nam_panels_kernel``); ``trig[trig_index[p]]``: ``_panel_trig`` at
        the Gauss nodes of panel p; Gauss-Legendre weights on [0, 1].
    w : (n_w,) float, meV
        Photon energies.
    gamma : float, meV
        Impurity scattering rate Gamma.
    gap, z : tuple
        Tables of Delta (meV) and Z: (energy (meV), values, slopes (per meV), guide, inv,
        n_uniform, inv_step) with the bucket index of
        :func:`~photosc.cores.optics.quadrature._bucket_index`.
    same : bool
        Z is tabulated on Delta's grid (its intervals are Delta's).
    occ : tuple
        Occupation table (energy (meV), n, slopes (1/meV), above, guide, inv,
        n_uniform, inv_step); unused if ``thermal``.
    kT : float, meV
        k_B T of the Fermi occupation used if ``thermal``.
    thermal : bool
        Thermal occupation instead of the table.

    Works panel by panel on scratch arrays (nodes; table look-ups at eps + w and eps;
    terms; their sum in node order). The look-ups take a panel's nodes at once
    (``_table_intervals``: on a table's uniform prefix the interval index is computed,
    not searched; ``_retarded_values``, ``_h_values``): a compiled call taking arrays
    costs reference counting, which per node made the loop ~2x slower (measured), per
    panel is negligible.
    """
    ge, gd, gs, g_guide, g_inv, g_nu, g_uinv = gap
    ze, zv, zs, z_guide, z_inv, z_nu, z_uinv = z
    oe, on, os_, above, o_guide, o_inv, o_nu, o_uinv = occ
    nq = w01.size
    total = np.zeros(w.size, dtype=np.complex128)
    eps = np.empty((2, nq))  # eps + w, eps
    wts = np.empty(nq)
    dl = np.empty((2, nq), dtype=np.complex128)
    zz = np.empty((2, nq), dtype=np.complex128)
    hh = np.empty((2, nq))
    terms = np.empty(nq, dtype=np.complex128)
    jd = np.zeros(nq, dtype=np.intp)  # intervals of |eps| in the Delta, Z, n(E) tables
    jz = np.zeros(nq, dtype=np.intp)
    jo = np.zeros(nq, dtype=np.intp)
    for p in range(panels.shape[0]):
        row = int(panels[p, 0])
        kind, a, s, sign, h = panels[p, 1], panels[p, 2], panels[p, 3], panels[p, 4], panels[p, 6]
        tp = trig_index[p]
        ww = w[row]
        for q in range(nq):
            e2, wt = _nam_node(kind, a, s, sign, h, w01[q], trig[tp, q, 0], trig[tp, q, 1])
            eps[0, q] = e2 + ww
            eps[1, q] = e2
            wts[q] = wt
        for side in range(2):  # Delta, Z and h at eps + w, eps
            es = eps[side]
            _table_intervals(es, ge, g_guide, g_inv, g_nu, g_uinv, jd)
            _retarded_values(es, jd, ge, gd, gs, dl[side])
            if not same:
                _table_intervals(es, ze, z_guide, z_inv, z_nu, z_uinv, jz)
            _retarded_values(es, jd if same else jz, ze, zv, zs, zz[side])
            if not thermal:
                _table_intervals(es, oe, o_guide, o_inv, o_nu, o_uinv, jo)
            _h_values(es, jo, oe, on, os_, above, kT, thermal, hh[side])
        for q in range(nq):
            terms[q] = _nam_term_fast(
                eps[0, q],
                eps[1, q],
                dl[0, q],
                zz[0, q],
                dl[1, q],
                zz[1, q],
                hh[0, q],
                hh[1, q],
                gamma,
            )
        for q in range(nq):
            if not wts[q] > 0:
                continue
            term = terms[q]
            if not (math.isfinite(term.real) and math.isfinite(term.imag)):
                term, ok = _nam_term(
                    eps[0, q],
                    eps[1, q],
                    dl[0, q],
                    zz[0, q],
                    dl[1, q],
                    zz[1, q],
                    hh[0, q],
                    hh[1, q],
                    gamma,
                )
                if not ok:
                    total[row] = np.nan
                    continue
            total[row] += wts[q] * term
    return total


def _distinct_rows(keys: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Distinct rows of ``keys`` and, per row, the index of its distinct row.

    Like ``np.unique(keys, axis=0, return_inverse=True)`` (rows equal when all entries
    compare equal), from one lexicographic sort: ~20x cheaper for the ~10^3 panels of a
    spectrum (np.unique's axis form costs ~0.5-1 ms there).

    Parameters
    ----------
    keys : (n, k) float
        Rows to deduplicate (n >= 1).

    Returns
    -------
    distinct : (m, k) float
        The distinct rows, sorted lexicographically (first column first).
    inverse : (n,) int
        ``distinct[inverse] == keys``.
    """
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    if order.size == 0:
        return np.ascontiguousarray(ordered), order
    new = np.empty(order.size, dtype=bool)
    new[0] = True
    np.any(ordered[1:] != ordered[:-1], axis=1, out=new[1:])
    inverse = np.empty(order.size, dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return np.ascontiguousarray(ordered[new]), inverse


def _table_args(gap: GapFunction, occupation: Occupation) -> tuple | None:
    """Table arguments of ``_nam_table_kernel`` when Delta and Z are ``_TabulatedGap``
    and n(E) is tabulated or thermal; None otherwise (the generic path)."""
    dl, zz = gap.delta, gap.z
    if not (isinstance(dl, _TabulatedGap) and isinstance(zz, _TabulatedGap)):
        return None
    same = zz.energy is dl.energy or np.array_equal(zz.energy, dl.energy)
    g = (dl.energy, dl.values, dl.slopes, *dl.index)
    z = (zz.energy, zz.values, zz.slopes, *zz.index)
    if isinstance(occupation, _TabulatedOccupation):
        o = occupation
        return (g, z, same, (o.energy, o.values, o.slopes, o.above, *o.index), 0.0, False)
    if isinstance(occupation, _ThermalOccupation):
        e, index = _CONSTANT_GRID, _CONSTANT_INDEX
        return (g, z, same, (e, e, e, 0.0, *index), occupation.kT, True)
    return None


def nam_conductivity(
    omega: ArrayLike,
    gap: GapFunction,
    occupation: Occupation,
    scattering_rate: float,
    *,
    energy_max: float,
    n_quad: int = 128,
    breakpoints: ArrayLike = (),
) -> NDArray[np.complex128]:
    """Nam (Kubo) conductivity sigma/sigma_0 with impurity scattering and a non-thermal n(E).

    Implements the form derived in the module docstring (paper 001 main text after
    Eq. 2, "Kubo formula [42, 43]"; Nam 1967). Normal state: sigma_0 Gamma/(Gamma - i w)
    for Z = 1, so sigma_0 = 1/rho_N (paper 001 SI Table 1) fixes the scale.

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies hbar*omega > 0.
    gap : GapFunction
        Delta(eps), Z(eps) and the gap edge (:func:`bcs_gap_function`,
        :func:`tabulated_gap_function`).
    occupation : callable
        ``occupation(E) -> n`` for E >= 0, meV -> dimensionless.
    scattering_rate : float, meV
        Impurity scattering rate Gamma = hbar/tau > 0 (Born limit).
    energy_max : float, meV
        The eps integral runs over [-energy_max - w, energy_max]; take it well above
        the gap, the thermal/non-thermal tail of n(E) and sqrt(Delta Gamma) (the
        truncation error of sigma_2 is ~ Delta Gamma / energy_max^2 relative).
    n_quad : int
        Gauss-Legendre nodes per piece (5 pieces), per panel with ``breakpoints``.
    breakpoints : sequence of float, meV
        Energies E where n(E) has steps or kinks (see
        :func:`~photosc.cores.optics.mattis_bardeen_forms.mattis_bardeen`).

    Returns
    -------
    (n_w,) complex
        sigma/sigma_0.

    Notes
    -----
    Only nodes of positive weight are evaluated: the empty panels (breakpoints outside
    a piece) and the exact gap-edge nodes, where g and f are infinite, carry weight 0
    (cos/sinh maps). When Delta, Z come from :func:`tabulated_gap_function` or
    :func:`bcs_gap_function` and n(E) from
    :func:`~photosc.cores.optics.occupations.tabulated_occupation` or
    :func:`~photosc.cores.optics.occupations.thermal_occupation`, the tables are
    interpolated inside one compiled loop
    over the nodes (no node arrays, no Python calls; the same values as the callables
    to round-off, ~1e-15); other callables are evaluated on arrays of all nodes. About
    1000 nodes per photon energy at ``n_quad`` 96 with two breakpoints; measured on the
    table path about 45 ns per node on a shared core (the interval index computed
    directly on the tables' uniform parts, searched on an Eliashberg grid's geometric
    tail), i.e. ~4 ms for 60 photon energies.
    """
    w = _check_omega(omega)
    gamma = _check_positive(scattering_rate, "scattering_rate")
    e_max = _check_positive(energy_max, "energy_max")
    n = _check_n(n_quad)
    edge = float(gap.edge)
    if not (edge >= 0 and math.isfinite(edge)):
        raise ValueError(f"gap.edge must be a finite number >= 0 meV, got {gap.edge!r}")
    if e_max <= edge:
        raise ValueError(f"energy_max={e_max} meV must exceed the gap edge {edge} meV")
    _check_tail(occupation, e_max)
    bp = _check_breakpoints(breakpoints)
    x01, w01 = _gauss(n)
    panels = _nam_panels_kernel(w, edge, e_max, bp)
    tables = _table_args(gap, occupation)
    if tables is not None:
        # panels repeat across photon energies: the map's sin/cos (sinh/cosh) per
        # distinct (kind, lo, h), evaluated once (the same expressions, same values)
        keys, trig_index = _distinct_rows(panels[:, [1, 5, 6]])
        trig = _trig_table(keys, x01)
        total = _nam_table_kernel(panels, trig_index, trig, w01, w, gamma, *tables)
    else:
        row, eps, wts = _nam_nodes_kernel(panels, x01, w01)
        eps1 = eps + w[row]
        parts = []
        for x in (eps1, eps):
            parts += [_call_gap(gap.delta, x), _call_gap(gap.z, x)]
        h1 = _h(eps1, occupation)
        h2 = _h(eps, occupation)
        total = _nam_sum_kernel(row, eps, wts, w, *parts, h1, h2, gamma)
    if not np.all(np.isfinite(total)):
        raise ValueError(
            "non-finite Nam integrand: a quadrature node hit a gap-edge singularity; "
            "change n_quad or energy_max slightly"
        )
    return 1j * gamma / (4.0 * w) * total


def drude(omega: ArrayLike, scattering_rate: float) -> NDArray[np.complex128]:
    """Drude sigma/sigma_0 = Gamma / (Gamma - i w).

    Parameters
    ----------
    omega : (n_w,) float, meV
    scattering_rate : float, meV
        Gamma = hbar / tau > 0.
    """
    w = _check_omega(omega)
    g = _check_positive(scattering_rate, "scattering_rate")
    return g / (g - 1j * w)
