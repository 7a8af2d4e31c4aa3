"""Reading and checking catalogue entries: one set of rules for shipped data and groups' entries.

Every ``read_*`` function takes one raw entry (a table from a TOML file, or a group's form data in
the same shape), checks it against a ``Context`` (what is already known: languages, countries,
sources, demands, authorities) and returns the record, or None, with the problems found.

``Context.strict`` separates the two uses. Shipped data (strict) must be complete: slugs,
addressee lines and salutations in English, Russian and the letter language of the country,
names in the country's official languages, a source for everything and a note on whatever is not
verified. A group's own entry (not strict) needs only what a letter cannot do without: for an
authority a name, a country, a kind and one addressee line with its salutation in one language;
for a demand a title and a text in one language. Other letter languages are never
machine-translated: ``Authority.addressee(lang)`` falls back to the entry's own language and says
so (see ``letterkit.catalogue.model``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from letterkit.catalogue.errors import CatalogueError, Problem
from letterkit.catalogue.model import (
    Authority,
    Catalogue,
    Citation,
    Contact,
    Country,
    Demand,
    DemandSet,
    Language,
    Origin,
    Source,
    Texts,
)
from letterkit.catalogue.vocabulary import (
    AUTHORITY_KINDS,
    CONTACT_KINDS,
    COUNTRY_KINDS,
    MISSION_KINDS,
    REQUIRED_LANGUAGES,
    SOURCE_KINDS,
)
from letterkit.markers import N_
from letterkit.textchars import has_forbidden

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COUNTRY_CODE_RE = re.compile(r"^[A-Z]{2}$")
LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEB_RE = re.compile(r"^https?://\S+$")

# Length limits, in characters.
SLUG_MAX = 80
LINE_MAX = 300
ADDRESSEE_MAX = 600
TEXT_MAX = 4000
NOTE_MAX = 2000

# Messages. Those a group may see are marked for translation.
M_REQUIRED = N_("This is required.")
M_TEXT = N_("This must be text.")
M_BOOL = N_("This must be true or false.")
M_LIST = N_("This must be a list.")
M_TABLE = N_("This must be a table of fields.")
M_LANG_TABLE = N_("This must be a table of texts by language.")
M_DATE = N_("This must be a date (YYYY-MM-DD).")
M_TOO_LONG = N_("This is too long: at most {limit} characters.")
M_ONE_LINE = N_("This must fit on one line.")
M_BAD_CHARACTERS = N_("This contains characters that cannot be used in a letter.")
M_BAD_SLUG = N_("Use only lower-case letters, digits and single hyphens.")
M_UNKNOWN_FIELD = N_("Unknown field.")
M_UNKNOWN_LANGUAGE = N_("Unknown language: {lang}.")
M_MISSING_LANGUAGE = N_("Missing the text in {lang}.")
M_NEED_ONE_LANGUAGE = N_("Give this in at least one language.")
M_NO_TEMPLATE = N_("There is no letter template in {lang}.")
M_PLAIN_NEEDS_LANGUAGE = N_("Say which language the texts are written in.")
M_UNKNOWN_COUNTRY = N_("Unknown country: {code}.")
M_UNKNOWN_KIND = N_("Unknown kind: {kind}.")
M_UNKNOWN_DEMAND = N_("Unknown demand: {slug}.")
M_UNKNOWN_AUTHORITY = N_("Unknown authority: {slug}.")
M_UNKNOWN_SOURCE = N_("Unknown source: {slug}.")
M_TAKEN = N_("{slug} is already used.")
M_LISTED_TWICE = N_("{value} is listed twice.")
M_EMPTY_LIST = N_("Give at least one.")
M_HOST_REQUIRED = N_("An embassy or consulate needs the country it is in.")
M_HOST_SAME = N_("The host country must differ from the country the mission represents.")
M_BAD_EMAIL = N_("This is not an e-mail address.")
M_BAD_WEB = N_("A web address must start with https:// or http://.")
M_SOURCE_FOR_VERIFIED = N_("Say which source confirms this.")
M_NOTE_FOR_UNVERIFIED = N_("Say what has not been checked.")
M_CITATION = N_("Give the source or its name.")
M_PARENT_COUNTRY = N_("The parent authority belongs to another country.")
# Operator-facing: only shipped data files can have these problems.
M_BAD_CODE = "must be a code of two capital letters"
M_SUBDIV_WITHOUT_CODE = "a holiday subdivision needs a holiday calendar code"
M_SET_DEMAND_LANGUAGE = "demand {slug} has no text in {lang}, the letter language of {country}"
M_KIND_DECLARED_ABSENT = "the country is said to have no {kind}, but {slug} is one"


@dataclass
class Context:
    """What is known while reading an entry, and whether the shipped-data rules apply."""

    languages: Mapping[str, Language]
    countries: Mapping[str, Country] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)
    demands: Mapping[str, Demand] = field(default_factory=dict)
    authorities: Mapping[str, Authority] = field(default_factory=dict)
    strict: bool = True
    #: Slugs and codes of entries that exist but are invalid: references to them are not
    #: reported again (their own problems are).
    broken: set[str] = field(default_factory=set)
    #: Language codes known before the languages are read (the languages file itself).
    language_codes: frozenset[str] | None = None

    @classmethod
    def for_catalogue(cls, catalogue: Catalogue, *, strict: bool = False) -> Context:
        """Return a context holding everything in ``catalogue``."""
        return cls(
            languages=catalogue.languages,
            countries=catalogue.countries,
            sources=catalogue.sources,
            demands=catalogue.demands,
            authorities=catalogue.authorities,
            strict=strict,
        )

    @property
    def known_languages(self) -> Collection[str]:
        return self.language_codes if self.language_codes is not None else self.languages

    @property
    def template_languages(self) -> tuple[str, ...]:
        return tuple(code for code, lang in self.languages.items() if lang.letter_template)


class _Reader:
    """Reads the fields of one raw entry, collecting problems with their field paths."""

    def __init__(self, raw: object, allowed: Collection[str], ctx: Context) -> None:
        self.ctx = ctx
        self.problems: list[Problem] = []
        if isinstance(raw, Mapping):
            self.raw: Mapping[str, Any] = raw
        else:
            self.raw = {}
            self.add(None, M_TABLE)
        for key in self.raw:
            if key not in allowed:
                self.add(str(key), M_UNKNOWN_FIELD)

    def add(self, path: str | None, message: str, **params: object) -> None:
        self.problems.append(Problem.of(path, message, **params))

    def _count(self) -> int:
        return len(self.problems)

    def reported(self, path: str) -> bool:
        """True if a problem was already recorded for the field ``path``."""
        return any(problem.field == path for problem in self.problems)

    def _get(self, key: str) -> Any:
        value = self.raw.get(key)
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def _check_string(self, path: str, value: str, limit: int, multiline: bool) -> None:
        if has_forbidden(value):
            self.add(path, M_BAD_CHARACTERS)
        elif not multiline and ("\n" in value or "\r" in value or "\t" in value):
            self.add(path, M_ONE_LINE)
        if len(value) > limit:
            self.add(path, M_TOO_LONG, limit=limit)

    def text(
        self,
        key: str,
        *,
        required: bool = False,
        limit: int = LINE_MAX,
        multiline: bool = False,
    ) -> str | None:
        value = self._get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
            return None
        if not isinstance(value, str):
            self.add(key, M_TEXT)
            return None
        before = self._count()
        value = value.strip()
        self._check_string(key, value, limit, multiline)
        return value if self._count() == before else None

    def slug(self, key: str = "slug", *, required: bool) -> str | None:
        value = self.text(key, required=required, limit=SLUG_MAX)
        if value is not None and not SLUG_RE.match(value):
            self.add(key, M_BAD_SLUG)
            return None
        return value

    def flag(self, key: str, *, required: bool = False, default: bool = False) -> bool | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
                return None
            return default
        if not isinstance(value, bool):
            self.add(key, M_BOOL)
            return None
        return value

    def day(self, key: str) -> date | None:
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(key, M_DATE)
        return None

    def language(self, key: str, *, required: bool = False, template: bool = False) -> str | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        if value not in self.ctx.known_languages:
            self.add(key, M_UNKNOWN_LANGUAGE, lang=value)
            return None
        if template and value not in self.ctx.template_languages:
            self.add(key, M_NO_TEMPLATE, lang=value)
            return None
        return value

    def country(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        if value not in self.ctx.countries:
            if value not in self.ctx.broken:
                self.add(key, M_UNKNOWN_COUNTRY, code=value)
            return None
        return value

    def kind(self, key: str, vocabulary: Mapping[str, str], *, required: bool) -> str | None:
        value = self.text(key, required=required, limit=40)
        if value is not None and value not in vocabulary:
            self.add(key, M_UNKNOWN_KIND, kind=value)
            return None
        return value

    def strings(self, key: str, *, required: bool = False) -> list[str] | None:
        """Read a list of short strings; duplicates are problems."""
        value = self.raw.get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
                return None
            return []
        if not isinstance(value, list):
            self.add(key, M_LIST)
            return None
        before = self._count()
        seen: set[str] = set()
        out: list[str] = []
        for index, item in enumerate(value):
            path = f"{key}.{index}"
            if not isinstance(item, str) or not item.strip():
                self.add(path, M_TEXT)
                continue
            item = item.strip()
            self._check_string(path, item, LINE_MAX, False)
            if item in seen:
                self.add(path, M_LISTED_TWICE, value=item)
            seen.add(item)
            out.append(item)
        if required and not out and self._count() == before:
            self.add(key, M_EMPTY_LIST)
        return out if self._count() == before else None

    def kinds(self, key: str, vocabulary: Mapping[str, str]) -> list[str] | None:
        values = self.strings(key)
        if values is None:
            return None
        bad = [(i, v) for i, v in enumerate(values) if v not in vocabulary]
        for index, value in bad:
            self.add(f"{key}.{index}", M_UNKNOWN_KIND, kind=value)
        return None if bad else values

    def languages(
        self,
        key: str,
        *,
        required: Iterable[str] = (),
        at_least_one: bool = True,
        limit: int = LINE_MAX,
        multiline: bool = False,
        plain_language: str | None = None,
    ) -> dict[str, str] | None:
        """Read a table of texts by language (``{en = "…", ru = "…"}``).

        Outside strict mode a plain string is accepted as the text in ``plain_language``.
        """
        value = self.raw.get(key)
        if isinstance(value, str) and not value.strip():
            value = None
        needed = list(required)
        if value is None:
            if at_least_one or needed:
                self.add(key, M_REQUIRED)
            return None if (at_least_one or needed) else {}
        if isinstance(value, str) and not self.ctx.strict:
            if plain_language is None:
                if not self.reported("language"):
                    self.add("language", M_PLAIN_NEEDS_LANGUAGE)
                return None
            value = {plain_language: value}
        if not isinstance(value, Mapping):
            self.add(key, M_LANG_TABLE)
            return None
        before = self._count()
        out: dict[str, str] = {}
        reported: set[str] = set()
        for lang, text in value.items():
            path = f"{key}.{lang}"
            if lang not in self.ctx.known_languages:
                self.add(path, M_UNKNOWN_LANGUAGE, lang=lang)
                reported.add(lang)
                continue
            if text is None or (isinstance(text, str) and not text.strip()):
                continue
            if not isinstance(text, str):
                self.add(path, M_TEXT)
                reported.add(lang)
                continue
            text = text.strip()
            checked = self._count()
            self._check_string(path, text, limit, multiline)
            if self._count() != checked:
                reported.add(lang)
            out[lang] = text
        for lang in needed:
            if lang not in out and lang not in reported:
                self.add(f"{key}.{lang}", M_MISSING_LANGUAGE, lang=lang)
        if at_least_one and not out and not reported:
            self.add(key, M_NEED_ONE_LANGUAGE)
        return out if self._count() == before else None

    def table(self, key: str, *, required: bool = False) -> Mapping[str, Any] | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
            return None
        if not isinstance(value, Mapping):
            self.add(key, M_TABLE)
            return None
        return value

    def tables(self, key: str) -> list[tuple[str, Mapping[str, Any]]] | None:
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(key, M_LIST)
            return None
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                self.add(f"{key}.{index}", M_TABLE)
                continue
            out.append((f"{key}.{index}", item))
        return out

    def sub(self, prefix: str, raw: Mapping[str, Any], allowed: Collection[str]) -> _Reader:
        """Return a reader for a nested table whose problems are prefixed with ``prefix``."""
        return _SubReader(self, prefix, raw, allowed)


class _SubReader(_Reader):
    def __init__(
        self, parent: _Reader, prefix: str, raw: Mapping[str, Any], allowed: Collection[str]
    ) -> None:
        self.parent = parent
        self.prefix = prefix
        super().__init__(raw, allowed, parent.ctx)

    def add(self, path: str | None, message: str, **params: object) -> None:
        full = f"{self.prefix}.{path}" if path else self.prefix
        problem = Problem.of(full, message, **params)
        self.problems.append(problem)
        self.parent.problems.append(problem)


def _primary(explicit: str | None, preferred: Iterable[str], texts: Mapping[str, str]) -> str:
    for lang in (explicit, *preferred):
        if lang and lang in texts:
            return lang
    return next(iter(texts))


# -- languages ---------------------------------------------------------------------------------

LANGUAGE_FIELDS = frozenset({"code", "name", "autonym", "letter_template"})


def read_language(raw: object, ctx: Context) -> tuple[Language | None, list[Problem]]:
    """Read a ``[[language]]`` entry."""
    r = _Reader(raw, LANGUAGE_FIELDS, ctx)
    code = r.text("code", required=True, limit=3)
    if code is not None and not LANGUAGE_CODE_RE.match(code):
        r.add("code", M_UNKNOWN_LANGUAGE, lang=code)
    names = r.languages("name", required=REQUIRED_LANGUAGES)
    autonym = r.text("autonym", required=True)
    template = r.flag("letter_template", default=False)
    if r.problems or code is None or names is None or autonym is None or template is None:
        return None, r.problems
    return Language(code, Texts.of(names, "en"), autonym, template), []


# -- countries ---------------------------------------------------------------------------------

COUNTRY_FIELDS = frozenset(
    {
        "code",
        "kind",
        "name",
        "official_languages",
        "letter_language",
        "holidays_code",
        "holidays_subdiv",
        "absent_kinds",
        "letter_language_note",
        "note",
    }
)


def read_country(raw: object, ctx: Context) -> tuple[Country | None, list[Problem]]:
    """Read a ``[[country]]`` entry."""
    r = _Reader(raw, COUNTRY_FIELDS, ctx)
    code = r.text("code", required=True, limit=2)
    if code is not None and not COUNTRY_CODE_RE.match(code):
        r.add("code", M_BAD_CODE)
    kind = r.kind("kind", COUNTRY_KINDS, required=True)
    official = r.strings("official_languages", required=True)
    for index, lang in enumerate(official or ()):
        if lang not in ctx.known_languages:
            r.add(f"official_languages.{index}", M_UNKNOWN_LANGUAGE, lang=lang)
    letter_language = r.language("letter_language", required=True, template=True)
    needed = list(REQUIRED_LANGUAGES)
    if kind == "country":
        needed += [
            lang for lang in official or () if lang not in needed and lang in ctx.known_languages
        ]
    names = r.languages("name", required=needed)
    holidays_code = r.text("holidays_code", limit=2)
    if holidays_code is not None and not COUNTRY_CODE_RE.match(holidays_code):
        r.add("holidays_code", M_BAD_CODE)
    holidays_subdiv = r.text("holidays_subdiv", limit=20)
    if holidays_subdiv is not None and holidays_code is None:
        r.add("holidays_subdiv", M_SUBDIV_WITHOUT_CODE)
    absent: list[tuple[str, str]] = []
    table = r.table("absent_kinds")
    if table is not None:
        sub = r.sub("absent_kinds", table, table.keys())
        for absent_kind in table:
            if absent_kind not in AUTHORITY_KINDS:
                sub.add(absent_kind, M_UNKNOWN_KIND, kind=absent_kind)
                continue
            reason = sub.text(absent_kind, required=True, limit=NOTE_MAX)
            if reason is not None:
                absent.append((absent_kind, reason))
    letter_note = r.text("letter_language_note", limit=NOTE_MAX)
    note = r.text("note", limit=NOTE_MAX)
    if r.problems or None in (code, kind, official, letter_language, names):
        return None, r.problems
    assert code and kind and official and letter_language and names
    missing = tuple(lang for lang in official if lang not in ctx.template_languages)
    return (
        Country(
            code=code,
            kind=kind,
            names=Texts.of(names, "en"),
            official_languages=tuple(official),
            letter_language=letter_language,
            missing_templates=missing,
            holidays_code=holidays_code,
            holidays_subdiv=holidays_subdiv,
            absent_kinds=tuple(absent),
            letter_language_note=letter_note,
            note=note,
        ),
        [],
    )


# -- sources -----------------------------------------------------------------------------------

SOURCE_FIELDS = frozenset({"slug", "kind", "name", "description", "cited_in"})


def read_source(raw: object, ctx: Context) -> tuple[Source | None, list[Problem]]:
    """Read a ``[[source]]`` entry: an organisation or document, as the seeds cite it."""
    r = _Reader(raw, SOURCE_FIELDS, ctx)
    slug = r.slug(required=True)
    kind = r.kind("kind", SOURCE_KINDS, required=True)
    names = r.languages("name", required=REQUIRED_LANGUAGES if ctx.strict else ())
    description = r.text("description", required=True, limit=NOTE_MAX, multiline=True)
    cited_in = r.strings("cited_in")
    if r.problems or None in (slug, kind, names, description, cited_in):
        return None, r.problems
    assert slug and kind and names and description is not None and cited_in is not None
    return Source(slug, kind, Texts.of(names, "en"), description, tuple(cited_in)), []


# -- demands -----------------------------------------------------------------------------------

DEMAND_FIELDS = frozenset(
    {"slug", "title", "text", "rationale", "quote", "sources", "tags", "language"}
)
CITATION_FIELDS = frozenset({"ref", "name", "note"})


def read_demand(
    raw: object, ctx: Context, *, taken: Collection[str] = ()
) -> tuple[Demand | None, list[Problem]]:
    """Read a ``[[demand]]`` entry, or a group's demand in the same shape."""
    r = _Reader(raw, DEMAND_FIELDS, ctx)
    strict = ctx.strict
    slug = r.slug(required=strict)
    if slug is not None and slug in taken:
        r.add("slug", M_TAKEN, slug=slug)
    own = r.language("language")
    needed = REQUIRED_LANGUAGES if strict else ()
    titles = r.languages("title", required=needed, plain_language=own)
    texts = r.languages("text", required=needed, limit=TEXT_MAX, multiline=True, plain_language=own)
    rationales = r.languages(
        "rationale",
        required=("en",) if strict else (),
        at_least_one=strict,
        limit=TEXT_MAX,
        multiline=True,
        plain_language=own,
    )
    quote = r.text("quote", limit=TEXT_MAX, multiline=True)
    citations: list[Citation] = []
    entries = r.tables("sources")
    if entries is not None:
        for path, item in entries:
            sub = r.sub(path, item, CITATION_FIELDS)
            ref = sub.slug("ref", required=False)
            name = sub.text("name")
            note = sub.text("note", limit=NOTE_MAX, multiline=True)
            if ref is not None and ref not in ctx.sources and ref not in ctx.broken:
                sub.add("ref", M_UNKNOWN_SOURCE, slug=ref)
            if ref is None and name is None and not sub.problems:
                sub.add(None, M_CITATION)
            citations.append(Citation(ref, name, note))
        if strict and not entries:
            r.add("sources", M_REQUIRED)
    tags = r.strings("tags")
    for index, tag in enumerate(tags or ()):
        if not SLUG_RE.match(tag):
            r.add(f"tags.{index}", M_BAD_SLUG)
    if r.problems or titles is None or texts is None or rationales is None or tags is None:
        return None, r.problems
    primary = _primary(own, ("en",), texts)
    return (
        Demand(
            slug=slug,
            titles=Texts.of(titles, _primary(own, ("en",), titles)),
            texts=Texts.of(texts, primary),
            rationales=Texts.of(rationales, _primary(own, ("en",), rationales))
            if rationales
            else None,
            quote=quote,
            citations=tuple(citations),
            tags=tuple(tags),
            origin="shipped" if strict else "group",
        ),
        [],
    )


