"""The compiled table path of :func:`nam_conductivity` against its generic-callable path."""

from __future__ import annotations

import numpy as np

from photosc.cores.optics import conductivity as cd
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
