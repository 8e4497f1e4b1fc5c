"""The cavity photons' change of the quasi-particle distribution and of the gap (paper 004
Eqs. 14-18, and the self-consistent BCS gap equation Eq. 1 with n = n_F + delta n)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import xarray as xr

from photosc.cores import bcs
from photosc.cores import cavity as cv
from photosc.foundation.distributions import fermi
from photosc.foundation.progress import progress
from photosc.models.cavity_eliashberg.parameters import (
    _DIMLESS,
    CavityNumerics,
    MultimodeParams,
    SingleModeParams,
    _CavityParams,
)


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
