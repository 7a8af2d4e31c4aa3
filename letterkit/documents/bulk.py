"""Bulk output for campaigns: one text to many authorities, each letter in its own language.

A campaign's letters (each a :class:`~letterkit.documents.model.Letter`, already built in its
target's language and layout) come out

* as a ZIP with one DOCX per target: :func:`write_zip`;
* as ONE DOCX to print in one go, every letter starting on a new page with its own page setup
  and page numbers: :func:`write_combined_docx`;
* as the PDF of that combined DOCX, through LibreOffice: :func:`combined_pdf`.

Both writers stream: the letters are taken from the iterable one at a time, each is written
into ``out`` as it comes and then dropped, so memory stays flat however many targets there are
(only the ZIP central directory grows, by a few dozen bytes per file). The output is
deterministic (fixed ZIP timestamps, members in the given order). When a letter fails half-way
(a :class:`~letterkit.documents.errors.LetterValidationError` from its annex, say), ``out`` holds
an incomplete archive: write into a temporary file and keep it only on success. The error then
carries a note naming the item.

File names in the ZIP come from the caller and are made safe by :func:`safe_filename`: ASCII
only (Cyrillic and Georgian transliterated, accents dropped), no path separators, no ``..``, no
names Windows refuses, ``.docx`` at the end, at most :data:`MAX_NAME` characters; a name already
used (compared case-insensitively) gets ``-2``, ``-3``, … .
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from typing import IO

from letterkit.documents.docx_writer import DocxWriter
from letterkit.documents.errors import DocumentError
from letterkit.documents.model import Letter
from letterkit.documents.pdf import DEFAULT_TIMEOUT, docx_to_pdf, require_soffice
from letterkit.documents.zipper import ZipStream

__all__ = [
    "MAX_NAME",
    "UniqueNames",
    "combined_pdf",
    "safe_filename",
    "write_combined_docx",
    "write_zip",
]

#: longest file name in a campaign ZIP, extension included
MAX_NAME = 100
#: seconds LibreOffice may take for a combined PDF: this much per letter on top of the default
PDF_SECONDS_PER_LETTER = 1.0

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "yo",
    "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh, Kyrgyz, Tajik, Uzbek Cyrillic
    "ә": "a", "ғ": "g", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u",
}  # fmt: skip
_GEORGIAN = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j",
    "ჰ": "h",
}  # fmt: skip
_LATIN = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ı": "i"}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphens, en/em dash, minus


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for mapping in (_CYRILLIC, _LATIN):
        for lower, latin in mapping.items():
            table[lower] = latin
            upper = lower.upper()
            if len(upper) == 1 and upper != lower:
                table[upper] = latin.capitalize()
    for dash in _DASHES:
        table[dash] = "-"
    for letter, latin in _GEORGIAN.items():
        table[letter] = latin
        # Mtavruli capitals (U+1C90…) map like the Mkhedruli letters
        table[chr(ord(letter) - 0x10D0 + 0x1C90)] = latin.capitalize()
    return table


_TRANSLIT = _table()
_TRANSLIT_RE = re.compile("[" + "".join(sorted(_TRANSLIT)) + "]")


def _transliterate(text: str) -> str:
    """Cyrillic and Georgian to Latin letters; a capital within capitals stays all capitals
    ("ЩУКА" gives "SHCHUKA", "Щука" gives "Shchuka")."""

    def one(match: re.Match[str]) -> str:
        latin = _TRANSLIT[match.group(0)]
        at = match.start()
        if latin[:1].isupper() and len(latin) > 1:
            neighbours = text[max(at - 1, 0) : at] + text[at + 1 : at + 2]
            if any(c.isupper() for c in neighbours):
                return latin.upper()
        return latin

    return _TRANSLIT_RE.sub(one, text)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RUNS = re.compile(r"[._-]{2,}")
_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")


def _collapse(match: re.Match[str]) -> str:
    """A run of separators becomes one: "-" if it has one, else "_" if it has one, else "."."""
    run = match.group(0)
    return "-" if "-" in run else "_" if "_" in run else "."


def safe_filename(name: str, *, suffix: str = ".docx") -> str:
    """A safe ASCII file name made from ``name``: transliterated, separators and ``..``
    removed, ``suffix`` at the end (given once), never empty, at most :data:`MAX_NAME` long.

    >>> safe_filename("Посольство России, Лондон")
    'Posolstvo_Rossii_London.docx'
    >>> safe_filename("../../etc/passwd")
    'etc_passwd.docx'
    """
    if not isinstance(name, str):
        raise TypeError(f"a file name must be text, not {type(name).__name__}")
    text = _transliterate(unicodedata.normalize("NFC", name))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if suffix and text.lower().endswith(suffix.lower()):
        text = text[: -len(suffix)]
    text = _UNSAFE.sub("_", text)
    text = _RUNS.sub(_collapse, text).strip("._-")
    if _RESERVED.fullmatch(text):  # Windows refuses these, whatever the extension
        text = f"_{text}"
    stem = text[: MAX_NAME - len(suffix)].rstrip("._-") or "letter"
    return stem + suffix


class UniqueNames:
    """Hands out safe file names, each once: a name already given (compared
    case-insensitively, as on Windows and macOS) gets ``-2``, ``-3``, … before its suffix."""

    def __init__(self, suffix: str = ".docx") -> None:
        self.suffix = suffix
        self._used: set[str] = set()

    def __call__(self, name: str) -> str:
        safe = safe_filename(name, suffix=self.suffix)
        candidate = safe
        stem = safe[: -len(self.suffix)] if self.suffix else safe
        n = 1
        while candidate.casefold() in self._used:
            n += 1
            tail = f"-{n}"
            candidate = stem[: MAX_NAME - len(self.suffix) - len(tail)] + tail + self.suffix
        self._used.add(candidate.casefold())
        return candidate


def write_zip(
    items: Iterable[tuple[str, Letter]],
    out: IO[bytes],
    *,
    letterhead: bytes | None = None,
    sender_block: bool | None = None,
) -> int:
    """Write a ZIP with one DOCX per ``(file name, letter)`` into ``out``; return the count.

    Each DOCX is exactly what :func:`render_docx` gives for the letter (stored, not compressed
    a second time). ``letterhead`` and ``sender_block`` are as for :func:`render_docx`; the
    letterhead is checked once. ``items`` is consumed lazily and each letter is written before
    the next one is asked for. No items give an empty (valid) archive and 0.
    """
    writer = DocxWriter(letterhead, sender_block=sender_block)
    names = UniqueNames(".docx")
    count = 0
    with ZipStream(out) as zs:
        for index, item in enumerate(items, start=1):
            name, letter = item
            try:
                zs.add_stored(names(name), writer.render(letter))
            except DocumentError as err:
                err.add_note(f"campaign item {index}: {name!r}")
                raise
            count += 1
    return count


def write_combined_docx(
    letters: Iterable[Letter],
    out: IO[bytes],
    *,
    letterhead: bytes | None = None,
    sender_block: bool | None = None,
) -> int:
    """Write ``letters`` as ONE DOCX for printing into ``out``; return how many were written.

    Every letter keeps its language's layout (addressee block, requisites, signature, margins:
    a section of its own), starts on a new page and has its pages numbered from 1, without a
    number on its first page; its demands are numbered from 1; its annex, if any, follows it
    as a further section. The body is streamed into the ZIP letter by letter. Raises
    :class:`LetterValidationError` when ``letters`` is empty.
    """
    writer = DocxWriter(letterhead, sender_block=sender_block)
    counted = _Counted(letters)
    try:
        return writer.write_combined(counted, out)
    except DocumentError as err:
        if counted.index:
            err.add_note(f"campaign letter {counted.index}")
        raise


class _Counted(Iterator[Letter]):
    """Passes letters through and remembers the position of the one being produced or written
    (the writer asks for the next letter only after the current one is written)."""

    def __init__(self, letters: Iterable[Letter]) -> None:
        self._it = iter(letters)
        self.index = 0

    def __next__(self) -> Letter:
        self.index += 1
        try:
            return next(self._it)
        except StopIteration:
            self.index -= 1
            raise


def combined_pdf(
    letters: Iterable[Letter],
    *,
    letterhead: bytes | None = None,
    sender_block: bool | None = None,
    timeout: float | None = None,
) -> bytes:
    """The PDF of :func:`write_combined_docx`'s document, made by LibreOffice.

    Raises :class:`PdfUnavailable` (before rendering anything) when LibreOffice is not
    installed, or when it fails or takes longer than ``timeout`` seconds (default: the single
    letter's timeout plus :data:`PDF_SECONDS_PER_LETTER` per letter).
    """
    require_soffice()
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as tmp:
        count = write_combined_docx(letters, tmp, letterhead=letterhead, sender_block=sender_block)
        tmp.seek(0)
        data = tmp.read()
    if timeout is None:
        timeout = DEFAULT_TIMEOUT + PDF_SECONDS_PER_LETTER * count
    return docx_to_pdf(data, timeout=timeout)
