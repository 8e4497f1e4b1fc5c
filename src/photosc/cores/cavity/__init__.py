"""Cavity quantum Eliashberg effect: photon bath, collision kernel, delta n(E), gap change.

Paper 004: Curtis, Raines, Allocca, Hafezi, Galitski, *Cavity Quantum Eliashberg
Enhancement of Superconductivity*, PRL 122, 167002 (2019).

Units
-----
Paper 004 is dimensionless: hbar = k_B = 1 and every energy (E, Delta, Omega, omega_0,
k_B T, the linewidth 1/(2 tau_cav)) is measured in units of k_B T_c. The functions here
are unit-agnostic: all energy arguments must share one unit (T_c units in the models).
Occupations and the coupling function J are dimensionless; the "weight" W(Omega) =
tau_in X J(Omega) delta N(Omega) has the unit 1/energy.

Modules
-------
:mod:`~photosc.cores.cavity.photon_bath`
    The cavity photons: spectral function A(omega) (Eq. 11), occupation change
    delta N(Omega) (Eq. 7), coupling functions J(Omega) of the multimode planar cavity
    (Eq. 16, with the mode normalisation derived there) and of the single-mode cavity
    (text after Eq. 18).
:mod:`~photosc.cores.cavity.qp_distribution`
    The quasi-particles: collision kernel K(Omega, E) (Eq. 15), distribution change
    delta n(E) (Eq. 14, with the range of Omega derived from Eq. 8), kinks of delta n(E)
    (Fig. 2).
:mod:`~photosc.cores.cavity.gap_change`
    The gap: Ginzburg-Landau gap change (Eqs. 17-18) with the independent route
    G(Omega), and the full self-consistent BCS gap with n = n_F + delta n[Delta].

Every public name is importable from this package (``from photosc.cores import cavity as
cv; cv.distribution_change``), as from the single module it was before the split.
"""

from photosc.cores.cavity._common import OmegaIntegration as OmegaIntegration
from photosc.cores.cavity.gap_change import (
    GL_COEFFICIENT,
    CavityGap,
    gap_integral_weights,
    gap_response,
    gl_relative_gap_change,
    solve_cavity_gap,
)
from photosc.cores.cavity.photon_bath import (
    j_multimode,
    j_single_mode,
    multimode_lineshape,
    multimode_prefactor,
    photon_occupation_change,
    photon_spectral_function,
    single_mode_prefactor,
)
from photosc.cores.cavity.qp_distribution import (
    distribution_change,
    find_kinks,
    kernel,
    kernel_f,
    qp_dos,
    thermal_breakpoints,
)

__all__ = [
    "GL_COEFFICIENT",
    "CavityGap",
    "distribution_change",
    "find_kinks",
    "gap_integral_weights",
    "gap_response",
    "gl_relative_gap_change",
    "j_multimode",
    "j_single_mode",
    "kernel",
    "kernel_f",
    "multimode_lineshape",
    "multimode_prefactor",
    "photon_occupation_change",
    "photon_spectral_function",
    "qp_dos",
    "single_mode_prefactor",
    "solve_cavity_gap",
    "thermal_breakpoints",
]
