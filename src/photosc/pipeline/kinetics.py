"""Kinetics of one pumped homogeneous layer: f(E, t), n(Omega, t), Delta(omega, t).

The first stage of the pump-probe chain of paper 001 (Simon et al., arXiv:2603.18182):
the Chang-Scalapino kinetics with dynamic phonons (SI Eqs. 4-5) of a material's alpha^2F
and F, phonon escape tau_esc, the real-axis Eliashberg gap updated adiabatically (SI Eqs.
6-9) and the optical pump of the main text (after Eq. 2) with Gamma_pump matched to the
absorbed energy density E_abs = F_0 chi / d (after Eq. 3). Material-free: a spectrum
and N(0) go in, a :class:`KineticTrace` (with its energy budget) comes out.

Units: energies meV, times ps, energy densities meV/nm^3, N(0) 1/(eV nm^3), K.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from photosc.errors import ConfigError
from photosc.foundation.units import KB

__all__ = [
    "KineticTrace",
    "eliashberg_solver",
    "equilibrium_gap",
    "equilibrium_gap_table",
    "kaplan_tau0",
    "run_kinetics",
    "scaled_low_energy",
    "select_rows",
]


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


def run_kinetics(
    spectrum: Any,
    temperature: float,
    *,
    n0_per_ev_nm3: float,
    injection_energy: float,
    tau_pump: float,
    energy_density: float,
    tau_esc: float,
    delays: np.ndarray,
    step: float,
    e_max: float,
    rtol: float,
    gap_tol: float,
    calibration: str = "continue",
) -> KineticTrace:
    """Run the pumped kinetics of one homogeneous layer (paper 001 Eqs. 1-2, SI Eqs. 4-9).

    Parameters
    ----------
    spectrum : photosc.cores.spectra.Spectrum
        alpha^2F, F, mu* (and its cutoff) of the material: the phonon bath (SI Eq. 5) and
        the real-axis Eliashberg solve (SI Eqs. 6-9).
    temperature : float, K
        Bath and initial temperature.
    n0_per_ev_nm3 : float, 1/(eV nm^3)
        Single-spin density of states at the Fermi level N(0) (SI Table 1): converts the
        deposited energy density to the kinetics' per-4 N(0) units and back.
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
        Gap-update tolerance (weighted change of f, n); the Eliashberg solves converge
        to a relative residual of min(1e-6, gap_tol).
    calibration : str
        ``"continue"`` (default): Gamma_pump is calibrated by
        :meth:`~photosc.cores.kinetics.solver.KineticSolver.calibrated_run` and its
        accepted trial is kept; ``"rerun"``: the path before issue 16
        (:meth:`~photosc.cores.kinetics.solver.KineticSolver.calibrate_drive`, then the
        run from the start), the reference of the tests.

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

    sp = spectrum
    kt = temperature * KB
    if not kt > 0:
        raise ConfigError(f"temperature must be > 0 K for the kinetics, got {temperature}")
    if calibration not in ("continue", "rerun"):
        raise ConfigError(f"calibration={calibration!r}: allowed 'continue' or 'rerun'")
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
    # the gap solve at least as accurate as the change of f, n that triggers it: with a
    # residual of 1e-6 at gap_tol = 1e-7 the solver's own error moved pump-probe-pb's
    # late signal at 6.5 K by -25 % / +23 % (secant / last-solution warm start) against
    # a 1e-9 solve; at min(1e-6, gap_tol) it agrees to 0.3 % (issue 16)
    gap = EliashbergGap(solver, kt, tol=min(1e-6, gap_tol))
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
    delays = np.asarray(delays, dtype=float)
    if energy_density > 0 and calibration == "rerun":
        n0 = n0_per_ev_nm3 * 1e-3  # 1/(meV nm^3)
        ks.drives = (Drive(injection_energy, 1.0, tau_pump, 0.0),)
        gamma = ks.calibrate_drive(0, energy_density / (4 * n0), t_end=3.0 * tau_pump)
        res = ks.run(delays)
    elif energy_density > 0:
        n0 = n0_per_ev_nm3 * 1e-3  # 1/(meV nm^3)
        ks.drives = (Drive(injection_energy, 1.0, tau_pump, 0.0),)
        # the accepted calibration trial is kept: the run continues from 3 tau_pump
        cal = ks.calibrated_run(0, energy_density / (4 * n0), 3.0 * tau_pump, delays)
        gamma = cal.gamma
        rest = delays[len(cal.records) :]
        res = ks.join([*cal.records, *([ks.run(rest)] if rest.size else [])])
    else:
        res = ks.run(delays)
    # the kinetics counts energy per 4 N(0) (meV^2); 4 N(0) (1/(meV nm^3)) makes meV/nm^3
    per_volume = 4.0 * n0_per_ev_nm3 * 1e-3

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

    Parameters
    ----------
    sp : photosc.cores.spectra.Spectrum
        alpha^2F (and lambda) of the material.
    omega : float, meV
        Energy at which b = alpha^2F / omega^2 is read.
    tc : float, K
        Critical temperature.
    """
    from photosc.foundation.units import HBAR

    a = float(np.interp(omega, sp.omega, sp.a2f))
    if not a > 0:
        return float("inf")
    b = a / omega**2
    return HBAR * (1.0 + sp.lambda_) / (2 * np.pi * b * (KB * tc) ** 3) / 1000.0


def eliashberg_solver(spectrum: Any, step: float):
    """The real-axis Eliashberg solver :func:`run_kinetics` uses (same grid and mu*).

    Parameters
    ----------
    spectrum : photosc.cores.spectra.Spectrum
    step : float, meV
        Grid step.
    """
    from photosc.cores.eliashberg import EliashbergSolver

    sp = spectrum
    w_el = max(sp.mu_star_cutoff or 0.0, 5 * float(sp.omega[-1])) + step
    kw = {"omega_c": sp.mu_star_cutoff} if sp.mu_star_cutoff is not None else {}
    mu = sp.mu_star if sp.mu_star is not None else 0.1
    return EliashbergSolver(sp.omega, sp.a2f, mu, omega_max=w_el, step=step, **kw)


def equilibrium_gap(spectrum: Any, temperature: float, step: float) -> float:
    """Gap edge Delta_0 (meV) of ``spectrum`` in equilibrium at ``temperature`` (K).

    Real-axis Eliashberg solve on the same grid as :func:`run_kinetics`.

    Parameters
    ----------
    spectrum : photosc.cores.spectra.Spectrum
        alpha^2F, mu* and its cutoff.
    temperature : float, K
    step : float, meV
        Grid step.
    """
    return float(eliashberg_solver(spectrum, step).solve(kT=temperature * KB).delta0)


def equilibrium_gap_table(
    spectrum: Any, temperature: float, step: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Thermal Eliashberg Delta(E), Z(E) at ``temperature`` (K) on the kinetics' grid.

    Parameters
    ----------
    spectrum : photosc.cores.spectra.Spectrum
        alpha^2F, mu* and its cutoff.
    temperature : float, K
    step : float, meV
        Grid step.

    Returns
    -------
    energy : (m,) float, meV
    delta : (m,) complex, meV
    z : (m,) complex
    delta0 : float, meV
        Gap edge.
    """
    solver = eliashberg_solver(spectrum, step)
    res = solver.solve(kT=temperature * KB)
    return np.array(solver.omega, dtype=float), res.delta, res.z, float(res.delta0)


def select_rows(trace: KineticTrace, rows: list[int]) -> KineticTrace:
    """The trace restricted to some of its recorded states.

    Parameters
    ----------
    trace : KineticTrace
    rows : list of int
        Indices along the time axis to keep.
    """
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
