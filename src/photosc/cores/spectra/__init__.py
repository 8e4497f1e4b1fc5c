"""Eliashberg spectral functions alpha^2F(omega) and phonon densities of states F(omega).

Public API
----------
:class:`Spectrum`
    alpha^2F(omega) (and optionally F(omega)) on a frequency grid in meV, with the
    moments ``lambda_``, ``omega_log``, ``omega2`` and the Allen-Dynes T_c estimate
    :meth:`Spectrum.allen_dynes_tc`.
:class:`MaterialParams`
    The material parameters of paper 001, SI Table 1 (N, rho_N, N(0), T_c,0).
:func:`builtin`
    Built-in spectra by (case-insensitive) name: ``"Pb"``, ``"LaH10"``, ``"K3C60"``,
    ``"CaC6"``, ``"Al"``, ``"Nb"`` (see :mod:`photosc.cores.spectra.library`).
:func:`k3c60`
    The K3C60 builder with an adjustable upper edge ``omega_max`` of the
    intermolecular continuum (paper 000's Omega_max).
:func:`allen_dynes_tc`
    Allen-Dynes formula from the moments (Allen & Dynes, PRB 12, 905 (1975), Eq. 34).

Files are not read here (the cores take arrays): the readers for the files the codes
write (Quantum ESPRESSO, EPW, multi-column text) are
:func:`photosc.inputs.spectrum_files.read_spectrum`, which returns a :class:`Spectrum`.

Definitions (frequencies omega in meV throughout):

* lambda = 2 int_0^inf alpha^2F(omega) / omega d omega,
* omega_log = exp[(2 / lambda) int_0^inf ln(omega) alpha^2F(omega) / omega d omega],
* omega2 = sqrt(<omega^2>), <omega^2> = (2 / lambda) int_0^inf omega alpha^2F(omega) d omega.

Integrals use the trapezoidal rule on the spectrum's own grid, with a point at
omega = 0 treated by its limit (alpha^2F / omega -> 0 for an alpha^2F that vanishes
at least linearly).
"""

from __future__ import annotations

from photosc.cores.spectra.library import builtin, builtin_names, k3c60
from photosc.cores.spectra.spectrum import MaterialParams, Spectrum, allen_dynes_tc

__all__ = [
    "MaterialParams",
    "Spectrum",
    "allen_dynes_tc",
    "builtin",
    "builtin_names",
    "k3c60",
]
