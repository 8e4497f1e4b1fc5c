"""The ``photosc`` command: list, show, run, sweep, reproduce, fit, info."""

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
    header = ("scenario", "paper", "figure", "kind", "title")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        cells = [f"{str(c):<{w}}" for c, w in zip(row[:4], widths)]
        print("  ".join([*cells, str(row[4])]).rstrip())
    return 0


def _show_text(name: str) -> str:
    """The scenario's parameters and numerics: value, unit, allowed values, description."""
    from photosc.config import load_scenario
    from photosc.models import get as get_model
    from photosc.models._base import describe_fields

    sc = load_scenario(name)
    try:
        spec = get_model(sc.model)
    except KeyError as exc:
        raise ConfigError(f"{sc.source or sc.name}: {exc.args[0]}") from None
    lines = [f"{sc.name}: {sc.title}" if sc.title else sc.name]
    lines.append(f"model {spec.name} (paper {spec.paper}): {spec.description}")
    if sc.figure:
        lines.append(f"figure: {sc.figure}")
    if sc.sweep:
        lines.append("sweep: " + ", ".join(f"{k} ({len(v)} values)" for k, v in sc.sweep.items()))
    for section, cls, given in (
        ("parameters", spec.params, sc.parameters),
        ("numerics", spec.numerics, sc.numerics),
    ):
        lines += ["", f"[{section}]"]
        for f in describe_fields(cls):
            value = given.get(f["name"], f["default"])
            unit = f" [{f['unit']}]" if f["unit"] else ""
            lines.append(f"  {f['name']} = {value!r}{unit}")
            default = "" if f["name"] not in given else f"; default {f['default']!r}"
            lines.append(f"      {f['allowed']}{default}")
            if f["description"]:
                lines.append(f"      {f['description']}")
    lines += [
        "",
        "Values: a number is read in the unit in brackets; or a string with units",
        "(e.g. '30 meV', '100 K', '2 ps'). Energy and temperature fields accept each other's",
        "units through E = k_B T, wavenumbers and frequencies; wavelengths only for photon",
        "energies (pump, probe). Override with --set KEY=VALUE.",
    ]
    return "\n".join(lines)


def _cmd_show(args: argparse.Namespace) -> int:
    if args.json:
        from photosc.config import load_scenario
        from photosc.models import get as get_model
        from photosc.models._base import describe_fields

        sc = load_scenario(args.scenario)
        spec = get_model(sc.model)
        out = {"scenario": sc.name, "model": spec.name, "title": sc.title}
        for section, cls, given in (
            ("parameters", spec.params, sc.parameters),
            ("numerics", spec.numerics, sc.numerics),
        ):
            out[section] = [
                {**f, "value": given.get(f["name"], f["default"])} for f in describe_fields(cls)
            ]
        print(json.dumps(out, indent=1, default=str))
        return 0
    print(_show_text(args.scenario))
    return 0


class _ScenarioHelp(argparse.Action):
    """``-h``/``--help`` that, after a scenario name, also shows its parameters."""

    def __init__(
        self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None
    ):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        parser.print_help()
        name = getattr(namespace, "scenario", None)
        if name:
            try:
                text = _show_text(name)
            except PhotoscError as exc:
                parser.exit(2, f"photosc: error: {exc}\n")
            print(f"\n{text}")
        parser.exit()


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

    res = run(args.scenario, out=args.out, overwrite=args.overwrite, overrides=_overrides(args.set))
    _print_result(res)
    return 0


def _cmd_material(args: argparse.Namespace) -> int:
    """``photosc material REF``: the material-properties model on REF, run like a scenario."""
    from photosc.config import Scenario
    from photosc.runner import run

    ref = args.material
    path = Path(ref).expanduser()
    if path.is_file():  # absolute, so that the stored configuration reruns from anywhere
        ref = str(path.resolve())
    material_overrides, numerics = {}, {}
    for key, value in _overrides(args.set).items():
        if key.startswith("numerics."):
            numerics[key.removeprefix("numerics.")] = value
        else:
            material_overrides[key.removeprefix("material.")] = value
    params: dict = {"material": ref, "material_overrides": material_overrides}
    if args.temperature is not None:
        params["temperature"] = args.temperature
    stem = path.stem if path.is_file() else ref
    scenario = Scenario(
        name=f"material-{stem}",
        model="material-properties",
        title=f"Material properties of {args.material}",
        parameters=params,
        numerics=numerics,
        source="photosc material",
    )
    res = run(scenario, out=args.out, overwrite=args.overwrite)
    s = res.summary
    print(
        f"{s['material']}: lambda = {s['lambda']:.4g}, omega_log = {s['omega_log_meV']:.4g} meV, "
        f"<omega^2>^(1/2) = {s['omega2_meV']:.4g} meV\n"
        f"  mu* = {s['mu_star']:.4g} ({s['mu_star_source']}), "
        f"omega_c = {s['mu_star_cutoff_meV']:.4g} meV\n"
        f"  T_c: Allen-Dynes {s['allen_dynes_tc_K']:.4g} K, real-axis Eliashberg "
        f"{s['tc_eliashberg_K']:.4g} K\n"
        f"  Delta_0 = {s['delta0_meV']:.4g} meV at {s['temperature_K']:.3g} K; at 0.05 T_c "
        f"{s['delta0_low_t_meV']:.4g} meV, 2 Delta_0 / k_B T_c = {s['two_delta0_over_kTc']:.4g}\n"
        f"  F(omega): {s['phonon_dos_source']}; real-axis grid step {s['grid_step_meV']:.4g} "
        f"meV, {s['grid_points']} points"
    )
    _print_result(res)
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    from photosc.sweeps import parse_param_spec, sweep

    if args.workers is not None and args.workers < 1:
        raise ConfigError(f"--workers must be a positive integer, got {args.workers}")
    params = dict(parse_param_spec(p) for p in (args.param or []))
    res = sweep(
        args.scenario,
        params,
        out=args.out,
        scheduler=args.scheduler,
        workers=args.workers,
        overrides=_overrides(args.set),
        overwrite=args.overwrite,
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
        grid="small" if args.small else args.grid,
        reuse=args.reuse or args.cached_only,
        cached_only=args.cached_only,
    )
    print(f"report: {path}")
    return 0


