"""Dataset attributes and the kinetics diagnostics shared by the photo-induced-gap models."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from photosc.models.photoinduced_gap.params import (
    Material,
    PumpNumerics,
    PumpParams,
)
from photosc.models.photoinduced_gap.simulate import (
    PumpRun,
)


def _attrs(units: str, long_name: str) -> dict[str, str]:
    return {"units": units, "long_name": long_name}


def _stride(n: int, numerics: PumpNumerics) -> int:
    return max(1, int(math.ceil(n / numerics.n_output_energy)))


def _common_attrs(mat: Material, params: PumpParams, numerics: PumpNumerics) -> dict[str, Any]:
    return {
        "spectrum": mat.spectrum.name,
        "spectrum_source": mat.spectrum.source,
        "mu_star": mat.mu_star,
        "mu_star_cutoff_meV": mat.omega_c,
        "n0_per_mev_nm3": mat.n0_per_mev_nm3,
        "n_ion_nm3": mat.n_ion_nm3,
        "pump_form": params.pump_form,
        "step_meV": numerics.step,
    }


def kinetic_diagnostics(runs: list[PumpRun], dims: tuple[str, ...], shape: tuple[int, ...]):
    """Dataset variables and summary keys of the kinetics checks of issue 12.

    Parameters
    ----------
    runs : list of PumpRun
        In the order of ``shape`` (flattened), each over the same times.
    dims : tuple of str
        Dimensions of the variables, the last one "time".
    shape : tuple of int
        Their sizes, time last.

    Returns
    -------
    (dict, dict)
        Data variables (``energy_budget_error`` meV/nm^3, ``pairing_eigenvalue``,
        ``delta_max`` meV, ``dos_ef``, ``superfluid_weight`` meV) and summary keys:
        ``energy_budget_error`` (largest relative budget error of all runs),
        ``pairing_eigenvalue_max`` and ``pairing_eigenvalue_max_time_ps`` (per run, or
        scalars for one run), ``max_abs_delta_meV``, ``min_dos_ef``,
        ``max_superfluid_weight_meV`` and ``superconducting_state`` (per run: "gapped"
        when a gap edge appeared, else "gapless" when max |Delta| exceeded the threshold
        of :func:`photosc.cores.eliashberg.is_superconducting` at some time, else
        "normal"), ``gapless_times`` (per run: recorded times in a gapless state),
        ``pairing_eigenvalue_low_energy_only``, ``_hot_only``, ``_phonons_thermal``,
        ``_thermal`` (per run, at the time of the maximum: :func:`pairing_parts` with
        the split at ``PAIRING_SPLIT_MEV`` = 5 meV), ``eliashberg_loose_solves`` (per
        run: gap solves accepted at ``LOOSE_TOL`` after stalling near the onset).
    """

    def grid(name: str) -> NDArray[np.float64]:
        return np.array([getattr(r, name) for r in runs], dtype=float).reshape(shape)

    data = {
        "energy_budget_error": (
            dims,
            grid("budget_error"),
            _attrs("meV/nm^3", "energy created by the integration (budget error)"),
        ),
        "pairing_eigenvalue": (
            dims,
            grid("pairing_eigenvalue"),
            _attrs("1", "leading eigenvalue of the linearised gap equation with f(t), n(t)"),
        ),
        "delta_max": (dims, grid("delta_max"), _attrs("meV", "max |Delta(omega, t)|")),
        "dos_ef": (dims, grid("dos_ef"), _attrs("1", "quasi-particle DOS at E_F")),
        "superfluid_weight": (
            dims,
            grid("superfluid_weight"),
            _attrs("meV", "dirty-limit superfluid weight hbar omega sigma_2 / sigma_n"),
        ),
    }

    def state(r: PumpRun) -> str:
        if "gapped" in r.state:
            return "gapped"
        return "gapless" if "gapless" in r.state else "normal"

    lam_max = [float(np.max(r.pairing_eigenvalue)) for r in runs]
    lam_t = [float(r.t[int(np.argmax(r.pairing_eigenvalue))]) for r in runs]
    per_run = {
        "pairing_eigenvalue_max": lam_max,
        "pairing_eigenvalue_max_time_ps": lam_t,
        "max_abs_delta_meV": [float(np.max(r.delta_max)) for r in runs],
        "min_dos_ef": [float(np.min(r.dos_ef)) for r in runs],
        "max_superfluid_weight_meV": [float(np.max(r.superfluid_weight)) for r in runs],
        "superconducting_state": [state(r) for r in runs],
        "gapless_times": [int(sum(x == "gapless" for x in r.state)) for r in runs],
        "eliashberg_loose_solves": [int(r.loose_solves) for r in runs],
    }
    if all(r.pairing_parts is not None for r in runs):
        for part in ("low_energy_only", "hot_only", "phonons_thermal", "thermal"):
            per_run[f"pairing_eigenvalue_{part}"] = [float(r.pairing_parts[part]) for r in runs]
    if len(runs) == 1:
        per_run = {k: v[0] for k, v in per_run.items()}
    summary = {
        "energy_budget_error": float(max(r.energy_budget_error for r in runs)),
        **per_run,
    }
    return data, summary
