"""The shipped catalogue loads, validates and holds what the seeds and the reference say."""

from __future__ import annotations

import holidays
import pytest

from letterkit import documents
from letterkit.catalogue import (
    MISSION_KINDS,
    NATIONAL_KINDS,
    UNVERIFIED,
    Catalogue,
    NotInCatalogue,
    get_catalogue,
    load_catalogue,
)

#: Every row of ../shared/reference/reply-deadlines.md, plus the two non-country addressees.
REFERENCE_COUNTRIES = "RU BY UA KZ KG UZ TJ GE AM AZ MD EE LV LT GB DE SE RO US CA AU ES".split()
#: The countries of seed 004 whose national authorities the catalogue covers.
SEED_COUNTRIES = ("BY", "EE", "GE", "KZ", "KG", "LT", "MD", "RU", "UA", "UZ")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return get_catalogue()


def test_the_shipped_catalogue_loads_and_is_cached(catalogue: Catalogue) -> None:
    assert get_catalogue() is catalogue
    fresh = load_catalogue()
    assert fresh is not catalogue
    assert set(fresh.authorities) == set(catalogue.authorities)


def test_countries_are_the_reference_rows_plus_eu_and_un(catalogue: Catalogue) -> None:
    assert set(catalogue.countries) == {*REFERENCE_COUNTRIES, "EU", "UN"}
    assert catalogue.country("EU").kind == "supranational"
    assert catalogue.country("UN").kind == "international"
    assert all(catalogue.country(code).is_state for code in REFERENCE_COUNTRIES)


@pytest.mark.parametrize(
    ("code", "letter_language", "official", "missing_templates"),
    [
        ("RU", "ru", ("ru",), ()),
        ("UA", "uk", ("uk",), ()),
        ("BY", "ru", ("be", "ru"), ()),
        ("KZ", "ru", ("kk", "ru"), ()),
        ("KG", "ru", ("ky", "ru"), ()),
        ("UZ", "ru", ("uz",), ()),
        ("TJ", "ru", ("tg",), ("tg",)),
        ("MD", "ro", ("ro",), ()),
        ("RO", "ro", ("ro",), ()),
        ("EE", "et", ("et",), ()),
        ("LT", "lt", ("lt",), ()),
        ("LV", "lv", ("lv",), ()),
        ("GE", "ka", ("ka",), ()),
        ("AM", "hy", ("hy",), ()),
        ("AZ", "az", ("az",), ()),
        ("GB", "en", ("en",), ()),
        ("EU", "en", None, None),
        ("UN", "en", ("en", "fr", "es"), ("fr", "es")),
    ],
)
def test_country_languages(
    catalogue: Catalogue,
    code: str,
    letter_language: str,
    official: tuple[str, ...] | None,
    missing_templates: tuple[str, ...] | None,
) -> None:
    country = catalogue.country(code)
    assert country.letter_language == letter_language
    assert letter_language in catalogue.template_languages
    if official is not None:
        assert country.official_languages == official
    if missing_templates is not None:
        assert country.missing_templates == missing_templates


def test_template_languages(catalogue: Catalogue) -> None:
    assert {
        "en",
        "ru",
        "uk",
        "ro",
        "lt",
        "lv",
        "et",
        "kk",
        "ky",
        "uz",
        "be",
        "ka",
        "hy",
        "az",
    } <= set(catalogue.template_languages)
    # a letter language of the registry has templates and printed labels
    assert set(catalogue.template_languages) == set(documents.languages())
    for spec in documents.default_library().all():
        assert set(spec.languages) == set(catalogue.template_languages), spec.slug


def test_every_country_has_english_and_russian_names(catalogue: Catalogue) -> None:
    for country in catalogue.countries.values():
        assert {"en", "ru"} <= set(country.names), country.code
        if country.is_state:
            assert set(country.official_languages) <= set(country.names), country.code


@pytest.mark.parametrize(
    ("code", "subdiv"),
    [("GB", "ENG"), ("DE", "BE"), ("US", "DC"), ("CA", "ON"), ("AU", "ACT"), ("ES", "MD")],
)
def test_holiday_subdivision_defaults(catalogue: Catalogue, code: str, subdiv: str) -> None:
    assert catalogue.country(code).holidays_subdiv == subdiv


