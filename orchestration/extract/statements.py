"""Budget statement tables (预算公开表 1–11) and project lists: one table, its rows and every
amount cell. The one reader of statement-like tables.

Two families of disclosure are read with the same code:

* Shanxi-style department budgets (001): tab-separated, one 3/5/7-digit code column
  (``205`` / ``20501`` / ``2050101``), amounts in 万元, watermark lines between tables;
* Shanghai-style unit budgets (004): tab-separated, the code split over 类 | 款 | 项 columns
  (``205`` ``08`` ``01``), amounts in 元, headers repeated at page breaks.

Markdown pipe tables and inline HTML ``<table>`` rows are read the same way (cells come from
:func:`orchestration.extract.text.split_cells`; HTML ``colspan``/``rowspan`` are expanded by
:mod:`orchestration.extract.table_rows` so that spanning header cells line up like their
tab-separated equivalents). Titles are found by :mod:`orchestration.extract.titles`.

How a table is read
-------------------
1. **Titles delimit tables**, never blank lines. A title is a single-cell line ending in 表 that
   is followed by a table; a label ("预算公开表1", "部门公开表9", "表一") may precede it or be glued
   to it. The seed statement_title_vocabulary.csv types it. Project lists (项目支出预算表) are
   statement tables (``project_expenditure``, ``project_expenditure_carryover``); performance-
   target tables (绩效) and any other titled table are recognised only as boundaries: they end
   the preceding statement table. :func:`title_lines` gives every reader these boundaries.
2. **Meta lines** between title and header give 部门名称 and the printed unit (单位：万元 / 单位:元,
   on one line or run together with the department name).
3. **Header lines** run up to the first data line. Spanning cells are carried to the right over
   blank cells, bounded by the span of the cell above, so "基本支出" covers 人员经费 and 公用经费
   and "金额" covers 小计 … 国有资本经营预算 (001 T4). Each column gets a path
   ("本年支出 / 预算数 / 基本支出 / 人员经费") and a role: code, name, or amount.
   Amount columns get a :data:`~orchestration.extract.records.MEASURES` code from the
   deepest label of the path.
4. **Two-sided summary tables** (收支总表, 财政拨款收支总表, 国有资本经营预算收支表) are
   split at the header label holding 支出 that follows a label holding 收入: each physical line
   yields an income row and an expenditure row with the same ``source_line``. A side printed in
   several classification groups at once (功能分类 | 部门经济分类 | 政府经济分类, each with its own
   name and amount columns) gives one side per group: "expenditure" (功能分类),
   "expenditure_economic", "expenditure_government_economic".
5. **Body lines**: blank and watermark lines are skipped, headers repeated at a page break
   (004 T5) are skipped, an empty note ("注：本表无数据") marks the table empty, any other
   single-cell line inside the body becomes a warning.

Row roles, levels and parents
-----------------------------
A consumer must be able to sum either the ``detail`` rows, or the rows of one ``level``, of a
side and get the printed total, without counting anything twice:

* Every row whose label is a total (合计, 总计, 小计, 部门合计, 本年收入合计, 本年支出合计,
  收入总计, 支出总计 …) has ``row_role="total"`` and ``level=0``. When a side prints several
  totals, the 总计 is the grand total (``parent_row_ordinal=None``); a partial total such as
  本年收入合计 has the grand total as parent and the rows printed above it as children.
* Other rows nest by code (类 → 款 → 项, by prefix), by the two name columns of a names-only
  economic table (a row with a blank 政府经济分类 name is a 类 group of the rows below it, 001 T6),
  or by ordinal style (一、 → 1、 → ①; a row without ordinal starts a new group). Rows at the top
  of that nesting have ``level=1`` and the side's total (the partial total they are printed
  above, else the grand total) as parent.
* ``subtotal`` is a non-total row with children (a 类 row, 一、财政拨款收入 over
  1、一般公共预算资金, 公务用车购置及运行费 over ①/②, 上年财政拨款结转 over its fund lines);
  ``detail`` is a leaf.

So in 001 T1 the income side reads: 一、一般公共预算 … 五、单位资金 are ``detail`` level 1 under
本年收入合计 (``total``, level 0, parent 收入总计); 上年结转 is an income component, ``detail``
level 1 under 收入总计 (``total``, level 0). The expenditure side mirrors it with 本年支出合计,
年终结转(结余) and 支出总计. Level-1 rows and detail rows both sum to 收入总计 / 支出总计.

Project lists print no code, ordinal or indentation to nest by: their rows get their roles from
the arithmetic (:mod:`orchestration.extract.projects`): department total (``total``, level 0),
unit subtotals (``subtotal``, level 1, ``unit_name``) and projects (``detail``, level 2,
``project_name``).

Carry-over rows: a row named 上年结转 / 上年财政拨款结转 and every row nested under it are
carry-over money even when the column says only "金额"; their cells get
``measure="carryover"``. This is how 001 T4 line 267 "一、一般公共预算" (a carry-over line
that repeats the label of line 234) is told apart from the current-year line: by position,
never by its label.

Measures: the deepest label decides ("人员经费" → personnel). A generic label (合计, 小计, 金额,
预算数, "2025年") means ``total``, except under 本年收入 (001 T2: its 合计 excludes the 上年结转
column, so it is ``current_year``) and under 公务用车购置及运行费 (小计 → ``official_vehicles``).
A side with a single amount column is its total. The side label of a two-sided table (收入,
本年支出 …) is context, not a measure. A column no rule recognises gets ``measure="unknown"`` and
a warning.

Truncation: if the document ends inside a statement table (not a project list, whose total may
stand anywhere or be missing), the table is checked. It is truncated
when a side has rows but no total row, when the last row has fewer cells than the header, or
when its total is printed above the rows (001 T2) and the rows read so far do not add up to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from orchestration.extract import projects, vocabulary
from orchestration.extract.records import (
    DocumentExtraction,
    ExtractionWarning,
    StatementCell,
    StatementRow,
    StatementTable,
)
from orchestration.extract.table_rows import _CODE_IN_NAME_RE, _is_noise, _Row, to_rows
from orchestration.extract.text import (
    Amount,
    DocumentError,
    Line,
    find_unit,
    name_key,
    normalize_name,
    parse_amount,
    split_ordinal,
    to_yuan,
)

# The title finder lives in titles.py; BOUNDARY_KINDS, classify_title, _split_label, title_lines
# and label_start are re-exported here for the modules that import them from this one.
from orchestration.extract.titles import (
    _LABEL_BELOW_RE,
    _LABEL_LINE_RE,
    BOUNDARY_KINDS,
    _find_titles,
    _is_title,
    _Title,
)
from orchestration.extract.titles import _split_label as _split_label
from orchestration.extract.titles import classify_title as classify_title
from orchestration.extract.titles import label_start as label_start
from orchestration.extract.titles import title_lines as title_lines

# --- titles ---------------------------------------------------------------------------------
BASIC_ECONOMIC_KIND = "gpb_basic_expenditure_economic"
# extraction_warnings.kind of a table title the document ends at, with no rows after it
TABLE_WITHOUT_ROWS = "table_without_rows"

# --- meta lines -----------------------------------------------------------------------------
_DEPARTMENT_RE = re.compile(
    r"(?:部门名称|单位名称|预算单位|编制单位|填报单位|^部门(?:\s*[（(]单位[）)])?)"
    r"\s*[:：]\s*(?P<name>.*?)"
    r"\s*(?:(?:金额)?单位\s*[:：]\s*(?:亿元|万元|元).*)?$"
)
# "注：本表无数据" (001 T7–T9), "2020年本单位无政府性基金预算" (004 T6).
_EMPTY_NOTE_RE = re.compile(
    r"无数据|本表为空|空表|本(?:部门|单位).{0,4}无.{0,20}(?:预算|经费|收支|支出|收入)"
    r"|本表.{0,6}无发生额"
    r"|不涉及"
)

# A part or section heading of the narrative, which no table body holds.
_SECTION_HEADING_RE = re.compile(
    r"^(?:#+\s|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、\S)"
)

# --- header ---------------------------------------------------------------------------------
# Header cells naming a label column (code or name), as opposed to an amount column.
_CODE_HEADER_RE = re.compile(r"(?:编码|代码|编号)$")
# The 政府经济分类 code column of a table printing both economic codes ("部门经济分类科目编码 |
# 政府经济分类科目编码 | 科目名称"): its code is kept beside the 部门 code in code_raw
# ("30101|50101").
_GOVERNMENT_CODE_HEADER_RE = re.compile(r"政府.{0,6}(?:编码|代码)$")
# Both economic codes printed in one cell: "30101|50101", "30101/50101" (部门 | 政府).
_ECONOMIC_CODE_PAIR_RE = re.compile(
    r"^(?P<department>3\d{2}(?:\d{2})?)[|｜/／](?P<government>5\d{2}(?:\d{2})?)$"
)
# A column of budget-unit codes ("114" the department, "114001" its unit): rows nest by prefix,
# and the code is no 功能分类 code.
_UNIT_CODE_HEADER_RE = re.compile(r"^(?:预算)?(?:单位|部门)(?:编码|代码)$")
CODE_PART_HEADERS: frozenset[str] = frozenset({"类", "款", "项"})
# "支出功能分类科目", "部门预算支出经济科目": a column of 科目 (budget subjects) is a label column.
# "支出功能分类科目（按大类）": a 科目 column qualified by the level it prints is one too.
_NAME_HEADER_RE = re.compile(
    r"名称$|科目(?:按[大类款项]{1,2})?$|类别$|^(?:项目|单位|部门|预算单位|收入项目|支出项目|年度)$"
)
# A side of a two-sided table that prints several classifications one after another, each with its
# own name and amount columns (收支总表 expenditure by 功能分类 | 部门经济分类 | 政府经济分类): the
# classification of each column group, from its name column's header.
_CLASSIFICATION_GROUPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"政府.{0,6}经济"), "government_economic"),
    (re.compile(r"经济"), "economic"),
    (re.compile(r"功能"), "function"),
    (re.compile(r"用途"), "use"),
)
# A column naming the budget unit ("预算单位", "单位名称"). Printed before the 科目编码 | 科目名称
# columns it is a unit_name column: the row that fills it (and no 科目) is the unit's own row, over
# the 科目 rows printed below it. As a table's only name column (a 收入总表 broken down by unit
# instead of by function code) each row is one unit's line (_Draft.is_unit_row).
_UNIT_NAME_HEADER_RE = re.compile(r"^(?:预算)?(?:单位|部门)(?:名称)?$")
# A column of a project list beside its name column that classifies the project instead of naming
# it ("项目名称 | 项目类别 | 合计 …": 其他运转类 / 特定目标类). As the only label column it names
# the row whatever its header ("支出项目类别（资金使用单位）" over unit and project names).
_CATEGORY_HEADER_RE = re.compile(r"(?:类别|类型)$")
# A bracketed qualifier at the end of a header label ("（资金使用单位）", "（按功能分类）").
_QUALIFIER_RE = re.compile(r"\s*[（(][^（()）]*[）)]$")
# A row of column numbers under the header ("1 2 3 4 5 6 7", 001 T12) or a 栏次 row.
_COLUMN_NUMBER_FIRST = frozenset({"栏次", "行次"})
# Header cells of structure columns: line numbers (行次, 栏次) and ratios ("决算数为年初预算数的%",
# "完成率", "增减"), which are not amounts.
_STRUCTURE_HEADER_RE = re.compile(
    r"^(?:行次|栏次|行号|备注|说明|绩效目标)$|[%％]$|百分比|完成率|执行率|增减率?$|比例$"
)
# Column groups that compare with the year before rather than print this budget: "上年 / 合计 …"
# and "增减变化情况 / 合计 …" beside "当年 / 合计 …" (a 三公 table). Their columns are not read: the
# prior year's budget is another document's figure, and a change is no amount of money spent.
# Anchored: "上年结转" is this year's money.
_COMPARISON_GROUP_RE = re.compile(
    r"^(?:上年(?:度)?(?:预算)?数?|(?:比上年)?增减(?:变化)?(?:情况|额|数)?)$"
)
# Year prefix of a header label: "2025年", "2025年度", "2025" (001 T11 "2025预算数").
_YEAR_PREFIX_RE = re.compile(r"^\d{4}(?:年度?)?")
GENERIC_TOTAL_LABELS: frozenset[str] = vocabulary.total_labels()
# Header wording -> measure (seed statement_measure_vocabulary.csv, applies_to leaf), checked on
# the deepest label, first matching row wins:
# "机关运行经费" must not fall to "运行费", "公务用车购置及运行费" not to "购置费",
# "事业单位经营收入" not to "事业收入".
MEASURE_RULES: tuple[tuple[re.Pattern[str], str], ...] = vocabulary.measure_rules("leaf")
# Ancestor labels that qualify a generic leaf (合计 / 小计) below them (applies_to ancestor).
QUALIFYING_ANCESTORS: tuple[tuple[re.Pattern[str], str], ...] = vocabulary.measure_rules("ancestor")
UNKNOWN_MEASURE = "unknown"
# Column groups whose 小计 / 合计 is the group's own measure ("基本支出 / 小计" is basic). Only a
# group label that is nothing but the measure: a heading such as "一般公共预算基本支出 / 合计"
# names the whole table, so its 合计 stays total.
GROUP_SUBTOTALS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"基本支出(?:预算)?"), "basic"),
    (re.compile(r"项目支出(?:预算)?"), "project"),
    (re.compile(r"上年(?:结转(?:结余)?|结余结转)"), "carryover"),
)

# --- rows -----------------------------------------------------------------------------------
# Total labels after name_key(): 合计, 总计, 小计, 部门合计, 本年收入合计, 收入总计, 金额合计 …
_TOTAL_RE = re.compile(r"^[\u4e00-\u9fff]{0,8}(?:合计|总计|小计)$")
_GRAND_TOTAL_RE = re.compile(r"总计$")
# 上年结转 / 上年财政拨款结转 / 上年结余: carry-over lines of a summary table.
_CARRYOVER_ROW_RE = re.compile(r"^上年.{0,6}(?:结转|结余)")
# 决算 balance lines, and the fund lines printed under them without ordinals: in
# 财政拨款收入支出决算总表 "年初财政拨款结转和结余" is followed by "一般公共预算财政拨款",
# "政府性基金预算财政拨款" and "国有资本经营预算财政拨款".
_BALANCE_ROW_RE = re.compile(r"^(?:年初|年末).{0,8}结转和?结余")
_FUND_LINE_RE = re.compile(
    r"^(?:一般公共预算|政府性基金预算?|国有资本经营预算)(?:财政拨款)?(?:资金)?$"
)
# The same fund lines printed without ordinals under an ordinal 财政拨款 line of a 收支总表:
# "一、财政拨款收入" then "一般公共预算收入", "政府性基金预算收入", "国有资本经营预算收入",
# then "二、财政专户管理资金收入". They are parts of the line above, not new top-level rows.
_APPROPRIATION_LINE_RE = re.compile(r"财政拨款")
_FUND_PART_RE = re.compile(
    r"^(?:一般公共预算|政府性基金预算?|国有资本经营预算)(?:财政拨款)?(?:资金|收入|拨款收入)?$"
)
_FUNCTION_CODE_RE = re.compile(r"^(?:\d{3}|\d{5}|\d{7})$")
_ECONOMIC_CODE_RE = re.compile(r"^(?:\d{3}|\d{5})$")
# A 部门经济分类 code extended by a local sub-item ("3021101-差旅费" under 30211 差旅费,
# "3021503-三类会议费" under 30215 会议费): the conformed code is its 5-digit款.
_LOCAL_ECONOMIC_CODE_RE = re.compile(r"^\d{7}$")
# The label column of a 功能分类 (支出功能分类科目, 功能分类科目名称) beside economic columns.
_FUNCTION_NAME_HEADER_RE = re.compile(r"功能分类")
_SUB_ITEM_RE = re.compile(r"^其中[:：]?")
# Ordinal styles in the order they usually nest: 一、 > （一） > 1、 > （1） > ①.
_ORDINAL_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chinese", re.compile(r"^[一二三四五六七八九十百零]+[、.．]")),
    ("paren_chinese", re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    ("arabic", re.compile(r"^\d{1,2}[、.．]")),
    ("paren_arabic", re.compile(r"^[（(]\d{1,2}[）)]")),
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
)
# Printed figures are rounded one by one (001: 万元 to 0.01 from amounts held in 元), so a sum of
# n printed figures may differ from its printed total by up to n half-units. The truncation check
# allows a whole unit (0.01) per summand: calling a complete document truncated is the worse error.
TRUNCATION_TOLERANCE_PER_ROW = Decimal("0.01")
# Rows nesting by indentation (PDF): positions closer than INDENT_TOLERANCE points are one level,
# levels are at least MIN_INDENT_STEP apart, and a side has at most MAX_INDENT_LEVELS of them.
INDENT_TOLERANCE = 1.5
MIN_INDENT_STEP = 3.0
MAX_INDENT_LEVELS = 5


# --- small records --------------------------------------------------------------------------
@dataclass
class _Column:
    index: int
    path: tuple[str, ...]
    side: str | None
    role: str  # "code" | "name" | "amount" | "none"
    code_part: str | None = None  # "类" | "款" | "项" | "full"
    # "department" | "government" for economic name columns; "function" for a 功能分类 name column
    # of a table that also prints economic name columns (a cross-classified 支出总表)
    name_system: str | None = None
    measure: str = UNKNOWN_MEASURE
    ordinal: int = 0  # 1-based among the amount columns of its side
    economic: bool | None = None  # set for a classification group of a side (see _side_groups)

    @property
    def column_path(self) -> str:
        return " / ".join(self.path)


@dataclass
class _Draft:
    """A statement row before its ordinal, role and parent are final."""

    side: str | None
    row: _Row
    label_raw: str
    name: str
    ordinal_prefix: str | None
    code_raw: str | None
    code: str | None
    economic: bool
    economic_name_government: str | None
    has_government_column: bool
    is_total: bool
    cells: list[tuple[_Column, Amount]]
    parent: _Draft | None = None
    children: list[_Draft] = field(default_factory=list)
    unit_code: str | None = None  # budget-unit code ("114001"), where a column prints one
    split_label: str | None = None  # "head" | "child": a name printed over two label columns
    name_system: str | None = None  # "government" when the row's only name is a 政府经济分类 name
    # a function-keyed row that also names its 部门经济分类 item (cross-classified 支出总表)
    cross_economic_code: str | None = None
    cross_economic_name: str | None = None
    unit_name: str | None = None  # budget unit named in a 预算单位 column beside the 科目 columns
    indent: float | None = None  # x where the label starts on the page (PDF), for nesting
    is_unit_row: bool = False  # the only name column is headed 单位名称: the row names a unit
    # role and unit given by a project list's arithmetic (projects.roles), not by the nesting
    project_role: projects.RowRole | None = None
    level: int = 1
    ordinal: int = 0


# --- row reading ----------------------------------------------------------------------------
def _is_number(text: str) -> bool:
    try:
        amount = parse_amount(text)
    except ValueError:
        return False
    return amount.value is not None


def _is_column_number_row(row: _Row) -> bool:
    """A row of column numbers ("1 2 3 …") or a 栏次 row printed under the header."""
    cells = [c for _, c in row.nonblank]
    if cells and name_key(cells[0]) in _COLUMN_NUMBER_FIRST:
        return True
    if len(cells) < 3 or not all(c.isdigit() for c in cells):
        return False
    return [int(c) for c in cells] == list(range(1, len(cells) + 1))


def _is_total_label(text: str) -> bool:
    return bool(_TOTAL_RE.match(name_key(text)))


def _is_label_header(text: str) -> bool:
    key = name_key(text)
    return bool(
        _CODE_HEADER_RE.search(key) or key in CODE_PART_HEADERS or _NAME_HEADER_RE.search(key)
    )


def _is_data_row(row: _Row, label_header_seen: bool) -> bool:
    """Whether a table row carries data rather than header wording.

    Decided before the columns are known, from signs no header carries: an amount, a code or an
    ordinal in the first cell, a total label followed only by amounts. Once the header has named
    its label column ("项目", "科目编码", "单位名称"), a row with other text in the first column is
    data even with blank amounts ("因公出国（境）费", 001 T10).
    """
    cells = row.nonblank
    if not cells or _is_column_number_row(row):
        return False
    first_index, first = cells[0]
    rest = [c for _, c in cells[1:]]
    if _is_total_label(first) and all(_is_number(c) or _is_dash_or_blank(c) for c in rest):
        return True
    if _FUNCTION_CODE_RE.match(first.replace(" ", "")) or split_ordinal(first)[0]:
        return True
    if any(_is_number(c) for _, c in cells):
        return True
    return label_header_seen and first_index == 0 and not _is_label_header(first)


def _is_dash_or_blank(text: str) -> bool:
    """True when a cell is a dash or blank (not an amount, not a word)."""
    try:
        return parse_amount(text).value is None
    except ValueError:
        return False


# --- titles ---------------------------------------------------------------------------------
def _has_table(rows: list[_Row]) -> bool:
    """A title is a table title only when a table (or an empty note) follows it."""
    for row in rows:
        if _is_noise(row) or _DEPARTMENT_RE.search(row.joined) or find_unit(row.joined):
            continue
        if _LABEL_BELOW_RE.match(row.joined.replace(" ", "")):
            continue
        return row.is_table_line or bool(_EMPTY_NOTE_RE.search(row.joined))
    return False


# --- header ---------------------------------------------------------------------------------
def header_paths(header: list[tuple[str, ...]], width: int) -> list[tuple[str, ...]]:
    """Column paths of a multi-line header, spanning cells carried to the right.

    A blank header cell takes the label to its left only when both sit under the same spanning
    cell of the line above (or on the first line): "基本支出" then blank under "预算数" spans
    人员经费 / 公用经费 (004 T1); the blank next to "项目支出" does not inherit "公用经费".
    """
    paths: list[list[str]] = [[] for _ in range(width)]
    above: list[tuple[int, int] | None] = [None] * width
    for r, cells in enumerate(header):
        origin: list[tuple[int, int] | None] = [None] * width
        label = [""] * width
        for c in range(width):
            text = cells[c].strip() if c < len(cells) else ""
            if text:
                origin[c], label[c] = (r, c), text
            elif (
                c > 0
                and origin[c - 1] is not None
                and (r == 0 or (above[c] is not None and above[c] == above[c - 1]))
                and not _spans_down(header, origin[c - 1], c)
            ):
                origin[c], label[c] = origin[c - 1], label[c - 1]
        for c in range(width):
            if label[c] and (not paths[c] or paths[c][-1] != label[c]):
                paths[c].append(label[c])
        above = [origin[c] if origin[c] is not None else above[c] for c in range(width)]
    return [tuple(p) for p in paths]


def _spans_down(header: list[tuple[str, ...]], origin: tuple[int, int], c: int) -> bool:
    """A label printed over a blank cell of the next header line spans down its own column, not
    across: "支出项目类别" over a blank, beside "总计" printed one line lower, heads no column
    but its own (the label columns of a project list)."""
    r, start = origin
    if r + 1 >= len(header):
        return False
    below = header[r + 1]
    own_below = below[start].strip() if start < len(below) else ""
    here_below = below[c].strip() if c < len(below) else ""
    return not own_below and bool(here_below)


def _split_sides(header: list[tuple[str, ...]]) -> int | None:
    """Column where the expenditure side of a two-sided summary table starts, if any."""
    for cells in header:
        nonblank = [(i, c) for i, c in enumerate(cells) if c.strip()]
        if not nonblank:
            continue
        first = name_key(nonblank[0][1])
        if "收入" not in first or "支出" in first:
            continue
        for i, text in nonblank[1:]:
            key = name_key(text)
            if "支出" in key and "收入" not in key:
                return i
    return None


def measure_for(path: tuple[str, ...]) -> str:
    """The MEASURES code of an amount column from its header path (side label excluded)."""
    if not path:
        return UNKNOWN_MEASURE
    leaf = name_key(path[-1])
    for pattern, measure in MEASURE_RULES:
        if pattern.search(leaf):
            return measure
    if _YEAR_PREFIX_RE.sub("", leaf) not in GENERIC_TOTAL_LABELS:
        return UNKNOWN_MEASURE
    for ancestor in reversed(path[:-1]):
        for pattern, measure in QUALIFYING_ANCESTORS:
            if pattern.search(name_key(ancestor)):
                return measure
    if len(path) > 1:
        # "基本支出 / 小计", "上年结转结余 / 小计": the subtotal of a spanning column group is
        # that group's measure (a fund-source group, "财政拨款收入 / 小计", "一般公共预算 / 小计",
        # is an ancestor row of the vocabulary)
        parent = name_key(path[-2])
        for pattern, measure in GROUP_SUBTOTALS:
            if pattern.fullmatch(parent):
                return measure
    return "total"


def _build_columns(
    header: list[tuple[str, ...]], width: int, economic: bool, project_list: bool = False
) -> tuple[list[_Column], bool]:
    """Columns with side, role and measure; also whether the table is two-sided.

    In a project list a column headed …类别 / …类型 beside a name or code column classifies the
    project instead of naming it (_CATEGORY_HEADER_RE): no name column and no amount."""
    paths = header_paths(header, width)
    split = _split_sides(header)
    columns: list[_Column] = []
    for index, path in enumerate(paths):
        side = None if split is None else ("income" if index < split else "expenditure")
        column = _Column(index=index, path=path, side=side, role="none")
        leaf = name_key(path[-1]) if path else ""
        if not path or _STRUCTURE_HEADER_RE.search(leaf):
            column.role = "none"  # 行次 / 栏次 / ratio columns carry no amount
        elif any(_COMPARISON_GROUP_RE.match(name_key(label)) for label in path):
            column.role = "none"  # 上年 / 增减变化情况 column groups
        elif project_list and _CATEGORY_HEADER_RE.search(_unqualified(path[-1])):
            column.role = "category"  # 项目类别 / 项目类型 of a project list: see below
        elif leaf in CODE_PART_HEADERS:
            column.role, column.code_part = "code", leaf
        elif _UNIT_CODE_HEADER_RE.search(leaf):
            column.role = "unit_code"
        elif _CODE_HEADER_RE.search(leaf) and economic and _GOVERNMENT_CODE_HEADER_RE.search(leaf):
            column.role = "government_code"  # "政府经济分类科目编码" beside the 部门 code column
        elif _CODE_HEADER_RE.search(leaf):
            column.role, column.code_part = "code", "full"
        elif _NAME_HEADER_RE.search(leaf) or _NAME_HEADER_RE.search(_unqualified(path[-1])):
            column.role = "name"
            if _FUNCTION_NAME_HEADER_RE.search(leaf) and economic:
                column.name_system = "function"
            elif economic and "政府" in leaf:
                column.name_system = "government"
            elif economic:
                column.name_system = "department"
        else:
            column.role = "amount"
            measure_path = path[1:] if split is not None and len(path) > 1 else path
            column.measure = measure_for(measure_path)
        columns.append(column)
    categories = [c for c in columns if c.role == "category"]
    if categories:
        # beside a name or code column a category classifies the project, it is no part of its
        # name; as the only label column it names the row ("支出项目类别" over units and projects)
        named = any(c.role in ("name", "code", "unit_code") for c in columns)
        for position, column in enumerate(categories):
            column.role = "name" if not named and position == 0 else "none"
    if split is not None:
        _side_groups(columns)
    _total_with_meetings(columns)
    for side in dict.fromkeys(c.side for c in columns):
        side_columns = [c for c in columns if c.side == side]
        # beside a code column, or beside another label column (三公 by 年度: 预算单位 | 年度)
        if any(c.role == "code" for c in side_columns) or (
            sum(1 for c in side_columns if c.role == "name") > 1
        ):
            for column in side_columns:
                leaf = name_key(column.path[-1]) if column.path else ""
                if column.role == "name" and _UNIT_NAME_HEADER_RE.match(leaf):
                    column.role = "unit_name"
    for side in dict.fromkeys(c.side for c in columns):
        # A second classification printed beside the first, each with code and name columns
        # (部门经济 类 | 款 | 名称 then 政府经济 类 | 款 | 名称): the second one's code columns are
        # no part of the row's code.
        # An amount column between them makes the next code column a new pane instead
        # (科目代码 | 科目名称 | 决算数, printed three times side by side in a 决算).
        coded_name_seen = False
        for column in (c for c in columns if c.side == side):
            if column.role == "code" and coded_name_seen:
                column.role = "second_code"
            elif column.role == "name" and any(
                c.role == "code" and c.side == side and c.index < column.index for c in columns
            ):
                coded_name_seen = True
            elif column.role == "amount":
                coded_name_seen = False
        amounts = [c for c in columns if c.side == side and c.role == "amount"]
        for ordinal, column in enumerate(amounts, start=1):
            column.ordinal = ordinal
        if len(amounts) == 1:
            # 001 T7 prints one column "政府性基金收入预算": a side's only amount is its total.
            amounts[0].measure = "total"
    return columns, split is not None


def _unqualified(label: str) -> str:
    """The key of a header label without a bracketed qualifier at its end: "支出项目类别（资金使用
    单位）" names its column as "支出项目类别" does."""
    return name_key(_QUALIFIER_RE.sub("", normalize_name(label)))


