"""Regenerate ``reference.docx``, the styles every letter is written with.

Usage: ``python -m letterkit.documents.make_reference [--check]``

The styles are defined in :func:`letterkit.documents.docx_reference.build_reference`. The output
is deterministic, so ``--check`` can tell in CI whether the committed file is up to date.
"""

from __future__ import annotations

import argparse
import sys

from letterkit.documents.docx_reference import REFERENCE_PATH, build_reference


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) ``reference.docx``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    data = build_reference()
    if args.check:
        current = REFERENCE_PATH.read_bytes() if REFERENCE_PATH.exists() else b""
        if current != data:
            print(f"{REFERENCE_PATH} is out of date; run make_reference", file=sys.stderr)
            return 1
        print(f"{REFERENCE_PATH} is up to date")
        return 0
    REFERENCE_PATH.write_bytes(data)
    print(f"wrote {REFERENCE_PATH} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
