"""Due dates per country, checked against the calendar by hand.

Every expected date below was worked out by counting on a calendar with the holidays that
``holidays==0.108`` lists for that country and year (printed with ``country_holidays(cc,
years=..., language="en_US")`` and ``weekend_workdays``), not copied from the engine's output.
The comment on each case gives the count.
"""

from __future__ import annotations

from datetime import date

import pytest

from letterkit.deadlines import ResultKind, compute_due

D = date


def case(id_: str, country: str, delivered: date, due: date, rule: str, **kw: object):
    return pytest.param(country, delivered, due, rule, kw, id=id_)


REFERENCE_SAMPLES = [
    # §3 of the reference: "KZ 15 working days after 2026-03-02 → 2026-03-27".
    # Mar 3-6 (4), 9 observed Women's Day, 10-13 (8), 16-20 (13), 21-25 Nowruz + observed,
    # 26 (14), 27 (15).
    case("kz-sample", "KZ", D(2026, 3, 2), D(2026, 3, 27), "kz-appc"),
    # "AZ 15 working days after 2026-03-16 → 2026-04-15".
    # Mar 17-19 (3), 20-27 Eid/Spring Festival + observed, 30 Eid observed, 31 (4),
    # Apr 1-3 (7), 6-10 (12), 13-15 (15).
    case("az-sample", "AZ", D(2026, 3, 16), D(2026, 4, 15), "az-1384"),
    # "LT 20 working days after 2026-12-15 → 2027-01-15".
    # Dec 16-18 (3), 21-23 (6), 24-25 Christmas, 28-31 (10), Jan 1, 4-8 (15), 11-15 (20).
    case("lt-sample", "LT", D(2026, 12, 15), D(2027, 1, 15), "lt-requests"),
    # "GB-ENG 20 working days after 2026-12-14 → 2027-01-14".
    # Dec 15-18 (4), 21-24 (8), 25 Christmas, 28 Boxing Day observed, 29-31 (11), Jan 1,
    # 4-8 (16), 11-14 (20).
    case("gb-eng-sample", "GB", D(2026, 12, 14), D(2027, 1, 14), "gb-correspondence-guide"),
    # "RU 30 calendar days from 2026-01-05 → 2026-02-04" (registered the day it arrived).
    case(
        "ru-sample",
        "RU",
        D(2026, 1, 5),
        D(2026, 2, 4),
        "ru-59fz",
        registered_on=D(2026, 1, 5),
    ),
]

RUSSIA = [
    # Registered 2025-12-30: +30 calendar days = 2026-01-29 (New Year holidays count).
    case(
        "ru-new-year",
        "RU",
        D(2025, 12, 29),
        D(2026, 1, 29),
        "ru-59fz",
        registered_on=D(2025, 12, 30),
    ),
    # Registration unknown: latest registration 2026-01-05 + 3 = 01-08; +30 = 02-07, a Saturday:
    # kept, not moved (roll-forward unverified), and an estimate.
    case(
        "ru-registration-unknown",
        "RU",
        D(2026, 1, 5),
        D(2026, 2, 7),
        "ru-59fz",
        estimate=True,
        left_on_day_off=True,
    ),
    # Registered 2025-10-02: +30 = 2025-11-01, the transferred working Saturday: a working day.
    case(
        "ru-ends-on-working-saturday",
        "RU",
        D(2025, 10, 1),
        D(2025, 11, 1),
        "ru-59fz",
        registered_on=D(2025, 10, 2),
        left_on_day_off=False,
    ),
    # Registered 2025-10-04: +30 = 2025-11-03, "Day off (substituted from 11/01/2025)": kept.
    case(
        "ru-ends-on-substituted-day-off",
        "RU",
        D(2025, 10, 3),
        D(2025, 11, 3),
        "ru-59fz",
        registered_on=D(2025, 10, 4),
        left_on_day_off=True,
    ),
    # Registered 2026-12-03: +30 = 2027-01-02, a New Year holiday (Saturday): kept.
    case(
        "ru-ends-in-new-year-holidays",
        "RU",
        D(2026, 12, 1),
        D(2027, 1, 2),
        "ru-59fz",
        registered_on=D(2026, 12, 3),
        left_on_day_off=True,
    ),
    # Migration appeal to a regional head: 20 days; registered 2026-03-02 → 03-22 (Sunday).
    case(
        "ru-migration-20-days",
        "RU",
        D(2026, 3, 2),
        D(2026, 3, 22),
        "ru-59fz-migration",
        registered_on=D(2026, 3, 2),
        authority_kind="regional-head-migration",
    ),
    # Registered late (limit 02-05): counted from the real registration, 02-10 + 30 = 03-12.
    case(
        "ru-registered-late",
        "RU",
        D(2026, 2, 2),
        D(2026, 3, 12),
        "ru-59fz",
        registered_on=D(2026, 2, 10),
    ),
    # Delivered on Saturday 2026-02-07, registered Monday 02-09: +30 = 03-11.
    case(
        "ru-delivered-saturday",
        "RU",
        D(2026, 2, 7),
        D(2026, 3, 11),
        "ru-59fz",
        registered_on=D(2026, 2, 9),
    ),
]

