"""Explanations: translated first and formatted after, structured in ``to_dict()``."""

from __future__ import annotations

import json
from datetime import date

import holidays
import pytest

from letterkit.deadlines import (
    DueResult,
    InvalidInputError,
    Speech,
    UnknownVariantError,
    apply_extension,
    compute_due,
    explain,
    format_text,
)
from letterkit.deadlines import explanation as explain_module
from letterkit.deadlines import speech as speech_module
from tests.deadlines.test_babel_extract import extracted

MESSAGES = tuple(extracted())

D = date

SAMPLES = [
    ("RU", D(2026, 1, 5), {}),
    ("RU", D(2026, 1, 5), {"registered_on": D(2026, 1, 5)}),
    ("RU", D(2026, 2, 2), {"registered_on": D(2026, 2, 10)}),
    ("RU", D(2026, 3, 2), {"authority_kind": "regional-head-migration"}),
    ("BY", D(2026, 1, 31), {"variant": "additional-study"}),
    ("UA", D(2026, 1, 15), {"registered_on": D(2026, 1, 20)}),
    ("KZ", D(2026, 3, 7), {}),
    ("KZ", D(2021, 6, 30), {}),
    ("KG", D(2026, 3, 6), {}),
    ("UZ", D(2026, 3, 2), {}),
    ("TJ", D(2026, 3, 2), {}),
    ("TJ", D(2026, 3, 2), {"target_days": 30}),
    ("GE", D(2026, 1, 15), {}),
    ("GE", D(2026, 1, 15), {"authority_kind": "administrative-act"}),
    ("AM", D(2026, 1, 31), {}),
    ("AM", D(2026, 2, 27), {"authority_kind": "administrative-act"}),
    ("AZ", D(2025, 6, 16), {}),
    ("MD", D(2026, 3, 2), {}),
    ("EE", D(2026, 1, 25), {}),
    ("LV", D(2026, 2, 27), {}),
    ("LV", D(2026, 6, 17), {}),
    ("LT", D(2026, 12, 15), {"authority_kind": "administrative-complaint"}),
    ("GB", D(2026, 12, 14), {}),
    ("DE", D(2026, 3, 2), {"authority_kind": "house-petition"}),
    ("SE", D(2026, 3, 2), {}),
    ("RO", D(2026, 11, 1), {}),
    ("US", D(2026, 6, 29), {"target_days": 5, "target_unit": "working_days"}),
    ("CA", D(2026, 2, 2), {"authority_kind": "house-petition"}),
    ("AU", D(2026, 2, 3), {"authority_kind": "house-petition", "subdiv": "QLD"}),
    ("ES", D(2026, 1, 30), {"variant": "inadmissibility"}),
    ("EU", D(2026, 12, 23), {"target_days": 10, "target_unit": "working_days"}),
    ("UN", D(2026, 3, 2), {}),
]


def results() -> list[DueResult]:
    return [compute_due(c, d, **kw) for c, d, kw in SAMPLES]


def known_msgids() -> set[str]:
    m = explain_module
    ids = set(m.TEMPLATES.values()) | set(m.PERIODS.values()) | set(m.HEADINGS.values())
    for table in (m.EVENTS, m.CONFIDENCE, m.FIELDS):
        ids |= set(table.values())
    ids |= set(speech_module.WEEKDAYS) | {speech_module.DAY}
    ids |= {m.WEEKEND, m.NO_ARTICLE, m.TITLE, m.ESTIMATE}
    return ids | set(MESSAGES)


def test_gettext_receives_only_marked_unformatted_strings() -> None:
    seen: list[str] = []

    def gettext(message: str) -> str:
        seen.append(message)
        return message

    for result in results():
        format_text(result, gettext)
    unknown = sorted(set(seen) - known_msgids())
    assert not unknown, unknown
    # Templates arrive with their placeholders: formatting happens after translation.
    assert "Due date: {day}." in seen
    assert "Term: {term}, counted from {event}." in seen


def test_translation_then_formatting() -> None:
    catalogue = {
        "Due date: {day}.": "Срок ответа: {day}.",
        "{date} ({weekday})": "{date}, {weekday}",
        "Wednesday": "среда",
        "Term: {term}, counted from {event}.": "Срок: {term} со дня {event}.",
        "registration of the letter": "регистрации письма",
    }
    plurals = {"{num} calendar day": ("{num} календарный день", "{num} календарных дней")}

    def ngettext(singular: str, plural: str, n: int) -> str:
        return plurals[singular][n != 1] if singular in plurals else singular

    result = compute_due("RU", D(2026, 1, 5), registered_on=D(2026, 1, 5))
    lines = explain(result, Speech(lambda s: catalogue.get(s, s), ngettext))
    assert "Срок ответа: 2026-02-04, среда." in lines
    assert "Срок: 30 календарных дней со дня регистрации письма." in lines


