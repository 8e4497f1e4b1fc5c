"""What both :mod:`photosc.runner` and :mod:`photosc.sweeps` use to make and write a result.

Layer: above :mod:`photosc.config` and the models, below the runner and the sweeps
(``results`` < ``sweeps`` < ``runner`` < ``cli``): the runner dispatches a sweep
scenario to :func:`photosc.sweeps.run_sweep`, and neither of them is imported here, so
the package has no import cycle (``tests/test_package_structure.py``).

Modules
-------
records     :class:`RunResult`, :func:`check_summary` (plain JSON, no NaN),
            :func:`netcdf_ready` (flat attributes), :func:`make_figures`
folders     output folders: the ``.photosc`` marker, locks, :func:`claim_out`,
            :func:`write_folder` (atomic; never replaces what photosc did not write)
provenance  :func:`config_toml` (a resolved scenario that reruns), :func:`provenance`,
            :func:`record_warnings`, :func:`load_any` (name, TOML file or result.nc)
compute     :func:`compute`: validate and run one scenario in memory
"""

from photosc.results.compute import compute
from photosc.results.folders import (
    LOCK_SUFFIX,
    MARKER,
    OutputError,
    OutputLock,
    check_out,
    claim_out,
    default_out,
    make_parent,
    out_path,
    read_marker,
    write_folder,
    write_marker,
)
from photosc.results.provenance import (
    config_toml,
    load_any,
    load_result_scenario,
    provenance,
    record_warnings,
)
from photosc.results.records import (
    RunResult,
    check_summary,
    close_figures,
    make_figures,
    netcdf_ready,
)

__all__ = [
    "LOCK_SUFFIX",
    "MARKER",
    "OutputError",
    "OutputLock",
    "RunResult",
    "check_out",
    "check_summary",
    "claim_out",
    "close_figures",
    "compute",
    "config_toml",
    "default_out",
    "load_any",
    "load_result_scenario",
    "make_figures",
    "make_parent",
    "netcdf_ready",
    "out_path",
    "provenance",
    "read_marker",
    "record_warnings",
    "write_folder",
    "write_marker",
]
