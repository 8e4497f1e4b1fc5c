"""Chang-Scalapino kinetics of Bogoliubov quasi-particles coupled to bosonic baths.

Modules
-------
grid        the uniform kinetic grid (quasi-particles at (i + 1/2) h, bosons at j h)
coherence   N(E), P(E): BCS (bin-averaged) or from an Eliashberg gap function
baths       Bath (coupling function + coherence type): phonons, cavity photons
collisions  collision integrals as FFT correlations; a double-loop reference
pump        optical pump (paper 001, after Eq. 2) and continuous drives
rates       integrated rates, Kaplan et al. (1976) lifetimes and closed forms
gap         gap updates (BCS callback) for the adiabatic self-consistency
solver      KineticSolver: start() / step() / run()
"""

from photosc.cores.kinetics.baths import (
    Bath,
    bath_channel,
    debye_bath,
    phonon_bath,
    phonon_bath_from_spectrum,
    photon_bath,
    thermal_occupation,
)
from photosc.cores.kinetics.coherence import (
    Coherence,
    bcs_coherence,
    coherence_from_gap_function,
    normal_coherence,
)
from photosc.cores.kinetics.collisions import (
    Channel,
    CollisionOperator,
    Collisions,
    ProcessRates,
    collisions_direct,
)
from photosc.cores.kinetics.grid import KineticGrid, make_grid

__all__ = [
    "Bath",
    "Channel",
    "Coherence",
    "CollisionOperator",
    "Collisions",
    "KineticGrid",
    "ProcessRates",
    "bath_channel",
    "bcs_coherence",
    "coherence_from_gap_function",
    "collisions_direct",
    "debye_bath",
    "make_grid",
    "normal_coherence",
    "phonon_bath",
    "phonon_bath_from_spectrum",
    "photon_bath",
    "thermal_occupation",
]
