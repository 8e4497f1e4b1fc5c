"""Real-axis Eliashberg solver: the self-consistent Delta(omega), Z(omega) for any f, n.

``EliashbergSolver`` iterates the map of :mod:`~photosc.cores.eliashberg.kernels` (with the
cell densities of :mod:`~photosc.cores.eliashberg.densities`) to self-consistency and
carries the linearised problem of :mod:`~photosc.cores.eliashberg.linearized`;
``solve_eliashberg`` and ``critical_temperature`` build one for thermal equilibrium, and
``on_grid`` puts f and n on its grids. Equations: Marsiglio, Schossmann & Carbotte, PRB 37,
4965 (1988); Holcomb, PRB 54, 6648 (1996); paper 001 main text after Eq. 2 and SI Sec. I.

Method
------
* Iteration: Anderson mixing on (Re Delta, Im Delta), the Z of the cell
  interpolation lagged by one step (converged with Delta); failure raises
  :class:`~photosc.errors.ConvergenceError` with the residual.
* Iteration (issue 16): Anderson mixing on (Delta, Z) together (``scheme="joint"``); the
  lagged scheme is kept as ``scheme="delta"``.
* Broadening: a stalled or failed iteration continues in eta (2 eta, 4 eta, then back
  down warm-started; the smallest eta that converges is returned).
* Resolution: the gap edge needs a few grid steps below Delta_0. K3C60 (T_c0 =
  15.0 K on the production grids): Delta_0(14 K) = 1.080 / 1.035 / 1.031 meV at
  steps 1 / 0.5 / 0.25 meV (1.03-1.04 converged); at 0.98 T_c0 max |Delta| = 3.3 meV
  and Delta_0 = 0.52 meV on the 0.5 meV grid (on the 1 meV grid the gap-edge crossing
  is not resolved, Delta_0 = 0, while max |Delta| = 2.3 meV: a gapless-looking state,
  see :func:`order_parameter`). Choose ``step`` <= Delta_0 / 5 for the temperatures
  of interest.
* Accuracy against Matsubara + Pade (:mod:`~photosc.cores.eliashberg.matsubara`,
  mu* = 0, issue 16): the discrete solution as a whole (not only its gap-edge read-out)
  moves with where the edge falls in its cell. K3C60 at 4 K (Delta_0 = 8.789 meV from
  the Matsubara axis): Delta_0 = 8.768 / 8.863 / 8.781 meV at steps 0.51 / 0.25 /
  0.13 meV (W = 5 x the phonons; -0.24 / +0.84 / -0.09 %); cutting the pairing integral
  at W = 5 x adds a bias of ~0.15-0.2 % (Pb at 1 K: 2.0842 against 2.0808 meV at
  W = 10 x, step 0.006 meV; Matsubara 2.0811 meV). For a thermal Delta_0 better than
  ~0.5 % use the Matsubara solver.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.cores.eliashberg.gap_measures import gap_edge
from photosc.cores.eliashberg.linearized import LinearizedPairing
from photosc.errors import ConvergenceError
from photosc.foundation.units import KB


def positive_gauge(
    omega: NDArray[np.float64], delta: NDArray[np.complex128], pair_density: NDArray[np.float64]
) -> tuple[NDArray[np.complex128], NDArray[np.float64]]:
    """The solution (Delta, P) in the gauge with a positive low-energy gap.

    phi -> -phi (Delta -> -Delta, P -> -P, Z and N unchanged) maps a solution of the
    real-axis equations onto another one: the Z2 remnant of the U(1) phase (paper 001 SI
    Eqs. 6-9 are odd in phi). Every physical quantity (N, the products P P' in the
    coherence factors, Delta^2) is the same, but the gap edge (omega = Re Delta(omega))
    and the tabulated gap of the optics assume Re Delta > 0 at low energy. An iteration
    that grows a gap out of a small gapless one (a gap that re-forms after a pump) can
    land on either sign (issue 12: LaH10 at 6.2 mJ/cm^2 on a 1 meV grid read Delta_0 = 0
    for a state with the full equilibrium gap). The sign is fixed by the low-energy
    weight sum_w Re Delta(w) / w.

    Parameters
    ----------
    omega : (n,) float, meV
        Electron energies (> 0).
    delta : (n,) complex, meV
        Gap function.
    pair_density : (n,) float
        Re[Delta / sqrt(omega^2 - Delta^2)], dimensionless.

    Returns
    -------
    delta, pair_density
        Both unchanged, or both with the opposite sign.
    """
    if float(np.sum(delta.real / omega)) < 0.0:
        return -delta, -pair_density
    return delta, pair_density


class EliashbergResult(NamedTuple):
    """Solution of the real-axis Eliashberg equations.

    Attributes
    ----------
    omega : (n,) float, meV
        Electron energies (cell centres).
    delta : (n,) complex, meV
        Gap function Delta(omega) = phi / Z.
    z : (n,) complex
        Renormalisation Z(omega).
    dos : (n,) float
        Quasi-particle DOS Re[omega / sqrt(omega^2 - Delta^2)] (cell averages), normalised
        to 1 in the normal state.
    pair_density : (n,) float
        Re[Delta / sqrt(omega^2 - Delta^2)] (cell averages).
    delta0 : float, meV
        Gap edge: the solution of omega = Re Delta(omega) (0 in the normal state).
    iterations : int
    residual : float
        max |Delta_new - Delta| / max(max |Delta|, 1e-12 meV) at the last iteration.
    eta : float, meV
        Broadening used in the density integrals (see ``EliashbergSolver``).
    """

    omega: NDArray[np.float64]
    delta: NDArray[np.complex128]
    z: NDArray[np.complex128]
    dos: NDArray[np.float64]
    pair_density: NDArray[np.float64]
    delta0: float
    iterations: int
    residual: float
    eta: float = 0.0


def on_grid(x: ArrayLike, y: ArrayLike, grid: ArrayLike, fill: float | None = None):
    """Linear interpolation of samples (x, y) onto ``grid``.

    Outside [x[0], x[-1]] the end values are held, or ``fill`` if given.

    Parameters
    ----------
    x : (m,) float, any unit (e.g. meV)
        Sample abscissae, increasing.
    y : (m,) float, unit of the sampled quantity
        Samples (e.g. a distribution f, dimensionless).
    grid : array_like, unit of ``x``
        Where to evaluate.
    fill : float, optional, unit of ``y``
        Value outside [x[0], x[-1]] (default: hold the end values).

    Returns
    -------
    float array of the shape of ``grid``, unit of ``y``
    """
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    if fill is None:
        return np.interp(grid, x, y)
    return np.interp(grid, x, y, left=fill, right=fill)


class _Anderson:
    """Anderson mixing (type II, Walker & Ni, SIAM J. Numer. Anal. 49, 1715 (2011)) with
    the differences stored as contiguous rows in a ring and their Gram matrix updated
    by one row per step (issue 16: the column layout and the Gram matrix rebuilt at
    every step cost about a third of an iteration at n = 2000).

    x_new = x + mixing g - (dX + mixing dG) gamma, gamma = (dG^T dG + 1e-12 tr I)^-1 dG^T g.
    """

    def __init__(self, size: int, history: int, mixing: float) -> None:
        self.h = history
        self.mixing = mixing
        self.dx = np.zeros((history, size))
        self.dg = np.zeros((history, size))
        self.gram = np.zeros((history, history))
        self.k = 0
        self.x_prev: NDArray[np.float64] | None = None
        self.g_prev: NDArray[np.float64] | None = None

    def restart(self) -> None:
        """Forget the last iterate, keep the stored differences: the next :meth:`step`
        starts a new solve that uses the secant pairs of the previous one (a map that
        moved little since: ``EliashbergSolver.solve(keep=...)``)."""
        self.x_prev = self.g_prev = None

    def step(self, x: NDArray[np.float64], g: NDArray[np.float64]) -> NDArray[np.float64]:
        """Next iterate from the iterate ``x`` and its residual ``g`` = F(x) - x."""
        h = self.h
        if self.x_prev is not None and h > 0:
            col = self.k % h
            np.subtract(x, self.x_prev, out=self.dx[col])
            np.subtract(g, self.g_prev, out=self.dg[col])
            self.k += 1
            m = min(self.k, h)
            row = self.dg[:m] @ self.dg[col]
            self.gram[col, :m] = row
            self.gram[:m, col] = row
        self.x_prev, self.g_prev = x, g
        m = min(self.k, h)
        if m == 0:
            return x + self.mixing * g
        gram = self.gram[:m, :m] + 1e-12 * np.trace(self.gram[:m, :m]) * np.eye(m)
        gamma = np.linalg.solve(gram, self.dg[:m] @ g)
        return x + self.mixing * g - gamma @ self.dx[:m] - self.mixing * (gamma @ self.dg[:m])


class KeptHistory:
    """Anderson secant pairs carried from one solve to the next (the ``keep`` argument of
    :meth:`EliashbergSolver.solve`): one per trajectory of nearby solves, e.g. the gap
    updates of one kinetic run, so that a result never depends on unrelated solves made
    before it."""

    def __init__(self) -> None:
        self._mixer: _Anderson | None = None
        self._key: tuple[int, int, float] | None = None

    def mixer(self, size: int, history: int, mixing: float) -> _Anderson:
        """The kept mixer, restarted for a new solve (a new one if the shape or the
        parameters changed).

        Parameters
        ----------
        size : int
            Length of the iterate (2 n for the lagged scheme: Re and Im of Delta).
        history : int
            Anderson depth.
        mixing : float, dimensionless
            Linear mixing (0 < mixing <= 1).
        """
        key = (size, history, mixing)
        if self._mixer is None or self._key != key:
            self._mixer, self._key = _Anderson(size, history, mixing), key
        self._mixer.restart()
        return self._mixer

    def drop(self) -> None:
        """Forget the pairs (after an iteration that did not converge with them)."""
        self._mixer = None

    def prolonged(self, coarse: ArrayLike, fine: ArrayLike) -> KeptHistory:
        """A new history holding these pairs of the lagged scheme (Re and Im of Delta on
        the grid ``coarse``) interpolated linearly onto the grid ``fine``, with their Gram
        matrix recomputed: secant pairs of a nearby map for the first steps of a solve
        on a finer grid (:func:`~photosc.cores.eliashberg.thermal_gap` from its eta_2 to
        its eta_1 grid: Pb 9 -> 7, LaH10 9 -> 8, K3C60 6 -> 3 evaluations).

        Parameters
        ----------
        coarse : (n_c,) float, meV
            The grid the pairs were made on (increasing; 2 n_c = the pairs' length).
        fine : (n_f,) float, meV
            The grid of the next solve (increasing).

        Returns
        -------
        KeptHistory
            Empty if this one holds no pairs.

        Raises
        ------
        ValueError
            If the pairs are not of length 2 n_c.
        """
        out = KeptHistory()
        m = self._mixer
        if m is None or self._key is None or m.k == 0:
            return out
        wc = np.asarray(coarse, float)
        wf = np.asarray(fine, float)
        nc, nf = wc.size, wf.size
        size, history, mixing = self._key
        if size != 2 * nc:
            raise ValueError(f"the pairs are not on a grid of {nc} points")
        new = _Anderson(2 * nf, history, mixing)
        k = min(m.k, history)
        for r in range(k):
            for src, dst in ((m.dx[r], new.dx[r]), (m.dg[r], new.dg[r])):
                dst[:nf] = np.interp(wf, wc, src[:nc])
                dst[nf:] = np.interp(wf, wc, src[nc:])
        new.gram[:k, :k] = new.dg[:k] @ new.dg[:k].T
        new.k = m.k
        out._mixer, out._key = new, (2 * nf, history, mixing)
        return out


#: Evaluations over which the joint iteration must lower its best residual by 10 %.
_STALL_WINDOW = 40


class EliashbergSolver(LinearizedPairing):
    """Real-axis Migdal-Eliashberg solver with set-up done once (see the package docstring).

    The grid, the kernel tables and the map come from
    :class:`~photosc.cores.eliashberg.kernels.EliashbergKernels`, the linearised problem
    (``normal_z``, ``pairing_eigenvalue``, ``critical_temperature``, ...) from
    :class:`~photosc.cores.eliashberg.linearized.LinearizedPairing`; this class adds the
    self-consistent solve.

    Parameters
    ----------
    spectrum_omega : (n_s,) float, meV
        Phonon energies of alpha^2F (increasing, >= 0).
    a2f : (n_s,) float
        alpha^2F on ``spectrum_omega``.
    mu_star : float
        Coulomb pseudopotential with sharp cutoff ``omega_c`` (>= 0).
    omega_max : float, meV, optional
        Extent W of the real-frequency grid (default: 5 x highest phonon energy).
    step : float, meV, optional
        Grid step h (default: W / 4096, next FFT-friendly size).
    omega_c : float, meV, optional
        Coulomb cutoff (default W; must be <= W).
    kernel_path : {"fused", "reference"}, keyword only
        Implementation of the map: "fused" (default; batched FFTs on the exact 2n
        embedding, compiled Fourier-space products) or "reference" (the code before
        issue 16, one FFT pair per product on the 3n embedding; equal to round-off).

    Attributes
    ----------
    omega : (n,) float, meV
        Electron energies, cell centres (j + 1/2) step.
    phonon_omega : (n_ph,) float, meV
        Phonon energies m step.
    eta : float, meV
        Broadening of the gap edge in the density integrals (:mod:`.densities`),
        step / 8 by default: without it the 1/sqrt gap-edge singularity makes the
        discrete fixed-point problem multi-valued (solutions differing by about one
        grid step) and the iteration unstable; with it the solution is unique and
        Delta_0 is biased by about -0.6 eta (see tests).
    """

    def solve(
        self,
        kT: float | None = None,
        f: ArrayLike | None = None,
        n: ArrayLike | None = None,
        warm_start: EliashbergResult | ArrayLike | float | None = None,
        tol: float = 1e-6,
        max_iter: int = 400,
        mixing: float = 1.0,
        history: int = 8,
        eta: float | None = None,
        scheme: str = "auto",
        keep: KeptHistory | None = None,
    ) -> EliashbergResult:
        """Solve the non-linear equations.

        Parameters
        ----------
        kT : float, meV, optional
            Temperature for thermal f and/or n (whichever is not given).
        f : (n,) float, optional
            Electron distribution on ``self.omega``.
        n : (n_ph,) float, optional
            Phonon occupation on ``self.phonon_omega`` (the value at Omega = 0 is ignored).
        warm_start : EliashbergResult, (n,) complex array or float (meV), optional
            Starting Delta(omega); a float is a constant gap. Default: a BCS-like guess
            from the weak-coupling gap of the linearised problem scale.
        tol : float, dimensionless
            Convergence on max |Delta_new - Delta| / max |Delta| (and the same for Z).
        max_iter : int
            Most map evaluations per broadening tried.
        mixing : float, dimensionless
            Linear mixing in the Anderson scheme (0 < mixing <= 1).
        history : int
            Anderson depth.
        eta : float, meV, optional
            Broadening omega' -> omega' + i eta of the density integrals, used as given
            (no retry). Default: ``self.eta`` (= step / 8), and if that iteration stalls
            or fails, continuation in eta (:meth:`_solve_continued`): 2 eta, then 4 eta
            from the start, and from the first that converges back down to the smallest
            that converges warm-started. The value used is ``result.eta``; its bias on
            Delta_0 is about -0.6 eta.
        scheme : {"auto", "joint", "delta"}
            "delta": Anderson on Delta with Z lagged (the scheme before issue 16; with
            ``eta`` None a failure is retried once at 4 eta, as before: the reference).
            "joint": Anderson mixing on (Delta, Z) together, the map seen whole.
            "auto" (default, issue 16): "delta" first, so that every solve that
            converged before gives the same result bit for bit, but ended early when it
            stalls (:data:`_STALL_WINDOW`); then "joint" at the same eta (it converges
            where the lagged Z stalls, e.g. LaH10 at 100 K on the default grid); then,
            with ``eta`` None, the continuation in eta above.
        keep : KeptHistory, optional
            Start the Anderson mixing with the secant pairs that the previous solve made
            with this ``keep`` left (the lagged scheme at the given or default eta, stall
            detection on; same ``history`` and ``mixing``, else a fresh start). Along a
            trajectory of nearby solves (the kinetics' gap updates) they model the next
            map's Jacobian from the first step: the LaH10 trace of
            ``benchmarks/bench_targets.py`` takes 4.5 evaluations per solve instead of
            9.9. The solution is the same fixed point, to ``tol``. If that iteration
            does not converge, the pairs are dropped and the solve runs as without
            ``keep`` (so it converges wherever it did without).

        Returns
        -------
        EliashbergResult

        Raises
        ------
        ConvergenceError
            When no broadening converges within ``max_iter``, with the last residual.
        """
        if scheme not in ("auto", "joint", "delta"):
            raise ValueError(f"scheme must be 'auto', 'joint' or 'delta', got {scheme!r}")
        ff = self._distributions(f, n, kT)
        z0 = None
        if isinstance(warm_start, EliashbergResult):
            x0 = np.asarray(warm_start.delta, complex)
            if np.shape(warm_start.z) == (self.n,):
                z0 = np.asarray(warm_start.z, complex)
        elif warm_start is None:
            x0 = np.full(self.n, self._guess(), dtype=complex)
        elif np.ndim(warm_start) == 0:
            x0 = np.full(self.n, complex(warm_start))
        else:
            x0 = np.asarray(warm_start, complex)
        if x0.shape != (self.n,):
            raise ValueError(f"warm_start must have shape ({self.n},), got {x0.shape}")
        opts = (tol, max_iter, mixing, history, scheme)
        if eta is not None and not (eta > 0 and math.isfinite(eta)):
            raise ValueError(f"eta must be > 0 meV, got {eta}")
        if keep is not None:
            kept = self._kept_solve(x0, z0, ff, opts, self.eta if eta is None else eta, keep)
            if kept is not None:
                return kept
        if eta is not None:
            return self._iterate(x0, z0, ff, opts, float(eta))
        if scheme == "delta":
            # the pre-issue-16 rule: one retry at 4 eta
            try:
                return self._iterate(x0, z0, ff, opts, self.eta)
            except ConvergenceError:
                return self._iterate(x0, z0, ff, opts, 4.0 * self.eta)
        return self._solve_continued(x0, z0, ff, opts)

    def _kept_solve(self, x0, z0, ff, opts, eta, keep: KeptHistory) -> EliashbergResult | None:
        """The lagged iteration at ``eta`` continuing the Anderson pairs of ``keep``
        (``solve``'s ``keep``); None, and the pairs dropped, if it does not converge."""
        tol, max_iter, mixing, history, _ = opts
        mix = keep.mixer(2 * self.n, history, mixing)
        try:
            with self._broadened(float(eta)):
                return self._iterate_eta(x0, z0, ff, tol, max_iter, mixing, history, True, mix)
        except ConvergenceError:
            keep.drop()
            return None

    @contextmanager
    def _broadened(self, eta: float) -> Iterator[None]:
        """``self.eta`` set to ``eta`` (meV) inside the block, restored after it."""
        eta_saved = self.eta
        self.eta = eta
        try:
            yield
        finally:
            self.eta = eta_saved

    def _solve_continued(self, x0, z0, ff, opts) -> EliashbergResult:
        """eta, else continuation in the broadening (issue 16).

        The gap-edge singularity, sampled on the grid, makes the map stiff near
        omega = Omega_max + Delta_0 (the end of the phonon spectrum seen through the gap
        edge): at eta = step / 8 the iteration can wander at a residual ~1e-4 (Pb at
        2.9 K on the default grid). Larger eta smooths it. Try eta, 2 eta, 4 eta from the
        start; from the first that converges go back down to the smaller ones
        warm-started (a converged neighbour is a far better start than the guess), and
        return the smallest eta that converged.
        """
        ladder = (self.eta, 2.0 * self.eta, 4.0 * self.eta)
        # "auto" tries the lagged scheme only at the first broadening (bit for bit the
        # earlier result where it converges); the others go straight to "joint"
        joint = (*opts[:4], "joint")
        err: ConvergenceError | None = None
        for k, e in enumerate(ladder):
            try:
                res = self._iterate(x0, z0, ff, opts if k == 0 else joint, e)
            except ConvergenceError as exc:
                err = exc
                continue
            for smaller in reversed(ladder[:k]):
                try:
                    res = self._iterate(res.delta, res.z, ff, joint, smaller)
                except ConvergenceError:
                    break
            return res
        assert err is not None
        raise err

    def _iterate(self, x0, z0, ff, opts, eta) -> EliashbergResult:
        """One broadening: the scheme of ``opts`` ("auto": lagged, then joint on a stall)."""
        tol, max_iter, mixing, history, scheme = opts
        with self._broadened(eta):
            if scheme == "joint":
                return self._iterate_joint(x0, z0, ff, tol, max_iter, mixing, history)
            if scheme == "delta":
                return self._iterate_eta(x0, z0, ff, tol, max_iter, mixing, history)
            try:
                return self._iterate_eta(x0, z0, ff, tol, max_iter, mixing, history, True)
            except ConvergenceError:
                return self._iterate_joint(x0, z0, ff, tol, max_iter, mixing, history)

    def _result(self, d, z, nd, pd, it, res) -> EliashbergResult:
        """The converged state in the gauge with a positive low-energy gap."""
        d, pd = positive_gauge(self.omega, d, pd)
        return EliashbergResult(
            self.omega, d, z, nd, pd, gap_edge(self.omega, d), it, res, self.eta
        )

    def _normal_result(self, ff, it) -> EliashbergResult:
        """The normal state (Delta = 0) with the Z_N of ``ff``."""
        d = np.zeros(self.n, complex)
        _, z, nd, pd = self._update(d, ff, self._zn_current(ff))
        return EliashbergResult(self.omega, d, z, nd, pd, 0.0, it, 0.0, self.eta)

    def _iterate_joint(self, x0, z0, ff, tol, max_iter, mixing, history) -> EliashbergResult:
        """Anderson iteration on x = (Re Delta, Im Delta, Re Z, Im Z): the map
        (Delta, Z) -> (Delta', Z') of :meth:`_update` (Z the Z of the cell interpolation)
        seen whole. Converged when max |Delta' - Delta| / max |Delta'| and
        max |Z' - Z| / max |Z'| are both below ``tol`` (the same test as the lagged
        scheme); the state returned is the one at which they were measured.

        A stall (the best residual of the last ``_STALL_WINDOW`` evaluations not 10 %
        below the best before them) ends the iteration early with ConvergenceError, so
        that the continuation in eta does not wait for ``max_iter``.
        """
        n = self.n
        zin = self._zn_current(ff) if z0 is None else np.asarray(z0, complex)
        x = np.concatenate([x0.real, x0.imag, zin.real, zin.imag])
        mix = _Anderson(4 * n, history, mixing)
        res = np.inf
        best: list[float] = []
        for it in range(1, max_iter + 1):
            d = x[:n] + 1j * x[n : 2 * n]
            z = x[2 * n : 3 * n] + 1j * x[3 * n :]
            dnew, znew, nd, pd = self._update(d, ff, z)
            g = np.concatenate([dnew.real, dnew.imag, znew.real, znew.imag])
            g -= x
            amp = float(np.max(np.abs(dnew)))
            res = float(np.max(np.abs(dnew - d))) / max(amp, 1e-12)
            res_z = float(np.max(np.abs(znew - z))) / float(np.max(np.abs(znew)))
            if amp < 1e-9:
                # collapsed onto the normal state (T >= T_c or no attraction)
                return self._normal_result(ff, it)
            if res < tol and res_z < tol:
                return self._result(d, znew, nd, pd, it, res)
            if _stalled(best, max(res, res_z), it):
                raise ConvergenceError("real-axis Eliashberg iteration stalled", res, it)
            x = mix.step(x, g)
        raise ConvergenceError("real-axis Eliashberg iteration did not converge", res, max_iter)

    def _iterate_eta(
        self, x0, z0, ff, tol, max_iter, mixing, history, stall=False, mix=None
    ) -> EliashbergResult:
        """Anderson iteration on Delta; the Z of the cell interpolation (omega Z linear per
        cell) is the previous evaluation's (lagged), and convergence asks for both
        Delta and that Z to be stationary within ``tol`` (``scheme="delta"``, the
        reference). With ``stall`` a stall ends it early, as in :meth:`_iterate_joint`
        (the iterates are unchanged). ``mix``: the Anderson mixer to continue (the kept
        history of ``solve``), default a new one."""
        n = self.n
        zin = self._zn_current(ff) if z0 is None else z0

        def pack(d):
            return np.concatenate([d.real, d.imag])

        def unpack(x):
            return x[:n] + 1j * x[n:]

        x = pack(x0)
        if mix is None:
            mix = _Anderson(2 * n, history, mixing)
        res = np.inf
        best: list[float] = []
        for it in range(1, max_iter + 1):
            d = unpack(x)
            dnew, z, nd, pd = self._update(d, ff, zin)
            g = pack(dnew)
            g -= x
            amp = float(np.max(np.abs(dnew)))
            res = float(np.max(np.abs(g))) / max(amp, 1e-12)
            res_z = float(np.max(np.abs(z - zin))) / float(np.max(np.abs(z)))
            zin = z
            if amp < 1e-9:
                # collapsed onto the normal state (T >= T_c or no attraction)
                return self._normal_result(ff, it)
            if res < tol and res_z < tol:
                # report the state at which the residual was measured, in one gauge
                return self._result(d, z, nd, pd, it, res)
            if stall and _stalled(best, max(res, res_z), it):
                raise ConvergenceError("real-axis Eliashberg iteration stalled", res, it)
            x = mix.step(x, g)
        raise ConvergenceError("real-axis Eliashberg iteration did not converge", res, max_iter)


def _stalled(best: list[float], residual: float, it: int) -> bool:
    """Append the running minimum of the residual to ``best``; True when the last
    ``_STALL_WINDOW`` iterations lowered it by less than 10 % (the iteration stalls)."""
    best.append(residual if not best else min(best[-1], residual))
    w = _STALL_WINDOW
    return it > 2 * w and best[-1] > 0.9 * best[-1 - w]


def solve_eliashberg(
    omega: ArrayLike,
    a2f: ArrayLike,
    temperature: float,
    mu_star: float,
    *,
    omega_max: float | None = None,
    step: float | None = None,
    omega_c: float | None = None,
    **kwargs,
) -> EliashbergResult:
    """Thermal equilibrium solution at ``temperature`` (K) (builds an EliashbergSolver).

    Parameters
    ----------
    omega : (n_s,) float, meV
    a2f : (n_s,) float
    temperature : float, K
    mu_star : float
    omega_max, step, omega_c : float, meV, optional
        Grid extent, step and Coulomb cutoff (see :class:`EliashbergSolver`).
    **kwargs
        Passed to :meth:`EliashbergSolver.solve`.
    """
    solver = EliashbergSolver(omega, a2f, mu_star, omega_max=omega_max, step=step, omega_c=omega_c)
    return solver.solve(kT=KB * temperature, **kwargs)


def critical_temperature(
    omega: ArrayLike,
    a2f: ArrayLike,
    mu_star: float,
    *,
    omega_max: float | None = None,
    step: float | None = None,
    omega_c: float | None = None,
) -> float:
    """T_c in K from the linearised real-axis equations (see EliashbergSolver).

    Parameters
    ----------
    omega : (n_s,) float, meV
        Phonon energies of alpha^2F (increasing, >= 0).
    a2f : (n_s,) float, dimensionless
        alpha^2F on ``omega``.
    mu_star : float, dimensionless
        Coulomb pseudopotential with sharp cutoff ``omega_c`` (>= 0).
    omega_max, step, omega_c : float, meV, optional
        Grid extent, step and Coulomb cutoff (see :class:`EliashbergSolver`).

    Returns
    -------
    float, K
    """
    solver = EliashbergSolver(omega, a2f, mu_star, omega_max=omega_max, step=step, omega_c=omega_c)
    return solver.critical_temperature()
