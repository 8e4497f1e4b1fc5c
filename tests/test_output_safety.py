"""Nothing of the user's is ever lost (issue 13, section 1).

Every command that takes ``--out`` (run, sweep, reproduce) leaves a folder of
user files untouched; results replace only folders that photosc wrote; two runs
into one folder do not both "succeed"; sweep workers die with their parent; the
point cache is checked; failed points are gathered; results rerun bit for bit;
warnings are recorded.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import photosc
from photosc.cli import main
from photosc.errors import ConfigError, PhotoscError
from photosc.runner import MARKER, OutputError, OutputLock
from photosc.sweeps import CacheWarning

# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _user_folder(path: Path) -> Path:
    """A folder of the user's: thesis.tex and sub/exp.csv."""
    (path / "sub").mkdir(parents=True)
    (path / "thesis.tex").write_text("\\documentclass{article}\n")
    (path / "sub" / "exp.csv").write_text("t,x\n0,1\n")
    return path


def _intact(path: Path) -> None:
    assert (path / "thesis.tex").read_text() == "\\documentclass{article}\n"
    assert (path / "sub" / "exp.csv").read_text() == "t,x\n0,1\n"
    assert not (path / "result.nc").exists() and not (path / MARKER).exists()


def _cli(capsys, *argv: str) -> tuple[int, str]:
    rc = main([str(a) for a in argv])
    err = capsys.readouterr().err
    return rc, err


def _one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("photosc: error: "), err
    assert "Traceback" not in err
    return lines[0]


PLUGIN = '''
"""Plug-in models for the output-safety tests."""

import warnings
from dataclasses import replace

import numpy as np

from photosc.errors import ConfigError
from toy_models import SQUARE, _run


class ToyWarning(UserWarning):
    pass


def _summarize(ds):
    md = ds["max_y_meV2"]
    k = int(np.argmax(md.values))  # NaN for a failed point, as summarize_map
    return {"best_max_y_meV2": float(md.values.flat[k]), "n": int(md.size)}


def _config_fails(p, n):
    if p.label == "bad":
        raise ConfigError("label: 'bad' needs a file that does not exist")
    return _run(p, n)


def _warns(p, n):
    warnings.warn(f"negative weight at {p.energy} meV clipped", ToyWarning, stacklevel=1)
    return _run(p, n)


SUMMARIZED = replace(SQUARE, summarize_sweep=_summarize)
CONFIG_FAILS = replace(SQUARE, run=_config_fails)
WARNS = replace(SQUARE, run=_warns)
'''


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """Scenario writer for the models of PLUGIN (importable here and in workers)."""
    mod_dir = tmp_path / "plug"
    mod_dir.mkdir()
    (mod_dir / "safety_models.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(mod_dir))
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(mod_dir), os.environ.get("PYTHONPATH", "")])
    )

    def write(attr: str, extra: str = "") -> Path:
        p = tmp_path / f"{attr.lower()}.toml"
        p.write_text(
            textwrap.dedent(
                f"""
                [scenario]
                model = "safety_models:{attr}"
                title = "safety toy"

                [parameters]
                energy = "3 meV"
                {extra}

                [numerics]
                n_points = 5
                """
            )
        )
        return p

    return write


# --------------------------------------------------------------------------------------
# --out: a user's folder, a file, overwrite, bad paths
# --------------------------------------------------------------------------------------


def test_run_refuses_a_folder_of_user_files(toy_scenario, tmp_path):
    user = _user_folder(tmp_path / "work")
    for overwrite in (False, True):
        with pytest.raises(OutputError, match=f"{user}.*did not write.*thesis.tex"):
            photosc.run(toy_scenario, out=user, overwrite=overwrite)
        _intact(user)


def test_sweep_refuses_a_folder_of_user_files(toy_scenario, tmp_path):
    user = _user_folder(tmp_path / "work")
    with pytest.raises(OutputError, match="did not write"):
        photosc.sweep(toy_scenario, {"energy": "1:2:2"}, out=user, workers=1, overwrite=True)
    _intact(user)
    assert not (user / "points").exists()


