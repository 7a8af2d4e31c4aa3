"""letterkit under gunicorn on loopback, and concurrent supporters signing (standard library only).

Used by the load test (``tests/petitions/test_load.py``) and the benchmark
(``bench/bench_signing.py``). Every address is 127.0.0.1; every loop is bounded; the server is
stopped when the ``with`` block ends, also on errors.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
CSRF_FIELD = re.compile(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"')
RETRIES = 3


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running gunicorn serving ``app:app``."""

    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        """What the server wrote to stdout and stderr so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the master and its workers have used so far; None where
        ``/proc`` cannot tell (not Linux)."""
        pids = [self.process.pid]
        try:
            for task in Path(f"/proc/{self.process.pid}/task").iterdir():
                pids += [int(p) for p in (task / "children").read_text().split()]
            ticks = 0
            for pid in pids:
                # fields after the command name: ... utime (14th) stime (15th) of the whole line
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            return None
        return ticks / os.sysconf("SC_CLK_TCK")


def _environment(database_url: str, secret_key: str, signing_limit: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTERKIT_")}
    env.update(
        LETTERKIT_ENV="production",
        LETTERKIT_DATABASE_URL=database_url,
        LETTERKIT_SECRET_KEY=secret_key,
        LETTERKIT_SIGNING_RATE_LIMIT=signing_limit,
        LETTERKIT_SESSION_COOKIE_SECURE="0",  # plain http on loopback
    )
    return env


def _ready(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        return response.status == 200 and response.read() == b"ok"
    except OSError:
        return False
    finally:
        connection.close()


@contextmanager
def gunicorn(
    database_url: str,
    secret_key: str,
    log_path: Path,
    *,
    workers: int = 4,
    threads: int = 4,
    signing_limit: str = "1000000 per minute",
    start_timeout: float = 30.0,
    app_spec: str = "app:app",
    extra_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Start gunicorn (gthread workers) on a free loopback port; stop it on leaving.
    ``extra_env`` adds to (or overrides) the server's environment."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--bind",
        f"{HOST}:{port}",
        "--chdir",
        str(ROOT),
        "--graceful-timeout",
        "5",
        *extra_args,
        app_spec,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**_environment(database_url, secret_key, signing_limit), **(extra_env or {})},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(port=port, process=process, log_path=log_path)
    try:
        deadline = time.monotonic() + start_timeout
        while not _ready(port):
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{server.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn was not ready in {start_timeout} s:\n{server.log()}")
            time.sleep(0.05)  # poll interval while waiting for the port
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Browser:
    """One client session: a keep-alive connection and its session cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Send a request, reconnecting (at most ``RETRIES`` times) when the connection drops.

        A POST retried after a dropped connection may already have been stored: the server
        then refuses it as a duplicate, which is what "stored exactly once" needs.
        """
        body = urlencode(form).encode() if form is not None else None
        headers = {"Host": f"{HOST}:{self.port}", "Connection": "keep-alive"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(RETRIES + 1):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError):
                self.close()
                self.reconnects += 1
                if attempt == RETRIES:
                    raise
                continue
            for value in response.headers.get_all("Set-Cookie") or []:
                # "name=value; Path=/; HttpOnly": letterkit's cookies need no quoting rules
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.headers.get("Connection", "").lower() == "close":
                self.close()
            return response.status, dict(response.headers.items()), data
        raise AssertionError("unreachable")  # pragma: no cover

    def open_form(self, code: str, prefix: str = "/s") -> str:
        """GET the signing page; return the CSRF token of this session."""
        status, _headers, data = self.request("GET", f"{prefix}/{code}")
        if status != 200:
            raise RuntimeError(f"GET {prefix}/{code} answered {status}")
        match = CSRF_FIELD.search(data.decode("utf-8"))
        if match is None:
            raise RuntimeError("no CSRF token on the signing page")
        return match.group(1)


def signer_form(csrf: str, name: str, n: int) -> dict[str, str]:
    """A valid signing form; the display choice cycles through the three."""
    return {
        "csrf_token": csrf,
        "kind": "person",
        "name": name,
        "city": "Chișinău",
        "country": "MD",
        "email": "",
        "contact_person": "",
        "display": ("full", "initials", "count")[n % 3],
        "consent": "y",
    }


@dataclass
class Run:
    """What a batch of concurrent clients saw."""

    requests: int = 0
    seconds: float = 0.0
    server_cpu: float | None = None
    """CPU seconds the server used during the run (see :meth:`Server.cpu_seconds`)."""
    statuses: Counter[int] = field(default_factory=Counter)
    reconnects: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_ms_per_request(self) -> float | None:
        if self.server_cpu is None or not self.requests:
            return None
        return self.server_cpu * 1000 / self.requests


def _concurrently(
    server: Server,
    clients: int,
    prepare: Callable[[int], Any],
    work: Callable[[int, Any], list[int]],
) -> Run:
    """Run ``prepare(i)`` in each of ``clients`` threads, then time ``work(i, prepared)``
    started together behind a barrier, and count the server's CPU time over the same span."""
    run = Run()
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def thread(i: int) -> None:
        try:
            prepared = prepare(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            with lock:
                run.errors.append(f"client {i} prepare: {exc!r}")
            barrier.abort()
            return
        try:
            barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            return
        try:
            statuses = work(i, prepared)
        except Exception as exc:  # noqa: BLE001 - reported below
            with lock:
                run.errors.append(f"client {i}: {exc!r}")
            return
        with lock:
            run.statuses.update(statuses)
            run.requests += len(statuses)

    threads = [threading.Thread(target=thread, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    try:
        barrier.wait(timeout=120)
    except threading.BrokenBarrierError:
        pass
    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    for t in threads:
        t.join(timeout=300)
    run.seconds = time.perf_counter() - started
    cpu_after = server.cpu_seconds()
    if cpu_before is not None and cpu_after is not None:
        run.server_cpu = cpu_after - cpu_before
    if any(t.is_alive() for t in threads):
        run.errors.append("a client thread did not finish within 300 s")
    return run


def sign_concurrently(
    server: Server, code: str, clients: int, per_client: int, prefix: str, *, path: str = "/s"
) -> Run:
    """``clients`` supporters each GET the form at ``{path}/{code}`` once (for the CSRF token),
    then POST ``per_client`` signatures with names ``{prefix}-{client}-{n}``. Only the POSTs are
    timed."""
    browsers: list[Browser] = []
    lock = threading.Lock()

    def prepare(i: int) -> tuple[Browser, str]:
        browser = Browser(server.port)
        with lock:
            browsers.append(browser)
        return browser, browser.open_form(code, path)

    def work(i: int, prepared: tuple[Browser, str]) -> list[int]:
        browser, csrf = prepared
        statuses = []
        for n in range(per_client):
            form = signer_form(csrf, f"{prefix}-{i:03d}-{n:04d}", n)
            status, headers, _body = browser.request("POST", f"{path}/{code}", form)
            if status == 303 and headers.get("Location") != f"{path}/{code}/thanks":
                raise RuntimeError(f"unexpected redirect to {headers.get('Location')!r}")
            statuses.append(status)
        return statuses

    try:
        run = _concurrently(server, clients, prepare, work)
    finally:
        for browser in browsers:
            browser.close()
    run.reconnects = sum(b.reconnects for b in browsers)
    return run


def get_concurrently(server: Server, path: str, clients: int, per_client: int) -> Run:
    """``clients`` keep-alive clients each GET ``path`` ``per_client`` times."""
    browsers: list[Browser] = []
    lock = threading.Lock()

    def prepare(i: int) -> Browser:
        browser = Browser(server.port)
        with lock:
            browsers.append(browser)
        browser.request("GET", path)  # open the connection before the clock starts
        return browser

    def work(i: int, browser: Browser) -> list[int]:
        return [browser.request("GET", path)[0] for _ in range(per_client)]

    try:
        run = _concurrently(server, clients, prepare, work)
    finally:
        for browser in browsers:
            browser.close()
    run.reconnects = sum(b.reconnects for b in browsers)
    return run
