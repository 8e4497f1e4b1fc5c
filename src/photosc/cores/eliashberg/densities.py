"""Cell integrals of the quasi-particle and pair densities N and P (compiled).

For omega' > 0 the real-axis Eliashberg equations (:mod:`~photosc.cores.eliashberg.kernels`;
Marsiglio, Schossmann & Carbotte, PRB 37, 4965 (1988); Holcomb, PRB 54, 6648 (1996);
paper 001 main text after Eq. 2 and SI Sec. I) take, with Delta = phi / Z, the densities

    N(omega') = Re[omega' / sqrt(omega'^2 - Delta(omega')^2)],
    P(omega') = Re[Delta(omega') / sqrt(omega'^2 - Delta(omega')^2)]

(retarded branch: principal square root, Re sqrt >= 0 for omega' > 0). This module
integrates them over the cells of the grid, energies in meV.

* Cell integrals: the densities N and P are integrated over each cell
  [j h, (j+1) h] with phi = Z Delta frozen at the cell centre and omega' Z(omega')
  linear in the cell (the Z of the previous iterate; ``_cell_densities``), so that
  Delta(omega') = phi / Z(omega') follows the dip Delta ~ omega' below Gamma / Z
  (Gamma = Im[omega Z] at omega -> 0, the scattering rate: ~0.5 meV for K3C60 at
  20 K, where a pump depletes f), from the exact antiderivatives
  S = sqrt(u^2 - phi^2), log(u + S) of u = omega' Z (product integration), so neither
  the 1/sqrt gap edge nor the low-energy dip costs accuracy. P enters the pairing
  integrals with the weight omega'/omega_j (the kernel is odd in omega' for a
  particle-hole symmetric f), exactly as in the linearised operator: the map's gain
  for small Delta equals the linearised eigenvalue (tests: within 1e-4 on the
  production K3C60 grids; with Delta frozen per cell and omega' + i eta it was 2-9 %
  low, and Delta_0 = 0 at 0.97 T_c on the 0.5 meV grid).
* Broadening: the gap edge is broadened by eta = step / 8 (see
  :class:`EliashbergSolver`) as phi^2 -> phi^2 - 2 i eta Re Z |phi| g, equivalent to
  omega' -> omega' + i eta at the edge; g = min(1, |phi / (omega Z)|^4) confines it
  to the edge and the gap (far above it, where P ~ Delta / omega', a broadening
  linear in |phi| would bias the cubic term of the gap equation by ~2 eta / Delta and
  shrink the gap near T_c by ~15 % on a 0.5 meV grid), and it vanishes for
  Delta -> 0 (the linearised problem needs none). Delta_0 is biased by about
  -0.6 eta at low T.
"""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True, fastmath=False, inline="always")
def _line(z, h, j):  # pragma: no cover - compiled
    """omega' Z(omega') = a + s omega' in cell j of the grid (j + 1/2) h: (a, s), complex.

    s: central difference of omega_j Z_j (one-sided at the ends, as np.gradient);
    a = omega_j Z_j - s omega_j. The line is kept on the retarded side over the cell
    (Re and Im of omega' Z >= 0 at both cell edges, since Im[omega Z] = -Im Sigma >= 0):
    a slope with Re s <= 0 is replaced by the frozen s = Z_j, and a negative Re or Im at
    an edge (the extrapolation into cell 0, round-off) is lifted to 0.
    """
    n = z.size
    wj = (j + 0.5) * h
    uc = wj * z[j]
    if n == 1:
        s = z[j]
    elif j == 0:
        s = (1.5 * h * z[1] - uc) / h
    elif j == n - 1:
        s = (uc - (j - 0.5) * h * z[j - 1]) / h
    else:
        s = ((j + 1.5) * h * z[j + 1] - (j - 0.5) * h * z[j - 1]) / (2.0 * h)
    if not s.real > 0.0:
        s = z[j]
    a = uc - s * wj
    ua = a + s * (j * h)
    ub = a + s * ((j + 1) * h)
    lift_re = min(ua.real, ub.real)
    lift_im = min(ua.imag, ub.imag)
    if lift_re < 0.0:
        a = a - lift_re
    if lift_im < 0.0:
        a = a - 1j * lift_im
    return a, s


