"""The documentation pages' runnable commands run as written (issue 15 section 4).

A fenced ``bash`` block preceded by the line ``<!-- runnable -->`` is run; all runnable blocks
of a page run in order in one shell (``set -euo pipefail``), so a ``cd`` or a file of one block
holds for the next. They run in an empty temporary folder into which the repository files that
the page names in ``<!-- tutorial-files: PATH ... -->`` are copied at the same relative paths
(the page tells the reader to work in the repository root). ``photosc`` and ``python`` are
this interpreter's. Any page of ``docs/site`` with runnable blocks is run: a new tutorial needs
no new test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "docs" / "site"

_BLOCK = re.compile(r"^<!-- runnable -->\s*\n```bash[^\n]*\n(.*?)^```\s*$", re.M | re.S)
_FILES = re.compile(r"<!-- tutorial-files:(.*?)-->", re.S)


def runnable_blocks(markdown: str) -> list[str]:
    """The bodies of the fenced ``bash`` blocks marked ``<!-- runnable -->``, in order."""
    return _BLOCK.findall(markdown)


def needed_files(markdown: str) -> list[str]:
    """Repository paths named by the page's ``<!-- tutorial-files: ... -->`` comments."""
    return [p for m in _FILES.findall(markdown) for p in m.split()]


def run_page(page: Path, workdir: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the runnable blocks of ``page`` in ``workdir`` (see the module docstring)."""
    text = page.read_text(encoding="utf-8")
    for rel in needed_files(text):
        target = workdir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, target)
    bin_dir = workdir / ".bin"
    bin_dir.mkdir()
    for name, args in (("photosc", "-m photosc.cli"), ("python", "")):
        shim = bin_dir / name
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" {args} "$@"\n')
        shim.chmod(0o755)
    script = workdir / ".page.sh"
    script.write_text("set -euo pipefail\n" + "\n".join(runnable_blocks(text)))
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PHOTOSC_PROGRESS": "0",
        "MPLBACKEND": "Agg",
    }
    return subprocess.run(
        ["bash", str(script)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


PAGES = sorted(p for p in SITE.rglob("*.md") if runnable_blocks(p.read_text(encoding="utf-8")))


def test_extractor_finds_only_marked_blocks():
    text = (
        "intro\n<!-- runnable -->\n```bash\necho one\n```\n\n```bash\necho not run\n```\n"
        "<!-- runnable -->\n```bash\nphotosc list\n```\n<!-- tutorial-files: a/b.dat c.txt -->\n"
    )
    assert runnable_blocks(text) == ["echo one\n", "photosc list\n"]
    assert needed_files(text) == ["a/b.dat", "c.txt"]


def test_tutorial_has_the_steps_and_the_placeholders():
    text = (SITE / "tutorial.md").read_text(encoding="utf-8")
    blocks = "\n".join(runnable_blocks(text))
    assert "photosc run" in blocks and "photosc sweep" in blocks
    assert "read_spectrum" in blocks
    for rel in needed_files(text):
        assert (ROOT / rel).is_file(), rel
    # the card, the dR/R trace and the fit, with no Python written
    for command in ("photosc material", "photosc fit", 'model = "pump-probe"'):
        assert command in blocks, command
    assert "TODO" not in text


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_commands_run(page, tmp_path):
    out = run_page(page, tmp_path)
    assert out.returncode == 0, f"{page.name} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    if page.name == "tutorial.md":
        work = tmp_path / "tutorial"
        gap = json.loads((work / "gap" / "summary.json").read_text())
        assert gap["tc0_K"] > 0
        assert "lambda          = 0.94" in out.stdout  # the EPW file's own lambda is 0.9397
        assert (work / "gap" / "delta0_t.png").is_file()
        sweep = json.loads((work / "map" / "summary.json").read_text())
        assert sweep["points"] == 2 and sweep["failed"] == 0
        assert (work / "map" / "max_delta0_map.png").is_file()
        card = json.loads((work / "mgb2-material" / "summary.json").read_text())
        assert card["tc_eliashberg_K"] == pytest.approx(39.0, rel=1e-3)  # mu* calibrated to it
        pp = json.loads((work / "pp" / "summary.json").read_text())
        assert pp["material"] == "MgB2" and pp["energy_budget_error"] < 1e-3
        assert (work / "pp" / "signal.png").is_file()
        fit = json.loads((work / "fit" / "fit.json").read_text())
        assert (work / "refit" / "measured.png").is_file()
        got = {p["name"]: p for p in fit["parameters"]}
        # the synthetic trace's true values (tests/data/measured/README.md)
        for name, true in (("fluence_scale", 4.0 / 3.0), ("time_zero", 0.5)):
            assert abs(got[name]["value"] - true) < 3 * got[name]["stderr"], got[name]
