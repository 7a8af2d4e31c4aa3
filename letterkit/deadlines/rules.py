"""Reply-deadline rules: typed records, and loading and validating them from ``rules.toml``.

The rules are data. This module knows the shape of a rule, not any country's law: nothing here
tests for a country code.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import holidays

from letterkit.deadlines.errors import (
    NoRuleInForceError,
    RuleFileError,
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


_E = TypeVar("_E", bound=StrEnum)

_RULE_KEYS = {
    "id",
    "country",
    "kind",
    "status",
    "title",
    "law",
    "article",
    "term",
    "start",
    "registration_lag",
    "end_on_non_working_day",
    "alternatives",
    "extensions",
    "extension_status",
    "effective_from",
    "effective_to",
    "confidence",
    "source",
    "unverified",
    "notes",
    "citation",
}
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class _Reader:
    """Validates one parsed TOML document, raising :class:`RuleFileError` on the first problem."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.rule_id: str | None = None

    def fail(self, problem: str) -> RuleFileError:
        return RuleFileError(self.path, self.rule_id, problem)

    def keys(self, table: Mapping[str, Any], allowed: set[str], what: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(f"unknown key(s) in {what}: {', '.join(unknown)}")

    def text(self, table: Mapping[str, Any], key: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing {key}")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"{key} must be a non-empty string")
        return value

    def enum(self, enum: type[_E], value: object, what: str) -> _E:
        try:
            return enum(value)
        except ValueError:
            known = ", ".join(m.value for m in enum)
            raise self.fail(f"unknown {what} {value!r} (known: {known})") from None

    def term(self, value: object, what: str, *, allow_zero: bool = False) -> Term:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a table {{ amount, unit }}")
        self.keys(value, {"amount", "unit"}, what)
        amount = value.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise self.fail(f"{what}: amount must be an integer")
        if amount < 0 or (amount == 0 and not allow_zero):
            raise self.fail(f"{what}: amount must be positive")
        if "unit" not in value:
            raise self.fail(f"{what}: missing unit")
        return Term(amount, self.enum(Unit, value["unit"], "unit"))

    def day(self, table: Mapping[str, Any], key: str) -> date | None:
        value = table.get(key)
        if value is None:
            return None
        if type(value) is not date:
            raise self.fail(f"{key} must be a TOML date such as 2026-03-01, not {value!r}")
        return value

    def book(self, data: Mapping[str, Any], version: str) -> RuleBook:
        self.keys(data, {"format", "kinds", "countries", "rules"}, "the file")
        if data.get("format") != 1:
            raise self.fail("format must be 1")
        kinds = data.get("kinds", {})
        if not isinstance(kinds, dict) or not all(
            isinstance(k, str) and _ID_RE.match(k) and isinstance(v, str) and v.strip()
            for k, v in kinds.items()
        ):
            raise self.fail("[kinds] must map lower-case ids to labels")
        countries = self.countries(data.get("countries"))
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            raise self.fail("no [[rules]]")
        rules: list[Rule] = []
        seen: set[str] = set()
        for raw in raw_rules:
            self.rule_id = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(raw, dict):
                raise self.fail("each [[rules]] entry must be a table")
            rule = self.rule(raw, countries, kinds)
            if rule.id in seen:
                raise self.fail("duplicate rule id")
            seen.add(rule.id)
            rules.append(rule)
        self.check_overlaps(rules)
        self.rule_id = None
        return RuleBook(
            self.path,
            version,
            MappingProxyType(countries),
            MappingProxyType(dict(kinds)),
            tuple(rules),
        )

    def countries(self, raw: object) -> dict[str, Country]:
        if not isinstance(raw, dict) or not raw:
            raise self.fail("no [countries]")
        out: dict[str, Country] = {}
        supported = holidays.list_supported_countries(include_aliases=False)
        for code, table in raw.items():
            if not re.fullmatch(r"[A-Z]{2}", code) or not isinstance(table, dict):
                raise self.fail(f"country code {code!r} must be two capital letters with a table")
            self.keys(table, {"name", "holidays", "default_subdiv"}, f"[countries.{code}]")
            name = self.text(table, "name")
            cal = table.get("holidays", code)
            if not isinstance(cal, str):
                raise self.fail(f"[countries.{code}] holidays must be a string")
            if cal and cal not in supported:
                raise self.fail(f"[countries.{code}] unknown holidays country {cal!r}")
            subdiv = table.get("default_subdiv")
            if subdiv is not None and (not cal or subdiv not in supported[cal]):
                raise self.fail(f"[countries.{code}] unknown default_subdiv {subdiv!r}")
            out[code] = Country(code, name, cal or None, subdiv)
        return out

    def rule(
        self, raw: Mapping[str, Any], countries: Mapping[str, Country], kinds: Mapping[str, str]
    ) -> Rule:
        rule_id = self.text(raw, "id")
        if not _ID_RE.match(rule_id):
            raise self.fail("id must be lower-case letters, digits and hyphens")
        self.keys(raw, _RULE_KEYS, "the rule")
        country = self.text(raw, "country")
        if country not in countries:
            raise self.fail(f"unknown country {country!r} (add it under [countries])")
        kind = raw.get("kind")
        if kind is not None and kind not in kinds:
            raise self.fail(f"unknown kind {kind!r} (add it under [kinds])")
        status = self.enum(Status, raw.get("status"), "status")
        confidence = self.enum(Confidence, raw.get("confidence"), "confidence")
        source = self.text(raw, "source")

        has_term = status in (Status.STATUTORY, Status.GUIDANCE)
        term = start = lag = None
        if has_term:
            if "term" not in raw:
                raise self.fail(f"a {status.value} rule needs a term")
            term = self.term(raw["term"], "term")
            start = self.enum(StartEvent, raw.get("start"), "start event")
            if "registration_lag" in raw:
                if not start.needs_registration:
                    raise self.fail("registration_lag needs a start counted from registration")
                lag_raw = raw["registration_lag"]
                if not isinstance(lag_raw, dict):
                    raise self.fail("registration_lag must be a table")
                self.keys(lag_raw, {"amount", "unit", "source"}, "registration_lag")
                lag_term = self.term(
                    {k: v for k, v in lag_raw.items() if k != "source"},
                    "registration_lag",
                    allow_zero=True,
                )
                if lag_term.unit is Unit.MONTHS:
                    raise self.fail("registration_lag must be in days")
                lag = RegistrationLag(lag_term, self.text(lag_raw, "source"))
        else:
            for key in ("term", "start", "registration_lag", "alternatives", "extensions"):
                if key in raw:
                    raise self.fail(f"a {status.value} rule has no {key}")

        alternatives = tuple(self.alternative(a) for a in self.table_list(raw, "alternatives"))
        codes = [a.code for a in alternatives]
        if len(set(codes)) != len(codes):
            raise self.fail("duplicate alternative code")
        unverified = tuple(self.unverified(u) for u in self.table_list(raw, "unverified"))
        extensions = tuple(self.extension(e) for e in self.table_list(raw, "extensions"))
        if extensions:
            if "extension_status" in raw:
                raise self.fail("extension_status is only for rules without extensions")
            ext_status = ExtensionStatus.RULE
            if any(e.add is None and e.total is None for e in extensions) and not any(
                u.field == "extension" for u in unverified
            ):
                raise self.fail(
                    "an extension without add or total needs an unverified entry for 'extension'"
                )
        elif has_term and status is Status.STATUTORY:
            if "extension_status" not in raw:
                raise self.fail("a statutory rule needs extensions or an extension_status")
            ext_status = self.enum(ExtensionStatus, raw["extension_status"], "extension_status")
            if ext_status is ExtensionStatus.RULE:
                raise self.fail("extension_status 'rule' needs [[rules.extensions]]")
            if ext_status is ExtensionStatus.UNVERIFIED and "extension" not in {
                u.field for u in unverified
            }:
                raise self.fail("extension_status 'unverified' needs an unverified 'extension'")
        else:
            ext_status = self.enum(
                ExtensionStatus, raw.get("extension_status", "none"), "extension_status"
            )

        notes = raw.get("notes", [])
        if not isinstance(notes, list) or not all(isinstance(n, str) and n for n in notes):
            raise self.fail("notes must be a list of strings")
        effective_from = self.day(raw, "effective_from")
        effective_to = self.day(raw, "effective_to")
        if effective_from and effective_to and effective_from > effective_to:
            raise self.fail(f"effective_from {effective_from} is after effective_to {effective_to}")
        end_rule = self.enum(
            EndDayRule, raw.get("end_on_non_working_day", "keep"), "end_on_non_working_day"
        )
        return Rule(
            id=rule_id,
            country=country,
            kind=kind,
            status=status,
            title=self.text(raw, "title"),
            law=self.text(raw, "law"),
            article=self.text(raw, "article", required=False),
            term=term,
            start=start,
            registration_lag=lag,
            end_on_non_working_day=end_rule,
            alternatives=alternatives,
            extensions=extensions,
            extension_status=ext_status,
            effective_from=effective_from,
            effective_to=effective_to,
            confidence=confidence,
            source=source,
            unverified=unverified,
            notes=tuple(notes),
            citations=self.citations(raw.get("citation", {}), bool(raw.get("article"))),
        )

    def citations(self, raw: object, has_article: bool) -> tuple[tuple[str, Citation], ...]:
        if not isinstance(raw, dict):
            raise self.fail("citation must be a table of language codes")
        out = []
        for language, entry in sorted(raw.items()):
            if not _LANGUAGE_RE.fullmatch(language) or not isinstance(entry, dict):
                raise self.fail(f"citation.{language} must be a table under a language code")
            self.keys(entry, {"law", "article"}, f"citation.{language}")
            law = self.text(entry, "law")
            article = self.text(entry, "article", required=has_article)
            if article and not has_article:
                raise self.fail(f"citation.{language} cites an article the rule does not name")
            out.append((language, Citation(law, article)))
        return tuple(out)

    def table_list(self, raw: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{key} must be a list of tables")
        return value

    def alternative(self, raw: Mapping[str, Any]) -> Alternative:
        self.keys(raw, {"code", "term", "condition"}, "an alternative")
        code = self.text(raw, "code")
        if not _ID_RE.match(code):
            raise self.fail(f"alternative code {code!r} must be lower-case with hyphens")
        return Alternative(
            code, self.term(raw.get("term"), "alternative term"), self.text(raw, "condition")
        )

    def extension(self, raw: Mapping[str, Any]) -> Extension:
        self.keys(raw, {"add", "total", "condition", "article", "notice_before"}, "an extension")
        if "add" in raw and "total" in raw:
            raise self.fail("an extension has either add or total, not both")
        return Extension(
            condition=self.text(raw, "condition"),
            article=self.text(raw, "article", required=False),
            add=self.term(raw["add"], "extension add") if "add" in raw else None,
            total=self.term(raw["total"], "extension total") if "total" in raw else None,
            notice_before=(
                self.term(raw["notice_before"], "notice_before") if "notice_before" in raw else None
            ),
        )

    def unverified(self, raw: Mapping[str, Any]) -> Unverified:
        self.keys(raw, {"field", "text"}, "an unverified entry")
        field = self.text(raw, "field")
        if field not in UNVERIFIED_FIELDS:
            known = ", ".join(sorted(UNVERIFIED_FIELDS))
            raise self.fail(f"unknown unverified field {field!r} (known: {known})")
        return Unverified(field, self.text(raw, "text"))

    def check_overlaps(self, rules: list[Rule]) -> None:
        groups: dict[tuple[str, str | None], list[Rule]] = {}
        for rule in rules:
            groups.setdefault((rule.country, rule.kind), []).append(rule)
        for group in groups.values():
            ordered = sorted(group, key=lambda r: r.effective_from or date.min)
            for earlier, later in zip(ordered, ordered[1:], strict=False):
                end = earlier.effective_to or date.max
                begin = later.effective_from or date.min
                if begin <= end:
                    self.rule_id = later.id
                    raise self.fail(
                        f"effective dates overlap with rule {earlier.id!r} "
                        f"for the same country and kind"
                    )


def translatable_texts(data: Mapping[str, Any]) -> list[str]:
    """Return every user-facing text of a parsed rules file, in file order, without repeats.

    These are the strings ``_messages.py`` must mark with ``N_()`` for extraction.
    """
    found: list[str] = []
    found += list(data.get("kinds", {}).values())
    found += [c["name"] for c in data.get("countries", {}).values()]
    for rule in data.get("rules", []):
        found += [rule["title"], rule["law"]]
        found += [rule["article"]] if rule.get("article") else []
        found += [a["condition"] for a in rule.get("alternatives", [])]
        found += [e["condition"] for e in rule.get("extensions", [])]
        found += [e["article"] for e in rule.get("extensions", []) if e.get("article")]
        found += [u["text"] for u in rule.get("unverified", [])]
        found += list(rule.get("notes", []))
    return list(dict.fromkeys(found))


DEFAULT_RULES = "rules.toml"


def _parse(data: bytes, path: str) -> RuleBook:
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleFileError(path, None, f"not valid TOML: {exc}") from None
    version = hashlib.sha256(data).hexdigest()[:12]
    return _Reader(path).book(parsed, version)


@lru_cache(maxsize=1)
def _default_book() -> RuleBook:
    ref = resources.files("letterkit.deadlines").joinpath(DEFAULT_RULES)
    return _parse(ref.read_bytes(), f"letterkit/deadlines/{DEFAULT_RULES}")


def load_rules(path: str | Path | None = None) -> RuleBook:
    """Load and validate the rules; without a path, the package's ``rules.toml`` (cached)."""
    if path is None:
        return _default_book()
    file = Path(path)
    return _parse(file.read_bytes(), str(file))
