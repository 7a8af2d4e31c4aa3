"""The models of dispatches, their extensions and replies, due dates and the calculator, as the
API takes and gives them (``dispatches.py`` and ``deadlines.py`` serve them)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema

from letterkit.deadlines import ResultKind
from letterkit.models import DispatchMethod, DispatchState, ReplyChannel, ReplyOutcome
from letterkit.tracking.operations import MAX_SUMMARY, MAX_TARGET_DAYS

from . import pagination
from .schemas import (
    EXAMPLE_AUTHORITIES,
    EXAMPLE_COUNTRY,
    EXAMPLE_KIND,
    EXAMPLE_LETTER,
    TEXT_PATTERN,
    Body,
    Cursor,
    Day,
    Limit,
    Out,
    Query,
    _query_day,
    _query_int,
    optional_query,
)

_NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"

#: the public id of a letter, as the letters' resource gives it
LetterId = Annotated[
    str,
    Field(
        pattern=r"^let_[a-z2-7]{16}$",
        description="The `id` of a final letter of the group (`let_…`).",
        examples=[EXAMPLE_LETTER],
    ),
]
#: a kind of proceeding with a reply rule of its own (the rules' ``[kinds]``)
ProceedingKind = Annotated[
    str,
    Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$", examples=[EXAMPLE_KIND]),
]
RegistrationNumber = Annotated[str, Field(max_length=100, pattern=_NO_CONTROL)]
Summary = Annotated[str, Field(max_length=MAX_SUMMARY, pattern=TEXT_PATTERN)]


class SendMethod(enum.StrEnum):
    """How the group sent a letter (``forwarded`` is done by authorities, never chosen)."""

    HAND = DispatchMethod.HAND.value
    REFUSED = DispatchMethod.REFUSED.value
    REGISTERED_POST = DispatchMethod.REGISTERED_POST.value
    POST = DispatchMethod.POST.value
    EMAIL = DispatchMethod.EMAIL.value
    PORTAL = DispatchMethod.PORTAL.value
    FAX = DispatchMethod.FAX.value


# --- requests ------------------------------------------------------------------------------------


class DispatchIn(Body):
    """A final letter handed over or sent to its authority, or planned (no ``sent_on``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "letter": EXAMPLE_LETTER,
                    "method": "hand",
                    "sent_on": "2026-03-02",
                    "delivered_on": "2026-03-02",
                    "handed_by_name": "Ana Popescu",
                    "registration_number": "02-17/315",
                    "registered_on": "2026-03-02",
                },
                {"letter": EXAMPLE_LETTER, "method": "registered_post", "sent_on": "2026-03-02"},
                {"letter": EXAMPLE_LETTER, "method": "hand", "planned_on": "2026-03-20"},
            ]
        }
    )

    letter: LetterId
    method: SendMethod
    sent_on: date | None = Field(
        default=None, description="The day it was handed over or sent; leave out to plan it."
    )
    planned_on: date | None = Field(
        default=None, description="For a planned dispatch only: the day it is planned for."
    )
    delivered_on: date | None = Field(
        default=None,
        description="The day the authority received it (by hand, e-mail, portal, fax: sent_on).",
    )
    handed_by_name: Annotated[str, Field(max_length=120, pattern=_NO_CONTROL)] = Field(
        default="", description="Who handed it over."
    )
    registration_number: RegistrationNumber = Field(
        default="", description="The incoming registration number on the stamped copy."
    )
    registered_on: date | None = None
    proceeding_kind: ProceedingKind | None = Field(
        default=None,
        description=(
            "A kind of proceeding with a reply rule of its own in the authority's country "
            "(see `GET /api/v1/deadline`); leave out for the general rule."
        ),
    )
    target_days: Annotated[int, Field(ge=1, le=MAX_TARGET_DAYS)] | None = Field(
        default=None, description="A target in days where the law sets no term."
    )


class SendIn(Body):
    """A planned dispatch went out."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"method": "hand", "sent_on": "2026-03-20", "delivered_on": "2026-03-20"},
            ]
        }
    )

    method: SendMethod
    sent_on: date = Field(description="The day it was handed over or sent.")
    delivered_on: date | None = Field(
        default=None,
        description="The day the authority received it (by hand, e-mail, portal, fax: sent_on).",
    )


class TargetIn(Body):
    """A coordinator's target where the law sets no term (`null` removes it)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"target_days": 30},
                {"target_days": None},
            ]
        }
    )

    target_days: Annotated[int, Field(ge=1, le=MAX_TARGET_DAYS)] | None


