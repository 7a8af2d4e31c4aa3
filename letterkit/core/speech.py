"""Due-date explanations in this request's interface language.

The pure :mod:`letterkit.deadlines` cannot ask Flask-Babel for the language, so the web layer
hands it a :class:`~letterkit.deadlines.Speech`: the catalogue's plain ``gettext`` and
``ngettext`` (templates come back unformatted) and the Babel locale for dates and holiday names.
"""

from __future__ import annotations

from flask import g
from flask_babel import get_locale, get_translations

from letterkit.deadlines import Speech


def interface_speech() -> Speech:
    """The interface language of this request, for explaining due dates (made once per request)."""
    speech: Speech | None = g.get("letterkit_speech")
    if speech is None:
        translations = get_translations()
        speech = Speech(
            gettext=translations.gettext,
            ngettext=translations.ngettext,
            locale=str(get_locale() or "en"),
        )
        g.letterkit_speech = speech
    return speech
