"""Physics of the bands dissipators: conservation, detailed balance, paper 002 App. A forms."""

from __future__ import annotations

import numpy as np
import pytest

from photosc.cores.bands import (
    BandSystem,
    FermionReservoir,
    GapCoupling,
    MeanFieldEOM,
    State,
    acoustic_phonons_1d,
    fermion_reservoir,
    minus_index,
    phonon_channels_1d,
    radial_grid,
    radiative_recombination,
)
from photosc.foundation.distributions import fermi

K = radial_grid(0.2, 0.01)
MINUS = minus_index(K)
NK = len(K)


def random_state(rng: np.random.Generator, nk: int = NK, minus=MINUS) -> State:
    n = rng.uniform(0, 1, (nk, 2, 2)) + 1j * rng.uniform(-0.3, 0.3, (nk, 2, 2))
    n = 0.5 * (n + np.conj(np.swapaxes(n, 1, 2)))
    s = 0.2 * (rng.normal(size=(nk, 2, 2)) + 1j * rng.normal(size=(nk, 2, 2)))
    s = 0.5 * (s - np.swapaxes(s[minus], 1, 2))  # s[-k] = -s[k].T
    return State(n, s)


def rhs(dis, st: State) -> tuple[np.ndarray, np.ndarray]:
    dn = np.zeros_like(st.n)
    ds = np.zeros_like(st.s)
    dis.add_rhs(st.n, st.s, dn, ds)
    return dn, ds


@pytest.mark.parametrize("form", ["band_diagonal", "cross"])
@pytest.mark.parametrize("kT", [0.0, 0.02])
def test_phonons_conserve_particle_number_exactly(form, kT):
    rng = np.random.default_rng(0)
    dis = acoustic_phonons_1d(K, (7.0, 24.0), 0.3, 0.02, kT, MINUS, form=form)
    for _ in range(3):
        st = random_state(rng)
        dn, _ = rhs(dis, st)
        assert abs(np.trace(dn, axis1=1, axis2=2).sum()) < 1e-14


def test_radiative_conserves_particle_number_exactly():
    rng = np.random.default_rng(1)
    dn, _ = rhs(radiative_recombination(NK, 0.05, MINUS), random_state(rng))
    assert abs(np.trace(dn, axis1=1, axis2=2).sum()) < 1e-14


def test_compiled_kernel_matches_numpy_reference():
    rng = np.random.default_rng(2)
    st = random_state(rng)
    for dis in (
        acoustic_phonons_1d(K, (7.0, 24.0), 0.3, 0.02, 0.01, MINUS, form="band_diagonal"),
        acoustic_phonons_1d(K, (7.0, 24.0), 0.3, 0.02, 0.01, MINUS, form="cross"),
        radiative_recombination(NK, 0.05, MINUS),
    ):
        a = rhs(dis, st)
        b = (np.zeros_like(st.n), np.zeros_like(st.s))
        dis.add_rhs_reference(st.n, st.s, *b)
        np.testing.assert_allclose(a[0], b[0], atol=1e-13)
        np.testing.assert_allclose(a[1], b[1], atol=1e-13)


def test_phonon_channels_map_energy_conservation_onto_grid():
    a, v = 7.0, 0.3
    ch = phonon_channels_1d(K, a, v)
    assert np.all(ch.energy > 0)
    assert np.all(np.abs(K[ch.k_to]) < np.abs(K[ch.k_from]))
    # exact final momentum -p + sign(p) v / a is bracketed by the grid targets
    p = K[ch.k_from]
    exact = -p + np.sign(p) * v / a
    assert np.all(np.abs(K[ch.k_to] - exact) < (K[1] - K[0]) + 1e-12)
    # weighted mean target equals the exact one where both grid targets exist
    for kf in np.unique(ch.k_from):
        sel = ch.k_from == kf
        if np.isclose(ch.weight[sel].sum(), 1.0):
            mean = (ch.weight[sel] * K[ch.k_to[sel]]).sum()
            assert mean == pytest.approx(-K[kf] + np.sign(K[kf]) * v / a, abs=1e-12)
    # phonon energy ~ v |q| (exact on the continuum, grid error O(dk))
    q = np.abs(K[ch.k_from] - K[ch.k_to])
    assert np.allclose(ch.energy, v * q, atol=2 * a * 0.2 * (K[1] - K[0]))


