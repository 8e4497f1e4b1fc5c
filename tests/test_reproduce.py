from pathlib import Path

import pytest

from photosc.config import load_scenario
from photosc.reproduce import ScenarioReport, evaluate_check, render


def test_evaluate_check_kinds():
    s = {"a": 2.05, "b": [1.0, 3.0], "flag": True, "kind": "I"}
    assert evaluate_check({"key": "a", "expected": 2.0, "tolerance": 0.1}, s).status == "agrees"
    assert evaluate_check({"key": "a", "expected": 2.0, "rel_tolerance": 0.01}, s).status == (
        "DEVIATES"
    )
    r = evaluate_check(
        {
            "key": "a",
            "expected": 3.0,
            "tolerance": 0.1,
            "known_deviation": "paper uses another DOS",
        },
        s,
    )
    assert r.status == "known deviation" and "DOS" in r.note
    assert evaluate_check({"key": "b[1]", "expected": 2.0, "compare": "greater"}, s).status == (
        "agrees"
    )
    assert evaluate_check({"key": "flag", "expected": True}, s).status == "agrees"
    assert evaluate_check({"key": "kind", "expected": "II"}, s).status == "DEVIATES"
    assert evaluate_check({"key": "nope", "expected": 1}, s).status == "missing"


def test_render_report(toy_scenario, tmp_path):
    sc = load_scenario(toy_scenario)
    sc = sc.__class__(
        **{
            **sc.__dict__,
            "paper": "004",
            "paper_table": {"statement": "x grows", "choices": "none"},
        }
    )
    check = evaluate_check(
        {"key": "a", "expected": 1.0, "tolerance": 0.5, "source": "Fig. 1"}, {"a": 1.2}
    )
    fig = tmp_path / "out" / "toy" / "square.png"
    text = render([ScenarioReport(sc, [check], {"a": 1.2}, [fig], 0.1)], tmp_path / "report.md")
    assert "## Paper 004" in text and "x grows" in text and "agrees" in text
    assert "](out/toy/square.png)" in text
    assert Path("out/toy/square.png").as_posix() in text


def test_reproduce_writes_report_and_reuses_current_outputs(tmp_path):
    from photosc.reproduce import reproduce

    report = reproduce(scenarios=["bcs-equilibrium"], out=tmp_path, small=True)
    text = report.read_text()
    assert "### bcs-equilibrium" in text and "Small-grid run" in text
    assert "](bcs-equilibrium/" in text  # figure linked relative to the report
    nc = tmp_path / "bcs-equilibrium" / "result.nc"
    stamp = nc.stat().st_mtime_ns
    reproduce(scenarios=["bcs-equilibrium"], out=tmp_path, small=True, reuse=True)
    assert nc.stat().st_mtime_ns == stamp  # reused, not rerun
    reproduce(scenarios=["bcs-equilibrium"], out=tmp_path, small=False, reuse=True)
    assert nc.stat().st_mtime_ns != stamp  # other configuration: rerun


def test_reuse_ignores_labels_but_not_physics(tmp_path):
    # a result stays current when only the scenario's title or figure label is edited;
    # any change of model, parameters, numerics or sweep makes it stale
    from dataclasses import replace

    import photosc
    from photosc.reproduce import _reusable

    sc = load_scenario("bcs-equilibrium")
    photosc.run("bcs-equilibrium", out=tmp_path / "r")
    assert _reusable(sc, tmp_path / "r") is not None
    assert _reusable(replace(sc, title="renamed", figure="Fig. 9"), tmp_path / "r") is not None
    other = replace(sc, parameters={**sc.parameters, "coupling": 0.31})
    assert _reusable(other, tmp_path / "r") is None


def test_cached_only_lists_missing_scenarios_as_not_run(tmp_path):
    from photosc.reproduce import reproduce

    text = reproduce(
        scenarios=["bcs-equilibrium"], out=tmp_path, small=True, reuse=True, cached_only=True
    ).read_text()
    assert "not run" in text and "Not run in this report" in text
    assert not (tmp_path / "bcs-equilibrium").exists()


def test_placeholders_quote_the_runs_own_summary():
    from photosc.reproduce import evaluate_check, fill_placeholders, placeholders

    summary = {"tau_ns": [0.4421, 0.5], "ok": True, "name": "gapless", "x": 1234.5678}
    text = (
        "1/e {{tau_ns[0]}} ns and {{ tau_ns[1] :.2f }} ns; all {{tau_ns}}; {{ok}} {{name}}; "
        "{{x:.1f}}; {{absent}}; c_{k1} stays; {{x:q}}"
    )
    assert placeholders(text) == [
        "tau_ns[0]",
        "tau_ns[1]",
        "tau_ns",
        "ok",
        "name",
        "x",
        "absent",
        "x",
    ]
    assert fill_placeholders(text, summary) == (
        "1/e 0.442 ns and 0.50 ns; all 0.442, 0.5; True gapless; 1234.6; [missing: absent]; "
        "c_{k1} stays; [bad format 'q' for x]"
    )
    check = {"key": "ok", "expected": False, "compare": "equal", "known_deviation": "got {{x:.0f}}"}
    assert evaluate_check(check, summary).note == "got 1235"


