"""Parameters and numerics of the paper-002 interband models (units: E_g = 1, hbar = 1, a = 1)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from photosc.models._base import FLOAT_BYTES, Numerics, Params


class InterbandParams(Params):
    """Physics parameters of paper 002 (E_g = 1 units: energies in E_g, momenta in 1/a)."""

    rabi: float = Field(0.25, gt=0, description="Rabi frequency Omega, in E_g (Eq. 1)")
    interaction: float = Field(5.0, ge=0, description="interaction V, in E_g (Eqs. 2, B3)")
    gamma_ph: float = Field(0.01, ge=0, description="phonon rate Gamma^ph, in E_g (Eq. 9)")
    gamma_rr: float = Field(0.01, ge=0, description="radiative rate Gamma^rr, in E_g (Eq. 10)")
    a1: float = Field(8.0, gt=0, description="valence curvature A_1, in E_g a^2 (Eq. B1)")
    a2: float = Field(23.0, gt=0, description="conduction curvature A_2, in E_g a^2 (Eq. B1)")
    k_cutoff: float = Field(0.2, gt=0, le=1.0, description="momentum cutoff delta_k, in 1/a")
    phonon_velocity: float = Field(
        0.25,
        gt=0,
        description="acoustic phonon velocity v, in E_g a (open in the paper); needs v >= A dk",
    )
    phonon_temperature: float = Field(
        0.0, ge=0, description="phonon bath temperature k_B T, in E_g (paper: T = 0)"
    )
    seed: float = Field(
        1e-20, gt=0, description="initial s^21_k = seed (1 + i) (App. B 2), dimensionless"
    )
    phonon_form: Literal["band_diagonal", "cross"] = Field(
        "band_diagonal", description="phonon dissipator: Eq. 7 (band_diagonal) or App. A (cross)"
    )
    pairing_convention: Literal["paper", "repulsive"] = Field(
        "paper", description="sign of the pairing mean field (see module docstring)"
    )


class SteadyParams(InterbandParams):
    """Figs. 3, 6, 7: Omega = 0.25, V = 5, Gamma^ph = Gamma^rr = 0.01, A_1 = 8, A_2 = 23."""


class TransientParams(InterbandParams):
    """Fig. 4: V = 4, A_1 = 7, A_2 = 24, Gamma^rr / Gamma^ph in {1/20, 1/10, 1/2}."""

    interaction: float = Field(4.0, ge=0, description="interaction V, in E_g")
    a1: float = Field(7.0, gt=0, description="valence curvature A_1")
    a2: float = Field(24.0, gt=0, description="conduction curvature A_2")
    gamma_rr_ratios: list[float] = Field(
        [0.05, 0.1, 0.5], min_length=1, description="Gamma^rr / Gamma^ph of each run (> 0)"
    )


class PhaseParams(InterbandParams):
    """Fig. 2: Gamma^ph = 0.02, Gamma^rr = Gamma^ph / 10, A_1 = 7, A_2 = 24 (one point)."""

    gamma_ph: float = Field(0.02, ge=0, description="phonon rate Gamma^ph, in E_g")
    gamma_rr: float = Field(0.002, ge=0, description="radiative rate Gamma^rr, in E_g")
    a1: float = Field(7.0, gt=0, description="valence curvature A_1")
    a2: float = Field(24.0, gt=0, description="conduction curvature A_2")


class BdgParams(InterbandParams):
    """Fig. 3 with the effective BdG model of Eq. 12 (black line)."""

    gamma_rr: float = Field(0.001, ge=0, description="radiative rate, Gamma^ph / 10")
    a1: float = Field(7.0, gt=0, description="valence curvature A_1")
    a2: float = Field(24.0, gt=0, description="conduction curvature A_2")
    bdg_offset: float = Field(0.2, description="C of eps_alpha = A_alpha k^2 - C (Eq. 12), in E_g")
    bdg_gap: float = Field(
        0.05, ge=0, description="BdG pairing field |Delta~| of Eq. 12, in E_g (caption: 0.05)"
    )


class InterbandNumerics(Numerics):
    """Grid, integrator and steady-state options."""

    dk: float = Field(2e-3, gt=0, description="k-grid step, in 1/a (paper: 2e-3)")
    t_max: float = Field(4000.0, gt=0, description="integration time, in 1/E_g")
    n_times: int = Field(401, ge=11, description="output times")
    rtol: float = Field(1e-7, gt=0, lt=1, description="relative tolerance of the integrator")
    atol: float = Field(1e-9, gt=0, description="absolute tolerance for populations (paper 1e-9)")
    pair_atol_over_seed: float = Field(
        1e-3, gt=0, description="absolute tolerance of pair amplitudes, in units of the seed"
    )
    refine: bool = Field(True, description="refine the end state by Newton's method")
    stability: bool = Field(True, description="Jacobian eigenvalues of the refined state")
    normal_state: bool = Field(
        False, description="also solve the unpaired steady state and its pair growth rate"
    )
    max_extensions: int = Field(
        3, ge=0, description="times a run that has not settled is continued by t_max"
    )
    tail_fraction: float = Field(0.2, gt=0, lt=1, description="fraction of the run judged")
    steady_rel_tol: float = Field(1e-3, gt=0, description="relative spread of a steady tail")

    memory_fields = ("dk", "n_times", "k_cutoff")

    def estimated_bytes(self, params: Params) -> int:
        """Recorded states (n_times x 6 nk) and, for refine/stability, the dense Jacobian.

        nk = 2 k_cutoff / dk + 1 momenta, at least 6 real unknowns each.
        """
        nk = 2 * int(getattr(params, "k_cutoff", 0.0) / self.dk) + 1
        size = 6 * nk
        dense = size * size if (self.refine or self.stability) else 0
        return FLOAT_BYTES * (self.n_times * size + dense)
