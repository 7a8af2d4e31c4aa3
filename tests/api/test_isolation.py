"""No group reaches another's data through the API, whatever the operation.

Group A gets one object of every kind (through the domain operations); group B's token then calls
every operation the OpenAPI document lists with a path parameter that names an object (a letter,
a dispatch, a reply, an extension, a campaign, a petition, an authority), with A's names, on
every documented method, writes with a minimal valid body built from the request schema. Each
answer must be 404, exactly as for something that does not exist, and neither group's rows may
change. Every list B can read must hold none of A's names.

The test reads the document, so operations added later are covered as they land.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Any

import hypothesis
import jsonschema_rs
import pytest
from flask import Flask
from hypothesis import strategies

from .conftest import ApiClient
from .seed import seed_group, snapshot

#: the path parameters that name an object of a group (design: the only names the API uses)
OBJECT_PARAMETERS = (
    "letter_id",
    "dispatch_id",
    "reply_id",
    "extension_id",
    "campaign_id",
    "petition_code",
    "slug",
)
METHODS = ("get", "post", "put", "patch", "delete")
PARAMETER = re.compile(r"\{([^}]+)\}")
#: strings tried, in order, for a string schema with a pattern (the first that fits is taken)
CANDIDATES = (
    "x",
    "a",
    "ru",
    "RU",
    "en",
    "ru-minzdrav",
    "inpud-2011-russia",
    "appeal",
    "hand",
    "post",
    "1",
    "17",
    "Text",
    date(2026, 1, 5).isoformat(),
    "2026-01-05T10:00:00Z",
    "x@example.org",
    "https://example.org/",
    "+74951234567",
)


class Document:
    """The OpenAPI document and a way to build a minimal valid instance of its schemas."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = document.get("components", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.components["schemas"][name]
        return schema

    def validator(self, schema: dict[str, Any]) -> Any:
        return jsonschema_rs.validator_for({**schema, "components": self.components})

    def instance(self, schema: dict[str, Any]) -> Any:  # noqa: PLR0911 - one return per type
        """A small instance of ``schema``: required properties only, the first choice of each
        choice, the least length and the smallest number allowed."""
        schema = self.resolve(schema)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        for choice in ("anyOf", "oneOf"):
            if choice in schema:
                options = [self.resolve(option) for option in schema[choice]]
                usable = [option for option in options if option.get("type") != "null"]
                return self.instance((usable or options)[0])
        if "allOf" in schema:
            return self.instance(schema["allOf"][0])
        if "default" in schema:
            return schema["default"]
        kind = schema.get("type", "object")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object":
            properties = schema.get("properties", {})
            return {name: self.instance(properties[name]) for name in schema.get("required", [])}
        if kind == "array":
            item = self.instance(schema.get("items", {"type": "string"}))
            return [item] * int(schema.get("minItems", 0))
        if kind == "integer":
            return int(schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1))
        if kind == "number":
            return float(schema.get("minimum", 1))
        if kind == "boolean":
            return False
        if kind == "null":
            return None
        return self.string(schema)

    @staticmethod
    def string(schema: dict[str, Any]) -> str:
        shortest, longest = int(schema.get("minLength", 1)), int(schema.get("maxLength", 10**6))
        if schema.get("format") == "date":
            return date(2026, 1, 5).isoformat()
        pattern = schema.get("pattern")
        for candidate in CANDIDATES:
            if shortest <= len(candidate) <= longest and (
                pattern is None or re.search(pattern, candidate)
            ):
                return candidate
        if pattern is None:
            return "x" * shortest
        # an unusual pattern: the simplest string hypothesis finds for it
        return str(
            hypothesis.find(
                strategies.from_regex(pattern),
                lambda found: shortest <= len(found) <= longest,
                settings=hypothesis.settings(database=None, derandomize=True),
            )
        )

    def operations(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(path, method, operation) of every documented operation."""
        return [
            (path, method, item[method])
            for path, item in self.document.get("paths", {}).items()
            for method in METHODS
            if method in item
        ]


def request_body(doc: Document, operation: dict[str, Any]) -> tuple[Any, set[int]]:
    """A minimal body for the operation's JSON request schema, and the statuses another
    group's token may get with it: 404 only, unless the body cannot be valid (then the
    request may be refused before the object is looked up, which reveals nothing either)."""
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return None, {404}
    schema = content.get("application/json", {}).get("schema")
    if schema is None:  # an upload of another media type: sent as JSON all the same
        return {}, {404, 415, 422}
    body = doc.instance(schema)
    return body, {404} if doc.validator(schema).is_valid(body) else {404, 422}


def query_string(doc: Document, operation: dict[str, Any]) -> str:
    """The operation's required query parameters, with minimal values."""
    values = [
        f"{parameter['name']}={doc.instance(parameter.get('schema', {}))}"
        for parameter in operation.get("parameters", [])
        if parameter.get("in") == "query" and parameter.get("required")
    ]
    return "?" + "&".join(values) if values else ""


def addresses(path: str, names: dict[str, list[str]]) -> list[str]:
    """``path`` with its object parameters filled with every combination of A's names."""
    parameters = PARAMETER.findall(path)
    found = []
    for values in itertools.product(*(names[parameter] for parameter in parameters)):
        address = path
        for parameter, value in zip(parameters, values, strict=True):
            address = address.replace("{" + parameter + "}", value)
        found.append(address)
    return found


