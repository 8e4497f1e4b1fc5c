"""Read-outs of a generic pump-probe run: recovery times, their trends, Nam vs Mattis-Bardeen.

Material-free functions of the probe-convolved traces of :mod:`.generic` (paper 001
Fig. 2c, 2d; issue 12 section 3). Every per-trace value is nested as the dataset is,
``[temperature][fluence][probe energy]``; a trend over temperature is nested
``[fluence][probe energy]``.

Recovery (issue 12 section 3): a substrate-reheating tail (SI II.1) added to the
*unconvolved* signal stands, after the probe convolution, at a larger fraction of the
displayed peak (``tail_over_displayed_peak``), so the 1/e time of the displayed signal
(``recovery_time_ps``) may mostly measure the tail. The recovery of the kinetics is read
from the convolved signal without the tail: its 1/e time (``recovery_time_no_tail_ps``)
and the e-folding time of an exponential fit from one probe FWHM after the peak until
the signal falls to 5 % of it (``recovery_fit_time_ps``,
:func:`photosc.pipeline.timescales.recovery_fit`).

Units: times ps, temperatures K.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from photosc.pipeline.timescales import (
    SLOW_NONE_PS,
    decay_time,
    fit_decay,
    gap_closed_time,
    gap_recovery_time,
    grows,
    recovery_fit,
    rise_time,
    slow_time,
)

__all__ = [
    "fluence_trends",
    "gap_timescales",
    "nam_vs_mattis_bardeen",
    "recovery_readouts",
    "temperature_trends",
]

#: Per-trace keys of :func:`recovery_readouts` (nested [T][F][w]).
TRACE_KEYS = (
    "peak_signal",
    "peak_time_ps",
    "recovery_time_ps",
    "recovered_within_window",
    "recovery_time_no_tail_ps",
    "recovered_no_tail_within_window",
    "recovery_fit_time_ps",
    "recovery_fit_ok",
    "tail_over_displayed_peak",
)


def _one(time: np.ndarray, shown: np.ndarray, bare: np.ndarray, probe_fwhm: float) -> dict:
    """Read-outs of one trace: ``shown`` (displayed, with the tail if any) and ``bare``
    (convolved, no tail), both changes from the pre-pump state."""
    m = int(np.argmax(np.abs(shown)))
    out = dict(
        peak_signal=float(shown[m]),
        peak_time_ps=float(time[m]),
        recovery_time_ps=0.0,
        recovered_within_window=False,
        recovery_time_no_tail_ps=0.0,
        recovered_no_tail_within_window=False,
        recovery_fit_time_ps=0.0,
        recovery_fit_ok=False,
        tail_over_displayed_peak=0.0,
    )
    if not np.max(np.abs(shown)) > 0:
        return out
    tau, ok = decay_time(time, shown)
    tau_b, ok_b = decay_time(time, bare) if np.max(np.abs(bare)) > 0 else (0.0, False)
    fit, fit_ok = recovery_fit(time, bare, probe_fwhm)
    out.update(
        recovery_time_ps=float(tau),
        recovered_within_window=bool(ok),
        recovery_time_no_tail_ps=float(tau_b),
        recovered_no_tail_within_window=bool(ok_b),
        recovery_fit_time_ps=float(fit),
        recovery_fit_ok=bool(fit_ok),
        tail_over_displayed_peak=float(np.max(np.abs(shown - bare)) / abs(shown[m])),
    )
    return out


def recovery_readouts(
    time: np.ndarray, shown: np.ndarray, bare: np.ndarray, probe_fwhm: float
) -> dict[str, list]:
    """Peak and recovery of every trace.

    Parameters
    ----------
    time : (n_t,) float, ps
        Increasing delays.
    shown : (n_T, n_F, n_w, n_t) float
        Displayed signal (probe-convolved, with the reheating tail if any), as a change
        from the pre-pump state (same units as the signal).
    bare : (n_T, n_F, n_w, n_t) float
        The same without the tail (equal to ``shown`` without one).
    probe_fwhm : float, ps
        Probe duration (start of the exponential fit: one FWHM after the peak).

    Returns
    -------
    dict
        Every key of :data:`TRACE_KEYS` as a nested list ``[T][F][w]``: ``peak_signal``
        (signed value of largest magnitude of ``shown``), ``peak_time_ps``,
        ``recovery_time_ps`` with ``recovered_within_window`` (1/e time of ``shown``
        after its peak; False: not reached before the last delay, and the time is the
        last delay - peak time), ``recovery_time_no_tail_ps`` with
        ``recovered_no_tail_within_window`` (the same for ``bare``),
        ``recovery_fit_time_ps`` with ``recovery_fit_ok`` (exponential fit to ``bare``),
        ``tail_over_displayed_peak`` (largest |shown - bare| over |peak of shown|).
    """
    shown = np.asarray(shown, dtype=float)
    bare = np.asarray(bare, dtype=float)
    lead = shown.shape[:-1]
    flat = [_one(time, shown[ix], bare[ix], probe_fwhm) for ix in np.ndindex(*lead)]
    out: dict[str, list] = {}
    for key in TRACE_KEYS:
        arr = np.empty(lead, dtype=object)
        for ix, rec in zip(np.ndindex(*lead), flat):
            arr[ix] = rec[key]
        out[key] = arr.tolist()
    return out


def _decreasing(values: list[float], ok: list[bool]) -> bool:
    """All reached and strictly decreasing (values in increasing-temperature order)."""
    return bool(all(ok) and all(b < a for a, b in zip(values, values[1:])))


def temperature_trends(reads: dict[str, list], temperatures: list[float]) -> dict[str, list]:
    """Whether the recovery speeds up with temperature (towards T_c), per fluence and
    probe energy (paper 001 Fig. 2c: "As the temperature approaches Tc, the quasiparticle
    lifetime decreases, leading to a faster relaxation").

    Parameters
    ----------
    reads : dict
        Output of :func:`recovery_readouts`.
    temperatures : list of float, K
        The temperature axis of ``reads``.

    Returns
    -------
    dict
        Nested ``[F][w]``: ``recovery_speeds_up_with_temperature`` (no-tail 1/e times all
        reached and strictly decreasing with increasing temperature; False with one
        temperature), ``recovery_fit_speeds_up_with_temperature`` (the fits),
        ``recovery_with_tail_speeds_up_with_temperature`` (the displayed signal), and
        ``fastest_recovery_temperature_K`` (temperature of the shortest no-tail 1/e time).
    """
    order = np.argsort(np.asarray(temperatures, dtype=float))
    temps = [float(temperatures[i]) for i in order]
    n_t = len(temps)

    def along(key: str, jf: int, jw: int) -> list:
        return [reads[key][i][jf][jw] for i in order]

    n_f, n_w = len(reads["peak_signal"][0]), len(reads["peak_signal"][0][0])
    pairs = (
        ("recovery_speeds_up_with_temperature", "recovery_time_no_tail_ps",
         "recovered_no_tail_within_window"),
        ("recovery_fit_speeds_up_with_temperature", "recovery_fit_time_ps", "recovery_fit_ok"),
        ("recovery_with_tail_speeds_up_with_temperature", "recovery_time_ps",
         "recovered_within_window"),
    )  # fmt: skip
    out: dict[str, list] = {}
    for name, key, ok in pairs:
        out[name] = [
            [n_t > 1 and _decreasing(along(key, jf, jw), along(ok, jf, jw)) for jw in range(n_w)]
            for jf in range(n_f)
        ]
    out["fastest_recovery_temperature_K"] = [
        [temps[int(np.argmin(along("recovery_time_no_tail_ps", jf, jw)))] for jw in range(n_w)]
        for jf in range(n_f)
    ]
    return out


def nam_vs_mattis_bardeen(
    mb: np.ndarray, nam: np.ndarray, mb_peaks: list, nam_peaks: list
) -> dict[str, Any]:
    """How much the Nam form (full Delta(omega, t)) moves the displayed signal.

    Parameters
    ----------
    mb, nam : (n_T, n_F, n_w, n_t) float
        Displayed signals of the two conductivity forms.
    mb_peaks, nam_peaks : nested lists ``[T][F][w]``
        Their ``peak_signal`` (:func:`recovery_readouts`).

    Returns
    -------
    dict
        ``nam_over_mb_peak`` (nested ``[T][F][w]``; 1 where the Mattis-Bardeen peak is 0,
        i.e. below 1e-12 of its signal)
        and ``nam_vs_mb_max_relative_difference`` (largest over the traces of
        max_t |S_Nam - S_MB| / max_t |S_MB|).
    """
    a, b = np.asarray(nam, dtype=float), np.asarray(mb, dtype=float)
    ratio = np.empty(a.shape[:-1])
    diff = 0.0
    for ix in np.ndindex(*a.shape[:-1]):
        pn = np.asarray(nam_peaks, dtype=float)[ix]
        pm = np.asarray(mb_peaks, dtype=float)[ix]
        scale = float(np.max(np.abs(b[ix]))) or 1.0
        # a peak change at rounding level of the signal is no change (sigma_1 of a normal
        # metal in the Mattis-Bardeen form does not depend on f(E, t))
        ratio[ix] = pn / pm if abs(pm) > 1e-12 * scale else 1.0
        diff = max(diff, float(np.max(np.abs(a[ix] - b[ix]))) / scale)
    if not math.isfinite(diff):
        raise ValueError("Nam vs Mattis-Bardeen difference is not finite")
    return {"nam_over_mb_peak": ratio.tolist(), "nam_vs_mb_max_relative_difference": diff}


#: Per-trace keys of :func:`gap_timescales` (nested ``[T][F][w]``).
GAP_KEYS = (
    "rise_time_ps",
    "gap_closed_time_ps",
    "gap_reopened",
    "gap_recovery_90_time_ps",
    "gap_recovered_90",
    "signal_10pct_time_ps",
    "signal_10pct_reached",
    "slow_component_ps",
    "slow_component_fitted",
    "slow_component_from_fit_start_ps",
    "late_over_peak",
)


def _gap_one(
    t: np.ndarray, sc: np.ndarray, delta0: np.ndarray, probe_fwhm: float, fit_start: float
) -> dict[str, Any]:
    """Time scales of one trace (:func:`gap_timescales`)."""
    d_eq = float(delta0[0])
    closed, reopened = gap_closed_time(t, delta0, d_eq)
    t90, rec90 = gap_recovery_time(t, delta0, d_eq)
    if not np.max(np.abs(sc)) > 0:
        return dict(rise_time_ps=0.0, gap_closed_time_ps=closed, gap_reopened=reopened,
                    gap_recovery_90_time_ps=t90, gap_recovered_90=rec90,
                    signal_10pct_time_ps=0.0, signal_10pct_reached=False,
                    slow_component_ps=SLOW_NONE_PS, slow_component_fitted=False,
                    slow_component_from_fit_start_ps=SLOW_NONE_PS, late_over_peak=0.0)  # fmt: skip
    t10, ok10 = decay_time(t, sc, level=0.1)
    start = max(fit_start, t90 + probe_fwhm)
    slow, fitted = fit_decay(t, sc, start, stop_fraction=0.0) if rec90 else (SLOW_NONE_PS, False)
    try:  # one exponential from fit_start to t_end
        old = slow_time(t, sc, fit_start)
    except ValueError:  # fewer than 3 samples with |signal| > 0 after the start
        old = math.inf
    k = int(np.argmax(np.abs(sc)))
    return dict(
        rise_time_ps=float(rise_time(t, sc)),
        gap_closed_time_ps=float(closed),
        gap_reopened=bool(reopened),
        gap_recovery_90_time_ps=float(t90),
        gap_recovered_90=bool(rec90),
        signal_10pct_time_ps=float(t10),
        signal_10pct_reached=bool(ok10),
        slow_component_ps=float(slow),
        slow_component_fitted=bool(fitted),
        slow_component_from_fit_start_ps=float(old) if math.isfinite(old) else SLOW_NONE_PS,
        late_over_peak=float(sc[-1] / sc[k]),
    )


def gap_timescales(
    time: np.ndarray,
    shown: np.ndarray,
    delta0: np.ndarray,
    probe_fwhm: float,
    fit_start: float = 0.0,
) -> dict[str, list]:
    """How long the gap stays closed, when it recovers, and how the signal follows
    (paper 001 Fig. 2d: "a phonon bottleneck that becomes more pronounced at larger F0";
    issue 12 section 3).

    Parameters
    ----------
    time : (n_t,) float, ps
        Delays (pump centre at 0; the first before the pump, Delta_0 in equilibrium).
    shown : (n_T, n_F, n_w, n_t) float
        Probe-convolved signal (a change from the pre-pump state).
    delta0 : (n_T, n_F, n_t) float, meV
        Gap edge Delta_0(t) of each kinetic run.
    probe_fwhm : float, ps
    fit_start : float, ps
        Earliest start of the slow-component fits.

    Returns
    -------
    dict
        Every key of :data:`GAP_KEYS` nested ``[T][F][w]``: ``rise_time_ps`` (10-90 %),
        ``gap_closed_time_ps`` with ``gap_reopened`` (time with Delta_0 below 10 % of its
        equilibrium value; False: still closed at the last delay, the time a lower bound),
        ``gap_recovery_90_time_ps`` with ``gap_recovered_90`` (first time after the pump
        centre and the minimum at which Delta_0 regains 90 %), ``signal_10pct_time_ps``
        with ``signal_10pct_reached`` (after the peak, |signal| at 10 % of it),
        ``slow_component_ps`` with ``slow_component_fitted`` (e-folding time of an
        exponential fitted from max(fit_start, t_90 + probe FWHM) to the last delay: the
        slow component only after the gap has recovered; ``SLOW_NONE_PS`` without),
        ``slow_component_from_fit_start_ps`` (one exponential from ``fit_start``), and
        ``late_over_peak`` (signal at the last delay over its peak).
    """
    shown = np.asarray(shown, dtype=float)
    delta0 = np.asarray(delta0, dtype=float)
    lead = shown.shape[:-1]
    out: dict[str, Any] = {k: np.empty(lead, dtype=object) for k in GAP_KEYS}
    for ix in np.ndindex(*lead):
        rec = _gap_one(time, shown[ix], delta0[ix[:2]], probe_fwhm, fit_start)
        for k in GAP_KEYS:
            out[k][ix] = rec[k]
    return {k: v.tolist() for k, v in out.items()}


def fluence_trends(reads: dict[str, list], fluences: list[float]) -> dict[str, list]:
    """Whether the bottleneck grows with the fluence (paper 001 Fig. 2d), per temperature
    and probe energy.

    Parameters
    ----------
    reads : dict
        Output of :func:`gap_timescales`.
    fluences : list of float, mJ/cm^2
        The fluence axis of ``reads``.

    Returns
    -------
    dict
        Nested ``[T][w]``, along increasing fluence (:func:`photosc.pipeline.timescales.grows`;
        a time not reached in the window counts as longer than any reached):
        ``bottleneck_grows_with_fluence`` (gap-closed time),
        ``gap_recovery_grows_with_fluence``, ``signal_10pct_time_grows_with_fluence``,
        ``slow_component_grows_with_fluence`` (all fitted and increasing),
        ``late_signal_grows_with_fluence`` (late_over_peak).
    """
    order = np.argsort(np.asarray(fluences, dtype=float), kind="stable")
    n_t, n_w = len(reads["late_over_peak"]), len(reads["late_over_peak"][0][0])

    def along(key: str, it: int, jw: int) -> list:
        return [reads[key][it][j][jw] for j in order]

    def per(fn) -> list:
        return [[bool(fn(it, jw)) for jw in range(n_w)] for it in range(n_t)]

    return {
        "bottleneck_grows_with_fluence": per(
            lambda i, w: grows(along("gap_closed_time_ps", i, w), along("gap_reopened", i, w))
        ),
        "gap_recovery_grows_with_fluence": per(
            lambda i, w: grows(
                along("gap_recovery_90_time_ps", i, w), along("gap_recovered_90", i, w)
            )
        ),
        "signal_10pct_time_grows_with_fluence": per(
            lambda i, w: grows(
                along("signal_10pct_time_ps", i, w), along("signal_10pct_reached", i, w)
            )
        ),
        "slow_component_grows_with_fluence": per(
            lambda i, w: (
                all(along("slow_component_fitted", i, w))
                and grows(along("slow_component_ps", i, w))
            )
        ),
        "late_signal_grows_with_fluence": per(lambda i, w: grows(along("late_over_peak", i, w))),
    }
