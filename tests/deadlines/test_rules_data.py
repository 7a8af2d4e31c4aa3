"""The shipped rules: coverage of the reference, flags, citations, and translatable texts."""

from __future__ import annotations

from datetime import date

import pytest

from letterkit.deadlines import (
    Confidence,
    NoRuleInForceError,
    Status,
    Unit,
    UnknownCountryError,
    UnknownKindError,
    load_rules,
)

REFERENCE_COUNTRIES = (
    "RU BY UA KZ KG UZ TJ GE AM AZ MD EE LV LT GB DE SE RO US CA AU ES".split() + ["EU", "UN"]
)


@pytest.fixture(scope="module")
def book():
    return load_rules()


@pytest.mark.parametrize("country", REFERENCE_COUNTRIES)
def test_every_reference_row_has_a_default_rule_with_citation(book, country: str) -> None:
    rule = book.rule_for(country, on=date(2026, 6, 1))
    assert rule.kind is None
    assert rule.law and rule.source
    assert isinstance(rule.confidence, Confidence)


@pytest.mark.parametrize(
    ("country", "kind", "rule_id", "status", "term"),
    [
        ("RU", None, "ru-59fz", Status.STATUTORY, (30, Unit.CALENDAR_DAYS)),
        (
            "RU",
            "regional-head-migration",
            "ru-59fz-migration",
            Status.STATUTORY,
            (20, Unit.CALENDAR_DAYS),
        ),
        ("BY", None, "by-300z", Status.STATUTORY, (15, Unit.CALENDAR_DAYS)),
        ("UA", None, "ua-393", Status.STATUTORY, (1, Unit.MONTHS)),
        ("KZ", None, "kz-appc", Status.STATUTORY, (15, Unit.WORKING_DAYS)),
        ("KG", None, "kg-67", Status.STATUTORY, (14, Unit.WORKING_DAYS)),
        ("UZ", None, "uz-445", Status.STATUTORY, (15, Unit.CALENDAR_DAYS)),
        ("TJ", None, "tj-1339", Status.TERM_UNKNOWN, None),
        ("GE", None, "ge-no-act", Status.TERM_UNKNOWN, None),
        ("GE", "administrative-act", "ge-gac-100", Status.STATUTORY, (1, Unit.MONTHS)),
        ("AM", None, "am-petitions", Status.STATUTORY, (1, Unit.MONTHS)),
        ("AM", "administrative-act", "am-admin-act", Status.STATUTORY, (30, Unit.CALENDAR_DAYS)),
        ("AZ", None, "az-1384", Status.STATUTORY, (15, Unit.WORKING_DAYS)),
        ("MD", None, "md-admin-code", Status.STATUTORY, (30, Unit.CALENDAR_DAYS)),
        ("EE", None, "ee-msvs", Status.STATUTORY, (30, Unit.CALENDAR_DAYS)),
        ("LV", None, "lv-submissions-2026", Status.STATUTORY, (10, Unit.WORKING_DAYS)),
        ("LT", None, "lt-requests", Status.STATUTORY, (20, Unit.WORKING_DAYS)),
        (
            "LT",
            "administrative-complaint",
            "lt-complaints",
            Status.STATUTORY,
            (20, Unit.WORKING_DAYS),
        ),
        ("GB", None, "gb-correspondence-guide", Status.GUIDANCE, (20, Unit.WORKING_DAYS)),
        ("DE", None, "de-gg-17", Status.NO_TERM, None),
        ("SE", None, "se-fl-2017", Status.NO_TERM, None),
        ("RO", None, "ro-og-27-2002", Status.STATUTORY, (30, Unit.CALENDAR_DAYS)),
        ("US", None, "us-none", Status.NO_TERM, None),
        ("CA", None, "ca-letters", Status.NO_TERM, None),
        ("CA", "house-petition", "ca-house-petition", Status.STATUTORY, (45, Unit.CALENDAR_DAYS)),
        ("AU", None, "au-letters", Status.NO_TERM, None),
        ("AU", "house-petition", "au-house-petition", Status.STATUTORY, (90, Unit.CALENDAR_DAYS)),
        ("ES", None, "es-lo-4-2001", Status.STATUTORY, (3, Unit.MONTHS)),
        ("EU", None, "eu-peti", Status.NO_TERM, None),
        ("UN", None, "un-special-procedures", Status.NO_TERM, None),
    ],
)
def test_rule_terms_match_the_reference(book, country, kind, rule_id, status, term) -> None:
    rule = book.rule_for(country, kind, on=date(2026, 6, 1))
    assert rule.id == rule_id
    assert rule.status is status
    assert (None if rule.term is None else (rule.term.amount, rule.term.unit)) == term


