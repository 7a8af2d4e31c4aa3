"""Reply-deadline rules: the typed records a rules file is read into.

The rules are data (``rules.toml``, read by ``rulefile.py``). This module knows the shape of a
rule, not any country's law: nothing here tests for a country code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from letterkit.deadlines.errors import (
    NoRuleInForceError,
    UnknownCountryError,
    UnknownKindError,
)


class Unit(StrEnum):
    """How a term is counted."""

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


class StartEvent(StrEnum):
    """The event the law counts a term from (that day is day 0)."""

    RECEIPT = "receipt"
    REGISTRATION = "registration"
    DAY_AFTER_REGISTRATION = "day_after_registration"
    SUBMISSION = "submission"
    PRESENTATION = "presentation"

    @property
    def needs_registration(self) -> bool:
        return self in (StartEvent.REGISTRATION, StartEvent.DAY_AFTER_REGISTRATION)


class Status(StrEnum):
    """What kind of term a rule gives."""

    STATUTORY = "statutory"  # a term set by law
    GUIDANCE = "guidance"  # a non-statutory target from official guidance (e.g. GB)
    NO_TERM = "no_term"  # no statutory term: a coordinator may set a target
    TERM_UNKNOWN = "term_unknown"  # the law has one, but the reference did not find it


class Confidence(StrEnum):
    """The reference's confidence mark."""

    HIGH = "High"
    MED = "Med"
    LOW = "Low"


class EndDayRule(StrEnum):
    """What happens when a calendar-day or month term ends on a non-working day."""

    KEEP = "keep"  # not moved (no verified rule moves it); the explanation says so
    NEXT_WORKING_DAY = "next_working_day"  # the law moves it to the next working day


class ExtensionStatus(StrEnum):
    """Why a rule has no extension options."""

    RULE = "rule"  # options are listed
    NONE = "none"  # the reference says there is none
    UNVERIFIED = "unverified"  # the reference says the extension rule is unverified
    NOT_STATED = "not_stated"  # the reference states none


UNVERIFIED_FIELDS = frozenset(
    {
        "article",
        "term",
        "day_type",
        "start",
        "registration_lag",
        "extension",
        "end_day",
        "alternative",
        "scope",
    }
)


@dataclass(frozen=True)
class Term:
    """An amount of a unit: 30 calendar days, 15 working days, 1 month."""

    amount: int
    unit: Unit

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "unit": self.unit.value}


@dataclass(frozen=True)
class RegistrationLag:
    """The longest time the law allows between receipt and registration."""

    term: Term
    source: str


@dataclass(frozen=True)
class Alternative:
    """Another term of the same rule, counted from the same start, under a condition."""

    code: str
    term: Term
    condition: str


@dataclass(frozen=True)
class Extension:
    """One way the law lets the term be extended.

    ``add`` is added to the due date; ``total`` caps the whole term counted from the start; with
    neither, the law allows an extension whose maximum is unknown.
    """

    condition: str
    article: str = ""
    add: Term | None = None
    total: Term | None = None
    notice_before: Term | None = None


@dataclass(frozen=True)
class Citation:
    """How a letter in one language cites the law and article of a rule (e.g. «ч. 1 ст. 12»)."""

    law: str
    article: str = ""


@dataclass(frozen=True)
class Unverified:
    """A part of a rule the reference marks as not verified, in its words."""

    field: str
    text: str


