"""Reading and validating ``rules.toml`` into a :class:`~letterkit.deadlines.rules.RuleBook`.

The file is read with the one TOML reader (:mod:`letterkit.tomldata`), failing fast: the first
problem becomes a :class:`RuleFileError` naming the file, the rule and the field path. The rules
are data; nothing here tests for a country code.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import holidays

from letterkit.deadlines.errors import RuleFileError
from letterkit.deadlines.rules import (
    UNVERIFIED_FIELDS,
    Alternative,
    Citation,
    Confidence,
    Country,
    EndDayRule,
    Extension,
    ExtensionStatus,
    RegistrationLag,
    Rule,
    RuleBook,
    StartEvent,
    Status,
    Term,
    Unit,
    Unverified,
)
from letterkit.tomldata import NOTE_MAX, Fields, TomlDataError, got, parse_toml

DEFAULT_RULES = "rules.toml"

_E = TypeVar("_E", bound=StrEnum)

_FILE_KEYS = frozenset({"format", "kinds", "countries", "rules"})
_COUNTRY_KEYS = frozenset({"name", "holidays", "default_subdiv"})
_RULE_KEYS = frozenset(
    {
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
)
_ALTERNATIVE_KEYS = frozenset({"code", "term", "condition"})
_EXTENSION_KEYS = frozenset({"add", "total", "condition", "article", "notice_before"})
_UNVERIFIED_KEYS = frozenset({"field", "text"})
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _text(f: Fields, key: str, *, required: bool = True) -> str:
    """Read a one-line text of the rules file ("" when optional and absent)."""
    return f.text(key, required=required, limit=NOTE_MAX) or ""


def _enum(f: Fields, key: str, enum: type[_E], what: str, default: _E | None = None) -> _E:
    """Read one of the values of ``enum`` (``default`` when absent, if given)."""
    value = f.text(key, required=default is None, limit=40)
    if value is None and default is not None:
        return default
    try:
        return enum(got(value))
    except ValueError:
        known = ", ".join(m.value for m in enum)
        raise f.error(
            key,
            "unknown {what} {value} (known: {known})",
            what=what,
            value=repr(value),
            known=known,
        ) from None


def _term(f: Fields, key: str, what: str, *, allow_zero: bool = False) -> Term:
    """Read ``{ amount, unit }`` at ``key``."""
    sub = f.sub(key, f.get(key), {"amount", "unit"})
    amount = got(sub.integer("amount", required=True, minimum=0 if allow_zero else 1))
    return Term(amount, _enum(sub, "unit", Unit, "unit"))


def _day(f: Fields, key: str) -> date | None:
    """Read a TOML date (a string or a date-time is refused)."""
    return f.day(key, allow_text=False)


class _Reader:
    """Validates one parsed rules file; every problem raises at once (see ``load_rules``)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.supported = holidays.list_supported_countries(include_aliases=False)

    def fields(self, raw: object, entry: str | None, allowed: frozenset[str]) -> Fields:
        """A fail-fast reader of one table of the file."""
        return Fields(raw, allowed, file=self.path, entry=entry, fail_fast=True)

    def book(self, data: Mapping[str, Any], version: str) -> RuleBook:
        """Read the whole file."""
        f = self.fields(data, None, _FILE_KEYS)
        if data.get("format") != 1:
            raise f.error("format", "must be 1")
        kinds = self.kinds(f)
        countries = self.countries(f)
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            raise f.error("rules", "no [[rules]]")
        rules: list[Rule] = []
        seen: set[str] = set()
        for raw in raw_rules:
            rule = self.rule(raw, countries, kinds)
            if rule.id in seen:
                raise self.fields({}, rule.id, frozenset()).error("id", "duplicate rule id")
            seen.add(rule.id)
            rules.append(rule)
        self.check_overlaps(rules)
        return RuleBook(
            self.path,
            version,
            MappingProxyType(countries),
            MappingProxyType(kinds),
            tuple(rules),
        )

    def kinds(self, f: Fields) -> dict[str, str]:
        """Read ``[kinds]``: lower-case ids and their labels."""
        table = f.sub("kinds", f.raw.get("kinds", {}))
        out: dict[str, str] = {}
        for key in table.raw:
            if not isinstance(key, str) or not _ID_RE.match(key):
                raise table.error(
                    str(key), "kind ids must be lower-case letters, digits and hyphens"
                )
            out[key] = _text(table, key)
        return out

    def countries(self, f: Fields) -> dict[str, Country]:
        """Read ``[countries.XX]``: names and holiday calendars."""
        raw = f.raw.get("countries")
        if not isinstance(raw, dict) or not raw:
            raise f.error("countries", "no [countries]")
        out: dict[str, Country] = {}
        for code, table in raw.items():
            if not re.fullmatch(r"[A-Z]{2}", code) or not isinstance(table, dict):
                raise f.error(
                    f"countries.{code}", "country code must be two capital letters with a table"
                )
            c = f.sub(f"countries.{code}", table, _COUNTRY_KEYS)
            name = _text(c, "name")
            cal = _text(c, "holidays", required=False) if c.has("holidays") else code
            if cal and cal not in self.supported:
                raise c.error("holidays", "unknown holidays country {value}", value=repr(cal))
            subdiv = c.raw.get("default_subdiv")
            if subdiv is not None and (not cal or subdiv not in self.supported[cal]):
                raise c.error(
                    "default_subdiv", "unknown default_subdiv {value}", value=repr(subdiv)
                )
            out[code] = Country(code, name, cal or None, subdiv)
        return out

    def rule(self, raw: object, countries: Mapping[str, Country], kinds: Mapping[str, str]) -> Rule:
        """Read one ``[[rules]]`` entry."""
        rule_id = raw.get("id") if isinstance(raw, dict) else None
        f = self.fields(raw, rule_id if isinstance(rule_id, str) else None, _RULE_KEYS)
        rule_id = _text(f, "id")
        if not _ID_RE.match(rule_id):
            raise f.error("id", "must be lower-case letters, digits and hyphens")
        country = _text(f, "country")
        if country not in countries:
            raise f.error(
                "country", "unknown country {value} (add it under [countries])", value=repr(country)
            )
        kind = f.raw.get("kind")
        if kind is not None and kind not in kinds:
            raise f.error("kind", "unknown kind {value} (add it under [kinds])", value=repr(kind))
        status = _enum(f, "status", Status, "status")
        confidence = _enum(f, "confidence", Confidence, "confidence")
        source = _text(f, "source")
        term, start, lag = self.term(f, status)
        alternatives = tuple(
            self.alternative(f.sub(p, a, _ALTERNATIVE_KEYS))
            for p, a in got(f.tables("alternatives"))
        )
        codes = [a.code for a in alternatives]
        if len(set(codes)) != len(codes):
            raise f.error("alternatives", "duplicate alternative code")
        unverified = tuple(
            self.unverified(f.sub(p, u, _UNVERIFIED_KEYS)) for p, u in got(f.tables("unverified"))
        )
        extensions = tuple(
            self.extension(f.sub(p, e, _EXTENSION_KEYS)) for p, e in got(f.tables("extensions"))
        )
        ext_status = self.extension_status(f, status, extensions, unverified)
        effective_from, effective_to = self.effective(f)
        return Rule(
            id=rule_id,
            country=country,
            kind=kind,
            status=status,
            title=_text(f, "title"),
            law=_text(f, "law"),
            article=_text(f, "article", required=False),
            term=term,
            start=start,
            registration_lag=lag,
            end_on_non_working_day=_enum(
                f, "end_on_non_working_day", EndDayRule, "end_on_non_working_day", EndDayRule.KEEP
            ),
            alternatives=alternatives,
            extensions=extensions,
            extension_status=ext_status,
            effective_from=effective_from,
            effective_to=effective_to,
            confidence=confidence,
            source=source,
            unverified=unverified,
            notes=tuple(got(f.strings("notes", limit=NOTE_MAX))),
            citations=self.citations(f, bool(f.get("article"))),
        )

    def term(
        self, f: Fields, status: Status
    ) -> tuple[Term | None, StartEvent | None, RegistrationLag | None]:
        """Read the term, its start event and the registration lag (only rules with a term)."""
        if status not in (Status.STATUTORY, Status.GUIDANCE):
            for key in ("term", "start", "registration_lag", "alternatives", "extensions"):
                if f.has(key):
                    raise f.error(
                        key, "a {status} rule has no {name}", status=status.value, name=key
                    )
            return None, None, None
        if not f.has("term"):
            raise f.error("term", "a {status} rule needs a term", status=status.value)
        term = _term(f, "term", "term")
        start = _enum(f, "start", StartEvent, "start event")
        if not f.has("registration_lag"):
            return term, start, None
        if not start.needs_registration:
            raise f.error(
                "registration_lag", "registration_lag needs a start counted from registration"
            )
        sub = f.sub("registration_lag", f.get("registration_lag"), {"amount", "unit", "source"})
        amount = got(sub.integer("amount", required=True, minimum=0))
        lag_term = Term(amount, _enum(sub, "unit", Unit, "unit"))
        if lag_term.unit is Unit.MONTHS:
            raise sub.error("unit", "registration_lag must be in days")
        return term, start, RegistrationLag(lag_term, _text(sub, "source"))

    def extension_status(
        self,
        f: Fields,
        status: Status,
        extensions: tuple[Extension, ...],
        unverified: tuple[Unverified, ...],
    ) -> ExtensionStatus:
        """Read ``extension_status``, which only rules without extensions have."""
        flagged = any(u.field == "extension" for u in unverified)
        if extensions:
            if f.has("extension_status"):
                raise f.error(
                    "extension_status", "extension_status is only for rules without extensions"
                )
            if any(e.add is None and e.total is None for e in extensions) and not flagged:
                raise f.error(
                    "extensions",
                    "an extension without add or total needs an unverified entry for 'extension'",
                )
            return ExtensionStatus.RULE
        if status is not Status.STATUTORY:
            return _enum(
                f, "extension_status", ExtensionStatus, "extension_status", ExtensionStatus.NONE
            )
        if not f.has("extension_status"):
            raise f.error(
                "extension_status", "a statutory rule needs extensions or an extension_status"
            )
        ext_status = _enum(f, "extension_status", ExtensionStatus, "extension_status")
        if ext_status is ExtensionStatus.RULE:
            raise f.error("extension_status", "extension_status 'rule' needs [[rules.extensions]]")
        if ext_status is ExtensionStatus.UNVERIFIED and not flagged:
            raise f.error(
                "extension_status", "extension_status 'unverified' needs an unverified 'extension'"
            )
        return ext_status

    def effective(self, f: Fields) -> tuple[date | None, date | None]:
        """Read the days the rule is in force from and to."""
        effective_from = _day(f, "effective_from")
        effective_to = _day(f, "effective_to")
        if effective_from and effective_to and effective_from > effective_to:
            raise f.error(
                "effective_from",
                "effective_from {start} is after effective_to {end}",
                start=effective_from,
                end=effective_to,
            )
        return effective_from, effective_to

    def citations(self, f: Fields, has_article: bool) -> tuple[tuple[str, Citation], ...]:
        """Read ``citation``: the law and article as letters in other languages cite them."""
        table = f.table("citation") or {}
        out = []
        for language, entry in sorted(table.items()):
            path = f"citation.{language}"
            if not _LANGUAGE_RE.fullmatch(language) or not isinstance(entry, dict):
                raise f.error(path, "must be a table under a language code")
            sub = f.sub(path, entry, {"law", "article"})
            law = _text(sub, "law")
            article = _text(sub, "article", required=has_article)
            if article and not has_article:
                raise sub.error("article", "cites an article the rule does not name")
            out.append((language, Citation(law, article)))
        return tuple(out)

    def alternative(self, f: Fields) -> Alternative:
        """Read one ``[[rules.alternatives]]`` entry."""
        code = _text(f, "code")
        if not _ID_RE.match(code):
            raise f.error(
                "code", "alternative code {value} must be lower-case with hyphens", value=repr(code)
            )
        return Alternative(code, _term(f, "term", "alternative term"), _text(f, "condition"))

    def extension(self, f: Fields) -> Extension:
        """Read one ``[[rules.extensions]]`` entry."""
        if f.has("add") and f.has("total"):
            raise f.error(None, "an extension has either add or total, not both")
        return Extension(
            condition=_text(f, "condition"),
            article=_text(f, "article", required=False),
            add=_term(f, "add", "extension add") if f.has("add") else None,
            total=_term(f, "total", "extension total") if f.has("total") else None,
            notice_before=(
                _term(f, "notice_before", "notice_before") if f.has("notice_before") else None
            ),
        )

    def unverified(self, f: Fields) -> Unverified:
        """Read one ``unverified`` entry: a field of the rule and what is not verified."""
        field = _text(f, "field")
        if field not in UNVERIFIED_FIELDS:
            known = ", ".join(sorted(UNVERIFIED_FIELDS))
            raise f.error(
                "field",
                "unknown unverified field {value} (known: {known})",
                value=repr(field),
                known=known,
            )
        return Unverified(field, _text(f, "text"))

    def check_overlaps(self, rules: list[Rule]) -> None:
        """Refuse two rules of one country and kind in force on the same day."""
        groups: dict[tuple[str, str | None], list[Rule]] = {}
        for rule in rules:
            groups.setdefault((rule.country, rule.kind), []).append(rule)
        for group in groups.values():
            ordered = sorted(group, key=lambda r: r.effective_from or date.min)
            for earlier, later in zip(ordered, ordered[1:], strict=False):
                end = earlier.effective_to or date.max
                begin = later.effective_from or date.min
                if begin <= end:
                    raise self.fields({}, later.id, frozenset()).error(
                        "effective_from",
                        "effective dates overlap with rule {other} for the same country and kind",
                        other=repr(earlier.id),
                    )


def translatable_texts(data: Mapping[str, Any]) -> list[str]:
    """Return every user-facing text of a parsed rules file, in file order, without repeats.

    These are the strings the Babel extractor (``letterkit.deadlines.babel_extract``) yields.
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


def _parse(data: bytes, path: str) -> RuleBook:
    """Read a rules file's bytes; the first problem is a :class:`RuleFileError`."""
    try:
        parsed = parse_toml(data, path)
        return _Reader(path).book(parsed, hashlib.sha256(data).hexdigest()[:12])
    except TomlDataError as exc:
        raise RuleFileError.from_problem(exc.first) from None


@lru_cache(maxsize=1)
def _default_book() -> RuleBook:
    """The package's ``rules.toml``, read once."""
    ref = resources.files("letterkit.deadlines").joinpath(DEFAULT_RULES)
    return _parse(ref.read_bytes(), f"letterkit/deadlines/{DEFAULT_RULES}")


def load_rules(path: str | Path | None = None) -> RuleBook:
    """Load and validate the rules; without a path, the package's ``rules.toml`` (cached)."""
    if path is None:
        return _default_book()
    file = Path(path)
    return _parse(file.read_bytes(), str(file))
