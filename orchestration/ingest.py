"""Find documents in the raw directory and load one into the warehouse. No Dagster imports.

Extraction and staging: ``orchestration.pipeline.stage``; loading: ``orchestration.pipeline.load``.

A document is any ``.pdf``, ``.txt`` or ``.md`` file in the raw directory. Its id is derived from
its content (the first 16 hex digits of its SHA-256), so a changed file is a new document and an
unchanged one keeps its id across runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration import settings, warehouse
from orchestration.pipeline import discover as discovery
from orchestration.pipeline import load, stage

DOCUMENT_ID_LENGTH = 16


def document_id_for(data: bytes) -> str:
    """Stable id of a document's content."""
    return hashlib.sha256(data).hexdigest()[:DOCUMENT_ID_LENGTH]


def discover_files(raw_dir: Path | None = None) -> list[tuple[warehouse.DocumentFile, Path]]:
    """Every document file in the raw directory, sorted by file name (copies included)."""
    directory = raw_dir or settings.raw_dir()
    paths = [
        path
        for path in (sorted(directory.iterdir()) if directory.is_dir() else [])
        if path.is_file() and path.suffix.lower() in settings.DOCUMENT_SUFFIXES
    ]
    # Files are hashed once; afterwards the manifest's (size, mtime) stamp gives their sha256.
    hashes = discovery.hash_files(directory, paths)
    found = []
    for path in paths:
        digest, size = hashes[path.name]
        doc = warehouse.DocumentFile(
            document_id=digest[:DOCUMENT_ID_LENGTH],
            file_name=path.name,
            sha256=digest,
            size_bytes=size,
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


def find_document(
    document_id: str, raw_dir: Path | None = None
) -> tuple[warehouse.DocumentFile, Path] | None:
    """The file holding one document, without hashing the whole folder when the manifest knows it.

    Falls back to a full :func:`discover` when the manifest has no current entry for the id.
    """
    directory = raw_dir or settings.raw_dir()
    # The first file name wins, as in discover() (identical copies are one document).
    candidates = sorted(discovery.lookup(directory, document_id))
    for name, digest, size in candidates:
        if digest[:DOCUMENT_ID_LENGTH] == document_id:
            doc = warehouse.DocumentFile(document_id, name, digest, size)
            return doc, directory / name
    files = {doc.document_id: (doc, path) for doc, path in discover(directory)}
    return files.get(document_id)


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
    conn: duckdb.DuckDBPyConnection,
    doc: warehouse.DocumentFile,
    path: Path,
    *,
    force: bool = True,
    staging: Path | None = None,
) -> IngestResult:
    """Extract one document (or take its staged result) and replace its rows in the warehouse.

    A document that cannot be extracted is quarantined: its registry row gets status ``failed``
    and the error naming the file and line, and nothing else of it is written. The error is
    logged, and returned, never swallowed. With ``force`` False a document the warehouse already
    holds from the current extractor is not loaded again.
    """
    staged = stage.stage_document(doc, path, staging)
    result = load.load_staged(conn, doc, staged, force=force)
    return IngestResult(
        result.document_id,
        result.file_name,
        result.status,
        result.error,
        result.counts,
        result.warnings,
    )
