"""letterkit: letters and sign-on petitions to authorities, with reply deadlines tracked."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from flask import Flask, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure an instance of letterkit."""
    from .config import configure
    from .database import configure_sqlite
    from .extensions import babel, csrf, db, limiter, login

    app = Flask(__name__, instance_relative_config=True, static_folder="../static")
    configure(app, test_config)
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    db.init_app(app)
    # letterkit has no async engines. Drop the extension's async teardown, which Flask would run
    # through asgiref on every request (and which fails where an event loop runs, as in tests).
    app.teardown_appcontext_funcs = [
        f for f in app.teardown_appcontext_funcs if not inspect.iscoroutinefunction(f)
    ]
    with app.app_context():
        for engine in db.engines.values():
            configure_sqlite(engine)
    csrf.init_app(app)
    login.init_app(app)
    login.login_view = "accounts.login"
    login.login_message = _l("Please log in to see this page.")
    login.login_message_category = "info"
    login.user_loader(_load_user)
    from .core.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    app.extensions["letterkit"] = {"set_up": False}

    from .accounts.views import bp as accounts_bp
    from .core import errors, security
    from .core.views import bp as core_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    errors.register(app)
    security.register(app)
    app.before_request(_before_request)
    app.context_processor(_template_globals)

    from . import cli

    cli.register(app)
    return app


def _load_user(user_id: str) -> Any:
    from .extensions import db
    from .models import User

    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


SETUP_FREE_ENDPOINTS = {"accounts.setup", "static", "core.set_language"}


def _before_request() -> Response | None:
    from flask import current_app

    from .accounts.operations import setup_needed
    from .core.access import load_membership

    state = current_app.extensions["letterkit"]
    if not state["set_up"] and request.endpoint not in SETUP_FREE_ENDPOINTS:
        if setup_needed():
            return redirect(url_for("accounts.setup"))
        state["set_up"] = True
    g.membership = load_membership()
    return None


def _template_globals() -> dict[str, Any]:
    from flask import current_app
    from flask_babel import get_locale

    from .core.access import is_coordinator
    from .core.i18n import LANGUAGE_NAMES

    return {
        "membership": g.get("membership"),
        "is_coordinator": is_coordinator(),
        "interface_languages": [
            (code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]
        ],
        "current_locale": str(get_locale()),
    }
