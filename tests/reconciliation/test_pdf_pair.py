"""The Beijing tables + notes PDFs (one disclosure in two files), Shanghai and the national 决算,
built end to end: what the warehouse says about them, checked against the printed pages.

Figures cite the PDF page ("p. N") of tests/fixtures/pdf/dev/<file>.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from tests.builds import PDF_PAIR_SET

pytestmark = pytest.mark.slow

TABLES, NOTES, SHANGHAI, NATIONAL = PDF_PAIR_SET


@pytest.fixture(scope="module")
def wh(pdf_pair_built):
    conn = duckdb.connect(str(pdf_pair_built), read_only=True)
    yield conn
    conn.close()


def _reasons(wh, file_name: str) -> list[tuple]:
    return wh.execute(
        """
        select r.reason_code, coalesce(r.rule_id, ''), r.instance
        from marts.document_review_reasons as r
        inner join marts.dim_document as d on r.document_id = d.document_id
        where d.file_name = ? and r.reason_code <> 'unresolved_name'
        order by 1, 2, 3
        """,
        [file_name],
    ).fetchall()


def test_the_pair_is_one_disclosure(wh):
    rows = wh.execute(
        "select file_name, extraction_status, disclosure_key, issuer_level from marts.dim_document "
        "where file_name in (?, ?) order by file_name",
        [NOTES, TABLES],
    ).fetchall()
    assert [r[1] for r in rows] == ["loaded", "loaded"]
    assert rows[0][2] is not None and rows[0][2] == rows[1][2]
    # the notes' cover names a 部门预算 (notes p. 1); the tables file prints no cover
    assert {r[3] for r in rows} == {"department"}


def test_the_pair_is_complete_together(wh):
    rows = wh.execute(
        """
        select d.file_name, r.status, r.actual_source
        from marts.reconciliation_results as r
        inner join marts.dim_document as d on r.document_id = d.document_id
        where r.rule_id = 'completeness.required_table_found' and d.file_name in (?, ?)
        """,
        [NOTES, TABLES],
    ).fetchall()
    # the eight statements a 部门预算 must publish, printed in the tables file (p. 1–10)
    assert len([r for r in rows if r[0] == NOTES]) == 8
    assert len([r for r in rows if r[0] == TABLES]) == 8
    assert {r[1] for r in rows} == {"exact"}
    assert all(TABLES in r[2] for r in rows if r[0] == NOTES)


def test_the_notes_restate_the_tables_file(wh):
    rows = wh.execute(
        """
        select r.instance, r.status, r.expected_yuan, r.actual_yuan, r.actual_source
        from marts.reconciliation_results as r
        inner join marts.dim_document as d on r.document_id = d.document_id
        where r.rule_id = 'narrative.figure_restates_table' and d.file_name = ?
        """,
        [NOTES],
    ).fetchall()
    assert rows and {r[1] for r in rows} <= {"exact", "rounding"}
    # notes p. 4 "2026 年支出预算 9626.78 万元" = tables p. 1 支出总计 9,626.777589 万元
    spending = next(r for r in rows if r[0].endswith(" 支出预算"))
    assert spending[2] == Decimal("96267800.00") and spending[3] == Decimal("96267800.00")
    assert TABLES in spending[4]
    # notes p. 4 "基本支出预算 7485.22 万元" = tables p. 4 支出总表 合计 基本支出 7,485.224572
    basic = next(r for r in rows if r[0].endswith(" 基本支出预算"))
    assert basic[3] == Decimal("74852200.00") and TABLES in basic[4]


def test_no_review_reason_but_the_printed_differences(wh):
    assert _reasons(wh, TABLES) == []
    assert _reasons(wh, NOTES) == []
    # Shanghai p. 6 "“自然资源海洋气象等支出”科目17374万元" vs p. 12 173,746,137 元 (17375 万元);
    # p. 20 "涉及项目预算资金15552.95万元" vs p. 11 项目支出 合计 155,689,475 元
    shanghai = _reasons(wh, SHANGHAI)
    assert [(r[0], r[1], r[2].split(" ")[0]) for r in shanghai] == [
        ("source_discrepancy", "narrative.figure_restates_table", "L235"),
        ("source_discrepancy", "narrative.figure_restates_table", "L59"),
    ]
    assert shanghai[0][2].endswith("项目 / 项目预算资金")
    assert shanghai[1][2].endswith("自然资源海洋气象等支出")
    # national p. 25: 10.15% + 87.88% + 1.95% = 99.98%
    assert _reasons(wh, NATIONAL) == [
        ("source_discrepancy", "narrative.shares_sum_to_100", "L468"),
    ]


def test_beijing_facts_add_up_to_the_printed_totals(wh):
    """p. 1 收入总计 = 支出总计 = 9,626.777589 万元; p. 2 上年结转结余 10.439275 万元."""
    revenue = wh.execute(
        """
        select fund_source_code, sum(amount_yuan)
        from marts.fct_budget_revenue as f
        inner join marts.dim_document as d on f.document_id = d.document_id
        where d.file_name = ? group by 1 order by 1
        """,
        [TABLES],
    ).fetchall()
    assert revenue == [
        ("general_public_budget", Decimal("96163383.14")),
        ("prior_year_carryover", Decimal("104392.75")),
    ]
    spending = wh.execute(
        """
        select count(*), count(economic_code), sum(amount_yuan)
        from marts.fct_budget_expenditure as f
        inner join marts.dim_document as d on f.document_id = d.document_id
        where d.file_name = ?
        """,
        [TABLES],
    ).fetchone()
    # p. 3–4: 42 rows, each with its 部门经济分类 item
    assert spending == (42, 42, Decimal("96267775.89"))
