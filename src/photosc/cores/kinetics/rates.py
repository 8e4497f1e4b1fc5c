r"""Integrated rates and the Kaplan et al. (1976) lifetimes.

Quadrature implementations (independent of the FFT collision code) of the BCS
quasi-particle and phonon lifetimes of Kaplan, Chi, Langenberg, Chang, Jafarey and
Scalapino, PRB 14, 4854 (1976), for thermal f and n at temperature kT:

.. code-block:: text

    1/tau_s(E)  = (2 pi / hbar z) int dW a2F(W) { rho(E+W) (1 - D^2/(E(E+W))) n(W) [1 - f(E+W)]
                                               + rho(E-W) (1 - D^2/(E(E-W))) [n(W)+1] [1 - f(E-W)] }
    1/tau_r(E)  = (2 pi / hbar z) int dW a2F(W) rho(W-E) (1 + D^2/(E(W-E))) [n(W)+1] f(W-E)
    1/tau_B(W)  = (pi a / hbar) int_D^{W-D} dE rho(E) rho(W-E) (1 + D^2/(E(W-E)))
                  * [1 - f(E) - f(W-E)]
    1/tau_ph_s(W) = (2 pi a / hbar) int_D dE rho(E) rho(E+W) (1 - D^2/(E(E+W))) [f(E) - f(E+W)]

with a = 4 N(0) <alpha^2> / N (phonon equation of :mod:`.collisions`), and the
characteristic times (Kaplan Eqs. 8 and 27 for alpha^2F = b W^2)::

    tau_0    = hbar z / (2 pi b (k T_c)^3),
    tau_0^ph = hbar / (pi^2 a Delta(0))        [= hbar N / (4 pi^2 N(0) <alpha^2> Delta(0))],

so that 1/tau_B(2 Delta+, T = 0) = 1/tau_0^ph (the pair-breaking integral is pi Delta there).

Low-temperature closed forms at the gap edge (derived from the integrals above for
k T << Delta, alpha^2F = b W^2; they are Kaplan's Eqs. for tau_r and tau_s)::

    tau_0 / tau_r(Delta, T) = sqrt(pi) (2 Delta / k T_c)^(5/2) (T / T_c)^(1/2) exp(-Delta / kT),
    tau_0 / tau_s(Delta, T) = Gamma(7/2) zeta(7/2) (k T_c / 2 Delta)^(1/2) (T / T_c)^(7/2).

Normal state, T = 0 (Delta = 0): 1/tau_s(E) = (2 pi b / 3 hbar z) E^3 = (E / k T_c)^3 / (3 tau_0).

:func:`integrated_rates` sums the process-resolved collision rates of a kinetic state
into densities (per 4 N(0)) and event rates: generation, recombination, scattering.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gamma as gamma_fn
from scipy.special import zeta

from photosc.cores.kinetics.coherence import Coherence
from photosc.cores.kinetics.collisions import ProcessRates
from photosc.cores.kinetics.grid import KineticGrid
from photosc.foundation.distributions import bose, fermi
from photosc.foundation.units import HBAR

_GL_X, _GL_W = np.polynomial.legendre.leggauss(400)


def _check_positive(name: str, value: float, allow_zero: bool = False) -> None:
    ok = value >= 0 if allow_zero else value > 0
    if not (math.isfinite(value) and ok):
        rel = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {rel}, got {name}={value}")


def kaplan_tau0(b: float, kTc: float, z: float = 1.0) -> float:
    """tau_0 = hbar z / (2 pi b (k_B T_c)^3), ps (Kaplan et al. 1976).

    Parameters
    ----------
    b : float, 1/meV^2
        alpha^2F = b Omega^2.
    kTc : float, meV
        k_B T_c.
    z : float
        Z_1(0) (1 for paper 001's form).
    """
    _check_positive("b", b)
    _check_positive("kTc", kTc)
    return HBAR * z / (2.0 * math.pi * b * kTc**3)


def kaplan_tau0_ph(alpha2_ratio: float, delta0: float) -> float:
    """tau_0^ph = hbar / (pi^2 a Delta(0)), ps, with a = 4 N(0) <alpha^2> / N (Kaplan 1976).

    Parameters
    ----------
    alpha2_ratio : float, 1/meV
        a = 4 N(0) <alpha^2> / N.
    delta0 : float, meV
        Delta(T = 0).
    """
    _check_positive("alpha2_ratio", alpha2_ratio)
    _check_positive("delta0", delta0)
    return HBAR / (math.pi**2 * alpha2_ratio * delta0)


def recombination_rate_low_t(delta: float, kT: float, b: float, z: float = 1.0) -> float:
    """1/tau_r(Delta, T) for k T << Delta and alpha^2F = b Omega^2, 1/ps (see module doc).

    Parameters
    ----------
    delta : float, meV
        BCS gap Delta > 0.
    kT : float, meV
        Temperature k_B T > 0 (k T << Delta).
    b : float, 1/meV^2
        alpha^2F = b Omega^2.
    z : float, dimensionless
        Z_1(0) (1 for paper 001's form).
    """
    _check_positive("delta", delta)
    _check_positive("kT", kT)
    return (
        2.0
        * math.pi
        * b
        / (HBAR * z)
        * (2.0 * delta) ** 2.5
        * math.sqrt(math.pi * kT)
        * math.exp(-delta / kT)
    )


def scattering_rate_low_t(delta: float, kT: float, b: float, z: float = 1.0) -> float:
    """1/tau_s(Delta, T) for k T << Delta and alpha^2F = b Omega^2, 1/ps (see module doc).

    Parameters
    ----------
    delta : float, meV
        BCS gap Delta > 0.
    kT : float, meV
        Temperature k_B T > 0 (k T << Delta).
    b : float, 1/meV^2
        alpha^2F = b Omega^2.
    z : float, dimensionless
        Z_1(0) (1 for paper 001's form).
    """
    _check_positive("delta", delta)
    _check_positive("kT", kT)
    c = float(gamma_fn(3.5) * zeta(3.5))
    return 2.0 * math.pi * b / (HBAR * z) * c * kT**3.5 / math.sqrt(2.0 * delta)


def _bcs_rho(e: NDArray[np.float64], delta: float) -> NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(e > delta, e / np.sqrt(np.maximum(e * e - delta * delta, 1e-300)), 0.0)
    return r


def _edge_nodes(lo: float, hi: float, delta: float) -> tuple[NDArray, NDArray]:
    """Gauss nodes on [lo, hi] (lo >= delta) in x = arccosh(E / delta) (edge-regular)."""
    if delta > 0:
        a, b = math.acosh(max(lo / delta, 1.0)), math.acosh(hi / delta)
        u = 0.5 * (b - a) * _GL_X + 0.5 * (a + b)
        e = delta * np.cosh(u)
        w = 0.5 * (b - a) * _GL_W * delta * np.sinh(u)
    else:
        e = 0.5 * (hi - lo) * _GL_X + 0.5 * (hi + lo)
        w = 0.5 * (hi - lo) * _GL_W
    return e, w


A2F = Callable[[NDArray[np.float64]], NDArray[np.float64]]


def scattering_rate(
    energy: float, delta: float, kT: float, a2f: A2F, omega_max: float, z: float = 1.0
) -> float:
    """Kaplan's out-scattering rate 1/tau_s(E, T), 1/ps, by quadrature.

    Parameters
    ----------
    energy : float, meV
        Quasi-particle energy E >= Delta.
    delta : float, meV
        BCS gap >= 0.
    kT : float, meV
        Temperature of the thermal f and n (> 0).
    a2f : callable
        alpha^2F(Omega) for an array of Omega (meV), zero above ``omega_max``.
    omega_max : float, meV
        Upper end of the spectrum.
    z : float
        Z_1(0).
    """
    _check_positive("kT", kT)
    _check_positive("delta", delta, allow_zero=True)
    if energy < delta:
        raise ValueError(f"energy must be >= delta ({delta} meV), got {energy}")
    # absorption: E' = E + W in [E, E + omega_max]
    ep, w = _edge_nodes(max(energy, delta), energy + omega_max, delta)
    om = ep - energy
    m1 = 1.0 - delta * delta / (energy * ep)
    total = np.sum(w * a2f(om) * _bcs_rho(ep, delta) * m1 * bose(om, kT) * (1 - fermi(ep, kT)))
    # emission: E' = E - W in [delta, E)
    if energy - delta > 0:
        lo = max(delta, energy - omega_max)
        ep, w = _edge_nodes(lo, energy, delta)
        om = energy - ep
        m1 = 1.0 - delta * delta / (energy * ep)
        with np.errstate(divide="ignore", over="ignore"):
            nb = np.where(om > 0, bose(np.maximum(om, 1e-300), kT), 0.0)
        total += np.sum(w * a2f(om) * _bcs_rho(ep, delta) * m1 * (nb + 1.0) * (1 - fermi(ep, kT)))
    return float(2.0 * math.pi / (HBAR * z) * total)


def recombination_rate(
    energy: float, delta: float, kT: float, a2f: A2F, omega_max: float, z: float = 1.0
) -> float:
    """Kaplan's recombination rate 1/tau_r(E, T), 1/ps, by quadrature (arguments as
    :func:`scattering_rate`).

    Parameters
    ----------
    energy : float, meV
        Quasi-particle energy E >= Delta.
    delta : float, meV
        BCS gap >= 0.
    kT : float, meV
        Temperature of the thermal f and n (> 0).
    a2f : callable
        alpha^2F(Omega) (dimensionless) for an array of Omega (meV), zero above
        ``omega_max``.
    omega_max : float, meV
        Upper end of the spectrum.
    z : float, dimensionless
        Z_1(0).
    """
    _check_positive("kT", kT)
    _check_positive("delta", delta, allow_zero=True)
    if energy < delta:
        raise ValueError(f"energy must be >= delta ({delta} meV), got {energy}")
    hi = omega_max - energy
    if hi <= delta:
        return 0.0
    ep, w = _edge_nodes(delta, hi, delta)  # partner energy E' = W - E
    om = ep + energy
    m2 = 1.0 + delta * delta / (energy * ep)
    total = np.sum(w * a2f(om) * _bcs_rho(ep, delta) * m2 * (bose(om, kT) + 1) * fermi(ep, kT))
    return float(2.0 * math.pi / (HBAR * z) * total)


def pair_breaking_rate(omega: float, delta: float, kT: float, alpha2_ratio: float) -> float:
    """Kaplan's phonon pair-breaking rate 1/tau_B(Omega, T), 1/ps, by quadrature.

    Parameters
    ----------
    omega : float, meV
        Phonon energy.
    delta : float, meV
        BCS gap > 0.
    kT : float, meV
        Temperature of the thermal f (>= 0).
    alpha2_ratio : float, 1/meV
        a = 4 N(0) <alpha^2> / N.
    """
    _check_positive("delta", delta)
    _check_positive("kT", kT, allow_zero=True)
    if omega <= 2 * delta:
        return 0.0
    # symmetric in E <-> W - E: integrate the lower half with the edge substitution
    a_hi = math.acosh(0.5 * omega / delta)
    u = 0.5 * a_hi * (_GL_X + 1.0)
    w = 0.5 * a_hi * _GL_W  # dE / sqrt(E^2 - Delta^2) = du
    e = delta * np.cosh(u)
    ep = omega - e
    # ep - Delta = (omega - 2 Delta) + (Delta - e), without cancellation
    ep_minus = (omega - 2.0 * delta) - 2.0 * delta * np.sinh(0.5 * u) ** 2
    integrand = (e * ep + delta * delta) / np.sqrt(ep_minus * (ep + delta))
    occ = 1.0 - fermi(e, kT) - fermi(ep, kT)
    total = 2.0 * np.sum(w * integrand * occ)
    return float(math.pi * alpha2_ratio / HBAR * total)


def phonon_scattering_rate(
    omega: float, delta: float, kT: float, alpha2_ratio: float, e_max: float
) -> float:
    """Kaplan's phonon scattering rate 1/tau_s^ph(Omega, T), 1/ps, by quadrature.

    Parameters as :func:`pair_breaking_rate`; ``e_max`` (meV) is the upper end of the
    quasi-particle energies (a few kT above the gap suffices).

    Parameters
    ----------
    omega : float, meV
        Phonon energy.
    delta : float, meV
        BCS gap >= 0.
    kT : float, meV
        Temperature of the thermal f (> 0).
    alpha2_ratio : float, 1/meV
        a = 4 N(0) <alpha^2> / N.
    e_max : float, meV
        Upper end of the quasi-particle energies E in the integral.
    """
    _check_positive("kT", kT)
    e, w = _edge_nodes(delta, e_max, delta)
    ep = e + omega
    m1 = 1.0 - delta * delta / (e * ep)
    rr = _bcs_rho(e, delta) * _bcs_rho(ep, delta)
    total = np.sum(w * rr * m1 * (fermi(e, kT) - fermi(ep, kT)))
    return float(2.0 * math.pi * alpha2_ratio / HBAR * total)


class IntegratedRates(NamedTuple):
    """Totals over the grid (densities per 4 N(0), i.e. in meV; rates in meV/ps).

    Attributes
    ----------
    qp_density : float, meV
        n_qp / (4 N(0)) = z int dE rho f.
    energy_density : float, meV^2
        Quasi-particle energy / (4 N(0)) = z int dE rho E f.
    generation : float, meV/ps
        Pair-breaking events per time (each makes two quasi-particles), per 4 N(0).
    recombination : float, meV/ps
        Recombination events per time (each removes two), per 4 N(0).
    scattering : float, meV/ps
        Scattering events per time, per 4 N(0).
    """

    qp_density: float
    energy_density: float
    generation: float
    recombination: float
    scattering: float


def integrated_rates(
    grid: KineticGrid, coh: Coherence, f: ArrayLike, proc: ProcessRates, z: float = 1.0
) -> IntegratedRates:
    """Integrate process-resolved rates (:meth:`CollisionOperator.processes`) over E.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    coh : Coherence
        rho and p.
    f : (n_qp,) float
        Quasi-particle distribution.
    proc : ProcessRates
        Rates of the same state.
    z : float
        Z_1(0) (weight of the quasi-particle states).
    """
    f = np.asarray(f, dtype=float)
    wt = z * grid.step * np.asarray(coh.rho)
    n_qp = float(np.sum(wt * f))
    energy = float(np.sum(wt * grid.energy * f))
    gen = 0.5 * float(np.sum(wt * (1.0 - f) * proc.pair_breaking_in))
    rec = 0.5 * float(np.sum(wt * f * proc.recombination_out))
    scat = float(np.sum(wt * f * proc.scattering_out))
    return IntegratedRates(n_qp, energy, gen, rec, scat)
