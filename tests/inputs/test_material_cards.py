"""Material cards: built-ins carry today's values, user cards, real DFT files, bad cards."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from photosc.cores.spectra import builtin, builtin_names
from photosc.errors import ConfigError
from photosc.materials import (
    MaterialOverrides,
    MaterialRef,
    builtin_material_names,
    drude_scattering_rate,
    eliashberg_tc,
    load_material,
    resolve,
)
from photosc.models._base import Params

REAL = Path(__file__).parent.parent / "data" / "spectra" / "real"

# paper 001, SI Table 1: N (1/nm^3), rho_N (Ohm nm), N(0) (1/(eV nm^3)), T_c,0 (K)
SI_TABLE_1 = {
    "Pb": (33.0, 350.0, 5.895, 8.0),
    "LaH10": (350.0, 3000.0, 10.0, 250.0),
    "K3C60": (87.0, 20000.0, 5.2, 15.0),
    "CaC6": (95.0, 460.0, 20.5, 11.0),
}


def test_builtin_names_are_the_builtin_spectra():
    assert builtin_material_names() == builtin_names()


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_card_carries_todays_values(name):
    """Each built-in card gives the spectrum, mu*, cutoff and T_c target that the models
    use today (photosc.cores.spectra.builtin) and SI Table 1's N, rho_N, N(0)."""
    m = load_material(name.upper())
    s = builtin(name)
    assert m.name == name
    np.testing.assert_array_equal(m.spectrum.omega, s.omega)
    np.testing.assert_array_equal(m.spectrum.a2f, s.a2f)
    np.testing.assert_array_equal(m.spectrum.f_dos, s.f_dos)
    assert m.phonon_dos_source == "builtin model"
    assert m.mu_star == s.mu_star and m.mu_star_source == "given"
    assert m.mu_star_cutoff == s.mu_star_cutoff
    assert m.tc_K == s.tc_target_K
    # the Spectrum inside carries the same numbers, for code that takes a Spectrum
    assert m.spectrum.mu_star == s.mu_star and m.spectrum.material == s.material
    if name in SI_TABLE_1:
        n_ion, rho, n0, tc0 = SI_TABLE_1[name]
        assert (m.n_ion_nm3, m.rho_n_ohm_nm, m.n0_per_ev_nm3) == (n_ion, rho, n0)
        assert s.material.tc0_K == tc0
        assert "SI Table 1" in m.sources["n0_per_ev_nm3"]
        assert m.eps_inf == 1.0
    else:
        assert m.n0_per_ev_nm3 is None and m.n_ion_nm3 is None and m.rho_n_ohm_nm is None
    for key in m.numbers():
        assert m.sources[key], key
    assert m.sources["spectrum"] and m.sources["phonon_dos"]


def test_builtin_optics_are_the_pump_probe_defaults():
    """Pb's scattering rate is the Nam-conductivity rate of the pump-probe-pb scenario, and
    the K3C60 scenarios with the Nam form take the card's (scattering_rate = 0 meV);
    both follow from rho_N and the plasma energy by Drude."""
    from photosc.config import load_scenario, validate

    pb, k3 = load_material("Pb"), load_material("K3C60")
    _, pb_params, _ = validate(load_scenario("pump-probe-pb"))
    assert pb.scattering_rate_meV == pb_params.scattering_rate
    for name in ("penetration-depth-k3c60", "photoinduced-optics-k3c60"):
        _, params, numerics = validate(load_scenario(name))
        assert params.material == "K3C60" and params.scattering_rate == 0.0
        assert numerics.conductivity == "both"
    for m in (pb, k3):
        expect = drude_scattering_rate(m.rho_n_ohm_nm, m.plasma_energy_meV)
        assert m.scattering_rate_meV == pytest.approx(expect, rel=5e-3)


