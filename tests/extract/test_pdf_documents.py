"""The eleven dev PDFs read end to end (source layer + readers), checked against the printed page.

Every expected figure below was read by eye from the rendered page it cites ("p. N" is the PDF
page; the page's own printed number, where different, is given too). The PDFs and their origin:
tests/fixtures/pdf/ (README.md there).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from orchestration.extract.document import extract_document
from orchestration.extract.records import DocumentExtraction
from orchestration.extract.source import Source, read_source
from orchestration.extract.text import normalize_name

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "dev"
BEIJING_TABLES = "beijing-petition-office-2026-department-budget-tables.pdf"
BEIJING_NOTES = "beijing-petition-office-2026-department-budget-notes.pdf"
GUANGZHOU = "guangzhou-government-office-2026-department-budget.pdf"
JIANGSU_2017 = "jiangsu-party-committee-office-2017-department-budget.pdf"
JIANGSU_2019 = "jiangsu-party-committee-office-2019-department-budget-tables.pdf"
NATIONAL = "national-public-complaints-bureau-2024-final-accounts.pdf"
SHANGHAI = "shanghai-marine-monitoring-center-2026-unit-budget.pdf"
SHENZHEN = "shenzhen-petition-bureau-2026-department-budget.pdf"
SUZHOU = "suzhou-audit-bureau-2026-department-budget.pdf"
XIAN = "xian-government-office-2026-department-budget.pdf"
YANTAI = "yantai-big-data-bureau-2026-department-budget.pdf"


@cache
def read(name: str) -> tuple[Source, DocumentExtraction]:
    source = read_source((DEV / name).read_bytes(), name)
    return source, extract_document(source, name)


def figure(
    name: str, statement_type: str, label: str, side: str | None = None, column: int = 1
) -> tuple[Decimal | None, str, int | None]:
    """(printed amount, unit, page) of one cell of the first table of a statement type."""
    source, doc = read(name)
    pages = {line.number: line.page_number for line in source.lines}
    table = next(t for t in doc.tables if t.statement_type == statement_type)
    key = normalize_name(label)
    row = next(
        r
        for r in doc.rows
        if r.table_ordinal == table.table_ordinal
        and r.name == key
        and (side is None or r.side == side)
    )
    cell = next(
        c
        for c in doc.cells
        if c.table_ordinal == table.table_ordinal
        and c.row_ordinal == row.row_ordinal
        and c.column_ordinal == column
    )
    return cell.amount_printed, cell.unit, pages[row.source_line]


def narrative(name: str, value: str, unit: str) -> int:
    """Page of the narrative figure stated with this value and unit."""
    source, doc = read(name)
    pages = {line.number: line.page_number for line in source.lines}
    found = [f for f in doc.narrative_figures if f.value == Decimal(value) and f.unit == unit]
    assert found, f"{value} {unit} not among the narrative figures"
    return pages[found[0].source_line]


def test_beijing_tables_six_decimal_wan_yuan():
    """p. 1 预算01表 收支总表, 金额单位：万元 with six decimals."""
    assert figure(BEIJING_TABLES, "income_expenditure_summary", "收入总计", "income") == (
        Decimal("9626.777589"),
        "万元",
        1,
    )
    assert figure(BEIJING_TABLES, "income_expenditure_summary", "上年结转结余", "income")[
        0
    ] == Decimal("10.439275")
    assert figure(BEIJING_TABLES, "income_expenditure_summary", "一般公共服务支出", "expenditure")[
        0
    ] == Decimal("7045.905745")
    _, doc = read(BEIJING_TABLES)
    total = next(
        c for c in doc.cells if c.table_ordinal == 1 and c.amount_printed == Decimal("9626.777589")
    )
    assert total.amount_yuan == Decimal("96267775.89")
    # 预算01表 … 预算09表: nine statement tables, one per printed 预算0N表
    assert [t.label for t in doc.tables] == [f"预算0{n}表" for n in range(1, 10)]


def test_beijing_notes_file_loads_with_its_narrative_figures():
    """The 说明 half of the disclosure: p. 3 "2026 年度收入预算 9626.78 万元"."""
    _, doc = read(BEIJING_NOTES)
    assert not doc.tables
    assert narrative(BEIJING_NOTES, "9626.78", "万元") == 3


def test_guangzhou_summary_with_budget_appropriation_income():
    """p. 5 (printed "- 3 -") 表1 收支总体情况表, 单位：万元."""
    assert figure(GUANGZHOU, "income_expenditure_summary", "预算拨款", "income") == (
        Decimal("16410.71"),
        "万元",
        5,
    )
    assert figure(GUANGZHOU, "income_expenditure_summary", "一般公共服务支出", "expenditure")[
        0
    ] == Decimal("8812.33")
    assert figure(GUANGZHOU, "income_expenditure_summary", "住房保障支出", "expenditure")[
        0
    ] == Decimal("4735.85")
    _, doc = read(GUANGZHOU)
    assert doc.meta.issuing_body == "广州市人民政府办公厅"  # "单位名称：广州市人民政府办公厅"


def test_jiangsu_2017_narrative_only_loads():
    """This file prints the 说明 only ("具体公开表样附后"): p. 5 "省委办公厅 2017 年度收入、支出
    预算总计 20849.45 万" / "元，…" (the unit wrapped to the next line), again p. 6."""
    _, doc = read(JIANGSU_2017)
    assert not doc.tables
    assert narrative(JIANGSU_2017, "20849.45", "万元") == 5


