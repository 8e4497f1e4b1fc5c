"""Gap couplings, packings and grids of the bands core."""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores.bands import (
    BandSystem,
    GapCoupling,
    MeanFieldEOM,
    Packing,
    State,
    coherent_rhs,
    minus_index,
    radial_grid,
)


def test_gap_coupling_two_valleys_matrix_form():
    """Paper 003 Eq. 12: Delta_+- = V F-sum_+- + v e^{+-i phi} F-sum_-+."""
    nk = 6
    groups = np.array([0, 0, 0, 1, 1, 1])
    w = np.full(nk, 1 / nk)
    vmat = np.array([[2.0, 0.5j], [-0.5j, 2.0]])
    c = GapCoupling(groups, vmat, w)
    rng = np.random.default_rng(0)
    s21 = rng.normal(size=nk) + 1j * rng.normal(size=nk)
    x = np.conj(s21) * w
    plus, minus = x[:3].sum(), x[3:].sum()
    expected = np.array([2 * plus + 0.5j * minus] * 3 + [-0.5j * plus + 2 * minus] * 3)
    np.testing.assert_allclose(c.gap(s21), expected)
    np.testing.assert_allclose(c.gap(np.stack([s21, s21]))[1], expected)


def test_uniform_coupling_sign_convention():
    w = np.full(4, 0.25)
    s21 = np.full(4, 0.1 + 0.2j)
    np.testing.assert_allclose(GapCoupling.uniform(3.0, w).gap(s21), 3.0 * (0.1 - 0.2j))


def test_minus_index_on_a_periodic_2d_grid():
    b = np.array([[1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    n = 6
    frac = np.array([(i / n, j / n) for i in range(n) for j in range(n)])
    k = frac @ b
    m = minus_index(k, period=b)
    back = np.mod((-k[np.arange(len(k))] - k[m]) @ np.linalg.inv(b) + 1e-9, 1.0)
    np.testing.assert_allclose(np.minimum(back, 1 - back), 0, atol=1e-7)
    assert np.all(m[m] == np.arange(len(k)))
    with pytest.raises(ValueError, match="no partner"):
        minus_index(np.array([0.0, 0.1, 0.3]))


def test_full_packing_keeps_intraband_pairs_odd():
    k = radial_grid(0.2, 0.1)
    mi = minus_index(k)
    p = Packing(mi, "full")
    rng = np.random.default_rng(1)
    y = rng.normal(size=p.size)
    st = p.unpack(y)
    np.testing.assert_allclose(st.s[mi], -np.swapaxes(st.s, 1, 2))
    with pytest.raises(ValueError, match="layout"):
        Packing(mi, "half")


def test_asymmetric_drive_generates_intraband_pairs():
    """A drive that is not even in k couples s21 to s11, s22 (paper 003's valley drive)."""
    k = radial_grid(0.2, 0.1)
    nk = len(k)
    mi = minus_index(k)
    omega = np.where(k > 0, 0.3, 0.0).astype(complex)
    sysm = BandSystem(k, k**2, 2 * k**2, omega, mi, np.full(nk, 1 / nk))
    n = np.zeros((nk, 2, 2), dtype=complex)
    n[:, 0, 0] = 1.0
    s = np.zeros_like(n)
    s[:, 1, 0] = 0.1
    s[:, 0, 1] = -0.1
    dn, ds = coherent_rhs(sysm.hamiltonian(), np.zeros(nk, complex), n, s, mi)
    assert np.abs(ds[:, 0, 0]).max() > 0.01
    eom = MeanFieldEOM(sysm, None, [], layout="full")
    f = eom(0.0, eom.packing.pack(State(n, s)))
    assert np.abs(f[6 * nk :]).max() > 0.01
    # an even drive does not
    sym = BandSystem(k, k**2, 2 * k**2, np.full(nk, 0.3 + 0j), mi, np.full(nk, 1 / nk))
    _, ds = coherent_rhs(sym.hamiltonian(), np.zeros(nk, complex), n, s, mi)
    assert np.abs(ds[:, 0, 0]).max() < 1e-15


def test_band_system_validation():
    k = radial_grid(0.2, 0.1)
    mi = minus_index(k)
    with pytest.raises(ValueError, match="e2"):
        BandSystem(k, k, k[:-1], np.zeros(len(k), complex), mi, np.ones(len(k)))
    with pytest.raises(ValueError, match="k_cutoff"):
        radial_grid(-1.0, 0.1)


def test_unphysical_amount():
    from photosc.cores.bands import ground_state, unphysical_amount

    k = radial_grid(0.2, 0.1)
    mi = minus_index(k)
    assert unphysical_amount(ground_state(len(k)), mi) == 0.0
    # a pair seed on a filled/empty mode pair is unphysical at the order of the seed
    assert unphysical_amount(ground_state(len(k), 1e-3), mi) == pytest.approx(1e-3, rel=1e-6)
    st = ground_state(len(k))
    st.n[2, 1, 1] = 1.2
    assert unphysical_amount(st, mi) == pytest.approx(0.2, abs=1e-5)
    # a BCS-like pure pair state (u, v) is physical: n = v^2 in both modes, s = u v
    n = np.zeros((len(k), 2, 2), dtype=complex)
    s = np.zeros_like(n)
    v2 = 0.3
    n[:, 0, 0] = n[:, 1, 1] = v2
    s[:, 1, 0] = np.sqrt(v2 * (1 - v2))
    s[:, 0, 1] = -s[mi, 1, 0]
    assert unphysical_amount(State(n, s), mi) < 1e-12
    s *= 1.5  # too much pair amplitude
    assert unphysical_amount(State(n, s), mi) > 0.05


@pytest.mark.parametrize("layout", ["interband", "full"])
@pytest.mark.parametrize("groups", [1, 2])
def test_one_call_rhs_equals_the_per_kernel_path(layout, groups):
    """The fused right-hand side (issue 16) is the separate kernels' result bit for bit:
    paper 002's equations (two bilinear baths, a uniform coupling) and a two-group one."""
    from photosc.cores.bands import acoustic_phonons_1d, radiative_recombination

    k = radial_grid(0.2, 0.02)
    nk = len(k)
    mi = minus_index(k)
    weights = np.full(nk, 0.02 / (2 * np.pi))
    system = BandSystem(k, 7 * k**2, 24 * k**2, np.full(nk, 0.02 + 0.01j), mi, weights)
    if groups == 1:
        coupling = GapCoupling.uniform(-3.0, weights)
    else:
        coupling = GapCoupling(
            (k > 0).astype(np.intp), np.array([[-2.0, -0.5], [-0.5, -1.0]], complex), weights
        )
    baths = [
        acoustic_phonons_1d(k, (7.0, 24.0), 0.6, 0.04, 0.0, mi),
        radiative_recombination(nk, 0.004, mi),
    ]
    eom = MeanFieldEOM(system, coupling, baths, layout=layout)
    assert eom._fused is not None
    rng = np.random.default_rng(3)
    for _ in range(5):
        y = rng.normal(scale=0.3, size=eom.packing.size)
        np.testing.assert_array_equal(eom(0.0, y), eom._single_reference(y))
    # without a coupling, and the batched (unfused) form agrees to round-off
    bare = MeanFieldEOM(system, None, baths, layout=layout)
    np.testing.assert_array_equal(bare(0.0, y), bare._single_reference(y))
    np.testing.assert_allclose(eom(0.0, y[:, None])[:, 0], eom(0.0, y), rtol=0, atol=1e-14)
