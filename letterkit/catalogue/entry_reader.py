"""The reader of one catalogue entry: typed fields checked against what the catalogue knows.

:class:`EntryReader` is the one TOML reader (:class:`letterkit.tomldata.Fields`) plus the checks
that need a :class:`Context`: slugs, languages, countries and kinds. ``Context.strict`` separates
the two uses: shipped data (strict) must be complete; a group's own entry (not strict) needs only
what a letter cannot do without, and may give a plain string with ``language`` saying which.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from letterkit.catalogue.model import Authority, Catalogue, Country, Demand, Language, Source
from letterkit.markers import N_
from letterkit.tomldata import (
    LINE_MAX,
    M_UNKNOWN_LANGUAGE,
    SLUG_MAX,
    Fields,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COUNTRY_CODE_RE = re.compile(r"^[A-Z]{2}$")
LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEB_RE = re.compile(r"^https?://\S+$")

M_BAD_SLUG = N_("Use only lower-case letters, digits and single hyphens.")
M_NO_TEMPLATE = N_("There is no letter template in {lang}.")
M_UNKNOWN_COUNTRY = N_("Unknown country: {code}.")
M_UNKNOWN_KIND = N_("Unknown kind: {kind}.")
M_UNKNOWN_DEMAND = N_("Unknown demand: {slug}.")
M_UNKNOWN_AUTHORITY = N_("Unknown authority: {slug}.")
M_UNKNOWN_SOURCE = N_("Unknown source: {slug}.")
M_TAKEN = N_("{slug} is already used.")
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
    #: Before the languages are read: the codes marked ``interface`` and ``catalogue_required``.
    interface_codes: tuple[str, ...] = ()
    required_codes: tuple[str, ...] = ()

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
        """The language codes entries may use."""
        return self.language_codes if self.language_codes is not None else self.languages

    @property
    def required_languages(self) -> tuple[str, ...]:
        """The languages every shipped name and title is given in (``catalogue_required``)."""
        if not self.languages:
            return self.required_codes
        return tuple(code for code, lang in self.languages.items() if lang.catalogue_required)

    @property
    def name_languages(self) -> tuple[str, ...]:
        """The languages a language's ``name`` is given in: interface and required ones."""
        if not self.languages:
            return tuple(unique([*self.interface_codes, *self.required_codes]))
        return tuple(
            code
            for code, lang in self.languages.items()
            if lang.interface or lang.catalogue_required
        )

    @property
    def template_languages(self) -> tuple[str, ...]:
        """The languages letterkit has letter templates in."""
        return tuple(code for code, lang in self.languages.items() if lang.letter_template)


class EntryReader(Fields):
    """Reads the fields of one raw entry, collecting problems with their field paths."""

    def __init__(
        self,
        raw: object,
        allowed: Collection[str] | None,
        ctx: Context,
        *,
        prefix: str = "",
        parent: Fields | None = None,
    ) -> None:
        self.ctx = ctx
        super().__init__(raw, allowed, prefix=prefix, parent=parent)

    def sub(self, key: str, raw: object, allowed: Collection[str] | None = None) -> EntryReader:
        """Return the reader of a nested table found at ``key``."""
        return EntryReader(raw, allowed, self.ctx, prefix=self.path(key) or "", parent=self)

    def slug(self, key: str = "slug", *, required: bool) -> str | None:
        """Read a slug: lower-case letters, digits and single hyphens."""
        value = self.text(key, required=required, limit=SLUG_MAX)
        if value is not None and not SLUG_RE.match(value):
            self.add(key, M_BAD_SLUG)
            return None
        return value

    def language(self, key: str, *, required: bool = False, template: bool = False) -> str | None:
        """Read a known language code (with ``template``: one letterkit has templates in)."""
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
        """Read the code of a country in the catalogue."""
        value = self.text(key, required=required)
        if value is None:
            return None
        if value not in self.ctx.countries:
            if value not in self.ctx.broken:
                self.add(key, M_UNKNOWN_COUNTRY, code=value)
            return None
        return value

    def kind(self, key: str, vocabulary: Mapping[str, str], *, required: bool) -> str | None:
        """Read a kind from ``vocabulary``."""
        value = self.text(key, required=required, limit=40)
        if value is not None and value not in vocabulary:
            self.add(key, M_UNKNOWN_KIND, kind=value)
            return None
        return value

    def kinds(self, key: str, vocabulary: Mapping[str, str]) -> list[str] | None:
        """Read a list of kinds from ``vocabulary``."""
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
        """Read a table of texts by known language; a group's entry may give a plain string."""
        return self.texts(
            key,
            self.ctx.known_languages,
            required=required,
            at_least_one=at_least_one,
            limit=limit,
            multiline=multiline,
            plain=not self.ctx.strict,
            plain_language=plain_language,
        )


def primary(explicit: str | None, preferred: Iterable[str], texts: Mapping[str, str]) -> str:
    """The language a set of texts is primarily in: ``explicit``, else the first preferred."""
    for lang in (explicit, *preferred):
        if lang and lang in texts:
            return lang
    return next(iter(texts))


def unique(values: Iterable[str]) -> list[str]:
    """``values`` without repeats, in order."""
    return list(dict.fromkeys(values))
