"""Reach beyond the screen: a petition's public link as a QR code (SVG, made on the server by
segno) and a one-page printable flyer (A4) for offline gatherings.

Both are public, like the signing page, and carry no personal data: the petition's title, the
start of its text, the QR code and the link. They use no session and set no cookie. The routes
hang under the petitions blueprint (``petitions.reach.*``), which registers this one.
"""

from __future__ import annotations

import io

import segno
from flask import Blueprint, abort, render_template, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from letterkit.models import Petition

from . import operations as ops

bp = Blueprint("reach", __name__, template_folder="templates")

#: How much of the petition's text a flyer shows (whole paragraphs, up to about this many
#: characters), so the page stays one A4 page with the QR code.
FLYER_TEXT = 700
#: Seconds a browser or proxy may keep the QR code (a link's code never changes).
QR_MAX_AGE = 24 * 3600


def _petition(code: str) -> Petition:
    petition = ops.find_by_code(code)
    if petition is None:
        abort(404)
    return petition


def public_url(petition: Petition) -> str:
    """The petition's public signing page, as a full address."""
    return url_for("petitions.public", code=petition.code, _external=True)


def qr_svg(url: str, *, scale: int = 8) -> bytes:
    """A QR code of ``url`` as a standalone SVG (error correction M, a quiet zone of 4)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=scale, border=4)
    return out.getvalue()


def _text(petition: Petition) -> tuple[str, str, list[str], bool]:
    """The language, title and opening paragraphs to print (the interface's language if the
    petition has it, else the letter's), and whether the text goes on beyond them."""
    lang = str(get_locale())
    lang = lang if lang in petition.texts else petition.language
    text = petition.texts.get(lang) or {}
    blocks = [b.strip() for b in text.get("body", "").replace("\r\n", "\n").split("\n\n")]
    shown: list[str] = []
    for block in filter(None, blocks):
        if shown and sum(map(len, shown)) + len(block) > FLYER_TEXT:
            break
        shown.append(
            block if len(block) <= FLYER_TEXT else block[:FLYER_TEXT].rsplit(" ", 1)[0] + " …"
        )
    more = len(shown) < len(list(filter(None, blocks))) or any(p.endswith(" …") for p in shown)
    return lang, text.get("title", ""), shown, more


@bp.get("/s/<code>/qr.svg")
def qr(code: str) -> Response:
    """Serve the petition's public link as a QR code (SVG)."""
    petition = _petition(code)
    response = Response(qr_svg(public_url(petition)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = f"public, max-age={QR_MAX_AGE}"
    return response


@bp.get("/s/<code>/flyer")
def flyer(code: str) -> str:
    """Show a one-page printable flyer: title, the start of the text, the QR code, the link."""
    petition = _petition(code)
    lang, title, paragraphs, more = _text(petition)
    return render_template(
        "petitions/flyer.html",
        petition=petition,
        text_lang=lang,
        title=title,
        paragraphs=paragraphs,
        more=more,
        link=public_url(petition),
    )
