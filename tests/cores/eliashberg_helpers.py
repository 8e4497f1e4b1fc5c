"""Shared set-ups of the Eliashberg tests (imported by name; not a conftest)."""

from __future__ import annotations

import numpy as np

from photosc.cores.eliashberg import EliashbergSolver
from photosc.cores.spectra import builtin
from photosc.foundation.distributions import fermi
from photosc.foundation.units import KB


def k3c60_solver(step: float) -> EliashbergSolver:
    """The production K3C60 solver (models/photoinduced_gap.py make_eliashberg)."""
    s = builtin("K3C60")
    top = max(s.mu_star_cutoff, 1.2 * s.omega_max + 4 * step)
    return EliashbergSolver(
        s.omega, s.a2f, s.mu_star, omega_max=top, step=step, omega_c=min(s.mu_star_cutoff, top)
    )


def pumped_f(omega: np.ndarray, kT: float, kT_low: float = KB * 8.0) -> np.ndarray:
    """A pump-depleted distribution: Fermi function with an energy-dependent temperature,
    ``kT_low`` below 3 meV rising smoothly (cubic smoothstep) to ``kT`` above 5 meV.

    Fewer electrons above E_F (and holes below) within 5 meV than at kT: f is depleted
    there, continuous, particle-hole symmetric (f(0) = 1/2), and thermal above 5 meV.
    """
    x = np.clip((omega - 3.0) / 2.0, 0.0, 1.0)
    t_eff = kT_low + (kT - kT_low) * x * x * (3.0 - 2.0 * x)
    return fermi(omega, t_eff)


def matsubara_kernel(omega, a2f, temperature, mu_star=0.0, cutoff_factor=30.0) -> np.ndarray:
    """Linearised Eliashberg equations on the Matsubara axis at T (K), as a matrix K.

    Z_n = 1 + (pi T / w_n) [lambda(0) + 2 sum_{k=1}^{n} lambda(k)],
    K_nm = pi T [lambda(n - m) + lambda(n + m + 1) - 2 mu*] / (Z_n w_m) (K Delta = Delta at
    T_c), lambda(k) = int 2 W alpha^2F(W) / (W^2 + (2 pi k T)^2) dW (trapezoid on the
    spectrum's points), Matsubara sum cut at cutoff_factor x the highest phonon energy.
    """
    w = np.asarray(omega, float)
    g = np.where(w > 0, np.asarray(a2f, float), 0.0)
    wmax = w[g > 1e-6 * g.max()][-1]
    ww = np.where(w > 0, w, 1.0)
    kt = KB * temperature
    nmax = int(cutoff_factor * wmax / (2 * np.pi * kt)) + 1
    wn = np.pi * kt * (2 * np.arange(nmax) + 1)
    nu = 2 * np.pi * kt * np.arange(2 * nmax + 1)
    lam = np.trapezoid(2 * ww * g / (ww[None, :] ** 2 + nu[:, None] ** 2), w, axis=1)
    cs = np.concatenate([[0.0], np.cumsum(lam[1 : nmax + 1])])
    z = 1 + np.pi * kt / wn * (lam[0] + 2 * cs[:nmax])
    i = np.arange(nmax)
    pair = lam[np.abs(i[:, None] - i[None, :])] + lam[i[:, None] + i[None, :] + 1] - 2 * mu_star
    return np.pi * kt * pair / (z[:, None] * wn[None, :])
