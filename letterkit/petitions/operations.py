"""Domain verbs for petitions: open a letter for signatures, sign, withdraw, moderate, count,
annex, export and purge. They flush; the request (or CLI command) commits.

Privacy rules kept here: a signer's personal data is sealed to the group's public key and only
what they chose to show stays in clear (see ``keys``); the duplicate key is stored only as an
HMAC (keyed with the app secret and the group's salt, bound to the petition, so it links nobody
across petitions); the withdrawal token only as a SHA-256; after the retention period the sealed
data is deleted. A duplicate signature does the same work and gets the same answer as a new one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app
from nacl.public import PrivateKey
from sqlalchemy.dialects import postgresql, sqlite

from letterkit import documents
from letterkit.core.audit import record
from letterkit.core.csvexport import csv_lines as csv_lines  # re-exported for the views
from letterkit.core.csvexport import safe_cell
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import (
    PUBLIC_COLUMNS,
    Display,
    Group,
    Letter,
    Petition,
    Signature,
    SignerKey,
    SignerKind,
    User,
    utcnow,
)
from letterkit.services import letters
from letterkit.services.annexes import ANNEX_BATCH

from . import signing
from .keys import SEALED_FIELDS, dedupe_hash, dedupe_key, key_of, open_sealed, seal
from .keys import normalise as normalise  # re-exported

CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: it may be read out or typed
CODE_LENGTH = 10  # 32**10, about 10**15 codes
MAX_TEXT = 20_000


class PetitionError(Exception):
    """The action is refused; ``message`` is untranslated, ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.field = field
        self.params = params


class DraftNotReady(PetitionError):
    """The draft cannot become a letter yet; ``problem`` (untranslated) and ``problem_params``
    say why, as the letter's builder put it."""

    def __init__(self, problem: str, **problem_params: Any) -> None:
        self.problem = problem
        self.problem_params = problem_params
        try:
            english = problem.format(**problem_params)
        except (KeyError, IndexError, ValueError):
            english = problem
        super().__init__(
            N_("This letter cannot be opened for signatures yet: {problem}"), problem=english
        )


class SigningClosed(PetitionError):
    """The petition takes no more signatures."""


# --- normalising, hashing, initials ----------------------------------------------------------


