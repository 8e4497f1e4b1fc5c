"""The documentation site's generated pages (docs/gen_pages.py) and the architecture table.

The site itself is built by ``.ci/run`` (``mkdocs build --strict``); these tests check what
the generator writes without MkDocs: a page per built-in scenario showing every declared unit,
the API reference covering every module, the nav naming pages that exist, and every module
and function of the equation table in ``docs/architecture.md`` existing.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from photosc.config import builtin_scenarios, load_scenario
from photosc.models import get as get_model
from photosc.models._base import describe_fields

ROOT = Path(__file__).resolve().parent.parent


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_pages", ROOT / "docs" / "gen_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return gen.generated_pages()


def _section_rows(page: str, section: str) -> dict[str, list[str]]:
    """Field name -> cells of the table under ``## section`` of a scenario page."""
    body = page.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in body.splitlines():
        m = re.match(r"\| `(\w+)` \|", line)
        if m:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows[m.group(1)] = cells
    return rows


def test_every_builtin_scenario_has_a_page_listed_by_paper(pages):
    names = list(builtin_scenarios())
    assert names
    index = pages["scenarios/index.md"]
    nav_pages = [
        page for entry in gen.scenario_nav() for v in entry.values() for page in _flatten(v)
    ]
    for name in names:
        assert f"scenarios/{name}.md" in pages, name
        assert f"]({name}.md)" in index, name
        assert f"scenarios/{name}.md" in nav_pages, name
        sc = load_scenario(name)
        assert pages[f"scenarios/{name}.md"].startswith(f"# {name}\n")
        # listed under its paper's heading
        heading = f"## {gen.md_text(sc.paper or '-')}:"
        section = index.split(heading, 1)[1].split("\n## ", 1)[0]
        assert f"]({name}.md)" in section, (name, sc.paper)


def _flatten(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [p for item in value for p in _flatten(item)]
    return [p for v in value.values() for p in _flatten(v)]


@pytest.mark.parametrize("name", list(builtin_scenarios()))
def test_scenario_page_shows_every_field_with_its_unit(pages, name):
    sc = load_scenario(name)
    spec = get_model(sc.model)
    page = pages[f"scenarios/{name}.md"]
    for section, cls, given in (
        ("Parameters", spec.params, sc.parameters),
        ("Numerics", spec.numerics, sc.numerics),
    ):
        rows = _section_rows(page, section)
        fields = describe_fields(cls)
        assert set(rows) == {f["name"] for f in fields}, section
        for f in fields:
            cells = rows[f["name"]]
            assert len(cells) == 6, cells
            value = given.get(f["name"], f["default"])
            assert cells[1] == gen.md_code(value), (f["name"], cells)
            if f["unit"]:
                assert cells[2] == f"`{f['unit']}`", (name, f["name"], cells)
            else:
                assert cells[2] == "", (name, f["name"], cells)
            assert cells[4] == gen.md_text(f["allowed"])


@pytest.mark.parametrize(
    "name", [n for n in builtin_scenarios() if load_scenario(n).paper_table.get("checks")]
)
def test_scenario_page_lists_its_paper_checks(pages, name):
    page = pages[f"scenarios/{name}.md"]
    compared = page.split("\n## Compared with the paper\n", 1)[1]
    for check in load_scenario(name).paper_table["checks"]:
        assert f"| {gen.md_code(check['key'])} |" in compared, check["key"]
    assert f"(../validation.md#{name})" in compared


def test_unit_cells_would_catch_a_missing_unit(pages):
    """The unit check reads the unit cell: a page with the unit blanked shows none."""
    page = pages["scenarios/bcs-equilibrium.md"]
    assert _section_rows(page, "Parameters")["cutoff"][2] == "`meV`"
    blanked = page.replace("| `meV` |", "|  |")
    assert _section_rows(blanked, "Parameters")["cutoff"][2] == ""


def test_api_reference_covers_every_module(pages):
    documented = {
        line[4:].strip()
        for path, text in pages.items()
        if path.startswith("api/")
        for line in text.splitlines()
        if line.startswith("::: ")
    }
    src = ROOT / "src"
    modules = set()
    for path in (src / "photosc").rglob("*.py"):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] != "__main__":
            modules.add(".".join(parts))
    assert modules - documented == set()
    assert documented - modules == set()


def test_cite_page_names_the_five_papers(pages):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    refs = cff["references"]
    assert len(refs) == 5
    for ref in refs:
        assert gen.md_text(ref["title"]) in pages["cite.md"], ref["title"]
        if ref.get("doi"):
            assert ref["doi"] in pages["cite.md"]


def test_nav_names_only_pages_that_exist(pages):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config = gen.on_config(config)
    site = ROOT / config["docs_dir"]
    for page in _flatten(config["nav"]):
        assert (site / page).is_file() or page in pages or page in gen.KEPT_PAGES, page
    for kept in gen.KEPT_PAGES:
        assert (ROOT / "docs" / kept).is_file(), kept


# ----------------------------------------------------------------------------- architecture


def _equation_rows() -> list[tuple[str, str, list[str]]]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    table = text.split(gen.TABLE_START, 1)[1].split(gen.TABLE_END, 1)[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows.append((cells[0], cells[1], re.findall(r"`([^`]+)`", cells[2])))
    return rows


def test_architecture_table_has_every_paper():
    rows = _equation_rows()
    assert len(rows) > 50
    papers = {paper.split()[0] for paper, _, _ in rows if paper}
    assert {"000", "001", "002", "003", "004"} <= papers
    assert all(where for _, _, where in rows)


def _missing_entries(rows: list[tuple[str, str, list[str]]]) -> list[str]:
    """Entries ``module[:qualname]`` of the table whose module or object does not exist."""
    missing = []
    for _, eq, where in rows:
        for entry in where:
            module_name, _, qualname = entry.partition(":")
            try:
                obj = importlib.import_module(module_name)
            except ImportError:
                missing.append(f"{eq}: {entry}")
                continue
            for part in filter(None, qualname.split(".")):
                obj = getattr(obj, part, None)
                if obj is None:
                    missing.append(f"{eq}: {entry}")
                    break
    return missing


def test_architecture_table_points_to_real_functions():
    assert _missing_entries(_equation_rows()) == []


def test_architecture_check_catches_a_wrong_entry():
    rows = [
        ("000", "Eq. 4", ["photosc.cores.bcs.gap_equation:solve_gap"]),
        ("000", "Eq. 4", ["photosc.cores.bcs.gap_equation:no_such_function"]),
        ("001", "Eq. 1", ["photosc.cores.no_such_module"]),
        ("001", "Eq. 1", ["photosc.cores.trapping:TrappingModel.no_such_method"]),
    ]
    assert len(_missing_entries(rows)) == 3
