"""The ``photosc`` command: list, run, sweep, reproduce, info."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from photosc.errors import ConfigError, PhotoscError


def _cmd_list(args: argparse.Namespace) -> int:
    from photosc.config import builtin_scenarios, load_scenario

    rows = []
    for name in builtin_scenarios():
        sc = load_scenario(name)
        kind = "sweep" if sc.is_sweep else "run"
        rows.append((name, sc.paper or "-", sc.figure or "-", kind, sc.title))
    if args.json:
        print(
            json.dumps(
                [dict(zip(("name", "paper", "figure", "kind", "title"), r)) for r in rows], indent=1
            )
        )
        return 0
    w = max((len(r[0]) for r in rows), default=10)
    print(f"{'scenario':<{w}}  paper  {'figure':<14} kind   title")
    for name, paper, fig, kind, title in rows:
        print(f"{name:<{w}}  {paper:<5}  {fig:<14} {kind:<5}  {title}")
    return 0


def _overrides(pairs: list[str] | None) -> dict:
    from photosc.config import parse_assignment

    return dict(parse_assignment(p) for p in (pairs or []))


def _print_result(res) -> None:
    where = f" -> {res.path}" if res.path else ""
    print(f"{res.name}: done{where}")
    shown = {k: v for k, v in res.summary.items() if k != "failed_points"}
    print(json.dumps(shown, indent=1))
    failed = res.summary.get("failed_points") or []
    for f in failed:
        print(f"failed point {f['point']}: {f['error']}", file=sys.stderr)


def _cmd_run(args: argparse.Namespace) -> int:
    from photosc.runner import run

    res = run(args.scenario, out=args.out, overrides=_overrides(args.set))
    _print_result(res)
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    from photosc.sweeps import parse_param_spec, sweep

    params = dict(parse_param_spec(p) for p in (args.param or []))
    res = sweep(
        args.scenario,
        params,
        out=args.out,
        scheduler=args.scheduler,
        workers=args.workers,
        overrides=_overrides(args.set),
    )
    if not params and not res.summary.get("points"):
        raise ConfigError("sweep needs at least one --param key=start:stop:num")
    _print_result(res)
    return 1 if res.summary.get("failed") else 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from photosc.reproduce import reproduce

    path = reproduce(
        args.papers or None,
        out=args.out,
        report=args.report,
        scenarios=args.scenario or None,
        small=args.small,
        reuse=args.reuse or args.cached_only,
        cached_only=args.cached_only,
    )
    print(f"report: {path}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    import photosc

    print(f"photosc {photosc.__version__}")
    print(f"python {platform.python_version()} ({platform.platform()})")
    for dep in (
        "numpy",
        "scipy",
        "xarray",
        "h5netcdf",
        "pint",
        "pydantic",
        "matplotlib",
        "tqdm",
        "numba",
        "tomli-w",
        "dask",
        "distributed",
    ):
        try:
            print(f"{dep} {version(dep)}")
        except PackageNotFoundError:
            print(f"{dep} (not installed)")
    from photosc.models import available

    print(f"models: {', '.join(sorted(available()))}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="photosc",
        description="Simulations of light-induced and non-equilibrium superconductivity.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("list", help="list the built-in scenarios with their paper and figure")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(func=_cmd_list)

    s = sub.add_parser("run", help="run a built-in scenario (by name) or a TOML file")
    s.add_argument("scenario", help="scenario name (see `photosc list`) or path to a TOML file")
    s.add_argument("--out", type=Path, help="output folder (default runs/NAME-TIMESTAMP)")
    s.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a parameter, value read as TOML (e.g. fluence='5 mJ/cm^2')",
    )
    s.set_defaults(func=_cmd_run)

    s = sub.add_parser("sweep", help="map a scenario over a parameter grid")
    s.add_argument("scenario")
    s.add_argument(
        "--param",
        action="append",
        metavar="KEY=START:STOP:NUM",
        help="swept parameter (repeatable); also KEY=[v1, v2, ...]",
    )
    s.add_argument("--set", action="append", metavar="KEY=VALUE", help="fixed override")
    s.add_argument("--scheduler", help="address of a Dask scheduler (default: local processes)")
    s.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    s.add_argument("--out", type=Path, help="output folder (default runs/NAME-TIMESTAMP)")
    s.set_defaults(func=_cmd_sweep)

    s = sub.add_parser("reproduce", help="run the paper scenarios and write the validation report")
    s.add_argument("papers", nargs="*", help="paper numbers (000 ... 004); default all")
    s.add_argument("--out", type=Path, default=Path("reproduce"), help="output folder")
    s.add_argument("--report", type=Path, help="report file (default OUT/report.md)")
    s.add_argument("--scenario", action="append", help="only this scenario (repeatable)")
    s.add_argument(
        "--small",
        action="store_true",
        help="use the scenarios' small test grids (fast, not converged)",
    )
    s.add_argument(
        "--reuse",
        action="store_true",
        help="reuse scenario outputs in OUT whose configuration and version are current",
    )
    s.add_argument(
        "--cached-only",
        action="store_true",
        help="with --reuse: list scenarios without a current output as 'not run' (no runs)",
    )
    s.set_defaults(func=_cmd_reproduce)

    s = sub.add_parser("info", help="versions of photosc and its dependencies")
    s.set_defaults(func=_cmd_info)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PhotoscError as exc:
        print(f"photosc: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("photosc: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
