"""Interface language: the user's choice, then this browser's, then the browser's languages.

A visitor without an account keeps the choice in a cookie of its own (``letterkit_lang``), not
in the session: a supporter reading a public signing page in Russian carries no session at all.
The cookie lasts as long as the browser session, as the session did: a phone that is seized
later should not show for a year that its owner visited letterkit.
"""

from __future__ import annotations

from babel import Locale
from flask import after_this_request, current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response

from letterkit.markers import N_

from .security import cookie_flags


def language_name(code: str) -> str:
    """An interface language named in itself, as a language switch shows it ("Українська")."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


LANGUAGE_COOKIE = "letterkit_lang"

LETTER_LANGUAGE_NAMES = {"en": N_("English"), "ru": N_("Russian"), "uk": N_("Ukrainian")}


def interface_language() -> str:
    """The language code of this request's interface (``en``, ``ru``)."""
    from flask_babel import get_locale

    return str(get_locale())


def select_locale() -> str:
    """Pick the interface language for this request."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated:
        if current_user.interface_language in languages:
            return current_user.interface_language
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def remember_language(lang: str) -> None:
    """Keep ``lang`` as this browser's interface language (a cookie set on this response)."""

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(LANGUAGE_COOKIE, lang, **cookie_flags())
        return response
