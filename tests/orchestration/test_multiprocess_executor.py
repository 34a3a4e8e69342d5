"""Past one machine, point 2: the ingest job runs under Dagster's multiprocess executor.

The runs the sensor, the schedule or the UI launch use Dagster's default executor, which runs each
step in its own process (README "Past one machine"). Here ``ingest_job`` is executed the way a
launched run is (``execute_job`` on the reconstructable job, default executor config): the
``ingest_document`` step must run in another process than this one, stage its document and load
the same rows as an in-process ingest of the same file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import ingest, warehouse
from orchestration.pipeline import stage
from tests.conftest import SAMPLE_004


def ingest_job_definition() -> dg.JobDefinition:
    """The project's ingest_job, loaded afresh in each process that executes a step."""
    from orchestration.definitions import defs

    return defs.resolve_job_def("ingest_job")


def _rows(database: Path, table: str) -> list[tuple]:
    conn = duckdb.connect(str(database), read_only=True)
    try:
        columns = [c[0] for c in conn.execute(f"describe raw.{table}").fetchall()]
        select = ", ".join(c for c in columns if c != "ingested_at")
        return sorted(conn.execute(f"select {select} from raw.{table}").fetchall(), key=repr)
    finally:
        conn.close()


@pytest.mark.slow
def test_ingest_step_runs_in_its_own_process_and_loads_the_document(
    dbt_manifest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_004, raw / SAMPLE_004.name)
    database = tmp_path / "launched" / "budget.duckdb"
    database.parent.mkdir()
    # the step's process loads the definitions, which read these (inherited from this process)
    monkeypatch.setenv("RAW_DIR", str(raw))
    monkeypatch.setenv("DUCKDB_DATABASE", str(database))
    monkeypatch.setenv("STAGING_DIR", str(tmp_path / "staging"))
    (doc, path) = ingest.discover(raw)[0]

    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("documents", [doc.document_id])
        job = dg.reconstructable(ingest_job_definition)
        tags = {"dagster/partition": doc.document_id}
        with dg.execute_job(job, instance=instance, tags=tags) as result:
            assert result.success
            run_id = result.run_id
        starts = [
            entry.dagster_event
            for entry in instance.all_logs(run_id)
            if entry.dagster_event is not None
            and entry.dagster_event.event_type_value == "STEP_START"
        ]
    assert [event.step_key for event in starts] == ["ingest_document"]
    assert starts[0].pid is not None and starts[0].pid != os.getpid()
    assert stage.is_staged(doc, tmp_path / "staging")

    # the same file ingested in this process, into another warehouse
    in_process = tmp_path / "in_process.duckdb"
    conn = duckdb.connect(str(in_process))
    try:
        ingest.ingest_file(conn, doc, path)
    finally:
        conn.close()
    cells = _rows(database, "statement_cells")
    assert cells  # 004 prints its statements (not vacuous)
    for table in warehouse.ALL_TABLES:
        assert _rows(database, table) == _rows(in_process, table), table
