"""The structured Jacobian and the chord Newton path against the dense reference (issue 16)."""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores.bands import (
    BandSystem,
    FermionReservoir,
    FixedGap,
    GapCoupling,
    MeanFieldEOM,
    ground_state,
    integrate,
    minus_index,
    radial_grid,
    refine_steady_state,
)
from photosc.errors import ConvergenceError
from photosc.models.interband_pairing import InterbandNumerics, PhaseParams, _build

#: central differences with eps = 1e-7 on entries of order 1: rounding ~1e-9
FD_ATOL = 1e-8


def paper002_eom(rabi: float = 0.25, interaction: float = 5.0) -> MeanFieldEOM:
    """Paper-002 equations (phonons, radiative recombination, uniform gap) on 21 points."""
    params = PhaseParams(rabi=rabi, interaction=interaction, phonon_velocity=0.5)
    return _build(params, InterbandNumerics(dk=0.02), params.gamma_rr)


def valley_eom(coupling_kind: str) -> MeanFieldEOM:
    """Reservoir system with a two-group gap coupling, a fixed gap or no gap."""
    k = radial_grid(1.0, 0.25)
    minus = minus_index(k)
    nk = len(k)
    sysm = BandSystem(
        k, 0.3 * k**2, 0.4 * k**2, np.full(nk, 0.2 + 0.05j), minus, np.full(nk, 1 / nk)
    )
    occ = np.stack([np.full(nk, 0.9), np.full(nk, 0.05)], axis=1)
    res = FermionReservoir(np.full((nk, 2), 0.1), occ, minus)
    if coupling_kind == "groups":
        groups = (k > 0).astype(np.intp)
        vmat = np.array([[-2.0, -0.7 + 0.3j], [-0.7 - 0.3j, -1.5]])
        coupling = GapCoupling(groups, vmat, sysm.weights)
    elif coupling_kind == "fixed":
        coupling = FixedGap(np.linspace(0.1, 0.3, nk) * (1 + 0.5j))
    else:
        coupling = None
    return MeanFieldEOM(sysm, coupling, [res])


@pytest.mark.parametrize("shift", [0.0, 0.137, -0.6])
def test_structured_jacobian_equals_dense_paper002(shift):
    """Shift 0 is the frame in which the k = 0 band energies vanish (a zero coefficient
    must not hide a sparsity entry in another frame)."""
    base = paper002_eom()
    base.structured_jacobian(np.full(base.packing.size, 0.1))  # structure from frame 0
    eom = base.with_shift(shift)
    rng = np.random.default_rng(7)
    y = rng.uniform(0.0, 0.5, eom.packing.size)
    dense = eom.jacobian(y)
    fast = eom.structured_jacobian(y)
    np.testing.assert_allclose(fast, dense, rtol=0, atol=FD_ATOL)
    assert np.abs(dense).max() > 0.1  # not a vacuous comparison
    # fewer right-hand-side evaluations than columns
    assert eom._colouring()[3] < eom.packing.size / 4


@pytest.mark.parametrize("kind", ["groups", "fixed", "none"])
def test_structured_jacobian_equals_dense_other_couplings(kind):
    eom = valley_eom(kind)
    rng = np.random.default_rng(3)
    y = rng.uniform(0.0, 0.5, eom.packing.size)
    np.testing.assert_allclose(eom.structured_jacobian(y), eom.jacobian(y), rtol=0, atol=FD_ATOL)


REFERENCE = dict(reuse_jacobian=False, stall_iterations=None, structured_jacobian=False)


def _paired_start() -> tuple[MeanFieldEOM, np.ndarray, float]:
    eom = paper002_eom()
    nk = eom.packing.nk
    y0 = eom.packing.pack(ground_state(nk, 1e-6 * (1 + 1j)))
    tr = integrate(eom, y0, np.linspace(0.0, 600.0, 61), rtol=1e-7, atol=1e-9)
    d = eom.gap(eom.packing.unpack(tr.y[:, -2:]))[:, 0]
    rotation = np.angle(d[-1] / d[-2]) / (tr.t[-1] - tr.t[-2])
    return eom, tr.y[:, -1], -0.5 * rotation


