"""Benchmark: conductivity on a probe grid + film, vectorised vs a direct quad reference.

One "optics time step" of a pump-probe run: sigma(omega) at n_w probe frequencies for a
given gap and occupation (Mattis-Bardeen), index, film R and T. The fast path is
:func:`photosc.cores.optics.mattis_bardeen` (substitution Gauss-Legendre, vectorised
over omega) + :func:`photosc.cores.optics.stack`; the reference integrates every
frequency with ``scipy.integrate.quad`` (:mod:`photosc.cores.optics.reference`) and
evaluates the film per frequency. Also times the Nam form (no quad reference; its
accuracy is shown against a run with twice the nodes).

Run: ``python benchmarks/bench_optics.py``
"""

from __future__ import annotations

import time

import numpy as np

from photosc.cores.optics import (
    bcs_gap_function,
    complex_index,
    conductivity_si,
    mattis_bardeen,
    nam_conductivity,
    single_film,
    stack,
    thermal_occupation,
)
from photosc.cores.optics.reference import mattis_bardeen_quad

DELTA = 1.35  # meV (Pb-like)
KT = 0.35  # meV (~4 K)
RHO_N = 350.0  # Ohm nm
THICKNESS = 10.0  # nm
N_SUB = 3.42


def fast(w: np.ndarray, occ) -> tuple[np.ndarray, np.ndarray]:
    s = mattis_bardeen(w, DELTA, occ, energy_max=w.max() + 40 * DELTA)
    n = complex_index(conductivity_si(s, RHO_N), w)
    film = stack(n[:, None], [THICKNESS], w, n_substrate=N_SUB)
    return s, film.transmittance


def reference(w: np.ndarray, occ) -> tuple[np.ndarray, np.ndarray]:
    s = np.array([mattis_bardeen_quad(x, DELTA, occ, energy_max=w.max() + 40 * DELTA) for x in w])
    trans = np.empty(w.size)
    for i, x in enumerate(w):
        n = complex_index(conductivity_si(s[i], RHO_N), x)
        trans[i] = single_film(n, THICKNESS, x, n_substrate=N_SUB).transmittance
    return s, trans


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    occ = thermal_occupation(KT)
    w = DELTA * np.linspace(0.1, 8.0, 50)
    fast(w, occ)  # warm the Gauss-Legendre cache
    t_fast, (s_f, t_f) = best_of(lambda: fast(w, occ), 5)
    t_ref, (s_r, t_r) = best_of(lambda: reference(w, occ), 1)
    print(f"probe grid: {w.size} frequencies, Delta = {DELTA} meV, kT = {KT} meV")
    print(f"fast (vectorised MB + stack): {t_fast * 1e3:8.2f} ms")
    print(f"reference (quad per omega + per-omega film): {t_ref * 1e3:8.2f} ms")
    print(f"speed-up: {t_ref / t_fast:6.1f} x")
    print(f"max |sigma_fast - sigma_quad|: {np.max(np.abs(s_f - s_r)):.2e}")
    print(f"max relative transmittance difference: {np.max(np.abs(t_f / t_r - 1)):.2e}")

    gap = bcs_gap_function(DELTA)

    def nam(n: int) -> np.ndarray:
        return nam_conductivity(w, gap, occ, 50.0, energy_max=1e4 * DELTA, n_quad=n)

    nam(96)
    nam(192)
    t_nam, s96 = best_of(lambda: nam(96), 3)
    s192 = nam(192)
    print(f"Nam (96 nodes x 5 pieces), {w.size} frequencies: {t_nam * 1e3:8.2f} ms")
    print(f"Nam node convergence (96 vs 192): {np.max(np.abs(s96 - s192) / np.abs(s192)):.2e}")


if __name__ == "__main__":
    main()
