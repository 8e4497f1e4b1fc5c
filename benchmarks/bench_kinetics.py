"""Collision integrals: FFT correlations vs the direct double loop on the same grid.

Run: ``python benchmarks/bench_kinetics.py``. Prints, for a few grid sizes, the time
of one evaluation of all quasi-particle and phonon collision integrals (a dynamic phonon
bath plus an optical pump channel) by :class:`CollisionOperator` (FFT, O(N log N)) and by
:func:`collisions_direct` (Numba double loop, O(N^2)), their ratio, and the largest
difference relative to the largest rate.
"""

from __future__ import annotations

import time

import numpy as np

from photosc.cores.kinetics import (
    CollisionOperator,
    bath_channel,
    bcs_coherence,
    collisions_direct,
    make_grid,
    phonon_bath,
)
from photosc.cores.kinetics.pump import Drive
from photosc.foundation.distributions import fermi


def _best(fn, args: tuple, repeat: int) -> float:
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    print(
        f"{'n_qp':>6} {'n_boson':>8} {'fft [ms]':>10} {'direct [ms]':>12} {'ratio':>8} "
        f"{'max rel diff':>13}"
    )
    for step, e_max in ((0.5, 400.0), (0.25, 400.0), (0.1, 400.0)):
        g = make_grid(step, e_max, 200.0)
        w = np.linspace(0.0, 200.0, 801)
        a2f = 0.3 * np.exp(-(((w - 60.0) / 20.0) ** 2)) + 0.5 * np.exp(-(((w - 170.0) / 8.0) ** 2))
        dos = 3.0 * a2f / np.trapezoid(a2f, w) + 1e-3
        bath = phonon_bath(g, w, a2f, dos, kT=2.6, n0_per_mev_nm3=1e-3, n_ion_nm3=80.0)
        coh = bcs_coherence(g, 3.0)
        f = fermi(g.energy, 2.6) + 1e-3 * np.exp(-(((g.energy - 170.0) / 5.0) ** 2))
        n = bath_channel(g, bath).gn / np.where(bath.coupling > 0, bath.coupling, 1.0) * 1.1
        chans = [bath_channel(g, bath, n), Drive(170.0, 1.0).channel(g, 0.0)]
        op = CollisionOperator(g)
        fast = op.evaluate(f, coh, chans)
        ref = collisions_direct(g, f, coh, chans)  # also compiles the kernel
        t_fft = _best(op.evaluate, (f, coh, chans), 20)
        t_dir = _best(collisions_direct, (g, f, coh, chans), 3)
        diffs = [
            np.max(np.abs(a - b)) / np.max(np.abs(b))
            for a, b in (
                (fast.gain, ref.gain),
                (fast.loss, ref.loss),
                (fast.boson_gain[0], ref.boson_gain[0]),
                (fast.boson_loss[0], ref.boson_loss[0]),
            )
        ]
        print(
            f"{g.n_qp:6d} {g.n_boson:8d} {1e3 * t_fft:10.2f} {1e3 * t_dir:12.2f} "
            f"{t_dir / t_fft:8.1f} {max(diffs):13.2e}"
        )


if __name__ == "__main__":
    main()
