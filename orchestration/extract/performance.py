"""Performance-target tables (绩效目标表): find them, parse them, merge continuations, match.

Tables are found by title wording, never by position:

=============================================  ===========================  ======================
title contains                                 family                       template
=============================================  ===========================  ======================
项目支出绩效目标(申报)表                        project_target               shanxi_single
…申报表（项目总体情况） + （绩效目标） + （制度保障）  project_target               shanghai_triplet
整体支出绩效目标(申报)表                        department_overall_target    shanxi_overall
整体支出绩效目标批复表                          overall_target_approval      sichuan_markdown
=============================================  ===========================  ======================

A block runs from its title to the next title. Page-2 continuations that repeat the header
(001: four blocks) are merged into the table they continue: same project name, implementing unit
and fund block as the preceding table. Their indicator rows are appended; their repeated funding
is not counted again.

Funding axes (``PerformanceFunding.funding_axis``):

* shanxi_single: ``total`` (实施期/年度资金总额), ``central``, ``provincial``, ``city_county``,
  ``self_raised``, ``other``; period "implementation" (left half) or "annual" (right half).
* shanghai_triplet: ``project_total`` (period "implementation"), ``current_year``, ``fiscal``,
  ``superior``, ``same_level``, ``subordinate``, ``other`` (period "annual").
* overall tables (period None): ``total``, ``general_public_budget``, ``government_fund_budget``,
  ``state_capital_budget``, ``social_insurance_fund``, ``special_account``, ``unit_funds``,
  ``fiscal_appropriation``, ``basic``, ``project``. A split of a direction (003 "基本支出 /
  财政拨款") has the source axis and the direction in ``funding_label``.

Attributes (``PerformanceAttribute.attribute``): counts ``internal_divisions``, ``budget_units``,
``staff_quota``, ``staff_actual``, ``staff_on_establishment``, ``staff_other`` (value_number and
value_unit "个"/"人"); texts ``annual_task`` (label = task name), ``goal_annual``,
``goal_implementation``, ``department_duties``, ``strategic_goal``, ``project_overview``,
``basis``, ``necessity``, ``safeguards``, ``implementation_plan``, ``resources_and_institutions``,
``other_notes``, ``composition``, ``safeguard_document``, ``approval_status``.

Personal data (负责人, 联系人/经办人, phone numbers) is stored only in
``PerformanceTable.responsible_person`` / ``contact_person`` / ``contact_phone``.

Matching to the project budget table is in :mod:`orchestration.extract.performance_match`.
"""

from __future__ import annotations

import re

from orchestration.extract import performance_shanghai as shanghai
from orchestration.extract import performance_shanxi as shanxi
from orchestration.extract import performance_sichuan as sichuan
from orchestration.extract.performance_common import ParsedTable, compact
from orchestration.extract.performance_match import match_projects
from orchestration.extract.records import DocumentExtraction, ExtractionWarning
from orchestration.extract.text import Line

# --- constants ------------------------------------------------------------------------------
_TITLE_RE = re.compile(r"(项目支出|整体支出|项目)绩效目标(申报|批复)?表")
# After the title words only bracketed parts may follow ("（项目总体情况）", "（2020年）"); this
# keeps out sentences such as "（项目绩效目标表公开情况见附件）" (001 line 784).
_TITLE_TAIL_RE = re.compile(r"^(?:[（(][^（）()]*[）)])*$")
# Titles are short single-cell lines; a table-of-contents entry with dotted leaders is not one.
MAX_TITLE_CHARS = 60
KIND_SHANXI = "shanxi_project"
KIND_OVERALL = "shanxi_overall"
KIND_APPROVAL = "approval"


def title_kind(line: Line) -> str | None:
    """The kind of performance table a line titles, or None when it is not a title."""
    if sum(1 for cell in line.cells if cell.strip()) != 1:
        return None
    key = compact(line.joined).lstrip("#")
    match = _TITLE_RE.search(key)
    if len(key) > MAX_TITLE_CHARS or match is None or not _TITLE_TAIL_RE.match(key[match.end() :]):
        return None
    if "整体支出" in key:
        return KIND_APPROVAL if "批复" in key else KIND_OVERALL
    part = shanghai.part_kind(key)
    return f"shanghai_{part}" if part else KIND_SHANXI


