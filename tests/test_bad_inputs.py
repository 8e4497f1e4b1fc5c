"""The bad-input battery of issue 13, section 3: every bad input is a clear error.

Command-line cases call :func:`photosc.cli.main` and expect a non-zero exit code and
exactly one ``photosc: error: ...`` line on stderr naming the field, never a
traceback. API cases call :func:`photosc.run` and expect a
:class:`~photosc.errors.PhotoscError` with a message naming the field. All cases
fail at validation, before anything is computed, so the battery runs in seconds.

Cases of issue 13 owned elsewhere (output folders, Dask addresses, caches,
spectrum files) are tested with those features.
"""

from __future__ import annotations

import pytest

import photosc
from photosc import config
from photosc.cli import main
from photosc.config import load_scenario, validate, with_overrides
from photosc.errors import ConfigError, PhotoscError
from photosc.foundation.units import KB

GIB = 1024**3
_REAL_MACHINE_MEMORY = config.machine_memory_bytes


@pytest.fixture(autouse=True)
def _machine_with_16_gib(monkeypatch):
    """Memory checks compare with a fixed 16 GiB machine, whatever runs the tests."""
    monkeypatch.setattr(config, "machine_memory_bytes", lambda: 16 * GIB)


@pytest.fixture
def files(tmp_path):
    """Bad scenario files by kind."""
    good_head = '[scenario]\nmodel = "bcs-equilibrium"\n'
    out = {
        "binary": b"\x00\x01\x02\xff\xfe\x89PNG\r\n\x1a\n" * 8,
        "latin1": (good_head + 'title = "Gr\xfc\xdfe"\n').encode("latin-1"),
        "syntax": b"[scenario\nmodel = 1\n",
        "table": (good_head + "[foo]\nx = 1\n").encode(),
        "model": b'[scenario]\nmodel = "no-such-model"\n',
        "nomodel": b'[scenario]\ntitle = "x"\n',
        "key": (good_head + "[parameters]\ncoupling = 0.3\ncoupling_typo = 1\n").encode(),
        "bool": (good_head + "[parameters]\ncoupling = true\n").encode(),
    }
    paths = {}
    for name, data in out.items():
        p = tmp_path / f"{name}.toml"
        p.write_bytes(data)
        paths[name] = str(p)
    paths["folder"] = str(tmp_path)
    return paths


BCS = "bcs-equilibrium"