def test_every_step_renders_without_leftover_placeholders() -> None:
    for result in results():
        for line in explain(result):
            assert "{" not in line and "}" not in line, line


def test_explanation_covers_rule_start_skipped_days_and_end() -> None:
    result = compute_due("KZ", D(2026, 3, 2))
    lines = explain(result)
    assert lines[0].startswith(
        "Rule: Appeals under the Administrative Procedural and Process Code (Kazakhstan)."
    )
    assert "Art. 76" in lines[0] and "Confidence: high." in lines[0]
    assert (
        "Day 0 is 2026-03-02 (Monday) (receipt of the letter); counting starts on the next day, "
        "2026-03-03 (Tuesday)." in lines
    )
    assert (
        "Skipped 2026-03-09 (Monday): public holiday (International Women's Day (observed))."
        in lines
    )
    assert "Skipped 2026-03-14 (Saturday) – 2026-03-15 (Sunday): weekend." in lines
    assert "Due date: 2026-03-27 (Friday)." in lines


def test_worked_saturday_is_explained() -> None:
    lines = explain(compute_due("LV", D(2026, 6, 17)))
    assert (
        "Counted 2026-06-27 (Saturday) as a working day: a weekend day made a working day by a "
        "transfer of days off." in lines
    )
    assert (
        "Skipped 2026-06-22 (Monday): public holiday (Day off (substituted from 06/27/2026))."
        in lines
    )


def test_month_clamp_and_unverified_roll_forward_are_explained() -> None:
    lines = explain(compute_due("UA", D(2026, 1, 31)))
    assert (
        "The end month has no day matching 2026-01-31 (Saturday), so the term ends on the last "
        "day of that month, 2026-02-28 (Saturday)." in lines
    )
    assert any(
        line.startswith("The end day 2026-02-28 (Saturday) is not a working day (weekend). Whether")
        for line in lines
    )


def test_estimate_is_said_in_heading_and_steps() -> None:
    text = format_text(compute_due("RU", D(2026, 1, 5)))
    assert text.startswith(
        "Reply deadline: Russia\nReply due by law: 2026-02-07 (Saturday) (estimate"
    )
    assert "the latest possible registration day, 2026-01-08 (Thursday), is used" in text


def test_to_dict_is_json_with_iso_dates_and_structured_steps() -> None:
    for result in results():
        data = result.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert all(set(step) == {"code", "params"} for step in data["steps"])
    data = apply_extension(
        compute_due("RU", D(2026, 1, 5), registered_on=D(2026, 1, 5)), 5
    ).to_dict()
    assert data["due"] == "2026-02-09" and data["base_due"] == "2026-02-04"
    assert data["max_extended_due"] == "2026-03-06"
    assert data["extended_by"] == [{"amount": 5, "unit": "calendar_days"}]
    assert data["rule"]["id"] == "ru-59fz"
    assert data["rule"]["confidence"] == "High"
    assert data["rules_version"] and data["holidays_version"] == holidays.__version__
    assert "extension_applied" in [step["code"] for step in data["steps"]]


def test_structured_skipped_days() -> None:
    data = compute_due("GB", D(2026, 12, 14)).to_dict()
    assert {"day": "2026-12-28", "reason": "holiday", "holiday": "Boxing Day (observed)"} in data[
        "skipped"
    ]


@pytest.mark.parametrize(
    ("delivered", "kw", "error", "message"),
    [
        ("2026-01-05", {}, InvalidInputError, "delivered_on must be a date"),
        (D(2026, 1, 5), {"registered_on": D(2026, 1, 4)}, InvalidInputError, "before the delivery"),
        (D(1800, 1, 5), {}, InvalidInputError, "outside the years"),
        (D(2026, 1, 5), {"variant": "nope"}, UnknownVariantError, "no alternative term nope"),
    ],
)
def test_bad_input_is_a_clear_error(delivered, kw, error, message: str) -> None:
    with pytest.raises(error, match=message):
        compute_due("RU", delivered, **kw)
