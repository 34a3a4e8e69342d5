"""The unit-list rules can fail: a copy of 001 whose narrative drops one listed unit.

001 line 79 lists 19 budget units ("由阳泉市教育局本级、阳泉市第一中学校、阳泉市第二中学校、…等19个
二级预算单位的预算组成"). The copy (the altered raw set, tests/builds.py) drops "阳泉市第二中学校、"
and states 18. The project budget tables still print 阳泉市第二中学校 (line 468) and its section
阳泉市第二中学校高中部 (lines 479 and 706): those headers are no longer a listed unit, and the
stated 18 no longer equals the 整体支出绩效目标表's 19 (line 849). The stated 18 still equals
the 18 names listed.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import duckdb
import pytest

from tests.conftest import SAMPLE_001

RULES = (
    "narrative.project_list_unit_is_listed",
    "narrative.unit_count_equals_listed_names",
    "narrative.unit_count_equals_overall_target",
)


@pytest.fixture(scope="module")
def unit_list_results(altered_build) -> dict[tuple[str, str], tuple]:
    """The unit-list checks of the cut 001 (tests/builds.py drop_listed_unit_001).

    The enforced build exits 1 on purpose (asserted by the altered_build fixture): the copy's
    content hash differs, so the acknowledgements of 001's real discrepancies do not apply. The
    results mart is built before its test runs.
    """
    cut = altered_build.raw / SAMPLE_001.name
    document_id = hashlib.sha256(cut.read_bytes()).hexdigest()[:16]
    conn = duckdb.connect(str(altered_build.database), read_only=True)
    try:
        rows = conn.execute(
            "select rule_id, instance, status, expected_yuan, actual_yuan "
            "from marts.reconciliation_results where document_id = ? and rule_id in (?, ?, ?)",
            [document_id, *RULES],
        ).fetchall()
    finally:
        conn.close()
    return {
        (rule, instance): (status, expected, actual)
        for rule, instance, status, expected, actual in rows
    }


@pytest.mark.slow
def test_headers_of_the_dropped_unit_fail(unit_list_results):
    failing = {
        instance
        for (rule, instance), (status, _, _) in unit_list_results.items()
        if rule == "narrative.project_list_unit_is_listed" and status == "fail"
    }
    assert failing == {
        "2025年项目支出预算表（本年预算） / 阳泉市第二中学校",
        "2025年项目支出预算表（本年预算） / 阳泉市第二中学校高中部",
        "2025年项目支出预算表（上年结转） / 阳泉市第二中学校高中部",
    }
    assert unit_list_results[
        (
            "narrative.project_list_unit_is_listed",
            "2025年项目支出预算表（本年预算） / 阳泉市第二中学校",
        )
    ] == ("fail", Decimal("1"), Decimal("0"))
    # the other sections still fold into listed units
    assert (
        unit_list_results[
            (
                "narrative.project_list_unit_is_listed",
                "2025年项目支出预算表（本年预算） / 阳泉市第十一中学校高中部",
            )
        ][0]
        == "exact"
    )


@pytest.mark.slow
def test_the_stated_count_is_compared_with_both_sides(unit_list_results):
    assert unit_list_results[("narrative.unit_count_equals_listed_names", "")] == (
        "exact",
        Decimal("18"),
        Decimal("18"),
    )
    assert unit_list_results[("narrative.unit_count_equals_overall_target", "")] == (
        "fail",
        Decimal("18"),
        Decimal("19"),
    )
