"""Document metadata read from the printed text: title, issuing body, fiscal year, kind, scope.

Each case is the head of a real disclosure as its PDF prints it (page cited), rendered as lines the
way the readers see them (a table row is tab-separated). Expected values are read from the page.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from orchestration.extract.document import extract_document
from orchestration.extract.metadata import infer_meta
from orchestration.extract.records import DocumentExtraction
from orchestration.extract.source import read_source
from orchestration.extract.text import DocumentError, to_lines

CASES = {
    # beijing-petition-office-2026-department-budget-notes.pdf p. 1 (PDF text spaces out the year)
    "beijing_notes_cover": (
        "北京市信访办公室部门 2026 年度部门预算\n信息公开\n目 录\n"
        "第一部分 2026 年度部门预算情况说明\n",
        ("北京市信访办公室", 2026, "预算", "部门预算"),
    ),
    # guangzhou-government-office-2026-department-budget.pdf p. 1: the year on its own line
    "guangzhou_two_line_title": (
        "2026年\n广州市人民政府办公厅部门预算\n目 录\n一、收支总体情况表\n",
        ("广州市人民政府办公厅", 2026, "预算", "部门预算"),
    ),
    # jiangsu-party-committee-office-2019-department-budget-tables.pdf p. 1 and p. 12: a tables-only
    # file; the issuer label runs into the unit, the year is printed only in a later table title;
    # the label "部门：" makes it a 部门预算.
    "jiangsu_tables_label_with_unit": (
        "收支预算总表\n部门：中共江苏省委办公厅 单位：万元\n收入\t支出\n"
        + "\n" * 5
        + "2019年政府采购预算表\n",
        ("中共江苏省委办公厅", 2019, "预算", "部门预算"),
    ),
    # yantai-big-data-bureau-2026-department-budget.pdf p. 1 and p. 6
    "yantai_department_unit_label": (
        "2026年烟台市大数据局部门预算\n目 录\n部门（单位）：烟台市大数据局 单位：万元\n",
        ("烟台市大数据局", 2026, "预算", "部门预算"),
    ),
    # shanghai-marine-monitoring-center-2026-unit-budget.pdf p. 1: the cover names the level
    # (上海市 … 市级单位预算); the label names the unit, which is the issuer.
    "shanghai_unit_label_wins": (
        "上海市2026年市级单位预算\n预算单位：上海市海洋监测预报中心\n",
        ("上海市海洋监测预报中心", 2026, "预算", "单位预算"),
    ),
    # national-public-complaints-bureau-2024-final-accounts.pdf p. 1–2
    "central_final_accounts": (
        "国家信访局\n2024年度部门决算\n目 录\n部门名称：国家信访局\n",
        ("国家信访局", 2024, "决算", "部门决算"),
    ),
    # xian-government-office-2026-department-budget.pdf p. 1 and p. 18: the cover names no body;
    # the report header names it with "(汇总)", which says what the figures cover.
    "xian_consolidated_label_far_down": (
        "2026年部门预算公开说明\n"
        + "正文。\n" * 450
        + "2026年部门综合预算公开报表\n部门名称：西安市人民政府办公厅（汇总）\n",
        ("西安市人民政府办公厅", 2026, "预算", "部门预算"),
    ),
    # A tables-only file names its kind only in its table titles (预算01表), not its scope.
    # beijing-petition-office-2026-department-budget-tables.pdf p. 17: a form row, label cell and
    # name cell, is the only place the tables file names its department; "（2026年度）" its year.
    "beijing_tables_form_row": (
        "预算01表 收支总表\n金额单位：万元\n"
        + "\n" * 3
        + "（2026年度）\n部门名称\t北京市信访办公室\n",
        ("北京市信访办公室", 2026, "预算", None),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_metadata_read_from_the_printed_head(case: str) -> None:
    text, (issuer, year, kind, scope) = CASES[case]
    meta = infer_meta(to_lines(text), DocumentExtraction())
    assert (meta.issuing_body, meta.fiscal_year, meta.document_kind, meta.scope) == (
        issuer,
        year,
        kind,
        scope,
    )


def test_a_statement_title_is_no_cover_title() -> None:
    # beijing-petition-office-2026-department-budget-tables.pdf p. 1 prints no cover.
    meta = infer_meta(to_lines("预算01表 收支总表\n金额单位：万元\n"), DocumentExtraction())
    assert meta.title == "预算01表收支总表"
    assert meta.issuing_body is None


def test_a_title_that_is_only_year_and_kind_names_no_issuer() -> None:
    # raw/yangquan-education-bureau-2025-department-budget.txt: the cover is "2025年度部门预算公开";
    # the body is named by the 部门名称 label of its tables instead.
    meta = infer_meta(to_lines("2025年度部门预算公开\n"), DocumentExtraction())
    assert (meta.title, meta.issuing_body) == ("2025年度部门预算公开", None)


# beijing-petition-office-2026-department-budget-notes.pdf p. 1 and p. 3: the 说明 half of a
# disclosure whose tables are published in another file.
NOTES_ONLY = (
    "北京市信访办公室部门 2026 年度部门预算\n信息公开\n二、收入预算情况说明\n"
    "2026 年度收入预算 9626.78 万元，比 2025 年年初预算\n"
    "数 9819.98 万元减少 193.20 万元，下降 1.97%。\n"
)


def test_a_notes_only_disclosure_loads_with_its_narrative() -> None:
    doc = extract_document(read_source((NOTES_ONLY).encode("utf-8"), "notes.txt"), "notes.txt")
    assert (doc.meta.issuing_body, doc.meta.scope) == ("北京市信访办公室", "部门预算")
    assert doc.tables == []
    assert [(f.source_line, f.value) for f in doc.narrative_figures][0] == (
        4,
        Decimal("9626.78"),
    )


def test_figures_under_a_title_that_is_no_budget_are_not_a_budget() -> None:
    # The same sentences under the title of a website annual report (not a budget disclosure).
    text = NOTES_ONLY.replace("北京市信访办公室部门 2026 年度部门预算", "政府网站工作年度报表")
    with pytest.raises(DocumentError, match="not a budget document"):
        extract_document(read_source((text).encode("utf-8"), "report.txt"), "report.txt")
