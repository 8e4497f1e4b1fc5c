import os
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).parent / "plugins"
sys.path.insert(0, str(PLUGINS))
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(PLUGINS), *filter(None, [os.environ.get("PYTHONPATH")])]
)
os.environ.setdefault("PHOTOSC_PROGRESS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")

TOY = """
[scenario]
model = "toy_models:SQUARE"
title = "toy"
paper = "none"

[parameters]
energy = "3 meV"

[numerics]
n_points = 5
"""


@pytest.fixture
def toy_scenario(tmp_path):
    """A scenario file for the plug-in toy model."""
    p = tmp_path / "toy.toml"
    p.write_text(TOY)
    return p
