"""Validation of a rules file: every problem is an error naming the file and the rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from letterkit.deadlines import RuleFileError, compute_due, load_rules

HEADER = """
format = 1
[kinds]
house-petition = "Petition presented in the House"
[countries.RU]
name = "Russia"
holidays = "RU"
[countries.EU]
name = "EU"
holidays = ""
"""

GOOD_RULE = """
[[rules]]
id = "ru-test"
country = "RU"
status = "statutory"
title = "Test"
law = "Test law"
term = { amount = 30, unit = "calendar_days" }
start = "registration"
extension_status = "none"
confidence = "High"
source = "somewhere"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def test_a_minimal_file_loads_and_computes(tmp_path: Path) -> None:
    book = load_rules(write(tmp_path, GOOD_RULE))
    result = compute_due("RU", date(2026, 1, 5), registered_on=date(2026, 1, 5), rules=book)
    assert result.due == date(2026, 2, 4)
    assert result.rules_version == book.version


BAD = [
    (
        "unknown-unit",
        GOOD_RULE.replace('"calendar_days"', '"dayz"'),
        "ru-test",
        "unknown unit 'dayz'",
    ),
    (
        "missing-source",
        GOOD_RULE.replace('source = "somewhere"\n', ""),
        "ru-test",
        "source: This is required.",
    ),
    (
        "empty-source",
        GOOD_RULE.replace('"somewhere"', '"  "'),
        "ru-test",
        "source: This is required.",
    ),
    (
        "date-as-string",
        GOOD_RULE + 'effective_from = "2026-03-01"\n',
        "ru-test",
        "effective_from: This must be a date (YYYY-MM-DD).",
    ),
    (
        "datetime-not-date",
        GOOD_RULE + "effective_to = 2026-03-01T10:00:00\n",
        "ru-test",
        "effective_to: This must be a date (YYYY-MM-DD).",
    ),
    (
        "from-after-to",
        GOOD_RULE + "effective_from = 2026-03-01\neffective_to = 2026-02-28\n",
        "ru-test",
        "is after effective_to",
    ),
    (
        "overlapping-ranges",
        GOOD_RULE.replace('"ru-test"', '"ru-old"')
        + "effective_to = 2026-03-01\n"
        + GOOD_RULE.replace('"ru-test"', '"ru-new"')
        + "effective_from = 2026-03-01\n",
        "ru-new",
        "overlap with rule 'ru-old'",
    ),
    (
        "two-open-ranges",
        GOOD_RULE + GOOD_RULE.replace('"ru-test"', '"ru-again"'),
        "ru-again",
        "overlap",
    ),
    ("duplicate-id", GOOD_RULE + GOOD_RULE, "ru-test", "duplicate rule id"),
    (
        "unknown-country",
        GOOD_RULE.replace('country = "RU"', 'country = "XX"'),
        "ru-test",
        "unknown country 'XX'",
    ),
    ("unknown-kind", GOOD_RULE + 'kind = "embassy"\n', "ru-test", "unknown kind 'embassy'"),
    (
        "unknown-key",
        GOOD_RULE + "deadline = 30\n",
        "ru-test",
        "deadline: Unknown field.",
    ),
    (
        "unknown-status",
        GOOD_RULE.replace('"statutory"', '"law"'),
        "ru-test",
        "unknown status 'law'",
    ),
    ("unknown-confidence", GOOD_RULE.replace('"High"', '"Sure"'), "ru-test", "unknown confidence"),
    (
        "unknown-start",
        GOOD_RULE.replace('"registration"', '"arrival"'),
        "ru-test",
        "unknown start event",
    ),
    (
        "negative-term",
        GOOD_RULE.replace("amount = 30", "amount = -3"),
        "ru-test",
        "term.amount: This must be at least 1.",
    ),
    (
        "float-term",
        GOOD_RULE.replace("amount = 30", "amount = 30.5"),
        "ru-test",
        "term.amount: This must be a whole number.",
    ),
    (
        "statutory-without-term",
        GOOD_RULE.replace('term = { amount = 30, unit = "calendar_days" }\n', ""),
        "ru-test",
        "needs a term",
    ),
    (
        "no-term-with-a-number",
        GOOD_RULE.replace('"statutory"', '"no_term"'),
        "ru-test",
        "a no_term rule has no term",
    ),
    (
        "statutory-without-extension-status",
        GOOD_RULE.replace('extension_status = "none"\n', ""),
        "ru-test",
        "needs extensions or an extension_status",
    ),
    (
        "lag-on-receipt",
        GOOD_RULE.replace('"registration"', '"receipt"')
        + 'registration_lag = { amount = 3, unit = "calendar_days", source = "x" }\n',
        "ru-test",
        "registration_lag needs a start counted from registration",
    ),
    (
        "unknown-unverified-field",
        GOOD_RULE + 'unverified = [{ field = "mood", text = "x" }]\n',
        "ru-test",
        "unknown unverified field 'mood'",
    ),
    (
        "extension-without-maximum-not-flagged",
        GOOD_RULE.replace('extension_status = "none"\n', "")
        + '[[rules.extensions]]\ncondition = "Longer if needed."\n',
        "ru-test",
        "needs an unverified entry for 'extension'",
    ),
    (
        "extension-add-and-total",
        GOOD_RULE.replace('extension_status = "none"\n', "")
        + '[[rules.extensions]]\ncondition = "x"\n'
        + 'add = { amount = 1, unit = "months" }\ntotal = { amount = 2, unit = "months" }\n',
        "ru-test",
        "either add or total",
    ),
    (
        "unverified-extension-status-without-flag",
        GOOD_RULE.replace('"none"', '"unverified"'),
        "ru-test",
        "needs an unverified 'extension'",
    ),
    (
        "citation-language",
        GOOD_RULE + 'citation = { russian = { law = "Закон" } }\n',
        "ru-test",
        "citation.russian: must be a table under a language code",
    ),
    (
        "citation-unknown-key",
        GOOD_RULE + 'citation = { ru = { law = "Закон", title = "x" } }\n',
        "ru-test",
        "citation.ru.title: Unknown field.",
    ),
    (
        "citation-without-law",
        GOOD_RULE + 'citation = { ru = { article = "ст. 1" } }\n',
        "ru-test",
        "citation.ru.law: This is required.",
    ),
    (
        "citation-article-the-rule-lacks",
        GOOD_RULE + 'citation = { ru = { law = "Закон", article = "ст. 1" } }\n',
        "ru-test",
        "citation.ru.article: cites an article the rule does not name",
    ),
    (
        "citation-missing-article",
        GOOD_RULE.replace('law = "Test law"', 'law = "Test law"\narticle = "Art. 1"')
        + 'citation = { ru = { law = "Закон" } }\n',
        "ru-test",
        "citation.ru.article: This is required.",
    ),
]


