"""Database plumbing: SQLite settings, Alembic migrations, backups.

Migrations are applied by ``flask letterkit migrate`` (and ``make run``), never by ``create_app``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .resources import resource_dir


def configure_sqlite(engine: sa.Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout on every new SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def alembic_config() -> Config:
    """Return an Alembic configuration pointing at the project's migrations."""
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    return config


def upgrade(engine: sa.Engine, revision: str = "heads") -> None:
    """Migrate the database behind ``engine`` to ``revision``."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    """Migrate the database behind ``engine`` down to ``revision``."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: sa.Engine) -> str | None:
    """Return the revision(s) the database is at, or None for an empty database."""
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ", ".join(sorted(heads)) or None


def backup_sqlite(engine: sa.Engine, destination: Path) -> None:
    """Copy a live SQLite database consistently to ``destination`` with SQLite's backup API."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        raise ValueError("backup copies a SQLite database file; for PostgreSQL use pg_dump")
    if destination.exists():
        raise FileExistsError(f"{destination} exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(engine.url.database, timeout=30)
    try:
        target = sqlite3.connect(destination)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


SQLITE_HEADER = b"SQLite format 3\x00"


class RestoreError(Exception):
    """A restore refused before anything was changed; the message says why."""


@dataclass(frozen=True)
class RestorePlan:
    """What a checked backup holds: its schema revision(s) and whether it needs migrating."""

    revisions: frozenset[str]
    needs_migration: bool


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)


def check_backup(path: Path) -> RestorePlan:
    """Check that ``path`` is a sound SQLite letterkit database at a known schema revision."""
    if not path.is_file():
        raise RestoreError(f"{path} is not a file")
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise RestoreError(f"{path} is not a SQLite database")
    try:
        connection = _open_read_only(path)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise RestoreError(f"{path} fails SQLite's integrity check: {problems[0]}")
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise RestoreError(f"{path} cannot be read as a letterkit database: {exc}") from None
    revisions = frozenset(row[0] for row in rows)
    if not revisions:
        raise RestoreError(f"{path} has no schema revision (alembic_version is empty)")
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = sorted(revisions - known)
    if unknown:
        raise RestoreError(
            f"{path} is at schema revision {', '.join(unknown)}, which this letterkit does not "
            "know (a newer release?); install the release that wrote it"
        )
    return RestorePlan(revisions, needs_migration=revisions != set(script.get_heads()))


def sqlite_in_use(database: Path, timeout: float = 0.5) -> bool:
    """Whether another connection has ``database`` open, as far as SQLite can tell.

    In WAL mode (letterkit's), leaving WAL needs every other connection closed, so an idle
    open connection is detected too; the journal mode is set back at once. In other modes only
    a connection that is reading or writing at this moment is detected (``BEGIN EXCLUSIVE``).
    A process that will open the database later, such as an app that has not served a request
    yet, cannot be detected: stop the app before restoring."""
    connection = sqlite3.connect(database, timeout=timeout, isolation_level=None)
    try:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        if mode == "wal":
            if connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "wal":
                return True
            connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("ROLLBACK")
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()
    return False


def restore_sqlite(
    engine: sa.Engine, source: Path, *, force: bool = False
) -> tuple[Path | None, bool]:
    """Replace the SQLite database behind ``engine`` with the backup ``source``.

    Checks the backup first; refuses a database in use unless ``force``; keeps a copy of what it
    replaces beside it (SQLite's backup API both ways). Returns the copy's path (None when there
    was no database) and whether the
    restored schema is older than this release's (the caller migrates it). Raises RestoreError,
    having changed nothing, on every refusal."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        raise RestoreError(
            "restore replaces a SQLite database file; for PostgreSQL use pg_restore (README)"
        )
    target = Path(engine.url.database)
    plan = check_backup(source)
    if target.exists() and source.resolve() == target.resolve():
        raise RestoreError(f"{source} is the database itself")
    engine.dispose()  # this process's own pooled connections are not "another user"
    if target.exists() and not force and sqlite_in_use(target):
        raise RestoreError(
            f"{target} is in use (the app or another command has it open); stop the app, "
            "or give --force to replace it anyway"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    kept = target.with_name(f"{target.name}.before-restore-{stamp}") if target.exists() else None
    backup = _open_read_only(source)
    try:
        destination = sqlite3.connect(target, timeout=30)
        try:
            if kept is not None:
                copy = sqlite3.connect(kept)
                try:
                    destination.backup(copy)
                finally:
                    copy.close()
            backup.backup(destination)
        finally:
            destination.close()
    finally:
        backup.close()
    return kept, plan.needs_migration
