"""A deliberately corrupted copy of a sample: one changed figure makes the right rules fail.

004 (闵行区教育学院 2020) line 185 prints, in 单位支出预算总表 (T3),
"208 05 05 机关事业单位基本养老保险缴费支出 5641014.86 5641014.86 0.00": 合计, 基本支出, 项目支出.
Changing the 合计 to 5641015.86 (+1.00 元) must break exactly the identities that figure takes
part in: its parent 20805 (line 182) = Σ children, its own row 合计 = 基本 + 项目, and
支出总表 = 收入总表 per code (2080505 in T2, line 136). The other documents stay clean, and in
the corrupted document, and only it, needs review: `make run STRICT=1` exits 2 naming it, while
the warehouse is still built and published.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import RAW_DIR, SAMPLE_004, run_pipeline

CORRUPTED_LINE = 185
ORIGINAL = "5641014.86\t5641014.86\t0.00"
CORRUPTED = "5641015.86\t5641014.86\t0.00"


def _corrupt(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[CORRUPTED_LINE - 1].endswith(ORIGINAL), lines[CORRUPTED_LINE - 1]
    lines[CORRUPTED_LINE - 1] = lines[CORRUPTED_LINE - 1][: -len(ORIGINAL)] + CORRUPTED
    path.write_text("\n".join(lines), encoding="utf-8")
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@pytest.fixture(scope="module")
def corrupted_warehouse(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, str, subprocess.CompletedProcess]:
    base = tmp_path_factory.mktemp("corrupted")
    raw = base / "raw"
    shutil.copytree(RAW_DIR, raw)
    document_id = _corrupt(raw / SAMPLE_004.name)
    database = base / "budget.duckdb"
    # STRICT=1: the warehouse is built and published, and the run exits 2 because the
    # corrupted document needs review.
    result = run_pipeline(raw, database, base / "dagster_home", strict=True)
    return database, document_id, result


@pytest.mark.slow
def test_strict_run_exits_non_zero_and_names_the_document(corrupted_warehouse):
    _, document_id, result = corrupted_warehouse
    assert result.returncode == 2, result.stderr[-4000:]
    assert "STRICT: documents need review" in result.stderr
    review = result.stdout.split("Documents that need review", 1)[1]
    assert f"{SAMPLE_004.name} ({document_id})" in review
    assert "integrity_failure" in review and "line 182" in review


@pytest.mark.slow
def test_the_changed_figure_fails_the_rules_it_takes_part_in(corrupted_warehouse):
    database, document_id, _ = corrupted_warehouse
    conn = duckdb.connect(str(database), read_only=True)
    try:
        failures = {
            (rule, instance): (difference, severity)
            for rule, instance, difference, severity in conn.execute(
                "select rule_id, instance, difference_yuan, severity "
                "from marts.reconciliation_results where document_id = ? and status = 'fail'",
                [document_id],
            ).fetchall()
        }
    finally:
        conn.close()
    # 20805 (line 182) now differs from Σ its children by the change, with the opposite sign
    assert failures[("within.parent_equals_children", "T3 L182 20805 [total]")] == (
        Decimal("-1.00"),
        "error",
    )
    # the corrupted row's 合计 no longer equals 基本支出 + 项目支出
    assert failures[("within.row_total_equals_basic_plus_project", "T3 L185 2080505")] == (
        Decimal("1.00"),
        "error",
    )
    # and the 支出总表 no longer restates the 收入总表 for 2080505 (T2 line 136)
    assert failures[("cross.expenditure_equals_revenue_plus_carryover", "fc2080505")] == (
        Decimal("1.00"),
        "finding",
    )


@pytest.mark.slow
def test_only_the_corrupted_document_needs_review(corrupted_warehouse):
    database, document_id, _ = corrupted_warehouse
    conn = duckdb.connect(str(database), read_only=True)
    try:
        review = dict(
            conn.execute(
                "select document_id, needs_review from marts.document_review_status"
            ).fetchall()
        )
        others_failing = conn.execute(
            "select count(*) from marts.reconciliation_results where document_id <> ? "
            "and status = 'fail' and severity in ('error', 'finding') and not is_acknowledged",
            [document_id],
        ).fetchone()[0]
    finally:
        conn.close()
    assert review.pop(document_id) is True
    assert review and not any(review.values())
    assert others_failing == 0
