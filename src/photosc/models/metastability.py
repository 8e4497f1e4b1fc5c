"""Thermodynamic metastability of photo-induced superconductivity (paper 000, Fig. 2).

Paper 000 (Chattopadhyay et al., npj Quantum Mater. 2025), Methods "Mean-field
metastability", Eqs. 24-26: the adiabatic free energy

    F(Q, T) = M omega^2 Q^2 / 2 + F_SC(Delta(Q, T), T; U(Q))       (Eq. 25)

with U(Q) of Eq. 3 and the pairing cutoff omega (Eq. 2), in units of omega and
l0 = 1/sqrt(M omega). A point (nu(0), Delta_E) is *normal* (no minimum at Q > 0), of
*type I* (the undistorted state is the global minimum; a local minimum at Q_MS exists for
0 < T < T_B) or of *type II* (a distorted ground state; first-order transition at T_c,
switchable for T_c < T < T_B). U0 is fixed so that the undistorted (second-order) T_c is
``tc_undistorted`` (20 K).

Approximations: mean-field BCS with a constant density of states nu(0) per spin per site
up to the cutoff omega (the phonon frequency), the electronic projection onto the lower
band (Delta_E_eff >> omega, Methods) and the corrected Eq. 26 (see
:mod:`photosc.cores.raman`). The physics lives in :mod:`photosc.cores.raman`.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field
from scipy.optimize import brentq

from photosc.cores import bcs, raman
from photosc.foundation.units import KB, quantity
from photosc.models._base import FLOAT_BYTES, ModelOutput, ModelSpec, Numerics, Params

KINDS = ("normal", "I", "II")


@functools.lru_cache(maxsize=64)
def undistorted_coupling(tc_K: float, omega: float) -> float:
    """nu(0) U0 giving the second-order T_c ``tc_K`` with cutoff ``omega`` (meV).

    Raises
    ------
    ValueError
        If no coupling in (0.01, 5) gives that T_c.
    """
    target = KB * tc_K

    def f(c: float) -> float:
        return bcs.critical_temperature(c, omega) - target

    lo, hi = 0.01, 5.0
    if f(lo) > 0 or f(hi) < 0:
        raise ValueError(
            f"tc_undistorted = {tc_K} K cannot be reached with cutoff omega = {omega} meV "
            f"(allowed: k_B T_c between {f(lo) + target:.3g} and {f(hi) + target:.3g} meV)"
        )
    return float(brentq(f, lo, hi, xtol=1e-14))


def build_model(
    omega: float, g_l0_over_omega: float, nu0_per_eV: float, delta_e: float, tc_K: float
) -> raman.RamanModel:
    """The core's RamanModel for the paper's parameters (U0 from the undistorted T_c).

    Parameters
    ----------
    omega : float, meV
        Phonon frequency (= pairing cutoff).
    g_l0_over_omega : float
        g l0 / omega.
    nu0_per_eV : float, 1/eV
        Density of states per spin per site.
    delta_e : float, meV
        Level splitting.
    tc_K : float, K
        Second-order T_c of the undistorted crystal.
    """
    nu = nu0_per_eV / 1000.0
    c0 = undistorted_coupling(tc_K, omega)
    return raman.RamanModel(omega, g_l0_over_omega * omega, delta_e, nu, c0 / nu)


def point_summary(model: raman.RamanModel, tc_K: float) -> dict[str, Any]:
    """Kind, q_ms, q_barrier, T_B, T_c and gaps of one parameter point (plain JSON)."""
    cl = raman.classify(model)
    kt_b = raman.metastable_temperature(model) if cl.kind != "normal" else 0.0
    kt_1 = raman.first_order_temperature(model, kt_b) if cl.kind == "II" else 0.0
    tc = kt_1 / KB if cl.kind == "II" else tc_K
    d0 = float(raman.gap_from_table(model.nu0 * model.u0, 0.0, model.omega))
    return {
        "kind": cl.kind,
        "kind_code": KINDS.index(cl.kind),
        "q_ms": cl.q_ms,
        "q_barrier": cl.q_barrier,
        "energy_ms_meV": cl.energy_ms,
        "delta_ms_meV": cl.delta_ms,
        "delta0_meV": d0,
        "delta_ms_over_delta0": cl.delta_ms / d0,
        "t_b_K": kt_b / KB,
        "tc_K": tc,
        "t_first_order_K": kt_1 / KB,
        "t_b_over_tc": kt_b / KB / tc,
    }


class RamanModeParams(Params):
    """The driven Raman mode (paper 000 Fig. 2: Hg(3) of K3C60)."""

    omega: quantity("meV", gt=0) = Field(
        "88 meV", description="phonon frequency omega, also the pairing cutoff (Hg(3), Methods)"
    )
    g_l0_over_omega: float = Field(0.6, gt=0, description="g l0 / omega (Fig. 2, Methods)")
    tc_undistorted: quantity("K", gt=0) = Field(
        "20 K", description="second-order T_c of the undistorted crystal (fixes U0)"
    )


class DiagramParams(RamanModeParams):
    """One point of the metastability diagram (Fig. 2b) and the K3C60 reference point."""

    nu0: quantity("1/eV", gt=0) = Field(
        40.0, description="density of states nu(0) per spin per site, 1/eV"
    )
    delta_e: quantity("meV", gt=0) = Field("150 meV", description="level splitting Delta_E")
    k3c60_nu0: quantity("1/eV", gt=0) = Field(
        6.6, description="K3C60 (DFT) nu(0) per spin per C60, 1/eV"
    )
    k3c60_delta_e: quantity("meV", gt=0) = Field(
        "250 meV", description="K3C60 (DFT) t1u peak separation Delta_E"
    )


class DiagramNumerics(Numerics):
    """Numerics of one diagram point."""

    n_q: int = Field(200, ge=20, description="q points of the stored T = 0 landscape")

    memory_fields = ("n_q",)

    def estimated_bytes(self, params: Params) -> int:
        """The stored landscape and its q grid: ~8 arrays of n_q floats."""
        return FLOAT_BYTES * 8 * self.n_q


def _run_diagram_point(params: DiagramParams, numerics: DiagramNumerics) -> ModelOutput:
    model = build_model(
        params.omega, params.g_l0_over_omega, params.nu0, params.delta_e, params.tc_undistorted
    )
    summary = point_summary(model, params.tc_undistorted)
    k3 = build_model(
        params.omega,
        params.g_l0_over_omega,
        params.k3c60_nu0,
        params.k3c60_delta_e,
        params.tc_undistorted,
    )
    summary["kind_k3c60"] = raman.classify(k3).kind
    summary["k3c60_nu0"] = params.k3c60_nu0
    summary["k3c60_delta_e_meV"] = params.k3c60_delta_e
    q = np.linspace(0.0, raman.q_range(model), numerics.n_q)
    ds = xr.Dataset(
        {
            "energy_t0": (
                "q",
                raman.zero_t_energy(model, q),
                {"units": "meV", "long_name": "T = 0 energy E(Q) - E_N per site"},
            ),
            "gap_t0": (
                "q",
                raman.gap_from_table(model.coupling(q), 0.0, model.omega),
                {"units": "meV", "long_name": "T = 0 gap Delta(Q)"},
            ),
        },
        coords={"q": ("q", q, {"units": "1", "long_name": "displacement Q / l0"})},
    )
    return ModelOutput(ds, summary)


def summarize_diagram(ds: xr.Dataset) -> dict[str, Any]:
    """Fractions of each kind over the swept grid and the kind at the K3C60 point."""
    kinds = np.asarray(ds["kind"].values).astype(str)
    ok = kinds != ""
    n = max(int(ok.sum()), 1)
    out: dict[str, Any] = {
        "fraction_normal": float(np.sum(kinds == "normal") / n),
        "fraction_I": float(np.sum(kinds == "I") / n),
        "fraction_II": float(np.sum(kinds == "II") / n),
    }
    k3 = np.asarray(ds["kind_k3c60"].values).astype(str)
    k3 = k3[k3 != ""]
    out["kind_k3c60"] = str(k3.flat[0]) if k3.size else "unknown"
    return out


def plot_diagram(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """The metastability diagram (Fig. 2b): kind over (nu0, delta_e), K3C60 point marked."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    code = ds["kind_code"].transpose("delta_e", "nu0")
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    cmap = ListedColormap(["#dddddd", "#3a9a4a", "#2c5fa8"])
    nu = ds["nu0"].values
    de = ds["delta_e"].values
    ax.pcolormesh(nu, de, code.values, cmap=cmap, vmin=-0.5, vmax=2.5, shading="nearest")
    if "k3c60_nu0" in ds:
        x = float(np.nanmax(ds["k3c60_nu0"].values))
        y = float(np.nanmax(ds["k3c60_delta_e_meV"].values))
        ax.plot([x], [y], "r*", ms=12, label=f"K3C60 (DFT): {summary.get('kind_k3c60', '?')}")
    for k, c in zip(KINDS, cmap.colors):
        ax.plot([], [], "s", color=c, label=k)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_xlabel(r"$\nu(0)$ (1/eV per spin per site)")
    ax.set_ylabel(r"$\Delta E$ (meV)")
    ax.set_title("metastability: normal (grey), I (green), II (blue)")
    fig.tight_layout()
    return {"metastability_diagram": fig}


