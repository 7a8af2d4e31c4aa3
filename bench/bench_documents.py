"""Benchmark of the DOCX writer against references run beside it in the same process.

Run: ``python bench/bench_documents.py`` (``make bench``). Prints a table of ratios and exits
non-zero when a budget of design.md section 7 is broken:

* one letter, no annex: <= 2x "raw zip" and faster than docxtpl;
* letter with a 2,000-signature annex: <= 3x raw zip;
* letter with a 100,000-signature annex: <= 3x raw zip, peak memory <= 400 MB.

"Raw zip" is the same letter as a Jinja-rendered ``word/document.xml`` (the same paragraphs,
runs and table rows the writer produces, escaped by Jinja's autoescape) zipped with
:mod:`zipfile` together with the other parts of ``reference.docx``. docxtpl renders a template
``.docx`` made from the same content (built here with the letterkit writer, Jinja tags as text).

Times are medians of several repeats, the contenders interleaved so drift hits both alike.
Peak memory is the peak RSS of a fresh child process that builds and renders the letter, read
inside the child from ``/proc/self/status`` (VmHWM; ``resource.getrusage(RUSAGE_SELF)`` where
there is no /proc — on Linux ru_maxrss would include the forking parent). The child's whole
interpreter is included, and the 100,000 rows are a list held in memory, as after a database
fetch.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import io
import json
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import jinja2  # noqa: E402
from lxml import etree  # noqa: E402

from letterkit.documents import (  # noqa: E402
    Annex,
    Letter,
    build_letter,
    default_library,
    get_locale,
    render_docx,
)
from letterkit.documents.docx_reference import REFERENCE_PATH  # noqa: E402

BUDGET_ONE = 2.0
BUDGET_ANNEX = 3.0
BUDGET_MEMORY_MB = 400.0

# --------------------------------------------------------------------------------------------
# The letters
# --------------------------------------------------------------------------------------------


def base_letter() -> Letter:
    spec = default_library().get("appeal")
    return build_letter("appeal", "ru", spec.sample_context("ru"))


def signatory_rows(count: int) -> list[tuple[str, str, str]]:
    rows = []
    for i in range(1, count + 1):
        if i % 97 == 0:
            rows.append((f"ასოციაცია „მაგალითი“ {i}", "თბილისი", "საქართველო"))
        elif i % 89 == 0:
            rows.append((f"Harm Reduction & Rights Network {i}", "Chișinău", "Moldova"))
        elif i % 2:
            rows.append(
                (
                    f"Организация сообщества людей, употребляющих наркотики, № {i}",
                    "Кишинёв",
                    "Молдова",
                )
            )
        else:
            rows.append((f"Иван Иванович Петров-{i}", "Москва", "Россия"))
    return rows


def letter_with_annex(count: int) -> Letter:
    loc = get_locale("ru")
    annex = Annex(
        title=loc.annex_default_title, columns=loc.annex_columns, rows=signatory_rows(count)
    )
    return dataclasses.replace(base_letter(), annex=annex)


# --------------------------------------------------------------------------------------------
# Reference 1: raw zip (Jinja document.xml + zipfile with the reference's other parts)
# --------------------------------------------------------------------------------------------

RAW_TEMPLATE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>
{%- macro para(style, lines, ppr="") -%}
<w:p><w:pPr><w:pStyle w:val="{{ style }}"/>{{ ppr|safe }}</w:pPr>
{%- for line in lines %}{% if not loop.first %}<w:r><w:br/></w:r>{% endif -%}
<w:r><w:t xml:space="preserve">{{ line }}</w:t></w:r>{% endfor %}</w:p>
{%- endmacro -%}
{% for line in letterhead %}{{ para("Letterhead", [line]) }}{% endfor %}
{{- para("Requisites", requisites) }}{{ para("Requisites", []) }}
{{- para("Addressee", addressee, '<w:spacing w:after="240"/><w:ind w:left="5386"/>') }}
{{- para("Subject", [subject]) }}{{ para("Salutation", [salutation]) }}
{%- for p in paragraphs %}{{ para("Body", [p]) }}{% endfor %}
{{- para("Body", [demands_intro], "<w:keepNext/>") }}
{%- for d in demands %}{{ para("Demand", [d]) }}{% endfor %}
{%- for p in paragraphs_after %}{{ para("Body", [p]) }}{% endfor %}
{%- if annex %}{{ para("AnnexNote", [annex_note]) }}{% endif %}
<w:tbl><w:tblPr><w:tblW w:w="10205" w:type="dxa"/></w:tblPr><w:tblGrid>\
<w:gridCol w:w="10205"/></w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc>
{{- para("Closing", [closing]) }}{{ para("Signature", [signature], '<w:tabs><w:tab w:val="right" \
w:pos="10205"/></w:tabs>') }}</w:tc></w:tr></w:tbl><w:p/>
{%- if annex %}{{ para("AnnexCaption", [caption]) }}{{ para("AnnexTitle", [annex.title]) }}
<w:tbl><w:tblPr><w:tblStyle w:val="AnnexTable"/><w:tblW w:w="10205" w:type="dxa"/>\
<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{% for w in widths %}<w:gridCol w:w="{{ w }}"/>\
{% endfor %}</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>
{%- for c in header %}<w:tc><w:p><w:pPr><w:pStyle w:val="AnnexCell"/></w:pPr><w:r><w:rPr><w:b/>\
</w:rPr><w:t xml:space="preserve">{{ c }}</w:t></w:r></w:p></w:tc>{% endfor %}</w:tr>
{%- for row in rows %}<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:p><w:pPr><w:pStyle \
w:val="AnnexCell"/></w:pPr><w:r><w:t>{{ loop.index }}</w:t></w:r></w:p></w:tc>
{%- for c in row %}<w:tc><w:p><w:pPr><w:pStyle w:val="AnnexCell"/></w:pPr><w:r><w:t \
xml:space="preserve">{{ c }}</w:t></w:r></w:p></w:tc>{% endfor %}</w:tr>{% endfor %}</w:tbl><w:p/>
{%- endif %}
<w:sectPr>{{ sect_refs|safe }}<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" \
w:right="567" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>\
<w:titlePg/></w:sectPr></w:body></w:document>"""

