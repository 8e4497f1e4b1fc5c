"""Paper 002: the fast steady-state path against the path before issue 16 (``reference``).

Compared on the observables the scenarios read (steady |Delta|, gap frequency, stability,
behaviour, the unpaired state's pair growth rate, the steady populations). Grid as in the
scenario's test run (dk = 0.02, phonon velocity 0.5), normal state on.
"""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores import bands
from photosc.models import interband_pairing as ip
from photosc.models.interband_pairing import InterbandNumerics, PhaseParams, solve_point

NUM = InterbandNumerics(dk=0.02, t_max=400.0, n_times=41, rtol=1e-6, normal_state=True)
BASE = dict(gamma_ph=0.02, gamma_rr=0.002, phonon_velocity=0.5, seed=1e-8)


def _both(rabi: float, interaction: float) -> tuple[dict, dict]:
    params = PhaseParams(rabi=rabi, interaction=interaction, **BASE)
    return solve_point(params, NUM, reference=True), solve_point(params, NUM)


def _assert_same(ref: dict, new: dict, state_atol: float) -> None:
    for key in ("behaviour", "refined", "steady_state_stable", "normal_state_converged"):
        assert new[key] == ref[key], key
    scale = max(ref["abs_delta_steady"], 1e-12)
    assert abs(new["abs_delta_steady"] - ref["abs_delta_steady"]) <= 1e-8 * scale + 1e-12
    assert new["gap_frequency"] == pytest.approx(ref["gap_frequency"], abs=1e-8)
    assert new["max_growth_rate"] == pytest.approx(ref["max_growth_rate"], abs=1e-8)
    assert new["normal_state_pair_growth_rate"] == pytest.approx(
        ref["normal_state_pair_growth_rate"], abs=1e-9
    )
    np.testing.assert_allclose(new["state"].n, ref["state"].n, rtol=0, atol=state_atol)
    np.testing.assert_allclose(new["state"].s, ref["state"].s, rtol=0, atol=state_atol)


def test_paired_point_same_as_reference():
    ref, new = _both(0.25, 5.0)
    assert ref["abs_delta_steady"] > 1e-3 and ref["refined"]
    assert ref["normal_state_pair_growth_rate"] > 0
    _assert_same(ref, new, state_atol=1e-8)


def test_unpaired_point_same_as_reference():
    """Unpaired: the normal state is taken over from the seeded run (no second run)."""
    ref, new = _both(0.25, 1.0)
    assert ref["abs_delta_steady"] < 1e-6
    assert ref["normal_state_pair_growth_rate"] < 0
    # the unpaired fixed point has marginal (Pauli-blocked) directions: Newton paths
    # from slightly different starts land within ~1e-6 of each other on them
    _assert_same(ref, new, state_atol=1e-5)


def test_unsettled_weakly_driven_point_same_as_reference():
    """Omega << Gamma^ph: the run does not settle; the same verdict and growth rate."""
    ref, new = _both(0.005, 3.0)
    assert not ref["normal_state_converged"]
    _assert_same(ref, new, state_atol=1e-12)


def test_unpaired_trail_stops_where_the_pairs_grow():
    """A paired point: the trail is followed only while max |s| <= 1e-6."""
    params = PhaseParams(rabi=0.25, interaction=5.0, **BASE)
    eom = ip._build(params, NUM, params.gamma_rr)
    nk = eom.packing.nk
    y0 = eom.packing.pack(bands.ground_state(nk, params.seed * (1 + 1j)))
    tr = bands.integrate(eom, y0, np.linspace(0.0, 3000.0, 301), rtol=1e-6)
    trail = ip._UnpairedTrail()
    trail.follow(eom, 0, tr)
    pairs = np.abs(tr.y[4 * nk : 6 * nk]).max(axis=0)
    assert pairs[-1] > 1e-6  # the pairs have grown in this chunk
    assert not trail.following and 0 not in trail.ends
    i = int(np.flatnonzero(tr.t == trail.t)[0])
    assert pairs[: i + 1].max() <= 1e-6 < pairs[i + 1]
    assert np.all(trail.y[4 * nk :] == 0.0)
    np.testing.assert_array_equal(trail.y[: 4 * nk], tr.y[: 4 * nk, i])
