"""Complex optical conductivity of a superconductor with a given gap and distribution.

Two forms are implemented, both for a non-thermal quasi-particle occupation n(E):

* **Mattis-Bardeen** (dirty BCS limit), generalised to a non-thermal n(E)
  (:func:`mattis_bardeen`);
* **Nam / Kubo** (paper 001 refs. 42-43: Mahan, Many-particle physics (1980), the Kubo
  formula; Nam, Phys. Rev. 156, 487 (1967)) for a
  complex, frequency-dependent gap Delta(eps) and renormalisation Z(eps) (Eliashberg)
  and a finite impurity scattering rate Gamma = hbar / tau (:func:`nam_conductivity`).

Paper 001 (main text, after Eq. 2) states only that sigma(omega, t) "is calculated by
solving a Kubo formula [42, 43]"; it prints no formula. The forms below are derived
here and checked in the tests against: the closed T = 0 Mattis-Bardeen forms, a quad
implementation of the textbook Mattis-Bardeen integrals, the published arbitrary-purity
BCS form of Zimmermann et al., Physica C 183, 99 (1991) (agreement 1e-9 at Gamma =
0.5-10 Delta), the Drude and mass-renormalised normal states, the Ferrell-Glover-
Tinkham sum rule and Kramers-Kronig relations at finite Gamma.

Conventions
-----------
* Energies and photon energies hbar*omega in meV; conductivities are returned
  normalised (dimensionless): by the normal-state conductivity sigma_N for
  Mattis-Bardeen, by sigma_0 = 1 / rho_N (the DC conductivity of the impurity
  Drude metal, paper 001 SI Table 1) for Nam.
* Time dependence exp(-i omega t): sigma = sigma_1 + i sigma_2 with sigma_2 > 0 for the
  inductive superfluid response; a Drude metal has sigma = sigma_0 / (1 - i omega tau).
* ``occupation(E) -> n`` is the occupation of one Bogoliubov quasi-particle state of
  energy E >= 0 (same for both branches and spins, i.e. no charge imbalance), as in
  :mod:`photosc.cores.bcs`. The electron distribution function of the Keldysh
  formalism is then h(eps) = 1 - 2 f_el(eps) = sign(eps) [1 - 2 n(|eps|)].

Mattis-Bardeen with a non-thermal n(E)
--------------------------------------
With g1(E, E') = (E E' + Delta^2) / (sqrt(E^2 - Delta^2) sqrt(E'^2 - Delta^2)) and
w = hbar omega::

    sigma_1/sigma_N = 2/w int_Delta^inf dE [n(E) - n(E + w)] g1(E, E + w)
                    + 1/w int_Delta^{w - Delta} dE1 [1 - n(E1) - n(w - E1)]
                          (E1 E2 - Delta^2) / (sqrt(E1^2 - Delta^2) sqrt(E2^2 - Delta^2)),
                      E2 = w - E1   (second term only for w > 2 Delta)

    sigma_2/sigma_N = 1/w int_{max(Delta - w, -Delta)}^{Delta} de [1 - 2 n(e + w)]
                          (e (e + w) + Delta^2) / (sqrt(Delta^2 - e^2) sqrt((e + w)^2 - Delta^2))

For thermal n(E) = f(E) these are Mattis and Bardeen's (Tinkham, Eqs. 3.124-3.125);
the pair-breaking term is written with the symmetric factor 1 - n(E1) - n(E2) (pair
breaking into E1, E2 minus recombination), which equals the textbook 1 - 2 f(E + w)
under the E1 <-> E2 symmetry of the integrand. The same forms follow from the dirty
limit of :func:`nam_conductivity` (derived below), which is tested numerically.

Numerics: every integral is mapped so that its inverse square-root edge singularities
become smooth: E = Delta + c sinh^2(t) in the scattering term (c = min(w, scale),
which for c = w turns dE / sqrt((E - Delta)(E + w - Delta)) into 2 dt exactly), and
cosine maps E = a + (b - a)(1 - cos theta)/2 on finite intervals with singular ends;
Gauss-Legendre nodes in the new variable, vectorised over the probe frequencies
(and, in :func:`mattis_bardeen_batch`, one compiled loop over many states, e.g. all
time steps of a kinetic run, and photon energies). Steps or kinks of n(E)
(``breakpoints``, e.g. at multiples of the pump photon energy) become panel edges in
every integral, so a discontinuous n(E) converges like a smooth one. For states
tabulated on the kinetic grid, :func:`mattis_bardeen_grid` evaluates the same forms as
FFT correlations, for all photon energies at once (method in its docstring).

Nam (Kubo) form with impurity scattering
----------------------------------------
Nambu Green's function with Born impurity scattering rate Gamma (meV) and the
retarded phonon self-energy expressed through Z(eps), Delta(eps):
D(eps) = sqrt(eps_t^2 - phi_t^2) + i Gamma/2 with eps_t = eps Z(eps), phi_t = Delta(eps)
Z(eps) (retarded branch of the root, Im >= 0, -> eps_t at large |eps|), quasi-classical
functions g = eps_t / sqrt(eps_t^2 - phi_t^2), f = phi_t / sqrt(eps_t^2 - phi_t^2)
(unchanged by non-magnetic impurities, Anderson's theorem).
Integrating the current bubble (vertex tau_0, no vertex corrections for isotropic
scattering) over xi first gives, with index 1 at eps + w and 2 at eps::

    sigma(w)/sigma_0 = i Gamma / (4 w) int de { [h(eps + w) - h(eps)] A_RA
                                              + h(eps) A_RR - h(eps + w) A_AA }
    A_RA = (1 + g1 g2* + f1 f2*) / (D1 - D2*)
    A_RR = (1 - g1 g2 - f1 f2) / (D1 + D2),    A_AA = -conj(A_RR)

This reproduces: the Drude form sigma_0 Gamma / (Gamma - i w) for Delta = 0, Z = 1;
the Holstein-renormalised normal state for Delta = 0 and complex Z; and, for
Gamma -> infinity with constant real Delta and Z = 1, the Mattis-Bardeen forms above
(Re: (1/2w) int [h(eps+w) - h(eps)] (N1 N2 + M1 M2), N = Re g, M = Re f).
The retarded functions at negative eps follow from Delta(-eps) = Delta(eps)* and
Z(-eps) = Z(eps)*.

Numerics: the eps-integral is split at the gap edges eps = +-Delta_e and
eps = +-Delta_e - w (Delta_e: the gap edge), cosine maps on the inner pieces and
sinh^2 maps on the outer ones, truncated at [-E_max - w, E_max]; ``breakpoints`` b add
panel edges at eps = +-b, +-b - w. If n(E) of a table does not tend to 1/2 at E -> 0,
h(eps) jumps at eps = 0: give 0 as a breakpoint too.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import NamedTuple

import numba as nb
import numpy as np
import scipy.fft
from numpy.typing import ArrayLike, NDArray
from scipy.special import ellipe, ellipk, expit

__all__ = [
    "GapFunction",
    "Occupation",
    "bcs_gap_function",
    "drude",
    "fgt_sum_rule_ratio",
    "mattis_bardeen",
    "mattis_bardeen_batch",
    "mattis_bardeen_grid",
    "mattis_bardeen_sigma2_low_frequency",
    "mattis_bardeen_zero_temperature",
    "nam_conductivity",
    "tabulated_gap_function",
    "tabulated_occupation",
    "thermal_occupation",
]

#: ``occupation(E) -> n``: quasi-particle occupation for energies E >= 0 (meV), any shape.
Occupation = Callable[[NDArray[np.float64]], NDArray[np.float64]]


# --------------------------------------------------------------------------------------
# occupations
def thermal_occupation(kT: float) -> Occupation:
    """Fermi occupation n(E) = 1 / (exp(E / kT) + 1) as an ``occupation`` callable.

    Parameters
    ----------
    kT : float, meV
        k_B T >= 0 (0: n = 0 for E > 0).
    """
    t = float(kT)
    if not (t >= 0 and math.isfinite(t)):
        raise ValueError(f"kT must be a finite number >= 0 meV, got {kT!r}")
    return _ThermalOccupation(t)


class _ThermalOccupation:
    """Fermi occupation at k_B T = ``kT`` (meV); the attribute lets compiled loops use it."""

    __slots__ = ("kT",)

    def __init__(self, kT: float) -> None:
        self.kT = kT

    def __call__(self, energy: NDArray[np.float64]) -> NDArray[np.float64]:
        e = np.asarray(energy, dtype=float)
        if self.kT == 0.0:
            return np.where(e > 0, 0.0, np.where(e < 0, 1.0, 0.5))
        return expit(-e / self.kT)


def tabulated_occupation(
    energy: ArrayLike, occupation: ArrayLike, *, above: float = 0.0
) -> Occupation:
    """Occupation n(E) interpolated linearly from a table (e.g. the kinetics core's f(E, t)).

    Below the first tabulated energy the first value is used (in-gap states carry no
    spectral weight in the BCS limit and little with a complex Eliashberg gap); above
    the last one ``above`` is used (default 0: an empty band beyond the table). Both are
    explicit choices, documented here, not a silent clip.

    Parameters
    ----------
    energy : (n_e,) float, meV
        Strictly increasing energies >= 0.
    occupation : (n_e,) float
        Occupations in [0, 1].
    above : float
        Occupation above ``energy[-1]``, in [0, 1].
    """
    e = np.asarray(energy, dtype=float)
    n = np.asarray(occupation, dtype=float)
    if e.ndim != 1 or e.shape != n.shape or e.size < 2:
        raise ValueError(
            f"energy and occupation must be 1-D of equal length >= 2, got shapes "
            f"{e.shape} and {n.shape}"
        )
    if not (np.all(np.isfinite(e)) and np.all(np.diff(e) > 0) and e[0] >= 0):
        raise ValueError("energy must be finite, >= 0 and strictly increasing (meV)")
    if not (np.all(np.isfinite(n)) and n.min() >= 0 and n.max() <= 1):
        raise ValueError(f"occupation must lie in [0, 1], got min {n.min()!r}, max {n.max()!r}")
    if not 0 <= above <= 1:
        raise ValueError(f"above must lie in [0, 1], got {above!r}")

    return _TabulatedOccupation(e, n, float(above))


class _TabulatedOccupation:
    """``np.interp`` of a table (left: first value, right: ``above``), with the table
    and a bucket index (:func:`_bucket_index`) for compiled loops."""

    __slots__ = ("above", "energy", "index", "slopes", "values")

    def __init__(self, energy: NDArray[np.float64], values: NDArray[np.float64], above: float):
        self.energy = np.ascontiguousarray(energy)
        self.values = np.ascontiguousarray(values)
        self.above = above
        self.index = _bucket_index(self.energy)
        self.slopes = np.diff(self.values) / np.diff(self.energy)  # np.interp's slopes

    def __call__(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        n = self.values
        return np.interp(np.asarray(x, dtype=float), self.energy, n, left=n[0], right=self.above)


def _bucket_index(energy: NDArray[np.float64]) -> tuple[NDArray[np.intp], float, int, float]:
    """Bucket index of an increasing table for O(1) look-ups in compiled loops.

    Parameters
    ----------
    energy : (n_e,) float, meV
        Strictly increasing table energies.

    Returns
    -------
    guide : (m + 1,) int
        The table range is cut into m equal buckets of width 1/inv (m <= 16 n_e, about
        the smallest table step); ``guide[k]`` is the last table index at or below the
        start of bucket k, clipped to [0, n_e - 2].
    inv : float, 1/meV
        Buckets per meV.
    n_uniform : int
        Length (>= 2) of the table's uniform prefix: steps equal to the first one to a
        relative 1e-12 (the kinetic grid; an Eliashberg grid below its geometric tail).
        There the interval index is ``int((x - energy[0]) * inv_step)`` up to one step
        of rounding, corrected by comparison with the table, so the index found is the
        same as a search's.
    inv_step : float, 1/meV
        1 / (first step).
    """
    e = energy
    span = float(e[-1] - e[0])
    step = np.diff(e)
    m = int(min(span / float(np.min(step)), 16 * e.size)) + 1
    starts = e[0] + np.arange(m + 1) * (span / m)
    guide = np.clip(np.searchsorted(e, starts, side="right") - 1, 0, e.size - 2)
    off = np.abs(step - step[0]) > 1e-12 * step[0]
    n_uniform = int(np.argmax(off)) + 1 if off.any() else e.size
    return np.ascontiguousarray(guide, dtype=np.intp), m / span, n_uniform, 1.0 / float(step[0])


_CONSTANT_GRID = np.array([0.0, 1.0])  # table of a constant function (bcs_gap_function)
_CONSTANT_GRID.flags.writeable = False
_CONSTANT_INDEX = _bucket_index(_CONSTANT_GRID)


#: Largest occupation allowed at the integration cutoff (the neglected tail).
TAIL_OCCUPATION = 1e-9


def _check_tail(occupation: Occupation, energy_max: float) -> None:
    n_end = float(_call_occupation(occupation, np.array([energy_max]))[0])
    if n_end > TAIL_OCCUPATION:
        raise ValueError(
            f"energy_max={energy_max} meV is too low: the occupation there is {n_end:.3g} "
            f"(> {TAIL_OCCUPATION:g}); the integrals would be truncated. Raise energy_max."
        )


def _call_occupation(occupation: Occupation, energy: NDArray[np.float64]) -> NDArray:
    n = np.asarray(occupation(energy), dtype=float)
    if n.shape != energy.shape:
        raise ValueError(f"occupation returned shape {n.shape}, expected {energy.shape}")
    if not np.all(np.isfinite(n)):
        raise ValueError("occupation returned non-finite values")
    return n


# --------------------------------------------------------------------------------------
# quadrature helpers
@functools.lru_cache(maxsize=32)
def _gauss(n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes and weights on [0, 1] (cached; treat as read-only)."""
    x, w = np.polynomial.legendre.leggauss(n)
    x01, w01 = 0.5 * (x + 1.0), 0.5 * w
    x01.flags.writeable = False
    w01.flags.writeable = False
    return x01, w01


def _check_omega(omega: ArrayLike) -> NDArray[np.float64]:
    w = np.atleast_1d(np.asarray(omega, dtype=float))
    if w.ndim != 1:
        raise ValueError(f"omega must be a scalar or 1-D array (meV), got shape {w.shape}")
    if not (np.all(np.isfinite(w)) and np.all(w > 0)):
        raise ValueError(f"omega (photon energies, meV) must be finite and > 0, got {w}")
    return w


def _check_positive(value: float, name: str, unit: str = "meV") -> float:
    v = float(value)
    if not (v > 0 and math.isfinite(v)):
        raise ValueError(f"{name} must be a finite number > 0 {unit}, got {value!r}")
    return v


def _check_n(n: int, name: str = "n_quad", minimum: int = 8) -> int:
    if int(n) != n or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n!r}")
    return int(n)


