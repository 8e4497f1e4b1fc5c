"""Gap-equation kernels and critical couplings of the driven honeycomb model (paper 003).

Section D of :mod:`photosc.cores.bands.honeycomb`. The kernels F_+- of the linearised gap
equation, Eq. 13: as the Brillouin-zone sum over the true eta > 0 / eta < 0 regions, as an
exact DOS integral (the route of Eq. 14 without its limits, any T, mu, omega0), by Eqs.
14-15 (T << delta) and in the closed form of Eq. 17; the critical couplings of the 2x2
condition Eq. 12 (any F_+, F_-) and of Eq. 16 (F_- = -F_+); and the fast-intraband-relaxation
regime of Fig. 3b (quasi-thermal bands in K+ with the number of excited electrons
conserved).

Every quantity in Eq. 13 depends on k only through E_k2, so the zone sums become integrals
int dE rho(E) over the conduction band (rho of
:func:`~photosc.cores.bands.honeycomb.lattice.dos_valley`), done by :func:`band_quadrature`.
Energies and rates in units of ``t``; kernels in 1/t per unit cell.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, optimize

from photosc.cores.bands.honeycomb.dichroism import ZoneGrid, circular_dichroism
from photosc.cores.bands.honeycomb.lattice import (
    A_CELL,
    _check_positive,
    band_energies,
    band_limits,
    dos_valley,
)
from photosc.cores.bands.honeycomb.normal_state import (
    _check_rates,
    born_markov_populations,
    pair_kernel_eq9,
)
from photosc.foundation.distributions import fermi


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
        From :func:`~photosc.cores.bands.honeycomb.dichroism.zone_grid`;
        must resolve the resonance shell (k-step well below Gamma / |grad(E2 - E1)|)
        for the sum to approach the integral.
    t, delta, mu, omega0, rabi, gamma1, gamma2, kT : float, energy unit
        As in :func:`~photosc.cores.bands.honeycomb.normal_state.born_markov_populations`.
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
    energy, weight : (n,) float arrays
        ``weight`` includes rho(E) (:func:`~photosc.cores.bands.honeycomb.lattice.dos_valley`).
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
    (eta(-k) = -eta(k)), so (1/N) sum_{k in K+} -> int dE rho(E), rho =
    :func:`~photosc.cores.bands.honeycomb.lattice.dos_valley`.
    Finite temperature and any mu, omega0 are kept (Eq. 14 assumes T << delta).

    ``method="gauss"`` uses :func:`band_quadrature` (vectorised, default); ``"quad"``
    adaptive scipy quadrature (slow reference).

    Parameters
    ----------
    t, delta : float, energy unit
        Hopping and staggered potential.
    mu, omega0, rabi, gamma1, gamma2, kT : float, energy unit
        As in :func:`~photosc.cores.bands.honeycomb.normal_state.born_markov_populations`
        (``rabi`` is Omega on all of K+).
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
        As in :func:`~photosc.cores.bands.honeycomb.normal_state.born_markov_populations`
        (``rabi`` is Omega on all of K+).

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

    int rho(E) n_F(+-E - mu_eff) dE, rho = :func:`~photosc.cores.bands.honeycomb.lattice.dos_valley`
    (valence band at -E), by :func:`band_quadrature` with a panel boundary at the Fermi
    level (exact step at T = 0).

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
