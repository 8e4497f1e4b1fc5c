"""Tests of the bcs-equilibrium model (run() called directly) and its scenario file."""

from __future__ import annotations

import math
import tomllib
from importlib import resources

import numpy as np
import pytest
from pydantic import ValidationError

from photosc.cores import bcs
from photosc.foundation.units import KB
from photosc.models import bcs_equilibrium as model


def small_run(**params):
    return model.run(model.BCSParams(**params), model.BCSNumerics(n_temperatures=9))


def test_registered():
    from photosc.models import available

    spec = available()["bcs-equilibrium"]
    assert spec.run is model.run and spec.params is model.BCSParams


def test_run_small_grid_dataset_contract():
    out = small_run()
    ds = out.dataset
    assert ds["temperature"].size == 9
    for name in list(ds.data_vars) + list(ds.coords):
        assert ds[name].attrs["units"] and ds[name].attrs["long_name"]
    assert ds["temperature"].attrs["units"] == "K"
    assert ds["delta"].attrs["units"] == "meV"
    for v in ds.attrs.values():
        assert isinstance(v, str | int | float)
    for key, v in out.summary.items():
        assert isinstance(v, bool | int | float | str), key
        assert not (isinstance(v, float) and math.isnan(v)), key


def test_summary_against_closed_forms():
    out = small_run(coupling=0.2, cutoff="30 meV", t_max="5 K")
    s = out.summary
    assert s["tc_K"] * KB == pytest.approx(bcs.TC_PREFACTOR * 30 * math.exp(-5), rel=1e-8)
    assert s["delta0_meV"] == pytest.approx(30 / math.sinh(5), rel=1e-12)
    assert s["two_delta0_over_kTc"] == pytest.approx(2 * bcs.GAP_TO_TC, rel=1e-4)
    assert s["gap_near_tc_coefficient"] == pytest.approx(bcs.GAP_NEAR_TC_PREFACTOR, rel=1e-3)
    assert s["tc_in_range"] is True


def test_gap_curve_physics():
    out = small_run()
    ds, s = out.dataset, out.summary
    t, d = ds["temperature"].values, ds["delta"].values
    assert d[0] == pytest.approx(s["delta0_meV"], rel=1e-12)  # t_min = 0 K
    assert np.all(np.diff(d) <= 0)
    assert np.all(d[t >= s["tc_K"]] == 0.0)
    assert np.all(d[t < s["tc_K"]] > 0.0)
    # the cutoff model at nu(0)U = 0.3 sits within the weak-coupling accuracy of the BCS curve
    np.testing.assert_allclose(d, ds["delta_weak_coupling"].values, atol=3e-3 * d[0])
    # the free energy is negative below T_c, zero above
    fe = ds["free_energy"].values
    assert np.all(fe[t < s["tc_K"]] < 0) and np.all(fe[t >= s["tc_K"]] == 0)
    assert fe[0] == pytest.approx(s["condensation_energy_zero_meV2"], rel=1e-10)
    n = ds["qp_density"].values
    assert n[0] == 0.0 and np.all(np.diff(n) > 0)


def test_explicit_temperatures_with_units():
    out = model.run(model.BCSParams(temperatures=["10 K", 2.0, "0.5 meV"]), model.BCSNumerics())
    t = out.dataset["temperature"].values
    np.testing.assert_allclose(t, [2.0, 0.5 / KB, 10.0])
    d = out.dataset["delta"].values
    assert d[0] == pytest.approx(float(bcs.equilibrium_gap(2.0 * KB, 0.3, 30.0)), rel=1e-9)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"coupling": -0.3}, "coupling"),
        ({"cutoff": "0 meV"}, "cutoff"),
        ({"cutoff": "30 mm"}, "cutoff"),  # a length; "30 K" is an energy now (issue 13)
        ({"t_min": "-1 K"}, "t_min"),
        ({"t_min": "20 K", "t_max": "10 K"}, "t_max"),
        ({"temperatures": ["-3 K"]}, "temperatures"),
        ({"colpling": 0.3}, "colpling"),
    ],
)
def test_bad_parameters_name_the_field(kwargs, field):
    with pytest.raises((ValidationError, ValueError), match=field):
        model.BCSParams(**kwargs)


def test_bad_numerics():
    with pytest.raises(ValidationError, match="n_temperatures"):
        model.BCSNumerics(n_temperatures=1)


def _scenario():
    path = resources.files("photosc") / "scenarios" / "bcs-equilibrium.toml"
    return tomllib.loads(path.read_text())


def test_scenario_file_valid_and_checks_hold():
    sc = _scenario()
    assert sc["scenario"]["model"] == "bcs-equilibrium"
    assert sc["scenario"]["paper"] == "textbook"
    params = model.BCSParams(**sc["parameters"])
    # the checked summary values do not depend on the temperature grid: use the test grid
    numerics = model.BCSNumerics(**{**sc["numerics"], **sc["test"]["numerics"]})
    summary = model.run(params, numerics).summary
    assert summary["tc_in_range"]
    for check in sc["paper"]["checks"]:
        got, exp = summary[check["key"]], check["expected"]
        assert not check.get("known_deviation")
        if "tolerance" in check:
            assert abs(got - exp) <= check["tolerance"], check["key"]
        else:
            assert abs(got - exp) <= check["rel_tolerance"] * abs(exp), check["key"]


def test_plot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = small_run()
    figs = model.plot(out.dataset, out.summary)
    assert set(figs) == {"gap"}
    for f in figs.values():
        plt.close(f)
