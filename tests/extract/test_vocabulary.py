"""The readers' wording vocabularies are data (dbt seeds) that Python reads: every row names a
known statement type or measure, and a template's wording resolves through them."""

from __future__ import annotations

import pytest

from orchestration.extract import statements, vocabulary
from orchestration.extract.records import MEASURES, STATEMENT_TYPES


def test_every_title_row_names_a_statement_type_or_a_boundary() -> None:
    kinds = {kind for kind, _ in vocabulary.title_rules()}
    assert kinds <= set(STATEMENT_TYPES) | statements.BOUNDARY_KINDS


def test_every_measure_row_names_a_measure() -> None:
    measures = {m for _, m in vocabulary.measure_rules("leaf")}
    measures |= {m for _, m in vocabulary.measure_rules("ancestor")}
    assert measures <= set(MEASURES)


@pytest.mark.parametrize(
    ("title", "statement_type"),
    [
        # guangzhou-government-office-2026-department-budget.pdf 目录 (p. 2) and its tables
        ("收支总体情况表", "income_expenditure_summary"),
        ("收入总体情况表", "revenue_summary"),
        ("本年支出总体情况表", "expenditure_summary"),
        ("财政拨款收支总体情况表", "appropriation_summary"),
        ("一般公共预算支出情况表（按功能分类科目）", "gpb_expenditure_function"),
        ("一般公共预算基本支出情况表（按经济分类科目）", "gpb_basic_expenditure_economic"),
        # a project-expenditure breakdown by 经济分类 is no 功能分类 table (it would count the
        # same appropriation twice in fct_appropriation_expenditure): a type of its own
        ("一般公共预算项目支出情况表（按经济分类科目）", "gpb_project_expenditure_economic"),
        # shenzhen p. 28 表8; xian p. 25 表6 and p. 27 表7; yantai p. 21 公开表10
        ("一般公共预算支出表（按经济分类）", "gpb_expenditure_economic"),
        ("部门综合预算一般公共预算支出明细表（按支出经济分类科目）", "gpb_expenditure_economic"),
        (
            "部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）",
            "gpb_basic_expenditure_function",
        ),
        ("基本支出预算情况表", "basic_expenditure"),
        # yantai p. 24 公开表11: a project list (and its 上年结转 form)
        ("项目支出预算情况表", "project_expenditure"),
        ("项目支出预算情况表（上年结转）", "project_expenditure_carryover"),
        # issue 12's 收支总表 family
        ("部门收支总表", "income_expenditure_summary"),
        ("部门收支总体情况表", "income_expenditure_summary"),
        ("财务收支预算总表", "income_expenditure_summary"),
        ("预算单位财务收支预算总表", "income_expenditure_summary"),
        ("部门综合预算收支总表", "income_expenditure_summary"),
        ("市级部门收支预算总表", "income_expenditure_summary"),
        # national-public-complaints-bureau-2024-final-accounts.pdf p. 7 and p. 10
        ("收入支出决算总表", "income_expenditure_summary"),
        ("财政拨款收入支出决算总表", "appropriation_summary"),
    ],
)
def test_template_titles_resolve_through_the_vocabulary(title: str, statement_type: str) -> None:
    assert statements.classify_title(title) == statement_type
