"""Cavity quantum Eliashberg effect (paper 004: Curtis et al., PRL 122, 167002 (2019)).

A 2D superconducting film at the antinode of a microwave cavity; the cavity photons are
thermal at T_cav, the quasi-particles relax to T_qp through phonons (tau_in). To first
order in tau_in the photons change the quasi-particle distribution by delta n(E)
(Eq. 14, kernel Eq. 15), which changes the gap (GL: Eqs. 17-18; here also the full BCS
gap equation Eq. 1 with n = n_F + delta n[Delta], solved self-consistently).

Units: paper 004 is dimensionless. hbar = k_B = 1 and every energy is in units of
k_B T_c (T_c = 1): T_qp, T_cav, omega_0, the linewidth, E, Delta. Parameters are given as
ratios (T_qp/T_c, T_cav/T_qp, omega_0/Delta_0, linewidth/omega_0) and the coupling
strength as the paper's dimensionless X and pi alpha D tau_in T_c^2/c^2. The BCS coupling
nu(0)U only fixes Delta_0(T_qp)/T_c (weak coupling, cutoff chosen so that T_c = 1).

Models
------
* ``cavity-multimode`` (Fig. 1a): delta Delta/Delta_0 vs omega_0/Delta_0, several T_cav.
* ``cavity-distribution`` (Fig. 2): delta n(E) below and above omega_0 = 2 Delta_0.
* ``cavity-single-mode`` (Fig. 3): single-mode Lorentzian J, hot and cold photons, at
  the printed linewidth 1/(2 tau_cav) = 10 omega_0 and at a narrow line.

The choices left open by the printed equations (Eq. 14's Omega range, Eq. 16's
normalisation, the DOS in Eqs. 17-18) are derived in :mod:`photosc.cores.cavity` and
selectable here (``omega_integration``, ``j_normalisation``, ``dos_convention``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, Literal

import numpy as np
import xarray as xr
from pydantic import Field

from photosc.cores import bcs
from photosc.cores import cavity as cv
from photosc.foundation.distributions import fermi
from photosc.foundation.progress import progress
from photosc.models._base import FLOAT_BYTES, ModelOutput, ModelSpec, Numerics, Params

_DIMLESS = "1"
#: A photon temperature ratio T_cav / T_qp (>= 0, finite).
TempRatio = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]


# --------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------
class _CavityParams(Params):
    """Parameters shared by the three paper-004 models (energies in units of k_B T_c)."""

    t_qp_over_tc: float = Field(
        0.95,
        gt=0.0,
        lt=1.0,
        description="T_qp / T_c, quasi-particle (phonon bath) temperature; the paper leaves "
        "it open, 0.95 is in the Ginzburg-Landau regime of Eqs. 17-18",
    )
    x_enhancement: float = Field(
        133.0, ge=0.0, description="phenomenological enhancement X of J_cav (Fig. 1: 133)"
    )
    coupling_scale: float = Field(
        9.17e-5,
        ge=0.0,
        description="pi alpha D tau_in T_c^2 / c^2, dimensionless (Fig. 1: 9.17e-5)",
    )
    omega_integration: Literal["positive", "all"] = Field(
        "positive",
        description="Eq. 14 reading: 'positive' (Omega > 0, each process once, derived from "
        "Eq. 8) or 'all' (Omega over the real line, scattering counted twice)",
    )
    dos_convention: Literal["bcs", "eq1"] = Field(
        "bcs",
        description="DOS in Eqs. 17-18: 'bcs' nu_qp/nu_F = E/sqrt(E^2-Delta^2) (follows from "
        "the gap equation), 'eq1' Eq. 1's 2E/sqrt(E^2-Delta^2) (doubles the gap change)",
    )
    bcs_coupling: float = Field(
        0.25,
        gt=0.0,
        le=0.5,
        description="BCS nu(0)U (weak coupling); fixes only Delta_0(T_qp)/T_c, the cutoff "
        "is chosen so that T_c = 1",
    )


class MultimodeParams(_CavityParams):
    """Fig. 1a: multimode planar cavity (Eq. 16). Energies in units of k_B T_c."""

    t_cav_over_t_qp: list[TempRatio] = Field(
        [0.1, 0.25, 0.5, 0.75],
        min_length=1,
        description="photon temperatures T_cav / T_qp (>= 0), one curve each; the onset is "
        "read from the coldest",
    )
    omega0_over_delta0_max: float = Field(
        5.0, gt=0.2, le=50.0, description="largest cavity frequency omega_0 / Delta_0"
    )
    linewidth_over_omega0: float = Field(
        0.0,
        ge=0.0,
        description="1/(2 tau_cav) / omega_0 of Eq. 11 (0: ideal mirrors, J ~ theta(Omega - "
        "omega_0) as quoted after Eq. 18; the paper gives no value for Fig. 1)",
    )
    j_normalisation: Literal["derived", "quoted"] = Field(
        "derived",
        description="Eq. 16 prefactor: 'derived' (4/pi) X pi alpha D tau_in/c^2 (mode "
        "normalisation 2/L at the antinode, TE+TM), 'quoted' without 4/pi",
    )


class SingleModeParams(_CavityParams):
    """Fig. 3: single-mode cavity, Lorentzian J. Energies in units of k_B T_c."""

    t_cav_over_t_qp: list[TempRatio] = Field(
        [0.25, 0.5, 1.5, 2.0],
        min_length=1,
        description="photon temperatures T_cav / T_qp (>= 0); < 1 cold, > 1 hot",
    )
    linewidth_over_omega0: float = Field(
        10.0, gt=0.0, description="1/(2 tau_cav) / omega_0 (Fig. 3 caption: 10)"
    )
    narrow_linewidth_over_omega0: float = Field(
        0.1, gt=0.0, description="a narrow line run beside the printed one, / omega_0"
    )
    omega0_over_delta0_max: float = Field(
        5.0, gt=0.2, le=50.0, description="largest cavity frequency omega_0 / Delta_0"
    )


class DistributionParams(_CavityParams):
    """Fig. 2: delta n(E) for one cold photon temperature, two cavity frequencies."""

    t_cav_over_t_qp: float = Field(0.5, ge=0.0, description="T_cav / T_qp (Fig. 2: 0.5)")
    omega0_low_over_delta0: float = Field(
        1.0, gt=0.0, lt=2.0, description="cavity frequency below 2 Delta_0, / Delta_0"
    )
    omega0_high_over_delta0: float = Field(
        3.5, gt=2.0, le=20.0, description="cavity frequency above 2 Delta_0, / Delta_0"
    )
    linewidth_over_omega0: float = Field(
        0.0,
        ge=0.0,
        description="1/(2 tau_cav) / omega_0 of the multimode J (0: ideal mirrors; a finite "
        "width rounds the kinks, so kinks_over_delta0 is meaningful only near 0)",
    )


class CavityNumerics(Numerics):
    """Numerical options of the paper-004 models."""

    n_omega0: int = Field(60, ge=3, description="cavity frequencies on the omega_0 axis")
    n_nodes: int = Field(12, ge=4, le=64, description="Gauss-Legendre nodes per panel")
    n_omega0_bcs: int = Field(
        6,
        ge=0,
        description="cavity frequencies (a subset of the axis) where the full BCS gap "
        "equation is also solved self-consistently (0: none)",
    )
    bcs_tol: float = Field(1e-9, gt=0.0, lt=1e-3, description="relative tolerance on Delta")

    memory_fields = ("n_omega0", "n_nodes")

    def estimated_bytes(self, params: Params) -> int:
        """Quadrature tables over the omega_0 axis: ~8 arrays of n_omega0 x n_nodes floats."""
        return FLOAT_BYTES * 8 * self.n_omega0 * self.n_nodes


class DistributionNumerics(Numerics):
    """Numerical options of ``cavity-distribution``."""

    n_energy: int = Field(1200, ge=100, description="points of the uniform E grid for delta n")
    e_max_over_delta0: float = Field(
        0.0, ge=0.0, description="upper end of the E grid / Delta_0 (0: omega_high + 3)"
    )
    n_nodes: int = Field(12, ge=4, le=64, description="Gauss-Legendre nodes per panel")
    full_bcs: bool = Field(True, description="also solve the full BCS gap equation")
    bcs_tol: float = Field(1e-9, gt=0.0, lt=1e-3, description="relative tolerance on Delta")

    memory_fields = ("n_energy", "n_nodes")

    def estimated_bytes(self, params: Params) -> int:
        """Eq. 14 quadrature: ~6 arrays of n_energy x n_nodes floats per panel set."""
        return FLOAT_BYTES * 6 * self.n_energy * self.n_nodes


# --------------------------------------------------------------------------------------
# shared pieces
# --------------------------------------------------------------------------------------
def bcs_in_tc_units(coupling: float) -> float:
    """Debye cutoff (units of k_B T_c) giving T_c = 1 at BCS coupling nu(0)U = ``coupling``."""
    c0 = 50.0
    return c0 / bcs.critical_temperature(coupling, c0)


def equilibrium_gap_tc(t_qp: float, coupling: float, tol: float = 1e-12) -> tuple[float, float]:
    """(Delta_0(T_qp), cutoff), both in units of k_B T_c.

    Delta_0 is solved through the same quadrature path of :func:`bcs.solve_gap` (a user
    occupation, here n_F) as the non-equilibrium gap, so that delta Delta = Delta[n_F +
    delta n] - Delta[n_F] carries no discretisation offset.
    """
    cutoff = bcs_in_tc_units(coupling)
    guess = float(bcs.gap_near_tc(t_qp, 1.0)) if t_qp > 0.5 else None
    sol = bcs.solve_gap(coupling, cutoff, lambda e, d: fermi(e, t_qp), delta_guess=guess, tol=tol)
    return sol.delta, cutoff


def _dos_factor(conv: str) -> float:
    return 1.0 if conv == "bcs" else 2.0


class _Bath:
    """W(Omega) = tau_in X J(Omega) delta N(Omega) for a list of photon temperatures."""

    def __init__(
        self,
        kind: str,
        omega0: float,
        linewidth: float,
        prefactor: float,
        t_cav: np.ndarray,
        t_qp: float,
    ):
        self.kind, self.omega0, self.linewidth = kind, omega0, linewidth
        self.prefactor, self.t_cav, self.t_qp = prefactor, np.asarray(t_cav, float), t_qp

    def j(self, om: np.ndarray) -> np.ndarray:
        if self.kind == "multimode":
            return cv.j_multimode(om, self.omega0, self.linewidth, self.prefactor)
        return cv.j_single_mode(om, self.omega0, self.linewidth, self.prefactor)

    def weight(self, om: np.ndarray) -> np.ndarray:
        tc = self.t_cav.reshape(self.t_cav.shape + (1,) * np.ndim(om))
        return self.j(om) * cv.photon_occupation_change(om, tc, self.t_qp)

    def single(self, i: int) -> Callable[[np.ndarray], np.ndarray]:
        t_i = float(self.t_cav[i])
        return lambda om: self.j(om) * cv.photon_occupation_change(om, t_i, self.t_qp)

    @property
    def breakpoints(self) -> list[float]:
        w0, k = self.omega0, self.linewidth
        if k == 0.0:
            return [w0]
        offs = [-8.0, -3.0, -1.0, 0.0, 1.0, 3.0, 8.0]
        return [w0 + c * k for c in offs if w0 + c * k > 0]

    @property
    def omega_max(self) -> float:
        t_max = max(self.t_qp, float(np.max(self.t_cav)))
        return self.omega0 + 40.0 * t_max


def _gl_change(bath: _Bath, delta0: float, p: _CavityParams, n_nodes: int) -> np.ndarray:
    """delta Delta/Delta_0 from Eq. 18 for every photon temperature of ``bath``, (n_T,)."""
    t = p.t_qp_over_tc
    t_max = max(t, float(np.max(bath.t_cav)))
    cuts = [b + delta0 for b in bath.breakpoints] + [b - delta0 for b in bath.breakpoints]
    cuts += [delta0 + x for x in cv.thermal_breakpoints(t)]
    e, w = cv.gap_integral_weights(delta0, delta0 + 40.0 * t_max, cuts, n_nodes=n_nodes)
    dn = cv.distribution_change(
        e,
        delta0,
        t,
        bath.weight,
        omega_max=bath.omega_max,
        breakpoints=bath.breakpoints,
        omega_integration=p.omega_integration,
        n_nodes=n_nodes,
    )
    return cv.gl_relative_gap_change(dn @ w, t, _dos_factor(p.dos_convention))


def _bcs_change(
    bath: _Bath, i: int, delta0: float, cutoff: float, p: _CavityParams, tol: float, n_nodes: int
) -> float:
    """Full self-consistent BCS delta Delta/Delta_0 for photon temperature index i."""
    sol = cv.solve_cavity_gap(
        p.bcs_coupling,
        cutoff,
        p.t_qp_over_tc,
        bath.single(i),
        omega_max=bath.omega_max,
        breakpoints=bath.breakpoints,
        omega_integration=p.omega_integration,
        dos_factor=_dos_factor(p.dos_convention),
        delta_guess=delta0,
        tol=tol,
        n_nodes=n_nodes,
    )
    return sol.delta / delta0 - 1.0


def _var(data: Any, dims: tuple[str, ...], long_name: str, units: str = _DIMLESS) -> xr.Variable:
    return xr.Variable(
        dims, np.asarray(data, dtype=float), {"units": units, "long_name": long_name}
    )


def _gap_change_attrs(p: Any, delta0: float, t: float, cutoff: float, pref: float) -> dict:
    """Dataset attributes shared by the gap-change models (multimode and single mode)."""
    return {
        "delta0_over_tc": delta0,
        "t_qp_over_tc": t,
        "bcs_cutoff_over_tc": cutoff,
        "j_prefactor": pref,
        "omega_integration": p.omega_integration,
        "dos_convention": p.dos_convention,
        "units_note": "energies in units of k_B T_c (paper 004 is dimensionless)",
    }


def _coord(name: str, values: Any, long_name: str) -> xr.Variable:
    return xr.Variable(
        (name,), np.asarray(values, dtype=float), {"units": _DIMLESS, "long_name": long_name}
    )


def onset(x: np.ndarray, y: np.ndarray) -> tuple[bool, float]:
    """Smallest x above which y > 0 on the rest of the grid (linear zero crossing).

    Returns (found, x_onset); not found (y <= 0 at the last point) gives (False, x[-1]);
    y > 0 everywhere gives (True, x[0]).
    """
    nonpos = np.flatnonzero(y <= 0)
    if nonpos.size == 0:
        return True, float(x[0])
    i = int(nonpos[-1])
    if i == len(x) - 1:
        return False, float(x[-1])
    x0, x1, y0, y1 = x[i], x[i + 1], y[i], y[i + 1]
    return True, float(x0 + (x1 - x0) * (-y0) / (y1 - y0))


def _omega_axis(xmax: float, n: int) -> np.ndarray:
    return np.linspace(xmax / n, xmax, n)


def _omega_nodes(
    baths: list[_Bath], delta0: float, t: float, n_nodes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes/weights on (0, max omega_max) with edges at every bath feature."""
    w_max = max(b.omega_max for b in baths)
    edges = [0.0, 2.0 * delta0, *cv.thermal_breakpoints(t)]
    for b in baths:
        edges += b.breakpoints
    uni = np.linspace(0.0, w_max, max(8, math.ceil(w_max / 0.5)) + 1)
    e = np.unique(np.concatenate([uni, np.asarray(edges, float)]))
    e = e[(e >= 0.0) & (e <= w_max)]
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    h = np.diff(e)[:, None]
    return (e[:-1, None] + 0.5 * h * (x + 1.0)).ravel(), (0.5 * h * w).ravel()


