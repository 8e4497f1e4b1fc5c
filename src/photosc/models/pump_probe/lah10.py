"""LaH10 dR/R0 at 77 K for three fluences (paper 001 Fig. 2d).

The chain of :mod:`photosc.pipeline` for LaH10 (SI Table 1): a thick sample seen from
diamond, single layer and depth-resolved film, with the bottleneck time scales of
issue 12; see :mod:`photosc.models.pump_probe` for the documented choices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from photosc.cores import optics
from photosc.foundation.progress import progress
from photosc.foundation.units import KB, quantity
from photosc.models._base import ModelOutput, ModelSpec, Params
from photosc.models.pump_probe import _common
from photosc.models.pump_probe._common import (
    _budget_summary,
    _budget_vars,
    _delays,
    _Kin,
    _spectrum,
    _var,
)
from photosc.models.pump_probe.figures import plot_lah10, plot_lah10_sweep
from photosc.models.pump_probe.sweep_summaries import summarize_lah10_sweep
from photosc.pipeline.conductivity import (
    equilibrium_index,
    probe_conductivity,
)
from photosc.pipeline.kinetics import (
    KineticTrace,
)
from photosc.pipeline.sample import pump_absorption
from photosc.pipeline.timescales import (
    GAP_CLOSED_FRACTION,
    GAP_RECOVERED_FRACTION,
    SLOW_NONE_PS,
)
from photosc.pipeline.timescales import (
    decay_time as _decay_time,
)
from photosc.pipeline.timescales import (
    fit_decay as _fit_decay,
)
from photosc.pipeline.timescales import (
    gap_closed_time as _gap_closed_time,
)
from photosc.pipeline.timescales import (
    gap_recovery_time as _gap_recovery_time,
)
from photosc.pipeline.timescales import (
    grows as _grows,
)
from photosc.pipeline.timescales import (
    rise_time as _rise_time,
)
from photosc.pipeline.timescales import (
    slow_time as _slow_time,
)


# --------------------------------------------------------------------------------------
# pump-probe-lah10 (Fig. 2d)
class PumpProbeLaH10Params(Params):
    """LaH10 dR/R0 at 77 K (paper 001 Fig. 2d, SI II.1-II.2, experiment ref. 41)."""

    temperature: quantity("K", gt=0) = Field("77 K", description="temperature, K")
    fluences: list[quantity("mJ/cm^2", gt=0)] = Field(
        [2.6, 4.5, 6.2], min_length=1, description="incident fluences F_0, mJ/cm^2"
    )
    tau_esc: list[quantity("fs", gt=0)] = Field(
        [50.0, 200.0, 500.0], min_length=1, description="phonon escape time per fluence, fs"
    )
    pump_photon_energy: quantity("meV", gt=0) = Field("2000 meV", description="omega_pump")
    pump_injection_energy: quantity("meV", ge=0) = Field(
        "0 meV", description="photon energy used in the kinetics, meV (0: omega_pump)"
    )
    pump_duration: quantity("fs", gt=0) = Field("70 fs", description="tau_pump (FWHM), fs")
    probe_photon_energy: quantity("meV", gt=0) = Field("1500 meV", description="omega_pr")
    probe_duration: quantity("fs", gt=0) = Field("250 fs", description="probe convolution, fs")
    film_thickness: quantity("nm", gt=0) = Field("1000 nm", description="sample thickness, nm")
    n_ambient: float = Field(2.41, gt=0, description="ambient index (diamond anvil)")
    t_end: quantity("ps", gt=0) = Field(
        "15 ps", description="last delay, ps (long enough for the gap to reopen and recover)"
    )
    slow_fit_start: quantity("ps", gt=0) = Field(
        "1 ps",
        description=(
            "earliest start of the slow-component fits after the pump, ps (the fit of "
            "slow_component_ps starts no earlier than one probe FWHM after the gap has "
            "recovered to 90 %; slow_component_from_fit_start_ps starts here)"
        ),
    )
    pumped_depth: quantity("nm", ge=0) = Field(
        "0 nm",
        description=(
            "depth over which the absorbed fluence is spread in the single layer, nm: "
            "E_abs = fluence_scale F_0 chi / pumped_depth (paper 001 after Eq. 3); 0: the "
            "pump penetration depth delta_pump of SI Eq. 14 (the paper's choice, ~20.6 nm)"
        ),
    )
    fluence_scale: float = Field(
        1.0,
        gt=0,
        description=(
            "effective fluence over incident fluence (1: the paper): scales the energy "
            "deposited in the single layer and in every slice, e.g. to scan E_abs at "
            "1-20x the condensation energy (absorbed_over_condensation_energy)"
        ),
    )

    @model_validator(mode="after")
    def _same_length(self) -> PumpProbeLaH10Params:
        if not self.slow_fit_start < self.t_end:
            raise ValueError(
                f"slow_fit_start ({self.slow_fit_start} ps) must be before t_end ({self.t_end} ps)"
            )
        if len(self.tau_esc) != len(self.fluences):
            raise ValueError(
                f"tau_esc needs one value per fluence ({len(self.fluences)}), got "
                f"{len(self.tau_esc)}"
            )
        return self


class PumpProbeLaH10Numerics(_Kin):
    """Numerics (LaH10: 2 meV grid)."""

    grid_step: quantity("meV", gt=0) = Field("2 meV", description="grid step, meV")
    e_max: quantity("meV", gt=0) = Field("600 meV", description="quasi-particle grid end, meV")
    n_times: int = Field(80, ge=12, le=5000, description="recorded delays")
    n_slices: int = Field(
        3,
        ge=0,
        le=64,
        description="slices of the depth-resolved film over 3 delta_pump (0: single layer only)",
    )


def run_lah10(params: PumpProbeLaH10Params, numerics: PumpProbeLaH10Numerics) -> ModelOutput:
    """dR/R0 of LaH10 at 1.5 eV after a 2 eV pump, per fluence (paper 001 Fig. 2d).

    The sample is a single layer of the pumped state at the energy density
    E_abs = fluence_scale F_0 chi / d_p (paper 001 after Eq. 3), d_p = ``pumped_depth``
    or, by default, delta_pump (the paper's single-layer treatment, justified by SI IV).

    Time scales (issue 12 section 3): the paper's "phonon bottleneck that becomes more
    pronounced at larger F0" is read from how long the gap stays closed
    (``gap_closed_time_ps``: time with Delta_0 < ``GAP_CLOSED_FRACTION`` = 10 % of its
    equilibrium value, :func:`_gap_closed_time`), when it has recovered
    (``gap_recovery_90_time_ps``: first time after the pump centre and after the
    minimum of Delta_0 at which Delta_0 regains 90 %, :func:`_gap_recovery_time`) and
    when the signal has decayed (``signal_10pct_time_ps``: time after the peak at which
    |dR/R| falls to 10 % of its peak). The slow component is fitted only after the gap
    has recovered (``slow_component_ps``: e-folding time of an exponential fit,
    :func:`_fit_decay`, to dR/R from max(slow_fit_start, t_90 + probe FWHM) to t_end);
    one exponential from a fixed start (``slow_component_from_fit_start_ps``, the former
    ``slow_component_ps``) catches the gap reopening at high fluence but only the
    residual tail at low fluence, and so measures different processes per fluence.

    Condensation energy (``condensation_energy_meV_per_nm3``): the BCS estimate
    E_c = N(0) Delta_0^2 / 2 with N(0) the single-spin density of states of SI Table 1
    and Delta_0 the equilibrium Eliashberg gap edge at the bath temperature (the
    pre-pump kinetic state); strong-coupling and thermal corrections to the free energy
    are not included (the real-axis Eliashberg free energy is not available).

    Returns
    -------
    ModelOutput
        Dataset over (fluence, time): ``dR_over_R`` (convolved), ``dR_over_R_raw``,
        ``normalised_signal`` (per fluence, as Fig. 2d), ``delta0`` (meV), the energy
        budget ``energy_absorbed``, ``energy_exchanged``, ``energy_gap_work``,
        ``energy_stored``, ``energy_budget_error`` (meV/nm^3), ``pairing_eigenvalue``
        where provided and, with ``n_slices`` > 0, ``dR_over_R_depth_resolved`` (graded
        stack of n_slices slices over 3 delta_pump on unpumped LaH10). Summary per
        fluence: ``peak_dR_over_R``, ``rise_time_fs`` (10-90 %), ``gap_closed_time_ps``
        with ``gap_reopened`` (False: still closed at t_end, the time is a lower bound),
        ``gap_recovery_90_time_ps`` with ``gap_recovered_90`` (False: not recovered by
        t_end; time t_end), ``signal_10pct_time_ps`` with ``signal_10pct_reached``,
        ``slow_component_ps`` with ``slow_component_fitted`` (False: the gap has not
        recovered in time for a fit, or dR/R does not decay after it; value
        ``SLOW_NONE_PS``), ``slow_component_from_fit_start_ps`` (``SLOW_NONE_PS`` if it
        does not decay), ``late_over_peak`` (signal at t_end / peak),
        ``min_delta0_meV``, ``final_delta0_meV`` (Delta_0 at t_end; the equilibrium value
        is ``delta0_equilibrium_meV``), ``energy_density_meV_per_nm3``,
        ``absorbed_over_condensation_energy``, ``energy_budget_error_per_fluence``
        (and ``pairing_eigenvalue_max``, ``pairing_eigenvalue_max_time_ps`` where
        provided); trends: ``bottleneck_grows_with_fluence`` (gap_closed_time_ps
        increasing with F_0; a gap still closed at t_end counts as longer),
        ``gap_recovery_grows_with_fluence``, ``signal_10pct_time_grows_with_fluence``
        (likewise), ``slow_component_grows_with_fluence`` (all fitted and increasing),
        ``late_signal_grows_with_fluence``; ``energy_budget_error`` (largest over all
        kinetic runs, slices included), ``condensation_energy_meV_per_nm3``,
        ``pumped_depth_nm``, ``fluence_scale``, ``absorbed_fraction``,
        ``pump_penetration_depth_nm``, and with slices
        ``depth_resolved_peak_dR_over_R``, ``depth_resolved_over_single_peak``,
        ``depth_resolved_max_difference``, ``depth_resolved_energy_budget_error``
        (per fluence, largest over the slices).
    """
    chi, d_pump, d_layer, e_layer = lah10_energy_densities(params)
    w_inj = params.pump_injection_energy or params.pump_photon_energy
    delays = _delays(
        params.pump_duration / 1000.0,
        params.t_end,
        numerics.n_times,
        0.6,
        2e-3 * params.probe_duration,
    )
    # kinetics, optics and time scales per fluence (and the depth-resolved film)
    runs = _lah10_runs(params, numerics, delays, d_pump, e_layer, w_inj)
    ds = _lah10_dataset(runs, params, numerics, delays, chi, d_pump, d_layer, w_inj)
    summary = _lah10_summary(runs, params, chi, d_pump, d_layer, w_inj)
    return ModelOutput(dataset=ds, summary=summary)


@dataclass
class _LaH10Runs:
    """Per-fluence results of the LaH10 kinetics and optics (:func:`_lah10_runs`).

    ``raw``, ``conv``: (n_t,) dR/R0 unconvolved and probe-convolved; ``gaps``:
    Delta_0(t), meV; ``edens``: E_abs, meV/nm^3; ``peaks``: signed peak of ``conv``;
    ``rises``: 10-90 % rise time, fs; ``plateau``: ``conv`` at t_end over its peak;
    ``times``: the :func:`_lah10_times` entries, one list per key; with slices,
    ``slice_traces`` (the slices' kinetics) and ``dconv`` (convolved dR/R0 of the
    depth-resolved film).
    """

    raw: list[np.ndarray] = field(default_factory=list)
    conv: list[np.ndarray] = field(default_factory=list)
    gaps: list[np.ndarray] = field(default_factory=list)
    edens: list[float] = field(default_factory=list)
    traces: list[KineticTrace] = field(default_factory=list)
    slice_traces: list[list[KineticTrace]] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    rises: list[float] = field(default_factory=list)
    plateau: list[float] = field(default_factory=list)
    dconv: list[np.ndarray] = field(default_factory=list)
    times: dict[str, list] = field(default_factory=dict)


def _lah10_single_layer(
    tr: KineticTrace,
    params: PumpProbeLaH10Params,
    numerics: PumpProbeLaH10Numerics,
    rho: float,
    w_inj: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Optics of one LaH10 kinetic trace: the pumped layer (Mattis-Bardeen with
    Delta_0(t), f(E, t)) seen through the ambient on unpumped LaH10.

    Parameters
    ----------
    tr : KineticTrace
    params : PumpProbeLaH10Params
    numerics : PumpProbeLaH10Numerics
    rho : float, Ohm nm
        Normal-state resistivity.
    w_inj : float, meV
        Photon energy of the kinetic drive.

    Returns
    -------
    raw, conv : (n_t,) float
        dR/R0 at the probe, unconvolved and convolved with the probe.
    n_sub : (1,) complex
        Index of the unpumped material below (:func:`equilibrium_index`).
    """
    w_pr = np.array([params.probe_photon_energy])
    probe = params.probe_duration / 1000.0
    s = probe_conductivity(tr, w_pr, numerics.n_quad, (w_inj, 2 * w_inj))
    sig = optics.conductivity_si(s, rho)[..., None]
    n_sub = equilibrium_index(w_pr, rho, tr.delta0[0], params.temperature * KB, 1.0)
    ft = optics.film_trace(
        sig, w_pr, [params.film_thickness], n_ambient=params.n_ambient, n_substrate=n_sub
    )
    sr = ft.d_r_over_r[:, 0]
    sc = optics.gaussian_probe_convolution(tr.time, sr, probe)
    return sr, sc, n_sub


def _lah10_depth_resolved(
    params: PumpProbeLaH10Params,
    numerics: PumpProbeLaH10Numerics,
    fluence: float,
    tau_esc: float,
    delays: np.ndarray,
    time: np.ndarray,
    d_pump: float,
    n_sub: np.ndarray,
    w_inj: float,
) -> tuple[list[KineticTrace], np.ndarray]:
    """Beyond the paper: the top 3 delta_pump cut into ``n_slices`` slices, each pumped
    with its share of the absorbed energy (:func:`depth_resolved_film`), and the
    convolved dR/R0 of the graded stack on unpumped LaH10.

    Parameters
    ----------
    params : PumpProbeLaH10Params
    numerics : PumpProbeLaH10Numerics
    fluence : float, mJ/cm^2
        Incident fluence F_0 (scaled here by ``fluence_scale``).
    tau_esc : float, fs
    delays : (n_t,) float, ps
        Requested record times of the slices' kinetics.
    time : (n_t,) float, ps
        Record times of the single layer's kinetics (the convolution's time axis).
    d_pump : float, nm
        Pump penetration depth delta_pump.
    n_sub : (1,) complex
        Index of the unpumped material below the slices.
    w_inj : float, meV
        Photon energy of the kinetic drive.

    Returns
    -------
    traces : list of KineticTrace
        The slices' kinetics.
    conv : (n_t,) float
        Convolved dR/R0 of the depth-resolved film.
    """
    w_pr = np.array([params.probe_photon_energy])
    tau_p = params.pump_duration / 1000.0
    probe = params.probe_duration / 1000.0
    f_eff = params.fluence_scale * fluence
    dr = _common.depth_resolved_film(
        "LaH10",
        params.temperature,
        omega_pump=params.pump_photon_energy,
        injection_energy=w_inj,
        tau_pump=tau_p,
        fluence=f_eff,
        tau_esc=tau_esc / 1000.0,
        delays=delays,
        probe=w_pr,
        depth=3.0 * d_pump,
        n_slices=numerics.n_slices,
        n_ambient=params.n_ambient,
        numerics=numerics,
    )
    graded = optics.film_trace(
        dr.sigma, w_pr, dr.thickness, n_ambient=params.n_ambient, n_substrate=n_sub
    )
    return dr.traces, optics.gaussian_probe_convolution(time, graded.d_r_over_r[:, 0], probe)


def _lah10_runs(
    params: PumpProbeLaH10Params,
    numerics: PumpProbeLaH10Numerics,
    delays: np.ndarray,
    d_pump: float,
    e_layer: list[float],
    w_inj: float,
) -> _LaH10Runs:
    """Per fluence: the kinetics of the pumped single layer, its dR/R0, the time scales
    (:func:`_lah10_times`) and, with ``n_slices`` > 0, the depth-resolved film.

    Parameters
    ----------
    params : PumpProbeLaH10Params
    numerics : PumpProbeLaH10Numerics
    delays : (n_t,) float, ps
    d_pump : float, nm
        Pump penetration depth delta_pump.
    e_layer : list of float, meV/nm^3
        Energy density of the single layer per fluence (:func:`lah10_energy_densities`).
    w_inj : float, meV
        Photon energy of the kinetic drive.
    """
    rho = _spectrum("LaH10").material.rho_n_ohm_nm
    tau_p = params.pump_duration / 1000.0
    probe = params.probe_duration / 1000.0
    out = _LaH10Runs()
    runs = list(zip(params.fluences, params.tau_esc, e_layer))
    for fl, tesc, e_abs in progress(runs, desc="LaH10 fluences"):
        tr = _common.run_kinetics(
            "LaH10",
            params.temperature,
            injection_energy=w_inj,
            tau_pump=tau_p,
            energy_density=e_abs,
            tau_esc=tesc / 1000.0,
            delays=delays,
            step=numerics.grid_step,
            e_max=numerics.e_max,
            rtol=numerics.rtol,
            gap_tol=numerics.gap_tol,
        )
        sr, sc, n_sub = _lah10_single_layer(tr, params, numerics, rho, w_inj)
        out.raw.append(sr)
        out.conv.append(sc)
        out.gaps.append(tr.delta0)
        out.edens.append(e_abs)
        out.traces.append(tr)
        k = int(np.argmax(np.abs(sc)))
        out.peaks.append(float(sc[k]))
        out.rises.append(_rise_time(tr.time, sc) * 1000.0)
        out.plateau.append(float(sc[-1] / sc[k]))
        for key, val in _lah10_times(tr.time, sc, tr.delta0, probe, params.slow_fit_start).items():
            out.times.setdefault(key, []).append(val)
        if numerics.n_slices:
            traces, dconv = _lah10_depth_resolved(
                params, numerics, fl, tesc, delays, tr.time, d_pump, n_sub, w_inj
            )
            out.slice_traces.append(traces)
            out.dconv.append(dconv)
    return out


def _lah10_dataset(
    runs: _LaH10Runs,
    params: PumpProbeLaH10Params,
    numerics: PumpProbeLaH10Numerics,
    delays: np.ndarray,
    chi: float,
    d_pump: float,
    d_layer: float,
    w_inj: float,
) -> xr.Dataset:
    """Assemble the (fluence, time) dataset of :func:`run_lah10`: dR/R0 (convolved,
    raw, normalised per fluence), Delta_0(t) (meV), the energy budget (meV/nm^3) and,
    with slices, the depth-resolved dR/R0.

    Parameters
    ----------
    runs : _LaH10Runs
    params : PumpProbeLaH10Params
    numerics : PumpProbeLaH10Numerics
    delays : (n_t,) float, ps
    chi : float
        Absorbed fraction at omega_pump.
    d_pump, d_layer : float, nm
        Pump penetration depth and the single layer's pumped depth.
    w_inj : float, meV
    """
    conv_a = np.array(runs.conv)
    fl = np.asarray(params.fluences, dtype=float)
    dims = ("fluence", "time")
    ds = xr.Dataset(
        {
            "dR_over_R": _var(dims, conv_a, "1", "dR/R0, probe-convolved"),
            "dR_over_R_raw": _var(dims, np.array(runs.raw), "1", "dR/R0 unconvolved"),
            "normalised_signal": _var(
                dims,
                conv_a / np.max(np.abs(conv_a), axis=1, keepdims=True),
                "1",
                "dR/R0 / max per fluence (as Fig. 2d)",
            ),
            "delta0": _var(dims, np.array(runs.gaps), "meV", "gap edge Delta_0"),
            **_budget_vars(runs.traces, dims),
        },
        coords={
            "fluence": _var(("fluence",), fl, "mJ/cm^2", "incident fluence F_0"),
            "time": _var(("time",), delays, "ps", "pump-probe delay"),
        },
        attrs={
            "model": "pump-probe-lah10",
            "absorbed_fraction": chi,
            "pump_penetration_depth_nm": d_pump,
            "pumped_depth_nm": d_layer,
            "fluence_scale": params.fluence_scale,
            "injection_energy_meV": w_inj,
            "gap_closed_fraction": GAP_CLOSED_FRACTION,
            "gap_recovered_fraction": GAP_RECOVERED_FRACTION,
        },
    )
    if runs.dconv:
        dconv_a = np.array(runs.dconv)
        ds["dR_over_R_depth_resolved"] = _var(
            dims, dconv_a, "1", "dR/R0 of the depth-resolved film, convolved"
        )
        ds.attrs["n_slices"] = numerics.n_slices
    return ds


def _lah10_summary(
    runs: _LaH10Runs,
    params: PumpProbeLaH10Params,
    chi: float,
    d_pump: float,
    d_layer: float,
    w_inj: float,
) -> dict[str, Any]:
    """Summary of :func:`run_lah10` (keys listed there): per-fluence peaks and time
    scales, their trends with fluence, the energy densities against the condensation
    energy, the energy budget and, with slices, the depth-resolved comparison.

    Parameters
    ----------
    runs : _LaH10Runs
    params : PumpProbeLaH10Params
    chi : float
        Absorbed fraction at omega_pump.
    d_pump, d_layer : float, nm
        Pump penetration depth and the single layer's pumped depth.
    w_inj : float, meV
    """
    m, gaps, edens, plateau = runs.times, runs.gaps, runs.edens, runs.plateau
    e_cond = condensation_energy("LaH10", float(gaps[0][0]))
    summary = {
        "peak_dR_over_R": runs.peaks,
        "rise_time_fs": runs.rises,
        **m,
        "late_over_peak": plateau,
        "bottleneck_grows_with_fluence": _grows(m["gap_closed_time_ps"], m["gap_reopened"]),
        "gap_recovery_grows_with_fluence": _grows(
            m["gap_recovery_90_time_ps"], m["gap_recovered_90"]
        ),
        "signal_10pct_time_grows_with_fluence": _grows(
            m["signal_10pct_time_ps"], m["signal_10pct_reached"]
        ),
        "slow_component_grows_with_fluence": bool(
            all(m["slow_component_fitted"]) and _grows(m["slow_component_ps"])
        ),
        "late_signal_grows_with_fluence": _grows(plateau),
        "absorbed_fraction": chi,
        "pump_penetration_depth_nm": d_pump,
        "pumped_depth_nm": d_layer,
        "fluence_scale": params.fluence_scale,
        "energy_density_meV_per_nm3": edens,
        "condensation_energy_meV_per_nm3": e_cond,
        "absorbed_over_condensation_energy": [e / e_cond if e_cond > 0 else 0.0 for e in edens],
        "delta0_equilibrium_meV": float(gaps[0][0]),
        "min_delta0_meV": [float(np.min(g)) for g in gaps],
        "final_delta0_meV": [float(g[-1]) for g in gaps],
        "injection_energy_meV": w_inj,
        **_budget_summary(
            runs.traces, per="fluence", extra=[t for sl in runs.slice_traces for t in sl]
        ),
    }
    if runs.dconv:
        dconv_a = np.array(runs.dconv)
        d_peaks = [float(x[int(np.argmax(np.abs(x)))]) for x in dconv_a]
        summary["depth_resolved_peak_dR_over_R"] = d_peaks
        summary["depth_resolved_over_single_peak"] = [a / b for a, b in zip(d_peaks, runs.peaks)]
        summary["depth_resolved_max_difference"] = float(
            np.max(np.abs(dconv_a - np.array(runs.conv)))
        )
        summary["depth_resolved_energy_budget_error"] = [
            max(float(t.energy_budget_error) for t in sl) for sl in runs.slice_traces
        ]
    return summary


def lah10_energy_densities(
    params: PumpProbeLaH10Params,
) -> tuple[float, float, float, list[float]]:
    """Absorbed fraction and the single layer's energy density per fluence (LaH10).

    E_abs = fluence_scale F_0 chi / d_p (paper 001 main text after Eq. 3), chi = 1 - R - T
    of the sample at omega_pump (:func:`pump_absorption`), d_p = ``pumped_depth`` or, if
    0, the pump penetration depth delta_pump (SI Eq. 14).

    Returns
    -------
    chi : float
    delta_pump : float, nm
    pumped_depth : float, nm
        d_p used.
    energy_density : list of float, meV/nm^3
        One per fluence.
    """
    from photosc.cores.kinetics.pump import absorbed_energy_density

    rho = _spectrum("LaH10").material.rho_n_ohm_nm
    chi, _, d_pump = pump_absorption(
        params.pump_photon_energy,
        rho,
        params.film_thickness,
        n_ambient=params.n_ambient,
        n_substrate=1.0,
    )
    d_layer = params.pumped_depth or d_pump
    e = [absorbed_energy_density(params.fluence_scale * f, chi, d_layer) for f in params.fluences]
    return chi, d_pump, d_layer, e


def condensation_energy(material: str, delta0: float) -> float:
    """BCS estimate of the condensation energy density N(0) Delta_0^2 / 2, meV/nm^3.

    N(0) is the single-spin density of states at the Fermi level of SI Table 1 (paper
    001) and ``delta0`` (meV) the gap edge, here the equilibrium Eliashberg gap at the
    bath temperature; the T = 0 weak-coupling relation without strong-coupling or
    thermal corrections (the real-axis Eliashberg free energy is not available).
    """
    n0 = _spectrum(material).material.n0_per_ev_nm3 * 1e-3  # 1/(meV nm^3)
    return 0.5 * n0 * float(delta0) ** 2


def _lah10_times(
    t: np.ndarray, sc: np.ndarray, delta0: np.ndarray, probe_fwhm: float, fit_start: float
) -> dict[str, Any]:
    """Per-fluence time scales of a LaH10 trace (see :func:`run_lah10`).

    Parameters
    ----------
    t : (n_t,) float, ps
        Delays (pump centre at 0; the first is before the pump, Delta_0 in equilibrium).
    sc : (n_t,) float
        Probe-convolved dR/R0.
    delta0 : (n_t,) float, meV
        Gap edge Delta_0(t).
    probe_fwhm : float, ps
    fit_start : float, ps
        ``slow_fit_start``.

    Returns
    -------
    dict
        The per-fluence summary entries (ps, flags) named in :func:`run_lah10`.
    """
    d_eq = float(delta0[0])
    closed, reopened = _gap_closed_time(t, delta0, d_eq)
    t90, rec90 = _gap_recovery_time(t, delta0, d_eq)
    t10, ok10 = _decay_time(t, sc, level=0.1)
    start = max(fit_start, t90 + probe_fwhm)
    slow, fitted = _fit_decay(t, sc, start, stop_fraction=0.0) if rec90 else (SLOW_NONE_PS, False)
    try:  # the former measure: one exponential from slow_fit_start to t_end
        old = _slow_time(t, sc, fit_start)
    except ValueError:  # fewer than 3 samples with |dR/R| > 0 after the start
        old = math.inf
    return {
        "gap_closed_time_ps": closed,
        "gap_reopened": reopened,
        "gap_recovery_90_time_ps": t90,
        "gap_recovered_90": rec90,
        "signal_10pct_time_ps": t10,
        "signal_10pct_reached": bool(ok10),
        "slow_component_ps": slow,
        "slow_component_fitted": fitted,
        "slow_component_from_fit_start_ps": old if math.isfinite(old) else SLOW_NONE_PS,
    }


LAH10_MODEL = ModelSpec(
    name="pump-probe-lah10",
    paper="001",
    description="LaH10 dR/R0 at 77 K for three fluences from the kinetics (Fig. 2d)",
    params=PumpProbeLaH10Params,
    numerics=PumpProbeLaH10Numerics,
    run=run_lah10,
    plot=plot_lah10,
    summarize_sweep=summarize_lah10_sweep,
    plot_sweep=plot_lah10_sweep,
)
