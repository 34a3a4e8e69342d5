"""The run log's line of dbt test results, and the contract tests still gate the refresh."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.pipeline.dbt_results import test_result as node_result
from orchestration.pipeline.dbt_results import test_summary as summary
from tests.builds import run_pipeline

# each node's {unique_id, status, failures}, as test_result reads them from dbt's events
RESULTS = [
    {"unique_id": "model.budget_warehouse.dim_document", "status": "success"},
    {"unique_id": "test.budget_warehouse.unique_dim_document_key.1a", "status": "pass",
     "failures": 0},
    {"unique_id": "test.budget_warehouse.not_null_dim_document_key.2b", "status": "pass",
     "failures": 0},
    {"unique_id": "test.budget_warehouse.unique_combination_fct_x.3c", "status": "warn",
     "failures": 2},
    {"unique_id": "test.budget_warehouse.relationships_fct_y.4d", "status": "fail",
     "failures": 5},
    {"unique_id": "test.budget_warehouse.not_null_fct_y_key.5e", "status": "skipped",
     "failures": None},
    {"unique_id": "unit_test.budget_warehouse.m.u", "status": "pass"},
]  # fmt: skip


def _event(name: str, unique_id: str, **data) -> dict:
    """A dbt 1.11 event as printed with --log-format json, trimmed to the keys around the ones
    read (the shape of the LogTestResult and SkippingDetails lines of a refresh's dbt.log)."""
    node_info = {
        "node_name": unique_id.split(".")[2],
        "resource_type": unique_id.split(".")[0],
        "unique_id": unique_id,
    }
    return {
        "data": {"node_info": node_info, **data},
        "info": {"code": "Q007", "level": "info", "name": name},
    }


def test_the_line_counts_every_status_and_names_the_tests_that_did_not_pass():
    assert summary(RESULTS) == (
        "dbt tests: 2 pass, 1 warn, 1 fail, 0 error, 1 skipped; "
        "warn: unique_combination_fct_x (2 rows); fail: relationships_fct_y (5 rows); "
        "skipped: not_null_fct_y_key"
    )


def test_a_build_without_tests_says_so():
    assert summary([]) == "dbt tests: 0 pass, 0 warn, 0 fail, 0 error, 0 skipped"


def test_the_results_are_read_from_dbts_info_events_of_tests():
    test_id = "test.budget_warehouse.relationships_fct_y.4d"
    ran = _event("LogTestResult", test_id, status="fail", num_failures=5, execution_time=0.03)
    assert node_result(ran) == {"unique_id": test_id, "status": "fail", "failures": 5}
    skipped = _event("SkippingDetails", test_id, resource_type="test", node_name="x")
    assert node_result(skipped) == {"unique_id": test_id, "status": "skipped", "failures": None}
    # a model's result, and a test's events other than its result, are not tests' results
    model = _event("LogModelResult", "model.budget_warehouse.dim_document", status="success")
    assert node_result(model) is None
    assert node_result(_event("NodeStart", test_id)) is None


@pytest.mark.slow
def test_a_failing_contract_test_fails_the_refresh_and_publishes_nothing(
    samples_build, tmp_path: Path
):
    """The dbt tests are not Dagster asset checks: their failure must still stop the refresh.
    A copy of the samples warehouse whose raw registry gives one document a status that is
    neither loaded nor failed (raw.documents.status) breaks the contract accepted_values of
    stg_raw__documents.extraction_status; its record of refreshes is emptied, so the run builds
    in full (nothing new to extract) and every test reads every row."""
    shutil.copytree(samples_build.raw, tmp_path / "raw")
    database = tmp_path / "budget.duckdb"
    shutil.copy(samples_build.database, database)
    conn = duckdb.connect(str(database))
    try:
        conn.execute(
            "update raw.documents set status = 'half-loaded' "
            "where document_id = (select min(document_id) from raw.documents)"
        )
        conn.execute("delete from pipeline.refreshes")
    finally:
        conn.close()
    result = run_pipeline(tmp_path / "raw", database, tmp_path / "dagster_home")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-4000:]
    assert "accepted_values_stg_raw__documents_extraction_status" in output, output[-4000:]
    assert not (tmp_path / "budget.published.duckdb").exists()
    conn = duckdb.connect(str(database), read_only=True)
    try:  # the failed refresh is not recorded: the next run refreshes again
        assert conn.execute("select count(*) from pipeline.refreshes").fetchone()[0] == 0
    finally:
        conn.close()
    # the run's log line of the tests, read from dbt's events (the build writes no
    # run_results.json), names the failed test and counts the tests it skipped
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(tmp_path / "dagster_home"))
    try:
        refresh = instance.get_run_records(dg.RunsFilter(job_name="refresh_job"), limit=1)
        logs = instance.all_logs(refresh[0].dagster_run.run_id)
    finally:
        instance.dispose()
    lines = [log.user_message for log in logs if log.user_message.startswith("dbt tests: ")]
    assert len(lines) == 1, lines
    assert "; fail: accepted_values_stg_raw__documents_extraction_status" in lines[0], lines
    # a failing test of stg_raw__documents skips the models built on it, and their tests
    assert int(re.search(r", (\d+) skipped", lines[0]).group(1)) > 0, lines
