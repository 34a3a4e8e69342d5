"""Read a PDF into the layout model: per page, in reading order, one line per visual text line and
one tab-separated line per table row.

How a page is read (pdfplumber on pdfminer, which turns pages printed with ``/Rotate`` upright):

1. **Characters**: glyphs that are not upright (diagonal watermarks) are dropped; the rest are
   grouped into words and every text is NFKC-normalised (Kangxi radicals such as ⼀ → 一,
   compatibility glyphs, full-width digits), so the readers match one spelling.
2. **Ruled tables** come from the page's lines and rectangles (``find_tables``). Only the smallest
   cells are kept (a frame drawn around the whole table, title included, is not a cell); their
   edges make a grid, and a cell spanning several grid columns or rows prints its text in its first
   column / row and "" in the others — the shape of a spanning header in a text dump. The text of
   a cell is every word inside it, wrapped lines joined, so a wrapped name is one cell.
3. **Tables without ruling** are found among the remaining text lines: a run of consecutive lines
   whose words fall into columns separated by gaps at the same positions (see
   :func:`_unruled_tables`). A line holding text only in its first column continues the name of
   the row above (a name broken over two lines is one name).
4. **Page furniture**: page numbers ("3", "- 3 -", "第 3 页", "3/17") in the top or bottom margin,
   and margin lines repeated on most pages, are dropped.

Each emitted line gets its page number and box, and each table cell its box (``raw.layout_lines``
and ``raw.layout_cells``).
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from orchestration.extract.records import ExtractionWarning, LayoutCell, LayoutLine
from orchestration.extract.source import Source
from orchestration.extract.text import DocumentError, Line

READER = f"pdfplumber {pdfplumber.__version__}"
# Share of the page height at the top and bottom where headers, footers and page numbers sit.
MARGIN_SHARE = 0.09
# A margin line printed on at least this share of the pages (and on 3 or more) is furniture.
REPEATED_SHARE = 0.5
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—－–]?\s*\d{1,4}\s*[-—－–]?|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
# The end-of-file marker must sit within this many bytes of the end (trailing junk is tolerated).
TAIL_BYTES = 8192
# Two positions closer than this (points) are the same edge.
EDGE_TOLERANCE = 2.0
_ASCII_WORD_END = re.compile(r"[A-Za-z]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z]")
# Unruled tables: a column gap is at least this many character widths.
COLUMN_GAP_CHARS = 1.6
MIN_UNRULED_ROWS = 3


def _d(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


@functools.lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    if "\uff01" <= char <= "\uff65" and not char.isalnum() and char != "．":
        return char  # full-width punctuation （）：，；％ is how Chinese text is written: kept
    return unicodedata.normalize("NFKC", char)


def nfkc(text: str) -> str:
    """NFKC-normalised text: Kangxi radicals (⼀ → 一), compatibility ideographs, full-width digits
    and letters, the full-width full stop (a decimal point in "123．45"), ideographic and no-break
    spaces folded; other full-width punctuation kept as printed, as in the text dumps the readers
    were written on."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", "".join(_fold(char) for char in text))


@dataclass
class _Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    # (x0, x1, text) of each character, for splitting a word at a ruling it crosses
    chars: tuple[tuple[float, float, str], ...] = ()

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Item:
    """One line of a page before numbering: a text line (one cell) or a table row."""

    top: float
    cells: list[str]
    boxes: list[tuple[float, float, float, float]]
    is_table: bool
    order: int = 0  # tie-break: rows of one table keep their order
    # x where each cell's text starts (its first word on its first line), None for a blank cell
    text_x0: list[float | None] = field(default_factory=list)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (
            min(b[0] for b in self.boxes),
            min(b[1] for b in self.boxes),
            max(b[2] for b in self.boxes),
            max(b[3] for b in self.boxes),
        )

    @property
    def text(self) -> str:
        return "\t".join(self.cells) if self.is_table else self.cells[0]


