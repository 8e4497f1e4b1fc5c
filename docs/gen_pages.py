"""Pages of the documentation site that are generated from the repository, never written by hand.

MkDocs loads this file as a hook (``hooks:`` in ``mkdocs.yml``); at build time it adds

* ``scenarios/NAME.md``: one page per built-in scenario, from its declared parameters
  (:func:`photosc.models._base.describe_fields`, the information ``photosc show NAME``
  prints: value, unit, default, allowed range, description), its numerics, sweep, grids
  and the ``[paper]`` checks it is compared with; ``scenarios/index.md`` lists them by paper;
* ``api/*.md``: the API reference, one ``::: module`` directive per module of
  ``src/photosc`` (rendered by mkdocstrings from the numpydoc docstrings);
* ``cite.md``: how to cite, from ``CITATION.cff``;
* the pages kept beside the site source in ``docs/`` (``validation.md`` with its figures,
  ``architecture.md``, ``design.md``, ``style.md``), included as they are.

The page functions are plain (no MkDocs import), so the tests call them directly
(``tests/test_docs.py``). ``python docs/gen_pages.py --equations`` rewrites the table
"paper, equation -> where" of ``docs/architecture.md`` from the docstrings of ``src/photosc``.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SRC = ROOT / "src"
PACKAGE = SRC / "photosc"

#: Pages of ``docs/`` (outside the site source ``docs/site``) that the site includes as they are.
KEPT_PAGES = ("validation.md", "architecture.md", "design.md", "style.md")
#: Folders of ``docs/`` whose figures the kept pages show.
KEPT_FIGURES = ("validation", "figures")

#: Label of the scenarios of no paper (``paper = "textbook"``) in the listing.
OTHER_PAPERS = {"textbook": "Textbook BCS"}


# --------------------------------------------------------------------------- helpers


def md_text(text: Any) -> str:
    """``text`` safe inside a Markdown table cell or paragraph: ``|``, ``*``, ``<``, ``[``
    and ``_`` escaped, line breaks as spaces."""
    out = str(text).replace("\\", "\\\\")
    for ch in ("|", "*", "[", "]", "_", "`"):
        out = out.replace(ch, "\\" + ch)
    return out.replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ").strip()


def md_code(value: Any) -> str:
    """``value`` as an inline code span (repr of non-strings), safe in a table cell."""
    text = value if isinstance(value, str) and value else repr(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def paper_titles() -> dict[str, str]:
    """Paper number -> citation line (the validation report's list) plus ``textbook``."""
    from photosc.reproduce import PAPERS

    return {**PAPERS, **OTHER_PAPERS}


# --------------------------------------------------------------------------- scenario pages


def _field_rows(fields: list[dict[str, Any]], given: dict[str, Any]) -> list[str]:
    rows = [
        "| name | value | unit | default | allowed | description |",
        "|---|---|---|---|---|---|",
    ]
    for f in fields:
        value = given.get(f["name"], f["default"])
        rows.append(
            "| "
            + " | ".join(
                [
                    f"`{f['name']}`",
                    md_code(value),
                    md_code(f["unit"]) if f["unit"] else "",
                    md_code(f["default"]),
                    md_text(f["allowed"]),
                    md_text(f["description"]),
                ]
            )
            + " |"
        )
    return rows


def _grid_lines(title: str, table: dict[str, Any] | None, none_text: str) -> list[str]:
    lines = [f"### {title}", ""]
    if table is None:
        return [*lines, none_text, ""]
    changes = [
        f"`{section}.{k}` = {md_code(v)}"
        for section in ("parameters", "numerics", "sweep")
        for k, v in (table.get(section) or {}).items()
    ]
    lines.append("; ".join(changes) + "." if changes else "The full settings above.")
    if table.get("why"):
        lines += ["", md_text(table["why"])]
    return [*lines, ""]


def _criterion(check: dict[str, Any]) -> str:
    compare = check.get("compare", "approx")
    if compare == "greater":
        return f"> {check.get('expected')}"
    if compare == "less":
        return f"< {check.get('expected')}"
    parts = []
    if check.get("tolerance") is not None:
        parts.append(f"within {check['tolerance']}")
    if check.get("rel_tolerance") is not None:
        parts.append(f"within {check['rel_tolerance']} relative")
    return " or ".join(parts) if parts else "equal"


_PLACEHOLDER = re.compile(r"\{\{\s*([^{}:]+?)\s*(?::[^{}]*)?\}\}")


def _paper_text(text: str) -> str:
    """A ``[paper]`` text with its ``{{key}}`` placeholders (values of a run) named."""
    return md_text(_PLACEHOLDER.sub(lambda m: f"<{m.group(1)} of the run>", text))


def _paper_lines(name: str, table: dict[str, Any]) -> list[str]:
    from photosc.reproduce import declared_status

    lines = ["## Compared with the paper", ""]
    if not table:
        none = "This scenario has no `[paper]` table: it is not in the validation report."
        return [*lines, none, ""]
    if table.get("statement"):
        lines += [f"*Paper:* {_paper_text(table['statement'])}", ""]
    if table.get("choices"):
        lines += [f"*Parameters chosen (and sources):* {_paper_text(table['choices'])}", ""]
    checks = table.get("checks", [])
    if checks:
        lines += [
            "| key | paper | criterion | kind | declared status | source |",
            "|---|---|---|---|---|---|",
        ]
        for c in checks:
            lines.append(
                "| "
                + " | ".join(
                    [
                        md_code(c.get("key", "")),
                        md_code(c.get("expected")),
                        md_text(_criterion(c)),
                        md_text(c.get("kind", "paper")),
                        md_text(declared_status(c)),
                        _paper_text(c.get("source", "")),
                    ]
                )
                + " |"
            )
        lines.append("")
    lines += [
        f"Our numbers, figures and the reasons of known deviations: "
        f"[validation report](../validation.md#{name}).",
        "",
    ]
    return lines


def scenario_page(name: str) -> str:
    """The Markdown page of the built-in scenario ``name``, from its declarations."""
    from photosc.config import load_scenario
    from photosc.models import get as get_model
    from photosc.models._base import describe_fields

    sc = load_scenario(name)
    spec = get_model(sc.model)
    papers = paper_titles()
    lines = [f"# {name}", ""]
    if sc.title:
        lines += [f"**{md_text(sc.title)}**", ""]
    paper = papers.get(sc.paper, sc.paper or "-")
    lines += [
        "| | |",
        "|---|---|",
        f"| paper | {md_text(sc.paper or '-')}: {md_text(paper)} |",
        f"| figure | {md_text(sc.figure or '-')} |",
        f"| model | `{spec.name}` (paper {md_text(spec.paper)}): {md_text(spec.description)} |",
        f"| kind | {'sweep' if sc.is_sweep else 'single run'} |",
        f"| file | `src/photosc/scenarios/{name}.toml` |",
        "",
        "```bash",
        f"photosc show {name}       # these parameters, as text",
        f"photosc run {name}        # runs/{name}-*/: result.nc, summary.json, figures",
        "```",
        "",
        "A number is read in the unit of its row; a string may carry its own unit "
        "(`'30 meV'`, `'100 K'`). Override a value with `--set KEY=VALUE`.",
        "",
        "## Parameters",
        "",
        *_field_rows(describe_fields(spec.params), sc.parameters),
        "",
        "## Numerics",
        "",
        *_field_rows(describe_fields(spec.numerics), sc.numerics),
        "",
    ]
    if sc.sweep:
        lines += ["## Sweep", "", "| parameter | values |", "|---|---|"]
        lines += [f"| `{k}` | {md_code(v)} |" for k, v in sc.sweep.items()]
        lines.append("")
    lines += ["## Grids", ""]
    lines += _grid_lines(
        "Small test grid (`[test]`)", sc.test or None, "No `[test]` table: tests run the defaults."
    )
    lines += _grid_lines(
        "CI grid (`[ci]`)", sc.ci, "No `[ci]` table: CI does not rerun this scenario's checks."
    )
    lines += _paper_lines(name, sc.paper_table)
    return "\n".join(lines)


def scenarios_by_paper() -> dict[str, list[tuple[str, str]]]:
    """Paper number -> [(scenario, title)] of the built-in scenarios, papers sorted."""
    from photosc.config import builtin_scenarios, load_scenario

    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in builtin_scenarios():
        sc = load_scenario(name)
        out[sc.paper or "-"].append((name, sc.title))
    return dict(sorted(out.items()))


def scenario_index() -> str:
    """``scenarios/index.md``: the built-in scenarios by paper."""
    papers = paper_titles()
    lines = [
        "# Scenarios",
        "",
        "One page per built-in scenario, generated from its declared parameters when the site is "
        "built (the same information as `photosc show NAME`). `photosc list` prints what the "
        "installed version ships.",
        "",
    ]
    for paper, rows in scenarios_by_paper().items():
        lines += [f"## {md_text(paper)}: {md_text(papers.get(paper, ''))}", ""]
        lines += [f"- [{name}]({name}.md): {md_text(title)}" for name, title in rows]
        lines.append("")
    return "\n".join(lines)


def scenario_pages() -> dict[str, str]:
    """Site path -> Markdown of every generated scenario page (index included)."""
    from photosc.config import builtin_scenarios

    pages = {"scenarios/index.md": scenario_index()}
    for name in builtin_scenarios():
        pages[f"scenarios/{name}.md"] = scenario_page(name)
    return pages


def scenario_nav() -> list[Any]:
    """MkDocs ``nav`` entries of the scenario pages, one section per paper."""
    papers = paper_titles()
    nav: list[Any] = [{"By paper": "scenarios/index.md"}]
    for paper, rows in scenarios_by_paper().items():
        title = papers.get(paper, "").split(",")[0]
        label = f"{paper} {title}".strip() if paper.isdigit() else (title or paper)
        nav.append({label: [{name: f"scenarios/{name}.md"} for name, _ in rows]})
    return nav


# --------------------------------------------------------------------------- API reference


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def api_groups() -> dict[str, tuple[str, list[str]]]:
    """API page stem -> (title, modules), one page per layer area (one per core)."""
    modules = sorted(_module_name(p) for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")
    groups: dict[str, tuple[str, list[str]]] = {}

    def add(stem: str, title: str, mods: list[str]) -> None:
        if mods:
            groups[stem] = (title, mods)

    def under(prefix: str) -> list[str]:
        return [m for m in modules if m == prefix or m.startswith(prefix + ".")]

    add("package", "Package", ["photosc", "photosc.cores"])
    add("foundation", "Foundation: units, grids, distributions", under("photosc.foundation"))
    cores = sorted(
        {m.split(".")[2] for m in modules if m.startswith("photosc.cores.") and m.count(".") >= 2}
    )
    for core in cores:
        add(f"cores-{core}", f"Core: {core}", under(f"photosc.cores.{core}"))
    add("inputs", "Inputs: file readers", under("photosc.inputs"))
    add("materials", "Materials: cards, mu* calibration", under("photosc.materials"))
    add("pipeline", "Pipeline: the pump-probe chain", under("photosc.pipeline"))
    add("models", "Models", under("photosc.models"))
    top = [f"photosc.{n}" for n in ("config", "runner", "sweeps", "reproduce", "cli", "errors")]
    add("runner", "Configuration, runner, sweeps, reproduce, CLI", [m for m in top if m in modules])
    # anything not placed above (a new top-level module or package) gets its own page
    placed = {m for _, mods in groups.values() for m in mods}
    for area in sorted({m.split(".")[1] for m in modules if m not in placed and "." in m}):
        add(area, f"photosc.{area}", [m for m in under(f"photosc.{area}") if m not in placed])
    return groups


def api_page(title: str, modules: list[str]) -> str:
    """One API page: a mkdocstrings directive per module; a package shows only its docstring
    (its modules follow, so nothing is rendered twice)."""
    packages = {_module_name(p) for p in PACKAGE.rglob("__init__.py")}
    lines = [f"# {title}", ""]
    for mod in modules:
        lines.append(f"::: {mod}")
        if mod in packages:
            lines += ["    options:", "      members: false"]
        lines.append("")
    return "\n".join(lines)


def api_pages() -> dict[str, str]:
    """Site path -> Markdown of the API reference pages (index included)."""
    groups = api_groups()
    index = [
        "# API reference",
        "",
        "Generated from the numpydoc docstrings of `src/photosc` (units and shapes in each "
        "parameter's type slot). The layers are described in [Architecture](../architecture.md).",
        "",
    ]
    index += [f"- [{title}]({stem}.md)" for stem, (title, _) in groups.items()]
    pages = {"api/index.md": "\n".join(index) + "\n"}
    for stem, (title, mods) in groups.items():
        pages[f"api/{stem}.md"] = api_page(title, mods)
    return pages


def api_nav() -> list[Any]:
    """MkDocs ``nav`` entries of the API reference."""
    nav: list[Any] = [{"Overview": "api/index.md"}]
    for stem, (title, _) in api_groups().items():
        label = f"cores.{stem[6:]}" if stem.startswith("cores-") else title.split(":")[0]
        nav.append({label: f"api/{stem}.md"})
    return nav


# --------------------------------------------------------------------------- citation


def cite_page() -> str:
    """``cite.md``: how to cite photosc and the five papers, from ``CITATION.cff``."""
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    lines = ["# How to cite", "", md_text(" ".join(cff.get("message", "").split())), ""]
    authors = ", ".join(a.get("name") or a.get("family-names", "") for a in cff.get("authors", []))
    lines += [
        "## photosc",
        "",
        f"{md_text(authors)}. *{md_text(cff['title'])}*, version {cff.get('version', '')} "
        f"({cff.get('license', '')}).",
        "",
        "The machine-readable form is `CITATION.cff` at the repository root.",
        "",
        "## The papers",
        "",
    ]
    for ref in cff.get("references", []):
        names = [
            f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
            for a in ref.get("authors", [])
        ]
        where = ", ".join(str(ref[k]) for k in ("journal", "volume", "start") if ref.get(k))
        if ref.get("year"):
            where = f"{where} ({ref['year']})".strip()
        link = ""
        if ref.get("doi"):
            link = f" doi:[{ref['doi']}](https://doi.org/{ref['doi']})"
        elif ref.get("url"):
            link = f" <{ref['url']}>"
        lines += [
            f"- {md_text(', '.join(names))}: *{md_text(ref['title'])}*"
            + (f", {md_text(where)}" if where else "")
            + f".{link}",
            f"  {md_text(ref.get('notes', ''))}",
        ]
    lines.append("")
    return "\n".join(lines)


def generated_pages() -> dict[str, str]:
    """Every generated page: site path -> Markdown."""
    return {**scenario_pages(), **api_pages(), "cite.md": cite_page()}


# --------------------------------------------------------------------------- equation index

#: ``Eq. 6``, ``Eqs. 4-8``, ``SI Eq. 5``, ``Eqs. (10)-(14)``, ``Eqs. 3, 17, 22-23``, ``Eq. 3.124``.
EQUATION = re.compile(
    r"(?P<si>SI\s+)?Eqs?\.\s*(?P<nums>\(?\d+(?:\.\d+)?[a-z]?\)?"
    r"(?:\s*(?:[-–,]|and)\s*\(?\d+(?:\.\d+)?[a-z]?\)?)*)"
)
_PAPER = re.compile(r"\b[Pp]aper\s+(\d{3})\b")
#: The five papers named by their first author (``Chattopadhyay et al.``) or number.
_SOURCE = re.compile(
    r"\b[Pp]aper\s+(?P<num>\d{3})\b|(?P<author>Chattopadhyay|Simon|Porta|Hart|Curtis) et al"
    r"|(?P<journal>npj Quantum Mater\.(?: \(?20\d\d\)?)?|2603\.18182|060508|167002)"
)
_AUTHORS = {
    "Chattopadhyay": "000",
    "Simon": "001",
    "Porta": "002",
    "Hart": "003",
    "Curtis": "004",
    "npj": "000",
    "2603.18182": "001",
    "060508": "003",
    "167002": "004",
}
#: Signs that an equation belongs to another work (a year, "et al.", "their", a textbook).
_OTHER_WORK = re.compile(r"\b(?:19|20)\d\d\b|et al|\btheir\s*$|Tinkham|Kaplan")
#: The paper key of equations of other works than the five papers.
OTHER = "other"


def _equation_numbers(text: str) -> list[str]:
    """``"4-8"`` -> 4, 5, 6, 7, 8 (ranges up to 12 wide); ``"3, 17"`` -> 3, 17; ``"3a"``."""
    out: list[str] = []
    for part in re.split(r"\s*(?:,|and)\s*", text.replace("(", "").replace(")", "")):
        m = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", part)
        if m and 0 < int(m.group(2)) - int(m.group(1)) <= 12:
            out += [str(i) for i in range(int(m.group(1)), int(m.group(2)) + 1)]
        elif m:
            out += [m.group(1), m.group(2)]
        elif part:
            out.append(part)
    return out


def _citations(text: str, default_paper: str) -> list[tuple[str, str]]:
    """(paper, equation) pairs cited in ``text``. The paper is the last ``paper NNN`` before
    the citation in the same paragraph, else ``default_paper``; an equation of another work
    (a year, "et al.", "their" or a textbook's section number within 50 characters before it,
    after any ``paper NNN``; never an ``SI Eq.``, which only paper 001 has) is
    ``(OTHER, "<context> Eq. N")``."""
    out = []
    last_eq = 0
    for m in EQUATION.finditer(text):
        start = max(text.rfind("\n\n", 0, m.start()) + 1, 0)
        before = text[start : m.start()]
        sources = list(_SOURCE.finditer(before))
        paper = default_paper
        if sources:
            s = sources[-1]
            named = s.group("author") or (s.group("journal") or "").split(" ")[0]
            paper = s.group("num") or _AUTHORS[named]
        own = sources[-1].end() if sources else 0
        cut = max(own, last_eq - start, len(before) - 50, 0)
        window = before[cut:]
        if sources and cut == own:  # "Simon et al., arXiv ... (2026), Eq. 3": that paper's year
            window = re.sub(r"\b(?:19|20)\d\d\b", "", window)
        last_eq = m.end()
        prefix = "SI Eq. " if m.group("si") else "Eq. "
        decimal = "." in m.group("nums").split(",")[0].strip("()")[:4]  # Tinkham Eq. 3.124
        if not m.group("si") and (_OTHER_WORK.search(window) or decimal):
            context = " ".join(window.split())
            context = (context.split(" ", 1)[-1] if len(window) >= 50 else context).lstrip("(,; ")
            out.append((OTHER, f"{context} {m.group(0).strip()}".strip()))
            continue
        out += [(paper, prefix + n) for n in _equation_numbers(m.group("nums"))]
    return out


def _module_paper(path: Path, tree: ast.Module) -> str:
    """The paper a module belongs to: the first ``paper NNN`` of its docstring, else of its
    package's docstring, else ``?``."""
    found = _PAPER.findall(ast.get_docstring(tree) or "")
    if found:
        return found[0]
    init = path.parent / "__init__.py"
    if init != path and init.is_file():
        found = _PAPER.findall(ast.get_docstring(ast.parse(init.read_text("utf-8"))) or "")
        if found:
            return found[0]
    return "?"


def _docstrings(node: ast.AST, prefix: str = "") -> list[tuple[str, str]]:
    """(qualname, docstring) of a module ('' for its own) and of its functions, classes and
    methods."""
    out = [("", ast.get_docstring(node) or "")] if isinstance(node, ast.Module) else []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            qual = f"{prefix}{child.name}"
            out.append((qual, ast.get_docstring(child) or ""))
            if isinstance(child, ast.ClassDef):
                out += _docstrings(child, qual + ".")
    return out


def equation_index() -> dict[tuple[str, str], list[str]]:
    """(paper, equation) -> the functions, classes and modules of ``src/photosc`` whose
    docstrings cite it (``module:qualname``; ``module`` alone for a module docstring).
    Functions and classes of foundation, cores and inputs come first, then the models' and
    the rest; a module is listed only where none of its functions or classes is."""
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        module = _module_name(path)
        paper = _module_paper(path, tree)
        for qual, doc in _docstrings(tree):
            where = f"{module}:{qual}" if qual else module
            for key in _citations(doc, paper):
                index[key].add(where)

    def order(where: str) -> tuple[int, str]:
        lower = where.startswith(("photosc.foundation", "photosc.cores", "photosc.inputs"))
        return (0 if lower else 1, where)

    out = {}
    for key, where in index.items():
        held = {w.split(":")[0] for w in where if ":" in w}
        out[key] = sorted((w for w in where if ":" in w or w not in held), key=order)
    return out


def _equation_sort_key(key: tuple[str, str]) -> tuple[str, bool, int, str]:
    paper, eq = key
    m = re.search(r"(\d+)", eq)
    return (paper, eq.startswith("SI"), int(m.group(1)) if m else 0, eq)


def equation_table() -> str:
    """The Markdown table paper | equation | where, sorted by paper and equation."""
    index = equation_index()
    titles = {**paper_titles(), OTHER: "other works"}
    lines = ["| paper | equation | where (module:function, or module) |", "|---|---|---|"]
    for key in sorted(index, key=_equation_sort_key):
        paper, eq = key
        label = titles.get(paper, "").split(",")[0]
        where = "<br>".join(f"`{w}`" for w in index[key])
        shown = paper if paper != OTHER else ""
        lines.append(f"| {shown} {md_text(label)} | {md_text(eq)} | {where} |")
    return "\n".join(lines)


TABLE_START = "<!-- equation-table:start (python docs/gen_pages.py --equations) -->"
TABLE_END = "<!-- equation-table:end -->"


def write_equation_table(path: Path = DOCS / "architecture.md") -> None:
    """Replace the table between the markers of ``path`` by :func:`equation_table`."""
    text = path.read_text("utf-8")
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    path.write_text(f"{head}{TABLE_START}\n{equation_table()}\n{TABLE_END}{tail}", "utf-8")


# --------------------------------------------------------------------------- MkDocs hooks


def on_config(config: Any) -> Any:
    """Expand the ``Scenarios`` and ``API reference`` entries of the nav."""
    expand = {"Scenarios": scenario_nav(), "API reference": api_nav()}
    config["nav"] = [
        {k: expand.get(k, v) for k, v in item.items()} if isinstance(item, dict) else item
        for item in config["nav"]
    ]
    return config


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages and the kept pages of ``docs/`` with their figures."""
    from mkdocs.structure.files import File

    for src_uri, content in generated_pages().items():
        files.append(File.generated(config, src_uri, content=content))
    kept = [DOCS / p for p in KEPT_PAGES]
    for folder in KEPT_FIGURES:
        kept += sorted((DOCS / folder).rglob("*.png"))
    for path in kept:
        files.append(
            File(
                str(path.relative_to(DOCS)),
                src_dir=str(DOCS),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    return files


if __name__ == "__main__":
    if sys.argv[1:] == ["--equations"]:
        write_equation_table()
    else:
        sys.exit("usage: python docs/gen_pages.py --equations")
