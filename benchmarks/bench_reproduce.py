"""Benchmark: the whole ``photosc reproduce`` at a reduced grid against stored numbers.

Runs every paper scenario of ``photosc reproduce`` (or those named with ``--scenario``) on
its ``[test]`` grid (``--grid test``, the default: fast and unconverged; the grid of the
stored baseline) or its ``[ci]`` grid (``--grid ci``, the settings on which CI checks every
declared status), one scenario at a time, each in a fresh Python process, exactly as
:func:`photosc.reproduce.reproduce` runs it (:func:`photosc.config.on_grid`, then
:func:`photosc.runner.run` writing the output folder and figures). Per scenario it records
the wall time and the CPU time of the run (the process and the worker processes it waited
for; the import of photosc is not counted), and whether every paper check still has its
declared status on that grid. It prints a table
against the stored baseline ``benchmarks/baseline/reproduce.json`` (the numbers of the
previous release, measured on this machine): the ratio baseline / now per scenario and for
the total (> 1: faster than the baseline).

CPU timings on a shared machine are noisy. Each run also times a fixed single-threaded NumPy
calibration workload in this process (CPU time) and stores it beside the scenario times; the table
prints the ratio of the two calibrations so a slower or busier machine shows up, and
reports the load average (``os.getloadavg``) before and after.

Run::

    python benchmarks/bench_reproduce.py                          # every scenario, [test] grid
    python benchmarks/bench_reproduce.py --grid ci                 # the [ci] grids
    python benchmarks/bench_reproduce.py --scenario bcs-equilibrium --scenario raman-pairing
    python benchmarks/bench_reproduce.py --grid test --write-baseline   # store the numbers

The code timed is the photosc of this checkout (``src/`` next to ``benchmarks/`` is put
first on the child processes' ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "benchmarks" / "baseline" / "reproduce.json"
GRID_NAMES = {"ci": "ci", "test": "small"}  # this script's --grid -> photosc.config.GRIDS
MARK = "BENCH_REPRODUCE_RESULT "


class BenchError(Exception):
    """A bad option or baseline file; printed as one line, exit status 2."""


def _cpu_s() -> float:
    """CPU time [s] of this process and of the child processes it has waited for."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def calibration_cpu_s(repeats: int = 5) -> float:
    """Best-of-``repeats`` CPU time [s] of a fixed single-threaded NumPy workload.

    FFTs and sorts (no BLAS: a multi-threaded BLAS spins while it waits for a core, and on
    a loaded machine its CPU time grows several-fold for the same work). A machine-speed
    yardstick measured in the same run as the scenarios: its ratio to the baseline's
    shows how much of a change in the scenario times is the machine's.
    """
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal(1 << 16)
    best = float("inf")
    for _ in range(repeats):
        c0 = time.process_time()
        for _ in range(100):
            x = np.fft.irfft(np.fft.rfft(x) * 0.5, n=x.size)
        for _ in range(40):
            np.sort(rng.standard_normal(1 << 15))
        best = min(best, time.process_time() - c0)
    return best


def _child(name: str, grid: str, out: Path) -> dict[str, Any]:
    """Run one scenario as ``photosc reproduce`` does; wall and CPU time of the run."""
    os.environ.setdefault("PHOTOSC_PROGRESS", "0")
    os.environ.setdefault("MPLBACKEND", "Agg")
    import photosc
    from photosc.config import on_grid
    from photosc.reproduce import paper_scenarios, status_mismatches
    from photosc.runner import run

    (sc,) = [s for s in paper_scenarios() if s.name == name]
    t0, c0 = time.perf_counter(), _cpu_s()
    res = run(on_grid(sc, GRID_NAMES[grid]), out=out / name, overwrite=True)
    wall, cpu = time.perf_counter() - t0, _cpu_s() - c0
    mismatches = status_mismatches(sc, res.summary)
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "status_mismatches": len(mismatches),
        "photosc": str(Path(photosc.__file__).parent),
    }


def scenario_names() -> list[str]:
    """Names of every paper scenario, in ``photosc reproduce``'s order."""
    sys.path.insert(0, str(ROOT / "src"))
    from photosc.reproduce import paper_scenarios

    return [s.name for s in paper_scenarios()]


