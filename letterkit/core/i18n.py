"""Interface language: the user's choice, then this session's, then the browser's."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user

from letterkit.markers import N_

LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
"""Each language named in itself, as a language switch shows it."""

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
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]
