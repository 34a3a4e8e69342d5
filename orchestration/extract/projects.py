"""Project budget tables (项目支出预算表): one row per department total, unit subtotal and project.

A Shanxi-style department budget prints its projects in one long table (001 T12, lines 436–694):

    项目名称 | 合计 | 2025年财政拨款 (一般公共预算 | 政府性基金预算 | 国有资本经营预算)
             | 财政专户管理资金 | 单位资金
    阳泉市教育局            16246.07   <- department total
    阳泉市教育局              192.74   <- unit subtotal (the first unit is the department's 本级)
    育英2025年城乡义教…        31.00   <- project
    …
    阳泉市第一中学校         1149.08   <- unit subtotal
    …

Nothing in the text marks which row is which: no indent, no code, no "合计" label, and the
department total carries the same name as the first unit. The three roles are therefore recovered
from the arithmetic alone (see :func:`segment_rows`): a unit subtotal equals the sum of the
projects printed under it, and the department total equals the sum of the unit subtotals.
Printed figures are rounded independently (阳泉市特殊教育学校 prints 154.51 over projects
summing to 154.52), so every identity is checked within half a unit of the last printed digit
per summand.

The carry-over table (上年结转, 001 T13) has the same layout and is a three-row chain
department → unit → project with one amount; the same segmentation reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from orchestration.extract import statements
from orchestration.extract.records import (
    DocumentExtraction,
    ExtractionWarning,
    StatementCell,
    StatementRow,
    StatementTable,
)
from orchestration.extract.text import (
    Amount,
    Line,
    find_unit,
    is_watermark,
    normalize_name,
    parse_amount,
    split_ordinal,
    strip_markup,
    to_yuan,
)

# --- constants ------------------------------------------------------------------------------
# Table titles: "2025年项目支出预算表（本年预算）", "项目支出预算表（上年结转）", "项目支出明细表".
# Performance tables ("项目支出绩效目标表") share the words "项目支出" but never "项目支出…表"
# directly, and are excluded by "绩效" as well.
_TITLE_RE = re.compile(r"项目支出(?:预算|计划)?(?:情况|明细|总)?表")
CARRYOVER_WORDS = ("上年结转",)
# The name column of the header. Checked on the first header line only.
_NAME_HEADER_RE = re.compile(r"项目名称|项目|单位名称|名称")
# How many non-blank lines after a title the header must appear within (001: 2–3 lines of
# 部门名称 / 单位 in between). A table-of-contents entry is never followed by such a header.
HEADER_WINDOW = 8
_LABEL_RE = re.compile(r"^(?:预算|部门)?公开表\s*[0-9一二三四五六七八九十]+$")
_DEPARTMENT_RE = re.compile(r"(?:部门|单位)名称\s*[:：]\s*(.+?)(?:\s*(?:金额)?单位\s*[:：].*)?$")
# A page number or footer line that may sit between two rows of a long table.
_PAGE_NOISE_RE = re.compile(r"^(?:[-—－]?\s*\d{1,4}\s*[-—－]?|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)$")
_EMPTY_NOTE_RE = re.compile(r"^注?[:：]?.*(?:无数据|无.*预算|空表)")
_HEADING_RE = re.compile(
    r"^(?:#+\s|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|注[:：])"
)

STATEMENT_TYPE = "project_expenditure"
STATEMENT_TYPE_CARRYOVER = "project_expenditure_carryover"


# --- small pure helpers ---------------------------------------------------------------------
def non_empty(line: Line) -> list[str]:
    """The non-empty cells of a line."""
    return [cell for cell in line.cells if cell]


def is_title(line: Line) -> bool:
    """A project-table title: one non-empty cell naming a 项目支出…表 (not a performance table)."""
    cells = non_empty(line)
    if len(cells) != 1:
        return False
    text = normalize_name(cells[0].lstrip("#").strip())
    return bool(_TITLE_RE.search(text)) and "绩效" not in text and len(text) <= 60


def is_column_number_row(cells: list[str]) -> bool:
    """The "1 2 3 4 5 6 7" row under the header (also "栏次" rows)."""
    values = [c for c in cells if c]
    if not values:
        return False
    if values[0] in ("栏次", "行次"):
        return True
    return all(v.isdigit() for v in values) and [int(v) for v in values] == list(
        range(int(values[0]), int(values[0]) + len(values))
    )


def measure_of(path: str) -> str | None:
    """The semantic measure of a column from its header path, by the statement tables' rules."""
    measure = statements.measure_for(tuple(part for part in path.split(" / ") if part))
    return None if measure == statements.UNKNOWN_MEASURE else measure


