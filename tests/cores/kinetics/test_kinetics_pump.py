"""Optical pump / classical drive: envelope, units, normalisation, Mattis-Bardeen absorption."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import ellipe, ellipk

from photosc.cores.kinetics import CollisionOperator, bcs_coherence, make_grid, normal_coherence
from photosc.cores.kinetics.pump import (
    Drive,
    absorbed_energy_density,
    envelope,
    envelope_integral,
)
from photosc.foundation.distributions import fermi


def test_envelope_fwhm_and_integral():
    tau = 0.3
    assert envelope(0.15, tau) == pytest.approx(0.5)
    assert envelope(-0.15 + 2.0, tau, t0=2.0) == pytest.approx(0.5)
    num, _ = quad(lambda t: float(envelope(t, tau)), -5, 5)
    assert envelope_integral(tau) == pytest.approx(num, rel=1e-10)
    assert envelope(123.0, math.inf) == 1.0
    with pytest.raises(ValueError, match="tau"):
        envelope(0.0, 0.0)


def test_absorbed_energy_density_units():
    # 5 mJ/cm^2 = 5e-3 J / 1e14 nm^2 = 3.1207e5 meV/nm^2; over 100 nm, half absorbed
    e = absorbed_energy_density(5.0, 0.5, 100.0)
    assert e == pytest.approx(5e-3 / 1e14 / 1.602176634e-22 * 0.5 / 100.0, rel=1e-12)
    with pytest.raises(ValueError, match="absorbed_fraction"):
        absorbed_energy_density(5.0, 1.5, 100.0)
    with pytest.raises(ValueError, match="depth"):
        absorbed_energy_density(5.0, 0.5, 0.0)


def test_drive_weights_split_the_photon_energy():
    g = make_grid(0.1, 10.0, 5.0)
    w = Drive(1.234, 1.0).weights(g)
    assert np.sum(w) * g.step == pytest.approx(1.0)
    assert np.sum(w * g.omega) * g.step == pytest.approx(1.234)
    assert np.count_nonzero(w) == 2


def test_normal_state_drive_is_the_classical_field_term():
    """Delta = 0, photon energy on the grid: df/dt = Gamma [f(E+w) + f(E-w) - 2 f(E)] for
    E > w, plus pair creation Gamma [1 - f(E) - f(w - E)] for E < w."""
    g = make_grid(0.1, 10.0, 5.0)
    rng = np.random.default_rng(7)
    f = rng.uniform(0, 0.5, g.n_qp)
    gamma, w = 0.7, 2.0
    jw = int(round(w / g.step))
    col = CollisionOperator(g).evaluate(f, normal_coherence(g), [Drive(w, gamma).channel(g, 0)])
    df = col.df_dt(f)
    i = np.arange(g.n_qp)
    above = (i >= jw) & (i + jw < g.n_qp)
    expect = gamma * (f[np.minimum(i + jw, g.n_qp - 1)] + f[i - jw] - 2 * f)
    np.testing.assert_allclose(df[above], expect[above], rtol=1e-10, atol=1e-14)
    below = i < jw
    k = jw - 1 - i  # partner bin: E_i + E_k = w
    expect_b = gamma * (f[np.minimum(i + jw, g.n_qp - 1)] - f + (1 - f - f[np.clip(k, 0, None)]))
    np.testing.assert_allclose(df[below], expect_b[below], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("ratio", [3.0, 5.0])
def test_absorption_follows_mattis_bardeen(ratio):
    """T = 0: the power absorbed from a current-coupled drive, relative to the normal
    state, is the Mattis-Bardeen sigma_1s / sigma_n = (1 + 2D/w) E(k) - (4D/w) K(k),
    k = (w - 2D)/(w + 2D); below 2 Delta nothing is absorbed."""
    g = make_grid(0.002, 8.0, 7.0)
    delta = 1.0
    f = np.zeros(g.n_qp)
    op = CollisionOperator(g)

    def power(coh, w):
        col = op.evaluate(f, coh, [Drive(w, 1.0).channel(g, 0)])
        return g.step * np.sum(coh.rho * g.energy * col.df_dt(f))

    w = ratio * delta
    p_s = power(bcs_coherence(g, delta), w)
    p_n = power(normal_coherence(g), w)
    assert p_n == pytest.approx(w * w / 2, rel=1e-6)
    k = (w - 2 * delta) / (w + 2 * delta)
    mb = (1 + 2 * delta / w) * ellipe(k * k) - 4 * delta / w * ellipk(k * k)
    assert p_s / p_n == pytest.approx(mb, rel=0.01)
    assert abs(power(bcs_coherence(g, delta), 1.9 * delta)) < 1e-12 * p_n  # round-off only


def test_core_imports_no_higher_layers():
    code = (
        "import sys, photosc.cores.kinetics, photosc.cores.kinetics.solver;"
        "bad = [m for m in ('xarray', 'matplotlib', 'photosc.models') if m in sys.modules];"
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_paper_form_depletes_low_energies_classical_form_does_not():
    """Delta = 0, thermal f with kT << w: the printed pump term (absorption only) gives
    df/dt(E << w) = -Gamma f(E) (depletion); the classical field, with absorption by the
    electrons below the Fermi level (pair term), gives Gamma [1 - 2 f(E)] >= 0 there
    (electron picture: Gamma [f_el(e - w) + f_el(e + w) - 2 f_el(e)])."""
    g = make_grid(0.1, 40.0, 20.0)
    f = fermi(g.energy, 0.5)
    gamma, w = 0.7, 10.0
    op = CollisionOperator(g)
    coh = normal_coherence(g)
    low = g.energy < 1.0
    paper = op.evaluate(f, coh, [Drive(w, gamma, form="paper").channel(g, 0)]).df_dt(f)
    np.testing.assert_allclose(paper[low], -gamma * f[low], rtol=1e-6)
    full = op.evaluate(f, coh, [Drive(w, gamma).channel(g, 0)]).df_dt(f)
    np.testing.assert_allclose(full[low], gamma * (1 - 2 * f[low]), rtol=1e-6, atol=1e-12)
    # the FFT and the double loop agree for the scattering-only channel too
    from photosc.cores.kinetics import collisions_direct

    ch = [Drive(w, gamma, form="paper").channel(g, 0)]
    ref = collisions_direct(g, f, coh, ch).df_dt(f)
    np.testing.assert_allclose(paper, ref, atol=1e-12 * gamma)
    with pytest.raises(ValueError, match="form"):
        Drive(w, gamma, form="printed").channel(g, 0)
