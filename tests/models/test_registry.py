"""The model registry: every declared name resolves, alone and through the full registry."""

from __future__ import annotations

import pytest

import photosc.models as models


def test_every_declared_model_resolves_to_the_registered_spec():
    registry = models.available()
    declared = [name for names in models._MODULES.values() for name in names]
    assert sorted(declared) == sorted(registry)
    for name in declared:
        assert models.get(name) is registry[name]


def test_a_module_whose_models_differ_from_the_declaration_is_refused(monkeypatch):
    monkeypatch.setitem(models._MODULES, "raman_pairing", ("raman-pairing", "not-there"))
    with pytest.raises(RuntimeError, match="_MODULES declares"):
        models._module_models.__wrapped__("raman_pairing")


def test_an_unknown_model_names_the_known_ones():
    with pytest.raises(KeyError, match="known models: .*bcs-equilibrium"):
        models.get("no-such-model")
