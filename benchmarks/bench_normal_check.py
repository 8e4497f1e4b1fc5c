"""'Is the normal state stable?' by the pairing eigenvalue vs the seeded solve (issue 16).

Run: ``python benchmarks/bench_normal_check.py [step_meV] [duration_ps]`` (default
0.5 meV, the ``photoinduced-gap-k3c60`` grid, and 1.5 ps). For three K3C60 pump runs
(170 meV, 300 fs, the printed pump term):

1. 30 K, 1.1 mJ/cm^2 (the ``photoinduced-gap-k3c60`` parameters, above T_c0: the
   photo-induced gap opens from a normal state);
2. 30 K, 0.2 mJ/cm^2 (above T_c0, the gap stays closed: every update is an
   "is it still normal?" check);
3. 8 K, 0.01 mJ/cm^2 (below T_c, ``benchmarks/bench_photoinduced.py``'s gapped run);
4. 16 K, 1.1 mJ/cm^2 (just above T_c0 = 15 K: lambda_max crosses 1 and the
   photo-induced superconducting state appears),

it runs :func:`photosc.models.photoinduced_gap.simulate` twice in the same process:
with the seeded Eliashberg solve at every normal-state check (``stability_margin =
None``, the reference) and with the eigenvalue check (the default), and prints the
seeded solves done, the checks answered by lambda_max (``stable``), the eigenvalue
computations (and their mean operator applications), process CPU times and their
ratio, and the largest difference of Delta_0(t), of lambda_max(t) and of the state
labels. It also times one warm-started eigenvalue against one seeded solve at a
normal pumped state. CPU (process) times: the machine is shared; the load is printed.
"""

from __future__ import annotations

import importlib
import os
import sys
import time

import numpy as np

from photosc.models import photoinduced_gap as pg

sim = importlib.import_module("photosc.models.photoinduced_gap.simulate")


class _Counting(sim.SeededEliashbergGap):
    """The model's gap update, remembering its instances (for the counters)."""

    made: list = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _Counting.made.append(self)


def _run(mat, params, num, solver, temperature, fluence, margin):
    _Counting.made.clear()
    _Counting.stability_margin = margin
    saved = sim.SeededEliashbergGap
    sim.SeededEliashbergGap = _Counting
    try:
        c = time.process_time()
        run = pg.simulate(
            mat, params, num, temperature=temperature, pump_energy=170.0, fluence=fluence,
            eliashberg=solver,
        )  # fmt: skip
        cpu = time.process_time() - c
    finally:
        sim.SeededEliashbergGap = saved
    return run, cpu, _Counting.made[-1]


def main(step: float = 0.5, duration: float = 1.5) -> None:
    params = pg.GapTransientParams(
        material="K3C60",
        pump_energy="170 meV",
        pump_duration="300 fs",
        fluence="1.1 mJ/cm^2",
        pump_form="printed",
        duration=f"{duration} ps",
    )
    num = pg.PumpNumerics(step=step, n_times=31)
    mat = pg.resolve_material(params)
    solver = pg.make_eliashberg(mat, step)
    solver.solve(kT=1.0)  # compile the numba kernels outside the timings
    print(f"load (uptime): {os.getloadavg()}")
    print(f"K3C60, 170 meV, 300 fs, {duration} ps, step {step} meV, Eliashberg n = {solver.n}")
    cases = ((30.0, 1.1), (30.0, 0.2), (8.0, 0.01), (16.0, 1.1))
    only = os.environ.get("BENCH_CASES")  # e.g. "1" or "0,3": a subset of the cases
    if only:
        cases = tuple(cases[int(i)] for i in only.split(","))
    kept = None
    for temperature, fluence in cases:
        old, c_old, g_old = _run(mat, params, num, solver, temperature, fluence, None)
        new, c_new, g_new = _run(mat, params, num, solver, temperature, fluence, 1e-3)
        if (temperature, fluence) == (30.0, 0.2):
            kept = (new, g_new)
        dd = float(np.max(np.abs(new.delta0 - old.delta0)))
        dl = float(np.max(np.abs(new.pairing_eigenvalue - old.pairing_eigenvalue)))
        same = sum(a == b for a, b in zip(old.state, new.state))
        its = g_new.eigen_iterations / max(g_new.eigen_computed, 1)
        print(f"{temperature:g} K, {fluence:g} mJ/cm^2 (max Delta_0 {old.delta0.max():.4f} meV):")
        print(
            f"  seeded solve:  {g_old.solves:5d} solves, {g_old.skipped:5d} skipped "
            f"(normal_check_tol), cpu {c_old:7.2f} s"
        )
        print(
            f"  eigenvalue:    {g_new.solves:5d} solves, {g_new.skipped:5d} skipped, "
            f"{g_new.stable:5d} answered by lambda_max ({g_new.eigen_computed} eigenvalues, "
            f"{its:.1f} operator applications each, {g_new.eigen_reused} re-used), "
            f"cpu {c_new:7.2f} s"
        )
        print(
            f"  cpu old / new {c_old / c_new:5.2f}; max |dDelta_0| {dd:.2e} meV, "
            f"max |dlambda| {dl:.2e}, state labels equal {same}/{len(old.state)}"
        )
    if kept is not None:
        _single(num, solver, *kept)


def _single(num, solver, run, gap) -> None:
    """One warm-started eigenvalue vs one seeded solve at normal pumped states (every
    recorded time after the first of the 30 K, 0.2 mJ/cm^2 run, warm-started at the
    previous recorded time's eigenvector)."""
    from photosc.foundation.units import KB

    errs, apps, t_eig, t_sol, its = [], [], 0.0, 0.0, []
    for k in range(1, len(run.t)):
        fe, nph = gap._inputs(run.grid, run.f[k], [run.n[k]])
        fp, nphp = gap._inputs(run.grid, run.f[k - 1], [run.n[k - 1]])
        e_prev = solver.pairing_eigenvalue(f=fp, n=nphp)
        ref = solver.pairing_eigenvalue(f=fe, n=nph, tol=1e-12)
        c = time.process_time()
        warm = solver.pairing_eigenvalue(f=fe, n=nph, v0=e_prev, tol=1e-6, early_exit=2)
        t_eig += time.process_time() - c
        c = time.process_time()
        res = solver.solve(f=fe, n=nph, warm_start=num.gap_seed, tol=num.eliashberg_tol)
        t_sol += time.process_time() - c
        errs.append(abs(warm.value - ref.value))
        apps.append(warm.iterations)
        its.append(res.iterations)
    m = len(errs)
    print(
        f"{m} single checks at the recorded normal states of 30 K, 0.2 mJ/cm^2 "
        f"(kT = {30 * KB:.3f} meV), lambda_max {np.min(run.pairing_eigenvalue):.4f} to "
        f"{np.max(run.pairing_eigenvalue):.4f}:"
    )
    print(
        f"  warm-started eigenvalue (tol 1e-6, early exit, from the previous time's "
        f"vector): max error vs ARPACK at tol 1e-12 {max(errs):.1e}, operator applications "
        f"{min(apps)}-{max(apps)} (mean {np.mean(apps):.1f}), cpu {1e3 * t_eig / m:.2f} ms each"
    )
    print(
        f"  seeded solve (seed {num.gap_seed} meV, tol {num.eliashberg_tol:g}): "
        f"{min(its)}-{max(its)} iterations, cpu {1e3 * t_sol / m:.2f} ms each; "
        f"ratio {t_sol / t_eig:.1f}"
    )


if __name__ == "__main__":
    main(*(float(x) for x in sys.argv[1:3]))
