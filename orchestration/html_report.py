"""The auditor's HTML report: every finding with its evidence on the printed page.

    python -m orchestration.html_report [--annotate] [--out FILE]

Writes ``report.html`` beside ``DUCKDB_DATABASE`` (``REPORT_HTML`` overrides): one self-contained
file (no network: styles inline, images as ``data:`` URIs) with one section per document, the
documents that need a person first. A section shows the document's extraction status and kind,
the statement tables found against those required (the ``completeness`` rows of
``marts.reconciliation_results``, when that family exists), why it needs review, the checks by
family and status, and every failed check (status ``fail``) with both figures, the difference, the
rule in words (from the rule catalogue seed) and what the reader can do about it.

The evidence for a failed check is where its two figures are printed:

- a PDF document: a crop of each page involved, rendered with pypdfium2, with the printed figure
  boxed in red and the figure it is compared with boxed in blue. A figure is located through
  ``raw.layout_cells`` (the cell on the cited line whose text is the printed figure), else the
  line's box in ``raw.layout_lines``;
- a text document: the cited lines of the file, the figures highlighted.

``--annotate`` (``make report ANNOTATE=1``) also writes ``annotated/<file>.pdf`` beside the
warehouse: a copy of each PDF with every finding's figures boxed in red (square annotations with
the rule in their note), to send to the issuing body.

Reads the warehouse read-only; works without the layout tables (no crops then, the cited lines
instead). No Dagster here.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import io
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.report import FINDING_COLUMNS, Finding, acknowledgement_row, yuan

REPORT_HTML_NAME = "report.html"
ANNOTATED_DIR_NAME = "annotated"
ACKNOWLEDGEMENTS_SEED = "dbt_project/seeds/acknowledged_discrepancies.csv"
# Pixels per PDF point of the rendered crops (1.5 = 108 dpi: sharp enough to read a figure).
RENDER_SCALE = 1.5
# Points of context kept above and below the boxed figures in a crop.
CROP_MARGIN = 36.0
MAX_PAGES_PER_FINDING = 4
MAX_LINES_PER_FINDING = 12
# Findings of one document shown with page crops; later ones cite their lines (a lighter page).
MAX_CROPPED_FINDINGS = 60
EXPECTED_COLOUR = (220, 0, 0)
ACTUAL_COLOUR = (0, 90, 220)
STATUSES: tuple[str, ...] = ("exact", "rounding", "fail", "insufficient_data")
SEVERITY_WORDS: dict[str, str] = {
    "error": "integrity failure — a printed total disagrees with the rows beneath it: "
    "we probably misread the document",
    "finding": "source discrepancy — the document contradicts itself",
    "info": "informational comparison — not a strict identity",
}
# "line 1217 [年度资金总额：] = 180,000": a figure, where it is printed and how.
# Also "line 1160 [排练、观摩…] 明细金额 = 221120.00" (a measure named between the row and "=").
_CITED_FIGURE = re.compile(
    r"line (\d+) \[([^\]]*)\]([^=;\[\]]{0,40}?) ?= (-?[0-9][0-9,]*(?:\.[0-9]+)?)"
)
_NUMBER = re.compile(r"-?[0-9][0-9,]*(?:\.[0-9]+)?")


def report_path() -> Path:
    """``REPORT_HTML``, default ``report.html`` beside the warehouse file."""
    configured = os.environ.get("REPORT_HTML")
    if configured:
        return Path(configured).resolve()
    return settings.duckdb_path().parent / REPORT_HTML_NAME


# --- what the warehouse says ----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A figure a failed check cites: which side, the line it is printed on, its printed text."""

    side: str  # "expected" (the printed claim) or "actual" (the other side)
    line: int
    label: str
    printed: str | None


@dataclass
class Box:
    """Where a figure is printed on a PDF page (upright points, top-left origin)."""

    figure: Figure
    page_number: int
    page_width: float
    page_height: float
    x0: float
    top: float
    x1: float
    bottom: float
    matched_cell: bool


@dataclass
class Evidence:
    """What the reader sees of the printed page for one finding."""

    crops: list[tuple[int, str, str]] = field(default_factory=list)  # page, data URI, alt
    lines: list[tuple[int, str, list[str]]] = field(default_factory=list)  # line, text, marks
    boxes: list[Box] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class FindingView(Finding):
    """A failed check as the report shows it: the finding (``report.Finding``), its rule in words,
    the figures it cites and the evidence of where they are printed."""

    rule_words: str = ""
    figures: list[Figure] = field(default_factory=list)
    evidence: Evidence = field(default_factory=Evidence)