# --------------------------------------------------------------------------------------
# landscapes of a type-I and a type-II point (Figs. 2a, 2c)
# --------------------------------------------------------------------------------------
class LandscapeParams(RamanModeParams):
    """A metastable-I and a metastable-II point and the temperatures of the landscapes."""

    nu0_i: quantity("1/eV", gt=0) = Field(42.0, description="nu(0) of the type-I point, 1/eV")
    delta_e_i: quantity("meV", gt=0) = Field("150 meV", description="Delta_E, type-I point")
    nu0_ii: quantity("1/eV", gt=0) = Field(50.0, description="nu(0) of the type-II point, 1/eV")
    delta_e_ii: quantity("meV", gt=0) = Field("150 meV", description="Delta_E, type-II point")
    t_over_tb: list[float] = Field(
        [0.0, 0.5, 0.9, 1.1], description="temperatures of F(Q) curves, in units of T_B (>= 0)"
    )


class LandscapeNumerics(Numerics):
    """Grids of the landscapes."""

    n_q: int = Field(300, ge=20, description="q points")
    n_delta: int = Field(120, ge=10, description="Delta points of the (Q, Delta) map")
    n_t: int = Field(40, ge=4, description="temperatures of the Delta_MS(T) inset")

    memory_fields = ("n_q", "n_delta")

    def estimated_bytes(self, params: Params) -> int:
        """The (Q, Delta) maps of both points and their broadcast temporaries (~4 x 2 maps)."""
        return FLOAT_BYTES * 8 * self.n_q * self.n_delta