CORE_TEMPLATE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/\
core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/\
terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{{ subject }}</dc:title>\
<dc:creator>{{ sender }}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{{ stamp }}\
</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{{ stamp }}</dcterms:modified>\
</cp:coreProperties>"""


class RawZip:
    """The reference: Jinja renders document.xml, zipfile packs it with the static parts."""

    def __init__(self) -> None:
        env = jinja2.Environment(autoescape=True)
        self.document = env.from_string(RAW_TEMPLATE)
        self.core = env.from_string(CORE_TEMPLATE)
        with zipfile.ZipFile(REFERENCE_PATH) as zf:
            self.parts = [
                (info.filename, zf.read(info.filename))
                for info in zf.infolist()
                if info.filename not in ("word/document.xml", "docProps/core.xml")
            ]
            doc = etree.fromstring(zf.read("word/document.xml"))
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        self.sect_refs = "".join(
            etree.tostring(el, encoding="unicode") for el in doc.findall(".//w:headerReference", ns)
        )

    def context(self, letter: Letter) -> dict[str, object]:
        loc = get_locale(letter.language)
        sender, addressee, sig = letter.sender, letter.addressee, letter.signature
        annex = letter.annex
        return {
            "letterhead": [sender.name, *sender.address_lines, *sender.contacts],
            "requisites": loc.requisite_lines(
                reference=letter.reference, day=letter.date, place=letter.place
            ),
            "addressee": [*addressee.line.split("\n"), *addressee.address_lines],
            "subject": letter.subject,
            "salutation": letter.salutation,
            "paragraphs": letter.paragraphs,
            "demands_intro": letter.demands_intro,
            "demands": letter.demands,
            "paragraphs_after": letter.paragraphs_after,
            "closing": letter.closing,
            "signature": f"{sig.title}\t{sig.name}",
            "annex": annex,
            "annex_note": loc.annex_line(annex.title, annex.row_count) if annex else "",
            "caption": "caption",
            "widths": [850, 4677, 2339, 2339],
            "header": [loc.row_number, *annex.columns] if annex else [],
            "rows": annex.rows if annex else [],
            "sect_refs": self.sect_refs,
        }

    def __call__(self, letter: Letter) -> bytes:
        xml = self.document.render(self.context(letter))
        core = self.core.render(
            subject=letter.subject, sender=letter.sender.name, stamp=f"{letter.date}T00:00:00Z"
        )
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, blob in self.parts:
                zf.writestr(name, blob)
            zf.writestr("word/document.xml", xml)
            zf.writestr("docProps/core.xml", core)
        return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Reference 2: docxtpl on a template .docx with the same content
# --------------------------------------------------------------------------------------------


class Docxtpl:
    def __init__(self, letter: Letter) -> None:
        from docxtpl import DocxTemplate  # dev dependency

        self.DocxTemplate = DocxTemplate
        template_letter = dataclasses.replace(
            letter,
            subject="{{ subject }}",
            salutation="{{ salutation }}",
            paragraphs=tuple(f"{{{{ paragraphs[{i}] }}}}" for i in range(len(letter.paragraphs))),
            demands_intro="{{ demands_intro }}",
            demands=("{%p for d in demands %}", "{{ d }}", "{%p endfor %}"),
            paragraphs_after=tuple(
                f"{{{{ after[{i}] }}}}" for i in range(len(letter.paragraphs_after))
            ),
            closing="{{ closing }}",
        )
        self.template = render_docx(template_letter)
        self.context = {
            "subject": letter.subject,
            "salutation": letter.salutation,
            "paragraphs": list(letter.paragraphs),
            "demands_intro": letter.demands_intro,
            "demands": list(letter.demands),
            "after": list(letter.paragraphs_after),
            "closing": letter.closing,
        }

    def __call__(self, letter: Letter) -> bytes:
        tpl = self.DocxTemplate(io.BytesIO(self.template))
        tpl.render(self.context, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()


# --------------------------------------------------------------------------------------------
# Timing and memory
# --------------------------------------------------------------------------------------------


def interleaved(
    contenders: dict[str, Callable[[], bytes]], repeats: int, batch: int
) -> dict[str, float]:
    """Median seconds per call of each contender, measured in turns."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for fn in contenders.values():  # warm up: caches, imports
        fn()
    for _ in range(repeats):
        for name, fn in contenders.items():
            gc.collect()
            start = time.perf_counter()
            for _ in range(batch):
                fn()
            samples[name].append((time.perf_counter() - start) / batch)
    return {name: statistics.median(values) for name, values in samples.items()}


