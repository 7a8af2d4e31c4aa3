"""Letters in Romanian, Lithuanian, Latvian and Estonian to their countries' shipped authorities,
built as ``flask letterkit render`` builds them (addressee, salutation by the holder's form, the
seed demands, the law from the rule) and read back through python-docx.

The CLI's ``--lang`` choice still lists en, ru and uk only (another change makes it read the
registry), so these go through the same service functions the command calls.
"""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from letterkit import documents
from letterkit.catalogue import get_catalogue
from letterkit.services import law, letters
from letterkit.services.holders import Holder

DAY = date(2026, 3, 2)


def _letter(template: str, authority_slug: str, lang: str, demand_set: str, form: str | None):
    catalogue = get_catalogue()
    authority = catalogue.authority(authority_slug)
    spec = documents.default_library().get(template)
    sample = spec.sample_context(lang)
    fields = {k: v for k, v in sample.fields.items() if k not in law.LAW_FIELDS}
    context = documents.LetterContext(
        sender=sample.sender,
        addressee=letters.addressee_for(authority, lang, Holder(form=form), catalogue),
        signer=sample.signer,
        date=DAY,
        demands=[
            documents.DemandText(d.title(lang).text, d.text(lang).text)
            for d in catalogue.demand_set(demand_set).demands
        ],
        reference="T-1",
        fields=law.with_law(spec, fields, authority, lang, DAY),
    )
    return documents.build_letter(template, lang, context)


def _text(letter: documents.Letter) -> str:
    document = docx.Document(io.BytesIO(documents.render_docx(letter)))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.parametrize(
    ("authority", "lang", "demand_set", "form", "addressee", "salutation", "law_text"),
    [
        (
            "md-parliament",
            "ro",
            "sdp-2019-md-seven",
            "female",
            "Președintelui Parlamentului Republicii Moldova",
            "Stimată doamnă Președinte,",
            "Codul administrativ al Republicii Moldova nr. 116 din 19.07.2018, art. 60",
        ),
        (
            "md-ministry-justice",
            "ro",
            "sdp-2019-common",
            "male",
            "Ministrului Justiției al Republicii Moldova",
            "Stimate domnule Ministru,",
            "Codul administrativ al Republicii Moldova nr. 116 din 19.07.2018, art. 60",
        ),
        (
            "lt-ministry-health",
            "lt",
            "sdp-2019-lt-ministry-of-health-naloxone",
            "female",
            "Lietuvos Respublikos sveikatos apsaugos ministerijai",
            "Gerbiama Ministre,",
            # the reference gives no Lithuanian name for the law: the rule's English text
            "Law on Public Administration of 17.06.1999 No. VIII-1234",
        ),
        (
            "ee-riigikogu",
            "et",
            "sdp-2019-ee-tallinn",
            None,
            "Riigikogu esimees",
            "Lugupeetud Riigikogu esimees",
            "MSVS, § 6",
        ),
    ],
)
def test_state_language_letter_to_a_shipped_authority(
    authority: str,
    lang: str,
    demand_set: str,
    form: str | None,
    addressee: str,
    salutation: str,
    law_text: str,
) -> None:
    letter = _letter("appeal", authority, lang, demand_set, form)
    text = _text(letter)
    assert addressee in text
    assert salutation in text.split("\n")
    for demand in get_catalogue().demand_set(demand_set).demands:
        assert demand.text(lang).text in text
        assert not demand.text(lang).is_fallback
    assert law_text in text
    assert documents.get_locale(lang).requisite_lines(reference="T-1", day=DAY, place="")[0] in text


@pytest.mark.parametrize("lang", ["ro", "lt", "lv", "et"])
@pytest.mark.parametrize("template", ["appeal", "embassy-letter", "sign-on", "follow-up"])
def test_missing_salutation_is_the_neutral_greeting(template: str, lang: str) -> None:
    """Without the holder's salutation the template greets everyone, not a man only."""
    spec = documents.default_library().get(template)
    sample = spec.sample_context(lang)
    addressee = documents.Addressee(line=sample.addressee.line, salutation="")
    context = documents.LetterContext(
        sender=sample.sender,
        addressee=addressee,
        signer=sample.signer,
        date=sample.date,
        demands=sample.demands,
        reference=sample.reference,
        fields=sample.fields,
    )
    letter = documents.build_letter(template, lang, context)
    male_only = ("domnule", "Gerbiamas ", "Godātais ", "härra ")
    assert letter.salutation
    assert not any(word in letter.salutation for word in male_only), letter.salutation


def test_latvia_defaults_to_latvian_and_moldova_cites_its_code_in_romanian() -> None:
    catalogue = get_catalogue()
    assert catalogue.country("LV").letter_language == "lv"
    cited = law.law_fields(catalogue.authority("md-parliament"), "ro", DAY)
    assert cited[law.LAW_FIELD].startswith("Codul administrativ")
