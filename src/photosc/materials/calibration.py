"""mu* calibrated to a T_c, and T_c of a material, with the real-axis Eliashberg solver.

The Coulomb pseudopotential of a material is rarely known independently: the usual
practice (and that of the built-in spectra, :mod:`photosc.cores.spectra.library`) is to
choose mu* so that the Eliashberg equations reproduce a known T_c. Here that is done
with the real-axis solver of :mod:`photosc.cores.eliashberg` (paper 001, main text after
Eq. 2 and SI Sec. I; Marsiglio, Schossmann & Carbotte, PRB 37, 4965 (1988)), in its
convention: a sharp Coulomb cutoff omega_c on the real axis, grid extent
W = max(omega_c, 5 omega_max) with omega_max the highest phonon energy of alpha^2F.

T_c(mu*) is the temperature at which the largest eigenvalue lambda_max(T; mu*) of the
linearised gap equation equals 1, and lambda_max falls monotonically with mu*. So
instead of nesting two root searches (T_c for each trial mu*), :func:`calibrate_mu_star`
solves lambda_max(T_c; mu*) = 1 for mu* at the given T_c (Brent's method): the same
condition, one eigenvalue per trial.
"""

from __future__ import annotations

import math

from scipy.optimize import brentq

from photosc.cores.eliashberg import DEFAULT_CUTOFF_FACTOR, EliashbergSolver
from photosc.cores.spectra import Spectrum
from photosc.errors import ConfigError, ConvergenceError
from photosc.foundation.units import KB

__all__ = ["MU_STAR_MAX", "calibrate_mu_star", "eliashberg_tc", "solver_grid"]

#: Largest mu* the calibration searches (mu* < 1 is required everywhere).
MU_STAR_MAX = 0.95


def solver_grid(spectrum: Spectrum, cutoff: float) -> float:
    """Grid extent W (meV) of the real-axis solver: max(omega_c, 5 x highest phonon energy).

    Parameters
    ----------
    spectrum : Spectrum
    cutoff : float, meV
        Coulomb cutoff omega_c.
    """
    return max(float(cutoff), DEFAULT_CUTOFF_FACTOR * spectrum.omega_max)


def _solver(
    spectrum: Spectrum, mu_star: float, cutoff: float, step: float | None
) -> EliashbergSolver:
    w_top = solver_grid(spectrum, cutoff)
    return EliashbergSolver(
        spectrum.omega, spectrum.a2f, mu_star, omega_max=w_top, step=step, omega_c=cutoff
    )


def eliashberg_tc(
    spectrum: Spectrum, mu_star: float, cutoff: float, step: float | None = None
) -> float:
    """T_c (K) of the linearised real-axis Eliashberg equations (0.0 if none).

    Parameters
    ----------
    spectrum : Spectrum
        alpha^2F(omega), omega in meV.
    mu_star : float, dimensionless
        Coulomb pseudopotential (sharp cutoff ``cutoff``).
    cutoff : float, meV
        Coulomb cutoff omega_c; the grid extends to :func:`solver_grid`.
    step : float, meV, optional
        Grid step (default: the solver's, W / 4096).

    Returns
    -------
    float, K
    """
    return _solver(spectrum, mu_star, cutoff, step).critical_temperature()


def calibrate_mu_star(
    spectrum: Spectrum,
    tc_K: float,
    cutoff: float | None = None,
    *,
    step: float | None = None,
    xtol: float = 1e-5,
) -> float:
    """mu* for which the real-axis Eliashberg T_c of ``spectrum`` equals ``tc_K``.

    Solves lambda_max(T = tc_K; mu*) = 1 for mu* (Brent's method), lambda_max the
    leading eigenvalue of the linearised real-axis gap equation
    (:meth:`~photosc.cores.eliashberg.EliashbergSolver.linearized_eigenvalue`); T_c is
    where lambda_max(T) crosses 1, so the root is the mu* whose T_c
    (:func:`eliashberg_tc`, same grid) is ``tc_K``.

    Parameters
    ----------
    spectrum : Spectrum
        alpha^2F(omega), omega in meV.
    tc_K : float, K
        Target critical temperature (> 0).
    cutoff : float, meV, optional
        Sharp Coulomb cutoff omega_c (default 5 x the highest phonon energy, the
        convention of the built-in spectra).
    step : float, meV, optional
        Grid step (default: the solver's, W / 4096; use the step of the runs that will
        use this mu*).
    xtol : float, dimensionless
        Absolute tolerance on mu*.

    Returns
    -------
    float
        mu*, 0 <= mu* <= :data:`MU_STAR_MAX`.

    Raises
    ------
    ConfigError
        If ``tc_K`` is not reachable: above the T_c at mu* = 0 (the spectrum couples too
        weakly) or below that at mu* = MU_STAR_MAX.
    """
    if not (isinstance(tc_K, int | float) and math.isfinite(tc_K) and tc_K > 0):
        raise ConfigError(f"tc = {tc_K!r} K: allowed: a temperature > 0 K to calibrate mu* to")
    wc = DEFAULT_CUTOFF_FACTOR * spectrum.omega_max if cutoff is None else float(cutoff)
    kt = KB * float(tc_K)

    def excess(mu: float) -> float:
        return _solver(spectrum, mu, wc, step).linearized_eigenvalue(kt) - 1.0

    g0 = excess(0.0)
    if g0 < 0:
        tc0 = eliashberg_tc(spectrum, 0.0, wc, step)
        raise ConfigError(
            f"tc = {tc_K:g} K cannot be reached with spectrum {spectrum.name!r}: even mu* = 0 "
            f"gives T_c = {tc0:.4g} K (real-axis Eliashberg); allowed: a T_c below that, or a "
            "stronger alpha^2F"
        )
    g1 = excess(MU_STAR_MAX)
    if g1 > 0:
        raise ConfigError(
            f"tc = {tc_K:g} K is too low to calibrate mu* for spectrum {spectrum.name!r}: "
            f"mu* = {MU_STAR_MAX} still gives a higher T_c; allowed: a larger T_c"
        )
    try:
        mu = brentq(excess, 0.0, MU_STAR_MAX, xtol=xtol)
    except (RuntimeError, ValueError) as exc:  # pragma: no cover - bracketed above
        raise ConvergenceError(f"mu* calibration to T_c = {tc_K:g} K failed: {exc}") from None
    return float(mu)