BELARUS = [
    # Counted from the day after registration: registered 2026-04-17, day 1 = 04-18,
    # day 15 = 05-02 (Saturday): kept.
    case(
        "by-basic",
        "BY",
        D(2026, 4, 17),
        D(2026, 5, 2),
        "by-300z",
        registered_on=D(2026, 4, 17),
        left_on_day_off=True,
    ),
    # Registration on the day of receipt by law: same date, but an estimate until entered.
    case("by-registration-unknown", "BY", D(2026, 4, 17), D(2026, 5, 2), "by-300z", estimate=True),
    # Registered 2026-04-10: +15 = 04-25, a transferred working Saturday: a working day.
    case(
        "by-ends-on-working-saturday",
        "BY",
        D(2026, 4, 10),
        D(2026, 4, 25),
        "by-300z",
        registered_on=D(2026, 4, 10),
        left_on_day_off=False,
    ),
    # Registered 2026-04-05: +15 = 04-20, "Day off (substituted from 04/25/2026)": kept.
    case(
        "by-ends-on-substituted-day-off",
        "BY",
        D(2026, 4, 4),
        D(2026, 4, 20),
        "by-300z",
        registered_on=D(2026, 4, 5),
        left_on_day_off=True,
    ),
    # Registered 2026-02-08: +15 = 02-23. Defender's Day is only in the `workday` category,
    # so it is a working day (reference §3, pitfall 1).
    case(
        "by-23-february-is-working",
        "BY",
        D(2026, 2, 8),
        D(2026, 2, 23),
        "by-300z",
        registered_on=D(2026, 2, 8),
        left_on_day_off=False,
    ),
    # Registered 2025-12-17: +15 = 2026-01-01, New Year's Day: kept.
    case(
        "by-new-year",
        "BY",
        D(2025, 12, 17),
        D(2026, 1, 1),
        "by-300z",
        registered_on=D(2025, 12, 17),
        left_on_day_off=True,
    ),
    # Additional study: 1 month from 2026-01-31 = 02-28 (no 31 February).
    case(
        "by-additional-study-month-end",
        "BY",
        D(2026, 1, 31),
        D(2026, 2, 28),
        "by-300z",
        registered_on=D(2026, 1, 31),
        variant="additional-study",
    ),
]

