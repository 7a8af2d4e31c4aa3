"""Domain verbs for accounts and groups. They flush; the request (or CLI command) commits."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

from letterkit.core.audit import record
from letterkit.core.setup import setup_needed
from letterkit.extensions import db
from letterkit.models import NAME_FORM_FIELDS, Group, Invitation, Membership, Role, User, utcnow
from letterkit.services import names


class OperationError(Exception):
    """A domain rule refused the action; ``message`` is shown to the user as it is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


# --- passwords -------------------------------------------------------------------------------


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config.get("ARGON2_PARAMETERS", {}))


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """Check a password, upgrading the stored hash when the parameters changed."""
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


_DUMMY_HASH: dict[str, str] = {}


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, spending the same time if unknown."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        key = repr(current_app.config.get("ARGON2_PARAMETERS", {}))
        if key not in _DUMMY_HASH:
            _DUMMY_HASH[key] = hash_password(secrets.token_hex(8))
        try:
            _hasher().verify(_DUMMY_HASH[key], password)
        except VerificationError:
            pass
        return None
    return user if verify_password(user, password) else None


def end_sessions(user: User) -> None:
    """Log ``user`` out everywhere: every copy of a session cookie stops working."""
    user.rotate_session_token()
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; other sessions end."""
    if not verify_password(user, current):
        raise OperationError(_l("The current password is not right."), field="current_password")
    user.password_hash = hash_password(new)
    user.rotate_session_token()
    record("user.password_changed", user, group=None, actor=user)
    db.session.flush()


# --- groups and users ------------------------------------------------------------------------

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g u".split(),
        strict=True,
    )
)


def slugify(name: str) -> str:
    """Make an ASCII slug from a group name in Latin or Cyrillic script."""
    text = "".join(_CYRILLIC.get(ch, ch) for ch in name.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text.replace("-", " ")).strip("-")
    return text[:48].strip("-") or "group"


def _unique_slug(name: str) -> str:
    base = slugify(name)
    slug, n = base, 1
    while db.session.scalar(sa.select(sa.exists().where(Group.slug == slug))):
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_group(
    name: str, *, default_letter_language: str = "en", actor: User | None = None
) -> Group:
    """Create a group with a slug derived from its name."""
    group = Group(
        name=name, slug=_unique_slug(name), default_letter_language=default_letter_language
    )
    db.session.add(group)
    db.session.flush()
    record("group.created", group, group=group, actor=actor)
    return group


def email_taken(email: str) -> bool:
    """Whether an account already uses this e-mail."""
    return bool(db.session.scalar(sa.select(sa.exists().where(User.email == email.lower()))))


def create_user(
    *, email: str, display_name: str, password: str, interface_language: str = "en"
) -> User:
    """Create an account; refuse an e-mail that is already used."""
    if email_taken(email):
        raise OperationError(_l("An account with this e-mail already exists."), field="email")
    user = User(
        email=email.lower(),
        display_name=display_name,
        password_hash=hash_password(password),
        interface_language=interface_language,
    )
    db.session.add(user)
    db.session.flush()
    return user


def add_member(group: Group, user: User, role: Role, *, actor: User | None) -> Membership:
    """Put ``user`` into ``group`` with ``role``."""
    existing = db.session.scalar(
        sa.select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )
    if existing is not None:
        raise OperationError(_l("This person is already a member of the group."))
    membership = Membership(group=group, user=user, role=role)
    db.session.add(membership)
    db.session.flush()
    record("membership.created", membership, group=group, actor=actor, role=role.value)
    return membership


@dataclass(frozen=True)
class NewAccount:
    display_name: str
    email: str
    password: str
    interface_language: str


def set_up(group_name: str, default_letter_language: str, person: NewAccount) -> Membership:
    """Create the first group and its coordinator; refuse once any account exists."""
    if not setup_needed():
        raise OperationError(_l("letterkit is already set up. Log in instead."))
    group = create_group(group_name, default_letter_language=default_letter_language)
    user = create_user(
        email=person.email,
        display_name=person.display_name,
        password=person.password,
        interface_language=person.interface_language,
    )
    group.signer_name = person.display_name
    return add_member(group, user, Role.COORDINATOR, actor=user)


def update_group(
    group: Group, actor: User, *, forms: dict[str, dict[str, str]] | None = None, **fields: str
) -> list[str]:
    """Change the group's details, and its printed details per script (``forms``:
    ``{script: {field: value}}``); return the names of the fields that changed (a printed
    detail as ``field`` alone, the audit log names no script's values)."""
    changed = [name for name, value in fields.items() if getattr(group, name) != value]
    for name in changed:
        setattr(group, name, fields[name])
    if forms is not None:
        before = names.form_values(group, list(forms))
        names.save_forms(group, forms)
        changed += [
            f"{field}.{script}"
            for script, values in forms.items()
            for field in NAME_FORM_FIELDS
            if (values.get(field) or "") != before[script][field]
        ]
    if changed:
        record("group.updated", group, group=group, actor=actor, fields=changed)
        db.session.flush()
    return changed


# --- invitations and roles -------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(group: Group, role: Role, actor: User) -> tuple[Invitation, str]:
    """Make a one-time invitation; return it with the secret token (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    days = current_app.config["INVITATION_DAYS"]
    invitation = Invitation(
        group=group,
        token_hash=_token_hash(token),
        role=role,
        created_by_id=actor.id,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    record("invitation.created", invitation, group=group, actor=actor, role=role.value)
    return invitation, token


def find_open_invitation(token: str) -> Invitation | None:
    """Return the invitation for ``token`` if it can still be used."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None or not invitation.is_open(utcnow()):
        return None
    return invitation


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Use up the invitation and make ``user`` a member."""
    # Claim the invitation in one statement so two people cannot use the same link.
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow(), used_by_id=user.id)
    ).rowcount
    if claimed != 1:
        raise OperationError(_l("This invitation has already been used."))
    db.session.refresh(invitation)
    membership = add_member(invitation.group, user, invitation.role, actor=user)
    record("invitation.accepted", invitation, group=invitation.group, actor=user)
    return membership


def answer_invitation(invitation: Invitation, account: NewAccount) -> None:
    """Answer an invitation from someone not logged in, the same way whether or not the e-mail
    has an account: a new e-mail gets an account that joins now; an existing account is left
    as it is (nothing of what was typed is used) and joins after logging in, from the link.

    Both take the time of one password hash, and neither logs anyone in, so nothing tells the
    holder of the link whether an e-mail has an account."""
    if email_taken(account.email):
        hash_password(account.password)  # the time a new account would take
        return
    user = create_user(
        email=account.email,
        display_name=account.display_name,
        password=account.password,
        interface_language=account.interface_language,
    )
    accept_invitation(invitation, user)


def invitation_used_by(token: str, user: User) -> Invitation | None:
    """The invitation of ``token`` if ``user`` has used it (they joined with it)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.token_hash == _token_hash(token), Invitation.used_by_id == user.id
        )
    )


