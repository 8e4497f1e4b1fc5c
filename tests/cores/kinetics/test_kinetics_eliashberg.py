"""Strong coupling: the kinetics with the real-axis Eliashberg gap update (paper 001)."""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores.eliashberg import EliashbergSolver
from photosc.cores.kinetics import CollisionOperator, bath_channel, debye_bath, make_grid
from photosc.cores.kinetics.gap import EliashbergGap
from photosc.cores.kinetics.pump import Drive
from photosc.cores.kinetics.solver import KineticSolver, SolverOptions
from photosc.foundation.distributions import fermi

H = 0.1
W = np.linspace(0.0, 20.0, 201)
A2F = np.where(W <= 15.0, 0.8 * (W / 15.0) ** 2, 0.0)
KT = 0.31  # meV, about 0.6 T_c of this spectrum with mu* = 0.1


@pytest.fixture(scope="module")
def eliashberg():
    return EliashbergSolver(W, A2F, mu_star=0.1, omega_max=60.0, step=H)


def _setup(eliashberg, drives=()):
    g = make_grid(H, 60.0, 20.0)
    bath = debye_bath(g, 0.8 / 15.0**2, 15.0, kT=KT, alpha2_ratio=0.3)
    gap = EliashbergGap(eliashberg, KT)
    opts = SolverOptions(rtol=1e-3, atol=1e-6, gap_tol=1e-4)
    return g, bath, gap, KineticSolver(g, [bath], gap, drives, options=opts)


def test_thermal_start_matches_direct_solve_and_is_stationary(eliashberg):
    g, bath, gap, s = _setup(eliashberg)
    st = s.start(kT=KT)
    direct = eliashberg.solve(kT=KT)
    assert st.coherence.delta0 == pytest.approx(direct.delta0, rel=1e-8)
    assert st.coherence.delta0 > 0.5
    # the strong-coupling N(E), P(E) have in-gap weight (finite-T damping) ...
    assert 0 < st.coherence.rho[0] < 0.1
    # ... and thermal f, n remain exactly stationary with them
    col = CollisionOperator(g).evaluate(st.f, st.coherence, [bath_channel(g, bath)])
    assert np.max(np.abs(col.df_dt(st.f))) < 1e-12 * np.max(col.loss)  # FFT round-off


def test_pump_above_gap_suppresses_strong_coupling_gap(eliashberg):
    g, bath, gap, s = _setup(eliashberg, [Drive(8.0, 0.05, 0.3, 0.5)])
    s.start(kT=KT)
    res = s.run([0.0, 1.0, 2.0])
    assert res.delta0[-1] < 0.8 * res.delta0[0]
    assert res.energy[-1] > res.energy[0]  # energy was deposited
    assert gap.solves == res.gap_updates
    assert 1 < res.gap_updates <= res.steps + 1
    f_eq = fermi(g.energy, KT)
    assert np.max(res.f[-1] - f_eq) > 1e-3  # non-thermal quasi-particles


def test_step_mismatch_is_refused(eliashberg):
    g = make_grid(0.2, 60.0, 20.0)
    gap = EliashbergGap(eliashberg, KT)
    with pytest.raises(ValueError, match="step"):
        gap(g, fermi(g.energy, KT), [], None)


def test_gap_reopens_from_a_normal_state(eliashberg):
    """After a normal-state update, a distribution that supports pairing gives the
    superconducting solution again (no warm start from the trivial Delta = 0)."""
    g = make_grid(H, 60.0, 20.0)
    gap = EliashbergGap(eliashberg, KT, bath_index=None)  # phonons thermal at KT
    hot = gap(g, fermi(g.energy, 1.5), [], None)  # electrons far above T_c: normal
    assert hot.delta0 == 0.0
    cold = gap(g, fermi(g.energy, KT), [], hot)
    assert cold.delta0 == pytest.approx(eliashberg.solve(kT=KT).delta0, rel=1e-6)
