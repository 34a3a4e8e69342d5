"""The auditor report and the run summary: pure rendering of reconciliation results."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from orchestration import report, settings


def _finding(**overrides) -> report.Finding:
    values = dict(
        document_id="6bdd00dbc9694a7d",
        file_name="minhang-education-institute-2020-unit-budget.txt",
        rule_id="project.detail_amount_equals_price_times_quantity",
        instance="L1104 男童合唱团经费 / L1160",
        description="A 项目构成分解 row: 明细金额 = 单价 × 数量",
        value_unit="元",
        severity="error",
        status="fail",
        expected_yuan=Decimal("221120.00"),
        actual_yuan=Decimal("221220.00"),
        difference_yuan=Decimal("-100.00"),
        tolerance_yuan=Decimal("0.010"),
        is_acknowledged=False,
        acknowledgement_reason=None,
        expected_source="line 1160 [排练、观摩、歌曲创作等] 明细金额 = 221120.00",
        actual_source="line 1160 [排练、观摩、歌曲创作等] 单价 221220.00 × 数量 1",
        expected_lines=[1160],
        actual_lines=[1160],
    )
    values.update(overrides)
    return report.Finding(**values)


def _summary(*findings: report.Finding, needs_review: bool = True) -> report.DocumentSummary:
    reasons = [
        report.Reason(
            "integrity_failure",
            "A 项目构成分解 row: 明细金额 = 单价 × 数量 [L1104 男童合唱团经费 / L1160]: "
            "printed 221120.00, recomputed 221220.00 (元), difference -100.00",
            1160,
        )
    ]
    return report.DocumentSummary(
        "6bdd00dbc9694a7d",
        "minhang-education-institute-2020-unit-budget.txt",
        {"exact": 520, "rounding": 2, "fail": len(findings), "insufficient_data": 0},
        list(findings),
        needs_review,
        reasons if needs_review else [],
    )


def test_yuan_shows_wan_yuan_for_large_amounts():
    assert report.yuan(Decimal("-4203658.34")) == "-4,203,658.34 元 (-420.3658 万元)"
    assert report.yuan(Decimal("0.40")) == "0.40 元"
    assert report.yuan(Decimal("223"), "count") == "223"
    assert report.yuan(Decimal("100.01"), "%") == "100.01%"
    assert report.yuan(None) == "–"


def test_review_lines_list_only_documents_that_need_review_with_their_reasons():
    lines = report.review_lines([_summary(_finding())])
    assert lines[0] == "  minhang-education-institute-2020-unit-budget.txt (6bdd00dbc9694a7d)"
    assert lines[1].split()[:3] == ["integrity_failure", "line", "1160:"]
    assert "difference -100.00" in lines[1]
    assert report.review_lines([_summary(_finding(), needs_review=False)]) == []


def test_summary_lines_show_both_sides_and_the_difference():
    text = "\n".join(report.summary_lines([_summary(_finding())]))
    assert "NEEDS REVIEW" in text
    assert "REVIEW integrity_failure (line 1160)" in text
    assert "expected 221,120.00 元 (22.112 万元)" in text
    assert "difference -100.00 元" in text
    assert "printed: line 1160" in text
    # what the reader can do, naming the seed row that would acknowledge it
    assert (
        "add 6bdd00dbc9694a7d,minhang-education-institute-2020-unit-budget.txt,"
        "project.detail_amount_equals_price_times_quantity,L1104 男童合唱团经费 / L1160,<reason> "
        "to dbt_project/seeds/acknowledged_discrepancies.csv"
    ) in text
    assert "report a bug" in text
    acknowledged = "\n".join(report.summary_lines([_summary(_finding(is_acknowledged=True))]))
    assert "what you can do" not in acknowledged


def test_report_lists_each_discrepancy_with_where_it_is_printed():
    md = report.render(
        [_summary(_finding(is_acknowledged=True, acknowledgement_reason="单价 is the typo"))],
        generated_at=datetime(2026, 1, 1),
    )
    assert "### Integrity failures" in md
    assert "(line 1160)" in md
    assert "difference: -100.00 元" in md
    assert "acknowledged: 单价 is the typo" in md


def test_report_cites_the_page_of_a_pdf_and_the_line_of_a_text_dump():
    assert report.where_text([152], None) == "line 152"
    assert report.where_text([152, 160], None) == "lines 152, 160"
    assert report.where_text([152], [7]) == "p. 7"
    assert report.where_text([152, 190], [7, 8]) == "pp. 7, 8"
    pdf = _finding(file_name="a.pdf", expected_pages=[7], actual_pages=[7, 8])
    md = report.render([_summary(pdf)], generated_at=datetime(2026, 1, 1))
    assert "(p. 7)" in md and "(pp. 7, 8)" in md and "line 1160)" not in md.split("printed:")[1]


def test_acknowledgement_row_is_a_valid_seed_line():
    """The row to paste into acknowledged_discrepancies.csv survives a comma in the instance."""
    import csv

    row = report.acknowledgement_row("6bdd00dbc9694a7d", "a.txt", "rule.x", "L9 项目, 二期")
    assert next(csv.reader([row])) == [
        "6bdd00dbc9694a7d",
        "a.txt",
        "rule.x",
        "L9 项目, 二期",
        "<reason>",
    ]
    seed = settings.DBT_PROJECT_DIR / "seeds" / "acknowledged_discrepancies.csv"
    header = seed.read_text("utf-8").split("\n")[0]
    assert header == "document_id,file_name,rule_id,instance,reason"
