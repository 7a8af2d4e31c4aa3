"""/readyz and clear failures: a broken database or Redis is named with its reason in one line.

Tests run as root, where ``chmod`` does not stop SQLite from writing, so a read-only database
is opened read-only through SQLite's URI (``?mode=ro``), as a read-only file or mount would be.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from letterkit import create_app
from letterkit.config import engine_options
from letterkit.core import health
from tests.conftest import POSTGRES_URL, dispose, make_config, postgres_problem, skip_or_fail

SECRET = "s3cretpassw0rd"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build(url: str, **config: Any) -> Flask:
    return create_app(make_config(engine_options(url), **config))


@pytest.fixture
def migrated_sqlite(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "ready.sqlite3"
    app = build(f"sqlite:///{path}")
    assert app.test_cli_runner().invoke(args=["letterkit", "migrate"]).exit_code == 0
    dispose(app)
    yield path


@pytest.fixture(autouse=True)
def fresh_reports() -> None:
    health._reported.clear()


def one_line_records(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    """The messages that mention ``text``; each must be one line, without a traceback."""
    found = [r for r in caplog.records if text in r.getMessage()]
    for record in found:
        assert "\n" not in record.getMessage() and record.exc_info is None
        assert "Traceback" not in record.getMessage()
    return [r.getMessage() for r in found]


def test_ready_when_everything_works(migrated_sqlite: Path) -> None:
    app = build(f"sqlite:///{migrated_sqlite}")
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {
        "status": "ready",
        "database": "ok",
        "migrations": "ok",
        "pdf": "ok" if response.get_json()["pdf"] == "ok" else "failing",
        "ratelimit": "ok",
    }
    assert "Set-Cookie" not in response.headers
    dispose(app)


def test_not_ready_when_not_migrated_and_healthz_stays_trivial(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = build(f"sqlite:///{tmp_path / 'empty.sqlite3'}")  # no setup redirect for /readyz
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["migrations"] == "failing"
    assert response.get_json()["database"] == "ok"
    assert "no revision" not in response.get_data(as_text=True)  # the reason is not public
    needs = ", ".join(sorted(health._heads()))
    assert one_line_records(caplog, "migrations")[0].endswith(f"this release needs {needs}")
    assert client.get("/healthz").get_data(as_text=True) == "ok"
    dispose(app)


def test_read_only_sqlite(migrated_sqlite: Path, caplog: pytest.LogCaptureFixture) -> None:
    url = f"sqlite:///file:{migrated_sqlite}?mode=ro&uri=true"
    with caplog.at_level(logging.ERROR):
        app = build(url)  # starts all the same
    (line,) = one_line_records(caplog, "cannot be used")
    assert str(migrated_sqlite) in line and "readonly database" in line
    caplog.clear()
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert response.get_json()["database"] == "failing" and "readonly" not in body
    (line,) = one_line_records(caplog, "not ready: database")
    assert "attempt to write a readonly database" in line
    dispose(app)


def test_read_only_by_query_only(migrated_sqlite: Path) -> None:
    app = build(f"sqlite:///{migrated_sqlite}")
    with app.app_context():
        from sqlalchemy import event

        from letterkit.extensions import db

        event.listen(db.engine, "connect", lambda conn, _r: conn.execute("PRAGMA query_only = 1"))
        db.engine.dispose()
    assert app.test_client().get("/readyz").status_code == 503
    dispose(app)


def missing_postgres_url() -> str:
    problem = postgres_problem()
    if problem:
        skip_or_fail("postgres", problem)
    base = POSTGRES_URL.rsplit("/", 1)[0]
    scheme, rest = base.split("://", 1)
    user_host = rest.split("@", 1)
    user = user_host[0].split(":", 1)[0]
    return f"{scheme}://{user}:{SECRET}@{user_host[1]}/letterkit_no_such_database"


def test_missing_postgresql_database(caplog: pytest.LogCaptureFixture) -> None:
    url = missing_postgres_url()
    with caplog.at_level(logging.ERROR):
        app = build(url, HANDLE_UNEXPECTED_ERRORS=True)
    (line,) = one_line_records(caplog, "cannot be used")
    assert "letterkit_no_such_database" in line and "does not exist" in line
    assert SECRET not in caplog.text
    caplog.clear()
    client = app.test_client()
    assert client.get("/readyz").status_code == 503
    caplog.clear()
    for _ in range(2):
        page = client.get("/login")
        assert page.status_code == 500
        assert "Something went wrong" in page.get_data(as_text=True)
    (line,) = one_line_records(caplog, "failed:")  # once, on the first failing request
    assert line.startswith("database postgresql+psycopg://") and "***@" in line
    assert "does not exist" in line
    assert SECRET not in caplog.text and "Traceback" not in caplog.text
    dispose(app)


def test_redis_down(migrated_sqlite: Path, caplog: pytest.LogCaptureFixture) -> None:
    pytest.importorskip("redis")
    uri = f"redis://:{SECRET}@127.0.0.1:{closed_port()}"
    with caplog.at_level(logging.ERROR):
        app = build(
            f"sqlite:///{migrated_sqlite}", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=uri
        )
    (line,) = one_line_records(caplog, "rate-limit storage")
    assert "ConnectionError" in line and "***@127.0.0.1" in line
    caplog.clear()
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["ratelimit"] == "failing"
    assert response.get_json()["database"] == "ok"
    (line,) = one_line_records(caplog, "not ready: ratelimit")
    assert SECRET not in caplog.text
    dispose(app)


def test_pdf_required_but_missing(
    migrated_sqlite: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LETTERKIT_SOFFICE", str(tmp_path / "no-soffice"))
    app = build(f"sqlite:///{migrated_sqlite}", PDF_SERVICE=False)
    assert app.test_client().get("/readyz").get_json()["pdf"] == "ok"  # not required: ready
    app.config["READY_REQUIRES_PDF"] = True
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["pdf"] == "failing"
    dispose(app)
