"""Extraction throughput per document: `make bench`.

Prints, for each document in the raw directory, the median extraction time over a few repeats,
lines per second, and each document's time relative to the fastest per line (a ratio, so that
results compare across machines). Timing is measured here, never asserted in tests.
"""

from __future__ import annotations

import statistics
import time

from orchestration import ingest
from orchestration.extract.document import extract_document
from orchestration.extract.text import DocumentError, decode_document

REPEATS = 5


def main() -> None:
    rows = []
    for _doc, path in ingest.discover():
        try:
            text, _ = decode_document(path.read_bytes(), path.name)
        except DocumentError as exc:
            print(f"skip {path.name}: {exc}")
            continue
        timings = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            try:
                extract_document(text, path.name)
            except DocumentError as exc:
                print(f"skip {path.name}: {exc}")
                break
            timings.append(time.perf_counter() - start)
        if timings:
            lines = text.count("\n") + 1
            rows.append((path.name, lines, statistics.median(timings)))
    if not rows:
        print("no documents")
        return
    fastest = min(seconds / lines for _, lines, seconds in rows)
    print(f"{'document':<70} {'lines':>7} {'median s':>9} {'lines/s':>9} {'s/line ratio':>12}")
    for name, lines, seconds in rows:
        print(
            f"{name:<70} {lines:>7} {seconds:>9.3f} {lines / seconds:>9.0f} "
            f"{(seconds / lines) / fastest:>12.2f}"
        )


if __name__ == "__main__":
    main()
