"""Configuration: safe defaults, overridden by ``LETTERKIT_*`` environment variables.

Production is the default. It refuses to start without ``LETTERKIT_SECRET_KEY``; development
(``LETTERKIT_ENV=development``, which ``make run`` sets) keeps a random key in the instance folder
instead, so a restart does not log everyone out. There is no fallback secret anywhere.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from .catalogue import get_catalogue
from .documents.pdf import PdfSettings, default_concurrency

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
"""The gettext catalogues of the interface: ``translations/<code>/LC_MESSAGES/messages.po``."""

DEFAULT_LOCALE = "en"
"""The language the interface is written in (its gettext msgids)."""


def interface_languages(translations: Path = TRANSLATIONS) -> tuple[str, ...]:
    """The interface languages: registry languages marked ``interface = true``
    (``catalogue/data/languages.toml``) that have a translation catalogue, or are the language
    the interface is written in. Registry order."""
    return tuple(
        code
        for code, language in get_catalogue().languages.items()
        if language.interface
        and (code == DEFAULT_LOCALE or (translations / code / "LC_MESSAGES").is_dir())
    )


def letter_languages() -> tuple[str, ...]:
    """Languages letters can be written in: the registry's with ``letter_template = true``."""
    return get_catalogue().template_languages


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to set."""


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def defaults() -> dict[str, Any]:
    """Return a fresh dictionary of default settings (never shared between apps)."""
    return {
        "ENV_NAME": "production",
        "SECRET_KEY": None,
        "DATABASE_URL": "sqlite:///letterkit.sqlite3",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "letterkit_session",
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "MAX_CONTENT_LENGTH": 60 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "BABEL_DEFAULT_LOCALE": DEFAULT_LOCALE,
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        # Interface languages (codes), derived from the registry and the translations folder.
        "LANGUAGES": interface_languages(),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "LOGIN_RATE_LIMIT": "10 per minute;30 per hour",
        # Failed logins per account (a keyed hash of the e-mail), from any address: short, so an
        # attacker cannot keep a real user out for long after stopping.
        "LOGIN_ACCOUNT_RATE_LIMIT": "10 per 5 minutes",
        # Storage errors become limits.errors.StorageError, whatever the store (a 503 page).
        "RATELIMIT_STORAGE_OPTIONS": {"wrap_exceptions": True},
        # Signatures per client address on the public signing form (Flask-Limiter syntax).
        "SIGNING_RATE_LIMIT": "30 per minute;300 per hour",
        # Answers per client address from the public deadline calculator (/deadline).
        "DEADLINE_RATE_LIMIT": "30 per minute;300 per hour",
        # per API token: a sync script pages through thousands of dispatches in a minute
        "API_RATE_LIMIT": "1200 per minute;20000 per hour",
        # Days after a petition closes until signers' personal data is reduced (new petitions).
        "PETITION_RETENTION_DAYS": 90,
        # argon2id limits for the key derived from a group's signer-key passphrase (libsodium's
        # "moderate": 3 passes over 256 MiB, about a second), and how long an unlock lasts.
        "SIGNER_KEY_OPSLIMIT": 3,
        "SIGNER_KEY_MEMLIMIT": 256 * 1024 * 1024,
        "SIGNER_KEY_UNLOCK_MINUTES": 30,
        "INVITATION_DAYS": 7,
        "PROXY_FIX": False,
        # Strict-Transport-Security on responses served over HTTPS (seconds; 0 sends none).
        "HSTS_MAX_AGE": 63_072_000,
        # PDFs: the warm LibreOffice service (``flask letterkit pdf-service``) on ports from
        # PDF_SERVICE_PORT, at most PDF_CONCURRENCY conversions at once (None: the number of
        # cores), a request waiting at most PDF_QUEUE_TIMEOUT seconds for its turn.
        "PDF_SERVICE": True,
        "PDF_SERVICE_PORT": 2003,
        "PDF_CONCURRENCY": None,
        "PDF_QUEUE_TIMEOUT": 60.0,
        # Background jobs (a campaign's PDF): RQ on this Redis when set, else JOB_WORKERS threads
        # in the server's process; results kept JOB_RESULT_MINUTES; an unfinished job that has
        # not moved for JOB_STALE_MINUTES counts as interrupted. services/jobs.py.
        "JOB_QUEUE_URL": None,
        "JOB_QUEUE_NAME": "letterkit",
        "JOB_WORKERS": 2,
        "JOB_TIMEOUT": 1800,
        "JOB_RESULT_MINUTES": 60,
        "JOB_STALE_MINUTES": 30,
        # /readyz fails when no PDF can be made (no warm service, no LibreOffice).
        "READY_REQUIRES_PDF": False,
    }


ENVIRONMENT = {
    # variable suffix -> (config key, parser)
    "ENV": ("ENV_NAME", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "DATABASE_URL": ("DATABASE_URL", str),
    "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", _flag),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "LOGIN_RATE_LIMIT": ("LOGIN_RATE_LIMIT", str),
    "LOGIN_ACCOUNT_RATE_LIMIT": ("LOGIN_ACCOUNT_RATE_LIMIT", str),
    "SIGNING_RATE_LIMIT": ("SIGNING_RATE_LIMIT", str),
    "SIGNER_KEY_UNLOCK_MINUTES": ("SIGNER_KEY_UNLOCK_MINUTES", int),
    "DEADLINE_RATE_LIMIT": ("DEADLINE_RATE_LIMIT", str),
    "API_RATE_LIMIT": ("API_RATE_LIMIT", str),
    "PROXY_FIX": ("PROXY_FIX", _flag),
    "HSTS_MAX_AGE": ("HSTS_MAX_AGE", int),
    "MAX_CONTENT_LENGTH": ("MAX_CONTENT_LENGTH", int),
    "PDF_SERVICE": ("PDF_SERVICE", _flag),
    "PDF_SERVICE_PORT": ("PDF_SERVICE_PORT", int),
    "PDF_CONCURRENCY": ("PDF_CONCURRENCY", int),
    "PDF_QUEUE_TIMEOUT": ("PDF_QUEUE_TIMEOUT", float),
    "READY_REQUIRES_PDF": ("READY_REQUIRES_PDF", _flag),
    "JOB_QUEUE_URL": ("JOB_QUEUE_URL", str),
    "JOB_QUEUE_NAME": ("JOB_QUEUE_NAME", str),
    "JOB_WORKERS": ("JOB_WORKERS", int),
    "JOB_RESULT_MINUTES": ("JOB_RESULT_MINUTES", int),
}


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read the ``LETTERKIT_*`` variables that are set, parsed to their types."""
    settings: dict[str, Any] = {}
    for suffix, (key, parse) in ENVIRONMENT.items():
        raw = environ.get(f"LETTERKIT_{suffix}")
        if raw is not None and raw != "":
            try:
                settings[key] = parse(raw)
            except ValueError as exc:
                raise ConfigError(f"LETTERKIT_{suffix} has an invalid value: {exc}") from exc
    return settings