# --------------------------------------------------------------------------------------
# Mattis-Bardeen
# Internals broadcast: d and c have shape (n_t, 1, 1), w (1, n_w, 1), nodes the last
# axis; results are (n_t, n_w). The occupation receives arrays of shape (n_t, n_w, n).
# ``bp`` (1, 1, K) are energies where n(E) has steps or kinks: every integral is split
# into Gauss-Legendre panels at the images of E = bp (and E + w = bp) in its variable.
def _panels(
    u_max: NDArray[np.float64], u_breaks: NDArray[np.float64] | None, n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes and weights on [0, u_max] split at ``u_breaks``.

    u_max : (...,) broadcastable with u_breaks[..., 0]; u_breaks : (..., K) or None
    (NaN and values outside [0, u_max] give empty panels). Returns (..., P n) arrays.
    """
    x01, w01 = _gauss(n)
    if u_breaks is None or u_breaks.shape[-1] == 0:
        return u_max * x01, u_max * w01
    ub = np.where(np.isfinite(u_breaks), u_breaks, 0.0)
    ub = np.clip(ub, 0.0, u_max)
    zero = np.zeros(ub.shape[:-1] + (1,))
    edges = np.sort(np.concatenate([zero, ub, zero + u_max], axis=-1), axis=-1)
    a = edges[..., :-1, None]
    h = edges[..., 1:, None] - a
    shape = edges.shape[:-1] + (-1,)
    return (a + h * x01).reshape(shape), (h * w01).reshape(shape)


def _mb_scattering(
    w: NDArray[np.float64],
    d: NDArray[np.float64],
    occupation: Occupation,
    energy_max: float,
    scale: NDArray[np.float64],
    n: int,
    bp: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """2/w int_Delta^E_max dE [n(E) - n(E+w)] g1(E, E+w)."""
    c = np.minimum(w, scale)
    t_max = np.arcsinh(np.sqrt((energy_max - d) / c))
    breaks = None
    if bp is not None:
        xb = np.concatenate(np.broadcast_arrays(bp - d, bp - w - d), axis=-1)
        with np.errstate(invalid="ignore"):
            breaks = np.arcsinh(np.sqrt(xb / c))  # NaN below the gap: ignored
    t, wt = _panels(t_max, breaks, n)
    x = c * np.sinh(t) ** 2  # E - Delta
    e = d + x
    ew = e + w
    # dE = 2 c sinh t cosh t dt; 1/sqrt(E^2 - D^2) / sqrt(E'^2 - D^2) factored exactly:
    # sqrt(x (x + 2D)) sqrt((x + w)(x + w + 2D)), and c sinh t cosh t = sqrt(x (x + c)).
    jac = 2.0 * np.sqrt((x + c) / ((x + 2 * d) * (x + w) * (ew + d)))
    g = (e * ew + d * d) * jac
    dn = _call_occupation(occupation, e) - _call_occupation(occupation, ew)
    return 2.0 / w[..., 0] * np.sum(wt * dn * g, axis=-1)


def _theta_breaks(y: NDArray[np.float64], length: NDArray[np.float64]) -> NDArray:
    """theta with y = L (1 - cos theta)/2, NaN outside [0, L]."""
    with np.errstate(invalid="ignore", divide="ignore"):
        r = 1.0 - 2.0 * y / length
    return np.where(np.abs(r) <= 1.0, np.arccos(np.clip(r, -1.0, 1.0)), np.nan)


def _mb_pair_breaking(
    w: NDArray[np.float64],
    d: NDArray[np.float64],
    occupation: Occupation,
    n: int,
    bp: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """1/w int_Delta^{w-Delta} dE1 [1 - n(E1) - n(E2)] (E1 E2 - D^2)/(...) (0 for w <= 2D)."""
    a = np.maximum(w - 2 * d, 0.0)
    breaks = None
    if bp is not None:
        x1b = np.concatenate(np.broadcast_arrays(bp - d, w - bp - d), axis=-1)
        breaks = _theta_breaks(x1b, a)
    theta, wt = _panels(np.pi + 0 * a, breaks, n)
    x1 = 0.5 * a * (1.0 - np.cos(theta))
    x2 = a - x1
    e1 = d + x1
    e2 = d + x2
    # dE1 / sqrt(x1 x2) = d theta
    g = (e1 * e2 - d * d) / np.sqrt((x1 + 2 * d) * (x2 + 2 * d))
    occ = 1.0 - _call_occupation(occupation, e1) - _call_occupation(occupation, e2)
    out = np.sum(wt * occ * g, axis=-1) / w[..., 0]
    return np.where((w > 2 * d)[..., 0], out, 0.0)


def _mb_sigma2(
    w: NDArray[np.float64],
    d: NDArray[np.float64],
    occupation: Occupation,
    n: int,
    bp: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """1/w int_{max(D-w,-D)}^{D} de [1 - 2n(e+w)] (e(e+w)+D^2)/(...)."""
    length = np.minimum(w, 2 * d)
    breaks = None if bp is None else _theta_breaks(d + w - bp, length)
    theta, wt = _panels(np.pi + 0 * length, breaks, n)
    y = 0.5 * length * (1.0 - np.cos(theta))  # e = Delta - y
    ly = length - y
    e = d - y
    # singular pair y (L - y) removed exactly; the other factors are smooth
    # for w <= 2D: sqrt(D^2 - e^2) sqrt((e+w)^2 - D^2) = sqrt(y (L-y)) sqrt((2D - y)(w - y + 2D))
    # for w > 2D: L = 2D, 2D - y = L - y: sqrt(y (L - y)) sqrt((w - y)(w - y + 2D))
    rest = np.where(w <= 2 * d, (2 * d - y) * (w - y + 2 * d), (w - y) * (w + ly))
    g = (e * (e + w) + d * d) / np.sqrt(rest)
    h = 1.0 - 2.0 * _call_occupation(occupation, e + w)
    return np.sum(wt * h * g, axis=-1) / w[..., 0]


def _mb(
    w: NDArray[np.float64],
    d: NDArray[np.float64],
    occupation: Occupation,
    energy_max: float,
    scale: NDArray[np.float64],
    n: int,
    breakpoints: NDArray[np.float64] | None = None,
) -> NDArray[np.complex128]:
    """sigma/sigma_N for d (n_t,) > 0 and w (n_w,), shape (n_t, n_w)."""
    wb = w[None, :, None]
    db = d[:, None, None]
    cb = scale[:, None, None]
    bp = None if breakpoints is None or breakpoints.size == 0 else breakpoints[None, None, :]
    s1 = _mb_scattering(wb, db, occupation, energy_max, cb, n, bp)
    s1 = s1 + _mb_pair_breaking(wb, db, occupation, n, bp)
    return s1 + 1j * _mb_sigma2(wb, db, occupation, n, bp)


def _check_breakpoints(breakpoints: ArrayLike) -> NDArray[np.float64]:
    b = np.atleast_1d(np.asarray(breakpoints, dtype=float))
    if b.ndim != 1 or not np.all(np.isfinite(b)) or np.any(b < 0):
        raise ValueError(f"breakpoints must be finite energies >= 0 meV, got {breakpoints!r}")
    return np.unique(b)


def mattis_bardeen(
    omega: ArrayLike,
    delta: float,
    occupation: Occupation,
    *,
    energy_max: float,
    n_quad: int = 256,
    scale: float | None = None,
    breakpoints: ArrayLike = (),
) -> NDArray[np.complex128]:
    """Mattis-Bardeen sigma/sigma_N for a gap Delta and a non-thermal occupation n(E).

    Implements the forms in the module docstring (Mattis-Bardeen generalised to a
    non-thermal n(E); paper 001 issue 8 section 1, dirty BCS limit of refs. 42-43).

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies hbar*omega > 0.
    delta : float, meV
        BCS gap >= 0 (0 gives sigma = sigma_N: 1 + 0i).
    occupation : callable
        ``occupation(E) -> n`` for E >= Delta, meV -> dimensionless.
    energy_max : float, meV
        Upper end of the scattering integral over E; n(E) must be negligible above
        it (ValueError if n(energy_max) > 1e-9; for a thermal n take max(omega) +
        Delta + 40 kT or more).
    n_quad : int
        Gauss-Legendre nodes per integral (>= 8), per panel when ``breakpoints`` are given.
    scale : float, meV, optional
        Energy scale c of the substitution E = Delta + c sinh^2 t (default Delta/4, at
        most ``omega``): the smallest energy on which n(E) varies.
    breakpoints : sequence of float, meV
        Energies where n(E) has steps or kinks (e.g. multiples of the pump photon
        energy, paper 001 SI Figs. 10-11). Each integral is split into panels there, so
        that a discontinuous n(E) converges as fast as a smooth one; without them a
        step converges only algebraically in ``n_quad``.

    Returns
    -------
    (n_w,) complex
        sigma_1/sigma_N + i sigma_2/sigma_N.
    """
    w = _check_omega(omega)
    d = float(delta)
    if not (d >= 0 and math.isfinite(d)):
        raise ValueError(f"delta must be a finite number >= 0 meV, got {delta!r}")
    n = _check_n(n_quad)
    if d == 0.0:
        return np.ones(w.shape, dtype=complex)
    e_max = _check_positive(energy_max, "energy_max")
    if e_max <= d:
        raise ValueError(f"energy_max={e_max} meV must exceed delta={d} meV")
    c = 0.25 * d if scale is None else _check_positive(scale, "scale")
    _check_tail(occupation, e_max)
    bp = _check_breakpoints(breakpoints)
    return _mb(w, np.array([d]), occupation, e_max, np.array([c]), n, bp)[0]


class _RowTable:
    """Row-wise linear interpolation of occupations (n_t, n_e) at energies (n_t, ...)."""

    def __init__(self, energy: NDArray[np.float64], table: NDArray[np.float64], above: float):
        self.energy = energy
        self.table = np.ascontiguousarray(table)
        self.above = above
        step = np.diff(energy)
        self.step = float(step[0]) if np.allclose(step, step[0], rtol=1e-12, atol=0) else None

    def __call__(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        e, tab = self.energy, self.table
        flat = x.reshape(x.shape[0], -1)
        if self.step is not None:  # uniform grid (the kinetic grid): index arithmetic
            i0 = np.clip(((flat - e[0]) / self.step).astype(np.intp), 0, e.size - 2)
        else:
            i0 = np.clip(np.searchsorted(e, flat, side="right") - 1, 0, e.size - 2)
        frac = np.clip((flat - e[i0]) / (e[i0 + 1] - e[i0]), 0.0, 1.0)
        idx = i0 + (np.arange(flat.shape[0]) * e.size)[:, None]
        lo = tab.ravel()[idx]
        hi = tab.ravel()[idx + 1]
        out = lo + frac * (hi - lo)  # below the table: first value (frac = 0 at i0 = 0)
        out = np.where(flat > e[-1], self.above, out)
        return out.reshape(x.shape)


# --------------------------------------------------------------------------------------
# Mattis-Bardeen for tabulated occupations: compiled loops (same nodes as ``_mb``)
@nb.njit(cache=True, fastmath=False)
def _table_value(x, row, energy, table, step, above):  # pragma: no cover - compiled
    """Linear interpolation of ``table[row]`` at x (``_RowTable`` semantics)."""
    n_e = energy.size
    if x > energy[n_e - 1]:
        return above
    if step > 0.0:
        i0 = int((x - energy[0]) / step)  # truncation toward 0, as astype(intp)
    else:
        i0 = np.searchsorted(energy, x, side="right") - 1
    i0 = min(max(i0, 0), n_e - 2)
    frac = (x - energy[i0]) / (energy[i0 + 1] - energy[i0])
    frac = min(max(frac, 0.0), 1.0)
    lo = table[row, i0]
    return lo + frac * (table[row, i0 + 1] - lo)


@nb.njit(cache=True, fastmath=False)
def _panel_edges(u_max, breaks, out):  # pragma: no cover - compiled
    """Sorted panel edges [0, clip(breaks), u_max] (NaN breaks -> 0, as ``_panels``)."""
    k = breaks.size
    out[0] = 0.0
    for j in range(k):
        b = breaks[j]
        if not np.isfinite(b):
            b = 0.0
        out[j + 1] = min(max(b, 0.0), u_max)
    out[k + 1] = u_max
    out[: k + 2].sort()


@nb.njit(cache=True, fastmath=False)
def _theta_break(y, length):  # pragma: no cover - compiled
    r = 1.0 - 2.0 * y / length
    if abs(r) <= 1.0:
        return np.arccos(r)
    return np.nan


@nb.njit(cache=True, fastmath=False)
def _mb_scattering_one(
    ww, dd, c, energy_max, row, energy, table, step, above, x01, w01, bp, brk, edges
):  # pragma: no cover - compiled
    """2/w int_D^E_max dE [n(E) - n(E+w)] g1(E, E+w), E = D + c sinh^2 t (``_mb_scattering``)."""
    k = bp.size
    t_max = np.arcsinh(np.sqrt((energy_max - dd) / c))
    for j in range(k):
        xa = (bp[j] - dd) / c
        xb = (bp[j] - ww - dd) / c
        brk[j] = np.arcsinh(np.sqrt(xa)) if xa >= 0 else np.nan
        brk[k + j] = np.arcsinh(np.sqrt(xb)) if xb >= 0 else np.nan
    _panel_edges(t_max, brk[: 2 * k], edges)
    acc = 0.0
    for p in range(2 * k + 1):
        a = edges[p]
        h = edges[p + 1] - a
        if h == 0.0:
            continue
        for q in range(x01.size):
            sh = np.sinh(a + h * x01[q])
            x = c * sh * sh
            e = dd + x
            ew = e + ww
            jac = 2.0 * np.sqrt((x + c) / ((x + 2 * dd) * (x + ww) * (ew + dd)))
            dn = _table_value(e, row, energy, table, step, above) - _table_value(
                ew, row, energy, table, step, above
            )
            acc += h * w01[q] * dn * (e * ew + dd * dd) * jac
    return 2.0 / ww * acc


@nb.njit(cache=True, fastmath=False)
def _mb_pair_breaking_one(
    ww, dd, row, energy, table, step, above, x01, w01, bp, brk, edges, vacuum
):  # pragma: no cover - compiled
    """1/w int_D^{w-D} dE1 [v - n(E1) - n(E2)] (E1 E2 - D^2)/(...) (``_mb_pair_breaking``).

    v = ``vacuum``: 1 for the full term, 0 for its occupation-dependent part only.
    """
    if ww <= 2 * dd:
        return 0.0
    k = bp.size
    length = ww - 2 * dd
    for j in range(k):
        brk[j] = _theta_break(bp[j] - dd, length)
        brk[k + j] = _theta_break(ww - bp[j] - dd, length)
    _panel_edges(np.pi, brk[: 2 * k], edges)
    acc = 0.0
    for p in range(2 * k + 1):
        a = edges[p]
        h = edges[p + 1] - a
        if h == 0.0:
            continue
        for q in range(x01.size):
            x1 = 0.5 * length * (1.0 - np.cos(a + h * x01[q]))
            x2 = length - x1
            e1 = dd + x1
            e2 = dd + x2
            g = (e1 * e2 - dd * dd) / np.sqrt((x1 + 2 * dd) * (x2 + 2 * dd))
            occ = (
                vacuum
                - _table_value(e1, row, energy, table, step, above)
                - _table_value(e2, row, energy, table, step, above)
            )
            acc += h * w01[q] * occ * g
    return acc / ww


@nb.njit(cache=True, fastmath=False)
def _mb_sigma2_one(
    ww, dd, row, energy, table, step, above, x01, w01, bp, brk, edges, vacuum
):  # pragma: no cover - compiled
    """1/w int de [v - 2n(e+w)] (e(e+w)+D^2)/(...), e = D - y (``_mb_sigma2``); v = ``vacuum``."""
    k = bp.size
    length = min(ww, 2 * dd)
    for j in range(k):
        brk[j] = _theta_break(dd + ww - bp[j], length)
    _panel_edges(np.pi, brk[:k], edges)
    acc = 0.0
    for p in range(k + 1):
        a = edges[p]
        h = edges[p + 1] - a
        if h == 0.0:
            continue
        for q in range(x01.size):
            y = 0.5 * length * (1.0 - np.cos(a + h * x01[q]))
            e = dd - y
            if ww <= 2 * dd:
                rest = (2 * dd - y) * (ww - y + 2 * dd)
            else:
                rest = (ww - y) * (ww + length - y)
            g = (e * (e + ww) + dd * dd) / np.sqrt(rest)
            hh = vacuum - 2.0 * _table_value(e + ww, row, energy, table, step, above)
            acc += h * w01[q] * hh * g
    return acc / ww


@nb.njit(cache=True, fastmath=False)
def _mb_table_kernel(
    w, d, scale, energy, table, step, above, energy_max, x01, w01, bp
):  # pragma: no cover - compiled
    """sigma_1/sigma_N and sigma_2/sigma_N (n_t, n_w) of ``_mb`` for tabulated rows."""
    n_t, n_w, k = d.size, w.size, bp.size
    s1 = np.zeros((n_t, n_w))
    s2 = np.zeros((n_t, n_w))
    brk = np.empty(2 * k)
    edges = np.empty(2 * k + 2)
    for it in range(n_t):
        dd = d[it]
        for iw in range(n_w):
            ww = w[iw]
            c = min(ww, scale[it])
            tab = (it, energy, table, step, above)
            s1[it, iw] = _mb_scattering_one(
                ww, dd, c, energy_max, *tab, x01, w01, bp, brk, edges
            ) + _mb_pair_breaking_one(ww, dd, *tab, x01, w01, bp, brk, edges, 1.0)
            s2[it, iw] = _mb_sigma2_one(ww, dd, *tab, x01, w01, bp, brk, edges, 1.0)
    return s1, s2


def mattis_bardeen_batch(
    omega: ArrayLike,
    delta: ArrayLike,
    energy: ArrayLike,
    occupations: ArrayLike,
    *,
    energy_max: float,
    n_quad: int = 256,
    above: float = 0.0,
    breakpoints: ArrayLike = (),
) -> NDArray[np.complex128]:
    """Mattis-Bardeen sigma/sigma_N for many states at once (e.g. every time step of a run).

    Same forms and quadrature nodes as :func:`mattis_bardeen`, for a leading axis of
    states: gap Delta_k and occupation table n_k(E) of state k, interpolated linearly
    like :func:`tabulated_occupation` (first value below the table, ``above`` beyond
    it). One compiled (Numba) loop over states, photon energies and nodes, with no
    temporary arrays; the cost is ~ n_t n_w (panels) ``n_quad``. For many probe
    energies on a kinetic grid see :func:`mattis_bardeen_grid`.

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies > 0.
    delta : (n_t,) float, meV
        Gaps >= 0 (rows with 0 give 1 + 0i).
    energy : (n_e,) float, meV
        Increasing energies of the occupation tables (e.g. the kinetic grid).
    occupations : (n_t, n_e) float
        n_k(E) in [0, 1].
    energy_max : float, meV
        Upper end of the scattering integral (see :func:`mattis_bardeen`); every row
        must be below 1e-9 there.
    n_quad : int
        Gauss-Legendre nodes per integral.
    above : float
        Occupation beyond ``energy[-1]``.
    breakpoints : sequence of float, meV
        Steps or kinks of n(E) common to all states (see :func:`mattis_bardeen`).

    Returns
    -------
    (n_t, n_w) complex
    """
    w = _check_omega(omega)
    d = np.atleast_1d(np.asarray(delta, dtype=float))
    e = np.asarray(energy, dtype=float)
    occ = np.asarray(occupations, dtype=float)
    if d.ndim != 1 or not (np.all(np.isfinite(d)) and np.all(d >= 0)):
        raise ValueError(f"delta must be a 1-D array of finite gaps >= 0 meV, got {delta!r}")
    if e.ndim != 1 or e.size < 2 or not np.all(np.diff(e) > 0):
        raise ValueError("energy must be 1-D, strictly increasing, with >= 2 points (meV)")
    if occ.shape != (d.size, e.size):
        raise ValueError(
            f"occupations must have shape (n_t, n_e) = {(d.size, e.size)}, got {occ.shape}"
        )
    if not (np.all(np.isfinite(occ)) and occ.min() >= 0 and occ.max() <= 1):
        raise ValueError("occupations must be finite and lie in [0, 1]")
    n = _check_n(n_quad)
    e_max = _check_positive(energy_max, "energy_max")
    out = np.ones((d.size, w.size), dtype=complex)
    sc = d > 0
    if not np.any(sc):
        return out
    if e_max <= d.max():
        raise ValueError(f"energy_max={e_max} meV must exceed every delta (max {d.max()} meV)")
    table = _RowTable(e, occ[sc], float(above))
    tail = table(np.full((int(sc.sum()), 1), e_max))
    if np.max(tail) > TAIL_OCCUPATION:
        raise ValueError(
            f"energy_max={e_max} meV is too low: an occupation there is {np.max(tail):.3g} "
            f"(> {TAIL_OCCUPATION:g}). Raise energy_max."
        )
    bp = _check_breakpoints(breakpoints)
    x01, w01 = _gauss(n)
    s1, s2 = _mb_table_kernel(
        w, d[sc], 0.25 * d[sc], e, table.table, table.step or 0.0, table.above, e_max, x01, w01, bp
    )
    out[sc] = s1 + 1j * s2
    return out


# --------------------------------------------------------------------------------------
# Mattis-Bardeen on the kinetic grid: correlations by FFT
#: Gauss-Legendre nodes per lattice cell for the moments of N, P (in the u variable),
#: within ``_GRID_NEAR_CELLS`` cells of the gap edge and beyond (where a cell spans
#: du < 0.2 sqrt(h / Delta): the 4-node rule is exact to ~1e-12 there).
_GRID_MOMENT_NODES = 6
_GRID_MOMENT_NODES_FAR = 4
_GRID_NEAR_CELLS = 20
#: Probe energies closer than this many lattice steps to 2 Delta: pair-breaking and
#: sigma_2 integrals by direct quadrature (panels at the table's kinks).
_GRID_EDGE_WINDOW = 6
#: Smallest probe energy, in lattice steps (nearly coincident edge singularities below).
_GRID_MIN_STEPS = 4
#: The default ``refine`` puts the smallest probe energy at >= this many lattice steps.
_GRID_AUTO_STEPS = 10
#: Gauss-Legendre nodes per panel of the direct quadrature near 2 Delta.
_GRID_DIRECT_NODES = 8


def _cell_moments(
    d: NDArray[np.float64], left: NDArray[np.float64], h: float, order: int, gap: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Raw moments int_cell X(E) x^p dE, p = 0 .. order, of X = N, P (or N2, P2).

    Cells [left[t, i], left[t, i] + h] for the gap d[t] (d (n_t,), left (n_t, n_c)),
    x = 2 (E - left)/h - 1 in [-1, 1]. Quasi-particle side (``gap=False``):
    N = E/sqrt(E^2 - D^2), P = D/sqrt(E^2 - D^2) on E > D, integrated in u with
    E = D cosh u (N dE = E du, P dE = D du: smooth integrands). In-gap side
    (``gap=True``): N2 = e/sqrt(D^2 - e^2), P2 = D/sqrt(D^2 - e^2) on |e| < D, with
    e = -D cos(theta) (N2 de = e d theta, P2 de = D d theta). Gauss-Legendre with
    ``_GRID_MOMENT_NODES`` nodes per cell. Returns two (order + 1, n_t, n_c) arrays.
    """
    xg, wg = _gauss(_GRID_MOMENT_NODES)
    xf, wf = _gauss(_GRID_MOMENT_NODES_FAR)
    left = np.ascontiguousarray(left)
    return _cell_moments_kernel(d, left, h, order, gap, xg, wg, xf, wf)


@nb.njit(cache=True, fastmath=False)
def _cell_moments_kernel(d, left, h, order, gap, xg, wg, xf, wf):  # pragma: no cover - compiled
    n_t, n_c = left.shape
    rn = np.zeros((order + 1, n_t, n_c))
    rp = np.zeros((order + 1, n_t, n_c))
    for it in range(n_t):
        dd = d[it]
        for ic in range(n_c):
            a = left[it, ic]
            b = a + h
            if gap:
                if b <= -dd or a >= dd:
                    continue
                ua = np.arccos(-max(a, -dd) / dd)
                ub = np.arccos(-min(b, dd) / dd)
            else:
                if b <= dd:
                    continue
                ua = np.arccosh(max(a, dd) / dd)
                ub = np.arccosh(b / dd)
            span = ub - ua
            far = not gap and a > dd + _GRID_NEAR_CELLS * h
            xs, ws = (xf, wf) if far else (xg, wg)
            for g in range(xs.size):
                u = ua + span * xs[g]
                e = -dd * np.cos(u) if gap else dd * np.cosh(u)
                x = 2.0 * (e - a) / h - 1.0
                wn = span * ws[g] * e
                wp = span * ws[g] * dd
                xp = 1.0
                for p in range(order + 1):
                    rn[p, it, ic] += wn * xp
                    rp[p, it, ic] += wp * xp
                    xp *= x
    return rn, rp


def _lagrange4(
    values: NDArray[np.float64], t: NDArray[np.float64], lo: NDArray, hi: NDArray
) -> NDArray[np.float64]:
    """Cubic Lagrange interpolation on unit-spaced knots.

    values : (n_t, M) samples at knots 0 .. M-1; t : (n_t, n_w) positions in knot units;
    lo, hi : (n_t, n_w) int, the stencil [s, s + 3] is kept within [lo, hi].
    """
    s = np.clip(np.floor(t).astype(np.intp) - 1, lo, hi - 3)
    x = t - s
    l0 = -(x - 1) * (x - 2) * (x - 3) / 6
    l1 = x * (x - 2) * (x - 3) / 2
    l2 = -x * (x - 1) * (x - 3) / 2
    l3 = x * (x - 1) * (x - 2) / 6
    rows = np.arange(values.shape[0])[:, None]
    return (
        l0 * values[rows, s]
        + l1 * values[rows, s + 1]
        + l2 * values[rows, s + 2]
        + l3 * values[rows, s + 3]
    )


@nb.njit(cache=True, fastmath=False)
def _gap_correlation(u_n, u_p, g_n, g_p, g_lo, m_max):  # pragma: no cover - compiled
    """sum_k sum_i [u_n u_p]_k,i [g_n g_p]_k,(i - m - g_lo), m = 0 .. m_max."""
    n_k, n_t, n_u = u_n.shape
    n_g = g_n.shape[2]
    out = np.zeros((n_t, m_max + 1))
    for it in range(n_t):
        for m in range(m_max + 1):
            acc = 0.0
            for k in range(n_k):
                for j in range(n_g):
                    i = m + g_lo[it] + j
                    if 0 <= i < n_u:
                        acc += u_n[k, it, i] * g_n[k, it, j] + u_p[k, it, i] * g_p[k, it, j]
            out[it, m] = acc
    return out


@nb.njit(cache=True, fastmath=False)
def _mb_edge_kernel(w, rows, d, energy, table, step, x01, w01):  # pragma: no cover - compiled
    """Occupation parts of the pair-breaking sigma_1 and of sigma_2 by quadrature.

    Per request i: photon energy w[i], state rows[i]; panels at the table energies (the
    kinks of the linear interpolation) in range. The T = 0 parts are left out (closed
    forms).
    """
    n = w.size
    s1 = np.zeros(n)
    s2 = np.zeros(n)
    for i in range(n):
        ww, dd, row = w[i], d[rows[i]], rows[i]
        tab = (row, energy, table, step, 0.0)
        a = np.searchsorted(energy, dd)
        b = np.searchsorted(energy, ww + dd)
        bp = energy[a:b]
        brk = np.empty(2 * bp.size)
        edges = np.empty(2 * bp.size + 2)
        s1[i] = _mb_pair_breaking_one(ww, dd, *tab, x01, w01, bp, brk, edges, 0.0)
        s2[i] = _mb_sigma2_one(ww, dd, *tab, x01, w01, bp, brk, edges, 0.0)
    return s1, s2


def _check_kinetic_grid(energy: ArrayLike) -> tuple[NDArray[np.float64], float]:
    e = np.asarray(energy, dtype=float)
    if e.ndim != 1 or e.size < 2 or not np.all(np.isfinite(e)):
        raise ValueError("energy must be a finite 1-D array with >= 2 points (meV)")
    h = float(e[1] - e[0])
    k = np.arange(e.size)
    if not (h > 0 and np.allclose(e, (k + 0.5) * h, rtol=1e-9, atol=1e-9 * h)):
        raise ValueError(
            "energy must be the kinetic grid's bin centres (i + 1/2) h, i = 0, 1, ... "
            "(photosc.cores.kinetics.KineticGrid.energy); use mattis_bardeen_batch otherwise"
        )
    return e, h


def mattis_bardeen_grid(
    omega: ArrayLike,
    delta: ArrayLike,
    energy: ArrayLike,
    occupations: ArrayLike,
    *,
    refine: int | None = None,
) -> NDArray[np.complex128]:
    """Mattis-Bardeen sigma/sigma_N of states tabulated on the kinetic grid, by FFT.

    Same quantity as :func:`mattis_bardeen_batch` with ``above=0`` (the forms of the
    module docstring; n_k(E) interpolated linearly between the bin centres, the first
    value below them, 0 beyond the last), for all probe energies at once: the cost is
    a few FFTs of length ~2 (n_e + omega_max / h') per state, nearly independent of the
    number of probe energies (paper 001 issue 8 section 4: the optics of a time step
    must cost much less than the kinetic step). Unlike the quadrature, it integrates the
    table's kinks (steps of a pumped f included) exactly, with no breakpoints to give.

    Method. With N(E) = E/sqrt(E^2 - D^2), P(E) = D/sqrt(E^2 - D^2) (0 for E < D), their
    in-gap counterparts N2(e) = e/sqrt(D^2 - e^2), P2(e) = D/sqrt(D^2 - e^2) (|e| < D)
    and the closed T = 0 forms sigma^0 (:func:`mattis_bardeen_zero_temperature`)::

        w sigma_1/sigma_N = w Re sigma^0 + 2 sum_{X = N, P} [A_X - B_X - s_X C_X](w)
        w sigma_2/sigma_N = w Im sigma^0 - 2 [D_N + D_P](w),        s_N = 1, s_P = -1
        A_X = int dE n X(E) X(E + w),   B_X = int dE n X(E) X(E - w),
        C_X = int dE n X(E) X(w - E),   D_X = int dE n X(E) X2(E - w)

    (g1 = N N' + P P' in the scattering term, N N' - P P' in the pair-breaking term,
    whose n(E2) part equals its n(E1) part by E1 <-> E2). On a lattice of cells of width
    h' = h / ``refine`` with edges at the bin centres, n(E) is linear on every cell and,
    for w = m h', the cells map onto each other under E -> E +- w and E -> w - E. Each
    cell integral uses int_cell u v = sum_{k=0,1} (2k + 1)/h' M_k(u) M_k(v) (Legendre
    moments M_k), exact when one factor is linear, with an error of second order in h'
    times the other factor's mass when one factor has the inverse-square-root edge
    singularity (whose moments are integrated in E = D cosh u, where it is smooth). So
    A, B, C are correlations of cell sequences, one real FFT per sequence giving them
    at every lattice frequency (D, over the 2 D / h' in-gap cells, is summed directly).
    The occupation-dependent parts are interpolated to the probe energies by cubic
    Lagrange polynomials on one side of 2 Delta; within 6 h' of 2 Delta (two edge
    singularities meet there and the pair-breaking onset is not smooth) the pair-breaking
    and sigma_2 integrals are done by the substitution quadrature of
    :func:`mattis_bardeen_batch`, with panel edges at every bin centre in range.

    Accuracy, against that quadrature with a panel edge at every bin centre (the exact
    integrals of the same table; tests/cores/optics/test_conductivity_fast.py,
    benchmarks/bench_pump_probe.py): |error| <= 1e-7 far above the gap (w > 4 Delta),
    ~1e-6 near 2 Delta, up to 5e-5 (2e-5 relative) at the smallest probe energy of 10 h'
    (the two factors' edge singularities approach each other as w -> 0: the error grows
    like (h'/w)^2, hence the default ``refine``). Where a kink of the table at E_k
    crosses the gap edge, at w = E_k -+ Delta, sigma(w) has a (w - w_k)^(3/2) feature
    that the interpolation resolves to ~ (slope jump) h'^(3/2): 1.6e-4 for a step of
    0.02 in n(E) within one 0.1 meV bin (2 % of that step's signal at that w), falling
    like ``refine``^(-3/2). The quadrature path (``n_quad`` 64-256, panels only at
    the given breakpoints) errs by ~1e-6 for such tables, and by ~1e-3 at steps it is
    not told of.

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies > 0, at least 4 lattice steps (4 h / ``refine``).
    delta : float or (n_t,) float, meV
        Gaps >= 0 (0 gives 1 + 0i).
    energy : (n_e,) float, meV
        The kinetic grid's bin centres (i + 1/2) h, i = 0 .. n_e - 1
        (:attr:`photosc.cores.kinetics.KineticGrid.energy`).
    occupations : (n_e,) or (n_t, n_e) float
        n_k(E) in [0, 1] on ``energy`` (one row per gap).
    refine : int, optional
        Lattice cells per bin (>= 1); default: the smallest that puts min(omega) at
        >= 10 lattice steps. The cost grows about linearly with it.

    Returns
    -------
    (n_w,) complex for a scalar ``delta``, else (n_t, n_w) complex
        sigma_1/sigma_N + i sigma_2/sigma_N.
    """
    w = _check_omega(omega)
    scalar = np.ndim(delta) == 0
    d = np.atleast_1d(np.asarray(delta, dtype=float))
    e, h = _check_kinetic_grid(energy)
    occ = np.asarray(occupations, dtype=float)
    if scalar and occ.ndim == 1:
        occ = occ[None, :]
    if d.ndim != 1 or not (np.all(np.isfinite(d)) and np.all(d >= 0)):
        raise ValueError(f"delta must be finite gaps >= 0 meV, got {delta!r}")
    if occ.shape != (d.size, e.size):
        raise ValueError(
            f"occupations must have shape (n_t, n_e) = {(d.size, e.size)}, got {occ.shape}"
        )
    if not (np.all(np.isfinite(occ)) and occ.min() >= 0 and occ.max() <= 1):
        raise ValueError("occupations must be finite and lie in [0, 1]")
    if refine is None:
        q = max(1, math.ceil(_GRID_AUTO_STEPS * h / float(w.min()) - 1e-9))
    else:
        q = _check_n(refine, "refine", minimum=1)
        if w.min() < _GRID_MIN_STEPS * h / q * (1 - 1e-9):
            raise ValueError(
                f"omega must be >= {_GRID_MIN_STEPS} lattice steps "
                f"({_GRID_MIN_STEPS * h / q} meV at refine={q}); raise refine"
            )
    out = np.ones((d.size, w.size), dtype=complex)
    sc = np.nonzero(d > 0)[0]
    if sc.size:
        out[sc] = _mb_grid(w, d[sc], e, h, occ[sc], q)
    return out[0] if scalar else out


def _mb_grid(
    w: NDArray[np.float64],
    d: NDArray[np.float64],
    e: NDArray[np.float64],
    h: float,
    occ: NDArray[np.float64],
    q: int,
) -> NDArray[np.complex128]:
    """:func:`mattis_bardeen_grid` for gaps d (n_t,) > 0; returns (n_t, n_w)."""
    n_t, n_e = occ.shape
    hq = h / q
    n_u = q * n_e  # cells from -h/2 (constant first value) to the last bin centre
    m_max = math.ceil(w.max() / hq) + 4
    n_v = n_u + m_max
    # occupation at the lattice points -h/2 + i hq, i = 0 .. n_u (linear between centres)
    ext = np.concatenate([occ[:, :1], occ], axis=1)  # value at -h/2 is the first one
    frac = np.arange(q) / q
    pts = ext[:, :-1, None] * (1 - frac) + ext[:, 1:, None] * frac
    n_pts = np.concatenate([pts.reshape(n_t, n_u), occ[:, -1:]], axis=1)  # (n_t, n_u + 1)
    # Legendre moments (k = 0, 1) of N, P on the lattice cells, of n_lin N, n_lin P on
    # the first n_u of them, and of N2, P2 on the in-gap cells
    db = d[:, None]
    left = np.broadcast_to(-0.5 * h + np.arange(n_v) * hq, (n_t, n_v))
    rn, rp = _cell_moments(d, left, hq, 2, gap=False)  # (3, n_t, n_v)
    nl, nr = n_pts[:, :-1], n_pts[:, 1:]

    def u_mom(r: NDArray[np.float64]) -> NDArray[np.float64]:
        # n_lin = nl (1 - x)/2 + nr (1 + x)/2; P_0 = 1, P_1 = x
        r0, r1, r2 = r[0][:, :n_u], r[1][:, :n_u], r[2][:, :n_u]
        return np.stack(
            [
                0.5 * (nl * (r0 - r1) + nr * (r0 + r1)),
                0.5 * (nl * (r1 - r2) + nr * (r1 + r2)),
            ]
        )

    g_lo = np.floor((-d + 0.5 * h) / hq).astype(np.intp)  # first in-gap cell index
    n_g = int(np.max(np.ceil((d + 0.5 * h) / hq).astype(np.intp) - g_lo)) + 1
    g_left = -0.5 * h + (g_lo[:, None] + np.arange(n_g)) * hq
    gn, gp = _cell_moments(d, g_left, hq, 1, gap=True)  # (2, n_t, n_g)
    # circular correlations long enough for no wrap-around into the knots 0 .. m_max:
    # A needs size >= n_v, B >= n_v + m_max, C >= n_u + n_v - q
    size = scipy.fft.next_fast_len(max(n_v + m_max, n_u + n_v), real=True)
    u_n, u_p = u_mom(rn), u_mom(rp)

    def fft(a: NDArray[np.float64]) -> NDArray[np.complex128]:
        return scipy.fft.rfft(a, size, axis=-1)

    fac = (np.array([1.0, 3.0]) / hq)[:, None, None]  # (2k + 1)/h' of the product rule
    un, up = fft(fac * u_n), fft(fac * u_p)
    vn, vp = fft(rn[:2]), fft(rp[:2])
    # A[m] = sum_i u_i v_{i+m} and B[m] = sum_i u_i v_{i-m}: spectra conj(U) V and
    # U conj(V), so A - B has the spectrum 2i Im(conj(U) V); C[m] = sum_i u_i v_{m-1+q-i}
    # (reflected cells: odd moments change sign)
    x = np.sum(np.conj(un) * vn + np.conj(up) * vp, 0)
    a_b = scipy.fft.irfft(2j * x.imag, size)
    c_ = scipy.fft.irfft((un[0] * vn[0] - up[0] * vp[0]) - (un[1] * vn[1] - up[1] * vp[1]), size)
    m = np.arange(m_max + 1)
    scatter = 2.0 * a_b[:, m]  # (n_t, m_max + 1); knot m at w = m hq
    pair = -2.0 * c_[:, m - 1 + q]
    # D[m] = sum_i u_i g_{i-m} (g stored from cell g_lo on): short, summed directly
    sig2 = -2.0 * _gap_correlation(fac * u_n, fac * u_p, gn, gp, g_lo, m_max)
    # interpolate the n-dependent parts to the probe energies (knots >= 1)
    t = np.broadcast_to(w / hq, (n_t, w.size))
    one = np.ones_like(t, dtype=np.intp)
    top = np.full_like(one, m_max)
    edge = 2 * d[:, None] / hq  # 2 Delta in knot units
    ws_scatter = _lagrange4(scatter, t, one, top)
    below = t < edge
    lo_side = np.where(below, one, np.ceil(edge + 1).astype(np.intp))
    hi_side = np.where(below, np.floor(edge - 1).astype(np.intp), top)
    ok = (hi_side - lo_side >= 3) & (np.abs(t - edge) >= _GRID_EDGE_WINDOW)
    lo_side = np.where(ok, lo_side, one)
    hi_side = np.where(ok, hi_side, top)
    ws_pair = np.where(below, 0.0, _lagrange4(pair, t, lo_side, hi_side))
    ws2 = _lagrange4(sig2, t, lo_side, hi_side)
    res = _mb_t0(w[None, :], db) + (ws_scatter + ws_pair + 1j * ws2) / w
    # near 2 Delta (and where a side has too few knots): direct quadrature
    it, iw = np.nonzero(~ok)
    if it.size:
        x01, w01 = _gauss(_GRID_DIRECT_NODES)
        p1, p2 = _mb_edge_kernel(w[iw], it, d, e, np.ascontiguousarray(occ), h, x01, w01)
        res[it, iw] = _mb_t0(w[iw], d[it]) + ws_scatter[it, iw] / w[iw] + p1 + 1j * p2
    return res


def mattis_bardeen_zero_temperature(omega: ArrayLike, delta: float) -> NDArray[np.complex128]:
    """Closed T = 0 Mattis-Bardeen forms (elliptic integrals), sigma/sigma_N.

    sigma_1/sigma_N = (1 + 2D/w) E(k) - (4D/w) K(k), k = (w - 2D)/(w + 2D), w > 2D
    (0 below); sigma_2/sigma_N = (1/2)(1 + 2D/w) E(k') - (1/2)(1 - 2D/w) K(k'),
    k' = sqrt(1 - k^2), k = |2D - w|/(2D + w) (Mattis and Bardeen 1958; Zimmermann et
    al., Physica C 183, 99 (1991)). K, E: complete elliptic integrals of modulus k
    (SciPy takes the parameter m = k^2).

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies > 0.
    delta : float, meV
        Gap > 0.

    Returns
    -------
    (n_w,) complex
    """
    w = _check_omega(omega)
    d = _check_positive(delta, "delta")
    return _mb_t0(w, d)


def _mb_t0(w: NDArray[np.float64], d: NDArray[np.float64] | float) -> NDArray[np.complex128]:
    """:func:`mattis_bardeen_zero_temperature` without checks; w, d broadcast."""
    r = 2 * d / w
    k = np.abs(w - 2 * d) / (w + 2 * d)
    s1 = np.where(w > 2 * d, (1 + r) * ellipe(k * k) - 2 * r * ellipk(k * k), 0.0)
    m2 = 1.0 - k * k
    with np.errstate(invalid="ignore"):
        kpart = np.where(r == 1.0, 0.0, (1 - r) * ellipk(m2))  # K(1) = inf at w = 2 Delta
    s2 = 0.5 * (1 + r) * ellipe(m2) - 0.5 * kpart
    return s1 + 1j * s2


def mattis_bardeen_sigma2_low_frequency(
    omega: ArrayLike, delta: float, kT: float
) -> NDArray[np.float64]:
    """Low-frequency limit sigma_2/sigma_N = (pi Delta / w) tanh(Delta / 2kT), w << Delta.

    Parameters
    ----------
    omega : (n_w,) float, meV
    delta : float, meV
    kT : float, meV (0 allowed)
    """
    w = _check_omega(omega)
    d = _check_positive(delta, "delta")
    th = 1.0 if kT == 0 else math.tanh(d / (2 * float(kT)))
    return np.pi * d / w * th


def fgt_sum_rule_ratio(
    omega: ArrayLike,
    sigma1_over_sigman: ArrayLike,
    superfluid_weight: float,
    *,
    tail: bool = True,
) -> float:
    """Ferrell-Glover-Tinkham ratio: missing area of sigma_1 over the superfluid weight.

    ratio = int_0^inf (1 - sigma_1/sigma_N) dw / ((pi/2) D),  D = lim_{w->0} w sigma_2/sigma_N

    (sigma_1 carries the delta peak (pi/2) D delta(w) on w >= 0, sigma_2 = D / w.) The
    integral is the trapezoid rule on the given grid plus the interval [0, omega[0]]
    at the first value. With ``tail`` the part above omega[-1] is added from the
    Mattis-Bardeen asymptote 1 - sigma_1/sigma_N = (a ln w + b) / w^2 fitted to the last
    two grid points (integral (a (ln W + 1) + b) / W); without it the grid must reach far
    enough above 2 Delta for the neglected tail (~ 2.3 Delta^2 ln(W/Delta)/W) to be small.

    Parameters
    ----------
    omega : (n_w,) float, meV
        Increasing photon energies, from well below to far above 2 Delta.
    sigma1_over_sigman : (n_w,) float
        sigma_1/sigma_N on ``omega``.
    superfluid_weight : float, meV
        D = lim w sigma_2/sigma_N (pi Delta tanh(Delta/2kT) in the dirty limit).
    tail : bool
        Add the extrapolated high-frequency tail.

    Returns
    -------
    float (1 when the sum rule holds)
    """
    w = np.asarray(omega, dtype=float)
    s = np.asarray(sigma1_over_sigman, dtype=float)
    if w.ndim != 1 or w.shape != s.shape or w.size < 3 or np.any(np.diff(w) <= 0):
        raise ValueError(
            "omega must be 1-D, strictly increasing, >= 3 points, and match sigma1_over_sigman"
        )
    d = _check_positive(superfluid_weight, "superfluid_weight")
    y = 1.0 - s
    area = w[0] * y[0] + float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(w)))
    if tail:
        x1, x2 = w[-2], w[-1]
        mat = np.array([[math.log(x1), 1.0], [math.log(x2), 1.0]])
        a, b = np.linalg.solve(mat, np.array([y[-2] * x1 * x1, y[-1] * x2 * x2]))
        area += (a * (math.log(x2) + 1.0) + b) / x2
    return area / (0.5 * np.pi * d)


