"""Reading the catalogue's languages, countries and sources (shipped data only)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from babel import Locale, UnknownLocaleError

from letterkit.catalogue.entry_reader import (
    COUNTRY_CODE_RE,
    LANGUAGE_CODE_RE,
    M_BAD_CODE,
    M_NO_TEMPLATE,
    M_SUBDIV_WITHOUT_CODE,
    M_UNKNOWN_KIND,
    Context,
    EntryReader,
    unique,
)
from letterkit.catalogue.holders import NAME_SLOT, read_form_texts
from letterkit.catalogue.model import Country, Language, Source, Texts
from letterkit.catalogue.scripts import SCRIPT_NAMES
from letterkit.catalogue.vocabulary import (
    AUTHORITY_KINDS,
    COUNTRY_KINDS,
    ORIGINAL_LANGUAGE,
    SOURCE_KINDS,
)
from letterkit.tomldata import (
    M_REQUIRED,
    M_UNKNOWN_LANGUAGE,
    NOTE_MAX,
    Problem,
    read_review,
)

# -- languages ---------------------------------------------------------------------------------

LANGUAGE_FIELDS = frozenset(
    {
        "code",
        "name",
        "autonym",
        "script",
        "locale",
        "quotes",
        "interface",
        "interface_review",
        "catalogue_required",
        "letter_template",
        "neutral_form",
        "salutation_with_name",
    }
)
M_NAME_SLOT = "must contain {slot}, where the holder's name goes"
# Operator-facing: only the shipped languages.toml can have these problems.
M_BAD_SCRIPT = "must be an ISO 15924 script code such as Latn, Cyrl, Geor or Armn"
M_UNKNOWN_SCRIPT = "unknown script {script!r}: use one of {known}"
M_BAD_LOCALE = "{locale} is not a locale Babel knows"
M_BAD_QUOTES = "must be a list of two quotation marks, the opening and the closing one"
M_REVIEW_NOT_INTERFACE = "only a language with interface = true has an interface translation"
SCRIPT_RE = re.compile(r"^[A-Z][a-z]{3}$")


def read_language(raw: object, ctx: Context) -> tuple[Language | None, list[Problem]]:
    """Read a ``[[language]]`` entry: an entry of the language registry."""
    r = EntryReader(raw, LANGUAGE_FIELDS, ctx)
    code = r.text("code", required=True, limit=3)
    if code is not None and not LANGUAGE_CODE_RE.match(code):
        r.add("code", M_UNKNOWN_LANGUAGE, lang=code)
    names = r.languages("name", required=ctx.name_languages)
    autonym = r.text("autonym", required=True)
    script = r.text("script", required=True, limit=4)
    if script is not None and not SCRIPT_RE.match(script):
        r.add("script", M_BAD_SCRIPT)
    elif script is not None and script not in SCRIPT_NAMES:
        r.add("script", M_UNKNOWN_SCRIPT, script=script, known=", ".join(SCRIPT_NAMES))
    locale = _read_locale(r, code)
    quotes = _read_quotes(r)
    flags = {
        key: r.flag(key, default=key == "neutral_form")
        for key in ("interface", "catalogue_required", "letter_template", "neutral_form")
    }
    named = _read_named_salutations(r)
    interface_review = read_review(r, "interface_review")
    if r.has("interface_review") and not flags["interface"]:
        r.add("interface_review", M_REVIEW_NOT_INTERFACE)
    if r.problems or code is None or names is None or autonym is None or script is None:
        return None, r.problems
    assert locale is not None and quotes is not None and named is not None
    assert interface_review is not None
    return Language(
        code,
        Texts.of(names, ORIGINAL_LANGUAGE),
        autonym,
        bool(flags["letter_template"]),
        bool(flags["neutral_form"]),
        named,
        script=script,
        locale=locale,
        quotes=quotes,
        interface=bool(flags["interface"]),
        catalogue_required=bool(flags["catalogue_required"]),
        interface_review=interface_review,
    ), []


def _read_locale(r: EntryReader, code: str | None) -> str | None:
    """Read ``locale``, a Babel locale identifier (default: the code), checked with Babel."""
    locale = r.text("locale", limit=20) or code
    if locale is None:
        return None
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        r.add("locale", M_BAD_LOCALE, locale=locale)
        return None
    return locale


def _read_quotes(r: EntryReader) -> tuple[str, str] | None:
    """Read ``quotes``: the opening and the closing quotation mark."""
    value = r.get("quotes")
    if value is None:
        r.add("quotes", M_REQUIRED)
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(mark, str) and 0 < len(mark.strip()) <= 2 for mark in value)
    ):
        r.add("quotes", M_BAD_QUOTES)
        return None
    return (value[0].strip(), value[1].strip())


def _read_named_salutations(r: EntryReader) -> tuple[tuple[str, str], ...] | None:
    """Read ``salutation_with_name``: a pattern with ``{name}``, or one per form."""
    if not r.has("salutation_with_name"):
        return ()
    texts = read_form_texts(r, "salutation_with_name", r.raw["salutation_with_name"])
    if texts is None:
        return None
    for form, text in texts.items():
        if NAME_SLOT not in text and not r.reported(f"salutation_with_name.{form}"):
            r.add(f"salutation_with_name.{form}", M_NAME_SLOT, slot=NAME_SLOT)
    return tuple(texts.items())


# -- countries ---------------------------------------------------------------------------------

COUNTRY_FIELDS = frozenset(
    {
        "code",
        "kind",
        "name",
        "official_languages",
        "letter_language",
        "letter_languages",
        "holidays_code",
        "holidays_subdiv",
        "absent_kinds",
        "letter_language_note",
        "note",
    }
)


def read_country(raw: object, ctx: Context) -> tuple[Country | None, list[Problem]]:
    """Read a ``[[country]]`` entry."""
    r = EntryReader(raw, COUNTRY_FIELDS, ctx)
    code = r.text("code", required=True, limit=2)
    if code is not None and not COUNTRY_CODE_RE.match(code):
        r.add("code", M_BAD_CODE)
    kind = r.kind("kind", COUNTRY_KINDS, required=True)
    official = r.strings("official_languages", required=True)
    for index, lang in enumerate(official or ()):
        if lang not in ctx.known_languages:
            r.add(f"official_languages.{index}", M_UNKNOWN_LANGUAGE, lang=lang)
    letter_language = r.language("letter_language", required=True, template=True)
    offered = _read_offered(r, letter_language, official or ())
    needed = list(ctx.required_languages)
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
    if r.problems or None in (code, kind, official, letter_language, names, offered):
        return None, r.problems
    assert code and kind and official and letter_language and names and offered
    missing = tuple(lang for lang in official if lang not in ctx.template_languages)
    return (
        Country(
            code=code,
            kind=kind,
            names=Texts.of(names, ORIGINAL_LANGUAGE),
            official_languages=tuple(official),
            letter_language=letter_language,
            missing_templates=missing,
            holidays_code=holidays_code,
            holidays_subdiv=holidays_subdiv,
            absent_kinds=tuple(absent),
            letter_language_note=letter_note,
            note=note,
            offered_languages=offered,
        ),
        [],
    )


def _read_offered(
    r: EntryReader, default: str | None, official: Sequence[str]
) -> tuple[str, ...] | None:
    """Read ``letter_languages``, the letter languages offered first: each with templates.

    Absent, they are the default, the official languages with templates, then the languages
    every catalogue entry has (``catalogue_required``) that have templates. The default always
    comes first.
    """
    if default is None:
        return None
    ctx = r.ctx
    if r.has("letter_languages"):
        listed = r.strings("letter_languages")
        if listed is None:
            return None
        for index, lang in enumerate(listed):
            if lang not in ctx.known_languages:
                r.add(f"letter_languages.{index}", M_UNKNOWN_LANGUAGE, lang=lang)
            elif lang not in ctx.template_languages:
                r.add(f"letter_languages.{index}", M_NO_TEMPLATE, lang=lang)
    else:
        listed = [*official, *ctx.required_languages]
    templates = ctx.template_languages
    return tuple(unique([default, *(lang for lang in listed if lang in templates)]))


# -- sources -----------------------------------------------------------------------------------

SOURCE_FIELDS = frozenset({"slug", "kind", "name", "description", "cited_in"})


def read_source(raw: object, ctx: Context) -> tuple[Source | None, list[Problem]]:
    """Read a ``[[source]]`` entry: an organisation or document, as the seeds cite it."""
    r = EntryReader(raw, SOURCE_FIELDS, ctx)
    slug = r.slug(required=True)
    kind = r.kind("kind", SOURCE_KINDS, required=True)
    names = r.languages("name", required=ctx.required_languages if ctx.strict else ())
    description = r.text("description", required=True, limit=NOTE_MAX, multiline=True)
    cited_in = r.strings("cited_in")
    if r.problems or None in (slug, kind, names, description, cited_in):
        return None, r.problems
    assert slug and kind and names and description is not None and cited_in is not None
    return Source(slug, kind, Texts.of(names, ORIGINAL_LANGUAGE), description, tuple(cited_in)), []
