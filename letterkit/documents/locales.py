"""Printed labels and page layout per letter language, read from ``locales.toml``.

The letter language (ru, uk, en) is independent of the interface language: a Russian-speaking
coordinator in London writes an English letter. So these labels are data, not gettext strings.

The file is read once, whole, with the one TOML reader (:mod:`letterkit.tomldata`), failing
fast: a problem is a :class:`~letterkit.tomldata.TomlDataError` naming the file, the language
and the field (``locales.toml: ru: page.margin_top_mm: This must be a whole number.``). It is
shipped with letterkit, so a problem there is a bug, not something a group can cause.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from letterkit.documents.errors import LetterValidationError
from letterkit.markers import N_
from letterkit.tomldata import Fields, got, load_toml

LOCALES_PATH = Path(__file__).with_name("locales.toml")

MM_TO_TWIPS = 1440 / 25.4

#: the fields of ``[<lang>.page]`` that must be given (the page size defaults to A4)
PAGE_MARGINS = ("margin_top_mm", "margin_bottom_mm", "margin_left_mm", "margin_right_mm")
PAGE_KEYS = frozenset({*PAGE_MARGINS, "header_mm", "footer_mm", "width_mm", "height_mm"})

# Operator-facing: only the shipped file can have these problems.
M_TWELVE_MONTHS = "must list the 12 months, not {count}"
M_CODE_POINTS = "must be a range of code points such as 0530-058F, not {value}"

_CODE_POINTS = re.compile(r"([0-9A-F]{4,6})-([0-9A-F]{4,6})")


@dataclass(frozen=True)
class PageSetup:
    """A4 page margins for one letter language, in millimetres."""

    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    header_mm: float
    footer_mm: float

    #: A4 in millimetres
    width_mm: float = 210.0
    height_mm: float = 297.0

    def twips(self, mm: float) -> int:
        """Return ``mm`` millimetres in twentieths of a point (DOCX units), rounded."""
        return round(mm * MM_TO_TWIPS)

    @property
    def text_width_twips(self) -> int:
        """Width between the margins, in twips."""
        return self.twips(self.width_mm - self.margin_left_mm - self.margin_right_mm)


@dataclass(frozen=True)
class LetterLocale:
    """Everything the writers need to know about one letter language."""

    lang: str
    layout: str  # "official" (GOST R 7.0.97, ru/uk) or "business" (English business letter)
    word_lang: str
    draft: str  # printed where a draft's number goes (a blank)
    draft_mark: str  # printed above a draft: it is not the letter to send
    long_date_format: str
    numeric_date_format: str
    months: tuple[str, ...]
    requisites: tuple[str, ...]
    subject_format: str
    annex_note: str
    annex_note_uncounted: str
    stamp_copy_mark: str
    stamp_box_title: str
    stamp_box_fields: tuple[str, ...]
    annex_caption: str
    annex_default_title: str
    annex_title_some: str  # some signers listed by name, {counted} more counted only
    annex_title_all_counted: str  # every signer asked to be counted only
    annex_columns: tuple[str, ...]
    row_number: str
    more_rows: str
    addressee_indent_mm: float
    letterhead_align: str
    page: PageSetup

    def _parts(self, day: dt.date) -> dict[str, object]:
        return {
            "day": day.day,
            "month": self.months[day.month - 1],
            "month_number": day.month,
            "year": day.year,
        }

    def long_date(self, day: dt.date) -> str:
        """Format ``day`` in words: «1 декабря 2011 г.», "1 December 2011"."""
        return self.long_date_format.format(**self._parts(day))

    def numeric_date(self, day: dt.date) -> str:
        """Format ``day`` for the requisites: «01.12.2011»; English keeps "1 December 2011"."""
        return self.numeric_date_format.format(**self._parts(day))

    def reference_text(self, reference: str | None) -> str:
        """The reference number as printed: a blank to fill in when there is none yet."""
        return reference if reference else self.draft

    def annex_line(self, title: str, count: int | None) -> str:
        """The attachments line: the annex named, with its number of rows when known."""
        if count is None:
            return self.annex_note_uncounted.format(title=title)
        return self.annex_note.format(title=title, count=count)

    def requisite_lines(self, *, reference: str | None, day: dt.date, place: str) -> list[str]:
        """The date / number / place lines, in this language's order and wording."""
        date_text = self.numeric_date(day)
        values = {
            "reference": self.reference_text(reference),
            "date": date_text,
            "place": place,
            "dated": f"{place}, {date_text}" if place else date_text,
        }
        lines = []
        for fmt in self.requisites:
            if "{place}" in fmt and not place:
                continue
            lines.append(fmt.format(**values))
        return lines


@dataclass(frozen=True)
class ScriptFont:
    """A script the body font lacks (Georgian, Armenian): its text is written in runs of its
    own in ``font``. ``ranges`` are the script's code points, first and last inclusive."""

    script: str
    font: str
    ranges: tuple[tuple[int, int], ...]

    @property
    def char_class(self) -> str:
        """The script's characters as the inside of a regular-expression class."""
        return "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in self.ranges)


