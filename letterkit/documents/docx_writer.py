"""DOCX writer: the one module of letterkit that imports python-docx.

How it works:

* ``reference.docx`` (built by :func:`build_reference`, see ``make_reference.py``) holds the named
  styles (Letterhead, Addressee, Requisites, Subject, Salutation, Body, Demand, Annex Note,
  Closing, Signature, Annex Caption, Annex Title, Annex Cell, Annex Table), the numbering of the
  demands and the page-number header (PAGE field from page 2: different first page).
* A base package — the reference, or a group's letterhead opened with python-docx, its body
  cleared, its headers/footers kept and the missing named styles added — is loaded ONCE and
  cached as compressed parts (see :mod:`letterkit.documents.zipper`).
* For each letter only ``word/document.xml`` and ``docProps/core.xml`` are generated. The body is
  WordprocessingML written as text by this module: every user value goes through
  :func:`_runs`, which escapes it, so user text is always character data, never structure.
  The annex table is streamed row by row into the compressor, so 100,000 signatories cost
  neither python-docx's per-row overhead nor the memory of a full XML tree.
* Output is deterministic: fixed ZIP timestamps, parts in a fixed order, core-properties dates
  taken from the letter date, no random ids.
* Many letters (campaigns, see :mod:`letterkit.documents.bulk`): :class:`DocxWriter` opens the
  base once for all of them, and writes a combined document: the letters one after another in
  one ``document.xml`` streamed into the ZIP, each letter a section of its own (its language's
  page, starting on a new page, page numbers restarting), its demands in a list of their own
  restarted at 1 (one ``w:num`` per letter added to the numbering part).

Fonts: the reference sets "Noto Serif" (Latin, Cyrillic) for ascii/hAnsi/cs, with an eastAsia
hint; Georgian text is written in its own runs in "Noto Serif Georgian" (``locales.toml``).
On Debian both come with ``fonts-noto-core``.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Mm, Pt
from lxml import etree

from letterkit.documents.errors import LetterValidationError
from letterkit.documents.locales import LetterLocale, fonts, get_locale
from letterkit.documents.model import Annex, Letter, cell_text
from letterkit.documents.text import MAX_ANNEX_ROWS, MAX_LINE, clean_line, strip_illegal
from letterkit.documents.zipper import Entry, ZipStream, build_zip, deflate, deflate_chunks
from letterkit.markers import N_
from letterkit.textchars import FORBIDDEN_CLASS

__all__ = [
    "NAMED_STYLES",
    "REFERENCE_PATH",
    "DocxWriter",
    "build_reference",
    "open_letterhead_base",
    "render_docx",
]

REFERENCE_PATH = Path(__file__).with_name("reference.docx")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

#: the named styles every base document provides: name -> style type
NAMED_STYLES: dict[str, str] = {
    "Letterhead": "paragraph",
    "Addressee": "paragraph",
    "Requisites": "paragraph",
    "Subject": "paragraph",
    "Salutation": "paragraph",
    "Body": "paragraph",
    "Demand": "paragraph",
    "Annex Note": "paragraph",
    "Closing": "paragraph",
    "Signature": "paragraph",
    "Annex Caption": "paragraph",
    "Annex Title": "paragraph",
    "Annex Cell": "paragraph",
    "Annex Table": "table",
}

_DEMAND_NUM_ID = 10
_RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_RT_ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)
_COMMENT_AND_CONTENT_RELS = {
    RT.COMMENTS,
    RT.IMAGE,
    RT.HYPERLINK,
    RT.OLE_OBJECT,
    RT.PACKAGE,
    RT.CHART,
    RT.DIAGRAM_COLORS,
    RT.DIAGRAM_DATA,
    RT.DIAGRAM_LAYOUT,
    RT.DIAGRAM_QUICK_STYLE,
    "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
    "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
    "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
    "http://schemas.microsoft.com/office/2011/relationships/people",
}


# ---------------------------------------------------------------------------------------------
# The reference document
# ---------------------------------------------------------------------------------------------


def build_reference() -> bytes:
    """Build ``reference.docx`` with python-docx: the named styles, numbering, page header.

    Run ``python -m letterkit.documents.make_reference`` to regenerate the committed file.
    The result is deterministic.
    """
    document = docx.Document()
    package = document.part.package
    body_font = fonts()

    # What a letter does not need: customXml, stylesWithEffects, the thumbnail.
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, _RT_STYLES_WITH_EFFECTS):
            document.part.drop_rel(rid)
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]

    # Styles: keep the defaults Word needs, drop the other 160 and the latent styles.
    styles_el = document.styles.element
    keep = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
    for style_el in styles_el.findall(qn("w:style")):
        if style_el.get(qn("w:styleId")) not in keep:
            styles_el.remove(style_el)
        else:
            for junk in style_el.findall(qn("w:rsid")):
                style_el.remove(junk)
    latent = styles_el.find(qn("w:latentStyles"))
    if latent is not None:
        styles_el.remove(latent)
    defaults = styles_el.find(qn("w:docDefaults"))
    styles_el.replace(
        defaults,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>"
            f'<w:rFonts w:ascii="{body_font.body}" w:hAnsi="{body_font.body}" '
            f'w:eastAsia="{body_font.east_asia}" w:cs="{body_font.body}"/>'
            '<w:sz w:val="24"/><w:szCs w:val="24"/>'
            '<w:lang w:val="ru-RU" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )

    styles = document.styles
    normal = styles["Normal"]

    def para(
        name: str,
        *,
        size: float | None = None,
        bold: bool = False,
        align: WD_ALIGN_PARAGRAPH | None = None,
        before: float = 0,
        after: float = 0,
        line: float | None = None,
        first_line_mm: float | None = None,
        keep_next: bool = False,
        keep_lines: bool = False,
        page_break: bool = False,
    ) -> docx.styles.style.ParagraphStyle:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.next_paragraph_style = style
        if size is not None:
            style.font.size = Pt(size)
        if bold:
            style.font.bold = True
        fmt = style.paragraph_format
        if align is not None:
            fmt.alignment = align
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        if line is not None:
            fmt.line_spacing = line
        if first_line_mm is not None:
            fmt.first_line_indent = Mm(first_line_mm)
        if keep_next:
            fmt.keep_with_next = True
        if keep_lines:
            fmt.keep_together = True
        if page_break:
            fmt.page_break_before = True
        return style

    para("Letterhead", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    para("Addressee", size=12, keep_lines=True, keep_next=True)
    para("Requisites", size=11, keep_next=True)
    para("Subject", bold=True, before=12, after=12, keep_next=True)
    para("Salutation", align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=12, keep_next=True)
    para("Body", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=3, first_line_mm=12.5)
    demand = para("Demand", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=3)
    num_pr = demand.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = _DEMAND_NUM_ID
    para("Annex Note", size=11, before=12)
    para("Closing", before=12, keep_next=True)
    para("Signature", before=24, keep_lines=True)
    para("Annex Caption", size=10, align=WD_ALIGN_PARAGRAPH.RIGHT, keep_next=True)
    para(
        "Annex Title",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=12,
        after=12,
        keep_next=True,
    )
    para("Annex Cell", size=10)
    header_style = para("Header", size=10, align=WD_ALIGN_PARAGRAPH.CENTER)
    header_style.quick_style = False

    table_style = styles.add_style("Annex Table", WD_STYLE_TYPE.TABLE)
    table_style.base_style = styles["Normal Table"]
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    table_style.element.append(
        parse_xml(
            f"<w:tblPr {nsdecls('w')}><w:tblBorders>{borders}</w:tblBorders><w:tblCellMar>"
            '<w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr>"
        )
    )

    # Numbering: one decimal list for the demands ("1.", "2.", …) with a hanging indent.
    numbering_el = document.part.numbering_part.element
    for child in list(numbering_el):
        numbering_el.remove(child)
    numbering_el.append(_demand_abstract_num(_DEMAND_NUM_ID))
    numbering_el.append(_demand_num(_DEMAND_NUM_ID, _DEMAND_NUM_ID))

    # Settings: no revision ids, no random document id.
    settings_el = document.settings.element
    for tag in ("w:rsids", "w:proofState", "w:attachedTemplate", "w:zoom"):
        for junk in settings_el.findall(qn(tag)):
            settings_el.remove(junk)
    for junk in settings_el.findall("{http://schemas.microsoft.com/office/word/2010/wordml}docId"):
        settings_el.remove(junk)
    tab = settings_el.find(qn("w:defaultTabStop"))
    if tab is not None:
        tab.set(qn("w:val"), "709")

    # Font table: the fonts we use.
    font_part = document.part.part_related_by(RT.FONT_TABLE)
    font_part._blob = (  # a plain Part: its blob is its bytes
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:fonts xmlns:w="{W_NS}">'
        + "".join(
            f'<w:font w:name="{name}"><w:charset w:val="00"/><w:family w:val="{family}"/>'
            '<w:pitch w:val="variable"/></w:font>'
            for name, family in (
                (body_font.body, "roman"),
                (body_font.georgian, "roman"),
                ("Noto Sans", "swiss"),
            )
        )
        + "</w:fonts>"
    ).encode()

    # Extended properties: say who made it, nothing else.
    app_part = package.part_related_by(RT.EXTENDED_PROPERTIES)
    app_part._blob = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties"><Application>letterkit</Application><DocSecurity>0</DocSecurity>'
        b"</Properties>"
    )

    # Page: A4, GOST margins (the writer sets each letter's own), numbers from page 2.
    section = document.sections[0]
    page = get_locale("ru").page
    section.page_width = Mm(page.width_mm)
    section.page_height = Mm(page.height_mm)
    section.top_margin = Mm(page.margin_top_mm)
    section.bottom_margin = Mm(page.margin_bottom_mm)
    section.left_margin = Mm(page.margin_left_mm)
    section.right_margin = Mm(page.margin_right_mm)
    section.header_distance = Mm(page.header_mm)
    section.footer_distance = Mm(page.footer_mm)
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.style = header_style
    for run_xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>2</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{run_xml}</w:r>"))
    section.first_page_header.is_linked_to_previous = False

    core = document.core_properties
    core.title = "letterkit reference"
    core.author = "letterkit"
    core.last_modified_by = ""
    core.revision = 1
    core.created = dt.datetime(2000, 1, 1)
    core.modified = dt.datetime(2000, 1, 1)

    items = _package_items(document)
    entries = [deflate(name, blob) for name, blob in _ordered(items)]
    return build_zip(entries)


def _demand_abstract_num(abstract_id: int) -> etree._Element:
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="709" w:hanging="425"/></w:pPr></w:lvl></w:abstractNum>'
    )


def _demand_num(num_id: int, abstract_id: int) -> etree._Element:
    return parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
    )


# ---------------------------------------------------------------------------------------------
# Packages: python-docx Document -> ordered, compressed parts
# ---------------------------------------------------------------------------------------------


def _package_items(document: docx.document.Document) -> dict[str, bytes]:
    """Every part of ``document``'s package as name -> bytes, with rels and content types."""
    package = document.part.package
    items: dict[str, bytes] = {"_rels/.rels": _as_bytes(package.rels.xml)}
    overrides: list[tuple[str, str]] = []
    for part in package.iter_parts():
        name = str(part.partname).lstrip("/")
        items[name] = part.blob
        overrides.append((str(part.partname), part.content_type))
        if part.rels:
            items[str(part.partname.rels_uri).lstrip("/")] = _as_bytes(part.rels.xml)
    types = [
        f'<Types xmlns="{CT_TYPES_NS}">',
        f'<Default Extension="rels" ContentType="{CT_RELS}"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
    ]
    for partname, content_type in sorted(overrides):
        types.append(
            f'<Override PartName="{_xml_attr(partname)}" ContentType="{_xml_attr(content_type)}"/>'
        )
    types.append("</Types>")
    items["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + "".join(types)
    ).encode()
    return items


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def _ordered(items: dict[str, bytes]) -> list[tuple[str, bytes]]:
    first = ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
    head = [(name, items[name]) for name in first if name in items]
    rest = sorted((n, b) for n, b in items.items() if n not in first)
    return head + rest


