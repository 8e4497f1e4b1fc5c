"""Benchmark: optics of one time step vs the kinetics step it follows (issue 8, section 4).

A Pb pump-probe run (paper 001 Fig. 2c set-up, 0.1 meV grid, pump injected at 30 meV to
keep the run short) is integrated with the kinetics core (Chang-Scalapino collisions,
dynamic phonons, real-axis Eliashberg gap updates). Then, for every recorded state, the
probe optics -- sigma(omega) at the probe energies from the kinetic f(E, t) and gap,
index, film R and T, dT/T (what :func:`photosc.models.pump_probe.probe_conductivity`
and :func:`photosc.cores.optics.film_trace` do) -- are timed for 1 probe energy (Fig. 2c),
a 40-point and a 60-point spectrum (the photoinduced-optics-k3c60 scenario's count),
with

* ``batch``: :func:`photosc.cores.optics.mattis_bardeen_batch` (compiled substitution
  quadrature, panels at the injection steps; the model's path),
* ``grid``: :func:`photosc.cores.optics.mattis_bardeen_grid` (FFT correlations on the
  kinetic grid, all probe energies at once),
* ``reference``: the simple reference, one :func:`photosc.cores.optics.mattis_bardeen`
  call per state with :func:`photosc.cores.optics.tabulated_occupation` (NumPy, the
  same quadrature as ``batch``),
* ``nam``: :func:`photosc.cores.optics.nam_conductivity` per state with the tabulated
  Eliashberg gap function of Pb at 4 K (:class:`photosc.cores.eliashberg.EliashbergSolver`,
  set up as :func:`photosc.models.pump_probe.equilibrium_gap` does) and the impurity
  rate of the model (857 meV); its accuracy is shown against twice the nodes.

Printed per method: optics time per state (film included), the ratio kinetic step /
optics, and the largest differences of sigma/sigma_N and of dT/T from the reference and
from the exact integrals of the tabulated f (``mattis_bardeen_batch`` with a panel edge
at every bin centre, where the piecewise-linear table has its kinks).

Run: ``python benchmarks/bench_pump_probe.py``
"""

from __future__ import annotations

import os
import resource
from collections.abc import Callable

import numpy as np

from photosc.cores import optics
from photosc.models import pump_probe as pp

RHO_PB = 350.0  # Ohm nm, paper 001 SI Table 1
GAMMA_PB = 857.0  # meV, impurity rate of the pump-probe model for Pb (Drude estimate)
THICKNESS = 10.0  # nm
N_SUB = 3.42
N_QUAD = 96
N_QUAD_NAM = 96
INJECTION = 30.0  # meV