def column_paths(header_rows: list[list[str]], width: int) -> list[str]:
    """Header path per column, levels joined by " / ".

    A group label spans to the right over empty cells whose lower header row is filled
    ("2025年财政拨款" over 一般公共预算 | 政府性基金预算 | 国有资本经营预算, 001 lines 440–441).
    """
    rows = [row + [""] * (width - len(row)) for row in header_rows]
    filled: list[list[str]] = []
    for level, row in enumerate(rows):
        below = rows[level + 1] if level + 1 < len(rows) else [""] * width
        out = list(row)
        carry = ""
        for col in range(width):
            if row[col]:
                carry = row[col] if below[col] else ""
            elif carry and below[col]:
                out[col] = carry
            else:
                carry = ""
        filled.append(out)
    return [
        " / ".join(
            normalize_name(filled[level][col]) for level in range(len(filled)) if filled[level][col]
        )
        for col in range(width)
    ]


def decimals_of(amount: Amount) -> int:
    """Printed decimal places of an amount ("154.51" -> 2, "2467944" -> 0)."""
    if amount.value is None:
        return 0
    exponent = amount.value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


# --- segmentation ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Segmentation:
    """Roles recovered for the data rows of one table (indices into the row list)."""

    total_index: int | None  # department total row, if any
    groups: tuple[tuple[int, tuple[int, ...]], ...]  # (unit subtotal index, project indices)
    flat: tuple[int, ...]  # project rows with no unit subtotal (flat tables)


def _group_rows(
    totals: list[Decimal], start: int, end: int, half_ulp: Decimal
) -> list[tuple[int, int]] | None:
    """Split rows[start:end] into consecutive groups "subtotal, its projects…".

    Dynamic programming from the end: a group starting at i and ending before j is valid when
    the subtotal equals the sum of rows i+1..j-1 within (j - i) × half_ulp (every printed figure,
    the subtotal included, may be off by half a unit of its last digit). Among all complete
    segmentations the one with the smallest total deviation wins, then the one with fewer groups
    (so a run of zero-amount projects is never promoted to a unit of its own).

    Returns:
        (first, stop) index pairs of the groups, or None when no segmentation exists.
    """
    prefix = [Decimal(0)]
    for value in totals[start:end]:
        prefix.append(prefix[-1] + value)
    n = end - start
    all_non_negative = all(v >= 0 for v in totals[start:end])
    # best[i] = (deviation, groups, next boundary) for rows i..n-1 (relative indices)
    best: list[tuple[Decimal, int, int] | None] = [None] * (n + 1)
    best[n] = (Decimal(0), 0, n)
    for i in range(n - 2, -1, -1):
        head = totals[start + i]
        choice: tuple[Decimal, int, int] | None = None
        for j in range(i + 2, n + 1):
            members = prefix[j] - prefix[i + 1]
            if all_non_negative and members - head > (n - i) * half_ulp:
                break  # sums only grow from here
            tail = best[j]
            if tail is None:
                continue
            deviation = abs(head - members)
            if deviation > (j - i) * half_ulp:
                continue
            candidate = (deviation + tail[0], tail[1] + 1, j)
            if choice is None or candidate[:2] < choice[:2]:
                choice = candidate
        best[i] = choice
    if best[0] is None:
        return None
    groups = []
    i = 0
    while i < n:
        step = best[i]
        assert step is not None
        groups.append((start + i, start + step[2]))
        i = step[2]
    return groups


def _within(a: Decimal, b: Decimal, summands: int, half_ulp: Decimal) -> bool:
    return abs(a - b) <= (summands + 1) * half_ulp