@dataclass
class _Base:
    """A base package (reference or letterhead), parsed once; parts compressed per language."""

    items: dict[str, bytes]
    document_name: str
    core_name: str
    styles_name: str
    style_ids: dict[str, str]
    sect_pr: str | None  # a letterhead's own sectPr (its headers, footers, page)
    annex_sect_pr: str | None  # the same for the annex section: no different first page
    header_refs: str  # the reference's headerReference elements
    text_width: int | None  # twips between the margins of a letterhead
    is_letterhead: bool
    #: how the Demand style is numbered, for restarting the numbers per letter in a combined
    #: document; None when the style has no numbering
    demand_numbering: _DemandNumbering | None = None
    _variants: dict[str, list[Entry | str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def entries(self, word_lang: str) -> list[Entry | str]:
        """The package's parts as compressed entries; the names of the per-letter parts
        (document, core properties) stand as plain strings where they go."""
        with self._lock:
            cached = self._variants.get(word_lang)
            if cached is not None:
                return cached
            out: list[Entry | str] = []
            for name, blob in _ordered(self.items):
                if name in (self.document_name, self.core_name):
                    out.append(name)
                elif name == self.styles_name:
                    out.append(deflate(name, _with_language(blob, word_lang)))
                else:
                    out.append(deflate(name, blob))
            self._variants[word_lang] = out
            return out


@dataclass(frozen=True)
class _DemandNumbering:
    """Where the Demand style's list lives: the numbering part, its abstract list and level,
    the first free list id and where new ``w:num`` elements go in the part's bytes."""

    part_name: str
    abstract_id: str
    ilvl: str
    first_free_id: int
    insert_at: int
    prefix: str  # the part's prefix for the WordprocessingML namespace ("w" as Word writes it)

    def chunks(self, data: bytes, count: int) -> Iterator[bytes]:
        """The numbering part with ``count`` more lists (ids ``first_free_id`` …), each the
        demand list restarted at 1."""
        w = f"{self.prefix}:" if self.prefix else ""
        yield data[: self.insert_at]
        piece: list[str] = []
        for num_id in range(self.first_free_id, self.first_free_id + count):
            piece.append(
                f'<{w}num {w}numId="{num_id}"><{w}abstractNumId {w}val="{self.abstract_id}"/>'
                f'<{w}lvlOverride {w}ilvl="{self.ilvl}"><{w}startOverride {w}val="1"/>'
                f"</{w}lvlOverride></{w}num>"
            )
            if len(piece) == 500:
                yield "".join(piece).encode("utf-8")
                piece = []
        if piece:
            yield "".join(piece).encode("utf-8")
        yield data[self.insert_at :]


def _demand_numbering(
    items: dict[str, bytes], styles_name: str, numbering_name: str | None, demand_style_id: str
) -> _DemandNumbering | None:
    """Find the list the Demand style uses (see :class:`_DemandNumbering`)."""
    if numbering_name is None or numbering_name not in items:
        return None
    styles = etree.fromstring(items[styles_name], _SAFE_PARSER)
    style = styles.find(f'{{{W_NS}}}style[@{{{W_NS}}}styleId="{demand_style_id}"]')
    num_pr = style.find(f"{{{W_NS}}}pPr/{{{W_NS}}}numPr") if style is not None else None
    if num_pr is None:
        return None
    num_id_el = num_pr.find(f"{{{W_NS}}}numId")
    ilvl_el = num_pr.find(f"{{{W_NS}}}ilvl")
    num_id = num_id_el.get(f"{{{W_NS}}}val") if num_id_el is not None else None
    ilvl = (ilvl_el.get(f"{{{W_NS}}}val") if ilvl_el is not None else None) or "0"
    data = items[numbering_name]
    root = etree.fromstring(data, _SAFE_PARSER)
    abstract_id = None
    ids = [0]
    for num in root.findall(f"{{{W_NS}}}num"):
        value = num.get(f"{{{W_NS}}}numId") or ""
        if value.isdigit():
            ids.append(int(value))
        if value == num_id:
            ref = num.find(f"{{{W_NS}}}abstractNumId")
            abstract_id = ref.get(f"{{{W_NS}}}val") if ref is not None else None
    if abstract_id is None or not ilvl.isdigit():
        return None
    prefix = root.prefix or ""
    w = f"{prefix}:" if prefix else ""
    insert_at = data.find(f"<{w}numIdMacAtCleanup".encode())
    if insert_at < 0:
        insert_at = data.rfind(b"</")
    if insert_at < 0:  # a self-closing root cannot hold a w:num that the style refers to
        return None
    return _DemandNumbering(
        part_name=numbering_name,
        abstract_id=_attr_esc(abstract_id),
        ilvl=ilvl,
        first_free_id=max(ids) + 1,
        insert_at=insert_at,
        prefix=prefix,
    )


def _with_language(styles_xml: bytes, word_lang: str) -> bytes:
    root = etree.fromstring(styles_xml, _SAFE_PARSER)
    r_pr = root.find(f"{{{W_NS}}}docDefaults/{{{W_NS}}}rPrDefault/{{{W_NS}}}rPr")
    if r_pr is None:
        return styles_xml
    lang = r_pr.find(f"{{{W_NS}}}lang")
    if lang is None:
        lang = etree.SubElement(r_pr, f"{{{W_NS}}}lang")
    lang.set(f"{{{W_NS}}}val", word_lang)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
)


def _open_base(data: bytes, *, is_letterhead: bool) -> _Base:
    document = docx.Document(io.BytesIO(data))
    doc_part = document.part
    package = doc_part.package
    document.core_properties  # noqa: B018 - creates the core-properties part when missing
    core_part = package.part_related_by(RT.CORE_PROPERTIES)
    styles_part = doc_part.part_related_by(RT.STYLES)

    body = document.element.body
    sect_pr_el = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect_pr_el:
            body.remove(child)
    if is_letterhead:
        for rid, rel in list(doc_part.rels.items()):
            if rel.reltype in _COMMENT_AND_CONTENT_RELS and doc_part._rel_ref_count(rid) == 0:
                doc_part.drop_rel(rid)
        _drop_attached_template(document)
        _add_missing_styles(document)

    style_ids = _named_style_ids(document.styles.element)
    missing = [name for name in NAMED_STYLES if name not in style_ids]
    if missing:  # only possible for a broken reference
        raise LetterValidationError(
            N_("{field} lacks the styles {names}."), field="reference", names=", ".join(missing)
        )

    header_refs = ""
    sect_pr = annex_sect_pr = None
    text_width = None
    if sect_pr_el is not None:
        refs = sect_pr_el.findall(qn("w:headerReference")) + sect_pr_el.findall(
            qn("w:footerReference")
        )
        header_refs = "".join(
            f'<w:{etree.QName(ref).localname} w:type="{ref.get(qn("w:type"))}" '
            f'r:id="{ref.get(qn("r:id"))}"/>'
            for ref in refs
        )
        if is_letterhead:
            sect_pr, annex_sect_pr, text_width = _letterhead_sect_pr(sect_pr_el)

    try:
        numbering_part = doc_part.part_related_by(RT.NUMBERING)
        numbering_name: str | None = str(numbering_part.partname).lstrip("/")
    except KeyError:
        numbering_name = None
    items = _package_items(document)
    styles_name = str(styles_part.partname).lstrip("/")
    return _Base(
        items=items,
        document_name=str(doc_part.partname).lstrip("/"),
        core_name=str(core_part.partname).lstrip("/"),
        styles_name=styles_name,
        style_ids=style_ids,
        sect_pr=sect_pr,
        annex_sect_pr=annex_sect_pr,
        header_refs=header_refs,
        text_width=text_width,
        is_letterhead=is_letterhead,
        demand_numbering=_demand_numbering(items, styles_name, numbering_name, style_ids["Demand"]),
    )


def _named_style_ids(styles_el: etree._Element) -> dict[str, str]:
    """Map our style names to the style ids in ``styles_el`` (names compared case-insensitively)."""
    wanted = {name.casefold(): name for name in NAMED_STYLES}
    found: dict[str, str] = {}
    for style_el in styles_el.findall(qn("w:style")):
        name_el = style_el.find(qn("w:name"))
        if name_el is None:
            continue
        key = (name_el.get(qn("w:val")) or "").casefold()
        if key in wanted and wanted[key] not in found:
            if style_el.get(qn("w:type")) == NAMED_STYLES[wanted[key]]:
                found[wanted[key]] = style_el.get(qn("w:styleId"))
    return found


@functools.cache
def _reference_styles() -> tuple[bytes, bytes]:
    """The reference's styles.xml and numbering.xml bytes."""
    with zipfile.ZipFile(REFERENCE_PATH) as zf:
        return zf.read("word/styles.xml"), zf.read("word/numbering.xml")


def _add_missing_styles(document: docx.document.Document) -> None:
    """Copy the named styles a letterhead lacks from the reference (its own ones win)."""
    styles_el = document.styles.element
    present = _named_style_ids(styles_el)
    ids = {s.get(qn("w:styleId")) for s in styles_el.findall(qn("w:style"))}
    ref_styles = etree.fromstring(_reference_styles()[0], _SAFE_PARSER)
    ref_ids = _named_style_ids(ref_styles)
    for name in NAMED_STYLES:
        if name in present:
            continue
        source = ref_styles.find(f'{{{W_NS}}}style[@{{{W_NS}}}styleId="{ref_ids[name]}"]')
        assert source is not None
        new = parse_xml(etree.tostring(source))
        style_id = ref_ids[name]
        n = 1
        while style_id in ids:
            style_id = f"{ref_ids[name]}Lk{n}"
            n += 1
        new.set(qn("w:styleId"), style_id)
        ids.add(style_id)
        for based in new.findall(qn("w:basedOn")) + new.findall(qn("w:next")):
            target = based.get(qn("w:val"))
            if target not in ids:
                new.remove(based)
            elif based.tag == qn("w:next"):
                based.set(qn("w:val"), style_id)
        num_id = new.find(f"{{{W_NS}}}pPr/{{{W_NS}}}numPr/{{{W_NS}}}numId")
        if num_id is not None:
            num_id.set(qn("w:val"), str(_add_demand_numbering(document)))
        styles_el.append(new)


def _add_demand_numbering(document: docx.document.Document) -> int:
    doc_part = document.part
    try:
        numbering_el = doc_part.part_related_by(RT.NUMBERING).element
    except KeyError:
        partname = PackURI("/word/numbering.xml")
        taken = {str(p.partname) for p in doc_part.package.iter_parts()}
        n = 1
        while str(partname) in taken:
            partname = PackURI(f"/word/numbering{n}.xml")
            n += 1
        numbering_el = parse_xml(f"<w:numbering {nsdecls('w')}/>")
        part = NumberingPart(
            partname,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
            numbering_el,
            doc_part.package,
        )
        doc_part.relate_to(part, RT.NUMBERING)
    abstract_ids = [
        int(a.get(qn("w:abstractNumId")) or 0) for a in numbering_el.findall(qn("w:abstractNum"))
    ]
    num_ids = [int(n.get(qn("w:numId")) or 0) for n in numbering_el.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=0) + 1
    num_id = max(num_ids, default=0) + 1
    abstract = _demand_abstract_num(abstract_id)
    first_num = numbering_el.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering_el.append(abstract)
    numbering_el.append(_demand_num(num_id, abstract_id))
    return num_id


def _drop_attached_template(document: docx.document.Document) -> None:
    """Forget the template a letterhead was made from (a path on someone's computer)."""
    try:
        part = document.part.part_related_by(RT.SETTINGS)
    except KeyError:
        return
    settings_el = part.element
    for el in settings_el.findall(qn("w:attachedTemplate")):
        settings_el.remove(el)
    for rid, rel in list(part.rels.items()):
        if rel.reltype == _RT_ATTACHED_TEMPLATE:
            del part.rels[rid]


_KEEP_NS = {W_NS, R_NS}


def _letterhead_sect_pr(sect_pr_el: etree._Element) -> tuple[str, str, int]:
    """The letterhead's sectPr as XML (w: and r: content only), the same for the annex
    section (no different first page, starts on a new page) and the text width in twips."""
    sect = copy.deepcopy(sect_pr_el)
    for el in list(sect.iter()):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace not in _KEEP_NS:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
            continue
        for attr in list(el.attrib):
            ns = etree.QName(attr).namespace
            if ns not in _KEEP_NS or etree.QName(attr).localname.startswith("rsid"):
                del el.attrib[attr]
    width = 11906
    left = right = 1417
    pg_sz = sect.find(qn("w:pgSz"))
    pg_mar = sect.find(qn("w:pgMar"))
    try:
        if pg_sz is not None:
            width = int(pg_sz.get(qn("w:w")) or width)
        if pg_mar is not None:
            left = int(pg_mar.get(qn("w:left")) or left)
            right = int(pg_mar.get(qn("w:right")) or right)
    except ValueError:
        pass
    if pg_sz is None:  # no page size given: A4
        pg = etree.SubElement(sect, qn("w:pgSz"))
        pg.set(qn("w:w"), "11906")
        pg.set(qn("w:h"), "16838")
    xml = etree.tostring(sect, encoding="unicode")
    for el in sect.findall(qn("w:titlePg")) + sect.findall(qn("w:type")):
        sect.remove(el)
    annex_xml = etree.tostring(sect, encoding="unicode")
    return xml, annex_xml, max(width - left - right, 2000)


_SECT_BEFORE_TYPE = {"headerReference", "footerReference", "footnotePr", "endnotePr"}
_SECT_AFTER_PG_NUM = {
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
}


@functools.lru_cache(maxsize=32)
def _section_starts_page(sect_pr_xml: str, *, restart: bool) -> str:
    """A letterhead's sectPr for a combined document: the section starts on a new page
    (``w:type nextPage``) and, with ``restart``, its page numbers start at 1; without it they
    continue (an annex section)."""
    sect = etree.fromstring(sect_pr_xml, _SAFE_PARSER)
    for el in sect.findall(qn("w:type")):
        sect.remove(el)
    children = [c for c in sect if isinstance(c.tag, str)]
    at = 0
    for i, child in enumerate(children):
        if etree.QName(child).localname in _SECT_BEFORE_TYPE:
            at = i + 1
    section_type = etree.Element(qn("w:type"))
    section_type.set(qn("w:val"), "nextPage")
    sect.insert(sect.index(children[at]) if at < len(children) else len(sect), section_type)
    pg_num = sect.find(qn("w:pgNumType"))
    if restart:
        if pg_num is None:
            pg_num = etree.Element(qn("w:pgNumType"))
            following = [
                c
                for c in sect
                if isinstance(c.tag, str) and etree.QName(c).localname in _SECT_AFTER_PG_NUM
            ]
            if following:
                following[0].addprevious(pg_num)
            else:
                sect.append(pg_num)
        pg_num.set(qn("w:start"), "1")
    elif pg_num is not None and pg_num.get(qn("w:start")) is not None:
        del pg_num.attrib[qn("w:start")]
    return etree.tostring(sect, encoding="unicode")


_reference_lock = threading.Lock()
_letterheads: OrderedDict[str, _Base] = OrderedDict()
_LETTERHEAD_CACHE = 8
_LETTERHEAD_CACHE_BYTES = 8 * 1024 * 1024  # larger letterheads are opened every time


@functools.cache
def _reference_base() -> _Base:
    return _open_base(REFERENCE_PATH.read_bytes(), is_letterhead=False)


def open_letterhead_base(data: bytes) -> _Base:
    """Open a (validated) letterhead as a base package; small ones are cached by content."""
    key = hashlib.sha256(data).hexdigest()
    with _reference_lock:
        base = _letterheads.get(key)
        if base is not None:
            _letterheads.move_to_end(key)
            return base
    base = _open_base(data, is_letterhead=True)
    if sum(map(len, base.items.values())) <= _LETTERHEAD_CACHE_BYTES:
        with _reference_lock:
            _letterheads[key] = base
            while len(_letterheads) > _LETTERHEAD_CACHE:
                _letterheads.popitem(last=False)
    return base


# ---------------------------------------------------------------------------------------------
# Text -> runs
# ---------------------------------------------------------------------------------------------

_GEORGIAN = "\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f"
_ILLEGAL_CHARS = FORBIDDEN_CLASS
# anything that needs more than one plain run: markup characters, tabs, breaks, Georgian, junk
_SLOW = re.compile(f"[&<>\t\n\r{_GEORGIAN}{_ILLEGAL_CHARS}]")
_PIECES = re.compile(f"(\n|\t|[{_GEORGIAN}]+)")
_GEORGIAN_RE = re.compile(f"[{_GEORGIAN}]")
# cell text that clean_line() would change: other whitespace, double/edge spaces, junk, markup
_CELL_SLOW = re.compile(
    f"[&<>{_GEORGIAN}{_ILLEGAL_CHARS}\t\n\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029"
    "\u202f\u205f\u3000]|  |^ | $"
)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr_esc(text: str) -> str:
    return _esc(strip_illegal(text)).replace('"', "&quot;")


_xml_attr = _attr_esc


class _Runs:
    """Turns text into ``<w:r>`` elements: escaped, tabs and line breaks as elements,
    Georgian in its own runs with the Georgian font. ``lang`` (a Word language tag) marks
    every run with that language: a letter in a combined document whose language is not the
    document's default one."""

    def __init__(self, lang: str = "") -> None:
        georgian = fonts().georgian
        self.georgian_fonts = (
            f'<w:rFonts w:ascii="{georgian}" w:hAnsi="{georgian}" w:cs="{georgian}"/>'
        )
        # w:lang comes after the other run properties used here (schema order)
        self.lang = f'<w:lang w:val="{_attr_esc(lang)}"/>' if lang else ""

    def __call__(self, text: str, props: str = "") -> str:
        if self.lang:
            props += self.lang
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        if not _SLOW.search(text):
            return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'
        text = strip_illegal(text)
        out = []
        for piece in _PIECES.split(text):
            if not piece:
                continue
            if piece == "\n":
                out.append(f"<w:r>{rpr}<w:br/></w:r>")
            elif piece == "\t":
                out.append(f"<w:r>{rpr}<w:tab/></w:r>")
            elif _GEORGIAN_RE.match(piece):
                out.append(
                    f"<w:r><w:rPr>{self.georgian_fonts}{props}</w:rPr>"
                    f'<w:t xml:space="preserve">{piece}</w:t></w:r>'
                )
            else:
                out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{_esc(piece)}</w:t></w:r>')
        return "".join(out)


# ---------------------------------------------------------------------------------------------
# The letter
# ---------------------------------------------------------------------------------------------

_DOC_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
)
_DOC_END = "</w:body></w:document>"
_ROWS_PER_CHUNK = 500
_BOLD = "<w:b/><w:bCs/>"


