"""Paper 000's reduced trapping model mapped onto the Chang-Scalapino kinetics.

The like-for-like kinetic alpha^2F (continuum plus the molecular modes with the weight
g^2 nu_SC(Omega_nu - Delta0) of paper 000 Eq. 36), the baths, the start
f0 = bogoliubov(E, lambda0, T) and the initial rates, among them the flat-band
golden-rule pair-creation rate the kinetics implies
(:func:`photosc.cores.pair_creation.pair_creation_rate`); see the package docstring.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from photosc.cores import qp_rates, spectra, trapping
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
from photosc.cores.pair_creation import pair_creation_rate
from photosc.foundation.distributions import bogoliubov
from photosc.models.qp_trapping import trapping_model
from photosc.models.trapping_kinetics.params import (
    ATOMS_PER_SITE,
    TrappingKineticsNumerics,
    TrappingKineticsParams,
)


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