@dataclass
class _Page:
    number: int
    width: float
    height: float
    items: list[_Item] = field(default_factory=list)
    has_text: bool = False


# --- opening --------------------------------------------------------------------------------
def _check_header(data: bytes, file_name: str) -> None:
    head = data[:2048].lstrip().lower()
    if not head:
        raise DocumentError(file_name, "file is empty")
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<")):
        raise DocumentError(
            file_name,
            "an HTML page saved with a .pdf name, not a PDF (the download saved the web page "
            "instead of the document)",
        )
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(file_name, "not a readable PDF: the file has no PDF header")
    if b"%%EOF" not in data[-TAIL_BYTES:]:
        # a cut download: pdfminer may still parse a few objects, but pages would be missing
        raise DocumentError(
            file_name,
            "not a readable PDF: the file is truncated (it does not end with the %%EOF marker)",
        )


def _open(data: bytes, file_name: str) -> Any:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # noqa: B018 - parses the page tree, where a damaged file fails
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise DocumentError(
            file_name, "encrypted PDF: it cannot be opened without its password"
        ) from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise DocumentError(
                file_name, "encrypted PDF: it cannot be opened without its password"
            ) from exc
        raise DocumentError(file_name, f"not a readable PDF: {_reason(cause)}") from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise DocumentError(file_name, f"not a readable PDF: {_reason(exc)}") from exc
    return pdf


def _reason(exc: object) -> str:
    text = str(exc).strip() or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, str) else text


# --- words ----------------------------------------------------------------------------------
def _words(page: Any) -> list[_Word]:
    upright = page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("upright", True))
    words = upright.extract_words(
        x_tolerance=1.5, y_tolerance=2.5, keep_blank_chars=False, return_chars=True
    )
    out = []
    for w in words:
        text = nfkc(w["text"]).strip()
        if text:
            chars = tuple((c["x0"], c["x1"], c["text"]) for c in w.get("chars", ()))
            out.append(_Word(text, w["x0"], w["top"], w["x1"], w["bottom"], chars))
    return out


def _split_at_rulings(words: list[_Word], tables: list[Any]) -> list[_Word]:
    """Words split where a ruled cell boundary crosses them.

    Two wrapped headers printed side by side in narrow ruled cells may come out of the text
    layer as one word running over the ruling between them: "公务用车购置" | "公务用车运行" read
    as "公务用车购置公务用车运行" (Xi'an 2026 p. 33), its centre on the ruling. Each part goes to
    the cell it is printed in.
    """
    cells = [tuple(c) for table in tables for c in table.cells]
    if not cells:
        return words
    out: list[_Word] = []
    for word in words:
        cuts = sorted(
            {
                x
                for c in cells
                if c[1] <= word.cy <= c[3]
                for x in (c[0], c[2])
                if word.x0 + EDGE_TOLERANCE < x < word.x1 - EDGE_TOLERANCE
            }
        )
        if not cuts or not word.chars:
            out.append(word)
            continue
        parts: list[list[tuple[float, float, str]]] = [[]]
        for char in word.chars:
            while cuts and (char[0] + char[1]) / 2 > cuts[0]:
                cuts.pop(0)
                if parts[-1]:
                    parts.append([])
            parts[-1].append(char)
        for part in parts:
            text = nfkc("".join(c[2] for c in part)).strip()
            if text:
                out.append(_Word(text, part[0][0], word.top, part[-1][1], word.bottom, tuple(part)))
    return out


def _group_lines(words: list[_Word]) -> list[list[_Word]]:
    """Words grouped into visual lines (vertical centres within half a line), left to right."""
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.cy, w.x0)):
        if lines:
            last = lines[-1]
            top = min(w.top for w in last)
            bottom = max(w.bottom for w in last)
            if (
                top - 0.5 < word.cy < bottom + 0.5
                and abs(word.cy - (top + bottom) / 2) < max(word.size, bottom - top) * 0.5
            ):
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _text_item(line: list[_Word]) -> _Item:
    box = (
        min(w.x0 for w in line),
        min(w.top for w in line),
        max(w.x1 for w in line),
        max(w.bottom for w in line),
    )
    return _Item(box[1], [_join_words(line)], [box], False)