def test_holiday_codes_and_subdivisions_exist_in_the_holidays_package(
    catalogue: Catalogue,
) -> None:
    supported = holidays.list_supported_countries()
    for country in catalogue.countries.values():
        if not country.is_state:
            assert country.holidays_code is None, country.code
            continue
        assert country.holidays_code in supported, country.code
        if country.holidays_subdiv:
            assert country.holidays_subdiv in supported[country.holidays_code], country.code
    for authority in catalogue.authorities.values():
        if authority.seat_subdiv:
            seat = catalogue.country(authority.seat_country)
            assert authority.seat_subdiv in supported[seat.holidays_code], authority.slug


@pytest.mark.parametrize("kind", NATIONAL_KINDS)
@pytest.mark.parametrize("code", SEED_COUNTRIES)
def test_every_seed_country_has_every_national_kind(
    catalogue: Catalogue, code: str, kind: str
) -> None:
    country = catalogue.country(code)
    present = catalogue.authorities_for(code, kind)
    reason = country.absent_reason(kind)
    assert present or reason, f"{code} has no {kind} and does not say why"
    assert not (present and reason)


@pytest.mark.parametrize(
    ("code", "kind"),
    [("BY", "ombudsperson"), ("GE", "drug-control"), ("EE", "drug-control")],
)
def test_absent_kinds_are_declared_with_a_reason(
    catalogue: Catalogue, code: str, kind: str
) -> None:
    reason = catalogue.country(code).absent_reason(kind)
    assert reason and "unverified" in reason


@pytest.mark.parametrize(
    ("slug", "kind", "host", "city"),
    [
        ("ru-embassy-london", "embassy", "GB", "London"),
        ("ru-embassy-stockholm", "embassy", "SE", "Stockholm"),
        ("ru-embassy-berlin", "embassy", "DE", "Berlin"),
        ("ru-embassy-bucharest", "embassy", "RO", "Bucharest"),
        ("ru-consulate-general-new-york", "consulate", "US", "New York"),
        ("ru-embassy-canberra", "embassy", "AU", "Canberra"),
        ("ru-consulate-general-barcelona", "consulate", "ES", "Barcelona"),
        ("ru-consulate-general-toronto", "consulate", "CA", "Toronto"),
        ("ru-embassy-chisinau", "embassy", "MD", "Chișinău"),
    ],
)
def test_the_russian_missions_of_the_seeds(
    catalogue: Catalogue, slug: str, kind: str, host: str, city: str
) -> None:
    mission = catalogue.authority(slug)
    assert (mission.kind, mission.host_country, mission.city) == (kind, host, city)
    assert mission.for_country == mission.country == "RU"
    assert mission.seat_country == host
    assert mission.is_mission
    assert mission in catalogue.authorities_in(host)
    assert mission in catalogue.authorities_for("RU")
    assert mission.addressee("ru").text.startswith(
        ("Чрезвычайному и Полномочному Послу Российской Федерации", "Генеральному консулу")
    )


def test_every_mission_records_its_host(catalogue: Catalogue) -> None:
    for authority in catalogue.authorities.values():
        if authority.kind in MISSION_KINDS:
            assert authority.host_country not in (None, authority.country), authority.slug


@pytest.mark.parametrize(
    ("slug", "lang", "addressee", "salutation"),
    [
        (
            "ru-minzdrav",
            "ru",
            "Министру здравоохранения Российской Федерации",
            "Уважаемый господин Министр!",
        ),
        ("ru-minzdrav", "en", "The Minister of Health of the Russian Federation", "Dear Minister,"),
        ("ua-moz", "uk", "Міністру охорони здоров'я України", "Шановний пане Міністре!"),
        ("ua-moz", "ru", "Министру здравоохранения Украины", "Уважаемый господин Министр!"),
        (
            "md-parliament",
            "ro",
            "Președintelui Parlamentului Republicii Moldova",
            "Stimate domnule Președinte,",
        ),
        (
            "lt-ministry-health",
            "lt",
            "Lietuvos Respublikos sveikatos apsaugos ministerijai",
            "Gerbiamas Ministre,",
        ),
        ("ee-ministry-social-affairs", "et", "Sotsiaalminister", "Lugupeetud minister"),
        (
            "ru-embassy-london",
            "ru",
            "Чрезвычайному и Полномочному Послу Российской Федерации в Соединённом Королевстве "
            "Великобритании и Северной Ирландии",
            "Уважаемый господин Посол!",
        ),
    ],
)
def test_addressee_lines(
    catalogue: Catalogue, slug: str, lang: str, addressee: str, salutation: str
) -> None:
    authority = catalogue.authority(slug)
    assert authority.addressee(lang).text == addressee
    assert authority.salutation(lang).text == salutation
    assert not authority.addressee(lang).is_fallback


