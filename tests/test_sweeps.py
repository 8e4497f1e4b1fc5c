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


@pytest.mark.slow
def test_planned_sweep_points_equal_points_run_one_by_one(tmp_path):
    """A sweep of a model with a run plan (pump-probe) runs the jobs of all its points in
    one pool (issue 16); every point's summary and warnings are those of running the point
    by itself (``run_point``, the path of models without a plan) bit for bit. A point that
    fails is an error record; the others are unaffected."""
    from dataclasses import replace

    from photosc.config import load_scenario, with_overrides
    from photosc.sweeps import _iter_results, run_point

    sc = load_scenario("pump-probe-pb-escape")
    small = with_overrides(
        replace(sc, sweep={}), {**sc.test.get("parameters", {}), **sc.test.get("numerics", {})}
    )
    small = replace(small, sweep=dict(sc.test["sweep"]))
    points = [{"tau_esc": v} for v in sc.test["sweep"]["tau_esc"]]
    spec = photosc.models.get("pump-probe")
    planned = {r["point"]["tau_esc"]: r for r in _iter_results(small, points, None, 2, spec)}
    for point in points:
        alone = run_point(small, point)
        rec = planned[point["tau_esc"]]
        assert rec["status"] == alone["status"] == "ok"
        assert rec["summary"] == alone["summary"]
        assert rec["warnings"] == alone["warnings"]
    # a point that fails (tau_esc < 0) is an error record; the other point is unaffected
    bad = [{"tau_esc": 250.0}, {"tau_esc": -1.0}]
    recs = {r["point"]["tau_esc"]: r for r in _iter_results(small, bad, None, 2, spec)}
    assert recs[250.0]["status"] == "ok" and recs[-1.0]["status"] == "error"
    assert recs[-1.0]["error"]


def _fails_below_zero(x: float) -> float:
    if x < 0:
        raise ValueError(f"negative item {x}")
    return 2 * x


def test_a_failed_planned_job_fails_its_point_with_the_job_error():
    """A planned point's job that raises gives the point an error record with the job's
    error (type, message, traceback), as a point run by itself would; the others finish."""
    import time

    from photosc.models._base import ModelOutput, RunPlan
    from photosc.sweeps import _finish_point, _run_job

    ok, out, caught = _run_job((_fails_below_zero, 1.5))
    assert ok and out == 3.0 and caught == []
    ok, failure, _ = _run_job((_fails_below_zero, -1.0))
    assert not ok and failure[0] == "ValueError: negative item -1.0" and failure[1] is False
    assert "negative item" in failure[2]
    plan = RunPlan(_fails_below_zero, [1.0, -1.0], lambda r: ModelOutput(None, {"x": r}))
    point = {"name": "p", "plan": plan, "caught": [], "t0": time.perf_counter(), "left": 0,
             "point": {"a": 1}, "out": [_run_job((plan.fn, x)) for x in plan.items]}  # fmt: skip
    rec = _finish_point(point)
    assert rec["status"] == "error" and rec["error"] == "ValueError: negative item -1.0"
    point["out"] = [_run_job((plan.fn, x)) for x in (1.0, 2.0)]
    rec = _finish_point(point)
    assert rec["status"] == "ok" and rec["summary"] == {"x": [2.0, 4.0]}
