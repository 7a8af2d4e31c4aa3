"""PDF through LibreOffice: a warm one (unoserver) when it runs, else a one-shot ``soffice``.

Conversions are capped: at most ``concurrency`` run at once on this machine, across every
process that shares the settings' ``state_dir``. Each conversion holds one *slot* (an exclusive
``flock`` on ``slot-N.lock``, released by the kernel when its process dies); a request that finds
every slot busy waits in line up to ``queue_timeout`` seconds, then gets :class:`PdfUnavailable`.

Slot N talks to the warm LibreOffice at ``port + 2 * N`` (``flask letterkit pdf-service`` keeps
one per slot running and restarts one that died). The letter goes to it and the PDF comes back
over its local XML-RPC socket. When that service is not there, the same slot runs a one-shot
``soffice`` with a private profile in a private folder (``letterkit-pdf-<pid>-…``) that is removed
afterwards; :func:`remove_stale_work` removes the folders of processes that were killed, and runs
when the app starts. So 16 simultaneous requests never run more than ``concurrency`` LibreOffice
processes, and no letter outlives its conversion on disk.

This module is pure: the web layer passes its settings with :func:`configure`.

Fonts: letters name Times New Roman and Sylfaen (the fonts officials' Windows computers have).
LibreOffice runs with :data:`FONTCONFIG_PATH` (``fonts.conf``, unless ``$FONTCONFIG_FILE`` is
set), which reads the system's fontconfig and maps them to Liberation Serif (metric-compatible
with Times New Roman, so the PDF breaks pages where Word does) and Noto Serif Georgian / Noto
Serif Armenian (not metric-compatible: a Georgian or Armenian PDF may break differently).
Debian: fonts-liberation2, fonts-noto-core.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from letterkit.documents.errors import PdfUnavailable
from letterkit.markers import N_

DEFAULT_TIMEOUT = 120.0
FONTCONFIG_PATH = Path(__file__).with_name("fonts.conf")
WORK_PREFIX = "letterkit-pdf-"
_CANDIDATES = ("soffice", "libreoffice")
log = logging.getLogger(__name__)


def default_concurrency() -> int:
    """The number of cores: LibreOffice converts with one core per conversion."""
    return max(1, os.cpu_count() or 1)


def _default_state_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"letterkit-pdf-slots-{os.getuid()}"


@dataclass(frozen=True)
class PdfSettings:
    """How PDFs are made: the warm service's address, the cap, the queue and where to work."""

    warm: bool = True
    host: str = "127.0.0.1"
    port: int = 2003
    concurrency: int = field(default_factory=default_concurrency)
    queue_timeout: float = 60.0
    state_dir: Path = field(default_factory=_default_state_dir)
    work_dir: Path | None = None  # parent of one-shot work folders; None: the system's temp

    def server_port(self, slot: int) -> int:
        """The XML-RPC port of slot ``slot``'s warm LibreOffice (its UNO port is the next one)."""
        return self.port + 2 * slot


_settings = PdfSettings()


def configure(settings: PdfSettings) -> None:
    """Use ``settings`` for the conversions of this process (called by the app factory)."""
    global _settings
    _settings = settings


def settings() -> PdfSettings:
    """The settings in force."""
    return _settings


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


def warm_service_up(config: PdfSettings | None = None, slot: int = 0) -> bool:
    """Tell whether slot ``slot``'s warm LibreOffice answers on its port."""
    config = config or _settings
    if not config.warm:
        return False
    try:
        with socket.create_connection((config.host, config.server_port(slot)), timeout=0.5):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def conversion_slot(config: PdfSettings) -> Iterator[int]:
    """Hold one of ``config.concurrency`` slots, waiting in line up to ``queue_timeout``."""
    config.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    deadline = time.monotonic() + config.queue_timeout
    while True:
        for slot in range(config.concurrency):
            fd = os.open(config.state_dir / f"slot-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield slot
            finally:
                os.close(fd)  # closing the descriptor releases the lock
            return
        if time.monotonic() > deadline:
            raise PdfUnavailable(
                N_("Too many PDFs are being made right now. Try again in a minute.")
            )
        time.sleep(0.05)


def docx_to_pdf(docx_bytes: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert a DOCX to PDF with LibreOffice and return the PDF bytes."""
    soffice = require_soffice()
    config = _settings
    with conversion_slot(config) as slot:
        if warm_service_up(config, slot):
            pdf = _convert_warm(docx_bytes, config, slot)
            if pdf is not None:
                return pdf
        return convert_one_shot(soffice, docx_bytes, timeout=timeout, work_dir=config.work_dir)


def _convert_warm(docx_bytes: bytes, config: PdfSettings, slot: int) -> bytes | None:
    """The PDF from slot ``slot``'s warm LibreOffice, or None when it cannot be reached."""
    try:
        from unoserver.client import UnoClient
    except ImportError:
        return None
    client = UnoClient(config.host, str(config.server_port(slot)))
    try:
        result = client.convert(indata=docx_bytes, convert_to="pdf")
    except ConnectionError:
        log.warning("warm LibreOffice of PDF slot %d went away; using a one-shot soffice", slot)
        return None
    except Exception as exc:  # an XML-RPC fault: the document could not be converted
        raise PdfUnavailable(
            N_("LibreOffice could not convert the letter to PDF: {detail}"),
            detail=type(exc).__name__,
        ) from None
    if not isinstance(result, bytes) or not result.startswith(b"%PDF-"):
        raise PdfUnavailable(
            N_("LibreOffice could not convert the letter to PDF: {detail}"), detail="no PDF"
        )
    return result


def convert_one_shot(
    soffice: str, docx_bytes: bytes, *, timeout: float = DEFAULT_TIMEOUT, work_dir: Path | None
) -> bytes:
    """Convert with a one-shot ``soffice`` in a private folder that is removed afterwards."""
    prefix = f"{WORK_PREFIX}{os.getpid()}-"
    with tempfile.TemporaryDirectory(prefix=prefix, dir=work_dir) as tmp:
        work = Path(tmp)
        source = work / "letter.docx"
        source.write_bytes(docx_bytes)
        out_dir = work / "out"
        out_dir.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
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
        # TMPDIR too: LibreOffice keeps temporary files (lu*.tmp) there, which must not
        # outlive the private folder.
        env = {**os.environ, "HOME": str(work), "TMPDIR": str(work), "SAL_USE_VCLPLUGIN": "svp"}
        env.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_PATH))
        with subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # the whole process group can be ended on timeout
        ) as proc:
            # Whoever finds this folder after a crash ends this LibreOffice before removing it.
            (work / "pgid").write_text(str(proc.pid))
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


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs; a zombie (killed, not yet reaped: an orphan whose new parent
    does not reap it) does not run, and can hold no conversion."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("State:"):
                return "Z" not in line.split()[1]
    return True


def _runs_in(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` was started for ``folder`` (its command line names the folder)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return str(folder).encode() in cmdline


def remove_stale_work(work_dir: Path | None = None) -> int:
    """Remove the work folders of killed processes (a letter must not outlive them); count them."""
    parent = work_dir or Path(tempfile.gettempdir())
    removed = 0
    for folder in parent.glob(f"{WORK_PREFIX}*-*"):
        pid_text = folder.name[len(WORK_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or not folder.is_dir() or folder.is_symlink():
            continue
        if int(pid_text) == os.getpid() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError, ValueError):  # its orphaned LibreOffice, if any
            pgid = int((folder / "pgid").read_text())
            if _runs_in(pgid, folder):  # never a process that merely reuses the number
                os.killpg(pgid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed
