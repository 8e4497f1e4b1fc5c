"""Shared numerics of the cavity core: argument checks and Gauss-Legendre rules (private)."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import NDArray

OmegaIntegration = Literal["positive", "all"]

_GL_CACHE: dict[int, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}


def _gauss01(n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes and weights on [0, 1]."""
    if n not in _GL_CACHE:
        x, w = np.polynomial.legendre.leggauss(n)
        _GL_CACHE[n] = (0.5 * (x + 1.0), 0.5 * w)
    return _GL_CACHE[n]


def _check_positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    v = float(value)
    ok = math.isfinite(v) and (v >= 0 if allow_zero else v > 0)
    if not ok:
        allowed = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {allowed}, got {value!r}")
    return v


def _check_mode(omega_integration: str) -> int:
    """Multiplicity of the scattering terms for the Eq. 14 reading."""
    if omega_integration == "positive":
        return 1
    if omega_integration == "all":
        return 2
    raise ValueError(f"omega_integration must be 'positive' or 'all', got {omega_integration!r}")
