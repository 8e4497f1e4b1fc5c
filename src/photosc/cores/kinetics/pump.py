r"""Optical pump and continuous drives (paper 001, main text after Eq. 2).

Paper 001 adds to df/dt

.. code-block:: text

    I_pump(E, t) = Gamma_pump S(t) int dE' rho(E') M(E, E')^2
                   { [1 - f(E)] f(E') delta(E - E' - w) - f(E) [1 - f(E')] delta(E - E' + w) },
    S(t) = exp[-4 ln 2 (t / tau_pump)^2],

with w = omega_pump. We implement the classical-field form of the same process
(Eliashberg 1970; Chang & Scalapino 1978, microwave case): a boson at the single energy
w whose occupation is so large that n ~ n + 1, i.e. a :class:`Channel` with
``gn = gn1 = Gamma S(t) delta(Omega - w)``. It contains the two printed terms (absorption
from E - w into E, absorption from E into E + w) *and* their stimulated-emission
partners (E + w -> E, E -> E - w) with the same matrix element, plus pair breaking
(E + E' = w; stimulated recombination) when w > 2 Delta; the printed form keeps only the
absorption terms. The difference is qualitative near the Fermi level: in the normal
state the classical field gives df/dt(E << w) = Gamma S [1 - 2 f(E)] >= 0 (electrons
below the Fermi level absorb too: the pair term), the printed form -Gamma S f(E), a
depletion of low-energy quasi-particles (see :class:`Drive`; ``Drive(form="paper")``
gives the printed form). The coherence factors are those of a current
(vector-potential) coupling, like the cavity photons of paper 004 (Eqs. 12-13). The pump
photon energy is split linearly between the two nearest boson-grid energies.

Gamma_pump is fixed by matching the deposited energy density to the absorbed one,
E_abs = F_0 (1 - R - T) / d (paper 001, text before Fig. 3: E_abs = F_0 A chi(omega),
per pumped volume A d): :func:`gamma_from_energy` gives the linear-response value
(deposition rate of the initial state times int S dt); the solver refines it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.kinetics.collisions import COHERENCE_TYPES, Channel, coherence_signs
from photosc.cores.kinetics.grid import KineticGrid, check_grid
from photosc.foundation.units import E_CHARGE, HBAR

#: 1 mJ/cm^2 in meV/nm^2.
MJ_PER_CM2_IN_MEV_PER_NM2 = 1e-3 / 1e14 / (E_CHARGE * 1e-3)


def envelope(t: ArrayLike, tau: float, t0: float = 0.0) -> NDArray[np.float64]:
    """Gaussian intensity envelope S(t) = exp[-4 ln 2 ((t - t0) / tau)^2] (paper 001).

    Parameters
    ----------
    t : array_like, ps
        Times.
    tau : float, ps
        Full width at half maximum tau_pump > 0; ``inf`` gives S = 1 (continuous drive).
    t0 : float, ps
        Centre of the pulse.
    """
    if not tau > 0:
        raise ValueError(f"pump duration tau must be > 0 ps, got {tau}")
    t = np.asarray(t, dtype=float)
    if math.isinf(tau):
        return np.ones_like(t)
    return np.exp(-4.0 * math.log(2.0) * ((t - t0) / tau) ** 2)


def envelope_integral(tau: float) -> float:
    """int S(t) dt = tau sqrt(pi / (4 ln 2)), ps."""
    if not (tau > 0 and math.isfinite(tau)):
        raise ValueError(f"pump duration tau must be finite and > 0 ps, got {tau}")
    return tau * math.sqrt(math.pi / (4.0 * math.log(2.0)))


@dataclass(frozen=True)
class Drive:
    """A classical drive at one photon energy (optical pump or continuous microwave).

    Attributes
    ----------
    omega : float, meV
        Photon energy (> 0, at least one grid step, inside the boson grid).
    gamma : float, 1/ps
        Strength Gamma_pump >= 0 (the rate prefactor of paper 001's I_pump).
    tau : float, ps
        FWHM of the Gaussian envelope; ``inf`` for a continuous drive.
    t0 : float, ps
        Centre of the pulse.
    coherence : str
        ``"current"`` (optical/vector-potential coupling, default) or ``"density"``.
    form : str
        ``"classical"`` (default): the complete classical-field term -- absorption,
        stimulated emission and pair breaking / stimulated recombination. ``"paper"``:
        paper 001's printed I_pump, absorption only (E' -> E' + w, no emission, no pair
        processes). Near the Fermi level the two differ qualitatively: at Delta = 0
        the classical field gives df/dt(E << w) = Gamma S [1 - 2 f(E)] (electrons below
        the Fermi level absorb too, creating quasi-particles at E < w through the pair
        term), while the printed form depletes, -Gamma S f(E) [1 - f(E + w)].
    """

    omega: float
    gamma: float
    tau: float = float("inf")
    t0: float = 0.0
    coherence: str = "current"
    form: str = "classical"

    def weights(self, grid: KineticGrid) -> NDArray[np.float64]:
        """(n_boson,) linear split of delta(Omega - omega) over the boson grid, 1/meV."""
        check_grid(grid)
        x = self.omega / grid.step
        j = int(math.floor(x))
        if not (self.omega >= grid.step and j + 1 < grid.n_boson):
            raise ValueError(
                f"drive omega={self.omega} meV must lie in [{grid.step}, "
                f"{(grid.n_boson - 2) * grid.step}] meV (extend the boson grid)"
            )
        w = np.zeros(grid.n_boson)
        a = x - j
        w[j] += (1.0 - a) / grid.step
        w[j + 1] += a / grid.step
        return w

    def channel(
        self, grid: KineticGrid, t: float, weights: NDArray[np.float64] | None = None
    ) -> Channel:
        """The drive at time ``t`` (ps) as a classical collision :class:`Channel`.

        Parameters
        ----------
        grid : KineticGrid
            The kinetic grid (``omega`` must lie inside its boson grid).
        t : float, ps
            Time at which the envelope S(t) is evaluated.
        weights : (n_boson,) float, 1/meV, optional
            :meth:`weights` of this drive on ``grid``, when the caller keeps them (the
            kinetic solver builds the channel at every collision evaluation; the drive is
            then not checked again).

        Returns
        -------
        Channel
            ``gn`` (and ``gn1`` for the classical form) ``= (hbar / 2 pi) Gamma S(t) w_j``
            with w_j the grid split of delta(Omega - omega) (:meth:`weights`, 1/meV).
        """
        if weights is None:
            check_drive(self)
            weights = self.weights(grid)
        s = float(envelope(t, self.tau, self.t0))
        # c_qp = 2 pi h / hbar: make (2 pi h / hbar) sum_j gn_j X_j = Gamma S X(omega)
        a = weights * (HBAR / (2.0 * np.pi)) * self.gamma * s
        signs = coherence_signs(self.coherence)
        if self.form == "paper":
            return Channel(a, np.zeros_like(a), signs[0], signs[1], None, pair=False)
        return Channel(a, a.copy(), signs[0], signs[1], None)


def check_drive(drive: Drive) -> None:
    """Raise ValueError naming the field of an invalid :class:`Drive`."""
    if not (math.isfinite(drive.omega) and drive.omega > 0):
        raise ValueError(f"drive omega must be a finite energy > 0 meV, got {drive.omega}")
    if not (math.isfinite(drive.gamma) and drive.gamma >= 0):
        raise ValueError(f"drive gamma must be finite and >= 0 (1/ps), got {drive.gamma}")
    if not drive.tau > 0:
        raise ValueError(f"drive tau must be > 0 ps (inf: continuous), got {drive.tau}")
    if drive.coherence not in COHERENCE_TYPES:
        raise ValueError(f"drive coherence={drive.coherence!r}, allowed: 'current', 'density'")
    if drive.form not in ("classical", "paper"):
        raise ValueError(f"drive form={drive.form!r}, allowed: 'classical', 'paper'")


def absorbed_energy_density(fluence: float, absorbed_fraction: float, depth: float) -> float:
    """Absorbed energy per volume F_0 (1 - R - T) / d, meV/nm^3.

    Parameters
    ----------
    fluence : float, mJ/cm^2
        Incident fluence F_0 >= 0.
    absorbed_fraction : float
        chi = 1 - R - T, in [0, 1].
    depth : float, nm
        Pumped depth d > 0 (film thickness or penetration depth).
    """
    if not (math.isfinite(fluence) and fluence >= 0):
        raise ValueError(f"fluence must be >= 0 mJ/cm^2, got {fluence}")
    if not 0 <= absorbed_fraction <= 1:
        raise ValueError(f"absorbed_fraction must be in [0, 1], got {absorbed_fraction}")
    if not (math.isfinite(depth) and depth > 0):
        raise ValueError(f"depth must be > 0 nm, got {depth}")
    return fluence * MJ_PER_CM2_IN_MEV_PER_NM2 * absorbed_fraction / depth


def gamma_from_energy(energy_density: float, power_per_gamma: float, tau: float) -> float:
    """Linear-response Gamma_pump depositing ``energy_density`` over one pulse.

    Gamma = E_abs / (P_1 int S dt), with P_1 the energy-deposition rate per unit Gamma
    (at S = 1) of the state before the pulse.

    Parameters
    ----------
    energy_density : float, meV/nm^3
        Target E_abs >= 0.
    power_per_gamma : float, meV/nm^3 (per unit Gamma in 1/ps)
        P_1 > 0 (see :meth:`KineticSolver.pump_power`).
    tau : float, ps
        Pulse FWHM.
    """
    if not power_per_gamma > 0:
        raise ValueError(
            f"power_per_gamma must be > 0 (the state must absorb), got {power_per_gamma}"
        )
    if not energy_density >= 0:
        raise ValueError(f"energy_density must be >= 0, got {energy_density}")
    return energy_density / (power_per_gamma * envelope_integral(tau))
