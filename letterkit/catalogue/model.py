"""Frozen records of the catalogue: languages, countries, authorities, demands and demand sets.

Texts that exist in several languages are ``Texts``. Asking one for a language never fails while
it holds any text: it answers with a ``Localized`` that says which language it really is in. The
fallback rule, the same everywhere:

1. the language asked for;
2. the entry's own language (the language it was written in: for a shipped authority its letter
   language, for a group's entry the language the group wrote it in);
3. English;
4. the first language the entry was written in.

Nothing is machine-translated: a fallback is shown as it is, flagged by ``Localized.is_fallback``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from letterkit.catalogue.errors import NotInCatalogue
from letterkit.catalogue.vocabulary import (
    AUTHORITY_KINDS,
    CONTACT_KINDS,
    COUNTRY_KINDS,
    MISSION_KINDS,
    ORIGINAL_LANGUAGE,
    UNVERIFIED,
)
from letterkit.tomldata import DRAFT, Review

_V = TypeVar("_V")
_KIND_ORDER = {kind: index for index, kind in enumerate(AUTHORITY_KINDS)}


@dataclass(frozen=True, slots=True)
class Localized:
    """A text in one language, and the language it was asked for."""

    text: str
    lang: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        """True when the text is not in the language asked for."""
        return self.lang != self.requested

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Texts:
    """One text in several languages, with the entry's own language (``primary``)."""

    items: tuple[tuple[str, str], ...]
    primary: str

    @classmethod
    def of(cls, values: Mapping[str, str], primary: str | None = None) -> Texts:
        """Build from a mapping of language code to text.

        ``primary`` is the entry's own language; when it is not among ``values``, English is
        used if present, else the first language.
        """
        if not values:
            raise ValueError("Texts needs at least one language")
        items = tuple(values.items())
        if primary is not None and primary in values:
            own = primary
        else:
            own = ORIGINAL_LANGUAGE if ORIGINAL_LANGUAGE in values else items[0][0]
        return cls(items, own)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the text exists in, in the order they were written."""
        return tuple(lang for lang, _ in self.items)

    def exact(self, lang: str) -> str | None:
        """Return the text in ``lang``, or None: no fallback."""
        for code, text in self.items:
            if code == lang:
                return text
        return None

    def get(self, lang: str) -> Localized:
        """Return the text in ``lang``, or the fallback (see the module docstring)."""
        for candidate in (lang, self.primary, ORIGINAL_LANGUAGE):
            text = self.exact(candidate)
            if text is not None:
                return Localized(text, candidate, lang)
        first_lang, first_text = self.items[0]
        return Localized(first_text, first_lang, lang)

    def as_dict(self) -> dict[str, str]:
        """Return a new dict of language code to text."""
        return dict(self.items)

    def __contains__(self, lang: object) -> bool:
        return any(code == lang for code, _ in self.items)

    def __getitem__(self, lang: str) -> str:
        text = self.exact(lang)
        if text is None:
            raise KeyError(lang)
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(self.languages)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class Language:
    """A language letters or names may be written in."""

    code: str
    names: Texts
    autonym: str
    letter_template: bool
    #: False where the grammar of a salutation must know the holder's form (ru, uk): a letter
    #: in such a language asks for it instead of printing one form for everybody.
    neutral_form: bool = True
    #: The salutation with the holder's name, by form: ``(("female", "Уважаемая {name}!"), …)``.
    named_salutations: tuple[tuple[str, str], ...] = ()
    #: ISO 15924 script code: ``Latn``, ``Cyrl``, ``Geor``, ``Armn``.
    script: str = "Latn"
    #: Babel (CLDR) locale identifier for dates and month names: ``ru``, ``uz_Latn``.
    locale: str = ""
    #: The opening and closing quotation marks: ``("«", "»")``.
    quotes: tuple[str, str] = ("\u201c", "\u201d")
    #: True for a language the interface may be shown in (once its translations exist).
    interface: bool = False
    #: True for a language every shipped catalogue name and title must be given in.
    catalogue_required: bool = False
    #: Who checked the interface's translation into this language: a draft until a native
    #: speaker reviews it (the pages say so while it is one).
    interface_review: Review = DRAFT

    def name(self, lang: str) -> Localized:
        """Return the language's name in ``lang`` (with fallback)."""
        return self.names.get(lang)

    @property
    def babel_locale(self) -> str:
        """The Babel locale identifier of the language (its code when none is given)."""
        return self.locale or self.code

    def label(self, lang: str) -> str:
        """The language as a choice shows it to a reader of ``lang``: "Romanian (română)"."""
        name = self.names.get(lang).text
        name = name[:1].upper() + name[1:]
        if name.casefold() == self.autonym.casefold():
            return name
        return f"{name} ({self.autonym})"

    def quote(self, text: str) -> str:
        """Return ``text`` in the language's quotation marks."""
        return f"{self.quotes[0]}{text}{self.quotes[1]}"

    def named_salutation(self, form: str) -> str | None:
        """Return the pattern of a salutation with the holder's name (``{name}``) for ``form``."""
        return dict(self.named_salutations).get(form)


