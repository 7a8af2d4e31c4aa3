"""The API blueprint and :func:`operation`, which every API view is declared with.

:func:`operation` documents the view in the OpenAPI document (through spectree) and, before the
view runs: finds the group by the bearer token (401 without a token in use), refuses writes to a
read-only token (403), counts the request against the token's rate limit (429), and validates
the query string and the JSON body with the same models the document shows (422, nothing
changed). The view gets the group and the parsed models and returns a model, which is written
as JSON; the status of a successful write is the operation's ``status``.

A session cookie is never read here: the blueprint is stateless (no login, no group from the
session, no CSRF token), so only a token authorises anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from spectree import Response as SpecResponse

from letterkit.core.ratelimit import within_limit
from letterkit.extensions import db
from letterkit.models import ApiToken, Group

from .problems import invalid, problem
from .spec import BINARY_RESPONSES, PUBLIC_OPERATIONS, spec
from .tokens import find_token

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")

PATH_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_ERRORS = {
    400: "HTTP_400",
    401: "HTTP_401",
    403: "HTTP_403",
    404: "HTTP_404",
    406: "HTTP_406",
    409: "HTTP_409",
    415: "HTTP_415",
    422: "HTTP_422",
    429: "HTTP_429",
    503: "HTTP_503",
}


def current_token() -> ApiToken:
    return g.api_token  # type: ignore[no-any-return]


def authenticate(write: bool) -> tuple[ApiToken, Group]:
    """The token of this request and its group; stop with 401, 403 or 429."""
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    row = find_token(token.strip()) if scheme.lower() == "bearer" else None
    if row is None:
        problem(401)
    if write and row.read_only:
        problem(403, _("This token may only read."))
    if not within_limit(current_app.config["API_RATE_LIMIT"], "api", key=f"api-{row.public_id}"):
        problem(429, headers={"Retry-After": "60"})
    today = date.today()
    if row.last_used_on != today:
        row.last_used_on = today
    group = db.session.get(Group, row.group_id)
    assert group is not None
    g.api_token = row
    g.audit_via = {"api_token": row.public_id}
    return row, group


def _field_errors(error: ValidationError, where: str) -> list[dict[str, str]]:
    found = []
    for item in error.errors(include_url=False):
        location = [str(part) for part in item.get("loc", ())]
        pointer = "/" + "/".join(location) if where == "body" else (location[0] if location else "")
        found.append({"pointer": pointer, "detail": item.get("msg", "")})
    return found


def parse_query(model: type[BaseModel]) -> BaseModel:
    values = {key: request.args.get(key) for key in request.args}
    try:
        return model.model_validate(values)
    except ValidationError as error:
        invalid(_field_errors(error, "query"))


def parse_body(model: type[BaseModel]) -> BaseModel:
    if request.mimetype != "application/json":
        problem(415)
    try:
        return model.model_validate_json(request.get_data() or b"")
    except ValidationError as error:
        if any(item.get("type") == "json_invalid" for item in error.errors()):
            problem(400, _("The body is not valid JSON. Nothing was changed."))
        invalid(_field_errors(error, "body"))


def operation(
    *,
    tags: tuple[str, ...],
    responses: dict[int, Any],
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    status: int = 200,
    public: bool = False,
    binary: tuple[str, ...] = (),
    errors: tuple[int, ...] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an API view: what it takes and gives (documented and checked), and who may call it.

    ``responses`` maps success statuses to their model (``None`` for no body); ``errors`` names
    the error statuses the view itself can answer besides the usual ones.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        operation_id = view.__name__
        codes = {f"HTTP_{code}": model for code, model in responses.items()}
        usual = {400, 422, 429} | ({401, 403} if not public else set())
        for code in usual | set(errors) | ({415} if body is not None else set()):
            codes[_ERRORS[code]] = None
        if binary:
            BINARY_RESPONSES[operation_id] = binary
        if public:
            PUBLIC_OPERATIONS.add(operation_id)

        @wraps(view)
        def run(**kwargs: Any) -> Response:
            write = request.method in WRITE_METHODS
            if not public:
                _token, kwargs["group"] = authenticate(write)
            # Every name in a path (public ids, codes, slugs) is of this alphabet: anything else
            # names nothing, and never reaches a query (a NUL byte fails in PostgreSQL).
            if not all(
                PATH_NAME.fullmatch(value) for value in kwargs.values() if isinstance(value, str)
            ):
                problem(404)
            if query is not None:
                kwargs["query"] = parse_query(query)
            if body is not None:
                kwargs["body"] = parse_body(body)
            result = view(**kwargs)
            if isinstance(result, Response):
                return result
            if result is None:
                return Response(status=204)
            return Response(
                result.model_dump_json(exclude_none=False),
                status=status,
                mimetype="application/json",
            )

        documented = spec.validate(
            query=query,
            json=body,
            resp=SpecResponse(**codes),
            tags=tags,
            skip_validation=True,
            operation_id=operation_id,
        )(run)
        return documented

    return decorate
