"""The performance-target forms (绩效目标表): one reader function per form, wording from the seed.

Each form is a way of printing the same content (a project's or a department's funding,
indicators and texts); :mod:`orchestration.extract.performance` decides which form a block is
(title wording, then header wording) and calls its reader here. Every label a reader recognises
is a row of ``dbt_project/seeds/performance_form_vocabulary.csv`` (``form`` = the form below):

* ``project_sheet`` (template "shanxi_single", family "project_target", 001): header fields, a
  fund block with 实施期 and 年度 side by side, text sections, a two-half indicator grid
  (实施期 | 年度) and a footer. Column positions vary from block to block (the fund row has 8–22
  cells), so every field is read as *label -> next value* and labels are recognised by wording.
  A block printing one period only (实施期 or 年度资金总额) has a one-half grid of that period; a
  分值权重 column gives each indicator its weight; a row label repeated on every grid row (绩效指标)
  is no indicator text; a line of running text after the grid ends the table.
* ``overall_sheet`` (template "shanxi_overall", family "department_overall_target", 001):
  department, counts and headcounts, funding by source and by direction, tasks, goal, indicators.
* ``project_triplet`` (template "shanghai_triplet", family "project_target", 004): each project
  prints three tables in a row, merged into one ``PerformanceTable`` (the (b) and (c) title lines
  are its ``continuation_lines``):

  * (a) …申报表（项目总体情况）: name, 项目类别 checkboxes, contacts, dates, the 项目资金 block
    (项目总预算 / 当年预算 / 财政拨款 / 上级 / 本级 / 下级 / 其他资金) and texts;
  * (b) …（绩效目标）: 项目构成 text, the five-column indicator grid and the 项目构成分解 detail
    rows ending in a 金额合计 row;
  * (c) …(制度保障): documents by category (kept as attributes).

  Funding axes: ``project_total`` (项目总预算, period "implementation") and ``current_year``
  (当年预算), ``fiscal`` (财政拨款), ``superior`` / ``same_level`` / ``subordinate`` (上级 / 本级
  / 下级财政) and ``other`` (其他资金), all period "annual".
* ``overall_approval`` (template "sichuan_markdown", family "overall_target_approval", 003): one
  logical table rendered as three markdown tables with different column counts, so nothing is
  read by absolute column: funding by header paths ("基本支出 / 财政拨款") over the value row
  (基本支出/项目支出 合计 become axes "basic"/"project", their splits the fund-source axes with
  the direction in ``funding_label``); 年度主要任务 as (name, content) pairs; 年度绩效指标
  anchored on the 绩效指标性质 cell (≥ / = / 定性) because rows are shifted.
* ``indicator_list`` and ``free_text_list``: see their sections below.
"""

from __future__ import annotations

import re
from decimal import Decimal

from orchestration.extract.performance_common import (
    NATURE_WORDS,
    ParsedTable,
    ShiftedGrid,
    Slot,
    block_cells,
    checked_labels,
    compact,
    count_attribute,
    first_keyword,
    grid_cells,
    is_amount_text,
    is_grid_header,
    is_year_line,
    labelled_values,
    level_kind,
    looks_like_phone,
    make_indicator,
    new_parsed_table,
    parse_count,
    parse_target,
    project_category,
    read_slot_row,
    resolve_levels,
    split_code_name,
    split_label_amount,
    strip_label,
    tokens,
    value_after,
)
from orchestration.extract.records import PerformanceTable, ProjectDetail
from orchestration.extract.text import (
    Line,
    find_unit,
    is_amount,
    is_watermark,
    normalize_name,
    parse_amount,
)
from orchestration.extract.vocabulary import form_labels, form_words

SHEET = "project_sheet"
OVERALL = "overall_sheet"
TRIPLET = "project_triplet"
APPROVAL = "overall_approval"


def _pairs(form: str, role: str) -> tuple[tuple[str, str], ...]:
    """(label, code) rows of one role of a form, in the seed's order."""
    return tuple((item.label, item.code) for item in form_labels(form, role))


def _label_of(form: str, role: str, code: str) -> str:
    """The printed label of the row of ``role`` whose code is ``code``."""
    return next(item.label for item in form_labels(form, role) if item.code == code)


def _grid_words(form: str) -> tuple[str, str]:
    """The two header words that mark a form's indicator grid (一级 and 三级)."""
    return (_label_of(form, "grid_header", "level1"), _label_of(form, "grid_header", "level3"))


# --- form project_sheet: one project per sheet (template shanxi_single) -----------------------
# Header fields: printed label -> field, matched as a prefix of the cell. Longer labels first
# ("主管部门及代码" before "主管部门"); "项目日期" is a variant of 项目期 (001 block 1322).
HEADER_FIELDS: tuple[tuple[str, str], ...] = _pairs(SHEET, "header_field")
HEADER_LABELS: tuple[str, ...] = tuple(label for label, _field in HEADER_FIELDS)
FUND_ROW_LABELS = form_words(SHEET, "fund_row_label")  # 项目资金, 资金金额
# Text sections of the project table: label -> attribute code.
SECTION_ATTRIBUTES: tuple[tuple[str, str], ...] = _pairs(SHEET, "section")
GOAL_HEADER = form_words(SHEET, "goal_header")  # (实施期, 年度)
GOAL_ROW_LABELS = form_words(SHEET, "goal_row_label")  # "总目标" in 001 line 3812
FOOTER_FIELDS: tuple[tuple[str, str], ...] = _pairs(SHEET, "footer_field")
FOOTER_START: tuple[str, ...] = form_words(SHEET, "footer_start")
FOOTER_LABELS: tuple[str, ...] = tuple(label for label, _field in FOOTER_FIELDS)
INDICATOR_HEADER_WORDS = _grid_words(SHEET)
HALF_MARKER = _label_of(SHEET, "grid_header", "level2")  # 二级指标
WEIGHT_HEADER_WORDS = form_words(SHEET, "grid_weight_header")  # 分值权重（90分）
GRID_ROW_LABELS = form_words(SHEET, "grid_row_label")  # 绩效指标 printed on every grid row

# Fund labels of the Shanxi block -> axis. Labels are often cut by a wrap ("市县（区）财政资" +
# "金", "单位自" + "筹金", "市县（区）" + "财政资金"), so they are recognised by a key word.
PERIOD_WORDS: tuple[tuple[str, str], ...] = tuple(
    (item.label, item.period or "") for item in form_labels(SHEET, "period_word")
)
SHEET_FUND_AXES: tuple[tuple[str, str], ...] = _pairs(SHEET, "fund_axis")


def fund_axis(label: str) -> str | None:
    """Axis of a Shanxi fund label, None for a fragment of a wrapped label ("金", "筹金")."""
    return first_keyword(strip_label(label), SHEET_FUND_AXES)


def label_period(label: str) -> str | None:
    """Period named by the label itself ("实施期资金总额", "年度资金总额")."""
    return first_keyword(compact(label), PERIOD_WORDS)


