"""Cavity quantum Eliashberg effect: photon bath, collision kernel, delta n(E), gap change.

Paper 004: Curtis, Raines, Allocca, Hafezi, Galitski, *Cavity Quantum Eliashberg
Enhancement of Superconductivity*, PRL 122, 167002 (2019).

Units
-----
Paper 004 is dimensionless: hbar = k_B = 1 and every energy (E, Delta, Omega, omega_0,
k_B T, the linewidth 1/(2 tau_cav)) is measured in units of k_B T_c. The functions here
are unit-agnostic: all energy arguments must share one unit (T_c units in the models).
Occupations and the coupling function J are dimensionless; the "weight" W(Omega) =
tau_in X J(Omega) delta N(Omega) has the unit 1/energy.

What is implemented (and the forms used where the printed text leaves a choice)
-----------------------------------------------------------------------------
* Eq. 11, photon spectral function A(omega) = (1/tau_cav)/((omega - omega_q)^2 +
  (1/2 tau_cav)^2), written with the half width kappa = 1/(2 tau_cav):
  A = 2 kappa / ((omega - omega_q)^2 + kappa^2), normalised to int A d omega = 2 pi.
* Eq. 7, delta N(Omega) = n_B(Omega/T_cav) - n_B(Omega/T_qp) (cavity photons thermal at
  T_cav).
* Eq. 15, f(Omega, E) and K(Omega, E) = f(Omega, E) + f(-Omega, E) - f(-Omega, -E), with
  nu_qp/nu_F = 2|E|/sqrt(E^2 - Delta^2) as in Eq. 1 (the 2 counts the two branches
  xi = +-sqrt(E^2 - Delta^2) of int_p' -> nu_F int dxi'; the overall scale of J absorbs
  every constant in front of the kernel).
* Eq. 14, delta n(E) = tau_in int dOmega J(Omega) delta N(Omega) K(Omega, E).
  **Range of Omega.** Eq. 8 linearised about n_F with N = n_B(T_qp) + delta N gives,
  after the Fermi-surface average (Eqs. 9-13, xi xi' terms averaging out)::

      delta n(E)/tau_in = int_Delta^oo dE' nu_qp(E')/nu_F {
            c_s(E, E') B(|E - E'|) delta N(|E - E'|) [n_F(E') - n_F(E)]
          + c_p(E, E') B(E + E')   delta N(E + E')   [1 - n_F(E) - n_F(E')] },

  c_s = (1 + Delta^2/(E E'))/2 (Eq. 13), c_p = (1 - Delta^2/(E E'))/2 (Eq. 12) (the
  current-coupled, "case II" coherence factors; a density-coupled phonon bath has them
  swapped; the left side of Eq. 12 as converted, (u_p v_-p' - v_-p' u_p)^2, vanishes
  identically, a garble of (u v' - v u')^2 whose right side is used), B the
  positive-frequency photon spectral weight (J). Substituting Omega = E - E' (E' < E,
  photon emitted), Omega = E' - E (E' > E, absorbed) and Omega = E + E' (pair) turns the
  three pieces into f(Omega, E), f(-Omega, E) and -f(-Omega, -E) with **Omega > 0 only**:
  each scattering and pair process is counted once (``omega_integration="positive"``,
  the default). Reading Eq. 14 literally over all Omega, with J continued as the odd
  bosonic spectral function so that J delta N is even, adds K(-Omega, E) =
  f(-Omega, E) + f(Omega, E) (f(Omega, -E) = 0): the scattering terms are counted twice,
  the pair term once (``omega_integration="all"``). Both vanish at T_cav = T_qp.
* Eq. 16, multimode planar cavity. As printed J has the dimension of a length: the mode
  normalisation is missing. The fundamental mode of a cavity of length L normalised over
  its volume has |u(z)|^2 = 2/L per unit area at the antinode z = L/2. The in-plane
  polarisation sum at the antinode is sum_alpha |eps_par|^2 = 1 (TE) + omega_0^2/omega_q^2
  (TM, whose in-plane field is the fraction k_z/k = omega_0/omega_q of its amplitude).
  With d^2q/(2pi)^2 = omega d omega/(2 pi c^2) and L = pi c/omega_0::

      J(Omega) = (2 alpha D omega_0/(pi c^2)) int_omega_0^oo d omega A(Omega; omega)
                 (1 + omega_0^2/omega^2)
               -> (4/pi) (pi alpha D/c^2) omega_0 (1 + omega_0^2/Omega^2) theta(Omega - omega_0)

  for a narrow line, which is the form the paper quotes after Eq. 18 (J ~ omega_0 (1 +
  omega_0^2/Omega^2) theta). The derived prefactor is (4/pi) times the paper's quoted scale
  pi alpha X D tau_in T_c^2/c^2 (:func:`multimode_prefactor`).
* Single-mode cavity (text after Eq. 18): J = s omega_0^2 2 kappa/((Omega - omega_0)^2 +
  kappa^2) with the scale s = 4 pi alpha X D tau_in T_c^2/((pi sqrt 3)^3 c^2) of the Fig. 3
  caption (a cubic box whose (1,1,1) mode sits at omega_0, volume (pi sqrt3 c/omega_0)^3),
  used as printed (:func:`single_mode_prefactor`).
* Eqs. 17-18, Ginzburg-Landau gap change. Expanding the gap equation 1 = lambda int_0
  dxi (1 - 2n)/E with n = n_F + delta n near T_c gives::

      (T_c - T)/T_c - b Delta^2/T_c^2 - 2 int_Delta dE delta n(E)/sqrt(E^2 - Delta^2) = 0,

  b = 7 zeta(3)/(8 pi^2): Eq. 17 with nu_qp/nu_F = E/sqrt(E^2 - Delta^2) (``dos_factor=1``,
  the default). Eq. 17 read with Eq. 1's nu_qp = 2 nu_F E/sqrt(E^2 - Delta^2) doubles the
  delta n term (``dos_factor=2``). To first order in delta n, with b Delta_0^2 =
  (T_c - T)/T_c, 2 b Delta_0 delta Delta = -2 dos_factor I, I = int dE delta n/sqrt(E^2 -
  Delta_0^2), so delta Delta/Delta_0 = -(T_c/(T_c - T)) dos_factor I: Eq. 18 follows from
  Eq. 17 with the same DOS (:func:`gl_relative_gap_change`).

Numerics
--------
delta n(E) is evaluated in the E' form above, E' = Delta cosh(u) (so that
nu_qp(E') dE' = 2 Delta cosh(u) du is smooth), on composite Gauss-Legendre panels whose
edges include the E-dependent images of every feature of W(Omega) (the multimode step at
omega_0, Lorentzian peaks) and of the thermal scales; vectorised over E and over a batch
of weights (e.g. several T_cav). The GL response G(Omega) = int dE K(Omega, E)/sqrt(E^2 -
Delta^2) (:func:`gap_response`) swaps the order of the two integrals and serves as an
independent check of the GL gap change.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import zeta

from photosc.foundation.distributions import fermi

__all__ = [
    "GL_COEFFICIENT",
    "CavityGap",
    "distribution_change",
    "find_kinks",
    "gap_integral_weights",
    "gap_response",
    "gl_relative_gap_change",
    "j_multimode",
    "j_single_mode",
    "kernel",
    "kernel_f",
    "multimode_lineshape",
    "multimode_prefactor",
    "photon_occupation_change",
    "photon_spectral_function",
    "qp_dos",
    "single_mode_prefactor",
    "solve_cavity_gap",
    "thermal_breakpoints",
]

#: 7 zeta(3) / (8 pi^2) = 0.10657, the Delta^2 coefficient of Eq. 17 (units of T_c^-2).
GL_COEFFICIENT = 7.0 * float(zeta(3.0)) / (8.0 * math.pi**2)

OmegaIntegration = Literal["positive", "all"]

_GL_CACHE: dict[int, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
#: Largest panel width in u (E' = Delta cosh u).
_H_U = 0.5
#: Panel edges at these multiples of each temperature (in Omega).
_THERMAL_CUTS = (0.3, 1.0, 3.0, 8.0, 20.0)


def _gauss01(n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes and weights on [0, 1]."""
    if n not in _GL_CACHE:
        x, w = np.polynomial.legendre.leggauss(n)
        _GL_CACHE[n] = (0.5 * (x + 1.0), 0.5 * w)
    return _GL_CACHE[n]


