"""Where the data folders are: in a checkout beside the package, in an installed wheel inside it.

The repository keeps ``letter_templates/``, ``static/`` and ``migrations/`` at its top; the wheel's
build step (``setup.py``) copies them into the package. Every place that needs one of them asks
:func:`resource_dir`, so the app runs the same from a checkout and from ``pip install``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCE_FOLDERS = ("letter_templates", "static", "migrations")


def resource_dir(name: str) -> Path:
    """The folder ``name`` (one of :data:`RESOURCE_FOLDERS`) of this installation."""
    if name not in RESOURCE_FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}")
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"letterkit's {name}/ folder is missing: looked in {PACKAGE_DIR} and {PACKAGE_DIR.parent}. "
        "Install letterkit from a wheel built by its setup.py, or run it from a checkout."
    )
