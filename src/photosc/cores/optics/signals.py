"""Pump-probe signals: differential reflectance/transmittance, probe convolution, reheating tail.

Paper 001: Eq. 3 (dR/R0 = (R(t) - R(-inf)) / R(-inf), likewise dT/T0), SI II.2 (the
computed response is convolved with the probe pulse: 200 ps for Pb, 250 fs for
LaH10), SI II.1 (an exponentially decaying tail, amplitude 0.2 and decay 3 ns, added
to -dT/T0 of Pb to mimic phonons re-entering from a substrate that is not cooled).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

from photosc.cores.optics.films import complex_index, penetration_depth, stack

__all__ = [
    "FilmTrace",
    "differential",
    "film_trace",
    "gaussian_probe_convolution",
    "reheating_tail",
]

_FWHM_TO_SIGMA = 1.0 / (2.0 * math.sqrt(2.0 * math.log(2.0)))


def differential(signal: ArrayLike, reference: ArrayLike) -> NDArray[np.float64]:
    """(S - S0) / S0, paper 001 Eq. 3 (S = R or T, S0 its value before the pump).

    Parameters
    ----------
    signal : (...) float
        R(t) or T(t).
    reference : (...) float
        R or T before the pump (broadcast against ``signal``), != 0.

    Returns
    -------
    (...) float, dimensionless
    """
    s = np.asarray(signal, dtype=float)
    s0 = np.asarray(reference, dtype=float)
    if np.any(s0 == 0) or not np.all(np.isfinite(s0)):
        raise ValueError("reference (the pre-pump R or T) must be finite and nonzero")
    return (s - s0) / s0


def gaussian_probe_convolution(
    time: ArrayLike, signal: ArrayLike, fwhm: float, *, axis: int = -1
) -> NDArray[np.float64]:
    """Convolve a signal with a normalised Gaussian probe of full width at half maximum ``fwhm``.

    The probe envelope uses the pump's convention of paper 001 (S(t) = exp(-4 ln 2
    (t/tau)^2), tau = FWHM of the intensity), SI II.2. The signal is taken as the
    piecewise-linear interpolant of the samples and continued as constant beyond both
    ends (its pre-pump value before, its last value after: the signal has settled
    there); the convolution of that function with the Gaussian is evaluated exactly
    (error functions), so any time grid, uniform or not, works. Cost O(n_t^2) time,
    O(n_t) memory (blocks of output times).

    Parameters
    ----------
    time : (n_t,) float, ps
        Strictly increasing delays.
    signal : (..., n_t, ...) float
        Samples; ``axis`` is the time axis.
    fwhm : float, ps
        Probe duration (intensity FWHM) > 0.
    axis : int
        Time axis of ``signal``.

    Returns
    -------
    ndarray, shape of ``signal``
    """
    t = np.asarray(time, dtype=float)
    x = np.moveaxis(np.asarray(signal, dtype=float), axis, -1)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0):
        raise ValueError("time must be 1-D, strictly increasing, with >= 2 points (ps)")
    if x.shape[-1] != t.size:
        raise ValueError(f"signal has {x.shape[-1]} samples along axis {axis}, time has {t.size}")
    f = float(fwhm)
    if not (f > 0 and math.isfinite(f)):
        raise ValueError(f"fwhm must be a finite number > 0 ps, got {fwhm!r}")
    sig = f * _FWHM_TO_SIGMA
    out = np.empty(x.shape)
    for start in range(0, t.size, _CHUNK):  # bounded memory: (_CHUNK, n_t) work arrays
        rows = slice(start, min(start + _CHUNK, t.size))
        out[..., rows] = x @ _convolution_weights(t[rows], t, sig).T
    return np.moveaxis(out, -1, axis)


#: Output times per block of the convolution (memory ~ 8 arrays of _CHUNK x n_t floats).
_CHUNK = 256


def _convolution_weights(
    t_out: NDArray[np.float64], t: NDArray[np.float64], sig: float
) -> NDArray[np.float64]:
    """W (n_out, n_t): out_i = sum_k W_ik x_k for the piecewise-linear interpolant of x."""
    u = (t_out[:, None] - t[None, :]) / sig  # (t_i - t_k) / sigma
    cdf = ndtr(u)
    pdf = np.exp(-0.5 * u * u) / math.sqrt(2 * math.pi)
    h = np.diff(t) / sig  # (n_t - 1,)
    # on segment k = [t_k, t_{k+1}]: x = x_k (1 - s) + x_{k+1} s, s = (t' - t_k)/h_k;
    # c0 = int_seg G(t - t') dt', c1 = int_seg s G(t - t') dt'. With v = (t - t')/sigma,
    # (t' - t_k)/sigma = u_k - v and int_{u_{k+1}}^{u_k} (u_k - v) phi(v) dv
    # = u_k c0 - (pdf(u_{k+1}) - pdf(u_k)); for segments much shorter than sigma that
    # difference cancels, and there c1 = c0/2 + O(h^2) is used.
    c0 = cdf[:, :-1] - cdf[:, 1:]
    short = h < 1e-4
    hs = np.where(short, 1.0, h)
    c1 = np.where(
        short[None, :], 0.5 * c0, (u[:, :-1] * c0 - (pdf[:, 1:] - pdf[:, :-1])) / hs[None, :]
    )
    w = np.zeros(u.shape)
    w[:, :-1] += c0 - c1
    w[:, 1:] += c1
    w[:, 0] += 1.0 - cdf[:, 0]  # constant continuation before t_0
    w[:, -1] += cdf[:, -1]  # constant continuation after t_end
    return w


def reheating_tail(
    time: ArrayLike,
    signal: ArrayLike,
    *,
    amplitude: float = 0.2,
    decay: float = 3000.0,
    onset: float | None = None,
) -> NDArray[np.float64]:
    """Signal plus the phenomenological substrate-reheating tail of paper 001, SI II.1.

    The paper adds "an exponentially decaying tail to the calculation of -dT/T0 with
    its amplitude set to 0.2 and decay constant 3 ns" without a formula. Form used
    here (a documented choice): tail(t) = amplitude * S_peak * exp(-(t - t_on)/decay)
    for t >= t_on and 0 before, with S_peak the signal's value of largest magnitude and
    t_on its time unless ``onset`` is given; i.e. the amplitude is relative to the
    peak, matching the paper's figures normalised to their maximum. Apply it before the
    probe convolution, as the paper adds it to the calculated response. It is an
    option for the Pb scenario, not physics of the kinetic model.

    Parameters
    ----------
    time : (n_t,) float, ps
    signal : (n_t,) float
    amplitude : float
        Tail amplitude relative to the peak (paper: 0.2), >= 0.
    decay : float, ps
        Decay constant (paper: 3 ns = 3000 ps), > 0.
    onset : float, ps, optional
        Start of the tail (default: time of the peak).

    Returns
    -------
    (n_t,) float
    """
    t = np.asarray(time, dtype=float)
    s = np.asarray(signal, dtype=float)
    if t.ndim != 1 or s.shape != t.shape:
        raise ValueError(f"time and signal must be 1-D of equal length, got {t.shape}, {s.shape}")
    if not (amplitude >= 0 and math.isfinite(amplitude)):
        raise ValueError(f"amplitude must be a finite number >= 0, got {amplitude!r}")
    if not (decay > 0 and math.isfinite(decay)):
        raise ValueError(f"decay must be a finite number > 0 ps, got {decay!r}")
    k = int(np.argmax(np.abs(s)))
    t_on = t[k] if onset is None else float(onset)
    tail = np.where(t >= t_on, np.exp(-np.clip(t - t_on, 0.0, None) / decay), 0.0)
    return s + amplitude * s[k] * tail


class FilmTrace(NamedTuple):
    """Probe observables of a film along a pump-probe run.

    Attributes
    ----------
    reflectance, transmittance, absorptance : (n_t, ...) float
    d_r_over_r, d_t_over_t : (n_t, ...) float
        (S - S_ref)/S_ref with S_ref the state at ``reference`` (paper 001 Eq. 3).
    penetration_depth : (n_t, ..., n_layers) float, nm
        c / (2 omega Im N) of each layer (SI Eq. 14).
    """

    reflectance: NDArray[np.float64]
    transmittance: NDArray[np.float64]
    absorptance: NDArray[np.float64]
    d_r_over_r: NDArray[np.float64]
    d_t_over_t: NDArray[np.float64]
    penetration_depth: NDArray[np.float64]


def film_trace(
    sigma: ArrayLike,
    omega: ArrayLike,
    thicknesses: ArrayLike,
    *,
    eps_inf: ArrayLike = 1.0,
    n_ambient: ArrayLike = 1.0,
    n_substrate: ArrayLike = 1.0,
    reference: int = 0,
) -> FilmTrace:
    """R, T, A, dR/R and dT/T of a (possibly graded) film for a conductivity history.

    Composes :func:`~photosc.cores.optics.films.complex_index` (n = sqrt(eps_inf + i
    sigma/(eps0 omega))), :func:`~photosc.cores.optics.films.stack` (SI Eqs. 10-13,
    generalised to layers) and :func:`differential` (Eq. 3) against the state at index
    ``reference`` of the first axis (the state before the pump, t = -inf).

    Parameters
    ----------
    sigma : (n_t, n_w, n_layers) complex, S/m
        Conductivity of every layer at every time and probe frequency (a single
        layer: n_layers = 1; a depth-resolved film: one entry per slice).
    omega : (n_w,) float, meV
        Probe photon energies.
    thicknesses : (n_layers,) float, nm
    eps_inf : float or (n_layers,) complex
        Background permittivity.
    n_ambient, n_substrate : float / complex
        Incidence and exit media.
    reference : int
        Index along the first axis of the pre-pump state.

    Returns
    -------
    FilmTrace with (n_t, n_w) arrays (penetration depth (n_t, n_w, n_layers)).
    """
    sig = np.asarray(sigma, dtype=complex)
    w = np.asarray(omega, dtype=float)
    if sig.ndim != 3 or w.ndim != 1 or sig.shape[1] != w.size:
        raise ValueError(
            f"sigma must have shape (n_t, n_w, n_layers) with n_w = {w.size}, got {sig.shape}"
        )
    if not -sig.shape[0] <= reference < sig.shape[0]:
        raise ValueError(f"reference={reference} is not an index of the {sig.shape[0]} states")
    wl = w[None, :, None]
    index = complex_index(sig, wl, np.asarray(eps_inf))
    depth = penetration_depth(index, wl)
    res = stack(index, thicknesses, w[None, :], n_ambient=n_ambient, n_substrate=n_substrate)
    r, t = res.reflectance, res.transmittance
    return FilmTrace(
        r,
        t,
        res.absorptance,
        differential(r, r[reference]),
        differential(t, t[reference]),
        depth,
    )
