"""A live letterkit server in a thread and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("LETTERKIT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def whole_bodies(app: Flask) -> Any:
    """``app`` answering with its whole body read and its iterable closed at once.

    Werkzeug's development server skips ``close()`` of a response when the browser drops the
    connection (it reads the socket again in a ``finally`` and the reset escapes there): a static
    file (``favicon.svg``) is then left open, and its ResourceWarning fails whichever test is
    running when it is collected. The bodies here are small pages and downloads.
    """

    def serve(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    return serve


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1 for the duration of one test."""
    server = make_server("127.0.0.1", 0, whole_bodies(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium per test worker."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        skip_or_fail("browser", f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser", "playwright is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context and page; requests to any other host fail the test."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith("http://127.0.0.1:") or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
    assert not outside, f"the page tried to load from other hosts: {outside}"


def shot(page: Any, name: str) -> None:
    """Save a screenshot as a test artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
