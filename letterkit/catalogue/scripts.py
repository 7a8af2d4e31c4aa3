"""Writing systems (ISO 15924 codes) of letter languages and of the text a group types.

Which script a letter language is written in is data: the ``script`` field of each
``[[language]]`` in ``data/languages.toml``. This module knows only what is about characters,
not languages: the names of the scripts letterkit prints (for the interface), and how to tell
the script of a piece of text from its letters (Unicode character names).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from letterkit.markers import N_

#: The scripts letterkit can print, with their names for the interface (translated by the web
#: layer). A ``script`` in languages.toml must be one of these.
SCRIPT_NAMES: dict[str, str] = {
    "Latn": N_("Latin script"),
    "Cyrl": N_("Cyrillic script"),
    "Geor": N_("Georgian script"),
    "Armn": N_("Armenian script"),
    "Grek": N_("Greek script"),
}

#: The first word of a letter's Unicode name, for each script above.
_UNICODE_WORD = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "GREEK": "Grek",
}


def script_of(text: str) -> str | None:
    """The script most letters of ``text`` are written in, or None when it has no letters of a
    known script (digits, punctuation and letters of other scripts are not counted)."""
    counts: Counter[str] = Counter()
    for char in text:
        if not char.isalpha():
            continue
        word = unicodedata.name(char, "").split(" ", 1)[0]
        script = _UNICODE_WORD.get(word)
        if script is not None:
            counts[script] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def written_in(text: str, script: str) -> bool:
    """True when ``text`` is in ``script``, or has no letters that tell (e.g. only digits)."""
    found = script_of(text)
    return found is None or found == script


# -- a Latin suggestion for Cyrillic text ----------------------------------------------------
#
# Only ever a suggestion the user reads, corrects and saves (group settings); never applied to
# a letter by itself. Two published romanisations:
# - Russian: ICAO Doc 9303 (the table of machine-readable travel documents, used in Russian
#   passports for travel abroad);
# - Ukrainian: the official romanisation of the Cabinet of Ministers of Ukraine (2010), with
#   its word-initial forms (є ye, ї yi, й y, ю yu, я ya) and «зг» as "zgh".
# Text with one of і ї є ґ is read as Ukrainian, anything else as Russian. Names of people have
# their own spelling (e.g. in a passport): the suggestion says so.

_RU = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia".split(),
        strict=True,
    )
)
_RU["ь"] = ""
_UK = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
        "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch - iu ia".split(),
        strict=True,
    )
)
_UK["ь"] = ""
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_UK_LETTERS = frozenset("іїєґ")
_APOSTROPHES = frozenset("'’ʼ")


def suggest_latin(text: str) -> str:
    """A Latin spelling of Cyrillic ``text`` to suggest (see the tables above); other
    characters are kept as they are."""
    ukrainian = any(char in _UK_LETTERS for char in text.lower())
    table = _UK if ukrainian else _RU
    out: list[str] = []
    previous = ""
    for index, char in enumerate(text):
        lower = char.lower()
        if ukrainian and char in _APOSTROPHES:
            continue
        if lower not in table:
            out.append(char)
            previous = char
            continue
        initial = not previous.isalpha()
        if ukrainian and lower == "г" and previous.lower() == "з":
            latin = "gh"
        elif ukrainian and initial and lower in _UK_INITIAL:
            latin = _UK_INITIAL[lower]
        else:
            latin = table[lower]
        if char != lower and latin:
            following = text[index + 1 : index + 2]
            whole = following.isalpha() and following.isupper()
            latin = latin.upper() if whole else latin[0].upper() + latin[1:]
        out.append(latin)
        previous = char
    return "".join(out)
