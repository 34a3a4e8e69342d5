"""A small warehouse with a PDF, text documents and their findings, for the HTML report tests.

The PDF is written by pdf_builder; its layout rows (the raw.layout_lines / raw.layout_cells
contract of the PDF reader) are the word boxes pdfplumber reads from that PDF, so the report is
tested against positions measured independently of the report code.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pdfplumber

from tests.report.pdf_builder import PAGE_HEIGHT, PAGE_WIDTH, write_pdf

PDF_NAME = "bureau-2024-budget.pdf"
TEXT_NAME = "unit-2023-budget.txt"
FAILED_NAME = "broken-2023-budget.txt"
CLEAN_NAME = "clean-2022-budget.txt"
PDF_ID, TEXT_ID, FAILED_ID, CLEAN_ID = "a" * 16, "b" * 16, "c" * 16, "d" * 16

# The PDF: source line -> (page, [(x, y from top, text) per cell]).
PDF_LINES: dict[int, tuple[int, list[tuple[float, float, str]]]] = {
    3: (1, [(72, 100, "Total income"), (400, 100, "1,234.56")]),
    5: (1, [(72, 300, "Rows"), (400, 300, "1,230.00")]),
    8: (2, [(72, 200, "Other"), (400, 200, "99.00")]),
}
# Line 8's figure cell is left out of raw.layout_cells: the report must fall back to the line box.
CELL_LEFT_OUT = (8, "99.00")
TEXT_LINES = [
    "2023年单位收支总表",
    "收入总计\t\t1,500.00",
    "一般公共预算拨款收入\t\t1,400.00",
    "支出总计\t\t1,499.00",
]

_RESULTS_DDL = """
create table marts.reconciliation_results (
    document_id varchar, file_name varchar, rule_id varchar, instance varchar, family varchar,
    failure_class varchar, severity varchar, description varchar, value_unit varchar,
    expected_yuan decimal(18, 2), actual_yuan decimal(18, 2), difference_yuan decimal(18, 2),
    tolerance_yuan decimal(18, 3), status varchar, is_acknowledged boolean,
    acknowledgement_reason varchar, expected_source varchar, actual_source varchar,
    expected_lines integer[], actual_lines integer[]
)
"""


def _result(
    document_id,
    file_name,
    rule_id,
    instance,
    family,
    severity,
    description,
    expected,
    actual,
    status,
    expected_source,
    actual_source,
    expected_lines,
    actual_lines,
    acknowledged=None,
):
    expected_d, actual_d = Decimal(expected), Decimal(actual)
    return (
        document_id,
        file_name,
        rule_id,
        instance,
        family,
        {"error": "integrity", "finding": "source_discrepancy"}.get(severity, "informational"),
        severity,
        description,
        "元",
        expected_d,
        actual_d,
        expected_d - actual_d,
        Decimal("0.010"),
        status,
        acknowledged is not None,
        acknowledged,
        expected_source,
        actual_source,
        expected_lines,
        actual_lines,
    )


RESULTS = [
    _result(
        PDF_ID,
        PDF_NAME,
        "within.total_equals_top_level_rows",
        "T1 L3 合计",
        "within_table",
        "error",
        "A printed 合计 row equals the sum of the top-level rows it closes",
        "1234.56",
        "1230.00",
        "fail",
        "T1 line 3 [Total income] = 1,234.56",
        "line 5 [Rows] = 1,230.00",
        [3],
        [5],
    ),
    _result(
        PDF_ID,
        PDF_NAME,
        "narrative.figure_restates_table",
        "L8 #1",
        "narrative",
        "finding",
        "A figure stated in the narrative equals the table figure it restates",
        "1234.56",
        "99.00",
        "fail",
        "narrative line 3 [Total income] = 1,234.56",
        "table line 8 [Other] = 99.00",
        [3],
        [8],
    ),
    _result(
        PDF_ID,
        PDF_NAME,
        "within.parent_equals_children",
        "T1 L5",
        "within_table",
        "error",
        "A row equals the sum of its child rows",
        "1230.00",
        "1230.00",
        "exact",
        "line 5 [Rows] = 1,230.00",
        "sum of 1 rows",
        [5],
        [5],
    ),
    _result(
        PDF_ID,
        PDF_NAME,
        "completeness.statement_present",
        "收支总表",
        "completeness",
        "error",
        "A statement the document kind requires is printed",
        "1",
        "1",
        "exact",
        "required: 收支总表",
        "found: T1 line 1",
        [],
        [1],
    ),
    _result(
        PDF_ID,
        PDF_NAME,
        "completeness.statement_present",
        "收入总表",
        "completeness",
        "error",
        "A statement the document kind requires is printed",
        "1",
        "0",
        "fail",
        "required: 收入总表",
        "not found",
        [],
        [],
    ),
    _result(
        TEXT_ID,
        TEXT_NAME,
        "within.total_equals_top_level_rows",
        "T1 L2 收入总计",
        "within_table",
        "finding",
        "收入总计 equals 支出总计",
        "1500.00",
        "1499.00",
        "fail",
        "T1 line 2 [收入总计] = 1,500.00",
        "T1 line 4 [支出总计] = 1,499.00",
        [2],
        [4],
    ),
    _result(
        CLEAN_ID,
        CLEAN_NAME,
        "within.parent_equals_children",
        "T1 L2",
        "within_table",
        "error",
        "A row equals the sum of its child rows",
        "5.00",
        "5.00",
        "exact",
        "line 2 [a] = 5.00",
        "sum of 1 rows",
        [2],
        [3],
    ),
]


def pdf_word_boxes(pdf_path: Path) -> dict[tuple[int, str], tuple[float, float, float, float]]:
    """(page, text) -> (x0, top, x1, bottom) of each printed cell, as pdfplumber measures it."""
    boxes = {}
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            words = page.extract_words(keep_blank_chars=True, x_tolerance=3)
            for word in words:
                boxes[(page.page_number, word["text"])] = (
                    word["x0"],
                    word["top"],
                    word["x1"],
                    word["bottom"],
                )
    return boxes


def build(base: Path, with_layout: bool = True) -> tuple[Path, Path]:
    """Write raw/ (the PDF and the text documents) and a warehouse; returns (database, raw)."""
    raw = base / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    pages: list[list[tuple[float, float, str]]] = [[], []]
    for page, cells in PDF_LINES.values():
        pages[page - 1] += cells
    write_pdf(raw / PDF_NAME, pages)
    (raw / TEXT_NAME).write_text("\n".join(TEXT_LINES) + "\n", encoding="utf-8")
    (raw / CLEAN_NAME).write_text("2022年单位收支总表\n", encoding="utf-8")
    (raw / FAILED_NAME).write_bytes("2023年单位收支总表\n收入".encode()[:-1])
    database = base / "budget.duckdb"
    conn = duckdb.connect(str(database))
    try:
        for schema in ("raw", "marts", "reference"):
            conn.execute(f"create schema {schema}")
        conn.execute(
            "create table raw.documents (document_id varchar, file_name varchar, status varchar, "
            "document_kind varchar, error_message varchar, error_line integer, encoding varchar)"
        )
        conn.executemany(
            "insert into raw.documents values (?, ?, ?, ?, ?, ?, ?)",
            [
                (CLEAN_ID, CLEAN_NAME, "loaded", "预算", None, None, "utf-8"),
                (PDF_ID, PDF_NAME, "loaded", "预算", None, None, None),
                (
                    FAILED_ID,
                    FAILED_NAME,
                    "failed",
                    None,
                    "file is truncated: it ends in the middle of a UTF-8 character",
                    2,
                    None,
                ),
                (TEXT_ID, TEXT_NAME, "loaded", "预算", None, None, "utf-8"),
            ],
        )
        conn.execute(
            "create table raw.statement_tables (document_id varchar, table_ordinal integer, "
            "statement_type varchar, title varchar, is_empty boolean)"
        )
        conn.executemany(
            "insert into raw.statement_tables values (?, ?, ?, ?, ?)",
            [
                (PDF_ID, 1, "income_expenditure_summary", "2024年部门收支总表", False),
                (TEXT_ID, 1, "income_expenditure_summary", "2023年单位收支总表", False),
            ],
        )
        conn.execute(
            "create table marts.dim_document as select document_id, document_kind "
            "from raw.documents"
        )
        conn.execute(
            "create table marts.document_review_status (document_id varchar, "
            "needs_review boolean, unacknowledged_error_count integer)"
        )
        conn.executemany(
            "insert into marts.document_review_status values (?, ?, ?)",
            [(PDF_ID, True, 1), (TEXT_ID, False, 0), (CLEAN_ID, False, 0), (FAILED_ID, True, 0)],
        )
        conn.execute(_RESULTS_DDL)
        conn.executemany(
            "insert into marts.reconciliation_results values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            RESULTS,
        )
        conn.execute(
            "create table reference.reconciliation_rules (rule_id varchar, lhs varchar, "
            "rhs varchar, comparison varchar)"
        )
        conn.executemany(
            "insert into reference.reconciliation_rules values (?, ?, ?, ?)",
            [
                (
                    "within.total_equals_top_level_rows",
                    "total row",
                    "top-level rows it closes",
                    "equal",
                ),
                ("narrative.figure_restates_table", "narrative figure", "table figure", "equal"),
            ],
        )
        if with_layout:
            _layout(conn, raw / PDF_NAME)
    finally:
        conn.close()
    return database, raw


def _layout(conn: duckdb.DuckDBPyConnection, pdf_path: Path) -> None:
    conn.execute(
        "create table raw.layout_lines (document_id varchar, file_name varchar, "
        "source_line integer, page_number integer, page_width decimal(18, 4), "
        "page_height decimal(18, 4), x0 decimal(18, 4), top decimal(18, 4), "
        "x1 decimal(18, 4), bottom decimal(18, 4), text varchar)"
    )
    conn.execute(
        "create table raw.layout_cells (document_id varchar, file_name varchar, "
        "source_line integer, cell_index integer, page_number integer, x0 decimal(18, 4), "
        "top decimal(18, 4), x1 decimal(18, 4), bottom decimal(18, 4), text varchar)"
    )
    boxes = pdf_word_boxes(pdf_path)
    for line, (page, cells) in PDF_LINES.items():
        cell_boxes = [boxes[(page, text)] for _, _, text in cells]
        conn.execute(
            "insert into raw.layout_lines values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                PDF_ID,
                PDF_NAME,
                line,
                page,
                PAGE_WIDTH,
                PAGE_HEIGHT,
                min(b[0] for b in cell_boxes),
                min(b[1] for b in cell_boxes),
                max(b[2] for b in cell_boxes),
                max(b[3] for b in cell_boxes),
                "  ".join(text for _, _, text in cells),
            ],
        )
        for index, ((_, _, text), box) in enumerate(zip(cells, cell_boxes, strict=True)):
            if (line, text) == CELL_LEFT_OUT:
                continue
            conn.execute(
                "insert into raw.layout_cells values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [PDF_ID, PDF_NAME, line, index, page, *box, text],
            )
