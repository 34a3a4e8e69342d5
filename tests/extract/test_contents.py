"""The 目录: the statement tables a document says it publishes (orchestration/extract/contents.py).

Expected entries are read from the samples as printed: 001 lines 23–58 (tab-separated entries
with page numbers, "表一…" labels glued to the titles, dotted leaders from line 52 on) and 004
lines 7–22 (a markdown list, "1. …" ordinals, no page numbers). 003 prints no 目录.
"""

from __future__ import annotations

from orchestration.extract import contents, statements
from orchestration.extract.document import extract_document
from orchestration.extract.records import DocumentExtraction
from orchestration.extract.source import read_source
from orchestration.extract.text import to_lines
from tests.conftest import SAMPLE_001, SAMPLE_003, SAMPLE_004


def _entries(text: str) -> list[tuple[int, str, str, str | None]]:
    doc = DocumentExtraction()
    contents.extract(to_lines(text), "fixture.txt", doc)
    return [
        (entry.source_line, entry.title, entry.statement_type, entry.page_printed)
        for entry in doc.contents_entries
    ]


def test_001_lists_thirteen_statement_tables_with_pages():
    entries = _entries(SAMPLE_001.read_text(encoding="utf-8"))
    # lines 29–41: 表一 … 表十三; the part headings and narrative sections are no tables
    assert [line for line, *_ in entries] == list(range(29, 42))
    assert entries[0] == (29, "2025年预算收支总表", "income_expenditure_summary", "2")
    assert entries[8] == (
        37,
        "2025年国有资本经营预算收支预算表（不含上年结转）",
        "state_capital",
        "14",
    )
    assert entries[11][2:] == ("project_expenditure", "16")
    assert entries[12][2:] == ("project_expenditure_carryover", "23")


def test_004_lists_eight_statement_tables_as_a_markdown_list():
    entries = _entries(SAMPLE_004.read_text(encoding="utf-8"))
    assert [(line, kind) for line, _, kind, _ in entries] == [
        (14, "income_expenditure_summary"),
        (15, "revenue_summary"),
        (16, "expenditure_summary"),
        (17, "appropriation_summary"),
        (18, "gpb_expenditure_function"),
        (19, "government_fund_expenditure"),
        (20, "gpb_basic_expenditure_economic"),
        (21, "three_public_expenses"),
    ]
    assert entries[7][1] == "2020年单位“三公”经费和机关运行经费预算表"
    assert all(page is None for *_, page in entries)


def test_003_prints_no_contents():
    assert _entries(SAMPLE_003.read_text(encoding="utf-8")) == []


def test_contents_ends_at_the_first_line_that_is_no_entry():
    text = "\n".join(
        [
            "# 目录",
            "表1 收支总表\t3",
            "表2 收入总表......4",
            "",
            "## 一、概况",
            "表3 支出总表\t5",  # after the 目录: not an entry of it
        ]
    )
    assert _entries(text) == [
        (2, "收支总表", "income_expenditure_summary", "3"),
        (3, "收入总表", "revenue_summary", "4"),
    ]


def test_the_samples_print_every_table_their_contents_list():
    for sample in (SAMPLE_001, SAMPLE_004):
        doc = extract_document(
            read_source((sample.read_text(encoding="utf-8")).encode("utf-8"), sample.name),
            sample.name,
        )
        listed = sorted(e.statement_type for e in doc.contents_entries)
        found = sorted(t.statement_type for t in doc.tables)
        assert listed == found, sample.name


def test_a_document_cut_at_a_table_title_warns_with_the_title_line():
    # 004 cut after line 199, the title of its table 4 (2020年单位财政拨款收支预算总表)
    lines = SAMPLE_004.read_text(encoding="utf-8").split("\n")[:199]
    doc = extract_document(read_source(("\n".join(lines)).encode("utf-8"), "cut.txt"), "cut.txt")
    assert [t.statement_type for t in doc.tables] == [
        "income_expenditure_summary",
        "revenue_summary",
        "expenditure_summary",
    ]
    cut = [w for w in doc.warnings if w.kind == statements.TABLE_WITHOUT_ROWS]
    assert [(w.source_line, w.text) for w in cut] == [(199, "# 2020年单位财政拨款收支预算总表")]
    assert len(doc.contents_entries) == 8
