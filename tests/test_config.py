import pytest

from photosc.config import (
    builtin_scenarios,
    load_scenario,
    parse_assignment,
    parse_sweep_values,
    parse_value,
    resolved_toml,
    scenario_from_dict,
    validate,
    with_overrides,
)
from photosc.errors import ConfigError


def test_parse_value_reads_toml_or_bare_string():
    assert parse_value("5") == 5
    assert parse_value("[0.0, 0.5, 1.0]") == [0.0, 0.5, 1.0]
    assert parse_value('"5 mJ/cm^2"') == "5 mJ/cm^2"
    assert parse_value("5 mJ/cm^2") == "5 mJ/cm^2"
    assert parse_value("true") is True
    assert parse_assignment("fluence=5 mJ/cm^2") == ("fluence", "5 mJ/cm^2")
    with pytest.raises(ConfigError, match="key=value"):
        parse_assignment("fluence")


def test_sweep_values():
    assert parse_sweep_values("x", "0:1:3") == [0.0, 0.5, 1.0]
    assert parse_sweep_values("x", ["1 K", "2 K"]) == ["1 K", "2 K"]
    with pytest.raises(ConfigError, match="start:stop:num"):
        parse_sweep_values("x", "a:b:c")
    with pytest.raises(ConfigError, match="empty"):
        parse_sweep_values("x", [])


def test_toy_scenario_validates_with_units(toy_scenario):
    sc = load_scenario(toy_scenario)
    spec, params, numerics = validate(sc)
    assert params.energy == 3.0 and numerics.n_points == 5
    text = resolved_toml(sc, params, numerics)
    assert "energy = 3.0" in text and "delay = 0.0" in text  # defaults are written


@pytest.mark.parametrize(
    "override, match",
    [
        ({"energy": "-1 meV"}, r"parameters.energy = '-1 meV'.*greater than 0"),
        ({"energy": "1 ps"}, "dimension"),
        ({"temperature": "-5 K"}, "temperature"),
        ({"n_points": 1}, r"numerics.n_points = 1.*greater than or equal to 3"),
        ({"enrgy": 1.0}, "unknown key 'enrgy'.*parameters: energy"),
        ({"parameters.nope": 1.0}, "unknown key 'nope'"),
    ],
)
def test_errors_name_field_value_and_allowed(toy_scenario, override, match):
    with pytest.raises(ConfigError, match=match):
        validate(with_overrides(load_scenario(toy_scenario), override))


def test_unknown_tables_and_keys_fail_at_load():
    with pytest.raises(ConfigError, match="unknown table"):
        scenario_from_dict({"scenario": {"model": "x"}, "paramters": {}}, name="t")
    with pytest.raises(ConfigError, match="must name a model"):
        scenario_from_dict({"scenario": {}}, name="t")
    with pytest.raises(ConfigError, match="unknown key"):
        scenario_from_dict({"scenario": {"model": "x", "colour": 1}}, name="t")


def test_unknown_key_in_file(tmp_path, toy_scenario):
    p = tmp_path / "bad.toml"
    p.write_text(toy_scenario.read_text().replace("energy =", "enrgy ="))
    with pytest.raises(ConfigError, match="parameters.enrgy: unknown key.*allowed parameters"):
        validate(load_scenario(p))


def test_missing_file_and_unknown_model(tmp_path):
    with pytest.raises(ConfigError, match="neither a built-in"):
        load_scenario(tmp_path / "nope.toml")
    p = tmp_path / "m.toml"
    p.write_text('[scenario]\nmodel = "no-such-model"\n')
    with pytest.raises(ConfigError, match="unknown model"):
        validate(load_scenario(p))
    p.write_text("[scenario\nmodel = 1")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_scenario(p)


def test_every_builtin_scenario_loads_and_validates():
    for name in builtin_scenarios():
        validate(load_scenario(name))


def test_format_bytes():
    from photosc.config import format_bytes

    assert format_bytes(512) == "512 B"
    assert format_bytes(1536) == "1.5 KiB"
    assert format_bytes(8e12) == "7.28 TiB"


def test_merge_overrides_checks_the_mapping():
    from photosc.config import merge_overrides

    assert merge_overrides({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}
    assert merge_overrides(None, {"b": 2}) == {"b": 2}
    with pytest.raises(ConfigError, match="mapping"):
        merge_overrides("a=1", {})


def test_cross_field_error_names_the_section_not_the_dict():
    sc = with_overrides(load_scenario("bcs-equilibrium"), {"t_min": "10 K", "t_max": "5 K"})
    with pytest.raises(ConfigError) as info:
        validate(sc)
    msg = str(info.value)
    assert "parameters: t_max (5.0 K) must exceed t_min (10.0 K)" in msg
    assert "Value error" not in msg and "{" not in msg


def test_booleans_are_refused_only_where_a_number_is_expected(toy_scenario):
    with pytest.raises(ConfigError, match=r"parameters.energy = True: a boolean"):
        validate(with_overrides(load_scenario(toy_scenario), {"energy": True}))
    with pytest.raises(ConfigError, match=r"parameters.fail_above = False: a boolean"):
        validate(with_overrides(load_scenario(toy_scenario), {"fail_above": False}))
    spec, params, numerics = validate(
        with_overrides(load_scenario("cavity-distribution"), {"full_bcs": False})
    )
    assert numerics.full_bcs is False  # a boolean field takes booleans
