"""The group's signer key: signers' personal data sealed at rest, opened only with a passphrase.

Who can read what:

- Each group has one key pair (``SignerKey``), made when a coordinator first sets the passphrase.
  Signing seals a signer's name, city, country, e-mail and contact person to the public key
  (a libsodium sealed box: only the private key opens it, the server that sealed it cannot).
  Signing therefore works while no coordinator has unlocked anything.
- The private key is stored only inside a secret box (XSalsa20-Poly1305) whose key is derived
  from the passphrase by argon2id (``nacl.pwhash.argon2id.kdf``, per-group random salt, the
  limits of ``SIGNER_KEY_OPSLIMIT``/``SIGNER_KEY_MEMLIMIT``, stored with the row). The
  passphrase is never stored. Lost passphrase: the sealed data can never be read again, by
  anyone; the public annex (what signers chose to show) and the counts still work. A new
  passphrase re-wraps the same private key and needs the old one.
- Unlocking (``unlock``) opens the private key for one coordinator's browser session: the
  private key is wrapped again under a random key that goes only into that session's cookie,
  and the wrapped copy goes into a ``KeyUnlock`` row with an expiry. A copy of the database
  alone cannot open it, nor can the cookie alone; it ends on "Lock", at expiry, and when the
  user's session token changes (logout, a new password).
- Duplicates are found by ``dedupe_hash``: HMAC-SHA256 keyed with the app's secret and the
  group's ``dedupe_salt`` over the petition code and the normalised e-mail, or name and city.
  Without the app secret the hash cannot be tested against guessed e-mails.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import unicodedata
from datetime import datetime, timedelta
from typing import Any

import nacl.exceptions
import nacl.utils
import sqlalchemy as sa
from flask import current_app
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.pwhash import argon2id
from nacl.secret import SecretBox

from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import (
    PUBLIC_COLUMNS,
    Group,
    KeyUnlock,
    Petition,
    Signature,
    SignerKey,
    User,
    utcnow,
)

MIN_PASSPHRASE = 12
SEALED_FIELDS = ("name", "city", "country", "email", "contact_person")


class KeyProblem(Exception):
    """A key action is refused; ``message`` is untranslated, ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- hashing and sealing (no database) -----------------------------------------------------------


def normalise(text: str) -> str:
    """Compare form of a text: NFKC, case-folded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def dedupe_key(name: str, city: str, email: str | None) -> tuple[str, str]:
    """The duplicate key of a signer and the form field it rests on.

    The e-mail when there is one; otherwise the name and the city.
    """
    if email:
        return "email\x1f" + normalise(email), "email"
    return "name\x1f" + normalise(name) + "\x1f" + normalise(city), "name"


def dedupe_hash(secret: str | bytes, salt: bytes, petition_code: str, key: str) -> str:
    """HMAC-SHA256 of the duplicate key, keyed with the app secret and the group's salt and bound
    to the petition (by its code, which never changes): it links nobody across petitions."""
    secret_bytes = secret.encode() if isinstance(secret, str) else secret
    message = f"letterkit.signature\x1f{petition_code}\x1f{key}".encode()
    return hmac.new(secret_bytes + b"\x00" + salt, message, hashlib.sha256).hexdigest()


def seal(public_key: bytes, data: dict[str, Any]) -> bytes:
    """A sealed box of ``data`` (as JSON) that only the group's private key opens."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return SealedBox(PublicKey(public_key)).encrypt(payload)


def open_sealed(private_key: PrivateKey, sealed: bytes) -> dict[str, Any]:
    """The data of a sealed box."""
    data = json.loads(SealedBox(private_key).decrypt(sealed))
    return data if isinstance(data, dict) else {}


