"""`make run`: materialise every asset into the warehouse and print a summary.

    python -m orchestration.cli run             # ingest every document, prune, dbt build, summary
    python -m orchestration.cli run --strict    # the same; exit 2 if any document needs review
    python -m orchestration.cli summary         # print the summary of the existing warehouse

Runs in-process against the Dagster instance in DAGSTER_HOME (default ``.dagster_home/``), so the
materialisations show in `make dev`. Writes are serialised: one document at a time, then dbt.

Exit status: 0 when the warehouse was built and published, whatever the documents say (every
file is listed with its status and reason, and the documents that need review with their
reasons); 1 when the pipeline itself failed; 2 under ``--strict`` (``make run STRICT=1``, CI)
when any document needs review (marts.document_review_status: an unacknowledged integrity
failure, a missing table, a quarantined file, an unresolved unit).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from orchestration import progress, report, settings

# Dagster's console log at WARNING: the run prints errors, dbt's progress and the summary.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


FAILED_DOCUMENT_HINT = (
    "quarantined, the rest is loaded. What you can do: open the file at that line; if it is "
    "damaged or not a budget document, fix or replace it in the raw directory and run again; "
    "if it is a readable budget document, report a bug with this message."
)


def prepare_environment() -> None:
    """Absolute paths for the warehouse and raw directory, a DAGSTER_HOME, and a dbt manifest."""
    os.environ["DUCKDB_DATABASE"] = str(settings.duckdb_path())
    os.environ["RAW_DIR"] = str(settings.raw_dir())
    settings.duckdb_path().parent.mkdir(parents=True, exist_ok=True)
    home = Path(os.environ.get("DAGSTER_HOME") or settings.PROJECT_ROOT / ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(settings.PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    parse_dbt_project()


def parse_dbt_project() -> None:
    """Write the dbt manifest the Dagster dbt assets are built from."""
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run(
        [str(dbt), "parse", "--quiet"],
        cwd=settings.DBT_PROJECT_DIR,
        check=True,
    )


def run_pipeline() -> bool:
    """Ingest every document (one partition each), prune removed ones, then dbt build.

    Returns:
        True when every Dagster run succeeded.
    """
    import dagster as dg

    from orchestration import ingest
    from orchestration.definitions import defs
    from orchestration.defs.ingest import documents_partitions

    instance = dg.DagsterInstance.get()
    present = [doc.document_id for doc, _ in ingest.discover()]
    known = set(instance.get_dynamic_partitions(documents_partitions.name))
    stale = sorted(known - set(present))
    for key in stale:
        instance.delete_dynamic_partition(documents_partitions.name, key)
    new = [key for key in present if key not in known]
    if new:
        instance.add_dynamic_partitions(documents_partitions.name, new)

    ok = True
    ingest_job = defs.resolve_job_def("ingest_job")
    counter = progress.Counter("Documents extracted", len(present))
    for key in present:
        result = ingest_job.execute_in_process(
            partition_key=key, instance=instance, raise_on_error=False, run_config=QUIET
        )
        ok = ok and result.success
        counter.advance()
    counter.finish()
    progress.stage("dbt build: staging, marts, reconciliation and their tests")
    refresh = defs.resolve_job_def("refresh_job").execute_in_process(
        instance=instance, raise_on_error=False, run_config=QUIET
    )
    if not refresh.success:
        return False
    # Each document's reconciliation verdict, as an asset check on its partition.
    review_job = defs.resolve_job_def("reconciliation_review_job")
    counter = progress.Counter("Documents reviewed", len(present))
    for key in present:
        review = review_job.execute_in_process(
            partition_key=key, instance=instance, raise_on_error=False, run_config=QUIET
        )
        ok = ok and review.success
        counter.advance()
    counter.finish()
    return ok


def _query(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    try:
        return conn.execute(sql).fetchall()
    except duckdb.CatalogException:
        return []


def _open_read_only(database: Path, attempts: int = 10) -> duckdb.DuckDBPyConnection | None:
    """Open the warehouse read-only, waiting briefly for a writer (e.g. a dbt process) to exit."""
    for attempt in range(attempts):
        try:
            return duckdb.connect(str(database), read_only=True)
        except duckdb.IOException as exc:
            if attempt == attempts - 1:
                print(f"cannot open {database} read-only for the summary: {exc}")
                return None
            time.sleep(1 + attempt)
    return None


# Every file with its status and the reason: loaded (and whether it needs review, and whether it
# is the current version of its publication), failed (the error), or an identical copy.
_FILES_SQL = """
    select
        files.file_name,
        documents.file_name as loaded_as,
        documents.status,
        documents.error_message,
        documents.warning_count,
        review.needs_review,
        review.reason_codes,
        dims.is_current,
        current_version.file_name as current_file
    from raw.document_inventory as files
    inner join raw.documents as documents
        on files.document_id = documents.document_id
    left join marts.dim_document as dims
        on files.document_id = dims.document_id
    left join marts.dim_document as current_version
        on dims.current_document_id = current_version.document_id
    left join marts.document_review_status as review
        on files.document_id = review.document_id
    order by files.file_name