def segment_rows(totals: list[Decimal], half_ulp: Decimal) -> Segmentation | None:
    """Recover department total / unit subtotals / projects from the row totals alone.

    Tried in order (the first that holds wins):
      1. first row = department total, the rest = unit groups whose subtotals sum to it (001 T12);
      2. first row = total over a flat list of projects (a single-unit table);
      3. last row = total (a "合计" printed at the bottom), grouped or flat;
      4. no total row, the rows are unit groups;
    Returns None when none of these holds, so the caller can warn instead of guessing.
    """
    n = len(totals)
    if n == 0:
        return None
    if n == 1:
        return Segmentation(0, (), ())  # the lone row of an empty table is its total
    for total_index, start, end in ((0, 1, n), (n - 1, 0, n - 1)):
        if end - start >= 2:
            # Grouped: the subtotals of the groups must sum to the total row.
            groups = _group_rows(totals, start, end, half_ulp)
            if groups is not None:
                heads = sum((totals[first] for first, _ in groups), Decimal(0))
                if _within(totals[total_index], heads, len(groups), half_ulp):
                    return Segmentation(
                        total_index,
                        tuple((first, tuple(range(first + 1, stop))) for first, stop in groups),
                        (),
                    )
        rest = totals[start:end]
        if rest and _within(totals[total_index], sum(rest, Decimal(0)), len(rest), half_ulp):
            return Segmentation(total_index, (), tuple(range(start, end)))
    groups = _group_rows(totals, 0, n, half_ulp)
    if groups is not None:
        return Segmentation(
            None, tuple((first, tuple(range(first + 1, stop))) for first, stop in groups), ()
        )
    return None


# --- table reading --------------------------------------------------------------------------
@dataclass
class _DataRow:
    line: Line
    label: str
    amounts: list[Amount]


def _find_header(lines: list[Line], title_index: int) -> int | None:
    """Index of the first header line after a title, or None (a table-of-contents entry)."""
    seen = 0
    for index in range(title_index + 1, len(lines)):
        line = lines[index]
        if line.is_blank or is_watermark(line.text):
            continue
        seen += 1
        if seen > HEADER_WINDOW or is_title(line):
            return None
        cells = non_empty(line)
        first = line.cells[0] or cells[0]
        # "部门名称：X | 单位：万元" is not the header, though it says 名称.
        if len(cells) >= 2 and _NAME_HEADER_RE.search(first) and not re.search("[:：]", first):
            return index
    return None


def _is_row_like(line: Line) -> bool:
    cells = non_empty(line)
    if len(cells) < 2:
        return False
    try:
        parse_amount(cells[-1])
    except ValueError:
        return False
    return True


def extract(lines: list[Line], file_name: str, doc: DocumentExtraction) -> None:
    """Append every project budget table of the document (tables, rows, cells, warnings) to doc.

    Tables are numbered by their title line; ``document.py`` renumbers them afterwards.
    """
    index = 0
    while index < len(lines):
        if is_title(lines[index]):
            header = _find_header(lines, index)
            if header is not None:
                index = _extract_table(lines, index, header, file_name, doc)
                continue
        index += 1


