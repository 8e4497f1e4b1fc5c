"""The optical-conductivity model: consistency with the core, limits, parameters, errors."""

from __future__ import annotations

import numpy as np
import pydantic
import pytest

from photosc.cores import bcs
from photosc.cores import optics as cd
from photosc.errors import ConfigError
from photosc.foundation.units import KB
from photosc.models import get
from photosc.models.optical_conductivity import (
    OpticalConductivityNumerics,
    OpticalConductivityParams,
    run,
)

SMALL = OpticalConductivityNumerics(n_omega=40, n_sum_rule=200, n_quad=64, n_quad_nam=32)


@pytest.fixture(scope="module")
def default_run():
    return run(OpticalConductivityParams(), SMALL)


def test_registered():
    spec = get("optical-conductivity")
    assert spec.paper == "001"


def test_summary_is_mattis_bardeen_at_the_probe_frequencies(default_run):
    p = OpticalConductivityParams()
    s = default_run.summary
    ktc = bcs.critical_temperature(p.coupling, p.cutoff)
    delta = float(bcs.equilibrium_gap(np.array([0.5 * ktc]), p.coupling, p.cutoff)[0])
    assert s["delta_meV"] == pytest.approx(delta, rel=1e-12)
    w = np.asarray(p.probe_frequencies_over_delta) * delta
    ref = cd.mattis_bardeen(w, delta, cd.thermal_occupation(0.5 * ktc), energy_max=60 * delta)
    np.testing.assert_allclose(s["sigma1_over_sigman"], ref.real, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(s["sigma2_over_sigman"], ref.imag, rtol=1e-6)
    assert len(s["sigma1_nam_over_sigman"]) == len(w)


def test_limits_and_sum_rules(default_run):
    s = default_run.summary
    assert s["fgt_sum_rule_ratio"] == pytest.approx(1.0, abs=2e-3)
    assert s["fgt_sum_rule_ratio_nam"] == pytest.approx(1.0, abs=3e-3)
    assert s["sigma2_low_frequency_ratio"] == pytest.approx(1.0, abs=1e-3)
    assert s["max_sigma1_below_2delta_at_t0"] == 0.0
    assert s["sigma1_over_sigman_at_100_delta"] == pytest.approx(1.0, abs=2e-3)


def test_dataset_film_energy_balance_and_glover_tinkham_peak(default_run):
    ds = default_run.dataset
    total = ds["reflectance"] + ds["transmittance"] + ds["absorptance"]
    np.testing.assert_allclose(total.values, 1.0, atol=1e-12)
    assert float(ds["absorptance"].min()) >= 0
    ratio = (ds["transmittance"] / ds["transmittance_normal"]).values
    x = ds["omega_over_delta"].values
    # thin superconducting film: screened at low frequency, transmits more than the
    # normal film near the gap (Glover and Tinkham 1957)
    assert ratio[0] < 0.1
    assert 1.5 < x[np.argmax(ratio)] < 3.5 and ratio.max() > 1.0
    for name in ds.variables:
        assert ds[name].attrs["units"] and ds[name].attrs["long_name"]


def test_nam_tends_to_mattis_bardeen_for_short_mean_free_path():
    p = OpticalConductivityParams(scattering_rate="1e5 meV", t_over_tc=0.3)
    s = run(p, SMALL).summary
    np.testing.assert_allclose(s["sigma1_nam_over_sigman"], s["sigma1_over_sigman"], atol=1e-4)


def test_excess_quasiparticles_change_the_spectrum():
    """lambda < 0: the self-consistent gap shrinks, sigma_1 below 2 Delta grows, the limits hold."""
    base = run(OpticalConductivityParams(t_over_tc=0.3), SMALL).summary
    pumped = run(OpticalConductivityParams(t_over_tc=0.3, lambda_over_delta=-0.5), SMALL).summary
    b1, p1 = np.array(base["sigma1_over_sigman"]), np.array(pumped["sigma1_over_sigman"])
    b2, p2 = np.array(base["sigma2_over_sigman"]), np.array(pumped["sigma2_over_sigman"])
    assert np.all(p1[:3] > b1[:3])  # more sub-gap absorption by quasi-particles
    assert np.all(p2[:3] < b2[:3])  # less superfluid response
    assert pumped["delta_meV"] < base["delta_meV"]
    assert pumped["fgt_sum_rule_ratio"] == pytest.approx(1.0, abs=2e-3)
    assert pumped["sigma2_low_frequency_ratio"] == pytest.approx(1.0, abs=1e-3)


def test_temperature_reduces_superfluid_weight():
    """w sigma_2 at the lowest grid frequency tracks pi Delta tanh(Delta/2kT) and falls with T."""
    weights = []
    for t in (0.2, 0.5, 0.8):
        fine = SMALL.model_copy(update={"n_omega": 400})  # lowest point 0.02 Delta
        out = run(OpticalConductivityParams(t_over_tc=t), fine)
        ds, s = out.dataset, out.summary
        w0 = float(ds["omega"][0])
        weight = w0 * float(ds["sigma2_mb"][0])
        d, kt = s["delta_meV"], s["temperature_K"] * KB
        assert weight == pytest.approx(np.pi * d * np.tanh(d / (2 * kt)), rel=0.02)
        weights.append(weight)
    assert weights[0] > weights[1] > weights[2]


def test_parameter_errors_name_the_field():
    with pytest.raises(pydantic.ValidationError, match="t_over_tc"):
        OpticalConductivityParams(t_over_tc=1.2)
    with pytest.raises(pydantic.ValidationError, match="probe_frequencies_over_delta"):
        OpticalConductivityParams(probe_frequencies_over_delta=[1.0, -2.0])
    with pytest.raises(pydantic.ValidationError, match="gap_model"):
        OpticalConductivityParams(gap_model="dft")
    with pytest.raises(pydantic.ValidationError, match="probe_frequency"):
        OpticalConductivityParams(probe_frequency=3.0)
    with pytest.raises(pydantic.ValidationError, match="material"):
        OpticalConductivityParams(gap_model="eliashberg", material="Unobtainium")
    with pytest.raises(pydantic.ValidationError, match="rho_n"):
        OpticalConductivityParams(rho_n="3 meV")
    with pytest.raises(ConfigError, match="lambda_over_delta"):
        run(OpticalConductivityParams(t_over_tc=0.0, lambda_over_delta=-1.0), SMALL)
    with pytest.raises(ConfigError, match="gap vanishes"):
        run(OpticalConductivityParams(t_over_tc=0.3, lambda_over_delta=-1.0), SMALL)


def test_units_are_parsed():
    p = OpticalConductivityParams(rho_n="3 uohm * cm", film_thickness="0.02 um")
    assert p.rho_n == pytest.approx(30.0)
    assert p.film_thickness == pytest.approx(20.0)


@pytest.mark.slow
def test_eliashberg_gap_model_pb():
    p = OpticalConductivityParams(gap_model="eliashberg", material="Pb", temperature="2 K")
    # 192 Nam nodes: the real-axis gap map of issue 12 keeps the gap edge sharp (broadening
    # confined to it), and the sum rule of the Nam form converges only there (32 nodes:
    # 1.026, 96: 0.989, 192: 1.0035, 384: 1.0032)
    s = run(p, SMALL.model_copy(update={"n_quad_nam": 192})).summary
    assert 1.2 < s["delta_meV"] < 1.7  # Pb: Delta_0 ~ 1.4 meV
    assert s["fgt_sum_rule_ratio_nam"] == pytest.approx(1.0, abs=5e-3)
    # strong coupling: Nam with the complex gap absorbs below 2 Delta_0 only weakly at 2 K
    assert max(s["sigma1_nam_over_sigman"][:3]) < 0.01