def _join_words(words: list[_Word]) -> str:
    return " ".join(w.text for w in words)


def _join_wrapped(parts: list[str]) -> str:
    """Lines of one cell joined: no space at a wrap, except between two Latin words."""
    out = ""
    for part in parts:
        if out and _ASCII_WORD_END.search(out) and _ASCII_WORD_START.search(part):
            out += " "
        out += part
    return out


# --- ruled tables ---------------------------------------------------------------------------
def _cluster(values: list[float]) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if edges and value - edges[-1] <= EDGE_TOLERANCE:
            continue
        edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    best = min(range(len(edges)), key=lambda i: abs(edges[i] - value))
    return best


def _minimal_cells(cells: list[tuple[float, float, float, float]]) -> list[tuple]:
    """Cells that hold no other cell (a frame around the table and its title is no cell)."""
    kept = []
    by_area = sorted(cells, key=lambda c: (c[2] - c[0]) * (c[3] - c[1]))
    for i, cell in enumerate(by_area):
        x0, top, x1, bottom = cell
        inner = False
        for other in by_area[:i]:
            cx, cy = (other[0] + other[2]) / 2, (other[1] + other[3]) / 2
            if x0 < cx < x1 and top < cy < bottom:
                inner = True
                break
        if not inner:
            kept.append(cell)
    return kept


def _ruled_table_items(table: Any, words: list[_Word], used: set[int]) -> list[_Item]:
    cells = _minimal_cells([tuple(c) for c in table.cells])
    if len(cells) < 2:
        return []
    xs = _cluster([v for c in cells for v in (c[0], c[2])])
    ys = _cluster([v for c in cells for v in (c[1], c[3])])
    placed: dict[tuple[int, int], tuple[tuple, list[_Word]]] = {}
    for cell in cells:
        key = (_index(ys, cell[1]), _index(xs, cell[0]))
        if key not in placed:
            placed[key] = (cell, [])
    order = sorted(placed, key=lambda k: (k[0], k[1]))
    # every word goes to the cell holding its centre
    for i, word in enumerate(words):
        if i in used:
            continue
        for key in order:
            cell = placed[key][0]
            if cell[0] <= word.cx <= cell[2] and cell[1] <= word.cy <= cell[3]:
                placed[key][1].append(word)
                used.add(i)
                break
    # a grid column where no cell holds text (a margin column of the frame) is dropped
    columns = sorted({k[1] for k, (_, ws) in placed.items() if ws})
    col_index = {c: i for i, c in enumerate(columns)}
    items: list[_Item] = []
    for row in sorted({k[0] for k in placed}):
        keys = [k for k in order if k[0] == row and k[1] in col_index]
        texts = [""] * len(columns)
        boxes: list[tuple[float, float, float, float]] = [None] * len(columns)  # type: ignore[list-item]
        starts: list[float | None] = [None] * len(columns)
        for key in keys:
            cell, cell_words = placed[key]
            lines = _group_lines(cell_words)
            texts[col_index[key[1]]] = _join_wrapped([_join_words(line) for line in lines])
            boxes[col_index[key[1]]] = cell
            if lines:
                starts[col_index[key[1]]] = lines[0][0].x0
        if not any(texts):
            continue
        row_box = (
            min(b[0] for b in boxes if b),
            min(b[1] for b in boxes if b),
            max(b[2] for b in boxes if b),
            max(b[3] for b in boxes if b),
        )
        if sum(1 for t in texts if t) == 1 and (len(keys) == 1 or len(columns) == 1):
            # one cell across the whole table (a title, a unit or a note inside the frame):
            # each of its visual lines is a text line
            cell, cell_words = placed[keys[0]]
            for line in _group_lines(cell_words):
                items.append(_text_item(line))
            continue
        # a blank position spanned by no cell of this row: the grid column's own extent
        filled = [
            b or (xs[c], row_box[1], xs[min(c + 1, len(xs) - 1)], row_box[3])
            for b, c in zip(boxes, columns, strict=True)
        ]
        items.append(_Item(row_box[1], texts, filled, True, text_x0=starts))
    return items