def test_numerics_checks_hold_or_fail_apart_from_the_agreements():
    from photosc.reproduce import evaluate_check

    s = {"energy_budget_error": 2e-4}
    check = {"key": "energy_budget_error", "expected": 1e-3, "compare": "less", "kind": "numerics"}
    assert evaluate_check(check, s).status == "holds"
    assert evaluate_check(check, {"energy_budget_error": 2e-3}).status == "FAILS"
    assert evaluate_check({**check, "kind": "paper"}, s).status == "agrees"


def test_nested_list_elements_in_keys_and_placeholders():
    from photosc.reproduce import fill_placeholders, lookup

    s = {"by_point": [[0.24, 1e-3], [-1.2e-3, 5e-6]]}
    assert lookup(s, "by_point[1][0]") == -1.2e-3
    assert (
        fill_placeholders("{{by_point[0][0]:.2f}} / {{by_point[1][-1]:.1g}}", s) == "0.24 / 5e-06"
    )
    assert fill_placeholders("{{by_point:.2g}}", s) == "[0.24, 0.001], [-0.0012, 5e-06]"
    # [*] keeps an axis: the list over the first axis of a nested [T][F][w] read-out
    t = {"tau_ps": [[[400.0, 1.0]], [[380.0, 2.0]]], "up": [[True, False]]}
    assert lookup(t, "tau_ps[*][0][0]") == [400.0, 380.0]
    assert lookup(t, "tau_ps[1][0][*]") == [380.0, 2.0]
    assert lookup(t, "up[0][1]") is False
    assert fill_placeholders("{{tau_ps[*][0][1]:.1f}} ps", t) == "1.0, 2.0 ps"


def test_consistency_checks_are_counted_apart_from_independent_agreements(tmp_path):
    # a value calibrated to (or an input equal to) the number it is compared with agrees
    # by construction: "consistent", in its own column, never counted as "agrees"
    from photosc.reproduce import ScenarioReport, evaluate_check, render

    check = {"key": "tc_K", "expected": 19.3, "compare": "approx", "tolerance": 0.2}
    calibrated = {**check, "kind": "consistency"}
    assert evaluate_check(check, {"tc_K": 19.35}).status == "agrees"
    assert evaluate_check(calibrated, {"tc_K": 19.35}).status == "consistent"
    assert evaluate_check(calibrated, {"tc_K": 18.0}).status == "INCONSISTENT"
    with_reason = {**calibrated, "known_deviation": "mu* fit stopped early"}
    assert evaluate_check(with_reason, {"tc_K": 18.0}).status == "known deviation"
    with pytest.raises(ValueError, match="kind must be one of"):
        evaluate_check({**check, "kind": "calibrated-ish"}, {"tc_K": 19.35})

    class _Sc:
        name, paper, figure, title = "demo", "001", "Fig. 1", "demo"
        paper_table: dict = {}
        ci = None

    checks = [evaluate_check(calibrated, {"tc_K": 19.35}), evaluate_check(check, {"tc_K": 1.0})]
    text = render([ScenarioReport(_Sc(), checks, {}, [], 1.0)], tmp_path / "r.md")
    row = next(line for line in text.splitlines() if line.startswith("| [demo]"))
    # checks | agrees | deviates | known | numerics holds | consistent | time
    assert row.split("|")[4:10] == [" 2 ", " 0 ", " 1 ", " 0 ", " 0 ", " 1 "]


def test_execution_settings_do_not_make_a_record_stale():
    """numerics.workers / scheduler choose where the work runs (bit for bit the same
    numbers), so a record made with other values is still current; a physics field is not."""
    from photosc.reproduce import _physics

    a = '[scenario]\nmodel = "m"\ntitle = "x"\n[numerics]\ngrid_step = 0.1\nworkers = 1\n'
    b = '[scenario]\nmodel = "m"\ntitle = "y"\n[numerics]\ngrid_step = 0.1\nworkers = 0\n'
    c = '[scenario]\nmodel = "m"\n[numerics]\ngrid_step = 0.2\nworkers = 1\n'
    assert _physics(a) == _physics(b)
    assert _physics(a) != _physics(c)
