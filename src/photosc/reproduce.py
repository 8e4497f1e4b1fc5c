"""``photosc reproduce``: run the paper scenarios and write the validation report.

Every built-in scenario with a ``[paper]`` table joins the report: it is run
on its full grid, each ``[[paper.checks]]`` entry compares a summary value
with the paper's, and the report shows our figures beside the paper's
statement, the chosen parameters with their sources, and each check as
*agrees*, *DEVIATES* or *known deviation* (with the reason). A check with
``kind = "numerics"`` (an energy budget, a convergence) is a property of our
numerics, not a paper's number: it *holds* or *FAILS* and is counted apart from
the agreements. A check with ``kind = "consistency"`` compares a value that is an
input of the run or was calibrated or fitted to the very number it is compared with
(a T_c that mu* was fitted to, a back-solved parameter): it shows that the calibration
went through (*consistent* or *INCONSISTENT*), not that the model agrees with the
paper, and is counted in its own column. Texts quote the run's own numbers with
``{{key}}`` placeholders (:func:`fill_placeholders`). The paper's values live in the
scenario files, so a new scenario joins by being added.
``docs/validation.md`` is this report, regenerated (see the README).
"""

from __future__ import annotations

import json
import os
import re
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from photosc.config import GRIDS, Scenario, builtin_scenarios, load_scenario, on_grid
from photosc.foundation.progress import progress

#: Kinds of a ``[[paper.checks]]`` entry: an independent comparison with the paper, a
#: property of our numerics, or a consistency check of a calibrated or input value.
CHECK_KINDS = ("paper", "numerics", "consistency")

PAPERS = {
    "000": "Chattopadhyay et al., Metastable photo-induced superconductivity far above T_c, "
    "npj Quantum Mater. (2025)",
    "001": "Simon et al., Ultrafast dynamics and light-induced superconductivity from first "
    "principles, arXiv:2603.18182 (2026)",
    "002": "Porta et al., Feasible model for photo-induced interband pairing",
    "003": "Hart et al., Steady-state superconductivity in electronic materials with repulsive "
    "interactions, PRB 100, 060508 (2019)",
    "004": "Curtis et al., Cavity Quantum Eliashberg Enhancement of Superconductivity, "
    "PRL 122, 167002 (2019)",
}


@dataclass
class CheckResult:
    """One comparison of a summary value with the paper's."""

    key: str
    expected: Any
    ours: Any
    # "agrees" | "DEVIATES" | "known deviation" | "missing" | "holds" | "FAILS" |
    # "consistent" | "INCONSISTENT"
    status: str
    criterion: str
    source: str
    note: str


def lookup(summary: dict[str, Any], key: str) -> Any:
    """``summary[key]``, with ``key[i]`` (or ``key[i][j]``) picking elements of a list and
    ``[*]`` keeping a whole axis: ``key[*][0][0]`` of a nested ``[T][F][w]`` list is the list
    over T at the first F and w."""
    m = re.fullmatch(r"(.+?)((?:\[(?:-?\d+|\*)\])+)", key)
    if not m:
        return summary[key]

    def pick(value: Any, picks: list[str]) -> Any:
        if not picks:
            return value
        if picks[0] == "*":
            return [pick(v, picks[1:]) for v in value]
        return pick(value[int(picks[0])], picks[1:])

    return pick(summary[m.group(1)], re.findall(r"-?\d+|\*", m.group(2)))


#: ``{{key}}``, ``{{key[i]}}``, ``{{key[*][0]}}`` or ``{{key:spec}}`` in a scenario's texts: a
#: summary value.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\[(?:-?\d+|\*)\])*)\s*(?::([^{}]*))?\}\}")


def _format_value(value: Any, spec: str) -> str:
    """A summary value as text: numbers with ``spec`` (default ``.3g``), lists joined
    by ", " (inner lists in brackets), booleans and strings as they are."""
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if isinstance(value, int | float):
        return format(value, spec or ".3g")
    if isinstance(value, list):
        return ", ".join(
            f"[{_format_value(v, spec)}]" if isinstance(v, list) else _format_value(v, spec)
            for v in value
        )
    return str(value)


