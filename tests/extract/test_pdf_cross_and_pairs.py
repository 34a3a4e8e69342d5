"""Beijing (tables + notes), Shanghai and the national 决算 PDFs: cross-classified tables, fund
splits and wrapped narrative paragraphs, checked against the printed page.

Every expected figure was read by eye from the rendered page cited ("p. N" = PDF page). The
readers are generic; these documents show the layouts: a 支出总表 printed by 功能分类 ×
政府经济分类 × 部门经济分类 per row (Beijing p. 3–4), 7-digit local 部门经济分类 codes (Beijing),
a 收入总表 that splits 上年结转结余 by fund (Beijing p. 2), unit money (其他收入) paying for basic
spending (Shanghai), and narrative sentences wrapped over PDF lines and pages (Beijing notes,
national 决算).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from orchestration.extract.document import extract_document
from orchestration.extract.records import DocumentExtraction, StatementRow
from orchestration.extract.source import Source, read_source

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "dev"
BEIJING_TABLES = "beijing-petition-office-2026-department-budget-tables.pdf"
BEIJING_NOTES = "beijing-petition-office-2026-department-budget-notes.pdf"
NATIONAL = "national-public-complaints-bureau-2024-final-accounts.pdf"
SHANGHAI = "shanghai-marine-monitoring-center-2026-unit-budget.pdf"


@cache
def read(name: str) -> tuple[Source, DocumentExtraction]:
    source = read_source((DEV / name).read_bytes(), name)
    return source, extract_document(source, name)


def page_of(name: str, line: int) -> int | None:
    source, _ = read(name)
    return next(x.page_number for x in source.lines if x.number == line)


def rows_of(name: str, statement_type: str) -> list[StatementRow]:
    _, doc = read(name)
    table = next(t for t in doc.tables if t.statement_type == statement_type)
    return [r for r in doc.rows if r.table_ordinal == table.table_ordinal]


def amount(name: str, row: StatementRow, measure: str) -> Decimal | None:
    _, doc = read(name)
    return next(
        c.amount_printed
        for c in doc.cells
        if c.table_ordinal == row.table_ordinal
        and c.row_ordinal == row.row_ordinal
        and c.measure == measure
    )


# --- Beijing 预算03表 支出总表: one row per function × economic item ----------------------------
def test_beijing_expenditure_summary_rows_are_keyed_by_function_code():
    """p. 3 row "2014001-行政运行 | 50101-工资奖金津补贴 | 30101-基本工资 | 767.961600"."""
    rows = rows_of(BEIJING_TABLES, "expenditure_summary")
    details = [r for r in rows if r.row_role != "total"]
    assert len(details) == 42  # 27 rows on p. 3, 15 on p. 4, then 合 计
    first = next(r for r in details if r.economic_code == "30101")
    assert (first.function_code, first.name) == ("2014001", "行政运行")
    assert first.economic_name_department == "基本工资"
    assert first.economic_name_government == "工资奖金津补贴"  # "50101-" is the code, not the name
    assert amount(BEIJING_TABLES, first, "basic") == Decimal("767.961600")
    assert page_of(BEIJING_TABLES, first.source_line) == 3
    # every detail row has its function code; none is mistaken for an economic row
    assert all(r.function_code for r in details)


def test_beijing_expenditure_summary_sums_by_function_code():
    """p. 3–4: the nine 2014004 信访业务 rows are project money, 2,141.553017 in all, the same as
    p. 6 一般公共预算支出表 2014004 项目支出; 2080501 行政单位离退休 (p. 4: 9.000000 医疗费补助 +
    24.475000 离休费 + 121.000000 退休费) is p. 6's 154.475000."""
    rows = rows_of(BEIJING_TABLES, "expenditure_summary")
    petition = [r for r in rows if r.function_code == "2014004"]
    assert len(petition) == 9
    assert sum(amount(BEIJING_TABLES, r, "project") for r in petition) == Decimal("2141.553017")
    retirees = {r.economic_code: r for r in rows if r.function_code == "2080501"}
    assert set(retirees) == {"30307", "30301", "30302"}
    assert amount(BEIJING_TABLES, retirees["30307"], "basic") == Decimal("9.000000")
    assert sum(amount(BEIJING_TABLES, r, "basic") for r in retirees.values()) == Decimal(
        "154.475000"
    )
    gpb = next(
        r
        for r in rows_of(BEIJING_TABLES, "gpb_expenditure_function")
        if r.function_code == "2080501"
    )
    assert amount(BEIJING_TABLES, gpb, "total") == Decimal("154.475000")
    assert page_of(BEIJING_TABLES, gpb.source_line) == 6