# --- unruled tables -------------------------------------------------------------------------
def _segments(line: list[_Word]) -> list[list[_Word]]:
    """A visual line split at column gaps (wide white space between words)."""
    segments: list[list[_Word]] = [[line[0]]]
    for word in line[1:]:
        previous = segments[-1][-1]
        gap = word.x0 - previous.x1
        if gap >= COLUMN_GAP_CHARS * min(word.size, previous.size):
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _unruled_tables(lines: list[list[_Word]]) -> list[_Item]:
    """Text lines as items, runs of column-aligned lines as table rows.

    A run is a block of consecutive lines with two or more segments each (a line with a single
    segment starting in the first column continues the name above). The columns are the union of
    the segments' x-ranges; every segment of the run falls in exactly one column, and a run needs
    at least MIN_UNRULED_ROWS lines with the same columns.
    """
    items: list[_Item] = []
    segmented = [_segments(line) for line in lines]
    i = 0
    while i < len(lines):
        run_end = i
        while run_end < len(lines) and len(segmented[run_end]) >= 2:
            run_end += 1
        if run_end - i >= MIN_UNRULED_ROWS:
            items.extend(_unruled_run(segmented[i:run_end]))
            i = run_end
            continue
        items.append(_text_item(lines[i]))
        i += 1
    return items


def _unruled_run(rows: list[list[list[_Word]]]) -> list[_Item]:
    spans: list[list[float]] = []
    for segments in rows:
        for seg in segments:
            x0, x1 = seg[0].x0, seg[-1].x1
            for span in spans:
                if x0 <= span[1] and x1 >= span[0]:
                    span[0], span[1] = min(span[0], x0), max(span[1], x1)
                    break
            else:
                spans.append([x0, x1])
    # merge spans that came to overlap
    spans.sort()
    columns: list[list[float]] = []
    for span in spans:
        if columns and span[0] <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], span[1])
        else:
            columns.append(list(span))
    items = []
    for segments in rows:
        texts = [""] * len(columns)
        boxes: list[tuple[float, float, float, float] | None] = [None] * len(columns)
        starts: list[float | None] = [None] * len(columns)
        for seg in segments:
            x0 = seg[0].x0
            c = next(k for k, col in enumerate(columns) if col[0] <= x0 <= col[1])
            if starts[c] is None:
                starts[c] = x0
            text = _join_words(seg)
            texts[c] = f"{texts[c]} {text}".strip() if texts[c] else text
            box = (seg[0].x0, min(w.top for w in seg), seg[-1].x1, max(w.bottom for w in seg))
            boxes[c] = box
        top = min(b[1] for b in boxes if b)
        bottom = max(b[3] for b in boxes if b)
        filled = [b or (columns[k][0], top, columns[k][1], bottom) for k, b in enumerate(boxes)]
        items.append(_Item(top, texts, filled, True, text_x0=starts))
    return items


# --- pages ----------------------------------------------------------------------------------
def _read_page(page: Any, number: int) -> _Page:
    out = _Page(number=number, width=float(page.width), height=float(page.height))
    words = _words(page)
    out.has_text = bool(words)
    if not words:
        return out
    tables = page.find_tables()
    words = _split_at_rulings(words, tables)
    used: set[int] = set()
    order = 0
    table_boxes = []
    for table in tables:
        rows = _ruled_table_items(table, words, used)
        if not rows:
            continue
        table_boxes.append(table.bbox)
        for item in rows:
            item.order = order
            order += 1
        out.items.extend(rows)
    rest = [w for i, w in enumerate(words) if i not in used]
    for item in _unruled_tables(_group_lines(rest)):
        item.order = order
        order += 1
        out.items.append(item)
    out.items.sort(key=lambda it: (it.top, it.order))
    return out