UKRAINE = [
    # 1 month from receipt: 2026-01-15 → 02-15 (Sunday): kept, roll-forward unverified.
    case("ua-month", "UA", D(2026, 1, 15), D(2026, 2, 15), "ua-393", left_on_day_off=True),
    # Registration is irrelevant: the term runs from receipt.
    case(
        "ua-registration-ignored",
        "UA",
        D(2026, 1, 15),
        D(2026, 2, 15),
        "ua-393",
        registered_on=D(2026, 1, 20),
    ),
    # 15 days when no additional study is needed: 2026-01-15 + 15 = 01-30.
    case(
        "ua-15-days", "UA", D(2026, 1, 15), D(2026, 1, 30), "ua-393", variant="no-additional-study"
    ),
    # Leap year: 2028-01-31 + 1 month = 2028-02-29.
    case("ua-leap-year-clamp", "UA", D(2028, 1, 31), D(2028, 2, 29), "ua-393"),
    # The package lists no Ukrainian public holidays from 2023 (martial law): 2025-12-01 + 1
    # month = 2026-01-01, and it counts as a working day.
    case(
        "ua-martial-law-no-holidays",
        "UA",
        D(2025, 12, 1),
        D(2026, 1, 1),
        "ua-393",
        left_on_day_off=False,
    ),
]

KAZAKHSTAN = [
    # Delivered Saturday 2026-03-07: Mar 8 (Sunday holiday), 9 observed; 10-13 (4), 16-20 (9),
    # 21-25 Nowruz, 26-27 (11), 30-31 (13), Apr 1 (14), Apr 2 (15).
    case("kz-start-on-weekend", "KZ", D(2026, 3, 7), D(2026, 4, 2), "kz-appc"),
    # 2025-12-25: Dec 26 (1), 29-31 (4), Jan 1-2 New Year, Jan 5-6 (6), Jan 7 Christmas,
    # Jan 8-9 (8), 12-16 (13), 19-20 (15).
    case("kz-new-year", "KZ", D(2025, 12, 25), D(2026, 1, 20), "kz-appc"),
    # 2024-12-30: Dec 31 (1), Jan 1-2, Jan 3 day off substituted from Sunday Jan 5, which is
    # worked (2), Jan 6 (3), Jan 7 Christmas, 8-10 (6), 13-17 (11), 20-23 (15).
    case("kz-working-sunday", "KZ", D(2024, 12, 30), D(2025, 1, 23), "kz-appc"),
    # First day of the APPC, 2021-07-01: Jul 2 (1), Sat Jul 3 worked (2), Jul 5 day off,
    # Jul 6 Capital Day, 7-9 (5), 12-16 (10), 19 (11), Jul 20 Eid, 21-23 (14), 26 (15).
    case("kz-appc-first-day", "KZ", D(2021, 7, 1), D(2021, 7, 26), "kz-appc"),
    # The day before: the earlier law, 15 calendar days: 2021-06-30 → 07-15.
    case("kz-old-law-last-day", "KZ", D(2021, 6, 30), D(2021, 7, 15), "kz-221"),
]

KYRGYZSTAN = [
    # Registered 2025-12-25: Dec 26 (1), 29-31 (4), Jan 1-7 holidays, 8-9 (6), 12-16 (11),
    # 19-21 (14).
    case(
        "kg-new-year", "KG", D(2025, 12, 24), D(2026, 1, 21), "kg-67", registered_on=D(2025, 12, 25)
    ),
    # Registered 2025-01-08: 9-10 (2), Sat Jan 11 worked (3), 13-17 (8), 20-24 (13), 27 (14).
    case(
        "kg-working-saturday",
        "KG",
        D(2025, 1, 8),
        D(2025, 1, 27),
        "kg-67",
        registered_on=D(2025, 1, 8),
    ),
    # Registration unknown: at most 1 working day after Friday 2026-03-06 = Monday 03-09;
    # 10-13 (4), 16-19 (8), 20 Eid, 21 Nooruz, 23-27 (13), 30 (14).
    case("kg-registration-unknown", "KG", D(2026, 3, 6), D(2026, 3, 30), "kg-67", estimate=True),
]

