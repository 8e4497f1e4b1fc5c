"""Collision integrals: the fused FFT path vs the NumPy FFT path vs the double loop.

Run: ``python benchmarks/bench_kinetics.py``. For the scenarios' grid sizes (544, 800
and 1,088 quasi-particle bins, 0.5 meV steps, bosons to 200 meV) it times one evaluation
of all quasi-particle and phonon collision integrals (a dynamic phonon bath plus a
classical optical pump channel, BCS gap 3 meV) by

* ``fused``: :class:`CollisionOperator` (default, ``fused=True``): batched FFTs, cached
  coherence and reservoir spectra, compiled Fourier-space products (issue 16);
* ``numpy``: ``CollisionOperator(fused=False)``, the previous NumPy path;
* ``direct``: :func:`collisions_direct`, the Numba double loop, O(N^2);

and prints the ratios direct/fused and numpy/fused and the largest differences relative
to each array's largest rate (fused vs direct, fused vs numpy). Times are process CPU
time (the machine is shared), best of several rounds of repeated calls, the three paths
interleaved in every round so that load changes hit them alike; the load average is
printed with the table. Two states: gapped (3 meV) and normal (Delta = 0, where the
fused path drops the p rows).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from photosc.cores.kinetics import (
    CollisionOperator,
    FixedGap,
    KineticSolver,
    bath_channel,
    bcs_coherence,
    collisions_direct,
    make_grid,
    phonon_bath,
)
from photosc.cores.kinetics.pump import Drive
from photosc.foundation.distributions import fermi


def _cpu(fn: Callable[[], object], calls: int) -> float:
    """CPU seconds per call of ``fn`` over ``calls`` calls."""
    t = time.process_time()
    for _ in range(calls):
        fn()
    return (time.process_time() - t) / calls


def _setup(e_max: float, delta: float):
    g = make_grid(0.5, e_max, 200.0)
    w = np.linspace(0.0, 200.0, 801)
    a2f = 0.3 * np.exp(-(((w - 60.0) / 20.0) ** 2)) + 0.5 * np.exp(-(((w - 170.0) / 8.0) ** 2))
    dos = 3.0 * a2f / np.trapezoid(a2f, w) + 1e-3
    bath = phonon_bath(g, w, a2f, dos, kT=2.6, n0_per_mev_nm3=1e-3, n_ion_nm3=80.0)
    coh = bcs_coherence(g, delta)
    f = fermi(g.energy, 2.6) + 1e-3 * np.exp(-(((g.energy - 170.0) / 5.0) ** 2))
    n = bath_channel(g, bath).gn / np.where(bath.coupling > 0, bath.coupling, 1.0) * 1.1
    chans = [bath_channel(g, bath, n), Drive(170.0, 1.0).channel(g, 0.0)]
    return g, f, coh, chans


def _rel(a, b) -> float:
    arrays = [(a.gain, b.gain), (a.loss, b.loss), (a.boson_gain[0], b.boson_gain[0])]
    arrays.append((a.boson_loss[0], b.boson_loss[0]))
    return max(float(np.max(np.abs(x - y)) / np.max(np.abs(y))) for x, y in arrays)


def main(rounds: int = 5) -> None:
    print(f"load average (1, 5, 15 min): {os.getloadavg()}; CPU time per call, best of {rounds}")
    print(
        f"{'state':>7} {'n_qp':>5} {'n_boson':>7} {'fused [ms]':>10} {'numpy [ms]':>10} "
        f"{'direct [ms]':>11} {'direct/fused':>12} {'numpy/fused':>11} {'vs direct':>9} "
        f"{'vs numpy':>9}"
    )
    for delta, state in ((3.0, "gapped"), (0.0, "normal")):
        for e_max in (272.0, 400.0, 544.0):
            g, f, coh, chans = _setup(e_max, delta)
            fused = CollisionOperator(g)
            plain = CollisionOperator(g, fused=False)
            a = fused.evaluate(f, coh, chans)  # compiles / warms the caches
            b = plain.evaluate(f, coh, chans)
            ref = collisions_direct(g, f, coh, chans)  # also compiles the kernel
            t_f = t_n = t_d = np.inf
            call_f = partial(fused.evaluate, f, coh, chans)
            call_n = partial(plain.evaluate, f, coh, chans)
            call_d = partial(collisions_direct, g, f, coh, chans)
            for _ in range(rounds):
                t_f = min(t_f, _cpu(call_f, 200))
                t_n = min(t_n, _cpu(call_n, 100))
                t_d = min(t_d, _cpu(call_d, 5))
            print(
                f"{state:>7} {g.n_qp:5d} {g.n_boson:7d} {1e3 * t_f:10.3f} {1e3 * t_n:10.3f} "
                f"{1e3 * t_d:11.2f} {t_d / t_f:12.1f} {t_n / t_f:11.2f} {_rel(a, ref):9.1e} "
                f"{_rel(a, b):9.1e}"
            )
    print(f"load average: {os.getloadavg()}")
    etd2_steps()
    print(f"load average at the end: {os.getloadavg()}")


def _solver(fused: bool, e_max: float) -> KineticSolver:
    g, _, _, _ = _setup(e_max, 3.0)
    w = np.linspace(0.0, 200.0, 801)
    a2f = 0.3 * np.exp(-(((w - 60.0) / 20.0) ** 2)) + 0.5 * np.exp(-(((w - 170.0) / 8.0) ** 2))
    dos = 3.0 * a2f / np.trapezoid(a2f, w) + 1e-3
    bath = phonon_bath(g, w, a2f, dos, kT=2.6, n0_per_mev_nm3=1e-3, n_ion_nm3=80.0)
    drive = Drive(170.0, 0.5, tau=0.1, t0=0.3)
    s = KineticSolver(g, [bath], FixedGap(3.0), [drive])
    s.op = CollisionOperator(g, fused=fused)  # the path under test
    s.start(kT=2.6)
    return s


def etd2_steps(n_steps: int = 60, rounds: int = 3) -> None:
    """CPU time per ETD2 step call (accepted or rejected; two collision evaluations each)
    of a pumped run, fused vs NumPy collision path, and the largest difference of f."""
    print(f"ETD2 steps of a pumped run (FixedGap 3 meV, {n_steps} accepted steps), CPU per step")
    print(f"{'n_qp':>5} {'fused [ms]':>10} {'numpy [ms]':>10} {'numpy/fused':>11} {'max |df|':>9}")
    for e_max in (272.0, 544.0):
        best = {True: np.inf, False: np.inf}
        final = {}
        for _ in range(rounds):
            for fused in (True, False):
                s = _solver(fused, e_max)
                t = time.process_time()
                for _ in range(n_steps):
                    s.step()
                cpu = (time.process_time() - t) / (s.steps + s.rejected)
                best[fused] = min(best[fused], cpu)
                final[fused] = s.state.f
        diff = float(np.max(np.abs(final[True] - final[False])))
        print(
            f"{s.grid.n_qp:5d} {1e3 * best[True]:10.3f} {1e3 * best[False]:10.3f} "
            f"{best[False] / best[True]:11.2f} {diff:9.1e}"
        )


if __name__ == "__main__":
    main()
