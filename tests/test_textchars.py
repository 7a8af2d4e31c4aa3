"""One definition of the characters that never go into a letter, used by every layer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from letterkit.textchars import FORBIDDEN, has_forbidden, remove_forbidden

PACKAGE = Path(__file__).resolve().parent.parent / "letterkit"


@pytest.mark.parametrize(
    "char", ["\x00", "\x07", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\x9f", "\ud800", "\ufffe"]
)
def test_forbidden(char: str) -> None:
    assert has_forbidden(f"a{char}b")
    assert remove_forbidden(f"a{char}b") == "ab"


@pytest.mark.parametrize("char", ["\t", "\n", "\r", " ", "\xa0", "é", "ж", "ა", "Ա", "\U0001f600"])
def test_allowed(char: str) -> None:
    assert not has_forbidden(f"a{char}b")
    assert remove_forbidden(f"a{char}b") == f"a{char}b"


def test_no_other_module_defines_the_characters() -> None:
    # A character class starting at NUL is how each of the drifted copies began.
    pattern = re.compile(r"\\x00-\\x08")
    defining = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert defining == ["textchars.py"]
    assert FORBIDDEN.pattern.startswith("[\x00")


def test_the_escaped_class_for_json_schemas_names_the_same_characters() -> None:
    from letterkit.textchars import FORBIDDEN, FORBIDDEN_CLASS_ESCAPED

    escaped = re.compile(f"[{FORBIDDEN_CLASS_ESCAPED}]")
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # no JSON text carries a lone surrogate
        char = chr(code)
        assert bool(escaped.match(char)) == bool(FORBIDDEN.match(char)), hex(code)
