"""Imports only point down the stack (STYLE.md habit 1).

foundation < cores < inputs (file readers) < models < runner, config, cli.
"""

import pkgutil
import subprocess
import sys

import pytest

import photosc.cores

CORES = sorted(m.name for m in pkgutil.iter_modules(photosc.cores.__path__))
FORBIDDEN = ("xarray", "matplotlib", "photosc.models", "photosc.runner", "photosc.config")
# the cores take arrays, never paths: the file readers live above them (issue 14 section 5)
CORE_FORBIDDEN = (*FORBIDDEN, "photosc.inputs")


@pytest.mark.parametrize("core", CORES)
def test_core_imports_no_upper_layer(core):
    code = (
        f"import sys, importlib; importlib.import_module('photosc.cores.{core}'); "
        f"bad = [m for m in {CORE_FORBIDDEN!r} if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"photosc.cores.{core} imports {out.stdout.strip()}"


def test_foundation_imports_no_upper_layer():
    code = (
        "import sys; import photosc.foundation.units, photosc.foundation.grids, "
        "photosc.foundation.distributions; "
        "print(','.join(m for m in sys.modules if m.startswith(('xarray', 'photosc.cores', "
        "'photosc.inputs', 'photosc.models'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_inputs_import_no_upper_layer():
    code = (
        f"import sys, photosc.inputs; print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"photosc.inputs imports {out.stdout.strip()}"
