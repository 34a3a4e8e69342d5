"""A folder of N distinct PDF documents made from the development PDFs, for the build bench.

    python -m bench.pdf_corpus TARGET COUNT [--source DIR]

Copy ``k`` of a source PDF (cycling through the sorted PDFs of ``--source``, default
``/work/shared/corpus/dev``) is the source rewritten by pikepdf (qpdf) with one entry added to
its document information dictionary, ``/BenchCopy`` = ``"<source file name> #k"``, and a file
identifier (``/ID``) derived from the new contents. Pages, content streams, fonts and rotation are
those of the source: every copy has its own bytes and sha256 (so it is its own document, extracted,
staged and loaded on its own) and reads exactly as its source. Its printed content is the
source's: the warehouse sees the copies of one source as versions of one publication (same
issuing body, year, kind and scope), one of them current.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_SOURCE = Path("/work/shared/corpus/dev")
COPY_KEY = "/BenchCopy"


def copy_name(source: Path, number: int) -> str:
    return f"{source.stem}-copy{number:04d}{source.suffix}"


def write_copy(source: Path, number: int, out: Path) -> Path:
    """``source`` with ``/BenchCopy`` set in its information dictionary, written to ``out``."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        pdf.docinfo[COPY_KEY] = f"{source.name} #{number}"
        # deterministic_id: /ID is a hash of the written file, so a copy is reproducible
        pdf.save(out, deterministic_id=True)
    return out


def generate(target: Path, count: int, source: Path | None = None) -> list[Path]:
    """Write ``count`` copies into ``target`` (existing ones are kept), cycling through the
    source PDFs in name order: copies 1 of every source first, then copies 2, and so on."""
    sources = sorted((source or DEFAULT_SOURCE).glob("*.pdf"))
    if not sources:
        raise FileNotFoundError(f"no PDF in {source or DEFAULT_SOURCE}")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count):
        path, number = sources[index % len(sources)], index // len(sources) + 1
        out = target / copy_name(path, number)
        if not out.exists():
            write_copy(path, number, out)
        written.append(out)
    return written


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()
    written = generate(args.target, args.count, args.source)
    pages = sum(page_count(path) for path in written)
    print(f"{len(written)} PDF documents, {pages:,} pages, in {args.target}")


if __name__ == "__main__":
    main()