# --- project table --------------------------------------------------------------------------
def parse_project_block(block: list[Line], title: Line, file_name: str) -> ParsedTable:
    """Parse one 项目支出绩效目标表 block (title line first, next title excluded)."""
    parsed = new_parsed_table(title, block, "project_target", "shanxi_single")
    table = parsed.table
    unit = "元"
    lines = [line for line in block[1:] if not line.is_blank and not is_watermark(line.text)]
    state = "header"
    fund_cols: dict[str, int] = {}
    grid_threshold: int | None = None
    goal_annual_col: int | None = None
    goal_pending = False
    weight_col: int | None = None
    last_grid_line = title.number
    halves: tuple[str | None, ...] = ("implementation", "annual")
    carry = _GridCarry()
    pending_header: list[str] = []
    for line in lines:
        toks = tokens(line.cells)
        if not toks:
            continue
        first = compact(toks[0][1])
        if state in ("header", "fund") and first.startswith(FUND_ROW_LABELS):
            unit = _bracket_unit(toks[0][1]) or unit
            state = "fund"
            toks = toks[1:]
        elif state == "header":
            pending_header = _read_header_row(parsed, toks, pending_header)
            continue
        if state == "fund":
            ends_block = (
                _section(first) is not None
                or first.startswith(GOAL_HEADER + GOAL_ROW_LABELS)
                or is_grid_header(toks, INDICATOR_HEADER_WORDS)
                or _is_footer(toks)
            )
            if not ends_block:
                _read_fund_row(parsed, line, toks, unit, fund_cols, file_name)
                continue
            state = "text"
        if state == "text":
            section = _section(first)
            if section is not None:
                text = " ".join(text for _col, text in toks[1:])
                if text:
                    parsed.add_attribute(line, section[1], section[0], text)
                continue
            if (
                len(toks) == 2
                and compact(toks[0][1]) in GOAL_HEADER
                and compact(toks[1][1]) not in GOAL_HEADER
            ):
                # "年度目标 | <goal>": a goal labelled with its own period
                period = "annual" if compact(toks[0][1]) == GOAL_HEADER[1] else "implementation"
                parsed.add_attribute(line, f"goal_{period}", compact(toks[0][1]), toks[1][1])
                continue
            if any(compact(text) in GOAL_HEADER for _col, text in toks):
                # "实施期目标 | 年度目标" header, possibly after the 总体目标 label (001 line 4868:
                # the goals then follow on an unlabelled row)
                for col, text in toks:
                    if compact(text) == GOAL_HEADER[1]:
                        goal_annual_col = col
                goal_pending = first.startswith(GOAL_ROW_LABELS)
                continue
            if first.startswith(GOAL_ROW_LABELS):
                _read_goal_row(parsed, line, toks[1:], goal_annual_col)
                continue
            if goal_pending:
                _read_goal_row(parsed, line, toks, goal_annual_col)
                goal_pending = False
                continue
            if is_grid_header(toks, INDICATOR_HEADER_WORDS):
                state = "grid"
                grid_threshold = _second_col(toks, HALF_MARKER)
                weight_col = next(
                    (c for c, t in toks if any(w in compact(t) for w in WEIGHT_HEADER_WORDS)),
                    None,
                )
                halves = _grid_halves(parsed, toks)
                continue
        if state == "grid" and is_grid_header(toks, INDICATOR_HEADER_WORDS):
            continue
        if _is_footer(toks):
            _read_footer(parsed, toks)
            state = "footer"
            continue
        if state == "grid" and len(toks) == 1 and line.layout == "text" and parsed.indicators:
            # a line of running text after the grid (a PDF page's next heading, "表14-2")
            # ends the table: no grid row is printed outside the table's cells
            state = "end"
            table.last_line = last_grid_line
            continue
        if state == "end":
            continue
        if state == "grid":
            last_grid_line = line.number
            grid_toks = tokens(grid_cells(line))
            if grid_toks and grid_toks[0][0] == 0 and compact(grid_toks[0][1]) in GRID_ROW_LABELS:
                grid_toks = grid_toks[1:]
            weight = None
            if weight_col is not None and grid_toks and grid_toks[-1][0] == weight_col:
                weight = grid_toks.pop()[1]
            count = len(parsed.indicators)
            _read_grid_row(parsed, line, grid_toks, grid_threshold, carry, halves)
            if weight is not None:
                _set_weight(parsed, parsed.indicators[count:], line, weight, file_name)
            continue
        if state == "text" and not any(looks_like_phone(text) for _c, text in toks):
            parsed.warn(file_name, line, "unreadable_row", "row of a project table not recognised")
    table.project_category = project_category(table.project_attribute)
    if state not in ("grid", "footer", "end"):
        parsed.warn(file_name, title, "no_indicator_grid", "no indicator grid found in block")
    return parsed


def _grid_halves(parsed: ParsedTable, header: list[tuple[int, str]]) -> tuple[str | None, ...]:
    """Periods of the grid's halves: 实施期 | 年度, or the one period of a one-half grid whose
    fund block prints a single period (实施期资金总额 only, or 年度预算资金总额 only)."""
    halves = sum(1 for _col, text in header if compact(text) == HALF_MARKER)
    periods = {f.period for f in parsed.funding if not f.is_blank}
    if halves == 1 and len(periods) == 1:
        return (periods.pop(),)
    return ("implementation", "annual")


def _set_weight(
    parsed: ParsedTable, indicators: list, line: Line, weight: str, file_name: str
) -> None:
    """The 分值权重 printed at the end of a grid row, on the row's one indicator."""
    try:
        value = Decimal(compact(weight))
    except ArithmeticError:
        value = None
    if value is None or len(indicators) != 1:
        parsed.warn(file_name, line, "unreadable_weight", f"weight {weight!r} not read")
        return
    indicators[0].weight = value


def _bracket_unit(text: str) -> str:
    """The unit in "项目资金（元）" / "资金总额(万元)"; "" when none."""
    key = compact(text)
    for unit in ("亿元", "万元", "元"):
        if f"（{unit}）" in key:
            return unit
    return ""


def _section(first: str) -> tuple[str, str] | None:
    for label, code in SECTION_ATTRIBUTES:
        if first.startswith(label):
            return label, code
    return None


def _header_field(text: str) -> tuple[str, str] | None:
    key = compact(text)
    for label, field_name in HEADER_FIELDS:
        if key.startswith(label):
            return label, field_name
    return None


def _read_header_row(
    parsed: ParsedTable, toks: list[tuple[int, str]], pending: list[str]
) -> list[str]:
    """Read header fields of one row; returns the fields left without a value.

    A value printed alone on the following row (001 block 7783: "项目期" blank, "1年" below)
    fills the last field left empty on the row above.
    """
    table = parsed.table
    found = [(index, _header_field(text)) for index, (_col, text) in enumerate(toks)]
    if not any(field for _index, field in found):
        for _col, text in toks:
            if pending:
                _set_header(table, pending.pop(), text)
        return []
    missing: list[str] = []
    for index, field in found:
        if field is None:
            continue
        value = value_after(toks, index, HEADER_LABELS)
        if value:
            _set_header(table, field[1], value)
        else:
            missing.append(field[1])
    return missing


def _set_header(table: PerformanceTable, field_name: str, value: str) -> None:
    value = normalize_name(value)
    if field_name == "name":
        table.project_name_raw = value
        table.project_name = value
    elif field_name == "department":
        table.department_code, table.department_name = split_code_name(value)
    elif field_name == "unit":
        table.implementing_unit = value
    elif field_name == "attribute":
        table.project_attribute = value
    elif field_name == "period":
        table.project_period = value


def _read_fund_row(
    parsed: ParsedTable,
    line: Line,
    toks: list[tuple[int, str]],
    unit: str,
    fund_cols: dict[str, int],
    file_name: str,
) -> None:
    """Read one row of the fund block as label -> next amount pairs.

    The period of a pair comes from the label (实施期/年度资金总额) or its half of the row: with
    two labels on the row the first is 实施期 and the second 年度; a lone label is placed by its
    column against the columns of the two 资金总额 labels. A wrapped-label fragment ("金",
    "筹金") carries no figure of its own: its value is a phantom (001 blocks 3090, 3194, …) unless
    the label it completes was printed blank, which then takes it.
    """
    pairs: list[tuple[int, str, str | None]] = []  # (col, label, amount)
    for col, text in toks:
        label, amount = split_label_amount(text)
        if label:
            pairs.append((col, label, amount))
        elif pairs and pairs[-1][2] is None:
            pairs[-1] = (pairs[-1][0], pairs[-1][1], amount)
        else:
            parsed.warn(file_name, line, "orphan_amount", f"amount {text!r} without a fund label")
    for col, label, _amount in pairs:
        period = label_period(label)
        if period is not None and fund_axis(label) == "total":
            fund_cols[period] = col
    for position, (col, label, amount) in enumerate(pairs):
        period = label_period(label) or _pair_period(position, len(pairs), col, fund_cols)
        axis = fund_axis(label)
        if axis is None:
            _absorb_fragment(parsed, line, period, amount, unit, file_name)
            continue
        parsed.add_funding(line, period, axis, normalize_name(label), amount or "", unit, file_name)


