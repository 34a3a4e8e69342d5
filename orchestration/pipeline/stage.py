"""Extract one document and stage the result: one content-addressed directory of Parquet files.

Extraction is pure (bytes in, records or a failure out) and CPU-bound, so it runs in parallel
outside the single DuckDB writer; its result is staged on disk and loading stays serialised and
fast (``orchestration.pipeline.load``). A staged document is a directory

    <staging>/<EXTRACTOR_VERSION>/<sha256[:2]>/<sha256>-<name tag>/
        stage.json            file name, sha256, status, rows per table
        documents.parquet     the registry row (raw.documents without ingested_at)
        <table>.parquet       the rows of each non-empty raw table, columns as in raw.<table>

written into a temporary directory and renamed into place, so a staged directory is complete or
absent (a kill -9 leaves at most a temporary directory, ignored and swept). The key is the content
and the extractor version; it also carries a tag of the file name because warnings and errors
name the file (``001.txt:79: ...``), so the same bytes under another name are another result.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration import settings, warehouse
from orchestration.extract import records as r
from orchestration.extract.document import extract_document
from orchestration.extract.source import read_source
from orchestration.extract.text import DocumentError

log = logging.getLogger(__name__)

EXTRACT_PACKAGE = Path(__file__).resolve().parent.parent / "extract"


def _extractor_version() -> str:
    """Hash of the extractor source files: any change to a reader re-extracts every document."""
    digest = hashlib.sha256()
    for path in sorted(EXTRACT_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".csv", ".json", ".yml", ".yaml"}:
            digest.update(path.relative_to(EXTRACT_PACKAGE).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]


# Computed once per process (a few dozen small files).
EXTRACTOR_VERSION = _extractor_version()
STAGE_FILE = "stage.json"
REGISTRY_FILE = f"{warehouse.REGISTRY_TABLE}.parquet"

# Arrow type of each SQL type the raw tables use (warehouse.record_columns).
_ARROW_TYPES: dict[str, pa.DataType] = {
    "varchar": pa.string(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "boolean": pa.bool_(),
    "decimal(18, 4)": pa.decimal128(18, 4),
    "decimal(18, 2)": pa.decimal128(18, 2),
    "integer[]": pa.list_(pa.int32()),
}


@dataclass(frozen=True)
class Extracted:
    """The outcome of extracting one document: records, or the error that quarantines it."""

    encoding: str | None
    line_count: int | None
    extraction: r.DocumentExtraction | None
    error: str | None = None
    error_line: int | None = None
    reader_version: str | None = None  # the PDF library and version, or "text"
    page_count: int | None = None  # pages of a PDF


def extract_bytes(data: bytes, file_name: str) -> Extracted:
    """Bytes of a document -> its source (a PDF or a text dump read into numbered lines) -> its
    records. Pure; never raises for bad input.

    This is the one place where a document's bytes become a source and then records.
    An unreadable document, or an extractor bug, becomes a failure naming the file (and line).
    """
    encoding = None
    line_count = None
    reader: dict = {}
    try:
        source = read_source(data, file_name)
        encoding, line_count = source.encoding, source.line_count
        reader = {"reader_version": source.reader, "page_count": source.page_count}
        extraction = extract_document(source, file_name)
    except DocumentError as exc:
        log.error("document %s failed: %s", file_name, exc)
        return Extracted(encoding, line_count, None, str(exc), exc.line, **reader)
    except Exception as exc:  # an extractor bug must not take the other documents down
        log.exception("document %s: extractor error", file_name)
        message = f"{file_name}: extractor error {type(exc).__name__}: {exc}"
        return Extracted(encoding, line_count, None, message, None, **reader)
    return Extracted(encoding, line_count, extraction, **reader)


def stage_key(doc: warehouse.DocumentFile) -> str:
    """Directory name of a staged document: its sha256 and a tag of its file name."""
    name_tag = hashlib.sha256(doc.file_name.encode("utf-8")).hexdigest()[:8]
    return f"{doc.sha256}-{name_tag}"


def staged_dir(doc: warehouse.DocumentFile, staging: Path | None = None) -> Path:
    """Where the staged result of ``doc`` under the current extractor version lives."""
    root = staging or settings.staging_dir()
    return root / EXTRACTOR_VERSION / doc.sha256[:2] / stage_key(doc)


def is_staged(doc: warehouse.DocumentFile, staging: Path | None = None) -> bool:
    """True when the current extractor's result for ``doc`` is staged (complete by construction)."""
    return (staged_dir(doc, staging) / STAGE_FILE).is_file()


def read_stage(directory: Path) -> dict[str, Any]:
    """The stage.json of a staged document."""
    return json.loads((directory / STAGE_FILE).read_text(encoding="utf-8"))


def stage_document(doc: warehouse.DocumentFile, path: Path, staging: Path | None = None) -> Path:
    """Extract ``path`` and stage its result, unless the current extractor's result is staged.

    Returns:
        The staged directory.

    Raises:
        RuntimeError: the file no longer has the content it was discovered with.
    """
    target = staged_dir(doc, staging)
    if (target / STAGE_FILE).is_file():
        return target
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise RuntimeError(f"{doc.file_name}: the file changed while it was being ingested")
    write_stage(doc, extract_bytes(data, doc.file_name), target)
    return target