def _basic_subtotal_is_row_total(columns: list[_Column]) -> None:
    """In a 基本支出 table every amount is basic expenditure: where it prints no 合计 column, its
    "基本支出预算 / 小计" is the row's total ("基本支出预算 (小计 | 人员支出 | 日常公用支出)")."""
    amounts = [c for c in columns if c.role == "amount"]
    if any(c.measure == "total" for c in amounts):
        return
    basic = [c for c in amounts if c.measure == "basic"]
    if len(basic) == 1:
        basic[0].measure = "total"


def _total_with_meetings(columns: list[_Column]) -> None:
    """The 合计 of a 三公经费及会议费、培训费 table is not the 三公 total.

    Such a table prints 合计 | 三公经费 (小计 | 因公出国 | 接待 | 公务用车) | 会议费 | 培训费: the
    小计 of the 三公 group is the 三公 total, the 合计 beside it counts 会议费 and 培训费 too.
    A total column whose siblings (same header path above it) include a 会议费 or 培训费 column
    and a column group with a total of its own gets ``three_public_with_meetings`` (Jiangsu 2019
    p.9: 合计 1,471.70 = 三公 小计 508.20 + 会议费 933.50 + 培训费 30.00).
    """
    amounts = [c for c in columns if c.role == "amount"]
    for column in amounts:
        if column.measure != "total" or not column.path:
            continue
        above = column.path[:-1]
        siblings = [
            c for c in amounts if c is not column and c.side == column.side and c.path[:-1] == above
        ]
        nested_totals = [
            c
            for c in amounts
            if c.measure == "total"
            and len(c.path) > len(above) + 1
            and c.path[: len(above)] == above
        ]
        if nested_totals and any(c.measure in ("meeting", "training") for c in siblings):
            column.measure = "three_public_with_meetings"


