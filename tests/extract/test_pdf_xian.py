"""The Xi'an 部门综合预算 PDF: its statements, column groups and year groups as printed.

Every expected figure was read by eye from the rendered page it cites ("p. N" is the PDF page).
The document: tests/fixtures/pdf/dev/xian-government-office-2026-department-budget.pdf.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from orchestration.extract.document import extract_document
from orchestration.extract.records import DocumentExtraction, StatementRow, StatementTable
from orchestration.extract.source import Source, read_source

XIAN = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "pdf"
    / "dev"
    / "xian-government-office-2026-department-budget.pdf"
)


@cache
def read() -> tuple[Source, DocumentExtraction]:
    source = read_source(XIAN.read_bytes(), XIAN.name)
    return source, extract_document(source, XIAN.name)


def table(statement_type: str) -> StatementTable:
    _, doc = read()
    return next(t for t in doc.tables if t.statement_type == statement_type)


def page_of(line: int) -> int | None:
    source, _ = read()
    return next(x.page_number for x in source.lines if x.number == line)


def rows(statement_type: str, side: str | None = None) -> list[StatementRow]:
    _, doc = read()
    ordinal = table(statement_type).table_ordinal
    return [r for r in doc.rows if r.table_ordinal == ordinal and r.side == side]


def cells(statement_type: str, row: StatementRow) -> dict[str, Decimal | None]:
    """measure -> printed amount of one row (measures are unique within a row of these tables).

    Columns with no measure ("unknown", reported as unknown_column warnings) are left out: on p. 21
    其中：专项资金列入部门预算项目 and 上年实户资金余额, on p. 33 the vehicle sub-columns whose
    two-line headers the source layer reads interleaved (公务用车购置 | 维护费).
    """
    _, doc = read()
    ordinal = table(statement_type).table_ordinal
    found = [
        c
        for c in doc.cells
        if c.table_ordinal == ordinal
        and c.row_ordinal == row.row_ordinal
        and c.measure != "unknown"
    ]
    measures = [c.measure for c in found]
    assert len(measures) == len(set(measures)), measures
    return {c.measure: c.amount_printed for c in found}


def named(statement_type: str, name: str, side: str | None = None) -> StatementRow:
    return next(r for r in rows(statement_type, side) if r.name == name)


def test_statements_found_on_their_pages():
    """p. 19 报表目录 lists 表1–表13; the statement kinds are read from their pages.

    表6 (一般公共预算支出明细表（按支出经济分类科目）, p. 25) and 表7
    (基本支出明细表（按支出功能分类科目）, p. 27) are kinds of their own, never read as the
    功能分类 支出表 or the 基本支出经济分类表 (which are 表5 p. 24 and 表8 p. 28).
    """
    _, doc = read()
    found = [(t.statement_type, page_of(t.title_line)) for t in doc.tables]
    assert found == [
        ("income_expenditure_summary", 20),
        ("revenue_summary", 21),
        ("expenditure_summary", 22),
        ("appropriation_summary", 23),
        ("gpb_expenditure_function", 24),
        ("gpb_expenditure_economic", 25),
        ("gpb_basic_expenditure_function", 27),
        ("gpb_basic_expenditure_economic", 28),
        ("government_fund_expenditure", 29),
        ("three_public_expenses", 33),
    ]
    assert table("government_fund_expenditure").is_empty  # p. 29: printed without figures


def test_summary_expenditure_side_is_read_as_three_classification_groups():
    """p. 20 表1 收支总表: 支出功能分类科目 | 部门预算支出经济分类科目 | 政府预算支出经济分类科目.

    Each group is its own side with its own rows and totals; the 功能分类 group keeps "expenditure".
    """
    _, doc = read()
    ordinal = table("income_expenditure_summary").table_ordinal
    sides = {r.side for r in doc.rows if r.table_ordinal == ordinal}
    assert sides == {
        "income",
        "expenditure",
        "expenditure_economic",
        "expenditure_government_economic",
    }
    summary = "income_expenditure_summary"
    assert cells(summary, named(summary, "一般公共服务支出", "expenditure")) == {
        "total": Decimal("72302752.62")
    }
    assert cells(summary, named(summary, "住房保障支出", "expenditure")) == {
        "total": Decimal("7343316.06")
    }
    economic = named(summary, "人员经费和公用经费支出", "expenditure_economic")
    assert cells(summary, economic) == {"total": Decimal("64662533.99")}
    assert economic.economic_name_department == "人员经费和公用经费支出"
    assert economic.function_code is None
    # (1)工资福利支出 56,413,286.69 + (2)商品和服务支出 6,605,481.30 + (3)对个人和家庭的补助
    # 1,600,806.00 + (4)资本性支出 42,960.00 = 64,662,533.99, all printed under 1、
    children = [
        r
        for r in rows(summary, "expenditure_economic")
        if r.parent_row_ordinal == economic.row_ordinal
    ]
    assert [r.name for r in children][:4] == [
        "工资福利支出",
        "商品和服务支出",
        "对个人和家庭的补助",
        "资本性支出",
    ]
    assert sum(cells(summary, r)["total"] or 0 for r in children) == Decimal("64662533.99")
    government = named(summary, "机关工资福利支出", "expenditure_government_economic")
    assert cells(summary, government) == {"total": Decimal("56413286.69")}
    assert government.economic_name_government == "机关工资福利支出"
    assert government.economic_name_department is None
    for side in ("expenditure", "expenditure_economic", "expenditure_government_economic"):
        total = named(summary, "本年支出合计", side)
        assert total.row_role == "total"
        assert cells(summary, total) == {"total": Decimal("92165133.99")}


def test_appropriation_summary_groups():
    """p. 23 表4 财政拨款收支总表: the same three groups; 2、专项业务经费支出 27,502,600.00."""
    kind = "appropriation_summary"
    assert cells(kind, named(kind, "教育支出", "expenditure")) == {"total": Decimal("230000.00")}
    assert cells(kind, named(kind, "专项业务经费支出", "expenditure_economic")) == {
        "total": Decimal("27502600.00")
    }
    assert cells(kind, named(kind, "机关资本性支出", "expenditure_government_economic")) == {
        "total": Decimal("7142960.00")
    }


def test_revenue_fund_source_columns():
    """p. 21 表2 收入总表: 部门预算 / 合计 and 部门预算 / 一般公共预算拨款 / 小计: 92,165,133.99."""
    kind = "revenue_summary"
    first = rows(kind)[0]
    assert first.name == "合计"
    amounts = cells(kind, first)
    assert amounts["total"] == Decimal("92165133.99")
    assert amounts["general_public_budget"] == Decimal("92165133.99")


def test_function_table_project_column():
    """p. 24 表5: 合计 | 人员经费支出 | 公用经费支出 | 专项业务经费支出 | 备注 (no amount)."""
    kind = "gpb_expenditure_function"
    assert cells(kind, rows(kind)[0]) == {
        "total": Decimal("92165133.99"),
        "personnel": Decimal("60272768.69"),
        "public": Decimal("4389765.30"),
        "project": Decimal("27502600.00"),
    }
    row = next(r for r in rows(kind) if r.function_code == "2010399")
    assert cells(kind, row)["project"] == Decimal("14200000.00")
    _, doc = read()
    assert not [w for w in doc.warnings if w.kind == "unknown_column" and "备注" in w.text]


def test_basic_economic_table_reads_both_code_columns():
    """p. 28 表8: 30101 基本工资 | 50101 工资奖金津补贴 | 13,846,140.00."""
    kind = "gpb_basic_expenditure_economic"
    row = next(r for r in rows(kind) if r.economic_code == "30101")
    assert row.name == "基本工资"
    assert row.economic_name_government == "工资奖金津补贴"
    assert cells(kind, row)["personnel"] == Decimal("13846140.00")
    assert cells(kind, rows(kind)[0])["total"] == Decimal("64662533.99")


def test_three_public_table_reads_the_current_year_only():
    """p. 33 表13 三公经费及会议费、培训费: 上年 | 当年 | 增减变化情况 column groups.

    当年: 合计 260,000.00 = 三公 小计 30,000.00 (公务接待费 30,000.00) + 培训费 230,000.00. The 上年
    group (合计 442,400.00) and the 增减变化情况 group (-182,400.00, -10,000.00) are not read.
    """
    kind = "three_public_expenses"
    first = rows(kind)[0]
    assert first.name == "合计"
    assert cells(kind, first) == {
        "three_public_with_meetings": Decimal("260000.00"),
        "total": Decimal("30000.00"),
        "outbound_travel": None,
        "official_reception": Decimal("30000.00"),
        "official_vehicles": None,
        "vehicle_purchase": None,
        "vehicle_operation": None,
        "meeting": None,
        "training": Decimal("230000.00"),
    }
    _, doc = read()
    ordinal = table(kind).table_ordinal
    printed = {c.amount_printed for c in doc.cells if c.table_ordinal == ordinal}
    assert Decimal("442400.00") not in printed
    assert Decimal("-10000.00") not in printed


def test_overall_target_table_ends_where_the_blank_table_16_begins():
    """p. 43 表15 部门整体支出绩效目标表 ends with 满意度指标 "参评单位对政务公开质效监测满意度（%）
    ≥90, 3". p. 44 prints 表16 专项资金总体绩效目标表 as a blank form (the 报表目录 on p. 19 marks
    it 是 / 不涉及): no performance form this reader knows, yet a table title, so it ends 表15
    and none of its blank labels (项目名称, 主管部门, 资金金额) becomes an indicator of 表15."""
    _, doc = read()
    (overall,) = [t for t in doc.performance_tables if t.family == "department_overall_target"]
    assert page_of(overall.first_line) == 43 and page_of(overall.last_line) == 43
    indicators = [i for i in doc.performance_indicators if i.perf_ordinal == overall.perf_ordinal]
    assert {page_of(i.source_line) for i in indicators} == {43}
    assert max(i.source_line for i in indicators) == 771  # the last row of p. 43
    (last,) = [i for i in indicators if i.level3 == "参评单位对政务公开质效监测满意度（%）"]
    assert (last.level1, last.target_raw) == ("满意度指标", "≥90")
    assert not {"项目名称", "主管部门", "专项资金总体绩效目标表"} & {i.level3 for i in indicators}


def test_three_public_wrapped_vehicle_headers_stay_in_their_columns():
    """p. 33 表13: under 公务用车购置及运行维护费 the 当年 group prints 小计 | 公务用车购置费 |
    公务用车运行维护费, the last two wrapped over two lines in narrow ruled cells ("公务用车购置" /
    "费", "公务用车运行" / "维护费"); both are blank. The text layer runs the first lines of the two
    cells together as one word over the ruling between them; each part is its own cell's."""
    _, doc = read()
    ordinal = table("three_public_expenses").table_ordinal
    vehicles = {
        c.column_path.rsplit(" / ", 1)[-1]: c.measure
        for c in doc.cells
        if c.table_ordinal == ordinal and "公务用车购置及运行维护费" in c.column_path
    }
    assert vehicles == {
        "小计": "official_vehicles",
        "公务用车购置费": "vehicle_purchase",
        "公务用车运行维护费": "vehicle_operation",
    }
    assert all(
        c.is_blank
        for c in doc.cells
        if c.table_ordinal == ordinal and c.measure in ("vehicle_purchase", "vehicle_operation")
    )
    assert not [w for w in doc.warnings if w.kind == "unknown_column" and "维护费" in w.text]