def placeholders(text: str) -> list[str]:
    """The summary keys a text refers to with ``{{key}}`` placeholders."""
    return [m.group(1) for m in PLACEHOLDER.finditer(text or "")]


def fill_placeholders(text: str, summary: dict[str, Any]) -> str:
    """Replace every ``{{key}}`` / ``{{key[i]}}`` / ``{{key:spec}}`` in ``text`` by the
    run's summary value, so that a number quoted in a deviation reason or a choice is
    the number of the run it explains (never typed by hand). A key the summary lacks is
    shown as ``[missing: key]``."""

    def one(m: re.Match) -> str:
        key, spec = m.group(1), (m.group(2) or "").strip()
        try:
            value = lookup(summary, key)
        except (KeyError, IndexError, TypeError):
            return f"[missing: {key}]"
        try:
            return _format_value(value, spec)
        except (ValueError, TypeError):
            return f"[bad format {spec!r} for {key}]"

    return PLACEHOLDER.sub(one, text or "")


def evaluate_check(check: dict[str, Any], summary: dict[str, Any]) -> CheckResult:
    """Compare one ``[[paper.checks]]`` entry with a run's summary."""
    key = str(check["key"])
    expected = check.get("expected")
    compare = check.get("compare", "approx")
    tol = check.get("tolerance")
    rtol = check.get("rel_tolerance")
    known = fill_placeholders(str(check.get("known_deviation", "") or ""), summary)
    source = fill_placeholders(str(check.get("source", "")), summary)
    try:
        ours = lookup(summary, key)
    except (KeyError, IndexError, TypeError):
        return CheckResult(
            key, expected, None, "missing", compare, source, f"summary has no value {key!r}"
        )
    if compare == "approx" and isinstance(expected, int | float) and not isinstance(expected, bool):
        bound = 0.0
        if tol is not None:
            bound = max(bound, float(tol))
        if rtol is not None:
            bound = max(bound, float(rtol) * abs(float(expected)))
        ok = isinstance(ours, int | float) and abs(float(ours) - float(expected)) <= bound
        criterion = f"within {bound:.3g}" if bound else "equal"
    elif compare == "greater":
        ok = float(ours) > float(expected)
        criterion = f"> {expected}"
    elif compare == "less":
        ok = float(ours) < float(expected)
        criterion = f"< {expected}"
    else:
        ok = ours == expected
        criterion = "equal"
    kind = check.get("kind", "paper")
    if kind not in CHECK_KINDS:
        raise ValueError(f"check {key!r}: kind must be one of {CHECK_KINDS}, got {kind!r}")
    if kind == "numerics":
        # a property of our numerics (energy budget, convergence), not a paper's number:
        # reported apart from the agreements with the paper
        status = "holds" if ok else ("known deviation" if known else "FAILS")
    elif kind == "consistency":
        # an input or a calibrated / fitted value compared with the number it was set
        # from: agreement by construction, reported apart from the independent ones
        status = "consistent" if ok else ("known deviation" if known else "INCONSISTENT")
    elif ok:
        status = "agrees"
    else:
        status = "known deviation" if known else "DEVIATES"
    return CheckResult(key, expected, ours, status, criterion, source, known)


def declared_status(check: dict[str, Any]) -> str:
    """The status a ``[[paper.checks]]`` entry declares: ``known deviation`` when it
    carries a ``known_deviation`` reason, else the passing status of its kind
    (``agrees``, ``holds`` or ``consistent``). CI fails when a run's status differs
    (issue 14): a check that starts to agree must lose its reason, one that starts to
    deviate must gain one."""
    if check.get("known_deviation"):
        return "known deviation"
    kind = check.get("kind", "paper")
    if kind not in CHECK_KINDS:
        raise ValueError(f"check {check.get('key')!r}: kind must be one of {CHECK_KINDS}")
    return {"paper": "agrees", "numerics": "holds", "consistency": "consistent"}[kind]


