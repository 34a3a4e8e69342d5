"""Sichuan 整体支出绩效目标批复表 (003 开江县), printed as markdown tables split by page breaks.

Template "sichuan_markdown", family "overall_target_approval". The one logical table is rendered
as three markdown tables with different column counts, so nothing is read by absolute column:

* funding: header paths ("预算支出总额", "基本支出 / 合计", "基本支出 / 财政拨款", …) over
  the value row; 基本支出/项目支出 合计 become axes "basic"/"project", their splits the
  fund-source axes with the direction in ``funding_label`` ("基本支出 / 财政拨款"), period None;
* 年度主要任务: (task name, content) as the two non-empty cells of each row — before the page
  break name and content sit in columns 2 and 6, after it in columns 3 and 4;
* 年度绩效指标: anchored on the 绩效指标性质 cell (≥ / = / 定性), because rows are shifted (line
  39 two cells left, lines 47–52 one right): the 三级指标 is the last text before it, then come
  指标值, 度量单位 and 权重.
"""

from __future__ import annotations

import re
from decimal import Decimal

from orchestration.extract.performance_common import (
    NATURE_WORDS,
    ParsedTable,
    compact,
    new_parsed_table,
    parse_target,
    split_code_name,
    tokens,
)
from orchestration.extract.performance_grid import make_indicator, resolve_levels
from orchestration.extract.performance_shanxi import overall_axis
from orchestration.extract.text import Line, is_amount, is_watermark, normalize_name

# --- constants ------------------------------------------------------------------------------
FUNDING_HEADER_WORDS = ("总体资金情况", "预算支出总额")
TASK_HEADER_WORD = "任务名称"
TASK_SECTION_WORD = "年度主要任务"
GOAL_WORD = "整体绩效目标"
INDICATOR_SECTION_WORD = "年度绩效指标"
INDICATOR_HEADER_WORDS = ("一级指标", "三级指标")
# Preamble label words around the split "预算(单位)名称:" label (003 lines 9–11).
PREAMBLE_LABEL_RE = re.compile(r"预算|（单位）|\(单位\)|名称[：:]?")
STATUS_RE = re.compile(r"^状态[：:]\s*(?P<status>.+)$")
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
        if line.is_blank or is_watermark(line.text) or _is_separator(line):
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
            any(word in key for key in keys) for word in INDICATOR_HEADER_WORDS
        ):
            continue
        if state == "tasks":
            _read_task(parsed, line, toks, file_name)
            continue
        if state == "indicators":
            read = _read_indicator(parsed, line, toks, level1, level2, file_name)
            level1, level2 = read
            continue
        parsed.warn(file_name, line, "unreadable_row", "row of an approval table not recognised")
    return parsed


def _is_separator(line: Line) -> bool:
    return (
        line.layout == "markdown"
        and all(not cell.strip() or set(cell.strip()) <= {"-", ":"} for cell in line.cells)
        and any(cell.strip() for cell in line.cells)
    )


def _is_goal_label(key: str) -> bool:
    return key.startswith(("部门整体绩效", GOAL_WORD))


def _read_preamble(parsed: ParsedTable, line: Line) -> None:
    """Unit name with its agency code ("205-开江县…本级"; 205 is not a functional class), status."""
    text = normalize_name(line.joined.lstrip("#"))
    status = STATUS_RE.match(text)
    if status:
        parsed.add_attribute(line, "approval_status", "状态", status.group("status").strip())
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


def _read_task(
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
