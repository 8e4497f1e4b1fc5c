"""photosc's exception types."""

from __future__ import annotations


class PhotoscError(Exception):
    """Base class of photosc errors."""


class ConfigError(PhotoscError, ValueError):
    """A scenario, parameter or command-line value is invalid.

    The message names the field, the bad value and what is allowed.
    """


class ConvergenceError(PhotoscError, RuntimeError):
    """An iterative solver did not converge.

    Attributes
    ----------
    residual : float
        The last residual (in the solver's own measure, stated in the message).
    iterations : int
        Iterations done.
    """

    def __init__(self, message: str, residual: float = float("nan"), iterations: int = 0):
        super().__init__(f"{message} (residual {residual:.3e} after {iterations} iterations)")
        self.residual = residual
        self.iterations = iterations
