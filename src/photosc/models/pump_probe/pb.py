"""Pb -dT/T0 of a thin film versus delay at several temperatures (paper 001 Fig. 2c).

The chain of :mod:`photosc.pipeline` for Pb (SI Table 1) on a 10 nm film on Si, with
the substrate-reheating tail (SI II.1) and the Gaussian probe (SI II.2); see
:mod:`photosc.models.pump_probe` for the documented choices.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field, field_validator

from photosc.cores import optics
from photosc.errors import ConvergenceError
from photosc.foundation.progress import progress
from photosc.foundation.units import KB, quantity
from photosc.models._base import ModelOutput, ModelSpec, Params
from photosc.models.pump_probe import _common
from photosc.models.pump_probe._common import (
    _budget_summary,
    _budget_vars,
    _delays,
    _eliashberg_solver,
    _NamNumerics,
    _spectrum,
    _uses,
    _var,
)
from photosc.models.pump_probe.figures import plot_pb, plot_pb_sweep
from photosc.models.pump_probe.sweep_summaries import summarize_pb_sweep
from photosc.pipeline.conductivity import (
    probe_conductivity,
    probe_conductivity_nam,
)
from photosc.pipeline.kinetics import (
    KineticTrace,
    kaplan_tau0,
    scaled_low_energy,
)
from photosc.pipeline.sample import pump_absorption
from photosc.pipeline.timescales import (
    decay_time as _decay_time,
)
from photosc.pipeline.timescales import (
    recovery_fit as _recovery_fit,
)


class PumpProbePbParams(Params):
    """Pb -dT/T0 (paper 001 Fig. 2c, experiment ref. 40)."""

    temperatures: list[quantity("K", gt=0)] = Field(
        [4.0, 5.0, 6.0, 6.5], min_length=1, description="bath temperatures, K (below T_c)"
    )
    pump_photon_energy: quantity("meV", gt=0) = Field("1500 meV", description="omega_pump, meV")
    pump_injection_energy: quantity("meV", ge=0) = Field(
        "0 meV", description="photon energy used in the kinetics, meV (0: omega_pump)"
    )
    pump_duration: quantity("ps", gt=0) = Field("2 ps", description="tau_pump (FWHM), ps")
    fluence: quantity("mJ/cm^2", ge=0) = Field("5e-7 mJ/cm^2", description="F_0, mJ/cm^2")
    probe_photon_energy: quantity("meV", gt=0) = Field("5 meV", description="omega_pr, meV")
    probe_duration: quantity("ps", gt=0) = Field("200 ps", description="probe FWHM, ps")
    tau_esc: quantity("ps", gt=0) = Field("500 ps", description="phonon escape time, ps")
    film_thickness: quantity("nm", gt=0) = Field("10 nm", description="Pb film thickness, nm")
    n_substrate_probe: float = Field(3.42, gt=0, description="substrate index at the probe")
    n_substrate_pump: float = Field(3.7, gt=0, description="substrate index at the pump")
    reheating_tail: bool = Field(True, description="add the SI II.1 substrate-reheating tail")
    tail_amplitude: float = Field(0.2, ge=0, description="tail amplitude relative to the peak")
    tail_decay: quantity("ps", gt=0) = Field("3000 ps", description="tail decay constant, ps")
    t_end: quantity("ps", gt=0) = Field("8000 ps", description="last delay, ps")
    scattering_rate: quantity("meV", gt=0) = Field(
        "857 meV",
        description=(
            "impurity scattering rate Gamma = hbar/tau of the Nam conductivity, meV; "
            "default: Drude estimate Gamma = hbar n e^2 rho_N / m_e with n = 4 valence "
            "electrons x SI Table 1's ion density (hbar omega_p = 13.5 eV) and rho_N of "
            "SI Table 1 (Gamma / 2 Delta_0 ~ 300: dirty limit)"
        ),
    )

    alpha2f_low_scale: float = Field(
        1.0,
        gt=0,
        le=10,
        description=(
            "factor on the Pb alpha^2F below alpha2f_low_edge (1: the model spectrum): a "
            "sensitivity probe of the recombination bottleneck at 2 Delta "
            "(scaled_low_energy; Kaplan's tau_0 = 0.196 ns for Pb is 3-4x longer than the "
            "low-energy tail of the model spectrum gives)"
        ),
    )
    alpha2f_low_edge: quantity("meV", gt=0) = Field(
        "3.5 meV",
        description=(
            "upper end of the scaled alpha^2F (and F) range, meV (default between "
            "2 Delta_0 = 2.7 meV and the transverse peak at ~4.4 meV)"
        ),
    )
    phonon_dos_low_scale: float = Field(
        1.0,
        gt=0,
        le=10,
        description=(
            "factor on the Pb phonon DOS F(Omega) below alpha2f_low_edge at fixed "
            "alpha^2F (1: the model spectrum): the phonons at 2 Delta break pairs "
            "1/factor times faster (SI Eq. 5 carries alpha^2F/F); scaled_low_energy"
        ),
    )

    @field_validator("temperatures")
    @classmethod
    def _below_tc(cls, v: list[float]) -> list[float]:
        bad = [t for t in v if t >= 7.2]
        if bad:
            raise ValueError(f"temperatures must be below T_c = 7.2 K of the Pb model, got {bad}")
        return v


class PumpProbePbNumerics(_NamNumerics):
    """Numerics (Pb: 0.1 meV grid).

    ``conductivity`` defaults to "both": the primary -dT/T0 (and the paper checks) is
    Mattis-Bardeen with Delta_0(t); the Nam trace with the full strong-coupling
    Delta(omega, t) of Pb (2 Delta_0 / k_B T_c = 4.5) is computed beside it and their
    difference reported (``nam_vs_mb_max_relative_difference``).
    """


def _pb_signal(
    time: np.ndarray, s: np.ndarray, params: PumpProbePbParams, rho: float, w_pr: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """-dT/T0 of a film with normalised conductivity ``s`` (n_t, 1): (raw, convolved with
    the tail if enabled, convolved without the tail).

    The tail (SI II.1, :func:`photosc.cores.optics.reheating_tail`) is added to the raw
    signal before the probe convolution (SI II.2), as the paper does; the convolution
    is linear, so the displayed signal minus the one without tail is the convolved tail.
    """
    sig = optics.conductivity_si(s, rho)[..., None]
    ft = optics.film_trace(sig, w_pr, [params.film_thickness], n_substrate=params.n_substrate_probe)
    sr = -ft.d_t_over_t[:, 0]
    bare = optics.gaussian_probe_convolution(time, sr, params.probe_duration)
    if not (params.reheating_tail and np.max(np.abs(sr)) > 0):
        return sr, bare, bare
    st = optics.reheating_tail(time, sr, amplitude=params.tail_amplitude, decay=params.tail_decay)
    return sr, optics.gaussian_probe_convolution(time, st, params.probe_duration), bare


def _pb_recovery(
    time: np.ndarray, shown: np.ndarray, bare: np.ndarray, probe_fwhm: float
) -> dict[str, Any]:
    """Recovery measures of one Pb trace (issue 12 section 3).

    Parameters
    ----------
    time : (n_t,) float, ps
    shown : (n_t,) float
        Displayed -dT/T0: convolved, with the reheating tail if enabled (Fig. 2c).
    bare : (n_t,) float
        Convolved without the tail.
    probe_fwhm : float, ps

    Returns
    -------
    dict
        ``tau`` (1/e time of ``shown`` after its peak, ns) and ``ok`` (reached before
        the last delay); ``tau_bare``, ``ok_bare`` the same for ``bare``; ``fit_bare``
        (ns) and ``fit_ok``: e-folding time of an exponential fit to ``bare`` from one
        probe FWHM after its peak until it falls to 5 % of the peak
        (:func:`_recovery_fit`); ``peak`` (signed peak of ``shown``); ``tail`` (largest
        |shown - bare|, the convolved tail, over |peak of shown|).
    """
    if not np.max(np.abs(shown)) > 0:
        return dict(tau=0.0, ok=False, tau_bare=0.0, ok_bare=False, fit_bare=0.0,
                    fit_ok=False, peak=0.0, tail=0.0)  # fmt: skip
    tau, ok, peak = _recovery(time, shown)
    tau_b, ok_b, _ = _recovery(time, bare)
    fit, fit_ok = _recovery_fit(time, bare, probe_fwhm)
    return dict(
        tau=tau,
        ok=ok,
        tau_bare=tau_b,
        ok_bare=ok_b,
        fit_bare=fit / 1000.0,
        fit_ok=fit_ok,
        peak=peak,
        tail=float(np.max(np.abs(shown - bare)) / abs(peak)),
    )


def _recovery(time: np.ndarray, sc: np.ndarray) -> tuple[float, bool, float]:
    """(1/e recovery time in ns, reached within the window, signed peak) of a signal."""
    if np.max(np.abs(sc)) > 0:
        tau_r, ok = _decay_time(time, sc)
    else:
        tau_r, ok = 0.0, False
    return tau_r / 1000.0, bool(ok), float(sc[int(np.argmax(np.abs(sc)))])


def _pb_kinetics(
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    temp: float,
    w_inj: float,
    e_abs: float,
    delays: np.ndarray,
    sp: Any,
) -> KineticTrace:
    """The pumped kinetics of the Pb film at ``temp`` (K) (:func:`run_kinetics`)."""
    return _common.run_kinetics(
        "Pb",
        temp,
        injection_energy=w_inj,
        tau_pump=params.pump_duration,
        energy_density=e_abs,
        tau_esc=params.tau_esc,
        delays=delays,
        step=numerics.grid_step,
        e_max=numerics.e_max,
        rtol=numerics.rtol,
        gap_tol=numerics.gap_tol,
        spectrum=sp,
    )


def run_pb(params: PumpProbePbParams, numerics: PumpProbePbNumerics) -> ModelOutput:
    """-dT/T0 of a thin Pb film versus delay at each temperature (paper 001 Fig. 2c).

    The probe conductivity is Mattis-Bardeen with Delta_0(t) and f(E, t)
    (:func:`probe_conductivity`) and/or the Nam form with the full Delta(omega, t),
    Z(omega, t) (:func:`probe_conductivity_nam`, impurity rate ``scattering_rate``),
    per ``numerics.conductivity``; with "both" the primary results are Mattis-Bardeen's.

    Spectrum: the built-in Pb alpha^2F and F, with ``alpha2f_low_scale`` applied to
    alpha^2F and ``phonon_dos_low_scale`` to F below ``alpha2f_low_edge``
    (:func:`scaled_low_energy`; 1 = unchanged), sensitivity probes of recombination at
    2 Delta and of pair breaking by 2 Delta phonons (issue 12 section 4).

    Recovery (issue 12 section 3): the reheating tail (SI II.1) is 0.2 of the
    *unconvolved* peak; after the 200 ps convolution it stands at a larger fraction of
    the displayed peak (``tail_over_displayed_peak``), at or above the 1/e level, so the
    1/e time of the displayed signal (``recovery_time_ns``) mostly measures the 3 ns
    tail. The recovery of the kinetics is read from the convolved signal without the
    tail: its 1/e time (``recovery_time_no_tail_ns``) and the e-folding time of an
    exponential fit after the peak (``recovery_fit_time_no_tail_ns``, :func:`_recovery_fit`:
    from one probe FWHM after the peak until the signal falls to 5 % of it); the trend
    check ``recovery_speeds_up_towards_tc`` uses the former.

    Returns
    -------
    ModelOutput
        Dataset over (temperature, time): ``minus_dT_over_T`` (convolved, with the tail
        if enabled: the displayed signal), ``minus_dT_over_T_raw`` (unconvolved, no
        tail), ``minus_dT_over_T_no_tail`` (convolved, no tail), ``reheating_tail``
        (the convolved tail: displayed - no tail), ``delta0`` (meV),
        ``normalised_signal`` (divided by the largest peak, as the paper's figure), the
        energy budget of the kinetics ``energy_absorbed``, ``energy_exchanged``,
        ``energy_gap_work``, ``energy_stored``, ``energy_budget_error`` (meV/nm^3,
        :class:`KineticTrace`), ``pairing_eigenvalue`` where the kinetics provides it,
        and, with "both", ``minus_dT_over_T_nam``, ``minus_dT_over_T_raw_nam``,
        ``minus_dT_over_T_no_tail_nam``.
        Summary, per temperature: ``recovery_time_no_tail_ns`` with
        ``recovered_no_tail_within_window`` (False: the 1/e level is not reached before
        ``t_end``, and the time is t_end - t_peak), ``recovery_fit_time_no_tail_ns`` with
        ``recovery_fit_no_tail_ok`` (False: no decaying fit, time ``SLOW_NONE_PS``/1000),
        ``tail_over_displayed_peak``, ``recovery_time_ns`` with
        ``recovered_within_window`` (1/e time of the displayed signal, tail included),
        ``peak_minus_dT_over_T``, ``delta0_equilibrium_meV``,
        ``fastest_recovery_temperature_K``, ``temperatures_K`` (those reported),
        ``failed_temperatures_K``, ``failed_temperature_errors`` and
        ``failed_temperature_budget_errors`` (temperatures whose kinetics broke its
        energy budget, with the relative error: left out with a warning; all failing
        raises),
        ``lambda`` and
        ``kaplan_tau0_at_2delta_ns`` (of the spectrum used, :func:`kaplan_tau0` at
        2 ``delta0_1K_meV``), ``energy_budget_error_per_temperature`` (and
        ``pairing_eigenvalue_max``, ``pairing_eigenvalue_max_time_ps`` where provided);
        the trends
        ``recovery_speeds_up_towards_tc`` (no-tail 1/e times decreasing with
        temperature, all reached), ``recovery_fit_speeds_up_towards_tc`` (no-tail fits),
        ``recovery_with_tail_speeds_up_towards_tc`` (displayed signal);
        ``energy_budget_error`` (largest over the temperatures), ``absorbed_fraction``,
        ``conductivity_form`` and, with "both", every per-temperature and trend key
        above with prefix ``nam_``, ``nam_over_mb_peak`` (per temperature) and
        ``nam_vs_mb_max_relative_difference`` (max over temperatures and delays of
        |S_Nam - S_MB| / max |S_MB| of the displayed signals).
    """
    sp = _pb_spectrum(params)
    chi, e_abs, w_inj = _pb_pump(params, sp)
    delays = _delays(
        params.pump_duration, params.t_end, numerics.n_times, 50.0, 2 * params.probe_duration
    )
    forms = [f for f in ("mattis-bardeen", "nam") if _uses(numerics, f)]
    # kinetics and probe optics per temperature; those breaking their budget left out
    runs = _pb_runs(params, numerics, sp, w_inj, e_abs, delays, forms)
    ds = _pb_dataset(runs, params, numerics, delays, chi, e_abs, w_inj)
    summary = _pb_summary(runs, params, numerics, sp, delays, chi, e_abs, w_inj)
    return ModelOutput(dataset=ds, summary=summary)


@dataclass
class _PbRuns:
    """The kinetics and probe signals of the Pb temperatures that ran (:func:`_pb_runs`).

    ``sig[form][kind]`` holds one (n_t,) -dT/T0 per temperature for each conductivity
    form (primary first) and ``kind``: "raw" (unconvolved, no tail), "conv" (convolved,
    with the reheating tail if enabled) or "bare" (convolved, no tail). ``gaps``:
    Delta_0(t) (meV) per temperature; ``done``: those temperatures (K); ``failed``:
    (temperature K, message, relative budget error) of those left out.
    """

    sig: dict[str, dict[str, list]]
    gaps: list[np.ndarray]
    traces: list[KineticTrace]
    done: list[float]
    failed: list[tuple[float, str, float]]


def _pb_spectrum(params: PumpProbePbParams) -> Any:
    """The Pb alpha^2F and F with the low-energy scalings of ``params``
    (:func:`scaled_low_energy`; 1 = the model spectrum)."""
    return scaled_low_energy(
        _spectrum("Pb"),
        params.alpha2f_low_scale,
        params.alpha2f_low_edge,
        params.phonon_dos_low_scale,
    )


def _pb_pump(params: PumpProbePbParams, sp: Any) -> tuple[float, float, float]:
    """Calibrate the pump on the Pb film.

    Parameters
    ----------
    params : PumpProbePbParams
    sp : Spectrum
        The (possibly scaled) Pb spectrum; its rho_N sets the normal-state index.

    Returns
    -------
    chi : float
        Absorbed fraction 1 - R - T of the film at omega_pump (:func:`pump_absorption`).
    e_abs : float, meV/nm^3
        Absorbed energy density F_0 chi / d.
    w_inj : float, meV
        Photon energy of the kinetic drive (``pump_injection_energy`` or omega_pump).
    """
    rho = sp.material.rho_n_ohm_nm
    w_pump = params.pump_photon_energy
    w_inj = params.pump_injection_energy or w_pump
    chi, _, _ = pump_absorption(
        w_pump, rho, params.film_thickness, n_substrate=params.n_substrate_pump
    )
    from photosc.cores.kinetics.pump import absorbed_energy_density

    e_abs = absorbed_energy_density(params.fluence, chi, params.film_thickness)
    return chi, e_abs, w_inj


def _pb_optics(
    tr: KineticTrace,
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    forms: list[str],
    w_inj: float,
    rho: float,
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Optics of one Pb kinetic trace: per conductivity form, -dT/T0 at the probe
    (raw, convolved with the tail if enabled, convolved without it; :func:`_pb_signal`).

    Parameters
    ----------
    tr : KineticTrace
    params : PumpProbePbParams
    numerics : PumpProbePbNumerics
    forms : list of str
        "mattis-bardeen" (:func:`probe_conductivity`) and/or "nam"
        (:func:`probe_conductivity_nam`, impurity rate ``scattering_rate``).
    w_inj : float, meV
        Photon energy of the kinetic drive (its breakpoints in the energy integrals).
    rho : float, Ohm nm
        Normal-state resistivity.
    """
    w_pr = np.array([params.probe_photon_energy])
    out = {}
    for form in forms:
        if form == "nam":
            s = probe_conductivity_nam(
                tr, w_pr, params.scattering_rate, numerics.n_quad_nam, (w_inj, 2 * w_inj)
            )
        else:
            s = probe_conductivity(tr, w_pr, numerics.n_quad, (w_inj, 2 * w_inj))
        out[form] = _pb_signal(tr.time, s, params, rho, w_pr)
    return out


def _pb_runs(
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    sp: Any,
    w_inj: float,
    e_abs: float,
    delays: np.ndarray,
    forms: list[str],
) -> _PbRuns:
    """Run the kinetics and the probe optics at each temperature.

    A temperature whose kinetics breaks its energy budget (ConvergenceError) is left
    out with a warning; all failing raises.

    Parameters
    ----------
    params : PumpProbePbParams
    numerics : PumpProbePbNumerics
    sp : Spectrum
        The (possibly scaled) Pb spectrum (:func:`_pb_spectrum`).
    w_inj : float, meV
        Photon energy of the kinetic drive.
    e_abs : float, meV/nm^3
        Absorbed energy density.
    delays : (n_t,) float, ps
    forms : list of str
        Conductivity forms, primary first.
    """
    rho = sp.material.rho_n_ohm_nm
    runs = _PbRuns({f: {"raw": [], "conv": [], "bare": []} for f in forms}, [], [], [], [])
    for temp in progress(params.temperatures, desc="Pb temperatures"):
        try:
            tr = _pb_kinetics(params, numerics, temp, w_inj, e_abs, delays, sp)
        except ConvergenceError as exc:
            # a temperature whose kinetics breaks its energy budget is left out, loudly:
            # named in the summary (failed_temperatures_K, failed_temperature_errors) and
            # warned (recorded in the result); the others are still reported
            if len(runs.failed) + 1 == len(params.temperatures):
                raise
            runs.failed.append((float(temp), str(exc), float(exc.residual)))
            warnings.warn(f"pump-probe-pb: {temp:g} K left out: {exc}", stacklevel=3)
            continue
        runs.done.append(float(temp))
        for form, (sr, sc, sb) in _pb_optics(tr, params, numerics, forms, w_inj, rho).items():
            runs.sig[form]["raw"].append(sr)
            runs.sig[form]["conv"].append(sc)
            runs.sig[form]["bare"].append(sb)
        runs.gaps.append(tr.delta0)
        runs.traces.append(tr)
    return runs


def _pb_dataset(
    runs: _PbRuns,
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    delays: np.ndarray,
    chi: float,
    e_abs: float,
    w_inj: float,
) -> xr.Dataset:
    """Assemble the (temperature, time) dataset of :func:`run_pb`: -dT/T0 (displayed,
    raw, without tail, the convolved tail, normalised; ``_nam`` with "both"),
    Delta_0(t) (meV) and the energy budget (meV/nm^3).

    Parameters
    ----------
    runs : _PbRuns
    params : PumpProbePbParams
    numerics : PumpProbePbNumerics
    delays : (n_t,) float, ps
    chi : float
        Absorbed fraction at omega_pump.
    e_abs : float, meV/nm^3
    w_inj : float, meV
    """
    sig = runs.sig
    forms = list(sig)  # primary first
    primary = forms[0]
    conv_a = np.array(sig[primary]["conv"])
    bare_a = np.array(sig[primary]["bare"])
    norm = float(np.max(np.abs(conv_a))) or 1.0
    temps = np.asarray(runs.done, dtype=float)
    dims = ("temperature", "time")
    data = {
        "minus_dT_over_T": _var(dims, conv_a, "1", "-dT/T0, probe-convolved (+ tail)"),
        "minus_dT_over_T_raw": _var(
            dims, np.array(sig[primary]["raw"]), "1", "-dT/T0 before convolution, no tail"
        ),
        "minus_dT_over_T_no_tail": _var(dims, bare_a, "1", "-dT/T0, probe-convolved, no tail"),
        "reheating_tail": _var(
            dims, conv_a - bare_a, "1", "convolved reheating tail (displayed - no tail)"
        ),
        "normalised_signal": _var(dims, conv_a / norm, "1", "-dT/T0 / max (as Fig. 2c)"),
        "delta0": _var(dims, np.array(runs.gaps), "meV", "gap edge Delta_0"),
        **_budget_vars(runs.traces, dims),
    }
    if len(forms) == 2:
        data["minus_dT_over_T_nam"] = _var(
            dims, np.array(sig["nam"]["conv"]), "1", "-dT/T0 (Nam form), convolved (+ tail)"
        )
        data["minus_dT_over_T_raw_nam"] = _var(
            dims, np.array(sig["nam"]["raw"]), "1", "-dT/T0 (Nam form) before convolution"
        )
        data["minus_dT_over_T_no_tail_nam"] = _var(
            dims, np.array(sig["nam"]["bare"]), "1", "-dT/T0 (Nam form), convolved, no tail"
        )
    return xr.Dataset(
        data,
        coords={
            "temperature": _var(("temperature",), temps, "K", "bath temperature"),
            "time": _var(("time",), delays, "ps", "pump-probe delay"),
        },
        attrs={
            "model": "pump-probe-pb",
            "absorbed_fraction": chi,
            "energy_density_meV_nm3": e_abs,
            "injection_energy_meV": w_inj,
            "conductivity": numerics.conductivity,
            "scattering_rate_meV": params.scattering_rate,
        },
    )


def _towards_tc(values: list[float], ok: list[bool], order: np.ndarray) -> bool:
    """Whether ``values`` (one per temperature) all reached (``ok``) and strictly
    decrease towards T_c, i.e. along the increasing-temperature ``order``."""
    v = [values[i] for i in order]
    return bool(all(ok) and all(b < a for a, b in zip(v, v[1:])))


def _pb_stats(
    sig: dict[str, list], delays: np.ndarray, probe_fwhm: float, order: np.ndarray
) -> dict[str, Any]:
    """Recovery measures of one conductivity form's traces (:func:`_pb_recovery`), per
    temperature, and their trends towards T_c.

    Parameters
    ----------
    sig : dict
        ``"conv"`` and ``"bare"``: one (n_t,) -dT/T0 per temperature (:class:`_PbRuns`).
    delays : (n_t,) float, ps
    probe_fwhm : float, ps
    order : (n_T,) int
        Indices of the temperatures in increasing order.
    """
    rec = [_pb_recovery(delays, c, b, probe_fwhm) for c, b in zip(sig["conv"], sig["bare"])]

    def col(k: str) -> list:
        return [r[k] for r in rec]

    return {
        "recovery_time_ns": col("tau"),
        "recovered_within_window": col("ok"),
        "peak_minus_dT_over_T": col("peak"),
        "recovery_time_no_tail_ns": col("tau_bare"),
        "recovered_no_tail_within_window": col("ok_bare"),
        "recovery_fit_time_no_tail_ns": col("fit_bare"),
        "recovery_fit_no_tail_ok": col("fit_ok"),
        "tail_over_displayed_peak": col("tail"),
        "recovery_speeds_up_towards_tc": _towards_tc(col("tau_bare"), col("ok_bare"), order),
        "recovery_fit_speeds_up_towards_tc": _towards_tc(col("fit_bare"), col("fit_ok"), order),
        "recovery_with_tail_speeds_up_towards_tc": _towards_tc(col("tau"), col("ok"), order),
    }


def _pb_summary(
    runs: _PbRuns,
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    sp: Any,
    delays: np.ndarray,
    chi: float,
    e_abs: float,
    w_inj: float,
) -> dict[str, Any]:
    """Summary of :func:`run_pb` (keys listed there): recovery times and trends of the
    primary form, pump and spectrum numbers (Kaplan's tau_0 at 2 Delta_0(1 K)), the
    energy budget and, with "both", the Nam keys and the Nam - Mattis-Bardeen difference.

    Parameters
    ----------
    runs : _PbRuns
    params : PumpProbePbParams
    numerics : PumpProbePbNumerics
    sp : Spectrum
        The (possibly scaled) Pb spectrum.
    delays : (n_t,) float, ps
    chi : float
        Absorbed fraction at omega_pump.
    e_abs : float, meV/nm^3
    w_inj : float, meV
    """
    sig, gaps, failed = runs.sig, runs.gaps, runs.failed
    forms = list(sig)  # primary first
    primary = forms[0]
    temps = np.asarray(runs.done, dtype=float)
    order = np.argsort(temps)  # the trends are read towards T_c (increasing temperature)
    main = _pb_stats(sig[primary], delays, params.probe_duration, order)
    # gap edge near T = 0 of the (possibly scaled) spectrum: where tau_0 is read
    d0_low = float(_eliashberg_solver("Pb", numerics.grid_step, sp).solve(kT=1.0 * KB).delta0)
    summary = {
        **main,
        "absorbed_fraction": chi,
        "energy_density_meV_per_nm3": e_abs,
        "injection_energy_meV": w_inj,
        "delta0_equilibrium_meV": [float(g[0]) for g in gaps],
        "temperatures_K": [float(t) for t in temps],
        "failed_temperatures_K": [t for t, _, _ in failed],
        "failed_temperature_errors": [e for _, e, _ in failed],
        "failed_temperature_budget_errors": [r for _, _, r in failed],
        "fastest_recovery_temperature_K": float(
            temps[int(np.argmin(main["recovery_time_no_tail_ns"]))]
        ),
        "alpha2f_low_scale": params.alpha2f_low_scale,
        "phonon_dos_low_scale": params.phonon_dos_low_scale,
        "lambda": sp.lambda_,
        "delta0_1K_meV": d0_low,
        "kaplan_tau0_at_2delta_ns": kaplan_tau0(sp, 2.0 * d0_low, 7.2),
        "conductivity_form": primary,
        **_budget_summary(runs.traces, per="temperature"),
    }
    if len(forms) == 2:
        nam = _pb_stats(sig["nam"], delays, params.probe_duration, order)
        peaks = main["peak_minus_dT_over_T"]
        n_peaks = nam["peak_minus_dT_over_T"]
        nam_a = np.array(sig["nam"]["conv"])
        conv_a = np.array(sig[primary]["conv"])
        summary.update({"nam_" + k: v for k, v in nam.items()})
        summary.update(
            {
                "nam_over_mb_peak": [a / b if b else 1.0 for a, b in zip(n_peaks, peaks)],
                "nam_vs_mb_max_relative_difference": float(
                    max(
                        np.max(np.abs(a - b)) / (np.max(np.abs(b)) or 1.0)
                        for a, b in zip(nam_a, conv_a)
                    )
                ),
                "scattering_rate_meV": params.scattering_rate,
            }
        )
    return summary


PB_MODEL = ModelSpec(
    name="pump-probe-pb",
    paper="001",
    description="Pb -dT/T0 vs delay at several temperatures from the kinetics (Fig. 2c)",
    params=PumpProbePbParams,
    numerics=PumpProbePbNumerics,
    run=run_pb,
    plot=plot_pb,
    summarize_sweep=summarize_pb_sweep,
    plot_sweep=plot_pb_sweep,
)
