"""The deadline engine is pure: importing it loads neither Flask nor SQLAlchemy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import letterkit

PACKAGE_DIR = str(Path(letterkit.__file__).parent)

FORBIDDEN = ("flask", "flask_babel", "flask_sqlalchemy_lite", "sqlalchemy", "werkzeug")


def _loaded_after(code: str) -> dict[str, bool]:
    probe = (
        code
        + "\nimport json, sys\n"
        + f"print(json.dumps({{m: m in sys.modules for m in {FORBIDDEN!r}}}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_deadline_modules_import_neither_flask_nor_sqlalchemy() -> None:
    """Load only the deadline subpackage (the parent package replaced by a bare stub)."""
    stub = (
        "import sys, types\n"
        "pkg = types.ModuleType('letterkit')\n"
        f"pkg.__path__ = [{PACKAGE_DIR!r}]\n"
        "sys.modules['letterkit'] = pkg\n"
        "import letterkit.deadlines\n"
        "from datetime import date\n"
        "letterkit.deadlines.compute_due('RU', date(2026, 1, 5))\n"
    )
    loaded = _loaded_after(stub)
    assert not any(loaded.values()), loaded


def test_import_letterkit_deadlines_loads_neither_flask_nor_sqlalchemy() -> None:
    """The design's requirement, as the web layer and the CLI will import it."""
    loaded = _loaded_after("import letterkit.deadlines")
    parent = _loaded_after("import letterkit")
    assert not loaded["flask"] and not loaded["sqlalchemy"], (
        f"importing letterkit.deadlines loaded {sorted(m for m, on in loaded.items() if on)}; "
        + (
            "they come from letterkit/__init__.py itself (module-level imports), "
            "not from letterkit/deadlines"
            if parent["flask"] or parent["sqlalchemy"]
            else "they come from letterkit/deadlines"
        )
    )