def test_every_authority_has_english_and_russian_lines_and_ukraine_ukrainian(
    catalogue: Catalogue,
) -> None:
    for authority in catalogue.authorities.values():
        needed = {"en", "ru"} | ({"uk"} if authority.country == "UA" else set())
        assert needed <= set(authority.addressees), authority.slug
        assert set(authority.addressees) == set(authority.salutations), authority.slug
        assert authority.letter_language in authority.addressees, authority.slug


def test_unverified_entries_are_flagged(catalogue: Catalogue) -> None:
    for authority in catalogue.authorities.values():
        assert authority.source, authority.slug
        if authority.verified:
            assert authority.flag is None
        else:
            assert authority.flag == UNVERIFIED
            assert authority.note, authority.slug
            assert authority.needs_checking
        for contact in authority.contacts:
            assert contact.flag == (None if contact.verified else UNVERIFIED)
            if contact.verified:
                assert contact.source, authority.slug


def test_only_what_the_reference_states_is_verified(catalogue: Catalogue) -> None:
    assert not [a.slug for a in catalogue.authorities.values() if a.verified]
    verified = {
        (contact.kind, contact.value)
        for authority in catalogue.authorities.values()
        for contact in authority.contacts
        if contact.verified
    }
    assert verified == {
        ("portal", "обращения.бел"),
        ("web", "https://www.europarl.europa.eu/petitions"),
        ("email", "urgent-action@ohchr.org"),
    }


def test_authorities_are_listed_by_kind(catalogue: Catalogue) -> None:
    kinds = [authority.kind for authority in catalogue.authorities_for("UA")]
    assert kinds[:3] == ["head-of-state", "government", "parliament"]
    assert catalogue.authorities_for("UA", "ministry-health") == (catalogue.authority("ua-moz"),)


#: The six demands of the 2011 letter, as the seed has them.
INPUD_2011 = [
    (
        "inpud-2011-ost-nsp",
        "Provide the life-saving programmes for those most at risk of contracting HIV/AIDS, "
        "this includes OST and NSP for people who inject drugs.",
    ),
    (
        "inpud-2011-stop-criminalising-use",
        "Cease criminalizing the use of illicit drugs, which is in and of itself a major barrier "
        "dissuading people who use drugs from accessing the few services that are available.",
    ),
    ("inpud-2011-art", "Begin providing ART to people who use drugs."),
    (
        "inpud-2011-human-rights-approach",
        "Replace the current punitive, coercive, discriminatory approach to people who use drugs "
        "with a human rights and science based one, including the right to liberty and security "
        "of person, the right to health, the right to be free from torture, cruel, inhuman or "
        "degrading treatment and punishment, and the right to be free from discrimination.",
    ),
    (
        "inpud-2011-stop-persecuting-activists",
        "Cease persecuting Russian activists and organisations that are calling for change and "
        "the introduction of harm reduction, human rights based measures.",
    ),
    (
        "inpud-2011-pwud-at-forefront",
        "Recognise that people who use drugs must be at the forefront of designing programmes "
        "and policies aimed at improving our lives.",
    ),
]


def test_the_2011_set_has_the_six_demands_in_order_and_in_the_seed_wording(
    catalogue: Catalogue,
) -> None:
    demand_set = catalogue.demand_set("inpud-2011-russia")
    assert demand_set.slugs == tuple(slug for slug, _ in INPUD_2011)
    assert [text.text for text in demand_set.texts("en")] == [text for _, text in INPUD_2011]
    assert all(not text.is_fallback for text in demand_set.texts("ru"))
    assert demand_set.country == "RU"
    assert set(demand_set.target_kinds) == {"embassy", "consulate"}
    assert (demand_set.origin.seed, str(demand_set.origin.date)) == ("000", "2011-12-01")


def test_the_moldova_set_has_seven_demands_for_parliament_government_and_ministries(
    catalogue: Catalogue,
) -> None:
    demand_set = catalogue.demand_set("sdp-2019-md-seven")
    assert len(demand_set.demands) == 7
    assert demand_set.demands[0].text("en").text.endswith("Government Decision No. 79.")
    assert demand_set.demands[6].text("en").text.endswith("in decision-making on drug policy.")
    assert set(demand_set.target_kinds) == {
        "parliament",
        "government",
        "ministry-justice",
        "ministry-foreign-affairs",
        "ministry-interior",
    }
    assert demand_set.origin.place == "Chisinau"
    assert "within a month" in (demand_set.origin.note or "")


