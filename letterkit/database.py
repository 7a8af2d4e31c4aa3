"""Database plumbing: SQLite settings, Alembic migrations, backups.

Migrations are applied by ``flask letterkit migrate`` (and ``make run``), never by ``create_app``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

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