@dataclass
class DocumentView:
    """One document's section."""

    document_id: str
    file_name: str
    status: str
    kind: str | None
    error_message: str | None
    error_line: int | None
    encoding: str | None
    needs_review: bool
    review_reasons: list[str] = field(default_factory=list)
    tables_found: list[tuple[int, str, str | None, bool]] = field(default_factory=list)
    completeness: list[tuple[str, str, str, str]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    findings: list[FindingView] = field(default_factory=list)

    @property
    def is_pdf(self) -> bool:
        return self.file_name.lower().endswith(".pdf")

    def priority(self) -> tuple:
        """Sort key: failed, then needs review, then unacknowledged findings, then the rest."""
        open_findings = sum(1 for f in self.findings if f.needs_person)
        return (
            self.status != "failed",
            not self.needs_review,
            open_findings == 0,
            -open_findings,
            self.file_name,
        )


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: Iterable = ()) -> list[tuple]:
    """Rows of a query; none when a table it reads does not exist (yet)."""
    try:
        return conn.execute(sql, list(params)).fetchall()
    except duckdb.CatalogException:
        return []


def _columns(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [
        r[0]
        for r in _rows(
            conn,
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            (schema, table),
        )
    ]


def cited_figures(side: str, source: str, lines: list[int] | None) -> list[Figure]:
    """The figures a source text cites ('line N [label] = printed'); else its bare lines."""
    figures = [
        Figure(side, int(m.group(1)), (m.group(2) + m.group(3)).strip(), m.group(4))
        for m in _CITED_FIGURE.finditer(source)
    ]
    if figures:
        return figures
    return [Figure(side, n, "", None) for n in (lines or [])[:MAX_LINES_PER_FINDING]]


def _failed_order(finding: Finding) -> tuple:
    """The order the failed checks are read in: document_id, is_acknowledged, severity,
    rule_id, instance (SQL's, nulls last)."""
    return tuple(
        (value is None, value)
        for value in (
            finding.document_id,
            finding.is_acknowledged,
            finding.severity,
            finding.rule_id,
            finding.instance,
        )
    )


def _rule_words(rule: tuple | None, description: str) -> str:
    if not rule:
        return description
    lhs, rhs, comparison = rule
    relation = {"equal": "=", "lte": "≤", "gte": "≥"}.get(comparison or "", comparison or "=")
    words = description
    if lhs and rhs:
        words += f" ({lhs} {relation} {rhs})"
    return words


def load(
    conn: duckdb.DuckDBPyConnection, findings: list[Finding] | None = None
) -> list[DocumentView]:
    """Every document with its checks, findings and (when known) completeness; sorted.

    ``findings``: every failed and undecidable check as ``report.load`` read them, when the
    caller has them (make run): the failed ones are taken from there, not read again (the
    cited sources are over 300 MB of text at 1,000 documents: a second second of reading)."""
    documents: dict[str, DocumentView] = {}
    kinds = dict(_rows(conn, "select document_id, document_kind from marts.dim_document"))
    review = {r[0]: r[1:] for r in _rows(conn, "select * from marts.document_review_status")}
    review_columns = _columns(conn, "marts", "document_review_status")
    for row in _rows(
        conn,
        "select document_id, file_name, status, document_kind, error_message, error_line, "
        "encoding from raw.documents order by file_name",
    ):
        document_id, file_name, status, kind, error, error_line, encoding = row
        doc = DocumentView(
            document_id,
            file_name,
            status or "unknown",
            kinds.get(document_id) or kind,
            error,
            error_line,
            encoding,
            needs_review=status == "failed",
        )
        if status == "failed":
            where = f" (line {error_line})" if error_line else ""
            doc.review_reasons.append(f"extraction failed{where}: {error}")
        values = review.get(document_id)
        if values:
            named = dict(zip(review_columns[1:], values, strict=False))
            doc.needs_review = doc.needs_review or bool(named.get("needs_review"))
            for column, value in named.items():
                if column == "needs_review" or value in (None, 0, False, "", []):
                    continue
                if "reason" in column:
                    reasons = value if isinstance(value, list) else [value]
                    doc.review_reasons += [str(r) for r in reasons]
                elif column.endswith("_count") and doc.needs_review:
                    doc.review_reasons.append(f"{column.replace('_', ' ')}: {value}")
        documents[document_id] = doc

    for document_id, ordinal, statement_type, title, is_empty in _rows(
        conn,
        "select document_id, table_ordinal, statement_type, title, is_empty "
        "from raw.statement_tables order by document_id, table_ordinal",
    ):
        if document_id in documents:
            documents[document_id].tables_found.append(
                (ordinal, statement_type, title, bool(is_empty))
            )

    rules = {
        r[0]: r[1:]
        for r in _rows(
            conn, "select rule_id, lhs, rhs, comparison from reference.reconciliation_rules"
        )
    }
    for document_id, family, status, count in _rows(
        conn,
        "select document_id, family, status, count(*) from marts.reconciliation_results "
        "group by all order by all",
    ):
        if document_id in documents:
            counts = documents[document_id].counts.setdefault(family or "", {})
            counts[status] = count
    for row in _rows(
        conn,
        "select document_id, rule_id, instance, status, description, expected_source, "
        "actual_source from marts.reconciliation_results where family = 'completeness' "
        "order by document_id, rule_id, instance",
    ):
        if row[0] in documents:
            documents[row[0]].completeness.append(
                (f"{row[1]} {row[2]}".strip(), row[3], row[4] or "", row[5] or row[6] or "")
            )
    if findings is not None:
        failed = [
            {column: getattr(finding, column) for column in FINDING_COLUMNS}
            for finding in sorted((f for f in findings if f.status == "fail"), key=_failed_order)
        ]
    else:
        # the finding's columns the mart has (a warehouse built before the page columns has none)
        present = set(_columns(conn, "marts", "reconciliation_results"))
        columns = [c for c in FINDING_COLUMNS if c in present]
        sql = f"""
            select {", ".join(columns)}
            from marts.reconciliation_results
            where status = 'fail'
            order by document_id, is_acknowledged, severity, rule_id, instance
        """
        rows = _rows(conn, sql) if columns else []
        failed = [dict(zip(columns, row, strict=True)) for row in rows]
    for values in failed:
        doc = documents.get(values["document_id"])
        if doc is None:
            continue
        for name in ("instance", "family", "severity", "description"):
            values[name] = values[name] or ""
        for name in ("expected_source", "actual_source"):
            values[name] = values[name] or ""
        values["value_unit"] = values["value_unit"] or "元"
        values["is_acknowledged"] = bool(values["is_acknowledged"])
        values["expected_lines"] = list(values["expected_lines"] or [])
        values["actual_lines"] = list(values["actual_lines"] or [])
        finding = FindingView(
            **values,
            rule_words=_rule_words(rules.get(values["rule_id"]), values["description"]),
            figures=cited_figures("expected", values["expected_source"], values["expected_lines"])
            + cited_figures("actual", values["actual_source"], values["actual_lines"]),
        )
        doc.findings.append(finding)
    # A person first: unacknowledged errors, then findings, then the rest.
    order = {"error": 0, "finding": 1, "info": 2}
    for doc in documents.values():
        errors = sum(1 for f in doc.findings if not f.is_acknowledged and f.severity == "error")
        if errors and not doc.needs_review:
            # e.g. a build stopped by an enforced integrity test before the review status
            doc.needs_review = True
            doc.review_reasons.append(
                f"{errors} unacknowledged integrity failures (a printed total disagrees with "
                "the rows read beneath it)"
            )
        doc.findings.sort(key=lambda f: (f.is_acknowledged, order.get(f.severity, 3), f.rule_id))
    return sorted(documents.values(), key=DocumentView.priority)


# --- where a figure is printed ------------------------------------------------------------------


def _normalise(text: str) -> str:
    return re.sub(r"[\s,，]", "", text or "")


def _same_figure(cell_text: str, printed: str) -> bool:
    """The cell prints this figure: equal as numbers, else the printed text is in the cell."""
    cell, figure = _normalise(cell_text), _normalise(printed)
    if not cell or not figure:
        return False
    try:
        return Decimal(cell) == Decimal(figure)
    except InvalidOperation:
        pass
    numbers = _NUMBER.findall(cell_text)
    for number in numbers:
        try:
            if Decimal(_normalise(number)) == Decimal(figure):
                return True
        except InvalidOperation:
            continue
    return figure in cell


class Layout:
    """The layout rows of one PDF document's cited lines, read in two queries (not two per
    figure: a report of a few hundred PDFs cites thousands of figures)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, document_id: str, lines: set[int]):
        wanted = sorted(lines)
        self.lines: dict[int, tuple] = {}
        self.cells: dict[int, list[tuple]] = {}
        if not wanted:
            return
        for row in _rows(
            conn,
            "select source_line, page_number, page_width::double, page_height::double, "
            "x0::double, top::double, x1::double, bottom::double from raw.layout_lines "
            "where document_id = ? and list_contains(?, source_line) and page_number is not null "
            "order by source_line, page_number",
            (document_id, wanted),
        ):
            self.lines.setdefault(row[0], row[1:])
        for row in _rows(
            conn,
            "select source_line, page_number, x0::double, top::double, x1::double, "
            "bottom::double, text from raw.layout_cells "
            "where document_id = ? and list_contains(?, source_line) "
            "order by source_line, cell_index",
            (document_id, wanted),
        ):
            self.cells.setdefault(row[0], []).append(row[1:])


def locate(layout: Layout, figure: Figure) -> Box | None:
    """The box of a cited figure on its PDF page: its cell, else its line; None when unknown."""
    line = layout.lines.get(figure.line)
    if line is None:
        return None
    page_number, width, height, x0, top, x1, bottom = line
    if figure.printed:
        for cell in layout.cells.get(figure.line, []):
            if _same_figure(cell[5], figure.printed):
                return Box(figure, cell[0] or page_number, width, height, *cell[1:5], True)
    return Box(figure, page_number, width, height, x0, top, x1, bottom, False)


# --- rendering the evidence -----------------------------------------------------------------------


def _png(image) -> bytes:
    # zlib level 1: as small as optimize=True on these crops (text on white), at a seventh of
    # the time (the encoding was two thirds of a 300-PDF report's build)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


class CropCache:
    """Rendered crops by content: a crop is a function of the document's bytes (its id is
    their hash), the page, the boxes and the drawing constants, so a report rebuilt after a
    refresh renders only the crops it has not rendered before (a new document's). The files
    live in one directory beside the report; those the last build did not use are removed."""

    VERSION = "1"

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.used: set[str] = set()

    def key(self, document_id: str, page: int, boxes: list[Box]) -> str:
        parts = [self.VERSION, document_id, str(page), f"{RENDER_SCALE}:{CROP_MARGIN}"]
        parts += [
            f"{b.figure.side}:{b.x0:.2f},{b.top:.2f},{b.x1:.2f},{b.bottom:.2f},{b.page_height:.2f}"
            for b in boxes
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    def png(self, key: str, render) -> bytes:
        self.used.add(key)
        path = self.directory / f"{key}.png" if self.directory else None
        if path is not None and path.is_file():
            return path.read_bytes()
        data = _png(render())
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            temporary.write_bytes(data)
            os.replace(temporary, path)
        return data

    def prune(self) -> None:
        """Remove the crops this build did not use (documents gone, findings mended)."""
        if self.directory is None or not self.directory.is_dir():
            return
        for path in self.directory.glob("*.png"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)


class PageRenderer:
    """Renders pages of one PDF with pypdfium2 (each page once), crops and boxes figures."""

    def __init__(self, path: Path) -> None:
        import pypdfium2 as pdfium

        self.pdf = pdfium.PdfDocument(str(path))
        self._pages: dict[int, object] = {}

    def close(self) -> None:
        self.pdf.close()

    def page_image(self, page_number: int):
        if page_number not in self._pages:
            page = self.pdf[page_number - 1]
            self._pages[page_number] = page.render(scale=RENDER_SCALE).to_pil().convert("RGB")
            page.close()
        return self._pages[page_number]

    def crop(self, page_number: int, boxes: list[Box]):
        """The band of the page holding the boxes, full width, each figure boxed in colour."""
        from PIL import ImageDraw

        image = self.page_image(page_number)
        top = max(0.0, min(b.top for b in boxes) - CROP_MARGIN)
        bottom = min(boxes[0].page_height, max(b.bottom for b in boxes) + CROP_MARGIN)
        band = image.crop(
            (0, int(top * RENDER_SCALE), image.width, int(bottom * RENDER_SCALE) + 1)
        ).copy()
        draw = ImageDraw.Draw(band)
        for box in boxes:
            colour = EXPECTED_COLOUR if box.figure.side == "expected" else ACTUAL_COLOUR
            pad = 2.0
            draw.rectangle(
                (
                    (box.x0 - pad) * RENDER_SCALE,
                    (box.top - top - pad) * RENDER_SCALE,
                    (box.x1 + pad) * RENDER_SCALE,
                    (box.bottom - top + pad) * RENDER_SCALE,
                ),
                outline=colour,
                width=3,
            )
        return band


def _document_path(raw_dir: Path, file_name: str) -> Path:
    return raw_dir / file_name


def _text_lines(path: Path, encoding: str | None) -> list[str] | None:
    if not path.is_file():
        return None
    from orchestration.extract.text import DocumentError, decode_document

    try:
        text, _ = decode_document(path.read_bytes(), path.name)
    except DocumentError:
        try:
            text = path.read_bytes().decode(encoding or "utf-8", errors="replace")
        except LookupError:
            return None
    return text.split("\n")


def attach_evidence(
    conn: duckdb.DuckDBPyConnection,
    docs: list[DocumentView],
    raw_dir: Path,
    crops: CropCache | None = None,
) -> None:
    """Crops of the PDF pages (or the cited lines of a text document) for every finding."""
    crops = crops or CropCache(None)
    printed = _printed_lines(conn, [doc for doc in docs if doc.findings and not doc.is_pdf])
    for doc in docs:
        if not doc.findings:
            continue
        path = _document_path(raw_dir, doc.file_name)
        if doc.is_pdf:
            _pdf_evidence(conn, doc, path, crops)
        else:
            _text_evidence(conn, doc, path, printed.get(doc.document_id))


def _printed_lines(
    conn: duckdb.DuckDBPyConnection, docs: list[DocumentView]
) -> dict[str, dict[int, str]]:
    """document id -> line number -> text of every line the findings of these text documents
    cite, as the warehouse holds it: raw.layout_lines keeps each line of a text dump as it was
    decoded when loaded, the text the figures were read from. One query for all documents: the
    report no longer decodes every text file of the corpus again (1.4 s of the 3.3 s the report
    took at 1,000 documents). A document with none of its lines there is read from its file."""
    wanted = {
        (doc.document_id, line)
        for doc in docs
        for finding in doc.findings
        for line in sorted({f.line for f in finding.figures})[:MAX_LINES_PER_FINDING]
    }
    if not wanted:
        return {}
    rows = _rows(
        conn,
        "select lines.document_id, lines.source_line, lines.text "
        "from raw.layout_lines as lines inner join ("
        "select unnest(?::varchar[]) as document_id, unnest(?::integer[]) as source_line"
        ") as wanted on lines.document_id = wanted.document_id "
        "and lines.source_line = wanted.source_line",
        ([key for key, _ in wanted], [line for _, line in wanted]),
    )
    printed: dict[str, dict[int, str]] = {}
    for document_id, line, text in rows:
        printed.setdefault(document_id, {})[line] = text or ""
    return printed


def _pdf_evidence(
    conn: duckdb.DuckDBPyConnection, doc: DocumentView, path: Path, crops: CropCache
) -> None:
    renderer = None
    if path.is_file():
        try:  # opening reads the cross-reference table only; pages render when first cropped
            renderer = PageRenderer(path)
        except Exception as exc:  # a PDF pypdfium2 cannot open: say so in the report
            for finding in doc.findings:
                finding.evidence.note = f"{path.name} could not be rendered: {exc}"
            return
    layout = Layout(conn, doc.document_id, {f.line for g in doc.findings for f in g.figures})
    try:
        cropped = 0
        for finding in doc.findings:
            evidence = finding.evidence
            evidence.boxes = [b for b in (locate(layout, f) for f in finding.figures) if b]
            if not finding.figures:
                evidence.note = "this check cites no printed line"
                continue
            if not evidence.boxes:
                evidence.note = "no page position is recorded for these lines"
                _lines_from_layout(conn, doc, finding)
                continue
            if renderer is None:
                evidence.note = f"{path} is not present: the page cannot be shown"
                continue
            if cropped >= MAX_CROPPED_FINDINGS:
                evidence.note = (
                    f"page images are shown for the first {MAX_CROPPED_FINDINGS} findings"
                )
                _lines_from_layout(conn, doc, finding)
                continue
            cropped += 1
            pages = sorted({b.page_number for b in evidence.boxes})
            for page in pages[:MAX_PAGES_PER_FINDING]:
                boxes = [b for b in evidence.boxes if b.page_number == page]
                key = crops.key(doc.document_id, page, boxes)
                png = crops.png(key, lambda page=page, boxes=boxes: renderer.crop(page, boxes))
                printed = ", ".join(
                    f"{'printed' if b.figure.side == 'expected' else 'against'} "
                    f"{b.figure.printed or 'line ' + str(b.figure.line)}"
                    for b in boxes
                )
                alt = f"{doc.file_name} page {page}: {printed}"
                evidence.crops.append((page, _data_uri(png), alt))
            if len(pages) > MAX_PAGES_PER_FINDING:
                evidence.note = f"{len(pages) - MAX_PAGES_PER_FINDING} more pages not shown"
    finally:
        if renderer is not None:
            renderer.close()


def _marks(finding: FindingView, line: int) -> list[str]:
    return [f.printed for f in finding.figures if f.line == line and f.printed]


def _lines_from_layout(conn: duckdb.DuckDBPyConnection, doc: DocumentView, finding) -> None:
    wanted = sorted({f.line for f in finding.figures})[:MAX_LINES_PER_FINDING]
    for line in wanted:
        rows = _rows(
            conn,
            "select text from raw.layout_lines where document_id = ? and source_line = ?",
            (doc.document_id, line),
        )
        if rows:
            finding.evidence.lines.append((line, rows[0][0] or "", _marks(finding, line)))


def _text_evidence(
    conn: duckdb.DuckDBPyConnection,
    doc: DocumentView,
    path: Path,
    printed: dict[int, str] | None = None,
) -> None:
    """The cited lines of each finding: from the warehouse (``printed``), else from the file."""
    lines = None if printed else _text_lines(path, doc.encoding)
    for finding in doc.findings:
        wanted = sorted({f.line for f in finding.figures})
        if not wanted:
            finding.evidence.note = "this check cites no printed line"
            continue
        shown = wanted[:MAX_LINES_PER_FINDING]
        if printed:
            for number in shown:
                if number in printed:
                    finding.evidence.lines.append(
                        (number, printed[number], _marks(finding, number))
                    )
        elif lines is None:  # raw.layout_lines has none of them either (_printed_lines)
            finding.evidence.note = f"{path} is not present: the lines cannot be shown"
            continue
        else:
            for number in shown:
                if 1 <= number <= len(lines):
                    text = lines[number - 1]
                    finding.evidence.lines.append((number, text, _marks(finding, number)))
        if len(wanted) > len(shown):
            finding.evidence.note = f"{len(wanted) - len(shown)} more lines not shown"


# --- the page -------------------------------------------------------------------------------------

_STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;
margin:0 auto;max-width:1100px;padding:1em 1.5em;color:#1d1d1f;line-height:1.45}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:2px solid #ccc;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;
vertical-align:top;text-align:left}th{background:#f2f2f2}td.n{text-align:right}
.flag{display:inline-block;padding:0 .5em;border-radius:.3em;font-size:.85em;font-weight:bold}
.review{background:#c00;color:#fff}.ok{background:#2a7;color:#fff}.failed{background:#000;color:#fff}
.finding{border:1px solid #ddd;border-left:6px solid #c00;padding:.5em 1em;margin:1em 0}
.finding.finding-sev{border-left-color:#e80}.finding.info{border-left-color:#888}
.finding.acknowledged{border-left-color:#2a7}
.figures td.expected{color:#c00;font-weight:bold}.figures td.actual{color:#05d;font-weight:bold}
pre.lines{background:#f7f7f7;padding:.5em;overflow-x:auto;white-space:pre-wrap}
mark.expected{background:#fcc}mark.actual{background:#cdf}
img.crop{max-width:100%;border:1px solid #999;display:block;margin:.3em 0}
.todo{background:#fffbe6;border:1px solid #e8d98a;padding:.3em .8em;font-size:.92em}
.muted{color:#666;font-size:.9em}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _amount(value: Decimal | None, unit: str) -> str:
    return _e(yuan(value, unit))


def _highlight(text: str, marks: list[str], figures: list[Figure], line: int) -> str:
    """The line, escaped, with each cited figure's printed text highlighted."""
    out = _e(text.replace("\t", "    "))
    for figure in figures:
        if figure.line != line or not figure.printed:
            continue
        printed = _e(figure.printed)
        if printed in out:
            out = out.replace(printed, f'<mark class="{figure.side}">{printed}</mark>', 1)
            continue
        # the source cites the yuan value ("221120.00") of a cell printed "221120"
        for number in _NUMBER.findall(text):
            try:
                same = Decimal(_normalise(number)) == Decimal(_normalise(figure.printed))
            except InvalidOperation:
                same = False
            if same:
                token = _e(number)
                out = out.replace(token, f'<mark class="{figure.side}">{token}</mark>', 1)
                break
    return out


def _kind_words(finding: FindingView) -> str:
    if finding.family == "completeness":
        return "completeness — a table the document's kind requires was not found"
    return SEVERITY_WORDS.get(finding.severity, finding.severity)


def _what_to_do(doc: DocumentView, finding: FindingView) -> str:
    if finding.is_acknowledged:
        return (
            f"Acknowledged in <code>{ACKNOWLEDGEMENTS_SEED}</code>: "
            f"{_e(finding.acknowledgement_reason)}"
        )
    key = _e(acknowledgement_row(doc.document_id, doc.file_name, finding.rule_id, finding.instance))
    if finding.family == "completeness":
        first = (
            "A required table was not found. If the file is incomplete (a page or an attachment "
            "missing), fix or replace it in the raw directory and run again; if the table is "
            "printed but was not recognised, report a bug with this section; if the document "
            "really omits it, acknowledge it"
        )
    elif finding.severity == "error":
        first = (
            "A printed total disagrees with the rows read beneath it: check the page above. "
            "If the rows were misread, report a bug with this section; if the file is damaged "
            "or incomplete, fix or replace the file in the raw directory and run again; if the "
            "document really prints these figures, acknowledge it"
        )
    else:
        first = (
            "The document contradicts itself. If the page above confirms it, acknowledge it "
            "(the finding stays in this report, marked acknowledged) and tell the issuing body; "
            "if a figure was misread, report a bug with this section"
        )
    return f"{first}: add <code>{key}</code> to <code>{ACKNOWLEDGEMENTS_SEED}</code>."


def _finding_html(doc: DocumentView, number: int, f: FindingView) -> list[str]:
    classes = "finding " + (
        "acknowledged"
        if f.is_acknowledged
        else {"finding": "finding-sev"}.get(f.severity, f.severity)
    )
    out = [
        f'<div class="{classes}" data-rule="{_e(f.rule_id)}" data-instance="{_e(f.instance)}">',
        f"<h4>{number}. {_e(f.description)}</h4>",
        f'<p class="muted">rule <code>{_e(f.rule_id)}</code>'
        + (f" — {_e(f.instance)}" if f.instance else "")
        + f" — {_e(_kind_words(f))}"
        + (" — <b>acknowledged</b>" if f.is_acknowledged else "")
        + "</p>",
        f"<p><b>Rule:</b> {_e(f.rule_words)}</p>",
        '<table class="figures"><tr><th></th><th>figure</th><th>where it is printed</th></tr>',
        f'<tr><th>printed (red)</th><td class="expected n" data-role="expected">'
        f"{_amount(f.expected_yuan, f.value_unit)}</td><td>{_e(f.expected_source)}</td></tr>",
        f'<tr><th>against (blue)</th><td class="actual n" data-role="actual">'
        f"{_amount(f.actual_yuan, f.value_unit)}</td><td>{_e(_clip(f.actual_source))}</td></tr>",
        f'<tr><th>difference</th><td class="n" data-role="difference">'
        f"{_amount(f.difference_yuan, f.value_unit)}</td><td>rounding allowed: "
        f"{_amount(f.tolerance_yuan, f.value_unit)}</td></tr>",
        "</table>",
    ]
    evidence = f.evidence
    for page, uri, alt in evidence.crops:
        out.append(f"<p class='muted'>page {page}</p>")
        out.append(f'<img class="crop" data-page="{page}" src="{uri}" alt="{_e(alt)}">')
    if evidence.lines:
        out.append('<pre class="lines">')
        for number, text, _marks_ in evidence.lines:
            out.append(
                f'<span data-line="{number}">{number:>6}  '
                f"{_highlight(text, _marks_, f.figures, number)}</span>"
            )
        out.append("</pre>")
    if evidence.note:
        out.append(f'<p class="muted">{_e(evidence.note)}</p>')
    out.append(f'<p class="todo"><b>What you can do:</b> {_what_to_do(doc, f)}</p>')
    out.append("</div>")
    return out


def _clip(text: str, width: int = 600) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _flag(doc: DocumentView) -> str:
    if doc.status == "failed":
        return '<span class="flag failed">extraction failed</span>'
    if doc.needs_review:
        return '<span class="flag review">needs review</span>'
    return '<span class="flag ok">no review needed</span>'


def _document_html(doc: DocumentView) -> list[str]:
    anchor = f"doc-{doc.document_id}"
    failures = [f for f in doc.findings]
    out = [
        f'<section id="{anchor}" data-document="{_e(doc.file_name)}">',
        f"<h2>{_e(doc.file_name)} {_flag(doc)}</h2>",
        f"<p>Document id <code>{_e(doc.document_id)}</code> — extraction status "
        f"<b>{_e(doc.status)}</b> — kind <b>{_e(doc.kind or 'unknown')}</b></p>",
    ]
    if doc.review_reasons:
        out.append("<p><b>Why it needs review:</b></p><ul>")
        out += [f"<li>{_e(reason)}</li>" for reason in doc.review_reasons]
        out.append("</ul>")
        if doc.status == "failed":
            out.append(
                '<p class="todo"><b>What you can do:</b> the document is quarantined (the rest '
                "of the warehouse is loaded). Open the file at the line named above: if the "
                "file is damaged or not a budget document, fix or replace it in the raw "
                "directory and run again; if it is a readable budget document, report a bug "
                "with this message.</p>"
            )
    found = ", ".join(
        f"T{o} {t or s}" + (" (printed empty)" if empty else "")
        for o, s, t, empty in doc.tables_found
    )
    out.append(f"<p><b>Tables found ({len(doc.tables_found)}):</b> {_e(found) or 'none'}</p>")
    if doc.completeness:
        out.append("<p><b>Tables required</b> (completeness checks):</p>")
        out.append("<table><tr><th>check</th><th>status</th><th>what</th><th>where</th></tr>")
        for check, status, what, where in doc.completeness:
            out.append(
                f"<tr><td>{_e(check)}</td><td>{_e(status)}</td><td>{_e(what)}</td>"
                f"<td>{_e(_clip(where, 300))}</td></tr>"
            )
        out.append("</table>")
    if doc.counts:
        out.append(
            "<table><tr><th>family</th>" + "".join(f"<th>{s}</th>" for s in STATUSES) + "</tr>"
        )
        for family, counts in sorted(doc.counts.items()):
            out.append(
                f"<tr><td>{_e(family)}</td>"
                + "".join(f'<td class="n">{counts.get(s, 0)}</td>' for s in STATUSES)
                + "</tr>"
            )
        out.append("</table>")
    if not failures:
        out.append("<p>No failed check.</p>")
    for number, finding in enumerate(failures, start=1):
        out += _finding_html(doc, number, finding)
    out.append("</section>")
    return out


def render(docs: list[DocumentView], generated_at: datetime | None = None) -> str:
    """The report page: self-contained HTML."""
    when = (generated_at or datetime.now()).strftime("%Y-%m-%d %H:%M")
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Budget warehouse — reconciliation report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Reconciliation report</h1>",
        f"<p class='muted'>Generated {when} from the warehouse. Every identity the documents "
        "imply is checked; a failed check shows both figures where they are printed: the "
        "printed claim boxed in <span style='color:#c00'>red</span>, the figure it is "
        "compared with in <span style='color:#05d'>blue</span>. Documents that need a person "
        "come first.</p>",
        "<table><tr><th>document</th><th>status</th><th>kind</th><th>failed checks</th>"
        "<th>acknowledged</th><th>review</th></tr>",
    ]
    for doc in docs:
        fails = sum(1 for f in doc.findings if not f.is_acknowledged)
        acks = sum(1 for f in doc.findings if f.is_acknowledged)
        out.append(
            f'<tr><td><a href="#doc-{_e(doc.document_id)}">{_e(doc.file_name)}</a></td>'
            f"<td>{_e(doc.status)}</td><td>{_e(doc.kind or '')}</td>"
            f'<td class="n">{fails}</td><td class="n">{acks}</td><td>{_flag(doc)}</td></tr>'
        )
    out.append("</table>")
    for doc in docs:
        out += _document_html(doc)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --- the annotated copy -----------------------------------------------------------------------