@dataclass(frozen=True, slots=True)
class Country:
    """A state, or a body that is not a state (the EU, the UN), letters may be addressed to."""

    code: str
    kind: str
    names: Texts
    official_languages: tuple[str, ...]
    letter_language: str
    #: Official languages of the country that have no letter template yet (derived at load).
    missing_templates: tuple[str, ...]
    holidays_code: str | None = None
    holidays_subdiv: str | None = None
    #: Kinds of national authority the country does not have, each with the reason.
    absent_kinds: tuple[tuple[str, str], ...] = ()
    letter_language_note: str | None = None
    note: str | None = None
    #: The letter languages offered first, the default (``letter_language``) first: the
    #: ``letter_languages`` of ``countries.toml``, else the default, the official languages with
    #: templates and the catalogue's required languages (see ``data/README.md``).
    offered_languages: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        """The untranslated label of the kind (``gettext`` it to show it)."""
        return COUNTRY_KINDS[self.kind]

    @property
    def is_state(self) -> bool:
        """True for a country, false for the EU and the UN."""
        return self.kind == "country"

    def name(self, lang: str) -> Localized:
        """Return the country's name in ``lang`` (with fallback)."""
        return self.names.get(lang)

    def absent_reason(self, kind: str) -> str | None:
        """Return why the country has no authority of ``kind``, or None if it should have one."""
        return dict(self.absent_kinds).get(kind)


@dataclass(frozen=True, slots=True)
class Contact:
    """One way to reach an authority: a postal address, an e-mail, a portal, …"""

    kind: str
    value: str
    verified: bool = False
    source: str | None = None
    note: str | None = None

    @property
    def kind_label(self) -> str:
        """The untranslated label of the kind."""
        return CONTACT_KINDS[self.kind]

    @property
    def flag(self) -> str | None:
        """The untranslated "unverified" mark, or None when the contact is verified."""
        return None if self.verified else UNVERIFIED