# (id, argv, words that the one error line must contain)
CLI_CASES = [
    ("bool-true", ["run", BCS, "--set", "coupling=true"], ["coupling", "boolean"]),
    ("bool-false", ["run", BCS, "--set", "coupling=false"], ["coupling", "boolean"]),
    ("bool-int", ["run", BCS, "--set", "n_temperatures=true"], ["n_temperatures", "boolean"]),
    ("bool-in-list", ["run", BCS, "--set", "temperatures=[1, true]"], ["temperatures"]),
    ("nan", ["run", BCS, "--set", "coupling=nan"], ["coupling", "finite"]),
    ("inf", ["run", BCS, "--set", "coupling=inf"], ["coupling", "finite"]),
    ("negative", ["run", BCS, "--set", "coupling=-1"], ["coupling", "greater than 0"]),
    ("too-big", ["run", BCS, "--set", "coupling=11"], ["coupling", "less than or equal to 10"]),
    ("inf-meV", ["run", BCS, "--set", "cutoff=inf meV"], ["cutoff", "finite"]),
    ("nan-meV", ["run", BCS, "--set", "cutoff=nan meV"], ["cutoff", "finite"]),
    ("parsec", ["run", BCS, "--set", "cutoff=30 parsec"], ["cutoff", "photon wavelength"]),
    ("mm", ["run", BCS, "--set", "cutoff=30 mm"], ["cutoff", "photon wavelength"]),
    ("meters", ["run", BCS, "--set", "cutoff=5 meters"], ["cutoff", "photon wavelength"]),
    ("nm", ["run", BCS, "--set", "cutoff=800 nm"], ["cutoff", "photon wavelength"]),
    ("Hz", ["run", BCS, "--set", "cutoff=30 Hz"], ["cutoff", "out of scale"]),
    ("huge", ["run", BCS, "--set", "cutoff=1e30 meV"], ["cutoff", "out of scale"]),
    ("huge-bare", ["run", BCS, "--set", "cutoff=1e30"], ["cutoff", "out of scale"]),
    ("kg", ["run", BCS, "--set", "cutoff=5 kg"], ["cutoff", "dimension"]),
    ("unknown-unit", ["run", BCS, "--set", "cutoff=5 furlongz"], ["cutoff", "cannot parse"]),
    ("energy-for-K", ["run", BCS, "--set", "t_max=-1 meV"], ["t_max", "greater than 0"]),
    ("list-for-number", ["run", BCS, "--set", "cutoff=[1, 2]"], ["cutoff", "valid number"]),
    (
        "t-order",
        ["run", BCS, "--set", "t_min=10 K", "--set", "t_max=5 K"],
        ["parameters: t_max", "must exceed t_min"],
    ),
    (
        "int-small",
        ["run", BCS, "--set", "n_temperatures=1"],
        ["n_temperatures", "greater than or equal to 2"],
    ),
    ("int-frac", ["run", BCS, "--set", "n_temperatures=2.5"], ["n_temperatures", "integer"]),
    ("int-huge", ["run", BCS, "--set", "n_temperatures=1e9"], ["n_temperatures", "100000"]),
    ("int-text", ["run", BCS, "--set", "n_temperatures=many"], ["n_temperatures", "integer"]),
    ("tol-zero", ["run", BCS, "--set", "tol=0"], ["tol", "greater than 0"]),
    ("unknown-key", ["run", BCS, "--set", "nope=1"], ["unknown key 'nope'", "coupling"]),
    ("unknown-qualified", ["run", BCS, "--set", "parameters.nope=1"], ["unknown key 'nope'"]),
    ("bad-section", ["run", BCS, "--set", "bogus.cutoff=1"], ["section", "bogus"]),
    ("no-equals", ["run", BCS, "--set", "cutoff"], ["key=value"]),
    ("empty-key", ["run", BCS, "--set", "=5"], ["key=value"]),
    ("unknown-scenario", ["run", "no-such-scenario"], ["no-such-scenario", "built-in"]),
    ("binary-file", ["run", "@binary"], ["binary.toml", "UTF-8"]),
    ("latin1-file", ["run", "@latin1"], ["latin1.toml", "UTF-8"]),
    ("toml-syntax", ["run", "@syntax"], ["syntax.toml", "invalid TOML"]),
    ("folder", ["run", "@folder"], ["neither a built-in scenario nor an existing file"]),
    ("unknown-table", ["run", "@table"], ["table.toml", "unknown table", "foo"]),
    ("unknown-model", ["run", "@model"], ["no-such-model"]),
    ("no-model", ["run", "@nomodel"], ["must name a model"]),
    ("file-unknown-key", ["run", "@key"], ["coupling_typo", "unknown key"]),
    ("file-bool", ["run", "@bool"], ["coupling", "boolean"]),
    (
        "memory-landscape",
        ["run", "metastability-landscape", "--set", "n_q=1000000", "--set", "n_delta=1000000"],
        ["n_q = 1000000", "n_delta = 1000000", "TiB", "memory"],
    ),
    (
        "memory-distribution",
        ["run", "cavity-distribution", "--set", "n_energy=2e9"],
        ["n_energy = 2000000000", "GiB", "memory"],
    ),
    (
        "memory-interband",
        ["run", "interband-transient", "--set", "dk=1e-6"],
        ["dk = 1e-06", "memory"],
    ),
    (
        "memory-langevin",
        [
            "run",
            "raman-langevin",
            *("--set", "dt=1e-5 ps", "--set", "record_every=1", "--set", "n_traj=1000"),
        ],
        ["dt", "n_traj = 1000", "memory"],
    ),
    ("workers-zero", ["sweep", BCS, "--workers", "0"], ["--workers", "positive", "0"]),
    ("workers-negative", ["sweep", BCS, "--workers", "-1"], ["--workers", "positive", "-1"]),
    ("sweep-spec", ["sweep", BCS, "--param", "coupling=a:b:c"], ["coupling", "start:stop:num"]),
    ("sweep-no-grid", ["sweep", BCS], ["no [sweep] grid"]),
    ("show-unknown", ["show", "no-such-scenario"], ["no-such-scenario"]),
    ("show-bad-file", ["show", "@binary"], ["UTF-8"]),
]