def test_user_card_with_base_and_overrides(tmp_path):
    card = tmp_path / "my_pb.toml"
    card.write_text(
        'name = "Pb film"\nbase = "Pb"\nn0 = "6 1/(eV nm^3)"\nrho_n = "400 Ohm nm"\n'
        '[sources]\nn0 = "my DFT"\n'
    )
    m = load_material(card, {"n_ion_nm3": "30 nm^-3", "eps_inf": 2.5})
    assert m.name == "Pb film"
    assert m.n0_per_ev_nm3 == 6.0 and m.sources["n0_per_ev_nm3"] == "my DFT"
    assert m.rho_n_ohm_nm == 400.0 and m.sources["rho_n_ohm_nm"] == f"given in card {card}"
    assert m.n_ion_nm3 == 30.0 and m.sources["n_ion_nm3"] == "given in material_overrides"
    assert m.eps_inf == 2.5
    # inherited from the base: spectrum, F, mu*, plasma energy; the scattering rate now
    # follows from the new rho_N (Drude)
    assert m.mu_star == builtin("Pb").mu_star and m.mu_star_source == "given"
    assert m.plasma_energy_meV == 13500.0 and m.scattering_rate_meV is None
    assert m.drude_scattering_rate() == pytest.approx(drude_scattering_rate(400.0, 13500.0))
    assert m.phonon_dos_source == "builtin model"
    assert "over built-in card Pb" in m.card


def test_new_tc_recalibrates_mu_star():
    """Overriding T_c (SI Table 1's 8 K for Pb) without mu* calibrates mu* to it."""
    m = load_material("pb", {"tc": "8 K"})
    assert m.mu_star_source == "calibrated to T_c = 8 K with the real-axis Eliashberg solver"
    assert m.mu_star < builtin("Pb").mu_star - 0.01
    assert m.spectrum.mu_star == m.mu_star
    kept = load_material("pb", {"tc": "8 K", "mu_star": 0.1456})
    assert kept.mu_star == 0.1456 and kept.tc_K == 8.0


def test_epw_file_card_with_derived_f_and_calibrated_mu_star(tmp_path, monkeypatch):
    """The real EPW MgB2.a2f (tests/data/spectra/README.md), path relative to the card."""
    (tmp_path / "data").mkdir()
    (tmp_path / "cards").mkdir()
    shutil.copy(REAL / "MgB2.a2f", tmp_path / "data" / "MgB2.a2f")
    card = tmp_path / "cards" / "mgb2.toml"
    card.write_text(
        'name = "MgB2"\ntc = "39 K"\nmu_star = "calibrate"\n'
        'phonon_dos = "derived from alpha^2F"\n'
        '[alpha2f]\nfile = "../data/MgB2.a2f"\nformat = "epw"\ncolumn = 1\n'
    )
    monkeypatch.chdir(tmp_path / "data")  # the path resolves against the card, not the cwd
    m = load_material(str(card))
    assert m.lambda_ == pytest.approx(m.spectrum.file_lambda, rel=2e-3)  # EPW footer 0.9397
    assert m.phonon_dos_source == "derived from alpha^2F (constant alpha^2)"
    f = m.spectrum.f_dos
    assert float(np.sum(0.5 * (f[1:] + f[:-1]) * np.diff(m.spectrum.omega))) == pytest.approx(3)
    assert m.mu_star_source.startswith("calibrated to T_c = 39 K")
    assert m.mu_star_cutoff == pytest.approx(5 * m.spectrum.omega_max)
    assert eliashberg_tc(m.spectrum, m.mu_star, m.mu_star_cutoff) == pytest.approx(39.0, rel=1e-3)
    assert "epw-a2f" in m.sources["spectrum"]
    assert m.n0_per_ev_nm3 is None and m.spectrum.material is None
    with pytest.raises(ConfigError, match=r"missing n0_per_ev_nm3 \(1/\(eV nm\^3\)\)"):
        m.require("n0_per_ev_nm3", needed_by="pump-probe")


