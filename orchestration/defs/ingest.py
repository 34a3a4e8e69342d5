"""Ingest: one partition per document in the raw directory -> the ``raw`` schema of DuckDB."""

import dagster as dg

from orchestration import ingest, settings, warehouse
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.pipeline import load, stage

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")

RAW_TABLE_DESCRIPTIONS: dict[str, str] = {
    "documents": "Registry: one row per document with sha256, encoding, status and error.",
    "statement_tables": "One row per budget statement table (title, unit, lines, empty or not).",
    "statement_rows": "One row per statement row: name as printed, codes, role, nesting.",
    "statement_cells": "One row per amount cell: header path, raw text, printed value, yuan.",
    "performance_tables": "One row per logical performance-target table.",
    "performance_funding": "Funding figures of performance tables (label -> value).",
    "performance_indicators": "Performance indicators (一级/二级/三级, target, comparator).",
    "project_details": "项目构成分解 detail rows (明细金额, 单价, 数量).",
    "performance_attributes": "Headcounts, tasks and other non-money items of performance tables.",
    "project_matches": "Links from performance tables to project budget rows.",
    "narrative_figures": "Figures stated in the narrative 情况说明 sections.",
    "narrative_list_items": "Names enumerated before a narrative count (the units of 001 line 79).",
    "contents_entries": "Statement tables the document's 目录 lists (compared with those found).",
    "execution_statements": "决算 prose: budget beside outturn, completion rate, direction word.",
    "disclosure_marks": "Placeholders, as-of dates and heading years, for the hygiene checks.",
    "extraction_warnings": "Rows of recognised tables that could not be read, with file and line.",
    "layout_lines": "Every line of a document with its page and box (PDF) or line number (text).",
    "layout_cells": "Every table cell of a PDF with its page and box.",
}


def _raw_spec(table: str) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=dg.AssetKey(["raw", table]),
        description=RAW_TABLE_DESCRIPTIONS[table],
        group_name="ingest",
        kinds={"python", "duckdb"},
        partitions_def=documents_partitions,
    )


@dg.multi_asset(
    name="ingest_document",
    specs=[_raw_spec(table) for table in warehouse.ALL_TABLES],
    partitions_def=documents_partitions,
    can_subset=False,
    pool=WAREHOUSE_POOL,
    # One run may load a range of partitions (make run: every new document in one run, instead
    # of one run per document, whose start-up cost dominated a build of a thousand documents).
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def ingest_document(context: dg.AssetExecutionContext, warehouse_db: WarehouseResource):
    """Raw tables of one document in raw/: extracted statements, projects, targets, narrative.

    Loads each document's staged extraction (staging it first when missing); a document already
    loaded by the current extractor is left as it is. A run over a range of partitions loads each
    document in its own transaction.
    """
    keys = context.partition_keys
    if len(keys) == 1:
        found = ingest.find_document(keys[0])
        files = {keys[0]: found} if found else {}
    else:
        files = {doc.document_id: (doc, path) for doc, path in ingest.discover()}
    results: list[load.LoadResult] = []
    with warehouse_db.get_connection() as conn:
        for key in keys:
            if key not in files:
                continue
            doc, path = files[key]
            # `make run` stages every document in parallel first; a sensor run stages its one
            # here. A document already loaded by this extractor needs neither.
            if load.is_current(conn, doc) and not stage.is_staged(doc):
                result = load.held_result(conn, doc)
            else:
                result = load.load_staged(conn, doc, stage.stage_document(doc, path))
            if result.status == "failed":
                context.log.error(f"{doc.file_name} quarantined: {result.error}")
            results.append(result)
    reloaded = sum(result.reloaded for result in results)
    context.log.info(
        f"{reloaded} documents loaded, {len(results) - reloaded} already current "
        f"(extractor {stage.EXTRACTOR_VERSION})"
    )
    missing = [key for key in keys if key not in files]
    if missing:
        raise dg.Failure(
            f"documents {', '.join(missing)} are no longer in {settings.raw_dir()}; "
            "the sensor removes their partitions and the refresh prunes their rows"
        )
    for table in warehouse.ALL_TABLES:
        yield dg.MaterializeResult(
            asset_key=dg.AssetKey(["raw", table]), metadata=_metadata(table, results)
        )


def _metadata(table: str, results: list[load.LoadResult]) -> dict[str, object]:
    """Per-document metadata for a one-partition run; totals for a run over a range."""
    common = {"extractor_version": stage.EXTRACTOR_VERSION}
    if len(results) == 1:
        (result,) = results
        return {
            "file_name": result.file_name,
            "status": result.status,
            "error": result.error or "",
            "row_count": result.counts.get(table, 0),
            "warnings": result.warnings,
            "reloaded": result.reloaded,
            **common,
        }
    return {
        "documents_in_run": len(results),
        "failed_in_run": sum(result.status == "failed" for result in results),
        "reloaded_in_run": sum(result.reloaded for result in results),
        "row_count_in_run": sum(result.counts.get(table, 0) for result in results),
        **common,
    }


@dg.asset(
    key=dg.AssetKey(["raw", "document_inventory"]),
    group_name="ingest",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
)
def document_inventory(context: dg.AssetExecutionContext, warehouse_db: WarehouseResource):
    """Files present in raw/ now (every name of a document); rows of removed documents deleted.

    One row per file: identical copies of a document (same bytes under several names) are one
    ``document_id`` loaded once, with each of their names listed here.
    """
    present = ingest.discover_files()
    with warehouse_db.get_connection() as conn:
        warehouse.ensure_schema(conn)
        removed = warehouse.prune_documents(conn, [doc.document_id for doc, _ in present])
        conn.execute(
            "create or replace table raw.document_inventory "
            "(document_id varchar, file_name varchar, sha256 varchar)"
        )
        if present:
            conn.executemany(
                "insert into raw.document_inventory values (?, ?, ?)",
                [[doc.document_id, doc.file_name, doc.sha256] for doc, _ in present],
            )
    if removed:
        context.log.info(f"pruned rows of removed documents: {removed}")
    return dg.MaterializeResult(
        metadata={"row_count": len(present), "pruned_documents": ", ".join(removed)}
    )
