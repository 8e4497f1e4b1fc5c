"""Optics core: conductivity of a (non-equilibrium) superconductor, films, pump-probe signals.

Modules
-------
``occupations``          quasi-particle occupations n(E): thermal, tabulated (the kinetic
                         grid's f(E, t)), row tables of many states.
``mattis_bardeen_forms`` Mattis-Bardeen (dirty BCS limit) with a non-thermal n(E):
                         ``mattis_bardeen`` (any n(E) callable) and
                         ``mattis_bardeen_batch`` (many tabulated states, e.g. every
                         time step of a kinetic run: compiled quadrature, cost ~ probe
                         energies); closed T = 0 forms, low-frequency sigma_2, the
                         Ferrell-Glover-Tinkham sum rule.
``mattis_bardeen_fft``   ``mattis_bardeen_grid``: the same forms for states on the
                         kinetic grid by FFT correlations, all probe energies at once,
                         exact for the table's kinks.
``nam``                  Nam/Kubo conductivity (paper 001 refs. 42-43) with a complex
                         Delta(eps), Z(eps) (``GapFunction``: BCS or an Eliashberg
                         table), impurity scattering and a non-thermal n(E); Drude.
``quadrature``           Gauss-Legendre panels, table look-up and argument checks shared
                         by the three conductivity modules.
``films``                dielectric function, complex index, penetration depth (paper
                         001 SI Eq. 14), one film (SI Eqs. 10-13) and stacks
                         (transfer-matrix recursion), Tinkham's thin-film transmittance.
``signals``              dR/R and dT/T (paper 001 Eq. 3), Gaussian probe convolution,
                         the substrate-reheating tail (SI II.1).
``reference``            slow quad-based Mattis-Bardeen, for tests and benchmarks.

Units: energies and photon energies meV, lengths nm, times ps, conductivity S/m (or
normalised), resistivity Ohm nm.

A pump-probe trace from a kinetic run (f on the kinetic grid ``E``, gap ``delta_t``)::

    from photosc.cores import optics

    s = optics.mattis_bardeen_batch(w_probe, delta_t, E, f_t, energy_max=E[-1],
                                    breakpoints=[k * w_pump for k in (1, 2)])  # (n_t, n_w)
    # or, with an Eliashberg gap per step: optics.nam_conductivity(w_probe,
    #     optics.tabulated_gap_function(omega, delta, z), optics.tabulated_occupation(E, f),
    #     gamma, energy_max=...)
    sigma = optics.conductivity_si(s, rho_n)[..., None]              # (n_t, n_w, 1) S/m
    tr = optics.film_trace(sigma, w_probe, [thickness], n_substrate=n_sub)  # reference = t[0]
    signal = -tr.d_t_over_t[:, 0]                                        # -dT/T0 (Eq. 3)
    signal = optics.reheating_tail(t, signal)                            # Pb only (SI II.1)
    signal = optics.gaussian_probe_convolution(t, signal, fwhm=200.0)    # probe (SI II.2)

The absorbed fraction at the pump frequency, ``optics.stack(...).absorptance``, and its
depth profile in a sliced film, ``optics.layer_absorptance(...)``, feed the pump's
energy matching (paper 001 main text after Eq. 3).
"""

from __future__ import annotations

from photosc.cores.optics.films import (
    FilmResponse,
    complex_index,
    conductivity_si,
    dielectric_function,
    layer_absorptance,
    penetration_depth,
    single_film,
    stack,
    thin_film_transmittance,
)
from photosc.cores.optics.mattis_bardeen_fft import mattis_bardeen_grid
from photosc.cores.optics.mattis_bardeen_forms import (
    fgt_sum_rule_ratio,
    mattis_bardeen,
    mattis_bardeen_batch,
    mattis_bardeen_sigma2_low_frequency,
    mattis_bardeen_zero_temperature,
)
from photosc.cores.optics.nam import (
    GapFunction,
    bcs_gap_function,
    drude,
    nam_conductivity,
    tabulated_gap_function,
)
from photosc.cores.optics.occupations import tabulated_occupation, thermal_occupation
from photosc.cores.optics.signals import (
    FilmTrace,
    differential,
    film_trace,
    gaussian_probe_convolution,
    reheating_tail,
)

__all__ = [
    "FilmResponse",
    "FilmTrace",
    "GapFunction",
    "bcs_gap_function",
    "complex_index",
    "conductivity_si",
    "dielectric_function",
    "differential",
    "drude",
    "fgt_sum_rule_ratio",
    "film_trace",
    "gaussian_probe_convolution",
    "layer_absorptance",
    "mattis_bardeen",
    "mattis_bardeen_batch",
    "mattis_bardeen_grid",
    "mattis_bardeen_sigma2_low_frequency",
    "mattis_bardeen_zero_temperature",
    "nam_conductivity",
    "penetration_depth",
    "reheating_tail",
    "single_film",
    "stack",
    "tabulated_gap_function",
    "tabulated_occupation",
    "thermal_occupation",
    "thin_film_transmittance",
]