def _extract_table(
    lines: list[Line], title_index: int, header_index: int, file_name: str, doc: DocumentExtraction
) -> int:
    """Read one table; returns the index of the first line after it."""
    title_line = lines[title_index]
    title = normalize_name(non_empty(title_line)[0].lstrip("#").strip())
    ordinal = title_line.number

    # Label ("预算公开表12") on the nearest non-blank line before the title, department and unit
    # between the title and the header.
    label = None
    for back in range(title_index - 1, max(title_index - 4, -1), -1):
        if lines[back].is_blank:
            continue
        candidate = normalize_name(lines[back].joined)
        if _LABEL_RE.match(candidate):
            label = candidate
        break
    department = None
    unit = None
    unit_line = None
    for line in lines[title_index + 1 : header_index]:
        text = normalize_name(line.joined)
        if unit is None and (found := find_unit(text)):
            unit, unit_line = found, line.number
        match = _DEPARTMENT_RE.search(text)
        if department is None and match:
            department = match.group(1).strip() or None
    if unit is None:
        # Fall back on the last unit declared before the title: documents print it once per page.
        for line in reversed(lines[:title_index]):
            if found := find_unit(line.text):
                unit, unit_line = found, line.number
                break
    if unit is None:
        doc.warnings.append(
            ExtractionWarning(
                title_line.number, "missing_unit", f"{file_name}: no money unit for table", title
            )
        )
        return header_index + 1

    # Header lines: from the name header down to the column-number row or the first data row.
    header_rows: list[list[str]] = []
    header_lines: list[int] = []
    index = header_index
    while index < len(lines):
        line = lines[index]
        if line.is_blank or is_watermark(line.text):
            index += 1
            continue
        cells = list(line.cells)
        if is_column_number_row(cells):
            header_lines.append(line.number)
            index += 1
            break
        if header_rows and _is_row_like(line):
            break
        header_rows.append(cells)
        header_lines.append(line.number)
        index += 1
    width = max(len(row) for row in header_rows)
    paths = column_paths(header_rows, width)
    measures = [measure_of(path) for path in paths]
    # Amount columns: from the first column with a measure to the right; columns before it are
    # label columns (项目名称, or 单位名称 | 项目名称 in other layouts).
    first_amount = next((col for col, m in enumerate(measures) if m is not None), None)
    if first_amount is None or first_amount == 0:
        doc.warnings.append(
            ExtractionWarning(
                lines[header_index].number,
                "unreadable_header",
                f"{file_name}: no amount column recognised in project table header",
                lines[header_index].text,
            )
        )
        return index
    amount_columns = list(range(first_amount, width))
    for col in amount_columns:
        if measures[col] is None:
            doc.warnings.append(
                ExtractionWarning(
                    lines[header_index].number,
                    "unknown_column",
                    f"{file_name}: project table column {paths[col]!r} has no known measure; "
                    "its cells are not extracted",
                    paths[col],
                )
            )

    data, index = _read_rows(lines, index, width, first_amount, header_rows, file_name, doc)
    last_line = data[-1].line.number if data else header_lines[-1]
    empty_note = None
    note_line = next((line for line in lines[index:] if not line.is_blank), None)
    if note_line is not None and _EMPTY_NOTE_RE.match(normalize_name(note_line.joined)):
        empty_note = normalize_name(note_line.joined)
        last_line = note_line.number
    table = StatementTable(
        table_ordinal=ordinal,
        statement_type=(
            STATEMENT_TYPE_CARRYOVER if any(w in title for w in CARRYOVER_WORDS) else STATEMENT_TYPE
        ),
        title=title,
        title_line=title_line.number,
        label=label,
        department_name=department,
        unit=unit,
        unit_line=unit_line,
        first_line=title_line.number,
        last_line=last_line,
        layout=lines[header_index].layout,
        header_lines=header_lines,
        is_empty=all(a.value is None for row in data for a in row.amounts),
        empty_note=empty_note,
    )
    doc.tables.append(table)
    if not data:
        return index

    total_col = next((c for c in amount_columns if measures[c] == "total"), None)
    totals = [_row_total(row, total_col, first_amount, measures) for row in data]
    places = max((decimals_of(a) for row in data for a in row.amounts), default=0)
    half_ulp = Decimal(5) * Decimal(10) ** -(places + 1)
    segmentation = segment_rows(totals, half_ulp)
    if segmentation is None:
        doc.warnings.append(
            ExtractionWarning(
                data[0].line.number,
                "unsegmented_project_table",
                f"{file_name}: project table rows do not add up to units and a total; "
                "every row is kept as a project with no unit",
                title,
            )
        )
        segmentation = Segmentation(None, (), tuple(range(len(data))))
    _emit(doc, table, data, segmentation, paths, measures, amount_columns, first_amount, department)
    return index


# A label column after the name column that classifies the project instead of naming it
# ("项目名称 | 项目类别 | 合计 …": 其他运转类 / 特定目标类): not part of the project's name. The
# first column is always the name, whatever its header ("支出项目类别" over unit and project names).
_CATEGORY_HEADER_RE = re.compile(r"(?:类别|类型)$")


def _label_columns(header_rows: list[list[str]], first_amount: int) -> list[int]:
    """The columns before the amounts whose cells make up a row's label (name columns)."""
    top = header_rows[0] + [""] * (first_amount - len(header_rows[0]))
    return [
        col
        for col in range(first_amount)
        if col == 0 or not _CATEGORY_HEADER_RE.search(top[col].strip())
    ]


def _read_rows(
    lines: list[Line],
    index: int,
    width: int,
    first_amount: int,
    header_rows: list[list[str]],
    file_name: str,
    doc: DocumentExtraction,
) -> tuple[list[_DataRow], int]:
    """Data rows from index to the end of the table; unreadable rows become warnings."""
    rows: list[_DataRow] = []
    header_keys = {tuple(c for c in row if c) for row in header_rows}
    while index < len(lines):
        line = lines[index]
        if line.is_blank or is_watermark(line.text):
            index += 1
            continue
        cells = non_empty(line)
        # A name with only blank amount cells is still a table row when the line has cells
        # (the lone row of an empty table, "阳泉市教育局 | | |"); a bare text line is not.
        is_cell_row = line.layout != "text" and len(line.cells) > first_amount
        if len(cells) <= 1 and not (is_cell_row and line.cells[0]):
            text = cells[0] if cells else ""
            if _PAGE_NOISE_RE.match(text) or find_unit(text):
                index += 1  # page number / repeated unit line at a page break
                continue
            if (
                is_title(line)
                or _HEADING_RE.match(text)
                or "表" in text
                or not _is_next_row(lines, index)
            ):
                break
            doc.warnings.append(
                ExtractionWarning(
                    line.number,
                    "unreadable_row",
                    f"{file_name}: line inside a project table has a name but no amounts",
                    line.text,
                )
            )
            index += 1
            continue
        padded = list(line.cells) + [""] * (width - len(line.cells))
        if tuple(cells) in header_keys or is_column_number_row(padded):
            index += 1  # header repeated after a page break
            continue
        label = " ".join(
            padded[col] for col in _label_columns(header_rows, first_amount) if padded[col]
        )
        try:
            amounts = [parse_amount(c) for c in padded[first_amount:width]]
        except ValueError:
            amounts = []
        extra = [c for c in padded[width:] if c]
        if not label or not amounts or extra:
            doc.warnings.append(
                ExtractionWarning(
                    line.number,
                    "unreadable_row",
                    f"{file_name}: project table row is not a name followed by amounts",
                    line.text,
                )
            )
            index += 1
            continue
        rows.append(_DataRow(line, label, amounts))
        index += 1
    return rows, index