def token_hash(token: str) -> str:
    """How a withdrawal token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


_WORD = re.compile(r"[^\W\d_]", re.UNICODE)


def initials_of(name: str) -> str:
    """«Анна Петрова» → «А. П.»; «Anna-Maria von Berg» → "A.-M. v. B." (at most 40 characters)."""
    words = []
    for word in name.split():
        parts = []
        for part in word.split("-"):
            letter = _WORD.search(part)
            if letter:
                first = letter.group(0)
                # Georgian script has no capital letters in use (Mtavruli is for titles only).
                parts.append((first if "\u10a0" <= first <= "\u10ff" else first.upper()) + ".")
        if parts:
            words.append("-".join(parts))
    return " ".join(words)[:40]


# --- opening a petition --------------------------------------------------------------------------


def new_code() -> str:
    """A random, unguessable short code for the public link, not used yet."""
    for _ in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(sa.select(sa.exists().where(Petition.code == code))):
            return code
    raise RuntimeError("no free petition code found")  # pragma: no cover - 32**10 codes


def letter_text(built: documents.Letter) -> dict[str, str]:
    """The letter's title and text as the public page shows them (paragraphs split by a blank
    line). The group is named as the sender; the person who signs for it is left out."""
    parts: list[str] = [built.addressee.line]
    if built.salutation:
        parts.append(built.salutation)
    parts.extend(built.paragraphs)
    if built.demands:
        if built.demands_intro:
            parts.append(built.demands_intro)
        parts.append("\n".join(f"{n}. {text}" for n, text in enumerate(built.demands, start=1)))
    parts.extend(built.paragraphs_after)
    parts.append("\n".join(line for line in (built.closing, built.sender.name) if line))
    return {"title": built.subject, "body": "\n\n".join(p for p in parts if p.strip())}


def text_of_letter(letter: Letter, group: Group) -> dict[str, str]:
    """Build the letter as it stands and return its public text."""

    try:
        built = letters.build(letter, group)
    except (letters.LetterError, documents.DocumentError) as error:
        raise DraftNotReady(error.message, **error.params) from error
    return letter_text(built)


@dataclass(frozen=True)
class Settings:
    """What a coordinator sets for a petition."""

    default_display: Display = Display.COUNT
    goal: int | None = None
    closes_on: date | None = None
    retention_days: int = 90
    # Pasted translations: {lang: (title, body)}; an empty pair removes the language.
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)


def _texts_with(
    petition_texts: dict[str, Any], own: str, translations: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    texts = {own: dict(petition_texts[own])} if own in petition_texts else {}
    for lang, (title, body) in sorted(translations.items()):
        if lang != own and title.strip() and body.strip():
            texts[lang] = {"title": title.strip(), "body": body.strip()}
    return texts


def open_petition(letter: Letter, group: Group, actor: User, settings: Settings) -> Petition:
    """Open a draft letter for signatures through a new public link."""
    if letter.group_id != group.id:
        raise PetitionError(N_("This letter belongs to another group."))
    if letter.is_final:
        raise PetitionError(
            N_("This letter is final. Signatures can only be collected for a draft.")
        )
    existing = db.session.scalar(sa.select(Petition).where(Petition.letter_id == letter.id))
    if existing is not None:
        raise PetitionError(N_("This letter is already open for signatures."))
    if key_of(group) is None:
        raise PetitionError(N_("Set the passphrase of the group's key for signers' data first."))
    own = {letter.language: text_of_letter(letter, group)}
    petition = Petition(
        group_id=group.id,
        letter_id=letter.id,
        code=new_code(),
        language=letter.language,
        texts=_texts_with(own, letter.language, settings.translations),
        goal=settings.goal,
        closes_on=settings.closes_on,
        default_display=settings.default_display,
        retention_days=settings.retention_days,
        created_by_id=actor.id,
    )
    db.session.add(petition)
    db.session.flush()
    record("petition.opened", petition, group=group, actor=actor, letter=letter.id)
    return petition


def update_settings(petition: Petition, group: Group, actor: User, settings: Settings) -> list[str]:
    """Change goal, closing date, default display, retention and translations."""
    values: dict[str, Any] = {
        "default_display": settings.default_display,
        "goal": settings.goal,
        "closes_on": settings.closes_on,
        "retention_days": settings.retention_days,
        "texts": _texts_with(petition.texts, petition.language, settings.translations),
    }
    changed = [name for name, value in values.items() if getattr(petition, name) != value]
    for name in changed:
        setattr(petition, name, values[name])
    if changed:
        db.session.flush()
        record("petition.updated", petition, group=group, actor=actor, fields=changed)
    return changed


def refresh_text(petition: Petition, group: Group, actor: User) -> None:
    """Take the public text in the letter's language from the letter's current draft again."""
    letter = db.session.get(Letter, petition.letter_id) if petition.letter_id else None
    if letter is None:
        raise PetitionError(N_("The letter of this petition no longer exists."))
    if letter.is_final:
        raise PetitionError(N_("The letter is final; its text no longer changes."))
    texts = dict(petition.texts)
    texts[petition.language] = text_of_letter(letter, group)
    petition.texts = texts
    db.session.flush()
    record("petition.text_refreshed", petition, group=group, actor=actor)


class Signable(Protocol):
    """What signing needs to know of a petition (a :class:`Petition` or a :class:`Target`)."""

    @property
    def id(self) -> int: ...
    @property
    def is_open(self) -> bool: ...
    @property
    def closes_on(self) -> date | None: ...


def accepts_signatures(petition: Signable, today: date | None = None) -> bool:
    """Whether the petition takes signatures today (UTC)."""
    today = today or utcnow().date()
    return petition.is_open and (petition.closes_on is None or today <= petition.closes_on)


def close(petition: Petition, group: Group, actor: User) -> None:
    """Stop taking signatures now."""
    if petition.is_open:
        petition.is_open = False
        petition.closed_at = utcnow()
        db.session.flush()
        record("petition.closed", petition, group=group, actor=actor)


def reopen(petition: Petition, group: Group, actor: User) -> None:
    """Take signatures again; refused while the closing date lies in the past."""
    if petition.closes_on is not None and petition.closes_on < utcnow().date():
        raise PetitionError(
            N_("The closing date has passed. Set a later closing date first."), field="closes_on"
        )
    if not petition.is_open:
        petition.is_open = True
        petition.closed_at = None
        db.session.flush()
        record("petition.reopened", petition, group=group, actor=actor)


def find_by_code(code: str) -> Petition | None:
    """The petition behind a public link."""
    if not code or len(code) > 16:
        return None
    return db.session.scalar(sa.select(Petition).where(Petition.code == code))


_PETITION = Petition.__table__
_SIGNATURE = Signature.__table__
_KEY = SignerKey.__table__
# Plain Core statements, built once: signing is the hot path of a busy petition.
_SIGNING_KEY_BY_CODE = (
    sa.select(_PETITION.c.id, _KEY.c.public_key, _KEY.c.dedupe_salt)
    .select_from(_PETITION.outerjoin(_KEY, _KEY.c.group_id == _PETITION.c.group_id))
    .where(_PETITION.c.code == sa.bindparam("code"))
)
_SIGNATURE_VALUES = (
    "kind",
    "display",
    "name",
    "initials",
    "city",
    "country",
    "contact_person",
    "email",
    "sealed",
    "dedupe_hash",
    "withdraw_token_hash",
    "consented_at",
    "consent_language",
    "hidden",
    "reduced_at",
    "created_at",
)


def _upsert(insert: Any) -> Any:
    """One statement finds the petition by its code, checks that it takes signatures and inserts
    the signature; a duplicate (same petition and duplicate hash) rewrites the existing row's
    hash with the same value instead. So a duplicate does the same work as a new signature,
    down to a write to commit, and no window lies between a check and the insert. RETURNING
    gives the row's withdrawal-token hash: ours for a new signature, another for a duplicate.
    (A close committed while the statement runs may still let that one signature in on
    PostgreSQL: the petition row is not locked.)"""
    statement = insert(_SIGNATURE).from_select(
        ["petition_id", *_SIGNATURE_VALUES],
        sa.select(
            _PETITION.c.id,
            *(sa.bindparam(name, type_=_SIGNATURE.c[name].type) for name in _SIGNATURE_VALUES),
        ).where(
            _PETITION.c.code == sa.bindparam("code"),
            _PETITION.c.is_open.is_(True),
            sa.or_(
                _PETITION.c.closes_on.is_(None),
                _PETITION.c.closes_on >= sa.bindparam("today", type_=sa.Date()),
            ),
        ),
    )
    statement = statement.on_conflict_do_update(
        index_elements=["petition_id", "dedupe_hash"],
        set_={"dedupe_hash": statement.excluded.dedupe_hash},
    )
    return statement.returning(_SIGNATURE.c.id, _SIGNATURE.c.withdraw_token_hash)


_UPSERT_SIGNATURE = {
    "sqlite": _upsert(sqlite.insert),
    "postgresql": _upsert(postgresql.insert),
}


# --- signing and withdrawing ---------------------------------------------------------------------


@dataclass(frozen=True)
class SignerDetails:
    """What a signer typed, already checked by the form."""

    kind: SignerKind
    name: str
    city: str
    country: str
    display: Display
    email: str = ""
    contact_person: str = ""


class UnknownPetition(PetitionError):
    """No petition has this code."""


@dataclass(frozen=True)
class SigningKey:
    """What signing needs of a petition's group: its public key and duplicate-hash salt."""

    public_key: bytes
    dedupe_salt: bytes


