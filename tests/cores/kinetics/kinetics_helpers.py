"""Shared baths for the kinetics tests (imported by name; not a conftest)."""

from __future__ import annotations

import numpy as np

from photosc.cores.kinetics import debye_bath, make_grid, photon_bath


def small_grid():
    """0.05 meV bins up to 12 meV, bosons up to 8 meV."""
    return make_grid(0.05, 12.0, 8.0)


def phonons(grid, kT, dynamic=True, tau_esc=float("inf")):
    """Debye phonons alpha^2F = b W^2 below 5 meV."""
    return debye_bath(
        grid, 4e-2, 5.0, kT=kT, alpha2_ratio=0.3 if dynamic else None, tau_esc=tau_esc
    )


def photons(grid, kT, dynamic=False):
    """A current-coupled bath with a peaked J(W) (single-mode-cavity-like)."""
    w = grid.omega
    j = 0.02 * np.exp(-(((w - 2.5) / 0.8) ** 2)) * (w > 0)
    mode = 0.5 * np.ones_like(w) if dynamic else None
    return photon_bath(grid, w, j, kT=kT, mode_density=mode)
