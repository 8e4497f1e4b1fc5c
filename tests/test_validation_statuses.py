"""The validation report is a test (issue 14 section 1).

Every ``[[paper.checks]]`` entry declares its status: ``known deviation`` when it gives
a ``known_deviation`` reason, else ``agrees`` (``holds`` for a numerics check,
``consistent`` for a calibrated one; :func:`photosc.reproduce.declared_status`).

* Default run: the full-grid results committed beside ``docs/validation.md``
  (``docs/validation/NAME/summary.json`` and the ``config.toml`` that produced it) are
  current (same physics configuration as the scenario file) and give every check its
  declared status.
* ``paper`` run (``.ci/run``'s second pass): each scenario on its ``[ci]`` grid gives
  every check its declared status too. Together: the CI grid gives the full grid's
  statuses, and a change of the code that flips any check fails CI.
"""

import json
from pathlib import Path

import pytest

import photosc
from photosc.config import on_grid, validate
from photosc.reproduce import _physics, declared_status, paper_scenarios, status_mismatches
from photosc.runner import config_toml

VALIDATION = Path(__file__).resolve().parents[1] / "docs" / "validation"
PAPER = paper_scenarios()
IDS = [sc.name for sc in PAPER]


def test_declared_status_follows_the_reason_and_the_kind():
    assert declared_status({"key": "a"}) == "agrees"
    assert declared_status({"key": "a", "kind": "numerics"}) == "holds"
    assert declared_status({"key": "a", "kind": "consistency"}) == "consistent"
    assert declared_status({"key": "a", "known_deviation": "why"}) == "known deviation"


def test_a_flipped_status_is_reported():
    sc = next(s for s in PAPER if s.name == "bcs-equilibrium")
    summary = json.loads((VALIDATION / sc.name / "summary.json").read_text())
    assert not status_mismatches(sc, summary)
    key = sc.paper_table["checks"][0]["key"]
    broken = dict(summary, **{key: 1e6 * (abs(summary[key]) + 1.0)})
    (line,) = status_mismatches(sc, broken)
    assert key in line and "declared 'agrees'" in line


@pytest.mark.parametrize("sc", PAPER, ids=IDS)
def test_every_paper_scenario_names_its_ci_grid(sc):
    assert sc.ci is not None, f"{sc.name}: needs a [ci] table (empty: the full settings)"
    on_grid(sc, "ci")  # its overrides are valid


@pytest.mark.parametrize("sc", PAPER, ids=IDS)
def test_full_grid_record_is_current_and_has_the_declared_statuses(sc):
    folder = VALIDATION / sc.name
    assert (folder / "summary.json").is_file(), (
        f"{sc.name}: no full-grid result; run `photosc reproduce --scenario {sc.name} "
        "--out docs/validation --report docs/validation.md --reuse`"
    )
    spec, params, numerics = validate(sc)
    stored = _physics((folder / "config.toml").read_text())
    assert stored == _physics(config_toml(sc, spec, params, numerics)), (
        f"{sc.name}: docs/validation/{sc.name} was run with another configuration; "
        "rerun it (photosc reproduce --scenario ... --reuse)"
    )
    summary = json.loads((folder / "summary.json").read_text())
    assert not status_mismatches(sc, summary)


@pytest.mark.paper
@pytest.mark.parametrize("sc", PAPER, ids=IDS)
def test_ci_grid_gives_the_declared_statuses(sc, tmp_path):
    variant = on_grid(sc, "ci")
    if variant.is_sweep:
        from photosc.sweeps import run_sweep

        # one worker: the paper pass runs its tests in parallel (pytest -n)
        res = run_sweep(variant, out=tmp_path / sc.name, workers=1)
    else:
        res = photosc.run(variant, out=tmp_path / sc.name)
    assert not status_mismatches(sc, res.summary)
