import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from photosc.foundation import units
from photosc.foundation.units import UnitError, parse_quantity, quantity
from photosc.models._base import Params


def test_parse_common_quantities():
    assert parse_quantity("52 meV", "meV") == pytest.approx(52.0)
    assert parse_quantity("1 eV", "meV") == pytest.approx(1000.0)
    assert parse_quantity("2 ps", "ps") == pytest.approx(2.0)
    assert parse_quantity("300 fs", "ps") == pytest.approx(0.3)
    assert parse_quantity("5 mJ/cm^2", "mJ/cm^2") == pytest.approx(5.0)
    assert parse_quantity("50 J/m^2", "mJ/cm^2") == pytest.approx(5.0)
    assert parse_quantity("100 K", "K") == pytest.approx(100.0)


def test_frequency_converts_with_planck_constant():
    # h * 1 THz = 4.1357 meV (spectroscopy context)
    assert parse_quantity("1 THz", "meV") == pytest.approx(units.THZ, rel=1e-9)
    assert parse_quantity("1 cm^-1", "meV") == pytest.approx(units.WAVENUMBER, rel=1e-9)


def test_energy_as_temperature_uses_kb():
    assert parse_quantity(f"{units.KB * 100} meV", "K") == pytest.approx(100.0)


def test_bare_numbers_are_in_declared_unit():
    assert parse_quantity(3, "meV") == 3.0
    assert parse_quantity("3.5", "ps") == 3.5


@pytest.mark.parametrize(
    "value, unit, match",
    [
        ("5 kg", "meV", "dimension"),
        ("5 furlongz", "meV", "cannot parse"),
        (True, "meV", "boolean"),
        ([1], "meV", "expected a number"),
    ],
)
def test_bad_quantities_are_clear_errors(value, unit, match):
    with pytest.raises(UnitError, match=match):
        parse_quantity(value, unit, field="fluence")


def test_error_names_the_field():
    with pytest.raises(UnitError, match="for 'fluence'"):
        parse_quantity("5 m", "mJ/cm^2", field="fluence")


def test_wavelength_converts_to_photon_energy():
    assert parse_quantity("800 nm", "meV", photon=True) == pytest.approx(1549.8, rel=1e-4)
    assert parse_quantity("800 nm", "meV", field="pump_photon_energy") == pytest.approx(
        1549.8, rel=1e-4
    )


@pytest.mark.parametrize("value", ["800 nm", "30 mm", "5 meters", "30 parsec"])
def test_length_is_not_an_energy_outside_photon_fields(value):
    with pytest.raises(UnitError, match="photon wavelength"):
        parse_quantity(value, "meV", field="cutoff")


@pytest.mark.parametrize(
    "name, photon",
    [
        ("pump_energy", True),
        ("pump_photon_energy", True),
        ("probe_photon_energy", True),
        ("k3c60_pump", True),
        ("lah10_probe", True),
        ("carrier", True),
        ("pump_injection_energy", False),
        ("pump_depth", False),
        ("cutoff", False),
        (None, False),
    ],
)
def test_photon_fields_by_name(name, photon):
    assert units.is_photon_field(name) is photon


def test_wavenumber_and_frequency_are_energies_anywhere():
    assert parse_quantity("30 cm^-1", "meV", field="cutoff") == pytest.approx(30 * units.WAVENUMBER)
    assert parse_quantity("41 THz", "THz") == 41.0
    assert parse_quantity("1 meV", "THz") == pytest.approx(1 / units.THZ)


def test_energy_and_temperature_fields_accept_the_same_quantities():
    # consistent both ways through E = k_B T
    assert parse_quantity("5 K", "meV") == pytest.approx(5 * units.KB)
    assert parse_quantity("1 meV", "K") == pytest.approx(1 / units.KB)
    assert parse_quantity("1 THz", "K") == pytest.approx(units.THZ / units.KB)
    assert parse_quantity("1 cm^-1", "K") == pytest.approx(units.WAVENUMBER / units.KB)
    with pytest.raises(UnitError, match="photon wavelength"):
        parse_quantity("800 nm", "K")


def test_a_rate_is_not_a_frequency_energy():
    assert parse_quantity("2 THz", "1/ps") == pytest.approx(2.0)
    with pytest.raises(UnitError, match="dimension"):
        parse_quantity("1 meV", "1/ps")


@pytest.mark.parametrize("value", ["inf meV", "-inf meV", "nan meV", float("inf"), float("nan")])
def test_non_finite_values_are_refused(value):
    with pytest.raises(UnitError, match="not a finite number"):
        parse_quantity(value, "meV")


@pytest.mark.parametrize(
    "x, unit, ok",
    [
        (1e30, "meV", False),
        (30 * 4.135667696923859e-12, "meV", False),  # 30 Hz
        (0.0, "meV", True),
        (-5.0, "meV", True),
        (2000.0, "meV", True),
        (1e20, "ps", False),
        (10.0, "fs", True),
        (1e16, "1/eV", False),
        (42.0, "1/eV", True),
    ],
)
def test_sanity_range(x, unit, ok):
    if ok:
        assert units.check_scale(x, unit) == x
    else:
        with pytest.raises(UnitError, match="out of scale"):
            units.check_scale(x, unit, field="cutoff")


class _P(Params):
    energy: quantity("meV", gt=0) = "1 meV"
    energies: list[quantity("meV")] = ["1 meV", "2 meV"]


def test_pydantic_quantity_fields():
    p = _P(energy="0.5 eV", energies=["1 THz", 2])
    assert p.energy == pytest.approx(500.0)
    assert p.energies == pytest.approx([units.THZ, 2.0])
    assert _P().energies == [1.0, 2.0]
    with pytest.raises(ValidationError, match="energy"):
        _P(energy="-1 meV")
    with pytest.raises(ValidationError, match="dimension"):
        _P(energy="1 ps")
    with pytest.raises(ValidationError, match="extra"):
        _P(enrgy="1 meV")
    with pytest.raises(ValidationError, match="out of scale"):
        _P(energy="1e30 meV")
    with pytest.raises(ValidationError, match="out of scale"):
        _P(energy="30 Hz")
    with pytest.raises(ValidationError, match="not a finite number"):
        _P(energy="inf meV")
    with pytest.raises(ValidationError, match="photon wavelength"):
        _P(energy="800 nm")


class _Photon(Params):
    pump_energy: quantity("meV", gt=0) = "1 eV"
    gap: quantity("meV", photon=True) = "1 meV"
    wide: quantity("meV", scale=None) = "1 meV"


def test_pydantic_photon_fields_and_scale_options():
    p = _Photon(pump_energy="800 nm", gap="800 nm", wide="1e30 meV")
    assert p.pump_energy == pytest.approx(1549.8, rel=1e-4) and p.gap == p.pump_energy
    assert p.wide == 1e30


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_meV_round_trip_through_eV(x):
    assert math.isclose(parse_quantity(f"{x / 1000!r} eV", "meV"), x, rel_tol=1e-12, abs_tol=1e-9)
