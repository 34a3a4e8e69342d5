"""Find documents in the raw directory and load one into the warehouse. No Dagster imports.

A document is any ``.pdf``, ``.txt`` or ``.md`` file in the raw directory. Its id is derived from
its content (the first 16 hex digits of its SHA-256), so a changed file is a new document and an
unchanged one keeps its id across runs.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration import settings, warehouse
from orchestration.extract.document import extract_document
from orchestration.extract.source import read_source
from orchestration.extract.text import DocumentError

log = logging.getLogger(__name__)
DOCUMENT_ID_LENGTH = 16


def document_id_for(data: bytes) -> str:
    """Stable id of a document's content."""
    return hashlib.sha256(data).hexdigest()[:DOCUMENT_ID_LENGTH]


def discover_files(raw_dir: Path | None = None) -> list[tuple[warehouse.DocumentFile, Path]]:
    """Every document file in the raw directory, sorted by file name (copies included)."""
    directory = raw_dir or settings.raw_dir()
    found = []
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        if not path.is_file() or path.suffix.lower() not in settings.DOCUMENT_SUFFIXES:
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        doc = warehouse.DocumentFile(
            document_id=digest[:DOCUMENT_ID_LENGTH],
            file_name=path.name,
            sha256=digest,
            size_bytes=len(data),
        )
        found.append((doc, path))
    return found


def discover(raw_dir: Path | None = None) -> list[tuple[warehouse.DocumentFile, Path]]:
    """Every document in the raw directory, once: the same bytes under several names are one.

    A document is keyed by its content, so identical copies share one ``document_id`` (one
    Dagster partition, one load). It is loaded under the first of its file names in sort order;
    every name stays recorded by ``raw.document_inventory`` (see ``unique_documents``).
    """
    return unique_documents(discover_files(raw_dir))


def unique_documents(
    files: list[tuple[warehouse.DocumentFile, Path]],
) -> list[tuple[warehouse.DocumentFile, Path]]:
    """The first file of each document id, in the given (file name) order."""
    seen: set[str] = set()
    unique = []
    for doc, path in files:
        if doc.document_id not in seen:
            seen.add(doc.document_id)
            unique.append((doc, path))
    return unique


@dataclass(frozen=True)
class IngestResult:
    """Outcome of loading one document."""

    document_id: str
    file_name: str
    status: str  # "loaded" | "failed"
    error: str | None
    counts: dict[str, int]
    warnings: int


def ingest_file(
    conn: duckdb.DuckDBPyConnection, doc: warehouse.DocumentFile, path: Path
) -> IngestResult:
    """Extract one document and replace its rows in the warehouse.

    A document that cannot be extracted is quarantined: its registry row gets status ``failed``
    and the error naming the file and line, and nothing else of it is written. The error is
    logged, and returned, never swallowed.
    """
    data = path.read_bytes()
    encoding = None
    line_count = None
    reader: dict[str, object] = {}
    try:
        source = read_source(data, path.name)
        encoding, line_count = source.encoding, source.line_count
        reader = {"reader_version": source.reader, "page_count": source.page_count}
        extraction = extract_document(source, path.name)
    except DocumentError as exc:
        log.error("document %s failed: %s", path.name, exc)
        return _quarantine(conn, doc, encoding, str(exc), exc.line, line_count, reader)
    except Exception as exc:  # an extractor bug must not take the other documents down
        log.exception("document %s: extractor error", path.name)
        message = f"{path.name}: extractor error {type(exc).__name__}: {exc}"
        return _quarantine(conn, doc, encoding, message, None, line_count, reader)
    counts = warehouse.write_document(
        conn, doc, encoding=encoding, extraction=extraction, line_count=line_count, **reader
    )
    for warning in extraction.warnings:
        log.warning("%s:%s %s: %s", path.name, warning.source_line, warning.kind, warning.message)
    return IngestResult(
        doc.document_id, doc.file_name, "loaded", None, counts, len(extraction.warnings)
    )


def _quarantine(
    conn: duckdb.DuckDBPyConnection,
    doc: warehouse.DocumentFile,
    encoding: str | None,
    message: str,
    line: int | None,
    line_count: int | None,
    reader: dict[str, object],
) -> IngestResult:
    counts = warehouse.write_document(
        conn,
        doc,
        encoding=encoding,
        extraction=None,
        error=message,
        error_line=line,
        line_count=line_count,
        **reader,
    )
    return IngestResult(doc.document_id, doc.file_name, "failed", message, counts, 0)
