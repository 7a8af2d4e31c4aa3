"""The OpenAPI document (``/api/v1/openapi.json``) and a readable reference page (``/help/api``).

The reference page is rendered on the server from the same document, inside the site's layout:
no script, nothing from another host.
"""

from __future__ import annotations

import json as stdjson
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


def example_of(schema: dict[str, Any]) -> Any:
    """A request body the schema gives as its example: its first whole example, or one made of
    its properties' first examples (None when a required property has none)."""
    if schema.get("examples"):
        return schema["examples"][0]
    properties = schema.get("properties", {})
    made = {name: prop["examples"][0] for name, prop in properties.items() if prop.get("examples")}
    if not made or not set(schema.get("required", ())) <= set(made):
        return None
    return made


def _examples(schemas: dict[str, Any]) -> dict[str, str]:
    """Each schema's example as indented JSON text, by schema name."""
    found = {name: example_of(schema) for name, schema in schemas.items()}
    return {
        name: stdjson.dumps(example, ensure_ascii=False, indent=2)
        for name, example in found.items()
        if example is not None
    }


@pages.get("/help/api")
def reference() -> str:
    """The API reference, from the OpenAPI document."""
    doc = document()
    operations = _operations(doc)
    tags = sorted({operation["tag"] for operation in operations})
    schemas = doc.get("components", {}).get("schemas", {})
    return render_template(
        "api/reference.html",
        doc=doc,
        tags=tags,
        operations=operations,
        schemas=schemas,
        examples=_examples(schemas),
    )
