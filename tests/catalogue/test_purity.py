"""The catalogue is pure: importing and loading it pulls in neither Flask nor SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import letterkit.catalogue
letterkit.catalogue.get_catalogue()
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("flask", "sqlalchemy"))))
"""


def test_import_and_load_without_flask_or_sqlalchemy() -> None:
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