class ForwardIn(Body):
    """The body a reply says the letter was forwarded to: tracked as a new dispatch."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "authority": "md-ministry-health",
                    "sent_on": "2026-03-10",
                    "delivered_on": "2026-03-12",
                },
            ]
        }
    )

    authority: Annotated[
        str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    ] = Field(
        description="The slug of the authority it was forwarded to.",
        examples=[EXAMPLE_AUTHORITIES[1]],
    )
    sent_on: date = Field(description="The day it was forwarded.")
    delivered_on: date | None = Field(default=None, description="The day that body received it.")
    registration_number: RegistrationNumber = ""
    registered_on: date | None = None
    proceeding_kind: ProceedingKind | None = None


class RegistrationIn(Body):
    """The stamp on the sender's copy: the registration number and date (the whole of it)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"registration_number": "02-17/315", "registered_on": "2026-03-03"},
                {"registration_number": "", "registered_on": None},
            ]
        }
    )

    registration_number: RegistrationNumber = Field(description="Empty when there is none.")
    registered_on: date | None
    delivered_on: date | None = Field(
        default=None,
        description=(
            "The day the authority received the letter; leave out to keep the stored one, "
            "`null` to clear it."
        ),
    )


class ExtensionIn(Body):
    """An authority's notice that it extends the term."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"notice_on": "2026-03-25", "new_due_on": "2026-04-30"},
            ]
        }
    )

    notice_on: date = Field(description="The day of the notice.")
    new_due_on: date = Field(description="The new due date; at most what the law allows.")


class ReplyIn(Body):
    """A reply from the authority (a scan can be added on the dispatch's page)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "received_on": "2026-03-30",
                    "channel": "post",
                    "outcome": "formal",
                    "summary": "Your letter was registered and passed to the Ministry of Health.",
                },
            ]
        }
    )

    received_on: date
    channel: ReplyChannel
    outcome: ReplyOutcome
    summary: Summary = ""


DueBefore = Annotated[
    date | None,
    BeforeValidator(_query_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": "Only dispatches due before this day (not on it).",
        }
    ),
    Field(default=None),
]
RegisteredOn = Annotated[
    date | None,
    BeforeValidator(_query_day),
    WithJsonSchema(
        {"type": "string", "format": "date", "description": "The day it was registered, if known."}
    ),
    Field(default=None),
]
StateFilter = optional_query(
    {"type": "string", "enum": [state.value for state in DispatchState]},
    pattern="^(" + "|".join(state.value for state in DispatchState) + ")$",
)
OpenFilter = optional_query(
    {"type": "string", "enum": ["true", "false"], "description": "Waiting for a reply or not."},
    pattern="^(true|false)$",
)
CountryFilter = optional_query({"type": "string", "pattern": "^[A-Z]{2}$"}, pattern=r"^[A-Z]{2}$")
SlugFilter = optional_query(
    {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^[a-z0-9][a-z0-9_-]*$"},
    max_length=80,
    pattern=r"^[a-z0-9][a-z0-9_-]*$",
)
KindFilter = optional_query(
    {"type": "string", "minLength": 1, "maxLength": 40, "pattern": "^[a-z0-9][a-z0-9-]*$"},
    max_length=40,
    pattern=r"^[a-z0-9][a-z0-9-]*$",
)


class DispatchQuery(Query):
    state: StateFilter
    open: OpenFilter
    country: CountryFilter
    authority: SlugFilter
    due_before: DueBefore
    limit: Limit = pagination.DEFAULT_LIMIT
    cursor: Cursor


Within = Annotated[
    int,
    Field(ge=0, le=3650, description="Days ahead (0 to 3650); overdue ones always come too."),
    BeforeValidator(_query_int),
]


class DueQuery(Query):
    within: Within = 30
    limit: Limit = pagination.DEFAULT_LIMIT
    cursor: Cursor


ProceedingFilter = optional_query(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 40,
        "pattern": "^[a-z0-9][a-z0-9-]*$",
        "description": "A kind of proceeding with a rule of its own in the country.",
        "examples": [EXAMPLE_KIND],
    },
    max_length=40,
    pattern=r"^[a-z0-9][a-z0-9-]*$",
)