# --------------------------------------------------------------------------------------
# Nam
class GapFunction(NamedTuple):
    """Retarded gap and renormalisation functions of real energy.

    Attributes
    ----------
    delta : callable
        ``delta(eps) -> complex`` gap function Delta(eps), meV, for real eps (any sign).
    z : callable
        ``z(eps) -> complex`` renormalisation Z(eps), dimensionless.
    edge : float, meV
        Gap edge Delta_e (where Re sqrt(eps^2 - Delta^2) opens); used for panel edges.
    """

    delta: Callable[[NDArray[np.float64]], NDArray[np.complex128]]
    z: Callable[[NDArray[np.float64]], NDArray[np.complex128]]
    edge: float


def bcs_gap_function(delta: float) -> GapFunction:
    """Constant real BCS gap, Z = 1.

    Parameters
    ----------
    delta : float, meV
        Gap >= 0.
    """
    d = float(delta)
    if not (d >= 0 and math.isfinite(d)):
        raise ValueError(f"delta must be a finite number >= 0 meV, got {delta!r}")

    e, index = _CONSTANT_GRID, _CONSTANT_INDEX  # slope-0 interpolation: exactly d and 1
    dl = _TabulatedGap(e, np.full(2, d, dtype=complex), index)
    return GapFunction(dl, _TabulatedGap(e, np.ones(2, dtype=complex), index), d)


