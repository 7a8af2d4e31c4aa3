"""The naive reference of the signing benchmark: letterkit's signing form built the usual way.

What a first version of the public signing endpoint would be, in the same app, gunicorn set-up
and database as letterkit's own (``bench_signing.py`` measures both in one run):

* the same form (:class:`~letterkit.petitions.forms.SignForm`) with Flask-WTF's session CSRF
  token, so every supporter gets a session cookie;
* the Flask-Limiter decorator with the same limit;
* the petition and its group's key loaded through the ORM, the signer's data sealed the same
  way (the same work an honest signing endpoint must do), then an ORM insert of the signature,
  committed by the request (``core.transaction``); a duplicate is refused by the same unique key.

Served by ``gunicorn bench.naive_signing:app``; only the benchmark uses it.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, redirect, render_template_string
from flask_babel import get_locale
from sqlalchemy.exc import IntegrityError

from letterkit import create_app
from letterkit.core import transaction
from letterkit.extensions import db, limiter
from letterkit.models import Display, Petition, Signature, SignerKey, SignerKind, utcnow
from letterkit.petitions import keys
from letterkit.petitions import operations as ops
from letterkit.petitions.forms import SignForm


class NaiveSignForm(SignForm):
    """The signing form with Flask-WTF's usual session-bound CSRF token."""

    class Meta:
        csrf = True


PAGE = """<!doctype html><title>{{ petition.title }}</title>
<form method="post">{{ form.csrf_token }}{% for field in form if field.name != "csrf_token" %}
{{ field.label }} {{ field() }} {{ field.errors|join(" ") }}{% endfor %}
<button>Sign</button></form>"""

bp = Blueprint("naive", __name__)


@bp.route("/naive/<code>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNING_RATE_LIMIT"], methods=["POST"])
def sign(code: str) -> str | Response | tuple[str, int]:
    """Show the form; take a signature through the ORM."""
    petition = db.session.scalar(sa.select(Petition).where(Petition.code == code))
    if petition is None or not ops.accepts_signatures(petition):
        abort(404)
    key = db.session.scalar(sa.select(SignerKey).where(SignerKey.group_id == petition.group_id))
    if key is None:
        abort(404)
    form = NaiveSignForm()
    if not form.validate_on_submit():
        return render_template_string(PAGE, petition=petition, form=form), (
            422 if form.is_submitted() else 200
        )
    now = utcnow()
    person = form.kind.data == SignerKind.PERSON.value
    email = (form.email.data or "").strip().lower() if person else ""
    duplicate_key, _field = ops.dedupe_key(form.name.data, form.city.data, email or None)
    details = ops.SignerDetails(
        kind=SignerKind(form.kind.data),
        name=form.name.data,
        city=form.city.data,
        country=form.country.data,
        display=Display(form.display.data),
    )
    private = {
        "name": form.name.data,
        "city": form.city.data,
        "country": form.country.data,
        "email": email,
        "contact_person": "" if person else (form.contact_person.data or ""),
    }
    db.session.add(
        Signature(
            petition_id=petition.id,
            kind=details.kind,
            display=details.display,
            **ops.public_values(details, ops.initials_of(form.name.data) if person else ""),
            sealed=keys.seal(key.public_key, private),
            dedupe_hash=keys.dedupe_hash(
                current_app.config["SECRET_KEY"], key.dedupe_salt, code, duplicate_key
            ),
            withdraw_token_hash=ops.token_hash(secrets.token_urlsafe(24)),
            consented_at=now,
            consent_language=str(get_locale()),
            hidden=False,
            created_at=now,
        )
    )
    try:
        db.session.flush()
    except IntegrityError:
        transaction.discard()
        return render_template_string(PAGE, petition=petition, form=form), 409
    return redirect(f"/naive/{code}/thanks", code=303)


app = create_app()
app.register_blueprint(bp)
