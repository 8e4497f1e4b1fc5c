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

Issue 16 (``--points``): one point of the paper-002 phase diagram (scenario
``interband-phase-diagram``: Gamma^ph = 0.02, Gamma^rr = 0.002, A = 7, 24, seed 1e-8,
t_max = 1500 continued up to 3 times, rtol 1e-6, normal state on), the path before
issue 16 (``solve_point(..., reference=True)``: a dense finite-difference Jacobian for
every Newton step, every failed refinement run to 30 steps, the unpaired run integrated
and refined a second time) against the default path (structured Jacobian reused across
chord steps, stalled refinements stopped, the unpaired run taken over from the seeded
one). Process CPU time of each, their ratio and the agreement of the observables, on a
paired, an unpaired steady and an unsettled weakly driven point. ``--sweep N``: the new
path on N points of the 12 x 12 grid's diagonal (each Omega and each V once) and the
12 x 12 wall time extrapolated from their mean CPU time on 2 cores (one point per core).

Run: ``python benchmarks/bench_bands.py --points [dk] [--sweep N] [--no-reference]
[--slow-reference]`` (the last: also the old path on the unsettled point below dk = 5e-3).

Issue 16 (``--rhs``): one right-hand side of the phase-diagram equations (a paired point,
Omega 0.03, V 3) as one compiled call (``MeanFieldEOM._single``: the gap in NumPy, then
unpacking, pairing, coherent part, every bilinear bath and packing in
``single_rhs_kernel``) against the per-kernel path before it
(``MeanFieldEOM._single_reference``: the same kernels, one call each), CPU time per call
over many calls in the same run, and their largest difference (0: bit for bit). Run:
``python benchmarks/bench_bands.py --rhs [dk]``.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

from photosc.cores import bands
from photosc.models.interband_pairing import InterbandNumerics, PhaseParams, _build, solve_point

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


SCENARIO = dict(
    gamma_ph=0.02, gamma_rr=0.002, a1=7.0, a2=24.0, k_cutoff=0.2, phonon_velocity=0.25, seed=1e-8
)
RABI = [0.005, 0.01, 0.015, 0.02, 0.03, 0.045, 0.06, 0.08, 0.11, 0.15, 0.2, 0.3]
INTERACTION = list(np.linspace(0.5, 6.0, 12))
POINTS = {"paired": (0.3, 5.0), "unpaired steady": (0.3, 2.5), "unsettled": (0.005, 1.0)}
COMPARED = (
    "abs_delta_steady",
    "gap_frequency",
    "max_growth_rate",
    "normal_state_pair_growth_rate",
)


def _scenario_numerics(dk: float) -> InterbandNumerics:
    return InterbandNumerics(dk=dk, t_max=1500.0, n_times=151, rtol=1e-6, normal_state=True)


def _cpu_point(rabi: float, interaction: float, num: InterbandNumerics, reference: bool):
    params = PhaseParams(rabi=rabi, interaction=interaction, **SCENARIO)
    t0 = time.process_time()
    res = solve_point(params, num, reference=reference)
    return time.process_time() - t0, res