def test_cli_commands_with_out_leave_user_files_alone(toy_scenario, tmp_path, capsys, monkeypatch):
    user = _user_folder(tmp_path / "work")
    monkeypatch.chdir(user)  # `--out $PWD`
    for argv in (
        ("run", toy_scenario, "--out", user),
        ("run", toy_scenario, "--out", user, "--overwrite"),
        ("run", toy_scenario, "--out", "."),
        ("sweep", toy_scenario, "--param", "energy=1:2:2", "--workers", "1", "--out", user),
        ("sweep", toy_scenario, "--param", "energy=1:2:2", "--out", user, "--overwrite"),
    ):
        rc, err = _cli(capsys, *argv)
        assert rc == 2, argv
        assert "did not write" in _one_error_line(err)
        _intact(user)


def test_reproduce_leaves_user_files_alone(tmp_path, capsys):
    user = _user_folder(tmp_path / "work")
    # a folder of the user's named like a scenario output, and a report of the user's
    _user_folder(user / "bcs-equilibrium")
    rc, err = _cli(capsys, "reproduce", "--scenario", "bcs-equilibrium", "--small", "--out", user)
    assert rc == 2 and "bcs-equilibrium" in _one_error_line(err)
    _intact(user / "bcs-equilibrium")
    _intact(user)
    (user / "report.md").write_text("my notes\n")
    rc, err = _cli(capsys, "reproduce", "--scenario", "bcs-equilibrium", "--out", tmp_path / "r",
                   "--report", user / "report.md", "--small")  # fmt: skip
    assert rc == 2 and "report.md" in _one_error_line(err)
    assert (user / "report.md").read_text() == "my notes\n"
    assert not (tmp_path / "r" / "bcs-equilibrium").exists()  # refused before running


def test_existing_file_at_out_is_refused_not_renamed(toy_scenario, tmp_path):
    f = tmp_path / "result"
    f.write_text("mine")
    with pytest.raises(OutputError, match="is an existing file"):
        photosc.run(toy_scenario, out=f, overwrite=True)
    assert f.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result", "toy.toml"]


def test_overwrite_replaces_only_a_photosc_folder(toy_scenario, tmp_path):
    out = tmp_path / "r"
    photosc.run(toy_scenario, out=out, energy=2.0)
    marker = json.loads((out / MARKER).read_text())
    assert marker["complete"] and "result.nc" in marker["files"]
    with pytest.raises(OutputError, match="earlier photosc result.*--overwrite"):
        photosc.run(toy_scenario, out=out, energy=5.0)
    assert json.loads((out / "summary.json").read_text())["energy_meV"] == 2.0
    photosc.run(toy_scenario, out=out, energy=5.0, overwrite=True)
    assert json.loads((out / "summary.json").read_text())["energy_meV"] == 5.0
    # a user's file added to a photosc folder makes it the user's
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError, match="notes.txt"):
        photosc.run(toy_scenario, out=out, energy=6.0, overwrite=True)
    assert (out / "notes.txt").read_text() == "keep me"
    # an empty folder is fine
    (tmp_path / "empty").mkdir()
    assert photosc.run(toy_scenario, out=tmp_path / "empty").path == tmp_path / "empty"


@pytest.mark.parametrize("kind", ["empty", "proc", "under_file"])
def test_bad_out_paths_give_one_error_line(toy_scenario, tmp_path, capsys, kind):
    (tmp_path / "file").write_text("x")
    out = {"empty": "", "proc": "/proc/photosc-x", "under_file": str(tmp_path / "file" / "sub")}
    rc, err = _cli(capsys, "run", toy_scenario, "--out", out[kind])
    assert rc == 2
    _one_error_line(err)
    assert (tmp_path / "file").read_text() == "x"


# --------------------------------------------------------------------------------------
# two runs into one folder
# --------------------------------------------------------------------------------------


def test_second_run_into_a_locked_folder_fails_clearly(toy_scenario, tmp_path):
    out = tmp_path / "r"
    cmd = [sys.executable, "-m", "photosc.cli", "run", str(toy_scenario), "--set", "delay=3"]
    first = subprocess.Popen([*cmd, "--out", str(out)], stderr=subprocess.PIPE, text=True)
    try:
        lock = tmp_path / f".r{'.photosc-lock'}"
        deadline = time.time() + 30
        while not lock.exists() and time.time() < deadline:
            time.sleep(0.02)
        assert lock.exists()
        with pytest.raises(OutputError, match="being written by another photosc process"):
            photosc.run(toy_scenario, out=out, energy=5.0, overwrite=True)
        assert first.wait(60) == 0, first.stderr.read()
    finally:
        if first.poll() is None:
            first.kill()
    assert json.loads((out / "summary.json").read_text())["energy_meV"] == 3.0
    assert not lock.exists()