def _side_groups(columns: list[_Column]) -> None:
    """Give each classification group of a two-sided table's side a side of its own.

    A 综合预算 收支总表 prints its expenditure side three times over: 支出功能分类科目 | 预算数,
    部门预算支出经济分类科目 | 预算数, 政府预算支出经济分类科目 | 预算数, each group with its own
    rows and totals; another prints it twice, by 功能分类 (功能科目名称 | 金额) and by 支出用途
    (项目名称 | 金额). Read as one side, every line would mix the classifications. A group starts
    at a name column (or the code columns just before it) that follows an amount column; its
    classification is read from the name column's header path. The 功能分类 group (else the first)
    keeps the side's name ("expenditure"), the others get the side name with their classification
    ("expenditure_economic", "expenditure_government_economic", "expenditure_use"), so that each
    is read, linked and checked on its own and the rules written for "expenditure" see the
    功能分类 rows only. Each group's amount columns are numbered from 1, as a side's are.
    """
    for side in list(dict.fromkeys(c.side for c in columns)):
        groups: list[list[_Column]] = [[]]
        amount_seen = False
        for column in (c for c in columns if c.side == side):
            if column.role in ("name", "code") and amount_seen:
                groups.append([])
                amount_seen = False
            groups[-1].append(column)
            amount_seen = amount_seen or column.role == "amount"
        if len(groups) < 2 or not all(
            any(c.role == "name" for c in g) and any(c.role == "amount" for c in g) for g in groups
        ):
            continue
        kinds: list[str | None] = []
        for group in groups:
            label = " ".join(
                name_key(label)
                for c in group
                if c.role == "name"
                for label in (c.path[1:] or c.path[-1:])
            )
            kinds.append(
                next(
                    (kind for pattern, kind in _CLASSIFICATION_GROUPS if pattern.search(label)),
                    None,
                )
            )
        primary = kinds.index("function") if "function" in kinds else 0
        for position, (group, kind) in enumerate(zip(groups, kinds, strict=True)):
            duplicate = kind is None or kinds.count(kind) > 1
            suffix = f"group{position + 1}" if duplicate else kind
            for column in group:
                column.economic = kind in ("economic", "government_economic")
                if position != primary:
                    column.side = f"{side}_{suffix}"


