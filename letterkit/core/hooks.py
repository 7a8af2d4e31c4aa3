"""Per-request hooks: loading the user, the first-run redirect, template globals."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, request, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from letterkit.extensions import db
from letterkit.models import User

from .access import is_coordinator, load_membership
from .i18n import autonym, interface_is_draft, is_stateless, language_name
from .setup import setup_needed

SETUP_FREE_ENDPOINTS = {
    "accounts.setup",
    "static",
    "core.set_language",
    "core.healthz",
    "core.readyz",
}
NO_USER_ENDPOINTS = {"static", "core.healthz", "core.readyz"}  # answered without a user


def load_user(user_id: str) -> User | None:
    """Find the user of a login cookie; a changed session token ends the session."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def before_request() -> Response | None:
    """Send a new installation to set-up; find the user's current group."""
    state = current_app.extensions["letterkit"]
    stateless = is_stateless()
    if not state["set_up"] and request.endpoint not in SETUP_FREE_ENDPOINTS and not stateless:
        if setup_needed():
            return redirect(url_for("accounts.setup"))
        state["set_up"] = True
    if request.endpoint not in NO_USER_ENDPOINTS and not stateless:
        # a stylesheet needs no query for the group; the API finds its group by its token
        g.membership = load_membership()
    return None


def template_globals() -> dict[str, Any]:
    """Values every page template may use."""
    locale = str(get_locale())
    return {
        "membership": g.get("membership"),
        "is_coordinator": is_coordinator(),
        "interface_languages": [(code, autonym(code)) for code in current_app.config["LANGUAGES"]],
        "current_locale": locale,
        "interface_is_draft": interface_is_draft(locale),
        "language_name": language_name,
    }
