"""Photo-induced gap models (paper 001 Figs. 3-4, SI Fig. 8): pump term, seeded gap, runs."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from photosc.cores.kinetics import (
    bcs_coherence,
    make_grid,
    normal_coherence,
)
from photosc.cores.kinetics.gap import EliashbergGap
from photosc.foundation.distributions import fermi
from photosc.foundation.units import KB
from photosc.models import photoinduced_gap as pg

TINY = {
    "step": "2 meV",
    "n_times": 6,
    "e_max_over_pump": 1.6,
    "calibration_rtol": 0.05,
    "rtol": 1e-2,
    "atol": 1e-5,
    "normal_check_tol": 0.03,
}


@pytest.fixture(scope="module")
def k3c60():
    params = pg.GapTransientParams(temperatures=[20.0], duration="0.6 ps", pump_delay="0.3 ps")
    mat = pg.resolve_material(params)
    return params, mat, pg.make_eliashberg(mat, 2.0)


def _thermal_state(kT):
    """Kinetic grid (2 meV steps, the k3c60 solver's) with thermal f and [n] at kT (meV)."""
    g = make_grid(2.0, 300.0, 215.0)
    return g, fermi(g.energy, kT), [np.r_[0.0, 1.0 / np.expm1(g.omega[1:] / kT)]]


def test_material_and_tc0_from_si_table_1(k3c60):
    _, mat, solver = k3c60
    assert mat.n0_per_mev_nm3 == pytest.approx(5.2e-3)
    assert mat.n_ion_nm3 == 87.0
    assert pg.equilibrium_tc(mat, solver) == pytest.approx(15.0, rel=0.02)


def test_seeded_gap_leaves_the_normal_state_like_the_core(k3c60):
    """Below T_c, after a normal state: a solve warm-started at Delta = 0 stays there (a
    fixed point); the seeded update (and the core's re-seeding update) find the
    equilibrium gap of the direct solve."""
    _, _, solver = k3c60
    kT = 5.0 * KB
    g, f, n = _thermal_state(kT)
    normal = normal_coherence(g)
    previous = solver.solve(kT=50.0 * KB)  # a normal-state solution
    assert previous.delta0 == 0.0
    assert solver.solve(kT=kT, warm_start=previous).delta0 == 0.0
    expect = solver.solve(kT=kT).delta0
    assert expect > 1.5
    seeded = pg.SeededEliashbergGap(solver, kT, seed=1.0)
    seeded.last = previous
    assert seeded(g, f, n, normal).delta0 == pytest.approx(expect, rel=1e-4)
    core = EliashbergGap(solver, kT)
    core.last = previous
    assert core(g, f, n, normal).delta0 == pytest.approx(expect, rel=1e-4)
    # above T_c the seed collapses back to the normal state
    kT_hot = 20.0 * KB
    f_hot = fermi(g.energy, kT_hot)
    n_hot = [np.r_[0.0, 1.0 / np.expm1(g.omega[1:] / kT_hot)]]
    hot = pg.SeededEliashbergGap(solver, kT_hot, seed=1.0)
    assert hot(g, f_hot, n_hot, normal).delta0 == 0.0


def test_seeded_gap_skips_solves_only_while_nothing_changed(k3c60):
    _, _, solver = k3c60
    kT = 20.0 * KB
    g, f, n = _thermal_state(kT)
    gap = pg.SeededEliashbergGap(solver, kT, seed=1.0, normal_check_tol=1e-3)
    first = gap(g, f, n, None)
    assert (gap.solves, gap.skipped) == (1, 0)
    gap(g, f, n, first)
    assert (gap.solves, gap.skipped) == (1, 1)
    gap(g, f * 1.5, n, first)  # a large change: checked again (issue 16: by lambda_max)
    assert gap.solves + gap.stable == 2


def test_no_pump_keeps_equilibrium(k3c60):
    params, mat, solver = k3c60
    num = pg.PumpNumerics(**TINY)
    for T in (8.0, 20.0):
        r = pg.simulate(
            mat, params, num, temperature=T, pump_energy=170.0, fluence=0.0, eliashberg=solver
        )
        expect = solver.solve(kT=T * KB).delta0
        np.testing.assert_allclose(r.delta0, expect, rtol=1e-4, atol=1e-9)
        f_eq = fermi(r.grid.energy, T * KB)
        assert np.max(np.abs(r.f[-1] - f_eq)) < 1e-6
        assert r.deposited == 0.0 and r.gamma == 0.0


@pytest.mark.parametrize("form", ["classical", "printed"])
def test_pump_deposits_the_absorbed_energy(k3c60, form):
    params, mat, solver = k3c60
    params = params.model_copy(update={"pump_form": form})
    num = pg.PumpNumerics(**TINY)
    r = pg.simulate(
        mat, params, num, temperature=20.0, pump_energy=170.0, fluence=0.2, eliashberg=solver
    )
    assert r.target == pytest.approx(0.2 * 6.2415091e4 * 0.5 / 200.0, rel=1e-6)
    assert r.deposited == pytest.approx(r.target, rel=0.1)
    # the energy gained by quasi-particles + phonons is the deposited energy minus the
    # (small, 0.6 ps << tau_esc) escape
    gained = r.energy[-1] - r.energy[0]
    assert gained == pytest.approx(r.deposited, rel=0.05)
    assert r.qp_density[-1] > r.qp_density[0]


def test_gap_lifetime_and_saturation_helpers():
    t = np.linspace(0.0, 4.0, 5)
    d = np.array([0.0, 1.0, 1.0, 0.0, 0.0])
    # above 0.5: from t = 0.5 to t = 2.5
    assert pg.gap_lifetime(t, d, 0.5) == pytest.approx(2.0)
    assert pg.gap_lifetime(t, np.zeros(5), 0.01) == 0.0
    fl = np.array([0.3, 1.0, 2.0, 5.0])
    assert pg.saturation_fluence(fl, np.array([0.1, 1.0, 3.3, 3.5]), 0.9, 0.01) == 2.0
    assert pg.saturation_fluence(fl, np.zeros(4), 0.9, 0.01) == 0.0


def test_step_detector():
    e = np.linspace(0.5, 300.0, 600)
    smooth = fermi(e, 20.0)
    assert abs(pg.step_at(e, smooth, 170.0, 1.0)) < 1e-3
    jump = np.where(e < 170.0, 1e-3, 1e-2) * np.exp(-e / 50.0)
    assert pg.step_at(e, jump, 170.0, 1.0) == pytest.approx(math.log(10.0), rel=1e-6)


def test_summarize_map_finds_the_best_point():
    md = np.array([[0.0, 0.2], [0.5, 0.1]])
    ds = xr.Dataset(
        {
            "max_delta0_meV": (("pump_energy", "fluence"), md),
            "photoinduced_gap": (("pump_energy", "fluence"), md > 0.02),
        },
        coords={"pump_energy": [50.0, 170.0], "fluence": [1.0, 3.0]},
    )
    s = pg.summarize_map(ds)
    assert (s["best_pump_energy_meV"], s["best_fluence_mJ_cm2"]) == (170.0, 1.0)
    assert s["best_max_delta0_meV"] == 0.5
    assert s["any_photoinduced_gap"] and s["fraction_gapped"] == 0.75
    # only the fluence swept: no pump-energy key (and no NaN)
    one = ds.isel(pump_energy=0, drop=True)
    s1 = pg.summarize_map(one)
    assert "best_pump_energy_meV" not in s1
    assert s1["best_fluence_mJ_cm2"] == 3.0 and s1["best_max_delta0_meV"] == 0.2


def test_summarize_map_lists_the_cooper_unstable_points_and_the_budget():
    lam = np.array([[[0.9, 1.05], [0.93, 0.8]], [[0.99, 0.97], [1.2, np.nan]]])
    dims = ("pump_energy", "temperature", "pump_form")
    ds = xr.Dataset(
        {
            "max_delta0_meV": (dims, np.zeros_like(lam)),
            "pairing_eigenvalue_max": (dims, lam),
            "energy_budget_error": (dims, np.full(lam.shape, 1e-4)),
        },
        coords={"pump_energy": [50.0, 170.0], "temperature": [16.0, 30.0],
                "pump_form": ["printed", "classical"]},
    )  # fmt: skip
    s = pg.summarize_map(ds)
    assert s["unstable_points"] == [
        "pump_energy 50, temperature 16, pump_form classical: 1.050",
        "pump_energy 170, temperature 30, pump_form printed: 1.200",
    ]
    assert s["normal_state_unstable_anywhere"] and s["pairing_eigenvalue_max"] == 1.2
    assert s["pairing_eigenvalue_max_classical"] == 1.05
    assert s["energy_budget_error"] == 1e-4


def test_bad_input_names_the_field(tmp_path):
    with pytest.raises(ValueError, match="temperatures"):
        pg.GapTransientParams(temperatures=[-3.0])
    with pytest.raises(ValueError, match="pump_energies"):
        pg.FluenceParams(temperatures=[30.0], pump_energies=[170.0, 50.0])
    with pytest.raises(ValueError, match="fluences"):
        pg.FluenceParams(fluences=[5.0, 1.0])
    with pytest.raises(ValueError, match="pump_delay"):
        pg.GapTransientParams(duration="1 ps", pump_delay="2 ps")
    with pytest.raises(ValueError, match="material"):
        pg.GapTransientParams(material="no-such-material")
    with pytest.raises(ValueError, match="pump_form"):
        pg.GapTransientParams(pump_form="quantum")
    # a user's two-column file has no F(omega) nor N(0), ion density
    path = tmp_path / "a2f.txt"
    w = np.linspace(0.0, 50.0, 101)
    np.savetxt(path, np.c_[w, 0.5 * np.exp(-(((w - 20) / 3) ** 2))], header="omega(meV) a2F")
    p = pg.GapTransientParams(material=str(path), material_overrides={"mu_star": 0.1})
    with pytest.raises(ValueError, match="n0_per_ev_nm3"):
        pg.resolve_material(p)
    data = {"mu_star": 0.1, "n0": "5 1/(eV nm^3)", "n_ion": "80 1/nm^3"}
    p = pg.GapTransientParams(material=str(path), material_overrides=data)
    with pytest.raises(ValueError, match="phonon_dos"):
        pg.resolve_material(p)
    # constant alpha^2: F = 3 alpha^2F / int alpha^2F, 3 modes per ion
    derived = {**data, "phonon_dos": "derived from alpha^2F"}
    mat = pg.resolve_material(p.model_copy(update={"material_overrides": derived}))
    assert np.trapezoid(mat.spectrum.f_dos, mat.spectrum.omega) == pytest.approx(3.0)
    assert mat.mu_star == 0.1 and mat.n_ion_nm3 == 80.0 and mat.n0_per_mev_nm3 == 5e-3
    assert mat.omega_c == pytest.approx(5.0 * mat.spectrum.omega_max)


def test_builtin_material_cards_give_the_builtin_spectra_data():
    """The built-in cards carry exactly the data the built-in spectra did before the
    models took material cards (so the validation records stay those of the same runs)."""
    from photosc.cores.spectra import builtin

    for name in ("K3C60", "CaC6"):
        mat = pg.resolve_material(pg.GapTransientParams(material=name))
        sp = builtin(name)
        assert np.array_equal(mat.spectrum.a2f, sp.a2f)
        assert np.array_equal(mat.spectrum.f_dos, sp.f_dos)
        assert mat.mu_star == sp.mu_star and mat.omega_c == sp.mu_star_cutoff
        assert mat.n0_per_mev_nm3 == sp.material.n0_per_ev_nm3 * 1e-3
        assert mat.n_ion_nm3 == sp.material.n_ion_nm3


def test_pump_below_tc_suppresses_the_gap_and_heats(k3c60):
    """Positive control of the Eliashberg-consistent loop: below T_c (8 K) a weak
    170 meV classical-field pump creates quasi-particles (pair breaking) and lowers the
    strong-coupling gap monotonically."""
    params, mat, solver = k3c60
    params = params.model_copy(update={"pump_form": "classical"})
    num = pg.PumpNumerics(**TINY)
    r = pg.simulate(
        mat, params, num, temperature=8.0, pump_energy=170.0, fluence=0.003, eliashberg=solver
    )
    d_eq = solver.solve(kT=8.0 * KB).delta0
    assert r.delta0[0] == pytest.approx(d_eq, rel=1e-4)
    assert r.delta0[-1] < 0.98 * d_eq
    assert np.all(np.diff(r.delta0) <= 1e-6)  # no transient enhancement
    assert r.qp_density[-1] > 1.5 * r.qp_density[0]


def test_printed_pump_below_tc_raises_the_gap_transiently(k3c60):
    """The paper's mechanism where our kinetics shows it: below T_c (8 K) the printed
    (absorption-only) pump moves quasi-particles from the gap edge to E + 170 meV, and
    the real-axis gap rises during the pulse (measured: 1.510 -> 1.570 meV, +4 %, at
    3e-3 mJ/cm^2) before the relaxing quasi-particles and phonons lower it again."""
    params, mat, solver = k3c60
    params = params.model_copy(update={"pump_form": "printed"})
    num = pg.PumpNumerics(**TINY)
    r = pg.simulate(
        mat, params, num, temperature=8.0, pump_energy=170.0, fluence=0.003, eliashberg=solver
    )
    d_eq = r.delta0[0]
    assert d_eq == pytest.approx(solver.solve(kT=8.0 * KB).delta0, rel=1e-4)
    k = int(np.argmax(r.delta0))
    assert r.delta0[k] > 1.02 * d_eq
    assert 0 < k < r.t.size - 1  # a transient: it falls again after the pulse
    assert r.delta0[-1] < r.delta0[k]


def test_seeded_gap_confirms_a_collapse_from_a_gapped_state():
    """A warm-started solve that spuriously returns the normal state is re-done from a
    constant start at the previous gap edge; a real collapse stays normal."""
    from types import SimpleNamespace

    g = make_grid(1.0, 20.0, 10.0)

    class FakeSolver:
        step, n = 1.0, 20
        phonon_omega = np.arange(11) * 1.0
        omega = np.arange(20) + 0.5  # the core's update records Delta, Z on this grid

        def __init__(self, gapped_answer):
            self.answer = gapped_answer
            self.calls = []

        def solve(self, f, n, warm_start, tol, keep=None):
            self.calls.append(warm_start)
            gapped = isinstance(warm_start, float) and self.answer > 0
            d0 = self.answer if gapped else 0.0
            dos = np.ones(self.n)
            return SimpleNamespace(
                delta0=d0,
                dos=dos,
                pair_density=np.zeros(self.n),
                delta=np.full(self.n, d0 + 0j),
                z=np.ones(self.n, dtype=complex),
            )

    f = fermi(g.energy, 1.0)
    prev = bcs_coherence(g, 2.0)
    for answer, expect, rescued in ((2.0, 2.0, 1), (0.0, 0.0, 0)):
        solver = FakeSolver(answer)
        gap = pg.SeededEliashbergGap(solver, 1.0, seed=1.0)
        gap.last = SimpleNamespace(delta0=2.0, delta=np.full(20, 2.0 + 0j))
        assert gap(g, f, [np.zeros(g.n_boson)], prev).delta0 == expect
        assert gap.rescued == rescued
        assert solver.calls[-1] == 2.0  # the confirmation starts at the previous gap edge


def test_pairing_parts_separate_the_depleted_low_energy_and_the_hot_carriers(k3c60):
    """Thermal state: every part is the thermal eigenvalue (< 1 above T_c0). A state with
    f depleted below the split only: 'low_energy_only' is the pumped value and larger than
    thermal (|1 - 2f| grows where the kernel weighs most), 'hot_only' is thermal. Hot
    carriers above the split only: the reverse, and lower than thermal."""
    _, _, solver = k3c60
    g = make_grid(2.0, 300.0, 215.0)
    kT = 20.0 * KB
    f_t = fermi(g.energy, kT)
    n_t = np.r_[0.0, 1.0 / np.expm1(g.omega[1:] / kT)]
    gap = EliashbergGap(solver, kT)
    parts = pg.pairing_parts(gap, g, f_t, n_t, kT)
    assert parts["thermal"] < 1.0
    for key in ("pumped", "low_energy_only", "hot_only", "phonons_thermal"):
        assert parts[key] == pytest.approx(parts["thermal"], rel=1e-6)
    low = g.energy < pg.PAIRING_SPLIT_MEV
    depleted = np.where(low, 0.3 * f_t, f_t)
    parts = pg.pairing_parts(gap, g, depleted, n_t, kT)
    assert parts["low_energy_only"] == pytest.approx(parts["pumped"], rel=1e-6)
    assert parts["hot_only"] == pytest.approx(parts["thermal"], rel=1e-6)
    assert parts["pumped"] > parts["thermal"] * 1.01
    hot = np.where((g.energy > 10) & (g.energy < 60), np.maximum(f_t, 0.05), f_t)
    parts = pg.pairing_parts(gap, g, hot, n_t, kT)
    assert parts["hot_only"] == pytest.approx(parts["pumped"], rel=1e-6)
    assert parts["low_energy_only"] == pytest.approx(parts["thermal"], rel=1e-6)
    assert parts["pumped"] < parts["thermal"] * 0.99


def test_seeded_gap_retries_a_stalled_solve_with_damped_mixing(k3c60, monkeypatch):
    """Near the onset (lambda_max ~ 1) the Anderson iteration can stall; the update then
    repeats the solve damped and longer instead of failing the run (two points of
    pairing-instability-map stalled at a residual of 2-5e-5 after 400 iterations)."""
    from photosc.errors import ConvergenceError

    _, _, solver = k3c60
    kT = 5.0 * KB
    g, f, n = _thermal_state(kT)
    calls = []
    real = solver.solve

    def stalling(**kw):
        calls.append(kw)
        if len(calls) == 1:
            raise ConvergenceError("stalled", 3e-5, 400)
        return real(**kw)

    monkeypatch.setattr(solver, "solve", stalling)
    gap = pg.SeededEliashbergGap(solver, kT, seed=1.0)
    coh = gap(g, f, n, None)
    assert gap.retried == 1 and len(calls) == 2
    assert calls[1]["max_iter"] > 400 and calls[1]["mixing"] < 1.0
    monkeypatch.setattr(solver, "solve", real)
    assert coh.delta0 == pytest.approx(solver.solve(kT=kT).delta0, rel=1e-4)


def test_seeded_gap_accepts_a_loose_tolerance_only_after_the_damped_retry(k3c60, monkeypatch):
    from photosc.errors import ConvergenceError

    _, _, solver = k3c60
    kT = 5.0 * KB
    g, f, n = _thermal_state(kT)
    calls = []
    real = solver.solve

    def stalling(**kw):
        calls.append(kw)
        if kw["tol"] < pg.LOOSE_TOL:
            raise ConvergenceError("stalled", 8e-5, kw.get("max_iter", 400))
        return real(**kw)

    monkeypatch.setattr(solver, "solve", stalling)
    gap = pg.SeededEliashbergGap(solver, kT, seed=1.0)
    gap(g, f, n, None)
    assert (gap.retried, gap.loosened, len(calls)) == (1, 1, 3)
    assert calls[2]["tol"] == pg.LOOSE_TOL
    # a run whose tolerance is already loose lets the error through
    loose = pg.SeededEliashbergGap(solver, kT, seed=1.0, tol=pg.LOOSE_TOL)
    monkeypatch.setattr(solver, "solve", lambda **kw: (_ for _ in ()).throw(
        ConvergenceError("stalled", 8e-5, 4000)))  # fmt: skip
    with pytest.raises(ConvergenceError):
        loose(g, f, n, None)


def test_runs_on_worker_processes_equal_in_process_runs_bit_for_bit():
    """photoinduced-gap at two temperatures: numerics.workers = 2 (two processes, the
    Eliashberg solver pickled to them) gives the in-process result to the bit."""
    params = pg.GapTransientParams(
        material="K3C60", temperatures=[18.0, 22.0], duration="0.6 ps", pump_delay="0.3 ps"
    )
    one = pg.run_transient(params, pg.PumpNumerics(**TINY, workers=1))
    two = pg.run_transient(params, pg.PumpNumerics(**TINY, workers=2))
    for name in ("delta0", "qp_density", "energy", "gamma_pump"):
        np.testing.assert_array_equal(two.dataset[name].values, one.dataset[name].values)
    assert two.summary == one.summary
    assert one.dataset["temperature"].values.tolist() == [18.0, 22.0]
