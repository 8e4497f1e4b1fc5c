"""Paper-003 models: consistency with the core, Eq. 12/16 structure, dynamical check, errors."""

from __future__ import annotations

import numpy as np
import pydantic
import pytest

from photosc.cores.bands import honeycomb as hc
from photosc.errors import ConfigError
from photosc.models import get
from photosc.models import valley_driven as vd

SMALL = vd.CriticalNumerics(
    n_rabi=3, n_check_rabi=2, n_linear=12, n_nonlinear=8, t_nonlinear_over_gamma=0.2
)
SMALL_PARAMS = vd.CriticalParams(rabi_over_gamma_max=10.0, check_v_over_vc=[-2.0, 2.0])


@pytest.fixture(scope="module")
def critical():
    return vd.run_critical(SMALL_PARAMS, SMALL)


def test_registered():
    for name in ("valley-dichroism", "valley-critical-coupling", "valley-fast-relaxation"):
        assert get(name).paper == "003"


def test_dichroism_summary():
    out = vd.run_dichroism(vd.DichroismParams(delta_over_t=[0.5, 5.0]), vd.DichroismNumerics(
        n_k=21, n_zone=16))  # fmt: skip
    assert out.summary["eta_k_plus"] == 1.0
    assert out.summary["eta_k_minus"] == -1.0
    assert out.summary["positive_fraction_per_delta"] == [0.5, 0.5]
    eta = out.dataset["eta"].values
    assert np.all(np.abs(eta) <= 1.0)


def test_critical_couplings_follow_eq16_for_equal_rates(critical):
    ds, s = critical.dataset, critical.summary
    fp = ds["f_plus"].values
    np.testing.assert_allclose(ds["f_minus"].values, -fp, rtol=1e-12)
    np.testing.assert_allclose(ds["f_plus_eq14"].values, fp, rtol=1e-9)  # T = 0
    for j, v in enumerate(ds["v"].values):
        np.testing.assert_allclose(ds["vc_positive"].values[j], np.sqrt(v**2 + 1 / fp**2))
        np.testing.assert_allclose(ds["vc_negative"].values[j], -np.sqrt(v**2 + 1 / fp**2))
    assert s["vc_positive_strong_drive"][0] == pytest.approx(1 / fp[-1])
    assert s["f_minus_over_f_plus"] == pytest.approx(-1.0)


def test_weak_drive_f_plus_scales_as_omega_squared():
    p = vd.CriticalParams(rabi_over_gamma_min=0.01, rabi_over_gamma_max=0.02)
    c = vd._common(p)
    gam = p.gamma1 + p.gamma2
    f1 = hc.f_pm_dos(rabi=0.01 * gam, **c).f_plus
    f2 = hc.f_pm_dos(rabi=0.02 * gam, **c).f_plus
    assert f2 / f1 == pytest.approx(4.0, rel=1e-3)


def test_dynamical_check_outputs(critical):
    s = critical.summary
    gam = SMALL_PARAMS.gamma1 + SMALL_PARAMS.gamma2
    # v = 0: the seeded gap decays at ~Gamma (no onset at V = 2 V_c of Eq. 16)
    assert s["seed_grows_v0_strong_drive"] is False
    assert s["growth_rate_v0_strong_drive_over_gamma"] == pytest.approx(-1.0, abs=0.05)
    assert s["max_growth_rate_v0_over_gamma"] < 0
    # nonlinear bands-core run follows the linearisation for the small seed
    assert s["nonlinear_vs_linear_max_rel_diff"] < 1e-4
    assert s["nonlinear_amplification"] < 1.0
    # Eq. 9 drops an imaginary part as large as its real part at mu = -Gamma/2
    assert s["eq9_dropped_imag_over_real"] == pytest.approx(1.0, rel=1e-9)
    assert critical.dataset["growth_rate"].attrs["units"] == "1"
    assert gam > 0