def test_qe_file_over_a_builtin_base(tmp_path):
    """The real QE alpha2f.x aluminum.a2F.dat over base Al: the new alpha^2F resets F,
    the cutoff, and mu* (calibrated anew to Al's T_c)."""
    shutil.copy(REAL / "aluminum.a2F.dat", tmp_path / "aluminum.a2F.dat")
    card = tmp_path / "al.toml"
    card.write_text(
        'name = "Al (QE)"\nbase = "Al"\nphonon_dos = "derived from alpha^2F"\n'
        '[alpha2f]\nfile = "aluminum.a2F.dat"\n'
    )
    m = load_material(card)
    assert m.lambda_ == pytest.approx(0.3963915104345056, rel=2e-3)  # al.a2F.out
    assert m.tc_K == 1.18
    assert m.mu_star_source.startswith("calibrated to T_c = 1.18 K")
    assert m.mu_star != builtin("Al").mu_star
    assert m.mu_star_cutoff == pytest.approx(5 * m.spectrum.omega_max)
    assert m.phonon_dos_source.startswith("derived")


def test_bare_file_needs_mu_star_or_tc():
    with pytest.raises(ConfigError, match="mu_star is not given and there is no tc"):
        load_material(REAL / "MgB2.a2f")
    m = load_material(REAL / "MgB2.a2f", {"mu_star": 0.1, "phonon_dos": "derived"})
    assert m.mu_star == 0.1 and m.mu_star_source == "given" and m.tc_K is None
    assert m.name == "MgB2"
    nofile = load_material(REAL / "MgB2.a2f", {"mu_star": 0.1})
    assert nofile.spectrum.f_dos is None and nofile.phonon_dos_source is None


BAD = [
    ('base = "Pb"\nn0_dos = "5 1/(eV nm^3)"\n', ["unknown key 'n0_dos'", "allowed"]),
    ('base = "Pb"\nn0 = "5 meV"\n', ["n0 = '5 meV'", "dimension", "allowed"]),
    ('base = "Pb"\nn0 = "-5.9 1/(eV nm^3)"\n', ["n0 = '-5.9 1/(eV nm^3)'", "> 0", "allowed"]),
    ('base = "Pb"\nrho_n = "350 kg"\n', ["rho_n = '350 kg'", "allowed"]),
    ('base = "Pb"\nmu_star = 1.5\n', ["mu_star = 1.5", "0 <= mu* < 1"]),
    ('base = "Pbx"\n', ["base = 'Pbx'", "not a built-in material", "Pb, LaH10"]),
    ('tc = "9 K"\n[alpha2f]\nfile = "nothere.a2f"\n', ["alpha2f.file = 'nothere.a2f'", "no such"]),
    ('[alpha2f]\nbuiltin = "Pb"\nfile = "x"\n', ["alpha2f", "exactly one of builtin"]),
    ('mu_star = 0.1\n[alpha2f]\nbuiltin = "Pb"\nformat = "qe"\n', ["format, units and column"]),
    ('base = "Pb"\nphonon_dos = "guess"\n', ["phonon_dos = 'guess'", "derived from alpha^2F"]),
    ('base = "Pb"\n[sources]\nfoo = "x"\n', ["unknown field 'foo'"]),
    ('base = "Pb"\nn0 = "5 1/(eV nm^3)"\nn0_per_ev_nm3 = 5\n', ["name the same field"]),
    (
        'base = "Pb"\nplasma_energy = "13.5 eV"\nscattering_rate = "100 meV"\n'
        'rho_n = "350 Ohm nm"\n',
        ["disagrees with the Drude value"],
    ),
    ('base = "Pb"\ntc = "1e4 K"\n', ["tc = 10000 K cannot be reached"]),
    ("base = 'Pb'\nn0 = \n", ["invalid TOML"]),
    ("mu_star = 0.1\n", ["alpha2f is not given"]),
]


@pytest.mark.parametrize("text, words", BAD, ids=[w[0][:30] for _, w in BAD])
def test_bad_card_is_one_clear_config_error(tmp_path, text, words):
    card = tmp_path / "bad.toml"
    card.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_material(card)
    msg = str(info.value)
    assert str(card) in msg, msg
    for w in words:
        assert w in msg, msg
    assert "Traceback" not in msg and "\n" not in msg


def test_unknown_reference_lists_the_builtins():
    with pytest.raises(ConfigError, match="neither a built-in material .*Pb, LaH10"):
        load_material("unobtainium")


def test_overrides_may_not_name_a_base():
    with pytest.raises(ConfigError, match="material_overrides: base"):
        load_material("Pb", {"base": "Nb"})


