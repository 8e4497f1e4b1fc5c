"""Materials: one object per superconductor, loaded from a small TOML card or a built-in.

Issue 15, section 1. A :class:`Material` holds alpha^2F(omega) and F(omega), mu* (given,
or calibrated to T_c with the real-axis Eliashberg solver), N(0), the ion density, the
normal-state optics (rho_N and/or the Drude plasma energy and scattering rate), eps_inf
and a source line for every number. Built-in cards (package data, ``cards/*.toml``):
Pb, LaH10, K3C60, CaC6 (paper 001, SI Table 1, and the documented model spectra of
:mod:`photosc.cores.spectra.library`), Al and Nb.

Public API
----------
:func:`load_material` ``(ref, overrides=None) -> Material``
    ``ref``: a built-in name (case-insensitive), a card ``.toml`` path, or a bare alpha^2F
    file; ``overrides``: card keys -> values with units. The card layout and the rules are
    in :mod:`photosc.inputs.material_cards`.
:func:`builtin_material_names`
    The built-in cards.
:class:`Material`
    The frozen dataclass (:mod:`photosc.materials.material`); ``Material.require(...)``
    raises a ConfigError naming missing data, ``Material.replace(...)`` validates changes.
:func:`calibrate_mu_star`, :func:`eliashberg_tc`
    mu* for a T_c, and T_c for a mu*, with the real-axis solver
    (:mod:`photosc.materials.calibration`).
:data:`MaterialRef`, :data:`MaterialOverrides`, :func:`resolve`
    For a model's parameters: ``material: MaterialRef`` and
    ``material_overrides: MaterialOverrides``, then
    ``mat = resolve(params.material, params.material_overrides)`` (see
    :mod:`photosc.inputs.material_cards`, "For model authors").

Layers: :mod:`.material` and :mod:`.calibration` are pure (cores and foundation only); the
card reader lives with the other file readers in :mod:`photosc.inputs`.
"""

from typing import Any

from photosc.materials.calibration import calibrate_mu_star, eliashberg_tc
from photosc.materials.material import (
    PHONON_DOS_SOURCES,
    Material,
    drude_plasma_energy,
    drude_resistivity,
    drude_scattering_rate,
    phonon_dos_from_a2f,
)

#: Names served from the card reader, :mod:`photosc.inputs.material_cards`. Imported on
#: first use (PEP 562): the reader itself imports :mod:`photosc.materials.material`, so an
#: eager import here would be circular when the reader is imported first.
_CARD_API = (
    "CARD_FIELDS",
    "MaterialOverrides",
    "MaterialRef",
    "builtin_card_path",
    "builtin_material_names",
    "load_material",
    "resolve",
)


def __getattr__(name: str) -> Any:
    if name in _CARD_API:
        from photosc.inputs import material_cards

        return getattr(material_cards, name)
    raise AttributeError(f"module 'photosc.materials' has no attribute {name!r}")


__all__ = [
    "CARD_FIELDS",
    "PHONON_DOS_SOURCES",
    "Material",
    "MaterialOverrides",
    "MaterialRef",
    "builtin_card_path",
    "builtin_material_names",
    "calibrate_mu_star",
    "drude_plasma_energy",
    "drude_resistivity",
    "drude_scattering_rate",
    "eliashberg_tc",
    "load_material",
    "phonon_dos_from_a2f",
    "resolve",
]