# -- demand sets -------------------------------------------------------------------------------

SET_FIELDS = frozenset(
    {
        "slug",
        "title",
        "description",
        "demands",
        "country",
        "target_kinds",
        "suggested_kinds",
        "origin",
    }
)
ORIGIN_FIELDS = frozenset({"seed", "document", "action", "place", "date", "explicit", "note"})


def read_demand_set(raw: object, ctx: Context) -> tuple[DemandSet | None, list[Problem]]:
    """Read a ``[[set]]`` entry: demands in order, their origin and target kinds."""
    r = _Reader(raw, SET_FIELDS, ctx)
    slug = r.slug(required=True)
    titles = r.languages("title", required=REQUIRED_LANGUAGES if ctx.strict else ())
    descriptions = r.languages("description", at_least_one=False, limit=TEXT_MAX, multiline=True)
    country = r.country("country")
    slugs = r.strings("demands", required=True)
    demands: list[Demand] = []
    for index, demand_slug in enumerate(slugs or ()):
        demand = ctx.demands.get(demand_slug)
        if demand is None:
            if demand_slug not in ctx.broken:
                r.add(f"demands.{index}", M_UNKNOWN_DEMAND, slug=demand_slug)
            continue
        demands.append(demand)
    if ctx.strict and country is not None:
        lang = ctx.countries[country].letter_language
        for index, demand in enumerate(demands):
            if lang not in demand.texts:
                r.add(
                    f"demands.{index}",
                    M_SET_DEMAND_LANGUAGE,
                    slug=demand.slug,
                    lang=lang,
                    country=country,
                )
    targets = r.kinds("target_kinds", AUTHORITY_KINDS)
    suggested = r.kinds("suggested_kinds", AUTHORITY_KINDS)
    origin: Origin | None = None
    table = r.table("origin", required=ctx.strict)
    if table is not None:
        sub = r.sub("origin", table, ORIGIN_FIELDS)
        document = sub.text("document", required=True, limit=NOTE_MAX)
        action = sub.text("action", required=True, limit=NOTE_MAX)
        seed = sub.text("seed", limit=40)
        place = sub.text("place", limit=NOTE_MAX)
        day = sub.day("date")
        explicit = sub.flag("explicit", required=ctx.strict, default=True)
        note = sub.text("note", limit=NOTE_MAX, multiline=True)
        if not sub.problems and document and action and explicit is not None:
            origin = Origin(document, action, seed, place, day, explicit, note)
    if r.problems or None in (slug, titles, descriptions, slugs, targets, suggested):
        return None, r.problems
    assert slug and titles is not None and targets is not None and suggested is not None
    return (
        DemandSet(
            slug=slug,
            titles=Texts.of(titles, "en"),
            demands=tuple(demands),
            origin=origin or Origin(document="", action=""),
            descriptions=Texts.of(descriptions, "en") if descriptions else None,
            country=country,
            target_kinds=tuple(targets),
            suggested_kinds=tuple(suggested),
        ),
        [],
    )