def test_beijing_local_economic_codes_conform_to_their_kuan():
    """p. 7 "50201-办公经费 | 3021101-差旅费 | 44.080000" and "50202-会议费 | 3021503-三类会议费 |
    53.000000": the 7-digit local items are 30211 差旅费 and 30215 会议费, printed code kept."""
    rows = {
        r.economic_name_department: r
        for r in rows_of(BEIJING_TABLES, "gpb_basic_expenditure_economic")
    }
    assert (rows["差旅费"].economic_code, rows["差旅费"].code_raw) == ("30211", "3021101")
    assert rows["三类会议费"].economic_code == "30215"
    assert rows["三类会议费"].economic_name_government == "会议费"
    assert amount(BEIJING_TABLES, rows["三类会议费"], "public") == Decimal("53.000000")
    assert page_of(BEIJING_TABLES, rows["三类会议费"].source_line) == 7


def test_beijing_revenue_summary_splits_the_carryover_by_fund():
    """p. 2 预算02表 收入总表 prints one line: 合计 9,626.777589 | 本年收入 小计 9,616.338314 |
    一般公共预算资金 9,616.338314 | 上年结转结余 小计 10.439275 | 一般公共预算资金 10.439275."""
    (row,) = rows_of(BEIJING_TABLES, "revenue_summary")
    _, doc = read(BEIJING_TABLES)
    cells = {
        c.column_path: c.amount_printed
        for c in doc.cells
        if c.table_ordinal == row.table_ordinal and c.amount_printed is not None
    }
    assert cells == {
        "合计": Decimal("9626.777589"),
        "本年收入 / 小计": Decimal("9616.338314"),
        "本年收入 / 一般公共预算资金": Decimal("9616.338314"),
        "上年结转结余 / 小计": Decimal("10.439275"),
        "上年结转结余 / 一般公共预算资金": Decimal("10.439275"),
    }
    measures = {c.column_path: c.measure for c in doc.cells if c.table_ordinal == row.table_ordinal}
    assert measures["本年收入 / 小计"] == "current_year"
    assert measures["上年结转结余 / 小计"] == "carryover"


# --- Shanghai: unit money pays for basic spending ---------------------------------------------
def test_shanghai_other_income_pays_for_basic_spending():
    """Not a misreading, the document is consistent: p. 9 收入预算总表 220 01 50 事业运行 prints
    合计 22,278,608 = 财政拨款收入 21,930,608 + 其他收入 348,000; p. 11 支出预算总表 prints its
    基本支出 19,592,362, p. 13 一般公共预算支出功能分类预算表 its 一般公共预算 基本支出 19,244,362:
    the 348,000 of 其他收入 pays for basic spending: 支出总表 基本支出 ≠ 一般公共预算 基本支出."""
    revenue = next(r for r in rows_of(SHANGHAI, "revenue_summary") if r.function_code == "2200150")
    assert amount(SHANGHAI, revenue, "other_income") == Decimal("348000")
    assert amount(SHANGHAI, revenue, "fiscal_appropriation") == Decimal("21930608")
    assert page_of(SHANGHAI, revenue.source_line) == 9
    spending = next(
        r for r in rows_of(SHANGHAI, "expenditure_summary") if r.function_code == "2200150"
    )
    gpb = next(
        r for r in rows_of(SHANGHAI, "gpb_expenditure_function") if r.function_code == "2200150"
    )
    assert amount(SHANGHAI, spending, "basic") - amount(SHANGHAI, gpb, "basic") == Decimal("348000")
    # and the 基本支出经济分类表 (p. 18 合计 24,328,708) is 一般公共预算 money only: p. 14 合计
    economic_total = next(
        r for r in rows_of(SHANGHAI, "gpb_basic_expenditure_economic") if r.row_role == "total"
    )
    gpb_total = next(
        r for r in rows_of(SHANGHAI, "gpb_expenditure_function") if r.row_role == "total"
    )
    assert amount(SHANGHAI, economic_total, "total") == amount(SHANGHAI, gpb_total, "basic")
    assert amount(SHANGHAI, gpb_total, "basic") == Decimal("24328708")