def _derive(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return argon2id.kdf(
        SecretBox.KEY_SIZE, passphrase.encode(), salt, opslimit=opslimit, memlimit=memlimit
    )


def _wrap(private_key: PrivateKey, key: bytes) -> bytes:
    return bytes(SecretBox(key).encrypt(bytes(private_key)))


def _unwrap(wrapped: bytes, key: bytes) -> PrivateKey:
    return PrivateKey(SecretBox(key).decrypt(wrapped))


# --- the group's key -----------------------------------------------------------------------------


def key_of(group: Group) -> SignerKey | None:
    """The group's signer key, if a coordinator has set it up."""
    return db.session.scalar(sa.select(SignerKey).where(SignerKey.group_id == group.id))


def _check_new(passphrase: str, repeated: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyProblem(N_("Use at least 12 characters; several words are easy to remember."))
    if passphrase != repeated:
        raise KeyProblem(N_("The two passphrases differ."), field="repeat")


def _limits() -> tuple[int, int]:
    return (
        int(current_app.config["SIGNER_KEY_OPSLIMIT"]),
        int(current_app.config["SIGNER_KEY_MEMLIMIT"]),
    )


def create_key(group: Group, actor: User, passphrase: str, repeated: str) -> int:
    """Make the group's key pair under ``passphrase``; seal the group's signatures still held
    in clear (signed before sealing existed). Returns how many were sealed."""
    if key_of(group) is not None:
        raise KeyProblem(N_("This group already has a key. Change its passphrase instead."))
    _check_new(passphrase, repeated)
    opslimit, memlimit = _limits()
    salt = nacl.utils.random(argon2id.SALTBYTES)
    private = PrivateKey.generate()
    key = SignerKey(
        group_id=group.id,
        public_key=bytes(private.public_key),
        wrapped_private_key=_wrap(private, _derive(passphrase, salt, opslimit, memlimit)),
        kdf_salt=salt,
        opslimit=opslimit,
        memlimit=memlimit,
        dedupe_salt=nacl.utils.random(32),
        created_by_id=actor.id,
    )
    db.session.add(key)
    db.session.flush()
    sealed = seal_clear_signatures(group, key)
    record("signer_key.created", key, group=group, actor=actor, sealed=sealed)
    return sealed


def open_private_key(key: SignerKey, passphrase: str) -> PrivateKey:
    """The private key, or :class:`KeyProblem` for a wrong passphrase."""
    derived = _derive(passphrase, key.kdf_salt, key.opslimit, int(key.memlimit))
    try:
        return _unwrap(key.wrapped_private_key, derived)
    except nacl.exceptions.CryptoError:
        raise KeyProblem(N_("This passphrase does not open the key."), field="passphrase") from None


def change_passphrase(group: Group, actor: User, old: str, new: str, repeated: str) -> None:
    """Wrap the same private key under a new passphrase (the old one is needed)."""
    key = key_of(group)
    if key is None:
        raise KeyProblem(N_("This group has no key yet."))
    _check_new(new, repeated)
    private = open_private_key(key, old)
    opslimit, memlimit = _limits()
    salt = nacl.utils.random(argon2id.SALTBYTES)
    key.wrapped_private_key = _wrap(private, _derive(new, salt, opslimit, memlimit))
    key.kdf_salt, key.opslimit, key.memlimit = salt, opslimit, memlimit
    key.changed_at = utcnow()
    db.session.flush()
    record("signer_key.passphrase_changed", key, group=group, actor=actor)


def seal_clear_signatures(group: Group, key: SignerKey) -> int:
    """Seal the signatures of the group kept in clear from before sealing existed, recompute
    their duplicate hashes with the group's salt and wipe what their signers did not show."""
    rows = db.session.scalars(
        sa.select(Signature)
        .join(Petition, Petition.id == Signature.petition_id)
        .where(
            Petition.group_id == group.id,
            Signature.sealed.is_(None),
            Signature.reduced_at.is_(None),
        )
    ).all()
    secret = current_app.config["SECRET_KEY"]
    for signature in rows:
        data = {name: getattr(signature, name) or "" for name in SEALED_FIELDS}
        signature.sealed = seal(key.public_key, data)
        dedupe, _field = dedupe_key(signature.name, signature.city, signature.email or None)
        signature.dedupe_hash = dedupe_hash(
            secret, key.dedupe_salt, signature.petition.code, dedupe
        )
        keep = PUBLIC_COLUMNS[signature.display]
        for name in ("name", "initials", "city", "country", "contact_person"):
            if name not in keep:
                setattr(signature, name, "")
        signature.email = None
    db.session.flush()
    return len(rows)


def clear_signatures(group: Group) -> int:
    """How many signatures of the group are still held in clear (waiting for a key)."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Signature)
        .join(Petition, Petition.id == Signature.petition_id)
        .where(
            Petition.group_id == group.id,
            Signature.sealed.is_(None),
            Signature.reduced_at.is_(None),
        )
    )


# --- unlocking for a browser session -------------------------------------------------------------


def session_hash(user: User) -> str:
    """Ties an unlock to the user's current session token (logout and new passwords end it)."""
    return hashlib.sha256(b"letterkit.unlock\x00" + user.session_token.encode()).hexdigest()


def unlock(group: Group, user: User, passphrase: str) -> tuple[int, str]:
    """Open the private key for this browser session; return the unlock's id and the cookie key
    (base64) the session keeps. Expired unlocks of the user are deleted on the way."""
    key = key_of(group)
    if key is None:
        raise KeyProblem(N_("This group has no key yet."))
    private = open_private_key(key, passphrase)
    now = utcnow()
    db.session.execute(
        sa.delete(KeyUnlock).where(KeyUnlock.user_id == user.id, KeyUnlock.expires_at < now)
    )
    cookie_key = nacl.utils.random(SecretBox.KEY_SIZE)
    minutes = int(current_app.config["SIGNER_KEY_UNLOCK_MINUTES"])
    row = KeyUnlock(
        group_id=group.id,
        user_id=user.id,
        session_hash=session_hash(user),
        wrapped_private_key=_wrap(private, cookie_key),
        revealed=[],
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    db.session.add(row)
    db.session.flush()
    record("signer_key.unlocked", key, group=group, actor=user)
    return row.id, base64.urlsafe_b64encode(cookie_key).decode()


def unlocked(
    group: Group, user: User, unlock_id: int, cookie_key: str, now: datetime | None = None
) -> tuple[KeyUnlock, PrivateKey] | None:
    """The session's unlock and private key, or None when it is gone, expired or not theirs."""
    row = db.session.get(KeyUnlock, unlock_id)
    now = now or utcnow()
    if (
        row is None
        or row.group_id != group.id
        or row.user_id != user.id
        or row.expires_at <= now
        or not hmac.compare_digest(row.session_hash, session_hash(user))
    ):
        return None
    try:
        return row, _unwrap(row.wrapped_private_key, base64.urlsafe_b64decode(cookie_key))
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        return None


def lock(group: Group, user: User) -> None:
    """End every unlock of the user in the group."""
    db.session.execute(
        sa.delete(KeyUnlock).where(KeyUnlock.group_id == group.id, KeyUnlock.user_id == user.id)
    )
    db.session.flush()


def reveal(row: KeyUnlock, petition: Petition, group: Group, actor: User) -> None:
    """Show this unlock the petition's counted-only signers; the audit log names the actor."""
    if petition.id not in row.revealed:
        row.revealed = [*row.revealed, petition.id]
        db.session.flush()
    record("petition.counted_revealed", petition, group=group, actor=actor)
