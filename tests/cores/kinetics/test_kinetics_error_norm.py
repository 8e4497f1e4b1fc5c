"""The "gap" error norm of the ETD2 steps (issue 16): the local error controlled in the
weighted means of f and n that the observables read (the gap equation's rho / E, the
quasi-particle number's rho), not bin by bin. Compared with a 10x tighter run and with
the bin-wise "deviation" norm on Delta_0(t), the quasi-particle density and the budget."""

from __future__ import annotations

import numpy as np
import pytest
from kinetics_helpers import phonons

from photosc.cores import bcs
from photosc.cores.kinetics import make_grid
from photosc.cores.kinetics.gap import BCSGap
from photosc.cores.kinetics.pump import Drive
from photosc.cores.kinetics.solver import KineticSolver, SolverOptions

LAM, CUT = 0.3, 6.0
TIMES = np.array([0.0, 0.3, 0.6, 0.9, 1.2, 2.0, 4.0, 8.0])


def _run(norm: str, tighter: float = 1.0):
    """BCS gap at T_c / 2, escaping phonons, a 2.3 meV pulse (0.2 ps at 0.6 ps) that
    lowers Delta_0 by about 60 %; tolerances rtol 1e-3, atol 1e-7, energy_rtol 1e-4
    divided by ``tighter``."""
    grid = make_grid(0.1, 10.0, 6.0)
    kT = 0.5 * bcs.critical_temperature(LAM, CUT)
    opts = SolverOptions(
        rtol=1e-3 / tighter, atol=1e-7 / tighter, energy_rtol=1e-4 / tighter, error_norm=norm
    )
    bath = phonons(grid, kT, tau_esc=20.0)
    s = KineticSolver(grid, [bath], BCSGap(LAM, CUT), [Drive(2.3, 0.2, 0.2, 0.6)], options=opts)
    s.start(kT=kT)
    return s.run(TIMES)


@pytest.fixture(scope="module")
def runs():
    return {
        "gap": _run("gap"),
        "gap_tight": _run("gap", 10.0),
        "deviation_tight": _run("deviation", 10.0),
    }


def test_gap_norm_agrees_with_a_tighter_run(runs):
    """Delta_0(t) and the quasi-particle density of the gap norm at its tolerances agree
    with the 10x tighter runs (both norms) to 2e-3 of their pumped change (rtol 1e-3
    plus the gap updates' own threshold gap_tol 1e-4), and every run's energy budget
    holds budget_tol."""
    new = runs["gap"]
    shift = new.delta0[0] - new.delta0
    assert np.max(shift) > 0.1  # the pump moves the gap (not trivial)
    excess = new.qp_density - new.qp_density[0]
    for ref in (runs["gap_tight"], runs["deviation_tight"]):
        d_ref = ref.delta0[0] - ref.delta0
        np.testing.assert_allclose(shift, d_ref, rtol=0, atol=2e-3 * np.max(d_ref))
        x_ref = ref.qp_density - ref.qp_density[0]
        np.testing.assert_allclose(excess, x_ref, rtol=0, atol=2e-3 * np.max(x_ref))
    for r in runs.values():
        assert r.energy_budget_error < SolverOptions().budget_tol
    assert runs["gap_tight"].energy_budget_error < 0.2 * new.energy_budget_error


def test_gap_norm_is_refused_under_an_unknown_name():
    grid = make_grid(0.1, 10.0, 6.0)
    with pytest.raises(ValueError, match="error_norm"):
        KineticSolver(grid, [], BCSGap(LAM, CUT), options=SolverOptions(error_norm="weighted"))
