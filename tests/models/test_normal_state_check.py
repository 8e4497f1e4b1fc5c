"""'Is the normal state still stable?' by the pairing eigenvalue (issue 16).

The "new" path is the default: the eigenvalue where its sensitivity bound does not
already decide (``EliashbergGap.bound_safety``).

The photo-induced-gap model's gap update answers the question with lambda_max of the
linearised gap equation (``EliashbergGap.stability_margin``) instead of a seeded
non-linear solve. Each K3C60 pump run (paper 001 Fig. 3a parameters on the coarse
2 meV test grid) is integrated with the reference path (``stability_margin = None``: a
seeded solve at every normal-state check) and with the eigenvalue check, in the same
process: the observables the scenarios read (Delta_0(t), max |Delta|(t), the state
labels, lambda_max(t)) agree within the Eliashberg tolerance, and the counters say how
many solves were skipped.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from photosc.models import photoinduced_gap as pg

sim = importlib.import_module("photosc.models.photoinduced_gap.simulate")

NUM = {
    "step": "2 meV",
    "n_times": 9,
    "e_max_over_pump": 1.6,
    "calibration_rtol": 0.05,
    "rtol": 1e-2,
    "atol": 1e-5,
    "normal_check_tol": 0.03,
}


class _Counting(sim.SeededEliashbergGap):
    """The model's gap update, remembering its instances."""

    made: list = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _Counting.made.append(self)


@pytest.fixture(scope="module")
def k3c60():
    params = pg.GapTransientParams(
        material="K3C60",
        pump_energy="170 meV",
        pump_duration="300 fs",
        fluence="1.1 mJ/cm^2",
        pump_form="printed",
        duration="0.8 ps",
        pump_delay="0.4 ps",
    )
    mat = pg.resolve_material(params)
    return params, mat, pg.make_eliashberg(mat, 2.0), pg.PumpNumerics(**NUM)


def _both(k3c60, temperature: float, fluence: float) -> dict:
    """The run with the reference path ('old') and with the eigenvalue check ('new')."""
    params, mat, solver, num = k3c60
    out = {}
    saved = sim.SeededEliashbergGap
    try:
        sim.SeededEliashbergGap = _Counting
        for label, margin in (("old", None), ("new", sim.STABILITY_MARGIN)):
            _Counting.stability_margin = margin
            _Counting.made.clear()
            run = pg.simulate(
                mat, params, num, temperature=temperature, pump_energy=170.0,
                fluence=fluence, eliashberg=solver,
            )  # fmt: skip
            out[label] = (run, _Counting.made[-1])
    finally:
        sim.SeededEliashbergGap = saved
    return out


@pytest.fixture(scope="module")
def above_tc(k3c60):
    return _both(k3c60, 30.0, 1.1)


@pytest.fixture(scope="module")
def photoinduced(k3c60):
    return _both(k3c60, 16.0, 1.1)


def _agree(runs: dict, tol: float) -> None:
    (old, _), (new, _) = runs["old"], runs["new"]
    assert new.state == old.state
    scale = max(float(np.max(np.abs(old.delta_max))), 1.0)
    np.testing.assert_allclose(new.delta0, old.delta0, rtol=0, atol=tol * scale)
    np.testing.assert_allclose(new.delta_max, old.delta_max, rtol=0, atol=tol * scale)
    # lambda_max(t): warm-started at other vectors, to the record's residual 1e-8
    np.testing.assert_allclose(new.pairing_eigenvalue, old.pairing_eigenvalue, rtol=1e-7)
    np.testing.assert_allclose(new.f, old.f, rtol=0, atol=1e-9)


@pytest.mark.slow
def test_above_tc_the_normal_checks_need_no_solve(above_tc):
    """30 K > T_c0 = 15 K, the scenario's fluence: lambda_max stays below 1 and the run
    stays normal; every seeded solve of the reference path after the first (the start,
    previous = None) is answered by the eigenvalue, with identical results."""
    (old, g_old), (new, g_new) = above_tc["old"], above_tc["new"]
    assert set(old.state) == {"normal"}
    assert np.max(old.pairing_eigenvalue) < 1.0 - sim.STABILITY_MARGIN
    # the reference path's seeded solves (11 here since the drive calibration holds the
    # gap fixed in its loose trials) all collapse to the normal state
    assert g_old.solves > 5 and g_old.stable == 0
    assert g_new.solves == 1
    assert g_new.stable == g_old.solves - 1  # the same checks, answered by lambda_max
    assert g_new.skipped == g_old.skipped
    # most of those checks are answered by the sensitivity bound, without the eigenvalue
    assert 0 < g_new.bounded < g_new.stable
    np.testing.assert_array_equal(new.delta0, old.delta0)
    _agree(above_tc, pg.PumpNumerics().eliashberg_tol)


@pytest.mark.slow
def test_a_normal_state_that_is_unstable_still_finds_the_photoinduced_gap(photoinduced):
    """16 K (above T_c0 = 15 K): the pump drives lambda_max above 1 and the seeded solve finds
    the photo-induced (gapless) superconducting state at the same times as the reference
    path, with the same max |Delta|(t) within the Eliashberg tolerance."""
    (old, g_old), (new, g_new) = photoinduced["old"], photoinduced["new"]
    assert old.state[0] == "normal"
    assert set(old.state) - {"normal"}  # a superconducting state appears
    assert np.max(old.pairing_eigenvalue) > 1.0
    assert float(np.max(new.delta_max)) > 0.1  # meV
    assert g_new.stable > 0 and g_new.solves < g_old.solves
    _agree(photoinduced, pg.PumpNumerics().eliashberg_tol)


@pytest.mark.slow
def test_below_tc_the_gapped_run_is_unchanged(k3c60):
    """8 K < T_c0, 0.01 mJ/cm^2 (benchmarks/bench_photoinduced.py's gapped run): the
    recorded states stay gapped (only an over-driven trial of the Gamma_pump calibration
    reaches the normal state, where the eigenvalue answers the checks) and Delta_0(t)
    and f(t) are the reference path's, bit for bit (the normal states' N = 1, P = 0 are
    exact in both)."""
    runs = _both(k3c60, 8.0, 0.01)
    (old, g_old), (new, g_new) = runs["old"], runs["new"]
    assert set(old.state) == {"gapped"} and float(np.min(old.delta0)) > 1.0
    assert g_new.solves + g_new.stable == g_old.solves and g_old.stable == 0
    np.testing.assert_array_equal(new.delta0, old.delta0)
    np.testing.assert_array_equal(new.f, old.f)
    _agree(runs, pg.PumpNumerics().eliashberg_tol)
