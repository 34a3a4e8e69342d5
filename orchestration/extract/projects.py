"""Row roles of a project list (项目支出预算表) from its arithmetic: the project-list strategy.

Project lists are statement tables: :mod:`orchestration.extract.statements` finds their titles
(the seed ``statement_title_vocabulary.csv`` types them ``project_expenditure`` or
``project_expenditure_carryover``), reads their meta lines, header, columns, page breaks and empty
notes like any other table. What differs is how the rows nest, and that is this module.

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

from orchestration.extract.text import Amount

# Statement types read with this strategy (rows of statement_title_vocabulary.csv).
STATEMENT_TYPE = "project_expenditure"
STATEMENT_TYPE_CARRYOVER = "project_expenditure_carryover"
PROJECT_TYPES: frozenset[str] = frozenset({STATEMENT_TYPE, STATEMENT_TYPE_CARRYOVER})
# extraction_warnings.kind when the rows do not add up to units and a total
UNSEGMENTED = "unsegmented_project_table"
_TOTAL_NAME_RE = re.compile(r"合计|总计|小计")


def decimals_of(amount: Amount) -> int:
    """Printed decimal places of an amount ("154.51" -> 2, "2467944" -> 0)."""
    if amount.value is None:
        return 0
    exponent = amount.value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def half_ulp(amounts: list[Amount]) -> Decimal:
    """Half a unit of the last printed digit of the table (0.005 for figures printed to 0.01)."""
    places = max((decimals_of(a) for a in amounts), default=0)
    return Decimal(5) * Decimal(10) ** -(places + 1)


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


@dataclass(frozen=True)
class RowRole:
    """The role of one row of a project list, as :func:`roles` assigns it."""

    role: str  # "total" | "subtotal" | "detail"
    level: int
    parent: int | None  # index of the parent row
    unit_name: str | None


def roles(segmentation: Segmentation, names: list[str], department: str | None) -> list[RowRole]:
    """Role, level, parent and unit of every row of a segmented table, in row order.

    The department total is level 0; a unit subtotal level 1 under it; its projects level 2. A
    flat table belongs to one unit: the total row's name when it is a name (not 合计), else the
    printed 部门名称.
    """
    out: dict[int, RowRole] = {}
    top = segmentation.total_index
    if top is not None:
        out[top] = RowRole("total", 0, None, None)
    for head, members in segmentation.groups:
        out[head] = RowRole("subtotal", 1, top, names[head])
        for member in members:
            out[member] = RowRole("detail", 2, head, names[head])
    if segmentation.flat:
        if top is not None and not _TOTAL_NAME_RE.search(names[top]):
            flat_unit: str | None = names[top]
        else:
            flat_unit = department
        for member in segmentation.flat:
            out[member] = RowRole("detail", 1, top, flat_unit)
    return [out[index] for index in range(len(names))]
