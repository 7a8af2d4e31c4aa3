"""Benchmark of the tracking dashboard with 100,000 dispatches in one group.

Run: ``python bench/bench_dashboard.py`` (``make bench``). Builds a temporary SQLite database
(the real schema, WAL, foreign keys), bulk-inserts the dispatches with SQL (not through the web),
logs in through the login form, then times pages of the same app in the same process, the
contenders interleaved so drift hits all alike:

* the reference: the password page (``/account/password``), a trivial member page that does the
  same work per request (session, user, membership, layout, a form) and nothing else;
* the home page (``/``: what is due, overdue, not yet sent, the drafts), the dashboard
  (``/tracking/``), the dashboard filtered by a country and by an authority, a
  deep page of the overdue list, and the statistics per authority.

Prints the median time of each and its ratio to the reference; exits non-zero when the home
page or the dashboard takes more than ``GUARD`` times the reference, or the statistics per
authority more than ``AUTHORITY_GUARD`` times. design.md sets no budget for these pages; the
guards catch a page that starts loading the group's rows into Python (loading 100,000
dispatches through the ORM takes seconds, hundreds of times the reference).

Then the API (issue #18): every dispatch of the group listed through ``GET /api/v1/dispatches``
with a token, 500 a page, following ``next_cursor`` until it is null (200 pages for 100,000),
timed whole and compared with ONE load of the dashboard; more than ``API_GUARD`` times fails.
``--only-api`` times just the reference, the dashboard and the API listing. Without the route
(404) the API line says so and is skipped.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from letterkit import create_app, deadlines  # noqa: E402
from letterkit.config import engine_options  # noqa: E402
from letterkit.extensions import db  # noqa: E402
from letterkit.models import (  # noqa: E402
    Dispatch,
    DispatchMethod,
    DispatchReply,
    DispatchState,
    Model,
    ReplyChannel,
    ReplyOutcome,
    User,
)

GUARD = 15.0
# The statistics per authority aggregate every sent letter of the group (and its replies) on
# each request: it is allowed more than the dashboard, and still catches rows loaded into Python.
AUTHORITY_GUARD = 40.0
# Listing all 100,000 dispatches through the API (200 pages of 500) against ONE dashboard page.
# Each page is one keyset query on (group_id, id) and 500 rows turned into JSON: measured 8.4 s
# for the 200 pages, 109x a 77 ms dashboard (SQLite, December 2026; ~85 us per dispatch, nearly
# all of it building and writing the items). The guard leaves room for a busy machine and still
# catches a list that loads the group's rows per page (each page would cost seconds) or asks the
# database again for each dispatch (100,000 more queries double the time and more).
API_GUARD = 200.0
API_PAGE = 500
API_LIST = "/api/v1/dispatches"
PASSWORD = "benchmark password 123"
AUTHORITIES = [
    ("ru-minzdrav", "RU"),
    ("ru-mvd", "RU"),
    ("ru-genprokuratura", "RU"),
    ("ua-moz", "UA"),
    ("ua-verkhovna-rada", "UA"),
    ("md-ministry-health", "MD"),
    ("md-parliament", "MD"),
    ("kz-minzdrav", "KZ"),
]


def build(path: Path, count: int) -> tuple[Any, int]:
    """An app on a new SQLite file with one group, one coordinator and ``count`` dispatches."""
    from letterkit.accounts import operations as accounts
    from letterkit.models import Role
    from letterkit.services import drafts, letters

    options = engine_options(f"sqlite:///{path}")
    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
            "SQLALCHEMY_ENGINES": {"default": options},
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with app.app_context():
        Model.metadata.create_all(db.engine)
    with app.test_request_context():
        group = accounts.create_group("Bench group")
        group.address = "ul. Primernaya 1\n101000 Moscow"
        user = accounts.create_user(
            email="bench@example.org", display_name="Bench", password=PASSWORD
        )
        accounts.add_member(group, user, Role.COORDINATOR, actor=None)
        letter = drafts.create_draft(
            group,
            user,
            template="appeal",
            language="ru",
            authority_slug="ru-minzdrav",
            demand_slugs=[],
            paragraphs=[],
            fields={"subject": "О гуманизации наркополитики"},
        )
        letters.finalise(letter, group, user)
        db.session.commit()
        group_id, letter_id, user_id = group.id, letter.id, user.id
        insert_dispatches(group_id, letter_id, user_id, count)
    return app, group_id


def insert_dispatches(group_id: int, letter_id: int, user_id: int, count: int) -> None:
    """Bulk-insert ``count`` dispatches spread over the last 400 days, in every state."""
    rng = random.Random(20111201)
    today = date.today()
    rules_version = deadlines.load_rules().version
    import holidays

    rows: list[dict[str, Any]] = []
    replies: list[tuple[int, date, ReplyOutcome]] = []  # (dispatch number, received, outcome)
    for n in range(count):
        slug, country = AUTHORITIES[n % len(AUTHORITIES)]
        sent = today - timedelta(days=rng.randint(0, 400))
        due = sent + timedelta(days=30)
        row: dict[str, Any] = {
            "group_id": group_id,
            "letter_id": letter_id,
            "authority_slug": slug,
            "authority_name": f"Authority {slug}",
            "country": country,
            "method": DispatchMethod.HAND,
            "state": DispatchState.REGISTERED,
            "is_open": True,
            "sent_on": sent,
            "delivered_on": sent,
            "registered_on": sent,
            "registration_number": f"{n}",
            "handed_by_id": user_id,
            "handed_by_name": "",
            "due_on": due,
            "very_overdue_on": due + timedelta(days=30),
            "due_kind": "statutory",
            "due_estimate": False,
            "rule_id": "ru-59fz",
            "rules_version": rules_version,
            "holidays_version": holidays.__version__,
            "created_by_id": user_id,
        }
        roll = rng.random()
        if due < today and roll < 0.6:
            answered = sent + timedelta(days=rng.randint(3, 70))
            outcome = rng.choice([ReplyOutcome.MERITS, ReplyOutcome.FORMAL, ReplyOutcome.REFUSAL])
            row.update(
                state=DispatchState.ANSWERED,
                is_open=False,
                answered_on=min(answered, today),
                days_to_answer=(min(answered, today) - sent).days,
                outcome=outcome,
            )
            replies.append((n, min(answered, today), outcome))
        elif due < today and roll < 0.7:
            row.update(state=DispatchState.CLOSED, is_open=False)
        rows.append(row)
        if len(rows) == 10_000:
            db.session.execute(sa.insert(Dispatch), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(Dispatch), rows)
    insert_replies(group_id, user_id, replies)
    db.session.commit()


def insert_replies(
    group_id: int, user_id: int, replies: list[tuple[int, date, ReplyOutcome]]
) -> None:
    """One reply per answered dispatch, as the app stores them (dispatches are numbered by id)."""
    first = db.session.scalar(
        sa.select(sa.func.min(Dispatch.id)).where(Dispatch.group_id == group_id)
    )
    rows = [
        {
            "group_id": group_id,
            "dispatch_id": first + n,
            "received_on": on,
            "channel": ReplyChannel.POST,
            "outcome": outcome,
            "summary": "",
            "created_by_id": user_id,
        }
        for n, on, outcome in replies
    ]
    for start in range(0, len(rows), 10_000):
        db.session.execute(sa.insert(DispatchReply), rows[start : start + 10_000])


def timed(client: Any, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def api_token(app: Any, group_id: int) -> str:
    """A read-only token of the group, made as the settings page makes one."""
    from letterkit.api.tokens import create_token
    from letterkit.models import Group

    with app.app_context():
        _row, token = create_token(
            db.session.get(Group, group_id), "bench", read_only=True, actor=None
        )
        db.session.commit()
    return token


def list_through_api(client: Any, token: str) -> tuple[float, int, int] | None:
    """Time listing every dispatch through the API, page by page: (seconds, pages, items), or
    None when the API has no list of dispatches (404)."""
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{API_LIST}?limit={API_PAGE}"
    pages = items = 0
    start = time.perf_counter()
    while True:
        response = client.get(url, headers=headers)
        if response.status_code == 404 and pages == 0:
            return None
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        page = response.get_json()
        pages += 1
        items += len(page["items"])
        if page["next_cursor"] is None:
            break
        url = f"{API_LIST}?limit={API_PAGE}&cursor={page['next_cursor']}"
    return time.perf_counter() - start, pages, items


def time_api(client: Any, token: str, repeats: int) -> tuple[float, int, int] | None:
    """The median time of listing every dispatch through the API, its pages and items; None
    when the route is not there."""
    if list_through_api(client, token) is None:  # warm up (or find it missing)
        return None
    runs = [list_through_api(client, token) for _ in range(repeats)]
    elapsed = statistics.median(run[0] for run in runs if run is not None)
    _seconds, pages, items = runs[0] or (0.0, 0, 0)
    return elapsed, pages, items


def api_line(result: tuple[float, int, int] | None, stored: int, dashboard: float) -> bool:
    """Print the API listing's ratio to one dashboard page; return whether it is over the guard."""
    if result is None:
        print(f"API: {API_LIST} is not there (404): the API line is skipped")
        return False
    elapsed, pages, items = result
    if items != stored:
        raise SystemExit(f"the API listed {items:,} dispatches of {stored:,}")
    ratio = elapsed / dashboard
    verdict = "within" if ratio <= API_GUARD else "OVER"
    print(
        f"API: all {items:,} dispatches in {pages} pages = {ratio:.1f}x one dashboard page "
        f"({elapsed:.2f} s; {verdict} the guard of {API_GUARD:.0f}x)"
    )
    return ratio > API_GUARD


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dispatches", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--api-repeats", type=int, default=3)
    parser.add_argument(
        "--only-api", action="store_true", help="time only the dashboard and the API listing"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        app, group_id = build(Path(tmp) / "bench.sqlite3", args.dispatches)
        load_time = time.perf_counter() - started
        with app.app_context():
            stored = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Dispatch)
                .where(Dispatch.group_id == group_id)
            )
            email = db.session.scalar(sa.select(User.email))
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit("could not log in")

        pages = {
            "reference: /account/password": "/account/password",
            "home page /": "/",
            "dashboard /tracking/": "/tracking/",
            "dashboard, country=UA": "/tracking/?country=UA",
            "dashboard, authority=ru-mvd": "/tracking/?authority=ru-mvd",
            "very overdue list, page 200": "/tracking/dispatches?view=very_overdue&page=200",
            "per authority /tracking/authorities": "/tracking/authorities",
        }
        if args.only_api:
            pages = {name: pages[name] for name in list(pages)[:1] + ["dashboard /tracking/"]}
        for url in pages.values():  # warm up: templates compiled, catalogue loaded
            timed(client, url)
            timed(client, url)
        times: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(args.repeats):
            for name, url in pages.items():
                times[name].append(timed(client, url))
        api = time_api(client, api_token(app, group_id), args.api_repeats)
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()

    reference = statistics.median(times["reference: /account/password"])
    print(
        f"{stored:,} dispatches in one group (SQLite), set up in {load_time:.1f} s; "
        f"medians of {args.repeats} interleaved runs"
    )
    print(f"{'page':40} {'median ms':>10} {'ratio':>8}")
    ratios = {}
    for name, samples in times.items():
        median = statistics.median(samples)
        ratios[name] = median / reference
        print(f"{name:40} {median * 1000:10.2f} {ratios[name]:8.2f}")
    dashboard = statistics.median(times["dashboard /tracking/"])
    failed = api_line(api, stored, dashboard)
    for label, name, guard in (
        ("home page", "home page /", GUARD),
        ("dashboard", "dashboard /tracking/", GUARD),
        ("per-authority page", "per authority /tracking/authorities", AUTHORITY_GUARD),
    ):
        if name not in ratios:
            continue
        ratio = ratios[name]
        verdict = "within" if ratio <= guard else "OVER"
        failed = failed or ratio > guard
        print(f"{label} / reference = {ratio:.2f} ({verdict} the guard of {guard:.0f}x)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