def _check_positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    v = float(value)
    ok = math.isfinite(v) and (v >= 0 if allow_zero else v > 0)
    if not ok:
        allowed = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {allowed}, got {value!r}")
    return v


def _check_mode(omega_integration: str) -> int:
    """Multiplicity of the scattering terms for the Eq. 14 reading."""
    if omega_integration == "positive":
        return 1
    if omega_integration == "all":
        return 2
    raise ValueError(f"omega_integration must be 'positive' or 'all', got {omega_integration!r}")


# --------------------------------------------------------------------------------------
# photon bath
# --------------------------------------------------------------------------------------
def photon_spectral_function(
    omega: ArrayLike, omega_q: ArrayLike, linewidth: float
) -> NDArray[np.float64]:
    """Photon spectral function, paper 004 Eq. 11.

    A(omega) = (1/tau_cav) / ((omega - omega_q)^2 + (1/(2 tau_cav))^2)
             = 2 kappa / ((omega - omega_q)^2 + kappa^2),  kappa = 1/(2 tau_cav);
    int A d omega = 2 pi.

    Parameters
    ----------
    omega : array_like, energy
        Frequency.
    omega_q : array_like, energy
        Mode frequency (broadcasts with ``omega``).
    linewidth : float, energy
        Half width kappa = 1/(2 tau_cav) > 0.

    Returns
    -------
    ndarray, broadcast shape, 1/energy
    """
    k = _check_positive("linewidth", linewidth)
    d = np.asarray(omega, dtype=float) - np.asarray(omega_q, dtype=float)
    return 2.0 * k / (d * d + k * k)


