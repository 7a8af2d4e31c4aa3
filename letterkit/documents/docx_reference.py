"""The reference document: the named styles, the demands' numbering and the page header.

``reference.docx`` (committed; regenerate it with ``python -m letterkit.documents.make_reference``)
is built here with python-docx from a blank document, in named steps:

* the package is cleaned of what a letter does not need (customXml, stylesWithEffects, the
  thumbnail, Word's 160 built-in styles and the latent styles);
* the named styles every base provides (:data:`NAMED_STYLES`: Letterhead, Addressee, Requisites,
  Subject, Salutation, Body, Demand, Annex Note, Closing, Signature, Annex Caption, Annex Title,
  Annex Cell, Annex Table) are added on top of the document defaults;
* the numbering part holds one decimal list for the demands (:func:`demand_abstract_num`,
  :func:`demand_num`: also used when a letterhead lacks the Demand style);
* settings, the font table and the extended properties are reduced to fixed content;
* the page is A4 with GOST margins (the writer sets each letter's own) and a PAGE field in the
  header from page 2 (different first page).

Fonts: the styles use "Times New Roman" (Latin, Cyrillic) for ascii/hAnsi/cs, with an eastAsia
hint; Georgian and Armenian text is written in runs of its own in "Sylfaen" (``[fonts.scripts]``
of ``locales.toml``): fonts that officials' Windows computers have. The server's PDF maps them to
Liberation Serif and Noto Serif Georgian / Armenian (``fonts.conf``, :mod:`letterkit.documents.pdf`).

The result is deterministic: no revision ids, no random document id, fixed dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.styles.styles import Styles

from letterkit.documents.docx_package import W_NS, ordered_parts, package_items
from letterkit.documents.locales import Fonts, fonts, get_locale
from letterkit.documents.zipper import build_zip, deflate

__all__ = [
    "DEMAND_NUM_ID",
    "NAMED_STYLES",
    "REFERENCE_PATH",
    "build_reference",
    "demand_abstract_num",
    "demand_num",
]

REFERENCE_PATH = Path(__file__).with_name("reference.docx")

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

#: the id of the demands' list (and of its abstract list) in the reference's numbering part
DEMAND_NUM_ID = 10

_RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_W14_DOC_ID = "{http://schemas.microsoft.com/office/word/2010/wordml}docId"


def build_reference() -> bytes:
    """Build ``reference.docx`` with python-docx: the named styles, numbering, page header.

    Run ``python -m letterkit.documents.make_reference`` to regenerate the committed file.
    The result is deterministic.
    """
    document = docx.Document()
    body_font = fonts()
    _drop_unused_parts(document)
    _reset_styles(document, body_font)
    header_style = _add_named_styles(document.styles)
    _add_annex_table_style(document.styles)
    _add_demand_numbering(document)
    _clean_settings(document)
    _write_font_table(document, body_font)
    _write_app_properties(document)
    section = document.sections[0]
    _set_page(section)
    _add_page_number_header(section, header_style)
    _set_core_properties(document)
    items = package_items(document)
    entries = [deflate(name, blob) for name, blob in ordered_parts(items)]
    return build_zip(entries)


def demand_abstract_num(abstract_id: int) -> BaseOxmlElement:
    """The demands' list definition: "1.", "2.", … with a hanging indent."""
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="709" w:hanging="425"/></w:pPr></w:lvl></w:abstractNum>'
    )


def demand_num(num_id: int, abstract_id: int) -> BaseOxmlElement:
    """A list ``num_id`` that uses the abstract list ``abstract_id``."""
    return parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
    )


def _drop_unused_parts(document: Document) -> None:
    """Drop what a letter does not need: customXml, stylesWithEffects, the thumbnail."""
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, _RT_STYLES_WITH_EFFECTS):
            document.part.drop_rel(rid)
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]


def _reset_styles(document: Document, body_font: Fonts) -> None:
    """Keep the default styles Word needs, drop the other 160 and the latent styles, and set
    the document defaults (fonts, 12 pt, no spacing after)."""
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


