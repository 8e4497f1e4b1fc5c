"""Quasi-particle trapping in K3C60 (paper 000, Figs. 3-4, Eqs. 4-8, 27-36).

Paper 000 (Chattopadhyay et al., npj Quantum Mater. 2025). After the driven phonon has
relaxed, the superconductor keeps a gap Delta(t) with a Bogoliubov chemical potential
lambda(t) fixed by the quasi-particle density n(t) (Eqs. 4-5, derived in Eqs. 27-31);
n grows by phonon pair breaking (Eqs. 6-7). While 2 Delta lies in the phonon gap above
the intermolecular continuum (Omega_max) only the thermally suppressed molecular modes
break pairs, in a narrow band whose Gaussian density of states suppresses nu_SC at
Omega_nu - Delta (Eqs. 8, 36): the slow regime. Once 2 Delta < Omega_max the continuum
opens and the gap collapses (avalanche). tau_MS(n0) is the time from n0 to the avalanche
threshold n_av (2 Delta = Omega_max).

``qp-trapping-k3c60``: Fig. 4 (2 Delta and tau_MS versus n0) and the Fig. 3 inset
(Delta(t)). ``qp-trapping-protocol``: the whole protocol of Fig. 3 and the Discussion:
drive U0 -> U*, hold for tau_dr, ring-down over tau_r, with the rate equation throughout;
lifetime / preparation time optimised over tau_dr.

Conventions: n is per site (nu0 times the bcs core's 4 int dxi n(E), nu0 per spin per
site); dn/dt of Eq. 6 is taken as the rate of this density, as the paper does
(tau_MS ~ n_av tau_eq). The Gaussian band of "bandwidth" W has standard deviation
sigma = W / 6 (the band edges at +-3 sigma hold 99.7 % of its states); its peak
nu0 = n_bands / (sqrt(2 pi) sigma) is also the nu(0) of Eqs. 4-5. The molecular mode's
matrix element is g_nu = g_dimensionless * Omega_nu / sqrt(2) (a one-phonon matrix element
of the vibronic coupling H = Omega g q, q = (b + b^+)/sqrt(2)).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field
from scipy.optimize import brentq

from photosc.cores import bcs, qp_rates, spectra, trapping
from photosc.foundation.units import KB, quantity
from photosc.models._base import FLOAT_BYTES, ModelOutput, ModelSpec, Numerics, Params
from photosc.models.metastability import undistorted_coupling


class K3C60TrappingParams(Params):
    """K3C60 parameters of the quasi-particle trapping mechanism (paper 000 Methods)."""

    temperature: quantity("K", gt=0) = Field("100 K", description="bath temperature")
    tc: quantity("K", gt=0) = Field("20 K", description="equilibrium T_c (fixes nu0 U0)")
    cutoff: quantity("meV", gt=0) = Field(
        "88 meV", description="pairing cutoff omega of Eqs. 4-5 (Hg(3))"
    )
    bandwidth: quantity("meV", gt=0) = Field(
        "60 meV", description="effective bandwidth W of the Gaussian band (sigma = W/6)"
    )
    n_bands: float = Field(2.0, gt=0, description="bands at the Fermi level (two t1u)")
    mode_omegas: list[float] = Field(
        [52.0, 88.0],
        description="dissipating molecular modes, meV: Hg(2), Hg(3) (Hg(1) neglected, Methods)",
    )
    mode_g_dimensionless: list[float] = Field(
        [0.86, 0.6], description="their dimensionless vibronic couplings (refs 51, 59)"
    )
    omega_max: quantity("meV", gt=0) = Field(
        "6 meV", description="upper edge of the intermolecular continuum"
    )
    lambda_continuum: float = Field(
        0.08, ge=0, le=1, description="coupling lambda of the continuum (spectra.k3c60)"
    )
    n_inset_over_n_av: float = Field(
        0.5, gt=0, lt=1, description="initial density of the Delta(t) inset, units of n_av"
    )


class TrappingNumerics(Numerics):
    """Grid of the trapping curve."""

    n_points: int = Field(60, ge=8, description="lambda grid points in the slow regime")
    n_small: float = Field(1e-4, gt=0, lt=0.1, description="smallest n0, units of n_av")
    solve_bandwidth: bool = Field(True, description="also find the W giving 20 ns at 100 K")

    memory_fields = ("n_points",)

    def estimated_bytes(self, params: Params) -> int:
        """The states and curves on the lambda grid: ~16 arrays of n_points floats."""
        return FLOAT_BYTES * 16 * self.n_points


def _sigma(params: K3C60TrappingParams, bandwidth: float | None = None) -> float:
    return (params.bandwidth if bandwidth is None else bandwidth) / 6.0


def trapping_model(
    params: K3C60TrappingParams, temperature_K: float, bandwidth: float | None = None
) -> trapping.TrappingModel:
    """The core TrappingModel for the K3C60 parameters at one temperature."""
    sigma = _sigma(params, bandwidth)
    nu0 = params.n_bands / (math.sqrt(2.0 * math.pi) * sigma)
    c0 = undistorted_coupling(params.tc, params.cutoff)
    sp = spectra.k3c60(omega_max=params.omega_max, lambda_continuum=params.lambda_continuum)
    if len(params.mode_omegas) != len(params.mode_g_dimensionless) or not params.mode_omegas:
        raise ValueError(
            f"mode_omegas {params.mode_omegas} and mode_g_dimensionless "
            f"{params.mode_g_dimensionless} must be non-empty lists of equal length"
        )
    if any(w <= 0 for w in params.mode_omegas) or any(g <= 0 for g in params.mode_g_dimensionless):
        raise ValueError("mode_omegas and mode_g_dimensionless must be > 0")
    modes = [
        qp_rates.Mode(w, g * w / math.sqrt(2.0))
        for w, g in zip(params.mode_omegas, params.mode_g_dimensionless)
    ]
    return trapping.TrappingModel(
        KB * temperature_K,
        c0,
        params.cutoff,
        nu0,
        sigma,
        modes,
        params.omega_max,
        sp.omega,
        sp.a2f,
    )


def _bandwidth_for(
    params: K3C60TrappingParams, target_ns: float, n_points: int, n_small: float
) -> float:
    """W (meV) with the most favourable lifetime ``target_ns`` at 100 K (0 if none in 20-400)."""
    states = trapping_model(params, 100.0).bcs_states(n_points, n_small)

    def f(log_w: float) -> float:
        cv = trapping_model(params, 100.0, math.exp(log_w)).curve(n_points, n_small, states)
        return math.log(cv.lifetime[0] / 1000.0) - math.log(target_ns)

    lo, hi = math.log(20.0), math.log(400.0)
    if f(lo) * f(hi) > 0:
        return 0.0
    return math.exp(brentq(f, lo, hi, xtol=1e-4))


def _run_k3c60(params: K3C60TrappingParams, numerics: TrappingNumerics) -> ModelOutput:
    model = trapping_model(params, params.temperature)
    cv = model.curve(numerics.n_points, numerics.n_small)
    # Delta(t) inset from n_inset = frac * n_av: t(n) = collapse(n_inset) - collapse(n)
    n_in = params.n_inset_over_n_av * cv.n_av
    t_in = np.interp(n_in, cv.n, cv.collapse_time)
    mask = cv.n >= n_in
    t_of = t_in - cv.collapse_time[mask]
    d_of = cv.delta[mask]
    lam_of = cv.lam[mask]
    n_of = cv.n[mask]
    others = {}
    for t_K in (100.0, 300.0):
        if abs(t_K - params.temperature) < 1e-9:
            others[t_K] = cv
        else:
            others[t_K] = trapping_model(params, t_K).curve(numerics.n_points, numerics.n_small)
    eq8 = qp_rates.eq8_rate(model.modes, model.delta0, model.kT, model.nu0, model.sigma)
    w20 = (
        _bandwidth_for(params, 20.0, numerics.n_points, numerics.n_small)
        if numerics.solve_bandwidth
        else 0.0
    )
    ds = xr.Dataset(
        {
            "delta": ("state", cv.delta, {"units": "meV", "long_name": "gap Delta"}),
            "two_delta": ("state", 2 * cv.delta, {"units": "meV", "long_name": "2 Delta"}),
            "lam": ("state", cv.lam, {"units": "meV", "long_name": "Bogoliubov lambda"}),
            "rate": ("state", cv.rate, {"units": "1/ps", "long_name": "dn/dt per site"}),
            "lifetime": (
                "state",
                cv.lifetime / 1000.0,
                {"units": "ns", "long_name": "tau_MS: time to the avalanche threshold"},
            ),
            "collapse_time": (
                "state",
                cv.collapse_time / 1000.0,
                {"units": "ns", "long_name": "time to the gap collapse"},
            ),
            "inset_delta": (
                "inset_time",
                d_of,
                {"units": "meV", "long_name": "Delta(t) after the phonon relaxed"},
            ),
            "inset_lam": (
                "inset_time",
                lam_of,
                {"units": "meV", "long_name": "lambda(t) after the phonon relaxed"},
            ),
            "inset_n": (
                "inset_time",
                n_of,
                {"units": "1", "long_name": "n(t) per site after the phonon relaxed"},
            ),
        },
        coords={
            "n": ("state", cv.n, {"units": "1", "long_name": "quasi-particle density per site"}),
            "inset_time": (
                "inset_time",
                t_of / 1000.0,
                {"units": "ns", "long_name": "time since the phonon relaxed"},
            ),
        },
    )
    summary: dict[str, Any] = {
        "lifetime_ns": float(cv.lifetime[0] / 1000.0),
        "lifetime_ns_100K": float(others[100.0].lifetime[0] / 1000.0),
        "lifetime_ns_300K": float(others[300.0].lifetime[0] / 1000.0),
        "lifetime_ratio_100K_300K": float(others[100.0].lifetime[0] / others[300.0].lifetime[0]),
        "lifetime_ns_half_n_av": float(np.interp(0.5 * cv.n_av, cv.n, cv.lifetime) / 1000.0),
        "n_av": float(cv.n_av),
        "n_av_over_nu0_meV": float(cv.n_av / model.nu0),
        "lambda_av_meV": float(cv.lam_av),
        "two_delta0_meV": float(2.0 * model.delta0),
        "two_delta_av_meV": float(2.0 * cv.delta[numerics.n_points - 1]),
        "eq8_lifetime_ns": float(cv.n_av / eq8 / 1000.0),
        "nu0_per_eV": float(model.nu0 * 1000.0),
        "mode_g_meV": float(model.modes[0].g),
        "bandwidth_for_20ns_meV": float(w20),
        "temperature_K": float(params.temperature),
    }
    return ModelOutput(ds, summary)


def _plot_k3c60(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    n = ds["n"].values
    ax.plot(n, ds["two_delta"], color="tab:orange")
    ax.set_xlabel("quasi-particle density n(0) per site")
    ax.set_ylabel(r"$2\Delta$ (meV)", color="tab:orange")
    ax.axvline(summary["n_av"], color="gray", ls=":", label="n_av")
    ax.set_xscale("log")
    ax2 = ax.twinx()
    ax2.plot(n, ds["lifetime"], color="navy")
    ax2.set_ylabel(r"$\tau_{MS}$ (ns)", color="navy")
    ax.set_title(f"T = {summary['temperature_K']:.0f} K")
    fig.tight_layout()
    fig2, bx = plt.subplots(figsize=(5, 3.5))
    bx.plot(ds["inset_time"], ds["inset_delta"])
    bx.set_xlabel("t (ns)")
    bx.set_ylabel(r"$\Delta(t)$ (meV)")
    bx.set_title("gap after the phonon relaxed (Fig. 3 inset)")
    fig2.tight_layout()
    return {"lifetime_vs_density": fig, "gap_vs_time": fig2}


# --------------------------------------------------------------------------------------
# the whole protocol (Fig. 3, Discussion)
# --------------------------------------------------------------------------------------
class ProtocolParams(K3C60TrappingParams):
    """Drive U0 -> U*, hold, ring-down (paper 000 Fig. 3 and Discussion)."""

    u_star_over_u0: float = Field(2.6, gt=1, description="U* / U0 while the phonon is held at Q*")
    ramp_time: quantity("ps", gt=0) = Field("1 ps", description="rise time of U to U*")
    ring_down_time: quantity("ps", gt=0) = Field(
        "10 ps", description="ring-down time tau_r of the Raman mode (ref 13)"
    )
    drive_times: list[float] = Field(
        [5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 640.0],
        description="hold durations tau_dr to scan, ps (> 0, ascending)",
    )


class ProtocolNumerics(TrappingNumerics):
    """Time stepping of the protocol."""

    n_steps_ramp: int = Field(40, ge=4, description="output steps during the ramp")
    ring_down_multiple: float = Field(6.0, gt=0, description="follow the ring-down for k tau_r")


class _Kinetics:
    """dn/dt under a time-dependent coupling c(t), with warm-started fixed-density solves."""

    def __init__(self, model: trapping.TrappingModel, coupling: Any) -> None:
        self.model = model
        self.coupling = coupling
        self.guess: tuple[float, float] | None = None

    def state(self, t: float, n: float) -> tuple[float, float]:
        m = self.model
        c = self.coupling(t)
        if self.guess is not None:
            try:
                d, lam = trapping.fixed_density_fast(n / m.nu0, m.kT, c, m.cutoff, self.guess)
                self.guess = (d, lam)
                return d, lam
            except Exception:  # branch lost: solve from scratch
                pass
        lam_n = trapping.normal_state_lambda(n / m.nu0, m.kT, m.cutoff)
        if lam_n >= 0 and trapping.normal_state_stable(lam_n, m.kT, c, m.cutoff):
            return 0.0, lam_n  # the normal state is the unique solution (bcs core: lam >= 0)
        st = bcs.fixed_density_state(n / m.nu0, m.kT, c, m.cutoff)
        self.guess = (st.delta, st.lam) if st.delta > 1e-3 * m.delta0 else None
        return st.delta, st.lam

    def rate(self, t: float, n: float) -> float:
        d, lam = self.state(t, n)
        return self.model.rate(d, lam)

    def integrate(
        self, t0: float, t1: float, n0: float, max_step: float, max_change: float = 0.2
    ) -> tuple[np.ndarray, np.ndarray]:
        """Exponential-Euler steps of dn/dt = R(t, n), returning t and n.

        n' = R + k (n' - n) with k = dR/dn (finite difference) is integrated exactly over a
        step, n_new = n + R (e^{k dt} - 1)/k: stable for the stiff relaxation (k << 0) when
        the continuum opens, first order in the drift; steps are halved while |dn| > 20 % n.
        """
        ts, ns = [t0], [n0]
        t, n = t0, n0
        n_top = 3.9 * self.model.cutoff * self.model.nu0
        for _ in range(100000):
            if t >= t1 * (1 - 1e-12):
                break
            r = self.rate(t, n)
            h = 1e-5 * n
            k = (self.rate(t, n + h) - r) / h
            dt = min(max_step, t1 - t)
            while True:
                dn = r * math.expm1(k * dt) / k if k < 0 else r * dt
                if abs(dn) <= max_change * n or dt < 1e-9:
                    break
                dt *= 0.5
            n = min(max(n + dn, 1e-300), n_top)
            t += dt
            ts.append(t)
            ns.append(n)
        else:
            raise RuntimeError("protocol integration: too many steps")
        return np.array(ts), np.array(ns)


def _coupling_schedule(params: ProtocolParams, c0: float, t_hold: float) -> Any:
    c_star = params.u_star_over_u0 * c0
    tr, tau_r = params.ramp_time, params.ring_down_time

    def coupling(t: float) -> float:
        if t < tr:
            s = t / tr
        elif t < tr + t_hold:
            s = 1.0
        else:
            # Q relaxes as exp(-t/tau_r); delta U ~ Q^2 for g Q << Delta_E
            s = math.exp(-2.0 * (t - tr - t_hold) / tau_r)
        return c0 + (c_star - c0) * s

    return coupling


def _run_protocol(params: ProtocolParams, numerics: ProtocolNumerics) -> ModelOutput:
    drive = np.asarray(params.drive_times, dtype=float)
    if np.any(drive <= 0) or np.any(np.diff(drive) <= 0):
        raise ValueError(f"drive_times must be > 0 and ascending, got {params.drive_times}")
    model = trapping_model(params, params.temperature)
    cv = model.curve(numerics.n_points, numerics.n_small)
    n_th = model.density(0.0, 0.0)  # the metal above T_c (lambda = 0, Delta = 0)
    tr, tau_r = params.ramp_time, params.ring_down_time
    t_down = numerics.ring_down_multiple * tau_r
    # ramp and hold are common to every tau_dr: one integration up to the longest hold
    kin = _Kinetics(model, _coupling_schedule(params, model.coupling, float(drive[-1])))
    t_a, n_a = kin.integrate(0.0, tr, n_th, tr / numerics.n_steps_ramp)
    t_b, n_b_all = kin.integrate(tr, tr + float(drive[-1]), float(n_a[-1]), float(drive[0]))
    finals = np.zeros(drive.size)
    life = np.zeros(drive.size)
    holds = np.zeros(drive.size)
    life_frozen = np.zeros(drive.size)
    n_rec = 20
    traces = np.zeros((3, drive.size, 3 * n_rec))
    for i, th in enumerate(drive):
        n_b = float(np.exp(np.interp(tr + th, t_b, np.log(n_b_all))))
        holds[i] = n_b
        # the paper's assumption: n frozen during the ring-down (n(0) = n*)
        life_frozen[i] = float(np.interp(n_b, cv.n, cv.lifetime)) if n_b < cv.n_av else 0.0
        k = _Kinetics(model, _coupling_schedule(params, model.coupling, float(th)))
        k.guess = None
        t_c, n_c = k.integrate(tr + th, tr + th + t_down, n_b, tau_r / 10.0)
        n_f = float(n_c[-1])
        finals[i] = n_f
        life[i] = float(np.interp(n_f, cv.n, cv.lifetime)) if n_f < cv.n_av else 0.0
        t = np.concatenate(
            [
                np.linspace(0.0, tr, n_rec, endpoint=False),
                np.linspace(tr, tr + th, n_rec, endpoint=False),
                np.linspace(tr + th, tr + th + t_down, n_rec),
            ]
        )
        logn = np.concatenate(
            [
                np.interp(t[:n_rec], t_a, np.log(n_a)),
                np.interp(t[n_rec : 2 * n_rec], t_b, np.log(n_b_all)),
                np.interp(t[2 * n_rec :], t_c, np.log(n_c)),
            ]
        )
        n = np.exp(logn)
        traces[0, i] = t
        traces[1, i] = n
        k.guess = None
        traces[2, i] = [k.state(float(ti), float(ni))[0] for ti, ni in zip(t, n)]
    prep = drive + tr
    ratio = life / prep
    k_opt = int(np.argmax(ratio))
    ratio_f = life_frozen / prep
    k_f = int(np.argmax(ratio_f))
    ds = xr.Dataset(
        {
            "n_final": ("drive", finals, {"units": "1", "long_name": "density after ring-down"}),
            "n_hold": (
                "drive",
                holds,
                {"units": "1", "long_name": "density at the end of the hold"},
            ),
            "lifetime_frozen": (
                "drive",
                life_frozen / 1000.0,
                {"units": "ns", "long_name": "tau_MS with n frozen during the ring-down"},
            ),
            "lifetime": ("drive", life / 1000.0, {"units": "ns", "long_name": "tau_MS"}),
            "ratio": ("drive", ratio, {"units": "1", "long_name": "tau_MS / preparation time"}),
            "n_t": (("drive", "time_index"), traces[1], {"units": "1", "long_name": "n(t)"}),
            "delta_t": (
                ("drive", "time_index"),
                traces[2],
                {"units": "meV", "long_name": "gap Delta(t)"},
            ),
            "time": (("drive", "time_index"), traces[0], {"units": "ps", "long_name": "time"}),
        },
        coords={
            "drive": ("drive", drive, {"units": "ps", "long_name": "hold time tau_dr"}),
        },
    )
    summary: dict[str, Any] = {
        "lifetime_ns": float(life[k_opt] / 1000.0),
        "preparation_ps": float(prep[k_opt]),
        "lifetime_over_preparation": float(ratio[k_opt]),
        "optimal_drive_ps": float(drive[k_opt]),
        "optimum_inside_scan": bool(0 < k_opt < drive.size - 1),
        "lifetime_ns_frozen": float(life_frozen[k_f] / 1000.0),
        "preparation_ps_frozen": float(prep[k_f]),
        "lifetime_over_preparation_frozen": float(ratio_f[k_f]),
        "n_thermal": float(n_th),
        "n_hold_min": float(holds.min()),
        "n_av": float(cv.n_av),
        "n_final_at_optimum": float(finals[k_opt]),
        "lifetime_ns_max": float(cv.lifetime[0] / 1000.0),
        "recombination_time_ps": _initial_relaxation(model, params, n_th),
    }
    return ModelOutput(ds, summary)


def _initial_relaxation(model: trapping.TrappingModel, params: ProtocolParams, n: float) -> float:
    """n / |dn/dt| at the start of the hold (U = U*, n = n_thermal), ps."""
    c_star = params.u_star_over_u0 * model.coupling
    st = bcs.fixed_density_state(n / model.nu0, model.kT, c_star, model.cutoff)
    return float(n / abs(model.rate(st.delta, st.lam)))


def _plot_protocol(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for i in range(ds.sizes["drive"]):
        axes[0].plot(
            ds["time"][i], ds["delta_t"][i], label=f"tau_dr = {float(ds['drive'][i]):g} ps"
        )
    axes[0].set_xlabel("t (ps)")
    axes[0].set_ylabel(r"$\Delta(t)$ (meV)")
    axes[0].legend(fontsize=7)
    axes[1].plot(ds["drive"], ds["ratio"], "o-")
    axes[1].set_xscale("log")
    axes[1].set_xlabel(r"$\tau_{dr}$ (ps)")
    axes[1].set_ylabel(r"$\tau_{MS}$ / preparation time")
    fig.tight_layout()
    return {"protocol": fig}


MODELS = [
    ModelSpec(
        name="qp-trapping-k3c60",
        paper="000",
        description="Quasi-particle trapping in K3C60: 2 Delta and tau_MS versus n(0), "
        "Delta(t) (paper 000 Eqs. 4-8, 33-36, Figs. 3-4)",
        params=K3C60TrappingParams,
        numerics=TrappingNumerics,
        run=_run_k3c60,
        plot=_plot_k3c60,
    ),
    ModelSpec(
        name="qp-trapping-protocol",
        paper="000",
        description="Whole quasi-particle trapping protocol: drive, hold, ring-down, "
        "lifetime / preparation time (paper 000 Fig. 3, Discussion)",
        params=ProtocolParams,
        numerics=ProtocolNumerics,
        run=_run_protocol,
        plot=_plot_protocol,
    ),
]