class _BodyWriter:
    """Writes one letter's body. For a combined document (``combined=True``): every section
    starts on a new page, the letter's page numbers restart, its runs carry ``run_lang`` and
    its demands use list ``demand_num_id`` (restarted at 1)."""

    def __init__(
        self,
        letter: Letter,
        base: _Base,
        loc: LetterLocale,
        sender_block: bool,
        *,
        combined: bool = False,
        run_lang: str = "",
        demand_num_id: int | None = None,
    ):
        self.letter = letter
        self.base = base
        self.loc = loc
        self.sender_block = sender_block
        self.combined = combined
        self.ids = base.style_ids
        self.runs = _Runs(run_lang)
        numbering = base.demand_numbering
        self.demand_num_pr = (
            f'<w:numPr><w:ilvl w:val="{numbering.ilvl}"/><w:numId w:val="{demand_num_id}"/>'
            "</w:numPr>"
            if demand_num_id is not None and numbering is not None
            else ""
        )
        self.business = loc.layout == "business"
        if base.text_width is not None:
            self.text_width = base.text_width
        else:
            self.text_width = loc.page.text_width_twips

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
        body_ppr = '<w:spacing w:after="160"/><w:ind w:firstLine="0"/><w:jc w:val="left"/>'
        body_ppr = body_ppr if self.business else ""
        for text in letter.paragraphs:
            add(self.p("Body", text, ppr=body_ppr))
        if letter.demands:
            if letter.demands_intro:
                add(self.p("Body", letter.demands_intro, ppr=_KEEP_NEXT + body_ppr))
            demand_ppr = '<w:spacing w:after="80"/><w:jc w:val="left"/>' if self.business else ""
            demand_ppr = self.demand_num_pr + demand_ppr  # numPr precedes spacing and jc
            for text in letter.demands:
                add(self.p("Demand", text, ppr=demand_ppr))
        for text in letter.paragraphs_after:
            add(self.p("Body", text, ppr=body_ppr))
        annex_note = ""
        if letter.annex is not None:
            annex_note = self.p("Annex Note", loc.annex_note.format(title=letter.annex.title))
        if not self.business and annex_note:
            add(annex_note)
        block = [self.p("Closing", letter.closing), self._signature()]
        if self.business and annex_note:
            block.append(annex_note)
        add(self._unsplittable(block))
        return out

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
        sender = self.letter.sender
        lines = [*sender.address_lines, *sender.contacts]
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
        a = self.letter.addressee
        lines = [a.line]
        if a.name:
            lines.append(a.name)
        lines.extend(a.address_lines)
        indent = self.loc.page.twips(self.loc.addressee_indent_mm)
        # on a narrower page (a letterhead's), keep the addressee column at least 80 mm wide
        indent = max(0, min(indent, self.text_width - self.loc.page.twips(80)))
        ppr = f'<w:spacing w:after="240"/><w:ind w:left="{indent}"/>'
        return self.p("Addressee", "\n".join(lines), ppr=ppr)

    def _signature(self) -> str:
        s = self.letter.signature
        if self.business:
            lines = [s.name, s.title, s.organisation]
            return self.p("Signature", "\n".join(x for x in lines if x))
        left = "\n".join(x for x in (s.title, s.organisation) if x)
        text = f"{left}\t{s.name}" if left else f"\t{s.name}"
        ppr = f'<w:tabs><w:tab w:val="right" w:pos="{self.text_width}"/></w:tabs>'
        return self.p("Signature", text, ppr=ppr)

    # -- the annex ------------------------------------------------------------------------

    def annex_head(self, annex: Annex) -> str:
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
        return f'<w:tc><w:p><w:pPr><w:pStyle w:val="{self.ids["Annex Cell"]}"/></w:pPr>'

    def _widths(self, count: int, numbered: bool) -> list[int]:
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
                if _CELL_SLOW.search(text):
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

    def sect_pr(self, *, annex: bool = False) -> str:
        """Section properties: the letter's (page numbers from page 2) or, for the annex
        section, the same page without the different first page. In a combined document every
        section says it starts on a new page and a letter's section restarts its page numbers
        (the annex section continues them)."""
        combined = self.combined
        if self.base.sect_pr is not None:
            xml = self.base.annex_sect_pr if annex else self.base.sect_pr
            assert xml is not None
            return _section_starts_page(xml, restart=not annex) if combined else xml
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
        a new page and numbers all its pages."""
        annex = self.letter.annex
        if annex is None:
            yield "".join(self.head())
            return
        yield "".join(self.head()) + self._tail(self.sect_pr())
        yield self.annex_head(annex)
        yield from self.annex_rows(annex)
        yield "</w:tbl>"

    def close(self, *, last: bool) -> str:
        """The letter's last paragraph and its last section's properties: in that paragraph
        when another letter follows, else after it as the body's own (final) sectPr."""
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
        yield _DOC_START.encode("utf-8")
        for chunk in self.body():
            yield chunk.encode("utf-8")
        yield (self.close(last=True) + _DOC_END).encode("utf-8")


