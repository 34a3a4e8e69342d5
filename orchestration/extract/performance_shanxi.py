"""Shanxi-style tab-separated performance tables (001 阳泉市).

* 项目支出绩效目标表 (template "shanxi_single", family "project_target"): header fields, a fund
  block with 实施期 and 年度 side by side, text sections, a two-half indicator grid
  (实施期 | 年度) and a footer.
* 整体支出绩效目标申报表 (template "shanxi_overall", family "department_overall_target"):
  department, counts and headcounts, funding by source and by direction, tasks, goal, indicators.

Column positions vary from block to block (the fund row has 8–22 cells), so every field is read
as *label -> next value* and labels are recognised by wording.
"""

from __future__ import annotations

from orchestration.extract.performance_common import (
    ParsedTable,
    compact,
    count_attribute,
    first_keyword,
    grid_cells,
    is_year_line,
    labelled_values,
    looks_like_phone,
    new_parsed_table,
    parse_count,
    project_category,
    split_code_name,
    split_label_amount,
    strip_label,
    tokens,
    value_after,
)
from orchestration.extract.performance_grid import (
    Slot,
    is_grid_header,
    make_indicator,
    read_slot_row,
)
from orchestration.extract.records import PerformanceTable
from orchestration.extract.text import Line, is_watermark, normalize_name

# --- constants ------------------------------------------------------------------------------
# Header fields: printed label -> field. Longer labels first ("主管部门及代码" before "主管部门").
# "项目日期" is a variant of 项目期 (001 block 1322).
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("主管部门及代码", "department"),
    ("主管部门", "department"),
    ("项目名称", "name"),
    ("实施单位", "unit"),
    ("项目属性", "attribute"),
    ("项目日期", "period"),
    ("项目期", "period"),
)
HEADER_LABELS: tuple[str, ...] = tuple(label for label, _field in HEADER_FIELDS)
FUND_ROW_LABEL = "项目资金"
# Text sections of the project table: label -> attribute code.
SECTION_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("项目概况", "project_overview"),
    ("立项依据", "basis"),
    ("项目设立必要性", "necessity"),
    ("保证项目实施的制度", "safeguards"),
    ("项目实施计划", "implementation_plan"),
)
GOAL_HEADER = ("实施期目标", "年度目标")
GOAL_ROW_LABELS = ("总体目标", "总目标")  # "总目标" in 001 line 3812
FOOTER_FIELDS: tuple[tuple[str, str], ...] = (
    ("负责人", "responsible_person"),
    ("经办人", "contact_person"),
    ("联系人", "contact_person"),
    ("联系电话", "contact_phone"),
    ("填报日期", "fill_date"),
)
FOOTER_LABELS: tuple[str, ...] = tuple(label for label, _field in FOOTER_FIELDS)
INDICATOR_HEADER_WORDS = ("一级指标", "三级指标")

# Fund labels of the Shanxi block -> axis. Labels are often cut by a wrap ("市县（区）财政资" +
# "金", "单位自" + "筹金", "市县（区）" + "财政资金"), so they are recognised by a key word.
PERIOD_WORDS: tuple[tuple[str, str], ...] = (("实施期", "implementation"), ("年度", "annual"))


def fund_axis(label: str) -> str | None:
    """Axis of a Shanxi fund label, None for a fragment of a wrapped label ("金", "筹金")."""
    key = strip_label(label)
    if "总额" in key or "资金总" in key:
        return "total"
    if "中央" in key:
        return "central"
    if "省" in key:
        return "provincial"
    if "市" in key or "县" in key or "区）" in key:
        return "city_county"
    if "单位自" in key or "自筹" in key:
        return "self_raised"
    if "其他" in key:
        return "other"
    return None


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
    carry = _GridCarry()
    pending_header: list[str] = []
    for line in lines:
        toks = tokens(line.cells)
        if not toks:
            continue
        first = compact(toks[0][1])
        if state in ("header", "fund") and first.startswith(FUND_ROW_LABEL):
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
                grid_threshold = _second_col(toks, "二级指标")
                continue
        if state == "grid" and is_grid_header(toks, INDICATOR_HEADER_WORDS):
            continue
        if _is_footer(toks):
            _read_footer(parsed, toks)
            state = "footer"
            continue
        if state == "grid":
            grid_toks = tokens(grid_cells(line))
            _read_grid_row(
                parsed, line, grid_toks, grid_threshold, carry, ("implementation", "annual")
            )
            continue
        if state == "text" and not any(looks_like_phone(text) for _c, text in toks):
            parsed.warn(file_name, line, "unreadable_row", "row of a project table not recognised")
    table.project_category = project_category(table.project_attribute)
    if state not in ("grid", "footer"):
        parsed.warn(file_name, title, "no_indicator_grid", "no indicator grid found in block")
    return parsed


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
    """总体目标: the 实施期 goal on the left, the 年度 goal on the right."""
    for position, (col, text) in enumerate(toks):
        if len(toks) >= 2:
            period = "implementation" if position == 0 else "annual"
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
    return any(key.startswith(("负责人", "填报日期", "经办人")) for key in keys)


def _read_footer(parsed: ParsedTable, toks: list[tuple[int, str]]) -> None:
    """负责人 / 经办人 / 联系电话 / 填报日期 (personal data goes only to the table record)."""
    parsed.has_footer = True
    fields = dict(FOOTER_FIELDS)
    for label, value in labelled_values(toks, FOOTER_LABELS):
        if value:
            setattr(parsed.table, fields[label], value)


# --- department overall table ---------------------------------------------------------------
# Fund sources and directions of the overall tables (001 整体支出绩效目标申报表, 003 批复表).
OVERALL_AXES: tuple[tuple[str, str], ...] = (
    ("一般公共预算", "general_public_budget"),
    ("政府性基金", "government_fund_budget"),
    ("国有资本经营", "state_capital_budget"),
    ("社会保险基金", "social_insurance_fund"),
    ("专户", "special_account"),
    ("单位资金", "unit_funds"),
    ("财政拨款", "fiscal_appropriation"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("预算支出总额", "total"),
    ("合计", "total"),
    ("总额", "total"),
)
OVERALL_TEXT_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("部门职责", "department_duties"),
    ("部门战略目标", "strategic_goal"),
    ("年度绩效目标", "goal_annual"),
    ("整体绩效目标", "goal_annual"),
)


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
        if any(key.startswith("部门名称") for key in keys):
            index = next(i for i, key in enumerate(keys) if key.startswith("部门名称"))
            value = value_after(toks, index, ("部门名称",))
            if value:
                table.department_code, table.department_name = split_code_name(value)
            continue
        if any("按资金来源" in key or "按资金方向" in key for key in keys):
            unit = next((u for _c, t in toks if (u := _bracket_unit(t))), unit)
            state = "funding"
            continue
        if any(key.startswith("年度重点任务") or key == "重点任务" for key in keys):
            state = "tasks"
            task_cols = {compact(text): col for col, text in toks}
            continue
        if is_grid_header(toks, INDICATOR_HEADER_WORDS):
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


def _read_task_row(
    parsed: ParsedTable, line: Line, toks: list[tuple[int, str]], task_cols: dict[str, int]
) -> None:
    """年度重点任务: 核心职能 (may be blank) and 重点任务 text."""
    function_col = task_cols.get("核心职能")
    name = next((text for col, text in toks if col == function_col), None)
    texts = [text for col, text in toks if col != function_col]
    for text in texts:
        parsed.add_attribute(line, "annual_task", name or "重点任务", text)
