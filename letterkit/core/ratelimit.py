"""A thread-safe in-memory storage for the rate limits (``RATELIMIT_STORAGE_URI=memory://``).

limits' ``MemoryStorage`` (5.8) restarts a timer thread every 10 ms to drop expired counters and
checks-then-starts it without a lock: when two threads of one process count a hit at the same
moment, both may start the same timer, and the request fails with "RuntimeError: threads can
only be started once" (alisaifee/limits#352). Under gunicorn's threaded workers that turned
signatures into 500 errors. This subclass never starts a thread: counters expire when read (as
in ``MemoryStorage.get``) and a sweep under a lock drops the stale ones every few seconds.

Importing the module registers it for the ``memory`` scheme, in place of limits' own class.
Remove it once limits ships the fix: tests/core/test_ratelimit_upstream.py reproduces the race
on limits' own class and fails when it no longer happens (``limits`` is pinned until then).

:func:`within_limit` counts a request against a limit on Flask-Limiter's own strategy and
storage, without its route decorator: on the public signing endpoint the decorator's bookkeeping
cost more than the count itself.

Logins are limited twice: per client address (the route decorator, ``LOGIN_RATE_LIMIT``) and per
account (:func:`account_allows` and :func:`count_failure`, ``LOGIN_ACCOUNT_RATE_LIMIT``). The
account's counter is keyed by :func:`account_key`, a keyed hash of the normalised e-mail, so no
e-mail address is ever a key in the store (Redis) or in a log line. Only failed attempts count
against an account, and its window is short: whoever tries passwords from many addresses is
slowed down, and a real user is locked out at most one window after the attempts stop.

When the store fails, a public signature is let through (:func:`within_limit`), but a login is
refused with :class:`StoreUnavailable` (a "try again shortly" page, 503): letting logins through
unlimited would open the door to password guessing whenever Redis is down.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from functools import lru_cache
from typing import Any

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage

from letterkit.extensions import limiter

SWEEP_SECONDS = 5.0
log = logging.getLogger(__name__)


class _NoTimer:
    """Stands in for ``MemoryStorage.timer``: reports itself running, so none is started."""

    def is_alive(self) -> bool:
        return True

    def start(self) -> None:
        """Start nothing."""

    def cancel(self) -> None:
        """Cancel nothing."""


class ThreadSafeMemoryStorage(MemoryStorage):
    """``MemoryStorage`` without its expiry timer thread, safe for threaded workers."""

    STORAGE_SCHEME = ["memory"]

    def __init__(
        self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any
    ) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one MemoryStorage started; it has not run yet
        self.timer = _NoTimer()  # type: ignore[assignment]
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self.timer.cancel()
        self.timer = _NoTimer()  # type: ignore[assignment]
        self._sweep_lock = threading.Lock()

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        self.sweep()
        return super().incr(key, expiry, amount)

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        self.sweep()
        return super().acquire_entry(key, limit, expiry, amount)

    def sweep(self, force: bool = False) -> None:
        """Drop expired counters and moving-window entries, at most every ``SWEEP_SECONDS``."""
        now = time.monotonic()
        if not force and now < self._next_sweep:
            return
        if not self._sweep_lock.acquire(blocking=False):
            return  # another thread sweeps
        try:
            self._next_sweep = now + SWEEP_SECONDS
            wall = time.time()
            for key, expires in list(self.expirations.items()):
                if expires <= wall:
                    self.storage.pop(key, None)
                    self.expirations.pop(key, None)
                    self.locks.pop(key, None)
            for key, entries in list(self.events.items()):
                if not entries or entries[0].expiry <= wall:
                    self.events.pop(key, None)
        finally:
            self._sweep_lock.release()


@lru_cache(maxsize=32)
def _items(limits: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(limits))


def check_limits(limits: str, name: str) -> None:
    """Refuse a limit string that does not parse, naming the setting (at start-up)."""
    try:
        if not _items(limits):
            raise ValueError("no limit given")
    except ValueError as error:
        raise ValueError(f"{name} = {limits!r} is not a rate limit: {error}") from None


def within_limit(limits: str, scope: str, key: str | None = None) -> bool:
    """Count this request of this client (or of ``key``, an API token's public id) against
    ``limits`` ("30 per minute;300 per hour") in ``scope``; False when one of them is used up.
    Always True when rate limiting is off.

    When the limit's storage fails (a Redis server down), the request is let through and the
    failure logged without the client's address: losing a supporter's signature would be worse
    than a minute without a limit.
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    client = key or get_remote_address()
    try:
        strategy = limiter.limiter
        return all(strategy.hit(item, scope, client) for item in _items(limits))
    except Exception as error:  # noqa: BLE001 - any storage failure; the type is logged
        log.warning("rate-limit storage failed (%s); %s not limited", _kind(error), scope)
        return True


def _kind(error: Exception) -> str:
    """The type of a storage failure, unwrapped (``RATELIMIT_STORAGE_OPTIONS`` wraps them)."""
    return type(getattr(error, "storage_error", None) or error).__name__


class StoreUnavailable(Exception):
    """The rate-limit store did not answer; the request is refused with 503 ("try again")."""


def account_key(email: str) -> str:
    """The counter key of the account with ``email``: a keyed hash of the normalised address
    (the app's secret as the key), never the address itself."""
    normalised = email.strip().casefold().encode("utf-8")
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    digest = hmac.new(secret, b"login-account\0" + normalised, hashlib.sha256).hexdigest()
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return f"{prefix}account-{digest[:40]}"


def _store_failed(error: Exception, scope: str) -> StoreUnavailable:
    log.warning("rate-limit storage failed (%s); %s refused", _kind(error), scope)
    return StoreUnavailable(scope)


def account_allows(limits: str, scope: str, key: str) -> bool:
    """Whether ``key`` may try again under ``limits`` (nothing is counted). Raises
    :class:`StoreUnavailable` when the store fails."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    try:
        strategy = limiter.limiter
        return all(strategy.test(item, scope, key) for item in _items(limits))
    except Exception as error:  # noqa: BLE001 - any storage failure; the type is logged
        raise _store_failed(error, scope) from None


def count_failure(limits: str, scope: str, key: str) -> None:
    """Count one failed attempt of ``key`` against ``limits``. Raises :class:`StoreUnavailable`
    when the store fails."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    try:
        strategy = limiter.limiter
        for item in _items(limits):
            strategy.hit(item, scope, key)
    except Exception as error:  # noqa: BLE001 - any storage failure; the type is logged
        raise _store_failed(error, scope) from None
