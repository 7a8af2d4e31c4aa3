"""Parts the signing endpoint relies on under load: the thread-safe in-memory rate-limit storage
and the trivial health endpoint the benchmark compares it with."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from limits.storage import storage_from_string

from letterkit.core.ratelimit import ThreadSafeMemoryStorage
from tests.conftest import Client


def test_memory_scheme_gets_the_thread_safe_storage(app: Flask) -> None:
    storage = storage_from_string("memory://")
    assert isinstance(storage, ThreadSafeMemoryStorage)


def test_concurrent_hits_are_all_counted_and_start_no_thread(app: Flask) -> None:
    storage = ThreadSafeMemoryStorage()
    threads_before = set(threading.enumerate())
    errors: list[BaseException] = []
    start = threading.Barrier(16)

    def hit() -> None:
        try:
            start.wait(timeout=10)
            for n in range(500):
                storage.incr("shared", 60)
                storage.incr(f"short-{n % 7}", 0.001)  # expires at once, as keys churn
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    workers = [threading.Thread(target=hit) for _ in range(16)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert errors == []
    assert storage.get("shared") == 16 * 500
    started = set(threading.enumerate()) - threads_before - set(workers)
    assert started == set()  # MemoryStorage would have started expiry timers


def test_expired_counters_are_swept(app: Flask) -> None:
    storage = ThreadSafeMemoryStorage()
    for n in range(100):
        storage.incr(f"client-{n}", -1)  # a window that has already ended
    storage.incr("lasting", 60)
    assert len(storage.storage) == 101
    storage.sweep()  # not due yet: nothing happens
    assert len(storage.storage) == 101
    storage.sweep(force=True)
    assert set(storage.storage) == {"lasting"}
    assert set(storage.expirations) == {"lasting"}


def test_healthz_answers_ok_without_a_session(client: Client, coordinator: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data() == b"ok"
    assert response.mimetype == "text/plain"
    assert "Set-Cookie" not in response.headers
