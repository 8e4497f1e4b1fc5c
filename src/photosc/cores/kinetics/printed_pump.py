"""Paper 001's printed optical pump term, as a drive of the kinetic solver.

Paper 001 (Simon et al., arXiv:2603.18182), main text after Eq. 2, read literally for
quasi-particle energies E, E' > 0: only absorption, E' -> E' + w, with the
current-coupling coherence factor (rho rho' + p p'); no emission, no pair breaking.
It conserves the quasi-particle number and deposits w per transition. The core's
classical-field drive (:class:`~photosc.cores.kinetics.pump.Drive` as a collision
channel) instead has absorption and stimulated emission with equal rates plus pair
breaking / stimulated recombination when omega_pump > 2 Delta.

:func:`printed_pump_rates` gives the gain and loss coefficients of that term;
:class:`PrintedPumpSolver` is the kinetic solver whose drives act through it.
Units: energies meV (per 4 N(0) inside the kinetics), times ps, rates 1/ps.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from photosc.cores.kinetics.coherence import Coherence
from photosc.cores.kinetics.grid import KineticGrid
from photosc.cores.kinetics.pump import Drive, envelope
from photosc.cores.kinetics.solver import KineticSolver


def _shifted(x: NDArray[np.float64], j: int) -> NDArray[np.float64]:
    """y[i] = x[i + j] (j may be negative), 0 outside the array."""
    y = np.zeros_like(x)
    if j >= 0:
        if j < x.size:
            y[: x.size - j] = x[j:]
    elif -j < x.size:
        y[-j:] = x[: x.size + j]
    return y


def printed_pump_rates(
    grid: KineticGrid, f: NDArray[np.float64], coh: Coherence, drives, t: float, unit: bool = False
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gain and loss coefficients of paper 001's printed pump term, 1/ps.

    Paper 001, main text after Eq. 2, read for quasi-particle energies E, E' > 0::

        I_pump(E) = Gamma S(t) { [1 - f(E)] f(E - w) [rho(E - w) + q(E) p(E - w)]
                               - f(E) [1 - f(E + w)] [rho(E + w) + q(E) p(E + w)] }

    (q = p / rho; per state at E, rho(E) [rho(E') + q p(E')] = rho rho' + p p' is the
    current-coupling scattering factor M^2 of the classical drive, as in the core).
    Written as df/dt = (1 - f) gain - f loss. w is split linearly over the two nearest
    boson-grid energies as in :meth:`Drive.weights`.

    Parameters
    ----------
    grid : KineticGrid
    f : (n_qp,) float
    coh : Coherence
    drives : sequence of Drive
        Omega, Gamma (1/ps), tau and t0 (ps) are used; their ``coherence`` selects the
        sign of p p' (+1 current, -1 density).
    t : float, ps
    unit : bool
        True: Gamma S = 1 for every drive (the power per unit Gamma).

    Returns
    -------
    gain, loss : (n_qp,) float, 1/ps
    """
    rho = np.asarray(coh.rho, dtype=float)
    p = np.asarray(coh.p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(rho > 0, p / np.where(rho > 0, rho, 1.0), 0.0)
    gain = np.zeros(grid.n_qp)
    loss = np.zeros(grid.n_qp)
    rf, pf, r1, p1 = rho * f, p * f, rho * (1.0 - f), p * (1.0 - f)
    for d in drives:
        amp = 1.0 if unit else d.gamma * float(envelope(t, d.tau, d.t0))
        if amp == 0.0:
            continue
        s = 1.0 if d.coherence == "current" else -1.0
        w = d.weights(grid) * grid.step  # sums to 1
        for j in np.nonzero(w)[0]:
            a = amp * w[j]
            gain += a * (_shifted(rf, -j) + s * q * _shifted(pf, -j))
            loss += a * (_shifted(r1, j) + s * q * _shifted(p1, j))
    # bins inside the gap hold no states: their f does not change (as in the core)
    empty = rho <= 0
    gain[empty] = 0.0
    loss[empty] = 0.0
    return gain, loss


class PrintedPumpSolver(KineticSolver):
    """:class:`KineticSolver` whose drives act through paper 001's printed pump term.

    The drives are not collision channels here; :func:`printed_pump_rates` adds their
    gain and loss to the quasi-particle equation. Everything else (baths, escape,
    adaptive ETD2, gap updates, energy bookkeeping, :meth:`calibrate_drive`) is the
    core's.
    """

    def channels(self, t: float, n_list) -> list:
        """Collision channels of the baths only (the drives enter through ``_split``).

        Parameters
        ----------
        t : float, ps
            Time.
        n_list : sequence of (n_boson,) float, dimensionless
            Occupations of the dynamic baths, in the order of ``self.dynamic``.

        Returns
        -------
        list of Channel
            The core's channels (:meth:`KineticSolver.channels`) less the drives,
            which it appends after the baths.
        """
        return super().channels(t, n_list)[: len(self.baths)]

    def _split(self, t: float, f, ns, coh) -> tuple:
        a_f, lam_f, a_n, lam_n = super()._split(t, f, ns, coh)
        gain, loss = printed_pump_rates(self.grid, f, coh, self.drives, t)
        return a_f + gain, lam_f + gain + loss, a_n, lam_n

    def _power(self, f, coh, gain, loss) -> float:
        dfdt = (1.0 - f) * gain - f * loss
        return self.z * self.grid.step * float(np.sum(coh.rho * self.grid.energy * dfdt))

    def pump_power(self, drive: Drive, state=None) -> float:
        """Deposition rate per 4 N(0) of ``drive`` at S = 1, Gamma = 1/ps, meV^2/ps.

        Parameters
        ----------
        drive : Drive
            The drive (its Gamma and envelope are replaced by 1).
        state : KineticState, optional
            The state (default: the solver's current state).

        Returns
        -------
        float, meV^2/ps
        """
        st = self.state if state is None else state
        gain, loss = printed_pump_rates(self.grid, st.f, st.coherence, [drive], st.t, unit=True)
        return self._power(st.f, st.coherence, gain, loss)

    def drive_power(self, state=None) -> float:
        """Deposition rate per 4 N(0) of all drives at the state's time, meV^2/ps."""
        st = self.state if state is None else state
        gain, loss = printed_pump_rates(self.grid, st.f, st.coherence, self.drives, st.t)
        return self._power(st.f, st.coherence, gain, loss)
