"""Yantai and Guangzhou dev PDFs: the structures their templates print, read right.

Expected values were read from the rendered pages cited ("p. N" is the PDF page).
"""

from __future__ import annotations

from decimal import Decimal

from orchestration.extract.records import DocumentExtraction, StatementRow
from tests.extract.test_pdf_documents import GUANGZHOU, YANTAI, read


def _table(doc: DocumentExtraction, statement_type: str) -> int:
    return next(t.table_ordinal for t in doc.tables if t.statement_type == statement_type)


def _rows(doc: DocumentExtraction, table_ordinal: int) -> dict[int, StatementRow]:
    return {r.row_ordinal: r for r in doc.rows if r.table_ordinal == table_ordinal}


def _row(doc: DocumentExtraction, table_ordinal: int, name: str, side: str | None = None):
    return next(
        r
        for r in doc.rows
        if r.table_ordinal == table_ordinal and r.name == name and (side is None or r.side == side)
    )


def _amount(doc: DocumentExtraction, table_ordinal: int, row: StatementRow, column: int = 1):
    return next(
        c.amount_printed
        for c in doc.cells
        if c.table_ordinal == table_ordinal
        and c.row_ordinal == row.row_ordinal
        and c.column_ordinal == column
    )


def test_yantai_statements_found():
    """目录 (p. 2) lists 十二 tables; 公开表1–9 are statement tables of known types."""
    _, doc = read(YANTAI)
    assert [(t.label, t.statement_type) for t in doc.tables][:9] == [
        ("公开表1", "income_expenditure_summary"),
        ("公开表2", "revenue_summary"),
        ("公开表3", "expenditure_summary"),
        ("公开表4", "appropriation_summary"),
        ("公开表5", "gpb_expenditure_function"),
        ("公开表6", "gpb_basic_expenditure_economic"),
        ("公开表7", "three_public_expenses"),
        ("公开表8", "government_fund_expenditure"),
        ("公开表9", "state_capital"),
    ]


def test_yantai_summary_fund_lines_are_parts_of_the_appropriation_line():
    """p. 6 公开表1: "一、财政拨款收入 7,503.31" then, unnumbered, "一般公共预算收入 7,503.31",
    "政府性基金预算收入", "国有资本经营预算收入"; then "二、财政专户管理资金收入". The three fund
    lines are parts of 一、, and 二、 is a sibling of 一、 under 本年收入合计 (7,503.31)."""
    _, doc = read(YANTAI)
    table = _table(doc, "income_expenditure_summary")
    rows = _rows(doc, table)
    appropriation = _row(doc, table, "财政拨款收入", "income")
    for name in ("一般公共预算收入", "政府性基金预算收入", "国有资本经营预算收入"):
        assert _row(doc, table, name, "income").parent_row_ordinal == appropriation.row_ordinal
    assert appropriation.row_role == "subtotal"
    assert _amount(doc, table, _row(doc, table, "一般公共预算收入", "income")) == Decimal("7503.31")
    current_total = _row(doc, table, "本年收入合计", "income")
    special = _row(doc, table, "财政专户管理资金收入", "income")
    assert special.parent_row_ordinal == current_total.row_ordinal
    assert appropriation.parent_row_ordinal == current_total.row_ordinal
    assert rows[special.row_ordinal].level == 1


def test_yantai_revenue_appropriation_subtotal_is_its_own_measure():
    """p. 7 公开表2 收入总体情况表: 合计 | 财政拨款收入 (小计 | 一般公共预算收入 | …): the
    小计 under 财政拨款收入 is the appropriation subtotal, not a second row total; the 合计 row
    prints 7,503.31 in each of the three."""
    _, doc = read(YANTAI)
    table = _table(doc, "revenue_summary")
    total = _row(doc, table, "合计")
    measures = {
        c.column_path: (c.measure, c.amount_printed)
        for c in doc.cells
        if c.table_ordinal == table and c.row_ordinal == total.row_ordinal
    }
    assert measures["合计"] == ("total", Decimal("7503.31"))
    assert measures["财政拨款收入 / 小计"] == ("fiscal_appropriation", Decimal("7503.31"))
    general = measures["财政拨款收入 / 一般公共预算收入"]
    assert general == ("general_public_budget", Decimal("7503.31"))
    assert [m for m, _ in measures.values()].count("total") == 1