def _development_secret(instance_path: str) -> str:
    """Return the development key kept in the instance folder, creating it once."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def configure(app: Flask, test_config: Mapping[str, Any] | None = None) -> None:
    """Fill ``app.config`` from defaults, the environment and ``test_config``, then check it."""
    app.config.from_mapping(defaults())
    if test_config is None:
        app.config.from_mapping(from_environment(os.environ))
    else:
        app.config.from_mapping(test_config)

    env_name = app.config["ENV_NAME"]
    if env_name not in {"production", "development"}:
        raise ConfigError("LETTERKIT_ENV must be 'production' or 'development'.")
    if env_name == "development" and test_config is None:
        if "LETTERKIT_SESSION_COOKIE_SECURE" not in os.environ:
            # Plain http on 127.0.0.1 while developing.
            app.config["SESSION_COOKIE_SECURE"] = False
            app.config["REMEMBER_COOKIE_SECURE"] = False
        if not app.config["SECRET_KEY"]:
            app.config["SECRET_KEY"] = _development_secret(app.instance_path)
    if not app.config["SECRET_KEY"]:
        raise ConfigError(
            "LETTERKIT_SECRET_KEY is not set. Set it to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))") '
            "or set LETTERKIT_ENV=development for a local key."
        )
    if len(app.config["SECRET_KEY"]) < 16:
        raise ConfigError("LETTERKIT_SECRET_KEY is too short: use at least 32 random characters.")

    engines = app.config.get("SQLALCHEMY_ENGINES") or {}
    if "default" not in engines:
        app.config["SQLALCHEMY_ENGINES"] = {"default": engine_options(app.config["DATABASE_URL"])}


def pdf_settings(config: Mapping[str, Any]) -> PdfSettings:
    """The PDF converter's settings from the app's configuration."""
    concurrency = config["PDF_CONCURRENCY"] or default_concurrency()
    if concurrency < 1:
        raise ConfigError("LETTERKIT_PDF_CONCURRENCY must be at least 1.")
    return PdfSettings(
        warm=bool(config["PDF_SERVICE"]),
        port=int(config["PDF_SERVICE_PORT"]),
        concurrency=int(concurrency),
        queue_timeout=float(config["PDF_QUEUE_TIMEOUT"]),
    )


def engine_options(url: str) -> dict[str, Any]:
    """Return engine settings for a database URL (SQLite waits for locks instead of failing)."""
    # SQL errors would otherwise carry the statement's parameters (names, e-mails) into logs.
    options: dict[str, Any] = {"url": normalise_database_url(url), "hide_parameters": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 15}
    else:
        options["pool_pre_ping"] = True
    return options


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
