"""Paper 004 as a special case: a current-coupled photon reservoir plus the relaxation
term (Eq. 6). In the linear regime the kinetic steady state gives delta n(E) of Eq. 14,
computed independently by the cavity core's quadrature."""

from __future__ import annotations

import numpy as np

from photosc.cores import cavity
from photosc.cores.kinetics import (
    CollisionOperator,
    bath_channel,
    bcs_coherence,
    make_grid,
    photon_bath,
)
from photosc.cores.kinetics.gap import FixedGap
from photosc.cores.kinetics.solver import KineticSolver, SolverOptions
from photosc.foundation.distributions import bose, fermi
from photosc.foundation.units import HBAR

DELTA, KT_QP, KT_CAV = 1.0, 0.5, 0.25  # meV
OMEGA0, KAPPA = 2.5, 0.5  # meV
TAU_IN = 5.0  # ps


def _setup():
    g = make_grid(0.01, 12.0, 10.0)
    j = cavity.j_single_mode(g.omega, OMEGA0, KAPPA, prefactor=1e-5)
    j[0] = 0.0
    return g, photon_bath(g, g.omega, j, kT=KT_CAV)


def _delta_n_eq14(g, energies):
    def weight(om):
        jj = cavity.j_single_mode(om, OMEGA0, KAPPA, prefactor=1e-5)
        dN = bose(om, KT_CAV) - bose(om, KT_QP)
        return TAU_IN * 2 * np.pi / HBAR * jj * dN

    return cavity.distribution_change(
        energies, DELTA, KT_QP, weight, omega_max=10.0, breakpoints=[OMEGA0]
    )


def test_linearised_collision_integral_is_eq14():
    """tau_in I_cav[n_F] on the grid equals Eq. 14 (independent quadrature)."""
    g, bath = _setup()
    coh = bcs_coherence(g, DELTA)
    f = fermi(g.energy, KT_QP)
    col = CollisionOperator(g).evaluate(f, coh, [bath_channel(g, bath)])
    idx = np.nonzero((g.energy > 1.2) & (g.energy < 6.0))[0][::25]
    ours = TAU_IN * col.df_dt(f)[idx]
    ref = _delta_n_eq14(g, g.energy[idx])
    scale = np.max(np.abs(ref))
    assert scale > 0
    np.testing.assert_allclose(ours, ref, atol=0.01 * scale)
    # the coherence factors matter: the same J with density (phonon-like) coupling differs
    from dataclasses import replace

    dens = replace(bath, coherence="density")
    other = TAU_IN * CollisionOperator(g).evaluate(f, coh, [bath_channel(g, dens)]).df_dt(f)
    assert np.max(np.abs(other[idx] - ref)) > 0.1 * scale


def test_kinetic_steady_state_reproduces_eq14():
    """Weak photon coupling: the steady state of df/dt = I_cav[f] - (f - f_F)/tau_in is
    f_F + delta n(E) of Eq. 14 (linear response)."""
    g, bath = _setup()
    s = KineticSolver(
        g,
        [bath],
        FixedGap(DELTA),
        tau_in=TAU_IN,
        kT_qp=KT_QP,
        options=SolverOptions(rtol=1e-4, atol=1e-12),
    )
    s.start(kT=KT_QP)
    st = s.run_until_steady(rate_tol=1e-9, t_max=200.0, check_every=10.0)
    idx = np.nonzero((g.energy > 1.2) & (g.energy < 6.0))[0][::25]
    dn = st.f[idx] - fermi(g.energy[idx], KT_QP)
    ref = _delta_n_eq14(g, g.energy[idx])
    np.testing.assert_allclose(dn, ref, atol=0.02 * np.max(np.abs(ref)))
