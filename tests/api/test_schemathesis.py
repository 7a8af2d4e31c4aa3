"""Schemathesis against the live API: gunicorn on loopback (production settings) on each
database, a group with one object of every kind and a read-write token, a second group's token as
its peer, and ``st run --checks all`` over every operation of ``/api/v1/openapi.json``.

The settings the run takes besides its command line are in ``schemathesis.toml`` at the root of
the repository; the test adds to a copy of it the seeded names, real names of the catalogue for the
fields that name its entries, and the two tokens.

A deeper search by hand, with another seed and every request and response kept::

    LETTERKIT_SCHEMATHESIS_EXAMPLES=150 LETTERKIT_SCHEMATHESIS_SEED=7 \
    LETTERKIT_SCHEMATHESIS_REPORT=/tmp/st pytest tests/api/test_schemathesis.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask

from tests.conftest import Factory
from tests.petitions.loadgen import ROOT, gunicorn

from .conftest import make_token
from .seed import seed_group

pytestmark = pytest.mark.slow

#: test cases per operation and phase: enough to find a wrong status, type or header, small
#: enough that a run takes about a minute (both databases side by side, under two minutes on two
#: busy cores); LETTERKIT_SCHEMATHESIS_EXAMPLES=150 searches deeper by hand (five minutes)
MAX_EXAMPLES = int(os.environ.get("LETTERKIT_SCHEMATHESIS_EXAMPLES", "20"))
#: another seed searches other cases (LETTERKIT_SCHEMATHESIS_SEED=7 …)
SEED = os.environ.get("LETTERKIT_SCHEMATHESIS_SEED", "1")
#: a directory to keep every request and response of the run in (a HAR file), to see what the
#: operations answered: LETTERKIT_SCHEMATHESIS_REPORT=/tmp/st
REPORT = os.environ.get("LETTERKIT_SCHEMATHESIS_REPORT")
#: a run that hangs is stopped after this many seconds (a normal one takes a fifth of it)
RUN_TIMEOUT = max(300, 15 * MAX_EXAMPLES)


def database_url(options: dict[str, Any]) -> str:
    """The URL the server process reaches the test database by (with its schema)."""
    url = str(options["url"])
    search_path = options.get("connect_args", {}).get("options")
    return f"{url}?options={quote(search_path)}" if search_path else url


#: the catalogue's names a request may carry in its body or query (dictionary: locations), besides
#: the seeded group's names that ``body.letter`` and the path parameters draw from
CATALOGUE_BINDINGS = {
    "authority": ("body.authority", "body.authorities[*]", "query.authority"),
    "demand": ("body.demands[*]",),
    "template": ("body.template",),
    "language": ("body.language",),
    "country": ("query.country",),
    "kind": ("query.kind", "body.proceeding_kind"),
}
#: days a body or query gives (dictionary: locations): most generated dates are centuries away,
#: and a dispatch, reply or extension must happen lately (a due date or planned day comes later)
DAY_BINDINGS = {
    "recent_day": (
        "body.sent_on",
        "body.delivered_on",
        "body.registered_on",
        "body.received_on",
        "body.notice_on",
        "query.received_on",
        "query.registered_on",
    ),
    "later_day": ("body.new_due_on", "body.planned_on"),
}


def days() -> dict[str, list[str]]:
    """The days of :data:`DAY_BINDINGS`: the last few (the seeded dispatches were sent five days
    ago), and some weeks ahead."""
    today = date.today()
    return {
        "recent_day": [(today - timedelta(days=n)).isoformat() for n in range(4)],
        "later_day": [(today + timedelta(days=n)).isoformat() for n in (10, 30, 45)],
    }


#: shipped authorities a path names besides the group's own: the seeded campaign's targets and
#: one the group has no office holder of yet
SHIPPED_SLUGS = ["ru-minzdrav", "ua-moz", "md-parliament"]


#: operations that draw an object of their own (path parameter, dictionary): those that use it
#: up (closing a dispatch, finalising or deleting a draft), done to the shared objects early in
#: the run, would leave every later reply, extension or change refused for the object's state
#: (409); forwarding needs a reply that says the letter was forwarded, an extension a dispatch
#: that is neither answered nor closed
OWN_OBJECTS = {
    "close_dispatch": ("dispatch_id", "closable"),
    "create_extension": ("dispatch_id", "extendable"),
    "finalise_letter": ("letter_id", "finalisable"),
    "delete_letter": ("letter_id", "deletable"),
    "forward_reply": ("reply_id", "forwarded"),
}


def seed_spares(app: Flask, person: dict[str, Any]) -> dict[str, list[str]]:
    """The objects of :data:`OWN_OBJECTS` in the person's group, by dictionary name: two sent
    dispatches, a third with a reply saying it was forwarded, and two drafts."""
    from letterkit.extensions import db
    from letterkit.models import Dispatch, Group, ReplyChannel, ReplyOutcome, User
    from letterkit.services import drafts
    from letterkit.tracking.operations import replies
    from tests.tracking.conftest import final_letter, record

    sent = date.today() - timedelta(days=5)
    dispatches = [
        record(app, person, final_letter(app, person), sent_on=sent, registered_on=sent)
        for _ in range(3)
    ]
    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        actor = db.session.get(User, person["id"])
        closable, extendable, answered = (db.session.get(Dispatch, row) for row in dispatches)
        assert closable and extendable and answered
        reply = replies.record_reply(
            answered,
            group,
            actor,
            received_on=date.today(),
            channel=ReplyChannel.POST,
            outcome=ReplyOutcome.FORWARDED,
            summary="Forwarded to the Ministry of Internal Affairs.",
        )
        made = [
            drafts.create_draft(
                group,
                actor,
                template="appeal",
                language="en",
                authority_slug="ua-moz",
                demand_slugs=[],
                paragraphs=[],
                fields={"subject": f"Naloxone for everyone ({n})"},
            )
            for n in (1, 2)
        ]
        db.session.commit()
        return {
            "closable": [closable.public_id],
            "extendable": [extendable.public_id],
            "forwarded": [reply.public_id],
            "finalisable": [made[0].public_id],
            "deletable": [made[1].public_id],
        }


def catalogue_names() -> dict[str, list[str]]:
    """Real names of the shipped catalogue, letter templates and reply rules, by the dictionary
    of :data:`CATALOGUE_BINDINGS` that holds them."""
    from letterkit.catalogue.loader import get_catalogue
    from letterkit.deadlines import load_rules

    catalogue = get_catalogue()
    rules = load_rules()
    templates = ROOT / "letter_templates"
    return {
        "authority": sorted(catalogue.authorities),
        "demand": sorted(catalogue.demands),
        "template": sorted(path.name for path in templates.iterdir() if path.is_dir()),
        "language": sorted(catalogue.template_languages),
        "country": sorted(rules.countries),
        "kind": sorted({*rules.kinds, *(a.kind for a in catalogue.authorities.values())}),
    }


def configuration(
    names: dict[str, list[str]],
    tokens: dict[str, str],
    directory: Path,
    spares: dict[str, list[str]] | None = None,
) -> Path:
    """The repository's ``schemathesis.toml`` with what this run adds:

    * the seeded group's names as dictionaries: half of the path parameters drawn name a real
      object (the rest are generated, mostly not found), so the operations behind them are
      reached; likewise half of the letters a new dispatch names;
    * the catalogue's names (authorities, demands, templates, languages, countries, kinds of
      proceeding) for the body and query fields that name them: generated text is never a
      real slug, and the operation would refuse nearly every case as unknown (422); likewise
      recent days for the dates of what happened;
    * ``spares``: objects of their own for :data:`OWN_OBJECTS`;
    * the tokens of two groups as peers (a Web Fuzzing Commons auth file): every request is the
      first group's, and schemathesis' object-level authorisation check replays its successful
      reads with the second group's token, which must not get the object.
    """
    auth = directory / "auth.json"
    users = [
        {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {token}"}]}
        for name, token in tokens.items()
    ]
    auth.write_text(json.dumps({"auth": users}), encoding="utf-8")
    lines = [(ROOT / "schemathesis.toml").read_text(encoding="utf-8"), ""]
    catalogue = catalogue_names() | days()
    for name, values in {**names, **catalogue, **(spares or {})}.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    bindings = {f"path.{name}": name for name in names}
    bindings["body.letter"] = "letter_id"
    bindings |= {
        key: name for name, keys in (CATALOGUE_BINDINGS | DAY_BINDINGS).items() for key in keys
    }
    lines.append("[parameters]")
    lines += [
        f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}'
        for key, name in bindings.items()
    ]
    for operation_id, (parameter, name) in OWN_OBJECTS.items() if spares else ():
        lines += [
            "",
            "[[operations]]",
            f'include-operation-id = "{operation_id}"',
            "[operations.parameters]",
            f'"path.{parameter}" = {{ dictionary = "{name}", probability = 0.5 }}',
        ]
    lines += [
        "",
        "[auth.wfc]",
        f"path = {json.dumps(str(auth))}",
        f"user = {json.dumps(next(iter(tokens)))}",
        f"peers = {json.dumps(list(tokens))}",
    ]
    config = directory / "schemathesis.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def schemathesis(port: int, config: Path) -> subprocess.CompletedProcess[str]:
    """Run the schemathesis CLI against the server on ``port``."""
    command = [
        str(Path(sys.executable).parent / "st"),
        "--config-file",
        str(config),
        "run",
        f"http://127.0.0.1:{port}/api/v1/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        SEED,
        # one worker: Python 3.11's ast.parse, which hypothesis calls to describe a filter,
        # is not safe in threads ("AST constructor recursion depth mismatch")
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--generation-database",
        "none",
        "--no-color",
    ]
    if REPORT:
        command += ["--report", "har", "--report-dir", REPORT]
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


def test_schemathesis_finds_no_failure(
    app: Flask,
    database: dict[str, Any],
    group_with_details: dict[str, Any],
    factory: Factory,
    tmp_path: Path,
) -> None:
    names = seed_group(app, group_with_details)
    names["slug"] += SHIPPED_SLUGS
    spares = seed_spares(app, group_with_details)
    other = factory.group("Other Group")
    factory.user(other, "coordinator")
    tokens = {
        "group-a": make_token(app, group_with_details["group_id"], name="schemathesis"),
        "group-b": make_token(app, other, name="schemathesis"),
    }
    config = configuration(names, tokens, tmp_path, spares)
    with gunicorn(
        database_url(database),
        app.config["SECRET_KEY"],
        tmp_path / "gunicorn.log",
        workers=1,
        threads=4,
        start_timeout=120.0,
        # thousands of requests a minute with one token: the limit is not what is tested here
        extra_env={"LETTERKIT_API_RATE_LIMIT": "1000000 per minute"},
    ) as server:
        result = schemathesis(server.port, config)
    output = result.stdout + result.stderr
    print(output)  # shown with -rA (or -s) when the run passes too
    tested = re.search(r"^\s*Tested: (\d+)$", output, re.MULTILINE)
    assert tested and int(tested.group(1)) >= 5, output  # at least the catalogue's operations
    assert result.returncode == 0, f"{output}\n--- server log ---\n{server.log()[-5000:]}"


def test_a_request_line_too_long_gets_the_documented_414(
    app: Flask, database: dict[str, Any], tmp_path: Path
) -> None:
    """gunicorn refuses a request line over 4 KiB itself, before the app: schemathesis found it
    answering a query of a hundred repeated ``limit`` parameters with a 414 no operation
    declared. Every operation declares it now, and the fuzzing counts it as a rejection."""
    import tomllib
    import urllib.error
    import urllib.request

    document = app.test_client().get("/api/v1/openapi.json").get_json()
    for item in document["paths"].values():
        for operation in item.values():
            assert "414" in operation["responses"], operation["operationId"]
            assert "content" not in operation["responses"]["414"]
    settings = tomllib.loads((ROOT / "schemathesis.toml").read_text(encoding="utf-8"))
    assert "414" in settings["checks"]["negative_data_rejection"]["expected-statuses"]
    with gunicorn(
        database_url(database),
        app.config["SECRET_KEY"],
        tmp_path / "gunicorn.log",
        workers=1,
        threads=1,
        start_timeout=120.0,
    ) as server:
        url = f"http://127.0.0.1:{server.port}/api/v1/petitions?" + "&".join(["limit=5"] * 700)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=20)
        refused.value.close()
    assert refused.value.code == 414