def child_peak_mb(rows: int, writer: str) -> tuple[float, float]:
    """(peak RSS, RSS before building the letter) of a fresh child rendering the letter, MB."""
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(rows), writer],
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return data["peak_kb"] / 1024, data["baseline_kb"] / 1024


def peak_rss_kb() -> int:
    """This process's peak RSS in kB: VmHWM from /proc (reset by exec, unlike ru_maxrss,
    which Linux carries over from the forking parent), else getrusage."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(rows: int, writer: str) -> None:
    letter = base_letter()
    render_docx(letter)  # imports and caches loaded, as in a running app
    baseline = peak_rss_kb()
    letter = letter_with_annex(rows)
    data = render_docx(letter) if writer == "letterkit" else RawZip()(letter)
    assert data[:2] == b"PK"
    print(json.dumps({"peak_kb": peak_rss_kb(), "baseline_kb": baseline, "size": len(data)}))


def measure_annex(raw: RawZip, rows: int, repeats: int) -> dict[str, float]:
    letter = letter_with_annex(rows)
    sanity(render_docx(letter))
    sanity(raw(letter))
    return interleaved(
        {"letterkit": lambda: render_docx(letter), "raw zip": lambda: raw(letter)},
        repeats=repeats,
        batch=1,
    )


def sanity(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        etree.fromstring(zf.read("word/document.xml"))


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the DOCX writer.")
    parser.add_argument("--child", nargs=2, metavar=("ROWS", "WRITER"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (for a smoke run)")
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1])
        return 0

    scale = 3 if args.quick else 1
    # memory first, from a small parent
    peak, baseline = child_peak_mb(100_000, "letterkit")
    raw_peak, raw_baseline = child_peak_mb(100_000, "raw")
    raw = RawZip()
    results: list[tuple[str, str, float, float, str]] = []
    failures: list[str] = []

    # one letter, no annex
    letter = base_letter()
    tpl = Docxtpl(letter)
    for produce in (render_docx(letter), raw(letter), tpl(letter)):
        sanity(produce)
    times = interleaved(
        {
            "letterkit": lambda: render_docx(letter),
            "raw zip": lambda: raw(letter),
            "docxtpl": lambda: tpl(letter),
        },
        repeats=max(5, 21 // scale),
        batch=20,
    )
    ratio = times["letterkit"] / times["raw zip"]
    results.append(
        ("one letter", "raw zip", times["letterkit"], times["raw zip"], f"<= {BUDGET_ONE}x")
    )
    results.append(("one letter", "docxtpl", times["letterkit"], times["docxtpl"], "< 1x"))
    if ratio > BUDGET_ONE:
        failures.append(f"one letter: {ratio:.2f}x raw zip > {BUDGET_ONE}x")
    if times["letterkit"] >= times["docxtpl"]:
        failures.append("one letter: not faster than docxtpl")

    # annexes
    for rows, repeats in ((2_000, max(5, 15 // scale)), (100_000, max(3, 5 // scale))):
        times = measure_annex(raw, rows, repeats)
        ratio = times["letterkit"] / times["raw zip"]
        name = f"annex {rows:,} rows"
        results.append(
            (name, "raw zip", times["letterkit"], times["raw zip"], f"<= {BUDGET_ANNEX}x")
        )
        if ratio > BUDGET_ANNEX:
            failures.append(f"{name}: {ratio:.2f}x raw zip > {BUDGET_ANNEX}x")
        gc.collect()

    if peak > BUDGET_MEMORY_MB:
        failures.append(f"annex 100,000 rows: peak RSS {peak:.0f} MB > {BUDGET_MEMORY_MB:.0f} MB")

    print(f"DOCX writer benchmark ({dt.date.today()}, Python {sys.version.split()[0]})")
    print(
        f"{'case':<22} {'reference':<10} {'letterkit':>12} {'reference':>12} {'ratio':>7}  budget"
    )
    for case, ref, mine, theirs, budget in results:
        print(
            f"{case:<22} {ref:<10} {mine * 1000:>10.2f}ms {theirs * 1000:>10.2f}ms "
            f"{mine / theirs:>6.2f}x  {budget}"
        )
    print(
        f"{'annex 100,000 rows':<22} {'memory':<10} {peak:>10.0f}MB {raw_peak:>10.0f}MB "
        f"{peak / raw_peak:>6.2f}x  peak RSS <= {BUDGET_MEMORY_MB:.0f} MB "
        f"(child before rendering: {baseline:.0f} MB; raw zip child {raw_baseline:.0f} MB)"
    )
    print("times: median per letter; memory: peak RSS (VmHWM) of a child process per writer")
    if failures:
        print("BUDGET BROKEN:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("all budgets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
