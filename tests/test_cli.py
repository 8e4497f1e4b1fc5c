import json
import subprocess
import sys

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
