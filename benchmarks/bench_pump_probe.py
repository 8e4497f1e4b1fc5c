"""Benchmark: optics of one time step vs the kinetics step it follows (issue 8, section 4).

A Pb pump-probe run (paper 001 Fig. 2c set-up, 0.1 meV grid, pump injected at 30 meV to
keep the run short) is integrated with the kinetics core (Chang-Scalapino collisions,
dynamic phonons, real-axis Eliashberg gap updates); then, for the recorded states, the
probe optics of :mod:`photosc.models.pump_probe` -- Mattis-Bardeen sigma(omega) with the
kinetic f(E, t) at the probe energies (batched over all states), index, film R and T,
dT/T -- are timed. Printed:

* the wall time per accepted kinetic step and per recorded delay (steps between
  records included),
* the optics time per state (1 probe energy as in Fig. 2c, and a 40-point spectrum),
* their ratios (kinetics / optics),
* the agreement of the batched optics with a simple reference: one
  :func:`photosc.cores.optics.mattis_bardeen` call per state with
  :func:`photosc.cores.optics.tabulated_occupation` (the same integrals, unbatched),
  also timed.

Run: ``python benchmarks/bench_pump_probe.py``
"""

from __future__ import annotations

import time

import numpy as np

from photosc.cores import optics
from photosc.models import pump_probe as pp

RHO_PB = 350.0  # Ohm nm, paper 001 SI Table 1


def _optics(trace: pp.KineticTrace, w: np.ndarray) -> np.ndarray:
    s = pp.probe_conductivity(trace, w, 96, (30.0, 60.0))
    sig = optics.conductivity_si(s, RHO_PB)[..., None]
    return optics.film_trace(sig, w, [10.0], n_substrate=3.42).d_t_over_t


def _reference(trace: pp.KineticTrace, w: np.ndarray) -> np.ndarray:
    rows = []
    for d, f in zip(trace.delta0, trace.f):
        occ = optics.tabulated_occupation(trace.energy, np.clip(f, 0, 1))
        rows.append(
            optics.mattis_bardeen(
                w, d, occ, energy_max=trace.energy_top + 1e-6, n_quad=96, breakpoints=(30.0, 60.0)
            )
        )
    sig = optics.conductivity_si(np.array(rows), RHO_PB)[..., None]
    return optics.film_trace(sig, w, [10.0], n_substrate=3.42).d_t_over_t


def main() -> None:
    delays = np.concatenate([[-6.0], np.linspace(-4.0, 20.0, 13), np.geomspace(25, 2000, 16)])
    t0 = time.perf_counter()
    trace = pp.run_kinetics(
        "Pb",
        4.0,
        injection_energy=30.0,
        tau_pump=2.0,
        energy_density=6e-4,
        tau_esc=500.0,
        delays=delays,
        step=0.1,
        e_max=60.0,
        rtol=1e-3,
        gap_tol=1e-6,
    )
    t_kin = time.perf_counter() - t0
    n_t = delays.size
    print(f"kinetics: {trace.steps} accepted steps, {n_t} recorded delays, {t_kin:.2f} s")
    per_step = t_kin / trace.steps
    per_record = t_kin / n_t
    print(
        f"  per accepted step {1e3 * per_step:8.2f} ms, "
        f"per recorded delay {1e3 * per_record:8.2f} ms"
    )
    print(
        f"{'probe grid':>12} {'optics/state [ms]':>18} {'kin step/optics':>16} "
        f"{'kin delay/optics':>17} {'ref/state [ms]':>15} {'max |diff| dT/T':>16}"
    )
    for w in (np.array([5.0]), np.geomspace(1.0, 20.0, 40)):
        _optics(trace, w)  # warm-up
        best = np.inf
        for _ in range(3):
            t = time.perf_counter()
            fast = _optics(trace, w)
            best = min(best, time.perf_counter() - t)
        t = time.perf_counter()
        ref = _reference(trace, w)
        t_ref = time.perf_counter() - t
        per_state = best / n_t
        diff = float(np.max(np.abs(fast - ref)))
        print(
            f"{w.size:>12d} {1e3 * per_state:>18.3f} {per_step / per_state:>16.1f} "
            f"{per_record / per_state:>17.1f} {1e3 * t_ref / n_t:>15.3f} {diff:>16.2e}"
        )


if __name__ == "__main__":
    main()
