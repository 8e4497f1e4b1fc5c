"""Several independent pump runs of one material at once (issue 16: parallel runs).

The temperatures of ``photoinduced-gap`` and the (case, fluence) pairs of
``photoinduced-gap-fluence`` are independent kinetic runs; :func:`simulate_many` maps
:func:`.simulate.simulate` over them on ``numerics.workers`` processes (0: all cores,
1: in-process; inside a sweep worker always in-process) or a Dask scheduler, with the
same Eliashberg solver, and re-issues their warnings in the caller. Each run is the
in-process run bit for bit (tests/models/test_photoinduced_gap.py).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from photosc.foundation.parallel import parallel_map_warned
from photosc.models.photoinduced_gap.simulate import PumpRun, simulate

__all__ = ["simulate_many"]


def _one(mat, params, numerics, eliashberg, case: tuple[float, float, float]) -> PumpRun:
    temperature, pump_energy, fluence = case
    return simulate(
        mat,
        params,
        numerics,
        temperature=temperature,
        pump_energy=pump_energy,
        fluence=fluence,
        eliashberg=eliashberg,
    )


def simulate_many(
    mat,
    params,
    numerics,
    cases: Sequence[tuple[float, float, float]],
    eliashberg=None,
    desc: str | None = None,
) -> list[PumpRun]:
    """One :func:`.simulate.simulate` per case, in the order of ``cases``.

    Parameters
    ----------
    mat : photosc.materials.Material
    params : PumpParams
    numerics : PumpNumerics
        Its ``workers`` and ``scheduler`` choose where the runs go.
    cases : sequence of (temperature K, pump energy meV, fluence mJ/cm^2)
    eliashberg : EliashbergSolver, optional
        Shared by every run (pickled to the workers).
    desc : str, optional
        Progress-bar label.

    Returns
    -------
    list of PumpRun
    """
    fn = functools.partial(_one, mat, params, numerics, eliashberg)
    return parallel_map_warned(
        fn,
        [tuple(float(x) for x in c) for c in cases],
        workers=numerics.workers or None,
        scheduler=numerics.scheduler or None,
        desc=desc,
    )
