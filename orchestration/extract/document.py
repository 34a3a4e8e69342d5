"""Extract one document: run every table extractor over its lines, infer metadata.

The lines come from the source layer (:func:`orchestration.extract.source.read_source`), which
reads a PDF or a text dump into the same layout model.

Each extractor module exposes ``extract(lines, file_name, doc)`` and appends its records to the
shared :class:`DocumentExtraction`. Statement tables come first because the project and
performance extractors read the project budget rows they produced (for matching).
"""

from __future__ import annotations

import re
from collections import Counter

from orchestration.extract import narrative, performance, projects, statements
from orchestration.extract.records import DocumentExtraction, DocumentMeta
from orchestration.extract.source import Source
from orchestration.extract.text import DocumentError, Line, find_unit, name_key, normalize_name

# Extractors in the order they run.
EXTRACTORS = (statements.extract, projects.extract, performance.extract, narrative.extract)

_YEAR_RE = re.compile(r"(20\d{2})\s*年")
_BUDGET_YEAR_RE = re.compile(r"预算年度\s*[:：]\s*(20\d{2})")
# Document kinds by title wording, most specific first.
DOCUMENT_KINDS: tuple[tuple[str, str], ...] = (
    ("绩效目标批复", "绩效目标批复"),
    ("绩效目标", "绩效目标"),
    ("决算", "决算"),
    ("预算", "预算"),
)
SCOPES: tuple[str, ...] = ("部门预算", "单位预算", "部门决算", "单位决算", "区级单位预算")
_ISSUER_RE = re.compile(
    r"(?:部门名称|预算单位|单位名称|预算\s*[（(]单位[）)]\s*名称|^部门(?:\s*[（(]单位[）)])?)"
    r"\s*[:：]\s*(\S+)"
)
# "部门名称：X 单位：万元" is one line in many templates: the unit is no part of the name.
_TRAILING_UNIT_RE = re.compile(r"(?:金额)?单位\s*[:：].*$")


def extract_document(source: Source, file_name: str) -> DocumentExtraction:
    """Extract every table and figure of a document read by the source layer.

    Raises:
        DocumentError: the text is not a budget document, or a recognised table cannot be read.
    """
    lines = source.lines
    doc = DocumentExtraction(
        layout_lines=list(source.layout_lines),
        layout_cells=list(source.layout_cells),
        warnings=list(source.warnings),
    )
    for extractor in EXTRACTORS:
        extractor(lines, file_name, doc)
    # a 说明 published apart from its tables (a "notes" file) states money figures in its text
    has_money_figures = any(f.amount_yuan is not None for f in doc.narrative_figures)
    if not doc.tables and not doc.performance_tables and not has_money_figures:
        raise DocumentError(
            file_name,
            "not a budget document: no budget statement, project or performance table found",
        )
    _renumber_tables(doc)
    doc.meta = infer_meta(lines, doc)
    return doc


def _renumber_tables(doc: DocumentExtraction) -> None:
    """Give statement tables consecutive ordinals in reading order.

    Extractors number their tables by title line; the warehouse wants 1, 2, 3 … per document.
    """
    mapping = {
        table.table_ordinal: ordinal
        for ordinal, table in enumerate(sorted(doc.tables, key=lambda t: t.first_line), start=1)
    }
    if len(mapping) != len(doc.tables):
        raise ValueError("two statement tables share a table_ordinal")
    for item in (*doc.tables, *doc.rows, *doc.cells):
        item.table_ordinal = mapping[item.table_ordinal]
    for match in doc.project_matches:
        if match.table_ordinal is not None:
            match.table_ordinal = mapping[match.table_ordinal]
    doc.tables.sort(key=lambda t: t.table_ordinal)


_ISSUER_LABELS = frozenset({"部门名称", "单位名称", "预算单位", "部门单位"})


def _issuer_cell(lines: list[Line]) -> str | None:
    """The name in the cell after a "部门名称" cell of a table row (no colon printed)."""
    for line in lines:
        cells = [cell for cell in line.cells if cell.strip()] if line.layout != "text" else []
        if len(cells) >= 2 and name_key(cells[0]) in _ISSUER_LABELS:
            return normalize_name(cells[1])
    return None


def infer_meta(lines: list[Line], doc: DocumentExtraction) -> DocumentMeta:
    """Title, issuing body, fiscal year, kind and printed units inferred from the text."""
    head = [line for line in lines[:80] if not line.is_blank]
    title = None
    for line in head:
        candidate = normalize_name(line.joined.lstrip("#").strip())
        if ("预算" in candidate or "决算" in candidate or "绩效" in candidate) and len(
            candidate
        ) <= 60:
            title = candidate
            break
    fiscal_year = None
    for line in head:
        match = _BUDGET_YEAR_RE.search(line.joined) or _YEAR_RE.search(line.joined)
        if match:
            fiscal_year = int(match.group(1))
            break
    issuer = None
    for line in lines[:400]:
        match = _ISSUER_RE.search(normalize_name(line.joined))
        if match and (name := _TRAILING_UNIT_RE.sub("", match.group(1))):
            issuer = name
            break
    if issuer is None:
        issuer = _issuer_cell(lines)
    if issuer is None and doc.performance_tables:
        issuer = doc.performance_tables[0].department_name
    kind = next((k for word, k in DOCUMENT_KINDS if title and word in title), None)
    scope = next((s for s in SCOPES if title and s in title), None)
    units = Counter(u for line in lines if (u := find_unit(line.text)))
    return DocumentMeta(
        title=title,
        issuing_body=issuer,
        fiscal_year=fiscal_year,
        document_kind=kind,
        scope=scope,
        units_printed=[unit for unit, _ in units.most_common()],
    )