def _pdf_rect(page, box: Box) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in PDF user space of an upright top-left-origin box."""
    left, bottom, right, top = page.get_mediabox()
    width, height = right - left, top - bottom
    rotation = page.get_rotation() % 360
    corners = []
    for u, v in ((box.x0, box.top), (box.x1, box.bottom)):
        if rotation == 90:
            x, y = v, u
        elif rotation == 180:
            x, y = width - u, v
        elif rotation == 270:
            x, y = width - v, height - u
        else:
            x, y = u, height - v
        corners.append((left + x, bottom + y))
    (xa, ya), (xb, yb) = corners
    return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


def annotate_pdf(source: Path, target: Path, findings: list[FindingView]) -> int:
    """A copy of ``source`` with every located figure boxed in red; returns the box count."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(str(source))
    count = 0
    try:
        for finding in findings:
            for box in finding.evidence.boxes:
                page = pdf[box.page_number - 1]
                left, bottom, right, top = _pdf_rect(page, box)
                annot = pdfium_c.FPDFPage_CreateAnnot(page.raw, pdfium_c.FPDF_ANNOT_SQUARE)
                rect = pdfium_c.FS_RECTF(left - 2, top + 2, right + 2, bottom - 2)
                pdfium_c.FPDFAnnot_SetRect(annot, rect)
                pdfium_c.FPDFAnnot_SetColor(
                    annot, pdfium_c.FPDFANNOT_COLORTYPE_Color, 220, 0, 0, 255
                )
                pdfium_c.FPDFAnnot_SetBorder(annot, 0, 0, 2)
                side = "printed" if box.figure.side == "expected" else "against"
                note = (
                    f"{finding.description} — {side} {box.figure.printed or ''}; "
                    f"difference {yuan(finding.difference_yuan, finding.value_unit)}"
                )
                value = (note + "\x00").encode("utf-16-le")
                buffer = ctypes.create_string_buffer(value, len(value))
                pdfium_c.FPDFAnnot_SetStringValue(
                    annot, b"Contents", ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
                )
                pdfium_c.FPDFPage_CloseAnnot(annot)
                page.close()
                count += 1
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        pdf.save(str(temporary))
        os.replace(temporary, target)
    finally:
        pdf.close()
    return count