UZBEKISTAN = [
    # 2026-11-27 + 15 = 12-12, a transferred working Saturday: a working day.
    case(
        "uz-ends-on-working-saturday",
        "UZ",
        D(2026, 11, 27),
        D(2026, 12, 12),
        "uz-445",
        left_on_day_off=False,
    ),
    # 2026-12-16 + 15 = 12-31, "Day off (substituted from 12/12/2026)": kept.
    case(
        "uz-ends-on-substituted-day-off",
        "UZ",
        D(2026, 12, 16),
        D(2026, 12, 31),
        "uz-445",
        left_on_day_off=True,
    ),
    # 2024-12-20 + 15 = 2025-01-04, a working Saturday (its transfer is in the 2025 data).
    case(
        "uz-working-saturday-across-years",
        "UZ",
        D(2024, 12, 20),
        D(2025, 1, 4),
        "uz-445",
        left_on_day_off=False,
    ),
    # Additional study: 1 month, 2026-03-02 → 04-02.
    case(
        "uz-additional-study",
        "UZ",
        D(2026, 3, 2),
        D(2026, 4, 2),
        "uz-445",
        variant="additional-study",
    ),
]

CAUCASUS = [
    # Georgia, an application for an administrative act (Art. 100), 1 month from submission:
    # 2026-01-15 → 02-15 (Sunday): kept (recounted: the same dates, now under the kind
    # "administrative-act"; a letter that asks for no act has no confirmed term).
    case(
        "ge-month",
        "GE",
        D(2026, 1, 15),
        D(2026, 2, 15),
        "ge-gac-100",
        left_on_day_off=True,
        authority_kind="administrative-act",
    ),
    case(
        "ge-no-third-party",
        "GE",
        D(2026, 1, 15),
        D(2026, 1, 30),
        "ge-gac-100",
        variant="no-third-party",
        authority_kind="administrative-act",
    ),
    case(
        "ge-complaint",
        "GE",
        D(2026, 3, 10),
        D(2026, 4, 10),
        "ge-gac-183",
        authority_kind="administrative-complaint",
    ),
    # Armenia, petitions: 1 month from 2026-01-31 = 02-28 (Saturday): kept.
    case(
        "am-petition-month-end",
        "AM",
        D(2026, 1, 31),
        D(2026, 2, 28),
        "am-petitions",
        left_on_day_off=True,
    ),
    # Armenia, administrative act: 30 calendar days from registration 2026-02-27 = 03-29
    # (Sunday), which the law moves to Monday 03-30.
    case(
        "am-admin-act-rolls-forward",
        "AM",
        D(2026, 2, 27),
        D(2026, 3, 30),
        "am-admin-act",
        registered_on=D(2026, 2, 27),
        authority_kind="administrative-act",
        left_on_day_off=False,
    ),
    # Registered 2025-12-02: +30 = 2026-01-01; Jan 2 holiday, 3-4 weekend: moved to Jan 5.
    case(
        "am-admin-act-new-year",
        "AM",
        D(2025, 12, 2),
        D(2026, 1, 5),
        "am-admin-act",
        registered_on=D(2025, 12, 2),
        authority_kind="administrative-act",
    ),
    # Azerbaijan, transfers across the year end: 2024-12-26 → Dec 27 (1), Sat 28 and Sun 29
    # worked (3), Dec 30 day off, 31 holiday, Jan 1-2, Jan 3 day off, 6-10 (8), 13-17 (13),
    # Jan 20 Martyrs' Day, 21-22 (15).
    case("az-transfers-across-years", "AZ", D(2024, 12, 26), D(2025, 1, 22), "az-1384"),
    # Start on a holiday (2025-06-16, observed Liberation Day): 17-20 (4), Sat 21 worked (5),
    # 23-25 (8), 26 Armed Forces Day, 27 day off, 30 (9), Jul 1-4 (13), 7-8 (15).
    case("az-start-on-holiday-working-saturday", "AZ", D(2025, 6, 16), D(2025, 7, 8), "az-1384"),
]

