"""Mattis-Bardeen conductivity (dirty BCS limit) for a non-thermal occupation n(E).

Paper 001 (main text, after Eq. 2) states only that sigma(omega, t) "is calculated by
solving a Kubo formula [42, 43]"; it prints no formula. In the dirty limit that Kubo
(Nam) form, :func:`photosc.cores.optics.nam.nam_conductivity`, reduces to the
Mattis-Bardeen forms below, generalised to a non-thermal n(E) (paper 001 issue 8
section 1). They are checked in the tests against the closed T = 0 forms, a quad
implementation of the textbook integrals (:mod:`photosc.cores.optics.reference`), the
dirty limit of the Nam form and the Ferrell-Glover-Tinkham sum rule.

Conventions: energies and photon energies hbar*omega in meV; sigma normalised by the
normal-state conductivity sigma_N; time dependence exp(-i omega t), so sigma = sigma_1
+ i sigma_2 with sigma_2 > 0 for the inductive superfluid response. ``occupation(E)
-> n`` as in :mod:`photosc.cores.optics.occupations`.

The forms
---------
With g1(E, E') = (E E' + Delta^2) / (sqrt(E^2 - Delta^2) sqrt(E'^2 - Delta^2)) and
w = hbar omega::

    sigma_1/sigma_N = 2/w int_Delta^inf dE [n(E) - n(E + w)] g1(E, E + w)
                    + 1/w int_Delta^{w - Delta} dE1 [1 - n(E1) - n(w - E1)]
                          (E1 E2 - Delta^2) / (sqrt(E1^2 - Delta^2) sqrt(E2^2 - Delta^2)),
                      E2 = w - E1   (second term only for w > 2 Delta)

    sigma_2/sigma_N = 1/w int_{max(Delta - w, -Delta)}^{Delta} de [1 - 2 n(e + w)]
                          (e (e + w) + Delta^2) / (sqrt(Delta^2 - e^2) sqrt((e + w)^2 - Delta^2))

For thermal n(E) = f(E) these are Mattis and Bardeen's (Tinkham, Eqs. 3.124-3.125);
the pair-breaking term is written with the symmetric factor 1 - n(E1) - n(E2) (pair
breaking into E1, E2 minus recombination), which equals the textbook 1 - 2 f(E + w)
under the E1 <-> E2 symmetry of the integrand. The closed T = 0 forms (elliptic
integrals; Mattis and Bardeen 1958, Zimmermann et al., Physica C 183, 99 (1991)) are
:func:`mattis_bardeen_zero_temperature`; the low-frequency sigma_2 and the sum rule
:func:`mattis_bardeen_sigma2_low_frequency`, :func:`fgt_sum_rule_ratio`.

Numerics
--------
Every integral is mapped so that its inverse square-root edge singularities become
smooth: E = Delta + c sinh^2(t) in the scattering term (c = min(w, scale), which for
c = w turns dE / sqrt((E - Delta)(E + w - Delta)) into 2 dt exactly), and cosine maps
E = a + (b - a)(1 - cos theta)/2 on finite intervals with singular ends; Gauss-Legendre
nodes in the new variable. Steps or kinks of n(E) (``breakpoints``, e.g. at multiples
of the pump photon energy) become panel edges in every integral, so a discontinuous
n(E) converges like a smooth one.

Each of the three integrals (map, panels, Jacobian and coherence factor) is written
once, as a compiled function that lists its nodes (``_scattering_nodes``,
``_pair_breaking_nodes``, ``_sigma2_nodes``), and each occupation factor once
(``_occupation_factor``). :func:`mattis_bardeen` evaluates a Python ``occupation`` on
all nodes at once; :func:`mattis_bardeen_batch` (many states, e.g. all time steps of a
kinetic run) interpolates the tables at each node inside one compiled loop. For states
on the kinetic grid, :func:`photosc.cores.optics.mattis_bardeen_fft.mattis_bardeen_grid`
evaluates the same forms as FFT correlations, for all photon energies at once.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ellipe, ellipk

from photosc.cores.optics.occupations import (
    TAIL_OCCUPATION,
    Occupation,
    _call_occupation,
    _check_tail,
    _RowTable,
    _table_value,
)
from photosc.cores.optics.quadrature import (
    _check_breakpoints,
    _check_n,
    _check_omega,
    _check_positive,
    _gauss,
    _panel_edges,
    _theta_break,
)

__all__ = [
    "fgt_sum_rule_ratio",
    "mattis_bardeen",
    "mattis_bardeen_batch",
    "mattis_bardeen_sigma2_low_frequency",
    "mattis_bardeen_zero_temperature",
]

# --------------------------------------------------------------------------------------
# The three integrals, node by node. ``*_nodes`` fill ``nodes[:, i] = (E_a, E_b, weight,
# factor)`` for the Gauss-Legendre nodes of the non-empty panels and return their
# number m; the term is  prefactor * sum_i weight_i * occupation factor(n(E_a), n(E_b))
# * factor_i  (``_occupation_factor``, ``_term_value``). Scratch: ``brk`` (>= 2k),
# ``edges`` (>= 2k + 2), ``nodes`` (4, >= (2k + 1) n_quad) for k breakpoints ``bp``.
_SCATTERING = 0  # 2/w int dE [n(E) - n(E + w)] g1(E, E + w)
_PAIR_BREAKING = 1  # 1/w int dE1 [v - n(E1) - n(E2)] (E1 E2 - D^2)/(...), w > 2D
_SIGMA2 = 2  # 1/w int de [v - 2 n(e + w)] (e (e + w) + D^2)/(...)


@nb.njit(cache=True, fastmath=False)
def _scattering_nodes(
    ww, dd, c, energy_max, x01, w01, bp, brk, edges, nodes
):  # pragma: no cover - compiled
    """Nodes of the scattering term 2/w int_D^E_max dE [n(E) - n(E + w)] g1(E, E + w).

    E = D + c sinh^2 t, t in [0, asinh(sqrt((E_max - D)/c))], panels at E = b and
    E + w = b for b in ``bp``.

    Parameters
    ----------
    ww, dd, c : float, meV
        Photon energy w, gap D > 0, map scale c > 0.
    energy_max : float, meV
        Upper end E_max > D.
    x01, w01 : (n_quad,) float
        Gauss-Legendre nodes and weights on [0, 1].
    bp : (k,) float, meV
        Breakpoints.
    brk, edges, nodes : float arrays
        Scratch (see above); ``nodes`` receives (E, E + w, weight in t, g1 dE/dt).

    Returns
    -------
    int
        Number of nodes.
    """
    k = bp.size
    t_max = np.arcsinh(np.sqrt((energy_max - dd) / c))
    for j in range(k):
        xa = (bp[j] - dd) / c
        xb = (bp[j] - ww - dd) / c
        brk[j] = np.arcsinh(np.sqrt(xa)) if xa >= 0 else np.nan
        brk[k + j] = np.arcsinh(np.sqrt(xb)) if xb >= 0 else np.nan
    _panel_edges(t_max, brk[: 2 * k], edges)
    m = 0
    for p in range(2 * k + 1):
        a = edges[p]
        h = edges[p + 1] - a
        if h == 0.0:
            continue
        for q in range(x01.size):
            sh = np.sinh(a + h * x01[q])
            x = c * sh * sh  # E - Delta
            e = dd + x
            ew = e + ww
            # dE = 2 c sinh t cosh t dt; 1/sqrt(E^2 - D^2) / sqrt(E'^2 - D^2) factored
            # exactly: sqrt(x (x + 2D)) sqrt((x + w)(x + w + 2D)), and c sinh t cosh t
            # = sqrt(x (x + c)).
            jac = 2.0 * np.sqrt((x + c) / ((x + 2 * dd) * (x + ww) * (ew + dd)))
            nodes[0, m] = e
            nodes[1, m] = ew
            nodes[2, m] = h * w01[q]
            nodes[3, m] = (e * ew + dd * dd) * jac
            m += 1
    return m


@nb.njit(cache=True, fastmath=False)
def _pair_breaking_nodes(ww, dd, x01, w01, bp, brk, edges, nodes):  # pragma: no cover
    """Nodes of the pair-breaking term 1/w int_D^{w-D} dE1 [v - n(E1) - n(E2)]
    (E1 E2 - D^2) / (sqrt(E1^2 - D^2) sqrt(E2^2 - D^2)), E2 = w - E1 (none for w <= 2D).

    E1 = D + x1, x1 = (w - 2D)(1 - cos theta)/2 (then dE1 / sqrt(x1 x2) = d theta),
    panels at E1 = b and E2 = b for b in ``bp``.

    Parameters
    ----------
    ww, dd : float, meV
        Photon energy w, gap D > 0.
    x01, w01 : (n_quad,) float
        Gauss-Legendre nodes and weights on [0, 1].
    bp : (k,) float, meV
        Breakpoints.
    brk, edges, nodes : float arrays
        Scratch; ``nodes`` receives (E1, E2, weight in theta, smooth factor).

    Returns
    -------
    int
        Number of nodes.
    """
    if ww <= 2 * dd:
        return 0
    k = bp.size
    length = ww - 2 * dd
    for j in range(k):
        brk[j] = _theta_break(bp[j] - dd, length)
        brk[k + j] = _theta_break(ww - bp[j] - dd, length)
    _panel_edges(np.pi, brk[: 2 * k], edges)
    m = 0
    for p in range(2 * k + 1):
        a = edges[p]
        h = edges[p + 1] - a
        if h == 0.0:
            continue
        for q in range(x01.size):
            x1 = 0.5 * length * (1.0 - np.cos(a + h * x01[q]))
            x2 = length - x1
            e1 = dd + x1
            e2 = dd + x2
            nodes[0, m] = e1
            nodes[1, m] = e2
            nodes[2, m] = h * w01[q]
            nodes[3, m] = (e1 * e2 - dd * dd) / np.sqrt((x1 + 2 * dd) * (x2 + 2 * dd))
            m += 1
    return m


@nb.njit(cache=True, fastmath=False)
def _sigma2_nodes(ww, dd, x01, w01, bp, brk, edges, nodes):  # pragma: no cover - compiled
    """Nodes of sigma_2: 1/w int_{max(D-w,-D)}^{D} de [v - 2n(e+w)] (e(e+w) + D^2)
    / (sqrt(D^2 - e^2) sqrt((e + w)^2 - D^2)).

    e = D - y, y = L (1 - cos theta)/2 with L = min(w, 2D) (the singular pair y (L - y)
    removed exactly), panels at e + w = b for b in ``bp``.

    Parameters
    ----------
    ww, dd : float, meV
        Photon energy w, gap D > 0.
    x01, w01 : (n_quad,) float
        Gauss-Legendre nodes and weights on [0, 1].
    bp : (k,) float, meV
        Breakpoints.
    brk, edges, nodes : float arrays
        Scratch; ``nodes`` receives (e + w, e + w, weight in theta, smooth factor).

    Returns
    -------
    int
        Number of nodes.
    """
    k = bp.size
    length = min(ww, 2 * dd)
    for j in range(k):
        brk[j] = _theta_break(dd + ww - bp[j], length)
    _panel_edges(np.pi, brk[:k], edges)
    m = 0
    for p in range(k + 1):
        a = edges[p]
        h = edges[p + 1] - a
        if h == 0.0:
            continue
        for q in range(x01.size):
            y = 0.5 * length * (1.0 - np.cos(a + h * x01[q]))
            e = dd - y
            # w <= 2D: sqrt(D^2 - e^2) sqrt((e+w)^2 - D^2)
            #          = sqrt(y (L-y)) sqrt((2D - y)(w - y + 2D));
            # w > 2D: L = 2D, 2D - y = L - y: sqrt(y (L - y)) sqrt((w - y)(w - y + 2D))
            if ww <= 2 * dd:
                rest = (2 * dd - y) * (ww - y + 2 * dd)
            else:
                rest = (ww - y) * (ww + length - y)
            nodes[0, m] = e + ww
            nodes[1, m] = e + ww
            nodes[2, m] = h * w01[q]
            nodes[3, m] = (e * (e + ww) + dd * dd) / np.sqrt(rest)
            m += 1
    return m


@nb.njit(cache=True, fastmath=False)
def _term_nodes(term, ww, dd, c, energy_max, x01, w01, bp, brk, edges, nodes):  # pragma: no cover
    """Nodes of integral ``term`` (``_SCATTERING``, ``_PAIR_BREAKING``, ``_SIGMA2``);
    ``c`` and ``energy_max`` (meV) are used by the scattering term only."""
    if term == _SCATTERING:
        return _scattering_nodes(ww, dd, c, energy_max, x01, w01, bp, brk, edges, nodes)
    if term == _PAIR_BREAKING:
        return _pair_breaking_nodes(ww, dd, x01, w01, bp, brk, edges, nodes)
    return _sigma2_nodes(ww, dd, x01, w01, bp, brk, edges, nodes)


@nb.njit(cache=True, fastmath=False, inline="always")
def _occupation_factor(term, vacuum, n_a, n_b):  # pragma: no cover - compiled
    """Occupation factor of integral ``term`` from n(E_a), n(E_b) of its node.

    Scattering: n(E) - n(E + w); pair breaking: v - n(E1) - n(E2); sigma_2:
    v - 2 n(e + w). v = ``vacuum``: 1 for the full term, 0 for its occupation-dependent
    part only (the T = 0 part then comes from the closed forms).
    """
    if term == _SCATTERING:
        return n_a - n_b
    if term == _PAIR_BREAKING:
        return vacuum - n_a - n_b
    return vacuum - 2.0 * n_a


@nb.njit(cache=True, fastmath=False, inline="always")
def _term_value(term, ww, acc):  # pragma: no cover - compiled
    """The node sum ``acc`` of integral ``term`` times its prefactor (2/w, 1/w, 1/w)."""
    if term == _SCATTERING:
        return 2.0 / ww * acc
    return acc / ww


# --------------------------------------------------------------------------------------
# one state, any occupation callable
@nb.njit(cache=True, fastmath=False)
def _all_nodes(term, w, dd, scale, energy_max, x01, w01, bp):  # pragma: no cover - compiled
    """Nodes of integral ``term`` for every photon energy of ``w`` (meV), gap ``dd``.

    Returns (rows, nodes): the index into ``w`` of each node and the (4, n) ``nodes``
    of ``_term_nodes`` (map scale min(w, ``scale``), meV), in order of w.
    """
    k, nq = bp.size, x01.size
    cap = (2 * k + 1) * nq
    brk = np.empty(2 * k)
    edges = np.empty(2 * k + 2)
    scratch = np.empty((4, cap))
    rows = np.empty(w.size * cap, dtype=np.intp)
    nodes = np.empty((4, w.size * cap))
    cnt = 0
    for iw in range(w.size):
        ww = w[iw]
        m = _term_nodes(term, ww, dd, min(ww, scale), energy_max, x01, w01, bp, brk, edges, scratch)
        nodes[:, cnt : cnt + m] = scratch[:, :m]
        rows[cnt : cnt + m] = iw
        cnt += m
    return rows[:cnt], nodes[:, :cnt]


@nb.njit(cache=True, fastmath=False)
def _node_sums(term, vacuum, w, rows, nodes, n_a, n_b):  # pragma: no cover - compiled
    """Integral ``term`` per photon energy of ``w`` (meV) from ``_all_nodes``'s output
    and the occupations ``n_a``, ``n_b`` at its energies."""
    acc = np.zeros(w.size)
    for i in range(rows.size):
        acc[rows[i]] += nodes[2, i] * _occupation_factor(term, vacuum, n_a[i], n_b[i]) * nodes[3, i]
    out = np.empty(w.size)
    for iw in range(w.size):
        out[iw] = _term_value(term, w[iw], acc[iw])
    return out


def _mb(
    w: NDArray[np.float64],
    d: float,
    occupation: Occupation,
    energy_max: float,
    scale: float,
    n: int,
    breakpoints: NDArray[np.float64],
) -> NDArray[np.complex128]:
    """sigma/sigma_N (n_w,) for photon energies w (meV), a gap d > 0 (meV) and any
    ``occupation`` callable, evaluated once on all nodes of each integral."""
    x01, w01 = _gauss(n)
    parts = []
    for term in (_SCATTERING, _PAIR_BREAKING, _SIGMA2):
        rows, nodes = _all_nodes(term, w, d, scale, energy_max, x01, w01, breakpoints)
        if rows.size == 0:  # e.g. no pair breaking below 2 Delta
            parts.append(np.zeros(w.size))
            continue
        n_a = _call_occupation(occupation, nodes[0])
        n_b = n_a if term == _SIGMA2 else _call_occupation(occupation, nodes[1])
        parts.append(_node_sums(term, 1.0, w, rows, nodes, n_a, n_b))
    return parts[0] + parts[1] + 1j * parts[2]


def mattis_bardeen(
    omega: ArrayLike,
    delta: float,
    occupation: Occupation,
    *,
    energy_max: float,
    n_quad: int = 256,
    scale: float | None = None,
    breakpoints: ArrayLike = (),
) -> NDArray[np.complex128]:
    """Mattis-Bardeen sigma/sigma_N for a gap Delta and a non-thermal occupation n(E).

    Implements the forms in the module docstring (Mattis-Bardeen generalised to a
    non-thermal n(E); paper 001 issue 8 section 1, dirty BCS limit of refs. 42-43).

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies hbar*omega > 0.
    delta : float, meV
        BCS gap >= 0 (0 gives sigma = sigma_N: 1 + 0i).
    occupation : callable
        ``occupation(E) -> n`` for E >= Delta, meV -> dimensionless.
    energy_max : float, meV
        Upper end of the scattering integral over E; n(E) must be negligible above
        it (ValueError if n(energy_max) > 1e-9; for a thermal n take max(omega) +
        Delta + 40 kT or more).
    n_quad : int
        Gauss-Legendre nodes per integral (>= 8), per panel when ``breakpoints`` are given.
    scale : float, meV, optional
        Energy scale c of the substitution E = Delta + c sinh^2 t (default Delta/4, at
        most ``omega``): the smallest energy on which n(E) varies.
    breakpoints : sequence of float, meV
        Energies where n(E) has steps or kinks (e.g. multiples of the pump photon
        energy, paper 001 SI Figs. 10-11). Each integral is split into panels there, so
        that a discontinuous n(E) converges as fast as a smooth one; without them a
        step converges only algebraically in ``n_quad``.

    Returns
    -------
    (n_w,) complex
        sigma_1/sigma_N + i sigma_2/sigma_N.
    """
    w = _check_omega(omega)
    d = float(delta)
    if not (d >= 0 and math.isfinite(d)):
        raise ValueError(f"delta must be a finite number >= 0 meV, got {delta!r}")
    n = _check_n(n_quad)
    if d == 0.0:
        return np.ones(w.shape, dtype=complex)
    e_max = _check_positive(energy_max, "energy_max")
    if e_max <= d:
        raise ValueError(f"energy_max={e_max} meV must exceed delta={d} meV")
    c = 0.25 * d if scale is None else _check_positive(scale, "scale")
    _check_tail(occupation, e_max)
    bp = _check_breakpoints(breakpoints)
    return _mb(w, d, occupation, e_max, c, n, bp)


# --------------------------------------------------------------------------------------
# many tabulated states: one compiled loop (same nodes as ``_mb``)
@nb.njit(cache=True, fastmath=False)
def _table_term(term, vacuum, ww, dd, c, energy_max, tab, scratch):  # pragma: no cover
    """Integral ``term`` for one state of an occupation table, with its prefactor.

    Parameters
    ----------
    term : int
        ``_SCATTERING``, ``_PAIR_BREAKING`` or ``_SIGMA2``.
    vacuum : float
        1 for the full term, 0 for its occupation-dependent part (``_occupation_factor``).
    ww, dd, c, energy_max : float, meV
        Photon energy, gap, map scale and upper end (``_term_nodes``).
    tab : tuple
        (row, energy, table, step, above) of ``_table_value`` (energy and step in meV).
    scratch : tuple
        (x01, w01, bp, brk, edges, nodes) of ``_term_nodes`` (bp in meV).
    """
    row, energy, table, step, above = tab
    x01, w01, bp, brk, edges, nodes = scratch
    m = _term_nodes(term, ww, dd, c, energy_max, x01, w01, bp, brk, edges, nodes)
    acc = 0.0
    for i in range(m):
        n_a = _table_value(nodes[0, i], row, energy, table, step, above)
        n_b = 0.0
        if term != _SIGMA2:
            n_b = _table_value(nodes[1, i], row, energy, table, step, above)
        acc += nodes[2, i] * _occupation_factor(term, vacuum, n_a, n_b) * nodes[3, i]
    return _term_value(term, ww, acc)


@nb.njit(cache=True, fastmath=False)
def _mb_table_kernel(
    w, d, scale, energy, table, step, above, energy_max, x01, w01, bp
):  # pragma: no cover - compiled
    """sigma_1/sigma_N and sigma_2/sigma_N (n_t, n_w) of ``_mb`` for tabulated rows.

    Parameters
    ----------
    w : (n_w,) float, meV
        Photon energies.
    d, scale : (n_t,) float, meV
        Gaps > 0 and map scales of the states.
    energy, table, step, above
        The occupation tables (``_table_value``; energy and step in meV).
    energy_max : float, meV
        Upper end of the scattering integral.
    x01, w01 : (n_quad,) float
        Gauss-Legendre nodes and weights on [0, 1].
    bp : (k,) float, meV
        Breakpoints.
    """
    n_t, n_w, k = d.size, w.size, bp.size
    s1 = np.zeros((n_t, n_w))
    s2 = np.zeros((n_t, n_w))
    brk = np.empty(2 * k)
    edges = np.empty(2 * k + 2)
    nodes = np.empty((4, (2 * k + 1) * x01.size))
    for it in range(n_t):
        dd = d[it]
        for iw in range(n_w):
            ww = w[iw]
            c = min(ww, scale[it])
            tab = (it, energy, table, step, above)
            scratch = (x01, w01, bp, brk, edges, nodes)
            s1[it, iw] = _table_term(
                _SCATTERING, 1.0, ww, dd, c, energy_max, tab, scratch
            ) + _table_term(_PAIR_BREAKING, 1.0, ww, dd, c, energy_max, tab, scratch)
            s2[it, iw] = _table_term(_SIGMA2, 1.0, ww, dd, c, energy_max, tab, scratch)
    return s1, s2


def mattis_bardeen_batch(
    omega: ArrayLike,
    delta: ArrayLike,
    energy: ArrayLike,
    occupations: ArrayLike,
    *,
    energy_max: float,
    n_quad: int = 256,
    above: float = 0.0,
    breakpoints: ArrayLike = (),
) -> NDArray[np.complex128]:
    """Mattis-Bardeen sigma/sigma_N for many states at once (e.g. every time step of a run).

    Same forms and quadrature nodes as :func:`mattis_bardeen`, for a leading axis of
    states: gap Delta_k and occupation table n_k(E) of state k, interpolated linearly
    like :func:`~photosc.cores.optics.occupations.tabulated_occupation` (first value
    below the table, ``above`` beyond it). One compiled (Numba) loop over states,
    photon energies and nodes; the cost is ~ n_t n_w (panels) ``n_quad``. For many probe
    energies on a kinetic grid see
    :func:`~photosc.cores.optics.mattis_bardeen_fft.mattis_bardeen_grid`.

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies > 0.
    delta : (n_t,) float, meV
        Gaps >= 0 (rows with 0 give 1 + 0i).
    energy : (n_e,) float, meV
        Increasing energies of the occupation tables (e.g. the kinetic grid).
    occupations : (n_t, n_e) float
        n_k(E) in [0, 1].
    energy_max : float, meV
        Upper end of the scattering integral (see :func:`mattis_bardeen`); every row
        must be below 1e-9 there.
    n_quad : int
        Gauss-Legendre nodes per integral.
    above : float
        Occupation beyond ``energy[-1]``.
    breakpoints : sequence of float, meV
        Steps or kinks of n(E) common to all states (see :func:`mattis_bardeen`).

    Returns
    -------
    (n_t, n_w) complex
    """
    w = _check_omega(omega)
    d = np.atleast_1d(np.asarray(delta, dtype=float))
    e = np.asarray(energy, dtype=float)
    occ = np.asarray(occupations, dtype=float)
    if d.ndim != 1 or not (np.all(np.isfinite(d)) and np.all(d >= 0)):
        raise ValueError(f"delta must be a 1-D array of finite gaps >= 0 meV, got {delta!r}")
    if e.ndim != 1 or e.size < 2 or not np.all(np.diff(e) > 0):
        raise ValueError("energy must be 1-D, strictly increasing, with >= 2 points (meV)")
    if occ.shape != (d.size, e.size):
        raise ValueError(
            f"occupations must have shape (n_t, n_e) = {(d.size, e.size)}, got {occ.shape}"
        )
    if not (np.all(np.isfinite(occ)) and occ.min() >= 0 and occ.max() <= 1):
        raise ValueError("occupations must be finite and lie in [0, 1]")
    n = _check_n(n_quad)
    e_max = _check_positive(energy_max, "energy_max")
    out = np.ones((d.size, w.size), dtype=complex)
    sc = d > 0
    if not np.any(sc):
        return out
    if e_max <= d.max():
        raise ValueError(f"energy_max={e_max} meV must exceed every delta (max {d.max()} meV)")
    table = _RowTable(e, occ[sc], float(above))
    tail = table(np.full((int(sc.sum()), 1), e_max))
    if np.max(tail) > TAIL_OCCUPATION:
        raise ValueError(
            f"energy_max={e_max} meV is too low: an occupation there is {np.max(tail):.3g} "
            f"(> {TAIL_OCCUPATION:g}). Raise energy_max."
        )
    bp = _check_breakpoints(breakpoints)
    x01, w01 = _gauss(n)
    s1, s2 = _mb_table_kernel(
        w, d[sc], 0.25 * d[sc], e, table.table, table.step or 0.0, table.above, e_max, x01, w01, bp
    )
    out[sc] = s1 + 1j * s2
    return out


# --------------------------------------------------------------------------------------
# closed forms and sum rule
def mattis_bardeen_zero_temperature(omega: ArrayLike, delta: float) -> NDArray[np.complex128]:
    """Closed T = 0 Mattis-Bardeen forms (elliptic integrals), sigma/sigma_N.

    sigma_1/sigma_N = (1 + 2D/w) E(k) - (4D/w) K(k), k = (w - 2D)/(w + 2D), w > 2D
    (0 below); sigma_2/sigma_N = (1/2)(1 + 2D/w) E(k') - (1/2)(1 - 2D/w) K(k'),
    k' = sqrt(1 - k^2), k = |2D - w|/(2D + w) (Mattis and Bardeen 1958; Zimmermann et
    al., Physica C 183, 99 (1991)). K, E: complete elliptic integrals of modulus k
    (SciPy takes the parameter m = k^2).

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies > 0.
    delta : float, meV
        Gap > 0.

    Returns
    -------
    (n_w,) complex
    """
    w = _check_omega(omega)
    d = _check_positive(delta, "delta")
    return _mb_t0(w, d)


def _mb_t0(w: NDArray[np.float64], d: NDArray[np.float64] | float) -> NDArray[np.complex128]:
    """:func:`mattis_bardeen_zero_temperature` without checks; w, d (meV) broadcast."""
    r = 2 * d / w
    k = np.abs(w - 2 * d) / (w + 2 * d)
    s1 = np.where(w > 2 * d, (1 + r) * ellipe(k * k) - 2 * r * ellipk(k * k), 0.0)
    m2 = 1.0 - k * k
    with np.errstate(invalid="ignore"):
        kpart = np.where(r == 1.0, 0.0, (1 - r) * ellipk(m2))  # K(1) = inf at w = 2 Delta
    s2 = 0.5 * (1 + r) * ellipe(m2) - 0.5 * kpart
    return s1 + 1j * s2


def mattis_bardeen_sigma2_low_frequency(
    omega: ArrayLike, delta: float, kT: float
) -> NDArray[np.float64]:
    """Low-frequency limit sigma_2/sigma_N = (pi Delta / w) tanh(Delta / 2kT), w << Delta.

    Parameters
    ----------
    omega : (n_w,) float, meV
    delta : float, meV
    kT : float, meV (0 allowed)
    """
    w = _check_omega(omega)
    d = _check_positive(delta, "delta")
    th = 1.0 if kT == 0 else math.tanh(d / (2 * float(kT)))
    return np.pi * d / w * th


def fgt_sum_rule_ratio(
    omega: ArrayLike,
    sigma1_over_sigman: ArrayLike,
    superfluid_weight: float,
    *,
    tail: bool = True,
) -> float:
    """Ferrell-Glover-Tinkham ratio: missing area of sigma_1 over the superfluid weight.

    ratio = int_0^inf (1 - sigma_1/sigma_N) dw / ((pi/2) D),  D = lim_{w->0} w sigma_2/sigma_N

    (sigma_1 carries the delta peak (pi/2) D delta(w) on w >= 0, sigma_2 = D / w.) The
    integral is the trapezoid rule on the given grid plus the interval [0, omega[0]]
    at the first value. With ``tail`` the part above omega[-1] is added from the
    Mattis-Bardeen asymptote 1 - sigma_1/sigma_N = (a ln w + b) / w^2 fitted to the last
    two grid points (integral (a (ln W + 1) + b) / W); without it the grid must reach far
    enough above 2 Delta for the neglected tail (~ 2.3 Delta^2 ln(W/Delta)/W) to be small.

    Parameters
    ----------
    omega : (n_w,) float, meV
        Increasing photon energies, from well below to far above 2 Delta.
    sigma1_over_sigman : (n_w,) float
        sigma_1/sigma_N on ``omega``.
    superfluid_weight : float, meV
        D = lim w sigma_2/sigma_N (pi Delta tanh(Delta/2kT) in the dirty limit).
    tail : bool
        Add the extrapolated high-frequency tail.

    Returns
    -------
    float (1 when the sum rule holds)
    """
    w = np.asarray(omega, dtype=float)
    s = np.asarray(sigma1_over_sigman, dtype=float)
    if w.ndim != 1 or w.shape != s.shape or w.size < 3 or np.any(np.diff(w) <= 0):
        raise ValueError(
            "omega must be 1-D, strictly increasing, >= 3 points, and match sigma1_over_sigman"
        )
    d = _check_positive(superfluid_weight, "superfluid_weight")
    y = 1.0 - s
    area = w[0] * y[0] + float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(w)))
    if tail:
        x1, x2 = w[-2], w[-1]
        mat = np.array([[math.log(x1), 1.0], [math.log(x2), 1.0]])
        a, b = np.linalg.solve(mat, np.array([y[-2] * x1 * x1, y[-1] * x2 * x2]))
        area += (a * (math.log(x2) + 1.0) + b) / x2
    return area / (0.5 * np.pi * d)
