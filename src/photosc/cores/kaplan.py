r"""Kaplan golden-rule rates of BCS quasi-particles and phonons: the one implementation.

Kaplan, Chi, Langenberg, Chang, Jafarey and Scalapino, PRB 14, 4854 (1976) (ref 42 of
paper 000; the collision integrals of paper 001 follow Chang & Scalapino, PRB 15, 2651
(1977)). A quasi-particle at energy E >= Delta, quasi-particle occupation f(E) (default the
thermal Fermi function at kT), phonons n(W) = Bose(W, kT) with Eliashberg function
a2F(W) = alpha^2F(W); rates in 1/ps (hbar in meV ps):

.. code-block:: text

    1/tau_s(E)    = (2 pi / hbar z) int dW a2F(W) { K_-(E, E+W) n(W) [1 - f(E+W)]
                                                  + K_-(E, E-W) [n(W)+1] [1 - f(E-W)] }
    1/tau_r(E)    = (2 pi / hbar z) int dW a2F(W) K_+(E, W-E) [n(W)+1] f(W-E)
    1/tau_g(E)    = (2 pi / hbar z) int dW a2F(W) K_+(E, W-E) n(W) [1 - f(W-E)]
    1/tau_B(W)    = (pi a / hbar) int_D^{W-D} dE rho(E) K_+(E, W-E) [1 - f(E) - f(W-E)]
    1/tau_s^ph(W) = (2 pi a / hbar) int_D dE rho(E) K_-(E, E+W) [f(E) - f(E+W)]

(scattering, recombination, generation, phonon pair breaking, phonon scattering; a =
4 N(0) <alpha^2> / N as in :mod:`photosc.cores.kinetics.collisions`). 1/tau_g(E) is the
rate at which pair breaking fills the empty state E (the gain term of the kinetic
equation is (1 - f(E))/tau_g; at equilibrium (1 - f(E))/tau_g = f(E)/tau_r). All five
share one integrand, the BCS density of the final state times the case-II coherence
factor (:func:`coherence_dos`)::

    K_s(E, E') = rho(E') (1 + s Delta^2 / (E E')),   rho(E') = E' / sqrt(E'^2 - Delta^2),

s = +1 for pair creation and annihilation, s = -1 for scattering (s = 0: rho alone).

Quadrature. Every integral is written in the excess x = E' - Delta >= 0 of the state at
the singular edge, as int dx g(x) / sqrt(x) with g(x) = sqrt(x) K_s (finite at the edge).
alpha^2F given as a callable: 400-point Gauss-Legendre in u = arccosh(E'/Delta) (in x for
Delta = 0). alpha^2F given as sampled arrays (omega, a2f), linear between the points and 0
outside (the paper-000 gap-edge rates, :mod:`photosc.cores.qp_rates`): trapezoid in
s = sqrt(x) on n_min uniform nodes plus the sample points (:func:`edge_nodes`) where E'
sits at an edge, trapezoid on the sample points themselves for the absorption term.

Characteristic times (Kaplan Eqs. 8 and 27 for alpha^2F = b W^2)::

    tau_0    = hbar z / (2 pi b (k T_c)^3),
    tau_0^ph = hbar / (pi^2 a Delta(0))        [= hbar N / (4 pi^2 N(0) <alpha^2> Delta(0))],

so that 1/tau_B(2 Delta+, T = 0) = 1/tau_0^ph (the pair-breaking integral is pi Delta there).

Low-temperature closed forms at the gap edge (from the integrals above for k T << Delta,
alpha^2F = b W^2; Kaplan's forms of tau_r and tau_s)::

    tau_0 / tau_r(Delta, T) = sqrt(pi) (2 Delta / k T_c)^(5/2) (T / T_c)^(1/2) exp(-Delta / kT),
    tau_0 / tau_s(Delta, T) = Gamma(7/2) zeta(7/2) (k T_c / 2 Delta)^(1/2) (T / T_c)^(7/2).

Normal state, T = 0 (Delta = 0): 1/tau_s(E) = (2 pi b / 3 hbar z) E^3 = (E / k T_c)^3 / (3 tau_0).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gamma as gamma_fn
from scipy.special import zeta

from photosc.foundation.distributions import bose, fermi
from photosc.foundation.units import HBAR

__all__ = [
    "pair_phase_space",
    "pair_phase_space_nodes",
    "A2F",
    "Occupation",
    "check_spectrum",
    "coherence_dos",
    "edge_nodes",
    "generation_rate",
    "kaplan_tau0",
    "kaplan_tau0_ph",
    "pair_breaking_rate",
    "phonon_scattering_rate",
    "recombination_rate",
    "recombination_rate_low_t",
    "scattering_rate",
    "scattering_rate_low_t",
]

A2F = Callable[[NDArray[np.float64]], NDArray[np.float64]]
Occupation = Callable[[NDArray[np.float64]], NDArray[np.float64]]
Spectrum = A2F | tuple[ArrayLike, ArrayLike]

_GL_X, _GL_W = np.polynomial.legendre.leggauss(400)


def _check_positive(name: str, value: float, allow_zero: bool = False) -> None:
    ok = value >= 0 if allow_zero else value > 0
    if not (math.isfinite(value) and ok):
        rel = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {rel}, got {name}={value}")


def _thermal(occupation: Occupation | None, kT: float) -> Occupation:
    if occupation is not None:
        return occupation
    return lambda e: fermi(e, kT)


# --------------------------------------------------------------------------------------
# the integrand
# --------------------------------------------------------------------------------------
def coherence_dos(
    energy: ArrayLike,
    excess: ArrayLike,
    delta: float,
    sign: int,
    *,
    edge_regular: bool = False,
) -> NDArray[np.float64]:
    """K_s(E, E') = rho(E') (1 + s Delta^2 / (E E')), E' = Delta + excess (Kaplan 1976).

    The BCS density of states of the final (or partner) state E', rho(E') =
    E'/sqrt(E'^2 - Delta^2), times the case-II coherence factor of a quasi-particle at E:
    the integrand of every rate in this module. With x = E' - Delta,
    sqrt(x) rho(E') = (x + Delta)/sqrt(x + 2 Delta) and
    1 + s Delta^2/(E E') = (E x + Delta (E + s Delta)) / (E (x + Delta)), so

        sqrt(x) K_s = (E x + Delta (E + s Delta)) / (E sqrt(x + 2 Delta)),

    finite at the edge x = 0 and free of cancellation. At E = Delta, with W = E + E'
    (s = +1) or W = E' - E (s = -1), it gives the factors of paper 000 Eqs. 33-35:
    K_+ = sqrt(W / (W - 2 Delta)), K_- = sqrt(W / (W + 2 Delta)). Delta = 0: K_s = 1.

    Parameters
    ----------
    energy : array_like, meV
        Quasi-particle energy E >= Delta (> 0 when Delta > 0).
    excess : array_like, meV
        x = E' - Delta >= 0 of the final or partner state.
    delta : float, meV
        BCS gap >= 0.
    sign : int
        s: +1 (pair creation, recombination), -1 (scattering), 0 (rho(E') alone).
    edge_regular : bool
        Return sqrt(x) K_s (finite at x = 0), the form the quadratures integrate.

    Returns
    -------
    ndarray, broadcast of ``energy`` and ``excess``, dimensionless (meV^(1/2) when
    ``edge_regular``)
    """
    x = np.asarray(excess, dtype=float)
    e = np.asarray(energy, dtype=float)
    if delta == 0:
        reg = np.sqrt(np.broadcast_to(x, np.broadcast_shapes(x.shape, e.shape)))
    else:
        reg = (e * x + delta * (e + sign * delta)) / (e * np.sqrt(x + 2.0 * delta))
    if edge_regular:
        return reg
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(reg, np.sqrt(x), out=np.where(reg == 0, 0.0, np.inf), where=x > 0)


# --------------------------------------------------------------------------------------
# quadrature rules for int dx g(x) / sqrt(x)
# --------------------------------------------------------------------------------------
def _gauss_rule(x_lo: float, x_hi: float, delta: float) -> tuple[NDArray, NDArray]:
    """Nodes x and weights for int_{x_lo}^{x_hi} dx g(x) / sqrt(x), x = E' - Delta.

    Delta > 0: Gauss-Legendre in u = arccosh(E'/Delta), x = 2 Delta sinh^2(u/2),
    dx / sqrt(x) = sqrt(2 Delta) cosh(u/2) du (edge-regular); Delta = 0: in x.
    """
    if delta > 0:
        a = 2.0 * math.asinh(math.sqrt(x_lo / (2.0 * delta)))
        b = 2.0 * math.asinh(math.sqrt(x_hi / (2.0 * delta)))
        u = 0.5 * (b - a) * _GL_X + 0.5 * (a + b)
        x = 2.0 * delta * np.sinh(0.5 * u) ** 2
        w = 0.5 * (b - a) * _GL_W * math.sqrt(2.0 * delta) * np.cosh(0.5 * u)
    else:
        x = 0.5 * (x_hi - x_lo) * _GL_X + 0.5 * (x_hi + x_lo)
        w = 0.5 * (x_hi - x_lo) * _GL_W / np.sqrt(x)
    return x, w


def _sqrt_rule(
    x_breaks: NDArray[np.float64], x_lo: float, x_hi: float, n_min: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Nodes s = sqrt(x) and weights for int_{x_lo}^{x_hi} dx g(x)/sqrt(x) = 2 int ds g(s^2).

    Trapezoid in s on ``n_min`` uniform nodes plus the break points (where alpha^2F has
    its sample points) inside the interval.
    """
    if x_hi <= x_lo:
        return np.zeros(0), np.zeros(0)
    s_lo, s_hi = math.sqrt(x_lo), math.sqrt(x_hi)
    inside = x_breaks[(x_breaks > x_lo) & (x_breaks < x_hi)]
    s = np.unique(np.concatenate([np.sqrt(inside), np.linspace(s_lo, s_hi, n_min)]))
    w = np.zeros_like(s)
    ds = np.diff(s)
    w[:-1] += 0.5 * ds
    w[1:] += 0.5 * ds
    return s, 2.0 * w


def edge_nodes(
    omega: NDArray[np.float64], edge: float, top: float, n_min: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Nodes s and trapezoid weights for int_edge^top dOmega g / sqrt(Omega - edge).

    Omega = edge + s^2, so dOmega / sqrt(Omega - edge) = 2 ds: the edge singularity is
    absorbed (paper 000 Eqs. 7, 33, 35 at their 2 Delta threshold). The nodes include the
    sample grid (mapped to s) and n_min uniform points. The last node edge + s_top^2 can
    round above ``top``; a sampled alpha^2F that does not vanish at its last sample then
    loses half a panel there, an error first order in the node spacing (6e-4 of Eq. 33
    for alpha^2F = 0.05 (Omega / 12 meV)^2 sampled every 0.01 meV up to 12 meV at
    Delta = 1 meV, T = 100 K; none for K3C60, whose alpha^2F ends at 0).

    Parameters
    ----------
    omega : (n,) float, meV
        Sample points of alpha^2F (break points of the integrand).
    edge : float, meV
        Lower limit, where the integrand diverges as 1/sqrt(Omega - edge).
    top : float, meV
        Upper limit.
    n_min : int
        Number of uniform nodes in s.

    Returns
    -------
    (s, ws) : (k,) float, meV^(1/2); (k,) float, meV^(1/2)
        sum(ws * g(edge + s^2)) approximates the integral; empty if top <= edge.
    """
    return _sqrt_rule(np.asarray(omega, dtype=float) - edge, 0.0, top - edge, n_min)


def check_spectrum(omega: ArrayLike, a2f: ArrayLike) -> tuple[NDArray, NDArray]:
    """A sampled alpha^2F as float arrays, checked (1-D, equal length >= 2, ascending).

    Parameters
    ----------
    omega : (n,) float, meV
        Phonon energies, strictly increasing.
    a2f : (n,) float, dimensionless
        alpha^2F(omega).
    """
    w = np.asarray(omega, dtype=float)
    a = np.asarray(a2f, dtype=float)
    if w.shape != a.shape or w.ndim != 1 or w.size < 2:
        raise ValueError(
            f"omega and a2f must be 1-D of equal length >= 2, got {w.shape}, {a.shape}"
        )
    if np.any(np.diff(w) <= 0):
        raise ValueError("omega must be strictly increasing")
    return w, a


class _Bath:
    """alpha^2F as a callable or as samples; ``top`` the end of its support (meV)."""

    def __init__(self, a2f: Spectrum, omega_max: float | None) -> None:
        if callable(a2f):
            if omega_max is None:
                raise ValueError("omega_max is required when alpha^2F is a callable")
            self.sampled = False
            self.fn: A2F = a2f
            self.top = float(omega_max)
        else:
            self.sampled = True
            self.omega, self.values = check_spectrum(*a2f)
            last = float(self.omega[-1])
            self.top = last if omega_max is None else min(float(omega_max), last)

    def __call__(self, om: NDArray[np.float64]) -> NDArray[np.float64]:
        if self.sampled:
            return np.interp(om, self.omega, self.values, left=0.0, right=0.0)
        return np.asarray(self.fn(om), dtype=float)


def _bose_nodes(om: NDArray[np.float64], kT: float) -> NDArray[np.float64]:
    """n(Omega), 0 at Omega = 0 (where alpha^2F vanishes)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(om > 0, bose(np.where(om > 0, om, 1.0), kT), 0.0)


def _check_rate_args(energy: float, delta: float, kT: float) -> None:
    _check_positive("kT", kT)
    _check_positive("delta", delta, allow_zero=True)
    if energy < delta:
        raise ValueError(f"energy must be >= delta ({delta} meV), got {energy}")


# --------------------------------------------------------------------------------------
# quasi-particle rates at energy E
# --------------------------------------------------------------------------------------
def _pair_sum(
    energy: float,
    delta: float,
    kT: float,
    bath: _Bath,
    f: Occupation,
    n_min: int,
    breaking: bool,
) -> float:
    """int dW a2F K_+(E, W-E) x [n (1 - f(W-E)) or (n + 1) f(W-E)], W = E + Delta + x."""
    if bath.sampled:
        edge = energy + delta
        s, wq = edge_nodes(bath.omega, edge, bath.top, n_min)
        if s.size == 0:
            return 0.0
        x = s * s
        om = edge + x
    else:
        hi = bath.top - energy - delta
        if hi <= 0:
            return 0.0
        x, wq = _gauss_rule(0.0, hi, delta)
        om = x + (energy + delta)
    nb = _bose_nodes(om, kT)
    fp = f(delta + x)
    occ = nb * (1.0 - fp) if breaking else (nb + 1.0) * fp
    g = coherence_dos(energy, x, delta, +1, edge_regular=True) * bath(om)
    return float(np.sum(wq * g * occ))


def generation_rate(
    energy: float,
    delta: float,
    kT: float,
    a2f: Spectrum,
    omega_max: float | None = None,
    z: float = 1.0,
    *,
    occupation: Occupation | None = None,
    n_min: int = 400,
) -> float:
    """Pair-breaking gain rate 1/tau_g(E) of an empty state E, 1/ps (module doc).

    (2 pi/hbar z) int dW a2F(W) K_+(E, W - E) n(W) [1 - f(W - E)]: a phonon W breaks a
    pair into E and E' = W - E. Times (1 - f(E)) it is the gain of f(E); at E = Delta it
    is paper 000 Eq. 33 without the factor (1 - f(Delta)) (:func:`qp_rates.generation_rate`).

    Parameters
    ----------
    energy : float, meV
        Quasi-particle energy E >= Delta.
    delta : float, meV
        BCS gap >= 0.
    kT : float, meV
        Phonon temperature k_B T > 0 (and of f when ``occupation`` is None).
    a2f : callable or (omega, a2f) tuple
        alpha^2F (dimensionless) of Omega (meV): a callable for arrays of Omega, zero above
        ``omega_max``, or samples ((n,) meV, (n,)), linear between them and 0 outside.
    omega_max : float, meV, optional
        Upper end of the spectrum (required for a callable; default the last sample).
    z : float, dimensionless
        Z_1(0) (1 for paper 001's form).
    occupation : callable, optional
        f(E) of the quasi-particles (E in meV); default the Fermi function at kT.
    n_min : int
        Minimum number of quadrature nodes (sampled alpha^2F only).
    """
    _check_rate_args(energy, delta, kT)
    bath = _Bath(a2f, omega_max)
    total = _pair_sum(energy, delta, kT, bath, _thermal(occupation, kT), n_min, breaking=True)
    return 2.0 * math.pi / (HBAR * z) * total


def recombination_rate(
    energy: float,
    delta: float,
    kT: float,
    a2f: Spectrum,
    omega_max: float | None = None,
    z: float = 1.0,
    *,
    occupation: Occupation | None = None,
    n_min: int = 400,
) -> float:
    """Kaplan's recombination rate 1/tau_r(E, T), 1/ps, by quadrature (module doc).

    (2 pi/hbar z) int dW a2F(W) K_+(E, W - E) [n(W) + 1] f(W - E). At E = Delta, times
    f(Delta), paper 000 Eq. 35 (:func:`qp_rates.recombination_rate`).

    Parameters
    ----------
    energy : float, meV
        Quasi-particle energy E >= Delta.
    delta : float, meV
        BCS gap >= 0.
    kT : float, meV
        Phonon temperature k_B T > 0 (and of f when ``occupation`` is None).
    a2f : callable or (omega, a2f) tuple
        alpha^2F (dimensionless) of Omega (meV): a callable for arrays of Omega, zero above
        ``omega_max``, or samples ((n,) meV, (n,)), linear between them and 0 outside.
    omega_max : float, meV, optional
        Upper end of the spectrum (required for a callable; default the last sample).
    z : float, dimensionless
        Z_1(0) (1 for paper 001's form).
    occupation : callable, optional
        f(E) of the quasi-particles (E in meV); default the Fermi function at kT.
    n_min : int
        Minimum number of quadrature nodes (sampled alpha^2F only).
    """
    _check_rate_args(energy, delta, kT)
    bath = _Bath(a2f, omega_max)
    total = _pair_sum(energy, delta, kT, bath, _thermal(occupation, kT), n_min, breaking=False)
    return 2.0 * math.pi / (HBAR * z) * total


def scattering_rate(
    energy: float,
    delta: float,
    kT: float,
    a2f: Spectrum,
    omega_max: float | None = None,
    z: float = 1.0,
    *,
    occupation: Occupation | None = None,
    n_min: int = 400,
) -> float:
    """Kaplan's out-scattering rate 1/tau_s(E, T), 1/ps, by quadrature (module doc).

    Absorption (E' = E + W) plus emission (E' = E - W >= Delta). At E = Delta only
    absorption is left, K_-(Delta, Delta + W) = sqrt(W / (W + 2 Delta)): paper 000 Eq. 34
    in Kaplan's form (:func:`qp_rates.scattering_rate`). A sampled alpha^2F is integrated
    by the trapezoid on its sample points W > 0 (absorption) and by :func:`edge_nodes`
    (emission, edge at E' = Delta).

    Parameters
    ----------
    energy : float, meV
        Quasi-particle energy E >= Delta.
    delta : float, meV
        BCS gap >= 0.
    kT : float, meV
        Phonon temperature k_B T > 0 (and of f when ``occupation`` is None).
    a2f : callable or (omega, a2f) tuple
        alpha^2F (dimensionless) of Omega (meV): a callable for arrays of Omega, zero above
        ``omega_max``, or samples ((n,) meV, (n,)), linear between them and 0 outside.
    omega_max : float, meV, optional
        Upper end of the spectrum (required for a callable; default the last sample).
    z : float, dimensionless
        Z_1(0) (1 for paper 001's form).
    occupation : callable, optional
        f(E) of the quasi-particles (E in meV); default the Fermi function at kT.
    n_min : int
        Minimum number of quadrature nodes of the emission term (sampled alpha^2F only).
    """
    _check_rate_args(energy, delta, kT)
    bath = _Bath(a2f, omega_max)
    f = _thermal(occupation, kT)
    gap = energy - delta  # x of the initial state
    # absorption: E' = E + W, x = (E - Delta) + W
    if bath.sampled:
        keep = (bath.omega > 0) & (bath.omega <= bath.top)
        om = bath.omega[keep]
        if om.size < 2:
            absorption = 0.0
        else:
            k = coherence_dos(energy, gap + om, delta, -1)
            occ = bose(om, kT) * (1.0 - f(energy + om))
            absorption = float(np.trapezoid(bath.values[keep] * k * occ, om))
    else:
        x, wq = _gauss_rule(gap, gap + bath.top, delta)
        om = x - gap
        g = coherence_dos(energy, x, delta, -1, edge_regular=True) * bath(om)
        absorption = float(np.sum(wq * g * _bose_nodes(om, kT) * (1.0 - f(delta + x))))
    # emission: E' = E - W in [Delta, E), x = (E - Delta) - W
    emission = 0.0
    if gap > 0:
        x_lo = max(0.0, gap - bath.top)
        if bath.sampled:
            s, wq = _sqrt_rule(gap - bath.omega, x_lo, gap, n_min)
            x = s * s
        else:
            x, wq = _gauss_rule(x_lo, gap, delta)
        om = gap - x
        g = coherence_dos(energy, x, delta, -1, edge_regular=True) * bath(om)
        occ = (_bose_nodes(om, kT) + 1.0) * (1.0 - f(delta + x))
        emission = float(np.sum(wq * g * np.where(om > 0, occ, 0.0)))
    return 2.0 * math.pi / (HBAR * z) * (absorption + emission)


# --------------------------------------------------------------------------------------
# phonon rates at energy Omega
# --------------------------------------------------------------------------------------
def pair_breaking_rate(
    omega: float,
    delta: float,
    kT: float,
    alpha2_ratio: float,
    *,
    occupation: Occupation | None = None,
) -> float:
    """Kaplan's phonon pair-breaking rate 1/tau_B(Omega, T), 1/ps, by quadrature.

    (pi a/hbar) int_Delta^{Omega-Delta} dE rho(E) K_+(E, Omega - E) [1 - f(E) - f(Omega-E)],
    symmetric under E <-> Omega - E: twice the lower half, in u = arccosh(E/Delta)
    (rho(E) dE = E du).

    Parameters
    ----------
    omega : float, meV
        Phonon energy.
    delta : float, meV
        BCS gap > 0.
    kT : float, meV
        Temperature of the thermal f (>= 0), when ``occupation`` is None.
    alpha2_ratio : float, 1/meV
        a = 4 N(0) <alpha^2> / N.
    occupation : callable, optional
        f(E) of the quasi-particles (E in meV); default the Fermi function at kT.
    """
    _check_positive("delta", delta)
    _check_positive("kT", kT, allow_zero=True)
    if omega <= 2 * delta:
        return 0.0
    f = _thermal(occupation, kT)
    a_hi = math.acosh(0.5 * omega / delta)
    u = 0.5 * a_hi * (_GL_X + 1.0)
    w = 0.5 * a_hi * _GL_W
    e = delta * np.cosh(u)
    ep = omega - e
    # x' = E' - Delta = (Omega - 2 Delta) + (Delta - E), without cancellation
    xp = (omega - 2.0 * delta) - 2.0 * delta * np.sinh(0.5 * u) ** 2
    integrand = e * coherence_dos(e, xp, delta, +1)
    occ = 1.0 - f(e) - f(ep)
    return float(math.pi * alpha2_ratio / HBAR * 2.0 * np.sum(w * integrand * occ))


def phonon_scattering_rate(
    omega: float,
    delta: float,
    kT: float,
    alpha2_ratio: float,
    e_max: float,
    *,
    occupation: Occupation | None = None,
) -> float:
    """Kaplan's phonon scattering rate 1/tau_s^ph(Omega, T), 1/ps, by quadrature.

    (2 pi a/hbar) int_Delta^{e_max} dE rho(E) K_-(E, E + Omega) [f(E) - f(E + Omega)].

    Parameters
    ----------
    omega : float, meV
        Phonon energy.
    delta : float, meV
        BCS gap >= 0.
    kT : float, meV
        Temperature of the thermal f (> 0), when ``occupation`` is None.
    alpha2_ratio : float, 1/meV
        a = 4 N(0) <alpha^2> / N.
    e_max : float, meV
        Upper end of the quasi-particle energies E (a few kT above the gap suffices).
    occupation : callable, optional
        f(E) of the quasi-particles (E in meV); default the Fermi function at kT.
    """
    _check_positive("kT", kT)
    f = _thermal(occupation, kT)
    x, wq = _gauss_rule(0.0, e_max - delta, delta)
    e = delta + x
    rho_e = coherence_dos(e, x, delta, 0, edge_regular=True)  # sqrt(x) rho(E)
    k = coherence_dos(e, x + omega, delta, -1)
    total = np.sum(wq * rho_e * k * (f(e) - f(e + omega)))
    return float(2.0 * math.pi * alpha2_ratio / HBAR * total)


# --------------------------------------------------------------------------------------
# characteristic times and closed forms
# --------------------------------------------------------------------------------------
def kaplan_tau0(b: float, kTc: float, z: float = 1.0) -> float:
    """tau_0 = hbar z / (2 pi b (k_B T_c)^3), ps (Kaplan et al. 1976, Eq. 8).

    Parameters
    ----------
    b : float, 1/meV^2
        alpha^2F = b Omega^2.
    kTc : float, meV
        k_B T_c.
    z : float, dimensionless
        Z_1(0) (1 for paper 001's form).
    """
    _check_positive("b", b)
    _check_positive("kTc", kTc)
    return HBAR * z / (2.0 * math.pi * b * kTc**3)


def kaplan_tau0_ph(alpha2_ratio: float, delta0: float) -> float:
    """tau_0^ph = hbar / (pi^2 a Delta(0)), ps, with a = 4 N(0) <alpha^2> / N (Kaplan Eq. 27).

    Parameters
    ----------
    alpha2_ratio : float, 1/meV
        a = 4 N(0) <alpha^2> / N.
    delta0 : float, meV
        Delta(T = 0).
    """
    _check_positive("alpha2_ratio", alpha2_ratio)
    _check_positive("delta0", delta0)
    return HBAR / (math.pi**2 * alpha2_ratio * delta0)


def recombination_rate_low_t(delta: float, kT: float, b: float, z: float = 1.0) -> float:
    """1/tau_r(Delta, T) for k T << Delta and alpha^2F = b Omega^2, 1/ps (module doc).

    Parameters
    ----------
    delta : float, meV
        BCS gap Delta > 0.
    kT : float, meV
        Temperature k_B T > 0 (k T << Delta).
    b : float, 1/meV^2
        alpha^2F = b Omega^2.
    z : float, dimensionless
        Z_1(0) (1 for paper 001's form).
    """
    _check_positive("delta", delta)
    _check_positive("kT", kT)
    return (
        2.0
        * math.pi
        * b
        / (HBAR * z)
        * (2.0 * delta) ** 2.5
        * math.sqrt(math.pi * kT)
        * math.exp(-delta / kT)
    )


def scattering_rate_low_t(delta: float, kT: float, b: float, z: float = 1.0) -> float:
    """1/tau_s(Delta, T) for k T << Delta and alpha^2F = b Omega^2, 1/ps (module doc).

    Parameters
    ----------
    delta : float, meV
        BCS gap Delta > 0.
    kT : float, meV
        Temperature k_B T > 0 (k T << Delta).
    b : float, 1/meV^2
        alpha^2F = b Omega^2.
    z : float, dimensionless
        Z_1(0) (1 for paper 001's form).
    """
    _check_positive("delta", delta)
    _check_positive("kT", kT)
    c = float(gamma_fn(3.5) * zeta(3.5))
    return 2.0 * math.pi * b / (HBAR * z) * c * kT**3.5 / math.sqrt(2.0 * delta)


def pair_phase_space(omega: ArrayLike, delta: float, n_theta: int = 48) -> NDArray[np.float64]:
    """I(Omega, Delta) = int_Delta^{Omega-Delta} dE rho(E) rho(E') (1 + Delta^2/(E E')), meV.

    E' = Omega - E, rho(E) = E / sqrt(E^2 - Delta^2): the flat-band phase space of
    pair breaking with the density-coupling coherence factor (Chang & Scalapino 1977;
    paper 001 SI Eq. 5): the pair-breaking integral of :func:`pair_breaking_rate` at
    f = 0 (1/tau_B = (pi a / hbar) I at T = 0; tested equal), vectorised over Omega for
    the molecular-mode kinetics of paper 000. With E = Omega/2 - a cos(theta),
    a = Omega/2 - Delta, the edge singularities cancel against dE:
    I = int_0^pi dtheta (E E' + Delta^2) / sqrt((E + Delta)(E' + Delta)). Limits:
    Omega (Delta = 0), pi Delta (Omega -> 2 Delta+); 0 for Omega <= 2 Delta.

    Parameters
    ----------
    omega : array_like, meV
        Phonon energies.
    delta : float, meV
        Gap >= 0.
    n_theta : int
        Gauss-Legendre nodes.

    Returns
    -------
    ndarray, shape of ``omega``, meV
    """
    w = np.asarray(omega, dtype=float)
    _, _, weight = pair_phase_space_nodes(w, delta, n_theta)
    return np.where(w > 2.0 * delta, np.sum(weight, axis=-1), 0.0)


def pair_phase_space_nodes(
    omega: ArrayLike, delta: float, n_theta: int = 48
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Quadrature of :func:`pair_phase_space`: E, E' = Omega - E and the weights
    (pi/2) w_k (E E' + Delta^2) / sqrt((E + Delta)(E' + Delta)) on Gauss-Legendre nodes in
    theta (E = Omega/2 - a cos(theta), a = max(Omega/2 - Delta, 0)), so that
    sum_k weight_k g(E_k, E'_k) = int dE rho rho' (1 + Delta^2/(E E')) g(E, E') for
    Omega > 2 Delta: the one definition of the pair-breaking phase space, used with
    occupation factors g by the molecular-mode kinetics of paper 000.

    Parameters
    ----------
    omega : array_like, meV
        Phonon energies.
    delta : float, meV
        Gap >= 0.
    n_theta : int
        Gauss-Legendre nodes.

    Returns
    -------
    e, e_partner, weight : ndarray, shape ``omega.shape + (n_theta,)``, meV, meV, meV
    """
    w = np.asarray(omega, dtype=float)
    x, wt = np.polynomial.legendre.leggauss(n_theta)
    theta = 0.5 * math.pi * (x + 1.0)
    a = np.maximum(0.5 * w - delta, 0.0)[..., None]
    e = 0.5 * w[..., None] - a * np.cos(theta)
    ep = w[..., None] - e
    val = (e * ep + delta * delta) / np.sqrt((e + delta) * (ep + delta))
    return e, ep, 0.5 * math.pi * wt * val
