"""Synthetic variants of the 综合预算 layouts: classification groups, year groups, 会议费/培训费.

The tables below are invented (another department, figures chosen to add up) in the layout of the
Xi'an 部门综合预算 PDF (p. 20 表1, p. 33 表13), written as tab-separated text so that each trait
is tested on its own, independently of the PDF source layer.
"""

from __future__ import annotations

from decimal import Decimal

from orchestration.extract import statements
from orchestration.extract.records import DocumentExtraction
from orchestration.extract.text import to_lines

SUMMARY = "\n".join(
    [
        "部门综合预算收支总表",
        "单位：元",
        "收入\t\t支出\t\t\t\t\t",
        "项目\t预算数\t支出功能分类科目（按大类）\t预算数\t部门预算支出经济分类科目（按大类）\t预算数"
        "\t政府预算支出经济分类科目（按大类）\t预算数",
        "一、部门预算\t500.00\t一、部门预算\t500.00\t一、部门预算\t500.00\t一、部门预算\t500.00",
        "1、财政拨款\t500.00\t1、一般公共服务支出\t300.00\t1、人员经费和公用经费支出\t400.00"
        "\t1、机关工资福利支出\t350.00",
        "\t\t2、教育支出\t200.00\t(1)工资福利支出\t350.00\t2、机关商品和服务支出\t150.00",
        "\t\t3、其他支出\t\t(2)商品和服务支出\t50.00\t3、其他支出\t",
        "\t\t\t\t2、专项业务经费支出\t100.00\t\t",
        "本年收入合计\t500.00\t本年支出合计\t500.00\t本年支出合计\t500.00\t本年支出合计\t500.00",
        "收入总计\t500.00\t支出总计\t500.00\t支出总计\t500.00\t支出总计\t500.00",
    ]
)

THREE_PUBLIC = "\n".join(
    [
        "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表",
        "单位：元",
        "单位编码\t单位名称\t上年\t\t\t\t\t当年\t\t\t\t\t增减变化情况\t\t\t\t",
        "\t\t合计\t“三公”经费预算\t\t会议费\t培训费\t合计\t“三公”经费预算\t\t会议费\t培训费"
        "\t合计\t“三公”经费预算\t\t会议费\t培训费",
        "\t\t\t小计\t公务接待费\t\t\t\t小计\t公务接待费\t\t\t\t小计\t公务接待费\t\t",
        "合计\t\t90.00\t40.00\t40.00\t\t50.00\t80.00\t30.00\t30.00\t10.00\t40.00"
        "\t-10.00\t-10.00\t-10.00\t10.00\t-10.00",
        "201\t某某局\t90.00\t40.00\t40.00\t\t50.00\t80.00\t30.00\t30.00\t10.00\t40.00"
        "\t-10.00\t-10.00\t-10.00\t10.00\t-10.00",
    ]
)


def extract(text: str) -> DocumentExtraction:
    doc = DocumentExtraction()
    statements.extract(to_lines(text), "synthetic.txt", doc)
    return doc


def test_each_classification_group_is_a_side_of_its_own():
    doc = extract(SUMMARY)
    assert [t.statement_type for t in doc.tables] == ["income_expenditure_summary"]
    by_side: dict[str | None, list[str]] = {}
    for row in doc.rows:
        by_side.setdefault(row.side, []).append(row.name)
    assert by_side["expenditure"][:3] == ["部门预算", "一般公共服务支出", "教育支出"]
    assert by_side["expenditure_economic"][:3] == [
        "部门预算",
        "人员经费和公用经费支出",
        "工资福利支出",
    ]
    assert by_side["expenditure_government_economic"][:2] == ["部门预算", "机关工资福利支出"]
    # one amount per row and side: the groups are no longer mixed in one row
    per_row: dict[int, int] = {}
    for cell in doc.cells:
        per_row[cell.row_ordinal] = per_row.get(cell.row_ordinal, 0) + 1
    assert set(per_row.values()) == {1}
    rows = {(r.side, r.name): r for r in doc.rows}
    # 其他支出 on an economic side names an economic class, not the 功能分类 类 229
    other = rows[("expenditure_government_economic", "其他支出")]
    assert other.economic_name_government == "其他支出"
    assert other.economic_name_department is None
    personnel = rows[("expenditure_economic", "人员经费和公用经费支出")]
    assert personnel.economic_name_department == "人员经费和公用经费支出"
    children = [r for r in doc.rows if r.parent_row_ordinal == personnel.row_ordinal]
    assert [r.name for r in children] == ["工资福利支出", "商品和服务支出"]
    function_row = rows[("expenditure", "一般公共服务支出")]
    assert function_row.economic_name_department is None


def test_prior_year_and_change_groups_are_not_read():
    doc = extract(THREE_PUBLIC)
    assert [t.statement_type for t in doc.tables] == ["three_public_expenses"]
    first = next(r for r in doc.rows if r.name == "合计")
    cells = {c.measure: c.amount_printed for c in doc.cells if c.row_ordinal == first.row_ordinal}
    assert cells == {
        "three_public_with_meetings": Decimal("80.00"),
        "total": Decimal("30.00"),
        "official_reception": Decimal("30.00"),
        "meeting": Decimal("10.00"),
        "training": Decimal("40.00"),
    }
    paths = {c.column_path for c in doc.cells}
    assert all(p.startswith("当年") for p in paths), paths


def test_name_header_qualified_by_level_is_a_name_column():
    assert statements._NAME_HEADER_RE.search("支出功能分类科目按大类")
    assert not statements._NAME_HEADER_RE.search("预算数")


def test_comparison_groups_do_not_swallow_carryover():
    assert statements._COMPARISON_GROUP_RE.match("增减变化情况")
    assert statements._COMPARISON_GROUP_RE.match("上年")
    assert not statements._COMPARISON_GROUP_RE.match("上年结转")


def test_economic_code_pair_in_one_cell_keeps_the_department_code():
    code, code_raw = statements._join_code([("full", "30101|50101")], [])
    assert (code, code_raw) == ("30101", "30101|50101")
    assert statements._join_code([("full", "302/502")], [])[0] == "302"
    assert statements._join_code([("full", "2050101")], [])[0] == "2050101"