EU_MEMBERS = [
    # Latvia, old rule (1 month) up to 28.02.2026: 2026-02-27 → 03-27.
    case("lv-old-rule", "LV", D(2026, 2, 27), D(2026, 3, 27), "lv-submissions-2007"),
    # Last day of the old rule, a Saturday: → 03-28 (Saturday): kept.
    case(
        "lv-old-rule-last-day",
        "LV",
        D(2026, 2, 28),
        D(2026, 3, 28),
        "lv-submissions-2007",
        left_on_day_off=True,
    ),
    # Old rule, month-end clamp: 2026-01-31 → 02-28.
    case("lv-old-rule-clamp", "LV", D(2026, 1, 31), D(2026, 2, 28), "lv-submissions-2007"),
    # New rule from 01.03.2026 (a Sunday): 10 working days, Mar 2-6 (5), 9-13 (10).
    case("lv-new-rule-first-day", "LV", D(2026, 3, 1), D(2026, 3, 13), "lv-submissions-2026"),
    # Easter: 2026-03-31 → Apr 1-2 (2), 3 Good Friday, 6 Easter Monday, 7-10 (6), 13-16 (10).
    case("lv-new-rule-easter", "LV", D(2026, 3, 31), D(2026, 4, 16), "lv-submissions-2026"),
    # Midsummer and a working Saturday: 2026-06-17 → 18-19 (2), 22 day off, 23-24 Midsummer,
    # 25-26 (4), Sat 27 worked (5), 29-30 (7), Jul 1-3 (10).
    case(
        "lv-new-rule-working-saturday", "LV", D(2026, 6, 17), D(2026, 7, 3), "lv-submissions-2026"
    ),
    case(
        "lv-new-rule-additional-information",
        "LV",
        D(2026, 3, 1),
        D(2026, 4, 1),
        "lv-submissions-2026",
        variant="additional-information",
    ),
    # Lithuania: 2026-02-13 → Feb 16 holiday, 17-20 (4), 23-27 (9), Mar 2-6 (14), 9-10 (16),
    # 11 holiday, 12-13 (18), 16-17 (20).
    case("lt-february-march", "LT", D(2026, 2, 13), D(2026, 3, 17), "lt-requests"),
    # Estonia: 30 calendar days, 2026-01-25 → 02-24, Independence Day: kept.
    case(
        "ee-independence-day", "EE", D(2026, 1, 25), D(2026, 2, 24), "ee-msvs", left_on_day_off=True
    ),
    # Moldova: 30 days from registration 2025-12-08 → 2026-01-07, Christmas (old style): kept.
    case(
        "md-christmas",
        "MD",
        D(2025, 12, 8),
        D(2026, 1, 7),
        "md-admin-code",
        registered_on=D(2025, 12, 8),
        left_on_day_off=True,
    ),
    # Moldova, registration unknown, no registration limit known: counted from delivery.
    case(
        "md-registration-unknown",
        "MD",
        D(2026, 3, 2),
        D(2026, 4, 1),
        "md-admin-code",
        estimate=True,
    ),
    # Romania: registered 2026-11-01 → 12-01, National Day: kept.
    case(
        "ro-national-day",
        "RO",
        D(2026, 11, 1),
        D(2026, 12, 1),
        "ro-og-27-2002",
        registered_on=D(2026, 11, 1),
        left_on_day_off=True,
    ),
    # Spain: 3 months from submission, 2026-01-30 → 04-30.
    case("es-three-months", "ES", D(2026, 1, 30), D(2026, 4, 30), "es-lo-4-2001"),
    # Spain: 2026-11-30 + 3 months = 2027-02-28 (clamped; a Sunday, kept).
    case("es-clamp", "ES", D(2026, 11, 30), D(2027, 2, 28), "es-lo-4-2001", left_on_day_off=True),
    # Spain, inadmissibility notice, 45 working days, national holidays only: Feb 2 - Apr 2
    # is 44 working days, Apr 3 Good Friday, Apr 6 (45).
    case(
        "es-inadmissibility-national",
        "ES",
        D(2026, 1, 30),
        D(2026, 4, 6),
        "es-lo-4-2001",
        variant="inadmissibility",
    ),
    # Same in Madrid, where Maundy Thursday (Apr 2) is a holiday too: Apr 6 (44), Apr 7 (45).
    case(
        "es-inadmissibility-madrid",
        "ES",
        D(2026, 1, 30),
        D(2026, 4, 7),
        "es-lo-4-2001",
        variant="inadmissibility",
        subdiv="MD",
    ),
]

