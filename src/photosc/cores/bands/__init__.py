"""Driven two-band systems on a momentum grid (papers 002 and 003).

Public API
----------
System and state (:mod:`~photosc.cores.bands.system`)
    ``BandSystem(k, e1, e2, omega, minus, weights)``  bands in the rotating frame,
    drive ``omega_k`` multiplying ``c^dagger_{k2} c_{k1}``, index of -k, gap-sum weights;
    ``radial_grid(k_cutoff, dk)``, ``minus_index(k, period=None)``;
    ``State(n, s)`` with ``n[k,a,b] = <c^dagger_{ka} c_{kb}>``,
    ``s[k,a,b] = <c^dagger_{ka} c^dagger_{-kb}>`` (band 0 = valence "1", 1 = conduction "2");
    ``ground_state(nk, seed)``; ``Packing(minus, layout)`` ("interband" | "full");
    ``unphysical_amount(state, minus)`` (violation of 0 <= G_k <= 1).
Dissipators (:mod:`~photosc.cores.bands.dissipators`), each with ``add_rhs(n, s, dn, ds)``
    ``FermionReservoir(rates, occupation, minus)`` / ``fermion_reservoir(e1_lab, e2_lab,
    gamma1, gamma2, mu, kT, minus)`` (paper 003 Eq. 7, exact);
    ``BilinearJumps(operators, minus)`` with ``JumpOperator`` (Wick-factorised),
    ``radiative_recombination(nk, gamma, minus)``,
    ``acoustic_phonons_1d(k, (A1, A2), v, gamma, kT, minus, form)`` (paper 002).
Equations of motion (:mod:`~photosc.cores.bands.eom`)
    ``GapCoupling(groups, vmat, weights)`` / ``GapCoupling.uniform(V, weights)``
    (V > 0 repulsive, paper 003 Eq. 4 convention); ``FixedGap(delta)`` (prescribed field);
    ``MeanFieldEOM(system, coupling, dissipators, layout, shift)``: callable
    ``(t, y) -> dy/dt`` on packed vectors (also batched ``(size, B)``), ``.gap(state)``,
    ``.state_rhs(state)``, ``.jacobian(y)``, ``.packing``; ``coherent_rhs``.
Solvers (:mod:`~photosc.cores.bands.solve`)
    ``integrate(eom, y0, t_eval, rtol, atol, method)``,
    ``refine_steady_state(eom, y_guess, shift_guess)`` (Newton, co-rotating frame),
    ``stability(eom, y)`` (Jacobian eigenvalues without symmetry zero modes),
    ``classify_tail(t, abs_delta)`` (steady / oscillating / bursts / drifting),
    ``total_number``, ``conserves_number``.
Paper 003's gapped honeycomb model (:mod:`~photosc.cores.bands.honeycomb`, imported on its own)
    A subpackage by physics: ``lattice`` (Eq. 1, bands, DOS), ``dichroism`` (Eq. 2, drive
    pattern), ``normal_state`` (Eqs. 9-11), ``gap_kernels`` (Eqs. 12-17, Fig. 3b),
    ``dynamics`` (mean-field equations on a valley energy grid, linearisation); every name
    is re-exported from ``photosc.cores.bands.honeycomb``.

Units: energies in the model's unit (E_g = 1 in paper 002, t = 1 in paper 003),
times in its inverse, hbar = 1. All rates are Lindblad rates in the normalisation
``gamma (L rho L^dagger - {L^dagger L, rho} / 2)``.
"""

from photosc.cores.bands.dissipators import (
    PHONON_FORMS,
    BilinearJumps,
    Dissipator,
    FermionReservoir,
    JumpOperator,
    acoustic_phonons_1d,
    fermion_reservoir,
    phonon_channels_1d,
    radiative_recombination,
)
from photosc.cores.bands.eom import (
    FixedGap,
    GapCoupling,
    MeanFieldEOM,
    coherent_rhs,
    pairing_matrix,
)
from photosc.cores.bands.solve import (
    Stability,
    SteadyState,
    Trajectory,
    classify_tail,
    conserves_number,
    integrate,
    refine_steady_state,
    stability,
    total_number,
)
from photosc.cores.bands.system import (
    BandSystem,
    Packing,
    State,
    ground_state,
    minus_index,
    radial_grid,
    unphysical_amount,
)

__all__ = [
    "PHONON_FORMS",
    "BandSystem",
    "BilinearJumps",
    "Dissipator",
    "FermionReservoir",
    "FixedGap",
    "GapCoupling",
    "JumpOperator",
    "MeanFieldEOM",
    "Packing",
    "State",
    "Stability",
    "SteadyState",
    "Trajectory",
    "acoustic_phonons_1d",
    "classify_tail",
    "coherent_rhs",
    "conserves_number",
    "fermion_reservoir",
    "ground_state",
    "integrate",
    "minus_index",
    "pairing_matrix",
    "phonon_channels_1d",
    "radial_grid",
    "radiative_recombination",
    "refine_steady_state",
    "stability",
    "total_number",
    "unphysical_amount",
]
