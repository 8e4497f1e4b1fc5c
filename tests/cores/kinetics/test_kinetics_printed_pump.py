"""Paper 001's printed pump term, the core's ``Drive(form="paper")``: against a double loop
over (E, E'), its conservation laws, and against the classical-field drive.

(These tests checked the photo-induced-gap model's own copy of the term,
``printed_pump_rates``, until issue 15; the model now uses the core's drive.)
"""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores.kinetics import (
    CollisionOperator,
    bcs_coherence,
    make_grid,
    normal_coherence,
)
from photosc.cores.kinetics.pump import Drive
from photosc.foundation.distributions import fermi


def _paper_rates(grid, f, coh, drive):
    """Gain and loss (1/ps) of a drive as a collision channel: df/dt = (1 - f) gain - f loss."""
    col = CollisionOperator(grid).evaluate(f, coh, [drive.channel(grid, drive.t0)])
    return col.gain, col.loss


def _printed_direct(grid, f, coh, omega, gamma):
    """Double loop over (E, E') of paper 001's printed pump term (E, E' > 0), with the
    photon energy on the grid: an independent reference for ``Drive(form="paper")``."""
    j = int(round(omega / grid.step))
    out = np.zeros(grid.n_qp)
    rho, p = np.asarray(coh.rho), np.asarray(coh.p)
    for i in range(grid.n_qp):
        if rho[i] == 0:
            continue
        for k in range(grid.n_qp):
            m2 = rho[i] * rho[k] + p[i] * p[k]  # current coupling, per unit energy^2
            if k == i - j:  # E' = E - w -> E (absorption into E)
                out[i] += gamma * m2 / rho[i] * (1 - f[i]) * f[k]
            if k == i + j:  # E -> E + w (absorption out of E)
                out[i] -= gamma * m2 / rho[i] * f[i] * (1 - f[k])
    return out


@pytest.mark.parametrize("delta", [0.0, 1.3])
def test_printed_pump_matches_double_loop(delta):
    g = make_grid(0.1, 12.0, 6.0)
    coh = bcs_coherence(g, delta) if delta > 0 else normal_coherence(g)
    rng = np.random.default_rng(3)
    f = rng.uniform(0.0, 0.6, g.n_qp)
    gain, loss = _paper_rates(g, f, coh, Drive(2.0, 0.7, form="paper"))
    fast = (1 - f) * gain - f * loss
    ref = _printed_direct(g, f, coh, 2.0, 0.7)
    np.testing.assert_allclose(fast, ref, rtol=1e-10, atol=1e-13)


def test_printed_pump_conserves_number_and_deposits_omega_per_transition():
    g = make_grid(0.1, 12.0, 6.0)
    coh = bcs_coherence(g, 1.0)
    f = fermi(g.energy, 0.8)
    rho = np.asarray(coh.rho)
    # on the grid: exactly w per transition; off the grid (split over two boson
    # energies): w on average, up to the difference of the two partial rates
    for w, rel in ((2.3, 1e-10), (2.34, 1e-3)):
        gain, loss = _paper_rates(g, f, coh, Drive(w, 1.0, form="paper"))
        dfdt = (1 - f) * gain - f * loss
        number = np.sum(rho * dfdt)
        up = np.sum(rho * f * loss)  # transitions out of E (per unit time, per 4 N(0) / h)
        assert abs(number) < 1e-12 * up
        energy = np.sum(rho * g.energy * dfdt)
        assert energy == pytest.approx(w * up, rel=rel)
        assert energy > 0


def test_printed_and_classical_pump_differ_at_low_energy():
    """Normal state, thermal f, photon far above kT: the printed (absorption-only) term
    empties the low-energy states, the classical-field drive (with pair creation and
    stimulated emission) fills them -- the two readings of the paper's pump term."""
    g = make_grid(0.5, 100.0, 40.0)
    coh = normal_coherence(g)
    f = fermi(g.energy, 2.0)
    drive = Drive(30.0, 1.0)
    gain, loss = _paper_rates(g, f, coh, Drive(30.0, 1.0, form="paper"))
    printed = (1 - f) * gain - f * loss
    classical = CollisionOperator(g).evaluate(f, coh, [drive.channel(g, 0.0)]).df_dt(f)
    low = g.energy < 5.0
    assert np.all(printed[low] < 0)
    assert np.all(classical[low] > 0)
    # same loss of quasi-particles out of E to E + w: the classical drive adds the
    # pair creation and emission terms (1 - 2 f(E) at f(E + w) ~ 0)
    np.testing.assert_allclose(printed[low], -f[low], rtol=1e-6)
    np.testing.assert_allclose(classical[low], 1 - 2 * f[low], rtol=0, atol=1e-5)
