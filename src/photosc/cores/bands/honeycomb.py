"""Gapped honeycomb model driven valley-selectively (paper 003, Hart et al., PRB 100, 060508).

Dimensionless units: every energy, rate and Rabi frequency is in units of the hopping
``t`` (pass ``t=1``), times in ``1/t`` (hbar = 1), the nearest-neighbour distance a = 1.

Contents
--------
A. Lattice and bands: Eq. 1, its bands, the exact density of states (paper 003 after
   Eq. 15, via the graphene DOS of Castro Neto et al. RMP 81, 109, Eq. 14).
B. Optics: interband matrix elements and the circular dichroism eta(k) (Eq. 2, Fig. 2);
   the valley-selective drive pattern on the hexagonal zone.
C. Born-Markov steady state without gap (Eqs. 10-11) in closed form, including the
   interband coherence n^21 that Eqs. 10-11 do not print.
D. The gap-equation kernels F_+- (Eq. 13 as a Brillouin-zone sum, Eq. 14 as a DOS
   integral, Eq. 17 closed form), the critical couplings (Eq. 12 general, Eq. 16), and the
   fast-intraband-relaxation regime (Fig. 3b).
E. Independent check: the time-dependent mean-field (BdG) equations of motion of the
   driven, reservoir-coupled valley pair (k in K+, -k in K-) with a self-consistent gap
   Delta_+-; their full linearisation around the normal steady state (growth rate and
   oscillation frequency of a seeded gap) compared with Eq. 9's kernel.

Conventions (stated once, used everywhere)
-------------------------------------------
* Dissipation rates. Eqs. 9-11 as printed hold when the one-body amplitude <c_k,alpha>
  decays at rate Gamma_alpha, i.e. populations relax at 2 Gamma_alpha and interband
  coherences / pair amplitudes at Gamma = Gamma_1 + Gamma_2 (Omega~^2 = Omega^2 / (eps^2
  + Gamma^2), kernel E / (E^2 + Gamma^2)). With the dissipator D of Eq. 7 exactly as
  printed (with its 1/2) the rates in Eq. 7 would be 2 Gamma_lambda in this language
  (or Eqs. 10-11 would carry (Gamma/2)^2): a factor-2 convention, we keep the one in which
  Eqs. 9-17 are self-consistent. A generic Lindblad code whose reservoir rate is the
  population relaxation rate must be given ``2 * gamma_alpha``.
* Rotating frame: band 2 shifted by -omega0/2, band 1 by +omega0/2, so pair amplitudes
  c_{-k alpha} c_{k beta} keep their lab-frame energy E_{k1} + E_{k2} = 0 (the bands of
  Eq. 1 are particle-hole symmetric). Measured from the reservoir (gap rotating at
  2 mu, as in a grand-canonical steady state) the pair energy is
  E_k = xi_k1 + xi_k2 = -2 mu for every k: this is the "resonance condition E_k ~ 0" of
  the text and the origin of the factor -mu / (mu^2 + (Gamma/2)^2) in Eq. 14.
* Circular dichroism sign: Eq. 2 taken literally with the printed h(k), d_i and
  p_+- = p_x +- i p_y gives eta(K+) = -1. The paper states eta(K+) = +1; that holds with
  p_+- = p_x -+ i p_y (the e^{+i omega t} phase convention for sigma_+-). We use this one:
  ``circular_dichroism`` returns eta = +1 at K+ = (4 pi / (3 sqrt 3), 0); the literal form
  is ``-eta``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, optimize
from scipy.special import ellipkm1

from photosc.errors import ConvergenceError
from photosc.foundation.distributions import fermi

# --------------------------------------------------------------------------------------
# A. Lattice and bands
# --------------------------------------------------------------------------------------

#: Area of the unit cell, nearest-neighbour distance a = 1 (paper 003 after Eq. 17).
A_CELL = 3.0 * np.sqrt(3.0) / 2.0
#: Nearest-neighbour vectors d_1, d_2, d_3 (rows), Eq. 1: d_12 = y/2 +- sqrt(3)/2 x, d_3 = -y.
NN_VECTORS = np.array([[np.sqrt(3.0) / 2, 0.5], [-np.sqrt(3.0) / 2, 0.5], [0.0, -1.0]])
#: Valley centre K+ = +4 pi / (3 sqrt 3) x (Fig. 2 caption); K- = -K+.
K_PLUS = np.array([4.0 * np.pi / (3.0 * np.sqrt(3.0)), 0.0])
#: Reciprocal lattice vectors b1, b2 (rows), b_i . a_j = 2 pi delta_ij, a_{1,2} = d_{1,2} - d_3.
RECIPROCAL = 2.0 * np.pi / 3.0 * np.array([[np.sqrt(3.0), 1.0], [-np.sqrt(3.0), 1.0]])


def offdiagonal(kx: ArrayLike, ky: ArrayLike, t: float) -> NDArray[np.complex128]:
    """h(k) = -t sum_i exp(i k . d_i) (paper 003, Eq. 1).

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components (broadcast together).
    t : float, energy unit
        Nearest-neighbour hopping.

    Returns
    -------
    (...) complex, energy unit
    """
    kx = np.asarray(kx, dtype=float)[..., None]
    ky = np.asarray(ky, dtype=float)[..., None]
    phase = kx * NN_VECTORS[:, 0] + ky * NN_VECTORS[:, 1]
    return -t * np.exp(1j * phase).sum(axis=-1)


def _offdiagonal_gradient(kx: ArrayLike, ky: ArrayLike, t: float):
    """(dh/dkx, dh/dky), each (...) complex, energy unit x a."""
    kx = np.asarray(kx, dtype=float)[..., None]
    ky = np.asarray(ky, dtype=float)[..., None]
    e = np.exp(1j * (kx * NN_VECTORS[:, 0] + ky * NN_VECTORS[:, 1]))
    return (-1j * t * (e * NN_VECTORS[:, 0]).sum(-1), -1j * t * (e * NN_VECTORS[:, 1]).sum(-1))


def hamiltonian(kx: ArrayLike, ky: ArrayLike, t: float, delta: float) -> NDArray[np.complex128]:
    """Bloch Hamiltonian H(k) = [[delta/2, h], [h*, -delta/2]] (Eq. 1), shape (..., 2, 2).

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components (broadcast together).
    t : float, energy unit
        Nearest-neighbour hopping.
    delta : float, energy unit
        Staggered potential (band gap delta at K+-).

    Returns
    -------
    (..., 2, 2) complex, energy unit
    """
    h = offdiagonal(kx, ky, t)
    out = np.empty(h.shape + (2, 2), dtype=complex)
    out[..., 0, 0] = delta / 2
    out[..., 1, 1] = -delta / 2
    out[..., 0, 1] = h
    out[..., 1, 0] = np.conj(h)
    return out


def band_energies(kx: ArrayLike, ky: ArrayLike, t: float, delta: float):
    """Valence and conduction bands E_k1 = -E, E_k2 = +E, E = sqrt(delta^2/4 + |h|^2).

    Parameters
    ----------
    kx, ky : array_like, 1/a
    t, delta : float, energy unit
        Hopping and staggered potential (band gap delta at K+-).

    Returns
    -------
    (e1, e2) : tuple of (...) float arrays, energy unit
    """
    e = np.sqrt(delta**2 / 4 + np.abs(offdiagonal(kx, ky, t)) ** 2)
    return -e, e


def _check_positive(name: str, value: float, allow_zero: bool = False) -> None:
    ok = value >= 0 if allow_zero else value > 0
    if not (np.isfinite(value) and ok):
        allowed = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {allowed}, got {value!r}")


def _dos_graphene_over_e(energy: ArrayLike, t: float) -> NDArray[np.float64]:
    """rho_g(E) / |E|, finite at E -> 0 (limit A_CELL / (pi v_F^2), v_F = 3t/2)."""
    _check_positive("t", t)
    x = np.abs(np.asarray(energy, dtype=float)) / t
    inside = x < 3.0
    xs = np.where(inside, x, 0.0)
    zin = (1 + xs) ** 2 - (xs**2 - 1) ** 2 / 4
    z0 = np.where(xs <= 1, zin, 4 * xs)
    # complementary parameter 1 - z1/z0 in closed form (no cancellation near the van Hove
    # energy |E| = t, where K diverges logarithmically; floored so that K stays finite)
    p = (1 - xs) ** 2 * np.abs(1 - (1 + xs) ** 2 / 4) / z0
    val = 2.0 / np.pi**2 / t**2 / np.sqrt(z0) * ellipkm1(np.maximum(p, 1e-300))
    return np.where(inside, val, 0.0)


def band_limits(t: float, delta: float) -> tuple[float, float, float]:
    """(band bottom delta/2, van Hove energy sqrt(delta^2/4 + t^2), band top) of band 2.

    Parameters
    ----------
    t, delta : float, energy unit
        Hopping and staggered potential (band gap delta at K+-).

    Returns
    -------
    (bottom, van_hove, top) : tuple of float, energy unit
    """
    return (delta / 2, float(np.hypot(delta / 2, t)), float(np.hypot(delta / 2, 3 * t)))


def dos_valley(energy: ArrayLike, t: float, delta: float) -> NDArray[np.float64]:
    """Density of states of the conduction band in one valley half of the zone.

    rho(E) = (E / E~) rho_g(E~) / 2 with E~ = sqrt(E^2 - delta^2/4) (paper 003 after
    Eq. 15: rho = (E/E~) rho_0(E~) / 4, rho_0 counting spin and both bands' valleys).
    Per unit cell, int rho dE = 1/2 (half the zone). By particle-hole symmetry the valence
    band has rho(-E). Exact for any delta/t, finite at the band edge:
    rho(delta/2) = A_CELL delta / (9 pi t^2).

    Parameters
    ----------
    energy : array_like, energy unit
        Conduction-band energy E (>= delta/2 inside the band).
    t, delta : float, energy unit

    Returns
    -------
    (...) float, states per unit cell per energy unit
    """
    _check_positive("delta", delta, allow_zero=True)
    e = np.asarray(energy, dtype=float)
    et2 = e**2 - delta**2 / 4
    inside = (et2 >= 0) & (e > 0)
    et = np.sqrt(np.where(inside, et2, 0.0))
    return np.where(inside, e * _dos_graphene_over_e(et, t) / 2, 0.0)


# --------------------------------------------------------------------------------------
# B. Optical matrix elements, circular dichroism, drive pattern
# --------------------------------------------------------------------------------------


class OpticalElements(NamedTuple):
    """Interband matrix elements of p_+- (velocity units, energy unit x a)."""

    p_plus: NDArray[np.complex128]
    p_minus: NDArray[np.complex128]


def optical_matrix_elements(
    kx: ArrayLike, ky: ArrayLike, t: float, delta: float
) -> OpticalElements:
    """P^21_+-(k) = <psi_2k | p_+- | psi_1k> with p = dH/dk (m = 1), Eq. 2.

    Sign convention (module docstring): p_+- = p_x -+ i p_y, chosen so that eta(K+) = +1
    as the paper states. At K+ the sigma_+ element is |P_+| = 3t, P_- = 0.

    Parameters
    ----------
    kx, ky : array_like, 1/a
    t, delta : float, energy unit

    Returns
    -------
    OpticalElements of (...) complex arrays
    """
    h = offdiagonal(kx, ky, t)
    hx, hy = _offdiagonal_gradient(kx, ky, t)
    d = delta / 2
    e = np.sqrt(d**2 + np.abs(h) ** 2)
    # eigenvectors of [[d, h], [h*, -d]]: psi_2 = (d + e, h*) / N, psi_1 = (-h, d + e) / N
    norm = np.sqrt(2 * e * (e + d))
    with np.errstate(invalid="ignore", divide="ignore"):
        u2 = np.stack([(d + e) / norm, np.conj(h) / norm], axis=-1)
        u1 = np.stack([-h / norm, (d + e) / norm], axis=-1)
    if delta == 0:  # d = 0 and h = 0 cannot occur together except at the Dirac point
        u2 = np.where(np.isfinite(u2), u2, 0.0)
        u1 = np.where(np.isfinite(u1), u1, 0.0)

    def element(gx: NDArray, gy: NDArray, sign: float) -> NDArray:
        # operator v = [[0, g], [g*, 0]] with g = d h / dk along the combination
        g = gx - sign * 1j * gy
        gs = np.conj(gx) - sign * 1j * np.conj(gy)
        # <u2| M |u1>, M = [[0, g], [gs, 0]]
        return np.conj(u2[..., 0]) * g * u1[..., 1] + np.conj(u2[..., 1]) * gs * u1[..., 0]

    return OpticalElements(element(hx, hy, +1.0), element(hx, hy, -1.0))


def circular_dichroism(kx: ArrayLike, ky: ArrayLike, t: float, delta: float) -> NDArray:
    """Degree of circular polarisation eta(k) (Eq. 2, Fig. 2); +1 at K+, -1 at K-.

    eta = (|P_+|^2 - |P_-|^2) / (|P_+|^2 + |P_-|^2), convention of
    :func:`optical_matrix_elements`. Odd under k -> -k (time reversal). Where both
    elements vanish (the zone centre Gamma, where dh/dk = 0) eta is set to 0.

    Parameters
    ----------
    kx, ky : array_like, 1/a
    t, delta : float, energy unit

    Returns
    -------
    (...) float in [-1, 1]
    """
    pp, pm = optical_matrix_elements(kx, ky, t, delta)
    a, b = np.abs(pp) ** 2, np.abs(pm) ** 2
    s = a + b
    tiny = 1e-24 * t**2
    return np.where(s > tiny, (a - b) / np.where(s > tiny, s, 1.0), 0.0)


class ZoneGrid(NamedTuple):
    """Uniform Monkhorst-Pack sampling of the Brillouin zone (each point weight 1/N)."""

    kx: NDArray[np.float64]
    ky: NDArray[np.float64]


def zone_grid(n: int) -> ZoneGrid:
    """n x n points k = (i + 1/2)/n b1 + (j + 1/2)/n b2, folded into the hexagon.

    The shift by half a step keeps Gamma and K+- off the grid (even n) and makes the grid
    symmetric under k -> -k (so the K+ and K- regions have equal weight).

    Parameters
    ----------
    n : int, >= 2

    Returns
    -------
    ZoneGrid of (n*n,) arrays, 1/a
    """
    if n < 2:
        raise ValueError(f"zone grid size n must be >= 2, got {n}")
    u = (np.arange(n) + 0.5) / n - 0.5
    a, b = np.meshgrid(u, u, indexing="ij")
    k = a.ravel()[:, None] * RECIPROCAL[0] + b.ravel()[:, None] * RECIPROCAL[1]
    k = fold_to_hexagon(k[:, 0], k[:, 1])
    return ZoneGrid(k[0], k[1])


def fold_to_hexagon(kx: ArrayLike, ky: ArrayLike) -> tuple[NDArray, NDArray]:
    """Map momenta into the first (hexagonal) Brillouin zone by reciprocal translations.

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components, same size; the result has the shape of ``kx``.

    Returns
    -------
    (kx, ky) : tuple of (...) float arrays, 1/a
    """
    k = np.stack([np.asarray(kx, float).ravel(), np.asarray(ky, float).ravel()], axis=-1)
    shifts = np.array(
        [i * RECIPROCAL[0] + j * RECIPROCAL[1] for i in (-1, 0, 1) for j in (-1, 0, 1)]
    )
    for _ in range(3):
        cand = k[:, None, :] - shifts[None, :, :]
        best = np.argmin((cand**2).sum(-1), axis=1)
        k = cand[np.arange(k.shape[0]), best]
    shape = np.shape(kx)
    return k[:, 0].reshape(shape), k[:, 1].reshape(shape)


def in_hexagon(kx: ArrayLike, ky: ArrayLike) -> NDArray[np.bool_]:
    """True inside the first Brillouin zone (corner distance |K+|).

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components (broadcast together).

    Returns
    -------
    (...) bool
    """
    kx, ky = np.asarray(kx, float), np.asarray(ky, float)
    r = np.linalg.norm(RECIPROCAL[0]) / 2  # Gamma-M distance
    out = np.ones(np.broadcast(kx, ky).shape, dtype=bool)
    for ang in np.deg2rad([30.0, 90.0, 150.0]):
        out &= np.abs(kx * np.cos(ang) + ky * np.sin(ang)) <= r * (1 + 1e-12)
    return out


def drive_pattern(kx: ArrayLike, ky: ArrayLike, t: float, delta: float) -> NDArray[np.bool_]:
    """Valley-selective sigma_+ drive: True where eta(k) > 0 (k in "K+"), paper 003 p. 2.

    The region is the true sign region of eta on the hexagonal zone (not a disc around
    K+); by time reversal it is exactly the image of the eta < 0 region under k -> -k.

    Parameters
    ----------
    kx, ky : array_like, 1/a
        Momentum components (broadcast together).
    t, delta : float, energy unit
        Hopping and staggered potential.

    Returns
    -------
    (...) bool
    """
    return circular_dichroism(kx, ky, t, delta) > 0


# --------------------------------------------------------------------------------------
# C. Born-Markov normal steady state (Eqs. 10-11)
# --------------------------------------------------------------------------------------


def _check_rates(gamma1: float, gamma2: float) -> None:
    _check_positive("gamma1", gamma1)
    _check_positive("gamma2", gamma2)


class NormalState(NamedTuple):
    """Steady one-body state of a driven k in K+ (gap zero), Eqs. 10-11.

    n11, n22 : populations of band 1 and 2 at k (driven); n21 = <c+_k2 c_k1> (interband
    coherence, not printed in the paper); f1, f2 : reservoir occupations n_F(xi_k1),
    n_F(xi_k2), which are also the populations at -k (undriven valley K-).
    """

    n11: NDArray[np.float64]
    n22: NDArray[np.float64]
    n21: NDArray[np.complex128]
    f1: NDArray[np.float64]
    f2: NDArray[np.float64]


def born_markov_populations(
    e2: ArrayLike,
    *,
    mu: float,
    omega0: float,
    rabi: ArrayLike,
    gamma1: float,
    gamma2: float,
    kT: float,
) -> NormalState:
    """Closed-form Born-Markov steady state of a driven two-band k point (Eqs. 10-11).

    With xi_a = E_a - mu, E_1 = -e2, detuning eps = xi_2 - xi_1 - omega0,
    Gamma = gamma1 + gamma2, Omega~^2 = Omega^2 / (eps^2 + Gamma^2), gamma_a = Gamma_a/Gamma:

        n22 = [f2 + Omega~^2 (f1/gamma2 + f2/gamma1)] / [1 + Omega~^2 (1/gamma2 + 1/gamma1)]
        n11 = [f1 + Omega~^2 (f1/gamma2 + f2/gamma1)] / [1 + Omega~^2 (1/gamma2 + 1/gamma1)]
        n21 = <c+_2 c_1> = i Omega (n11 - n22) / (Gamma - i eps)

    (Eq. 10 prints "n_{-k}^{22} = n_k^2"; read n_F^2: the -k partner is undriven.) Rate
    convention: amplitudes decay at gamma_a (module docstring). Rotating frame with
    H_k = [[E1 + omega0/2, Omega], [Omega, E2 - omega0/2]] in the basis (c_k1, c_k2).

    Parameters
    ----------
    e2 : array_like, energy unit
        Conduction-band energy E_k2 (> 0).
    mu : float, energy unit
        Reservoir chemical potential (measured from mid-gap).
    omega0 : float, energy unit
        Laser frequency.
    rabi : array_like, energy unit
        Rabi frequency Omega_k (0 gives equilibrium), broadcast with e2.
    gamma1, gamma2 : float, energy unit
        Reservoir rates Gamma_1, Gamma_2 (> 0).
    kT : float, energy unit
        Reservoir temperature (>= 0).

    Returns
    -------
    NormalState of arrays broadcast from (e2, rabi)
    """
    _check_rates(gamma1, gamma2)
    _check_positive("kT", kT, allow_zero=True)
    e2 = np.asarray(e2, dtype=float)
    rabi = np.asarray(rabi, dtype=float)
    gam = gamma1 + gamma2
    f1 = fermi(-e2 - mu, kT)
    f2 = fermi(e2 - mu, kT)
    eps = 2 * e2 - omega0
    ot2 = rabi**2 / (eps**2 + gam**2)
    g1, g2 = gamma1 / gam, gamma2 / gam
    common = ot2 * (f1 / g2 + f2 / g1)
    den = 1 + ot2 * (1 / g2 + 1 / g1)
    n22 = (f2 + common) / den
    n11 = (f1 + common) / den
    n21 = 1j * rabi * (n11 - n22) / (gam - 1j * eps)
    f1, f2, n22 = np.broadcast_arrays(f1, f2, n22)
    return NormalState(n11, n22, n21, f1, f2)


def pair_kernel_eq9(mu: float, gamma: float) -> float:
    """Real kernel E_k / (E_k^2 + Gamma^2) of Eq. 9 with E_k = xi_k1 + xi_k2 = -2 mu.

    Parameters
    ----------
    mu : float, energy unit
        Reservoir chemical potential (measured from mid-gap).
    gamma : float, energy unit
        Pair decay rate Gamma (Gamma_1 + Gamma_2 in Eq. 9).

    Returns
    -------
    float, 1/energy unit
    """
    e = -2 * mu
    return e / (e**2 + gamma**2)


# --------------------------------------------------------------------------------------
# D. Gap-equation kernels F_+-, critical couplings, fast relaxation
# --------------------------------------------------------------------------------------


class Kernels(NamedTuple):
    """F_+ and F_- of Eq. 13 (energy unit^-1, per unit cell)."""

    f_plus: NDArray[np.float64]
    f_minus: NDArray[np.float64]


def f_pm_zone_sum(
    grid: ZoneGrid,
    *,
    t: float,
    delta: float,
    mu: float,
    omega0: float,
    rabi: float,
    gamma1: float,
    gamma2: float,
    kT: float,
) -> Kernels:
    """F_+- as the Brillouin-zone sum of Eq. 13 over the true eta > 0 / eta < 0 regions.

    F_+- = -(1/N) sum_{k in K+-} E_k / (E_k^2 + Gamma^2) (1 - n^22_k - n^11_-k), with
    Omega_k = rabi in K+ and 0 in K-, the populations of Eqs. 10-11.

    Parameters
    ----------
    grid : ZoneGrid
        From :func:`zone_grid`; must resolve the resonance shell (k-step well below
        Gamma / |grad(E2 - E1)|) for the sum to approach the integral.
    t, delta, mu, omega0, rabi, gamma1, gamma2, kT : float, energy unit
        As in :func:`born_markov_populations`.
    """
    _, e2 = band_energies(grid.kx, grid.ky, t, delta)
    eta = circular_dichroism(grid.kx, grid.ky, t, delta)
    # grid points on the eta = 0 lines (mirror lines hit by a symmetric grid) count half
    # in each region: a consistent discretisation of a measure-zero boundary
    on_line = np.abs(eta) <= 1e-12
    w_plus = np.where(eta > 0, 1.0, 0.0) + 0.5 * on_line
    w_minus = np.where(eta < 0, 1.0, 0.0) + 0.5 * on_line
    kern = pair_kernel_eq9(mu, gamma1 + gamma2)
    n = grid.kx.size
    kw = dict(mu=mu, omega0=omega0, gamma1=gamma1, gamma2=gamma2, kT=kT)
    driven = born_markov_populations(e2, rabi=rabi, **kw)
    # k in K+: pair (k2 driven, -k1 undriven); k in K-: pair (k2 undriven, -k1 in K+ driven)
    fp = -kern * np.sum(w_plus * (1 - driven.n22 - driven.f1)) / n
    fm = -kern * np.sum(w_minus * (1 - driven.f2 - driven.n11)) / n
    return Kernels(np.float64(fp), np.float64(fm))


def band_quadrature(
    t: float, delta: float, centers: list[float], widths: list[float], m: int = 10
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Composite Gauss-Legendre rule for int dE rho(E) g(E) over the conduction band.

    Panels are graded geometrically towards each Lorentzian ``center`` (panel size ~ the
    distance from it, smallest ``width``/8) and towards the logarithmic van Hove energy,
    so that resonant integrands of width ``width`` and the DOS singularity are integrated
    to ~1e-8 relative with a few hundred vectorised points.

    Parameters
    ----------
    t, delta : float, energy unit
    centers, widths : list of float, energy unit
        Resonance energies and their half widths (> 0).
    m : int
        Nodes per panel.

    Returns
    -------
    energy, weight : (n,) float arrays; weight includes rho(E) (:func:`dos_valley`)
    """
    lo, vh, hi = band_limits(t, delta)
    pts = [lo, hi]
    scale = hi - lo
    for c, w in [*zip(centers, widths), (vh, 1e-9 * scale)]:
        _check_positive("width", w)
        h = w / 8
        while h < 2 * scale:
            pts += [c - h, c + h]
            h *= 2.0
        pts.append(c)
    edges = np.unique(np.clip(np.asarray(pts), lo, hi))
    x, wq = np.polynomial.legendre.leggauss(m)
    a, b = edges[:-1, None], edges[1:, None]
    e = (0.5 * (b - a) * x + 0.5 * (b + a)).ravel()
    w = (0.5 * (b - a) * wq).ravel()
    return e, w * dos_valley(e, t, delta)


def _band_integral(func, t: float, delta: float, peaks: list[float]) -> float:
    """int over the conduction band of dos_valley(E) func(E) dE (adaptive quadrature)."""
    lo, vh, hi = band_limits(t, delta)
    pts = sorted({p for p in [vh, *peaks] if lo < p < hi})
    edges = [lo, *pts, hi]
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        val, err = integrate.quad(
            lambda e: dos_valley(e, t, delta) * func(e), a, b, limit=400, epsabs=0.0,
            epsrel=1e-10,
        )  # fmt: skip
        total += val
    return total


def f_pm_dos(
    *,
    t: float,
    delta: float,
    mu: float,
    omega0: float,
    rabi: float,
    gamma1: float,
    gamma2: float,
    kT: float,
    method: str = "gauss",
) -> Kernels:
    """F_+- of Eq. 13 as an exact DOS integral (the route of Eq. 14, without its limits).

    Every quantity in Eq. 13 depends on k only through E_k2 (Omega_k = Omega on K+,
    E_k1 = -E_k2, E_-k = E_k) and the K+ region has exactly half of each energy shell
    (eta(-k) = -eta(k)), so (1/N) sum_{k in K+} -> int dE rho(E), rho = :func:`dos_valley`.
    Finite temperature and any mu, omega0 are kept (Eq. 14 assumes T << delta).

    ``method="gauss"`` uses :func:`band_quadrature` (vectorised, default); ``"quad"``
    adaptive scipy quadrature (slow reference).

    Parameters
    ----------
    t, delta : float, energy unit
        Hopping and staggered potential.
    mu, omega0, rabi, gamma1, gamma2, kT : float, energy unit
        As in :func:`born_markov_populations` (``rabi`` is Omega on all of K+).
    method : {"gauss", "quad"}
        Quadrature of the DOS integral.

    Returns
    -------
    Kernels of float, 1/energy unit (per unit cell)
    """
    kern = pair_kernel_eq9(mu, gamma1 + gamma2)
    kw = dict(mu=mu, omega0=omega0, rabi=rabi, gamma1=gamma1, gamma2=gamma2, kT=kT)
    if method == "gauss":
        width = 0.5 * float(np.sqrt(4 * rabi**2 + (gamma1 + gamma2) ** 2))
        e, w = band_quadrature(t, delta, [omega0 / 2], [width])
        st = born_markov_populations(e, **kw)
        return Kernels(
            np.float64(-kern * np.sum(w * (1 - st.n22 - st.f1))),
            np.float64(-kern * np.sum(w * (1 - st.f2 - st.n11))),
        )
    if method != "quad":
        raise ValueError(f"method must be 'gauss' or 'quad', got {method!r}")

    def pp(e: float) -> float:
        st = born_markov_populations(e, **kw)
        return float(1 - st.n22 - st.f1)

    def pm(e: float) -> float:
        st = born_markov_populations(e, **kw)
        return float(1 - st.f2 - st.n11)

    res = [omega0 / 2]
    return Kernels(
        np.float64(-kern * _band_integral(pp, t, delta, res)),
        np.float64(-kern * _band_integral(pm, t, delta, res)),
    )


def f_plus_eq14(
    *, t: float, delta: float, mu: float, omega0: float, rabi: float, gamma1: float,
    gamma2: float,
) -> Kernels:  # fmt: skip
    """F_+ by Eq. 14 and F_- = -(gamma2/gamma1) F_+ by Eq. 15 (T << delta limit).

    F_+ = 1/(2 gamma2) (-mu) / (mu^2 + (Gamma/2)^2) int dE rho(E) Omega^2 /
          (eps(E)^2 + Omega^2/gamma_bar + Gamma^2),   1/gamma_bar = 1/gamma1 + 1/gamma2,
    eps(E) = 2E - omega0, E over the conduction band (positive energies).

    Parameters
    ----------
    t, delta : float, energy unit
        Hopping and staggered potential.
    mu, omega0, rabi, gamma1, gamma2 : float, energy unit
        As in :func:`born_markov_populations` (``rabi`` is Omega on all of K+).

    Returns
    -------
    Kernels of float, 1/energy unit (per unit cell)
    """
    _check_rates(gamma1, gamma2)
    gam = gamma1 + gamma2
    g1, g2 = gamma1 / gam, gamma2 / gam
    inv_gbar = 1 / g1 + 1 / g2
    pref = 1 / (2 * g2) * (-mu) / (mu**2 + (gam / 2) ** 2)
    width = 0.5 * float(np.sqrt(rabi**2 * inv_gbar + gam**2))
    e, w = band_quadrature(t, delta, [omega0 / 2], [width])
    integral = np.sum(w * rabi**2 / ((2 * e - omega0) ** 2 + rabi**2 * inv_gbar + gam**2))
    fp = pref * integral
    return Kernels(np.float64(fp), np.float64(-(g2 / g1) * fp))


def f_plus_eq17(*, t: float, delta: float, rabi: ArrayLike, gamma: float) -> NDArray:
    """Closed form of Eq. 17.

    F_+ = (A_c / 36 t) (delta / t) (Omega/Gamma)^2 / sqrt(1 + 4 (Omega/Gamma)^2).

    Assumptions (derived here, they are what the printed formula needs): mu = -Gamma/2,
    gamma1 = gamma2, T << delta, the laser exactly at the band edge omega0 = delta (the
    Lorentzian of Eq. 14 is cut in half there, giving A_c/36 instead of A_c/18), and
    Omega, Gamma << t, delta so that rho(E) ~ rho(delta/2) = A_c delta / (9 pi t^2) over
    the resonance width sqrt(4 Omega^2 + Gamma^2)/2. The band-edge DOS is exact for any
    delta/t, so "t >~ delta" is not needed; it fails when Omega approaches t or delta
    (e.g. Omega/Gamma = 1000 at Gamma = 2e-3 t is Omega = 2 t), when omega0 != delta, and
    leaves out the logarithmic correction ~ (W/delta) ln(delta/W) of the DOS slope.

    Parameters
    ----------
    t, delta : float, energy unit
        Hopping and staggered potential.
    rabi : array_like, energy unit
        Rabi frequency Omega.
    gamma : float, energy unit
        Pair decay rate Gamma = Gamma_1 + Gamma_2.

    Returns
    -------
    (...) float, 1/energy unit (F_+ per unit cell, shape of ``rabi``)
    """
    r = np.asarray(rabi, dtype=float) / gamma
    return A_CELL / (36 * t) * (delta / t) * r**2 / np.sqrt(1 + 4 * r**2)


class CriticalCouplings(NamedTuple):
    """The two solutions V_c < 0 < V_c of det(1 - M) = 0 (Eq. 12), energy unit."""

    negative: NDArray[np.float64]
    positive: NDArray[np.float64]


def critical_couplings(f_plus: ArrayLike, f_minus: ArrayLike, v: ArrayLike) -> CriticalCouplings:
    """Onset couplings from the 2x2 condition of Eq. 12 for any F_+, F_- (Gamma1 != Gamma2).

    det([[V F+ - 1, v e^{i phi} F-], [v e^{-i phi} F+, V F- - 1]]) = 0 reads
    F+ F- V^2 - (F+ + F-) V + 1 - v^2 F+ F- = 0 (independent of phi). For F+ F- < 0 (the
    driven case: opposite signs, Eq. 13 text) the roots are real and of opposite sign,
    V = [(F+ + F-) -+ sqrt((F+ - F-)^2 + 4 v^2 F+^2 F-^2)] / (2 F+ F-). For F- = -F+ this
    is Eq. 16, V_c = +-sqrt(v^2 + 1/F+^2).

    Parameters
    ----------
    f_plus, f_minus : array_like, 1/energy unit
        F_+- of Eq. 13 (broadcast); their product must be < 0.
    v : array_like, energy unit
        Intervalley coupling |V'| >= 0.
    """
    fp, fm, v = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (f_plus, f_minus, v)))
    prod = fp * fm
    if np.any(prod >= 0):
        raise ValueError(
            "critical_couplings needs F_+ F_- < 0 (opposite signs, a driven valley); got "
            f"F_+ F_- = {prod[prod >= 0].ravel()[:3]}"
        )
    if np.any(v < 0):
        raise ValueError(f"intervalley coupling v must be >= 0, got {v.min()}")
    root = np.sqrt((fp - fm) ** 2 + 4 * v**2 * prod**2)
    a = ((fp + fm) - root) / (2 * prod)
    b = ((fp + fm) + root) / (2 * prod)
    return CriticalCouplings(np.minimum(a, b), np.maximum(a, b))


