"""Films: energy balance, Tinkham thin film, bulk Fresnel, penetration depth, tmm cross-check."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photosc.cores import optics as cd
from photosc.cores.optics import films
from photosc.foundation.units import C_LIGHT, EPS0, HBAR

RHO_PB = 350.0  # Ohm nm, paper 001 SI Table 1


def random_stack(rng, n_w):
    n_layers = int(rng.integers(1, 6))
    n = rng.uniform(0.1, 6.0, (n_w, n_layers)) + 1j * rng.uniform(0.0, 4.0, (n_w, n_layers))
    d = rng.uniform(0.5, 400.0, n_layers)
    ns = rng.uniform(1.0, 4.0) + 1j * rng.uniform(0.0, 0.3)
    n0 = rng.uniform(1.0, 1.6)
    return n, d, ns, n0


def test_constants():
    assert films.Z0_OHM == pytest.approx(376.730313, rel=1e-8)
    assert films.conductivity_si(1.0, RHO_PB) == pytest.approx(1.0 / 350e-9)


def test_dielectric_function_and_index_by_hand():
    sigma = 1e6 + 2e5j  # S/m
    w = 1.0  # meV -> omega = 1e12 / HBAR rad/s
    omega = 1e12 / HBAR
    eps = films.dielectric_function(sigma, w, eps_inf=2.0)
    assert eps == pytest.approx(2.0 + 1j * sigma / (EPS0 * omega), rel=1e-12)
    n = films.complex_index(sigma, w, eps_inf=2.0)
    assert n * n == pytest.approx(eps, rel=1e-12)
    assert n.imag > 0 and n.real > 0
    # an inductive (superfluid) conductivity: eps real negative -> n nearly imaginary
    n_sc = films.complex_index(1j * 1e7, w)
    assert n_sc.imag > 0 and n_sc.real < 1e-6 * n_sc.imag


@pytest.mark.parametrize("seed", range(6))
def test_energy_balance_random_stacks(seed):
    rng = np.random.default_rng(seed)
    w = np.geomspace(1.0, 3000.0, 7)
    n, d, ns, n0 = random_stack(rng, w.size)
    res = films.stack(n, d, w, n_ambient=n0, n_substrate=ns)
    total = res.reflectance + res.transmittance + res.absorptance
    np.testing.assert_allclose(total, 1.0, atol=1e-14)
    assert np.all(res.absorptance >= -1e-14) and np.all(res.reflectance <= 1)
    assert np.all(res.transmittance >= 0)


def test_lossless_stack_absorbs_nothing():
    rng = np.random.default_rng(3)
    w = np.geomspace(1.0, 3000.0, 9)
    n = rng.uniform(1.0, 4.0, (w.size, 4)) + 0j
    res = films.stack(n, rng.uniform(10, 500, 4), w, n_ambient=1.0, n_substrate=1.5)
    np.testing.assert_allclose(res.absorptance, 0.0, atol=1e-13)


def test_single_film_printed_equations_equal_stack():
    """SI Eqs. 10-13 as printed vs the stable recursion."""
    rng = np.random.default_rng(7)
    w = np.array([5.0, 150.0, 1500.0])
    n2 = rng.uniform(0.5, 5, 3) + 1j * rng.uniform(0, 3, 3)
    one = films.single_film(n2, 37.0, w, n_ambient=1.2, n_substrate=3.4 + 0.01j)
    st = films.stack(n2[:, None], [37.0], w, n_ambient=1.2, n_substrate=3.4 + 0.01j)
    for a, b in zip(one, st):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_thin_film_reproduces_tinkham_transmission():
    """A 2 nm Pb film (d << delta, lambda) at THz: Eqs. 10-12 -> Tinkham's formula."""
    w = np.array([1.0, 2.0, 4.0, 5.0, 8.0])  # meV, below and above 2 Delta = 2.7 meV
    s = cd.mattis_bardeen(w, 1.35, cd.thermal_occupation(0.3), energy_max=40.0)
    sigma = films.conductivity_si(s, RHO_PB)
    n = films.complex_index(sigma, w)
    d = 2.0
    assert np.all(films.penetration_depth(n, w) > 5 * d)
    n_sub = 3.42  # e.g. silicon in the far infrared
    exact = films.stack(n[:, None], [d], w, n_substrate=n_sub).transmittance
    tink = films.thin_film_transmittance(sigma, d, n_substrate=n_sub)
    np.testing.assert_allclose(exact, tink, rtol=2e-3)
    # and a thick film is not in the thin-film limit: the formula then fails
    thick = films.stack(n[:, None], [200.0], w, n_substrate=n_sub).transmittance
    tink_thick = films.thin_film_transmittance(sigma, 200.0, n_substrate=n_sub)
    assert np.max(np.abs(thick / tink_thick - 1)) > 0.1


