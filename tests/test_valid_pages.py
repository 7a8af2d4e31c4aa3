"""Every page is valid HTML: the W3C validator (vnu) reports 0 errors.

The pages are those of tests/pages.py: crawled as a visitor, a coordinator and a member. One JVM
validates them all, together with a deliberately broken page that must fail, so a validator that
reports nothing cannot pass the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests import vnu
from tests.conftest import skip_or_fail
from tests.pages import collect

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

BROKEN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>broken</title></head>
<body><form><input type="hidden" id="csrf_token" name="a"></form>
<form><input type="hidden" id="csrf_token" name="b"></form>
<select name="c" required><option value="x">x</option></select></body></html>
"""


def test_every_page_is_valid_html(app: Flask, factory: Any, tmp_path: Path) -> None:
    if vnu.problem():
        skip_or_fail("vnu", str(vnu.problem()))
    crawler = collect(app, factory, tmp_path)
    kinds = {name.split("-")[0] for name in crawler.pages}
    assert kinds == {"visitor", "coordinator", "member"}
    assert len(crawler.pages) > 40, crawler.pages
    (tmp_path / "broken.html").write_text(BROKEN)
    found = vnu.errors(sorted(tmp_path.glob("*.html")))

    broken = [m.message for m in found.pop("broken.html", [])]
    assert any("Duplicate ID" in m for m in broken), broken
    assert any("select" in m for m in broken), broken
    report = [
        f"{crawler.pages.get(name, name)}\n  " + "\n  ".join(map(str, messages))
        for name, messages in sorted(found.items())
    ]
    assert not report, f"{len(report)} pages with errors:\n" + "\n".join(report)
