"""Home page, language switch, group switch and the public deadline calculator."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from letterkit.extensions import csrf, limiter

from . import calculator, health
from .access import current_group, member_required
from .home import panels as home_panels
from .i18n import remember_language

bp = Blueprint("core", __name__, template_folder="templates")
bp.add_url_rule("/deadline", "deadline", calculator.deadline, methods=["GET"])


def safe_next(target: str | None, default: str) -> str:
    """Return ``target`` if it is a path on this site, else ``default``."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.get("/")
@member_required
def home() -> str:
    """Show the group's start page: what is due, overdue, not yet sent, and the drafts."""
    group = current_group()
    return render_template("core/home.html", group=group, panels=home_panels(group))


@bp.post("/language")
@csrf.exempt  # checked below for users; a visitor's choice changes nothing on the server
def set_language() -> Response:
    """Switch the interface language and return to the page the user was on.

    A signed-in user's choice is stored with the account, so the form needs its CSRF token. A
    visitor's choice only sets a cookie in their own browser, so it is taken without one: the
    public signing pages then need no session, and the worst another site can do is switch the
    language of a visitor's next page.
    """
    if current_user.is_authenticated:
        csrf.protect()
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    remember_language(lang)
    if current_user.is_authenticated and current_user.interface_language != lang:
        current_user.interface_language = lang
    return redirect(safe_next(request.form.get("next"), url_for("core.home")))


@bp.post("/group")
@member_required
def switch_group() -> Response:
    """Work in another of the user's groups."""
    try:
        group_id = int(request.form.get("group_id", ""))
    except ValueError:
        abort(400)
    if not any(m.group_id == group_id for m in current_user.memberships):
        abort(404)
    session["group_id"] = group_id
    return redirect(url_for("core.home"))


@bp.get("/healthz")
def healthz() -> Response:
    """Answer that the app is up, without touching the database."""
    return Response("ok", mimetype="text/plain")


@bp.get("/readyz")
@limiter.exempt
def readyz() -> tuple[Response, int]:
    """Answer whether the app can serve: 200 or 503, and ok/failing per component; the reasons
    go to the log only (see letterkit.core.health)."""
    ready, components = health.readiness()
    response = jsonify(status="ready" if ready else "not ready", **components)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if ready else 503