# -- authorities -------------------------------------------------------------------------------

AUTHORITY_FIELDS = frozenset(
    {
        "slug",
        "country",
        "host_country",
        "kind",
        "name",
        "short_name",
        "addressee",
        "salutation",
        "language",
        "letter_language",
        "city",
        "seat_subdiv",
        "parent",
        "contacts",
        "verified",
        "source",
        "note",
    }
)
CONTACT_FIELDS = frozenset({"kind", "value", "verified", "source", "note"})


def read_authority(
    raw: object, ctx: Context, *, taken: Collection[str] = ()
) -> tuple[Authority | None, list[Problem]]:
    """Read an ``[[authority]]`` entry, or a group's authority in the same shape."""
    r = _Reader(raw, AUTHORITY_FIELDS, ctx)
    strict = ctx.strict
    slug = r.slug(required=strict)
    if slug is not None and slug in taken:
        r.add("slug", M_TAKEN, slug=slug)
    country_code = r.country("country", required=True)
    country = ctx.countries.get(country_code) if country_code else None
    kind = r.kind("kind", AUTHORITY_KINDS, required=True)
    host = r.country("host_country")
    if host is not None and host == country_code:
        r.add("host_country", M_HOST_SAME)
    if strict and kind in MISSION_KINDS and host is None and not r.reported("host_country"):
        r.add("host_country", M_HOST_REQUIRED)
    own = r.language("language")
    letter_language = r.language("letter_language", template=True)
    resolved_letter = letter_language or (country.letter_language if country else "en")

    needed_names: list[str] = []
    needed_lines: list[str] = []
    if strict and country is not None:
        needed_names = ["en", *(country.official_languages if country.is_state else ())]
        needed_lines = [*REQUIRED_LANGUAGES, country.letter_language, resolved_letter]
    names = r.languages("name", required=_unique(needed_names), plain_language=own)
    short_names = r.languages("short_name", at_least_one=False, plain_language=own)
    addressees = r.languages(
        "addressee",
        required=_unique(needed_lines),
        limit=ADDRESSEE_MAX,
        multiline=True,
        plain_language=own,
    )
    salutations = r.languages("salutation", required=_unique(needed_lines), plain_language=own)
    if addressees and salutations:
        for lang in addressees:
            if lang not in salutations and lang not in needed_lines:
                r.add(f"salutation.{lang}", M_MISSING_LANGUAGE, lang=lang)
        for lang in salutations:
            if lang not in addressees and lang not in needed_lines:
                r.add(f"addressee.{lang}", M_MISSING_LANGUAGE, lang=lang)
    city = r.text("city")
    seat_subdiv = r.text("seat_subdiv", limit=20)
    parent = r.slug("parent", required=False)
    if parent is not None and not strict:
        parent_entry = ctx.authorities.get(parent)
        if parent_entry is None:
            r.add("parent", M_UNKNOWN_AUTHORITY, slug=parent)
        elif country_code and parent_entry.country != country_code:
            r.add("parent", M_PARENT_COUNTRY)
    contacts = _read_contacts(r)
    verified = r.flag("verified", required=strict, default=False)
    source = r.text("source", required=strict, limit=NOTE_MAX, multiline=True)
    note = r.text("note", limit=NOTE_MAX, multiline=True)
    if verified and source is None and not r.reported("source"):
        r.add("source", M_SOURCE_FOR_VERIFIED)
    if strict and verified is False and note is None and not r.reported("note"):
        r.add("note", M_NOTE_FOR_UNVERIFIED)
    if (
        r.problems
        or country_code is None
        or kind is None
        or names is None
        or addressees is None
        or salutations is None
        or short_names is None
        or contacts is None
        or verified is None
    ):
        return None, r.problems
    primary = _primary(own, (resolved_letter,), addressees)
    return (
        Authority(
            slug=slug,
            country=country_code,
            kind=kind,
            names=Texts.of(names, _primary(own, (resolved_letter, "en"), names)),
            addressees=Texts.of(addressees, primary),
            salutations=Texts.of(salutations, _primary(primary, (), salutations)),
            letter_language=resolved_letter,
            verified=verified,
            source=source,
            note=note,
            short_names=Texts.of(short_names, _primary(own, (resolved_letter,), short_names))
            if short_names
            else None,
            host_country=host,
            city=city,
            seat_subdiv=seat_subdiv,
            parent=parent,
            contacts=tuple(contacts),
            origin="shipped" if strict else "group",
        ),
        [],
    )


