"""The warm LibreOffice service: one unoserver per PDF slot, restarted when it dies.

``flask letterkit pdf-service`` (and ``make run``, and the systemd unit in the README) runs
:func:`serve`. unoserver must run under a Python that has LibreOffice's ``uno`` module (Debian:
``python3-uno``), so it is its own executable, given as ``command``. Each slot's LibreOffice keeps
its profile and unoserver's short-lived temporary files in ``<state_dir>/service/slot-N``, which
is emptied whenever that slot (re)starts: a killed conversion leaves nothing behind for long.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from letterkit.documents.pdf import FONTCONFIG_PATH, PdfSettings, warm_service_up

log = logging.getLogger(__name__)


def slot_folder(config: PdfSettings, slot: int) -> Path:
    """Where slot ``slot``'s LibreOffice keeps its profile and temporary files."""
    return config.state_dir / "service" / f"slot-{slot}"


def start_slot(
    config: PdfSettings, slot: int, command: Sequence[str], timeout: float
) -> subprocess.Popen[bytes]:
    """Start slot ``slot``'s unoserver in a fresh private folder (its own process group)."""
    folder = slot_folder(config, slot)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "tmp").mkdir(mode=0o700, parents=True)
    port = config.server_port(slot)
    args = [
        *command,
        "--interface", config.host,
        "--uno-interface", "127.0.0.1",
        "--port", str(port),
        "--uno-port", str(port + 1),
        "--user-installation", str(folder / "profile"),
        "--temp-dir", str(folder / "tmp"),
        "--conversion-timeout", str(int(timeout)),
    ]  # fmt: skip
    env = {**os.environ, "HOME": str(folder), "SAL_USE_VCLPLUGIN": "svp"}
    env.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_PATH))  # the same fonts as one-shot
    log.info("starting the warm LibreOffice of PDF slot %d on port %d", slot, port)
    return subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env, start_new_session=True
    )


def stop_slot(process: subprocess.Popen[bytes]) -> None:
    """End a slot's unoserver and its LibreOffice (the whole process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    try:
        os.killpg(process.pid, signal.SIGKILL)  # a LibreOffice that outlived its unoserver
    except ProcessLookupError:
        pass


def serve(
    config: PdfSettings,
    command: Sequence[str],
    *,
    stop: threading.Event,
    timeout: float = 120.0,
    poll: float = 1.0,
) -> None:
    """Keep one warm LibreOffice per slot running until ``stop`` is set; restart any that died."""
    processes: dict[int, subprocess.Popen[bytes]] = {}
    try:
        while not stop.is_set():
            for slot in range(config.concurrency):
                process = processes.get(slot)
                if process is not None and process.poll() is None:
                    continue
                if process is None and warm_service_up(config, slot):
                    continue  # another supervisor serves this port
                if process is not None:
                    log.warning(
                        "the warm LibreOffice of PDF slot %d stopped (exit %s); restarting it",
                        slot,
                        process.returncode,
                    )
                    stop_slot(process)
                processes[slot] = start_slot(config, slot, command, timeout)
            stop.wait(poll)
    finally:
        for slot, process in processes.items():
            stop_slot(process)
            shutil.rmtree(slot_folder(config, slot), ignore_errors=True)
