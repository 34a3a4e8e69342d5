"""One document never takes the warehouse down: isolation, duplicates, versions, completeness.

A mixed raw folder (tests/conftest.py make_mixed_raw): the three samples, two synthetic documents
in other layouts (tests/fixtures/mixed: a markdown 部门预算 printing 2 of its standard tables, and
a TSV 单位预算 that names no unit), an empty file, a binary file, a non-budget note, a copy of 004
cut after its line 199 (the title 2020年单位财政拨款收支预算总表; its 目录, lines 14–21, lists 8
tables), an identical copy of 003 and a republished copy of 004 (a correction note added after its
first line). Built once per session without --strict and compared with the samples-only build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import (
    IDENTICAL_COPY,
    PROJECT_ROOT,
    REPUBLISHED_COPY,
    SAMPLE_001,
    SAMPLE_003,
    SAMPLE_004,
    TRUNCATED_COPY,
)

pytestmark = pytest.mark.slow

SAMPLES = (SAMPLE_001.name, SAMPLE_003.name, SAMPLE_004.name)
# 004 收入总表 合计, line 148: "合计 104,733,480.93 104,733,480.93 - - -"
REVENUE_004 = Decimal("104733480.93")
# Columns of these marts legitimately depend on the other documents in raw/ (which version of a
# publication is current, under which file names a document was found) or on the run (when the
# content was first ingested).
CONTEXT_COLUMNS = {
    "dim_document": {
        "ingested_at",
        "file_names",
        "is_current",
        "version_number",
        "version_count",
        "version_basis",
        "current_document_id",
    },
    "document_review_status": {"is_current"},
}


# Marts of one row for the whole build: they count every document in raw/ by design.
CORPUS_WIDE = {"corpus_quality"}


def _connect(database: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(database), read_only=True)


@pytest.fixture(scope="module")
def mixed(mixed_build):
    database, _ = mixed_build
    conn = _connect(database)
    yield conn
    conn.close()


def _ids(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(
        conn.execute("select file_name, document_id from raw.document_inventory").fetchall()
    )


def _marts(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts'"
        " and table_type in ('BASE TABLE', 'VIEW') order by table_name"
    ).fetchall()
    return [row[0] for row in rows]


def _sample_rows(conn: duckdb.DuckDBPyConnection, table: str, ids: list[str]) -> list[tuple]:
    columns = [row[0] for row in conn.execute(f'describe marts."{table}"').fetchall()]
    keep = [c for c in columns if c not in CONTEXT_COLUMNS.get(table, set())]
    select = ", ".join(f'"{c}"' for c in keep)
    rows = conn.execute(
        f'select {select} from marts."{table}" where document_id in (select unnest(?))', [ids]
    ).fetchall()
    return sorted(rows, key=repr)


def test_the_mixed_folder_builds_and_exits_zero(mixed_build):
    _, result = mixed_build
    assert result.returncode == 0, result.stderr[-4000:]
    assert "PIPELINE FAILED" not in result.stderr


def test_every_file_has_a_status_and_a_reason(mixed_build, mixed):
    database, result = mixed_build
    files = sorted(p.name for p in (database.parent / "raw").iterdir())
    inventory = _ids(mixed)
    assert sorted(inventory) == files
    section = result.stdout.split("Documents (every file in raw/", 1)[1].split("Mart tables", 1)[0]
    lines = {line.split()[1]: line for line in section.strip().splitlines()[1:] if line.strip()}
    assert sorted(lines) == files
    for line in lines.values():
        status = line.split()[0]
        assert status in {"loaded", "failed", "copy"}, line
        assert " — " in line and line.split(" — ", 1)[1].strip(), line
    assert lines["empty.txt"].split()[0] == "failed" and "empty" in lines["empty.txt"]
    assert "binary" in lines["binary.txt"]
    assert "not a budget document" in lines["note.txt"]
    assert lines[IDENTICAL_COPY].startswith(f"  copy    {IDENTICAL_COPY} — the same bytes as")
    assert SAMPLE_003.name in lines[IDENTICAL_COPY]
    assert f"superseded by {REPUBLISHED_COPY}" in lines[SAMPLE_004.name]
    assert "needs review: incomplete" in lines[TRUNCATED_COPY]
    # the documents that need review are printed last, each with its reasons
    review = result.stdout.split("Documents that need review", 1)[1]
    assert TRUNCATED_COPY in review and "incomplete" in review


def test_dim_document_and_every_mart_exist(mixed, warehouse):
    assert _marts(mixed) == _marts(warehouse)
    assert {"dim_document", "document_review_reasons", "document_review_status"} <= set(
        _marts(mixed)
    )
    documents = mixed.execute("select count(*) from marts.dim_document").fetchone()[0]
    distinct_ids = len(set(_ids(mixed).values()))
    assert documents == distinct_ids == 11  # 12 files, two of them the same bytes


def test_the_samples_mart_rows_equal_those_of_a_samples_only_build(mixed, warehouse):
    ids = [doc_id for name, doc_id in _ids(warehouse).items() if name in SAMPLES]
    assert len(ids) == 3 and set(ids) <= set(_ids(mixed).values())
    compared = 0
    for table in _marts(warehouse):
        if table in CORPUS_WIDE:
            continue
        columns = [row[0] for row in warehouse.execute(f'describe marts."{table}"').fetchall()]
        if "document_id" not in columns:
            # a conformed dimension: every row the samples produce is still there
            key = columns[0]
            alone = {
                r[0] for r in warehouse.execute(f'select "{key}" from marts."{table}"').fetchall()
            }
            beside = {
                r[0] for r in mixed.execute(f'select "{key}" from marts."{table}"').fetchall()
            }
            assert alone <= beside, table
            continue
        expected = _sample_rows(warehouse, table, ids)
        assert _sample_rows(mixed, table, ids) == expected, table
        compared += len(expected)
    assert compared > 1000


def test_the_identical_copy_is_one_document_with_both_names(mixed):
    ids = _ids(mixed)
    assert ids[IDENTICAL_COPY] == ids[SAMPLE_003.name]
    row = mixed.execute(
        "select file_name, file_names from marts.dim_document where document_id = ?",
        [ids[IDENTICAL_COPY]],
    ).fetchone()
    assert row == (SAMPLE_003.name, sorted([SAMPLE_003.name, IDENTICAL_COPY]))
    loaded = mixed.execute(
        "select count(*) from raw.documents where document_id = ?", [ids[IDENTICAL_COPY]]
    ).fetchone()[0]
    assert loaded == 1


def test_the_truncated_copy_needs_review_with_completeness_reasons(mixed):
    document_id = _ids(mixed)[TRUNCATED_COPY]
    status = mixed.execute(
        "select needs_review, reason_codes from marts.document_review_status where document_id = ?",
        [document_id],
    ).fetchone()
    assert status == (True, ["incomplete"])
    reasons = mixed.execute(
        "select rule_id, source_line from marts.document_review_reasons "
        "where document_id = ? and reason_code = 'incomplete'",
        [document_id],
    ).fetchall()
    listed = sorted(line for rule, line in reasons if rule == "completeness.listed_table_found")
    # 004's 目录 lines 17–21 list tables 4–8, which the cut copy does not print
    assert listed == [17, 18, 19, 20, 21]
    # it ends at the title of table 4 (line 199), with no rows after it
    assert ("completeness.table_has_rows", 199) in reasons
    required = {rule for rule, _ in reasons if rule == "completeness.required_table_found"}
    assert required == {"completeness.required_table_found"}
    results = mixed.execute(
        "select count(*) from marts.reconciliation_results where document_id = ? "
        "and family = 'completeness' and status = 'fail'",
        [document_id],
    ).fetchone()[0]
    assert results == len(reasons)


def test_bad_inputs_are_review_reasons_and_the_samples_need_none(mixed):
    ids = _ids(mixed)
    review = dict(
        mixed.execute(
            "select document_id, needs_review from marts.document_review_status"
        ).fetchall()
    )
    for name in ("empty.txt", "binary.txt", "note.txt"):
        assert review[ids[name]] is True, name
        codes = mixed.execute(
            "select reason_code from marts.document_review_reasons where document_id = ?",
            [ids[name]],
        ).fetchall()
        assert codes == [("extraction_failed",)], name
    for name in SAMPLES:
        assert review[ids[name]] is False, name
    # acknowledgements are keyed by document id: the republished copy's two integrity failures
    # (the 004 defects acknowledged for the sample) are its own until acknowledged for it
    republished = mixed.execute(
        "select reason_code, rule_id from marts.document_review_reasons "
        "where document_id = ? and severity = 'error' order by rule_id",
        [ids[REPUBLISHED_COPY]],
    ).fetchall()
    assert republished == [
        ("integrity_failure", "project.detail_amount_equals_price_times_quantity"),
        ("integrity_failure", "project.detail_total_equals_items"),
    ]
    # the TSV 单位预算 names no unit: its cells are kept, with a review reason
    unnamed = ids["synthetic-unnamed-unit-2023-budget.txt"]
    assert review[unnamed] is True
    assert (
        mixed.execute(
            "select count(*) from marts.document_review_reasons "
            "where document_id = ? and reason_code = 'unresolved_department'",
            [unnamed],
        ).fetchone()[0]
        == 1
    )
    # the markdown 部门预算 prints 2 of its standard tables: the other 6 are missing
    partial = ids["synthetic-county-transport-2024-department-budget.md"]
    missing = mixed.execute(
        "select instance from marts.document_review_reasons "
        "where document_id = ? and rule_id = 'completeness.required_table_found'",
        [partial],
    ).fetchall()
    assert len(missing) == 6


def test_versions_one_current_and_revenue_counted_once(mixed, warehouse):
    ids = _ids(mixed)
    versions = mixed.execute(
        "select file_name, is_current, version_count, version_basis from marts.dim_document "
        "where document_id in (?, ?, ?) order by file_name",
        [ids[SAMPLE_004.name], ids[REPUBLISHED_COPY], ids[TRUNCATED_COPY]],
    ).fetchall()
    assert [(name, current, count) for name, current, count, _ in versions] == [
        (TRUNCATED_COPY, False, 3),
        (SAMPLE_004.name, False, 3),
        (REPUBLISHED_COPY, True, 3),
    ]
    assert versions[0][3] in {"ingested_at", "file_name"}
    current_per_publication = mixed.execute(
        "select count(*) filter (where is_current) from marts.dim_document "
        "group by issuing_body_name, fiscal_year, document_kind, scope, "
        "case when extraction_status = 'failed' then document_id end"
    ).fetchall()
    assert {row[0] for row in current_per_publication} == {1}
    revenue_sql = (
        "select sum(r.amount_yuan) from marts.fct_budget_revenue as r "
        "inner join marts.dim_document as d on r.document_id = d.document_id "
        "where d.issuing_body_name = '上海市闵行区教育学院' {current}"
    )
    alone = warehouse.execute(revenue_sql.format(current="")).fetchone()[0]
    current = mixed.execute(revenue_sql.format(current="and d.is_current")).fetchone()[0]
    every_version = mixed.execute(revenue_sql.format(current="")).fetchone()[0]
    # 004's 收入总表 合计 (line 148), counted once over current documents
    assert alone == current == REVENUE_004
    assert every_version == 3 * REVENUE_004  # the cut copy prints its 收入总表 too


def test_summary_strict_on_the_mixed_warehouse_exits_2(mixed_build):
    database, _ = mixed_build
    env = {
        "RAW_DIR": str(database.parent / "raw"),
        "DUCKDB_DATABASE": str(database),
        "DAGSTER_HOME": str(database.parent / "dagster_home"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "summary", "--strict"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "STRICT: documents need review" in result.stderr


def test_the_dagster_check_shows_the_warehouse_verdict_per_document(mixed_build, mixed):
    """The per-partition asset (and its check document_reconciles) reads needs_review from
    marts.document_review_status: the same verdict for every document."""
    import dagster as dg

    database, _ = mixed_build
    verdicts = dict(
        mixed.execute(
            "select document_id, needs_review from marts.document_review_status"
        ).fetchall()
    )
    instance = dg.DagsterInstance.from_config(str(database.parent / "dagster_home"))
    try:
        for document_id, needs_review in verdicts.items():
            records = instance.fetch_materializations(
                dg.AssetRecordsFilter(
                    asset_key=dg.AssetKey(["reconciliation", "document_review"]),
                    asset_partitions=[document_id],
                ),
                limit=1,
            ).records
            assert records, document_id
            metadata = records[0].asset_materialization.metadata
            assert metadata["needs_review"].value is needs_review, document_id
    finally:
        instance.dispose()
    # the three samples are clean; the other 8 documents (with the duplicated-grain water
    # budget) each need review
    assert sorted(verdicts.values()) == [False] * 3 + [True] * 8


def test_a_document_whose_reading_duplicates_a_grain_needs_review_alone(mixed):
    # tests/fixtures/mixed/synthetic-county-water-2024-department-budget.md prints the row
    # "2130301 行政运行 200.00" twice under 21303 水利 (300.00): two revenue facts share one grain.
    # The fact's grain test only warns; the document gets the review reason duplicate_grain.
    document_id = _ids(mixed)["synthetic-county-water-2024-department-budget.md"]
    reasons = mixed.execute(
        "select rule_id, instance from marts.document_review_reasons "
        "where document_id = ? and reason_code = 'duplicate_grain'",
        [document_id],
    ).fetchall()
    assert [rule for rule, _ in reasons] == ["fct_budget_revenue"]
    assert "2130301" in reasons[0][1]
    others = mixed.execute(
        "select count(*) from marts.document_review_reasons "
        "where document_id <> ? and reason_code = 'duplicate_grain'",
        [document_id],
    ).fetchone()[0]
    assert others == 0
