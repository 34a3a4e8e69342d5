"""Asset checks: the reconciliation of each document, surfaced in the Dagster UI.

Two checks read ``marts.reconciliation_results`` (built by dbt):

- ``reconciliation_has_no_unacknowledged_integrity_failures`` on the dbt asset
  ``marts/reconciliation_results``: runs with the refresh; fails (severity ERROR) when any
  document has an unacknowledged failure of an error-severity rule; metadata lists the documents
  that need review and the failing rows.
- ``document_reconciles`` on ``reconciliation/document_review``, an asset partitioned like the
  ingest (one partition per document) that records each document's verdict: a misread document
  shows as a failed check on its own partition without blocking the others. It runs in
  ``reconciliation_review_job`` per partition, after the refresh has rebuilt the marts.
  (A check-only partitioned job is not executable in Dagster 1.13, hence the small asset.)

dbt test severities map to check severities: an unacknowledged integrity failure (dbt severity
error) is an ERROR check; unacknowledged source discrepancies (dbt severity warn) only make the
check carry them in its metadata, they do not fail it.
"""

# No `from __future__ import annotations`: Dagster reads the context annotation at definition time.
from typing import Any

import dagster as dg
import duckdb

from orchestration.defs.ingest import documents_partitions
from orchestration.defs.resources import WarehouseResource

RESULTS_KEY = dg.AssetKey(["marts", "reconciliation_results"])
# Failing rows shown in check metadata, at most (the full list is in the mart and the report).
MAX_ROWS_IN_METADATA = 50

_FAILURES_SQL = """
    select
        document_id,
        file_name,
        rule_id,
        instance,
        severity,
        expected_yuan,
        actual_yuan,
        difference_yuan,
        tolerance_yuan,
        is_acknowledged,
        expected_source,
        actual_source
    from marts.reconciliation_results
    where status = 'fail' {extra}
    order by document_id, severity, rule_id, instance
"""
_COUNTS_SQL = """
    select document_id, status, count(*)
    from marts.reconciliation_results
    where true {extra}
    group by all
"""


