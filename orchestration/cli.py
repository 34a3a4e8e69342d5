"""`make run`: materialise every asset into the warehouse and print a summary.

    python -m orchestration.cli run             # ingest every document, prune, dbt build, summary
    python -m orchestration.cli run --strict    # the same; exit 2 if any document needs review
    python -m orchestration.cli summary         # print the summary of the existing warehouse

Runs in-process against the Dagster instance in DAGSTER_HOME (default ``.dagster_home/``), so the
materialisations show in `make dev`. Documents new to the warehouse (or to the extractor version)
are extracted in parallel on every core into the staging directory; writes are serialised: one
document at a time, then dbt. Unchanged documents are neither extracted nor loaded again.

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
from orchestration.warehouse import DocumentFile

# Dagster's console log at WARNING: the run prints errors, dbt's progress and the summary.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
REFRESH_JOB = "refresh_job"


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


# Beside the manifest: the dbt project hash (and dbt version) the manifest was parsed from.
MANIFEST_STAMP = "manifest.project_hash"


def manifest_dir() -> Path:
    """Where dbt writes its manifest: DBT_TARGET_PATH (absolute, or relative to the project)."""
    return settings.DBT_PROJECT_DIR / (os.environ.get("DBT_TARGET_PATH") or "target")


def _manifest_stamp() -> str:
    from dbt.version import __version__ as dbt_version

    from orchestration.pipeline import state

    return f"{state.project_hash()} dbt {dbt_version}"


def parse_dbt_project() -> bool:
    """Write the dbt manifest the Dagster dbt assets are built from, unless the one there was
    parsed from the same dbt project (``state.project_hash``: models, macros, seeds, tests,
    configuration) by the same dbt: a run that adds a document reuses it (``dbt parse`` costs
    seconds and depends on nothing in the raw directory). Returns whether it parsed."""
    target = manifest_dir()
    stamp = target / MANIFEST_STAMP
    wanted = _manifest_stamp()
    if (target / "manifest.json").exists() and stamp.exists() and stamp.read_text() == wanted:
        return False
    stamp.unlink(missing_ok=True)
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run(
        [str(dbt), "parse", "--quiet"],
        cwd=settings.DBT_PROJECT_DIR,
        check=True,
    )
    stamp.write_text(wanted)
    return True


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
    files = ingest.discover_files()
    documents = ingest.unique_documents(files)
    present = [doc.document_id for doc, _ in documents]
    known = set(instance.get_dynamic_partitions(documents_partitions.name))
    stale = sorted(known - set(present))
    for key in stale:
        instance.delete_dynamic_partition(documents_partitions.name, key)
    new = [key for key in present if key not in known]
    if new:
        instance.add_dynamic_partitions(documents_partitions.name, new)

    # Nothing new since the last refresh recorded in the warehouse (same files, same content, same
    # extractor, same dbt project) and its snapshot published: no extraction, no dbt build.
    plan = refresh_plan(files)
    if plan.mode == "skip":
        print(f"Warehouse current, refresh skipped: {plan.reason}; no extraction, no dbt build")
        return record_reviews(instance, present, last_refresh_run_id(instance))
    # Documents the warehouse does not hold from the current extractor: extract them on every
    # core into the staging directory, then load them one at a time (one writer), in as few
    # Dagster runs as there are contiguous ranges of such partitions (one on a fresh build).
    pending = pending_documents(documents)
    counter = progress.Counter("Documents extracted", len(pending))
    stage.stage_documents(pending, on_done=counter.advance)
    counter.finish()
    ok = True
    ingest_job = defs.resolve_job_def("ingest_job")
    order = instance.get_dynamic_partitions(documents_partitions.name)
    ranges = partition_ranges(order, {doc.document_id for doc, _ in pending})
    progress.stage(f"Loading {len(pending)} documents into the warehouse ({len(ranges)} runs)")
    for first, last in ranges:
        result = ingest_job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET, **_partitions(first, last)
        )
        ok = ok and result.success
    progress.stage("dbt build: staging, marts, reconciliation and their tests")
    refresh = defs.resolve_job_def(REFRESH_JOB).execute_in_process(
        instance=instance, raise_on_error=False, run_config=QUIET, tags=_cli_tags()
    )
    if not refresh.success:
        return False
    return record_reviews(instance, present, refresh.run_id) and ok


def record_reviews(instance, present: list[str], run_id: str | None) -> bool:
    """Each document's reconciliation verdict, as an asset check on its partition: recorded for
    the documents whose verdict is new or differs from the one recorded last.

    The verdicts are read from the marts in one pass and recorded as materializations of
    ``reconciliation/document_review`` and evaluations of its ``document_reconciles`` check, one
    per partition: the same events ``reconciliation_review_job`` records (the sensor path), without
    one Dagster run per document (a run per document cost ~3 s each: minutes at 100 documents).
    They are events of ``run_id``, the refresh whose marts they read (``record_review``).
    """
    due = reviews_to_record(instance, present)
    counter = progress.Counter("Documents reviewed", len(due))
    for key, (metadata, check) in due.items():
        record_review(instance, key, metadata, check, run_id)
        counter.advance()
    counter.finish()
    return True


def record_review(instance, key: str, metadata: dict, check: dict, run_id: str | None) -> None:
    """One document's verdict: a materialization of its review partition and an evaluation of
    its ``document_reconciles`` check, stored as events of the refresh run ``run_id``.

    Not runless events: Dagster stores a runless check evaluation under one empty run id, and
    its index of check executions is unique by (check, run id, partition), so the second
    runless verdict of a partition (a document whose verdict changed: an acknowledgement added,
    a table read better) failed the whole `make run` on that index. An evaluation of a run
    updates that run's row of the partition or adds one. Runless only where the instance has
    no refresh run (``run_id`` None: its history was deleted); there the partition has no
    runless row before."""
    import dagster as dg

    from orchestration.defs import checks

    materialization = dg.AssetMaterialization(
        asset_key=checks.REVIEW_KEY, partition=key, metadata=metadata
    )
    evaluation = dg.AssetCheckEvaluation(
        asset_key=checks.REVIEW_KEY,
        check_name="document_reconciles",
        passed=check["passed"],
        severity=dg.AssetCheckSeverity.ERROR,
        metadata=check["metadata"],
        partition=key,
    )
    if run_id is None:
        instance.report_runless_asset_event(materialization)
        instance.report_runless_asset_event(evaluation)
        return
    from dagster._core.events import StepMaterializationData

    for event_type, data in (
        (dg.DagsterEventType.ASSET_MATERIALIZATION, StepMaterializationData(materialization)),
        (dg.DagsterEventType.ASSET_CHECK_EVALUATION, evaluation),
    ):
        instance.report_dagster_event(
            dg.DagsterEvent(
                event_type_value=event_type.value,
                job_name=REFRESH_JOB,
                event_specific_data=data,
            ),
            run_id=run_id,
        )


def last_refresh_run_id(instance) -> str | None:
    """The id of the instance's last refresh run (the one whose marts a skipped refresh keeps)."""
    import dagster as dg

    runs = instance.get_run_records(dg.RunsFilter(job_name=REFRESH_JOB), limit=1)
    return runs[0].dagster_run.run_id if runs else None


