"""The models of the letters resource: what a client sends and what it reads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema

from . import pagination, schemas
from .schemas import (
    EXAMPLE_AUTHORITY,
    EXAMPLE_DEMANDS,
    EXAMPLE_LANGUAGE,
    EXAMPLE_TEMPLATE,
    Body,
    Cursor,
    Day,
    Language,
    Limit,
    Out,
    Query,
    Slug,
    optional_query,
)

#: the earliest and latest date a letter may carry
FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2199, 12, 31)
MAX_DEMANDS = 60
MAX_FIELDS = 30
#: a subject, as the template's own field ``subject`` takes it
EXAMPLE_SUBJECT = "Alternatives to punishment for people who use drugs"


def _plausible_day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return value


LetterDay = Annotated[
    date,
    AfterValidator(_plausible_day),
    Field(description="YYYY-MM-DD, between 1990-01-01 and 2199-12-31."),
]
#: text with line breaks, without the characters a letter can never hold (letterkit.textchars)
TEXT_PATTERN = schemas.TEXT_PATTERN
#: one line of text, likewise
LINE_PATTERN = schemas.LINE_PATTERN
#: the name of one of the template's own fields
FieldName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
#: the value of one of the template's own fields (its own limit is checked against the template)
FieldValue = Annotated[str, Field(max_length=20000, pattern=TEXT_PATTERN)]
#: the template's own fields by name (pydantic would document the keys' pattern as
#: ``patternProperties``, which lets any other key through: say it as ``propertyNames``)
TemplateFields = Annotated[
    dict[FieldName, FieldValue],
    WithJsonSchema(
        {
            "type": "object",
            "maxProperties": MAX_FIELDS,
            "examples": [{"subject": EXAMPLE_SUBJECT}],
            "propertyNames": {"minLength": 1, "maxLength": 64, "pattern": "^[a-z][a-z0-9_]*$"},
            "additionalProperties": {
                "type": "string",
                "maxLength": 20000,
                "pattern": TEXT_PATTERN,
            },
        }
    ),
]
#: a paragraph of the group's own
Paragraph = Annotated[str, Field(max_length=5000, pattern=TEXT_PATTERN)]
Place = Annotated[str, Field(max_length=120, pattern=LINE_PATTERN)]
SignerLine = Annotated[str, Field(max_length=200, pattern=LINE_PATTERN)]

StatusFilter = optional_query(
    {"type": "string", "enum": ["draft", "final"]}, pattern=r"^(draft|final)$"
)


class LetterQuery(Query):
    status: StatusFilter
    limit: Limit = pagination.DEFAULT_LIMIT
    cursor: Cursor


StampCopyFlag = optional_query(
    {
        "type": "string",
        "enum": ["true", "false"],
        "description": (
            "`true`: add, for delivery by hand, a second copy ending with a box for the "
            "office's registration stamp (a final letter's DOCX as issued stays as it is)."
        ),
    },
    pattern=r"^(true|false)$",
)


class DownloadQuery(Query):
    stamp_copy: StampCopyFlag


class LetterChanges(Body):
    """The parts of a draft; a part left out (or null) keeps its value."""

    template: Slug | None = Field(
        default=None,
        description="A letter template (`appeal`, `embassy-letter` …).",
        examples=[EXAMPLE_TEMPLATE],
    )
    language: Language | None = Field(
        default=None,
        description="A letter language the template has a version in.",
        examples=[EXAMPLE_LANGUAGE],
    )
    demands: list[Slug] | None = Field(
        default=None,
        max_length=MAX_DEMANDS,
        description="Slugs of demands of the catalogue, in the order the letter lists them.",
        examples=[EXAMPLE_DEMANDS],
    )
    paragraphs: list[Paragraph] | None = Field(
        default=None,
        max_length=20,
        description="The group's own paragraphs, printed after the template's text.",
    )
    fields: TemplateFields | None = Field(
        default=None,
        max_length=MAX_FIELDS,
        description=(
            "Values of the template's own fields (`subject`, `background`, `law` …), dates "
            "written YYYY-MM-DD. Merged into the draft's fields; a field not named keeps its "
            "value."
        ),
    )
    place: Place | None = Field(
        default=None, description="Printed next to the date.", examples=["Chișinău"]
    )
    letter_date: LetterDay | None = Field(
        default=None,
        description="The letter's date; null: the day it is finalised.",
    )
    signer_name: SignerLine | None = Field(
        default=None,
        description="Who signs this letter; an empty string: the group's usual signer.",
    )
    signer_title: SignerLine | None = Field(default=None, description="Their title.")


class LetterCreate(LetterChanges):
    """A new draft. Left out: the template and language the authority's office calls for,
    and the demands meant for its country."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "authority": EXAMPLE_AUTHORITY,
                    "template": EXAMPLE_TEMPLATE,
                    "language": EXAMPLE_LANGUAGE,
                    "demands": EXAMPLE_DEMANDS,
                    "fields": {"subject": EXAMPLE_SUBJECT},
                    "place": "Chișinău",
                },
                {"authority": EXAMPLE_AUTHORITY, "fields": {"subject": EXAMPLE_SUBJECT}},
            ]
        }
    )

    authority: Slug = Field(
        description="The slug of an authority of the group's catalogue.",
        examples=[EXAMPLE_AUTHORITY],
    )


