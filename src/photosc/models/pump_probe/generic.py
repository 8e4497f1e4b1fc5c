"""Generic pump-probe model ``pump-probe``: any material, any sample, any measured quantity.

Paper 001 (Simon et al., arXiv:2603.18182) computes Fig. 2c (Pb, -dT/T0) and Fig. 2d
(LaH10, dR/R0) with one chain; this model runs that chain for a material card
(:mod:`photosc.materials`: alpha^2F, F, mu*, N(0), rho_N or the Drude pair, eps_inf):

1. pump: chi = 1 - R - T of the sample at the pump with sigma_N = 1/rho_N and
   E_abs = fluence_scale F_0 chi / d (main text after Eq. 3; d = ``pumped_depth``, by
   default the film thickness or delta_pump of a thick sample, SI Eq. 14)
   (:func:`photosc.pipeline.signal.pump_deposition`);
2. kinetics: Chang-Scalapino f(E, t), n(Omega, t) with dynamic phonons (SI Eqs. 4-5),
   phonon escape tau_esc (one value, or one per fluence as SI II.1 assigns them for
   LaH10) and the adiabatic real-axis Eliashberg gap (SI Eqs. 6-9)
   (:func:`photosc.pipeline.kinetics.run_kinetics`), with its energy budget; the runs
   (temperatures x fluences) are independent and go to ``numerics.workers`` processes;
3. conductivity at the probe energies: Mattis-Bardeen with Delta_0(t) and f(E, t), the
   Nam form with the full Delta(omega, t), Z(omega, t) and an impurity rate, or both
   (:mod:`photosc.pipeline.conductivity`);
4. sample optics: film on substrate, thick sample on its unpumped self, or a layered
   stack (:func:`photosc.pipeline.signal.sample_response`; SI Eqs. 10-13), optionally
   the depth-resolved film (:func:`photosc.pipeline.sample.depth_resolved_film`);
5. signal: dR/R0, dT/T0 (Eq. 3), sigma_1,2 / sigma_N or the probe penetration depth,
   with the optional substrate-reheating tail (SI II.1) and averaged by the Gaussian probe
   (SI II.2);
6. read-outs (:mod:`.readouts`): peak and recovery times with and without the tail, the
   gap's closed and recovery times, the slow component, their trends with temperature
   (Fig. 2c) and fluence (Fig. 2d), E_abs over the condensation energy.

Approximations: those of the paper's chain (isotropic Eliashberg, dirty-limit
Mattis-Bardeen or Born-impurity Nam form, homogeneous pumped layer or independent
slices). Sensitivity probes: alpha^2F and F scaled below an edge
(:func:`photosc.pipeline.kinetics.scaled_low_energy`). The Pb (Fig. 2c) and LaH10
(Fig. 2d) paper scenarios run on this model; it reproduces the per-material models it
replaced (tests/models/test_pump_probe_generic.py, against their stored [test]-grid
results).

Units: energies meV, times ps, lengths nm, fluence mJ/cm^2, temperatures K.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import numpy as np
import xarray as xr

from photosc.cores import optics
from photosc.errors import ConfigError
from photosc.foundation.parallel import parallel_map_warned
from photosc.foundation.units import KB
from photosc.models._base import ModelOutput, ModelSpec, RunPlan
from photosc.models.pump_probe._common import _budget_vars, _var
from photosc.models.pump_probe.figures import plot_generic, plot_generic_sweep
from photosc.models.pump_probe.optics_readouts import slope_window, superfluid_slope
from photosc.models.pump_probe.parameters import (
    QUANTITY_UNITS,
    PumpProbeNumerics,
    PumpProbeParams,
    conductivity_forms,
    escape_times,
    probe_energies,
    record_times,
)
from photosc.models.pump_probe.summary import (
    CHANGE_FROM_START,
    optics_summary,
    run_summary,
)
from photosc.models.pump_probe.sweep_summaries import summarize_generic_sweep
from photosc.pipeline import conductivity as pc
from photosc.pipeline import signal as psig
from photosc.pipeline.kinetics import KineticTrace, run_kinetics, select_rows
from photosc.pipeline.sample import depth_resolved_film, slice_deposition

__all__ = [
    "GENERIC_MODEL",
    "PumpProbeNumerics",
    "PumpProbeParams",
    "escape_times",
    "probe_energies",
    "record_times",
    "run_generic",
]


def _material(params: PumpProbeParams) -> Any:
    """The resolved Material, with the data the chain needs (ConfigError otherwise)."""
    from photosc.materials import load_material

    mat = load_material(params.material, params.material_overrides or None)
    mat.require("n0_per_ev_nm3", "phonon_dos", needed_by="pump-probe")
    if mat.normal_state_resistivity() is None:
        raise ConfigError(
            f"material {mat.name!r}: pump-probe needs the normal-state resistivity: give "
            "rho_n, or plasma_energy and scattering_rate, in the card or material_overrides"
        )
    return mat


def _check(params: PumpProbeParams, numerics: PumpProbeNumerics) -> None:
    """Pre-flight: the material resolves and has what the chain needs."""
    mat = _material(params)
    if numerics.conductivity != "mattis-bardeen" and _scattering_rate(params, mat) is None:
        raise ConfigError(
            f"scattering_rate = 0 meV and material {mat.name!r} has no scattering_rate or "
            "plasma_energy; allowed: a rate > 0 meV, or a card with them (Nam form)"
        )


def _scattering_rate(params: PumpProbeParams, mat: Any) -> float | None:
    if params.scattering_rate > 0:
        return float(params.scattering_rate)
    return mat.drude_scattering_rate()


def _spectrum(mat: Any) -> Any:
    """The material's spectrum carrying its mu* and Coulomb cutoff (the kinetics reads them
    from the spectrum)."""
    sp = mat.spectrum
    if sp.mu_star == mat.mu_star and sp.mu_star_cutoff == mat.mu_star_cutoff:
        return sp
    return dataclasses.replace(
        sp, mu_star=mat.mu_star, mu_star_cutoff=mat.mu_star_cutoff, _cache={}
    )


def _sample(params: PumpProbeParams, eps_inf: float) -> psig.Sample:
    return psig.Sample(
        geometry=params.geometry,
        thickness=params.film_thickness,
        n_ambient=params.n_ambient,
        n_substrate_pump=params.n_substrate_pump,
        n_substrate_probe=params.n_substrate_probe,
        layer_thicknesses=tuple(params.layer_thicknesses),
        layer_indices=tuple(params.layer_indices),
        eps_inf=eps_inf,
    )


def _conductivity(
    form: str,
    tr: KineticTrace,
    w: np.ndarray,
    numerics: PumpProbeNumerics,
    gamma: float | None,
    w_inj: float,
) -> np.ndarray:
    """sigma / sigma_N (Mattis-Bardeen) or sigma / sigma_0 (Nam) of every recorded state
    of ``tr`` at the photon energies ``w`` (meV), (n_t, n_w) complex."""
    bp = (w_inj, 2 * w_inj)
    if form == "nam":
        return pc.probe_conductivity_nam(tr, w, gamma, numerics.n_quad_nam, bp)
    return pc.probe_conductivity(tr, w, numerics.n_quad, bp)


def _one_run(
    tr: KineticTrace,
    params: PumpProbeParams,
    numerics: PumpProbeNumerics,
    form: str,
    sample: psig.Sample,
    rho: float,
    w_inj: float,
    gamma: float | None,
    temperature: float,
) -> dict[str, Any]:
    """The measured quantity and the optics of one kinetic trace at ``temperature`` (K; a
    thick sample's unpumped substrate is thermal) with the conductivity ``form``
    ("mattis-bardeen" or "nam").

    Returns
    -------
    dict
        (n_t, n_w) arrays: ``raw`` (before the probe convolution, no tail), ``conv``
        (displayed: probe-convolved, with the reheating tail, SI II.1,
        :func:`photosc.cores.optics.reheating_tail`, added to the raw change before the
        convolution, as paper 001 does, if ``reheating_tail_amplitude`` > 0), ``bare``
        (probe-convolved without the tail; the convolution is linear, so conv - bare is
        the convolved tail), ``sigma`` (complex sigma / sigma_N of the pumped layer;
        Nam: sigma / sigma_0) and ``reflectance`` (R of the sample); with the
        observable "penetration-depth" also ``depth_pump`` (nm): the pre-pump state's
        penetration depth at the pump energy (SI Eq. 14), same form.
    """
    w_pr = probe_energies(params, numerics)
    s = _conductivity(form, tr, w_pr, numerics, gamma, w_inj)
    out: dict[str, Any] = {"sigma": s}
    if params.observable == "penetration-depth":
        w_p = np.array([params.pump_photon_energy])
        s_p = _conductivity(form, select_rows(tr, [0]), w_p, numerics, gamma, w_inj)
        idx = optics.complex_index(optics.conductivity_si(s_p, rho), w_p, sample.eps_inf)
        out["depth_pump"] = float(optics.penetration_depth(idx, w_p)[0, 0])
    n_sub = None
    if sample.geometry == "thick":
        n_sub = pc.equilibrium_index(w_pr, rho, tr.delta0[0], KB * temperature, sample.eps_inf)
    ft = psig.sample_response(
        optics.conductivity_si(s, rho)[..., None], [params.film_thickness], w_pr, sample, n_sub
    )
    raw = psig.measured_signal(params.observable, ft, s)
    bare = psig.convolve_probe(tr.time, raw, params.probe_duration)
    out.update(raw=raw, bare=bare, conv=bare, reflectance=np.asarray(ft.reflectance, float))
    if not params.reheating_tail_amplitude > 0:
        return out
    base = raw[:1] if params.observable in CHANGE_FROM_START else 0.0
    change = raw - base
    tailed = np.stack(
        [
            optics.reheating_tail(
                tr.time,
                change[:, k],
                amplitude=params.reheating_tail_amplitude,
                decay=params.reheating_tail_decay,
            )
            if np.max(np.abs(change[:, k])) > 0
            else change[:, k]
            for k in range(change.shape[1])
        ],
        axis=1,
    )
    out["conv"] = psig.convolve_probe(tr.time, tailed + base, params.probe_duration)
    return out


def _spectrum_for_run(params: PumpProbeParams, mat: Any) -> Any:
    """The material's spectrum with the low-energy scalings of ``params`` (1: unchanged;
    :func:`photosc.pipeline.kinetics.scaled_low_energy`)."""
    from photosc.pipeline.kinetics import scaled_low_energy

    return scaled_low_energy(
        _spectrum(mat),
        params.alpha2f_low_scale,
        params.alpha2f_low_edge,
        params.phonon_dos_low_scale,
    )


def _kinetics_job(sp: Any, item: tuple[float, float, float], **kw: Any) -> KineticTrace:
    """One kinetic run at (temperature K, absorbed energy density meV/nm^3, phonon escape
    time ps) with the keywords of :func:`photosc.pipeline.kinetics.run_kinetics`."""
    temp, e_abs, tau_esc = item
    return run_kinetics(sp, temp, energy_density=e_abs, tau_esc=tau_esc, **kw)


def run_generic(params: PumpProbeParams, numerics: PumpProbeNumerics) -> ModelOutput:
    """The pump-probe trace of any material (the chain of paper 001 Eqs. 1-3, SI II).

    Returns
    -------
    ModelOutput
        Dataset over (temperature, fluence, probe_energy, time): ``signal`` (the measured
        quantity, probe-convolved, with the reheating tail if any: the displayed
        signal), ``signal_raw`` (before the convolution, no tail), ``signal_no_tail``
        (convolved, no tail; with a tail only), with conductivity "both" the same three
        with suffix ``_nam`` (Nam form; ``signal`` etc. are Mattis-Bardeen's), with
        ``depth_resolved``: ``signal_depth_resolved``; over (temperature, fluence,
        time): ``delta0`` (meV) and the energy budget ``energy_absorbed``,
        ``energy_exchanged``, ``energy_gap_work``, ``energy_stored``,
        ``energy_budget_error`` (meV/nm^3), ``pairing_eigenvalue`` where provided.
        Summary: ``material``, ``observable``, ``signal_units``, ``geometry``,
        ``conductivity_form`` (the primary), ``absorbed_fraction``, ``pump_depth_nm``,
        ``pumped_depth_nm``, ``energy_density_meV_nm3`` (per fluence),
        ``injection_energy_meV``, ``delta0_equilibrium_meV`` (per temperature),
        ``min_delta0_meV`` (``[T][F]``); the read-outs of
        :func:`.readouts.recovery_readouts` (``[T][F][w]``: peak, 1/e recovery of the
        displayed signal and without the tail, exponential fit, tail fraction; for
        sigma_1,2 and the penetration depth of the change from the pre-pump value) and
        :func:`.readouts.temperature_trends` (``[F][w]``); ``lambda``,
        ``delta0_1K_meV`` and ``kaplan_tau0_at_2delta_ps`` (Kaplan's tau_0 at
        2 Delta_0(1 K) with the material's T_c, where it has one) of the spectrum used,
        ``alpha2f_low_scale``, ``phonon_dos_low_scale``; ``energy_budget_error``
        (largest), ``energy_budget_error_per_run`` and ``pairing_eigenvalue_max`` (``[T][F]``);
        with the Nam form ``scattering_rate_meV``; with "both" every read-out and trend
        with prefix ``nam_`` and :func:`.readouts.nam_vs_mattis_bardeen`. With chosen
        ``delays`` the time-scale read-outs (recovery, gap time scales, trends, Nam vs
        Mattis-Bardeen peaks) are left out: a few delays do not sample a decay.

        Optics, every run (:mod:`.optics_readouts`; ``nam_`` prefix for Nam beside
        Mattis-Bardeen): dataset ``sigma1``, ``sigma2`` (pumped layer, over sigma_N; Nam:
        sigma_0) and ``reflectance`` (the sample) over (temperature, fluence,
        probe_energy, time), before the probe average; summary ``max_delta0_meV``,
        ``delay_of_max_gap_ps``, ``photoinduced_gap`` (``[T][F]``),
        ``max_reflectance_change`` (``[T][F]``). Observable "penetration-depth":
        ``delta_pump_nm`` (pre-pump state at the pump energy, ``[T][F]``),
        ``delta_probe_nm``, ``probe_minus_pump_nm``, ``max_variation_nm``,
        ``delay_of_max_variation_ps`` (``[T][F][w]``, from ``signal_raw``). Observables
        sigma1, sigma2: ``sigma2_slope_below_gap`` (d ln sigma_2 / d ln omega over
        0.05-1 Delta_max at the delay of the largest gap), ``sigma2_slope_resolved``,
        ``sigma1_min_below_gap`` (``[T][F]``). With ``reference_temperature`` > 0:
        dataset ``sigma1_reference``, ``sigma2_reference`` (probe_energy), summary
        ``reference_delta0_meV``, ``reference_temperature_K``,
        ``reference_sigma2_slope_below_gap``, ``reference_sigma2_slope_resolved`` and,
        with "both", ``reference_nam_over_mb_superfluid_weight``. Depth-resolved:
        ``depth_resolved_max_delta0_meV`` (``[T][F]``).
    """
    plan = plan_generic(params, numerics)
    every = parallel_map_warned(
        plan.fn,
        plan.items,
        workers=numerics.workers or None,
        scheduler=numerics.scheduler or None,
        desc=plan.desc,
    )
    return plan.finish(every)


def plan_generic(params: PumpProbeParams, numerics: PumpProbeNumerics) -> RunPlan:
    """:func:`run_generic` as its independent kinetic runs and the step that turns their
    traces into the output: the runs (every temperature and fluence, then every slice of
    every depth-resolved film) and ``finish(traces)``, the optics, dataset and summary.
    A sweep runs the runs of all its points in one pool (issue 16)."""
    mat = _material(params)
    sp = _spectrum_for_run(params, mat)
    rho = float(mat.normal_state_resistivity())
    eps_inf = 1.0 if mat.eps_inf is None else float(mat.eps_inf)
    sample = _sample(params, eps_inf)
    forms = conductivity_forms(numerics)
    gamma = _scattering_rate(params, mat) if "nam" in forms else None
    from photosc.cores.kinetics.pump import absorbed_energy_density

    dep = psig.pump_deposition(sample, params.pump_photon_energy, rho)
    depth = params.pumped_depth or dep.pumped_depth
    e_abs = [
        absorbed_energy_density(params.fluence_scale * f, dep.absorbed_fraction, depth)
        for f in params.fluence
    ]
    taus = escape_times(params)
    w_inj = params.pump_injection_energy or params.pump_photon_energy
    delays = record_times(params, numerics)
    # the kinetic runs are independent: on worker processes (numerics.workers), each
    # bit for bit the in-process run, their warnings re-issued here
    run = functools.partial(
        _kinetics_job,
        sp,
        n0_per_ev_nm3=mat.n0_per_ev_nm3,
        injection_energy=w_inj,
        tau_pump=params.pump_duration,
        delays=delays,
        step=numerics.grid_step,
        e_max=numerics.e_max,
        rtol=numerics.rtol,
        gap_tol=numerics.gap_tol,
    )
    items = [
        (float(t), float(e), float(tau)) for t in params.temperature for e, tau in zip(e_abs, taus)
    ]
    fls = [float(f) for t in params.temperature for f in params.fluence]
    # the depth-resolved stack's slices are the same kinetic runs at other energy
    # densities: one pool for all of them, so that no core waits for a film's last slice
    # (issue 16; each run bit for bit as in its own pool)
    geometry = _slice_geometry(params, numerics, sample, rho, dep) if params.depth_resolved else {}
    slice_items = [
        [(temp, float(e), tau) for e in _slice_energies(geometry, params.fluence_scale * fl)]
        for (temp, _, tau), fl in zip(items, fls)
        if geometry
    ]
    all_items = items + [x for film in slice_items for x in film]

    def finish(every: list[KineticTrace]) -> ModelOutput:
        """The output of the runs' traces (in the order of the plan's items)."""
        traces, rest = every[: len(items)], every[len(items) :]
        slice_traces = []
        for film in slice_items:
            slice_traces.append(rest[: len(film)])
            rest = rest[len(film) :]
        sig: dict[str, dict[str, list]] = {f: {} for f in forms}
        deep, slices = [], []
        for j, ((temp, _, tau), fl, tr) in enumerate(zip(items, fls, traces)):
            for form in forms:
                out = _one_run(tr, params, numerics, form, sample, rho, w_inj, gamma, temp)
                out.update(_below_gap(tr, out["sigma"], params, numerics, form, gamma, w_inj))
                for kind, x in out.items():
                    sig[form].setdefault(kind, []).append(x)
            if params.depth_resolved:
                conv, sl = _deep(
                    params,
                    numerics,
                    sample,
                    sp,
                    mat,
                    geometry,
                    temp,
                    fl,
                    tau,
                    w_inj,
                    delays,
                    tr,
                    slice_traces[j],
                )
                deep.append(conv)
                slices.append(sl)
        shape = (len(params.temperature), len(params.fluence))
        ref = _reference(params, numerics, sp, forms, gamma)
        ds = _dataset(params, numerics, delays, shape, sig, deep, traces, ref)
        ds.attrs.update(
            model="pump-probe",
            material=mat.name,
            absorbed_fraction=dep.absorbed_fraction,
            injection_energy_meV=w_inj,
            conductivity=numerics.conductivity,
        )
        summary = run_summary(
            params, numerics, ds, mat, sp, dep, e_abs, w_inj, traces, gamma, slices
        )
        summary.update(optics_summary(params, ds, sig, shape, ref))
        return ModelOutput(dataset=ds, summary=summary)

    return RunPlan(run, all_items, finish, desc=f"{mat.name} kinetics")


#: Largest Eliashberg grid step (meV) of the equilibrium reference: the reference gap
#: must be resolved (K3C60 at 5 K: Delta_0 = 2.4 meV; with a 2 meV step the one cell
#: below the gap edge makes the Nam sigma_2 negative below the gap).
REFERENCE_MAX_STEP = 0.5


def _below_gap(
    tr: KineticTrace,
    s: np.ndarray,
    params: PumpProbeParams,
    numerics: PumpProbeNumerics,
    form: str,
    gamma: float | None,
    w_inj: float,
) -> dict[str, float]:
    """At the delay of the largest gap Delta_max of a transient spectrum (observable
    sigma1 or sigma2): d ln sigma_2 / d ln omega over 0.05-1 Delta_max (-1 for a 1/omega
    superfluid; 0 without gap, or where sigma_2 is not > 0 over that window: ``resolved``
    False, a gap the grid does not resolve) and the smallest sigma_1 below 2 Delta_max
    (1 without gap or no probe energy there). Empty for other observables."""
    if params.observable not in ("sigma1", "sigma2"):
        return {}
    row = int(np.argmax(tr.delta0))
    d_max = float(tr.delta0[row])
    out = {"slope": 0.0, "resolved": True, "sigma1_min": 1.0}
    if d_max > 0:
        w_fit = slope_window(d_max)
        s_fit = _conductivity(form, select_rows(tr, [row]), w_fit, numerics, gamma, w_inj)[0]
        out["slope"], out["resolved"] = superfluid_slope(w_fit, s_fit.imag)
        below = probe_energies(params, numerics) < 2 * d_max
        if below.any():
            out["sigma1_min"] = float(np.min(s[row].real[below]))
    return out


def _reference(
    params: PumpProbeParams,
    numerics: PumpProbeNumerics,
    sp: Any,
    forms: list[str],
    gamma: float | None,
) -> dict[str, Any]:
    """The equilibrium conductivity at ``reference_temperature`` in each form (empty at
    0 K): ``delta0`` (meV), and per form the (n_w,) ``sigma`` at the probe energies, the
    below-gap ``slope`` and the superfluid ``weight`` omega sigma_2 at 0.05 Delta_0
    (:func:`photosc.pipeline.conductivity.equilibrium_conductivity` with the thermal
    Eliashberg Delta(E), Z(E) on a grid of at most ``REFERENCE_MAX_STEP``)."""
    from photosc.pipeline.kinetics import equilibrium_gap_table

    if not params.reference_temperature > 0:
        return {}
    t_ref = float(params.reference_temperature)
    table = equilibrium_gap_table(sp, t_ref, min(numerics.grid_step, REFERENCE_MAX_STEP))
    w = probe_energies(params, numerics)
    kw = dict(
        scattering_rate=gamma,
        energy_max=numerics.e_max,
        n_quad=numerics.n_quad,
        n_quad_nam=numerics.n_quad_nam,
    )
    out: dict[str, Any] = {"delta0": float(table[3])}
    for form in forms:
        sigma = pc.equilibrium_conductivity(form, w, table, KB * t_ref, **kw)
        res: dict[str, Any] = {"sigma": sigma, "slope": 0.0}
        res["resolved"] = True
        if table[3] > 0:
            w_fit = slope_window(table[3])
            s_fit = pc.equilibrium_conductivity(form, w_fit, table, KB * t_ref, **kw)
            res["slope"], res["resolved"] = superfluid_slope(w_fit, s_fit.imag)
            if res["resolved"]:
                res["weight"] = float(w_fit[0] * s_fit.imag[0])
        out[form] = res
    return out


def _slice_geometry(
    params: PumpProbeParams,
    numerics: PumpProbeNumerics,
    sample: psig.Sample,
    rho: float,
    dep: psig.Deposition,
) -> dict[str, Any]:
    """The arguments of :func:`photosc.pipeline.sample.slice_deposition` (and of
    :func:`~photosc.pipeline.sample.depth_resolved_film`) that fix the sliced region: the
    film, or 3 delta_pump of a thick sample, in ``numerics.n_slices`` slices."""
    thick = sample.geometry == "thick"
    return {
        "omega_pump": params.pump_photon_energy,
        "rho_n": rho,
        "depth": 3.0 * dep.pump_depth if thick else params.film_thickness,
        "n_slices": numerics.n_slices,
        "n_ambient": params.n_ambient,
        "n_substrate_pump": None if thick else params.n_substrate_pump,
        "eps_inf": sample.eps_inf,
    }


def _slice_energies(geometry: dict[str, Any], fluence: float) -> np.ndarray:
    """Absorbed energy density of every slice (meV/nm^3, top first) at ``fluence``
    (mJ/cm^2) in the sliced region ``geometry`` (:func:`_slice_geometry`)."""
    return slice_deposition(fluence=fluence, **geometry)[2]


def _deep(
    params: PumpProbeParams,
    numerics: PumpProbeNumerics,
    sample: psig.Sample,
    sp: Any,
    mat: Any,
    geometry: dict[str, Any],
    temp: float,
    fl: float,
    tau_esc: float,
    w_inj: float,
    delays: np.ndarray,
    tr: KineticTrace,
    slice_traces: list[KineticTrace],
) -> tuple[np.ndarray, list[KineticTrace]]:
    """Probe-convolved measured quantity (n_t, n_w) of the depth-resolved film, and the
    slices' kinetics: the sliced region ``geometry`` (:func:`_slice_geometry`), each
    slice with its own kinetics at its share of the pump (Mattis-Bardeen; issue 8),
    already run (``slice_traces``, top first)."""
    w_pr = probe_energies(params, numerics)
    thick = sample.geometry == "thick"
    dr = depth_resolved_film(
        sp,
        temp,
        n0_per_ev_nm3=mat.n0_per_ev_nm3,
        injection_energy=w_inj,
        tau_pump=params.pump_duration,
        fluence=params.fluence_scale * fl,
        tau_esc=tau_esc,
        delays=delays,
        probe=w_pr,
        numerics=numerics,
        label=f"{mat.name} slices",
        traces=slice_traces,
        **geometry,
    )
    rho = geometry["rho_n"]
    n_sub = None
    if thick:
        n_sub = pc.equilibrium_index(w_pr, rho, tr.delta0[0], KB * temp, sample.eps_inf)
    ft = psig.sample_response(dr.sigma, dr.thickness, w_pr, sample, n_sub)
    s_top = dr.sigma[..., 0] * rho * 1e-9  # S/m x Ohm m: sigma / sigma_N of the top slice
    conv = psig.convolve_probe(
        tr.time, psig.measured_signal(params.observable, ft, s_top), params.probe_duration
    )
    return conv, list(dr.traces)


def _dataset(params, numerics, delays, shape, sig, deep, traces, ref) -> xr.Dataset:
    """Assemble the (temperature, fluence, probe_energy, time) dataset."""
    w_pr = probe_energies(params, numerics)
    n_t, n_w = len(delays), len(w_pr)

    def grid(x: list) -> np.ndarray:  # runs of (n_t, n_w) -> (T, F, w, t)
        return np.moveaxis(np.array(x).reshape(*shape, n_t, n_w), -1, -2)

    units, long_name = QUANTITY_UNITS[params.observable]
    d4 = ("temperature", "fluence", "probe_energy", "time")
    d3 = ("temperature", "fluence", "time")
    tail = params.reheating_tail_amplitude > 0
    data = {}
    for form, suffix, label in (("mattis-bardeen", "", ""), ("nam", "_nam", " (Nam form)")):
        if form not in sig:
            continue
        if len(sig) == 1:
            suffix = label = ""
        s = sig[form]
        shown = f"{long_name}{label}, probe-convolved" + (" + reheating tail" if tail else "")
        data[f"signal{suffix}"] = _var(d4, grid(s["conv"]), units, shown)
        data[f"signal_raw{suffix}"] = _var(
            d4, grid(s["raw"]), units, f"{long_name}{label} before the probe convolution"
        )
        if tail:
            data[f"signal_no_tail{suffix}"] = _var(
                d4, grid(s["bare"]), units, f"{long_name}{label}, probe-convolved, no tail"
            )
        norm = "sigma_0" if form == "nam" else "sigma_N"
        sigma = grid(s["sigma"])
        data[f"sigma1{suffix}"] = _var(d4, sigma.real, "1", f"sigma_1 / {norm}{label}")
        data[f"sigma2{suffix}"] = _var(d4, sigma.imag, "1", f"sigma_2 / {norm}{label}")
        data[f"reflectance{suffix}"] = _var(
            d4, grid(s["reflectance"]), "1", f"reflectance R of the sample{label}"
        )
        if form in ref:
            at = f"equilibrium at {float(params.reference_temperature):g} K{label}"
            data[f"sigma1_reference{suffix}"] = _var(
                ("probe_energy",), ref[form]["sigma"].real, "1", f"sigma_1 / {norm}, {at}"
            )
            data[f"sigma2_reference{suffix}"] = _var(
                ("probe_energy",), ref[form]["sigma"].imag, "1", f"sigma_2 / {norm}, {at}"
            )
    data["delta0"] = _var(
        d3, np.array([t.delta0 for t in traces]).reshape(*shape, n_t), "meV", "Delta_0"
    )
    if deep:
        data["signal_depth_resolved"] = _var(
            d4, grid(deep), units, f"{long_name} of the depth-resolved film, probe-convolved"
        )
    for key, (_, arr, attrs) in _budget_vars(traces, ("run", "time")).items():
        data[key] = (d3, np.asarray(arr).reshape(*shape, n_t), attrs)
    return xr.Dataset(
        data,
        coords={
            "temperature": _var(("temperature",), params.temperature, "K", "bath temperature"),
            "fluence": _var(("fluence",), params.fluence, "mJ/cm^2", "incident fluence F_0"),
            "probe_energy": _var(("probe_energy",), w_pr, "meV", "probe photon energy"),
            "time": _var(("time",), delays, "ps", "pump-probe delay"),
        },
        attrs={"observable": params.observable, "geometry": params.geometry},
    )


GENERIC_MODEL = ModelSpec(
    name="pump-probe",
    paper="001",
    description=(
        "pump-probe trace (dR/R, dT/T, sigma_1,2, penetration depth) of any material card: "
        "kinetics, Mattis-Bardeen or Nam conductivity, film/thick/stack optics, probe"
    ),
    params=PumpProbeParams,
    numerics=PumpProbeNumerics,
    run=run_generic,
    plan=plan_generic,
    plot=plot_generic,
    check=_check,
    summarize_sweep=summarize_generic_sweep,
    plot_sweep=plot_generic_sweep,
)


MODELS = [GENERIC_MODEL]
