"""Jiangsu 2019 (provincial 部门预算 tables) and Suzhou 2026 (city 部门预算): structure read right.

Every expected figure was read by eye from the rendered page it cites ("p. N" is the PDF page).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from orchestration.extract.statements import classify_title
from orchestration.extract.text import normalize_name
from tests.extract.test_pdf_documents import JIANGSU_2019, SUZHOU, read


def table(name: str, statement_type: str):
    _, doc = read(name)
    found = [t for t in doc.tables if t.statement_type == statement_type]
    assert len(found) == 1, [t.title for t in doc.tables]
    return found[0]


def rows(name: str, statement_type: str):
    _, doc = read(name)
    ordinal = table(name, statement_type).table_ordinal
    return [r for r in doc.rows if r.table_ordinal == ordinal]


def cells(name: str, statement_type: str):
    _, doc = read(name)
    ordinal = table(name, statement_type).table_ordinal
    return [c for c in doc.cells if c.table_ordinal == ordinal]


def amounts(name: str, statement_type: str, row) -> dict[int, Decimal | None]:
    return {
        c.column_ordinal: c.amount_printed
        for c in cells(name, statement_type)
        if c.row_ordinal == row.row_ordinal
    }


def test_jiangsu_2019_statements_found():
    """The twelve pages print eleven statement tables (p. 12 政府采购预算表 is no statement)."""
    _, doc = read(JIANGSU_2019)
    assert [(t.statement_type, t.title) for t in doc.tables] == [
        ("income_expenditure_summary", "收支预算总表"),  # p. 1
        ("revenue_summary", "收入预算总表"),  # p. 2
        ("expenditure_summary", "支出预算总表"),  # p. 3
        ("appropriation_summary", "财政拨款收支预算总表"),  # p. 4
        ("appropriation_expenditure_function", "财政拨款支出预算表（功能科目）"),  # p. 5
        ("appropriation_basic_expenditure_economic", "财政拨款基本支出预算表（经济科目）"),  # p. 6
        ("gpb_expenditure_function", "一般公共预算支出预算表（功能科目）"),  # p. 7
        ("gpb_basic_expenditure_economic", "一般公共预算基本支出预算表（经济科目）"),  # p. 8
        ("three_public_expenses", "“三公”经费、会议费、培训费支出预算表"),  # p. 9
        ("government_fund_expenditure", "财政拨款政府性基金支出预算表"),  # p. 10 (empty)
        ("agency_operating_expenses", "一般公共预算机关运行经费支出预算表"),  # p. 11
    ]


def test_jiangsu_2019_expenditure_side_by_function_and_by_use():
    """p. 1 收支预算总表: the expenditure side prints 功能分类 (功能科目名称 | 金额) and 支出用途
    (项目名称 | 金额) side by side; each is its own rows (the 支出用途 group a side of its own,
    "expenditure_use"), both under 当年支出小计 27,664.22."""
    expenditure = [
        r
        for r in rows(JIANGSU_2019, "income_expenditure_summary")
        if r.side in ("expenditure", "expenditure_use")
    ]
    by_name = {}
    for row in expenditure:
        by_name.setdefault(row.name, []).append(row)
    # 一、一般公共服务支出 22,395.50 and 一、基本支出 11,700.63 are printed on one line: two rows
    (function_row,) = by_name["一般公共服务支出"]
    (use_row,) = by_name["基本支出"]
    assert function_row.source_line == use_row.source_line
    assert (function_row.side, use_row.side) == ("expenditure", "expenditure_use")
    assert amounts(JIANGSU_2019, "income_expenditure_summary", function_row) == {
        1: Decimal("22395.50")
    }
    assert amounts(JIANGSU_2019, "income_expenditure_summary", use_row) == {1: Decimal("11700.63")}
    assert [
        amounts(JIANGSU_2019, "income_expenditure_summary", r)[1] for r in by_name["项目支出"]
    ] == [Decimal("13025.38")]
    assert [
        amounts(JIANGSU_2019, "income_expenditure_summary", r)[1]
        for r in by_name["单位预留机动经费"]
    ] == [Decimal("2938.21")]
    # 当年支出小计 27,664.22 closes both groups: one total row per group, the parent of its rows
    subtotals = by_name["当年支出小计"]
    assert sorted(r.side for r in subtotals) == ["expenditure", "expenditure_use"]
    assert all(r.row_role == "total" for r in subtotals)
    assert {amounts(JIANGSU_2019, "income_expenditure_summary", r)[1] for r in subtotals} == {
        Decimal("27664.22")
    }
    parents = {r.row_ordinal for r in subtotals}
    assert function_row.parent_row_ordinal in parents
    assert use_row.parent_row_ordinal in parents
    assert function_row.parent_row_ordinal != use_row.parent_row_ordinal


def test_jiangsu_2019_revenue_group_labels_in_two_columns():
    """p. 2 收入预算总表: 项目名称 spans two columns: 一般公共预算资金 | 小计 27,664.22, then
    its items 公共财政拨款(补助)资金 27,664.22 and 专项收入 (blank) in the second column."""
    revenue = rows(JIANGSU_2019, "revenue_summary")
    by_name = {r.name: r for r in revenue}
    group = by_name["一般公共预算资金"]
    item = by_name[normalize_name("公共财政拨款(补助)资金")]
    assert group.row_role == "subtotal"
    assert item.parent_row_ordinal == group.row_ordinal
    assert by_name["专项收入"].parent_row_ordinal == group.row_ordinal
    assert amounts(JIANGSU_2019, "revenue_summary", group)[1] == Decimal("27664.22")
    assert amounts(JIANGSU_2019, "revenue_summary", item)[1] == Decimal("27664.22")
    other = by_name["其他资金"]
    assert [r.name for r in revenue if r.parent_row_ordinal == other.row_ordinal] == [
        "事业收入",
        "经营收入",
        "其他收入",
    ]
    assert by_name["收入总计"].row_role == "total"
    assert not [r for r in revenue if not r.name]  # no item lost its name


def test_jiangsu_2019_expenditure_summary_reserve_column():
    """p. 3 支出预算总表: 合计 27,664.22 = 基本支出 11,700.63 + 项目支出 13,025.38
    + 单位预留机动经费 2,938.21 (结转下年资金 blank)."""
    by_measure = {c.measure: c.amount_printed for c in cells(JIANGSU_2019, "expenditure_summary")}
    assert by_measure == {
        "total": Decimal("27664.22"),
        "basic": Decimal("11700.63"),
        "project": Decimal("13025.38"),
        "unit_reserve": Decimal("2938.21"),
        "closing_balance": None,
    }
    assert (
        by_measure["basic"] + by_measure["project"] + by_measure["unit_reserve"]
        == by_measure["total"]
    )


def test_jiangsu_2019_three_public_meeting_training_columns():
    """p. 9: 合计 1,471.70 = "三公"经费 小计 508.20 + 会议费 933.50 + 培训费 30.00;
    小计 = 因公出国（境）费 70.00 + 公务用车 411.20 + 公务接待费 27.00."""
    by_measure = {c.measure: c.amount_printed for c in cells(JIANGSU_2019, "three_public_expenses")}
    assert by_measure["three_public_with_meetings"] == Decimal("1471.70")
    assert by_measure["total"] == Decimal("508.20")
    assert by_measure["meeting"] == Decimal("933.50")
    assert by_measure["training"] == Decimal("30.00")
    assert (
        by_measure["outbound_travel"]
        + by_measure["official_vehicles"]
        + by_measure["official_reception"]
        == by_measure["total"]
    )


def test_jiangsu_2019_agency_operating_rows_are_economic_items():
    """p. 11 机关运行经费 by 科目编码 302 / 30201 办公费 450.00: 经济分类 codes, not
    function codes."""
    agency = rows(JIANGSU_2019, "agency_operating_expenses")
    office = next(r for r in agency if r.name == "办公费")
    assert (office.economic_code, office.function_code, office.unit_name) == ("30201", None, None)
    assert amounts(JIANGSU_2019, "agency_operating_expenses", office)[1] == Decimal("450.00")
    assert not [r for r in agency if r.function_code]


def test_jiangsu_2019_appropriation_tables():
    """p. 5 财政拨款支出预算表（功能科目）2013101 行政运行 9,370.12;
    p. 6 财政拨款基本支出预算表（经济科目）30301 离休费 301.05."""
    running = next(
        r
        for r in rows(JIANGSU_2019, "appropriation_expenditure_function")
        if r.function_code == "2013101"
    )
    assert amounts(JIANGSU_2019, "appropriation_expenditure_function", running)[1] == Decimal(
        "9370.12"
    )
    retired = next(
        r
        for r in rows(JIANGSU_2019, "appropriation_basic_expenditure_economic")
        if r.economic_code == "30301"
    )
    assert amounts(JIANGSU_2019, "appropriation_basic_expenditure_economic", retired)[1] == Decimal(
        "301.05"
    )


def test_suzhou_statements_found():
    """目录 p. 2 lists thirteen tables (公开01–13表); all but 十三、政府采购支出表 are
    statements."""
    _, doc = read(SUZHOU)
    assert [t.statement_type for t in doc.tables] == [
        "income_expenditure_summary",  # p. 9 公开01表
        "revenue_summary",  # p. 10 公开02表
        "expenditure_summary",  # p. 11 公开03表
        "appropriation_summary",  # p. 12 公开04表
        "appropriation_expenditure_function",  # p. 14 公开05表 财政拨款支出表（功能科目）
        "appropriation_basic_expenditure_economic",  # p. 15 公开06表
        "gpb_expenditure_function",  # p. 16 公开07表
        "gpb_basic_expenditure_economic",  # p. 17 公开08表
        "three_public_expenses",  # p. 18 公开09表
        "government_fund_expenditure",  # p. 19 公开10表 (本表无数据)
        "state_capital",  # p. 20 公开11表 (本表无数据)
        "agency_operating_expenses",  # p. 21 公开12表
    ]


def test_suzhou_three_public_total_column():
    """p. 18 公开09表: "三公"经费合计 10.00 = 公务接待费 10.00; 会议费 10.00, 培训费 43.00."""
    by_measure = {c.measure: c.amount_printed for c in cells(SUZHOU, "three_public_expenses")}
    assert by_measure["total"] == Decimal("10.00")
    assert by_measure["official_reception"] == Decimal("10.00")
    assert by_measure["meeting"] == Decimal("10.00")
    assert by_measure["training"] == Decimal("43.00")
    assert "three_public_with_meetings" not in by_measure  # no 合计 over everything


@pytest.mark.parametrize(
    ("title", "statement_type"),
    [
        ("财政拨款支出表（功能科目）", "appropriation_expenditure_function"),
        ("财政拨款基本支出预算表（经济科目）", "appropriation_basic_expenditure_economic"),
        ("一般公共预算财政拨款基本支出决算表", "gpb_basic_expenditure_economic"),
        ("财政拨款政府性基金支出预算表", "government_fund_expenditure"),
        ("财政拨款收支预算总表", "appropriation_summary"),
        ("财政拨款项目支出预算表", "project_expenditure"),
    ],
)
def test_appropriation_titles(title: str, statement_type: str):
    assert classify_title(title) == statement_type


def test_jiangsu_2019_three_public_outbound_travel_not_in_basic_expenditure():
    """The one source discrepancy left (cross.three_public_total_equals_economic_items) is the
    document's: p. 9 prints "三公"经费 小计 508.20 with 因公出国（境）费 70.00, while the 基本支出
    economic tables (p. 6, p. 8) print 30217 公务接待费 27.00 and 30231 公务用车运行维护费 411.20
    (438.20) and no 30212 因公出国（境）费 line: the 70.00 is not 基本支出 money."""
    by_measure = {c.measure: c.amount_printed for c in cells(JIANGSU_2019, "three_public_expenses")}
    assert (by_measure["total"], by_measure["outbound_travel"]) == (
        Decimal("508.20"),
        Decimal("70.00"),
    )
    for statement_type in (
        "gpb_basic_expenditure_economic",
        "appropriation_basic_expenditure_economic",
    ):
        items = {r.economic_code: r for r in rows(JIANGSU_2019, statement_type) if r.economic_code}
        assert "30212" not in items
        assert amounts(JIANGSU_2019, statement_type, items["30217"])[1] == Decimal("27.00")
        assert amounts(JIANGSU_2019, statement_type, items["30231"])[1] == Decimal("411.20")


def test_jiangsu_2019_tables_file_scope_from_its_label():
    """No cover page: every table is headed "部门：中共江苏省委办公厅 单位：万元" (p. 1–12), so
    the file is a 部门预算 (a department with its units); 2019 is from p. 12's title
    "2019年政府采购预算表"."""
    _, doc = read(JIANGSU_2019)
    assert (doc.meta.document_kind, doc.meta.scope, doc.meta.fiscal_year) == (
        "预算",
        "部门预算",
        2019,
    )