def photon_occupation_change(
    omega: ArrayLike, kT_cav: ArrayLike, kT_qp: float
) -> NDArray[np.float64]:
    """delta N(Omega) = n_B(Omega/T_cav) - n_B(Omega/T_qp), paper 004 Eq. 7.

    Parameters
    ----------
    omega : array_like, energy
        Photon frequency Omega > 0.
    kT_cav : array_like, energy
        Photon temperature >= 0 (broadcasts with ``omega``).
    kT_qp : float, energy
        Quasi-particle (phonon bath) temperature > 0.

    Returns
    -------
    ndarray, broadcast shape, dimensionless
    """
    w = np.asarray(omega, dtype=float)
    if np.any(w <= 0):
        raise ValueError("photon frequency omega must be > 0 in delta N (Eq. 7)")
    t_c = np.asarray(kT_cav, dtype=float)
    if np.any(t_c < 0) or not np.all(np.isfinite(t_c)):
        raise ValueError(f"kT_cav must be finite and >= 0, got {kT_cav!r}")
    t_q = _check_positive("kT_qp", kT_qp)
    out = _bose_positive(w, t_c) - _bose_positive(w, np.asarray(t_q))
    return np.where(t_c == t_q, 0.0, out)


def _bose_positive(w: NDArray[np.float64], kT: NDArray[np.float64]) -> NDArray[np.float64]:
    """n_B(w/kT) for w > 0, kT >= 0 (0 at kT = 0); exp(-x)/(1 - exp(-x)), no overflow."""
    if kT.ndim == 0:
        if kT == 0:
            return np.zeros_like(w)
        x = w / kT
    else:
        x = w / np.where(kT > 0, kT, 1.0)
        x = np.where(kT > 0, x, np.inf)
    return np.exp(-x) / -np.expm1(-x)


def multimode_lineshape(omega: ArrayLike, omega0: float, linewidth: float) -> NDArray:
    """F(Omega) = (1/2pi) int_omega0^oo d omega A(Omega; omega) (1 + omega0^2/omega^2).

    The q-integral of Eq. 16 with the TE + TM polarisation sum at the antinode (module
    docstring), in closed form (partial fractions; the Lorentzian of Eq. 11 times
    1/omega^2 integrated analytically). For ``linewidth = 0`` the narrow-line limit
    (1 + omega0^2/Omega^2) theta(Omega - omega0) (theta(0) = 1/2).

    Parameters
    ----------
    omega : array_like, energy
        Frequency Omega (>= 0 for the closed form).
    omega0 : float, energy
        Cavity cut-off frequency omega_0 = pi c / L > 0.
    linewidth : float, energy
        kappa = 1/(2 tau_cav) >= 0.

    Returns
    -------
    ndarray, shape of ``omega``, dimensionless
    """
    w0 = _check_positive("omega0", omega0)
    k = _check_positive("linewidth", linewidth, allow_zero=True)
    om = np.asarray(omega, dtype=float)
    if k == 0.0:
        with np.errstate(divide="ignore"):
            shape = 1.0 + w0 * w0 / np.where(om > 0, om * om, 1.0)
        return np.where(om > w0, shape, np.where(om == w0, 1.0, 0.0))
    # I2 = int_w0^oo d omega / (omega^2 ((omega - Om)^2 + k^2))
    r2 = om * om + k * k
    b = 1.0 / r2
    a = 2.0 * om / (r2 * r2)
    tail = np.arctan2(k, w0 - om)  # pi/2 - atan((w0 - Om)/k)
    i2 = b / w0 + 0.5 * a * np.log(((w0 - om) ** 2 + k * k) / (w0 * w0)) + (a * om - b) * tail / k
    return (tail + k * w0 * w0 * i2) / math.pi


def multimode_prefactor(
    x_enhancement: float, coupling_scale: float, normalisation: str = "derived"
) -> float:
    """tau_in X J(Omega) / (omega_0 F(Omega)) for the multimode cavity (Eq. 16).

    Parameters
    ----------
    x_enhancement : float
        The paper's phenomenological factor X (133 in Fig. 1a).
    coupling_scale : float
        pi alpha D tau_in T_c^2 / c^2 (9.17e-5 in Fig. 1a), dimensionless.
    normalisation : {"derived", "quoted"}
        "derived": (4/pi) X pi alpha D tau_in/c^2 (mode normalisation 2/L at the antinode,
        L = pi c/omega_0; module docstring). "quoted": X pi alpha D tau_in/c^2, the scale
        the Fig. 1 caption quotes, without the 4/pi.

    Returns
    -------
    float, 1/T_c^2 in T_c units (tau_in X J = prefactor * omega_0 * F(Omega))
    """
    _check_positive("x_enhancement", x_enhancement, allow_zero=True)
    _check_positive("coupling_scale", coupling_scale, allow_zero=True)
    if normalisation == "derived":
        return 4.0 / math.pi * x_enhancement * coupling_scale
    if normalisation == "quoted":
        return x_enhancement * coupling_scale
    raise ValueError(f"normalisation must be 'derived' or 'quoted', got {normalisation!r}")


