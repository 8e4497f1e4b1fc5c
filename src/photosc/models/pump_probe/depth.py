"""Probe versus pump penetration depth in pumped LaH10 and K3C60 (paper 001 SI IV, SI Fig. 7).

The chain of :mod:`photosc.pipeline` up to the penetration depth c / (2 omega Im n)
(SI Eq. 14) of the pumped state at the probe and of the equilibrium state at the pump.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field

from photosc.cores import optics
from photosc.foundation.units import quantity
from photosc.models._base import ModelOutput, ModelSpec, Numerics, Params
from photosc.models.pump_probe import _common
from photosc.models.pump_probe._common import (
    Conductivity,
    _budget_summary,
    _budget_vars,
    _delays,
    _Kin,
    _spectrum,
    _uses,
    _var,
)
from photosc.models.pump_probe.figures import plot_depth
from photosc.pipeline.conductivity import (
    probe_conductivity,
    probe_conductivity_nam,
)
from photosc.pipeline.sample import pump_absorption


# --------------------------------------------------------------------------------------
# penetration-depth (SI Fig. 7)
class PenetrationDepthParams(Params):
    """Probe vs pump penetration depth in LaH10 and K3C60 (paper 001 SI IV, SI Fig. 7)."""

    lah10_temperature: quantity("K", gt=0) = Field("77 K", description="LaH10 temperature")
    lah10_fluence: quantity("mJ/cm^2", gt=0) = Field("6.2 mJ/cm^2", description="LaH10 F_0")
    lah10_tau_esc: quantity("fs", gt=0) = Field("500 fs", description="LaH10 tau_esc, fs")
    lah10_pump: quantity("meV", gt=0) = Field("2000 meV", description="LaH10 omega_pump")
    lah10_probe: quantity("meV", gt=0) = Field("1500 meV", description="LaH10 omega_pr")
    lah10_pump_duration: quantity("fs", gt=0) = Field("70 fs", description="LaH10 tau_pump")
    lah10_injection_energy: quantity("meV", ge=0) = Field(
        "0 meV", description="LaH10 kinetic photon energy, meV (0: lah10_pump)"
    )
    lah10_t_end: quantity("ps", gt=0) = Field("3 ps", description="LaH10 last delay, ps")
    k3c60_temperature: quantity("K", gt=0) = Field("30 K", description="K3C60 temperature")
    k3c60_fluence: quantity("mJ/cm^2", gt=0) = Field("5 mJ/cm^2", description="K3C60 F_0")
    k3c60_tau_esc: quantity("ps", gt=0) = Field("500 ps", description="K3C60 tau_esc, ps")
    k3c60_pump: quantity("meV", gt=0) = Field("170 meV", description="K3C60 omega_pump")
    k3c60_probe: quantity("meV", gt=0) = Field("10 meV", description="K3C60 omega_pr")
    k3c60_pump_duration: quantity("ps", gt=0) = Field("0.3 ps", description="K3C60 tau_pump")
    k3c60_t_end: quantity("ps", gt=0) = Field("3 ps", description="K3C60 last delay, ps")
    k3c60_scattering_rate: quantity("meV", gt=0) = Field(
        "270 meV",
        description=(
            "K3C60 impurity scattering rate Gamma = hbar/tau of the Nam conductivity, meV "
            "(as photoinduced-optics-k3c60: eps_0 hbar omega_p^2 rho_N, assumed "
            "hbar omega_p = 1 eV)"
        ),
    )


class PenetrationDepthNumerics(Numerics):
    """Kinetic grids for the two materials and the K3C60 probe conductivity form.

    ``conductivity`` (K3C60 only) defaults to "both": the primary ``k3c60_*`` results
    are Mattis-Bardeen with Delta_0(t) (the dirty-limit form of the paper's Kubo
    formula, refs. 42-43, as in the other paper-001 optics scenarios), and the Nam
    form with the recorded Eliashberg Delta(omega, t), Z(omega, t) is computed beside
    it (``k3c60_*_nam``). Both are needed at the 10 meV probe: it lies near the gap
    scale, where the strong-coupling Z(omega) matters, and in the hot normal state the
    kinetics gives (no photo-induced gap at 30 K) Mattis-Bardeen, like Drude, does not
    depend on the distribution at all, while the Nam form's Holstein (phonon-assisted)
    absorption does; keeping both shows which physics carries delta_probe(t). The Nam
    evaluation costs milliseconds per delay. LaH10 always uses Mattis-Bardeen: its
    1.5 eV probe is far above 2 Delta_0 ~ 0.1 eV, where both forms give
    sigma = sigma_N to O((Delta/omega)^2) and Nam would add only the normal-state
    Drude roll-off of the equilibrium index (as in pump-probe-lah10).
    """

    lah10_grid_step: quantity("meV", gt=0) = Field("2 meV", description="LaH10 grid step")
    lah10_e_max: quantity("meV", gt=0) = Field("600 meV", description="LaH10 grid end")
    k3c60_grid_step: quantity("meV", gt=0) = Field("0.25 meV", description="K3C60 grid step")
    k3c60_e_max: quantity("meV", gt=0) = Field("600 meV", description="K3C60 grid end")
    rtol: float = Field(1e-3, gt=0, lt=1, description="relative tolerance of the integrator")
    gap_tol: float = Field(1e-6, gt=0, lt=1, description="gap-update tolerance")
    n_times: int = Field(40, ge=12, le=5000, description="recorded delays per material")
    n_quad: int = Field(64, ge=16, le=2048, description="Gauss nodes per Mattis-Bardeen panel")
    conductivity: Conductivity = Field(
        "both",
        description=(
            "K3C60 probe conductivity: 'mattis-bardeen', 'nam' (full Eliashberg "
            "Delta(omega, t), Z(omega, t), impurity rate k3c60_scattering_rate) or 'both' "
            "(primary k3c60_* from Mattis-Bardeen, k3c60_*_nam beside); LaH10 always "
            "Mattis-Bardeen"
        ),
    )
    n_quad_nam: int = Field(192, ge=16, le=4096, description="Gauss nodes per Nam panel")


def _kin(step: float, e_max: float, num: PenetrationDepthNumerics) -> _Kin:
    return _Kin(
        grid_step=step,
        e_max=e_max,
        rtol=num.rtol,
        gap_tol=num.gap_tol,
        n_times=num.n_times,
        n_quad=num.n_quad,
    )


def _depths(
    material: str,
    temperature: float,
    pump: float,
    probe: float,
    inj: float,
    tau_p: float,
    fluence: float,
    tau_esc: float,
    t_end: float,
    kin: _Kin,
    forms: tuple[str, ...] = ("mattis-bardeen",),
    scattering_rate: float = 0.0,
    n_quad_nam: int = 192,
) -> dict[str, Any]:
    """delta_pump (equilibrium), delta_probe(t) of the pumped surface layer (SI Eq. 14).

    Parameters
    ----------
    material : str
        Built-in spectrum (SI Table 1).
    temperature : float, K
    pump, probe : float, meV
        Photon energies.
    inj : float, meV
        Photon energy of the kinetic drive.
    tau_p : float, ps
        Pump FWHM.
    fluence : float, mJ/cm^2
    tau_esc : float, ps
    t_end : float, ps
        Last delay.
    kin : _Kin
        Kinetic numerics.
    forms : tuple of str
        Conductivity forms, "mattis-bardeen" and/or "nam".
    scattering_rate : float, meV
        Impurity rate Gamma of the Nam form.
    n_quad_nam : int
        Gauss nodes per Nam panel.

    Returns
    -------
    dict
        ``time`` (n_t,) ps, ``trace``, and per form: ``delta_probe`` (n_t,) nm and
        ``delta_pump`` (equilibrium, at omega_pump), nm, under ``result[form]``.
    """
    from photosc.cores.kinetics.pump import absorbed_energy_density

    sp = _spectrum(material)
    rho = sp.material.rho_n_ohm_nm
    chi, _, d_pump = pump_absorption(pump, rho, 1e5)  # semi-infinite sample in vacuum
    delays = _delays(tau_p, t_end, kin.n_times, min(1.0, t_end / 3))
    tr = _common.run_kinetics(
        material,
        temperature,
        injection_energy=inj,
        tau_pump=tau_p,
        energy_density=absorbed_energy_density(fluence, chi, d_pump),
        tau_esc=tau_esc,
        delays=delays,
        step=kin.grid_step,
        e_max=kin.e_max,
        rtol=kin.rtol,
        gap_tol=kin.gap_tol,
    )
    # probe at every delay; pump depth of the pre-pump (equilibrium) state, same form
    w = np.array([probe, pump])
    out: dict[str, Any] = {"time": tr.time, "trace": tr}
    for form in forms:
        if form == "nam":
            s = probe_conductivity_nam(tr, w, scattering_rate, n_quad_nam, (inj, 2 * inj))
        else:
            s = probe_conductivity(tr, w, kin.n_quad, (inj, 2 * inj))
        idx = optics.complex_index(optics.conductivity_si(s, rho), w[None, :])
        d = optics.penetration_depth(idx, w[None, :])
        out[form] = {"delta_probe": d[:, 0], "delta_pump": float(d[0, 1])}
    return out


def run_depth(params: PenetrationDepthParams, numerics: PenetrationDepthNumerics) -> ModelOutput:
    """delta_probe(t) against delta_pump(t = 0) for LaH10 and K3C60 (SI Fig. 7a, b).

    delta = c / (2 omega Im n) (SI Eq. 14) of the pumped surface layer's conductivity:
    LaH10 with Mattis-Bardeen, K3C60 with the form(s) of ``numerics.conductivity``
    (Mattis-Bardeen with Delta_0(t) and/or the Nam form with the recorded Delta(omega, t),
    Z(omega, t) and ``k3c60_scattering_rate``; see :class:`PenetrationDepthNumerics`).

    Returns
    -------
    ModelOutput
        Dataset: ``lah10_delta_probe`` (time_lah10), ``k3c60_delta_probe`` (time_k3c60),
        the differences to the equilibrium pump depth, nm, and the gap edges, meV;
        with "both" also ``k3c60_delta_probe_nam``, ``k3c60_probe_minus_pump_nam``.
        Summary: ``lah10_delta_pump_nm``, ``lah10_delta_probe_nm`` (before the pump),
        ``lah10_probe_minus_pump_nm`` (equilibrium), ``lah10_max_variation_nm``
        (largest |delta_probe(t) - delta_probe(t<0)|), ``lah10_max_delta0_meV``,
        ``lah10_min_delta0_meV``, the same for ``k3c60_*`` (primary form), and with
        "both" ``k3c60_delta_pump_nm_nam``, ``k3c60_delta_probe_nm_nam``,
        ``k3c60_probe_minus_pump_nm_nam``, ``k3c60_max_variation_nm_nam``,
        ``k3c60_delay_of_max_variation_ps_nam``; ``k3c60_conductivity_form`` (the
        primary form) and ``k3c60_scattering_rate_meV`` when Nam is computed. Energy
        budget of each material's kinetics: dataset ``lah10_energy_absorbed``,
        ``lah10_energy_exchanged``, ``lah10_energy_gap_work``, ``lah10_energy_stored``,
        ``lah10_energy_budget_error`` (meV/nm^3, over time_lah10), the same with
        ``k3c60_`` (over time_k3c60) and ``*_pairing_eigenvalue`` where provided;
        summary ``lah10_energy_budget_error``, ``k3c60_energy_budget_error`` and
        ``energy_budget_error`` (the larger; :class:`KineticTrace`), and
        ``*_pairing_eigenvalue_max``, ``*_pairing_eigenvalue_max_time_ps`` where provided.
    """
    p = params
    la = _depths(
        "LaH10",
        p.lah10_temperature,
        p.lah10_pump,
        p.lah10_probe,
        p.lah10_injection_energy or p.lah10_pump,
        p.lah10_pump_duration / 1000.0,
        p.lah10_fluence,
        p.lah10_tau_esc / 1000.0,
        p.lah10_t_end,
        _kin(numerics.lah10_grid_step, numerics.lah10_e_max, numerics),
    )
    forms = tuple(f for f in ("mattis-bardeen", "nam") if _uses(numerics, f))
    k3 = _depths(
        "K3C60",
        p.k3c60_temperature,
        p.k3c60_pump,
        p.k3c60_probe,
        p.k3c60_pump,
        p.k3c60_pump_duration,
        p.k3c60_fluence,
        p.k3c60_tau_esc,
        p.k3c60_t_end,
        _kin(numerics.k3c60_grid_step, numerics.k3c60_e_max, numerics),
        forms=forms,
        scattering_rate=p.k3c60_scattering_rate,
        n_quad_nam=numerics.n_quad_nam,
    )
    sfx = {forms[0]: "", **({"nam": "_nam"} if len(forms) == 2 else {})}
    la_mb = la["mattis-bardeen"]
    data: dict[str, Any] = {
        "lah10_delta_probe": _var(
            ("time_lah10",), la_mb["delta_probe"], "nm", "LaH10 probe penetration depth"
        ),
        "lah10_probe_minus_pump": _var(
            ("time_lah10",),
            la_mb["delta_probe"] - la_mb["delta_pump"],
            "nm",
            "LaH10 delta_probe(t) - delta_pump(t=0)",
        ),
        "lah10_delta0": _var(("time_lah10",), la["trace"].delta0, "meV", "LaH10 gap edge"),
        "k3c60_delta0": _var(("time_k3c60",), k3["trace"].delta0, "meV", "K3C60 gap edge"),
        **_budget_vars([la["trace"]], ("time_lah10",), prefix="lah10_"),
        **_budget_vars([k3["trace"]], ("time_k3c60",), prefix="k3c60_"),
    }
    for form in forms:
        x, r = sfx[form], k3[form]
        label = " (Nam form)" if form == "nam" else ""
        data["k3c60_delta_probe" + x] = _var(
            ("time_k3c60",), r["delta_probe"], "nm", "K3C60 probe penetration depth" + label
        )
        data["k3c60_probe_minus_pump" + x] = _var(
            ("time_k3c60",),
            r["delta_probe"] - r["delta_pump"],
            "nm",
            "K3C60 delta_probe(t) - delta_pump(t=0)" + label,
        )
    ds = xr.Dataset(
        data,
        coords={
            "time_lah10": _var(("time_lah10",), la["time"], "ps", "delay (LaH10)"),
            "time_k3c60": _var(("time_k3c60",), k3["time"], "ps", "delay (K3C60)"),
        },
        attrs={
            "model": "penetration-depth",
            "k3c60_conductivity": numerics.conductivity,
            "k3c60_scattering_rate_meV": p.k3c60_scattering_rate,
        },
    )
    summary: dict[str, Any] = {}
    for key, r, form, x in (
        ("lah10", la, "mattis-bardeen", ""),
        *(("k3c60", k3, f, sfx[f]) for f in forms),
    ):
        dp, d_pump = r[form]["delta_probe"], r[form]["delta_pump"]
        var = np.abs(dp - dp[0])
        summary[f"{key}_delta_pump_nm{x}"] = float(d_pump)
        summary[f"{key}_delta_probe_nm{x}"] = float(dp[0])
        summary[f"{key}_probe_minus_pump_nm{x}"] = float(dp[0] - d_pump)
        summary[f"{key}_max_variation_nm{x}"] = float(np.max(var))
        if x:
            summary[f"{key}_delay_of_max_variation_ps{x}"] = float(r["time"][np.argmax(var)])
        else:
            summary[f"{key}_max_delta0_meV"] = float(np.max(r["trace"].delta0))
            summary[f"{key}_min_delta0_meV"] = float(np.min(r["trace"].delta0))
    summary["k3c60_conductivity_form"] = forms[0]
    if "nam" in forms:
        summary["k3c60_scattering_rate_meV"] = p.k3c60_scattering_rate
    summary.update(_budget_summary([la["trace"]], prefix="lah10_"))
    summary.update(_budget_summary([k3["trace"]], prefix="k3c60_"))
    summary["energy_budget_error"] = max(
        summary["lah10_energy_budget_error"], summary["k3c60_energy_budget_error"]
    )
    return ModelOutput(dataset=ds, summary=summary)


DEPTH_MODEL = ModelSpec(
    name="penetration-depth",
    paper="001",
    description="probe vs pump penetration depth in pumped LaH10 and K3C60 (SI Fig. 7)",
    params=PenetrationDepthParams,
    numerics=PenetrationDepthNumerics,
    run=run_depth,
    plot=plot_depth,
)
