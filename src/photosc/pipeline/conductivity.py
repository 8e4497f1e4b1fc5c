"""Probe conductivity of a recorded kinetic state: Mattis-Bardeen or Nam.

The second stage of the pump-probe chain of paper 001 (main text after Eq. 2, "a Kubo
formula [42, 43]"): sigma(omega, t) / sigma_N of every recorded delay from the kinetic
f(E, t) and either the gap edge Delta_0(t) (Mattis-Bardeen generalised to a non-thermal
f, :func:`photosc.cores.optics.mattis_bardeen_batch`) or the full complex Eliashberg
Delta(E, t), Z(E, t) (the Nam form with an impurity scattering rate,
:func:`photosc.cores.optics.nam_conductivity`); and the index of the unpumped material.

Units: energies meV, resistivity Ohm nm; conductivities relative to sigma_N = 1/rho_N.
"""

from __future__ import annotations

import numpy as np

from photosc.cores import optics
from photosc.pipeline.kinetics import KineticTrace

__all__ = [
    "equilibrium_conductivity",
    "equilibrium_index",
    "nam_cutoff",
    "nam_gap_function",
    "occupations",
    "probe_conductivity",
    "probe_conductivity_nam",
]


def occupations(trace: KineticTrace) -> np.ndarray:
    """The recorded f(E, t) clipped to [0, 1]: the integrator's round-off only.

    Raises
    ------
    ValueError
        If f leaves [0, 1] by more than 1e-9 (not round-off).
    """
    f = np.clip(trace.f, 0.0, 1.0)  # round-off of the integrator only (|excess| < 1e-12)
    if np.max(np.abs(f - trace.f)) > 1e-9:
        raise ValueError("kinetic occupations leave [0, 1] by more than round-off")
    return f


def probe_conductivity(
    trace: KineticTrace, omega: np.ndarray, n_quad: int, breakpoints: tuple = ()
) -> np.ndarray:
    """Mattis-Bardeen sigma/sigma_N of every recorded state at the probe energies.

    Parameters
    ----------
    trace : KineticTrace
    omega : (n_w,) float, meV
        Probe photon energies.
    n_quad : int
        Gauss nodes per integral (per panel).
    breakpoints : tuple of float, meV
        Steps of f(E) (multiples of the injection energy).

    Returns
    -------
    (n_t, n_w) complex
    """
    f = occupations(trace)
    bp = tuple(b for b in breakpoints if b < trace.energy_top)
    return optics.mattis_bardeen_batch(
        omega,
        trace.delta0,
        trace.energy,
        f,
        energy_max=trace.energy_top + 1e-6,
        n_quad=n_quad,
        above=0.0,
        breakpoints=bp,
    )


def nam_gap_function(
    energy: np.ndarray, delta: np.ndarray, z: np.ndarray, delta0: float, energy_max: float
) -> optics.GapFunction:
    """A recorded Eliashberg Delta(E), Z(E) as the Nam form's gap function, up to E_max.

    Beyond the Eliashberg grid's end W the table is continued as the solver treats that
    region (:mod:`photosc.cores.eliashberg`: N = 1, P = 0 beyond W): Delta = 0, and
    E [Z(E) - 1] held at its value at W, i.e. Z(E) = 1 + (Z(W) - 1) W / E -- the normal
    state with the constant phonon-emission rate 2 E Im Z of energies far above the
    phonons (Holstein). Holding the last table values instead (what
    :func:`~photosc.cores.optics.tabulated_gap_function` does beyond its table) would
    keep a spurious gap and a scattering rate growing with E.

    Parameters
    ----------
    energy : (m,) float, meV
        Eliashberg grid (E > 0, increasing).
    delta : (m,) complex, meV
        Delta(E).
    z : (m,) complex
        Z(E).
    delta0 : float, meV
        Gap edge (panel edge of the Nam quadrature).
    energy_max : float, meV
        Upper end of the Nam integral.
    """
    e = np.asarray(energy, dtype=float)
    d = np.asarray(delta, dtype=complex)
    zz = np.asarray(z, dtype=complex)
    w_top = float(e[-1])
    if energy_max > w_top:
        x = np.geomspace(w_top * 1.0001, 1.01 * energy_max, 64)
        e = np.concatenate([e, x])
        d = np.concatenate([d, np.zeros(x.size, dtype=complex)])
        zz = np.concatenate([zz, 1.0 + (zz[-1] - 1.0) * w_top / x])
    return optics.tabulated_gap_function(e, d, zz, edge=max(float(delta0), 0.0))


