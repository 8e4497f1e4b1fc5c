"""Chang-Scalapino kinetics of Bogoliubov quasi-particles coupled to bosonic baths.

Paper 001 (SI Eqs. 4-9, pump term after main-text Eq. 2), written from Chang & Scalapino,
PRB 15, 2651 (1977) and Kaplan et al., PRB 14, 4854 (1976); paper 004 (Eqs. 6-13) as the
current-coupled instance of the same bath mechanism.

Modules
-------
grid        the uniform kinetic grid (quasi-particles at (i + 1/2) h, bosons at j h)
coherence   N(E), P(E): BCS (bin-averaged) or from an Eliashberg gap function
baths       Bath (coupling function + coherence type): phonons, cavity photons
collisions  collision integrals as FFT correlations; a double-loop reference
pump        optical pump (paper 001, after Eq. 2) and continuous drives
rates       integrated rates (the Kaplan et al. (1976) lifetimes: photosc.cores.kaplan)
gap         gap updates (fixed, BCS, real-axis Eliashberg) for the adiabatic loop
solver      KineticSolver: start() / step() / run() / run_until_steady() / calibrate_drive()
state       SolverOptions, KineticState, KineticResult (the solver's options and records)
etd         exponential-time-differencing helpers of the ETD2 and ETDRK4 steps (phi1-3)
budget      the energy budget: stored, absorbed, exchanged, gap work (issue 12)

Example (a K3C60 pump run, strong coupling)::

    import numpy as np
    from photosc.foundation.units import KB
    from photosc.cores.spectra import builtin
    from photosc.cores.eliashberg import EliashbergSolver
    from photosc.cores.kinetics import make_grid, phonon_bath_from_spectrum
    from photosc.cores.kinetics.gap import EliashbergGap
    from photosc.cores.kinetics.pump import Drive, absorbed_energy_density
    from photosc.cores.kinetics.solver import KineticSolver, SolverOptions

    sp = builtin("K3C60"); kT = 30 * KB; h = 0.25
    grid = make_grid(h, e_max=600.0, omega_max=215.0)      # same step as the Eliashberg grid
    bath = phonon_bath_from_spectrum(grid, sp, kT=kT, tau_esc=500.0)
    gap = EliashbergGap(EliashbergSolver(sp.omega, sp.a2f, 0.1, omega_max=600.0, step=h), kT)
    pump = Drive(omega=170.0, gamma=1.0, tau=0.3, t0=0.5)   # gamma calibrated below
    s = KineticSolver(grid, [bath], gap, [pump], options=SolverOptions(rtol=1e-3, atol=1e-7))
    s.start(kT=kT)
    n0 = sp.material.n0_per_ev_nm3 * 1e-3                   # N(0), 1/(meV nm^3)
    target = absorbed_energy_density(5.0, 0.5, 200.0) / (4 * n0)
    s.calibrate_drive(0, target, t_end=0.5 + 3 * 0.3)
    res = s.run(np.linspace(0.0, 3.0, 61))                  # res.delta0, res.f, res.n, ...

Energies are per 4 N(0) inside the kinetics (quasi-particle states carry weight
z rho(E) per unit energy); multiply by 4 N(0) for a physical density.
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
    spectral_bound,
)
from photosc.cores.kinetics.collisions import (
    Channel,
    CollisionOperator,
    Collisions,
    ProcessRates,
    collisions_direct,
)
from photosc.cores.kinetics.gap import BCSGap, EliashbergGap, FixedGap
from photosc.cores.kinetics.grid import KineticGrid, make_grid
from photosc.cores.kinetics.pump import Drive, absorbed_energy_density, envelope
from photosc.cores.kinetics.solver import KineticSolver
from photosc.cores.kinetics.state import KineticResult, KineticState, SolverOptions

__all__ = [
    "BCSGap",
    "Bath",
    "Drive",
    "EliashbergGap",
    "FixedGap",
    "KineticResult",
    "KineticSolver",
    "KineticState",
    "SolverOptions",
    "absorbed_energy_density",
    "envelope",
    "Channel",
    "Coherence",
    "CollisionOperator",
    "Collisions",
    "KineticGrid",
    "ProcessRates",
    "bath_channel",
    "bcs_coherence",
    "coherence_from_gap_function",
    "spectral_bound",
    "collisions_direct",
    "debye_bath",
    "make_grid",
    "normal_coherence",
    "phonon_bath",
    "phonon_bath_from_spectrum",
    "photon_bath",
    "thermal_occupation",
]