_KEY_CACHE_SIZE = 4096


def signing_key(connection: sa.Connection, code: str) -> SigningKey:
    """The signer key of the petition's group, from a per-app cache: a group's key pair never
    changes (a new passphrase re-wraps the same private key). Raises :class:`UnknownPetition`,
    and :class:`SigningClosed` while the group has no key yet (petitions from before sealing)."""
    cache: dict[str, SigningKey] = current_app.extensions.setdefault("letterkit.signing_keys", {})
    found = cache.get(code)
    if found is not None:
        return found
    row = connection.execute(_SIGNING_KEY_BY_CODE, {"code": code}).first()
    if row is None:
        raise UnknownPetition(N_("There is nothing here, or it belongs to another group."))
    if row.public_key is None:
        raise SigningClosed(
            N_("This letter takes signatures again once its group has set up its key.")
        )
    if len(cache) >= _KEY_CACHE_SIZE:
        cache.clear()
    cache[code] = found = SigningKey(bytes(row.public_key), bytes(row.dedupe_salt))
    return found


def public_values(signer: SignerDetails, initials: str) -> dict[str, str]:
    """What stays in clear: only what the annex shows for the signer's display choice."""
    keep = PUBLIC_COLUMNS[signer.display]
    shown = {"name": signer.name, "initials": initials, "city": signer.city}
    shown["country"] = signer.country
    return {name: (value if name in keep else "") for name, value in shown.items()}


