"""Tests of the pairing eigenvalue lambda_max with thermal and non-thermal f and n
(photosc.cores.eliashberg.EliashbergSolver.pairing_eigenvalue; issue 12 section 2b).

Independent checks: the linearised Eliashberg eigenvalue on the Matsubara axis (thermal
f and n, mu* = 0, where the two sharp-cutoff conventions do not enter), and for
non-thermal f and n the same operator on an 8x finer grid.
"""

from __future__ import annotations

import numpy as np
import pytest
from eliashberg_helpers import k3c60_solver, matsubara_kernel, pumped_f
from scipy.sparse.linalg import eigs

from photosc.cores.eliashberg import EliashbergSolver, PairingEigen
from photosc.cores.spectra import builtin
from photosc.foundation.distributions import bose, fermi
from photosc.foundation.units import KB


def matsubara_eigenvalue(omega, a2f, temperature, cutoff_factor=30.0):
    """Leading eigenvalue of the linearised Matsubara gap equation (mu* = 0), at T (K).

    Z_n = 1 + (pi T / w_n) [lambda(0) + 2 sum_{k=1}^{n} lambda(k)],
    lambda Z_n Delta_n = pi T sum_{m >= 0} [lambda(n - m) + lambda(n + m + 1)] Delta_m / w_m,
    lambda(k) = int 2 W alpha^2F(W) / (W^2 + (2 pi k T)^2) dW (trapezoid on the spectrum's
    points), Matsubara sum cut at cutoff_factor x the highest phonon energy. Scaling the
    pairing kernel by 1 / lambda commutes with the analytic continuation, so this equals
    the real-axis eigenvalue at every T, not only 1 at T_c.
    """
    k = matsubara_kernel(omega, a2f, temperature, 0.0, cutoff_factor)
    vals = eigs(k, k=1, which="LR", return_eigenvectors=False, tol=1e-12)
    return float(np.max(vals.real))


@pytest.fixture(scope="module")
def grids():
    return {h: k3c60_solver(h) for h in (1.0, 0.5)}


@pytest.mark.parametrize("step", [1.0, 0.5])
def test_eigenvalue_is_one_at_tc0(grids, step):
    """lambda_max = 1 at T_c0 = 15.0 K (SI Table 1, K3C60) within 0.5 %, thermal f and n,
    given as kT or as explicit arrays."""
    sol = grids[step]
    kt = KB * 15.0
    e = sol.pairing_eigenvalue(kT=kt)
    assert isinstance(e, PairingEigen)
    assert e.value == pytest.approx(1.0, abs=5e-3)
    assert e.vector.shape == (2 * sol.n,)
    assert np.linalg.norm(e.vector) == pytest.approx(1.0)
    arrays = sol.pairing_eigenvalue(f=fermi(sol.omega, kt), n=sol.thermal_n(kt))
    assert arrays.value == pytest.approx(e.value, rel=1e-9)
    assert sol.linearized_eigenvalue(kt) == pytest.approx(e.value, rel=1e-9)


@pytest.mark.parametrize("temperature", [40.0, 60.0])
def test_eigenvalue_against_matsubara(temperature):
    """Thermal K3C60 with mu* = 0: real-axis lambda_max against the Matsubara-axis one at
    T = 40, 60 K (T_c(mu* = 0) ~ 55 K). Stated error: the real-axis product integration
    (O(h^2) at step 0.5 meV) and the trapezoid lambda(k) of the Matsubara side; found
    <= 5e-4 from 15 to 60 K, asserted 2e-3."""
    s = builtin("K3C60")
    sol = EliashbergSolver(s.omega, s.a2f, 0.0, omega_max=1037.5, step=0.5)
    real = sol.pairing_eigenvalue(kT=KB * temperature).value
    mats = matsubara_eigenvalue(s.omega, s.a2f, temperature)
    assert real == pytest.approx(mats, rel=2e-3)


