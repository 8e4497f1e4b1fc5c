"""Sample optics of the pump-probe chain: pump absorption and depth-resolved films.

The third stage of paper 001's chain: the absorbed fraction chi = 1 - R - T at the pump
(main text after Eq. 3, E_abs = F_0 chi / d) from the normal-state conductivity, its
depth profile (SI IV: exp(-z / delta_pump) with interference,
:func:`photosc.cores.optics.layer_absorptance`), and the depth-resolved film of issue 8:
the pumped region cut into slices, each with its own kinetics, whose conductivities form
the graded stack of the transfer matrix (:func:`photosc.cores.optics.film_trace`).
No material is named here: resistivity, N(0), eps_inf and a spectrum come in as values.

Units: energies meV, lengths nm, fluence mJ/cm^2, resistivity Ohm nm, times ps.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from photosc.cores import optics
from photosc.foundation.parallel import parallel_map
from photosc.pipeline.conductivity import probe_conductivity
from photosc.pipeline.kinetics import KineticTrace, run_kinetics

__all__ = [
    "DepthResolved",
    "depth_resolved_film",
    "pump_absorption",
    "slice_deposition",
    "slice_response",
]


def pump_absorption(
    omega_pump: float,
    rho_n: float,
    thickness: float,
    *,
    n_slices: int = 1,
    eps_inf: float = 1.0,
    n_ambient: float = 1.0,
    n_substrate: complex = 1.0,
) -> tuple[float, np.ndarray, float]:
    """Absorbed fraction chi = 1 - R - T of the film at the pump and its depth profile.

    The film's conductivity at the pump frequency is sigma_N = 1/rho_N (far above the
    gap, Mattis-Bardeen -> 1); chi feeds E_abs = F_0 chi / d (paper 001 after Eq. 3).

    Parameters
    ----------
    omega_pump : float, meV
        Pump photon energy.
    rho_n : float, Ohm nm
        Normal-state resistivity.
    thickness : float, nm
        Film thickness (a large value: a semi-infinite sample).
    n_slices : int
        Equal slices for the profile.
    eps_inf : float
        Background permittivity.
    n_ambient : float
        Index of the medium the pump comes from.
    n_substrate : complex
        Index below the film.

    Returns
    -------
    chi : float
        Absorbed fraction of the whole film.
    per_slice : (n_slices,) float
        Absorbed fraction in each slice (sums to chi).
    depth : float, nm
        Pump penetration depth c/(2 omega Im n) (SI Eq. 14).
    """
    w = np.array([omega_pump])
    n = optics.complex_index(optics.conductivity_si(np.ones(1), rho_n), w, eps_inf)[0]
    d = np.full(n_slices, thickness / n_slices)
    idx = np.full((1, n_slices), n)
    per = optics.layer_absorptance(idx, d, w, n_ambient=n_ambient, n_substrate=n_substrate)[0]
    film = optics.stack(idx, d, w, n_ambient=n_ambient, n_substrate=n_substrate)
    return float(film.absorptance[0]), per, float(optics.penetration_depth(n, omega_pump))


@dataclass
class DepthResolved:
    """A sliced film: per-slice kinetics and the probe response of the graded stack.

    Attributes
    ----------
    thickness : (n_slices,) float, nm
        Slice thicknesses (from the surface).
    energy_density : (n_slices,) float, meV/nm^3
        Pump energy deposited in each slice, F_0 A_j / d_j.
    absorbed : (n_slices,) float
        Fraction of the incident pump power absorbed in each slice (layer_absorptance).
    sigma : (n_t, n_w, n_slices) complex, S/m
        Conductivity of each slice at the probe energies.
    delta0 : (n_t, n_slices) float, meV
        Gap edge per slice.
    traces : list of KineticTrace
    """

    thickness: np.ndarray
    energy_density: np.ndarray
    absorbed: np.ndarray
    sigma: np.ndarray
    delta0: np.ndarray
    traces: list


def slice_deposition(
    omega_pump: float,
    rho_n: float,
    depth: float,
    n_slices: int,
    fluence: float,
    n_ambient: float,
    n_substrate_pump: complex | None = None,
    eps_inf: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pump energy deposited in each slice of the top ``depth`` of a sample.

    Slice j of thickness d_j absorbs the share A_j of the incident pump power
    (:func:`photosc.cores.optics.layer_absorptance` with the normal-state index at
    omega_pump, paper 001 SI IV) and receives E_j = F_0 A_j / d_j.

    Parameters
    ----------
    omega_pump : float, meV
        Pump photon energy.
    rho_n : float, Ohm nm
        Normal-state resistivity (sigma = 1/rho_N at the pump).
    depth : float, nm
        Thickness of the sliced region.
    n_slices : int
        Number of equal slices (>= 1).
    fluence : float, mJ/cm^2
        Incident fluence F_0.
    n_ambient : float
        Index of the medium the pump comes from.
    n_substrate_pump : complex, optional
        Index below the sliced region at omega_pump; default (None): the same
        material, unpumped (a thick sample).
    eps_inf : float
        Background permittivity of the sample.

    Returns
    -------
    thickness : (n_slices,) float, nm
    absorbed : (n_slices,) float
        Fraction of the incident power absorbed per slice.
    energy_density : (n_slices,) float, meV/nm^3
    """
    from photosc.cores.kinetics.pump import MJ_PER_CM2_IN_MEV_PER_NM2

    w = np.array([omega_pump])
    n_p = optics.complex_index(optics.conductivity_si(np.ones(1), rho_n), w, eps_inf)[0]
    d = np.full(n_slices, depth / n_slices)
    n_below = n_p if n_substrate_pump is None else n_substrate_pump
    per = optics.layer_absorptance(
        np.full((1, n_slices), n_p), d, w, n_ambient=n_ambient, n_substrate=n_below
    )[0]
    return d, per, fluence * MJ_PER_CM2_IN_MEV_PER_NM2 * per / d


