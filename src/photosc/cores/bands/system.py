"""Two-band system on a momentum grid and its one-body (Gaussian) state.

Modes are ``(k, alpha)`` with ``k`` an index into the grid (1D radial grid or 2D
Brillouin-zone grid) and ``alpha = 1, 2`` (valence, conduction) stored as band
index 0, 1. The state is kept as two arrays

* ``n[k, a, b] = <c^dagger_{k a} c_{k b}>``  (normal, Hermitian 2x2 per k),
* ``s[k, a, b] = <c^dagger_{k a} c^dagger_{-k b}>``  (anomalous),

so that ``n[k, 0, 0] = n^11_k``, ``n[k, 1, 1] = n^22_k``, ``n[k, 1, 0] = n^21_k``
and ``s[k, 1, 0] = s^21_k = <c^dagger_{k2} c^dagger_{-k1}>`` (paper 002 Eq. B3,
paper 003 after Eq. 7). Fermionic antisymmetry gives ``s[-k] = -s[k].T``; the
packings below store only independent real numbers.

Energies are in the model's unit (E_g = 1 for paper 002, t = 1 for paper 003),
times in its inverse; hbar = 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BandSystem",
    "State",
    "Packing",
    "radial_grid",
    "minus_index",
    "ground_state",
    "unphysical_amount",
]


class State(NamedTuple):
    """One-body state on the grid.

    Attributes
    ----------
    n : (nk, 2, 2) complex
        ``<c^dagger_{k a} c_{k b}>``.
    s : (nk, 2, 2) complex
        ``<c^dagger_{k a} c^dagger_{-k b}>``.
    """

    n: NDArray[np.complex128]
    s: NDArray[np.complex128]


def radial_grid(k_cutoff: float, dk: float) -> NDArray[np.float64]:
    """Symmetric 1D momentum grid ``k_j = j dk``, ``|k_j| <= k_cutoff`` (paper 002, Sec. II B).

    Parameters
    ----------
    k_cutoff : float, 1/lattice constant
        Momentum cutoff delta_k > 0.
    dk : float, 1/lattice constant
        Grid step, 0 < dk <= k_cutoff.

    Returns
    -------
    (2 M + 1,) float
        Grid points, ``M = round(k_cutoff / dk)``; contains k = 0 and each -k.
    """
    if not k_cutoff > 0:
        raise ValueError(f"k_cutoff must be > 0, got {k_cutoff}")
    if not 0 < dk <= k_cutoff:
        raise ValueError(f"dk must be in (0, k_cutoff={k_cutoff}], got {dk}")
    m = int(round(k_cutoff / dk))
    return np.arange(-m, m + 1) * dk


def minus_index(k: ArrayLike, period: ArrayLike | None = None, atol: float = 1e-9) -> NDArray:
    """Index of ``-k`` for every grid point.

    Parameters
    ----------
    k : (nk,) or (nk, d) float
        Grid points.
    period : (d, d) float, optional
        Reciprocal lattice vectors (rows); ``-k`` is then matched modulo the lattice.
    atol : float
        Matching tolerance.

    Returns
    -------
    (nk,) int
        ``minus[i]`` with ``k[minus[i]] = -k[i]`` (mod the lattice).

    Raises
    ------
    ValueError
        If some ``-k`` is not on the grid.
    """
    kk = np.asarray(k, dtype=float)
    if kk.ndim == 1:
        kk = kk[:, None]
    target = -kk
    out = np.empty(len(kk), dtype=np.intp)
    if period is None:
        from scipy.spatial import cKDTree

        dist, idx = cKDTree(kk).query(target)
        bad = dist > atol
    else:
        b = np.asarray(period, dtype=float)
        # fractional coordinates, wrapped to [0, 1)
        binv = np.linalg.inv(b)
        frac = np.mod(kk @ binv, 1.0)
        tfrac = np.mod(target @ binv, 1.0)
        from scipy.spatial import cKDTree

        tree = cKDTree(frac, boxsize=1.0 + 1e-12)
        dist, idx = tree.query(np.mod(tfrac, 1.0))
        bad = dist > atol
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"grid point k={kk[i]} has no partner -k on the grid")
    out[:] = idx
    return out


@dataclass(frozen=True)
class BandSystem:
    """A driven two-band system in the frame rotating with the laser.

    Coherent one-body Hamiltonian (paper 002 Eq. 1 after the RWA; paper 003 Eq. 3)::

        H_0 = sum_k [ e1_k n^11_k + e2_k n^22_k + (omega_k c^dagger_{k2} c_{k1} + h.c.) ]

    Attributes
    ----------
    k : (nk,) or (nk, d) float, 1/length
        Momentum grid.
    e1, e2 : (nk,) float, energy
        Band energies in the rotating frame (lab energy -/+ nu/2 for a laser of
        frequency nu; the pair energy e1 + e2 is frame independent).
    omega : (nk,) complex, energy
        Drive matrix element ``omega_k`` multiplying ``c^dagger_{k2} c_{k1}``.
        Paper 002 (``Omega cos(nu t) sigma^x``) gives ``omega_k = Omega / 2``;
        paper 003 (Eq. 3) gives ``omega_k = Omega_k``.
    minus : (nk,) int
        Index of ``-k`` (see :func:`minus_index`).
    weights : (nk,) float
        Weights of the k sum in the gap equation (1/N per point for a BZ sum,
        dk / 2 pi for paper 002 Eq. B3).
    """

    k: NDArray[np.float64]
    e1: NDArray[np.float64]
    e2: NDArray[np.float64]
    omega: NDArray[np.complex128]
    minus: NDArray[np.intp]
    weights: NDArray[np.float64]

    def __post_init__(self) -> None:
        nk = len(self.k)
        for name in ("e1", "e2", "omega", "minus", "weights"):
            arr = np.asarray(getattr(self, name))
            if arr.shape != (nk,):
                raise ValueError(f"BandSystem.{name} must have shape ({nk},), got {arr.shape}")
        if not np.all(np.isfinite(self.e1)) or not np.all(np.isfinite(self.e2)):
            raise ValueError("BandSystem band energies must be finite")
        m = np.asarray(self.minus)
        if np.any(m[m] != np.arange(nk)):
            raise ValueError("BandSystem.minus must be an involution (minus[minus[i]] == i)")

    @property
    def nk(self) -> int:
        """Number of grid points."""
        return len(self.k)

    def hamiltonian(self, shift: float = 0.0) -> NDArray[np.complex128]:
        """One-body matrices ``h[k, a, b]`` of ``H_0 = sum c^dagger_{ka} h_k^{ab} c_{kb}``.

        Parameters
        ----------
        shift : float, energy
            Common energy shift of both bands (a chemical potential -mu in the
            rotating frame; used to follow a gap rotating at frequency 2 shift).

        Returns
        -------
        (nk, 2, 2) complex
        """
        h = np.zeros((self.nk, 2, 2), dtype=complex)
        h[:, 0, 0] = self.e1 + shift
        h[:, 1, 1] = self.e2 + shift
        h[:, 1, 0] = self.omega  # c^dagger_2 c_1
        h[:, 0, 1] = np.conj(self.omega)
        return h


def unphysical_amount(state: State, minus: NDArray[np.intp]) -> float:
    """How far a one-body state is from being physical (0 for a physical state).

    A fermionic one-body state has a generalised density matrix
    ``G_k = <Psi_k Psi_k^dagger>``, ``Psi_k = (c_{k1}, c_{k2}, c^dagger_{-k1}, c^dagger_{-k2})``,
    with all eigenvalues in [0, 1]. Returns the largest violation
    ``max(-lambda_min, lambda_max - 1, 0)`` over k. The factorised equations admit
    unphysical fixed points (e.g. populations above 1); this rejects them.

    Parameters
    ----------
    state : State
        ``n, s`` of shape ``(nk, 2, 2)``.
    minus : (nk,) int
        Index of -k.
    """
    n, s = state
    nk = n.shape[0]
    g = np.zeros((nk, 4, 4), dtype=complex)
    g[:, :2, :2] = np.eye(2) - np.swapaxes(n, 1, 2)
    g[:, 2:, :2] = s[minus]
    g[:, :2, 2:] = np.conj(np.swapaxes(s[minus], 1, 2))
    g[:, 2:, 2:] = n[minus]
    g = 0.5 * (g + np.conj(np.swapaxes(g, 1, 2)))
    ev = np.linalg.eigvalsh(g)
    return float(max(-ev.min(), ev.max() - 1.0, 0.0))


def ground_state(nk: int, seed: complex = 0.0) -> State:
    """Valence band full, conduction band empty, ``s^21_k = seed`` (paper 002, App. B 2).

    Parameters
    ----------
    nk : int
        Number of grid points.
    seed : complex
        Initial anomalous correlator ``s^21_k`` at every k (paper: 1e-20 (1 + i)).
        ``s^12_k = -s^21_{-k}`` is set accordingly (here ``-seed``).
    """
    n = np.zeros((nk, 2, 2), dtype=complex)
    n[:, 0, 0] = 1.0
    s = np.zeros((nk, 2, 2), dtype=complex)
    s[:, 1, 0] = seed
    s[:, 0, 1] = -seed
    return State(n, s)


class Packing:
    """Real-vector packing of a :class:`State` for ODE and root solvers.

    Two layouts:

    * ``"interband"``: per k ``n11, n22, Re n21, Im n21, Re s21, Im s21``
      (6 nk reals); ``s^12_k = -s^21_{-k}``, intraband pairs ``s^11 = s^22 = 0``.
      Closed whenever the drive and the bands are even in k (paper 002):
      then ``s^11`` and ``s^22`` (odd in k) are never generated.
    * ``"full"``: adds ``s^11_k, s^22_k`` (odd in k; stored for every k and
      antisymmetrised on unpacking), 10 nk reals. Needed when the drive breaks
      k <-> -k symmetry (paper 003).

    Parameters
    ----------
    minus : (nk,) int
        Index of -k.
    layout : {"interband", "full"}
    """

    def __init__(self, minus: NDArray[np.intp], layout: str = "interband") -> None:
        if layout not in ("interband", "full"):
            raise ValueError(f"layout must be 'interband' or 'full', got {layout!r}")
        self.minus = np.asarray(minus)
        self.layout = layout
        self.nk = len(self.minus)
        self.size = (6 if layout == "interband" else 10) * self.nk

    def pack(self, state: State) -> NDArray[np.float64]:
        """State -> (size,) real vector."""
        n, s = state
        cols = [
            n[:, 0, 0].real,
            n[:, 1, 1].real,
            n[:, 1, 0].real,
            n[:, 1, 0].imag,
            s[:, 1, 0].real,
            s[:, 1, 0].imag,
        ]
        if self.layout == "full":
            cols += [s[:, 0, 0].real, s[:, 0, 0].imag, s[:, 1, 1].real, s[:, 1, 1].imag]
        return np.concatenate(cols)

    def unpack(self, y: NDArray[np.float64]) -> State:
        """(size,) or (size, batch) real vector -> State (batch axis moved to the front)."""
        y = np.asarray(y, dtype=float)
        nk = self.nk
        cols = y.reshape((-1, nk) + y.shape[1:])
        cols = np.moveaxis(cols, tuple(range(2, cols.ndim)), tuple(range(cols.ndim - 2)))
        # cols: (*batch, ncol, nk)
        batch = cols.shape[:-2]
        n = np.zeros(batch + (nk, 2, 2), dtype=complex)
        n[..., 0, 0] = cols[..., 0, :]
        n[..., 1, 1] = cols[..., 1, :]
        n21 = cols[..., 2, :] + 1j * cols[..., 3, :]
        n[..., 1, 0] = n21
        n[..., 0, 1] = np.conj(n21)
        s = np.zeros(batch + (nk, 2, 2), dtype=complex)
        s21 = cols[..., 4, :] + 1j * cols[..., 5, :]
        s[..., 1, 0] = s21
        s[..., 0, 1] = -s21[..., self.minus]
        if self.layout == "full":
            s11 = cols[..., 6, :] + 1j * cols[..., 7, :]
            s22 = cols[..., 8, :] + 1j * cols[..., 9, :]
            s[..., 0, 0] = 0.5 * (s11 - s11[..., self.minus])
            s[..., 1, 1] = 0.5 * (s22 - s22[..., self.minus])
        return State(n, s)

    def pack_derivative(self, dn: NDArray, ds: NDArray) -> NDArray[np.float64]:
        """Time derivatives (``(*batch, nk, 2, 2)``) -> real vector (``(size, *batch)``).

        Parameters
        ----------
        dn, ds : (*batch, nk, 2, 2) complex, energy (hbar = 1, so 1/time)
            d/dt of the normal and anomalous correlators ``n``, ``s``.

        Returns
        -------
        (size, *batch) float, energy
        """
        cols = [
            dn[..., 0, 0].real,
            dn[..., 1, 1].real,
            dn[..., 1, 0].real,
            dn[..., 1, 0].imag,
            ds[..., 1, 0].real,
            ds[..., 1, 0].imag,
        ]
        if self.layout == "full":
            cols += [ds[..., 0, 0].real, ds[..., 0, 0].imag, ds[..., 1, 1].real, ds[..., 1, 1].imag]
        out = np.stack(cols, axis=-2)  # (*batch, ncol, nk)
        out = out.reshape(out.shape[:-2] + (-1,))
        return np.moveaxis(out, -1, 0)
