"""Georgian, Armenian and Azerbaijani letters built from the shipped data: every template
renders with the catalogue's addressee lines, salutations and demands and the law in the
letter's language, and reads back through python-docx. (The CLI's ``render --lang`` offers only
en, ru and uk until it reads the language registry, so this goes through the services.)"""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import docx
import pytest

from letterkit import deadlines, documents
from letterkit.catalogue import get_catalogue
from letterkit.services import law, letters

#: the letter language of each country, and the day the letters are dated
COUNTRIES = {"ka": "GE", "hy": "AM", "az": "AZ"}
DAY = date(2026, 3, 2)
TEMPLATES = ("appeal", "embassy-letter", "sign-on", "follow-up")


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(parts)


def _law_fields(lang: str, slug: str) -> dict[str, str]:
    """The law fields the rule of the letter language's country gives, as the services fill
    them (the rule of a plain letter; the follow-up gets law and article apart)."""
    rule = deadlines.load_rules().rule_for(COUNTRIES[lang], None, DAY)
    if rule is None or rule.status is not deadlines.Status.STATUTORY:
        return {"law": ""} if slug != "follow-up" else {}
    citation = rule.citation(lang)
    unverified = bool(law.CLAIM_FIELDS & rule.unverified_fields())
    if slug == "follow-up":
        hedge = law.hedge("reckoning", lang) if unverified else ""
        return {"law": citation.law, "article": citation.article, "law_hedge": hedge}
    hedge = law.hedge("reading", lang) if unverified else ""
    return {"law": law.citation_text(citation), "law_hedge": hedge}


@pytest.mark.parametrize("slug", TEMPLATES)
@pytest.mark.parametrize("lang", sorted(COUNTRIES))
def test_letter_from_the_catalogue(lang: str, slug: str) -> None:
    catalogue = get_catalogue()
    country = catalogue.country(COUNTRIES[lang])
    assert country.letter_language == lang
    assert lang not in country.missing_templates
    demands = list(catalogue.demand_set("sdp-2019-common").demands)
    if lang == "ka":
        demands += catalogue.demand_set("sdp-2019-ge").demands
    assert all(not d.text(lang).is_fallback and not d.title(lang).is_fallback for d in demands)
    spec = documents.default_library().get(slug)
    sample = spec.sample_context(lang)
    authorities = catalogue.authorities_for(country.code, "parliament")
    addressee = (
        letters.addressee_for(authorities[0], lang, catalogue=catalogue)
        if authorities
        else sample.addressee
    )
    fields = {**sample.fields, **_law_fields(lang, slug)}
    context = dataclasses.replace(
        sample,
        addressee=addressee,
        date=DAY,
        demands=tuple(documents.DemandText(d.title(lang).text, d.text(lang).text) for d in demands),
        fields=fields,
    )
    letter = documents.build_letter(slug, lang, context)
    text = _text(documents.render_docx(letter))
    assert addressee.line.split("\n")[0] in text
    assert letter.salutation and letter.salutation in text
    for demand in demands:
        assert demand.text(lang).text in text
    if fields.get("law"):
        assert fields["law"] in text
        assert fields.get("law_hedge", "") in text.lower()


def test_georgian_authorities_are_addressed_in_georgian() -> None:
    catalogue = get_catalogue()
    georgian = [a for a in catalogue.authorities.values() if a.country == "GE"]
    assert georgian
    for authority in georgian:
        assert authority.letter_language == "ka", authority.slug
        assert not authority.addressee("ka").is_fallback, authority.slug
        assert not authority.salutation("ka").is_fallback, authority.slug
        # no gendered default: the salutation is the same whatever the holder's form
        forms = {authority.salutation("ka", form).text for form in ("female", "male", None)}
        assert len(forms) == 1, authority.slug
        assert not authority.verified and "draft translation" in authority.note


@pytest.mark.parametrize(
    ("lang", "law_words"),
    [
        ("hy", "«Հանրագրերի մասին» 12.01.2018 թ. ՀՕ-15-Ն օրենք, հոդված 10"),
        ("az", "“Vətəndaşların müraciətləri haqqında” Qanunu, maddə 10.1"),
    ],
)
def test_the_law_is_cited_in_the_letter_language(lang: str, law_words: str) -> None:
    fields = _law_fields(lang, "appeal")
    assert law_words in fields["law"]
    assert fields["law_hedge"] == law.hedge("reading", lang) != law.hedge("reading", "en")


def test_a_georgian_letter_makes_no_legal_claim_without_an_act() -> None:
    assert _law_fields("ka", "appeal") == {"law": ""}
