"""The five example questions of docs/analyst-guide.md return the figures printed in the documents.

Each test runs the guide's SQL (kept identical here) against the session warehouse built from raw/
and compares with the figures of the sample documents, citing the line they are printed on.
阳泉 2025 prints 万元 to two decimals and rounds each total on its own, so sums of its leaves may
differ from a printed total by 0.01 万元 per summand (shared/docs/source-documents.md
§4.1); 闵行 2020 prints 元 and adds up exactly.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.slow

YANGQUAN = "yangquan-education-bureau-2025-department-budget.txt"
MINHANG = "minhang-education-institute-2020-unit-budget.txt"


def _document_id(warehouse, file_name: str) -> str:
    row = warehouse.execute(
        "select document_id from marts.dim_document where file_name = ?", [file_name]
    ).fetchone()
    assert row is not None, f"{file_name} is not in marts.dim_document"
    return row[0]


def test_q1_senior_high_school_by_fund_source(warehouse):
    """001 收入总表 line 152: 2050204 高中教育 8290.04 万元 =
    一般公共预算 7335.04 + 财政专户管理资金 955.00."""
    rows = warehouse.execute(
        """
        select
            d.file_name,
            r.function_code,
            c.function_name,
            s.fund_source_code,
            s.fund_source_name,
            sum(r.amount_yuan) as amount_yuan
        from marts.fct_budget_revenue as r
        inner join marts.dim_document as d on r.document_id = d.document_id
        inner join marts.dim_function_code as c on r.function_code = c.function_code
        inner join marts.dim_fund_source as s on r.fund_source_code = s.fund_source_code
        where r.function_code = '2050204' and d.is_current
        group by all
        """
    ).fetchall()
    got = {(row[0], row[3]): row[5] for row in rows if row[5] != 0}
    assert got == {
        (YANGQUAN, "general_public_budget"): Decimal("73350400.00"),
        (YANGQUAN, "special_account"): Decimal("9550000.00"),
    }
    assert {row[2] for row in rows} == {"高中教育"}


def test_q2_ten_largest_central_projects(warehouse):
    """001 项目支出绩效目标表, 年度 其中：中央财政资金 of each project (lines cited per row)."""
    rows = warehouse.execute(
        """
        select
            f.project_name,
            u.department_name,
            f.amount_yuan as central_annual_yuan,
            f.implementation_amount_yuan as central_implementation_yuan,
            f.source_line
        from marts.fct_project_funding as f
        inner join marts.dim_document as d on f.document_id = d.document_id
        inner join marts.dim_department as u on f.department_key = u.department_key
        where f.funding_level_code = 'central' and d.is_current
        order by f.amount_yuan desc nulls last, f.project_name
        limit 10
        """
    ).fetchall()
    assert [(row[1], row[2], row[4]) for row in rows[:9]] == [
        ("阳泉职业技术学院", Decimal("5920000.00"), 5247),
        ("阳泉师范高等专科学校", Decimal("4790000.00"), 5758),
        ("阳泉市第一高级职业中学", Decimal("4000000.00"), 3698),
        ("阳泉师范高等专科学校", Decimal("3480000.00"), 6034),
        ("阳泉职业技术学院", Decimal("3400000.00"), 5171),
        ("阳泉师范高等专科学校", Decimal("3200000.00"), 5689),
        ("阳泉职业技术学院", Decimal("2480000.00"), 5064),
        ("阳泉师范高等专科学校", Decimal("2150000.00"), 6072),
        ("阳泉职业技术学院", Decimal("2000000.00"), 5133),
    ]
    assert rows[9][2] == Decimal("1469900.00")  # 第一职校…免学杂（中央）, line 3303
    assert "奖学金（中央）" in rows[0][0]


def test_q2_needs_no_join_with_dim_project(warehouse):
    """fct_project_funding's project_name and department_key are those of the project in
    dim_project: the guide's query without the join returns what the join through dim_project
    returns, for every central funding row (not only the top ten)."""
    through_dim_project = warehouse.execute(
        """
        select p.project_name, u.department_name, f.project_funding_key
        from marts.fct_project_funding as f
        inner join marts.dim_project as p on f.project_key = p.project_key
        inner join marts.dim_department as u on p.department_key = u.department_key
        where f.funding_level_code = 'central'
        order by all
        """
    ).fetchall()
    denormalised = warehouse.execute(
        """
        select f.project_name, u.department_name, f.project_funding_key
        from marts.fct_project_funding as f
        inner join marts.dim_department as u on f.department_key = u.department_key
        where f.funding_level_code = 'central'
        order by all
        """
    ).fetchall()
    assert len(through_dim_project) >= 10
    assert denormalised == through_dim_project


def test_q3_personnel_public_project_share(warehouse):
    """004 T1 支出总计 (line 97), 元: 人员 47,321,695.47 | 公用 6,911,881.86 | 项目 50,499,903.60.
    001, 万元: T6 合计 (line 326) 人员 33118.89 | 公用 4931.69; T3 合计 (line 187) 项目 18678.24."""
    rows = warehouse.execute(
        """
        with

        basic as (
            select document_id, department_key, cost_type as part, sum(amount_yuan) as amount_yuan
            from marts.fct_basic_expenditure_economic
            group by all
        ),

        project as (
            select document_id, department_key, 'project' as part, sum(amount_yuan) as amount_yuan
            from marts.fct_budget_expenditure
            where expenditure_type = 'project'
            group by all
        ),

        parts as (
            select * from basic
            union all
            select * from project
        )

        select
            d.file_name,
            u.department_name,
            parts.part,
            t.expenditure_type_name,
            parts.amount_yuan,
            round(
                100 * parts.amount_yuan
                / sum(parts.amount_yuan) over (
                    partition by parts.document_id, parts.department_key
                ),
                2
            ) as share_pct
        from parts
        inner join marts.dim_department as u on parts.department_key = u.department_key
        inner join marts.dim_document as d on parts.document_id = d.document_id
        inner join marts.dim_expenditure_type as t on parts.part = t.expenditure_type
        where d.is_current
        """
    ).fetchall()
    got = {(row[0], row[2]): (row[4], float(row[5])) for row in rows}
    assert got[(MINHANG, "basic_personnel")] == (Decimal("47321695.47"), 45.18)
    assert got[(MINHANG, "basic_public")] == (Decimal("6911881.86"), 6.60)
    assert got[(MINHANG, "project")] == (Decimal("50499903.60"), 48.22)
    # 001: leaves of T6 sum to 33118.87 against the printed 33118.89 (rows rounded on their own).
    assert abs(got[(YANGQUAN, "basic_personnel")][0] - Decimal("331188900")) <= 200
    assert got[(YANGQUAN, "basic_public")][0] == Decimal("49316900.00")
    # T3 项目支出 合计 18678.24; its leaves sum to 18678.23 (205 project 18678.20 vs .19, §4.1).
    assert abs(got[(YANGQUAN, "project")][0] - Decimal("186782400")) <= 100
    assert {row[1] for row in rows if row[0] == YANGQUAN} == {"阳泉市教育局"}


def test_q4_three_public_expenses(warehouse):
    """001 T10 line 424 ②公务用车运行维护费 54.00, T11 line 434 阳泉市教育局 60.35 (万元);
    004 table 8 line 365: 10.27 | 0 | 0.67 | 9.6 | 0 | 9.6 | 0 (万元)."""
    rows = warehouse.execute(
        """
        select
            d.file_name,
            i.item_code,
            i.item_name,
            i.is_three_public,
            sum(t.amount_yuan) as amount_yuan
        from marts.fct_three_public_expenses as t
        inner join marts.dim_document as d on t.document_id = d.document_id
        inner join marts.dim_expense_item as i on t.item_code = i.item_code
        where d.is_current
        group by all
        """
    ).fetchall()
    got = {(row[0], row[1]): row[4] for row in rows}
    assert got == {
        (YANGQUAN, "vehicle_operation"): Decimal("540000.00"),
        (YANGQUAN, "agency_operating"): Decimal("603500.00"),
        (MINHANG, "outbound_travel"): Decimal("0.00"),
        (MINHANG, "official_reception"): Decimal("6700.00"),
        (MINHANG, "vehicle_purchase"): Decimal("0.00"),
        (MINHANG, "vehicle_operation"): Decimal("96000.00"),
        (MINHANG, "agency_operating"): Decimal("0.00"),
    }
    three_public_004 = sum(row[4] for row in rows if row[0] == MINHANG and row[3])
    assert three_public_004 == Decimal("102700.00")  # 三公 合计 10.27 万元


def test_q5_wages_by_government_economic_code(warehouse):
    """001 T6 lines 328-344 (names only): 工资福利支出 31117.99 万元 split by 政府经济分类 款;
    004 T7 line 305 301 工资福利支出 47,213,335.47 元 (部门 system only)."""
    rows = warehouse.execute(
        """
        select
            d.file_name,
            b.government_economic_code,
            g.economic_name as government_economic_name,
            sum(b.amount_yuan) as amount_yuan
        from marts.fct_basic_expenditure_economic as b
        inner join marts.dim_document as d on b.document_id = d.document_id
        inner join marts.dim_economic_code as e on b.economic_code = e.economic_code
        left join marts.dim_economic_code as g on b.government_economic_code = g.economic_code
        where e.parent_code = '301' and d.is_current
        group by all
        """
    ).fetchall()
    got = {(row[0], row[1]): (row[2], row[3]) for row in rows}
    assert got == {
        (YANGQUAN, "50101"): ("工资奖金津补贴", Decimal("3034600.00")),  # 160.26 + 87.56 + 55.64
        (YANGQUAN, "50102"): ("社会保障缴费", Decimal("920200.00")),  # 46.61 + 23.30 + 21.53 + 0.58
        (YANGQUAN, "50103"): ("住房公积金", Decimal("395800.00")),  # 39.58
        (YANGQUAN, "50501"): ("工资福利支出", Decimal("306829200.00")),
        (MINHANG, None): (None, Decimal("47213335.47")),
    }
    yangquan_total = sum(amount for (doc, _), (_, amount) in got.items() if doc == YANGQUAN)
    # printed 31117.99 万元; the rows sum to 31117.98
    assert abs(yangquan_total - Decimal("311179900")) <= 100
