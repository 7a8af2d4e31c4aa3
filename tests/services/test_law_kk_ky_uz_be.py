"""The law field of Kazakh, Kyrgyz, Uzbek and Belarusian letters (services/law.py): the rule of
the authority's state, worded as the group's reading in the letter's language where the
reference leaves it unverified. The rules carry no citation in these languages (the reference
gives none), so the rule's own text is cited."""

from __future__ import annotations

from datetime import date

import pytest

from letterkit.catalogue import get_catalogue
from letterkit.deadlines import load_rules
from letterkit.services import law


@pytest.mark.parametrize(
    ("authority", "lang", "reading", "reckoning"),
    [
        ("kz-minzdrav", "kk", "біздің түсінігімізше", "біздің есебіміз бойынша"),
        ("kg-minzdrav", "ky", "биздин түшүнүгүбүз боюнча", "биздин эсебибиз боюнча"),
        ("uz-minzdrav", "uz", "bizning tushunishimizcha", "bizning hisob-kitobimizga koʻra"),
        ("by-minzdrav", "be", "паводле нашага разумення", "паводле нашага разліку"),
    ],
)
def test_state_language_letters_cite_the_rule_with_their_own_hedge(
    authority: str, lang: str, reading: str, reckoning: str
) -> None:
    day = date(2026, 3, 2)
    entry = get_catalogue().authority(authority)
    fields = law.law_fields(entry, lang, day)
    rule = law.rule_for(entry, day)
    assert rule is not None
    assert fields["law"] == law.citation_text(rule.citation(lang))
    assert rule.law in fields["law"]  # no citation in the language: the rule's own text
    assert lang not in dict(rule.citations)
    # every rule of these states leaves something of the claim unverified: a reading
    assert fields["law_hedge"] == reading
    assert law.hedge("reckoning", lang) == reckoning


def test_the_rules_of_these_states_cite_in_russian_only() -> None:
    """Kept honest: a citation in kk, ky, uz or be needs the law's name in that language from
    the reference; until then the rules have Russian only."""
    for rule in load_rules().rules:
        if rule.country in ("KZ", "KG", "UZ", "BY"):
            assert {code for code, _ in rule.citations} <= {"ru"}, rule.id
