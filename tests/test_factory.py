"""The application factory and its configuration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from letterkit import create_app
from letterkit.config import ConfigError, configure, from_environment, normalise_database_url
from tests.conftest import dispose

ROOT = Path(__file__).resolve().parent.parent


def test_test_config_is_used(app: Flask) -> None:
    assert app.testing
    assert app.config["SECRET_KEY"].startswith("test-secret")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_app_module_has_one_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LETTERKIT_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("LETTERKIT_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    import importlib

    import app as app_module

    importlib.reload(app_module)
    assert isinstance(app_module.app, Flask)
    assert app_module.app.config["DATABASE_URL"].endswith("x.sqlite3")
    dispose(app_module.app)


def test_production_refuses_to_start_without_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LETTERKIT_SECRET_KEY", raising=False)
    monkeypatch.setenv("LETTERKIT_ENV", "production")
    with pytest.raises(ConfigError, match="LETTERKIT_SECRET_KEY"):
        create_app()


def test_short_secret_is_refused() -> None:
    with pytest.raises(ConfigError, match="too short"):
        create_app({"SECRET_KEY": "short"})


def test_development_keeps_a_generated_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LETTERKIT_SECRET_KEY", raising=False)
    monkeypatch.setenv("LETTERKIT_ENV", "development")
    first = Flask("a", instance_path=str(tmp_path))
    configure(first)
    second = Flask("b", instance_path=str(tmp_path))
    configure(second)
    key_file = tmp_path / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) >= 40
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert first.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    ("environ", "key", "expected"),
    [
        ({"LETTERKIT_DATABASE_URL": "postgresql://u@h/db"}, "DATABASE_URL", "postgresql://u@h/db"),
        ({"LETTERKIT_SESSION_COOKIE_SECURE": "0"}, "SESSION_COOKIE_SECURE", False),
        ({"LETTERKIT_SESSION_COOKIE_SECURE": "yes"}, "SESSION_COOKIE_SECURE", True),
        ({"LETTERKIT_MAX_CONTENT_LENGTH": "1000"}, "MAX_CONTENT_LENGTH", 1000),
        ({"LETTERKIT_PROXY_FIX": "1"}, "PROXY_FIX", True),
    ],
)
def test_environment_variables(environ: dict[str, str], key: str, expected: object) -> None:
    assert from_environment(environ)[key] == expected


def test_bad_environment_value_is_named() -> None:
    with pytest.raises(ConfigError, match="LETTERKIT_MAX_CONTENT_LENGTH"):
        from_environment({"LETTERKIT_MAX_CONTENT_LENGTH": "lots"})


def test_unknown_environment_name_is_refused() -> None:
    with pytest.raises(ConfigError, match="LETTERKIT_ENV"):
        create_app({"SECRET_KEY": "k" * 40, "ENV_NAME": "staging"})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_url_driver(url: str, expected: str) -> None:
    assert normalise_database_url(url) == expected


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    from letterkit.extensions import db

    application = create_app(
        {
            "SECRET_KEY": "k" * 40,
            "SQLALCHEMY_ENGINES": {"default": f"sqlite:///{tmp_path / 'p.db'}"},
        }
    )
    with application.app_context(), db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 15000
    dispose(application)


def test_security_headers(client) -> None:
    response = client.get("/login", follow_redirects=True)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_secure_and_http_only(client, coordinator) -> None:
    response = client.post(
        "/login", data={"email": coordinator["email"], "password": coordinator["password"]}
    )
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_page_loads_anything_from_another_host() -> None:
    pattern = re.compile(r"""(src|href|action)\s*=\s*["'](https?:)?//""", re.I)
    css_pattern = re.compile(r"url\(\s*['\"]?(https?:)?//|@import", re.I)
    templates = list((ROOT / "letterkit").rglob("*.html"))
    assert templates
    for path in templates:
        assert not pattern.search(path.read_text()), path
    for path in (ROOT / "static").rglob("*.css"):
        assert not css_pattern.search(path.read_text()), path


@pytest.mark.parametrize(
    ("path", "method", "status", "title"),
    [
        ("/no-such-page", "get", 404, "Not found"),
        ("/logout", "get", 405, "Not allowed"),
        ("/boom", "get", 500, "Something went wrong"),
        ("/forbidden", "get", 403, "Not allowed"),
        ("/unprocessable", "get", 422, "Cannot process this"),
    ],
)
def test_error_pages_are_in_the_layout(
    database, path: str, method: str, status: int, title: str
) -> None:
    from flask import abort

    from tests.conftest import Factory, make_config

    application = create_app(
        make_config(database, HANDLE_UNEXPECTED_ERRORS=True, PROPAGATE_EXCEPTIONS=False)
    )

    @application.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    @application.get("/forbidden")
    def forbidden() -> str:
        abort(403)

    @application.get("/unprocessable")
    def unprocessable() -> str:
        abort(422)

    Factory(application).user(Factory(application).group(), "member")
    response = getattr(application.test_client(), method)(path)
    dispose(application)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert title in page
    assert '<header class="site">' in page
    assert "Traceback" not in page and "RuntimeError" not in page


def test_static_files_are_served_from_this_host(client) -> None:
    response = client.get("/static/css/letterkit.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()


def test_unexpected_errors_are_logged_without_personal_data(
    database, caplog: pytest.LogCaptureFixture
) -> None:
    from letterkit.extensions import db
    from letterkit.models import User
    from tests.conftest import Factory, make_config

    secret_email = "anna.secret@example.org"
    application = create_app(
        make_config(database, HANDLE_UNEXPECTED_ERRORS=True, PROPAGATE_EXCEPTIONS=False)
    )

    @application.get("/duplicate")
    def duplicate() -> str:
        db.session.add(User(email=secret_email, display_name="Anna Secret", password_hash="x"))
        db.session.commit()  # the e-mail is taken: the database names it in its error
        return "unreachable"

    Factory(application).user(Factory(application).group(), "member", email=secret_email)
    with caplog.at_level("ERROR"):
        response = application.test_client().get("/duplicate")
    dispose(application)
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text and "duplicate" in caplog.text
    assert secret_email not in caplog.text and "Anna Secret" not in caplog.text
    with application.app_context():
        assert db.engine.hide_parameters is True  # SQL errors carry no parameters either
