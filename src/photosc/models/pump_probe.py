"""Pump-probe signals of paper 001 from the kinetics: Pb dT/T, LaH10 dR/R, depths, K3C60.

Paper 001 (Simon et al., arXiv:2603.18182): Fig. 2c (Pb, -dT/T0 vs delay at several
temperatures), Fig. 2d (LaH10, dR/R0 at 77 K for three fluences), SI Fig. 7 (probe vs
pump penetration depth, LaH10 and K3C60) and, beyond the paper's figures, the
conductivity and reflectance of the K3C60 photo-induced state. The chain per delay is

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
  index rather than of the pumped superconductor, so pump-probe-lah10 and LaH10 in
  penetration-depth stay with Mattis-Bardeen (K3C60 in penetration-depth: both forms,
  :class:`PenetrationDepthNumerics`).
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
* Time scales (issue 12 section 3): Pb recovery read without the reheating tail (1/e
  and an exponential fit after the peak, :func:`_pb_recovery`); LaH10 bottleneck read
  from the time the gap stays closed, the 90 % gap recovery and the 10 % signal time,
  the slow component fitted only after the gap has recovered (:func:`_lah10_times`).

Units: energies meV, times ps (summary keys say ns/fs/ps), lengths nm, fluence mJ/cm^2,
temperatures K; energy densities meV/nm^3.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import xarray as xr
from pydantic import Field, field_validator, model_validator

from photosc.cores import optics
from photosc.errors import ConfigError, ConvergenceError
from photosc.foundation.parallel import parallel_map
from photosc.foundation.progress import progress
from photosc.foundation.units import KB, quantity
from photosc.models._base import FLOAT_BYTES, ModelOutput, ModelSpec, Numerics, Params

__all__ = ["MODELS"]


# --------------------------------------------------------------------------------------
# shared machinery
@dataclass
class KineticTrace:
    """Kinetics of one pumped layer, recorded at the requested delays.

    Attributes
    ----------
    time : (n_t,) float, ps
        Delays (pump centre at 0).
    delta0 : (n_t,) float, meV
        Gap edge Delta_0(t) of the Eliashberg solution.
    f : (n_t, n_qp) float
        Quasi-particle occupation on the kinetic grid.
    energy : (n_qp,) float, meV
        Bin centres of the kinetic grid.
    energy_top : float, meV
        Upper edge of the kinetic grid (no states beyond).
    gamma_pump : float, 1/ps
        Calibrated Gamma_pump (0 without pump).
    energy_density : float, meV/nm^3
        Absorbed energy density the pump was matched to.
    injection_energy : float, meV
        Photon energy of the kinetic drive.
    qp_density : (n_t,) float, meV
        Quasi-particle number per 4 N(0) (kinetics core convention).
    steps : int
        Accepted kinetic steps.
    gap_energy : (m,) float, meV, optional
        Energies of the Eliashberg grid (cell centres, E > 0) of the gap tables.
    gap_delta : (n_t, m) complex, meV, optional
        Complex gap function Delta(E, t) of the state the kinetics used at each delay
        (paper 001 SI Eqs. 6-9; :attr:`KineticResult.gap_delta`).
    gap_z : (n_t, m) complex, optional
        Renormalisation Z(E, t) likewise.
    absorbed : (n_t,) float, meV/nm^3, optional
        Energy the pump deposited since the start of the run (the solver's integrated
        drive power, :attr:`KineticResult.absorbed`, times 4 N(0) with N(0) the
        single-spin density of states of SI Table 1).
    exchanged : (n_t,) float, meV/nm^3, optional
        Energy the non-conserving terms moved into the layer since the start (phonon
        escape, SI Eq. 5; negative: out of the layer, i.e. -exchanged escaped).
    gap_work : (n_t,) float, meV/nm^3, optional
        Energy steps of the adiabatic gap updates (taken up by the condensate).
    budget_error : (n_t,) float, meV/nm^3, optional
        stored - absorbed - exchanged - gap_work, with stored the change of the
        quasi-particle + phonon energy since the start: the energy the time integration
        created (0 for an exact integration; :meth:`KineticSolver.budget_error`).
    energy_budget_error : float
        max |budget_error| over the recorded times divided by the budget's scale (the
        energy that flowed; :attr:`KineticResult.energy_budget_error`), dimensionless.
    pairing_eigenvalue : (n_t,) float, optional
        Leading eigenvalue lambda_max(t) of the linearised gap equation with the recorded
        f and n (> 1: the normal state is Cooper-unstable), where the gap update provides
        it; None otherwise.
    """

    time: np.ndarray
    delta0: np.ndarray
    f: np.ndarray
    energy: np.ndarray
    energy_top: float
    gamma_pump: float
    energy_density: float
    injection_energy: float
    qp_density: np.ndarray
    steps: int
    gap_energy: np.ndarray | None = None
    gap_delta: np.ndarray | None = None
    gap_z: np.ndarray | None = None
    absorbed: np.ndarray | None = None
    exchanged: np.ndarray | None = None
    gap_work: np.ndarray | None = None
    budget_error: np.ndarray | None = None
    energy_budget_error: float = 0.0
    pairing_eigenvalue: np.ndarray | None = None

    @property
    def stored(self) -> np.ndarray | None:
        """Change of the stored (quasi-particle + phonon) energy since the start, meV/nm^3:
        absorbed + exchanged + gap_work + budget_error (None without a budget)."""
        if self.absorbed is None:
            return None
        return self.absorbed + self.exchanged + self.gap_work + self.budget_error


def _spectrum(name: str):
    from photosc.cores import spectra

    try:
        return spectra.builtin(name)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"material: {exc}") from None


def run_kinetics(
    material: str,
    temperature: float,
    *,
    injection_energy: float,
    tau_pump: float,
    energy_density: float,
    tau_esc: float,
    delays: np.ndarray,
    step: float,
    e_max: float,
    rtol: float,
    gap_tol: float,
    spectrum: Any = None,
) -> KineticTrace:
    """Run the pumped kinetics of one homogeneous layer (paper 001 Eqs. 1-2, SI Eqs. 4-9).

    Parameters
    ----------
    material : str
        Built-in spectrum with SI Table 1 data (``"Pb"``, ``"LaH10"``, ``"K3C60"``, ...).
    temperature : float, K
        Bath and initial temperature.
    injection_energy : float, meV
        Photon energy of the drive on the kinetic grid.
    tau_pump : float, ps
        Pulse FWHM; centred at delay 0.
    energy_density : float, meV/nm^3
        Absorbed energy density E_abs to deposit (0: no pump, equilibrium).
    tau_esc : float, ps
        Phonon escape time (SI Eq. 5).
    delays : (n_t,) float, ps
        Increasing record times; the first must be <= -2.5 tau_pump (before the pulse).
    step : float, meV
        Kinetic and Eliashberg grid step.
    e_max : float, meV
        Upper end of the quasi-particle grid (raised to injection_energy + 10 step
        if lower).
    rtol : float
        Relative tolerance of the kinetic integrator.
    gap_tol : float
        Gap-update tolerance (weighted change of f, n).
    spectrum : photosc.cores.spectra.Spectrum, optional
        Replaces the built-in spectrum of ``material`` (alpha^2F, F, mu*) in the
        phonon bath and the Eliashberg solve, e.g. :func:`scaled_low_energy`; the
        material data (N(0), N, rho_N) stay those of ``material``.

    Returns
    -------
    KineticTrace
        With the energy budget of the run (:attr:`KineticTrace.absorbed`, ...,
        ``energy_budget_error``) converted from the kinetics' per-4 N(0) meV^2 to
        meV/nm^3, and lambda_max(t) where the gap update provides it.

    Raises
    ------
    photosc.errors.ConvergenceError
        From the solver, if the energy budget error exceeds its ``budget_tol``.
    """
    from photosc.cores.eliashberg import EliashbergSolver
    from photosc.cores.kinetics import make_grid, phonon_bath_from_spectrum
    from photosc.cores.kinetics.gap import EliashbergGap
    from photosc.cores.kinetics.pump import Drive
    from photosc.cores.kinetics.solver import KineticSolver, SolverOptions

    sp = _spectrum(material) if spectrum is None else spectrum
    kt = temperature * KB
    if not kt > 0:
        raise ConfigError(f"temperature must be > 0 K for the kinetics, got {temperature}")
    w_ph = float(sp.omega[-1])
    e_top = max(e_max, injection_energy + 10 * step, 2 * w_ph)
    grid = make_grid(step, e_top, max(w_ph, injection_energy + 3 * step))
    bath = phonon_bath_from_spectrum(grid, sp, kT=kt, tau_esc=tau_esc)
    # Eliashberg grid: the Coulomb cutoff mu* was calibrated with (it need not cover the
    # pump energy: beyond it N = 1, P = 0, and f there barely enters the gap equation)
    w_el = max(sp.mu_star_cutoff or 0.0, 5 * w_ph) + step
    kw = {"omega_c": sp.mu_star_cutoff} if sp.mu_star_cutoff is not None else {}
    mu = sp.mu_star if sp.mu_star is not None else 0.1
    solver = EliashbergSolver(sp.omega, sp.a2f, mu, omega_max=w_el, step=step, **kw)
    gap = EliashbergGap(solver, kt)
    t_start = float(delays[0])
    if t_start > -2.5 * tau_pump:
        raise ConfigError(
            f"the first delay must be <= -2.5 tau_pump = {-2.5 * tau_pump} ps (before the "
            f"pulse), got {t_start}"
        )
    drive = Drive(omega=injection_energy, gamma=0.0, tau=tau_pump, t0=0.0)
    # the energy criterion: the solver's 1e-4, tighter with a tighter rtol (a long
    # bottleneck run moves energy between quasi-particles and phonons many times over)
    opts = SolverOptions(
        rtol=rtol, atol=1e-3 * rtol, gap_tol=gap_tol, energy_rtol=min(1e-4, 0.1 * rtol)
    )
    ks = KineticSolver(grid, [bath], gap, [drive], options=opts)
    ks.start(t0=t_start, kT=kt)
    gamma = 0.0
    if energy_density > 0:
        n0 = sp.material.n0_per_ev_nm3 * 1e-3  # 1/(meV nm^3)
        ks.drives = (Drive(injection_energy, 1.0, tau_pump, 0.0),)
        gamma = ks.calibrate_drive(0, energy_density / (4 * n0), t_end=3.0 * tau_pump)
    res = ks.run(delays)
    # the kinetics counts energy per 4 N(0) (meV^2); 4 N(0) (1/(meV nm^3)) makes meV/nm^3
    per_volume = 4.0 * sp.material.n0_per_ev_nm3 * 1e-3

    def budget(x: Any) -> np.ndarray | None:
        return None if x is None else per_volume * np.asarray(x, dtype=float)

    lam = res.pairing_eigenvalue
    return KineticTrace(
        time=np.asarray(res.t, dtype=float),
        delta0=np.asarray(res.delta0, dtype=float),
        f=np.asarray(res.f, dtype=float),
        energy=grid.energy,
        energy_top=grid.n_qp * grid.step,
        gamma_pump=float(gamma),
        energy_density=float(energy_density),
        injection_energy=float(injection_energy),
        qp_density=np.asarray(res.qp_density, dtype=float),
        steps=int(res.steps),
        gap_energy=res.gap_energy,
        gap_delta=res.gap_delta,
        gap_z=res.gap_z,
        absorbed=budget(res.absorbed),
        exchanged=budget(res.exchanged),
        gap_work=budget(res.gap_work),
        budget_error=budget(res.budget_error),
        energy_budget_error=float(res.energy_budget_error),
        pairing_eigenvalue=None if lam is None else np.asarray(lam, dtype=float),
    )


def scaled_low_energy(sp: Any, scale: float, edge: float, dos_scale: float = 1.0) -> Any:
    """The spectrum ``sp`` with alpha^2F(Omega) (and optionally F(Omega)) scaled below ``edge``.

    A sensitivity probe of the recombination bottleneck (issue 12 section 4). The
    rates of recombination into, and pair breaking by, phonons of Omega ~ 2 Delta all
    carry alpha^2F(Omega) there, so ``scale`` scales them together (detailed balance is
    kept, as every process uses the same alpha^2F); F(Omega) is kept, so the phonons'
    number and heat capacity do not change, only their coupling. ``dos_scale``
    multiplies the phonon DOS F(Omega) below ``edge`` at fixed alpha^2F: the phonon
    side of every rate (SI Eq. 5) carries alpha^2F / F, so a phonon at 2 Delta breaks
    pairs 1 / dos_scale times faster and the phonon system below ``edge`` holds
    dos_scale times the modes (the quasi-particle rates, SI Eq. 4, do not change).

    Parameters
    ----------
    sp : photosc.cores.spectra.Spectrum
    scale : float
        Factor (> 0) applied to alpha^2F for Omega < ``edge``.
    edge : float, meV
        Upper end of the scaled range (a sharp step).
    dos_scale : float
        Factor (> 0) applied to F(Omega) for Omega < ``edge`` (needs ``sp.f_dos``).
        With both factors 1, ``sp`` is returned.

    Returns
    -------
    photosc.cores.spectra.Spectrum
        Same mu* and material data; name suffixed with the scaling.
    """
    import dataclasses

    if scale == 1.0 and dos_scale == 1.0:
        return sp
    low = sp.omega < edge
    a2f = np.where(low, scale * sp.a2f, sp.a2f)
    f_dos = sp.f_dos
    tag = f"alpha^2F x {scale:g}"
    if dos_scale != 1.0:
        if f_dos is None:
            raise ConfigError(f"spectrum '{sp.name}' has no phonon DOS F to scale")
        f_dos = np.where(low, dos_scale * np.asarray(f_dos), f_dos)
        tag += f", F x {dos_scale:g}"
    return dataclasses.replace(
        sp,
        a2f=a2f,
        f_dos=f_dos,
        name=f"{sp.name} ({tag} below {edge:g} meV)",
        file_lambda=None,
        _cache={},
    )


def kaplan_tau0(sp: Any, omega: float, tc: float) -> float:
    """Kaplan's characteristic time tau_0 (ns) of ``sp`` with b = alpha^2F(omega)/omega^2.

    tau_0 = hbar (1 + lambda) / (2 pi b (k_B T_c)^3) (Kaplan et al., PRB 14, 4854
    (1976), Eq. 8, with Z = 1 + lambda): the local Debye coefficient b read at
    ``omega`` (meV), e.g. 2 Delta_0, with the critical temperature ``tc`` (K).
    """
    from photosc.foundation.units import HBAR

    a = float(np.interp(omega, sp.omega, sp.a2f))
    if not a > 0:
        return float("inf")
    b = a / omega**2
    return HBAR * (1.0 + sp.lambda_) / (2 * np.pi * b * (KB * tc) ** 3) / 1000.0


def _eliashberg_solver(material: str, step: float, spectrum: Any = None):
    """The real-axis Eliashberg solver :func:`run_kinetics` uses (same grid and mu*)."""
    from photosc.cores.eliashberg import EliashbergSolver

    sp = _spectrum(material) if spectrum is None else spectrum
    w_el = max(sp.mu_star_cutoff or 0.0, 5 * float(sp.omega[-1])) + step
    kw = {"omega_c": sp.mu_star_cutoff} if sp.mu_star_cutoff is not None else {}
    mu = sp.mu_star if sp.mu_star is not None else 0.1
    return EliashbergSolver(sp.omega, sp.a2f, mu, omega_max=w_el, step=step, **kw)


def equilibrium_gap(material: str, temperature: float, step: float) -> float:
    """Gap edge Delta_0 (meV) of the material in equilibrium at ``temperature`` (K).

    Real-axis Eliashberg solve on the same grid as :func:`run_kinetics` uses.
    """
    return float(_eliashberg_solver(material, step).solve(kT=temperature * KB).delta0)


def equilibrium_gap_table(
    material: str, temperature: float, step: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Thermal Eliashberg Delta(E), Z(E) at ``temperature`` (K) on the kinetics' grid.

    Returns
    -------
    energy : (m,) float, meV
    delta : (m,) complex, meV
    z : (m,) complex
    delta0 : float, meV
        Gap edge.
    """
    solver = _eliashberg_solver(material, step)
    res = solver.solve(kT=temperature * KB)
    return np.array(solver.omega, dtype=float), res.delta, res.z, float(res.delta0)


def _occupations(trace: KineticTrace) -> np.ndarray:
    """The recorded f(E, t) clipped to [0, 1]: the integrator's round-off only.

    Raises
    ------
    ValueError
        If f leaves [0, 1] by more than 1e-9 (not round-off).
    """
    f = np.clip(trace.f, 0.0, 1.0)  # round-off of the integrator only (|excess| < 1e-12)
    if np.max(np.abs(f - trace.f)) > 1e-9:
        raise ValueError("kinetic occupations leave [0, 1] by more than round-off")
    return f


def probe_conductivity(
    trace: KineticTrace, omega: np.ndarray, n_quad: int, breakpoints: tuple = ()
) -> np.ndarray:
    """Mattis-Bardeen sigma/sigma_N of every recorded state at the probe energies.

    Parameters
    ----------
    trace : KineticTrace
    omega : (n_w,) float, meV
        Probe photon energies.
    n_quad : int
        Gauss nodes per integral (per panel).
    breakpoints : tuple of float, meV
        Steps of f(E) (multiples of the injection energy).

    Returns
    -------
    (n_t, n_w) complex
    """
    f = _occupations(trace)
    bp = tuple(b for b in breakpoints if b < trace.energy_top)
    return optics.mattis_bardeen_batch(
        omega,
        trace.delta0,
        trace.energy,
        f,
        energy_max=trace.energy_top + 1e-6,
        n_quad=n_quad,
        above=0.0,
        breakpoints=bp,
    )


def nam_gap_function(
    energy: np.ndarray, delta: np.ndarray, z: np.ndarray, delta0: float, energy_max: float
) -> optics.GapFunction:
    """A recorded Eliashberg Delta(E), Z(E) as the Nam form's gap function, up to E_max.

    Beyond the Eliashberg grid's end W the table is continued as the solver treats that
    region (:mod:`photosc.cores.eliashberg`: N = 1, P = 0 beyond W): Delta = 0, and
    E [Z(E) - 1] held at its value at W, i.e. Z(E) = 1 + (Z(W) - 1) W / E -- the normal
    state with the constant phonon-emission rate 2 E Im Z of energies far above the
    phonons (Holstein). Holding the last table values instead (what
    :func:`~photosc.cores.optics.tabulated_gap_function` does beyond its table) would
    keep a spurious gap and a scattering rate growing with E.

    Parameters
    ----------
    energy : (m,) float, meV
        Eliashberg grid (E > 0, increasing).
    delta : (m,) complex, meV
        Delta(E).
    z : (m,) complex
        Z(E).
    delta0 : float, meV
        Gap edge (panel edge of the Nam quadrature).
    energy_max : float, meV
        Upper end of the Nam integral.
    """
    e = np.asarray(energy, dtype=float)
    d = np.asarray(delta, dtype=complex)
    zz = np.asarray(z, dtype=complex)
    w_top = float(e[-1])
    if energy_max > w_top:
        x = np.geomspace(w_top * 1.0001, 1.01 * energy_max, 64)
        e = np.concatenate([e, x])
        d = np.concatenate([d, np.zeros(x.size, dtype=complex)])
        zz = np.concatenate([zz, 1.0 + (zz[-1] - 1.0) * w_top / x])
    return optics.tabulated_gap_function(e, d, zz, edge=max(float(delta0), 0.0))


def nam_cutoff(
    energy_top: float, gap_energy: np.ndarray, energy_max: float | None = None
) -> tuple[float, tuple[float, ...]]:
    """Upper end of the Nam eps integral and its panel edges for a kinetic state.

    Parameters
    ----------
    energy_top : float, meV
        Top of the tabulated occupation (f = 0 beyond, :attr:`KineticTrace.energy_top`).
    gap_energy : (m,) float, meV
        Eliashberg grid; Delta = 0 beyond its end W (:func:`nam_gap_function`).
    energy_max : float, meV, optional
        Requested end; default max(energy_top, W) + 1e-6, beyond which the integrand
        vanishes identically (:func:`probe_conductivity_nam`). Must be >= energy_top.

    Returns
    -------
    energy_max : float, meV
    breakpoints : tuple of float, meV
        0 (the tabulated f is held at f[0] below the first bin, so h(eps) may jump at
        eps = 0) and W if the integral extends beyond it (W < energy_max - 1e-3 meV;
        the step of Delta to 0 becomes a panel edge).
    """
    w_top = float(np.asarray(gap_energy)[-1])
    e_max = max(energy_top, w_top) + 1e-6 if energy_max is None else float(energy_max)
    if not e_max >= energy_top:
        raise ValueError(
            f"energy_max={e_max} meV must reach the top of the kinetic grid "
            f"{energy_top} meV (f is tabulated up to there)"
        )
    return e_max, (0.0, *((w_top,) if w_top < e_max - 1e-3 else ()))


