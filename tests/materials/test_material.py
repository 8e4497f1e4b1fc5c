"""The Material object: validation, the Drude relations, replace, require, summary."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from scipy import constants as sc

from photosc.cores.spectra import builtin
from photosc.errors import ConfigError
from photosc.materials import (
    Material,
    drude_plasma_energy,
    drude_resistivity,
    drude_scattering_rate,
    load_material,
    phonon_dos_from_a2f,
)
from photosc.materials.material import DRUDE_RTOL

PB = builtin("Pb")
SOURCES = {
    "spectrum": "model",
    "phonon_dos": "builtin model",
    "mu_star": "documented",
    "mu_star_cutoff": "5 x omega_max",
    "n0_per_ev_nm3": "SI Table 1",
    "rho_n_ohm_nm": "SI Table 1",
}


def make(**kw) -> Material:
    args = dict(
        name="Pb",
        spectrum=PB,
        mu_star=0.1456,
        mu_star_cutoff=51.25,
        phonon_dos_source="builtin model",
        n0_per_ev_nm3=5.895,
        rho_n_ohm_nm=350.0,
        sources=SOURCES,
    )
    args.update(kw)
    if "sources" not in kw:  # a source line for every number given
        args["sources"] = {**SOURCES, **{k: "test" for k, v in kw.items() if v is not None}}
    return Material(**args)


def test_drude_resistivity_against_si_formula():
    """rho_N = 1 / sigma_0, sigma_0 = eps_0 omega_p^2 / Gamma with omega_p, Gamma in rad/s,
    computed here from scipy.constants (not from photosc's constants)."""
    ep, eg = 13500.0, 857.0  # meV
    wp = ep * 1e-3 * sc.e / sc.hbar
    gamma = eg * 1e-3 * sc.e / sc.hbar
    rho_si = gamma / (sc.epsilon_0 * wp**2)  # Ohm m
    assert drude_resistivity(ep, eg) == pytest.approx(rho_si * 1e9, rel=1e-6)


@pytest.mark.parametrize("ep, eg", [(13500.0, 857.0), (1000.0, 270.0), (2500.0, 3.0)])
def test_drude_relations_invert_each_other(ep, eg):
    rho = drude_resistivity(ep, eg)
    assert drude_scattering_rate(rho, ep) == pytest.approx(eg, rel=1e-12)
    assert drude_plasma_energy(rho, eg) == pytest.approx(ep, rel=1e-12)


def test_documented_scattering_rates_follow_from_si_table_1():
    """The pump-probe defaults: Pb 857 meV from hbar omega_p = 13.5 eV, K3C60 270 meV from
    1 eV, each with rho_N of SI Table 1 (photosc.models.pump_probe)."""
    assert drude_scattering_rate(350.0, 13500.0) == pytest.approx(857.0, rel=2e-3)
    assert drude_scattering_rate(20000.0, 1000.0) == pytest.approx(270.0, rel=5e-3)


def test_optics_methods_give_the_other_description():
    m = make(rho_n_ohm_nm=350.0, plasma_energy_meV=13500.0)
    assert m.scattering_rate_meV is None
    assert m.drude_scattering_rate() == pytest.approx(drude_scattering_rate(350.0, 13500.0))
    m2 = make(rho_n_ohm_nm=None, plasma_energy_meV=13500.0, scattering_rate_meV=857.0)
    assert m2.normal_state_resistivity() == pytest.approx(drude_resistivity(13500.0, 857.0))
    m3 = make(rho_n_ohm_nm=None)
    assert m3.normal_state_resistivity() is None and m3.drude_plasma_energy() is None


def test_inconsistent_drude_triple_is_refused():
    with pytest.raises(ConfigError, match="rho_n_ohm_nm = 400 Ohm nm disagrees"):
        make(rho_n_ohm_nm=400.0, plasma_energy_meV=13500.0, scattering_rate_meV=857.0)
    ok = make(
        rho_n_ohm_nm=350.0 * (1 + 0.5 * DRUDE_RTOL),
        plasma_energy_meV=13500.0,
        scattering_rate_meV=drude_scattering_rate(350.0, 13500.0),
    )
    assert ok.rho_n_ohm_nm > 350.0


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("mu_star", 1.2, "0 <= mu* < 1"),
        ("mu_star", float("nan"), "mu_star = nan"),
        ("mu_star_cutoff", 5.0, "above the highest phonon energy"),
        ("n0_per_ev_nm3", -1.0, "n0_per_ev_nm3 = -1.0 1/(eV nm^3)"),
        ("n_ion_nm3", 0.0, "n_ion_nm3 = 0.0"),
        ("eps_inf", -2.0, "eps_inf = -2.0"),
        ("tc_K", float("inf"), "tc_K = inf"),
    ],
)
def test_bad_values_name_field_value_and_allowed(field, value, words):
    with pytest.raises(ConfigError) as info:
        make(**{field: value, "sources": {**SOURCES, field: "x"}})
    msg = str(info.value)
    assert "material 'Pb'" in msg and words in msg and "allowed" in msg


