"""Error pages inside the layout, in the interface language."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from limits.errors import StorageError
from werkzeug.exceptions import HTTPException, InternalServerError

from letterkit.documents import TemplateError

from . import health, transaction
from .ratelimit import StoreUnavailable

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Nothing was changed.")),
    403: (_l("Not allowed"), _l("Your role in this group does not allow this.")),
    404: (_l("Not found"), _l("There is nothing here, or it belongs to another group.")),
    405: (_l("Not allowed"), _l("This address does not take that kind of request.")),
    413: (
        _l("Too large"),
        _l("What you sent is larger than this site accepts. Nothing was changed."),
    ),
    422: (_l("Cannot process this"), _l("The input could not be processed.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts from your connection. Wait a few minutes and try again."),
    ),
    503: (
        _l("Try again shortly"),
        _l(
            "A service this page needs did not answer. Nothing was changed. "
            "Try again in a minute or two."
        ),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error happened. Nothing was changed. Please try again."),
    ),
}


def _renderer() -> Callable[[HTTPException], Any] | None:
    """The renderer a feature installed for this request's path (the API answers its errors
    as JSON problem documents), if any: ``app.extensions["letterkit"]["error_renderers"]``."""
    if not has_request_context():
        return None
    renderers = current_app.extensions.get("letterkit", {}).get("error_renderers", {})
    for prefix, renderer in renderers.items():
        if request.path.startswith(prefix):
            return renderer  # type: ignore[no-any-return]
    return None


def render_error(code: int, description: str | None = None) -> Any:
    """Render the error page for ``code`` with an optional, already translated explanation
    (or hand it to the renderer installed for this path)."""
    renderer = _renderer()
    if renderer is not None:
        error = HTTPException(description)
        error.code = code
        error.letterkit_message = description  # type: ignore[attr-defined]
        return renderer(error)
    title, message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "errors/error.html", code=code, title=title, message=description or message
        ),
        code,
    )


def handle_http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
    """Show an HTTP error in the layout."""
    code = error.code or 500
    if code < 400:
        return error
    renderer = _renderer()
    if renderer is not None:
        return renderer(error)
    detail = getattr(error, "letterkit_message", None)
    return render_error(code, detail)


def handle_csrf_error(error: CSRFError) -> tuple[str, int]:
    """Refuse a form that was not sent from one of our pages."""
    return render_error(
        400,
        str(
            _l(
                "This form was not sent from a letterkit page or your session has ended. "
                "Go back, reload the page and send it again. Nothing was changed."
            )
        ),
    )


def handle_template_error(error: Exception) -> tuple[str, int]:
    """A letter template that cannot be rendered: say which template and line (422)."""
    message = getattr(error, "message", str(error))
    params = getattr(error, "params", {})
    try:
        text = _(message).format(**params)
    except (KeyError, IndexError, ValueError):
        text = str(error)
    return render_error(422, text)


def handle_store_down(error: Exception) -> tuple[str, int]:
    """The rate-limit store (Redis) did not answer a limited request (a login): 503, "try
    again shortly", never a 500. One log line with the error's type, nothing of the request."""
    transaction.discard()
    if isinstance(error, StorageError):
        log.warning(
            "rate-limit storage failed (%s); request refused", type(error.storage_error).__name__
        )
    return render_error(503)


def frames(error: BaseException) -> str:
    """Where an error happened, without its message: messages can carry what users typed
    (a database names the duplicate e-mail in its error), and logs must not."""
    stack = traceback.extract_tb(error.__traceback__)
    return " <- ".join(f"{f.name} ({f.filename}:{f.lineno})" for f in reversed(stack))


def handle_unexpected(error: Exception) -> tuple[str, int]:
    """Roll back, log where it broke (never the message or request data), show the 500 page.

    The rollback comes before rendering: a failed flush leaves the session unusable, and the
    layout reads the database."""
    transaction.discard()
    log.error("unhandled %s at %s", type(error).__name__, frames(error))
    return render_error(500)


def handle_database_error(error: Exception) -> tuple[str, int]:
    """A database that cannot be reached or written: one log line naming it (password hidden)
    and why, no traceback; the usual error page."""
    try:
        transaction.discard()
    except sa.exc.SQLAlchemyError:
        pass  # the connection is gone: nothing to roll back
    health.log_database_failure(error)
    if "_login_user" not in g:  # the layout must not ask the failing database for the user
        g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    try:
        return render_error(500)
    except sa.exc.SQLAlchemyError:
        return str(MESSAGES[500][1]), 500


def register(app: Flask) -> None:
    """Install the error handlers on ``app``."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(TemplateError, handle_template_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(StorageError, handle_store_down)
    app.register_error_handler(StoreUnavailable, handle_store_down)
    app.register_error_handler(sa.exc.OperationalError, handle_database_error)
    app.register_error_handler(sa.exc.InterfaceError, handle_database_error)
    if not app.testing or app.config.get("HANDLE_UNEXPECTED_ERRORS"):
        app.register_error_handler(InternalServerError, lambda e: handle_unexpected(e))
        app.register_error_handler(Exception, handle_unexpected)
