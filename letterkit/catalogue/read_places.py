"""Reading the catalogue's languages, countries and sources (shipped data only)."""

from __future__ import annotations

from letterkit.catalogue.entry_reader import (
    COUNTRY_CODE_RE,
    LANGUAGE_CODE_RE,
    M_BAD_CODE,
    M_SUBDIV_WITHOUT_CODE,
    M_UNKNOWN_KIND,
    Context,
    EntryReader,
)
from letterkit.catalogue.holders import NAME_SLOT, read_form_texts
from letterkit.catalogue.model import Country, Language, Source, Texts
from letterkit.catalogue.scripts import SCRIPT_NAMES
from letterkit.catalogue.vocabulary import (
    AUTHORITY_KINDS,
    COUNTRY_KINDS,
    REQUIRED_LANGUAGES,
    SOURCE_KINDS,
)
from letterkit.tomldata import M_UNKNOWN_LANGUAGE, NOTE_MAX, Problem

# -- languages ---------------------------------------------------------------------------------

LANGUAGE_FIELDS = frozenset(
    {
        "code",
        "name",
        "autonym",
        "letter_template",
        "neutral_form",
        "salutation_with_name",
        "script",
    }
)
M_NAME_SLOT = "must contain {slot}, where the holder's name goes"
M_UNKNOWN_SCRIPT = "unknown script {script!r}: use one of {known}"


def read_language(raw: object, ctx: Context) -> tuple[Language | None, list[Problem]]:
    """Read a ``[[language]]`` entry."""
    r = EntryReader(raw, LANGUAGE_FIELDS, ctx)
    code = r.text("code", required=True, limit=3)
    if code is not None and not LANGUAGE_CODE_RE.match(code):
        r.add("code", M_UNKNOWN_LANGUAGE, lang=code)
    names = r.languages("name", required=REQUIRED_LANGUAGES)
    autonym = r.text("autonym", required=True)
    template = r.flag("letter_template", default=False)
    neutral = r.flag("neutral_form", default=True)
    named = _read_named_salutations(r)
    script = r.text("script", required=True, limit=4)
    if script is not None and script not in SCRIPT_NAMES:
        r.add("script", M_UNKNOWN_SCRIPT, script=script, known=", ".join(SCRIPT_NAMES))
    if (
        r.problems
        or code is None
        or names is None
        or autonym is None
        or template is None
        or script is None
    ):
        return None, r.problems
    assert neutral is not None and named is not None
    language = Language(code, Texts.of(names, "en"), autonym, template, neutral, named, script)
    return language, []


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
    r = EntryReader(raw, SOURCE_FIELDS, ctx)
    slug = r.slug(required=True)
    kind = r.kind("kind", SOURCE_KINDS, required=True)
    names = r.languages("name", required=REQUIRED_LANGUAGES if ctx.strict else ())
    description = r.text("description", required=True, limit=NOTE_MAX, multiline=True)
    cited_in = r.strings("cited_in")
    if r.problems or None in (slug, kind, names, description, cited_in):
        return None, r.problems
    assert slug and kind and names and description is not None and cited_in is not None
    return Source(slug, kind, Texts.of(names, "en"), description, tuple(cited_in)), []
