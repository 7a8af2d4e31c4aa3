"""axe-core finds 0 violations on the pages, as a visitor and as a coordinator.

The pages are those the validator test crawls (tests/pages.py), one of each kind. axe-core comes
from npm (`make axe` installs it into the gitignored .cache/axe); the browser context adds it to
each page as an init script, so it exists only in the test, never in what the app serves.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import skip_or_fail
from tests.pages import collect

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["sqlite"], indirect=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(
    os.environ.get(
        "LETTERKIT_AXE_JS", ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


def _one_of_each(visits: list[tuple[str, str, int]], who: str) -> list[str]:
    """The URLs ``who`` saw, one per kind of page (ids and queries do not make a new kind)."""
    kinds: dict[str, str] = {}
    for person, url, status in visits:
        if person == who and status == 200 and url.startswith("/"):  # not "POST /login"
            kinds.setdefault(re.sub(r"\d+", "N", url.split("?")[0]), url)
    return list(kinds.values())


def _violations(page: Any, base: str, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        page.goto(base + url)
        assert page.evaluate("typeof axe") == "object", "axe-core was not injected"
        for v in page.evaluate(RUN_AXE):
            found.append(f"{url}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}")
    return found


def test_axe_finds_no_violations(
    app: Flask, factory: Any, page: Any, live_server: str, tmp_path: Path
) -> None:
    if not AXE.is_file():
        skip_or_fail("axe", f"{AXE} is missing (`make axe` installs axe-core with npm)")
    crawler = collect(app, factory, tmp_path)
    served = "\n".join(p.read_text() for p in tmp_path.glob("*.html"))
    assert "axe" not in " ".join(re.findall(r"<script[^>]*>", served)), "axe-core is served"
    visitor_urls = _one_of_each(crawler.visits, "visitor")
    staff_urls = _one_of_each(crawler.visits, "coordinator")
    assert len(staff_urls) > 25, staff_urls

    page.context.add_init_script(path=str(AXE))
    # A page with known violations: axe must report them, or a silent axe would pass.
    page.goto(live_server + "/no-such-page")
    page.set_content('<html><body><img src="data:,"><a href="/"></a></body></html>')
    canary = {v["id"] for v in page.evaluate(RUN_AXE)}
    assert {"html-has-lang", "image-alt", "link-name"} <= canary, canary
    found = _violations(page, live_server, visitor_urls)
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(crawler.people["coordinator"]["email"])
    page.get_by_label("Password").fill(crawler.people["coordinator"]["password"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + "/")
    found += _violations(page, live_server, staff_urls)
    assert not found, f"{len(found)} violations:\n" + "\n".join(found)