def run_one(name: str, grid: str, out: Path, timeout_s: float) -> dict[str, Any]:
    """One scenario in a fresh process; its record, or one with ``error`` set."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    env["PHOTOSC_PROGRESS"] = "0"
    env["MPLBACKEND"] = "Agg"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--grid", grid]
    cmd += ["--out", str(out)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout_s:g} s"}
    process_wall = time.perf_counter() - t0
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["(no output)"]
        return {"error": f"exit {proc.returncode}: {tail[0][:300]}"}
    rec = json.loads(lines[-1][len(MARK) :])
    rec["process_wall_s"] = round(process_wall, 3)
    return rec


def machine() -> dict[str, Any]:
    """The machine, in the words stored beside the numbers."""
    info: dict[str, Any] = {
        "node": platform.node(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


def git_commit() -> str:
    """The checked-out commit of this repository ('unknown' outside git)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown"
    commit = out.stdout.strip() or "unknown"
    return commit + (" (src modified)" if dirty.stdout.strip() else "")


def src_commit() -> str:
    """The last commit that changed ``src/`` (the code timed; 'unknown' outside git)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%H", "--", "src"],
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def load_baseline(path: Path) -> dict[str, Any]:
    """The stored baseline (an empty one when ``path`` does not exist)."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise BenchError(f"baseline {path}: not a readable JSON file ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("grids", {}), dict):
        raise BenchError(f"baseline {path}: expected an object with a 'grids' table")
    return data


#: Scenarios of the baseline that were split into several (issue 15): their baseline
#: time is compared with the sum of the parts' times.
SPLIT = {"penetration-depth": ("penetration-depth-lah10", "penetration-depth-k3c60")}


def _ratio(base: float | None, now: float | None) -> str:
    if not base or not now:
        return "-"
    return f"{base / now:.2f}"


def table(grid: str, now: dict[str, Any], base: dict[str, Any]) -> str:
    """The comparison table: seconds now and in the baseline, ratio baseline / now."""
    bsc = base.get("scenarios", {})
    head = (
        f"{'scenario':34s} {'wall [s]':>9s} {'base':>9s} {'ratio':>6s}"
        f" {'cpu [s]':>9s} {'base':>9s} {'ratio':>6s}  statuses"
    )
    lines = [head, "-" * len(head)]
    tw = tc = bw = bc = 0.0
    complete = True
    split_of = {part: old for old, parts in SPLIT.items() for part in parts}
    for name, rec in now["scenarios"].items():
        b = bsc.get(name, {})
        if "error" in rec:
            lines.append(f"{name:34s} ERROR {rec['error']}")
            complete = False
            continue
        bwall, bcpu = b.get("wall_s"), b.get("cpu_s")
        st = "as declared" if rec["status_mismatches"] == 0 else f"{rec['status_mismatches']} off"
        lines.append(
            f"{name:34s} {rec['wall_s']:9.1f} {_fmt_s(bwall)} {_ratio(bwall, rec['wall_s']):>6s}"
            f" {rec['cpu_s']:9.1f} {_fmt_s(bcpu)} {_ratio(bcpu, rec['cpu_s']):>6s}  {st}"
        )
        tw += rec["wall_s"]
        tc += rec["cpu_s"]
        if bwall is not None and bcpu is not None:
            bw += bwall
            bc += bcpu
        elif split_of.get(name) not in bsc:
            complete = False
    for old, parts in SPLIT.items():  # one baseline entry against the sum of its parts
        recs = [now["scenarios"].get(p, {}) for p in parts]
        if old not in bsc or not all("wall_s" in r for r in recs):
            continue
        w, c = sum(r["wall_s"] for r in recs), sum(r["cpu_s"] for r in recs)
        bwall, bcpu = bsc[old]["wall_s"], bsc[old]["cpu_s"]
        bw += bwall
        bc += bcpu
        lines.append(
            f"{'= ' + old + ' (split)':34s} {w:9.1f} {_fmt_s(bwall)} {_ratio(bwall, w):>6s}"
            f" {c:9.1f} {_fmt_s(bcpu)} {_ratio(bcpu, c):>6s}  sum of {', '.join(parts)}"
        )
    lines.append("-" * len(head))
    note = "" if complete else "  (scenarios without a baseline or with errors left out)"
    lines.append(
        f"{'total':34s} {tw:9.1f} {bw:9.1f} {_ratio(bw, tw):>6s} {tc:9.1f} {bc:9.1f}"
        f" {_ratio(bc, tc):>6s}{note}"
    )
    cal_now, cal_base = now.get("calibration_cpu_s"), base.get("calibration_cpu_s")
    lines.append(
        f"calibration workload (CPU): now {cal_now:.3f} s, baseline "
        f"{cal_base if cal_base is not None else '-'} s, "
        f"ratio baseline / now {_ratio(cal_base, cal_now)}"
        " (< 1: this machine or run is slower than the baseline's)"
    )
    if base:
        lines.append(
            f"baseline: {base.get('date_utc', '?')}, commit {base.get('git_commit', '?')}, "
            f"load {base.get('load_before', '?')} -> {base.get('load_after', '?')}"
        )
    else:
        lines.append(f"no stored baseline for grid {grid!r}")
    return "\n".join(lines)