def single_mode_prefactor(x_enhancement: float, coupling_scale: float) -> float:
    """4 pi alpha X D tau_in T_c^2/((pi sqrt3)^3 c^2) (Fig. 3 caption), from pi alpha D tau_in/c^2.

    Parameters
    ----------
    x_enhancement : float
        X.
    coupling_scale : float
        pi alpha D tau_in T_c^2/c^2.

    Returns
    -------
    float (tau_in X J = prefactor * omega_0^2 * A(Omega; omega_0))
    """
    _check_positive("x_enhancement", x_enhancement, allow_zero=True)
    _check_positive("coupling_scale", coupling_scale, allow_zero=True)
    return 4.0 * x_enhancement * coupling_scale / (math.pi * math.sqrt(3.0)) ** 3


def j_multimode(
    omega: ArrayLike, omega0: float, linewidth: float, prefactor: float = 1.0
) -> NDArray[np.float64]:
    """Multimode planar-cavity coupling function, paper 004 Eq. 16 (normalised).

    J(Omega) = prefactor * omega_0 * F(Omega), F from :func:`multimode_lineshape`.

    Parameters
    ----------
    omega : array_like, energy
        Frequency Omega.
    omega0 : float, energy
        Lowest cavity frequency.
    linewidth : float, energy
        kappa = 1/(2 tau_cav) >= 0 (0: ideal mirrors, narrow line).
    prefactor : float, 1/energy
        See :func:`multimode_prefactor`.

    Returns
    -------
    ndarray, shape of ``omega``
    """
    return prefactor * omega0 * multimode_lineshape(omega, omega0, linewidth)


def j_single_mode(
    omega: ArrayLike, omega0: float, linewidth: float, prefactor: float = 1.0
) -> NDArray[np.float64]:
    """Single-mode cavity coupling function (paper 004, text after Eq. 18).

    J(Omega) = prefactor * omega_0^2 * 2 kappa/((Omega - omega_0)^2 + kappa^2).

    Parameters
    ----------
    omega : array_like, energy
        Frequency Omega.
    omega0 : float, energy
        Mode frequency.
    linewidth : float, energy
        kappa = 1/(2 tau_cav) > 0 (Fig. 3: 10 omega_0).
    prefactor : float
        See :func:`single_mode_prefactor`.

    Returns
    -------
    ndarray, shape of ``omega``
    """
    _check_positive("omega0", omega0)
    return prefactor * omega0 * omega0 * photon_spectral_function(omega, omega0, linewidth)


# --------------------------------------------------------------------------------------
# kernel, Eq. 15
# --------------------------------------------------------------------------------------
def qp_dos(energy: ArrayLike, delta: float) -> NDArray[np.float64]:
    """nu_qp(E)/nu_F = 2|E|/sqrt(E^2 - Delta^2) for |E| > Delta, else 0 (paper 004 Eq. 1).

    Parameters
    ----------
    energy : array_like, energy
        E (either sign).
    delta : float, energy
        Gap >= 0.

    Returns
    -------
    ndarray, shape of ``energy``, dimensionless
    """
    e = np.abs(np.asarray(energy, dtype=float))
    d2 = float(delta) ** 2
    inside = e * e > d2
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 2.0 * e / np.sqrt(np.where(inside, e * e - d2, 1.0))
    return np.where(inside, out, 0.0)


def kernel_f(omega: ArrayLike, energy: ArrayLike, delta: float, kT: float) -> NDArray[np.float64]:
    """f(Omega, E) of paper 004 Eq. 15 (as printed).

    f = theta(E - Omega - Delta) nu_qp(E - Omega)/nu_F (1/2)(1 + Delta^2/(E (E - Omega)))
        [n_F((E - Omega)/T) - n_F(E/T)].

    Parameters
    ----------
    omega, energy : array_like, energy (broadcast)
        Omega and E, either sign (K evaluates f at -Omega and -E).
    delta : float, energy
        Gap > 0.
    kT : float, energy
        T_qp > 0.

    Returns
    -------
    ndarray, broadcast shape, dimensionless
    """
    om = np.asarray(omega, dtype=float)
    e = np.asarray(energy, dtype=float)
    ep = e - om
    on = ep > delta
    dos = qp_dos(np.where(on, ep, 2.0 * delta + 1.0), delta)
    with np.errstate(divide="ignore", invalid="ignore"):
        coh = 0.5 * (1.0 + delta * delta / np.where(on, e * ep, 1.0))
    occ = fermi(ep, kT) - fermi(e, kT)
    return np.where(on, dos * coh * occ, 0.0)


