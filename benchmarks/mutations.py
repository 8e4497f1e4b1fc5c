"""Hand mutations of the physics cores: does the test suite catch each one?

Issue 14 section 4. Each mutation changes one expression in a copy of ``src/photosc``
(a sign, a factor 2, a dropped bound: the errors a tired physicist makes), runs the
tests that cover that module against the copy, and counts the mutation *killed* when
a test fails, *survived* when all pass. The source tree is never modified. The score
and date go into ``benchmarks/README.md`` by hand.

    python benchmarks/mutations.py            # all mutations
    python benchmarks/mutations.py 0 3        # only mutations 0 and 3
    python benchmarks/mutations.py --paper    # broken models against the paper checks

``--paper`` (issue 14 section 1) applies each of :data:`PAPER_MUTATIONS` (a sign flip or
a factor 2 in a core) and reruns, on the mutated copy, the ``paper`` test that checks
every paper check's declared status on a scenario's ``[ci]`` grid
(``tests/test_validation_statuses.py``): a mutation is caught when at least one paper
check changes status, i.e. when CI's paper pass turns red.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]


class Mutation(NamedTuple):
    path: str  # relative to src/photosc
    old: str  # exact text, must occur exactly once
    new: str
    tests: tuple[str, ...]  # pytest targets relative to the repository root
    why: str


KIN = (
    "tests/cores/kinetics/test_kinetics_collisions.py",
    "tests/cores/kinetics/test_kinetics_rates.py",
)
MUTATIONS = [
    Mutation(
        "cores/kaplan.py",
        "np.sqrt(x + 2.0 * delta)",
        "np.sqrt(x + delta)",
        ("tests/cores/test_qp_rates.py",),
        "Kaplan integrand rho(E')(1 +- D^2/EE'): the gap-edge scattering coherence factor "
        "becomes sqrt(W/(W + D)) (issue 14's example, 28 % error)",
    ),
    Mutation(
        "cores/kinetics/collisions.py",
        "self.c_qp = 2.0 * np.pi * grid.step / (HBAR * self.z)",
        "self.c_qp = np.pi * grid.step / (HBAR * self.z)",
        KIN,
        "factor 2 in every quasi-particle collision rate",
    ),
    Mutation(
        "cores/kinetics/collisions.py",
        'if coherence == "density":\n        return -1.0, 1.0',
        'if coherence == "density":\n        return 1.0, -1.0',
        KIN,
        "phonon (density) coherence factors swapped with photon (current) ones",
    ),
    Mutation(
        "cores/kinetics/coherence.py",
        "return np.clip(np.asarray(p, dtype=float), -rho, rho)",
        "return np.asarray(p, dtype=float)",
        ("tests/cores/kinetics/test_kinetics_eliashberg.py",),
        "the |P| <= N spectral bound dropped (the 2 K Pb energy leak)",
    ),
    Mutation(
        "cores/kinetics/solver.py",
        "self.gap_work += self.energy(f, st.n, coh) - e_old",
        "self.gap_work -= self.energy(f, st.n, coh) - e_old",
        ("tests/cores/kinetics/test_energy_budget.py",),
        "sign of the gap work in the energy budget",
    ),
    Mutation(
        "cores/bcs/quadrature.py",
        "return np.where(pos, np.tanh(x / (2.0 * safe)), np.sign(x))",
        "return np.where(pos, np.tanh(x / safe), np.sign(x))",
        ("tests/cores/test_bcs.py",),
        "the 1/2 of tanh(E / 2kT) (paper 000's garbled Eq. 31)",
    ),
    Mutation(
        "cores/eliashberg/kernels.py",
        "phi_c = -self.mu_star * self.step",
        "phi_c = self.mu_star * self.step",
        ("tests/cores/test_eliashberg.py",),
        "sign of the Coulomb pseudopotential",
    ),
    Mutation(
        "cores/optics/mattis_bardeen_forms.py",
        "jac = 2.0 * np.sqrt((x + c) / ((x + 2 * dd) * (x + ww) * (ew + dd)))",
        "jac = np.sqrt((x + c) / ((x + 2 * dd) * (x + ww) * (ew + dd)))",
        ("tests/cores/optics/test_optics_conductivity.py",),
        "factor 2 in the Mattis-Bardeen scattering integral (the one compiled integrand)",
    ),
]


def _ci_status(*scenarios: str) -> tuple[str, ...]:
    test = "tests/test_validation_statuses.py::test_ci_grid_gives_the_declared_statuses"
    return tuple(f"{test}[{name}]" for name in scenarios)


#: Broken models for ``--paper``: each must flip a paper check of a cheap scenario.
PAPER_MUTATIONS = [
    Mutation(
        "cores/bcs/gap_equation.py",
        "return np.tanh(0.5 * np.sinh(u)) / np.tanh(u)",
        "return np.tanh(np.sinh(u)) / np.tanh(u)",
        _ci_status("bcs-equilibrium", "raman-pairing"),
        "the 1/2 of tanh(xi / 2kT) dropped in the BCS T_c equation",
    ),
    Mutation(
        "cores/eliashberg/kernels.py",
        "phi_c = -self.mu_star * self.step",
        "phi_c = self.mu_star * self.step",
        _ci_status("eliashberg-equilibrium", "eliashberg-materials"),
        "sign of the Coulomb pseudopotential in the Eliashberg kernel",
    ),
    Mutation(
        "cores/kinetics/collisions.py",
        "self.c_qp = 2.0 * np.pi * grid.step / (HBAR * self.z)",
        "self.c_qp = np.pi * grid.step / (HBAR * self.z)",
        _ci_status("qp-trapping-kinetics", "nonthermal-distributions-k3c60"),
        "factor 2 in every quasi-particle collision rate",
    ),
    Mutation(
        "cores/optics/mattis_bardeen_forms.py",
        "jac = 2.0 * np.sqrt((x + c) / ((x + 2 * dd) * (x + ww) * (ew + dd)))",
        "jac = np.sqrt((x + c) / ((x + 2 * dd) * (x + ww) * (ew + dd)))",
        _ci_status("optical-conductivity"),
        "factor 2 in the Mattis-Bardeen scattering integral",
    ),
]


def control(work: Path, mutations: list[Mutation], marker: str = "") -> None:
    """Run every mutation's tests on an unmutated copy: they must pass, or a "killed"
    would mean a broken environment, not a caught mutation."""
    targets = sorted({t for m in mutations for t in m.tests})
    if run(-1, Mutation(mutations[0].path, "", "", tuple(targets), "control"), work, marker):
        raise SystemExit("control: the tests fail on the unmutated copy; fix that first")


def run(index: int, m: Mutation, work: Path, marker: str = "") -> bool:
    """True when a test fails on the mutated copy (the mutation is killed).

    The copy lives at the same path for every mutation (``work/src``, files copied with
    their modification times) and shares one Numba cache (``work/numba``), so only the
    mutated module is recompiled.
    """
    src = work / "src"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
    target = src / "photosc" / m.path
    if m.old:  # the control run (old == "") changes nothing
        text = target.read_text()
        if text.count(m.old) != 1:
            raise SystemExit(f"mutation {index}: {m.old!r} occurs {text.count(m.old)} times")
        target.write_text(text.replace(m.old, m.new))
    env = {**os.environ, "PYTHONPATH": str(src), "NUMBA_CACHE_DIR": str(work / "numba")}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *m.tests]
    if marker:
        cmd += ["-m", marker]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if marker and m.old and res.returncode != 0:  # what turned the paper pass red
        lines = res.stdout.splitlines()
        flipped = [x for x in lines if x.startswith("E") and "declared '" in x]
        errors = [x for x in lines if x.startswith("E ") and "Error" in x]
        for line in (flipped or errors)[:2]:
            print("      " + line[1:].strip()[:220], flush=True)
    return res.returncode != 0


def main(argv: list[str]) -> None:
    paper = "--paper" in argv
    argv = [a for a in argv if a != "--paper"]
    mutations = PAPER_MUTATIONS if paper else MUTATIONS
    marker = "paper" if paper else ""
    chosen = [int(a) for a in argv] or range(len(mutations))
    killed = 0
    work = Path(tempfile.mkdtemp(prefix="photosc-mut-"))
    t0 = time.perf_counter()
    control(work, mutations, marker)
    print(f"control: all tests pass unmutated ({time.perf_counter() - t0:.1f} s)", flush=True)
    for i in chosen:
        m = mutations[i]
        t0 = time.perf_counter()
        print(f"[{i}] {m.path}: {m.why}", flush=True)
        ok = run(i, m, work, marker)
        killed += ok
        state = "killed" if ok else "SURVIVED"
        print(f"    {state} ({time.perf_counter() - t0:.1f} s)", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    print(f"score: {killed} / {len(list(chosen))} killed")


if __name__ == "__main__":
    main(sys.argv[1:])
