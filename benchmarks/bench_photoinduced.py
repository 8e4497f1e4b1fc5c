"""One K3C60 pump run (paper 001 Fig. 3a): kinetics with a real-axis Eliashberg gap.

Run: ``python benchmarks/bench_photoinduced.py [step_meV] [--gap]`` (default 0.5 meV, the
scenario's grid). Prints

1. one 3 ps K3C60 pump run at 30 K (170 meV, 300 fs, 1.1 mJ/cm^2, the
   ``photoinduced-gap-k3c60`` parameters, the printed pump term), Eliashberg-consistent,
   with the Gamma_pump calibration, by the path before issue 16 (``calibration="rerun"``:
   calibration trials at full tolerance, then the pulse window integrated again) and by
   the new path (``"continue"``: preliminary trials at loosened tolerances, the accepted
   trial kept), in the same process: CPU and wall times, their ratio, steps, gap
   updates, Gamma_pump of each and the largest difference of Delta_0(t), of the
   quasi-particle density and of the energy-budget error; against the issue-16 target of
   10 s wall on the 2-core machine;
2. with ``--gap``: the gap-update criterion against its simple reference, in the same
   process: a run below T_c (8 K, 0.01 mJ/cm^2: the pump first raises, then suppresses a
   finite gap, so Delta_0(t) is not trivially 0) with the weighted-change criterion
   (``gap_tol``) and with an Eliashberg solve after every step (``gap_every_step``): both
   times, their ratio, the number of solves, and the largest difference of Delta_0(t).

CPU (process) times are printed next to the wall times: the machine is shared.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from photosc.models import photoinduced_gap as pg


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def calibration_paths(step: float = 0.5) -> None:
    """Section 1: the rerun (old) and continue (new) calibration paths of one pump run."""
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
    print(f"K3C60, 30 K, 170 meV, 1.1 mJ/cm^2, 3 ps, step {step} meV; load {os.getloadavg()}")
    runs = {}
    for path in ("rerun", "continue"):
        runs[path] = _timed(
            lambda path=path: pg.simulate(
                mat, params, num, temperature=30.0, pump_energy=170.0, fluence=1.1,
                eliashberg=solver, calibration=path,
            )
        )  # fmt: skip
    (a, wa, ca), (b, wb, cb) = runs["rerun"], runs["continue"]
    print(f"  grid {a.grid.n_qp} qp x {a.grid.n_boson} phonon bins, Eliashberg n = {solver.n}")
    for label, (r, w, c) in (("rerun (old)", runs["rerun"]), ("continue (new)", runs["continue"])):
        print(
            f"  {label:15s}: wall {w:6.1f} s, cpu {c:6.1f} s, steps {r.steps}, gap updates "
            f"{r.gap_updates}, Gamma_pump {r.gamma:.5g} /ps, deposited / target "
            f"{r.deposited / r.target:.4f}, max Delta_0 {r.delta0.max():.4f} meV, budget "
            f"error {r.energy_budget_error:.2e}"
        )
    qp = float(np.max(np.abs(a.qp_density - b.qp_density)) / np.max(np.abs(a.qp_density)))
    print(
        f"  speed-up (cpu) {ca / cb:5.2f}x (wall {wa / wb:5.2f}x); new path wall {wb:.1f} s "
        f"(target <= 10 s): {'ok' if wb <= 10 else 'OVER'}"
    )
    print(
        f"  new vs old: Gamma {b.gamma / a.gamma - 1:+.2e} (calibration_rtol "
        f"{num.calibration_rtol:g}), max |Delta_0 diff| "
        f"{np.max(np.abs(a.delta0 - b.delta0)):.2e} meV, max qp density diff / max "
        f"{qp:.2e}"
    )


def gap_criterion(step: float = 0.5) -> None:
    """Section 2: the gap-update criterion against a solve after every step."""
    params = pg.GapTransientParams(
        material="K3C60", pump_energy="170 meV", pump_duration="300 fs",
        fluence="1.1 mJ/cm^2", pump_form="printed",
    ).model_copy(update={"duration": 2.0})  # fmt: skip
    num = pg.PumpNumerics(step=step, n_times=61)
    mat = pg.resolve_material(params)
    solver = pg.make_eliashberg(mat, step)
    solver.solve(kT=1.0)
    results = {}
    for label, every in (("gap_tol", False), ("every step", True)):
        n2 = num.model_copy(update={"gap_every_step": every, "normal_check_tol": 0.0})
        results[label] = _timed(
            lambda n2=n2: pg.simulate(
                mat, params, n2, temperature=8.0, pump_energy=170.0, fluence=0.01,
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
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    h = float(args[0]) if args else 0.5
    calibration_paths(h)
    if "--gap" in sys.argv:
        gap_criterion(h)