def test_every_number_needs_a_source():
    src = {k: v for k, v in SOURCES.items() if k != "n0_per_ev_nm3"}
    with pytest.raises(ConfigError, match="no source line for n0_per_ev_nm3"):
        make(sources=src)


def test_phonon_dos_source_matches_the_spectrum():
    no_f = dataclasses.replace(PB, f_dos=None, _cache={})
    with pytest.raises(ConfigError, match="phonon_dos_source"):
        make(spectrum=no_f)
    m = make(spectrum=no_f, phonon_dos_source=None)
    assert m.phonon_dos_source is None
    with pytest.raises(ConfigError, match="phonon_dos"):
        m.require("phonon_dos", needed_by="test")


def test_replace_validates_and_marks_the_source():
    m = make()
    m2 = m.replace(n0_per_ev_nm3=6.0, mu_star=0.12)
    assert m2.n0_per_ev_nm3 == 6.0 and m.n0_per_ev_nm3 == 5.895
    assert m2.sources["n0_per_ev_nm3"] == "override"
    assert m2.mu_star_source == "given (override)"
    with pytest.raises(ConfigError, match="n0_per_ev_nm3 = -6.0"):
        m.replace(n0_per_ev_nm3=-6.0)
    with pytest.raises(ConfigError, match=r"unknown field\(s\) \['n0'\]"):
        m.replace(n0=6.0)
    m3 = m.replace(rho_n_ohm_nm=None)
    assert "rho_n_ohm_nm" not in m3.sources


def test_require_names_each_missing_field():
    m = make()
    m.require("n0_per_ev_nm3", "rho_n_ohm_nm", "phonon_dos")
    with pytest.raises(ConfigError) as info:
        m.require("n0_per_ev_nm3", "n_ion_nm3", "scattering_rate_meV", needed_by="pump-probe")
    msg = str(info.value)
    assert "n_ion_nm3 (1/nm^3)" in msg and "scattering_rate_meV (meV)" in msg
    assert "n0_per_ev_nm3" not in msg.split("missing")[1] and "pump-probe" in msg
    assert m.n0_per_mev_nm3 == pytest.approx(5.895e-3)


def test_summary_keys_carry_units_and_derived_optics_say_so():
    s = make(plasma_energy_meV=13500.0).summary()
    assert s["mu_star_cutoff_meV"] == 51.25 and s["n0_per_ev_nm3"] == 5.895
    assert s["scattering_rate_meV"] == pytest.approx(drude_scattering_rate(350.0, 13500.0))
    assert "Drude" in s["scattering_rate_meV_source"]
    assert s["phonon_dos_source"] == "builtin model"


def test_phonon_dos_from_a2f_constant_alpha2():
    w = np.linspace(0.0, 10.0, 201)
    a = np.sin(np.pi * w / 10.0) - 0.05  # small negative parts at the ends
    f = phonon_dos_from_a2f(w, a)
    assert np.all(f >= 0)
    assert float(np.sum(0.5 * (f[1:] + f[:-1]) * np.diff(w))) == pytest.approx(3.0)
    pos = a > 0
    ratio = f[pos] / a[pos]
    assert np.allclose(ratio, ratio[0])  # F proportional to alpha^2F where it is positive


CARDS = Path(__file__).parent / "cards"


@pytest.mark.parametrize(
    "card, file_lambda, tc",
    [("MgB2.toml", 0.9397306, 39.0), ("Al-QE.toml", 0.3963915104345056, 1.18)],
)
def test_example_cards_of_real_dft_files(card, file_lambda, tc, tmp_path, monkeypatch):
    """The example cards (real EPW and QE files, paths relative to the card) load from any
    folder, with lambda as the codes state it and mu* calibrated to the card's T_c."""
    monkeypatch.chdir(tmp_path)
    m = load_material(CARDS / card)
    assert m.lambda_ == pytest.approx(file_lambda, rel=2e-3)
    assert m.tc_K == tc and m.mu_star_source.startswith(f"calibrated to T_c = {tc:g} K")
    assert m.phonon_dos_source == "derived from alpha^2F (constant alpha^2)"
    assert 0.05 < m.mu_star < 0.3