def slice_response(
    traces: Sequence[KineticTrace],
    thickness: np.ndarray,
    energy_density: np.ndarray,
    absorbed: np.ndarray,
    probe: np.ndarray,
    rho_n: float,
    n_quad: int,
    injection_energy: float,
) -> DepthResolved:
    """Mattis-Bardeen conductivity (S/m) of every slice at the probe energies.

    Parameters
    ----------
    traces : sequence of KineticTrace
        One per slice, from the surface down.
    thickness, energy_density, absorbed : (n_slices,) float
        From :func:`slice_deposition` (nm, meV/nm^3, 1).
    probe : (n_w,) float, meV
        Probe photon energies.
    rho_n : float, Ohm nm
        Normal-state resistivity.
    n_quad : int
        Gauss nodes per Mattis-Bardeen panel.
    injection_energy : float, meV
        Photon energy of the kinetic drive (f(E) steps at its multiples).
    """
    sig, gaps = [], []
    for tr in traces:
        s = probe_conductivity(tr, probe, n_quad, (injection_energy, 2 * injection_energy))
        sig.append(optics.conductivity_si(s, rho_n))
        gaps.append(tr.delta0)
    return DepthResolved(
        thickness,
        energy_density,
        absorbed,
        np.stack(sig, axis=-1),
        np.stack(gaps, axis=-1),
        list(traces),
    )


def _slice_kinetics(
    spectrum: Any, temperature: float, energy_density: float, **kw: Any
) -> KineticTrace:
    """One slice's kinetics: :func:`run_kinetics` at ``energy_density`` (meV/nm^3), the
    other arguments as there (module level, so that worker processes can run it)."""
    return run_kinetics(spectrum, temperature, energy_density=energy_density, **kw)


def depth_resolved_film(
    spectrum: Any,
    temperature: float,
    *,
    n0_per_ev_nm3: float,
    rho_n: float,
    omega_pump: float,
    injection_energy: float,
    tau_pump: float,
    fluence: float,
    tau_esc: float,
    delays: np.ndarray,
    probe: np.ndarray,
    depth: float,
    n_slices: int,
    n_ambient: float,
    numerics: Any,
    n_substrate_pump: complex | None = None,
    eps_inf: float = 1.0,
    label: str = "slices",
    traces: Sequence[KineticTrace] | None = None,
) -> DepthResolved:
    """Slice the pumped region of a sample and run the kinetics in every slice.

    :func:`slice_deposition`, then one :func:`run_kinetics` per slice (no quasi-particle
    or phonon diffusion between slices, as in paper 001's single-layer treatment), mapped
    over worker processes by :func:`photosc.foundation.parallel.parallel_map` per
    ``numerics.workers`` (0: all cores; 1: in-process) and ``numerics.scheduler``, then
    :func:`slice_response`.

    Parameters
    ----------
    spectrum : photosc.cores.spectra.Spectrum
        alpha^2F, F, mu* of the material.
    temperature : float, K
    n0_per_ev_nm3 : float, 1/(eV nm^3)
        N(0), single spin.
    rho_n : float, Ohm nm
        Normal-state resistivity.
    omega_pump, injection_energy : float, meV
        Pump photon energy (absorption) and the kinetic drive's photon energy.
    tau_pump : float, ps
        Pump FWHM.
    fluence : float, mJ/cm^2
    tau_esc : float, ps
    delays : (n_t,) float, ps
    probe : (n_w,) float, meV
    depth : float, nm
        Thickness of the sliced region.
    n_slices : int
        Number of slices (>= 1).
    n_ambient : float
    numerics : object
        With ``grid_step`` (meV), ``e_max`` (meV), ``rtol``, ``gap_tol``, ``n_quad`` and
        optionally ``workers``, ``scheduler``.
    n_substrate_pump : complex, optional
        Index below the sliced region at omega_pump (None: unpumped same material).
    eps_inf : float
        Background permittivity at the pump.
    label : str
        Progress-bar text.
    traces : sequence of KineticTrace, optional
        The slices' kinetics, already run (top slice first, at the energy densities of
        :func:`slice_deposition` with these arguments and the other arguments here):
        a caller that runs the slices of several films in one pool (issue 16) passes
        them; None runs them here.

    Returns
    -------
    DepthResolved
    """
    d, per, e_dens = slice_deposition(
        omega_pump, rho_n, depth, n_slices, fluence, n_ambient, n_substrate_pump, eps_inf
    )
    if traces is not None:
        if len(traces) != len(e_dens):
            raise ValueError(f"traces: {len(traces)} given for {len(e_dens)} slices")
        return slice_response(
            list(traces), d, e_dens, per, probe, rho_n, numerics.n_quad, injection_energy
        )
    run_slice = functools.partial(
        _slice_kinetics,
        spectrum,
        temperature,
        n0_per_ev_nm3=n0_per_ev_nm3,
        injection_energy=injection_energy,
        tau_pump=tau_pump,
        tau_esc=tau_esc,
        delays=np.asarray(delays, dtype=float),
        step=numerics.grid_step,
        e_max=numerics.e_max,
        rtol=numerics.rtol,
        gap_tol=numerics.gap_tol,
    )
    workers = int(getattr(numerics, "workers", 0) or 0) or None
    scheduler = str(getattr(numerics, "scheduler", "") or "") or None
    traces = parallel_map(
        run_slice, [float(x) for x in e_dens], workers=workers, scheduler=scheduler, desc=label
    )
    return slice_response(traces, d, e_dens, per, probe, rho_n, numerics.n_quad, injection_energy)