def _base_side(side: str | None) -> str | None:
    """The printed side of a classification group's side ("expenditure_use" -> "expenditure")."""
    return side.split("_", 1)[0] if side else side


def _share_total(line: list[_Draft | None], sides: list[str | None]) -> bool:
    """A total label printed in one group with its figure under a later group of the same printed
    side ("当年支出小计" under 功能科目名称, 27,664.22 under 支出用途 / 金额): the figure is the
    total of both groups, so both rows become that total. True when one was merged."""
    merged = False
    for i, total in enumerate(line):
        if total is None or not total.is_total or any(a.value is not None for _, a in total.cells):
            continue
        for j in range(i + 1, len(line)):
            spill = line[j]
            if (
                spill is not None
                and _base_side(sides[j]) == _base_side(sides[i])
                and not spill.label_raw
                and spill.code is None
                and any(a.value is not None for _, a in spill.cells)
            ):
                total.cells = list(spill.cells)  # the figure where it is printed
                spill.label_raw, spill.name = total.label_raw, total.name
                spill.ordinal_prefix, spill.is_total = total.ordinal_prefix, True
                merged = True
                break
    return merged


def _panes(columns: list[_Column]) -> list[list[_Column]]:
    """Side-by-side panes of a one-sided table, each with its own code | name | amount columns.

    The 决算 一般公共预算财政拨款基本支出决算表 prints 人员经费 in one pane and 公用经费 in two more
    (科目代码 | 科目名称 | 决算数, three times). A pane starts at each full-code column; an amount
    column whose own label is generic (决算数) takes its measure from the pane's top label.
    """
    starts = [c.index for c in columns if c.role == "code" and c.code_part == "full"]
    if len(starts) < 2:
        return []
    panes: list[list[_Column]] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(columns)
        lo = 0 if position == 0 else start
        panes.append([c for c in columns if lo <= c.index < end])
    for pane in panes:
        for column in pane:
            if column.role == "amount" and column.measure == "total" and len(column.path) > 1:
                measure = measure_for(column.path[:1])
                if measure not in (UNKNOWN_MEASURE, "total"):
                    column.measure = measure
    return panes


