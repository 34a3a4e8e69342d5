"""Extract one document: decode, split into lines, run every table extractor, infer metadata.

Each extractor module exposes ``extract(lines, file_name, doc)`` and appends its records to the
shared :class:`DocumentExtraction`. Statement tables come first because the project and
performance extractors read the project budget rows they produced (for matching).
"""

from __future__ import annotations

from orchestration.extract import narrative, performance, projects, statements
from orchestration.extract.metadata import infer_meta
from orchestration.extract.records import DocumentExtraction
from orchestration.extract.text import DocumentError, to_lines

# Extractors in the order they run.
EXTRACTORS = (statements.extract, projects.extract, performance.extract, narrative.extract)


def extract_document(text: str, file_name: str) -> DocumentExtraction:
    """Extract every table and figure of a decoded document.

    Raises:
        DocumentError: the text is not a budget document, or a recognised table cannot be read.
    """
    lines = to_lines(text)
    doc = DocumentExtraction()
    for extractor in EXTRACTORS:
        extractor(lines, file_name, doc)
    doc.meta = infer_meta(lines, doc)
    if not doc.tables and not doc.performance_tables and not is_narrative_only(doc):
        raise DocumentError(
            file_name,
            "not a budget document: no budget statement or performance-target table was recognised",
        )
    _renumber_tables(doc)
    return doc


def is_narrative_only(doc: DocumentExtraction) -> bool:
    """A 说明 published apart from its tables (a disclosure split into a tables file and a notes
    file): a cover title naming a budget or final account, and figures stated in its narrative.
    It loads with what it holds; completeness reports the tables it does not print."""
    meta = doc.meta
    return bool(
        meta.title
        and meta.document_kind in ("预算", "决算")
        and meta.scope is not None
        and doc.narrative_figures
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
