"""Whether ``ThreadSafeMemoryStorage`` is still needed, and still fits the limits it subclasses.

letterkit/core/ratelimit.py replaces limits' ``MemoryStorage`` because its expiry timer is
swapped without a lock: ``self.timer = Timer(...)`` then ``self.timer.start()``. When a second
request replaces the timer between those two lines, the first starts the second's timer again and
fails with "threads can only be started once". These tests put that second request exactly there,
deterministically: ``threading.Timer`` is replaced by a fake that starts no thread (and fails on a
second start, as a thread does), and a ``timer`` property runs the second request in another
thread right after the first request assigned a new timer. Upstream's own methods do the rest, so
a fix of any shape (a lock, a local variable, no timer at all) makes the race test fail loudly.
"""

from __future__ import annotations

import inspect
import threading
import tomllib
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from limits.storage import MemoryStorage
from limits.storage import memory as limits_memory

from letterkit.core.ratelimit import ThreadSafeMemoryStorage

LIMITS = version("limits")
FIXED = (
    f"limits {LIMITS} fixed the timer race; remove ThreadSafeMemoryStorage "
    "(letterkit/core/ratelimit.py) and its pin in pyproject.toml"
)
PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


class FakeTimer:
    """Stands in for ``threading.Timer``: starts no thread, but refuses a second start."""

    def __init__(self, made: list[FakeTimer]) -> None:
        self.started = False
        self.finished = False
        made.append(self)

    def start(self) -> None:
        """Start once, as a thread does."""
        if self.started:
            raise RuntimeError("threads can only be started once")
        self.started = True

    def is_alive(self) -> bool:
        """Alive from its start until it has run or been cancelled."""
        return self.started and not self.finished

    def cancel(self) -> None:
        """Never run."""
        self.finished = True


@pytest.fixture
def timers(monkeypatch: pytest.MonkeyPatch) -> list[FakeTimer]:
    """Every timer limits' memory storage makes during the test (none is a thread)."""
    made: list[FakeTimer] = []
    fake_threading = SimpleNamespace(**vars(threading))
    fake_threading.Timer = lambda *args, **kwargs: FakeTimer(made)
    monkeypatch.setattr(limits_memory, "threading", fake_threading)
    return made


def hit_while_timer_is_swapped(base: type[MemoryStorage], timers: list[FakeTimer]) -> Any:
    """Count a hit; when it assigns a new timer, a second hit runs before it reads it back.

    Returns the first hit's exception, or None.
    """
    first = threading.current_thread()
    second_errors: list[BaseException] = []

    class Interleaved(base):  # type: ignore[misc, valid-type]  # no STORAGE_SCHEME: not registered
        """``base`` whose ``timer`` lets a second hit in between the assignment and the read."""

        armed = False
        swapped = False

        @property  # type: ignore[override]
        def timer(self) -> Any:
            if self.swapped and threading.current_thread() is first:
                self.swapped = False
                second = threading.Thread(target=self.second_hit)
                second.start()
                second.join(timeout=2)  # a lock in upstream's way holds it: go on, join later
                self.pending = second
            return self.__dict__["_timer"]

        @timer.setter
        def timer(self, value: Any) -> None:
            self.__dict__["_timer"] = value
            if self.armed and threading.current_thread() is first:
                self.swapped = True

        def second_hit(self) -> None:
            try:
                self.incr("shared", 60)
            except BaseException as error:  # noqa: BLE001 - reported by the test
                second_errors.append(error)

    storage = Interleaved()
    if not timers:
        pytest.fail(
            f"limits {LIMITS} no longer makes threading.Timer in MemoryStorage; the race may be "
            "gone: check, then remove ThreadSafeMemoryStorage or update this test"
        )
    for timer in timers:
        timer.finished = True  # the expiry ran: the next hit starts a new timer
    storage.armed = True
    error: BaseException | None = None
    try:
        storage.incr("shared", 60)
    except RuntimeError as raised:
        error = raised
    finally:
        storage.armed = False
        pending = getattr(storage, "pending", None)
        if pending is not None:
            pending.join(timeout=10)
            assert not pending.is_alive(), "the second hit never finished"
    assert second_errors == []
    return error


def test_limits_memory_storage_still_has_the_timer_race(timers: list[FakeTimer]) -> None:
    error = hit_while_timer_is_swapped(MemoryStorage, timers)
    if error is None:
        pytest.fail(FIXED)
    assert "started once" in str(error)


def test_our_storage_survives_the_same_interleaving(timers: list[FakeTimer]) -> None:
    assert hit_while_timer_is_swapped(ThreadSafeMemoryStorage, timers) is None
    assert len(timers) == 1  # only the one MemoryStorage.__init__ makes, cancelled unstarted


def test_our_storage_touches_only_internals_that_exist(timers: list[FakeTimer]) -> None:
    upstream = MemoryStorage()
    assert isinstance(upstream.storage, Counter)
    assert isinstance(upstream.expirations, dict)
    assert isinstance(upstream.events, dict)
    assert hasattr(upstream.locks, "pop")
    assert isinstance(upstream.timer, FakeTimer)  # made by limits_memory.threading.Timer
    assert callable(MemoryStorage.__setstate__)
    signatures = {
        "__init__": ["self", "uri", "wrap_exceptions", "_"],
        "incr": ["self", "key", "expiry", "amount"],
        "acquire_entry": ["self", "key", "limit", "expiry", "amount"],
    }
    for name, parameters in signatures.items():
        assert list(inspect.signature(getattr(MemoryStorage, name)).parameters) == parameters, name

    made = len(timers)
    ours = ThreadSafeMemoryStorage()
    assert ours.acquire_entry("moving", 5, 60)
    assert isinstance(ours.events["moving"][0].expiry, float)
    ours.incr("fixed", -1)
    ours.sweep(force=True)
    assert "fixed" not in ours.storage and "fixed" not in ours.expirations
    assert len(timers) == made + 1 and not timers[-1].is_alive()  # __init__'s, cancelled


def test_limits_is_pinned_to_the_installed_version() -> None:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    assert f"limits=={LIMITS}" in dependencies, (
        f"limits {LIMITS} is installed: pin it in pyproject.toml once these tests pass with it"
    )
