"""benchmarks/bench_reproduce.py: its fast mode runs, writes and reads a baseline, and
refuses bad options with one line. No timed assertions (issue 16: timings live in the
benchmark's output, not in tests)."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "bench_reproduce.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_reproduce", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_fast_mode_writes_a_baseline_and_compares_against_it(bench, tmp_path, capsys):
    base = tmp_path / "baseline.json"
    args = ["--scenario", "bcs-equilibrium", "--grid", "test", "--baseline", str(base)]
    assert bench.main([*args, "--out", str(tmp_path / "runs"), "--write-baseline"]) == 0
    out = capsys.readouterr().out
    assert "bcs-equilibrium" in out and "as declared" in out
    entry = json.loads(base.read_text())["grids"]["test"]
    for key in ("date_utc", "git_commit", "load_before", "load_after", "machine"):
        assert entry[key], key
    rec = entry["scenarios"]["bcs-equilibrium"]
    assert rec["wall_s"] > 0 and rec["cpu_s"] > 0 and rec["status_mismatches"] == 0
    assert Path(rec["photosc"]) == ROOT / "src" / "photosc"  # this checkout's code is timed
    assert entry["calibration_cpu_s"] > 0
    # the scenario's output folder is written as photosc reproduce writes it
    assert (tmp_path / "runs" / "bcs-equilibrium" / "summary.json").is_file()


def test_table_ratio_is_baseline_over_now(bench):
    now = {
        "calibration_cpu_s": 0.2,
        "scenarios": {
            "a": {"wall_s": 5.0, "cpu_s": 4.0, "status_mismatches": 0},
            "b": {"wall_s": 1.0, "cpu_s": 1.0, "status_mismatches": 2},
            "c": {"error": "exit 1: boom"},
        },
    }
    base = {
        "calibration_cpu_s": 0.1,
        "scenarios": {"a": {"wall_s": 10.0, "cpu_s": 2.0}, "b": {"wall_s": 3.0, "cpu_s": 3.0}},
    }
    text = bench.table("test", now, base)
    row_a = next(ln for ln in text.splitlines() if ln.startswith("a "))
    assert row_a.split()[1:4] == ["5.0", "10.0", "2.00"]
    assert row_a.split()[4:7] == ["4.0", "2.0", "0.50"]
    assert "2 off" in next(ln for ln in text.splitlines() if ln.startswith("b "))
    assert "ERROR exit 1: boom" in text
    total = next(ln for ln in text.splitlines() if ln.startswith("total"))
    assert total.split()[1:4] == ["6.0", "13.0", "2.17"]  # (10 + 3) / (5 + 1)
    assert "left out" in total  # the failed scenario is named as missing from the total
    assert "ratio baseline / now 0.50" in text


def test_table_compares_a_split_scenario_with_the_sum_of_its_parts(bench):
    old, parts = next(iter(bench.SPLIT.items()))
    now = {
        "calibration_cpu_s": 0.1,
        "scenarios": {p: {"wall_s": 2.0, "cpu_s": 1.0, "status_mismatches": 0} for p in parts},
    }
    base = {"calibration_cpu_s": 0.1, "scenarios": {old: {"wall_s": 8.0, "cpu_s": 6.0}}}
    text = bench.table("full", now, base)
    row = next(ln for ln in text.splitlines() if ln.startswith(f"= {old}"))
    n = 2.0 * len(parts)
    assert row.split()[3:6] == [f"{n:.1f}", "8.0", f"{8.0 / n:.2f}"]
    total = next(ln for ln in text.splitlines() if ln.startswith("total"))
    assert total.split()[1:3] == [f"{n:.1f}", "8.0"] and "left out" not in total


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--grid", "full"], ["--grid", "'full'", "ci", "test"]),
        (["--scenario", "no-such"], ["--scenario", "'no-such'", "bcs-equilibrium"]),
        (["--timeout", "0"], ["--timeout", "0", "positive"]),
    ],
)
def test_bad_options_end_in_one_line(bench, capsys, argv, words):
    assert bench.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("bench_reproduce: error:") and "\n" not in err
    for w in words:
        assert w in err


def test_unreadable_baseline_is_refused(bench, tmp_path, capsys):
    bad = tmp_path / "b.json"
    bad.write_text("{not json")
    assert bench.main(["--scenario", "bcs-equilibrium", "--baseline", str(bad)]) == 2
    assert str(bad) in capsys.readouterr().err


def test_stored_baseline_names_its_provenance(bench):
    stored = bench.load_baseline(bench.BASELINE)
    assert stored["grids"], "benchmarks/baseline/reproduce.json holds no grid"
    known = set(bench.scenario_names())
    for grid, entry in stored["grids"].items():
        assert grid in bench.GRID_NAMES
        for key in ("date_utc", "git_commit", "load_before", "machine", "calibration_cpu_s"):
            assert entry[key], (grid, key)
        # a scenario split since the baseline was taken counts through its parts
        assert entry["scenarios"] and set(entry["scenarios"]) <= known | set(bench.SPLIT)
        for old, parts in bench.SPLIT.items():
            assert old not in known and set(parts) <= known
        for rec in entry["scenarios"].values():
            assert rec["wall_s"] > 0 and rec["cpu_s"] > 0
