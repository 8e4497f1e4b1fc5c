"""The pump-probe chain of paper 001, material-free, below the models.

pump -> kinetics (f, n, Delta(omega) in time; :mod:`~photosc.pipeline.kinetics`) ->
conductivity (Mattis-Bardeen or Nam; :mod:`~photosc.pipeline.conductivity`) -> sample
optics (film on substrate, thick layer, layered stack, depth-resolved slices;
:mod:`~photosc.pipeline.sample`, :mod:`~photosc.pipeline.signal`) -> signal (dR/R,
dT/T, sigma_1,2(omega, t), penetration depths) -> Gaussian probe convolution; plus the
read-out of time scales (:mod:`~photosc.pipeline.timescales`).

Functions take arrays and plain values (a spectrum, N(0), rho_N, eps_inf, indices,
thicknesses), never a material name; no file I/O, no xarray, no plotting. Models
(:mod:`photosc.models.pump_probe`) compose them into datasets.
"""

from photosc.pipeline.conductivity import (
    equilibrium_index,
    nam_cutoff,
    nam_gap_function,
    occupations,
    probe_conductivity,
    probe_conductivity_nam,
)
from photosc.pipeline.kinetics import (
    KineticTrace,
    eliashberg_solver,
    equilibrium_gap,
    equilibrium_gap_table,
    kaplan_tau0,
    run_kinetics,
    scaled_low_energy,
    select_rows,
)
from photosc.pipeline.sample import (
    DepthResolved,
    depth_resolved_film,
    pump_absorption,
    slice_deposition,
    slice_response,
)
from photosc.pipeline.signal import (
    Deposition,
    Sample,
    convolve_probe,
    measured_signal,
    pump_deposition,
    sample_response,
)

__all__ = [
    "Deposition",
    "DepthResolved",
    "KineticTrace",
    "Sample",
    "convolve_probe",
    "depth_resolved_film",
    "eliashberg_solver",
    "equilibrium_gap",
    "equilibrium_gap_table",
    "equilibrium_index",
    "kaplan_tau0",
    "measured_signal",
    "nam_cutoff",
    "nam_gap_function",
    "occupations",
    "probe_conductivity",
    "probe_conductivity_nam",
    "pump_absorption",
    "pump_deposition",
    "run_kinetics",
    "sample_response",
    "scaled_low_energy",
    "select_rows",
    "slice_deposition",
    "slice_response",
]
