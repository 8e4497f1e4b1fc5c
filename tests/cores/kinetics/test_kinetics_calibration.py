"""Drive calibration that keeps its accepted trial (issue 16), the direct pump power of the
energy budget and the per-step caches: each compared with the path before issue 16."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from kinetics_helpers import phonons

from photosc.cores import bcs
from photosc.cores.kinetics import make_grid
from photosc.cores.kinetics.gap import BCSGap, FixedGap
from photosc.cores.kinetics.pump import Drive
from photosc.cores.kinetics.solver import KineticSolver, SolverOptions
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import fermi

TAU, T0, T_END = 0.2, 0.6, 1.2
TIMES = np.array([0.0, 0.3, 0.6, 0.9, 2.0, 6.0])
LAM, CUT = 0.3, 6.0


def _pumped_solver(grid, kT):
    """Dynamic phonons escaping in 20 ps, a BCS gap and one 2.3 meV pulse (gamma set later)."""
    bath = phonons(grid, kT, tau_esc=20.0)
    drive = Drive(2.3, 1.0, tau=TAU, t0=T0)
    opts = SolverOptions(rtol=1e-3)
    return KineticSolver(grid, [bath], BCSGap(LAM, CUT), [drive], options=opts)


@pytest.fixture(scope="module")
def setup():
    """Grid, kT (T_c / 2) and a target energy 20 x the stored energy at start: the pulse
    bleaches its absorption, the linear-response Gamma misses by about 3 %."""
    grid = make_grid(0.1, 10.0, 6.0)
    kT = 0.5 * bcs.critical_temperature(LAM, CUT)
    s = _pumped_solver(grid, kT)
    st = s.start(kT=kT)
    return grid, kT, 20.0 * s.energy(st.f, st.n, st.coherence)


def _old_path(grid, kT, energy):
    s = _pumped_solver(grid, kT)
    s.start(kT=kT)
    gamma = s.calibrate_drive(0, energy, t_end=T_END, rtol=1e-3)
    return gamma, s.run(TIMES), s


def _new_path(grid, kT, energy, loose):
    s = _pumped_solver(grid, kT)
    s.start(kT=kT)
    cal = s.calibrated_run(0, energy, T_END, TIMES, rtol=1e-3, loose=loose)
    rest = TIMES[len(cal.records) :]
    return cal, s.join([*cal.records, s.run(rest)]), s


def _assert_same_result(a, b) -> None:
    """Two KineticResults equal field by field, bit for bit (None where one is None)."""
    for name in a._fields:
        x, y = getattr(a, name), getattr(b, name)
        if x is None:
            assert y is None, name
        else:
            np.testing.assert_array_equal(x, y, err_msg=name)


def test_kept_trial_is_the_run_with_its_gamma_bit_for_bit(setup):
    """The kept trial plus the rest of the run equal a second integration from the start
    with the calibrated Gamma (the path before issue 16 after its calibration, here with
    a stop at the end of the window as the kept trial has), bit for bit: nothing but the
    repeated work is gone (BCSGap's warm start is restored before each trial). The
    Gamma matches calibrate_drive's to its rtol."""
    grid, kT, energy = setup
    g_old, old, _ = _old_path(grid, kT, energy)
    for loose in (1.0, 10.0):
        cal, new, s_new = _new_path(grid, kT, energy, loose=loose)
        assert cal.trials >= 2 if loose == 1.0 else cal.loose_trials >= 1
        ref = _pumped_solver(grid, kT)
        ref.drives = (replace(ref.drives[0], gamma=cal.gamma),)
        ref.start(kT=kT)
        # the kept trial ends at T_END, between the records: so does the reference
        inside = TIMES <= T_END
        head, _, tail = ref.run(TIMES[inside]), ref.run([T_END]), ref.run(TIMES[~inside])
        again = ref.join([head, tail])
        _assert_same_result(new, again)
        assert s_new.state.t == ref.state.t
        assert abs(cal.gamma / g_old - 1) < 2e-3


def test_loose_trials_meet_rtol_at_full_tolerance(setup):
    """Default: loose preliminary trials, one full-tolerance trial kept. Its deposited
    energy meets rtol; observables agree with the old path within the calibration's rtol
    (Gamma differs by at most about rtol, so do the pumped quantities)."""
    grid, kT, energy = setup
    g_old, old, _ = _old_path(grid, kT, energy)
    cal, new, s = _new_path(grid, kT, energy, loose=10.0)
    assert cal.loose_trials >= 1
    assert cal.deposited == pytest.approx(energy, rel=1e-3)
    assert new.absorbed[-1] == pytest.approx(energy, rel=1e-3)
    assert abs(cal.gamma / g_old - 1) < 3e-3
    np.testing.assert_allclose(new.t, old.t)
    np.testing.assert_allclose(new.absorbed, old.absorbed, rtol=3e-3, atol=1e-9)
    excess = old.qp_density - old.qp_density[0]
    np.testing.assert_allclose(
        new.qp_density - new.qp_density[0], excess, rtol=0, atol=3e-3 * np.max(excess)
    )
    d_shift = old.delta0[0] - old.delta0
    np.testing.assert_allclose(
        old.delta0[0] - new.delta0, d_shift, rtol=0, atol=3e-3 * np.max(d_shift)
    )
    assert new.energy_budget_error < s.options.budget_tol
    # the recorded budget of the kept trial continues into the rest of the run
    identity = new.energy - new.energy[0] - new.absorbed - new.exchanged - new.gap_work
    np.testing.assert_allclose(new.budget_error, identity, atol=1e-14)


def test_observe_sees_the_state_at_each_record(setup):
    grid, kT, energy = setup
    s = _pumped_solver(grid, kT)
    s.start(kT=kT)
    seen = []

    def observe(r):
        seen.append(s.state.t)
        return float(r.t[0])

    cal = s.calibrated_run(0, energy, T_END, TIMES, observe=observe)
    assert cal.records == [0.0, 0.3, 0.6, 0.9]
    assert seen[-4:] == cal.records
    assert s.state.t == T_END and s.drives[0].gamma == cal.gamma


def test_calibrated_run_refuses_bad_input_and_saturation():
    grid = make_grid(0.2, 8.0, 6.0)
    kT = 0.3
    opts = SolverOptions(rtol=1e-3, atol=1e-7)
    s = KineticSolver(grid, [], FixedGap(0.8), [Drive(2.3, 1.0, 0.2, 0.6)], options=opts)
    st = s.start(kT=kT)
    e0 = s.energy(st.f, st.n, st.coherence)
    with pytest.raises(ValueError, match="energy"):
        s.calibrated_run(0, -1.0, 1.2)
    with pytest.raises(ValueError, match="index"):
        s.calibrated_run(1, 1.0, 1.2)
    with pytest.raises(ValueError, match="loose"):
        s.calibrated_run(0, 1.0, 1.2, loose=0.5)
    with pytest.raises(ValueError, match="t_end"):
        s.calibrated_run(0, 1.0, 0.0)
    with pytest.raises(ConvergenceError, match="saturates"):
        s.calibrated_run(0, 1e4 * e0, 1.2)


def test_join_of_two_runs_equals_one_run():
    grid = make_grid(0.1, 8.0, 6.0)
    kT = 0.3
    f0 = fermi(grid.energy, kT)
    f0[(grid.energy > 3.0) & (grid.energy < 3.6)] += 0.03
    out = []
    for split in (False, True):
        s = KineticSolver(grid, [phonons(grid, kT)], FixedGap(0.8))
        s.start(f0=f0, kT=kT)
        if split:
            out.append(s.join([s.run([0.0, 1.0]), s.run([2.0, 5.0])]))
        else:
            out.append(s.run([0.0, 1.0, 2.0, 5.0]))
    a, b = out
    for name in a._fields:
        x, y = getattr(a, name), getattr(b, name)
        if x is None:
            assert y is None
        else:
            np.testing.assert_array_equal(x, y, err_msg=name)


@pytest.mark.parametrize("delta", [0.0, 0.8])
@pytest.mark.parametrize("coherence", ["current", "density"])
@pytest.mark.parametrize("form", ["classical", "paper"])
def test_direct_pump_power_equals_the_fft_evaluation(delta, coherence, form):
    """The budget's O(N) pump power against the collision operator's FFT evaluation, on
    a non-thermal state (a bump at 3 meV), with and without a gap, for photon energies
    below 2 Delta, across the grid, and off the boson grid points."""
    grid = make_grid(0.1, 8.0, 6.0)
    s = KineticSolver(grid, [phonons(grid, 0.3)], FixedGap(delta))
    st = s.start(kT=0.3)
    f = st.f.copy()
    f[30:40] += 0.2
    st = st._replace(f=f)
    for omega in (0.35, 1.23, 2.3, 5.97):
        d = Drive(omega, 1.0, math.inf, 0.0, coherence, form)
        ref = s.pump_power(d, st)
        assert ref != 0.0
        assert s.pump_power_direct(d, st) == pytest.approx(ref, rel=1e-11, abs=0)


def test_budget_uses_the_direct_pump_power(monkeypatch, setup):
    """The absorbed energy recorded with the direct pump power equals the one with the FFT
    evaluation (the path before issue 16) to round-off."""
    grid, kT, _ = setup
    out = []
    for direct in (True, False):
        s = _pumped_solver(grid, kT)
        if not direct:
            monkeypatch.setattr(s, "pump_power_direct", s.pump_power)
        s.start(kT=kT)
        out.append(s.run([0.0, 0.6, 1.2]))
    a, b = out
    assert a.absorbed[-1] > 0
    np.testing.assert_allclose(a.absorbed, b.absorbed, rtol=1e-10, atol=0)
    np.testing.assert_allclose(a.f, b.f, rtol=0, atol=1e-12)


def test_shared_expm1_phi_functions_are_bit_for_bit():
    """The step's (e^{-x}, phi1, phi2) from one expm1 equal np.exp and the separate
    _phi1, _phi2 exactly, across both series thresholds and for x < 0."""
    from photosc.cores.kinetics.etd import _exp_phi12, _phi1, _phi2

    x = np.array([0.0, 1e-9, -3e-7, 5e-7, 2e-6, -2e-5, 9e-5, 1e-4, 3e-3, 0.7, 1.0, 40.0, 700.0])
    e, p1, p2 = _exp_phi12(x)
    np.testing.assert_array_equal(e, np.exp(-x))
    np.testing.assert_array_equal(p1, _phi1(x))
    np.testing.assert_array_equal(p2, _phi2(x))


@pytest.mark.parametrize("multiple", [20.0, 60.0])
def test_secant_to_full_tolerance_saves_a_loose_trial_and_changes_nothing(setup, multiple):
    """A secant step between two loose trials, the last within rtol, goes to full
    tolerance directly (issue 16): one loose trial fewer than running the loose trial at
    that step first (``SECANT_TO_FULL = False``, the rule before), and the kept run is
    the same bit for bit (that loose trial would have met rtol / 4 and passed the same
    Gamma on). At 20x and 60x the start's energy the pulse bleaches its absorption and
    the loose trials need secant steps."""
    from photosc.cores.kinetics import solver as ks

    grid, kT, energy = setup
    energy = energy * multiple / 20.0
    out = {}
    for rule in (False, True):
        ks_rule = ks.SECANT_TO_FULL
        ks.SECANT_TO_FULL = rule
        try:
            out[rule] = _new_path(grid, kT, energy, loose=None)
        finally:
            ks.SECANT_TO_FULL = ks_rule
    (before, run_before, _), (now, run_now, _) = out[False], out[True]
    assert now.loose_trials == before.loose_trials - 1
    assert now.trials == before.trials
    assert now.gamma == before.gamma and now.deposited == before.deposited
    _assert_same_result(run_now, run_before)
