"""End to end: `orchestration.cli run` ingests raw/, builds dbt, and can be re-run safely."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import ingest
from orchestration.pipeline import stage
from tests.conftest import SAMPLE_001, SAMPLE_003, SAMPLE_004, run_pipeline
from tests.orchestration.test_publish import readline as _readline

# Another process holding the warehouse read-only until its stdin closes.
HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("holding", flush=True)
sys.stdin.read()
"""

pytestmark = pytest.mark.slow


def _snapshot(database: Path) -> dict[str, list[tuple]]:
    """Every row of every raw and marts table, order-insensitive."""
    conn = duckdb.connect(str(database), read_only=True)
    try:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'marts')"
            " and table_type in ('BASE TABLE', 'VIEW')"
        ).fetchall()
        return {
            f"{schema}.{table}": sorted(
                conn.execute(f'select * from {schema}."{table}"').fetchall(), key=repr
            )
            for schema, table in tables
        }
    finally:
        conn.close()


def test_every_sample_document_loads(warehouse):
    rows = warehouse.execute(
        "select file_name, status, error_message from raw.documents order by file_name"
    ).fetchall()
    assert [(name, status) for name, status, _ in rows] == sorted(
        [(p.name, "loaded") for p in (SAMPLE_001, SAMPLE_003, SAMPLE_004)]
    ), rows


def test_summary_is_printed(built_warehouse: Path):
    out = (built_warehouse.parent / "run_stdout.txt").read_text()
    assert "Documents" in out and "Mart tables (rows)" in out
    assert f"loaded  {SAMPLE_004.name}" in out


@pytest.mark.parametrize("published", [False, True], ids=["warehouse", "bi-snapshot"])
def test_warehouse_opens_read_only_from_another_process(built_warehouse: Path, published: bool):
    path = built_warehouse.with_name("budget.published.duckdb") if published else built_warehouse
    code = (
        "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
        "print(c.execute('select count(*) from marts.dim_document').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 3


def test_rerun_with_nothing_changed_is_idempotent(built_warehouse: Path, rerun_build):
    """The samples warehouse, run again on the same raw set (exit code 0), is unchanged."""
    assert rerun_build.result.returncode == 0, rerun_build.result.stderr[-4000:]
    before = _snapshot(built_warehouse)
    after = _snapshot(rerun_build.database)
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    # nothing was new: no document was extracted (this run's staging directory holds none)
    assert not list((rerun_build.base / "staging").glob(f"*/*/*/{stage.STAGE_FILE}"))


def _tables_with_column(conn: duckdb.DuckDBPyConnection, schema: str, column: str) -> list[str]:
    return [
        table
        for (table,) in conn.execute(
            "select table_name from information_schema.columns "
            "where table_schema = ? and column_name = ? order by table_name",
            [schema, column],
        ).fetchall()
    ]


def test_removed_document_disappears_and_bad_one_is_quarantined(
    built_warehouse: Path, pruned_build
):
    """003 removed from raw/ and an empty file added: the run (exit code 0) drops 003's rows from
    raw, the facts, the reconciliation and the published snapshot; empty.txt is quarantined."""
    assert pruned_build.result.returncode == 0, pruned_build.result.stderr[-4000:]
    gone = ingest.document_id_for(SAMPLE_003.read_bytes())
    # before: the samples warehouse and its snapshot have 003 in the facts and the reconciliation
    for path in (built_warehouse, built_warehouse.with_name("budget.published.duckdb")):
        before = duckdb.connect(str(path), read_only=True)
        try:
            for table in ("fct_overall_target_funding", "reconciliation_results"):
                count = before.execute(
                    f"select count(*) from marts.{table} where document_id = ?", [gone]
                ).fetchone()[0]
                assert count > 0, (path.name, table)
        finally:
            before.close()
    for path in (pruned_build.database, pruned_build.published):
        conn = duckdb.connect(str(path), read_only=True)
        try:
            if path == pruned_build.database:
                docs = dict(conn.execute("select file_name, status from raw.documents").fetchall())
                assert docs == {
                    SAMPLE_001.name: "loaded",
                    SAMPLE_004.name: "loaded",
                    "empty.txt": "failed",
                }
                for table in _tables_with_column(conn, "raw", "file_name"):
                    left = conn.execute(
                        f"select count(*) from raw.{table} where file_name = ?", [SAMPLE_003.name]
                    ).fetchone()[0]
                    assert left == 0, table
            marts = {
                row[0]
                for row in conn.execute("select file_name from marts.dim_document").fetchall()
            }
            assert SAMPLE_003.name not in marts and SAMPLE_001.name in marts, path.name
            # every mart table keyed by document: facts, dimensions, reconciliation rows
            tables = _tables_with_column(conn, "marts", "document_id")
            assert {"fct_overall_target_funding", "reconciliation_results"} <= set(tables)
            for table in tables:
                left = conn.execute(
                    f'select count(*) from marts."{table}" where document_id = ?', [gone]
                ).fetchone()[0]
                assert left == 0, f"{path.name}: marts.{table}"
        finally:
            conn.close()


def test_reader_on_the_main_warehouse_fails_the_run_clearly(tmp_path: Path):
    """A process holding the warehouse itself (not the snapshot) makes the run fail fast with
    DuckDB's lock error naming the file, instead of waiting for the lock."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_003, raw / SAMPLE_003.name)
    database = tmp_path / "budget.duckdb"
    duckdb.connect(str(database)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert _readline(holder, timeout=60) == "holding"
        result = run_pipeline(raw, database, tmp_path / "dagster_home", timeout=900)
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert result.returncode == 1
    assert f'Could not set lock on file "{database}"' in result.stderr
    assert "PIPELINE FAILED" in result.stderr