def critical_coupling_eq16(f_plus: ArrayLike, v: ArrayLike) -> NDArray[np.float64]:
    """|V_c| = sqrt(v^2 + 1/F_+^2) from Eq. 16, 1 = (V^2 - v^2) F_+^2 (gamma1 = gamma2).

    Parameters
    ----------
    f_plus : array_like, 1/energy unit
        F_+ of Eq. 13 (broadcast with ``v``).
    v : array_like, energy unit
        Intervalley coupling |V'| >= 0.

    Returns
    -------
    (...) float, energy unit
    """
    fp = np.asarray(f_plus, dtype=float)
    return np.sqrt(np.asarray(v, dtype=float) ** 2 + 1 / fp**2)


# --- fast intraband relaxation (Fig. 3b) ----------------------------------------------


def band_occupation(mu_eff: float, kT: float, t: float, delta: float, band: int) -> float:
    """Electrons per unit cell in one valley of band 1 or 2 at chemical potential mu_eff.

    int rho(E) n_F(+-E - mu_eff) dE, rho = :func:`dos_valley` (valence band at -E), by
    :func:`band_quadrature` with a panel boundary at the Fermi level (exact step at T = 0).

    Parameters
    ----------
    mu_eff : float, energy unit
        Chemical potential of the band (measured from mid-gap).
    kT : float, energy unit
        Temperature (>= 0).
    t, delta : float, energy unit
        Hopping and staggered potential.
    band : int
        1 (valence) or 2 (conduction).

    Returns
    -------
    float, electrons per unit cell (at most 1/2)
    """
    if band not in (1, 2):
        raise ValueError(f"band must be 1 or 2, got {band!r}")
    _check_positive("kT", kT, allow_zero=True)
    s = 1.0 if band == 2 else -1.0
    lo, _, hi = band_limits(t, delta)
    c = float(np.clip(s * mu_eff, lo, hi))  # Fermi level as a conduction energy
    e, w = band_quadrature(t, delta, [c], [max(kT, 1e-6 * (hi - lo))])
    return float(np.sum(w * fermi(s * e - mu_eff, kT)))