def test_jiangsu_2017_growth_rate_the_document_misstates():
    """p. 8 prints "行政运行（项）支出 6106.99 万元，与上年相比增加 101.48 万元，增长 1.66%": the
    three figures are read as printed, and the printed rate is not the one they imply (101.48 over
    the previous year's 6005.51 is 1.69%): narrative.change_rate_recomputed reports this sentence
    as a source discrepancy, not a misreading."""
    source, doc = read(JIANGSU_2017)
    pages = {line.number: line.page_number for line in source.lines}
    sentence = [f for f in doc.narrative_figures if "增长 1.66%" in f.sentence]
    assert [(f.value, f.unit) for f in sentence] == [
        (Decimal("6106.99"), "万元"),
        (Decimal("101.48"), "万元"),
        (Decimal("1.66"), "%"),
    ]
    assert {pages[f.source_line] for f in sentence} == {8}
    spent, increase, rate = (f.value for f in sentence)
    implied = (increase / (spent - increase) * 100).quantize(Decimal("0.01"))
    assert implied == Decimal("1.69") != rate


def test_jiangsu_2019_rotated_summary():
    """p. 1 (/Rotate 90) 收支预算总表, 单位：万元: 收入 | 功能分类 | 支出用途."""
    assert figure(JIANGSU_2019, "income_expenditure_summary", "财政拨款", "income") == (
        Decimal("27664.22"),
        "万元",
        1,
    )
    assert figure(JIANGSU_2019, "income_expenditure_summary", "社会保障和就业支出", "expenditure")[
        0
    ] == Decimal("1374.63")
    assert figure(JIANGSU_2019, "income_expenditure_summary", "住房保障支出", "expenditure")[
        0
    ] == Decimal("3894.09")
    _, doc = read(JIANGSU_2019)
    assert doc.meta.issuing_body == "中共江苏省委办公厅"  # "部门：中共江苏省委办公厅 单位：万元"


def test_national_final_accounts_loads():
    """p. 17 "国家信访局 2024 年度收、支总计 22066.59 万元"."""
    assert narrative(NATIONAL, "22066.59", "万元") == 17


