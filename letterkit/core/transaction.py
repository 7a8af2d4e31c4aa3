"""One transaction per request, committed or rolled back in this one place.

Operations change the ORM session and flush; views never commit or roll back by hand. At the end
of every request the hooks that ``register`` installs decide:

- the response's status is below 400 and the view did not call :func:`discard`: **commit**;
- the status is 400 or more, or the view called :func:`discard`: **roll back**;
- an exception escaped the view: **roll back** (``teardown_request``).

If the commit itself fails (a unique constraint only the database checks, a locked SQLite file,
a lost connection), the session is rolled back and the exception propagates: the request ends as
a 500 ("Nothing was changed"), never as a success page for data that was not stored.

One marker says what the status alone cannot: :func:`discard` -- the view caught a domain error
(``OperationError``, ``LetterError``, ``TrackingError`` …). The session is rolled back at once,
so the page rendered afterwards reads the database as it was, and nothing is committed at the
end, also when the view then answers with a redirect. An error status never keeps anything: a
form with errors is answered 422 with what was typed, and stores none of it.

:func:`on_commit` runs a function after the request's commit succeeded (never when it rolls
back): a background job is handed to its worker only once its row is stored.

The commit runs in ``after_request``, before a streamed body (a CSV export) is produced: an audit
entry recorded by such a view is stored before the first byte of the data leaves. That commit
does not expire the loaded objects: the body's generator runs in a new app context, with a new
session, and reads them as they were when the page was answered.

Two things commit on their own, and only these: CLI commands, which are not requests; and the
public signing page, which signs on a Core connection of its own (``with db.engine.begin()`` in
``petitions.views.public``) so that the check that a petition is open and the insert are one
short transaction, independent of the session. That is the one documented exception.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, has_request_context, request

from letterkit.extensions import db

_MARK = "letterkit.transaction"
_ON_COMMIT = "letterkit.transaction.on_commit"
_DISCARD = "discard"


def discard() -> None:
    """Roll back this request's changes now and commit nothing at its end."""
    db.session.rollback()
    if has_request_context():
        request.environ[_MARK] = _DISCARD


@contextmanager
def savepoint() -> Iterator[None]:
    """``db.session.begin_nested()`` that stays inside the request's transaction on SQLite too.

    pysqlite opens a transaction only before a write: a SAVEPOINT as the request's first writing
    statement opens a transaction of its own there, and its RELEASE commits it, so a request that
    ends with an error would keep what the savepoint did. Opening the transaction first keeps the
    savepoint nested, as on PostgreSQL.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN")
    with db.session.begin_nested():
        yield


def on_commit(callback: Callable[[], None]) -> None:
    """Call ``callback`` after this request's changes were committed; never if they are not."""
    request.environ.setdefault(_ON_COMMIT, []).append(callback)


def _should_commit(response: Response) -> bool:
    """Whether the request's changes are stored, by its status and the view's marker."""
    if request.environ.get(_MARK) == _DISCARD:
        return False
    return response.status_code < 400


def end_request(response: Response) -> Response:
    """Commit or roll back the session as the response and the view's marker say."""
    session = db.session
    if not _should_commit(response):
        session.rollback()
    elif session.in_transaction():
        # The page is rendered; only a streamed body still reads these objects, in an app context
        # of its own whose session is another: keep their loaded values instead of expiring them.
        expire, session.expire_on_commit = session.expire_on_commit, False
        try:
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.expire_on_commit = expire
    if _should_commit(response):
        for callback in request.environ.pop(_ON_COMMIT, []):
            callback()
    return response


def end_failed_request(error: BaseException | None) -> None:
    """Roll back when an exception escaped the request."""
    if error is not None:
        db.session.rollback()


def register(app: Flask) -> None:
    """Install the commit-or-roll-back hooks on ``app``."""
    app.after_request(end_request)
    app.teardown_request(end_failed_request)