def test_gpb_expenditure_by_economic_class_reads_personnel_public_and_project():
    """表6 p. 25 (一般公共预算支出明细表（按支出经济分类科目）, 元): 合计 92,165,133.99 =
    人员经费支出 60,272,768.69 + 公用经费支出 4,389,765.30 + 专项业务经费支出 27,502,600.00;
    30201 办公费 (政府 50201 办公经费) 7,461,988.00 = 公用 1,711,988.00 + 专项 5,750,000.00;
    p. 26 (the table continues under a repeated header): 31099 其他资本性支出 专项 7,100,000.00."""
    kind = "gpb_expenditure_economic"
    total = named(kind, "合计")
    assert total.row_role == "total"
    assert cells(kind, total) == {
        "total": Decimal("92165133.99"),
        "personnel": Decimal("60272768.69"),
        "public": Decimal("4389765.30"),
        "project": Decimal("27502600.00"),
    }
    office = named(kind, "办公费")
    assert (office.economic_code, office.function_code, office.code_raw) == (
        "30201",
        None,
        "30201|50201",
    )
    assert office.economic_name_government == "办公经费"
    assert cells(kind, office) == {
        "total": Decimal("7461988.00"),
        "personnel": None,
        "public": Decimal("1711988.00"),
        "project": Decimal("5750000.00"),
    }
    capital = named(kind, "其他资本性支出")
    assert page_of(capital.source_line) == 26
    assert cells(kind, capital)["project"] == Decimal("7100000.00")
    assert [r.economic_code for r in rows(kind) if r.level == 1] == [
        "301",
        "302",
        "303",
        "309",
        "310",
    ]


def test_basic_expenditure_by_function_class():
    """表7 p. 27 (一般公共预算基本支出明细表（按支出功能分类科目）, 元): 合计 64,662,533.99 =
    人员经费支出 60,272,768.69 + 公用经费支出 4,389,765.30; 2010301 行政运行 44,141,471.74;
    2050803 培训支出 30,000.00, all 公用 (人员 blank); 2010302 一般行政管理事务 printed blank."""
    kind = "gpb_basic_expenditure_function"
    assert cells(kind, named(kind, "合计")) == {
        "total": Decimal("64662533.99"),
        "personnel": Decimal("60272768.69"),
        "public": Decimal("4389765.30"),
    }
    running = named(kind, "行政运行")
    assert (running.function_code, running.level) == ("2010301", 3)
    assert cells(kind, running)["total"] == Decimal("44141471.74")
    training = named(kind, "培训支出")
    assert cells(kind, training) == {
        "total": Decimal("30000.00"),
        "personnel": None,
        "public": Decimal("30000.00"),
    }
    assert set(cells(kind, named(kind, "一般行政管理事务")).values()) == {None}