def extract(lines: list[Line], file_name: str, doc: DocumentExtraction) -> None:
    """Append this module's records to doc: tables, funding, indicators, details, attributes,
    project matches and warnings."""
    titles = [(index, kind) for index, line in enumerate(lines) if (kind := title_kind(line))]
    parsed_tables: list[ParsedTable] = []
    current_triplet: ParsedTable | None = None
    for position, (index, kind) in enumerate(titles):
        end = titles[position + 1][0] if position + 1 < len(titles) else len(lines)
        block = lines[index:end]
        title = lines[index]
        try:
            if kind == KIND_SHANXI:
                _append_or_merge(parsed_tables, shanxi.parse_project_block(block, title, file_name))
            elif kind == KIND_OVERALL:
                parsed_tables.append(shanxi.parse_department_block(block, title, file_name))
            elif kind == KIND_APPROVAL:
                parsed_tables.append(sichuan.parse_approval_block(block, title, file_name))
            elif kind == f"shanghai_{shanghai.PART_OVERVIEW}":
                current_triplet = shanghai.parse_overview(block, title, file_name)
                parsed_tables.append(current_triplet)
            elif current_triplet is None:
                doc.warnings.append(_warning(file_name, title, "orphan_subtable", "no 总体情况"))
            elif kind == f"shanghai_{shanghai.PART_TARGETS}":
                shanghai.merge_targets(current_triplet, block, title, file_name)
            else:
                shanghai.merge_safeguards(current_triplet, block, title, file_name)
        except Exception as exc:  # noqa: BLE001 - one unreadable table must not stop the document
            doc.warnings.append(
                _warning(file_name, title, "table_error", f"table not read: {exc!r}")
            )
    parsed_tables = [p for p in parsed_tables if _has_content(p, file_name, doc)]
    _number(parsed_tables, doc)
    doc.project_matches.extend(match_projects(doc, file_name))


def _warning(file_name: str, line: Line, kind: str, message: str) -> ExtractionWarning:
    return ExtractionWarning(line.number, kind, f"{file_name}:{line.number}: {message}", line.text)


def _has_content(parsed: ParsedTable, file_name: str, doc: DocumentExtraction) -> bool:
    """A title followed by no table (e.g. a contents entry) yields a warning, not a table."""
    if parsed.funding or parsed.indicators or parsed.attributes or parsed.table.project_name:
        return True
    doc.warnings.extend(parsed.warnings)
    doc.warnings.append(
        ExtractionWarning(
            parsed.table.first_line,
            "title_without_table",
            f"{file_name}:{parsed.table.first_line}: title not followed by a table",
            parsed.table.title,
        )
    )
    return False


def continuation_key(parsed: ParsedTable) -> tuple:
    """(name, unit, fund block): equal for a page-2 continuation and the part it continues."""
    # Blank figures are left out: a page may lose a blank row (001 line 3805 prints no 实施期
    # 其他资金 on the continuation page).
    funds = tuple(
        sorted(
            (f.period or "", f.funding_axis, str(f.amount_printed))
            for f in parsed.funding
            if f.amount_printed is not None
        )
    )
    table = parsed.table
    return (compact(table.project_name or ""), compact(table.implementing_unit or ""), funds)


def _append_or_merge(parsed_tables: list[ParsedTable], parsed: ParsedTable) -> None:
    """Append a Shanxi block, or merge it into the preceding table it continues.

    001 prints four tables over two pages, each page with the full header and fund block; the
    page-1 part has no footer (no 填报日期). Counting both would double the funding (Σ 年度 over
    227 occurrences is 163,810,541.66 instead of 158,257,041.66 over the 223 tables).
    """
    previous = parsed_tables[-1] if parsed_tables else None
    if (
        previous is None
        or previous.table.template != parsed.table.template
        or not parsed.funding
        or continuation_key(previous) != continuation_key(parsed)
    ):
        parsed_tables.append(parsed)
        return
    target = previous.table
    target.continuation_lines.append(parsed.table.first_line)
    target.last_line = parsed.table.last_line
    for field_name in ("responsible_person", "contact_person", "contact_phone", "fill_date"):
        if getattr(target, field_name) is None:
            setattr(target, field_name, getattr(parsed.table, field_name))
    previous.indicators.extend(parsed.indicators)
    seen = {(a.attribute, a.value_text) for a in previous.attributes}
    previous.attributes.extend(
        a for a in parsed.attributes if (a.attribute, a.value_text) not in seen
    )
    previous.warnings.extend(parsed.warnings)
    previous.has_footer = previous.has_footer or parsed.has_footer


def _number(parsed_tables: list[ParsedTable], doc: DocumentExtraction) -> None:
    """Give tables their ordinals and append every record to the document."""
    for ordinal, parsed in enumerate(parsed_tables, start=1):
        parsed.table.perf_ordinal = ordinal
        doc.performance_tables.append(parsed.table)
        for record in (*parsed.funding, *parsed.attributes):
            record.perf_ordinal = ordinal
        for position, indicator in enumerate(parsed.indicators, start=1):
            indicator.perf_ordinal, indicator.indicator_ordinal = ordinal, position
        for position, detail in enumerate(parsed.details, start=1):
            detail.perf_ordinal, detail.detail_ordinal = ordinal, position
        doc.performance_funding.extend(parsed.funding)
        doc.performance_indicators.extend(parsed.indicators)
        doc.project_details.extend(parsed.details)
        doc.performance_attributes.extend(parsed.attributes)
        doc.warnings.extend(parsed.warnings)
