"""``nonthermal-distributions``: f(E, t), n(Omega, t), Re Delta(omega, t) after one pump
(paper 001 Fig. 4, SI Figs. 9-11)."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from photosc.cores.kinetics.pump import envelope
from photosc.foundation.units import KB
from photosc.models._base import ModelOutput
from photosc.models.photoinduced_gap.output import (
    _attrs,
    _common_attrs,
    _stride,
    kinetic_diagnostics,
)
from photosc.models.photoinduced_gap.params import (
    DistributionParams,
    PumpNumerics,
    resolve_material,
)
from photosc.models.photoinduced_gap.simulate import (
    equilibrium_tc,
    make_eliashberg,
    simulate,
)


def step_at(energy: NDArray, f: NDArray, e0: float, width: float) -> float:
    """Relative jump of f across e0: ln f(e0 + width) - ln f(e0 - width) minus the same
    difference across e0 - 2 width (the smooth background slope); dimensionless.

    A discontinuity at e0 gives a value far from 0 while a smooth (e.g. thermal) f gives ~0.
    """
    lf = np.log(np.maximum(np.interp([e0 - 3 * width, e0 - width, e0 + width], energy, f), 1e-300))
    return float((lf[2] - lf[1]) - (lf[1] - lf[0]))


def run_distributions(params: DistributionParams, numerics: PumpNumerics) -> ModelOutput:
    """f(E, t), n(Omega, t), Re Delta(omega, t) after one pump (Fig. 4, SI Figs. 9-10).

    Returns
    -------
    ModelOutput
        Dataset over (``time``, ``energy``): ``f``; over (``time``, ``phonon_energy``):
        ``n`` and ``n_excess`` = n - n_eq; over (``time``, ``omega``): ``delta_real``;
        over ``time``: ``delta0``; over ``phonon_energy``: ``a2f``. Summary:
        ``f_step_at_pump`` (relative jump of f across omega_pump + Delta_0 at the pulse
        maximum), ``f_step_at_2pump``, ``n_excess_a2f_correlation`` (Pearson correlation
        of the excess phonon occupation times F with alpha^2F at the end of the pulse;
        also over ``time`` in the dataset), ``n_excess_a2f_correlation_max_in_pulse`` with
        its time ``n_excess_a2f_correlation_max_time_ps`` (largest within the pulse's
        FWHM), ``n_excess_a2f_correlation_final`` at ``final_time_ps``,
        ``max_delta0_meV``, ``qp_peak_energy_meV``, ``tc0_K``.
    """
    mat = resolve_material(params)
    solver = make_eliashberg(mat, numerics.step)
    tc0 = equilibrium_tc(mat, solver)
    r = simulate(
        mat,
        params,
        numerics,
        temperature=params.temperature,
        pump_energy=params.pump_energy,
        fluence=params.fluence,
        eliashberg=solver,
        keep_delta_omega=params.delta_omega_max,
    )
    g = r.grid
    kT = KB * params.temperature
    n_eq = np.zeros(g.n_boson)
    n_eq[1:] = 1.0 / np.expm1(g.omega[1:] / kT)
    excess = r.n - n_eq[None, :]
    spec = mat.spectrum
    a2f = np.interp(g.omega, spec.omega, spec.a2f, left=0.0, right=0.0)
    fdos = np.interp(g.omega, spec.omega, spec.f_dos, left=0.0, right=0.0)
    i_peak = int(np.argmin(np.abs(r.t - params.pump_delay)))
    i_end = int(np.argmin(np.abs(r.t - (params.pump_delay + params.pump_duration))))
    w = params.pump_energy
    d_peak = float(r.delta0[i_peak])
    width = 2.0 * g.step
    s1 = step_at(g.energy, r.f[i_peak], w + d_peak, width)
    s2 = (
        step_at(g.energy, r.f[i_peak], 2 * w + d_peak, width)
        if 2 * w + 3 * width < g.n_qp * g.step
        else 0.0
    )

    def correlation(i: int) -> float:
        ex = excess[i] * fdos
        return float(np.corrcoef(ex[1:], a2f[1:])[0, 1]) if np.std(ex[1:]) > 0 else 0.0

    corr_t = np.array([correlation(i) for i in range(r.t.size)])
    corr = float(corr_t[i_end])
    in_pulse = np.abs(r.t - params.pump_delay) <= 0.5 * params.pump_duration  # FWHM
    i_best = int(np.argmax(np.where(in_pulse, corr_t, -np.inf)))
    # quasi-particle peak: largest rho f (E) above 2 Delta_0 + 5 h at the pulse maximum
    above = g.energy > 2 * d_peak + 5 * g.step
    qp_peak = float(g.energy[above][np.argmax(r.f[i_peak][above] * g.energy[above])])
    se = _stride(g.n_qp, numerics)
    sb = _stride(g.n_boson, numerics)
    so = _stride(max(r.eliashberg_omega.size, 1), numerics)
    kin_vars, kin_summary = kinetic_diagnostics([r], ("time",), (r.t.size,))
    ds = xr.Dataset(
        {
            **kin_vars,
            "f": (("time", "energy"), r.f[:, ::se], _attrs("1", "quasi-particle distribution")),
            "n": (("time", "phonon_energy"), r.n[:, ::sb], _attrs("1", "phonon occupation")),
            "n_excess": (
                ("time", "phonon_energy"),
                excess[:, ::sb],
                _attrs("1", "phonon occupation minus Bose(T)"),
            ),
            "delta_real": (
                ("time", "omega"),
                r.delta_real[:, ::so],
                _attrs("meV", "Re Delta(omega, t)"),
            ),
            "delta0": ("time", r.delta0, _attrs("meV", "gap edge Delta_0(t)")),
            "n_excess_a2f_correlation": (
                "time",
                corr_t,
                _attrs("1", "Pearson correlation of (n - n_eq) F with alpha^2F"),
            ),
            "a2f": ("phonon_energy", a2f[::sb], _attrs("1", "alpha^2F")),
            "envelope": (
                "time",
                envelope(r.t, params.pump_duration, params.pump_delay),
                _attrs("1", "pump envelope S(t)"),
            ),
        },
        coords={
            "time": ("time", r.t, _attrs("ps", "time")),
            "energy": ("energy", g.energy[::se], _attrs("meV", "quasi-particle energy")),
            "phonon_energy": ("phonon_energy", g.omega[::sb], _attrs("meV", "phonon energy")),
            "omega": ("omega", r.eliashberg_omega[::so], _attrs("meV", "real frequency")),
        },
        attrs={
            "model": "nonthermal-distributions",
            **_common_attrs(mat, params, numerics),
            "temperature_K": params.temperature,
            "pump_energy_meV": w,
            "fluence_mJ_cm2": params.fluence,
            "gamma_pump_per_ps": r.gamma,
        },
    )
    summary: dict[str, Any] = {
        "tc0_K": tc0,
        "max_delta0_meV": float(r.delta0.max()),
        "f_step_at_pump": s1,
        "f_step_at_2pump": float(s2),
        "f_discontinuity_at_pump": bool(abs(s1) > 0.5),
        "n_excess_a2f_correlation": corr,
        "n_excess_a2f_correlation_max_in_pulse": float(corr_t[i_best]),
        "n_excess_a2f_correlation_max_time_ps": float(r.t[i_best]),
        "n_excess_a2f_correlation_final": float(corr_t[-1]),
        "final_time_ps": float(r.t[-1]),
        "qp_peak_energy_meV": qp_peak,
        "gamma_pump_per_ps": r.gamma,
        "deposited_energy_meV_nm3": r.deposited,
        "absorbed_energy_meV_nm3": r.target,
    }
    summary.update(kin_summary)
    return ModelOutput(dataset=ds, summary=summary)


def plot_distributions(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """f(E, t) and n(Omega, t) at a few times with alpha^2F (Fig. 4), Re Delta(omega, t)."""
    import matplotlib.pyplot as plt

    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(12.0, 3.6))
    times = ds["time"].values
    for i in np.linspace(0, times.size - 1, 6).astype(int):
        a1.semilogy(
            ds["energy"].values, np.maximum(ds["f"].values[i], 1e-12), label=f"{times[i]:.2f} ps"
        )
        a2.plot(ds["phonon_energy"].values, ds["n_excess"].values[i])
        a3.plot(ds["omega"].values, ds["delta_real"].values[i])
    a1.axvline(float(ds.attrs["pump_energy_meV"]), color="k", lw=0.5)
    a1.set_xlabel("E (meV)")
    a1.set_ylabel("f(E, t)")
    a1.legend(fontsize=6)
    ax2 = a2.twinx()
    ax2.fill_between(ds["phonon_energy"].values, 0, ds["a2f"].values, color="0.85")
    a2.set_xlabel(r"$\Omega$ (meV)")
    a2.set_ylabel(r"$n - n_{eq}$")
    a3.set_xlabel(r"$\omega$ (meV)")
    a3.set_ylabel(r"Re $\Delta(\omega, t)$ (meV)")
    fig.tight_layout()
    return {"distributions": fig}
