"""The one definition of the characters that can never go into a letter or a page.

XML 1.0 (and so a DOCX) cannot hold the C0 controls other than tab, newline and carriage
return, lone surrogates, and U+FFFE/U+FFFF. letterkit also refuses DEL and the C1 controls
(U+007F–U+009F): XML allows them, but they are invisible, print as nothing or as boxes, and
are never what a person meant to type. Tab, newline and carriage return are left to each caller
(one-line fields refuse them; multi-line text normalises ``\\r``).

Pure: every layer may import this module (catalogue validation, the document writers, the
web forms), so the catalogue, the forms and the writers can never disagree about a character.
"""

from __future__ import annotations

import re

#: The forbidden characters as the body of a regular-expression character class, to combine
#: with others (the DOCX writer's fast-path test adds markup characters to it).
FORBIDDEN_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"

#: The same class written with escapes, for a JSON Schema ``pattern`` (ECMA-262, read by API
#: clients and by pydantic alike). Lone surrogates are left out: no JSON text in UTF-8 can carry
#: one. tests/test_textchars.py checks it names exactly the characters of ``FORBIDDEN_CLASS``.
FORBIDDEN_CLASS_ESCAPED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"

#: Matches one forbidden character.
FORBIDDEN = re.compile(f"[{FORBIDDEN_CLASS}]")


def has_forbidden(text: str) -> bool:
    """Tell whether ``text`` holds a character that can never go into a letter."""
    return FORBIDDEN.search(text) is not None


def remove_forbidden(text: str) -> str:
    """Return ``text`` without the forbidden characters."""
    return FORBIDDEN.sub("", text) if FORBIDDEN.search(text) else text
