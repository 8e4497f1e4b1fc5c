"""Tests of the paper-004 models (cavity-multimode, cavity-distribution, cavity-single-mode)."""

import numpy as np
import pytest
from pydantic import ValidationError

from photosc.models import cavity_eliashberg as m
from photosc.models import get

SMALL = m.CavityNumerics(n_omega0=6, n_omega0_bcs=1, n_nodes=8)


def test_models_registered():
    for name in ("cavity-multimode", "cavity-distribution", "cavity-single-mode"):
        spec = get(name)
        assert spec.paper == "004"


def test_bcs_setup_in_tc_units():
    d0, cutoff = m.equilibrium_gap_tc(0.95, 0.25)
    from photosc.cores import bcs

    assert bcs.critical_temperature(0.25, cutoff) == pytest.approx(1.0, rel=1e-10)
    # weak coupling: Delta(0)/T_c = 1.764, Delta(T) ~ 3.06 sqrt(1 - t) near T_c
    assert bcs.delta_zero(0.25, cutoff) == pytest.approx(1.764, rel=2e-3)
    assert d0 == pytest.approx(3.063 * np.sqrt(0.05), rel=0.03)


def test_no_drive_gives_equilibrium():
    p = m.MultimodeParams(x_enhancement=0.0, t_cav_over_t_qp=[0.25, 2.0])
    out = m.run_multimode(p, SMALL)
    assert np.all(out.dataset["relative_gap_change"].values == 0.0)
    assert np.allclose(out.dataset["relative_gap_change_bcs"].values, 0.0, atol=1e-9)


def test_equal_temperatures_give_equilibrium():
    out = m.run_multimode(m.MultimodeParams(t_cav_over_t_qp=[1.0]), SMALL)
    assert np.all(out.dataset["relative_gap_change"].values == 0.0)
    assert np.allclose(out.dataset["relative_gap_change_bcs"].values, 0.0, atol=1e-9)


def test_multimode_small_run_and_conventions():
    p = m.MultimodeParams(t_cav_over_t_qp=[0.25, 1.5], omega0_over_delta0_max=4.0)
    base = m.run_multimode(p, SMALL)
    s = base.summary
    for key in ("onset_omega0_over_delta0", "max_relative_gap_change", "min_relative_gap_change"):
        assert np.isfinite(s[key])
    assert s["gl_route_difference"] < 1e-8
    gl = base.dataset["relative_gap_change"].values
    # hot photons (1.5 T_qp) break pairs: suppression; cold ones enhance at high omega_0
    assert np.all(gl[1] < 0)
    assert gl[0, -1] > 0
    eq1 = m.run_multimode(p.model_copy(update={"dos_convention": "eq1"}), SMALL)
    assert np.allclose(eq1.dataset["relative_gap_change"].values, 2 * gl, rtol=1e-12)
    quoted = m.run_multimode(p.model_copy(update={"j_normalisation": "quoted"}), SMALL)
    assert np.allclose(quoted.dataset["relative_gap_change"].values, gl * np.pi / 4, rtol=1e-12)


def test_full_bcs_close_to_gl_in_model():
    p = m.MultimodeParams(t_qp_over_tc=0.99, t_cav_over_t_qp=[0.25], x_enhancement=1.0)
    out = m.run_multimode(p, m.CavityNumerics(n_omega0=4, n_omega0_bcs=2, n_nodes=8))
    ds = out.dataset
    gl = ds["relative_gap_change"].sel(omega0_over_delta0=ds["omega0_over_delta0_bcs"]).values
    full = ds["relative_gap_change_bcs"].values
    assert np.allclose(full, gl, rtol=0.01)


def test_onset_helper():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert m.onset(x, np.array([-1.0, -1.0, 1.0, 2.0])) == (True, pytest.approx(2.5))
    assert m.onset(x, np.array([1.0, -1.0, 1.0, 2.0])) == (True, pytest.approx(2.5))
    assert m.onset(x, np.array([1.0, 1.0, 1.0, 2.0])) == (True, 1.0)
    assert m.onset(x, np.array([1.0, 1.0, 1.0, -2.0])) == (False, 4.0)


def test_distribution_kinks_and_signs():
    p = m.DistributionParams()
    out = m.run_distribution(p, m.DistributionNumerics(n_energy=500, n_nodes=8, full_bcs=True))
    s = out.summary
    step = (p.omega0_high_over_delta0 + 2.0) / 499
    assert len(s["kinks_over_delta0"]) == 3
    assert np.allclose(s["kinks_over_delta0"], s["expected_kinks_over_delta0"], atol=1.5 * step)
    assert s["gap_change_sign_low"] == -1
    assert s["gap_change_sign_high"] == 1
    assert s["relative_gap_change_bcs_low"] == pytest.approx(s["relative_gap_change_low"], rel=0.05)


def test_single_mode_small_run():
    p = m.SingleModeParams(t_cav_over_t_qp=[0.5, 2.0], omega0_over_delta0_max=3.0)
    out = m.run_single_mode(p, m.CavityNumerics(n_omega0=6, n_omega0_bcs=0, n_nodes=8))
    s = out.summary
    assert out.dataset["relative_gap_change"].shape == (2, 2, 6)
    # narrow line, hot photons below 2 Delta_0: classical Eliashberg enhancement
    assert s["max_relative_gap_change_hot_narrow"] > 0
    assert s["gl_route_difference"] < 1e-8


def test_bad_parameters_name_the_field():
    with pytest.raises(ValidationError, match="t_qp_over_tc"):
        m.MultimodeParams(t_qp_over_tc=1.2)
    with pytest.raises(ValidationError, match="t_cav_over_t_qp"):
        m.MultimodeParams(t_cav_over_t_qp=[0.5, -0.1])
    with pytest.raises(ValidationError, match="omega_integration"):
        m.MultimodeParams(omega_integration="both")
    with pytest.raises(ValidationError, match="omega0_low_over_delta0"):
        m.DistributionParams(omega0_low_over_delta0=2.5)
    with pytest.raises(ValidationError, match="linewidth_over_omega0"):
        m.SingleModeParams(linewidth_over_omega0=0.0)
    with pytest.raises(ValidationError, match="tolerance|unknown|extra"):
        m.CavityNumerics(tolerance=1.0)


# --------------------------------------------------------------------------------------
# full paper reproductions (deselected by default)
# --------------------------------------------------------------------------------------
@pytest.mark.paper
@pytest.mark.parametrize("name", ["cavity-multimode", "cavity-distribution", "cavity-single-mode"])
def test_paper_scenario_checks(name, tmp_path):
    import photosc
    from photosc.config import load_scenario
    from photosc.reproduce import evaluate_check

    sc = load_scenario(name)
    res = photosc.run(name, out=tmp_path / name)
    for check in sc.paper_table["checks"]:
        r = evaluate_check(check, res.summary)
        assert r.status in ("agrees", "known deviation"), (check["key"], r)