def _ms_gap_vs_t(model: raman.RamanModel, kt_b: float, n_t: int) -> tuple[np.ndarray, ...]:
    """Gap at the metastable minimum and at Q = 0 versus T on [0, T_B) (Fig. 2a inset)."""
    kts = np.linspace(0.0, kt_b, n_t, endpoint=False)
    d_ms = np.zeros(n_t)
    for i, kt in enumerate(kts):
        cp = raman.critical_points(model, float(kt), refine=False)
        if cp.minima.size:
            d_ms[i] = float(raman.gap(model, cp.minima[-1], float(kt)))
    d_eq = np.array([float(raman.gap(model, 0.0, float(kt))) for kt in kts])
    return kts, d_ms, d_eq


def _run_landscape(params: LandscapeParams, numerics: LandscapeNumerics) -> ModelOutput:
    if any(x < 0 for x in params.t_over_tb):
        raise ValueError(f"t_over_tb must be >= 0, got {params.t_over_tb}")
    pts = [("I", params.nu0_i, params.delta_e_i), ("II", params.nu0_ii, params.delta_e_ii)]
    models = [
        build_model(params.omega, params.g_l0_over_omega, nu, de, params.tc_undistorted)
        for _, nu, de in pts
    ]
    sums = [point_summary(m, params.tc_undistorted) for m in models]
    q_top = 1.5 * max([s["q_ms"] for s in sums] + [0.5])
    q = np.linspace(0.0, q_top, numerics.n_q)
    t_frac = np.asarray(params.t_over_tb, dtype=float)
    f_q = np.zeros((2, t_frac.size, q.size))
    temps = np.zeros((2, t_frac.size))
    for i, (m, s) in enumerate(zip(models, sums)):
        kt_b = s["t_b_K"] * KB
        for j, fr in enumerate(t_frac):
            kt = fr * (kt_b if kt_b > 0 else KB * params.tc_undistorted)
            temps[i, j] = kt / KB
            f_q[i, j] = raman.landscape(m, q, kt)
    d_top = 1.5 * max(s["delta_ms_meV"] for s in sums) + 1.0
    dgrid = np.linspace(0.0, d_top, numerics.n_delta)
    f_map = np.stack([raman.landscape_direct(m, q[:, None], 0.0, dgrid[None, :]) for m in models])
    n_t = numerics.n_t
    ins_t = np.zeros((2, n_t))
    ins_ms = np.zeros((2, n_t))
    ins_eq = np.zeros((2, n_t))
    for i, (m, s) in enumerate(zip(models, sums)):
        if s["t_b_K"] > 0:
            kts, dm, de_ = _ms_gap_vs_t(m, s["t_b_K"] * KB, n_t)
            ins_t[i], ins_ms[i], ins_eq[i] = kts / KB, dm, de_
    point = [p[0] for p in pts]
    ds = xr.Dataset(
        {
            "free_energy": (
                ("point", "t_index", "q"),
                f_q,
                {"units": "meV", "long_name": "F(Q, T) - F(0, T) per site"},
            ),
            "temperature": (
                ("point", "t_index"),
                temps,
                {"units": "K", "long_name": "temperature of the F(Q) curve"},
            ),
            "free_energy_map": (
                ("point", "q", "delta"),
                f_map,
                {"units": "meV", "long_name": "F(Q, Delta) - F_N at T = 0 per site"},
            ),
            "inset_temperature": (
                ("point", "inset_index"),
                ins_t,
                {"units": "K", "long_name": "temperature (Fig. 2a inset)"},
            ),
            "delta_ms": (
                ("point", "inset_index"),
                ins_ms,
                {"units": "meV", "long_name": "gap at the metastable minimum"},
            ),
            "delta_equilibrium": (
                ("point", "inset_index"),
                ins_eq,
                {"units": "meV", "long_name": "equilibrium gap at Q = 0"},
            ),
        },
        coords={
            "point": ("point", np.array(point), {"units": "1", "long_name": "parameter point"}),
            "t_over_tb": ("t_index", t_frac, {"units": "1", "long_name": "T / T_B"}),
            "q": ("q", q, {"units": "1", "long_name": "displacement Q / l0"}),
            "delta": ("delta", dgrid, {"units": "meV", "long_name": "gap Delta"}),
        },
    )
    summary: dict[str, Any] = {}
    for key in (
        "kind",
        "q_ms",
        "q_barrier",
        "t_b_K",
        "tc_K",
        "delta_ms_meV",
        "delta_ms_over_delta0",
        "energy_ms_meV",
        "t_b_over_tc",
    ):
        summary[key] = [s[key] for s in sums]
    return ModelOutput(ds, summary)