def nam_cutoff(
    energy_top: float, gap_energy: np.ndarray, energy_max: float | None = None
) -> tuple[float, tuple[float, ...]]:
    """Upper end of the Nam eps integral and its panel edges for a kinetic state.

    Parameters
    ----------
    energy_top : float, meV
        Top of the tabulated occupation (f = 0 beyond, :attr:`KineticTrace.energy_top`).
    gap_energy : (m,) float, meV
        Eliashberg grid; Delta = 0 beyond its end W (:func:`nam_gap_function`).
    energy_max : float, meV, optional
        Requested end; default max(energy_top, W) + 1e-6, beyond which the integrand
        vanishes identically (:func:`probe_conductivity_nam`). Must be >= energy_top.

    Returns
    -------
    energy_max : float, meV
    breakpoints : tuple of float, meV
        0 (the tabulated f is held at f[0] below the first bin, so h(eps) may jump at
        eps = 0) and W if the integral extends beyond it (W < energy_max - 1e-3 meV;
        the step of Delta to 0 becomes a panel edge).
    """
    w_top = float(np.asarray(gap_energy)[-1])
    e_max = max(energy_top, w_top) + 1e-6 if energy_max is None else float(energy_max)
    if not e_max >= energy_top:
        raise ValueError(
            f"energy_max={e_max} meV must reach the top of the kinetic grid "
            f"{energy_top} meV (f is tabulated up to there)"
        )
    return e_max, (0.0, *((w_top,) if w_top < e_max - 1e-3 else ()))


def probe_conductivity_nam(
    trace: KineticTrace,
    omega: np.ndarray,
    scattering_rate: float,
    n_quad: int,
    breakpoints: tuple = (),
    energy_max: float | None = None,
) -> np.ndarray:
    """Nam (Kubo) sigma/sigma_0 of every recorded state with its full Delta(E, t), Z(E, t).

    Paper 001 main text after Eq. 2 ("a Kubo formula [42, 43]"): the Nam form with the
    complex Eliashberg gap function of each delay (:attr:`KineticTrace.gap_delta`), the
    kinetic f(E, t) as the quasi-particle occupation, and Born impurity scattering at
    rate Gamma (:func:`photosc.cores.optics.nam_conductivity`). Normal state:
    sigma_0 Gamma / (Gamma - i w) (Holstein-renormalised by Z), sigma_0 = 1/rho_N.

    Parameters
    ----------
    trace : KineticTrace
        With gap tables (an Eliashberg kinetics, :func:`run_kinetics`).
    omega : (n_w,) float, meV
        Probe photon energies.
    scattering_rate : float, meV
        Impurity scattering rate Gamma = hbar / tau.
    n_quad : int
        Gauss nodes per Nam panel.
    breakpoints : tuple of float, meV
        Steps of f(E) (multiples of the injection energy); E = 0 (the kinetic f below
        the first bin is held at f[0], so h(eps) may jump there) and the end W of the
        Eliashberg table are added (:func:`nam_cutoff`).
    energy_max : float, meV, optional
        Upper end of the eps integral. Default: E_c = max(E_top, W), the larger of the
        top E_top of the kinetic grid (f = 0 beyond) and the end W of the Eliashberg
        table (Delta = 0 beyond, :func:`nam_gap_function`), which is exact: with
        Delta = 0 at eps and eps + w, g = 1 and f = 0 make 1 - g1 g2 - f1 f2 = 0, so
        A_RR = A_AA = 0, and with f = 0 at |eps|, |eps + w| > E_top, h(eps + w) = h(eps),
        so the integrand of :func:`photosc.cores.optics.nam_conductivity` vanishes
        identically outside [-E_c - w, E_c]. W is made a panel edge (Delta jumps
        there from Delta(W) to 0; Pb: -0.39 meV, K3C60: -1.2 meV). A larger value
        changes nothing but the quadrature nodes; a smaller one (the former default
        E_top when E_top < W, as on the coarse test grids) truncates the
        superconducting A_RR term: for Pb at 4 K (E_top = 20 meV, W = 51 meV,
        Gamma = 857 meV) sigma_2 at 1 and 5 meV by 1 % and 7 % (tests).

    Returns
    -------
    (n_t, n_w) complex
        sigma / sigma_0.
    """
    if trace.gap_delta is None or trace.gap_z is None or trace.gap_energy is None:
        raise ValueError("the kinetic trace carries no gap tables (not an Eliashberg run)")
    f = occupations(trace)
    e_max, bp = nam_cutoff(trace.energy_top, trace.gap_energy, energy_max)
    bp = (*bp, *(b for b in breakpoints if b < trace.energy_top))
    w = np.asarray(omega, dtype=float)
    out = np.empty((trace.time.size, w.size), dtype=complex)
    for i in range(trace.time.size):
        gap = nam_gap_function(
            trace.gap_energy, trace.gap_delta[i], trace.gap_z[i], trace.delta0[i], e_max
        )
        occ = optics.tabulated_occupation(trace.energy, f[i], above=0.0)
        out[i] = optics.nam_conductivity(
            w, gap, occ, scattering_rate, energy_max=e_max, n_quad=n_quad, breakpoints=bp
        )
    return out


