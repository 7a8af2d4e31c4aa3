"""Follow-up letters from overdue dispatches, and the daily ``letterkit due`` command."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit import documents
from letterkit.extensions import db
from letterkit.models import Dispatch, Group, Letter, LetterStatus
from letterkit.services import letters
from tests.conftest import Client, count
from tests.tracking.conftest import final_letter, load, record

TODAY = date.today()


def test_a_follow_up_cites_the_first_letter_the_law_and_the_due_date(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any], letter_id: int
) -> None:
    registered = TODAY - timedelta(days=45)
    dispatch_id = record(
        app,
        group_with_details,
        letter_id,
        sent_on=registered - timedelta(days=1),
        registered_on=registered,
        registration_number="12-3/456",
    )
    d = load(app, dispatch_id)
    assert d.due_on == registered + timedelta(days=30) < TODAY
    page = logged_in.get(f"/tracking/dispatches/{dispatch_id}").get_data(as_text=True)
    assert "Write a follow-up citing the law" in page

    response = logged_in.post(f"/tracking/dispatches/{dispatch_id}/follow-up")
    assert response.status_code == 302
    with app.test_request_context():
        first = db.session.get(Letter, letter_id)
        draft = db.session.scalar(sa.select(Letter).where(Letter.template == "follow-up"))
        assert response.headers["Location"] == f"/letters/{draft.id}"
        assert draft.status is LetterStatus.DRAFT
        assert (draft.authority_slug, draft.language) == ("ru-minzdrav", "ru")
        assert draft.demand_slugs == first.demand_slugs
        on_day_off = d.due_explanation["end_on_non_working_day"]
        assert draft.fields == {
            "sent_date": (registered - timedelta(days=1)).isoformat(),
            # 59-FZ's roll-forward of an end day off is unverified: then a reckoning
            "law_hedge": "по нашему расчёту" if on_day_off else "",
            "first_letter_date": first.letter_date.isoformat(),
            "first_letter_reference": first.reference,
            "first_letter_subject": "О гуманизации наркополитики",
            "registration_number": "12-3/456",
            "registration_date": registered.isoformat(),
            # the law as a Russian letter cites it, not the rules file's English
            "law": (
                "Федеральный закон от 02.05.2006 № 59-ФЗ «О порядке рассмотрения обращений "
                "граждан Российской Федерации»"
            ),
            "article": "ч. 1 ст. 12",
            "due_date": d.due_on.isoformat(),
        }
        built = letters.build(draft, db.session.get(Group, group_with_details["group_id"]))
        text = " ".join(built.paragraphs)
        assert first.reference in text and "12-3/456" in text
        assert "(Федеральный закон от 02.05.2006 № 59-ФЗ" in text and "ч. 1 ст. 12)" in text
        assert "Federal Law" not in text and "Art." not in text
        assert documents.render_docx(built)[:2] == b"PK"


def _follow_up_fields(app: Flask, logged_in: Client, dispatch_id: int) -> dict[str, Any]:
    assert logged_in.post(f"/tracking/dispatches/{dispatch_id}/follow-up").status_code == 302
    with app.test_request_context():
        draft = db.session.scalar(sa.select(Letter).where(Letter.template == "follow-up"))
        return dict(draft.fields)


@pytest.mark.parametrize("case", ["English letter", "due date stored before citations"])
def test_without_a_citation_in_its_language_a_follow_up_cites_the_rule_as_written(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any], letter_id: int, case: str
) -> None:
    if case == "English letter":
        subject = {"subject": "Drug policy reform"}
        letter_id = final_letter(app, group_with_details, language="en", fields=subject)
    registered = TODAY - timedelta(days=45)
    dispatch_id = record(
        app, group_with_details, letter_id, sent_on=registered, registered_on=registered
    )
    if case == "due date stored before citations":
        with app.app_context():
            dispatch = db.session.get(Dispatch, dispatch_id)
            explanation = dict(dispatch.due_explanation)
            rule = {k: v for k, v in explanation["rule"].items() if k != "citations"}
            dispatch.due_explanation = {**explanation, "rule": rule}
            db.session.commit()
    fields = _follow_up_fields(app, logged_in, dispatch_id)
    assert fields["law"].startswith("Federal Law of 02.05.2006 No. 59-FZ")
    assert fields["article"] == "Art. 12(1)"


def test_no_follow_up_before_the_due_date(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any], letter_id: int
) -> None:
    dispatch_id = record(app, group_with_details, letter_id, sent_on=TODAY - timedelta(days=2))
    letters = count(app, Letter)
    assert "Write a follow-up" not in logged_in.get(f"/tracking/dispatches/{dispatch_id}").get_data(
        as_text=True
    )
    response = logged_in.post(
        f"/tracking/dispatches/{dispatch_id}/follow-up", follow_redirects=True
    )
    assert "A follow-up is for a dispatch whose reply is overdue." in response.get_data(
        as_text=True
    )
    assert count(app, Letter) == letters


def test_due_command_lists_what_is_due_and_overdue(
    app: Flask, runner: Any, group_with_details: dict[str, Any], letter_id: int, factory: Any
) -> None:
    person = group_with_details
    overdue = record(
        app,
        person,
        letter_id,
        sent_on=TODAY - timedelta(days=35),
        registered_on=TODAY - timedelta(days=35),
        handed_by_name="Ivan Secretperson",
        registration_number="Вх-1",
    )
    soon = record(
        app,
        person,
        letter_id,
        sent_on=TODAY - timedelta(days=27),
        registered_on=TODAY - timedelta(days=27),
    )
    later = record(app, person, letter_id, sent_on=TODAY, registered_on=TODAY)
    other = factory.user(factory.group("Other group"), "coordinator")
    other_letter = final_letter(
        app, other, authority="ua-moz", language="uk", fields={"subject": "x"}
    )
    elsewhere = record(app, other, other_letter, sent_on=TODAY - timedelta(days=40))

    with app.app_context():
        slug = db.session.get(Group, person["group_id"]).slug
        reference = db.session.get(Letter, letter_id).reference
    result = runner.invoke(args=["letterkit", "due", "--within", "7", "--group", slug])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.rsplit(" ", 1)[1] for line in lines] == [str(overdue), str(soon)]
    assert lines[0].split("\t")[:3] == [
        slug,
        (TODAY - timedelta(days=5)).isoformat(),
        "overdue (5 days)",
    ]
    assert "due in 3 days" in lines[1] and "ru-minzdrav" in lines[1] and reference in lines[1]
    assert "Secretperson" not in result.output and "@" not in result.output
    assert "Вх-1" not in result.output

    everyone = runner.invoke(args=["letterkit", "due", "--within", "40"])
    ids = [line.rsplit(" ", 1)[1] for line in everyone.output.strip().splitlines()]
    assert set(ids) == {str(overdue), str(soon), str(later), str(elsewhere)}

    unknown = runner.invoke(args=["letterkit", "due", "--group", "nope"])
    assert unknown.exit_code != 0 and "There is no group 'nope'" in unknown.output