@pytest.mark.parametrize(
    ("slug", "country", "size", "targets"),
    [
        ("sdp-2019-common", None, 6, ()),
        ("sdp-2019-lt-ministry-of-health-naloxone", "LT", 2, ("ministry-health",)),
        ("sdp-2019-lt-kaunas", "LT", 4, ()),
        ("sdp-2019-lt-vilnius-polyclinics", "LT", 1, ("local-health",)),
        ("sdp-2019-ee-tallinn", "EE", 4, ("parliament",)),
        ("sdp-2019-ua", "UA", 3, ("head-of-state",)),
        ("sdp-2019-kz", "KZ", 6, ("parliament", "ministry-interior", "ministry-health")),
        ("sdp-2019-md-balti", "MD", 1, ("local-police", "mayor")),
        ("sdp-2019-md-russian-embassy", "RU", 1, ("embassy",)),
        ("sdp-2019-ge", "GE", 1, ("government",)),
        ("sdp-2019-by", "BY", 3, ()),
        ("sdp-2019-uz", "UZ", 3, ()),
        ("sdp-2019-kg", "KG", 2, ()),
        ("sdp-2019-ru-kaliningrad", "RU", 2, ("local-health",)),
        ("sdp-2019-ru-moscow-orenburg", "RU", 2, ("court", "local-health", "other")),
    ],
)
def test_the_2019_sets(
    catalogue: Catalogue, slug: str, country: str | None, size: int, targets: tuple[str, ...]
) -> None:
    demand_set = catalogue.demand_set(slug)
    assert demand_set.country == country
    assert len(demand_set.demands) == size
    assert demand_set.target_kinds == targets
    assert demand_set.origin.seed == "004"
    assert demand_set.origin.date is not None


@pytest.mark.parametrize(
    ("demand", "words"),
    [
        ("lt-2019-naloxone-guaranteed-financing", "naloxone"),
        ("ee-2019-naloxone-free-market", "naloxone"),
        ("ee-2019-no-deportation", "deporting"),
        ("ua-2019-raise-thresholds", "threshold quantities"),
        ("kz-2019-ost-for-all", "opioid substitution therapy to everyone"),
    ],
)
def test_the_country_demands_the_issue_names(catalogue: Catalogue, demand: str, words: str) -> None:
    assert words in catalogue.demand(demand).text("en").text


def test_every_demand_has_english_russian_a_rationale_and_sources(catalogue: Catalogue) -> None:
    for demand in catalogue.demands.values():
        assert {"en", "ru"} <= set(demand.texts) and {"en", "ru"} <= set(demand.titles)
        assert demand.rationale("en") is not None, demand.slug
        assert demand.citations, demand.slug
        for citation in demand.citations:
            assert citation.ref is None or citation.ref in catalogue.sources


def test_demands_sent_to_ukraine_have_ukrainian(catalogue: Catalogue) -> None:
    for demand_set in catalogue.sets_for("UA"):
        for demand in demand_set.demands:
            assert "uk" in demand.texts, demand.slug
            assert not demand.text("uk").is_fallback


@pytest.mark.parametrize("lang", ["ro", "lt", "lv", "et"])
def test_common_2019_demands_are_in_the_baltic_and_romanian_letter_languages(
    catalogue: Catalogue, lang: str
) -> None:
    demand_set = catalogue.demand_sets["sdp-2019-common"]
    assert not demand_set.title(lang).is_fallback
    for demand in demand_set.demands:
        assert not demand.text(lang).is_fallback, demand.slug
        assert not demand.title(lang).is_fallback, demand.slug


def test_every_set_demand_is_in_its_countrys_letter_language(catalogue: Catalogue) -> None:
    for demand_set in catalogue.demand_sets.values():
        if demand_set.country:
            lang = catalogue.country(demand_set.country).letter_language
            assert all(lang in demand.texts for demand in demand_set.demands), demand_set.slug


def test_sources_are_the_organisations_the_seeds_cite(catalogue: Catalogue) -> None:
    assert {"who", "unodc", "unaids"} <= set(catalogue.sources)
    assert catalogue.source("who").cited_in == ("000",)


def test_sets_with_finds_a_shared_demand(catalogue: Catalogue) -> None:
    slugs = {s.slug for s in catalogue.sets_with("sdp-2019-women-who-use-drugs")}
    assert {"sdp-2019-by", "sdp-2019-uz", "sdp-2019-kg", "sdp-2019-ru-moscow-orenburg"} <= slugs


