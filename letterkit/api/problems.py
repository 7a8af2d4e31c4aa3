"""Errors as RFC 9457 problem documents (``application/problem+json``), in the requester's
language where translated (``Accept-Language``; the API has no session and no language cookie).

Every error under ``/api/`` comes here, also those raised before a view runs (an unknown
address, a method the address does not take): :func:`install` registers :func:`render` with the
core error handlers for that prefix. A 405 keeps its ``Allow`` header.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from flask import Flask, Response, json
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from .spec import PROBLEM_JSON

PREFIX = "/api/"

TITLES = {
    400: _l("Bad request"),
    401: _l("Not authenticated"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    406: _l("Not acceptable"),
    409: _l("Conflict"),
    413: _l("Too large"),
    415: _l("Unsupported media type"),
    422: _l("Invalid input"),
    429: _l("Too many requests"),
    500: _l("Server error"),
    503: _l("Try again shortly"),
}

DETAILS = {
    400: _l("The request could not be understood. Nothing was changed."),
    401: _l("Send a valid API token of your group: Authorization: Bearer <token>."),
    403: _l("This token may not do this."),
    404: _l("There is nothing here, or it belongs to another group."),
    405: _l("This address does not take that method."),
    413: _l("What you sent is larger than this API accepts. Nothing was changed."),
    415: _l("Send the body as application/json."),
    429: _l("Too many requests with this token. Wait a minute and try again."),
    500: _l("An unexpected error happened. Nothing was changed. Please try again."),
    503: _l("A service this request needs did not answer. Nothing was changed."),
}


class ApiProblem(HTTPException):
    """An error the API answers with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        kind: str = "about:blank",
        errors: Iterable[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.kind = kind
        self.errors = list(errors) if errors is not None else None
        self.extra_headers = headers or {}
        self.extra = extra


def problem(status: int, detail: str | None = None, **kwargs: Any) -> NoReturn:
    """Stop the request with a problem document."""
    raise ApiProblem(status, detail, **kwargs)


def invalid(errors: Iterable[dict[str, str]], detail: str | None = None) -> NoReturn:
    """Stop with 422: the request is well formed but its values are not acceptable."""
    raise ApiProblem(
        422,
        detail or _("Some values are not acceptable. Nothing was changed."),
        kind="tag:letterkit,2026:problem:invalid-input",
        errors=errors,
    )


def body(
    status: int, detail: str | None, kind: str = "about:blank", **extra: Any
) -> dict[str, Any]:
    """The problem document of ``status``."""
    document: dict[str, Any] = {
        "type": kind,
        "title": str(TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])),
        "status": status,
        "detail": detail or str(DETAILS.get(status, DETAILS[400 if status < 500 else 500])),
    }
    document.update({key: value for key, value in extra.items() if value is not None})
    return document


def render(error: HTTPException) -> Response:
    """The problem document of an HTTP error raised anywhere under ``/api/``."""
    status = error.code or 500
    if isinstance(error, ApiProblem):
        document = body(status, error.description, error.kind, errors=error.errors, **error.extra)
        headers = dict(error.extra_headers)
    else:
        # werkzeug's own descriptions are English; ours are translated (a core handler may
        # have put a translated message on the error).
        document = body(status, getattr(error, "letterkit_message", None))
        headers = {}
        if status == 405:
            allowed = getattr(error, "valid_methods", None) or []
            headers["Allow"] = ", ".join(sorted(set(allowed)))
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="letterkit"')
    response = Response(json.dumps(document), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(headers)
    return response


def install(app: Flask) -> None:
    """Answer every error under ``/api/`` with a problem document."""
    app.extensions["letterkit"].setdefault("error_renderers", {})[PREFIX] = render
