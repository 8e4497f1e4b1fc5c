"""Mean-field dynamics of the driven valley pair and its linearisation (paper 003, Eq. 9 checked).

Section E of :mod:`photosc.cores.bands.honeycomb`, an independent check of the gap
equation: the time-dependent mean-field (BdG) equations of motion of the driven,
reservoir-coupled valley pair (k in K+, -k in K-) with a self-consistent gap Delta_+-, set up
for the generic ``bands`` core, and their full linearisation around the normal steady state
(growth rate and oscillation frequency of a seeded gap), compared with Eq. 9's kernel.

Every quantity of the Born-Markov model depends on k only through E_k2
(:mod:`~photosc.cores.bands.honeycomb.gap_kernels`), so the valley sums are done on an
energy grid: node j stands for the shell of k in K+ at conduction energy E_j (weight
w_j = rho(E_j) dE) and its mirror -k in K- (same weight). The generic ``bands`` core
integrates the mean-field equations on this grid (K+ nodes first, then their K- partners);
the linearisation below is an independent derivation used to check it and to read off
growth rates.

What the linearisation says about Eq. 9 (derived here, tested in
tests/cores/bands/test_honeycomb.py):

* Eq. 9 is the real part of the static pair response at the gap frequency 2 mu. The
  pair amplitude A12 = <c_{-k1} c_{k2}> obeys dA12/dt = -(i E + Gamma) A12 - i Delta P_k
  (+ Rabi mixing), and E = e1 + e2 is the same for every k (particle-hole symmetric
  bands). Without the mixing, Delta = V sum_k w A12 gives d Delta/dt = -(Gamma + i(E +
  V S)) Delta, S = sum w P_k: a seed decays at Gamma for every V of either sign, and the
  imaginary part that Eq. 9 drops equals its real part at mu = -Gamma/2.
* With intervalley coupling the two channels (P_+ < 0 < P_-) form a PT-symmetric pair:
  growth at rate S sqrt(v^2 - V^2) - Gamma for |v| > |V| (without mixing).
* The drive mixes A12 with A11 = <c_{-k1} c_{k1}> (same rotating-frame energy at
  resonance) and the interband coherence n21 sources A11; both are in
  :func:`pair_linearization` and change the static response by orders of magnitude at
  Omega >> Gamma.

Energies and rates in units of ``t``, times in 1/t (hbar = 1).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.bands.honeycomb.lattice import _check_positive, band_limits, dos_valley
from photosc.cores.bands.honeycomb.normal_state import _check_rates, born_markov_populations
from photosc.errors import ConvergenceError


class ValleyGrid(NamedTuple):
    """Conduction energies of one valley and their DOS weights.

    energy : (n,) float, energy unit, in [delta/2, band top]
    weight : (n,) float, per unit cell: sum(weight * g(energy)) ~ int rho(E) g(E) dE,
        sum(weight) ~ 1/2
    """

    energy: NDArray[np.float64]
    weight: NDArray[np.float64]


def valley_energy_grid(
    t: float, delta: float, center: float, width: float, n: int, window: float | None = None
) -> ValleyGrid:
    """Gauss-Legendre grid in u with E = center + width tan(u), split at the van Hove energy.

    Concentrates nodes within ~width of the resonance ``center`` (omega0/2) while covering
    the band (or ``center +- window`` when given, to keep fast off-resonant phases out of
    a time integration; then sum(weight) < 1/2).

    Parameters
    ----------
    t, delta : float, energy unit
    center : float, energy unit
        Resonance energy E_r = omega0 / 2.
    width : float, energy unit, > 0
        Half width of the resonance in E, e.g. sqrt(4 Omega^2 + Gamma^2) / 2.
    n : int, >= 8
        Approximate number of nodes (each piece gets at least 4; use ``energy.size``).
    window : float or None, energy unit
        Restrict to |E - center| <= window.
    """
    _check_positive("width", width)
    if n < 8:
        raise ValueError(f"valley grid needs n >= 8 nodes, got {n}")
    lo, vh, hi = band_limits(t, delta)
    a, b = lo, hi
    if window is not None:
        _check_positive("window", window)
        a, b = max(lo, center - window), min(hi, center + window)
        if not b > a:
            raise ValueError(f"window {window} around {center} misses the band [{lo}, {hi}]")
    edges = sorted({a, b, *[p for p in (vh,) if a < p < b]})
    us = [np.arctan((e - center) / width) for e in edges]
    spans = np.diff(us)
    counts = np.maximum(4, np.round(n * spans / spans.sum()).astype(int))
    xs, ws = [], []
    for (u0, u1), m in zip(zip(us[:-1], us[1:]), counts):
        x, w = np.polynomial.legendre.leggauss(int(m))
        u = 0.5 * (u1 - u0) * x + 0.5 * (u1 + u0)
        e = center + width * np.tan(u)
        de = width / np.cos(u) ** 2 * 0.5 * (u1 - u0) * w
        xs.append(e)
        ws.append(de * dos_valley(e, t, delta))
    return ValleyGrid(np.concatenate(xs), np.concatenate(ws))


def valley_band_system(grid: ValleyGrid, *, omega0: float, rabi: float):
    """:class:`~photosc.cores.bands.BandSystem` of the valley pair on an energy grid.

    Nodes 0..n-1: k in K+ (driven, omega_k = rabi); nodes n..2n-1: their mirrors -k in K-
    (omega = 0). Rotating-frame bands e1 = -E + omega0/2, e2 = E - omega0/2 (lab pair
    energy e1 + e2 = 0). The ``k`` labels are +E (K+) and -E (K-).

    Parameters
    ----------
    grid : ValleyGrid
        n conduction energies and weights (:func:`valley_energy_grid`).
    omega0 : float, energy unit
        Laser frequency.
    rabi : float, energy unit
        Rabi frequency Omega on the K+ nodes.

    Returns
    -------
    BandSystem with 2n nodes
    """
    from photosc.cores.bands.system import BandSystem

    e = grid.energy
    n = e.size
    minus = np.concatenate([np.arange(n, 2 * n), np.arange(n)])
    omega = np.concatenate([np.full(n, rabi, dtype=complex), np.zeros(n, dtype=complex)])
    return BandSystem(
        k=np.concatenate([e, -e]),
        e1=np.concatenate([-e, -e]) + omega0 / 2,
        e2=np.concatenate([e, e]) - omega0 / 2,
        omega=omega,
        minus=minus,
        weights=np.concatenate([grid.weight, grid.weight]),
    )


def valley_reservoir(grid: ValleyGrid, *, mu: float, gamma1: float, gamma2: float, kT: float):
    """Fermionic reservoir (Eq. 7) for :func:`valley_band_system`, in the bands-core rates.

    The bands core uses the Lindblad normalisation gamma (L rho L+ - {L+ L, rho}/2) with
    gamma the population rate; the paper-consistent amplitude rates Gamma_a of this
    package (Eqs. 9-11 as printed) are passed as 2 Gamma_a.

    Parameters
    ----------
    grid : ValleyGrid
        n conduction energies and weights (:func:`valley_energy_grid`).
    mu : float, energy unit
        Reservoir chemical potential (measured from mid-gap).
    gamma1, gamma2 : float, energy unit
        Amplitude rates Gamma_1, Gamma_2 of this package (> 0).
    kT : float, energy unit
        Reservoir temperature (>= 0).

    Returns
    -------
    FermionReservoir on the 2n nodes
    """
    from photosc.cores.bands.dissipators import fermion_reservoir

    _check_rates(gamma1, gamma2)
    e = np.concatenate([grid.energy, grid.energy])
    n = grid.energy.size
    minus = np.concatenate([np.arange(n, 2 * n), np.arange(n)])
    return fermion_reservoir(-e, e, 2 * gamma1, 2 * gamma2, mu, kT, minus)


def valley_gap_coupling(grid: ValleyGrid, *, V: float, v: float, phi: float = 0.0):
    """Gap coupling of Eq. 12: group 0 = K+, group 1 = K-, [[V, v e^{i phi}], [v e^{-i phi}, V]].

    V > 0 is repulsive (Eq. 4); Delta_+- = Delta on the K+- nodes.

    Parameters
    ----------
    grid : ValleyGrid
        n conduction energies and weights (:func:`valley_energy_grid`).
    V : float, energy unit
        Intravalley coupling (V > 0 repulsive, Eq. 4).
    v : float, energy unit
        Intervalley coupling |V'|.
    phi : float, rad
        Phase of the intervalley coupling.

    Returns
    -------
    GapCoupling on the 2n nodes
    """
    from photosc.cores.bands.eom import GapCoupling

    n = grid.energy.size
    groups = np.concatenate([np.zeros(n, dtype=np.intp), np.ones(n, dtype=np.intp)])
    vp = v * np.exp(1j * phi)
    vmat = np.array([[V, vp], [np.conj(vp), V]], dtype=complex)
    return GapCoupling(groups, vmat, np.concatenate([grid.weight, grid.weight]))


def valley_normal_state(
    grid: ValleyGrid, *, mu: float, omega0: float, rabi: float, gamma1: float, gamma2: float,
    kT: float,
):  # fmt: skip
    """Closed-form normal steady state (Eqs. 10-11 + coherence) as a bands-core ``State``.

    Parameters
    ----------
    grid : ValleyGrid
        n conduction energies and weights (:func:`valley_energy_grid`).
    mu, omega0, rabi, gamma1, gamma2, kT : float, energy unit
        As in :func:`~photosc.cores.bands.honeycomb.normal_state.born_markov_populations`.

    Returns
    -------
    State on the 2n nodes of :func:`valley_band_system` (pair amplitudes zero)
    """
    from photosc.cores.bands.system import State

    st = born_markov_populations(
        grid.energy, mu=mu, omega0=omega0, rabi=rabi, gamma1=gamma1, gamma2=gamma2, kT=kT
    )
    n = grid.energy.size
    nn = np.zeros((2 * n, 2, 2), dtype=complex)
    nn[:n, 0, 0] = st.n11
    nn[:n, 1, 1] = st.n22
    nn[:n, 1, 0] = st.n21
    nn[:n, 0, 1] = np.conj(st.n21)
    nn[n:, 0, 0] = st.f1
    nn[n:, 1, 1] = st.f2
    return State(nn, np.zeros((2 * n, 2, 2), dtype=complex))


class PairLinearization(NamedTuple):
    """Linearised pair-amplitude equations around the normal steady state.

    Unknowns per node j (k in K+): x = (A11, A12, A21, A22) with
    A_ab = <c_{-k a} c_{k b}> (a at -k in K-, b at k in K+). dx/dt = L x with
    L = blockdiag(blocks) + sources @ functionals, Delta = functionals @ x, Delta = (Delta_+,
    Delta_-).

    blocks : (n, 4, 4) complex, energy unit
    sources : (4n, 2) complex, d x / dt per unit Delta_+, Delta_-
    functionals : (2, 4n) complex, Delta in terms of x (coupling matrix applied)
    weights : (n,) float, valley DOS weights of the nodes
    """

    blocks: NDArray[np.complex128]
    sources: NDArray[np.complex128]
    functionals: NDArray[np.complex128]
    weights: NDArray[np.float64]


def pair_linearization(
    grid: ValleyGrid,
    *,
    mu: float,
    omega0: float,
    rabi: float,
    gamma1: float,
    gamma2: float,
    kT: float,
    V: float,
    v: float,
    phi: float = 0.0,
    mixing: bool = True,
) -> PairLinearization:
    """Full linearisation of the mean-field BdG equations in the pair amplitudes (our derivation).

    From the Heisenberg-Langevin equations of the Born-Markov model (Eq. 7 with the
    mean-field pairing Delta_k c+_k2 c+_-k1 + h.c.; amplitudes decay at Gamma_a):

        dA11/dt = (-2i e1 - 2 Gamma_1) A11 - i Omega A12 + i Delta_+ n21
        dA12/dt = (-i(e1+e2) - Gamma) A12 - i Omega A11 - i Delta_+ (1 - n22_k - f1)
        dA21/dt = (-i(e1+e2) - Gamma) A21 - i Omega A22 + i Delta_- (1 - n11_k - f2)
        dA22/dt = (-2i e2 - 2 Gamma_2) A22 - i Omega A21 - i Delta_- n12

    e1 = -E + omega0/2, e2 = E - omega0/2 (rotating frame), populations at k from Eqs.
    10-11 and n21 = <c+_k2 c_k1>
    (:func:`~photosc.cores.bands.honeycomb.normal_state.born_markov_populations`), -k at the
    reservoir occupations f_a. Delta_+ = sum w (V A12 - v e^{i phi} A21), Delta_- = sum w
    (v e^{-i phi} A12 - V A21). The normal state is unchanged to first order in Delta.

    Eq. 9 keeps only the A12 / A21 rows without Omega (``mixing=False``) and, in
    addition, only the real part of their static response at the gap frequency 2 mu.

    Parameters
    ----------
    grid : ValleyGrid
        n conduction energies and weights (:func:`valley_energy_grid`).
    mu, omega0, rabi, gamma1, gamma2, kT : float, energy unit
        As in :func:`~photosc.cores.bands.honeycomb.normal_state.born_markov_populations`.
    V : float, energy unit
        Intravalley coupling (V > 0 repulsive, Eq. 4).
    v : float, energy unit
        Intervalley coupling |V'|.
    phi : float, rad
        Phase of the intervalley coupling.
    mixing : bool
        Keep the Rabi mixing of A12 with A11 (A21 with A22) and the n21 sources.

    Returns
    -------
    PairLinearization
    """
    st = born_markov_populations(
        grid.energy, mu=mu, omega0=omega0, rabi=rabi, gamma1=gamma1, gamma2=gamma2, kT=kT
    )
    e = grid.energy
    n = e.size
    e1, e2 = -e + omega0 / 2, e - omega0 / 2
    gam = gamma1 + gamma2
    om = rabi if mixing else 0.0
    b = np.zeros((n, 4, 4), dtype=complex)
    b[:, 0, 0] = -2j * e1 - 2 * gamma1
    b[:, 0, 1] = -1j * om
    b[:, 1, 1] = -1j * (e1 + e2) - gam
    b[:, 1, 0] = -1j * om
    b[:, 2, 2] = -1j * (e1 + e2) - gam
    b[:, 2, 3] = -1j * om
    b[:, 3, 3] = -2j * e2 - 2 * gamma2
    b[:, 3, 2] = -1j * om
    src = np.zeros((n, 4, 2), dtype=complex)
    if mixing:
        src[:, 0, 0] = 1j * st.n21
        src[:, 3, 1] = -1j * np.conj(st.n21)
    src[:, 1, 0] = -1j * (1 - st.n22 - st.f1)
    src[:, 2, 1] = 1j * (1 - st.n11 - st.f2)
    fun = np.zeros((2, n, 4), dtype=complex)
    vp = v * np.exp(1j * phi)
    fun[0, :, 1] = V * grid.weight
    fun[0, :, 2] = -vp * grid.weight
    fun[1, :, 1] = np.conj(vp) * grid.weight
    fun[1, :, 2] = -V * grid.weight
    return PairLinearization(b, src.reshape(4 * n, 2), fun.reshape(2, 4 * n), grid.weight)


def pair_operator(lin: PairLinearization) -> NDArray[np.complex128]:
    """Dense (4n, 4n) matrix L of :class:`PairLinearization`."""
    n = lin.blocks.shape[0]
    mat = np.zeros((4 * n, 4 * n), dtype=complex)
    for a in range(4):
        for c in range(4):
            idx = np.arange(n) * 4
            mat[idx + a, idx + c] = lin.blocks[:, a, c]
    return mat + lin.sources @ lin.functionals


class GrowthRate(NamedTuple):
    """Leading eigenvalue lambda of the linearised gap dynamics, Delta ~ exp(lambda t).

    rate : float, energy unit (Re lambda; > 0 means a seeded gap grows)
    frequency : float, energy unit (-Im lambda, lab/rotating frame of the bands: a gap
        rotating as exp(-i frequency t); Eq. 9 assumes frequency = 2 mu)
    delta_ratio : complex, Delta_- / Delta_+ of that mode (or inf-safe 0 if Delta_+ = 0)
    """

    rate: float
    frequency: float
    delta_ratio: complex


def pair_growth_rate(lin: PairLinearization) -> GrowthRate:
    """Leading eigenmode of the full linearised pair dynamics (dense eigen-decomposition).

    Only modes that carry a gap (|Delta| not negligible) are considered: the others are
    the unperturbed pair continuum, decaying at Gamma-type rates whatever V is.
    """
    mat = pair_operator(lin)
    vals, vecs = np.linalg.eig(mat)
    gaps = lin.functionals @ vecs  # (2, m)
    norm = np.linalg.norm(vecs, axis=0)
    carries = np.linalg.norm(gaps, axis=0) > 1e-8 * norm * max(
        1e-300, float(np.abs(lin.functionals).max())
    )
    if not np.any(carries):
        carries = np.ones_like(carries)
    cand = np.where(carries)[0]
    j = cand[np.argmax(vals[cand].real)]
    dp, dm = gaps[:, j]
    ratio = dm / dp if abs(dp) > 1e-300 else 0j
    return GrowthRate(float(vals[j].real), float(-vals[j].imag), complex(ratio))


def pair_response(lin: PairLinearization, omega: complex) -> NDArray[np.complex128]:
    """Bare response chi(omega) (2x2): pair sums per unit Delta at Delta ~ exp(-i omega t).

    chi[0, :] = sum w A12 per unit (Delta_+, Delta_-), chi[1, :] = -sum w A21, so that
    Eq. 9 reads chi ~ diag(F_+, F_-) (real part, at omega = 2 mu, no Rabi mixing).

    Parameters
    ----------
    lin : PairLinearization
        From :func:`pair_linearization`.
    omega : complex, energy unit
        Frequency of the gap, Delta ~ exp(-i omega t).

    Returns
    -------
    (2, 2) complex, 1/energy unit
    """
    n = lin.blocks.shape[0]
    rhs = lin.sources.reshape(n, 4, 2)
    mat = -1j * omega * np.eye(4) - lin.blocks
    resp = np.linalg.solve(mat, rhs)  # (n, 4, 2)
    chi = np.zeros((2, 2), dtype=complex)
    w = lin.weights
    chi[0] = np.einsum("n,nk->k", w, resp[:, 1, :])
    chi[1] = -np.einsum("n,nk->k", w, resp[:, 2, :])
    return chi


def evolve_linear(
    lin: PairLinearization, x0: NDArray[np.complex128], times: ArrayLike
) -> NDArray[np.complex128]:
    """(Delta_+(t), Delta_-(t)) of the linearised dynamics from x(0) = x0, shape (2, nt).

    Exact solution x(t) = exp(L t) x0 by eigen-decomposition of L (diagonalisable for
    generic parameters; the reconstruction error is checked and reported as an error).

    Parameters
    ----------
    lin : PairLinearization
    x0 : (4n,) complex
        Initial (A11, A12, A21, A22) per node.
    times : (nt,) float, 1/energy unit
    """
    mat = pair_operator(lin)
    vals, vecs = np.linalg.eig(mat)
    coef = np.linalg.solve(vecs, x0)
    if np.linalg.norm(vecs @ coef - x0) > 1e-8 * max(np.linalg.norm(x0), 1e-300):
        raise ConvergenceError(
            "eigenvector basis of the linearised operator is ill-conditioned",
            float(np.linalg.norm(vecs @ coef - x0)),
        )
    t = np.asarray(times, dtype=float)
    gaps = lin.functionals @ vecs  # (2, m)
    return (gaps * coef) @ np.exp(np.outer(vals, t))
