"""The issue-16 target rows, each timed once on this machine, against its target.

Run: ``python benchmarks/bench_targets.py [--only NAME ...]``. Prints, per row, the wall and
CPU time (this process and the worker processes it waited for), the target, and the load
average before and after, so that a number measured beside other jobs says so:

* ``k3c60-run``: one K3C60 3-ps Eliashberg-consistent pump run (the photoinduced-gap-k3c60
  point at 30 K, 170 meV, 1.1 mJ/cm^2, printed pump, 0.5 meV grid); target 10 s;
* ``lah10-trace``: one LaH10 dR/R0 trace, single layer, 5 ps (the pump-probe-lah10
  parameters at 6.2 mJ/cm^2, tau_esc 500 fs, 2 meV grid); target 10 s;
* ``k3c60-map``: a 5 x 5 photo-induced-gap map (pump energy 50-170 meV x fluence 0.3-3
  mJ/cm^2, 2 ps, 1 meV grid, 30 K) of the K3C60 card; target 60 s;
* ``nb-map``: the same for the Nb card (with Nb-like N(0) and ion density, which the card
  lacks: :data:`NB_LIKE`) with pumps 20-80 meV at 30 K; target 20 s.

With ``--compare`` each row is run a second time on the kinetics before the issue-16
changes (ETD2 in place of ETDRK4, the pairing eigenvalue at every normal-state check in
place of its sensitivity bound, the gap solves warm-started at the last solution in place
of the secant, each with a fresh Anderson history; :func:`old_kinetics`), in the same
process, and the ratio is printed. With ``--history`` each row is run a second time with
only the kept Anderson history off (``EliashbergGap(keep_history=False)``,
:func:`fresh_history`), and the ratio and the evaluations per gap solve of both runs
are printed (the in-process rows; a map's solves run in its workers).

The maps run as ``photosc.sweep`` over the photoinduced-gap-map scenario with the local
worker pool (all cores). The issue asks for maps "from an alpha^2F text file": the built-in
cards are read through the same material-card path as a user's file, so the file's parsing
(milliseconds) is the only difference. No reference is timed here: the ratios against the
pre-issue-16 code are in the other scripts (bench_photoinduced, bench_kinetics,
bench_eliashberg, bench_normal_check, bench_bands) and in bench_reproduce.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from unittest import mock

import numpy as np


def _cpu() -> float:
    """CPU seconds of this process and of its waited-for children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime


@contextlib.contextmanager
def old_kinetics():
    """The kinetics before the ETDRK4 / sensitivity-bound / secant changes of issue 16:
    every KineticSolver on ``method="etd2"``, every EliashbergGap with
    ``bound_safety=None``, ``extrapolate=False`` and ``keep_history=False`` (the
    calibration's loose trials keep the new rule for holding the gap)."""
    from dataclasses import replace

    from photosc.cores.kinetics import gap, solver

    init_s, init_g = solver.KineticSolver.__init__, gap.EliashbergGap.__init__

    def s_init(self, *args, **kwargs):
        init_s(self, *args, **kwargs)
        self.options = replace(self.options, method="etd2")

    def g_init(self, *args, **kwargs):
        old = {"bound_safety": None, "extrapolate": False, "keep_history": False}
        init_g(self, *args, **{**kwargs, **old})

    with (
        mock.patch.object(solver.KineticSolver, "__init__", s_init),
        mock.patch.object(gap.EliashbergGap, "__init__", g_init),
    ):
        yield


@contextlib.contextmanager
def fresh_history():
    """Every EliashbergGap with ``keep_history=False``: a fresh Anderson history per gap
    solve, the rule before 2026-12-07 (everything else as now)."""
    from photosc.cores.kinetics import gap

    init_g = gap.EliashbergGap.__init__

    def g_init(self, *args, **kwargs):
        init_g(self, *args, **{**kwargs, "keep_history": False})

    with mock.patch.object(gap.EliashbergGap, "__init__", g_init):
        yield


@contextlib.contextmanager
def counting(iterations: list[int]):
    """Append the evaluations of every gap solve of this process to ``iterations``."""
    from photosc.cores.kinetics import gap

    solve = gap.EliashbergGap._solve

    def counted(self, fe, nph, warm):
        res = solve(self, fe, nph, warm)
        iterations.append(int(res.iterations))
        return res

    with mock.patch.object(gap.EliashbergGap, "_solve", counted):
        yield


def k3c60_run() -> str:
    from photosc.models import photoinduced_gap as pg

    params = pg.GapTransientParams(
        material="K3C60", pump_energy="170 meV", pump_duration="300 fs",
        fluence="1.1 mJ/cm^2", pump_form="printed",
    )  # fmt: skip
    num = pg.PumpNumerics(step=0.5, n_times=61)
    mat = pg.resolve_material(params)
    run = pg.simulate(mat, params, num, temperature=30.0, pump_energy=170.0, fluence=1.1)
    return (
        f"steps {run.steps}, gap updates {run.gap_updates}, max Delta_0 {run.delta0.max():.4f} meV"
    )


