"""Cavity quantum Eliashberg effect (paper 004: Curtis et al., PRL 122, 167002 (2019)).

A 2D superconducting film at the antinode of a microwave cavity; the cavity photons are
thermal at T_cav, the quasi-particles relax to T_qp through phonons (tau_in). To first
order in tau_in the photons change the quasi-particle distribution by delta n(E)
(Eq. 14, kernel Eq. 15), which changes the gap (GL: Eqs. 17-18; here also the full BCS
gap equation Eq. 1 with n = n_F + delta n[Delta], solved self-consistently).

Units: paper 004 is dimensionless. hbar = k_B = 1 and every energy is in units of
k_B T_c (T_c = 1): T_qp, T_cav, omega_0, the linewidth, E, Delta. Parameters are given as
ratios (T_qp/T_c, T_cav/T_qp, omega_0/Delta_0, linewidth/omega_0) and the coupling
strength as the paper's dimensionless X and pi alpha D tau_in T_c^2/c^2. The BCS coupling
nu(0)U only fixes Delta_0(T_qp)/T_c (weak coupling, cutoff chosen so that T_c = 1).

Models
------
* ``cavity-multimode`` (Fig. 1a): delta Delta/Delta_0 vs omega_0/Delta_0, several T_cav.
* ``cavity-distribution`` (Fig. 2): delta n(E) below and above omega_0 = 2 Delta_0.
* ``cavity-single-mode`` (Fig. 3): single-mode Lorentzian J, hot and cold photons, at
  the printed linewidth 1/(2 tau_cav) = 10 omega_0 and at a narrow line.

The choices left open by the printed equations (Eq. 14's Omega range, Eq. 16's
normalisation, the DOS in Eqs. 17-18) are derived in :mod:`photosc.cores.cavity` and
selectable here (``omega_integration``, ``j_normalisation``, ``dos_convention``).
"""

from __future__ import annotations

from photosc.models._base import ModelSpec
from photosc.models.cavity_eliashberg.gap_change import (
    bcs_in_tc_units,
    equilibrium_gap_tc,
    onset,
)
from photosc.models.cavity_eliashberg.parameters import (
    CavityNumerics,
    DistributionNumerics,
    DistributionParams,
    MultimodeParams,
    SingleModeParams,
    TempRatio,
)
from photosc.models.cavity_eliashberg.scenarios import (
    plot_distribution,
    plot_multimode,
    plot_single_mode,
    run_distribution,
    run_multimode,
    run_single_mode,
)

__all__ = [
    "MODELS",
    "CavityNumerics",
    "DistributionNumerics",
    "DistributionParams",
    "MultimodeParams",
    "SingleModeParams",
    "TempRatio",
    "bcs_in_tc_units",
    "equilibrium_gap_tc",
    "onset",
    "plot_distribution",
    "plot_multimode",
    "plot_single_mode",
    "run_distribution",
    "run_multimode",
    "run_single_mode",
]

MODELS = [
    ModelSpec(
        name="cavity-multimode",
        paper="004",
        description="Cavity Eliashberg effect, multimode planar cavity: gap change vs "
        "cavity frequency (Fig. 1a, Eqs. 14-18)",
        params=MultimodeParams,
        numerics=CavityNumerics,
        run=run_multimode,
        plot=plot_multimode,
    ),
    ModelSpec(
        name="cavity-distribution",
        paper="004",
        description="Cavity Eliashberg effect: quasi-particle distribution change delta n(E) "
        "(Fig. 2, Eqs. 14-15)",
        params=DistributionParams,
        numerics=DistributionNumerics,
        run=run_distribution,
        plot=plot_distribution,
    ),
    ModelSpec(
        name="cavity-single-mode",
        paper="004",
        description="Cavity Eliashberg effect, single-mode cavity, hot and cold photons (Fig. 3)",
        params=SingleModeParams,
        numerics=CavityNumerics,
        run=run_single_mode,
        plot=plot_single_mode,
    ),
]