class _Demo(Params):
    material: MaterialRef = "Pb"
    material_overrides: MaterialOverrides = {}


def test_model_params_declare_and_resolve_a_material():
    p = _Demo(material="nb", material_overrides={"n0": "5 1/(eV nm^3)"})
    m = resolve(p.material, p.material_overrides)
    assert m.name == "Nb" and m.n0_per_ev_nm3 == 5.0
    with pytest.raises(ValidationError, match="n0 = '-1 1/.*must be > 0"):
        _Demo(material_overrides={"n0": "-1 1/(eV nm^3)"})
    with pytest.raises(ValidationError, match="unknown key 'n00'"):
        _Demo(material_overrides={"n00": 1})
    with pytest.raises(ValidationError, match="neither a built-in material"):
        _Demo(material="nothere.toml")


def test_card_reader_imports_first_without_a_cycle_or_upper_layers():
    code = (
        "import sys, photosc.inputs.material_cards as c; from photosc.materials import "
        "load_material; bad = [m for m in ('photosc.models', 'photosc.runner', "
        "'photosc.config', 'xarray', 'matplotlib') if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_new_alpha2f_resets_f_cutoff_and_mu_star():
    """Nb's alpha^2F put under Pb's card (dotted keys, as ``--set`` writes them) with Nb's
    T_c: F and the cutoff of Pb are dropped (cutoff 5 x omega_max of Nb) and mu* is
    calibrated anew, which gives back Nb's documented mu*."""
    m = load_material("Pb", {"alpha2f.builtin": "Nb", "tc": "9.25 K"})
    nb = builtin("Nb")
    assert m.phonon_dos_source is None and m.spectrum.f_dos is None
    assert m.mu_star_cutoff == pytest.approx(nb.mu_star_cutoff)
    assert m.mu_star == pytest.approx(nb.mu_star, abs=3e-4)
    assert m.n0_per_ev_nm3 == 5.895  # Pb's, still: the card's other data stay
    with pytest.raises(ConfigError, match="'alpha2f.file' and 'alpha2f' name the same"):
        load_material("Pb", {"alpha2f": "x", "alpha2f.file": "y"})


def test_phonon_dos_from_a_file_is_put_on_the_alpha2f_grid(tmp_path):
    """F(omega) from a two-column text file (every second point of Pb's model F, in THz)
    is interpolated onto the alpha^2F grid and normalised to 3 modes per atom."""
    pb = builtin("Pb")
    w, f = pb.omega[::2], pb.f_dos[::2]
    thz = 4.135667696923859  # meV per THz
    body = "\n".join(f"{x / thz:.10e} {y * thz:.10e}" for x, y in zip(w, f))
    (tmp_path / "F.dat").write_text("# omega (THz)  F\n" + body + "\n")
    card = tmp_path / "pbf.toml"
    card.write_text('base = "Pb"\n[phonon_dos]\nfile = "F.dat"\n')
    m = load_material(card)
    assert m.phonon_dos_source == "file"
    assert m.sources["phonon_dos"] == f"given in card {card}"
    np.testing.assert_allclose(m.spectrum.f_dos, pb.f_dos, atol=2e-3 * pb.f_dos.max())
    assert m.mu_star == pb.mu_star  # F does not enter T_c: mu* kept


def test_a_relative_card_path_is_found_beside_the_builtin_scenarios(tmp_path, monkeypatch):
    """A shipped scenario names a card relative to the built-in scenarios folder (the
    from-file scenarios): found from any working directory; a missing file is None, and
    the error names both places looked in."""
    from photosc.inputs.material_cards import SCENARIO_DIR, find_material_file

    monkeypatch.chdir(tmp_path)
    ref = "../../../tests/data/materials/MgB2-epw.toml"
    found = find_material_file(ref)
    assert found is not None and found.resolve() == (SCENARIO_DIR / ref).resolve()
    assert load_material(ref).name == "MgB2"
    assert find_material_file("no-such-card.toml") is None
    with pytest.raises(ConfigError, match="looked in the working directory"):
        load_material("no-such-card.toml")
