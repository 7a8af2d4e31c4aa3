"""Marks strings for translation in the pure layers, which may not import Flask-Babel.

``N_("…")`` returns its argument unchanged; pybabel extracts it (see ``babel.cfg``) and the web
layer translates the string when it shows it, e.g. ``gettext(rule.title)``.
"""


def N_(message: str) -> str:
    """Return ``message`` unchanged, marking it for extraction into the catalogues."""
    return message
