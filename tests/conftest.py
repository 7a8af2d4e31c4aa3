"""Fixtures: an app on a real SQLite file and on the real PostgreSQL, clients, CLI runner, factories.

Every test that uses ``app`` runs once per database. PostgreSQL tests are skipped with a reason
when the server is not reachable, unless ``LETTERKIT_REQUIRE_POSTGRES=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import functools
import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from letterkit import create_app
from letterkit.config import engine_options
from letterkit.extensions import db
from letterkit.models import Model

POSTGRES_URL = os.environ.get(
    "LETTERKIT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
PASSWORD = "correct horse battery staple"


def required(kind: str) -> bool:
    """Whether CI demands that tests of ``kind`` run instead of being skipped."""
    return os.environ.get(f"LETTERKIT_REQUIRE_{kind.upper()}") == "1"


def skip_or_fail(kind: str, reason: str) -> None:
    """Skip with ``reason``, or fail when CI requires ``kind``."""
    if required(kind):
        pytest.fail(f"{reason} (LETTERKIT_REQUIRE_{kind.upper()}=1 forbids skipping)")
    pytest.skip(reason)


@functools.cache
def postgres_problem() -> str | None:
    """Return why PostgreSQL cannot be used, or None if it can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:
        return f"PostgreSQL at {engine.url.render_as_string(hide_password=True)} unreachable: {exc.orig}"
    finally:
        engine.dispose()
    return None


def postgres_url_for_schema(schema: str) -> dict[str, Any]:
    """Engine options whose connections work inside ``schema``."""
    options = engine_options(POSTGRES_URL)
    options["connect_args"] = {"options": f"-csearch_path={schema}"}
    return options


class PostgresSchema:
    """A private schema in the ``test`` database for one pytest worker."""

    def __init__(self, worker: str) -> None:
        self.name = f"lk_{re.sub(r'[^a-z0-9]', '', worker.lower())}_{uuid.uuid4().hex[:8]}"
        self.admin = sa.create_engine(POSTGRES_URL)

    def create(self, with_tables: bool) -> dict[str, Any]:
        with self.admin.begin() as connection:
            connection.execute(sa.text(f'create schema "{self.name}"'))
        options = postgres_url_for_schema(self.name)
        if with_tables:
            engine = sa.create_engine(options["url"], connect_args=options["connect_args"])
            Model.metadata.create_all(engine)
            engine.dispose()
        return options

    def drop(self) -> None:
        with self.admin.begin() as connection:
            connection.execute(sa.text(f'drop schema if exists "{self.name}" cascade'))
        self.admin.dispose()


def xdist_worker(config: pytest.Config) -> str:
    """This pytest-xdist worker's id ("gw0"), or "main" when xdist is off or not installed."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return str(workerinput["workerid"])
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def postgres_tables(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """A schema with every table, shared by this worker's PostgreSQL tests."""
    problem = postgres_problem()
    if problem:
        skip_or_fail("postgres", problem)
    schema = PostgresSchema(xdist_worker(request.config))
    options = schema.create(with_tables=True)
    yield options
    schema.drop()


