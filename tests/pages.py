"""The pages of a lived-in group, collected by crawling the app with the test client.

A group with letters, dispatches, a reply, a petition with a signature and the example campaigns;
then every GET page reachable by links from the home page as a visitor, a coordinator and a
member, plus setup, login, the public petition page and the error pages. The validator test
(tests/test_valid_pages.py) and the accessibility test (tests/browser/test_axe.py) use them.
"""

from __future__ import annotations

import html
import re
from collections import Counter, deque
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException

from letterkit.extensions import db
from letterkit.models import Dispatch, Group, ReplyChannel, ReplyOutcome, User
from tests.conftest import Client, login
from tests.petitions.helpers import form_data, make_signon_draft, open_petition, prepare_group
from tests.tracking.conftest import final_letter, record

HREF = re.compile(r"<a\b[^>]*\bhref=\"([^\"]*)\"", re.I)
# Pages of one kind look alike: a few of each are enough (the catalogue alone has hundreds).
PER_ENDPOINT = 3
# Files, not pages (a PDF would also wait for LibreOffice).
DOWNLOAD = re.compile(r"\.(docx|pdf|zip|csv|ics|patch)$")
# Forms sent empty by the coordinator: the pages that show their errors.
EMPTY_FORMS = (
    "/catalogue/authorities/new",
    "/catalogue/demands/new",
    "/catalogue/sets/new",
    "/campaigns/new",
    "/account/password",
    "/group/api-tokens",
)


class Crawler:
    """Follow a client's links from the start pages; keep every HTML page it finds."""

    def __init__(self, app: Flask, out: Path) -> None:
        self.adapter = app.url_map.bind("localhost")
        self.out = out
        self.seen: set[str] = set()
        self.per_endpoint: Counter[str] = Counter()
        self.pages: dict[str, str] = {}  # file name -> who, URL and status
        self.visits: list[tuple[str, str, int]] = []  # (who, URL, status)
        self.people: dict[str, dict[str, Any]] = {}  # who -> the person, to log in again

    def _endpoint(self, path: str) -> str | None:
        try:
            endpoint, _ = self.adapter.match(path, method="GET")
        except HTTPException:
            return None
        return str(endpoint)

    def _wanted(self, url: str) -> str | None:
        parts = urlsplit(html.unescape(url))
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return None
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        endpoint = self._endpoint(parts.path)
        if target in self.seen or endpoint in (None, "static", "tracking.download"):
            return None
        if DOWNLOAD.search(parts.path):
            return None
        if self.per_endpoint[endpoint] >= PER_ENDPOINT:
            return None
        self.seen.add(target)
        self.per_endpoint[endpoint] += 1
        return target

    def keep(self, who: str, url: str, response: Any) -> None:
        """Save one HTML response for the validator."""
        name = f"{who}-{len(self.pages):03d}.html"
        (self.out / name).write_bytes(response.get_data())
        self.pages[name] = f"{who} {url} ({response.status_code})"
        self.visits.append((who, url, response.status_code))

    def crawl(self, who: str, client: Client, *starts: str) -> None:
        """Visit everything reachable from ``starts`` that this client may GET."""
        self.seen.clear()
        self.per_endpoint.clear()
        queue = deque(t for t in map(self._wanted, starts) if t)
        while queue:
            url = queue.popleft()
            response = client.get(url)
            response.get_data()
            response.close()  # a download is streamed from a temporary file
            if response.status_code in (301, 302, 303, 307, 308):
                target = self._wanted(response.headers["Location"])
                if target:
                    queue.append(target)
                continue
            assert response.status_code == 200, f"{who} GET {url}: {response.status_code}"
            if response.mimetype != "text/html":
                continue
            self.keep(who, url, response)
            text = response.get_data(as_text=True)
            queue.extend(t for t in map(self._wanted, HREF.findall(text)) if t)


