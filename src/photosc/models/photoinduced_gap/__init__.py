r"""Photo-induced gap above T_c from an optical pump: kinetics + real-axis Eliashberg (paper 001).

Paper 001 (Simon et al., arXiv:2603.18182), Figs. 3-4, SI Figs. 8-11, SI Table 1: the
Chang-Scalapino kinetic equations for the quasi-particle distribution f(E, t) and the
phonon occupation n(Omega, t) (main-text Eqs. 1-2, SI Eqs. 4-5) with the optical pump
term (main text after Eq. 2), solved self-consistently with the real-frequency
Migdal-Eliashberg equations (SI Eqs. 6-9) at every time step (adiabatic gap, SI
approximation (i)). The paper reports a photo-induced gap Delta_0(t) > 0 above
T_c0 in K3C60 (170 meV pump, T_c0 = 15 K) and CaC6 (57 meV pump, T_c0 = 11 K).

This module composes the cores:

* :mod:`photosc.cores.kinetics` -- grid, dynamic phonon bath from alpha^2F and F with the
  SI Table 1 material data (N(0), ion density N), phonon escape tau_esc (SI Eq. 5), the
  pump :class:`~photosc.cores.kinetics.pump.Drive` with the Gaussian envelope
  S(t) = exp[-4 ln 2 (t / tau_pump)^2], the adaptive ETDRK4 integrator, the pump
  calibration (Gamma_pump fixed by matching the deposited energy density to
  E_abs = F_0 (1 - R - T) / d; paper 001 text before Fig. 3);
* :mod:`photosc.cores.eliashberg` -- the real-axis solver with the non-thermal f and n,
  on the same step as the kinetic grid and up to the spectrum's Coulomb cutoff
  ``mu_star_cutoff`` (so that the documented mu* gives T_c0 of SI Table 1).

The package (each module one scenario-level piece; the material-free physics is in the
cores):

* :mod:`.params` -- declared parameters and the resolved :class:`Material`;
* :mod:`.simulate` -- one pump run (:func:`simulate`) and its :class:`PumpRun` record;
* :mod:`.output` -- dataset attributes and the kinetics diagnostics of issue 12;
* :mod:`.transient`, :mod:`.fluence`, :mod:`.distributions`, :mod:`.gap_map` -- the four
  models below, each its run, summary and figures.

Two choices of this model, in the cores since issue 15:

1. :class:`SeededEliashbergGap`. Delta = 0 is a fixed point of the Eliashberg map, so a
   solve warm-started in the normal state can never find the Cooper instability of a
   non-thermal state above T_c -- exactly the photo-induced case. It is the core's
   :class:`~photosc.cores.kinetics.gap.EliashbergGap` with an explicit trial gap
   (``gap_seed``) and, while the state stays normal, the (then exactly normal: N = 1,
   P = 0) solve skipped until f, n have changed by ``normal_check_tol`` since the last
   seeded solve -- each seeded solve costs a full Eliashberg iteration, and in a pumped
   normal state nearly every step triggers one.
2. ``pump_form``. The core's default drive is the classical-field form: absorption *and*
   stimulated emission with equal rates plus pair breaking / stimulated recombination
   when omega_pump > 2 Delta (net upward rate ~ f(E) - f(E + w), which is what makes the
   paper's saturation criterion f(Delta_0) < f(w + Delta_0) meaningful). ``"printed"``
   instead uses paper 001's printed term literally for quasi-particle energies
   E, E' > 0: only absorption, E' -> E' + w, with the current-coupling coherence factor
   (rho rho' + p p'); no emission, no pair breaking (the core's
   ``Drive(form="paper")``, :mod:`photosc.cores.kinetics.pump`). It
   conserves the quasi-particle number and deposits w per transition. It is the
   default: it reproduces the discontinuities of f at n omega_pump of Fig. 4a and SI
   Fig. 10, and below T_c it transiently *raises* the gap (the paper's mechanism;
   tests/models/test_photoinduced_gap.py), while the classical drive only heats.

Units: energies meV, times ps, temperatures K, fluence mJ/cm^2, lengths nm. Inside the
kinetics energies are per 4 N(0); the outputs here are physical (meV/nm^3, 1/nm^3).

Models (scenarios in ``photosc/scenarios``):

``photoinduced-gap``
    Delta_0(t) for several ``temperatures`` at one pump (Fig. 3a K3C60, Fig. 3b CaC6).
``photoinduced-gap-fluence``
    max Delta_0 versus fluence for (temperature, pump energy) cases (SI Fig. 8).
``nonthermal-distributions``
    f(E, t), n(Omega, t) and Re Delta(omega, t) at one temperature (Fig. 4, SI Figs. 9-11).
``photoinduced-gap-map``
    one point of a pump-energy x fluence map (a sweep scenario); ``summarize_sweep``
    gives the best (omega_pump, F_0) and its Delta_0.
"""

