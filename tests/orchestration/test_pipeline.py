"""End to end: `orchestration.cli run` ingests raw/, builds dbt, and can be re-run safely."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.pipeline import stage
from tests.conftest import SAMPLE_001, SAMPLE_003, SAMPLE_004, run_pipeline

pytestmark = pytest.mark.slow


def _snapshot(database: Path) -> dict[str, list[tuple]]:
    """Every row of every raw and marts table, order-insensitive."""
    conn = duckdb.connect(str(database), read_only=True)
    try:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'marts') and table_type = 'BASE TABLE'"
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
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 3


def test_rerun_with_nothing_changed_is_idempotent(built_warehouse: Path, tmp_path: Path):
    base = built_warehouse.parent
    database = tmp_path / "budget.duckdb"
    shutil.copy(built_warehouse, database)
    before = _snapshot(database)
    result = run_pipeline(base / "raw", database, tmp_path / "dagster_home")
    assert result.returncode == 0, result.stderr[-4000:]
    after = _snapshot(database)
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    # nothing was new: no document was extracted (this run's staging directory holds none)
    assert not list((tmp_path / "staging").glob(f"*/*/*/{stage.STAGE_FILE}"))


def test_removed_document_disappears_and_bad_one_is_quarantined(
    built_warehouse: Path, tmp_path: Path
):
    raw = tmp_path / "raw"
    shutil.copytree(built_warehouse.parent / "raw", raw)
    (raw / SAMPLE_003.name).unlink()
    (raw / "empty.txt").write_bytes(b"")
    database = tmp_path / "budget.duckdb"
    shutil.copy(built_warehouse, database)
    result = run_pipeline(raw, database, tmp_path / "dagster_home")
    assert result.returncode == 0, result.stderr[-4000:]
    conn = duckdb.connect(str(database), read_only=True)
    try:
        docs = dict(conn.execute("select file_name, status from raw.documents").fetchall())
        assert docs == {SAMPLE_001.name: "loaded", SAMPLE_004.name: "loaded", "empty.txt": "failed"}
        marts = {
            row[0] for row in conn.execute("select file_name from marts.dim_document").fetchall()
        }
        assert SAMPLE_003.name not in marts
        for (table,) in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall():
            columns = [c[0] for c in conn.execute(f"describe raw.{table}").fetchall()]
            if "file_name" in columns:
                left = conn.execute(
                    f"select count(*) from raw.{table} where file_name = ?", [SAMPLE_003.name]
                ).fetchone()[0]
                assert left == 0, table
    finally:
        conn.close()
