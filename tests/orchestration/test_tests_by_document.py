"""An incremental refresh's data tests by document read only the documents it built.

`dbt compile` of a few models' tests with and without the var the pipeline passes
(`test_documents`, orchestration/pipeline/state.py): the SQL of each test shows what it reads
(dbt_project/macros/tests_by_document.sql)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

MODELS = [
    "stg_raw__documents",
    "fct_budget_revenue",
    "dim_department",
    "int_statement_column_stages",
]
SCOPE = "document_id in ('d1', 'd2')"


def _compiled_tests(tmp_path: Path, variables: dict | None) -> dict[str, str]:
    """Test name -> compiled SQL of the selected models' data tests."""
    target = tmp_path / "target"
    env = {**os.environ, "DUCKDB_DATABASE": str(tmp_path / "empty.duckdb"),
           "DBT_TARGET_PATH": str(target)}  # fmt: skip
    command = [str(Path(sys.executable).with_name("dbt")), "compile", "--quiet",
               "--select", *[f"{model},resource_type:test" for model in MODELS]]  # fmt: skip
    if variables is not None:
        command += ["--vars", json.dumps(variables)]
    result = subprocess.run(command, cwd=PROJECT_ROOT / "dbt_project", env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    compiled = target / "compiled" / "budget_warehouse"
    return {path.stem: path.read_text() for path in compiled.rglob("*.sql")}


def _one(tests: dict[str, str], prefix: str) -> str:
    found = [sql for name, sql in tests.items() if name.startswith(prefix)]
    assert len(found) == 1, (prefix, sorted(tests))
    return found[0]


def test_tests_by_document_read_the_built_documents_only(tmp_path: Path) -> None:
    tests = _compiled_tests(tmp_path, {"test_documents": ["d1", "d2"]})
    # row-local tests of per-document models: a staging view, an incremental model, a table
    # whose rows are each one document's (meta rows_by_document)
    for name in ("not_null_stg_raw__documents_file_name", "not_null_fct_budget_revenue_stage"):
        assert SCOPE in _one(tests, name), name
    assert SCOPE in _one(tests, "accepted_values_stg_raw__docum")
    # a composite key including document_id is unique within a document
    assert SCOPE in _one(tests, "unique_combination_int_stateme")
    # read across documents, whatever the model: unique on one column, relationships
    assert "document_id in" not in _one(tests, "unique_stg_raw__documents_document_id")
    relationships = [sql for name, sql in tests.items() if name.startswith("relationships_fct")]
    assert relationships and all("document_id in" not in sql for sql in relationships)
    # a corpus-wide table: every row, always
    dims = [sql for name, sql in tests.items() if name.endswith("dim_department_department_key")]
    assert dims and all("document_id in" not in sql for sql in dims)


def test_without_the_var_every_test_reads_every_row(tmp_path: Path) -> None:
    tests = _compiled_tests(tmp_path, None)
    assert tests
    assert not [name for name, sql in tests.items() if "document_id in (" in sql]


def test_a_refresh_that_built_no_document_has_no_rows_by_document_to_test(tmp_path: Path) -> None:
    tests = _compiled_tests(tmp_path, {"test_documents": []})
    sql = _one(tests, "not_null_stg_raw__documents_file_name")
    assert "where false" in " ".join(sql.split())
