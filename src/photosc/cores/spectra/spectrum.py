"""The :class:`Spectrum` and :class:`MaterialParams` types and the Allen-Dynes formula.

Re-exported by :mod:`photosc.cores.spectra` (see its docstring for the definitions of the
moments); :mod:`photosc.cores.spectra.library` builds the built-ins from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from photosc.foundation.units import KB

__all__ = ["MaterialParams", "Spectrum", "allen_dynes_tc"]


@dataclass(frozen=True)
class MaterialParams:
    """Material parameters of paper 001, SI Table 1.

    Attributes
    ----------
    n_ion_nm3 : float, nm^-3
        Ion density N.
    rho_n_ohm_nm : float, Ohm nm
        Normal-state resistivity rho_N.
    n0_per_ev_nm3 : float, eV^-1 nm^-3
        Single-spin electronic density of states at the Fermi level N(0).
    tc0_K : float, K
        Equilibrium critical temperature T_c,0 of the paper's calculation.
    source : str
        Where the numbers come from.
    """

    n_ion_nm3: float
    rho_n_ohm_nm: float
    n0_per_ev_nm3: float
    tc0_K: float
    source: str = "paper 001, SI Table 1"


def _trapz(y: NDArray[np.float64], x: NDArray[np.float64]) -> float:
    return float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(x)))


@dataclass(frozen=True)
class Spectrum:
    """An Eliashberg function alpha^2F(omega), optionally with the phonon DOS F(omega).

    Parameters
    ----------
    omega : (n,) float, meV
        Strictly increasing phonon energies, all >= 0 (builtins: uniform, omega[0] = 0).
    a2f : (n,) float, dimensionless
        alpha^2F(omega). Small negative values (e.g. from Fourier interpolation in
        ab-initio codes) are kept; they enter every moment with their sign.
    f_dos : (n,) float, 1/meV, optional
        Phonon density of states F(omega), normalised to 3 modes per atom
        (int F d omega = 3) for the built-in model spectra.
    name : str
        Material or file name.
    source : str
        Provenance (reference, model description, file path).
    material : MaterialParams, optional
        Paper 001 SI Table 1 parameters, where the material is in that table.
    mu_star : float, optional
        The Coulomb pseudopotential documented with this spectrum, in the
        convention of :mod:`photosc.cores.eliashberg` (sharp real-axis cutoff
        ``omega_c``; see ``mu_star_cutoff``).
    mu_star_cutoff : float, meV, optional
        The cutoff omega_c that ``mu_star`` refers to.
    tc_target_K : float, optional
        The T_c (K) that ``mu_star`` was chosen to reproduce.
    notes : str
        Free-form documentation (model construction, deviations).
    file_lambda : float, optional
        lambda stated by the file the spectrum was read from (QE footer, EPW
        integrated coupling), for comparison with :attr:`lambda_`.
    """

    omega: NDArray[np.float64]
    a2f: NDArray[np.float64]
    f_dos: NDArray[np.float64] | None = None
    name: str = ""
    source: str = ""
    material: MaterialParams | None = None
    mu_star: float | None = None
    mu_star_cutoff: float | None = None
    tc_target_K: float | None = None
    notes: str = ""
    file_lambda: float | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        w = np.ascontiguousarray(self.omega, dtype=float)
        a = np.ascontiguousarray(self.a2f, dtype=float)
        where = f"spectrum {self.name!r}"
        if w.ndim != 1 or a.shape != w.shape:
            raise ValueError(
                f"{where}: omega and a2f must be 1-D of equal length, got shapes "
                f"{w.shape} and {a.shape}"
            )
        if w.size < 3:
            raise ValueError(f"{where}: needs at least 3 frequency points, got {w.size}")
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(a))):
            raise ValueError(f"{where}: omega and a2f must be finite (found NaN or inf)")
        if w[0] < 0:
            raise ValueError(f"{where}: frequencies must be >= 0 meV, got {w[0]}")
        if np.any(np.diff(w) <= 0):
            i = int(np.argmax(np.diff(w) <= 0))
            raise ValueError(
                f"{where}: frequencies must increase strictly; omega[{i + 1}] = {w[i + 1]} "
                f"<= omega[{i}] = {w[i]}"
            )
        if not np.any(a > 0):
            raise ValueError(f"{where}: alpha^2F has no positive weight")
        object.__setattr__(self, "omega", w)
        object.__setattr__(self, "a2f", a)
        if self.f_dos is not None:
            f = np.ascontiguousarray(self.f_dos, dtype=float)
            if f.shape != w.shape:
                raise ValueError(f"{where}: f_dos must have the shape of omega {w.shape}")
            object.__setattr__(self, "f_dos", f)

    # -- moments ---------------------------------------------------------------
    def _a2f_over_w(self) -> NDArray[np.float64]:
        w, a = self.omega, self.a2f
        out = np.zeros_like(a)
        pos = w > 0
        out[pos] = a[pos] / w[pos]
        return out

    @property
    def lambda_(self) -> float:
        """lambda = 2 int alpha^2F(omega) / omega d omega (dimensionless)."""
        if "lambda" not in self._cache:
            self._cache["lambda"] = 2.0 * _trapz(self._a2f_over_w(), self.omega)
        return self._cache["lambda"]

    @property
    def omega_log(self) -> float:
        """omega_log = exp[(2/lambda) int ln(omega) alpha^2F / omega d omega], meV."""
        if "omega_log" not in self._cache:
            w = self.omega
            g = self._a2f_over_w()
            lnw = np.zeros_like(w)
            lnw[w > 0] = np.log(w[w > 0])
            self._cache["omega_log"] = math.exp(2.0 * _trapz(g * lnw, w) / self.lambda_)
        return self._cache["omega_log"]

    @property
    def omega2(self) -> float:
        """sqrt(<omega^2>), <omega^2> = (2/lambda) int omega alpha^2F d omega, meV."""
        if "omega2" not in self._cache:
            m = 2.0 * _trapz(self.a2f * self.omega, self.omega) / self.lambda_
            self._cache["omega2"] = math.sqrt(m) if m > 0 else 0.0
        return self._cache["omega2"]

    @property
    def omega_max(self) -> float:
        """Largest phonon energy with alpha^2F above 1e-6 of its maximum, meV."""
        a = self.a2f
        idx = np.nonzero(a > 1e-6 * a.max())[0]
        return float(self.omega[idx[-1]])

    @property
    def negative_weight(self) -> float:
        """Fraction of int |alpha^2F|/omega carried by negative alpha^2F (0 if none)."""
        g = self._a2f_over_w()
        tot = _trapz(np.abs(g), self.omega)
        neg = _trapz(np.where(g < 0, -g, 0.0), self.omega)
        return neg / tot if tot > 0 else 0.0

    def allen_dynes_tc(self, mu_star: float, corrections: bool = True) -> float:
        """Allen-Dynes T_c estimate in K (see :func:`allen_dynes_tc`).

        Parameters
        ----------
        mu_star : float, dimensionless
            Coulomb pseudopotential.
        corrections : bool
            Apply the strong-coupling and shape corrections f1, f2 (with this spectrum's
            sqrt(<omega^2>)); False: the McMillan-like form f1 = f2 = 1.

        Returns
        -------
        float, K
        """
        return allen_dynes_tc(
            self.lambda_, self.omega_log, mu_star, self.omega2 if corrections else None
        )

    # -- grids ----------------------------------------------------------------
    def interpolate(self, omega: ArrayLike) -> NDArray[np.float64]:
        """alpha^2F at ``omega`` (meV), linear interpolation, 0 outside the data.

        Below the first data point alpha^2F is interpolated linearly to 0 at omega = 0.
        """
        w = np.asarray(omega, dtype=float)
        xs, ys = self.omega, self.a2f
        if xs[0] > 0:
            xs = np.concatenate([[0.0], xs])
            ys = np.concatenate([[0.0], ys])
        return np.interp(w, xs, ys, left=0.0, right=0.0)

    def interpolate_dos(self, omega: ArrayLike) -> NDArray[np.float64]:
        """F(omega) at ``omega`` (meV), 1/meV, linear interpolation, 0 outside the data."""
        if self.f_dos is None:
            raise ValueError(f"spectrum {self.name!r} carries no phonon DOS F(omega)")
        w = np.asarray(omega, dtype=float)
        return np.interp(w, self.omega, self.f_dos, left=0.0, right=0.0)

    def resampled(self, step: float) -> Spectrum:
        """The spectrum on a uniform grid 0, step, 2 step, ... up to its last frequency."""
        if not step > 0:
            raise ValueError(f"step must be > 0 meV, got {step}")
        n = int(math.ceil(self.omega[-1] / step)) + 1
        w = step * np.arange(n)
        f = self.interpolate_dos(w) if self.f_dos is not None else None
        return Spectrum(
            omega=w,
            a2f=self.interpolate(w),
            f_dos=f,
            name=self.name,
            source=self.source,
            material=self.material,
            mu_star=self.mu_star,
            mu_star_cutoff=self.mu_star_cutoff,
            tc_target_K=self.tc_target_K,
            notes=self.notes,
        )

    def scaled(self, factor: float) -> Spectrum:
        """alpha^2F multiplied by ``factor`` (lambda scales by it; omega_log unchanged)."""
        if not factor > 0:
            raise ValueError(f"factor must be > 0, got {factor}")
        return Spectrum(
            omega=self.omega,
            a2f=self.a2f * factor,
            f_dos=self.f_dos,
            name=self.name,
            source=self.source + f" (alpha^2F scaled by {factor:g})",
            material=self.material,
            notes=self.notes,
        )


def allen_dynes_tc(
    lambda_: float, omega_log: float, mu_star: float, omega2: float | None = None
) -> float:
    """Allen-Dynes estimate of T_c in K.

    T_c = f1 f2 omega_log / (1.2 k_B) exp[-1.04 (1 + lambda) / (lambda - mu* (1 + 0.62 lambda))]

    (Allen & Dynes, Phys. Rev. B 12, 905 (1975), Eq. 34), with the strong-coupling
    and shape corrections f1 = [1 + (lambda / L1)^(3/2)]^(1/3), L1 = 2.46 (1 + 3.8 mu*),
    f2 = 1 + (omega2 / omega_log - 1) lambda^2 / (lambda^2 + L2^2),
    L2 = 1.82 (1 + 6.3 mu*) omega2 / omega_log, when ``omega2`` is given
    (``omega2=None``: the McMillan-like form with f1 = f2 = 1).

    Parameters
    ----------
    lambda_ : float
        Electron-phonon coupling constant.
    omega_log : float, meV
        Logarithmic average phonon frequency.
    mu_star : float
        Coulomb pseudopotential.
    omega2 : float, meV, optional
        sqrt(<omega^2>).

    Returns
    -------
    float, K
        0.0 when the exponent's denominator is <= 0 (no superconductivity).
    """
    den = lambda_ - mu_star * (1.0 + 0.62 * lambda_)
    if den <= 0:
        return 0.0
    f1 = f2 = 1.0
    if omega2 is not None:
        l1 = 2.46 * (1.0 + 3.8 * mu_star)
        l2 = 1.82 * (1.0 + 6.3 * mu_star) * (omega2 / omega_log)
        f1 = (1.0 + (lambda_ / l1) ** 1.5) ** (1.0 / 3.0)
        f2 = 1.0 + (omega2 / omega_log - 1.0) * lambda_**2 / (lambda_**2 + l2**2)
    return f1 * f2 * omega_log / (1.2 * KB) * math.exp(-1.04 * (1.0 + lambda_) / den)
