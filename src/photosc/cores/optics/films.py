"""Dielectric function, complex index, penetration depth and layered films at normal incidence.

Paper 001: main text (after Eq. 2) n = sqrt(eps) = sqrt(1 + i sigma / (eps0 omega));
SI Eqs. 10-13 (one film between two media), SI Eq. 14 (penetration depth).

Conventions
-----------
* Time dependence exp(-i omega t); a wave in a medium of index N goes as
  exp(i N omega z / c), so absorbing media have Im N > 0 (Re N >= 0 is chosen).
* Photon energies hbar*omega in meV, thicknesses and depths in nm, conductivities in
  S/m (:func:`conductivity_si` converts sigma/sigma_0 with rho_N in Ohm nm, the unit of
  paper 001 SI Table 1).
* Light comes from the ambient (index ``n_ambient``, real), crosses the layers in order
  and leaves into a semi-infinite substrate (``n_substrate``, any Im >= 0): the paper's
  N1, N2, N3. A substrate of finite thickness with incoherent back reflection is not
  modelled (the paper's Eqs. 10-12 do not either).

Background permittivity
-----------------------
``eps_inf`` adds bound-charge (interband, core) polarisability: eps = eps_inf +
i sigma/(eps0 omega). The paper uses eps_inf = 1 (vacuum background), adequate where
the free-carrier and superconducting response dominates (THz/far infrared: Pb at 5 meV,
K3C60 at 10 meV). At visible and near-infrared probes (LaH10 at 1.5 eV) interband
transitions contribute and a material's eps_inf (or a full interband model) can be
given; the default stays at the paper's 1.

Stacks
------
Amplitudes of a stack come from the recursion (Rouard's method) from the substrate
backwards::

    r_j = (r_{j,j+1} + r_{j+1} e^{2 i phi_{j+1}}) / (1 + r_{j,j+1} r_{j+1} e^{2 i phi_{j+1}})
    t_j = t_{j,j+1} t_{j+1} e^{i phi_{j+1}} / (1 + r_{j,j+1} r_{j+1} e^{2 i phi_{j+1}})

with Fresnel r_{ab} = (N_a - N_b)/(N_a + N_b), t_{ab} = 2 N_a/(N_a + N_b) and phase
phi = N omega d / c (SI Eq. 13). This is the product of the 2x2 interface and
propagation transfer matrices evaluated so that only the decaying exponential
e^{i phi} (|e^{i phi}| <= 1) appears: no overflow for thick, strongly absorbing
layers. For one layer it is SI Eqs. 10-11 exactly (multiply numerator and denominator
by e^{-i phi}). R = |r|^2, T = Re(N_sub)/N_amb |t|^2 (SI Eq. 12 writes N3/N1; the real
part is the Poynting flux of the transmitted wave, equal to it for a transparent
substrate), A = 1 - R - T.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.foundation.units import C_LIGHT, EPS0, HBAR

__all__ = [
    "FilmResponse",
    "Z0_OHM",
    "complex_index",
    "conductivity_si",
    "dielectric_function",
    "layer_absorptance",
    "penetration_depth",
    "single_film",
    "stack",
    "thin_film_transmittance",
]

#: Impedance of free space 1/(eps0 c), Ohm.
Z0_OHM = 1.0 / (EPS0 * C_LIGHT * 1e3)  # C_LIGHT in nm/ps; 1 nm/ps = 1e3 m/s

#: omega in rad/s per meV of hbar*omega.
_RAD_PER_S_PER_MEV = 1e12 / HBAR


class FilmResponse(NamedTuple):
    """Amplitudes and powers of a film or stack.

    Attributes
    ----------
    r, t : (...) complex
        Reflection and transmission amplitude coefficients.
    reflectance, transmittance, absorptance : (...) float
        R = |r|^2, T = Re(N_sub)/N_amb |t|^2, A = 1 - R - T.
    """

    r: NDArray[np.complex128]
    t: NDArray[np.complex128]
    reflectance: NDArray[np.float64]
    transmittance: NDArray[np.float64]
    absorptance: NDArray[np.float64]


def _omega(omega: ArrayLike) -> NDArray[np.float64]:
    w = np.asarray(omega, dtype=float)
    if not (np.all(np.isfinite(w)) and np.all(w > 0)):
        raise ValueError(f"omega (photon energy, meV) must be finite and > 0, got {omega!r}")
    return w


def conductivity_si(sigma_over_sigma0: ArrayLike, rho_n: float) -> NDArray[np.complex128]:
    """Conductivity in S/m from sigma/sigma_0 and the normal-state resistivity.

    sigma = (sigma/sigma_0) / rho_N, rho_N in Ohm nm (paper 001 SI Table 1: Pb 350,
    LaH10 3000, K3C60 20000, CaC6 460 Ohm nm).

    Parameters
    ----------
    sigma_over_sigma0 : (...) complex
        Normalised conductivity.
    rho_n : float, Ohm nm
        rho_N > 0.

    Returns
    -------
    (...) complex, S/m
    """
    r = float(rho_n)
    if not (r > 0 and math.isfinite(r)):
        raise ValueError(f"rho_n must be a finite number > 0 Ohm nm, got {rho_n!r}")
    return np.asarray(sigma_over_sigma0, dtype=complex) / (r * 1e-9)


def dielectric_function(
    sigma: ArrayLike, omega: ArrayLike, eps_inf: ArrayLike = 1.0
) -> NDArray[np.complex128]:
    """eps(omega) = eps_inf + i sigma / (eps0 omega) (paper 001 main text after Eq. 2).

    Parameters
    ----------
    sigma : (...) complex, S/m
        Complex conductivity sigma_1 + i sigma_2.
    omega : (...) float, meV
        Photon energy hbar*omega > 0 (broadcast with ``sigma``).
    eps_inf : (...) complex
        Background permittivity (1 in the paper; see the module docstring).

    Returns
    -------
    (...) complex
    """
    w = _omega(omega)
    return np.asarray(eps_inf, dtype=complex) + 1j * np.asarray(sigma, dtype=complex) / (
        EPS0 * w * _RAD_PER_S_PER_MEV
    )


def complex_index(
    sigma: ArrayLike, omega: ArrayLike, eps_inf: ArrayLike = 1.0
) -> NDArray[np.complex128]:
    """Complex index N = sqrt(eps_inf + i sigma/(eps0 omega)), branch Im N >= 0.

    Parameters
    ----------
    sigma : (...) complex, S/m
    omega : (...) float, meV
    eps_inf : (...) complex
        Background permittivity.

    Returns
    -------
    (...) complex
        n + i kappa with kappa >= 0 (and n >= 0 where kappa = 0).
    """
    eps = dielectric_function(sigma, omega, eps_inf)
    n = np.sqrt(eps)
    return np.where((n.imag < 0) | ((n.imag == 0) & (n.real < 0)), -n, n)


def penetration_depth(index: ArrayLike, omega: ArrayLike) -> NDArray[np.float64]:
    """Intensity penetration depth delta = c / (2 omega Im N) (paper 001 SI Eq. 14), nm.

    Parameters
    ----------
    index : (...) complex
        Complex index, Im N >= 0 (a non-absorbing medium, Im N = 0, gives inf).
    omega : (...) float, meV

    Returns
    -------
    (...) float, nm
    """
    n = np.asarray(index, dtype=complex)
    w = _omega(omega)
    if np.any(n.imag < 0) or not np.all(np.isfinite(n)):
        raise ValueError(
            "penetration_depth needs finite indices with Im(index) >= 0 (exp(-i omega t) "
            f"convention); got min Im {np.nanmin(n.imag)!r}"
        )
    with np.errstate(divide="ignore"):
        return C_LIGHT * HBAR / (2.0 * w * n.imag)


def _check_ambient(n_ambient: ArrayLike) -> NDArray[np.complex128]:
    n0 = np.asarray(n_ambient, dtype=complex)
    if np.any(n0.imag != 0) or np.any(n0.real <= 0):
        raise ValueError(
            f"n_ambient must be real and > 0 (a transparent incidence medium), got {n_ambient!r}"
        )
    return n0


def _check_medium(n: NDArray[np.complex128], name: str) -> None:
    if not np.all(np.isfinite(n)):
        raise ValueError(f"{name} must be finite")
    if np.any(n.imag < 0):
        raise ValueError(
            f"{name} must have Im >= 0 (exp(-i omega t) convention: absorbing media have "
            f"Im N > 0), got min Im {n.imag.min()!r}"
        )


def _response(
    r: NDArray[np.complex128],
    t: NDArray[np.complex128],
    n_ambient: NDArray[np.complex128],
    n_substrate: NDArray[np.complex128],
) -> FilmResponse:
    refl = np.abs(r) ** 2
    trans = n_substrate.real / n_ambient.real * np.abs(t) ** 2
    return FilmResponse(r, t, refl, trans, 1.0 - refl - trans)


def _prepare_stack(
    indices: ArrayLike,
    thicknesses: ArrayLike,
    omega: ArrayLike,
    n_ambient: ArrayLike,
    n_substrate: ArrayLike,
) -> tuple:
    n = np.asarray(indices, dtype=complex)
    d = np.asarray(thicknesses, dtype=float)
    if n.ndim == 0 or n.shape[-1] == 0:
        raise ValueError("indices must have a last axis with one entry per layer (>= 1 layer)")
    if d.ndim != 1 or d.shape[0] != n.shape[-1]:
        raise ValueError(
            f"thicknesses must be 1-D with one entry per layer ({n.shape[-1]}), got shape {d.shape}"
        )
    if not (np.all(np.isfinite(d)) and np.all(d >= 0)):
        raise ValueError(f"thicknesses must be finite and >= 0 nm, got {d}")
    _check_medium(n, "indices")
    w = _omega(omega)
    n0 = _check_ambient(n_ambient)
    ns = np.asarray(n_substrate, dtype=complex)
    _check_medium(ns, "n_substrate")
    lead = np.broadcast_shapes(n.shape[:-1], w.shape, n0.shape, ns.shape)
    n = np.broadcast_to(n, lead + n.shape[-1:])
    k0 = np.broadcast_to(w / (HBAR * C_LIGHT), lead)  # 1/nm
    return n, d, k0, np.broadcast_to(n0, lead), np.broadcast_to(ns, lead)


def _rouard(
    n: NDArray[np.complex128],
    d: NDArray[np.float64],
    k0: NDArray[np.float64],
    n0: NDArray[np.complex128],
    ns: NDArray[np.complex128],
) -> tuple:
    """Backward recursion. Returns r, t of the stack and, per layer j, rho_j (the
    reflection coefficient seen from inside layer j at its right edge) and the
    one-way propagation factor e^{i phi_j}, each (..., n_layers)."""
    n_layers = n.shape[-1]
    rho = np.empty(n.shape, dtype=complex)
    prop = np.exp(1j * n * k0[..., None] * d)  # |prop| <= 1
    r_right = (n[..., -1] - ns) / (n[..., -1] + ns)
    t_right = 2.0 * n[..., -1] / (n[..., -1] + ns)
    rho[..., -1] = r_right
    r, t = r_right, t_right
    for j in range(n_layers - 1, -1, -1):
        n_left = n0 if j == 0 else n[..., j - 1]
        r_int = (n_left - n[..., j]) / (n_left + n[..., j])
        t_int = 2.0 * n_left / (n_left + n[..., j])
        ph = prop[..., j]
        den = 1.0 + r_int * r * ph * ph
        r, t = (r_int + r * ph * ph) / den, t_int * t * ph / den
        if j > 0:
            rho[..., j - 1] = r
    return r, t, rho, prop


def stack(
    indices: ArrayLike,
    thicknesses: ArrayLike,
    omega: ArrayLike,
    *,
    n_ambient: ArrayLike = 1.0,
    n_substrate: ArrayLike = 1.0,
) -> FilmResponse:
    """Reflection and transmission of a stack of layers at normal incidence.

    Rouard recursion of the transfer matrices (module docstring); SI Eqs. 10-13 of
    paper 001 for one layer.

    Parameters
    ----------
    indices : (..., n_layers) complex
        Complex index of each layer, in order from the ambient side, Im >= 0; leading
        axes broadcast with ``omega`` (e.g. (n_w, n_layers)).
    thicknesses : (n_layers,) float, nm
        Layer thicknesses >= 0.
    omega : (...) float, meV
        Photon energies.
    n_ambient : (...) float
        Real index of the incidence medium (default vacuum).
    n_substrate : (...) complex
        Index of the semi-infinite exit medium (default vacuum).

    Returns
    -------
    FilmResponse with arrays of the broadcast leading shape.
    """
    n, d, k0, n0, ns = _prepare_stack(indices, thicknesses, omega, n_ambient, n_substrate)
    r, t, _, _ = _rouard(n, d, k0, n0, ns)
    return _response(r, t, n0, ns)


def layer_absorptance(
    indices: ArrayLike,
    thicknesses: ArrayLike,
    omega: ArrayLike,
    *,
    n_ambient: ArrayLike = 1.0,
    n_substrate: ArrayLike = 1.0,
) -> NDArray[np.float64]:
    """Fraction of the incident power absorbed in each layer of a stack.

    The forward amplitude in layer j at its left edge follows from the recursion's
    coefficients, a_{j+1} = t_{j,j+1} a_j e^{i phi_j} / (1 + r_{j,j+1} rho_{j+1}
    e^{2 i phi_{j+1}}) (only bounded factors), the fields at both edges of a layer are
    E = a (1 + R), H = N a (1 - R) with R the local backward/forward ratio, and the
    absorbed fraction is the drop of the Poynting flux Re(E H*) across the layer,
    divided by the incident flux N_amb. Sums to 1 - R - T. For a film sliced into
    layers this is the pump's energy deposition profile (issue 8, depth-resolved film).

    Parameters
    ----------
    indices : (..., n_layers) complex
    thicknesses : (n_layers,) float, nm
    omega : (...) float, meV
    n_ambient : (...) float
    n_substrate : (...) complex

    Returns
    -------
    (..., n_layers) float
    """
    n, d, k0, n0, ns = _prepare_stack(indices, thicknesses, omega, n_ambient, n_substrate)
    _, _, rho, prop = _rouard(n, d, k0, n0, ns)
    big_r = rho * prop * prop  # backward/forward ratio at each layer's left edge
    a = 2.0 * n0 / (n0 + n[..., 0]) / (1.0 + (n0 - n[..., 0]) / (n0 + n[..., 0]) * big_r[..., 0])
    out = np.empty(n.shape, dtype=float)
    for j in range(n.shape[-1]):
        nj = n[..., j]
        left = np.real(a * (1 + big_r[..., j]) * np.conj(nj * a * (1 - big_r[..., j])))
        ar = a * prop[..., j]
        right = np.real(ar * (1 + rho[..., j]) * np.conj(nj * ar * (1 - rho[..., j])))
        out[..., j] = (left - right) / n0.real
        if j + 1 < n.shape[-1]:
            nn = n[..., j + 1]
            r_int = (nj - nn) / (nj + nn)
            a = 2.0 * nj / (nj + nn) * ar / (1.0 + r_int * big_r[..., j + 1])
    return out


def single_film(
    n_film: ArrayLike,
    thickness: float,
    omega: ArrayLike,
    *,
    n_ambient: ArrayLike = 1.0,
    n_substrate: ArrayLike = 1.0,
) -> FilmResponse:
    """One film between ambient and substrate, SI Eqs. 10-13 of paper 001 as printed.

    t = 4 N1 N2 / [(N1 + N2)(N2 + N3) e^{-i phi} - (N2 - N3)(N2 - N1) e^{i phi}]
    r = [(N1 - N2)(N2 + N3) e^{-i phi} + (N2 - N3)(N1 + N2) e^{i phi}] / [same]
    phi = N2 omega d / c; R = |r|^2, T = Re(N3)/N1 |t|^2.

    Evaluated as printed (e^{-i phi} grows for thick absorbing films; use :func:`stack`
    there); an independent check of :func:`stack`.

    Parameters
    ----------
    n_film : (...) complex
        N2.
    thickness : float, nm
    omega : (...) float, meV
    n_ambient : (...) float
        N1 (real).
    n_substrate : (...) complex
        N3.
    """
    n2 = np.asarray(n_film, dtype=complex)
    _check_medium(n2, "n_film")
    n1 = _check_ambient(n_ambient)
    n3 = np.asarray(n_substrate, dtype=complex)
    _check_medium(n3, "n_substrate")
    d = float(thickness)
    if not (d >= 0 and math.isfinite(d)):
        raise ValueError(f"thickness must be a finite number >= 0 nm, got {thickness!r}")
    w = _omega(omega)
    phi = n2 * w * d / (HBAR * C_LIGHT)
    em, ep = np.exp(-1j * phi), np.exp(1j * phi)
    den = (n1 + n2) * (n2 + n3) * em - (n2 - n3) * (n2 - n1) * ep
    t = 4.0 * n1 * n2 / den
    r = ((n1 - n2) * (n2 + n3) * em + (n2 - n3) * (n1 + n2) * ep) / den
    shape = np.broadcast_shapes(r.shape, n1.shape, n3.shape)
    return _response(
        np.broadcast_to(r, shape),
        np.broadcast_to(t, shape),
        np.broadcast_to(n1, shape),
        np.broadcast_to(n3, shape),
    )


def thin_film_transmittance(
    sigma: ArrayLike, thickness: float, *, n_ambient: float = 1.0, n_substrate: float = 1.0
) -> NDArray[np.float64]:
    """Tinkham's thin-film transmittance T = 4 n1 n3 / |n1 + n3 + Z0 sigma d|^2.

    Valid for d << penetration depth and wavelength (Glover and Tinkham 1957; Tinkham,
    Introduction to Superconductivity, Eq. 3.128 in the form for a film on a
    semi-infinite substrate, without the substrate back face). T/T_substrate with
    T_substrate = 4 n1 n3/(n1 + n3)^2 gives the familiar |1 + n|^2/|1 + n + Z0 sigma d|^2.

    Parameters
    ----------
    sigma : (...) complex, S/m
    thickness : float, nm
    n_ambient, n_substrate : float
        Real indices (transparent media).

    Returns
    -------
    (...) float
    """
    d = float(thickness) * 1e-9
    y = Z0_OHM * np.asarray(sigma, dtype=complex) * d
    return 4.0 * n_ambient * n_substrate / np.abs(n_ambient + n_substrate + y) ** 2