@pytest.mark.parametrize(
    ("text", "rule_id", "message"), [pytest.param(*b[1:], id=b[0]) for b in BAD]
)
def test_bad_rule_names_file_and_rule(
    tmp_path: Path, text: str, rule_id: str, message: str | None
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RuleFileError) as info:
        load_rules(path)
    error = info.value
    assert error.path == str(path)
    assert error.rule_id == rule_id
    assert str(path) in str(error) and repr(rule_id) in str(error)
    if message:
        assert message in str(error)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format = 2\n", "format: must be 1"),
        ("this is = not toml =\n", "not valid TOML"),
        ('format = 1\n[countries.RU]\nname = "Russia"\n', "no [[rules]]"),
        ('format = 1\n[countries.rus]\nname = "Russia"\n', "two capital letters"),
        ("format = 1\nextra = 1\n", "extra: Unknown field."),
        (
            'format = 1\n[countries.RU]\nname = "Russia"\nholidays = "RUS"\n',
            "unknown holidays country 'RUS'",
        ),
        (
            'format = 1\n[countries.GB]\nname = "UK"\ndefault_subdiv = "LDN"\n',
            "unknown default_subdiv 'LDN'",
        ),
    ],
)
def test_bad_file_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_a_citation_gives_the_law_in_a_letter_language_and_falls_back_to_the_rule(
    tmp_path: Path,
) -> None:
    text = GOOD_RULE.replace('law = "Test law"', 'law = "Test law"\narticle = "Art. 12(1)"')
    text += 'citation = { ru = { law = "Закон", article = "ч. 1 ст. 12" } }\n'
    (rule,) = load_rules(write(tmp_path, text)).rules
    assert (rule.citation("ru").law, rule.citation("ru").article) == ("Закон", "ч. 1 ст. 12")
    assert (rule.citation("uk").law, rule.citation("uk").article) == ("Test law", "Art. 12(1)")
    assert rule.to_dict()["citations"] == {"ru": {"law": "Закон", "article": "ч. 1 ст. 12"}}
