"""The execution and year-over-year marts answer the analyst guide's questions 6–8.

The SQL is that of docs/analyst-guide.md (kept identical here). Figures: the dev 决算 of 国家信访局
(PDF pages cited) and the synthetic county series of tests/fixtures/finals/ (fixture lines).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.slow

Q6 = """
select
    e.function_class_code,
    c.function_name as class_name,
    sum(e.budget_yuan) as budget_yuan,
    sum(e.final_yuan) as final_yuan,
    cast(round(100 * sum(e.final_yuan) / nullif(sum(e.budget_yuan), 0), 2) as decimal(9, 2))
        as execution_rate_pct
from marts.fct_budget_execution as e
inner join marts.dim_department as dep on e.department_key = dep.department_key
left join marts.dim_function_code as c on e.function_class_code = c.function_code
where
    dep.department_name = '国家信访局'
    and e.fiscal_year = 2024
    and e.scope = 'gpb_appropriation'
    and e.comparison = 'budget_and_outturn'
group by all
order by e.function_class_code;
"""

Q7 = """
select
    dep.department_name,
    t.fiscal_year,
    t.document_id,
    sum(t.amount_yuan) filter (where t.stage = 'budget') as budget_yuan,
    sum(t.amount_yuan) filter (where t.stage = 'final') as final_yuan
from marts.fct_three_public_expenses as t
inner join marts.dim_department as dep on t.department_key = dep.department_key
where t.is_three_public
group by all
having sum(t.amount_yuan) filter (where t.stage = 'final')
    > sum(t.amount_yuan) filter (where t.stage = 'budget')
order by dep.department_name, t.fiscal_year;
"""

Q8 = """
select
    y.fiscal_year,
    y.function_code,
    y.amount_yuan,
    y.previous_year_yuan,
    y.change_yuan,
    y.change_rate_pct
from marts.fct_year_over_year as y
inner join marts.dim_department as dep on y.department_key = dep.department_key
where
    dep.department_name = '临川县农业农村局'
    and y.stage = 'final'
    and y.scope = 'gpb_appropriation'
    and y.function_name = '行政运行'
    and y.fiscal_year between 2020 and 2024
order by y.fiscal_year;
"""
D = Decimal


def test_q6_execution_rate_by_class(finals):
    rows = finals.execute(Q6).fetchall()
    got = {r[0]: (r[2], r[3], r[4]) for r in rows}
    # budgets: the narrative's 年初预算 per 项 (PDF pp.21–23); outturns: the p.11 table (万元 → 元)
    assert got == {
        # 5717.32 + 590.53 + 222.6 + 2325.72 + 2457.85 → 5757.63 + 4.70 + 229.19 + 2066.84 + 1788.46
        "201": (D("113140200.00"), D("98468200.00"), D("87.03")),
        "205": (D("1806100.00"), D("1800300.00"), D("99.68")),  # 180.61 → 180.03
        # 1017.2 + 207.19 + 899.34 + 371.99 → 1028.48 + 211.51 + 659.05 + 329.53
        "208": (D("24957200.00"), D("22285700.00"), D("89.30")),
        "210": (D("0.00"), D("4975300.00"), None),  # 年初预算为0万元 (p.23 item 11)
        "221": (D("10782000.00"), D("9808400.00"), D("90.97")),  # 676 + 66.2 + 336
    }
    # the budgets add up to the 15068.55 万元 the narrative states for the whole (p.21)
    assert sum(v[0] for v in got.values()) == D("150685500.00")


def test_budget_sources_and_one_sided_rows(finals):
    rows = finals.execute(
        """
        select e.fiscal_year, e.function_code, e.budget_yuan, e.budget_source, e.final_yuan,
               e.execution_rate_pct, e.comparison
        from marts.fct_budget_execution as e
        inner join marts.dim_department as dep on e.department_key = dep.department_key
        where dep.department_name = '临川县农业农村局' and e.scope = 'gpb_appropriation'
        order by e.fiscal_year, e.function_code
        """
    ).fetchall()
    by_year = {(r[0], r[1]): r[2:] for r in rows}
    # 2019 决算 (附表5) prints 年初预算数 3,000,000.00 beside 决算数 3,050,000.00 for 2130101
    assert by_year[(2019, "2130101")] == (
        D("3000000.00"),
        "final_accounts_table",
        D("3050000.00"),
        D("101.67"),
        "budget_and_outturn",
    )
    # 2024: the budget from the 2024 预算 (一般公共预算支出表 3,400,000.00), the outturn from
    # the 2024 决算
    assert by_year[(2024, "2130101")] == (
        D("3400000.00"),
        "budget_document",
        D("3350000.00"),
        D("98.53"),
        "budget_and_outturn",
    )
    # the dev 决算's 2014002 has a narrative budget and an outturn; no row says budget_only there,
    # and an outturn without any budget says outturn_only
    comparisons = finals.execute(
        "select distinct comparison from marts.fct_budget_execution order by all"
    ).fetchall()
    assert ("outturn_only",) in comparisons


def test_q7_three_public_outturn_above_budget(finals):
    rows = finals.execute(Q7).fetchall()
    # county 2021 三公 table: 合计 年初预算数 100,000.00 / 决算数 120,000.00; 国家信访局 2024 (p.15)
    # spent 46.21 of 76.43 万元 and the county 2019 150,000 of 200,000: neither is listed
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        ("临川县农业农村局", 2021, D("100000.00"), D("120000.00"))
    ]


def test_q8_administrative_operation_over_five_years(finals):
    rows = finals.execute(Q8).fetchall()
    # 2130101 决算数: 2019 3,050,000 (附表5), then the series fixtures 2020–2024
    assert [tuple(r) for r in rows] == [
        (2020, "2130101", D("2950000.00"), D("3050000.00"), D("-100000.00"), D("-3.28")),
        (2021, "2130101", D("3000000.00"), D("2950000.00"), D("50000.00"), D("1.69")),
        (2022, "2130101", D("3300000.00"), D("3000000.00"), D("300000.00"), D("10.00")),
        (2023, "2130101", D("3250000.00"), D("3300000.00"), D("-50000.00"), D("-1.52")),
        (2024, "2130101", D("3350000.00"), D("3250000.00"), D("100000.00"), D("3.08")),
    ]


def test_department_key_is_the_same_across_documents(finals):
    keys = finals.execute(
        """
        select count(distinct m.department_key), count(distinct d.document_id)
        from marts.dim_document as d
        inner join intermediate.int_department_mentions as m
            on d.document_id = m.document_id and m.mention_source = 'document_issuer'
        where d.issuing_body_name = '临川县农业农村局'
        """
    ).fetchone()
    assert keys == (1, 7)  # the 2019–2024 决算 and the 2024 预算


def test_three_public_fact_holds_both_stages(finals):
    rows = finals.execute(
        """
        select t.stage, sum(t.amount_yuan)
        from marts.fct_three_public_expenses as t
        inner join marts.dim_document as d on t.document_id = d.document_id
        where d.file_name = 'complaints-bureau-2024-final-accounts.txt' and t.is_three_public
        group by all order by all
        """
    ).fetchall()
    # p.15: 预算数 30.00 + 40.63 + 5.80 = 76.43; 决算数 4.69 + 40.61 + 0.90 = 46.20, the printed
    # 合计 being 46.21 (each figure rounded on its own; the fact holds the items, never the 合计)
    assert rows == [("budget", D("764300.00")), ("final", D("462000.00"))]
