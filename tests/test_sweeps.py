import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import photosc
from photosc.sweeps import parse_param_spec, unit_from_key


def test_param_spec():
    assert parse_param_spec("energy=1:3:3") == ("energy", [1.0, 2.0, 3.0])
    assert parse_param_spec('energy=["1 meV", "2 meV"]') == ("energy", ["1 meV", "2 meV"])
    assert unit_from_key("tc_K") == "K" and unit_from_key("ratio") == "1"


def test_local_sweep_gathers_grid_and_reports_failures(toy_scenario, tmp_path):
    res = photosc.sweep(
        toy_scenario,
        {"energy": "1:4:4", "temperature": ["1 K", "2 K"]},
        out=tmp_path / "s",
        workers=2,
        overrides={"fail_above": 3.5},
    )
    ds = res.dataset
    assert ds["max_y_meV2"].dims == ("energy", "temperature")
    assert ds["energy"].attrs["units"] == "meV" and ds["temperature"].attrs["units"] == "K"
    np.testing.assert_allclose(ds["max_y_meV2"].sel(energy=2.0), [4.0, 4.0])
    assert ds["failed"].sel(energy=4.0).all() and not ds["failed"].sel(energy=3.0).any()
    assert res.summary["failed"] == 2 and res.summary["points"] == 8
    assert "fail_above" in res.summary["failed_points"][0]["error"]
    assert ds["pair"].dims == ("energy", "temperature", "pair_index")
    files = {p.name for p in (tmp_path / "s").iterdir()}
    assert {"result.nc", "summary.json", "sweep.png", "points"} <= files


def test_gather_keeps_rectangular_nested_lists_and_drops_ragged_ones():
    """Nested [T][F][w] read-outs (pump-probe) become arrays over the swept dims and theirs;
    ragged ones stay in the per-point files."""
    from types import SimpleNamespace

    from photosc.sweeps import gather

    recs = {
        f"p{i}": {
            "status": "ok",
            "summary": {
                "tau_ps": [[[1.0 + i]], [[2.0 + i]]],
                "up": [[i == 0]],
                "ragged": [[1.0], [1.0, 2.0]],
            },
        }
        for i in range(2)
    }
    spec = SimpleNamespace(params=None, numerics=None)
    sc = SimpleNamespace(name="t")
    import photosc.sweeps as sw

    orig = sw._coordinate
    sw._coordinate = lambda spec, k, v: (np.asarray(v, dtype=float), "1")
    try:
        ds = gather(sc, spec, {"x": [0.0, 1.0]}, recs, ["p0", "p1"])
    finally:
        sw._coordinate = orig
    assert ds["tau_ps"].dims == ("x", "tau_ps_index0", "tau_ps_index1", "tau_ps_index2")
    np.testing.assert_array_equal(ds["tau_ps"].values[1, :, 0, 0], [2.0, 3.0])
    assert ds["up"].dtype == bool and ds["up"].values[:, 0, 0].tolist() == [True, False]
    assert "ragged" not in ds


def test_interrupted_sweep_resumes(toy_scenario, tmp_path):
    out = tmp_path / "s"
    cmd = [
        sys.executable,
        "-m",
        "photosc.cli",
        "sweep",
        str(toy_scenario),
        "--param",
        "energy=1:12:12",
        "--set",
        "delay=0.25",
        "--workers",
        "1",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if (out / "points").is_dir() and len(list((out / "points").glob("*.json"))) >= 3:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    done = len(list((out / "points").glob("*.json")))
    assert 3 <= done < 12, "the sweep should have been killed mid-way"
    assert not (out / "result.nc").exists()
    res = photosc.sweep(
        toy_scenario, {"energy": "1:12:12"}, out=out, workers=1, overrides={"delay": 0.25}
    )
    assert res.summary["cached"] == done
    assert res.summary["computed"] == 12 - done
    assert not res.dataset["failed"].any()
    assert json.loads((out / "summary.json").read_text())["points"] == 12


@pytest.mark.slow
def test_sweep_on_dask_local_cluster(toy_scenario, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        res = photosc.sweep(
            toy_scenario,
            {"energy": "1:3:3"},
            out=tmp_path / "d",
            scheduler=cluster.scheduler_address,
        )
    np.testing.assert_allclose(res.dataset["max_y_meV2"], [1.0, 4.0, 9.0])
    assert res.summary["computed"] == 3


@pytest.mark.slow
def test_paper_phase_diagram_runs_unchanged_on_dask(tmp_path):
    """A built-in paper sweep (paper 002 Fig. 2, small grid) on a real LocalCluster."""
    distributed = pytest.importorskip("distributed")
    from photosc.config import load_scenario

    small = load_scenario("interband-phase-diagram").test
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        res = photosc.sweep(
            "interband-phase-diagram",
            small["sweep"],
            out=tmp_path / "pd",
            scheduler=cluster.scheduler_address,
            overrides={**small.get("parameters", {}), **small.get("numerics", {})},
        )
    local = photosc.sweep(
        "interband-phase-diagram",
        small["sweep"],
        write=False,
        workers=1,
        overrides={**small.get("parameters", {}), **small.get("numerics", {})},
    )
    assert res.summary["failed"] == 0 and res.summary["points"] == 4
    np.testing.assert_allclose(res.dataset["abs_delta_steady"], local.dataset["abs_delta_steady"])
