"""Valley-selective driving of a gapped honeycomb material (paper 003).

Hart, Goldstein, Chamon, Castelnovo, *Steady-state superconductivity in electronic
materials with repulsive interactions*, PRB 100, 060508 (2019). Dimensionless units:
energies, rates and Rabi frequencies in the hopping t (t = 1), times in 1/t, a = 1.

Models
------
``valley-dichroism`` (Fig. 2)
    eta(k) of Eq. 2 over the hexagonal zone for several delta/t; the sign convention is
    fixed so that eta(K+) = +1 (the literal Eq. 2 with the printed h(k) gives -1, see
    :mod:`photosc.cores.bands.honeycomb`).
``valley-critical-coupling`` (Fig. 3a, Eqs. 9-17)
    F_+- by the exact DOS integral (= Eq. 14 at T = 0, = the Brillouin-zone sum of Eq. 13),
    Eq. 17, and both critical couplings from Eq. 12 (Eq. 16 for Gamma1 = Gamma2) for each
    intervalley coupling v. The independent check: the full linearisation of the
    time-dependent mean-field equations around the driven normal state (growth rate and
    frequency of a seeded gap, over Omega and V), and one nonlinear mean-field run of the
    ``bands`` core from a small seed compared with the linear prediction.
``valley-fast-relaxation`` (Fig. 3b)
    Quasi-thermal bands in K+ with effective chemical potentials mu_2 (and mu_1 from
    number conservation); our derivation of the gap equation is in
    :func:`photosc.cores.bands.honeycomb.f_pm_fast_relaxation`.

Findings of the dynamical check (details and evidence in the scenario's known deviations)
---------------------------------------------------------------------------------------
* Eq. 9 is the real part of the pair response at the gap frequency 2 mu; the imaginary
  part it drops is as large (equal at mu = -Gamma/2). Because the pair energy
  xi_k1 + xi_k2 = -2 mu is the same for every k, the Eq.-9-type dynamics of a seed decays at
  Gamma for every V of either sign when v = 0.
* The full linearisation (Rabi mixing with <c_{-k1} c_{k1}>, interband-coherence source)
  gives no growth for v = 0 anywhere on the (Omega, V) map of Fig. 3a (also up to |V| = 5t),
  and the nonlinear bands-core run from a small seed follows it (1e-5 relative).
* With v > 0 growing modes exist at strong coupling (|V| >~ t), i.e. the intervalley
  coupling enables, rather than hinders, the dynamical instability.

Conventions: amplitude decay rates Gamma_a (Eqs. 9-11 as printed, factor-2 note in the
core), V > 0 repulsive (Eq. 4), laser at the band edge omega0 = delta by default (the
value for which Eq. 17 holds; the paper only says omega0 ~ delta).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field, field_validator

from photosc.cores.bands import honeycomb as hc
from photosc.errors import ConfigError
from photosc.foundation.progress import progress
from photosc.models._base import ModelOutput, ModelSpec, Numerics, Params


def _da(values, dims, units: str, long_name: str, coords=None) -> xr.DataArray:
    return xr.DataArray(
        np.asarray(values), dims=dims, coords=coords, attrs={"units": units, "long_name": long_name}
    )


def _var(dim: str, values, units: str, long_name: str) -> xr.Variable:
    return xr.Variable(
        dim, np.asarray(values, dtype=float), {"units": units, "long_name": long_name}
    )


# ----------------------------------------------------------------------------- dichroism


class DichroismParams(Params):
    """Fig. 2: circular dichroism over the zone (energies in t)."""

    delta_over_t: list[float] = Field(
        [0.25, 1.0, 5.0], min_length=1, description="staggered potential delta / t (Eq. 1), > 0"
    )

    @field_validator("delta_over_t")
    @classmethod
    def _positive(cls, v: list[float]) -> list[float]:
        if any(not (x > 0 and np.isfinite(x)) for x in v):
            raise ValueError(f"every delta_over_t must be finite and > 0, got {v}")
        return v


class DichroismNumerics(Numerics):
    """Map resolution."""

    n_k: int = Field(161, ge=11, le=2001, description="points per axis of the k map")
    n_zone: int = Field(120, ge=8, le=2000, description="zone grid (n x n) for region fractions")


def run_dichroism(params: DichroismParams, numerics: DichroismNumerics) -> ModelOutput:
    """eta(k) maps (Eq. 2) and the values at K+-."""
    kmax = hc.K_PLUS[0]
    kx = np.linspace(-kmax, kmax, numerics.n_k)
    ky = np.linspace(-kmax, kmax, numerics.n_k)
    kxx, kyy = np.meshgrid(kx, ky, indexing="ij")
    inside = hc.in_hexagon(kxx, kyy)
    zone = hc.zone_grid(numerics.n_zone)
    maps, eta_p, eta_m, frac, mean_abs = [], [], [], [], []
    for d in params.delta_over_t:
        maps.append(hc.circular_dichroism(kxx, kyy, 1.0, d))
        eta_p.append(float(hc.circular_dichroism(*hc.K_PLUS, 1.0, d)))
        eta_m.append(float(hc.circular_dichroism(*(-hc.K_PLUS), 1.0, d)))
        ez = hc.circular_dichroism(zone.kx, zone.ky, 1.0, d)
        # points on the eta = 0 mirror lines count half (measure-zero boundary)
        frac.append(float(np.mean(ez > 0) + 0.5 * np.mean(np.abs(ez) <= 1e-12)))
        central = np.hypot(zone.kx, zone.ky) < 0.5 * hc.K_PLUS[0]
        mean_abs.append(float(np.mean(np.abs(ez)[central])))
    coords = {
        "delta_over_t": _var("delta_over_t", params.delta_over_t, "t", "delta / t"),
        "kx": _var("kx", kx, "1/a", "k_x"),
        "ky": _var("ky", ky, "1/a", "k_y"),
    }
    ds = xr.Dataset(
        {
            "eta": _da(maps, ("delta_over_t", "kx", "ky"), "1", "circular dichroism eta(k), Eq. 2"),
            "in_zone": _da(inside.astype(np.int8), ("kx", "ky"), "1", "inside hexagonal zone"),
            "eta_k_plus": _da(eta_p, ("delta_over_t",), "1", "eta at K+"),
            "eta_k_minus": _da(eta_m, ("delta_over_t",), "1", "eta at K-"),
            "positive_fraction": _da(frac, ("delta_over_t",), "1", "zone fraction eta > 0"),
            "central_abs_eta": _da(
                mean_abs, ("delta_over_t",), "1", "average |eta| for |k| < |K|/2"
            ),
        },
        coords=coords,
        attrs={"paper": "003", "convention": "p_pm = p_x -+ i p_y: eta(K+) = +1"},
    )
    summary = {
        "eta_k_plus": float(min(eta_p)),
        "eta_k_minus": float(max(eta_m)),
        "eta_k_plus_per_delta": eta_p,
        "positive_fraction_per_delta": frac,
        "central_abs_eta_per_delta": mean_abs,
    }
    return ModelOutput(ds, summary)


def plot_dichroism(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    nd = ds.sizes["delta_over_t"]
    fig, axes = plt.subplots(1, nd, figsize=(3.6 * nd, 3.4), squeeze=False)
    mask = ds["in_zone"].values.astype(bool)
    for i, ax in enumerate(axes[0]):
        eta = np.where(mask, ds["eta"].values[i], np.nan)
        im = ax.pcolormesh(
            ds["kx"], ds["ky"], eta.T, cmap="RdBu_r", vmin=-1, vmax=1, shading="auto"
        )
        ax.set_aspect("equal")
        ax.set_title(f"delta/t = {float(ds['delta_over_t'][i]):g}")
        ax.set_xlabel("k_x a")
        ax.plot([hc.K_PLUS[0], -hc.K_PLUS[0]], [0, 0], "k+", ms=8)
    axes[0][0].set_ylabel("k_y a")
    fig.colorbar(im, ax=axes[0].tolist(), label="eta(k)")
    return {"dichroism": fig}


# ----------------------------------------------------------------------------- critical coupling


class CriticalParams(Params):
    """Fig. 3a (Born-Markov, reservoir relaxation only); energies and rates in t."""

    delta_over_t: float = Field(5.0, gt=0, description="band gap delta / t (Eq. 1)")
    gamma1: float = Field(1e-3, gt=0, description="valence reservoir rate Gamma_1 / t (Eq. 7)")
    gamma2: float = Field(1e-3, gt=0, description="conduction reservoir rate Gamma_2 / t")
    mu_over_gamma: float = Field(
        -0.5, description="reservoir chemical potential mu / Gamma, Gamma = Gamma_1 + Gamma_2"
    )
    temperature_over_t: float = Field(0.0, ge=0, description="k_B T / t of the reservoir")
    omega0_over_delta: float = Field(
        1.0, gt=0, description="laser frequency omega0 / delta (1: band edge, Eq. 17)"
    )
    intervalley: list[float] = Field(
        [0.0, 0.5, 1.0], min_length=1, description="intervalley couplings v = |V'| / t (Eq. 12)"
    )
    phi: float = Field(0.0, description="phase of V' (rad); Eq. 12's onset is independent of it")
    rabi_over_gamma_min: float = Field(0.1, gt=0, description="smallest Omega / Gamma")
    rabi_over_gamma_max: float = Field(1000.0, gt=0, description="largest Omega / Gamma")
    check_v_over_vc: list[float] = Field(
        [-10.0, -2.0, -1.0, 1.0, 2.0, 10.0],
        min_length=1,
        description="couplings V / |V_c(Eq. 16)| of the dynamical check (v = 0)",
    )
    seed: float = Field(1e-8, gt=0, le=1e-4, description="initial |s^21_k| of the nonlinear run")

    @field_validator("intervalley")
    @classmethod
    def _nonneg(cls, v: list[float]) -> list[float]:
        if any(not (x >= 0 and np.isfinite(x)) for x in v):
            raise ValueError(f"every intervalley coupling must be finite and >= 0, got {v}")
        return v


class CriticalNumerics(Numerics):
    """Grids of the critical-coupling model."""

    n_rabi: int = Field(41, ge=2, le=2000, description="log grid of Omega / Gamma")
    n_check_rabi: int = Field(5, ge=1, le=50, description="Omega values of the dynamical map")
    n_linear: int = Field(80, ge=8, le=600, description="energy nodes of the linearisation")
    n_nonlinear: int = Field(24, ge=8, le=400, description="energy nodes of the nonlinear run")
    t_nonlinear_over_gamma: float = Field(
        2.0, ge=0, le=50, description="nonlinear run length x Gamma (0: skip the run)"
    )
    window_over_width: float = Field(
        20.0, gt=1, description="energy window of the nonlinear run, in resonance widths"
    )
    n_zone_check: int = Field(
        0, ge=0, le=4000, description="zone grid for an Eq. 13 sum at the largest Omega (0: skip)"
    )


def _common(p: CriticalParams) -> dict[str, float]:
    gam = p.gamma1 + p.gamma2
    return dict(
        t=1.0,
        delta=p.delta_over_t,
        mu=p.mu_over_gamma * gam,
        omega0=p.omega0_over_delta * p.delta_over_t,
        gamma1=p.gamma1,
        gamma2=p.gamma2,
        kT=p.temperature_over_t,
    )


def _width(rabi: float, gam: float) -> float:
    return 0.5 * float(np.sqrt(4 * rabi**2 + gam**2))


def run_critical(params: CriticalParams, numerics: CriticalNumerics) -> ModelOutput:
    """F_+-, V_c over Omega and v; linear growth map and one nonlinear seed run."""
    p = params
    if p.rabi_over_gamma_max <= p.rabi_over_gamma_min:
        raise ConfigError(
            f"rabi_over_gamma_max = {p.rabi_over_gamma_max} must exceed rabi_over_gamma_min = "
            f"{p.rabi_over_gamma_min}"
        )
    c = _common(p)
    gam = p.gamma1 + p.gamma2
    if c["mu"] >= 0:
        raise ConfigError(
            f"mu_over_gamma = {p.mu_over_gamma}: the Born-Markov kernel -mu/(mu^2+Gamma^2/4) of "
            "Eq. 14 gives F_+ <= 0 for mu >= 0 and no onset; allowed: mu_over_gamma < 0"
        )
    ratios = np.geomspace(p.rabi_over_gamma_min, p.rabi_over_gamma_max, numerics.n_rabi)
    v = np.asarray(p.intervalley, dtype=float)
    fp, fm, fp14, fm14 = (np.empty(ratios.size) for _ in range(4))
    for i, r in enumerate(progress(ratios, desc="F+- over Omega")):
        k = hc.f_pm_dos(rabi=r * gam, **c)
        fp[i], fm[i] = k.f_plus, k.f_minus
        k14 = hc.f_plus_eq14(
            t=1.0, delta=c["delta"], mu=c["mu"], omega0=c["omega0"], rabi=r * gam,
            gamma1=p.gamma1, gamma2=p.gamma2,
        )  # fmt: skip
        fp14[i], fm14[i] = k14.f_plus, k14.f_minus
    fp17 = hc.f_plus_eq17(t=1.0, delta=c["delta"], rabi=ratios * gam, gamma=gam)
    vc = hc.critical_couplings(fp[None, :], fm[None, :], v[:, None])
    vc16 = hc.critical_coupling_eq16(fp[None, :], v[:, None])

    # --- dynamical check: full linearisation over (Omega, V) at v = 0 -------------------
    idx = np.unique(np.round(np.linspace(0, ratios.size - 1, numerics.n_check_rabi)).astype(int))
    vfac = np.asarray(p.check_v_over_vc, dtype=float)
    rate = np.empty((idx.size, vfac.size))
    freq = np.empty_like(rate)
    chi_full = np.empty((idx.size, 2), dtype=complex)
    chi_simple = np.empty((idx.size, 2), dtype=complex)
    for a, i in enumerate(progress(idx, desc="linearised gap dynamics")):
        rabi = ratios[i] * gam
        grid = hc.valley_energy_grid(1.0, c["delta"], c["omega0"] / 2, _width(rabi, gam),
                                     numerics.n_linear)  # fmt: skip
        vc0 = float(hc.critical_coupling_eq16(fp[i], 0.0))
        for b, f in enumerate(vfac):
            lin = hc.pair_linearization(grid, rabi=rabi, V=f * vc0, v=0.0, **_nt(c))
            g = hc.pair_growth_rate(lin)
            rate[a, b], freq[a, b] = g.rate, g.frequency
        lin1 = hc.pair_linearization(grid, rabi=rabi, V=1.0, v=0.0, **_nt(c))
        lin0 = hc.pair_linearization(grid, rabi=rabi, V=1.0, v=0.0, mixing=False, **_nt(c))
        chi_full[a] = np.diag(hc.pair_response(lin1, 2 * c["mu"]))
        chi_simple[a] = np.diag(hc.pair_response(lin0, 2 * c["mu"]))
    # strongest drive, every v, V = +-2 V_c(v)
    i_max = ratios.size - 1
    rabi_max = ratios[i_max] * gam
    grid_max = hc.valley_energy_grid(1.0, c["delta"], c["omega0"] / 2, _width(rabi_max, gam),
                                     numerics.n_linear)  # fmt: skip
    rate_v = np.empty((v.size, 2))
    for j, vv in enumerate(v):
        for b, vcx in enumerate((vc.negative[j, i_max], vc.positive[j, i_max])):
            lin = hc.pair_linearization(grid_max, rabi=rabi_max, V=2 * vcx, v=vv, phi=p.phi,
                                        **_nt(c))  # fmt: skip
            rate_v[j, b] = hc.pair_growth_rate(lin).rate
    b2 = int(np.argmin(np.abs(vfac - 2.0))) if np.any(np.isclose(vfac, 2.0)) else None
    if b2 is None:
        vc0 = float(hc.critical_coupling_eq16(fp[i_max], 0.0))
        lin = hc.pair_linearization(grid_max, rabi=rabi_max, V=2 * vc0, v=0.0, **_nt(c))
        g_check = hc.pair_growth_rate(lin)
        rate_check, freq_check = g_check.rate, g_check.frequency
    else:
        rate_check, freq_check = float(rate[-1, b2]), float(freq[-1, b2])

    # --- nonlinear mean-field run from a small seed (bands core) ------------------------
    nl = _nonlinear_check(p, numerics, c, rabi_max, float(fp[i_max]))

    coords = {
        "rabi_over_gamma": _var("rabi_over_gamma", ratios, "1", "Omega / Gamma"),
        "v": _var("v", v, "t", "intervalley coupling |V'|"),
        "check_rabi_over_gamma": _var(
            "check_rabi_over_gamma", ratios[idx], "1", "Omega / Gamma (dynamical check)"
        ),
        "v_over_vc": _var("v_over_vc", vfac, "1", "V / |V_c(Eq. 16)|"),
        "branch": _var("branch", [-1.0, 1.0], "1", "sign of V_c"),
        "channel": _var("channel", [1.0, -1.0], "1", "valley channel (+1: Delta_+)"),
    }  # fmt: skip
    data = {
        "f_plus": _da(fp, ("rabi_over_gamma",), "1/t", "F_+ (Eq. 13, exact DOS integral)"),
        "f_minus": _da(fm, ("rabi_over_gamma",), "1/t", "F_- (Eq. 13, exact DOS integral)"),
        "f_plus_eq14": _da(fp14, ("rabi_over_gamma",), "1/t", "F_+ by Eq. 14"),
        "f_minus_eq15": _da(fm14, ("rabi_over_gamma",), "1/t", "F_- by Eq. 15"),
        "f_plus_eq17": _da(fp17, ("rabi_over_gamma",), "1/t", "F_+ by Eq. 17"),
        "vc_positive": _da(vc.positive, ("v", "rabi_over_gamma"), "t", "V_c > 0 (Eq. 12)"),
        "vc_negative": _da(vc.negative, ("v", "rabi_over_gamma"), "t", "V_c < 0 (Eq. 12)"),
        "vc_eq16": _da(vc16, ("v", "rabi_over_gamma"), "t", "|V_c| by Eq. 16"),
        "growth_rate": _da(rate / gam, ("check_rabi_over_gamma", "v_over_vc"), "1",
                           "Re lambda / Gamma of the leading gap mode (v = 0)"),
        "gap_frequency": _da(freq / gam, ("check_rabi_over_gamma", "v_over_vc"), "1",
                             "gap frequency / Gamma of that mode"),
        "chi_full_real": _da(chi_full.real, ("check_rabi_over_gamma", "channel"), "1/t",
                             "Re full pair response at omega = 2 mu"),
        "chi_full_imag": _da(chi_full.imag, ("check_rabi_over_gamma", "channel"), "1/t",
                             "Im full pair response at omega = 2 mu"),
        "chi_eq9_real": _da(chi_simple.real, ("check_rabi_over_gamma", "channel"), "1/t",
                            "Re of Eq. 9's response (= F_+-)"),
        "chi_eq9_imag": _da(chi_simple.imag, ("check_rabi_over_gamma", "channel"), "1/t",
                            "Im of Eq. 9's response (dropped by Eq. 9)"),
        "growth_rate_strong_drive": _da(rate_v / gam, ("v", "branch"), "1",
                                        "Re lambda / Gamma at V = 2 V_c, largest Omega"),
    }  # fmt: skip
    if nl is not None:
        coords["time"] = _var("time", nl["t"], "1/t", "time")
        data["abs_delta_nonlinear"] = _da(nl["nonlinear"], ("time",), "t", "|Delta_+| nonlinear")
        data["abs_delta_linear"] = _da(nl["linear"], ("time",), "t", "|Delta_+| linearised")
    ds = xr.Dataset(data, coords=coords, attrs={"paper": "003", "figure": "Fig. 3a"})
    growth = bool(rate_check > 0)
    summary: dict[str, Any] = {
        "vc_positive_strong_drive": [float(x) for x in vc.positive[:, -1]],
        "vc_negative_strong_drive": [float(x) for x in vc.negative[:, -1]],
        "vc_positive_weak_drive": float(vc.positive[int(np.argmin(v)), 0]),
        "vc_eq17_weak_drive": float(1 / fp17[0]),
        "f_plus_strong_drive": float(fp[-1]),
        "f_plus_eq17_strong_drive": float(fp17[-1]),
        "f_minus_over_f_plus": float(fm[-1] / fp[-1]),
        "seed_grows_v0_strong_drive": growth,
        "growth_rate_v0_strong_drive_over_gamma": float(rate_check / gam),
        "gap_frequency_v0_strong_drive_minus_2mu_over_gamma": float(
            (freq_check - 2 * c["mu"]) / gam
        ),
        "max_growth_rate_v0_over_gamma": float(rate.max() / gam),
        "seed_grows_anywhere_v0": bool(rate.max() > 0),
        "growth_rate_strong_drive_per_v_over_gamma": [float(x) for x in rate_v.max(axis=1) / gam],
        "chi_full_over_f_plus_strong_drive": float(chi_full[-1, 0].real / fp[idx[-1]]),
        "eq9_dropped_imag_over_real": float(chi_simple[-1, 0].imag / chi_simple[-1, 0].real),
    }
    if nl is not None:
        summary["nonlinear_amplification"] = float(nl["nonlinear"][-1] / nl["nonlinear"][0])
        summary["nonlinear_vs_linear_max_rel_diff"] = float(nl["rel_diff"])
    if numerics.n_zone_check:
        kz = hc.f_pm_zone_sum(hc.zone_grid(numerics.n_zone_check), rabi=rabi_max, **c)
        summary["f_plus_zone_sum_strong_drive"] = float(kz.f_plus)
        summary["zone_sum_vs_dos_rel_diff"] = float(abs(kz.f_plus / fp[-1] - 1))
    return ModelOutput(ds, summary)


def _nt(c: dict[str, float]) -> dict[str, float]:
    """Keyword arguments of the dynamics functions (no t, delta)."""
    return {k: c[k] for k in ("mu", "omega0", "gamma1", "gamma2", "kT")}


def _nonlinear_check(p, numerics, c, rabi: float, f_plus: float) -> dict[str, Any] | None:
    """bands-core mean-field run from a small seed at V = 2 V_c(Eq. 16), v = 0."""
    if numerics.t_nonlinear_over_gamma == 0:
        return None
    from photosc.cores import bands

    gam = p.gamma1 + p.gamma2
    width = _width(rabi, gam)
    grid = hc.valley_energy_grid(
        1.0, c["delta"], c["omega0"] / 2, width, numerics.n_nonlinear,
        window=numerics.window_over_width * width,
    )  # fmt: skip
    V = 2.0 * float(hc.critical_coupling_eq16(f_plus, 0.0))
    system = hc.valley_band_system(grid, omega0=c["omega0"], rabi=rabi)
    eom = bands.MeanFieldEOM(
        system,
        hc.valley_gap_coupling(grid, V=V, v=0.0),
        [hc.valley_reservoir(grid, mu=c["mu"], gamma1=p.gamma1, gamma2=p.gamma2, kT=c["kT"])],
        layout="full",
    )
    state = hc.valley_normal_state(grid, rabi=rabi, **_nt(c))
    seed = p.seed * (1 + 1j) / np.sqrt(2)
    state.s[:, 1, 0] = seed
    state.s[:, 0, 1] = -seed
    times = np.linspace(0.0, numerics.t_nonlinear_over_gamma / gam, 41)
    traj = bands.integrate(eom, eom.packing.pack(state), times, rtol=1e-9, atol=1e-14)
    n = grid.energy.size
    nonlinear = np.array(
        [abs(eom.gap(eom.packing.unpack(traj.y[:, i]))[0]) for i in range(times.size)]
    )
    lin = hc.pair_linearization(grid, rabi=rabi, V=V, v=0.0, **_nt(c))
    x0 = np.zeros((n, 4), dtype=complex)
    x0[:, 1] = np.conj(seed)  # A12(k) = conj(s21_k)
    x0[:, 2] = -np.conj(seed)  # A21(k) = -conj(s21_-k)
    linear = np.abs(hc.evolve_linear(lin, x0.ravel(), times)[0])
    rel = float(np.max(np.abs(nonlinear - linear)) / np.max(linear))
    return {"t": times, "nonlinear": nonlinear, "linear": linear, "rel_diff": rel}


def plot_critical(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    figs: dict[str, Any] = {}
    fig, ax = plt.subplots(figsize=(5.2, 4))
    styles = ["-", "--", ":", "-."]
    r = ds["rabi_over_gamma"].values
    for j, vv in enumerate(ds["v"].values):
        ls = styles[j % len(styles)]
        ax.plot(r, ds["vc_positive"].values[j], "C3" + ls, label=f"V_c > 0, v/t = {vv:g}")
        ax.plot(r, -ds["vc_negative"].values[j], "C0" + ls, label=f"|V_c < 0|, v/t = {vv:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Omega / Gamma")
    ax.set_ylabel("|V_c| / t")
    ax.set_title("Fig. 3a: critical couplings (Eq. 12)")
    ax.legend(fontsize=7)
    figs["critical_coupling"] = fig

    fig, ax = plt.subplots(figsize=(5.2, 4))
    for a, rr in enumerate(ds["check_rabi_over_gamma"].values):
        ax.plot(ds["v_over_vc"], ds["growth_rate"].values[a], "o-", label=f"Omega/Gamma = {rr:.3g}")
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel("V / |V_c(Eq. 16)|  (v = 0)")
    ax.set_ylabel("growth rate / Gamma of a seeded gap")
    ax.set_title("Dynamical check: full linearisation")
    ax.legend(fontsize=7)
    figs["seed_growth"] = fig
    if "abs_delta_nonlinear" in ds:
        fig, ax = plt.subplots(figsize=(5.2, 4))
        ax.semilogy(ds["time"], ds["abs_delta_nonlinear"], "k-", label="nonlinear mean field")
        ax.semilogy(ds["time"], ds["abs_delta_linear"], "r--", label="linearised")
        ax.set_xlabel("time (1/t)")
        ax.set_ylabel("|Delta_+| / t")
        ax.set_title("Seed at V = 2 V_c(Eq. 16), v = 0, largest Omega")
        ax.legend()
        figs["seed_dynamics"] = fig
    return figs


# ----------------------------------------------------------------------------- fast relaxation


class FastRelaxationParams(Params):
    """Fig. 3b: fast intraband relaxation, energies in t."""

    delta_over_t: float = Field(0.25, gt=0, description="band gap delta / t")
    gamma12: float = Field(1e-3, gt=0, description="rate Gamma_12 / t of the pair kernel")
    mu_over_gamma12: float = Field(-0.5, lt=0, description="reservoir mu / Gamma_12 (< 0)")
    temperature_over_t: float = Field(0.0, ge=0, description="k_B T / t")
    intervalley: list[float] = Field([0.0, 0.5, 1.0], min_length=1, description="v = |V'| / t")
    mu2_max_over_t: float = Field(0.5, gt=0, description="largest effective mu_2 / t")
    mu2_ref_over_t: float = Field(0.2, gt=0, description="mu_2 / t of the caption's 2.6 % remark")

    @field_validator("intervalley")
    @classmethod
    def _nonneg(cls, v: list[float]) -> list[float]:
        if any(not (x >= 0 and np.isfinite(x)) for x in v):
            raise ValueError(f"every intervalley coupling must be finite and >= 0, got {v}")
        return v


class FastRelaxationNumerics(Numerics):
    """mu_2 grid."""

    n_mu2: int = Field(40, ge=2, le=2000, description="points of the mu_2 grid")


def run_fast(params: FastRelaxationParams, numerics: FastRelaxationNumerics) -> ModelOutput:
    """V_c over mu_2 with quasi-thermal K+ bands (our gap equation, see the core)."""
    p = params
    edge = p.delta_over_t / 2
    if p.mu2_max_over_t <= edge:
        raise ConfigError(
            f"mu2_max_over_t = {p.mu2_max_over_t} must exceed the band edge delta/2 = {edge}"
        )
    mu = p.mu_over_gamma12 * p.gamma12
    kw = dict(mu=mu, kT=p.temperature_over_t, t=1.0, delta=p.delta_over_t)
    mu2 = np.linspace(edge, p.mu2_max_over_t, numerics.n_mu2 + 1)[1:]
    mu2 = np.union1d(mu2, [p.mu2_ref_over_t])
    fp, fm, m1, pol = (np.empty(mu2.size) for _ in range(4))
    for i, m in enumerate(progress(mu2, desc="fast relaxation")):
        k = hc.f_pm_fast_relaxation(m, gamma12=p.gamma12, **kw)
        fp[i], fm[i] = k.f_plus, k.f_minus
        m1[i] = hc.mu1_from_number_conservation(m, **kw)
        pol[i] = hc.valley_polarisation(m, **kw)
    v = np.asarray(p.intervalley)
    ok = fp * fm < 0
    vc_p = np.full((v.size, mu2.size), np.inf)
    vc_n = np.full((v.size, mu2.size), -np.inf)
    if np.any(ok):
        vc = hc.critical_couplings(fp[None, ok], fm[None, ok], v[:, None])
        vc_p[:, ok], vc_n[:, ok] = vc.positive, vc.negative
    coords = {
        "mu2": xr.Variable("mu2", mu2, {"units": "t", "long_name": "effective mu_2 of K+"}),
        "v": xr.Variable("v", v, {"units": "t", "long_name": "intervalley coupling |V'|"}),
    }
    big = 1e300  # "no onset" marker (netCDF-safe, no inf in the summary)
    ds = xr.Dataset(
        {
            "f_plus": _da(fp, ("mu2",), "1/t", "F_+ (quasi-thermal K+)"),
            "f_minus": _da(fm, ("mu2",), "1/t", "F_- (quasi-thermal K+)"),
            "mu1": _da(m1, ("mu2",), "t", "effective mu_1 of K+ (number conservation)"),
            "polarisation": _da(pol, ("mu2",), "1", "excited fraction of the K+ valley"),
            "vc_positive": _da(np.minimum(vc_p, big), ("v", "mu2"), "t", "V_c > 0"),
            "vc_negative": _da(np.maximum(vc_n, -big), ("v", "mu2"), "t", "V_c < 0"),
        },
        coords=coords,
        attrs={"paper": "003", "figure": "Fig. 3b"},
    )
    j = int(np.argmin(np.abs(mu2 - p.mu2_ref_over_t)))
    summary = {
        "vc_positive_mu2_ref": [float(min(x, big)) for x in vc_p[:, j]],
        "vc_negative_mu2_ref": [float(max(x, -big)) for x in vc_n[:, j]],
        "valley_polarisation_mu2_ref": float(pol[j]),
        "mu1_mu2_ref": float(m1[j]),
        "two_branches_opposite_sign": bool(np.all(ok)),
        "f_minus_over_f_plus_mu2_ref": float(fm[j] / fp[j]),
    }
    return ModelOutput(ds, summary)


def plot_fast(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 4))
    styles = ["-", "--", ":", "-."]
    for j, vv in enumerate(ds["v"].values):
        ls = styles[j % len(styles)]
        ax.plot(ds["mu2"], ds["vc_positive"].values[j], "C3" + ls, label=f"V_c > 0, v/t={vv:g}")
        ax.plot(ds["mu2"], -ds["vc_negative"].values[j], "C0" + ls, label=f"|V_c<0|, v/t={vv:g}")
    ax.set_yscale("log")
    ax.set_xlabel("mu_2 / t")
    ax.set_ylabel("|V_c| / t")
    ax.set_title("Fig. 3b: fast intraband relaxation")
    ax.legend(fontsize=7)
    return {"critical_coupling_fast": fig}


MODELS = [
    ModelSpec(
        name="valley-dichroism",
        paper="003",
        description="Circular dichroism eta(k) of the gapped honeycomb model (Eq. 2, Fig. 2)",
        params=DichroismParams,
        numerics=DichroismNumerics,
        run=run_dichroism,
        plot=plot_dichroism,
    ),
    ModelSpec(
        name="valley-critical-coupling",
        paper="003",
        description="Critical couplings of valley-driven interband pairing (Eqs. 12-17, Fig. 3a) "
        "with a dynamical check of the onset",
        params=CriticalParams,
        numerics=CriticalNumerics,
        run=run_critical,
        plot=plot_critical,
    ),
    ModelSpec(
        name="valley-fast-relaxation",
        paper="003",
        description="Critical couplings with fast intraband relaxation (Fig. 3b)",
        params=FastRelaxationParams,
        numerics=FastRelaxationNumerics,
        run=run_fast,
        plot=plot_fast,
    ),
]
