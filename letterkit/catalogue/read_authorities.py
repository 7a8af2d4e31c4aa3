"""Reading the catalogue's authorities and their contacts, and groups' own authorities."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from letterkit.catalogue.entry_reader import (
    EMAIL_RE,
    M_BAD_EMAIL,
    M_BAD_WEB,
    M_HOST_REQUIRED,
    M_HOST_SAME,
    M_NOTE_FOR_UNVERIFIED,
    M_PARENT_COUNTRY,
    M_SOURCE_FOR_VERIFIED,
    M_TAKEN,
    M_UNKNOWN_AUTHORITY,
    WEB_RE,
    Context,
    EntryReader,
    primary,
    unique,
)
from letterkit.catalogue.holders import FORMS, default_text, read_form_texts
from letterkit.catalogue.model import Authority, Contact, Country, Texts
from letterkit.catalogue.vocabulary import (
    AUTHORITY_KINDS,
    CONTACT_KINDS,
    MISSION_KINDS,
    ORIGINAL_LANGUAGE,
)
from letterkit.tomldata import ADDRESSEE_MAX, M_MISSING_LANGUAGE, NOTE_MAX, Problem, read_reviews

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
        "review",
    }
)
CONTACT_FIELDS = frozenset({"kind", "value", "verified", "source", "note"})


def read_authority(
    raw: object, ctx: Context, *, taken: Collection[str] = ()
) -> tuple[Authority | None, list[Problem]]:
    """Read an ``[[authority]]`` entry, or a group's authority in the same shape."""
    raw, form_tables = _split_salutations(raw)
    r = EntryReader(raw, AUTHORITY_FIELDS, ctx)
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
    resolved_letter = letter_language or (country.letter_language if country else ORIGINAL_LANGUAGE)

    names, short_names, addressees, salutations = _read_texts(r, country, own, resolved_letter)
    salutation_forms = _read_salutation_forms(r, form_tables)
    reviews = read_reviews(r, "review", ctx.known_languages) or {}
    city = r.text("city")
    seat_subdiv = r.text("seat_subdiv", limit=20)
    parent = _read_parent(r, country_code)
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
    main = primary(own, (resolved_letter,), addressees)
    return (
        Authority(
            slug=slug,
            country=country_code,
            kind=kind,
            names=Texts.of(names, primary(own, (resolved_letter, ORIGINAL_LANGUAGE), names)),
            addressees=Texts.of(addressees, main),
            salutations=Texts.of(salutations, primary(main, (), salutations)),
            letter_language=resolved_letter,
            verified=verified,
            source=source,
            note=note,
            short_names=Texts.of(short_names, primary(own, (resolved_letter,), short_names))
            if short_names
            else None,
            host_country=host,
            city=city,
            seat_subdiv=seat_subdiv,
            parent=parent,
            contacts=tuple(contacts),
            origin="shipped" if strict else "group",
            salutation_forms=salutation_forms,
            reviews=tuple(reviews.items()),
        ),
        [],
    )


_Texts = dict[str, str] | None


def _read_texts(
    r: EntryReader, country: Country | None, own: str | None, resolved_letter: str
) -> tuple[_Texts, _Texts, _Texts, _Texts]:
    """Read the names, short names, addressee lines and salutations by language."""
    needed_names: list[str] = []
    needed_lines: list[str] = []
    if r.ctx.strict and country is not None:
        needed_names = [
            ORIGINAL_LANGUAGE,
            *(country.official_languages if country.is_state else ()),
        ]
        needed_lines = [*r.ctx.required_languages, country.letter_language, resolved_letter]
    names = r.languages("name", required=unique(needed_names), plain_language=own)
    short_names = r.languages("short_name", at_least_one=False, plain_language=own)
    addressees = r.languages(
        "addressee",
        required=unique(needed_lines),
        limit=ADDRESSEE_MAX,
        multiline=True,
        plain_language=own,
    )
    salutations = r.languages("salutation", required=unique(needed_lines), plain_language=own)
    if addressees and salutations:
        for lang in addressees:
            if lang not in salutations and lang not in needed_lines:
                r.add(f"salutation.{lang}", M_MISSING_LANGUAGE, lang=lang)
        for lang in salutations:
            if lang not in addressees and lang not in needed_lines:
                r.add(f"addressee.{lang}", M_MISSING_LANGUAGE, lang=lang)
    return names, short_names, addressees, salutations


def _split_salutations(raw: object) -> tuple[object, dict[str, Mapping[str, Any]]]:
    """Take the salutations that differ by form (``salutation.ru = { male = …, female = … }``)
    out of ``raw``, leaving their default text in their place for the usual checks."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("salutation"), Mapping):
        return raw, {}
    plain: dict[str, Any] = {}
    tables: dict[str, Mapping[str, Any]] = {}
    for lang, value in raw["salutation"].items():
        if isinstance(value, Mapping):
            tables[lang] = value
            texts = {f: v for f, v in value.items() if f in FORMS and isinstance(v, str)}
            plain[lang] = default_text(texts) if texts else None
        else:
            plain[lang] = value
    return {**raw, "salutation": plain}, tables


def _read_salutation_forms(
    r: EntryReader, tables: Mapping[str, Mapping[str, Any]]
) -> tuple[tuple[str, str, str], ...]:
    """Check the salutations by form and return them as ``((lang, form, text), …)``."""
    found: list[tuple[str, str, str]] = []
    for lang, table in tables.items():
        texts = read_form_texts(r, f"salutation.{lang}", table)
        if texts is not None and lang in r.ctx.known_languages:
            found.extend((lang, form, text) for form, text in texts.items())
    return tuple(found)


def _read_parent(r: EntryReader, country_code: str | None) -> str | None:
    """Read the parent authority (a group's entry: checked here; shipped: after loading)."""
    parent = r.slug("parent", required=False)
    if parent is not None and not r.ctx.strict:
        parent_entry = r.ctx.authorities.get(parent)
        if parent_entry is None:
            r.add("parent", M_UNKNOWN_AUTHORITY, slug=parent)
        elif country_code and parent_entry.country != country_code:
            r.add("parent", M_PARENT_COUNTRY)
    return parent


def _read_contacts(r: EntryReader) -> list[Contact] | None:
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
