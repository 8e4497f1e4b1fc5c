r"""Collision integrals of Bogoliubov quasi-particles with bosonic baths, as FFT correlations.

Equations (paper 001 SI Eqs. 4-5, written from Chang & Scalapino, PRB 15, 2651 (1977),
Eqs. 4-5, and Kaplan et al., PRB 14, 4854 (1976); the converted SI text is garbled --
duplicated LaTeX and a misprinted M2 -- see papers/README.md). For one bath with
coupling g(Omega) (alpha^2F or J), occupation n(Omega), quasi-particle distribution f(E),
density of states rho(E) and pair density p(E) (:mod:`.coherence`):

.. code-block:: text

    df(E)/dt = -(2 pi / hbar z) int_0^inf dOmega g(Omega) {
        [rho(E+W) + s_s q(E) p(E+W)] [f(E)(1-f(E+W)) n - f(E+W)(1-f(E)) (n+1)]    absorption
      + [rho(E-W) + s_s q(E) p(E-W)] [f(E)(1-f(E-W)) (n+1) - f(E-W)(1-f(E)) n]    emission
      + [rho(W-E) + s_p q(E) p(W-E)] [f(E) f(W-E) (n+1) - (1-f(E))(1-f(W-E)) n] } pair

    dn(W)/dt = -(2 pi / hbar) (g(W) / D(W)) {
        int_0^inf dE [rho rho' + s_s p p'](E, E+W) [f(E)(1-f(E+W)) n - f(E+W)(1-f(E))(n+1)]
      + 1/2 int_0^W dE [rho rho' + s_p p p'](E, W-E) [(1-f)(1-f') n - f f' (n+1)] }

with W = Omega, q(E) = p(E)/rho(E), rho(E)[rho(E') + s q(E) p(E')] = rho rho' + s p p'
(BCS: rho rho' (1 + s Delta^2/(E E'))), (s_s, s_p) = (-1, +1) for density coupling
(phonons: CS's 1 -/+ Delta^2/EE') and (+1, -1) for current coupling (paper 004 Eqs. 12-13),
D(W) = D_b / (4 N(0)) the relative boson mode density (:mod:`.baths`) and z the
renormalisation Z_1(0) of Chang-Scalapino / Kaplan (z = 1 is paper 001's printed form;
the quasi-particle states then carry the weight z so that energy is conserved).
Paper 001's M1/2 = |u u' - v v'|^2, M2/2 = |u v' + v u'|^2 after the xi-average give the
density-coupling factors above; the printed M2 (|v u' + u u'|^2) is a misprint.

In the gain/loss form ``df_i/dt = (1 - f_i) gain_i - f_i loss_i`` every term is a sum
``sum_j a_j b_{i +/- j}`` (scattering) or ``sum_k a_{i+k+1} b_k`` (pair processes) of a
boson array (g n or g (n+1)) with a quasi-particle array (rho f, rho (1-f), p f,
p (1-f)), times 1 or q_i: correlations and convolutions on the uniform grid, done with
real FFTs, O(N log N) instead of O(N^2). ``collisions_direct`` is the double-loop
reference (Numba) used by the tests and the benchmark.

The per-step evaluation (issue 16) is fused: one batched forward real FFT (rho f, p f and
the channel arrays that changed), one batched inverse FFT of every quasi-particle and
boson row, the Fourier-space products and the rate assembly in compiled loops. What does
not change between calls is transformed once: the spectra of rho and p (until a gap
update), hence rho (1 - f) and p (1 - f) as their differences with rho f and p f, and
the arrays of reservoir baths. The absorption correlation of a dynamic bath is the
complex conjugate of its emission correlation, i.e. its negative lags, so one row gives
both. ``CollisionOperator(fused=False)`` keeps the plain NumPy path, the reference the
fused path is tested against (agreement <= 1e-12 of the largest rate; measured ~1e-15
for quasi-particle rates, ~5e-14 for boson rates, the FFT round-off of either path).

Bins with rho = 0 (inside the gap) have no states; their f does not change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numba
import numpy as np
from numpy.typing import NDArray
from scipy import fft as sfft

from photosc.cores.kinetics.coherence import Coherence
from photosc.cores.kinetics.grid import KineticGrid, check_grid
from photosc.foundation.units import HBAR

#: Coupling types of a bath or drive: how the boson couples to the electrons.
COHERENCE_TYPES = ("density", "current")


def coherence_signs(coherence: str) -> tuple[float, float]:
    """(s_scattering, s_pair) of a coupling: the coherence weight is rho rho' + s p p'.

    ``"density"`` (phonons, a scalar potential: Chang-Scalapino's 1 -/+ Delta^2/EE')
    gives (-1, +1); ``"current"`` (photons, a vector potential: paper 004 Eqs. 12-13)
    gives (+1, -1). The one place this convention is written.
    """
    if coherence == "density":
        return -1.0, 1.0
    if coherence == "current":
        return 1.0, -1.0
    raise ValueError(f"coherence={coherence!r}, allowed: {', '.join(map(repr, COHERENCE_TYPES))}")


class Channel(NamedTuple):
    """One coupling channel: a bath (or a classical drive) as seen by the collision code.

    Attributes
    ----------
    gn : (n_boson,) float
        g(Omega_j) n(Omega_j) (absorption / pair-breaking weight); index 0 must be 0.
    gn1 : (n_boson,) float
        g(Omega_j) (n(Omega_j) + 1) (emission / recombination weight). For a classical
        drive gn1 = gn (stimulated processes only).
    s_scat : float
        +1 or -1: sign of p p' in the scattering coherence weight.
    s_pair : float
        +1 or -1: sign of p p' in the pair-process coherence weight.
    boson_factor : (n_boson,) float or None
        g / D for a dynamic bath (its dn/dt is returned); None otherwise.
    pair : bool
        Include the pair processes (recombination, pair breaking); False keeps only
        scattering (paper 001's printed pump term).
    """

    gn: NDArray[np.float64]
    gn1: NDArray[np.float64]
    s_scat: float
    s_pair: float
    boson_factor: NDArray[np.float64] | None = None
    pair: bool = True


class Collisions(NamedTuple):
    """Collision rates for a state.

    Attributes
    ----------
    gain : (n_qp,) float, 1/ps
        In-rate coefficient: df/dt = (1 - f) gain - f loss.
    loss : (n_qp,) float, 1/ps
        Out-rate coefficient (the inverse out-scattering lifetime of Kaplan et al.).
    boson_gain : list of (n_boson,) float or None, 1/ps
        Per channel: dn/dt = boson_gain (n + 1) - boson_loss n (None for channels
        without ``boson_factor``).
    boson_loss : list of (n_boson,) float or None, 1/ps
    """

    gain: NDArray[np.float64]
    loss: NDArray[np.float64]
    boson_gain: list[NDArray[np.float64] | None]
    boson_loss: list[NDArray[np.float64] | None]

    def df_dt(self, f: NDArray[np.float64]) -> NDArray[np.float64]:
        """(n_qp,) float, 1/ps: (1 - f) gain - f loss."""
        return (1.0 - f) * self.gain - f * self.loss


class ProcessRates(NamedTuple):
    """Rates split by process (all 1/ps; quasi-particle arrays (n_qp,), boson (n_boson,)).

    Quasi-particle coefficients (df/dt contributions: (1 - f) * in - f * out):
    ``scattering_in``, ``scattering_out``, ``recombination_out``, ``pair_breaking_in``.
    Boson coefficients per channel (dn/dt = gain (n + 1) - loss n; None if not dynamic):
    ``boson_scattering_gain``, ``boson_scattering_loss``, ``boson_pair_gain``
    (recombination), ``boson_pair_loss`` (pair breaking).
    """

    scattering_in: NDArray[np.float64]
    scattering_out: NDArray[np.float64]
    recombination_out: NDArray[np.float64]
    pair_breaking_in: NDArray[np.float64]
    boson_scattering_gain: list[NDArray[np.float64] | None]
    boson_scattering_loss: list[NDArray[np.float64] | None]
    boson_pair_gain: list[NDArray[np.float64] | None]
    boson_pair_loss: list[NDArray[np.float64] | None]


class CollisionOperator:
    """FFT evaluation of the collision integrals on a :class:`KineticGrid`.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid.
    z : float
        Renormalisation Z_1(0) >= 1 dividing the quasi-particle rates (1: paper 001).
    fused : bool
        True (default): :meth:`evaluate` takes the fused path -- one batched forward and
        one batched inverse real FFT per call, the Fourier-space products and the
        rate assembly in compiled loops, the spectra of rho and p cached until the
        coherence changes (a gap update), the spectra of unchanged channel arrays (a
        reservoir bath) cached, rho (1 - f) and p (1 - f) taken as the spectra of rho
        and p minus those of rho f and p f, and the absorption rates of a dynamic bath
        read off the negative lags of its emission correlation. False: the plain NumPy
        path (one FFT row per array, the reference the fused path is tested against).
        Both agree to round-off (<= 1e-12 of the largest rate).
    """

    def __init__(self, grid: KineticGrid, z: float = 1.0, fused: bool = True) -> None:
        check_grid(grid)
        if not (np.isfinite(z) and z > 0):
            raise ValueError(f"renormalisation z must be > 0, got z={z}")
        self.grid = grid
        self.z = float(z)
        self.fused = bool(fused)
        #: per-coherence cache of the fused path (see _coherence_spectra)
        self._coh: _CoherenceSpectra | None = None
        #: per-channel-row cache of the fused path: (channel-list signature, channel, row)
        #: -> (copy of the array, its spectrum); keyed by the signature so that the
        #: solver's alternating channel lists (step, pump power, exchange) do not evict
        #: each other's entries
        self._rows: dict[tuple[tuple, int, int], tuple[NDArray, NDArray]] = {}
        #: channel-list signature -> _Layout (fused path)
        self._layouts: dict[tuple, _Layout] = {}
        m, nb = grid.n_qp, grid.n_boson
        self.length = sfft.next_fast_len(max(2 * m, m + nb) + 1, real=True)
        k = np.arange(self.length // 2 + 1)
        self._up = np.exp(2j * np.pi * k / self.length)  # x[n + 1]
        self._down = np.conj(self._up)  # x[n - 1]
        #: prefactor of the quasi-particle rates, 1/ps
        self.c_qp = 2.0 * np.pi * grid.step / (HBAR * self.z)
        #: prefactor of the boson rates (times g / D), 1/ps
        self.c_boson = 2.0 * np.pi * grid.step / HBAR

    # -- helpers ---------------------------------------------------------------------
    def _spectra(self, f: NDArray[np.float64], coh: Coherence, channels: Sequence[Channel]):
        """q and the spectra of (rho f, rho (1-f), p f, p (1-f)) and of every channel's
        (g n, g (n+1)), in one batched real FFT."""
        rho = np.asarray(coh.rho, dtype=float)
        p = np.asarray(coh.p, dtype=float)
        f = np.asarray(f, dtype=float)
        if f.shape != rho.shape:
            raise ValueError(f"f must have shape {rho.shape}, got {f.shape}")
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(rho > 0, p / np.where(rho > 0, rho, 1.0), 0.0)
        m, nb = self.grid.n_qp, self.grid.n_boson
        stack = np.zeros((4 + 2 * len(channels), max(m, nb)))
        stack[0, :m] = rho * f
        stack[1, :m] = rho * (1.0 - f)
        stack[2, :m] = p * f
        stack[3, :m] = p * (1.0 - f)
        for c, ch in enumerate(channels):
            stack[4 + 2 * c, :nb] = ch.gn
            stack[5 + 2 * c, :nb] = ch.gn1
        spec = sfft.rfft(stack, self.length, axis=-1)
        return q, spec[:4], spec[4:]

    def _qp_pieces(self, channels: Sequence[Channel], specs, bspecs) -> NDArray:
        """Fourier-space pieces of the quasi-particle rates: rows (in-1, in-q, out-1, out-q)
        for processes (scattering, pair) as a (4, 2, nk) array."""
        Rf, R1, Pf, P1 = specs
        nk = self.length // 2 + 1
        out = np.zeros((4, 2, nk), complex)
        cRf, cPf, cR1, cP1 = np.conj(Rf), np.conj(Pf), np.conj(R1), np.conj(P1)
        for c, ch in enumerate(channels):
            GN, GN1 = bspecs[2 * c], bspecs[2 * c + 1]
            cGN, cGN1 = np.conj(GN), np.conj(GN1)
            s_s, s_p = ch.s_scat, ch.s_pair
            # scattering in: from above C[gn1, Rf] + from below V[gn, Rf]
            t_in = cGN1 + GN
            out[0, 0] += t_in * Rf
            out[1, 0] += s_s * t_in * Pf
            # scattering out: absorption C[gn, R1] + emission V[gn1, R1]
            t_out = cGN + GN1
            out[2, 0] += t_out * R1
            out[3, 0] += s_s * t_out * P1
            if not ch.pair:
                continue
            # pair breaking in: P[gn, R1]_i = irfft(GN conj(R1))[i + 1]
            up_gn = self._up * GN
            out[0, 1] += up_gn * cR1
            out[1, 1] += s_p * up_gn * cP1
            # recombination out: P[gn1, Rf]
            up_gn1 = self._up * GN1
            out[2, 1] += up_gn1 * cRf
            out[3, 1] += s_p * up_gn1 * cPf
        return out

    def _boson(self, ch: Channel, specs) -> tuple:
        """(scat_gain, scat_loss, pair_gain, pair_loss) for a dynamic channel, 1/ps."""
        Rf, R1, Pf, P1 = specs
        nb = self.grid.n_boson
        fac = self.c_boson * np.asarray(ch.boson_factor, dtype=float)
        s_s, s_p = ch.s_scat, ch.s_pair
        hat = np.empty((4, R1.size), complex)
        # emission (E + W -> E): gain; absorption of W by E (E -> E + W): loss
        hat[0] = np.conj(R1) * Rf + s_s * np.conj(P1) * Pf
        hat[1] = np.conj(Rf) * R1 + s_s * np.conj(Pf) * P1
        # pair processes: sum_{i + k = j - 1}, with the 1/2 of SI Eq. 5
        pair = 0.5 if ch.pair else 0.0
        hat[2] = pair * self._down * (Rf * Rf + s_p * Pf * Pf)
        hat[3] = pair * self._down * (R1 * R1 + s_p * P1 * P1)
        vals = sfft.irfft(hat, self.length, axis=-1)[:, :nb]
        return tuple(fac * np.maximum(v, 0.0) for v in vals)

    # -- public ------------------------------------------------------------------------
    def evaluate(
        self, f: NDArray[np.float64], coh: Coherence, channels: Sequence[Channel]
    ) -> Collisions:
        """Gain and loss coefficients of all channels together.

        Parameters
        ----------
        f : (n_qp,) float, dimensionless
            Quasi-particle distribution, 0 <= f <= 1.
        coh : Coherence
            rho and p on the grid (dimensionless).
        channels : sequence of Channel
            The baths and drives.

        Returns
        -------
        Collisions, 1/ps
            On the fused path (default) the returned arrays are new on every call;
            the operator keeps copies of rho, p and of the channel arrays it cached,
            so changing the inputs afterwards (even in place) is seen by the next call.

        Raises
        ------
        ValueError
            If f, rho, p or a channel array does not have the grid's shape.
        """
        if self.fused:
            return self._evaluate_fused(f, coh, channels)
        return self._evaluate_numpy(f, coh, channels)

    def _evaluate_numpy(
        self, f: NDArray[np.float64], coh: Coherence, channels: Sequence[Channel]
    ) -> Collisions:
        """:meth:`evaluate` on the plain NumPy path (``fused=False``)."""
        m = self.grid.n_qp
        q, specs, bspecs = self._spectra(f, coh, channels)
        pc = self._qp_pieces(channels, specs, bspecs)
        parts = sfft.irfft(pc.sum(axis=1), self.length, axis=-1)[:, :m]
        gain = parts[0] + q * parts[1]
        loss = parts[2] + q * parts[3]
        # every summand is >= 0; negative values are FFT round-off only
        has = np.asarray(coh.rho) > 0
        gain = np.where(has, self.c_qp * np.maximum(gain, 0.0), 0.0)
        loss = np.where(has, self.c_qp * np.maximum(loss, 0.0), 0.0)
        bg: list = []
        bl: list = []
        for ch in channels:
            if ch.boson_factor is None:
                bg.append(None)
                bl.append(None)
                continue
            gs, ls, gp, lp = self._boson(ch, specs)
            bg.append(gs + gp)
            bl.append(ls + lp)
        return Collisions(gain, loss, bg, bl)

    # -- fused path ----------------------------------------------------------------------
    def _coherence_spectra(self, coh: Coherence) -> _CoherenceSpectra:
        """q, the has-states mask and the spectra of rho and p, cached until they change."""
        rho = np.ascontiguousarray(coh.rho, dtype=float)
        p = np.ascontiguousarray(coh.p, dtype=float)
        m = self.grid.n_qp
        if rho.shape != (m,) or p.shape != (m,):
            raise ValueError(
                f"coherence arrays must have shape ({m},), got rho {rho.shape}, p {p.shape}"
            )
        c = self._coh
        if c is not None and _same(rho, c.rho) and _same(p, c.p):
            return c
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(rho > 0, p / np.where(rho > 0, rho, 1.0), 0.0)
        hats = sfft.rfft(np.stack([rho, p]), self.length, axis=-1)
        c = _CoherenceSpectra(rho.copy(), p.copy(), q, rho > 0, hats[0], hats[1], bool(p.any()))
        self._coh = c
        return c

    def _layout(self, channels: Sequence[Channel]) -> _Layout:
        """The sign and process arrays of a channel list, cached by its signature."""
        sig = tuple(
            (float(ch.s_scat), float(ch.s_pair), bool(ch.pair), ch.boson_factor is not None)
            for ch in channels
        )
        lay = self._layouts.get(sig)
        if lay is not None:
            return lay
        # dynamic channels: one set of boson rows per distinct (s_scat, s_pair, pair)
        keys: list[tuple[float, float, bool]] = []
        slot: dict[int, int] = {}
        for c, (s_s, s_p, pair, dynamic) in enumerate(sig):
            if dynamic:
                if (s_s, s_p, pair) not in keys:
                    keys.append((s_s, s_p, pair))
                slot[c] = keys.index((s_s, s_p, pair))
        lay = _Layout(
            sig,
            np.array([x[0] for x in sig], dtype=float),
            np.array([x[1] for x in sig], dtype=float),
            np.array([x[2] for x in sig], dtype=np.bool_),
            np.array([k[0] for k in keys], dtype=float),
            np.array([k[1] for k in keys], dtype=float),
            np.array([0.5 if k[2] else 0.0 for k in keys], dtype=float),
            slot,
        )
        self._layouts[sig] = lay
        return lay

    def _evaluate_fused(
        self, f: NDArray[np.float64], coh: Coherence, channels: Sequence[Channel]
    ) -> Collisions:
        """:meth:`evaluate` on the fused path (``fused=True``; see the class notes)."""
        cs = self._coherence_spectra(coh)
        f = np.ascontiguousarray(f, dtype=float)
        if f.shape != cs.rho.shape:
            raise ValueError(f"f must have shape {cs.rho.shape}, got {f.shape}")
        nb, length = self.grid.n_boson, self.length
        nk = length // 2 + 1
        n_ch = len(channels)
        # rows of the channel spectra: index[0 / 1, c] is the row of g n / g (n + 1) of
        # channel c in `rows` (-1: an all-zero array, no row)
        index = np.full((2, n_ch), -1, dtype=np.int64)
        rows: list = []
        todo: list[tuple[int, tuple[tuple, int, int], NDArray[np.float64]]] = []
        layout = self._layout(channels)
        for c, ch in enumerate(channels):
            gn = np.ascontiguousarray(ch.gn, dtype=float)
            gn1 = np.ascontiguousarray(ch.gn1, dtype=float)
            if gn.shape != (nb,) or gn1.shape != (nb,):
                raise ValueError(
                    f"channel {c}: gn and gn1 must have shape ({nb},), got {gn.shape}, {gn1.shape}"
                )
            for which, arr in ((0, gn), (1, gn1)):
                if which == 1 and (arr is gn or _same(arr, gn)):
                    index[1, c] = index[0, c]  # a classical drive: gn1 = gn
                    continue
                if _all_zero(arr):
                    continue
                index[which, c] = len(rows)
                hit = self._rows.get((layout.sig, c, which))
                if hit is not None and _same(hit[0], arr):
                    rows.append(hit[1])
                else:
                    rows.append(None)
                    todo.append((len(rows) - 1, (layout.sig, c, which), arr))
        # one forward transform: rho f, p f (if p != 0) and the changed channel arrays
        with_p = cs.with_p
        n_qp_rows = 2 if with_p else 1
        stack = np.zeros((n_qp_rows + len(todo), length))
        _fill_products(stack, cs.rho, cs.p, f, with_p)
        for i, (_, _, arr) in enumerate(todo):
            stack[n_qp_rows + i, :nb] = arr
        spec = sfft.rfft(stack, axis=-1)
        if len(self._rows) > _ROW_CACHE_SIZE:
            self._rows.clear()
        for i, (r, key, arr) in enumerate(todo):
            rows[r] = spec[n_qp_rows + i]
            self._rows[key] = (arr.copy(), rows[r])
        bspec = np.array(rows) if rows else np.zeros((0, nk), complex)
        n_qp_hat = 4 if with_p else 2
        hat = np.empty((n_qp_hat + 3 * layout.b_scat.size, nk), complex)
        _fourier_products(
            spec[0],
            spec[1] if with_p else spec[0],
            cs.rho_hat,
            cs.p_hat,
            bspec,
            index,
            layout.s_scat,
            layout.s_pair,
            layout.pair,
            self._up,
            self._down,
            with_p,
            layout.b_scat,
            layout.b_pair,
            layout.b_weight,
            hat,
        )
        # one inverse transform of every quasi-particle and boson row
        vals = sfft.irfft(hat, length, axis=-1)
        gain = np.empty(self.grid.n_qp)
        loss = np.empty(self.grid.n_qp)
        _qp_rates(vals, cs.q, cs.has, self.c_qp, with_p, gain, loss)
        bg: list = []
        bl: list = []
        for c, ch in enumerate(channels):
            if ch.boson_factor is None:
                bg.append(None)
                bl.append(None)
                continue
            g_b = np.empty(nb)
            l_b = np.empty(nb)
            factor = np.ascontiguousarray(ch.boson_factor, dtype=float)
            _boson_rates(
                vals, n_qp_hat + 3 * layout.slot[c], factor, self.c_boson, length, g_b, l_b
            )
            bg.append(g_b)
            bl.append(l_b)
        return Collisions(gain, loss, bg, bl)

    def processes(
        self, f: NDArray[np.float64], coh: Coherence, channels: Sequence[Channel]
    ) -> ProcessRates:
        """Rates split by process (scattering, recombination, pair breaking).

        Same arguments as :meth:`evaluate`; returns :class:`ProcessRates`.

        Parameters
        ----------
        f : (n_qp,) float, dimensionless
            Quasi-particle distribution, 0 <= f <= 1.
        coh : Coherence
            rho and p on the grid (dimensionless).
        channels : sequence of Channel
            The baths and drives.

        Returns
        -------
        ProcessRates, 1/ps
        """
        m = self.grid.n_qp
        q, specs, bspecs = self._spectra(f, coh, channels)
        pc = self._qp_pieces(channels, specs, bspecs)
        parts = sfft.irfft(pc, self.length, axis=-1)[..., :m]  # (4, 2, m)
        has = np.asarray(coh.rho) > 0
        out = {}
        for key, row, proc in (("sin", 0, 0), ("sout", 2, 0), ("pin", 0, 1), ("rout", 2, 1)):
            val = parts[row, proc] + q * parts[row + 1, proc]
            out[key] = np.where(has, self.c_qp * np.maximum(val, 0.0), 0.0)
        lists: list[list] = [[], [], [], []]
        for ch in channels:
            vals = (None,) * 4 if ch.boson_factor is None else self._boson(ch, specs)
            for acc, v in zip(lists, vals):
                acc.append(v)
        return ProcessRates(out["sin"], out["sout"], out["rout"], out["pin"], *lists)


#: entries of the fused path's channel-spectrum cache before it is cleared
_ROW_CACHE_SIZE = 64


class _Layout(NamedTuple):
    """Per-channel signs and per-boson-key weights of a channel list (fused path)."""

    sig: tuple  # per channel (s_scat, s_pair, pair, dynamic): the cache key
    s_scat: NDArray[np.float64]  # (n_ch,)
    s_pair: NDArray[np.float64]  # (n_ch,)
    pair: NDArray[np.bool_]  # (n_ch,)
    b_scat: NDArray[np.float64]  # (n_keys,) s_scat of each distinct dynamic key
    b_pair: NDArray[np.float64]  # (n_keys,) s_pair
    b_weight: NDArray[np.float64]  # (n_keys,) 1/2 of SI Eq. 5 (0 without pair processes)
    slot: dict[int, int]  # dynamic channel -> its key


class _CoherenceSpectra(NamedTuple):
    """What the fused path keeps of a coherence between gap updates (all on the grid)."""

    rho: NDArray[np.float64]  # copy of rho, the cache key
    p: NDArray[np.float64]  # copy of p, the cache key
    q: NDArray[np.float64]  # p / rho (0 where rho = 0)
    has: NDArray[np.bool_]  # rho > 0
    rho_hat: NDArray[np.complex128]  # rfft of rho, padded to the operator's length
    p_hat: NDArray[np.complex128]  # rfft of p
    with_p: bool  # p has a nonzero entry


@numba.njit(cache=True)
def _same(a, b):  # pragma: no cover - jit
    """True if the 1-D float arrays a and b hold the same values (shapes must match)."""
    if a.shape[0] != b.shape[0]:
        return False
    for i in range(a.shape[0]):
        if a[i] != b[i]:
            return False
    return True


@numba.njit(cache=True)
def _all_zero(a):  # pragma: no cover - jit
    for i in range(a.shape[0]):
        if a[i] != 0.0:
            return False
    return True


@numba.njit(cache=True)
def _fill_products(stack, rho, p, f, with_p):  # pragma: no cover - jit
    """Rows 0 and 1 of ``stack``: rho f and (if with_p) p f."""
    for i in range(f.shape[0]):
        stack[0, i] = rho[i] * f[i]
        if with_p:
            stack[1, i] = p[i] * f[i]


@numba.njit(cache=True)
def _fourier_products(
    rf, pf, rho_hat, p_hat, bspec, index, s_scat, s_pair, pair, up, down, with_p,
    b_scat, b_pair, b_weight, out,
):  # pragma: no cover - jit  # fmt: skip
    """Every Fourier-space product of :meth:`CollisionOperator._evaluate_fused`.

    Rows of ``out``: quasi-particle (in-1, out-1[, in-q, out-q]) summed over channels
    and processes as in ``_qp_pieces``; then per boson sign key b three rows (the
    emission correlation, whose negative lags are the absorption; recombination;
    pair breaking) as in ``_boson``. R1 = rho_hat - Rf, P1 = p_hat - Pf.
    """
    nk = rf.shape[0]
    n_ch = index.shape[1]
    nq = 4 if with_p else 2
    zero = 0j
    for k in range(nk):
        a_rf = rf[k]
        a_r1 = rho_hat[k] - a_rf
        a_pf = zero
        a_p1 = zero
        if with_p:
            a_pf = pf[k]
            a_p1 = p_hat[k] - a_pf
        t_in = zero
        s_in = zero
        u_in = zero
        su_in = zero
        u_out = zero
        su_out = zero
        for c in range(n_ch):
            i0 = index[0, c]
            i1 = index[1, c]
            gn = bspec[i0, k] if i0 >= 0 else zero
            gn1 = bspec[i1, k] if i1 >= 0 else zero
            t = np.conj(gn1) + gn
            t_in += t
            s_in += s_scat[c] * t
            if pair[c]:
                u_in += gn
                su_in += s_pair[c] * gn
                u_out += gn1
                su_out += s_pair[c] * gn1
        uk = up[k]
        out[0, k] = t_in * a_rf + uk * u_in * np.conj(a_r1)
        out[1, k] = np.conj(t_in) * a_r1 + uk * u_out * np.conj(a_rf)
        if with_p:
            out[2, k] = s_in * a_pf + uk * su_in * np.conj(a_p1)
            out[3, k] = np.conj(s_in) * a_p1 + uk * su_out * np.conj(a_pf)
        dk = down[k]
        for b in range(b_scat.shape[0]):
            r = nq + 3 * b
            out[r, k] = np.conj(a_r1) * a_rf + b_scat[b] * np.conj(a_p1) * a_pf
            w = b_weight[b] * dk
            out[r + 1, k] = w * (a_rf * a_rf + b_pair[b] * a_pf * a_pf)
            out[r + 2, k] = w * (a_r1 * a_r1 + b_pair[b] * a_p1 * a_p1)


@numba.njit(cache=True)
def _qp_rates(vals, q, has, c_qp, with_p, gain, loss):  # pragma: no cover - jit
    """gain, loss = c_qp max(in-1 + q in-q, 0), c_qp max(out-1 + q out-q, 0) where rho > 0."""
    for i in range(gain.shape[0]):
        if not has[i]:
            gain[i] = 0.0
            loss[i] = 0.0
            continue
        g = vals[0, i]
        lo = vals[1, i]
        if with_p:
            g = g + q[i] * vals[2, i]
            lo = lo + q[i] * vals[3, i]
        gain[i] = c_qp * max(g, 0.0)
        loss[i] = c_qp * max(lo, 0.0)


@numba.njit(cache=True)
def _boson_rates(vals, r, factor, c_boson, length, gain, loss):  # pragma: no cover - jit
    """Boson gain/loss of a dynamic channel from its rows r, r + 1, r + 2 of ``vals``."""
    for j in range(gain.shape[0]):
        fac = c_boson * factor[j]
        g_s = fac * max(vals[r, j], 0.0)
        l_s = fac * max(vals[r, (length - j) % length], 0.0)
        g_p = fac * max(vals[r + 1, j], 0.0)
        l_p = fac * max(vals[r + 2, j], 0.0)
        gain[j] = g_s + g_p
        loss[j] = l_s + l_p


@numba.njit(cache=True)
def _direct_kernel(f, rho, p, gn, gn1, s_s, s_p, factor, dynamic, pair):  # pragma: no cover - jit
    m = f.shape[0]
    nb = gn.shape[0]
    gain = np.zeros(m)
    loss = np.zeros(m)
    bgain = np.zeros(nb)
    bloss = np.zeros(nb)
    for i in range(m):
        if rho[i] <= 0.0:
            continue
        qi = p[i] / rho[i]
        for k in range(m):
            if rho[k] <= 0.0:
                continue
            if k != i:
                j = abs(k - i)
                if j < nb:
                    w = rho[k] + s_s * qi * p[k]
                    if k > i:  # absorption to k / emission from k
                        loss[i] += gn[j] * w * (1.0 - f[k])
                        gain[i] += gn1[j] * w * f[k]
                    else:  # emission to k / absorption from k
                        loss[i] += gn1[j] * w * (1.0 - f[k])
                        gain[i] += gn[j] * w * f[k]
                    if dynamic and k > i:
                        ww = rho[i] * rho[k] + s_s * p[i] * p[k]
                        bloss[j] += factor[j] * ww * f[i] * (1.0 - f[k])
                        bgain[j] += factor[j] * ww * f[k] * (1.0 - f[i])
            j = i + k + 1
            if pair and j < nb:
                w = rho[k] + s_p * qi * p[k]
                loss[i] += gn1[j] * w * f[k]
                gain[i] += gn[j] * w * (1.0 - f[k])
                if dynamic:
                    ww = 0.5 * (rho[i] * rho[k] + s_p * p[i] * p[k])
                    bloss[j] += factor[j] * ww * (1.0 - f[i]) * (1.0 - f[k])
                    bgain[j] += factor[j] * ww * f[i] * f[k]
    return gain, loss, bgain, bloss


def collisions_direct(
    grid: KineticGrid,
    f: NDArray[np.float64],
    coh: Coherence,
    channels: Sequence[Channel],
    z: float = 1.0,
) -> Collisions:
    """Reference: the same collision integrals as an explicit double loop (Numba).

    Independent of the FFT bookkeeping (index shifts, padding); O(n_qp^2). Arguments
    as :meth:`CollisionOperator.evaluate`.

    Parameters
    ----------
    grid : KineticGrid
        The kinetic grid (step in meV).
    f : (n_qp,) float, dimensionless
        Quasi-particle distribution, 0 <= f <= 1.
    coh : Coherence
        rho and p on the grid (dimensionless).
    channels : sequence of Channel
        The baths and drives.
    z : float, dimensionless
        Renormalisation Z_1(0) dividing the quasi-particle rates (1: paper 001).

    Returns
    -------
    Collisions, 1/ps
    """
    check_grid(grid)
    c_qp = 2.0 * np.pi * grid.step / (HBAR * z)
    c_b = 2.0 * np.pi * grid.step / HBAR
    f = np.ascontiguousarray(f, dtype=float)
    rho = np.ascontiguousarray(coh.rho, dtype=float)
    p = np.ascontiguousarray(coh.p, dtype=float)
    gain = np.zeros(grid.n_qp)
    loss = np.zeros(grid.n_qp)
    bg: list = []
    bl: list = []
    for ch in channels:
        dyn = ch.boson_factor is not None
        fac = np.ascontiguousarray(ch.boson_factor if dyn else np.zeros(grid.n_boson), dtype=float)
        g, lo, bgn, bls = _direct_kernel(
            f,
            rho,
            p,
            np.ascontiguousarray(ch.gn, dtype=float),
            np.ascontiguousarray(ch.gn1, dtype=float),
            float(ch.s_scat),
            float(ch.s_pair),
            fac,
            dyn,
            bool(ch.pair),
        )
        gain += g
        loss += lo
        bg.append(c_b * bgn if dyn else None)
        bl.append(c_b * bls if dyn else None)
    return Collisions(c_qp * gain, c_qp * loss, bg, bl)
