"""Withdrawal codes never reach an access log: the thank-you page's link carries the code after
"#" (browsers do not send it), and the withdrawal form posts it in the body. Read the logs of
gunicorn (``--access-logfile``) and of the development server (werkzeug) after a withdrawal."""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from letterkit.models import Signature
from tests.conftest import count

from .helpers import form_data
from .loadgen import Browser, free_port, gunicorn
from .test_load import database_url

pytestmark = pytest.mark.load

WITHDRAW_CODE = re.compile(r'id="withdraw-code" class="wide" type="text" readonly value="([^"]+)"')
WITHDRAW_LINK = re.compile(r'id="withdraw-link" class="wide" type="text" readonly value="([^"]+)"')


def sign_and_withdraw(port: int, code: str) -> str:
    """Sign, follow the private link as a browser does, withdraw; return the code."""
    browser = Browser(port)
    try:
        csrf = browser.open_form(code)
        data = {**form_data(name="Logcheck Person"), "csrf_token": csrf}
        status, _headers, _body = browser.request("POST", f"/s/{code}", data)
        assert status == 303
        status, _headers, body = browser.request("GET", f"/s/{code}/thanks")
        page = body.decode()
        match, link = WITHDRAW_CODE.search(page), WITHDRAW_LINK.search(page)
        assert status == 200 and match and link
        token = match.group(1)
        assert link.group(1).endswith(f"/s/{code}/withdraw#{token}")
        # a browser sends the link's path without the fragment
        path = link.group(1).split("//", 1)[1].split("/", 1)[1].split("#", 1)[0]
        status, _headers, body = browser.request("GET", "/" + path)
        assert status == 200 and token not in body.decode()
        form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body.decode())
        assert form_token
        form = {"csrf_token": form_token.group(1), "token": token}
        status, headers, _body = browser.request("POST", f"/s/{code}/withdraw", form)
        assert status == 303 and headers["Location"].endswith(f"/s/{code}/withdrawn")
        return token
    finally:
        browser.close()


def test_gunicorn_access_log_has_no_withdrawal_code(
    app: Flask, database: dict[str, Any], petition: dict[str, Any], tmp_path: Path
) -> None:
    log_path = tmp_path / "gunicorn.log"
    with gunicorn(
        database_url(database),
        app.config["SECRET_KEY"],
        log_path,
        workers=1,
        threads=2,
        extra_args=("--access-logfile", "-"),
        start_timeout=120.0,
    ) as server:
        token = sign_and_withdraw(server.port, petition["code"])
    log = server.log()  # read once gunicorn has stopped and flushed its log
    assert f'"POST /s/{petition["code"]}/withdraw HTTP/1.1" 303' in log  # the log is on
    assert token not in log
    assert "Logcheck" not in log
    assert count(app, Signature) == 0


def test_development_server_log_has_no_withdrawal_code(
    app: Flask, petition: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="werkzeug")
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        token = sign_and_withdraw(port, petition["code"])
    finally:
        server.shutdown()
        thread.join(timeout=10)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"POST /s/{petition['code']}/withdraw HTTP/1.1" in logged  # the log is on
    assert token not in logged
    assert count(app, Signature) == 0