def tabulated_gap_function(
    energy: ArrayLike, delta: ArrayLike, z: ArrayLike, *, edge: float | None = None
) -> GapFunction:
    """Gap function from a table on eps >= 0 (e.g. the Eliashberg core's solution).

    Real and imaginary parts are interpolated linearly; negative energies use
    Delta(-eps) = Delta(eps)*, Z(-eps) = Z(eps)* (retarded functions of a real-time
    kernel). Beyond the table the last values are kept: the table must extend well
    past the phonon spectrum, where Delta(eps) has decayed and Z(eps) -> 1; the Nam
    integral is truncated at the table's end (``energy_max``).

    Parameters
    ----------
    energy : (n_e,) float, meV
        Increasing energies, starting at or below the gap edge, >= 0.
    delta : (n_e,) complex, meV
        Delta(eps).
    z : (n_e,) complex
        Z(eps).
    edge : float, meV, optional
        Gap edge; default: the first eps with eps >= Re Delta(eps).
    """
    e = np.array(energy, dtype=float)  # a private copy: the bucket index stays valid
    dl = np.asarray(delta, dtype=complex)
    zz = np.asarray(z, dtype=complex)
    if e.ndim != 1 or e.shape != dl.shape or e.shape != zz.shape or e.size < 2:
        raise ValueError(
            f"energy, delta and z must be 1-D of equal length >= 2, got {e.shape}, "
            f"{dl.shape}, {zz.shape}"
        )
    if not (np.all(np.isfinite(e)) and e[0] >= 0 and np.all(np.diff(e) > 0)):
        raise ValueError("energy must be finite, >= 0 and strictly increasing (meV)")
    if not (np.all(np.isfinite(dl)) and np.all(np.isfinite(zz))):
        raise ValueError("delta and z must be finite")
    if edge is None:
        above = np.nonzero(e >= dl.real)[0]
        if above.size == 0:
            raise ValueError("the table never reaches the gap edge eps = Re Delta(eps)")
        edge = float(e[above[0]])

    index = _bucket_index(e)
    return GapFunction(_TabulatedGap(e, dl, index), _TabulatedGap(e, zz, index), float(edge))