def bench_points(dk: float, sweep: int, with_reference: bool) -> None:
    """Issue 16: per-point CPU time, old path vs new, and the 12 x 12 extrapolation."""
    import os

    num = _scenario_numerics(dk)
    _cpu_point(0.3, 1.0, _scenario_numerics(0.01).model_copy(update={"t_max": 10.0}), False)
    print(f"paper-002 phase-diagram points, dk = {dk:g} (CPU seconds, process time)")
    print(f"  load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for name, (rabi, v) in POINTS.items():
        c_new, new = _cpu_point(rabi, v, num, False)
        line = f"  {name:16s} Omega={rabi:<6g} V={v:<4g} new {c_new:7.2f} s"
        slow = name == "unsettled" and dk < 0.005 and "--slow-reference" not in sys.argv
        if with_reference and slow:
            line += "  old: skipped (1.5 min CPU at dk = 2e-3; --slow-reference runs it)"
        elif with_reference:
            c_old, old = _cpu_point(rabi, v, num, True)
            diffs = ", ".join(f"{k} {abs(new[k] - old[k]):.1e}" for k in COMPARED)
            same = all(new[k] == old[k] for k in ("behaviour", "refined", "steady_state_stable"))
            line += f"  old {c_old:7.2f} s  old/new {c_old / c_new:5.2f}"
            line += f"\n      |new - old|: {diffs}; verdicts equal: {same}"
        print(line + f"  [{new['behaviour']}, |Delta| = {new['abs_delta_steady']:.3g}]")
    if sweep:
        cpu, cpu_old = [], []
        sweep_reference = with_reference and dk >= 0.005
        for i in np.linspace(0, 11, sweep).round().astype(int):
            c, res = _cpu_point(RABI[i], INTERACTION[i], num, False)
            cpu.append(c)
            line = f"  sweep Omega={RABI[i]:<6g} V={INTERACTION[i]:<5.3g} new {c:7.2f} s"
            if sweep_reference:
                c_old, old = _cpu_point(RABI[i], INTERACTION[i], num, True)
                cpu_old.append(c_old)
                d = abs(res["abs_delta_steady"] - old["abs_delta_steady"])
                line += f"  old {c_old:7.2f} s  old/new {c_old / c:5.2f}  |d|Delta|| {d:.1e}"
                line += f"  verdict equal: {res['behaviour'] == old['behaviour']}"
            print(line + f"  [{res['behaviour']}]")
        mean = float(np.mean(cpu))
        print(
            f"  12 x 12 estimate: 144 x {mean:.2f} s / 2 cores = {144 * mean / 2:.0f} s "
            f"({144 * mean / 2 / 60:.1f} min wall on an idle 2-core machine)"
        )
        if cpu_old:
            print(f"  sweep sample total old/new: {sum(cpu_old) / sum(cpu):.2f}")


def bench_rhs(dk: float, calls: int = 20000) -> None:
    """CPU time per right-hand side call, one compiled call against the per-kernel path."""
    num = _scenario_numerics(dk)
    params = PhaseParams(rabi=0.03, interaction=3.0, **SCENARIO)
    eom = _build(params, num, params.gamma_rr)
    y = np.random.default_rng(0).normal(scale=0.1, size=eom.packing.size)
    diff = float(np.abs(eom(0.0, y) - eom._single_reference(y)).max())
    per = {}
    for name, fn in (("per-kernel", eom._single_reference), ("one call", eom._single)):
        fn(y)
        best = np.inf
        for _ in range(3):
            t0 = time.process_time()
            for _ in range(calls):
                fn(y)
            best = min(best, (time.process_time() - t0) / calls)
        per[name] = best
    print(f"paper-002 right-hand side, {eom.packing.nk} k points, CPU per call (best of 3):")
    print(f"  per-kernel path (before issue 16): {per['per-kernel'] * 1e6:7.1f} us")
    print(f"  one compiled call:                 {per['one call'] * 1e6:7.1f} us")
    print(f"  ratio: {per['per-kernel'] / per['one call']:.2f}; largest difference {diff:.1e}")


def main() -> None:
    if "--rhs" in sys.argv:
        args = [a for a in sys.argv[1:] if not a.startswith("--")]
        bench_rhs(float(args[0]) if args else 0.01)
        return
    if "--points" in sys.argv:
        args = [a for a in sys.argv[1:] if not a.startswith("--")]
        sweep = 0
        if "--sweep" in sys.argv:
            sweep = int(sys.argv[sys.argv.index("--sweep") + 1])
            args.remove(str(sweep))
        dk = float(args[0]) if args else 0.01
        bench_points(dk, sweep, "--no-reference" not in sys.argv)
        return
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
