"""The OpenAPI document (``/api/v1/openapi.json``) and a readable reference page (``/help/api``).

The reference page is rendered on the server from the same document, inside the site's layout:
no script, nothing from another host.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, json, render_template

from .base import bp
from .spec import finish, spec

pages = Blueprint("api_pages", __name__, template_folder="templates")

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def _document_json() -> str:
    return json.dumps(document())


def document() -> dict[str, Any]:
    """The finished OpenAPI document of this app."""
    return finish(spec.spec)


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 document (public: it describes, it reveals nothing of any group)."""
    return Response(_document_json(), mimetype="application/json")


def _schema_name(schema: dict[str, Any] | None) -> str | None:
    if not schema:
        return None
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            responses = []
            for status, response in sorted(operation.get("responses", {}).items()):
                content = response.get("content", {})
                media = next(iter(content), None)
                schema = content.get(media, {}).get("schema") if media else None
                responses.append({"status": status, "media": media, "schema": _schema_name(schema)})
            found.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "public": operation.get("security") == [],
                    "parameters": operation.get("parameters", []),
                    "body": _schema_name(body.get("schema")),
                    "responses": responses,
                }
            )
    return found


@pages.get("/help/api")
def reference() -> str:
    """The API reference, from the OpenAPI document."""
    doc = document()
    operations = _operations(doc)
    tags = sorted({operation["tag"] for operation in operations})
    return render_template(
        "api/reference.html",
        doc=doc,
        tags=tags,
        operations=operations,
        schemas=doc.get("components", {}).get("schemas", {}),
    )