@dataclass(frozen=True, slots=True)
class Authority:
    """A body letters are addressed to, described by its position, never by a person's name.

    ``country`` is the state the authority belongs to, whose law governs the reply; for an
    embassy or consulate that is the sending state (also available as ``for_country``), and
    ``host_country`` is where the mission sits.
    """

    slug: str | None
    country: str
    kind: str
    names: Texts
    addressees: Texts
    salutations: Texts
    letter_language: str
    verified: bool = False
    source: str | None = None
    note: str | None = None
    short_names: Texts | None = None
    host_country: str | None = None
    city: str | None = None
    seat_subdiv: str | None = None
    parent: str | None = None
    contacts: tuple[Contact, ...] = ()
    #: ``"shipped"`` for the catalogue's own data, ``"group"`` for a group's entry.
    origin: str = "shipped"
    #: Salutations that differ by the holder's form: ``((lang, form, text), …)``;
    #: ``salutations`` holds the text used while the form is not known.
    salutation_forms: tuple[tuple[str, str, str], ...] = ()
    #: Review status of the addressee line and salutation by language (absent: a draft).
    reviews: tuple[tuple[str, Review], ...] = ()

    def review(self, lang: str) -> Review:
        """The review status of the addressee line and salutation in ``lang``."""
        return dict(self.reviews).get(lang, DRAFT)

    @property
    def for_country(self) -> str:
        """The state whose law governs the reply (the same as ``country``)."""
        return self.country

    @property
    def seat_country(self) -> str:
        """The country the authority sits in: the host country for a mission abroad."""
        return self.host_country or self.country

    @property
    def is_mission(self) -> bool:
        """True for an embassy or consulate (or another entry that sits abroad)."""
        return self.kind in MISSION_KINDS or self.host_country is not None

    @property
    def kind_label(self) -> str:
        """The untranslated label of the kind."""
        return AUTHORITY_KINDS[self.kind]

    @property
    def flag(self) -> str | None:
        """The untranslated "unverified" mark, or None when the entry is verified."""
        return None if self.verified else UNVERIFIED

    @property
    def needs_checking(self) -> bool:
        """True when the entry or any of its contacts is not verified."""
        return not self.verified or any(not contact.verified for contact in self.contacts)

    def name(self, lang: str) -> Localized:
        """Return the official name in ``lang`` (with fallback)."""
        return self.names.get(lang)

    def short_name(self, lang: str) -> Localized:
        """Return the short name in ``lang``, or the official name when there is none."""
        return (self.short_names or self.names).get(lang)

    def addressee(self, lang: str) -> Localized:
        """Return the addressee line for a letter in ``lang`` (with fallback, flagged)."""
        return self.addressees.get(lang)

    def salutation(self, lang: str, form: str | None = None) -> Localized:
        """Return the salutation for a letter in ``lang`` (with fallback, flagged), in the
        holder's ``form`` (female, male, neutral) where the entry gives one for it."""
        found = self.salutations.get(lang)
        if form is not None:
            for code, candidate, text in self.salutation_forms:
                if code == found.lang and candidate == form:
                    return Localized(text, found.lang, lang)
        return found

    def contacts_of(self, kind: str) -> tuple[Contact, ...]:
        """Return the contacts of one kind (``post``, ``email``, …)."""
        return tuple(contact for contact in self.contacts if contact.kind == kind)


@dataclass(frozen=True, slots=True)
class Source:
    """An organisation or document a demand cites, as the seeds cite it."""

    slug: str
    kind: str
    names: Texts
    description: str
    cited_in: tuple[str, ...] = ()

    def name(self, lang: str) -> Localized:
        """Return the source's name in ``lang`` (with fallback)."""
        return self.names.get(lang)


