"""Mean-field equations of motion of the one-body correlators, vectorised over k.

Hamiltonian (rotating frame, hbar = 1) in global-matrix form::

    H = sum_k c^dagger_k h_k c_k + 1/2 sum_k (c^dagger_k D_k (c^dagger_{-k})^T + h.c.),

``h_k`` from :meth:`BandSystem.hamiltonian`, pairing ``D_k^{21} = Delta_k``,
``D_k^{12} = -Delta_{-k}`` (so ``D_{-k} = -D_k^T``), i.e.
``H_pair = sum_k (Delta_k c^dagger_{k2} c^dagger_{-k1} + h.c.)``.

Derivation (Heisenberg, ``d<O>/dt = i <[H, O]>``; for ``O = c^dagger_a c_b`` use
``[c^dagger_i c_j, c^dagger_a c_b] = delta_ja c^dagger_i c_b - delta_ib c^dagger_a c_j``,
for ``O = c^dagger_a c^dagger_b`` use ``[c_j c_i, c^dagger_a c^dagger_b]`` expanded with
anticommutators), with ``C_ab = <c^dagger_a c_b>``, ``F_ab = <c^dagger_a c^dagger_b>``::

    dC/dt = i (h^T C - C h^T) + i (F D - D^* F^*)
    dF/dt = i (h^T F + F h)   + i (D^* - D^* C^T - C D^*)

Per momentum (``n_k = C`` block at k, ``s_k^{ab} = F_{(ka),(-kb)}``)::

    dn_k/dt = i (h_k^T n_k - n_k h_k^T) + i (s_k D_{-k} - D_k^* s_{-k}^*)
    ds_k/dt = i (h_k^T s_k + s_k h_{-k}) + i (D_k^* - D_k^* n_{-k}^T - n_k D_k^*)

which gives, e.g., paper 002 Eq. A12's coherent part
``ds^21_p/dt = i (e1_{-p} + e2_p) s^21_p + i Delta_002^* (n^22_p + n^11_{-p} - 1)
+ i (omega_p^* s^11_p ... )`` with ``Delta_k = -Delta_002`` (see :class:`GapCoupling`).
The drive couples ``s^21`` to the intraband pair amplitudes ``s^11, s^22``,
which stay zero when the drive and bands are even in k (paper 002) but not
for a valley-selective drive (paper 003).

The gap is self-consistent at every instant (paper 002 Eq. B3, paper 003 Eq. 8).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from photosc.cores.bands._kernels import (
    bilinear_kernel,
    coherent_kernel,
    pack_kernel,
    pairing_kernel,
    single_rhs_kernel,
    unpack_kernel,
)
from photosc.cores.bands.dissipators import BilinearJumps, Dissipator
from photosc.cores.bands.system import BandSystem, Packing, State

#: Colourings of structured Jacobians, by :meth:`MeanFieldEOM._structure_key` (a few).
_COLOURINGS: dict[str, tuple] = {}

__all__ = ["FixedGap", "GapCoupling", "MeanFieldEOM", "coherent_rhs", "pairing_matrix"]


@dataclass(frozen=True)
class GapCoupling:
    """Self-consistent interband gap ``Delta_k`` from the anomalous correlators.

    ``Delta_k = sum_g' V[g(k), g'] sum_{k' in g'} w_k' conj(s^21_k')``
    (paper 003 Eq. 8 with ``<c_{-k'1} c_{k'2}> = conj(s^21_k')``; with one group
    and ``w = 1/N`` it is ``Delta = (V/N) sum_k conj(s^21_k)``).

    Sign convention: V > 0 is the *repulsive* interaction
    ``H_int = (V/N) sum c^dagger_{k2} c^dagger_{-k1} c_{-k'1} c_{k'2}`` (paper 003 Eq. 4),
    whose mean field is ``H_pair = sum_k (Delta_k c^dagger_{k2} c^dagger_{-k1} + h.c.)``.
    Paper 002 writes ``H_int = -Delta_002 sum c^dagger_{k2} c^dagger_{-k1} + h.c.``
    (its Eq. 2 expanded) with ``Delta_002^* = (V/N) sum s^21`` (Eq. B3): that is
    this convention with ``V -> -V_002`` and ``Delta_k = -Delta_002``.

    Attributes
    ----------
    groups : (nk,) int
        Group (e.g. valley) of every k, values 0..G-1.
    vmat : (G, G) complex, energy
        Coupling matrix (paper 003 Eq. 12: ``[[V, v e^{i phi}], [v e^{-i phi}, V]]``).
    weights : (nk,) float
        Sum weights ``w_k``.
    """

    groups: NDArray[np.intp]
    vmat: NDArray[np.complex128]
    weights: NDArray[np.float64]

    @classmethod
    def uniform(cls, v: float, weights: NDArray[np.float64]) -> GapCoupling:
        """One k-independent coupling ``v`` (paper 002, paper 003 without valleys).

        Parameters
        ----------
        v : float, energy
            Coupling V (V > 0 repulsive, class docstring).
        weights : (nk,) float
            Sum weights ``w_k``.
        """
        w = np.asarray(weights, dtype=float)
        return cls(np.zeros(len(w), dtype=np.intp), np.array([[v]], dtype=complex), w)

    def gap(self, s21: NDArray[np.complex128]) -> NDArray[np.complex128]:
        """``Delta_k`` for ``s21`` of shape ``(*batch, nk)``; returns ``(*batch, nk)``."""
        ng = self.vmat.shape[0]
        x = np.conj(s21) * self.weights
        if ng == 1:
            tot = x.sum(axis=-1, keepdims=True)
            return np.broadcast_to(self.vmat[0, 0] * tot, s21.shape).copy()
        sums = np.stack([x[..., self.groups == g].sum(axis=-1) for g in range(ng)], axis=-1)
        per_group = sums @ self.vmat.T  # (*batch, G)
        return per_group[..., self.groups]


@dataclass(frozen=True)
class FixedGap:
    """A prescribed (not self-consistent) gap ``Delta_k`` (external pairing field).

    Attributes
    ----------
    delta : (nk,) complex, energy
        ``Delta_k`` of ``H_pair = sum_k (Delta_k c^dagger_{k2} c^dagger_{-k1} + h.c.)``.
    """

    delta: NDArray[np.complex128]

    def gap(self, s21: NDArray[np.complex128]) -> NDArray[np.complex128]:
        """``Delta_k`` broadcast to the shape of ``s21`` (``(*batch, nk)``)."""
        return np.broadcast_to(np.asarray(self.delta, dtype=complex), s21.shape).copy()


def pairing_matrix(delta: NDArray[np.complex128], minus: NDArray[np.intp]) -> NDArray:
    """``D_k`` (``(*batch, nk, 2, 2)``) from ``Delta_k`` (``(*batch, nk)``).

    Parameters
    ----------
    delta : (*batch, nk) complex, energy
        Gap ``Delta_k``.
    minus : (nk,) int
        Index of -k.

    Returns
    -------
    (*batch, nk, 2, 2) complex, energy
    """
    d = np.zeros(delta.shape + (2, 2), dtype=complex)
    d[..., 1, 0] = delta
    d[..., 0, 1] = -delta[..., minus]
    return d


def coherent_rhs(
    h: NDArray, delta: NDArray, n: NDArray, s: NDArray, minus: NDArray[np.intp]
) -> tuple[NDArray, NDArray]:
    """Coherent (mean-field) time derivatives, see module docstring.

    Parameters
    ----------
    h : (nk, 2, 2) complex, energy
        One-body Hamiltonian matrices.
    delta : (*batch, nk) complex, energy
        Gap ``Delta_k``.
    n, s : (*batch, nk, 2, 2) complex
        State.
    minus : (nk,) int
        Index of -k.

    Returns
    -------
    dn, ds : (*batch, nk, 2, 2) complex, energy
    """
    ht = np.swapaxes(h, -1, -2)
    d = pairing_matrix(delta, minus)
    dc = np.conj(d)
    dn = 1j * (ht @ n - n @ ht) + 1j * (s @ d[..., minus, :, :] - dc @ np.conj(s[..., minus, :, :]))
    ds = 1j * (ht @ s + s @ h[minus]) + 1j * (
        dc - dc @ np.swapaxes(n[..., minus, :, :], -1, -2) - n @ dc
    )
    return dn, ds


@dataclass
class MeanFieldEOM:
    """Right-hand side of the mean-field equations of motion on a packed real vector.

    Parameters
    ----------
    system : BandSystem
        Bands, drive, grid.
    coupling : GapCoupling, FixedGap or None
        Self-consistent gap (or a prescribed pairing field); ``None`` means ``Delta = 0``.
    dissipators : list of Dissipator
        Pluggable dissipative terms.
    layout : {"interband", "full"}
        Packing layout (see :class:`~photosc.cores.bands.system.Packing`).
    shift : float, energy
        Common band shift (rotating frame of the gap phase; ``Delta(t) ~
        exp(-2 i shift t)`` becomes static).
    """

    system: BandSystem
    coupling: GapCoupling | FixedGap | None = None
    dissipators: list[Dissipator] = field(default_factory=list)
    layout: str = "interband"
    shift: float = 0.0

    def __post_init__(self) -> None:
        self.packing = Packing(self.system.minus, self.layout)
        self._h = self.system.hamiltonian(self.shift)
        self._minus64 = np.ascontiguousarray(self.system.minus, dtype=np.int64)
        #: structure of the frozen-gap Jacobian, shared by the frames of ``with_shift``
        self._structure: dict[str, object] = {}
        self._fused = self._fused_dissipators()

    def _fused_dissipators(self) -> tuple[NDArray[np.int64], NDArray[np.complex128]] | None:
        """Rows and coefficients of every dissipator, concatenated in list order, for
        the one-call right-hand side (:func:`~photosc.cores.bands._kernels.
        single_rhs_kernel`); ``None`` when a dissipator is not a :class:`BilinearJumps`
        on this grid's ``-k`` map (then the per-dissipator path runs)."""
        rows, coefs = [np.zeros((0, 8), dtype=np.int64)], [np.zeros(0, dtype=complex)]
        for dis in self.dissipators:
            if type(dis) is not BilinearJumps or not np.array_equal(dis._minus64, self._minus64):
                return None
            if dis._nrows:
                rows.append(dis._rows)
                coefs.append(np.asarray(dis.coef, dtype=complex))
        return np.ascontiguousarray(np.concatenate(rows)), np.ascontiguousarray(
            np.concatenate(coefs)
        )

    def with_shift(self, shift: float) -> MeanFieldEOM:
        """A copy in a frame with common band shift ``shift``."""
        out = MeanFieldEOM(self.system, self.coupling, self.dissipators, self.layout, shift)
        out._structure = self._structure  # a band shift changes no sparsity
        return out

    def gap(self, state: State) -> NDArray[np.complex128]:
        """``Delta_k`` (``(*batch, nk)``) of a state."""
        s21 = state.s[..., 1, 0]
        if self.coupling is None:
            return np.zeros(s21.shape, dtype=complex)
        return self.coupling.gap(s21)

    def state_rhs(self, state: State, delta: NDArray | None = None) -> tuple[NDArray, NDArray]:
        """d/dt of an unpacked state: ``(dn, ds)``, shape ``(*batch, nk, 2, 2)``.

        Parameters
        ----------
        state : State
            ``n, s`` of shape ``(*batch, nk, 2, 2)``, dimensionless.
        delta : (batch, nk) complex or None, energy
            Gap to use instead of the self-consistent one (flattened batch), e.g.
            frozen for the structured Jacobian; ``None``: ``self.gap(state)``.
        """
        n, s = state
        shape = n.shape
        nb_, sb = n.reshape((-1,) + shape[-3:]), s.reshape((-1,) + shape[-3:])
        gap = self.gap(State(nb_, sb)) if delta is None else delta
        d = pairing_matrix(gap, self.system.minus)
        dnb = np.zeros_like(nb_)
        dsb = np.zeros_like(sb)
        coherent_kernel(self._h, d, nb_, sb, self._minus64, dnb, dsb)
        dn, ds = dnb.reshape(shape), dsb.reshape(shape)
        for dis in self.dissipators:
            dis.add_rhs(n, s, dn, ds)
        return dn, ds

    def __call__(self, t: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
        """``dy/dt`` for ``y`` of shape ``(size,)`` or ``(size, batch)``."""
        if y.ndim == 1:
            return self._single(y)
        state = self.packing.unpack(y)
        dn, ds = self.state_rhs(state)
        return self.packing.pack_derivative(dn, ds)

    def _single(self, y: NDArray[np.float64]) -> NDArray[np.float64]:
        """Fast path for one state: the gap in NumPy, everything else in one compiled call
        (:func:`~photosc.cores.bands._kernels.single_rhs_kernel`, issue 16); bit for bit
        :meth:`_single_reference`, which runs where a dissipator is not bilinear."""
        if self._fused is None:
            return self._single_reference(y)
        y = np.ascontiguousarray(y, dtype=float)
        nk = self.packing.nk
        if self.coupling is None:
            delta = np.zeros(nk, dtype=complex)
        else:
            s21 = np.empty(nk, dtype=complex)  # s^21_k exactly as the unpacking builds it
            s21.real = y[4 * nk : 5 * nk]
            s21.imag = y[5 * nk : 6 * nk]
            if isinstance(self.coupling, GapCoupling) and self.coupling.vmat.shape[0] == 1:
                tot = self.coupling.vmat[0, 0] * np.dot(self.coupling.weights, np.conj(s21))
                delta = np.full(nk, tot, dtype=complex)
            else:
                delta = np.ascontiguousarray(self.coupling.gap(s21), dtype=complex)
        rows, coef = self._fused
        return single_rhs_kernel(
            y, self._minus64, self.layout == "full", self._h, delta, rows, coef
        )

    def _single_reference(self, y: NDArray[np.float64]) -> NDArray[np.float64]:
        """One state through the separate compiled kernels (unpacking, pairing, coherent
        part, each dissipator, packing): the path before issue 16."""
        full = self.layout == "full"
        n, s = unpack_kernel(np.ascontiguousarray(y, dtype=float), self._minus64, full)
        if self.coupling is None:
            delta = np.zeros(self.packing.nk, dtype=complex)
        elif isinstance(self.coupling, GapCoupling) and self.coupling.vmat.shape[0] == 1:
            tot = self.coupling.vmat[0, 0] * np.dot(self.coupling.weights, np.conj(s[0, :, 1, 0]))
            delta = np.full(self.packing.nk, tot, dtype=complex)
        else:
            delta = np.ascontiguousarray(self.coupling.gap(s[0, :, 1, 0]), dtype=complex)
        d = pairing_kernel(delta, self._minus64)
        dn = np.zeros_like(n)
        ds = np.zeros_like(s)
        coherent_kernel(self._h, d, n, s, self._minus64, dn, ds)
        for dis in self.dissipators:
            if type(dis) is BilinearJumps:
                # what add_rhs does for a batch of one, without its reshaping layer
                if dis._nrows:
                    bilinear_kernel(n, s, dis._minus64, dis._rows, dis.coef, dn, ds)
            else:
                dis.add_rhs(n, s, dn, ds)
        return pack_kernel(dn, ds, full)

    def jacobian(self, y: NDArray[np.float64], eps: float = 1e-7) -> NDArray[np.float64]:
        """Finite-difference Jacobian (central differences, batched), ``(size, size)``.

        Parameters
        ----------
        y : (size,) float, dimensionless
            Packed state (:attr:`packing`).
        eps : float, dimensionless
            Step of the central differences in every packed component.

        Returns
        -------
        (size, size) float, energy (hbar = 1, so 1/time)
        """
        size = len(y)
        out = np.empty((size, size))
        chunk = max(1, min(size, 400))
        for start in range(0, size, chunk):
            cols = np.arange(start, min(size, start + chunk))
            pert = np.zeros((size, len(cols)))
            pert[cols, np.arange(len(cols))] = eps
            fp = self(0.0, y[:, None] + pert)
            fm = self(0.0, y[:, None] - pert)
            out[:, cols] = (fp - fm) / (2 * eps)
        return out

    def _frozen_rhs(self, y: NDArray[np.float64], delta: NDArray) -> NDArray[np.float64]:
        """``dy/dt`` of ``y`` (size, batch) with the gap held at ``delta`` (batch, nk)."""
        dn, ds = self.state_rhs(self.packing.unpack(y), delta)
        return self.packing.pack_derivative(dn, ds)

    def _gap_sums(self) -> tuple[NDArray, NDArray] | None:
        """How the gap depends on the state: ``Delta = basis @ S``, ``S = dsdy @ y``.

        ``S`` are the real and imaginary parts of the group sums ``sum_{k in g}
        w_k conj(s^21_k)`` (:class:`GapCoupling`); returns ``(basis (nk, 2G) complex,
        dsdy (2G, size) float)``, or ``None`` when the gap does not depend on the state.
        """
        c = self.coupling
        if not isinstance(c, GapCoupling):
            return None
        nk, size = self.packing.nk, self.packing.size
        ng = c.vmat.shape[0]
        basis = np.zeros((nk, 2 * ng), dtype=complex)
        dsdy = np.zeros((2 * ng, size))
        for g in range(ng):
            basis[:, 2 * g] = c.vmat[c.groups, g]
            basis[:, 2 * g + 1] = 1j * c.vmat[c.groups, g]
            in_g = c.groups == g
            dsdy[2 * g, 4 * nk : 5 * nk] = np.where(in_g, c.weights, 0.0)
            dsdy[2 * g + 1, 5 * nk : 6 * nk] = np.where(in_g, -c.weights, 0.0)
        return basis, dsdy

    def _colouring(self) -> tuple[NDArray, NDArray, NDArray, int]:
        """Sparsity and column colouring of the frozen-gap Jacobian (computed once).

        The pattern is read off dense finite-difference Jacobians at a random state
        and gap in two random frames (an entry a row does not depend on is exactly
        zero there; one that depends on the state, the gap or the band shift is not,
        with probability one); columns that share no row get the same colour (greedy).

        Returns
        -------
        rows, cols : (nnz,) int
            Structural non-zeros.
        colour : (size,) int
            Colour of every column.
        n_colours : int
        """
        if "colour" in self._structure:
            return self._structure["colour"]  # type: ignore[return-value]
        key = self._structure_key()
        if key is not None and key in _COLOURINGS:
            self._structure["colour"] = _COLOURINGS[key]
            return _COLOURINGS[key]
        size, nk = self.packing.size, self.packing.nk
        rng = np.random.default_rng(12345)
        y = rng.uniform(0.05, 0.45, size)
        delta = (rng.uniform(0.5, 1.0, nk) + 1j * rng.uniform(0.5, 1.0, nk))[None, :]
        pattern = np.zeros((size, size), dtype=bool)
        # two random frames: a coefficient that vanishes in one frame only (a band
        # energy equal to the shift) must not hide an entry
        for shift in rng.uniform(-1.0, 1.0, 2):
            frame = MeanFieldEOM(self.system, self.coupling, self.dissipators, self.layout, shift)
            for start in range(0, size, 400):
                cols = np.arange(start, min(size, start + 400))
                pert = np.zeros((size, len(cols)))
                pert[cols, np.arange(len(cols))] = 1e-3
                d = np.repeat(delta, len(cols), axis=0)
                diff = frame._frozen_rhs(y[:, None] + pert, d) - frame._frozen_rhs(
                    y[:, None] - pert, d
                )
                pattern[:, cols] |= diff != 0.0
        rows, cols = np.nonzero(pattern)
        overlap = (pattern.T.astype(np.float32) @ pattern.astype(np.float32)) > 0.5
        colour = np.full(size, -1, dtype=np.intp)
        for j in range(size):
            used = colour[overlap[j]]
            taken = np.zeros(size + 1, dtype=bool)
            taken[used[used >= 0]] = True
            colour[j] = int(np.argmin(taken))
        out = (rows, cols, colour, int(colour.max()) + 1)
        self._structure["colour"] = out
        if key is not None:
            if len(_COLOURINGS) >= 8:
                _COLOURINGS.pop(next(iter(_COLOURINGS)))
            _COLOURINGS[key] = out
        return out

    def _structure_key(self) -> str | None:
        """Digest of everything the Jacobian's sparsity can depend on, or None.

        The grid, the layout, which band-energy differences, drive entries and
        weights vanish, the coupling's groups and non-zero couplings, and the
        bilinear dissipators' rows and non-zero coefficients; ``None`` (no sharing
        between equations) with any other dissipator. Equations of one sweep (e.g.
        different drive strengths and interactions) share their colouring.
        """
        sysm = self.system
        parts: list[bytes] = [
            self.layout.encode(),
            np.ascontiguousarray(sysm.minus, dtype=np.int64).tobytes(),
            (np.asarray(sysm.e1) != np.asarray(sysm.e2)).tobytes(),
            (np.asarray(sysm.omega) != 0).tobytes(),
            (np.asarray(sysm.weights) != 0).tobytes(),
        ]
        c = self.coupling
        if isinstance(c, GapCoupling):
            parts += [b"gap", np.asarray(c.groups, dtype=np.int64).tobytes()]
            parts += [(np.asarray(c.vmat) != 0).tobytes(), (np.asarray(c.weights) != 0).tobytes()]
        elif isinstance(c, FixedGap):
            parts += [b"fixed", (np.asarray(c.delta) != 0).tobytes()]
        else:
            parts.append(b"none")
        for dis in self.dissipators:
            if not isinstance(dis, BilinearJumps):
                return None
            parts += [b"bilinear", np.asarray(dis._rows).tobytes(), (dis.coef != 0).tobytes()]
        return hashlib.sha256(b"|".join(parts)).hexdigest()

    def structured_jacobian(self, y: NDArray[np.float64], eps: float = 1e-7) -> NDArray[np.float64]:
        """The Jacobian of :meth:`jacobian` from far fewer right-hand-side evaluations.

        The right-hand side is ``F(y, Delta(y))`` with ``F`` local in k (coherent
        terms, dissipators: sparse) and the gap a linear function of a few group sums
        ``S`` of the pair amplitudes. So ``J = dF/dy|_Delta + dF/dS dS/dy``: the
        sparse part by central differences over column colours (columns with
        disjoint rows perturbed together; each entry is the same difference
        quotient as in :meth:`jacobian`), the rank-2G gap part exactly (``F`` is
        linear in ``Delta``).

        Parameters
        ----------
        y : (size,) float, dimensionless
            Packed state.
        eps : float, dimensionless
            Step of the central differences.

        Returns
        -------
        (size, size) float, energy (hbar = 1, so 1/time)
        """
        size = len(y)
        rows, cols, colour, n_col = self._colouring()
        gap0 = self.gap(self.packing.unpack(y[:, None]))  # (1, nk)
        pert = np.zeros((size, n_col))
        pert[np.arange(size), colour] = eps
        d = np.repeat(gap0, n_col, axis=0)
        diff = self._frozen_rhs(y[:, None] + pert, d) - self._frozen_rhs(y[:, None] - pert, d)
        out = np.zeros((size, size))
        out[rows, cols] = diff[rows, colour[cols]] / (2 * eps)
        sums = self._gap_sums()
        if sums is not None:
            basis, dsdy = sums
            d_plus = gap0 + basis.T  # (2G, nk): unit change of each real sum component
            d_minus = gap0 - basis.T
            m = basis.shape[1]
            yy = np.repeat(y[:, None], m, axis=1)
            dfds = 0.5 * (self._frozen_rhs(yy, d_plus) - self._frozen_rhs(yy, d_minus))
            out += dfds @ dsdy
        return out
