"""Photo-induced interband pairing in a resonantly driven semiconductor (paper 002).

Porta, Privitera, Traverso Ziani, Sassetti, Cavaliere, Trauzettel, *Feasible model
for photo-induced interband pairing*. Two bands ``E_1 = A_1 k^2 - E_g/2`` and
``E_2 = A_2 k^2 + E_g/2`` (Eq. B1) on a 1D radial grid ``|k| <= delta_k`` (step 2e-3,
Sec. II B), a laser ``Omega cos(nu t) sigma^x`` at resonance ``nu = E_g`` in the
rotating-wave approximation (drive ``Omega / 2`` on ``c^dagger_2 c_1``), intraband
acoustic phonons (Eqs. 3, 5-7, B2) and radiative recombination (Eqs. 8, 10), and the
self-consistent interband gap ``Delta^* = (V/N) sum_k s^21_k`` (Eq. B3 with
``N -> 2 pi / dk``). Units: E_g = 1, hbar = 1, lattice constant 1; energies in
E_g, times in 1/E_g, momenta in 1/a.

What is implemented (derivations in :mod:`photosc.cores.bands`):

* Equations of motion derived from the Lindbladian (App. A is garbled); the
  bilinear phonon and radiative jump operators are Wick-factorised, which is
  exact at Gaussian states and otherwise an approximation whose error is
  measured in ``tests/cores/bands/test_exact_lindblad.py``.
* Rates: Eq. 5 with its "+ h.c." gives Lindblad rates ``2 Gamma^ph`` (per
  electron, T = 0, constant as the paper assumes, App. B) and ``2 Gamma^rr``; App.
  A7/A9 carry this factor 2 for phonons and A11's coefficient matches it for
  radiative recombination, while A8 prints ``Gamma^rr`` (a factor 2 lower).
* Energy-conserving phonon transitions ``p -> -p + sign(p) v / A_alpha`` mapped onto
  the grid by a linear split between the two bracketing points; both ends lie
  in the box, so the particle number is conserved exactly; absorption with
  ``n_B`` at the grid energy difference (exact detailed balance). Phonon form
  ``band_diagonal`` (Eq. 7, default) or ``cross`` (App. A), see
  :func:`photosc.cores.bands.acoustic_phonons_1d`.
* Pairing sign: paper 002's printed ``H_int`` (Eq. 2) is ``-Delta sum c^dagger_{k2}
  c^dagger_{-k1} + h.c.`` with ``Delta^* = (V/N) sum s^21``. That is the mean field of
  ``-(V/N) sum c^dagger_2 c^dagger_1 c_1 c_2``, i.e. *attractive* in the pair channel for
  V > 0, whereas a repulsive interband density-density interaction gives
  ``+V`` (paper 003 Eq. 4). ``pairing_convention = "paper"`` (default) follows the
  printed equations; ``"repulsive"`` uses the mean field of the repulsive
  interaction. The tests show that only the former pairs.
* Comparison with the printed App. A (for the forms derived here; tests in
  ``tests/cores/bands/test_dissipators.py``):

  - phonons, band-diagonal (Eq. 7): populations obey A7/A9's Boltzmann terms
    ``2 Gamma [n_{p-q} (1 - n_p) - n_p (1 - n_{p+q})]``; A9's interband cross terms
    ``Re(n^21 n^12)`` and ``Re(s s^*)`` appear only in the ``cross`` form, and A12's
    pair *transfer* terms (``n^11_{-p} s^21_{p-q}``) appear in neither: one jump
    operator moves one electron of a pair, so a (k, -k) pair amplitude is only
    damped, at ``gamma (1 - n_target) / 2`` per partner;
  - radiative, ``L = c^dagger_{k1} c_{k2}`` with rate gamma: ``dn^11 = gamma n^22 (1 - n^11)``
    (A8 prints Gamma^rr), ``dn^21 = -(gamma/2) n^21`` exactly (A11 prints
    ``-Gamma^rr n^21 (1 - n^11 + n^22)``), and ``ds^21_k = -(gamma/2)(1 - n^11_k +
    n^22_{-k}) s^21_k`` for k != 0 (zero at k = 0): the pair amplitude *does*
    depend on Gamma^rr, contrary to the remark after A12;
  - the ``cross`` form moves band-2 electrons along band-1 channels (and vice
    versa), which do not conserve energy: detailed balance fails and a Fermi
    distribution is not stationary (tested) -- one more reason for the default.
* "Steady" is checked: the end of the time integration is refined by Newton's
  method in the frame co-rotating with the gap phase, and the Jacobian
  eigenvalues (symmetry zero modes removed) decide stability; a run whose
  ``|Delta|(t)`` still oscillates or bursts says so (``behaviour``).
"""

from __future__ import annotations

from photosc.models._base import ModelSpec
from photosc.models.interband_pairing.parameters import (
    BdgParams,
    InterbandNumerics,
    InterbandParams,
    PhaseParams,
    SteadyParams,
    TransientParams,
)
from photosc.models.interband_pairing.scenarios import (
    PAIRED_LEVEL,
    bdg_populations,
    plot_bdg,
    plot_phase_diagram,
    plot_steady,
    plot_transient,
    run_bdg,
    run_phase_point,
    run_steady,
    run_transient,
    summarize_phase_diagram,
)
from photosc.models.interband_pairing.solve import (  # noqa: F401 (private names the tests use)
    _build,
    _UnpairedTrail,
    solve_point,
    time_to_fraction,
)

__all__ = [
    "MODELS",
    "PAIRED_LEVEL",
    "BdgParams",
    "InterbandNumerics",
    "InterbandParams",
    "PhaseParams",
    "SteadyParams",
    "TransientParams",
    "bdg_populations",
    "plot_bdg",
    "plot_phase_diagram",
    "plot_steady",
    "plot_transient",
    "run_bdg",
    "run_phase_point",
    "run_steady",
    "run_transient",
    "solve_point",
    "summarize_phase_diagram",
    "time_to_fraction",
]

MODELS = [
    ModelSpec(
        name="interband-steady-state",
        paper="002",
        description="Driven two-band semiconductor with phonons and radiative recombination: "
        "steady populations, n21, s21 and |Delta|(t) (Figs. 3, 6, 7)",
        params=SteadyParams,
        numerics=InterbandNumerics,
        run=run_steady,
        plot=plot_steady,
    ),
    ModelSpec(
        name="interband-transient",
        paper="002",
        description="|Delta|(t) for several radiative-recombination rates (Fig. 4)",
        params=TransientParams,
        numerics=InterbandNumerics,
        run=run_transient,
        plot=plot_transient,
    ),
    ModelSpec(
        name="interband-phase-diagram",
        paper="002",
        description="Steady |Delta| at one (Omega, V); swept over rabi x interaction (Fig. 2)",
        params=PhaseParams,
        numerics=InterbandNumerics,
        run=run_phase_point,
        summarize_sweep=summarize_phase_diagram,
        plot_sweep=plot_phase_diagram,
    ),
    ModelSpec(
        name="interband-bdg",
        paper="002",
        description="Effective BdG populations (Eq. 12) beside the driven-dissipative ones "
        "(Fig. 3)",
        params=BdgParams,
        numerics=InterbandNumerics,
        run=run_bdg,
        plot=plot_bdg,
    ),
]