def test_shanghai_narrative_project_budget_differs_from_the_table():
    """A difference the document prints (left as a source discrepancy): p. 20 "本单位编报绩效目标的
    项目共9个，涉及项目预算资金15552.95万元", while p. 11 支出预算总表 prints 项目支出 合计
    155,689,475 元 (15568.95 万元): 16.00 万元 of project money has no performance target stated."""
    _, doc = read(SHANGHAI)
    (stated,) = [f for f in doc.narrative_figures if f.value == Decimal("15552.95")]
    assert stated.unit == "万元" and page_of(SHANGHAI, stated.source_line) == 20
    total = next(r for r in rows_of(SHANGHAI, "expenditure_summary") if r.row_role == "total")
    assert amount(SHANGHAI, total, "project") == Decimal("155689475")


def test_shanghai_narrative_class_figure_is_cut_off():
    """A difference the document prints (left as a source discrepancy, as 004's 141.02 for
    141.0254 万元 is): p. 6 "“自然资源海洋气象等支出”科目17374万元" for p. 12 财政拨款支出
    173,746,137 元 (17374.61 万元, 17375 rounded), cut off so that the four classes stated
    (320 + 106 + 17374 + 83) add up to the 财政拨款 total stated, 17883 万元."""
    _, doc = read(SHANGHAI)
    stated = [
        f for f in doc.narrative_figures if f.source_line in range(56, 63) and f.unit == "万元"
    ]
    assert [f.value for f in stated] == [Decimal(v) for v in ("320", "106", "17374", "83")]
    assert sum(f.value for f in stated) == Decimal("17883")
    assert page_of(SHANGHAI, stated[2].source_line) == 6
    appropriation = next(
        r
        for r in rows_of(SHANGHAI, "appropriation_summary")
        if r.side == "expenditure" and r.name == "自然资源海洋气象等支出"
    )
    assert amount(SHANGHAI, appropriation, "total") == Decimal("173746137")
    assert page_of(SHANGHAI, appropriation.source_line) == 12


# --- narrative paragraphs wrapped over PDF lines ----------------------------------------------
def test_national_three_public_shares_are_one_paragraph():
    """p. 25 (lines wrapped): "因公出国（境）费支出决算 4.69 万元，占 10.15%；公务用车购置及运行费
    支出决算 40.61 万元，占 87.88%；公务接待费支出决算 0.9 万元，占 1.95%。": the three shares are
    one paragraph and add up to 99.98 (the document's own rounding: 0.02 short of 100)."""
    _, doc = read(NATIONAL)
    shares = [
        f
        for f in doc.narrative_figures
        if f.metric.endswith("/ 占比")
        and f.value in (Decimal("10.15"), Decimal("87.88"), Decimal("1.95"))
    ]
    assert len(shares) == 3
    assert len({f.source_line for f in shares}) == 1
    assert page_of(NATIONAL, shares[0].source_line) == 25
    assert sum(f.value for f in shares) == Decimal("99.98")
    assert [f.metric for f in shares][1] == "公务用车购置及运行费支出决算 / 占比"


def test_national_project_carryover_is_stated_about_one_project():
    """p. 45 "2024 年，该项目批复的年初预算数为 1018.00 万元，其中当年财政拨款 898.00 万元，上年结转
    120.00 万元。": the sentence (wrapped over two lines) is about one project."""
    _, doc = read(NATIONAL)
    (carryover,) = [
        f for f in doc.narrative_figures if f.value == Decimal("120.00") and f.metric == "上年结转"
    ]
    assert "该项目" in carryover.sentence
    assert page_of(NATIONAL, carryover.source_line) == 45


def test_beijing_notes_sentence_continues_over_a_page_break():
    """Notes p. 4 "基本支出预算 7485.22 万元，占本年", its page number "- 4 -", then p. 5 "支出预算
    77.75%。": the page number between the halves is no part of the sentence."""
    _, doc = read(BEIJING_NOTES)
    share = next(f for f in doc.narrative_figures if f.value == Decimal("77.75"))
    assert page_of(BEIJING_NOTES, share.source_line) == 4
    assert share.metric == "基本支出预算 / 占本年支出预算比重"
    assert "- 4 -" not in share.sentence
