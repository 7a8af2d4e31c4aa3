"""The README's production recipe, run for real: wheel, fresh venv outside the checkout, gunicorn.

The wheel is built once per session (``pip wheel``, with setup.py's build step that copies the
data folders and compiles the translations) and installed without its dependencies into a new
virtual environment in a temporary folder. The dependencies come from the test's own environment
through a ``.pth`` line, so the test needs no network beyond the build requirements; what is
checked is the wheel's content: everything the app needs must be inside it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        cwd=out,
        timeout=600,
    )
    (built,) = out.glob("letterkit-*.whl")
    return built


@pytest.fixture(scope="session")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home)], check=True)
    purelib = Path(
        subprocess.run(
            [
                home / "bin" / "python",
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies of this environment, after the venv's own site-packages (which wins).
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "_letterkit_deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    with zipfile.ZipFile(wheel) as archive:  # what pip does for a pure-Python wheel
        archive.extractall(purelib)
    for script in ("flask", "gunicorn"):
        target = home / "bin" / script
        module, function = {
            "flask": ("flask.cli", "main"),
            "gunicorn": ("gunicorn.app.wsgiapp", "run"),
        }[script]
        target.write_text(
            f"#!{home / 'bin' / 'python'}\nimport sys\nfrom {module} import {function}\nsys.exit({function}())\n"
        )
        target.chmod(0o755)
    return home


def test_the_wheel_carries_data_and_compiled_translations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "letterkit/letter_templates/README.md",
        "letterkit/static/css/letterkit.css",
        "letterkit/migrations/env.py",
        "letterkit/catalogue/data/countries.toml",
        "letterkit/deadlines/rules.toml",
        "letterkit/translations/ru/LC_MESSAGES/messages.mo",
    ):
        assert expected in names, expected
    assert not any(name.startswith(("tests/", "bench/")) for name in names)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, answer.headers.get("Content-Type", ""), answer.read()


def test_production_recipe_from_the_wheel(venv: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "srv"  # outside the checkout: nothing can come from the source tree
    workdir.mkdir()
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(workdir),
        "LETTERKIT_SECRET_KEY": "a" * 48,
        "LETTERKIT_DATABASE_URL": f"sqlite:///{workdir / 'letterkit.sqlite3'}",
        "LETTERKIT_SESSION_COOKIE_SECURE": "0",
    }

    def flask(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(venv / "bin" / "flask"), "--app", "letterkit", "letterkit", *args],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import letterkit; print(letterkit.__file__)"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in probe.stdout, probe.stdout  # the installed copy, not the checkout

    migrated = flask("migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "Database is at revision" in migrated.stdout

    rendered = flask(
        "render", "--template", "appeal", "--authority", "ru-minzdrav", "--demand-set",
        "inpud-2011-russia", "--lang", "ru", "--sample", "--out", str(workdir / "letter.docx"),
    )  # fmt: skip
    assert rendered.returncode == 0, rendered.stderr
    assert (workdir / "letter.docx").read_bytes()[:2] == b"PK"

    port = _free_port()
    server = subprocess.Popen(
        [str(venv / "bin" / "gunicorn"), "--workers", "2", "--worker-class", "gthread",
         "--threads", "2", "--bind", f"127.0.0.1:{port}", "letterkit:create_app()"],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _type, body = _get(base + "/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert (status, body) == (200, b"ok")
        status, content_type, body = _get(base + "/static/css/letterkit.css")
        assert status == 200 and content_type.startswith("text/css") and len(body) > 1000
        # The first page of a new installation, in Russian: the compiled catalogue is there.
        status, _type, body = _get(base + "/", **{"Accept-Language": "ru"})
        assert status == 200
        assert "Создать группу" in body.decode(), body.decode()[:500]
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "Traceback" not in output, output
