"""The results of the deadline engine: a due date, its steps, the days skipped, the options.

Every decision taken on the way is a :class:`Step` (a code and plain parameters), so the
explanation can be rendered in any language later (see ``explanation.py``) and stored as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from letterkit.deadlines.calendars import DayInfo
from letterkit.deadlines.rules import Rule, Term, Unit

ParamValue = str | int | bool | None


class ResultKind(StrEnum):
    """What a :class:`DueResult`'s due date is."""

    STATUTORY = "statutory"  # a legal deadline
    GUIDANCE = "guidance"  # a non-statutory guidance target (e.g. GB)
    TARGET = "target"  # set by the coordinator, not a legal deadline
    NO_TERM = "no_term"  # no statutory term and no target: no due date
    TERM_UNKNOWN = "term_unknown"  # term not found in the reference: no due date


@dataclass(frozen=True)
class Step:
    """One sentence of the explanation, as a code and plain (JSON-safe) parameters."""

    code: str
    params: tuple[tuple[str, ParamValue], ...] = ()

    @property
    def args(self) -> dict[str, ParamValue]:
        return dict(self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


def make_step(code: str, /, **params: object) -> Step:
    """Build a step, turning dates and units into plain JSON-safe values."""
    clean: list[tuple[str, ParamValue]] = []
    for key, value in params.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Unit):
            value = value.value
        elif value is not None and not isinstance(value, str | int | bool):
            value = str(value)
        clean.append((key, value))
    return Step(code, tuple(clean))


@dataclass(frozen=True)
class SkippedDay:
    """A day passed while counting working days: skipped (a day off) or counted (transferred)."""

    day: date
    reason: str  # "weekend" | "holiday" | "working_weekend"
    holiday: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "reason": self.reason, "holiday": self.holiday}


@dataclass(frozen=True)
class AlternativeDue:
    """The due date under another term of the same rule (``code`` "default" = the main term)."""

    code: str
    condition: str
    term: Term
    due: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "condition": self.condition,
            "term": self.term.to_dict(),
            "due": self.due.isoformat(),
        }


@dataclass(frozen=True)
class ExtensionOption:
    """An extension the law allows, with the latest due date it can give (None: unknown)."""

    condition: str
    article: str
    add: Term | None
    total: Term | None
    max_due: date | None
    notify_by: date | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition,
            "article": self.article,
            "add": self.add.to_dict() if self.add else None,
            "total": self.total.to_dict() if self.total else None,
            "max_due": self.max_due.isoformat() if self.max_due else None,
            "notify_by": self.notify_by.isoformat() if self.notify_by else None,
        }


@dataclass(frozen=True)
class DueResult:
    """A computed due date (or the reason there is none) with everything needed to explain it."""

    country: str
    country_name: str
    subdiv: str | None
    authority_kind: str | None
    rule: Rule
    kind: ResultKind
    delivered_on: date
    registered_on: date | None
    start_day: date | None  # day 0: the event the term is counted from
    estimate: bool  # True while the registration date the law counts from is unknown
    term: Term | None
    variant: str | None
    base_due: date | None  # before any extension
    due: date | None
    end_on_non_working_day: bool  # the due date is a day off and was not moved
    alternatives: tuple[AlternativeDue, ...]
    extensions: tuple[ExtensionOption, ...]
    max_extended_due: date | None
    extended_by: tuple[Term, ...]
    skipped: tuple[SkippedDay, ...]
    steps: tuple[Step, ...]
    calendar_code: str | None
    holiday_language: str | None
    rules_version: str
    holidays_version: str

    @property
    def is_legal_deadline(self) -> bool:
        return self.kind == ResultKind.STATUTORY

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-serialisable data (dates as ISO strings)."""

        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "country": self.country,
            "country_name": self.country_name,
            "subdiv": self.subdiv,
            "authority_kind": self.authority_kind,
            "kind": self.kind.value,
            "rule": self.rule.to_dict(),
            "delivered_on": iso(self.delivered_on),
            "registered_on": iso(self.registered_on),
            "start_day": iso(self.start_day),
            "estimate": self.estimate,
            "term": self.term.to_dict() if self.term else None,
            "variant": self.variant,
            "base_due": iso(self.base_due),
            "due": iso(self.due),
            "end_on_non_working_day": self.end_on_non_working_day,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "extensions": [e.to_dict() for e in self.extensions],
            "max_extended_due": iso(self.max_extended_due),
            "extended_by": [t.to_dict() for t in self.extended_by],
            "skipped": [s.to_dict() for s in self.skipped],
            "steps": [s.to_dict() for s in self.steps],
            "calendar": self.calendar_code,
            "rules_version": self.rules_version,
            "holidays_version": self.holidays_version,
        }


def skipped_days(noted: tuple[DayInfo, ...]) -> tuple[SkippedDay, ...]:
    """The days a working-day count passed over, with why."""
    out = []
    for info in noted:
        if info.working:
            out.append(SkippedDay(info.day, "working_weekend", info.holiday))
        elif info.holiday:
            out.append(SkippedDay(info.day, "holiday", info.holiday))
        else:
            out.append(SkippedDay(info.day, "weekend", None))
    return tuple(out)


def skipped_steps(skipped: tuple[SkippedDay, ...]) -> list[Step]:
    """One step per holiday or counted weekend day; runs of plain weekend days grouped."""
    steps: list[Step] = []
    run: list[date] = []

    def flush() -> None:
        if run:
            steps.append(make_step("skipped_weekend", from_day=run[0], to_day=run[-1]))
            run.clear()

    for s in skipped:
        if s.reason == "weekend" and (not run or s.day == run[-1] + timedelta(days=1)):
            run.append(s.day)
            continue
        flush()
        if s.reason == "weekend":
            run.append(s.day)
        elif s.reason == "holiday":
            steps.append(make_step("skipped_holiday", day=s.day, holiday=s.holiday))
        else:
            steps.append(make_step("counted_working_weekend", day=s.day))
    flush()
    return steps
