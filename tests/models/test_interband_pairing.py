"""Paper 002 (interband pairing) on a small grid: the paper's statements, tested.

Small grid: k-step 0.02 in |k| <= 0.2 (21 points), phonon velocity 0.5 (>= A dk),
seed 1e-6 (the steady state does not depend on it: tested), Gamma^ph = 0.01.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from photosc.errors import ConfigError
from photosc.models.interband_pairing import (
    BdgParams,
    InterbandNumerics,
    PhaseParams,
    bdg_populations,
    run_phase_point,
    solve_point,
    summarize_phase_diagram,
    time_to_fraction,
)

NUM = InterbandNumerics(dk=0.02, t_max=400.0, n_times=41, rtol=1e-6, max_extensions=6)
BASE = dict(
    rabi=0.25, interaction=5.0, phonon_velocity=0.5, gamma_ph=0.01, gamma_rr=0.001, seed=1e-6
)


@pytest.fixture(scope="module")
def base():
    return solve_point(PhaseParams(**BASE), NUM)


def test_paired_steady_state_is_steady_and_stable(base):
    assert base["abs_delta_steady"] > 1e-3
    assert base["steady_state_stable"]
    assert base["refined"] and base["newton_residual"] < 1e-10
    assert base["max_growth_rate"] < 0
    assert base["behaviour"] in ("steady", "converging")
    # particle number in the box is conserved exactly (phonon channels inside the box)
    assert base["particle_number_drift"] < 1e-12
    # the gap rotates (chemical potential of the pairs in the rotating frame)
    assert abs(base["gap_frequency"]) > 0


@pytest.mark.slow
def test_steady_state_does_not_depend_on_the_seed(base):
    other = solve_point(PhaseParams(**{**BASE, "seed": 1e-12}), NUM)
    assert other["abs_delta_steady"] == pytest.approx(base["abs_delta_steady"], rel=1e-6)
    np.testing.assert_allclose(other["state"].n, base["state"].n, atol=1e-7)


def test_zero_interaction_gives_zero_gap():
    res = solve_point(PhaseParams(**{**BASE, "interaction": 0.0}), NUM)
    assert res["abs_delta_steady"] == 0.0
    assert np.abs(res["state"].s).max() < 1e-6  # the seed decays


def test_pairing_needs_the_printed_sign_convention():
    """Eq. 2 + B3 as printed pair for V > 0; the mean field of a repulsive V does not."""
    num = NUM.model_copy(update={"normal_state": True, "max_extensions": 0})
    paper = solve_point(PhaseParams(**BASE), num)
    repulsive = solve_point(PhaseParams(**{**BASE, "pairing_convention": "repulsive"}), num)
    assert paper["normal_state_pair_growth_rate"] > 0
    assert repulsive["normal_state_pair_growth_rate"] < 0
    assert repulsive["abs_delta_end"] < 1e-6


def test_interaction_threshold_exists():
    """Below a threshold V the unpaired state is stable; above it a seed grows (Sec. III A)."""
    num = NUM.model_copy(update={"normal_state": True, "max_extensions": 0, "refine": False})
    rates = {
        v: solve_point(PhaseParams(**{**BASE, "interaction": v}), num)[
            "normal_state_pair_growth_rate"
        ]
        for v in (1.0, 2.0, 5.0)
    }
    assert rates[1.0] < 0 and rates[2.0] < 0 and rates[5.0] > 0


@pytest.mark.slow
def test_gap_grows_with_interaction(base):
    stronger = solve_point(PhaseParams(**{**BASE, "interaction": 6.0}), NUM)
    assert stronger["abs_delta_steady"] > base["abs_delta_steady"]


@pytest.mark.slow
def test_phonon_velocity_claim(base, capsys):
    """Sec. IV: 'The result is stable against changing the velocity v of the acoustic phonons.'

    Measured: pairing survives and |Delta| changes by ~13 % when v goes from 0.5 to
    0.7 (small grid); the claim holds qualitatively, not to within a few per cent.
    """
    other = solve_point(PhaseParams(**{**BASE, "phonon_velocity": 0.7}), NUM)
    d0, d1 = base["abs_delta_steady"], other["abs_delta_steady"]
    with capsys.disabled():
        print(f"\n[phonon velocity] |Delta|(v=0.5) = {d0:.5f}, |Delta|(v=0.7) = {d1:.5f}")
    assert other["steady_state_stable"]
    assert 0.67 < d1 / d0 < 1.5


@pytest.fixture(scope="module")
def faster():
    """BASE with Gamma_rr / Gamma_ph = 0.5 instead of 0.1."""
    return solve_point(PhaseParams(**{**BASE, "gamma_rr": 0.005}), NUM)


@pytest.mark.slow
def test_radiative_recombination_hardly_changes_the_gap(base, faster):
    """Sec. III A: 'the steady state populations are not substantially affected by the
    photonic relaxation' -- Gamma_rr / Gamma_ph = 0.1 -> 0.5."""
    assert faster["steady_state_stable"]
    d0, d1 = base["abs_delta_steady"], faster["abs_delta_steady"]
    assert abs(d1 - d0) / d0 < 0.3


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason=(
        "known deviation (interband-transient, faster_with_more_radiative_recombination): "
        "the radiative jump operator also damps the pair amplitude, so more Gamma_rr is "
        "slightly slower to 90 % of the steady |Delta|, not faster as Fig. 4 says"
    ),
)
def test_radiative_recombination_speeds_up_the_approach(base, faster):
    """Fig. 4 text: 'The larger the photonic relaxation rate, the shorter the time needed
    to reach the steady state' (time to 90 % of the steady |Delta|)."""
    t_slow = time_to_fraction(base["t"], base["abs_delta"], base["abs_delta_steady"])
    t_fast = time_to_fraction(faster["t"], faster["abs_delta"], faster["abs_delta_steady"])
    assert t_fast < t_slow