from __future__ import annotations

from photosc.models._base import ModelSpec
from photosc.models.photoinduced_gap.distributions import (
    plot_distributions,
    run_distributions,
    step_at,
)
from photosc.models.photoinduced_gap.fluence import plot_fluence, run_fluence, saturation_fluence
from photosc.models.photoinduced_gap.gap_map import (
    plot_map,
    plot_map_point,
    run_map_point,
    summarize_map,
)
from photosc.models.photoinduced_gap.output import kinetic_diagnostics
from photosc.models.photoinduced_gap.params import (
    DistributionParams,
    FluenceParams,
    GapTransientParams,
    MapParams,
    Material,
    PumpNumerics,
    PumpParams,
    _check_material,
    resolve_material,
)
from photosc.models.photoinduced_gap.simulate import (
    LOOSE_TOL,
    PAIRING_SPLIT_MEV,
    PumpRun,
    SeededEliashbergGap,
    equilibrium_tc,
    gap_lifetime,
    make_eliashberg,
    pairing_parts,
    simulate,
)
from photosc.models.photoinduced_gap.transient import plot_transient, run_transient

__all__ = [
    "LOOSE_TOL",
    "MODELS",
    "PAIRING_SPLIT_MEV",
    "DistributionParams",
    "FluenceParams",
    "GapTransientParams",
    "MapParams",
    "Material",
    "PumpNumerics",
    "PumpParams",
    "PumpRun",
    "SeededEliashbergGap",
    "equilibrium_tc",
    "gap_lifetime",
    "kinetic_diagnostics",
    "make_eliashberg",
    "pairing_parts",
    "plot_distributions",
    "plot_fluence",
    "plot_map",
    "plot_map_point",
    "plot_transient",
    "resolve_material",
    "run_distributions",
    "run_fluence",
    "run_map_point",
    "run_transient",
    "saturation_fluence",
    "simulate",
    "step_at",
    "summarize_map",
]

MODELS = [
    ModelSpec(
        name="photoinduced-gap",
        paper="001",
        description="Delta_0(t) after an optical pump at several temperatures: kinetics with "
        "a real-axis Eliashberg gap at every step (paper 001 Fig. 3)",
        params=GapTransientParams,
        numerics=PumpNumerics,
        check=_check_material,
        run=run_transient,
        plot=plot_transient,
    ),
    ModelSpec(
        name="photoinduced-gap-fluence",
        paper="001",
        description="max photo-induced Delta_0 versus fluence per (T, pump energy) case "
        "(paper 001 SI Fig. 8)",
        params=FluenceParams,
        numerics=PumpNumerics,
        check=_check_material,
        run=run_fluence,
        plot=plot_fluence,
    ),
    ModelSpec(
        name="nonthermal-distributions",
        paper="001",
        description="non-thermal f(E, t), n(Omega, t) and Re Delta(omega, t) after a pump "
        "(paper 001 Fig. 4, SI Figs. 9-11)",
        params=DistributionParams,
        numerics=PumpNumerics,
        check=_check_material,
        run=run_distributions,
        plot=plot_distributions,
    ),
    ModelSpec(
        name="photoinduced-gap-map",
        paper="001",
        description="one point of the pump-energy x fluence map of the photo-induced gap; "
        "sweep summary: the best (omega_pump, F_0)",
        params=MapParams,
        numerics=PumpNumerics,
        check=_check_material,
        run=run_map_point,
        plot=plot_map_point,
        summarize_sweep=summarize_map,
        plot_sweep=plot_map,
    ),
]