def mu1_from_number_conservation(
    mu2: float, *, mu: float, kT: float, t: float, delta: float
) -> float:
    """Effective valence chemical potential mu_1 of K+ for a given mu_2 (Fig. 3b).

    Assumption (the Supplemental Material is not available): the drive moves electrons
    from band 1 to band 2 within K+ and fast intraband relaxation conserves their number,
    N_1(mu_1) + N_2(mu_2) = N_1(mu) + N_2(mu). For the particle-hole symmetric bands at
    T = 0 this gives mu_1 = -mu_2 (for |mu|, below the gap).

    Parameters
    ----------
    mu2 : float, energy unit
        Effective conduction-band chemical potential mu_2 of K+.
    mu : float, energy unit
        Reservoir chemical potential (the undriven reference state).
    kT : float, energy unit
        Temperature (>= 0).
    t, delta : float, energy unit
        Hopping and staggered potential.

    Returns
    -------
    float, energy unit
    """
    target = band_occupation(mu, kT, t, delta, 1) + band_occupation(mu, kT, t, delta, 2)
    n2 = band_occupation(mu2, kT, t, delta, 2)
    lo, _, hi = band_limits(t, delta)

    def res(m1: float) -> float:
        return band_occupation(m1, kT, t, delta, 1) + n2 - target

    if res(-hi) * res(-lo) > 0:
        return float(mu)  # nothing excited across the gap
    if kT == 0:
        return float(optimize.brentq(res, -hi, -lo, xtol=1e-13))
    return float(optimize.brentq(res, -hi - 20 * kT, hi + 20 * kT, xtol=1e-14))


