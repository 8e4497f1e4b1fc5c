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

from photosc.pipeline.timescales import decay_time, recovery_fit

__all__ = ["nam_vs_mattis_bardeen", "recovery_readouts", "temperature_trends"]

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
        ``nam_over_mb_peak`` (nested ``[T][F][w]``; 1 where the Mattis-Bardeen peak is 0)
        and ``nam_vs_mb_max_relative_difference`` (largest over the traces of
        max_t |S_Nam - S_MB| / max_t |S_MB|).
    """
    a, b = np.asarray(nam, dtype=float), np.asarray(mb, dtype=float)
    ratio = np.empty(a.shape[:-1])
    diff = 0.0
    for ix in np.ndindex(*a.shape[:-1]):
        pn = np.asarray(nam_peaks, dtype=float)[ix]
        pm = np.asarray(mb_peaks, dtype=float)[ix]
        ratio[ix] = pn / pm if pm else 1.0
        scale = float(np.max(np.abs(b[ix]))) or 1.0
        diff = max(diff, float(np.max(np.abs(a[ix] - b[ix]))) / scale)
    if not math.isfinite(diff):
        raise ValueError("Nam vs Mattis-Bardeen difference is not finite")
    return {"nam_over_mb_peak": ratio.tolist(), "nam_vs_mb_max_relative_difference": diff}
