"""A template's metadata: reading ``letter_templates/<slug>/template.toml`` into a spec.

The file is read with the one TOML reader (:mod:`letterkit.tomldata`), failing fast: the first
problem becomes a :class:`~letterkit.documents.errors.TemplateError` naming the template, the
file and the dotted field path (``fields.1.type: must be one of …``); a TOML syntax error also
names the line. The keys are described in ``letter_templates/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from letterkit.documents.errors import LetterValidationError, TemplateError
from letterkit.documents.locales import get_locale, languages
from letterkit.documents.model import (
    KINDS,
    Addressee,
    Annex,
    DemandText,
    LetterContext,
    Sender,
    Signer,
)
from letterkit.documents.text import MAX_LINE, MAX_TEXTAREA, clean_line, clean_text
from letterkit.markers import N_
from letterkit.tomldata import (
    DRAFT,
    M_LISTED_TWICE,
    NOTE_MAX,
    Fields,
    Review,
    TomlDataError,
    got,
    load_toml,
    read_reviews,
)

__all__ = ["FIELD_TYPES", "SPEC_FILE", "FieldSpec", "TemplateSpec", "read_spec"]

#: the name of a template's metadata file in its folder
SPEC_FILE = "template.toml"

FIELD_TYPES: Mapping[str, str] = types.MappingProxyType(
    {
        "text": N_("Text"),
        "textarea": N_("Long text"),
        "date": N_("Date"),
        "integer": N_("Whole number"),
    }
)

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_INT = re.compile(r"^[+-]?\d{1,12}$")
_MAX_INT = 10**12

# Operator-facing: only the files of the templates folder can have these problems.
M_NOT_ONE_OF = "must be one of {known}, not {value}"
M_NOT_IDENTIFIER = "must be a lower-case identifier, not {value}"


@dataclass(frozen=True)
class FieldSpec:
    """An extra field a template asks for (declared in its ``template.toml``)."""

    name: str
    type: str
    required: bool
    labels: Mapping[str, str]
    help: Mapping[str, str]
    max_length: int | None = None

    def label(self, lang: str) -> str:
        """The field's label in ``lang``, falling back to English, then to its name."""
        return self.labels.get(lang) or self.labels.get("en") or self.name

    def coerce(self, value: object) -> object:
        """Validate and convert one submitted value; ``None``/empty means absent."""
        field = f"fields.{self.name}"
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise LetterValidationError(N_("{field} is required."), field=field)
            return "" if self.type in ("text", "textarea") else None
        if self.type == "text":
            return clean_line(value, field=field, limit=self.max_length or MAX_LINE)
        if self.type == "textarea":
            text = clean_text(value, field=field, limit=self.max_length or MAX_TEXTAREA)
            return text.strip()
        if self.type == "date":
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str):
                try:
                    return dt.date.fromisoformat(value.strip())
                except ValueError:
                    pass
            raise LetterValidationError(
                N_("{field} must be a date (YYYY-MM-DD)."), field=field, value=str(value)[:40]
            )
        # integer
        if isinstance(value, bool):
            value = None
        if isinstance(value, str) and _INT.match(value.strip()):
            value = int(value.strip())
        if isinstance(value, int) and abs(value) < _MAX_INT:
            return value
        raise LetterValidationError(N_("{field} must be a whole number."), field=field)


