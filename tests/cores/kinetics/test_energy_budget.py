"""The energy budget of the kinetics (issue 12, section 1).

absorbed = stored in quasi-particles + stored in phonons + escaped (+ the energy steps at
the gap updates), recorded in every KineticResult; a run that breaks it fails loudly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from kinetics_helpers import phonons

from photosc.cores import bcs
from photosc.cores.kinetics import make_grid
from photosc.cores.kinetics.etd import _step_integral
from photosc.cores.kinetics.gap import BCSGap, FixedGap
from photosc.cores.kinetics.pump import Drive
from photosc.cores.kinetics.solver import KineticSolver, SolverOptions
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import fermi


def _hot_tail(grid, kT, e0=20.0, width=2.0, amp=1e-3):
    """Thermal f plus a weak, hot population near e0 (meV): a cascading tail."""
    f = fermi(grid.energy, kT)
    return np.minimum(f + amp * np.exp(-(((grid.energy - e0) / width) ** 2)), 1.0)


def test_step_integral_exact_for_exponential_and_linear():
    a, b, dt = 2.0, 0.7, 3.0
    exact = a * (1 - math.exp(-b * dt)) / b
    assert _step_integral(a, a * math.exp(-b * dt), dt) == pytest.approx(exact, rel=1e-12)
    assert _step_integral(1.0, -1.0, 2.0) == 0.0  # sign change: trapezoid
    assert _step_integral(1.0, 3.0, 2.0) != pytest.approx(4.0)  # log mean, not trapezoid
    assert _step_integral(1.0, 1.0, 2.0) == pytest.approx(2.0)


def test_energy_constant_without_pump_and_escape():
    """Closed system: the quasi-particle + phonon energy is constant; nothing is absorbed or
    exchanged, so the budget error is the stored-energy drift itself (no quadrature). The
    drift is within the budget tolerance and shrinks with energy_rtol (the control works)."""
    grid = make_grid(0.1, 30.0, 6.0)
    kT = 0.3
    drifts = []
    for erel in (1e-4, 1e-5):
        opts = SolverOptions(energy_rtol=erel)
        s = KineticSolver(grid, [phonons(grid, kT)], FixedGap(0.8), options=opts)
        s.start(f0=_hot_tail(grid, kT), kT=kT)
        res = s.run([0.0, 1.0, 10.0, 100.0])
        assert np.all(res.absorbed == 0) and np.all(res.exchanged == 0)
        assert np.all(res.gap_work == 0)
        drift = res.energy - res.energy[0]
        np.testing.assert_allclose(res.budget_error, drift, rtol=0, atol=1e-15 * res.energy[0])
        assert res.energy_budget_error < 1e-3
        drifts.append(np.max(np.abs(drift)))
        # energy did move between quasi-particles and phonons (the test is not trivial)
        e_qp = [s.z * grid.step * np.sum(grid.energy * f * (grid.energy > 0.8)) for f in res.f]
        assert abs(e_qp[-1] - e_qp[0]) > 0.1 * e_qp[0]
    assert drifts[1] < 0.3 * drifts[0]


def test_pumped_run_conserves_energy_with_escape():
    """Pulse at 25 meV into a 0.1 meV grid, dynamic phonons escaping in 20 ps, to 400 ps:
    stored(t) - stored(0) = absorbed - escaped (+ gap work) within the budget tolerance,
    and the absorbed energy is the drive power integrated independently of the state."""
    lam, cut = 0.3, 6.0
    grid = make_grid(0.1, 40.0, 30.0)
    kT = 0.5 * bcs.critical_temperature(lam, cut)
    bath = phonons(grid, kT, tau_esc=20.0)
    drive = Drive(25.0, 1.0, tau=0.5, t0=2.0)
    s = KineticSolver(grid, [bath], BCSGap(lam, cut), [drive], options=SolverOptions(rtol=1e-3))
    s.start(kT=kT)
    s.calibrate_drive(0, 0.02, t_end=4.0)
    res = s.run([0.0, 1.0, 2.0, 4.0, 20.0, 100.0, 400.0])
    assert res.absorbed[-1] == pytest.approx(0.02, rel=2e-3)
    assert res.exchanged[-1] < -0.2 * res.absorbed[-1]  # escape through the phonons
    identity = res.energy - res.energy[0] - res.absorbed - res.exchanged - res.gap_work
    np.testing.assert_allclose(res.budget_error, identity, atol=1e-14)
    assert res.energy_budget_error < 1e-3
    assert res.energy_budget_error == pytest.approx(
        np.max(np.abs(res.budget_error)) / s.budget_scale(), rel=1e-12
    )
    assert s.budget_scale() >= res.absorbed[-1]


def test_absolute_floor_creates_energy_and_fails_loudly():
    """The scheme before issue 12 (error against atol + rtol |f| with atol = 1e-6) leaves a
    hot tail at f ~ 1e-6 unchecked and creates energy; the budget check catches it. The
    deviation norm, with a floor below the tail and the energy criterion, keeps the same
    run within budget_tol."""
    grid = make_grid(0.1, 60.0, 6.0)
    kT = 0.3
    f0 = _hot_tail(grid, kT, e0=50.0, width=3.0, amp=2e-6)

    def run(**kw):
        opts = SolverOptions(rtol=1e-3, **kw)
        s = KineticSolver(grid, [phonons(grid, kT, tau_esc=50.0)], FixedGap(0.8), options=opts)
        s.start(f0=f0, kT=kT)
        return s.run([0.0, 5.0, 50.0, 300.0])

    loose = run(error_norm="absolute", atol=1e-6, budget_tol=math.inf)
    assert loose.energy_budget_error > 1e-2
    with pytest.raises(ConvergenceError, match="energy budget violated"):
        run(error_norm="absolute", atol=1e-6)
    good = run(atol=1e-10)
    assert good.energy_budget_error < 1e-3


def test_gap_updates_enter_as_gap_work():
    """With a self-consistent BCS gap the energy steps at the gap updates are recorded
    separately; the integration error stays small."""
    lam, cut = 0.3, 6.0
    grid = make_grid(0.05, 15.0, 8.0)
    kT = 0.8 * bcs.critical_temperature(lam, cut)
    s = KineticSolver(grid, [phonons(grid, kT)], BCSGap(lam, cut), options=SolverOptions())
    f0 = _hot_tail(grid, kT, e0=4.0, width=0.5, amp=0.02)
    s.start(f0=f0, kT=kT)
    res = s.run([0.0, 2.0, 20.0])
    assert res.gap_updates > 1 and np.any(res.gap_work != 0)
    assert res.energy_budget_error < 1e-3


def test_budget_options_are_checked():
    grid = make_grid(0.1, 8.0, 6.0)
    with pytest.raises(ValueError, match="error_norm"):
        KineticSolver(grid, [], FixedGap(0.5), options=SolverOptions(error_norm="l2"))
    with pytest.raises(ValueError, match="budget_tol"):
        KineticSolver(grid, [], FixedGap(0.5), options=SolverOptions(budget_tol=0.0))


def test_budget_scale_before_the_pulse_is_the_energy_the_pulse_will_deposit():
    """Before a pulse has delivered much, the budget is measured against the energy it will
    deposit (expected_drive_energy), not the little that has flowed so far: otherwise the
    round-off of the first steps of a weak pulse on a warm grid reads as a violation. For a
    weak pulse (no bleaching) the expectation is the absorbed energy itself."""
    lam, cut = 0.3, 6.0
    grid = make_grid(0.1, 40.0, 30.0)
    kT = 0.5 * bcs.critical_temperature(lam, cut)
    drive = Drive(25.0, 1.0, tau=0.5, t0=2.0)
    s = KineticSolver(grid, [phonons(grid, kT)], BCSGap(lam, cut), [drive])
    s.start(kT=kT)
    s.calibrate_drive(0, 1e-4, t_end=4.0)
    expected = s.expected_drive_energy()
    assert s.budget_scale() == pytest.approx(expected)
    s.drives = (Drive(25.0, 2 * s.drives[0].gamma, tau=0.5, t0=2.0),)
    assert s.expected_drive_energy() == pytest.approx(2 * expected, rel=1e-12)  # not stale
    s.drives = (Drive(25.0, s.drives[0].gamma / 2, tau=0.5, t0=2.0),)
    res = s.run([0.0, 1.0, 4.0, 8.0])
    assert res.absorbed[-1] == pytest.approx(expected, rel=1e-2)
    assert res.absorbed[1] < 1e-3 * expected  # the first record: almost nothing yet
    # a continuous drive has no finite total: it sets no floor
    s.drives = (Drive(25.0, 1.0, tau=math.inf, t0=0.0),)
    assert s.expected_drive_energy() == 0.0