def test_nonthermal_eigenvalue_converged_in_step(grids):
    """Pumped f (:func:`pumped_f`) at 20 K with a hot-phonon bump at 30 meV:
    lambda_max > 1 (the normal state is Cooper-unstable above T_c0), the same within
    0.2 % on the 1 and 0.5 meV grids as on a 0.125 meV grid (found 1e-3 and 1e-4);
    hot phonons lower it."""
    kt = KB * 20.0
    fine = k3c60_solver(0.125)

    def inputs(sol):
        n = sol.thermal_n(kt)
        n[1:] += 0.05 * np.exp(-(((sol.phonon_omega[1:] - 30.0) / 3.0) ** 2))
        return pumped_f(sol.omega, kt), n

    f_fine, n_fine = inputs(fine)
    ref = fine.pairing_eigenvalue(f=f_fine, n=n_fine).value
    assert ref > 1.05
    for step, sol in grids.items():
        f, n = inputs(sol)
        got = sol.pairing_eigenvalue(f=f, n=n).value
        assert got == pytest.approx(ref, rel=2e-3), step
        assert got < sol.pairing_eigenvalue(kT=kt, f=f).value
        assert sol.pairing_eigenvalue(kT=kt).value < 1.0


def test_warm_start_is_cheap_and_identical(grids):
    """A warm start from the previous eigenvector (a nearby f) needs about half the
    operator applications of the cold ARPACK start and gives the same eigenpair."""
    sol = grids[0.5]
    kt = KB * 20.0
    prev = sol.pairing_eigenvalue(kT=kt, f=pumped_f(sol.omega, kt))
    f2 = pumped_f(sol.omega, kt, KB * 8.5)
    warm = sol.pairing_eigenvalue(kT=kt, f=f2, v0=prev)
    cold = sol.pairing_eigenvalue(kT=kt, f=f2)
    assert warm.value == pytest.approx(cold.value, rel=1e-7)
    assert abs(float(np.dot(warm.vector, cold.vector))) == pytest.approx(1.0, abs=1e-6)
    assert warm.iterations <= 15 < cold.iterations
    with pytest.raises(ValueError, match="v0"):
        sol.pairing_eigenvalue(kT=kt, v0=np.ones(3))


def test_normal_z_with_nonthermal_inputs_matches_solver(grids):
    """normal_z(f=, n=) is the Z of the normal-state solve with the same f and n."""
    sol = grids[1.0]
    kt = KB * 20.0
    f = pumped_f(sol.omega, kt)
    w = sol.phonon_omega
    n = np.zeros_like(w)
    n[1:] = bose(w[1:], KB * 25.0)
    zn = sol.normal_z(f=f, n=n)
    r = sol.solve(f=f, n=n, warm_start=np.zeros(sol.n))
    np.testing.assert_allclose(zn, r.z, rtol=1e-12)


def test_early_exit_is_accurate_and_cheaper(grids):
    """early_exit (issue 16): from the previous eigenvector the leading Ritz pair is
    returned once its residual meets tol; the eigenvalue agrees with ARPACK at tol 1e-12
    to within the requested 1e-6 (a non-normal operator: error <= condition x residual;
    found ~1e-8), with fewer operator applications than the full 10-dimensional cycle."""
    sol = grids[0.5]
    kt = KB * 20.0
    prev = sol.pairing_eigenvalue(kT=kt, f=pumped_f(sol.omega, kt))
    f2 = pumped_f(sol.omega, kt, KB * 8.5)
    ref = sol.pairing_eigenvalue(kT=kt, f=f2, tol=1e-12)
    full = sol.pairing_eigenvalue(kT=kt, f=f2, v0=prev, tol=1e-6)
    early = sol.pairing_eigenvalue(kT=kt, f=f2, v0=prev, tol=1e-6, early_exit=2)
    assert early.value == pytest.approx(ref.value, rel=1e-6)
    assert abs(float(np.dot(early.vector, ref.vector))) == pytest.approx(1.0, abs=1e-5)
    assert 2 <= early.iterations < full.iterations
    # the returned pair meets the residual it was asked for
    op = sol.linearized_operator(kT=kt, f=f2)
    resid = np.linalg.norm(op(early.vector) - early.value * early.vector)
    assert resid <= 1e-6 * abs(early.value)
    with pytest.raises(ValueError, match="k_min"):
        sol.pairing_eigenvalue(kT=kt, f=f2, v0=prev, early_exit=1)
