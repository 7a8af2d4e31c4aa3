"""The public deadline calculator: no account, nothing stored, no cookie, rate-limited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from letterkit import deadlines
from letterkit.models import AuditEvent
from tests.conftest import Client, count


@pytest.fixture(autouse=True)
def installed(coordinator: dict[str, Any]) -> None:
    """A set-up installation (a fresh one sends every page to the first-run setup)."""


def get(client: Client, **args: str) -> Any:
    return client.get("/deadline", query_string=args)


def test_the_empty_form_is_public_and_sets_no_cookie(client: Client) -> None:
    response = client.get("/deadline")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    text = response.get_data(as_text=True)
    assert 'method="get"' in text and "csrf_token" not in text
    assert "Russia" in text and "Moldova" in text


def test_a_russian_letter_is_due_30_days_after_registration(app: Flask, client: Client) -> None:
    events = count(app, AuditEvent)
    response = get(client, country="RU", delivered_on="2026-01-05", registered_on="2026-01-05")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    text = response.get_data(as_text=True)
    expected = deadlines.compute_due("RU", date(2026, 1, 5), registered_on=date(2026, 1, 5))
    assert expected.due == date(2026, 2, 4)
    assert "Reply due by law: February 4, 2026 (Wednesday)" in text
    for line in deadlines.explain(expected, deadlines.Speech(locale="en")):
        assert line.replace("'", "&#39;") in text
    assert count(app, AuditEvent) == events  # nothing stored


def test_without_the_registration_day_it_is_an_estimate(client: Client) -> None:
    text = get(client, country="RU", delivered_on="2026-01-05").get_data(as_text=True)
    assert "estimate until the registration date is entered" in text


def test_the_answer_in_russian(client: Client) -> None:
    client.set_cookie("letterkit_lang", "ru")
    response = get(client, country="RU", delivered_on="2026-01-05", registered_on="2026-01-05")
    text = response.get_data(as_text=True)
    assert "4 февраля 2026" in text and "(среда)" in text


def test_only_the_kinds_of_the_chosen_country_are_offered(client: Client) -> None:
    book = deadlines.load_rules()
    text = get(client, country="MD", delivered_on="2026-03-02").get_data(as_text=True)
    for code in book.kinds:
        offered = f'value="{code}"' in text
        assert offered == (code in book.kinds_for("MD"))


@pytest.mark.parametrize(
    "args",
    [
        {"country": "XX", "delivered_on": "2026-01-05"},
        {"country": "RU", "delivered_on": "1899-01-05"},
        {"country": "RU", "delivered_on": "9999-12-31"},
        {"country": "RU", "delivered_on": "05.01.2026"},
        {"country": "RU", "delivered_on": "2026-02-30"},
        {"country": "RU", "delivered_on": "'; DROP TABLE letter;--"},
        {"country": "RU"},
        {"country": "RU", "delivered_on": "2026-01-05", "registered_on": "2026-01-01"},
        {"country": "RU", "delivered_on": "2026-01-05", "kind": "no-such-kind"},
        {"country": "RU\x00", "delivered_on": "2026-01-05\x00"},
    ],
)
def test_bad_input_gets_a_clear_422(client: Client, args: dict[str, str]) -> None:
    response = get(client, **args)
    assert response.status_code == 422
    assert "Set-Cookie" not in response.headers
    text = response.get_data(as_text=True)
    assert "The due date could not be worked out." in text
    assert 'class="error"' in text


def test_a_day_outside_the_rules_gets_the_engines_reason(client: Client) -> None:
    response = get(client, country="LV", delivered_on="2000-01-03")
    assert response.status_code in (200, 422)
    assert response.status_code != 500


def test_the_footer_links_to_the_calculator(client: Client) -> None:
    assert 'href="/deadline"' in client.get("/login").get_data(as_text=True)


class TestRateLimit:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "DEADLINE_RATE_LIMIT": "3 per minute"}

    def test_too_many_answers_get_a_clear_429(self, client: Client) -> None:
        for _ in range(3):
            assert get(client, country="RU", delivered_on="2026-01-05").status_code == 200
        response = get(client, country="RU", delivered_on="2026-01-05")
        assert response.status_code == 429
        assert "Set-Cookie" not in response.headers
        assert "Too many attempts" in response.get_data(as_text=True)


def test_today_plus_a_year_is_the_last_day(client: Client) -> None:
    last = date.today() + timedelta(days=366)
    assert get(client, country="UA", delivered_on=last.isoformat()).status_code == 200
    later = (last + timedelta(days=1)).isoformat()
    assert get(client, country="UA", delivered_on=later).status_code == 422