def test_yantai_three_public_prints_two_budget_years():
    """p. 18 公开表7: 2025年预算数 合计 20.45 (公务接待费 5.45) beside 2026年预算数 合计 19.45
    (因公出国（境）经费 10.00, 公务用车 5.00, 公务接待费 4.45). The year is kept in the column path
    (the warehouse treats the 2025 columns as the prior year's comparison)."""
    _, doc = read(YANTAI)
    table = _table(doc, "three_public_expenses")
    cells = {c.column_path: c.amount_printed for c in doc.cells if c.table_ordinal == table}
    assert cells["2025年预算数 / 合计"] == Decimal("20.45")
    assert cells["2025年预算数 / 公务接待费"] == Decimal("5.45")
    assert cells["2026年预算数 / 合计"] == Decimal("19.45")
    assert cells["2026年预算数 / 因公出国（境）经费"] == Decimal("10.00")
    assert cells["2026年预算数 / 公务用车购置及运行维护费 / 小计"] == Decimal("5.00")
    assert cells["2026年预算数 / 公务接待费"] == Decimal("4.45")


def test_guangzhou_revenue_by_unit_rows_name_their_units():
    """p. 7 表2 收入总体情况表 is broken down by 单位名称, not by function code: 合计 16,410.71;
    广州市人民政府办公厅 14,554.26; 广州市政府政务信息系统管理中心 959.90; 广州地区公文交换站
    （广州市人民政府公报编辑部） 896.54."""
    _, doc = read(GUANGZHOU)
    table = _table(doc, "revenue_summary")
    rows = sorted(_rows(doc, table).values(), key=lambda r: r.row_ordinal)
    assert [(r.unit_name, _amount(doc, table, r)) for r in rows] == [
        (None, Decimal("16410.71")),
        ("广州市人民政府办公厅", Decimal("14554.26")),
        ("广州市政府政务信息系统管理中心", Decimal("959.90")),
        ("广州地区公文交换站（广州市人民政府公报编辑部）", Decimal("896.54")),
    ]
    assert all(r.function_code is None for r in rows)


def test_guangzhou_three_public_items_under_their_heading():
    """p. 17 表8 行政经费及“三公”经费预算表: "“三公”经费 226.86", then "其中：（一）因公出国（境）
    支出 215.60", "（二）公务用车购置及运行维护支出 0.00" over "1.公务用车购置费" and
    "2.公务用车运行维护费", "（三）公务接待费支出 11.26"."""
    _, doc = read(GUANGZHOU)
    table = _table(doc, "three_public_expenses")
    heading = _row(doc, table, "“三公”经费")
    outbound = _row(doc, table, "因公出国（境）支出")
    assert outbound.ordinal_prefix == "（一）"
    assert outbound.parent_row_ordinal == heading.row_ordinal
    assert _amount(doc, table, outbound) == Decimal("215.60")
    vehicles = _row(doc, table, "公务用车购置及运行维护支出")
    assert vehicles.parent_row_ordinal == heading.row_ordinal
    assert _row(doc, table, "公务用车购置费").parent_row_ordinal == vehicles.row_ordinal
    reception = _row(doc, table, "公务接待费支出")
    assert reception.parent_row_ordinal == heading.row_ordinal
    assert _amount(doc, table, reception) == Decimal("11.26")
    assert _amount(doc, table, heading) == Decimal("226.86")


def test_yantai_basic_table_subtotal_is_the_row_total():
    """p. 15 公开表6 一般公共预算基本支出情况表: 基本支出预算 (小计 | 人员支出 | 日常公用支出),
    no 合计 column; the 合计 row prints 1,464.31 = 1,281.90 + 182.41."""
    _, doc = read(YANTAI)
    table = _table(doc, "gpb_basic_expenditure_economic")
    measures = {c.column_path: c.measure for c in doc.cells if c.table_ordinal == table}
    assert measures == {
        "基本支出预算 / 小计": "total",
        "基本支出预算 / 人员支出": "personnel",
        "基本支出预算 / 日常公用支出": "public",
    }
    total = _row(doc, table, "合计")
    assert [_amount(doc, table, total, n) for n in (1, 2, 3)] == [
        Decimal("1464.31"),
        Decimal("1281.90"),
        Decimal("182.41"),
    ]


