"""The rows of a document's tables, as every table reader sees them.

One :class:`_Row` per physical line of the layout model, or per ``<tr>`` of an inline HTML table
(``colspan`` / ``rowspan`` expanded into blank cells, so that spanning header cells line up like
their tab-separated equivalents); markdown separator lines dropped. Page furniture between the
rows of a long table (blank lines, watermarks, page numbers) is :func:`_is_noise`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orchestration.extract.text import Line, is_markdown_separator, is_watermark, strip_markup

_HTML_ROW_RE = re.compile(r"<tr\b[^>]*>(.*?)(?:</tr>|(?=<tr\b)|</table>|$)", re.I | re.S)
_HTML_CELL_RE = re.compile(r"<t([dh])\b([^>]*)>(.*?)</t\1>", re.I | re.S)
_HTML_SPAN_RE = re.compile(r"(colspan|rowspan)\s*=\s*[\"']?(\d+)", re.I)
# Page furniture that may sit between two rows of a long table.
_PAGE_NOISE_RE = re.compile(
    r"^(?:[-—－]?\s*\d{1,4}\s*[-—－]?|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|续表)$"
)
# A code printed in the name cell when the table has no code column: "2050101 行政运行".
# Also "2010301-行政运行" and "[30228]工会经费" / "【30228】工会经费" (a bracketed or dashed code).
_CODE_IN_NAME_RE = re.compile(
    r"^(?P<open>[【\[（(])?(?P<code>\d{7}|\d{5}|\d{3})(?(open)[】\]）)])(?!\d)"
    r"(?P<sep>\s*[-－—]\s*|\s*)(?P<name>[^\d\s.\-－—].*)$"
)


@dataclass(frozen=True)
class _Row:
    """One table row as read: a physical line, or one ``<tr>`` of an inline HTML table."""

    number: int
    cells: tuple[str, ...]
    layout: str  # "tsv" | "markdown" | "html" | "text"
    text: str
    # where each cell's text starts on the page (PDF table rows only): indentation
    text_x0: tuple[float | None, ...] = ()

    @property
    def nonblank(self) -> list[tuple[int, str]]:
        return [(i, c) for i, c in enumerate(self.cells) if c.strip()]

    @property
    def joined(self) -> str:
        return " ".join(c for _, c in self.nonblank)

    @property
    def is_table_line(self) -> bool:
        return self.layout != "text" and len(self.cells) >= 2


def _html_grid(text: str) -> list[list[str]]:
    """Rows of an inline HTML table with ``colspan`` / ``rowspan`` expanded into blank cells."""
    grid: list[list[str]] = []
    occupied: set[tuple[int, int]] = set()
    for r, row_html in enumerate(_HTML_ROW_RE.findall(text)):
        out: list[str] = []
        for _, attrs, body in _HTML_CELL_RE.findall(row_html):
            while (r, len(out)) in occupied:
                out.append("")
            spans = {k.lower(): int(v) for k, v in _HTML_SPAN_RE.findall(attrs)}
            colspan, rowspan = max(spans.get("colspan", 1), 1), max(spans.get("rowspan", 1), 1)
            start = len(out)
            out.extend([strip_markup(body)] + [""] * (colspan - 1))
            for dr in range(1, rowspan):
                occupied.update((r + dr, start + dc) for dc in range(colspan))
        while (r, len(out)) in occupied:
            out.append("")
        grid.append(out)
    return grid


def to_rows(lines: list[Line]) -> list[_Row]:
    """The table rows of a document: one per line, one per ``<tr>`` of an inline HTML table."""
    rows: list[_Row] = []
    for line in lines:
        if line.layout == "html":
            for cells in _html_grid(line.text):
                rows.append(_Row(line.number, tuple(c.strip() for c in cells), "html", line.text))
            continue
        if line.layout == "markdown" and is_markdown_separator(line.text):
            continue
        cells = tuple(c.strip() for c in line.cells)
        rows.append(_Row(line.number, cells, line.layout, line.text, line.text_x0 or ()))
    return rows


def _is_noise(row: _Row) -> bool:
    """Blank lines, watermarks ("仅供内部审核", 001) and page furniture inside a table."""
    text = row.joined
    if not text or is_watermark(text):
        return True
    # a page number is a line of its own; a table row holding one small number is data
    return not row.is_table_line and bool(_PAGE_NOISE_RE.match(text.strip()))