_KEEP_NEXT = "<w:keepNext/>"  # the demands' intro stays with the first demand


def _core_xml(letter: Letter, loc: LetterLocale) -> bytes:
    return _core_xml_of(
        title=letter.subject,
        creator=letter.sender.name,
        identifier=letter.reference or "",
        word_lang=loc.word_lang,
        day=letter.date,
    )


def _core_xml_of(
    *, title: str, creator: str, identifier: str, word_lang: str, day: dt.date
) -> bytes:
    stamp = f"{day.isoformat()}T00:00:00Z"
    title = _esc(strip_illegal(title))
    creator = _esc(strip_illegal(creator))
    ident = _esc(strip_illegal(identifier))
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


def render_docx(
    letter: Letter,
    letterhead: bytes | None = None,
    *,
    sender_block: bool | None = None,
) -> bytes:
    """Write ``letter`` as DOCX bytes; the same letter always gives the same bytes.

    ``letterhead`` is a group's own ``.docx``: its headers, footers, page and styles frame the
    letter (it is checked with :func:`validate_letterhead` first). ``sender_block`` prints the
    sender's name, address and contacts at the top; by default it does so without a letterhead
    and leaves it to the letterhead otherwise.
    """
    if not isinstance(letter, Letter):
        raise TypeError("render_docx() needs a Letter")
    base = _base_for(letterhead)
    if sender_block is None:
        sender_block = letterhead is None
    return _render(letter, base, sender_block)