def _read_panes(
    data_rows: list[_Row],
    panes: list[list[_Column]],
    economic: bool,
    file_name: str,
    warnings: list[ExtractionWarning],
) -> list[_Draft]:
    """Rows of a paned table, pane by pane; panes under the same top label are linked together."""
    per_pane: list[list[_Draft | None]] = []
    pane_warnings: list[ExtractionWarning] = []
    for pane in panes:
        previous: list[str] = []
        per_pane.append(
            [
                _read_side(row, pane, economic, previous, file_name, pane_warnings)
                for row in data_rows
            ]
        )
    merged: set[int] = set()
    # "公用经费合计" printed in one pane with its figure under the next pane's amount column
    for left, right in zip(per_pane, per_pane[1:], strict=False):
        for i, (total, spill) in enumerate(zip(left, right, strict=True)):
            if (
                total is not None
                and spill is not None
                and total.is_total
                and all(a.value is None for _, a in total.cells)
                and not spill.label_raw
                and spill.code is None
                and any(a.value is not None for _, a in spill.cells)
            ):
                total.cells = spill.cells
                right[i] = None
                merged.add(spill.row.number)
    warnings.extend(
        w for w in pane_warnings if not (w.kind == "unlabelled_row" and w.source_line in merged)
    )
    groups: dict[str, list[_Draft]] = {}
    first_amounts: dict[str, list[_Column]] = {}
    for pane, drafts in zip(panes, per_pane, strict=True):
        key = pane[0].path[0] if pane[0].path else ""
        groups.setdefault(key, []).extend(d for d in drafts if d is not None)
        # panes under one top label are one column: 公用经费 continued in a third pane
        amounts = [c for c in pane if c.role == "amount"]
        for column, first in zip(amounts, first_amounts.setdefault(key, amounts), strict=False):
            column.ordinal = first.ordinal
    ordered: list[_Draft] = []
    for drafts in groups.values():
        _link(drafts)
        ordered.extend(drafts)
    return ordered


# --- rows -----------------------------------------------------------------------------------
def _join_code(parts: list[tuple[str, str]], previous: list[str]) -> tuple[str | None, str | None]:
    """Code (3/5/7 digits) and code_raw from the code cells of a row.

    004 splits the code over 类 | 款 | 项 ("205" "08" "01" -> "2050801"); some Shanghai tables
    print the class only on the class row, or print the full "20508" in the 款 column; both are
    handled. ``previous`` holds the 类 / 款 codes of the last coded row, for inheritance.
    """
    printed = [text.replace(" ", "") for _, text in parts]
    while printed and not printed[-1]:
        printed.pop()
    if not printed:
        return None, None
    code_raw = "|".join(printed)
    if len(parts) == 1 or parts[0][0] == "full":
        code = printed[0] if len(printed) == 1 else "".join(printed)
        return (code if code.isdigit() else None), code_raw
    code = ""
    for position, text in enumerate(printed):
        if not text:
            if position < len(previous) and not code:
                code = previous[position]
            elif position < len(previous) and len(code) < len(previous[position]):
                code = previous[position]
            continue
        if not text.isdigit():
            return None, code_raw
        if len(text) > 2 and (not code or text.startswith(code)):
            code = text  # a full "205" / "20508" / "2050801" printed in its own column
        else:
            code += text
    return (code or None), code_raw


def _economic_code_pair(
    code: str | None, code_raw: str, columns: list[_Column], cell: Callable[[_Column], str]
) -> tuple[str | None, str]:
    """The 部门经济分类 code of a row printing both systems' codes, and code_raw holding both.

    "30101|50101" in one cell, or a 政府经济分类 code column beside the 部门 one: the row is a
    部门经济分类 row (its code is ``economic_code``) and code_raw keeps "部门|政府" so the 政府
    code reaches the facts beside it.
    """
    match = _ECONOMIC_CODE_PAIR_RE.match(code_raw.replace(" ", ""))
    if match:
        return match.group("department"), f"{match.group('department')}|{match.group('government')}"
    government = next((c for c in columns if c.role == "government_code"), None)
    printed = cell(government).replace(" ", "") if government else ""
    if code is not None and printed.isdigit():
        return code, f"{code_raw}|{printed}"
    return code, code_raw


def _ordinal_style(prefix: str | None) -> str:
    if not prefix:
        return "none"
    for style, pattern in _ORDINAL_STYLES:
        if pattern.match(prefix):
            return style
    return "other"


def _read_side(
    row: _Row,
    columns: list[_Column],
    economic: bool,
    previous_code: list[str],
    file_name: str,
    warnings: list[ExtractionWarning],
) -> _Draft | None:
    """Read one side of a row (all of it for one-sided tables); None when the side is blank."""

    def cell(column: _Column) -> str:
        return row.cells[column.index] if column.index < len(row.cells) else ""

    code_columns = [c for c in columns if c.role == "code"]
    unit_code_column = next((c for c in columns if c.role == "unit_code"), None)
    unit_code = cell(unit_code_column).replace(" ", "") if unit_code_column else ""
    unit_name_column = next((c for c in columns if c.role == "unit_name"), None)
    unit_name = cell(unit_name_column).strip() if unit_name_column else ""
    name_columns = [c for c in columns if c.role == "name"]
    amount_columns = [c for c in columns if c.role == "amount"]
    code_parts = [(c.code_part or "full", cell(c)) for c in code_columns]
    government = next((c for c in name_columns if c.name_system == "government"), None)
    # a cross-classified table (支出总表 by 功能分类 × 政府经济 × 部门经济): the row is keyed by its
    # function code; the 部门经济分类 item is carried beside it
    function_name = next((c for c in name_columns if c.name_system == "function"), None)
    cross_economic = (
        next((c for c in name_columns if c.name_system == "department"), None)
        if function_name is not None
        else None
    )
    if function_name is not None:
        economic = False
    main_name = function_name or next((c for c in name_columns if c is not government), None)
    name_system = None
    if main_name is None and government is not None:
        # a classification group that prints only 政府经济分类 names (收支总表, _side_groups)
        main_name, government, name_system = government, None, "government"
    label_raw = cell(main_name) if main_name else ""
    split_label: str | None = None
    second_name = next(
        (c for c in name_columns if c is not government and c is not main_name), None
    )
    if main_name and second_name and second_name.path == main_name.path:
        # one name header spanning two label columns: a group label (一般公共预算资金) beside
        # 小计, then its items in the second column with the first one blank
        second = cell(second_name).strip()
        if label_raw.strip() and second and _is_total_label(second):
            split_label = "head"
        elif not label_raw.strip() and second:
            label_raw, split_label = second, "child"
    texts = [t for _, t in code_parts] + [cell(c) for c in name_columns] + [unit_name]
    if not any(t.strip() for t in texts) and not any(cell(c).strip() for c in amount_columns):
        return None
    if unit_code and not unit_code.isdigit() and not label_raw:
        label_raw, unit_code = unit_code, ""  # "合计" printed in the unit-code column

    code, code_raw = _join_code(code_parts, previous_code) if code_parts else (None, None)
    label_column = main_name
    if unit_name and not label_raw and code_raw is None:
        label_raw, label_column = unit_name, unit_name_column  # the unit's own row
    if economic and code_raw:
        code, code_raw = _economic_code_pair(code, code_raw, columns, cell)
    if code_raw and code is None and not label_raw:
        label_raw = code_raw  # 001 T2 / 004 T2 print "合计" in the code column
        code_raw = None
    if not code_parts and label_raw:
        match = _CODE_IN_NAME_RE.match(normalize_name(label_raw))
        if match:
            code, code_raw = match.group("code"), match.group("code")
            if match.group("open") or match.group("sep").strip():
                label_raw = match.group("name").strip()
            else:
                label_raw = label_raw.strip()[len(code) :].strip()
    if code is not None and economic and _LOCAL_ECONOMIC_CODE_RE.match(code):
        code = code[:5]  # "3021101-差旅费": a local sub-item of 30211 (code_raw keeps it)
    if code is not None:
        valid = _ECONOMIC_CODE_RE if economic else _FUNCTION_CODE_RE
        if not valid.match(code):
            warnings.append(
                _warning(
                    file_name, row, "unreadable_code", f"code {code_raw!r} is not a valid code"
                )
            )
            code = None
        else:
            previous_code[:] = [code[:3], code[:5]]

    if (code_columns or name_columns) and not label_raw and code is None:
        # e.g. the second half of a name broken over two lines: kept, but flagged
        warnings.append(_warning(file_name, row, "unlabelled_row", "row has amounts but no label"))
    prefix, rest = split_ordinal(label_raw)
    sub_item = _SUB_ITEM_RE.match(label_raw.strip())
    if prefix is None and sub_item:
        # "其中：（一）因公出国（境）支出": the first item of a list under the row above
        prefix, rest = split_ordinal(label_raw.strip()[sub_item.end() :])
        if prefix is None:
            rest = label_raw
    name = normalize_name(rest)
    gov_name = _strip_code(cell(government))[1] if government else ""
    cross_code, cross_name = (
        _strip_code(cell(cross_economic)) if cross_economic is not None else (None, "")
    )
    is_total = _is_total_label(label_raw) and code is None

    cells: list[tuple[_Column, Amount]] = []
    for column in amount_columns:
        text = cell(column)
        try:
            cells.append((column, parse_amount(text)))
        except ValueError:
            warnings.append(
                _warning(
                    file_name,
                    row,
                    "unreadable_cell",
                    f"cell {text!r} under {column.column_path!r} is not an amount; cell skipped",
                    text,
                )
            )
    return _Draft(
        side=columns[0].side if columns else None,
        row=row,
        label_raw=label_raw,
        name=name,
        ordinal_prefix=prefix,
        code_raw=code_raw,
        code=code,
        economic=economic,
        economic_name_government=gov_name or None,
        has_government_column=government is not None,
        is_total=is_total,
        cells=cells,
        unit_code=unit_code or None,
        split_label=split_label,
        name_system=name_system,
        cross_economic_code=cross_code,
        cross_economic_name=cross_name or None,
        unit_name=unit_name
        if unit_name_column is not None and label_column is unit_name_column
        else None,
        indent=(
            row.text_x0[label_column.index]
            if label_column is not None and label_column.index < len(row.text_x0)
            else None
        ),
        is_unit_row=main_name is not None
        and bool(main_name.path)
        and bool(_UNIT_NAME_HEADER_RE.match(name_key(main_name.path[-1])))
        and not is_total,
    )


