"""Foundation layer: physical constants and units, energy grids, distributions, progress
bars and the parallel executor (:mod:`photosc.foundation.parallel`).

Everything above this layer works in the internal unit system:
energies in meV, times in ps, temperatures as k_B T in meV (given in K at the
boundary and converted with :data:`photosc.foundation.units.KB`).
"""