@pytest.fixture
def empty_postgres(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """Engine options for a new, empty PostgreSQL schema (for migration tests)."""
    problem = postgres_problem()
    if problem:
        skip_or_fail("postgres", problem)
    schema = PostgresSchema(xdist_worker(request.config))
    options = schema.create(with_tables=False)
    yield options
    schema.drop()


def _truncate_all(options: dict[str, Any]) -> None:
    engine = sa.create_engine(options["url"], connect_args=options["connect_args"])
    tables = ", ".join(f'"{t.name}"' for t in Model.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(sa.text(f"truncate {tables} restart identity cascade"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[dict[str, Any]]:
    """Engine options for a database with every table, empty, on each backend."""
    if request.param == "sqlite":
        options = engine_options(f"sqlite:///{tmp_path / 'letterkit.sqlite3'}")
        engine = sa.create_engine(options["url"])
        Model.metadata.create_all(engine)
        engine.dispose()
        yield options
    else:
        options = request.getfixturevalue("postgres_tables")
        yield options
        _truncate_all(options)


def make_config(database: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """The configuration every test app starts from."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production-0123456789",
        "SQLALCHEMY_ENGINES": {"default": database},
        "ARGON2_PARAMETERS": FAST_ARGON2,
        "RATELIMIT_ENABLED": False,
        # libsodium's minimum argon2id limits: the signer key's passphrase, fast in tests
        "SIGNER_KEY_OPSLIMIT": 1,
        "SIGNER_KEY_MEMLIMIT": 8192,
    }
    config.update(overrides)
    return config


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra settings a test module wants; override this fixture to change them."""
    return {}


@pytest.fixture
def app(database: dict[str, Any], app_config: dict[str, Any]) -> Iterator[Flask]:
    """The application on a real, empty database."""
    application = create_app(make_config(database, **app_config))
    application.test_client_class = Client
    yield application
    dispose(application)


def dispose(application: Flask) -> None:
    """Close the connections an app's engines hold."""
    with application.app_context():
        for engine in db.engines.values():
            engine.dispose()


PUBLIC_SIGNING_PAGE = re.compile(r"/s/[^/?]+(/withdraw)?")
SIGNING_FORM_TOKEN = re.compile(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"')
CSRF_FIELD = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


class Client(FlaskClient):
    """A test client that sends the CSRF token a real page would have given it."""

    def csrf_token(self, path: str = "/login") -> str:
        """Read the token from a page, as a browser would."""
        response = self.get(path, follow_redirects=True)
        text = response.get_data(as_text=True)
        if PUBLIC_SIGNING_PAGE.fullmatch(path):
            match = SIGNING_FORM_TOKEN.search(text)
            if match:
                return match.group(1)
            # A page that shows no form (closed, unknown): the token a form opened before had.
            from letterkit.petitions import signing

            cookie = self.get_cookie(signing.NONCE_COOKIE, path="/s/")
            return signing.form_token(self.application.secret_key, cookie.value) if cookie else ""
        match = CSRF_FIELD.search(text)
        assert match, "no CSRF token on the page"
        return match.group(1) or match.group(2)

    def post(self, *args: Any, csrf: bool = True, **kwargs: Any) -> Any:  # type: ignore[override]
        if csrf:
            data = dict(kwargs.pop("data", None) or {})
            path = str(args[0]) if args else "/login"
            # Public signing pages carry their own token (tied to a cookie, not to the session).
            source = path if PUBLIC_SIGNING_PAGE.fullmatch(path) else "/login"
            data.setdefault("csrf_token", self.csrf_token(source))
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


class Factory:
    """Makes groups and people directly through the domain operations."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.count = 0

    def group(self, name: str = "Harm Reduction Group", language: str = "en") -> int:
        from letterkit.accounts import operations as ops

        with self.app.app_context():
            group = ops.create_group(name, default_letter_language=language)
            db.session.commit()
            return group.id

    def user(
        self,
        group_id: int,
        role: str = "member",
        *,
        email: str | None = None,
        name: str | None = None,
        language: str = "en",
    ) -> dict[str, Any]:
        from letterkit.accounts import operations as ops
        from letterkit.models import Group, Role

        self.count += 1
        email = email or f"person{self.count}@example.org"
        with self.app.app_context():
            user = ops.create_user(
                email=email,
                display_name=name or f"Person {self.count}",
                password=PASSWORD,
                interface_language=language,
            )
            membership = ops.add_member(
                db.session.get(Group, group_id), user, Role(role), actor=None
            )
            db.session.commit()
            return {
                "id": user.id,
                "email": email,
                "password": PASSWORD,
                "membership_id": membership.id,
                "group_id": group_id,
            }


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory(app)


def login(client: Client, person: dict[str, Any]) -> None:
    """Log ``person`` in through the login form."""
    response = client.post(
        "/login", data={"email": person["email"], "password": person["password"]}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def coordinator(factory: Factory) -> dict[str, Any]:
    """A coordinator of a fresh group."""
    return factory.user(factory.group(), "coordinator")


@pytest.fixture
def logged_in(client: Client, coordinator: dict[str, Any]) -> Client:
    """A client logged in as the coordinator."""
    login(client, coordinator)
    return client


@pytest.fixture
def group_with_details(app: Flask, coordinator: dict[str, Any]) -> dict[str, Any]:
    """The coordinator's group with an address and a signer, as letters need."""
    from letterkit.models import Group

    with app.app_context():
        group = db.session.get(Group, coordinator["group_id"])
        group.name = "Harm Reduction Moscow"
        group.address = "ul. Primernaya 1\n101000 Moscow"
        group.email = "info@example.org"
        group.signer_name = "Anna Petrova"
        group.signer_title = "Coordinator"
        # The same in Cyrillic, for letters in Russian and Ukrainian (names per script).
        group.name_form("Cyrl", create=True).name = "Снижение вреда Москва"
        group.address = "ул. Примерная 1\n101000 Москва"
        group.signer_name = "Анна Петрова"
        group.signer_title = "Координатор"
        group.reference_prefix = "HRM"
        db.session.commit()
    return coordinator


def count(app: Flask, model: type[Model]) -> int:
    """Number of rows of ``model``."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))