def kernel(omega: ArrayLike, energy: ArrayLike, delta: float, kT: float) -> NDArray:
    """K(Omega, E) = f(Omega, E) + f(-Omega, E) - f(-Omega, -E), paper 004 Eq. 15.

    For Omega > 0: f(Omega, E) down-scattering E -> E - Omega (photon emitted),
    f(-Omega, E) up-scattering E -> E + Omega (absorbed), -f(-Omega, -E) pair processes
    E + E' = Omega (Fig. 1c).

    Parameters
    ----------
    omega, energy : array_like, energy (broadcast)
    delta, kT : float, energy

    Returns
    -------
    ndarray, broadcast shape, dimensionless
    """
    om = np.asarray(omega, dtype=float)
    e = np.asarray(energy, dtype=float)
    return kernel_f(om, e, delta, kT) + kernel_f(-om, e, delta, kT) - kernel_f(-om, -e, delta, kT)


# --------------------------------------------------------------------------------------
# delta n(E), Eq. 14
# --------------------------------------------------------------------------------------
def thermal_breakpoints(*kTs: float) -> list[float]:
    """Panel edges in Omega at a few multiples of each temperature (energy units)."""
    return [c * t for t in kTs if t > 0 for c in _THERMAL_CUTS]


def _to_u(ep: NDArray[np.float64], delta: float) -> NDArray[np.float64]:
    if delta > 0:
        return np.arccosh(np.maximum(ep / delta, 1.0))
    return ep


