"""决算 reconciliation end to end: the dev 决算 checked, each planted error caught by its rule.

The session warehouse holds the raw set of tests/finals/variants.py. Figures cite the page of
the dev 决算 PDF they are printed on
(shared/corpus/dev/national-public-complaints-bureau-2024-final-accounts.pdf); the fixture
reproduces them line by line.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from tests.finals.variants import DEV, OLDER, VARIANTS, Variant, variant_file_name

pytestmark = pytest.mark.slow


def _results(finals, file_name: str, where: str = "true") -> list[tuple]:
    return finals.execute(
        f"""
        select rule_id, instance, status, failure_class, expected_yuan, actual_yuan,
               is_acknowledged, expected_lines, actual_lines
        from marts.reconciliation_results
        where file_name = ? and ({where})
        order by rule_id, instance
        """,
        [file_name],
    ).fetchall()


def _failures(finals, file_name: str) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in _results(finals, file_name, "status = 'fail'")}


def test_dev_loads_every_statement(finals):
    row = finals.execute(
        "select extraction_status, document_kind, fiscal_year from marts.dim_document "
        "where file_name = ?",
        [DEV.name],
    ).fetchone()
    assert row == ("loaded", "决算", 2024)
    types = finals.execute(
        """
        select list(t.statement_type order by t.table_ordinal)
        from staging.stg_raw__statement_tables as t
        inner join marts.dim_document as d on t.document_id = d.document_id
        where d.file_name = ?
        """,
        [DEV.name],
    ).fetchone()[0]
    # PDF pp.7–15, 公开01表 … 公开09表
    assert types == [
        "income_expenditure_summary",
        "revenue_summary",
        "expenditure_summary",
        "appropriation_summary",
        "gpb_expenditure_function",
        "gpb_basic_expenditure_economic",
        "government_fund_expenditure",
        "state_capital",
        "three_public_expenses",
    ]


def test_dev_has_no_integrity_failure(finals):
    integrity = _results(finals, DEV.name, "failure_class = 'integrity' and status = 'fail'")
    assert integrity == []
    checked = _results(
        finals, DEV.name, "rule_id like 'within.%' and status in ('exact', 'rounding')"
    )
    assert len(checked) > 100  # every parent, total and row total of the nine tables


def test_dev_balance_identities(finals):
    rows = {
        r[0]: r
        for r in _results(
            finals,
            DEV.name,
            "rule_id in ('finals.balance_identity', 'finals.appropriation_balance_identity', "
            "'within.income_total_equals_expenditure_total', "
            "'within.appropriation_income_equals_expenditure')",
        )
    }
    # p.7: 1,615.24 + 20,451.35 = 22,066.59 = 14,572.53 + 7,494.06 (万元)
    balance = rows["finals.balance_identity"]
    assert balance[2] == "exact"
    assert (balance[4], balance[5]) == (Decimal("220665900.00"), Decimal("220665900.00"))
    # p.10: 1,154.62 + 19,572.91 = 20,727.53 against 13,733.80 + 6,993.74 = 20,727.54: four
    # figures rounded to 0.01 万元 each, within their rounding
    appropriation = rows["finals.appropriation_balance_identity"]
    assert appropriation[2] == "rounding"
    assert (appropriation[4], appropriation[5]) == (
        Decimal("207275300.00"),
        Decimal("207275400.00"),
    )
    assert rows["within.income_total_equals_expenditure_total"][2] == "exact"
    assert rows["within.appropriation_income_equals_expenditure"][2] == "exact"


def test_dev_three_public_equals_its_parts_in_both_stages(finals):
    rows = {
        r[0]: r[2]
        for r in _results(
            finals,
            DEV.name,
            "rule_id in ('within.three_public_total_equals_items', "
            "'within.three_public_budget_total_equals_items', "
            "'within.vehicles_equal_purchase_plus_operation', "
            "'within.three_public_budget_vehicles_equal_parts')",
        )
    }
    # p.15: 预算数 76.43 = 30.00 + 40.63 + 5.80; 决算数 46.21 against 4.69 + 40.61 + 0.90 = 46.20,
    # within the rounding of four figures printed to 0.01 万元
    assert rows == {
        "within.three_public_total_equals_items": "rounding",
        "within.three_public_budget_total_equals_items": "exact",
        "within.vehicles_equal_purchase_plus_operation": "exact",
        "within.three_public_budget_vehicles_equal_parts": "exact",
    }


def test_dev_narrative_execution_checked(finals):
    rates = _results(finals, DEV.name, "rule_id = 'finals.narrative_completion_rate'")
    # pp.21–24: the total, 13 项 with a rate (行政单位医疗 states none), 三公 and its 3 items
    assert len(rates) == 18
    assert {r[2] for r in rates} <= {"exact", "rounding"}
    running = next(r for r in rates if r[1].endswith("行政运行（项）"))
    # p.21: 5757.63 / 5717.32 = 100.705…%, printed 100.71%
    assert running[4] == Decimal("100.71")
    directions = _results(finals, DEV.name, "rule_id = 'finals.narrative_direction_word'")
    assert len(directions) == 15 and {r[2] for r in directions} == {"exact"}
    outturns = _results(finals, DEV.name, "rule_id = 'finals.narrative_outturn_restates_table'")
    # every 项 the narrative names is found in the p.11 table, 归口管理的行政单位离退休 (the
    # 2023 name of 2080501) through the crosswalk; plus the total and the 三公 figures
    assert len(outturns) == 19
    assert {r[2] for r in outturns} <= {"exact", "rounding"}


def test_dev_hygiene_is_clean(finals):
    rows = _results(
        finals,
        DEV.name,
        "rule_id in ('finals.no_placeholder_text', "
        "'finals.year_consistent', 'completeness.required_table_found')",
    )
    assert rows and {r[2] for r in rows} == {"exact"}
    assert len([r for r in rows if r[0] == "completeness.required_table_found"]) == 9


def test_dev_findings(finals):
    # the one finding of the unchanged document, a source discrepancy: PDF p.25 states the shares of
    # the 三公 items as 10.15% + 87.88% + 1.95% = 99.98%, their amounts (4.69 + 40.61 + 0.90 =
    # 46.20) being 0.01 万元 short of the printed 合计 46.21
    assert [(r[0], r[2], r[3], r[5]) for r in _results(finals, DEV.name, "status = 'fail'")] == [
        ("narrative.shares_sum_to_100", "fail", "source_discrepancy", Decimal("99.98"))
    ]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_planted_error_is_caught_by_its_rule_only(finals, variant: Variant):
    # failures are compared by rule: a removed table shifts the line numbers in the instances
    baseline = Counter(rule for rule, _ in _failures(finals, DEV.name))
    planted = Counter(rule for rule, _ in _failures(finals, variant_file_name(variant)))
    new = {rule for rule, count in planted.items() if count > baseline[rule]}
    assert new == variant.catching_rules, (variant.description, planted - baseline)
    # and each finding carries both figures and where they are printed
    for row in _results(finals, variant_file_name(variant), "status = 'fail'"):
        if row[0] in variant.catching_rules:
            assert row[4] is not None and row[5] is not None
            assert row[7] or row[8]


def test_older_layout_reconciles(finals):
    rows = _results(finals, OLDER.name)
    assert rows
    # no failure but an informational one: 机关运行经费 500,000 against the 政府经济分类 items the
    # single-pane 基本支出决算表 does not print
    failures = [r for r in rows if r[2] == "fail" and r[3] != "informational"]
    assert failures == []
    by_rule = {}
    for r in rows:
        by_rule.setdefault(r[0], []).append(r[2])
    # 100,000 + 5,300,000 + 30,000 = 5,430,000 = 5,250,000 + 20,000 + 160,000 (元)
    assert by_rule["finals.balance_identity"] == ["exact"]
    assert by_rule["finals.appropriation_balance_identity"] == ["exact"]
    assert set(by_rule["finals.narrative_completion_rate"]) <= {"exact", "rounding"}
    assert len(by_rule["finals.narrative_budget_restates_table"]) >= 5