def fetch_failures(
    conn: duckdb.DuckDBPyConnection, document_id: str | None = None
) -> list[dict[str, Any]]:
    """Failed checks (acknowledged or not), for one document or all."""
    extra, params = ("and document_id = ?", [document_id]) if document_id else ("", [])
    cursor = conn.execute(_FAILURES_SQL.format(extra=extra), params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def status_counts(
    conn: duckdb.DuckDBPyConnection, document_id: str | None = None
) -> dict[str, dict[str, int]]:
    """{document_id: {status: count}}."""
    extra, params = ("and document_id = ?", [document_id]) if document_id else ("", [])
    counts: dict[str, dict[str, int]] = {}
    for doc, status, n in conn.execute(_COUNTS_SQL.format(extra=extra), params).fetchall():
        counts.setdefault(doc, {})[status] = n
    return counts


def unacknowledged_errors(failures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The failures that make a document need review."""
    return [f for f in failures if f["severity"] == "error" and not f["is_acknowledged"]]


def failures_markdown(failures: list[dict[str, Any]]) -> str:
    """A Markdown table of failing rows, both sides and the difference."""
    if not failures:
        return "none"
    lines = [
        "| document | rule | instance | expected (元) | actual (元) | difference | where |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for f in failures[:MAX_ROWS_IN_METADATA]:
        where = f"{f['expected_source']} ⟷ {f['actual_source']}".replace("|", "/")
        lines.append(
            f"| {f['file_name']} | {f['rule_id']} | {f['instance'] or '–'} | "
            f"{f['expected_yuan']} | {f['actual_yuan']} | {f['difference_yuan']} | "
            f"{where[:300]} |"
        )
    if len(failures) > MAX_ROWS_IN_METADATA:
        lines.append(f"| … {len(failures) - MAX_ROWS_IN_METADATA} more | | | | | | |")
    return "\n".join(lines)


def _results_exist(conn: duckdb.DuckDBPyConnection) -> bool:
    row = conn.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'reconciliation_results'"
    ).fetchone()
    return bool(row and row[0])


@dg.asset_check(
    asset=RESULTS_KEY,
    name="reconciliation_has_no_unacknowledged_integrity_failures",
    description=(
        "No document has an unacknowledged failure of an error-severity (integrity) rule; "
        "metadata: documents needing review and the failing rows."
    ),
    blocking=False,
)
def reconciliation_has_no_unacknowledged_integrity_failures(
    warehouse_db: WarehouseResource,
) -> dg.AssetCheckResult:
    """All documents: integrity failures are fixed or acknowledged."""
    with warehouse_db.get_connection() as conn:
        if not _results_exist(conn):
            return dg.AssetCheckResult(
                passed=False, metadata={"error": "no reconciliation_results"}
            )
        failures = fetch_failures(conn)
        counts = status_counts(conn)
    errors = unacknowledged_errors(failures)
    findings = [f for f in failures if f["severity"] == "finding" and not f["is_acknowledged"]]
    needs_review = sorted({f["file_name"] for f in errors})
    return dg.AssetCheckResult(
        passed=not errors,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "documents": len(counts),
            "documents_needing_review": ", ".join(needs_review) or "none",
            "unacknowledged_integrity_failures": len(errors),
            "unacknowledged_source_discrepancies": len(findings),
            "acknowledged_failures": sum(1 for f in failures if f["is_acknowledged"]),
            "failing_rows": dg.MetadataValue.md(failures_markdown(errors + findings)),
        },
    )


def review_metadata(
    document_id: str, failures: list[dict[str, Any]], counts: dict[str, int]
) -> dict[str, Any]:
    """The verdict of one document recorded on its document_review partition."""
    errors = unacknowledged_errors(failures)
    by_status = {
        f"checks_{status}": counts.get(status, 0)
        for status in ("exact", "rounding", "fail", "insufficient_data")
    }
    return {
        "document_id": document_id,
        "needs_review": bool(errors),
        **by_status,
        "unacknowledged_integrity_failures": len(errors),
        "acknowledged_failures": sum(1 for f in failures if f["is_acknowledged"]),
    }


REVIEW_KEY = dg.AssetKey(["reconciliation", "document_review"])


@dg.asset(
    key=dg.AssetKey(["reconciliation", "document_review"]),
    deps=[RESULTS_KEY, dg.AssetKey(["marts", "document_review_status"])],
    partitions_def=documents_partitions,
    group_name="reconciliation",
    kinds={"python", "duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            "document_reconciles",
            asset=dg.AssetKey(["reconciliation", "document_review"]),
            description=(
                "This document has no unacknowledged failure of an error-severity "
                "(integrity) rule; metadata: its checks by status and its failing rows."
            ),
        )
    ],
)
def document_review(context: dg.AssetExecutionContext, warehouse_db: WarehouseResource):
    """One document's reconciliation verdict, read from marts.reconciliation_results."""
    document_id = context.partition_key
    with warehouse_db.get_connection() as conn:
        if not _results_exist(conn):
            raise dg.Failure("marts.reconciliation_results does not exist: run the refresh first")
        failures = fetch_failures(conn, document_id)
        counts = status_counts(conn, document_id).get(document_id, {})
    errors = unacknowledged_errors(failures)
    metadata = review_metadata(document_id, failures, counts)
    return dg.MaterializeResult(
        metadata=metadata,
        check_results=[
            dg.AssetCheckResult(
                check_name="document_reconciles",
                passed=not errors,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={
                    **metadata,
                    "failing_rows": dg.MetadataValue.md(failures_markdown(failures)),
                },
            )
        ],
    )


reconciliation_review_job = dg.define_asset_job(
    "reconciliation_review_job",
    selection=dg.AssetSelection.assets(document_review),
    partitions_def=documents_partitions,
    description=(
        "Record each document's reconciliation verdict and check (one run per partition, "
        "after the refresh)."
    ),
)

# Merged into the one Definitions of orchestration/definitions.py.
defs = dg.Definitions(
    assets=[document_review],
    asset_checks=[reconciliation_has_no_unacknowledged_integrity_failures],
    jobs=[reconciliation_review_job],
)
