"""A deliberately corrupted copy of a sample: one changed figure makes the right rules fail.

004 (闵行区教育学院 2020) line 185 prints, in 单位支出预算总表 (T3),
"208 05 05 机关事业单位基本养老保险缴费支出 5641014.86 5641014.86 0.00": 合计, 基本支出, 项目支出.
The altered raw set (tests/builds.py) changes the 合计 to 5641015.86 (+1.00 元). That figure takes
part in exactly three identities, and each now differs by the change:

- its parent 20805 (line 182) = Σ children: expected the printed parent, actual Σ children,
  which grew by 1.00: difference −1.00;
- its own row 合计 = 基本 + 项目: 5641015.86 − (5641014.86 + 0.00) = +1.00;
- 支出总表 = 收入总表 per code (2080505 in T2, line 136): +1.00.

Every other check of the copy has the status it has on the real 004. The corrupted document, and
only it, needs review: the strict run (`make run STRICT=1`) builds and publishes the warehouse, then
exits 2 naming it. (The same raw set carries an altered 001, tested in test_unit_list.py.)
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import duckdb
import pytest

from tests.conftest import SAMPLE_001, SAMPLE_003, SAMPLE_004

pytestmark = pytest.mark.slow

CHANGE = Decimal("1.00")  # 5641015.86 − 5641014.86 (line 185)
AFFECTED = {
    ("within.parent_equals_children", "T3 L182 20805 [total]"): (-CHANGE, "error"),
    ("within.row_total_equals_basic_plus_project", "T3 L185 2080505"): (CHANGE, "error"),
    ("cross.expenditure_equals_revenue_plus_carryover", "fc2080505"): (CHANGE, "finding"),
}


def _document_id(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _statuses(database, document_id: str) -> dict[tuple[str, str], tuple]:
    conn = duckdb.connect(str(database), read_only=True)
    try:
        rows = conn.execute(
            "select rule_id, instance, status, difference_yuan, severity "
            "from marts.reconciliation_results where document_id = ?",
            [document_id],
        ).fetchall()
    finally:
        conn.close()
    return {
        (rule, instance): (status, diff, severity)
        for rule, instance, status, diff, severity in rows
    }


def test_the_changed_figure_fails_exactly_the_rules_it_takes_part_in(
    altered_build, built_warehouse
):
    copy = _statuses(altered_build.database, _document_id(altered_build.raw / SAMPLE_004.name))
    real = _statuses(built_warehouse, _document_id(SAMPLE_004))
    assert copy.keys() == real.keys()  # the same checks apply
    changed = {key: copy[key] for key in copy if copy[key] != real[key]}
    assert changed == {
        key: ("fail", difference, severity) for key, (difference, severity) in AFFECTED.items()
    }
    # on the real 004 the three held exactly
    assert {real[key][0] for key in AFFECTED} == {"exact"}


def test_only_the_corrupted_document_needs_review(altered_build):
    """The cut 001's failures are source discrepancies (severity finding), not integrity errors:
    it does not need review; the corrupted 004 does."""
    corrupted = _document_id(altered_build.raw / SAMPLE_004.name)
    conn = duckdb.connect(str(altered_build.database), read_only=True)
    try:
        review = dict(
            conn.execute(
                "select document_id, needs_review from marts.document_review_status"
            ).fetchall()
        )
        others_failing = conn.execute(
            "select count(*) from marts.reconciliation_results where document_id <> ? "
            "and status = 'fail' and severity = 'error' and not is_acknowledged",
            [corrupted],
        ).fetchone()[0]
    finally:
        conn.close()
    assert review == {
        corrupted: True,
        _document_id(altered_build.raw / SAMPLE_001.name): False,
        _document_id(SAMPLE_003): False,
    }
    assert others_failing == 0
    # the strict run built the warehouse, then exited 2 naming the document and its failure
    result = altered_build.result
    assert result.returncode == 2, result.stderr[-4000:]
    assert "STRICT: documents need review" in result.stderr
    review = result.stdout.split("Documents that need review", 1)[1]
    assert f"{SAMPLE_004.name} ({corrupted})" in review
    assert "integrity_failure" in review and "line 182" in review
