"""The generic pump-probe model ``pump-probe`` of paper 001, for any material card.

Paper 001 (Simon et al., arXiv:2603.18182): Fig. 2c (Pb, -dT/T0 vs delay at several
temperatures), Fig. 2d (LaH10, dR/R0 at 77 K for three fluences), SI Fig. 7 (probe vs
pump penetration depth, LaH10 and K3C60) and, beyond the paper's figures, the transient
sigma_1, sigma_2 and R(omega) of pumped K3C60 are scenarios over this one model
(``pump-probe-pb*``, ``pump-probe-lah10*``, ``penetration-depth-lah10``,
``penetration-depth-k3c60``, ``photoinduced-optics-k3c60``). The chain per delay is

1. kinetics (:mod:`photosc.cores.kinetics`): Chang-Scalapino f(E, t), n(Omega, t) with
   dynamic phonons of the material's alpha^2F and F (SI Eqs. 4-5, SI Table 1), phonon
   escape tau_esc, the real-axis Eliashberg gap updated adiabatically (SI Eqs. 6-9,
   :class:`~photosc.cores.kinetics.gap.EliashbergGap`) and the optical pump of the main
   text (after Eq. 2) with Gamma_pump fixed by matching the deposited energy to
   E_abs = F_0 chi / d (main text after Eq. 3);
2. conductivity at the probe frequency: Mattis-Bardeen generalised to the non-thermal
   f(E, t) (:func:`photosc.cores.optics.mattis_bardeen_batch`) with the gap edge
   Delta_0(t) of the Eliashberg solution -- the dirty-limit form of the paper's Kubo
   formula (refs. 42-43); sigma_N = 1/rho_N (SI Table 1); and/or (Pb, K3C60:
   ``numerics.conductivity``) the Nam/Kubo form itself with the full complex
   Delta(omega, t), Z(omega, t) the kinetics recorded at every delay, f(E, t) as the
   occupation and an impurity scattering rate Gamma (:func:`probe_conductivity_nam`),
   normal state sigma_0 Gamma / (Gamma - i w), sigma_0 = 1/rho_N;
3. index n = sqrt(eps_inf + i sigma/(eps0 omega)) (main text; eps_inf = 1 as in the
   paper) and the film's R, T by the Fresnel equations of SI Eqs. 10-13 (one layer)
   or the transfer matrix of a graded stack (depth-resolved film);
4. dR/R0, dT/T0 (Eq. 3), the Pb substrate-reheating tail (SI II.1, an option) and the
   Gaussian probe convolution (SI II.2).

The absorbed fraction chi = 1 - R - T at the pump frequency (main text after Eq. 3) is
computed with the same optics code (:func:`photosc.cores.optics.stack`) from the
normal-state conductivity sigma_N = 1/rho_N: at 170 meV - 2 eV the pump lies far
above the gap, where Mattis-Bardeen gives sigma = sigma_N to O((Delta/omega)^2).

Depth-resolved film (issue 8, beyond the paper): the film is cut into ``n_slices``
layers; the pump deposits E_j = F_0 A_j / d_j in slice j, with A_j the slice's share
of the absorbed power from :func:`photosc.cores.optics.layer_absorptance` (for a thick
film this is the exp(-z/delta_pump) profile including interference); the kinetics runs
in each slice (in parallel worker processes: the slices are independent), and R, T of the
graded stack follow from the transfer matrix, next to the single-layer result in
which one layer of the pumped state (energy density at the surface) fills the film.

Documented choices (the paper leaves them open):

* Pb film (ref. 40, Lobo et al. 2005, thickness and substrate not given in paper 001):
  10 nm of Pb on silicon, n_Si = 3.42 at 5 meV, 3.7 at 1.5 eV (real parts; the
  absorption of high-resistivity Si is negligible for this purpose), vacuum ambient.
  10 nm is well inside the thin-film limit d << delta(5 meV) (~200 nm) that the paper
  assumes.
* LaH10 (ref. 41, Wu et al. 2024, sample in a diamond anvil cell): a thick sample
  (``film_thickness`` 1000 nm, >> delta ~ 20 nm) seen from a diamond ambient
  n = 2.41 (pump and probe), the substrate being unpumped LaH10 (equilibrium index).
* K3C60: a thick sample in vacuum: the top ``film_thickness`` = 600 nm (3 delta_pump)
  pumped, unpumped K3C60 below. The photo-induced gap the paper reports does not
  appear in our kinetics at 30 K (see the ``photoinduced-gap-k3c60`` scenario), so
  the model also shows equilibrium superconducting K3C60 at ``reference_temperature``
  (5 K) as what a gapped state looks like in the same optics.
* Impurity scattering rate of the Nam form (not in SI Table 1; parameter
  ``scattering_rate``): Pb 857 meV, the Drude estimate hbar n e^2 rho_N / m_e with
  4 valence electrons per SI Table 1 ion (hbar omega_p = 13.5 eV); K3C60 270 meV,
  eps_0 hbar omega_p^2 rho_N for an assumed hbar omega_p = 1 eV. Both are >> 2 Delta_0
  (dirty limit): with a constant BCS gap and Z = 1 the Nam form at these rates
  reproduces Mattis-Bardeen's Pb -dT/T0 to 0.3 % (tests: to 1e-4 in sigma_1 at
  Gamma = 1e4 Delta), so a Nam-Mattis-Bardeen difference measures the strong-coupling
  Delta(omega), Z(omega). LaH10's 1.5 eV probe lies far above 2 Delta_0 (~0.1 eV),
  where sigma = sigma_N to O((Delta/omega)^2) in both forms; there the Nam form would
  mainly add the normal-state Drude roll-off at 1.5 eV, a property of the equilibrium
  index rather than of the pumped superconductor, so pump-probe-lah10 and
  penetration-depth-lah10 stay with Mattis-Bardeen (penetration-depth-k3c60 and
  photoinduced-optics-k3c60: both forms, ``numerics.conductivity = "both"``).
* Normal state: with Delta_0 = 0 the Mattis-Bardeen (and the Drude) conductivity does
  not depend on the electron distribution, so a pumped normal metal has no optical
  change in these forms; signals come from Delta_0(t) and f(E, t) in the
  superconducting state. The Nam form with the Eliashberg Z(omega, t) does respond to
  a pumped normal state: hot phonons and electrons change the Holstein
  (phonon-assisted) absorption.
* Kinetic drive: the core's classical-field pump (absorption and stimulated emission,
  pair breaking), Gamma_pump calibrated by
  :meth:`~photosc.cores.kinetics.solver.KineticSolver.calibrate_drive`.
* Pump photon energies above the kinetic grid: the kinetic grid must contain the pump
  photon energy (the Drive is a delta function at omega_pump on the boson grid). For
  Pb (1.5 eV, grid step ~0.1 meV) this is a 15000-bin grid; the parameter
  ``pump_injection_energy`` lets the kinetics inject the same energy at a lower
  photon energy (the high-energy cascade through electron-electron and electron-phonon
  scattering takes ~fs-ps, paper 001 after Eq. 2), used in the small [test] grids and
  named in the results (0 = the real photon energy, the default).
* Gap updates: ``gap_tol`` = 1e-6 by default. Near T_c a coarser tolerance leaves the
  gap frozen at a suppressed value (Pb at 6.5 K: a 7.9 ns "recovery" at 1e-5, 1.06 ns
  at 1e-6, 1.00 ns at 1e-7).

* Energy budget (issue 12): every kinetic run carries the solver's energy budget
  (absorbed, exchanged, gap work, budget error; :class:`KineticTrace`, converted to
  meV/nm^3 with 4 N(0)); every model reports ``energy_budget_error`` (largest over its
  kinetic runs, slices included) and the budget over time, and lambda_max(t) of the
  linearised gap equation where the gap update provides it.
* Time scales (issue 12 section 3, :mod:`.readouts`): recovery read without the reheating
  tail (1/e and an exponential fit after the peak); LaH10 bottleneck read
  from the time the gap stays closed, the 90 % gap recovery and the 10 % signal time,
  the slow component fitted only after the gap has recovered.

Layout: the material-free chain lives in :mod:`photosc.pipeline` (kinetics,
conductivity, sample optics, time scales). Here: the model's parameters
(:mod:`.parameters`), the run (:mod:`.generic`), its summary (:mod:`.summary`) with the
read-outs of the traces (:mod:`.readouts`: recovery, gap time scales, trends) and of the
optics (:mod:`.optics_readouts`: photo-induced gap, penetration depths, reflectance,
below-gap sigma_2), the figures (:mod:`.figures`), the sweep summary
(:mod:`.sweep_summaries`) and shared numerics and dataset helpers (:mod:`._common`).

Units: energies meV, times ps (summary keys say ns/fs/ps), lengths nm, fluence mJ/cm^2,
temperatures K; energy densities meV/nm^3.
"""

from __future__ import annotations

from photosc.models.pump_probe.generic import (
    GENERIC_MODEL,
    PumpProbeNumerics,
    PumpProbeParams,
    run_generic,
)

__all__ = ["GENERIC_MODEL", "MODELS", "PumpProbeNumerics", "PumpProbeParams", "run_generic"]

#: The model is registered from :mod:`.generic`.
MODELS: list = []
