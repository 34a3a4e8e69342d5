"""Generic parts of the performance-target (绩效目标表) reader: records, label helpers, grids.

Every form reader (``performance_forms``) reads a block of :class:`~orchestration.extract.text.Line`
objects into a :class:`ParsedTable`; ``performance.extract`` numbers the tables and appends their
records to the document. The helpers here recognise labels by their wording (the vocabulary of
``dbt_project/seeds/performance_form_vocabulary.csv``, never position or line number), split
"label value" cells, parse indicator targets and checkbox marks, and read indicator grids:

* :func:`read_slot_row` reads a row as a *sequence* of tokens (level names, 三级指标, 指标值) and
  ignores the column positions, which drift from row to row in 001 (line 2755 is shifted two cells
  left, line 2721's right half one cell right). A two-half grid (实施期 | 年度) yields two slots.
* :class:`ShiftedGrid` reads a fixed five-column grid (004: 一级 | 二级 | 三级 | 目标值 | 备注)
  whose rows are shifted whole: the shift is measured on the level name the row prints, or kept
  from the row above.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from orchestration.extract.records import (
    ExtractionWarning,
    PerformanceAttribute,
    PerformanceFunding,
    PerformanceIndicator,
    PerformanceTable,
    ProjectDetail,
)
from orchestration.extract.text import (
    CHECKED_BOX,
    UNCHECKED_BOX,
    Line,
    html_table_rows,
    normalize_name,
    parse_amount,
    strip_markup,
    to_yuan,
)
from orchestration.extract.vocabulary import form_labels, form_words


# --- vocabularies (rows of dbt_project/seeds/performance_form_vocabulary.csv) ---------------
def _pairs(form: str, role: str) -> tuple[tuple[str, str], ...]:
    return tuple((item.label, item.code) for item in form_labels(form, role))


# Comparators as printed -> normalised, two-character forms first; NFKC folds full-width ＞＝.
SYMBOL_COMPARATORS: tuple[tuple[str, str], ...] = _pairs("any", "comparator_symbol")
WORD_COMPARATORS: tuple[tuple[str, str], ...] = _pairs("any", "comparator_word")
SUFFIX_COMPARATORS: tuple[tuple[str, str], ...] = _pairs("any", "comparator_suffix")
# Indicator 性质 cells (003 prints ≥ / = / 定性 in their own column).
NATURE_WORDS: frozenset[str] = frozenset(form_words("any", "nature_word"))

# 一级/二级指标 names. Level-1 roots carry a 指标/目标 suffix ("产出指标", "满意度指标", 004
# "产出目标"); the same roots without a suffix are level-2 names in 004 ("满意度", "成本").
# "满意度指" is the truncated 003 label; "其他指标" occurs 8 times as a level-2 name in 001;
# "服务对象满意" / "服务对象满" are 001 cells cut at a fixed width (lines 3823, 8269).
_LEVELS = form_labels("any", "indicator_level")
_LEVEL_WORD_RE = re.compile(
    "^(?P<root>"
    + "|".join(re.escape(item.label) for item in _LEVELS)
    + ")(?P<suffix>"
    + "|".join(re.escape(word) for word in form_words("any", "indicator_level_suffix"))
    + ")?$"
)
LEVEL1_ROOTS: frozenset[str] = frozenset(i.label for i in _LEVELS if i.code == "level1")
# Roots whose suffixed name is 一级 or 二级 by context (成本指标).
EITHER_LEVEL_ROOTS: frozenset[str] = frozenset(i.label for i in _LEVELS if i.code == "cost")

# Project categories (项目属性 / 项目类别) by wording. "次性项目(1年结束)" is a truncated 一次性.
PROJECT_CATEGORIES: tuple[tuple[str, str], ...] = _pairs("any", "project_category")

# Headcounts and counts of the overall tables: label wording -> attribute code.
COUNT_ATTRIBUTES: tuple[tuple[str, str], ...] = _pairs("any", "count_attribute")
_COUNT_VALUE_RE = re.compile(r"^(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>个|人|家|所|名|户)?$")

# A cell holding a label and an amount ("实施期资金总额： 1,000,000", "一、项目总预算：1539400",
# "市县（区）财政资 0"). The label must end in a CJK character, a bracket or a colon so that a
# bare number is never split.
_LABEL_AMOUNT_RE = re.compile(
    r"^(?P<label>.*?[\u3400-\u9fff）)：:])\s*(?P<amount>\d[\d,]*(?:\.\s?\d*)?(?:\s\d+)?)$"
)
_NUMBER_RE = re.compile(r"^(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)")
# A target unit is short and made of letters or CJK with "/" or "·" separators: "人次", "%",
# "元/生/年", "万元/年", "元/人·次", "月" ("12月" = twelve monthly payments, 001 block 5574).
# Words such as 前/后/底 mark a deadline ("2025年底前"), not a unit.
_UNIT_RE = re.compile(
    r"^(?:[%‰]|[\u3400-\u9fffA-Za-z]{1,5}(?:[/·][\u3400-\u9fffA-Za-z]{1,5}){0,3})$"
)
_DATE_WORDS = ("前", "后", "底")
_FILL_TIMESTAMP_RE = re.compile(r"^(20\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$")
_YEAR_RE = re.compile(r"(20\d{2})\s*年")
# "051-某市教育局", "051 某市教育局", "D05-中国共产党…", "205-某县…", "340_某市大数据局".
_CODE_NAME_RE = re.compile(r"^(?P<code>[0-9A-Z]{2,6}\d)\s*[-－—–_\s]\s*(?P<name>\S.*)$")
_PHONE_RE = re.compile(r"\d[\d\- ]{5,}\d")


# --- records of one parsed table ------------------------------------------------------------
@dataclass
class ParsedTable:
    """One performance table with its child records, before document-level numbering.

    Child records carry ``perf_ordinal = 0`` until ``performance.extract`` numbers the table.
    """

    table: PerformanceTable
    funding: list[PerformanceFunding] = field(default_factory=list)
    indicators: list[PerformanceIndicator] = field(default_factory=list)
    details: list[ProjectDetail] = field(default_factory=list)
    attributes: list[PerformanceAttribute] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    has_footer: bool = False  # a 填报日期 / 负责人 footer was printed (page-1 parts have none)
    funding_groups: list[str] = field(default_factory=list)  # parallel to ``funding``

    def warn(
        self, file_name: str, line: Line, kind: str, message: str, text: str | None = None
    ) -> None:
        """Record a warning naming the file and line."""
        self.warnings.append(
            ExtractionWarning(
                source_line=line.number,
                kind=kind,
                message=f"{file_name}:{line.number}: {message}",
                text=line.text if text is None else text,
            )
        )

    def add_funding(
        self,
        line: Line,
        period: str | None,
        axis: str,
        label: str,
        raw: str,
        unit: str,
        file_name: str,
        group: str = "",
    ) -> PerformanceFunding | None:
        """Add one funding figure unless the same (period, axis, group) was already read.

        ``group`` separates figures that share an axis, e.g. 003's 财政拨款 under 基本支出 and
        under 项目支出.

        The first occurrence wins: 004 prints two fund blocks twice (an inline HTML table, then
        the same rows as text) and 001 prints a second, blank 其他资金 after a split label. A
        repeat with a different non-blank value is kept out and reported.
        """
        try:
            amount = parse_amount(raw)
        except ValueError:
            self.warn(file_name, line, "unreadable_amount", f"funding {label!r}: not an amount")
            return None
        for existing, existing_group in zip(self.funding, self.funding_groups, strict=True):
            if (
                existing.period == period
                and existing.funding_axis == axis
                and existing_group == group
            ):
                if (
                    amount.value is not None
                    and existing.amount_printed is not None
                    and amount.value != existing.amount_printed
                ):
                    self.warn(
                        file_name,
                        line,
                        "conflicting_funding",
                        f"{label} printed again as {raw!r}, first value "
                        f"{existing.raw_text!r} (line {existing.source_line}) kept",
                    )
                elif existing.amount_printed is None and amount.value is not None:
                    # The first print was blank and this one carries the figure.
                    existing.raw_text = raw
                    existing.amount_printed = amount.value
                    existing.amount_yuan = to_yuan(amount.value, unit)
                    existing.is_blank = False
                return None
        record = PerformanceFunding(
            perf_ordinal=0,
            source_line=line.number,
            period=period,
            funding_label=label,
            funding_axis=axis,
            raw_text=raw,
            amount_printed=amount.value,
            unit=unit,
            amount_yuan=to_yuan(amount.value, unit),
            is_blank=amount.value is None,
        )
        self.funding.append(record)
        self.funding_groups.append(group)
        return record

    def add_attribute(
        self,
        line: Line,
        attribute: str,
        label: str,
        value_text: str,
        value_number: Decimal | None = None,
        value_unit: str | None = None,
    ) -> None:
        """Add a non-money item (count, task, goal text)."""
        self.attributes.append(
            PerformanceAttribute(
                perf_ordinal=0,
                source_line=line.number,
                attribute=attribute,
                label=label,
                value_text=value_text,
                value_number=value_number,
                value_unit=value_unit,
            )
        )

    def funding_amount(self, period: str | None, axis: str) -> Decimal | None:
        """The yuan amount of one funding figure, None when absent or blank."""
        for record in self.funding:
            if record.period == period and record.funding_axis == axis:
                return record.amount_yuan
        return None


# --- small pure helpers ---------------------------------------------------------------------
def compact(text: str) -> str:
    """Normalised text with every space removed (labels wrap at arbitrary characters)."""
    return re.sub(r"\s+", "", normalize_name(text))


def block_cells(line: Line) -> tuple[str, ...]:
    """Cells of a line, keeping the text around an inline HTML ``<table>``.

    ``text.split_cells`` returns only the ``<td>`` cells of a line that holds an inline table, so
    the row label and a leading "一、项目总预算：470000" printed before ``<table>`` (004 lines
    1187, 1503) would be lost. Here the tab-separated parts outside the table are kept in place.
    """
    if line.layout != "html":
        return line.cells
    cells: list[str] = []
    for part in line.text.split("\t"):
        lower = part.lower()
        start = lower.find("<table")
        if start < 0:
            cells.append(strip_markup(part))
            continue
        end = lower.rfind("</table>")
        before = strip_markup(part[:start])
        if before:
            cells.append(before)
        cells.extend(cell for row in html_table_rows(part) for cell in row)
        after = strip_markup(part[end + len("</table>") :]) if end >= 0 else ""
        if after:
            cells.append(after)
    return tuple(cells)


_STRAY_TD_RE = re.compile(r"<td\b", re.IGNORECASE)


def grid_cells(line: Line) -> tuple[str, ...]:
    """Cells of an indicator row with stray inline ``<td>`` fragments cut off.

    001 prints ten grid cells such as "学生人数 <td>≥800人</td>" (lines 1525, 6259, …, 8675) whose
    ``<td>`` fragments repeat the cells that follow; stripping only the tags would glue the
    target onto the 三级指标 name, so the text from the first ``<td>`` on is dropped.
    """
    if line.layout != "tsv" or not _STRAY_TD_RE.search(line.text):
        return line.cells
    raw_cells = line.text.split("\t")
    if len(raw_cells) != len(line.cells):
        return line.cells
    return tuple(
        strip_markup(raw[: match.start()]) if (match := _STRAY_TD_RE.search(raw)) else cell
        for raw, cell in zip(raw_cells, line.cells, strict=True)
    )


def tokens(cells: tuple[str, ...]) -> list[tuple[int, str]]:
    """Non-empty cells with their 0-based column."""
    return [(col, cell.strip()) for col, cell in enumerate(cells) if cell.strip()]


def split_label_amount(cell: str) -> tuple[str, str | None]:
    """Split "label value" cells; returns (label, amount text or None).

    A cell that is only an amount returns ("", amount).
    """
    text = cell.strip()
    if is_amount_text(text):
        return "", text
    match = _LABEL_AMOUNT_RE.match(text)
    if match:
        return match.group("label").strip(), match.group("amount").strip()
    return text, None


def is_amount_text(text: str) -> bool:
    """True when the cell is a (non-blank) amount: "1,553,500", "1937217.6 0", "0"."""
    text = text.strip()
    if not text or not text[0].isdigit():
        return False
    try:
        return parse_amount(text).value is not None
    except ValueError:
        return False


def strip_label(text: str) -> str:
    """A label without its "其中：" prefix, trailing colon and spaces."""
    text = compact(text)
    text = re.sub(r"^其中[：:]", "", text)
    return text.rstrip("：:")


def level_kind(text: str) -> str | None:
    """Classify an indicator-level name: "L1", "L2", "L1?" (成本指标: either) or None."""
    match = _LEVEL_WORD_RE.match(compact(text))
    if not match:
        return None
    root, suffix = match.group("root"), match.group("suffix")
    if suffix and root in LEVEL1_ROOTS:
        return "L1"
    if suffix and root in EITHER_LEVEL_ROOTS:
        return "L1?"
    return "L2"


def parse_target(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """Parse an indicator target as printed into (comparator, value, unit).

    "≥400人" -> (">=", 400, "人"); "》 90%" -> (">=", 90, "%"); "=15000.00 名" -> ("=", 15000.00,
    "名"); "约1611人/年" -> (None, 1611, "人/年"); "2025年底前" and "提升" -> no value.
    A comparator is only returned when a number follows it.
    """
    value_text = unicodedata.normalize("NFKC", strip_markup(text))
    value_text = re.sub(r"\s+", "", value_text)
    comparator = None
    for symbol, code in SYMBOL_COMPARATORS:
        if value_text.startswith(symbol):
            comparator, value_text = code, value_text[len(symbol) :]
            break
    else:
        for word, code in WORD_COMPARATORS:
            if value_text.startswith(word):
                comparator, value_text = code, value_text[len(word) :]
                break
    value_text = value_text.removeprefix("约")
    match = _NUMBER_RE.match(value_text)
    if not match:
        return None, None, None
    rest = value_text[match.end() :]
    for suffix, code in SUFFIX_COMPARATORS:
        if rest.endswith(suffix):
            rest = rest[: -len(suffix)]
            comparator = comparator or code
    if rest and (not _UNIT_RE.match(rest) or any(word in rest for word in _DATE_WORDS)):
        return None, None, None
    try:
        value = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex guarantees a literal
        return None, None, None
    return comparator, value, rest or None


def parse_count(text: str) -> tuple[Decimal | None, str | None]:
    """Parse "1,987人" -> (1987, "人"); "12个" -> (12, "个")."""
    match = _COUNT_VALUE_RE.match(compact(text))
    if not match:
        return None, None
    return Decimal(match.group("number").replace(",", "")), match.group("unit")


def first_keyword(key: str, pairs: Iterable[tuple[str, str]]) -> str | None:
    """The code of the first (keyword, code) pair whose keyword occurs in ``key``, else None.

    The pairs are ordered most specific first ("实施期资金总额" before "资金总额").
    """
    return next((code for word, code in pairs if word in key), None)


def count_attribute(label: str) -> str | None:
    """Attribute code of a headcount/count label, or None."""
    return first_keyword(strip_label(label), COUNT_ATTRIBUTES)


def project_category(attribute_text: str | None) -> str | None:
    """Normalised project category from 项目属性 / 项目类别 wording."""
    if not attribute_text:
        return None
    return first_keyword(compact(attribute_text), PROJECT_CATEGORIES)


def checked_labels(text: str) -> list[str] | None:
    """Labels whose checkbox is ticked in a 项目类别 cell; None when the cell has no boxes.

    004 prints both layouts: "☐ 一次性项目 ☑ 经常性项目 ☐ 中期预算试点项目" (box before its
    label) and "一次性项目 ☐ 经常性项目 ☑ 中期预算试点项目 ☐" (box after). Reading the second
    with the first rule shifts every mark by one label (3 projects mislabelled), so the side is
    decided by where the first box sits.
    """
    parts = [part.strip() for part in re.split(f"([{CHECKED_BOX}{UNCHECKED_BOX}])", text)]
    parts = [part for part in parts if part]
    if not any(part in (CHECKED_BOX, UNCHECKED_BOX) for part in parts):
        return None
    box_first = parts[0] in (CHECKED_BOX, UNCHECKED_BOX)
    checked: list[str] = []
    for index, part in enumerate(parts):
        if part != CHECKED_BOX:
            continue
        neighbour = index + 1 if box_first else index - 1
        if 0 <= neighbour < len(parts) and parts[neighbour] not in (CHECKED_BOX, UNCHECKED_BOX):
            checked.append(parts[neighbour])
    return checked


def split_code_name(text: str) -> tuple[str | None, str]:
    """Split "051-某市教育局" / "051 某市教育局" into ("051", "某市教育局")."""
    value = normalize_name(text)
    match = _CODE_NAME_RE.match(value)
    if not match:
        return None, value
    return match.group("code"), match.group("name").strip()


def fill_date_iso(text: str | None) -> str | None:
    """ISO date of a 填报日期 as printed: "20250219151708" -> "2025-02-19"; None otherwise.

    001 prints the date as a 14-digit timestamp YYYYMMDDhhmmss.
    """
    if not text:
        return None
    match = _FILL_TIMESTAMP_RE.match(text.strip())
    if not match:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return f"{year}-{month}-{day}"


def new_parsed_table(
    title: Line, block: list[Line], family: str, template: str, year_lines: int = 6
) -> ParsedTable:
    """An empty table of ``family`` / ``template`` titled ``title`` and spanning ``block``.

    The fiscal year is read from the first ``year_lines`` lines of the block.
    """
    return ParsedTable(
        table=PerformanceTable(
            perf_ordinal=0,
            family=family,
            template=template,
            title=normalize_name(title.joined.lstrip("#")),
            first_line=title.number,
            last_line=block[-1].number,
            fiscal_year=fiscal_year(block[:year_lines]),
        )
    )


def fiscal_year(lines: list[Line]) -> int | None:
    """The first "2025年" / "（ 2020 年）" / "预算年度:2023" year among the lines."""
    for line in lines:
        text = compact(line.joined)
        match = _YEAR_RE.search(text) or re.search(r"预算年度[：:]?(20\d{2})", text)
        match = match or re.search(r"[（(](20\d{2})[）)]年", text)  # "(2025) 年度", 001 line 846
        if match:
            return int(match.group(1))
    return None


def is_year_line(text: str) -> bool:
    """True for a line that only states the year: "（ 2020 年）", "(2025年度)", "## (2020 年)"."""
    return bool(re.fullmatch(r"#*[（(]?20\d{2}[）)]?年?度?[）)]?", compact(text)))


def looks_like_phone(text: str) -> bool:
    """True when a cell holds a phone number (kept out of everything but contact_phone)."""
    return bool(_PHONE_RE.search(text))


def labelled_values(toks: list[tuple[int, str]], labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """(label, value) pairs of a row of "label：value" fields, however they fall into cells.

    001 prints the footer as separate cells ("负责人： | | 经办人： | …") or all in one cell
    ("负责人： 经办人： 联系电话： 填报日期： 20250107110714", line 8617); the text of the row is
    cut at every label instead of being read cell by cell. An empty value is "".
    """
    text = " ".join(cell for _col, cell in toks)
    alternation = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    pattern = re.compile(rf"({alternation})\s*[：:]?")
    matches = list(pattern.finditer(text))
    pairs = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        pairs.append((match.group(1), text[match.end() : end].strip()))
    return pairs


def value_after(cells: list[tuple[int, str]], index: int, labels: tuple[str, ...]) -> str | None:
    """The value of the label token at ``index``: its own text after the label, or the next token.

    The next token is not taken when it is itself one of ``labels`` (an empty field).
    """
    _col, text = cells[index]
    key = compact(text)
    for label in labels:
        if key.startswith(label):
            rest = key[len(label) :].lstrip("：:")
            if rest:
                # keep the printed spacing of the value part
                raw_rest = re.split(r"[：:]", text, maxsplit=1)
                return (raw_rest[1] if len(raw_rest) == 2 else rest).strip() or rest
            break
    if index + 1 < len(cells):
        nxt = compact(cells[index + 1][1])
        if not any(nxt.startswith(label) for label in labels):
            return cells[index + 1][1].strip()
    return None


# --- indicator grids ------------------------------------------------------------------------
# A target cell sits at most this many columns after its 三级指标 cell; further right it starts
# the next half of the row (001 line 2721: "… | 实验室废品处理费 | ≥5万元/年 | | | 零星维修费用").
MAX_TARGET_GAP = 2


@dataclass
class Slot:
    """One indicator read from a row (one half of a two-half grid)."""

    col: int
    level2: str | None = None
    level3: str | None = None
    level3_col: int | None = None
    target: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.level3 is None and self.target is None


def resolve_levels(toks: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """Tag each token "L1", "L2" or "text".

    A level-1 name counts only at the start of a row. A lone 成本指标 is a 二级 name (001 prints
    it under 产出指标) unless another level name follows it (003: "成本指标 | 经济成本指标").
    """
    kinds = [level_kind(text) for _col, text in toks]
    tagged: list[tuple[int, str, str]] = []
    at_start = True
    for index, (col, text) in enumerate(toks):
        kind = kinds[index]
        next_kind = kinds[index + 1] if index + 1 < len(toks) else None
        if kind is None:
            tag = "text"
        elif kind == "L1":
            tag = "L1" if at_start else "L2"
        elif kind == "L1?":
            tag = "L1" if at_start and next_kind is not None else "L2"
        else:
            tag = "L2"
        at_start = tag == "L1"
        tagged.append((col, text, tag))
    return tagged


def _is_value_like(text: str) -> bool:
    comparator, value, _unit = parse_target(text)
    return value is not None or comparator is not None or text.endswith("%")


def read_slot_row(toks: list[tuple[int, str]]) -> tuple[str | None, list[Slot]]:
    """Read one grid row into (一级指标 printed on it, slots in reading order)."""
    level1 = None
    slots: list[Slot] = []
    current: Slot | None = None
    for col, text, tag in resolve_levels(toks):
        if tag == "L1":
            level1 = text
            continue
        if tag == "L2":
            current = Slot(col=col, level2=text)
            slots.append(current)
            continue
        if current is None or (
            current.level3 is not None
            and (
                current.target is not None
                or (current.level3_col is not None and col - current.level3_col > MAX_TARGET_GAP)
            )
        ):
            current = Slot(col=col, level3=text, level3_col=col)
            slots.append(current)
        elif current.level3 is None:
            if current.level2 is not None and col - current.col >= 2 and _is_value_like(text):
                current.target = text  # 三级指标 left blank, target printed
            else:
                current.level3, current.level3_col = text, col
        else:
            current.target = text
    return level1, slots


def make_indicator(
    source_line: int,
    period: str | None,
    level1: str | None,
    level2: str | None,
    level3: str | None,
    target: str | None,
    remark: str | None = None,
) -> PerformanceIndicator:
    """An indicator record with its target parsed (ordinals are set by the caller)."""
    target_raw = (target or "").strip()
    comparator, value, unit = parse_target(target_raw)
    return PerformanceIndicator(
        perf_ordinal=0,
        indicator_ordinal=0,
        source_line=source_line,
        period=period,
        level1=_level_name(level1),
        level2=_level_name(level2),
        level3=_clean(level3),
        target_raw=target_raw,
        comparator=comparator,
        target_value=value,
        target_unit=unit,
        remark=_clean(remark),
    )


def _level_name(text: str | None) -> str | None:
    """A level name without wrap spaces ("影响力 目标" -> "影响力目标")."""
    return (normalize_name(text) or None) if text else None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


# Roles of the fixed five-column grid, left to right.
GRID_ROLES: tuple[str, ...] = ("level1", "level2", "level3", "target", "remark")


class ShiftedGrid:
    """A five-column indicator grid whose rows may be shifted whole (004 (b) tables).

    ``header_cols`` are the columns of 一级 / 二级 / 三级 / 目标值 / 备注 in the header row. A row
    that prints a 一级 or 二级 name sets the shift; other rows keep the shift of the row above
    (004 line 738 continues line 737, which is shifted two cells left).
    """

    def __init__(self, header_cols: dict[str, int], row_label: str = "绩效目标") -> None:
        self.cols = header_cols
        self.row_label = row_label
        self.shift = 0
        self.level1: str | None = None
        self.level2: str | None = None

    def read(self, toks: list[tuple[int, str]]) -> dict[str, str] | None:
        """Roles of one row's tokens; None when the row carries no indicator."""
        # The first-column label is split vertically over rows ("绩效 目标", OCR "绩效日"); its
        # pieces are not indicator text.
        while toks and self._is_label_piece(toks[0][1]):
            toks = toks[1:]
        tagged = resolve_levels(toks)
        for col, _text, tag in tagged:
            if tag == "L1":
                self.shift = col - self.cols["level1"]
                break
            if tag == "L2":
                self.shift = col - self.cols["level2"]
                break
        else:
            texts = [(col, text) for col, text, tag in tagged if tag == "text"]
            if len(texts) == 3:
                # 三级 | 目标值 | 备注 all printed: measure the shift on them
                self.shift = texts[-3][0] - self.cols["level3"]
        roles: dict[str, str] = {}
        texts = [(col, text) for col, text, tag in tagged if tag == "text"]
        for _col, text, tag in tagged:
            if tag in ("L1", "L2"):
                roles["level1" if tag == "L1" else "level2"] = text
        if len(texts) == 3:
            # 三级 | 目标值 | 备注 all printed: read them in order, whatever blank cells sit
            # between them (004 line 599 prints them at columns 1, 4 and 5). With a fourth text
            # (an unlisted 二级 name such as "信息共享", line 969) the columns decide.
            roles["level3"], roles["target"], roles["remark"] = (text for _c, text in texts)
        else:
            for col, text in texts:
                role = self._role(col - self.shift)
                if role is None:
                    continue  # the row-label column
                roles[role] = f"{roles[role]} {text}" if role in roles else text
        if "level1" in roles:
            self.level1 = roles["level1"]
            self.level2 = None
        if "level2" in roles:
            self.level2 = roles["level2"]
        if "level3" not in roles and "target" not in roles:
            return None
        roles.setdefault("level1", self.level1 or "")
        roles.setdefault("level2", self.level2 or "")
        return roles

    def _is_label_piece(self, text: str) -> bool:
        key = compact(text)
        return bool(key) and (
            key in self.row_label or (len(key) <= 3 and key[:2] == self.row_label[:2])
        )

    def _role(self, col: int) -> str | None:
        if col < self.cols["level1"]:
            return None
        best = None
        for role in GRID_ROLES:
            if col >= self.cols[role]:
                best = role
        return best


def is_grid_header(toks: list[tuple[int, str]], words: tuple[str, str]) -> bool:
    """True when the row holds both header words (e.g. 一级指标 and 三级指标)."""
    keys = [compact(text) for _col, text in toks]
    return all(any(word in key for key in keys) for word in words)
