"""Asset checks: the review verdict of each document, surfaced in the Dagster UI.

Whether a document needs review is defined once, by dbt: ``marts.document_review_status``
(needs_review: the document has a review reason of severity error in
``marts.document_review_reasons``: quarantined, incomplete, an unacknowledged integrity failure,
an unresolved unit). The checks read it; none recomputes it.

- ``reconciliation_has_no_unacknowledged_integrity_failures`` on the dbt asset
  ``marts/reconciliation_results``: runs with the refresh; fails (severity WARN: the warehouse
  is built and serves the other documents) when any document needs review; metadata lists them
  with their reasons.
- ``document_reconciles`` on ``reconciliation/document_review``, an asset partitioned like the
  ingest (one partition per document) that records each document's verdict: a document that
  needs review shows as a failed check on its own partition without blocking the others. It
  runs in ``reconciliation_review_job`` per partition, after the refresh has rebuilt the marts.
  (A check-only partitioned job is not executable in Dagster 1.13, hence the small asset.)
"""

# No `from __future__ import annotations`: Dagster reads the context annotation at definition time.
from typing import Any

import dagster as dg
import duckdb

from orchestration.defs.ingest import documents_partitions
from orchestration.defs.resources import WarehouseResource

RESULTS_KEY = dg.AssetKey(["marts", "reconciliation_results"])
REVIEW_STATUS_KEY = dg.AssetKey(["marts", "document_review_status"])
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
    conn: duckdb.DuckDBPyConnection, documents: list[str] | None = None
) -> list[dict[str, Any]]:
    """Failed checks (acknowledged or not), of ``documents`` or of all.

    The documents are constants of the query (``document_id in (?, ?)``), which DuckDB applies
    while it scans: the cited sources, over 300 MB of text at 1,000 documents, are then read
    only where those documents' rows are, not for every failure of the corpus."""
    if documents is not None and not documents:
        return []
    extra = "" if documents is None else f"and document_id in ({', '.join('?' * len(documents))})"
    cursor = conn.execute(_FAILURES_SQL.format(extra=extra), documents or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def fetch_failure_marks(conn: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """document_id, severity and is_acknowledged of every failed check: what a verdict counts
    (``review_metadata``), without the cited sources ``fetch_failures`` reads."""
    cursor = conn.execute(
        "select document_id, severity, is_acknowledged from marts.reconciliation_results "
        "where status = 'fail'"
    )
    return [
        {"document_id": row[0], "severity": row[1], "is_acknowledged": row[2]}
        for row in cursor.fetchall()
    ]


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
    """Unacknowledged failures of error-severity rules (integrity and completeness)."""
    return [f for f in failures if f["severity"] == "error" and not f["is_acknowledged"]]


_REVIEW_SQL = """
    select
        status.document_id,
        status.file_name,
        status.needs_review,
        reasons.reason_code,
        reasons.severity,
        reasons.detail,
        reasons.source_line
    from marts.document_review_status as status
    left join marts.document_review_reasons as reasons
        on status.document_id = reasons.document_id and reasons.severity = 'error'
    where true {extra}
    order by status.file_name, reasons.reason_code, reasons.source_line
"""


def fetch_review(
    conn: duckdb.DuckDBPyConnection, document_id: str | None = None
) -> dict[str, dict[str, Any]]:
    """{document_id: {file_name, needs_review, reasons: [(code, detail, line)]}} from the marts.

    The verdict is ``marts.document_review_status.needs_review``: the one definition.
    """
    extra, params = ("and status.document_id = ?", [document_id]) if document_id else ("", [])
    review: dict[str, dict[str, Any]] = {}
    rows = conn.execute(_REVIEW_SQL.format(extra=extra), params).fetchall()
    for doc_id, file_name, needs_review, code, _severity, detail, line in rows:
        entry = review.setdefault(
            doc_id, {"file_name": file_name, "needs_review": needs_review, "reasons": []}
        )
        if code is not None:
            entry["reasons"].append((code, detail, line))
    return review


def reasons_markdown(reasons: list[tuple[str, str, int | None]]) -> str:
    """A Markdown table of review reasons."""
    if not reasons:
        return "none"
    lines = ["| reason | line | detail |", "|---|---:|---|"]
    for code, detail, line in reasons[:MAX_ROWS_IN_METADATA]:
        lines.append(f"| {code} | {line or '–'} | {detail[:300].replace('|', '/')} |")
    if len(reasons) > MAX_ROWS_IN_METADATA:
        lines.append(f"| … {len(reasons) - MAX_ROWS_IN_METADATA} more | | |")
    return "\n".join(lines)


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
        "select count(*) from information_schema.tables where table_schema = 'marts' "
        "and table_name in ('reconciliation_results', 'document_review_status', "
        "'document_review_reasons')"
    ).fetchone()
    return bool(row and row[0] == 3)


@dg.asset_check(
    asset=RESULTS_KEY,
    name="reconciliation_has_no_unacknowledged_integrity_failures",
    description=(
        "No document needs review (marts.document_review_status); metadata: the documents "
        "needing review with their reasons, and the failing rows."
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
        review = fetch_review(conn)
    errors = unacknowledged_errors(failures)
    findings = [f for f in failures if f["severity"] == "finding" and not f["is_acknowledged"]]
    needs_review = sorted(doc["file_name"] for doc in review.values() if doc["needs_review"])
    return dg.AssetCheckResult(
        passed=not needs_review,
        # the warehouse is built and serves every other document: a warning, per document
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "documents": len(review),
            "documents_needing_review": ", ".join(needs_review) or "none",
            "unacknowledged_integrity_failures": len(errors),
            "unacknowledged_source_discrepancies": len(findings),
            "acknowledged_failures": sum(1 for f in failures if f["is_acknowledged"]),
            "failing_rows": dg.MetadataValue.md(failures_markdown(errors + findings)),
        },
    )


def review_metadata(
    document_id: str,
    failures: list[dict[str, Any]],
    counts: dict[str, int],
    review: dict[str, Any] | None,
) -> dict[str, Any]:
    """The verdict of one document recorded on its document_review partition; needs_review is
    marts.document_review_status's (the one definition), the rest are its reconciliation counts."""
    errors = unacknowledged_errors(failures)
    by_status = {
        f"checks_{status}": counts.get(status, 0)
        for status in ("exact", "rounding", "fail", "insufficient_data")
    }
    return {
        "document_id": document_id,
        "needs_review": bool(review and review["needs_review"]),
        "review_reasons": len(review["reasons"]) if review else 0,
        **by_status,
        "unacknowledged_integrity_failures": len(errors),
        "acknowledged_failures": sum(1 for f in failures if f["is_acknowledged"]),
    }


REVIEW_KEY = dg.AssetKey(["reconciliation", "document_review"])


@dg.asset(
    key=dg.AssetKey(["reconciliation", "document_review"]),
    deps=[RESULTS_KEY, REVIEW_STATUS_KEY],
    partitions_def=documents_partitions,
    group_name="reconciliation",
    kinds={"python", "duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            "document_reconciles",
            asset=dg.AssetKey(["reconciliation", "document_review"]),
            description=(
                "This document needs no review (marts.document_review_status); metadata: its "
                "review reasons, its checks by status and its failing rows."
            ),
        )
    ],
)
def document_review(context: dg.AssetExecutionContext, warehouse_db: WarehouseResource):
    """One document's review verdict (marts.document_review_status) and its reasons."""
    document_id = context.partition_key
    with warehouse_db.get_connection() as conn:
        if not _results_exist(conn):
            raise dg.Failure("the review marts do not exist: run the refresh first")
        failures = fetch_failures(conn, [document_id])
        counts = status_counts(conn, document_id).get(document_id, {})
        review = fetch_review(conn, document_id).get(document_id)
    if review is None:
        raise dg.Failure(f"document {document_id} is not in marts.document_review_status")
    metadata = review_metadata(document_id, failures, counts, review)
    check = check_result(metadata, review, failures)
    return dg.MaterializeResult(
        metadata=metadata,
        check_results=[
            dg.AssetCheckResult(
                check_name="document_reconciles",
                passed=check["passed"],
                severity=dg.AssetCheckSeverity.ERROR,
                metadata=check["metadata"],
            )
        ],
    )


def check_result(
    metadata: dict[str, Any], review: dict[str, Any], failures: list[dict[str, Any]]
) -> dict[str, Any]:
    """The document_reconciles verdict of one document: {passed, metadata} (the asset above
    records it in a run; `make run` records it for many documents at once without runs)."""
    return {
        "passed": not review["needs_review"],
        "metadata": {
            **metadata,
            "reasons": dg.MetadataValue.md(reasons_markdown(review["reasons"])),
            "failing_rows": dg.MetadataValue.md(failures_markdown(failures)),
        },
    }


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
