"""One pump run of paper 001: kinetics with a real-axis Eliashberg gap at every update.

:func:`simulate` composes the cores (kinetic grid, phonon bath with the SI Table 1
material data, the pump drive and its calibration to E_abs = F_0 chi / d, the real-axis
solver through :class:`SeededEliashbergGap`) and records Delta_0(t), the densities and
the kinetics diagnostics of issue 12 in a :class:`PumpRun`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from photosc.cores.eliashberg import (
    EliashbergResult,
    EliashbergSolver,
    is_superconducting,
    order_parameter,
)
from photosc.cores.kinetics import (
    KineticGrid,
    KineticResult,
    KineticSolver,
    SolverOptions,
    make_grid,
    phonon_bath,
)
from photosc.cores.kinetics.gap import STABILITY_MARGIN, EliashbergGap
from photosc.cores.kinetics.pump import Drive, absorbed_energy_density
from photosc.errors import ConfigError
from photosc.foundation.progress import progress
from photosc.foundation.units import KB
from photosc.models.photoinduced_gap.params import (
    Material,
    PumpNumerics,
    PumpParams,
)

#: Relative residual accepted from a real-axis solve that stalls near the onset of
#: pairing after the damped retry (EliashbergGap with loose_tol): an error of 1e-4 Delta.
LOOSE_TOL = 1e-4


class SeededEliashbergGap(EliashbergGap):
    """The core's real-axis gap update with the options of a long pumped run.

    :class:`photosc.cores.kinetics.gap.EliashbergGap` with a constant trial gap ``seed``
    for solves from the normal state (Delta = 0 is a fixed point of the Eliashberg map,
    so a solve started there never finds the Cooper instability of a non-thermal state
    above T_c, the photo-induced case), skipped normal-state solves while f, n change
    less than ``normal_check_tol``, a collapse to the normal state confirmed from a
    constant start, a stalled solve retried with damped mixing and then accepted at
    :data:`LOOSE_TOL` (counted in ``loosened``, reported as ``eliashberg_loose_solves``),
    and, in place of a seeded solve from a normal state, the pairing eigenvalue: while
    lambda_max < 1 - ``stability_margin`` the normal state is returned without a solve
    (``stable``; the core's ``stability_margin``, issue 16).

    Parameters
    ----------
    solver : EliashbergSolver
        Set up on the kinetic grid's step.
    kT_phonon : float, meV
        Phonon temperature beyond the kinetic boson grid.
    seed : float, meV
        Trial gap of a start from the normal state (> 0).
    tol : float
        Convergence of the Eliashberg iteration.
    normal_check_tol : float
        Weighted change of f, n that triggers a seeded solve in the normal state
        (0: every call).

    Attributes
    ----------
    stability_margin : float or None
        Class default of the core's ``stability_margin``
        (:data:`photosc.cores.kinetics.gap.STABILITY_MARGIN`);
        None: the seeded solve at every check (the reference path of the issue 16 tests
        and benchmark).
    """

    stability_margin: float | None = STABILITY_MARGIN

    def __init__(
        self,
        solver: EliashbergSolver,
        kT_phonon: float,
        seed: float,
        tol: float = 1e-6,
        normal_check_tol: float = 0.0,
    ) -> None:
        super().__init__(
            solver,
            kT_phonon,
            bath_index=0,
            tol=tol,
            seed=seed,
            normal_check_tol=normal_check_tol,
            confirm_collapse=True,
            loose_tol=LOOSE_TOL,
            stability_margin=type(self).stability_margin,
        )


class PumpRun(NamedTuple):
    """One pump run (physical units).

    Attributes
    ----------
    t : (nt,) float, ps
    delta0 : (nt,) float, meV
    qp_density : (nt,) float, 1/nm^3
    energy : (nt,) float, meV/nm^3 -- quasi-particle + phonon energy
    f : (nt, n_qp) float
    n : (nt, n_boson) float
    delta_real : (nt, n_e) float, meV -- Re Delta(omega) on the Eliashberg grid
    gamma : float, 1/ps -- calibrated Gamma_pump
    deposited : float, meV/nm^3 -- energy deposited by the pump
    target : float, meV/nm^3 -- E_abs = F_0 chi / d
    grid : KineticGrid
    eliashberg_omega : (n_e,) float, meV
    steps, gap_updates : int
    budget_error : (nt,) float, meV/nm^3 -- energy the integration created (stored -
        stored(0) - absorbed - exchanged - gap work; :class:`KineticResult`)
    energy_budget_error : float -- max |budget_error| over the budget scale (issue 12)
    pairing_eigenvalue : (nt,) float -- lambda_max(t) of the linearised real-axis gap
        equation with the current f and n (> 1: the normal state is Cooper-unstable)
    delta_max : (nt,) float, meV -- max |Delta(omega)| of the last Eliashberg solve
    dos_ef : (nt,) float -- its DOS at the Fermi level (lowest cell; normal: 1)
    superfluid_weight : (nt,) float, meV -- its dirty-limit superfluid weight
        (:func:`photosc.cores.eliashberg.superfluid_weight`)
    state : tuple of str -- "gapped", "gapless" or "normal" per time
        (:func:`photosc.cores.eliashberg.is_superconducting`)
    pairing_parts : dict of str to float -- lambda_max at the time of its maximum with
        parts of the pumped state replaced by thermal ones (:func:`pairing_parts`)
    loose_solves : int -- gap solves accepted at ``LOOSE_TOL`` after stalling
    """

    t: NDArray[np.float64]
    delta0: NDArray[np.float64]
    qp_density: NDArray[np.float64]
    energy: NDArray[np.float64]
    f: NDArray[np.float64]
    n: NDArray[np.float64]
    delta_real: NDArray[np.float64]
    gamma: float
    deposited: float
    target: float
    grid: KineticGrid
    eliashberg_omega: NDArray[np.float64]
    steps: int
    gap_updates: int
    budget_error: NDArray[np.float64] | None = None
    energy_budget_error: float = 0.0
    pairing_eigenvalue: NDArray[np.float64] | None = None
    delta_max: NDArray[np.float64] | None = None
    dos_ef: NDArray[np.float64] | None = None
    superfluid_weight: NDArray[np.float64] | None = None
    state: tuple[str, ...] = ()
    pairing_parts: dict[str, float] | None = None
    loose_solves: int = 0


#: Energy (meV) that splits the pumped quasi-particles into the low-energy part (where a
#: pump depletes f and raises the pairing eigenvalue) and the hot part (relaxing carriers
#: that lower it) in :func:`pairing_parts`.
PAIRING_SPLIT_MEV = 5.0


def pairing_parts(
    gap: EliashbergGap,
    grid: KineticGrid,
    f: NDArray[np.float64],
    n: NDArray[np.float64],
    kT: float,
    split: float = PAIRING_SPLIT_MEV,
) -> dict[str, float]:
    """Which part of a pumped state drives lambda_max (issue 12 section 4).

    The leading eigenvalue of the linearised real-axis gap equation
    (:meth:`~photosc.cores.eliashberg.EliashbergSolver.pairing_eigenvalue`) for the
    pumped f, n and for states in which a part is replaced by its thermal value at the
    bath temperature: ``low_energy_only`` (pumped f below ``split``, thermal f above and
    thermal phonons: what the pump-depleted low-energy quasi-particles alone give),
    ``hot_only`` (thermal f below ``split``, pumped f above and the pumped phonons: the
    hot carriers and phonons alone), ``phonons_thermal`` (pumped f, thermal phonons)
    and ``thermal`` (both thermal: < 1 above T_c0).

    Parameters
    ----------
    gap : EliashbergGap
        The run's gap update (its solver and phonon temperature).
    grid : KineticGrid
    f : (n_qp,) float
        Pumped quasi-particle occupations.
    n : (n_boson,) float
        Pumped phonon occupations of the gap's bath.
    kT : float, meV
        Bath temperature.
    split : float, meV
        Low-energy / hot boundary.

    Returns
    -------
    dict
        ``pumped``, ``low_energy_only``, ``hot_only``, ``phonons_thermal``,
        ``thermal`` (dimensionless eigenvalues).
    """
    from photosc.foundation.distributions import bose, fermi

    f_t = fermi(grid.energy, kT)
    n_t = np.zeros_like(n)
    n_t[1:] = bose(grid.omega[1 : n.size], kT)
    low = grid.energy < split

    def lam(ff: NDArray[np.float64], nn: NDArray[np.float64]) -> float:
        fe, nph = gap._inputs(grid, ff, [nn])
        return float(gap.solver.pairing_eigenvalue(f=fe, n=nph).value)

    return {
        "pumped": lam(f, n),
        "low_energy_only": lam(np.where(low, f, f_t), n_t),
        "hot_only": lam(np.where(low, f_t, f), n),
        "phonons_thermal": lam(f, n_t),
        "thermal": lam(f_t, n_t),
    }


def make_eliashberg(mat: Material, step: float) -> EliashbergSolver:
    """Real-axis solver on the kinetic step, up to the Coulomb cutoff of ``mat``."""
    top = max(mat.omega_c, 1.2 * mat.spectrum.omega_max + 4 * step)
    return EliashbergSolver(
        mat.spectrum.omega, mat.spectrum.a2f, mat.mu_star, omega_max=top, step=step,
        omega_c=min(mat.omega_c, top),
    )  # fmt: skip


def simulate(
    mat: Material,
    params: PumpParams,
    numerics: PumpNumerics,
    *,
    temperature: float,
    pump_energy: float,
    fluence: float,
    eliashberg: EliashbergSolver | None = None,
    keep_delta_omega: float = 0.0,
    calibration: str = "continue",
) -> PumpRun:
    """Integrate one pump run from equilibrium at ``temperature``.

    The system starts in equilibrium (f, n thermal; the Eliashberg gap of that state),
    Gamma_pump is calibrated so that the pulse deposits E_abs = F_0 chi / d by
    pump_delay + 2 tau_pump (:meth:`KineticSolver.calibrate_drive`), then f, n and the
    gap are integrated to ``duration``.

    Parameters
    ----------
    mat : Material
    params : PumpParams
    numerics : PumpNumerics
    temperature : float, K
        Bath and initial temperature (> 0).
    pump_energy : float, meV
        Photon energy omega_pump (> 0).
    fluence : float, mJ/cm^2
        Incident fluence F_0 (>= 0; 0 gives the undriven run).
    eliashberg : EliashbergSolver, optional
        A solver from :func:`make_eliashberg` with ``numerics.step`` (re-used between runs).
    keep_delta_omega : float, meV
        Record Re Delta(omega, t) for omega <= this (0: not recorded).
    calibration : str
        ``"continue"`` (default): the accepted calibration trial is kept and the run
        continues from the end of the calibration window
        (:meth:`KineticSolver.calibrated_run`, preliminary trials at loosened
        tolerances); ``"rerun"``: the path before issue 16 (:meth:`KineticSolver.calibrate_drive`
        at full tolerance, then the window is integrated again), the reference of the tests.

    Returns
    -------
    PumpRun
    """
    if not temperature > 0:
        raise ConfigError(f"temperature must be > 0 K, got {temperature}")
    if not pump_energy > 0:
        raise ConfigError(f"pump_energy must be > 0 meV, got {pump_energy}")
    if not fluence >= 0:
        raise ConfigError(f"fluence must be >= 0 mJ/cm^2, got {fluence}")
    if calibration not in ("continue", "rerun"):
        raise ConfigError(f"calibration={calibration!r}: allowed 'continue' or 'rerun'")
    h = numerics.step
    spec = mat.spectrum
    kT = KB * temperature
    e_max = max(numerics.e_max_over_pump * pump_energy, 1.5 * spec.omega_max)
    grid = make_grid(h, e_max, spec.omega_max + 2 * h)
    if pump_energy > (grid.n_boson - 2) * h:
        grid = make_grid(h, e_max, pump_energy + 3 * h)
    solver = make_eliashberg(mat, h) if eliashberg is None else eliashberg
    # SI Table 1 data of this run (a user's N(0), N override the spectrum's)
    bath = phonon_bath(
        grid, spec.omega, spec.a2f, spec.f_dos, kT=kT, n0_per_mev_nm3=mat.n0_per_mev_nm3,
        n_ion_nm3=mat.n_ion_nm3, tau_esc=params.tau_esc, name=spec.name,
    )  # fmt: skip
    gap = SeededEliashbergGap(
        solver,
        kT,
        numerics.gap_seed,
        tol=numerics.eliashberg_tol,
        normal_check_tol=numerics.normal_check_tol,
    )
    # pump_form "printed": paper 001's printed absorption-only term, the core's
    # Drive(form="paper"); "classical": the classical-field drive
    form = "paper" if params.pump_form == "printed" else "classical"
    drive = Drive(pump_energy, 1.0, params.pump_duration, params.pump_delay, form=form)
    opts = SolverOptions(
        rtol=numerics.rtol,
        atol=numerics.atol,
        gap_tol=numerics.gap_tol,
        gap_every_step=numerics.gap_every_step,
    )
    four_n0 = 4.0 * mat.n0_per_mev_nm3
    target = absorbed_energy_density(fluence, params.absorbed_fraction, params.pump_depth)
    times = np.linspace(0.0, params.duration, numerics.n_times)
    keep = solver.omega <= keep_delta_omega
    keys = ("t", "d", "q", "e", "f", "n", "dw", "budget", "lam", "dmax", "dos", "sfw", "state")

    def observe(r: KineticResult) -> dict:
        """One record: the state at r.t[0] and the gap update's last solve."""
        last: EliashbergResult | None = gap.last
        if last is not None:
            op = order_parameter(last, gap._inputs(grid, r.f[0], list(r.n[0]))[0])
            state = is_superconducting(op)
        else:
            op, state = None, "normal"
        return {
            "t": r.t[0],
            "d": r.delta0[0],
            "q": r.qp_density[0] * four_n0,
            "e": r.energy[0] * four_n0,
            "f": r.f[0],
            "n": r.n[0, 0],
            "budget": r.budget_error[0] * four_n0,
            "lam": r.pairing_eigenvalue[0] if r.pairing_eigenvalue is not None else 0.0,
            "dw": last.delta.real[keep] if last is not None else np.zeros(keep.sum()),
            "dmax": op.delta_max if op is not None else 0.0,
            "dos": op.dos_ef if op is not None else 1.0,
            "sfw": op.superfluid_weight if op is not None else 0.0,
            "state": state,
        }

    rows: list[dict] = []
    if fluence > 0:
        s = KineticSolver(grid, [bath], gap, [drive], options=opts)
        s.start(kT=kT)
        t_end = min(params.pump_delay + 2.0 * params.pump_duration, params.duration)
        if calibration == "continue":
            cal = s.calibrated_run(
                0, target / four_n0, t_end, times, rtol=numerics.calibration_rtol,
                observe=observe,
            )  # fmt: skip
            gamma, rows = cal.gamma, list(cal.records)
        else:
            gamma = s.calibrate_drive(0, target / four_n0, t_end, rtol=numerics.calibration_rtol)
            s.drives = (replace(drive, gamma=gamma),)
    else:
        s = KineticSolver(grid, [bath], gap, [], options=opts)
        s.start(kT=kT)
        gamma = 0.0
    rest = times[len(rows) :]
    for te in progress(rest, desc=f"kinetics {temperature:g} K, {fluence:g} mJ/cm^2"):
        rows.append(observe(s.run([te])))
    rec: dict[str, list] = {k: [row[k] for row in rows] for k in keys}
    budget = np.array(rec["budget"])
    k_max = int(np.argmax(rec["lam"]))
    parts = pairing_parts(gap, grid, rec["f"][k_max], rec["n"][k_max], kT)
    return PumpRun(
        np.array(rec["t"]),
        np.array(rec["d"]),
        np.array(rec["q"]),
        np.array(rec["e"]),
        np.array(rec["f"]),
        np.array(rec["n"]),
        np.array(rec["dw"]).reshape(len(times), int(keep.sum())),
        float(gamma),
        float(s.deposited * four_n0),
        float(target),
        grid,
        solver.omega[keep],
        int(s.steps),
        int(s.gap_updates),
        budget_error=budget,
        energy_budget_error=float(np.max(np.abs(budget)) / (s.budget_scale() * four_n0)),
        pairing_eigenvalue=np.array(rec["lam"]),
        delta_max=np.array(rec["dmax"]),
        dos_ef=np.array(rec["dos"]),
        superfluid_weight=np.array(rec["sfw"]),
        state=tuple(rec["state"]),
        pairing_parts=parts,
        loose_solves=int(gap.loosened),
    )


def gap_lifetime(t: NDArray[np.float64], delta0: NDArray[np.float64], threshold: float) -> float:
    """Total time (ps) during which Delta_0(t) > threshold (meV), trapezoid on the record.

    Each recorded interval counts by the fraction of it above the threshold (linear
    interpolation of Delta_0 between records). 0 when the gap never exceeds it.
    """
    t = np.asarray(t, dtype=float)
    d = np.asarray(delta0, dtype=float) - threshold
    total = 0.0
    for i in range(t.size - 1):
        a, b = d[i], d[i + 1]
        dt = t[i + 1] - t[i]
        if a > 0 and b > 0:
            total += dt
        elif a > 0 or b > 0:
            total += dt * max(a, b) / (abs(a) + abs(b))
    return float(total)


def equilibrium_tc(mat: Material, solver: EliashbergSolver) -> float:
    """T_c0 (K) of the spectrum with this mu* on the run's grid (linearised equations)."""
    return float(solver.critical_temperature())
