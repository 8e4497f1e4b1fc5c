"""BCS mean-field core: gap equation for an arbitrary quasi-particle distribution.

Conventions
-----------
* Energies in meV; ``kT`` = k_B T in meV (0 allowed: the T = 0 limit).
* ``coupling`` = nu(0) U, dimensionless, with nu(0) the density of states per spin
  at the Fermi level; ``cutoff`` = omega_D, the Debye (pairing) cutoff, meV.
* ``occupation`` n(E) is the occupation of one Bogoliubov quasi-particle state of
  energy E (the same for both branches/spins); the gap equation uses 1 - 2 n(E).

Modules
-------
``gap_equation``    the gap equation (paper 004 Eq. 1; paper 000 Eqs. 4, 31) for any
                    occupation n(E) and for the Bogoliubov distribution, T_c of the
                    cutoff model (its Delta -> 0 limit), and the root finders.
``closed_forms``    closed forms: Delta(0), weak-coupling T_c and Delta(T), the
                    condensation energy at T = 0 and near T_c.
``thermodynamics``  free energy relative to the normal state (paper 000 Eq. 25) and the
                    quasi-particle density (paper 000 Eq. 5).
``fixed_density``   the state at a fixed quasi-particle density: Delta and the
                    Bogoliubov chemical potential lambda (paper 000 Eqs. 4-5, 27-31), and
                    the free energy F_n(Delta) at that density (Eq. 27).
``quadrature``      Gauss-Legendre panels in xi = a sinh u, Fermi factors, argument checks.

Each module's docstring gives its equations; every name below is importable from
``photosc.cores.bcs``.

API
---
``delta_zero(coupling, cutoff)``                     exact T = 0 gap, meV
``tc_weak_coupling(coupling, cutoff)``               k_B T_c closed form, meV
``gap_near_tc(kT, kTc)``                             weak-coupling Delta(T) near T_c, meV
``weak_coupling_gap(kT, kTc)``                       universal weak-coupling Delta(T), meV
``condensation_energy_zero(coupling, cutoff)``       (F_SC - F_N)/nu(0) at T = 0, meV^2
``condensation_energy_near_tc(kT, kTc)``             its weak-coupling GL limit, meV^2
``critical_temperature(coupling, cutoff)``           k_B T_c of the cutoff model, solved, meV
``gap_integral(delta, cutoff, occupation, *, breakpoints, scale)``
                                                     int_0^cutoff dxi (1 - 2n(E))/E
``solve_gap(coupling, cutoff, occupation=None, *, kT=0, lam=0, delta_guess=None, tol=1e-10,
max_iter=200, breakpoints=())`` -> ``GapSolution(delta, iterations, residual)``;
``occupation(E, delta) -> n`` (None: Bogoliubov n(E) = 1/(exp((E + lam)/kT) + 1))
``equilibrium_gap(kT, coupling, cutoff)``            Delta(T), broadcast over kT and coupling
``free_energy(delta, kT, coupling, cutoff, lam=0)``  (F_SC - F_N)/nu(0), broadcast, meV^2
``qp_density(delta, lam, kT, cutoff)``               n_qp / nu(0), broadcast, meV
``fixed_density_state(n_qp, kT, coupling, cutoff, *, delta_guess=None, tol, max_iter)``
-> ``FixedDensityState(delta, lam, iterations, residual)`` (paper 000 Eqs. 4-5, 27-31)
``fixed_density_free_energy(delta, n_qp, kT, coupling, cutoff)``  F_n(Delta) - F_n(0) at
fixed density (paper 000 Eq. 27), meV^2; stationary at the fixed-density states

Bad input (coupling <= 0, cutoff <= 0, kT < 0, NaN, ...) raises ``ValueError`` naming the
argument and the value; a root finder that does not converge raises
:class:`photosc.errors.ConvergenceError` with the residual.
"""

from __future__ import annotations

# ``X as X``: names outside ``__all__`` kept importable from here (the T_c and gap
# prefactors, and private helpers that tests call as ``bcs._name``)
from photosc.cores.bcs.closed_forms import (
    EULER_GAMMA,
    condensation_energy_near_tc,
    condensation_energy_zero,
    delta_zero,
    gap_near_tc,
    tc_weak_coupling,
    weak_coupling_gap,
)
from photosc.cores.bcs.closed_forms import GAP_NEAR_TC_PREFACTOR as GAP_NEAR_TC_PREFACTOR
from photosc.cores.bcs.closed_forms import GAP_TO_TC as GAP_TO_TC
from photosc.cores.bcs.closed_forms import TC_PREFACTOR as TC_PREFACTOR
from photosc.cores.bcs.fixed_density import (
    FixedDensityState,
    fixed_density_free_energy,
    fixed_density_state,
)
from photosc.cores.bcs.fixed_density import _lambda_for_density as _lambda_for_density
from photosc.cores.bcs.gap_equation import (
    GapSolution,
    critical_temperature,
    equilibrium_gap,
    gap_integral,
    solve_gap,
)
from photosc.cores.bcs.gap_equation import (
    _bogoliubov_gap_integral as _bogoliubov_gap_integral,
)
from photosc.cores.bcs.thermodynamics import _log_qp_density as _log_qp_density
from photosc.cores.bcs.thermodynamics import free_energy, qp_density

__all__ = [
    "EULER_GAMMA",
    "FixedDensityState",
    "GapSolution",
    "condensation_energy_near_tc",
    "condensation_energy_zero",
    "critical_temperature",
    "delta_zero",
    "equilibrium_gap",
    "fixed_density_free_energy",
    "fixed_density_state",
    "free_energy",
    "gap_integral",
    "gap_near_tc",
    "qp_density",
    "solve_gap",
    "tc_weak_coupling",
    "weak_coupling_gap",
]