class _TabulatedGap:
    """``f(eps)``: linear interpolation of a complex table on eps >= 0 (``np.interp``,
    end values held), f(-eps) = f(eps)*. The table and its bucket index are attributes,
    so that :func:`nam_conductivity` interpolates inside its compiled loop."""

    __slots__ = ("energy", "index", "slopes", "values")

    def __init__(
        self,
        energy: NDArray[np.float64],
        values: NDArray[np.complex128],
        index: tuple[NDArray[np.intp], float],
    ) -> None:
        self.energy = energy
        self.values = np.ascontiguousarray(values, dtype=complex)
        self.index = index
        inv_dx = 1.0 / np.diff(energy)  # np.interp's complex slopes, same arithmetic
        dv = np.diff(self.values)
        self.slopes = np.empty(energy.size - 1, dtype=complex)
        self.slopes.real = dv.real * inv_dx
        self.slopes.imag = dv.imag * inv_dx

    def __call__(self, eps: NDArray[np.float64]) -> NDArray[np.complex128]:
        x = np.asarray(eps, dtype=float)
        v = np.asarray(np.interp(np.abs(x), self.energy, self.values))  # Re and Im parts
        np.negative(v.imag, out=v.imag, where=x < 0)  # Delta(-eps) = Delta(eps)*
        return v