def f_pm_fast_relaxation(
    mu2: float, *, mu: float, gamma12: float, kT: float, t: float, delta: float
) -> Kernels:
    """F_+- when fast intraband relaxation thermalises each band of K+ (Fig. 3b).

    Gap equation used (our reading of the text; the Supplemental Material with the
    paper's own form is not available): Eq. 13 with the Born-Markov populations replaced
    by quasi-thermal ones, n^22 = n_F(E_2 - mu_2), n^11 = n_F(E_1 - mu_1) in K+ (mu_1 from
    :func:`mu1_from_number_conservation`), n^aa = n_F(E_a - mu) in K-, and the pair
    decay rate Gamma -> Gamma_12 in the kernel E_k/(E_k^2 + Gamma_12^2), E_k = -2 mu (the
    caption's choice mu = -Gamma_12/2 maximises it, as mu = -Gamma/2 does in Eq. 14):

        F_+ = -K int rho(E) [1 - n_F(E - mu_2) - n_F(-E - mu)] dE
        F_- = -K int rho(E) [1 - n_F(E - mu) - n_F(-E - mu_1)] dE

    Parameters
    ----------
    mu2 : float, energy unit
        Effective conduction-band chemical potential mu_2 of K+.
    mu : float, energy unit
        Reservoir chemical potential (K- and the kernel's E_k = -2 mu).
    gamma12 : float, energy unit
        Pair decay rate Gamma_12 (> 0) in the kernel.
    kT : float, energy unit
        Temperature (>= 0).
    t, delta : float, energy unit
        Hopping and staggered potential.

    Returns
    -------
    Kernels of float, 1/energy unit (per unit cell)
    """
    _check_positive("gamma12", gamma12)
    m1 = mu1_from_number_conservation(mu2, mu=mu, kT=kT, t=t, delta=delta)
    kern = pair_kernel_eq9(mu, gamma12)
    # 1 - n_F(E - mu2) - n_F(-E - mu) = n_F(-E - ... ) rearranged as occupation integrals
    half = 0.5  # int rho dE over one band and valley
    fp = -kern * (
        half - band_occupation(mu2, kT, t, delta, 2) - band_occupation(mu, kT, t, delta, 1)
    )
    fm = -kern * (
        half - band_occupation(mu, kT, t, delta, 2) - band_occupation(m1, kT, t, delta, 1)
    )
    return Kernels(np.float64(fp), np.float64(fm))