@pytest.mark.parametrize("argv, words", [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_cli_bad_input_is_one_clear_error_line(argv, words, files, tmp_path, capsys):
    argv = [files[a[1:]] if a.startswith("@") else a for a in argv]
    if argv[0] in ("run", "sweep"):
        argv += ["--out", str(tmp_path / "out")]
    code = main(argv)
    captured = capsys.readouterr()
    lines = [ln for ln in captured.err.splitlines() if ln.strip()]
    assert code in (1, 2), captured
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("photosc: error: "), captured.err
    assert "Traceback" not in captured.err + captured.out
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "'coupling': 0.3" not in lines[0]  # never the whole parameter dict
    assert not (tmp_path / "out").exists()


# (id, name, keyword arguments of photosc.run, regex the message must match)
API_CASES = [
    ("overrides-str", BCS, {"overrides": "str"}, "overrides must be a mapping.*str"),
    ("overrides-list", BCS, {"overrides": [("coupling", 1)]}, "overrides must be a mapping"),
    ("overrides-key", BCS, {"overrides": {1: 2}}, "override keys must be strings"),
    ("bool", BCS, {"coupling": True}, "parameters.coupling = True: a boolean"),
    ("bool-numerics", BCS, {"n_temperatures": False}, "numerics.n_temperatures.*boolean"),
    ("nan", BCS, {"coupling": float("nan")}, "coupling = nan: .*finite"),
    ("inf", BCS, {"cutoff": float("inf")}, "cutoff = inf: .*finite"),
    ("inf-meV", BCS, {"cutoff": "inf meV"}, "cutoff = 'inf meV'.*finite"),
    ("minus-inf-K", BCS, {"t_max": "-inf K"}, "t_max.*finite"),
    ("parsec", BCS, {"cutoff": "30 parsec"}, "cutoff.*photon wavelength"),
    ("nm", BCS, {"cutoff": "800 nm"}, "cutoff.*photon wavelength"),
    ("nm-for-K", BCS, {"t_max": "800 nm"}, "t_max.*photon wavelength"),
    ("Hz", BCS, {"cutoff": "30 Hz"}, "cutoff.*out of scale"),
    ("huge", BCS, {"cutoff": "1e30 meV"}, "cutoff.*out of scale"),
    ("huge-K", BCS, {"t_max": 1e30}, "t_max.*out of scale"),
    ("none", BCS, {"cutoff": None}, "cutoff.*number or a string with units"),
    ("dict", BCS, {"cutoff": {"value": 1}}, "cutoff"),
    ("str-for-list", BCS, {"temperatures": "5 K"}, "temperatures.*list"),
    ("t-order", BCS, {"t_min": "10 K", "t_max": "5 K"}, r"parameters: t_max \(5.0 K\) must"),
    ("int-huge", BCS, {"n_temperatures": 10**9}, "n_temperatures.*100000"),
    ("unknown-key", BCS, {"overrides": {"numerics.nope": 1}}, "unknown key 'nope'"),
    ("unknown-scenario", "no-such-scenario", {}, "neither a built-in scenario"),
    (
        "memory-landscape",
        "metastability-landscape",
        {"n_q": 10**6, "n_delta": 10**6},
        "n_q = 1000000, numerics.n_delta = 1000000 would need about .* TiB",
    ),
    ("memory-distribution", "cavity-distribution", {"n_energy": 2e9}, "n_energy.*GiB"),
    ("memory-interband", "interband-steady-state", {"dk": 1e-6}, "dk = 1e-06.*k_cutoff"),
    (
        "memory-langevin",
        "raman-langevin",
        {"dt": "1e-5 ps", "record_every": 1, "n_traj": 1000},
        "numerics.dt = .*parameters.n_traj = 1000",
    ),
]


@pytest.mark.parametrize(
    "name, kwargs, match", [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES]
)
def test_api_bad_input_raises_photosc_error(name, kwargs, match):
    with pytest.raises(PhotoscError, match=match) as info:
        photosc.run(name, write=False, **kwargs)
    assert "'coupling': 0.3" not in str(info.value)  # never the whole parameter dict


@pytest.mark.parametrize("kind", ["binary", "latin1", "folder"])
def test_api_bad_files(files, kind):
    with pytest.raises(PhotoscError, match="UTF-8|existing file"):
        photosc.run(files[kind], write=False)


def _params(**overrides):
    return validate(with_overrides(load_scenario(BCS), overrides))[1]


def test_energy_and_temperature_fields_are_consistent():
    # an energy field takes a temperature (E = k_B T), a temperature field an energy
    assert _params(cutoff="300 K").cutoff == pytest.approx(300 * KB)
    assert _params(t_max="1 meV").t_max == pytest.approx(1 / KB)
    assert _params(cutoff="250 cm^-1").cutoff == pytest.approx(250 * 0.12398419843320026)
    assert _params(cutoff="7 THz").cutoff == pytest.approx(7 * 4.135667696923859)


def test_wavelength_is_accepted_for_a_photon_energy():
    spec, params, _ = validate(with_overrides(load_scenario("raman-langevin"), {}))
    assert "carrier" in type(params).model_fields
    p = validate(with_overrides(load_scenario("raman-langevin"), {"carrier": "10 um"}))[1]
    assert p.carrier == pytest.approx(29.979, rel=1e-4)  # c / 10 um in THz


def test_memory_check_uses_the_machine(monkeypatch):
    sc = with_overrides(load_scenario("metastability-landscape"), {"n_q": 4000, "n_delta": 4000})
    validate(sc)  # 8 x 16e6 floats = 1 GiB: fits 16 GiB
    monkeypatch.setattr(config, "machine_memory_bytes", lambda: GIB // 2)
    with pytest.raises(PhotoscError, match=r"numerics.n_q = 4000.*more than this machine"):
        validate(sc)
    monkeypatch.setattr(config, "machine_memory_bytes", lambda: None)  # unknown: no check
    validate(sc)


def test_machine_memory_is_known_here():
    real = _REAL_MACHINE_MEMORY()
    assert real is None or real > 100 * 1024**2


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_api_sweep_refuses_bad_worker_counts(workers, tmp_path):
    """photosc.sweep(workers=0 / -1 / 1.5 / True) is a clear error, before any point runs."""
    with pytest.raises(ConfigError, match="workers"):
        photosc.sweep(
            "bcs-equilibrium", {"coupling": "0.2:0.3:2"}, workers=workers, out=tmp_path / "s"
        )
    assert not (tmp_path / "s").exists()
