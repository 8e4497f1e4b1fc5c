"""One K3C60 pump run (paper 001 Fig. 3a): kinetics with a real-axis Eliashberg gap.

Run: ``python benchmarks/bench_photoinduced.py [step_meV]`` (default 0.5 meV, the
scenario's grid). Prints

1. the time of one 3 ps K3C60 pump run at 30 K (170 meV, 300 fs, 1.1 mJ/cm^2, the
   ``photoinduced-gap-k3c60`` parameters, the printed pump term), Eliashberg-consistent,
   with the Gamma_pump calibration, against the issue's target of 60 s on the 2-core machine;
2. the gap-update criterion against its simple reference, in the same process: a run
   below T_c (8 K, 0.01 mJ/cm^2: the pump first raises, then suppresses a finite gap, so
   Delta_0(t) is not trivially 0) with the weighted-change criterion (``gap_tol``) and
   with an Eliashberg solve after every step (``gap_every_step``): both times, their
   ratio, the number of solves, and the largest difference of Delta_0(t).

CPU (process) times are printed next to the wall times: the machine is shared.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from photosc.models import photoinduced_gap as pg


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main(step: float = 0.5) -> None:
    params = pg.GapTransientParams(
        material="K3C60",
        pump_energy="170 meV",
        pump_duration="300 fs",
        fluence="1.1 mJ/cm^2",
        pump_form="printed",
    )
    num = pg.PumpNumerics(step=step, n_times=61)
    mat = pg.resolve_material(params)
    solver = pg.make_eliashberg(mat, step)
    solver.solve(kT=1.0)  # compile the numba kernels outside the timings

    run, wall, cpu = _timed(
        lambda: pg.simulate(
            mat, params, num, temperature=30.0, pump_energy=170.0, fluence=1.1, eliashberg=solver
        )
    )
    print(f"K3C60, 30 K, 170 meV, 1.1 mJ/cm^2, 3 ps, step {step} meV")
    print(f"  grid {run.grid.n_qp} qp x {run.grid.n_boson} phonon bins, Eliashberg n = {solver.n}")
    print(
        f"  one pump run (calibration + 3 ps): wall {wall:6.1f} s, cpu {cpu:6.1f} s "
        f"(target < 60 s): {'ok' if wall < 60 else 'OVER'}"
    )
    print(
        f"  steps {run.steps}, gap updates {run.gap_updates}, Gamma_pump {run.gamma:.4g} /ps, "
        f"deposited / absorbed {run.deposited / run.target:.4f}, max Delta_0 "
        f"{run.delta0.max():.4f} meV"
    )

    cold = params.model_copy(update={"duration": 2.0})
    results = {}
    for label, every in (("gap_tol", False), ("every step", True)):
        n2 = num.model_copy(update={"gap_every_step": every, "normal_check_tol": 0.0})
        results[label] = _timed(
            lambda n2=n2: pg.simulate(
                mat, cold, n2, temperature=8.0, pump_energy=170.0, fluence=0.01,
                eliashberg=solver,
            )
        )  # fmt: skip
    (a, wa, ca), (b, wb, cb) = results["gap_tol"], results["every step"]
    k = int(np.argmax(np.abs(a.delta0 - b.delta0)))
    diff = float(abs(a.delta0[k] - b.delta0[k]))
    print("K3C60, 8 K (below T_c), 0.01 mJ/cm^2, 2 ps: gap-update criterion vs every step")
    print(
        f"  gap_tol={num.gap_tol:g}: wall {wa:6.1f} s, cpu {ca:6.1f} s, {a.gap_updates} solves"
        f" / {a.steps} steps"
    )
    print(
        f"  every step  : wall {wb:6.1f} s, cpu {cb:6.1f} s, {b.gap_updates} solves"
        f" / {b.steps} steps"
    )
    print(
        f"  speed-up (cpu) {cb / ca:5.1f}x; Delta_0(0) = {a.delta0[0]:.4f} meV, min Delta_0 "
        f"{a.delta0.min():.4f} meV; max |Delta_0 difference| = {diff:.2e} meV at t = "
        f"{a.t[k]:.3f} ps ({a.delta0[k]:.4f} vs {b.delta0[k]:.4f} meV)"
    )


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.5)
