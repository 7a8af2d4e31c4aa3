"""A small deterministic ZIP writer for OOXML packages.

Why not :mod:`zipfile`: an OOXML package is mostly static parts (styles, theme, numbering, ...)
that are the same for every letter. Here a part is compressed once, kept as an :class:`Entry`
(CRC, sizes, deflated bytes) and copied into each new package, so writing a letter costs only
compressing its own ``document.xml``. Every entry gets the same timestamp (1980-01-01 00:00)
and attributes, so equal input gives byte-identical output.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from letterkit.documents.errors import LetterValidationError
from letterkit.markers import N_

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_VERSION = 20
_MADE_BY = (3 << 8) | _VERSION  # Unix
_EXTERNAL_ATTR = (0o100644 & 0xFFFF) << 16
_LIMIT = 0xFFFFFFFF  # no ZIP64: a letter never gets near 4 GiB
DEFAULT_LEVEL = 6


@dataclass(frozen=True, eq=False)
class Entry:
    """One compressed member, ready to be copied into any number of archives."""

    name: str
    crc: int
    size: int
    data: tuple[bytes, ...]
    compressed_size: int
    method: int = zlib.DEFLATED


def deflate(name: str, data: bytes, level: int = DEFAULT_LEVEL) -> Entry:
    """Compress ``data`` as member ``name``."""
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    out = comp.compress(data) + comp.flush()
    return Entry(name, zlib.crc32(data), len(data), (out,), len(out))


def deflate_chunks(name: str, chunks: Iterable[bytes], level: int = DEFAULT_LEVEL) -> Entry:
    """Compress a member given as a stream of chunks, without holding it uncompressed."""
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    crc = 0
    size = 0
    out: list[bytes] = []
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        if size > _LIMIT:
            raise LetterValidationError(N_("{field} is too large to be written."), field="document")
        piece = comp.compress(chunk)
        if piece:
            out.append(piece)
    out.append(comp.flush())
    return Entry(name, crc, size, tuple(out), sum(map(len, out)))


def build_zip(entries: Iterable[Entry]) -> bytes:
    """Return the bytes of a ZIP archive holding ``entries`` in the given order."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    count = 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        if entry.compressed_size > _LIMIT or offset > _LIMIT:
            raise LetterValidationError(N_("{field} is too large to be written."), field="document")
        header = _LOCAL.pack(
            0x04034B50,
            _VERSION,
            flags,
            entry.method,
            _DOS_TIME,
            _DOS_DATE,
            entry.crc,
            entry.compressed_size,
            entry.size,
            len(name),
            0,
        )
        central.append(
            _CENTRAL.pack(
                0x02014B50,
                _MADE_BY,
                _VERSION,
                flags,
                entry.method,
                _DOS_TIME,
                _DOS_DATE,
                entry.crc,
                entry.compressed_size,
                entry.size,
                len(name),
                0,
                0,
                0,
                0,
                _EXTERNAL_ATTR,
                offset,
            )
            + name
        )
        chunks.append(header)
        chunks.append(name)
        chunks.extend(entry.data)
        offset += len(header) + len(name) + entry.compressed_size
        count += 1
    directory = b"".join(central)
    chunks.append(directory)
    chunks.append(_END.pack(0x06054B50, 0, 0, count, count, len(directory), offset, 0))
    return b"".join(chunks)
