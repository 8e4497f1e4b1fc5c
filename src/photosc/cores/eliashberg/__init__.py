"""Isotropic Migdal-Eliashberg equations on the real frequency axis, thermal or not.

API (for the kinetics of paper 001, which calls this at every time step)
------------------------------------------------------------------------
::

    from photosc.cores.eliashberg import EliashbergSolver, solve_eliashberg, critical_temperature

    solver = EliashbergSolver(spectrum.omega, spectrum.a2f, mu_star=0.11,
                              omega_max=None, step=None, omega_c=None)   # set-up once
    solver.omega          # (n,) meV, electron energies (cell centres (j + 1/2) * step)
    solver.phonon_omega   # (n_ph,) meV, phonon energies m * step, m = 0 .. n_ph - 1
    res = solver.solve(kT=0.3)                            # thermal f and n at k_B T (meV)
    res = solver.solve(f=f_on_omega, n=n_on_phonon_omega, warm_start=res)  # non-thermal
    res.delta, res.z      # (n,) complex: Delta(omega), Z(omega)
    res.dos               # (n,) quasi-particle DOS Re[omega / sqrt(omega^2 - Delta^2)]
    res.pair_density      # (n,) Re[Delta / sqrt(omega^2 - Delta^2)]
    res.delta0            # gap edge Delta_0 (meV): omega = Re Delta(omega)
    tc_K = solver.critical_temperature()                  # T_c (K), linearised equations
    eig = solver.pairing_eigenvalue(f=f, n=n, v0=eig)     # lambda_max (> 1: Cooper-unstable)
    op = order_parameter(res, f)          # delta_low, delta_max, dos_ef, superfluid_weight
    is_superconducting(op)                # "gapped" / "gapless" / "normal"

``f`` is the electron (quasi-particle) distribution at the energies ``solver.omega``
(omega > 0); particle-hole symmetry f(-omega) = 1 - f(omega) (no charge imbalance)
is assumed to fold the integrals onto omega' > 0. ``n`` is the phonon occupation at
``solver.phonon_omega``. Use :func:`on_grid` to interpolate from other grids.
A warm start (a previous result or a complex Delta array) makes successive solves
along a trajectory cheap.

Equations
---------
The constant-DOS Migdal-Eliashberg self-energy on the real axis (Marsiglio, Schossmann &
Carbotte, PRB 37, 4965 (1988); Holcomb, PRB 54, 6648 (1996); the form paper 001 solves,
main text after Eq. 2 and SI Sec. I) in the Holcomb form with the occupation factors
[1 - f + n] and [f + n], so that any non-thermal f(E), n(Omega) can be used; written out
in :mod:`~photosc.cores.eliashberg.kernels`.

Modules
-------
``kernels``       the equations for Z and phi and their kernels: Hilbert transforms of
                  alpha^2F and alpha^2F n as Toeplitz/Hankel FFT products, the
                  normal-state tail beyond W, the mu* term (``rescale_mu_star``); one
                  evaluation of the map.
``densities``     cell integrals of the densities N and P (omega Z linear per cell,
                  exact antiderivatives; the gap-edge broadening eta), compiled.
``linearized``    the linearised gap equation: pairing eigenvalue lambda_max for any f
                  and n, the small-amplitude gain, T_c.
``solver``        ``EliashbergSolver`` (Anderson iteration of the map),
                  ``EliashbergResult``, ``KeptHistory`` (Anderson pairs carried along
                  a trajectory of solves), ``solve_eliashberg``,
                  ``critical_temperature``, ``on_grid``.
``gap_measures``  gap edge Delta_0, order parameters that see gapless
                  superconductivity (superfluid weight), gapped / gapless / normal.
``matsubara``     the thermal equations on the Matsubara axis and the Pade
                  (Vidberg-Serene) continuation of Delta: an independent method for
                  the thermal gap and T_c (issue 16; its sharp mu* cutoff is on the
                  Matsubara axis, see the module).
``thermal_gap``   the thermal gap edge Delta_0(T) within ~0.1 % on the real axis
                  (``thermal_gap``: two broadenings extrapolated to eta -> 0 on grids
                  that resolve them, the pairing integral continued beyond W; issue 16).

Every name of ``__all__`` is importable from ``photosc.cores.eliashberg``.
"""

from __future__ import annotations

# ``_name as _name``: private helpers re-exported because tests and docstrings name them here
from photosc.cores.eliashberg.densities import _cell_densities as _cell_densities
from photosc.cores.eliashberg.gap_measures import (
    SC_DELTA_OVER_ETA,
    OrderParameter,
    gap_edge,
    is_superconducting,
    order_parameter,
    superfluid_weight,
)
from photosc.cores.eliashberg.kernels import DEFAULT_CUTOFF_FACTOR, rescale_mu_star
from photosc.cores.eliashberg.kernels import _hilbert_weights as _hilbert_weights
from photosc.cores.eliashberg.linearized import PairingEigen
from photosc.cores.eliashberg.matsubara import (
    MatsubaraEliashberg,
    MatsubaraResult,
    pade_gap,
    pade_gap_edge,
)
from photosc.cores.eliashberg.solver import (
    EliashbergResult,
    EliashbergSolver,
    KeptHistory,
    critical_temperature,
    on_grid,
    solve_eliashberg,
)
from photosc.cores.eliashberg.thermal_gap import ThermalGap, thermal_gap

__all__ = [
    "DEFAULT_CUTOFF_FACTOR",
    "EliashbergResult",
    "EliashbergSolver",
    "KeptHistory",
    "MatsubaraEliashberg",
    "MatsubaraResult",
    "OrderParameter",
    "PairingEigen",
    "SC_DELTA_OVER_ETA",
    "ThermalGap",
    "critical_temperature",
    "gap_edge",
    "is_superconducting",
    "on_grid",
    "order_parameter",
    "pade_gap",
    "pade_gap_edge",
    "rescale_mu_star",
    "solve_eliashberg",
    "superfluid_weight",
    "thermal_gap",
]
