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
    assert parse_quantity("800 nm", "meV") == pytest.approx(1549.8, rel=1e-4)


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


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_meV_round_trip_through_eV(x):
    assert math.isclose(parse_quantity(f"{x / 1000!r} eV", "meV"), x, rel_tol=1e-12, abs_tol=1e-9)