def _rows(trace: KineticTrace, rows: list[int]) -> KineticTrace:
    """The trace restricted to the recorded states ``rows``."""
    from dataclasses import replace

    pick = np.asarray(rows, dtype=int)

    def sub(x: np.ndarray | None) -> np.ndarray | None:
        return None if x is None else x[pick]

    return replace(
        trace,
        time=trace.time[pick],
        delta0=trace.delta0[pick],
        f=trace.f[pick],
        qp_density=trace.qp_density[pick],
        gap_delta=sub(trace.gap_delta),
        gap_z=sub(trace.gap_z),
        absorbed=sub(trace.absorbed),
        exchanged=sub(trace.exchanged),
        gap_work=sub(trace.gap_work),
        budget_error=sub(trace.budget_error),
        pairing_eigenvalue=sub(trace.pairing_eigenvalue),
    )


def probe_conductivity_nam(
    trace: KineticTrace,
    omega: np.ndarray,
    scattering_rate: float,
    n_quad: int,
    breakpoints: tuple = (),
    energy_max: float | None = None,
) -> np.ndarray:
    """Nam (Kubo) sigma/sigma_0 of every recorded state with its full Delta(E, t), Z(E, t).

    Paper 001 main text after Eq. 2 ("a Kubo formula [42, 43]"): the Nam form with the
    complex Eliashberg gap function of each delay (:attr:`KineticTrace.gap_delta`), the
    kinetic f(E, t) as the quasi-particle occupation, and Born impurity scattering at
    rate Gamma (:func:`photosc.cores.optics.nam_conductivity`). Normal state:
    sigma_0 Gamma / (Gamma - i w) (Holstein-renormalised by Z), sigma_0 = 1/rho_N.

    Parameters
    ----------
    trace : KineticTrace
        With gap tables (an Eliashberg kinetics, :func:`run_kinetics`).
    omega : (n_w,) float, meV
        Probe photon energies.
    scattering_rate : float, meV
        Impurity scattering rate Gamma = hbar / tau.
    n_quad : int
        Gauss nodes per Nam panel.
    breakpoints : tuple of float, meV
        Steps of f(E) (multiples of the injection energy); E = 0 (the kinetic f below
        the first bin is held at f[0], so h(eps) may jump there) and the end W of the
        Eliashberg table are added (:func:`nam_cutoff`).
    energy_max : float, meV, optional
        Upper end of the eps integral. Default: E_c = max(E_top, W), the larger of the
        top E_top of the kinetic grid (f = 0 beyond) and the end W of the Eliashberg
        table (Delta = 0 beyond, :func:`nam_gap_function`), which is exact: with
        Delta = 0 at eps and eps + w, g = 1 and f = 0 make 1 - g1 g2 - f1 f2 = 0, so
        A_RR = A_AA = 0, and with f = 0 at |eps|, |eps + w| > E_top, h(eps + w) = h(eps),
        so the integrand of :func:`photosc.cores.optics.nam_conductivity` vanishes
        identically outside [-E_c - w, E_c]. W is made a panel edge (Delta jumps
        there from Delta(W) to 0; Pb: -0.39 meV, K3C60: -1.2 meV). A larger value
        changes nothing but the quadrature nodes; a smaller one (the former default
        E_top when E_top < W, as on the coarse test grids) truncates the
        superconducting A_RR term: for Pb at 4 K (E_top = 20 meV, W = 51 meV,
        Gamma = 857 meV) sigma_2 at 1 and 5 meV by 1 % and 7 % (tests).

    Returns
    -------
    (n_t, n_w) complex
        sigma / sigma_0.
    """
    if trace.gap_delta is None or trace.gap_z is None or trace.gap_energy is None:
        raise ValueError("the kinetic trace carries no gap tables (not an Eliashberg run)")
    f = _occupations(trace)
    e_max, bp = nam_cutoff(trace.energy_top, trace.gap_energy, energy_max)
    bp = (*bp, *(b for b in breakpoints if b < trace.energy_top))
    w = np.asarray(omega, dtype=float)
    out = np.empty((trace.time.size, w.size), dtype=complex)
    for i in range(trace.time.size):
        gap = nam_gap_function(
            trace.gap_energy, trace.gap_delta[i], trace.gap_z[i], trace.delta0[i], e_max
        )
        occ = optics.tabulated_occupation(trace.energy, f[i], above=0.0)
        out[i] = optics.nam_conductivity(
            w, gap, occ, scattering_rate, energy_max=e_max, n_quad=n_quad, breakpoints=bp
        )
    return out


def pump_absorption(
    omega_pump: float,
    rho_n: float,
    thickness: float,
    *,
    n_slices: int = 1,
    eps_inf: float = 1.0,
    n_ambient: float = 1.0,
    n_substrate: complex = 1.0,
) -> tuple[float, np.ndarray, float]:
    """Absorbed fraction chi = 1 - R - T of the film at the pump and its depth profile.

    The film's conductivity at the pump frequency is sigma_N = 1/rho_N (far above the
    gap, Mattis-Bardeen -> 1); chi feeds E_abs = F_0 chi / d (paper 001 after Eq. 3).

    Parameters
    ----------
    omega_pump : float, meV
    rho_n : float, Ohm nm
    thickness : float, nm
    n_slices : int
        Equal slices for the profile.
    eps_inf : float
    n_ambient : float
    n_substrate : complex

    Returns
    -------
    chi : float
        Absorbed fraction of the whole film.
    per_slice : (n_slices,) float
        Absorbed fraction in each slice (sums to chi).
    depth : float, nm
        Pump penetration depth c/(2 omega Im n) (SI Eq. 14).
    """
    w = np.array([omega_pump])
    n = optics.complex_index(optics.conductivity_si(np.ones(1), rho_n), w, eps_inf)[0]
    d = np.full(n_slices, thickness / n_slices)
    idx = np.full((1, n_slices), n)
    per = optics.layer_absorptance(idx, d, w, n_ambient=n_ambient, n_substrate=n_substrate)[0]
    film = optics.stack(idx, d, w, n_ambient=n_ambient, n_substrate=n_substrate)
    return float(film.absorptance[0]), per, float(optics.penetration_depth(n, omega_pump))


def equilibrium_index(omega: np.ndarray, rho_n: float, delta0: float, kt: float, eps_inf: float):
    """Index of the unpumped material at ``omega`` (meV): Mattis-Bardeen, thermal n(E)."""
    if delta0 > 0:
        s = optics.mattis_bardeen(
            omega,
            delta0,
            optics.thermal_occupation(kt),
            energy_max=float(np.max(omega)) + delta0 + 60 * kt,
        )
    else:
        s = np.ones(np.shape(omega), dtype=complex)
    return optics.complex_index(optics.conductivity_si(s, rho_n), omega, eps_inf)


def _decay_time(t: np.ndarray, s: np.ndarray, level: float = math.exp(-1.0)) -> tuple[float, bool]:
    """Time after the peak of |s| for s to fall to ``level`` x peak (linear interpolation).

    Returns (time, True) or (t_end - t_peak, False) if the level is not reached.
    """
    k = int(np.argmax(np.abs(s)))
    peak = s[k]
    after = np.nonzero(s[k:] / peak <= level)[0]
    if after.size == 0:
        return float(t[-1] - t[k]), False
    j = k + int(after[0])
    y0, y1 = s[j - 1] / peak, s[j] / peak
    tc = t[j - 1] + (level - y0) / (y1 - y0) * (t[j] - t[j - 1])
    return float(tc - t[k]), True


def _rise_time(t: np.ndarray, s: np.ndarray) -> float:
    """10 %-90 % rise time of |s| before its peak, ps."""
    a = np.abs(s)
    k = int(np.argmax(a))
    peak = a[k]
    tt = t[: k + 1]
    aa = a[: k + 1] / peak

    def cross(level: float) -> float:
        j = int(np.nonzero(aa >= level)[0][0])
        if j == 0:
            return float(tt[0])
        return float(tt[j - 1] + (level - aa[j - 1]) / (aa[j] - aa[j - 1]) * (tt[j] - tt[j - 1]))

    return cross(0.9) - cross(0.1)


def _slow_time(t: np.ndarray, s: np.ndarray, start: float) -> float:
    """e-folding time (ps) of a least-squares exponential fit to |s| for t >= start."""
    m = t >= start
    a = np.abs(s[m])
    if m.sum() < 3 or np.any(a <= 0):
        raise ValueError("slow-component fit needs >= 3 positive samples after its start")
    slope = np.polyfit(t[m] - t[m][0], np.log(a), 1)[0]
    return float(-1.0 / slope) if slope < 0 else float("inf")


#: Value of ``slow_component_ps`` when no e-folding time exists: |dR/R| does not decay
#: in the fit window, or (LaH10) the gap does not recover before ``t_end`` (ps).
SLOW_NONE_PS = 1e6

#: Start of the exponential recovery fit after the peak, in probe FWHMs: beyond it the
#: Gaussian probe (weight 1 % beyond one FWHM = 2.35 sigma) no longer mixes in the rise.
FIT_START_PROBE_FWHM = 1.0

#: The fit window ends where the signal has fallen below this fraction of its peak.
FIT_STOP_FRACTION = 0.05

#: Delta_0 below this fraction of its equilibrium value counts as a closed gap.
GAP_CLOSED_FRACTION = 0.1

#: Fraction of the equilibrium Delta_0 at which the gap counts as recovered.
GAP_RECOVERED_FRACTION = 0.9


def _fit_decay(
    t: np.ndarray, s: np.ndarray, start: float, stop_fraction: float = FIT_STOP_FRACTION
) -> tuple[float, bool]:
    """e-folding time of a least-squares exponential fit to a decaying signal, ps.

    The window runs from ``start`` to the first sample at which s / s_peak falls below
    ``stop_fraction`` (s_peak: the sample of largest |s|; a sign change also ends it),
    or to the last sample. ln|s| is fitted by a straight line with each sample weighted
    by its share of the window (trapezoid weights), so that the fit describes the
    signal over the window, not the density of the (log-spaced) samples.

    Parameters
    ----------
    t : (n,) float, ps
        Increasing times.
    s : (n,) float
        Signal.
    start : float, ps
        Window start.
    stop_fraction : float
        End of the window as a fraction of the peak (0: to the last sample or the
        first sign change).

    Returns
    -------
    tau : float, ps
        e-folding time; ``SLOW_NONE_PS`` when there is none (fewer than 3 samples in
        the window, or the signal does not decay there).
    ok : bool
        Whether a finite, decaying fit exists.
    """
    t = np.asarray(t, dtype=float)
    s = np.asarray(s, dtype=float)
    peak = s[int(np.argmax(np.abs(s)))]
    if peak == 0:
        return SLOW_NONE_PS, False
    rel = s / peak
    idx = np.nonzero(t >= start)[0]
    if idx.size == 0:
        return SLOW_NONE_PS, False
    below = np.nonzero(rel[idx] <= max(stop_fraction, 0.0))[0]
    stop = idx[below[0]] if below.size else t.size
    if stop_fraction > 0 and below.size:
        stop += 1  # include the first sample below the level (it is still > 0 if rel > 0)
    win = np.arange(idx[0], stop)
    win = win[rel[win] > 0]
    if win.size < 3:
        return SLOW_NONE_PS, False
    tw = t[win]
    w = np.zeros(win.size)
    w[1:] += 0.5 * np.diff(tw)
    w[:-1] += 0.5 * np.diff(tw)
    slope = np.polyfit(tw - tw[0], np.log(rel[win]), 1, w=np.sqrt(w))[0]
    if not slope < 0:
        return SLOW_NONE_PS, False
    return float(-1.0 / slope), True


def _recovery_fit(
    t: np.ndarray, s: np.ndarray, probe_fwhm: float, n_fwhm: float = FIT_START_PROBE_FWHM
) -> tuple[float, bool]:
    """Exponential recovery time (ps) of a probe-convolved signal after its peak.

    :func:`_fit_decay` from t_peak + ``n_fwhm`` probe FWHMs (where the probe no longer
    mixes in the rise) until the signal falls below ``FIT_STOP_FRACTION`` of its peak.
    """
    k = int(np.argmax(np.abs(s)))
    return _fit_decay(t, s, float(t[k]) + n_fwhm * probe_fwhm)


def _below_duration(t: np.ndarray, y: np.ndarray, level: float) -> float:
    """Total time (ps) during which the piecewise-linear interpolant of y is below
    ``level`` (exact for the interpolant: each interval contributes its share)."""
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float) - level
    total = 0.0
    for a, b, ya, yb in zip(t[:-1], t[1:], y[:-1], y[1:]):
        if ya < 0 and yb < 0:
            total += b - a
        elif ya < 0 <= yb or yb < 0 <= ya:
            frac = -min(ya, yb) / abs(yb - ya)
            total += frac * (b - a)
    return float(total)


def _gap_closed_time(
    t: np.ndarray, delta0: np.ndarray, delta_eq: float, fraction: float = GAP_CLOSED_FRACTION
) -> tuple[float, bool]:
    """How long the gap stays closed: the time (ps) with Delta_0(t) < ``fraction`` x
    Delta_0(eq) (linear interpolation between the recorded delays), and whether it has
    reopened above that level by the last delay (False: the time is a lower bound)."""
    level = fraction * delta_eq
    return _below_duration(t, delta0, level), bool(delta0[-1] >= level)


def _gap_recovery_time(
    t: np.ndarray,
    delta0: np.ndarray,
    delta_eq: float,
    fraction: float = GAP_RECOVERED_FRACTION,
    t_pump: float = 0.0,
) -> tuple[float, bool]:
    """Time after the pump centre ``t_pump`` (ps) at which Delta_0 first regains
    ``fraction`` of its equilibrium value after its minimum (linear interpolation).

    Returns (time, True); (0, True) if Delta_0 never falls below that level; and
    (t_end - t_pump, False) if it has not recovered by the last delay.
    """
    level = fraction * delta_eq
    k = int(np.argmin(delta0))
    if delta0[k] >= level:
        return 0.0, True
    up = np.nonzero(delta0[k:] >= level)[0]
    if up.size == 0:
        return float(t[-1] - t_pump), False
    j = k + int(up[0])
    y0, y1 = delta0[j - 1], delta0[j]
    tc = t[j - 1] + (level - y0) / (y1 - y0) * (t[j] - t[j - 1])
    return float(tc - t_pump), True


def _grows(values: list[float], finite: list[bool] | None = None) -> bool:
    """Whether ``values`` increase strictly; entries flagged not finite count as larger
    than any finite one (a lower bound: not reached in the window), and two of them in
    a row cannot be ordered (False)."""
    ok = [True] * len(values) if finite is None else finite
    v = [x if f else math.inf for x, f in zip(values, ok)]
    return bool(all(b > a for a, b in zip(v, v[1:])))


def _budget_vars(traces: list[KineticTrace], dims: tuple[str, ...], prefix: str = "") -> dict:
    """Dataset variables of the kinetic energy budget over time (meV/nm^3) and, where
    every trace has it, lambda_max(t); ``traces`` stacked along ``dims[:-1]`` (a single
    trace for dims of length 1)."""

    def stack(name: str) -> np.ndarray:
        a = [getattr(tr, name) for tr in traces]
        return a[0] if len(dims) == 1 else np.array(a)

    out: dict[str, tuple] = {}
    if all(tr.absorbed is not None for tr in traces):
        for name, long_name in (
            ("absorbed", "pump energy absorbed since the start of the kinetics"),
            ("exchanged", "energy exchanged with the outside (phonon escape; < 0: out)"),
            ("gap_work", "energy taken up at the adiabatic gap updates"),
            ("stored", "change of the quasi-particle + phonon energy since the start"),
            ("budget_error", "stored - absorbed - exchanged - gap_work (integration error)"),
        ):
            out[f"{prefix}energy_{name}"] = _var(dims, stack(name), "meV/nm^3", long_name)
    if all(tr.pairing_eigenvalue is not None for tr in traces):
        out[f"{prefix}pairing_eigenvalue"] = _var(
            dims,
            stack("pairing_eigenvalue"),
            "1",
            "leading eigenvalue lambda_max of the linearised gap equation with f(E, t), n(t)",
        )
    return out


def _budget_summary(
    traces: list[KineticTrace], per: str | None = None, prefix: str = "", extra: list = ()
) -> dict[str, Any]:
    """Summary keys of the energy budget: ``{prefix}energy_budget_error`` (largest over
    ``traces`` and the further traces ``extra``, e.g. depth-resolved slices),
    ``{prefix}energy_budget_error_per_{per}`` (one per trace) where ``per`` is given,
    and, where every trace has lambda_max(t), ``{prefix}pairing_eigenvalue_max`` and
    ``{prefix}pairing_eigenvalue_max_time_ps`` (lists with ``per``)."""
    errs = [float(tr.energy_budget_error) for tr in traces]
    out: dict[str, Any] = {
        f"{prefix}energy_budget_error": max(errs + [float(tr.energy_budget_error) for tr in extra])
    }
    if per:
        out[f"{prefix}energy_budget_error_per_{per}"] = errs
    if all(tr.pairing_eigenvalue is not None for tr in traces):
        lam_max, t_max = [], []
        for tr in traces:
            lam = np.asarray(tr.pairing_eigenvalue, dtype=float)
            k = int(np.nanargmax(lam))
            lam_max.append(float(lam[k]))
            t_max.append(float(tr.time[k]))
        one = not per
        out[f"{prefix}pairing_eigenvalue_max"] = lam_max[0] if one else lam_max
        out[f"{prefix}pairing_eigenvalue_max_time_ps"] = t_max[0] if one else t_max
    return out