@numba.njit(cache=True, fastmath=False, inline="always")
def _factors(a, s, h, j, inv):  # pragma: no cover - compiled
    """Small-Delta cell factors for the line u = a + s omega' in cell j: (cw, cu).

    cw = (1 / (h omega_j)) int_cell omega' d omega' / u (weighted), cu = (1 / h)
    int_cell d omega' / u (plain), so that P -> Re[phi cw] or Re[phi cu] for Delta -> 0;
    ``inv`` = 1 / u(omega_j). Exact (logarithm) where r = s h / u(omega_j) has
    |r| > 0.05, else the expansion in r to O(r^6) (error below 1e-13).
    cu is inf for u = 0 at omega' = 0 (a = 0 in cell 0; not used there).
    """
    wj = (j + 0.5) * h
    r = s * h * inv
    if r.real * r.real + r.imag * r.imag > 0.0025:
        ua = a + s * (j * h)
        ub = a + s * ((j + 1) * h)
        if ua == 0:
            return 1.0 / (s * wj), complex(np.inf, 0.0)
        lg = np.log(ub / ua)
        return (h / s - a / (s * s) * lg) / (h * wj), lg / (s * h)
    r2 = r * r
    # (1/h) int_{-h/2}^{h/2} dt / (u_c + s t) = (1/u_c) (1 + r^2/12 + r^4/80 + r^6/448), and
    # (1/h) int t dt / (u_c + s t) = -(h r / 12) (1 + 3 r^2 / 20 + 3 r^4 / 112) / u_c
    cu = (1.0 + r2 * (1.0 / 12.0 + r2 * (1.0 / 80.0 + r2 / 448.0))) * inv
    first = (-(h / 12.0) / wj) * r * (1.0 + r2 * (0.15 + r2 * 3.0 / 112.0)) * inv
    return cu + first, cu


@numba.njit(cache=True, fastmath=False)
def _line_factors(z, h):  # pragma: no cover - compiled
    """Small-Delta cell factors (cw, cu) of every cell for Z = ``z`` (see :func:`_factors`)."""
    n = z.size
    cw = np.empty(n, dtype=np.complex128)
    cu = np.empty(n, dtype=np.complex128)
    for j in range(n):
        a, s = _line(z, h, j)
        cw[j], cu[j] = _factors(a, s, h, j, 1.0 / (a + s * ((j + 0.5) * h)))
    return cw, cu


@numba.njit(cache=True, fastmath=False)
def _cell_densities(delta, z, h, eta):  # pragma: no cover - compiled
    """Cell integrals of N and P with omega' Z(omega') linear and phi = Z Delta frozen.

    In cell j, u(omega') = omega' Z(omega') = A_j + s_j omega' (:func:`_line` of ``z``)
    and phi_j = Delta_j Z_j, so Delta(omega') = phi_j omega' / u(omega') follows the
    dip Delta ~ omega' below Gamma / Z; with c = phi_j^2 - 2 i eta Re(Z_j) |phi_j| g,
    g = min(1, |phi_j / (omega_j Z_j)|^4) (the broadening of the gap edge, omega' ->
    omega' + i eta there, confined to the edge and the gap, vanishing with phi):

        N = Re[u / sqrt(u^2 - c)],  P = Re[phi / sqrt(u^2 - c)],

    integrated exactly with the antiderivatives S = sqrt(u^2 - c), L = log(u + S)
    (principal branches, retarded side): int N = Re[(S_b - S_a) / s],
    int P = Re[phi (L_b - L_a) / s], int (omega'/omega_j) P = Re[phi (S - A L)|_a^b /
    (s^2 omega_j)]. Far above the gap (|c| < 0.02 |u_a|^2) the square root is expanded
    about the cell centre, times the exact small-Delta factors of :func:`_factors`,
    so that for Delta -> 0 the densities are exactly those of the linearised operator.

    Returns
    -------
    nd : (n,) float
        Cell average of N.
    pu : (n,) float
        Cell average of P.
    pw : (n,) float
        Weighted average (1 / (h omega_j)) int_cell omega' P d omega'.
    """
    n = delta.size
    nd = np.empty(n)
    pu = np.empty(n)
    pw = np.empty(n)
    for j in range(n):
        d = delta[j]
        if d == 0:
            nd[j] = 1.0
            pu[j] = 0.0
            pw[j] = 0.0
            continue
        phi = d * z[j]
        zr = abs(z[j].real)
        if zr == 0.0:
            zr = 1.0
        a, s = _line(z, h, j)
        wj = (j + 0.5) * h
        ua = a + s * (j * h)
        uc = a + s * wj
        p2 = phi.real * phi.real + phi.imag * phi.imag
        u2 = uc.real * uc.real + uc.imag * uc.imag
        g = min(1.0, (p2 / u2) * (p2 / u2))
        c = phi * phi - 2j * eta * zr * math.sqrt(p2) * g
        if c.real * c.real + c.imag * c.imag < 4e-4 * (ua.real * ua.real + ua.imag * ua.imag) ** 2:
            inv = 1.0 / uc
            x = c * (inv * inv)
            ser = 1.0 + x * (0.5 + x * (0.375 + x * 0.3125))
            cw, cu = _factors(a, s, h, j, inv)
            nd[j] = ser.real
            pu[j] = (phi * cu * ser).real
            pw[j] = (phi * cw * ser).real
            continue
        ub = a + s * ((j + 1) * h)
        za = ua * ua - c
        zb = ub * ub - c
        if za.imag == 0.0:
            za = complex(za.real, 0.0)
        if zb.imag == 0.0:
            zb = complex(zb.real, 0.0)
        sa = np.sqrt(za)
        sb = np.sqrt(zb)
        dl = np.log(ub + sb) - np.log(ua + sa)
        nd[j] = ((sb - sa) / (s * h)).real
        pu[j] = (phi * dl / (s * h)).real
        pw[j] = (phi * ((sb - sa) - a * dl) / (s * s * h * wj)).real
    return nd, pu, pw
