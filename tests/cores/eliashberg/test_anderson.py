"""The Anderson step and the prolonged history of the real-axis solver
(:mod:`photosc.cores.eliashberg.solver`, issue 16) against plain references written here."""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores.eliashberg import KeptHistory
from photosc.cores.eliashberg.solver import _Anderson


class _NumpyAnderson:
    """Type-II Anderson mixing (Walker & Ni 2011) with the Gram matrix rebuilt at every
    step from a list of pairs: the textbook form the solver's ring of pairs must equal."""

    def __init__(self, history: int, mixing: float) -> None:
        self.h, self.mixing = history, mixing
        self.dx: list[np.ndarray] = []
        self.dg: list[np.ndarray] = []
        self.prev: tuple[np.ndarray, np.ndarray] | None = None

    def step(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        if self.prev is not None and self.h > 0:
            self.dx.append(x - self.prev[0])
            self.dg.append(g - self.prev[1])
            self.dx, self.dg = self.dx[-self.h :], self.dg[-self.h :]
        self.prev = (x, g)
        if not self.dx:
            return x + self.mixing * g
        dx, dg = np.array(self.dx), np.array(self.dg)
        gram = dg @ dg.T
        gram += 1e-12 * np.trace(gram) * np.eye(len(dg))
        gamma = np.linalg.solve(gram, dg @ g)
        return x + self.mixing * g - gamma @ (dx + self.mixing * dg)


@pytest.mark.parametrize(("history", "mixing"), [(8, 1.0), (6, 0.5), (1, 1.0), (0, 0.7)])
def test_anderson_ring_step_equals_the_textbook_form(history, mixing):
    rng = np.random.default_rng(3)
    a = 0.1 * rng.standard_normal((40, 40))

    def residual(x):
        return np.tanh(a @ x) + 0.3 - x

    fast, ref = _Anderson(40, history, mixing), _NumpyAnderson(history, mixing)
    xf = xr = np.zeros(40)
    for _ in range(25):  # more steps than the history: the ring wraps around
        xf, xr = fast.step(xf, residual(xf)), ref.step(xr, residual(xr))
        np.testing.assert_allclose(xf, xr, rtol=0, atol=1e-11)
    # and it solves the problem (a contraction: it must converge)
    assert np.max(np.abs(residual(xf))) < 1e-4 * np.max(np.abs(residual(np.zeros(40))))


def test_prolonged_history_interpolates_the_pairs_onto_the_fine_grid():
    coarse = (np.arange(16) + 0.5) * 1.0
    fine = (np.arange(32) + 0.5) * 0.5
    keep = KeptHistory()
    mix = keep.mixer(2 * coarse.size, 4, 1.0)
    # pairs that are linear in omega (interpolation is exact inside the grid)
    for k in range(3):
        x = np.concatenate([k * coarse, -2.0 * k * coarse])
        g = np.concatenate([(1.0 + k) * coarse, np.full(coarse.size, k)])
        mix.step(x, g)
    fine_keep = keep.prolonged(coarse, fine)
    fm = fine_keep.mixer(2 * fine.size, 4, 1.0)
    assert fm.k == mix.k == 2
    inside = (fine >= coarse[0]) & (fine <= coarse[-1])
    for r in range(2):
        np.testing.assert_allclose(fm.dx[r, : fine.size][inside], fine[inside], rtol=1e-14)
        np.testing.assert_allclose(fm.dx[r, fine.size :][inside], -2.0 * fine[inside], rtol=1e-14)
        np.testing.assert_allclose(fm.dg[r, : fine.size][inside], fine[inside], rtol=1e-14)
        np.testing.assert_allclose(fm.dg[r, fine.size :], 1.0, rtol=1e-14)
    np.testing.assert_allclose(fm.gram[:2, :2], fm.dg[:2] @ fm.dg[:2].T, rtol=1e-14)
    # a history without pairs gives an empty one; pairs of another grid are refused
    assert KeptHistory().prolonged(coarse, fine).mixer(64, 4, 1.0).k == 0
    with pytest.raises(ValueError, match="not on a grid of 8 points"):
        keep.prolonged(coarse[:8], fine)
