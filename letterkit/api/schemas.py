"""Shared pieces of the API's models: strict request bodies, query types, problems, pages.

Request bodies are validated strictly from the JSON text (``"1"`` is not a number, a date is an
ISO 8601 ``YYYY-MM-DD`` string, unknown properties are refused). Query strings are text, so their
numbers and dates are checked against the exact spelling the document gives.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from letterkit.textchars import FORBIDDEN_CLASS_ESCAPED

_DIGITS = re.compile(r"[0-9]{1,9}")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Body(BaseModel):
    """A request body: strict types, no unknown properties."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """Query parameters: unknown ones are ignored, as most APIs do."""

    model_config = ConfigDict(extra="ignore")


class Out(BaseModel):
    """A response body."""

    model_config = ConfigDict(extra="forbid")


def _query_int(value: Any) -> Any:
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise ValueError("must be a whole number written with digits")
    return value


def _query_day(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


QueryDay = Annotated[date, BeforeValidator(_query_day)]

#: a page size, for every list (constraints before the validator, or the schema loses them)
Limit = Annotated[
    int,
    Field(ge=1, le=500, description="How many items one page holds (1 to 500)."),
    BeforeValidator(_query_int),
]
CURSOR_SCHEMA = {
    "type": "string",
    "maxLength": 400,
    "pattern": "^[A-Za-z0-9_-]+$",
    "description": "The `next_cursor` of the previous page; leave out for the first page.",
}
#: the opaque cursor of the next page, as a previous page gave it
Cursor = Annotated[
    str | None,
    WithJsonSchema(CURSOR_SCHEMA),
    Field(default=None, max_length=400, pattern=r"^[A-Za-z0-9_-]+$"),
]


def optional_query(schema: dict[str, Any], **constraints: Any) -> Any:
    """An optional query parameter: the document shows only its value's schema (a query
    string has no null), the model takes None when it is left out."""
    return Annotated[str | None, WithJsonSchema(schema), Field(default=None, **constraints)]


#: text of one line: none of the characters a letter can never hold (textchars), no line break
LINE_PATTERN = rf"^[^\t\n\r{FORBIDDEN_CLASS_ESCAPED}]*$"
#: text with line breaks and tabs, none of the characters a letter can never hold
TEXT_PATTERN = rf"^[^{FORBIDDEN_CLASS_ESCAPED}]*$"
#: short single-line text a user typed
Line = Annotated[str, Field(max_length=300, pattern=LINE_PATTERN)]
#: longer text with line breaks
Text = Annotated[str, Field(max_length=20000, pattern=TEXT_PATTERN)]
#: the slug of a catalogue entry or template
Slug = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
#: an ISO 3166-1 alpha-2 country code, upper case
Country = Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[A-Z]{2}$")]
#: a letter language as the registry names it (``ru``, ``uz-Latn`` …)
Language = Annotated[str, Field(min_length=2, max_length=8, pattern=r"^[a-z]{2,3}(-[A-Za-z]{4})?$")]
#: real names of the shipped catalogue, letter templates and reply rules that the request
#: models give as examples (the reference page shows them; fuzzing starts from them): the
#: Parliament of Moldova, its letter language and demands, a kind of proceeding of Georgia
EXAMPLE_AUTHORITY = "md-parliament"
EXAMPLE_AUTHORITIES = ["md-parliament", "md-ministry-health", "md-ministry-justice"]
EXAMPLE_TEMPLATE = "appeal"
EXAMPLE_LANGUAGE = "ro"
EXAMPLE_DEMANDS = ["md-2019-review-quantities", "md-2019-alternative-penalties"]
EXAMPLE_COUNTRY = "GE"
EXAMPLE_KIND = "administrative-act"
#: the shape of a letter's public id (the real ones are the group's own)
EXAMPLE_LETTER = "let_ab2cd3ef4gh5ij6k"

#: a date in a response
Day = Annotated[date, WithJsonSchema({"type": "string", "format": "date"})]


class FieldProblem(Out):
    """What is wrong with one part of the request."""

    pointer: str = Field(
        description="JSON Pointer (RFC 6901) into the body, or the parameter's name."
    )
    detail: str


class Problem(Out):
    """An error, as RFC 9457 describes: ``type``, ``title``, ``status``, ``detail``."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description="A URI naming the kind of problem; `about:blank` for plain HTTP errors."
    )
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    errors: list[FieldProblem] | None = Field(
        default=None, description="For invalid input: each invalid part and why."
    )