def _read_contacts(r: _Reader) -> list[Contact] | None:
    entries = r.tables("contacts")
    if entries is None:
        return None
    before = len(r.problems)
    contacts: list[Contact] = []
    for path, item in entries:
        sub = r.sub(path, item, CONTACT_FIELDS)
        kind = sub.kind("kind", CONTACT_KINDS, required=True)
        value = sub.text("value", required=True, limit=ADDRESSEE_MAX, multiline=kind == "post")
        if value is not None and kind == "email" and not EMAIL_RE.match(value):
            sub.add("value", M_BAD_EMAIL)
        if value is not None and kind == "web" and not WEB_RE.match(value):
            sub.add("value", M_BAD_WEB)
        verified = sub.flag("verified", default=False)
        source = sub.text("source", limit=NOTE_MAX, multiline=True)
        note = sub.text("note", limit=NOTE_MAX, multiline=True)
        if verified and source is None and not sub.reported(f"{path}.source"):
            sub.add("source", M_SOURCE_FOR_VERIFIED)
        if not sub.problems and kind and value and verified is not None:
            contacts.append(Contact(kind, value, verified, source, note))
    return contacts if len(r.problems) == before else None


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


# -- groups' own entries -----------------------------------------------------------------------


def _by_field(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.top_field, []).append(problem)
    return grouped