def _pair_period(position: int, count: int, col: int, fund_cols: dict[str, int]) -> str:
    if len(fund_cols) == 1:
        return next(iter(fund_cols))  # a block printing one period (年度预算资金总额 only)
    if count == 2:
        return "implementation" if position == 0 else "annual"
    if "implementation" in fund_cols and "annual" in fund_cols:
        middle = (fund_cols["implementation"] + fund_cols["annual"]) / 2
        return "implementation" if col < middle else "annual"
    return "implementation" if position == 0 else "annual"


def _absorb_fragment(
    parsed: ParsedTable, line: Line, period: str, amount: str | None, unit: str, file_name: str
) -> None:
    """Give a fragment's value to the preceding label of its half if that one was blank."""
    if not amount:
        return
    for record in reversed(parsed.funding):
        if record.period == period:
            if record.is_blank:
                parsed.add_funding(
                    line, period, record.funding_axis, record.funding_label, amount, unit, file_name
                )
            return


def _read_goal_row(
    parsed: ParsedTable, line: Line, toks: list[tuple[int, str]], annual_col: int | None
) -> None:
    """总体目标: the 实施期 goal on the left, the 年度 goal on the right; a lone goal of a block
    whose fund block prints one period only (年度预算资金总额) is that period's goal."""
    periods = {f.period for f in parsed.funding if not f.is_blank}
    for position, (col, text) in enumerate(toks):
        if len(toks) >= 2:
            period = "implementation" if position == 0 else "annual"
        elif annual_col is None and len(periods) == 1:
            period = next(iter(periods)) or "implementation"
        else:
            period = "annual" if annual_col is not None and col >= annual_col else "implementation"
        parsed.add_attribute(line, f"goal_{period}", GOAL_ROW_LABELS[0], text)


def _second_col(toks: list[tuple[int, str]], word: str) -> int | None:
    cols = [col for col, text in toks if compact(text) == word]
    return cols[1] if len(cols) >= 2 else None


class _GridCarry:
    """Level names carried down the grid (blank cells repeat the name above)."""

    def __init__(self) -> None:
        self.level1: str | None = None
        self.level2: dict[str, str | None] = {}


def _read_grid_row(
    parsed: ParsedTable,
    line: Line,
    toks: list[tuple[int, str]],
    threshold: int | None,
    carry: _GridCarry,
    halves: tuple[str | None, ...],
) -> None:
    """Read one indicator row of a one- or two-half grid."""
    level1, slots = read_slot_row(toks)
    if level1 is not None:
        carry.level1 = level1
        carry.level2 = {}
    assigned = _assign_halves(slots, threshold, halves)
    for period, slot in assigned:
        if slot.level2 is not None:
            carry.level2[str(period)] = slot.level2
        if slot.is_empty:
            continue
        indicator = make_indicator(
            line.number,
            period,
            carry.level1,
            carry.level2.get(str(period)),
            slot.level3,
            slot.target,
        )
        parsed.indicators.append(indicator)


def _assign_halves(
    slots: list[Slot], threshold: int | None, halves: tuple[str | None, ...]
) -> list[tuple[str | None, Slot]]:
    if len(halves) == 1:
        return [(halves[0], slot) for slot in slots]
    if len(slots) == 2:
        return [(halves[0], slots[0]), (halves[1], slots[1])]
    result = []
    for slot in slots:
        right = threshold is not None and slot.col >= threshold
        result.append((halves[1] if right else halves[0], slot))
    return result


def _is_footer(toks: list[tuple[int, str]]) -> bool:
    keys = [compact(text) for _col, text in toks]
    return any(key.startswith(FOOTER_START) for key in keys)


def _read_footer(parsed: ParsedTable, toks: list[tuple[int, str]]) -> None:
    """负责人 / 经办人 / 联系电话 / 填报日期 (personal data goes only to the table record)."""
    parsed.has_footer = True
    fields = dict(FOOTER_FIELDS)
    for label, value in labelled_values(toks, FOOTER_LABELS):
        if value:
            setattr(parsed.table, fields[label], value)


# --- form overall_sheet: a department's overall targets (template shanxi_overall) ---------------
# Fund sources and directions of the overall tables (001 整体支出绩效目标申报表, 003 批复表).
OVERALL_AXES: tuple[tuple[str, str], ...] = _pairs("overall", "fund_axis")
OVERALL_TEXT_ATTRIBUTES: tuple[tuple[str, str], ...] = _pairs(OVERALL, "section")
DEPARTMENT_LABEL = form_words(OVERALL, "department_label")[0]  # 部门名称
OVERALL_FUNDING_WORDS = form_words(OVERALL, "funding_header")  # 按资金来源 / 按资金方向
TASK_HEADERS = form_labels(OVERALL, "task_header")  # code: how the label is matched
TASK_NAME_HEADER = form_words(OVERALL, "task_name_header")[0]  # 核心职能
OVERALL_GRID_WORDS = _grid_words(OVERALL)


def overall_axis(label: str) -> str | None:
    """Axis of a fund label of an overall table."""
    return first_keyword(strip_label(label), OVERALL_AXES)


def parse_department_block(block: list[Line], title: Line, file_name: str) -> ParsedTable:
    """Parse a 整体支出绩效目标申报表 block (001 lines 844–888)."""
    parsed = new_parsed_table(title, block, "department_overall_target", "shanxi_overall")
    table = parsed.table
    unit = "元"
    state = "info"
    task_cols: dict[str, int] = {}
    carry = _GridCarry()
    for line in block[1:]:
        if line.is_blank or is_watermark(line.text) or is_year_line(line.joined):
            continue
        toks = tokens(line.cells)
        keys = [compact(text) for _col, text in toks]
        if any(key.startswith(DEPARTMENT_LABEL) for key in keys):
            index = next(i for i, key in enumerate(keys) if key.startswith(DEPARTMENT_LABEL))
            value = value_after(toks, index, (DEPARTMENT_LABEL,))
            if value:
                table.department_code, table.department_name = split_code_name(value)
            continue
        if any(word in key for key in keys for word in OVERALL_FUNDING_WORDS):
            unit = next((u for _c, t in toks if (u := _bracket_unit(t))), unit)
            state = "funding"
            continue
        if any(_is_task_header(key) for key in keys):
            state = "tasks"
            task_cols = {compact(text): col for col, text in toks}
            continue
        if is_grid_header(toks, OVERALL_GRID_WORDS):
            state = "grid"
            continue
        text_attr = next(
            ((label, code) for label, code in OVERALL_TEXT_ATTRIBUTES if keys[0].startswith(label)),
            None,
        )
        if text_attr is not None and state != "grid":
            text = " ".join(text for _col, text in toks[1:])
            if text:
                parsed.add_attribute(line, text_attr[1], text_attr[0], text)
            state = "info"
            continue
        if state == "grid":
            _read_grid_row(parsed, line, tokens(grid_cells(line)), None, carry, ("annual",))
            continue
        if state == "funding":
            _read_overall_fund_row(parsed, line, toks, unit, file_name)
            continue
        if state == "tasks":
            _read_task_row(parsed, line, toks, task_cols)
            continue
        if not _read_counts(parsed, line, toks):
            parsed.warn(file_name, line, "unreadable_row", "row of an overall table not recognised")
    return parsed


def _read_counts(parsed: ParsedTable, line: Line, toks: list[tuple[int, str]]) -> bool:
    """内设职能部门数 12个, 实际在职人员总数 1,987人 … as label -> next count."""
    found = False
    for index, (_col, text) in enumerate(toks):
        code = count_attribute(text)
        if code is None:
            continue
        value = next((t for _c, t in toks[index + 1 :] if parse_count(t)[0] is not None), None)
        if value is None:
            continue
        number, value_unit = parse_count(value)
        parsed.add_attribute(line, code, strip_label(text), value.strip(), number, value_unit)
        found = True
    return found


