"""The package's dependencies point one way, as pyproject.toml declares (import-linter).

The layers live in one place, ``[tool.importlinter]`` in pyproject.toml; imports inside functions
count as much as those at the top of a module.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_layers_name_the_service_layer_below_every_feature() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    names = [set(part.strip() for part in layer.split("|")) for layer in layers]
    features = {"accounts", "compose", "directory", "petitions", "tracking"}
    feature_layer = next(i for i, layer in enumerate(names) if features <= layer)
    assert names[feature_layer + 1] == {"services"}
    assert names.index({"core"}) > feature_layer + 1
    pure = next(i for i, layer in enumerate(names) if "documents" in layer)
    assert names[pure] == {"deadlines", "catalogue", "documents"}
    assert pure > names.index({"core"})
