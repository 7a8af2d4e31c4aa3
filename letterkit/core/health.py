"""Readiness (``/readyz``) and clear failures: what is broken is logged in one line, with why.

Each check answers None when its component is fine, or the reason it is not. The public answer
says only ``ok`` or ``failing`` per component; the reasons go to the log, one line each, never a
traceback, and never a password (database URLs are written with ``***`` in its place).

What the database check can see: that the database can be reached and that a write is
accepted. On SQLite the write is ``PRAGMA user_version`` set to its own value (a read-only file,
``?mode=ro`` or ``PRAGMA query_only`` refuse it). On PostgreSQL it is
``SHOW transaction_read_only`` (a standby or a read-only default); missing table privileges
are not probed.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.pool import NullPool

from letterkit import database
from letterkit.documents import pdf
from letterkit.extensions import db, limiter

log = logging.getLogger(__name__)
REASON_MAX = 300
_reported: set[str] = set()
_reported_lock = threading.Lock()


def reason(error: BaseException) -> str:
    """An error's type and message on one line, from the driver's error when there is one (a
    SQLAlchemy error's own text would add the statement)."""
    original = getattr(error, "orig", None) or error
    text = " ".join(str(original).split())
    return f"{type(original).__name__}: {text[:REASON_MAX]}" if text else type(original).__name__


def database_url(engine: sa.Engine) -> str:
    """The engine's URL with its password hidden."""
    return engine.url.render_as_string(hide_password=True)


def storage_url(uri: str) -> str:
    """A rate-limit storage URI with its password hidden."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def probe_write(connection: sa.Connection) -> None:
    """Raise if the database refuses writes; change nothing."""
    if connection.dialect.name == "sqlite":
        version = connection.exec_driver_sql("PRAGMA user_version").scalar()
        connection.exec_driver_sql(f"PRAGMA user_version = {int(version or 0)}")
    elif connection.exec_driver_sql("SHOW transaction_read_only").scalar() == "on":
        raise sa.exc.OperationalError(
            "SHOW transaction_read_only", None, ReadOnly("the database is read-only")
        )


class ReadOnly(Exception):
    """A PostgreSQL database that takes no writes (a standby, or read-only by default)."""


def database_problem(engine: sa.Engine) -> str | None:
    """Why the database cannot be reached or written, or None."""
    try:
        with engine.connect() as connection:
            probe_write(connection)
            connection.rollback()
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return reason(error)
    return None


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(database.alembic_config()).get_heads())


def migrations_problem(engine: sa.Engine) -> str | None:
    """Why the schema is not this release's (``flask letterkit migrate`` fixes it), or None."""
    try:
        current = database.current_revision(engine)
    except Exception as error:  # noqa: BLE001
        return reason(error)
    expected = ", ".join(sorted(_heads()))
    if current != expected:
        return f"the schema is at {current or 'no revision'}, this release needs {expected}"
    return None


def pdf_problem() -> str | None:
    """Why no PDF can be made, when PDFs are required (READY_REQUIRES_PDF), or None."""
    if pdf.warm_service_up() or pdf.pdf_available():
        return None
    if current_app.config.get("READY_REQUIRES_PDF"):
        return "neither the warm PDF service nor LibreOffice (soffice) is available"
    return None


def ratelimit_problem() -> str | None:
    """Why the rate-limit store does not answer, or None (also when rate limits are off)."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None  # no store is used
    storage = limiter.storage
    try:
        client = getattr(storage, "storage", None)  # limits' Redis storages hold the client here
        if callable(getattr(client, "ping", None)):
            client.ping()  # type: ignore[union-attr]
            return None
        return None if storage.check() else "the storage does not answer"
    except Exception as error:  # noqa: BLE001
        return reason(error)


def _where(component: str) -> str:
    if component == "ratelimit":
        return storage_url(str(current_app.config["RATELIMIT_STORAGE_URI"]))
    return database_url(db.engine)


def readiness() -> tuple[bool, dict[str, str]]:
    """Check every component; log one line per failing one; return (ready, ok/failing each)."""
    engine = db.engine
    problems: dict[str, str | None] = {"database": database_problem(engine)}
    problems["migrations"] = (
        "not checked: the database failed" if problems["database"] else migrations_problem(engine)
    )
    problems["pdf"] = pdf_problem()
    problems["ratelimit"] = ratelimit_problem()
    for component, problem in problems.items():
        if problem:
            where = "" if component == "pdf" else f" {_where(component)}"
            log.warning("not ready: %s%s failing: %s", component, where, problem)
    words = {name: "failing" if problem else "ok" for name, problem in problems.items()}
    return not any(problems.values()), words


def _probe_engine(engine: sa.Engine) -> sa.Engine:
    """A throw-away engine on the same database that gives up quickly and pools nothing."""
    connect_args: dict[str, Any] = (
        {"timeout": 1} if engine.dialect.name == "sqlite" else {"connect_timeout": 3}
    )
    return sa.create_engine(
        engine.url, poolclass=NullPool, connect_args=connect_args, hide_parameters=True
    )


def log_startup_problems(app: Flask) -> None:
    """At start-up, name a database that cannot be reached or written, or a rate-limit store
    that does not answer, with the reason, in one line each. Never stops the app."""
    try:
        with app.app_context():
            probe = _probe_engine(db.engine)
            try:
                problem = database_problem(probe)
            finally:
                probe.dispose()
            if problem:
                log.error("database %s cannot be used: %s", database_url(db.engine), problem)
            problem = ratelimit_problem()
            if problem:
                where = storage_url(str(app.config["RATELIMIT_STORAGE_URI"]))
                log.error("rate-limit storage %s cannot be used: %s", where, problem)
    except Exception as error:  # noqa: BLE001 - a check must not stop the app
        log.error("start-up checks failed: %s", reason(error))


def log_database_failure(error: BaseException) -> None:
    """Name the database and why it failed, once per distinct reason in this process."""
    url = database_url(db.engine)
    line = f"database {url} failed: {reason(error)}"
    with _reported_lock:
        first = line not in _reported
        _reported.add(line)
    if first:
        log.error("%s", line)
    else:
        log.debug("%s", line)
