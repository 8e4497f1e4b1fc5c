"""``photoinduced-gap-fluence``: max Delta_0 versus fluence per (T, pump energy) case
(paper 001 SI Fig. 8)."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from photosc.models._base import ModelOutput
from photosc.models.photoinduced_gap.batch import simulate_many
from photosc.models.photoinduced_gap.output import (
    _attrs,
    _common_attrs,
    kinetic_diagnostics,
)
from photosc.models.photoinduced_gap.params import (
    FluenceParams,
    PumpNumerics,
    resolve_material,
)
from photosc.models.photoinduced_gap.simulate import (
    PumpRun,
    equilibrium_tc,
    gap_lifetime,
    make_eliashberg,
)


def saturation_fluence(fluences: NDArray, peaks: NDArray, level: float, threshold: float) -> float:
    """Smallest fluence (mJ/cm^2) whose max Delta_0 reaches ``level`` x the largest one.

    0.0 when no fluence gives a gap above ``threshold`` (meV).
    """
    peaks = np.asarray(peaks, dtype=float)
    if not peaks.max() > threshold:
        return 0.0
    i = int(np.nonzero(peaks >= level * peaks.max())[0][0])
    return float(np.asarray(fluences)[i])


def run_fluence(params: FluenceParams, numerics: PumpNumerics) -> ModelOutput:
    """max Delta_0 versus fluence for each (temperature, pump energy) case (SI Fig. 8).

    Returns
    -------
    ModelOutput
        Dataset over (``case``, ``fluence`` mJ/cm^2, ``time`` ps): ``delta0`` (meV); over
        (``case``, ``fluence``): ``max_delta0``, ``gap_lifetime``. Summary:
        ``saturation_two_delta0_meV`` (first case), ``saturation_fluence_mJ_cm2`` and
        ``saturation_two_delta0_per_case_meV`` (per case), ``lower_pump_saturates_earlier``,
        ``faster_relaxation_above_saturation``, ``photoinduced_gap_any``, ``tc0_K``.
    """
    mat = resolve_material(params)
    solver = make_eliashberg(mat, numerics.step)
    tc0 = equilibrium_tc(mat, solver)
    ncase, nf = len(params.temperatures), len(params.fluences)
    cases = [
        (T, w, F)
        for T, w in zip(params.temperatures, params.pump_energies)
        for F in params.fluences
    ]
    all_runs: list[PumpRun] = simulate_many(
        mat, params, numerics, cases, solver, desc="photoinduced-gap cases x fluences"
    )
    t = all_runs[0].t
    d = np.array([r.delta0 for r in all_runs]).reshape(ncase, nf, t.size)
    thr = numerics.gap_threshold
    peaks = d.max(axis=-1)
    life = np.array([[gap_lifetime(t, d[c, k], thr) for k in range(nf)] for c in range(ncase)])
    fl = np.array(params.fluences)
    sat_f = [saturation_fluence(fl, peaks[c], params.saturation_level, thr) for c in range(ncase)]
    any_gap = bool(peaks.max() > thr)
    # statements of SI Fig. 8 (meaningful only where a gap exists)
    low_first = bool(
        ncase > 1
        and sat_f[0] > 0
        and all(0 < s < sat_f[0] for s in sat_f[1:])
    )  # fmt: skip
    k1 = int(np.argmin(np.abs(fl - 1.0)))
    faster = bool(peaks[0, -1] > thr and life[0, -1] < life[0, k1] and k1 != nf - 1)
    kin_vars, kin_summary = kinetic_diagnostics(
        all_runs, ("case", "fluence", "time"), (ncase, nf, t.size)
    )
    ds = xr.Dataset(
        {
            **kin_vars,
            "delta0": (("case", "fluence", "time"), d, _attrs("meV", "gap edge Delta_0(t)")),
            "max_delta0": (("case", "fluence"), peaks, _attrs("meV", "max of Delta_0(t)")),
            "gap_lifetime": (("case", "fluence"), life, _attrs("ps", "time with a gap")),
            "case_temperature": (
                "case",
                np.array(params.temperatures, float),
                _attrs("K", "temperature of the case"),
            ),
            "case_pump_energy": (
                "case",
                np.array(params.pump_energies, float),
                _attrs("meV", "pump photon energy of the case"),
            ),
        },
        coords={
            "case": ("case", np.arange(ncase), _attrs("1", "case index")),
            "fluence": ("fluence", fl, _attrs("mJ/cm^2", "incident fluence F_0")),
            "time": ("time", t, _attrs("ps", "time")),
        },
        attrs={"model": "photoinduced-gap-fluence", **_common_attrs(mat, params, numerics)},
    )
    two_sat = [float(2.0 * peaks[c].max()) for c in range(ncase)]
    summary: dict[str, Any] = {
        "tc0_K": tc0,
        "saturation_two_delta0_meV": two_sat[0],
        "saturation_two_delta0_per_case_meV": two_sat,
        "saturation_fluence_mJ_cm2": sat_f,
        "max_delta0_first_case_meV": [float(x) for x in peaks[0]],
        "gap_lifetime_first_case_ps": [float(x) for x in life[0]],
        "photoinduced_gap_any": any_gap,
        "lower_pump_saturates_earlier": low_first,
        "faster_relaxation_above_saturation": faster,
    }
    summary.update(kin_summary)
    return ModelOutput(dataset=ds, summary=summary)


def plot_fluence(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    """max Delta_0 versus fluence per case (SI Fig. 8)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.0, 3.5))
    for c in ds["case"].values:
        T = float(ds["case_temperature"].values[c])
        w = float(ds["case_pump_energy"].values[c])
        ax.plot(ds["fluence"].values, ds["max_delta0"].values[c], "o-", label=f"{T:g} K, {w:g} meV")
    ax.set_xscale("log")
    ax.set_xlabel(r"$F_0$ (mJ/cm$^2$)")
    ax.set_ylabel(r"max $\Delta_0$ (meV)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return {"max_delta0_fluence": fig}
