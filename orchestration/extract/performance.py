"""Performance-target tables (绩效目标表): find them, choose their form, read, merge, match.

Tables are found by title wording, never by position: the ``title`` rows of
``dbt_project/seeds/performance_form_vocabulary.csv`` (first match wins; only bracketed parts such
as "（2020年）" may follow the matched words). A title names a table *kind*; the form within a kind
is chosen declaratively by :data:`FORMS` — a form with a ``signature`` (seed role ``signature``:
header words that all occur on one of the block's first rows) is taken when its header is
printed, else the kind's default form:

=============================================  =========================  ==================
title contains                                 family                     form (template)
=============================================  =========================  ==================
项目支出绩效目标(申报)表, 专项业务经费绩效目标表,  project_target             project_sheet
项目预算绩效目标表
                                                                          (shanxi_single),
                                                                          indicator_list,
                                                                          free_text_list
…申报表（项目总体情况） + （绩效目标） + （制度保障）  project_target             project_triplet
                                                                          (shanghai_triplet)
整体支出绩效目标(申报)表                        department_overall_target  overall_sheet
                                                                          (shanxi_overall)
整体支出绩效目标批复表                          overall_target_approval    overall_approval
                                                                          (sichuan_markdown)
=============================================  =========================  ==================

The readers are in :mod:`orchestration.extract.performance_forms`, their generic parts (records,
label helpers, indicator grids) in :mod:`orchestration.extract.performance_common`.

A block runs from its title to the next title. Page-2 continuations that repeat the header
(001: four blocks) are merged into the table they continue: same project name, implementing unit
and fund block as the preceding table. Their indicator rows are appended; their repeated funding
is not counted again.

Funding axes (``PerformanceFunding.funding_axis``):

* project_sheet: ``total`` (实施期/年度资金总额), ``central``, ``provincial``, ``city_county``,
  ``self_raised``, ``other``; period "implementation" (left half) or "annual" (right half).
* project_triplet: ``project_total`` (period "implementation"), ``current_year``, ``fiscal``,
  ``superior``, ``same_level``, ``subordinate``, ``other`` (period "annual").
* indicator_list / free_text_list: ``total`` (资金总额 / 预算金额, period "annual").
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
from collections.abc import Callable
from dataclasses import dataclass

from orchestration.extract import performance_forms as forms
from orchestration.extract import titles as table_titles
from orchestration.extract.performance_common import ParsedTable, compact
from orchestration.extract.performance_match import match_projects
from orchestration.extract.records import DocumentExtraction, ExtractionWarning
from orchestration.extract.text import Line
from orchestration.extract.vocabulary import form_title_rules, form_words

# --- constants ------------------------------------------------------------------------------
# After the title words only bracketed parts may follow ("（项目总体情况）", "（2020年）"); this
# keeps out sentences such as "（项目绩效目标表公开情况见附件）" (001 line 784).
_TITLE_TAIL_RE = re.compile(r"^(?:[（(][^（）()]*[）)])*$")
# Titles are short single-cell lines; a table-of-contents entry with dotted leaders is not one.
MAX_TITLE_CHARS = 60
# A form's signature is looked for on this many non-blank rows after the title.
SIGNATURE_ROWS = 8
KIND_PROJECT = "project"
PART_OVERVIEW = "project_triplet:overview"
PART_TARGETS = "project_triplet:targets"


@dataclass(frozen=True)
class FormSpec:
    """One printed form of a performance table: what opens it and which reader reads it."""

    form: str  # the seed's form name
    title_kind: str  # the code of the title rows that open it
    read: Callable[[list[Line], Line, str], ParsedTable | list[ParsedTable]]
    merges_continuations: bool = False  # a repeated page-2 part is merged into its table

    @property
    def signature(self) -> tuple[str, ...]:
        """Header words that choose this form among the forms of its title kind (seed rows)."""
        return form_words(self.form, "signature")


# Forms in order of preference; a form without signature is its kind's default. The three
# parts of a project_triplet are titled apart and merged by ``extract``.
FORMS: tuple[FormSpec, ...] = (
    FormSpec("indicator_list", KIND_PROJECT, forms.parse_indicator_list),
    FormSpec("free_text_list", KIND_PROJECT, forms.parse_free_text_list),
    FormSpec("project_sheet", KIND_PROJECT, forms.parse_project_block, merges_continuations=True),
    FormSpec("overall_sheet", "overall_sheet", forms.parse_department_block),
    FormSpec("overall_approval", "overall_approval", forms.parse_approval_block),
)


def title_kind(line: Line) -> str | None:
    """The kind of performance table a line titles (a title row's code), None for no title."""
    if sum(1 for cell in line.cells if cell.strip()) != 1:
        return None
    key = compact(line.joined).lstrip("#")
    if len(key) > MAX_TITLE_CHARS:
        return None
    for pattern, kind in form_title_rules():
        match = pattern.search(key)
        if match is not None and _TITLE_TAIL_RE.match(key[match.end() :]):
            return kind
    return None


def choose_form(kind: str, block: list[Line]) -> FormSpec:
    """The form of a block: the first form of its kind whose signature words all occur on one
    of the first rows, else the kind's form without signature."""
    rows = [line for line in block[1:] if not line.is_blank][:SIGNATURE_ROWS]
    keys = [[compact(cell) for cell in line.cells if cell.strip()] for line in rows]
    default = None
    for spec in FORMS:
        if spec.title_kind != kind:
            continue
        words = spec.signature
        if not words:
            default = default or spec
        elif any(all(any(word in key for key in row) for word in words) for row in keys):
            return spec
    if default is None:  # pragma: no cover - every title kind has a default form
        raise ValueError(f"no form for title kind {kind!r}")
    return default


def extract(lines: list[Line], file_name: str, doc: DocumentExtraction) -> None:
    """Append this module's records to doc: tables, funding, indicators, details, attributes,
    project matches and warnings."""
    titles = [(index, kind) for index, line in enumerate(lines) if (kind := title_kind(line))]
    # any table title ends a block, a form this reader does not know included
    boundaries = set(table_titles.title_lines(lines)) if titles else set()
    parsed_tables: list[ParsedTable] = []
    current_triplet: ParsedTable | None = None
    for position, (index, kind) in enumerate(titles):
        end = titles[position + 1][0] if position + 1 < len(titles) else len(lines)
        other = next((i for i in range(index + 1, end) if lines[i].number in boundaries), None)
        if other is not None:
            end = table_titles.label_start(lines, other)  # "表16" above its title
        block = lines[index:end]
        title = lines[index]
        try:
            if kind == PART_OVERVIEW:
                current_triplet = forms.parse_overview(block, title, file_name)
                parsed_tables.append(current_triplet)
            elif kind.startswith("project_triplet:"):
                if current_triplet is None:
                    doc.warnings.append(
                        _warning(file_name, title, "orphan_subtable", "no 总体情况")
                    )
                elif kind == PART_TARGETS:
                    forms.merge_targets(current_triplet, block, title, file_name)
                else:
                    forms.merge_safeguards(current_triplet, block, title, file_name)
            else:
                spec = choose_form(kind, block)
                result = spec.read(block, title, file_name)
                for parsed in result if isinstance(result, list) else [result]:
                    if spec.merges_continuations:
                        _append_or_merge(parsed_tables, parsed)
                    else:
                        parsed_tables.append(parsed)
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
    """Append a project_sheet block, or merge it into the preceding table it continues.

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