def test_chord_newton_finds_the_reference_fixed_point():
    eom, y, shift = _paired_start()
    ref = refine_steady_state(eom, y, shift_guess=shift, **REFERENCE)
    new = refine_steady_state(eom, y, shift_guess=shift)
    assert new.residual < 1e-11 and ref.residual < 1e-11
    assert new.jacobians < ref.jacobians  # the point of the chord steps
    assert new.jacobians <= new.iterations
    e_ref, e_new = eom.with_shift(ref.shift), eom.with_shift(new.shift)
    gap_ref = abs(e_ref.gap(e_ref.packing.unpack(ref.y))[0])
    gap_new = abs(e_new.gap(e_new.packing.unpack(new.y))[0])
    assert gap_ref > 1e-3
    assert gap_new == pytest.approx(gap_ref, rel=1e-8)
    assert new.shift == pytest.approx(ref.shift, abs=1e-9)
    np.testing.assert_allclose(new.y, ref.y, rtol=0, atol=1e-8)


def test_reference_path_is_the_plain_newton_method():
    """reuse off: one fresh Jacobian per step, as before issue 16."""
    eom, y, shift = _paired_start()
    ref = refine_steady_state(eom, y, shift_guess=shift, **REFERENCE)
    assert ref.jacobians == ref.iterations


def test_stalled_newton_gives_up_early_with_the_residual():
    """Far from any fixed point (the unpaired run at a tiny drive after a short time), the
    damped steps crawl: the new path stops after ``stall_iterations`` fresh Jacobians."""
    eom = paper002_eom(rabi=0.005, interaction=1.0)
    y0 = eom.packing.pack(ground_state(eom.packing.nk))
    y = integrate(eom, y0, np.array([0.0, 300.0]), rtol=1e-7, atol=1e-9).y[:, -1]
    with pytest.raises(ConvergenceError) as new_err:
        refine_steady_state(eom, y, stall_iterations=3)
    with pytest.raises(ConvergenceError):
        refine_steady_state(eom, y, **REFERENCE)
    assert new_err.value.residual > 1e-11
    assert new_err.value.iterations < 30


def test_colouring_is_shared_within_a_sweep_and_only_there():
    """Points of a sweep (other Omega, V) reuse the colouring; equations whose sparsity
    may differ (no drive, no interaction) get their own, and every one stays exact."""
    rng = np.random.default_rng(11)
    a = paper002_eom(rabi=0.1, interaction=3.0)
    b = paper002_eom(rabi=0.3, interaction=6.0)
    assert a._structure_key() == b._structure_key()
    no_gap = paper002_eom(rabi=0.1, interaction=0.0)
    assert no_gap._structure_key() != a._structure_key()
    params = PhaseParams(rabi=0.1, interaction=3.0, phonon_velocity=0.5, gamma_ph=0.0)
    no_phonons = _build(params, InterbandNumerics(dk=0.02), params.gamma_rr)
    assert no_phonons._structure_key() != a._structure_key()
    for eom in (no_gap, no_phonons, a, b):
        y = rng.uniform(0.0, 0.5, eom.packing.size)
        np.testing.assert_allclose(
            eom.structured_jacobian(y), eom.jacobian(y), rtol=0, atol=FD_ATOL
        )
    assert a._colouring() is b._colouring()
    # a dissipator of another kind: no sharing (None), still exact
    assert valley_eom("groups")._structure_key() is None


def test_stability_with_the_structured_jacobian():
    from photosc.cores.bands import stability

    eom, y, shift = _paired_start()
    ss = refine_steady_state(eom, y, shift_guess=shift)
    e2 = eom.with_shift(ss.shift)
    dense = stability(e2, ss.y)
    fast = stability(e2, ss.y, structured_jacobian=True)
    assert dense.stable and fast.stable
    assert (fast.n_zero_modes, fast.n_marginal) == (dense.n_zero_modes, dense.n_marginal)
    assert fast.max_growth_rate == pytest.approx(dense.max_growth_rate, abs=1e-8)
    for part in (np.real, lambda z: np.abs(np.imag(z))):
        np.testing.assert_allclose(
            np.sort(part(fast.eigenvalues)), np.sort(part(dense.eigenvalues)), atol=1e-7
        )
