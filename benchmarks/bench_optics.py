"""Benchmark: conductivity on a probe grid + film, vectorised vs direct quad references.

One "optics time step" of a pump-probe run: sigma(omega) at n_w probe frequencies for a
given gap and occupation (Mattis-Bardeen), index, film R and T. The fast path is
:func:`photosc.cores.optics.mattis_bardeen` (substitution Gauss-Legendre, vectorised
over omega) + :func:`photosc.cores.optics.stack`. Its speed is stated against two
``scipy.integrate.quad`` references of the same integrals, one frequency at a time
(:func:`photosc.cores.optics.reference.mattis_bardeen_quad`, QUADPACK's algebraic
end-point weights at the gap edges):

* ``quad, tight``: the reference as the tests use it (``epsabs`` 1e-12, ``epsrel``
  1e-10, ``limit`` 400), far more accurate than needed; a ratio against it flatters the
  fast path;
* ``quad, default``: the same calls at scipy's default tolerance (``epsabs`` =
  ``epsrel`` = 1.49e-8, ``limit`` 50), what a plain implementation would use.

The fast path is timed at its default ``n_quad`` = 256 and at ``n_quad`` = 64; every
row prints its largest difference from the tight reference, so a ratio can be read at
equal accuracy. Times are process CPU times (best of several runs, same process).
Also times the Nam form (no quad reference; its accuracy is shown against a run with
twice the nodes). Last, the cost of one optics time step (sigma at one probe frequency
from a tabulated f on the kinetic grid, index, film) is compared with one
collision-integral evaluation of the kinetics core for Pb (an ETD2 step takes two),
issue 8 section 4.

Run: ``python benchmarks/bench_optics.py``
"""

from __future__ import annotations

import time
from unittest import mock

import numpy as np
from scipy.integrate import quad

from photosc.cores.optics import (
    bcs_gap_function,
    complex_index,
    conductivity_si,
    mattis_bardeen,
    mattis_bardeen_batch,
    nam_conductivity,
    single_film,
    stack,
    thermal_occupation,
)
from photosc.cores.optics import reference as optics_reference
from photosc.cores.optics.reference import mattis_bardeen_quad

DELTA = 1.35  # meV (Pb-like)
KT = 0.35  # meV (~4 K)
RHO_N = 350.0  # Ohm nm
THICKNESS = 10.0  # nm
N_SUB = 3.42


def _default_quad(func, a, b, **kw):
    """``scipy.integrate.quad`` with the reference's tolerances dropped (scipy defaults)."""
    for key in ("epsabs", "epsrel", "limit"):
        kw.pop(key, None)
    return quad(func, a, b, **kw)


def sigma_quad(w: np.ndarray, occ, *, tight: bool) -> np.ndarray:
    """Mattis-Bardeen sigma/sigma_N by ``quad`` per frequency, tight or default tolerance."""
    e_max = w.max() + 40 * DELTA

    def one() -> np.ndarray:
        return np.array([mattis_bardeen_quad(x, DELTA, occ, energy_max=e_max) for x in w])

    if tight:
        return one()
    with mock.patch.object(optics_reference, "quad", _default_quad):
        return one()


def sigma_fast(w: np.ndarray, occ, n_quad: int) -> np.ndarray:
    """The fast path's sigma/sigma_N at ``n_quad`` nodes per integral."""
    return mattis_bardeen(w, DELTA, occ, energy_max=w.max() + 40 * DELTA, n_quad=n_quad)


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
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out


def main() -> None:
    occ = thermal_occupation(KT)
    w = DELTA * np.linspace(0.1, 8.0, 50)
    fast(w, occ)  # warm the Gauss-Legendre cache
    t_fast, (s_f, t_f) = best_of(lambda: fast(w, occ), 5)
    t_ref, (s_r, t_r) = best_of(lambda: reference(w, occ), 1)
    print(f"probe grid: {w.size} frequencies, Delta = {DELTA} meV, kT = {KT} meV")
    print(f"fast (vectorised MB + stack): {t_fast * 1e3:8.2f} ms")
    print(f"reference (tight quad per omega + per-omega film): {t_ref * 1e3:8.2f} ms")
    print(f"speed-up against the tight-quad reference (CPU): {t_ref / t_fast:6.1f} x")
    print(f"max |sigma_fast - sigma_quad|: {np.max(np.abs(s_f - s_r)):.2e}")
    print(f"max relative transmittance difference: {np.max(np.abs(t_f / t_r - 1)):.2e}")
    mb_against_quad(occ)

    gap = bcs_gap_function(DELTA)

    def nam(n: int) -> np.ndarray:
        return nam_conductivity(w, gap, occ, 50.0, energy_max=1e4 * DELTA, n_quad=n)

    nam(96)
    nam(192)
    t_nam, s96 = best_of(lambda: nam(96), 3)
    s192 = nam(192)
    print(f"Nam (96 nodes x 5 pieces), {w.size} frequencies: {t_nam * 1e3:8.2f} ms")
    print(f"Nam node convergence (96 vs 192): {np.max(np.abs(s96 - s192) / np.abs(s192)):.2e}")
    kinetics_ratio()


