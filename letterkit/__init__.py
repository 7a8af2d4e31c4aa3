"""letterkit: letters and sign-on petitions to authorities, with reply deadlines tracked.

Importing the package loads nothing of Flask: the pure layers (``deadlines``, ``catalogue``,
``documents``) are used without it, so every web import happens inside ``create_app``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


#: the rate-limit settings, each checked at start so a typo stops the app with its name
RATE_LIMIT_SETTINGS = (
    "LOGIN_RATE_LIMIT",
    "LOGIN_ACCOUNT_RATE_LIMIT",
    "SIGNING_RATE_LIMIT",
    "DEADLINE_RATE_LIMIT",
    "API_RATE_LIMIT",
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure an instance of letterkit."""
    import inspect

    from flask import Flask
    from flask_babel import lazy_gettext as _l

    from .accounts.views import bp as accounts_bp
    from .api.setup import init_app as init_api
    from .campaigns.views import bp as campaigns_bp
    from .compose.views import bp as compose_bp
    from .config import configure, pdf_settings
    from .core import errors, hooks, security, transaction
    from .core.i18n import select_locale
    from .core.ratelimit import (
        ThreadSafeMemoryStorage,  # noqa: F401 - serves memory://
        check_limits,
    )
    from .core.views import bp as core_bp
    from .database import configure_sqlite
    from .directory.views import bp as directory_bp
    from .documents import pdf
    from .extensions import babel, csrf, db, limiter, login
    from .petitions.views import bp as petitions_bp
    from .resources import resource_dir
    from .tracking.views import bp as tracking_bp

    app = Flask(__name__, instance_relative_config=True, static_folder=resource_dir("static"))
    configure(app, test_config)
    pdf.configure(pdf_settings(app.config))
    pdf.remove_stale_work()  # what a killed process left behind: never a letter on disk
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    db.init_app(app)
    transaction.register(app)  # registered first, so its commit is the last after_request
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
    login.user_loader(hooks.load_user)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    for setting in RATE_LIMIT_SETTINGS:
        check_limits(app.config[setting], setting)
    app.extensions["letterkit"] = {"set_up": False}
    _check_data(app)

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(petitions_bp)
    app.register_blueprint(tracking_bp)
    app.register_blueprint(campaigns_bp)
    app.register_blueprint(compose_bp)
    init_api(app)
    errors.register(app)
    security.register(app)
    app.before_request(hooks.before_request)
    app.context_processor(hooks.template_globals)
    _register_commands(app)
    _connect_signals()
    return app


def _register_commands(app: Flask) -> None:
    """The ``flask letterkit …`` commands: the core's first, then each feature's."""
    from . import cli
    from .api import commands as api_commands
    from .campaigns import commands as campaign_commands
    from .petitions import commands as petition_commands
    from .tracking import commands as tracking_commands

    cli.register(app)
    petition_commands.register(app)
    tracking_commands.register(app)
    campaign_commands.register(app)
    api_commands.register(app)


def _connect_signals() -> None:
    """Let features react to each other's events without importing each other (connecting the
    same receiver again, for another app, changes nothing)."""
    from .campaigns import examples as campaign_examples
    from .compose import home as compose_home
    from .core import signals
    from .tracking import home as tracking_home

    signals.group_set_up.connect(campaign_examples.on_group_set_up, weak=False)
    signals.home_panels.connect(tracking_home.panels, weak=False)
    signals.home_panels.connect(compose_home.panels, weak=False)


def _check_data(app: Flask) -> None:
    """Load the shipped data once at start, so a broken data file stops the app with its name;
    log a database or rate-limit store that cannot be used, with why (never stops the app)."""
    from .catalogue import get_catalogue
    from .core import health
    from .deadlines import load_rules
    from .documents import default_library

    get_catalogue()
    load_rules()
    for spec in default_library().all():
        for lang in spec.languages:
            spec.sample_context(lang)
    health.log_startup_problems(app)
