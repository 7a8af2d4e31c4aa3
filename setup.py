"""Build step: put the top-level data folders and the compiled translations into the package.

The checkout keeps ``letter_templates/``, ``static/`` and ``migrations/`` at the top (the
mandated layout); the wheel carries them inside the package as ``letterkit/letter_templates``
and so on, where :func:`letterkit.resources.resource_dir` finds them. The message catalogues
(``.po``) are compiled to ``.mo`` here, during the build, never by hand. An editable install
(``pip install -e``, ``make install``) copies nothing: it reads the folders of the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_FOLDERS = ("letter_templates", "static", "migrations")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


class BuildWithData(build_py):
    """build_py that also copies the data folders and compiles the translations."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "letterkit"
        for name in DATA_FOLDERS:
            target = package / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(ROOT / name, target, ignore=SKIP)
        compile_catalogues(ROOT / "letterkit" / "translations", package / "translations")


def compile_catalogues(source: Path, target: Path) -> None:
    """Compile every ``messages.po`` under ``source`` to ``messages.mo`` under ``target``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parts[-3])
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog)


setup(cmdclass={"build_py": BuildWithData})
