"""Gapped honeycomb model driven valley-selectively (paper 003, Hart et al., PRB 100, 060508).

Dimensionless units: every energy, rate and Rabi frequency is in units of the hopping
``t`` (pass ``t=1``), times in ``1/t`` (hbar = 1), the nearest-neighbour distance a = 1.

Contents
--------
A. :mod:`~photosc.cores.bands.honeycomb.lattice` -- lattice and bands: Eq. 1, its bands,
   the exact density of states (paper 003 after Eq. 15, via the graphene DOS of Castro Neto
   et al. RMP 81, 109, Eq. 14).
B. :mod:`~photosc.cores.bands.honeycomb.dichroism` -- optics: interband matrix elements and
   the circular dichroism eta(k) (Eq. 2, Fig. 2); the valley-selective drive pattern on the
   hexagonal zone.
C. :mod:`~photosc.cores.bands.honeycomb.normal_state` -- Born-Markov steady state without
   gap (Eqs. 10-11) in closed form, including the interband coherence n^21 that Eqs. 10-11
   do not print; the pair kernel of Eq. 9.
D. :mod:`~photosc.cores.bands.honeycomb.gap_kernels` -- the gap-equation kernels F_+- (Eq.
   13 as a Brillouin-zone sum, Eq. 14 as a DOS integral, Eq. 17 closed form), the critical
   couplings (Eq. 12 general, Eq. 16), and the fast-intraband-relaxation regime (Fig. 3b).
E. :mod:`~photosc.cores.bands.honeycomb.dynamics` -- independent check: the time-dependent
   mean-field (BdG) equations of motion of the driven, reservoir-coupled valley pair (k in
   K+, -k in K-) with a self-consistent gap Delta_+-; their full linearisation around the
   normal steady state (growth rate and oscillation frequency of a seeded gap) compared
   with Eq. 9's kernel.

Every public name is importable from this package (``from photosc.cores.bands import
honeycomb as hc; hc.f_pm_dos``), as from the single module it was before the split.

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

from photosc.cores.bands.honeycomb.dichroism import (
    OpticalElements,
    ZoneGrid,
    circular_dichroism,
    drive_pattern,
    fold_to_hexagon,
    in_hexagon,
    optical_matrix_elements,
    zone_grid,
)
from photosc.cores.bands.honeycomb.dynamics import (
    GrowthRate,
    PairLinearization,
    ValleyGrid,
    evolve_linear,
    pair_growth_rate,
    pair_linearization,
    pair_operator,
    pair_response,
    valley_band_system,
    valley_energy_grid,
    valley_gap_coupling,
    valley_normal_state,
    valley_reservoir,
)
from photosc.cores.bands.honeycomb.gap_kernels import (
    CriticalCouplings,
    Kernels,
    band_occupation,
    band_quadrature,
    critical_coupling_eq16,
    critical_couplings,
    f_plus_eq14,
    f_plus_eq17,
    f_pm_dos,
    f_pm_fast_relaxation,
    f_pm_zone_sum,
    mu1_from_number_conservation,
    valley_polarisation,
)
from photosc.cores.bands.honeycomb.lattice import (
    A_CELL,
    K_PLUS,
    NN_VECTORS,
    RECIPROCAL,
    band_energies,
    band_limits,
    dos_valley,
    hamiltonian,
    offdiagonal,
)
from photosc.cores.bands.honeycomb.normal_state import (
    NormalState,
    born_markov_populations,
    pair_kernel_eq9,
)

__all__ = [
    "A_CELL",
    "CriticalCouplings",
    "GrowthRate",
    "K_PLUS",
    "Kernels",
    "NN_VECTORS",
    "NormalState",
    "OpticalElements",
    "PairLinearization",
    "RECIPROCAL",
    "ValleyGrid",
    "ZoneGrid",
    "band_energies",
    "band_limits",
    "band_occupation",
    "band_quadrature",
    "born_markov_populations",
    "circular_dichroism",
    "critical_coupling_eq16",
    "critical_couplings",
    "dos_valley",
    "drive_pattern",
    "evolve_linear",
    "f_plus_eq14",
    "f_plus_eq17",
    "f_pm_dos",
    "f_pm_fast_relaxation",
    "f_pm_zone_sum",
    "fold_to_hexagon",
    "hamiltonian",
    "in_hexagon",
    "mu1_from_number_conservation",
    "offdiagonal",
    "optical_matrix_elements",
    "pair_growth_rate",
    "pair_kernel_eq9",
    "pair_linearization",
    "pair_operator",
    "pair_response",
    "valley_band_system",
    "valley_energy_grid",
    "valley_gap_coupling",
    "valley_normal_state",
    "valley_polarisation",
    "valley_reservoir",
    "zone_grid",
]