def _gl_sweep(baths: list[_Bath], delta0: float, p: _CavityParams, n_nodes: int) -> np.ndarray:
    """GL delta Delta/Delta_0 (Eq. 18) for every bath and photon temperature, (n_T, n_bath).

    Uses the swapped-order form int dOmega W(Omega) G(Omega) (:func:`cv.gap_response`):
    G is computed once on Omega panels whose edges include every bath's features, then each
    cavity frequency is one weighted sum. :func:`_gl_change` (delta n(E) first, Eq. 14 then
    Eq. 18) is the direct route; the two agree (tests, and ``gl_route_difference``).
    """
    t = p.t_qp_over_tc
    om, w = _omega_nodes(baths, delta0, t, n_nodes)
    g = cv.gap_response(om, delta0, t, omega_integration=p.omega_integration)
    out = np.empty((len(baths[0].t_cav), len(baths)))
    for j, b in enumerate(baths):
        out[:, j] = (b.weight(om) * g) @ w
    return cv.gl_relative_gap_change(out, t, _dos_factor(p.dos_convention))


def _sweep(
    kind: str,
    p: MultimodeParams | SingleModeParams,
    num: CavityNumerics,
    linewidth_ratio: float,
    prefactor: float,
    delta0: float,
    cutoff: float,
    x: np.ndarray,
    desc: str,
    bcs_idx: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, float]:
    """GL gap change (n_T, n_x), full-BCS gap change (n_T, len(bcs_idx)), route check.

    The route check is |GL via G(Omega)| - GL via delta n(E)| at the middle frequency.
    """
    t = p.t_qp_over_tc
    t_cav = np.asarray(p.t_cav_over_t_qp, float) * t
    baths = [
        _Bath(kind, xi * delta0, linewidth_ratio * xi * delta0, prefactor, t_cav, t) for xi in x
    ]
    gl = _gl_sweep(baths, delta0, p, num.n_nodes)
    mid = len(x) // 2
    route = float(np.max(np.abs(_gl_change(baths[mid], delta0, p, num.n_nodes) - gl[:, mid])))
    full = np.zeros((len(t_cav), len(bcs_idx)))
    for k in progress(range(len(bcs_idx)), desc=desc):
        for i in range(len(t_cav)):
            full[i, k] = _bcs_change(
                baths[int(bcs_idx[k])], i, delta0, cutoff, p, num.bcs_tol, num.n_nodes
            )
    return gl, full, route