def valley_polarisation(mu2: float, *, mu: float, kT: float, t: float, delta: float) -> float:
    """Excited fraction of the K+ valley: (N_2(mu_2) - N_2(mu)) / (1/2) (one band's states).

    One of several possible definitions of the caption's "polarisation of the K+ valley"
    (the paper does not define it); reported, not fitted.

    Parameters
    ----------
    mu2 : float, energy unit
        Effective conduction-band chemical potential mu_2 of K+.
    mu : float, energy unit
        Reservoir chemical potential (the undriven reference state).
    kT : float, energy unit
        Temperature (>= 0).
    t, delta : float, energy unit
        Hopping and staggered potential.

    Returns
    -------
    float, dimensionless
    """
    return (band_occupation(mu2, kT, t, delta, 2) - band_occupation(mu, kT, t, delta, 2)) / 0.5


# --------------------------------------------------------------------------------------
# E. Dynamics: mean-field equations of motion and their linearisation
# --------------------------------------------------------------------------------------
#
# Every quantity of the Born-Markov model depends on k only through E_k2 (module
# docstring of section D), so the valley sums are done on an energy grid: node j stands
# for the shell of k in K+ at conduction energy E_j (weight w_j = rho(E_j) dE) and its
# mirror -k in K- (same weight). The generic ``bands`` core integrates the mean-field
# equations on this grid (K+ nodes first, then their K- partners); the linearisation
# below is an independent derivation used to check it and to read off growth rates.
#
# What the linearisation says about Eq. 9 (derived here, tested in
# tests/cores/bands/test_honeycomb.py):
# * Eq. 9 is the real part of the static pair response at the gap frequency 2 mu. The
#   pair amplitude A12 = <c_{-k1} c_{k2}> obeys dA12/dt = -(i E + Gamma) A12 - i Delta P_k
#   (+ Rabi mixing), and E = e1 + e2 is the same for every k (particle-hole symmetric
#   bands). Without the mixing, Delta = V sum_k w A12 gives d Delta/dt = -(Gamma + i(E +
#   V S)) Delta, S = sum w P_k: a seed decays at Gamma for every V of either sign, and the
#   imaginary part that Eq. 9 drops equals its real part at mu = -Gamma/2.
# * With intervalley coupling the two channels (P_+ < 0 < P_-) form a PT-symmetric pair:
#   growth at rate S sqrt(v^2 - V^2) - Gamma for |v| > |V| (without mixing).
# * The drive mixes A12 with A11 = <c_{-k1} c_{k1}> (same rotating-frame energy at
#   resonance) and the interband coherence n21 sources A11; both are in
#   :func:`pair_linearization` and change the static response by orders of magnitude at
#   Omega >> Gamma.


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
    module (Eqs. 9-11 as printed) are passed as 2 Gamma_a.

    Parameters
    ----------
    grid : ValleyGrid
        n conduction energies and weights (:func:`valley_energy_grid`).
    mu : float, energy unit
        Reservoir chemical potential (measured from mid-gap).
    gamma1, gamma2 : float, energy unit
        Amplitude rates Gamma_1, Gamma_2 of this module (> 0).
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
        As in :func:`born_markov_populations`.

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
    10-11 and n21 = <c+_k2 c_k1> (:func:`born_markov_populations`), -k at the reservoir
    occupations f_a. Delta_+ = sum w (V A12 - v e^{i phi} A21), Delta_- = sum w
    (v e^{-i phi} A12 - V A21). The normal state is unchanged to first order in Delta.

    Eq. 9 keeps only the A12 / A21 rows without Omega (``mixing=False``) and, in
    addition, only the real part of their static response at the gap frequency 2 mu.

    Parameters
    ----------
    grid : ValleyGrid
        n conduction energies and weights (:func:`valley_energy_grid`).
    mu, omega0, rabi, gamma1, gamma2, kT : float, energy unit
        As in :func:`born_markov_populations`.
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