def _plot_budget(ax: Any, time: np.ndarray, ds: xr.Dataset, prefix: str = "", scale: float = 1.0):
    """One small panel: stored, absorbed and escaped energy (meV/nm^3) versus time of
    each curve along the dataset's first dimension (or of the single trace), with the
    largest budget error in the title. ``scale`` divides the time axis."""
    absorbed = np.atleast_2d(ds[f"{prefix}energy_absorbed"].values)
    stored = np.atleast_2d(ds[f"{prefix}energy_stored"].values)
    escaped = -np.atleast_2d(ds[f"{prefix}energy_exchanged"].values)
    err = np.atleast_2d(ds[f"{prefix}energy_budget_error"].values)
    x = np.asarray(time) / scale
    for i in range(absorbed.shape[0]):
        c = f"C{i}"
        ax.plot(x, absorbed[i], color=c, lw=1.0, label="absorbed" if i == 0 else None)
        ax.plot(x, stored[i], "--", color=c, lw=1.0, label="stored" if i == 0 else None)
        ax.plot(x, escaped[i], ":", color=c, lw=1.2, label="escaped" if i == 0 else None)
    rel = float(np.max(np.abs(err))) / (float(np.max(np.abs(absorbed))) or 1.0)
    ax.set_title(f"energy budget (max |error| / absorbed = {rel:.1e})", fontsize=8)
    ax.set_ylabel(r"energy (meV/nm$^3$)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6)


def _plot_gap(
    ax: Any, time: np.ndarray, delta0: np.ndarray, lam: np.ndarray | None, labels, scale=1.0
):
    """Delta_0(t) per curve and, where given, lambda_max(t) on a second axis (dashed)."""
    x = np.asarray(time) / scale
    d = np.atleast_2d(delta0)
    for i in range(d.shape[0]):
        ax.plot(x, d[i], color=f"C{i}", label=labels[i] if labels else None)
    ax.set_ylabel(r"$\Delta_0$ (meV)", fontsize=8)
    ax.tick_params(labelsize=7)
    if lam is not None:
        ax2 = ax.twinx()
        lm = np.atleast_2d(lam)
        for i in range(lm.shape[0]):
            ax2.plot(x, lm[i], "--", color=f"C{i}", lw=0.9)
        ax2.axhline(1.0, color="0.6", lw=0.6)
        ax2.set_ylabel(r"$\lambda_{max}$ (dashed)", fontsize=8)
        ax2.tick_params(labelsize=7)
    if labels:
        ax.legend(fontsize=6)


def _delays(tau: float, t_end: float, n: int, fine: float, pre: float = 0.0) -> np.ndarray:
    """Record times (ps): before the pulse (from -max(pre, 3 tau), so that a probe of
    FWHM ~ pre/2 sees the pre-pump state), dense through the pulse up to ``fine``,
    log-spaced after it up to ``t_end``; about ``n`` points (at least 4 after ``fine``)."""
    if not t_end > 0:
        raise ConfigError(f"t_end must be > 0 ps, got {t_end}")
    fine = min(fine, 0.5 * t_end)
    start = -max(pre, 3.0 * tau)
    before = np.linspace(start, -3.0 * tau, 4) if pre > 3.0 * tau else np.array([start])
    dense = np.linspace(-2.0 * tau, fine, max(8, (n - before.size) // 3))
    late = np.geomspace(fine, t_end, max(5, n - before.size - dense.size + 1))[1:]
    return np.concatenate([before, dense, late])


def _slope(w: np.ndarray, y: np.ndarray) -> float:
    """d ln y / d ln w by a least-squares line (y > 0 required)."""
    if np.any(y <= 0):
        raise ValueError("sigma_2 must be > 0 below the gap for the log-log slope")
    return float(np.polyfit(np.log(w), np.log(y), 1)[0])


def _var(dims: tuple[str, ...], data: Any, units: str, long_name: str) -> tuple:
    return (dims, np.asarray(data, dtype=float), {"units": units, "long_name": long_name})


class _Kin(Numerics):
    """Kinetic numerics shared by the pump-probe models."""

    grid_step: quantity("meV", gt=0) = Field(
        "0.1 meV", description="kinetic and Eliashberg grid step h, meV"
    )
    e_max: quantity("meV", gt=0) = Field(
        "60 meV", description="upper end of the quasi-particle grid, meV (raised to hold the pump)"
    )
    rtol: float = Field(1e-3, gt=0, lt=1, description="relative tolerance of the integrator")
    gap_tol: float = Field(1e-6, gt=0, lt=1, description="gap-update tolerance")
    n_times: int = Field(90, ge=12, le=5000, description="recorded delays")
    n_quad: int = Field(96, ge=16, le=2048, description="Gauss nodes per Mattis-Bardeen panel")

    memory_fields = ("grid_step", "e_max", "n_times")

    def estimated_bytes(self, params: Params) -> int:
        """The recorded occupations f(E, t) of every kept kinetic run (and their clipped
        copy for the optics): 2 x n_times x n_qp floats per run, n_qp = max(e_max,
        injection + 10 h) / h (as make_grid), one run per temperature or fluence (K3C60: the surface
        layer and its slices, recorded at the spectra's delays). A lower bound."""
        w = getattr(params, "pump_injection_energy", 0.0) or getattr(
            params, "pump_photon_energy", 0.0
        )
        n_qp = math.ceil(max(self.e_max, w + 10 * self.grid_step) / self.grid_step - 1e-9)
        runs = len(getattr(params, "temperatures", getattr(params, "fluences", [0])))
        n_t = self.n_times
        if hasattr(params, "delays"):  # photoinduced-optics-k3c60
            n_t = len(params.delays) + 1
            runs = 1 + int(getattr(self, "n_slices", 0))
        return FLOAT_BYTES * 2 * n_t * n_qp * runs


#: Allowed values of the ``conductivity`` numerics field.
Conductivity = Literal["mattis-bardeen", "nam", "both"]


class _NamNumerics(_Kin):
    """Kinetic numerics plus the choice of the probe conductivity form."""

    conductivity: Conductivity = Field(
        "both",
        description=(
            "probe conductivity: 'mattis-bardeen' (dirty BCS limit with Delta_0(t)), 'nam' "
            "(Kubo/Nam form with the full Eliashberg Delta(omega, t), Z(omega, t) and "
            "impurity rate scattering_rate), or 'both' (primary results from "
            "Mattis-Bardeen, the Nam results beside them)"
        ),
    )
    n_quad_nam: int = Field(192, ge=16, le=4096, description="Gauss nodes per Nam panel")


def _uses(numerics: Any, form: str) -> bool:
    """Whether the numerics' ``conductivity`` choice includes ``form``."""
    return numerics.conductivity in (form, "both")


# --------------------------------------------------------------------------------------
# pump-probe-pb (Fig. 2c)
class PumpProbePbParams(Params):
    """Pb -dT/T0 (paper 001 Fig. 2c, experiment ref. 40)."""

    temperatures: list[quantity("K", gt=0)] = Field(
        [4.0, 5.0, 6.0, 6.5], min_length=1, description="bath temperatures, K (below T_c)"
    )
    pump_photon_energy: quantity("meV", gt=0) = Field("1500 meV", description="omega_pump, meV")
    pump_injection_energy: quantity("meV", ge=0) = Field(
        "0 meV", description="photon energy used in the kinetics, meV (0: omega_pump)"
    )
    pump_duration: quantity("ps", gt=0) = Field("2 ps", description="tau_pump (FWHM), ps")
    fluence: quantity("mJ/cm^2", ge=0) = Field("5e-7 mJ/cm^2", description="F_0, mJ/cm^2")
    probe_photon_energy: quantity("meV", gt=0) = Field("5 meV", description="omega_pr, meV")
    probe_duration: quantity("ps", gt=0) = Field("200 ps", description="probe FWHM, ps")
    tau_esc: quantity("ps", gt=0) = Field("500 ps", description="phonon escape time, ps")
    film_thickness: quantity("nm", gt=0) = Field("10 nm", description="Pb film thickness, nm")
    n_substrate_probe: float = Field(3.42, gt=0, description="substrate index at the probe")
    n_substrate_pump: float = Field(3.7, gt=0, description="substrate index at the pump")
    reheating_tail: bool = Field(True, description="add the SI II.1 substrate-reheating tail")
    tail_amplitude: float = Field(0.2, ge=0, description="tail amplitude relative to the peak")
    tail_decay: quantity("ps", gt=0) = Field("3000 ps", description="tail decay constant, ps")
    t_end: quantity("ps", gt=0) = Field("8000 ps", description="last delay, ps")
    scattering_rate: quantity("meV", gt=0) = Field(
        "857 meV",
        description=(
            "impurity scattering rate Gamma = hbar/tau of the Nam conductivity, meV; "
            "default: Drude estimate Gamma = hbar n e^2 rho_N / m_e with n = 4 valence "
            "electrons x SI Table 1's ion density (hbar omega_p = 13.5 eV) and rho_N of "
            "SI Table 1 (Gamma / 2 Delta_0 ~ 300: dirty limit)"
        ),
    )

    alpha2f_low_scale: float = Field(
        1.0,
        gt=0,
        le=10,
        description=(
            "factor on the Pb alpha^2F below alpha2f_low_edge (1: the model spectrum): a "
            "sensitivity probe of the recombination bottleneck at 2 Delta "
            "(scaled_low_energy; Kaplan's tau_0 = 0.196 ns for Pb is 3-4x longer than the "
            "low-energy tail of the model spectrum gives)"
        ),
    )
    alpha2f_low_edge: quantity("meV", gt=0) = Field(
        "3.5 meV",
        description=(
            "upper end of the scaled alpha^2F (and F) range, meV (default between "
            "2 Delta_0 = 2.7 meV and the transverse peak at ~4.4 meV)"
        ),
    )
    phonon_dos_low_scale: float = Field(
        1.0,
        gt=0,
        le=10,
        description=(
            "factor on the Pb phonon DOS F(Omega) below alpha2f_low_edge at fixed "
            "alpha^2F (1: the model spectrum): the phonons at 2 Delta break pairs "
            "1/factor times faster (SI Eq. 5 carries alpha^2F/F); scaled_low_energy"
        ),
    )

    @field_validator("temperatures")
    @classmethod
    def _below_tc(cls, v: list[float]) -> list[float]:
        bad = [t for t in v if t >= 7.2]
        if bad:
            raise ValueError(f"temperatures must be below T_c = 7.2 K of the Pb model, got {bad}")
        return v


class PumpProbePbNumerics(_NamNumerics):
    """Numerics (Pb: 0.1 meV grid).

    ``conductivity`` defaults to "both": the primary -dT/T0 (and the paper checks) is
    Mattis-Bardeen with Delta_0(t); the Nam trace with the full strong-coupling
    Delta(omega, t) of Pb (2 Delta_0 / k_B T_c = 4.5) is computed beside it and their
    difference reported (``nam_vs_mb_max_relative_difference``).
    """


def _pb_signal(
    time: np.ndarray, s: np.ndarray, params: PumpProbePbParams, rho: float, w_pr: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """-dT/T0 of a film with normalised conductivity ``s`` (n_t, 1): (raw, convolved with
    the tail if enabled, convolved without the tail).

    The tail (SI II.1, :func:`photosc.cores.optics.reheating_tail`) is added to the raw
    signal before the probe convolution (SI II.2), as the paper does; the convolution
    is linear, so the displayed signal minus the one without tail is the convolved tail.
    """
    sig = optics.conductivity_si(s, rho)[..., None]
    ft = optics.film_trace(sig, w_pr, [params.film_thickness], n_substrate=params.n_substrate_probe)
    sr = -ft.d_t_over_t[:, 0]
    bare = optics.gaussian_probe_convolution(time, sr, params.probe_duration)
    if not (params.reheating_tail and np.max(np.abs(sr)) > 0):
        return sr, bare, bare
    st = optics.reheating_tail(time, sr, amplitude=params.tail_amplitude, decay=params.tail_decay)
    return sr, optics.gaussian_probe_convolution(time, st, params.probe_duration), bare


def _pb_recovery(
    time: np.ndarray, shown: np.ndarray, bare: np.ndarray, probe_fwhm: float
) -> dict[str, Any]:
    """Recovery measures of one Pb trace (issue 12 section 3).

    Parameters
    ----------
    time : (n_t,) float, ps
    shown : (n_t,) float
        Displayed -dT/T0: convolved, with the reheating tail if enabled (Fig. 2c).
    bare : (n_t,) float
        Convolved without the tail.
    probe_fwhm : float, ps

    Returns
    -------
    dict
        ``tau`` (1/e time of ``shown`` after its peak, ns) and ``ok`` (reached before
        the last delay); ``tau_bare``, ``ok_bare`` the same for ``bare``; ``fit_bare``
        (ns) and ``fit_ok``: e-folding time of an exponential fit to ``bare`` from one
        probe FWHM after its peak until it falls to 5 % of the peak
        (:func:`_recovery_fit`); ``peak`` (signed peak of ``shown``); ``tail`` (largest
        |shown - bare|, the convolved tail, over |peak of shown|).
    """
    if not np.max(np.abs(shown)) > 0:
        return dict(tau=0.0, ok=False, tau_bare=0.0, ok_bare=False, fit_bare=0.0,
                    fit_ok=False, peak=0.0, tail=0.0)  # fmt: skip
    tau, ok, peak = _recovery(time, shown)
    tau_b, ok_b, _ = _recovery(time, bare)
    fit, fit_ok = _recovery_fit(time, bare, probe_fwhm)
    return dict(
        tau=tau,
        ok=ok,
        tau_bare=tau_b,
        ok_bare=ok_b,
        fit_bare=fit / 1000.0,
        fit_ok=fit_ok,
        peak=peak,
        tail=float(np.max(np.abs(shown - bare)) / abs(peak)),
    )


def _recovery(time: np.ndarray, sc: np.ndarray) -> tuple[float, bool, float]:
    """(1/e recovery time in ns, reached within the window, signed peak) of a signal."""
    if np.max(np.abs(sc)) > 0:
        tau_r, ok = _decay_time(time, sc)
    else:
        tau_r, ok = 0.0, False
    return tau_r / 1000.0, bool(ok), float(sc[int(np.argmax(np.abs(sc)))])


def _pb_kinetics(
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    temp: float,
    w_inj: float,
    e_abs: float,
    delays: np.ndarray,
    sp: Any,
) -> KineticTrace:
    """The pumped kinetics of the Pb film at ``temp`` (K) (:func:`run_kinetics`)."""
    return run_kinetics(
        "Pb",
        temp,
        injection_energy=w_inj,
        tau_pump=params.pump_duration,
        energy_density=e_abs,
        tau_esc=params.tau_esc,
        delays=delays,
        step=numerics.grid_step,
        e_max=numerics.e_max,
        rtol=numerics.rtol,
        gap_tol=numerics.gap_tol,
        spectrum=sp,
    )


def run_pb(params: PumpProbePbParams, numerics: PumpProbePbNumerics) -> ModelOutput:
    """-dT/T0 of a thin Pb film versus delay at each temperature (paper 001 Fig. 2c).

    The probe conductivity is Mattis-Bardeen with Delta_0(t) and f(E, t)
    (:func:`probe_conductivity`) and/or the Nam form with the full Delta(omega, t),
    Z(omega, t) (:func:`probe_conductivity_nam`, impurity rate ``scattering_rate``),
    per ``numerics.conductivity``; with "both" the primary results are Mattis-Bardeen's.

    Spectrum: the built-in Pb alpha^2F and F, with ``alpha2f_low_scale`` applied to
    alpha^2F and ``phonon_dos_low_scale`` to F below ``alpha2f_low_edge``
    (:func:`scaled_low_energy`; 1 = unchanged), sensitivity probes of recombination at
    2 Delta and of pair breaking by 2 Delta phonons (issue 12 section 4).

    Recovery (issue 12 section 3): the reheating tail (SI II.1) is 0.2 of the
    *unconvolved* peak; after the 200 ps convolution it stands at a larger fraction of
    the displayed peak (``tail_over_displayed_peak``), at or above the 1/e level, so the
    1/e time of the displayed signal (``recovery_time_ns``) mostly measures the 3 ns
    tail. The recovery of the kinetics is read from the convolved signal without the
    tail: its 1/e time (``recovery_time_no_tail_ns``) and the e-folding time of an
    exponential fit after the peak (``recovery_fit_time_no_tail_ns``, :func:`_recovery_fit`:
    from one probe FWHM after the peak until the signal falls to 5 % of it); the trend
    check ``recovery_speeds_up_towards_tc`` uses the former.

    Returns
    -------
    ModelOutput
        Dataset over (temperature, time): ``minus_dT_over_T`` (convolved, with the tail
        if enabled: the displayed signal), ``minus_dT_over_T_raw`` (unconvolved, no
        tail), ``minus_dT_over_T_no_tail`` (convolved, no tail), ``reheating_tail``
        (the convolved tail: displayed - no tail), ``delta0`` (meV),
        ``normalised_signal`` (divided by the largest peak, as the paper's figure), the
        energy budget of the kinetics ``energy_absorbed``, ``energy_exchanged``,
        ``energy_gap_work``, ``energy_stored``, ``energy_budget_error`` (meV/nm^3,
        :class:`KineticTrace`), ``pairing_eigenvalue`` where the kinetics provides it,
        and, with "both", ``minus_dT_over_T_nam``, ``minus_dT_over_T_raw_nam``,
        ``minus_dT_over_T_no_tail_nam``.
        Summary, per temperature: ``recovery_time_no_tail_ns`` with
        ``recovered_no_tail_within_window`` (False: the 1/e level is not reached before
        ``t_end``, and the time is t_end - t_peak), ``recovery_fit_time_no_tail_ns`` with
        ``recovery_fit_no_tail_ok`` (False: no decaying fit, time ``SLOW_NONE_PS``/1000),
        ``tail_over_displayed_peak``, ``recovery_time_ns`` with
        ``recovered_within_window`` (1/e time of the displayed signal, tail included),
        ``peak_minus_dT_over_T``, ``delta0_equilibrium_meV``,
        ``fastest_recovery_temperature_K``, ``temperatures_K`` (those reported),
        ``failed_temperatures_K``, ``failed_temperature_errors`` and
        ``failed_temperature_budget_errors`` (temperatures whose kinetics broke its
        energy budget, with the relative error: left out with a warning; all failing
        raises),
        ``lambda`` and
        ``kaplan_tau0_at_2delta_ns`` (of the spectrum used, :func:`kaplan_tau0` at
        2 ``delta0_1K_meV``), ``energy_budget_error_per_temperature`` (and
        ``pairing_eigenvalue_max``, ``pairing_eigenvalue_max_time_ps`` where provided);
        the trends
        ``recovery_speeds_up_towards_tc`` (no-tail 1/e times decreasing with
        temperature, all reached), ``recovery_fit_speeds_up_towards_tc`` (no-tail fits),
        ``recovery_with_tail_speeds_up_towards_tc`` (displayed signal);
        ``energy_budget_error`` (largest over the temperatures), ``absorbed_fraction``,
        ``conductivity_form`` and, with "both", every per-temperature and trend key
        above with prefix ``nam_``, ``nam_over_mb_peak`` (per temperature) and
        ``nam_vs_mb_max_relative_difference`` (max over temperatures and delays of
        |S_Nam - S_MB| / max |S_MB| of the displayed signals).
    """
    sp = _pb_spectrum(params)
    chi, e_abs, w_inj = _pb_pump(params, sp)
    delays = _delays(
        params.pump_duration, params.t_end, numerics.n_times, 50.0, 2 * params.probe_duration
    )
    forms = [f for f in ("mattis-bardeen", "nam") if _uses(numerics, f)]
    # kinetics and probe optics per temperature; those breaking their budget left out
    runs = _pb_runs(params, numerics, sp, w_inj, e_abs, delays, forms)
    ds = _pb_dataset(runs, params, numerics, delays, chi, e_abs, w_inj)
    summary = _pb_summary(runs, params, numerics, sp, delays, chi, e_abs, w_inj)
    return ModelOutput(dataset=ds, summary=summary)


@dataclass
class _PbRuns:
    """The kinetics and probe signals of the Pb temperatures that ran (:func:`_pb_runs`).

    ``sig[form][kind]`` holds one (n_t,) -dT/T0 per temperature for each conductivity
    form (primary first) and ``kind``: "raw" (unconvolved, no tail), "conv" (convolved,
    with the reheating tail if enabled) or "bare" (convolved, no tail). ``gaps``:
    Delta_0(t) (meV) per temperature; ``done``: those temperatures (K); ``failed``:
    (temperature K, message, relative budget error) of those left out.
    """

    sig: dict[str, dict[str, list]]
    gaps: list[np.ndarray]
    traces: list[KineticTrace]
    done: list[float]
    failed: list[tuple[float, str, float]]


def _pb_spectrum(params: PumpProbePbParams) -> Any:
    """The Pb alpha^2F and F with the low-energy scalings of ``params``
    (:func:`scaled_low_energy`; 1 = the model spectrum)."""
    return scaled_low_energy(
        _spectrum("Pb"),
        params.alpha2f_low_scale,
        params.alpha2f_low_edge,
        params.phonon_dos_low_scale,
    )


def _pb_pump(params: PumpProbePbParams, sp: Any) -> tuple[float, float, float]:
    """Calibrate the pump on the Pb film.

    Parameters
    ----------
    params : PumpProbePbParams
    sp : Spectrum
        The (possibly scaled) Pb spectrum; its rho_N sets the normal-state index.

    Returns
    -------
    chi : float
        Absorbed fraction 1 - R - T of the film at omega_pump (:func:`pump_absorption`).
    e_abs : float, meV/nm^3
        Absorbed energy density F_0 chi / d.
    w_inj : float, meV
        Photon energy of the kinetic drive (``pump_injection_energy`` or omega_pump).
    """
    rho = sp.material.rho_n_ohm_nm
    w_pump = params.pump_photon_energy
    w_inj = params.pump_injection_energy or w_pump
    chi, _, _ = pump_absorption(
        w_pump, rho, params.film_thickness, n_substrate=params.n_substrate_pump
    )
    from photosc.cores.kinetics.pump import absorbed_energy_density

    e_abs = absorbed_energy_density(params.fluence, chi, params.film_thickness)
    return chi, e_abs, w_inj


def _pb_optics(
    tr: KineticTrace,
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    forms: list[str],
    w_inj: float,
    rho: float,
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Optics of one Pb kinetic trace: per conductivity form, -dT/T0 at the probe
    (raw, convolved with the tail if enabled, convolved without it; :func:`_pb_signal`).

    Parameters
    ----------
    tr : KineticTrace
    params : PumpProbePbParams
    numerics : PumpProbePbNumerics
    forms : list of str
        "mattis-bardeen" (:func:`probe_conductivity`) and/or "nam"
        (:func:`probe_conductivity_nam`, impurity rate ``scattering_rate``).
    w_inj : float, meV
        Photon energy of the kinetic drive (its breakpoints in the energy integrals).
    rho : float, Ohm nm
        Normal-state resistivity.
    """
    w_pr = np.array([params.probe_photon_energy])
    out = {}
    for form in forms:
        if form == "nam":
            s = probe_conductivity_nam(
                tr, w_pr, params.scattering_rate, numerics.n_quad_nam, (w_inj, 2 * w_inj)
            )
        else:
            s = probe_conductivity(tr, w_pr, numerics.n_quad, (w_inj, 2 * w_inj))
        out[form] = _pb_signal(tr.time, s, params, rho, w_pr)
    return out


def _pb_runs(
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    sp: Any,
    w_inj: float,
    e_abs: float,
    delays: np.ndarray,
    forms: list[str],
) -> _PbRuns:
    """Run the kinetics and the probe optics at each temperature.

    A temperature whose kinetics breaks its energy budget (ConvergenceError) is left
    out with a warning; all failing raises.

    Parameters
    ----------
    params : PumpProbePbParams
    numerics : PumpProbePbNumerics
    sp : Spectrum
        The (possibly scaled) Pb spectrum (:func:`_pb_spectrum`).
    w_inj : float, meV
        Photon energy of the kinetic drive.
    e_abs : float, meV/nm^3
        Absorbed energy density.
    delays : (n_t,) float, ps
    forms : list of str
        Conductivity forms, primary first.
    """
    rho = sp.material.rho_n_ohm_nm
    runs = _PbRuns({f: {"raw": [], "conv": [], "bare": []} for f in forms}, [], [], [], [])
    for temp in progress(params.temperatures, desc="Pb temperatures"):
        try:
            tr = _pb_kinetics(params, numerics, temp, w_inj, e_abs, delays, sp)
        except ConvergenceError as exc:
            # a temperature whose kinetics breaks its energy budget is left out, loudly:
            # named in the summary (failed_temperatures_K, failed_temperature_errors) and
            # warned (recorded in the result); the others are still reported
            if len(runs.failed) + 1 == len(params.temperatures):
                raise
            runs.failed.append((float(temp), str(exc), float(exc.residual)))
            warnings.warn(f"pump-probe-pb: {temp:g} K left out: {exc}", stacklevel=3)
            continue
        runs.done.append(float(temp))
        for form, (sr, sc, sb) in _pb_optics(tr, params, numerics, forms, w_inj, rho).items():
            runs.sig[form]["raw"].append(sr)
            runs.sig[form]["conv"].append(sc)
            runs.sig[form]["bare"].append(sb)
        runs.gaps.append(tr.delta0)
        runs.traces.append(tr)
    return runs


def _pb_dataset(
    runs: _PbRuns,
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    delays: np.ndarray,
    chi: float,
    e_abs: float,
    w_inj: float,
) -> xr.Dataset:
    """Assemble the (temperature, time) dataset of :func:`run_pb`: -dT/T0 (displayed,
    raw, without tail, the convolved tail, normalised; ``_nam`` with "both"),
    Delta_0(t) (meV) and the energy budget (meV/nm^3).

    Parameters
    ----------
    runs : _PbRuns
    params : PumpProbePbParams
    numerics : PumpProbePbNumerics
    delays : (n_t,) float, ps
    chi : float
        Absorbed fraction at omega_pump.
    e_abs : float, meV/nm^3
    w_inj : float, meV
    """
    sig = runs.sig
    forms = list(sig)  # primary first
    primary = forms[0]
    conv_a = np.array(sig[primary]["conv"])
    bare_a = np.array(sig[primary]["bare"])
    norm = float(np.max(np.abs(conv_a))) or 1.0
    temps = np.asarray(runs.done, dtype=float)
    dims = ("temperature", "time")
    data = {
        "minus_dT_over_T": _var(dims, conv_a, "1", "-dT/T0, probe-convolved (+ tail)"),
        "minus_dT_over_T_raw": _var(
            dims, np.array(sig[primary]["raw"]), "1", "-dT/T0 before convolution, no tail"
        ),
        "minus_dT_over_T_no_tail": _var(dims, bare_a, "1", "-dT/T0, probe-convolved, no tail"),
        "reheating_tail": _var(
            dims, conv_a - bare_a, "1", "convolved reheating tail (displayed - no tail)"
        ),
        "normalised_signal": _var(dims, conv_a / norm, "1", "-dT/T0 / max (as Fig. 2c)"),
        "delta0": _var(dims, np.array(runs.gaps), "meV", "gap edge Delta_0"),
        **_budget_vars(runs.traces, dims),
    }
    if len(forms) == 2:
        data["minus_dT_over_T_nam"] = _var(
            dims, np.array(sig["nam"]["conv"]), "1", "-dT/T0 (Nam form), convolved (+ tail)"
        )
        data["minus_dT_over_T_raw_nam"] = _var(
            dims, np.array(sig["nam"]["raw"]), "1", "-dT/T0 (Nam form) before convolution"
        )
        data["minus_dT_over_T_no_tail_nam"] = _var(
            dims, np.array(sig["nam"]["bare"]), "1", "-dT/T0 (Nam form), convolved, no tail"
        )
    return xr.Dataset(
        data,
        coords={
            "temperature": _var(("temperature",), temps, "K", "bath temperature"),
            "time": _var(("time",), delays, "ps", "pump-probe delay"),
        },
        attrs={
            "model": "pump-probe-pb",
            "absorbed_fraction": chi,
            "energy_density_meV_nm3": e_abs,
            "injection_energy_meV": w_inj,
            "conductivity": numerics.conductivity,
            "scattering_rate_meV": params.scattering_rate,
        },
    )


def _towards_tc(values: list[float], ok: list[bool], order: np.ndarray) -> bool:
    """Whether ``values`` (one per temperature) all reached (``ok``) and strictly
    decrease towards T_c, i.e. along the increasing-temperature ``order``."""
    v = [values[i] for i in order]
    return bool(all(ok) and all(b < a for a, b in zip(v, v[1:])))


def _pb_stats(
    sig: dict[str, list], delays: np.ndarray, probe_fwhm: float, order: np.ndarray
) -> dict[str, Any]:
    """Recovery measures of one conductivity form's traces (:func:`_pb_recovery`), per
    temperature, and their trends towards T_c.

    Parameters
    ----------
    sig : dict
        ``"conv"`` and ``"bare"``: one (n_t,) -dT/T0 per temperature (:class:`_PbRuns`).
    delays : (n_t,) float, ps
    probe_fwhm : float, ps
    order : (n_T,) int
        Indices of the temperatures in increasing order.
    """
    rec = [_pb_recovery(delays, c, b, probe_fwhm) for c, b in zip(sig["conv"], sig["bare"])]

    def col(k: str) -> list:
        return [r[k] for r in rec]

    return {
        "recovery_time_ns": col("tau"),
        "recovered_within_window": col("ok"),
        "peak_minus_dT_over_T": col("peak"),
        "recovery_time_no_tail_ns": col("tau_bare"),
        "recovered_no_tail_within_window": col("ok_bare"),
        "recovery_fit_time_no_tail_ns": col("fit_bare"),
        "recovery_fit_no_tail_ok": col("fit_ok"),
        "tail_over_displayed_peak": col("tail"),
        "recovery_speeds_up_towards_tc": _towards_tc(col("tau_bare"), col("ok_bare"), order),
        "recovery_fit_speeds_up_towards_tc": _towards_tc(col("fit_bare"), col("fit_ok"), order),
        "recovery_with_tail_speeds_up_towards_tc": _towards_tc(col("tau"), col("ok"), order),
    }


def _pb_summary(
    runs: _PbRuns,
    params: PumpProbePbParams,
    numerics: PumpProbePbNumerics,
    sp: Any,
    delays: np.ndarray,
    chi: float,
    e_abs: float,
    w_inj: float,
) -> dict[str, Any]:
    """Summary of :func:`run_pb` (keys listed there): recovery times and trends of the
    primary form, pump and spectrum numbers (Kaplan's tau_0 at 2 Delta_0(1 K)), the
    energy budget and, with "both", the Nam keys and the Nam - Mattis-Bardeen difference.

    Parameters
    ----------
    runs : _PbRuns
    params : PumpProbePbParams
    numerics : PumpProbePbNumerics
    sp : Spectrum
        The (possibly scaled) Pb spectrum.
    delays : (n_t,) float, ps
    chi : float
        Absorbed fraction at omega_pump.
    e_abs : float, meV/nm^3
    w_inj : float, meV
    """
    sig, gaps, failed = runs.sig, runs.gaps, runs.failed
    forms = list(sig)  # primary first
    primary = forms[0]
    temps = np.asarray(runs.done, dtype=float)
    order = np.argsort(temps)  # the trends are read towards T_c (increasing temperature)
    main = _pb_stats(sig[primary], delays, params.probe_duration, order)
    # gap edge near T = 0 of the (possibly scaled) spectrum: where tau_0 is read
    d0_low = float(_eliashberg_solver("Pb", numerics.grid_step, sp).solve(kT=1.0 * KB).delta0)
    summary = {
        **main,
        "absorbed_fraction": chi,
        "energy_density_meV_per_nm3": e_abs,
        "injection_energy_meV": w_inj,
        "delta0_equilibrium_meV": [float(g[0]) for g in gaps],
        "temperatures_K": [float(t) for t in temps],
        "failed_temperatures_K": [t for t, _, _ in failed],
        "failed_temperature_errors": [e for _, e, _ in failed],
        "failed_temperature_budget_errors": [r for _, _, r in failed],
        "fastest_recovery_temperature_K": float(
            temps[int(np.argmin(main["recovery_time_no_tail_ns"]))]
        ),
        "alpha2f_low_scale": params.alpha2f_low_scale,
        "phonon_dos_low_scale": params.phonon_dos_low_scale,
        "lambda": sp.lambda_,
        "delta0_1K_meV": d0_low,
        "kaplan_tau0_at_2delta_ns": kaplan_tau0(sp, 2.0 * d0_low, 7.2),
        "conductivity_form": primary,
        **_budget_summary(runs.traces, per="temperature"),
    }
    if len(forms) == 2:
        nam = _pb_stats(sig["nam"], delays, params.probe_duration, order)
        peaks = main["peak_minus_dT_over_T"]
        n_peaks = nam["peak_minus_dT_over_T"]
        nam_a = np.array(sig["nam"]["conv"])
        conv_a = np.array(sig[primary]["conv"])
        summary.update({"nam_" + k: v for k, v in nam.items()})
        summary.update(
            {
                "nam_over_mb_peak": [a / b if b else 1.0 for a, b in zip(n_peaks, peaks)],
                "nam_vs_mb_max_relative_difference": float(
                    max(
                        np.max(np.abs(a - b)) / (np.max(np.abs(b)) or 1.0)
                        for a, b in zip(nam_a, conv_a)
                    )
                ),
                "scattering_rate_meV": params.scattering_rate,
            }
        )
    return summary


def plot_pb(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Normalised -dT/T0 versus delay (ns), one curve per temperature (as Fig. 2c), the
    Nam-form trace (same normalisation) dashed where computed and the convolved signal
    without the reheating tail dotted; beside it Delta_0(t) (with lambda_max(t) where
    recorded) and the kinetics' energy budget."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        1, 3, figsize=(11.5, 3.8), gridspec_kw={"width_ratios": [1.6, 1.0, 1.0]}
    )
    ax = axes[0]
    t_ns = ds["time"] / 1000.0
    norm = float(np.max(np.abs(ds["minus_dT_over_T"]))) or 1.0
    temps = ds["temperature"].values
    for i, temp in enumerate(temps):
        ax.plot(t_ns, ds["normalised_signal"][i], color=f"C{i}", label=f"{temp:g} K")
        if "minus_dT_over_T_no_tail" in ds:
            ax.plot(t_ns, ds["minus_dT_over_T_no_tail"][i] / norm, ":", color=f"C{i}", lw=1.0)
        if "minus_dT_over_T_nam" in ds:
            ax.plot(t_ns, ds["minus_dT_over_T_nam"][i] / norm, "--", color=f"C{i}", lw=0.9)
    ax.set_xlabel("delay (ns)")
    label = r"$-\Delta T/T_0$ (normalised); dotted: no tail"
    if "minus_dT_over_T_nam" in ds:
        label += "; dashed: Nam"
    ax.set_ylabel(label, fontsize=8)
    ax.legend(fontsize=8)
    lam = ds["pairing_eigenvalue"].values if "pairing_eigenvalue" in ds else None
    _plot_gap(axes[1], t_ns, ds["delta0"].values, lam, None)
    axes[1].set_xlabel("delay (ns)")
    if "energy_absorbed" in ds:
        _plot_budget(axes[2], t_ns, ds)
        axes[2].set_xlabel("delay (ns)")
    else:
        axes[2].set_visible(False)
    fig.tight_layout()
    return {"minus_dT_over_T": fig}


def _sweep_points(ds: xr.Dataset, flag: str) -> tuple[list[str], list[tuple[int, ...]], list[str]]:
    """(swept dims, index tuples of every point, labels "name=value, ...") of a sweep,
    read from the dims of the per-point scalar ``flag``."""
    import itertools

    dims = [str(d) for d in ds[flag].dims]
    idx = list(itertools.product(*(range(ds.sizes[d]) for d in dims)))
    labels = [", ".join(f"{d}={ds[d].values[i]:g}" for d, i in zip(dims, ix)) for ix in idx]
    return dims, idx, labels


def _by_point(
    ds: xr.Dataset, flag: str, lists: tuple[str, ...], scalars: tuple[str, ...]
) -> tuple[dict[str, Any], list[str], list[tuple[int, ...]]]:
    """Per-point values of a sweep of a list-valued model: ``points``, ``<key>_by_point``
    for every key in ``lists`` (a list per point) and ``scalars`` and ``flag``."""
    dims, idx, labels = _sweep_points(ds, flag)

    def at(name: str, ix: tuple[int, ...]) -> Any:
        return ds[name].isel(dict(zip(dims, ix))).values

    out: dict[str, Any] = {"points": labels}
    for key in lists:
        if key in ds:  # NaN pads shorter lists in the gathered array: dropped again
            out[f"{key}_by_point"] = [
                [float(x) for x in at(key, ix) if np.isfinite(x)] for ix in idx
            ]
    for key in (flag, *scalars):
        if key in ds:
            conv = bool if ds[key].dtype == bool else float
            out[f"{key}_by_point"] = [conv(at(key, ix)) for ix in idx]
    if "energy_budget_error" in ds:
        out["energy_budget_error"] = float(np.nanmax(ds["energy_budget_error"].values))
    return out, dims, idx


def _max_change(
    values: list[list[float]],
    dims: list[str],
    idx: list[tuple[int, ...]],
    dim: str,
    relative: bool = True,
) -> float:
    """Largest |v - v(first value of ``dim``)| / |v(first)| (``relative``; else the
    absolute |v - v(first)|) over the other points and the list entries (0 where
    ``dim`` is not swept)."""
    if dim not in dims:
        return 0.0
    g = dims.index(dim)
    ref = {ix[:g] + ix[g + 1 :]: v for ix, v in zip(idx, values) if ix[g] == 0}
    change = [
        abs(a - b) / (abs(b) if relative else 1.0)
        for ix, v in zip(idx, values)
        for a, b in zip(v, ref[ix[:g] + ix[g + 1 :]])
        if (b != 0 or not relative) and math.isfinite(a) and math.isfinite(b)
    ]
    return float(max(change)) if change else 0.0


def summarize_pb_sweep(ds: xr.Dataset) -> dict[str, Any]:
    """Sensitivity of the Pb recovery trend to swept parameters (issue 12 section 4).

    Parameters
    ----------
    ds : xarray.Dataset
        Gathered sweep of ``pump-probe-pb`` (e.g. over ``alpha2f_low_scale`` and
        ``gap_tol``), with the per-point lists ``recovery_time_no_tail_ns`` and
        ``temperatures_K``.

    Returns
    -------
    dict
        ``points`` (labels), per point (``*_by_point``): ``recovery_time_no_tail_ns``
        (ns, a list over ``temperatures_K``), ``recovery_fit_time_no_tail_ns``,
        ``recovery_speeds_up_towards_tc``, ``fastest_recovery_temperature_K``,
        ``kaplan_tau0_at_2delta_ns``, ``lambda``, ``energy_budget_error``,
        ``temperatures_K`` and ``failed_temperatures_K`` (lists);
        ``recovery_speeds_up_any_point`` (the paper's trend in any variant),
        ``energy_budget_error`` (largest) and ``gap_tol_max_relative_change`` (largest
        |tau(gap_tol) - tau(first gap_tol)| / tau(first gap_tol) of the no-tail 1/e
        times over the other points and temperatures; 0 if gap_tol is not swept).
    """
    flag = "recovery_speeds_up_towards_tc"
    out, dims, idx = _by_point(
        ds,
        flag,
        ("recovery_time_no_tail_ns", "recovery_fit_time_no_tail_ns", "temperatures_K",
         "failed_temperatures_K", "failed_temperature_budget_errors"),
        ("fastest_recovery_temperature_K", "kaplan_tau0_at_2delta_ns", "lambda",
         "energy_budget_error"),
    )  # fmt: skip
    out["temperatures_K"] = max(out["temperatures_K_by_point"], key=len)
    for key in ("failed_temperatures_K_by_point", "failed_temperature_budget_errors_by_point"):
        out.setdefault(key, [[] for _ in idx])  # not gathered when empty everywhere
    out["recovery_speeds_up_any_point"] = bool(any(out[f"{flag}_by_point"]))
    out["gap_tol_max_relative_change"] = _max_change(
        out["recovery_time_no_tail_ns_by_point"], dims, idx, "gap_tol"
    )
    return out


def summarize_lah10_sweep(ds: xr.Dataset) -> dict[str, Any]:
    """Per-point time scales of a ``pump-probe-lah10`` sweep and their grid dependence.

    Parameters
    ----------
    ds : xarray.Dataset
        Gathered sweep (e.g. over ``grid_step``), with the per-fluence lists of
        :func:`run_lah10`'s summary.

    Returns
    -------
    dict
        ``points`` (labels), per point (``*_by_point``): ``late_over_peak``,
        ``gap_closed_time_ps``, ``gap_recovery_90_time_ps``, ``signal_10pct_time_ps``,
        ``absorbed_over_condensation_energy``, ``min_delta0_meV``, ``final_delta0_meV``
        (lists over the fluences), ``slow_component_ps``, ``pairing_eigenvalue_max`` (and
        its time) and ``gap_reopened`` (1.0 / 0.0) where gathered, ``delta0_equilibrium_meV``,
        and the trend flags;
        ``energy_budget_error`` (largest); ``late_over_peak_grid_change``: largest
        absolute change of dR/R(t_end) / peak against the first ``grid_step`` (a fraction
        of the peak: the late signal itself is often ~0, where a relative change means
        nothing); ``signal_10pct_time_grid_change``, ``gap_recovery_90_time_grid_change``
        and ``slow_component_grid_change``: largest relative change against the first
        ``grid_step`` (0 if it is not swept; the Eliashberg broadening eta = step / 8
        changes with it).
    """
    out, dims, idx = _by_point(
        ds,
        "bottleneck_grows_with_fluence",
        ("late_over_peak", "gap_closed_time_ps", "gap_recovery_90_time_ps",
         "signal_10pct_time_ps", "absorbed_over_condensation_energy", "min_delta0_meV",
         "final_delta0_meV", "peak_dR_over_R", "slow_component_ps", "pairing_eigenvalue_max",
         "pairing_eigenvalue_max_time_ps", "gap_reopened"),
        ("gap_recovery_grows_with_fluence", "signal_10pct_time_grows_with_fluence",
         "late_signal_grows_with_fluence", "slow_component_grows_with_fluence",
         "energy_budget_error", "delta0_equilibrium_meV"),
    )  # fmt: skip
    if "late_over_peak_by_point" in out:  # already relative to the peak: compare absolutely
        out["late_over_peak_grid_change"] = _max_change(
            out["late_over_peak_by_point"], dims, idx, "grid_step", relative=False
        )
    for key, name in (
        ("signal_10pct_time_ps", "signal_10pct_time_grid_change"),
        ("gap_recovery_90_time_ps", "gap_recovery_90_time_grid_change"),
        ("slow_component_ps", "slow_component_grid_change"),
    ):
        if f"{key}_by_point" in out:
            out[name] = _max_change(out[f"{key}_by_point"], dims, idx, "grid_step")
    return out


def plot_lah10_sweep(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """dR/R at t_end over its peak and the 10 % signal time versus E_abs / E_cond, one
    curve per swept point."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.6))
    x = summary.get("absorbed_over_condensation_energy_by_point", [])
    for i, label in enumerate(summary.get("points", [])):
        axes[0].plot(x[i], summary["late_over_peak_by_point"][i], "o-", color=f"C{i}",
                     label=label)  # fmt: skip
        axes[1].plot(x[i], summary["signal_10pct_time_ps_by_point"][i], "o-", color=f"C{i}")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel(r"$E_{abs} / E_{cond}$")
    axes[0].set_ylabel("dR/R at t_end / peak")
    axes[1].set_ylabel("time to 10 % of the peak (ps)")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    return {"late_signal_vs_energy": fig}


def plot_pb_sweep(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """No-tail 1/e recovery time (ns) versus temperature, one curve per swept point."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for i, (label, temps, t) in enumerate(
        zip(
            summary.get("points", []),
            summary.get("temperatures_K_by_point", []),
            summary.get("recovery_time_no_tail_ns_by_point", []),
        )
    ):  # one curve per swept point (its own temperatures: failed ones are left out)
        ax.plot(temps, t, "o-", color=f"C{i}", label=label)
    ax.set_xlabel("temperature (K)")
    ax.set_ylabel("1/e recovery, no tail (ns)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return {"recovery_vs_temperature": fig}


# --------------------------------------------------------------------------------------
# pump-probe-lah10 (Fig. 2d)
class PumpProbeLaH10Params(Params):
    """LaH10 dR/R0 at 77 K (paper 001 Fig. 2d, SI II.1-II.2, experiment ref. 41)."""

    temperature: quantity("K", gt=0) = Field("77 K", description="temperature, K")
    fluences: list[quantity("mJ/cm^2", gt=0)] = Field(
        [2.6, 4.5, 6.2], min_length=1, description="incident fluences F_0, mJ/cm^2"
    )
    tau_esc: list[quantity("fs", gt=0)] = Field(
        [50.0, 200.0, 500.0], min_length=1, description="phonon escape time per fluence, fs"
    )
    pump_photon_energy: quantity("meV", gt=0) = Field("2000 meV", description="omega_pump")
    pump_injection_energy: quantity("meV", ge=0) = Field(
        "0 meV", description="photon energy used in the kinetics, meV (0: omega_pump)"
    )
    pump_duration: quantity("fs", gt=0) = Field("70 fs", description="tau_pump (FWHM), fs")
    probe_photon_energy: quantity("meV", gt=0) = Field("1500 meV", description="omega_pr")
    probe_duration: quantity("fs", gt=0) = Field("250 fs", description="probe convolution, fs")
    film_thickness: quantity("nm", gt=0) = Field("1000 nm", description="sample thickness, nm")
    n_ambient: float = Field(2.41, gt=0, description="ambient index (diamond anvil)")
    t_end: quantity("ps", gt=0) = Field(
        "15 ps", description="last delay, ps (long enough for the gap to reopen and recover)"
    )
    slow_fit_start: quantity("ps", gt=0) = Field(
        "1 ps",
        description=(
            "earliest start of the slow-component fits after the pump, ps (the fit of "
            "slow_component_ps starts no earlier than one probe FWHM after the gap has "
            "recovered to 90 %; slow_component_from_fit_start_ps starts here)"
        ),
    )
    pumped_depth: quantity("nm", ge=0) = Field(
        "0 nm",
        description=(
            "depth over which the absorbed fluence is spread in the single layer, nm: "
            "E_abs = fluence_scale F_0 chi / pumped_depth (paper 001 after Eq. 3); 0: the "
            "pump penetration depth delta_pump of SI Eq. 14 (the paper's choice, ~20.6 nm)"
        ),
    )
    fluence_scale: float = Field(
        1.0,
        gt=0,
        description=(
            "effective fluence over incident fluence (1: the paper): scales the energy "
            "deposited in the single layer and in every slice, e.g. to scan E_abs at "
            "1-20x the condensation energy (absorbed_over_condensation_energy)"
        ),
    )

    @model_validator(mode="after")
    def _same_length(self) -> PumpProbeLaH10Params:
        if not self.slow_fit_start < self.t_end:
            raise ValueError(
                f"slow_fit_start ({self.slow_fit_start} ps) must be before t_end ({self.t_end} ps)"
            )
        if len(self.tau_esc) != len(self.fluences):
            raise ValueError(
                f"tau_esc needs one value per fluence ({len(self.fluences)}), got "
                f"{len(self.tau_esc)}"
            )
        return self


class PumpProbeLaH10Numerics(_Kin):
    """Numerics (LaH10: 2 meV grid)."""

    grid_step: quantity("meV", gt=0) = Field("2 meV", description="grid step, meV")
    e_max: quantity("meV", gt=0) = Field("600 meV", description="quasi-particle grid end, meV")
    n_times: int = Field(80, ge=12, le=5000, description="recorded delays")
    n_slices: int = Field(
        3,
        ge=0,
        le=64,
        description="slices of the depth-resolved film over 3 delta_pump (0: single layer only)",
    )


def run_lah10(params: PumpProbeLaH10Params, numerics: PumpProbeLaH10Numerics) -> ModelOutput:
    """dR/R0 of LaH10 at 1.5 eV after a 2 eV pump, per fluence (paper 001 Fig. 2d).

    The sample is a single layer of the pumped state at the energy density
    E_abs = fluence_scale F_0 chi / d_p (paper 001 after Eq. 3), d_p = ``pumped_depth``
    or, by default, delta_pump (the paper's single-layer treatment, justified by SI IV).

    Time scales (issue 12 section 3): the paper's "phonon bottleneck that becomes more
    pronounced at larger F0" is read from how long the gap stays closed
    (``gap_closed_time_ps``: time with Delta_0 < ``GAP_CLOSED_FRACTION`` = 10 % of its
    equilibrium value, :func:`_gap_closed_time`), when it has recovered
    (``gap_recovery_90_time_ps``: first time after the pump centre and after the
    minimum of Delta_0 at which Delta_0 regains 90 %, :func:`_gap_recovery_time`) and
    when the signal has decayed (``signal_10pct_time_ps``: time after the peak at which
    |dR/R| falls to 10 % of its peak). The slow component is fitted only after the gap
    has recovered (``slow_component_ps``: e-folding time of an exponential fit,
    :func:`_fit_decay`, to dR/R from max(slow_fit_start, t_90 + probe FWHM) to t_end);
    one exponential from a fixed start (``slow_component_from_fit_start_ps``, the former
    ``slow_component_ps``) catches the gap reopening at high fluence but only the
    residual tail at low fluence, and so measures different processes per fluence.

    Condensation energy (``condensation_energy_meV_per_nm3``): the BCS estimate
    E_c = N(0) Delta_0^2 / 2 with N(0) the single-spin density of states of SI Table 1
    and Delta_0 the equilibrium Eliashberg gap edge at the bath temperature (the
    pre-pump kinetic state); strong-coupling and thermal corrections to the free energy
    are not included (the real-axis Eliashberg free energy is not available).

    Returns
    -------
    ModelOutput
        Dataset over (fluence, time): ``dR_over_R`` (convolved), ``dR_over_R_raw``,
        ``normalised_signal`` (per fluence, as Fig. 2d), ``delta0`` (meV), the energy
        budget ``energy_absorbed``, ``energy_exchanged``, ``energy_gap_work``,
        ``energy_stored``, ``energy_budget_error`` (meV/nm^3), ``pairing_eigenvalue``
        where provided and, with ``n_slices`` > 0, ``dR_over_R_depth_resolved`` (graded
        stack of n_slices slices over 3 delta_pump on unpumped LaH10). Summary per
        fluence: ``peak_dR_over_R``, ``rise_time_fs`` (10-90 %), ``gap_closed_time_ps``
        with ``gap_reopened`` (False: still closed at t_end, the time is a lower bound),
        ``gap_recovery_90_time_ps`` with ``gap_recovered_90`` (False: not recovered by
        t_end; time t_end), ``signal_10pct_time_ps`` with ``signal_10pct_reached``,
        ``slow_component_ps`` with ``slow_component_fitted`` (False: the gap has not
        recovered in time for a fit, or dR/R does not decay after it; value
        ``SLOW_NONE_PS``), ``slow_component_from_fit_start_ps`` (``SLOW_NONE_PS`` if it
        does not decay), ``late_over_peak`` (signal at t_end / peak),
        ``min_delta0_meV``, ``final_delta0_meV`` (Delta_0 at t_end; the equilibrium value
        is ``delta0_equilibrium_meV``), ``energy_density_meV_per_nm3``,
        ``absorbed_over_condensation_energy``, ``energy_budget_error_per_fluence``
        (and ``pairing_eigenvalue_max``, ``pairing_eigenvalue_max_time_ps`` where
        provided); trends: ``bottleneck_grows_with_fluence`` (gap_closed_time_ps
        increasing with F_0; a gap still closed at t_end counts as longer),
        ``gap_recovery_grows_with_fluence``, ``signal_10pct_time_grows_with_fluence``
        (likewise), ``slow_component_grows_with_fluence`` (all fitted and increasing),
        ``late_signal_grows_with_fluence``; ``energy_budget_error`` (largest over all
        kinetic runs, slices included), ``condensation_energy_meV_per_nm3``,
        ``pumped_depth_nm``, ``fluence_scale``, ``absorbed_fraction``,
        ``pump_penetration_depth_nm``, and with slices
        ``depth_resolved_peak_dR_over_R``, ``depth_resolved_over_single_peak``,
        ``depth_resolved_max_difference``, ``depth_resolved_energy_budget_error``
        (per fluence, largest over the slices).
    """
    chi, d_pump, d_layer, e_layer = lah10_energy_densities(params)
    w_inj = params.pump_injection_energy or params.pump_photon_energy
    delays = _delays(
        params.pump_duration / 1000.0,
        params.t_end,
        numerics.n_times,
        0.6,
        2e-3 * params.probe_duration,
    )
    # kinetics, optics and time scales per fluence (and the depth-resolved film)
    runs = _lah10_runs(params, numerics, delays, d_pump, e_layer, w_inj)
    ds = _lah10_dataset(runs, params, numerics, delays, chi, d_pump, d_layer, w_inj)
    summary = _lah10_summary(runs, params, chi, d_pump, d_layer, w_inj)
    return ModelOutput(dataset=ds, summary=summary)


@dataclass
class _LaH10Runs:
    """Per-fluence results of the LaH10 kinetics and optics (:func:`_lah10_runs`).

    ``raw``, ``conv``: (n_t,) dR/R0 unconvolved and probe-convolved; ``gaps``:
    Delta_0(t), meV; ``edens``: E_abs, meV/nm^3; ``peaks``: signed peak of ``conv``;
    ``rises``: 10-90 % rise time, fs; ``plateau``: ``conv`` at t_end over its peak;
    ``times``: the :func:`_lah10_times` entries, one list per key; with slices,
    ``slice_traces`` (the slices' kinetics) and ``dconv`` (convolved dR/R0 of the
    depth-resolved film).
    """

    raw: list[np.ndarray] = field(default_factory=list)
    conv: list[np.ndarray] = field(default_factory=list)
    gaps: list[np.ndarray] = field(default_factory=list)
    edens: list[float] = field(default_factory=list)
    traces: list[KineticTrace] = field(default_factory=list)
    slice_traces: list[list[KineticTrace]] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    rises: list[float] = field(default_factory=list)
    plateau: list[float] = field(default_factory=list)
    dconv: list[np.ndarray] = field(default_factory=list)
    times: dict[str, list] = field(default_factory=dict)


def _lah10_single_layer(
    tr: KineticTrace,
    params: PumpProbeLaH10Params,
    numerics: PumpProbeLaH10Numerics,
    rho: float,
    w_inj: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Optics of one LaH10 kinetic trace: the pumped layer (Mattis-Bardeen with
    Delta_0(t), f(E, t)) seen through the ambient on unpumped LaH10.

    Parameters
    ----------
    tr : KineticTrace
    params : PumpProbeLaH10Params
    numerics : PumpProbeLaH10Numerics
    rho : float, Ohm nm
        Normal-state resistivity.
    w_inj : float, meV
        Photon energy of the kinetic drive.

    Returns
    -------
    raw, conv : (n_t,) float
        dR/R0 at the probe, unconvolved and convolved with the probe.
    n_sub : (1,) complex
        Index of the unpumped material below (:func:`equilibrium_index`).
    """
    w_pr = np.array([params.probe_photon_energy])
    probe = params.probe_duration / 1000.0
    s = probe_conductivity(tr, w_pr, numerics.n_quad, (w_inj, 2 * w_inj))
    sig = optics.conductivity_si(s, rho)[..., None]
    n_sub = equilibrium_index(w_pr, rho, tr.delta0[0], params.temperature * KB, 1.0)
    ft = optics.film_trace(
        sig, w_pr, [params.film_thickness], n_ambient=params.n_ambient, n_substrate=n_sub
    )
    sr = ft.d_r_over_r[:, 0]
    sc = optics.gaussian_probe_convolution(tr.time, sr, probe)
    return sr, sc, n_sub


def _lah10_depth_resolved(
    params: PumpProbeLaH10Params,
    numerics: PumpProbeLaH10Numerics,
    fluence: float,
    tau_esc: float,
    delays: np.ndarray,
    time: np.ndarray,
    d_pump: float,
    n_sub: np.ndarray,
    w_inj: float,
) -> tuple[list[KineticTrace], np.ndarray]:
    """Beyond the paper: the top 3 delta_pump cut into ``n_slices`` slices, each pumped
    with its share of the absorbed energy (:func:`depth_resolved_film`), and the
    convolved dR/R0 of the graded stack on unpumped LaH10.

    Parameters
    ----------
    params : PumpProbeLaH10Params
    numerics : PumpProbeLaH10Numerics
    fluence : float, mJ/cm^2
        Incident fluence F_0 (scaled here by ``fluence_scale``).
    tau_esc : float, fs
    delays : (n_t,) float, ps
        Requested record times of the slices' kinetics.
    time : (n_t,) float, ps
        Record times of the single layer's kinetics (the convolution's time axis).
    d_pump : float, nm
        Pump penetration depth delta_pump.
    n_sub : (1,) complex
        Index of the unpumped material below the slices.
    w_inj : float, meV
        Photon energy of the kinetic drive.

    Returns
    -------
    traces : list of KineticTrace
        The slices' kinetics.
    conv : (n_t,) float
        Convolved dR/R0 of the depth-resolved film.
    """
    w_pr = np.array([params.probe_photon_energy])
    tau_p = params.pump_duration / 1000.0
    probe = params.probe_duration / 1000.0
    f_eff = params.fluence_scale * fluence
    dr = depth_resolved_film(
        "LaH10",
        params.temperature,
        omega_pump=params.pump_photon_energy,
        injection_energy=w_inj,
        tau_pump=tau_p,
        fluence=f_eff,
        tau_esc=tau_esc / 1000.0,
        delays=delays,
        probe=w_pr,
        depth=3.0 * d_pump,
        n_slices=numerics.n_slices,
        n_ambient=params.n_ambient,
        numerics=numerics,
    )
    graded = optics.film_trace(
        dr.sigma, w_pr, dr.thickness, n_ambient=params.n_ambient, n_substrate=n_sub
    )
    return dr.traces, optics.gaussian_probe_convolution(time, graded.d_r_over_r[:, 0], probe)


def _lah10_runs(
    params: PumpProbeLaH10Params,
    numerics: PumpProbeLaH10Numerics,
    delays: np.ndarray,
    d_pump: float,
    e_layer: list[float],
    w_inj: float,
) -> _LaH10Runs:
    """Per fluence: the kinetics of the pumped single layer, its dR/R0, the time scales
    (:func:`_lah10_times`) and, with ``n_slices`` > 0, the depth-resolved film.

    Parameters
    ----------
    params : PumpProbeLaH10Params
    numerics : PumpProbeLaH10Numerics
    delays : (n_t,) float, ps
    d_pump : float, nm
        Pump penetration depth delta_pump.
    e_layer : list of float, meV/nm^3
        Energy density of the single layer per fluence (:func:`lah10_energy_densities`).
    w_inj : float, meV
        Photon energy of the kinetic drive.
    """
    rho = _spectrum("LaH10").material.rho_n_ohm_nm
    tau_p = params.pump_duration / 1000.0
    probe = params.probe_duration / 1000.0
    out = _LaH10Runs()
    runs = list(zip(params.fluences, params.tau_esc, e_layer))
    for fl, tesc, e_abs in progress(runs, desc="LaH10 fluences"):
        tr = run_kinetics(
            "LaH10",
            params.temperature,
            injection_energy=w_inj,
            tau_pump=tau_p,
            energy_density=e_abs,
            tau_esc=tesc / 1000.0,
            delays=delays,
            step=numerics.grid_step,
            e_max=numerics.e_max,
            rtol=numerics.rtol,
            gap_tol=numerics.gap_tol,
        )
        sr, sc, n_sub = _lah10_single_layer(tr, params, numerics, rho, w_inj)
        out.raw.append(sr)
        out.conv.append(sc)
        out.gaps.append(tr.delta0)
        out.edens.append(e_abs)
        out.traces.append(tr)
        k = int(np.argmax(np.abs(sc)))
        out.peaks.append(float(sc[k]))
        out.rises.append(_rise_time(tr.time, sc) * 1000.0)
        out.plateau.append(float(sc[-1] / sc[k]))
        for key, val in _lah10_times(tr.time, sc, tr.delta0, probe, params.slow_fit_start).items():
            out.times.setdefault(key, []).append(val)
        if numerics.n_slices:
            traces, dconv = _lah10_depth_resolved(
                params, numerics, fl, tesc, delays, tr.time, d_pump, n_sub, w_inj
            )
            out.slice_traces.append(traces)
            out.dconv.append(dconv)
    return out


def _lah10_dataset(
    runs: _LaH10Runs,
    params: PumpProbeLaH10Params,
    numerics: PumpProbeLaH10Numerics,
    delays: np.ndarray,
    chi: float,
    d_pump: float,
    d_layer: float,
    w_inj: float,
) -> xr.Dataset:
    """Assemble the (fluence, time) dataset of :func:`run_lah10`: dR/R0 (convolved,
    raw, normalised per fluence), Delta_0(t) (meV), the energy budget (meV/nm^3) and,
    with slices, the depth-resolved dR/R0.

    Parameters
    ----------
    runs : _LaH10Runs
    params : PumpProbeLaH10Params
    numerics : PumpProbeLaH10Numerics
    delays : (n_t,) float, ps
    chi : float
        Absorbed fraction at omega_pump.
    d_pump, d_layer : float, nm
        Pump penetration depth and the single layer's pumped depth.
    w_inj : float, meV
    """
    conv_a = np.array(runs.conv)
    fl = np.asarray(params.fluences, dtype=float)
    dims = ("fluence", "time")
    ds = xr.Dataset(
        {
            "dR_over_R": _var(dims, conv_a, "1", "dR/R0, probe-convolved"),
            "dR_over_R_raw": _var(dims, np.array(runs.raw), "1", "dR/R0 unconvolved"),
            "normalised_signal": _var(
                dims,
                conv_a / np.max(np.abs(conv_a), axis=1, keepdims=True),
                "1",
                "dR/R0 / max per fluence (as Fig. 2d)",
            ),
            "delta0": _var(dims, np.array(runs.gaps), "meV", "gap edge Delta_0"),
            **_budget_vars(runs.traces, dims),
        },
        coords={
            "fluence": _var(("fluence",), fl, "mJ/cm^2", "incident fluence F_0"),
            "time": _var(("time",), delays, "ps", "pump-probe delay"),
        },
        attrs={
            "model": "pump-probe-lah10",
            "absorbed_fraction": chi,
            "pump_penetration_depth_nm": d_pump,
            "pumped_depth_nm": d_layer,
            "fluence_scale": params.fluence_scale,
            "injection_energy_meV": w_inj,
            "gap_closed_fraction": GAP_CLOSED_FRACTION,
            "gap_recovered_fraction": GAP_RECOVERED_FRACTION,
        },
    )
    if runs.dconv:
        dconv_a = np.array(runs.dconv)
        ds["dR_over_R_depth_resolved"] = _var(
            dims, dconv_a, "1", "dR/R0 of the depth-resolved film, convolved"
        )
        ds.attrs["n_slices"] = numerics.n_slices
    return ds


def _lah10_summary(
    runs: _LaH10Runs,
    params: PumpProbeLaH10Params,
    chi: float,
    d_pump: float,
    d_layer: float,
    w_inj: float,
) -> dict[str, Any]:
    """Summary of :func:`run_lah10` (keys listed there): per-fluence peaks and time
    scales, their trends with fluence, the energy densities against the condensation
    energy, the energy budget and, with slices, the depth-resolved comparison.

    Parameters
    ----------
    runs : _LaH10Runs
    params : PumpProbeLaH10Params
    chi : float
        Absorbed fraction at omega_pump.
    d_pump, d_layer : float, nm
        Pump penetration depth and the single layer's pumped depth.
    w_inj : float, meV
    """
    m, gaps, edens, plateau = runs.times, runs.gaps, runs.edens, runs.plateau
    e_cond = condensation_energy("LaH10", float(gaps[0][0]))
    summary = {
        "peak_dR_over_R": runs.peaks,
        "rise_time_fs": runs.rises,
        **m,
        "late_over_peak": plateau,
        "bottleneck_grows_with_fluence": _grows(m["gap_closed_time_ps"], m["gap_reopened"]),
        "gap_recovery_grows_with_fluence": _grows(
            m["gap_recovery_90_time_ps"], m["gap_recovered_90"]
        ),
        "signal_10pct_time_grows_with_fluence": _grows(
            m["signal_10pct_time_ps"], m["signal_10pct_reached"]
        ),
        "slow_component_grows_with_fluence": bool(
            all(m["slow_component_fitted"]) and _grows(m["slow_component_ps"])
        ),
        "late_signal_grows_with_fluence": _grows(plateau),
        "absorbed_fraction": chi,
        "pump_penetration_depth_nm": d_pump,
        "pumped_depth_nm": d_layer,
        "fluence_scale": params.fluence_scale,
        "energy_density_meV_per_nm3": edens,
        "condensation_energy_meV_per_nm3": e_cond,
        "absorbed_over_condensation_energy": [e / e_cond if e_cond > 0 else 0.0 for e in edens],
        "delta0_equilibrium_meV": float(gaps[0][0]),
        "min_delta0_meV": [float(np.min(g)) for g in gaps],
        "final_delta0_meV": [float(g[-1]) for g in gaps],
        "injection_energy_meV": w_inj,
        **_budget_summary(
            runs.traces, per="fluence", extra=[t for sl in runs.slice_traces for t in sl]
        ),
    }
    if runs.dconv:
        dconv_a = np.array(runs.dconv)
        d_peaks = [float(x[int(np.argmax(np.abs(x)))]) for x in dconv_a]
        summary["depth_resolved_peak_dR_over_R"] = d_peaks
        summary["depth_resolved_over_single_peak"] = [a / b for a, b in zip(d_peaks, runs.peaks)]
        summary["depth_resolved_max_difference"] = float(
            np.max(np.abs(dconv_a - np.array(runs.conv)))
        )
        summary["depth_resolved_energy_budget_error"] = [
            max(float(t.energy_budget_error) for t in sl) for sl in runs.slice_traces
        ]
    return summary


def lah10_energy_densities(
    params: PumpProbeLaH10Params,
) -> tuple[float, float, float, list[float]]:
    """Absorbed fraction and the single layer's energy density per fluence (LaH10).

    E_abs = fluence_scale F_0 chi / d_p (paper 001 main text after Eq. 3), chi = 1 - R - T
    of the sample at omega_pump (:func:`pump_absorption`), d_p = ``pumped_depth`` or, if
    0, the pump penetration depth delta_pump (SI Eq. 14).

    Returns
    -------
    chi : float
    delta_pump : float, nm
    pumped_depth : float, nm
        d_p used.
    energy_density : list of float, meV/nm^3
        One per fluence.
    """
    from photosc.cores.kinetics.pump import absorbed_energy_density

    rho = _spectrum("LaH10").material.rho_n_ohm_nm
    chi, _, d_pump = pump_absorption(
        params.pump_photon_energy,
        rho,
        params.film_thickness,
        n_ambient=params.n_ambient,
        n_substrate=1.0,
    )
    d_layer = params.pumped_depth or d_pump
    e = [absorbed_energy_density(params.fluence_scale * f, chi, d_layer) for f in params.fluences]
    return chi, d_pump, d_layer, e


def condensation_energy(material: str, delta0: float) -> float:
    """BCS estimate of the condensation energy density N(0) Delta_0^2 / 2, meV/nm^3.

    N(0) is the single-spin density of states at the Fermi level of SI Table 1 (paper
    001) and ``delta0`` (meV) the gap edge, here the equilibrium Eliashberg gap at the
    bath temperature; the T = 0 weak-coupling relation without strong-coupling or
    thermal corrections (the real-axis Eliashberg free energy is not available).
    """
    n0 = _spectrum(material).material.n0_per_ev_nm3 * 1e-3  # 1/(meV nm^3)
    return 0.5 * n0 * float(delta0) ** 2


def _lah10_times(
    t: np.ndarray, sc: np.ndarray, delta0: np.ndarray, probe_fwhm: float, fit_start: float
) -> dict[str, Any]:
    """Per-fluence time scales of a LaH10 trace (see :func:`run_lah10`).

    Parameters
    ----------
    t : (n_t,) float, ps
        Delays (pump centre at 0; the first is before the pump, Delta_0 in equilibrium).
    sc : (n_t,) float
        Probe-convolved dR/R0.
    delta0 : (n_t,) float, meV
        Gap edge Delta_0(t).
    probe_fwhm : float, ps
    fit_start : float, ps
        ``slow_fit_start``.

    Returns
    -------
    dict
        The per-fluence summary entries (ps, flags) named in :func:`run_lah10`.
    """
    d_eq = float(delta0[0])
    closed, reopened = _gap_closed_time(t, delta0, d_eq)
    t90, rec90 = _gap_recovery_time(t, delta0, d_eq)
    t10, ok10 = _decay_time(t, sc, level=0.1)
    start = max(fit_start, t90 + probe_fwhm)
    slow, fitted = _fit_decay(t, sc, start, stop_fraction=0.0) if rec90 else (SLOW_NONE_PS, False)
    try:  # the former measure: one exponential from slow_fit_start to t_end
        old = _slow_time(t, sc, fit_start)
    except ValueError:  # fewer than 3 samples with |dR/R| > 0 after the start
        old = math.inf
    return {
        "gap_closed_time_ps": closed,
        "gap_reopened": reopened,
        "gap_recovery_90_time_ps": t90,
        "gap_recovered_90": rec90,
        "signal_10pct_time_ps": t10,
        "signal_10pct_reached": bool(ok10),
        "slow_component_ps": slow,
        "slow_component_fitted": fitted,
        "slow_component_from_fit_start_ps": old if math.isfinite(old) else SLOW_NONE_PS,
    }


def plot_lah10(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """Normalised dR/R0 versus delay, one curve per fluence (as Fig. 2d; depth-resolved
    dashed where computed); beside it Delta_0(t) (with lambda_max(t) where recorded)
    and the kinetics' energy budget."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        1, 3, figsize=(11.5, 3.8), gridspec_kw={"width_ratios": [1.6, 1.0, 1.0]}
    )
    ax = axes[0]
    labels = [f"{fl:g} mJ/cm$^2$" for fl in ds["fluence"].values]
    for i, lab in enumerate(labels):
        ax.plot(ds["time"], ds["normalised_signal"][i], color=f"C{i}", label=lab)
        if "dR_over_R_depth_resolved" in ds:
            x = ds["dR_over_R_depth_resolved"][i]
            ax.plot(ds["time"], x / float(np.max(np.abs(x))), "--", color=f"C{i}", lw=0.8)
    ax.set_xlabel("delay (ps)")
    ax.set_ylabel(r"$\Delta R/R_0$ (normalised)")
    ax.legend(fontsize=8)
    lam = ds["pairing_eigenvalue"].values if "pairing_eigenvalue" in ds else None
    _plot_gap(axes[1], ds["time"].values, ds["delta0"].values, lam, labels)
    axes[1].set_xlabel("delay (ps)")
    if "energy_absorbed" in ds:
        _plot_budget(axes[2], ds["time"].values, ds)
        axes[2].set_xlabel("delay (ps)")
    else:
        axes[2].set_visible(False)
    fig.tight_layout()
    return {"dR_over_R": fig}


# --------------------------------------------------------------------------------------
# depth-resolved film
@dataclass
class DepthResolved:
    """A sliced film: per-slice kinetics and the probe response of the graded stack.

    Attributes
    ----------
    thickness : (n_slices,) float, nm
        Slice thicknesses (from the surface).
    energy_density : (n_slices,) float, meV/nm^3
        Pump energy deposited in each slice, F_0 A_j / d_j.
    absorbed : (n_slices,) float
        Fraction of the incident pump power absorbed in each slice (layer_absorptance).
    sigma : (n_t, n_w, n_slices) complex, S/m
        Conductivity of each slice at the probe energies.
    delta0 : (n_t, n_slices) float, meV
        Gap edge per slice.
    traces : list of KineticTrace
    """

    thickness: np.ndarray
    energy_density: np.ndarray
    absorbed: np.ndarray
    sigma: np.ndarray
    delta0: np.ndarray
    traces: list


def _slice_kinetics(
    material: str, temperature: float, energy_density: float, **kw: Any
) -> KineticTrace:
    """One slice's kinetics: :func:`run_kinetics` at ``energy_density`` (meV/nm^3), the
    other arguments as there (module level, so that worker processes can run it)."""
    return run_kinetics(material, temperature, energy_density=energy_density, **kw)


def depth_resolved_film(
    material: str,
    temperature: float,
    *,
    omega_pump: float,
    injection_energy: float,
    tau_pump: float,
    fluence: float,
    tau_esc: float,
    delays: np.ndarray,
    probe: np.ndarray,
    depth: float,
    n_slices: int,
    n_ambient: float,
    numerics: Any,
    n_substrate_pump: complex | None = None,
) -> DepthResolved:
    """Slice the pumped region of a thick sample and run the kinetics in every slice.

    The top ``depth`` nm are cut into ``n_slices`` equal slices above unpumped
    material (the semi-infinite substrate) or, with ``n_substrate_pump``, above a
    substrate (a film). The pump's absorbed power per slice A_j
    comes from :func:`photosc.cores.optics.layer_absorptance` with the normal-state
    index at omega_pump (the deposition profile exp(-z/delta_pump), paper 001 SI IV and
    main text after Eq. 2); slice j receives E_j = F_0 A_j / d_j. Each slice then
    evolves independently (no quasi-particle or phonon diffusion between slices,
    as in the paper's single-layer treatment), so the slices' kinetic runs are mapped
    over worker processes (:func:`photosc.foundation.parallel.parallel_map`, the sweeps'
    executor: one BLAS thread per worker, results in slice order and identical to a
    sequential run) or a Dask cluster, per ``numerics.workers`` (0: all cores, at most
    ``n_slices``; 1: sequential, in-process) and ``numerics.scheduler`` (a Dask
    scheduler address; empty: local); numerics without these fields use the defaults.
    Inside a sweep worker the slices run in-process (no pool inside a pool).

    Parameters
    ----------
    material : str
    temperature : float, K
    omega_pump, injection_energy : float, meV
    tau_pump : float, ps
    fluence : float, mJ/cm^2
    tau_esc : float, ps
    delays : (n_t,) float, ps
    probe : (n_w,) float, meV
    depth : float, nm
        Thickness of the sliced region.
    n_slices : int
        Number of slices (>= 1).
    n_ambient : float
    numerics : _Kin
        Kinetic numerics (optionally with ``workers`` and ``scheduler``).
    n_substrate_pump : complex, optional
        Index below the sliced region at omega_pump; default (None): the same
        material, unpumped (a thick sample); a film on a substrate gives that index.

    Returns
    -------
    DepthResolved
    """
    from photosc.cores.kinetics.pump import MJ_PER_CM2_IN_MEV_PER_NM2

    sp = _spectrum(material)
    rho = sp.material.rho_n_ohm_nm
    w = np.array([omega_pump])
    n_p = optics.complex_index(optics.conductivity_si(np.ones(1), rho), w)[0]
    d = np.full(n_slices, depth / n_slices)
    n_below = n_p if n_substrate_pump is None else n_substrate_pump
    per = optics.layer_absorptance(
        np.full((1, n_slices), n_p), d, w, n_ambient=n_ambient, n_substrate=n_below
    )[0]
    e_dens = fluence * MJ_PER_CM2_IN_MEV_PER_NM2 * per / d
    run_slice = functools.partial(
        _slice_kinetics,
        material,
        temperature,
        injection_energy=injection_energy,
        tau_pump=tau_pump,
        tau_esc=tau_esc,
        delays=np.asarray(delays, dtype=float),
        step=numerics.grid_step,
        e_max=numerics.e_max,
        rtol=numerics.rtol,
        gap_tol=numerics.gap_tol,
    )
    workers = int(getattr(numerics, "workers", 0) or 0) or None
    scheduler = str(getattr(numerics, "scheduler", "") or "") or None
    traces = parallel_map(
        run_slice,
        [float(x) for x in e_dens],
        workers=workers,
        scheduler=scheduler,
        desc=f"{material} slices",
    )
    sig, gaps = [], []
    for tr in traces:
        s = probe_conductivity(tr, probe, numerics.n_quad, (injection_energy, 2 * injection_energy))
        sig.append(optics.conductivity_si(s, rho))
        gaps.append(tr.delta0)
    return DepthResolved(d, e_dens, per, np.stack(sig, axis=-1), np.stack(gaps, axis=-1), traces)


# --------------------------------------------------------------------------------------
# penetration-depth (SI Fig. 7)
class PenetrationDepthParams(Params):
    """Probe vs pump penetration depth in LaH10 and K3C60 (paper 001 SI IV, SI Fig. 7)."""

    lah10_temperature: quantity("K", gt=0) = Field("77 K", description="LaH10 temperature")
    lah10_fluence: quantity("mJ/cm^2", gt=0) = Field("6.2 mJ/cm^2", description="LaH10 F_0")
    lah10_tau_esc: quantity("fs", gt=0) = Field("500 fs", description="LaH10 tau_esc, fs")
    lah10_pump: quantity("meV", gt=0) = Field("2000 meV", description="LaH10 omega_pump")
    lah10_probe: quantity("meV", gt=0) = Field("1500 meV", description="LaH10 omega_pr")
    lah10_pump_duration: quantity("fs", gt=0) = Field("70 fs", description="LaH10 tau_pump")
    lah10_injection_energy: quantity("meV", ge=0) = Field(
        "0 meV", description="LaH10 kinetic photon energy, meV (0: lah10_pump)"
    )
    lah10_t_end: quantity("ps", gt=0) = Field("3 ps", description="LaH10 last delay, ps")
    k3c60_temperature: quantity("K", gt=0) = Field("30 K", description="K3C60 temperature")
    k3c60_fluence: quantity("mJ/cm^2", gt=0) = Field("5 mJ/cm^2", description="K3C60 F_0")
    k3c60_tau_esc: quantity("ps", gt=0) = Field("500 ps", description="K3C60 tau_esc, ps")
    k3c60_pump: quantity("meV", gt=0) = Field("170 meV", description="K3C60 omega_pump")
    k3c60_probe: quantity("meV", gt=0) = Field("10 meV", description="K3C60 omega_pr")
    k3c60_pump_duration: quantity("ps", gt=0) = Field("0.3 ps", description="K3C60 tau_pump")
    k3c60_t_end: quantity("ps", gt=0) = Field("3 ps", description="K3C60 last delay, ps")
    k3c60_scattering_rate: quantity("meV", gt=0) = Field(
        "270 meV",
        description=(
            "K3C60 impurity scattering rate Gamma = hbar/tau of the Nam conductivity, meV "
            "(as photoinduced-optics-k3c60: eps_0 hbar omega_p^2 rho_N, assumed "
            "hbar omega_p = 1 eV)"
        ),
    )


class PenetrationDepthNumerics(Numerics):
    """Kinetic grids for the two materials and the K3C60 probe conductivity form.

    ``conductivity`` (K3C60 only) defaults to "both": the primary ``k3c60_*`` results
    are Mattis-Bardeen with Delta_0(t) (the dirty-limit form of the paper's Kubo
    formula, refs. 42-43, as in the other paper-001 optics scenarios), and the Nam
    form with the recorded Eliashberg Delta(omega, t), Z(omega, t) is computed beside
    it (``k3c60_*_nam``). Both are needed at the 10 meV probe: it lies near the gap
    scale, where the strong-coupling Z(omega) matters, and in the hot normal state the
    kinetics gives (no photo-induced gap at 30 K) Mattis-Bardeen, like Drude, does not
    depend on the distribution at all, while the Nam form's Holstein (phonon-assisted)
    absorption does; keeping both shows which physics carries delta_probe(t). The Nam
    evaluation costs milliseconds per delay. LaH10 always uses Mattis-Bardeen: its
    1.5 eV probe is far above 2 Delta_0 ~ 0.1 eV, where both forms give
    sigma = sigma_N to O((Delta/omega)^2) and Nam would add only the normal-state
    Drude roll-off of the equilibrium index (as in pump-probe-lah10).
    """

    lah10_grid_step: quantity("meV", gt=0) = Field("2 meV", description="LaH10 grid step")
    lah10_e_max: quantity("meV", gt=0) = Field("600 meV", description="LaH10 grid end")
    k3c60_grid_step: quantity("meV", gt=0) = Field("0.25 meV", description="K3C60 grid step")
    k3c60_e_max: quantity("meV", gt=0) = Field("600 meV", description="K3C60 grid end")
    rtol: float = Field(1e-3, gt=0, lt=1, description="relative tolerance of the integrator")
    gap_tol: float = Field(1e-6, gt=0, lt=1, description="gap-update tolerance")
    n_times: int = Field(40, ge=12, le=5000, description="recorded delays per material")
    n_quad: int = Field(64, ge=16, le=2048, description="Gauss nodes per Mattis-Bardeen panel")
    conductivity: Conductivity = Field(
        "both",
        description=(
            "K3C60 probe conductivity: 'mattis-bardeen', 'nam' (full Eliashberg "
            "Delta(omega, t), Z(omega, t), impurity rate k3c60_scattering_rate) or 'both' "
            "(primary k3c60_* from Mattis-Bardeen, k3c60_*_nam beside); LaH10 always "
            "Mattis-Bardeen"
        ),
    )
    n_quad_nam: int = Field(192, ge=16, le=4096, description="Gauss nodes per Nam panel")


def _kin(step: float, e_max: float, num: PenetrationDepthNumerics) -> _Kin:
    return _Kin(
        grid_step=step,
        e_max=e_max,
        rtol=num.rtol,
        gap_tol=num.gap_tol,
        n_times=num.n_times,
        n_quad=num.n_quad,
    )


def _depths(
    material: str,
    temperature: float,
    pump: float,
    probe: float,
    inj: float,
    tau_p: float,
    fluence: float,
    tau_esc: float,
    t_end: float,
    kin: _Kin,
    forms: tuple[str, ...] = ("mattis-bardeen",),
    scattering_rate: float = 0.0,
    n_quad_nam: int = 192,
) -> dict[str, Any]:
    """delta_pump (equilibrium), delta_probe(t) of the pumped surface layer (SI Eq. 14).

    Parameters
    ----------
    material : str
        Built-in spectrum (SI Table 1).
    temperature : float, K
    pump, probe : float, meV
        Photon energies.
    inj : float, meV
        Photon energy of the kinetic drive.
    tau_p : float, ps
        Pump FWHM.
    fluence : float, mJ/cm^2
    tau_esc : float, ps
    t_end : float, ps
        Last delay.
    kin : _Kin
        Kinetic numerics.
    forms : tuple of str
        Conductivity forms, "mattis-bardeen" and/or "nam".
    scattering_rate : float, meV
        Impurity rate Gamma of the Nam form.
    n_quad_nam : int
        Gauss nodes per Nam panel.

    Returns
    -------
    dict
        ``time`` (n_t,) ps, ``trace``, and per form: ``delta_probe`` (n_t,) nm and
        ``delta_pump`` (equilibrium, at omega_pump), nm, under ``result[form]``.
    """
    from photosc.cores.kinetics.pump import absorbed_energy_density

    sp = _spectrum(material)
    rho = sp.material.rho_n_ohm_nm
    chi, _, d_pump = pump_absorption(pump, rho, 1e5)  # semi-infinite sample in vacuum
    delays = _delays(tau_p, t_end, kin.n_times, min(1.0, t_end / 3))
    tr = run_kinetics(
        material,
        temperature,
        injection_energy=inj,
        tau_pump=tau_p,
        energy_density=absorbed_energy_density(fluence, chi, d_pump),
        tau_esc=tau_esc,
        delays=delays,
        step=kin.grid_step,
        e_max=kin.e_max,
        rtol=kin.rtol,
        gap_tol=kin.gap_tol,
    )
    # probe at every delay; pump depth of the pre-pump (equilibrium) state, same form
    w = np.array([probe, pump])
    out: dict[str, Any] = {"time": tr.time, "trace": tr}
    for form in forms:
        if form == "nam":
            s = probe_conductivity_nam(tr, w, scattering_rate, n_quad_nam, (inj, 2 * inj))
        else:
            s = probe_conductivity(tr, w, kin.n_quad, (inj, 2 * inj))
        idx = optics.complex_index(optics.conductivity_si(s, rho), w[None, :])
        d = optics.penetration_depth(idx, w[None, :])
        out[form] = {"delta_probe": d[:, 0], "delta_pump": float(d[0, 1])}
    return out


def run_depth(params: PenetrationDepthParams, numerics: PenetrationDepthNumerics) -> ModelOutput:
    """delta_probe(t) against delta_pump(t = 0) for LaH10 and K3C60 (SI Fig. 7a, b).

    delta = c / (2 omega Im n) (SI Eq. 14) of the pumped surface layer's conductivity:
    LaH10 with Mattis-Bardeen, K3C60 with the form(s) of ``numerics.conductivity``
    (Mattis-Bardeen with Delta_0(t) and/or the Nam form with the recorded Delta(omega, t),
    Z(omega, t) and ``k3c60_scattering_rate``; see :class:`PenetrationDepthNumerics`).

    Returns
    -------
    ModelOutput
        Dataset: ``lah10_delta_probe`` (time_lah10), ``k3c60_delta_probe`` (time_k3c60),
        the differences to the equilibrium pump depth, nm, and the gap edges, meV;
        with "both" also ``k3c60_delta_probe_nam``, ``k3c60_probe_minus_pump_nam``.
        Summary: ``lah10_delta_pump_nm``, ``lah10_delta_probe_nm`` (before the pump),
        ``lah10_probe_minus_pump_nm`` (equilibrium), ``lah10_max_variation_nm``
        (largest |delta_probe(t) - delta_probe(t<0)|), ``lah10_max_delta0_meV``,
        ``lah10_min_delta0_meV``, the same for ``k3c60_*`` (primary form), and with
        "both" ``k3c60_delta_pump_nm_nam``, ``k3c60_delta_probe_nm_nam``,
        ``k3c60_probe_minus_pump_nm_nam``, ``k3c60_max_variation_nm_nam``,
        ``k3c60_delay_of_max_variation_ps_nam``; ``k3c60_conductivity_form`` (the
        primary form) and ``k3c60_scattering_rate_meV`` when Nam is computed. Energy
        budget of each material's kinetics: dataset ``lah10_energy_absorbed``,
        ``lah10_energy_exchanged``, ``lah10_energy_gap_work``, ``lah10_energy_stored``,
        ``lah10_energy_budget_error`` (meV/nm^3, over time_lah10), the same with
        ``k3c60_`` (over time_k3c60) and ``*_pairing_eigenvalue`` where provided;
        summary ``lah10_energy_budget_error``, ``k3c60_energy_budget_error`` and
        ``energy_budget_error`` (the larger; :class:`KineticTrace`), and
        ``*_pairing_eigenvalue_max``, ``*_pairing_eigenvalue_max_time_ps`` where provided.
    """
    p = params
    la = _depths(
        "LaH10",
        p.lah10_temperature,
        p.lah10_pump,
        p.lah10_probe,
        p.lah10_injection_energy or p.lah10_pump,
        p.lah10_pump_duration / 1000.0,
        p.lah10_fluence,
        p.lah10_tau_esc / 1000.0,
        p.lah10_t_end,
        _kin(numerics.lah10_grid_step, numerics.lah10_e_max, numerics),
    )
    forms = tuple(f for f in ("mattis-bardeen", "nam") if _uses(numerics, f))
    k3 = _depths(
        "K3C60",
        p.k3c60_temperature,
        p.k3c60_pump,
        p.k3c60_probe,
        p.k3c60_pump,
        p.k3c60_pump_duration,
        p.k3c60_fluence,
        p.k3c60_tau_esc,
        p.k3c60_t_end,
        _kin(numerics.k3c60_grid_step, numerics.k3c60_e_max, numerics),
        forms=forms,
        scattering_rate=p.k3c60_scattering_rate,
        n_quad_nam=numerics.n_quad_nam,
    )
    sfx = {forms[0]: "", **({"nam": "_nam"} if len(forms) == 2 else {})}
    la_mb = la["mattis-bardeen"]
    data: dict[str, Any] = {
        "lah10_delta_probe": _var(
            ("time_lah10",), la_mb["delta_probe"], "nm", "LaH10 probe penetration depth"
        ),
        "lah10_probe_minus_pump": _var(
            ("time_lah10",),
            la_mb["delta_probe"] - la_mb["delta_pump"],
            "nm",
            "LaH10 delta_probe(t) - delta_pump(t=0)",
        ),
        "lah10_delta0": _var(("time_lah10",), la["trace"].delta0, "meV", "LaH10 gap edge"),
        "k3c60_delta0": _var(("time_k3c60",), k3["trace"].delta0, "meV", "K3C60 gap edge"),
        **_budget_vars([la["trace"]], ("time_lah10",), prefix="lah10_"),
        **_budget_vars([k3["trace"]], ("time_k3c60",), prefix="k3c60_"),
    }
    for form in forms:
        x, r = sfx[form], k3[form]
        label = " (Nam form)" if form == "nam" else ""
        data["k3c60_delta_probe" + x] = _var(
            ("time_k3c60",), r["delta_probe"], "nm", "K3C60 probe penetration depth" + label
        )
        data["k3c60_probe_minus_pump" + x] = _var(
            ("time_k3c60",),
            r["delta_probe"] - r["delta_pump"],
            "nm",
            "K3C60 delta_probe(t) - delta_pump(t=0)" + label,
        )
    ds = xr.Dataset(
        data,
        coords={
            "time_lah10": _var(("time_lah10",), la["time"], "ps", "delay (LaH10)"),
            "time_k3c60": _var(("time_k3c60",), k3["time"], "ps", "delay (K3C60)"),
        },
        attrs={
            "model": "penetration-depth",
            "k3c60_conductivity": numerics.conductivity,
            "k3c60_scattering_rate_meV": p.k3c60_scattering_rate,
        },
    )
    summary: dict[str, Any] = {}
    for key, r, form, x in (
        ("lah10", la, "mattis-bardeen", ""),
        *(("k3c60", k3, f, sfx[f]) for f in forms),
    ):
        dp, d_pump = r[form]["delta_probe"], r[form]["delta_pump"]
        var = np.abs(dp - dp[0])
        summary[f"{key}_delta_pump_nm{x}"] = float(d_pump)
        summary[f"{key}_delta_probe_nm{x}"] = float(dp[0])
        summary[f"{key}_probe_minus_pump_nm{x}"] = float(dp[0] - d_pump)
        summary[f"{key}_max_variation_nm{x}"] = float(np.max(var))
        if x:
            summary[f"{key}_delay_of_max_variation_ps{x}"] = float(r["time"][np.argmax(var)])
        else:
            summary[f"{key}_max_delta0_meV"] = float(np.max(r["trace"].delta0))
            summary[f"{key}_min_delta0_meV"] = float(np.min(r["trace"].delta0))
    summary["k3c60_conductivity_form"] = forms[0]
    if "nam" in forms:
        summary["k3c60_scattering_rate_meV"] = p.k3c60_scattering_rate
    summary.update(_budget_summary([la["trace"]], prefix="lah10_"))
    summary.update(_budget_summary([k3["trace"]], prefix="k3c60_"))
    summary["energy_budget_error"] = max(
        summary["lah10_energy_budget_error"], summary["k3c60_energy_budget_error"]
    )
    return ModelOutput(dataset=ds, summary=summary)


def plot_depth(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """delta_probe(t) - delta_pump(t = 0) for LaH10 and K3C60 (as SI Fig. 7); K3C60 in
    the primary form and, where computed, the Nam form (dashed); below, the energy
    budget of each material's kinetics."""
    import matplotlib.pyplot as plt

    budget = "lah10_energy_absorbed" in ds
    rows = 2 if budget else 1
    fig, axes = plt.subplots(
        rows, 2, figsize=(8.0, 3.4 + 2.4 * (rows - 1)), squeeze=False,
        gridspec_kw={"height_ratios": [1.4, 1.0][:rows]},
    )  # fmt: skip
    top = axes[0]
    top[0].plot(ds["time_lah10"], ds["lah10_probe_minus_pump"], label="Mattis-Bardeen")
    top[0].set_title("LaH10: 1.5 eV probe vs 2 eV pump", fontsize=9)
    primary = "Nam" if ds.attrs.get("k3c60_conductivity") == "nam" else "Mattis-Bardeen"
    top[1].plot(ds["time_k3c60"], ds["k3c60_probe_minus_pump"], label=primary)
    if "k3c60_probe_minus_pump_nam" in ds:
        top[1].plot(
            ds["time_k3c60"], ds["k3c60_probe_minus_pump_nam"], "--", label="Nam (Eliashberg Z)"
        )
    top[1].set_title("K3C60: 10 meV probe vs 170 meV pump", fontsize=9)
    for ax in top:
        ax.set_xlabel("delay (ps)")
        ax.set_ylabel(r"$\delta_{pr}(t) - \delta_{pump}(0)$ (nm)")
        ax.legend(fontsize=7)
    if budget:
        for ax, key in zip(axes[1], ("lah10", "k3c60")):
            _plot_budget(ax, ds[f"time_{key}"].values, ds, prefix=f"{key}_")
            ax.set_xlabel("delay (ps)")
    fig.tight_layout()
    return {"penetration_depth": fig}


# --------------------------------------------------------------------------------------
# photoinduced-optics-k3c60
class PhotoinducedOpticsParams(Params):
    """sigma(omega), R(omega) of pumped K3C60 at several delays (beyond paper 001's figures)."""

    temperature: quantity("K", gt=0) = Field("30 K", description="temperature (T_c0 = 15 K)")
    fluence: quantity("mJ/cm^2", gt=0) = Field("5 mJ/cm^2", description="F_0, mJ/cm^2")
    pump_photon_energy: quantity("meV", gt=0) = Field("170 meV", description="omega_pump")
    pump_duration: quantity("ps", gt=0) = Field("0.3 ps", description="tau_pump (FWHM), ps")
    tau_esc: quantity("ps", gt=0) = Field("500 ps", description="phonon escape time, ps")
    delays: list[float] = Field(
        [-1.0, 0.3, 0.6, 1.0, 2.0], min_length=1, description="delays of the spectra, ps"
    )
    omega_min: quantity("meV", gt=0) = Field("2 meV", description="lowest probe energy")
    omega_max: quantity("meV", gt=0) = Field("100 meV", description="highest probe energy")
    film_thickness: quantity("nm", gt=0) = Field(
        "600 nm", description="pumped region sliced in the depth-resolved film, nm"
    )
    n_ambient: float = Field(1.0, gt=0, description="ambient index")
    reference_temperature: quantity("K", gt=0) = Field(
        "5 K",
        description="equilibrium superconducting K3C60 (T < T_c0) shown for comparison, K",
    )
    scattering_rate: quantity("meV", gt=0) = Field(
        "270 meV",
        description=(
            "impurity scattering rate Gamma = hbar/tau of the Nam conductivity, meV; a "
            "dirty-limit choice (not in SI Table 1): Gamma = eps_0 hbar omega_p^2 rho_N "
            "with rho_N of SI Table 1 and an assumed hbar omega_p = 1 eV (the order of "
            "K3C60's Drude plasma energy); Gamma / 2 Delta_0 ~ 50"
        ),
    )

    @model_validator(mode="after")
    def _check(self) -> PhotoinducedOpticsParams:
        if not self.omega_max > self.omega_min:
            raise ValueError(
                f"omega_max ({self.omega_max} meV) must exceed omega_min ({self.omega_min} meV)"
            )
        d = self.delays
        if any(b <= a for a, b in zip(d, d[1:])):
            raise ValueError(f"delays must be strictly increasing (ps), got {d}")
        if d[0] < -10:
            raise ValueError(f"delays must be >= -10 ps, got {d[0]}")
        return self


class PhotoinducedOpticsNumerics(_NamNumerics):
    """Numerics (K3C60).

    ``conductivity`` defaults to "both": sigma_1, sigma_2 and R(omega) from
    Mattis-Bardeen with Delta_0(t) (primary variables and checks) and from the Nam form
    with the full Eliashberg Delta(omega, t), Z(omega, t) beside them (``*_nam``). The
    Nam form also carries what Mattis-Bardeen leaves out in the normal state: the Drude
    roll-off Gamma / (Gamma - i w) and the Holstein (phonon-assisted) absorption of Z.
    """

    grid_step: quantity("meV", gt=0) = Field("0.25 meV", description="grid step, meV")
    e_max: quantity("meV", gt=0) = Field("600 meV", description="quasi-particle grid end")
    n_omega: int = Field(60, ge=4, le=5000, description="probe energies (log-spaced)")
    n_slices: int = Field(3, ge=1, le=64, description="slices of the depth-resolved film")
    depth_resolved: bool = Field(True, description="also compute the depth-resolved film")
    workers: int = Field(
        0,
        ge=0,
        le=1024,
        description=(
            "worker processes for the slices' kinetics (0: all cores, at most n_slices; "
            "1: sequential, in-process; inside a sweep worker always in-process)"
        ),
    )
    scheduler: str = Field(
        "", description="Dask scheduler address for the slices (tcp://host:port); empty: local"
    )


#: Largest Eliashberg grid step (meV) of the equilibrium K3C60 reference of
#: photoinduced-optics-k3c60 (a quarter of its gap or less).
REFERENCE_MAX_STEP = 0.5


def _k3c60_form(
    form: str,
    tr: KineticTrace,
    w: np.ndarray,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
) -> np.ndarray:
    """sigma / sigma_N (MB) or sigma / sigma_0 (Nam) of every recorded state, (n_t, n_w)."""
    bp = (params.pump_photon_energy, 2 * params.pump_photon_energy)
    if form == "nam":
        return probe_conductivity_nam(
            tr, w, params.scattering_rate, numerics.n_quad_nam, bp, energy_max=None
        )
    return probe_conductivity(tr, w, numerics.n_quad, bp)


def _reference_k3c60(
    form: str,
    w: np.ndarray,
    table: tuple,
    kt: float,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
) -> np.ndarray:
    """Equilibrium sigma of K3C60 at ``reference_temperature``: Mattis-Bardeen with the
    gap edge, or Nam with the thermal Eliashberg Delta(omega), Z(omega) (``table``,
    solved with a step of at most ``REFERENCE_MAX_STEP``)."""
    energy, delta, z, d_ref = table
    occ = optics.thermal_occupation(kt)
    if form == "nam":
        e_max = max(float(energy[-1]), numerics.e_max, float(w.max()) + 60 * kt)
        gap = nam_gap_function(energy, delta, z, d_ref, e_max)
        return optics.nam_conductivity(
            w, gap, occ, params.scattering_rate, energy_max=e_max, n_quad=numerics.n_quad_nam
        )
    if d_ref <= 0:
        return np.ones(w.shape, dtype=complex)
    return optics.mattis_bardeen(
        w, d_ref, occ, energy_max=float(w.max()) + d_ref + 60 * kt, n_quad=numerics.n_quad
    )


def run_k3c60(
    params: PhotoinducedOpticsParams, numerics: PhotoinducedOpticsNumerics
) -> ModelOutput:
    """Gapped sigma_1, 1/omega-like sigma_2 and R(omega) through the photo-induced state.

    Single layer: the whole sample has the pumped state of the surface energy
    density F_0 chi / delta_pump. Depth-resolved: ``n_slices`` slices of the top
    ``film_thickness`` nm, each pumped by its absorbed share (layer_absorptance), on
    unpumped K3C60. R(omega) of both at every delay. The conductivity is Mattis-Bardeen
    with Delta_0(t) and/or the Nam form with the full Delta(omega, t), Z(omega, t) of
    the kinetics (``numerics.conductivity``; "both": Mattis-Bardeen primary, Nam as
    ``*_nam``). The unpumped material below the pumped region has the conductivity of
    the recorded pre-pump state in the same form.

    Returns
    -------
    ModelOutput
        Dataset over (delay, omega): ``sigma1``, ``sigma2`` (sigma/sigma_N; Nam:
        sigma/sigma_0), ``reflectance`` (single layer), ``reflectance_depth_resolved``,
        ``delta0`` (single layer, per delay, meV), the equilibrium reference
        ``sigma1_reference``, ``sigma2_reference`` and, with "both", the same with
        suffix ``_nam``. Summary: ``max_delta0_meV``, ``delay_of_max_gap_ps``,
        ``sigma1_min_below_gap``, ``sigma2_slope_below_gap`` (d ln sigma_2 / d ln omega
        over 0.05-1 Delta_0 at the largest gap, -1 for a superfluid; 0 without gap),
        the same slope ``reference_sigma2_slope_below_gap`` of equilibrium K3C60 at
        ``reference_temperature``, ``max_reflectance_change``,
        ``max_depth_resolved_difference`` (|R_single - R_depth|), ... and, with "both",
        ``nam_max_difference_sigma1``, ``nam_max_difference_sigma2`` (max over delays and
        omega of |Nam - MB|, in units of sigma_N), ``nam_max_reflectance_difference``,
        ``nam_max_reflectance_change``, ``reference_nam_sigma2_slope_below_gap`` and
        ``reference_nam_over_mb_superfluid_weight`` (omega sigma_2 at 0.05 Delta_0, Nam
        over Mattis-Bardeen: the strong-coupling change of the superfluid weight).
        Energy budget of the surface layer's kinetics over ``time`` (its record times:
        the spectra's delays and one before the pump): ``energy_absorbed``,
        ``energy_exchanged``, ``energy_gap_work``, ``energy_stored``,
        ``energy_budget_error`` (meV/nm^3), ``pairing_eigenvalue`` where provided;
        summary ``energy_budget_error`` (largest over the surface layer and the
        slices), ``slice_energy_budget_error`` (per slice), ``pairing_eigenvalue_max``
        and ``pairing_eigenvalue_max_time_ps`` where provided.
    """
    p = params
    chi, d_pump, delays = _k3c60_pump(p)
    tr = _k3c60_surface(p, numerics, chi, d_pump, delays)
    w = np.geomspace(p.omega_min, p.omega_max, numerics.n_omega)
    dr = _k3c60_slices(p, numerics, delays, w) if numerics.depth_resolved else None
    # the reference is an equilibrium solve, independent of the kinetics: on a grid that
    # resolves its gap (Delta_0(5 K) ~ 2.4 meV) -- with a 2 meV step the one Eliashberg
    # cell below the gap edge makes the Nam sigma_2 negative below the gap
    table_ref = equilibrium_gap_table(
        "K3C60", p.reference_temperature, min(numerics.grid_step, REFERENCE_MAX_STEP)
    )
    # the largest gap edge over the spectra's delays
    keep = np.isin(delays, np.asarray(p.delays, dtype=float))
    g_k = tr.delta0[keep]
    i_max = int(np.argmax(g_k))
    forms = [f for f in ("mattis-bardeen", "nam") if _uses(numerics, f)]
    run = _K3C60Optics(
        tr=tr,
        dr=dr,
        w=w,
        keep=keep,
        i_max=i_max,
        row=int(np.nonzero(keep)[0][i_max]),
        dmax=float(g_k[i_max]),
        table_ref=table_ref,
        kt_ref=p.reference_temperature * KB,
        forms=forms,
        suffix={forms[0]: "", **({"nam": "_nam"} if len(forms) == 2 else {})},
    )
    summary = _k3c60_gap_summary(run, p, chi, d_pump)
    ds_vars: dict[str, Any] = {}
    # per conductivity form: sigma and R (single layer, film), the reference, below the gap
    res = {form: _k3c60_form_optics(form, run, p, numerics, ds_vars, summary) for form in forms}
    if len(forms) == 2:
        summary.update(_k3c60_nam_vs_mb(res, p.scattering_rate))
    _k3c60_gaps_and_budget(run, ds_vars, summary)
    ds = _k3c60_dataset(ds_vars, run, p, numerics, delays)
    return ModelOutput(dataset=ds, summary=summary)


@dataclass
class _K3C60Optics:
    """What the optics of :func:`run_k3c60` read, besides the parameters.

    ``tr``: the surface layer's kinetics; ``dr``: the depth-resolved film (None without);
    ``w``: (n_w,) probe energies, meV; ``keep``: rows of ``tr`` at the spectra's delays;
    ``i_max``: index among those of the largest gap edge ``dmax`` (meV), ``row`` its row
    in ``tr``; ``table_ref``: the equilibrium Eliashberg (energy, Delta, Z, Delta_0) at
    ``reference_temperature``, ``kt_ref`` (meV); ``forms``: the conductivity forms,
    primary first, and ``suffix`` the names' suffix of each ("" for the primary,
    "_nam" for Nam beside Mattis-Bardeen).
    """

    tr: KineticTrace
    dr: DepthResolved | None
    w: np.ndarray
    keep: np.ndarray
    i_max: int
    row: int
    dmax: float
    table_ref: tuple
    kt_ref: float
    forms: list[str]
    suffix: dict[str, str]


def _k3c60_pump(params: PhotoinducedOpticsParams) -> tuple[float, float, np.ndarray]:
    """Calibrate the pump on a semi-infinite K3C60 sample and choose the record times.

    Parameters
    ----------
    params : PhotoinducedOpticsParams

    Returns
    -------
    chi : float
        Absorbed fraction 1 - R - T at omega_pump (:func:`pump_absorption`).
    d_pump : float, nm
        Pump penetration depth delta_pump.
    delays : (n_t,) float, ps
        The spectra's delays and one before the pump (the pre-pump state).
    """
    p = params
    rho = _spectrum("K3C60").material.rho_n_ohm_nm
    chi, _, d_pump = pump_absorption(
        p.pump_photon_energy, rho, 1e5, n_ambient=p.n_ambient, n_substrate=1.0
    )
    t_first = min(-3.0 * p.pump_duration, p.delays[0])
    delays = np.unique(np.concatenate([[t_first], np.asarray(p.delays, dtype=float)]))
    return chi, d_pump, delays


def _k3c60_surface(
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    chi: float,
    d_pump: float,
    delays: np.ndarray,
) -> KineticTrace:
    """Kinetics of the single layer in the pumped state of the surface energy density
    F_0 chi / delta_pump (:func:`run_kinetics`).

    Parameters
    ----------
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    chi : float
        Absorbed fraction at omega_pump.
    d_pump : float, nm
        Pump penetration depth delta_pump.
    delays : (n_t,) float, ps
    """
    from photosc.cores.kinetics.pump import absorbed_energy_density

    p = params
    return run_kinetics(
        "K3C60",
        p.temperature,
        injection_energy=p.pump_photon_energy,
        tau_pump=p.pump_duration,
        energy_density=absorbed_energy_density(p.fluence, chi, d_pump),
        tau_esc=p.tau_esc,
        delays=delays,
        step=numerics.grid_step,
        e_max=numerics.e_max,
        rtol=numerics.rtol,
        gap_tol=numerics.gap_tol,
    )


def _k3c60_slices(
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    delays: np.ndarray,
    w: np.ndarray,
) -> DepthResolved:
    """The depth-resolved film: ``n_slices`` slices of the top ``film_thickness`` nm,
    each pumped by its absorbed share, on unpumped K3C60 (:func:`depth_resolved_film`).

    Parameters
    ----------
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    delays : (n_t,) float, ps
    w : (n_w,) float, meV
        Probe energies.
    """
    p = params
    return depth_resolved_film(
        "K3C60",
        p.temperature,
        omega_pump=p.pump_photon_energy,
        injection_energy=p.pump_photon_energy,
        tau_pump=p.pump_duration,
        fluence=p.fluence,
        tau_esc=p.tau_esc,
        delays=delays,
        probe=w,
        depth=p.film_thickness,
        n_slices=numerics.n_slices,
        n_ambient=p.n_ambient,
        numerics=numerics,
    )


def _k3c60_gap_summary(
    run: _K3C60Optics, params: PhotoinducedOpticsParams, chi: float, d_pump: float
) -> dict[str, Any]:
    """The summary's head: the largest gap over the spectra's delays, whether it is
    photo-induced (above 1.05 x the equilibrium gap and 1e-3 meV), the pump numbers and
    the reference gap.

    Parameters
    ----------
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    chi : float
        Absorbed fraction at omega_pump.
    d_pump : float, nm
        Pump penetration depth delta_pump.
    """
    tr, dmax = run.tr, run.dmax
    return {
        "max_delta0_meV": dmax,
        "delay_of_max_gap_ps": float(np.asarray(params.delays)[run.i_max]),
        "equilibrium_delta0_meV": float(tr.delta0[0]),
        "photoinduced_gap": bool(dmax > max(1e-3, 1.05 * float(tr.delta0[0]))),
        "absorbed_fraction": chi,
        "pump_penetration_depth_nm": d_pump,
        "reference_delta0_meV": run.table_ref[3],
        "conductivity_form": run.forms[0],
    }


def _k3c60_reflectance(
    form: str,
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    ds_vars: dict[str, Any],
    summary: dict[str, Any],
) -> dict[str, Any]:
    """sigma(omega, t) of the surface layer in one form and R(omega, t) of the single
    layer and of the depth-resolved film, each on the unpumped material below (the
    recorded pre-pump state, same form).

    Adds ``max_reflectance_change`` (and, with the film, ``reflectance_depth_resolved``
    and ``max_depth_resolved_difference``), suffixed per form, to ``summary`` and
    ``ds_vars``.

    Parameters
    ----------
    form : str
        "mattis-bardeen" or "nam".
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    ds_vars, summary : dict
        Filled in place.

    Returns
    -------
    dict
        ``s_k`` (n_delay, n_w) complex sigma/sigma_N (Nam: sigma/sigma_0) and ``r_k``
        (n_delay, n_w) reflectance of the single layer at the spectra's delays.
    """
    p, tr, w, keep, dr = params, run.tr, run.w, run.keep, run.dr
    rho = _spectrum("K3C60").material.rho_n_ohm_nm
    x = run.suffix[form]
    label = " (Nam form)" if form == "nam" else ""
    s = _k3c60_form(form, tr, w, p, numerics)
    sig = optics.conductivity_si(s, rho)
    # the unpumped material below: the recorded pre-pump state, same form
    n_sub = optics.complex_index(sig[0], w)
    single = optics.film_trace(
        sig[..., None], w, [p.film_thickness], n_ambient=p.n_ambient, n_substrate=n_sub
    )
    s_k = s[keep]
    r_k = single.reflectance[keep]
    summary["max_reflectance_change" + x] = float(np.max(np.abs(r_k - single.reflectance[0])))
    if dr is not None:
        if form == "nam":
            sig_sl = np.stack(
                [
                    optics.conductivity_si(_k3c60_form(form, t, w, p, numerics), rho)
                    for t in dr.traces
                ],
                axis=-1,
            )
        else:
            sig_sl = dr.sigma
        graded = optics.film_trace(
            sig_sl, w, dr.thickness, n_ambient=p.n_ambient, n_substrate=n_sub
        )
        r_dr = graded.reflectance[keep]
        ds_vars["reflectance_depth_resolved" + x] = _var(
            ("delay", "omega"), r_dr, "1", "reflectance, depth-resolved film" + label
        )
        summary["max_depth_resolved_difference" + x] = float(np.max(np.abs(r_dr - r_k)))
    return {"s_k": s_k, "r_k": r_k}


def _k3c60_reference(
    form: str,
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    ds_vars: dict[str, Any],
    summary: dict[str, Any],
) -> dict[str, Any]:
    """The equilibrium reference in one form: superconducting K3C60 below T_c0 at
    ``reference_temperature`` (what a gapped state looks like in these optics:
    sigma_1 = 0 below 2 Delta at T -> 0, sigma_2 ~ 1/omega; :func:`_reference_k3c60`).

    Adds ``reference_sigma2_slope_below_gap`` (d ln sigma_2 / d ln omega over
    0.05-1 Delta_0; 0 without gap), ``sigma1_reference`` and ``sigma2_reference``,
    suffixed per form, to ``summary`` and ``ds_vars``.

    Parameters
    ----------
    form : str
        "mattis-bardeen" or "nam".
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    ds_vars, summary : dict
        Filled in place.

    Returns
    -------
    dict
        ``s_ref`` (n_w,) complex and, with a reference gap, ``weight_ref``: omega
        sigma_2 at 0.05 Delta_0 (the superfluid weight).
    """
    p, w, table_ref, kt_ref = params, run.w, run.table_ref, run.kt_ref
    x = run.suffix[form]
    label = " (Nam form)" if form == "nam" else ""
    d_ref = table_ref[3]
    s_ref = _reference_k3c60(form, w, table_ref, kt_ref, p, numerics)
    out: dict[str, Any] = {"s_ref": s_ref}
    summary["reference_sigma2_slope_below_gap" + x] = 0.0
    if d_ref > 0:
        w_fit = np.geomspace(0.05 * d_ref, d_ref, 16)
        s_fit = _reference_k3c60(form, w_fit, table_ref, kt_ref, p, numerics)
        summary["reference_sigma2_slope_below_gap" + x] = _slope(w_fit, s_fit.imag)
        out["weight_ref"] = float(w_fit[0] * s_fit.imag[0])
    norm = "sigma_0" if form == "nam" else "sigma_N"
    ds_vars["sigma1_reference" + x] = _var(
        ("omega",),
        s_ref.real,
        "1",
        f"sigma_1 / {norm}, equilibrium at reference_temperature{label}",
    )
    ds_vars["sigma2_reference" + x] = _var(
        ("omega",),
        s_ref.imag,
        "1",
        f"sigma_2 / {norm}, equilibrium at reference_temperature{label}",
    )
    return out


def _k3c60_below_gap(
    form: str,
    s_k: np.ndarray,
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    summary: dict[str, Any],
) -> None:
    """Below the largest photo-induced gap Delta_max, in one form: the smallest
    sigma_1 below 2 Delta_max (1 without gap) and d ln sigma_2 / d ln omega over
    0.05-1 Delta_max (-1 for a superfluid; 0 without gap), added to ``summary``.

    Parameters
    ----------
    form : str
        "mattis-bardeen" or "nam".
    s_k : (n_delay, n_w) complex
        sigma of the surface layer at the spectra's delays (:func:`_k3c60_reflectance`).
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    summary : dict
        Filled in place.
    """
    p, tr, w, dmax = params, run.tr, run.w, run.dmax
    x = run.suffix[form]
    w_inj = p.pump_photon_energy
    below = w < 2 * dmax
    summary["sigma1_min_below_gap" + x] = 1.0
    summary["sigma2_slope_below_gap" + x] = 0.0
    if dmax > 0:
        w_fit = np.geomspace(0.05 * dmax, dmax, 16)
        if form == "nam":
            s_fit = _k3c60_form(form, _rows(tr, [run.row]), w_fit, p, numerics)[0]
        else:
            s_fit = probe_conductivity(tr, w_fit, numerics.n_quad, (w_inj, 2 * w_inj))[run.row]
        summary["sigma2_slope_below_gap" + x] = _slope(w_fit, s_fit.imag)
        if below.any():
            summary["sigma1_min_below_gap" + x] = float(np.min(s_k[run.i_max].real[below]))


def _k3c60_form_optics(
    form: str,
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    ds_vars: dict[str, Any],
    summary: dict[str, Any],
) -> dict[str, Any]:
    """All optics of one conductivity form: R(omega, t) of the single layer and the
    film, the equilibrium reference, the below-gap measures and sigma_1, sigma_2, R at
    the spectra's delays; dataset variables and summary entries (suffixed per form)
    are added to ``ds_vars`` and ``summary``.

    Parameters
    ----------
    form : str
        "mattis-bardeen" or "nam".
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    ds_vars, summary : dict
        Filled in place.

    Returns
    -------
    dict
        ``s_k``, ``r_k`` (:func:`_k3c60_reflectance`), ``s_ref`` and ``weight_ref``
        (:func:`_k3c60_reference`), for the Nam - Mattis-Bardeen comparison.
    """
    x = run.suffix[form]
    label = " (Nam form)" if form == "nam" else ""
    norm = "sigma_0" if form == "nam" else "sigma_N"
    out = _k3c60_reflectance(form, run, params, numerics, ds_vars, summary)
    out.update(_k3c60_reference(form, run, params, numerics, ds_vars, summary))
    s_k, r_k = out["s_k"], out["r_k"]
    _k3c60_below_gap(form, s_k, run, params, numerics, summary)
    ds_vars.update(
        {
            "sigma1" + x: _var(("delay", "omega"), s_k.real, "1", f"sigma_1 / {norm}{label}"),
            "sigma2" + x: _var(("delay", "omega"), s_k.imag, "1", f"sigma_2 / {norm}{label}"),
            "reflectance" + x: _var(
                ("delay", "omega"), r_k, "1", "reflectance, single layer" + label
            ),
        }
    )
    return out


def _k3c60_nam_vs_mb(res: dict[str, dict[str, Any]], scattering_rate: float) -> dict[str, Any]:
    """Nam against Mattis-Bardeen (with "both"): the largest |Nam - MB| of sigma_1,
    sigma_2 (units of sigma_N) and R over delays and omega, and the Nam over MB
    superfluid weight of the reference.

    Parameters
    ----------
    res : dict
        Per form, the output of :func:`_k3c60_form_optics`.
    scattering_rate : float, meV
        Impurity rate Gamma of the Nam form (reported).
    """
    a, b = res["nam"], res["mattis-bardeen"]
    out = {
        "nam_max_difference_sigma1": float(np.max(np.abs(a["s_k"].real - b["s_k"].real))),
        "nam_max_difference_sigma2": float(np.max(np.abs(a["s_k"].imag - b["s_k"].imag))),
        "nam_max_reflectance_difference": float(np.max(np.abs(a["r_k"] - b["r_k"]))),
        "scattering_rate_meV": scattering_rate,
    }
    if "weight_ref" in a and "weight_ref" in b:
        out["reference_nam_over_mb_superfluid_weight"] = a["weight_ref"] / b["weight_ref"]
    return out


def _k3c60_gaps_and_budget(
    run: _K3C60Optics, ds_vars: dict[str, Any], summary: dict[str, Any]
) -> None:
    """Gap edges and energy budgets of the surface layer and, with the film, of the
    slices (with their pump energy densities), added to ``ds_vars`` and ``summary``.

    Parameters
    ----------
    run : _K3C60Optics
    ds_vars, summary : dict
        Filled in place.
    """
    tr, dr, keep = run.tr, run.dr, run.keep
    if dr is not None:
        ds_vars["slice_delta0"] = _var(
            ("delay", "slice"), dr.delta0[keep], "meV", "gap edge per slice"
        )
        ds_vars["slice_energy_density"] = _var(
            ("slice",), dr.energy_density, "meV/nm^3", "pump energy density per slice"
        )
        summary["slice_max_delta0_meV"] = [float(v) for v in np.max(dr.delta0, axis=0)]
        summary["slice_energy_density_meV_per_nm3"] = [float(v) for v in dr.energy_density]
    ds_vars["delta0"] = _var(("delay",), tr.delta0[keep], "meV", "gap edge Delta_0 (surface layer)")
    ds_vars.update(_budget_vars([tr], ("time",)))
    slices = dr.traces if dr is not None else []
    summary.update(_budget_summary([tr], extra=slices))
    if slices:
        summary["slice_energy_budget_error"] = [float(t.energy_budget_error) for t in slices]


def _k3c60_dataset(
    ds_vars: dict[str, Any],
    run: _K3C60Optics,
    params: PhotoinducedOpticsParams,
    numerics: PhotoinducedOpticsNumerics,
    delays: np.ndarray,
) -> xr.Dataset:
    """Assemble the dataset of :func:`run_k3c60` from ``ds_vars`` on the (delay, omega)
    spectra, the kinetics' record times and, with the film, the slices.

    Parameters
    ----------
    ds_vars : dict
        The variables (:func:`_var` tuples).
    run : _K3C60Optics
    params : PhotoinducedOpticsParams
    numerics : PhotoinducedOpticsNumerics
    delays : (n_t,) float, ps
        Record times of the surface layer's kinetics.
    """
    p = params
    coords = {
        "delay": _var(("delay",), np.asarray(p.delays, dtype=float), "ps", "pump-probe delay"),
        "omega": _var(("omega",), run.w, "meV", "probe photon energy"),
        "time": _var(("time",), delays, "ps", "record times of the kinetics (surface layer)"),
    }
    if run.dr is not None:
        coords["slice"] = _var(
            ("slice",),
            np.arange(numerics.n_slices, dtype=float),
            "1",
            "slice index from the surface",
        )
    return xr.Dataset(
        ds_vars,
        coords=coords,
        attrs={
            "model": "photoinduced-optics-k3c60",
            "conductivity": numerics.conductivity,
            "scattering_rate_meV": p.scattering_rate,
        },
    )


def plot_k3c60(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """sigma_1, sigma_2 and R(omega) at each delay (single layer; R depth-resolved dashed);
    with the Nam form computed, a second row shows its sigma_1, sigma_2 and R, and the
    equilibrium reference (grey) in both rows."""
    import matplotlib.pyplot as plt

    rows = [""] + (["_nam"] if "sigma1_nam" in ds else [])
    extra = "energy_absorbed" in ds
    fig, axes = plt.subplots(
        len(rows), 3 + extra, figsize=(11.0 + 3.2 * extra, 3.4 * len(rows)), squeeze=False
    )
    w = ds["omega"].values
    for r, x in enumerate(rows):
        ax = axes[r]
        for i, d in enumerate(ds["delay"].values):
            c = f"C{i}"
            ax[0].plot(w, ds["sigma1" + x][i], color=c, label=f"{d:g} ps")
            ax[1].loglog(w, np.maximum(ds["sigma2" + x][i], 1e-6), color=c)
            ax[2].plot(w, ds["reflectance" + x][i], color=c)
            if "reflectance_depth_resolved" + x in ds:
                ax[2].plot(w, ds["reflectance_depth_resolved" + x][i], "--", color=c)
        ax[0].plot(w, ds["sigma1_reference" + x], color="0.5", lw=0.8, label="equilibrium ref.")
        ax[1].loglog(w, np.maximum(ds["sigma2_reference" + x], 1e-6), color="0.5", lw=0.8)
        form = "Nam" if x else ("Nam" if ds.attrs.get("conductivity") == "nam" else "MB")
        norm = r"\sigma_0" if form == "Nam" else r"\sigma_N"
        ax[0].set_ylabel(rf"$\sigma_1/{norm}$ ({form})")
        ax[1].set_ylabel(rf"$\sigma_2/{norm}$ ({form})")
        ax[2].set_ylabel(f"R ({form}; dashed: depth-resolved)")
        for a in ax:
            a.set_xlabel(r"$\hbar\omega$ (meV)")
    axes[0][0].legend(fontsize=7)
    if extra:
        # the surface layer's kinetics: energy budget; Delta_0 and lambda_max(t)
        _plot_budget(axes[0][3], ds["time"].values, ds)
        axes[0][3].plot([], [], " ", label="markers: record times")
        for line in axes[0][3].get_lines():
            line.set_marker(".")
        axes[0][3].set_xlabel("delay (ps)")
        if len(rows) > 1:
            ax = axes[1][3]
            ax.plot(ds["delay"], ds["delta0"], "o-", color="C0", ms=3)
            ax.set_ylabel(r"$\Delta_0$ (meV)", fontsize=8)
            ax.set_xlabel("delay (ps)")
            if "pairing_eigenvalue" in ds:
                ax2 = ax.twinx()
                ax2.plot(ds["time"], ds["pairing_eigenvalue"], "s--", color="C3", ms=3)
                ax2.axhline(1.0, color="0.6", lw=0.6)
                ax2.set_ylabel(r"$\lambda_{max}$ (dashed)", fontsize=8)
    fig.tight_layout()
    return {"conductivity_reflectance": fig}


PB_MODEL = ModelSpec(
    name="pump-probe-pb",
    paper="001",
    description="Pb -dT/T0 vs delay at several temperatures from the kinetics (Fig. 2c)",
    params=PumpProbePbParams,
    numerics=PumpProbePbNumerics,
    run=run_pb,
    plot=plot_pb,
    summarize_sweep=summarize_pb_sweep,
    plot_sweep=plot_pb_sweep,
)

LAH10_MODEL = ModelSpec(
    name="pump-probe-lah10",
    paper="001",
    description="LaH10 dR/R0 at 77 K for three fluences from the kinetics (Fig. 2d)",
    params=PumpProbeLaH10Params,
    numerics=PumpProbeLaH10Numerics,
    run=run_lah10,
    plot=plot_lah10,
    summarize_sweep=summarize_lah10_sweep,
    plot_sweep=plot_lah10_sweep,
)

DEPTH_MODEL = ModelSpec(
    name="penetration-depth",
    paper="001",
    description="probe vs pump penetration depth in pumped LaH10 and K3C60 (SI Fig. 7)",
    params=PenetrationDepthParams,
    numerics=PenetrationDepthNumerics,
    run=run_depth,
    plot=plot_depth,
)

K3C60_MODEL = ModelSpec(
    name="photoinduced-optics-k3c60",
    paper="001",
    description=(
        "sigma_1, sigma_2, R(omega) through the K3C60 photo-induced state, single layer "
        "and depth-resolved film"
    ),
    params=PhotoinducedOpticsParams,
    numerics=PhotoinducedOpticsNumerics,
    run=run_k3c60,
    plot=plot_k3c60,
)

MODELS = [PB_MODEL, LAH10_MODEL, DEPTH_MODEL, K3C60_MODEL]
