"""Born-Markov normal steady state of the driven honeycomb model (paper 003, Eqs. 9-11).

Section C of :mod:`photosc.cores.bands.honeycomb`. The closed-form steady one-body state
of a driven two-band k point without gap (Eqs. 10-11), including the interband coherence
n^21 = <c+_k2 c_k1> that Eqs. 10-11 do not print, and the real pair kernel
E_k / (E_k^2 + Gamma^2) of Eq. 9 at the resonance value E_k = xi_k1 + xi_k2 = -2 mu.

Rate convention (package docstring): the one-body amplitude <c_k,alpha> decays at
Gamma_alpha, so populations relax at 2 Gamma_alpha and interband coherences and pair
amplitudes at Gamma = Gamma_1 + Gamma_2, the convention in which Eqs. 9-17 are
self-consistent. Energies and rates in units of ``t``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.bands.honeycomb.lattice import _check_positive
from photosc.foundation.distributions import fermi


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
