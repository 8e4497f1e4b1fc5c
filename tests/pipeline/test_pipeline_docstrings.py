"""Every public function of photosc.pipeline names each parameter in its numpydoc
Parameters section (the rule of tests/test_docstrings.py, applied to this layer)."""

import importlib.util
import pkgutil
from pathlib import Path

import photosc.pipeline


def _checker():
    path = Path(__file__).resolve().parents[1] / "test_docstrings.py"
    spec = importlib.util.spec_from_file_location("_photosc_docstring_rules", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_pipeline_functions_document_every_parameter():
    rules = _checker()
    bad, seen = [], 0
    for info in pkgutil.iter_modules(photosc.pipeline.__path__):
        module = importlib.import_module(f"photosc.pipeline.{info.name}")
        for qual, func, params, owner in rules._public_callables(module):
            if len(params) < 2:
                continue
            seen += 1
            why = rules.check(func, params, module, owner)
            if why:
                bad.append(f"{qual}: {why}")
    assert seen > 10
    assert not bad, "\n".join(bad)
