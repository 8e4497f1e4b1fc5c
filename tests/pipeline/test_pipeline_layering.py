"""photosc.pipeline sits below the models: arrays in, arrays out, no I/O layers."""

import subprocess
import sys

FORBIDDEN = (
    "xarray",
    "matplotlib",
    "photosc.models",
    "photosc.inputs",
    "photosc.runner",
    "photosc.config",
    "photosc.materials",
)


def test_pipeline_imports_no_upper_layer():
    code = (
        "import sys, photosc.pipeline; "
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"photosc.pipeline imports {out.stdout.strip()}"


def test_pipeline_names_no_material():
    """No built-in material is named in the pipeline's code (docstrings may cite the
    paper's examples)."""
    import ast
    from pathlib import Path

    import photosc.pipeline

    names = ("Pb", "LaH10", "K3C60", "CaC6", "MgB2", "Nb")
    for path in Path(photosc.pipeline.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docs:
                    assert not any(m in node.value for m in names), f"{path.name}: {node.value!r}"
