"""Parameters and numerics of the paper-004 cavity models (units of k_B T_c, hbar = k_B = 1)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from photosc.models._base import FLOAT_BYTES, Numerics, Params

_DIMLESS = "1"
#: A photon temperature ratio T_cav / T_qp (>= 0, finite).
TempRatio = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]


class _CavityParams(Params):
    """Parameters shared by the three paper-004 models (energies in units of k_B T_c)."""

    t_qp_over_tc: float = Field(
        0.95,
        gt=0.0,
        lt=1.0,
        description="T_qp / T_c, quasi-particle (phonon bath) temperature; the paper leaves "
        "it open, 0.95 is in the Ginzburg-Landau regime of Eqs. 17-18",
    )
    x_enhancement: float = Field(
        133.0, ge=0.0, description="phenomenological enhancement X of J_cav (Fig. 1: 133)"
    )
    coupling_scale: float = Field(
        9.17e-5,
        ge=0.0,
        description="pi alpha D tau_in T_c^2 / c^2, dimensionless (Fig. 1: 9.17e-5)",
    )
    omega_integration: Literal["positive", "all"] = Field(
        "positive",
        description="Eq. 14 reading: 'positive' (Omega > 0, each process once, derived from "
        "Eq. 8) or 'all' (Omega over the real line, scattering counted twice)",
    )
    dos_convention: Literal["bcs", "eq1"] = Field(
        "bcs",
        description="DOS in Eqs. 17-18: 'bcs' nu_qp/nu_F = E/sqrt(E^2-Delta^2) (follows from "
        "the gap equation), 'eq1' Eq. 1's 2E/sqrt(E^2-Delta^2) (doubles the gap change)",
    )
    bcs_coupling: float = Field(
        0.25,
        gt=0.0,
        le=0.5,
        description="BCS nu(0)U (weak coupling); fixes only Delta_0(T_qp)/T_c, the cutoff "
        "is chosen so that T_c = 1",
    )


class MultimodeParams(_CavityParams):
    """Fig. 1a: multimode planar cavity (Eq. 16). Energies in units of k_B T_c."""

    t_cav_over_t_qp: list[TempRatio] = Field(
        [0.1, 0.25, 0.5, 0.75],
        min_length=1,
        description="photon temperatures T_cav / T_qp (>= 0), one curve each; the onset is "
        "read from the coldest",
    )
    omega0_over_delta0_max: float = Field(
        5.0, gt=0.2, le=50.0, description="largest cavity frequency omega_0 / Delta_0"
    )
    linewidth_over_omega0: float = Field(
        0.0,
        ge=0.0,
        description="1/(2 tau_cav) / omega_0 of Eq. 11 (0: ideal mirrors, J ~ theta(Omega - "
        "omega_0) as quoted after Eq. 18; the paper gives no value for Fig. 1)",
    )
    j_normalisation: Literal["derived", "quoted"] = Field(
        "derived",
        description="Eq. 16 prefactor: 'derived' (4/pi) X pi alpha D tau_in/c^2 (mode "
        "normalisation 2/L at the antinode, TE+TM), 'quoted' without 4/pi",
    )


class SingleModeParams(_CavityParams):
    """Fig. 3: single-mode cavity, Lorentzian J. Energies in units of k_B T_c."""

    t_cav_over_t_qp: list[TempRatio] = Field(
        [0.25, 0.5, 1.5, 2.0],
        min_length=1,
        description="photon temperatures T_cav / T_qp (>= 0); < 1 cold, > 1 hot",
    )
    linewidth_over_omega0: float = Field(
        10.0, gt=0.0, description="1/(2 tau_cav) / omega_0 (Fig. 3 caption: 10)"
    )
    narrow_linewidth_over_omega0: float = Field(
        0.1, gt=0.0, description="a narrow line run beside the printed one, / omega_0"
    )
    omega0_over_delta0_max: float = Field(
        5.0, gt=0.2, le=50.0, description="largest cavity frequency omega_0 / Delta_0"
    )


class DistributionParams(_CavityParams):
    """Fig. 2: delta n(E) for one cold photon temperature, two cavity frequencies."""

    t_cav_over_t_qp: float = Field(0.5, ge=0.0, description="T_cav / T_qp (Fig. 2: 0.5)")
    omega0_low_over_delta0: float = Field(
        1.0, gt=0.0, lt=2.0, description="cavity frequency below 2 Delta_0, / Delta_0"
    )
    omega0_high_over_delta0: float = Field(
        3.5, gt=2.0, le=20.0, description="cavity frequency above 2 Delta_0, / Delta_0"
    )
    linewidth_over_omega0: float = Field(
        0.0,
        ge=0.0,
        description="1/(2 tau_cav) / omega_0 of the multimode J (0: ideal mirrors; a finite "
        "width rounds the kinks, so kinks_over_delta0 is meaningful only near 0)",
    )


class CavityNumerics(Numerics):
    """Numerical options of the paper-004 models."""

    n_omega0: int = Field(60, ge=3, description="cavity frequencies on the omega_0 axis")
    n_nodes: int = Field(12, ge=4, le=64, description="Gauss-Legendre nodes per panel")
    n_omega0_bcs: int = Field(
        6,
        ge=0,
        description="cavity frequencies (a subset of the axis) where the full BCS gap "
        "equation is also solved self-consistently (0: none)",
    )
    bcs_tol: float = Field(1e-9, gt=0.0, lt=1e-3, description="relative tolerance on Delta")

    memory_fields = ("n_omega0", "n_nodes")

    def estimated_bytes(self, params: Params) -> int:
        """Quadrature tables over the omega_0 axis: ~8 arrays of n_omega0 x n_nodes floats."""
        return FLOAT_BYTES * 8 * self.n_omega0 * self.n_nodes


class DistributionNumerics(Numerics):
    """Numerical options of ``cavity-distribution``."""

    n_energy: int = Field(1200, ge=100, description="points of the uniform E grid for delta n")
    e_max_over_delta0: float = Field(
        0.0, ge=0.0, description="upper end of the E grid / Delta_0 (0: omega_high + 3)"
    )
    n_nodes: int = Field(12, ge=4, le=64, description="Gauss-Legendre nodes per panel")
    full_bcs: bool = Field(True, description="also solve the full BCS gap equation")
    bcs_tol: float = Field(1e-9, gt=0.0, lt=1e-3, description="relative tolerance on Delta")

    memory_fields = ("n_energy", "n_nodes")

    def estimated_bytes(self, params: Params) -> int:
        """Eq. 14 quadrature: ~6 arrays of n_energy x n_nodes floats per panel set."""
        return FLOAT_BYTES * 6 * self.n_energy * self.n_nodes