def _is_next_row(lines: list[Line], index: int) -> bool:
    """True when the next non-blank line is a table row (a wrapped name sits between rows)."""
    for line in lines[index + 1 :]:
        if line.is_blank or is_watermark(line.text):
            continue
        return _is_row_like(line)
    return False


def _row_total(
    row: _DataRow, total_col: int | None, first_amount: int, measures: list[str | None]
) -> Decimal:
    """The row's total for the arithmetic: the 合计 cell, else the sum of its printed cells."""
    if total_col is not None:
        value = row.amounts[total_col - first_amount].value
        if value is not None:
            return value
    return sum(
        (
            a.value
            for offset, a in enumerate(row.amounts)
            if a.value is not None and measures[first_amount + offset] not in (None, "total")
        ),
        Decimal(0),
    )


def _emit(
    doc: DocumentExtraction,
    table: StatementTable,
    data: list[_DataRow],
    segmentation: Segmentation,
    paths: list[str],
    measures: list[str | None],
    amount_columns: list[int],
    first_amount: int,
    department: str | None,
) -> None:
    """Append rows and cells in reading order with the roles of the segmentation."""
    role: dict[int, tuple[str, int, int | None, str | None]] = {}  # role, level, parent, unit
    names = [normalize_name(split_ordinal(strip_markup(row.label))[1]) for row in data]
    top = None
    if segmentation.total_index is not None:
        top = segmentation.total_index
        role[top] = ("total", 0, None, None)
    for head, members in segmentation.groups:
        role[head] = ("subtotal", 1, top, names[head])
        for member in members:
            role[member] = ("detail", 2, head, names[head])
    flat_unit = None
    if segmentation.flat:
        # A flat table belongs to one unit: the total row's name when it is a name, else the
        # printed 部门名称.
        if top is not None and not re.search(r"合计|总计|小计", names[top]):
            flat_unit = names[top]
        else:
            flat_unit = department
    for member in segmentation.flat:
        role[member] = ("detail", 1, top, flat_unit)

    for index, row in enumerate(data):
        row_role, level, parent, unit_name = role[index]
        prefix, _ = split_ordinal(strip_markup(row.label))
        doc.rows.append(
            StatementRow(
                table_ordinal=table.table_ordinal,
                row_ordinal=index + 1,
                source_line=row.line.number,
                side=None,
                label_raw=row.label,
                name=names[index],
                ordinal_prefix=prefix,
                code_raw=None,
                function_code=None,
                economic_code=None,
                economic_name_department=None,
                economic_name_government=None,
                row_role=row_role,
                level=level,
                parent_row_ordinal=parent + 1 if parent is not None else None,
                unit_name=unit_name,
                project_name=names[index] if row_role == "detail" else None,
            )
        )
        for ordinal, col in enumerate(amount_columns, start=1):
            measure = measures[col]
            if measure is None:
                continue
            amount = row.amounts[col - first_amount]
            doc.cells.append(
                StatementCell(
                    table_ordinal=table.table_ordinal,
                    row_ordinal=index + 1,
                    source_line=row.line.number,
                    column_ordinal=ordinal,
                    column_path=paths[col],
                    measure=measure,
                    raw_text=amount.raw_text,
                    amount_printed=amount.value,
                    unit=table.unit,
                    amount_yuan=to_yuan(amount.value, table.unit),
                    is_blank=amount.is_blank,
                    is_dash=amount.is_dash,
                    cell_index=col,
                )
            )