# --- entry points ---------------------------------------------------------------------------------


def build(
    conn: duckdb.DuckDBPyConnection,
    out: Path,
    raw_dir: Path | None = None,
    annotate_dir: Path | None = None,
    findings: list[Finding] | None = None,
) -> list[DocumentView]:
    """Write the HTML report (and, with ``annotate_dir``, the annotated PDFs); returns the views.
    ``findings``: as ``load`` takes them."""
    raw_dir = raw_dir or settings.raw_dir()
    docs = load(conn, findings)
    crops = CropCache(out.with_name(f".{out.name}.crops"))
    attach_evidence(conn, docs, raw_dir, crops)
    crops.prune()
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    temporary.write_text(render(docs), encoding="utf-8")
    os.replace(temporary, out)
    if annotate_dir is not None:
        for doc in docs:
            source = _document_path(raw_dir, doc.file_name)
            if doc.is_pdf and source.is_file() and any(f.evidence.boxes for f in doc.findings):
                annotate_pdf(source, annotate_dir / doc.file_name, doc.findings)
    return docs


def _source_database() -> Path:
    published = settings.published_path()
    return published if published.exists() else settings.duckdb_path()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orchestration.html_report", description=__doc__)
    parser.add_argument("--out", type=Path, help="report file (default report.html beside DB)")
    parser.add_argument(
        "--annotate",
        action="store_true",
        default=os.environ.get("ANNOTATE", "") not in {"", "0", "false", "no"},
        help="also write annotated/<file>.pdf with the findings boxed in red",
    )
    args = parser.parse_args(argv)
    database = _source_database()
    if not database.exists():
        print(f"report: no warehouse at {database}: run `make run` first", file=sys.stderr)
        return 1
    out = args.out or report_path()
    annotate_dir = settings.duckdb_path().parent / ANNOTATED_DIR_NAME if args.annotate else None
    conn = duckdb.connect(str(database), read_only=True)
    try:
        docs = build(conn, out, annotate_dir=annotate_dir)
    finally:
        conn.close()
    findings = sum(len(d.findings) for d in docs)
    print(f"report: {out} ({len(docs)} documents, {findings} failed checks)")
    if annotate_dir is not None:
        print(f"annotated PDFs: {annotate_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
