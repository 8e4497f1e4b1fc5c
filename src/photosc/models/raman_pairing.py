"""Photo-controlled pairing by a displaced inter-band Raman phonon (paper 000, Fig. 1).

Paper 000 (Chattopadhyay et al., npj Quantum Mater. 2025), Eqs. 1-3 and 9-17: a static
displacement <Q> of a Raman mode that couples two levels split by Delta_E hybridises
them and adds g^2/(M omega^2) 4 g^2 Q^2 / Delta_E_eff^2 to the attraction of the lower
band (Eq. 3). The extended model (Eqs. 18-23) adds an intra-band Eg polarisation (g_z)
and an Ag mode: the distortion moves pairing weight from the intra-band to the
inter-band channel, so delta U changes sign where g_x^2/(M omega_x^2) = g_z^2/(M omega_z^2)
(Eq. 23; Eq. 22's denominator used squared, see :mod:`photosc.cores.raman`).

Output: U(Q) of the simple and the extended model, and the equilibrium BCS gap Delta(Q, T)
with cutoff omega (Eq. 2), nu(0) U(Q) as coupling. Units: Q in l0 = 1/sqrt(M omega).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from pydantic import Field

from photosc.cores import bcs, raman
from photosc.foundation.units import KB, quantity
from photosc.models._base import FLOAT_BYTES, ModelOutput, ModelSpec, Numerics, Params
from photosc.models.metastability import RamanModeParams, build_model


class PairingParams(RamanModeParams):
    """Parameters of paper 000 Eqs. 3 and 22 (Q in units of l0 of the inter-band mode)."""

    nu0: quantity("1/eV", gt=0) = Field(42.0, description="nu(0) per spin per site, 1/eV")
    delta_e: quantity("meV", gt=0) = Field("150 meV", description="level splitting Delta_E")
    q_max: float = Field(3.0, gt=0, description="largest displacement Q / l0")
    t_max: quantity("K", gt=0) = Field("300 K", description="largest temperature of Delta(T)")
    g_z_over_g_x: list[float] = Field(
        [0.0, 0.5, 1.0, 1.2],
        description="intra-band Eg coupling g_z / g_x of the extended model (>= 0)",
    )
    omega_z_over_omega: float = Field(1.0, gt=0, description="omega_z / omega_x")
    g_ag_over_g_x: float = Field(0.3, ge=0, description="Ag coupling g_Ag / g_x")
    omega_ag_over_omega: float = Field(0.5, gt=0, description="omega_Ag / omega_x")


class PairingNumerics(Numerics):
    """Grids."""

    n_q: int = Field(121, ge=5, description="Q points")
    n_t: int = Field(61, ge=3, description="temperature points")

    memory_fields = ("n_q", "n_t")

    def estimated_bytes(self, params: Params) -> int:
        """The gap table over (Q, T) and its temporaries (~4 arrays of n_q x n_t floats)."""
        return FLOAT_BYTES * 4 * self.n_q * self.n_t


def _sign_change(
    m: raman.RamanModel, params: PairingParams, k_x: float, k_z: float, k_ag: float
) -> float:
    """g_z/g_x where delta U of Eq. 23 changes sign, found numerically at Q = l0."""
    from scipy.optimize import brentq

    def du(r: float) -> float:
        kw = dict(
            g_x=m.g, g_z=r * m.g, g_ag=params.g_ag_over_g_x * m.g, k_x=k_x, k_z=k_z, k_ag=k_ag
        )
        return float(
            raman.extended_u(1.0, 0.0, delta_e=m.delta_e, **kw)
            - raman.extended_u(0.0, 0.0, delta_e=m.delta_e, **kw)
        )

    return float(brentq(du, 0.0, 10.0 * params.omega_z_over_omega + 10.0, xtol=1e-12))


def _run(params: PairingParams, numerics: PairingNumerics) -> ModelOutput:
    if any(r < 0 for r in params.g_z_over_g_x):
        raise ValueError(f"g_z_over_g_x must be >= 0, got {params.g_z_over_g_x}")
    m = build_model(
        params.omega, params.g_l0_over_omega, params.nu0, params.delta_e, params.tc_undistorted
    )
    q = np.linspace(0.0, params.q_max, numerics.n_q)
    temps = np.linspace(0.0, params.t_max, numerics.n_t)
    u = m.u(q)
    c = m.nu0 * u
    gap_qt = np.stack([raman.gap_from_table(c, KB * t, m.omega) for t in temps], axis=1)
    tc_q = np.array([bcs.critical_temperature(float(x), m.omega) / KB for x in c])
    k_x = m.omega
    k_z = m.omega * params.omega_z_over_omega**2
    k_ag = m.omega * params.omega_ag_over_omega**2
    ratios = np.asarray(params.g_z_over_g_x, dtype=float)
    # frequencies in l0 units of the x mode: k_nu = M omega_nu^2 = omega (omega_nu/omega)^2
    ext = np.stack(
        [
            raman.extended_u(
                q,
                0.0,
                g_x=m.g,
                g_z=r * m.g,
                g_ag=params.g_ag_over_g_x * m.g,
                k_x=k_x,
                k_z=k_z,
                k_ag=k_ag,
                delta_e=m.delta_e,
            )
            for r in ratios
        ]
    )
    ds = xr.Dataset(
        {
            "u": ("q", u, {"units": "meV", "long_name": "attraction U(Q) (Eq. 3)"}),
            "gap": (
                ("q", "temperature"),
                gap_qt,
                {"units": "meV", "long_name": "equilibrium gap Delta(Q, T)"},
            ),
            "tc": ("q", tc_q, {"units": "K", "long_name": "T_c at fixed Q"}),
            "u_extended": (
                ("g_z_over_g_x", "q"),
                ext,
                {"units": "meV", "long_name": "attraction of the extended model (Eq. 22)"},
            ),
        },
        coords={
            "q": ("q", q, {"units": "1", "long_name": "displacement Q / l0"}),
            "temperature": ("temperature", temps, {"units": "K", "long_name": "temperature"}),
            "g_z_over_g_x": (
                "g_z_over_g_x",
                ratios,
                {"units": "1", "long_name": "intra-band coupling g_z / g_x"},
            ),
        },
    )
    d_ext = ext[:, -1] - ext[:, 0]
    summary: dict[str, Any] = {
        "u0_meV": float(m.u0),
        "u_max_meV": float(u[-1]),
        "u_enhancement": float(u[-1] / m.u0),
        "u_saturation_meV": float(m.u0 + m.g**2 / m.omega),
        "delta0_undistorted_meV": float(gap_qt[0, 0]),
        "delta0_max_meV": float(gap_qt[-1, 0]),
        "tc_undistorted_K": float(tc_q[0]),
        "tc_max_K": float(tc_q[-1]),
        "delta_u_extended_meV": [float(x) for x in d_ext],
        "g_z_over_g_x_sign_change": _sign_change(m, params, k_x, k_z, k_ag),
    }
    return ModelOutput(ds, summary)


def _plot(ds: xr.Dataset, summary: dict[str, Any]) -> dict[str, Any]:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    ax = axes[0]
    ax.plot(ds["q"], ds["u"], "k", lw=2, label="Eq. 3")
    for r in ds["g_z_over_g_x"].values:
        ax.plot(
            ds["q"], ds["u_extended"].sel(g_z_over_g_x=r), "--", label=f"Eq. 22, g_z/g_x = {r:g}"
        )
    ax.set_xlabel(r"$Q/\ell_0$")
    ax.set_ylabel("U (meV)")
    ax.legend(fontsize=7)
    ax = axes[1]
    im = ax.pcolormesh(ds["q"], ds["temperature"], ds["gap"].T, shading="auto")
    fig.colorbar(im, ax=ax, label=r"$\Delta$ (meV)")
    ax.plot(ds["q"], ds["tc"], "w--", label="T_c(Q)")
    ax.set_ylim(0, float(ds["temperature"].max()))
    ax.set_xlabel(r"$Q/\ell_0$")
    ax.set_ylabel("T (K)")
    ax.legend(fontsize=8)
    ax = axes[2]
    ax.plot(ds["q"], ds["gap"].isel(temperature=0))
    ax.set_xlabel(r"$Q/\ell_0$")
    ax.set_ylabel(r"$\Delta(Q, T=0)$ (meV)")
    fig.tight_layout()
    return {"pairing_vs_displacement": fig}


MODELS = [
    ModelSpec(
        name="raman-pairing",
        paper="000",
        description="Pairing attraction U(Q) and gap Delta(Q, T) of a displaced inter-band "
        "Raman phonon, simple and extended model (paper 000 Eqs. 3, 17, 22-23, Fig. 1)",
        params=PairingParams,
        numerics=PairingNumerics,
        run=_run,
        plot=_plot,
    )
]
