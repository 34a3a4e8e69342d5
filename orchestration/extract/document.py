"""Extract one document: run every table extractor over its lines, infer metadata.

The lines come from the source layer (:func:`orchestration.extract.source.read_source`), which
reads a PDF or a text dump into the same layout model.

Each extractor module exposes ``extract(lines, file_name, doc)`` and appends its records to the
shared :class:`DocumentExtraction`. Statement tables come first because the project and
performance extractors read the project budget rows they produced (for matching).
"""

from __future__ import annotations

from orchestration.extract import contents, finals, narrative, performance, statements
from orchestration.extract.metadata import infer_meta
from orchestration.extract.records import DocumentExtraction
from orchestration.extract.source import Source
from orchestration.extract.text import DocumentError

# Extractors in the order they run.
EXTRACTORS = (
    statements.extract,
    performance.extract,
    narrative.extract,
    contents.extract,
    finals.extract,
)


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
    doc.meta = infer_meta(lines, doc)
    if not doc.tables and not doc.performance_tables and not is_narrative_only(doc):
        raise DocumentError(
            file_name,
            "not a budget document: no budget statement, project or performance table found",
        )
    _renumber_tables(doc)
    return doc


def is_narrative_only(doc: DocumentExtraction) -> bool:
    """A 说明 published apart from its tables (a disclosure split into a tables file and a notes
    file): a cover title naming a budget or final account, and money figures stated in its
    narrative. It loads with what it holds; completeness reports the tables it does not print."""
    meta = doc.meta
    return bool(
        meta.title
        and meta.document_kind in ("预算", "决算")
        and meta.scope is not None
        and any(figure.amount_yuan is not None for figure in doc.narrative_figures)
    )


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