def test_shanghai_unit_budget_in_whole_yuan():
    """p. 7 2026年预算单位财务收支预算总表, 单位：元 (integers)."""
    assert figure(SHANGHAI, "income_expenditure_summary", "收入总计", "income") == (
        Decimal("180366183"),
        "元",
        7,
    )
    assert figure(SHANGHAI, "income_expenditure_summary", "财政拨款收入", "income")[0] == Decimal(
        "178830483"
    )
    # 三、自然资源海洋气象等支出: 合计 175,281,837; 人员经费 12,803,407; 项目支出 155,689,475
    row = "自然资源海洋气象等支出"
    assert [
        figure(SHANGHAI, "income_expenditure_summary", row, "expenditure", column)[0]
        for column in (1, 2, 4)
    ] == [Decimal("175281837"), Decimal("12803407"), Decimal("155689475")]


def test_shenzhen_summary_continued_over_two_pages_is_one_table():
    """表1 收支总表 starts on p. 15 and ends on p. 16 (printed "- 13 -"), header repeated."""
    _, doc = read(SHENZHEN)
    assert [t.title for t in doc.tables].count("收支总表") == 1
    assert figure(SHENZHEN, "income_expenditure_summary", "收入总计", "income") == (
        Decimal("4684.30"),
        "万元",
        16,
    )
    assert figure(SHENZHEN, "income_expenditure_summary", "购房补贴", "expenditure")[0] == Decimal(
        "553.33"
    )
    assert figure(SHENZHEN, "income_expenditure_summary", "上年结余、结转", "income")[0] == Decimal(
        "7.34"
    )


def test_suzhou_summary():
    """p. 9 (printed "- 8 -") 公开01表 收支总表, 部门：苏州市审计局, 单位：万元."""
    assert figure(SUZHOU, "income_expenditure_summary", "一般公共预算拨款收入", "income") == (
        Decimal("4651.67"),
        "万元",
        9,
    )
    assert figure(SUZHOU, "income_expenditure_summary", "社会保障和就业支出", "expenditure")[
        0
    ] == Decimal("442.09")
    assert figure(SUZHOU, "income_expenditure_summary", "住房保障支出", "expenditure")[
        0
    ] == Decimal("1302.95")


def test_xian_comprehensive_summary_in_yuan():
    """p. 20 表1 部门综合预算收支总表, 单位：元 (two decimals): the income side."""
    assert figure(XIAN, "income_expenditure_summary", "收入总计", "income") == (
        Decimal("92165133.99"),
        "元",
        20,
    )
    assert figure(XIAN, "income_expenditure_summary", "其中：专项资金列入部门预算的项目", "income")[
        0
    ] == Decimal("7100000.00")


@pytest.mark.parametrize(
    ("statement_type", "label", "side", "value", "page"),
    [
        # p. 6 (printed "—5—") 公开表1 收支总体情况表
        ("income_expenditure_summary", "收入总计", "income", "7503.31", 6),
        ("income_expenditure_summary", "资源勘探工业信息等支出", "expenditure", "7161.14", 6),
        ("income_expenditure_summary", "教育支出", "expenditure", "5.50", 6),
        # p. 7 (printed "—6—", /Rotate 90) 公开表2 收入总体情况表
        ("revenue_summary", "合计", None, "7503.31", 7),
        ("revenue_summary", "机关事业单位基本养老保险缴费支出", None, "129.26", 7),
    ],
)
def test_yantai(statement_type, label, side, value, page):
    assert figure(YANTAI, statement_type, label, side) == (Decimal(value), "万元", page)


@pytest.mark.parametrize("name", [SHANGHAI, SUZHOU, YANTAI, JIANGSU_2019])
def test_every_amount_cell_has_its_printed_box(name: str):
    """statement_cells (source_line, cell_index) -> layout_cells: the printed text and its page."""
    source, doc = read(name)
    boxes = {(c.source_line, c.cell_index): c for c in doc.layout_cells}
    pages = {line.number: line.page_number for line in source.lines}
    assert doc.cells
    for cell in doc.cells:
        box = boxes[(cell.source_line, cell.cell_index)]
        assert box.text == cell.raw_text
        assert box.page_number == pages[cell.source_line]
        assert box.x0 < box.x1 and box.top < box.bottom