def test_phonon_velocity_below_grid_resolution_is_rejected():
    with pytest.raises(ValueError, match="phonon_velocity"):
        phonon_channels_1d(K, 24.0, 0.1)


@pytest.mark.parametrize("form", ["band_diagonal", "cross"])
def test_phonons_detailed_balance_fermi_distribution_is_stationary(form):
    """Any Fermi-Dirac occupation of the grid energies at the phonon temperature is stationary."""
    a1, a2, kT = 7.0, 24.0, 0.03
    dis = acoustic_phonons_1d(K, (a1, a2), 0.3, 0.02, kT, MINUS, form=form)
    n = np.zeros((NK, 2, 2), dtype=complex)
    n[:, 0, 0] = fermi(a1 * K**2 - 0.05, kT)
    n[:, 1, 1] = fermi(a2 * K**2 - 0.12, kT)
    dn, ds = rhs(dis, State(n, np.zeros_like(n)))
    if form == "band_diagonal":
        assert np.abs(dn).max() < 1e-15
    else:
        # the App.-A cross form moves band-2 electrons along band-1 channels (and
        # vice versa): they do not conserve band-2 energy, so equilibrium is NOT stationary
        assert np.abs(dn).max() > 1e-4
    # and a non-equilibrium occupation is not
    n[:, 0, 0] = fermi(a1 * K**2 - 0.05, 3 * kT)
    dn, _ = rhs(dis, State(n, np.zeros_like(n)))
    assert np.abs(dn).max() > 1e-5


