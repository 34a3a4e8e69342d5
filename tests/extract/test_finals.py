"""决算 (final accounts): statement tables, execution statements and disclosure marks.

Fixtures (``tests/fixtures/finals/``):

* ``complaints-bureau-2024-final-accounts.txt`` reproduces, row by row, the statement tables
  and the 情况说明 of the dev 决算
  ``shared/corpus/dev/national-public-complaints-bureau-2024-final-accounts.pdf``: the tables of
  PDF pages 7–15, one tab-separated line per printed row, and the narrative of pages 16–26, one
  line per paragraph. Every expected figure below cites the PDF page it is printed on.
* ``synthetic-county-agriculture-2019-final-accounts.txt`` is a synthetic older local layout:
  labels above titles (附表1), amounts in 元, no 行次 column, a 一般公共预算财政拨款支出决算表
  with 年初预算数 / 调整预算数 / 决算数 and a ratio column, a single-pane 基本支出决算表,
  三公 items as rows, a 机关运行经费支出决算表. Its figures are quoted from the fixture lines.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.extract import finals, statements
from orchestration.extract.document import extract_document
from orchestration.extract.records import DocumentExtraction, StatementRow, StatementTable
from orchestration.extract.source import read_source
from orchestration.extract.text import Line, to_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "finals"
DEV = FIXTURES / "complaints-bureau-2024-final-accounts.txt"
OLDER = FIXTURES / "synthetic-county-agriculture-2019-final-accounts.txt"
D = Decimal


@pytest.fixture(scope="module")
def dev() -> DocumentExtraction:
    return extract_document(
        read_source((DEV.read_text(encoding="utf-8")).encode("utf-8"), DEV.name), DEV.name
    )


@pytest.fixture(scope="module")
def older() -> DocumentExtraction:
    return extract_document(
        read_source((OLDER.read_text(encoding="utf-8")).encode("utf-8"), OLDER.name), OLDER.name
    )


def table(doc: DocumentExtraction, title: str) -> StatementTable:
    found = [t for t in doc.tables if t.title == title]
    assert len(found) == 1, [t.title for t in doc.tables]
    return found[0]


def rows(doc: DocumentExtraction, t: StatementTable, side: str | None = None) -> list[StatementRow]:
    return [
        r
        for r in doc.rows
        if r.table_ordinal == t.table_ordinal and (side is None or r.side == side)
    ]


def row(doc: DocumentExtraction, t: StatementTable, name: str, side: str | None = None):
    found = [r for r in rows(doc, t, side) if r.name == name]
    assert len(found) == 1, (name, found)
    return found[0]


def cells(doc: DocumentExtraction, t: StatementTable, r: StatementRow) -> dict[str, Decimal]:
    """measure (or column path when two columns share a measure) -> printed value."""
    out: dict[str, Decimal] = {}
    for c in doc.cells:
        if c.table_ordinal == t.table_ordinal and c.row_ordinal == r.row_ordinal:
            if c.amount_printed is not None:
                key = c.measure if c.measure not in out else f"{c.measure}@{c.column_path}"
                out[key] = c.amount_printed
    return out


def paths(doc: DocumentExtraction, t: StatementTable) -> set[str]:
    return {c.column_path for c in doc.cells if c.table_ordinal == t.table_ordinal}


# --- titles ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("收入支出决算总表", "income_expenditure_summary"),  # PDF p.7
        ("收入决算表", "revenue_summary"),  # p.8
        ("支出决算表", "expenditure_summary"),  # p.9
        ("财政拨款收入支出决算总表", "appropriation_summary"),  # p.10
        ("一般公共预算财政拨款支出决算表", "gpb_expenditure_function"),  # p.11
        ("一般公共预算财政拨款支出决算明细表", "gpb_expenditure_function"),
        ("一般公共预算财政拨款基本支出决算表", "gpb_basic_expenditure_economic"),  # p.12
        ("政府性基金预算财政拨款收入支出决算表", "government_fund_expenditure"),  # p.13
        ("国有资本经营预算财政拨款支出决算表", "state_capital"),  # p.14
        ("一般公共预算财政拨款“三公”经费支出决算表", "three_public_expenses"),  # p.15
        ("机关运行经费支出决算表", "agency_operating_expenses"),
        ("高等学校收支决算总表", "income_expenditure_summary"),
        ("2019年度部门收入支出决算总表", "income_expenditure_summary"),
        ("一般公共预算财政拨款项目支出决算表", "other"),
        ("公开01表", None),  # a label printed under the title, not a title
    ],
)
def test_final_account_titles(title: str, kind: str | None) -> None:
    assert statements.classify_title(title) == kind


# --- the dev 决算 (national 2024 template) ----------------------------------------------------
def test_dev_document_metadata(dev: DocumentExtraction) -> None:
    # PDF p.1 "国家信访局 / 2024 年度部门决算"; p.7 "部门：国家信访局 金额单位：万元"
    assert dev.meta.document_kind == "决算"
    assert dev.meta.scope == "部门决算"
    assert dev.meta.fiscal_year == 2024
    assert dev.meta.issuing_body == "国家信访局"


def test_dev_reads_the_nine_tables(dev: DocumentExtraction) -> None:
    # PDF pp.7–15: 公开01表 … 公开09表, all in 万元, all of 国家信访局
    got = [(t.label, t.statement_type, t.unit, t.department_name) for t in dev.tables]
    assert got == [
        ("公开01表", "income_expenditure_summary", "万元", "国家信访局"),
        ("公开02表", "revenue_summary", "万元", "国家信访局"),
        ("公开03表", "expenditure_summary", "万元", "国家信访局"),
        ("公开04表", "appropriation_summary", "万元", "国家信访局"),
        ("公开05表", "gpb_expenditure_function", "万元", "国家信访局"),
        ("公开06表", "gpb_basic_expenditure_economic", "万元", "国家信访局"),
        ("公开07表", "government_fund_expenditure", "万元", "国家信访局"),
        ("公开08表", "state_capital", "万元", "国家信访局"),
        ("公开09表", "three_public_expenses", "万元", "国家信访局"),
    ]
    assert dev.warnings == []


def test_dev_line_number_columns_are_structure(dev: DocumentExtraction) -> None:
    # PDF p.7 prints 行次 1–62 and a 栏次 row: none of them is an amount
    t = table(dev, "收入支出决算总表")
    assert paths(dev, t) == {"收入 / 金额", "支出 / 金额"}
    assert cells(dev, t, row(dev, t, "一般公共预算财政拨款收入", "income")) == {
        "total": D("19572.91")
    }


def test_dev_income_expenditure_summary(dev: DocumentExtraction) -> None:
    t = table(dev, "收入支出决算总表")  # PDF p.7
    income = {r.name: cells(dev, t, r).get("total") for r in rows(dev, t, "income")}
    expenditure = {r.name: cells(dev, t, r).get("total") for r in rows(dev, t, "expenditure")}
    assert income["本年收入合计"] == D("20451.35")
    assert income["使用非财政拨款结余"] is None  # printed blank
    assert income["年初结转和结余"] == D("1615.24")
    assert income["总计"] == D("22066.59")
    assert expenditure["本年支出合计"] == D("14572.53")
    assert expenditure["结余分配"] is None
    assert expenditure["年末结转和结余"] == D("7494.06")
    assert expenditure["总计"] == D("22066.59")
    # 年初结转和结余 + 本年收入合计 = 本年支出合计 + 年末结转和结余 (the balance identity, p.7)
    assert D("1615.24") + D("20451.35") == D("14572.53") + D("7494.06")
    # the level-1 rows of each side add up to its 总计, within the rounding the note under the
    # table admits ("金额单位转换时可能存在尾数误差"): the five classes print 14572.54, the
    # 本年支出合计 14572.53
    for side, total in (("income", D("22066.59")), ("expenditure", D("22066.59"))):
        level1 = [cells(dev, t, r).get("total") for r in rows(dev, t, side) if r.level == 1]
        printed = [v for v in level1 if v is not None]
        assert abs(sum(printed, D(0)) - total) <= D("0.005") * len(printed)


def test_dev_revenue_columns(dev: DocumentExtraction) -> None:
    t = table(dev, "收入决算表")  # PDF p.8
    r = row(dev, t, "行政运行")
    assert r.function_code == "2014001"
    assert cells(dev, t, r) == {
        "current_year": D("6000.76"),
        "fiscal_appropriation": D("5732.26"),
        "other_income": D("268.50"),
    }


def test_dev_expenditure_columns_have_final_account_measures(dev: DocumentExtraction) -> None:
    t = table(
        dev, "支出决算表"
    )  # PDF p.9: 本年支出合计 基本支出 项目支出 上缴上级支出 经营支出 对附属单位补助支出
    measures = sorted(
        {(c.column_ordinal, c.measure) for c in dev.cells if c.table_ordinal == t.table_ordinal}
    )
    assert [m for _, m in measures] == [
        "total",
        "basic",
        "project",
        "remittance_to_superior",
        "operating_expenditure",
        "subsidy_to_affiliates",
    ]
    total = row(dev, t, "合计")
    assert cells(dev, t, total) == {
        "total": D("14572.53"),
        "basic": D("11073.11"),
        "project": D("3499.42"),
    }


def test_dev_appropriation_summary_nests_fund_lines_under_balance(dev: DocumentExtraction) -> None:
    t = table(dev, "财政拨款收入支出决算总表")  # PDF p.10
    opening = row(dev, t, "年初财政拨款结转和结余", "income")
    assert cells(dev, t, opening) == {"total": D("1154.62")}
    gpb_lines = [r for r in rows(dev, t, "income") if r.name == "一般公共预算财政拨款"]
    # line 29 "一般公共预算财政拨款 1,154.62" sits under 年初财政拨款结转和结余; the current-year
    # "一、一般公共预算财政拨款 19,572.91" (行次 1) does not
    assert [r.parent_row_ordinal == opening.row_ordinal for r in gpb_lines] == [False, True]
    assert opening.row_role == "subtotal"
    level1 = [r for r in rows(dev, t, "income") if r.level == 1]
    assert sum((cells(dev, t, r).get("total", D(0)) for r in level1), D(0)) == D("20727.53")
    closing = row(dev, t, "年末财政拨款结转和结余", "expenditure")
    assert cells(dev, t, closing) == {"total": D("6993.74"), "general_public_budget": D("6993.74")}


def test_dev_basic_expenditure_panes(dev: DocumentExtraction) -> None:
    t = table(dev, "一般公共预算财政拨款基本支出决算表")  # PDF p.12: three code|name|决算数 panes
    personnel_total = row(dev, t, "人员经费合计")
    public_total = row(dev, t, "公用经费合计")
    assert cells(dev, t, personnel_total) == {"personnel": D("7967.72")}
    assert cells(dev, t, public_total) == {"public": D("2266.65")}
    wages = row(dev, t, "工资福利支出")
    assert (wages.economic_code, cells(dev, t, wages)) == ("301", {"personnel": D("6982.75")})
    vehicles = row(dev, t, "公务用车运行维护费")
    assert (vehicles.economic_code, cells(dev, t, vehicles)) == ("30231", {"public": D("40.61")})
    # the third pane continues 公用经费: 31002 办公设备购置 24.67 under 310 资本性支出
    equipment = row(dev, t, "办公设备购置")
    capital = row(dev, t, "资本性支出")
    # one 公用经费 column over two panes: 302 (pane 2) and 310 (pane 3) share its ordinal
    ordinals = {
        c.row_ordinal: c.column_ordinal for c in dev.cells if c.table_ordinal == t.table_ordinal
    }
    assert ordinals[capital.row_ordinal] == ordinals[row(dev, t, "商品和服务支出").row_ordinal]
    assert ordinals[capital.row_ordinal] != ordinals[wages.row_ordinal]
    assert equipment.parent_row_ordinal == capital.row_ordinal
    assert capital.parent_row_ordinal == public_total.row_ordinal
    for total, expected in ((personnel_total, D("7967.72")), (public_total, D("2266.65"))):
        top = [r for r in rows(dev, t) if r.parent_row_ordinal == total.row_ordinal]
        assert sum((v for r in top for v in cells(dev, t, r).values()), D(0)) == expected


def test_dev_empty_fund_tables(dev: DocumentExtraction) -> None:
    for title in ("政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表"):
        t = table(dev, title)  # PDF pp.13–14 "…故本表无数据。"
        assert t.is_empty
        assert t.empty_note is not None and "本表无数据" in t.empty_note


def test_dev_three_public_budget_and_outturn_columns(dev: DocumentExtraction) -> None:
    t = table(dev, "一般公共预算财政拨款“三公”经费支出决算表")  # PDF p.15
    values = {
        c.column_path: c.amount_printed
        for c in dev.cells
        if c.table_ordinal == t.table_ordinal and c.amount_printed is not None
    }
    assert values == {
        "预算数 / 合计": D("76.43"),
        "预算数 / 因公出国（境）费": D("30.00"),
        "预算数 / 公务用车购置及运行维护费 / 小计": D("40.63"),
        "预算数 / 公务用车购置及运行维护费 / 公务用车运行维护费": D("40.63"),
        "预算数 / 公务接待费": D("5.80"),
        "决算数 / 合计": D("46.21"),
        "决算数 / 因公出国（境）费": D("4.69"),
        "决算数 / 公务用车购置及运行维护费 / 小计": D("40.61"),
        "决算数 / 公务用车购置及运行维护费 / 公务用车运行维护费": D("40.61"),
        "决算数 / 公务接待费": D("0.90"),
    }


def test_dev_execution_statements(dev: DocumentExtraction) -> None:
    # PDF pp.21–24: the total, 14 项 and the 三公 passage with its 3 items
    assert len(dev.execution_statements) == 19
    head = dev.execution_statements[0]  # p.21 "财政拨款支出年初预算为15068.55万元…91.14%"
    assert (head.subject, head.budget_value, head.final_value, head.rate_value) == (
        "财政拨款支出",
        D("15068.55"),
        D("13733.8"),
        D("91.14"),
    )
    running = dev.execution_statements[1]  # p.21 item 1
    assert (running.class_name, running.item_name, running.subitem_name) == (
        "一般公共服务",
        "信访事务",
        "行政运行",
    )
    assert (running.budget_basis, running.budget_yuan, running.final_yuan) == (
        "年初预算",
        D("57173200"),
        D("57576300"),
    )
    assert (running.rate_basis, running.rate_value, running.direction_word, running.direction) == (
        "年初预算",
        D("100.71"),
        "大于",
        "greater",
    )
    health = next(s for s in dev.execution_statements if s.subitem_name == "行政单位医疗")
    # p.23 item 11: "年初预算为0万元，支出决算为497.53万元。决算数大于预算数…" (no rate printed)
    assert (health.budget_value, health.final_value, health.rate_value, health.direction) == (
        D("0"),
        D("497.53"),
        None,
        "greater",
    )
    three = dev.execution_statements[-4:]
    # p.24: 三公 预算 76.43 / 决算 46.21 / 60.46%, then the items' outturns and rates
    assert [(s.subject, s.budget_value, s.final_value, s.rate_value) for s in three] == [
        ("“三公”经费财政拨款支出", D("76.43"), D("46.21"), D("60.46")),
        ("因公出国（境）费支出", None, D("4.69"), D("15.63")),
        ("公务用车购置及运行费支出", None, D("40.61"), D("99.95")),
        ("公务接待费支出", None, D("0.9"), D("15.52")),
    ]
    assert three[0].direction == "less"  # "“三公”经费支出决算数小于预算数"


def test_dev_disclosure_marks(dev: DocumentExtraction) -> None:
    as_of = [m for m in dev.disclosure_marks if m.kind == "as_of_date"]
    # PDF p.26 "截至 2024 年 12 月 31 日，国家信访局共有车辆 15 辆"
    assert [(m.text, m.year, m.month, m.day) for m in as_of] == [
        ("截至2024年12月31日", 2024, 12, 31)
    ]
    assert not [m for m in dev.disclosure_marks if m.kind == "placeholder"]
    assert {m.year for m in dev.disclosure_marks if m.kind == "heading_year"} == {2024}


# --- the older synthetic layout -------------------------------------------------------------
def test_older_layout_tables(older: DocumentExtraction) -> None:
    assert [(t.label, t.statement_type, t.unit) for t in older.tables] == [
        ("附表1", "income_expenditure_summary", "元"),
        ("附表2", "revenue_summary", "元"),
        ("附表3", "expenditure_summary", "元"),
        ("附表4", "appropriation_summary", "元"),
        ("附表5", "gpb_expenditure_function", "元"),
        ("附表6", "gpb_basic_expenditure_economic", "元"),
        ("附表7", "government_fund_expenditure", "元"),
        ("附表8", "state_capital", "元"),
        ("附表9", "three_public_expenses", "元"),
        ("附表10", "agency_operating_expenses", "元"),
    ]
    assert older.warnings == []
    assert older.meta.fiscal_year == 2019 and older.meta.document_kind == "决算"


def test_older_layout_stage_columns(older: DocumentExtraction) -> None:
    t = table(older, "一般公共预算财政拨款支出决算表")
    # 年初预算数 / 调整预算数 / 决算数 are three totals of their stage; the % column is no amount
    assert paths(older, t) == {"年初预算数", "调整预算数", "决算数"}
    r = row(older, t, "行政运行")
    assert r.function_code == "2130101"
    assert cells(older, t, r) == {
        "total": D("3000000.00"),
        "total@调整预算数": D("3100000.00"),
        "total@决算数": D("3050000.00"),
    }


def test_older_layout_balance_rows_and_fund_lines(older: DocumentExtraction) -> None:
    t = table(older, "收入支出决算总表")
    income = {r.name: cells(older, t, r).get("total") for r in rows(older, t, "income")}
    expenditure = {r.name: cells(older, t, r).get("total") for r in rows(older, t, "expenditure")}
    assert (income["使用非财政拨款结余"], income["年初结转和结余"]) == (D("30000"), D("100000"))
    assert (expenditure["结余分配"], expenditure["年末结转和结余"]) == (D("20000"), D("160000"))
    t4 = table(older, "财政拨款收入支出决算总表")
    closing = row(older, t4, "年末财政拨款结转和结余", "expenditure")
    fund_line = [r for r in rows(older, t4, "expenditure") if r.name == "一般公共预算财政拨款"]
    assert [r.parent_row_ordinal for r in fund_line] == [closing.row_ordinal]


def test_older_layout_three_public_rows_and_agency_table(older: DocumentExtraction) -> None:
    t = table(older, "财政拨款“三公”经费支出决算表")
    vehicles = row(older, t, "公务用车购置及运行费")
    operation = row(older, t, "公务用车运行费")
    assert operation.parent_row_ordinal == vehicles.row_ordinal
    assert cells(older, t, vehicles) == {
        "total": D("140000.00"),
        "total@决算数": D("120000.00"),
    }
    agency = table(older, "机关运行经费支出决算表")
    assert cells(older, t=agency, r=row(older, agency, "合计")) == {
        "total": D("520000.00"),
        "total@决算数": D("500000.00"),
    }


# --- execution statements and marks, wording by wording ---------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "1.教育（类）普通教育（款）小学教育（项）。年初预算为100万元，支出决算为100万元，"
            "完成年初预算的100%。决算数与年初预算数持平。",
            ("年初预算", D("100"), D("100"), D("100"), "持平", "equal"),
        ),
        (
            "农林水支出调整预算为80.5万元，决算数为70万元，完成调整预算的86.96%。决算数低于预算数的原因是…",
            ("调整预算", D("80.5"), D("70"), D("86.96"), "低于", "less"),
        ),
    ],
)
def test_execution_wording(text: str, expected: tuple) -> None:
    (statement,) = finals.statements_in_line(text, 1, None)
    got = (
        statement.budget_basis,
        statement.budget_value,
        statement.final_value,
        statement.rate_value,
        statement.direction_word,
        statement.direction,
    )
    assert got == expected


def test_a_bare_budget_is_no_execution_statement() -> None:
    # a budget document's narrative ("“三公”经费预算为10.27万元") states no outturn
    assert finals.statements_in_line("2020年“三公”经费预算为10.27万元，比上年减少。", 1, None) == []


@pytest.mark.parametrize(
    ("text", "kind", "mark"),
    [
        ("XX局2024年度部门决算", "placeholder", "XX局"),
        ("XXXX年度收入支出决算总表", "placeholder", "XXXX年度"),
        ("截至2023年12月31日，本部门共有车辆3辆。", "as_of_date", "截至2023年12月31日"),
    ],
)
def test_disclosure_marks(text: str, kind: str, mark: str) -> None:
    (line,) = to_lines(text)
    found = [(m.kind, m.text) for m in finals.marks_in_line(line, is_title=False)]
    assert (kind, mark) in found


def test_heading_years_only_on_titles() -> None:
    text = "比2023年度决算数增加6263.17万元，"
    line = Line(1, text, (text,), "text")
    assert finals.marks_in_line(line, is_title=False) == []
    assert [m.year for m in finals.marks_in_line(line, is_title=True)] == [2023]


def test_paragraphs_wrapped_as_the_pdf_prints_them() -> None:
    # PDF pp.21–22 as extract_text() breaks the lines, the page number 19 printed in between
    text = "\n".join(
        [
            "2.一般公共服务（类）信访事务（款）一般行政管理事务（项）。",
            "年初预算为 590.53 万元，支出决算为 4.7 万元，完成年初预算的",
            "0.8%。决算数小于预算数的主要原因是年中按规定将部门机动经费调剂用于其他科目。",
            "3.一般公共服务（类）信访事务（款）机关服务（项）。年",
            "19",
            "初预算为 222.6 万元，支出决算为 229.19 万元，完成年初预算的",
            "102.96%。决算数大于预算数的主要原因是 2024 年度预算执行中",
            "追加了预算，相应增加支出。",
        ]
    )
    doc = DocumentExtraction()
    finals.extract(to_lines(text), "wrapped.txt", doc)
    got = [
        (s.source_line, s.subitem_name, s.budget_value, s.final_value, s.rate_value, s.direction)
        for s in doc.execution_statements
    ]
    assert got == [
        (1, "一般行政管理事务", D("590.53"), D("4.7"), D("0.8"), "less"),
        (4, "机关服务", D("222.6"), D("229.19"), D("102.96"), "greater"),
    ]


def test_three_public_passage_as_the_pdf_prints_it() -> None:
    # PDF p.22 as extract_text() gives it: wrapped mid-figure ("76.43" / "万元") and one justified
    # line with a space between every character
    text = "\n".join(
        [
            "国家信访局 2024 年度“三公”经费财政拨款支出预算为 76.43",
            "万元，2024 年度支出决算为 46.21 万元，完成预算的 60.46%。其",
            "中：因公出国（境）费支出决算为 4.69 万元，完成预算的 15.63%；",
            "公 务 用 车 购 置 及 运 行 费 支 出 决 算 为 40.61 万 元 ， 完 成 预 算 的",
            "99.95%；公务接待费支出决算为 0.9 万元，完成预算的 15.52%。",
            "“三公”经费支出决算数小于预算数的主要原因是 2024 年度国家",
        ]
    )
    doc = DocumentExtraction()
    finals.extract(to_lines(text), "wrapped.txt", doc)
    got = [
        (s.subject, s.budget_value, s.final_value, s.rate_value, s.direction)
        for s in doc.execution_statements
    ]
    assert got == [
        ("“三公”经费财政拨款支出", D("76.43"), D("46.21"), D("60.46"), "less"),
        ("因公出国（境）费支出", None, D("4.69"), D("15.63"), None),
        ("公务用车购置及运行费支出", None, D("40.61"), D("99.95"), None),
        ("公务接待费支出", None, D("0.9"), D("15.52"), None),
    ]


@pytest.mark.parametrize(
    ("title", "body", "scope"),
    [
        ("某县实验小学2023年度决算", "本单位决算包括：学校本级决算。", "单位决算"),
        ("某县水利局2023年度决算", "本部门决算包括：局本级决算和所属单位决算。", "部门决算"),
        ("某县水利局2023年度部门决算", "", "部门决算"),
    ],
)
def test_final_accounts_scope(title: str, body: str, scope: str) -> None:
    table = "\n".join(
        [
            "一般公共预算财政拨款支出决算表",
            "单位：元",
            "科目编码\t科目名称\t决算数",
            "\t合计\t100.00",
            "201\t一般公共服务支出\t100.00",
        ]
    )
    doc = extract_document(
        read_source((f"{title}\n{body}\n{table}\n").encode(), "scope.txt"), "scope.txt"
    )
    assert (doc.meta.document_kind, doc.meta.scope) == ("决算", scope)
