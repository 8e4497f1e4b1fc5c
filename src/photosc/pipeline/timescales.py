"""Time scales of pump-probe signals and gap traces: decay, rise, fits, gap recovery.

Read-outs of the last stage of the pump-probe chain (paper 001 Fig. 2c, 2d and issue 12
section 3): 1/e decay after the peak, 10-90 % rise, exponential recovery fits after the
probe has stopped mixing in the rise, how long Delta_0(t) stays closed and when it
recovers. Pure functions of arrays; times in ps.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "FIT_START_PROBE_FWHM",
    "FIT_STOP_FRACTION",
    "GAP_CLOSED_FRACTION",
    "GAP_RECOVERED_FRACTION",
    "SLOW_NONE_PS",
    "below_duration",
    "decay_time",
    "fit_decay",
    "gap_closed_time",
    "gap_recovery_time",
    "grows",
    "recovery_fit",
    "rise_time",
    "slow_time",
]


def decay_time(t: np.ndarray, s: np.ndarray, level: float = math.exp(-1.0)) -> tuple[float, bool]:
    """Time after the peak of |s| for s to fall to ``level`` x peak (linear interpolation).

    Parameters
    ----------
    t : (n,) float, ps
        Increasing times.
    s : (n,) float
        Signal.
    level : float
        Fraction of the peak (default 1/e).

    Returns
    -------
    tuple of (float, bool)
        (time after the peak, ps, True), or (t_end - t_peak, False) if the level is not
        reached.
    """
    k = int(np.argmax(np.abs(s)))
    peak = s[k]
    after = np.nonzero(s[k:] / peak <= level)[0]
    if after.size == 0:
        return float(t[-1] - t[k]), False
    j = k + int(after[0])
    y0, y1 = s[j - 1] / peak, s[j] / peak
    tc = t[j - 1] + (level - y0) / (y1 - y0) * (t[j] - t[j - 1])
    return float(tc - t[k]), True


def rise_time(t: np.ndarray, s: np.ndarray) -> float:
    """10 %-90 % rise time of |s| before its peak, ps.

    Parameters
    ----------
    t : (n,) float, ps
        Increasing times.
    s : (n,) float
        Signal.
    """
    a = np.abs(s)
    k = int(np.argmax(a))
    peak = a[k]
    tt = t[: k + 1]
    aa = a[: k + 1] / peak

    def cross(level: float) -> float:
        j = int(np.nonzero(aa >= level)[0][0])
        if j == 0:
            return float(tt[0])
        return float(tt[j - 1] + (level - aa[j - 1]) / (aa[j] - aa[j - 1]) * (tt[j] - tt[j - 1]))

    return cross(0.9) - cross(0.1)


def slow_time(t: np.ndarray, s: np.ndarray, start: float) -> float:
    """e-folding time (ps) of a least-squares exponential fit to |s| for t >= start.

    Parameters
    ----------
    t : (n,) float, ps
        Increasing times.
    s : (n,) float
        Signal.
    start : float, ps
        Start of the fit window.
    """
    m = t >= start
    a = np.abs(s[m])
    if m.sum() < 3 or np.any(a <= 0):
        raise ValueError("slow-component fit needs >= 3 positive samples after its start")
    slope = np.polyfit(t[m] - t[m][0], np.log(a), 1)[0]
    return float(-1.0 / slope) if slope < 0 else float("inf")


#: Value of ``slow_component_ps`` when no e-folding time exists: |dR/R| does not decay
#: in the fit window, or (LaH10) the gap does not recover before ``t_end`` (ps).
SLOW_NONE_PS = 1e6

#: Start of the exponential recovery fit after the peak, in probe FWHMs: beyond it the
#: Gaussian probe (weight 1 % beyond one FWHM = 2.35 sigma) no longer mixes in the rise.
FIT_START_PROBE_FWHM = 1.0

#: The fit window ends where the signal has fallen below this fraction of its peak.
FIT_STOP_FRACTION = 0.05

#: Delta_0 below this fraction of its equilibrium value counts as a closed gap.
GAP_CLOSED_FRACTION = 0.1

#: Fraction of the equilibrium Delta_0 at which the gap counts as recovered.
GAP_RECOVERED_FRACTION = 0.9


def fit_decay(
    t: np.ndarray, s: np.ndarray, start: float, stop_fraction: float = FIT_STOP_FRACTION
) -> tuple[float, bool]:
    """e-folding time of a least-squares exponential fit to a decaying signal, ps.

    The window runs from ``start`` to the first sample at which s / s_peak falls below
    ``stop_fraction`` (s_peak: the sample of largest |s|; a sign change also ends it),
    or to the last sample. ln|s| is fitted by a straight line with each sample weighted
    by its share of the window (trapezoid weights), so that the fit describes the
    signal over the window, not the density of the (log-spaced) samples.

    Parameters
    ----------
    t : (n,) float, ps
        Increasing times.
    s : (n,) float
        Signal.
    start : float, ps
        Window start.
    stop_fraction : float
        End of the window as a fraction of the peak (0: to the last sample or the
        first sign change).

    Returns
    -------
    tau : float, ps
        e-folding time; ``SLOW_NONE_PS`` when there is none (fewer than 3 samples in
        the window, or the signal does not decay there).
    ok : bool
        Whether a finite, decaying fit exists.
    """
    t = np.asarray(t, dtype=float)
    s = np.asarray(s, dtype=float)
    peak = s[int(np.argmax(np.abs(s)))]
    if peak == 0:
        return SLOW_NONE_PS, False
    rel = s / peak
    idx = np.nonzero(t >= start)[0]
    if idx.size == 0:
        return SLOW_NONE_PS, False
    below = np.nonzero(rel[idx] <= max(stop_fraction, 0.0))[0]
    stop = idx[below[0]] if below.size else t.size
    if stop_fraction > 0 and below.size:
        stop += 1  # include the first sample below the level (it is still > 0 if rel > 0)
    win = np.arange(idx[0], stop)
    win = win[rel[win] > 0]
    if win.size < 3:
        return SLOW_NONE_PS, False
    tw = t[win]
    w = np.zeros(win.size)
    w[1:] += 0.5 * np.diff(tw)
    w[:-1] += 0.5 * np.diff(tw)
    slope = np.polyfit(tw - tw[0], np.log(rel[win]), 1, w=np.sqrt(w))[0]
    if not slope < 0:
        return SLOW_NONE_PS, False
    return float(-1.0 / slope), True


def recovery_fit(
    t: np.ndarray, s: np.ndarray, probe_fwhm: float, n_fwhm: float = FIT_START_PROBE_FWHM
) -> tuple[float, bool]:
    """Exponential recovery time (ps) of a probe-convolved signal after its peak.

    :func:`fit_decay` from t_peak + ``n_fwhm`` probe FWHMs (where the probe no longer
    mixes in the rise) until the signal falls below ``FIT_STOP_FRACTION`` of its peak.

    Parameters
    ----------
    t : (n,) float, ps
        Increasing times.
    s : (n,) float
        Signal.
    probe_fwhm : float, ps
        Probe FWHM.
    n_fwhm : float
        Start of the window after the peak, in probe FWHMs.
    """
    k = int(np.argmax(np.abs(s)))
    return fit_decay(t, s, float(t[k]) + n_fwhm * probe_fwhm)


def below_duration(t: np.ndarray, y: np.ndarray, level: float) -> float:
    """Total time (ps) during which the piecewise-linear interpolant of y is below
    ``level`` (exact for the interpolant: each interval contributes its share).

    Parameters
    ----------
    t : (n,) float, ps
        Increasing times.
    y : (n,) float
        Values.
    level : float
        Threshold, in the unit of ``y``.
    """
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float) - level
    total = 0.0
    for a, b, ya, yb in zip(t[:-1], t[1:], y[:-1], y[1:]):
        if ya < 0 and yb < 0:
            total += b - a
        elif ya < 0 <= yb or yb < 0 <= ya:
            frac = -min(ya, yb) / abs(yb - ya)
            total += frac * (b - a)
    return float(total)


def gap_closed_time(
    t: np.ndarray, delta0: np.ndarray, delta_eq: float, fraction: float = GAP_CLOSED_FRACTION
) -> tuple[float, bool]:
    """How long the gap stays closed: the time (ps) with Delta_0(t) < ``fraction`` x
    Delta_0(eq) (linear interpolation between the recorded delays), and whether it has
    reopened above that level by the last delay (False: the time is a lower bound).

    Parameters
    ----------
    t : (n,) float, ps
        Increasing times.
    delta0 : (n,) float, meV
        Gap edge Delta_0(t).
    delta_eq : float, meV
        Equilibrium Delta_0.
    fraction : float
        Closed below fraction x delta_eq.
    """
    level = fraction * delta_eq
    return below_duration(t, delta0, level), bool(delta0[-1] >= level)


def gap_recovery_time(
    t: np.ndarray,
    delta0: np.ndarray,
    delta_eq: float,
    fraction: float = GAP_RECOVERED_FRACTION,
    t_pump: float = 0.0,
) -> tuple[float, bool]:
    """Time after the pump centre ``t_pump`` (ps) at which Delta_0 first regains
    ``fraction`` of its equilibrium value after its minimum (linear interpolation).

    Returns (time, True); (0, True) if Delta_0 never falls below that level; and
    (t_end - t_pump, False) if it has not recovered by the last delay.

    Parameters
    ----------
    t : (n,) float, ps
        Increasing times.
    delta0 : (n,) float, meV
        Gap edge Delta_0(t).
    delta_eq : float, meV
        Equilibrium Delta_0.
    fraction : float
        Recovered at fraction x delta_eq.
    t_pump : float, ps
        Pump centre.
    """
    level = fraction * delta_eq
    k = int(np.argmin(delta0))
    if delta0[k] >= level:
        return 0.0, True
    up = np.nonzero(delta0[k:] >= level)[0]
    if up.size == 0:
        return float(t[-1] - t_pump), False
    j = k + int(up[0])
    y0, y1 = delta0[j - 1], delta0[j]
    tc = t[j - 1] + (level - y0) / (y1 - y0) * (t[j] - t[j - 1])
    return float(tc - t_pump), True


def grows(values: list[float], finite: list[bool] | None = None) -> bool:
    """Whether ``values`` increase strictly; entries flagged not finite count as larger
    than any finite one (a lower bound: not reached in the window), and two of them in
    a row cannot be ordered (False).

    Parameters
    ----------
    values : list of float
    finite : list of bool, optional
        Which values are finite (reached); default all.
    """
    ok = [True] * len(values) if finite is None else finite
    v = [x if f else math.inf for x, f in zip(values, ok)]
    return bool(all(b > a for a, b in zip(v, v[1:])))
