"""Net pair-creation rate of a flat band with a Bogoliubov distribution (golden rule).

The rate of change of the quasi-particle density n = 4 nu0 int dE rho f that the
Chang-Scalapino kinetics (:mod:`photosc.cores.kinetics`; Chang & Scalapino, PRB 15, 2651
(1977)) gives for f(E) = 1/(exp((E + lambda)/T) + 1) and thermal phonons: every
pair-breaking and recombination event counts with its final states anywhere in
[Delta, Omega - Delta]. Paper 000 (Chattopadhyay et al., npj Quantum Mater. 2025) Eq. 6
instead takes the single gap-edge rate (:func:`photosc.cores.qp_rates.net_rate`); the
comparison is :mod:`photosc.models.trapping_kinetics`. Units: meV, ps.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from photosc.cores.kaplan import pair_phase_space_nodes
from photosc.foundation.units import HBAR


def pair_creation_rate(
    omega: ArrayLike,
    a2f: ArrayLike,
    delta: float,
    lam: float,
    kT: float,
    nu0: float,
    n_theta: int = 48,
) -> float:
    """Net pair-creation rate per site in a flat band for a Bogoliubov f, 1/ps.

    dn/dt = 4 nu0 (2 pi/hbar) int dOmega alpha^2F int_Delta^{Omega-Delta} dE
    rho rho' (1 + Delta^2/(E E')) [(1-f)(1-f') n - f f' (1+n)], the rate of
    n = 4 nu0 int dE rho f that the Chang-Scalapino kinetics gives (pair processes only:
    scattering conserves n). The occupation factor is f f' (1 + n) (e^{2 lam/T} - 1)
    (E + E' = Omega), evaluated in logarithms. Compare paper 000 Eq. 6, which takes the
    single gap-edge rate (qp_rates.net_rate) as dn/dt.

    Parameters
    ----------
    omega : (m,) float, meV
        Phonon grid (ascending); alpha^2F is integrated by the trapezoid rule on it.
    a2f : (m,) float
        alpha^2F(Omega).
    delta : float, meV
        Gap >= 0.
    lam : float, meV
        Bogoliubov chemical potential.
    kT : float, meV
        Temperature of f and of the phonons (> 0).
    nu0 : float, 1/meV
        Normal density of states per spin per site.
    n_theta : int
        Gauss-Legendre nodes of the E integral.

    Returns
    -------
    float, 1/ps
    """
    w = np.asarray(omega, dtype=float)
    a = np.asarray(a2f, dtype=float)
    if w.ndim != 1 or a.shape != w.shape or w.size < 2 or np.any(np.diff(w) <= 0):
        raise ValueError(
            f"omega and a2f must be 1-D of equal length >= 2, omega increasing; "
            f"got {w.shape}, {a.shape}"
        )
    if not kT > 0:
        raise ValueError(f"kT must be > 0, got {kT}")
    if lam == 0.0:
        return 0.0
    keep = (w > 2.0 * delta) & (a > 0)
    if not np.any(keep):
        return 0.0
    # trapezoid weights on the full grid, restricted to Omega > 2 Delta
    tw = np.zeros_like(w)
    dw = np.diff(w)
    tw[:-1] += 0.5 * dw
    tw[1:] += 0.5 * dw
    om = w[keep]
    e, ep, weight = pair_phase_space_nodes(om, delta, n_theta)  # rho rho' (1 + D^2/EE') dE
    log_f = -np.logaddexp(0.0, (e + lam) / kT)
    log_fp = -np.logaddexp(0.0, (ep + lam) / kT)
    log_1n = -np.log(-np.expm1(-om / kT))[:, None]  # 1 + n(Omega) = 1/(1 - e^{-Omega/T})
    y = 2.0 * abs(lam) / kT
    log_ex = y + math.log(-math.expm1(-y)) if y < 700 else y
    occ = math.copysign(1.0, lam) * np.exp(log_f + log_fp + log_1n + log_ex)
    inner = np.sum(weight * occ, axis=-1)
    return float(4.0 * nu0 * 2.0 * math.pi / HBAR * np.sum(tw[keep] * a[keep] * inner))
