"""Browsing the catalogue: countries with their reply rule, authorities, demands, sets."""

from __future__ import annotations

from datetime import date

import pytest

from letterkit import deadlines
from letterkit.catalogue import get_catalogue
from tests.conftest import Client


@pytest.fixture
def member(factory, client: Client) -> Client:
    from tests.conftest import login

    login(client, factory.user(factory.group(), "member"))
    return client


def test_countries_list_every_country_with_its_rule(member: Client) -> None:
    page = member.get("/catalogue/").get_data(as_text=True)
    for code in get_catalogue().countries:
        assert f'href="/catalogue/countries/{code}"' in page
    ru = deadlines.compute_due("RU", date.today())
    assert deadlines.format_day(ru.due, deadlines.Speech(locale="en")) in page
    assert "No statutory term for a reply" in page  # Germany, Sweden, the US …
    assert "Term for a reply not found (unverified)" in page  # Tajikistan


def test_country_page_shows_rules_authorities_and_sets(member: Client) -> None:
    page = member.get("/catalogue/countries/MD").get_data(as_text=True)
    assert "Administrative Code" in page
    assert "/catalogue/authorities/md-parliament" in page or "md-parliament" in page
    assert "unverified" in page
    assert "/catalogue/sets/" in page
    # Missions of Russia sit in Moldova: listed as foreign missions here.
    assert "Foreign missions here" in page


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_authority_page(member: Client, lang: str) -> None:
    member.post("/language", data={"lang": lang})
    authority = get_catalogue().authority("ru-minzdrav")
    page = member.get("/catalogue/authorities/ru-minzdrav").get_data(as_text=True)
    assert authority.addressee("ru").text in page
    assert authority.addressee("en").text.replace("'", "&#39;") in page
    assert authority.name(lang).text in page
    assert "59-" in page  # the reply rule is the Russian law
    assert ("unverified" if lang == "en" else "не проверено") in page


def test_mission_page_warns_about_the_law(member: Client) -> None:
    slug = next(a.slug for a in get_catalogue().authorities_for("RU") if a.host_country == "GB")
    page = member.get(f"/catalogue/authorities/{slug}").get_data(as_text=True)
    assert "missions abroad is unverified" in page


def test_demand_search_and_sets(member: Client) -> None:
    catalogue = get_catalogue()
    page = member.get("/catalogue/demands").get_data(as_text=True)
    inpud = catalogue.demand_set("inpud-2011-russia")
    assert inpud.title("en").text in page
    page = member.get("/catalogue/demands?q=naloxone").get_data(as_text=True)
    naloxone = [d for d in catalogue.demands.values() if "naloxone" in d.text("en").text.lower()]
    assert naloxone and all(d.title("en").text in page for d in naloxone)
    assert "Provide the life-saving" not in page or "naloxone" in page.lower()
    page = member.get("/catalogue/demands?q=zzzz-nothing").get_data(as_text=True)
    assert "No demand contains" in page


def test_set_page_lists_demands_in_order(member: Client) -> None:
    demand_set = get_catalogue().demand_set("inpud-2011-russia")
    page = member.get("/catalogue/sets/inpud-2011-russia").get_data(as_text=True)
    positions = [page.index(d.text("en").text.replace("'", "&#39;")) for d in demand_set.demands]
    assert positions == sorted(positions) and len(positions) == 6


@pytest.mark.parametrize(
    "path",
    [
        "/catalogue/countries/XX",
        "/catalogue/authorities/nope",
        "/catalogue/demands/nope",
        "/catalogue/sets/nope",
    ],
)
def test_unknown_entries_are_404(member: Client, path: str) -> None:
    assert member.get(path).status_code == 404


def test_catalogue_needs_a_login(client: Client, factory) -> None:
    factory.user(factory.group(), "member")
    assert client.get("/catalogue/").status_code == 302


def test_country_page_explains_the_due_date_in_ukrainian(client: Client, factory) -> None:
    from tests.conftest import login

    login(client, factory.user(factory.group(), "member", language="uk"))
    page = client.get("/catalogue/countries/KZ").get_data(as_text=True)
    due = deadlines.compute_due("KZ", date.today()).due
    # «27 березня 2026 р. (пʼятниця)»: Babel's Ukrainian date, the weekday in Ukrainian
    assert deadlines.format_day(due, deadlines.Speech(locale="uk")) in page
    assert "Строк: 15 робочих днів від дня надходження листа." in page
    assert "(Monday)" not in page and "working days" not in page
