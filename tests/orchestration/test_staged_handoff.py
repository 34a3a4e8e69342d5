"""Past one machine: the staged files alone, in another place, build the same warehouse.

README "Past one machine", points 1 and 3: the staged per-document Parquet files are the hand-off,
and dbt-duckdb builds the warehouse from them with its models unchanged. Here the staging
directory of the samples' build is copied elsewhere (as it would be to object storage), a fresh
DuckDB file there declares each raw table as a view over the copied files read by glob (what a
dbt-duckdb external source or an ``s3://`` glob does), and ``dbt build`` on it must give marts
equal, row for row, to those of the normal build (``make run``, which loads the same files into
tables). No raw file, extractor or Dagster run is involved on the other side.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench.snapshot import snapshot
from orchestration import warehouse
from orchestration.pipeline import stage
from tests.builds import PROJECT_ROOT


def _glob(root: Path, table: str) -> str:
    return f"'{root}/*/*/{table}.parquet'"


def raw_views_over_stage(database: Path, root: Path) -> list[str]:
    """``raw.<table>`` as a view over the staged files of ``root`` (one extractor version), for
    every table some document staged; the others stay empty tables of the raw contract. Returns
    the tables read from files."""
    conn = duckdb.connect(str(database))
    try:
        warehouse.ensure_schema(conn)
        from_files = []
        for table in warehouse.ALL_TABLES:
            if not any(root.glob(f"*/*/{table}.parquet")):
                continue
            columns = [row[0] for row in conn.execute(f"describe raw.{table}").fetchall()]
            # the load time is the loader's, not the document's: absent from the staged files
            select = ", ".join(
                "null::timestamp as ingested_at" if name == "ingested_at" else name
                for name in columns
            )
            conn.execute(f"drop table raw.{table}")
            files = _glob(root, table)
            conn.execute(f"create view raw.{table} as select {select} from read_parquet({files})")
            from_files.append(table)
        # the files present: every staged document under its name
        conn.execute(
            "create view raw.document_inventory as select document_id, file_name, sha256 "
            f"from read_parquet({_glob(root, warehouse.REGISTRY_TABLE)})"
        )
        return from_files
    finally:
        conn.close()


@pytest.mark.slow
def test_marts_built_from_the_staged_files_alone_equal_the_build(samples_build, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(samples_build.database.parent / "staging", elsewhere / "staging")
    root = elsewhere / "staging" / stage.EXTRACTOR_VERSION
    database = elsewhere / "budget.duckdb"
    tables = raw_views_over_stage(database, root)
    # the samples print statements, performance targets and narrative: those tables are staged
    assert {warehouse.REGISTRY_TABLE, "statement_cells", "performance_indicators"} <= set(tables)

    env = {**os.environ, "DUCKDB_DATABASE": str(database),
           "DBT_TARGET_PATH": str(elsewhere / "dbt_target")}  # fmt: skip
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run([str(dbt), "build", "--quiet"], cwd=PROJECT_ROOT / "dbt_project",
                            env=env, capture_output=True, text=True, timeout=1800)  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]

    built = {k: v for k, v in snapshot(samples_build.database).items() if k.startswith("marts.")}
    handed_off = {k: v for k, v in snapshot(database).items() if k.startswith("marts.")}
    assert sorted(handed_off) == sorted(built)
    # not vacuous: the facts and the reconciliation hold rows
    assert built["marts.reconciliation_results"][1] and built["marts.fct_budget_expenditure"][1]
    for table, (columns, rows) in built.items():
        assert handed_off[table][0] == columns, table
        assert handed_off[table][1] == rows, table
