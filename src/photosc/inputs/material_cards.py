"""Material cards: small TOML files that describe one superconductor (issue 15, section 1).

A card names the material, its alpha^2F (a built-in model spectrum or a file that
:func:`photosc.inputs.spectrum_files.read_spectrum` reads), its phonon DOS F(omega), mu*
(given, or calibrated to T_c with the real-axis Eliashberg solver), N(0), the ion
density, the normal-state optics and eps_inf, each with units, and a source line for
every number. :func:`load_material` turns a card (or a built-in name, or a bare
alpha^2F file) into a :class:`photosc.materials.Material`.

Card layout
-----------
::

    name = "MgB2"                      # default: the file name
    base = "Pb"                        # optional: start from a built-in card
    description = "..."
    tc = "39 K"                        # known / target T_c
    mu_star = 0.12                     # or "calibrate" (to tc); see below
    mu_star_cutoff = "500 meV"         # sharp real-axis Coulomb cutoff omega_c
    n0 = "5.895 1/(eV nm^3)"           # single-spin N(0)
    n_ion = "33 1/nm^3"                # ion density N
    rho_n = "350 Ohm nm"               # normal-state resistivity
    plasma_energy = "13.5 eV"          # Drude hbar omega_p
    scattering_rate = "857 meV"        # Drude hbar / tau
    eps_inf = 1.0                      # background permittivity

    [alpha2f]                          # exactly one of builtin / file
    file = "MgB2.a2f"                  # relative to the card's folder
    format = "epw"                     # auto, text, qe-a2f-dos, epw-a2f, qe-alpha2f-dat, qe, epw
    units = "meV"                      # frequency unit of a file that states none
    column = 1                         # alpha^2F column (EPW: the smearing)

    phonon_dos = "derived from alpha^2F"   # or a table {builtin = "Pb"} / {file = ..., ...}

    [sources]                          # field -> where its value comes from
    tc = "..."

Every quantity is a string with units parsed by :mod:`photosc.foundation.units` (pint),
or a bare number in the unit shown above; ``Ohm`` may be written for pint's ``ohm``. The
keys may also be written as the :class:`~photosc.materials.Material` field names
(``n0_per_ev_nm3``, ``n_ion_nm3``, ``rho_n_ohm_nm``, ``plasma_energy_meV``,
``scattering_rate_meV``, ``tc_K``).

Rules
-----
* Unknown keys are refused; every bad value raises one
  :class:`~photosc.errors.ConfigError` naming the card, the field, the value and what is
  allowed.
* ``base``: the named built-in card is read first and the card's keys replace its keys
  (``sources`` entries too). Overrides (``load_material(ref, overrides)``, a model's
  ``material_overrides``, ``photosc material --set``) are one more such layer on top.
* A layer that sets ``alpha2f`` resets the lower layers' ``phonon_dos`` (no F unless
  given) and ``mu_star_cutoff`` (default 5 x the highest phonon energy of the new
  alpha^2F, the convention of :mod:`photosc.cores.eliashberg`).
* A layer that changes ``alpha2f``, ``tc`` or ``mu_star_cutoff`` without giving
  ``mu_star`` has mu* calibrated anew to ``tc`` (the lower layer's mu* belongs to its own
  spectrum, T_c and cutoff). ``mu_star = "calibrate"`` asks for it explicitly. No
  ``mu_star`` and no ``tc`` is an error.
* rho_N, the plasma energy and the scattering rate are tied by the Drude formula (any two
  fix the third; all three must agree within 1 %). A layer that sets one or two of them
  drops a lower layer's third value (the scattering rate first, then the plasma energy),
  which the Drude formula then gives: ``rho_n = "400 Ohm nm"`` over Pb keeps Pb's plasma
  energy and implies a new scattering rate.
* A number without a ``sources`` entry gets the source "given in <card>".
* F(omega) from a file or another built-in is interpolated onto the alpha^2F grid and
  normalised to 3 modes per atom (int F d omega = 3, the built-ins' convention); derived
  from alpha^2F it is 3 alpha^2F / int alpha^2F (constant alpha^2).

For model authors
-----------------
Declare the material of a model's parameters in two lines and resolve it in one::

    from photosc.materials import MaterialOverrides, MaterialRef, resolve

    class MyParams(Params):
        material: MaterialRef = Field("Pb", description="built-in name or card/alpha^2F path")
        material_overrides: MaterialOverrides = Field(
            default_factory=dict, description="card fields to replace, with units")

    mat = resolve(params.material, params.material_overrides)   # a Material
    mat.require("n0_per_ev_nm3", "n_ion_nm3", "phonon_dos", needed_by="my-model")

and pass ``check=lambda p, n: resolve(p.material, p.material_overrides) and None`` to the
``ModelSpec`` so that a bad card fails at validation, before a sweep starts.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from photosc.cores.spectra import MaterialParams, Spectrum, builtin, builtin_names
from photosc.errors import ConfigError, PhotoscError
from photosc.foundation.units import check_scale, parse_quantity
from photosc.inputs.spectrum_files import FORMATS, SpectrumFileError, read_spectrum
from photosc.materials.calibration import calibrate_mu_star, solver_grid
from photosc.materials.material import Material, phonon_dos_from_a2f

__all__ = [
    "CARD_FIELDS",
    "MaterialOverrides",
    "MaterialRef",
    "builtin_card_path",
    "builtin_material_names",
    "load_material",
    "parse_card",
    "resolve",
]

#: Card key -> (Material field, unit, what is allowed) of the scalar fields.
CARD_FIELDS: dict[str, tuple[str, str, str]] = {
    "tc": ("tc_K", "K", "a temperature > 0, e.g. '7.2 K'"),
    "mu_star": ("mu_star", "1", "a number with 0 <= mu* < 1, or 'calibrate' (to tc)"),
    "mu_star_cutoff": (
        "mu_star_cutoff",
        "meV",
        "an energy above the highest phonon energy, e.g. '500 meV'",
    ),
    "n0": ("n0_per_ev_nm3", "1/(eV nm^3)", "a density of states > 0, e.g. '5.9 1/(eV nm^3)'"),
    "n_ion": ("n_ion_nm3", "1/nm^3", "a density > 0, e.g. '33 1/nm^3'"),
    "rho_n": ("rho_n_ohm_nm", "ohm nm", "a resistivity > 0, e.g. '350 Ohm nm'"),
    "plasma_energy": ("plasma_energy_meV", "meV", "an energy > 0, e.g. '13.5 eV'"),
    "scattering_rate": ("scattering_rate_meV", "meV", "an energy > 0, e.g. '857 meV'"),
    "eps_inf": ("eps_inf", "1", "a number > 0"),
}
#: Material field names accepted as aliases of the card keys.
_ALIASES = {attr: key for key, (attr, _, _) in CARD_FIELDS.items() if attr != key}
_TABLE_KEYS = ("alpha2f", "phonon_dos")
_TOP_KEYS = ("name", "base", "description", *CARD_FIELDS, *_TABLE_KEYS, "sources")
_DERIVED = ("derived from alpha^2F", "derived")
_FORMAT_NAMES = ("auto", *FORMATS, "qe", "epw")
_CALIBRATE = "calibrate"


#: Folder searched for a relative card or alpha^2F path after the working directory: the
#: built-in scenarios, so that a shipped scenario can name a file shipped beside it.
SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"


def find_material_file(ref: str) -> Path | None:
    """The card or alpha^2F file ``ref`` names: as given (absolute, or relative to the
    working directory), else relative to :data:`SCENARIO_DIR`; None if neither exists."""
    path = Path(str(ref).strip()).expanduser()
    if path.is_file():
        return path
    if not path.is_absolute() and (SCENARIO_DIR / path).is_file():
        return SCENARIO_DIR / path
    return None


def _card_dir() -> Path:
    return Path(str(resources.files("photosc") / "materials" / "cards"))


def _builtin_cards() -> dict[str, Path]:
    """Lower-case name -> card file of the built-in cards."""
    return {p.stem.lower(): p for p in sorted(_card_dir().glob("*.toml"))}


def builtin_material_names() -> list[str]:
    """Names of the built-in material cards (canonical spelling, library order)."""
    cards = _builtin_cards()
    order = [n for n in builtin_names() if n.lower() in cards]
    extra = sorted(p.stem for k, p in cards.items() if k not in {n.lower() for n in order})
    return order + extra


def builtin_card_path(name: str) -> Path:
    """The card file of a built-in material (case-insensitive name; ConfigError if none)."""
    cards = _builtin_cards()
    key = str(name).strip().lower()
    if key not in cards:
        raise ConfigError(
            f"material = {name!r}: not a built-in material; allowed: "
            f"{', '.join(builtin_material_names())}"
        )
    return cards[key]


# --------------------------------------------------------------------------- schema
def _quantity(key: str):
    attr, unit, _ = CARD_FIELDS[key]

    def parse(v: Any) -> float:
        if isinstance(v, str):
            v = re.sub(r"\bOhm\b", "ohm", v)
        x = parse_quantity(v, unit, field=key, photon=False)
        return check_scale(x, unit, field=key) if unit in ("K", "meV") else x

    return parse


class _SpectrumSource(BaseModel):
    """Where alpha^2F or F(omega) comes from: a built-in spectrum or a file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    builtin: str | None = None
    file: str | None = None
    format: str = "auto"
    units: str | None = None
    column: int = Field(1, ge=1)

    @field_validator("builtin")
    @classmethod
    def _known(cls, v: str | None) -> str | None:
        if v is None:
            return v
        known = {n.lower(): n for n in builtin_names()}
        if v.strip().lower() not in known:
            raise ValueError(
                f"unknown built-in spectrum {v!r}; allowed: {', '.join(builtin_names())}"
            )
        return known[v.strip().lower()]

    @field_validator("format")
    @classmethod
    def _fmt(cls, v: str) -> str:
        if v not in _FORMAT_NAMES:
            raise ValueError(f"unknown format {v!r}; allowed: {', '.join(_FORMAT_NAMES)}")
        return v

    @model_validator(mode="after")
    def _one(self) -> _SpectrumSource:
        if (self.builtin is None) == (self.file is None):
            raise ValueError("give exactly one of builtin = NAME or file = PATH")
        if self.builtin is not None and (
            self.format != "auto" or self.units is not None or self.column != 1
        ):
            raise ValueError("format, units and column belong to a file, not to a built-in")
        return self