def _read_overall_fund_row(
    parsed: ParsedTable, line: Line, toks: list[tuple[int, str]], unit: str, file_name: str
) -> None:
    """Funding of an overall table by source (left) and by direction (right).

    Both sides end in a 合计 of the same amount (001 line 856: 54296.65 twice). The direction
    side's 合计 is checked against the source side's and not stored a second time, so that a
    sum over axis "total" is not doubled.
    """
    pairs: list[tuple[str, str | None]] = []
    for _col, text in toks:
        label, amount = split_label_amount(text)
        if label:
            pairs.append((label, amount))
        elif pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], amount)
    for label, amount in pairs:
        axis = overall_axis(label)
        if axis is None:
            parsed.warn(file_name, line, "unknown_fund_label", f"fund label {label!r} unknown")
            continue
        parsed.add_funding(line, None, axis, normalize_name(label), amount or "", unit, file_name)


def _is_task_header(key: str) -> bool:
    return any(
        key.startswith(item.label) if item.code == "prefix" else key == item.label
        for item in TASK_HEADERS
    )


def _read_task_row(
    parsed: ParsedTable, line: Line, toks: list[tuple[int, str]], task_cols: dict[str, int]
) -> None:
    """年度重点任务: 核心职能 (may be blank) and 重点任务 text."""
    function_col = task_cols.get(TASK_NAME_HEADER)
    name = next((text for col, text in toks if col == function_col), None)
    texts = [text for col, text in toks if col != function_col]
    for text in texts:
        parsed.add_attribute(line, "annual_task", name or "重点任务", text)


# --- form project_triplet: three tables per project (template shanghai_triplet) ---------------
# Fund labels -> (axis, period). 上级/本级/下级财政拨款 contain 财政拨款, so they come first.
FUND_AXES: tuple[tuple[str, str, str], ...] = tuple(
    (item.label, item.code, item.period or "") for item in form_labels(TRIPLET, "fund_axis")
)
# A fund label is short ("（一）财政拨款：", "2. 本级财政安排："); long text that merely mentions
# 财政拨款 in a 项目立项情况 paragraph is not one.
MAX_FUND_LABEL_CHARS = 14

CONTACT_FIELDS: tuple[tuple[str, str], ...] = _pairs(TRIPLET, "contact_field")
CONTACT_LABELS: tuple[str, ...] = tuple(label for label, _field in CONTACT_FIELDS)
TEXT_SECTIONS: tuple[tuple[str, str], ...] = _pairs(TRIPLET, "section")
GRID_HEADER_WORDS = _grid_words(TRIPLET)
GRID_HEADER_ROLES: tuple[tuple[str, str], ...] = _pairs(TRIPLET, "grid_header")
DETAIL_HEADER_WORD = form_words(TRIPLET, "detail_header")[0]  # 明细金额
# row label, printed split ("目 构 成 分 解", "项目构")
DETAIL_LABEL = form_words(TRIPLET, "detail_label")[0]  # 项目构成分解
TOTAL_LABEL = form_words(TRIPLET, "total_label")[0]  # 合计
SAFEGUARD_CATEGORIES = form_words(TRIPLET, "safeguard_category")
_NAME_LABEL_RE = re.compile(r"^项目名称[：:]?")


# (a) 项目总体情况 ------------------------------------------------------------------------
def parse_overview(block: list[Line], title: Line, file_name: str) -> ParsedTable:
    """Parse the (a) table; (b) and (c) are merged into the result by the caller."""
    parsed = new_parsed_table(title, block, "project_target", "shanghai_triplet")
    table = parsed.table
    unit = _block_unit(block)
    section: tuple[str, str] | None = None
    for line in block[1:]:
        if line.is_blank or is_watermark(line.text):
            continue
        cells = block_cells(line)
        toks = tokens(cells)
        if not toks:
            continue
        keys = [compact(text) for _col, text in toks]
        first = keys[0]
        if first.startswith("项目名称"):
            value = value_after(toks, 0, ("项目名称",))
            if value:
                table.project_name_raw = table.project_name = normalize_name(value)
            continue
        if first.startswith("项目类别"):
            _read_category(table, " ".join(text for _col, text in toks[1:]))
            continue
        if any(key.startswith(CONTACT_LABELS) for key in keys):
            _read_triplet_contacts(parsed, toks)
            section = None
            continue
        if _read_fund_tokens(parsed, line, toks, unit, file_name):
            section = None
            continue
        new_section = next(
            ((label, code) for label, code in TEXT_SECTIONS if first.startswith(label)), None
        )
        if new_section is not None:
            section = new_section
            toks = toks[1:]
        if section is not None:
            text = " ".join(text for _col, text in toks if compact(text) not in ("--", "-"))
            if text:
                parsed.add_attribute(line, section[1], section[0], text)
            continue
        if first.startswith(("填报单位（盖章）", "金额单位")) or find_unit(line.text):
            continue
        if is_year_line(line.joined):
            continue
        parsed.warn(file_name, line, "unreadable_row", "row of a 项目总体情况 table not recognised")
    table.project_category = project_category(table.project_attribute)
    return parsed


def _block_unit(block: list[Line]) -> str:
    for line in block:
        unit = find_unit(line.text)
        if unit:
            return unit
    return "元"


def _read_category(table: PerformanceTable, text: str) -> None:
    """项目类别 with checkbox marks before or after their labels."""
    labels = checked_labels(text)
    if labels is None:
        table.project_attribute = normalize_name(text) or None
    else:
        table.project_attribute = "、".join(normalize_name(label) for label in labels) or None


def _read_triplet_contacts(parsed: ParsedTable, toks: list[tuple[int, str]]) -> None:
    """Contacts and dates; personal data goes only to the table record."""
    fields = dict(CONTACT_FIELDS)
    for label, value in labelled_values(toks, CONTACT_LABELS):
        field_name = fields[label]
        if value and getattr(parsed.table, field_name) is None:
            setattr(parsed.table, field_name, value)


def fund_label(label: str) -> tuple[str, str] | None:
    """(axis, period) of a Shanghai fund label, None when it is not one."""
    key = compact(label)
    if not key or len(key) > MAX_FUND_LABEL_CHARS:
        return None
    for word, axis, period in FUND_AXES:
        if word in key:
            return axis, period
    return None


def _read_fund_tokens(
    parsed: ParsedTable, line: Line, toks: list[tuple[int, str]], unit: str, file_name: str
) -> bool:
    """Read label -> amount pairs of the 项目资金 block; True when the row was a fund row.

    The row label "项目资金" may float to another row (004 line 1120), so any row made of fund
    labels and amounts is read wherever it sits. Repeats (the HTML table and its text copy,
    004 lines 1187–1193 and 1503–1510) are dropped by ``ParsedTable.add_funding``.
    """
    pairs: list[tuple[str, str | None]] = []
    other = 0
    for _col, text in toks:
        label, amount = split_label_amount(text)
        if label and fund_label(label) is not None:
            pairs.append((label, amount))
        elif not label and pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], amount)
        elif compact(text) != "项目资金":
            other += 1
    if not pairs or other:
        return False
    for label, amount in pairs:
        axis, period = fund_label(label) or ("", "")
        parsed.add_funding(line, period, axis, normalize_name(label), amount or "", unit, file_name)
    return True


# (b) 绩效目标 ----------------------------------------------------------------------------
def merge_targets(parsed: ParsedTable, block: list[Line], title: Line, file_name: str) -> None:
    """Read a (b) table into the project's table: composition text, indicators, details."""
    _add_continuation(parsed, block, title)
    grid: ShiftedGrid | None = None
    state = "head"
    name_pending = False
    for line in block[1:]:
        if line.is_blank or is_watermark(line.text):
            continue
        toks = tokens(block_cells(line))
        if not toks or all(_is_dash(text) for _col, text in toks):
            continue  # a row of "------" cells closes the 004 detail tables
        keys = [compact(text) for _col, text in toks]
        if state == "head" and keys[0].startswith("项目名称"):
            name_pending = not _check_name(parsed, toks, line, file_name)
            continue
        if name_pending and len(toks) == 1:
            # "项目名称：" with the name alone on the next line (004 lines 1679–1680)
            _check_name(parsed, [(0, f"项目名称：{toks[0][1]}")], line, file_name)
            name_pending = False
            continue
        if is_grid_header(toks, GRID_HEADER_WORDS):
            grid = ShiftedGrid(_header_cols(toks))
            state = "grid"
            continue
        if any(DETAIL_HEADER_WORD in key for key in keys):
            state = "details"
            continue
        if state == "head":
            if is_year_line(line.joined):
                continue
            if keys[0].startswith("项目构成"):
                text = " ".join(text for _col, text in toks[2:] or toks[1:])
                parsed.add_attribute(line, "composition", "项目构成", text)
            elif not find_unit(line.text) and not keys[0].startswith(("金额单位", "额单位")):
                parsed.warn(file_name, line, "unreadable_row", "row before the grid not recognised")
            continue
        if state == "grid" and grid is not None:
            roles = grid.read(toks)
            if roles is None:
                if len(toks) > 1 or not _is_label_fragment(keys[0]):
                    parsed.warn(file_name, line, "unreadable_indicator", "indicator row unread")
                continue
            parsed.indicators.append(
                make_indicator(
                    line.number,
                    "annual",
                    roles.get("level1") or None,
                    roles.get("level2") or None,
                    roles.get("level3"),
                    roles.get("target"),
                    roles.get("remark"),
                )
            )
            continue
        if state == "details":
            _read_detail_row(parsed, line, block_cells(line), file_name)