def test_thick_film_gives_bulk_fresnel():
    w = np.array([5.0, 100.0, 1500.0])
    s = cd.drude(w, 50.0)
    n = films.complex_index(films.conductivity_si(s, RHO_PB), w)
    delta = films.penetration_depth(n, w)
    res = films.stack(n[:, None], [80 * delta.max()], w, n_substrate=1.5)
    bulk = np.abs((1 - n) / (1 + n)) ** 2
    np.testing.assert_allclose(res.reflectance, bulk, rtol=1e-12)
    assert np.all(res.transmittance < 1e-30)


def test_penetration_depth_is_the_intensity_decay_length():
    """T(d) of a thick film decays as exp(-d/delta) with delta of SI Eq. 14."""
    w = np.array([10.0, 300.0])
    n = films.complex_index(films.conductivity_si(cd.drude(w, 30.0), 3000.0), w)
    delta = films.penetration_depth(n, w)
    assert delta == pytest.approx(C_LIGHT * HBAR / (2 * w * n.imag))
    d1, d2 = 20 * delta, 25 * delta  # multiple reflections ~ exp(-d/delta) negligible
    t1 = films.stack(n[:, None], [d1[0]], w[:1]).transmittance
    t2 = films.stack(n[:, None], [d2[0]], w[:1]).transmittance
    assert math.log(t1[0] / t2[0]) == pytest.approx((d2[0] - d1[0]) / delta[0], rel=1e-7)


def test_graded_stack_of_identical_slices_equals_one_layer():
    w = np.array([10.0, 1500.0])
    n = np.array([2.0 + 3.0j, 0.3 + 5.0j])
    one = films.stack(n[:, None], [60.0], w, n_substrate=2.0)
    sliced = films.stack(np.repeat(n[:, None], 6, axis=1), [10.0] * 6, w, n_substrate=2.0)
    for a, b in zip(one, sliced):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("seed", range(5))
def test_stack_matches_tmm_package(seed):
    tmm = pytest.importorskip("tmm")
    rng = np.random.default_rng(100 + seed)
    w = np.array([3.0, 80.0, 1500.0])
    n, d, ns, n0 = random_stack(rng, w.size)
    res = films.stack(n, d, w, n_ambient=n0, n_substrate=ns)
    for i, wi in enumerate(w):
        lam_nm = 2 * math.pi * HBAR * C_LIGHT / wi
        out = tmm.coh_tmm("s", [n0, *n[i], ns], [np.inf, *d, np.inf], 0.0, lam_nm)
        assert res.r[i] == pytest.approx(out["r"], abs=1e-12)
        assert res.t[i] == pytest.approx(out["t"], abs=1e-12)
        assert res.reflectance[i] == pytest.approx(out["R"], abs=1e-12)
        assert res.transmittance[i] == pytest.approx(out["T"], abs=1e-12)


def test_bad_inputs():
    with pytest.raises(ValueError, match="n_ambient"):
        films.stack([[1.0 + 1j]], [10.0], [1.0], n_ambient=1.0 + 0.1j)
    with pytest.raises(ValueError, match="Im >= 0"):
        films.stack([[1.0 - 1j]], [10.0], [1.0])
    with pytest.raises(ValueError, match="thicknesses"):
        films.stack([[1.0 + 1j]], [10.0, 5.0], [1.0])
    with pytest.raises(ValueError, match="thicknesses"):
        films.stack([[1.0 + 1j]], [-1.0], [1.0])
    with pytest.raises(ValueError, match="omega"):
        films.stack([[1.0 + 1j]], [10.0], [0.0])
    with pytest.raises(ValueError, match="rho_n"):
        films.conductivity_si(1.0, -3.0)
    with pytest.raises(ValueError, match="Im"):
        films.penetration_depth(1.5 - 0.1j, 1.0)
    assert films.penetration_depth(1.5 + 0j, 1.0) == np.inf  # transparent medium


