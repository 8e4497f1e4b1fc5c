"""Quasi-particle generation, recombination and scattering rates at the gap edge.

Paper 000 (Chattopadhyay et al., npj Quantum Mater. 2025), Eqs. 6-8 and 33-36; the
trapping model built on them (Eqs. 4-5, Fig. 4) is :mod:`photosc.cores.trapping`.

Rates for a quasi-particle at the gap edge Delta coupled to a phonon bath with Eliashberg
function alpha^2F(Omega) at temperature T (k_B T = kT), electrons with occupation f(E)
(default the Bogoliubov distribution f(E) = 1/(exp((E + lam)/kT) + 1)), phonons
n(Omega) = Bose(Omega, kT); rates in 1/ps (hbar in meV ps)::

    Gamma_g = (2 pi/hbar) int_{2Delta} dOmega a2F sqrt(Omega/(Omega-2Delta))
              (1 - f(Omega-Delta)) (1 - f(Delta)) n(Omega)                         (Eq. 33)
    Gamma_r = (2 pi/hbar) int_{2Delta} dOmega a2F sqrt(Omega/(Omega-2Delta))
              f(Omega-Delta) f(Delta) (1 + n(Omega))                               (Eq. 35)
    Gamma_s = (2 pi/hbar) int_0 dOmega a2F sqrt(Omega/(Omega+2Delta))
              (1 - f(Delta+Omega)) n(Omega)                                       (Eq. 34)

These are Kaplan's golden-rule rates (Kaplan et al., PRB 14, 4854 (1976), ref 42) at
E = Delta, and are computed as such by :mod:`photosc.cores.kaplan` (the one
implementation of the integrands), whose integrand is rho(E')(1 +- Delta^2/(E E')).
At E = Delta:

* pair processes, partner E' = Omega - Delta: rho(E')(1 + Delta^2/(Delta E')) =
  (E' + Delta)/sqrt(E'^2 - Delta^2) = sqrt(Omega/(Omega - 2 Delta)), the factor of
  Eqs. 33 and 35; these carry in addition the occupation of the edge state itself,
  (1 - f(Delta)) in Eq. 33 and f(Delta) in Eq. 35, which the wrappers here multiply on;
* scattering, final state Delta + Omega (absorption only: no states below the gap):
  rho(Delta + Omega)(1 - Delta/(Delta + Omega)) = Omega/sqrt(Omega(Omega + 2 Delta)) =
  sqrt(Omega/(Omega + 2 Delta)), the factor of Eq. 34. The printed Eq. 34 integrates
  over all Omega and carries an extra (1 - f(Delta)), which the golden rule for a given
  quasi-particle does not have; it is used in Kaplan's form.

Net generation rate (Eqs. 6-7), for the Bogoliubov distribution::

    dn/dt = (pi/2hbar) int_{2Delta}^{W} dOmega a2F(Omega) Gamma(Omega),
    Gamma = sqrt(Omega/(Omega-2Delta)) csch(Omega/2T) sech((Delta+lam)/2T)
            sech((Omega-Delta+lam)/2T) sinh(lam/T),

which is exactly Gamma_g - Gamma_r of Eqs. 33, 35 (derived: (1-f1)(1-f2) n - f1 f2 (1+n)
= f1 f2 n e^{Omega/T}(e^{2 lam/T} - 1) = csch sech sech sinh / 4); it vanishes at lam = 0
(detailed balance) and has the sign of lam. The paper uses it as the rate of the
quasi-particle density per site, dn/dt (Eq. 6, tau_eq^-1 = dn/dt).

Sharp molecular modes in a narrow band (Eqs. 8, 36, Methods): the bath is
alpha^2F(Omega) = sum_nu g_nu^2 nu_SC(Omega_nu - Delta) delta(Omega - Omega_nu) with the
superconducting density of states of a band whose normal density of states is a Gaussian
of standard deviation sigma (per spin per site, nu_N(xi) = nu_peak exp(-xi^2/2sigma^2)):
nu_SC(E) = nu_N(sqrt(E^2-Delta^2)) E / sqrt(E^2-Delta^2). For lam >> T and
Omega_nu >> T, Delta the net rate tends to (2 pi/hbar) sum g^2 nu_SC(Omega_nu - Delta)
sqrt(Omega_nu/(Omega_nu - 2Delta)) exp(-Omega_nu/T): Eq. 8 with the golden-rule prefactor
2 pi/hbar (Eq. 8 is written with hbar = 1 and without 2 pi) and the coherence factor the
paper suppresses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores import kaplan
from photosc.cores.kaplan import Occupation
from photosc.foundation.distributions import bogoliubov
from photosc.foundation.units import HBAR

__all__ = [
    "LN2",
    "Mode",
    "Occupation",
    "eq8_rate",
    "gaussian_band_dos",
    "generation_rate",
    "mode_net_rate",
    "net_rate",
    "net_rate_kernel",
    "recombination_rate",
    "scattering_rate",
    "superconducting_dos",
]

LN2 = math.log(2.0)


# --------------------------------------------------------------------------------------
# distribution helpers
# --------------------------------------------------------------------------------------
def _occupation(occupation: Occupation | None, lam: float, kT: float) -> Occupation:
    if occupation is not None:
        return occupation
    return lambda e: bogoliubov(e, lam, kT)


def _log_sech(x: NDArray[np.float64]) -> NDArray[np.float64]:
    a = np.abs(x)
    return LN2 - a - np.log1p(np.exp(-2.0 * a))


def net_rate_kernel(omega: ArrayLike, delta: float, lam: float, kT: float) -> NDArray[np.float64]:
    """Gamma(Omega) of paper 000 Eq. 7 without the sqrt(Omega/(Omega-2Delta)) factor.

    csch(Omega/2T) sech((Delta+lam)/2T) sech((Omega-Delta+lam)/2T) sinh(lam/T),
    evaluated in logarithms (no overflow for any lam/T).

    Parameters
    ----------
    omega : array_like, meV
        Phonon energies > 0.
    delta : float, meV
        Gap >= 0.
    lam : float, meV
        Bogoliubov chemical potential.
    kT : float, meV
        k_B T > 0.

    Returns
    -------
    ndarray, shape of ``omega``, dimensionless
    """
    if not kT > 0:
        raise ValueError(f"kT must be > 0, got {kT}")
    w = np.asarray(omega, dtype=float)
    if lam == 0.0:
        return np.zeros_like(w)
    x = w / (2.0 * kT)
    log_csch = LN2 - x - np.log(-np.expm1(-2.0 * x))
    y = abs(lam) / kT
    log_sinh = y - LN2 + math.log(-math.expm1(-2.0 * y)) if y < 700 else y - LN2
    logs = (
        log_csch
        + _log_sech((delta + lam) / (2.0 * kT))
        + _log_sech((w - delta + lam) / (2.0 * kT))
        + log_sinh
    )
    return math.copysign(1.0, lam) * np.exp(logs)


# --------------------------------------------------------------------------------------
# gap-edge rates (Eqs. 33-35): Kaplan's rates at E = Delta
# --------------------------------------------------------------------------------------
def _edge_occupation(f: Occupation, delta: float) -> float:
    return float(f(np.asarray(delta)))


def generation_rate(
    omega: ArrayLike,
    a2f: ArrayLike,
    delta: float,
    kT: float,
    *,
    lam: float = 0.0,
    occupation: Occupation | None = None,
    n_min: int = 400,
) -> float:
    """Pair-breaking (generation) rate Gamma_g at the gap edge, paper 000 Eq. 33, 1/ps.

    Gamma_g = (1 - f(Delta)) / tau_g(Delta): Kaplan's pair-breaking gain rate
    (:func:`photosc.cores.kaplan.generation_rate`) at E = Delta, where the partner
    E' = Omega - Delta has rho(E') (1 + Delta^2/(Delta E')) = sqrt(Omega/(Omega - 2 Delta)),
    times the probability (1 - f(Delta)) that the edge state is empty.

    Parameters
    ----------
    omega : (n,) float, meV
        Phonon energy grid (ascending); alpha^2F is linear between the points, 0 outside.
    a2f : (n,) float
        alpha^2F(Omega).
    delta : float, meV
        Gap >= 0.
    kT : float, meV
        k_B T > 0 (phonon and quasi-particle temperature).
    lam : float, meV
        Bogoliubov chemical potential (used when ``occupation`` is None).
    occupation : callable, optional
        ``f(E)`` for an arbitrary quasi-particle distribution (E in meV).
    n_min : int
        Minimum number of quadrature nodes.
    """
    f = _occupation(occupation, lam, kT)
    rate = kaplan.generation_rate(delta, delta, kT, (omega, a2f), occupation=f, n_min=n_min)
    return (1.0 - _edge_occupation(f, delta)) * rate


def recombination_rate(
    omega: ArrayLike,
    a2f: ArrayLike,
    delta: float,
    kT: float,
    *,
    lam: float = 0.0,
    occupation: Occupation | None = None,
    n_min: int = 400,
) -> float:
    """Recombination rate Gamma_r at the gap edge, paper 000 Eq. 35, 1/ps.

    Gamma_r = f(Delta) / tau_r(Delta): Kaplan's recombination rate
    (:func:`photosc.cores.kaplan.recombination_rate`) at E = Delta (the coherence factor
    sqrt(Omega/(Omega - 2 Delta)) as in :func:`generation_rate`), times the probability
    f(Delta) that the edge state is occupied.

    Parameters as :func:`generation_rate`.
    """
    f = _occupation(occupation, lam, kT)
    rate = kaplan.recombination_rate(delta, delta, kT, (omega, a2f), occupation=f, n_min=n_min)
    return _edge_occupation(f, delta) * rate


def scattering_rate(
    omega: ArrayLike,
    a2f: ArrayLike,
    delta: float,
    kT: float,
    *,
    lam: float = 0.0,
    occupation: Occupation | None = None,
) -> float:
    """Number-conserving scattering rate Gamma_s at the gap edge (Eq. 34, Kaplan form), 1/ps.

    (2 pi/hbar) int_0 dOmega a2F sqrt(Omega/(Omega + 2Delta)) (1 - f(Delta+Omega)) n(Omega):
    Kaplan's scattering rate (:func:`photosc.cores.kaplan.scattering_rate`) at E = Delta,
    absorption only, rho(Delta + Omega)(1 - Delta/(Delta + Omega)) =
    sqrt(Omega/(Omega + 2 Delta)); no edge occupation factor (see the module docstring).
    Parameters as :func:`generation_rate`.
    """
    f = _occupation(occupation, lam, kT)
    return kaplan.scattering_rate(delta, delta, kT, (omega, a2f), occupation=f)


def net_rate(
    omega: ArrayLike,
    a2f: ArrayLike,
    delta: float,
    lam: float,
    kT: float,
    *,
    w_max: float | None = None,
    n_min: int = 400,
) -> float:
    """Net quasi-particle generation rate dn/dt of paper 000 Eqs. 6-7, 1/ps.

    (pi/2hbar) int_{2Delta}^{W} dOmega a2F(Omega) Gamma(Omega), Gamma of Eq. 7; equal to
    Gamma_g - Gamma_r for the Bogoliubov distribution (the same edge quadrature,
    :func:`photosc.cores.kaplan.edge_nodes`).

    Parameters
    ----------
    omega : (n,) float, meV
        Phonon energy grid.
    a2f : (n,) float
        alpha^2F(Omega).
    delta : float, meV
        Gap >= 0.
    lam : float, meV
        Bogoliubov chemical potential.
    kT : float, meV
        k_B T > 0.
    w_max : float, meV, optional
        Upper limit W (electronic bandwidth); default the end of the grid.
    n_min : int
        Minimum number of quadrature nodes.
    """
    w, a = kaplan.check_spectrum(omega, a2f)
    top = float(w[-1]) if w_max is None else min(float(w_max), float(w[-1]))
    s, ws = kaplan.edge_nodes(w, 2.0 * delta, top, n_min)
    if s.size == 0:
        return 0.0
    om = 2.0 * delta + s * s
    om_safe = np.where(om > 0, om, 1e-300)
    kern = net_rate_kernel(om_safe, delta, lam, kT)
    g = np.interp(om, w, a, left=0.0, right=0.0) * np.sqrt(om)
    return float(math.pi / (2.0 * HBAR) * np.sum(ws * g * kern))


# --------------------------------------------------------------------------------------
# sharp molecular modes in a narrow band (Eqs. 8, 36)
# --------------------------------------------------------------------------------------
class Mode(NamedTuple):
    """A sharp molecular mode.

    Attributes
    ----------
    omega : float, meV
        Frequency Omega_nu.
    g : float, meV
        Electron-phonon matrix element g_nu of Eq. 8.
    """

    omega: float
    g: float


def gaussian_band_dos(xi: ArrayLike, nu_peak: float, sigma: float) -> NDArray[np.float64]:
    """Normal density of states of a narrow band, nu_peak exp(-xi^2 / 2 sigma^2), 1/meV.

    Parameters
    ----------
    xi : array_like, meV
        Energy from the Fermi level.
    nu_peak : float, 1/meV
        Density of states at the Fermi level (per spin per site).
    sigma : float, meV
        Standard deviation of the Gaussian band (> 0).
    """
    if not sigma > 0:
        raise ValueError(f"sigma (band width, meV) must be > 0, got {sigma}")
    x = np.asarray(xi, dtype=float)
    return nu_peak * np.exp(-0.5 * (x / sigma) ** 2)


def superconducting_dos(
    energy: ArrayLike, delta: float, nu_peak: float, sigma: float
) -> NDArray[np.float64]:
    """nu_SC(E) = nu_N(sqrt(E^2 - Delta^2)) E / sqrt(E^2 - Delta^2) (0 for E < Delta), 1/meV.

    Parameters
    ----------
    energy : array_like, meV
        Quasi-particle energy E.
    delta : float, meV
        Gap >= 0.
    nu_peak : float, 1/meV
        Normal density of states at the Fermi level (per spin per site).
    sigma : float, meV
        Standard deviation of the Gaussian band (> 0).
    """
    e = np.asarray(energy, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        xi = np.sqrt(np.maximum(e * e - delta * delta, 0.0))
        out = np.where(e > delta, gaussian_band_dos(xi, nu_peak, sigma) * e / xi, 0.0)
    return out


def mode_net_rate(
    modes: Sequence[Mode], delta: float, lam: float, kT: float, nu_peak: float, sigma: float
) -> float:
    """Net rate (Eqs. 6-7) for a2F = sum g^2 nu_SC(Omega - Delta) delta(Omega - Omega_nu), 1/ps.

    (pi/2hbar) sum_nu g_nu^2 nu_SC(Omega_nu - Delta) sqrt(Omega_nu/(Omega_nu - 2Delta))
    Gamma-kernel(Omega_nu) (modes with Omega_nu <= 2 Delta cannot break pairs).

    Parameters
    ----------
    modes : sequence of Mode
        Sharp molecular modes (Omega_nu and g_nu in meV).
    delta : float, meV
        Gap >= 0.
    lam : float, meV
        Bogoliubov chemical potential.
    kT : float, meV
        k_B T > 0.
    nu_peak : float, 1/meV
        Normal density of states at the Fermi level (per spin per site).
    sigma : float, meV
        Standard deviation of the Gaussian band (> 0).
    """
    total = 0.0
    for m in modes:
        if m.omega <= 2.0 * delta:
            continue
        dos = float(superconducting_dos(m.omega - delta, delta, nu_peak, sigma))
        coh = math.sqrt(m.omega / (m.omega - 2.0 * delta))
        total += m.g**2 * dos * coh * float(net_rate_kernel(m.omega, delta, lam, kT))
    return math.pi / (2.0 * HBAR) * total


def eq8_rate(modes: Sequence[Mode], delta: float, kT: float, nu_peak: float, sigma: float) -> float:
    """tau_eq^-1 of paper 000 Eq. 8 / Eq. 36 with the golden-rule 2 pi/hbar, 1/ps.

    (2 pi/hbar) sum_nu g_nu^2 nu_SC(Omega_nu - Delta) exp(-Omega_nu / T): the lam -> infinity,
    Omega_nu >> T limit of :func:`mode_net_rate` without the coherence factor.

    Parameters
    ----------
    modes : sequence of Mode
        Sharp molecular modes (Omega_nu and g_nu in meV).
    delta : float, meV
        Gap >= 0.
    kT : float, meV
        k_B T > 0.
    nu_peak : float, 1/meV
        Normal density of states at the Fermi level (per spin per site).
    sigma : float, meV
        Standard deviation of the Gaussian band (> 0).
    """
    total = sum(
        m.g**2
        * float(superconducting_dos(m.omega - delta, delta, nu_peak, sigma))
        * math.exp(-m.omega / kT)
        for m in modes
    )
    return 2.0 * math.pi / HBAR * total
