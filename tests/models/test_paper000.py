"""Paper 000 models: scenarios on small grids, sweep hooks, Langevin Boltzmann weight."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import xarray as xr

from photosc.foundation.units import HBAR, KB
from photosc.models import metastability, qp_trapping, raman_langevin, raman_pairing

matplotlib.use("Agg")

SCEN = Path(__file__).resolve().parents[2] / "src" / "photosc" / "scenarios"
SPECS = {
    spec.name: spec
    for mod in (raman_pairing, metastability, raman_langevin, qp_trapping)
    for spec in mod.MODELS
}
SCENARIOS = {
    "raman-pairing": "raman-pairing",
    "metastability-landscape": "metastability-landscape",
    "metastability-diagram": "metastability-diagram",
    "raman-langevin": "raman-langevin",
    "qp-trapping-k3c60": "qp-trapping-k3c60",
    "qp-trapping-protocol": "qp-trapping-protocol",
}


def load(name: str, small: bool = True):
    data = tomllib.loads((SCEN / f"{name}.toml").read_text())
    spec = SPECS[data["scenario"]["model"]]
    params = dict(data.get("parameters", {}))
    numerics = dict(data.get("numerics", {}))
    if small:
        params.update(data.get("test", {}).get("parameters", {}))
        numerics.update(data.get("test", {}).get("numerics", {}))
    return spec, spec.params(**params), spec.numerics(**numerics), data


def _check_dataset(ds: xr.Dataset) -> None:
    for name, var in {**ds.data_vars, **ds.coords}.items():
        assert "units" in var.attrs and "long_name" in var.attrs, name
        for v in var.attrs.values():
            assert v is not None and not isinstance(v, dict)


def _check_summary(summary: dict) -> None:
    json.dumps(summary)
    for key, v in summary.items():
        vals = v if isinstance(v, list) else [v]
        for x in vals:
            assert isinstance(x, bool | int | float | str), key
            if isinstance(x, float):
                assert math.isfinite(x), key


@pytest.mark.parametrize(
    "name",
    [
        "raman-pairing",
        "metastability-landscape",
        "metastability-diagram",
        "raman-langevin",
        "qp-trapping-k3c60",
        pytest.param("qp-trapping-protocol", marks=pytest.mark.slow),
    ],
)
def test_scenario_small_grid(name):
    spec, params, numerics, data = load(name)
    out = spec.run(params, numerics)
    _check_dataset(out.dataset)
    _check_summary(out.summary)
    if "sweep" not in data:  # a sweep's checks are on the gathered summary
        for check in data["paper"]["checks"]:
            key = check["key"].split("[")[0]
            assert key in out.summary, key
    if spec.plot is not None:
        import matplotlib.pyplot as plt

        figs = spec.plot(out.dataset, out.summary)
        assert figs
        for f in figs.values():
            plt.close(f)


def test_scenario_files_have_paper_tables():
    for name in SCENARIOS:
        data = tomllib.loads((SCEN / f"{name}.toml").read_text())
        assert data["scenario"]["paper"] == "000"
        assert data["paper"]["choices"] and data["paper"]["statement"]
        assert data["paper"]["checks"]


def test_landscape_kinds_and_temperatures():
    spec, params, numerics, _ = load("metastability-landscape")
    s = spec.run(params, numerics).summary
    assert s["kind"] == ["I", "II"]
    assert s["t_b_K"][0] > s["tc_K"][0] == pytest.approx(20.0)
    assert s["t_b_K"][1] > s["tc_K"][1] > 20.0
    assert s["q_barrier"][0] < s["q_ms"][0]


def test_diagram_hooks_on_a_small_grid():
    spec = SPECS["metastability-diagram"]
    nus = [6.6, 30.0, 45.0, 55.0]
    des = [30.0, 150.0, 400.0]
    rows = {}
    for nu in nus:
        for de in des:
            out = spec.run(spec.params(nu0=nu, delta_e=de), spec.numerics(n_q=20))
            rows[(nu, de)] = out.summary
    keys = ["kind", "kind_code", "t_b_K", "kind_k3c60", "k3c60_nu0", "k3c60_delta_e_meV"]
    data = {}
    for k in keys:
        arr = np.array([[rows[(nu, de)][k] for de in des] for nu in nus])
        data[k] = (("nu0", "delta_e"), arr, {"units": "1", "long_name": k})
    ds = xr.Dataset(data, coords={"nu0": nus, "delta_e": des})
    summ = spec.summarize_sweep(ds)
    assert summ["kind_k3c60"] == "normal"
    assert summ["fraction_normal"] + summ["fraction_I"] + summ["fraction_II"] == pytest.approx(1)
    assert summ["fraction_II"] > 0 and summ["fraction_normal"] > 0
    kinds = ds["kind"].values
    assert kinds[0, 2] == "normal" and kinds[-1, 0] == "II"
    import matplotlib.pyplot as plt

    figs = spec.plot_sweep(ds, summ)
    for f in figs.values():
        plt.close(f)


def test_parameter_errors_name_the_field():
    spec = SPECS["metastability-diagram"]
    with pytest.raises(Exception, match="nu0"):
        spec.params(nu0=-1.0)
    with pytest.raises(Exception, match="unknown|extra"):
        spec.params(nu_zero=1.0)
    sp = SPECS["qp-trapping-k3c60"]
    with pytest.raises(ValueError, match="mode_omegas"):
        sp.run(sp.params(mode_omegas=[52.0], mode_g_dimensionless=[0.8, 0.6]), sp.numerics())
    with pytest.raises(ValueError, match="no quasi-particle trapping"):
        sp.run(sp.params(omega_max="7 meV"), sp.numerics(n_points=10, solve_bandwidth=False))


def test_langevin_without_drive_samples_boltzmann_weight():
    """Long-time distribution of Q = exp(-n F(Q)/T) (Eq. 24's fluctuation-dissipation)."""
    from photosc.cores import raman

    spec = SPECS["raman-langevin"]
    params = spec.params(
        drive_strong=0.0,
        drive_weak=0.0,
        temperature="100 K",
        n_sites=1.0,
        n_traj=200,
        t_end="12 ps",
        gamma="20 1/ps",
        seed=5,
    )
    numerics = spec.numerics(dt="0.004 ps", record_every=25)
    res, model = raman_langevin.simulate(params, numerics, 0.0, params.seed)
    q = np.abs(res.q[res.t > 2.0].ravel())
    kT = KB * 100.0
    grid = np.linspace(0, raman.q_range(model) * 1.5, 3001)
    w = np.exp(-raman.landscape(model, grid, kT) / kT)
    w /= np.trapezoid(w, grid)
    q2_exact = np.trapezoid(w * grid**2, grid)
    assert np.mean(q**2) == pytest.approx(q2_exact, rel=0.06)
    # the distribution itself (histogram against the weight)
    hist, edges = np.histogram(q, bins=12, range=(0, 2.0), density=False)
    centers = 0.5 * (edges[1:] + edges[:-1])
    p = np.interp(centers, grid, w) * np.diff(edges) * q.size
    m = p > 200
    np.testing.assert_allclose(hist[m], p[m], rtol=0.15)
    # velocity equipartition: <v^2> = kT Omega / hbar^2 (l0/ps)^2
    v = res.v[res.t > 2.0].ravel()
    assert np.mean(v**2) == pytest.approx(kT * model.omega / HBAR**2, rel=0.05)


def test_langevin_reproducible_with_seed():
    spec = SPECS["raman-langevin"]
    _, params, numerics, _ = load("raman-langevin")
    a, _ = raman_langevin.simulate(params, numerics, 1.0, 3)
    b, _ = raman_langevin.simulate(params, numerics, 1.0, 3)
    np.testing.assert_array_equal(a.q, b.q)
    assert spec.name == "raman-langevin"


def test_langevin_strong_pulse_traps_weak_does_not():
    spec, params, numerics, _ = load("raman-langevin")
    s = spec.run(params, numerics).summary
    assert s["metastable_at_temperature"]
    assert s["trapped_strong"] and not s["trapped_weak"]
    assert s["final_q_strong"] == pytest.approx(s["q_ms"], rel=0.1)


def test_qp_trapping_summary_consistency():
    spec, params, numerics, _ = load("qp-trapping-k3c60")
    s = spec.run(params, numerics).summary
    assert s["two_delta0_meV"] == pytest.approx(6.08, abs=0.01)
    assert s["two_delta_av_meV"] == pytest.approx(6.0, abs=1e-6)
    assert s["lifetime_ns_100K"] > s["lifetime_ns_half_n_av"] > 0
    assert s["lifetime_ns_100K"] > s["lifetime_ns_300K"] > 0
    # Eq. 8 estimate tau ~ n_av tau_eq within the coherence/DOS corrections
    assert s["eq8_lifetime_ns"] == pytest.approx(s["lifetime_ns_100K"], rel=0.15)


@pytest.mark.slow
def test_protocol_recombination_fast_at_first_then_density_conserved():
    """Recombination is fast at the start of the hold (excess quasi-particles, Discussion);
    the density never rises above its thermal value and grows again in the ring-down."""
    spec, params, numerics, _ = load("qp-trapping-protocol")
    out = spec.run(params, numerics)
    s = out.summary
    assert s["recombination_time_ps"] < 1.0
    n = out.dataset["n_t"].values
    assert np.all(n <= s["n_thermal"] * (1 + 1e-6))
    assert s["n_hold_min"] < s["n_thermal"]
    # the ring-down regenerates quasi-particles (the gap closes through Omega_max)
    assert np.all(out.dataset["n_final"].values > out.dataset["n_hold"].values)
