"""Checks on a group's uploaded letterhead ``.docx`` before anything opens it.

:func:`validate_letterhead` refuses, with a message a coordinator can act on: files over 5 MB,
legacy/encrypted OLE files (``.doc``, password-protected ``.docx``), anything that is not a ZIP,
ZIP bombs (declared sizes, compression ratio, total uncompressed size), encrypted ZIP entries,
packages without ``word/document.xml`` or the WordprocessingML content type, macro-enabled files
(``vbaProject.bin``, the ``.docm`` content type), templates (``.dotx``), and parts that make Word
fetch something from the network when the letter is opened (external images, frames, OLE links).
Finally the package must open with python-docx.
"""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections import OrderedDict

from lxml import etree

from letterkit.documents.docx_base import open_letterhead_base
from letterkit.documents.errors import LetterheadError
from letterkit.markers import N_

MAX_LETTERHEAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 1_000
#: a part may expand this many times (XML compresses ~10-20x; bombs ~1000x) once it is over 1 MiB
MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MAIN_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAIN_DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"
_MAIN_DOTX = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_MAIN_DOTM = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
_EXTERNAL_OK = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def validate_letterhead(data: bytes) -> None:
    """Raise :class:`LetterheadError` unless ``data`` is a plain ``.docx`` safe to build on."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise LetterheadError(N_("The letterhead must be uploaded as a file."))
    data = bytes(data)
    if len(data) > MAX_LETTERHEAD_BYTES:
        raise LetterheadError(
            N_("The letterhead file is too large: {size} MB, at most {limit} MB are allowed."),
            size=round(len(data) / 1024 / 1024, 1),
            limit=MAX_LETTERHEAD_BYTES // 1024 // 1024,
        )
    digest = hashlib.sha256(data).digest()
    with _lock:
        if digest in _validated:  # rendering many letters on one letterhead checks it once
            _validated.move_to_end(digest)
            return
    _validate(data)
    with _lock:
        _validated[digest] = None
        while len(_validated) > 256:
            _validated.popitem(last=False)


_validated: OrderedDict[bytes, None] = OrderedDict()  # digests of letterheads found good
_lock = threading.Lock()


def _validate(data: bytes) -> None:
    if data.startswith(_OLE_MAGIC):
        raise LetterheadError(
            N_(
                "The letterhead is an old Word (.doc) file or a password-protected document. "
                "Save it as a Word document (.docx) without a password."
            )
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise LetterheadError(N_("The letterhead is not a Word document (.docx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            _check_sizes(infos)
            names = {info.filename for info in infos}
            if any(name.lower().endswith(("vbaproject.bin", "vbadata.xml")) for name in names):
                raise LetterheadError(_MACRO)
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise LetterheadError(N_("The letterhead is not a Word document (.docx)."))
            content_types = _read(zf, "[Content_Types].xml")
            _check_content_types(content_types)
            for name in sorted(names):
                if name.endswith(".rels"):
                    _check_rels(_read(zf, name))
            _parse(_read(zf, "word/document.xml"))
    except LetterheadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise LetterheadError(
            N_("The letterhead file is damaged: {detail}"), detail=str(exc)[:200]
        ) from None
    try:
        open_letterhead_base(data)
    except LetterheadError:
        raise
    except Exception as exc:  # python-docx could not make sense of it
        raise LetterheadError(
            N_("The letterhead cannot be read as a Word document: {detail}"),
            detail=f"{type(exc).__name__}: {exc}"[:200],
        ) from None


_MACRO = N_(
    "The letterhead contains macros (.docm). Save it as a plain Word document (.docx) "
    "without macros."
)


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise LetterheadError(N_("The letterhead has too many parts: {count}."), count=len(infos))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise LetterheadError(N_("The letterhead is encrypted. Save it without a password."))
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (info.file_size > _RATIO_FLOOR and ratio > MAX_RATIO):
            raise LetterheadError(
                N_(
                    "The letterhead expands to more than {limit} MB when unpacked; "
                    "it looks like a ZIP bomb and is refused."
                ),
                limit=MAX_UNCOMPRESSED_BYTES // 1024 // 1024,
            )


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    """Read one member, never more than its declared size (declared sizes were checked)."""
    info = zf.getinfo(name)
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise LetterheadError(
            N_(
                "The letterhead expands to more than {limit} MB when unpacked; "
                "it looks like a ZIP bomb and is refused."
            ),
            limit=MAX_UNCOMPRESSED_BYTES // 1024 // 1024,
        )
    return data


def _parse(xml: bytes) -> etree._Element:
    try:
        return etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise LetterheadError(
            N_("The letterhead file is damaged: {detail}"), detail=str(exc)[:200]
        ) from None


def _check_content_types(xml: bytes) -> None:
    root = _parse(xml)
    types = {
        (el.get("PartName") or "").lower(): el.get("ContentType") or ""
        for el in root.iter(f"{{{_CT_NS}}}Override")
    }
    all_types = set(types.values()) | {
        el.get("ContentType") or "" for el in root.iter(f"{{{_CT_NS}}}Default")
    }
    if (
        _MAIN_DOCM in all_types
        or _MAIN_DOTM in all_types
        or any("vbaProject" in t for t in all_types)
    ):
        raise LetterheadError(_MACRO)
    main = types.get("/word/document.xml")
    if main == _MAIN_DOTX:
        raise LetterheadError(
            N_("The letterhead is a Word template (.dotx); save it as a Word document (.docx).")
        )
    if main != _MAIN_DOCX:
        raise LetterheadError(N_("The letterhead is not a Word document (.docx)."))


def _check_rels(xml: bytes) -> None:
    root = _parse(xml)
    for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
        if (rel.get("TargetMode") or "").lower() == "external" and rel.get(
            "Type"
        ) not in _EXTERNAL_OK:
            raise LetterheadError(
                N_(
                    "The letterhead links to content outside the file ({target}), which Word "
                    "would fetch when the letter is opened. Embed pictures instead of linking them."
                ),
                target=(rel.get("Target") or "")[:100],
            )