def _letters(app: Flask, person: dict[str, Any]) -> None:
    """A replied dispatch, one waiting, a final letter never sent, and a draft."""
    today = date.today()
    sent = final_letter(app, person)
    day = today - timedelta(days=20)
    record(app, person, sent, sent_on=day, registered_on=day, registration_number="17")
    replied = record(app, person, sent, sent_on=today - timedelta(days=90))
    final_letter(app, person, authority="ru-mvd")
    from letterkit.services import drafts
    from letterkit.tracking.operations import replies

    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        actor = db.session.get(User, person["id"])
        replies.record_reply(
            db.session.get(Dispatch, replied),
            group,
            actor,
            received_on=today - timedelta(days=10),
            channel=ReplyChannel.POST,
            outcome=ReplyOutcome.FORMAL,
            summary="A formal reply",
        )
        drafts.create_draft(
            group,
            actor,
            template="appeal",
            language="en",
            authority_slug="ua-moz",
            demand_slugs=[],
            paragraphs=[],
            fields={"subject": "Naloxone for everyone"},
        )
        db.session.commit()


def _tokens(crawler: Crawler, staff: Client) -> None:
    """A token in use and a revoked one for the list; the page that shows a new token, once."""
    response = staff.post("/group/api-tokens", data={"name": "Old laptop"})
    assert response.status_code == 200
    match = re.search(r'action="(/group/api-tokens/[^"]+/revoke)"', response.get_data(as_text=True))
    assert match, "no revoke button for the new token"
    assert staff.post(match.group(1)).status_code == 302
    response = staff.post("/group/api-tokens", data={"name": "Spreadsheet", "read_only": "y"})
    assert 'id="new-token"' in response.get_data(as_text=True)
    crawler.keep("coordinator", "POST /group/api-tokens", response)


def collect(app: Flask, factory: Any, out: Path) -> Crawler:
    """Make a lived-in group and collect its pages as a visitor, a coordinator and a member."""
    crawler = Crawler(app, out)
    visitor: Client = app.test_client()  # type: ignore[assignment]
    # Setup is offered only while the installation has no account.
    crawler.crawl("visitor", visitor, "/setup")
    coordinator = factory.user(factory.group(), "coordinator")
    group = coordinator["group_id"]
    prepare_group(app, group)
    _letters(app, coordinator)
    letter = make_signon_draft(app, coordinator)
    _, code = open_petition(app, coordinator, letter)
    signer: Client = app.test_client()  # type: ignore[assignment]
    assert signer.post(f"/s/{code}", data=form_data()).status_code in (200, 302, 303)
    crawler.crawl("visitor", visitor, "/", "/login", f"/s/{code}")
    wrong = {"email": "nobody@example.org", "password": "not the password"}
    crawler.keep("visitor", "POST /login", visitor.post("/login", data=wrong))
    for path in ("/no-such-page", "/s/no-such-code", "/letters/999999"):
        response = visitor.get(path)
        assert response.status_code in (302, 404), path
        if response.status_code == 404:
            crawler.keep("visitor", path, response)
    staff: Client = app.test_client()  # type: ignore[assignment]
    login(staff, coordinator)
    crawler.people["coordinator"] = coordinator
    assert staff.post("/campaigns/examples").status_code == 302
    _tokens(crawler, staff)
    crawler.crawl("coordinator", staff, "/")
    reached = {url for who, url, _status in crawler.visits if who == "coordinator"}
    assert {"/group/api-tokens", "/help/api"} <= reached, "the API pages were not crawled"
    for path in EMPTY_FORMS:
        response = staff.post(path, data={})
        assert response.status_code in (200, 422), path
        crawler.keep("coordinator", f"POST {path}", response)
    not_allowed = staff.post("/members", data={})
    assert not_allowed.status_code == 405
    crawler.keep("coordinator", "POST /members", not_allowed)
    for path in ("/letters/999999", "/tracking/dispatches/999999"):
        crawler.keep("coordinator", path, staff.get(path))
    member: Client = app.test_client()  # type: ignore[assignment]
    crawler.people["member"] = factory.user(group, "member")
    login(member, crawler.people["member"])
    crawler.crawl("member", member, "/")
    return crawler