def test_phonons_zero_temperature_relax_to_the_band_bottom():
    """T = 0: a filled Fermi sea around k = 0 is stationary, a hole at k=0 gets filled."""
    dis = acoustic_phonons_1d(K, (7.0, 24.0), 0.3, 0.02, 0.0, MINUS)
    n = np.zeros((NK, 2, 2), dtype=complex)
    n[np.abs(K) <= 0.05, 0, 0] = 1.0
    dn, _ = rhs(dis, State(n, np.zeros_like(n)))
    assert np.abs(dn).max() < 1e-15
    n[NK // 2, 0, 0] = 0.0
    dn, _ = rhs(dis, State(n, np.zeros_like(n)))
    assert dn[NK // 2, 0, 0].real > 0


def test_phonon_loss_rate_of_a_lone_electron_is_gamma():
    """Paper 002 A7/A9 (diagonal populations): dn_p = -gamma n_p (1 - n_p') = -2 Gamma^ph."""
    gamma = 0.02
    dis = acoustic_phonons_1d(K, (7.0, 24.0), 0.3, gamma, 0.0, MINUS)
    n = np.zeros((NK, 2, 2), dtype=complex)
    n[-1, 1, 1] = 1.0
    dn, _ = rhs(dis, State(n, np.zeros_like(n)))
    assert dn[-1, 1, 1].real == pytest.approx(-gamma, rel=1e-12)
    assert np.trace(dn, axis1=1, axis2=2).sum() == pytest.approx(0, abs=1e-15)


def test_radiative_terms_against_paper_002_a8_a11():
    """Derived for L = c^dag_{k1} c_{k2} with Lindblad rate gamma:

    dn11_k = gamma n22_k (1 - n11_k)    (A8 prints Gamma^rr: gamma = Gamma^rr)
    dn21_k = -(gamma/2) n21_k                (A11: -Gamma^rr n21 (1 - n11 + n22))
    ds21_k = -(gamma/2) (1 - n11_k + n22_{-k}) s21_k  (A12 says: no Gamma^rr at all)

    The interband coherence decays at gamma/2 whatever the populations (exact:
    only the singly occupied conduction state decays); the population factor
    (1 - n11 + n22) that A11 prints belongs to the pair amplitude instead.
    The Fock-space tests confirm these forms (exact for Gaussian states).
    """
    gamma = 0.1
    dis = radiative_recombination(NK, gamma, MINUS)
    rng = np.random.default_rng(5)
    n11 = rng.uniform(0, 1, NK)
    n22 = rng.uniform(0, 1, NK)
    n = np.zeros((NK, 2, 2), dtype=complex)
    n[:, 0, 0], n[:, 1, 1] = n11, n22
    dn, _ = rhs(dis, State(n, np.zeros_like(n)))
    np.testing.assert_allclose(dn[:, 0, 0].real, gamma * n22 * (1 - n11), atol=1e-15)
    np.testing.assert_allclose(dn[:, 1, 1].real, -gamma * n22 * (1 - n11), atol=1e-15)
    # small coherence: linear part of dn21
    n21 = 1e-6 * (1 + 2j)
    n[:, 1, 0], n[:, 0, 1] = n21, np.conj(n21)
    dn, _ = rhs(dis, State(n, np.zeros_like(n)))
    np.testing.assert_allclose(dn[:, 1, 0], -0.5 * gamma * n21 * np.ones(NK), rtol=1e-6)
    assert not np.allclose(dn[:, 1, 0], -0.5 * gamma * n21 * (1 - n11 + n22), rtol=1e-2)
    # pair amplitude: depends on the radiative rate, contrary to the remark after A12
    s = np.zeros_like(n)
    s21 = 1e-6 * (1 - 1j)
    s[:, 1, 0], s[:, 0, 1] = s21, -s21
    n[:, 1, 0] = n[:, 0, 1] = 0
    _, ds = rhs(dis, State(n, s))
    nz = K != 0
    expected = -0.5 * gamma * s21 * (1 - n11 + n22[MINUS])
    np.testing.assert_allclose(ds[nz, 1, 0], expected[nz], rtol=1e-9)
    # k = 0: L = c^dag_1 c_2 annihilates both |0> and |12>, so the pair coherence survives
    assert ds[~nz, 1, 0] == pytest.approx(0.0, abs=1e-20)


def test_reservoir_relaxes_to_fermi_occupations_without_drive():
    e1 = -0.5 + 2 * K**2
    e2 = 0.5 + 3 * K**2
    res = fermion_reservoir(e1, e2, 0.01, 0.02, 0.1, 0.05, MINUS)
    n = np.zeros((NK, 2, 2), dtype=complex)
    n[:, 0, 0], n[:, 1, 1] = res.occupation[:, 0], res.occupation[:, 1]
    dn, _ = rhs(res, State(n, np.zeros_like(n)))
    assert np.abs(dn).max() < 1e-16
    with pytest.raises(ValueError, match="gamma1"):
        fermion_reservoir(e1, e2, -0.01, 0.02, 0.1, 0.05, MINUS)


def test_reservoir_validation_errors():
    with pytest.raises(ValueError, match="rates"):
        FermionReservoir(-np.ones((NK, 2)), np.zeros((NK, 2)), MINUS)
    with pytest.raises(ValueError, match="occupations"):
        FermionReservoir(np.ones((NK, 2)), 2 * np.ones((NK, 2)), MINUS)


def test_batched_rhs_equals_single_evaluations():
    rng = np.random.default_rng(7)
    omega = np.full(NK, 0.1 + 0j)
    sysm = BandSystem(K, 7 * K**2, 24 * K**2, omega, MINUS, np.full(NK, 0.01))
    eom = MeanFieldEOM(
        sysm,
        GapCoupling.uniform(-3.0, sysm.weights),
        [
            acoustic_phonons_1d(K, (7.0, 24.0), 0.3, 0.02, 0.01, MINUS),
            radiative_recombination(NK, 0.002, MINUS),
        ],
    )
    ys = np.stack([eom.packing.pack(random_state(rng)) for _ in range(3)], axis=1)
    fb = eom(0.0, ys)
    for i in range(3):
        np.testing.assert_allclose(fb[:, i], eom(0.0, ys[:, i]), atol=1e-14)
    # pack/unpack round trip
    st = eom.packing.unpack(ys[:, 0])
    np.testing.assert_allclose(eom.packing.pack(st), ys[:, 0])