def sign(
    connection: sa.Connection, code: str, signer: SignerDetails, *, language: str
) -> tuple[int | None, str]:
    """Sign the petition with this public code; return the signature's id (None for a
    duplicate) and a withdrawal token (shown once, stored hashed).

    A duplicate (same e-mail, or same name and city without one) is not stored again, and it
    costs and answers the same as a new signature: the same hashing, sealing and statement,
    and a token of the same form that is stored nowhere (see ``signing``). Only what the
    signer's kind uses is kept: an organisation's e-mail and a person's contact person are
    dropped. Raises :class:`SigningClosed` and :class:`UnknownPetition`.

    Runs in the caller's transaction on ``connection``: signing is one Core statement, and the
    public endpoint commits it without the ORM session's bookkeeping (see ``views.public``).
    """
    if signer.kind is SignerKind.ORGANISATION and signer.display is Display.INITIALS:
        raise PetitionError(
            N_("Organisations are listed by name or counted only."), field="display"
        )
    key = signing_key(connection, code)
    now = utcnow()
    person = signer.kind is SignerKind.PERSON
    email = signer.email.strip().lower() if person and signer.email.strip() else None
    duplicate_key, _field = dedupe_key(signer.name, signer.city, email)
    secret = current_app.config["SECRET_KEY"]
    token = signing.new_withdraw_token(secret, code)
    private = {
        "name": signer.name,
        "city": signer.city,
        "country": signer.country,
        "email": email or "",
        "contact_person": "" if person else signer.contact_person,
    }
    values = {
        "code": code,
        "today": now.date(),
        "kind": signer.kind,
        "display": signer.display,
        **public_values(signer, initials_of(signer.name) if person else ""),
        "contact_person": "",
        "email": None,
        "sealed": seal(key.public_key, private),
        "dedupe_hash": dedupe_hash(secret, key.dedupe_salt, code, duplicate_key),
        "withdraw_token_hash": token_hash(token),
        "consented_at": now,
        "consent_language": language,
        "hidden": False,
        "reduced_at": None,
        "created_at": now,
    }
    statement = _UPSERT_SIGNATURE[connection.dialect.name]
    row = connection.execute(statement, values).first()
    if row is None:
        raise SigningClosed(N_("This letter no longer takes signatures."))
    new = row.withdraw_token_hash == values["withdraw_token_hash"]
    return (row.id if new else None), token


def find_by_token(petition: Petition, token: str) -> Signature | None:
    """The signature a private withdrawal link belongs to."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(Signature).where(
            Signature.petition_id == petition.id,
            Signature.withdraw_token_hash == token_hash(token),
        )
    )


def withdraw_with_token(petition: Petition, token: str) -> None:
    """Withdraw the signature a token belongs to. A token this server made for the petition
    is answered alike whether a signature had it or not (a duplicate's token was never stored,
    and an earlier withdrawal deleted the row); a mistyped one is refused."""
    token = (token or "").strip()
    if not signing.withdraw_token_valid(current_app.config["SECRET_KEY"], petition.code, token):
        raise PetitionError(
            N_("This code is not right. Copy the whole code, or the whole link, again."),
            field="token",
        )
    signature = find_by_token(petition, token)
    if signature is not None:
        withdraw(signature)


def withdraw(signature: Signature) -> None:
    """Delete a signature at its signer's request, with everything it held."""
    petition = signature.petition
    group = db.session.get(Group, petition.group_id)
    record("signature.withdrawn", petition, group=group, actor=None, signature=signature.id)
    db.session.delete(signature)
    db.session.flush()


# --- moderation and counts -----------------------------------------------------------------------


def signature_in(petition: Petition, signature_id: int) -> Signature | None:
    """A signature of this petition by id."""
    return db.session.scalar(
        sa.select(Signature).where(
            Signature.id == signature_id, Signature.petition_id == petition.id
        )
    )


def set_hidden(signature: Signature, hidden: bool, group: Group, actor: User) -> None:
    """Hide a signature from the annex and the public count, or show it again."""
    if signature.hidden != hidden:
        signature.hidden = hidden
        db.session.flush()
        action = "signature.hidden" if hidden else "signature.shown"
        record(action, signature.petition, group=group, actor=actor, signature=signature.id)


def remove(signature: Signature, group: Group, actor: User) -> None:
    """Delete a signature for good (spam, abuse)."""
    record(
        "signature.removed", signature.petition, group=group, actor=actor, signature=signature.id
    )
    db.session.delete(signature)
    db.session.flush()


# --- export --------------------------------------------------------------------------------------

csv_cell = safe_cell  # the shared CSV rules (letterkit.core.csvexport)


@dataclass(frozen=True)
class ExportRow:
    """One signature as exported; the shown-form fields follow the signer's choice."""

    number: int
    signed_at: datetime
    kind: SignerKind
    display: Display
    hidden: bool
    shown_name: str
    shown_city: str
    shown_country: str
    name: str
    city: str
    country: str
    email: str
    contact_person: str
    consented_at: datetime
    reduced_at: datetime | None


