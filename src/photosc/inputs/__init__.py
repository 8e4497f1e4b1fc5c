"""Reading user input files into the objects the cores take (arrays, never paths).

Layer: above ``photosc.foundation`` and ``photosc.cores``, below ``photosc.models``. The
cores compute on arrays and never open a file; the readers here turn the files other codes
write into those arrays, check them and say what is wrong with a malformed one (file and
line).

Public API
----------
:func:`read_spectrum` (:mod:`photosc.inputs.spectrum_files`)
    alpha^2F(omega) from the files Quantum ESPRESSO (``a2F.dos*`` of ``matdyn.x``,
    ``prefix.a2F.dat`` of ``alpha2f.x``) and EPW (``prefix.a2f`` in its layouts) write, and
    from multi-column text, as a :class:`photosc.cores.spectra.Spectrum` with omega in meV.
    Malformed files raise :class:`SpectrumFileError` (a
    :class:`photosc.errors.PhotoscError` and a ``ValueError``); kept quirks (sizeable
    negative alpha^2F) issue a :class:`NegativeWeightWarning`, a :class:`SpectrumWarning`.
"""

from photosc.inputs.spectrum_files import (
    FORMATS,
    UNITS,
    NegativeWeightWarning,
    SpectrumFileError,
    SpectrumWarning,
    read_spectrum,
)

__all__ = [
    "FORMATS",
    "UNITS",
    "NegativeWeightWarning",
    "SpectrumFileError",
    "SpectrumWarning",
    "read_spectrum",
]
