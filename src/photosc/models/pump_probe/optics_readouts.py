"""Read-outs of the optics of a generic pump-probe run: photo-induced gap, penetration
depths, transient spectra and the equilibrium reference.

Material-free functions of the arrays of :mod:`.generic`; every per-run value is nested
as the dataset is, ``[temperature][fluence]`` or ``[temperature][fluence][probe energy]``.

- Photo-induced gap (paper 001 main text and SI Fig. 8, K3C60): the largest gap edge
  Delta_0(t) over the recorded delays, called photo-induced where it exceeds 1.05 x the
  pre-pump gap and 1e-3 meV (:func:`gap_readouts`).
- Superfluid response (K3C60 experiments, paper 001 refs. 5, 7, 8): d ln sigma_2 / d ln omega
  over 0.05-1 Delta_max, -1 for a 1/omega superfluid response (:func:`log_slope`).
- Penetration depths (SI IV, SI Eq. 14, SI Fig. 7): delta_probe(t) of the pumped layer
  against the equilibrium delta_pump at the pump energy (:func:`depth_readouts`).

Units: energies meV, times ps, lengths nm.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "PHOTOINDUCED_FACTOR",
    "depth_readouts",
    "gap_readouts",
    "log_slope",
    "reflectance_readouts",
    "slope_window",
    "superfluid_slope",
]

#: A gap edge counts as photo-induced above this factor times the pre-pump gap (and
#: above 1e-3 meV).
PHOTOINDUCED_FACTOR = 1.05


def log_slope(omega: np.ndarray, y: np.ndarray) -> float:
    """d ln y / d ln omega by a least-squares line.

    Parameters
    ----------
    omega : (n,) float, meV
    y : (n,) float
        Positive values (sigma_2 below the gap).

    Raises
    ------
    ValueError
        If a value is not > 0 (no log-log slope).
    """
    y = np.asarray(y, dtype=float)
    if np.any(~(y > 0)):
        raise ValueError("sigma_2 must be > 0 below the gap for the log-log slope")
    return float(np.polyfit(np.log(omega), np.log(y), 1)[0])


def slope_window(delta0: float, n: int = 16) -> np.ndarray:
    """Photon energies (meV) of the below-gap slope: n log-spaced in 0.05-1 Delta_0."""
    return np.geomspace(0.05 * delta0, delta0, n)


def superfluid_slope(omega: np.ndarray, sigma2: np.ndarray) -> tuple[float, bool]:
    """(d ln sigma_2 / d ln omega, resolved) over a below-gap window (:func:`slope_window`).

    Where sigma_2 is not > 0 over the whole window the grid does not resolve the gap (a
    few Eliashberg cells below the gap edge): no slope then, (0.0, False).

    Parameters
    ----------
    omega : (n,) float, meV
    sigma2 : (n,) float
        sigma_2 / sigma_N (or / sigma_0) at ``omega``.
    """
    if not np.all(np.asarray(sigma2, dtype=float) > 0):
        return 0.0, False
    return log_slope(omega, sigma2), True


def gap_readouts(time: np.ndarray, delta0: np.ndarray) -> dict[str, Any]:
    """The largest gap edge of each run and whether it is photo-induced.

    Parameters
    ----------
    time : (n_t,) float, ps
        Record times; row 0 is the pre-pump state.
    delta0 : (n_T, n_F, n_t) float, meV
        Gap edge Delta_0(t) of each run.

    Returns
    -------
    dict
        ``max_delta0_meV``, ``delay_of_max_gap_ps`` (first delay of the maximum) and
        ``photoinduced_gap`` (max Delta_0 > 1.05 Delta_0(t_0) and > 1e-3 meV), each
        ``[T][F]``.
    """
    d = np.asarray(delta0, dtype=float)
    i_max = np.argmax(d, axis=-1)
    d_max = np.max(d, axis=-1)
    induced = d_max > np.maximum(1e-3, PHOTOINDUCED_FACTOR * d[..., 0])
    return {
        "max_delta0_meV": d_max.tolist(),
        "delay_of_max_gap_ps": np.asarray(time, dtype=float)[i_max].tolist(),
        "photoinduced_gap": induced.tolist(),
    }


def depth_readouts(
    time: np.ndarray, depth: np.ndarray, depth_pump: np.ndarray, prefix: str = ""
) -> dict[str, Any]:
    """Probe against pump penetration depth (paper 001 SI IV, SI Fig. 7).

    Parameters
    ----------
    time : (n_t,) float, ps
    depth : (n_T, n_F, n_w, n_t) float, nm
        Probe penetration depth delta_probe(t) of the pumped layer (no probe average);
        t_0 is the pre-pump state.
    depth_pump : (n_T, n_F) float, nm
        Equilibrium (pre-pump) penetration depth at the pump energy, same conductivity form.
    prefix : str
        Prefix of the keys (``nam_`` for the Nam form beside Mattis-Bardeen).

    Returns
    -------
    dict
        ``delta_pump_nm`` ``[T][F]``; ``delta_probe_nm`` (before the pump),
        ``probe_minus_pump_nm`` (before the pump), ``max_variation_nm``
        (max |delta_probe(t) - delta_probe(t_0)|) and ``delay_of_max_variation_ps``,
        each ``[T][F][w]``.
    """
    d = np.asarray(depth, dtype=float)
    d_pump = np.asarray(depth_pump, dtype=float)
    var = np.abs(d - d[..., :1])
    return {
        f"{prefix}delta_pump_nm": d_pump.tolist(),
        f"{prefix}delta_probe_nm": d[..., 0].tolist(),
        f"{prefix}probe_minus_pump_nm": (d[..., 0] - d_pump[..., None]).tolist(),
        f"{prefix}max_variation_nm": np.max(var, axis=-1).tolist(),
        f"{prefix}delay_of_max_variation_ps": np.asarray(time, dtype=float)[
            np.argmax(var, axis=-1)
        ].tolist(),
    }


def reflectance_readouts(reflectance: np.ndarray, prefix: str = "") -> dict[str, Any]:
    """The largest change of the sample's reflectance from its pre-pump value.

    Parameters
    ----------
    reflectance : (n_T, n_F, n_w, n_t) float
        R(omega, t) of the sample (no probe average).
    prefix : str

    Returns
    -------
    dict
        ``max_reflectance_change`` ``[T][F]``: max over probe energies and delays of
        |R(t) - R(t_0)|.
    """
    r = np.asarray(reflectance, dtype=float)
    return {
        f"{prefix}max_reflectance_change": np.max(np.abs(r - r[..., :1]), axis=(-2, -1)).tolist()
    }
