"""Printed labels and page layout per letter language, read from ``locales.toml``.

The letter language (ru, uk, en) is independent of the interface language: a Russian-speaking
coordinator in London writes an English letter. So these labels are data, not gettext strings.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from letterkit.documents.errors import LetterValidationError
from letterkit.markers import N_

LOCALES_PATH = Path(__file__).with_name("locales.toml")

MM_TO_TWIPS = 1440 / 25.4


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
class Fonts:
    """Font names written into the reference styles and into Georgian runs."""

    body: str
    georgian: str
    east_asia: str


@functools.cache
def _load() -> Mapping[str, object]:
    with LOCALES_PATH.open("rb") as fh:
        return tomllib.load(fh)


@functools.cache
def fonts() -> Fonts:
    """The fonts letters are set in (see ``locales.toml``)."""
    data = _load()["fonts"]
    assert isinstance(data, dict)
    return Fonts(body=data["body"], georgian=data["georgian"], east_asia=data["east_asia"])


@functools.cache
def languages() -> tuple[str, ...]:
    """Letter languages with printed labels, e.g. ``("en", "ru", "uk")``."""
    return tuple(sorted(k for k in _load() if k != "fonts"))


@functools.cache
def get_locale(lang: str) -> LetterLocale:
    """Return the :class:`LetterLocale` for ``lang``; unknown languages are refused."""
    data = _load().get(lang) if lang != "fonts" else None
    if not isinstance(data, dict):
        raise LetterValidationError(
            N_("Letters cannot be written in {lang!r}; available: {available}."),
            field="language",
            lang=lang,
            available=", ".join(languages()),
        )
    page = PageSetup(**data["page"])
    return LetterLocale(
        lang=lang,
        layout=data["layout"],
        word_lang=data["word_lang"],
        draft=data["draft"],
        draft_mark=data["draft_mark"],
        long_date_format=data["long_date"],
        numeric_date_format=data["numeric_date"],
        months=tuple(data["months"]),
        requisites=tuple(data["requisites"]),
        subject_format=data["subject"],
        annex_note=data["annex_note"],
        annex_note_uncounted=data["annex_note_uncounted"],
        stamp_copy_mark=data["stamp_copy_mark"],
        stamp_box_title=data["stamp_box_title"],
        stamp_box_fields=tuple(data["stamp_box_fields"]),
        annex_caption=data["annex_caption"],
        annex_default_title=data["annex_default_title"],
        annex_columns=tuple(data["annex_columns"]),
        row_number=data["row_number"],
        more_rows=data["more_rows"],
        addressee_indent_mm=float(data["addressee_indent_mm"]),
        letterhead_align=data["letterhead_align"],
        page=page,
    )