def _strip_code(text: str) -> tuple[str | None, str]:
    """The 3/5-digit economic code and the name of an economic name cell.

    "50101-工资奖金津补贴" -> ("50101", "工资奖金津补贴"); "3021101-差旅费" -> ("30211", "差旅费")
    (a local 7-digit sub-item conforms to its 款); a cell without a code keeps its name.
    """
    name = normalize_name(text)
    match = _CODE_IN_NAME_RE.match(name)
    if not match or not (match.group("open") or match.group("sep").strip()):
        return None, name
    code = match.group("code")
    if _LOCAL_ECONOMIC_CODE_RE.match(code):
        code = code[:5]
    return (code if _ECONOMIC_CODE_RE.match(code) else None), match.group("name").strip()


def _link(drafts: list[_Draft]) -> None:
    """Parent links, levels and totals for the rows of one side (see the module docstring)."""
    totals = [d for d in drafts if d.is_total]
    grand = next((d for d in totals if _GRAND_TOTAL_RE.search(name_key(d.label_raw))), None)
    root = grand or next((d for d in totals if name_key(d.label_raw) == "合计"), None)
    if root is None and totals:
        root = totals[-1]
    by_code: dict[str, _Draft] = {}
    by_unit: dict[str, _Draft] = {}
    stack: list[tuple[str, _Draft]] = []
    group: _Draft | None = None
    split_head: _Draft | None = None
    pending: list[_Draft] = []
    unit_row: _Draft | None = None  # the last unit named in a 预算单位 column
    indent_levels = _indent_levels(drafts)
    indented: list[tuple[int, _Draft]] = []

    for draft in drafts:
        if draft.is_total:
            stack, group, unit_row, indented = [], None, None, []
            if draft is not root:
                # 本年收入合计 / 本年支出合计: a partial total over the rows printed above it.
                for child in pending:
                    child.parent = draft
                pending = []
                draft.parent = root
            continue
        parent: _Draft | None = None
        if draft.unit_code:
            # a unit nests under the unit (department) whose code its code extends
            for length in range(len(draft.unit_code) - 1, 0, -1):
                if draft.unit_code[:length] in by_unit:
                    parent = by_unit[draft.unit_code[:length]]
                    break
            by_unit[draft.unit_code] = draft
        elif draft.unit_name is not None:
            unit_row = draft
        elif draft.code:
            for length in range(len(draft.code) - 2, 2, -2):
                if draft.code[:length] in by_code:
                    parent = by_code[draft.code[:length]]
                    break
            if parent is None:
                parent = unit_row
            by_code[draft.code] = draft
        elif draft.split_label == "child" and split_head is not None:
            parent = split_head
        elif draft.has_government_column:
            # 001 T6: a row with a blank 政府经济分类 name is a 类 group of the rows below it.
            if draft.economic_name_government is None:
                group = draft
            else:
                parent = group
        elif indent_levels is not None and draft.indent is not None:
            # rows that nest by indentation only (no code, no ordinal to tell a 款 from its 类)
            level = min(
                range(len(indent_levels)), key=lambda i: abs(indent_levels[i] - draft.indent)
            )
            while indented and indented[-1][0] >= level:
                indented.pop()
            parent = indented[-1][1] if indented else None
            indented.append((level, draft))
        else:
            style = _ordinal_style(draft.ordinal_prefix)
            if style == "none" and _SUB_ITEM_RE.match(draft.name) and stack:
                parent = stack[-1][1]
            elif (
                style == "none"
                and stack
                and _BALANCE_ROW_RE.match(stack[0][1].name)
                and _FUND_LINE_RE.match(draft.name)
            ):
                parent = stack[0][1]
            elif (
                style == "none"
                and stack
                and stack[-1][0] != "none"
                and _APPROPRIATION_LINE_RE.search(stack[-1][1].name)
                and _FUND_PART_RE.match(draft.name)
            ):
                parent = stack[-1][1]
            elif style == "none":
                stack = [("none", draft)]
            else:
                styles = [s for s, _ in stack]
                if style in styles:
                    del stack[styles.index(style) :]
                parent = stack[-1][1] if stack else None
                stack.append((style, draft))
        if draft.split_label == "head" or (draft.split_label is None and parent is None):
            split_head = draft if draft.split_label == "head" else None
        draft.parent = parent
        if parent is None:
            pending.append(draft)
    for draft in pending:
        draft.parent = root

    for draft in drafts:
        if draft.parent is not None:
            draft.parent.children.append(draft)
    for draft in drafts:
        draft.level = _depth(draft)


def _indent_levels(drafts: list[_Draft]) -> list[float] | None:
    """The indentation levels of a side whose rows nest by indentation, else None.

    A PDF may print 类 / 款 / 项 names without codes, each level indented further (a 收支总表:
    一、一般公共服务支出 / its 款 / 行政运行). The labels start at a few distinct x positions
    (2 to 5, each used by two rows on average, at least 3 points apart: centred labels start
    anywhere), and some row without an ordinal sits deeper than the first level (else the
    ordinals 一、 / 1. already tell the nesting).
    """
    candidates = [
        d
        for d in drafts
        if not d.is_total
        and d.code is None
        and d.unit_code is None
        and not d.has_government_column
        and d.label_raw
        and d.indent is not None
    ]
    levels: list[float] = []
    for x in sorted(d.indent for d in candidates if d.indent is not None):
        if not levels or x - levels[-1] > INDENT_TOLERANCE:
            levels.append(x)
    if not 2 <= len(levels) <= MAX_INDENT_LEVELS or len(candidates) < 2 * len(levels):
        return None
    if any(b - a < MIN_INDENT_STEP for a, b in zip(levels, levels[1:], strict=False)):
        return None
    if not any(
        d.ordinal_prefix is None
        and d.indent is not None
        and d.indent > levels[0] + INDENT_TOLERANCE
        for d in candidates
    ):
        return None
    return levels


def _promote_unit_total(drafts: list[_Draft]) -> None:
    """A side without a total row whose first row holds all the others is that side's total.

    A 支出总表 / 基本支出总表 may print the department's own row (its name, in the 预算单位
    column or at the first indentation level) above its 类 rows and no 合计 row: the department
    row is the total when the rows under it add up to it (a unit's row alone in its table,
    printed 0.00, is its total too).
    """
    if not drafts or any(d.is_total for d in drafts):
        return
    first = drafts[0]
    tops = [d for d in drafts if d.parent is None]
    if first.code is not None or len(tops) != 1 or tops[0] is not first:
        return
    if first.children and not _adds_up(first):
        return
    if not first.children and first.unit_name is None:
        return
    first.is_total = True
    for draft in drafts:
        draft.level = _depth(draft)


def _depth(draft: _Draft) -> int:
    if draft.is_total:
        return 0
    depth, node = 1, draft.parent
    while node is not None and not node.is_total:
        depth, node = depth + 1, node.parent
    return depth


def _is_carryover(draft: _Draft) -> bool:
    node: _Draft | None = draft
    while node is not None and not node.is_total:
        if _CARRYOVER_ROW_RE.match(node.name):
            return True
        node = node.parent
    return False


def _role(draft: _Draft) -> str:
    if draft.is_total:
        return "total"
    return "subtotal" if draft.children else "detail"


def _warning(
    file_name: str, row: _Row, kind: str, message: str, text: str | None = None
) -> ExtractionWarning:
    return ExtractionWarning(
        source_line=row.number,
        kind=kind,
        message=f"{file_name}:{row.number}: {message}",
        text=row.text if text is None else text,
    )


# --- one table ------------------------------------------------------------------------------
@dataclass
class _Parsed:
    table: StatementTable
    drafts: list[_Draft]
    width: int
    last_row: _Row | None  # last row that belongs to the table (data, header or note)
    last_is_data: bool


