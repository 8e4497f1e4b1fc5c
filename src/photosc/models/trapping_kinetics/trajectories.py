"""The reduced model's trajectories on the (Delta, lambda, n) curve of paper 000 Eqs. 4-5
and the kinetic run (f(E, t) with the BCS gap after every change of f)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from photosc.cores import bcs, qp_rates, trapping
from photosc.cores.pair_creation import pair_creation_rate
from photosc.errors import ConvergenceError
from photosc.models.trapping_kinetics.mapping import TrappingKinetics, site_density
from photosc.models.trapping_kinetics.params import (
    TrappingKineticsNumerics,
)


def _trajectory(
    n: NDArray, rates: NDArray, n0: float, i_av: int
) -> tuple[float, float, NDArray, NDArray]:
    """tau to n_av, collapse time, and t(n) for n >= n0 from dn/dt on the curve (ps).

    t(n) = int_{n0}^{n} dn' / (dn/dt) (trapezoid in n, as TrappingModel.curve).
    """
    if np.any(rates <= 0):
        raise ConvergenceError("non-positive generation rate on the trapping curve", 0.0, 0)
    inv = 1.0 / rates
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (inv[1:] + inv[:-1]) * np.diff(n))])
    t0 = float(np.interp(n0, n, cum))
    tau = float(cum[i_av]) - t0
    mask = n >= n0
    t_of = np.concatenate([[0.0], cum[mask] - t0])
    return tau, float(cum[-1]) - t0, t_of, mask


@dataclass
class _Reduced:
    tau: float
    collapse: float
    time: NDArray[np.float64]
    delta: NDArray[np.float64]
    n: NDArray[np.float64]


def reduced_trajectories(tk: TrappingKinetics, n_theta: int = 48) -> dict[str, _Reduced]:
    """Delta(t) from n0 with three rates on the same Bogoliubov states (Eqs. 4-5).

    ``reduced``: paper 000's rate (TrappingModel.rate: Eq. 6-7, nu_SC at Delta(t), the
    threshold point taken from the slow side as in TrappingModel.curve);
    ``reduced_kin_a2f``: Eq. 6-7 with alpha^2F_kin; ``golden_rule``:
    :func:`pair_creation_rate` with alpha^2F_kin (the kinetics' rate for a Bogoliubov f).
    """
    m = tk.model
    lams, deltas, n_nu, _ = tk.states
    n = m.nu0 * n_nu
    i_av = tk.n_slow - 1  # the avalanche threshold (bcs_states: slow part first)
    w = tk.grid.omega
    rates = {
        "reduced": np.array([m.rate(float(d), float(lm)) for d, lm in zip(deltas, lams)]),
        "reduced_kin_a2f": np.array(
            [qp_rates.net_rate(w, tk.a2f, float(d), float(lm), m.kT) for d, lm in zip(deltas, lams)]
        ),
        "golden_rule": np.array(
            [
                pair_creation_rate(w, tk.a2f, float(d), float(lm), m.kT, m.nu0, n_theta)
                for d, lm in zip(deltas, lams)
            ]
        ),
    }
    rates["reduced"][i_av] = qp_rates.mode_net_rate(
        m.modes, float(deltas[i_av]), float(lams[i_av]), m.kT, m.nu0, m.sigma
    )
    d0 = tk.start.delta
    out = {}
    for key, r in rates.items():
        tau, collapse, t_of, mask = _trajectory(n, r, tk.n0, i_av)
        out[key] = _Reduced(
            tau,
            collapse,
            t_of,
            np.concatenate([[d0], deltas[mask]]),
            np.concatenate([[tk.n0], n[mask]]),
        )
    return out


def _bogoliubov_fit(
    energy: NDArray, f: NDArray, delta: float, kT: float, h: float
) -> tuple[float, float]:
    """(T_eff, lambda_eff), meV, from ln((1-f)/f) = (E + lambda)/T over [Delta, Delta + T].

    The window holds most quasi-particles of a Bogoliubov f; above it the pairs that Hg(2)
    injects anywhere in [Delta, Omega - Delta] and the continuum cools make a hot tail.
    """
    sel = (energy - 0.5 * h >= delta) & (energy <= delta + kT) & (f > 0) & (f < 1)
    if np.count_nonzero(sel) < 3:
        return kT, 0.0
    y = np.log1p(-f[sel]) - np.log(f[sel])
    slope, icpt = np.polyfit(energy[sel], y, 1)
    t_eff = 1.0 / slope
    return float(t_eff), float(icpt * t_eff)


class _DensityState:
    """BCS state (Delta, lambda) at a given density (Eqs. 4-5), warm-started along a run."""

    def __init__(self, model: trapping.TrappingModel, guess: tuple[float, float]) -> None:
        self.m = model
        self.guess: tuple[float, float] | None = guess

    def __call__(self, n: float) -> tuple[float, float]:
        m = self.m
        if self.guess is not None:
            try:
                d, lam = trapping.fixed_density_fast(
                    n / m.nu0, m.kT, m.coupling, m.cutoff, self.guess
                )
                if d > 1e-6 * m.delta0:
                    self.guess = (d, lam)
                    return d, lam
            except ConvergenceError:
                pass
        st = bcs.fixed_density_state(n / m.nu0, m.kT, m.coupling, m.cutoff)
        self.guess = (st.delta, st.lam) if st.delta > 1e-6 * m.delta0 else None
        return float(st.delta), float(st.lam)


@dataclass
class KineticRun:
    """Recorded kinetic trajectory (times ps, energies meV, densities per site).

    ``t_cross`` (2 Delta = Omega_max) and ``t_collapse`` (Delta = 0) are inf if not
    reached within ``t_max``.
    """

    t: NDArray[np.float64]
    delta: NDArray[np.float64]
    n: NDArray[np.float64]
    delta_n: NDArray[np.float64]
    lam_n: NDArray[np.float64]
    t_eff: NDArray[np.float64]
    lam_eff: NDArray[np.float64]
    mode_occupation: NDArray[np.float64]
    t_cross: float
    t_collapse: float
    f_start: NDArray[np.float64]
    f_cross: NDArray[np.float64]
    steps: int
    gap_updates: int
    wall: float
    budget_error: NDArray[np.float64] | None = None
    energy_budget_error: float = 0.0
    pairing_eigenvalue: NDArray[np.float64] | None = None


def run_kinetics(tk: TrappingKinetics, numerics: TrappingKineticsNumerics) -> KineticRun:
    """Integrate the kinetics from the Bogoliubov start until the gap collapses (or t_max).

    Records a point whenever Delta moved by ``record_delta`` or n by ``record_density``
    (relative); the crossing 2 Delta = Omega_max is located between the two accepted steps
    that bracket it (linear interpolation in t).
    """
    s, m = tk.solver, tk.model
    g = s.grid
    e = g.energy
    target = 0.5 * m.omega_max
    dens = _DensityState(m, (tk.start.delta, tk.start.lam))
    j_mode = int(round(m.modes[0].omega / g.step))
    n_bose = 1.0 / math.expm1(g.omega[j_mode] / m.kT)
    rec: dict[str, list[float]] = {
        k: [] for k in ("t", "delta", "n", "delta_n", "lam_n", "t_eff", "lam_eff", "occ")
    }
    budget: list[float] = []
    eigen: list[float] = []

    def record() -> None:
        st = s.state
        n = site_density(tk)
        dn_, ln_ = dens(n)
        te, le = _bogoliubov_fit(e, st.f, st.coherence.delta0, m.kT, g.step)
        occ = float(st.n[0][j_mode]) / n_bose if st.n else 1.0
        for k, v in zip(rec, (st.t, st.coherence.delta0, n, dn_, ln_, te, le, occ)):
            rec[k].append(float(v))
        # issue 12: the energy budget (fails loudly beyond budget_tol) and lambda_max
        budget.append(s.budget_error())
        s.check_budget()
        eigen.append(s.gap_update.pairing_eigenvalue(g, st.f, st.n, st.coherence))

    wall0 = time.perf_counter()
    record()
    f_start = s.state.f.copy()
    f_cross = f_start
    t_cross = t_collapse = math.inf
    t_prev, d_prev = s.state.t, s.state.coherence.delta0
    t_max = float(numerics.t_max)
    while s.state.t < t_max:
        s.step(t_max)
        st = s.state
        d = st.coherence.delta0
        if not math.isfinite(t_cross) and d < target <= d_prev:
            t_cross = t_prev + (st.t - t_prev) * (d_prev - target) / (d_prev - d)
            f_cross = st.f.copy()
        t_prev, d_prev = st.t, d
        if d <= 0.0:
            t_collapse = st.t
            record()
            break
        if (
            abs(d - rec["delta"][-1]) >= numerics.record_delta
            or abs(site_density(tk) / rec["n"][-1] - 1.0) >= numerics.record_density
        ):
            record()
    else:
        record()
    arr = {k: np.asarray(v) for k, v in rec.items()}
    return KineticRun(
        arr["t"],
        arr["delta"],
        arr["n"],
        arr["delta_n"],
        arr["lam_n"],
        arr["t_eff"],
        arr["lam_eff"],
        arr["occ"],
        t_cross,
        t_collapse,
        f_start,
        f_cross,
        s.steps,
        s.gap_updates,
        time.perf_counter() - wall0,
        budget_error=np.asarray(budget),
        energy_budget_error=float(np.max(np.abs(budget))) / s.budget_scale(),
        pairing_eigenvalue=np.asarray(eigen),
    )
