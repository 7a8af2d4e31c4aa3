"""The W3C validator (vnu, the Nu Html Checker) run once over many HTML files.

`make vnu` (and `.ci/run` through `make test`) installs the `vnu-jar` npm package into the
gitignored `.cache/vnu` when it is missing; it needs only Java. ``LETTERKIT_VNU_JAR`` points
elsewhere. One JVM checks every file of a run: starting it costs seconds, checking a page does not.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JAR = ROOT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class Message:
    """One error the validator reported for one file."""

    file: str
    line: int
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}\n    {self.extract.strip()}"


def jar() -> Path:
    """Where the validator's jar is expected."""
    return Path(os.environ.get("LETTERKIT_VNU_JAR", DEFAULT_JAR))


def problem() -> str | None:
    """Why the validator cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "java is not installed (apt-get install default-jre-headless)"
    if not jar().is_file():
        return f"{jar()} is missing (`make vnu` installs it with npm)"
    return None


def errors(files: list[Path]) -> dict[str, list[Message]]:
    """Validate ``files`` in one JVM; return the errors per file name (files without none absent).

    Warnings and notes are not errors. A message about no file in particular (the checker failing
    to read one) is reported under ``"?"`` so that it fails a test instead of vanishing.
    """
    result = subprocess.run(
        ["java", "-jar", str(jar()), "--format", "json", "--no-langdetect", "--exit-zero-always"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"vnu failed ({result.returncode}): {result.stderr[-2000:]}")
    report = json.loads(result.stderr or result.stdout)
    found: dict[str, list[Message]] = {}
    for item in report.get("messages", []):
        if item.get("type") not in ("error", "non-document-error"):
            continue
        name = Path(item["url"].removeprefix("file:")).name if item.get("url") else "?"
        found.setdefault(name, []).append(
            Message(name, int(item.get("lastLine", 0)), item["message"], item.get("extract", ""))
        )
    return found
