"""Under load on loopback: 2,000 signatures from 50 concurrent clients to letterkit served by
gunicorn are all stored exactly once, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Display, Signature

from .helpers import opened
from .loadgen import gunicorn, sign_concurrently

pytestmark = pytest.mark.load

CLIENTS = 50
PER_CLIENT = 40
PREFIX = "Load Signer"


def database_url(options: dict[str, Any]) -> str:
    """The URL a separate process uses to reach the test database (and its schema)."""
    url = str(options["url"])
    search_path = options.get("connect_args", {}).get("options")
    return f"{url}?options={quote(search_path)}" if search_path else url


def test_2000_signatures_from_50_clients_are_stored_exactly_once(
    app: Flask, database: dict[str, Any], petition: dict[str, Any], tmp_path: Path
) -> None:
    with gunicorn(
        database_url(database),
        app.config["SECRET_KEY"],
        tmp_path / "gunicorn.log",
        start_timeout=120.0,  # four workers booting at once on a busy machine
    ) as server:
        run = sign_concurrently(server, petition["code"], CLIENTS, PER_CLIENT, PREFIX)
        log = server.log()
    assert run.errors == []
    assert run.requests == CLIENTS * PER_CLIENT
    # 303 to the thank-you page; a POST retried after a dropped connection may meet its own
    # first attempt: a duplicate, answered alike and never stored twice.
    assert set(run.statuses) == {303}
    per_name = Counter(signature["name"] for signature in opened(app, petition["group_id"]))
    with app.app_context():
        by_display = dict(
            db.session.execute(
                sa.select(Signature.display, sa.func.count()).group_by(Signature.display)
            ).all()
        )
    expected = {f"{PREFIX}-{i:03d}-{n:04d}" for i in range(CLIENTS) for n in range(PER_CLIENT)}
    assert set(per_name) == expected
    assert set(per_name.values()) == {1}
    assert by_display == {Display.FULL: 700, Display.INITIALS: 650, Display.COUNT: 650}
    # nothing of the signers in the server's output, and no error
    assert PREFIX not in log
    assert "Traceback" not in log and "[ERROR]" not in log
    print(f"\n{run.requests} signatures in {run.seconds:.1f} s ({run.per_second:.0f}/s)")
