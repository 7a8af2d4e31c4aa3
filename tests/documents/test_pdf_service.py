"""The PDF converter's cap, its queue, the warm service and what a killed server leaves behind."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from letterkit.documents import PdfUnavailable, build_letter, pdfservice, render_docx
from letterkit.documents import pdf as pdf_module
from letterkit.documents.pdf import PdfSettings, conversion_slot

from .conftest import pdf_required, simple_context

ROOT = Path(__file__).resolve().parents[2]


def test_the_cap_holds_and_the_queue_times_out(tmp_path: Path) -> None:
    config = PdfSettings(concurrency=2, queue_timeout=0.3, state_dir=tmp_path)
    held = threading.Event()
    release = threading.Event()
    slots: list[int] = []

    def hold() -> None:
        with conversion_slot(config) as slot:
            slots.append(slot)
            if len(slots) == 2:
                held.set()
            release.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    assert held.wait(10)
    assert sorted(slots) == [0, 1]
    with pytest.raises(PdfUnavailable, match="Too many PDFs"):
        with conversion_slot(config):
            pass
    release.set()
    for thread in threads:
        thread.join()
    with conversion_slot(config) as slot:  # free again
        assert slot == 0


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_work_of_dead_processes_is_removed(tmp_path: Path) -> None:
    dead = tmp_path / f"letterkit-pdf-{_dead_pid()}-abc"
    (dead / "out").mkdir(parents=True)
    (dead / "letter.docx").write_bytes(b"signers' names")
    mine = tmp_path / f"letterkit-pdf-{os.getpid()}-def"
    mine.mkdir()
    other = tmp_path / "unrelated"
    other.mkdir()
    assert pdf_module.remove_stale_work(tmp_path) == 1
    assert not dead.exists() and mine.exists() and other.exists()


# A server killed during a conversion: tests/deploy/test_killed_server.py (gunicorn, SIGKILL).


def unoserver_command() -> str:
    for candidate in (os.environ.get("LETTERKIT_UNOSERVER"), str(ROOT / ".venv-uno/bin/unoserver")):
        if candidate and shutil.which(candidate):
            return candidate
    reason = "unoserver is not installed (make pdf-service-install): warm PDFs are not tested"
    if pdf_required():
        pytest.fail(f"LETTERKIT_REQUIRE_PDF=1 but {reason}")
    pytest.skip(reason)


def _wait_up(config: PdfSettings, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not pdf_module.warm_service_up(config):
        assert time.monotonic() < deadline, "the warm LibreOffice did not start"
        time.sleep(0.2)


class OneShotUsed(Exception):
    """The conversion fell back to a one-shot soffice (the test forbids it)."""


def _converts_again(config: PdfSettings, docx: bytes, timeout: float) -> bytes:
    """The PDF from the warm service once it answers again after its LibreOffice died."""
    deadline = time.monotonic() + timeout
    while True:
        _wait_up(config, timeout=max(deadline - time.monotonic(), 1))
        try:
            return pdf_module.docx_to_pdf(docx)
        except (PdfUnavailable, OneShotUsed):  # not back yet: the app would use a one-shot
            assert time.monotonic() < deadline, "the warm LibreOffice did not come back"
            time.sleep(0.5)


@pytest.mark.slow
def test_warm_conversion_and_restart_after_libreoffice_died(
    soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = unoserver_command()
    config = PdfSettings(
        concurrency=1, port=random.randrange(21000, 29000, 2), state_dir=tmp_path / "state"
    )
    stop = threading.Event()
    supervisor = threading.Thread(
        target=pdfservice.serve, args=(config, [command]), kwargs={"stop": stop, "poll": 0.2}
    )
    supervisor.start()
    monkeypatch.setattr(pdf_module, "_settings", config)

    def no_one_shot(*_args: object, **_kwargs: object) -> bytes:
        raise OneShotUsed("the warm LibreOffice was not used")

    monkeypatch.setattr(pdf_module, "convert_one_shot", no_one_shot)
    docx = render_docx(build_letter("appeal", "ru", simple_context()))
    try:
        _wait_up(config)
        assert pdf_module.docx_to_pdf(docx).startswith(b"%PDF-")
        # LibreOffice dies: the service brings it back.
        profile = pdfservice.slot_folder(config, 0) / "profile"
        found = subprocess.run(
            ["pgrep", "-f", f"soffice.*{profile}"], capture_output=True, text=True
        ).stdout.split()
        assert found, "no LibreOffice found for the slot"
        for pid in found:
            os.kill(int(pid), signal.SIGKILL)
        # The service notices and starts another LibreOffice; how long that takes depends on the
        # machine's load, so wait for it (a fixed pause failed on a busy machine).
        assert _converts_again(config, docx, timeout=90).startswith(b"%PDF-")
        leftovers = (pdfservice.slot_folder(config, 0) / "tmp").rglob("*")
        assert not [path for path in leftovers if path.is_file()]  # the letter went in memory
    finally:
        stop.set()
        supervisor.join(60)
    assert not pdfservice.slot_folder(config, 0).exists()
