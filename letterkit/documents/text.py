"""Plain-text hygiene for everything that ends up in a letter.

User text reaches the DOCX and the HTML preview as text only. Before that it passes here:

* characters XML 1.0 forbids (C0 controls other than tab and newline, lone surrogates,
  U+FFFE/U+FFFF) and the invisible C1 controls are removed; ``\\r\\n`` and ``\\r`` become ``\\n``;
* text longer than its limit is refused with a :class:`LetterValidationError` that names the field.

The limits are generous for letters and small enough that one request cannot build a document
that exhausts memory. They are module constants so forms can show them.
"""

from __future__ import annotations

import re

from letterkit.documents.errors import LetterValidationError
from letterkit.markers import N_
from letterkit.textchars import FORBIDDEN

#: one line: a name, an address line, a title, a subject, a table cell
MAX_LINE = 500
#: a paragraph-sized text: a demand, the addressee block, a salutation
MAX_TEXT = 5_000
#: a free-text field of a template (type ``textarea``)
MAX_TEXTAREA = 20_000
#: all the rendered text of a letter, annex excluded
MAX_LETTER_CHARS = 200_000
#: address lines, contact lines
MAX_LINES = 12
#: numbered demands in one letter
MAX_DEMANDS = 50
#: signatories in one annex
MAX_ANNEX_ROWS = 250_000
#: columns of the annex table
MAX_ANNEX_COLUMNS = 8

# Everything XML 1.0 does not allow, plus DEL and the C1 controls (one definition for all of
# letterkit). \r is handled before this (normalised to \n).
_ILLEGAL = FORBIDDEN
_CR = re.compile("\r\n?")
_PARA_SPLIT = re.compile(r"\n[ \t]*\n\s*")
_WS = re.compile(r"\s+")


def clean_text(value: object, *, field: str, limit: int = MAX_TEXT) -> str:
    """Return ``value`` as clean text: XML-illegal characters removed, line ends normalised.

    Raises :class:`LetterValidationError` when ``value`` is not a string or is longer than
    ``limit`` characters (counted after cleaning).
    """
    if not isinstance(value, str):
        raise LetterValidationError(
            N_("{field} must be text, not {kind}."), field=field, kind=type(value).__name__
        )
    if "\r" in value:
        value = _CR.sub("\n", value)
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if len(value) > limit:
        raise LetterValidationError(
            N_("{field} is too long: {length} characters, at most {limit} are allowed."),
            field=field,
            length=len(value),
            limit=limit,
        )
    return value


def clean_line(value: object, *, field: str, limit: int = MAX_LINE) -> str:
    """Like :func:`clean_text`, for one line: runs of whitespace (newlines too) become a space."""
    text = clean_text(value, field=field, limit=max(limit * 4, limit))
    text = " ".join(text.split())
    if len(text) > limit:
        raise LetterValidationError(
            N_("{field} is too long: {length} characters, at most {limit} are allowed."),
            field=field,
            length=len(text),
            limit=limit,
        )
    return text


def clean_lines(
    values: object, *, field: str, limit: int = MAX_LINE, max_lines: int = MAX_LINES
) -> tuple[str, ...]:
    """Clean a sequence of lines (an address, contacts); empty lines are dropped."""
    if isinstance(values, str):
        values = values.split("\n")
    if not isinstance(values, list | tuple):
        raise LetterValidationError(
            N_("{field} must be a list of lines, not {kind}."),
            field=field,
            kind=type(values).__name__,
        )
    lines = tuple(
        line
        for i, value in enumerate(values)
        if (line := clean_line(value, field=f"{field}[{i + 1}]", limit=limit))
    )
    if len(lines) > max_lines:
        raise LetterValidationError(
            N_("{field} has too many lines: {count}, at most {limit} are allowed."),
            field=field,
            count=len(lines),
            limit=max_lines,
        )
    return lines


def strip_illegal(text: str) -> str:
    """Remove XML-illegal characters only (no length check): the writers' last line of defence."""
    if "\r" in text:
        text = _CR.sub("\n", text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text


def has_illegal(text: str) -> bool:
    """Tell whether ``text`` contains characters that :func:`clean_text` would remove."""
    return bool(_ILLEGAL.search(text)) or "\r" in text


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Split rendered template text into paragraphs at blank lines.

    Inside a paragraph, line breaks and runs of spaces become one space, so template authors can
    wrap long sentences freely.
    """
    text = text.strip()
    if not text:
        return ()
    return tuple(p for part in _PARA_SPLIT.split(text) if (p := _WS.sub(" ", part).strip()))


def one_line(text: str) -> str:
    """Collapse all whitespace in ``text`` to single spaces (for subject, salutation, closing)."""
    return _WS.sub(" ", text).strip()


# postcodes as written in address lines: "MD-2073", "LV-1050", "LT-44307" (country prefix and
# hyphen) and British ones such as "SW1A 2AA" (a space inside)
_POSTCODE_HYPHEN = re.compile(r"\b([A-Z]{2})-(\d{3,6})\b")
_POSTCODE_SPACE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) (\d[A-Z]{2})\b")
NON_BREAKING_HYPHEN = "\u2011"


def keep_postcodes(line: str) -> str:
    """``line`` with its postcodes unbreakable: a non-breaking hyphen (U+2011) in "MD-2073", a
    no-break space in "SW1A 2AA". The DOCX writer prints U+2011 as Word's ``w:noBreakHyphen``."""
    if "-" in line:
        line = _POSTCODE_HYPHEN.sub(rf"\1{NON_BREAKING_HYPHEN}\2", line)
    if " " in line:
        line = _POSTCODE_SPACE.sub("\\1\u00a0\\2", line)
    return line
