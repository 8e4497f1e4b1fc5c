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

(:func:`~photosc.cores.pair_creation.pair_creation_rate`), i.e. every pair-breaking
event counts with its final states anywhere in [Delta, Omega - Delta], not only the one
with a quasi-particle at the gap edge. Paper 000 takes the gap-edge rate as dn/dt per
site (Eq. 6 and "tau_MS ~ n_av tau_eq"; Methods: "we focus on rates where one of the
quasi-particles involved is at the gap"). For a sharp mode the two differ by the
phase-space factor 4 nu0 I(Omega_nu, Delta) / sqrt(Omega_nu/(Omega_nu - 2 Delta)), I the
E integral of the coherence-weighted densities of states (I -> Omega - 2 Delta +
O(Delta) far above the threshold, pi Delta at it): 15.9 for Hg(2) (4 nu0 = 0.32/meV, I =
53 meV), which is ``phase_space_factor``. The ratio of the lifetimes follows.
``tau_ms_golden_rule_ns`` runs the reduced model's own trajectory (Bogoliubov states on
the (Delta, lambda, n) curve of Eqs. 4-5) with this pair-creation rate instead of Eq. 6:
it tests the remaining assumption, quasi-equilibrium of f, against the kinetics.

Phonons are a reservoir at the bath temperature (the reduced model's assumption) unless
``dynamic_phonons``: then the continuum (F of spectra.k3c60, 63 atoms per C60 site, cut
at Omega_max) and the molecular modes (``mode_degeneracy`` per site in the same Gaussian)
evolve with Chang-Scalapino's boson equation (paper 001 SI Eq. 5) and relax to the bath
with ``phonon_escape_time``.

Units: energies meV, times ps inside (ns in the dataset and summary), densities per C60
site (n) or per nu0 (meV).

The package: :mod:`.params` (declared parameters), :mod:`.mapping` (the kinetic
alpha^2F, baths, start and the pair-creation rate), :mod:`.trajectories` (the reduced
trajectories and the kinetic run), :mod:`.run` (the model's run and summary),
:mod:`.dataset` (its Dataset and figures).
"""

from photosc.cores.pair_creation import pair_creation_rate
from photosc.models._base import ModelSpec
from photosc.models.trapping_kinetics.dataset import _plot
from photosc.models.trapping_kinetics.mapping import (
    TrappingKinetics,
    initial_rates,
    kinetic_a2f,
    setup,
    site_density,
)
from photosc.models.trapping_kinetics.params import (
    ATOMS_PER_SITE,
    TrappingKineticsNumerics,
    TrappingKineticsParams,
)
from photosc.models.trapping_kinetics.run import _run
from photosc.models.trapping_kinetics.trajectories import (
    KineticRun,
    reduced_trajectories,
    run_kinetics,
)

__all__ = [
    "ATOMS_PER_SITE",
    "MODELS",
    "KineticRun",
    "TrappingKinetics",
    "TrappingKineticsNumerics",
    "TrappingKineticsParams",
    "initial_rates",
    "kinetic_a2f",
    "pair_creation_rate",
    "reduced_trajectories",
    "run_kinetics",
    "setup",
    "site_density",
]

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