def cpu_s() -> float:
    """CPU time [s] of this process and of the worker processes it has waited for: on a
    shared machine, unlike wall time, not inflated by other jobs."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def film_dt(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    """dT/T of the film for sigma/sigma_N (n_t, n_w), against the first state."""
    sig = optics.conductivity_si(s, RHO_PB)[..., None]
    return optics.film_trace(sig, w, [THICKNESS], n_substrate=N_SUB).d_t_over_t


def one_step(conductivity: Callable[[np.ndarray], np.ndarray], w: np.ndarray) -> np.ndarray:
    """The optics of every recorded state: sigma at the probe energies, then the film."""
    s = conductivity(w)
    film_dt(s, w)
    return s


def best_of(fn: Callable[[], np.ndarray], repeat: int) -> tuple[float, np.ndarray]:
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = cpu_s()
        out = fn()
        best = min(best, cpu_s() - t0)
    return best, out


def eliashberg_gap() -> optics.GapFunction:
    """Pb at 4 K on the real axis, continued beyond the solver grid as the model does."""
    from photosc.cores import spectra
    from photosc.cores.eliashberg import EliashbergSolver
    from photosc.foundation.units import KB

    sp = spectra.builtin("Pb")
    step = 0.1
    w_el = max(sp.mu_star_cutoff or 0.0, 5 * float(sp.omega[-1])) + step
    kw = {"omega_c": sp.mu_star_cutoff} if sp.mu_star_cutoff is not None else {}
    mu = sp.mu_star if sp.mu_star is not None else 0.1
    solver = EliashbergSolver(sp.omega, sp.a2f, mu, omega_max=w_el, step=step, **kw)
    res = solver.solve(kT=4.0 * KB)
    e, d, z = solver.omega, res.delta, res.z
    top = float(e[-1])  # beyond: Delta = 0, E (Z - 1) held (pump_probe.nam_gap_function)
    x = np.geomspace(top * 1.0001, 1000.0, 64)
    e = np.concatenate([e, x])
    d = np.concatenate([d, np.zeros(x.size, dtype=complex)])
    z = np.concatenate([z, 1.0 + (z[-1] - 1.0) * top / x])
    return optics.tabulated_gap_function(e, d, z, edge=float(res.delta0))


def main() -> None:
    print(f"load: {os.getloadavg()[0]:.2f} (1-min average) on {os.cpu_count()} cores")
    delays = np.concatenate([[-6.0], np.linspace(-4.0, 20.0, 13), np.geomspace(25, 2000, 16)])
    t0 = cpu_s()
    trace = pp.run_kinetics(
        "Pb",
        4.0,
        injection_energy=INJECTION,
        tau_pump=2.0,
        energy_density=6e-4,
        tau_esc=500.0,
        delays=delays,
        step=0.1,
        e_max=60.0,
        rtol=1e-3,
        gap_tol=1e-6,
    )
    t_kin = cpu_s() - t0
    n_t = delays.size
    per_step = t_kin / trace.steps
    print(
        f"kinetics: {trace.steps} accepted steps, {n_t} recorded delays, {t_kin:.2f} s: "
        f"{1e3 * per_step:.2f} ms per accepted step, {1e3 * t_kin / n_t:.2f} ms per delay"
    )
    e, d = trace.energy, trace.delta0
    f = np.clip(trace.f, 0.0, 1.0)
    e_max = trace.energy_top + 1e-6
    bp = tuple(b for b in (INJECTION, 2 * INJECTION) if b < trace.energy_top)
    gap = eliashberg_gap()

    def batch(w: np.ndarray) -> np.ndarray:
        return optics.mattis_bardeen_batch(
            w, d, e, f, energy_max=e_max, n_quad=N_QUAD, above=0.0, breakpoints=bp
        )

    def grid(w: np.ndarray) -> np.ndarray:
        return optics.mattis_bardeen_grid(w, d, e, f)

    def reference(w: np.ndarray) -> np.ndarray:
        rows = [
            optics.mattis_bardeen(
                w,
                dk,
                optics.tabulated_occupation(e, fk),
                energy_max=e_max,
                n_quad=N_QUAD,
                breakpoints=bp,
            )
            for dk, fk in zip(d, f)
        ]
        return np.array(rows)

    def exact(w: np.ndarray) -> np.ndarray:
        return optics.mattis_bardeen_batch(w, d, e, f, energy_max=e_max, n_quad=10, breakpoints=e)

    def nam(w: np.ndarray, n_quad: int = N_QUAD_NAM) -> np.ndarray:
        rows = [
            optics.nam_conductivity(
                w,
                gap,
                optics.tabulated_occupation(e, fk),
                GAMMA_PB,
                energy_max=e_max,
                n_quad=n_quad,
                breakpoints=(0.0, *bp),
            )
            for fk in f
        ]
        return np.array(rows)

    print(
        f"{'probes':>6} {'method':>9} {'optics/state':>13} {'kin step/':>10} "
        f"{'max|dsigma|':>12} {'max|d dT/T|':>12} {'max|dsigma|':>12}"
    )
    print(
        f"{'':>6} {'':>9} {'[ms]':>13} {'optics':>10} {'vs reference':>12} "
        f"{'vs reference':>12} {'vs exact':>12}"
    )
    for w in (np.array([5.0]), np.geomspace(1.0, 20.0, 40), np.geomspace(2.0, 100.0, 60)):
        timed = {}
        for name, fn, repeat in (
            ("batch", batch, 3),
            ("grid", grid, 3),
            ("reference", reference, 1),
        ):
            fn(w)  # warm-up (compilation, caches)
            timed[name] = best_of(lambda fn=fn, w=w: one_step(fn, w), repeat)
        ref = timed["reference"][1]
        ex = exact(w)
        dt_ref = film_dt(ref, w)
        for name, (t, s) in timed.items():
            per_state = t / n_t
            print(
                f"{w.size:>6d} {name:>9} {1e3 * per_state:>13.3f} {per_step / per_state:>10.1f} "
                f"{np.max(np.abs(s - ref)):>12.2e} "
                f"{np.max(np.abs(film_dt(s, w) - dt_ref)):>12.2e} "
                f"{np.max(np.abs(s - ex)):>12.2e}"
            )
        nam(w)
        t_nam, s_nam = best_of(lambda w=w: one_step(nam, w), 1)
        s_fine = nam(w, 2 * N_QUAD_NAM)
        per_state = t_nam / n_t
        print(
            f"{w.size:>6d} {'nam':>9} {1e3 * per_state:>13.3f} {per_step / per_state:>10.1f} "
            f"{'n_quad ' + str(N_QUAD_NAM) + ' vs ' + str(2 * N_QUAD_NAM) + ':':>25} "
            f"{np.max(np.abs(s_nam - s_fine)):>12.2e}"
        )
    signal = np.max(np.abs(film_dt(batch(np.array([5.0])), np.array([5.0]))))
    print(f"pump signal for scale: max |dT/T| at 5 meV = {signal:.2e}")
    print(f"load: {os.getloadavg()[0]:.2f} (1-min average)")


if __name__ == "__main__":
    main()
