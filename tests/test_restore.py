"""`flask letterkit restore`: a backup comes back whole; every refusal changes nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask

from letterkit import create_app
from letterkit import database as lk_database
from letterkit.config import engine_options
from letterkit.extensions import db
from tests.conftest import Factory, dispose, make_config
from tests.tracking.conftest import final_letter


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[Flask]:
    """An app on a SQLite file brought to head by the migrations (restore reads its revision)."""
    application = create_app(make_config(engine_options(f"sqlite:///{tmp_path / 'live.sqlite3'}")))
    result = application.test_cli_runner().invoke(args=["letterkit", "migrate"])
    assert result.exit_code == 0, result.output
    yield application
    dispose(application)


def db_path(app: Flask) -> Path:
    with app.app_context():
        return Path(db.engine.url.database or "")


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered, read straight from the file."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        connection.close()


def stored_letters(path: Path) -> list[tuple[int, str, str]]:
    """Each stored letter document: id, the SHA-256 recorded and the SHA-256 of its bytes."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT letter_id, sha256, data FROM letter_document ORDER BY letter_id"
        )
        return [(i, sha, hashlib.sha256(data).hexdigest()) for i, sha, data in rows]
    finally:
        connection.close()


def restore(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["letterkit", "restore", *args])


def test_backup_then_restore_gives_every_row_and_letter_back(
    migrated: Flask, tmp_path: Path
) -> None:
    factory = Factory(migrated)
    person = factory.user(factory.group("Restored group"), "coordinator")
    with migrated.app_context():
        from letterkit.models import Group

        group = db.session.get(Group, person["group_id"])
        group.address, group.signer_name = "ul. Primernaya 1\n101000 Moscow", "Anna Petrova"
        db.session.commit()
    final_letter(migrated, person)
    live = db_path(migrated)
    before = snapshot(live)
    letters = stored_letters(live)
    assert letters and all(sha == actual for _, sha, actual in letters)
    assert before["letter_document"] and before["user"]
    backup = tmp_path / "backup.sqlite3"
    result = migrated.test_cli_runner().invoke(args=["letterkit", "backup", str(backup)])
    assert result.exit_code == 0, result.output

    factory.user(factory.group("Added after the backup"), "coordinator")
    final_letter(migrated, person)
    assert snapshot(live) != before

    result = restore(migrated, str(backup))
    assert result.exit_code == 0, result.output
    assert snapshot(live) == before
    assert stored_letters(live) == letters
    kept = list(tmp_path.glob("live.sqlite3.before-restore-*"))
    assert len(kept) == 1 and f"Kept the replaced database as {kept[0]}" in result.output
    assert "Added after the backup" in {row[1] for row in snapshot(kept[0])["group"]}
    with migrated.app_context():  # the app works on the restored file
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Group)) == 1


def test_an_older_backup_is_migrated_after_restoring(migrated: Flask, tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    engine = sa.create_engine(f"sqlite:///{old}")
    lk_database.upgrade(engine, "0005")
    engine.dispose()
    result = restore(migrated, str(old))
    assert result.exit_code == 0, result.output
    assert "0005" in result.output and "will be migrated" in result.output
    with migrated.app_context():
        head = ScriptDirectory.from_config(lk_database.alembic_config()).get_current_head()
        assert lk_database.current_revision(db.engine) == head


def refused(app: Flask, tmp_path: Path, *args: str) -> str:
    """Run a restore that must be refused; check the database file did not change."""
    live = db_path(app)
    before = live.read_bytes()
    result = restore(app, *args)
    assert result.exit_code != 0, result.output
    assert live.read_bytes() == before
    assert not list(tmp_path.glob("*.before-restore-*"))
    return str(result.output)


def test_refuses_a_file_that_is_not_sqlite(migrated: Flask, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    assert "is not a SQLite database" in refused(migrated, tmp_path, str(text))
    assert "is not a file" in refused(migrated, tmp_path, str(tmp_path / "missing"))


def test_refuses_a_damaged_database(migrated: Flask, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    connection = sqlite3.connect(damaged)
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    connection.commit()
    connection.close()
    data = bytearray(damaged.read_bytes())
    data[4096 + 8 : 4096 + 400] = b"\xff" * 392  # scribble over the second page
    damaged.write_bytes(bytes(data))
    output = refused(migrated, tmp_path, str(damaged))
    assert "integrity check" in output or "cannot be read" in output


def test_refuses_a_database_without_a_schema_revision(migrated: Flask, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert "cannot be read as a letterkit database" in refused(migrated, tmp_path, str(other))


def test_refuses_an_unknown_revision(migrated: Flask, tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    with migrated.app_context():
        lk_database.backup_sqlite(db.engine, newer)
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()
    output = refused(migrated, tmp_path, str(newer))
    assert "0099" in output and "does not know" in output


def test_refuses_a_database_in_use_without_force(migrated: Flask, tmp_path: Path) -> None:
    backup = tmp_path / "backup.sqlite3"
    with migrated.app_context():
        lk_database.backup_sqlite(db.engine, backup)
    other = sqlite3.connect(db_path(migrated))  # another process with the database open, idle
    other.execute("SELECT count(*) FROM user").fetchone()
    try:
        output = refused(migrated, tmp_path, str(backup))
        assert "is in use" in output and "--force" in output
        result = restore(migrated, str(backup), "--force")
        assert result.exit_code == 0, result.output
    finally:
        other.close()
    assert len(list(tmp_path.glob("live.sqlite3.before-restore-*"))) == 1


def test_refuses_postgresql_and_names_pg_restore(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip("the PostgreSQL refusal")
    backup = tmp_path / "b.sqlite3"
    sqlite3.connect(backup).close()
    result = restore(app, str(backup))
    assert result.exit_code != 0 and "pg_restore" in result.output