def write_stage(doc: warehouse.DocumentFile, extracted: Extracted, target: Path) -> None:
    """Write the staged files into a temporary directory, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    temporary.mkdir()
    try:
        counts = {warehouse.REGISTRY_TABLE: 1}
        pq.write_table(_registry_table(doc, extracted), temporary / REGISTRY_FILE)
        if extracted.extraction is not None:
            for table, record_class in warehouse.RECORD_TABLES.items():
                items = getattr(extracted.extraction, warehouse.EXTRACTION_ATTR[table])
                counts[table] = len(items)
                if items:
                    arrow = records_table(record_class, doc, items)
                    pq.write_table(arrow, temporary / f"{table}.parquet")
        stage = {
            "document_id": doc.document_id,
            "file_name": doc.file_name,
            "sha256": doc.sha256,
            "extractor_version": EXTRACTOR_VERSION,
            "status": "loaded" if extracted.extraction is not None else "failed",
            "error": extracted.error,
            "counts": counts,
            "warnings": [
                [w.source_line, w.kind, w.message]
                for w in (extracted.extraction.warnings if extracted.extraction else [])
            ],
        }
        (temporary / STAGE_FILE).write_text(json.dumps(stage, ensure_ascii=False), "utf-8")
        try:
            os.rename(temporary, target)
        except OSError:
            # Another process staged the same document meanwhile: its result is identical.
            if not (target / STAGE_FILE).is_file():
                raise
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)


def sweep_temporary(staging: Path | None = None) -> int:
    """Remove temporary directories left by a killed run. Returns how many were removed."""
    root = (staging or settings.staging_dir()) / EXTRACTOR_VERSION
    removed = 0
    for temporary in root.glob("*/.*.tmp-*") if root.is_dir() else []:
        shutil.rmtree(temporary, ignore_errors=True)
        removed += 1
    return removed


def _arrow_type(sql: str) -> pa.DataType:
    return _ARROW_TYPES[sql]


def _fit(value: Any, data_type: pa.DataType) -> Any:
    """A Decimal with more places than its column, rounded as DuckDB's own cast rounds."""
    if isinstance(value, Decimal) and pa.types.is_decimal(data_type):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > data_type.scale:
            return value.quantize(Decimal(1).scaleb(-data_type.scale), rounding=ROUND_HALF_UP)
    return value


def records_table(record_class: type, doc: warehouse.DocumentFile, items: list[Any]) -> pa.Table:
    """The rows of one raw table as Arrow, columns and types exactly as in ``raw.<table>``."""
    columns = warehouse.record_columns(record_class)
    names = [f.name for f in dataclasses.fields(record_class)]
    arrays = [
        pa.array([doc.document_id] * len(items), pa.string()),
        pa.array([doc.file_name] * len(items), pa.string()),
    ]
    for name, (_, sql) in zip(names, columns[2:], strict=True):
        data_type = _arrow_type(sql)
        arrays.append(pa.array([_fit(getattr(i, name), data_type) for i in items], data_type))
    return pa.Table.from_arrays(arrays, names=[name for name, _ in columns])


def _registry_table(doc: warehouse.DocumentFile, extracted: Extracted) -> pa.Table:
    """The registry row of the document, without ``ingested_at`` (set when it is loaded)."""
    extraction = extracted.extraction
    meta = extraction.meta if extraction else r.DocumentMeta()
    row = {
        "document_id": doc.document_id,
        "file_name": doc.file_name,
        "sha256": doc.sha256,
        "size_bytes": doc.size_bytes,
        "encoding": extracted.encoding,
        "status": "loaded" if extraction is not None else "failed",
        "error_message": extracted.error,
        "error_line": extracted.error_line,
        "title": meta.title,
        "issuing_body": meta.issuing_body,
        "fiscal_year": meta.fiscal_year,
        "document_kind": meta.document_kind,
        "scope": meta.scope,
        "units_printed": ",".join(meta.units_printed) or None,
        "line_count": extracted.line_count,
        "warning_count": len(extraction.warnings) if extraction else None,
        "extractor_version": EXTRACTOR_VERSION,
        "reader_version": extracted.reader_version,
        "page_count": extracted.page_count,
    }
    schema = pa.schema(
        [(name, _arrow_type(sql)) for name, sql in warehouse.registry_columns() if name in row]
    )
    return pa.Table.from_pylist([row], schema=schema)


def _stage_one(job: tuple[warehouse.DocumentFile, Path, Path]) -> tuple[str, str | None]:
    doc, path, staging = job
    try:
        stage_document(doc, path, staging)
    except Exception as exc:  # reported by the caller; the ingest asset retries and fails loudly
        return doc.file_name, f"{type(exc).__name__}: {exc}"
    return doc.file_name, None


def stage_documents(
    documents: list[tuple[warehouse.DocumentFile, Path]],
    staging: Path | None = None,
    workers: int | None = None,
    on_done: Callable[[str], None] | None = None,
) -> dict[str, str]:
    """Stage every document not yet staged, extracting in parallel on ``workers`` processes;
    ``on_done(file_name)`` is called as each one finishes (progress at the terminal).

    Returns:
        file name -> error, for documents that could not be staged (each is also logged).
    """
    root = staging or settings.staging_dir()
    sweep_temporary(root)
    jobs = [(doc, path, root) for doc, path in documents if not is_staged(doc, root)]
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    outcomes: list[tuple[str, str | None]] = []

    def done(outcome: tuple[str, str | None]) -> None:
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome[0])

    if workers == 1:
        for job in jobs:
            done(_stage_one(job))
    else:
        # spawn, not fork: the caller may hold threads (Dagster) that a forked child would inherit.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            chunksize = max(1, len(jobs) // (8 * workers))
            for outcome in pool.map(_stage_one, jobs, chunksize=chunksize):
                done(outcome)
    errors = {name: error for name, error in outcomes if error}
    for name, error in errors.items():
        log.error("document %s could not be staged: %s", name, error)
    return errors