def _add_named_styles(styles: Styles) -> ParagraphStyle:
    """Add the named paragraph styles (the Demand style numbered) and return the Header style."""
    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph_style(styles, "Letterhead", size=10, align=center, keep_next=True)
    _paragraph_style(styles, "Addressee", size=12, keep_lines=True, keep_next=True)
    _paragraph_style(styles, "Requisites", size=11, keep_next=True)
    _paragraph_style(styles, "Subject", bold=True, before=12, after=12, keep_next=True)
    _paragraph_style(styles, "Salutation", align=center, before=6, after=12, keep_next=True)
    _paragraph_style(styles, "Body", align=justify, after=3, first_line_mm=12.5)
    demand = _paragraph_style(styles, "Demand", align=justify, after=3)
    num_pr = demand.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = DEMAND_NUM_ID
    _paragraph_style(styles, "Annex Note", size=11, before=12)
    _paragraph_style(styles, "Closing", before=12, keep_next=True)
    _paragraph_style(styles, "Signature", before=24, keep_lines=True)
    _paragraph_style(
        styles, "Annex Caption", size=10, align=WD_ALIGN_PARAGRAPH.RIGHT, keep_next=True
    )
    _paragraph_style(
        styles, "Annex Title", bold=True, align=center, before=12, after=12, keep_next=True
    )
    _paragraph_style(styles, "Annex Cell", size=10)
    header_style = _paragraph_style(styles, "Header", size=10, align=center)
    header_style.quick_style = False
    return header_style


def _paragraph_style(
    styles: Styles,
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
) -> ParagraphStyle:
    """Add a quick paragraph style ``name`` based on Normal, followed by itself."""
    style = cast(
        ParagraphStyle,
        styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH),  # type: ignore[no-untyped-call]
    )
    style.base_style = styles["Normal"]
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


def _add_annex_table_style(styles: Styles) -> None:
    """Add the Annex Table style: thin black borders all round, small cell margins."""
    table_style = styles.add_style(  # type: ignore[no-untyped-call]
        "Annex Table", WD_STYLE_TYPE.TABLE
    )
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


def _add_demand_numbering(document: Document) -> None:
    """Make the numbering part hold only the demands' decimal list."""
    numbering_el = document.part.numbering_part.element
    for child in list(numbering_el):
        numbering_el.remove(child)
    numbering_el.append(demand_abstract_num(DEMAND_NUM_ID))
    numbering_el.append(demand_num(DEMAND_NUM_ID, DEMAND_NUM_ID))


def _clean_settings(document: Document) -> None:
    """Settings without revision ids, proofing state, template, zoom or random document id."""
    settings_el = document.settings.element
    for tag in ("w:rsids", "w:proofState", "w:attachedTemplate", "w:zoom"):
        for junk in settings_el.findall(qn(tag)):
            settings_el.remove(junk)
    for junk in settings_el.findall(_W14_DOC_ID):
        settings_el.remove(junk)
    tab = settings_el.find(qn("w:defaultTabStop"))
    if tab is not None:
        tab.set(qn("w:val"), "709")


def _write_font_table(document: Document, body_font: Fonts) -> None:
    """A font table of the fonts letters use."""
    font_part = document.part.part_related_by(RT.FONT_TABLE)
    font_part._blob = (  # a plain Part: its blob is its bytes
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:fonts xmlns:w="{W_NS}">'
        + "".join(
            f'<w:font w:name="{name}"><w:charset w:val="00"/><w:family w:val="{family}"/>'
            '<w:pitch w:val="variable"/></w:font>'
            for name, family in (
                *((font, "roman") for font in body_font.names),
                ("Noto Sans", "swiss"),
            )
        )
        + "</w:fonts>"
    ).encode()


def _write_app_properties(document: Document) -> None:
    """Extended properties that say who made the file, nothing else."""
    app_part = document.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
    app_part._blob = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties"><Application>letterkit</Application><DocSecurity>0</DocSecurity>'
        b"</Properties>"
    )


def _set_page(section: Section) -> None:
    """A4 with the GOST margins of the ru locale (the writer sets each letter's own page)."""
    page = get_locale("ru").page
    section.page_width = Mm(page.width_mm)
    section.page_height = Mm(page.height_mm)
    section.top_margin = Mm(page.margin_top_mm)
    section.bottom_margin = Mm(page.margin_bottom_mm)
    section.left_margin = Mm(page.margin_left_mm)
    section.right_margin = Mm(page.margin_right_mm)
    section.header_distance = Mm(page.header_mm)
    section.footer_distance = Mm(page.footer_mm)


def _add_page_number_header(section: Section, header_style: ParagraphStyle) -> None:
    """Page numbers from page 2: a PAGE field in the header, an empty first-page header."""
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


def _set_core_properties(document: Document) -> None:
    """Fixed core properties: title, author, revision 1, dates of 2000-01-01."""
    core = document.core_properties
    core.title = "letterkit reference"
    core.author = "letterkit"
    core.last_modified_by = ""
    core.revision = 1
    core.created = dt.datetime(2000, 1, 1)
    core.modified = dt.datetime(2000, 1, 1)