def revoke_invitation(invitation: Invitation, actor: User) -> None:
    """Make an unused invitation unusable."""
    if invitation.used_at is not None:
        raise OperationError(_l("This invitation has already been used."))
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        record("invitation.revoked", invitation, group=invitation.group, actor=actor)
        db.session.flush()


def _coordinator_count(group_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .where(Membership.group_id == group_id, Membership.role == Role.COORDINATOR)
    )


def change_role(membership: Membership, role: Role, actor: User) -> None:
    """Give a member another role, keeping at least one coordinator."""
    if membership.role is role:
        return
    if membership.role is Role.COORDINATOR and _coordinator_count(membership.group_id) <= 1:
        raise OperationError(_l("A group needs at least one coordinator."))
    old = membership.role
    membership.role = role
    record(
        "membership.role_changed",
        membership,
        group=membership.group,
        actor=actor,
        old=old.value,
        new=role.value,
    )
    db.session.flush()


def remove_member(membership: Membership, actor: User) -> None:
    """Take a member out of the group, keeping at least one coordinator."""
    if membership.role is Role.COORDINATOR and _coordinator_count(membership.group_id) <= 1:
        raise OperationError(_l("A group needs at least one coordinator."))
    group = membership.group
    record("membership.removed", membership, group=group, actor=actor, user_id=membership.user_id)
    db.session.delete(membership)
    db.session.flush()