def check_authority(
    data: Mapping[str, Any], catalogue: Catalogue, *, taken: Collection[str] = ()
) -> dict[str, list[Problem]]:
    """Check a group's own authority; return its problems by top-level field (empty: fine).

    ``data`` has the shape of a catalogue entry. Required: ``name``, ``country``, ``kind``, and
    ``addressee`` with ``salutation`` in at least one language, each either a table by language
    (``{"ru": "Главному врачу …"}``) or a plain string with ``language`` saying which.
    ``taken`` lists slugs already in use. A problem with no field is keyed by ``""``.
    """
    _, problems = read_authority(data, Context.for_catalogue(catalogue), taken=taken)
    return _by_field(problems)


def authority_from_entry(
    data: Mapping[str, Any], catalogue: Catalogue, *, taken: Collection[str] = ()
) -> Authority:
    """Build an ``Authority`` from a group's entry; raise ``CatalogueError`` if it is invalid."""
    authority, problems = read_authority(data, Context.for_catalogue(catalogue), taken=taken)
    if authority is None:
        raise CatalogueError(problems)
    return authority


def check_demand(
    data: Mapping[str, Any], catalogue: Catalogue, *, taken: Collection[str] = ()
) -> dict[str, list[Problem]]:
    """Check a group's own demand; return its problems by top-level field (empty: fine).

    Required: ``title`` and ``text`` in at least one language (tables by language, or plain
    strings with ``language``). Sources may cite catalogue sources (``ref``) or give a ``name``.
    """
    _, problems = read_demand(data, Context.for_catalogue(catalogue), taken=taken)
    return _by_field(problems)


def demand_from_entry(
    data: Mapping[str, Any], catalogue: Catalogue, *, taken: Collection[str] = ()
) -> Demand:
    """Build a ``Demand`` from a group's entry; raise ``CatalogueError`` if it is invalid."""
    demand, problems = read_demand(data, Context.for_catalogue(catalogue), taken=taken)
    if demand is None:
        raise CatalogueError(problems)
    return demand
