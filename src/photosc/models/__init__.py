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

#: Modules under photosc.models that define MODELS (explicit, in paper order), each with
#: the names of the models it registers: :func:`get` imports only the module that holds
#: a name (importing all of them took about 1.2 s of every command's start, issue 16), and
#: :func:`available` checks every module's MODELS against its names here.
_MODULES: dict[str, tuple[str, ...]] = {
    "bcs_equilibrium": ("bcs-equilibrium",),
    "cavity_eliashberg": ("cavity-multimode", "cavity-distribution", "cavity-single-mode"),
    "raman_pairing": ("raman-pairing",),
    "metastability": ("metastability-landscape", "metastability-diagram"),
    "raman_langevin": ("raman-langevin",),
    "qp_trapping": ("qp-trapping-k3c60", "qp-trapping-protocol"),
    "trapping_kinetics": ("qp-trapping-kinetics",),
    "optical_conductivity": ("optical-conductivity",),
    "eliashberg_equilibrium": ("eliashberg-equilibrium", "eliashberg-materials"),
    "interband_pairing": (
        "interband-steady-state", "interband-transient", "interband-phase-diagram",
        "interband-bdg",
    ),
    "valley_driven": ("valley-dichroism", "valley-critical-coupling", "valley-fast-relaxation"),
    "photoinduced_gap": (
        "photoinduced-gap", "photoinduced-gap-fluence", "nonthermal-distributions",
        "photoinduced-gap-map",
    ),
    "pump_probe": (),
    "material_properties": ("material-properties",),
    "pump_probe.generic": ("pump-probe",),
}  # fmt: skip


def available() -> dict[str, ModelSpec]:
    """All registered models by name (a new dict; the registry is built once)."""
    return dict(_registry())


@functools.cache
def _module_models(mod: str) -> dict[str, ModelSpec]:
    """The models of ``photosc.models.<mod>`` by name, imported once; RuntimeError when
    they are not the names :data:`_MODULES` declares for it."""
    module = importlib.import_module(f"photosc.models.{mod}")
    out = {spec.name: spec for spec in module.MODELS}
    if len(out) != len(module.MODELS) or set(out) != set(_MODULES[mod]):
        raise RuntimeError(
            f"photosc.models.{mod} registers {[s.name for s in module.MODELS]}, "
            f"but _MODULES declares {list(_MODULES[mod])}"
        )
    return out


@functools.cache
def _registry() -> dict[str, ModelSpec]:
    """The built-in models by name (every module imported once)."""
    out: dict[str, ModelSpec] = {}
    for mod in _MODULES:
        for name, spec in _module_models(mod).items():
            if name in out:
                raise RuntimeError(f"model name {name!r} registered twice")
            out[name] = spec
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
    for mod, names in _MODULES.items():
        if name in names:
            return _module_models(mod)[name]
    raise KeyError(f"unknown model {name!r}; known models: {', '.join(sorted(available()))}")
