"""What every DOCX writer module shares: namespaces, XML escaping and package parts.

The lowest of the DOCX writer's modules (it imports none of the others):

* the WordprocessingML and package namespaces, and the one XML parser used to read parts
  (no entities, no network, no huge trees);
* :func:`esc` and :func:`attr_esc`, through which every user value goes into XML as character
  data, with the characters XML cannot hold removed;
* :func:`package_items` and :func:`ordered_parts`: a python-docx ``Document`` as its parts'
  bytes (with rels and a ``[Content_Types].xml`` of sorted overrides), in the fixed order every
  package is written in, so the output is deterministic.
"""

from __future__ import annotations

from docx.document import Document
from lxml import etree

from letterkit.documents.text import strip_illegal

__all__ = [
    "CT_RELS",
    "CT_TYPES_NS",
    "R_NS",
    "SAFE_PARSER",
    "W_NS",
    "attr_esc",
    "esc",
    "ordered_parts",
    "package_items",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

#: the parser for every part read back: no entities, no network access, no huge trees
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
)

#: the parts that open every package, in this order; the others follow sorted by name
_FIRST_PARTS = ("[Content_Types].xml", "_rels/.rels", "word/document.xml")


def esc(text: str) -> str:
    """Escape ``text`` as XML character data (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr_esc(text: str) -> str:
    """Escape ``text`` for a double-quoted XML attribute, without XML-illegal characters."""
    return esc(strip_illegal(text)).replace('"', "&quot;")


def package_items(document: Document) -> dict[str, bytes]:
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
            f'<Override PartName="{attr_esc(partname)}" ContentType="{attr_esc(content_type)}"/>'
        )
    types.append("</Types>")
    items["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + "".join(types)
    ).encode()
    return items


def _as_bytes(value: str | bytes) -> bytes:
    """``value`` as UTF-8 bytes (python-docx gives rels XML as either)."""
    return value.encode("utf-8") if isinstance(value, str) else value


def ordered_parts(items: dict[str, bytes]) -> list[tuple[str, bytes]]:
    """``items`` in package order: content types, package rels, document, then by name."""
    head = [(name, items[name]) for name in _FIRST_PARTS if name in items]
    rest = sorted((n, b) for n, b in items.items() if n not in _FIRST_PARTS)
    return head + rest
