"""Size limits that keep modules and functions readable: 700 lines a module, 80 a function.

``PENDING_SPLIT`` lists the offenders that were there when the limits came in (issue #17); they
are being split. The list may only shrink: an entry that no longer exceeds its limit fails too,
so it is removed as soon as its split lands.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "letterkit"
ROOT = PACKAGE.parent
MODULE_LINES = 700
FUNCTION_LINES = 80

# "path" for a module, "path::qualname" for a function or method.
PENDING_SPLIT: set[str] = {
    "letterkit/tracking/views.py",
}


def _functions(node: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """Yield (qualname, line count) of every function and method below ``node``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{child.name}"
            if not isinstance(child, ast.ClassDef):
                assert child.end_lineno is not None
                yield name, child.end_lineno - child.lineno + 1
            yield from _functions(child, f"{name}.")
        else:
            yield from _functions(child, prefix)


def sizes() -> dict[str, tuple[int, int]]:
    """Every module and function of the package: name -> (line count, limit)."""
    found: dict[str, tuple[int, int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        found[name] = (len(source.splitlines()), MODULE_LINES)
        for qualname, lines in _functions(ast.parse(source, filename=name)):
            found[f"{name}::{qualname}"] = (lines, FUNCTION_LINES)
    return found


def test_modules_and_functions_are_within_their_size_limits() -> None:
    offenders = [
        f"{name}: {lines} lines (limit {limit})"
        for name, (lines, limit) in sizes().items()
        if lines > limit and name not in PENDING_SPLIT
    ]
    assert not offenders, "split these, or shorten them:\n" + "\n".join(offenders)


def test_pending_splits_are_still_pending() -> None:
    found = sizes()
    done = sorted(
        name for name in PENDING_SPLIT if name not in found or found[name][0] <= found[name][1]
    )
    assert not done, (
        "these no longer exceed their limit (or are gone); remove them from PENDING_SPLIT:\n"
        + "\n".join(done)
    )