def refresh_plan(files: list[tuple[DocumentFile, Path]]):
    """The refresh the raw directory needs against the last refresh recorded in the warehouse."""
    from orchestration.pipeline import stage, state

    database = settings.duckdb_path()
    conn = _open_read_only(database) if database.exists() else None
    if conn is None:
        return state.Plan("full", "no warehouse yet")
    try:
        previous = state.last_refresh(conn)
    finally:
        conn.close()
    current = [
        (doc.file_name, doc.sha256, doc.document_id, stage.EXTRACTOR_VERSION) for doc, _ in files
    ]
    return state.plan(previous, current, state.project_hash(), settings.published_path().exists())


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


def reviews_to_record(instance, document_ids: list[str]) -> dict[str, tuple[dict, dict]]:
    """Documents whose reconciliation verdict in the marts differs from the one last recorded:
    {document_id: (materialization metadata, check {passed, metadata})}.

    The verdicts are compared on their counts; the failing rows (with their cited sources) are
    read for the documents whose verdict is recorded only (one or two after an add, not the
    whole corpus: 1 s of reading at 1,000 documents)."""
    from orchestration.defs import checks

    conn = _open_read_only(settings.duckdb_path())
    if conn is None:
        return {}
    try:
        marks = checks.fetch_failure_marks(conn)
        counts = checks.status_counts(conn)
        reviews = checks.fetch_review(conn)
        marks_by_document: dict[str, list] = {}
        for mark in marks:
            marks_by_document.setdefault(mark["document_id"], []).append(mark)
        recorded_by_document = recorded_reviews(instance, set(document_ids))
        changed = {}
        for key in document_ids:
            review = reviews.get(key)
            if review is None:  # not in the marts (the refresh failed before them): nothing to say
                continue
            now = checks.review_metadata(
                key, marks_by_document.get(key, []), counts.get(key, {}), review
            )
            recorded = recorded_by_document.get(key, {})
            if {name: getattr(recorded.get(name), "value", None) for name in now} != now:
                changed[key] = (now, review)
        failures = checks.fetch_failures(conn, sorted(changed))
    finally:
        conn.close()
    by_document: dict[str, list] = {}
    for failure in failures:
        by_document.setdefault(failure["document_id"], []).append(failure)
    return {
        key: (now, checks.check_result(now, review, by_document.get(key, [])))
        for key, (now, review) in changed.items()
    }


def recorded_reviews(instance, keys: set[str], page: int = 1000) -> dict[str, dict]:
    """The metadata of the last review recorded for each of ``keys`` (partitions never reviewed
    are absent): the review asset's materializations read newest first, a page at a time, until
    every key is seen (one query per page, not one per document: a second per 250 documents)."""
    import dagster as dg

    from orchestration.defs import checks

    latest: dict[str, dict] = {}
    cursor = None
    while keys - latest.keys():
        result = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=checks.REVIEW_KEY), limit=page, cursor=cursor
        )
        for record in result.records:
            if record.partition_key in keys:
                latest.setdefault(record.partition_key, record.asset_materialization.metadata)
        if not result.has_more:
            break
        cursor = result.cursor
    return latest


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
        any_failed = any(line.split()[0] == "failed" for line in lines if line.strip())
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
            path = report.write_report(conn, database.parent / report.REPORT_NAME, summaries)
            print(f"\nReconciliation report: {path}")
            _write_html_report(conn, [f for summary in summaries for f in summary.findings])
        review = report.review_lines(summaries)
        if not summaries:
            return None
        if review:
            print("\nDocuments that need review (marts.document_review_reasons)")
            for line in review:
                print(line)
            if any_failed:
                print(f"  A failed file is {FAILED_DOCUMENT_HINT}")
        else:
            print("\nNo document needs review.")
        return bool(review)
    finally:
        conn.close()


def _write_html_report(conn: duckdb.DuckDBPyConnection, findings: list | None = None) -> None:
    """The HTML report with the findings on the printed page (`make report` writes it alone);
    ``findings``: report.load's, read once for both reports."""
    from orchestration import html_report

    path = html_report.report_path()
    try:
        html_report.build(conn, path, findings=findings)
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
