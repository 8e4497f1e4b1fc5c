"""Slow, direct reference implementations (``scipy.integrate.quad``) for tests and benchmarks.

``mattis_bardeen_quad``: Mattis-Bardeen with any occupation; ``zimmermann_quad``: the
BCS conductivity at arbitrary mean free path in the published form of Zimmermann et
al. (1991), thermal occupation.

These integrate the textbook Mattis-Bardeen forms (Tinkham, Eqs. 3.124-3.125) point by
point with adaptive quadrature and QUADPACK's algebraic end-point weights
(``weight="alg"``) for the gap-edge singularities, so they share no code with the
compiled quadrature of :mod:`photosc.cores.optics.mattis_bardeen_forms`. The
pair-breaking term is written with 1 - 2 n(E + w) (textbook form), not the symmetrised
factor used there.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import quad

from photosc.cores.optics.occupations import Occupation

__all__ = ["mattis_bardeen_quad", "zimmermann_quad"]


def _n(occupation: Occupation, e: float) -> float:
    return float(occupation(np.asarray([e]))[0])


def mattis_bardeen_quad(
    omega: float,
    delta: float,
    occupation: Occupation,
    *,
    energy_max: float,
    breakpoints: tuple[float, ...] = (),
) -> complex:
    """sigma/sigma_N of Mattis-Bardeen with occupation n(E), one frequency, by ``quad``.

    Parameters
    ----------
    omega : float, meV
        Photon energy > 0.
    delta : float, meV
        Gap > 0.
    occupation : callable
        n(E), meV -> dimensionless.
    energy_max : float, meV
        Upper end of the scattering integral.
    breakpoints : tuple of float, meV
        Steps of n(E), passed to ``quad`` as ``points`` in the scattering integral away
        from the gap edge (E = b and E = b - omega).

    Returns
    -------
    complex
    """
    w, d = float(omega), float(delta)
    opts = {"limit": 400, "epsabs": 1e-12, "epsrel": 1e-10}

    # scattering: 2/w int_D^Emax [n(E) - n(E+w)] (E(E+w) + D^2)/(sqrt(E^2-D^2) sqrt(...))
    # written with the weight (E - D)^(-1/2) for the edge
    def scat(e: float) -> float:
        ew = e + w
        return (
            (_n(occupation, e) - _n(occupation, ew))
            * (e * ew + d * d)
            / (math.sqrt(e + d) * math.sqrt(ew * ew - d * d))
        )

    s1 = 0.0
    # split near the edge so that the w-scale structure is resolved
    mid = d + min(w, d)
    s1 += quad(scat, d, mid, weight="alg", wvar=(-0.5, 0.0), **opts)[0]
    pts = sorted(p for b in breakpoints for p in (b, b - w) if mid < p < energy_max)
    s1 += quad(lambda e: scat(e) / math.sqrt(e - d), mid, energy_max, points=pts or None, **opts)[0]
    s1 *= 2.0 / w
    if w > 2 * d:
        # 1/w int_{D-w}^{-D} [1 - 2n(E+w)] (E^2 + D^2 + wE)/(...) with the MB sign
        # convention sqrt(E^2 - D^2) -> -sqrt for E < -D; substitute E1 = E + w in (D, w-D)
        def pb(e1: float) -> float:
            e2 = w - e1
            return (
                (1.0 - 2.0 * _n(occupation, e1))
                * (e1 * e2 - d * d)
                / (math.sqrt(e1 + d) * math.sqrt(e2 + d))
            )

        s1 += quad(pb, d, w - d, weight="alg", wvar=(-0.5, -0.5), **opts)[0] / w

    # sigma_2 = 1/w int_{max(D-w,-D)}^{D} [1 - 2n(E+w)] (E^2 + D^2 + wE)/(...)
    lo = max(d - w, -d)

    def s2f(e: float) -> float:
        ew = e + w
        num = (1.0 - 2.0 * _n(occupation, ew)) * (e * e + d * d + w * e)
        # the quad weight carries (e - lo)^(-1/2) (D - e)^(-1/2)
        if w < 2 * d:  # lo = D - w: sqrt((e+w)^2 - D^2) = sqrt(e - lo) sqrt(e + w + D)
            return num / math.sqrt((d + e) * (ew + d))
        # lo = -D: sqrt(D^2 - e^2) = sqrt(D - e) sqrt(e - lo)
        den = ew * ew - d * d
        return num / math.sqrt(den) if den > 0 else 0.0  # end point, num -> 0 there

    s2 = quad(s2f, lo, d, weight="alg", wvar=(-0.5, -0.5), **opts)[0] / w
    return complex(s1, s2)


def zimmermann_quad(
    omega: float, delta: float, kT: float, scattering_rate: float, *, energy_max: float
) -> complex:
    """BCS conductivity at arbitrary purity, Zimmermann et al., Physica C 183, 99 (1991).

    The published closed form (their Eqs. 7-10 in the notation P1..P4, I1..I3), thermal
    occupation, constant real gap, evaluated with ``quad`` per frequency; an independent
    check of :func:`photosc.cores.optics.nam.nam_conductivity` at finite
    Gamma (which is derived differently, from the Keldysh bubble on the full energy
    axis)::

        sigma/sigma_0 = i Gamma / (2 w) [J + int_Delta^inf I2(E) dE]
        J = int_Delta^{Delta+w} I1            (w <= 2 Delta)
          = int_Delta^{w-Delta} I3 + int_{w-Delta}^{w+Delta} I1   (w > 2 Delta)

    Parameters
    ----------
    omega : float, meV
    delta : float, meV (> 0)
    kT : float, meV (>= 0)
    scattering_rate : float, meV
        Gamma = hbar / tau.
    energy_max : float, meV
        Upper end of the I2 integral.

    Returns
    -------
    complex
        sigma / sigma_0.
    """
    w, d, g = float(omega), float(delta), float(scattering_rate)
    ig = 1j * g

    def th(e: float) -> float:
        return math.tanh(e / (2 * kT)) if kT > 0 else math.copysign(1.0, e)

    def p1(e: float) -> float:
        return math.sqrt((e + w) ** 2 - d * d)

    def p2(e: float) -> float:
        return math.sqrt(max(e * e - d * d, 0.0))

    def p3(e: float) -> float:
        return math.sqrt(max((e - w) ** 2 - d * d, 0.0))

    def p4(e: float) -> complex:
        return 1j * math.sqrt(max(d * d - (e - w) ** 2, 0.0))

    def i1(e: float) -> complex:
        a, b = p2(e), p4(e)
        c = (d * d + e * (e - w)) / (a * b)
        return th(e) * ((1 - c) / (b + a + ig) - (1 + c) / (b - a + ig))

    def i2(e: float) -> complex:
        a, b = p1(e), p2(e)
        c = (d * d + e * (e + w)) / (a * b)
        return th(e + w) * ((1 + c) / (a - b + ig) - (1 - c) / (-a - b + ig)) + th(e) * (
            (1 - c) / (a + b + ig) - (1 + c) / (a - b + ig)
        )

    def i3(e: float) -> complex:
        a, b = p2(e), p3(e)
        c = (d * d + e * (e - w)) / (b * a)
        return th(e) * ((1 - c) / (b + a + ig) - (1 + c) / (b - a + ig))

    opts = {"limit": 400, "epsabs": 1e-13, "epsrel": 1e-11}

    def cquad(f, lo: float, hi: float) -> complex:
        # E = lo + (hi - lo)(1 - cos t)/2 absorbs inverse square roots at both ends
        def g_t(t: float) -> complex:
            return f(lo + 0.5 * (hi - lo) * (1 - math.cos(t))) * 0.5 * (hi - lo) * math.sin(t)

        re = quad(lambda t: g_t(t).real, 0.0, math.pi, **opts)[0]
        im = quad(lambda t: g_t(t).imag, 0.0, math.pi, **opts)[0]
        return complex(re, im)

    if w <= 2 * d:
        j = cquad(i1, d, d + w)
    else:
        j = cquad(i3, d, w - d) + cquad(i1, w - d, w + d)

    def i2s(s: float) -> complex:  # E = Delta + s^2
        return i2(d + s * s) * 2 * s

    s_max = math.sqrt(energy_max - d)
    re = quad(lambda s: i2s(s).real, 0.0, s_max, **opts)[0]
    im = quad(lambda s: i2s(s).imag, 0.0, s_max, **opts)[0]
    return 1j * g / (2 * w) * (j + complex(re, im))