@dataclass(frozen=True)
class Rule:
    """One reply-deadline rule for a country (and, where the law differs, a kind)."""

    id: str
    country: str
    kind: str | None
    status: Status
    title: str
    law: str
    article: str
    term: Term | None
    start: StartEvent | None
    registration_lag: RegistrationLag | None
    end_on_non_working_day: EndDayRule
    alternatives: tuple[Alternative, ...]
    extensions: tuple[Extension, ...]
    extension_status: ExtensionStatus
    effective_from: date | None
    effective_to: date | None
    confidence: Confidence
    source: str
    unverified: tuple[Unverified, ...]
    notes: tuple[str, ...]
    citations: tuple[tuple[str, Citation], ...] = ()
    """The law and article as letters in other languages cite them, by language code."""

    def citation(self, language: str) -> Citation:
        """The law and article as a letter in ``language`` cites them (the rule's own as is)."""
        for code, citation in self.citations:
            if code == language:
                return citation
        return Citation(self.law, self.article)

    def in_force_on(self, day: date) -> bool:
        """Tell whether the rule applies to a letter delivered on ``day``."""
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to

    def unverified_fields(self) -> frozenset[str]:
        return frozenset(u.field for u in self.unverified)

    def alternative(self, code: str) -> Alternative | None:
        for alt in self.alternatives:
            if alt.code == code:
                return alt
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as JSON-serialisable data (dates ISO)."""
        return {
            "id": self.id,
            "country": self.country,
            "kind": self.kind,
            "status": self.status.value,
            "title": self.title,
            "law": self.law,
            "article": self.article,
            "term": self.term.to_dict() if self.term else None,
            "start": self.start.value if self.start else None,
            "registration_lag": (
                {**self.registration_lag.term.to_dict(), "source": self.registration_lag.source}
                if self.registration_lag
                else None
            ),
            "end_on_non_working_day": self.end_on_non_working_day.value,
            "alternatives": [
                {"code": a.code, "term": a.term.to_dict(), "condition": a.condition}
                for a in self.alternatives
            ],
            "extensions": [
                {
                    "condition": e.condition,
                    "article": e.article,
                    "add": e.add.to_dict() if e.add else None,
                    "total": e.total.to_dict() if e.total else None,
                    "notice_before": e.notice_before.to_dict() if e.notice_before else None,
                }
                for e in self.extensions
            ],
            "extension_status": self.extension_status.value,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "confidence": self.confidence.value,
            "source": self.source,
            "unverified": [{"field": u.field, "text": u.text} for u in self.unverified],
            "notes": list(self.notes),
            "citations": {code: {"law": c.law, "article": c.article} for code, c in self.citations},
        }


@dataclass(frozen=True)
class Country:
    """A country (or international body) the rules cover, and its holiday calendar."""

    code: str
    name: str
    holidays: str | None  # country code in the `holidays` package; None = weekends only
    default_subdiv: str | None


@dataclass(frozen=True)
class RuleBook:
    """All rules, countries and kinds from one data file."""

    path: str
    version: str  # first 12 hex digits of the file's SHA-256
    countries: Mapping[str, Country]
    kinds: Mapping[str, str]
    rules: tuple[Rule, ...]

    def country(self, code: str) -> Country:
        """Return the country with this code, or raise :class:`UnknownCountryError`."""
        key = code.strip().upper() if isinstance(code, str) else code
        country = self.countries.get(key) if isinstance(key, str) else None
        if country is None:
            raise UnknownCountryError(code)
        return country

    def rules_for(self, country: str) -> tuple[Rule, ...]:
        """Return every rule of a country, all kinds and periods."""
        code = self.country(country).code
        return tuple(r for r in self.rules if r.country == code)

    def kinds_for(self, country: str) -> dict[str, str]:
        """The kinds of proceeding with a rule of their own in a country (id: label), in the
        order of ``[kinds]``; none for a country the rules do not know."""
        try:
            code = self.country(country).code
        except UnknownCountryError:
            return {}
        have = {r.kind for r in self.rules if r.country == code and r.kind is not None}
        return {kind: label for kind, label in self.kinds.items() if kind in have}

    def rule_for(
        self, country: str, authority_kind: str | None = None, on: date | None = None
    ) -> Rule:
        """Return the rule for a country and kind in force on a day (default: today).

        A known kind without a rule of its own for this country falls back to the country's
        default rule; an unknown kind is an error.
        """
        code = self.country(country).code
        if authority_kind is not None and authority_kind not in self.kinds:
            raise UnknownKindError(authority_kind)
        day = on if on is not None else date.today()
        candidates = [r for r in self.rules if r.country == code and r.in_force_on(day)]
        for wanted in (authority_kind, None) if authority_kind else (None,):
            for rule in candidates:
                if rule.kind == wanted:
                    return rule
        raise NoRuleInForceError(code, day.isoformat())
