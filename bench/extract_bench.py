"""Reading and extraction throughput per document: `make bench`.

Prints, for each document in the raw directory, the median CPU time over a few repeats of reading
it (the source layer: PDF pages or text lines) and of extracting it, lines per second, CPU seconds
per PDF page, and each document's extraction time relative to the fastest per line (a ratio, so
that results compare across machines). Timing is measured here, never asserted in tests.
"""

from __future__ import annotations

import statistics
import time

from orchestration import ingest
from orchestration.extract.document import extract_document
from orchestration.extract.source import read_source
from orchestration.extract.text import DocumentError

REPEATS = 3


def main() -> None:
    rows = []
    for _doc, path in ingest.discover():
        data = path.read_bytes()
        reads, extracts = [], []
        for _ in range(REPEATS):
            start = time.process_time()
            try:
                source = read_source(data, path.name)
            except DocumentError as exc:
                print(f"skip {path.name}: {exc}")
                break
            reads.append(time.process_time() - start)
            start = time.process_time()
            try:
                extract_document(source, path.name)
            except DocumentError as exc:
                print(f"skip {path.name}: {exc}")
                break
            extracts.append(time.process_time() - start)
        if extracts:
            rows.append(
                (
                    path.name,
                    source.line_count,
                    source.page_count,
                    statistics.median(reads),
                    statistics.median(extracts),
                )
            )
    if not rows:
        print("no documents")
        return
    fastest = min(seconds / lines for _, lines, _, _, seconds in rows)
    print(
        f"{'document':<62} {'lines':>6} {'pages':>5} {'read s':>7} {'s/page':>6} "
        f"{'extract s':>9} {'lines/s':>8} {'ratio':>6}"
    )
    for name, lines, pages, read, seconds in rows:
        per_page = f"{read / pages:>6.3f}" if pages else f"{'':>6}"
        print(
            f"{name[:62]:<62} {lines:>6} {pages or '':>5} {read:>7.3f} {per_page} "
            f"{seconds:>9.3f} {lines / seconds:>8.0f} {(seconds / lines) / fastest:>6.2f}"
        )


if __name__ == "__main__":
    main()