class DeadlineQuery(Query):
    country: Annotated[
        str,
        Field(
            pattern=r"^[A-Z]{2}$",
            description="The authority's country (ISO 3166-1).",
            examples=[EXAMPLE_COUNTRY],
        ),
    ]
    kind: ProceedingFilter
    received_on: Annotated[
        date,
        BeforeValidator(_query_day),
        WithJsonSchema(
            {
                "type": "string",
                "format": "date",
                "description": "The day it was delivered.",
                "examples": ["2026-03-02"],
            }
        ),
    ]
    registered_on: RegisteredOn


# --- responses -----------------------------------------------------------------------------------


class DispatchSummary(Out):
    """A dispatch as lists show it."""

    id: str = Field(description="`dsp_…`")
    letter: str = Field(description="The letter's id (`let_…`).")
    authority: str = Field(description="The authority's slug.")
    authority_name: str = Field(description="As it was when the dispatch was recorded.")
    country: str
    method: DispatchMethod
    state: DispatchState
    is_open: bool = Field(description="Waiting for a reply: the due date counts.")
    planned_on: Day | None
    sent_on: Day | None
    delivered_on: Day | None
    registered_on: Day | None
    registration_number: str
    due_on: Day | None
    very_overdue_on: Day | None = Field(description="After this day a reply is very overdue.")
    due_kind: str | None = Field(
        description="statutory, guidance, target, no_term, term_unknown, or error."
    )
    due_estimate: bool = Field(description="The due date is an estimate (a date is missing).")
    answered_on: Day | None
    outcome: ReplyOutcome | None


class DispatchList(Out):
    items: list[DispatchSummary]
    next_cursor: str | None


class ExtensionOut(Out):
    """An authority's notice that it extends the term."""

    id: str = Field(description="`ext_…`")
    dispatch: str = Field(description="`dsp_…`")
    notice_on: Day
    new_due_on: Day
    created_at: datetime


class ReplyOut(Out):
    """A reply from the authority."""

    id: str = Field(description="`rep_…`")
    dispatch: str = Field(description="`dsp_…`")
    received_on: Day
    channel: ReplyChannel
    outcome: ReplyOutcome
    summary: str
    created_at: datetime


class DispatchOut(DispatchSummary):
    """A dispatch with its due date's explanation, extensions and replies."""

    status: str = Field(description="`overdue` or `very_overdue` when late, else the state.")
    proceeding_kind: str | None
    target_days: int | None
    handed_by_name: str
    forwarded_from: str | None = Field(description="The dispatch an authority forwarded from.")
    rule: str | None = Field(description="The id of the reply rule the due date follows.")
    due_heading: str = Field(description="The due date in a sentence, as the page shows it.")
    due_explanation: list[str] = Field(
        description="How the due date was computed, sentence by sentence, in your language."
    )
    due_stale: bool = Field(
        description="Computed with other rules or holidays than those in use now."
    )
    created_at: datetime
    closed_at: datetime | None
    extensions: list[ExtensionOut]
    replies: list[ReplyOut]


DueStatus = Literal["very_overdue", "overdue", "due_today", "due_soon"]


class DueItem(Out):
    """An open dispatch due soon or overdue, with why it is due then."""

    dispatch: str = Field(description="`dsp_…`")
    letter: str = Field(description="`let_…`")
    authority: str
    authority_name: str
    country: str
    due_on: Day
    very_overdue_on: Day | None
    due_kind: str | None
    due_estimate: bool
    status: DueStatus
    due_heading: str
    due_explanation: list[str]


class DueList(Out):
    today: Day = Field(description="The day the statuses are reckoned from.")
    items: list[DueItem]
    next_cursor: str | None


class RuleOut(Out):
    """The reply rule a due date follows, and the law it cites."""

    id: str
    title: str
    law: str
    article: str
    confidence: str = Field(description="How sure the reference is: High, Med or Low.")
    source: str


class DeadlineOut(Out):
    """When a reply is due, and why."""

    country: str
    kind: str | None
    received_on: Day
    registered_on: Day | None
    result: ResultKind = Field(
        description="What the due date is; `no_term` and `term_unknown` have none."
    )
    legal: bool = Field(description="Whether the due date is a legal deadline.")
    due_on: Day | None
    very_overdue_on: Day | None
    estimate: bool = Field(description="An estimate until the registration date is given.")
    rule: RuleOut
    heading: str
    explanation: list[str]
