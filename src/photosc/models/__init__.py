"""Model registry: one module per paper mechanism (STYLE.md, habit 5).

Each module listed in ``_MODULES`` defines ``MODELS``, a list of
:class:`~photosc.models._base.ModelSpec`. The CLI (``photosc list``) and the
test suite's contract battery iterate over this registry, so a model is tested
the day it is added here.
"""

from __future__ import annotations

import functools
import importlib

from photosc.models._base import ModelOutput, ModelSpec, Numerics, Params

__all__ = ["ModelOutput", "ModelSpec", "Numerics", "Params", "available", "get"]

#: Modules under photosc.models that define MODELS (explicit, in paper order).
_MODULES = [
    "bcs_equilibrium",
    "cavity_eliashberg",
    "raman_pairing",
    "metastability",
    "raman_langevin",
    "qp_trapping",
    "trapping_kinetics",
    "optical_conductivity",
    "eliashberg_equilibrium",
    "interband_pairing",
    "valley_driven",
    "photoinduced_gap",
    "pump_probe",
    "material_properties",
    "pump_probe.generic",
]


def available() -> dict[str, ModelSpec]:
    """All registered models by name (a new dict; the registry is built once)."""
    return dict(_registry())


@functools.cache
def _registry() -> dict[str, ModelSpec]:
    """The built-in models by name, imported once (a sweep looks its model up for every
    point it validates: 8,000 lookups in the 4096-point metastability-diagram)."""
    out: dict[str, ModelSpec] = {}
    for mod in _MODULES:
        module = importlib.import_module(f"photosc.models.{mod}")
        for spec in module.MODELS:
            if spec.name in out:
                raise RuntimeError(f"model name {spec.name!r} registered twice")
            out[spec.name] = spec
    return out


def get(name: str) -> ModelSpec:
    """The model registered as ``name`` (KeyError listing the known names).

    A name of the form ``package.module:ATTR`` imports a user's own
    :class:`ModelSpec` from an importable module (a plug-in model).
    """
    if ":" in name:
        module_name, attr = name.split(":", 1)
        try:
            spec = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise KeyError(f"cannot load plug-in model {name!r}: {exc}") from None
        if not isinstance(spec, ModelSpec):
            raise KeyError(f"plug-in model {name!r} is a {type(spec).__name__}, not a ModelSpec")
        return spec
    models = available()
    if name not in models:
        raise KeyError(f"unknown model {name!r}; known models: {', '.join(sorted(models))}")
    return models[name]
