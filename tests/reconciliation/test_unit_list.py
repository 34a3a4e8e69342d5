"""The unit-list rules can fail: a copy of 001 whose narrative drops one listed unit.

001 line 79 lists 19 budget units ("由阳泉市教育局本级、阳泉市第一中学校、阳泉市第二中学校、…等19个
二级预算单位的预算组成"). The copy drops "阳泉市第二中学校、" and states 18. The project budget
tables still print 阳泉市第二中学校 (line 468) and its section 阳泉市第二中学校高中部 (lines 479
and 706): those headers are no longer a listed unit, and the stated 18 no longer equals the
整体支出绩效目标表's 19 (line 849). The stated 18 still equals the 18 names listed.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_001, run_pipeline

LIST_LINE = 79
DROPPED = "阳泉市第二中学校、"


def _drop_listed_unit(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines[LIST_LINE - 1]
    assert line.count(DROPPED) == 1 and "等19个二级预算单位" in line, line
    lines[LIST_LINE - 1] = line.replace(DROPPED, "").replace("等19个", "等18个")
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def unit_list_results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple]:
    base = tmp_path_factory.mktemp("unit_list")
    raw = base / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_001, raw / SAMPLE_001.name)
    _drop_listed_unit(raw / SAMPLE_001.name)
    database = base / "budget.duckdb"
    # The build fails on purpose: the copy's content hash differs, so the acknowledgements of
    # 001's real discrepancies do not apply. The results mart is built before its test runs.
    run_pipeline(raw, database, base / "dagster_home")
    conn = duckdb.connect(str(database), read_only=True)
    try:
        rows = conn.execute(
            "select rule_id, instance, status, expected_yuan, actual_yuan "
            "from marts.reconciliation_results where rule_id in ("
            "'narrative.project_list_unit_is_listed', "
            "'narrative.unit_count_equals_listed_names', "
            "'narrative.unit_count_equals_overall_target')"
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
