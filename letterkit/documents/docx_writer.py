"""The DOCX writer: a letter as deterministic DOCX bytes, many letters as one document.

:func:`render_docx` writes one letter on its base package: the reference (see
:mod:`letterkit.documents.docx_reference`) or a group's letterhead, checked with
:func:`~letterkit.documents.letterhead.validate_letterhead` and opened once
(:mod:`letterkit.documents.docx_base`). The base's parts are copied already compressed; only
``word/document.xml`` (:mod:`letterkit.documents.docx_body`) and ``docProps/core.xml`` are
written, and the package is zipped with fixed timestamps, parts in a fixed order
(:mod:`letterkit.documents.zipper`), so the same letter always gives the same bytes.

Many letters (campaigns, see :mod:`letterkit.documents.bulk`): :class:`DocxWriter` opens the
base once for all of them, and writes a combined document: the letters one after another in
one ``document.xml`` streamed into the ZIP, each letter a section of its own (its language's
page, starting on a new page, page numbers restarting), its demands in a list of their own
restarted at 1 (one ``w:num`` per letter added to the numbering part).

The DOCX writer's modules import one another one way only::

    docx_writer -> letterhead -> docx_base -> docx_reference -> docx_package
    docx_writer -> docx_body  -> docx_base

python-docx is imported only by ``docx_package``, ``docx_reference`` and ``docx_base``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from letterkit.documents.docx_base import BasePackage, open_letterhead_base, reference_base
from letterkit.documents.docx_body import DOC_END, DOC_START, BodyWriter, core_xml, core_xml_of
from letterkit.documents.errors import LetterValidationError
from letterkit.documents.letterhead import validate_letterhead
from letterkit.documents.locales import get_locale
from letterkit.documents.model import Letter
from letterkit.documents.zipper import Entry, ZipStream, build_zip, deflate, deflate_chunks
from letterkit.markers import N_

__all__ = ["DocxWriter", "render_docx"]


def render_docx(
    letter: Letter,
    letterhead: bytes | None = None,
    *,
    sender_block: bool | None = None,
    stamp_copy: bool = False,
) -> bytes:
    """Write ``letter`` as DOCX bytes; the same letter always gives the same bytes.

    ``letterhead`` is a group's own ``.docx``: its headers, footers, page and styles frame the
    letter (it is checked with :func:`validate_letterhead` first). ``sender_block`` prints the
    sender's name, address and contacts at the top; by default it does so without a letterhead
    and leaves it to the letterhead otherwise. ``stamp_copy`` adds, for delivery by hand, a
    second copy of the letter (on a new page, its annex left out) ending with a box for the
    office's registration stamp: date received, incoming number, the official's name and
    signature.
    """
    if not isinstance(letter, Letter):
        raise TypeError("render_docx() needs a Letter")
    base = _base_for(letterhead)
    if sender_block is None:
        sender_block = letterhead is None
    return _render(letter, base, sender_block, stamp_copy)


def _base_for(letterhead: bytes | None) -> BasePackage:
    """The reference base, or the letterhead's (checked with validate_letterhead first)."""
    if letterhead is None:
        return reference_base()
    validate_letterhead(letterhead)
    return open_letterhead_base(letterhead)


def _render(
    letter: Letter, base: BasePackage, sender_block: bool, stamp_copy: bool = False
) -> bytes:
    """``letter`` as DOCX bytes on ``base`` (with its stamp copy, if asked)."""
    loc = get_locale(letter.language)
    writer = BodyWriter(letter, base, loc, sender_block, stamp_copy=stamp_copy)
    numbering = base.demand_numbering if stamp_copy else None
    entries: list[Entry] = []
    for item in base.entries(loc.word_lang):
        if isinstance(item, Entry):
            if numbering is not None and item.name == numbering.part_name:
                # one more list: the stamp copy's demands, numbered from 1 again
                data = base.items[numbering.part_name]
                entries.append(deflate_chunks(item.name, numbering.chunks(data, 1)))
            else:
                entries.append(item)
        elif item == base.document_name:
            entries.append(deflate_chunks(item, writer.chunks()))
        else:
            entries.append(deflate(item, core_xml(letter, loc)))
    return build_zip(entries)


