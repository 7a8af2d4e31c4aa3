"""Cursor pagination: a page of items and an opaque cursor to the next one.

A cursor holds where the previous page ended (the sort values of its last row), sealed with a
key derived from the app's secret (XSalsa20-Poly1305, PyNaCl's ``SecretBox``): a client can
neither read the row ids in it (they would tell how many rows the server holds) nor change it. A
cursor is bound to its list and its group; any other is refused with 422 (it fits the document's
pattern, so it is not a malformed request, but its value is not acceptable here).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from typing import Any, NoReturn

import nacl.exceptions
import nacl.secret
from flask import current_app
from flask_babel import gettext as _

from .problems import invalid

DEFAULT_LIMIT = 50


def _box() -> nacl.secret.SecretBox:
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    key = hashlib.blake2b(secret, digest_size=32, person=b"api-cursor").digest()
    return nacl.secret.SecretBox(key)


def encode(kind: str, group_id: int, position: Sequence[Any]) -> str:
    """The cursor after ``position`` (the sort values of the last item on a page)."""
    payload = json.dumps([kind, group_id, list(position)], separators=(",", ":"), default=str)
    sealed = _box().encrypt(payload.encode("utf-8"))
    return base64.urlsafe_b64encode(bytes(sealed)).decode("ascii").rstrip("=")


def decode(cursor: str | None, kind: str, group_id: int) -> list[Any] | None:
    """The position a cursor names, or None for the first page; 422 for a cursor not ours."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(_box().decrypt(raw))
        found_kind, found_group, position = payload
    except (ValueError, TypeError, nacl.exceptions.CryptoError):
        not_ours()
    if found_kind != kind or found_group != group_id or not isinstance(position, list):
        not_ours()
    return position


def not_ours() -> NoReturn:
    message = _("This cursor is not valid here. Start again from the first page.")
    invalid([{"pointer": "cursor", "detail": message}], message)
