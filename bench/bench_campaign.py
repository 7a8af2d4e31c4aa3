"""Benchmark of campaign output (design.md section 7: "campaign of 1,000 targets").

Run: ``python bench/bench_campaign.py`` (``make bench``). A campaign of 1,000 targets, letters
in mixed languages (ru, uk, en; the ``embassy-letter`` template, no annex), is written

* as a ZIP of one DOCX per target (:func:`letterkit.documents.write_zip`) and
* as one combined DOCX (:func:`letterkit.documents.write_combined_docx`),

each into a temporary file. Budgets, exit status 1 when one is broken:

* time: each <= 2x the reference, 1,000 x the one-letter "raw zip" of ``bench_documents.py``
  (the same letters, each a Jinja-rendered ``document.xml`` zipped with :mod:`zipfile`);
* memory flat in the number of targets: the peak RSS of a fresh child process writing a
  1,000-target campaign is within 1.2x + 20 MB of a 100-target one.

Times are medians of interleaved repeats (``bench_documents.interleaved``); the letters are
built before timing, as the references get them. In the memory children the letters are built
one by one while they are written (from the catalogue, as the web layer would), and the peak RSS
is read inside the child (VmHWM, ``bench_documents.peak_rss_kb``).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

from bench_documents import RawZip, interleaved, peak_rss_kb, sanity  # noqa: E402

from letterkit.documents import (  # noqa: E402
    Letter,
    LetterContext,
    build_letter,
    default_library,
    write_combined_docx,
    write_zip,
)

TARGETS = 1_000
SMALL = 100
BUDGET_TIME = 2.0
BUDGET_MEMORY_FACTOR = 1.2
BUDGET_MEMORY_SLACK_MB = 20.0
LANGUAGES = ("ru", "uk", "en")
CITIES = (
    "London",
    "Stockholm",
    "Berlin",
    "Bucharest",
    "New York",
    "Canberra",
    "Barcelona",
    "Toronto",
    "Chisinau",
    "Tbilisi",
)

# --------------------------------------------------------------------------------------------
# The campaign
# --------------------------------------------------------------------------------------------


def _contexts() -> dict[str, LetterContext]:
    spec = default_library().get("embassy-letter")
    return {lang: spec.sample_context(lang) for lang in LANGUAGES}


def campaign(count: int) -> Iterator[tuple[str, Letter]]:
    """``count`` targets, built one at a time: (file name, letter), languages in turn."""
    contexts = _contexts()
    for i in range(count):
        lang = LANGUAGES[i % len(LANGUAGES)]
        city = CITIES[i % len(CITIES)]
        context = contexts[lang]
        addressee = dataclasses.replace(
            context.addressee, line=f"{context.addressee.line}\n{city}, target {i + 1}"
        )
        context = dataclasses.replace(
            context, addressee=addressee, reference=f"C-2011/{i + 1}", place=city
        )
        yield f"{i + 1:04d} Russian embassy {city}", build_letter("embassy-letter", lang, context)


def write(kind: str, items: Iterator[tuple[str, Letter]] | list[tuple[str, Letter]]) -> int:
    """Write the campaign as ``kind`` ("zip" or "combined") into a temporary file; its size."""
    with tempfile.TemporaryFile() as out:
        if kind == "zip":
            write_zip(items, out)
        else:
            write_combined_docx((letter for _name, letter in items), out)
        return out.tell()


# --------------------------------------------------------------------------------------------
# Memory: a child process per case
# --------------------------------------------------------------------------------------------


def child(count: int, kind: str) -> None:
    write(kind, campaign(3))  # imports, templates and the base package loaded, as in an app
    gc.collect()
    baseline = peak_rss_kb()
    size = write(kind, campaign(count))
    print(json.dumps({"peak_kb": peak_rss_kb(), "baseline_kb": baseline, "size": size}))


def child_peak_mb(count: int, kind: str) -> tuple[float, float]:
    """(peak RSS, RSS before writing) of a fresh child writing ``count`` targets, MB."""
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(count), kind],
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return data["peak_kb"] / 1024, data["baseline_kb"] / 1024


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def check_outputs(items: list[tuple[str, Letter]]) -> None:
    """The outputs are what they claim to be: ZIP members re-open, the combined DOCX parses."""
    out = io.BytesIO()
    assert write_zip(items[:5], out) == 5
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            sanity(zf.read(name))
    out = io.BytesIO()
    assert write_combined_docx([letter for _n, letter in items[:5]], out) == 5
    sanity(out.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark campaign output.")
    parser.add_argument("--child", nargs=2, metavar=("TARGETS", "KIND"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (for a smoke run)")
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1])
        return 0

    # memory first, from a small parent
    memory: dict[str, dict[int, tuple[float, float]]] = {}
    for kind in ("zip", "combined"):
        memory[kind] = {n: child_peak_mb(n, kind) for n in (SMALL, TARGETS)}

    items = list(campaign(TARGETS))
    letters = [letter for _name, letter in items]
    check_outputs(items)
    raw = RawZip()
    for letter in letters[:3]:
        sanity(raw(letter))
    sizes = {kind: write(kind, items) for kind in ("zip", "combined")}

    def raw_campaign() -> bytes:
        for letter in letters:
            raw(letter)
        return b""

    times = interleaved(
        {
            "zip": lambda: write("zip", items).to_bytes(8, "little"),
            "combined": lambda: write("combined", items).to_bytes(8, "little"),
            "raw zip": raw_campaign,
        },
        repeats=3 if args.quick else 7,
        batch=1,
    )

    failures: list[str] = []
    print(f"Campaign benchmark ({dt.date.today()}, Python {sys.version.split()[0]})")
    print(
        f"{TARGETS:,} targets, languages {'/'.join(LANGUAGES)} in turn, no annex; reference: "
        f"{TARGETS:,} x one raw-zip letter"
    )
    print(f"{'case':<26} {'letterkit':>11} {'reference':>11} {'ratio':>7}  {'budget':<8} output")
    for kind, label in (("zip", "ZIP of DOCX"), ("combined", "combined DOCX")):
        ratio = times[kind] / times["raw zip"]
        print(
            f"{label + f' ({TARGETS:,})':<26} {times[kind]:>10.3f}s {times['raw zip']:>10.3f}s "
            f"{ratio:>6.2f}x  <= {BUDGET_TIME}x  {sizes[kind] / 1024:,.0f} kB"
        )
        if ratio > BUDGET_TIME:
            failures.append(f"{label}: {ratio:.2f}x raw zip > {BUDGET_TIME}x")
    print()
    print(
        f"{'memory (peak RSS)':<26} {f'{SMALL:,} targets':>11} {f'{TARGETS:,} targets':>13} "
        f"{'limit':>9}  child before writing"
    )
    for kind, label in (("zip", "ZIP of DOCX"), ("combined", "combined DOCX")):
        small, small_base = memory[kind][SMALL]
        large, large_base = memory[kind][TARGETS]
        limit = small * BUDGET_MEMORY_FACTOR + BUDGET_MEMORY_SLACK_MB
        print(
            f"{label:<26} {small:>9.1f}MB {large:>11.1f}MB {limit:>7.1f}MB  "
            f"{small_base:.1f} / {large_base:.1f} MB"
        )
        if large > limit:
            failures.append(
                f"{label}: peak RSS {large:.1f} MB for {TARGETS:,} targets > {limit:.1f} MB "
                f"({BUDGET_MEMORY_FACTOR}x + {BUDGET_MEMORY_SLACK_MB:.0f} MB of {SMALL:,} targets)"
            )
    print(
        "times: median of interleaved repeats, output written to a temporary file; memory: peak "
        f"RSS (VmHWM) of a child process per case, limit {BUDGET_MEMORY_FACTOR}x the "
        f"{SMALL:,}-target peak + {BUDGET_MEMORY_SLACK_MB:.0f} MB"
    )
    if failures:
        print("BUDGET BROKEN:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("all budgets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
