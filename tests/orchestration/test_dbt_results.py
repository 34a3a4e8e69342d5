"""The run log's line of dbt test results, and the contract tests still gate the refresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.pipeline.dbt_results import test_summary as summary
from tests.builds import run_pipeline

# the shape of dbt's run_results.json (results: unique_id, status, failures)
RUN_RESULTS = {
    "results": [
        {"unique_id": "model.budget_warehouse.dim_document", "status": "success"},
        {"unique_id": "test.budget_warehouse.unique_dim_document_key.1a", "status": "pass",
         "failures": 0},
        {"unique_id": "test.budget_warehouse.not_null_dim_document_key.2b", "status": "pass",
         "failures": 0},
        {"unique_id": "test.budget_warehouse.unique_combination_fct_x.3c", "status": "warn",
         "failures": 2},
        {"unique_id": "test.budget_warehouse.relationships_fct_y.4d", "status": "fail",
         "failures": 5},
        {"unique_id": "unit_test.budget_warehouse.m.u", "status": "pass"},
    ]
}  # fmt: skip


def test_the_line_counts_every_status_and_names_the_tests_that_did_not_pass():
    assert summary(RUN_RESULTS) == (
        "dbt tests: 2 pass, 1 warn, 1 fail, 0 error, 0 skipped; "
        "warn: unique_combination_fct_x (2 rows); fail: relationships_fct_y (5 rows)"
    )


def test_a_build_without_tests_says_so():
    assert summary({"results": []}) == "dbt tests: 0 pass, 0 warn, 0 fail, 0 error, 0 skipped"


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