# ---------------------------------------------------------------------------------------------
# Many letters: one base for all, and one combined document
# ---------------------------------------------------------------------------------------------


class DocxWriter:
    """Writes many letters on one base: the letterhead (if any) is checked and opened once.

    :meth:`render` gives exactly the bytes of :func:`render_docx` with the same arguments.
    :meth:`write_combined` streams one DOCX holding every letter into a file.
    """

    def __init__(
        self, letterhead: bytes | None = None, *, sender_block: bool | None = None
    ) -> None:
        """Check and open ``letterhead`` (or the reference) once for all letters."""
        self._base = _base_for(letterhead)
        self.sender_block = letterhead is None if sender_block is None else sender_block

    def render(self, letter: Letter) -> bytes:
        """``letter`` as DOCX bytes (see :func:`render_docx`)."""
        if not isinstance(letter, Letter):
            raise TypeError("DocxWriter.render() needs a Letter")
        return _render(letter, self._base, self.sender_block)

    def write_combined(self, letters: Iterable[Letter], out: IO[bytes]) -> int:
        """Write ``letters`` as ONE DOCX into ``out`` and return how many were written.

        Each letter is a section of its own with its language's page (margins, layout), starts
        on a new page and numbers its pages from 1 (none on its first page); an annex follows
        its letter as a further section. ``letters`` is consumed lazily and ``word/document.xml``
        is compressed and written letter by letter, so memory does not grow with the number of
        letters. The styles' default language is the first letter's; the runs of letters in
        another language carry their own. Deterministic: the same letters give the same bytes
        (for a seekable ``out``). Raises :class:`LetterValidationError` when there is no letter.
        """
        iterator = iter(letters)
        first = next(iterator, None)
        if first is None:
            raise LetterValidationError(N_("There are no letters to write."), field="letters")
        _need_letter(first)
        base = self._base
        default_lang = get_locale(first.language).word_lang
        numbering = base.demand_numbering
        state = _CombinedState(latest=first.date)
        zs = ZipStream(out)
        for item in base.entries(default_lang):
            if isinstance(item, Entry):
                if numbering is None or item.name != numbering.part_name:
                    zs.add(item)
            elif item == base.document_name:
                body = self._combined_body(first, iterator, default_lang, state)
                zs.add_chunks(item, body)
        if numbering is not None:
            zs.add_chunks(
                numbering.part_name,
                numbering.chunks(base.items[numbering.part_name], state.count),
            )
        core = core_xml_of(
            title=first.subject,
            creator=first.sender.name,
            identifier="",
            word_lang=default_lang,
            day=state.latest,
        )
        zs.add(deflate(base.core_name, core))
        zs.close()
        return state.count

    def _combined_body(
        self, first: Letter, rest: Iterator[Letter], default_lang: str, state: _CombinedState
    ) -> Iterator[bytes]:
        """The combined ``document.xml``: each letter's sections, asked for one by one."""
        base = self._base
        numbering = base.demand_numbering
        yield DOC_START.encode("utf-8")
        letter: Letter | None = first
        while letter is not None:
            loc = get_locale(letter.language)
            writer = BodyWriter(
                letter,
                base,
                loc,
                self.sender_block,
                combined=True,
                run_lang="" if loc.word_lang == default_lang else loc.word_lang,
                demand_num_id=(
                    numbering.first_free_id + state.count if numbering is not None else None
                ),
            )
            for chunk in writer.body():
                yield chunk.encode("utf-8")
            state.count += 1
            state.latest = max(state.latest, letter.date)
            # the next letter is asked for only now, after this one (and its annex) is written
            letter = next(rest, None)
            if letter is not None:
                _need_letter(letter)
            yield writer.close(last=letter is None).encode("utf-8")
        yield DOC_END.encode("utf-8")


@dataclass
class _CombinedState:
    """How many letters a combined document holds so far, and the latest letter date."""

    latest: dt.date
    count: int = 0


def _need_letter(letter: object) -> None:
    """Refuse anything but a :class:`Letter` in a combined document."""
    if not isinstance(letter, Letter):
        raise TypeError(f"a combined document needs Letter objects, not {type(letter).__name__}")