def _call_gap(fn: Callable, eps: NDArray[np.float64]) -> NDArray[np.complex128]:
    """A gap-function callable at eps, as a contiguous complex array of eps's shape."""
    return np.ascontiguousarray(np.broadcast_to(np.asarray(fn(eps), dtype=complex), eps.shape))


def _h(eps: NDArray[np.float64], occupation: Occupation) -> NDArray[np.float64]:
    return np.sign(eps) * (1.0 - 2.0 * _call_occupation(occupation, np.abs(eps)))


# Compiled Nam quadrature. ``_nam_panels_kernel`` lists the Gauss-Legendre panels over
# [-E_max - w, E_max]: five pieces split at the gap edges +-edge and +-edge - w (cosine
# map on the three inner pieces, x = c sinh^2 t on the two outer ones), each further cut
# at the steps +-b and +-b - w of n(E); ``_nam_node`` gives a panel's q-th node and weight.
# The generic path expands the nodes into arrays and calls the Python callables there;
# the table path (``_nam_table_kernel``) interpolates the tables at each node inside the
# loop. Both sum the same terms (``_nam_term``) in the same order.
_PANEL_COSINE = 0.0  # eps = a + s (1 - cos theta) / 2 on a piece of length s
_PANEL_SINH = 1.0  # eps = a + sign s sinh^2 t, s = c


