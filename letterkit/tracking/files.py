"""Uploaded proofs and reply scans: JPEG, PNG or PDF, recognised by their first bytes."""

from __future__ import annotations

from typing import IO

MAX_FILE_BYTES = 10 * 1024 * 1024

# The signatures the file formats start with; the extension and the browser's type are ignored.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)
EXTENSIONS = {content_type: extension for _, content_type, extension in SIGNATURES}


def sniff(data: bytes) -> str | None:
    """Return the content type ``data`` starts like (JPEG, PNG or PDF), or None."""
    for signature, content_type, _ in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def read_limited(stream: IO[bytes], limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes, enough to tell that a file is too large."""
    return stream.read(limit + 1)