def test_yantai_three_public_vehicle_money_is_not_in_the_basic_table():
    """The one source_discrepancy left on Yantai (cross.three_public_total_equals_economic_items,
    19.45 vs 14.45 万元) is the layout, not a misreading: p. 18 公开表7 2026 合计 19.45 =
    因公出国（境） 10.00 + 公务用车运行维护费 5.00 + 公务接待费 4.45, while the basic table
    (pp. 15–17 公开表6) prints 30212 因公出国（境）费用 10.00 and 30217 公务接待费 4.00 + 0.45
    and no 30231 公务用车运行维护费: the 5.00 is project money (p. 24 公开表11
    "实施公车统管费用 5.00")."""
    _, doc = read(YANTAI)
    table = _table(doc, "gpb_basic_expenditure_economic")
    by_code: dict[str, list[Decimal | None]] = {}
    for row in _rows(doc, table).values():
        if row.economic_code:
            by_code.setdefault(row.economic_code, []).append(_amount(doc, table, row))
    assert by_code["30212"] == [Decimal("10.00")]
    assert by_code["30217"] == [Decimal("4.00"), Decimal("0.45")]
    assert "30231" not in by_code
    three = _table(doc, "three_public_expenses")
    cells = {c.column_path: c.amount_printed for c in doc.cells if c.table_ordinal == three}
    assert cells["2026年预算数 / 公务用车购置及运行维护费 / 公务用车运行维护费"] == Decimal("5.00")


def test_guangzhou_reward_differs_from_family_planning_function_as_printed():
    """cross.reward_equals_family_planning_function is a real difference of the printed document:
    p. 15 表6 prints [30309]奖励金 27.77 and [30399]其他对个人和家庭的补助 0.08, while p. 12 表5
    prints [2100799]其他计划生育事务支出 27.85 = 27.77 + 0.08: the function line carries more than
    the 奖励金."""
    _, doc = read(GUANGZHOU)
    basic = _table(doc, "gpb_basic_expenditure_economic")
    economic = {
        r.economic_code: _amount(doc, basic, r)
        for r in _rows(doc, basic).values()
        if r.economic_code
    }
    assert economic["30309"] == Decimal("27.77")
    assert economic["30399"] == Decimal("0.08")
    function_table = _table(doc, "gpb_expenditure_function")
    function = {
        r.function_code: _amount(doc, function_table, r)
        for r in _rows(doc, function_table).values()
        if r.function_code
    }
    assert function["2100799"] == Decimal("27.85")
    assert function["2100799"] == economic["30309"] + economic["30399"]


def test_guangzhou_project_list_units_from_the_arithmetic():
    """pp. 21–23 表12 部门预算项目支出及其他支出预算表 (万元): 合计 1,497.06 over three units,
    each printed above its projects with nothing else to tell it from them: 广州市人民政府办公厅
    1,361.61 (six projects, the header repeated on p. 22 between them), 广州市政府政务信息系统管理
    中心 70.30 (16.10 + 7.00 + 21.00 + 26.20, the last on p. 23), 广州地区公文交换站（广州市人民
    政府公报编辑部） 65.15 (56.15 + 1.02 + 3.18 + 4.80). The 绩效目标 column is text, and the
    narrative's tables after "第三部分" (p. 23) are no rows of it."""
    _, doc = read(GUANGZHOU)
    table = _table(doc, "project_expenditure")
    (record,) = [t for t in doc.tables if t.table_ordinal == table]
    assert (record.label, record.unit, record.department_name) == (
        "表12",
        "万元",
        "广州市人民政府办公厅",
    )
    rows = list(_rows(doc, table).values())
    assert len(rows) == 18
    units = [(r.name, _amount(doc, table, r)) for r in rows if r.row_role == "subtotal"]
    assert units == [
        ("广州市人民政府办公厅", Decimal("1361.61")),
        ("广州市政府政务信息系统管理中心", Decimal("70.30")),
        ("广州地区公文交换站（广州市人民政府公报编辑部）", Decimal("65.15")),
    ]
    (total,) = [r for r in rows if r.row_role == "total"]
    assert (total.name, _amount(doc, table, total)) == ("合计", Decimal("1497.06"))
    centre = [r for r in rows if r.unit_name == "广州市政府政务信息系统管理中心" and r.project_name]
    assert [_amount(doc, table, r) for r in centre] == [
        Decimal("16.10"),
        Decimal("7.00"),
        Decimal("21.00"),
        Decimal("26.20"),
    ]
    assert not [c for c in doc.cells if c.table_ordinal == table and "绩效" in c.column_path]


def _measures(doc: DocumentExtraction, table_ordinal: int, row: StatementRow) -> dict:
    return {
        c.measure: c.amount_printed
        for c in doc.cells
        if c.table_ordinal == table_ordinal and c.row_ordinal == row.row_ordinal
    }