@nb.njit(cache=True, fastmath=False)
def _nam_panels_kernel(w, edge, energy_max, bp):  # pragma: no cover - compiled
    """Panels (row, kind, a, s, sign, lo, h) of the Nam quadrature, empty ones dropped."""
    n_w, k = w.size, bp.size
    out = np.empty((n_w * 5 * (4 * k + 1), 7))
    pts = np.empty(4 * k)
    brk = np.empty(4 * k)
    edges = np.empty(4 * k + 2)
    inner = np.empty(4)
    cnt = 0
    for iw in range(n_w):
        ww = w[iw]
        inner[0], inner[1], inner[2], inner[3] = -edge - ww, edge - ww, -edge, edge
        inner.sort()
        for j in range(k):
            pts[j] = bp[j]
            pts[k + j] = -bp[j]
            pts[2 * k + j] = bp[j] - ww
            pts[3 * k + j] = -bp[j] - ww
        for i in range(3):  # inner pieces: cosine map
            a = inner[i]
            length = inner[i + 1] - a
            if not length > 0:
                continue
            for j in range(4 * k):
                brk[j] = _theta_break(pts[j] - a, length)
            _panel_edges(np.pi, brk, edges)
            for p in range(4 * k + 1):
                lo = edges[p]
                h = edges[p + 1] - lo
                if h == 0.0:
                    continue
                out[cnt, 0], out[cnt, 1], out[cnt, 2], out[cnt, 3] = iw, _PANEL_COSINE, a, length
                out[cnt, 4], out[cnt, 5], out[cnt, 6] = 1.0, lo, h
                cnt += 1
        c = min(ww, edge) if edge > 0 else ww
        t_max = np.arcsinh(np.sqrt(max(energy_max - edge, 0.0) / c))
        for side in range(2):  # outer pieces: x = c sinh^2 t from the edge outwards
            sign = 1.0 if side == 0 else -1.0
            start = inner[3] if side == 0 else inner[0]
            for j in range(4 * k):
                y = sign * (pts[j] - start) / c
                brk[j] = np.arcsinh(np.sqrt(y)) if y >= 0 else np.nan
            _panel_edges(t_max, brk, edges)
            for p in range(4 * k + 1):
                lo = edges[p]
                h = edges[p + 1] - lo
                if h == 0.0:
                    continue
                out[cnt, 0], out[cnt, 1], out[cnt, 2], out[cnt, 3] = iw, _PANEL_SINH, start, c
                out[cnt, 4], out[cnt, 5], out[cnt, 6] = sign, lo, h
                cnt += 1
    return out[:cnt]


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _panel_trig(kind, lo, h, xq):  # pragma: no cover - compiled
    """(sin, cos) of theta = lo + h xq (cosine panel) or (sinh, cosh) of t (sinh panel)."""
    u = lo + h * xq
    if kind == _PANEL_COSINE:
        return np.sin(u), np.cos(u)
    return np.sinh(u), np.cosh(u)


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _nam_node(kind, a, s, sign, h, wq, sn, cs):  # pragma: no cover - compiled
    """eps and weight of a panel's node from its ``_panel_trig`` values (sn, cs)."""
    if kind == _PANEL_COSINE:
        return a + 0.5 * s * (1 - cs), 0.5 * s * sn * (h * wq)
    return a + sign * (s * sn**2), 2.0 * s * sn * cs * (h * wq)


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _nam_nodes_kernel(panels, x01, w01):  # pragma: no cover - compiled
    """Flat (row, eps, weight) of the panels' nodes, positive weights only."""
    cap = panels.shape[0] * x01.size
    rows = np.empty(cap, dtype=np.intp)
    eps = np.empty(cap)
    wts = np.empty(cap)
    cnt = 0
    for p in range(panels.shape[0]):
        kind, a, s, sign, lo, h = (
            panels[p, 1],
            panels[p, 2],
            panels[p, 3],
            panels[p, 4],
            panels[p, 5],
            panels[p, 6],
        )
        for q in range(x01.size):
            sn, cs = _panel_trig(kind, lo, h, x01[q])
            e, wt = _nam_node(kind, a, s, sign, h, w01[q], sn, cs)
            if wt > 0:
                rows[cnt] = int(panels[p, 0])
                eps[cnt] = e
                wts[cnt] = wt
                cnt += 1
    return rows[:cnt], eps[:cnt], wts[:cnt]


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _trig_table(keys, x01):  # pragma: no cover - compiled
    """``_panel_trig`` at every Gauss node of each distinct (kind, lo, h) in ``keys``."""
    out = np.empty((keys.shape[0], x01.size, 2))
    for u in range(keys.shape[0]):
        for q in range(x01.size):
            out[u, q, 0], out[u, q, 1] = _panel_trig(keys[u, 0], keys[u, 1], keys[u, 2], x01[q])
    return out


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _retarded_sqrt(a, b, e):  # pragma: no cover - compiled
    """sqrt(a + i b) on the retarded branch: Im >= 0, and
    sign(Re) = sign(e) where Im = 0; principal root in real arithmetic (no hypot:
    |a + i b| is far from overflow for energies in meV). Returns (Re, Im).

    The continuation from e + i0 gives b the sign of e; a tabulated solution whose
    round-off leaves b of the other sign by at most 1e-5 e^2 (seen: 7e-7 e^2 just
    above the gap edge of a real-axis Eliashberg table at T ~ 0) is taken on the real
    axis, b = 0; otherwise that noise would flip the root to Re < 0 (a negative density
    of states). A larger wrong-sign b is kept as it is."""
    if e * b < 0 and abs(b) <= 1e-5 * e * e:
        b = 0.0
    r = math.sqrt(a * a + b * b)
    if a >= 0:
        t = math.sqrt(0.5 * (r + a))
        re, im = t, (b / (2.0 * t) if t > 0 else 0.0 * b)
    else:
        t = math.sqrt(0.5 * (r - a))
        re, im = abs(b) / (2.0 * t), math.copysign(t, b)
    if im < 0 or (im == 0 and re * e < 0):
        re, im = -re, -im
    return re, im


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _nam_term(e1, e2, d1, z1, d2, z2, h1, h2, gamma):  # pragma: no cover - compiled
    """Nam integrand {[h1 - h2] A_RA + h2 A_RR - h1 A_AA} (module docstring); index 1 at
    eps + w, 2 at eps. Returns (term, ok); ok is False at a root D0 = 0 (a gap edge).
    The careful form of ``_nam_term_fast`` (four divisions), used where that one is
    not finite."""
    et1, ph1 = e1 * z1, d1 * z1
    et2, ph2 = e2 * z2, d2 * z2
    x1 = et1 * et1 - ph1 * ph1
    x2 = et2 * et2 - ph2 * ph2
    r1re, r1im = _retarded_sqrt(x1.real, x1.imag, e1)
    r2re, r2im = _retarded_sqrt(x2.real, x2.imag, e2)
    n1 = r1re * r1re + r1im * r1im
    n2 = r2re * r2re + r2im * r2im
    if n1 == 0 or n2 == 0:
        return 0j, False
    im = r1im + r2im + gamma  # D_1 - D_2* = r1 - r2* + i Gamma, D_1 + D_2 = r1 + r2 + i Gamma
    ra_re, rr_re = r1re - r2re, r1re + r2re
    inv_n1, inv_n2 = 1.0 / n1, 1.0 / n2
    inv_ra, inv_rr = 1.0 / (ra_re * ra_re + im * im), 1.0 / (rr_re * rr_re + im * im)
    i1 = complex(r1re * inv_n1, -r1im * inv_n1)  # 1 / D0_1
    i2 = complex(r2re * inv_n2, -r2im * inv_n2)
    g1, f1 = et1 * i1, ph1 * i1
    g2, f2 = et2 * i2, ph2 * i2
    a_ra = (1.0 + g1 * np.conj(g2) + f1 * np.conj(f2)) * complex(ra_re * inv_ra, -im * inv_ra)
    a_rr = (1.0 - g1 * g2 - f1 * f2) * complex(rr_re * inv_rr, -im * inv_rr)
    return (h1 - h2) * a_ra + h2 * a_rr + h1 * np.conj(a_rr), True


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _nam_term_fast(e1, e2, d1, z1, d2, z2, h1, h2, gamma):  # pragma: no cover - compiled
    """``_nam_term`` with the four reciprocals 1/D0_1, 1/D0_2, 1/(D_1 - D_2*),
    1/(D_1 + D_2) from one division of their product; not finite at a gap edge or
    where the product under- or overflows (then use ``_nam_term``)."""
    et1, ph1 = e1 * z1, d1 * z1
    et2, ph2 = e2 * z2, d2 * z2
    x1 = et1 * et1 - ph1 * ph1
    x2 = et2 * et2 - ph2 * ph2
    r1re, r1im = _retarded_sqrt(x1.real, x1.imag, e1)
    r2re, r2im = _retarded_sqrt(x2.real, x2.imag, e2)
    n1 = r1re * r1re + r1im * r1im
    n2 = r2re * r2re + r2im * r2im
    im = r1im + r2im + gamma
    ra_re, rr_re = r1re - r2re, r1re + r2re
    m_ra = ra_re * ra_re + im * im
    m_rr = rr_re * rr_re + im * im
    n12 = n1 * n2
    m12 = m_ra * m_rr
    inv = 1.0 / (n12 * m12)
    inv_n1, inv_n2 = (n2 * m12) * inv, (n1 * m12) * inv
    inv_ra, inv_rr = (m_rr * n12) * inv, (m_ra * n12) * inv
    i1 = complex(r1re * inv_n1, -r1im * inv_n1)
    i2 = complex(r2re * inv_n2, -r2im * inv_n2)
    g1, f1 = et1 * i1, ph1 * i1
    g2, f2 = et2 * i2, ph2 * i2
    a_ra = (1.0 + g1 * np.conj(g2) + f1 * np.conj(f2)) * complex(ra_re * inv_ra, -im * inv_ra)
    a_rr = (1.0 - g1 * g2 - f1 * f2) * complex(rr_re * inv_rr, -im * inv_rr)
    return (h1 - h2) * a_ra + h2 * a_rr + h1 * np.conj(a_rr)


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _nam_sum_kernel(rows, eps, wts, w, d1, z1, d2, z2, h1, h2, gamma):  # pragma: no cover
    """Sum over nodes of the Nam integrand per photon energy; NaN total if non-finite."""
    total = np.zeros(w.size, dtype=np.complex128)
    for i in range(eps.size):
        e2 = eps[i]
        e1 = e2 + w[rows[i]]
        term = _nam_term_fast(e1, e2, d1[i], z1[i], d2[i], z2[i], h1[i], h2[i], gamma)
        if not (math.isfinite(term.real) and math.isfinite(term.imag)):
            term, ok = _nam_term(e1, e2, d1[i], z1[i], d2[i], z2[i], h1[i], h2[i], gamma)
            if not ok:
                total[rows[i]] = np.nan
                continue
        total[rows[i]] += wts[i] * term
    return total


