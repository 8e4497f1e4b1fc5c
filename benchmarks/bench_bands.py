"""One paper-002 steady-state solve: photosc's bands path vs a plain solve_ivp reference.

Run: ``python benchmarks/bench_bands.py [dk]`` (default dk = 0.01, 41 k points; the
paper's dk = 2e-3 takes minutes for the reference).

* fast: compiled right-hand side (Numba kernels for the coherent part and the
  Wick-factorised bilinear dissipators), DOP853, integration to ``t_settle`` then
  Newton refinement of the steady state in the co-rotating frame;
* reference: the same equations with the vectorised NumPy right-hand side
  (``BilinearJumps.add_rhs_reference``, ``coherent_rhs``) integrated by plain
  ``scipy.integrate.solve_ivp`` (RK45) at the same tolerances to ``t_ref`` until
  |Delta| has settled to the same precision.

Prints both times, their ratio, and the agreement of |Delta| and the populations.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

from photosc.cores import bands
from photosc.models.interband_pairing import InterbandNumerics, PhaseParams, _build

PARAMS = PhaseParams(rabi=0.25, interaction=5.0, gamma_ph=0.02, gamma_rr=0.002, seed=1e-8)
RTOL, ATOL = 1e-7, 1e-9


def reference_rhs(eom: bands.MeanFieldEOM):
    """Plain NumPy right-hand side of the same equations."""
    minus = eom.system.minus
    h = eom.system.hamiltonian()

    def f(t: float, y: np.ndarray) -> np.ndarray:
        n, s = eom.packing.unpack(y)
        delta = eom.coupling.gap(s[..., 1, 0])
        dn, ds = bands.coherent_rhs(h, delta, n, s, minus)
        for dis in eom.dissipators:
            dis.add_rhs_reference(n, s, dn, ds)
        return eom.packing.pack_derivative(dn, ds)

    return f


def main() -> None:
    dk = float(sys.argv[1]) if len(sys.argv) > 1 else 0.01
    num = InterbandNumerics(dk=dk, rtol=RTOL, atol=ATOL)
    eom = _build(PARAMS, num, PARAMS.gamma_rr)
    nk = eom.packing.nk
    y0 = eom.packing.pack(bands.ground_state(nk, PARAMS.seed * (1 + 1j)))
    atol = np.full(eom.packing.size, ATOL)
    atol[4 * nk :] = 1e-3 * PARAMS.seed
    eom(0.0, y0)  # compile

    # fast path: integrate until the gap has formed, then Newton
    t0 = time.perf_counter()
    tr = bands.integrate(eom, y0, np.linspace(0, 1500.0, 151), rtol=RTOL, atol=atol)
    d = np.abs(eom.gap(eom.packing.unpack(tr.y[:, -2:]))[:, 0])
    rot = np.angle(
        eom.gap(eom.packing.unpack(tr.y[:, -1]))[0] / eom.gap(eom.packing.unpack(tr.y[:, -2]))[0]
    ) / (tr.t[-1] - tr.t[-2])
    ss = bands.refine_steady_state(eom, tr.y[:, -1], shift_guess=-0.5 * rot)
    t_fast = time.perf_counter() - t0
    e2 = eom.with_shift(ss.shift)
    d_fast = float(np.abs(e2.gap(e2.packing.unpack(ss.y))[0]))

    # reference: plain solve_ivp with the NumPy RHS until |Delta| is steady to 1e-6
    f = reference_rhs(eom)
    t0 = time.perf_counter()
    t_end, y, d_ref, d_prev = 0.0, y0, 0.0, -1.0
    while abs(d_ref - d_prev) > 1e-6 * max(d_ref, 1e-12) and t_end < 40000:
        sol = solve_ivp(f, (t_end, t_end + 1500.0), y, method="RK45", rtol=RTOL, atol=atol)
        t_end, y = sol.t[-1], sol.y[:, -1]
        d_prev, d_ref = d_ref, float(np.abs(eom.gap(eom.packing.unpack(y))[0]))
    t_ref = time.perf_counter() - t0
    n_ref = eom.packing.unpack(y).n
    n_fast = e2.packing.unpack(ss.y).n
    print(f"paper-002 steady state, {nk} k points, rtol {RTOL:g}, atol {ATOL:g}")
    print(f"  fast (Numba RHS, DOP853 to t=1500, Newton): {t_fast:8.2f} s  |Delta| = {d_fast:.8f}")
    print(f"  reference (NumPy RHS, RK45 to t={t_end:.0f}):  {t_ref:8.2f} s  |Delta| = {d_ref:.8f}")
    print(f"  ratio reference / fast: {t_ref / t_fast:.1f}")
    print(f"  |Delta| relative difference: {abs(d_fast - d_ref) / d_ref:.2e}")
    print(f"  max population difference: {np.abs(n_fast - n_ref).max():.2e}")
    print(f"  (|Delta| at t=1500 before Newton: {d[-1]:.8f})")


if __name__ == "__main__":
    main()
