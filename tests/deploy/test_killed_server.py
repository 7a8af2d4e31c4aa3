"""A gunicorn server killed (SIGKILL to the master and its workers) while LibreOffice converts a
letter leaves nothing behind once letterkit starts again: no work folder (the letter as DOCX
and PDF) and no LibreOffice of it (issue #15, "No letter is ever left on disk")."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from letterkit import create_app
from letterkit import database as lk_database
from letterkit.config import engine_options
from letterkit.documents.pdf import WORK_PREFIX
from tests.compose.conftest import make_draft
from tests.conftest import PASSWORD, Factory, dispose, make_config
from tests.documents.conftest import need_soffice
from tests.petitions.helpers import prepare_group
from tests.petitions.loadgen import CSRF_FIELD, Browser, Server, gunicorn

SECRET = "killed-server-test-secret-0123456789abcdef"


def workers_of(server: Server) -> list[int]:
    """The pids of the gunicorn master's workers."""
    pids: list[int] = []
    for task in Path(f"/proc/{server.process.pid}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return pids


def libreoffice_of(folder: Path) -> str:
    """The processes whose command line names ``folder`` (its LibreOffice), as pgrep lists them."""
    found = subprocess.run(["pgrep", "-a", "-f", str(folder)], capture_output=True, text=True)
    return found.stdout.strip()


def prepared_database(tmp_path: Path) -> tuple[str, dict[str, Any], int]:
    """A migrated SQLite file with a coordinator and a draft letter; its URL, the person, the
    letter's id."""
    url = f"sqlite:///{tmp_path / 'letterkit.sqlite3'}"
    engine = sa.create_engine(url)
    lk_database.upgrade(engine)
    engine.dispose()
    app = create_app(make_config(engine_options(url), SECRET_KEY=SECRET))
    factory = Factory(app)
    person = factory.user(factory.group(), "coordinator")
    prepare_group(app, person["group_id"])
    letter_id = make_draft(app, person)
    dispose(app)
    return url, person, letter_id


def log_in(server: Server, person: dict[str, Any]) -> Browser:
    browser = Browser(server.port)
    status, _headers, page = browser.request("GET", "/login")
    match = CSRF_FIELD.search(page.decode())
    assert status == 200 and match
    form = {"csrf_token": match.group(1), "email": person["email"], "password": PASSWORD}
    status, _headers, _body = browser.request("POST", "/login", form)
    assert status == 302
    return browser


@pytest.mark.slow
def test_a_gunicorn_killed_during_a_conversion_leaves_nothing(tmp_path: Path) -> None:
    need_soffice()
    url, person, letter_id = prepared_database(tmp_path)
    work = tmp_path / "tmp"  # the servers' temporary folder, where conversions work
    work.mkdir()
    env = {"TMPDIR": str(work), "LETTERKIT_PDF_SERVICE": "0"}  # one-shot LibreOffice
    with gunicorn(
        url, SECRET, tmp_path / "killed.log", workers=2, threads=2, extra_env=env
    ) as server:
        browser = log_in(server, person)

        def ask_for_the_pdf() -> None:
            try:
                browser.request("GET", f"/letters/{letter_id}/letter.pdf")
            except (OSError, Exception):  # noqa: BLE001 - the server is killed under it
                pass

        threading.Thread(target=ask_for_the_pdf, daemon=True).start()
        deadline = time.monotonic() + 60
        while not any(work.glob(f"{WORK_PREFIX}*/pgid")):
            assert time.monotonic() < deadline, server.log()
            time.sleep(0.02)  # poll until LibreOffice has started on the letter
        workers = workers_of(server)
        os.kill(server.process.pid, signal.SIGKILL)  # the master first: it restarts no worker
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        server.process.wait()
        (folder,) = work.glob(f"{WORK_PREFIX}[0-9]*")
        assert (folder / "letter.docx").is_file()  # the letter and a profile: left behind
        assert libreoffice_of(work), "LibreOffice should still be converting"
    # letterkit starts again (the same temporary folder): its start-up removes what was left.
    with gunicorn(url, SECRET, tmp_path / "again.log", workers=1, threads=1, extra_env=env):
        # No work folder; what stays is the cap's slot locks (letterkit-pdf-slots-UID), no letter.
        assert [f.name for f in work.iterdir()] == [f"{WORK_PREFIX}slots-{os.getuid()}"]
        assert [f for f in work.rglob("*") if f.suffix in {".docx", ".pdf"}] == []
        assert libreoffice_of(work) == "", "a LibreOffice of the killed server still runs"
