"""The material-properties model and the ``photosc material`` subcommand."""

from __future__ import annotations

import json
import math
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from photosc.cli import main
from photosc.cores.spectra import builtin
from photosc.foundation.units import KB
from photosc.models import material_properties as model

REAL = Path(__file__).parent.parent / "data" / "spectra" / "real"


def test_registered():
    from photosc.models import available

    assert available()["material-properties"].run is model.run


@pytest.fixture(scope="module")
def pb():
    return model.run(model.MaterialPropertiesParams(), model.MaterialPropertiesNumerics())


def test_pb_agrees_with_the_eliashberg_equilibrium_model(pb):
    """Pb on the solver's default grid: the T_c and gap that eliashberg-equilibrium gives
    (docs/validation.md: T_c = 7.2005 K, 2 Delta_0 / k_B T_c = 4.487 at 0.05 T_c), the
    Allen-Dynes T_c of the spectrum with the same mu*, and the card's data."""
    from photosc.models import eliashberg_equilibrium as eq

    s = pb.summary
    ref = eq.run(eq.EliashbergParams(), eq.EliashbergNumerics(n_temperatures=2)).summary
    assert s["tc_eliashberg_K"] == pytest.approx(ref["tc_K"], rel=1e-6)
    assert s["two_delta0_over_kTc"] == pytest.approx(ref["two_delta0_over_kTc"], rel=1e-3)
    assert s["temperature_K"] == pytest.approx(0.05 * s["tc_eliashberg_K"])
    assert s["allen_dynes_tc_K"] == pytest.approx(ref["allen_dynes_tc_K"], rel=1e-12)
    sp = builtin("Pb")
    assert (s["lambda"], s["omega_log_meV"], s["omega2_meV"]) == (
        sp.lambda_,
        sp.omega_log,
        sp.omega2,
    )
    assert s["mu_star"] == sp.mu_star and s["mu_star_source"] == "given"
    assert s["n0_per_ev_nm3"] == 5.895 and s["rho_n_ohm_nm"] == 350.0
    assert s["two_delta0_over_kTc"] == pytest.approx(
        2 * s["delta0_meV"] / (KB * s["tc_eliashberg_K"])
    )


def test_dataset_contract(pb):
    ds, s = pb.dataset, pb.summary
    for name in list(ds.data_vars) + list(ds.coords):
        assert ds[name].attrs["units"] and ds[name].attrs["long_name"], name
    for v in ds.attrs.values():
        assert isinstance(v, str | int | float)
    for key, v in s.items():
        assert isinstance(v, bool | int | float | str), key
        assert not (isinstance(v, float) and math.isnan(v)), key
    assert "f_dos" in ds and ds.attrs["source_n0_per_ev_nm3"] == "paper 001, SI Table 1"
    # gapped DOS below Delta_0, Delta(omega -> 0) real and close to the gap edge
    w = ds["omega"].values
    assert np.all(ds["dos"].values[w < 0.7 * s["delta0_meV"]] < 0.05)
    assert abs(float(ds["delta_imag"].values[0])) < 1e-3
    assert float(ds["delta_real"].values[0]) == pytest.approx(s["delta0_meV"], rel=0.05)


def write_mgb2_card(folder: Path) -> Path:
    shutil.copy(REAL / "MgB2.a2f", folder / "MgB2.a2f")
    card = folder / "mgb2.toml"
    card.write_text(
        'name = "MgB2"\ntc = "39 K"\nphonon_dos = "derived from alpha^2F"\n'
        '[alpha2f]\nfile = "MgB2.a2f"\n'
        '[sources]\ntc = "measured T_c of MgB2 (Nagamatsu et al., Nature 410, 63 (2001))"\n'
    )
    return card


def test_cli_material_on_a_card_writes_a_run_folder(tmp_path, capsys):
    card = write_mgb2_card(tmp_path)
    out = tmp_path / "out"
    assert main(["material", str(card), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "real-axis Eliashberg 39" in printed and "calibrated to T_c = 39 K" in printed
    for f in ("result.nc", "summary.json", "config.toml", "spectra.png", "gap.png"):
        assert (out / f).is_file(), f
    s = json.loads((out / "summary.json").read_text())
    assert s["tc_eliashberg_K"] == pytest.approx(39.0, rel=2e-3)  # the calibrated mu*
    assert s["mu_star_source"].startswith("calibrated")
    assert s["phonon_dos_source"] == "derived from alpha^2F (constant alpha^2)"
    assert s["lambda"] == pytest.approx(s["file_lambda"], rel=2e-3)
    assert s["delta0_meV"] > 0 and 3.4 < s["two_delta0_over_kTc"] < 4.5
    with xr.open_dataset(out / "result.nc", engine="h5netcdf") as ds:
        assert ds.attrs["material"] == "MgB2" and "f_dos" in ds
    cfg = tomllib.loads((out / "config.toml").read_text())
    assert cfg["scenario"]["model"] == "material-properties"
    assert cfg["parameters"]["material"] == str(card.resolve())


def test_cli_material_overrides_and_temperature(tmp_path, capsys):
    out = tmp_path / "nb"
    args = ["material", "nb", "--out", str(out), "--set", "mu_star=0.12", "--temperature", "2 K"]
    assert main(args) == 0
    s = json.loads((out / "summary.json").read_text())
    assert s["mu_star"] == 0.12 and s["mu_star_source"] == "given"
    assert s["temperature_K"] == 2.0
    # Delta_0 at 2 K, below the gap at 0.05 T_c that the ratio 2 Delta_0 / k_B T_c uses
    assert 0 < s["delta0_meV"] < s["delta0_low_t_meV"]
    assert s["two_delta0_over_kTc"] == pytest.approx(
        2 * s["delta0_low_t_meV"] / (KB * s["tc_eliashberg_K"])
    )
    assert s["tc_eliashberg_K"] > builtin("Nb").tc_target_K  # smaller mu*: higher T_c
    cfg = tomllib.loads((out / "config.toml").read_text())
    assert cfg["parameters"]["material_overrides"] == {"mu_star": 0.12}


@pytest.mark.parametrize(
    "card_text, words",
    [
        ('base = "Pb"\nn0 = "-5 1/(eV nm^3)"\n', "n0 = '-5 1/(eV nm^3)'"),
        ('base = "Pb"\nfoo = 1\n', "unknown key 'foo'"),
    ],
)
def test_cli_material_bad_card_is_one_error_line(tmp_path, capsys, card_text, words):
    card = tmp_path / "bad.toml"
    card.write_text(card_text)
    out = tmp_path / "x"
    assert main(["material", str(card), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("photosc: error:"), err
    assert words in err[0] and "bad.toml" in err[0]
    assert not out.exists()


def test_cli_material_bad_override_and_unknown_name(tmp_path, capsys):
    assert main(["material", "Pb", "--out", str(tmp_path / "a"), "--set", "rho_n='3 kg'"]) == 2
    err = capsys.readouterr().err
    assert "material_overrides" in err and "rho_n" in err and "3 kg" in err
    assert main(["material", "Unobtainium", "--out", str(tmp_path / "b")]) == 2
    assert "Pb, LaH10, K3C60, CaC6, Al, Nb" in capsys.readouterr().err
