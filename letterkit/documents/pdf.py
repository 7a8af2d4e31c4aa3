"""PDF through LibreOffice, when it is installed.

``soffice --headless --convert-to pdf`` runs with a private user profile per call
(``-env:UserInstallation``), so parallel conversions never share (and lock) one profile, and with
a timeout. Without LibreOffice, :func:`docx_to_pdf` raises :class:`PdfUnavailable` with a message
that says what to install; :func:`pdf_available` tells beforehand.

Fonts: letters name Times New Roman and Sylfaen (the fonts officials' Windows computers have).
LibreOffice runs with :data:`FONTCONFIG_PATH` (``fonts.conf``, unless ``$FONTCONFIG_FILE`` is
set), which reads the system's fontconfig and maps them to Liberation Serif (metric-compatible
with Times New Roman, so the PDF breaks pages where Word does) and Noto Serif Georgian (not
metric-compatible: a Georgian PDF may break differently). Debian: fonts-liberation2,
fonts-noto-core.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from letterkit.documents.errors import PdfUnavailable
from letterkit.markers import N_

DEFAULT_TIMEOUT = 120.0
FONTCONFIG_PATH = Path(__file__).with_name("fonts.conf")
_CANDIDATES = ("soffice", "libreoffice")


def soffice_path() -> str | None:
    """The LibreOffice executable: ``$LETTERKIT_SOFFICE`` or ``soffice`` on ``PATH``."""
    configured = os.environ.get("LETTERKIT_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_available() -> bool:
    """Tell whether PDF output is possible here (LibreOffice is installed)."""
    return soffice_path() is not None


def require_soffice() -> str:
    """The LibreOffice executable, or :class:`PdfUnavailable` saying what to install."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(
            N_(
                "PDF output needs LibreOffice, which is not installed on this server. "
                "Download the DOCX instead, or ask the operator to install LibreOffice "
                "(Debian: libreoffice-writer-nogui)."
            )
        )
    return soffice


def docx_to_pdf(docx_bytes: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert a DOCX to PDF with LibreOffice and return the PDF bytes."""
    soffice = require_soffice()
    with tempfile.TemporaryDirectory(prefix="letterkit-pdf-") as tmp:
        work = Path(tmp)
        source = work / "letter.docx"
        source.write_bytes(docx_bytes)
        profile = work / "profile"
        out_dir = work / "out"
        out_dir.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"}
        env.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_PATH))
        with subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # the whole process group can be ended on timeout
        ) as proc:
            try:
                _out, err = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                raise PdfUnavailable(
                    N_("LibreOffice did not finish the PDF within {seconds} seconds."),
                    seconds=int(timeout),
                ) from None
        result = out_dir / "letter.pdf"
        if proc.returncode != 0 or not result.is_file():
            raise PdfUnavailable(
                N_("LibreOffice could not convert the letter to PDF: {detail}"),
                detail=err.decode("utf-8", "replace").strip()[-300:] or f"exit {proc.returncode}",
            )
        return result.read_bytes()