def _parse_table(
    title: _Title,
    title_row: _Row,
    region: list[_Row],
    before: list[_Row],
    previous_unit: str | None,
    file_name: str,
    warnings: list[ExtractionWarning],
) -> _Parsed:
    """Read one statement table from the rows between its title and the next title."""
    department: str | None = None
    unit: str | None = None
    unit_line: int | None = None
    empty_note: str | None = None
    header: list[tuple[str, ...]] = []
    header_rows: list[_Row] = []
    header_lines: list[int] = []
    position = 0

    # meta lines: 部门名称 / 单位, until the first table line
    while position < len(region):
        row = region[position]
        if row.is_table_line and not _is_meta(row):
            break
        position += 1
        if _is_noise(row):
            continue
        text = row.joined
        if unit is None and (found := find_unit(text)):
            unit, unit_line = found, row.number
        if department is None and (match := _DEPARTMENT_RE.search(normalize_name(text))):
            department = match.group("name").strip() or None
        if _EMPTY_NOTE_RE.search(text):
            empty_note = text

    # header lines, up to the first data line
    while position < len(region):
        row = region[position]
        if _is_noise(row) or not row.is_table_line:
            if not _is_noise(row) and _EMPTY_NOTE_RE.search(row.joined):
                break
            position += 1
            continue
        if _is_data_row(row, any(h and _is_label_header(h[0]) for h in header)):
            break
        position += 1
        if row.number not in header_lines:  # an HTML table has all its rows on one line
            header_lines.append(row.number)
        header_rows.append(row)
        if _is_column_number_row(row):
            continue
        cells = list(row.cells)
        for i, text in enumerate(cells):
            if found := find_unit(text):  # "单位：万元" printed in a header cell
                if unit is None:
                    unit, unit_line = found, row.number
                cells[i] = ""
        header.append(tuple(cells))

    body = region[position:]
    # a part or section heading ends the table: the narrative after it may print tables of its own
    body = body[: next((i for i, r in enumerate(body) if _is_section_heading(r)), len(body))]
    last_table = max((i for i, r in enumerate(body) if r.is_table_line), default=-1)
    signatures = {_signature(h) for h in header}
    data_rows: list[_Row] = []
    last_row: _Row | None = region[position - 1] if position and header_lines else None
    for i, row in enumerate(body):
        if _is_noise(row) or _signature(row.cells) in signatures or _is_column_number_row(row):
            continue
        if not row.is_table_line:
            if _EMPTY_NOTE_RE.search(row.joined):
                empty_note, last_row = row.joined, row
            elif i > last_table:
                break  # the narrative after the table
            elif (
                not _is_meta(row)
                and not _is_title(row)
                # "表 1" printed again above the title repeated on the next page
                and not _LABEL_LINE_RE.match(row.joined.replace(" ", ""))
            ):
                warnings.append(
                    _warning(file_name, row, "unreadable_row", "line inside a table is not a row")
                )
            continue
        data_rows.append(row)
        last_row = row

    if unit is None and (found := find_unit(title_row.joined)):
        unit, unit_line = found, title.number  # "2025年预算收支总表 单位：万元" on one line
    if unit is None:
        unit = _unit_above(before) or previous_unit or "元"
        warnings.append(
            ExtractionWarning(
                title.number,
                "unit_missing",
                f"{file_name}:{title.number}: no unit printed for table {title.title!r}; "
                f"assumed {unit}",
                title.title,
            )
        )

    width = max((len(r.cells) for r in [*header_rows, *data_rows]), default=0)
    economic = (
        title.kind
        in (
            "gpb_basic_expenditure_economic",
            "appropriation_basic_expenditure_economic",
            "gpb_expenditure_economic",
            "gpb_project_expenditure_economic",
        )
        or any("经济" in cell for h in header for cell in h)
        or _codes_look_economic(data_rows)
    )
    drafts: list[_Draft] = []
    if data_rows and not header:
        warnings.append(
            _warning(file_name, data_rows[0], "no_header", "table has no header; rows skipped")
        )
    elif header:
        columns, two_sided = _build_columns(
            header, width, economic, project_list=title.kind in projects.PROJECT_TYPES
        )
        if title.kind == BASIC_ECONOMIC_KIND:
            _basic_subtotal_is_row_total(columns)
        for column in columns:
            if column.role == "amount" and column.measure == UNKNOWN_MEASURE:
                warnings.append(
                    ExtractionWarning(
                        header_lines[0],
                        "unknown_column",
                        f"{file_name}:{header_lines[0]}: no measure for column "
                        f"{column.column_path!r}",
                        column.column_path,
                    )
                )
        panes = [] if two_sided else _panes(columns)
        if panes:
            drafts = _read_panes(data_rows, panes, economic, file_name, warnings)
        sides = (
            [] if panes else (list(dict.fromkeys(c.side for c in columns)) if two_sided else [None])
        )
        previous_codes: dict[str | None, list[str]] = {side: [] for side in sides}
        per_side: dict[str | None, list[_Draft]] = {side: [] for side in sides}
        for row in data_rows:
            if len(row.cells) > width:
                warnings.append(_warning(file_name, row, "extra_cells", "row is wider than header"))
            line: list[_Draft | None] = []
            row_warnings: list[ExtractionWarning] = []
            for side in sides:
                side_columns = [c for c in columns if c.side == side]
                side_economic = next(
                    (c.economic for c in side_columns if c.economic is not None), economic
                )
                line.append(
                    _read_side(
                        row,
                        side_columns,
                        side_economic,
                        previous_codes[side],
                        file_name,
                        row_warnings,
                    )
                )
            spilled = _share_total(line, sides)
            warnings.extend(w for w in row_warnings if not (spilled and w.kind == "unlabelled_row"))
            for side, draft in zip(sides, line, strict=True):
                if draft is not None:
                    per_side[side].append(draft)
                    drafts.append(draft)
        for side in sides:
            if title.kind in projects.PROJECT_TYPES:
                _segment_projects(per_side[side], department, title, file_name, warnings)
            else:
                _link(per_side[side])
                _promote_unit_total(per_side[side])

    has_amount = any(a.value is not None for d in drafts for _, a in d.cells)
    note_rows = [row for row in data_rows if _is_empty_note_row(row)]
    if note_rows and not has_amount and empty_note is None:
        # "本单位无机关运行经费 | " or "是否涉及 | 是 不涉及" printed in the grid: the table is
        # declared empty, and the wording is its note, not a row
        empty_note = note_rows[0].joined
        drafts = [draft for draft in drafts if draft.row not in note_rows]
        note_lines = {row.number for row in note_rows}
        warnings[:] = [
            w
            for w in warnings
            if not (w.source_line in note_lines and w.kind in ("unreadable_cell", "unlabelled_row"))
        ]
    layouts = [r.layout for r in [*data_rows] if r.layout != "text"] or ["tsv"]
    table = StatementTable(
        table_ordinal=title.number,
        statement_type=title.kind,
        title=title.title,
        title_line=title.number,
        label=title.label,
        department_name=department,
        unit=unit,
        unit_line=unit_line,
        first_line=title.number,
        last_line=last_row.number if last_row else title.number,
        layout=max(set(layouts), key=layouts.count),
        header_lines=header_lines,
        is_empty=empty_note is not None or not has_amount,
        empty_note=empty_note,
    )
    last_is_data = bool(data_rows) and last_row is data_rows[-1]
    return _Parsed(table, drafts, width, last_row, last_is_data)


def _segment_projects(
    drafts: list[_Draft],
    department: str | None,
    title: _Title,
    file_name: str,
    warnings: list[ExtractionWarning],
) -> None:
    """Row roles of a project list from its arithmetic (:mod:`orchestration.extract.projects`):
    department total, unit subtotals and projects; every row kept as a project with no unit,
    and a warning, when the rows do not add up."""
    if not drafts:
        return
    totals = [_row_total(draft) for draft in drafts]
    segmentation = projects.segment_rows(
        totals, projects.half_ulp([a for d in drafts for _, a in d.cells])
    )
    if segmentation is None:
        warnings.append(
            ExtractionWarning(
                drafts[0].row.number,
                projects.UNSEGMENTED,
                f"{file_name}: project table rows do not add up to units and a total; "
                "every row is kept as a project with no unit",
                title.title,
            )
        )
        segmentation = projects.Segmentation(None, (), tuple(range(len(drafts))))
    for draft, role in zip(
        drafts, projects.roles(segmentation, [d.name for d in drafts], department), strict=True
    ):
        draft.project_role = role
        draft.is_total = role.role == "total"
        draft.level = role.level
        draft.parent = drafts[role.parent] if role.parent is not None else None
        if draft.parent is not None:
            draft.parent.children.append(draft)


def _row_total(draft: _Draft) -> Decimal:
    """A row's total for the arithmetic: its 合计 cell, else the sum of its printed parts."""
    for column, amount in draft.cells:
        if column.measure == "total":
            if amount.value is not None:
                return amount.value
            break
    return sum(
        (
            a.value
            for column, a in draft.cells
            if a.value is not None and column.measure not in (UNKNOWN_MEASURE, "total")
        ),
        Decimal(0),
    )


