"""Every string a user reads is in the catalogues, and every interface language has all of them."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from letterkit.config import interface_languages
from letterkit.extensions import db
from letterkit.models import User
from tests.conftest import Client, login

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "letterkit" / "translations"
# Every language with a catalogue is offered in the interface, so each must be complete.
TRANSLATED = [code for code in interface_languages() if code != "en"]


def _catalog(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def test_the_interface_languages_are_the_catalogues() -> None:
    assert {"ru", "uk"} <= set(TRANSLATED)
    assert interface_languages()[0] == "en"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_is_up_to_date_with_the_sources(tmp_path: Path, lang: str) -> None:
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
    translated = {
        m.id for m in _catalog(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po") if m.id
    }
    missing = extracted - translated
    assert not missing, (
        f"run 'make extract-messages' and translate: {sorted(map(str, missing))[:20]}"
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    catalog = _catalog(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po")
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not (all(m.string) if m.pluralizable else m.string))
    ]
    assert not untranslated, untranslated[:20]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", ["Вход", "Пароль"]), ("uk", ["Вхід", "Пароль"]), ("en", ["Log in", "Password"])],
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


def test_ukrainian_plural_forms_and_placeholders() -> None:
    catalog = _catalog(TRANSLATIONS / "uk" / "LC_MESSAGES" / "messages.po")
    assert catalog.num_plurals == 3
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    ngettext = Translations(buffer).ngettext
    words = [
        ngettext("%(num)d signature so far", "%(num)d signatures so far", n) % {"num": n}
        for n in (1, 3, 5, 11, 21, 22, 112)
    ]
    assert words == [
        "Зібрано 1 підпис",
        "Зібрано 3 підписи",
        "Зібрано 5 підписів",
        "Зібрано 11 підписів",
        "Зібрано 21 підпис",
        "Зібрано 22 підписи",
        "Зібрано 112 підписів",
    ]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_draft_catalogue_says_so_in_its_header(lang: str) -> None:
    from letterkit.catalogue import get_catalogue

    text = (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    says_draft = "NOT YET REVIEWED BY A NATIVE SPEAKER" in text.split('msgid ""')[0]
    assert says_draft == (not get_catalogue().languages[lang].interface_review.is_reviewed)


DRAFT_NOTICE = (
    "This translation of the interface is a draft: no native speaker has reviewed it yet."
)


def _notice(lang: str) -> str:
    """The notice as the catalogue of ``lang`` translates it."""
    return str(_catalog(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po")[DRAFT_NOTICE].string)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_page_in_a_draft_translation_says_so(client: Client, coordinator, lang: str) -> None:
    notice = _notice(lang)
    assert notice and notice != DRAFT_NOTICE
    page = client.get("/login", headers={"Accept-Language": lang}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page and notice in page
    english = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert notice not in english and DRAFT_NOTICE not in english


def test_a_reviewed_translation_no_longer_says_so(
    client: Client, coordinator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording a native speaker's review in the registry takes the notice away."""
    from letterkit.catalogue import loader
    from tests.test_languages_as_data import copy_catalogue, replace_in

    data = copy_catalogue(tmp_path)
    review = 'interface_review = { reviewed_on = 2026-11-30, reviewer = "A. Reviewer" }'
    replace_in(data / "languages.toml", 'interface_review = "draft"', review, every=True)
    monkeypatch.setattr(loader, "DEFAULT_DATA_DIR", data)
    loader.get_catalogue.cache_clear()
    try:
        assert loader.get_catalogue().languages["uk"].interface_review.is_reviewed
        for lang in TRANSLATED:
            page = client.get("/login", headers={"Accept-Language": lang}).get_data(as_text=True)
            assert f'<html lang="{lang}">' in page and _notice(lang) not in page, lang
    finally:
        monkeypatch.undo()
        loader.get_catalogue.cache_clear()
    assert not loader.get_catalogue().languages["uk"].interface_review.is_reviewed


def test_the_switch_offers_every_language_by_its_own_name(client: Client, coordinator) -> None:
    page = client.get("/login").get_data(as_text=True)
    for name in ("English", "Русский", "Українська"):
        assert name in page


def test_a_member_sees_ukrainian(app, client: Client, factory) -> None:
    person = factory.user(factory.group(), "coordinator", language="uk")
    login(client, person)
    page = client.get("/members").get_data(as_text=True)
    assert '<html lang="uk">' in page and "Учасники" in page


def test_browser_language_is_the_first_guess(client: Client, coordinator) -> None:
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert '<html lang="ru">' in page.get_data(as_text=True)


def test_a_ukrainian_browser_gets_ukrainian(client: Client, coordinator) -> None:
    page = client.get("/login", headers={"Accept-Language": "uk-UA,uk;q=0.9,ru;q=0.8"})
    assert '<html lang="uk">' in page.get_data(as_text=True)


def test_next_is_kept_on_this_site(client: Client, coordinator) -> None:
    response = client.post("/language", data={"lang": "ru", "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"


PAGES = [
    "/",
    "/account/password",
    "/campaigns/",
    "/campaigns/new",
    "/catalogue/",
    "/catalogue/countries/KZ",
    "/catalogue/authorities/new",
    "/catalogue/checks",
    "/catalogue/demands",
    "/catalogue/demands/new",
    "/catalogue/sets/new",
    "/group/settings",
    "/letters/",
    "/letters/new",
    "/members",
    "/petitions",
    "/tracking/",
    "/tracking/authorities",
    "/tracking/calendar",
    "/tracking/dispatches",
]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_pages_render_in_every_interface_language(client: Client, factory, lang: str) -> None:
    person = factory.user(factory.group(), "coordinator", language=lang)
    login(client, person)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.get_data(as_text=True), path
