"""Extensions: the latest date the law allows, applying them, and refusing more."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from letterkit.deadlines import (
    DeadlineError,
    ExtensionError,
    InvalidInputError,
    apply_extension,
    compute_due,
)

D = date


@pytest.mark.parametrize(
    ("args", "kw", "due", "max_due"),
    [
        # RU: +30 calendar days after the due date: 2026-02-04 + 30 = 03-06.
        (("RU", D(2026, 1, 5)), {"registered_on": D(2026, 1, 5)}, D(2026, 2, 4), D(2026, 3, 6)),
        # UA: 45 days in total from receipt: 2026-01-15 + 45 = 03-01.
        (("UA", D(2026, 1, 15)), {}, D(2026, 2, 15), D(2026, 3, 1)),
        # KZ: two months in total from receipt: 2026-03-02 → 05-02.
        (("KZ", D(2026, 3, 2)), {}, D(2026, 3, 27), D(2026, 5, 2)),
        # AZ: +30 working days after 04-15: Apr 16-17 (2), 20-24 (7), 27-30 (11), May 1 (12),
        # 4-8 (17), May 11 observed holiday, 12-15 (21), 18-22 (26), 25-26 (28), May 27-29 Eid
        # and Independence Day, Jun 1-2 (30).
        (("AZ", D(2026, 3, 16)), {}, D(2026, 4, 15), D(2026, 6, 2)),
        # MD: +15 days, or exceptionally 90 days in total: 03-02 + 90 = 05-31.
        (("MD", D(2026, 3, 2)), {"registered_on": D(2026, 3, 2)}, D(2026, 4, 1), D(2026, 5, 31)),
        # RO: +15, energy and gas +30: 02-01 + 30 = 03-03.
        (("RO", D(2026, 1, 2)), {"registered_on": D(2026, 1, 2)}, D(2026, 2, 1), D(2026, 3, 3)),
        # EE: two months in total: 2026-01-25 → 03-25.
        (("EE", D(2026, 1, 25)), {}, D(2026, 2, 24), D(2026, 3, 25)),
        # LV old rule: four months from receipt: 2026-02-27 → 06-27 (a working Saturday).
        (("LV", D(2026, 2, 27)), {}, D(2026, 3, 27), D(2026, 6, 27)),
        # AM petitions: +1 month: 02-28 → 03-28.
        (("AM", D(2026, 1, 31)), {}, D(2026, 2, 28), D(2026, 3, 28)),
        # UZ: +1 month: 03-17 → 04-17.
        (("UZ", D(2026, 3, 2)), {}, D(2026, 3, 17), D(2026, 4, 17)),
        # LT complaints: +10 working days: 2027-01-15 → Jan 18-22 (5), 25-29 (10).
        (
            ("LT", D(2026, 12, 15)),
            {"authority_kind": "administrative-complaint"},
            D(2027, 1, 15),
            D(2027, 1, 29),
        ),
    ],
)
def test_latest_extended_due_date(args, kw, due: date, max_due: date) -> None:
    result = compute_due(*args, **kw)
    assert result.due == due
    assert result.max_extended_due == max_due
    # Authorities announce the new date; the latest allowed one is accepted, a day more is not.
    extended = apply_extension(result, max_due)
    assert extended.due == max_due
    assert _applied(extended).args["day"] == max_due.isoformat()
    with pytest.raises(ExtensionError, match=max_due.isoformat()):
        apply_extension(result, max_due + timedelta(days=1))


def _applied(result):
    return [s for s in result.steps if s.code == "extension_applied"][-1]


def test_extension_is_capped_and_refused_beyond() -> None:
    result = compute_due("RU", D(2026, 1, 5), registered_on=D(2026, 1, 5))
    once = apply_extension(result, 10)
    assert once.due == D(2026, 2, 14)
    assert once.base_due == D(2026, 2, 4)
    assert [t.amount for t in once.extended_by] == [10]
    # 02-14 is a Saturday: said, not moved.
    assert once.end_on_non_working_day
    codes = [s.code for s in once.steps]
    at = codes.index("extension_applied")
    assert codes[at + 1] == "end_not_working_unverified"
    assert codes[-1] == "calendar"  # the footer stays last
    twice = apply_extension(once, 20)
    assert twice.due == D(2026, 3, 6)
    with pytest.raises(ExtensionError, match="2026-03-06"):
        apply_extension(twice, 1)
    with pytest.raises(ExtensionError, match="latest possible due date is 2026-03-06"):
        apply_extension(result, 31)
    assert result.due == D(2026, 2, 4)  # results are immutable


def test_ukraine_total_cap() -> None:
    result = compute_due("UA", D(2026, 1, 15))
    assert apply_extension(result, 14).due == D(2026, 3, 1)
    with pytest.raises(ExtensionError):
        apply_extension(result, 15)


def test_kazakhstan_extension_in_months_or_working_days() -> None:
    result = compute_due("KZ", D(2026, 3, 2))
    assert apply_extension(result, 1).due == D(2026, 4, 27)  # default unit: months
    # 20 working days after 03-27: Mar 30-31 (2), Apr 1-3 (5), 6-10 (10), 13-17 (15), 20-24 (20).
    assert apply_extension(result, 20, "working_days").due == D(2026, 4, 24)
    with pytest.raises(ExtensionError):
        apply_extension(result, 2)


def test_the_narrowest_allowing_option_is_cited() -> None:
    result = compute_due("MD", D(2026, 3, 2), registered_on=D(2026, 3, 2))
    normal = apply_extension(result, 15)
    assert normal.due == D(2026, 4, 16)
    assert "within the 30 days" in _applied(normal).args["condition"]
    exceptional = apply_extension(result, 20)
    assert exceptional.due == D(2026, 4, 21)
    assert "Exceptionally" in _applied(exceptional).args["condition"]
    with pytest.raises(ExtensionError):
        apply_extension(result, 61)

    romania = compute_due("RO", D(2026, 1, 2), registered_on=D(2026, 1, 2))
    assert "Energy" in _applied(apply_extension(romania, 16)).args["condition"]


def test_armenian_petition_extension_notice_date() -> None:
    result = compute_due("AM", D(2026, 1, 31))
    (option,) = result.extensions
    # At least 3 working days before 02-28 (Saturday): Feb 27, 26, 25.
    assert option.notify_by == D(2026, 2, 25)


@pytest.mark.parametrize(
    ("args", "kw", "message"),
    [
        (("LT", D(2026, 12, 15)), {}, "unverified"),
        (("LV", D(2026, 3, 2)), {}, "unverified"),
        (("BY", D(2026, 3, 2)), {}, "unverified"),
        (("CA", D(2026, 2, 2)), {"authority_kind": "house-petition"}, "provides no extension"),
        (("ES", D(2026, 1, 30)), {}, "states no extension"),
        (("GE", D(2026, 1, 15)), {"authority_kind": "administrative-act"}, "maximum is unverified"),
        (("GE", D(2026, 1, 15)), {}, "Only a statutory deadline"),
        (("GB", D(2026, 12, 14)), {}, "Only a statutory deadline"),
        (("DE", D(2026, 12, 14)), {}, "Only a statutory deadline"),
        (("TJ", D(2026, 12, 14)), {}, "Only a statutory deadline"),
        (("DE", D(2026, 12, 14)), {"target_days": 30}, "Only a statutory deadline"),
    ],
)
def test_extension_refused(args, kw, message: str) -> None:
    result = compute_due(*args, **kw)
    with pytest.raises(ExtensionError, match=message):
        apply_extension(result, 1)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(0, None), (-5, None), (True, None), ("5", None), (5, "weeks"), (D(2026, 2, 4), None)],
)
def test_extension_bad_input(amount, unit) -> None:
    result = compute_due("RU", D(2026, 1, 5), registered_on=D(2026, 1, 5))
    with pytest.raises(InvalidInputError):
        apply_extension(result, amount, unit)


def test_extension_error_is_translatable() -> None:
    result = compute_due("RU", D(2026, 1, 5), registered_on=D(2026, 1, 5))
    with pytest.raises(DeadlineError) as info:
        apply_extension(result, 31)
    error = info.value
    assert "{latest}" in error.template
    assert error.template.format(**error.params) == str(error)
