"""The public signing form's own CSRF check and thank-you hand-over, without a Flask session.

Supporters have no account, so the signing pages need no session: the form is protected by a
signed double-submit cookie instead. The signing page sets a random nonce in a cookie that only
``/s/`` pages receive (HttpOnly, SameSite=Lax) and puts an HMAC of it, keyed by the app's secret,
into the form. A POST is accepted only when the form's token is the HMAC of the cookie it came
with: a page on another site can neither read the cookie nor make the browser send it with a
cross-site POST, and without the secret nobody can make a token for a nonce of their own choice
(OWASP's "signed double-submit cookie"). Someone able to plant cookies in a victim's browser
(a sibling domain, plain HTTP without HSTS) could plant a pair fetched from our own page; that
lets them sign in the victim's browser with details of their choosing, which they could as well
do from their own, and gains them nothing over anyone's signature: withdrawing one needs its
private token. Serve letterkit over HTTPS with HSTS.

After a signature, the private withdrawal token is handed to the thank-you page in a cookie
limited to that page and to ten minutes, which the page deletes when it shows the link.

A withdrawal token is 18 random bytes and a 12-byte tag (HMAC with the app secret, bound to the
petition's code). Every token that signing hands out has a valid tag, also the one a duplicate
signature gets, which is stored nowhere: the withdrawal page answers alike for both, so a token
does not tell whether its signature was new. A mistyped token fails the tag and is answered as
such. The token travels only in a URL fragment (``#...``, never sent to the server) and in POST
bodies, so it never reaches an access log.

Reading, signing and re-writing the Flask session on every signature also cost time on the
busiest public endpoint; without it a supporter's browser holds no session at all.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode

NONCE_COOKIE = "letterkit_sign"
THANKS_COOKIE = "letterkit_signed"
THANKS_SECONDS = 600
_PURPOSE = b"letterkit public signing form\x00"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


_WITHDRAW_PURPOSE = b"letterkit withdrawal token\x00"
_RANDOM_BYTES = 18
_TAG_BYTES = 12


def _withdraw_tag(secret: str | bytes, code: str, random_part: bytes) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    message = _WITHDRAW_PURPOSE + code.encode() + b"\x00" + random_part
    return hmac.new(key, message, hashlib.sha256).digest()[:_TAG_BYTES]


def new_withdraw_token(secret: str | bytes, code: str) -> str:
    """A fresh withdrawal token for the petition ``code``."""
    random_part = secrets.token_bytes(_RANDOM_BYTES)
    raw = random_part + _withdraw_tag(secret, code, random_part)
    return urlsafe_b64encode(raw).rstrip(b"=").decode()


def withdraw_token_valid(secret: str | bytes, code: str, token: str | None) -> bool:
    """Whether ``token`` was made by this server for the petition ``code`` (stored or not)."""
    if not well_formed(token):
        return False
    try:
        raw = urlsafe_b64decode(token + "=" * (-len(token) % 4))  # type: ignore[operator]
    except ValueError:
        return False
    if len(raw) != _RANDOM_BYTES + _TAG_BYTES:
        return False
    random_part, tag = raw[:_RANDOM_BYTES], raw[_RANDOM_BYTES:]
    return hmac.compare_digest(_withdraw_tag(secret, code, random_part), tag)


def well_formed(value: str | None) -> bool:
    """Whether ``value`` looks like a nonce or token we issue (and is safe in a URL path)."""
    return bool(value) and _TOKEN.fullmatch(value) is not None  # type: ignore[arg-type]


def new_nonce() -> str:
    """A fresh random nonce for the signing cookie."""
    return secrets.token_urlsafe(18)


def form_token(secret: str | bytes, nonce: str) -> str:
    """The form token that goes with the cookie ``nonce``."""
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, _PURPOSE + nonce.encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_matches(secret: str | bytes, nonce: str | None, token: str | None) -> bool:
    """Whether the form's ``token`` was made for the cookie ``nonce`` with this secret."""
    if not well_formed(nonce) or not well_formed(token):
        return False
    return hmac.compare_digest(form_token(secret, nonce), token)  # type: ignore[arg-type]