class _Card(BaseModel):
    """One layer of a material description (a card, or overrides), values parsed."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str | None = None
    base: str | None = None
    description: str = ""
    tc: float | None = None
    mu_star: float | str | None = None
    mu_star_cutoff: float | None = None
    n0: float | None = None
    n_ion: float | None = None
    rho_n: float | None = None
    plasma_energy: float | None = None
    scattering_rate: float | None = None
    eps_inf: float | None = None
    alpha2f: _SpectrumSource | None = None
    phonon_dos: _SpectrumSource | str | None = None
    sources: dict[str, str] = Field(default_factory=dict)

    @field_validator(
        "tc", "mu_star_cutoff", "n0", "n_ion", "rho_n", "plasma_energy", "scattering_rate",
        mode="before",
    )  # fmt: skip
    @classmethod
    def _units(cls, v: Any, info) -> float:
        return _quantity(info.field_name)(v)

    @field_validator("tc", "mu_star_cutoff", "n0", "n_ion", "rho_n", "plasma_energy")
    @classmethod
    def _positive(cls, v: float | None, info) -> float | None:
        if v is not None and not v > 0:
            raise ValueError(f"must be > 0 {CARD_FIELDS[info.field_name][1]}")
        return v

    @field_validator("scattering_rate")
    @classmethod
    def _positive_rate(cls, v: float | None) -> float | None:
        if v is not None and not v > 0:
            raise ValueError("must be > 0 meV")
        return v

    @field_validator("eps_inf", mode="before")
    @classmethod
    def _eps(cls, v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0:
            raise ValueError("must be a number > 0")
        return float(v)

    @field_validator("mu_star", mode="before")
    @classmethod
    def _mu(cls, v: Any) -> float | str:
        if isinstance(v, str) and v.strip().lower() == _CALIBRATE:
            return _CALIBRATE
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v < 1:
            raise ValueError("must be a number with 0 <= mu* < 1, or 'calibrate'")
        return float(v)

    @field_validator("phonon_dos", mode="before")
    @classmethod
    def _dos(cls, v: Any) -> Any:
        if isinstance(v, str):
            if v.strip() not in _DERIVED:
                raise ValueError(
                    "a string must be 'derived from alpha^2F'; else a table "
                    "{builtin = NAME} or {file = PATH, format, units, column}"
                )
            return _DERIVED[0]
        return v

    @field_validator("base")
    @classmethod
    def _base(cls, v: str | None) -> str | None:
        if v is None:
            return v
        cards = _builtin_cards()
        if v.strip().lower() not in cards:
            raise ValueError(
                f"not a built-in material; allowed: {', '.join(builtin_material_names())}"
            )
        return cards[v.strip().lower()].stem

    @field_validator("sources")
    @classmethod
    def _source_keys(cls, v: dict[str, str]) -> dict[str, str]:
        allowed = (*CARD_FIELDS, *_TABLE_KEYS)
        out = {}
        for key, text in v.items():
            k = _ALIASES.get(key, key)
            if k not in allowed:
                raise ValueError(f"unknown field {key!r}; allowed: {', '.join(allowed)}")
            out[k] = text
        return out


def _allowed(loc: str) -> str:
    top = loc.split(".")[0]
    if top in CARD_FIELDS:
        return CARD_FIELDS[top][2]
    return {
        "alpha2f": "a table {builtin = NAME} or {file = PATH, format, units, column}",
        "phonon_dos": "'derived from alpha^2F', {builtin = NAME} or {file = PATH, ...}",
        "sources": "a table of field -> text",
        "name": "a string",
        "description": "a string",
        "base": "the name of a built-in material",
    }.get(top, f"the keys {', '.join(_TOP_KEYS)}")


def _unalias(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Material field names -> card keys; dotted keys (``alpha2f.file``, as ``--set``
    writes them) -> nested tables."""
    out: dict[str, Any] = {}
    for key, v in data.items():
        if isinstance(key, str) and "." in key:
            head, rest = key.split(".", 1)
            table = out.setdefault(head, {})
            if not isinstance(table, dict):
                raise ConfigError(f"{where}: {key!r} and {head!r} name the same field; give one")
            table.update(_unalias({rest: v}, where) if "." in rest else {rest: v})
            continue
        k = _ALIASES.get(key, key)
        if k in out:
            raise ConfigError(f"{where}: {key!r} and {k!r} name the same field; give one")
        out[k] = v
    return out


