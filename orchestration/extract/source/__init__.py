"""The source layer: turn a document file (a PDF or a text dump) into the one layout model.

Every reader consumes :class:`~orchestration.extract.text.Line` objects only. A text dump (TSV,
markdown, inline HTML) is decoded and split into lines as it always was; a PDF is read page by page
into visual lines and table rows (see :mod:`orchestration.extract.source.pdf`). Both also give the
layout provenance rows (``raw.layout_lines`` / ``raw.layout_cells``) that tie every line to its
page and box.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orchestration.extract.records import ExtractionWarning, LayoutCell, LayoutLine
from orchestration.extract.text import Line, decode_document, to_lines

PDF_SUFFIX = ".pdf"


@dataclass
class Source:
    """A document as the readers see it: lines, plus how it was read and where each line sits."""

    lines: list[Line]
    encoding: str | None  # "utf-8" / "gb18030" for text dumps; None for PDFs
    reader: str  # the library that read it, with its version ("pdfplumber 0.11.10")
    page_count: int | None = None  # None for text dumps
    layout_lines: list[LayoutLine] = field(default_factory=list)
    layout_cells: list[LayoutCell] = field(default_factory=list)
    # what the source layer could not read (a page that is only an image), never dropped silently
    warnings: list[ExtractionWarning] = field(default_factory=list)

    @property
    def line_count(self) -> int:
        return len(self.lines)


TEXT_READER = "text"


def read_text(data: bytes, file_name: str) -> Source:
    """A text dump: decoded (UTF-8 or GB18030) and split into lines with cells."""
    text, encoding = decode_document(data, file_name)
    lines = to_lines(text)
    layout = [
        LayoutLine(
            source_line=line.number,
            page_number=None,
            page_width=None,
            page_height=None,
            x0=None,
            top=None,
            x1=None,
            bottom=None,
            text=line.text,
        )
        for line in lines
    ]
    return Source(lines=lines, encoding=encoding, reader=TEXT_READER, layout_lines=layout)


def is_pdf(data: bytes, file_name: str) -> bool:
    """A file is read as a PDF when it is named .pdf or starts with the PDF header."""
    return file_name.lower().endswith(PDF_SUFFIX) or data[:1024].lstrip().startswith(b"%PDF")


def read_source(data: bytes, file_name: str) -> Source:
    """Read a document file into lines.

    Raises:
        DocumentError: the file cannot be read (empty, binary, not a readable PDF, scanned …).
    """
    if is_pdf(data, file_name):
        from orchestration.extract.source.pdf import read_pdf

        return read_pdf(data, file_name)
    return read_text(data, file_name)