def status_mismatches(sc: Scenario, summary: dict[str, Any]) -> list[str]:
    """One line per check of ``sc`` whose status on ``summary`` differs from the declared
    one (empty: every check has its declared status)."""
    out = []
    for check in sc.paper_table.get("checks", []):
        got = evaluate_check(check, summary)
        want = declared_status(check)
        if got.status != want:
            out.append(
                f"{sc.name}: {check['key']} is {got.status!r} (ours {_fmt(got.ours)}, "
                f"paper {_fmt(got.expected)}, {got.criterion}), declared {want!r}"
            )
    return out


def ci_grid_text(sc: Scenario) -> str:
    """What CI runs ``sc`` on, for the report: the full settings or the ``[ci]``
    overrides, and why they give the full grid's statuses."""
    table = sc.ci or {}
    changes = [
        f"{k} = {v!r}"
        for section in ("parameters", "numerics", "sweep")
        for k, v in table.get(section, {}).items()
    ]
    what = "the full settings above" if not changes else "; ".join(changes)
    why = f" {table['why']}" if table.get("why") else ""
    return f"*CI checks every status below on:* {what}.{why}"


@dataclass
class ScenarioReport:
    scenario: Scenario
    checks: list[CheckResult]
    summary: dict[str, Any]
    figures: list[Path]
    wall_s: float
    error: str = ""
    skipped: str = ""


