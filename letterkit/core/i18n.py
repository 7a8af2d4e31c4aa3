"""Interface language: the user's choice, then this browser's, then the browser's languages.

A visitor without an account keeps the choice in a cookie of its own (``letterkit_lang``), not
in the session: a supporter reading a public signing page in Russian carries no session at all.
The cookie lasts as long as the browser session, as the session did: a phone that is seized
later should not show for a year that its owner visited letterkit.
"""

from __future__ import annotations

from flask import after_this_request, current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response

from letterkit.catalogue import get_catalogue

from .security import cookie_flags

LANGUAGE_COOKIE = "letterkit_lang"


def is_stateless() -> bool:
    """Whether this request's path belongs to a part of the site that uses no session, no login
    and no cookie (the API, authorised by a token alone, also for an address it does not know);
    features name their path prefixes in ``app.extensions["letterkit"]["stateless_prefixes"]``."""
    prefixes = current_app.extensions.get("letterkit", {}).get("stateless_prefixes", ())
    return any(request.path.startswith(prefix) for prefix in prefixes)


def autonym(code: str) -> str:
    """The language named in itself, as a language switch shows it: "Русский", "English"."""
    language = get_catalogue().languages.get(code)
    name = language.autonym if language is not None else code
    return name[:1].upper() + name[1:]


def interface_is_draft(code: str) -> bool:
    """True while no native speaker has reviewed the interface's translation into ``code``
    (``interface_review`` in the language registry): the pages then say so."""
    language = get_catalogue().languages.get(code)
    return language is None or not language.interface_review.is_reviewed


def language_name(code: str, lang: str | None = None) -> str:
    """The language ``code`` named for a reader of ``lang`` (default: this request's interface
    language), from the registry: "Romanian (română)", "Русский"; never a bare code when the
    registry knows it."""
    language = get_catalogue().languages.get(code)
    if language is None:
        return code
    return language.label(lang or interface_language())


def interface_language() -> str:
    """The language code of this request's interface (one of ``config["LANGUAGES"]``)."""
    from flask_babel import get_locale

    return str(get_locale())


def select_locale() -> str:
    """Pick the interface language for this request."""
    languages = current_app.config["LANGUAGES"]
    if is_stateless():  # the API: only what the request itself says
        return request.accept_languages.best_match(languages) or languages[0]
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