def test_unequal_rates_give_asymmetric_branches():
    p = vd.CriticalParams(gamma1=5e-4, gamma2=1.5e-3, rabi_over_gamma_max=10.0, intervalley=[0.2])
    out = vd.run_critical(p, vd.CriticalNumerics(
        n_rabi=2, n_check_rabi=1, n_linear=8, t_nonlinear_over_gamma=0.0))  # fmt: skip
    ds = out.dataset
    fp, fm = ds["f_plus"].values, ds["f_minus"].values
    np.testing.assert_allclose(fm / fp, -p.gamma2 / p.gamma1, rtol=1e-9)  # Eq. 15
    pos, neg = ds["vc_positive"].values[0], ds["vc_negative"].values[0]
    assert np.all(np.abs(np.abs(pos) - np.abs(neg)) > 1e-6)
    for V in (pos[-1], neg[-1]):
        m = np.array([[V * fp[-1], 0.2 * fm[-1]], [0.2 * fp[-1], V * fm[-1]]])
        assert abs(np.linalg.det(np.eye(2) - m)) < 1e-9


def test_fast_relaxation():
    out = vd.run_fast(vd.FastRelaxationParams(), vd.FastRelaxationNumerics(n_mu2=3))
    s = out.summary
    assert s["two_branches_opposite_sign"] is True
    assert s["mu1_mu2_ref"] == pytest.approx(-0.2, abs=1e-9)
    assert s["f_minus_over_f_plus_mu2_ref"] == pytest.approx(-1.0, rel=1e-6)
    assert 0 < s["valley_polarisation_mu2_ref"] < 0.01
    vc = out.dataset["vc_positive"].values
    assert np.all(np.diff(vc[0]) < 0)  # more excitation, smaller V_c


def test_bad_input_is_named():
    with pytest.raises(ConfigError, match="mu_over_gamma"):
        vd.run_critical(vd.CriticalParams(mu_over_gamma=0.5), SMALL)
    with pytest.raises(ConfigError, match="rabi_over_gamma_max"):
        vd.run_critical(vd.CriticalParams(rabi_over_gamma_min=10.0, rabi_over_gamma_max=1.0), SMALL)
    with pytest.raises(pydantic.ValidationError, match="intervalley"):
        vd.CriticalParams(intervalley=[-1.0])
    with pytest.raises(pydantic.ValidationError, match="gamma1"):
        vd.CriticalParams(gamma1=0.0)
    with pytest.raises(pydantic.ValidationError, match="delta_over_t"):
        vd.DichroismParams(delta_over_t=[0.0])
    with pytest.raises(pydantic.ValidationError):
        vd.CriticalParams(unknown=1.0)
    with pytest.raises(ConfigError, match="mu2_max_over_t"):
        vd.run_fast(vd.FastRelaxationParams(mu2_max_over_t=0.1), vd.FastRelaxationNumerics())


def _paper_point(v: float, V: float, n: int = 40) -> float:
    """Growth rate / Gamma at the paper's Fig. 3a parameters, Omega/Gamma = 1000."""
    gam = 2e-3
    kw = dict(mu=-gam / 2, omega0=5.0, gamma1=gam / 2, gamma2=gam / 2, kT=0.0)
    rabi = 1000 * gam
    grid = hc.valley_energy_grid(1.0, 5.0, 2.5, 0.5 * np.hypot(2 * rabi, gam), n)
    lin = hc.pair_linearization(grid, rabi=rabi, V=V, v=v, **kw)
    return hc.pair_growth_rate(lin).rate / gam


@pytest.mark.slow
def test_paper_point_seed_decays_without_intervalley_coupling():
    """Fig. 3a, v = 0: no growth at V = +-2 V_c(Eq. 16) nor at strong coupling |V| = 2 t."""
    gam = 2e-3
    c = vd._common(vd.CriticalParams())
    vc = 1 / hc.f_pm_dos(rabi=1000 * gam, **c).f_plus
    for V in (2 * vc, -2 * vc, 2.0, -2.0):
        assert _paper_point(0.0, V) < -0.9


@pytest.mark.slow
def test_paper_point_intervalley_coupling_enables_growth_at_strong_coupling():
    """v = t/2: a seed grows for V = -t (the finding reported in the scenario)."""
    assert _paper_point(0.5, -1.0, n=60) > 0.5
    assert _paper_point(0.5, 1.0, n=60) < 0