def _header_cols(toks: list[tuple[int, str]]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for col, text in toks:
        key = compact(text)
        for word, role in GRID_HEADER_ROLES:
            if key == word:
                cols[role] = col
    # a missing header word (never seen) falls back to consecutive columns
    base = cols.get("level1", 1)
    for offset, (_word, role) in enumerate(GRID_HEADER_ROLES):
        cols.setdefault(role, base + offset)
    return cols


def _is_label_fragment(key: str) -> bool:
    """True for a piece of a vertically split row label ("绩效", "目标", "目构成分解")."""
    return bool(key) and (key in "绩效目标" or key in DETAIL_LABEL or key == "绩效日")


def _check_name(
    parsed: ParsedTable, toks: list[tuple[int, str]], line: Line, file_name: str
) -> bool:
    """Compare a sub-table's 项目名称 with the triplet's; False when no name is printed."""
    name = _NAME_LABEL_RE.sub("", compact(toks[0][1])) or (
        compact(toks[1][1]) if len(toks) > 1 else ""
    )
    # "金额单位：元" may share the line, truncated to "额单位：" (004 line 1895)
    name = re.sub(r"金?额单位[：:].*$", "", name)
    expected = compact(parsed.table.project_name or "")
    if name and expected and name != expected:
        parsed.warn(
            file_name,
            line,
            "name_mismatch",
            f"sub-table names {name!r}, the 项目总体情况 table {expected!r}",
        )
    return bool(name)


def _add_continuation(parsed: ParsedTable, block: list[Line], title: Line) -> None:
    parsed.table.continuation_lines.append(title.number)
    parsed.table.last_line = max(parsed.table.last_line, block[-1].number)


def _read_detail_row(
    parsed: ParsedTable,
    line: Line,
    cells: tuple[str, ...],
    file_name: str,
) -> None:
    """One 项目构成分解 row: text cells, then 明细金额 | 单价 | 依据 | 数量 | 依据 | 备注.

    Long 项目明细 text pushes the amount to a variable column (004 信息化 / 云录播 projects), so
    the first amount cell after the text cells anchors the row; "1937217.6 0" (a wrap space inside
    the number, 004 line 1087) is one amount.
    """
    values = [cell.strip() for cell in cells]
    while values and not values[-1]:
        values.pop()
    keys = [compact(value) for value in values]
    is_total = any(TOTAL_LABEL in key for key in keys if key and not is_amount_text(key))
    anchor = next((i for i, value in enumerate(values) if is_amount_text(value)), None)
    if anchor is None:
        parsed.warn(file_name, line, "unreadable_detail", "detail row without an amount")
        return
    texts = [
        value
        for value, key in zip(values[:anchor], keys[:anchor], strict=True)
        if value and not _is_label_fragment(key) and TOTAL_LABEL not in key
    ]
    after = values[anchor + 1 :] + [""] * 6
    price, price_basis, quantity, quantity_basis = after[0], after[1], after[2], after[3]
    remark = " ".join(value for value in after[4:] if value and not _is_dash(value))
    unit_price = _amount_or_none(price)
    quantity_value = _amount_or_none(quantity)
    if (price and unit_price is None and not _is_dash(price)) or (
        quantity and quantity_value is None and not _is_dash(quantity)
    ):
        parsed.warn(file_name, line, "unreadable_detail", "单价 or 数量 is not a number")
    parsed.details.append(
        ProjectDetail(
            perf_ordinal=0,
            detail_ordinal=0,
            source_line=line.number,
            item_name=normalize_name(texts[0]) if texts else None,
            item_content=normalize_name(texts[1]) if len(texts) > 1 else None,
            item_detail=normalize_name(" ".join(texts[2:])) if len(texts) > 2 else None,
            amount_yuan=parse_amount(values[anchor]).value,
            unit_price_yuan=unit_price,
            unit_price_basis=None if _is_dash(price_basis) else (price_basis or None),
            quantity=quantity_value,
            quantity_basis=None if _is_dash(quantity_basis) else (quantity_basis or None),
            remark=remark or None,
            is_total=is_total,
            raw_text=line.text,
        )
    )


def _is_dash(text: str) -> bool:
    return bool(text) and set(text.replace(" ", "")) <= {"-", "—", "－", "–"}


def _amount_or_none(text: str):
    if not text or _is_dash(text):
        return None
    try:
        return parse_amount(text).value
    except ValueError:
        return None


# (c) 制度保障 ----------------------------------------------------------------------------
def merge_safeguards(parsed: ParsedTable, block: list[Line], title: Line, file_name: str) -> None:
    """Read a (c) table: each document named under its category becomes an attribute.

    The stage marks (✓ √ × □ per 立项和计划 / 实施 / 收尾和完成阶段) are not extracted.
    """
    _add_continuation(parsed, block, title)
    category: str | None = None
    for line in block[1:]:
        if line.is_blank or is_watermark(line.text):
            continue
        toks = tokens(block_cells(line))
        if not toks:
            continue
        first = compact(toks[0][1])
        if first.startswith("项目名称"):
            _check_name(parsed, toks, line, file_name)
            continue
        if first.startswith("制度保障") or is_year_line(line.joined):
            continue
        rest = toks
        for word in SAFEGUARD_CATEGORIES:
            if first.startswith(word):
                category, rest = word, toks[1:]
                break
        if not rest:
            continue
        document = normalize_name(rest[0][1])
        if any(looks_like_phone(text) for _col, text in rest):
            continue
        parsed.add_attribute(line, "safeguard_document", category or "制度保障", document)


# --- form overall_approval: approved overall targets in markdown (template sichuan_markdown) --
FUNDING_HEADER_WORDS = form_words(APPROVAL, "funding_header")  # 总体资金情况, 预算支出总额
TASK_HEADER_WORD = form_words(APPROVAL, "task_header")[0]  # 任务名称
TASK_SECTION_WORD = form_words(APPROVAL, "task_section")[0]  # 年度主要任务
GOAL_WORD = form_words(APPROVAL, "goal_label")[0]  # 整体绩效目标
INDICATOR_SECTION_WORD = form_words(APPROVAL, "indicator_section")[0]  # 年度绩效指标
APPROVAL_GRID_WORDS = _grid_words(APPROVAL)
# Preamble label words around the split "预算(单位)名称:" label (003 lines 9–11).
PREAMBLE_LABEL_RE = re.compile(r"预算|（单位）|\(单位\)|名称[：:]?")
STATUS_LABEL = form_labels(APPROVAL, "status_label")[0]  # 状态 -> approval_status
STATUS_RE = re.compile(rf"^{re.escape(STATUS_LABEL.label)}[：:]\s*(?P<status>.+)$")
_WEIGHT_RE = re.compile(r"^\d+(?:\.\d+)?$")


def parse_approval_block(block: list[Line], title: Line, file_name: str) -> ParsedTable:
    """Parse one 整体支出绩效目标批复表 block."""
    parsed = new_parsed_table(
        title, block, "overall_target_approval", "sichuan_markdown", year_lines=8
    )
    unit = "元"
    state = "preamble"
    header_rows: list[tuple[str, ...]] = []
    level1: str | None = None
    level2: str | None = None
    for line in block[1:]:
        if line.is_blank or is_watermark(line.text) or _is_markdown_separator(line):
            continue
        toks = tokens(line.cells)
        if not toks:
            continue
        keys = [compact(text) for _col, text in toks]
        if line.layout != "markdown":
            _read_preamble(parsed, line)
            continue
        if any(key.startswith(FUNDING_HEADER_WORDS) for key in keys):
            unit = next((u for key in keys for u in ("万元", "元") if f"（{u}）" in key), unit)
            header_rows = [line.cells]
            state = "funding_header"
            continue
        if state == "funding_header":
            if any(is_amount(cell) and cell.strip() for cell in line.cells[1:]):
                _read_funding(parsed, line, header_rows, unit, file_name)
                state = "after_funding"
            else:
                header_rows.append(line.cells)
            continue
        if any(key.startswith(TASK_SECTION_WORD) for key in keys):
            state = "tasks"
            continue
        if any(GOAL_WORD in key for key in keys):
            text = " ".join(text for _col, text in toks if not _is_goal_label(compact(text)))
            if text:
                parsed.add_attribute(line, "goal_annual", GOAL_WORD, text)
            state = "goal"
            continue
        if any(key == INDICATOR_SECTION_WORD for key in keys):
            state = "indicators"
            continue
        if state == "indicators" and all(
            any(word in key for key in keys) for word in APPROVAL_GRID_WORDS
        ):
            continue
        if state == "tasks":
            _read_approval_task(parsed, line, toks, file_name)
            continue
        if state == "indicators":
            read = _read_indicator(parsed, line, toks, level1, level2, file_name)
            level1, level2 = read
            continue
        parsed.warn(file_name, line, "unreadable_row", "row of an approval table not recognised")
    return parsed


def _is_markdown_separator(line: Line) -> bool:
    return (
        line.layout == "markdown"
        and all(not cell.strip() or set(cell.strip()) <= {"-", ":"} for cell in line.cells)
        and any(cell.strip() for cell in line.cells)
    )


def _is_goal_label(key: str) -> bool:
    return key.startswith(("部门整体绩效", GOAL_WORD))


def _read_preamble(parsed: ParsedTable, line: Line) -> None:
    """Unit name with its agency code ("205-某县…本级"; 205 is not a functional class), status."""
    text = normalize_name(line.joined.lstrip("#"))
    status = STATUS_RE.match(text)
    if status:
        parsed.add_attribute(
            line, STATUS_LABEL.code, STATUS_LABEL.label, status.group("status").strip()
        )
        return
    if parsed.table.department_name is None:
        candidate = PREAMBLE_LABEL_RE.sub("", text).strip()
        code, name = split_code_name(candidate)
        if code is not None:
            parsed.table.department_code, parsed.table.department_name = code, name


def _header_paths(header_rows: list[tuple[str, ...]], width: int) -> list[str]:
    """Column header paths ("基本支出 / 财政拨款").

    Upper header rows span: an empty cell takes the label to its left. The last header row does
    not span (an empty cell there means the upper label is the whole path).
    """
    carried = [""] * len(header_rows)
    paths = []
    for col in range(width):
        parts = []
        for depth, row in enumerate(header_rows):
            cell = normalize_name(row[col]) if col < len(row) else ""
            if cell:
                carried[depth] = cell
                for lower in range(depth + 1, len(header_rows)):
                    carried[lower] = ""
            is_leaf_row = depth == len(header_rows) - 1
            parts.append(cell if is_leaf_row else carried[depth])
        paths.append(" / ".join(part for part in parts if part))
    return paths


def _read_funding(
    parsed: ParsedTable,
    line: Line,
    header_rows: list[tuple[str, ...]],
    unit: str,
    file_name: str,
) -> None:
    width = max(len(line.cells), *(len(row) for row in header_rows))
    paths = _header_paths(header_rows, width)
    for col, cell in enumerate(line.cells):
        path = paths[col] if col < len(paths) else ""
        if col == 0 or not path:
            if cell.strip():
                parsed.warn(file_name, line, "unknown_column", f"value {cell!r} without header")
            continue
        parts = [part.strip() for part in path.split(" / ")]
        leaf = parts[-1]
        direction = overall_axis(parts[0]) if len(parts) > 1 else None
        if direction in ("basic", "project") and overall_axis(leaf) == "total":
            axis = direction
        else:
            axis = overall_axis(leaf)
        if axis is None:
            parsed.warn(file_name, line, "unknown_column", f"column {path!r} not a fund axis")
            continue
        group = parts[0] if direction in ("basic", "project") else ""
        parsed.add_funding(line, None, axis, path, cell.strip(), unit, file_name, group)


def _read_approval_task(
    parsed: ParsedTable, line: Line, toks: list[tuple[int, str]], file_name: str
) -> None:
    """One 年度主要任务 row: the first non-empty cell is the task name, the next its content."""
    keys = [compact(text) for _col, text in toks]
    if any(TASK_HEADER_WORD in key for key in keys):
        return
    if len(toks) < 2:
        parsed.warn(file_name, line, "unreadable_task", "task row without content")
        if toks:
            parsed.add_attribute(line, "annual_task", normalize_name(toks[0][1]), "")
        return
    name, content = toks[0][1], " ".join(text for _col, text in toks[1:])
    parsed.add_attribute(line, "annual_task", normalize_name(name), normalize_name(content))


def _read_indicator(
    parsed: ParsedTable,
    line: Line,
    toks: list[tuple[int, str]],
    level1: str | None,
    level2: str | None,
    file_name: str,
) -> tuple[str | None, str | None]:
    """One indicator row, anchored on its 性质 cell; returns the carried (一级, 二级) names."""
    nature_pos = next(
        (i for i, (_col, text) in enumerate(toks) if compact(text) in NATURE_WORDS), None
    )
    before = toks if nature_pos is None else toks[:nature_pos]
    tagged = resolve_levels(before)
    for _col, text, tag in tagged:
        if tag == "L1":
            level1, level2 = text, None
        elif tag == "L2":
            level2 = text
    if nature_pos is None:
        if any(tag == "text" for _c, _t, tag in tagged) and not _only_note(tagged):
            parsed.warn(file_name, line, "unreadable_indicator", "indicator row without 性质")
        return level1, level2
    texts = [text for _col, text, tag in tagged if tag == "text"]
    level3 = texts[-1] if texts else None
    nature_col, nature = toks[nature_pos]
    cells = list(line.cells) + [""] * 4
    value, unit, weight = (cells[nature_col + 1 + i].strip() for i in range(3))
    indicator = make_indicator(line.number, "annual", level1, level2, level3, value)
    symbol = compact(nature)
    comparator, _value, _unit = parse_target(f"{symbol}0")
    if comparator is not None:
        indicator.comparator = comparator
    indicator.nature = nature.strip()
    indicator.target_unit = unit or indicator.target_unit
    indicator.weight = Decimal(weight) if _WEIGHT_RE.match(weight) else None
    if weight and indicator.weight is None:
        parsed.warn(file_name, line, "unreadable_weight", f"weight {weight!r} is not a number")
    parsed.indicators.append(indicator)
    return level1, level2


def _only_note(tagged: list[tuple[int, str, str]]) -> bool:
    """True for the closing 其他说明 row (a label with nothing after it)."""
    texts = [compact(text) for _col, text, tag in tagged if tag == "text"]
    return texts == ["其他说明"] or (len(tagged) == 1 and compact(tagged[0][1]) == "其他说明")


# --- list forms: many projects in one table (indicator_list, free_text_list) ------------------
# Both print one header row naming their columns (seed role "column" of form group "list"):
#
# * indicator_list: one row per indicator; the project columns (单位编码, 项目名称, 资金总额) are
#   printed on a project's first row, blank or repeated below it, beside the indicator grid
#   (一级 / 二级 / 三级指标, 指标值, 评分标准, 度量单位, 指标值类型). 评分标准 is kept in the
#   indicator's ``remark``, 指标值类型 / 指标性质 in its ``nature``.
# * free_text_list: one row per project; its 绩效指标 cell holds every indicator as numbered text
#   ("1－产出指标，11－数量指标，资助人数；年度指标值：≥800人；2－效益指标，…"). A cell wrapped
#   onto following rows (the project columns blank) continues it.
#
# Each project is one PerformanceTable (family "project_target", template = the form); 资金总额
# is its funding axis "total", 财政资金 "fiscal", 其他资金 "other" (period "annual"); 单位编码 is
# its department_code and 单位名称 its implementing_unit. first_line / last_line are the
# project's own rows.
LIST = "list"
LIST_COLUMNS: tuple[tuple[str, str], ...] = _pairs(LIST, "column")
LIST_FUND_COLUMNS = ("total", "fiscal", "other")
LIST_PROJECT_COLUMNS = ("unit_code", "unit_name", "project_name", *LIST_FUND_COLUMNS)
_INDICATOR_ROLES = {"level1", "level2", "level3", "target", "nature", "unit", "scoring"}
_INDICATOR_ROLES |= {"indicator_text"}
# A long project code before the name ("11000021Y000000390843-信息系统运维类项目").
_PROJECT_CODE_RE = re.compile(r"^(?P<code>[0-9A-Z]{8,})\s*[-－—–_]\s*(?P<name>\S.*)$")
_DASH = r"[－—–\-]"
# One numbered indicator of a free-text cell: "1－产出指标，11－数量指标，<三级>；年度指标值：<值>".
_FREE_TEXT_INDICATOR_RE = re.compile(
    rf"(?P<n1>\d)\s*{_DASH}\s*(?P<level1>[^，,；;]+?)\s*[，,]\s*"
    rf"(?P<n2>\d{{2,3}})\s*{_DASH}\s*(?P<level2>[^，,；;]+?)\s*[，,]\s*"
    r"(?P<level3>[^；;]+?)\s*[；;]\s*(?P<label>LABELS)\s*[：:]\s*"
    r"(?P<target>[^；;。]*?)\s*(?=[；;。]|$)"
)


def _free_text_re() -> re.Pattern[str]:
    labels = "|".join(re.escape(w) for w in form_words("free_text_list", "target_label"))
    return re.compile(_FREE_TEXT_INDICATOR_RE.pattern.replace("LABELS", labels), re.DOTALL)


def list_column_role(header: str) -> str | None:
    """The role of a list-form header cell (the first seed label it contains), or None."""
    key = compact(header)
    return first_keyword(key, LIST_COLUMNS) if key else None


def _list_header(block: list[Line]) -> tuple[int, dict[str, int], str] | None:
    """(index of the header row in block, role -> column, money unit) of a list form."""
    unit = "元"
    for index, line in enumerate(block[1:], start=1):
        unit = find_unit(line.text) or unit
        roles: dict[str, int] = {}
        for col, cell in enumerate(line.cells):
            role = list_column_role(cell)
            if role is not None and role not in roles:
                roles[role] = col
                bracket = re.search(r"[（(](万元|元|亿元)[）)]", compact(cell))
                if bracket and role in LIST_FUND_COLUMNS:
                    unit = bracket.group(1)
        if "project_name" in roles and ("level3" in roles or "indicator_text" in roles):
            # a second header row ("其中： | 财政资金 | 其他资金") completes the first
            if index + 1 < len(block):
                below = block[index + 1]
                extra = {
                    role: col
                    for col, cell in enumerate(below.cells)
                    if cell.strip() and (role := list_column_role(cell)) is not None
                }
                other = [c for c in below.cells if c.strip() and list_column_role(c) is None]
                if extra and not other:
                    roles.update(extra)
                    index += 1
            return index, roles, unit
    return None


class _ListProject:
    """The project being read in a list form and its rows' texts."""

    def __init__(self, parsed: ParsedTable) -> None:
        self.parsed = parsed
        self.key: tuple[str, str] = ("", "")
        self.texts: dict[str, list[tuple[Line, str]]] = {}  # role -> (line, text) pieces
        self.level1: str | None = None  # 一级 / 二级 names carried down blank cells
        self.level2: str | None = None
        self.last_text_role: str | None = None


def _start_list_project(
    title: Line, block: list[Line], line: Line, values: dict[str, str], template: str
) -> _ListProject:
    parsed = new_parsed_table(title, block, "project_target", template)
    table = parsed.table
    table.first_line = table.last_line = line.number
    if values.get("unit_code"):
        table.department_code = normalize_name(values["unit_code"])
    if values.get("unit_name"):
        table.implementing_unit = normalize_name(values["unit_name"])
    return _ListProject(parsed)


def _list_values(line: Line, roles: dict[str, int], shift: int) -> dict[str, str]:
    """Cells of a row by role. ``shift`` moves the indicator and text columns only: a PDF row
    that loses an empty cell (a blank 其他资金) keeps its project columns in place."""
    cells = line.cells
    values = {}
    for role, col in roles.items():
        index = col if role in LIST_PROJECT_COLUMNS else col + shift
        if 0 <= index < len(cells) and cells[index].strip():
            values[role] = cells[index].strip()
    return values


def _list_shift(toks: list[tuple[int, str]], roles: dict[str, int]) -> int:
    """Columns a row is shifted by, measured on its first 一级/二级 name (0 when none).

    The level names are tagged from the first of them on: the project columns before it are
    not indicator text.
    """
    first = next((i for i, (_col, text) in enumerate(toks) if level_kind(text)), len(toks))
    for col, _text, tag in resolve_levels(toks[first:]):
        if tag == "L1" and "level1" in roles:
            return col - roles["level1"]
        if tag == "L2" and "level2" in roles:
            return col - roles["level2"]
    return 0


# A row whose top lies within this many points above a merged cell's bottom edge starts below it.
CELL_EDGE_TOLERANCE = 2.0


def _merged_cell_end(line: Line, col: int) -> tuple[int, float] | None:
    """(page, bottom) of a PDF row's cell in column ``col`` when that cell is merged over the rows
    below it (its ruled box reaches further down than the row's other filled cells), else None."""
    boxes = line.cell_boxes
    if boxes is None or line.page_number is None or not 0 <= col < min(len(boxes), len(line.cells)):
        return None
    if not line.cells[col].strip():
        return None
    others = [
        box[3]
        for index, (box, cell) in enumerate(zip(boxes, line.cells, strict=False))
        if index != col and cell.strip()
    ]
    bottom = boxes[col][3]
    if not others or bottom <= min(others) + CELL_EDGE_TOLERANCE:
        return None
    return line.page_number, bottom


def _below_cell(line: Line, cell_end: tuple[int, float] | None) -> bool:
    """True for a PDF row printed below the bottom edge of a merged cell on the same page."""
    if cell_end is None or line.cell_boxes is None or line.page_number != cell_end[0]:
        return False
    tops = [box[1] for box, cell in zip(line.cell_boxes, line.cells, strict=False) if cell.strip()]
    return bool(tops) and min(tops) >= cell_end[1] - CELL_EDGE_TOLERANCE


def _read_list_projects(
    block: list[Line], title: Line, file_name: str, template: str, per_row
) -> list[_ListProject]:
    """Rows of a list form grouped into projects; ``per_row(project, line, values, file_name)``
    reads the rest of each row.

    Where the form prints fund columns, a project starts on a row with its name and an amount;
    a name printed without an amount is a piece of a name wrapped in a tall merged cell (PDF): a
    piece right after a project's first row ends its name, other pieces begin the next project's
    name. A row repeating the current project's code and name continues it. A line of one text
    cell is a wrapped piece of a text column: ``values`` is then ``{"wrapped": text}``. Rows
    before the first project are warned about (on the first project, or on a table without
    content when no project follows).

    In a PDF the project columns are one cell merged over the project's rows, its name printed
    vertically centred: rows above the name's line may belong to it. Where the current project's
    name cell is such a ruled merged cell, the rows printed below its bottom edge on the same page
    lie outside it: they are held and read as the next project's, ahead of its first row (a
    project whose cell runs on to the next page prints its name low on the first page, below
    several of its rows). When no project follows in the table, they stay with the current one.
    """
    orphan = _ListProject(new_parsed_table(title, block, "project_target", template))
    header = _list_header(block)
    if header is None:
        orphan.parsed.warn(file_name, title, "no_list_header", "no header row naming the columns")
        return [orphan]
    header_index, roles, unit = header
    has_funds = any(role in roles for role in LIST_FUND_COLUMNS)
    projects: list[_ListProject] = []
    current: _ListProject | None = None
    pending: list[str] = []  # name pieces printed before their project's first row
    # The row before was a project's first row: a name piece right after it ends that name
    # ("append"), or ends the repeated name of a continued project ("ignore").
    suffix: str | None = None
    name_col = roles.get("project_name", -1)
    cell_end: tuple[int, float] | None = None  # (page, bottom) of the current merged name cell
    held: list[tuple[Line, dict[str, str]]] = []  # rows below it, read with the next project
    for line in block[header_index + 1 :]:
        if line.is_blank or is_watermark(line.text):
            continue
        toks = tokens(line.cells)
        if not toks:
            continue
        if len(toks) == 1 and line.layout == "text":
            suffix = None
            if held:
                held.append((line, {"wrapped": toks[0][1]}))
            elif current is not None:
                per_row(current, line, {"wrapped": toks[0][1]}, file_name)
            continue
        values = _list_values(line, roles, _list_shift(toks, roles))
        name = values.get("project_name", "")
        amounts = [r for r in LIST_FUND_COLUMNS if is_amount_text(values.get(r, ""))]
        starts = bool(amounts) if has_funds else bool(name)
        if has_funds and name and not amounts and not set(values) & _INDICATOR_ROLES:
            if suffix == "append" and current is not None:
                table = current.parsed.table
                _name_project(table, f"{table.project_name_raw or ''}{name}")
                table.last_line = line.number
            elif suffix is None:
                pending.append(name)
            suffix = None
            continue
        suffix = None
        if starts:
            full_name = "".join(pending) + name
            pending = []
            key = (compact(values.get("unit_code", "")), compact(full_name))
            if current is None or (key[0] or current.key[0], key[1]) != current.key:
                current = _start_list_project(title, block, line, values, template)
                _name_project(current.parsed.table, full_name)
                current.key = key
                projects.append(current)
                suffix = "append"
                if held:
                    current.parsed.table.first_line = held[0][0].number
                    for held_line, held_values in held:
                        per_row(current, held_line, held_values, file_name)
                    held = []
                cell_end = _merged_cell_end(line, name_col)
                for role in amounts:
                    current.parsed.add_funding(
                        line,
                        "annual",
                        role,
                        _header_label(block, header_index, roles[role]),
                        values[role],
                        unit,
                        file_name,
                    )
            else:
                suffix = "ignore"
                _release(current, held, per_row, file_name)
                held = []
                # the project's rows go on from its repeated name: the old cell no longer bounds
                # them
                cell_end = _merged_cell_end(line, name_col)
        if current is None:
            if not find_unit(line.text):
                orphan.parsed.warn(file_name, line, "unreadable_row", "row before any project")
            continue
        if held or _below_cell(line, cell_end):
            held.append((line, values))
            continue
        current.parsed.table.last_line = line.number
        per_row(current, line, values, file_name)
    if current is not None:
        _release(current, held, per_row, file_name)
    if projects:
        projects[0].parsed.warnings[:0] = orphan.parsed.warnings
        return projects
    return [orphan]


def _release(
    project: _ListProject, held: list[tuple[Line, dict[str, str]]], per_row, file_name: str
) -> None:
    """Read held rows as the given project's (no other project followed them)."""
    for line, values in held:
        if "wrapped" not in values:
            project.parsed.table.last_line = line.number
        per_row(project, line, values, file_name)


def _name_project(table: PerformanceTable, printed: str) -> None:
    """Set a list project's name as printed and without a long leading project code."""
    printed = normalize_name(printed)
    match = _PROJECT_CODE_RE.match(printed)
    table.project_name_raw = printed or None
    table.project_name = (match.group("name").strip() if match else printed) or None


def _header_label(block: list[Line], header_index: int, col: int) -> str:
    for line in (block[header_index], block[header_index - 1]):
        if col < len(line.cells) and line.cells[col].strip():
            return normalize_name(line.cells[col])
    return ""


def parse_indicator_list(block: list[Line], title: Line, file_name: str) -> list[ParsedTable]:
    """Read an indicator_list table: one PerformanceTable per project, one indicator per row."""

    def per_row(project: _ListProject, line: Line, values: dict[str, str], name: str) -> None:
        parsed = project.parsed
        if "wrapped" in values:
            return  # a piece of a wrapped 绩效目标 / name cell: its row is not known
        if values.get("level1"):
            project.level1, project.level2 = values["level1"], None
        if values.get("level2"):
            project.level2 = values["level2"]
        if values.get("goal_annual"):
            parsed.add_attribute(line, "goal_annual", "绩效目标", values["goal_annual"])
        if not values.get("level3") and not values.get("target"):
            if not any(values.get(role) for role in (*LIST_PROJECT_COLUMNS, "goal_annual")):
                parsed.warn(name, line, "unreadable_indicator", "indicator row unread")
            return
        indicator = make_indicator(
            line.number,
            "annual",
            project.level1,
            project.level2,
            values.get("level3"),
            values.get("target"),
            values.get("scoring"),
        )
        nature = values.get("nature")
        if nature:
            indicator.nature = nature
            comparator, _value, _unit = parse_target(f"{compact(nature)}0")
            if comparator is not None and indicator.comparator is None:
                indicator.comparator = comparator
        indicator.target_unit = values.get("unit") or indicator.target_unit
        parsed.indicators.append(indicator)

    projects = _read_list_projects(block, title, file_name, "indicator_list", per_row)
    return [project.parsed for project in projects]


def parse_free_text_list(block: list[Line], title: Line, file_name: str) -> list[ParsedTable]:
    """Read a free_text_list table: one PerformanceTable per project, its indicators parsed from
    the numbered text of its 绩效指标 cell (wrapped rows joined)."""

    def per_row(project: _ListProject, line: Line, values: dict[str, str], name: str) -> None:
        if "wrapped" in values:
            # a line holding only a wrapped piece continues the text column read last
            role = project.last_text_role or "indicator_text"
            project.texts.setdefault(role, []).append((line, values["wrapped"]))
            return
        for role in ("goal_annual", "indicator_text"):
            if values.get(role):
                project.texts.setdefault(role, []).append((line, values[role]))
                project.last_text_role = role

    projects = _read_list_projects(block, title, file_name, "free_text_list", per_row)
    pattern = _free_text_re()
    for project in projects:
        parsed = project.parsed
        goal = project.texts.get("goal_annual", [])
        if goal:
            text = "".join(piece for _line, piece in goal)
            parsed.add_attribute(goal[0][0], "goal_annual", "绩效目标", text)
        pieces = project.texts.get("indicator_text", [])
        text, starts = "", []
        for line, piece in pieces:
            starts.append((len(text), line))
            text += piece  # a wrap splits at any character: joined without a space
        read_until = 0
        for match in pattern.finditer(text):
            skipped = text[read_until : match.start()].strip(" ；;。")
            if skipped:
                parsed.warn(
                    file_name,
                    _line_at(starts, read_until),
                    "unreadable_indicator",
                    f"indicator text not read: {skipped[:40]!r}",
                )
            read_until = match.end()
            line = _line_at(starts, match.start())
            parsed.indicators.append(
                make_indicator(
                    line.number,
                    "annual",
                    match.group("level1"),
                    match.group("level2"),
                    match.group("level3"),
                    match.group("target"),
                )
            )
        rest = text[read_until:].strip(" ；;。")
        if rest:
            parsed.warn(
                file_name,
                _line_at(starts, read_until),
                "unreadable_indicator",
                f"indicator text not read: {rest[:40]!r}",
            )
    return [project.parsed for project in projects]


def _line_at(starts: list[tuple[int, Line]], position: int) -> Line:
    """The line whose piece of a joined text holds ``position``."""
    line = starts[0][1]
    for start, candidate in starts:
        if start > position:
            break
        line = candidate
    return line