class LetterUpdate(LetterChanges):
    """Changes to a draft; final letters never change."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"demands": EXAMPLE_DEMANDS, "fields": {"subject": EXAMPLE_SUBJECT}},
                {"authority": EXAMPLE_AUTHORITY, "language": EXAMPLE_LANGUAGE},
            ]
        }
    )

    authority: Slug | None = Field(
        default=None,
        description="The slug of an authority of the group's catalogue.",
        examples=[EXAMPLE_AUTHORITY],
    )


class FinaliseBody(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"confirm_mixed_languages": False},
            ]
        }
    )

    confirm_mixed_languages: bool = Field(
        default=False,
        description=(
            "Finalise although some printed parts are not in the letter's language (the 422 "
            "answer without it lists them)."
        ),
    )


class LetterSummary(Out):
    id: str = Field(description="The letter's public id (`let_…`).")
    status: Literal["draft", "final"]
    authority: str
    authority_name: str
    country: str
    language: str
    subject: str
    reference: str | None = Field(description="The reference number; null for a draft.")
    letter_date: Day | None
    updated_at: datetime


class LetterList(Out):
    items: list[LetterSummary]
    next_cursor: str | None


class UnreviewedTexts(Out):
    """The texts of the letter, in its language, that no native speaker has reviewed yet: draft
    translations to have checked before the letter is sent."""

    language: str = Field(description="The letter's language.")
    template: bool = Field(description="The wording of the letter template is a draft.")
    addressee: bool = Field(
        description="The (shipped) authority's addressee line and salutation are drafts."
    )
    demands: int = Field(description="How many of the letter's (shipped) demands are drafts.")
    notice: str = Field(
        description="The same in words, in the requester's language, as the preview says it."
    )


class LetterOut(Out):
    """A letter: a draft, or a final letter as issued."""

    id: str = Field(description="The letter's public id (`let_…`).")
    status: Literal["draft", "final"]
    authority: str
    authority_name: str
    country: str
    language: str
    template: str
    demands: list[str]
    paragraphs: list[str]
    fields: dict[str, str]
    subject: str
    place: str
    signer_name: str = Field(description="Empty: the group's usual signer.")
    signer_title: str
    reference: str | None = Field(description="The reference number; null for a draft.")
    letter_date: Day | None = Field(description="Null for a draft dated when it is finalised.")
    created_at: datetime
    updated_at: datetime
    finalised_at: datetime | None
    sha256: str | None = Field(description="SHA-256 of the DOCX as issued; null for a draft.")
    unreviewed: UnreviewedTexts | None = Field(
        description="Draft translations in the letter; null when every text is the original "
        "wording or reviewed by a native speaker. The group's own entries are its own wording."
    )