ELSEWHERE = [
    # Scotland: 2 January is a holiday there (2027-01-02 is a Saturday, observed Monday Jan 4):
    # Dec 15-24 (8), 29-31 (11), Jan 5-8 (15), 11-15 (20).
    case(
        "gb-scotland",
        "GB",
        D(2026, 12, 14),
        D(2027, 1, 15),
        "gb-correspondence-guide",
        subdiv="SCT",
    ),
    # Delivered on a Saturday, 2026-05-02: May 4 and May 25 bank holidays; May 5-8 (4),
    # 11-15 (9), 18-22 (14), 26-29 (18), Jun 1-2 (20).
    case("gb-start-on-saturday", "GB", D(2026, 5, 2), D(2026, 6, 2), "gb-correspondence-guide"),
    # Canada, House petition: 45 calendar days from presentation 2026-02-02 → 03-19.
    case(
        "ca-house-petition",
        "CA",
        D(2026, 2, 2),
        D(2026, 3, 19),
        "ca-house-petition",
        authority_kind="house-petition",
    ),
    # Australia, House petition: 90 days from 2026-02-03 → 05-04.
    case(
        "au-house-petition",
        "AU",
        D(2026, 2, 3),
        D(2026, 5, 4),
        "au-house-petition",
        authority_kind="house-petition",
        left_on_day_off=False,
    ),
    # ... which is Labour Day in Queensland: kept, and said.
    case(
        "au-house-petition-queensland",
        "AU",
        D(2026, 2, 3),
        D(2026, 5, 4),
        "au-house-petition",
        authority_kind="house-petition",
        subdiv="QLD",
        left_on_day_off=True,
    ),
]


@pytest.mark.parametrize(
    ("country", "delivered", "due", "rule_id", "kw"),
    REFERENCE_SAMPLES
    + RUSSIA
    + BELARUS
    + UKRAINE
    + KAZAKHSTAN
    + KYRGYZSTAN
    + UZBEKISTAN
    + CAUCASUS
    + EU_MEMBERS
    + ELSEWHERE,
)
def test_due_date(country: str, delivered: date, due: date, rule_id: str, kw: dict) -> None:
    estimate = kw.pop("estimate", False)
    left_on_day_off = kw.pop("left_on_day_off", None)
    result = compute_due(country, delivered, **kw)
    assert result.rule.id == rule_id
    assert result.due == due
    assert result.estimate is estimate
    assert result.kind in (ResultKind.STATUTORY, ResultKind.GUIDANCE)
    if left_on_day_off is not None:
        assert result.end_on_non_working_day is left_on_day_off
        codes = {s.code for s in result.steps}
        assert bool(codes & {"end_not_working", "end_not_working_unverified"}) is left_on_day_off


