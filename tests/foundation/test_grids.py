import numpy as np
import pytest

from photosc.foundation.grids import quasiparticle, quasiparticle_dos, uniform


def test_uniform_trapezoid_integrates_linear_exactly():
    g = uniform(0.0, 2.0, 11)
    assert np.sum(g.weights * (3 * g.points + 1)) == pytest.approx(8.0)


def test_quasiparticle_grid_handles_edge_singularity():
    delta, emax = 1.5, 40.0
    g = quasiparticle_dos(delta, emax, 400)
    assert np.all(np.isfinite(g.weights))
    assert np.sum(g.weights) == pytest.approx(np.sqrt(emax**2 - delta**2), rel=1e-4)
    # plain grid integrates smooth functions: int_delta^emax dE = emax - delta
    assert np.sum(quasiparticle(delta, emax, 400).weights) == pytest.approx(emax - delta, rel=1e-4)


@pytest.mark.parametrize("args", [(0.0, 1.0, 1), (1.0, 0.0, 5)])
def test_bad_uniform(args):
    with pytest.raises(ValueError):
        uniform(*args)


def test_bad_quasiparticle():
    with pytest.raises(ValueError, match="exceed"):
        quasiparticle(2.0, 1.0, 10)
