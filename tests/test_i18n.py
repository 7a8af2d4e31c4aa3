"""Every string a user reads is in the catalogues, and Russian has all of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from letterkit.extensions import db
from letterkit.models import User
from tests.conftest import Client, login

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "letterkit" / "translations"


def _catalog(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def test_catalogue_is_up_to_date_with_the_sources(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "N_",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    extracted = {m.id for m in _catalog(pot) if m.id}
    russian = {m.id for m in _catalog(TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po") if m.id}
    missing = extracted - russian
    assert not missing, (
        f"run 'make extract-messages' and translate: {sorted(map(str, missing))[:20]}"
    )


def test_every_russian_message_is_translated() -> None:
    catalog = _catalog(TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po")
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not (all(m.string) if m.pluralizable else m.string))
    ]
    assert not untranslated, untranslated[:20]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", ["Вход", "Пароль"]), ("en", ["Log in", "Password"])],
)
def test_language_switch(client: Client, coordinator, lang: str, words: list[str]) -> None:
    response = client.post("/language", data={"lang": lang, "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    for word in words:
        assert word in page


def test_a_visitor_keeps_the_language_in_a_cookie_not_a_session(
    client: Client, coordinator
) -> None:
    response = client.post("/language", data={"lang": "ru", "next": "/login"}, csrf=False)
    assert response.status_code == 302
    (cookie,) = response.headers.getlist("Set-Cookie")
    assert cookie.startswith("letterkit_lang=ru;") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    # kept for the browser session only, as the session kept it
    assert "Max-Age" not in cookie and "Expires" not in cookie
    assert '<html lang="ru">' in client.get("/login").get_data(as_text=True)


def test_a_signed_in_user_needs_the_csrf_token_to_switch(app, client: Client, coordinator) -> None:
    login(client, coordinator)
    assert client.post("/language", data={"lang": "ru"}, csrf=False).status_code == 400
    with app.app_context():
        assert db.session.get(User, coordinator["id"]).interface_language == "en"
    assert client.post("/language", data={"lang": "ru"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, coordinator["id"]).interface_language == "ru"


def test_the_language_chosen_at_login_outlives_the_session(app, client: Client, factory) -> None:
    person = factory.user(factory.group(), "coordinator", language="ru")
    login(client, person)
    client.post("/logout")
    assert '<html lang="ru">' in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_refused(client: Client, coordinator) -> None:
    response = client.post("/language", data={"lang": "xx"})
    assert response.status_code == 400
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_language_follows_the_user(app, client: Client, factory) -> None:
    person = factory.user(factory.group(), "coordinator", language="ru")
    login(client, person)
    assert "Участники" in client.get("/members").get_data(as_text=True)


def test_browser_language_is_the_first_guess(client: Client, coordinator) -> None:
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert '<html lang="ru">' in page.get_data(as_text=True)


def test_next_is_kept_on_this_site(client: Client, coordinator) -> None:
    response = client.post("/language", data={"lang": "ru", "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"