def _base_for(letterhead: bytes | None) -> _Base:
    """The reference base, or the letterhead's (checked with validate_letterhead first)."""
    if letterhead is None:
        return _reference_base()
    from letterkit.documents.letterhead import validate_letterhead

    validate_letterhead(letterhead)
    return open_letterhead_base(letterhead)


def _render(letter: Letter, base: _Base, sender_block: bool) -> bytes:
    loc = get_locale(letter.language)
    writer = _BodyWriter(letter, base, loc, sender_block)
    entries: list[Entry] = []
    for item in base.entries(loc.word_lang):
        if isinstance(item, Entry):
            entries.append(item)
        elif item == base.document_name:
            entries.append(deflate_chunks(item, writer.chunks()))
        else:
            entries.append(deflate(item, _core_xml(letter, loc)))
    return build_zip(entries)


# ---------------------------------------------------------------------------------------------
# Many letters: one base for all, and one combined document
# ---------------------------------------------------------------------------------------------


class DocxWriter:
    """Writes many letters on one base: the letterhead (if any) is checked and opened once.

    :meth:`render` gives exactly the bytes of :func:`render_docx` with the same arguments.
    :meth:`write_combined` streams one DOCX holding every letter into a file.
    """

    def __init__(self, letterhead: bytes | None = None, *, sender_block: bool | None = None):
        self._base = _base_for(letterhead)
        self.sender_block = letterhead is None if sender_block is None else sender_block

    def render(self, letter: Letter) -> bytes:
        """``letter`` as DOCX bytes (see :func:`render_docx`)."""
        if not isinstance(letter, Letter):
            raise TypeError("DocxWriter.render() needs a Letter")
        return _render(letter, self._base, self.sender_block)

    def write_combined(self, letters: Iterable[Letter], out: BinaryIO) -> int:
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
        core = _core_xml_of(
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
        base = self._base
        numbering = base.demand_numbering
        yield _DOC_START.encode("utf-8")
        letter: Letter | None = first
        while letter is not None:
            loc = get_locale(letter.language)
            writer = _BodyWriter(
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
        yield _DOC_END.encode("utf-8")


@dataclass
class _CombinedState:
    latest: dt.date
    count: int = 0


def _need_letter(letter: object) -> None:
    if not isinstance(letter, Letter):
        raise TypeError(f"a combined document needs Letter objects, not {type(letter).__name__}")
