"""A model's trace beside a measured one: selection, interpolation, residual.

The model's variable (a signal versus delay, or versus probe energy and delay) is cut to
one trace (or one spectrum) by the ``[measured].select`` values, shifted on the delay axis
by ``time_zero`` (the model at delay t is compared with the data at t + time_zero) and
interpolated linearly onto the measured delays (and energies). Only measured points inside
the model's delay (and energy) range are compared; the others are counted and reported,
never extrapolated.

Residual: r_i = model_i - data_i (in the variable's unit); rms = sqrt(mean r_i^2) over the
n points used; with measured errors sigma_i also chi^2 = sum (r_i / sigma_i)^2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr
from scipy.interpolate import RegularGridInterpolator

from photosc.errors import ConfigError
from photosc.foundation.units import UnitError, parse_quantity
from photosc.inputs.measured import MeasuredData, MeasuredSpec, convert_factor


@dataclass(frozen=True)
class ModelTrace:
    """One trace (or transient spectrum) of a model variable, in internal units.

    Attributes
    ----------
    delay : (m,) float, ps
        The model's delays (increasing).
    values : (m,) or (n_e, m) float
        The variable, in ``unit``.
    energy : (n_e,) float, meV, or None
        Probe energies of a spectrum (increasing); None for a trace.
    unit : str
        Unit of ``values`` (the variable's ``units`` attribute).
    label : str
        Variable name and selection, for figures.
    """

    delay: np.ndarray
    values: np.ndarray
    energy: np.ndarray | None
    unit: str
    label: str


@dataclass(frozen=True)
class Comparison:
    """Measured points beside the model.

    Attributes
    ----------
    delay : (n,) float, ps
        Measured delays.
    energy : (n,) float, meV, or None
        Measured probe energies (spectrum).
    data : (n,) float
        Measured values in the model variable's unit.
    error : (n,) float or None
        Measured standard deviations (same unit).
    model : (n,) float
        The model at the measured points (NaN outside its range).
    inside : (n,) bool
        Which points lie inside the model's range (the ones compared).
    time_zero : float, ps
        The shift used.
    unit : str
        Unit of ``data``, ``error`` and ``model``.
    """

    delay: np.ndarray
    energy: np.ndarray | None
    data: np.ndarray
    error: np.ndarray | None
    model: np.ndarray
    inside: np.ndarray
    time_zero: float
    unit: str

    @property
    def residual(self) -> np.ndarray:
        """model - data at the points used, in ``unit``."""
        return (self.model - self.data)[self.inside]

    @property
    def n_used(self) -> int:
        """Number of measured points compared."""
        return int(self.inside.sum())

    @property
    def n_outside(self) -> int:
        """Number of measured points outside the model's range (not compared)."""
        return int((~self.inside).sum())

    @property
    def rms(self) -> float:
        """Root-mean-square residual, in ``unit``."""
        return float(np.sqrt(np.mean(self.residual**2)))

    @property
    def chi2(self) -> float | None:
        """sum ((model - data) / error)^2 over the points used (None without errors)."""
        if self.error is None:
            return None
        return float(np.sum((self.residual / self.error[self.inside]) ** 2))


def _is_time(unit: str) -> bool:
    try:
        parse_quantity(f"1 {unit}", "ps")
    except (UnitError, ValueError):
        return False
    return bool(unit.strip())


def _to(unit: str, target: str, kind: str, where: str, photon: bool = False) -> float:
    try:
        return parse_quantity(f"1 {unit}", target, photon=photon)
    except (UnitError, ValueError):
        raise ConfigError(f"{where}: the {kind} coordinate is in {unit!r}, not a {kind}") from None


def _select(da: xr.DataArray, select: dict[str, Any], where: str) -> xr.DataArray:
    for key, want in select.items():
        if key not in da.dims:
            raise ConfigError(
                f"{where}: measured.select.{key}: {da.name!r} has no dimension {key!r}; its "
                f"dimensions: {', '.join(map(str, da.dims))}"
            )
        coord = da[key].values
        if coord.dtype.kind in "fiu" and not isinstance(want, str | bool):
            unit = str(da[key].attrs.get("units", ""))
            try:
                value = parse_quantity(want, unit, field=key) if unit and unit != "1" else want
                value = float(value)
            except (UnitError, ValueError, TypeError):
                raise ConfigError(
                    f"{where}: measured.select.{key} = {want!r}: a number in {unit or '1'} "
                    "(or a string with units) is required"
                ) from None
            tol = 1e-6 * max(1.0, float(np.max(np.abs(coord))))
            hits = np.flatnonzero(np.abs(coord - value) <= tol)
        else:
            hits = np.flatnonzero(coord.astype(str) == str(want))
        if hits.size == 0:
            shown = ", ".join(str(v) for v in coord[:20])
            raise ConfigError(
                f"{where}: measured.select.{key} = {want!r} is not among the model's values "
                f"of {key}: {shown}"
            )
        da = da.isel({key: int(hits[0])})
    return da


def model_trace(ds: xr.Dataset, spec: MeasuredSpec, where: str = "measured") -> ModelTrace:
    """Cut the variable ``spec.variable`` of ``ds`` to one trace or spectrum.

    Parameters
    ----------
    ds : xarray.Dataset
        A model's result; the delay coordinate carries a time unit.
    spec : MeasuredSpec
        Variable and selection.
    where : str
        Scenario name, for messages.

    Raises
    ------
    ConfigError
        Unknown variable, no delay dimension, a selection that is missing or wrong, more
        than one dimension left besides delay (and probe energy).
    """
    timed = [
        str(v)
        for v in ds.data_vars
        if any(d in ds.coords and _is_time(str(ds[d].attrs.get("units", ""))) for d in ds[v].dims)
    ]
    if spec.variable not in ds.data_vars:
        raise ConfigError(
            f"{where}: measured.variable = {spec.variable!r} is not a variable of the model's "
            f"result; variables over a delay: {', '.join(timed) or '(none)'}"
        )
    da = _select(ds[spec.variable], spec.select, where)
    delay_dims = [
        str(d) for d in da.dims if d in ds.coords and _is_time(str(ds[d].attrs.get("units", "")))
    ]
    if len(delay_dims) != 1:
        raise ConfigError(
            f"{where}: measured.variable = {spec.variable!r} has no delay dimension (a "
            f"coordinate in a time unit); variables over a delay: {', '.join(timed) or '(none)'}"
        )
    tdim = delay_dims[0]
    # a dimension of length one (one temperature, one fluence) needs no selection
    da = da.squeeze([d for d in da.dims if d != tdim and da.sizes[d] == 1], drop=True)
    rest = [str(d) for d in da.dims if d != tdim]
    energy = None
    if len(rest) > 1 or (len(rest) == 1 and rest[0] not in ds.coords):
        raise ConfigError(
            f"{where}: {spec.variable!r} still has the dimension(s) {', '.join(rest)} besides "
            f"{tdim!r}; pick one value of each with measured.select (e.g. "
            f"select = {{ {rest[0]} = ... }}); a transient spectrum keeps only a probe energy"
        )
    tunit = str(ds[tdim].attrs["units"])
    delay = np.asarray(ds[tdim].values, dtype=float) * _to(tunit, "ps", "delay", where)
    if rest:
        edim = rest[0]
        eunit = str(ds[edim].attrs.get("units", ""))
        factor = _to(eunit, "meV", "probe energy", where, photon=True) if eunit else 0.0
        if not factor:
            raise ConfigError(f"{where}: the coordinate {edim!r} has no energy unit")
        energy = np.asarray(ds[edim].values, dtype=float) * factor
        values = np.asarray(da.transpose(edim, tdim).values, dtype=float)
        order = np.argsort(energy)
        energy, values = energy[order], values[order]
    else:
        values = np.asarray(da.values, dtype=float)
    t_order = np.argsort(delay)
    delay, values = delay[t_order], values[..., t_order]
    label = spec.variable + "".join(f", {k} = {v}" for k, v in spec.select.items())
    return ModelTrace(delay, values, energy, str(da.attrs.get("units", "1")), label)


def interpolate(
    trace: ModelTrace, delay: np.ndarray, energy: np.ndarray | None, time_zero: float
) -> tuple[np.ndarray, np.ndarray]:
    """The model at measured points, shifted by ``time_zero`` (ps): (values, inside).

    ``values`` holds the linear interpolation at each point inside the model's range
    (delay - time_zero within the model's delays; energy within its energies) and the
    value at the nearest end outside it; ``inside`` marks the points inside.
    """
    t = np.asarray(delay, dtype=float) - time_zero
    eps = 1e-9 * max(1.0, float(np.ptp(trace.delay)))
    inside = (t >= trace.delay[0] - eps) & (t <= trace.delay[-1] + eps)
    tc = np.clip(t, trace.delay[0], trace.delay[-1])
    if trace.energy is None:
        return np.interp(tc, trace.delay, trace.values), inside
    if energy is None:
        raise ConfigError("a transient spectrum needs measured probe energies")
    e = np.asarray(energy, dtype=float)
    inside &= (e >= trace.energy[0] - 1e-9) & (e <= trace.energy[-1] + 1e-9)
    ec = np.clip(e, trace.energy[0], trace.energy[-1])
    if trace.energy.size == 1:
        return np.interp(tc, trace.delay, trace.values[0]), inside
    grid = RegularGridInterpolator((trace.energy, trace.delay), trace.values, method="linear")
    return grid(np.column_stack([ec, tc])), inside


def compare(
    trace: ModelTrace, data: MeasuredData, time_zero: float = 0.0, where: str = "measured"
) -> Comparison:
    """Measured data beside the model trace (units converted to the model's).

    Raises
    ------
    ConfigError
        Incompatible signal unit; a spectrum against a trace or the reverse; no measured
        point inside the model's range.
    """
    if data.is_spectrum != (trace.energy is not None):
        kind = "a transient spectrum" if trace.energy is not None else "a trace"
        raise ConfigError(
            f"{where}: {data.source} is {'a spectrum' if data.is_spectrum else 'a trace'} but "
            f"the model's {trace.label} is {kind}"
        )
    factor = convert_factor(data.signal_unit, trace.unit, f"{where}: {data.source}")
    values, inside = interpolate(trace, data.delay, data.energy, time_zero)
    if not inside.any():
        raise ConfigError(
            f"{where}: no measured point of {data.source} lies inside the model's delay range "
            f"{trace.delay[0] + time_zero:.6g} to {trace.delay[-1] + time_zero:.6g} ps "
            f"(time_zero = {time_zero:.6g} ps); measured delays "
            f"{data.delay.min():.6g} to {data.delay.max():.6g} ps"
        )
    return Comparison(
        delay=data.delay,
        energy=data.energy,
        data=data.signal * factor,
        error=None if data.error is None else data.error * factor,
        model=np.where(inside, values, np.nan),
        inside=inside,
        time_zero=time_zero,
        unit=trace.unit,
    )


def unit_suffix(unit: str) -> str:
    """Summary-key suffix of a unit: ``""`` for dimensionless, ``"_meV"``, ``"_meV_per_nm3"``."""
    u = unit.strip()
    if u in ("", "1", "dimensionless"):
        return ""
    u = u.replace("/", "_per_").replace("^", "").replace("*", "_").replace(" ", "")
    return "_" + "".join(c for c in u if c.isalnum() or c in "_-")


def summary_items(comp: Comparison, spec: MeasuredSpec) -> dict[str, Any]:
    """The summary entries of a comparison (keys carry their unit)."""
    sfx = unit_suffix(comp.unit)
    out: dict[str, Any] = {
        "measured_file": str(spec.file),
        "measured_variable": spec.variable,
        f"measured_rms{sfx}": comp.rms,
        "measured_n_points": comp.n_used,
        "measured_n_outside": comp.n_outside,
        "measured_time_zero_ps": comp.time_zero,
    }
    if comp.chi2 is not None:
        out["measured_chi2"] = comp.chi2
        out["measured_chi2_per_point"] = comp.chi2 / comp.n_used
    return out
