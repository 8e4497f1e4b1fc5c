"""Quasi-particle trapping in K3C60: paper 000's reduced model against the full kinetics.

Paper 000 (Chattopadhyay et al., npj Quantum Mater. 2025), Eqs. 4-8, 33-36, Fig. 3 inset
and Fig. 4; issue 7, section 3. The reduced model (:mod:`photosc.models.qp_trapping`,
:class:`photosc.cores.trapping.TrappingModel`) assumes that the quasi-particles stay in a
Bogoliubov distribution f(E) = 1/(exp((E + lambda)/T) + 1) at the bath temperature, that
(Delta, lambda) follow from the density n through Eqs. 4-5, and that n grows at the net
generation rate of a quasi-particle at the gap edge, dn/dt = Gamma_g - Gamma_r
(Eqs. 6-7, 33, 35). Here the same start is handed to the Chang-Scalapino kinetics
(:mod:`photosc.cores.kinetics`): f(E, t) on an energy grid, collision integrals with the
same phonon bath, and the BCS gap equation (Eq. 4's form) solved with the non-thermal f
after every change of f (:class:`~photosc.cores.kinetics.gap.BCSGap`).

Start. The K3C60 trapping model of paper 000 at the bath temperature (default 100 K;
nu0 U0 from T_c = 20 K with the 88 meV cutoff, Gaussian band sigma = W/6, see
:mod:`photosc.models.qp_trapping`), an initial density n0 = ``n_inset_over_n_av`` n_av and
its state (Delta0, lambda0) from Eqs. 4-5; the kinetics starts from
f0(E) = bogoliubov(E, lambda0, T) at the bin centres, with the same coupling and cutoff.

The bath (the mapping). The kinetics is written for a flat band (normal density of states
nu0 at all energies; quasi-particle states carry the BCS weight rho(E)); paper 000 puts
the narrow band into the molecular modes' Eliashberg function instead (Eq. 36 and
:func:`~photosc.cores.qp_rates.mode_net_rate`): alpha^2F_nu(Omega) =
g_nu^2 nu_SC(Omega_nu - Delta) delta(Omega - Omega_nu), nu_SC the superconducting density
of states of the Gaussian band. The kinetic gain of a quasi-particle at the gap edge
E = Delta from pair breaking is (:mod:`~photosc.cores.kinetics.collisions`, q(Delta) = 1)

    (2 pi/hbar) int dOmega alpha^2F n(Omega) (1 - f(Omega - Delta)) rho(E')(1 + Delta/E'),

E' = Omega - Delta, and rho(E')(1 + Delta/E') = sqrt(Omega/(Omega - 2 Delta)): exactly
Eq. 33 of qp_rates (the same holds for recombination, Eq. 35). So with the same
alpha^2F the kinetic gap-edge rate *is* the reduced model's Gamma_g - Gamma_r, and the
like-for-like kinetic bath is

    alpha^2F_kin(Omega) = alpha^2F_continuum(Omega) (Omega <= Omega_max, spectra.k3c60)
                        + sum_nu g_nu^2 nu_SC(Omega_nu - Delta0) G_w(Omega - Omega_nu),

G_w a normalised Gaussian of standard deviation ``mode_width`` (integrated weight
g^2 nu_SC; nu_SC = nu_N(xi) E'/xi with xi = sqrt(E'^2 - Delta^2), the E'/xi = 1.002 factor
kept so that the gap-edge rates agree exactly). The weight is evaluated at the initial
gap Delta0 (Eq. 8 is written with nu_SC(Omega_nu - Delta(0))); the reduced model
re-evaluates nu_SC at Delta(t), a 2 % effect over the slow regime, isolated by
``tau_ms_reduced_kinetic_a2f_ns`` (Eqs. 6-7 with exactly alpha^2F_kin). The tests check
the gap-edge identity numerically (``edge_rate_ratio`` = 1).

What the kinetics then adds. The kinetic density n = 4 nu0 int dE rho f (per site, the
same normalisation as bcs.qp_density; checked at t = 0) changes at the golden-rule pair
creation rate of a flat band,

    dn/dt = 4 nu0 (2 pi/hbar) int dOmega alpha^2F(Omega) int_Delta^{Omega-Delta} dE
            rho(E) rho(E') (1 + Delta^2/(E E')) [(1-f)(1-f') n(Omega) - f f' (1 + n(Omega))]

(:func:`pair_creation_rate`), i.e. every pair-breaking event counts with its final states
anywhere in [Delta, Omega - Delta], not only the one with a quasi-particle at the gap
edge. Paper 000 takes the gap-edge rate as dn/dt per site (Eq. 6 and "tau_MS ~ n_av
tau_eq"; Methods: "we focus on rates where one of the quasi-particles involved is at the
gap"). For a sharp mode the two differ by the phase-space factor
4 nu0 I(Omega_nu, Delta) / sqrt(Omega_nu/(Omega_nu - 2 Delta)), I the E integral of the
coherence-weighted densities of states (I -> Omega - 2 Delta + O(Delta) far above the
threshold, pi Delta at it): 15.9 for Hg(2) (4 nu0 = 0.32/meV, I = 53 meV), which is
``phase_space_factor``. The ratio of the lifetimes follows. ``tau_ms_golden_rule_ns``
runs the reduced model's own trajectory (Bogoliubov states on the (Delta, lambda, n)
curve of Eqs. 4-5) with this pair-creation rate instead of Eq. 6: it tests the remaining
assumption, quasi-equilibrium of f, against the kinetics.

Phonons are a reservoir at the bath temperature (the reduced model's assumption) unless
``dynamic_phonons``: then the continuum (F of spectra.k3c60, 63 atoms per C60 site, cut
at Omega_max) and the molecular modes (``mode_degeneracy`` per site in the same Gaussian)
evolve with Chang-Scalapino's boson equation (paper 001 SI Eq. 5) and relax to the bath
with ``phonon_escape_time``.

Units: energies meV, times ps inside (ns in the dataset and summary), densities per C60
site (n) or per nu0 (meV).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from pydantic import Field

from photosc.cores import bcs, qp_rates, spectra, trapping
from photosc.cores.kaplan import pair_phase_space_nodes
from photosc.cores.kinetics import (
    Bath,
    BCSGap,
    KineticGrid,
    KineticSolver,
    SolverOptions,
    make_grid,
    phonon_bath,
)
from photosc.cores.kinetics.baths import check_bath, resample
from photosc.errors import ConvergenceError
from photosc.foundation.distributions import bogoliubov
from photosc.foundation.units import HBAR, KB, quantity
from photosc.models._base import FLOAT_BYTES, ModelOutput, ModelSpec, Numerics, Params
from photosc.models.qp_trapping import K3C60TrappingParams, trapping_model

#: atoms per C60 site in K3C60 (60 C + 3 K); spectra.k3c60's F holds 3 modes per atom
ATOMS_PER_SITE = 63


class TrappingKineticsParams(K3C60TrappingParams):
    """Paper 000's K3C60 trapping parameters (:class:`K3C60TrappingParams`) plus the bath.

    ``n_inset_over_n_av`` is the initial density n(0) / n_av of the kinetics (the start
    of the Fig. 3 inset). ``temperature`` is the bath (and initial quasi-particle)
    temperature.
    """

    mode_width: quantity("meV", gt=0) = Field(
        "0.25 meV",
        description="standard deviation of each molecular mode's Gaussian peak in the "
        "kinetic alpha^2F (sharp modes: << T and << sigma)",
    )
    dynamic_phonons: bool = Field(
        False, description="evolve the phonon occupations (False: reservoir at temperature)"
    )
    phonon_escape_time: quantity("ps", gt=0) = Field(
        "100 ps", description="escape time of dynamic phonons to the bath"
    )
    mode_degeneracy: float = Field(
        5.0, gt=0, description="modes per site of each molecular mode (Hg: 5), dynamic only"
    )


class TrappingKineticsNumerics(Numerics):
    """Kinetic grid, tolerances, stopping and the reduced-model grid."""

    step: quantity("meV", gt=0) = Field(
        "0.01 meV",
        description="kinetic grid step (must resolve 2 Delta in [Omega_max, 2 Delta(0)])",
    )
    e_max: quantity("meV", gt=0) = Field(
        "100 meV", description="top of the quasi-particle grid (> pairing cutoff)"
    )
    rtol: float = Field(1e-4, gt=0, description="relative tolerance of the ETD2 steps")
    atol: float = Field(1e-12, gt=0, description="absolute tolerance on f")
    gap_tol: float = Field(
        1e-6, gt=0, description="re-solve the gap when the weighted change of f exceeds this"
    )
    t_max: quantity("ps", gt=0) = Field("5000 ps", description="stop if no collapse by then")
    record_delta: quantity("meV", gt=0) = Field(
        "0.005 meV", description="record a point when Delta changed by this"
    )
    record_density: float = Field(0.02, gt=0, description="... or when n changed by this fraction")
    n_points: int = Field(
        300,
        ge=8,
        description="reduced-model states from n0/2 to n_av (and n_points//3 to the collapse)",
    )
    n_theta: int = Field(48, ge=8, description="Gauss-Legendre nodes of the pair integral")
    check_step: quantity("meV", ge=0) = Field(
        "0.02 meV", description="second run with this step for the convergence check (0: none)"
    )

    memory_fields: ClassVar[tuple[str, ...]] = ("step", "e_max")

    def estimated_bytes(self, params: Params) -> int:
        """Kinetic grid (e_max / step bins) times ~40 work arrays (the trajectory is
        recorded as scalars, plus two distributions)."""
        return int(FLOAT_BYTES * 42 * self.e_max / self.step)


# --------------------------------------------------------------------------------------
# flat-band golden-rule pair creation (the kinetics' dn/dt for a Bogoliubov f)
# --------------------------------------------------------------------------------------
def pair_creation_rate(
    omega: ArrayLike,
    a2f: ArrayLike,
    delta: float,
    lam: float,
    kT: float,
    nu0: float,
    n_theta: int = 48,
) -> float:
    """Net pair-creation rate per site in a flat band for a Bogoliubov f, 1/ps.

    dn/dt = 4 nu0 (2 pi/hbar) int dOmega alpha^2F int_Delta^{Omega-Delta} dE
    rho rho' (1 + Delta^2/(E E')) [(1-f)(1-f') n - f f' (1+n)], the rate of
    n = 4 nu0 int dE rho f that the Chang-Scalapino kinetics gives (pair processes only:
    scattering conserves n). The occupation factor is f f' (1 + n) (e^{2 lam/T} - 1)
    (E + E' = Omega), evaluated in logarithms. Compare paper 000 Eq. 6, which takes the
    single gap-edge rate (qp_rates.net_rate) as dn/dt.

    Parameters
    ----------
    omega : (m,) float, meV
        Phonon grid (ascending); alpha^2F is integrated by the trapezoid rule on it.
    a2f : (m,) float
        alpha^2F(Omega).
    delta : float, meV
        Gap >= 0.
    lam : float, meV
        Bogoliubov chemical potential.
    kT : float, meV
        Temperature of f and of the phonons (> 0).
    nu0 : float, 1/meV
        Normal density of states per spin per site.
    n_theta : int
        Gauss-Legendre nodes of the E integral.

    Returns
    -------
    float, 1/ps
    """
    w = np.asarray(omega, dtype=float)
    a = np.asarray(a2f, dtype=float)
    if w.ndim != 1 or a.shape != w.shape or w.size < 2 or np.any(np.diff(w) <= 0):
        raise ValueError(
            f"omega and a2f must be 1-D of equal length >= 2, omega increasing; "
            f"got {w.shape}, {a.shape}"
        )
    if not kT > 0:
        raise ValueError(f"kT must be > 0, got {kT}")
    if lam == 0.0:
        return 0.0
    keep = (w > 2.0 * delta) & (a > 0)
    if not np.any(keep):
        return 0.0
    # trapezoid weights on the full grid, restricted to Omega > 2 Delta
    tw = np.zeros_like(w)
    dw = np.diff(w)
    tw[:-1] += 0.5 * dw
    tw[1:] += 0.5 * dw
    om = w[keep]
    e, ep, weight = pair_phase_space_nodes(om, delta, n_theta)  # rho rho' (1 + D^2/EE') dE
    log_f = -np.logaddexp(0.0, (e + lam) / kT)
    log_fp = -np.logaddexp(0.0, (ep + lam) / kT)
    log_1n = -np.log(-np.expm1(-om / kT))[:, None]  # 1 + n(Omega) = 1/(1 - e^{-Omega/T})
    y = 2.0 * abs(lam) / kT
    log_ex = y + math.log(-math.expm1(-y)) if y < 700 else y
    occ = math.copysign(1.0, lam) * np.exp(log_f + log_fp + log_1n + log_ex)
    inner = np.sum(weight * occ, axis=-1)
    return float(4.0 * nu0 * 2.0 * math.pi / HBAR * np.sum(tw[keep] * a[keep] * inner))


# --------------------------------------------------------------------------------------
# set-up
# --------------------------------------------------------------------------------------
@dataclass
class TrappingKinetics:
    """Everything the run and the tests share: the reduced model, the start, the kinetics.

    Attributes
    ----------
    model : TrappingModel
        Paper 000's reduced model at the bath temperature.
    states : tuple
        ``model.bcs_states`` on a dense lambda grid from about n0 / 2 to the collapse.
    n_av : float
        Avalanche density per site (2 Delta = Omega_max).
    n0 : float
        Initial density per site.
    start : TrappingState
        (Delta0, lambda0, n0, reduced dn/dt) at n0.
    grid : KineticGrid
    a2f : (n_boson,) float
        alpha^2F_kin on the boson grid.
    mode_weights : list of float, meV
        Integrated alpha^2F weight g^2 nu_SC(Omega_nu - Delta0) of each molecular mode.
    solver : KineticSolver
        Started at f0 = bogoliubov(E, lambda0, T).
    n_slow : int
        Number of states in the slow part of ``states`` (the last one is the threshold).
    """

    model: trapping.TrappingModel
    states: tuple
    n_av: float
    n0: float
    start: trapping.TrappingState
    grid: KineticGrid
    a2f: NDArray[np.float64]
    mode_weights: list[float]
    solver: KineticSolver
    n_slow: int


def _mode_profile(grid: KineticGrid, omega: float, width: float) -> NDArray[np.float64]:
    """Gaussian of std ``width`` at ``omega`` on the boson grid, sum(h * profile) = 1, 1/meV."""
    w = grid.omega
    prof = np.exp(-0.5 * ((w - omega) / width) ** 2)
    prof[0] = 0.0
    return prof / (prof.sum() * grid.step)


def kinetic_a2f(
    model: trapping.TrappingModel, grid: KineticGrid, delta0: float, mode_width: float
) -> tuple[NDArray[np.float64], list[float]]:
    """alpha^2F_kin on the boson grid (module docstring) and the molecular-mode weights.

    Parameters
    ----------
    model : TrappingModel
        Supplies the continuum (Omega <= Omega_max), the modes, nu0 and sigma.
    grid : KineticGrid
    delta0 : float, meV
        Gap at which nu_SC(Omega_nu - Delta) is evaluated.
    mode_width : float, meV
        Standard deviation of each mode's Gaussian peak.

    Returns
    -------
    (n_boson,) float, dimensionless; list of float, meV
    """
    if model.c_omega.size >= 2:
        a2f = resample(grid, model.c_omega, model.c_a2f)
    else:
        a2f = np.zeros(grid.n_boson)
    weights = []
    for m in model.modes:
        wt = m.g**2 * float(
            qp_rates.superconducting_dos(m.omega - delta0, delta0, model.nu0, model.sigma)
        )
        weights.append(wt)
        a2f = a2f + wt * _mode_profile(grid, m.omega, mode_width)
    a2f[0] = 0.0
    return a2f, weights


def _dynamic_bath(
    params: TrappingKineticsParams, model: trapping.TrappingModel, grid: KineticGrid, a2f
) -> Bath:
    """Dynamic phonons: mode density (modes per site per meV) / (4 nu0) (paper 001 SI Eq. 5)."""
    sp = spectra.k3c60(omega_max=params.omega_max, lambda_continuum=params.lambda_continuum)
    keep = sp.omega <= params.omega_max
    dos = ATOMS_PER_SITE * resample(grid, sp.omega[keep], sp.f_dos[keep])
    for m in model.modes:
        dos = dos + params.mode_degeneracy * _mode_profile(grid, m.omega, params.mode_width)
    mode_density = dos / (4.0 * model.nu0)
    coupling = np.where(mode_density > 0, a2f, 0.0)
    bath = Bath(
        coupling,
        "density",
        model.kT,
        mode_density,
        float(params.phonon_escape_time),
        "K3C60 phonons (dynamic)",
    )
    check_bath(grid, bath)
    return bath


def setup(
    params: TrappingKineticsParams, numerics: TrappingKineticsNumerics, step: float | None = None
) -> TrappingKinetics:
    """Build the reduced model, the initial state and the started kinetic solver.

    Parameters
    ----------
    params, numerics
        Model parameters and numerics.
    step : float, meV, optional
        Grid step overriding ``numerics.step`` (the convergence check).

    Raises
    ------
    ValueError
        If the pairing cutoff does not lie inside the quasi-particle grid (``e_max``).
    """
    h = float(numerics.step if step is None else step)
    if not numerics.e_max > params.cutoff + 2.0 * h:
        raise ValueError(
            f"e_max = {numerics.e_max} meV must exceed the pairing cutoff {params.cutoff} meV "
            "(BCSGap integrates to the cutoff on the quasi-particle grid)"
        )
    model = trapping_model(params, params.temperature)
    # reduced-model states: n_av from the standard grid, then a dense grid from below n0
    lam_av = model.lambda_avalanche()
    n_av = model.density(model.gap_at_lambda(lam_av), lam_av)
    n0 = params.n_inset_over_n_av * n_av
    states = model.bcs_states(numerics.n_points, 0.5 * params.n_inset_over_n_av)
    st = model.state_at_density(n0)
    top = max(m.omega for m in model.modes) + 8.0 * params.mode_width
    grid = make_grid(h, float(numerics.e_max), top)
    a2f, weights = kinetic_a2f(model, grid, st.delta, params.mode_width)
    if params.dynamic_phonons:
        bath = _dynamic_bath(params, model, grid, a2f)
    else:
        bath = phonon_bath(grid, grid.omega, a2f, None, kT=model.kT, name="K3C60 phonons")
    opts = SolverOptions(
        rtol=numerics.rtol, atol=numerics.atol, gap_tol=numerics.gap_tol, dt_initial=1e-3
    )
    solver = KineticSolver(grid, [bath], BCSGap(model.coupling, model.cutoff), options=opts)
    solver.start(f0=bogoliubov(grid.energy, st.lam, model.kT), kT=model.kT)
    return TrappingKinetics(
        model, states, n_av, n0, st, grid, bath.coupling, weights, solver, numerics.n_points
    )


def site_density(tk: TrappingKinetics, f: NDArray[np.float64] | None = None, coh=None) -> float:
    """Quasi-particle density per site of the kinetics, 4 nu0 h sum rho f (dimensionless)."""
    s = tk.solver
    f = s.state.f if f is None else f
    coh = s.state.coherence if coh is None else coh
    return 4.0 * tk.model.nu0 * s.qp_density(f, coh)


def initial_rates(tk: TrappingKinetics) -> dict[str, float]:
    """Rates at t = 0: kinetic dn/dt and gap-edge rate, reduced and golden-rule rates, 1/ps.

    Returns
    -------
    dict
        ``kinetic`` (dn/dt per site of the kinetics), ``edge`` (kinetic net pair rate
        (1 - f) Gamma_pb - f Gamma_rec of the first bin fully above the gap, per
        quasi-particle), ``reduced`` (TrappingModel.rate, Eq. 6-7), ``reduced_kin_a2f``
        (Eq. 6-7 with alpha^2F_kin), ``golden_rule`` (:func:`pair_creation_rate` with
        alpha^2F_kin).
    """
    s, m, st = tk.solver, tk.model, tk.start
    state = s.state
    df, _ = s.rhs(state.t, state.f, state.n)
    kinetic = 4.0 * m.nu0 * s.grid.step * float(np.sum(state.coherence.rho * df))
    pr = s.op.processes(state.f, state.coherence, s.channels(state.t, state.n))
    i = int(np.ceil(state.coherence.delta0 / s.grid.step - 1e-12))  # lower edge >= Delta
    fi = state.f[i]
    edge = (1.0 - fi) * pr.pair_breaking_in[i] - fi * pr.recombination_out[i]
    w = s.grid.omega
    return {
        "kinetic": kinetic,
        "edge": float(edge),
        "reduced": st.rate,
        "reduced_kin_a2f": qp_rates.net_rate(w, tk.a2f, st.delta, st.lam, m.kT),
        "golden_rule": pair_creation_rate(w, tk.a2f, st.delta, st.lam, m.kT, m.nu0),
    }


# --------------------------------------------------------------------------------------
# reduced trajectories on the (Delta, lambda, n) curve
# --------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------
# the kinetic run
# --------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------
# model
# --------------------------------------------------------------------------------------
def _run(params: TrappingKineticsParams, numerics: TrappingKineticsNumerics) -> ModelOutput:
    """Paper 000's trapping start through the reduced model and the full kinetics.

    The recipe: set up the K3C60 trapping model and the mapped kinetic bath
    (:func:`setup`), compare the initial rates (:func:`initial_rates`), run the reduced
    trajectories (:func:`reduced_trajectories`) and the kinetics until the gap collapses
    (:func:`run_kinetics`), read the avalanche off Delta(t) (:func:`_avalanche`), rerun
    the kinetics at ``check_step`` (:func:`_step_check`), then summarise
    (:func:`_summary`) and assemble the dataset (:func:`_dataset`).

    Parameters
    ----------
    params : TrappingKineticsParams
    numerics : TrappingKineticsNumerics

    Returns
    -------
    ModelOutput
        Dataset over the kinetics' time (ns), the reduced model's states, the
        quasi-particle energy and the phonon energy (meV); summary of tau_MS (ns), the
        rate ratios and the checks (module docstring).
    """
    tk = setup(params, numerics)
    rates = initial_rates(tk)
    red = reduced_trajectories(tk, numerics.n_theta)
    kin = run_kinetics(tk, numerics)
    av = _avalanche(tk, kin)
    check = _step_check(params, numerics)
    summary = _summary(params, numerics, tk, rates, red, kin, av, check)
    ds = _dataset(tk, red, kin, numerics)
    return ModelOutput(ds, summary)


@dataclass
class _Avalanche:
    """How Delta(t) of the kinetics ended (:func:`_avalanche`).

    ``crossed``: 2 Delta fell below Omega_max before t_max; ``collapsed``: Delta
    reached 0; ``slow``: (n_rec,) bool, the records up to the crossing (all without);
    ``speedup``: the fastest decay after the crossing over the mean decay before it;
    ``seen``: crossed, collapsed and ``speedup`` >= 10.
    """

    crossed: bool
    collapsed: bool
    slow: NDArray[np.bool_]
    speedup: float
    seen: bool


def _avalanche(tk: TrappingKinetics, kin: KineticRun) -> _Avalanche:
    """The avalanche: the gap collapses after the crossing 2 Delta = Omega_max, and
    faster than it decayed before.

    Parameters
    ----------
    tk : TrappingKinetics
    kin : KineticRun
    """
    m = tk.model
    crossed, collapsed = math.isfinite(kin.t_cross), math.isfinite(kin.t_collapse)
    slow = kin.t <= (kin.t_cross if crossed else np.inf)
    # avalanche: the gap collapses after the crossing, and faster than it decayed before
    slow_speed = (tk.start.delta - 0.5 * m.omega_max) / kin.t_cross if crossed else 0.0
    after = ~slow
    speed = 0.0
    if crossed and np.count_nonzero(after) >= 2:
        tt, dd = kin.t[after], kin.delta[after]
        ok = np.diff(tt) > 0
        speed = float(np.max(-np.diff(dd)[ok] / np.diff(tt)[ok])) if np.any(ok) else 0.0
    speedup = speed / slow_speed if slow_speed > 0 else 0.0
    avalanche = bool(crossed and collapsed and speedup >= 10.0)
    return _Avalanche(crossed, collapsed, slow, speedup, avalanche)


def _step_check(
    params: TrappingKineticsParams, numerics: TrappingKineticsNumerics
) -> dict[str, float]:
    """Convergence in the grid step: the kinetics rerun with ``check_step`` (meV).

    Parameters
    ----------
    params : TrappingKineticsParams
    numerics : TrappingKineticsNumerics

    Returns
    -------
    dict
        ``tau`` (crossing time, ps), ``collapse`` (ps) and ``wall`` (s) of the rerun;
        empty with ``check_step`` = 0.
    """
    check = {}
    if numerics.check_step > 0:
        tk2 = setup(params, numerics, step=float(numerics.check_step))
        kin2 = run_kinetics(tk2, numerics)
        check = {"tau": kin2.t_cross, "collapse": kin2.t_collapse, "wall": kin2.wall}
    return check


def _summary(
    params: TrappingKineticsParams,
    numerics: TrappingKineticsNumerics,
    tk: TrappingKinetics,
    rates: dict[str, float],
    red: dict[str, _Reduced],
    kin: KineticRun,
    av: _Avalanche,
    check: dict[str, float],
) -> dict[str, Any]:
    """Summary of :func:`_run`: the start, the initial rates and their ratios, tau_MS
    and the collapse (ns) of the kinetics against the reduced trajectories, the
    avalanche, the deviations from a Bogoliubov state over the slow regime, the energy
    budget and the step-convergence check.

    Parameters
    ----------
    params : TrappingKineticsParams
    numerics : TrappingKineticsNumerics
    tk : TrappingKinetics
    rates : dict
        :func:`initial_rates` (per ps).
    red : dict
        :func:`reduced_trajectories`.
    kin : KineticRun
    av : _Avalanche
    check : dict
        :func:`_step_check`.
    """
    m = tk.model
    crossed, collapsed, slow = av.crossed, av.collapsed, av.slow
    ns = 1e-3  # ps -> ns
    tau_k = kin.t_cross * ns if crossed else float(numerics.t_max) * ns
    r_ = red["reduced"]
    summary: dict[str, Any] = {
        "temperature_K": float(params.temperature),
        "n0_over_n_av": float(params.n_inset_over_n_av),
        "n0": float(tk.n0),
        "n_av": float(tk.n_av),
        "initial_delta_meV": float(kin.delta[0]),
        "energy_budget_error": kin.energy_budget_error,
        "pairing_eigenvalue_max": float(np.max(kin.pairing_eigenvalue)),
        "pairing_eigenvalue_max_time_ps": float(kin.t[int(np.argmax(kin.pairing_eigenvalue))]),
        "initial_delta_reduced_meV": float(tk.start.delta),
        "initial_lambda_meV": float(tk.start.lam),
        "initial_density_kinetics": float(kin.n[0]),
        "initial_density_reduced": float(tk.start.n),
        "initial_rate_kinetics_per_ns": float(rates["kinetic"] / ns),
        "initial_rate_reduced_per_ns": float(rates["reduced"] / ns),
        "initial_rate_ratio": float(rates["kinetic"] / rates["reduced"]),
        "edge_rate_ratio": float(rates["edge"] / rates["reduced"]),
        "golden_rule_rate_ratio": float(rates["kinetic"] / rates["golden_rule"]),
        "phase_space_factor": float(rates["golden_rule"] / rates["reduced_kin_a2f"]),
        "hg2_weight_meV": float(tk.mode_weights[0]),
        "crossed": bool(crossed),
        "tau_ms_kinetics_ns": float(tau_k),
        "tau_ms_reduced_ns": float(r_.tau * ns),
        "tau_ms_ratio": float(tau_k / (r_.tau * ns)),
        "tau_ms_reduced_kinetic_a2f_ns": float(red["reduced_kin_a2f"].tau * ns),
        "tau_ms_golden_rule_ns": float(red["golden_rule"].tau * ns),
        "tau_ms_ratio_golden_rule": float(tau_k / (red["golden_rule"].tau * ns)),
        "collapsed": bool(collapsed),
        "collapse_time_kinetics_ns": float(
            (kin.t_collapse if collapsed else float(numerics.t_max)) * ns
        ),
        "collapse_time_reduced_ns": float(r_.collapse * ns),
        "collapse_time_golden_rule_ns": float(red["golden_rule"].collapse * ns),
        "avalanche_seen": av.seen,
        "avalanche_speedup": float(av.speedup),
        "slow_max_gap_deviation_meV": float(np.max(np.abs(kin.delta - kin.delta_n)[slow])),
        "slow_max_temperature_deviation": float(np.max(np.abs(kin.t_eff / m.kT - 1.0)[slow])),
        "slow_max_lambda_deviation_meV": float(np.max(np.abs(kin.lam_eff - kin.lam_n)[slow])),
        "slow_min_mode_occupation_ratio": float(np.min(kin.mode_occupation[slow])),
        "step_meV": float(numerics.step),
        "grid_points": int(tk.grid.n_qp),
        "kinetic_steps": int(kin.steps),
        "gap_updates": int(kin.gap_updates),
        "runtime_kinetics_s": float(kin.wall),
        "dynamic_phonons": bool(params.dynamic_phonons),
    }
    if check:
        summary["check_step_meV"] = float(numerics.check_step)
        summary["tau_ms_kinetics_ns_check_step"] = float(check["tau"] * ns)
        summary["step_convergence"] = float(check["tau"] / kin.t_cross - 1.0) if crossed else 0.0
        summary["runtime_check_s"] = float(check["wall"])
    return summary


def _kinetic_vars(kin: KineticRun) -> dict[str, tuple]:
    """The dataset variables over the kinetics' record times: Delta(t), lambda_max,
    the energy budget, n(t), the Bogoliubov state of n(t), the (T, lambda) fitted to f
    and the Hg(2) occupation."""
    return {
        "delta": ("time", kin.delta, {"units": "meV", "long_name": "gap Delta(t), kinetics"}),
        "pairing_eigenvalue": (
            "time",
            kin.pairing_eigenvalue,
            {"units": "1", "long_name": "lambda_max of the linearised BCS equation"},
        ),
        "energy_budget_error": (
            "time",
            kin.budget_error,
            {"units": "meV^2", "long_name": "energy created by the integration, per 4 N(0)"},
        ),
        "n": ("time", kin.n, {"units": "1", "long_name": "quasi-particle density per site"}),
        "delta_bcs": (
            "time",
            kin.delta_n,
            {"units": "meV", "long_name": "Delta of the Bogoliubov state with density n(t)"},
        ),
        "lam_density": (
            "time",
            kin.lam_n,
            {"units": "meV", "long_name": "lambda of the Bogoliubov state with density n(t)"},
        ),
        "lam_fit": (
            "time",
            kin.lam_eff,
            {"units": "meV", "long_name": "lambda fitted to f over [Delta, Delta + T]"},
        ),
        "temperature_fit": (
            "time",
            kin.t_eff / KB,
            {"units": "K", "long_name": "temperature fitted to f over [Delta, Delta + T]"},
        ),
        "mode_occupation_ratio": (
            "time",
            kin.mode_occupation,
            {"units": "1", "long_name": "Hg(2) phonon occupation / Bose(T)"},
        ),
    }


def _reduced_vars(red: dict[str, _Reduced], ns: float) -> dict[str, tuple]:
    """The dataset variables over the reduced model's Bogoliubov states: Delta and the
    times (ns, ``ns`` the factor from ps) of the three reduced trajectories."""
    return {
        "delta_reduced": (
            "state",
            red["reduced"].delta,
            {"units": "meV", "long_name": "Delta on the Bogoliubov curve (Eqs. 4-5)"},
        ),
        "time_reduced": (
            "state",
            red["reduced"].time * ns,
            {"units": "ns", "long_name": "time, reduced model (Eq. 6-7)"},
        ),
        "time_reduced_kinetic_a2f": (
            "state",
            red["reduced_kin_a2f"].time * ns,
            {"units": "ns", "long_name": "time, Eq. 6-7 with the kinetic alpha^2F"},
        ),
        "time_golden_rule": (
            "state",
            red["golden_rule"].time * ns,
            {"units": "ns", "long_name": "time, flat-band pair-creation rate"},
        ),
    }


def _dataset(
    tk: TrappingKinetics,
    red: dict[str, _Reduced],
    kin: KineticRun,
    numerics: TrappingKineticsNumerics,
) -> xr.Dataset:
    """Assemble the dataset of :func:`_run`: the kinetics over time (ns), the reduced
    trajectories over the Bogoliubov states, lambda_eff(E) = T ln((1-f)/f) - E (meV) at
    the start and at the crossing over [0, Delta + 6 T], and the kinetic alpha^2F.

    Parameters
    ----------
    tk : TrappingKinetics
    red : dict
        :func:`reduced_trajectories`.
    kin : KineticRun
    numerics : TrappingKineticsNumerics
    """
    m = tk.model
    ns = 1e-3  # ps -> ns
    e = tk.grid.energy
    sub = np.nonzero(e <= min(float(numerics.e_max), tk.start.delta + 6.0 * m.kT))[0]
    sub = sub[:: max(1, sub.size // 800)]

    def lam_eff(f: NDArray) -> NDArray:
        ff = np.clip(f[sub], 1e-300, 1.0 - 1e-16)
        return m.kT * (np.log1p(-ff) - np.log(ff)) - e[sub]

    return xr.Dataset(
        {
            **_kinetic_vars(kin),
            **_reduced_vars(red, ns),
            "lam_eff_start": (
                "energy",
                lam_eff(kin.f_start),
                {"units": "meV", "long_name": "T ln((1-f)/f) - E at t = 0"},
            ),
            "lam_eff_threshold": (
                "energy",
                lam_eff(kin.f_cross),
                {"units": "meV", "long_name": "T ln((1-f)/f) - E at 2 Delta = Omega_max"},
            ),
            "a2f_kinetic": (
                "omega",
                tk.a2f,
                {"units": "1", "long_name": "alpha^2F of the kinetic bath"},
            ),
        },
        coords={
            "time": ("time", kin.t * ns, {"units": "ns", "long_name": "time, kinetics"}),
            "n_reduced": (
                "state",
                red["reduced"].n,
                {"units": "1", "long_name": "density per site on the Bogoliubov curve"},
            ),
            "energy": ("energy", e[sub], {"units": "meV", "long_name": "quasi-particle energy"}),
            "omega": (
                "omega",
                tk.grid.omega,
                {"units": "meV", "long_name": "phonon energy"},
            ),
        },
        attrs={"omega_max_meV": float(m.omega_max), "kT_meV": float(m.kT)},
    )


def _plot(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4))
    half = 0.5 * float(ds.attrs["omega_max_meV"])
    t = ds["time"].values
    pos = t > 0
    ax.plot(t[pos], ds["delta"].values[pos], color="k", label="full kinetics")
    for var, lab, st in (
        ("time_reduced", "reduced, Eq. 6 (paper 000)", "-"),
        ("time_reduced_kinetic_a2f", r"Eq. 6 with kinetic $\alpha^2F$", ":"),
        ("time_golden_rule", "Bogoliubov states, pair-creation rate", "--"),
    ):
        tr = ds[var].values
        p = tr > 0
        ax.plot(tr[p], ds["delta_reduced"].values[p], st, label=lab)
    ax.axhline(half, color="gray", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_xlabel("t (ns)")
    ax.set_ylabel(r"$\Delta(t)$ (meV)")
    ax.set_ylim(max(0.0, half - 0.15), float(ds["delta"].values[0]) + 0.02)
    ax.legend(fontsize=7)
    ax.set_title(
        f"T = {summary['temperature_K']:.0f} K, n(0) = {summary['n0_over_n_av']:g} n_av: "
        f"tau_kin / tau_red = {summary['tau_ms_ratio']:.3g}",
        fontsize=9,
    )
    bx.plot(t[pos], ds["n"].values[pos], color="k", label="full kinetics")
    bx.plot(ds["time_reduced"].values[1:], ds["n_reduced"].values[1:], "-", label="reduced (Eq. 6)")
    bx.plot(
        ds["time_golden_rule"].values[1:],
        ds["n_reduced"].values[1:],
        "--",
        label="pair-creation rate",
    )
    bx.axhline(summary["n_av"], color="gray", lw=0.8, ls=":")
    bx.set_xscale("log")
    bx.set_yscale("log")
    bx.set_xlabel("t (ns)")
    bx.set_ylabel("n(t) per site")
    bx.legend(fontsize=7)
    fig.tight_layout()

    fig2, cx = plt.subplots(figsize=(6, 4))
    e = ds["energy"].values
    up = e >= float(ds["delta"].values[0])  # bins inside the gap hold no states
    cx.plot(e[up], ds["lam_eff_start"].values[up], label="t = 0")
    cx.plot(e[up], ds["lam_eff_threshold"].values[up], label=r"$2\Delta = \Omega_{max}$")
    cx.set_xlabel("E (meV)")
    cx.set_ylabel(r"$T\,\ln((1-f)/f) - E$ (meV)")
    cx.set_title(
        "flat = Bogoliubov distribution at the bath temperature; above: injected hot tail",
        fontsize=9,
    )
    cx.legend(fontsize=8)
    fig2.tight_layout()
    return {"gap_and_density_vs_time": fig, "distribution_check": fig2}


MODELS = [
    ModelSpec(
        name="qp-trapping-kinetics",
        paper="000",
        description="Quasi-particle trapping in K3C60: Delta(t) of the full Chang-Scalapino "
        "kinetics against paper 000's reduced model (Eqs. 4-8, 33-36; issue 7 section 3)",
        params=TrappingKineticsParams,
        numerics=TrappingKineticsNumerics,
        run=_run,
        plot=_plot,
    )
]
