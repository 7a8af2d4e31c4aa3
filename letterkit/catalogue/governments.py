"""The government of a sending state, in each letter language, for letters handed to its
missions abroad (``data/governments.toml``).

A letter template that asks for a ``government`` field gets it prefilled from here when the
letter goes to a mission; the user can still change it.
"""

from __future__ import annotations

import functools
from pathlib import Path

from letterkit.catalogue.entry_reader import COUNTRY_CODE_RE, LANGUAGE_CODE_RE
from letterkit.catalogue.errors import CatalogueError
from letterkit.tomldata import Problem, load_toml

GOVERNMENTS_FILE: Path = Path(__file__).resolve().parent / "data" / "governments.toml"
TEXT_MAX = 200  # the embassy-letter template's field takes up to 200 characters


def read_governments(path: Path = GOVERNMENTS_FILE) -> dict[str, dict[str, str]]:
    """``{country: {language: text}}``; raise ``CatalogueError`` naming each bad entry."""
    raw = load_toml(path, path.name)
    problems: list[Problem] = []
    out: dict[str, dict[str, str]] = {}
    for country, texts in raw.items():
        if not COUNTRY_CODE_RE.match(country) or not isinstance(texts, dict):
            problems.append(_problem(path, country, "must be a country code with a table"))
            continue
        out[country] = {}
        for lang, text in texts.items():
            where = f"{country}.{lang}"
            if not LANGUAGE_CODE_RE.match(lang):
                problems.append(_problem(path, where, "must be a language code"))
            elif not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX:
                problems.append(
                    _problem(path, where, f"must be a text of 1 to {TEXT_MAX} characters")
                )
            else:
                out[country][lang] = text.strip()
    if problems:
        raise CatalogueError(problems)
    return out


def _problem(path: Path, field: str, message: str) -> Problem:
    return Problem(message, field=field, file=path.name)


@functools.cache
def _shipped() -> dict[str, dict[str, str]]:
    return read_governments()


def government_of(country: str, language: str) -> str | None:
    """The government of ``country`` as a letter in ``language`` names it, if the catalogue has
    it."""
    return _shipped().get(country, {}).get(language)
