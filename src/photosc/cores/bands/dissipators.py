"""Lindblad dissipators for the one-body equations of motion.

Every dissipator adds its contribution to ``dn, ds`` (see
:mod:`photosc.cores.bands.system` for the storage) through ``add_rhs(n, s, dn, ds)``.
Rates are Lindblad rates in the standard normalisation
``D[L] rho = gamma (L rho L^dagger - {L^dagger L, rho} / 2)``.

Fermionic reservoir (paper 003, Eq. 7)
--------------------------------------
Jump operators ``c_{k a}`` (rate ``Gamma_{ka} (1 - f_{ka})``) and ``c^dagger_{k a}``
(rate ``Gamma_{ka} f_{ka}``). They are linear, so the one-body equations are exact::

    dn^{ab}_k/dt = -(Gamma_{ka} + Gamma_{kb}) / 2 n^{ab}_k + delta_{ab} Gamma_{ka} f_{ka}
    ds^{ab}_k/dt = -(Gamma_{ka} + Gamma_{-k b}) / 2 s^{ab}_k

(paper 003 writes ``D[X] = (2 X rho X^dagger - ...) / 2`` with rate Gamma: the
same normalisation).

Bilinear jump operators (phonons, radiative recombination, paper 002)
---------------------------------------------------------------------
A jump operator ``L = sum_e m_e c^dagger_{u_e} c_{w_e}`` (modes ``u_e = (k', a)``,
``w_e = (k, b)``) makes the one-body equations open: ``<L^dagger [O, L]>`` is a
four-point function. We evaluate it in the Gaussian (Wick-factorised) state,
as the paper does (App. A, Eqs. A3-A6), including the anomalous contractions.
With global matrices ``C_ij = <c^dagger_i c_j>``, ``F_ij = <c^dagger_i c^dagger_j>``
and ``L = c^dagger M c``, the derivation (``d<O>/dt = (gamma / 2)(<L^dagger [O, L]>
+ <[L^dagger, O] L>)``, Wick's theorem for ``<c^dagger_i c_j c^dagger_k c_l>`` etc.)
gives::

    dC/dt = (gamma / 2) (Y + Y^dagger),   Y = [X, M^T],
    X = <L^dagger> C + (1 - C) M^* C - F M^dagger F^*,

    dF/dt = (gamma / 2) ( - <L^dagger> (F M + M^T F) - F M^dagger (1 - C^T) M
                          - M^T F M^dagger (1 - C^T) - (1 - C) M^* F M - M^T (1 - C) M^* F
                          + <L> (F M^dagger + M^* F) - F M C^T M^dagger - C M^T F M^dagger
                          - M^* F M C^T - M^* C M^T F ).

Both are bilinear in ``(M^*, M)``; for ``M = sum_e m_e e_{u_e} e_{w_e}^T`` every
term is a rank-one product of a column of C or F with a unit vector, which
:class:`BilinearJumps` evaluates for all (pairs of) entries at once. For a
single entry ``L = c^dagger_u c_w`` at different momenta this reduces to the
familiar Boltzmann form with Pauli blocking, ``dn_u = gamma n_w (1 - n_u)``,
``dn_w = -gamma n_w (1 - n_u)``, coherences and pair amplitudes at ``w`` (``u``)
damped at rate ``gamma (1 - n_u) / 2`` (``gamma n_w / 2``). The factorisation
is an approximation (it is exact only for Gaussian states); the tests measure
its error against exact Fock-space Lindblad evolution: for 3 k points (6 modes,
random Gaussian initial state with pairing, prescribed pairing field 0.1, rates
0.2, t <= 10) the largest deviation of any one-body correlator is 1.3e-2
(radiative), 2.2e-2 (phonons, band diagonal) and 5.8e-2 (phonons, cross form),
while the derivatives at t = 0 agree to 1e-12 (Wick is exact there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from photosc.cores.bands._kernels import bilinear_kernel
from photosc.foundation.distributions import bose, fermi

__all__ = [
    "Dissipator",
    "FermionReservoir",
    "BilinearJumps",
    "JumpOperator",
    "fermion_reservoir",
    "radiative_recombination",
    "acoustic_phonons_1d",
    "PHONON_FORMS",
]

PHONON_FORMS = ("band_diagonal", "cross")


class Dissipator:
    """Interface: ``add_rhs(n, s, dn, ds)`` adds d/dt of the state in place.

    ``n, s, dn, ds`` have shape ``(*batch, nk, 2, 2)``.
    """

    def add_rhs(self, n: NDArray, s: NDArray, dn: NDArray, ds: NDArray) -> None:  # pragma: no cover
        """Add this dissipator's d/dt of ``(n, s)`` to ``(dn, ds)`` in place.

        Parameters
        ----------
        n, s : (*batch, nk, 2, 2) complex, dimensionless
            Normal and anomalous one-body correlators (:class:`~photosc.cores.bands.State`).
        dn, ds : (*batch, nk, 2, 2) complex, energy (model unit; hbar = 1, so 1/time)
            Time derivatives accumulated so far; updated in place.
        """
        raise NotImplementedError


@dataclass(frozen=True)
class FermionReservoir(Dissipator):
    """Fermionic reservoir per mode (paper 003, Eq. 7); exact for one-body correlators.

    Attributes
    ----------
    rates : (nk, 2) float, energy
        Lindblad rates ``Gamma_{k a}`` >= 0 (paper 003: Gamma_1, Gamma_2).
    occupation : (nk, 2) float
        Reservoir occupations ``f_{ka}`` in [0, 1] (``n_F(E_ka - mu)``).
    minus : (nk,) int
        Index of -k.
    """

    rates: NDArray[np.float64]
    occupation: NDArray[np.float64]
    minus: NDArray[np.intp]

    def __post_init__(self) -> None:
        r = np.asarray(self.rates)
        f = np.asarray(self.occupation)
        nk = len(self.minus)
        if r.shape != (nk, 2) or f.shape != (nk, 2):
            raise ValueError(f"reservoir rates and occupation must have shape ({nk}, 2)")
        if np.any(r < 0) or not np.all(np.isfinite(r)):
            raise ValueError(f"reservoir rates must be finite and >= 0, got min {r.min()}")
        if np.any((f < 0) | (f > 1)):
            raise ValueError("reservoir occupations must lie in [0, 1]")

    def add_rhs(self, n: NDArray, s: NDArray, dn: NDArray, ds: NDArray) -> None:
        g = self.rates
        dn -= 0.5 * (g[:, :, None] + g[:, None, :]) * n
        dn[..., 0, 0] += g[:, 0] * self.occupation[:, 0]
        dn[..., 1, 1] += g[:, 1] * self.occupation[:, 1]
        ds -= 0.5 * (g[:, :, None] + g[self.minus][:, None, :]) * s


def fermion_reservoir(
    e1_lab: ArrayLike,
    e2_lab: ArrayLike,
    gamma1: float,
    gamma2: float,
    mu: float,
    kT: float,
    minus: NDArray[np.intp],
) -> FermionReservoir:
    """Reservoir with momentum-independent rates and Fermi occupations (paper 003, Eq. 7).

    Parameters
    ----------
    e1_lab, e2_lab : (nk,) float, energy
        Lab-frame band energies E_{k1}, E_{k2} (the reservoir is not rotating).
    gamma1, gamma2 : float, energy
        Rates Gamma_1, Gamma_2 >= 0.
    mu : float, energy
        Reservoir chemical potential.
    kT : float, energy
        Reservoir temperature (k_B T >= 0).
    minus : (nk,) int
        Index of -k.
    """
    for name, val in (("gamma1", gamma1), ("gamma2", gamma2), ("kT", kT)):
        if not (np.isfinite(val) and val >= 0):
            raise ValueError(f"{name} must be finite and >= 0, got {val}")
    e = np.stack([np.asarray(e1_lab, float), np.asarray(e2_lab, float)], axis=1)
    occ = fermi(e - mu, kT)
    rates = np.empty_like(e)
    rates[:, 0] = gamma1
    rates[:, 1] = gamma2
    return FermionReservoir(rates, occ, np.asarray(minus))


@dataclass(frozen=True)
class JumpOperator:
    """Jump operator ``L = sum_e coeffs[e] c^dagger_{(k_out, band_out[e])} c_{(k_in, band_in[e])}``.

    Its Lindblad rate is ``rate``.

    All entries share the same pair of momenta (``k_out``, ``k_in``): the
    operator transfers a definite momentum (translation invariance).
    """

    k_out: int
    k_in: int
    band_out: tuple[int, ...]
    band_in: tuple[int, ...]
    coeffs: tuple[complex, ...]
    rate: float


class BilinearJumps(Dissipator):
    """Wick-factorised dissipator of a set of bilinear jump operators (see module doc).

    Parameters
    ----------
    operators : sequence of JumpOperator
        The jump operators (independent channels, each with its own rate).
    minus : (nk,) int
        Index of -k.
    """

    def __init__(self, operators: Sequence[JumpOperator], minus: NDArray[np.intp]) -> None:
        self.minus = np.asarray(minus)
        nk = len(self.minus)
        self.nk = nk
        self.operators = tuple(operators)
        rows: list[tuple] = []
        for op in operators:
            ne = len(op.coeffs)
            if not (len(op.band_out) == len(op.band_in) == ne and ne > 0):
                raise ValueError("JumpOperator band_out, band_in and coeffs must match in length")
            if not (0 <= op.k_out < nk and 0 <= op.k_in < nk):
                raise ValueError(f"JumpOperator momenta out of range: {op.k_out}, {op.k_in}")
            if not (np.isfinite(op.rate) and op.rate >= 0):
                raise ValueError(f"JumpOperator rate must be finite and >= 0, got {op.rate}")
            for e in range(ne):
                if op.k_out == op.k_in and op.band_out[e] == op.band_in[e]:
                    raise ValueError("JumpOperator entries must not be number operators")
                for f in range(ne):
                    coef = op.rate * np.conj(op.coeffs[e]) * op.coeffs[f]
                    rows.append(
                        (
                            op.k_out,
                            op.band_out[e],
                            op.k_in,
                            op.band_in[e],
                            op.k_out,
                            op.band_out[f],
                            op.k_in,
                            op.band_in[f],
                            coef,
                        )
                    )
        self.n_operators = len(operators)
        if rows:
            arr = np.array([r[:8] for r in rows], dtype=np.intp)
            coef = np.array([r[8] for r in rows], dtype=complex)
        else:
            arr = np.zeros((0, 8), dtype=np.intp)
            coef = np.zeros(0, dtype=complex)
        (self.kp, self.ap, self.kq, self.aq, self.ku, self.au, self.kw, self.aw) = arr.T
        self.coef = coef
        self._prepare()

    def _prepare(self) -> None:
        m = self.minus
        kp, ap, kq, aq, ku, au, kw, aw = (
            self.kp,
            self.ap,
            self.kq,
            self.aq,
            self.ku,
            self.au,
            self.kw,
            self.aw,
        )
        self.mp, self.mq, self.mu_, self.mw = m[kp], m[kq], m[ku], m[kw]
        self.eq_qp = kq == kp
        self.eq_qw = kq == kw
        self.eq_up = ku == kp
        self.eq_uw = ku == kw
        self.delta_up = ((ku == kp) & (au == ap)).astype(float)
        self.opp_pw = kw == m[kp]
        self.opp_uq = kq == m[ku]
        self.opp_qu = ku == m[kq]
        self.onehot_p = np.eye(2)[ap]  # (nrows, 2)
        nr = len(self.coef)
        band = np.arange(2)
        # landing flat indices (k * 4 + a * 2 + b) for each term (nrows, 2)
        land_n = [
            self.ku[:, None] * 4 + band[None, :] * 2 + au[:, None],  # col1 -> n[ku, :, au]
            self.ku[:, None] * 4 + au[:, None] * 2 + band[None, :],  # conj -> n[ku, au, :]
            kw[:, None] * 4 + aw[:, None] * 2 + band[None, :],  # row2 -> n[kw, aw, :]
            kw[:, None] * 4 + band[None, :] * 2 + aw[:, None],  # conj -> n[kw, :, aw]
        ]
        land_s = [
            self.mw[:, None] * 4 + band[None, :] * 2 + aw[:, None],  # col at w
            kw[:, None] * 4 + aw[:, None] * 2 + band[None, :],  # row at w
            self.mp[:, None] * 4 + band[None, :] * 2 + ap[:, None],  # col at p
            kp[:, None] * 4 + ap[:, None] * 2 + band[None, :],  # row at p
        ]
        size = 4 * self.nk
        self._pn = self._scatter_matrix(np.concatenate([x.ravel() for x in land_n]), size)
        self._ps = self._scatter_matrix(np.concatenate([x.ravel() for x in land_s]), size)
        self._nrows = nr
        self._minus64 = np.ascontiguousarray(self.minus, dtype=np.int64)
        self._rows = np.ascontiguousarray(
            np.stack([kp, ap, kq, aq, ku, au, kw, aw], axis=1).astype(np.int64)
        )

    @staticmethod
    def _scatter_matrix(idx: NDArray[np.intp], size: int) -> sp.csr_matrix:
        cols = np.arange(len(idx))
        return sp.csr_matrix((np.ones(len(idx)), (idx, cols)), shape=(size, len(idx)))

    def add_rhs(self, n: NDArray, s: NDArray, dn: NDArray, ds: NDArray) -> None:
        if self._nrows == 0:
            return
        dnb, dsb = _as_batch(dn), _as_batch(ds)
        bilinear_kernel(_as_batch(n), _as_batch(s), self._minus64, self._rows, self.coef, dnb, dsb)
        if not np.shares_memory(dnb, dn):
            dn[...] = dnb.reshape(dn.shape)
        if not np.shares_memory(dsb, ds):
            ds[...] = dsb.reshape(ds.shape)

    def add_rhs_reference(self, n: NDArray, s: NDArray, dn: NDArray, ds: NDArray) -> None:
        """Vectorised NumPy evaluation of the same terms (reference for the compiled kernel).

        Parameters
        ----------
        n, s : (*batch, nk, 2, 2) complex, dimensionless
            Normal and anomalous one-body correlators.
        dn, ds : (*batch, nk, 2, 2) complex, energy (model unit; hbar = 1, so 1/time)
            Time derivatives accumulated so far; updated in place.
        """
        if self._nrows == 0:
            return
        kp, ap, kq, aq, ku, au, kw, aw = (
            self.kp,
            self.ap,
            self.kq,
            self.aq,
            self.ku,
            self.au,
            self.kw,
            self.aw,
        )
        mq, mu_ = self.mq, self.mu_
        b = np.arange(2)[None, :]

        def col(a: NDArray, k: NDArray, j: NDArray) -> NDArray:  # a[..., k, :, j] -> (*, nr, 2)
            return a[..., k[:, None], b, j[:, None]]

        def row(a: NDArray, k: NDArray, i: NDArray) -> NDArray:  # a[..., k, i, :]
            return a[..., k[:, None], i[:, None], b]

        c_qp = np.where(self.eq_qp, n[..., kq, aq, ap], 0.0)
        c_qw = np.where(self.eq_qw, n[..., kq, aq, aw], 0.0)
        c_up = np.where(self.eq_up, n[..., ku, au, ap], 0.0)
        c_uw = np.where(self.eq_uw, n[..., ku, au, aw], 0.0)
        f_pw = np.where(self.opp_pw, s[..., kp, ap, aw], 0.0)
        f_uq = np.where(self.opp_uq, s[..., ku, au, aq], 0.0)
        f_qu = np.where(self.opp_qu, s[..., kq, aq, au], 0.0)
        d_up = self.delta_up

        n_col_w = col(n, kw, aw)
        hole_p = self.onehot_p - col(n, kp, ap)
        s_col_mq = col(s, mq, aq)
        s_col_mu = col(s, mu_, au)
        s_row_u = row(s, ku, au)
        s_row_q = row(s, kq, aq)

        half = 0.5 * self.coef
        e = (..., slice(None), None)  # broadcast scalars (*, nr) -> (*, nr, 1)
        col1 = (c_qp[e] * n_col_w + c_qw[e] * hole_p - np.conj(f_pw)[e] * s_col_mq) * half[:, None]
        row2 = (
            c_qp[e] * row(n, ku, au)
            + (d_up - c_up)[e] * row(n, kq, aq)
            - f_uq[e] * np.conj(row(s, kp, ap))
        ) * half[:, None]
        vals_n = np.concatenate(
            [x.reshape(x.shape[:-2] + (-1,)) for x in (col1, np.conj(col1), -row2, -np.conj(row2))],
            axis=-1,
        )
        col_w = -c_qp[e] * s_col_mu - (d_up - c_up)[e] * s_col_mq - f_qu[e] * hole_p
        row_w = -c_qp[e] * s_row_u - f_uq[e] * hole_p - (d_up - c_up)[e] * s_row_q
        col_p = c_uw[e] * s_col_mq - c_qw[e] * s_col_mu - f_uq[e] * n_col_w
        row_p = c_uw[e] * s_row_q - f_qu[e] * n_col_w - c_qw[e] * s_row_u
        vals_s = np.concatenate(
            [
                (x * half[:, None]).reshape(x.shape[:-2] + (-1,))
                for x in (col_w, row_w, col_p, row_p)
            ],
            axis=-1,
        )
        dn += self._scatter(self._pn, vals_n, dn.shape)
        ds += self._scatter(self._ps, vals_s, ds.shape)

    @staticmethod
    def _scatter(p: sp.csr_matrix, vals: NDArray, shape: tuple) -> NDArray:
        batch = vals.shape[:-1]
        v = vals.reshape(-1, vals.shape[-1])
        out = p @ v.T  # (size, B)
        return out.T.reshape(shape) if batch else out.reshape(shape)


def _as_batch(a: NDArray) -> NDArray:
    """View (or copy) of a ``(*batch, nk, 2, 2)`` array as ``(B, nk, 2, 2)``."""
    return a.reshape((-1,) + a.shape[-3:])


def radiative_recombination(nk: int, gamma: float, minus: NDArray[np.intp]) -> BilinearJumps:
    """Radiative recombination, jump operator ``c^dagger_{k1} c_{k2}`` at every k (paper 002).

    Parameters
    ----------
    nk : int
        Number of grid points.
    gamma : float, energy
        Lindblad rate (paper 002 Eqs. 5 and 10 give ``gamma = 2 Gamma^rr``; App. A8
        prints ``Gamma^rr``).
    minus : (nk,) int
        Index of -k.
    """
    if not (np.isfinite(gamma) and gamma >= 0):
        raise ValueError(f"radiative rate must be finite and >= 0, got {gamma}")
    ops = [JumpOperator(k, k, (0,), (1,), (1.0,), gamma) for k in range(nk)] if gamma > 0 else []
    return BilinearJumps(ops, minus)


@dataclass(frozen=True)
class PhononChannels:
    """Energy-conserving acoustic-phonon transitions of one band mapped onto the grid.

    Attributes
    ----------
    k_from, k_to : (nc,) int
        Emission channel: an electron at ``k_from`` emits a phonon and lands at ``k_to``.
    weight : (nc,) float
        Share of the emission rate (linear split between the two grid points
        that bracket the exact final momentum).
    energy : (nc,) float, energy
        Emitted energy E(k_from) - E(k_to) > 0 on the grid.
    """

    k_from: NDArray[np.intp]
    k_to: NDArray[np.intp]
    weight: NDArray[np.float64]
    energy: NDArray[np.float64]


def phonon_channels_1d(k: NDArray, a: float, velocity: float) -> PhononChannels:
    """Map the 1D emission delta function (paper 002 Eqs. 7, B2) onto a symmetric grid.

    For ``E(p) = a p^2`` (a > 0) energy conservation ``E(p) - E(p') = v |p - p'|``
    gives the back-scattered final momentum ``p' = -p + sign(p) v / a`` with
    ``|p'| < |p|`` (emission needs ``|p| > v / (2a)``, the Theta functions of B2).
    On the grid ``k_j = j dk`` the final index ``-j + sign(j) m``, ``m = v / (a dk)``,
    is split linearly between ``floor`` and ``ceil``; only targets of strictly
    lower energy are kept. Both ends stay in the box, so the number of
    particles is conserved exactly.

    Parameters
    ----------
    k : (nk,) float
        Symmetric uniform grid from :func:`~photosc.cores.bands.system.radial_grid`.
    a : float, energy * length^2
        Band curvature A_alpha > 0.
    velocity : float, energy * length
        Phonon velocity v > 0, at least ``a dk`` (one phonon moves at least one grid step).
    """
    k = np.asarray(k, dtype=float)
    if not a > 0:
        raise ValueError(f"phonon channels need a band curvature a > 0, got {a}")
    dk = k[1] - k[0]
    if not np.allclose(np.diff(k), dk) or not np.isclose(k[0], -k[-1]):
        raise ValueError("phonon channels need a symmetric uniform grid")
    m = velocity / (a * dk)
    if not m >= 1.0:
        raise ValueError(
            f"phonon_velocity={velocity} moves less than one grid step in a band with "
            f"curvature {a} (v / (a dk) = {m:.3g}); allowed: v >= a dk = {a * dk:.3g}"
        )
    nk = len(k)
    j0 = nk // 2
    j = np.arange(nk) - j0
    lo, frac = int(np.floor(m)), m - np.floor(m)
    froms, tos, ws = [], [], []
    for step, w in ((lo, 1.0 - frac), (lo + 1, frac)):
        if w <= 0:
            continue
        target = -j + np.sign(j) * step
        ok = (np.abs(target) < np.abs(j)) & (j != 0)
        froms.append(j[ok] + j0)
        tos.append(target[ok] + j0)
        ws.append(np.full(ok.sum(), w))
    kf = np.concatenate(froms)
    kt = np.concatenate(tos)
    energy = a * (k[kf] ** 2 - k[kt] ** 2)
    return PhononChannels(kf, kt, np.concatenate(ws), energy)


def acoustic_phonons_1d(
    k: NDArray,
    curvatures: tuple[float, float],
    velocity: float,
    gamma: float,
    kT: float,
    minus: NDArray[np.intp],
    form: str = "band_diagonal",
) -> BilinearJumps:
    """Intraband acoustic-phonon emission and absorption (paper 002 Eqs. 3, 5-7, B2).

    Each grid channel (see :func:`phonon_channels_1d`) of band alpha gives an
    emission operator (rate ``gamma w (1 + n_B(omega))``) and the reverse
    absorption operator (rate ``gamma w n_B(omega)``), ``omega`` the grid energy
    difference, so detailed balance holds exactly on the grid.

    Forms (``form``):

    * ``"band_diagonal"`` (default, Eq. 7 with its Kronecker delta in the band
      index): ``L = c^dagger_{k' alpha} c_{k alpha}``. Reason for the default: the
      Froehlich coupling (Eq. 3) is band diagonal and, with A_1 != A_2, energy
      conservation picks *different* momenta in the two bands for the same
      phonon q. The collective operator ``sum_alpha`` over those different
      momenta has interband cross terms whose Wick-factorised contribution
      vanishes identically in a translation-invariant state, so the band-diagonal
      form is the one-body content of the secular Born-Markov dissipator.
    * ``"cross"`` (App. A, Eqs. A3-A12): ``L = c^dagger_{k'1} c_{k1} + c^dagger_{k'2} c_{k2}``
      on the momenta of each band's energy-conserving channel, i.e. the
      App.-A assumption that a phonon moves both bands' electrons between the
      same momenta; it produces the ``Re(n^21 n^12)`` and ``s s^*`` cross terms
      of App. A.

    Parameters
    ----------
    k : (nk,) float
        Symmetric uniform 1D grid.
    curvatures : (2,) float
        ``(A_1, A_2)``, both > 0.
    velocity : float
        Phonon velocity v.
    gamma : float, energy
        Lindblad emission rate at T = 0 per electron (paper 002: ``2 Gamma^ph``
        from Eq. 5 with its ``+ h.c.``, as in A7/A9).
    kT : float, energy
        Phonon temperature k_B T >= 0.
    minus : (nk,) int
        Index of -k.
    form : {"band_diagonal", "cross"}
    """
    if form not in PHONON_FORMS:
        raise ValueError(f"phonon form must be one of {PHONON_FORMS}, got {form!r}")
    if not (np.isfinite(gamma) and gamma >= 0):
        raise ValueError(f"phonon rate must be finite and >= 0, got {gamma}")
    if not (np.isfinite(kT) and kT >= 0):
        raise ValueError(f"phonon temperature must be finite and >= 0, got {kT}")
    ops: list[JumpOperator] = []
    if gamma == 0:
        return BilinearJumps(ops, minus)
    for band, a in enumerate(curvatures):
        ch = phonon_channels_1d(k, a, velocity)
        nb = bose(ch.energy, kT) if kT > 0 else np.zeros_like(ch.energy)
        for kf, kt, w, occ in zip(ch.k_from, ch.k_to, ch.weight, nb):
            rates = (
                (int(kf), int(kt), gamma * w * (1.0 + occ)),
                (int(kt), int(kf), gamma * w * occ),
            )
            for k_in, k_out, rate in rates:
                if rate <= 0:
                    continue
                if form == "band_diagonal":
                    ops.append(JumpOperator(k_out, k_in, (band,), (band,), (1.0,), rate))
                else:
                    ops.append(JumpOperator(k_out, k_in, (0, 1), (0, 1), (1.0, 1.0), rate))
    return BilinearJumps(ops, minus)
