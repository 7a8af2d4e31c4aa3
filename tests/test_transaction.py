"""One transaction per request: commit on success, roll back on errors, nowhere else by hand.

Small routes added to the test app change a real model (a group) and answer in each way a view
can; the database then shows what was kept. Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, Response, abort, redirect, stream_with_context

from letterkit.accounts import operations as accounts_ops
from letterkit.core import transaction
from letterkit.extensions import db
from letterkit.models import Group
from tests.conftest import count

PACKAGE = Path(__file__).resolve().parent.parent / "letterkit"


def groups(app: Flask) -> list[str]:
    """Names of the groups stored."""
    with app.app_context():
        return list(db.session.scalars(sa.select(Group.name).order_by(Group.id)))


def add_group(name: str = "Kept") -> Group:
    """What an operation does: change the session and flush."""
    return accounts_ops.create_group(name)


def answer_ok() -> str:
    add_group()
    return "ok"


def answer_redirect() -> Any:
    add_group()
    return redirect("/elsewhere")


def answer_422() -> tuple[str, int]:
    add_group()
    return "the form has errors", 422


def answer_abort_404() -> str:
    add_group()
    abort(404)


def answer_discard_then_redirect() -> Any:
    add_group()
    transaction.discard()
    return redirect("/elsewhere")


def answer_discard_then_page() -> str:
    add_group()
    transaction.discard()
    return "the form again"


def answer_raise() -> str:
    add_group()
    raise RuntimeError("boom")


def add_routes(app: Flask, **views: Callable[..., Any]) -> None:
    """Add test-only routes at ``/t/<name>`` and mark the installation as set up."""
    for name, view in views.items():
        app.add_url_rule(f"/t/{name}", endpoint=f"test_{name}", view_func=view)
    app.extensions["letterkit"]["set_up"] = True  # no group yet: skip the set-up redirect


@pytest.mark.parametrize(
    ("view", "status", "kept"),
    [
        (answer_ok, 200, ["Kept"]),
        (answer_redirect, 302, ["Kept"]),
        (answer_422, 422, []),
        (answer_abort_404, 404, []),
        (answer_discard_then_redirect, 302, []),
        (answer_discard_then_page, 200, []),
    ],
)
def test_the_request_commits_only_what_its_answer_says(
    app: Flask, view: Callable[..., Any], status: int, kept: list[str]
) -> None:
    add_routes(app, it=view)
    response = app.test_client().get("/t/it")
    assert response.status_code == status
    assert groups(app) == kept


def test_discard_reads_the_database_as_it_was(app: Flask) -> None:
    def view() -> str:
        add_group("Refused")
        transaction.discard()
        return str(db.session.scalar(sa.select(sa.func.count()).select_from(Group)))

    add_routes(app, it=view)
    response = app.test_client().get("/t/it")
    assert response.get_data(as_text=True) == "0"
    assert count(app, Group) == 0


def test_an_exception_commits_nothing(app: Flask) -> None:
    add_routes(app, it=answer_raise)
    with pytest.raises(RuntimeError, match="boom"):
        app.test_client().get("/t/it")
    assert count(app, Group) == 0


def test_a_later_request_starts_clean(app: Flask) -> None:
    add_routes(app, refused=answer_422, ok=answer_ok)
    client = app.test_client()
    assert client.get("/t/refused").status_code == 422
    assert client.get("/t/ok").status_code == 200
    assert groups(app) == ["Kept"]


def test_a_streamed_answer_is_committed_before_its_body(app: Flask) -> None:
    def view() -> Response:
        add_group()

        def body() -> Any:
            with db.engine.connect() as other:  # sees only what was committed
                yield str(other.scalar(sa.select(sa.func.count()).select_from(Group)))

        return Response(stream_with_context(body()))

    add_routes(app, it=view)
    assert app.test_client().get("/t/it").get_data(as_text=True) == "1"


def duplicate_slug() -> str:
    """Add a group whose slug is taken; only the commit's flush meets the unique constraint."""
    db.session.add(Group(name="Second", slug="taken"))
    return "looks saved"


class TestInProduction:
    """Unexpected errors become the 500 page, as outside of tests."""

    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"HANDLE_UNEXPECTED_ERRORS": True, "PROPAGATE_EXCEPTIONS": False}

    def test_an_exception_is_a_500_that_commits_nothing(self, app: Flask) -> None:
        add_routes(app, it=answer_raise)
        response = app.test_client().get("/t/it")
        assert response.status_code == 500
        assert "Nothing was changed" in response.get_data(as_text=True)
        assert count(app, Group) == 0

    def test_a_failed_commit_is_an_error_not_a_success(self, app: Flask) -> None:
        with app.app_context():
            db.session.add(Group(name="First", slug="taken"))
            db.session.commit()
        add_routes(app, it=duplicate_slug, ok=answer_ok)
        client = app.test_client()
        response = client.get("/t/it")
        assert response.status_code == 500
        page = response.get_data(as_text=True)
        assert "looks saved" not in page and "Nothing was changed" in page
        assert groups(app) == ["First"]
        assert client.get("/t/ok").status_code == 200  # the next request is not stuck
        assert groups(app) == ["First", "Kept"]


def test_a_failed_commit_propagates_in_tests(app: Flask) -> None:
    with app.app_context():
        db.session.add(Group(name="First", slug="taken"))
        db.session.commit()
    add_routes(app, it=duplicate_slug)
    with pytest.raises(sa.exc.IntegrityError):
        app.test_client().get("/t/it")
    assert groups(app) == ["First"]


# --- nobody commits by hand ----------------------------------------------------------------------


def session_transaction_calls(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """``….session.commit()`` / ``….session.rollback()`` calls in a module, as ``file:line``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"commit", "rollback"}
            and "session" in ast.unparse(node.func.value)
        ):
            found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return found


def request_modules() -> list[Path]:
    """Every module that serves requests: the features' views and the core web layer."""
    modules = (
        set(PACKAGE.glob("**/views.py"))
        | set(PACKAGE.glob("**/views/*.py"))
        | set((PACKAGE / "core").glob("*.py"))
    )
    return sorted(modules - {PACKAGE / "core" / "transaction.py"})


def test_views_never_commit_or_roll_back_by_hand() -> None:
    modules = request_modules()
    assert PACKAGE / "petitions" / "views.py" in modules and len(modules) > 10
    assert PACKAGE / "tracking" / "views" / "dispatch.py" in modules
    found = [call for path in modules for call in session_transaction_calls(path)]
    assert found == [], "commit or roll back through letterkit.core.transaction: " + ", ".join(
        found
    )


def test_the_scan_finds_a_commit_by_hand(tmp_path: Path) -> None:
    source = tmp_path / "letterkit" / "views.py"
    source.parent.mkdir()
    source.write_text(
        "def view():\n    db.session.commit()\n    with db.engine.begin() as c:\n        pass\n"
    )
    assert session_transaction_calls(source, tmp_path) == ["letterkit/views.py:2"]


@pytest.mark.parametrize(("status", "called"), [(200, True), (422, False)])
def test_on_commit_runs_only_after_a_commit(app: Flask, status: int, called: bool) -> None:
    seen: list[list[str]] = []

    def view() -> tuple[str, int]:
        add_group()
        transaction.on_commit(lambda: seen.append(groups(app)))  # sees the stored row
        return "answer", status

    add_routes(app, it=view)
    assert app.test_client().get("/t/it").status_code == status
    assert seen == ([["Kept"]] if called else [])
