"""Quasi-particle density of states and the coherence-factor function on the kinetic grid.

The collision integrals need, for each quasi-particle bin, two numbers
(paper 001 SI Eqs. 6-9; Chang & Scalapino, PRB 15, 2651 (1977)):

* ``rho(E) = Re[E / sqrt(E^2 - Delta(E)^2)]`` -- the normalised density of states N(E),
* ``p(E)   = Re[Delta(E) / sqrt(E^2 - Delta(E)^2)]`` -- the anomalous ("pair") density P(E).

The coherence factors then separate into sums of products,
``rho(E) rho(E') (1 -/+ Delta^2/(E E')) = rho(E) rho(E') -/+ p(E) p(E')`` (BCS: p = rho
Delta/E), which is what makes every collision integral a correlation on the uniform
grid. For BCS the arrays are bin averages, so the integrable edge singularity is
integrated exactly: ``rho_i = [sqrt(E^2 - Delta^2)]_bin / h``,
``p_i = Delta [arccosh(E / Delta)]_bin / h``. For a strong-coupling (Eliashberg)
solution, complex Delta(E) on any energy grid, the two functions are evaluated and
interpolated to the bin centres (``coherence_from_gap_function``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.kinetics.grid import KineticGrid, check_grid


class GapTable(NamedTuple):
    """Complex gap function and renormalisation of the state behind a :class:`Coherence`.

    The real-axis Eliashberg solution the coherence arrays were computed from (paper 001
    SI Eqs. 6-9), on the Eliashberg solver's energy grid; what the Nam/Kubo optics
    need (:func:`photosc.cores.optics.tabulated_gap_function`).

    Attributes
    ----------
    energy : (m,) float, meV
        Energies E > 0 of the solver grid (cell centres (j + 1/2) h).
    delta : (m,) complex, meV
        Gap function Delta(E) = phi(E) / Z(E).
    z : (m,) complex, dimensionless
        Renormalisation Z(E).
    """

    energy: NDArray[np.float64]
    delta: NDArray[np.complex128]
    z: NDArray[np.complex128]


class Coherence(NamedTuple):
    """Density of states and pair density on the quasi-particle bins.

    Attributes
    ----------
    rho : (n_qp,) float, dimensionless
        N(E) >= 0 (1 in the normal state).
    p : (n_qp,) float, dimensionless
        P(E) (0 in the normal state). Where rho = 0 (inside the gap) p must be 0.
    delta0 : float, meV
        The gap edge Delta_0 (for bookkeeping and for the pump's on-grid check).
    gap_table : GapTable or None
        The complex Delta(E), Z(E) these arrays were computed from, where the gap update
        is a strong-coupling (Eliashberg) solve; None for BCS or fixed gaps (a constant
        real Delta_0, Z = 1) and for gap updates that do not provide it.
    """

    rho: NDArray[np.float64]
    p: NDArray[np.float64]
    delta0: float
    gap_table: GapTable | None = None


def check_coherence(grid: KineticGrid, coh: Coherence) -> None:
    """Raise ValueError unless ``coh`` fits ``grid`` and is physical.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    coh : Coherence
        rho, p of shape ``(n_qp,)`` (dimensionless) to check: finite, rho >= 0,
        |p| <= rho.
    """
    check_grid(grid)
    rho = np.asarray(coh.rho)
    p = np.asarray(coh.p)
    if rho.shape != (grid.n_qp,) or p.shape != (grid.n_qp,):
        raise ValueError(
            f"coherence arrays must have shape ({grid.n_qp},), got rho {rho.shape}, p {p.shape}"
        )
    if not (np.all(np.isfinite(rho)) and np.all(np.isfinite(p))):
        raise ValueError("coherence arrays rho and p must be finite")
    if np.any(rho < 0):
        raise ValueError(f"density of states rho must be >= 0, got min {rho.min():.3e}")
    bad = (rho == 0) & (p != 0)
    if np.any(bad):
        raise ValueError(
            f"pair density p must vanish where rho = 0 (inside the gap); "
            f"{int(bad.sum())} bins violate this"
        )
    over = np.abs(p) > rho * (1.0 + 1e-9) + 1e-300
    if np.any(over):
        i = int(np.argmax(np.abs(p) - rho))
        raise ValueError(
            f"pair density must satisfy |p| <= rho (the Nambu spectral matrix "
            f"[[rho, p], [p, rho]] is positive semi-definite; see spectral_bound); "
            f"{int(over.sum())} bins violate this, worst bin {i}: rho={rho[i]:.3e}, p={p[i]:.3e}"
        )


def spectral_bound(rho: NDArray[np.float64], p: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pair density limited to |p| <= rho.

    rho and p are the xi-integrated diagonal and off-diagonal of the Nambu spectral
    function, -Im of the retarded G integrated over xi; that matrix is positive
    semi-definite, so |P(E)| <= N(E) for every exact solution, and every coherence
    factor of the collision integrals, rho rho' -/+ p p', is >= 0. A broadened gap edge
    breaks this inside the gap: the Eliashberg densities broaden the edge as
    phi^2 -> phi^2 - 2 i eta Re Z |phi| (:func:`photosc.cores.eliashberg._cell_densities`)
    without the matching omega -> omega + i eta in N's numerator, which leaves a
    Lorentzian tail of P ~ eta Z / |phi| in the gap where N ~ eta omega / |phi|^2 (Pb at
    2 K, step 0.1 meV: p / rho = 25 in the lowest bin). There the scattering weight
    rho' - q p' turns negative; the collision code drops negative summed rates as FFT
    round-off and so stops conserving energy (a 2 K Pb run gained 1e-3 of the absorbed
    energy in 24 ps). Limiting |p| to rho restores positive semi-definiteness at the
    smallest change (it only touches bins with |p| > rho, all inside the gap, where
    rho is ~1e-3 and the bins hold ~1e-3 of the quasi-particles).

    Parameters
    ----------
    rho : (n,) float, dimensionless
        Density of states N(E) >= 0 per bin.
    p : (n,) float, dimensionless
        Pair density P(E) per bin.

    Returns
    -------
    (n,) float
        clip(p, -rho, rho).
    """
    rho = np.asarray(rho, dtype=float)
    return np.clip(np.asarray(p, dtype=float), -rho, rho)


def normal_coherence(grid: KineticGrid) -> Coherence:
    """Normal metal: rho = 1, p = 0 (the Prange-Kadanoff limit)."""
    check_grid(grid)
    return Coherence(np.ones(grid.n_qp), np.zeros(grid.n_qp), 0.0)


def bcs_coherence(grid: KineticGrid, delta: float) -> Coherence:
    """BCS density of states and pair density, averaged over each bin.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    delta : float, meV
        Real gap Delta >= 0; 0 gives :func:`normal_coherence`.
    """
    if not (np.isfinite(delta) and delta >= 0):
        raise ValueError(f"gap delta must be a finite energy >= 0 meV, got delta={delta}")
    if delta == 0:
        return normal_coherence(grid)
    e = np.maximum(grid.edges, delta)
    x = e / delta
    root = np.sqrt(np.maximum(e * e - delta * delta, 0.0))
    acosh = np.arccosh(x)
    rho = np.diff(root) / grid.step
    p = delta * np.diff(acosh) / grid.step
    return Coherence(rho, p, float(delta))


def coherence_from_gap_function(
    grid: KineticGrid, energy: ArrayLike, delta: ArrayLike, delta0: float | None = None
) -> Coherence:
    """Strong-coupling N(E), P(E) from a complex gap function (paper 001 SI Eqs. 6-9).

    N(E) = Re[E / sqrt(E^2 - Delta(E)^2)], P(E) = Re[Delta(E) / sqrt(E^2 - Delta(E)^2)],
    with the retarded branch sqrt(E^2 - Delta^2) = E sqrt(1 - (Delta/E)^2) for E > 0
    (principal square root), so that N -> 1 and P -> 0 far above the gap.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    energy : (m,) float, meV
        Increasing positive energies where Delta is given; they should cover the
        quasi-particle grid (outside, N = 1 and P = 0 are used above and 0 below).
    delta : (m,) complex, meV
        Gap function Delta(E) = phi(E) / Z(E) on ``energy``.
    delta0 : float, meV, optional
        Gap edge to record; default Re Delta at the lowest E with E >= Re Delta(E).

    Notes
    -----
    The arrays are sampled at the bin centres (not bin-averaged): a strong-coupling
    Delta(E) has a finite imaginary part that rounds the edge singularity, so the grid
    should resolve that width. Negative N from interpolation noise raises.
    """
    check_grid(grid)
    e = np.asarray(energy, dtype=float)
    d = np.asarray(delta, dtype=complex)
    if e.ndim != 1 or d.shape != e.shape or e.size < 2:
        raise ValueError(
            f"energy and delta must be 1-D of equal length >= 2, got {e.shape}, {d.shape}"
        )
    if np.any(np.diff(e) <= 0) or e[0] <= 0:
        raise ValueError("energy must be positive and strictly increasing")
    root = e * np.sqrt(1.0 - (d / e) ** 2)
    n_e = np.real(e / root)
    p_e = np.real(d / root)
    ec = grid.energy
    rho = np.interp(ec, e, n_e, left=0.0, right=1.0)
    p = np.interp(ec, e, p_e, left=0.0, right=0.0)
    if np.any(rho < -1e-12):
        raise ValueError(f"interpolated N(E) is negative (min {rho.min():.3e})")
    rho = np.maximum(rho, 0.0)
    p = spectral_bound(rho, np.where(rho > 0, p, 0.0))
    if delta0 is None:
        above = np.nonzero(e >= np.real(d))[0]
        delta0 = float(np.real(d[above[0]])) if above.size else 0.0
    return Coherence(rho, p, float(delta0))
