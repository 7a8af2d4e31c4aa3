"""Explanations read naturally in each interface language: plurals, dates, holiday names.

The catalogues are the shipped ``.po`` files, compiled in memory: a wrong plural form or a
missing translation in them fails here. The expected sentences were checked by hand. Babel keeps
«2026 г.» together with a narrow no-break space; the sentences here write it as a plain space.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from letterkit.deadlines import (
    Speech,
    compute_due,
    explain,
    explain_data,
    format_day,
    format_text,
    term_text,
)

D = date
TRANSLATIONS = Path(__file__).resolve().parents[2] / "letterkit" / "translations"
NARROW_NBSP = "\u202f"


def plain(lines: list[str]) -> list[str]:
    """The sentences with Babel's narrow no-break spaces as plain spaces."""
    return [line.replace(NARROW_NBSP, " ") for line in lines]


def speech(lang: str) -> Speech:
    """The interface language ``lang`` as the web layer passes it in."""
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = Translations(buffer)
    return Speech(translations.gettext, translations.ngettext, lang)


@pytest.mark.parametrize(
    ("lang", "amount", "unit", "text"),
    [
        ("en", 1, "calendar_days", "1 calendar day"),
        ("en", 30, "calendar_days", "30 calendar days"),
        ("en", 2, "months", "2 months"),
        ("ru", 1, "working_days", "1 рабочий день"),
        ("ru", 3, "working_days", "3 рабочих дня"),
        ("ru", 14, "working_days", "14 рабочих дней"),
        ("ru", 21, "calendar_days", "21 календарный день"),
        ("ru", 30, "calendar_days", "30 календарных дней"),
        ("ru", 2, "months", "2 месяца"),
        ("ru", 11, "months", "11 месяцев"),
        ("uk", 1, "calendar_days", "1 календарний день"),
        ("uk", 3, "working_days", "3 робочі дні"),
        ("uk", 12, "working_days", "12 робочих днів"),
        ("uk", 15, "working_days", "15 робочих днів"),
        ("uk", 22, "calendar_days", "22 календарні дні"),
        ("uk", 2, "months", "2 місяці"),
        ("uk", 5, "months", "5 місяців"),
    ],
)
def test_terms_take_the_plural_form_of_their_number(
    lang: str, amount: int, unit: str, text: str
) -> None:
    assert term_text(amount, unit, speech(lang)) == text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "February 4, 2026 (Wednesday)"),
        ("ru", "4 февраля 2026 г. (среда)"),
        ("uk", "4 лютого 2026 р. (середа)"),
    ],
)
def test_days_are_written_the_locales_way(lang: str, text: str) -> None:
    assert plain([format_day(D(2026, 2, 4), speech(lang))]) == [text]


def test_the_year_abbreviation_stays_with_the_year() -> None:
    assert format_day(D(2026, 2, 4), speech("ru")).startswith(f"4 февраля 2026{NARROW_NBSP}г.")


def test_without_a_locale_days_stay_iso() -> None:
    assert format_day(D(2026, 2, 4)) == "2026-02-04 (Wednesday)"


def test_english_across_kazakh_holidays() -> None:
    lines = explain(compute_due("KZ", D(2026, 3, 2)), speech("en"))
    assert "Term: 15 working days, counted from receipt of the letter." in lines
    assert (
        "Skipped March 9, 2026 (Monday): public holiday (International Women's Day (observed))."
        in lines
    )
    assert "Skipped March 21, 2026 (Saturday): public holiday (Nowruz Holiday)." in lines
    assert "Due date: March 27, 2026 (Friday)." in lines


def test_russian_across_kyrgyz_holidays_names_them_in_russian() -> None:
    # Computed with the default (English) holiday names, as a stored explanation may be: the
    # names are looked up again in the reader's language, not shown in English or Kyrgyz.
    result = compute_due("KG", D(2026, 3, 6))
    lines = plain(explain(result, speech("ru")))
    assert "Срок: 14 рабочих дней со дня регистрации письма." in lines
    assert (
        "Учитываются только рабочие дни: срок в 14 рабочих дней после 9 марта 2026 г. "
        "(понедельник) истекает 30 марта 2026 г. (понедельник); пропущено нерабочих дней: 7."
        in lines
    )
    assert (
        "Пропущен 21 марта 2026 г. (суббота): нерабочий праздничный день "
        "(Народный праздник Нооруз)." in lines
    )
    assert (
        "Пропущены 14 марта 2026 г. (суббота) – 15 марта 2026 г. (воскресенье): выходные дни."
        in lines
    )
    assert (
        "Срок ответа (предварительно, пока не указана дата регистрации): "
        "30 марта 2026 г. (понедельник)." in lines
    )
    # A stored result reads the same as a fresh one.
    assert plain(explain_data(result.to_dict(), speech("ru"))) == lines


def test_ukrainian_across_kazakh_holidays_names_them_in_ukrainian() -> None:
    lines = plain(explain(compute_due("KZ", D(2026, 3, 2)), speech("uk")))
    assert "Строк: 15 робочих днів від дня надходження листа." in lines
    assert (
        "Пропущено 9 березня 2026 р. (понеділок): святковий неробочий день "
        "(Міжнародний жіночий день (вихідний))." in lines
    )
    assert (
        "Пропущено 21 березня 2026 р. (субота): святковий неробочий день (Свято Новруз)." in lines
    )
    assert "Строк відповіді: 27 березня 2026 р. (пʼятниця)." in lines
    assert any("щонайбільше 2 місяці (ст. 76)" in line for line in lines)


def test_a_holiday_without_a_name_in_the_readers_language_is_named_in_english() -> None:
    # The holidays package has no Russian for Kazakhstan: English, not Kazakh.
    lines = plain(explain(compute_due("KZ", D(2026, 3, 2)), speech("ru")))
    assert (
        "Пропущен 9 марта 2026 г. (понедельник): нерабочий праздничный день "
        "(International Women's Day (observed))." in lines
    )


def test_russian_calendar_days_and_heading() -> None:
    result = compute_due("RU", D(2026, 1, 5), registered_on=D(2026, 1, 5))
    text = format_text(result, speech("ru")).replace(NARROW_NBSP, " ")
    assert "Срок ответа по закону: 4 февраля 2026 г. (среда)\n" in text
    assert "- Срок: 30 календарных дней со дня регистрации письма.\n" in text
    assert (
        "- Срок в календарных днях: выходные и праздничные дни учитываются. "
        "5 января 2026 г. (понедельник) + 30 календарных дней = 4 февраля 2026 г. (среда).\n"
    ) in text
    assert "(календарные дни)" not in text and "2026-02-04" not in text


def test_a_stored_step_this_version_cannot_render_is_shown_by_its_code() -> None:
    data = {"calendar": "RU", "steps": [{"code": "no_such_step", "params": {}}]}
    assert explain_data(data, speech("ru")) == ["no_such_step"]
    assert explain_data(None) == []