def _fit_pairs(pairs: list[str] | None, option: str) -> dict[str, str]:
    """``KEY=VALUE`` options as a dict of strings (``--units delay=fs``)."""
    out = {}
    for text in pairs or []:
        key, _, value = text.partition("=")
        if not key.strip() or not value.strip():
            raise ConfigError(f"{option} expects key=value, got {text!r}")
        out[key.strip()] = value.strip()
    return out


def _cmd_fit(args: argparse.Namespace) -> int:
    from photosc.fitting.driver import fit, report_lines
    from photosc.fitting.parameters import parse_bounds
    from photosc.models import get as get_model
    from photosc.models._base import units_of
    from photosc.runner import load_any

    free = [n.strip() for text in args.free for n in text.split(",") if n.strip()]
    sc = load_any(args.scenario)
    try:
        units = {**units_of(get_model(sc.model).params), "time_zero": "ps"}
    except KeyError as exc:
        raise ConfigError(f"{sc.source or sc.name}: {exc.args[0]}") from None
    bounds = dict(parse_bounds(b, units) for b in (args.bounds or []))
    select = _overrides(args.select)
    res = fit(
        args.scenario,
        free=free,
        data=args.data,
        variable=args.variable,
        select=select or None,
        units=_fit_pairs(args.units, "--units") or None,
        fluence_parameters=(
            [n.strip() for n in args.fluence_parameters.split(",") if n.strip()]
            if args.fluence_parameters
            else None
        ),
        grid=args.grid,
        overrides=_overrides(args.set),
        bounds=bounds or None,
        diff_step=args.diff_step,
        max_evaluations=args.max_evals,
        out=args.out,
        overwrite=args.overwrite,
    )
    print("\n".join(report_lines(res)))
    if res.path:
        print(f"fitted scenario: {res.path / 'fitted.toml'} (output folder {res.path})")
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


