"""Template-family traits the dev PDFs do not show, proven on synthetic documents (issue 12).

Each fixture under ``tests/fixtures/variants/`` is a small text dump in the layout the source layer
reads (tab-separated cells), built from the tables of the samples so that its arithmetic holds:

* the 收支总表 variants (a–f) reuse 阳泉市教育局 2025 T1 (``raw/yangquan-…-department-budget.txt``
  lines 83–131): income 46124.51 + 8172.14 = 54296.65 万元, carry-over 2432.16, 收入总计 56728.82;
  expenditure 31.33 + 45518.86 + 7003.51 + 1562.45 + 2612.67 = 56728.82 (教育 current year
  43086.69 + carry-over 2432.16, printed 45518.86). The sample rounds each figure on its own, so
  its income side is 0.01 short (54296.65 + 2432.16 = 56728.81); the fixtures put that 0.01 on the
  一般公共预算 line (a: 46124.5150 + 8172.1450 = 54296.6600 to four decimals; e: 46124.52) so
  that both sides add exactly. In 元 (b, c) the figures are those × 10000, with the 教育
  current-year figure set to 430867000.00 in b so that the 元 columns add exactly;
* the economic-code fixtures (g) reuse 闵行区教育学院 2020 T7 (``raw/minhang-…-unit-budget.txt``
  lines 305–322): 基本工资 9030903.40, 津贴补贴 894556.00, 办公费 305000.00, 印刷费 244000.00.

``tests/fixtures/variants_layouts/`` holds fixture b again as markdown pipes and as an inline HTML
table (kept apart from the warehouse raw set, where they would be copies of b).

Expected values are written from the fixture as printed (line numbers are the fixture's own).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.extract import metadata, statements
from orchestration.extract.records import (
    DocumentExtraction,
    StatementCell,
    StatementRow,
    StatementTable,
)
from orchestration.extract.text import to_lines

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = ROOT / "tests" / "fixtures" / "variants"
D = Decimal


class Read:
    """The statement records of one synthetic document."""

    def __init__(self, name: str) -> None:
        self.doc = DocumentExtraction()
        text = (VARIANTS / name).read_text(encoding="utf-8")
        statements.extract(to_lines(text), name, self.doc)

    def table(self, title_line: int) -> StatementTable:
        return next(t for t in self.doc.tables if t.title_line == title_line)

    def rows(self, table: StatementTable, side: str | None = None) -> list[StatementRow]:
        return [
            r
            for r in self.doc.rows
            if r.table_ordinal == table.table_ordinal and (side is None or r.side == side)
        ]

    def row(self, table: StatementTable, line: int, side: str | None = None) -> StatementRow:
        found = [r for r in self.rows(table, side) if r.source_line == line]
        assert len(found) == 1, found
        return found[0]

    def cells(self, row: StatementRow) -> list[StatementCell]:
        return [
            c
            for c in self.doc.cells
            if c.table_ordinal == row.table_ordinal and c.row_ordinal == row.row_ordinal
        ]

    def amount(self, row: StatementRow, measure: str) -> Decimal | None:
        found = [c for c in self.cells(row) if c.measure == measure]
        assert len(found) == 1, (measure, self.cells(row))
        return found[0].amount_yuan

    def level_one_sum(self, table: StatementTable, side: str) -> Decimal:
        """Σ of the first amount column over the level-1 rows of a side (the printed 总计)."""
        return sum(
            (
                c.amount_yuan or D(0)
                for r in self.rows(table, side)
                if r.level == 1
                for c in self.cells(r)
                if c.column_ordinal == 1
            ),
            D(0),
        )


# --- 收支总表 title variants
@pytest.mark.parametrize(
    "title",
    [
        "2026年收支预算总表",
        "2026年部门收支总表",
        "2026年收支总体情况表",
        "2026年部门收支总体情况表",
        "2026年财务收支预算总表",
        "2026年预算单位财务收支预算总表",
        "2026年部门综合预算收支总表",
        "2026年市级部门收支预算总表",
        "预算01表 收支总表",
        "预算01表 部门收支总体情况表",
    ],
)
def test_summary_title_variants_classify_as_income_expenditure_summary(title: str) -> None:
    assert statements.classify_title(statements._split_label(title)[1]) == (
        "income_expenditure_summary"
    )


@pytest.mark.parametrize(
    ("title", "statement_type"),
    [
        # the same families under other names: they must not fall to the 收支总表
        ("2026年部门综合预算收入总表", "revenue_summary"),
        ("2026年部门综合预算支出总表", "expenditure_summary"),
        ("2026年部门综合预算财政拨款收支总表", "appropriation_summary"),
        ("2026年财政拨款收支总体情况表", "appropriation_summary"),
        ("2026年部门收入总体情况表", "revenue_summary"),
        ("2026年部门支出总体情况表", "expenditure_summary"),
    ],
)
def test_sibling_title_variants_keep_their_own_type(title: str, statement_type: str) -> None:
    assert statements.classify_title(title) == statement_type


# --- a: county, 收支预算总表, 一般公共预算拨款收入, "2026年预算数", 万元 with 4 decimals
def test_county_summary_in_wan_with_four_decimals() -> None:
    read = Read("a_county_summary_wan_4dp.txt")
    table = read.table(3)
    assert table.statement_type == "income_expenditure_summary"
    assert (table.unit, table.unit_line) == ("万元", 5)
    assert table.department_name == "平定县教育局"  # "部门名称：平定县教育局 | 单位：万元"
    gpb = read.row(table, 9, "income")  # 一、一般公共预算拨款收入 46124.5150
    assert gpb.name == "一般公共预算拨款收入"
    assert read.amount(gpb, "total") == D("461245150.00")
    cell = next(c for c in read.cells(gpb))
    assert (cell.raw_text, cell.amount_printed, cell.unit) == (
        "46124.5150",
        D("46124.5150"),
        "万元",
    )
    assert cell.column_path == "收入 / 2026年预算数"
    # line 16: 收入总计 56728.8200 = 本年收入合计 54296.6600 + 上年结转 2432.1600
    grand = read.row(table, 16, "income")
    assert grand.row_role == "total" and grand.parent_row_ordinal is None
    assert read.amount(grand, "total") == D("567288200.00")
    assert read.amount(read.row(table, 15, "income"), "carryover") == D("24321600.00")
    assert read.level_one_sum(table, "income") == D("567288200.00")
    assert read.level_one_sum(table, "expenditure") == D("567288200.00")


# --- b: city, 市级部门收支预算总表, 财政拨款收入, 本年预算 | 编制预算 | 上年结转, 金额单位：元
def test_city_summary_columns_budget_compiled_carryover_in_yuan() -> None:
    read = Read("b_city_summary_yuan_2dp.txt")
    table = read.table(3)
    assert table.statement_type == "income_expenditure_summary"
    assert (table.unit, table.unit_line) == ("元", 5)  # "金额单位：元"
    assert not [w for w in read.doc.warnings if w.kind == "unknown_column"]
    education = read.row(table, 10, "expenditure")  # 二、教育支出
    assert read.amount(education, "total") == D("455188600.00")  # 本年预算
    assert read.amount(education, "current_year") == D("430867000.00")  # 编制预算
    assert read.amount(education, "carryover") == D("24321600.00")  # 上年结转
    # every 本年预算 = 编制预算 + 上年结转 on the expenditure side
    for row in read.rows(table, "expenditure"):
        total = read.amount(row, "total")
        if total is not None:
            parts = (read.amount(row, "current_year") or D(0)) + (
                read.amount(row, "carryover") or D(0)
            )
            assert parts == total, row.name
    fiscal = read.row(table, 9, "income")
    assert fiscal.name == "财政拨款收入"
    assert read.amount(fiscal, "total") == D("461245200.00")
    assert read.amount(read.row(table, 16, "expenditure"), "current_year") == D("542966600.00")


# --- c: province, 预算单位财务收支预算总表 (unit in title), 预算拨款 | 财政专户拨款, 元 3 dp
def test_province_unit_summary_fund_columns_in_yuan_with_three_decimals() -> None:
    read = Read("c_province_unit_summary_yuan_3dp.txt")
    table = read.table(3)
    assert table.title == "2026年预算单位财务收支预算总表"
    assert (table.unit, table.unit_line) == ("元", 3)  # "… 单位：元" on the title line
    assert table.department_name == "浙江省统计局"
    assert not [w for w in read.doc.warnings if w.kind == "unknown_column"]
    general = read.row(table, 9, "expenditure")  # 一、一般公共服务支出 313300.125
    cell = next(c for c in read.cells(general) if c.measure == "total")
    assert (cell.raw_text, cell.amount_printed) == ("313300.125", D("313300.125"))
    # printed to 0.001 元; the yuan value is quantised to the cent, the printed value kept
    assert cell.amount_yuan == D("313300.12")
    education = read.row(table, 10, "expenditure")
    assert read.amount(education, "fiscal_appropriation") == D("349145500.00")  # 预算拨款
    assert read.amount(education, "special_account") == D("81721400.00")  # 财政专户拨款
    assert read.row(table, 9, "income").name == "预算拨款"
    assert read.row(table, 10, "income").name == "财政专户拨款"
    grand = read.row(table, 14, "expenditure")
    assert read.amount(grand, "fiscal_appropriation") == D("461245100.12")
    printed = [
        c.amount_printed
        for r in read.rows(table, "expenditure")
        if r.row_role == "detail"
        for c in read.cells(r)
        if c.measure == "fiscal_appropriation" and c.amount_printed is not None
    ]
    assert sum(printed, D(0)) == D("461245100.125")  # 支出总计 | 预算拨款, line 14


# --- d: district, 部门综合预算收支总表 with "单位：万元" in a cell of the title row
def test_title_row_with_unit_in_its_own_cell() -> None:
    read = Read("d_district_comprehensive_summary.txt")
    table = read.table(3)
    assert table.title == "2026年部门综合预算收支总表"
    assert table.statement_type == "income_expenditure_summary"
    assert table.unit == "万元"
    assert table.department_name == "成都市武侯区卫生健康局"  # "…卫生健康局单位：万元"
    own = read.row(table, 9, "income")
    assert own.name == "本级财政拨款收入"
    assert read.amount(own, "total") == D("461245100.00")
    assert read.amount(read.row(table, 12, "income"), "total") == D("542966500.00")


# --- e: central, label line 预算01表, "2026年部门预算" column
def test_label_line_and_department_budget_column() -> None:
    read = Read("e_central_label_line_summary.txt")
    table = read.table(4)
    assert (table.label, table.title) == ("预算01表", "部门收支总体情况表")
    assert not [w for w in read.doc.warnings if w.kind == "unknown_column"]
    education = read.row(table, 11, "expenditure")
    assert read.amount(education, "total") == D("455188600.00")  # 2026年部门预算
    assert read.amount(education, "carryover") == D("24321600.00")  # 其中：上年结转
    assert read.level_one_sum(table, "income") == D("567288200.00")
    assert read.level_one_sum(table, "expenditure") == D("567288200.00")


@pytest.mark.parametrize(
    ("label", "measure"),
    [
        ("2026年预算数", "total"),
        ("本年预算", "total"),
        ("2026年部门预算", "total"),
        ("编制预算", "current_year"),
        ("上年结转", "carryover"),
        ("预算拨款", "fiscal_appropriation"),
        ("财政专户拨款", "special_account"),
        # the fund names that contain 预算拨款 keep their own fund
        ("一般公共预算拨款", "general_public_budget"),
        ("政府性基金预算拨款", "government_fund_budget"),
    ],
)
def test_column_wording_variants(label: str, measure: str) -> None:
    assert statements.measure_for((label,)) == measure


# --- f: empty tables declared in words
@pytest.mark.parametrize(
    ("title_line", "statement_type", "note"),
    [
        (12, "government_fund_expenditure", "注：本表无数据"),  # a note under the grid
        (20, "state_capital", "（本部门不涉及国有资本经营预算支出，本表为空）"),  # under the title
        (27, "three_public_expenses", "是否涉及 是 不涉及"),  # in the grid
        (34, "agency_operating_expenses", "本单位无机关运行经费"),  # in the grid
    ],
)
def test_empty_tables_declared_in_words(title_line: int, statement_type: str, note: str) -> None:
    read = Read("f_empty_tables_in_words.txt")
    table = read.table(title_line)
    assert table.statement_type == statement_type
    assert table.is_empty and table.empty_note == note
    amounts = [
        c.amount_yuan for r in read.rows(table) for c in read.cells(r) if c.amount_yuan is not None
    ]
    assert amounts == []
    # the wording is the table's note, not a row
    assert not [r for r in read.rows(table) if "涉及" in r.label_raw or "本单位无" in r.label_raw]
    assert not [w for w in read.doc.warnings if w.source_line in (32, 38)]


def test_empty_tables_do_not_hide_the_table_with_data() -> None:
    read = Read("f_empty_tables_in_words.txt")
    summary = read.table(3)
    assert not summary.is_empty
    assert read.amount(read.row(summary, 10, "income"), "total") == D("542966500.00")


# --- g: economic codes printed as pairs 部门 | 政府
@pytest.mark.parametrize(
    "name", ["g_economic_code_pairs_columns.txt", "g_economic_code_pairs_one_cell.txt"]
)
def test_economic_code_pairs_keep_both_codes(name: str) -> None:
    read = Read(name)
    table = read.table(3)
    assert table.statement_type == "gpb_basic_expenditure_economic"
    wages = read.row(table, 9)  # 30101 | 50101 基本工资 9030903.40
    assert (wages.economic_code, wages.code_raw) == ("30101", "30101|50101")
    assert wages.function_code is None
    assert (wages.row_role, wages.level) == ("detail", 2)
    assert read.amount(wages, "personnel") == D("9030903.40")
    office = read.row(table, 12)  # 30201 | 50201 办公费
    assert (office.economic_code, office.code_raw) == ("30201", "30201|50201")
    group = read.row(table, 8)  # 301 | 501 工资福利支出, the 类 over 30101 and 30102
    assert (group.economic_code, group.row_role) == ("301", "subtotal")
    assert [r.economic_code for r in read.rows(table) if r.parent_row_ordinal == group.row_ordinal]
    assert not [w for w in read.doc.warnings if w.kind == "unreadable_code"]
    total = read.row(table, 14)
    assert read.amount(total, "total") == D("10474459.40")
    details = [r for r in read.rows(table) if r.row_role == "detail"]
    assert sum((read.amount(r, "total") or D(0) for r in details), D(0)) == D("10474459.40")


# --- metadata: issuing body without unit or page furniture, kind, scope -------------------------
@pytest.mark.parametrize(
    "line",
    [
        "部门名称：成都市武侯区卫生健康局    金额单位：万元",
        "部门名称：成都市武侯区卫生健康局单位:元",
        "部门名称：成都市武侯区卫生健康局\t\t单位：万元",  # the unit in a cell of its own
        "部门名称：成都市武侯区卫生健康局 第1页",  # a PDF's page number run into the label
        "部门名称：成都市武侯区卫生健康局 第 1 页 共 3 页",
        "编制单位：成都市武侯区卫生健康局 - 3 -",
        "部门名称：成都市武侯区卫生健康局 2026年 单位：万元",
        "预算单位：成都市武侯区卫生健康局（汇总）\t单位：元",
        "单位名称：成都市武侯区卫生健康局（本级）",
    ],
)
def test_issuer_label_without_unit_or_page_furniture(line: str) -> None:
    assert metadata.issuer_from_label(to_lines(line + "\n")) == "成都市武侯区卫生健康局"


@pytest.mark.parametrize(
    ("title", "issuer", "year", "kind", "scope"),
    [
        ("平定县教育局2026年部门预算 单位：万元", "平定县教育局", 2026, "预算", "部门预算"),
        ("平定县教育局2026年部门预算\t单位：万元", "平定县教育局", 2026, "预算", "部门预算"),
        ("2026年平定县教育局部门预算（汇总）", "平定县教育局", 2026, "预算", "部门预算"),
        ("2026年平定县教育局单位预算", "平定县教育局", 2026, "预算", "单位预算"),
        (
            "成都市武侯区卫生健康局2026年部门综合预算",
            "成都市武侯区卫生健康局",
            2026,
            "预算",
            "部门预算",
        ),
        ("2026年度中共平定县委宣传部部门预算公开", "中共平定县委宣传部", 2026, "预算", "部门预算"),
        ("平定县教育局2024年度部门决算", "平定县教育局", 2024, "决算", "部门决算"),
        ("平定县教育局2024年度单位决算公开", "平定县教育局", 2024, "决算", "单位决算"),
        # a performance-target file names its table, not its issuer (read from the form instead)
        ("2026年平定县教育局项目支出绩效目标表", None, 2026, "绩效目标", None),
    ],
)
def test_cover_title_variants(
    title: str, issuer: str | None, year: int, kind: str, scope: str | None
) -> None:
    meta = metadata.infer_meta(to_lines(title + "\n"), DocumentExtraction())
    assert "单位" not in (meta.title or "").replace("单位预算", "").replace("单位决算", "")
    assert (meta.issuing_body, meta.fiscal_year, meta.document_kind, meta.scope) == (
        issuer,
        year,
        kind,
        scope,
    )


@pytest.mark.parametrize(
    ("name", "issuer", "scope"),
    [
        ("a_county_summary_wan_4dp.txt", "平定县教育局", "部门预算"),
        ("b_city_summary_yuan_2dp.txt", "无锡市统计局", "部门预算"),
        ("c_province_unit_summary_yuan_3dp.txt", "浙江省统计局", "单位预算"),
        ("d_district_comprehensive_summary.txt", "成都市武侯区卫生健康局", "部门预算"),
        ("e_central_label_line_summary.txt", "国家统计局", "部门预算"),
    ],
)
def test_fixture_metadata(name: str, issuer: str, scope: str) -> None:
    lines = to_lines((VARIANTS / name).read_text(encoding="utf-8"))
    meta = metadata.infer_meta(lines, DocumentExtraction())
    assert (meta.issuing_body, meta.fiscal_year, meta.scope) == (issuer, 2026, scope)


# --- the same 收支总表 (b) as markdown pipes and as an inline HTML table -----------------------
@pytest.mark.parametrize("name", ["b_city_summary_yuan_2dp.md", "b_city_summary_yuan_2dp_html.txt"])
def test_city_summary_in_markdown_and_html(name: str) -> None:
    doc = DocumentExtraction()
    text = (ROOT / "tests" / "fixtures" / "variants_layouts" / name).read_text(encoding="utf-8")
    statements.extract(to_lines(text), name, doc)
    assert [(t.statement_type, t.unit) for t in doc.tables] == [
        ("income_expenditure_summary", "元")
    ]
    assert not [w for w in doc.warnings if w.kind == "unknown_column"]
    figures = {
        (r.side, r.name, c.measure): c.amount_yuan
        for r in doc.rows
        for c in doc.cells
        if c.row_ordinal == r.row_ordinal and c.amount_yuan is not None
    }
    # as printed in b (line 10 教育支出, line 9 财政拨款收入, line 16 支出总计)
    assert figures[("expenditure", "教育支出", "total")] == D("455188600.00")
    assert figures[("expenditure", "教育支出", "current_year")] == D("430867000.00")
    assert figures[("expenditure", "教育支出", "carryover")] == D("24321600.00")
    assert figures[("income", "财政拨款收入", "total")] == D("461245200.00")
    assert figures[("income", "上年结转", "carryover")] == D("24321600.00")
    assert figures[("expenditure", "支出总计", "current_year")] == D("542966600.00")
    assert len(figures) == len(
        [c for c in Read("b_city_summary_yuan_2dp.txt").doc.cells if c.amount_yuan is not None]
    )