def _bcs_indices(n_x: int, n_bcs: int) -> np.ndarray:
    if n_bcs <= 0:
        return np.zeros(0, dtype=int)
    return np.unique(np.linspace(0, n_x - 1, min(n_bcs, n_x)).round().astype(int))


def _check_temperatures(values: list[float], name: str) -> None:
    bad = [v for v in values if not (math.isfinite(v) and v >= 0)]
    if bad:
        raise ValueError(f"{name} must be finite and >= 0, got {bad}")


# --------------------------------------------------------------------------------------
# cavity-multimode (Fig. 1a)
# --------------------------------------------------------------------------------------
def run_multimode(p: MultimodeParams, num: CavityNumerics) -> ModelOutput:
    """Fig. 1a: GL gap change (Eq. 18) vs omega_0/Delta_0, multimode J (Eq. 16)."""
    _check_temperatures(p.t_cav_over_t_qp, "t_cav_over_t_qp")
    t = p.t_qp_over_tc
    delta0, cutoff = equilibrium_gap_tc(t, p.bcs_coupling)
    pref = cv.multimode_prefactor(p.x_enhancement, p.coupling_scale, p.j_normalisation)
    x = _omega_axis(p.omega0_over_delta0_max, num.n_omega0)
    idx = _bcs_indices(len(x), num.n_omega0_bcs)
    gl, full, route = _sweep(
        "multimode", p, num, p.linewidth_over_omega0, pref, delta0, cutoff, x,
        "cavity-multimode (full BCS)", idx,
    )  # fmt: skip
    other = "all" if p.omega_integration == "positive" else "positive"
    p_other = p.model_copy(update={"omega_integration": other})
    coldest = int(np.argmin(p.t_cav_over_t_qp))
    p_cold = p_other.model_copy(update={"t_cav_over_t_qp": [p.t_cav_over_t_qp[coldest]]})
    gl_other, _, _ = _sweep(
        "multimode", p_cold, num, p.linewidth_over_omega0, pref, delta0, cutoff, x,
        "cavity-multimode (other Eq. 14 reading)", np.zeros(0, dtype=int),
    )  # fmt: skip
    found, x_on = onset(x, gl[coldest])
    per_curve = [onset(x, gl[i]) for i in range(len(p.t_cav_over_t_qp))]
    found_o, x_on_o = onset(x, gl_other[0])
    ds = xr.Dataset(
        {
            "relative_gap_change": _var(
                gl,
                ("t_cav_over_t_qp", "omega0_over_delta0"),
                "delta Delta / Delta_0 (GL, Eq. 18)",
            ),
            "relative_gap_change_other_reading": _var(
                gl_other[0],
                ("omega0_over_delta0",),
                f"delta Delta / Delta_0 of the coldest curve, Eq. 14 read as '{other}'",
            ),
            "relative_gap_change_bcs": _var(
                full,
                ("t_cav_over_t_qp", "omega0_over_delta0_bcs"),
                "delta Delta / Delta_0 (full self-consistent BCS, Eq. 1)",
            ),
        },  # fmt: skip
        coords={
            "t_cav_over_t_qp": _coord("t_cav_over_t_qp", p.t_cav_over_t_qp, "T_cav / T_qp"),
            "omega0_over_delta0": _coord("omega0_over_delta0", x, "omega_0 / Delta_0"),
            "omega0_over_delta0_bcs": _coord(
                "omega0_over_delta0_bcs", x[idx], "omega_0 / Delta_0 (full BCS points)"
            ),
        },
        attrs=_gap_change_attrs(p, delta0, t, cutoff, pref),
    )
    diff = np.abs(full - gl[:, idx]) if idx.size else np.zeros(1)
    summary = {
        "delta0_over_tc": delta0,
        "onset_found": found,
        "onset_omega0_over_delta0": x_on,
        "onset_omega0_over_delta0_per_curve": [v for _, v in per_curve],
        "onset_found_per_curve": [f for f, _ in per_curve],
        "onset_other_reading_found": found_o,
        "onset_omega0_over_delta0_other_reading": x_on_o,
        "other_reading": other,
        "max_relative_gap_change": float(np.max(gl)),
        "min_relative_gap_change": float(np.min(gl)),
        "max_relative_gap_change_coldest": float(np.max(gl[coldest])),
        "max_gl_bcs_difference": float(np.max(diff)),
        "gl_route_difference": route,
    }
    return ModelOutput(dataset=ds, summary=summary)


