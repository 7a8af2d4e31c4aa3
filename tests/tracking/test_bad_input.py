"""Bad input gets a clear message next to its field and changes nothing."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import AuditEvent, Dispatch, DispatchExtension, DispatchReply, TrackingFile
from tests.conftest import Client, count
from tests.tracking.conftest import JPEG, PDF, PNG, form_post, load, record

# Read when the module loads; "future" dates below stay future across one midnight (1 day of
# tolerance + 1).
TODAY = date.today()
SENT = TODAY - timedelta(days=20)
BIG = b"\x89PNG\r\n\x1a\n" + b"\x00" * (50 * 1024 * 1024)
HTML_AS_PDF = b"<!doctype html><script>alert(1)</script>"
GIF = b"GIF89a" + b"\x00" * 32


class FileData:
    """An upload to make afresh for each request (a stream is used up once sent)."""

    def __init__(self, data: bytes, name: str) -> None:
        self.data, self.name = data, name

    def __repr__(self) -> str:
        return f"FileData({self.name!r}, {len(self.data)} bytes)"


def _fresh(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (io.BytesIO(value.data), value.name) if isinstance(value, FileData) else value
        for key, value in data.items()
    }


def _snapshot(app: Flask) -> tuple[Any, ...]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                Dispatch.state,
                Dispatch.due_on,
                Dispatch.registered_on,
                Dispatch.delivered_on,
                Dispatch.registration_number,
            ).order_by(Dispatch.id)
        ).all()
    return (
        tuple(rows),
        count(app, Dispatch),
        count(app, DispatchReply),
        count(app, DispatchExtension),
        count(app, TrackingFile),
        count(app, AuditEvent),
    )


def _error_next_to(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    assert match, f"no error next to {field_id}"
    return html.unescape(match.group(1))


NEW_DISPATCH_CASES = [
    pytest.param(
        {"registered_on": (SENT - timedelta(days=1)).isoformat()},
        "registered_on",
        "cannot be before the letter reached the authority",
        id="registration-before-delivery",
    ),
    pytest.param(
        {"method": "post", "delivered_on": (SENT - timedelta(days=2)).isoformat()},
        "delivered_on",
        "cannot have arrived",
        id="delivery-before-sending",
    ),
    pytest.param(
        {"sent_on": (TODAY + timedelta(days=3)).isoformat()},
        "sent_on",
        "This date is in the future",
        id="sent-in-the-future",
    ),
    pytest.param(
        {"registered_on": (TODAY + timedelta(days=30)).isoformat()},
        "registered_on",
        "This date is in the future",
        id="registered-in-the-future",
    ),
    pytest.param(
        {"sent_on": "2026-01-04"},  # the letter is dated 2026-01-05
        "sent_on",
        "before the date it bears (2026-01-05)",
        id="sent-before-the-letter-date",
    ),
    pytest.param({"sent_on": ""}, "sent_on", "or mark it as planned", id="no-date"),
    pytest.param({"sent_on": "2026-02-30"}, "sent_on", "Not a valid date", id="not-a-date"),
    pytest.param(
        {"proof": FileData(BIG, "stamp.png")}, "proof", "larger than 10 MB", id="50-MB-proof"
    ),
    pytest.param(
        {"proof": FileData(HTML_AS_PDF, "stamp.pdf")},
        "proof",
        "Only a photo (JPEG or PNG) or a PDF",
        id="html-named-pdf",
    ),
    pytest.param(
        {"proof": FileData(GIF, "stamp.png")},
        "proof",
        "Only a photo (JPEG or PNG) or a PDF",
        id="gif-named-png",
    ),
    pytest.param(
        {"method": "refused", "registration_number": "12-3/456"},
        "registration_number",
        "A letter refused at the door was not registered",
        id="refused-but-registered",
    ),
    pytest.param(
        {"handed_by_name": "Line one\nline two"},
        "handed_by_name",
        "single line",
        id="two-line-name",
    ),
]


@pytest.mark.parametrize(("data", "field", "text"), NEW_DISPATCH_CASES)
def test_recording_a_dispatch_refuses(
    app: Flask, logged_in: Client, letter_id: int, data: dict[str, Any], field: str, text: str
) -> None:
    before = _snapshot(app)
    values: dict[str, Any] = {"method": "hand", "sent_on": SENT.isoformat()}
    values.update(_fresh(data))
    response = form_post(logged_in, f"/tracking/letters/{letter_id}/dispatch", None, values)
    assert response.status_code == 422
    assert text in _error_next_to(response.get_data(as_text=True), field)
    assert _snapshot(app) == before


@pytest.fixture
def dispatch_id(app: Flask, group_with_details: dict[str, Any], letter_id: int) -> int:
    """A hand delivery registered the next day."""
    return record(
        app,
        group_with_details,
        letter_id,
        sent_on=SENT,
        registered_on=SENT + timedelta(days=1),
        registration_number="12-3/456",
    )


DISPATCH_PAGE_CASES = [
    pytest.param(
        "replies",
        "reply",
        {
            "received_on": (SENT - timedelta(days=1)).isoformat(),
            "channel": "post",
            "outcome": "merits",
        },
        "received_on",
        "before the letter was sent",
        id="reply-before-dispatch",
    ),
    pytest.param(
        "replies",
        "reply",
        {
            "received_on": (TODAY + timedelta(days=3)).isoformat(),
            "channel": "post",
            "outcome": "merits",
        },
        "received_on",
        "This date is in the future",
        id="reply-in-the-future",
    ),
    pytest.param(
        "replies",
        "reply",
        {
            "received_on": TODAY.isoformat(),
            "channel": "post",
            "outcome": "merits",
            "scan": FileData(BIG, "reply.png"),
        },
        "scan",
        "larger than 10 MB",
        id="50-MB-scan",
    ),
    pytest.param(
        "replies",
        "reply",
        {
            "received_on": TODAY.isoformat(),
            "channel": "post",
            "outcome": "merits",
            "scan": FileData(b"PK\x03\x04 a docx", "reply.pdf"),
        },
        "scan",
        "Only a photo (JPEG or PNG) or a PDF",
        id="zip-scan",
    ),
    pytest.param(
        "replies",
        "reply",
        {"received_on": TODAY.isoformat(), "channel": "pigeon", "outcome": "merits"},
        "channel",
        "Not a valid choice",
        id="unknown-channel",
    ),
    pytest.param(
        "replies",
        "reply",
        {"received_on": TODAY.isoformat(), "channel": "post", "outcome": ""},
        "outcome",
        "This field is required",
        id="no-outcome-chosen",
    ),
    pytest.param(
        "registration",
        "reg",
        {"registered_on": (SENT - timedelta(days=3)).isoformat(), "registration_number": "1"},
        "registered_on",
        "cannot be before the letter reached the authority",
        id="registration-before-delivery",
    ),
    pytest.param(
        "registration",
        "reg",
        {"delivered_on": (TODAY + timedelta(days=5)).isoformat()},
        "delivered_on",
        "This date is in the future",
        id="delivery-in-the-future",
    ),
    pytest.param(
        "extension",
        "ext",
        {"notice_on": (TODAY + timedelta(days=9)).isoformat(), "new_due_on": TODAY.isoformat()},
        "notice_on",
        "This date is in the future",
        id="notice-in-the-future",
    ),
    pytest.param(
        "extension",
        "ext",
        {"notice_on": TODAY.isoformat(), "new_due_on": SENT.isoformat()},
        "new_due_on",
        "must be after the current one",
        id="extension-backwards",
    ),
    pytest.param(
        "files",
        "proof",
        {"proof": FileData(b"", "empty.png")},
        "proof",
        "The file is empty.",
        id="empty-file",
    ),
    pytest.param("files", "proof", {}, "proof", "Choose a file.", id="no-file"),
    pytest.param(
        "files",
        "proof",
        {"proof": FileData(GIF, "x.jpg")},
        "proof",
        "Only a photo (JPEG or PNG) or a PDF",
        id="gif-proof",
    ),
]


@pytest.mark.parametrize(("action", "prefix", "data", "field", "text"), DISPATCH_PAGE_CASES)
def test_the_dispatch_page_refuses(
    app: Flask,
    logged_in: Client,
    dispatch_id: int,
    action: str,
    prefix: str,
    data: dict[str, Any],
    field: str,
    text: str,
) -> None:
    before = _snapshot(app)
    response = form_post(
        logged_in, f"/tracking/dispatches/{dispatch_id}/{action}", prefix, _fresh(data)
    )
    assert response.status_code == 422
    assert text in _error_next_to(response.get_data(as_text=True), f"{prefix}-{field}")
    assert _snapshot(app) == before


@pytest.mark.parametrize(
    ("data", "content_type"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (PDF, "application/pdf")]
)
def test_proofs_are_kept_by_what_they_are_not_their_name(
    app: Flask, logged_in: Client, dispatch_id: int, data: bytes, content_type: str
) -> None:
    response = form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/files",
        "proof",
        {"proof": (io.BytesIO(data), "scan.txt")},
    )
    assert response.status_code == 302
    (stored,) = load(app, dispatch_id).files
    assert stored.content_type == content_type and stored.size == len(data)
    download = logged_in.get(f"/tracking/files/{stored.id}")
    assert download.status_code == 200 and download.get_data() == data
    assert download.mimetype == content_type
    assert download.headers["Content-Disposition"].startswith('attachment; filename="proof-')
    assert "sandbox" in download.headers["Content-Security-Policy"]


def test_no_reply_outcome_is_preselected(logged_in: Client, dispatch_id: int) -> None:
    """A reply is not "answered on the merits" until someone chooses it."""
    page = logged_in.get(f"/tracking/dispatches/{dispatch_id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="reply-outcome"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the reply form has an outcome select"
    assert "required" in select.group(0)
    options = re.findall(r"<option([^>]*)>", select.group(1))
    assert 'value=""' in options[0]
    assert not any("selected" in o for o in options[1:])
