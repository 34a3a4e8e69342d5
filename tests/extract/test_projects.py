"""Project budget tables (项目支出预算表): fixtures from 001 and synthetic variants.

Expected values are read from the documents as printed; line numbers cite the fixture file
(or, for whole-document tests, ``raw/yangquan-education-bureau-2025-department-budget.txt``).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.extract import projects, statements
from orchestration.extract.records import DocumentExtraction, StatementRow
from orchestration.extract.text import to_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
RAW = Path(__file__).resolve().parents[2] / "raw"
DOC_001 = RAW / "yangquan-education-bureau-2025-department-budget.txt"
DOC_003 = RAW / "kaijiang-teaching-research-office-2023-performance-approval.md"
DOC_004 = RAW / "minhang-education-institute-2020-unit-budget.txt"
D = Decimal


def run(path: Path) -> DocumentExtraction:
    """The project lists of a document, read by the statement reader (other tables dropped)."""
    doc = DocumentExtraction()
    statements.extract(to_lines(path.read_text(encoding="utf-8")), path.name, doc)
    kept = {t.table_ordinal for t in doc.tables if t.statement_type in projects.PROJECT_TYPES}
    doc.tables = [t for t in doc.tables if t.table_ordinal in kept]
    doc.rows = [r for r in doc.rows if r.table_ordinal in kept]
    doc.cells = [c for c in doc.cells if c.table_ordinal in kept]
    return doc


def rows_of(doc: DocumentExtraction, statement_type: str) -> list[StatementRow]:
    (table,) = [t for t in doc.tables if t.statement_type == statement_type]
    return [r for r in doc.rows if r.table_ordinal == table.table_ordinal]


def cell(doc: DocumentExtraction, row: StatementRow, measure: str):
    (found,) = [
        c
        for c in doc.cells
        if c.table_ordinal == row.table_ordinal
        and c.row_ordinal == row.row_ordinal
        and c.measure == measure
    ]
    return found


def total(doc: DocumentExtraction, row: StatementRow) -> Decimal:
    return cell(doc, row, "total").amount_printed


# --- whole document 001 ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def doc_001() -> DocumentExtraction:
    return run(DOC_001)


def test_001_t12_role_counts(doc_001: DocumentExtraction) -> None:
    # §1.2: line 443 department total, 21 unit subtotals, 222 projects.
    rows = rows_of(doc_001, "project_expenditure")
    assert Counter(r.row_role for r in rows) == {"total": 1, "subtotal": 21, "detail": 222}
    assert not doc_001.warnings


def test_001_t12_table_record(doc_001: DocumentExtraction) -> None:
    # lines 436 (title), 438 "部门名称：阳泉市教育局单位：万元", 440–442 header, 694 last project.
    (table,) = [t for t in doc_001.tables if t.statement_type == "project_expenditure"]
    assert (table.title_line, table.unit, table.unit_line) == (436, "万元", 438)
    assert table.department_name == "阳泉市教育局"
    assert table.header_lines == [440, 441, 442]
    assert table.last_line == 694


def test_001_t12_units_and_project_counts(doc_001: DocumentExtraction) -> None:
    # §1.2 table of unit headers: (line, name, 合计, number of projects).
    expected = [
        (444, "阳泉市教育局", "192.74", 10),
        (455, "阳泉市第一中学校", "1149.08", 12),
        (468, "阳泉市第二中学校", "127.23", 9),
        (479, "阳泉市第二中学校高中部", "522.38", 10),
        (490, "阳泉市第十一中学校", "100.61", 7),
        (498, "阳泉市第十一中学校高中部", "713.30", 16),
        (518, "阳泉市第一高级职业中学", "1069.92", 20),
        (539, "阳泉开放大学", "370.00", 3),
        (543, "阳泉市特殊教育学校", "154.51", 18),
        (563, "阳泉职业技术学院", "5418.60", 22),
        (586, "阳泉师范高等专科学校", "4876.94", 29),
        (617, "阳泉师范高等专科学校附属学校", "220.16", 10),
        (628, "阳泉市实验中学", "224.97", 7),
        (637, "阳泉市实验幼儿园", "193.97", 10),
        (648, "阳泉市招生考试管理中心", "535.00", 7),
        (656, "阳泉市教育发展研究中心", "3.60", 3),
        (660, "阳泉市教学研究中心", "8.60", 2),
        (663, "阳泉市教育技术中心（阳泉市电化教育馆）", "1.30", 2),
        (666, "阳泉市教育服务中心（阳泉市学生服务中心）", "22.05", 10),
        (678, "阳泉市文化艺术学校", "282.23", 9),
        (688, "阳泉市第一中学校初中部", "58.88", 6),
    ]
    rows = rows_of(doc_001, "project_expenditure")
    units = [r for r in rows if r.row_role == "subtotal"]
    got = [
        (
            r.source_line,
            r.unit_name,
            str(total(doc_001, r)),
            sum(1 for p in rows if p.parent_row_ordinal == r.row_ordinal),
        )
        for r in units
    ]
    assert got == expected
    assert all(u.level == 1 and u.parent_row_ordinal == 1 for u in units)


def test_001_t12_identities(doc_001: DocumentExtraction) -> None:
    rows = rows_of(doc_001, "project_expenditure")
    (dept,) = [r for r in rows if r.row_role == "total"]
    units = [r for r in rows if r.row_role == "subtotal"]
    details = [r for r in rows if r.row_role == "detail"]
    # line 443: 阳泉市教育局 16246.07 = 8073.93 GPB + 8172.14 专户; named like the first unit (444).
    assert (dept.source_line, dept.name, dept.level) == (443, "阳泉市教育局", 0)
    assert total(doc_001, dept) == D("16246.07")
    assert sum(total(doc_001, u) for u in units) == D("16246.07")  # §4.1: exact
    assert sum(total(doc_001, p) for p in details) == D("16246.08")  # §4.1: rounding
    for unit in units:
        members = [p for p in details if p.parent_row_ordinal == unit.row_ordinal]
        deviation = abs(total(doc_001, unit) - sum(total(doc_001, p) for p in members))
        assert deviation <= len(members) * D("0.005"), unit.name
        assert all(p.unit_name == unit.unit_name and p.level == 2 for p in members)


def test_001_t12_special_rounding_unit(doc_001: DocumentExtraction) -> None:
    # line 543: 阳泉市特殊教育学校 154.51 over 18 projects summing to 154.52.
    rows = rows_of(doc_001, "project_expenditure")
    (unit,) = [r for r in rows if r.row_role == "subtotal" and r.name == "阳泉市特殊教育学校"]
    members = [r for r in rows if r.parent_row_ordinal == unit.row_ordinal]
    assert sum(total(doc_001, p) for p in members) == D("154.52")


def test_001_t12_anomalous_rows_as_printed(doc_001: DocumentExtraction) -> None:
    rows = {r.source_line: r for r in rows_of(doc_001, "project_expenditure")}
    # line 509: 消防设施设备购置 35.20 = 0.20 GPB + 35.00 专户.
    fire = rows[509]
    assert (fire.project_name, fire.unit_name) == ("消防设施设备购置", "阳泉市第十一中学校高中部")
    assert cell(doc_001, fire, "general_public_budget").amount_printed == D("0.20")
    assert cell(doc_001, fire, "special_account").amount_printed == D("35.00")
    # line 510: "补充公用经费（专户）（预拨）" 35.00 printed in the GPB column; 专户 blank.
    swap = rows[510]
    assert cell(doc_001, swap, "general_public_budget").amount_printed == D("35.00")
    blank = cell(doc_001, swap, "special_account")
    assert (blank.amount_printed, blank.is_blank, blank.raw_text) == (None, True, "")


def test_001_t12_cells(doc_001: DocumentExtraction) -> None:
    # line 455: 阳泉市第一中学校 1149.08 | 549.08 | | | 600.00 |
    rows = {r.source_line: r for r in rows_of(doc_001, "project_expenditure")}
    row = rows[455]
    cells = [
        c
        for c in doc_001.cells
        if c.table_ordinal == row.table_ordinal and c.row_ordinal == row.row_ordinal
    ]
    assert [(c.column_ordinal, c.column_path, c.measure, c.raw_text) for c in cells] == [
        (1, "合计", "total", "1149.08"),
        (2, "2025年财政拨款 / 一般公共预算", "general_public_budget", "549.08"),
        (3, "2025年财政拨款 / 政府性基金预算", "government_fund_budget", ""),
        (4, "2025年财政拨款 / 国有资本经营预算", "state_capital_budget", ""),
        (5, "财政专户管理资金", "special_account", "600.00"),
        (6, "单位资金", "unit_funds", ""),
    ]
    assert cells[0].amount_yuan == D("11490800.00")
    assert cells[0].unit == "万元"


def test_001_project_names_repeat_across_units(doc_001: DocumentExtraction) -> None:
    details = [r for r in rows_of(doc_001, "project_expenditure") if r.row_role == "detail"]
    keys = [(r.unit_name, r.project_name) for r in details]
    names = Counter(r.project_name for r in details)
    assert names["遗属补助"] > 1  # lines 467 and 497 (two units)
    assert len(set(keys)) == len(keys)  # (unit, name) is a key


def test_001_t13_chain(doc_001: DocumentExtraction) -> None:
    # lines 705–707: 阳泉市教育局 → 阳泉市第二中学校高中部 → 基建支出, each 2432.16.
    rows = rows_of(doc_001, "project_expenditure_carryover")
    got = [(r.source_line, r.row_role, r.level, r.unit_name, r.project_name) for r in rows]
    assert got == [
        (705, "total", 0, None, None),
        (706, "subtotal", 1, "阳泉市第二中学校高中部", None),
        (707, "detail", 2, "阳泉市第二中学校高中部", "基建支出"),
    ]
    assert [total(doc_001, r) for r in rows] == [D("2432.16")] * 3


@pytest.mark.parametrize("path", [DOC_003, DOC_004], ids=["003-no-project-table", "004-unit"])
def test_documents_without_project_table(path: Path) -> None:
    doc = run(path)
    assert (doc.tables, doc.rows, doc.cells, doc.warnings) == ([], [], [], [])


# --- fixtures -------------------------------------------------------------------------------
def test_fixture_t13_excerpt() -> None:
    # 001 lines 696–707 verbatim: the carry-over table with its three-level chain.
    doc = run(FIXTURES / "yangquan_2025_t13_carryover.txt")
    rows = rows_of(doc, "project_expenditure_carryover")
    assert [r.row_role for r in rows] == ["total", "subtotal", "detail"]
    assert [r.parent_row_ordinal for r in rows] == [None, 1, 2]
    # Only the three 财政拨款 columns: no 专户 / 单位资金 in T13 (001 lines 702–703).
    assert {c.measure for c in doc.cells} == {
        "total",
        "general_public_budget",
        "government_fund_budget",
        "state_capital_budget",
    }


def test_fixture_truncated_table_warns_instead_of_guessing() -> None:
    # 001 lines 436–454: the department total (16246.07) over only the first unit (192.74):
    # the arithmetic cannot hold, so the extractor keeps every row and says so.
    doc = run(FIXTURES / "yangquan_2025_t12_truncated.txt")
    rows = rows_of(doc, "project_expenditure")
    assert len(rows) == 12
    assert [w.kind for w in doc.warnings] == ["unsegmented_project_table"]
    assert {r.row_role for r in rows} == {"detail"}


def test_fixture_district_bureau_in_yuan() -> None:
    # Synthetic: other bureau, 元, extra 上级补助收入 / 事业收入 columns, a unit with one project,
    # a project name (遗属补助) in two units, thousands separators.
    doc = run(FIXTURES / "synthetic_district_bureau_yuan.txt")
    (table,) = doc.tables
    assert (table.unit, table.label, table.department_name) == ("元", "预算公开表9", "示例区教育局")
    rows = rows_of(doc, "project_expenditure")
    got = [(r.source_line, r.row_role, r.unit_name, r.project_name) for r in rows]
    assert got == [
        (13, "total", None, None),
        (14, "subtotal", "示例区第三小学", None),
        (15, "detail", "示例区第三小学", "校舍维修"),
        (16, "detail", "示例区第三小学", "遗属补助"),
        (17, "subtotal", "示例区青少年活动中心", None),
        (18, "detail", "示例区青少年活动中心", "场馆运行"),
        (19, "subtotal", "示例区职业学校", None),
        (20, "detail", "示例区职业学校", "遗属补助"),
        (21, "detail", "示例区职业学校", "实训设备购置"),
        (22, "detail", "示例区职业学校", "学生资助"),
    ]
    # line 13: 1,250,300.00 | 1,000,000.00 | 200,000.00 | 50,300.00 | (blank 事业收入)
    dept = rows[0]
    assert total(dept_doc := doc, dept) == D("1250300.00")
    assert cell(dept_doc, dept, "superior_subsidy").amount_yuan == D("50300.00")
    business = cell(dept_doc, dept, "business_income")
    assert (business.amount_printed, business.is_blank) == (None, True)
    assert cell(doc, dept, "government_fund_budget").column_path == "财政拨款 / 政府性基金预算"


def test_fixture_rounding_and_page_break() -> None:
    # Synthetic 万元: a unit whose subtotal 10.01 rounds over 3 × 3.34 = 10.02 (line 19),
    # a watermark, a page number and a repeated header between units, a single-project unit
    # (line 24), and an empty carry-over table with only its total row (line 36).
    doc = run(FIXTURES / "synthetic_city_commission_rounding.txt")
    assert not doc.warnings
    rows = rows_of(doc, "project_expenditure")
    assert Counter(r.row_role for r in rows) == {"total": 1, "subtotal": 3, "detail": 6}
    by_line = {r.source_line: r for r in rows}
    assert by_line[8].row_role == "total" and by_line[9].row_role == "subtotal"
    assert by_line[8].name == by_line[9].name == "示例市卫生健康委员会"
    rounding = [r for r in rows if r.parent_row_ordinal == by_line[19].row_ordinal]
    assert [r.source_line for r in rounding] == [20, 21, 22]
    assert by_line[25].unit_name == "示例市卫生学校"
    assert cell(doc, by_line[25], "special_account").amount_yuan == D("100000.00")
    (carry,) = [t for t in doc.tables if t.statement_type == "project_expenditure_carryover"]
    assert (carry.is_empty, carry.empty_note) == (True, "注：本表无数据")
    (lone,) = rows_of(doc, "project_expenditure_carryover")
    assert (lone.row_role, total(doc, lone)) == ("total", None)


def test_fixture_unreadable_cell_and_unknown_column() -> None:
    # Synthetic: line 8 "教研活动 | 1,5OO.00" (letter O): that cell cannot be read, the row and
    # its readable 一般公共预算 1,500.00 are kept; "其他资金" has no measure.
    doc = run(FIXTURES / "synthetic_unit_bottom_total_unreadable.txt")
    kinds = {w.kind: w for w in doc.warnings}
    assert kinds["unreadable_cell"].source_line == 8
    assert kinds["unreadable_cell"].text == "1,5OO.00"
    assert kinds["unknown_column"].text == "其他资金"
    rows = rows_of(doc, "project_expenditure")
    assert [r.source_line for r in rows] == [6, 7, 8, 9]
    # line 9 合计 11,500.00 = 8,000.00 + 2,000.00 + 1,500.00 (the 一般公共预算 of line 8)
    assert [r.row_role for r in rows] == ["detail", "detail", "detail", "total"]
    assert [c.measure for c in doc.cells if c.source_line == 8] == [
        "general_public_budget",
        "unknown",
    ]


def test_fixture_category_column_is_no_part_of_the_name() -> None:
    # Synthetic: 单位名称 | 项目类别 | 项目名称 | 合计 … (lines 7-13) and
    # 项目名称 | 项目类型 | 合计 … (lines 19-22): the category (特定目标类 / 其他运转类)
    # classifies a project, it neither names it nor is an amount.
    # Line 8 合计 800.00 = 500.00 (line 9) + 300.00 (line 12).
    doc = run(FIXTURES / "synthetic_category_columns.txt")
    assert not doc.warnings
    rows = rows_of(doc, "project_expenditure")
    got = [(r.source_line, r.row_role, r.unit_name, r.project_name) for r in rows]
    assert got == [
        (8, "total", None, None),
        (9, "subtotal", "示例县农业农村局", None),
        (10, "detail", "示例县农业农村局", "高标准农田建设"),
        (11, "detail", "示例县农业农村局", "信息系统运维"),
        (12, "subtotal", "示例县农业技术推广站", None),
        (13, "detail", "示例县农业技术推广站", "良种推广补助"),
    ]
    assert total(doc, rows[3]) == D("200.00")
    carry = rows_of(doc, "project_expenditure_carryover")
    assert [(r.row_role, r.project_name, total(doc, r)) for r in carry] == [
        ("total", None, D("60.00")),
        ("detail", "信息系统运维", D("40.00")),
        ("detail", "农机购置补贴", D("20.00")),
    ]
    assert {c.column_path for c in doc.cells} == {"合计", "一般公共预算", "政府性基金预算"}


def test_fixture_category_column_printed_first() -> None:
    # Synthetic: 项目类别 | 项目名称 | 合计 | 一般公共预算 (line 7): the category printed before the
    # name is no name either. Line 10 合计 120,000.00 = 90,000.00 + 30,000.00.
    doc = run(FIXTURES / "synthetic_category_first.txt")
    assert not doc.warnings
    rows = rows_of(doc, "project_expenditure")
    assert [(r.row_role, r.name, r.project_name, total(doc, r)) for r in rows] == [
        ("detail", "档案数字化", "档案数字化", D("90000.00")),
        ("detail", "库房运行维护", "库房运行维护", D("30000.00")),
        ("total", "合计", None, D("120000.00")),
    ]


# --- segmentation ---------------------------------------------------------------------------
HALF = D("0.005")


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        pytest.param(
            ["10", "4", "1", "3", "6", "6"],
            projects.Segmentation(0, ((1, (2, 3)), (4, (5,))), ()),
            id="department-two-units-one-single-project",
        ),
        pytest.param(["5", "2", "3"], projects.Segmentation(0, (), (1, 2)), id="flat-total-first"),
        pytest.param(["2", "3", "5"], projects.Segmentation(2, (), (0, 1)), id="flat-total-last"),
        pytest.param(
            ["4", "1", "3", "6", "6"],
            projects.Segmentation(None, ((0, (1, 2)), (3, (4,))), ()),
            id="units-without-department-total",
        ),
        pytest.param(
            ["7", "7", "7"], projects.Segmentation(0, ((1, (2,)),), ()), id="chain-like-001-t13"
        ),
        pytest.param(
            ["20.02", "10.01", "3.34", "3.34", "3.34", "10.00", "10.00"],
            projects.Segmentation(0, ((1, (2, 3, 4)), (5, (6,))), ()),
            id="rounded-subtotal",
        ),
        pytest.param(
            ["10", "4", "6", "0", "0", "5", "5"],
            projects.Segmentation(None, ((0, (1, 2, 3, 4)), (5, (6,))), ()),
            id="zero-projects-stay-projects",
        ),
        pytest.param(["10", "4", "5"], None, id="does-not-add-up"),
    ],
)
def test_segment_rows(totals: list[str], expected: projects.Segmentation | None) -> None:
    assert projects.segment_rows([D(t) for t in totals], HALF) == expected


def test_column_paths_span_group_labels() -> None:
    # 001 lines 440–441: "2025年财政拨款" spans its three sub-columns.
    header = [
        ("项目名称", "合计", "2025年财政拨款", "", "", "财政专户管理资金", "单位资金"),
        ("", "", "一般公共预算", "政府性基金预算", "国有资本经营预算", "", ""),
    ]
    assert statements.header_paths(header, 7) == [
        ("项目名称",),
        ("合计",),
        ("2025年财政拨款", "一般公共预算"),
        ("2025年财政拨款", "政府性基金预算"),
        ("2025年财政拨款", "国有资本经营预算"),
        ("财政专户管理资金",),
        ("单位资金",),
    ]


def test_label_over_a_blank_spans_down_not_across() -> None:
    # Shenzhen 2026 p. 23 (表5 项目支出总表, lines 337–339): "支出项目类别" over a blank heads
    # only its own column; "总计" one line lower is no part of it; "2026 年预算" spans every
    # amount column.
    header = [
        ("支出项目类别", "", "2026 年预算", "", ""),
        ("", "总计", "财政拨款", "", "财政专户管理资金"),
        ("", "", "一般公共预算拨款", "政府性基金预算拨款", ""),
    ]
    assert statements.header_paths(header, 5) == [
        ("支出项目类别",),
        ("总计",),
        ("2026 年预算", "财政拨款", "一般公共预算拨款"),
        ("2026 年预算", "财政拨款", "政府性基金预算拨款"),
        ("2026 年预算", "财政专户管理资金"),
    ]
