"""Driven, dissipative dynamics of the Raman coordinate in the adiabatic landscape (paper 000).

Paper 000 (Chattopadhyay et al., npj Quantum Mater. 2025), Methods Eq. 24::

    (d_t^2 + gamma d_t + (1/M) dF_SC/dQ + omega^2) Q = z E^2(t) + eta(t),
    <eta(t) eta(t')> = 2 (gamma/M) T delta(t - t')

(the noise strength written per unit mass, so that exp(-F(Q)/T) is stationary). Q is the
mean coordinate of a coherently displaced region: with F per site and M the mass of that
region of ``n_sites`` sites, the force per unit mass is the per-site one and the noise is
2 gamma T / (n_sites M_site), i.e. the stationary weight is exp(-n_sites F(Q)/T) (a single
site, n_sites = 1, crosses barriers of a few meV at 100 K within picoseconds). In units
of l0 = sqrt(hbar/(M Omega)) (Omega = omega/hbar): q'' = -(Omega/hbar) dF/dq - gamma q' +
a_drive(t) + xi(t), <xi xi> = 2 gamma (k_B T Omega/hbar) delta, with F(q) the adiabatic free
energy of :mod:`photosc.cores.raman` (force from the envelope theorem).

The drive is the rectified Raman force z E(t)^2 of a pulse
E(t) = E0 exp(-2 ln2 (t - t0)^2 / tau^2) cos(2 pi f (t - t0)), tau the FWHM of the envelope of
E^2 and f the carrier frequency; its peak z E0^2 is given as the static displacement it would
produce in the bare oscillator, ``drive = z E0^2 / (Omega^2 l0)`` (in l0). A pulse that
carries q over the barrier traps it in the metastable minimum, a weaker one lets it ring down
to Q = 0.
Integration: BAOAB Langevin splitting (:func:`photosc.cores.raman.langevin_baoab`),
seeded; an ensemble of noise realisations.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field

from photosc.cores import raman
from photosc.foundation.units import HBAR, KB, quantity
from photosc.models._base import FLOAT_BYTES, ModelOutput, ModelSpec, Numerics, Params
from photosc.models.metastability import RamanModeParams, build_model


class LangevinParams(RamanModeParams):
    """Parameters of Eq. 24 (a metastable-I point of Fig. 2b by default)."""

    nu0: quantity("1/eV", gt=0) = Field(42.0, description="nu(0) per spin per site, 1/eV")
    delta_e: quantity("meV", gt=0) = Field("150 meV", description="level splitting Delta_E")
    temperature: quantity("K", ge=0) = Field("100 K", description="bath temperature")
    gamma: quantity("1/ps", ge=0) = Field(
        "2 1/ps", description="damping rate gamma of Eq. 24 (Raman linewidth)"
    )
    drive_strong: float = Field(1.6, ge=0, description="peak z E0^2 / (Omega^2 l0), strong")
    drive_weak: float = Field(0.6, ge=0, description="peak z E0^2 / (Omega^2 l0), weak")
    pulse_duration: quantity("ps", gt=0) = Field(
        "1 ps", description="FWHM of the intensity envelope E(t)^2"
    )
    carrier: quantity("THz", ge=0) = Field(
        "41 THz", description="carrier frequency of the pulse (0: envelope only)"
    )
    pulse_center: quantity("ps", gt=0) = Field("3 ps", description="time of the pulse peak")
    t_end: quantity("ps", gt=0) = Field("30 ps", description="end of the simulation")
    n_sites: float = Field(
        1000.0,
        ge=1,
        description="sites moving coherently with Q (M of Eq. 24 is their mass; noise ~ T/n)",
    )
    n_traj: int = Field(16, ge=1, description="noise realisations per pulse")
    seed: int = Field(1234, ge=0, description="seed of the noise")


class LangevinNumerics(Numerics):
    """Time step and output."""

    dt: quantity("ps", gt=0) = Field("0.002 ps", description="time step")
    n_q: int = Field(800, ge=50, description="points of the tabulated force")
    record_every: int = Field(20, ge=1, description="store every k-th step")
    average_window: quantity("ps", gt=0) = Field(
        "3 ps", description="final window over which q is averaged"
    )

    memory_fields = ("dt", "record_every", "n_q", "t_end", "n_traj")

    def estimated_bytes(self, params: Params) -> int:
        """Recorded q and v of every trajectory for both pulses, plus the force table."""
        n_steps = math.ceil(getattr(params, "t_end", 0.0) / self.dt)
        n_rec = n_steps // self.record_every + 1
        return FLOAT_BYTES * (2 * 2 * n_rec * getattr(params, "n_traj", 1) + 4 * self.n_q)


def drive_acceleration(
    t: float, peak: float, omega_rad: float, fwhm: float, center: float, carrier: float
) -> float:
    """Rectified Raman drive z E(t)^2 in l0/ps^2.

    Parameters
    ----------
    t : float, ps
    peak : float, l0
        z E0^2 / Omega^2 (static displacement of the bare oscillator).
    omega_rad : float, 1/ps
        Phonon angular frequency Omega.
    fwhm : float, ps
        FWHM of exp(-4 ln2 t^2/fwhm^2), the envelope of E^2.
    center : float, ps
    carrier : float, THz
        Carrier frequency f (cos^2(2 pi f t); 0 gives the envelope alone, i.e. the
        cycle-averaged force times 2).
    """
    env = math.exp(-4.0 * math.log(2.0) * (t - center) ** 2 / fwhm**2)
    osc = math.cos(2.0 * math.pi * carrier * (t - center)) ** 2 if carrier > 0 else 1.0
    return omega_rad**2 * peak * env * osc


def _force_table(model: raman.RamanModel, kT: float, n_q: int) -> tuple[np.ndarray, ...]:
    q = np.linspace(0.0, 2.0 * raman.q_range(model), n_q)
    return q, raman.landscape_force(model, q, kT)


def simulate(
    params: LangevinParams, numerics: LangevinNumerics, peak: float, seed: int
) -> tuple[raman.LangevinResult, raman.RamanModel]:
    """Run the ensemble for one pulse of peak ``peak`` (l0)."""
    model = build_model(
        params.omega, params.g_l0_over_omega, params.nu0, params.delta_e, params.tc_undistorted
    )
    kT = KB * params.temperature
    omega_rad = model.omega / HBAR
    qg, fg = _force_table(model, kT, numerics.n_q)
    pref = omega_rad / HBAR  # (Omega/hbar): meV/l0 -> l0/ps^2

    def accel(q: np.ndarray, t: float) -> np.ndarray:
        f = np.sign(q) * np.interp(np.abs(q), qg, fg, right=np.nan)
        out_of = ~np.isfinite(f)
        if np.any(out_of):  # far outside: harmonic (the superconducting force has vanished)
            f = np.where(out_of, model.omega * q, f)
        drive = drive_acceleration(
            t, peak, omega_rad, params.pulse_duration, params.pulse_center, params.carrier
        )
        return -pref * f + drive

    n_steps = int(math.ceil(params.t_end / numerics.dt))
    rng = np.random.default_rng(seed)
    kt_eff = kT / params.n_sites
    vth = math.sqrt(kt_eff * omega_rad / HBAR)
    q0 = (
        rng.normal(0.0, math.sqrt(kt_eff / model.omega), params.n_traj)
        if kT > 0
        else np.zeros(params.n_traj)
    )
    v0 = rng.normal(0.0, vth, params.n_traj) if kT > 0 else np.zeros(params.n_traj)
    res = raman.langevin_baoab(
        accel,
        q0,
        v0,
        dt=numerics.dt,
        n_steps=n_steps,
        gamma=params.gamma,
        v_thermal=vth,
        rng=rng,
        record_every=numerics.record_every,
    )
    return res, model


def _run(params: LangevinParams, numerics: LangevinNumerics) -> ModelOutput:
    kT = KB * params.temperature
    results = []
    model = None
    for k, peak in enumerate((params.drive_strong, params.drive_weak)):
        res, model = simulate(params, numerics, peak, params.seed + k)
        results.append(res)
    assert model is not None
    cp = raman.critical_points(model, kT)
    q_b = float(cp.maxima[0]) if cp.maxima.size else 0.0
    q_ms = float(cp.minima[-1]) if cp.minima.size else 0.0
    t = results[0].t
    win = t >= t[-1] - numerics.average_window
    finals = [np.abs(r.q[win]).mean(axis=0) for r in results]
    trapped = [(f > q_b) if q_b > 0 else np.zeros_like(f, dtype=bool) for f in finals]
    drive_t = np.array(
        [
            drive_acceleration(
                float(x),
                1.0,
                1.0,
                params.pulse_duration,
                params.pulse_center,
                0.0,
            )
            for x in t
        ]
    )
    qg = np.linspace(0.0, 1.5 * max(q_ms, raman.q_range(model) / 2), 300)
    ds = xr.Dataset(
        {
            "q": (
                ("pulse", "time", "trajectory"),
                np.stack([r.q for r in results]),
                {"units": "1", "long_name": "displacement Q / l0"},
            ),
            "q_mean": (
                ("pulse", "time"),
                np.stack([r.q.mean(axis=1) for r in results]),
                {"units": "1", "long_name": "ensemble mean of Q / l0"},
            ),
            "envelope": (
                "time",
                drive_t,
                {"units": "1", "long_name": "pulse envelope of E^2 (normalised)"},
            ),
            "free_energy": (
                "q_grid",
                raman.landscape(model, qg, kT),
                {"units": "meV", "long_name": "F(Q, T) - F(0, T)"},
            ),
            "final_q": (
                ("pulse", "trajectory"),
                np.stack(finals),
                {"units": "1", "long_name": "|Q| / l0 averaged over the final window"},
            ),
        },
        coords={
            "pulse": ("pulse", np.array(["strong", "weak"]), {"units": "1", "long_name": "pulse"}),
            "time": ("time", t, {"units": "ps", "long_name": "time"}),
            "q_grid": ("q_grid", qg, {"units": "1", "long_name": "Q / l0"}),
            "drive_peak": (
                "pulse",
                np.array([params.drive_strong, params.drive_weak]),
                {"units": "1", "long_name": "z E0^2 / (Omega^2 l0)"},
            ),
        },
    )
    summary: dict[str, Any] = {
        "trapped_strong": bool(trapped[0].mean() > 0.5),
        "trapped_weak": bool(trapped[1].mean() > 0.5),
        "trapped_fraction_strong": float(trapped[0].mean()),
        "trapped_fraction_weak": float(trapped[1].mean()),
        "final_q_strong": float(finals[0].mean()),
        "final_q_weak": float(finals[1].mean()),
        "q_ms": q_ms,
        "q_barrier": q_b,
        "metastable_at_temperature": bool(q_b > 0),
    }
    return ModelOutput(ds, summary)


def _plot(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    ax = axes[0]
    for p, c in zip(ds["pulse"].values, ("tab:red", "tab:blue")):
        sub = ds["q"].sel(pulse=p)
        ax.plot(ds["time"], sub.values, color=c, lw=0.4, alpha=0.4)
        ax.plot(ds["time"], ds["q_mean"].sel(pulse=p), color=c, lw=2, label=f"{p} pulse")
    ax.axhline(summary["q_ms"], color="k", ls=":", label="Q_MS")
    ax.axhline(summary["q_barrier"], color="gray", ls="--", label="Q_B")
    ax.set_xlabel("t (ps)")
    ax.set_ylabel(r"$Q/\ell_0$")
    ax.legend(fontsize=8)
    ax = axes[1]
    ax.plot(ds["q_grid"], ds["free_energy"])
    ax.set_xlabel(r"$Q/\ell_0$")
    ax.set_ylabel(r"$F(Q,T)-F(0,T)$ (meV)")
    fig.tight_layout()
    return {"langevin": fig}


MODELS = [
    ModelSpec(
        name="raman-langevin",
        paper="000",
        description="Driven Langevin dynamics of the Raman coordinate in the adiabatic "
        "free-energy landscape: trapping by a strong pulse (paper 000 Eq. 24)",
        params=LangevinParams,
        numerics=LangevinNumerics,
        run=_run,
        plot=_plot,
    )
]
