"""Slow, direct reference implementations (``scipy.integrate.quad``) for tests and benchmarks.

These integrate the textbook Mattis-Bardeen forms (Tinkham, Eqs. 3.124-3.125) point by
point with adaptive quadrature and QUADPACK's algebraic end-point weights
(``weight="alg"``) for the gap-edge singularities, so they share no code with the
vectorised :mod:`photosc.cores.optics.conductivity`. The pair-breaking term is written
with 1 - 2 n(E + w) (textbook form), not the symmetrised factor used there.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import quad

from photosc.cores.optics.conductivity import Occupation

__all__ = ["mattis_bardeen_quad"]


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
