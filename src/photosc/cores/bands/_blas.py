"""Run small dense linear algebra on one BLAS thread.

The Newton steps and stability eigenvalues of the bands core work on matrices of a
few hundred to a few thousand rows. With multithreaded OpenBLAS on a machine whose
cores are all busy (sweeps run one process per core), the threads spin-wait for
each other and a 250 x 250 solve takes a second instead of a millisecond. This
context manager sets the OpenBLAS libraries loaded by NumPy and SciPy to one thread
and restores the previous count; it does nothing where they cannot be found.
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import scipy

_PAIRS = (
    ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
    ("openblas_get_num_threads", "openblas_set_num_threads"),
)


def _libraries() -> list[tuple]:
    out = []
    for pkg in (np, scipy):
        base = os.path.dirname(os.path.dirname(pkg.__file__))
        name = pkg.__name__ + ".libs"
        for path in glob.glob(os.path.join(base, name, "*openblas*.so*")):
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            for get, set_ in _PAIRS:
                if hasattr(lib, get) and hasattr(lib, set_):
                    getf, setf = getattr(lib, get), getattr(lib, set_)
                    getf.restype = ctypes.c_int
                    setf.argtypes = [ctypes.c_int]
                    out.append((getf, setf))
                    break
    return out


_LIBS: list[tuple] | None = None


@contextmanager
def single_thread_blas() -> Iterator[None]:
    """Context: OpenBLAS on one thread (previous thread counts restored on exit)."""
    global _LIBS
    if _LIBS is None:
        try:
            _LIBS = _libraries()
        except Exception:  # noqa: BLE001 - best effort, never fatal
            _LIBS = []
    previous = []
    for getf, setf in _LIBS:
        previous.append(getf())
        setf(1)
    try:
        yield
    finally:
        for (_, setf), n in zip(_LIBS, previous):
            setf(max(int(n), 1))
