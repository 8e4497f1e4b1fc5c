"""Sample geometry and the measured signal: the last stages of the pump-probe chain.

Paper 001: the pumped layer's conductivity sigma(omega, t) gives the index
n = sqrt(eps_inf + i sigma / (eps_0 omega)) (main text after Eq. 2), R and T of the
sample follow from the Fresnel equations of SI Eqs. 10-13 (one layer) or the transfer
matrix of a stack (:func:`photosc.cores.optics.film_trace`), the signal is dR/R0 or
dT/T0 (Eq. 3), sigma_1,2 / sigma_N or the probe penetration depth (SI Eq. 14), and the
probe averages it with a Gaussian of its FWHM (SI II.2).

Geometries (:class:`Sample`):

* ``film-on-substrate``: the pumped film of ``thickness`` on a substrate of index
  ``n_substrate_pump`` / ``n_substrate_probe`` (paper 001's Pb film on Si);
* ``thick``: a sample much thicker than the pump penetration depth: the pumped layer of
  ``thickness`` on the unpumped material itself (paper 001's LaH10 and K3C60); the
  energy density is the surface value F_0 chi / delta_pump with chi = 1 - R of the
  semi-infinite sample;
* ``stack``: the pumped film on non-absorbing layers of thicknesses
  ``layer_thicknesses`` and real indices ``layer_indices``, then the substrate.

Material-free: conductivities, rho_N, eps_inf and indices come in as values.
Units: energies meV, lengths nm, conductivities S/m, resistivity Ohm nm, times ps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from photosc.cores import optics
from photosc.pipeline.sample import pump_absorption

__all__ = [
    "GEOMETRIES",
    "QUANTITIES",
    "Deposition",
    "Sample",
    "convolve_probe",
    "measured_signal",
    "pump_deposition",
    "sample_response",
]

#: Sample geometries :class:`Sample` knows.
GEOMETRIES = ("film-on-substrate", "thick", "stack")

#: Measured quantities :func:`measured_signal` returns.
QUANTITIES = ("dR/R", "dT/T", "sigma1", "sigma2", "penetration-depth")

Geometry = Literal["film-on-substrate", "thick", "stack"]


@dataclass(frozen=True)
class Sample:
    """Where the pumped material sits.

    Attributes
    ----------
    geometry : {"film-on-substrate", "thick", "stack"}
    thickness : float, nm
        Pumped film (film, stack) or the pumped surface layer of a thick sample.
    n_ambient : float
        Index of the incidence medium (pump and probe).
    n_substrate_pump, n_substrate_probe : complex
        Substrate index at the pump and the probe (film, stack; a thick sample's
        substrate is the unpumped material itself).
    layer_thicknesses : tuple of float, nm
        Non-absorbing layers between film and substrate (stack only).
    layer_indices : tuple of float
        Their real indices (stack only).
    eps_inf : float
        Background permittivity of the pumped material.
    """

    geometry: Geometry
    thickness: float
    n_ambient: float = 1.0
    n_substrate_pump: complex = 1.0
    n_substrate_probe: complex = 1.0
    layer_thicknesses: tuple[float, ...] = ()
    layer_indices: tuple[float, ...] = ()
    eps_inf: float = 1.0

    def __post_init__(self) -> None:
        if self.geometry not in GEOMETRIES:
            raise ValueError(f"geometry must be one of {GEOMETRIES}, got {self.geometry!r}")
        if len(self.layer_thicknesses) != len(self.layer_indices):
            raise ValueError("layer_thicknesses and layer_indices must have the same length")
        if self.geometry == "stack" and not self.layer_thicknesses:
            raise ValueError("a stack needs at least one layer between film and substrate")


@dataclass(frozen=True)
class Deposition:
    """Where the pump's energy goes.

    Attributes
    ----------
    absorbed_fraction : float
        chi = 1 - R - T of the pumped layer at the pump (main text after Eq. 3); for a
        thick sample 1 - R of the semi-infinite material.
    pump_depth : float, nm
        Pump penetration depth delta_pump = c / (2 omega Im n) (SI Eq. 14).
    pumped_depth : float, nm
        d of E_abs = F_0 chi / d: the film thickness, or delta_pump for a thick sample.
    """

    absorbed_fraction: float
    pump_depth: float
    pumped_depth: float


def pump_deposition(sample: Sample, omega_pump: float, rho_n: float) -> Deposition:
    """Absorbed fraction and pumped depth of ``sample`` at the pump photon energy.

    The pumped material's conductivity at the pump is sigma_N = 1/rho_N (far above
    the gap Mattis-Bardeen gives sigma_N to O((Delta/omega)^2)).

    Parameters
    ----------
    sample : Sample
    omega_pump : float, meV
        Pump photon energy.
    rho_n : float, Ohm nm
        Normal-state resistivity.

    Returns
    -------
    Deposition
    """
    w = float(omega_pump)
    if sample.geometry == "film-on-substrate":
        chi, _, d_pump = pump_absorption(
            w,
            rho_n,
            sample.thickness,
            eps_inf=sample.eps_inf,
            n_ambient=sample.n_ambient,
            n_substrate=sample.n_substrate_pump,
        )
        return Deposition(chi, d_pump, sample.thickness)
    n = optics.complex_index(
        optics.conductivity_si(np.ones(1), rho_n), np.array([w]), sample.eps_inf
    )[0]
    d_pump = float(optics.penetration_depth(n, w))
    if sample.geometry == "thick":
        # semi-infinite: all that enters is absorbed, chi = 1 - R with Fresnel's R at
        # normal incidence, and E_abs = F_0 chi / delta_pump is the surface energy density
        # (the pumped layer's own 1 - R - T would depend on its arbitrary thickness)
        r = (sample.n_ambient - n) / (sample.n_ambient + n)
        return Deposition(float(1.0 - abs(r) ** 2), d_pump, d_pump)
    idx = np.array([[n, *sample.layer_indices]], dtype=complex)
    d = np.array([sample.thickness, *sample.layer_thicknesses], dtype=float)
    per = optics.layer_absorptance(
        idx, d, np.array([w]), n_ambient=sample.n_ambient, n_substrate=sample.n_substrate_pump
    )[0]
    return Deposition(float(per[0]), d_pump, sample.thickness)


def sample_response(
    sigma: np.ndarray,
    thicknesses: np.ndarray,
    omega: np.ndarray,
    sample: Sample,
    n_substrate: complex | np.ndarray | None = None,
) -> optics.FilmTrace:
    """R, T, dR/R0, dT/T0 and penetration depths of the sample along a run.

    Parameters
    ----------
    sigma : (n_t, n_w, n_layers) complex, S/m
        Conductivity of the pumped layer(s): one layer, or the slices of a
        depth-resolved film from the surface down; row 0 is the pre-pump state.
    thicknesses : (n_layers,) float, nm
        Their thicknesses.
    omega : (n_w,) float, meV
        Probe photon energies.
    sample : Sample
    n_substrate : complex or (n_w,) complex, optional
        Index below the pumped layers; default: ``sample.n_substrate_probe`` (film,
        stack). A thick sample needs the unpumped material's index here
        (:func:`photosc.pipeline.conductivity.equilibrium_index`).

    Returns
    -------
    photosc.cores.optics.FilmTrace
        (n_t, n_w) arrays (penetration depth (n_t, n_w, n_layers + extra layers)).
    """
    sig = np.asarray(sigma, dtype=complex)
    d = np.asarray(thicknesses, dtype=float)
    n_sub = sample.n_substrate_probe if n_substrate is None else n_substrate
    if sample.geometry == "thick" and n_substrate is None:
        raise ValueError("a thick sample needs the unpumped material's index as n_substrate")
    if sample.geometry != "stack":
        return optics.film_trace(
            sig,
            omega,
            d,
            eps_inf=sample.eps_inf,
            n_ambient=sample.n_ambient,
            n_substrate=n_sub,
        )
    n_extra = len(sample.layer_thicknesses)
    zeros = np.zeros((*sig.shape[:2], n_extra), dtype=complex)
    eps = np.concatenate(
        [np.full(sig.shape[2], sample.eps_inf), np.asarray(sample.layer_indices, float) ** 2]
    )
    return optics.film_trace(
        np.concatenate([sig, zeros], axis=-1),
        omega,
        np.concatenate([d, np.asarray(sample.layer_thicknesses, dtype=float)]),
        eps_inf=eps.astype(complex),
        n_ambient=sample.n_ambient,
        n_substrate=n_sub,
    )


def measured_signal(
    quantity: str, trace: optics.FilmTrace, sigma_over_sigma_n: np.ndarray
) -> np.ndarray:
    """The measured quantity along the run, (n_t, n_w).

    Parameters
    ----------
    quantity : {"dR/R", "dT/T", "sigma1", "sigma2", "penetration-depth"}
        dR/R0, dT/T0 (paper 001 Eq. 3), sigma_1,2 / sigma_N of the (top) pumped layer, or
        its probe penetration depth in nm (SI Eq. 14).
    trace : photosc.cores.optics.FilmTrace
        From :func:`sample_response`.
    sigma_over_sigma_n : (n_t, n_w) complex
        Conductivity of the (top) pumped layer over sigma_N.
    """
    if quantity == "dR/R":
        return np.asarray(trace.d_r_over_r, dtype=float)
    if quantity == "dT/T":
        return np.asarray(trace.d_t_over_t, dtype=float)
    if quantity == "sigma1":
        return np.asarray(sigma_over_sigma_n, dtype=complex).real.copy()
    if quantity == "sigma2":
        return np.asarray(sigma_over_sigma_n, dtype=complex).imag.copy()
    if quantity == "penetration-depth":
        return np.asarray(trace.penetration_depth, dtype=float)[..., 0]
    raise ValueError(f"quantity must be one of {QUANTITIES}, got {quantity!r}")


def convolve_probe(time: np.ndarray, signal: np.ndarray, fwhm: float) -> np.ndarray:
    """Gaussian probe average of each column of ``signal`` (paper 001 SI II.2).

    Parameters
    ----------
    time : (n_t,) float, ps
        Delays.
    signal : (n_t, n_w) float
        Signal per probe energy.
    fwhm : float, ps
        Probe FWHM.

    Returns
    -------
    (n_t, n_w) float
        One column at a time (:func:`photosc.cores.optics.gaussian_probe_convolution`
        of a 1-D trace), so a single column equals the paper models' convolution bit for
        bit.
    """
    s = np.asarray(signal, dtype=float)
    out = np.empty_like(s)
    for j in range(s.shape[1]):
        out[:, j] = optics.gaussian_probe_convolution(time, s[:, j], fwhm)
    return out
