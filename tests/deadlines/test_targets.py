"""No statutory term, a term not found, guidance targets, and coordinator targets."""

from __future__ import annotations

from datetime import date

import pytest

from letterkit.deadlines import (
    InvalidInputError,
    ResultKind,
    TargetNotAllowedError,
    UnknownVariantError,
    compute_due,
    compute_target,
    explain,
)

D = date


@pytest.mark.parametrize(
    ("country", "kind", "result_kind"),
    [
        ("DE", None, ResultKind.NO_TERM),
        ("SE", None, ResultKind.NO_TERM),
        ("US", None, ResultKind.NO_TERM),
        ("EU", None, ResultKind.NO_TERM),
        ("UN", None, ResultKind.NO_TERM),
        ("CA", None, ResultKind.NO_TERM),
        ("AU", None, ResultKind.NO_TERM),
        ("TJ", None, ResultKind.TERM_UNKNOWN),
    ],
)
def test_no_due_date_without_a_term(country: str, kind, result_kind: ResultKind) -> None:
    result = compute_due(country, D(2026, 3, 2), authority_kind=kind)
    assert result.kind is result_kind
    assert result.due is None and result.term is None and result.max_extended_due is None
    assert not result.is_legal_deadline
    text = " ".join(explain(result))
    assert "A coordinator can set a target instead." in text
    data = result.to_dict()
    assert data["due"] is None and data["kind"] == result_kind.value


def test_tajikistan_explanation_shows_the_unverified_term() -> None:
    result = compute_due("TJ", D(2026, 3, 2))
    lines = explain(result)
    assert any(line.startswith("Unverified (term): The term is UNVERIFIED") for line in lines)
    assert result.to_dict()["rule"]["unverified"][0]["field"] == "term"


@pytest.mark.parametrize(
    ("country", "start", "amount", "unit", "kw", "due"),
    [
        # DE (Berlin), 20 working days from Saturday 2026-01-31: Feb 2-6 (5), 9-13 (10),
        # 16-20 (15), 23-27 (20).
        ("DE", D(2026, 1, 31), 20, "working_days", {"subdiv": "BE"}, D(2026, 2, 27)),
        # EU: weekends only; from 2026-12-23: Dec 24-25 (2), 28-31 (6), Jan 1 (7), 4-6 (10).
        ("EU", D(2026, 12, 23), 10, "working_days", {}, D(2027, 1, 6)),
        # US: from 2026-06-29: Jun 30 - Jul 2 (3), Jul 3 observed Independence Day, 6-7 (5).
        ("US", D(2026, 6, 29), 5, "working_days", {}, D(2026, 7, 7)),
        # SE: 2 calendar months from 2026-12-31 = 2027-02-28 (clamped).
        ("SE", D(2026, 12, 31), 2, "months", {}, D(2027, 2, 28)),
        # TJ: 30 calendar days from 2026-03-02 = 04-01.
        ("TJ", D(2026, 3, 2), 30, "calendar_days", {}, D(2026, 4, 1)),
        # CA letters: 30 calendar days (the default unit) from 2026-02-02 = 03-04.
        ("CA", D(2026, 2, 2), 30, None, {}, D(2026, 3, 4)),
        # GB: a coordinator's own 10 working days replaces the guidance target:
        # Dec 15-18 (4), 21-24 (8), 25 and 28 holidays, 29-30 (10).
        ("GB", D(2026, 12, 14), 10, "working_days", {}, D(2026, 12, 30)),
        # UN: 3 calendar days from 2026-12-23 = 12-26, a Saturday: kept.
        ("UN", D(2026, 12, 23), 3, "calendar_days", {}, D(2026, 12, 26)),
    ],
)
def test_coordinator_target(country, start, amount, unit, kw, due) -> None:
    result = compute_due(country, start, target_days=amount, target_unit=unit, **kw)
    assert result.kind is ResultKind.TARGET
    assert result.due == due
    assert not result.is_legal_deadline
    text = " ".join(explain(result))
    assert "Target set by the coordinator, not a legal deadline" in text
    same = compute_target(country, start, amount, unit or "calendar_days", **kw)
    assert same.due == due


def test_target_explains_weekends_only_calendar_and_a_day_off_end() -> None:
    result = compute_due("UN", D(2026, 12, 23), target_days=3)
    codes = [s.code for s in result.steps]
    assert "calendar_weekends_only" in codes
    assert "end_not_working" in codes
    assert result.end_on_non_working_day


@pytest.mark.parametrize(
    ("country", "kind"), [("RU", None), ("CA", "house-petition"), ("LV", None)]
)
def test_target_refused_where_the_law_sets_a_term(country: str, kind) -> None:
    with pytest.raises(TargetNotAllowedError, match=country):
        compute_due(country, D(2026, 3, 2), authority_kind=kind, target_days=10)


def test_unknown_variant_is_an_error_even_without_a_term() -> None:
    with pytest.raises(UnknownVariantError, match="de-gg-17"):
        compute_due("DE", D(2026, 3, 2), variant="additional-study")


@pytest.mark.parametrize(
    "kw",
    [
        {"target_days": 0},
        {"target_days": -1},
        {"target_days": 10, "target_unit": "weeks"},
        {"target_days": 10_000},
        {"target_unit": "working_days"},
    ],
)
def test_bad_target(kw) -> None:
    with pytest.raises(InvalidInputError):
        compute_due("DE", D(2026, 3, 2), **kw)