def _panel_nodes(
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    cuts: NDArray[np.float64],
    delta: float,
    n_nodes: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Nodes E' (N, Q) and weights for int_lo^hi dE' nu_qp(E')/nu_F g(E') per row.

    E' = Delta cosh(u) (Delta > 0; then nu_qp dE' = 2 Delta cosh u du), panels of width
    <= _H_U in u plus the edges ``cuts`` (N, K) (values outside [lo, hi] are ignored).
    Rows with hi <= lo get zero weights.
    """
    hi = np.maximum(hi, lo)
    u_lo, u_hi = _to_u(lo, delta), _to_u(hi, delta)
    span = u_hi - u_lo
    scale = _H_U if delta > 0 else max(_H_U * delta, 1.0)
    n_uni = max(1, int(np.ceil(np.max(span) / scale))) if span.size else 1
    uni = u_lo[:, None] + span[:, None] * np.linspace(0.0, 1.0, n_uni + 1)[None, :]
    uc = _to_u(np.clip(cuts, lo[:, None], hi[:, None]), delta)
    edges = np.sort(np.concatenate([uni, uc], axis=1), axis=1)
    x01, w01 = _gauss01(n_nodes)
    a = edges[:, :-1, None]
    h = edges[:, 1:, None] - a
    u = (a + h * x01).reshape(len(lo), -1)
    w = (h * w01).reshape(len(lo), -1)
    if delta > 0:
        ep = delta * np.cosh(u)
        return ep, w * 2.0 * ep
    return u, 2.0 * w


def distribution_change(
    energy: ArrayLike,
    delta: float,
    kT_qp: float,
    weight: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    *,
    omega_max: float,
    breakpoints: Sequence[float] = (),
    omega_integration: OmegaIntegration = "positive",
    n_nodes: int = 12,
) -> NDArray[np.float64]:
    """delta n(E) = int dOmega W(Omega) K(Omega, E), paper 004 Eq. 14.

    W(Omega) = tau_in J(Omega) delta N(Omega) (with X folded into J). Evaluated in the
    E' (partner-energy) form derived from Eq. 8 (module docstring): scattering partners
    E' = E -+ Omega, pair partner E' = Omega - E, Omega in (0, omega_max].

    Parameters
    ----------
    energy : (n_E,) array_like, energy
        Quasi-particle energies E >= Delta.
    delta : float, energy
        Gap >= 0.
    kT_qp : float, energy
        Quasi-particle temperature > 0.
    weight : callable
        ``weight(omega)`` for an ndarray omega > 0 (any shape, energy) returns W with shape
        ``batch + omega.shape`` (1/energy), e.g. batch = (n_T_cav,).
    omega_max : float, energy
        Upper end of the photon frequencies (W must be negligible above).
    breakpoints : sequence of float, energy
        Frequencies where W has a step, kink or narrow peak (panel edges are put at the
        matching E').
    omega_integration : {"positive", "all"}
        Reading of Eq. 14 (module docstring): "positive" counts each process once
        (derived from Eq. 8), "all" counts the scattering terms twice.
    n_nodes : int
        Gauss-Legendre nodes per panel.

    Returns
    -------
    ndarray, shape ``batch + (n_E,)``, dimensionless
    """
    m_s = _check_mode(omega_integration)
    d = _check_positive("delta", delta, allow_zero=True)
    t = _check_positive("kT_qp", kT_qp)
    w_max = _check_positive("omega_max", omega_max)
    e = np.atleast_1d(np.asarray(energy, dtype=float))
    if e.ndim != 1:
        raise ValueError(f"energy must be 1-D, got shape {e.shape}")
    if np.any(e < d * (1.0 - 1e-12)):
        raise ValueError(f"energy must be >= delta = {d} (quasi-particle states), min {e.min()}")
    e = np.maximum(e, d)
    bp = np.asarray(sorted({*breakpoints, *thermal_breakpoints(t)}), dtype=float)
    bp = bp[(bp > 0) & (bp < w_max)]
    col = e[:, None]
    n_e = fermi(e, t)[:, None]
    delta_lo = np.full_like(e, d)
    total = None
    # (lower E', upper E', panel edges in E', process)
    terms = (
        (np.maximum(delta_lo, e - w_max), e, col - bp[None, :], "down"),
        (e, e + w_max, col + bp[None, :], "up"),
        (delta_lo, np.maximum(delta_lo, w_max - e), bp[None, :] - col, "pair"),
    )
    for lo, hi, cuts, kind in terms:
        ep, wq = _panel_nodes(lo, hi, cuts, d, n_nodes)
        n_p = fermi(ep, t)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = d * d / (col * ep) if d > 0 else np.zeros_like(ep)
        if kind == "pair":
            om = col + ep
            g = 0.5 * (1.0 - ratio) * (1.0 - n_e - n_p)
            mult = 1.0
        else:
            om = np.abs(col - ep)
            g = 0.5 * (1.0 + ratio) * (n_p - n_e)
            mult = float(m_s)
        om = np.where(om > 0, om, w_max)  # zero-weight rows (hi == lo) only
        wt = np.asarray(weight(om), dtype=float)
        part = mult * np.sum(wt * (wq * g), axis=-1)
        total = part if total is None else total + part
    return total


# --------------------------------------------------------------------------------------
# gap change
# --------------------------------------------------------------------------------------
def gap_integral_weights(
    delta: float, emax: float, cuts: Sequence[float] = (), n_nodes: int = 10
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Nodes E and weights w with sum(w g(E)) = int_Delta^emax dE g(E)/sqrt(E^2 - Delta^2).

    E = Delta cosh u (dE/sqrt(E^2 - Delta^2) = du), Gauss-Legendre panels of width <= 0.25
    in u with extra edges at ``cuts`` (kinks of g), geometrically graded towards each cut
    (g ~ sqrt(E - E_k) at the kinks of delta n, Fig. 2).

    Parameters
    ----------
    delta : float, energy
        Gap > 0.
    emax : float, energy
        Upper end > delta.
    cuts : sequence of float, energy
        Energies where g has kinks.
    n_nodes : int
        Nodes per panel.

    Returns
    -------
    energy : (Q,) ndarray, energy
    weights : (Q,) ndarray, dimensionless
    """
    d = _check_positive("delta", delta)
    if not emax > d:
        raise ValueError(f"emax must exceed delta = {d}, got {emax}")
    u_hi = math.acosh(emax / d)
    n_uni = max(4, math.ceil(u_hi / 0.25))
    c = np.arccosh(np.asarray([x for x in cuts if d < x < emax], dtype=float) / d)
    # geometric grading towards each kink (delta n ~ sqrt(E - E_k) there): hp-refinement
    grade = 0.25 * 0.2 ** np.arange(1, 7)
    graded = (c[:, None] + np.concatenate([grade, -grade])[None, :]).ravel()
    graded = graded[(graded > 0) & (graded < u_hi)]
    edges = np.unique(np.concatenate([np.linspace(0.0, u_hi, n_uni + 1), c, graded]))
    x01, w01 = _gauss01(n_nodes)
    a = edges[:-1, None]
    h = np.diff(edges)[:, None]
    u = (a + h * x01).ravel()
    return d * np.cosh(u), (h * w01).ravel()


def gl_relative_gap_change(
    integral: ArrayLike, t_qp_over_tc: float, dos_factor: float = 1.0
) -> NDArray[np.float64]:
    """delta Delta / Delta_0 in the Ginzburg-Landau regime, paper 004 Eq. 18.

    delta Delta/Delta_0 = -(T_c/(T_c - T_qp)) int_Delta0 dE/E (nu_qp/nu_F) delta n(E)
                        = -(T_c/(T_c - T_qp)) dos_factor int dE delta n/sqrt(E^2 - Delta0^2),

    the first-order solution of Eq. 17 (module docstring): dos_factor = 1 is the DOS that
    follows from the BCS gap equation, 2 the literal Eq. 1 nu_qp.

    Parameters
    ----------
    integral : array_like
        int_Delta0 dE delta n(E)/sqrt(E^2 - Delta0^2), dimensionless.
    t_qp_over_tc : float
        T_qp/T_c in (0, 1).
    dos_factor : float
        1 (derived) or 2 (Eq. 1's nu_qp in Eq. 17).

    Returns
    -------
    ndarray, shape of ``integral``, dimensionless
    """
    t = float(t_qp_over_tc)
    if not 0 < t < 1:
        raise ValueError(f"t_qp_over_tc must be in (0, 1), got {t_qp_over_tc}")
    return -dos_factor * np.asarray(integral, dtype=float) / (1.0 - t)


def gap_response(
    omega: ArrayLike,
    delta: float,
    kT: float,
    *,
    omega_integration: OmegaIntegration = "positive",
    n_nodes: int = 16,
) -> NDArray[np.float64]:
    """G(Omega) = int_Delta^oo dE K(Omega, E)/sqrt(E^2 - Delta^2) (Eq. 15 kernel, Omega > 0).

    With it the GL gap change (Eqs. 14, 18) reads
    delta Delta/Delta_0 = -(dos_factor/(1 - T_qp/T_c)) int_0^oo dOmega W(Omega) G(Omega):
    the order of the E and Omega integrals swapped, an independent route to the same
    number. Scattering terms combined (E -> E + Omega in f(Omega, E)):
    int_Delta dE c_s (n_F(E+Omega) - n_F(E)) 2 Omega/(s(E) s(E+Omega)),
    s(E) = sqrt(E^2 - Delta^2), with E = Delta cosh u; pair term over E in
    [Delta, Omega - Delta] with E = Delta + (Omega - 2 Delta) sin^2(theta/2), which removes
    both edge singularities.

    Parameters
    ----------
    omega : array_like, energy
        Omega > 0, any shape.
    delta : float, energy
        Gap > 0.
    kT : float, energy
        T_qp > 0.
    omega_integration : {"positive", "all"}
        See :func:`distribution_change`.
    n_nodes : int
        Gauss-Legendre nodes per panel.

    Returns
    -------
    ndarray, shape of ``omega``, 1/energy
    """
    m_s = _check_mode(omega_integration)
    d = _check_positive("delta", delta)
    t = _check_positive("kT", kT)
    om = np.asarray(omega, dtype=float)
    shape = om.shape
    om = om.reshape(-1)
    if np.any(om <= 0):
        raise ValueError("gap_response needs omega > 0")
    x01, w01 = _gauss01(n_nodes)
    # scattering: u from 0 to acosh(emax/d), cuts near u = 0 at scale omega
    emax = d + 60.0 * t
    u_hi = math.acosh(emax / d)
    base = np.linspace(0.0, u_hi, max(8, math.ceil(u_hi / 0.25)) + 1)
    with np.errstate(invalid="ignore"):
        near = np.arccosh(1.0 + np.outer(om / d, [0.25, 1.0, 4.0, 16.0]))
    near = np.where(near < u_hi, near, u_hi)
    edges = np.sort(np.concatenate([np.broadcast_to(base, (om.size, base.size)), near], 1), 1)
    a = edges[:, :-1, None]
    h = edges[:, 1:, None] - a
    u = (a + h * x01).reshape(om.size, -1)
    wu = (h * w01).reshape(om.size, -1)
    e = d * np.cosh(u)
    ep = e + om[:, None]
    sp = np.sqrt(ep * ep - d * d)
    cs = 0.5 * (1.0 + d * d / (e * ep))
    g_scat = np.sum(wu * cs * (fermi(ep, t) - fermi(e, t)) * 2.0 * om[:, None] / sp, axis=1)
    # pair: Omega > 2 Delta only
    g_pair = np.zeros_like(om)
    on = om > 2.0 * d
    if np.any(on):
        a_len = om[on] - 2.0 * d
        th_edges = np.linspace(0.0, math.pi, 9)
        th = (th_edges[:-1, None] + np.diff(th_edges)[:, None] * x01).ravel()
        wth = (np.diff(th_edges)[:, None] * w01).ravel()
        e1 = d + a_len[:, None] * np.sin(0.5 * th) ** 2
        e2 = om[on][:, None] - e1
        cp = 0.5 * (1.0 - d * d / (e1 * e2))
        occ = 1.0 - fermi(e1, t) - fermi(e2, t)
        dens = 2.0 * e2 / np.sqrt((e1 + d) * (e2 + d))
        g_pair[on] = np.sum(wth * cp * occ * dens, axis=1)
    return (m_s * g_scat + g_pair).reshape(shape)


# --------------------------------------------------------------------------------------
# full BCS with n = n_F + delta n[Delta]
# --------------------------------------------------------------------------------------
class CavityGap(NamedTuple):
    """Self-consistent gap with the cavity distribution (see :func:`solve_cavity_gap`).

    Attributes
    ----------
    delta : float, energy
        Gap solving Eq. 1 with n = n_F + dos_factor * delta n[Delta].
    iterations : int
        Gap-equation evaluations.
    residual : float
        |coupling * gap integral - 1| at ``delta``.
    """

    delta: float
    iterations: int
    residual: float


def solve_cavity_gap(
    coupling: float,
    cutoff: float,
    kT_qp: float,
    weight: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    *,
    omega_max: float,
    breakpoints: Sequence[float] = (),
    omega_integration: OmegaIntegration = "positive",
    dos_factor: float = 1.0,
    delta_guess: float | None = None,
    tol: float = 1e-10,
    n_nodes: int = 12,
) -> CavityGap:
    """Full BCS gap (Eq. 1) with n = n_F + delta n[Delta], delta n recomputed at each Delta.

    Goes beyond the paper's GL expansion: the kernel K (Eq. 15) is rebuilt with every trial
    gap, so the result is self-consistent at any T_qp < T_c; its T_qp -> T_c, small-W limit
    is Eq. 18. ``dos_factor = 2`` doubles delta n in the gap equation, the counterpart of
    reading Eq. 17 with Eq. 1's nu_qp.

    Parameters
    ----------
    coupling : float
        nu(0) U (dimensionless), see :mod:`photosc.cores.bcs`.
    cutoff : float, energy
        Debye cutoff.
    kT_qp : float, energy
        Quasi-particle temperature > 0.
    weight : callable
        W(Omega) = tau_in X J(Omega) delta N(Omega), ``weight(omega) -> omega.shape`` (no
        batch dimension), 1/energy.
    omega_max, breakpoints, omega_integration, n_nodes
        As in :func:`distribution_change`.
    dos_factor : float
        1 (derived) or 2 (Eq. 1's nu_qp in Eq. 17).
    delta_guess : float, energy, optional
        Warm start (e.g. the equilibrium gap).
    tol : float
        Relative tolerance on Delta.

    Returns
    -------
    CavityGap
    """
    from photosc.cores.bcs import solve_gap

    t = _check_positive("kT_qp", kT_qp)

    def occupation(e: NDArray[np.float64], d: float) -> NDArray[np.float64]:
        flat = e.reshape(-1)
        dn = distribution_change(
            flat,
            d,
            t,
            weight,
            omega_max=omega_max,
            breakpoints=breakpoints,
            omega_integration=omega_integration,
            n_nodes=n_nodes,
        )
        if dn.shape != flat.shape:
            raise ValueError(f"weight must not add batch dimensions, got delta n {dn.shape}")
        return fermi(e, t) + dos_factor * dn.reshape(e.shape)

    def breaks(d: float) -> list[float]:
        out = [d + b for b in breakpoints] + [b - d for b in breakpoints if b > 2 * d]
        return [x for x in out if x > d]

    sol = solve_gap(
        coupling, cutoff, occupation, delta_guess=delta_guess, tol=tol, breakpoints=breaks
    )
    return CavityGap(sol.delta, sol.iterations, sol.residual)


# --------------------------------------------------------------------------------------
# kinks
# --------------------------------------------------------------------------------------
def find_kinks(
    energy: ArrayLike, values: ArrayLike, *, exclude_below: float = -np.inf, ratio: float = 8.0
) -> NDArray[np.float64]:
    """Energies of kinks (derivative singularities) of a curve on a uniform grid.

    A kink is a local maximum of |second difference| exceeding ``ratio`` times the median
    |second difference| of the curve; adjacent hits are merged (largest kept).

    Parameters
    ----------
    energy : (n,) array_like, energy
        Uniform grid.
    values : (n,) array_like
        Curve, e.g. delta n(E).
    exclude_below : float, energy
        Ignore kinks at energies below this (e.g. the gap edge).
    ratio : float
        Detection threshold relative to the median.

    Returns
    -------
    ndarray, energy
        Kink positions, ascending.
    """
    e = np.asarray(energy, dtype=float)
    y = np.asarray(values, dtype=float)
    if e.shape != y.shape or e.ndim != 1 or e.size < 5:
        raise ValueError("energy and values must be 1-D arrays of the same length >= 5")
    d2 = np.abs(y[2:] - 2.0 * y[1:-1] + y[:-2])
    mid = e[1:-1]
    ref = np.median(d2)
    if ref == 0.0:
        ref = np.max(d2) * 1e-3 if np.max(d2) > 0 else 1.0
    peak = np.zeros_like(d2, dtype=bool)
    peak[1:-1] = (d2[1:-1] >= d2[:-2]) & (d2[1:-1] >= d2[2:])
    hit = peak & (d2 > ratio * ref) & (mid >= exclude_below)
    idx = np.flatnonzero(hit)
    out: list[int] = []
    for i in idx:
        if out and i - out[-1] <= 2:
            if d2[i] > d2[out[-1]]:
                out[-1] = i
        else:
            out.append(int(i))
    return mid[np.asarray(out, dtype=int)]
