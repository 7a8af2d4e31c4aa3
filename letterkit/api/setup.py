"""Plug the API into an app: its routes, its problem documents, no session and no CSRF token."""

from __future__ import annotations

from flask import Flask

from letterkit.extensions import csrf

from . import (  # noqa: F401 - their routes join the blueprint
    campaigns,
    catalogue,
    deadlines,
    dispatches,
    docs,
    holders,
    letters,
    petitions,
    problems,
    settings,
)
from .base import bp


def init_app(app: Flask) -> None:
    """Register the API and its pages on ``app``."""
    app.extensions["letterkit"].setdefault("stateless_prefixes", set()).add(problems.PREFIX)
    problems.install(app)
    csrf.exempt(bp)  # a token authorises, never a cookie: there is nothing to forge
    app.register_blueprint(bp)
    app.register_blueprint(docs.pages)
    app.register_blueprint(settings.bp)