def paper_scenarios(papers: list[str] | None = None) -> list[Scenario]:
    """Built-in scenarios with a ``[paper]`` table, optionally only of ``papers``."""
    out = []
    for name in builtin_scenarios():
        sc = load_scenario(name)
        if not sc.paper_table:
            continue
        if papers and sc.paper not in papers:
            continue
        out.append(sc)
    return out


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return "—" if v is None else str(v)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(reports: list[ScenarioReport], report_path: Path, grid: str = "full") -> str:
    """The Markdown report; figure links relative to ``report_path``."""
    import photosc

    lines = [
        _REPORT_TITLE,
        "",
        f"Generated by `photosc reproduce` (photosc {photosc.__version__}). Do not edit by hand:"
        " regenerate it. Each paper scenario is run, its figures are shown, and each number or"
        " statement of the paper is compared with ours.",
        "",
    ]
    if grid == "small":
        lines += ["**Small-grid run** (`--small`): numbers are not converged.", ""]
    elif grid == "ci":
        lines += ["**CI-grid run** (`--grid ci`): each scenario's `[ci]` settings.", ""]
    counts: dict[str, int] = {}
    for r in reports:
        for c in r.checks:
            counts[c.status] = counts.get(c.status, 0) + 1
    lines += [
        "| scenario | paper | figure | checks | agrees | deviates | known deviation "
        "| numerics holds | consistent (calibrated) | time (s) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        n = {
            s: sum(c.status == s for c in r.checks)
            for s in (
                "agrees",
                "DEVIATES",
                "known deviation",
                "missing",
                "holds",
                "FAILS",
                "consistent",
                "INCONSISTENT",
            )
        }
        status = "ERROR" if r.error else ("not run" if r.skipped else str(len(r.checks)))
        lines.append(
            f"| [{r.scenario.name}](#{r.scenario.name}) | {r.scenario.paper} | "
            f"{r.scenario.figure} | {status} | {n['agrees']} | "
            f"{n['DEVIATES'] + n['missing'] + n['FAILS'] + n['INCONSISTENT']} | "
            f"{n['known deviation']} | {n['holds']} | {n['consistent']} | {r.wall_s:.1f} |"
        )
    lines += ["", "Totals: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())), ""]
    for paper in sorted({r.scenario.paper for r in reports}):
        lines += [f"## Paper {paper}: {PAPERS.get(paper, paper)}", ""]
        for r in (x for x in reports if x.scenario.paper == paper):
            sc = r.scenario
            pt = sc.paper_table
            lines += [f"### {sc.name}", "", f"**{sc.title}** — {sc.figure}", ""]
            if pt.get("statement"):
                lines += [f"*Paper:* {pt['statement']}", ""]
            if pt.get("choices"):
                choices = fill_placeholders(pt["choices"], r.summary)
                lines += [f"*Parameters chosen (and sources):* {choices}", ""]
            if sc.ci is not None:
                lines += [_md_escape(ci_grid_text(sc)), ""]
            if r.error:
                lines += ["**The run failed:**", "", "```", r.error.strip(), "```", ""]
                continue
            if r.skipped:
                lines += [f"**Not run in this report:** {r.skipped}", ""]
                continue
            for fig in r.figures:
                rel = os.path.relpath(fig, report_path.parent)
                lines += [f"![{sc.name}: {fig.stem}]({rel})", ""]
            if r.checks:
                lines += [
                    "| quantity | paper | photosc | criterion | status | source / reason |",
                    "|---|---|---|---|---|---|",
                ]
                for c in r.checks:
                    why = c.source
                    if c.note and c.status == "known deviation":
                        why = f"{why} **Deviation:** {c.note}" if why else c.note
                    elif c.note:  # declared a known deviation, but the run agrees
                        why = f"{why} (declared a known deviation, but this run agrees)"
                    plain = c.status in ("agrees", "holds", "consistent")
                    status = c.status if plain else f"**{c.status}**"
                    lines.append(
                        f"| `{c.key}` | {_fmt(c.expected)} | {_fmt(c.ours)} | {c.criterion} | "
                        f"{status} | {_md_escape(why)} |"
                    )
                lines.append("")
            if pt.get("notes"):
                lines += [fill_placeholders(str(pt["notes"]), r.summary), ""]
            headline = {k: v for k, v in r.summary.items() if k != "failed_points"}
            lines += [
                "<details><summary>summary.json</summary>",
                "",
                "```json",
                json.dumps(headline, indent=1)[:4000],
                "```",
                "",
                "</details>",
                "",
            ]
    return "\n".join(lines) + "\n"


def _physics(config: str) -> dict[str, Any] | None:
    """The part of a stored configuration that decides the numbers: model, parameters,
    numerics and sweep (the scenario's title, paper and figure are labels, and the
    numerics' :data:`EXECUTION_KEYS` say where the work runs, not what it gives -- the
    parallel paths are tested bit for bit against in-process runs; editing them does not
    make an earlier result stale)."""
    import tomllib

    try:
        data = tomllib.loads(config)
    except tomllib.TOMLDecodeError:
        return None
    head = data.get("scenario", {})
    data["scenario"] = {"model": head.get("model")}
    numerics = data.get("numerics")
    if isinstance(numerics, dict):
        data["numerics"] = {k: v for k, v in numerics.items() if k not in EXECUTION_KEYS}
    return data


#: Numerics fields that choose where a run's work is done (processes, a Dask scheduler),
#: not its numbers: left out of the comparison of configurations (:func:`_physics`).
EXECUTION_KEYS = frozenset({"workers", "scheduler"})


def _reusable(sc: Scenario, folder: Path) -> tuple[dict[str, Any], list[Path], float] | None:
    """(summary, figures, wall time) of an earlier run of ``sc`` in ``folder``, if current."""
    import xarray as xr

    import photosc
    from photosc.config import validate
    from photosc.runner import config_toml

    if not (folder / "summary.json").is_file() or not (folder / "result.nc").is_file():
        return None
    spec, params, numerics = validate(sc)
    try:
        with xr.open_dataset(folder / "result.nc", engine="h5netcdf") as ds:
            attrs = dict(ds.attrs)
    except Exception:  # an unreadable result is rerun, not reused
        return None
    if attrs.get("photosc_version") != photosc.__version__:
        return None
    stored = attrs.get("photosc_config")
    if not isinstance(stored, str) or _physics(stored) != _physics(
        config_toml(sc, spec, params, numerics)
    ):
        return None
    summary = json.loads((folder / "summary.json").read_text())
    return summary, sorted(folder.glob("*.png")), float(attrs.get("wall_time_s", 0.0))


_REPORT_TITLE = "# photosc validation report"


def _check_report_file(path: Path) -> None:
    """Refuse to replace a report file that photosc did not write."""
    from photosc.runner import OutputError

    if not path.exists():
        return
    if path.is_dir():
        raise OutputError(f"report file {path} is an existing folder; choose another --report")
    try:
        with path.open("rb") as f:
            head = f.read(len(_REPORT_TITLE)).decode("utf-8", "replace")
    except OSError as exc:
        raise OutputError(f"cannot read the report file {path}: {exc.strerror or exc}") from None
    if head != _REPORT_TITLE:
        raise OutputError(
            f"report file {path} exists and was not written by photosc; nothing was changed: "
            "choose another --report or --out"
        )


def reproduce(
    papers: list[str] | None = None,
    *,
    out: str | Path = "reproduce",
    report: str | Path | None = None,
    scenarios: list[str] | None = None,
    small: bool = False,
    grid: str = "full",
    reuse: bool = False,
    cached_only: bool = False,
) -> Path:
    """Run every paper scenario (or those of ``papers``) and write the report.

    Parameters
    ----------
    papers : list of str, optional
        Paper numbers ("000" ... "004"); default all.
    out : path
        Folder for the scenario outputs (one sub-folder each, replaced when rerun:
        reproduce regenerates its own results). A sub-folder or report file there
        that photosc did not write is never touched: the run stops with an
        :class:`~photosc.runner.OutputError` before any scenario runs.
    report : path, optional
        Where to write the Markdown report (default ``out/report.md``);
        ``docs/validation.md`` with ``out = docs/validation`` regenerates the docs.
    scenarios : list of str, optional
        Restrict to these scenario names.
    small : bool
        Same as ``grid="small"``.
    grid : {"full", "ci", "small"}
        Run each scenario on its own settings, on its ``[ci]`` grid (the settings on
        which CI checks each status), or on its ``[test]`` small grid (fast,
        unconverged); :func:`photosc.config.on_grid`.
    reuse : bool
        Reuse a scenario's existing output folder in ``out`` when its recorded
        configuration and photosc version equal the current ones (so that the
        report can be regenerated after adding one scenario).
    cached_only : bool
        With ``reuse``: list scenarios without a current output as *not run*
        instead of running them (to assemble a report from runs made earlier).

    Returns
    -------
    Path
        The report file.
    """
    from photosc.runner import check_out, out_path, run

    if small:
        grid = "small"
    if grid not in GRIDS:
        from photosc.errors import ConfigError

        raise ConfigError(f"grid must be one of {GRIDS}, got {grid!r}")
    out = out_path(out)
    report_path = out_path(report) if report is not None else out / "report.md"
    _check_report_file(report_path)
    selected = paper_scenarios(papers)
    if scenarios:
        unknown = set(scenarios) - {s.name for s in selected}
        if unknown:
            from photosc.errors import ConfigError

            raise ConfigError(
                f"no paper scenario named {sorted(unknown)}; available: "
                f"{', '.join(s.name for s in selected)}"
            )
        selected = [s for s in selected if s.name in scenarios]
    for sc in selected:  # refuse folders of the user's before anything runs
        check_out(out / sc.name, overwrite=True)
    reports = []
    for sc in progress(selected, desc="reproduce", total=len(selected)):
        t0 = time.perf_counter()
        try:
            variant = on_grid(sc, grid)
            previous = _reusable(variant, out / sc.name) if reuse else None
            if previous is not None:
                summary, figures, wall = previous
            elif cached_only:
                reports.append(
                    ScenarioReport(
                        sc,
                        [],
                        {},
                        [],
                        0.0,
                        skipped="no current output in the report folder; run "
                        f"`photosc reproduce --scenario {sc.name} --out {out} --reuse` to add it.",
                    )
                )
                continue
            else:
                res = run(variant, out=out / sc.name, overwrite=True)
                summary, figures = res.summary, res.figures
                wall = time.perf_counter() - t0
            checks = [evaluate_check(c, summary) for c in sc.paper_table.get("checks", [])]
            reports.append(ScenarioReport(sc, checks, summary, figures, wall))
        except Exception:
            reports.append(
                ScenarioReport(
                    sc, [], {}, [], time.perf_counter() - t0, error=traceback.format_exc(limit=8)
                )
            )
    from photosc.runner import make_parent

    make_parent(report_path)
    _check_report_file(report_path)
    report_path.write_text(render(reports, report_path, grid))
    return report_path
