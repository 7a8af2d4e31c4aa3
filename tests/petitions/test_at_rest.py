"""Signers' names and e-mail addresses are not in the database at rest: the SQLite file (raw
bytes, with its write-ahead log, and ``iterdump``) and every column of every PostgreSQL table
hold only sealed boxes of them, apart from what a signer chose to show publicly."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from tests.conftest import Client

from .helpers import form_data, opened, unlock

# What must not be readable at rest, and how each signer signed.
SIGNERS = [
    form_data(name="Zyxwar Qelmond", city="Hiddenburg", display="count", email="zq@secret.example"),
    form_data(
        name="Oxbrin Talvask", city="Shownville", display="initials", email="ot@secret.example"
    ),
    form_data(
        kind="organisation",
        name="Covert Collective",
        city="Hiddenport",
        display="count",
        contact_person="Contactia Privatova",
    ),
    form_data(name="Vashti Nomelle", display="count", email=""),
]
SECRETS = [
    "Zyxwar Qelmond",
    "Zyxwar",
    "Qelmond",
    "zq@secret.example",
    "Hiddenburg",
    "Oxbrin Talvask",
    "Talvask",
    "ot@secret.example",
    "secret.example",
    "Covert Collective",
    "Hiddenport",
    "Contactia Privatova",
    "Privatova",
    "Vashti Nomelle",
]


def _forms(text: str) -> list[bytes]:
    """The ways a text could be stored: UTF-8, UTF-16 and as hex (bytea, blobs in dumps)."""
    raw = text.encode()
    return [raw, text.encode("utf-16-le"), raw.hex().encode(), raw.hex().upper().encode()]


def _assert_absent(blob: bytes, where: str) -> None:
    lowered = blob.lower()
    for secret in SECRETS:
        for form in _forms(secret):
            assert form.lower() not in lowered, f"{secret!r} found in {where}"


def _sqlite_bytes(app: Flask) -> bytes:
    with app.app_context():
        path = Path(db.engine.url.database or "")
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    raw = b"".join(f.read_bytes() for f in files if f.exists())
    with sqlite3.connect(path) as connection:
        dump = "\n".join(connection.iterdump())
    connection.close()
    return raw + b"\n" + dump.encode()


def _postgres_rows(app: Flask) -> bytes:
    with app.app_context():
        tables = sa.inspect(db.engine).get_table_names()
        assert "signature" in tables and "signer_key" in tables
        lines = []
        with db.engine.connect() as connection:
            for table in tables:
                rows = connection.execute(
                    sa.text(f'select row_to_json(t)::text from "{table}" t')
                ).scalars()
                lines.extend(f"{table}: {row}" for row in rows)
    return "\n".join(lines).encode()


def test_no_signer_name_or_email_at_rest(
    app: Flask,
    database: dict[str, Any],
    logged_in: Client,
    signer: Client,
    petition: dict[str, Any],
) -> None:
    code = petition["code"]
    for data in SIGNERS:
        assert signer.post(f"/s/{code}", data=data).status_code == 303
    # a duplicate, a moderation page and an unlock with a reveal leave nothing either
    assert signer.post(f"/s/{code}", data=SIGNERS[0]).status_code == 303
    unlock(logged_in)
    logged_in.post(f"/petitions/{petition['id']}/signatures/reveal")
    page = logged_in.get(f"/petitions/{petition['id']}/signatures").get_data(as_text=True)
    assert "Zyxwar Qelmond" in page and "zq@secret.example" in page  # readable once unlocked
    # the chosen public form is in clear, as it must be for the annex
    names = [(s["row"]["initials"], s["row"]["city"]) for s in opened(app, petition["group_id"])]
    assert ("O. T.", "Shownville") in names

    if "sqlite" in str(database["url"]):
        stored = _sqlite_bytes(app)
        assert b"O. T." in stored  # the dump does hold the signatures' rows
    else:
        stored = _postgres_rows(app)
        assert b"O. T." in stored
    _assert_absent(stored, "the database")
