"""Parameters of ``qp-trapping-kinetics`` (paper 000's K3C60 trapping start, the kinetic grid)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from photosc.foundation.units import quantity
from photosc.models._base import FLOAT_BYTES, Numerics, Params
from photosc.models.qp_trapping import K3C60TrappingParams

#: atoms per C60 site in K3C60 (60 C + 3 K); spectra.k3c60's F holds 3 modes per atom
ATOMS_PER_SITE = 63


class TrappingKineticsParams(K3C60TrappingParams):
    """Paper 000's K3C60 trapping parameters (:class:`K3C60TrappingParams`) plus the bath.

    ``n_inset_over_n_av`` is the initial density n(0) / n_av of the kinetics (the start
    of the Fig. 3 inset). ``temperature`` is the bath (and initial quasi-particle)
    temperature.
    """

    mode_width: quantity("meV", gt=0) = Field(
        "0.25 meV",
        description="standard deviation of each molecular mode's Gaussian peak in the "
        "kinetic alpha^2F (sharp modes: << T and << sigma)",
    )
    dynamic_phonons: bool = Field(
        False, description="evolve the phonon occupations (False: reservoir at temperature)"
    )
    phonon_escape_time: quantity("ps", gt=0) = Field(
        "100 ps", description="escape time of dynamic phonons to the bath"
    )
    mode_degeneracy: float = Field(
        5.0, gt=0, description="modes per site of each molecular mode (Hg: 5), dynamic only"
    )


class TrappingKineticsNumerics(Numerics):
    """Kinetic grid, tolerances, stopping and the reduced-model grid."""

    step: quantity("meV", gt=0) = Field(
        "0.01 meV",
        description="kinetic grid step (must resolve 2 Delta in [Omega_max, 2 Delta(0)])",
    )
    e_max: quantity("meV", gt=0) = Field(
        "100 meV", description="top of the quasi-particle grid (> pairing cutoff)"
    )
    rtol: float = Field(1e-4, gt=0, description="relative tolerance of the ETDRK4 steps")
    atol: float = Field(1e-12, gt=0, description="absolute tolerance on f")
    gap_tol: float = Field(
        1e-6, gt=0, description="re-solve the gap when the weighted change of f exceeds this"
    )
    t_max: quantity("ps", gt=0) = Field("5000 ps", description="stop if no collapse by then")
    record_delta: quantity("meV", gt=0) = Field(
        "0.005 meV", description="record a point when Delta changed by this"
    )
    record_density: float = Field(0.02, gt=0, description="... or when n changed by this fraction")
    n_points: int = Field(
        300,
        ge=8,
        description="reduced-model states from n0/2 to n_av (and n_points//3 to the collapse)",
    )
    n_theta: int = Field(48, ge=8, description="Gauss-Legendre nodes of the pair integral")
    check_step: quantity("meV", ge=0) = Field(
        "0.02 meV", description="second run with this step for the convergence check (0: none)"
    )

    memory_fields: ClassVar[tuple[str, ...]] = ("step", "e_max")

    def estimated_bytes(self, params: Params) -> int:
        """Kinetic grid (e_max / step bins) times ~40 work arrays (the trajectory is
        recorded as scalars, plus two distributions)."""
        return int(FLOAT_BYTES * 42 * self.e_max / self.step)