_OVERWRITE_HELP = (
    "replace an earlier photosc result in --out (a folder holding anything else is never touched)"
)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="photosc",
        description="Simulations of light-induced and non-equilibrium superconductivity.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("list", help="list the built-in scenarios with their paper and figure")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(func=_cmd_list)

    s = sub.add_parser(
        "show",
        help="a scenario's parameters and numerics: values, units, defaults, allowed ranges",
    )
    s.add_argument("scenario", help="scenario name (see `photosc list`) or path to a TOML file")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(func=_cmd_show)

    s = sub.add_parser(
        "run",
        help="run a built-in scenario (by name) or a TOML file",
        add_help=False,
        epilog="`photosc run NAME --help` also lists NAME's parameters (as `photosc show NAME`).",
    )
    s.add_argument(
        "-h", "--help", action=_ScenarioHelp, help="show this help (and NAME's parameters)"
    )
    s.add_argument(
        "scenario",
        help="scenario name (see `photosc list`), path to a TOML file, or a result.nc to rerun",
    )
    s.add_argument("--out", help="output folder (default runs/NAME-TIMESTAMP)")
    s.add_argument("--overwrite", action="store_true", help=_OVERWRITE_HELP)
    s.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a parameter, value read as TOML (e.g. fluence='5 mJ/cm^2')",
    )
    s.set_defaults(func=_cmd_run)

    s = sub.add_parser(
        "material",
        help="a material's alpha^2F moments, T_c (Allen-Dynes, Eliashberg), Delta_0, mu*",
        description="Characterise a material (built-in name, material card .toml, or an "
        "alpha^2F file) with the material-properties model; writes a run folder.",
    )
    s.add_argument("material", help="built-in material (Pb, LaH10, ...), card .toml or a2F file")
    s.add_argument("--out", help="output folder (default runs/material-NAME-TIMESTAMP)")
    s.add_argument("--overwrite", action="store_true", help=_OVERWRITE_HELP)
    s.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="override a card field, value read as TOML (e.g. tc='39 K', mu_star=0.12, "
        "phonon_dos='derived from alpha^2F'); numerics.KEY=VALUE sets a grid option",
    )
    s.add_argument(
        "--temperature",
        help="temperature of Delta(omega) and Delta_0 (e.g. '1 K'; default 0.05 T_c)",
    )
    s.set_defaults(func=_cmd_material)

    s = sub.add_parser("sweep", help="map a scenario over a parameter grid", add_help=False)
    s.add_argument(
        "-h", "--help", action=_ScenarioHelp, help="show this help (and NAME's parameters)"
    )
    s.add_argument("scenario", help="scenario name (see `photosc list`) or path to a TOML file")
    s.add_argument(
        "--param",
        action="append",
        metavar="KEY=START:STOP:NUM",
        help="swept parameter (repeatable); also KEY=[v1, v2, ...]",
    )
    s.add_argument("--set", action="append", metavar="KEY=VALUE", help="fixed override")
    s.add_argument("--scheduler", help="address of a Dask scheduler (default: local processes)")
    s.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    s.add_argument("--out", help="output folder (default runs/NAME-TIMESTAMP)")
    s.add_argument("--overwrite", action="store_true", help=_OVERWRITE_HELP)
    s.set_defaults(func=_cmd_sweep)

    s = sub.add_parser("reproduce", help="run the paper scenarios and write the validation report")
    s.add_argument("papers", nargs="*", help="paper numbers (000 ... 004); default all")
    s.add_argument("--out", default="reproduce", help="output folder")
    s.add_argument("--report", type=Path, help="report file (default OUT/report.md)")
    s.add_argument("--scenario", action="append", help="only this scenario (repeatable)")
    s.add_argument(
        "--small",
        action="store_true",
        help="use the scenarios' small test grids (fast, not converged); = --grid small",
    )
    s.add_argument(
        "--grid",
        choices=("full", "ci", "small"),
        default="full",
        help="full: each scenario's own settings; ci: its [ci] grid (what CI checks); "
        "small: its [test] grid",
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

    s = sub.add_parser(
        "fit",
        help="least-squares fit of a scenario's parameters to a measured trace",
        add_help=False,
        epilog="The output folder holds the best fit's run, fit.json, fit.png and fitted.toml "
        "(`photosc run fitted.toml` reproduces the fitted trace).",
    )
    s.add_argument(
        "-h", "--help", action=_ScenarioHelp, help="show this help (and NAME's parameters)"
    )
    s.add_argument("scenario", help="scenario name, path to a TOML file, or a result.nc")
    s.add_argument(
        "--data", help="measured file (CSV/text: delay, signal[, error]); replaces [measured].file"
    )
    s.add_argument(
        "--free",
        action="append",
        required=True,
        metavar="NAME[,NAME...]",
        help="parameters to fit: float physics parameters, time_zero (ps), fluence_scale",
    )
    s.add_argument("--variable", help="compared dataset variable (needed without [measured])")
    s.add_argument(
        "--select",
        action="append",
        metavar="DIM=VALUE",
        help="coordinate value picking one trace (e.g. temperature=4.0)",
    )
    s.add_argument(
        "--units", action="append", metavar="ROLE=UNIT", help="column unit, e.g. delay=fs"
    )
    s.add_argument(
        "--fluence-parameters",
        metavar="NAME[,NAME...]",
        help="parameters fluence_scale multiplies (default: those declared in a fluence unit)",
    )
    s.add_argument(
        "--bounds",
        action="append",
        metavar="NAME=LO:HI",
        help="bounds in the parameter's unit (or with units), intersected with the declared ones",
    )
    s.add_argument("--set", action="append", metavar="KEY=VALUE", help="fixed override")
    s.add_argument(
        "--grid",
        choices=("full", "ci", "small"),
        default="full",
        help="the scenario's own settings, its [ci] grid or its [test] small grid",
    )
    s.add_argument(
        "--diff-step",
        type=float,
        help="relative finite-difference step (default: sqrt of the largest solver tolerance)",
    )
    s.add_argument(
        "--max-evals", type=int, default=50, help="most residual evaluations (default 50)"
    )
    s.add_argument("--out", help="output folder (default runs/NAME-fit-TIMESTAMP)")
    s.add_argument("--overwrite", action="store_true", help=_OVERWRITE_HELP)
    s.set_defaults(func=_cmd_fit)

    s = sub.add_parser("info", help="versions of photosc and its dependencies")
    s.set_defaults(func=_cmd_info)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except BrokenPipeError:  # output piped into e.g. `head`, which has exited
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except PhotoscError as exc:
        print(f"photosc: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print(
            "photosc: error: out of memory; use smaller grids (see `photosc show NAME`)",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("photosc: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
