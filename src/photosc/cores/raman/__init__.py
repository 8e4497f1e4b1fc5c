"""Raman-phonon photo-controlled pairing and its adiabatic free-energy landscape (paper 000).

Paper 000: Chattopadhyay et al., *Metastable photo-induced superconductivity far above
T_c*, npj Quantum Mater. (2025).

Units
-----
The phonon coordinate is measured in units of the oscillator length
l0 = 1/sqrt(M omega) (hbar = 1), ``q = Q / l0``; energies in meV. Then
M omega^2 Q^2 / 2 = omega q^2 / 2, the coupling ``g`` of ``H_int = g Q (c^+d + d^+c)`` is
an energy per l0 (``g = gbar * omega`` with the paper's g l0 / omega = gbar), and
g^2 / (M omega^2) = g^2 / omega in meV. Densities of states ``nu0`` are per spin per site,
1/meV; free energies are per site, meV.

Modules
-------
:mod:`~photosc.cores.raman.pairing`
    The photo-induced attraction U(Q) (Eqs. 3, 17) and its derivative; the extended
    two-band model with Eg and Ag modes (Eqs. 18-23, derived form of Eq. 22) and its
    check by diagonalising the levels.
:mod:`~photosc.cores.raman.gap_table`
    The universal reduced gap-equation table h(delta, t) and its inversion: Delta for
    many couplings at one temperature.
:mod:`~photosc.cores.raman.landscape`
    :class:`RamanModel`; the adiabatic free energy F(q, T) (Eqs. 24-25), its force from
    the envelope theorem, the T = 0 closed form, the direct evaluation (Fig. 2c).
:mod:`~photosc.cores.raman.metastability`
    Critical points of F (numerical, and the corrected Eq. 26), classification (Fig. 2b),
    T_B and the first-order temperature (Methods, "Mean-field metastability").
:mod:`~photosc.cores.raman.langevin`
    BAOAB Langevin dynamics of the coordinate (Eq. 24).

Every public name is importable from this package (``from photosc.cores import raman;
raman.classify``), as from the single module it was before the split.
"""

from __future__ import annotations

from photosc.cores.raman.gap_table import GapTable, gap_from_table, reduced_gap_table
from photosc.cores.raman.landscape import (
    RamanModel,
    gap,
    landscape,
    landscape_direct,
    landscape_force,
    q_range,
    zero_t_energy,
)
from photosc.cores.raman.langevin import LangevinResult, langevin_baoab

# ``X as X``: the result types outside ``__all__``, importable from here as before the split
from photosc.cores.raman.metastability import Classification as Classification
from photosc.cores.raman.metastability import CriticalPoints as CriticalPoints
from photosc.cores.raman.metastability import (
    classify,
    critical_points,
    critical_points_eq26,
    first_order_temperature,
    metastable_temperature,
)
from photosc.cores.raman.pairing import (
    extended_u,
    extended_u_projected,
    pairing_u,
    pairing_u_derivative,
)

__all__ = [
    "GapTable",
    "LangevinResult",
    "RamanModel",
    "classify",
    "critical_points",
    "critical_points_eq26",
    "extended_u",
    "extended_u_projected",
    "first_order_temperature",
    "gap",
    "gap_from_table",
    "landscape",
    "landscape_direct",
    "landscape_force",
    "langevin_baoab",
    "metastable_temperature",
    "pairing_u",
    "pairing_u_derivative",
    "q_range",
    "reduced_gap_table",
    "zero_t_energy",
]
