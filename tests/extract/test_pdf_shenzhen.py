"""The Shenzhen department budget (深圳 template): rows that nest by indentation only, a 预算单位
column beside 科目编码 | 科目名称, and a department row printed instead of a 合计 row.

Every expected figure was read from the rendered page it cites ("p. N" is the PDF page). Units:
万元 throughout (部门名称：深圳市信访局 单位：万元 above every table).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from orchestration.extract import statements
from orchestration.extract.document import extract_document
from orchestration.extract.records import DocumentExtraction, StatementRow, StatementTable
from orchestration.extract.source import read_source
from orchestration.extract.text import Line, normalize_name

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "dev"
SHENZHEN = "shenzhen-petition-bureau-2026-department-budget.pdf"


@cache
def doc() -> DocumentExtraction:
    return extract_document(read_source((DEV / SHENZHEN).read_bytes(), SHENZHEN), SHENZHEN)


def table(statement_type: str) -> StatementTable:
    return next(t for t in doc().tables if t.statement_type == statement_type)


def rows(statement_type: str, side: str | None = None) -> list[StatementRow]:
    ordinal = table(statement_type).table_ordinal
    return [
        r for r in doc().rows if r.table_ordinal == ordinal and (side is None or r.side == side)
    ]


def row(statement_type: str, name: str, side: str | None = None) -> StatementRow:
    key = normalize_name(name)
    return next(r for r in rows(statement_type, side) if r.name == key)


def parent_name(statement_type: str, child: StatementRow) -> str | None:
    by_ordinal = {r.row_ordinal: r for r in rows(statement_type)}
    parent = by_ordinal.get(child.parent_row_ordinal) if child.parent_row_ordinal else None
    return parent.name if parent else None


def amounts(statement_type: str, target: StatementRow) -> dict[str, Decimal | None]:
    ordinal = table(statement_type).table_ordinal
    return {
        c.measure: c.amount_printed
        for c in doc().cells
        if c.table_ordinal == ordinal and c.row_ordinal == target.row_ordinal
    }


def test_statements_found():
    """目录 (p. 3) lists 表1–表11; each printed table is recognised by its title (pp. 15–33)."""
    types = {t.title: t.statement_type for t in doc().tables}
    assert types == {
        "收支总表": "income_expenditure_summary",  # 表1, pp. 15–16
        "收入总表": "revenue_summary",  # 表2, p. 17
        "支出总表": "expenditure_summary",  # 表3, pp. 18–20
        # 表4, pp. 21–22: basic expenditure by economic 类 / 款, fund sources as columns
        "基本支出总表": "gpb_basic_expenditure_economic",
        "项目支出总表": "project_expenditure",  # 表5, p. 23
        "财政拨款收支总表": "appropriation_summary",  # 表6, pp. 24–25
        "一般公共预算支出表（按功能分类）": "gpb_expenditure_function",  # 表7, pp. 26–27
        # 表8 pp. 28–30: 基本支出 | 项目支出 by 经济分类, never read as a 功能分类 table (its
        # 301 / 30101 are economic codes)
        "一般公共预算支出表（按经济分类）": "gpb_expenditure_economic",
        "财政拨款“三公”经费支出表": "three_public_expenses",  # 表9, p. 31
        "政府性基金预算支出表": "government_fund_expenditure",  # 表10, p. 32
        "国有资本经营预算支出表": "state_capital",  # 表11, p. 33
    }
    assert not any(r.function_code == "301" for r in doc().rows)


def test_summary_expenditure_nests_by_indentation():
    """表1 p. 15: 一、一般公共服务支出 3,459.13 > 信访事务 3,459.13 > 行政运行 1,866.84 and
    信访业务 1,592.29, each name indented one step further; p. 16: 住房保障支出 753.24 >
    住房改革支出 753.24 > 住房公积金 199.91, 购房补贴 553.33."""
    kind = "income_expenditure_summary"
    side = "expenditure"
    general = row(kind, "一般公共服务支出", side)
    assert (general.level, general.row_role, parent_name(kind, general)) == (
        1,
        "subtotal",
        "本年支出合计",
    )
    assert parent_name(kind, row(kind, "信访事务", side)) == "一般公共服务支出"
    assert parent_name(kind, row(kind, "行政运行", side)) == "信访事务"
    assert parent_name(kind, row(kind, "信访业务", side)) == "信访事务"
    assert row(kind, "信访业务", side).level == 3
    assert parent_name(kind, row(kind, "购房补贴", side)) == "住房改革支出"
    assert parent_name(kind, row(kind, "住房改革支出", side)) == "住房保障支出"
    assert amounts(kind, row(kind, "购房补贴", side))["total"] == Decimal("553.33")
    # the 类 rows add up to 本年支出合计 4,684.30 (p. 16)
    classes = [r for r in rows(kind, side) if r.level == 1 and r.parent_row_ordinal]
    total = row(kind, "本年支出合计", side)
    top = [r for r in classes if r.parent_row_ordinal == total.row_ordinal]
    assert sum(amounts(kind, r)["total"] for r in top) == Decimal("4684.30")
    # the income side keeps its ordinal nesting: 1.一般公共预算拨款 under 一、财政拨款
    assert parent_name(kind, row(kind, "一般公共预算拨款", "income")) == "财政拨款"


def test_appropriation_summary_nests_by_indentation_over_a_page_break():
    """表6 pp. 24–25: 五、住房保障支出 (p. 24, last row) > 住房改革支出 (p. 25, first row)."""
    kind = "appropriation_summary"
    assert parent_name(kind, row(kind, "住房改革支出", "expenditure")) == "住房保障支出"
    assert parent_name(kind, row(kind, "行政单位医疗", "expenditure")) == "行政事业单位医疗"


def test_expenditure_summary_columns_and_department_row():
    """表3 p. 18: 深圳市信访局 in the 预算单位 column: 支出总计 4,684.30, 基本支出 3,072.01,
    项目支出 1,612.29, 2026 年政府采购项目 小计 1,100.30 of which 中小企业 156.69."""
    kind = "expenditure_summary"
    department = row(kind, "深圳市信访局")
    assert (department.row_role, department.level, department.function_code) == ("total", 0, None)
    figures = amounts(kind, department)
    assert figures["total"] == Decimal("4684.30")
    assert figures["basic"] == Decimal("3072.01")
    assert figures["project"] == Decimal("1612.29")
    assert figures["government_procurement"] == Decimal("1100.30")
    assert figures["procurement_reserved_sme"] == Decimal("156.69")
    assert figures["procurement_reserved_small_micro"] == Decimal("0.00")
    general = row(kind, "一般公共服务支出")
    assert (general.function_code, general.level) == ("201", 1)
    assert parent_name(kind, general) == "深圳市信访局"
    # 2014001 行政运行: 支出总计 1,866.84 = 基本支出 1,866.84 (p. 18)
    running = amounts(kind, row(kind, "行政运行"))
    assert (running["total"], running["basic"], running["project"]) == (
        Decimal("1866.84"),
        Decimal("1866.84"),
        Decimal("0.00"),
    )


def test_basic_expenditure_by_economic_class():
    """表4 pp. 21–22 基本支出总表: 深圳市信访局 3,072.01 (总计, 财政拨款 小计 and 一般公共预算拨款);
    工资福利支出 2,522.02 over 基本工资 356.33 … 其他工资福利支出 230.25, indented one step."""
    kind = "gpb_basic_expenditure_economic"
    department = row(kind, "深圳市信访局")
    assert department.row_role == "total"
    assert amounts(kind, department) == {
        "total": Decimal("3072.01"),
        "fiscal_appropriation": Decimal("3072.01"),
        "general_public_budget": Decimal("3072.01"),
        "government_fund_budget": Decimal("0.00"),
        "state_capital_budget": Decimal("0.00"),
        "special_account": Decimal("0.00"),
        "business_income": Decimal("0.00"),
        "operating_income": Decimal("0.00"),
        "superior_subsidy": Decimal("0.00"),
        "affiliated_remittance": Decimal("0.00"),
        "other_income": Decimal("0.00"),
        "carryover": Decimal("0.00"),
    }
    wages = row(kind, "工资福利支出")
    assert (wages.row_role, wages.level, parent_name(kind, wages)) == (
        "subtotal",
        1,
        "深圳市信访局",
    )
    children = [r for r in rows(kind) if r.parent_row_ordinal == wages.row_ordinal]
    assert [r.name for r in children][:3] == ["基本工资", "津贴补贴", "奖金"]
    # the nine printed 款 add up to 2,522.03 against 2,522.02 printed: the note under the table
    # (注：本套报表金额单位转换时可能存在尾数误差) owns the rounding of 元 to 万元
    assert sum(amounts(kind, r)["total"] for r in children) == Decimal("2522.03")
    assert len(children) == 9
    # 维修（护）费 20.00 is the first row of p. 22, still under 商品和服务支出
    assert parent_name(kind, row(kind, "维修（护）费")) == "商品和服务支出"
    assert parent_name(kind, row(kind, "生活补助")) == "对个人和家庭的补助"


def test_empty_fund_tables_print_only_the_department_row():
    """表10 p. 32 and 表11 p. 33: 深圳市信访局 0.00 0.00 0.00, 注：本表本年无发生额。"""
    for kind in ("government_fund_expenditure", "state_capital"):
        (only,) = rows(kind)
        assert (only.name, only.row_role) == ("深圳市信访局", "total")


def _line(number: int, cells: tuple[str, ...], x0: tuple[float | None, ...] | None) -> Line:
    return Line(number, "\t".join(cells), cells, "tsv", page_number=1, text_x0=x0)


def _read(label_x: list[float | None]) -> DocumentExtraction:
    names = [
        "一、一般公共服务支出",
        "信访事务",
        "行政运行",
        "信访业务",
        "二、教育支出",
        "进修及培训",
    ]
    figures = ["30", "30", "10", "20", "5", "5"]
    lines = [
        Line(1, "收支总表", ("收支总表",), "text"),
        Line(2, "单位：万元", ("单位：万元",), "text"),
        _line(3, ("项目", "预算数"), (10.0, 200.0)),
    ]
    for i, (name, amount, x) in enumerate(zip(names, figures, label_x, strict=True)):
        lines.append(_line(4 + i, (name, amount), (x, 200.0)))
    lines.append(_line(10, ("合计", "35"), (10.0, 200.0)))
    extraction = DocumentExtraction()
    statements.extract(lines, "synthetic.pdf", extraction)
    return extraction


def test_indentation_nests_rows_without_codes_or_ordinals():
    extraction = _read([10.0, 20.0, 30.0, 30.0, 10.0, 20.0])
    parents = {r.name: r.parent_row_ordinal for r in extraction.rows}
    ordinals = {r.row_ordinal: r.name for r in extraction.rows}
    assert ordinals[parents["行政运行"]] == "信访事务"
    assert ordinals[parents["信访事务"]] == "一般公共服务支出"
    assert ordinals[parents["进修及培训"]] == "教育支出"


def test_labels_without_indentation_keep_the_ordinal_nesting():
    # all labels start at one x (no indentation), or start anywhere (centred labels): the
    # unnumbered rows are not nested under the numbered ones by position
    for xs in ([10.0] * 6, [31.0, 40.0, 47.5, 22.0, 55.0, 13.0], [None] * 6):
        extraction = _read(xs)
        parents = {r.name: r.parent_row_ordinal for r in extraction.rows}
        ordinals = {r.row_ordinal: r.name for r in extraction.rows}
        assert ordinals[parents["行政运行"]] != "信访事务", xs


def test_three_public_rows_are_years_and_items_are_column_groups():
    """表9 p. 31: 预算单位 | 年度 | 总计 | 因公出国(境)费 | 公务接待费 | 公务用车购置及运行维护费,
    each over 一般公共预算 | 政府性基金预算 | 国有资本经营预算; rows 2025 年, 2026 年 and
    增减变化金额. 2026 年: 总计 5.58, 公务接待费 2.98, 公务用车运行维护费 2.60 (一般公共预算)."""
    kind = "three_public_expenses"
    assert [r.name for r in rows(kind)] == ["2025 年", "2026 年", "增减变化金额"]
    ordinal = table(kind).table_ordinal
    budget = row(kind, "2026 年")
    cells = {
        c.column_path: c.amount_printed
        for c in doc().cells
        if c.table_ordinal == ordinal and c.row_ordinal == budget.row_ordinal
    }
    assert cells["总计 / 一般公共预算"] == Decimal("5.58")
    assert cells["公务接待费 / 一般公共预算"] == Decimal("2.98")
    assert cells["公务用车购置及运行维护费 / 公务用车运行维护费 / 一般公共预算"] == Decimal("2.60")
    assert cells["因公出国(境)费 / 一般公共预算"] == Decimal("0.00")


def test_every_table_line_is_read():
    """No header column without a measure, no row without a label, no stray line inside a table
    ("表 1" printed again above the title repeated at a page break, p. 16)."""
    kinds = {"unknown_column", "unlabelled_row", "unreadable_row", "unreadable_cell"}
    assert [w.message for w in doc().warnings if w.kind in kinds] == []


def test_tables_with_nothing_this_year_are_empty():
    """表10 p. 32 and 表11 p. 33 end with 注：本表本年无发生额。"""
    for kind in ("government_fund_expenditure", "state_capital"):
        assert table(kind).is_empty
        assert table(kind).empty_note == "注：本表本年无发生额。"
    assert not table("expenditure_summary").is_empty


def test_pension_contribution_printed_differently_in_two_tables():
    """A real inconsistency of the printed document, reported as the source discrepancy
    cross.pension_contribution_equals_function: 表4 p. 21 prints 机关事业单位基本养老保险缴费
    (30108) 175.00 (表8 p. 28 prints 30108 175.00 too), while 表7 p. 26 prints 2080505
    机关事业单位基本养老保险缴费支出 201.65 (表3 p. 19 the same)."""
    economic = row("gpb_basic_expenditure_economic", "机关事业单位基本养老保险缴费")
    assert amounts("gpb_basic_expenditure_economic", economic)["total"] == Decimal("175.00")
    function = next(r for r in rows("gpb_expenditure_function") if r.function_code == "2080505")
    assert amounts("gpb_expenditure_function", function)["total"] == Decimal("201.65")


def test_gpb_expenditure_by_economic_class():
    """表8 pp. 28–30 (一般公共预算支出表（按经济分类）, 万元): its first row, the unit 深圳市信访局,
    is the total: 支出总计 4,684.30 = 基本支出 3,072.01 + 项目支出 1,612.29. p. 29: 30227
    委托业务费 1,143.78, all 项目支出; p. 30: 30305 生活补助 8.40 under 303 对个人和家庭的补助."""
    kind = "gpb_expenditure_economic"
    total = rows(kind)[0]
    assert (total.name, total.row_role) == ("深圳市信访局", "total")
    assert amounts(kind, total) == {
        "total": Decimal("4684.30"),
        "basic": Decimal("3072.01"),
        "project": Decimal("1612.29"),
    }
    commission = row(kind, "委托业务费")
    assert (commission.economic_code, commission.function_code) == ("30227", None)
    assert amounts(kind, commission) == {
        "total": Decimal("1143.78"),
        "basic": Decimal("0.00"),
        "project": Decimal("1143.78"),
    }
    living = row(kind, "生活补助")
    assert parent_name(kind, living) == "对个人和家庭的补助"
    assert amounts(kind, living)["total"] == Decimal("8.40")
