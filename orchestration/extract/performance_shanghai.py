"""Shanghai-style performance triplets (004 闵行区): one logical table per project.

Each project prints three tables in a row, merged here into one ``PerformanceTable`` (template
"shanghai_triplet", family "project_target"; the (b) and (c) title lines are its
``continuation_lines``):

* (a) 财政项目支出绩效目标申报表（项目总体情况）: name, 项目类别 checkboxes, contacts, dates,
  the 项目资金 block (项目总预算 / 当年预算 / 财政拨款 / 上级 / 本级 / 下级 / 其他资金) and texts;
* (b) …（绩效目标）: 项目构成 text, the five-column indicator grid and the 项目构成分解 detail
  rows ending in a 金额合计 row;
* (c) 项目支出绩效目标申报表(制度保障): documents by category (kept as attributes).

Funding axes of this template: ``project_total`` (项目总预算, period "implementation") and
``current_year`` (当年预算), ``fiscal`` (财政拨款), ``superior`` / ``same_level`` /
``subordinate`` (上级 / 本级 / 下级财政) and ``other`` (其他资金), all period "annual".
"""

from __future__ import annotations

import re

from orchestration.extract.performance_common import (
    ParsedTable,
    block_cells,
    checked_labels,
    compact,
    first_keyword,
    is_amount_text,
    is_year_line,
    labelled_values,
    looks_like_phone,
    new_parsed_table,
    project_category,
    split_label_amount,
    tokens,
    value_after,
)
from orchestration.extract.performance_grid import ShiftedGrid, is_grid_header, make_indicator
from orchestration.extract.records import PerformanceTable, ProjectDetail
from orchestration.extract.text import Line, find_unit, is_watermark, normalize_name, parse_amount

# --- constants ------------------------------------------------------------------------------
# Sub-table kinds by title wording.
PART_OVERVIEW = "overview"  # （项目总体情况）
PART_TARGETS = "targets"  # （绩效目标）
PART_SAFEGUARDS = "safeguards"  # （制度保障）
PART_TITLE_WORDS: tuple[tuple[str, str], ...] = (
    ("项目总体情况", PART_OVERVIEW),
    ("绩效目标）", PART_TARGETS),
    ("制度保障", PART_SAFEGUARDS),
)

# Fund labels -> (axis, period). 上级/本级/下级财政拨款 contain 财政拨款, so they come first.
FUND_AXES: tuple[tuple[str, str, str], ...] = (
    ("项目总预算", "project_total", "implementation"),
    ("当年预算", "current_year", "annual"),
    ("上级财政", "superior", "annual"),
    ("本级财政", "same_level", "annual"),
    ("下级财政", "subordinate", "annual"),
    ("财政拨款", "fiscal", "annual"),
    ("其他资金", "other", "annual"),
)
# A fund label is short ("（一）财政拨款：", "2. 本级财政安排："); long text that merely mentions
# 财政拨款 in a 项目立项情况 paragraph is not one.
MAX_FUND_LABEL_CHARS = 14

CONTACT_FIELDS: tuple[tuple[str, str], ...] = (
    ("项目负责人", "responsible_person"),
    ("填报单位负责人", "responsible_person"),
    ("联系人", "contact_person"),
    ("填表人", "contact_person"),
    ("填报人", "contact_person"),
    ("联系电话", "contact_phone"),
    ("联系电", "contact_phone"),  # truncated once in 004 (line 1497)
    ("起始日期", "start_date"),
    ("结束日期", "end_date"),
    ("填报日期", "fill_date"),
)
CONTACT_LABELS: tuple[str, ...] = tuple(label for label, _field in CONTACT_FIELDS)
TEXT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("项目概况", "project_overview"),
    ("项目立项情况", "basis"),
    ("项目相关资源投入和制度建设情况", "resources_and_institutions"),
    ("项目总目标", "goal_implementation"),
    ("年度绩效目标", "goal_annual"),
    ("需要说明的其他问题", "other_notes"),
    ("项目构成", "composition"),
)
GRID_HEADER_WORDS = ("一级目标", "三级目标")
GRID_HEADER_ROLES: tuple[tuple[str, str], ...] = (
    ("一级目标", "level1"),
    ("二级目标", "level2"),
    ("三级目标", "level3"),
    ("目标值", "target"),
    ("备注", "remark"),
)
DETAIL_HEADER_WORD = "明细金额"
DETAIL_LABEL = "项目构成分解"  # row label, printed split ("目 构 成 分 解", "项目构")
TOTAL_LABEL = "合计"
SAFEGUARD_CATEGORIES = ("项目管理制度", "预算管理制度", "财务管理制度")
_NAME_LABEL_RE = re.compile(r"^项目名称[：:]?")


def part_kind(title_key: str) -> str | None:
    """Which sub-table of the triplet a compact title names."""
    return first_keyword(title_key, PART_TITLE_WORDS)


# --- (a) 项目总体情况 ------------------------------------------------------------------------
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
            _read_contacts(parsed, toks)
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


def _read_contacts(parsed: ParsedTable, toks: list[tuple[int, str]]) -> None:
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


# --- (b) 绩效目标 ----------------------------------------------------------------------------
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


# --- (c) 制度保障 ----------------------------------------------------------------------------
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