def _is_section_heading(row: _Row) -> bool:
    """A heading line of the narrative ("第三部分 …说明", "一、部门预算收支增减变化情况")."""
    return not row.is_table_line and bool(_SECTION_HEADING_RE.match(row.joined.strip()))


def _is_empty_note_row(row: _Row) -> bool:
    """A row of the grid that declares the table empty in words and holds no amount
    ("本单位无机关运行经费", "是否涉及 | 是 不涉及")."""
    return bool(_EMPTY_NOTE_RE.search(row.joined)) and not any(
        _is_number(c) for _, c in row.nonblank
    )


def _codes_look_economic(data_rows: list[_Row]) -> bool:
    """A 科目编码 column whose codes are all 经济分类 codes (3xx / 5xx: 302 商品和服务支出, 30201
    办公费), though neither title nor header says 经济: a 机关运行经费 table by item. 功能分类
    classes are 2xx, so such a code is never a function code."""
    codes = [
        cell
        for row in data_rows
        for cell in (c.replace(" ", "") for c in row.cells[:1])
        if cell.isdigit() and len(cell) in (3, 5)
    ]
    return bool(codes) and all(code[0] in "35" for code in codes)


def _is_meta(row: _Row) -> bool:
    """部门名称 / 单位 lines, which may be split over two cells ("部门名称：… | 单位：万元")."""
    text = row.joined
    return bool(_DEPARTMENT_RE.search(normalize_name(text)) or find_unit(text)) and not any(
        _is_number(c) for _, c in row.nonblank
    )


def _unit_above(rows: list[_Row]) -> str | None:
    for row in reversed(rows):
        if found := find_unit(row.joined):
            return found
    return None


def _signature(cells: Iterable[str]) -> tuple[str, ...]:
    keys = [name_key(c) for c in cells]
    while keys and not keys[-1]:
        keys.pop()
    return tuple(keys)


# --- truncation -----------------------------------------------------------------------------
def _check_truncation(parsed: _Parsed, file_name: str) -> None:
    """Raise when a document that ends inside this table was cut (see the module docstring)."""
    row = parsed.last_row
    if row is None or parsed.table.empty_note is not None:
        return
    where = f"table {parsed.table.title!r} (line {parsed.table.title_line})"
    if not parsed.last_is_data:
        raise DocumentError(
            file_name, f"document is truncated: it ends in the header of {where}", line=row.number
        )
    if row.layout == "tsv" and len(row.cells) < parsed.width:
        raise DocumentError(
            file_name,
            f"document is truncated: the last row of {where} has {len(row.cells)} of "
            f"{parsed.width} cells",
            line=row.number,
        )
    for side in dict.fromkeys(d.side for d in parsed.drafts):
        drafts = [d for d in parsed.drafts if d.side == side]
        totals = [d for d in drafts if d.is_total]
        if not totals:
            raise DocumentError(
                file_name,
                f"document is truncated: {where} ends without its total row",
                line=row.number,
            )
        root = next((t for t in totals if t.parent is None), totals[0])
        if drafts.index(root) < len(drafts) - 1 and not _adds_up(root):
            raise DocumentError(
                file_name,
                f"document is truncated: the rows of {where} do not add up to its printed total",
                line=row.number,
            )


def _adds_up(parent: _Draft) -> bool:
    """Whether the children of a row add up to it in every amount column, within rounding."""
    for column, amount in parent.cells:
        values = [
            a.value or Decimal(0)
            for child in parent.children
            for c, a in child.cells
            if c is column
        ]
        tolerance = TRUNCATION_TOLERANCE_PER_ROW * max(len(values), 1)
        if abs((amount.value or Decimal(0)) - sum(values, Decimal(0))) > tolerance:
            return False
    return True


# --- entry point ----------------------------------------------------------------------------
def extract(lines: list[Line], file_name: str, doc: DocumentExtraction) -> None:
    """Append every budget statement table of a document to ``doc``.

    Raises:
        DocumentError: the document ends inside a statement table that was cut short.
    """
    rows = to_rows(lines)
    titles = [t for t in _find_titles(rows) if not t.is_continuation]
    last_content = max((r.number for r in rows if not _is_noise(r)), default=0)
    previous_unit: str | None = None
    for position, title in enumerate(titles):
        if title.kind in BOUNDARY_KINDS:
            continue
        end = titles[position + 1].index if position + 1 < len(titles) else len(rows)
        region = rows[title.index + 1 : end]
        if not _has_table(region):
            if end == len(rows) and all(_is_noise(row) for row in region):
                # the document ends at this title: a table announced and never printed
                doc.warnings.append(
                    ExtractionWarning(
                        source_line=title.number,
                        kind=TABLE_WITHOUT_ROWS,
                        message=f"{file_name}: the document ends at the title of table "
                        f"{title.title!r} (line {title.number}): no rows follow",
                        text=rows[title.index].joined,
                    )
                )
            continue  # a table-of-contents entry or a heading that merely names a table
        start = titles[position - 1].index + 1 if position else 0
        parsed = _parse_table(
            title,
            rows[title.index],
            region,
            rows[start : title.index],
            previous_unit,
            file_name,
            doc.warnings,
        )
        previous_unit = parsed.table.unit
        if end == len(rows) and parsed.last_row is not None:
            # a project list's total may stand anywhere, or be missing: its arithmetic decides
            if parsed.last_row.number >= last_content and title.kind not in projects.PROJECT_TYPES:
                _check_truncation(parsed, file_name)
        _emit(parsed, doc)


def _emit(parsed: _Parsed, doc: DocumentExtraction) -> None:
    table = parsed.table
    doc.tables.append(table)
    for ordinal, draft in enumerate(parsed.drafts, start=1):
        draft.ordinal = ordinal
    for draft in parsed.drafts:
        if draft.project_role is not None:
            _emit_project_row(table, draft, doc)
            continue
        carryover = _is_carryover(draft)
        doc.rows.append(
            StatementRow(
                table_ordinal=table.table_ordinal,
                row_ordinal=draft.ordinal,
                source_line=draft.row.number,
                side=draft.side,
                label_raw=draft.label_raw,
                name=draft.name,
                ordinal_prefix=draft.ordinal_prefix,
                code_raw=draft.code_raw,
                function_code=None if draft.economic else draft.code,
                economic_code=draft.code if draft.economic else draft.cross_economic_code,
                economic_name_department=(
                    (draft.name if draft.name_system is None else None)
                    if draft.economic
                    else draft.cross_economic_name
                ),
                economic_name_government=(
                    draft.name
                    if draft.economic and draft.name_system == "government"
                    else draft.economic_name_government
                ),
                row_role=_role(draft),
                level=draft.level,
                parent_row_ordinal=draft.parent.ordinal if draft.parent else None,
                unit_name=(
                    draft.name
                    if (
                        (table.statement_type == "agency_operating_expenses" and not draft.economic)
                        or draft.is_unit_row
                    )
                    and not draft.is_total
                    else None
                ),
            )
        )
        _emit_cells(table, draft, doc, carryover=carryover)


def _emit_project_row(table: StatementTable, draft: _Draft, doc: DocumentExtraction) -> None:
    """A row of a project list: its role and unit from the arithmetic, no codes, no side."""
    role = draft.project_role
    assert role is not None
    doc.rows.append(
        StatementRow(
            table_ordinal=table.table_ordinal,
            row_ordinal=draft.ordinal,
            source_line=draft.row.number,
            side=None,
            label_raw=draft.label_raw,
            name=draft.name,
            ordinal_prefix=draft.ordinal_prefix,
            code_raw=None,
            function_code=None,
            economic_code=None,
            economic_name_department=None,
            economic_name_government=None,
            row_role=role.role,
            level=role.level,
            parent_row_ordinal=draft.parent.ordinal if draft.parent else None,
            unit_name=role.unit_name,
            project_name=draft.name if role.role == "detail" else None,
        )
    )
    _emit_cells(table, draft, doc, carryover=False)


def _emit_cells(
    table: StatementTable, draft: _Draft, doc: DocumentExtraction, *, carryover: bool
) -> None:
    """The amount cells of one row; under a carry-over line a total is the carried-over amount."""
    for column, amount in draft.cells:
        measure = column.measure
        if carryover and measure == "total":
            measure = "carryover"  # 001 T4 line 267: a fund line under 上年财政拨款结转
        doc.cells.append(
            StatementCell(
                table_ordinal=table.table_ordinal,
                row_ordinal=draft.ordinal,
                source_line=draft.row.number,
                column_ordinal=column.ordinal,
                column_path=column.column_path,
                measure=measure,
                raw_text=amount.raw_text,
                amount_printed=amount.value,
                unit=table.unit,
                amount_yuan=to_yuan(amount.value, table.unit),
                is_blank=amount.is_blank,
                is_dash=amount.is_dash,
                cell_index=column.index,
            )
        )