def _fmt_s(v: float | None) -> str:
    return f"{v:9.1f}" if v is not None else f"{'-':>9s}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scenario", action="append", help="only this paper scenario (repeatable)")
    p.add_argument("--grid", default="test", help="test (default) or ci")
    p.add_argument("--write-baseline", action="store_true", help="store these numbers")
    p.add_argument("--baseline", type=Path, default=BASELINE, help="baseline JSON file")
    p.add_argument("--out", type=Path, help="folder for the scenario outputs (default: temp)")
    p.add_argument("--timeout", type=float, default=1800.0, help="per scenario [s]")
    p.add_argument("--child", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0, 1 when a scenario failed, 2: bad input)."""
    args = parse_args(argv)
    try:
        if args.grid not in GRID_NAMES:
            raise BenchError(f"--grid = {args.grid!r}: must be one of {sorted(GRID_NAMES)}")
        if not args.timeout > 0:
            raise BenchError(f"--timeout = {args.timeout!r} s: must be a positive number")
        if args.child:
            rec = _child(args.child, args.grid, args.out)
            print(MARK + json.dumps(rec), flush=True)
            return 0
        known = scenario_names()
        names = args.scenario or known
        unknown = [n for n in names if n not in known]
        if unknown:
            raise BenchError(
                f"--scenario = {unknown[0]!r}: not a paper scenario; one of {', '.join(known)}"
            )
        stored = load_baseline(args.baseline)
    except BenchError as exc:
        print(f"bench_reproduce: error: {exc}", file=sys.stderr)
        return 2
    return _measure(args, names, stored)


def _store(
    args: argparse.Namespace,
    stored: dict[str, Any],
    base: dict[str, Any],
    now: dict[str, Any],
    load_before: list[float],
) -> None:
    """Write the scenarios measured so far (not the failed ones) into the baseline file."""
    entry = dict(base)
    entry.update(
        date_utc=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        git_commit=git_commit(),
        src_commit=src_commit(),
        load_before=load_before,
        load_after=[round(x, 2) for x in os.getloadavg()],
        machine=machine(),
        calibration_cpu_s=now["calibration_cpu_s"],
    )
    good = {k: v for k, v in now["scenarios"].items() if "error" not in v}
    entry["scenarios"] = {**base.get("scenarios", {}), **good}
    stored.setdefault("grids", {})[args.grid] = entry
    stored.setdefault(
        "about",
        "Reference timings of bench_reproduce.py (per grid: wall and CPU seconds of each "
        "paper scenario run as photosc reproduce runs it, one fresh process each).",
    )
    args.baseline.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.baseline.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
    tmp.replace(args.baseline)


def _measure(args: argparse.Namespace, names: list[str], stored: dict[str, Any]) -> int:
    load_before = [round(x, 2) for x in os.getloadavg()]
    cal = calibration_cpu_s()
    now: dict[str, Any] = {"calibration_cpu_s": round(cal, 4), "scenarios": {}}
    base = stored.get("grids", {}).get(args.grid, {})
    with tempfile.TemporaryDirectory(prefix="bench-reproduce-") as tmp:
        out = args.out or Path(tmp)
        for name in names:
            rec = run_one(name, args.grid, out, args.timeout)
            now["scenarios"][name] = rec
            shown = rec.get("error") or f"{rec['wall_s']:.1f} s wall, {rec['cpu_s']:.1f} s CPU"
            print(f"  {name}: {shown}", file=sys.stderr, flush=True)
            if args.write_baseline:  # after each scenario: an interrupted run keeps its numbers
                _store(args, stored, base, now, load_before)
    load_after = [round(x, 2) for x in os.getloadavg()]
    print(f"photosc reproduce, grid {args.grid!r}, load {load_before} -> {load_after}")
    print(table(args.grid, now, base))
    failed = [k for k, r in now["scenarios"].items() if "error" in r]
    if args.write_baseline:
        print(f"baseline written: {args.baseline} (grid {args.grid!r})")
        if failed:
            print(f"bench_reproduce: not stored (failed): {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