def private_data(signature: Signature, private_key: PrivateKey | None) -> dict[str, str]:
    """A signature's personal data: opened with the unlocked key, from the columns of a row
    signed before sealing, or only what is in clear without the key."""
    if signature.sealed is not None and private_key is not None:
        data = open_sealed(private_key, signature.sealed)
        return {name: str(data.get(name) or "") for name in SEALED_FIELDS}
    return {
        "name": signature.name,
        "city": signature.city,
        "country": signature.country,
        "email": signature.email or "",
        "contact_person": signature.contact_person,
    }


def export_rows(petition: Petition, private_key: PrivateKey | None = None) -> Iterator[ExportRow]:
    """Every signature of the petition in the order signed, streamed from the database; the
    personal data opened with ``private_key`` when given."""
    result = db.session.execute(
        sa.select(Signature)
        .where(Signature.petition_id == petition.id)
        .order_by(Signature.id)
        .execution_options(yield_per=ANNEX_BATCH)
    )
    try:
        for number, signature in enumerate(result.scalars(), start=1):
            display = signature.display
            shown_name = {
                Display.FULL: signature.name,
                Display.INITIALS: signature.initials or signature.name,
                Display.COUNT: "",
            }[display]
            data = private_data(signature, private_key)
            yield ExportRow(
                number=number,
                signed_at=signature.created_at,
                kind=signature.kind,
                display=display,
                hidden=signature.hidden,
                shown_name=shown_name,
                shown_city="" if display is Display.COUNT else signature.city,
                shown_country=signature.country if display is Display.FULL else "",
                name=data["name"],
                city=data["city"],
                country=data["country"],
                email=data["email"],
                contact_person=data["contact_person"],
                consented_at=signature.consented_at,
                reduced_at=signature.reduced_at,
            )
    finally:
        result.close()


def record_export(petition: Petition, group: Group, actor: User, *, full: bool) -> None:
    """Note an export in the audit log (a full export with personal data especially)."""
    action = "petition.exported_full" if full else "petition.exported"
    record(action, petition, group=group, actor=actor)


# --- retention -----------------------------------------------------------------------------------


def closed_since(petition: Petition) -> datetime | None:
    """When the petition stopped taking signatures, or None while it still takes them."""
    moments = []
    if not petition.is_open:
        moments.append(petition.closed_at or petition.updated_at)
    if petition.closes_on is not None:
        moments.append(datetime.combine(petition.closes_on + timedelta(days=1), time(), tzinfo=UTC))
    return min(moments) if moments else None


def purge_after(petition: Petition) -> datetime | None:
    """When the signers' personal data is reduced to what they chose to show."""
    closed = closed_since(petition)
    return closed + timedelta(days=petition.retention_days) if closed is not None else None


def purge_petition(petition: Petition, now: datetime | None = None) -> int:
    """Reduce every signature not yet reduced to its displayed form; return how many were.

    Full name: name, city and country stay. Initials: the initials and the city stay. Counted
    only: nothing personal stays. The sealed data, e-mail and contact person go in every case
    (no key is needed for that). Rows stay, so counts and the duplicate check remain right.
    """
    now = now or utcnow()
    base = sa.update(Signature).where(
        Signature.petition_id == petition.id, Signature.reduced_at.is_(None)
    )
    gone = {"sealed": None, "email": None, "contact_person": "", "reduced_at": now}
    changes = {
        Display.FULL: gone,
        Display.INITIALS: {**gone, "name": Signature.initials, "country": ""},
        Display.COUNT: {**gone, "name": "", "initials": "", "city": "", "country": ""},
    }
    reduced = 0
    for display, values in changes.items():
        result = db.session.execute(
            base.where(Signature.display == display).values(**values),
            execution_options={"synchronize_session": False},
        )
        reduced += result.rowcount or 0
    if reduced:
        petition.purged_at = now
        db.session.flush()
    return reduced


@dataclass(frozen=True)
class PurgeResult:
    petitions: int
    signatures: int


def purge_due(now: datetime | None = None) -> PurgeResult:
    """Reduce personal data in every petition whose retention period has ended."""
    now = now or utcnow()
    candidates = db.session.scalars(
        sa.select(Petition)
        .where(sa.or_(Petition.is_open.is_(False), Petition.closes_on.is_not(None)))
        .order_by(Petition.id)
    ).all()
    petitions = signatures = 0
    for petition in candidates:
        due = purge_after(petition)
        if due is None or due > now:
            continue
        reduced = purge_petition(petition, now)
        if reduced:
            petitions += 1
            signatures += reduced
            group = db.session.get(Group, petition.group_id)
            record("petition.purged", petition, group=group, actor=None, signatures=reduced)
    db.session.flush()
    return PurgeResult(petitions=petitions, signatures=signatures)