def test_lock_is_exclusive_and_released(tmp_path):
    out = tmp_path / "r"
    with OutputLock(out):
        assert not OutputLock(out).try_acquire()
    with OutputLock(out):
        pass
    assert list(tmp_path.iterdir()) == []


def test_runs_with_default_out_land_in_distinct_folders(toy_scenario, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = {photosc.run(toy_scenario).path for _ in range(3)}
    assert len(paths) == 3 and all((p / "result.nc").is_file() for p in paths)


# --------------------------------------------------------------------------------------
# sweep workers die with their parent
# --------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_sweep_workers_die_with_their_parent(toy_scenario, tmp_path, sig):
    cmd = [sys.executable, "-m", "photosc.cli", "sweep", str(toy_scenario)]
    cmd += ["--param", "energy=1:4:4", "--set", "delay=60", "--workers", "2"]
    proc = subprocess.Popen([*cmd, "--out", str(tmp_path / "s")], stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.time() + 30
        while len(workers) < 2 and time.time() < deadline:
            time.sleep(0.05)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "the pool did not start"
        time.sleep(0.5)  # the workers run their initializer and a point
        proc.send_signal(sig)
        proc.wait(10)
        deadline = time.time() + 5
        while any(_alive(p) for p in workers) and time.time() < deadline:
            time.sleep(0.05)
        assert not [p for p in workers if _alive(p)], "orphaned workers still running"
    finally:
        if proc.poll() is None:
            proc.kill()
        for p in workers:
            if _alive(p):
                os.kill(p, signal.SIGKILL)


# --------------------------------------------------------------------------------------
# the point cache
# --------------------------------------------------------------------------------------


def _sweep(toy, out, **kw):
    return photosc.sweep(toy, {"energy": "1:3:3"}, out=out, workers=1, **kw)


def test_truncated_or_edited_point_file_is_recomputed_with_a_warning(toy_scenario, tmp_path):
    out = tmp_path / "s"
    first = _sweep(toy_scenario, out)
    files = sorted((out / "points").glob("*.json"))
    assert len(files) == 3
    text = files[0].read_text()
    files[0].write_text(text[: len(text) // 2])  # truncated
    data = json.loads(files[1].read_text())
    data["record"]["summary"]["max_y_meV2"] = 123.0  # edited
    files[1].write_text(json.dumps(data))
    with pytest.warns(CacheWarning) as caught:
        res = _sweep(toy_scenario, out, overwrite=True)
    messages = " ".join(str(w.message) for w in caught)
    assert files[0].name in messages and "not valid JSON" in messages
    assert files[1].name in messages and "checksum" in messages
    assert res.summary["cached"] == 1 and res.summary["computed"] == 2
    np.testing.assert_array_equal(res.dataset["max_y_meV2"], first.dataset["max_y_meV2"])
    assert any(files[0].name in w for w in res.summary["warnings"])


def test_corrupt_cache_file_gives_no_traceback_in_the_cli(toy_scenario, tmp_path, capsys):
    out = tmp_path / "s"
    _sweep(toy_scenario, out)
    f = sorted((out / "points").glob("*.json"))[0]
    f.write_bytes(b"\x00\xff{")
    with pytest.warns(CacheWarning):
        rc = main(["sweep", str(toy_scenario), "--param", "energy=1:3:3", "--workers", "1"]
                  + ["--out", str(out), "--overwrite"])  # fmt: skip
    captured = capsys.readouterr()
    assert rc == 0 and "Traceback" not in captured.err
    assert f.name in json.loads(captured.out.split("\n", 1)[1])["warnings"][0]


def test_point_key_follows_the_photosc_version(toy_scenario, tmp_path, monkeypatch):
    out = tmp_path / "s"
    _sweep(toy_scenario, out)
    assert _sweep(toy_scenario, out, overwrite=True).summary["cached"] == 3
    monkeypatch.setattr(photosc, "__version__", photosc.__version__ + ".post1")
    res = _sweep(toy_scenario, out, overwrite=True)
    assert res.summary["cached"] == 0 and res.summary["computed"] == 3


def test_point_key_follows_the_resolved_configuration(toy_scenario, tmp_path):
    out = tmp_path / "s"
    _sweep(toy_scenario, out)
    # the same values written another way are the same points
    res = photosc.sweep(toy_scenario, {"energy": ["1 meV", "2 meV", "3000 ueV"]}, out=out,
                        workers=1, overwrite=True)  # fmt: skip
    assert res.summary["cached"] == 3


# --------------------------------------------------------------------------------------
# gathering
# --------------------------------------------------------------------------------------


def test_sweep_over_a_parameter_that_is_a_summary_key_gathers(toy_scenario, tmp_path):
    res = photosc.sweep(toy_scenario, {"label": ["a", "b"]}, out=tmp_path / "s", workers=1)
    ds = res.dataset
    assert list(ds["label"].values) == ["a", "b"]
    assert list(ds["label_summary"].values) == ["a", "b"]
    assert (tmp_path / "s" / "result.nc").is_file()


def test_failed_points_are_gathered_with_their_errors(plugin, tmp_path):
    sc = plugin("SUMMARIZED", "fail_above = 2.5")
    out = tmp_path / "s"
    res = photosc.sweep(sc, {"energy": "1:4:4"}, out=out, workers=2)
    ds = xr.open_dataset(out / "result.nc", engine="h5netcdf").load()
    assert list(ds["failed"].values) == [False, False, True, True]
    assert list(ds["error"].values[:2]) == ["", ""]
    assert "fail_above" in str(ds["error"].values[2])
    np.testing.assert_array_equal(ds["max_y_meV2"].values[:2], [1.0, 4.0])
    assert res.summary["failed"] == 2 and res.summary["points"] == 4
    # NaN from a failed point: the model's summary is not given, and says why
    assert "2 point(s) failed" in res.summary["summary_incomplete"]
    assert "best_max_y_meV2" not in res.summary and "n" not in res.summary
    assert json.loads((out / "summary.json").read_text())["failed"] == 2


def test_all_points_failing_report_the_error(toy_scenario, tmp_path, capsys):
    with pytest.raises(PhotoscError, match="all 3 points failed.*fail_above"):
        photosc.sweep(toy_scenario, {"energy": "1:3:3"}, out=tmp_path / "s", workers=1,
                      overrides={"fail_above": 0.5})  # fmt: skip
    rc, err = _cli(capsys, "sweep", toy_scenario, "--param", "energy=1:3:3", "--set",
                   "fail_above=0.5", "--workers", "1", "--out", tmp_path / "c")  # fmt: skip
    assert rc == 2 and "all 3 points failed" in _one_error_line(err)


def test_shared_configuration_error_is_found_once(plugin, tmp_path):
    sc = plugin("CONFIG_FAILS", 'label = "bad"')
    out = tmp_path / "s"
    with pytest.raises(ConfigError, match="remaining 3 point.*were not run.*does not exist"):
        photosc.sweep(sc, {"energy": "1:4:4"}, out=out, workers=1)
    assert len(list((out / "points").glob("*.json"))) == 1


def test_invalid_point_is_refused_before_any_point_runs(toy_scenario, tmp_path):
    out = tmp_path / "s"
    with pytest.raises(ConfigError, match=r"point \{'energy': '-1 meV'\}.*greater than 0"):
        photosc.sweep(toy_scenario, {"energy": ["1 meV", "-1 meV"]}, out=out, workers=1)
    assert not out.exists()


# --------------------------------------------------------------------------------------
# Dask: a scheduler that is not there, or has no workers
# --------------------------------------------------------------------------------------


def test_unreachable_dask_scheduler_fails_fast_and_leaves_nothing(toy_scenario, tmp_path,
                                                                   monkeypatch):  # fmt: skip
    pytest.importorskip("distributed")
    monkeypatch.setenv("PHOTOSC_DASK_CONNECT_TIMEOUT", "1")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    t0 = time.time()
    with pytest.raises(PhotoscError, match="cannot reach the Dask scheduler"):
        photosc.sweep(toy_scenario, {"energy": "1:2:2"}, out=tmp_path / "d",
                      scheduler=f"tcp://127.0.0.1:{port}")  # fmt: skip
    assert time.time() - t0 < 15
    assert not (tmp_path / "d").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["toy.toml"]


def test_dask_scheduler_without_workers_times_out_with_a_message(toy_scenario, tmp_path,
                                                                 monkeypatch):  # fmt: skip
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PHOTOSC_DASK_WORKER_TIMEOUT", "1")
    with distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as c:
        with pytest.raises(PhotoscError, match="has no workers"):
            photosc.sweep(toy_scenario, {"energy": "1:2:2"}, out=tmp_path / "d",
                          scheduler=c.scheduler_address)  # fmt: skip
    assert not (tmp_path / "d").exists()


# --------------------------------------------------------------------------------------
# a result reruns as it stands
# --------------------------------------------------------------------------------------


def test_result_reruns_bit_for_bit_from_result_nc_and_its_toml(toy_scenario, tmp_path, capsys):
    a = photosc.run(toy_scenario, out=tmp_path / "a", energy="0.1 eV", temperature="3.3 K")
    config = a.dataset.attrs["photosc_config"]
    assert 'energy = "100.0 meV"' in config and 'temperature = "3.3 K"' in config
    assert "name =" not in config
    b = photosc.run(tmp_path / "a" / "result.nc", out=tmp_path / "b")
    (tmp_path / "c.toml").write_text(config)
    rc, _ = _cli(capsys, "run", tmp_path / "c.toml", "--out", tmp_path / "c")
    assert rc == 0
    for other in ("b", "c"):
        with (
            xr.open_dataset(tmp_path / "a" / "result.nc", engine="h5netcdf") as x,
            xr.open_dataset(tmp_path / other / "result.nc", engine="h5netcdf") as y,
        ):
            for name in x.variables:
                np.testing.assert_array_equal(x[name].values, y[name].values)
            assert (
                x.attrs["photosc_config"].split("\n", 1)[1]
                == (y.attrs["photosc_config"].split("\n", 1)[1])
            )
        assert (tmp_path / "a" / "summary.json").read_text() == (
            tmp_path / other / "summary.json"
        ).read_text()
    assert b.name == a.name


def test_result_of_an_earlier_version_still_reruns(toy_scenario, tmp_path):
    a = photosc.run(toy_scenario, out=tmp_path / "a", energy=4.0)
    old = a.dataset.copy()
    old.attrs["photosc_config"] = (
        '[scenario]\nname = "toy"\nmodel = "toy_models:SQUARE"\n\n[parameters]\nenergy = 4.0\n'
    )
    from photosc.runner import netcdf_ready

    netcdf_ready(old).to_netcdf(tmp_path / "old.nc", engine="h5netcdf")
    b = photosc.run(tmp_path / "old.nc", write=False)
    assert b.summary["energy_meV"] == 4.0


def test_sweep_result_reruns(toy_scenario, tmp_path):
    a = photosc.sweep(toy_scenario, {"energy": ["1 meV", "2 meV"]}, out=tmp_path / "a", workers=1)
    b = photosc.run(tmp_path / "a" / "result.nc", out=tmp_path / "b")
    np.testing.assert_array_equal(a.dataset["max_y_meV2"], b.dataset["max_y_meV2"])


# --------------------------------------------------------------------------------------
# warnings are recorded
# --------------------------------------------------------------------------------------


def test_warnings_of_a_run_are_recorded_and_still_printed(plugin, tmp_path):
    sc = plugin("WARNS")
    out = tmp_path / "r"
    with pytest.warns(UserWarning, match="negative weight"):
        res = photosc.run(sc, out=out)
    assert res.summary["warnings"] == ["ToyWarning: negative weight at 3.0 meV clipped"]
    assert json.loads((out / "summary.json").read_text())["warnings"] == res.summary["warnings"]
    with xr.open_dataset(out / "result.nc", engine="h5netcdf") as ds:
        assert json.loads(ds.attrs["photosc_warnings"]) == res.summary["warnings"]
    quiet = photosc.run(plugin("SUMMARIZED"), out=tmp_path / "q")
    assert "warnings" not in quiet.summary
    assert json.loads(quiet.dataset.attrs["photosc_warnings"]) == []


def test_warnings_of_sweep_points_are_recorded(plugin, tmp_path):
    res = photosc.sweep(plugin("WARNS"), {"energy": "1:2:2"}, out=tmp_path / "s", workers=2)
    assert len(res.summary["warnings"]) == 2
    assert "negative weight at 2.0 meV" in res.summary["warnings"][1]
    with xr.open_dataset(tmp_path / "s" / "result.nc", engine="h5netcdf") as ds:
        assert len(json.loads(ds.attrs["photosc_warnings"])) == 2