def _drop_furniture(pages: list[_Page]) -> None:
    """Drop page numbers, running headers and footers from the page margins."""

    def in_margin(page: _Page, item: _Item) -> bool:
        box = item.box
        return box[3] < page.height * MARGIN_SHARE or box[1] > page.height * (1 - MARGIN_SHARE)

    def key(item: _Item) -> str:
        return re.sub(r"\d+", "#", item.text.replace(" ", ""))

    repeated: Counter[str] = Counter()
    for page in pages:
        repeated.update({key(i) for i in page.items if not i.is_table and in_margin(page, i)})
    threshold = max(3, REPEATED_SHARE * len(pages))
    for page in pages:
        page.items = [
            item
            for item in page.items
            if item.is_table
            or not in_margin(page, item)
            or not (
                _PAGE_NUMBER_RE.match(item.text.replace(" ", "").strip())
                or repeated[key(item)] >= threshold
            )
        ]


def read_pdf(data: bytes, file_name: str) -> Source:
    """Read a PDF into lines (see the module docstring).

    Raises:
        DocumentError: HTML saved as .pdf, not a readable PDF, encrypted, or no text layer.
    """
    _check_header(data, file_name)
    pdf = _open(data, file_name)
    pages: list[_Page] = []
    try:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                pages.append(_read_page(page, number))
            except Exception as exc:
                raise DocumentError(
                    file_name, f"not a readable PDF: page {number}: {_reason(exc)}"
                ) from exc
            finally:
                page.close()
    finally:
        pdf.close()
    if not pages:
        raise DocumentError(file_name, "not a readable PDF: it has no pages")
    blank = [p.number for p in pages if not p.has_text]
    if len(blank) == len(pages):
        raise DocumentError(
            file_name,
            f"scanned: no text on {len(blank)} of {len(pages)} pages; OCR is not applied",
        )
    _drop_furniture(pages)
    source = _to_source(pages)
    source.warnings = [
        ExtractionWarning(
            source_line=None,
            kind="page_without_text",
            message=f"{file_name}: page {number} has no text (a scanned image); OCR is not applied",
            text="",
        )
        for number in blank
    ]
    return source


def _to_source(pages: list[_Page]) -> Source:
    lines: list[Line] = []
    layout_lines: list[LayoutLine] = []
    layout_cells: list[LayoutCell] = []
    for page in pages:
        for item in page.items:
            number = len(lines) + 1
            cells = tuple(item.cells)
            lines.append(
                Line(
                    number=number,
                    text=item.text,
                    cells=cells,
                    layout="tsv" if item.is_table else "text",
                    page_number=page.number,
                    text_x0=tuple(item.text_x0) if item.is_table else None,
                    cell_boxes=tuple(item.boxes) if item.is_table else None,
                )
            )
            x0, top, x1, bottom = item.box
            layout_lines.append(
                LayoutLine(
                    source_line=number,
                    page_number=page.number,
                    page_width=_d(page.width),
                    page_height=_d(page.height),
                    x0=_d(x0),
                    top=_d(top),
                    x1=_d(x1),
                    bottom=_d(bottom),
                    text=item.text,
                )
            )
            if item.is_table:
                for index, (text, box) in enumerate(zip(item.cells, item.boxes, strict=True)):
                    layout_cells.append(
                        LayoutCell(
                            source_line=number,
                            cell_index=index,
                            page_number=page.number,
                            x0=_d(box[0]),
                            top=_d(box[1]),
                            x1=_d(box[2]),
                            bottom=_d(box[3]),
                            text=text,
                        )
                    )
    return Source(
        lines=lines,
        encoding=None,
        reader=READER,
        page_count=len(pages),
        layout_lines=layout_lines,
        layout_cells=layout_cells,
    )
