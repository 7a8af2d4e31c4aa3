"""The documents layer stays pure: no Flask, no SQLAlchemy; python-docx only in the DOCX writer;
its modules import one another one way, at module level."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import letterkit

PACKAGE = Path(letterkit.__file__).parent


def test_import_pulls_no_web_or_database() -> None:
    code = (
        "import sys, letterkit.documents\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', "
        "'flask_sqlalchemy_lite', 'werkzeug'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


#: the DOCX writer's modules that use python-docx; the others (docx_body, docx_writer) do not
DOCX_WRITER_MODULES = [
    "documents/docx_base.py",
    "documents/docx_package.py",
    "documents/docx_reference.py",
]


def test_python_docx_imported_only_by_the_docx_writer() -> None:
    pattern = re.compile(r"^\s*(import docx\b|from docx[\s.])", re.MULTILINE)
    importers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    )
    assert importers == DOCX_WRITER_MODULES


def _documents_imports() -> dict[str, set[str]]:
    """Each module of letterkit.documents -> the modules of letterkit.documents it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / "documents").glob("*.py")):
        name = "letterkit.documents" + ("" if path.stem == "__init__" else f".{path.stem}")
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            edges.update(t for t in targets if t.startswith("letterkit.documents."))
        graph[name] = {t for t in edges if t != name}
    return graph


def test_documents_imports_letterkit_at_module_level_only() -> None:
    inside = []
    for path in sorted((PACKAGE / "documents").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.ImportFrom) and (sub.module or "").startswith(
                        "letterkit"
                    ):
                        inside.append(f"{path.name}:{sub.lineno}")
                    elif isinstance(sub, ast.Import) and any(
                        a.name.startswith("letterkit") for a in sub.names
                    ):
                        inside.append(f"{path.name}:{sub.lineno}")
    assert inside == []


def test_documents_modules_import_one_way() -> None:
    graph = _documents_imports()
    graph.pop("letterkit.documents")  # the package's face imports its modules, nothing else
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
    assert "letterkit.documents.letterhead" in graph["letterkit.documents.docx_writer"]
    assert "letterkit.documents.docx_base" in graph["letterkit.documents.letterhead"]
