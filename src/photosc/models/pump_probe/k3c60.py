"""sigma_1, sigma_2, R(omega) through the K3C60 photo-induced state (beyond paper 001's figures).

The chain of :mod:`photosc.pipeline` for K3C60 (SI Table 1): the pumped surface layer and
the depth-resolved film, Mattis-Bardeen and Nam forms, beside equilibrium
superconducting K3C60 as the gapped reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from photosc.cores import optics
from photosc.foundation.units import KB, quantity
from photosc.models._base import ModelOutput, ModelSpec, Params
from photosc.models.pump_probe import _common
from photosc.models.pump_probe._common import (
    _budget_summary,
    _budget_vars,
    _NamNumerics,
    _slope,
    _spectrum,
    _uses,
    _var,
    equilibrium_gap_table,
)
from photosc.models.pump_probe.figures import plot_k3c60
from photosc.pipeline.conductivity import (
    nam_gap_function,
    probe_conductivity,
    probe_conductivity_nam,
)
from photosc.pipeline.kinetics import (
    KineticTrace,
)
from photosc.pipeline.kinetics import (
    select_rows as _rows,
)
from photosc.pipeline.sample import DepthResolved, pump_absorption


# --------------------------------------------------------------------------------------
# photoinduced-optics-k3c60
class PhotoinducedOpticsParams(Params):
    """sigma(omega), R(omega) of pumped K3C60 at several delays (beyond paper 001's figures)."""

    temperature: quantity("K", gt=0) = Field("30 K", description="temperature (T_c0 = 15 K)")
    fluence: quantity("mJ/cm^2", gt=0) = Field("5 mJ/cm^2", description="F_0, mJ/cm^2")
    pump_photon_energy: quantity("meV", gt=0) = Field("170 meV", description="omega_pump")
    pump_duration: quantity("ps", gt=0) = Field("0.3 ps", description="tau_pump (FWHM), ps")
    tau_esc: quantity("ps", gt=0) = Field("500 ps", description="phonon escape time, ps")
    delays: list[float] = Field(
        [-1.0, 0.3, 0.6, 1.0, 2.0], min_length=1, description="delays of the spectra, ps"
    )
    omega_min: quantity("meV", gt=0) = Field("2 meV", description="lowest probe energy")
    omega_max: quantity("meV", gt=0) = Field("100 meV", description="highest probe energy")
    film_thickness: quantity("nm", gt=0) = Field(
        "600 nm", description="pumped region sliced in the depth-resolved film, nm"
    )
    n_ambient: float = Field(1.0, gt=0, description="ambient index")
    reference_temperature: quantity("K", gt=0) = Field(
        "5 K",
        description="equilibrium superconducting K3C60 (T < T_c0) shown for comparison, K",
    )
    scattering_rate: quantity("meV", gt=0) = Field(
        "270 meV",
        description=(
            "impurity scattering rate Gamma = hbar/tau of the Nam conductivity, meV; a "
            "dirty-limit choice (not in SI Table 1): Gamma = eps_0 hbar omega_p^2 rho_N "
            "with rho_N of SI Table 1 and an assumed hbar omega_p = 1 eV (the order of "
            "K3C60's Drude plasma energy); Gamma / 2 Delta_0 ~ 50"
        ),
    )

    @model_validator(mode="after")
    def _check(self) -> PhotoinducedOpticsParams:
        if not self.omega_max > self.omega_min:
            raise ValueError(
                f"omega_max ({self.omega_max} meV) must exceed omega_min ({self.omega_min} meV)"
            )
        d = self.delays
        if any(b <= a for a, b in zip(d, d[1:])):
            raise ValueError(f"delays must be strictly increasing (ps), got {d}")
        if d[0] < -10:
            raise ValueError(f"delays must be >= -10 ps, got {d[0]}")
        return self


class PhotoinducedOpticsNumerics(_NamNumerics):
    """Numerics (K3C60).

    ``conductivity`` defaults to "both": sigma_1, sigma_2 and R(omega) from
    Mattis-Bardeen with Delta_0(t) (primary variables and checks) and from the Nam form
    with the full Eliashberg Delta(omega, t), Z(omega, t) beside them (``*_nam``). The
    Nam form also carries what Mattis-Bardeen leaves out in the normal state: the Drude
    roll-off Gamma / (Gamma - i w) and the Holstein (phonon-assisted) absorption of Z.
    """

    grid_step: quantity("meV", gt=0) = Field("0.25 meV", description="grid step, meV")
    e_max: quantity("meV", gt=0) = Field("600 meV", description="quasi-particle grid end")
    n_omega: int = Field(60, ge=4, le=5000, description="probe energies (log-spaced)")
    n_slices: int = Field(3, ge=1, le=64, description="slices of the depth-resolved film")
    depth_resolved: bool = Field(True, description="also compute the depth-resolved film")
    workers: int = Field(
        0,
        ge=0,
        le=1024,
        description=(
            "worker processes for the slices' kinetics (0: all cores, at most n_slices; "
            "1: sequential, in-process; inside a sweep worker always in-process)"
        ),
    )
    scheduler: str = Field(
        "", description="Dask scheduler address for the slices (tcp://host:port); empty: local"
    )


#: Largest Eliashberg grid step (meV) of the equilibrium K3C60 reference of
#: photoinduced-optics-k3c60 (a quarter of its gap or less).
REFERENCE_MAX_STEP = 0.5


def _k3c60_form(
    form: str,
    tr: KineticTrace,
    w: np.ndarray,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
) -> np.ndarray:
    """sigma / sigma_N (MB) or sigma / sigma_0 (Nam) of every recorded state, (n_t, n_w)."""
    bp = (params.pump_photon_energy, 2 * params.pump_photon_energy)
    if form == "nam":
        return probe_conductivity_nam(
            tr, w, params.scattering_rate, numerics.n_quad_nam, bp, energy_max=None
        )
    return probe_conductivity(tr, w, numerics.n_quad, bp)


def _reference_k3c60(
    form: str,
    w: np.ndarray,
    table: tuple,
    kt: float,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
) -> np.ndarray:
    """Equilibrium sigma of K3C60 at ``reference_temperature``: Mattis-Bardeen with the
    gap edge, or Nam with the thermal Eliashberg Delta(omega), Z(omega) (``table``,
    solved with a step of at most ``REFERENCE_MAX_STEP``)."""
    energy, delta, z, d_ref = table
    occ = optics.thermal_occupation(kt)
    if form == "nam":
        e_max = max(float(energy[-1]), numerics.e_max, float(w.max()) + 60 * kt)
        gap = nam_gap_function(energy, delta, z, d_ref, e_max)
        return optics.nam_conductivity(
            w, gap, occ, params.scattering_rate, energy_max=e_max, n_quad=numerics.n_quad_nam
        )
    if d_ref <= 0:
        return np.ones(w.shape, dtype=complex)
    return optics.mattis_bardeen(
        w, d_ref, occ, energy_max=float(w.max()) + d_ref + 60 * kt, n_quad=numerics.n_quad
    )


def run_k3c60(
    params: PhotoinducedOpticsParams, numerics: PhotoinducedOpticsNumerics
) -> ModelOutput:
    """Gapped sigma_1, 1/omega-like sigma_2 and R(omega) through the photo-induced state.

    Single layer: the whole sample has the pumped state of the surface energy
    density F_0 chi / delta_pump. Depth-resolved: ``n_slices`` slices of the top
    ``film_thickness`` nm, each pumped by its absorbed share (layer_absorptance), on
    unpumped K3C60. R(omega) of both at every delay. The conductivity is Mattis-Bardeen
    with Delta_0(t) and/or the Nam form with the full Delta(omega, t), Z(omega, t) of
    the kinetics (``numerics.conductivity``; "both": Mattis-Bardeen primary, Nam as
    ``*_nam``). The unpumped material below the pumped region has the conductivity of
    the recorded pre-pump state in the same form.

    Returns
    -------
    ModelOutput
        Dataset over (delay, omega): ``sigma1``, ``sigma2`` (sigma/sigma_N; Nam:
        sigma/sigma_0), ``reflectance`` (single layer), ``reflectance_depth_resolved``,
        ``delta0`` (single layer, per delay, meV), the equilibrium reference
        ``sigma1_reference``, ``sigma2_reference`` and, with "both", the same with
        suffix ``_nam``. Summary: ``max_delta0_meV``, ``delay_of_max_gap_ps``,
        ``sigma1_min_below_gap``, ``sigma2_slope_below_gap`` (d ln sigma_2 / d ln omega
        over 0.05-1 Delta_0 at the largest gap, -1 for a superfluid; 0 without gap),
        the same slope ``reference_sigma2_slope_below_gap`` of equilibrium K3C60 at
        ``reference_temperature``, ``max_reflectance_change``,
        ``max_depth_resolved_difference`` (|R_single - R_depth|), ... and, with "both",
        ``nam_max_difference_sigma1``, ``nam_max_difference_sigma2`` (max over delays and
        omega of |Nam - MB|, in units of sigma_N), ``nam_max_reflectance_difference``,
        ``nam_max_reflectance_change``, ``reference_nam_sigma2_slope_below_gap`` and
        ``reference_nam_over_mb_superfluid_weight`` (omega sigma_2 at 0.05 Delta_0, Nam
        over Mattis-Bardeen: the strong-coupling change of the superfluid weight).
        Energy budget of the surface layer's kinetics over ``time`` (its record times:
        the spectra's delays and one before the pump): ``energy_absorbed``,
        ``energy_exchanged``, ``energy_gap_work``, ``energy_stored``,
        ``energy_budget_error`` (meV/nm^3), ``pairing_eigenvalue`` where provided;
        summary ``energy_budget_error`` (largest over the surface layer and the
        slices), ``slice_energy_budget_error`` (per slice), ``pairing_eigenvalue_max``
        and ``pairing_eigenvalue_max_time_ps`` where provided.
    """
    p = params
    chi, d_pump, delays = _k3c60_pump(p)
    tr = _k3c60_surface(p, numerics, chi, d_pump, delays)
    w = np.geomspace(p.omega_min, p.omega_max, numerics.n_omega)
    dr = _k3c60_slices(p, numerics, delays, w) if numerics.depth_resolved else None
    # the reference is an equilibrium solve, independent of the kinetics: on a grid that
    # resolves its gap (Delta_0(5 K) ~ 2.4 meV) -- with a 2 meV step the one Eliashberg
    # cell below the gap edge makes the Nam sigma_2 negative below the gap
    table_ref = equilibrium_gap_table(
        "K3C60", p.reference_temperature, min(numerics.grid_step, REFERENCE_MAX_STEP)
    )
    # the largest gap edge over the spectra's delays
    keep = np.isin(delays, np.asarray(p.delays, dtype=float))
    g_k = tr.delta0[keep]
    i_max = int(np.argmax(g_k))
    forms = [f for f in ("mattis-bardeen", "nam") if _uses(numerics, f)]
    run = _K3C60Optics(
        tr=tr,
        dr=dr,
        w=w,
        keep=keep,
        i_max=i_max,
        row=int(np.nonzero(keep)[0][i_max]),
        dmax=float(g_k[i_max]),
        table_ref=table_ref,
        kt_ref=p.reference_temperature * KB,
        forms=forms,
        suffix={forms[0]: "", **({"nam": "_nam"} if len(forms) == 2 else {})},
    )
    summary = _k3c60_gap_summary(run, p, chi, d_pump)
    ds_vars: dict[str, Any] = {}
    # per conductivity form: sigma and R (single layer, film), the reference, below the gap
    res = {form: _k3c60_form_optics(form, run, p, numerics, ds_vars, summary) for form in forms}
    if len(forms) == 2:
        summary.update(_k3c60_nam_vs_mb(res, p.scattering_rate))
    _k3c60_gaps_and_budget(run, ds_vars, summary)
    ds = _k3c60_dataset(ds_vars, run, p, numerics, delays)
    return ModelOutput(dataset=ds, summary=summary)


@dataclass
class _K3C60Optics:
    """What the optics of :func:`run_k3c60` read, besides the parameters.

    ``tr``: the surface layer's kinetics; ``dr``: the depth-resolved film (None without);
    ``w``: (n_w,) probe energies, meV; ``keep``: rows of ``tr`` at the spectra's delays;
    ``i_max``: index among those of the largest gap edge ``dmax`` (meV), ``row`` its row
    in ``tr``; ``table_ref``: the equilibrium Eliashberg (energy, Delta, Z, Delta_0) at
    ``reference_temperature``, ``kt_ref`` (meV); ``forms``: the conductivity forms,
    primary first, and ``suffix`` the names' suffix of each ("" for the primary,
    "_nam" for Nam beside Mattis-Bardeen).
    """

    tr: KineticTrace
    dr: DepthResolved | None
    w: np.ndarray
    keep: np.ndarray
    i_max: int
    row: int
    dmax: float
    table_ref: tuple
    kt_ref: float
    forms: list[str]
    suffix: dict[str, str]


def _k3c60_pump(params: PhotoinducedOpticsParams) -> tuple[float, float, np.ndarray]:
    """Calibrate the pump on a semi-infinite K3C60 sample and choose the record times.

    Parameters
    ----------
    params : PhotoinducedOpticsParams

    Returns
    -------
    chi : float
        Absorbed fraction 1 - R - T at omega_pump (:func:`pump_absorption`).
    d_pump : float, nm
        Pump penetration depth delta_pump.
    delays : (n_t,) float, ps
        The spectra's delays and one before the pump (the pre-pump state).
    """
    p = params
    rho = _spectrum("K3C60").material.rho_n_ohm_nm
    chi, _, d_pump = pump_absorption(
        p.pump_photon_energy, rho, 1e5, n_ambient=p.n_ambient, n_substrate=1.0
    )
    t_first = min(-3.0 * p.pump_duration, p.delays[0])
    delays = np.unique(np.concatenate([[t_first], np.asarray(p.delays, dtype=float)]))
    return chi, d_pump, delays


def _k3c60_surface(
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    chi: float,
    d_pump: float,
    delays: np.ndarray,
) -> KineticTrace:
    """Kinetics of the single layer in the pumped state of the surface energy density
    F_0 chi / delta_pump (:func:`run_kinetics`).

    Parameters
    ----------
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    chi : float
        Absorbed fraction at omega_pump.
    d_pump : float, nm
        Pump penetration depth delta_pump.
    delays : (n_t,) float, ps
    """
    from photosc.cores.kinetics.pump import absorbed_energy_density

    p = params
    return _common.run_kinetics(
        "K3C60",
        p.temperature,
        injection_energy=p.pump_photon_energy,
        tau_pump=p.pump_duration,
        energy_density=absorbed_energy_density(p.fluence, chi, d_pump),
        tau_esc=p.tau_esc,
        delays=delays,
        step=numerics.grid_step,
        e_max=numerics.e_max,
        rtol=numerics.rtol,
        gap_tol=numerics.gap_tol,
    )


def _k3c60_slices(
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    delays: np.ndarray,
    w: np.ndarray,
) -> DepthResolved:
    """The depth-resolved film: ``n_slices`` slices of the top ``film_thickness`` nm,
    each pumped by its absorbed share, on unpumped K3C60 (:func:`depth_resolved_film`).

    Parameters
    ----------
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    delays : (n_t,) float, ps
    w : (n_w,) float, meV
        Probe energies.
    """
    p = params
    return _common.depth_resolved_film(
        "K3C60",
        p.temperature,
        omega_pump=p.pump_photon_energy,
        injection_energy=p.pump_photon_energy,
        tau_pump=p.pump_duration,
        fluence=p.fluence,
        tau_esc=p.tau_esc,
        delays=delays,
        probe=w,
        depth=p.film_thickness,
        n_slices=numerics.n_slices,
        n_ambient=p.n_ambient,
        numerics=numerics,
    )


def _k3c60_gap_summary(
    run: _K3C60Optics, params: PhotoinducedOpticsParams, chi: float, d_pump: float
) -> dict[str, Any]:
    """The summary's head: the largest gap over the spectra's delays, whether it is
    photo-induced (above 1.05 x the equilibrium gap and 1e-3 meV), the pump numbers and
    the reference gap.

    Parameters
    ----------
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    chi : float
        Absorbed fraction at omega_pump.
    d_pump : float, nm
        Pump penetration depth delta_pump.
    """
    tr, dmax = run.tr, run.dmax
    return {
        "max_delta0_meV": dmax,
        "delay_of_max_gap_ps": float(np.asarray(params.delays)[run.i_max]),
        "equilibrium_delta0_meV": float(tr.delta0[0]),
        "photoinduced_gap": bool(dmax > max(1e-3, 1.05 * float(tr.delta0[0]))),
        "absorbed_fraction": chi,
        "pump_penetration_depth_nm": d_pump,
        "reference_delta0_meV": run.table_ref[3],
        "conductivity_form": run.forms[0],
    }


def _k3c60_reflectance(
    form: str,
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    ds_vars: dict[str, Any],
    summary: dict[str, Any],
) -> dict[str, Any]:
    """sigma(omega, t) of the surface layer in one form and R(omega, t) of the single
    layer and of the depth-resolved film, each on the unpumped material below (the
    recorded pre-pump state, same form).

    Adds ``max_reflectance_change`` (and, with the film, ``reflectance_depth_resolved``
    and ``max_depth_resolved_difference``), suffixed per form, to ``summary`` and
    ``ds_vars``.

    Parameters
    ----------
    form : str
        "mattis-bardeen" or "nam".
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    ds_vars, summary : dict
        Filled in place.

    Returns
    -------
    dict
        ``s_k`` (n_delay, n_w) complex sigma/sigma_N (Nam: sigma/sigma_0) and ``r_k``
        (n_delay, n_w) reflectance of the single layer at the spectra's delays.
    """
    p, tr, w, keep, dr = params, run.tr, run.w, run.keep, run.dr
    rho = _spectrum("K3C60").material.rho_n_ohm_nm
    x = run.suffix[form]
    label = " (Nam form)" if form == "nam" else ""
    s = _k3c60_form(form, tr, w, p, numerics)
    sig = optics.conductivity_si(s, rho)
    # the unpumped material below: the recorded pre-pump state, same form
    n_sub = optics.complex_index(sig[0], w)
    single = optics.film_trace(
        sig[..., None], w, [p.film_thickness], n_ambient=p.n_ambient, n_substrate=n_sub
    )
    s_k = s[keep]
    r_k = single.reflectance[keep]
    summary["max_reflectance_change" + x] = float(np.max(np.abs(r_k - single.reflectance[0])))
    if dr is not None:
        if form == "nam":
            sig_sl = np.stack(
                [
                    optics.conductivity_si(_k3c60_form(form, t, w, p, numerics), rho)
                    for t in dr.traces
                ],
                axis=-1,
            )
        else:
            sig_sl = dr.sigma
        graded = optics.film_trace(
            sig_sl, w, dr.thickness, n_ambient=p.n_ambient, n_substrate=n_sub
        )
        r_dr = graded.reflectance[keep]
        ds_vars["reflectance_depth_resolved" + x] = _var(
            ("delay", "omega"), r_dr, "1", "reflectance, depth-resolved film" + label
        )
        summary["max_depth_resolved_difference" + x] = float(np.max(np.abs(r_dr - r_k)))
    return {"s_k": s_k, "r_k": r_k}


def _k3c60_reference(
    form: str,
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    ds_vars: dict[str, Any],
    summary: dict[str, Any],
) -> dict[str, Any]:
    """The equilibrium reference in one form: superconducting K3C60 below T_c0 at
    ``reference_temperature`` (what a gapped state looks like in these optics:
    sigma_1 = 0 below 2 Delta at T -> 0, sigma_2 ~ 1/omega; :func:`_reference_k3c60`).

    Adds ``reference_sigma2_slope_below_gap`` (d ln sigma_2 / d ln omega over
    0.05-1 Delta_0; 0 without gap), ``sigma1_reference`` and ``sigma2_reference``,
    suffixed per form, to ``summary`` and ``ds_vars``.

    Parameters
    ----------
    form : str
        "mattis-bardeen" or "nam".
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    ds_vars, summary : dict
        Filled in place.

    Returns
    -------
    dict
        ``s_ref`` (n_w,) complex and, with a reference gap, ``weight_ref``: omega
        sigma_2 at 0.05 Delta_0 (the superfluid weight).
    """
    p, w, table_ref, kt_ref = params, run.w, run.table_ref, run.kt_ref
    x = run.suffix[form]
    label = " (Nam form)" if form == "nam" else ""
    d_ref = table_ref[3]
    s_ref = _reference_k3c60(form, w, table_ref, kt_ref, p, numerics)
    out: dict[str, Any] = {"s_ref": s_ref}
    summary["reference_sigma2_slope_below_gap" + x] = 0.0
    if d_ref > 0:
        w_fit = np.geomspace(0.05 * d_ref, d_ref, 16)
        s_fit = _reference_k3c60(form, w_fit, table_ref, kt_ref, p, numerics)
        summary["reference_sigma2_slope_below_gap" + x] = _slope(w_fit, s_fit.imag)
        out["weight_ref"] = float(w_fit[0] * s_fit.imag[0])
    norm = "sigma_0" if form == "nam" else "sigma_N"
    ds_vars["sigma1_reference" + x] = _var(
        ("omega",),
        s_ref.real,
        "1",
        f"sigma_1 / {norm}, equilibrium at reference_temperature{label}",
    )
    ds_vars["sigma2_reference" + x] = _var(
        ("omega",),
        s_ref.imag,
        "1",
        f"sigma_2 / {norm}, equilibrium at reference_temperature{label}",
    )
    return out


def _k3c60_below_gap(
    form: str,
    s_k: np.ndarray,
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    summary: dict[str, Any],
) -> None:
    """Below the largest photo-induced gap Delta_max, in one form: the smallest
    sigma_1 below 2 Delta_max (1 without gap) and d ln sigma_2 / d ln omega over
    0.05-1 Delta_max (-1 for a superfluid; 0 without gap), added to ``summary``.

    Parameters
    ----------
    form : str
        "mattis-bardeen" or "nam".
    s_k : (n_delay, n_w) complex
        sigma of the surface layer at the spectra's delays (:func:`_k3c60_reflectance`).
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    summary : dict
        Filled in place.
    """
    p, tr, w, dmax = params, run.tr, run.w, run.dmax
    x = run.suffix[form]
    w_inj = p.pump_photon_energy
    below = w < 2 * dmax
    summary["sigma1_min_below_gap" + x] = 1.0
    summary["sigma2_slope_below_gap" + x] = 0.0
    if dmax > 0:
        w_fit = np.geomspace(0.05 * dmax, dmax, 16)
        if form == "nam":
            s_fit = _k3c60_form(form, _rows(tr, [run.row]), w_fit, p, numerics)[0]
        else:
            s_fit = probe_conductivity(tr, w_fit, numerics.n_quad, (w_inj, 2 * w_inj))[run.row]
        summary["sigma2_slope_below_gap" + x] = _slope(w_fit, s_fit.imag)
        if below.any():
            summary["sigma1_min_below_gap" + x] = float(np.min(s_k[run.i_max].real[below]))


def _k3c60_form_optics(
    form: str,
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    ds_vars: dict[str, Any],
    summary: dict[str, Any],
) -> dict[str, Any]:
    """All optics of one conductivity form: R(omega, t) of the single layer and the
    film, the equilibrium reference, the below-gap measures and sigma_1, sigma_2, R at
    the spectra's delays; dataset variables and summary entries (suffixed per form)
    are added to ``ds_vars`` and ``summary``.

    Parameters
    ----------
    form : str
        "mattis-bardeen" or "nam".
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    ds_vars, summary : dict
        Filled in place.

    Returns
    -------
    dict
        ``s_k``, ``r_k`` (:func:`_k3c60_reflectance`), ``s_ref`` and ``weight_ref``
        (:func:`_k3c60_reference`), for the Nam - Mattis-Bardeen comparison.
    """
    x = run.suffix[form]
    label = " (Nam form)" if form == "nam" else ""
    norm = "sigma_0" if form == "nam" else "sigma_N"
    out = _k3c60_reflectance(form, run, params, numerics, ds_vars, summary)
    out.update(_k3c60_reference(form, run, params, numerics, ds_vars, summary))
    s_k, r_k = out["s_k"], out["r_k"]
    _k3c60_below_gap(form, s_k, run, params, numerics, summary)
    ds_vars.update(
        {
            "sigma1" + x: _var(("delay", "omega"), s_k.real, "1", f"sigma_1 / {norm}{label}"),
            "sigma2" + x: _var(("delay", "omega"), s_k.imag, "1", f"sigma_2 / {norm}{label}"),
            "reflectance" + x: _var(
                ("delay", "omega"), r_k, "1", "reflectance, single layer" + label
            ),
        }
    )
    return out


def _k3c60_nam_vs_mb(res: dict[str, dict[str, Any]], scattering_rate: float) -> dict[str, Any]:
    """Nam against Mattis-Bardeen (with "both"): the largest |Nam - MB| of sigma_1,
    sigma_2 (units of sigma_N) and R over delays and omega, and the Nam over MB
    superfluid weight of the reference.

    Parameters
    ----------
    res : dict
        Per form, the output of :func:`_k3c60_form_optics`.
    scattering_rate : float, meV
        Impurity rate Gamma of the Nam form (reported).
    """
    a, b = res["nam"], res["mattis-bardeen"]
    out = {
        "nam_max_difference_sigma1": float(np.max(np.abs(a["s_k"].real - b["s_k"].real))),
        "nam_max_difference_sigma2": float(np.max(np.abs(a["s_k"].imag - b["s_k"].imag))),
        "nam_max_reflectance_difference": float(np.max(np.abs(a["r_k"] - b["r_k"]))),
        "scattering_rate_meV": scattering_rate,
    }
    if "weight_ref" in a and "weight_ref" in b:
        out["reference_nam_over_mb_superfluid_weight"] = a["weight_ref"] / b["weight_ref"]
    return out


def _k3c60_gaps_and_budget(
    run: _K3C60Optics, ds_vars: dict[str, Any], summary: dict[str, Any]
) -> None:
    """Gap edges and energy budgets of the surface layer and, with the film, of the
    slices (with their pump energy densities), added to ``ds_vars`` and ``summary``.

    Parameters
    ----------
    run : _K3C60Optics
    ds_vars, summary : dict
        Filled in place.
    """
    tr, dr, keep = run.tr, run.dr, run.keep
    if dr is not None:
        ds_vars["slice_delta0"] = _var(
            ("delay", "slice"), dr.delta0[keep], "meV", "gap edge per slice"
        )
        ds_vars["slice_energy_density"] = _var(
            ("slice",), dr.energy_density, "meV/nm^3", "pump energy density per slice"
        )
        summary["slice_max_delta0_meV"] = [float(v) for v in np.max(dr.delta0, axis=0)]
        summary["slice_energy_density_meV_per_nm3"] = [float(v) for v in dr.energy_density]
    ds_vars["delta0"] = _var(("delay",), tr.delta0[keep], "meV", "gap edge Delta_0 (surface layer)")
    ds_vars.update(_budget_vars([tr], ("time",)))
    slices = dr.traces if dr is not None else []
    summary.update(_budget_summary([tr], extra=slices))
    if slices:
        summary["slice_energy_budget_error"] = [float(t.energy_budget_error) for t in slices]


def _k3c60_dataset(
    ds_vars: dict[str, Any],
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    delays: np.ndarray,
) -> xr.Dataset:
    """Assemble the dataset of :func:`run_k3c60` from ``ds_vars`` on the (delay, omega)
    spectra, the kinetics' record times and, with the film, the slices.

    Parameters
    ----------
    ds_vars : dict
        The variables (:func:`_var` tuples).
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    delays : (n_t,) float, ps
        Record times of the surface layer's kinetics.
    """
    p = params
    coords = {
        "delay": _var(("delay",), np.asarray(p.delays, dtype=float), "ps", "pump-probe delay"),
        "omega": _var(("omega",), run.w, "meV", "probe photon energy"),
        "time": _var(("time",), delays, "ps", "record times of the kinetics (surface layer)"),
    }
    if run.dr is not None:
        coords["slice"] = _var(
            ("slice",),
            np.arange(numerics.n_slices, dtype=float),
            "1",
            "slice index from the surface",
        )
    return xr.Dataset(
        ds_vars,
        coords=coords,
        attrs={
            "model": "photoinduced-optics-k3c60",
            "conductivity": numerics.conductivity,
            "scattering_rate_meV": p.scattering_rate,
        },
    )


K3C60_MODEL = ModelSpec(
    name="photoinduced-optics-k3c60",
    paper="001",
    description=(
        "sigma_1, sigma_2, R(omega) through the K3C60 photo-induced state, single layer "
        "and depth-resolved film"
    ),
    params=PhotoinducedOpticsParams,
    numerics=PhotoinducedOpticsNumerics,
    run=run_k3c60,
    plot=plot_k3c60,
)