@pytest.mark.parametrize(
    ("lookup", "key"),
    [
        ("authority", "ru-nonexistent"),
        ("demand", "nonexistent"),
        ("demand_set", "nonexistent"),
        ("country", "XX"),
        ("source", "nonexistent"),
    ],
)
def test_unknown_lookups_raise(catalogue: Catalogue, lookup: str, key: str) -> None:
    with pytest.raises(NotInCatalogue, match=key):
        getattr(catalogue, lookup)(key)


def test_catalogue_records_where_each_entry_is_defined(catalogue: Catalogue) -> None:
    assert catalogue.files[("authorities", "ru-embassy-chisinau")] == (
        "authorities/ru-missions.toml"
    )
    assert catalogue.files[("demands", "inpud-2011-art")] == "demands.toml"


#: The state languages letters to these countries may be written in besides Russian (#13).
STATE_LANGUAGES = {"KZ": "kk", "KG": "ky", "UZ": "uz", "BY": "be"}


@pytest.mark.parametrize(("code", "lang"), sorted(STATE_LANGUAGES.items()))
def test_authorities_have_lines_in_the_state_language(
    catalogue: Catalogue, code: str, lang: str
) -> None:
    authorities = catalogue.authorities_for(code)
    assert authorities
    for authority in authorities:
        assert not authority.addressee(lang).is_fallback, authority.slug
        assert not authority.salutation(lang).is_fallback, authority.slug
        assert authority.addressee(lang).text != authority.addressee("ru").text, authority.slug
        assert "draft translation" in (authority.note or ""), authority.slug


@pytest.mark.parametrize(
    ("slug", "lang", "addressee", "forms"),
    [
        (
            "kz-minzdrav",
            "kk",
            "Қазақстан Республикасының Денсаулық сақтау министріне",
            {"female": "Құрметті Министр!", "male": "Құрметті Министр!"},
        ),
        (
            "kg-jogorku-kenesh",
            "ky",
            "Кыргыз Республикасынын Жогорку Кеңешинин Төрагасына",
            {"female": "Урматтуу Төрага!", "male": "Урматтуу Төрага!"},
        ),
        (
            "uz-minzdrav",
            "uz",
            "Oʻzbekiston Respublikasi Sogʻliqni saqlash vaziriga",
            {"female": "Hurmatli Vazir!", "male": "Hurmatli Vazir!"},
        ),
        (
            "by-minzdrav",
            "be",
            "Міністру аховы здароўя Рэспублікі Беларусь",
            {"female": "Паважаная спадарыня Міністр!", "male": "Паважаны спадар Міністр!"},
        ),
    ],
)
def test_state_language_lines_and_holder_forms(
    catalogue: Catalogue, slug: str, lang: str, addressee: str, forms: dict[str, str]
) -> None:
    authority = catalogue.authority(slug)
    assert authority.addressee(lang).text == addressee
    for form, text in forms.items():
        assert authority.salutation(lang, form).text == text


@pytest.mark.parametrize(
    ("lang", "neutral"), [("kk", True), ("ky", True), ("uz", True), ("be", False)]
)
def test_state_languages_forms_of_address(catalogue: Catalogue, lang: str, neutral: bool) -> None:
    language = catalogue.languages[lang]
    assert language.letter_template
    assert language.neutral_form is neutral


def test_uzbek_uses_the_official_latin_letters(catalogue: Catalogue) -> None:
    texts = [a.addressee("uz").text for a in catalogue.authorities_for("UZ")]
    texts += [d.text("uz").text for d in catalogue.demand_set("sdp-2019-uz").demands]
    joined = " ".join(texts)
    assert "\u02bb" in joined  # oʻ, gʻ
    assert not any(mark in joined for mark in ("o'", "g'", "o`", "g`", "\u2018"))


@pytest.mark.parametrize(("code", "lang"), sorted(STATE_LANGUAGES.items()))
def test_seed_sets_are_in_the_state_language(catalogue: Catalogue, code: str, lang: str) -> None:
    sets = [
        *catalogue.sets_for(code),
        catalogue.demand_set("sdp-2019-common"),
        catalogue.demand_set("inpud-2011-russia"),  # the embassy letter a group may hand in
    ]
    for demand_set in sets:
        for demand in demand_set.demands:
            assert not demand.text(lang).is_fallback, (demand_set.slug, demand.slug)
            assert not demand.title(lang).is_fallback, (demand_set.slug, demand.slug)
    assert catalogue.country(code).letter_language == "ru"
