"""The compiled table path of :func:`nam_conductivity` against its generic-callable path."""

from __future__ import annotations

import numpy as np

from photosc.cores import optics as cd
from photosc.cores.optics import quadrature
from photosc.foundation.distributions import fermi


def test_table_path_equals_generic_callables_for_pumped_occupation_and_complex_gap():
    """Eliashberg-like complex Delta(E), Z(E) and a stepped (pumped) f(E): the fused
    loop over the tables and the same functions as plain callables agree to round-off."""
    e = np.linspace(0.0, 120.0, 1201)
    d0 = 1.4
    delta = d0 * (1.0 + 0.3 * np.exp(-((e - 5.0) ** 2))) / (
        1.0 + (e / 20.0) ** 2
    ) + 0.02j * np.tanh(e)
    z = 1.0 + 1.5 / (1.0 + (e / 8.0) ** 2) + 0.3j * e / (e + 4.0)
    gap = cd.tabulated_gap_function(e, delta, z, edge=d0)
    k = (np.arange(600) + 0.5) * 0.1
    f = fermi(k, 0.3) + np.where((k > d0) & (k < 30.0), 0.01 * np.exp(-k / 10.0), 0.0)
    f[-1] = 0.0
    occ = cd.tabulated_occupation(k, f)
    generic_gap = cd.GapFunction(lambda x: gap.delta(x), lambda x: gap.z(x), gap.edge)
    w = np.geomspace(0.5, 80.0, 17)
    kw = {"energy_max": k[-1] + 1e-6, "n_quad": 48, "breakpoints": (0.0, 30.0)}
    fast = cd.nam_conductivity(w, gap, occ, 50.0, **kw)
    slow = cd.nam_conductivity(w, generic_gap, lambda x: occ(x), 50.0, **kw)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12 * np.max(np.abs(slow)))
    thermal = cd.thermal_occupation(0.3)
    fast = cd.nam_conductivity(w, gap, thermal, 50.0, **kw)
    slow = cd.nam_conductivity(w, generic_gap, lambda x: thermal(x), 50.0, **kw)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12 * np.max(np.abs(slow)))


def _uniform_then_geometric() -> np.ndarray:
    """0.1 meV steps to 51.3 meV, then steps growing by 5% (an Eliashberg-like grid)."""
    e = list(np.arange(514) * 0.1 + 0.05)
    step = 0.1
    while e[-1] < 120.0:
        step *= 1.05
        e.append(e[-1] + step)
    return np.array(e)


def test_uniform_index_lookup_equals_np_interp():
    """The look-up of the compiled table path (direct index on the uniform prefix, guided
    search on the geometric tail) interpolates exactly as np.interp: on and between
    nodes, at both ends and beyond (end values held)."""
    e = _uniform_then_geometric()
    guide, inv, n_uniform, inv_step = quadrature._bucket_index(e)
    assert n_uniform == 514
    assert inv_step == 1.0 / (e[1] - e[0])
    v = np.sin(e / 7.0) + 0.01 * e
    slopes = np.diff(v) / np.diff(e)  # np.interp's slopes
    mid = 0.5 * (e[1:] + e[:-1])
    near = np.concatenate([np.nextafter(e, -np.inf), np.nextafter(e, np.inf)])
    rng = np.random.default_rng(3)
    x = np.concatenate(
        [e, mid, near, rng.uniform(e[0], e[-1], 2000), [0.0, e[0], e[-1], e[-1] + 5.0, 1e3]]
    )
    got = np.empty_like(x)
    for i, xi in enumerate(x):
        if xi < e[0]:
            got[i] = v[0]
        elif xi >= e[-1]:
            got[i] = v[-1]
        else:
            j = quadrature._interval(xi, e, guide, inv, n_uniform, inv_step)
            assert e[j] <= xi < e[j + 1]
            got[i] = slopes[j] * (xi - e[j]) + v[j]
    np.testing.assert_allclose(got, np.interp(x, e, v), rtol=1e-14, atol=1e-14)


def test_table_path_on_uniform_grid_with_geometric_tail_equals_generic_callables():
    """The fused loop with a gap table on a uniform grid with a geometric tail and an
    occupation on a uniform (kinetic) grid equals the np.interp callables to round-off."""
    e = _uniform_then_geometric()
    delta = 1.4 / (1.0 + (e / 20.0) ** 2) + 0.02j * np.tanh(e)
    z = 1.0 + 1.5 / (1.0 + (e / 8.0) ** 2) + 0.3j * e / (e + 4.0)
    gap = cd.tabulated_gap_function(e, delta, z, edge=1.4)
    k = (np.arange(600) + 0.5) * 0.1
    f = fermi(k, 0.3) + np.where((k > 1.4) & (k < 30.0), 0.01 * np.exp(-k / 10.0), 0.0)
    f[-1] = 0.0
    occ = cd.tabulated_occupation(k, f)
    generic_gap = cd.GapFunction(lambda x: gap.delta(x), lambda x: gap.z(x), gap.edge)
    w = np.geomspace(0.5, 100.0, 23)
    kw = {"energy_max": k[-1] + 1e-6, "n_quad": 48, "breakpoints": (0.0, 30.0)}
    fast = cd.nam_conductivity(w, gap, occ, 50.0, **kw)
    slow = cd.nam_conductivity(w, generic_gap, lambda x: occ(x), 50.0, **kw)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12 * np.max(np.abs(slow)))
