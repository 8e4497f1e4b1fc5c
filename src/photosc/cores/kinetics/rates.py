"""Integrated rates of a kinetic state; the Kaplan et al. (1976) lifetimes re-exported.

:func:`integrated_rates` sums the process-resolved collision rates of a kinetic state
(:meth:`photosc.cores.kinetics.collisions.CollisionOperator.processes`) into densities
(per 4 N(0)) and event rates: generation, recombination, scattering.

The golden-rule quadratures of Kaplan, Chi, Langenberg, Chang, Jafarey and Scalapino,
PRB 14, 4854 (1976) (quasi-particle scattering, recombination and generation rates at
energy E, phonon pair-breaking and scattering rates, tau_0, tau_0^ph and the
low-temperature closed forms), the independent reference for the FFT collision code,
live in :mod:`photosc.cores.kaplan` (their one implementation, shared with the
gap-edge rates of :mod:`photosc.cores.qp_rates`) and are re-exported here.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from photosc.cores.kaplan import (
    generation_rate,
    kaplan_tau0,
    kaplan_tau0_ph,
    pair_breaking_rate,
    phonon_scattering_rate,
    recombination_rate,
    recombination_rate_low_t,
    scattering_rate,
    scattering_rate_low_t,
)
from photosc.cores.kinetics.coherence import Coherence
from photosc.cores.kinetics.collisions import ProcessRates
from photosc.cores.kinetics.grid import KineticGrid

__all__ = [
    "IntegratedRates",
    "generation_rate",
    "integrated_rates",
    "kaplan_tau0",
    "kaplan_tau0_ph",
    "pair_breaking_rate",
    "phonon_scattering_rate",
    "recombination_rate",
    "recombination_rate_low_t",
    "scattering_rate",
    "scattering_rate_low_t",
]


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