def _plot_landscape(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    figs: dict[str, Any] = {}
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, p in zip(axes, ds["point"].values):
        sub = ds.sel(point=p)
        for j in range(sub.sizes["t_index"]):
            ax.plot(
                sub["q"],
                sub["free_energy"][j],
                label=f"T = {float(sub['temperature'][j]):.0f} K",
            )
        ax.set_xlabel(r"$Q/\ell_0$")
        ax.set_ylabel(r"$F(Q,T)-F(0,T)$ (meV)")
        ax.set_title(
            f"metastable {p}: T_B = {summary['t_b_K'][list(ds['point'].values).index(p)]:.0f} K"
        )
        ax.legend(fontsize=8)
    fig.tight_layout()
    figs["landscape_q"] = fig
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, p in zip(axes, ds["point"].values):
        m = ds["free_energy_map"].sel(point=p)
        im = ax.pcolormesh(ds["q"], ds["delta"], m.T, shading="auto", cmap="viridis")
        fig.colorbar(im, ax=ax, label="meV")
        ax.set_xlabel(r"$Q/\ell_0$")
        ax.set_ylabel(r"$\Delta$ (meV)")
        ax.set_title(f"F(Q, Delta), T = 0, metastable {p}")
    fig.tight_layout()
    figs["landscape_q_delta"] = fig
    fig, ax = plt.subplots(figsize=(5, 4))
    for p in ds["point"].values:
        sub = ds.sel(point=p)
        ax.plot(sub["inset_temperature"], sub["delta_ms"], label=f"Delta_MS ({p})")
        ax.plot(sub["inset_temperature"], sub["delta_equilibrium"], "--", label=f"Delta(T) ({p})")
    ax.set_xlabel("T (K)")
    ax.set_ylabel(r"$\Delta$ (meV)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    figs["gap_metastable_vs_equilibrium"] = fig
    return figs


MODELS = [
    ModelSpec(
        name="metastability-landscape",
        paper="000",
        description="Adiabatic free energy F(Q, T) of a displaced Raman phonon, types I and II "
        "(paper 000 Eqs. 24-26, Figs. 2a, 2c)",
        params=LandscapeParams,
        numerics=LandscapeNumerics,
        run=_run_landscape,
        plot=_plot_landscape,
    ),
    ModelSpec(
        name="metastability-diagram",
        paper="000",
        description="Kind of metastability (normal, I, II) at one (nu(0), Delta_E) point; "
        "swept over the grid it is the diagram of paper 000 Fig. 2b",
        params=DiagramParams,
        numerics=DiagramNumerics,
        run=_run_diagram_point,
        summarize_sweep=summarize_diagram,
        plot_sweep=plot_diagram,
    ),
]