@dataclass(frozen=True)
class Fonts:
    """Font names written into the reference styles, and the scripts set in fonts of their
    own (``[fonts.scripts.<script>]``)."""

    body: str
    east_asia: str
    scripts: tuple[ScriptFont, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every font a letter names for its text: the body font, then the scripts', once."""
        return tuple(dict.fromkeys((self.body, *(script.font for script in self.scripts))))


@dataclass(frozen=True)
class LocaleFile:
    """What ``locales.toml`` holds: the fonts, and the locale of each letter language."""

    fonts: Fonts
    locales: Mapping[str, LetterLocale]


def read_locales(path: Path) -> LocaleFile:
    """Read and check a locales file; the first problem raises :class:`TomlDataError`."""
    file = path.name
    data = load_toml(path, file)
    top = Fields(data, file=file, fail_fast=True)
    font_table = top.sub(
        "fonts", top.table("fonts", required=True), {"body", "east_asia", "scripts"}
    )
    fonts = Fonts(
        body=_line(font_table, "body"),
        east_asia=_line(font_table, "east_asia"),
        scripts=_read_scripts(font_table),
    )
    locales = {
        lang: _read_locale(lang, Fields(raw, file=file, entry=lang, fail_fast=True))
        for lang, raw in data.items()
        if lang != "fonts"
    }
    return LocaleFile(
        fonts=fonts,
        locales=types.MappingProxyType(locales),
    )


def _read_scripts(f: Fields) -> tuple[ScriptFont, ...]:
    """Read ``[fonts.scripts.<script>]``: ``font`` and ``ranges`` ("0530-058F", hexadecimal)."""
    out = []
    scripts = f.sub("scripts", f.table("scripts"))
    for script in scripts.raw:
        sub = scripts.sub(script, scripts.table(script, required=True), {"font", "ranges"})
        ranges = []
        for text in _lines(sub, "ranges"):
            match = _CODE_POINTS.fullmatch(text)
            first, last = (int(match[1], 16), int(match[2], 16)) if match else (1, 0)
            if not first <= last <= 0x10FFFF:
                raise sub.error("ranges", M_CODE_POINTS, value=repr(text))
            ranges.append((first, last))
        out.append(ScriptFont(script, _line(sub, "font"), tuple(ranges)))
    return tuple(out)


def _line(f: Fields, key: str) -> str:
    """Read a required one-line text."""
    return got(f.text(key, required=True))


def _lines(f: Fields, key: str) -> tuple[str, ...]:
    """Read a required, non-empty list of one-line texts."""
    return tuple(got(f.strings(key, required=True)))


def _read_locale(lang: str, f: Fields) -> LetterLocale:
    """Read the ``[<lang>]`` table of the locales file."""
    months = _lines(f, "months")
    if len(months) != 12:
        raise f.error("months", M_TWELVE_MONTHS, count=len(months))
    return LetterLocale(
        lang=lang,
        layout=_line(f, "layout"),
        word_lang=_line(f, "word_lang"),
        draft=_line(f, "draft"),
        draft_mark=_line(f, "draft_mark"),
        long_date_format=_line(f, "long_date"),
        numeric_date_format=_line(f, "numeric_date"),
        months=months,
        requisites=_lines(f, "requisites"),
        subject_format=_line(f, "subject"),
        annex_note=_line(f, "annex_note"),
        annex_note_uncounted=_line(f, "annex_note_uncounted"),
        stamp_copy_mark=_line(f, "stamp_copy_mark"),
        stamp_box_title=_line(f, "stamp_box_title"),
        stamp_box_fields=_lines(f, "stamp_box_fields"),
        annex_caption=_line(f, "annex_caption"),
        annex_default_title=_line(f, "annex_default_title"),
        annex_title_some=_line(f, "annex_title_some"),
        annex_title_all_counted=_line(f, "annex_title_all_counted"),
        annex_columns=_lines(f, "annex_columns"),
        row_number=_line(f, "row_number"),
        more_rows=_line(f, "more_rows"),
        addressee_indent_mm=got(f.number("addressee_indent_mm", required=True, minimum=0)),
        letterhead_align=_line(f, "letterhead_align"),
        page=_read_page(f.sub("page", f.table("page", required=True), PAGE_KEYS)),
    )


def _read_page(f: Fields) -> PageSetup:
    """Read ``[<lang>.page]``: margins in millimetres, and the page size if not A4."""
    sizes = {
        key: got(f.number(key, required=True, minimum=0))
        for key in (*PAGE_MARGINS, "header_mm", "footer_mm")
    }
    for key in ("width_mm", "height_mm"):
        if f.has(key):
            sizes[key] = got(f.number(key, minimum=1))
    return PageSetup(**sizes)


@functools.cache
def _load() -> LocaleFile:
    """The shipped ``locales.toml``, read once."""
    return read_locales(LOCALES_PATH)


def fonts() -> Fonts:
    """The fonts letters are set in (see ``locales.toml``)."""
    return _load().fonts


@functools.cache
def languages() -> tuple[str, ...]:
    """Letter languages with printed labels, e.g. ``("en", "ru", "uk")``."""
    return tuple(sorted(_load().locales))


def get_locale(lang: str) -> LetterLocale:
    """Return the :class:`LetterLocale` for ``lang``; unknown languages are refused."""
    locale = _load().locales.get(lang)
    if locale is None:
        raise LetterValidationError(
            N_("Letters cannot be written in {lang!r}; available: {available}."),
            field="language",
            lang=lang,
            available=", ".join(languages()),
        )
    return locale
