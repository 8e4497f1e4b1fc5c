"""Benchmark: cavity-multimode (paper 004 Fig. 1a) vectorised vs nested scipy quad.

The fast path is the model's full run (every cavity frequency and photon temperature:
G(Omega) on Gauss-Legendre panels, one weighted sum per point, Eq. 18). The reference is
the straightforward nested quadrature of Eqs. 14 and 18,

    delta Delta/Delta_0 = -(T_c/(T_c - T_qp)) int_0^oo du
                          int_omega_0^oo dOmega W(Omega) K(Omega, Delta_0 cosh u),

(E = Delta_0 cosh u removes the edge singularity of Eq. 18) with scalar math functions
and ``scipy.integrate.quad``; it is run on a subset of the points (it takes seconds per
point) and its time per point is compared with the fast path's. Prints the speed ratio
and the largest difference.

Run: python benchmarks/bench_cavity.py
"""

from __future__ import annotations

import math
import os
import resource

from scipy.integrate import quad

os.environ.setdefault("PHOTOSC_PROGRESS", "0")

from photosc.cores import cavity as cv  # noqa: E402
from photosc.models import cavity_eliashberg as m  # noqa: E402


def cpu_s() -> float:
    """CPU time [s] of this process and of the worker processes it has waited for: on a
    shared machine, unlike wall time, not inflated by other jobs."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _nf(x: float, t: float) -> float:
    return 0.5 * (1.0 - math.tanh(0.5 * x / t))


def _nb(w: float, t: float) -> float:
    if t == 0.0:
        return 0.0
    return 1.0 / math.expm1(w / t)


def _f(om: float, e: float, d: float, t: float) -> float:
    """Eq. 15, scalar."""
    ep = e - om
    if ep <= d:
        return 0.0
    dos = 2.0 * abs(ep) / math.sqrt(ep * ep - d * d)
    return dos * 0.5 * (1.0 + d * d / (e * ep)) * (_nf(ep, t) - _nf(e, t))


def _kernel(om: float, e: float, d: float, t: float) -> float:
    return _f(om, e, d, t) + _f(-om, e, d, t) - _f(-om, -e, d, t)


def reference_gap_change(w0: float, t_cav: float, d: float, t: float, pref: float) -> float:
    """Nested quad of Eqs. 14 and 18 (multimode J, narrow line, Omega > 0)."""
    w_max = w0 + 40.0 * max(t, t_cav)

    def weight(om: float) -> float:
        return pref * w0 * (1.0 + w0 * w0 / (om * om)) * (_nb(om, t_cav) - _nb(om, t))

    def dn(e: float) -> float:
        pts = [p for p in (e - d, e + d) if w0 < p < w_max]
        return quad(
            lambda om: weight(om) * _kernel(om, e, d, t),
            w0, w_max, points=pts or None, limit=400, epsabs=1e-12, epsrel=1e-10,
        )[0]  # fmt: skip

    u_max = math.acosh((d + w_max) / d)
    u_pts = [math.acosh(x / d) for x in (w0 + d, w0 - d) if d < x < d + w_max]
    integral = quad(
        lambda u: dn(d * math.cosh(u)),
        0.0,
        u_max,
        points=u_pts or None,
        limit=200,
        epsabs=1e-10,
        epsrel=1e-8,
    )[0]
    return -integral / (1.0 - t)


def main() -> None:
    params = m.MultimodeParams()
    numerics = m.CavityNumerics(n_omega0_bcs=0)
    t0 = cpu_s()
    out = m.run_multimode(params, numerics)
    fast_s = cpu_s() - t0
    ds = out.dataset
    n_points = ds["relative_gap_change"].size
    print(f"fast path: full cavity-multimode run (GL, {n_points} points + other reading): "
          f"{fast_s:.2f} s")  # fmt: skip

    t_qp = params.t_qp_over_tc
    d0 = float(ds.attrs["delta0_over_tc"])
    pref = cv.multimode_prefactor(params.x_enhancement, params.coupling_scale)
    x = ds["omega0_over_delta0"].values
    picks = [(0, 5), (0, 25), (len(params.t_cav_over_t_qp) - 1, 45)]
    worst = 0.0
    t0 = cpu_s()
    for i, j in picks:
        ref = reference_gap_change(x[j] * d0, params.t_cav_over_t_qp[i] * t_qp, d0, t_qp, pref)
        got = float(ds["relative_gap_change"].values[i, j])
        worst = max(worst, abs(got - ref))
        print(f"  T_cav/T_qp = {params.t_cav_over_t_qp[i]:5.2f}  omega_0/Delta_0 = {x[j]:5.2f}"
              f"  fast {got:+.10f}  quad {ref:+.10f}  diff {got - ref:+.1e}")  # fmt: skip
    ref_s = (cpu_s() - t0) / len(picks)
    est = ref_s * n_points
    print(f"reference (nested quad): {ref_s:.2f} s per point -> {est:.0f} s for the full grid")
    print(f"speed ratio (reference / fast, full grid): {est / fast_s:.0f}x")
    print(f"largest |difference| of delta Delta/Delta_0: {worst:.2e}")


if __name__ == "__main__":
    main()