def plot_multimode(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Fig. 1a: delta Delta/Delta_0 vs omega_0/Delta_0."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.2))
    x = ds["omega0_over_delta0"].values
    for i, tr in enumerate(ds["t_cav_over_t_qp"].values):
        (line,) = ax.plot(x, ds["relative_gap_change"].values[i], label=f"T_cav/T_qp = {tr:g}")
        if ds.sizes["omega0_over_delta0_bcs"]:
            ax.plot(
                ds["omega0_over_delta0_bcs"].values,
                ds["relative_gap_change_bcs"].values[i],
                "o",
                color=line.get_color(),
                ms=4,
            )
    ax.plot(x, ds["relative_gap_change_other_reading"].values, "k:", lw=1,
            label=f"coldest, Eq. 14 '{summary['other_reading']}'")  # fmt: skip
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.axvline(2.0, color="0.6", lw=0.8, ls="--")
    ax.set_xlabel(r"$\omega_0/\Delta_0$")
    ax.set_ylabel(r"$\delta\Delta/\Delta_0$ (lines GL Eq. 18, dots full BCS)")
    ax.set_title(f"multimode cavity, T_qp = {ds.attrs['t_qp_over_tc']:g} T_c")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return {"gap_change": fig}


# --------------------------------------------------------------------------------------
# cavity-single-mode (Fig. 3)
# --------------------------------------------------------------------------------------
def run_single_mode(p: SingleModeParams, num: CavityNumerics) -> ModelOutput:
    """Fig. 3: single-mode Lorentzian J, printed and narrow linewidth, hot and cold."""
    _check_temperatures(p.t_cav_over_t_qp, "t_cav_over_t_qp")
    t = p.t_qp_over_tc
    delta0, cutoff = equilibrium_gap_tc(t, p.bcs_coupling)
    pref = cv.single_mode_prefactor(p.x_enhancement, p.coupling_scale)
    x = _omega_axis(p.omega0_over_delta0_max, num.n_omega0)
    idx = _bcs_indices(len(x), num.n_omega0_bcs)
    widths = [p.linewidth_over_omega0, p.narrow_linewidth_over_omega0]
    gl = np.zeros((2, len(p.t_cav_over_t_qp), len(x)))
    full = np.zeros((2, len(p.t_cav_over_t_qp), len(idx)))
    route = 0.0
    for k, lw in enumerate(widths):
        gl[k], full[k], r = _sweep(
            "single", p, num, lw, pref, delta0, cutoff, x, f"cavity-single-mode ({lw:g})", idx
        )
        route = max(route, r)
    tr = np.asarray(p.t_cav_over_t_qp)
    hot, cold = tr > 1.0, tr < 1.0

    def ext(k: int, mask: np.ndarray) -> float:
        return float(np.max(gl[k][mask])) if mask.any() else 0.0

    dims = ("linewidth_over_omega0", "t_cav_over_t_qp", "omega0_over_delta0")
    ds = xr.Dataset(
        {
            "relative_gap_change": _var(gl, dims, "delta Delta / Delta_0 (GL, Eq. 18)"),
            "relative_gap_change_bcs": _var(
                full,
                dims[:2] + ("omega0_over_delta0_bcs",),
                "delta Delta / Delta_0 (full self-consistent BCS, Eq. 1)",
            ),  # fmt: skip
        },
        coords={
            "linewidth_over_omega0": _coord(
                "linewidth_over_omega0", widths, "1/(2 tau_cav) / omega_0"
            ),
            "t_cav_over_t_qp": _coord("t_cav_over_t_qp", tr, "T_cav / T_qp"),
            "omega0_over_delta0": _coord("omega0_over_delta0", x, "omega_0 / Delta_0"),
            "omega0_over_delta0_bcs": _coord(
                "omega0_over_delta0_bcs", x[idx], "omega_0 / Delta_0 (full BCS points)"
            ),
        },
        attrs=_gap_change_attrs(p, delta0, t, cutoff, pref),
    )
    summary = {
        "delta0_over_tc": delta0,
        "has_hot_curves": bool(hot.any()),
        "has_cold_curves": bool(cold.any()),
        "max_relative_gap_change_hot": ext(0, hot),
        "max_relative_gap_change_cold": ext(0, cold),
        "max_relative_gap_change_hot_narrow": ext(1, hot),
        "max_relative_gap_change_cold_narrow": ext(1, cold),
        "min_relative_gap_change_hot": float(np.min(gl[0][hot])) if hot.any() else 0.0,
        "scale_fig3": pref,
        "max_gl_bcs_difference": float(np.max(np.abs(full - gl[:, :, idx]))) if idx.size else 0.0,
        "gl_route_difference": route,
    }
    return ModelOutput(dataset=ds, summary=summary)


def plot_single_mode(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Fig. 3: two panels, printed linewidth and narrow line."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.0))
    x = ds["omega0_over_delta0"].values
    for k, ax in enumerate(axes):
        for i, tr in enumerate(ds["t_cav_over_t_qp"].values):
            ax.plot(x, ds["relative_gap_change"].values[k, i], label=f"T_cav/T_qp = {tr:g}")
        ax.axhline(0.0, color="0.6", lw=0.8)
        ax.axvline(2.0, color="0.6", lw=0.8, ls="--")
        lw = ds["linewidth_over_omega0"].values[k]
        ax.set_title(f"single mode, 1/(2 tau_cav) = {lw:g} omega_0")
        ax.set_xlabel(r"$\omega_0/\Delta_0$")
        ax.set_ylabel(r"$\delta\Delta/\Delta_0$ (GL, Eq. 18)")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return {"gap_change": fig}


# --------------------------------------------------------------------------------------
# cavity-distribution (Fig. 2)
# --------------------------------------------------------------------------------------
def run_distribution(p: DistributionParams, num: DistributionNumerics) -> ModelOutput:
    """Fig. 2: delta n(E) (Eq. 14) at T_cav/T_qp = 0.5 for omega_0 below and above 2 Delta_0."""
    _check_temperatures([p.t_cav_over_t_qp], "t_cav_over_t_qp")
    t = p.t_qp_over_tc
    delta0, cutoff = equilibrium_gap_tc(t, p.bcs_coupling)
    pref = cv.multimode_prefactor(p.x_enhancement, p.coupling_scale)
    ratios = [p.omega0_low_over_delta0, p.omega0_high_over_delta0]
    e_max = num.e_max_over_delta0 or (p.omega0_high_over_delta0 + 3.0)
    if e_max <= p.omega0_high_over_delta0 + 1.2:
        raise ValueError(
            f"e_max_over_delta0 = {e_max} must exceed omega0_high_over_delta0 + 1.2 = "
            f"{p.omega0_high_over_delta0 + 1.2} to show the kink at omega_0 + Delta_0"
        )
    e = delta0 * np.linspace(1.0, e_max, num.n_energy)
    dn = np.zeros((2, e.size))
    gl = np.zeros(2)
    full = np.zeros(2)
    kinks: list[list[float]] = []
    for k, r in enumerate(ratios):
        w0 = r * delta0
        bath = _Bath(
            "multimode", w0, p.linewidth_over_omega0 * w0, pref,
            np.array([p.t_cav_over_t_qp * t]), t,
        )  # fmt: skip
        dn[k] = cv.distribution_change(
            e, delta0, t, bath.weight, omega_max=bath.omega_max, breakpoints=bath.breakpoints,
            omega_integration=p.omega_integration, n_nodes=num.n_nodes,
        )[0]  # fmt: skip
        gl[k] = _gl_change(bath, delta0, p, num.n_nodes)[0]
        if num.full_bcs:
            full[k] = _bcs_change(bath, 0, delta0, cutoff, p, num.bcs_tol, 8)
        found = cv.find_kinks(e, dn[k], exclude_below=1.1 * delta0)
        kinks.append([float(v) for v in found / delta0])
    ds = xr.Dataset(
        {
            "delta_n": _var(dn, ("omega0_over_delta0", "energy_over_delta0"), "delta n(E), Eq. 14"),
            "relative_gap_change": _var(
                gl, ("omega0_over_delta0",), "delta Delta / Delta_0 (GL, Eq. 18)"
            ),
            "relative_gap_change_bcs": _var(
                full, ("omega0_over_delta0",), "delta Delta / Delta_0 (full BCS; 0 if not run)"
            ),
        },  # fmt: skip
        coords={
            "omega0_over_delta0": _coord("omega0_over_delta0", ratios, "omega_0 / Delta_0"),
            "energy_over_delta0": _coord("energy_over_delta0", e / delta0, "E / Delta_0"),
        },
        attrs={
            "delta0_over_tc": delta0,
            "t_qp_over_tc": t,
            "t_cav_over_t_qp": p.t_cav_over_t_qp,
            "full_bcs": int(num.full_bcs),
            "omega_integration": p.omega_integration,
            "units_note": "energies in units of k_B T_c (paper 004 is dimensionless)",
        },
    )
    summary = {
        "delta0_over_tc": delta0,
        "gap_change_sign_low": int(np.sign(gl[0])),
        "gap_change_sign_high": int(np.sign(gl[1])),
        "relative_gap_change_low": float(gl[0]),
        "relative_gap_change_high": float(gl[1]),
        "kinks_over_delta0": kinks[0] + kinks[1],
        "kinks_over_delta0_low": kinks[0],
        "kinks_over_delta0_high": kinks[1],
        "expected_kinks_over_delta0": [ratios[0] + 1.0, ratios[1] - 1.0, ratios[1] + 1.0],
    }
    if num.full_bcs:
        summary["relative_gap_change_bcs_low"] = float(full[0])
        summary["relative_gap_change_bcs_high"] = float(full[1])
    return ModelOutput(dataset=ds, summary=summary)


def plot_distribution(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Fig. 2: delta n(E) with the kinks found."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.2))
    e = ds["energy_over_delta0"].values
    for k, r in enumerate(ds["omega0_over_delta0"].values):
        (line,) = ax.plot(e, ds["delta_n"].values[k], label=f"omega_0 = {r:g} Delta_0")
        key = "kinks_over_delta0_low" if k == 0 else "kinks_over_delta0_high"
        for xk in summary.get(key, []):
            ax.axvline(xk, color=line.get_color(), ls=":", lw=1)
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel(r"$E/\Delta_0$")
    ax.set_ylabel(r"$\delta n(E)$")
    ax.set_title(f"T_cav/T_qp = {ds.attrs['t_cav_over_t_qp']:g} (dotted: kinks found)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return {"distribution": fig}


MODELS = [
    ModelSpec(
        name="cavity-multimode",
        paper="004",
        description="Cavity Eliashberg effect, multimode planar cavity: gap change vs "
        "cavity frequency (Fig. 1a, Eqs. 14-18)",
        params=MultimodeParams,
        numerics=CavityNumerics,
        run=run_multimode,
        plot=plot_multimode,
    ),
    ModelSpec(
        name="cavity-distribution",
        paper="004",
        description="Cavity Eliashberg effect: quasi-particle distribution change delta n(E) "
        "(Fig. 2, Eqs. 14-15)",
        params=DistributionParams,
        numerics=DistributionNumerics,
        run=run_distribution,
        plot=plot_distribution,
    ),
    ModelSpec(
        name="cavity-single-mode",
        paper="004",
        description="Cavity Eliashberg effect, single-mode cavity, hot and cold photons (Fig. 3)",
        params=SingleModeParams,
        numerics=CavityNumerics,
        run=run_single_mode,
        plot=plot_single_mode,
    ),
]
