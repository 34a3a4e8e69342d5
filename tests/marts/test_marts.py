"""Contracts of the `marts` schema: no fact double counts, every figure has one disposition,
dimensions conform names, and no personal data reaches the marts.

Printed totals are cited with their document line. 阳泉 2025 (万元, 2 decimals) is compared within
its own rounding (±0.01 万元 per printed summand, source-documents.md §4.1); 闵行 2020 and 开江 2023
(元) exactly.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.slow

YANGQUAN = "yangquan-education-bureau-2025-department-budget.txt"
MINHANG = "minhang-education-institute-2020-unit-budget.txt"
KAIJIANG = "kaijiang-teaching-research-office-2023-performance-approval.md"

FACTS = (
    "fct_budget_revenue",
    "fct_budget_expenditure",
    "fct_appropriation_expenditure",
    "fct_basic_expenditure_economic",
    "fct_three_public_expenses",
    "fct_project_budget",
    "fct_project_funding",
    "fct_overall_target_funding",
)


def _fact_total(warehouse, fact: str, file_name: str, where: str = "true") -> Decimal:
    row = warehouse.execute(
        f"""
        select coalesce(sum(f.amount_yuan), 0)
        from marts.{fact} as f
        inner join marts.dim_document as d on f.document_id = d.document_id
        where d.file_name = ? and {where}
        """,
        [file_name],
    ).fetchone()
    return row[0]


@pytest.mark.parametrize(
    ("fact", "file_name", "printed_yuan", "tolerance"),
    [
        # 001 收入总表 合计 54296.65 + 上年结转 2432.16 (line 140); T1 收入总计 56728.82 (line 128)
        ("fct_budget_revenue", YANGQUAN, Decimal("567288200"), 100),
        # 004 收入预算总表 合计 (line 148)
        ("fct_budget_revenue", MINHANG, Decimal("104733480.93"), 0),
        # 001 支出总表 合计 56728.82 (line 187)
        ("fct_budget_expenditure", YANGQUAN, Decimal("567288200"), 100),
        # 004 支出预算总表 合计 (line 197)
        ("fct_budget_expenditure", MINHANG, Decimal("104733480.93"), 0),
        # 001 一般公共预算支出表 合计 46124.51; 004 一般公共预算支出功能分类预算表 合计
        ("fct_appropriation_expenditure", YANGQUAN, Decimal("461245100"), 0),
        ("fct_appropriation_expenditure", MINHANG, Decimal("104733480.93"), 0),
        # 001 T6 合计 38050.58 (line 326): leaves sum to 38050.56 (two 0.01 roundings, §4.1)
        ("fct_basic_expenditure_economic", YANGQUAN, Decimal("380505800"), 200),
        # 004 T7 合计 54,233,577.33
        ("fct_basic_expenditure_economic", MINHANG, Decimal("54233577.33"), 0),
        # 001 T12 16246.07 + T13 2432.16: 222 project rows sum to 16246.08 (§4.1)
        ("fct_project_budget", YANGQUAN, Decimal("186782300"), 100),
        # 001 整体支出绩效目标 合计 54296.65 (line 856); 003 预算支出总额 2,630,574.00 (line 18)
        ("fct_overall_target_funding", YANGQUAN, Decimal("542966500"), 0),
        ("fct_overall_target_funding", KAIJIANG, Decimal("2630574.00"), 0),
    ],
)
def test_fact_sums_to_printed_total(warehouse, fact, file_name, printed_yuan, tolerance):
    """Summing a whole fact gives the printed total: no total row or column beside its parts."""
    assert abs(_fact_total(warehouse, fact, file_name) - printed_yuan) <= tolerance


def test_three_public_total(warehouse):
    """001 T10 合计 54.00 万元 (line 425); 004 table 8 三公 合计 10.27 万元 (line 365)."""
    fact = "fct_three_public_expenses"
    assert _fact_total(warehouse, fact, YANGQUAN, "f.is_three_public") == Decimal("540000")
    assert _fact_total(warehouse, fact, MINHANG, "f.is_three_public") == Decimal("102700")


def test_project_funding_periods_never_added(warehouse):
    """004: Σ 当年预算 of 22 projects = 50,499,903.60 = 支出总表 项目支出 (line 197), all 本级."""
    assert _fact_total(warehouse, "fct_project_funding", MINHANG) == Decimal("50499903.60")
    levels = warehouse.execute(
        """
        select f.funding_level_code, sum(f.amount_yuan)
        from marts.fct_project_funding as f
        inner join marts.dim_document as d on f.document_id = d.document_id
        where d.file_name = ? and f.amount_yuan <> 0
        group by all
        """,
        [MINHANG],
    ).fetchall()
    assert levels == [("same_level", Decimal("50499903.60"))]


def test_every_statement_figure_has_exactly_one_disposition(warehouse):
    """Each printed amount cell feeds one fact, or is a blank / total / repeated summary cell."""
    rows = warehouse.execute(
        """
        select count(*)
        from intermediate.int_statement_cells_routed
        where (destination_fact is null) = (exclusion_reason is null)
            or exclusion_reason = 'unrouted_statement_type'
        """
    ).fetchone()
    assert rows[0] == 0
    counts = dict(
        warehouse.execute(
            """
            select destination_fact, count(*)
            from intermediate.int_statement_cells_routed
            where destination_fact is not null
            group by all
            """
        ).fetchall()
    )
    assert set(counts) == {
        "fct_budget_revenue",
        "fct_budget_expenditure",
        "fct_appropriation_expenditure",
        "fct_basic_expenditure_economic",
        "fct_three_public_expenses",
        "fct_project_budget",
    }


def test_fact_rows_match_routed_cells(warehouse):
    """Every routed cell is one fact row; every statement fact row comes from one routed cell."""
    for fact in FACTS[:6]:
        fact_rows = warehouse.execute(f"select count(*) from marts.{fact}").fetchone()[0]
        routed = warehouse.execute(
            "select count(*) from intermediate.int_statement_cells_routed"
            " where destination_fact = ?",
            [fact],
        ).fetchone()[0]
        assert fact_rows == routed, fact


def test_money_is_decimal_18_2(warehouse):
    rows = warehouse.execute(
        """
        select table_name, column_name, data_type
        from information_schema.columns
        where table_schema = 'marts' and column_name like '%amount_yuan'
        """
    ).fetchall()
    assert rows, "no amount columns in marts"
    assert {row[2] for row in rows} == {"DECIMAL(18,2)"}, rows


def test_no_personal_data_in_marts(warehouse):
    rows = warehouse.execute(
        """
        select table_name, column_name
        from information_schema.columns
        where table_schema = 'marts'
            and (
                column_name like '%person%'
                or column_name like '%phone%'
                or column_name like '%contact%'
            )
        """
    ).fetchall()
    assert rows == []


def test_function_code_variants_conform(warehouse):
    """2050701 is printed 特殊学校教育 (T2 line 160), 特殊教育学校教育 (T3 line 206) and
    特殊教育教育 (T5 line 299)."""
    name, printed = warehouse.execute(
        "select function_name, printed_names from marts.dim_function_code"
        " where function_code = '2050701'"
    ).fetchone()
    assert name == "特殊学校教育"
    assert set(printed.split(" | ")) >= {"特殊学校教育", "特殊教育学校教育", "特殊教育教育"}
    classes = warehouse.execute(
        "select count(*) from marts.dim_function_code where level = '类' and is_in_reference"
    ).fetchone()[0]
    assert classes == 30


def test_class_rows_map_by_name_not_ordinal(warehouse):
    """004 T4 prints the 2020 name 资源勘探信息等支出 and the truncated 自然资源海洋气."""
    rows = dict(
        warehouse.execute(
            """
            select distinct row_name, function_code
            from intermediate.int_statement_cells
            where file_name = ? and statement_type = 'appropriation_summary'
                and row_name in ('资源勘探信息等支出', '自然资源海洋气', '教育支出')
            """,
            [MINHANG],
        ).fetchall()
    )
    assert rows == {"资源勘探信息等支出": "215", "自然资源海洋气": "220", "教育支出": "205"}


def test_departments_conform_across_variants(warehouse):
    """001: 21 unit headers of T12, OCR variants of 实施单位 resolved by the alias seed."""
    units = dict(
        warehouse.execute(
            """
            select department_name, department_level
            from marts.dim_department
            where region_code = '140300' and resolution_status = 'statement'
            """
        ).fetchall()
    )
    assert units["阳泉市教育局"] == "department"
    assert units["阳泉市第二中学校高中部"] == "sub_unit"
    assert units["阳泉市第一高级职业中学"] == "unit"
    assert "阳泉市第一高级中学" not in units  # OCR variant of 第一高级职业中学, resolved by alias
    assert len(units) == 21
    code = warehouse.execute(
        "select department_code from marts.dim_department where department_name = '阳泉市教育局'"
    ).fetchone()[0]
    assert code == "051"
    parent = warehouse.execute(
        """
        select p.department_name
        from marts.dim_department as c
        inner join marts.dim_department as p on c.parent_department_key = p.department_key
        where c.department_name = '阳泉市第二中学校高中部'
        """
    ).fetchone()[0]
    assert parent == "阳泉市第二中学校"


def test_documents_have_region_and_sources(warehouse):
    rows = {
        row[0]: row[1:]
        for row in warehouse.execute(
            "select file_name, region_code, region_source, fiscal_year, issuer_level"
            " from marts.dim_document"
        ).fetchall()
    }
    assert rows[YANGQUAN] == ("140300", "inferred", 2025, "department")
    assert rows[MINHANG] == ("310112", "inferred", 2020, "unit")
    assert rows[KAIJIANG] == ("511723", "manifest", 2023, "unit")


def test_economic_names_map_to_both_systems(warehouse):
    """001 T6 line 328/329: 基本工资 under 工资奖金津补贴 (50101) and under 工资福利支出 (50501)."""
    pairs = warehouse.execute(
        "select government_economic_code from marts.bridge_economic_code_mapping"
        " where economic_code = '30101'"
    ).fetchall()
    assert sorted(pair[0] for pair in pairs) == ["50101", "50501"]
    unmapped = warehouse.execute(
        "select count(*) from marts.fct_basic_expenditure_economic where economic_code is null"
    ).fetchone()[0]
    assert unmapped == 0


def test_unresolved_names_are_reported_not_dropped(warehouse):
    """Names printed only as 主管部门 of performance tables are listed, with the unmatched tables.

    001: "D05-中国共产党阳泉市委员会组织部（阳泉市公务员局）" (line 907) and "904-文教科" (e.g.
    line 1010) head performance tables; no budget statement prints them. The three performance
    tables matched to no project row are those of lines 4118, 4150 and 4408 (their 第二批 /
    改善办学条件 projects are not in T12, source-documents §1.4).
    """
    rows = warehouse.execute(
        "select name_kind, printed_name from marts.unresolved_names"
    ).fetchall()
    assert sorted(rows) == sorted(
        [
            ("department_name", "中国共产党阳泉市委员会组织部（阳泉市公务员局）"),
            ("department_name", "文教科"),
            ("project_performance_table_unmatched", "特教2025年城乡义教（第二批）-生活补（省级）"),
            ("project_performance_table_unmatched", "特教2025年城乡义教（第二批）-生活补（中央）"),
            (
                "project_performance_table_unmatched",
                "特教2025年特教改善办学条件资金（第一批）（省级）",
            ),
        ]
    )


def test_projects(warehouse):
    """001: 222 T12 project rows + 1 T13 (基建支出) + 3 unmatched tables; 004: 22 projects."""
    rows = dict(
        warehouse.execute(
            """
            select d.file_name || ':' || p.project_source, count(*)
            from marts.dim_project as p
            inner join marts.dim_document as d on p.document_id = d.document_id
            group by all
            """
        ).fetchall()
    )
    assert rows[f"{YANGQUAN}:budget_statement"] == 223
    assert rows[f"{MINHANG}:performance_table"] == 22
    categories = dict(
        warehouse.execute(
            """
            select p.project_category, count(*)
            from marts.dim_project as p
            inner join marts.dim_document as d on p.document_id = d.document_id
            where d.file_name = ?
            group by all
            """,
            [MINHANG],
        ).fetchall()
    )
    assert categories == {"one_off": 11, "recurring": 11}  # §3.3: 一次性 11, 经常性 11
