"""A small deterministic ZIP writer for OOXML packages.

Why not :mod:`zipfile`: an OOXML package is mostly static parts (styles, theme, numbering, ...)
that are the same for every letter. Here a part is compressed once, kept as an :class:`Entry`
(CRC, sizes, deflated bytes) and copied into each new package, so writing a letter costs only
compressing its own ``document.xml``. Every entry gets the same timestamp (1980-01-01 00:00)
and attributes, so equal input gives byte-identical output.

:func:`build_zip` returns a small archive as bytes; :class:`ZipStream` writes a large one (a
campaign's ZIP of letters, a combined document) straight into a file, member by member, with a
streamed member compressed as its chunks come, so only the central directory (a few dozen bytes
per member) is held in memory.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

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
_MAX_MEMBERS = 0xFFFF  # no ZIP64: at most 65,535 members in one archive
_DESCRIPTOR = struct.Struct("<IIII")
_FLAG_DESCRIPTOR = 0x08
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


class ZipStream:
    """Write a ZIP archive into ``out`` member by member; deterministic like :func:`build_zip`.

    Members are written as they are added and nothing of them is kept but their central
    directory record. :meth:`add_chunks` compresses a member while its chunks are produced; on a
    seekable ``out`` its local header is completed afterwards (the archive is then byte-identical
    to :func:`build_zip` of the same members), on a pipe or socket a data descriptor follows the
    data instead. No ZIP64: at most 65,535 members and 4 GiB, else
    :class:`LetterValidationError`. Use as a context manager, or call :meth:`close`, which
    writes the central directory (``out`` itself is left open).
    """

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._offset = 0
        self._central: list[bytes] = []
        self._closed = False
        try:
            self._seekable = bool(out.seekable())
            self._start = out.tell() if self._seekable else 0
        except (AttributeError, OSError, ValueError):
            self._seekable = False
            self._start = 0

    @property
    def count(self) -> int:
        """How many members have been written."""
        return len(self._central)

    def __enter__(self) -> ZipStream:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._offset += len(data)

    def _check(self) -> None:
        if self._closed:
            raise ValueError("the ZIP archive is closed")
        if len(self._central) >= _MAX_MEMBERS:
            raise LetterValidationError(
                N_("A ZIP archive holds at most {limit} files."), field="zip", limit=_MAX_MEMBERS
            )

    def _too_large(self) -> LetterValidationError:
        return LetterValidationError(N_("{field} is too large to be written."), field="zip")

    def _header(
        self, name: bytes, flags: int, method: int, crc: int, csize: int, size: int
    ) -> bytes:
        return _LOCAL.pack(
            0x04034B50, _VERSION, flags, method, _DOS_TIME, _DOS_DATE, crc, csize, size,
            len(name), 0,
        )  # fmt: skip

    def _record(
        self, name: bytes, flags: int, method: int, crc: int, csize: int, size: int, offset: int
    ) -> None:
        if offset > _LIMIT or csize > _LIMIT or size > _LIMIT:
            raise self._too_large()
        self._central.append(
            _CENTRAL.pack(
                0x02014B50,
                _MADE_BY,
                _VERSION,
                flags,
                method,
                _DOS_TIME,
                _DOS_DATE,
                crc,
                csize,
                size,
                len(name),
                0,
                0,
                0,
                0,
                _EXTERNAL_ATTR,
                offset,
            )  # fmt: skip
            + name
        )

    def add(self, entry: Entry) -> None:
        """Copy a precompressed :class:`Entry` (from :func:`deflate`) into the archive."""
        self._check()
        name = entry.name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        offset = self._offset
        self._record(
            name, flags, entry.method, entry.crc, entry.compressed_size, entry.size, offset
        )
        self._write(
            self._header(name, flags, entry.method, entry.crc, entry.compressed_size, entry.size)
        )
        self._write(name)
        for piece in entry.data:
            self._write(piece)

    def add_stored(self, name: str, data: bytes) -> None:
        """Add ``data`` uncompressed (for members that are compressed already, like a DOCX)."""
        self.add(Entry(name, zlib.crc32(data), len(data), (data,), len(data), method=0))

    def add_chunks(self, name: str, chunks: Iterable[bytes], level: int = DEFAULT_LEVEL) -> None:
        """Add a member given as a stream of chunks, compressing and writing as they come."""
        self._check()
        raw_name = name.encode("utf-8")
        flags = 0 if raw_name.isascii() else 0x800
        if not self._seekable:
            flags |= _FLAG_DESCRIPTOR
        offset = self._offset
        header_at = self._start + offset if self._seekable else 0
        self._write(self._header(raw_name, flags, zlib.DEFLATED, 0, 0, 0))
        self._write(raw_name)
        comp = zlib.compressobj(level, zlib.DEFLATED, -15)
        crc = size = csize = 0
        for chunk in chunks:
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            if size > _LIMIT:
                raise self._too_large()
            piece = comp.compress(chunk)
            if piece:
                csize += len(piece)
                self._write(piece)
        piece = comp.flush()
        csize += len(piece)
        self._write(piece)
        if self._seekable:
            end = self._out.tell()
            self._out.seek(header_at)
            self._out.write(self._header(raw_name, flags, zlib.DEFLATED, crc, csize, size))
            self._out.seek(end)
        else:
            self._write(_DESCRIPTOR.pack(0x08074B50, crc, csize, size))
        self._record(raw_name, flags, zlib.DEFLATED, crc, csize, size, offset)

    def close(self) -> None:
        """Write the central directory; the archive is complete afterwards."""
        if self._closed:
            return
        self._closed = True
        directory = b"".join(self._central)
        count = len(self._central)
        at = self._offset
        if at > _LIMIT:
            raise self._too_large()
        self._write(directory)
        self._write(_END.pack(0x06054B50, 0, 0, count, count, len(directory), at, 0))
        self._central = []