def test_guangzhou_gpb_project_expenditure_by_economic_class():
    """表7 p. 16 (一般公共预算项目支出情况表（按经济分类科目）, 万元): 合计 1,497.06;
    [302]商品和服务支出 1,432.54 over [30212]因公出国（境）费用 215.60; [310]资本性支出 64.52 over
    [31002]办公设备购置 14.80 and [31007]信息网络及软件购置更新 49.72."""
    _, doc = read(GUANGZHOU)
    ordinal = _table(doc, "gpb_project_expenditure_economic")
    rows = _rows(doc, ordinal)
    assert rows[1].row_role == "total"
    assert _amount(doc, ordinal, rows[1]) == Decimal("1497.06")
    travel = _row(doc, ordinal, "因公出国（境）费用")
    assert (travel.economic_code, travel.function_code) == ("30212", None)
    assert _amount(doc, ordinal, travel) == Decimal("215.60")
    assert rows[travel.parent_row_ordinal].economic_code == "302"
    capital = _row(doc, ordinal, "资本性支出")
    assert (capital.row_role, _amount(doc, ordinal, capital)) == ("subtotal", Decimal("64.52"))
    assert [
        (r.economic_code, _amount(doc, ordinal, r))
        for r in rows.values()
        if r.parent_row_ordinal == capital.row_ordinal
    ] == [("31002", Decimal("14.80")), ("31007", Decimal("49.72"))]


def test_yantai_basic_expenditure_of_every_fund_source():
    """公开表10 pp. 21–23 (基本支出预算情况表, 万元): 合计 1,464.31, all 一般公共预算; the 部门
    经济分类 301 工资福利支出 is printed once per 政府经济分类 (501 机关工资福利支出 408.13,
    505 对事业单位经常性补助 865.18), each over its own 30101 基本工资 (101.65; 222.58);
    p. 23: 310 | 02 办公设备购置 (政府 503 | 06 设备购置) 2.84."""
    _, doc = read(YANTAI)
    ordinal = _table(doc, "basic_expenditure")
    rows = _rows(doc, ordinal)
    total = rows[1]
    assert total.row_role == "total"
    amounts = _measures(doc, ordinal, total)
    assert (amounts["total"], amounts["general_public_budget"]) == (
        Decimal("1464.31"),
        Decimal("1464.31"),
    )
    assert amounts["unit_funds"] is None  # printed blank
    wages = [r for r in rows.values() if r.economic_code == "301"]
    assert [(r.economic_name_government, _measures(doc, ordinal, r)["total"]) for r in wages] == [
        ("机关工资福利支出", Decimal("408.13")),
        ("对事业单位经常性补助", Decimal("865.18")),
    ]
    basic_pay = [r for r in rows.values() if r.economic_code == "30101"]
    assert [(r.parent_row_ordinal, _measures(doc, ordinal, r)["total"]) for r in basic_pay] == [
        (wages[0].row_ordinal, Decimal("101.65")),
        (wages[1].row_ordinal, Decimal("222.58")),
    ]
    equipment = _row(doc, ordinal, "办公设备购置")
    assert (equipment.code_raw, equipment.economic_code) == ("310|02", "31002")
    assert _measures(doc, ordinal, equipment)["total"] == Decimal("2.84")


def test_yantai_project_list_is_a_project_list_without_its_category_column():
    """公开表11 p. 24 (项目支出预算情况表, 万元): 项目名称 | 项目类别 | 合计 | 财政拨款 …;
    合 计 6,039.00 = 实施公车统管费用 5.00 + 政务基础设施运行维护资金 6,000.00 + 市大数据中心
    工作经费 33.00 + 实施公车统管费用 1.00. The 项目类别 (其他运转类 / 特定目标类) is no part
    of the project's name."""
    _, doc = read(YANTAI)
    ordinal = _table(doc, "project_expenditure")
    table = next(t for t in doc.tables if t.table_ordinal == ordinal)
    assert table.title == "项目支出预算情况表"
    projects = [
        (r.project_name, _measures(doc, ordinal, r)["total"])
        for r in _rows(doc, ordinal).values()
        if r.project_name
    ]
    assert projects == [
        ("实施公车统管费用", Decimal("5.00")),
        ("政务基础设施运行维护资金", Decimal("6000.00")),
        ("市大数据中心工作经费", Decimal("33.00")),
        ("实施公车统管费用", Decimal("1.00")),
    ]
    total = _rows(doc, ordinal)[1]
    assert (total.row_role, _measures(doc, ordinal, total)["total"]) == (
        "total",
        Decimal("6039.00"),
    )