@pytest.mark.parametrize(
    ("country", "delivered", "registered", "code"),
    [
        # RU, UA, RO, MD, EE: the reference marks the roll-forward rule UNVERIFIED.
        ("RU", D(2026, 1, 5), None, "end_not_working_unverified"),
        ("UA", D(2026, 1, 15), None, "end_not_working_unverified"),
        ("RO", D(2026, 11, 1), D(2026, 11, 1), "end_not_working_unverified"),
        ("MD", D(2025, 12, 8), D(2025, 12, 8), "end_not_working_unverified"),
        ("EE", D(2026, 1, 25), None, "end_not_working_unverified"),
        # Georgia and Latvia: the law is silent, so the roll-forward is flagged UNVERIFIED too.
        ("LV", D(2026, 2, 28), None, "end_not_working_unverified"),
    ],
)
def test_end_day_off_is_reported_not_moved(
    country: str, delivered: date, registered: date | None, code: str
) -> None:
    result = compute_due(country, delivered, registered_on=registered)
    step = next(s for s in result.steps if s.code == code)
    assert step.args["day"] == result.due.isoformat()
    assert date.fromisoformat(str(step.args["next_day"])) > result.due
    assert result.end_on_non_working_day


def test_armenian_admin_act_end_is_moved_and_explained() -> None:
    result = compute_due(
        "AM", D(2026, 2, 27), registered_on=D(2026, 2, 27), authority_kind="administrative-act"
    )
    moved = next(s for s in result.steps if s.code == "end_moved")
    assert moved.args == {"day": "2026-03-29", "holiday": None, "next_day": "2026-03-30"}
    assert not result.end_on_non_working_day


@pytest.mark.parametrize(
    ("country", "delivered", "registered"),
    [("RU", D(2025, 10, 1), D(2025, 10, 2)), ("BY", D(2026, 4, 10), D(2026, 4, 10))],
)
def test_end_on_a_worked_saturday_is_said(country, delivered, registered) -> None:
    result = compute_due(country, delivered, registered_on=registered)
    assert [s.args["day"] for s in result.steps if s.code == "end_working_weekend"] == [
        result.due.isoformat()
    ]


def test_registration_estimate_uses_the_latest_registration_day() -> None:
    result = compute_due("RU", D(2026, 1, 5))
    assert result.start_day == D(2026, 1, 8)
    step = next(s for s in result.steps if s.code == "registration_estimate")
    assert step.args["day"] == "2026-01-08"
    assert step.args["amount"] == 3
    # Entering the registration date replaces the estimate.
    exact = compute_due("RU", D(2026, 1, 5), registered_on=D(2026, 1, 6))
    assert (exact.due, exact.estimate) == (D(2026, 2, 5), False)


def test_late_registration_is_pointed_out() -> None:
    result = compute_due("RU", D(2026, 2, 2), registered_on=D(2026, 2, 10))
    late = next(s for s in result.steps if s.code == "registration_late")
    assert late.args["limit"] == "2026-02-05"


def test_working_days_list_skipped_days_with_names_and_worked_weekends() -> None:
    result = compute_due("AZ", D(2025, 6, 16))
    skipped = {s.day: (s.reason, s.holiday) for s in result.skipped}
    assert skipped[D(2025, 6, 21)] == ("working_weekend", None)
    assert skipped[D(2025, 6, 26)] == ("holiday", "Armed Forces Day")
    assert skipped[D(2025, 6, 27)] == ("holiday", "Day off (substituted from 06/21/2025)")
    assert skipped[D(2025, 6, 22)] == ("weekend", None)
    codes = [s.code for s in result.steps]
    assert "counted_working_weekend" in codes
    assert "delivered_not_working" in codes  # delivered on an observed holiday


@pytest.mark.parametrize(
    ("delivered", "rule_id"),
    [
        (D(2026, 2, 28), "lv-submissions-2007"),
        (D(2026, 3, 1), "lv-submissions-2026"),
        (D(2019, 6, 1), "lv-submissions-2007"),
        (D(2030, 1, 1), "lv-submissions-2026"),
    ],
)
def test_latvia_rule_follows_the_delivery_day(delivered: date, rule_id: str) -> None:
    result = compute_due("LV", delivered)
    assert result.rule.id == rule_id
    assert any(s.code == "in_force" for s in result.steps)