def parse_card(data: Mapping[str, Any], where: str) -> _Card:
    """Validate one card (or overrides) mapping; one ConfigError listing every problem.

    Parameters
    ----------
    data : Mapping
        The parsed TOML (or overrides) table.
    where : str
        What to call it in messages ("card /path/x.toml", "material_overrides").
    """
    data = _unalias(data, where)
    try:
        return _Card(**data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"] if not str(x).startswith("function-"))
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                lines.append(f"unknown key {loc!r}; allowed: {', '.join(_TOP_KEYS)}")
                continue
            shown = data.get(str(err["loc"][0]), err.get("input")) if err["loc"] else None
            lines.append(f"{loc} = {shown!r}: {msg}; allowed: {_allowed(loc)}")
        raise ConfigError(f"{where}: " + "; ".join(dict.fromkeys(lines))) from None


def _read_toml(path: Path, where: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read the card: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: not a TOML text file (not UTF-8)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None


# --------------------------------------------------------------------------- layers
@dataclasses.dataclass
class _Layer:
    card: _Card
    where: str  # "card PATH", "built-in card Pb", "material_overrides"
    folder: Path  # relative file paths resolve here


@dataclasses.dataclass
class _State:
    """The merged description: value, source and layer of every key."""

    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    sources: dict[str, str] = dataclasses.field(default_factory=dict)
    folders: dict[str, Path] = dataclasses.field(default_factory=dict)
    name: str = ""
    description: str = ""
    where: str = ""


def _apply(state: _State, layer: _Layer) -> None:
    card = layer.card
    given = {k for k in (*CARD_FIELDS, *_TABLE_KEYS) if getattr(card, k) is not None}
    if "alpha2f" in given:
        for key in ("phonon_dos", "mu_star_cutoff"):
            if key not in given:
                state.values.pop(key, None)
                state.sources.pop(key, None)
    if given & {"alpha2f", "tc", "mu_star_cutoff"} and "mu_star" not in given:
        if "mu_star" in state.values:
            state.values["mu_star"] = _CALIBRATE
            state.sources.pop("mu_star", None)
    trio = ("scattering_rate", "plasma_energy", "rho_n")  # dropped first ... last
    if given & set(trio) and not set(trio) <= given:
        kept = [k for k in trio if k in given or k in state.values]
        if len(kept) == 3:  # two of rho_N, E_p, Gamma fix the third: drop a lower one
            drop = next(k for k in trio if k not in given)
            state.values.pop(drop, None)
            state.sources.pop(drop, None)
    for key in given:
        state.values[key] = getattr(card, key)
        state.sources[key] = card.sources.get(key) or f"given in {layer.where}"
        state.folders[key] = layer.folder
    for key, text in card.sources.items():
        if key not in given and key in state.values:
            state.sources[key] = text
    if card.name:
        state.name = card.name
    if card.description:
        state.description = card.description
    state.where = layer.where if not state.where else f"{layer.where} over {state.where}"


def _card_layers(path: Path, where: str) -> list[_Layer]:
    card = parse_card(_read_toml(path, where), where)
    layers = []
    if card.base is not None:
        base_path = builtin_card_path(card.base)
        base_where = f"built-in card {card.base}"
        base = parse_card(_read_toml(base_path, base_where), base_where)
        if base.base is not None:  # pragma: no cover - built-in cards name no base
            raise ConfigError(f"{base_where}: a built-in card cannot name a base")
        layers.append(_Layer(base, base_where, base_path.parent))
    layers.append(_Layer(card, where, path.parent))
    return layers


def _layers_of(ref: str) -> tuple[list[_Layer], str]:
    """The layers a reference names, and a default material name."""
    text = str(ref).strip()
    if not text:
        raise ConfigError(
            "material = '': allowed: a built-in material ("
            f"{', '.join(builtin_material_names())}), a card (.toml) or an alpha^2F file"
        )
    if text.lower() in _builtin_cards():
        path = builtin_card_path(text)
        return _card_layers(path, f"built-in card {path.stem}"), path.stem
    path = find_material_file(text)
    if path is not None:
        if path.suffix.lower() == ".toml":
            return _card_layers(path, f"card {path}"), path.stem
        where = f"alpha^2F file {path}"
        card = _Card(alpha2f=_SpectrumSource(file=str(path.resolve())))
        return [_Layer(card, where, path.parent)], path.stem
    raise ConfigError(
        f"material = {ref!r}: neither a built-in material ("
        f"{', '.join(builtin_material_names())}) nor an existing card (.toml) or alpha^2F file "
        f"(looked in the working directory and in {SCENARIO_DIR})"
    )


# --------------------------------------------------------------------------- resolve
def _read_file_spectrum(src: _SpectrumSource, folder: Path, where: str, key: str) -> Spectrum:
    path = Path(src.file).expanduser()  # type: ignore[arg-type]
    if not path.is_absolute():
        path = folder / path
    if not path.is_file():
        raise ConfigError(
            f"{where}: {key}.file = {src.file!r}: no such file ({path}); allowed: a path to an "
            "existing file, relative to the card's folder"
        )
    try:
        return read_spectrum(path, units=src.units, column=src.column, fmt=src.format)
    except (SpectrumFileError, OSError) as exc:
        raise ConfigError(f"{where}: {key}.file = {src.file!r}: {exc}") from None


def _dos_on(spec: Spectrum, omega: np.ndarray, values: np.ndarray) -> np.ndarray:
    f = np.interp(spec.omega, omega, values, left=0.0, right=0.0)
    f = np.maximum(f, 0.0)
    norm = float(np.sum(0.5 * (f[1:] + f[:-1]) * np.diff(spec.omega)))
    if not norm > 0:
        raise ValueError("F(omega) has no positive weight on the alpha^2F frequency range")
    return 3.0 * f / norm


_CALIBRATIONS: dict[tuple, float] = {}


def _calibrated(spec: Spectrum, tc: float, cutoff: float) -> float:
    h = hashlib.sha1(spec.omega.tobytes() + spec.a2f.tobytes()).hexdigest()
    key = (h, round(tc, 12), round(cutoff, 12))
    if key not in _CALIBRATIONS:
        _CALIBRATIONS[key] = calibrate_mu_star(spec, tc, cutoff)
    return _CALIBRATIONS[key]


def _build(state: _State, default_name: str) -> Material:
    v, src, where = state.values, state.sources, state.where
    name = state.name or default_name
    a2f_src = v.get("alpha2f")
    if a2f_src is None:
        raise ConfigError(
            f"{where}: alpha2f is not given; allowed: a table {{builtin = NAME}} or "
            "{file = PATH, format, units, column}"
        )
    if a2f_src.builtin is not None:
        spec = builtin(a2f_src.builtin)
    else:
        spec = _read_file_spectrum(a2f_src, state.folders["alpha2f"], where, "alpha2f")
        if state.sources.get("alpha2f", "").startswith("given in "):
            state.sources["alpha2f"] = f"file {spec.source}"
    dos = v.get("phonon_dos")
    f_dos, dos_source = None, None
    try:
        if dos == _DERIVED[0]:
            f_dos, dos_source = phonon_dos_from_a2f(spec.omega, spec.a2f), _DERIVED_TEXT
        elif isinstance(dos, _SpectrumSource) and dos.builtin is not None:
            ref = builtin(dos.builtin)
            same = a2f_src.builtin == dos.builtin
            f_dos = ref.f_dos if same else _dos_on(spec, ref.omega, ref.f_dos)
            dos_source = "builtin model"
        elif isinstance(dos, _SpectrumSource):
            fs = _read_file_spectrum(dos, state.folders["phonon_dos"], where, "phonon_dos")
            f_dos, dos_source = _dos_on(spec, fs.omega, fs.a2f), "file"
    except ValueError as exc:
        raise ConfigError(f"{where}: phonon_dos = {dos!r}: {exc}") from None
    cutoff = v.get("mu_star_cutoff")
    sources = {k: src[k] for k in src}
    sources["spectrum"] = sources.pop("alpha2f", "")
    if cutoff is None:
        cutoff = solver_grid(spec, 0.0)
        sources["mu_star_cutoff"] = (
            "default: 5 x the highest phonon energy of alpha^2F "
            f"({spec.omega_max:.6g} meV), the convention of photosc.cores.eliashberg"
        )
    if not cutoff > spec.omega_max:
        raise ConfigError(
            f"{where}: mu_star_cutoff = {cutoff:g} meV; allowed: above the highest phonon "
            f"energy of alpha^2F ({spec.omega_max:.6g} meV)"
        )
    tc = v.get("tc")
    mu = v.get("mu_star", _CALIBRATE if tc is not None else None)
    if mu is None:
        raise ConfigError(
            f"{where}: mu_star is not given and there is no tc to calibrate it to; allowed: "
            "mu_star = a number with 0 <= mu* < 1, or tc = a temperature (mu* is then "
            "calibrated with the real-axis Eliashberg solver)"
        )
    if mu == _CALIBRATE:
        if tc is None:
            raise ConfigError(
                f"{where}: mu_star = 'calibrate' needs tc; allowed: give tc = '... K'"
            )
        try:
            mu = _calibrated(spec, tc, cutoff)
        except PhotoscError as exc:
            raise ConfigError(f"{where}: mu_star: {exc}") from None
        mu_source = f"calibrated to T_c = {tc:g} K with the real-axis Eliashberg solver"
        sources["mu_star"] = (
            f"{mu_source} (linearised gap equation, sharp cutoff omega_c = {cutoff:g} meV, "
            f"grid to {solver_grid(spec, cutoff):g} meV, photosc.materials.calibration)"
        )
    else:
        mu_source = "given"
    n0, nion, rho = v.get("n0"), v.get("n_ion"), v.get("rho_n")
    table = spec.material
    if None in (n0, nion, rho):
        table = None
    elif table is None or (table.n0_per_ev_nm3, table.n_ion_nm3, table.rho_n_ohm_nm) != (
        n0,
        nion,
        rho,
    ):
        table = MaterialParams(nion, rho, n0, float(tc or 0.0), source=f"material {name}")
    spec = dataclasses.replace(
        spec,
        f_dos=f_dos,
        name=name,
        material=table,
        mu_star=float(mu),
        mu_star_cutoff=float(cutoff),
        tc_target_K=tc,
        _cache={},
    )
    if f_dos is None:
        sources.pop("phonon_dos", None)
    else:
        sources["phonon_dos"] = sources.get("phonon_dos") or dos_source
    out_sources = {}
    for key, text in sources.items():
        out_sources[CARD_FIELDS[key][0] if key in CARD_FIELDS else key] = text
    try:
        return Material(
            name=name,
            spectrum=spec,
            mu_star=float(mu),
            mu_star_cutoff=float(cutoff),
            mu_star_source=mu_source,
            tc_K=tc,
            phonon_dos_source=dos_source,
            n0_per_ev_nm3=n0,
            n_ion_nm3=nion,
            rho_n_ohm_nm=rho,
            plasma_energy_meV=v.get("plasma_energy"),
            scattering_rate_meV=v.get("scattering_rate"),
            eps_inf=v.get("eps_inf"),
            sources=out_sources,
            card=where,
        )
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


_DERIVED_TEXT = "derived from alpha^2F (constant alpha^2)"


def load_material(ref: str | Path, overrides: Mapping[str, Any] | None = None) -> Material:
    """The material named by ``ref``, with ``overrides`` applied.

    Parameters
    ----------
    ref : str or Path
        A built-in material name (case-insensitive, :func:`builtin_material_names`), a
        path to a card (``.toml``), or a path to a bare alpha^2F file (any layout
        :func:`~photosc.inputs.spectrum_files.read_spectrum` detects; then ``mu_star`` or
        ``tc`` must come with the overrides, and what the file lacks is None).
    overrides : Mapping, optional
        Card keys (or Material field names) -> values with units, applied as one more
        card layer on top (see the module docstring); relative file paths in it resolve
        against the current folder.

    Returns
    -------
    Material

    Raises
    ------
    ConfigError
        Unknown reference, bad card, bad override, unreadable file, impossible
        calibration: one error naming the card, the field, the value and what is allowed.
    """
    layers, default_name = _layers_of(str(ref))
    if overrides:
        if not isinstance(overrides, Mapping):
            raise ConfigError(
                f"material_overrides = {overrides!r}: allowed: a table of field -> value"
            )
        card = parse_card(dict(overrides), "material_overrides")
        if card.base is not None:
            raise ConfigError(
                "material_overrides: base = "
                f"{card.base!r}; allowed: base only in a card (name the base as material)"
            )
        layers.append(_Layer(card, "material_overrides", Path.cwd()))
    state = _State()
    for layer in layers:
        _apply(state, layer)
    return _build(state, default_name)


# --------------------------------------------------------------------------- pydantic
def _check_ref(v: str) -> str:
    text = str(v).strip()
    if text.lower() in _builtin_cards() or find_material_file(text) is not None:
        return v
    raise ValueError(
        f"neither a built-in material ({', '.join(builtin_material_names())}) nor an existing "
        f"card (.toml) or alpha^2F file (looked in the working directory and in {SCENARIO_DIR})"
    )


def _check_overrides(v: dict[str, Any]) -> dict[str, Any]:
    try:
        parse_card(copy.deepcopy(v), "material_overrides")
    except ConfigError as exc:
        raise ValueError(str(exc).removeprefix("material_overrides: ")) from None
    return v


#: A model parameter naming a material: a built-in name, a card path or an alpha^2F file.
MaterialRef = Annotated[str, AfterValidator(_check_ref)]
#: A model parameter holding material overrides: card key -> value with units (checked
#: at validation; files are read by :func:`resolve`).
MaterialOverrides = Annotated[dict[str, Any], AfterValidator(_check_overrides)]


def resolve(material: str, overrides: Mapping[str, Any] | None = None) -> Material:
    """The Material of a model's ``material`` and ``material_overrides`` parameters.

    The same as :func:`load_material`; named for the one line a model's ``run`` needs.

    Parameters
    ----------
    material : str
        Built-in material name, card path or alpha^2F file (a :data:`MaterialRef`).
    overrides : Mapping, optional
        Card keys -> values with units (a :data:`MaterialOverrides`).

    Returns
    -------
    Material
    """
    return load_material(material, overrides)
