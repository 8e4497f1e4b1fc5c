"""Benchmark of the real-axis Eliashberg solver (photosc.cores.eliashberg).

Times, in one run on this machine:

1. one thermal solve of Pb on the default grid (4096 real frequencies, up to 5 x the
   highest phonon energy), cold start (issue 5 target: < 0.1 s);
2. a Delta_0(T) curve of 30 temperatures with warm starts (target: < 2 s);
3. a solve with given non-thermal f(E) and n(Omega) (target: no slower than thermal);
4. 20 warm-started solves with a new f and n each (the kinetics use);
5. the FFT (Toeplitz/Hankel) path against a direct O(N^2) evaluation of the same
   discretised equations (dense kernel matrices, same iteration) on a 2048-point grid:
   speed ratio and the largest difference in Delta(omega).

Run: ``python benchmarks/bench_eliashberg.py``
"""

from __future__ import annotations

import os
import time

import numpy as np

from photosc.cores.eliashberg import EliashbergSolver
from photosc.cores.spectra import builtin
from photosc.foundation.distributions import bose, fermi
from photosc.foundation.units import KB
from photosc.models.eliashberg_equilibrium import extrapolated_start


class DirectSolver(EliashbergSolver):
    """Same equations, kernels as dense n x n matrices (the O(N^2) reference)."""

    def _dense(self):
        n = self.n
        i = np.arange(n)[:, None]
        j = np.arange(n)[None, :]
        d, e = i - j, i + j + 1
        ha, hn = self._ha, self._hilbert(self._a2f * self._nvals)

        def at(t, k):
            return t[k + self._kmax]

        t1 = -np.conj(at(hn, -d)) + at(ha, d) + at(hn, d)
        t3 = -np.conj(at(ha, -d)) - at(ha, d)
        t2 = at(hn, e) - np.conj(at(hn, -e)) - np.conj(at(ha, -e))
        t4 = at(ha, e) + np.conj(at(ha, -e))
        self._kz = (t1 + t2, t3 + t4)
        self._kp = (t2 - t1, t4 - t3)
        self._dense_key = self._n_key

    def _update(self, delta, f, z=None):
        if getattr(self, "_dense_key", None) != self._n_key:
            self._dense()
        if z is None:
            z = self._zn_current(f)
        # same cell integrals as the FFT path (N, plain P, weighted P), dense kernels
        nd, pu, pw = self._densities(delta, z)
        h = self.step
        zpart = h * (self._kz[0] @ nd + self._kz[1] @ (nd * f))
        phi = h * (self._kp[0] @ pw + self._kp[1] @ (pw * f))
        phi = phi - self.mu_star * h * float(np.sum(pw * (1.0 - 2.0 * f) * self._coul))
        znew = 1.0 - (zpart + self._tail) / self.omega
        return phi / znew, znew, nd, pu


def best_of(fn, repeat=3):
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    s = builtin("Pb")
    kt = KB * 3.8

    sol = EliashbergSolver(s.omega, s.a2f, s.mu_star)
    sol.solve(kT=kt)  # JIT compilation and tables
    t_th, r_th = best_of(lambda: sol.solve(kT=kt))
    print(
        f"[1] thermal solve, Pb, n = {sol.n}, cold start: {t_th * 1e3:.1f} ms "
        f"({r_th.iterations} iterations), Delta_0 = {r_th.delta0:.4f} meV"
    )

    tc = sol.critical_temperature()
    temps = np.linspace(0.05, 0.99, 30) * tc

    def curve():
        hist = []
        for t in temps:
            r = sol.solve(kT=KB * t, warm_start=extrapolated_start(hist, t))
            hist.append((t, r))
        return [r.delta0 for _, r in hist]

    t_curve, gaps = best_of(curve, repeat=2)
    print(
        f"[2] Delta_0(T), 30 temperatures, warm starts: {t_curve:.2f} s "
        f"(T_c = {tc:.3f} K, Delta_0 from {gaps[0]:.3f} to {gaps[-1]:.3f} meV)"
    )

    # non-thermal: hot electron tail and a phonon population bump (pump-like)
    f = fermi(sol.omega, kt) + 0.02 * np.exp(-(((sol.omega - 20.0) / 3.0) ** 2))
    w = sol.phonon_omega
    n = np.zeros_like(w)
    n[1:] = bose(w[1:], kt) + 0.05 * np.exp(-(((w[1:] - 4.4) / 0.5) ** 2))
    sol.solve(f=f, n=n)
    t_nt, r_nt = best_of(lambda: sol.solve(f=f, n=n))
    print(
        f"[3] non-thermal f and n, cold start: {t_nt * 1e3:.1f} ms ({r_nt.iterations} it.), "
        f"ratio to thermal {t_nt / t_th:.2f}, Delta_0 = {r_nt.delta0:.4f} meV"
    )

    # kinetics-like use: a new f and n at every call, warm-started (issue 7 calls this per step)
    def trajectory(steps=20):
        prev = r_th
        its = 0
        for k in range(steps):
            fk = fermi(sol.omega, kt) + 0.002 * k * np.exp(-(((sol.omega - 20.0) / 3.0) ** 2))
            nk = sol.thermal_n(kt) + 0.005 * k * np.exp(-(((w - 4.4) / 0.5) ** 2))
            prev = sol.solve(f=fk, n=nk, warm_start=prev)
            its += prev.iterations
        return its / steps

    t_traj, its_traj = best_of(trajectory, repeat=1)
    print(
        f"[5] 20 warm-started solves with new f and n each: {t_traj / 20 * 1e3:.1f} ms per "
        f"solve ({its_traj:.1f} iterations on average)"
    )

    n_ref = 2048
    fast = EliashbergSolver(s.omega, s.a2f, s.mu_star, step=sol.omega_max / n_ref)
    direct = DirectSolver(s.omega, s.a2f, s.mu_star, step=sol.omega_max / n_ref)
    fast.solve(kT=kt)
    direct.solve(kT=kt)  # builds the dense kernels once
    t_fast, r_fast = best_of(lambda: fast.solve(kT=kt))
    t_dir, r_dir = best_of(lambda: direct.solve(kT=kt), repeat=1)
    diff = float(np.max(np.abs(r_fast.delta - r_dir.delta)))
    print(
        f"[4] n = {n_ref}: FFT {t_fast * 1e3:.1f} ms, direct O(N^2) {t_dir * 1e3:.1f} ms "
        f"(kernels prebuilt), speed ratio {t_dir / t_fast:.1f}x, "
        f"max |Delta_fft - Delta_direct| = {diff:.2e} meV"
    )


if __name__ == "__main__":
    main()
