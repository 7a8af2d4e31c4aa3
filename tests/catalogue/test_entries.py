"""A group's own authorities and demands: the same rules, with only the essentials required."""

from __future__ import annotations

from typing import Any

import pytest

from letterkit.catalogue import (
    UNVERIFIED,
    Catalogue,
    CatalogueError,
    authority_from_entry,
    check_authority,
    check_demand,
    demand_from_entry,
    get_catalogue,
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return get_catalogue()


def dispensary(**changes: Any) -> dict[str, Any]:
    """What a coordinator types in a minute: name, country, kind, one addressee and salutation."""
    entry: dict[str, Any] = {
        "name": "Республиканский наркологический диспансер",
        "country": "MD",
        "kind": "local-health",
        "language": "ru",
        "addressee": "Главному врачу Республиканского наркологического диспансера",
        "salutation": "Уважаемый господин главный врач!",
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


@pytest.mark.parametrize(
    "entry",
    [
        dispensary(),
        dispensary(
            name={"ro": "Dispensarul Republican de Narcologie"},
            addressee={"ro": "Medicului-șef al Dispensarului Republican de Narcologie"},
            salutation={"ro": "Stimate domnule medic-șef,"},
            language=None,
        ),
        dispensary(
            kind="local-police",
            name="Inspectoratul de Poliție Bălți",
            language="ro",
            addressee="Șefului Inspectoratului de Poliție Bălți",
            salutation="Stimate domnule șef,",
        ),
        dispensary(kind="court", country="RU", name="Ленинский районный суд г. Оренбурга"),
        dispensary(kind="mayor", contacts=[{"kind": "email", "value": "primaria@example.md"}]),
    ],
    ids=["plain strings", "tables by language", "police", "court", "with a contact"],
)
def test_a_local_body_needs_only_the_essentials(
    catalogue: Catalogue, entry: dict[str, Any]
) -> None:
    assert check_authority(entry, catalogue) == {}
    authority = authority_from_entry(entry, catalogue)
    assert authority.origin == "group"
    assert authority.verified is False and authority.flag == UNVERIFIED


def test_other_letter_languages_fall_back_to_the_entrys_own_with_a_flag(
    catalogue: Catalogue,
) -> None:
    authority = authority_from_entry(dispensary(), catalogue)
    own = authority.addressee("ru")
    assert not own.is_fallback
    for lang in ("en", "uk"):
        line = authority.addressee(lang)
        assert (line.text, line.lang, line.requested) == (own.text, "ru", lang)
        assert line.is_fallback
        assert authority.salutation(lang).lang == "ru"
    assert authority.letter_language == "ro"  # Moldova's default; the texts stay Russian


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": None}, "name"),
        ({"country": None}, "country"),
        ({"country": "XX"}, "country"),
        ({"kind": None}, "kind"),
        ({"kind": "narcology"}, "kind"),
        ({"addressee": None}, "addressee"),
        ({"salutation": None}, "salutation"),
        ({"salutation": {"en": "Dear Chief Physician,"}}, "salutation"),
        ({"language": None}, "language"),
        ({"language": "xx"}, "language"),
        ({"addressee": "Главному врачу\x00"}, "addressee"),
        ({"salutation": "Уважаемый\nгосподин"}, "salutation"),
        ({"name": "x" * 301}, "name"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"slug": "md-balti-mayor"}, "slug"),
        ({"parent": "ru-mvd"}, "parent"),
        ({"parent": "md-no-such-body"}, "parent"),
        ({"host_country": "MD"}, "host_country"),
        ({"contacts": [{"kind": "email", "value": "nope"}]}, "contacts"),
        ({"contacts": [{"kind": "pigeon", "value": "x"}]}, "contacts"),
        ({"verified": True}, "source"),
        ({"verified": "yes"}, "verified"),
        ({"favourite": True}, "favourite"),
    ],
)
def test_problems_are_returned_per_field(
    catalogue: Catalogue, changes: dict[str, Any], field: str
) -> None:
    taken = {"md-balti-mayor"}
    problems = check_authority(dispensary(**changes), catalogue, taken=taken)
    assert field in problems, problems
    assert all(p.message for found in problems.values() for p in found)
    with pytest.raises(CatalogueError):
        authority_from_entry(dispensary(**changes), catalogue, taken=taken)


def test_plain_strings_without_a_language_are_one_problem(catalogue: Catalogue) -> None:
    problems = check_authority(dispensary(language=None), catalogue)
    assert list(problems) == ["language"] and len(problems["language"]) == 1


def test_a_group_mission_may_name_its_host(catalogue: Catalogue) -> None:
    entry = dispensary(
        country="RU",
        kind="consulate",
        host_country="DE",
        name="Генеральное консульство Российской Федерации в Бонне",
        addressee="Генеральному консулу Российской Федерации в Бонне",
        salutation="Уважаемый господин Генеральный консул!",
    )
    authority = authority_from_entry(entry, catalogue)
    assert (authority.for_country, authority.seat_country) == ("RU", "DE")


def test_problem_messages_can_be_translated_then_formatted(catalogue: Catalogue) -> None:
    [problem] = check_authority(dispensary(country="XX"), catalogue)["country"]
    assert problem.message == "Unknown country: {code}."
    assert problem.message.format(**problem.param_dict) == "Unknown country: XX."
    assert str(problem) == "country: Unknown country: XX."


def naloxone(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "title": "Налоксон у кожній аптечці",
        "text": "Забезпечити наявність налоксону в кожній аптечці соціальних працівників.",
        "language": "uk",
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def test_a_groups_demand_needs_a_title_and_a_text(catalogue: Catalogue) -> None:
    assert check_demand(naloxone(), catalogue) == {}
    demand = demand_from_entry(naloxone(), catalogue)
    assert demand.origin == "group" and demand.rationale("uk") is None
    english = demand.text("en")
    assert english.lang == "uk" and english.is_fallback


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": None}, "title"),
        ({"text": None}, "text"),
        ({"text": "x" * 4001}, "text"),
        ({"sources": [{"ref": "no-such-source"}]}, "sources"),
        ({"sources": [{"note": "only a note"}]}, "sources"),
        ({"slug": "inpud-2011-art"}, "slug"),
        ({"tags": ["Not a tag"]}, "tags"),
    ],
)
def test_demand_problems_per_field(
    catalogue: Catalogue, changes: dict[str, Any], field: str
) -> None:
    problems = check_demand(naloxone(**changes), catalogue, taken={"inpud-2011-art"})
    assert field in problems, problems


def test_a_groups_demand_may_cite_a_source_by_name(catalogue: Catalogue) -> None:
    entry = naloxone(sources=[{"ref": "who"}, {"name": "Local survey, 2024", "note": "n=120"}])
    demand = demand_from_entry(entry, catalogue)
    assert [c.ref or c.name for c in demand.citations] == ["who", "Local survey, 2024"]
