"""A letter's body as WordprocessingML text: text -> runs, the body writer, core properties.

For each letter only ``word/document.xml`` and ``docProps/core.xml`` are generated; the other
parts come from its base package (:mod:`letterkit.documents.docx_base`). The body is written
as text, not built with python-docx: every user value goes through :class:`Runs`, which escapes
it, so user text is always character data, never structure. The paragraphs refer to the base's
named styles by their ids in that base.

:class:`BodyWriter` writes one letter: its paragraphs up to the signature (closing and
signature in one unsplittable table row), the section properties of its language's page (or of
the letterhead's), and its annex as a second section whose table is yielded a few hundred rows
at a time, so 100,000 signatories cost neither python-docx's per-row overhead nor the memory
of a full XML tree. The same writer serves the combined document of a campaign
(``combined=True``): every section starts on a new page, the page numbers restart per letter,
runs in another language than the document's carry ``w:lang``, the demands use a list of their
own.

Output is deterministic: core-properties dates are taken from the letter date, no random ids.
This module does not import python-docx.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from letterkit.documents.docx_base import BasePackage, section_starts_page
from letterkit.documents.docx_package import R_NS, W_NS, attr_esc, esc
from letterkit.documents.errors import LetterValidationError
from letterkit.documents.locales import LetterLocale, fonts
from letterkit.documents.model import Annex, Letter, cell_text
from letterkit.documents.text import (
    MAX_ANNEX_ROWS,
    MAX_LINE,
    NON_BREAKING_HYPHEN,
    clean_line,
    keep_postcodes,
    strip_illegal,
)
from letterkit.markers import N_
from letterkit.textchars import FORBIDDEN_CLASS

__all__ = ["DOC_END", "DOC_START", "BodyWriter", "Runs", "core_xml", "core_xml_of"]

_ILLEGAL_CHARS = FORBIDDEN_CLASS


@dataclass(frozen=True)
class _Scripts:
    """The patterns that find the text set in a font of its own (``[fonts.scripts]``)."""

    slow: re.Pattern[str]  # needs more than one plain run: markup, tabs, breaks, a script, junk
    pieces: re.Pattern[str]  # splits text into breaks, tabs, hyphens and runs of one script
    cell_slow: re.Pattern[str]  # cell text that clean_line() would change, or a script
    fonts: tuple[tuple[re.Pattern[str], str], ...]  # a script's first letter -> its w:rFonts


@functools.cache
def _scripts() -> _Scripts:
    """Build the patterns from the fonts of ``locales.toml``, once."""
    scripts = fonts().scripts
    chars = "".join(script.char_class for script in scripts)
    runs = "".join(f"|[{script.char_class}]+" for script in scripts)
    return _Scripts(
        slow=re.compile(f"[&<>\t\n\r\u2011{chars}{_ILLEGAL_CHARS}]"),
        pieces=re.compile(f"(\n|\t|\u2011{runs})"),
        cell_slow=re.compile(
            f"[&<>{chars}{_ILLEGAL_CHARS}\t\n\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029"
            "\u202f\u205f\u3000]|  |^ | $"
        ),
        fonts=tuple(
            (
                re.compile(f"[{script.char_class}]"),
                f'<w:rFonts w:ascii="{attr_esc(script.font)}" w:hAnsi="{attr_esc(script.font)}"'
                f' w:cs="{attr_esc(script.font)}"/>',
            )
            for script in scripts
        ),
    )


class Runs:
    """Turns text into ``<w:r>`` elements: escaped, tabs and line breaks as elements, the
    text of a script the body font lacks (Georgian, Armenian: ``[fonts.scripts]`` of
    ``locales.toml``) in runs of its own with that script's font. ``lang`` (a Word language
    tag) marks every run with that language: a letter in a combined document whose language
    is not the document's default one."""

    def __init__(self, lang: str = "") -> None:
        """Prepare the scripts' patterns and fonts and the run language, if any."""
        self.scripts = _scripts()
        # w:lang comes after the other run properties used here (schema order)
        self.lang = f'<w:lang w:val="{attr_esc(lang)}"/>' if lang else ""

    def __call__(self, text: str, props: str = "") -> str:
        """``text`` as runs with the run properties ``props``."""
        if self.lang:
            props += self.lang
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        if not self.scripts.slow.search(text):
            return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'
        text = strip_illegal(text)
        out = []
        for piece in self.scripts.pieces.split(text):
            if not piece:
                continue
            if piece == "\n":
                out.append(f"<w:r>{rpr}<w:br/></w:r>")
            elif piece == "\t":
                out.append(f"<w:r>{rpr}<w:tab/></w:r>")
            elif piece == NON_BREAKING_HYPHEN:  # Word's own, printed with the font's hyphen
                out.append(f"<w:r>{rpr}<w:noBreakHyphen/></w:r>")
            else:
                out.append(self._run(piece, props, rpr))
        return "".join(out)

    def _run(self, piece: str, props: str, rpr: str) -> str:
        """One run of text: in its script's font when it is a script's."""
        for letter, script_fonts in self.scripts.fonts:
            if letter.match(piece):
                return (
                    f"<w:r><w:rPr>{script_fonts}{props}</w:rPr>"
                    f'<w:t xml:space="preserve">{piece}</w:t></w:r>'
                )
        return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(piece)}</w:t></w:r>'


