"""Base packages: the reference or a group's letterhead, opened once, cached as compressed parts.

Every letter is written on a base package. :func:`reference_base` opens ``reference.docx``;
:func:`open_letterhead_base` opens a group's letterhead (checked first by
:func:`letterkit.documents.letterhead.validate_letterhead`) with python-docx:

* its body is cleared, its headers, footers and page kept;
* comments, images and other content no longer referred to are dropped, and so is the template
  it was made from (a path on someone's computer);
* the named styles it lacks are copied from the reference (a style of its own with the same name
  wins); a Demand style copied in gets a numbered list of its own in the letterhead's numbering.

The result, a :class:`BasePackage`, holds the package's parts as bytes and compresses them
once per Word language (the styles' default language differs) as
:class:`~letterkit.documents.zipper.Entry` objects that every letter copies; only
``word/document.xml`` and ``docProps/core.xml`` are written per letter. Small letterheads are
cached by content.

Section properties: :func:`section_starts_page` turns a letterhead's ``w:sectPr`` into that of
a section in a combined document (new page, page numbers restarting or continuing);
:class:`DemandNumbering` finds the Demand style's list so that each letter of a combined
document can restart it at 1.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from lxml import etree

from letterkit.documents.docx_package import (
    R_NS,
    SAFE_PARSER,
    W_NS,
    attr_esc,
    ordered_parts,
    package_items,
)
from letterkit.documents.docx_reference import (
    NAMED_STYLES,
    REFERENCE_PATH,
    demand_abstract_num,
    demand_num,
)
from letterkit.documents.errors import LetterValidationError
from letterkit.documents.zipper import Entry, deflate
from letterkit.markers import N_

__all__ = [
    "BasePackage",
    "DemandNumbering",
    "open_letterhead_base",
    "reference_base",
    "section_starts_page",
]

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


@dataclass
class BasePackage:
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
    demand_numbering: DemandNumbering | None = None
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
            for name, blob in ordered_parts(self.items):
                if name in (self.document_name, self.core_name):
                    out.append(name)
                elif name == self.styles_name:
                    out.append(deflate(name, _with_language(blob, word_lang)))
                else:
                    out.append(deflate(name, blob))
            self._variants[word_lang] = out
            return out


@dataclass(frozen=True)
class DemandNumbering:
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
) -> DemandNumbering | None:
    """Find the list the Demand style uses (see :class:`DemandNumbering`)."""
    if numbering_name is None or numbering_name not in items:
        return None
    styles = etree.fromstring(items[styles_name], SAFE_PARSER)
    style = styles.find(f'{{{W_NS}}}style[@{{{W_NS}}}styleId="{demand_style_id}"]')
    num_pr = style.find(f"{{{W_NS}}}pPr/{{{W_NS}}}numPr") if style is not None else None
    if num_pr is None:
        return None
    num_id_el = num_pr.find(f"{{{W_NS}}}numId")
    ilvl_el = num_pr.find(f"{{{W_NS}}}ilvl")
    num_id = num_id_el.get(f"{{{W_NS}}}val") if num_id_el is not None else None
    ilvl = (ilvl_el.get(f"{{{W_NS}}}val") if ilvl_el is not None else None) or "0"
    data = items[numbering_name]
    root = etree.fromstring(data, SAFE_PARSER)
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
    return DemandNumbering(
        part_name=numbering_name,
        abstract_id=attr_esc(abstract_id),
        ilvl=ilvl,
        first_free_id=max(ids) + 1,
        insert_at=insert_at,
        prefix=prefix,
    )


def _with_language(styles_xml: bytes, word_lang: str) -> bytes:
    """``styles_xml`` with ``word_lang`` as the document defaults' language."""
    root = etree.fromstring(styles_xml, SAFE_PARSER)
    r_pr = root.find(f"{{{W_NS}}}docDefaults/{{{W_NS}}}rPrDefault/{{{W_NS}}}rPr")
    if r_pr is None:
        return styles_xml
    lang = r_pr.find(f"{{{W_NS}}}lang")
    if lang is None:
        lang = etree.SubElement(r_pr, f"{{{W_NS}}}lang")
    lang.set(f"{{{W_NS}}}val", word_lang)
    out: bytes = etree.tostring(root, encoding="UTF-8", standalone=True)
    return out


def _open_base(data: bytes, *, is_letterhead: bool) -> BasePackage:
    """Open ``data`` with python-docx, clear its body and keep what every letter shares."""
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
    items = package_items(document)
    styles_name = str(styles_part.partname).lstrip("/")
    return BasePackage(
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


def _add_missing_styles(document: Document) -> None:
    """Copy the named styles a letterhead lacks from the reference (its own ones win)."""
    styles_el = document.styles.element
    present = _named_style_ids(styles_el)
    ids = {s.get(qn("w:styleId")) for s in styles_el.findall(qn("w:style"))}
    ref_styles = etree.fromstring(_reference_styles()[0], SAFE_PARSER)
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


def _add_demand_numbering(document: Document) -> int:
    """Add the demands' list to ``document``'s numbering (made if missing); return its id."""
    doc_part = document.part
    try:
        numbering_el = cast(XmlPart, doc_part.part_related_by(RT.NUMBERING)).element
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
    abstract = demand_abstract_num(abstract_id)
    first_num = numbering_el.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering_el.append(abstract)
    numbering_el.append(demand_num(num_id, abstract_id))
    return num_id


def _drop_attached_template(document: Document) -> None:
    """Forget the template a letterhead was made from (a path on someone's computer)."""
    try:
        part = cast(XmlPart, document.part.part_related_by(RT.SETTINGS))
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
def section_starts_page(sect_pr_xml: str, *, restart: bool) -> str:
    """A letterhead's sectPr for a combined document: the section starts on a new page
    (``w:type nextPage``) and, with ``restart``, its page numbers start at 1; without it they
    continue (an annex section)."""
    sect = etree.fromstring(sect_pr_xml, SAFE_PARSER)
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
    xml: str = etree.tostring(sect, encoding="unicode")
    return xml


_reference_lock = threading.Lock()
_letterheads: OrderedDict[str, BasePackage] = OrderedDict()
_LETTERHEAD_CACHE = 8
_LETTERHEAD_CACHE_BYTES = 8 * 1024 * 1024  # larger letterheads are opened every time


@functools.cache
def reference_base() -> BasePackage:
    """The base of ``reference.docx``, opened once."""
    return _open_base(REFERENCE_PATH.read_bytes(), is_letterhead=False)


def open_letterhead_base(data: bytes) -> BasePackage:
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
