"""Bosonic baths: a spectral coupling function on the boson grid plus a coherence type.

One mechanism, two instances (papers/README.md, "Coherence factors differ by bath"):

* ``"density"`` coupling (phonons; paper 001 SI Eqs. 4-5, Chang & Scalapino 1977,
  Kaplan et al. 1976): scattering weighted by ``1 - Delta^2/(E E')``, pair processes
  (recombination, pair breaking) by ``1 + Delta^2/(E E')``;
* ``"current"`` coupling (cavity photons, paper 004 Eqs. 9-13; also an optical field):
  scattering ``1 + Delta^2/(E E')``, pair processes ``1 - Delta^2/(E E')``.

A bath is either *dynamic* -- its occupation n(Omega, t) evolves (phonons, SI Eq. 5),
which needs the boson mode density relative to the electronic one -- or a *reservoir*
held at its own temperature (paper 004's cavity photons at T_cav).

Normalisation. With ``g(Omega)`` the coupling (alpha^2F for phonons, J_cav for cavity
photons; dimensionless) the quasi-particle equation has the prefactor 2 pi / hbar
(SI Eq. 4). Energy conservation then fixes the boson equation: with
``mode_density(Omega) = D_b(Omega) / (4 N(0))`` -- boson modes per unit volume and
energy divided by four times the single-spin electronic density of states (both
spins, both branches xi > 0 and xi < 0 of each quasi-particle energy) -- the boson
prefactor is ``(2 pi / hbar) g / mode_density``. For phonons ``D_b = N F(Omega)`` (ion
density N, F normalised to 3 modes per ion), so this is
``8 pi N(0) alpha^2(Omega) / (hbar N)`` with alpha^2 = alpha^2F / F: SI Eq. 5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.kinetics.collisions import COHERENCE_TYPES, Channel, coherence_signs
from photosc.cores.kinetics.grid import KineticGrid, check_grid


@dataclass(frozen=True)
class Bath:
    """A bosonic bath on the boson grid of a :class:`KineticGrid`.

    Attributes
    ----------
    coupling : (n_boson,) float, dimensionless
        g(Omega_j) >= 0 (alpha^2F or J); ``coupling[0]`` must be 0.
    coherence : str
        ``"density"`` (phonon-like) or ``"current"`` (photon-like).
    kT : float, meV
        Bath temperature k_B T >= 0: the reservoir occupation, the escape target
        n_eq, and the default initial occupation.
    mode_density : (n_boson,) float or None, dimensionless
        D_b / (4 N(0)) (see module docstring); None makes the bath a reservoir whose
        occupation is the Bose function at ``kT`` and never changes.
    tau_esc : float, ps
        Escape time to the bath at ``kT`` (paper 001 SI Eq. 5); ``inf`` for none.
        Only used for a dynamic bath.
    name : str
        Label.
    """

    coupling: NDArray[np.float64]
    coherence: str
    kT: float
    mode_density: NDArray[np.float64] | None = None
    tau_esc: float = float("inf")
    name: str = "bath"

    @property
    def dynamic(self) -> bool:
        """True when the occupation evolves (a mode density is given)."""
        return self.mode_density is not None

    @property
    def signs(self) -> tuple[float, float]:
        """(s_scattering, s_pair): coherence weight rho rho' + s p p' for each process."""
        return coherence_signs(self.coherence)


def check_bath(grid: KineticGrid, bath: Bath) -> None:
    """Raise ValueError naming the field when ``bath`` does not fit ``grid``.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid (energies in meV).
    bath : Bath
        The bath to check (shapes ``(n_boson,)``, kT in meV, tau_esc in ps).
    """
    check_grid(grid)
    g = np.asarray(bath.coupling)
    if g.shape != (grid.n_boson,):
        raise ValueError(
            f"bath '{bath.name}': coupling must have shape ({grid.n_boson},), got {g.shape}"
        )
    if not np.all(np.isfinite(g)) or np.any(g < 0):
        raise ValueError(f"bath '{bath.name}': coupling must be finite and >= 0")
    if g[0] != 0:
        raise ValueError(f"bath '{bath.name}': coupling at Omega = 0 must be 0, got {g[0]}")
    if bath.coherence not in COHERENCE_TYPES:
        raise ValueError(
            f"bath '{bath.name}': coherence={bath.coherence!r}, allowed: {COHERENCE_TYPES}"
        )
    if not (np.isfinite(bath.kT) and bath.kT >= 0):
        raise ValueError(f"bath '{bath.name}': kT must be a finite energy >= 0, got {bath.kT}")
    if not bath.tau_esc > 0:
        raise ValueError(
            f"bath '{bath.name}': tau_esc must be > 0 ps (inf: none), got {bath.tau_esc}"
        )
    if bath.mode_density is not None:
        d = np.asarray(bath.mode_density)
        if d.shape != (grid.n_boson,):
            raise ValueError(
                f"bath '{bath.name}': mode_density must have shape ({grid.n_boson},), got {d.shape}"
            )
        if not np.all(np.isfinite(d)) or np.any(d < 0):
            raise ValueError(f"bath '{bath.name}': mode_density must be finite and >= 0")
        orphan = (d == 0) & (g > 0)
        if np.any(orphan[1:]):
            j = int(np.nonzero(orphan)[0][0])
            raise ValueError(
                f"bath '{bath.name}': coupling > 0 where mode_density = 0 "
                f"(first at Omega = {j * grid.step} meV): alpha^2F needs F > 0"
            )


def resample(grid: KineticGrid, omega: ArrayLike, values: ArrayLike) -> NDArray[np.float64]:
    """Put a spectral function given on any grid onto the boson grid j h.

    Linear interpolation, zero outside the given range, and 0 at Omega = 0.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    omega : (m,) float, meV
        Increasing energies >= 0.
    values : (m,) float
        The function (alpha^2F, F, J, ...); negative values (ab-initio noise) are set
        to 0 -- a coupling or a density of states cannot be negative.
    """
    w = np.asarray(omega, dtype=float)
    v = np.asarray(values, dtype=float)
    if w.ndim != 1 or v.shape != w.shape or w.size < 2:
        raise ValueError(
            f"omega and values must be 1-D of equal length >= 2, got {w.shape}, {v.shape}"
        )
    if np.any(np.diff(w) <= 0) or w[0] < 0:
        raise ValueError("omega must be >= 0 and strictly increasing")
    out = np.interp(grid.omega, w, np.maximum(v, 0.0), left=0.0, right=0.0)
    out[0] = 0.0
    return out


def phonon_bath(
    grid: KineticGrid,
    omega: ArrayLike,
    a2f: ArrayLike,
    phonon_dos: ArrayLike | None,
    *,
    kT: float,
    n0_per_mev_nm3: float | None = None,
    n_ion_nm3: float | None = None,
    tau_esc: float = float("inf"),
    name: str = "phonons",
) -> Bath:
    """A phonon bath from alpha^2F(Omega) and F(Omega) (paper 001 SI Eqs. 4-5).

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    omega : (m,) float, meV
        Energies of the spectra.
    a2f : (m,) float, dimensionless
        Eliashberg function alpha^2F.
    phonon_dos : (m,) float, 1/meV, or None
        Phonon density of states F, normalised to 3 modes per ion. None: a reservoir
        (phonons held at ``kT``).
    kT : float, meV
        Phonon (bath) temperature.
    n0_per_mev_nm3 : float, 1/(meV nm^3)
        Single-spin electronic DOS at the Fermi level N(0) (needed with ``phonon_dos``).
    n_ion_nm3 : float, 1/nm^3
        Ion density N (needed with ``phonon_dos``).
    tau_esc : float, ps
        Phonon escape time (inf: none).
    name : str
        Label.
    """
    g = resample(grid, omega, a2f)
    mode = None
    if phonon_dos is not None:
        if n0_per_mev_nm3 is None or not n0_per_mev_nm3 > 0:
            raise ValueError(f"n0_per_mev_nm3 must be > 0 with a phonon DOS, got {n0_per_mev_nm3}")
        if n_ion_nm3 is None or not n_ion_nm3 > 0:
            raise ValueError(f"n_ion_nm3 must be > 0 with a phonon DOS, got {n_ion_nm3}")
        f = resample(grid, omega, phonon_dos)
        mode = n_ion_nm3 * f / (4.0 * n0_per_mev_nm3)
        # alpha^2F > 0 where the interpolated F vanishes (edges): drop that coupling.
        g = np.where(mode > 0, g, 0.0)
    bath = Bath(g, "density", float(kT), mode, float(tau_esc), name)
    check_bath(grid, bath)
    return bath


def debye_bath(
    grid: KineticGrid,
    b: float,
    omega_debye: float,
    *,
    kT: float,
    alpha2_ratio: float | None = None,
    tau_esc: float = float("inf"),
    name: str = "debye phonons",
) -> Bath:
    """Kaplan's model bath: alpha^2F = b Omega^2 below omega_debye (Kaplan et al. 1976).

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    b : float, 1/meV^2
        Prefactor of alpha^2F = b Omega^2.
    omega_debye : float, meV
        Cutoff.
    kT : float, meV
        Bath temperature.
    alpha2_ratio : float, 1/meV, optional
        4 N(0) <alpha^2> / N (the factor of Kaplan's phonon rates; 1/tau_0^ph =
        pi^2 alpha2_ratio Delta(0) / hbar). Given: a dynamic bath with the Debye mode
        density ``mode_density = b Omega^2 / alpha2_ratio``; None: a reservoir.
    tau_esc : float, ps
        Escape time (inf: none).
    name : str
        Label.
    """
    if not (b > 0 and omega_debye > 0):
        raise ValueError(f"b and omega_debye must be > 0, got b={b}, omega_debye={omega_debye}")
    w = grid.omega
    g = np.where(w <= omega_debye + 1e-12, b * w * w, 0.0)
    mode = None
    if alpha2_ratio is not None:
        if not alpha2_ratio > 0:
            raise ValueError(f"alpha2_ratio must be > 0, got {alpha2_ratio}")
        mode = g / alpha2_ratio
    bath = Bath(g, "density", float(kT), mode, float(tau_esc), name)
    check_bath(grid, bath)
    return bath


def photon_bath(
    grid: KineticGrid,
    omega: ArrayLike,
    coupling: ArrayLike,
    *,
    kT: float,
    mode_density: ArrayLike | None = None,
    tau_esc: float = float("inf"),
    name: str = "cavity photons",
) -> Bath:
    """A current-coupled photon bath (paper 004 Eqs. 8-16): coupling J(Omega).

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    omega : (m,) float, meV
        Energies of ``coupling``.
    coupling : (m,) float, dimensionless
        J_cav(Omega) (paper 004 Eq. 16, times the enhancement X), in the
        normalisation where the quasi-particle rate is (2 pi / hbar) int dOmega J ...
    kT : float, meV
        Photon temperature T_cav.
    mode_density : (m,) float, optional
        Photon modes relative to 4 N(0) for a dynamic photon bath; None (default):
        a reservoir at ``kT``, as in paper 004.
    tau_esc : float, ps
        Photon escape (cavity loss) time for a dynamic bath.
    name : str
        Label.
    """
    g = resample(grid, omega, coupling)
    mode = None if mode_density is None else resample(grid, omega, mode_density)
    bath = Bath(g, "current", float(kT), mode, float(tau_esc), name)
    check_bath(grid, bath)
    return bath


def thermal_occupation(grid: KineticGrid, kT: float) -> NDArray[np.float64]:
    """(n_boson,) Bose occupation at ``kT`` on the boson grid, 0 at Omega = 0.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid (boson energies ``grid.omega``, meV).
    kT : float, meV
        Temperature k_B T.

    Returns
    -------
    (n_boson,) float, dimensionless
    """
    from photosc.foundation.distributions import bose

    n = np.zeros(grid.n_boson)
    n[1:] = bose(grid.omega[1:], kT)
    return n


def bath_channel(
    grid: KineticGrid,
    bath: Bath,
    n: NDArray[np.float64] | None = None,
    factor: NDArray[np.float64] | None = None,
):
    """The :class:`~photosc.cores.kinetics.collisions.Channel` of ``bath``.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    bath : Bath
        The bath.
    n : (n_boson,) float, optional
        Occupation (dynamic baths); default the Bose function at ``bath.kT``.
    factor : (n_boson,) float, optional
        A dynamic bath's g / D (:func:`boson_factor` of ``bath``), when the caller keeps
        it (the kinetic solver builds the channel at every collision evaluation).
    """
    occ = thermal_occupation(grid, bath.kT) if n is None else np.asarray(n, dtype=float)
    if occ.shape != (grid.n_boson,):
        raise ValueError(f"bath '{bath.name}': occupation must have shape ({grid.n_boson},)")
    g = np.asarray(bath.coupling, dtype=float)
    gn = g * occ
    gn[0] = 0.0
    gn1 = g * (occ + 1.0)
    gn1[0] = 0.0
    s_s, s_p = bath.signs
    if not bath.dynamic:
        factor = None
    elif factor is None:
        factor = boson_factor(bath)
    return Channel(gn, gn1, s_s, s_p, factor)


def boson_factor(bath: Bath) -> NDArray[np.float64]:
    """g / D of a dynamic bath (0 where D = 0), dimensionless: the factor of its dn/dt."""
    g = np.asarray(bath.coupling, dtype=float)
    d = np.asarray(bath.mode_density, dtype=float)
    return np.divide(g, d, out=np.zeros_like(g), where=d > 0)


def phonon_bath_from_spectrum(
    grid: KineticGrid,
    spectrum,
    *,
    kT: float,
    tau_esc: float = float("inf"),
    dynamic: bool = True,
) -> Bath:
    """Phonon bath from a :class:`photosc.cores.spectra.Spectrum` with SI Table 1 data.

    Uses ``spectrum.a2f``, ``spectrum.f_dos`` (3 modes per ion) and
    ``spectrum.material`` (N(0) in 1/(eV nm^3), converted to 1/(meV nm^3); ion density N).

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    spectrum : Spectrum
        Needs ``f_dos`` and ``material`` for a dynamic bath.
    kT : float, meV
        Phonon temperature.
    tau_esc : float, ps
        Escape time (inf: none).
    dynamic : bool
        False: a reservoir (only alpha^2F is used).
    """
    if not dynamic:
        return phonon_bath(grid, spectrum.omega, spectrum.a2f, None, kT=kT, name=spectrum.name)
    if spectrum.f_dos is None or spectrum.material is None:
        raise ValueError(
            f"spectrum '{spectrum.name}' needs f_dos and material (N(0), N) for dynamic phonons"
        )
    mat = spectrum.material
    return phonon_bath(
        grid,
        spectrum.omega,
        spectrum.a2f,
        spectrum.f_dos,
        kT=kT,
        n0_per_mev_nm3=mat.n0_per_ev_nm3 * 1e-3,
        n_ion_nm3=mat.n_ion_nm3,
        tau_esc=tau_esc,
        name=spectrum.name,
    )
