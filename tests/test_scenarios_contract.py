"""One battery over every built-in scenario (STYLE.md habit 9).

Each scenario runs on its ``[test]`` small grid, writes a complete folder,
labels every variable and coordinate with units, survives a netCDF round trip,
and (if it has a ``[paper]`` table) evaluates every paper check.
"""

import math

import pytest
import xarray as xr
from xarray.testing import assert_identical

import photosc
from photosc.config import builtin_scenarios, load_scenario, small_grid_overrides
from photosc.reproduce import evaluate_check, placeholders
from photosc.runner import netcdf_ready

SCENARIOS = sorted(builtin_scenarios())


def test_there_are_scenarios():
    assert SCENARIOS


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_contract(name, tmp_path):
    sc = load_scenario(name)
    assert sc.title, f"{name}: [scenario] needs a title"
    assert "test" in sc.__dict__ and sc.test, f"{name}: needs a [test] small-grid table"
    out = tmp_path / name
    kwargs = {"workers": 1} if sc.is_sweep else {}
    if sc.is_sweep:
        from dataclasses import replace

        from photosc.config import with_overrides
        from photosc.sweeps import run_sweep

        small = with_overrides(sc, small_grid_overrides(sc))
        grid = sc.test.get("sweep")
        if grid:
            from photosc.config import parse_sweep_values

            small = replace(small, sweep={k: parse_sweep_values(k, v) for k, v in grid.items()})
        res = run_sweep(small, out=out, **kwargs)
    else:
        res = photosc.run(name, out=out, overrides=small_grid_overrides(sc))
    ds = res.dataset
    for var in ds.variables:
        assert "units" in ds[var].attrs, f"{name}: {var} has no units attribute"
        assert "long_name" in ds[var].attrs, f"{name}: {var} has no long_name attribute"
    assert (out / "result.nc").is_file() and (out / "summary.json").is_file()
    with xr.open_dataset(out / "result.nc", engine="h5netcdf") as back:
        assert_identical(back.load(), netcdf_ready(ds))
    for key, value in res.summary.items():
        if isinstance(value, float):
            assert math.isfinite(value), f"{name}: summary {key} = {value}"
    for check in sc.paper_table.get("checks", []):
        result = evaluate_check(check, res.summary)
        assert result.status != "missing", f"{name}: paper check on missing key {check['key']}"
    pt = sc.paper_table
    texts = [str(pt.get("choices", "")), str(pt.get("notes", ""))] + [
        str(c.get(k, "")) for c in pt.get("checks", []) for k in ("known_deviation", "source")
    ]
    for key in placeholders(" ".join(texts)):
        # the key itself must exist; an index (key[i][j]) may run past the small grid's
        # shorter lists (the full-grid report is checked by test_validation_report_...)
        base = key.split("[", 1)[0]
        if base not in res.summary:
            pytest.fail(f"{name}: a text quotes {{{{{key}}}}}, which the summary lacks")


def test_validation_report_fills_every_placeholder():
    """docs/validation.md, generated from the full-grid runs, quotes every number it
    names: no placeholder was left missing or unformattable."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "validation.md").read_text()
    bad = [m for m in ("[missing:", "[bad format") if m in text]
    assert not bad, f"docs/validation.md has unfilled placeholders: {bad}"