@pytest.fixture
def document(app: Flask) -> Document:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return Document(response.get_json())


@pytest.fixture
def group_a(app: Flask, api: ApiClient, group_with_details: dict[str, Any]) -> dict[str, Any]:
    """Group A (the token `api` is of): its id and the names of its objects."""
    return {"names": seed_group(app, group_with_details), "group_id": api_group(app, api)}


def api_group(app: Flask, client: ApiClient) -> int:
    from letterkit.api.tokens import find_token

    with app.app_context():
        row = find_token(str(client.token))
        assert row is not None
        return row.group_id


def test_every_path_parameter_names_a_kind_of_object(document: Document) -> None:
    """An operation with another parameter would escape the isolation test below."""
    for path, method, _operation in document.operations():
        for parameter in PARAMETER.findall(path):
            assert parameter in OBJECT_PARAMETERS, f"{method.upper()} {path}: {{{parameter}}}"


def test_another_groups_token_finds_none_of_its_objects(
    app: Flask,
    document: Document,
    group_a: dict[str, Any],
    api: ApiClient,
    other_api: ApiClient,
) -> None:
    names = group_a["names"]
    group_b = api_group(app, other_api)
    before = (snapshot(app, group_a["group_id"]), snapshot(app, group_b))
    assert all(before[0].values()), before[0]  # A has rows of every kind
    called = []
    for path, method, operation in document.operations():
        if not PARAMETER.search(path):
            continue
        body, allowed = request_body(document, operation)
        query = query_string(document, operation)
        if method == "get":  # the names are real: A's own token reads them
            answers = {api.get(address + query).status_code for address in addresses(path, names)}
            assert 200 in answers, f"GET {path}: group A's own token got {answers}"
        for address in addresses(path, names):
            response = other_api.request(method.upper(), address + query, json=body)
            assert response.status_code in allowed, (
                f"{method.upper()} {address}: {response.status_code} "
                f"{response.get_data(as_text=True)[:500]}"
            )
            if response.status_code == 404:
                assert response.mimetype == "application/problem+json"
            called.append((method, path))
    assert ("get", "/api/v1/authorities/{slug}") in called
    assert (snapshot(app, group_a["group_id"]), snapshot(app, group_b)) == before


def test_a_read_only_token_writes_nothing_anywhere(
    app: Flask, document: Document, group_a: dict[str, Any], read_only_api: ApiClient
) -> None:
    """Every documented write, on the group's own objects with a valid body, is refused with
    403 and changes nothing; the same token reads those objects."""
    names = group_a["names"]
    before = snapshot(app, group_a["group_id"])
    writes = reads = 0
    for path, method, operation in document.operations():
        query = query_string(document, operation)
        targets = addresses(path, names) if PARAMETER.search(path) else [path]
        if method == "get":
            answers = {read_only_api.get(address + query).status_code for address in targets}
            reads += 200 in answers
            continue
        body, _allowed = request_body(document, operation)
        for address in targets:
            response = read_only_api.request(method.upper(), address + query, json=body)
            assert response.status_code == 403, (
                f"{method.upper()} {address}: {response.status_code} "
                f"{response.get_data(as_text=True)[:500]}"
            )
            assert response.mimetype == "application/problem+json"
            writes += 1
    assert snapshot(app, group_a["group_id"]) == before
    writes_documented = sum(1 for _p, method, _o in document.operations() if method != "get")
    assert writes >= writes_documented >= 18, (writes, writes_documented)
    assert reads == sum(1 for _p, method, _o in document.operations() if method == "get")


def every_page(client: ApiClient, path: str, paged: bool) -> list[str]:
    """The text of every page of a list (following ``next_cursor``), at most 100 pages."""
    pages = []
    address = path + ("?limit=500" if paged else "")
    for _page in range(100):
        response = client.get(address)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        pages.append(response.get_data(as_text=True))
        cursor = response.get_json().get("next_cursor") if response.is_json else None
        if not cursor:
            return pages
        address = f"{path}?limit=500&cursor={cursor}"
    raise AssertionError(f"{path}: more than 100 pages")


def test_no_list_shows_another_groups_objects(
    app: Flask, document: Document, group_a: dict[str, Any], api: ApiClient, other_api: ApiClient
) -> None:
    own = {name for values in group_a["names"].values() for name in values}
    seen_by_a: set[str] = set()
    lists = 0
    for path, method, operation in document.operations():
        if method != "get" or PARAMETER.search(path):
            continue
        # a list: its answer has items (the OpenAPI document itself is not described)
        content = operation.get("responses", {}).get("200", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        if "items" not in document.resolve(schema).get("properties", {}):
            continue
        paged = any(p.get("name") == "limit" for p in operation.get("parameters", []))
        lists += 1
        seen_by_a |= {name for name in own for page in every_page(api, path, paged) if name in page}
        for page in every_page(other_api, path, paged):
            leaked = sorted(name for name in own if name in page)
            assert not leaked, f"GET {path} shows group A's {leaked} to group B"
    assert lists >= 4  # the catalogue's countries, authorities, demands and demand sets
    # not vacuous: A's own authority is in A's list of authorities, so it could have leaked
    assert group_a["names"]["slug"][0] in seen_by_a
