"""`make run`: materialise every asset into the warehouse and print a summary.

    python -m orchestration.cli run        # ingest every document, prune, dbt build, summary
    python -m orchestration.cli summary    # print the summary of the existing warehouse

Runs in-process against the Dagster instance in DAGSTER_HOME (default ``.dagster_home/``), so the
materialisations show in `make dev`. Writes are serialised: one document at a time, then dbt.
Exits non-zero only when the pipeline itself fails (a quarantined document is not a failure).
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


def print_summary(database: Path) -> None:
    """Documents loaded / failed, rows per mart table, reconciliation status counts."""
    if not database.exists():
        print(f"no warehouse at {database}")
        return
    conn = _open_read_only(database)
    if conn is None:
        return
    try:
        print(f"\nWarehouse: {database}")
        print(f"BI tools:  {settings.published_path()} (read-only snapshot of the last refresh)")
        print("\nDocuments")
        for file_name, status, error, warnings in _query(
            conn,
            "select file_name, status, error_message, warning_count "
            "from raw.documents order by file_name",
        ):
            detail = f" — {error}" if error else f" ({warnings or 0} extraction warnings)"
            print(f"  {status:<7} {file_name}{detail}")
            if status == "failed":
                print(f"          {FAILED_DOCUMENT_HINT}")
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
    args = parser.parse_args(argv)
    prepare_environment()
    ok = True
    if args.command == "run":
        ok = run_pipeline()
    print_summary(settings.duckdb_path())
    if not ok:
        print("\nPIPELINE FAILED: see the Dagster logs above", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
