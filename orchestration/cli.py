"""`make run`: materialise every asset into the warehouse and print a summary.

    python -m orchestration.cli run        # ingest every document, prune, dbt build, summary
    python -m orchestration.cli summary    # print the summary of the existing warehouse

Runs in-process against the Dagster instance in DAGSTER_HOME (default ``.dagster_home/``), so the
materialisations show in `make dev`. Documents new to the warehouse (or to the extractor version)
are extracted in parallel on every core into the staging directory; writes are serialised: one
document at a time, then dbt. Unchanged documents are neither extracted nor loaded again.
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

from orchestration import report, settings
from orchestration.warehouse import DocumentFile

# Dagster's console log at WARNING: the run prints errors, dbt's progress and the summary.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


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
    """Ingest new and changed documents (partitions), prune removed ones, then dbt build.

    Returns:
        True when every Dagster run succeeded.
    """
    import dagster as dg

    from orchestration import ingest
    from orchestration.definitions import defs
    from orchestration.defs.ingest import documents_partitions
    from orchestration.pipeline import stage

    instance = dg.DagsterInstance.get()
    release_dead_runs(instance)
    documents = ingest.discover()
    present = [doc.document_id for doc, _ in documents]
    known = set(instance.get_dynamic_partitions(documents_partitions.name))
    stale = sorted(known - set(present))
    for key in stale:
        instance.delete_dynamic_partition(documents_partitions.name, key)
    new = [key for key in present if key not in known]
    if new:
        instance.add_dynamic_partitions(documents_partitions.name, new)

    # Documents the warehouse does not hold from the current extractor: extract them on every
    # core into the staging directory, then load them one at a time (one writer), in as few
    # Dagster runs as there are contiguous ranges of such partitions (one on a fresh build).
    pending = pending_documents(documents)
    stage.stage_documents(pending)
    ok = True
    ingest_job = defs.resolve_job_def("ingest_job")
    order = instance.get_dynamic_partitions(documents_partitions.name)
    for first, last in partition_ranges(order, {doc.document_id for doc, _ in pending}):
        result = ingest_job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET, **_partitions(first, last)
        )
        ok = ok and result.success
    refresh = defs.resolve_job_def("refresh_job").execute_in_process(
        instance=instance, raise_on_error=False, run_config=QUIET, tags=_cli_tags()
    )
    if not refresh.success:
        return False
    # Each document's reconciliation verdict, as an asset check on its partition: recorded for
    # the documents whose verdict is new or differs from the one recorded last.
    review_job = defs.resolve_job_def("reconciliation_review_job")
    for key in reviews_to_record(instance, present):
        review = review_job.execute_in_process(
            partition_key=key,
            instance=instance,
            raise_on_error=False,
            run_config=QUIET,
            tags=_cli_tags(),
        )
        ok = ok and review.success
    return ok


def partition_ranges(order: list[str], wanted: set[str]) -> list[tuple[str, str]]:
    """Maximal runs of consecutive partitions (in ``order``) that are all in ``wanted``."""
    ranges: list[tuple[str, str]] = []
    start = previous = None
    for key in [*order, None]:
        if key is not None and key in wanted:
            start = start or key
            previous = key
            continue
        if start is not None and previous is not None:
            ranges.append((start, previous))
        start = previous = None
    return ranges


def _partitions(first: str, last: str) -> dict:
    """execute_in_process arguments for one partition or a range of them."""
    if first == last:
        return {"partition_key": first, "tags": _cli_tags()}
    return {
        "tags": {
            **_cli_tags(),
            "dagster/asset_partition_range_start": first,
            "dagster/asset_partition_range_end": last,
        }
    }


# Tag of the runs this command executes in its own process: the process id, so that a later run
# can tell a run whose process was killed from one still going (e.g. under `make dev`).
CLI_PID_TAG = "budget_warehouse/cli_pid"


def _cli_tags() -> dict[str, str]:
    return {CLI_PID_TAG: str(os.getpid())}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_dead_runs(instance) -> list[str]:
    """Mark failed the runs of a killed `make run` and free the writer-pool slot they held.

    A run killed with SIGKILL stays "started" in the instance and keeps its claim on the
    one-slot ``duckdb_warehouse`` pool, so every later run would wait for the slot for ever.
    Only runs tagged with the id of a process that no longer exists are released.
    """
    import dagster as dg

    released = []
    statuses = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]
    for record in instance.get_run_records(dg.RunsFilter(statuses=statuses)):
        run = record.dagster_run
        pid = run.tags.get(CLI_PID_TAG)
        if pid is None or _alive(int(pid)):
            continue
        instance.report_run_failed(run, message=f"the process that ran it ({pid}) is gone")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    if released:
        print(f"released {len(released)} runs of a killed run: {', '.join(released)}")
    return released


def reviews_to_record(instance, document_ids: list[str]) -> list[str]:
    """Documents whose reconciliation verdict in the marts differs from the one last recorded."""
    import dagster as dg

    from orchestration.defs import checks

    conn = _open_read_only(settings.duckdb_path())
    if conn is None:
        return document_ids
    try:
        failures = checks.fetch_failures(conn)
        counts = checks.status_counts(conn)
    finally:
        conn.close()
    by_document: dict[str, list] = {}
    for failure in failures:
        by_document.setdefault(failure["document_id"], []).append(failure)
    due = []
    for key in document_ids:
        now = checks.review_metadata(key, by_document.get(key, []), counts.get(key, {}))
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=checks.REVIEW_KEY, asset_partitions=[key]), limit=1
        ).records
        recorded = records[0].asset_materialization.metadata if records else {}
        if {name: getattr(recorded.get(name), "value", None) for name in now} != now:
            due.append(key)
    return due


def pending_documents(
    documents: list[tuple[DocumentFile, Path]],
) -> list[tuple[DocumentFile, Path]]:
    """The documents the warehouse does not yet hold as extracted by the current extractor."""
    from orchestration.pipeline import load

    database = settings.duckdb_path()
    if not database.exists():
        return documents
    conn = duckdb.connect(str(database), read_only=True)
    try:
        current = load.current_documents(conn)
    finally:
        conn.close()
    return [
        (doc, path)
        for doc, path in documents
        if (doc.document_id, doc.file_name, doc.sha256) not in current
    ]


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
        print("\nMart tables (rows)")
        for (table,) in _query(
            conn,
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name",
        ):
            count = conn.execute(f'select count(*) from marts."{table}"').fetchone()[0]
            print(f"  {table:<40} {count:>8}")
        summaries = report.load(conn)
        if summaries:
            print("\nReconciliation (per document: checks by status, then each failure)")
            for line in report.summary_lines(summaries):
                print(line)
            path = report.write_report(conn, database.parent / report.REPORT_NAME)
            print(f"\nReconciliation report: {path}")
    finally:
        conn.close()


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
