"""Texts in several languages and their fallback rule."""

from __future__ import annotations

import pytest

from letterkit.catalogue import Texts


@pytest.mark.parametrize(
    ("values", "primary", "requested", "lang", "fallback"),
    [
        # 1. the language asked for
        ({"en": "E", "ru": "R", "uk": "U"}, "uk", "ru", "ru", False),
        # 2. else the entry's own language
        ({"en": "E", "ru": "R"}, "ru", "uk", "ru", True),
        ({"ro": "O", "en": "E"}, "ro", "uk", "ro", True),
        # 3. else English (an own language that is not there is not kept)
        ({"ro": "O", "en": "E"}, "ka", "uk", "en", True),
        # 4. else the first language written
        ({"ro": "O", "ru": "R"}, None, "uk", "ro", True),
        ({"ro": "O", "ru": "R"}, None, "en", "ro", True),
    ],
)
def test_fallback_rule(
    values: dict[str, str], primary: str | None, requested: str, lang: str, fallback: bool
) -> None:
    localized = Texts.of(values, primary).get(requested)
    assert (localized.lang, localized.text) == (lang, values[lang])
    assert localized.requested == requested
    assert localized.is_fallback is fallback
    assert str(localized) == values[lang]


def test_exact_lookups_do_not_fall_back() -> None:
    texts = Texts.of({"en": "E", "ru": "R"}, "ru")
    assert texts["en"] == "E"
    assert texts.exact("uk") is None
    assert "ru" in texts and "uk" not in texts
    assert list(texts) == ["en", "ru"] and len(texts) == 2
    assert texts.as_dict() == {"en": "E", "ru": "R"}
    with pytest.raises(KeyError):
        texts["uk"]


def test_texts_need_a_language() -> None:
    with pytest.raises(ValueError):
        Texts.of({})
