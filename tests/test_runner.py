import json

import pytest
import xarray as xr
from xarray.testing import assert_identical

import photosc
from photosc.errors import ConfigError
from photosc.runner import check_summary, netcdf_ready


def test_run_writes_complete_folder(toy_scenario, tmp_path):
    out = tmp_path / "run"
    res = photosc.run(toy_scenario, out=out, energy="4 meV")
    assert res.path == out
    assert sorted(p.name for p in out.iterdir()) == [
        ".photosc",
        "config.toml",
        "result.nc",
        "square.png",
        "summary.json",
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["max_y_meV2"] == pytest.approx(16.0)
    with xr.open_dataset(out / "result.nc", engine="h5netcdf") as ds:
        assert ds.attrs["photosc_version"] == photosc.__version__
        assert 'energy = "4.0 meV"' in ds.attrs["photosc_config"]
        for name in ds.variables:
            assert "units" in ds[name].attrs, name
        assert_identical(ds.load(), netcdf_ready(res.dataset))
        # the same configuration as a file, which reruns to the same numbers
        assert (out / "config.toml").read_text() == ds.attrs["photosc_config"]
    again = photosc.run(out / "config.toml", write=False)
    assert again.summary["max_y_meV2"] == summary["max_y_meV2"]


def test_failed_run_leaves_no_folder(toy_scenario, tmp_path):
    out = tmp_path / "outs" / "run"
    with pytest.raises(ValueError, match="fail_above"):
        photosc.run(toy_scenario, out=out, fail_above=1.0)
    assert not out.exists()
    leftovers = list(out.parent.iterdir()) if out.parent.exists() else []
    assert leftovers == []  # no partial folder left either


def test_bad_override_is_config_error(toy_scenario, tmp_path):
    with pytest.raises(ConfigError, match="unknown key 'fluence'"):
        photosc.run(toy_scenario, out=tmp_path / "x", fluence="5 mJ/cm^2")


def test_rerun_replaces_folder(toy_scenario, tmp_path):
    out = tmp_path / "outs" / "run"
    photosc.run(toy_scenario, out=out, energy=2.0)
    photosc.run(toy_scenario, out=out, energy=5.0, overwrite=True)
    assert json.loads((out / "summary.json").read_text())["energy_meV"] == 5.0
    assert [p.name for p in out.parent.iterdir()] == ["run"]


def test_summary_must_be_finite_json():
    assert check_summary({"a": 1, "b": [1.0, True], "c": "x"}) == {
        "a": 1,
        "b": [1.0, True],
        "c": "x",
    }
    with pytest.raises(Exception, match="'a'"):
        check_summary({"a": float("nan")})
    with pytest.raises(Exception, match="unsupported"):
        check_summary({"a": None})


def test_runner_reexports_what_moved_to_results():
    """What the runner and the sweeps share lives in photosc.results (issue 15 section 5);
    the old names stay importable from photosc.runner, as the same objects."""
    import photosc.results as results
    import photosc.runner as runner

    assert results.__all__
    for name in results.__all__:
        assert getattr(runner, name) is getattr(results, name), name
