"""Issue 16: the pump runs keep the accepted calibration trial (``calibration="continue"``)
instead of integrating the pulse window again (``"rerun"``, the path before): the paper
scenarios' observables of both paths agree within the calibration's tolerance."""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores import spectra
from photosc.errors import ConfigError
from photosc.models import photoinduced_gap as pg
from photosc.pipeline.kinetics import run_kinetics

TINY = {
    "step": "2 meV",
    "n_times": 6,
    "e_max_over_pump": 1.6,
    "calibration_rtol": 0.01,
    "rtol": 1e-2,
    "atol": 1e-5,
    "normal_check_tol": 0.03,
}


@pytest.fixture(scope="module")
def k3c60():
    params = pg.GapTransientParams(
        temperatures=[8.0], duration="0.6 ps", pump_delay="0.3 ps", pump_form="printed"
    )
    mat = pg.resolve_material(params)
    return params, mat, pg.make_eliashberg(mat, 2.0)


def test_simulate_continue_matches_rerun(k3c60):
    """Below T_c (8 K), printed pump: Delta_0(t) rises and falls; Gamma, the deposited
    energy, Delta_0(t), the quasi-particle density and the budget of both paths agree
    within calibration_rtol (Gamma differs by at most about that; the pumped changes
    scale with it)."""
    params, mat, solver = k3c60
    num = pg.PumpNumerics(**TINY)
    runs = {
        c: pg.simulate(
            mat, params, num, temperature=8.0, pump_energy=170.0, fluence=0.003,
            eliashberg=solver, calibration=c,
        )
        for c in ("rerun", "continue")
    }  # fmt: skip
    old, new = runs["rerun"], runs["continue"]
    tol = num.calibration_rtol
    assert new.gamma == pytest.approx(old.gamma, rel=2 * tol)
    assert new.deposited == pytest.approx(new.target, rel=tol)
    np.testing.assert_allclose(new.t, old.t)
    rise = old.delta0 - old.delta0[0]
    assert np.max(np.abs(rise)) > 1e-2  # the pump moves the gap (the test is not trivial)
    np.testing.assert_allclose(new.delta0[0], old.delta0[0], rtol=1e-12)
    np.testing.assert_allclose(
        new.delta0 - new.delta0[0], rise, rtol=0, atol=2 * tol * np.max(np.abs(rise))
    )
    excess = old.qp_density - old.qp_density[0]
    np.testing.assert_allclose(
        new.qp_density - new.qp_density[0], excess, rtol=0, atol=2 * tol * np.max(excess)
    )
    assert new.energy_budget_error < 1e-3 and old.energy_budget_error < 1e-3
    assert new.state == old.state


def test_run_kinetics_continue_matches_rerun():
    """The pump-probe kinetics (Pb, coarse grid): both calibration paths give the same
    trace within the calibration's rtol 1e-3."""
    sp = spectra.builtin("Pb")
    kw = {
        "n0_per_ev_nm3": sp.material.n0_per_ev_nm3,
        "injection_energy": 12.0,
        "tau_pump": 2.0,
        "energy_density": 2e-4,
        "tau_esc": 500.0,
        "delays": np.array([-6.0, -1.0, 0.0, 2.0, 5.0, 20.0]),
        "step": 0.2,
        "e_max": 20.0,
        "rtol": 3e-3,
        "gap_tol": 1e-5,
    }
    old = run_kinetics(sp, 4.0, calibration="rerun", **kw)
    new = run_kinetics(sp, 4.0, **kw)
    assert new.gamma_pump == pytest.approx(old.gamma_pump, rel=2e-3)
    np.testing.assert_allclose(new.time, old.time)
    dip = old.delta0[0] - old.delta0
    assert np.max(dip) > 1e-3
    np.testing.assert_allclose(new.delta0[0] - new.delta0, dip, rtol=0, atol=5e-3 * np.max(dip))
    assert new.absorbed[-1] == pytest.approx(old.absorbed[-1], rel=2e-3)
    assert new.energy_budget_error < 1e-3
    with pytest.raises(ConfigError, match="calibration"):
        run_kinetics(sp, 4.0, calibration="twice", **kw)
