"""Schemathesis against the live API: gunicorn on loopback (production settings) on each
database, a group with one object of every kind and a read-write token, a second group's token as
its peer, and ``st run --checks all`` over every operation of ``/api/v1/openapi.json``.

The settings the run takes besides its command line are in ``schemathesis.toml`` at the root of
the repository; the test adds the seeded names and the two tokens to a copy of it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
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
#: busy cores); LETTERKIT_SCHEMATHESIS_EXAMPLES=300 searches deeper by hand
MAX_EXAMPLES = int(os.environ.get("LETTERKIT_SCHEMATHESIS_EXAMPLES", "20"))
#: a run that hangs is stopped after this many seconds (a normal one takes a fifth of it)
RUN_TIMEOUT = 300


def database_url(options: dict[str, Any]) -> str:
    """The URL the server process reaches the test database by (with its schema)."""
    url = str(options["url"])
    search_path = options.get("connect_args", {}).get("options")
    return f"{url}?options={quote(search_path)}" if search_path else url


def configuration(names: dict[str, list[str]], tokens: dict[str, str], directory: Path) -> Path:
    """The repository's ``schemathesis.toml`` with what this run adds:

    * the seeded group's names as dictionaries: half of the path parameters drawn name a real
      object (the rest are generated, mostly not found), so the operations behind them are
      reached;
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
    for name, values in names.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = 0.5 }}' for name in names]
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
        "1",
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
    other = factory.group("Other Group")
    factory.user(other, "coordinator")
    tokens = {
        "group-a": make_token(app, group_with_details["group_id"], name="schemathesis"),
        "group-b": make_token(app, other, name="schemathesis"),
    }
    config = configuration(names, tokens, tmp_path)
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