def test_phonon_velocity_below_grid_resolution_is_a_config_error():
    with pytest.raises(ConfigError, match="phonon_velocity"):
        solve_point(PhaseParams(**{**BASE, "phonon_velocity": 0.1}), NUM)


def test_phase_point_dataset_has_units():
    out = run_phase_point(PhaseParams(**{**BASE, "interaction": 1.0}), NUM)
    for var in out.dataset.variables:
        assert "units" in out.dataset[var].attrs
    assert out.summary["abs_delta_steady"] == pytest.approx(0.0, abs=1e-10)
    assert isinstance(out.summary["behaviour"], str)


def test_bdg_populations_limits():
    k = np.linspace(-0.2, 0.2, 41)
    n0 = bdg_populations(k, 7.0, 24.0, 0.2, 0.0)
    np.testing.assert_allclose(n0[0], (7.0 * k**2 < 0.2).astype(float))
    np.testing.assert_allclose(n0[1], (24.0 * k**2 < 0.2).astype(float))
    big = bdg_populations(k, 7.0, 24.0, 0.2, 1e6)
    np.testing.assert_allclose(big, 0.5, atol=1e-6)
    mid = bdg_populations(k, 7.0, 24.0, 0.2, 0.05)
    assert np.all((mid >= 0) & (mid <= 1))
    # the Fermi edge is smoothed: values strictly between 0 and 1 exist
    assert np.any((mid[0] > 0.05) & (mid[0] < 0.95))
    p = BdgParams()
    assert p.bdg_offset == 0.2


def test_time_to_fraction():
    t = np.linspace(0, 10, 11)
    x = np.minimum(t, 5.0)
    assert time_to_fraction(t, x, 5.0) == pytest.approx(4.5)
    assert time_to_fraction(t, x, 0.0) == -1.0
    assert time_to_fraction(t, np.zeros(11), 1.0) == -1.0


def test_summarize_phase_diagram_on_a_synthetic_map():
    rabi = np.array([0.01, 0.1, 0.3])
    inter = np.array([1.0, 2.0, 3.0, 4.0])
    d = np.zeros((3, 4))
    d[1:, 2:] = [[0.01, 0.02], [0.015, 0.03]]
    g = np.where(d > 0, 0.05, -0.01)
    ds = xr.Dataset(
        {
            "abs_delta_steady": (("rabi", "interaction"), d),
            "normal_state_pair_growth_rate": (("rabi", "interaction"), g),
            "behaviour": (("rabi", "interaction"), np.full((3, 4), "steady")),
        },
        coords={"rabi": rabi, "interaction": inter},
    )
    s = summarize_phase_diagram(ds)
    assert 2.0 < s["v_threshold"] <= 3.0
    assert 0.01 < s["omega_threshold"] <= 0.1
    assert s["delta_grows_with_v"] and s["delta_grows_with_omega"]
    assert s["fraction_paired"] == pytest.approx(4 / 12)
    assert 2.0 < s["v_threshold_linear"] < 3.0


@pytest.mark.paper
def test_full_grid_steady_state_stable_and_seed_independent():
    """Figs. 6-7 on the paper's grid (dk = 2e-3): a stable steady state, the same for two seeds."""
    from photosc.models.interband_pairing import SteadyParams

    num = InterbandNumerics()
    a = solve_point(SteadyParams(), num)
    b = solve_point(SteadyParams(seed=1e-8), num)
    assert a["steady_state_stable"] and b["steady_state_stable"]
    assert a["particle_number_drift"] < 1e-12
    assert a["abs_delta_steady"] > 1e-3
    assert b["abs_delta_steady"] == pytest.approx(a["abs_delta_steady"], rel=1e-6)
