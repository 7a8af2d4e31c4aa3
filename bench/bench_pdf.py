"""Benchmark of PDF making: the warm LibreOffice against a one-shot ``soffice``, in one run.

Run: ``python bench/bench_pdf.py`` (``make bench``, which sets up unoserver in ``.venv-uno``).
Prints two lines and exits non-zero when a budget is broken:

* ``pdf warm``: the median time of one letter through the warm service and through a one-shot
  ``soffice`` (same letter, interleaved); budget: warm at least 5x faster.
* ``pdf rss``: the peak summed RSS of every LibreOffice process (``soffice.bin``, sampled every
  50 ms from /proc) while 16 threads ask for a PDF at once with the default cap (the number of
  cores); budget: RSS_BUDGET_MIB per slot, that is one warm LibreOffice per core, never 16.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from letterkit.documents import (  # noqa: E402
    build_letter,
    pdfservice,  # noqa: E402
    render_docx,
)
from letterkit.documents import pdf as pdf_module  # noqa: E402
from letterkit.documents.pdf import PdfSettings  # noqa: E402
from tests.documents.conftest import simple_context  # noqa: E402

SPEEDUP_BUDGET = 5.0
RSS_BUDGET_MIB = 400  # per slot: one warm LibreOffice with a letter open stays well below it
REPEATS = 5
CONCURRENT = 16


def libreoffice_rss_kib() -> int:
    """The summed RSS of every LibreOffice process on the machine, in KiB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if "\nName:\tsoffice.bin" not in "\n" + text:
            continue
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def main() -> int:
    unoserver = os.environ.get("LETTERKIT_UNOSERVER") or str(ROOT / ".venv-uno/bin/unoserver")
    soffice = pdf_module.soffice_path()
    if soffice is None or not shutil.which(unoserver):
        print("pdf warm: LibreOffice or unoserver missing (make pdf-service-install)")
        return 1
    docx = render_docx(build_letter("appeal", "ru", simple_context()))
    with tempfile.TemporaryDirectory(prefix="letterkit-bench-") as tmp:
        config = PdfSettings(port=random.randrange(31000, 39000, 2), state_dir=Path(tmp))
        pdf_module.configure(config)
        stop = threading.Event()
        service = threading.Thread(
            target=pdfservice.serve, args=(config, [unoserver]), kwargs={"stop": stop}
        )
        service.start()
        try:
            deadline = time.monotonic() + 90
            while not all(pdf_module.warm_service_up(config, s) for s in range(config.concurrency)):
                if time.monotonic() > deadline:
                    print("pdf warm: the service did not start")
                    return 1
                time.sleep(0.2)
            pdf_module.docx_to_pdf(docx)  # first conversion loads the filters
            warm, cold = [], []
            for _ in range(REPEATS):
                start = time.perf_counter()
                pdf_module.docx_to_pdf(docx)
                warm.append(time.perf_counter() - start)
                start = time.perf_counter()
                pdf_module.convert_one_shot(soffice, docx, work_dir=None)
                cold.append(time.perf_counter() - start)
            speedup = statistics.median(cold) / statistics.median(warm)
            print(
                f"pdf warm {statistics.median(warm):.2f} s vs one-shot soffice "
                f"{statistics.median(cold):.2f} s: {speedup:.1f}x faster "
                f"(budget >= {SPEEDUP_BUDGET:.0f}x)"
            )
            peak = 0
            done = threading.Event()

            def sample() -> None:
                nonlocal peak
                while not done.is_set():
                    peak = max(peak, libreoffice_rss_kib())
                    time.sleep(0.05)

            sampler = threading.Thread(target=sample)
            sampler.start()
            workers = [
                threading.Thread(target=pdf_module.docx_to_pdf, args=(docx,))
                for _ in range(CONCURRENT)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            done.set()
            sampler.join()
        finally:
            stop.set()
            service.join(60)
    budget = RSS_BUDGET_MIB * config.concurrency
    print(
        f"pdf rss peak of LibreOffice under {CONCURRENT} concurrent requests: {peak // 1024} MiB "
        f"({config.concurrency} slots; budget {budget} MiB)"
    )
    return 0 if speedup >= SPEEDUP_BUDGET and peak // 1024 <= budget else 1


if __name__ == "__main__":
    sys.exit(main())
