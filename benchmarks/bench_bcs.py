"""Benchmark: the BCS core's vectorised paths against straightforward quadrature references.

Three comparisons, each timed in the same run and printed with the speed ratio and the
largest difference:

1. ``equilibrium_gap`` (all temperatures at once, safeguarded Newton on Gauss-Legendre
   panels) vs a loop of ``brentq`` over ``scipy.integrate.quad`` of the gap equation
   (the textbook implementation), and vs a loop of ``solve_gap`` (Brent, one point at a
   time, same quadrature as the fast path);
2. ``free_energy`` on a 64 x 64 (Delta, T) grid vs ``quad`` of paper 000 Eq. 25 on a
   subset of the points (time per point compared);
3. ``fixed_density_state`` for 40 densities (paper 000 Fig. 4 style sweep) vs a nested
   ``brentq``/``quad`` reference on a few of them.

Run: python benchmarks/bench_bcs.py
"""

from __future__ import annotations

import math
import resource

import numpy as np
from scipy.integrate import quad
from scipy.optimize import brentq

from photosc.cores import bcs

G, W = 0.3, 30.0


def cpu_s() -> float:
    """CPU time [s] of this process and of the worker processes it has waited for: on a
    shared machine, unlike wall time, not inflated by other jobs."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _f(x: float, t: float) -> float:
    if x / t > 700:
        return 0.0
    return 1.0 / (math.exp(x / t) + 1.0)


def quad_gap_integral(d: float, lam: float, t: float) -> float:
    def integrand(xi: float) -> float:
        e = math.hypot(xi, d)
        return math.tanh((e + lam) / (2 * t)) / e

    pts = [math.sqrt(lam * lam - d * d)] if lam < -d else None
    return quad(integrand, 0.0, W, points=pts, limit=200, epsabs=1e-12, epsrel=1e-11)[0]


def quad_gap(t: float, tc: float, d0: float) -> float:
    if t >= tc:
        return 0.0
    return brentq(lambda d: G * quad_gap_integral(d, 0.0, t) - 1.0, 1e-12 * d0, d0, xtol=1e-12)


def quad_free_energy(d: float, t: float) -> float:
    def thermal(xi: float, dd: float) -> float:
        x = math.hypot(xi, dd) / t
        return t * math.log1p(math.exp(-x))

    ground = quad(lambda xi: math.hypot(xi, d) - xi, 0, W, epsabs=1e-12)[0]
    th = quad(lambda xi: thermal(xi, d) - thermal(xi, 0.0), 0, W, epsabs=1e-13, limit=200)[0]
    return d * d / G - 2 * ground - 4 * th


def quad_density(d: float, lam: float, t: float) -> float:
    pts = [math.sqrt(lam * lam - d * d)] if lam < -d else None
    return (
        4
        * quad(
            lambda xi: _f(math.hypot(xi, d) + lam, t), 0, W, points=pts, limit=200, epsabs=1e-15
        )[0]
    )


def quad_fixed_density(n: float, t: float, d0: float) -> tuple[float, float]:
    def lam_of(d: float) -> float:
        return brentq(lambda lm: math.log(quad_density(d, lm, t) / n), -20.0, 60.0, xtol=1e-12)

    def h(d: float) -> float:
        return G * quad_gap_integral(d, lam_of(d), t) - 1.0

    grid = np.linspace(1.0, 0.02, 50) * d0
    for a, b in zip(grid[1:], grid[:-1]):
        if h(a) > 0:
            d = brentq(h, a, b, xtol=1e-11)
            return d, lam_of(d)
    return 0.0, lam_of(0.0)


def timed(fn, *args):
    t0 = cpu_s()
    out = fn(*args)
    return out, cpu_s() - t0


def main() -> None:
    tc = bcs.critical_temperature(G, W)
    d0 = bcs.delta_zero(G, W)

    # 1. Delta(T)
    temps = np.linspace(0.01, 1.1, 200) * tc
    fast, t_fast = timed(bcs.equilibrium_gap, temps, G, W)
    brent, t_brent = timed(lambda: np.array([bcs.solve_gap(G, W, kT=x).delta for x in temps]))
    sub = temps[::10]
    ref, t_ref = timed(lambda: np.array([quad_gap(x, tc, d0) for x in sub]))
    per_fast = t_fast / temps.size
    print("1. equilibrium gap Delta(T), 200 temperatures")
    print(f"   vectorised Newton     {t_fast * 1e3:8.1f} ms")
    print(
        f"   solve_gap loop        {t_brent * 1e3:8.1f} ms  (x{t_brent / t_fast:.1f} slower), "
        f"max |diff| / Delta0 = {np.max(np.abs(fast - brent)) / d0:.1e}"
    )
    print(
        f"   quad + brentq loop    {t_ref / sub.size * 1e3:8.2f} ms/point vs "
        f"{per_fast * 1e3:.3f} ms/point (x{t_ref / sub.size / per_fast:.0f}), "
        f"max |diff| / Delta0 = {np.max(np.abs(fast[::10] - ref)) / d0:.1e}"
    )

    # 2. free energy on a grid
    dg = np.linspace(0, 1.5, 64)[:, None] * d0
    tg = np.linspace(0.05, 1.5, 64)[None, :] * tc
    fe, t_fe = timed(bcs.free_energy, dg, tg, G, W)
    pts = [(i, j) for i in range(1, 64, 9) for j in range(0, 64, 16)]
    ref_fe, t_ref_fe = timed(lambda: [quad_free_energy(dg[i, 0], tg[0, j]) for i, j in pts])
    diff = max(abs(fe[i, j] - r) for (i, j), r in zip(pts, ref_fe))
    per = t_fe / fe.size
    print("2. free energy (F_SC - F_N)/nu(0), 64 x 64 (Delta, T) grid")
    print(
        f"   vectorised {t_fe * 1e3:.1f} ms ({per * 1e6:.1f} us/point); quad "
        f"{t_ref_fe / len(pts) * 1e3:.2f} ms/point (x{t_ref_fe / len(pts) / per:.0f}); "
        f"max |diff| = {diff:.1e} meV^2 (scale {abs(fe.min()):.2f})"
    )

    # 3. fixed-density states
    kt = 0.9 * tc
    n_th = float(bcs.qp_density(bcs.equilibrium_gap(kt, G, W), 0.0, kt, W))
    dens = np.geomspace(1e-4, 1.4, 40) * n_th

    def sweep():
        out, guess = [], None
        for n in dens:
            s = bcs.fixed_density_state(float(n), kt, G, W, delta_guess=guess)
            out.append((s.delta, s.lam))
            guess = s.delta if s.delta > 0 else None
        return np.array(out)

    states, t_sweep = timed(sweep)
    idx = [0, 20, 39]
    ref_st, t_ref_st = timed(lambda: [quad_fixed_density(float(dens[i]), kt, d0) for i in idx])
    dd = max(abs(states[i, 0] - r[0]) for i, r in zip(idx, ref_st))
    dl = max(abs(states[i, 1] - r[1]) for i, r in zip(idx, ref_st))
    per = t_sweep / dens.size
    print("3. fixed quasi-particle density (Delta, lambda), 40 densities at T = 0.9 T_c")
    print(
        f"   sweep {t_sweep * 1e3:.0f} ms ({per * 1e3:.1f} ms/point); nested quad "
        f"{t_ref_st / len(idx) * 1e3:.0f} ms/point (x{t_ref_st / len(idx) / per:.0f}); "
        f"max |dDelta| = {dd:.1e} meV, max |dlambda| = {dl:.1e} meV"
    )


if __name__ == "__main__":
    main()
