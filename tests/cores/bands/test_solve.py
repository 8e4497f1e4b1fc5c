"""Integration, Newton steady states, stability eigenvalues and tail classification."""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores.bands import (
    BandSystem,
    FermionReservoir,
    GapCoupling,
    MeanFieldEOM,
    classify_tail,
    conserves_number,
    ground_state,
    integrate,
    minus_index,
    radial_grid,
    refine_steady_state,
    stability,
)
from photosc.errors import ConvergenceError

K = radial_grid(1.0, 0.25)
MINUS = minus_index(K)
NK = len(K)


def reservoir_system(omega: float, gamma: float = 0.1, v: float = 0.0) -> MeanFieldEOM:
    e1 = -0.5 + 0.3 * K**2
    e2 = 0.5 + 0.4 * K**2
    sysm = BandSystem(K, e1 + 0.5, e2 - 0.5, np.full(NK, omega + 0j), MINUS, np.full(NK, 1 / NK))
    occ = np.stack([np.full(NK, 0.9), np.full(NK, 0.05)], axis=1)
    res = FermionReservoir(np.full((NK, 2), gamma), occ, MINUS)
    coupling = GapCoupling.uniform(v, sysm.weights) if v else None
    return MeanFieldEOM(sysm, coupling, [res])


def test_reservoir_stability_eigenvalues_analytic():
    """Omega = 0, Gamma_1 = Gamma_2 = g: populations decay at -g, coherences and pairs at
    -g +- i (energy); all are exact, no symmetry zero modes (the number is not conserved)."""
    g = 0.1
    eom = reservoir_system(0.0, g)
    y = eom.packing.pack(ground_state(NK))
    ss = refine_steady_state(eom, integrate(eom, y, np.linspace(0, 200, 3)).y[:, -1])
    st = stability(eom, ss.y)
    assert st.n_zero_modes == 0
    assert st.stable
    np.testing.assert_allclose(st.eigenvalues.real, -g, atol=1e-7)
    assert st.max_growth_rate == pytest.approx(-g, abs=1e-7)
    # coherence n21 rotates at e2 - e1 in the rotating frame: eigenvalues -g +- i (e2 - e1)
    detuning = (0.4 - 0.3) * K**2
    imag = np.sort(np.abs(st.eigenvalues.imag))
    for d in detuning[detuning > 0]:
        assert np.min(np.abs(imag - d)) < 1e-6


def test_newton_reproduces_the_integrated_steady_state():
    eom = reservoir_system(0.2)
    y0 = eom.packing.pack(ground_state(NK))
    tr = integrate(eom, y0, np.linspace(0, 400, 5), rtol=1e-10, atol=1e-12)
    ss = refine_steady_state(eom, tr.y[:, 1])  # start from t = 100, not yet converged
    assert ss.residual < 1e-11
    np.testing.assert_allclose(ss.y, tr.y[:, -1], atol=1e-8)
    assert not conserves_number(eom)


def test_newton_failure_raises_convergence_error_with_residual():
    eom = reservoir_system(0.2)
    y0 = eom.packing.pack(ground_state(NK))
    with pytest.raises(ConvergenceError, match="residual"):
        refine_steady_state(eom, y0, max_iter=0)


def test_classify_tail():
    t = np.linspace(0, 100, 1001)
    assert classify_tail(t, np.full_like(t, 0.3)).kind == "steady"
    assert classify_tail(t, 0.3 + 0.05 * np.sin(t)).kind == "oscillating"
    assert classify_tail(t, 0.3 + 0.05 * np.exp(-0.05 * t) * np.sin(3 * t)).kind == "damped"
    assert classify_tail(t, 0.3 + 0.001 * t).kind == "drifting"
    assert classify_tail(t, 1e-20 * np.exp(0.1 * t)).kind == "growing"
    bursts = np.full_like(t, 0.3)
    for t0, h in ((76.0, 0.02), (81.0, 0.06), (88.5, 0.01), (97.0, 0.05)):  # irregular spikes
        bursts += h * np.exp(-(((t - t0) / 0.3) ** 2))
    assert classify_tail(t, bursts).kind == "bursts"
    assert classify_tail(t, np.zeros_like(t)).kind == "steady"


def test_newton_steps_run_on_one_blas_thread_and_restore_it():
    from threadpoolctl import threadpool_info

    from photosc.cores.bands.solve import _one_blas_thread

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    inside = _one_blas_thread(blas_threads)()
    assert inside and all(n == 1 for n in inside)
    assert blas_threads() == before