@pytest.mark.parametrize("seed", range(4))
def test_layer_absorptance_sums_to_total_and_is_nonnegative(seed):
    rng = np.random.default_rng(200 + seed)
    w = np.geomspace(1.0, 3000.0, 5)
    n, d, ns, n0 = random_stack(rng, w.size)
    n[:, 0] = n[:, 0].real + 0j  # a lossless layer absorbs nothing
    res = films.stack(n, d, w, n_ambient=n0, n_substrate=ns)
    per = films.layer_absorptance(n, d, w, n_ambient=n0, n_substrate=ns)
    assert per.shape == n.shape
    np.testing.assert_allclose(per.sum(axis=-1), res.absorptance, atol=1e-13)
    np.testing.assert_allclose(per[:, 0], 0.0, atol=1e-13)
    assert np.all(per >= -1e-14)


def test_layer_absorptance_of_a_sliced_thick_film_decays_with_the_penetration_depth():
    """Deposition profile of a pump in a sliced film: exp(-z/delta) with SI Eq. 14's delta."""
    w = np.array([1500.0])
    n1 = np.array([2.0 + 3.0j])
    delta = films.penetration_depth(n1, w)[0]
    dz = 2.0  # the back face at 400 nm perturbs the ratios at ~exp(-400/delta) ~ 1e-8
    per = films.layer_absorptance(np.repeat(n1[:, None], 200, axis=1), [dz] * 200, w)[0]
    np.testing.assert_allclose(per[1:20] / per[:19], math.exp(-dz / delta), rtol=1e-7)
    one = films.stack(n1[:, None], [400.0], w)
    assert per.sum() == pytest.approx(one.absorptance[0], abs=1e-13)


def test_paper_001_si_iv_penetration_depths():
    """Paper 001 SI IV: delta_pump ~ 20 nm in LaH10 at 2 eV with the 1.5 eV probe ~3 nm
    deeper; delta_pump ~ 200 nm in K3C60 at 170 meV. Far above the gap sigma = sigma_N =
    1/rho_N (SI Table 1; Mattis-Bardeen -> 1), eps_inf = 1 as in the paper's n."""
    w_lah10 = np.array([2000.0, 1500.0])  # meV: pump, probe
    n = films.complex_index(films.conductivity_si(np.ones(2), 3000.0), w_lah10)
    d_pump, d_probe = films.penetration_depth(n, w_lah10)
    assert d_pump == pytest.approx(20.0, rel=0.1)  # 20.6 nm
    assert d_probe - d_pump == pytest.approx(3.0, abs=0.5)  # 2.95 nm
    w_k3c60 = np.array([170.0])
    n = films.complex_index(films.conductivity_si(np.ones(1), 20000.0), w_k3c60)
    assert films.penetration_depth(n, w_k3c60)[0] == pytest.approx(200.0, rel=0.15)  # 180 nm


@settings(max_examples=60, deadline=None)
@given(
    layers=st.lists(
        st.tuples(
            st.floats(0.05, 20.0),  # Re N
            st.floats(0.0, 20.0),  # Im N
            st.floats(0.0, 2000.0),  # thickness, nm
        ),
        min_size=1,
        max_size=6,
    ),
    omega=st.floats(0.1, 5000.0),
    n_sub=st.tuples(st.floats(0.5, 10.0), st.floats(0.0, 5.0)),
    n_amb=st.floats(1.0, 4.0),
)
def test_energy_balance_property(layers, omega, n_sub, n_amb):
    n = np.array([[complex(a, b) for a, b, _ in layers]])
    d = [t for _, _, t in layers]
    ns = complex(*n_sub)
    res = films.stack(n, d, [omega], n_ambient=n_amb, n_substrate=ns)
    per = films.layer_absorptance(n, d, [omega], n_ambient=n_amb, n_substrate=ns)
    assert abs(res.reflectance[0] + res.transmittance[0] + res.absorptance[0] - 1) < 1e-12
    assert res.absorptance[0] >= -1e-12 and res.transmittance[0] >= 0
    assert np.all(per >= -1e-12)
    assert abs(per.sum() - res.absorptance[0]) < 1e-10
