"""photosc: simulations of light-induced and non-equilibrium superconductivity."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("photosc")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "run", "sweep"]


def __getattr__(name: str):
    # Lazy: importing photosc (e.g. a core) must not pull in xarray or matplotlib.
    if name == "run":
        from photosc.runner import run

        return run
    if name == "sweep":
        from photosc.sweeps import sweep

        return sweep
    raise AttributeError(f"module 'photosc' has no attribute {name!r}")