@dataclass(frozen=True, slots=True)
class Citation:
    """A demand's reference to a source: a catalogue source, or a name, with what it supports."""

    ref: str | None = None
    name: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Demand:
    """One demand: a short title, the text a letter lists, its rationale and sources.

    A demand's text completes "We call on the authority to …": in English an imperative
    ("Provide …"), in Russian and Ukrainian an infinitive ("Обеспечить …", "Забезпечити …").
    """

    slug: str | None
    titles: Texts
    texts: Texts
    rationales: Texts | None = None
    #: The seed's own wording, kept for provenance when ``texts["en"]`` differs from it.
    quote: str | None = None
    citations: tuple[Citation, ...] = ()
    tags: tuple[str, ...] = ()
    origin: str = "shipped"
    #: Review status of the title and text by language (absent: a draft).
    reviews: tuple[tuple[str, Review], ...] = ()

    def review(self, lang: str) -> Review:
        """The review status of the demand's text in ``lang``."""
        return dict(self.reviews).get(lang, DRAFT)

    def title(self, lang: str) -> Localized:
        """Return the short title in ``lang`` (with fallback)."""
        return self.titles.get(lang)

    def text(self, lang: str) -> Localized:
        """Return the demand's text in ``lang`` (with fallback, flagged)."""
        return self.texts.get(lang)

    def rationale(self, lang: str) -> Localized | None:
        """Return the rationale in ``lang`` (with fallback), or None when there is none."""
        return self.rationales.get(lang) if self.rationales else None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a demand set comes from: which seed, which action, where and when."""

    document: str
    action: str
    seed: str | None = None
    place: str | None = None
    date: date | None = None
    #: True when the seed states these demands as such; false when they are drawn from the
    #: messages of an action that listed no written demands.
    explicit: bool = True
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DemandSet:
    """Demands that go together, in order, with where they come from and whom they address."""

    slug: str
    titles: Texts
    demands: tuple[Demand, ...]
    origin: Origin
    descriptions: Texts | None = None
    country: str | None = None
    #: Kinds of authority the seed says the demands went to.
    target_kinds: tuple[str, ...] = ()
    #: Kinds the catalogue suggests besides, where the seed names none or only some.
    suggested_kinds: tuple[str, ...] = ()

    def title(self, lang: str) -> Localized:
        """Return the set's title in ``lang`` (with fallback)."""
        return self.titles.get(lang)

    def description(self, lang: str) -> Localized | None:
        """Return the set's description in ``lang``, or None."""
        return self.descriptions.get(lang) if self.descriptions else None

    def texts(self, lang: str) -> tuple[Localized, ...]:
        """Return the demands' texts in ``lang``, in order (each with fallback, flagged)."""
        return tuple(demand.text(lang) for demand in self.demands)

    @property
    def slugs(self) -> tuple[str, ...]:
        """The demands' slugs, in order."""
        return tuple(demand.slug or "" for demand in self.demands)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The whole catalogue, with lookups by slug or code. Build it with ``load_catalogue``."""

    data_dir: Path
    languages: Mapping[str, Language]
    countries: Mapping[str, Country]
    sources: Mapping[str, Source]
    demands: Mapping[str, Demand]
    demand_sets: Mapping[str, DemandSet]
    authorities: Mapping[str, Authority]
    #: Where each entry was defined: ``(collection, slug) -> file`` relative to ``data_dir``.
    files: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @property
    def template_languages(self) -> tuple[str, ...]:
        """The languages letter templates exist in (``letter_template = true``)."""
        return tuple(code for code, lang in self.languages.items() if lang.letter_template)

    @property
    def scripts(self) -> tuple[str, ...]:
        """The scripts of the letter languages, in the order they first appear in
        languages.toml (the order a group's name forms are offered and fall back in)."""
        return tuple(dict.fromkeys(lang.script for lang in self.languages.values()))

    def script_of_language(self, code: str) -> str | None:
        """The script letters in language ``code`` are written in (None: unknown language)."""
        language = self.languages.get(code)
        return language.script if language is not None else None

    def language(self, code: str) -> Language:
        """Return the language with ``code``."""
        return _get(self.languages, "language", code)

    def country(self, code: str) -> Country:
        """Return the country (or the EU, the UN) with ``code``."""
        return _get(self.countries, "country", code)

    def authority(self, slug: str) -> Authority:
        """Return the authority with ``slug``."""
        return _get(self.authorities, "authority", slug)

    def demand(self, slug: str) -> Demand:
        """Return the demand with ``slug``."""
        return _get(self.demands, "demand", slug)

    def demand_set(self, slug: str) -> DemandSet:
        """Return the demand set with ``slug``; its ``demands`` are resolved, in order."""
        return _get(self.demand_sets, "demand set", slug)

    def source(self, slug: str) -> Source:
        """Return the source with ``slug``."""
        return _get(self.sources, "source", slug)

    def authorities_for(self, country: str, kind: str | None = None) -> tuple[Authority, ...]:
        """Return the authorities of ``country``'s state (its missions abroad included).

        Sorted by kind (head of state first, as in ``AUTHORITY_KINDS``), then by slug.
        """
        self.country(country)
        found = [
            authority
            for authority in self.authorities.values()
            if authority.country == country and (kind is None or authority.kind == kind)
        ]
        return tuple(sorted(found, key=_authority_order))

    def authorities_in(self, country: str) -> tuple[Authority, ...]:
        """Return the authorities sitting in ``country``: its own, and foreign missions there."""
        self.country(country)
        found = [
            authority
            for authority in self.authorities.values()
            if authority.seat_country == country
        ]
        return tuple(sorted(found, key=_authority_order))

    def sets_for(self, country: str) -> tuple[DemandSet, ...]:
        """Return the demand sets addressed to ``country``, in catalogue order."""
        return tuple(s for s in self.demand_sets.values() if s.country == country)

    def sets_with(self, demand: str) -> tuple[DemandSet, ...]:
        """Return the demand sets that contain the demand ``demand``."""
        return tuple(s for s in self.demand_sets.values() if demand in s.slugs)


def _authority_order(authority: Authority) -> tuple[int, str]:
    return (_KIND_ORDER.get(authority.kind, len(_KIND_ORDER)), authority.slug or "")


def _get(mapping: Mapping[str, _V], what: str, key: str) -> _V:
    try:
        return mapping[key]
    except KeyError:
        raise NotInCatalogue(what, key) from None
