"""The kinetic energy grid: quasi-particles at half-integer, bosons at integer multiples of h.

Quasi-particle bins are ``[i h, (i + 1) h]`` with centres ``E_i = (i + 1/2) h``,
``i = 0 .. n_qp - 1``; boson energies are ``Omega_j = j h``, ``j = 0 .. n_boson - 1``
(``Omega_0 = 0`` carries no coupling). Then every scattering process
``E_i -> E_k`` exchanges exactly ``Omega_|k - i|`` and every pair process
``E_i + E_k = Omega_{i + k + 1}`` lands on the boson grid, so the discrete
collision integrals conserve energy exactly and thermal distributions are
exactly stationary (detailed balance holds bin by bin).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray


class KineticGrid(NamedTuple):
    """Uniform energy grid shared by quasi-particles and bosons.

    Attributes
    ----------
    step : float, meV
        Bin width h > 0.
    n_qp : int
        Number of quasi-particle bins (>= 2); they cover [0, n_qp h].
    n_boson : int
        Number of boson energies j h, j = 0 .. n_boson - 1 (>= 2).
    """

    step: float
    n_qp: int
    n_boson: int

    @property
    def energy(self) -> NDArray[np.float64]:
        """(n_qp,) float, meV: bin centres (i + 1/2) h."""
        return (np.arange(self.n_qp) + 0.5) * self.step

    @property
    def edges(self) -> NDArray[np.float64]:
        """(n_qp + 1,) float, meV: bin edges i h."""
        return np.arange(self.n_qp + 1) * self.step

    @property
    def omega(self) -> NDArray[np.float64]:
        """(n_boson,) float, meV: boson energies j h (the first is 0)."""
        return np.arange(self.n_boson) * self.step


def make_grid(step: float, e_max: float, omega_max: float) -> KineticGrid:
    """Build a :class:`KineticGrid`.

    Parameters
    ----------
    step : float, meV
        Bin width h > 0.
    e_max : float, meV
        Highest quasi-particle energy to cover (rounded up to a whole bin).
    omega_max : float, meV
        Highest boson energy to cover (rounded up to a multiple of h).

    Raises
    ------
    ValueError
        For a non-positive step or ranges shorter than two bins.
    """
    if not (np.isfinite(step) and step > 0):
        raise ValueError(f"grid step must be a finite energy > 0 meV, got step={step}")
    if not e_max >= 2 * step:
        raise ValueError(f"e_max must be >= 2 steps ({2 * step} meV), got e_max={e_max}")
    if not omega_max >= step:
        raise ValueError(f"omega_max must be >= one step ({step} meV), got omega_max={omega_max}")
    n_qp = int(np.ceil(e_max / step - 1e-9))
    n_boson = int(np.ceil(omega_max / step - 1e-9)) + 1
    return KineticGrid(float(step), n_qp, n_boson)


def check_grid(grid: KineticGrid) -> None:
    """Raise ValueError if ``grid`` is not a valid :class:`KineticGrid`."""
    if not (np.isfinite(grid.step) and grid.step > 0):
        raise ValueError(f"grid.step must be > 0 meV, got {grid.step}")
    if grid.n_qp < 2 or grid.n_boson < 2:
        raise ValueError(
            f"grid needs n_qp >= 2 and n_boson >= 2, got n_qp={grid.n_qp}, n_boson={grid.n_boson}"
        )
