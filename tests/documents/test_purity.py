"""The documents layer stays pure: no Flask, no SQLAlchemy; python-docx in one module only."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import letterkit

PACKAGE = Path(letterkit.__file__).parent


def test_import_pulls_no_web_or_database() -> None:
    code = (
        "import sys, letterkit.documents\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', "
        "'flask_sqlalchemy_lite', 'werkzeug'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_python_docx_imported_in_one_module() -> None:
    pattern = re.compile(r"^\s*(import docx\b|from docx[\s.])", re.MULTILINE)
    importers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    )
    assert importers == ["documents/docx_writer.py"]