def mb_against_quad(occ) -> None:
    """sigma only (no film): the fast path at n_quad 256 and 64 against both quad references,
    on 1, 10 and 50 probe frequencies (the fast path's fixed cost matters at few)."""
    print("Mattis-Bardeen sigma only (CPU time, same process; ratio = quad time / this time):")
    print(
        f"  {'n_w':>3s} {'method':26s} {'ms':>9s} {'vs default quad':>16s}"
        f" {'vs tight quad':>14s} {'max |dsigma| vs tight':>22s}"
    )
    for n_w in (1, 10, 50):
        w = DELTA * np.linspace(0.1, 8.0, 50)[:: 50 // n_w][:n_w] if n_w > 1 else np.array([4.0])
        t_tight, s_tight = best_of(lambda w=w: sigma_quad(w, occ, tight=True), 2)
        t_plain, s_plain = best_of(lambda w=w: sigma_quad(w, occ, tight=False), 3)
        rows = [
            ("quad, tight (1e-12/1e-10)", t_tight, s_tight),
            ("quad, default", t_plain, s_plain),
        ]
        for n_quad in (256, 64):
            sigma_fast(w, occ, n_quad)  # warm the node cache
            t, s = best_of(lambda w=w, n_quad=n_quad: sigma_fast(w, occ, n_quad), 20)
            rows.append((f"fast, n_quad {n_quad}", t, s))
        for name, t, s in rows:
            print(
                f"  {n_w:3d} {name:26s} {t * 1e3:9.3f} {t_plain / t:16.1f} {t_tight / t:14.1f}"
                f" {np.max(np.abs(s - s_tight)):22.1e}"
            )


def kinetics_ratio() -> None:
    from photosc.cores import spectra
    from photosc.cores.kinetics import CollisionOperator, bath_channel, bcs_coherence, make_grid
    from photosc.cores.kinetics.baths import phonon_bath
    from photosc.cores.optics import tabulated_occupation
    from photosc.foundation.distributions import fermi

    pb = spectra.builtin("Pb")
    mat = pb.material
    grid = make_grid(0.02, 60.0, float(pb.omega[-1]))
    bath = phonon_bath(
        grid,
        pb.omega,
        pb.a2f,
        pb.f_dos,
        kT=KT,
        n0_per_mev_nm3=mat.n0_per_ev_nm3 * 1e-3,
        n_ion_nm3=mat.n_ion_nm3,
    )
    coh = bcs_coherence(grid, DELTA)
    f = fermi(grid.energy, KT)
    op = CollisionOperator(grid)
    chans = [bath_channel(grid, bath)]
    op.evaluate(f, coh, chans)
    t_kin, _ = best_of(lambda: op.evaluate(f, coh, chans), 5)
    w_probe = np.array([5.0])  # meV, the Pb probe of paper 001 Fig. 2c

    def optics_step(n_quad: int) -> float:
        occ = tabulated_occupation(grid.energy, f)
        s = mattis_bardeen(w_probe, DELTA, occ, energy_max=59.0, n_quad=n_quad)
        n = complex_index(conductivity_si(s, RHO_N), w_probe)
        return float(stack(n[:, None], [THICKNESS], w_probe, n_substrate=N_SUB).transmittance[0])

    n_t = 200
    deltas = np.full(n_t, DELTA)
    table = np.repeat(f[None, :], n_t, axis=0)

    def optics_batch(n_quad: int) -> np.ndarray:
        s = mattis_bardeen_batch(
            w_probe, deltas, grid.energy, table, energy_max=59.0, n_quad=n_quad
        )
        n = complex_index(conductivity_si(s, RHO_N), w_probe)
        return stack(n[..., None], [THICKNESS], w_probe, n_substrate=N_SUB).transmittance

    print(f"kinetics: one collision evaluation on {grid.n_qp} qp bins: {t_kin * 1e3:8.3f} ms")
    for n_quad in (256, 64):
        optics_step(n_quad)
        optics_batch(n_quad)
        t_opt, _ = best_of(lambda n_quad=n_quad: optics_step(n_quad), 20)
        t_bat, _ = best_of(lambda n_quad=n_quad: optics_batch(n_quad), 3)
        print(
            f"optics step (1 probe frequency + film, n_quad={n_quad}): "
            f"single {t_opt * 1e3:7.3f} ms "
            f"(collision/optics {t_kin / t_opt:5.1f}), batched over {n_t} steps "
            f"{t_bat / n_t * 1e3:7.3f} ms/step (collision/optics {t_kin * n_t / t_bat:5.1f})"
        )


if __name__ == "__main__":
    main()