def lah10_trace() -> str:
    from photosc.models.pump_probe import generic as gm

    params = gm.PumpProbeParams(
        material="LaH10", temperature="77 K", fluence="6.2 mJ/cm^2", tau_esc="500 fs",
        pump_photon_energy="2000 meV", pump_duration="70 fs", probe_photon_energy="1500 meV",
        probe_duration="250 fs", geometry="thick", film_thickness="1000 nm", n_ambient=2.41,
        observable="dR/R", t_end="5 ps",
    )  # fmt: skip
    num = gm.PumpProbeNumerics(
        grid_step="2 meV", e_max="600 meV", rtol=1e-3, gap_tol=1e-6, n_times=80,
        n_quad=96, dense_until="0.6 ps",
    )  # fmt: skip
    out = gm.run_generic(params, num)
    s = out.summary
    return (
        f"peak dR/R {s['peak_signal'][0][0][0]:.3g}, min Delta_0 {s['min_delta0_meV'][0][0]:.3g}"
        f" meV, budget error {s['energy_budget_error']:.2g}"
    )


#: Nb-like data for the map's pump calibration and phonon bath, which the Nb card lacks:
#: the bcc ion density (a = 0.330 nm, 2 atoms per cell) and an N(0) of the right order. Only
#: the timing is read from this row, not the physics.
NB_LIKE = {"n0_per_ev_nm3": "50 1/(eV nm^3)", "n_ion_nm3": "55.6 nm^-3"}


def _map(material: str, pumps: list[float], overrides: dict | None = None) -> str:
    import photosc

    fixed = {"material": material, "temperature": "30 K"}
    if overrides:
        fixed["material_overrides"] = overrides
    with tempfile.TemporaryDirectory() as tmp:
        res = photosc.sweep(
            "photoinduced-gap-map",
            {"pump_energy": pumps, "fluence": list(np.geomspace(0.3, 3.0, 5))},
            out=os.path.join(tmp, "map"),
            overrides=fixed,
        )
    d = res.dataset["max_delta0_meV"].values
    return f"25 points, max Delta_0 {np.nanmax(d):.3g} meV, failed {res.summary.get('failed', 0)}"


ROWS: dict[str, tuple[Callable[[], str], float]] = {
    "k3c60-run": (k3c60_run, 10.0),
    "lah10-trace": (lah10_trace, 10.0),
    "k3c60-map": (lambda: _map("K3C60", list(np.linspace(50.0, 170.0, 5))), 60.0),
    "nb-map": (lambda: _map("Nb", list(np.linspace(20.0, 80.0, 5)), NB_LIKE), 20.0),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", choices=sorted(ROWS), help="rows to run")
    ap.add_argument(
        "--compare", action="store_true", help="also time each row on the earlier kinetics"
    )
    ap.add_argument(
        "--history",
        action="store_true",
        help="also time each row with a fresh Anderson history per gap solve",
    )
    args = ap.parse_args(argv)
    for name in args.only or list(ROWS):
        fn, target = ROWS[name]
        load0 = os.getloadavg()[0]
        iters: list[int] = []
        w, c = time.perf_counter(), _cpu()
        with counting(iters):
            note = fn()
        wall, cpu = time.perf_counter() - w, _cpu() - c
        verdict = "ok" if wall <= target else "OVER"
        print(
            f"{name:12s} wall {wall:7.1f} s  cpu {cpu:7.1f} s  target {target:5.0f} s: "
            f"{verdict}  (load {load0:.1f} -> {os.getloadavg()[0]:.1f}; {note})",
            flush=True,
        )
        if args.history:
            fresh: list[int] = []
            w0, c0 = time.perf_counter(), _cpu()
            with fresh_history(), counting(fresh):
                fresh_note = fn()
            f_wall, f_cpu = time.perf_counter() - w0, _cpu() - c0
            per = (
                f"evaluations per gap solve {np.mean(fresh):.2f} -> {np.mean(iters):.2f} "
                f"({len(iters)} solves)"
                if iters and fresh
                else "solves in worker processes"
            )
            print(
                f"{'':12s} fresh history: wall {f_wall:7.1f} s  cpu {f_cpu:7.1f} s"
                f" -> {f_wall / wall:.2f}x (wall), {f_cpu / cpu:.2f}x (cpu); {per}"
                f"  ({fresh_note}; load now {os.getloadavg()[0]:.1f})",
                flush=True,
            )
        if args.compare:
            w0, c0 = time.perf_counter(), _cpu()
            with old_kinetics():
                old_note = fn()
            old_wall, old_cpu = time.perf_counter() - w0, _cpu() - c0
            print(
                f"{'':12s} earlier kinetics: wall {old_wall:7.1f} s  cpu {old_cpu:7.1f} s"
                f" -> {old_wall / wall:.2f}x (wall), {old_cpu / cpu:.2f}x (cpu)"
                f"  ({old_note}; load now {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