DOC_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
)
DOC_END = "</w:body></w:document>"
_ROWS_PER_CHUNK = 500
_BOLD = "<w:b/><w:bCs/>"
_KEEP_NEXT = "<w:keepNext/>"  # the demands' intro stays with the first demand
# the paragraph before the closing goes with it (at least two of its lines: widow control), so
# the closing and the signature never stand alone on a page
_KEEP_WITH_CLOSING = "<w:keepNext/><w:widowControl/>"
# the longest last line of title / organisation that leaves room for the signature line after
# it (12 pt Times New Roman, 45 % of the text width)
_SIGNATURE_SAME_LINE = 32
_BOX_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


class BodyWriter:
    """Writes one letter's body. For a combined document (``combined=True``): every section
    starts on a new page, the letter's page numbers restart, its runs carry ``run_lang`` and
    its demands use list ``demand_num_id`` (restarted at 1)."""

    def __init__(
        self,
        letter: Letter,
        base: BasePackage,
        loc: LetterLocale,
        sender_block: bool,
        *,
        combined: bool = False,
        run_lang: str = "",
        demand_num_id: int | None = None,
        stamp_copy: bool = False,
    ) -> None:
        """Prepare to write ``letter`` on ``base`` in the layout of ``loc``; with
        ``stamp_copy``, the letter is followed by its copy for the registration stamp."""
        self.letter = letter
        self.base = base
        self.loc = loc
        self.sender_block = sender_block
        self.combined = combined
        self.stamp_copy = stamp_copy
        self.ids = base.style_ids
        self.runs = Runs(run_lang)
        self.demand_num_pr = self._num_pr(demand_num_id)
        # the stamp copy's demands: a list of their own, numbered from 1 again (see
        # docx_writer, which adds it to the numbering part; single letters only)
        numbering = base.demand_numbering
        self.copy_num_pr = (
            self._num_pr(numbering.first_free_id) if stamp_copy and numbering is not None else ""
        )
        self.business = loc.layout == "business"
        if base.text_width is not None:
            self.text_width = base.text_width
        else:
            self.text_width = loc.page.text_width_twips

    def _num_pr(self, num_id: int | None) -> str:
        """Numbering properties for the demands in list ``num_id`` (none: the style's own)."""
        numbering = self.base.demand_numbering
        if num_id is None or numbering is None:
            return ""
        return f'<w:numPr><w:ilvl w:val="{numbering.ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'

    # -- paragraphs ---------------------------------------------------------------------

    def p(self, style: str, text: str, *, props: str = "", ppr: str = "") -> str:
        """One paragraph of ``style``; ``ppr`` is extra paragraph properties in schema order
        (they follow pStyle), ``props`` run properties."""
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/>{ppr}</w:pPr>'
            f"{self.runs(text, props) if text else ''}</w:p>"
        )

    def head(self) -> list[str]:
        """The letter's paragraphs, up to the signature (and enclosure line)."""
        letter, loc = self.letter, self.loc
        out: list[str] = []
        add = out.append
        if letter.is_draft:
            add(self._draft_mark())
        if self.sender_block:
            add(self._letterhead())
        requisites = loc.requisite_lines(
            reference=letter.reference, day=letter.date, place=letter.place
        )
        addressee = self._addressee()
        if self.business:
            for line in requisites:
                add(self.p("Requisites", line))
            add(self.p("Requisites", ""))
            add(addressee)
            if letter.salutation:
                add(self.p("Salutation", letter.salutation, ppr='<w:jc w:val="left"/>'))
            add(self.p("Subject", loc.subject_format.format(subject=letter.subject)))
        else:
            add(self.p("Requisites", "\n".join(requisites)))
            add(self.p("Requisites", ""))
            add(addressee)
            add(self.p("Subject", loc.subject_format.format(subject=letter.subject)))
            if letter.salutation:
                add(self.p("Salutation", letter.salutation))
        out.extend(self._text())
        return out

    def _text(self) -> list[str]:
        """The body, the demands, the enclosure line and the closing with the signature; the
        paragraph before the closing is kept with it."""
        letter, loc = self.letter, self.loc
        # (style, text, paragraph properties after a keep-with-next, before the rest)
        paragraphs: list[tuple[str, str, str]] = []
        body_ppr = '<w:spacing w:after="160"/><w:ind w:firstLine="0"/><w:jc w:val="left"/>'
        body_ppr = body_ppr if self.business else ""
        for text in letter.paragraphs:
            paragraphs.append(("Body", text, body_ppr))
        if letter.demands:
            if letter.demands_intro:
                paragraphs.append(("Body", letter.demands_intro, _KEEP_NEXT + body_ppr))
            demand_ppr = '<w:spacing w:after="80"/><w:jc w:val="left"/>' if self.business else ""
            demand_ppr = self.demand_num_pr + demand_ppr  # numPr precedes spacing and jc
            for text in letter.demands:
                paragraphs.append(("Demand", text, demand_ppr))
        for text in letter.paragraphs_after:
            paragraphs.append(("Body", text, body_ppr))
        annex_note = ""
        if letter.annex is not None:
            line = loc.annex_line(letter.annex.title, letter.annex.row_count)
            if self.business:
                annex_note = self.p("Annex Note", line)
            else:
                paragraphs.append(("Annex Note", line, ""))
        out = []
        for i, (style, text, ppr) in enumerate(paragraphs):
            if i == len(paragraphs) - 1:
                ppr = _KEEP_WITH_CLOSING + ppr.removeprefix(_KEEP_NEXT)
            out.append(self.p(style, text, ppr=ppr))
        block = [self.p("Closing", letter.closing), self._signature()]
        if annex_note:
            block.append(annex_note)
        out.append(self._unsplittable(block))
        return out

    def _draft_mark(self) -> str:
        """A draft's mark above the letter: bold, centred, boxed, in the letter's language."""
        ppr = (
            '<w:pBdr><w:top w:val="single" w:sz="12" w:space="2" w:color="000000"/>'
            '<w:left w:val="single" w:sz="12" w:space="4" w:color="000000"/>'
            '<w:bottom w:val="single" w:sz="12" w:space="2" w:color="000000"/>'
            '<w:right w:val="single" w:sz="12" w:space="4" w:color="000000"/></w:pBdr>'
            '<w:spacing w:after="240"/><w:ind w:left="0" w:firstLine="0"/><w:jc w:val="center"/>'
        )
        props = _BOLD + '<w:caps/><w:spacing w:val="20"/><w:sz w:val="28"/><w:szCs w:val="28"/>'
        return self.p("Requisites", self.loc.draft_mark, props=props, ppr=ppr)

    def _unsplittable(self, paragraphs: list[str]) -> str:
        """Closing and signature in a borderless one-cell table whose row cannot break
        across pages: "keep with next" alone is not honoured by LibreOffice before a table
        or a section break, and a closing must never be parted from its signature."""
        w = self.text_width
        return (
            f'<w:tbl><w:tblPr><w:tblW w:w="{w}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
            '</w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" '
            'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{w}"/></w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>'
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{"".join(paragraphs)}'
            "</w:tc></w:tr></w:tbl>"
        )

    def _letterhead(self) -> str:
        """The sender block: name in bold, address and contacts, a rule below."""
        sender = self.letter.sender
        lines = [*map(keep_postcodes, sender.address_lines), *sender.contacts]
        align = (
            ""
            if self.loc.letterhead_align == "center"
            else f'<w:jc w:val="{self.loc.letterhead_align}"/>'
        )
        border = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="4" w:color="000000"/></w:pBdr>'
        out = []
        for i, text in enumerate([sender.name, *lines]):
            last = i == len(lines)
            ppr = (border if last else "") + ('<w:spacing w:after="240"/>' if last else "") + align
            props = _BOLD + '<w:sz w:val="26"/><w:szCs w:val="26"/>' if i == 0 else ""
            out.append(self.p("Letterhead", text, props=props, ppr=ppr))
        return "".join(out)

    def _addressee(self) -> str:
        """The addressee block, indented to the right in the GOST layout."""
        a = self.letter.addressee
        lines = [a.line]
        if a.name:
            lines.append(a.name)
        lines.extend(map(keep_postcodes, a.address_lines))
        indent = self.loc.page.twips(self.loc.addressee_indent_mm)
        # on a narrower page (a letterhead's), keep the addressee column at least 80 mm wide
        indent = max(0, min(indent, self.text_width - self.loc.page.twips(80)))
        ppr = f'<w:spacing w:after="240"/><w:ind w:left="{indent}"/>'
        return self.p("Addressee", "\n".join(lines), ppr=ppr)

    def _signature(self) -> str:
        """The signature block with a line to sign on by hand: title, line and name on one
        line (GOST), or the line above the name, title and organisation in a business letter.
        The line is a tab's underscore leader, so it stays a line whatever the font."""
        s = self.letter.signature
        w = self.text_width
        if self.business:
            lines = ["\t", s.name, s.title, s.organisation]
            ppr = f'<w:tabs><w:tab w:val="left" w:leader="underscore" w:pos="{w * 4 // 10}"/></w:tabs>'
            return self.p("Signature", "\n".join(x for x in lines if x), ppr=ppr)
        left = "\n".join(x for x in (s.title, s.organisation) if x)
        # title | gap | the line | gap | name, right-aligned
        ppr = (
            f'<w:tabs><w:tab w:val="left" w:pos="{w * 45 // 100}"/>'
            f'<w:tab w:val="left" w:leader="underscore" w:pos="{w * 68 // 100}"/>'
            f'<w:tab w:val="right" w:pos="{w}"/></w:tabs>'
        )
        if len(left.rsplit("\n", 1)[-1]) > _SIGNATURE_SAME_LINE:  # would pass the first tab
            left += "\n"
        return self.p("Signature", f"{left}\t\t\t{s.name}", ppr=ppr)

    # -- the annex ------------------------------------------------------------------------

    def annex_head(self, annex: Annex) -> str:
        """The annex caption, title and the table's start up to its repeated header row."""
        letter, loc = self.letter, self.loc
        caption = loc.annex_caption.format(
            date=loc.numeric_date(letter.date), reference=loc.reference_text(letter.reference)
        )
        columns = list(annex.columns)
        if annex.numbered:
            columns.insert(0, loc.row_number)
        widths = self._widths(len(annex.columns), annex.numbered)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        cell = self._cell_start()
        header = "".join(f"{cell}{self.runs(c, _BOLD)}</w:p></w:tc>" for c in columns)
        return (
            self.p("Annex Caption", caption)
            + self.p("Annex Title", annex.title)
            + f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.ids["Annex Table"]}"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>"
            f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header}</w:tr>"
        )

    def _cell_start(self) -> str:
        """The opening of an annex cell and its paragraph."""
        return f'<w:tc><w:p><w:pPr><w:pStyle w:val="{self.ids["Annex Cell"]}"/></w:pPr>'

    def _widths(self, count: int, numbered: bool) -> list[int]:
        """Column widths in twips: the first column double, a narrow number column."""
        total = self.text_width
        number = 850 if numbered else 0
        weights = [2] + [1] * (count - 1)
        rest = total - number
        widths = [rest * w // sum(weights) for w in weights]
        widths[0] += rest - sum(widths)
        return ([number] if numbered else []) + widths

    def annex_rows(self, annex: Annex) -> Iterator[str]:
        """The annex rows as XML text, a few hundred rows per chunk."""
        width = len(annex.columns)
        cell = self._cell_start()
        end = "</w:p></w:tc>"
        numbered = annex.numbered
        runs = self.runs
        cell_slow = runs.scripts.cell_slow
        pad = f"{cell}{end}"
        chunk: list[str] = []
        index = 0
        for index, row in enumerate(annex.rows, start=1):  # noqa: B007 - index used after loop
            if index > MAX_ANNEX_ROWS:
                raise LetterValidationError(
                    N_("{field} has too many rows: {count}, at most {limit} are allowed."),
                    field="annex.rows",
                    count=index,
                    limit=MAX_ANNEX_ROWS,
                )
            if isinstance(row, str):
                row = (row,)
            cells = row if isinstance(row, list | tuple) else tuple(row)
            if len(cells) > width:
                raise LetterValidationError(
                    N_("Row {row} of the annex has {count} cells; the table has {limit} columns."),
                    field="annex.rows",
                    row=index,
                    count=len(cells),
                    limit=width,
                )
            chunk.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            if numbered:
                chunk.append(f"{cell}<w:r><w:t>{index}</w:t></w:r>{end}")
            for value in cells:
                text = value if type(value) is str else cell_text(value)
                if cell_slow.search(text):
                    text = clean_line(text, field=f"annex.rows[{index}]")
                elif len(text) > MAX_LINE:
                    clean_line(text, field=f"annex.rows[{index}]")  # raises: too long
                chunk.append(f"{cell}{runs(text)}{end}" if text else pad)
            if len(cells) < width:
                chunk.append(pad * (width - len(cells)))
            chunk.append("</w:tr>")
            if index % _ROWS_PER_CHUNK == 0:
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)

    def sect_pr(self, *, annex: bool = False, copy: bool = False) -> str:
        """Section properties: the letter's (page numbers from page 2) or, for the annex
        section, the same page without the different first page. In a combined document every
        section says it starts on a new page and a letter's section restarts its page numbers
        (the annex section continues them). The stamp copy's section (``copy``) is like a letter's
        in a combined document."""
        combined = self.combined or copy
        if self.base.sect_pr is not None:
            xml = self.base.annex_sect_pr if annex else self.base.sect_pr
            assert xml is not None
            return section_starts_page(xml, restart=not annex) if combined else xml
        page = self.loc.page
        tw = page.twips
        return (
            f"<w:sectPr>{self.base.header_refs}"
            + ('<w:type w:val="nextPage"/>' if annex or combined else "")
            + f'<w:pgSz w:w="{tw(page.width_mm)}" w:h="{tw(page.height_mm)}"/>'
            f'<w:pgMar w:top="{tw(page.margin_top_mm)}" w:right="{tw(page.margin_right_mm)}" '
            f'w:bottom="{tw(page.margin_bottom_mm)}" w:left="{tw(page.margin_left_mm)}" '
            f'w:header="{tw(page.header_mm)}" w:footer="{tw(page.footer_mm)}" w:gutter="0"/>'
            + ('<w:pgNumType w:start="1"/>' if combined and not annex else "")
            + '<w:cols w:space="708"/>'
            + ("" if annex else "<w:titlePg/>")
            + "</w:sectPr>"
        )

    @staticmethod
    def _tail(sect_pr: str = "") -> str:
        """A paragraph after the signature table, nearly invisible; it holds the letter's
        section properties when a section follows (an annex, the next letter)."""
        return (
            '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            f'<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>{sect_pr}</w:pPr></w:p>'
        )

    def body(self) -> Iterator[str]:
        """The letter's body elements, but for its last paragraph (see :meth:`close`). With an
        annex, the letter ends its own section and the annex is a second section: it starts on
        a new page and numbers all its pages. The stamp copy follows as a section of its own:
        the letter again (without the annex) and the box for the registration stamp."""
        annex = self.letter.annex
        if annex is None and not self.stamp_copy:
            yield "".join(self.head())
            return
        yield "".join(self.head()) + self._tail(self.sect_pr())
        if annex is not None:
            yield self.annex_head(annex)
            yield from self.annex_rows(annex)
            yield "</w:tbl>"
            if self.stamp_copy:
                yield self.p("Annex Cell", "", ppr=self.sect_pr(annex=True))
        if self.stamp_copy:
            yield self._stamp_copy()

    def _stamp_copy(self) -> str:
        """The copy for the registration stamp: marked as such, the letter, then the box."""
        loc = self.loc
        mark = self.p("Annex Caption", loc.stamp_copy_mark, props=_BOLD)
        w = self.text_width
        label_w = w * 45 // 100
        rows = []
        fields = loc.stamp_box_fields
        for i, label in enumerate(fields):
            keep = _KEEP_NEXT if i < len(fields) - 1 else ""  # the rows stay together
            rows.append(
                '<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="680" w:hRule="atLeast"/></w:trPr>'
                f'<w:tc><w:tcPr><w:tcW w:w="{label_w}" w:type="dxa"/></w:tcPr>'
                f"{self.p('Annex Cell', label, ppr=keep)}</w:tc>"
                f'<w:tc><w:tcPr><w:tcW w:w="{w - label_w}" w:type="dxa"/></w:tcPr>'
                f"{self.p('Annex Cell', '', ppr=keep)}</w:tc></w:tr>"
            )
        title = self.p(
            "Annex Note",
            loc.stamp_box_title,
            props=_BOLD,
            ppr=_KEEP_NEXT + '<w:spacing w:before="360" w:after="120"/>',
        )
        box = (
            f'<w:tbl><w:tblPr><w:tblW w:w="{w}" w:type="dxa"/>'
            f"<w:tblBorders>{_BOX_BORDERS}</w:tblBorders>"
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="85" w:type="dxa"/>'
            '<w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{label_w}"/><w:gridCol w:w="{w - label_w}"/></w:tblGrid>'
            f"{''.join(rows)}</w:tbl>"
        )
        letter_num_pr, self.demand_num_pr = self.demand_num_pr, self.copy_num_pr
        try:
            copy = "".join(self.head())
        finally:
            self.demand_num_pr = letter_num_pr
        return mark + copy + title + box

    def close(self, *, last: bool) -> str:
        """The letter's last paragraph and its last section's properties: in that paragraph
        when another letter follows, else after it as the body's own (final) sectPr."""
        if self.stamp_copy:
            sect_pr = self.sect_pr(copy=True)
            return self._tail() + sect_pr if last else self._tail(sect_pr)
        annex = self.letter.annex is not None
        sect_pr = self.sect_pr(annex=annex)
        if not annex:
            return self._tail() + sect_pr if last else self._tail(sect_pr)
        # Word needs a paragraph between a table and the section properties
        if last:
            return self.p("Annex Cell", "") + sect_pr
        return self.p("Annex Cell", "", ppr=sect_pr)

    def chunks(self) -> Iterator[bytes]:
        """document.xml of a single letter, in pieces."""
        yield DOC_START.encode("utf-8")
        for chunk in self.body():
            yield chunk.encode("utf-8")
        yield (self.close(last=True) + DOC_END).encode("utf-8")


def core_xml(letter: Letter, loc: LetterLocale) -> bytes:
    """``docProps/core.xml`` of ``letter``."""
    return core_xml_of(
        title=letter.subject,
        creator=letter.sender.name,
        identifier=letter.reference or "",
        word_lang=loc.word_lang,
        day=letter.date,
    )


def core_xml_of(
    *, title: str, creator: str, identifier: str, word_lang: str, day: dt.date
) -> bytes:
    """``docProps/core.xml`` with these values, created and modified on ``day``."""
    stamp = f"{day.isoformat()}T00:00:00Z"
    title = esc(strip_illegal(title))
    creator = esc(strip_illegal(creator))
    ident = esc(strip_illegal(identifier))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>"
        f"<dc:identifier>{ident}</dc:identifier><dc:language>{word_lang}</dc:language>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()
