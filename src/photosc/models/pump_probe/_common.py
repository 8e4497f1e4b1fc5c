"""Shared pieces of the pump-probe models: material look-up, numerics, dataset and plot helpers.

The physics lives in :mod:`photosc.pipeline` (material-free); this module resolves the
built-in materials of paper 001 (SI Table 1) for the paper models, and holds the
kinetic numerics, the energy-budget dataset variables and summaries, and the small
figures every pump-probe model draws.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Literal

import numpy as np
import xarray as xr
from pydantic import Field

from photosc.errors import ConfigError
from photosc.foundation.parallel import parallel_map
from photosc.foundation.units import quantity
from photosc.models._base import FLOAT_BYTES, Numerics, Params
from photosc.pipeline import kinetics as _pk
from photosc.pipeline.kinetics import KineticTrace
from photosc.pipeline.sample import DepthResolved, slice_deposition, slice_response


def _spectrum(name: str):
    """The built-in spectrum ``name`` with its SI Table 1 material data (ConfigError if unknown)."""
    from photosc.cores import spectra

    try:
        return spectra.builtin(name)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"material: {exc}") from None


def run_kinetics(
    material: str,
    temperature: float,
    *,
    injection_energy: float,
    tau_pump: float,
    energy_density: float,
    tau_esc: float,
    delays: np.ndarray,
    step: float,
    e_max: float,
    rtol: float,
    gap_tol: float,
    spectrum: Any = None,
) -> KineticTrace:
    """:func:`photosc.pipeline.kinetics.run_kinetics` of a built-in material.

    Parameters
    ----------
    material : str
        Built-in spectrum with SI Table 1 data (``"Pb"``, ``"LaH10"``, ``"K3C60"``, ...).
    temperature : float, K
    injection_energy : float, meV
    tau_pump : float, ps
    energy_density : float, meV/nm^3
    tau_esc : float, ps
    delays : (n_t,) float, ps
    step, e_max : float, meV
    rtol, gap_tol : float
        As in :func:`photosc.pipeline.kinetics.run_kinetics`.
    spectrum : photosc.cores.spectra.Spectrum, optional
        Replaces the built-in spectrum of ``material`` (alpha^2F, F, mu*), e.g.
        :func:`photosc.pipeline.kinetics.scaled_low_energy`; N(0) is the spectrum's.
    """
    sp = _spectrum(material) if spectrum is None else spectrum
    return _pk.run_kinetics(
        sp,
        temperature,
        n0_per_ev_nm3=sp.material.n0_per_ev_nm3,
        injection_energy=injection_energy,
        tau_pump=tau_pump,
        energy_density=energy_density,
        tau_esc=tau_esc,
        delays=delays,
        step=step,
        e_max=e_max,
        rtol=rtol,
        gap_tol=gap_tol,
    )


def _eliashberg_solver(material: str, step: float, spectrum: Any = None):
    """The real-axis Eliashberg solver :func:`run_kinetics` uses (same grid and mu*)."""
    return _pk.eliashberg_solver(_spectrum(material) if spectrum is None else spectrum, step)


def equilibrium_gap(material: str, temperature: float, step: float) -> float:
    """Gap edge Delta_0 (meV) of a built-in material at ``temperature`` (K), grid ``step`` (meV)."""
    return _pk.equilibrium_gap(_spectrum(material), temperature, step)


def equilibrium_gap_table(
    material: str, temperature: float, step: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """:func:`photosc.pipeline.kinetics.equilibrium_gap_table` of a built-in material."""
    return _pk.equilibrium_gap_table(_spectrum(material), temperature, step)


def _slice_kinetics(
    material: str, temperature: float, energy_density: float, **kw: Any
) -> KineticTrace:
    """One slice's kinetics: :func:`run_kinetics` at ``energy_density`` (meV/nm^3), the
    other arguments as there (module level, so that worker processes can run it)."""
    return run_kinetics(material, temperature, energy_density=energy_density, **kw)


def depth_resolved_film(
    material: str,
    temperature: float,
    *,
    omega_pump: float,
    injection_energy: float,
    tau_pump: float,
    fluence: float,
    tau_esc: float,
    delays: np.ndarray,
    probe: np.ndarray,
    depth: float,
    n_slices: int,
    n_ambient: float,
    numerics: Any,
    n_substrate_pump: complex | None = None,
) -> DepthResolved:
    """:func:`photosc.pipeline.sample.depth_resolved_film` of a built-in material.

    The slices' kinetics go through this module's :func:`run_kinetics` (so that tests
    can replace it); deposition and response are the pipeline's
    (:func:`~photosc.pipeline.sample.slice_deposition`,
    :func:`~photosc.pipeline.sample.slice_response`).

    Parameters
    ----------
    material : str
    temperature : float, K
    omega_pump, injection_energy : float, meV
    tau_pump : float, ps
    fluence : float, mJ/cm^2
    tau_esc : float, ps
    delays : (n_t,) float, ps
    probe : (n_w,) float, meV
    depth : float, nm
    n_slices : int
    n_ambient : float
    numerics : _Kin
        Kinetic numerics (optionally with ``workers`` and ``scheduler``).
    n_substrate_pump : complex, optional
        Index below the sliced region at omega_pump (None: unpumped same material).
    """
    rho = _spectrum(material).material.rho_n_ohm_nm
    d, per, e_dens = slice_deposition(
        omega_pump, rho, depth, n_slices, fluence, n_ambient, n_substrate_pump
    )
    run_slice = functools.partial(
        _slice_kinetics,
        material,
        temperature,
        injection_energy=injection_energy,
        tau_pump=tau_pump,
        tau_esc=tau_esc,
        delays=np.asarray(delays, dtype=float),
        step=numerics.grid_step,
        e_max=numerics.e_max,
        rtol=numerics.rtol,
        gap_tol=numerics.gap_tol,
    )
    workers = int(getattr(numerics, "workers", 0) or 0) or None
    scheduler = str(getattr(numerics, "scheduler", "") or "") or None
    traces = parallel_map(
        run_slice,
        [float(x) for x in e_dens],
        workers=workers,
        scheduler=scheduler,
        desc=f"{material} slices",
    )
    return slice_response(traces, d, e_dens, per, probe, rho, numerics.n_quad, injection_energy)


def _budget_vars(traces: list[KineticTrace], dims: tuple[str, ...], prefix: str = "") -> dict:
    """Dataset variables of the kinetic energy budget over time (meV/nm^3) and, where
    every trace has it, lambda_max(t); ``traces`` stacked along ``dims[:-1]`` (a single
    trace for dims of length 1)."""

    def stack(name: str) -> np.ndarray:
        a = [getattr(tr, name) for tr in traces]
        return a[0] if len(dims) == 1 else np.array(a)

    out: dict[str, tuple] = {}
    if all(tr.absorbed is not None for tr in traces):
        for name, long_name in (
            ("absorbed", "pump energy absorbed since the start of the kinetics"),
            ("exchanged", "energy exchanged with the outside (phonon escape; < 0: out)"),
            ("gap_work", "energy taken up at the adiabatic gap updates"),
            ("stored", "change of the quasi-particle + phonon energy since the start"),
            ("budget_error", "stored - absorbed - exchanged - gap_work (integration error)"),
        ):
            out[f"{prefix}energy_{name}"] = _var(dims, stack(name), "meV/nm^3", long_name)
    if all(tr.pairing_eigenvalue is not None for tr in traces):
        out[f"{prefix}pairing_eigenvalue"] = _var(
            dims,
            stack("pairing_eigenvalue"),
            "1",
            "leading eigenvalue lambda_max of the linearised gap equation with f(E, t), n(t)",
        )
    return out


def _budget_summary(
    traces: list[KineticTrace], per: str | None = None, prefix: str = "", extra: list = ()
) -> dict[str, Any]:
    """Summary keys of the energy budget: ``{prefix}energy_budget_error`` (largest over
    ``traces`` and the further traces ``extra``, e.g. depth-resolved slices),
    ``{prefix}energy_budget_error_per_{per}`` (one per trace) where ``per`` is given,
    and, where every trace has lambda_max(t), ``{prefix}pairing_eigenvalue_max`` and
    ``{prefix}pairing_eigenvalue_max_time_ps`` (lists with ``per``)."""
    errs = [float(tr.energy_budget_error) for tr in traces]
    out: dict[str, Any] = {
        f"{prefix}energy_budget_error": max(errs + [float(tr.energy_budget_error) for tr in extra])
    }
    if per:
        out[f"{prefix}energy_budget_error_per_{per}"] = errs
    if all(tr.pairing_eigenvalue is not None for tr in traces):
        lam_max, t_max = [], []
        for tr in traces:
            lam = np.asarray(tr.pairing_eigenvalue, dtype=float)
            k = int(np.nanargmax(lam))
            lam_max.append(float(lam[k]))
            t_max.append(float(tr.time[k]))
        one = not per
        out[f"{prefix}pairing_eigenvalue_max"] = lam_max[0] if one else lam_max
        out[f"{prefix}pairing_eigenvalue_max_time_ps"] = t_max[0] if one else t_max
    return out


def _plot_budget(ax: Any, time: np.ndarray, ds: xr.Dataset, prefix: str = "", scale: float = 1.0):
    """One small panel: stored, absorbed and escaped energy (meV/nm^3) versus time of
    each curve along the dataset's first dimension (or of the single trace), with the
    largest budget error in the title. ``scale`` divides the time axis."""
    absorbed = np.atleast_2d(ds[f"{prefix}energy_absorbed"].values)
    stored = np.atleast_2d(ds[f"{prefix}energy_stored"].values)
    escaped = -np.atleast_2d(ds[f"{prefix}energy_exchanged"].values)
    err = np.atleast_2d(ds[f"{prefix}energy_budget_error"].values)
    x = np.asarray(time) / scale
    for i in range(absorbed.shape[0]):
        c = f"C{i}"
        ax.plot(x, absorbed[i], color=c, lw=1.0, label="absorbed" if i == 0 else None)
        ax.plot(x, stored[i], "--", color=c, lw=1.0, label="stored" if i == 0 else None)
        ax.plot(x, escaped[i], ":", color=c, lw=1.2, label="escaped" if i == 0 else None)
    rel = float(np.max(np.abs(err))) / (float(np.max(np.abs(absorbed))) or 1.0)
    ax.set_title(f"energy budget (max |error| / absorbed = {rel:.1e})", fontsize=8)
    ax.set_ylabel(r"energy (meV/nm$^3$)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6)


def _plot_gap(
    ax: Any, time: np.ndarray, delta0: np.ndarray, lam: np.ndarray | None, labels, scale=1.0
):
    """Delta_0(t) per curve and, where given, lambda_max(t) on a second axis (dashed)."""
    x = np.asarray(time) / scale
    d = np.atleast_2d(delta0)
    for i in range(d.shape[0]):
        ax.plot(x, d[i], color=f"C{i}", label=labels[i] if labels else None)
    ax.set_ylabel(r"$\Delta_0$ (meV)", fontsize=8)
    ax.tick_params(labelsize=7)
    if lam is not None:
        ax2 = ax.twinx()
        lm = np.atleast_2d(lam)
        for i in range(lm.shape[0]):
            ax2.plot(x, lm[i], "--", color=f"C{i}", lw=0.9)
        ax2.axhline(1.0, color="0.6", lw=0.6)
        ax2.set_ylabel(r"$\lambda_{max}$ (dashed)", fontsize=8)
        ax2.tick_params(labelsize=7)
    if labels:
        ax.legend(fontsize=6)


def _delays(tau: float, t_end: float, n: int, fine: float, pre: float = 0.0) -> np.ndarray:
    """Record times (ps): before the pulse (from -max(pre, 3 tau), so that a probe of
    FWHM ~ pre/2 sees the pre-pump state), dense through the pulse up to ``fine``,
    log-spaced after it up to ``t_end``; about ``n`` points (at least 4 after ``fine``)."""
    if not t_end > 0:
        raise ConfigError(f"t_end must be > 0 ps, got {t_end}")
    fine = min(fine, 0.5 * t_end)
    start = -max(pre, 3.0 * tau)
    before = np.linspace(start, -3.0 * tau, 4) if pre > 3.0 * tau else np.array([start])
    dense = np.linspace(-2.0 * tau, fine, max(8, (n - before.size) // 3))
    late = np.geomspace(fine, t_end, max(5, n - before.size - dense.size + 1))[1:]
    return np.concatenate([before, dense, late])


def _slope(w: np.ndarray, y: np.ndarray) -> float:
    """d ln y / d ln w by a least-squares line (y > 0 required)."""
    if np.any(y <= 0):
        raise ValueError("sigma_2 must be > 0 below the gap for the log-log slope")
    return float(np.polyfit(np.log(w), np.log(y), 1)[0])


def _var(dims: tuple[str, ...], data: Any, units: str, long_name: str) -> tuple:
    return (dims, np.asarray(data, dtype=float), {"units": units, "long_name": long_name})


class _Kin(Numerics):
    """Kinetic numerics shared by the pump-probe models."""

    grid_step: quantity("meV", gt=0) = Field(
        "0.1 meV", description="kinetic and Eliashberg grid step h, meV"
    )
    e_max: quantity("meV", gt=0) = Field(
        "60 meV", description="upper end of the quasi-particle grid, meV (raised to hold the pump)"
    )
    rtol: float = Field(1e-3, gt=0, lt=1, description="relative tolerance of the integrator")
    gap_tol: float = Field(1e-6, gt=0, lt=1, description="gap-update tolerance")
    n_times: int = Field(90, ge=12, le=5000, description="recorded delays")
    n_quad: int = Field(96, ge=16, le=2048, description="Gauss nodes per Mattis-Bardeen panel")

    memory_fields = ("grid_step", "e_max", "n_times")

    def estimated_bytes(self, params: Params) -> int:
        """The recorded occupations f(E, t) of every kept kinetic run (and their clipped
        copy for the optics): 2 x n_times x n_qp floats per run, n_qp = max(e_max,
        injection + 10 h) / h (as make_grid), one run per temperature or fluence (K3C60: the surface
        layer and its slices, recorded at the spectra's delays). A lower bound."""
        w = getattr(params, "pump_injection_energy", 0.0) or getattr(
            params, "pump_photon_energy", 0.0
        )
        n_qp = math.ceil(max(self.e_max, w + 10 * self.grid_step) / self.grid_step - 1e-9)
        runs = len(getattr(params, "temperatures", getattr(params, "fluences", [0])))
        n_t = self.n_times
        if hasattr(params, "delays"):  # photoinduced-optics-k3c60
            n_t = len(params.delays) + 1
            runs = 1 + int(getattr(self, "n_slices", 0))
        return FLOAT_BYTES * 2 * n_t * n_qp * runs


#: Allowed values of the ``conductivity`` numerics field.
Conductivity = Literal["mattis-bardeen", "nam", "both"]


class _NamNumerics(_Kin):
    """Kinetic numerics plus the choice of the probe conductivity form."""

    conductivity: Conductivity = Field(
        "both",
        description=(
            "probe conductivity: 'mattis-bardeen' (dirty BCS limit with Delta_0(t)), 'nam' "
            "(Kubo/Nam form with the full Eliashberg Delta(omega, t), Z(omega, t) and "
            "impurity rate scattering_rate), or 'both' (primary results from "
            "Mattis-Bardeen, the Nam results beside them)"
        ),
    )
    n_quad_nam: int = Field(192, ge=16, le=4096, description="Gauss nodes per Nam panel")


def _uses(numerics: Any, form: str) -> bool:
    """Whether the numerics' ``conductivity`` choice includes ``form``."""
    return numerics.conductivity in (form, "both")


def _sweep_points(ds: xr.Dataset, flag: str) -> tuple[list[str], list[tuple[int, ...]], list[str]]:
    """(swept dims, index tuples of every point, labels "name=value, ...") of a sweep,
    read from the dims of the per-point scalar ``flag``."""
    import itertools

    dims = [str(d) for d in ds[flag].dims]
    idx = list(itertools.product(*(range(ds.sizes[d]) for d in dims)))
    labels = [", ".join(f"{d}={ds[d].values[i]:g}" for d, i in zip(dims, ix)) for ix in idx]
    return dims, idx, labels


def _by_point(
    ds: xr.Dataset, flag: str, lists: tuple[str, ...], scalars: tuple[str, ...]
) -> tuple[dict[str, Any], list[str], list[tuple[int, ...]]]:
    """Per-point values of a sweep of a list-valued model: ``points``, ``<key>_by_point``
    for every key in ``lists`` (a list per point) and ``scalars`` and ``flag``."""
    dims, idx, labels = _sweep_points(ds, flag)

    def at(name: str, ix: tuple[int, ...]) -> Any:
        return ds[name].isel(dict(zip(dims, ix))).values

    out: dict[str, Any] = {"points": labels}
    for key in lists:
        if key in ds:  # NaN pads shorter lists in the gathered array: dropped again
            out[f"{key}_by_point"] = [
                [float(x) for x in at(key, ix) if np.isfinite(x)] for ix in idx
            ]
    for key in (flag, *scalars):
        if key in ds:
            conv = bool if ds[key].dtype == bool else float
            out[f"{key}_by_point"] = [conv(at(key, ix)) for ix in idx]
    if "energy_budget_error" in ds:
        out["energy_budget_error"] = float(np.nanmax(ds["energy_budget_error"].values))
    return out, dims, idx


def _max_change(
    values: list[list[float]],
    dims: list[str],
    idx: list[tuple[int, ...]],
    dim: str,
    relative: bool = True,
) -> float:
    """Largest |v - v(first value of ``dim``)| / |v(first)| (``relative``; else the
    absolute |v - v(first)|) over the other points and the list entries (0 where
    ``dim`` is not swept)."""
    if dim not in dims:
        return 0.0
    g = dims.index(dim)
    ref = {ix[:g] + ix[g + 1 :]: v for ix, v in zip(idx, values) if ix[g] == 0}
    change = [
        abs(a - b) / (abs(b) if relative else 1.0)
        for ix, v in zip(idx, values)
        for a, b in zip(v, ref[ix[:g] + ix[g + 1 :]])
        if (b != 0 or not relative) and math.isfinite(a) and math.isfinite(b)
    ]
    return float(max(change)) if change else 0.0