@pytest.mark.parametrize(
    ("rule_id", "fields"),
    [
        ("tj-1339", {"term", "day_type", "extension"}),
        ("ge-no-act", {"term"}),
        ("ge-gac-100", {"day_type", "extension", "end_day"}),
        ("ge-gac-183", {"day_type", "end_day"}),
        ("by-300z", {"article", "extension", "day_type", "end_day"}),
        ("kg-67", {"article", "extension", "start"}),
        ("uz-445", {"article", "day_type", "end_day"}),
        ("ru-59fz", {"registration_lag", "end_day"}),
        ("ru-59fz-migration", {"registration_lag", "end_day", "extension"}),
        ("ua-393", {"end_day"}),
        ("ro-og-27-2002", {"day_type", "end_day"}),
        ("md-admin-code", {"day_type", "end_day"}),
        ("ee-msvs", {"start", "end_day"}),
        ("lv-submissions-2007", {"extension", "term", "end_day"}),
        ("lv-submissions-2026", {"extension", "term", "end_day"}),
        ("lt-requests", {"extension"}),
        ("kz-221", {"start", "alternative", "end_day"}),
        ("au-house-petition", {"day_type", "end_day"}),
        ("ca-house-petition", {"end_day"}),
        ("es-lo-4-2001", {"end_day"}),
        ("am-petitions", {"scope", "end_day"}),
        ("lt-complaints", {"start"}),
    ],
)
def test_unverified_parts_are_flagged(book, rule_id: str, fields: set[str]) -> None:
    rule = next(r for r in book.rules if r.id == rule_id)
    assert fields <= rule.unverified_fields()
    assert all(u.text for u in rule.unverified)


def test_tajikistan_has_no_number(book) -> None:
    rule = book.rule_for("TJ")
    assert rule.term is None and rule.extensions == () and rule.alternatives == ()
    assert rule.confidence is Confidence.LOW


@pytest.mark.parametrize("country", ["DE", "SE", "US", "EU", "UN", "CA", "AU"])
def test_no_statutory_term_rules_carry_no_numbers(book, country: str) -> None:
    rule = book.rule_for(country)
    assert rule.status is Status.NO_TERM
    assert rule.term is None and rule.start is None and rule.extensions == ()


def test_effective_dates(book) -> None:
    assert book.rule_for("LV", on=date(2026, 2, 28)).id == "lv-submissions-2007"
    assert book.rule_for("LV", on=date(2026, 3, 1)).id == "lv-submissions-2026"
    assert book.rule_for("KZ", on=date(2021, 6, 30)).id == "kz-221"
    assert book.rule_for("KZ", on=date(2021, 7, 1)).id == "kz-appc"
    with pytest.raises(NoRuleInForceError, match="MD"):
        book.rule_for("MD", on=date(2019, 3, 31))
    assert book.rule_for("MD", on=date(2019, 4, 1)).id == "md-admin-code"


def test_kind_falls_back_to_the_default_rule_and_unknown_kinds_are_errors(book) -> None:
    assert book.rule_for("DE", "house-petition").id == "de-gg-17"
    with pytest.raises(UnknownKindError, match="house_petition"):
        book.rule_for("CA", "house_petition")


@pytest.mark.parametrize("code", ["XX", "", "russia", 7])
def test_unknown_country_names_it(book, code) -> None:
    with pytest.raises(UnknownCountryError) as info:
        book.rule_for(code)
    assert str(code) in str(info.value)


def test_country_codes_are_case_insensitive(book) -> None:
    assert book.rule_for(" ru ").id == "ru-59fz"


def test_version_is_a_content_hash(book) -> None:
    assert len(book.version) == 12
    assert load_rules() is book  # cached


def test_citations_are_in_letter_languages_and_cite_an_article_where_the_rule_does(book) -> None:
    from letterkit.config import letter_languages

    cited = [rule for rule in book.rules if rule.citations]
    assert {r.id for r in cited} >= {"ru-59fz", "by-300z", "ua-393", "kz-appc", "uz-445"}
    for rule in cited:
        for language, citation in rule.citations:
            assert language in letter_languages() and language != "en", (rule.id, language)
            assert bool(citation.article) == bool(rule.article), rule.id
            assert "Art." not in citation.article and "Law of" not in citation.law, rule.id


@pytest.mark.parametrize("rule_id", ["ru-59fz", "ru-59fz-migration"])
def test_russian_end_day_names_both_readings(book, rule_id: str) -> None:
    rule = next(r for r in book.rules if r.id == rule_id)
    text = next(u.text for u in rule.unverified if u.field == "end_day")
    assert "preceding working day" in text
    assert "Art. 193 of the Civil Code" in text
    assert "UNVERIFIED" in text


def test_georgian_letter_without_an_act_claims_no_term(book) -> None:
    rule = book.rule_for("GE", None, on=date(2026, 6, 1))
    assert rule.term is None and rule.article == ""
    assert book.rule_for("GE", "administrative-act", on=date(2026, 6, 1)).article == "Art. 100"