@dataclass(frozen=True)
class TemplateSpec:
    """A template folder: metadata from ``template.toml`` and the languages it has files for."""

    slug: str
    kind: str
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    fields: tuple[FieldSpec, ...]
    languages: tuple[str, ...]
    sample: Mapping[str, Any]
    path: Path
    #: Review status of each language's wording (``[review]``; absent: a draft translation).
    reviews: Mapping[str, Review] = dataclass_field(default_factory=dict)

    def review(self, lang: str) -> Review:
        """The review status of the template's wording in ``lang``."""
        return self.reviews.get(lang, DRAFT)

    def title(self, lang: str) -> str:
        """The template's title in ``lang`` (English if missing)."""
        return self.titles.get(lang) or self.titles.get("en") or self.slug

    def field(self, name: str) -> FieldSpec:
        """The declared field called ``name``."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def coerce_fields(self, values: Mapping[str, object]) -> dict[str, object]:
        """Check ``values`` against the declared fields: required ones present, types right."""
        known = {f.name for f in self.fields}
        unknown = sorted(set(values) - known)
        if unknown:
            raise LetterValidationError(
                N_("{field} is not a field of template {slug}."),
                field=f"fields.{unknown[0]}",
                slug=self.slug,
            )
        return {f.name: f.coerce(values.get(f.name)) for f in self.fields}

    def sample_context(self, lang: str) -> LetterContext:
        """The sample data of ``template.toml`` for ``lang``, as a :class:`LetterContext`."""
        sample = dict(self.sample)
        per_lang = sample.get(lang)
        if not isinstance(per_lang, dict):
            raise TemplateError(
                N_("no sample data for this language"), slug=self.slug, filename="template.toml"
            )
        fields = dict(sample.get("fields", {}))
        fields.update(per_lang.get("fields", {}))
        annex = None
        annex_data = per_lang.get("annex", sample.get("annex"))
        if isinstance(annex_data, dict):
            loc = get_locale(lang)
            annex = Annex(
                title=annex_data.get("title", loc.annex_default_title),
                columns=tuple(annex_data.get("columns", loc.annex_columns)),
                rows=tuple(tuple(r) for r in annex_data.get("rows", ())),
            )
        return LetterContext(
            sender=Sender(**per_lang["sender"]),
            addressee=Addressee(**per_lang["addressee"]),
            signer=Signer(**per_lang["signer"]),
            demands=tuple(DemandText(**d) for d in per_lang.get("demands", ())),
            date=sample.get("date", dt.date(2019, 6, 26)),
            reference=per_lang.get("reference", sample.get("reference")),
            place=per_lang.get("place", ""),
            fields=fields,
            annex=annex,
        )


def read_spec(slug: str, path: Path) -> TemplateSpec:
    """Read the ``template.toml`` at ``path`` of the template ``slug``.

    The first problem is a :class:`TemplateError` naming the file and the field (and the line,
    for a TOML syntax error). A title's language counts when the folder has its ``.j2`` file.
    """
    file = f"{slug}/{SPEC_FILE}"
    try:
        f = Fields(load_toml(path, file), file=file, fail_fast=True)
        known = languages()
        kind = _choice(f, "kind", KINDS)
        titles = got(f.texts("title", known))
        fields = _fields(f, known)
        descriptions = _optional_texts(f, "description", known)
        sample = f.table("sample") or {}
        reviews = got(read_reviews(f, "review", known))
    except TomlDataError as exc:
        raise TemplateError.from_problem(exc.first, slug=slug, filename=SPEC_FILE) from None
    return TemplateSpec(
        slug=slug,
        kind=kind,
        titles=types.MappingProxyType(titles),
        descriptions=types.MappingProxyType(descriptions),
        fields=fields,
        languages=tuple(
            sorted(
                p.stem
                for p in path.parent.glob("*.j2")
                if re.fullmatch(r"[a-z]{2}", p.stem) and p.stem in titles
            )
        ),
        sample=types.MappingProxyType(dict(sample)),
        path=path.parent,
        reviews=types.MappingProxyType(reviews),
    )


def _choice(f: Fields, key: str, allowed: Collection[str]) -> str:
    """Read a required one-line text that must be one of ``allowed``."""
    value = got(f.text(key, required=True, limit=64))
    if value not in allowed:
        raise f.error(key, M_NOT_ONE_OF, known=", ".join(allowed), value=repr(value))
    return value


def _optional_texts(f: Fields, key: str, known: Collection[str]) -> dict[str, str]:
    """Read an optional table of texts by language (a description, a hint)."""
    return got(f.texts(key, known, at_least_one=False, limit=NOTE_MAX, multiline=True))


def _fields(f: Fields, known: Collection[str]) -> tuple[FieldSpec, ...]:
    """Read the ``[[fields]]`` a template asks for, in form order; names are unique."""
    out: list[FieldSpec] = []
    for path, raw in got(f.tables("fields")):
        sub = f.sub(path, raw)
        name = got(sub.text("name", required=True, limit=64))
        if not _NAME.match(name):
            raise sub.error("name", M_NOT_IDENTIFIER, value=repr(name))
        if any(spec.name == name for spec in out):
            raise sub.error("name", M_LISTED_TWICE, value=name)
        out.append(
            FieldSpec(
                name=name,
                type=_choice(sub, "type", FIELD_TYPES),
                required=sub.flag("required") is True,
                labels=types.MappingProxyType(got(sub.texts("label", known))),
                help=types.MappingProxyType(_optional_texts(sub, "help", known)),
                max_length=sub.integer("max_length", minimum=1),
            )
        )
    return tuple(out)
