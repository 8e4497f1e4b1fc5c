import json
import subprocess
import sys

import pytest

from photosc.cli import main


def test_run_and_errors(toy_scenario, tmp_path, capsys):
    assert (
        main(
            [
                "run",
                str(toy_scenario),
                "--out",
                str(tmp_path / "r"),
                "--set",
                "energy=2 meV",
                "--set",
                "label=abc",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert '"energy_meV": 2.0' in out and '"label": "abc"' in out
    assert (
        main(["run", str(toy_scenario), "--out", str(tmp_path / "x"), "--set", "energy=2 kg"]) == 2
    )
    err = capsys.readouterr().err
    assert "parameters.energy" in err and "dimension" in err
    assert not (tmp_path / "x").exists()


def test_sweep_cli(toy_scenario, tmp_path, capsys):
    assert (
        main(
            [
                "sweep",
                str(toy_scenario),
                "--param",
                "energy=1:2:2",
                "--workers",
                "1",
                "--out",
                str(tmp_path / "s"),
            ]
        )
        == 0
    )
    assert json.loads((tmp_path / "s" / "summary.json").read_text())["points"] == 2


def test_list_and_info_via_console_entry():
    out = subprocess.run(
        [sys.executable, "-m", "photosc.cli", "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert isinstance(json.loads(out), list)
    info = subprocess.run(
        [sys.executable, "-m", "photosc.cli", "info"], capture_output=True, text=True, check=True
    ).stdout
    assert info.startswith("photosc ") and "numpy" in info


def test_show_lists_parameters_with_units_defaults_and_ranges(capsys):
    assert main(["show", "bcs-equilibrium"]) == 0
    out = capsys.readouterr().out
    assert "[parameters]" in out and "[numerics]" in out
    assert "cutoff = '30 meV' [meV]" in out
    assert "number > 0, magnitude 1e-06 to 1e+07 meV" in out
    assert "Debye energy omega_D" in out
    assert "t_max = '16 K' [K]" in out and "default '20 K'" in out  # scenario value, default
    assert "n_temperatures = 161" in out and "integer >= 2 and <= 100000" in out


def test_show_json(capsys):
    assert main(["show", "bcs-equilibrium", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cutoff = next(f for f in data["parameters"] if f["name"] == "cutoff")
    assert cutoff["unit"] == "meV" and cutoff["value"] == "30 meV"
    assert {f["name"] for f in data["numerics"]} == {"n_temperatures", "tol"}


def test_show_every_builtin_scenario(capsys):
    from photosc.config import builtin_scenarios

    for name in builtin_scenarios():
        assert main(["show", name]) == 0, name
        assert "[numerics]" in capsys.readouterr().out


def test_run_help_with_a_scenario_shows_its_parameters(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "bcs-equilibrium", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: photosc run") and "cutoff = '30 meV' [meV]" in out
    with pytest.raises(SystemExit):
        main(["sweep", "--help"])  # no scenario: the plain help
    assert "[parameters]" not in capsys.readouterr().out


def test_list_columns_stay_aligned(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0]
    starts = [header.index(w) for w in ("paper", "figure", "kind", "title")]
    for line in lines[1:]:
        for s in starts:
            assert line[s - 1] == " " and line[s] != " ", (line, s)


def test_cli_shows_the_sweep_progress_bar(toy_scenario, tmp_path, capsys, monkeypatch):
    from photosc.foundation import progress

    monkeypatch.setenv("PHOTOSC_PROGRESS", "1")
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    argv = ["sweep", str(toy_scenario), "--param", "energy=1:2:2", "--workers", "1"]
    assert main([*argv, "--out", str(tmp_path / "s")]) == 0
    assert "sweep toy" in capsys.readouterr().err