@nb.njit(cache=True, fastmath=False)
def _interval(x, energy, guide, inv, n_uniform, inv_step):  # pragma: no cover - compiled
    """Index j with ``energy[j] <= x < energy[j + 1]`` for energy[0] <= x < energy[-1]
    (``np.searchsorted(energy, x, side="right") - 1``) from the index of
    :func:`_bucket_index`: directly on the uniform prefix, else from the bucket guide
    and a short search; the final comparisons with the table make it exact.

    The look-up that :func:`_nam_table_kernel` writes out for each table (a call with
    array arguments there costs reference counting per node), as a function for tests.
    """
    n = energy.size
    if x < energy[n_uniform - 1]:  # uniform prefix: the index directly
        j, hi = min(int((x - energy[0]) * inv_step), n_uniform - 2), 0
    else:
        k = min(max(int((x - energy[0]) * inv), 0), guide.size - 2)
        j, hi = guide[k], guide[k + 1] + 1
    while hi - j > 8:
        mid = (j + hi) >> 1
        if energy[mid] <= x:
            j = mid
        else:
            hi = mid
    while j > 0 and energy[j] > x:
        j -= 1
    while j < n - 2 and energy[j + 1] <= x:
        j += 1
    return j


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _nam_table_kernel(
    panels,
    trig_index,
    trig,
    w01,
    w,
    gamma,
    ge,
    gd,
    gs,
    g_guide,
    g_inv,
    g_nu,
    g_uinv,
    ze,
    zv,
    zs,
    z_guide,
    z_inv,
    z_nu,
    z_uinv,
    same,
    oe,
    on,
    os_,
    above,
    o_guide,
    o_inv,
    o_nu,
    o_uinv,
    kT,
    thermal,
):  # pragma: no cover - compiled
    """``_nam_sum_kernel`` over the panels' nodes in one pass, with Delta, Z and n(E)
    interpolated from tables at each node (``np.interp`` arithmetic).

    Tables (energy, values, slopes, index ``_bucket_index``): Delta (``g*``), Z
    (``z*``; ``same``: on Delta's grid), n(E) (``o*``, ``above``; unused if ``thermal``,
    then n is the Fermi function at ``kT``). ``trig[trig_index[p]]``: ``_panel_trig`` at
    the Gauss nodes of panel p. Works panel by panel on scratch arrays (nodes; table
    look-ups at eps + w and eps; terms; their sum in node order), with the look-ups
    written out here (:func:`_interval`; on a table's uniform prefix the interval index
    is computed, not searched): helper functions taking arrays cost reference counting
    per call (measured: ~1.7x slower).
    """
    nq = w01.size
    total = np.zeros(w.size, dtype=np.complex128)
    eps = np.empty((2, nq))  # eps + w, eps
    wts = np.empty(nq)
    dl = np.empty((2, nq), dtype=np.complex128)
    zz = np.empty((2, nq), dtype=np.complex128)
    hh = np.empty((2, nq))
    terms = np.empty(nq, dtype=np.complex128)
    n_g, n_z, n_o = ge.size, ze.size, oe.size
    for p in range(panels.shape[0]):
        row = int(panels[p, 0])
        kind, a, s, sign, h = panels[p, 1], panels[p, 2], panels[p, 3], panels[p, 4], panels[p, 6]
        tp = trig_index[p]
        ww = w[row]
        for q in range(nq):
            e2, wt = _nam_node(kind, a, s, sign, h, w01[q], trig[tp, q, 0], trig[tp, q, 1])
            eps[0, q] = e2 + ww
            eps[1, q] = e2
            wts[q] = wt
        for side in range(2):
            for q in range(nq):
                e = eps[side, q]
                x = abs(e)
                # Delta, Z: np.interp of the tables at |eps| (end values held)
                if x < ge[0]:
                    jd = -1
                elif x >= ge[n_g - 1]:
                    jd = n_g - 1
                else:
                    if x < ge[g_nu - 1]:  # uniform prefix: the index directly
                        jd, hi = min(int((x - ge[0]) * g_uinv), g_nu - 2), 0
                    else:
                        k = min(max(int((x - ge[0]) * g_inv), 0), g_guide.size - 2)
                        jd, hi = g_guide[k], g_guide[k + 1] + 1
                    while hi - jd > 8:
                        mid = (jd + hi) >> 1
                        if ge[mid] <= x:
                            jd = mid
                        else:
                            hi = mid
                    while jd > 0 and ge[jd] > x:
                        jd -= 1
                    while jd < n_g - 2 and ge[jd + 1] <= x:
                        jd += 1
                if jd < 0:
                    d = gd[0]
                elif jd == n_g - 1:
                    d = gd[n_g - 1]
                else:
                    dx = x - ge[jd]
                    d = complex(gs[jd].real * dx + gd[jd].real, gs[jd].imag * dx + gd[jd].imag)
                jz = jd
                if not same:
                    if x < ze[0]:
                        jz = -1
                    elif x >= ze[n_z - 1]:
                        jz = n_z - 1
                    else:
                        if x < ze[z_nu - 1]:  # uniform prefix: the index directly
                            jz, hi = min(int((x - ze[0]) * z_uinv), z_nu - 2), 0
                        else:
                            k = min(max(int((x - ze[0]) * z_inv), 0), z_guide.size - 2)
                            jz, hi = z_guide[k], z_guide[k + 1] + 1
                        while hi - jz > 8:
                            mid = (jz + hi) >> 1
                            if ze[mid] <= x:
                                jz = mid
                            else:
                                hi = mid
                        while jz > 0 and ze[jz] > x:
                            jz -= 1
                        while jz < n_z - 2 and ze[jz + 1] <= x:
                            jz += 1
                if jz < 0:
                    zv_ = zv[0]
                elif jz == n_z - 1:
                    zv_ = zv[n_z - 1]
                else:
                    dx = x - ze[jz]
                    zv_ = complex(zs[jz].real * dx + zv[jz].real, zs[jz].imag * dx + zv[jz].imag)
                if e < 0:  # Delta(-eps) = Delta(eps)*, Z(-eps) = Z(eps)*
                    d, zv_ = np.conj(d), np.conj(zv_)
                dl[side, q] = d
                zz[side, q] = zv_
                # h(eps) = sign(eps) [1 - 2 n(|eps|)]
                if thermal:
                    if kT == 0.0:
                        n = 0.0 if x > 0 else 0.5
                    else:
                        u = math.exp(-x / kT)
                        n = u / (1.0 + u)
                elif x < oe[0]:
                    n = on[0]
                elif x > oe[n_o - 1]:
                    n = above
                elif x == oe[n_o - 1]:
                    n = on[n_o - 1]
                else:
                    if x < oe[o_nu - 1]:  # uniform prefix: the index directly
                        j, hi = min(int((x - oe[0]) * o_uinv), o_nu - 2), 0
                    else:
                        k = min(max(int((x - oe[0]) * o_inv), 0), o_guide.size - 2)
                        j, hi = o_guide[k], o_guide[k + 1] + 1
                    while hi - j > 8:
                        mid = (j + hi) >> 1
                        if oe[mid] <= x:
                            j = mid
                        else:
                            hi = mid
                    while j > 0 and oe[j] > x:
                        j -= 1
                    while j < n_o - 2 and oe[j + 1] <= x:
                        j += 1
                    n = os_[j] * (x - oe[j]) + on[j]
                hh[side, q] = np.sign(e) * (1.0 - 2.0 * n)
        for q in range(nq):
            terms[q] = _nam_term_fast(
                eps[0, q],
                eps[1, q],
                dl[0, q],
                zz[0, q],
                dl[1, q],
                zz[1, q],
                hh[0, q],
                hh[1, q],
                gamma,
            )
        for q in range(nq):
            if not wts[q] > 0:
                continue
            term = terms[q]
            if not (math.isfinite(term.real) and math.isfinite(term.imag)):
                term, ok = _nam_term(
                    eps[0, q],
                    eps[1, q],
                    dl[0, q],
                    zz[0, q],
                    dl[1, q],
                    zz[1, q],
                    hh[0, q],
                    hh[1, q],
                    gamma,
                )
                if not ok:
                    total[row] = np.nan
                    continue
            total[row] += wts[q] * term
    return total


def _distinct_rows(keys: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Distinct rows of ``keys`` and, per row, the index of its distinct row.

    Like ``np.unique(keys, axis=0, return_inverse=True)`` (rows equal when all entries
    compare equal), from one lexicographic sort: ~20x cheaper for the ~10^3 panels of a
    spectrum (np.unique's axis form costs ~0.5-1 ms there).

    Parameters
    ----------
    keys : (n, k) float
        Rows to deduplicate (n >= 1).

    Returns
    -------
    distinct : (m, k) float
        The distinct rows, sorted lexicographically (first column first).
    inverse : (n,) int
        ``distinct[inverse] == keys``.
    """
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    if order.size == 0:
        return np.ascontiguousarray(ordered), order
    new = np.empty(order.size, dtype=bool)
    new[0] = True
    np.any(ordered[1:] != ordered[:-1], axis=1, out=new[1:])
    inverse = np.empty(order.size, dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return np.ascontiguousarray(ordered[new]), inverse


def _table_args(gap: GapFunction, occupation: Occupation) -> tuple | None:
    """Table arguments of ``_nam_table_kernel`` when Delta and Z are ``_TabulatedGap``
    and n(E) is tabulated or thermal; None otherwise (the generic path)."""
    dl, zz = gap.delta, gap.z
    if not (isinstance(dl, _TabulatedGap) and isinstance(zz, _TabulatedGap)):
        return None
    same = zz.energy is dl.energy or np.array_equal(zz.energy, dl.energy)
    g = (dl.energy, dl.values, dl.slopes, *dl.index, zz.energy, zz.values, zz.slopes, *zz.index)
    if isinstance(occupation, _TabulatedOccupation):
        o = occupation
        return (*g, same, o.energy, o.values, o.slopes, o.above, *o.index, 0.0, False)
    if isinstance(occupation, _ThermalOccupation):
        e, index = _CONSTANT_GRID, _CONSTANT_INDEX
        return (*g, same, e, e, e, 0.0, *index, occupation.kT, True)
    return None


def nam_conductivity(
    omega: ArrayLike,
    gap: GapFunction,
    occupation: Occupation,
    scattering_rate: float,
    *,
    energy_max: float,
    n_quad: int = 128,
    breakpoints: ArrayLike = (),
) -> NDArray[np.complex128]:
    """Nam (Kubo) conductivity sigma/sigma_0 with impurity scattering and a non-thermal n(E).

    Implements the form derived in the module docstring (paper 001 main text after
    Eq. 2, "Kubo formula [42, 43]"; Nam 1967). Normal state: sigma_0 Gamma/(Gamma - i w)
    for Z = 1, so sigma_0 = 1/rho_N (paper 001 SI Table 1) fixes the scale.

    Parameters
    ----------
    omega : (n_w,) float, meV
        Photon energies hbar*omega > 0.
    gap : GapFunction
        Delta(eps), Z(eps) and the gap edge (:func:`bcs_gap_function`,
        :func:`tabulated_gap_function`).
    occupation : callable
        ``occupation(E) -> n`` for E >= 0, meV -> dimensionless.
    scattering_rate : float, meV
        Impurity scattering rate Gamma = hbar/tau > 0 (Born limit).
    energy_max : float, meV
        The eps integral runs over [-energy_max - w, energy_max]; take it well above
        the gap, the thermal/non-thermal tail of n(E) and sqrt(Delta Gamma) (the
        truncation error of sigma_2 is ~ Delta Gamma / energy_max^2 relative).
    n_quad : int
        Gauss-Legendre nodes per piece (5 pieces), per panel with ``breakpoints``.
    breakpoints : sequence of float, meV
        Energies E where n(E) has steps or kinks (see :func:`mattis_bardeen`).

    Returns
    -------
    (n_w,) complex
        sigma/sigma_0.

    Notes
    -----
    Only nodes of positive weight are evaluated: the empty panels (breakpoints outside
    a piece) and the exact gap-edge nodes, where g and f are infinite, carry weight 0
    (cos/sinh maps). When Delta, Z come from :func:`tabulated_gap_function` or
    :func:`bcs_gap_function` and n(E) from :func:`tabulated_occupation` or
    :func:`thermal_occupation`, the tables are interpolated inside one compiled loop
    over the nodes (no node arrays, no Python calls; the same values as the callables
    to round-off, ~1e-15); other callables are evaluated on arrays of all nodes. About
    1000 nodes per photon energy at ``n_quad`` 96 with two breakpoints; measured on the
    table path about 45 ns per node on a shared core (the interval index computed
    directly on the tables' uniform parts, searched on an Eliashberg grid's geometric
    tail), i.e. ~4 ms for 60 photon energies.
    """
    w = _check_omega(omega)
    gamma = _check_positive(scattering_rate, "scattering_rate")
    e_max = _check_positive(energy_max, "energy_max")
    n = _check_n(n_quad)
    edge = float(gap.edge)
    if not (edge >= 0 and math.isfinite(edge)):
        raise ValueError(f"gap.edge must be a finite number >= 0 meV, got {gap.edge!r}")
    if e_max <= edge:
        raise ValueError(f"energy_max={e_max} meV must exceed the gap edge {edge} meV")
    _check_tail(occupation, e_max)
    bp = _check_breakpoints(breakpoints)
    x01, w01 = _gauss(n)
    panels = _nam_panels_kernel(w, edge, e_max, bp)
    tables = _table_args(gap, occupation)
    if tables is not None:
        # panels repeat across photon energies: the map's sin/cos (sinh/cosh) per
        # distinct (kind, lo, h), evaluated once (the same expressions, same values)
        keys, trig_index = _distinct_rows(panels[:, [1, 5, 6]])
        trig = _trig_table(keys, x01)
        total = _nam_table_kernel(panels, trig_index, trig, w01, w, gamma, *tables)
    else:
        row, eps, wts = _nam_nodes_kernel(panels, x01, w01)
        eps1 = eps + w[row]
        parts = []
        for x in (eps1, eps):
            parts += [_call_gap(gap.delta, x), _call_gap(gap.z, x)]
        h1 = _h(eps1, occupation)
        h2 = _h(eps, occupation)
        total = _nam_sum_kernel(row, eps, wts, w, *parts, h1, h2, gamma)
    if not np.all(np.isfinite(total)):
        raise ValueError(
            "non-finite Nam integrand: a quadrature node hit a gap-edge singularity; "
            "change n_quad or energy_max slightly"
        )
    return 1j * gamma / (4.0 * w) * total


def drude(omega: ArrayLike, scattering_rate: float) -> NDArray[np.complex128]:
    """Drude sigma/sigma_0 = Gamma / (Gamma - i w).

    Parameters
    ----------
    omega : (n_w,) float, meV
    scattering_rate : float, meV
        Gamma = hbar / tau > 0.
    """
    w = _check_omega(omega)
    g = _check_positive(scattering_rate, "scattering_rate")
    return g / (g - 1j * w)
