"""Sample geometries, measured quantities and the probe convolution of photosc.pipeline."""

import numpy as np
import pytest

from photosc.cores import optics
from photosc.pipeline import signal as ps
from photosc.pipeline.sample import pump_absorption

RHO = 350.0  # Ohm nm
W = np.array([5.0, 20.0])  # meV


def _sigma(n_t: int = 4, scale: float = 0.05) -> np.ndarray:
    """A made-up conductivity history (n_t, n_w, 1), S/m: row 0 the pre-pump state."""
    s = (1.0 + 0.3j * (W / 5.0) ** -1)[None, :] * (1.0 + scale * np.arange(n_t))[:, None]
    return optics.conductivity_si(s, RHO)[..., None]


def test_sample_refuses_inconsistent_geometry():
    with pytest.raises(ValueError, match="geometry"):
        ps.Sample("slab", 10.0)
    with pytest.raises(ValueError, match="at least one layer"):
        ps.Sample("stack", 10.0)
    with pytest.raises(ValueError, match="same length"):
        ps.Sample("stack", 10.0, layer_thicknesses=(5.0,), layer_indices=())


def test_film_deposition_is_pump_absorption():
    sample = ps.Sample("film-on-substrate", 10.0, n_substrate_pump=3.7)
    dep = ps.pump_deposition(sample, 1500.0, RHO)
    chi, _, depth = pump_absorption(1500.0, RHO, 10.0, n_substrate=3.7)
    assert dep.absorbed_fraction == chi and dep.pump_depth == depth
    assert dep.pumped_depth == 10.0


def test_thick_sample_is_pumped_over_its_penetration_depth():
    """A thick sample: d = delta_pump, and chi = 1 - R of the bare surface (Fresnel)."""
    dep = ps.pump_deposition(ps.Sample("thick", 1e4, n_ambient=2.41), 2000.0, 300.0)
    assert dep.pumped_depth == dep.pump_depth
    n = optics.complex_index(optics.conductivity_si(np.ones(1), 300.0), np.array([2000.0]))[0]
    r = abs((2.41 - n) / (2.41 + n)) ** 2
    assert dep.absorbed_fraction == pytest.approx(1.0 - r, rel=1e-9)
    # ... whatever the thickness of the pumped layer drawn on top: a layer of 3 delta_pump
    # (K3C60 at 170 meV: 600 nm against 180 nm) passes e^-3.3 of what enters to the
    # material below, which is the same material and absorbs it
    thin = ps.pump_deposition(
        ps.Sample("thick", 3.0 * dep.pump_depth, n_ambient=2.41), 2000.0, 300.0
    )
    assert thin.absorbed_fraction == dep.absorbed_fraction


def test_an_invisible_stack_layer_changes_nothing():
    """A layer with the substrate's own index between film and substrate is the
    substrate: stack and film-on-substrate give the same R, T, dR/R, dT/T; its
    absorptance at the pump is the film's."""
    film = ps.Sample("film-on-substrate", 12.0, n_substrate_pump=1.7, n_substrate_probe=3.1)
    stack = ps.Sample(
        "stack",
        12.0,
        n_substrate_pump=1.7,
        n_substrate_probe=3.1,
        layer_thicknesses=(40.0,),
        layer_indices=(3.1,),
    )
    sig = _sigma()
    a = ps.sample_response(sig, [12.0], W, film)
    b = ps.sample_response(sig, [12.0], W, stack)
    for x, y in zip(a[:5], b[:5]):
        np.testing.assert_allclose(y, x, rtol=1e-10, atol=1e-15)
    stack_pump = ps.Sample(
        "stack", 12.0, n_substrate_pump=1.7, layer_thicknesses=(40.0,), layer_indices=(1.7,)
    )
    assert ps.pump_deposition(stack_pump, 1500.0, RHO).absorbed_fraction == pytest.approx(
        ps.pump_deposition(film, 1500.0, RHO).absorbed_fraction, rel=1e-10
    )


def test_a_dielectric_spacer_changes_the_signal():
    """A spacer of another index is seen (the test above can fail)."""
    film = ps.Sample("film-on-substrate", 12.0, n_substrate_probe=3.1)
    stack = ps.Sample(
        "stack", 12.0, n_substrate_probe=3.1, layer_thicknesses=(4e4,), layer_indices=(1.5,)
    )
    a = ps.sample_response(_sigma(), [12.0], W, film).d_r_over_r
    b = ps.sample_response(_sigma(), [12.0], W, stack).d_r_over_r
    assert np.max(np.abs(a - b)) > 1e-3 * np.max(np.abs(a))


def test_thick_sample_needs_the_unpumped_index():
    with pytest.raises(ValueError, match="thick"):
        ps.sample_response(_sigma(), [100.0], W, ps.Sample("thick", 100.0))


def test_measured_quantities():
    sample = ps.Sample("film-on-substrate", 10.0, n_substrate_probe=3.42)
    sig = _sigma()
    ft = ps.sample_response(sig, [10.0], W, sample)
    s = sig[..., 0] * RHO * 1e-9
    assert np.array_equal(ps.measured_signal("dR/R", ft, s), ft.d_r_over_r)
    assert np.array_equal(ps.measured_signal("dT/T", ft, s), ft.d_t_over_t)
    np.testing.assert_allclose(ps.measured_signal("sigma1", ft, s)[0], 1.0)
    np.testing.assert_allclose(ps.measured_signal("sigma2", ft, s)[0], 0.3 * 5.0 / W)
    depth = ps.measured_signal("penetration-depth", ft, s)
    n = optics.complex_index(sig[..., 0], W[None, :])
    np.testing.assert_allclose(depth, optics.penetration_depth(n, W[None, :]), rtol=1e-12)
    with pytest.raises(ValueError, match="quantity"):
        ps.measured_signal("dA/A", ft, s)


def test_probe_convolution_column_by_column():
    t = np.linspace(-10.0, 50.0, 61)
    x = np.stack([np.exp(-np.clip(t, 0, None) / 5.0) * (t > 0), np.ones(t.size)], axis=1)
    out = ps.convolve_probe(t, x, 2.0)
    assert np.array_equal(out[:, 0], optics.gaussian_probe_convolution(t, x[:, 0], 2.0))
    np.testing.assert_allclose(out[:, 1], 1.0, rtol=1e-12)
