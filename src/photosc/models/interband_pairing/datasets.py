"""Dataset and summary helpers of the paper-002 interband models."""

from __future__ import annotations

from typing import Any

import numpy as np

from photosc.cores import bands
from photosc.models.interband_pairing.parameters import InterbandNumerics, InterbandParams

_E = "E_g"
_T = "1/E_g"
_K = "1/a"


def _k_coord(k: np.ndarray) -> tuple:
    return ("k", k, {"units": _K, "long_name": "momentum k"})


def _state_vars(state: bands.State, suffix: str = "") -> dict[str, tuple]:
    n, s = state
    return {
        f"n11{suffix}": ("k", n[:, 0, 0].real, {"units": "1", "long_name": "valence n^11_k"}),
        f"n22{suffix}": ("k", n[:, 1, 1].real, {"units": "1", "long_name": "conduction n^22_k"}),
        f"n21_re{suffix}": ("k", n[:, 1, 0].real, {"units": "1", "long_name": "Re n^21_k"}),
        f"n21_im{suffix}": ("k", n[:, 1, 0].imag, {"units": "1", "long_name": "Im n^21_k"}),
        f"s21_re{suffix}": ("k", s[:, 1, 0].real, {"units": "1", "long_name": "Re s^21_k"}),
        f"s21_im{suffix}": ("k", s[:, 1, 0].imag, {"units": "1", "long_name": "Im s^21_k"}),
    }


_SCALARS = (
    "abs_delta_steady",
    "abs_delta_end",
    "abs_delta_tail_mean",
    "abs_delta_tail_spread",
    "particle_number_drift",
    "gap_frequency",
    "steady_state_stable",
    "max_growth_rate",
    "n_marginal_modes",
    "behaviour",
    "refined",
    "newton_residual",
    "rhs_residual_end",
)


def _summary_of(res: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _SCALARS:
        v = res[key]
        out[key] = v if isinstance(v, str) else (bool(v) if isinstance(v, bool) else float(v))
    out["n_marginal_modes"] = int(res["n_marginal_modes"])
    if "normal_state_pair_growth_rate" in res:
        out["normal_state_pair_growth_rate"] = float(res["normal_state_pair_growth_rate"])
        out["normal_state_converged"] = bool(res["normal_state_converged"])
    return out


def _grid(params: InterbandParams, numerics: InterbandNumerics) -> np.ndarray:
    return bands.radial_grid(params.k_cutoff, numerics.dk)
