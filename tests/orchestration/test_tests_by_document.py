"""An incremental refresh's data tests by document read only the documents it built.

`dbt compile` of a few models' tests with and without the documents the pipeline names
(REFRESH_DOCUMENTS, orchestration/pipeline/state.py): the SQL of each test shows what it
reads (dbt_project/macros/tests_by_document.sql)."""

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


def _compile(tmp_path: Path, documents: list[str] | None, *extra: str) -> str:
    """`dbt compile` of the selected models' data tests into tmp_path/target; its output."""
    env = {**os.environ, "DUCKDB_DATABASE": str(tmp_path / "empty.duckdb"),
           "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path)}  # fmt: skip
    env.pop("REFRESH_DOCUMENTS", None)
    if documents is not None:
        env["REFRESH_DOCUMENTS"] = json.dumps(documents)
    command = [str(Path(sys.executable).with_name("dbt")), "compile", *extra,
               "--select", *[f"{model},resource_type:test" for model in MODELS]]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_ROOT / "dbt_project", env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


def _compiled_tests(tmp_path: Path, documents: list[str] | None) -> dict[str, str]:
    """Test name -> compiled SQL of the selected models' data tests."""
    _compile(tmp_path, documents, "--quiet")
    compiled = tmp_path / "target" / "compiled" / "budget_warehouse"
    return {path.stem: path.read_text() for path in compiled.rglob("*.sql")}


def _one(tests: dict[str, str], prefix: str) -> str:
    found = [sql for name, sql in tests.items() if name.startswith(prefix)]
    assert len(found) == 1, (prefix, sorted(tests))
    return found[0]


def test_tests_by_document_read_the_built_documents_only(tmp_path: Path) -> None:
    tests = _compiled_tests(tmp_path, ["d1", "d2"])
    # row-local tests of per-document models: a staging view, incremental models (an
    # intermediate model, a fact)
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


def test_without_the_list_every_test_reads_every_row(tmp_path: Path) -> None:
    tests = _compiled_tests(tmp_path, None)
    assert tests
    assert not [name for name, sql in tests.items() if "document_id in (" in sql]


def test_a_refresh_that_built_no_document_has_no_rows_by_document_to_test(tmp_path: Path) -> None:
    tests = _compiled_tests(tmp_path, [])
    sql = _one(tests, "not_null_stg_raw__documents_file_name")
    assert "where false" in " ".join(sql.split())


def test_a_refresh_naming_other_documents_keeps_dbts_partial_parse(tmp_path: Path) -> None:
    """Each refresh names other documents; dbt must not parse the whole project again for that
    (a var would make it: the vars are part of the parse state, as the last compile shows)."""
    _compile(tmp_path, ["d1"])  # parses the project, saves target/partial_parse.msgpack
    again = _compile(tmp_path, ["d3"])
    assert "Unable to do partial parsing" not in again, again[-2000:]
    compiled = tmp_path / "target" / "compiled" / "budget_warehouse"
    tests = {path.stem: path.read_text() for path in compiled.rglob("*.sql")}
    sql = _one(tests, "not_null_stg_raw__documents_file_name")
    assert "document_id in ('d3')" in sql
    with_a_var = _compile(tmp_path, ["d3"], "--vars", '{"documents": ["d3"]}')
    assert "Unable to do partial parsing because config vars" in with_a_var