"""
_REGISTRY_SQL = (
    "select file_name, file_name, status, error_message, warning_count, null, null, null, null "
    "from raw.documents order by file_name"
)


def file_lines(rows: list[tuple]) -> list[str]:
    """One line per file in raw/: its status and the reason."""
    out = []
    for file_name, loaded_as, status, error, warnings, needs_review, codes, current, latest in rows:
        if file_name != loaded_as:
            out.append(f"  {'copy':<7} {file_name} — the same bytes as {loaded_as}: one document")
            continue
        if status != "loaded":
            out.append(f"  {status:<7} {file_name} — {error}")
            continue
        reason = f"needs review: {', '.join(codes or [])}" if needs_review else "ok"
        version = "" if current in (None, True) else f"; superseded by {latest}"
        detail = f"({warnings or 0} extraction warnings{version})"
        out.append(f"  {status:<7} {file_name} — {reason} {detail}")
    return out


def print_summary(database: Path) -> bool | None:
    """Every file with its status and reason, rows per mart table, reconciliation status counts,
    and last the documents that need review with their reasons.

    Returns:
        Whether any document needs review (None when the review marts are missing).
    """
    if not database.exists():
        print(f"no warehouse at {database}")
        return None
    conn = _open_read_only(database)
    if conn is None:
        return None
    try:
        print(f"\nWarehouse: {database}")
        print(f"BI tools:  {settings.published_path()} (read-only snapshot of the last refresh)")
        print("\nDocuments (every file in raw/: status — reason)")
        rows = _query(conn, _FILES_SQL) or _query(conn, _REGISTRY_SQL)
        lines = file_lines(rows)
        for line in lines:
            print(line)
        if any(" failed " in f" {line} " for line in lines):
            print(f"  {FAILED_DOCUMENT_HINT}")
        print("\nMart tables (rows)")
        for (table,) in _query(
            conn,
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name",
        ):
            count = conn.execute(f'select count(*) from marts."{table}"').fetchone()[0]
            print(f"  {table:<40} {count:>8}")
        quality = report.corpus_quality_lines(conn)
        if quality:
            print("\nCorpus quality (marts.corpus_quality)")
            print("\n".join(quality))
        summaries = report.load(conn)
        if summaries:
            print("\nReconciliation (per document: checks by status, then each failure)")
            for line in report.summary_lines(summaries):
                print(line)
            path = report.write_report(conn, database.parent / report.REPORT_NAME)
            print(f"\nReconciliation report: {path}")
            _write_html_report(conn)
        review = report.review_lines(summaries)
        if not summaries:
            return None
        if review:
            print("\nDocuments that need review (marts.document_review_reasons)")
            for line in review:
                print(line)
        else:
            print("\nNo document needs review.")
        return bool(review)
    finally:
        conn.close()


def _write_html_report(conn: duckdb.DuckDBPyConnection) -> None:
    """The HTML report with the findings on the printed page (`make report` writes it alone)."""
    from orchestration import html_report

    path = html_report.report_path()
    try:
        html_report.build(conn, path)
    except Exception as exc:  # the warehouse stands; say why its report is missing
        print(f"HTML report not written ({path}): {type(exc).__name__}: {exc}", file=sys.stderr)
        return
    print(f"HTML report:           {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orchestration.cli", description=__doc__)
    parser.add_argument("command", choices=["run", "summary"])
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 2 when any document needs review (CI: the samples must read cleanly)",
    )
    args = parser.parse_args(argv)
    prepare_environment()
    ok = True
    if args.command == "run":
        ok = run_pipeline()
    needs_review = print_summary(settings.duckdb_path())
    if not ok:
        print("\nPIPELINE FAILED: see the Dagster logs above", file=sys.stderr)
        return 1
    if args.strict and needs_review is not False:
        reason = "documents need review" if needs_review else "no review status was built"
        print(f"\nSTRICT: {reason} (listed above)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