def equilibrium_index(omega: np.ndarray, rho_n: float, delta0: float, kt: float, eps_inf: float):
    """Index of the unpumped material: Mattis-Bardeen with thermal n(E), n = sqrt(eps).

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies.
    rho_n : float, Ohm nm
        Normal-state resistivity (sigma_N = 1/rho_N).
    delta0 : float, meV
        Equilibrium gap edge (<= 0: normal state, sigma = sigma_N).
    kt : float, meV
        k_B T.
    eps_inf : float
        Background permittivity.

    Returns
    -------
    (n_w,) complex
        n = sqrt(eps_inf + i sigma / (eps_0 omega)) (paper 001 main text).
    """
    if delta0 > 0:
        s = optics.mattis_bardeen(
            omega,
            delta0,
            optics.thermal_occupation(kt),
            energy_max=float(np.max(omega)) + delta0 + 60 * kt,
        )
    else:
        s = np.ones(np.shape(omega), dtype=complex)
    return optics.complex_index(optics.conductivity_si(s, rho_n), omega, eps_inf)


def equilibrium_conductivity(
    form: str,
    omega: np.ndarray,
    table: tuple[np.ndarray, np.ndarray, np.ndarray, float],
    kt: float,
    *,
    scattering_rate: float | None = None,
    energy_max: float = 0.0,
    n_quad: int = 96,
    n_quad_nam: int = 192,
) -> np.ndarray:
    """sigma / sigma_N of a material in thermal equilibrium (a gapped reference state).

    Mattis-Bardeen with the gap edge Delta_0 of ``table`` and thermal n(E); or the Nam
    (Kubo) form with the thermal Eliashberg Delta(E), Z(E) of ``table`` (paper 001 main
    text after Eq. 2, refs. 42-43; :func:`photosc.cores.optics.nam_conductivity`), where
    sigma is relative to sigma_0 = 1/rho_N with the Drude roll-off
    Gamma / (Gamma - i w) in the normal state.

    Parameters
    ----------
    form : {"mattis-bardeen", "nam"}
    omega : (n_w,) float, meV
        Photon energies.
    table : (energy, delta, z, delta0)
        :func:`photosc.pipeline.kinetics.equilibrium_gap_table`: (m,) meV, (m,) complex meV,
        (m,) complex, gap edge in meV (<= 0: normal state).
    kt : float, meV
        k_B T of the table.
    scattering_rate : float, meV
        Impurity rate Gamma of the Nam form (required there).
    energy_max : float, meV
        Lower bound of the Nam eps-integral's upper end (raised to the table's end and to
        max(omega) + 60 k_B T).
    n_quad, n_quad_nam : int
        Gauss nodes per panel of the Mattis-Bardeen and Nam integrals.

    Returns
    -------
    (n_w,) complex
    """
    energy, delta, z, d0 = table
    w = np.asarray(omega, dtype=float)
    occ = optics.thermal_occupation(kt)
    if form == "nam":
        if scattering_rate is None or not scattering_rate > 0:
            raise ValueError(f"the Nam form needs a scattering rate > 0 meV, got {scattering_rate}")
        e_max = max(float(energy[-1]), energy_max, float(w.max()) + 60 * kt)
        gap = nam_gap_function(energy, delta, z, d0, e_max)
        return optics.nam_conductivity(
            w, gap, occ, scattering_rate, energy_max=e_max, n_quad=n_quad_nam
        )
    if form != "mattis-bardeen":
        raise ValueError(f"form must be 'mattis-bardeen' or 'nam', got {form!r}")
    if d0 <= 0:
        return np.ones(w.shape, dtype=complex)
    return optics.mattis_bardeen(
        w, d0, occ, energy_max=float(w.max()) + d0 + 60 * kt, n_quad=n_quad
    )
