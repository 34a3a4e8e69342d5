"""Table titles: the one title finder of every table reader.

A title is a single-cell line ending in 表 (a bracketed qualifier and a continuation mark may
follow); a label ("预算公开表1", "部门公开表9", "表一", "公开01表") may stand above or below it
or be glued to its front. The seed ``statement_title_vocabulary.csv`` types it: a statement type
(the project lists ``project_expenditure`` / ``project_expenditure_carryover`` included), or a
boundary kind (performance, other) that only ends the table before it. :func:`title_lines`
gives every reader these boundaries, so a table none of them reads still ends the one before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orchestration.extract import vocabulary
from orchestration.extract.table_rows import _CODE_IN_NAME_RE, _is_noise, _Row, to_rows
from orchestration.extract.text import Line, normalize_name, split_ordinal, strip_markup

# Title wording -> statement type, most specific first: rows of the seed
# statement_title_vocabulary.csv (a new template's wording is a row there, not a branch here).
# performance / other are not statement tables: they are recognised only because their title ends
# the table before them.
BOUNDARY_KINDS: frozenset[str] = frozenset({"performance", "other"})
TITLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = vocabulary.title_rules()
TITLE_MAX_CHARS = 60
# "2025年一般公共预算支出预算表（不含上年结转）": a title ends in 表, possibly followed by a
# bracketed qualifier and a continuation mark.
_TITLE_END_RE = re.compile(r"表\s*(?:[（(][^）)]{0,20}[）)]\s*)*(?:续表?|[（(]续[）)])?$")
# A label glued to the front of a title: "表一2025年预算收支总表", "附表1 …", "预算公开表3：…".
# The number is Arabic or Chinese, never both: in "表三2024年…" the "2024" belongs to the title.
# The number may also come before 表: "预算01表 收支总表", "公开01表".
_GLUED_LABEL_RE = re.compile(
    r"^(?P<label>[\u4e00-\u9fff]{0,6}?表\s*(?:\d{1,2}(?![\d年])|[一二三四五六七八九十]{1,3})"
    r"|[\u4e00-\u9fff]{1,4}\s*\d{1,2}\s*表(?=\s))"
    r"\s*[:：、.．\-]?\s*(?P<rest>.+)$"
)
# A label on its own line before the title: "预算公开表1", "部门公开表9", "附表3".
_LABEL_LINE_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,6}表\s*[0-9一二三四五六七八九十]+|[\u4e00-\u9fff]{1,4}\d{1,2}表)\s*[:：]?$"
)
# Lines that look like a title but are not: list items and dotted leaders of a table of contents.
_NOT_TITLE_RE = re.compile(r"^\s*[-*+]\s|\.{3,}|…{2,}|[，。；]")
# A label printed on its own line after the title (决算: "收入支出决算总表" then "公开01表").
_LABEL_BELOW_RE = re.compile(r"^[\u4e00-\u9fff]{0,6}\d{1,2}表$")
LABEL_LOOKBACK = 3  # non-blank lines searched above a title for its label
# A cell that is a unit declaration and nothing else, printed beside a title.
_UNIT_ONLY_RE = re.compile(r"^[（(]?(?:金额)?单位\s*[:：]\s*(?:亿元|万元|元)[）)]?$")


@dataclass(frozen=True)
class _Title:
    index: int  # index into the row list
    number: int
    title: str
    label: str | None
    kind: str  # a STATEMENT_TYPES value or one of BOUNDARY_KINDS
    is_continuation: bool


def classify_title(title: str) -> str | None:
    """The statement type (or boundary kind) of a title, None when it is no table title."""
    key = normalize_name(title).replace(" ", "")
    if len(key) > TITLE_MAX_CHARS or _NOT_TITLE_RE.search(title) or not _TITLE_END_RE.search(key):
        return None
    if split_ordinal(key)[0] or _CODE_IN_NAME_RE.match(key) or _LABEL_BELOW_RE.match(key):
        return None
    for kind, pattern in TITLE_RULES:
        if pattern.search(key):
            return kind
    return "other"


def _split_label(text: str) -> tuple[str | None, str]:
    """Split a glued label from a title: "表一2025年收支总表" -> ("表一", "2025年收支总表")."""
    match = _GLUED_LABEL_RE.match(text)
    if match and _TITLE_END_RE.search(match.group("rest")):
        return match.group("label"), match.group("rest").strip()
    return None, text


def _title_text(row: _Row) -> str | None:
    """The title text of a one-cell row (markdown '#' and unit declarations stripped).

    A title row may carry the unit in a cell of its own ("部门综合预算收支总表 | 单位：万元"):
    that cell is dropped before the row is judged.
    """
    cells = row.nonblank
    if len(cells) > 1 and len(cells) - len(_unit_only_cells(cells)) == 1:
        cells = [cell for cell in cells if cell not in _unit_only_cells(cells)]
    if len(cells) != 1:
        return None  # a table-of-contents entry carries its page number in a second cell
    text = strip_markup(cells[0][1]).lstrip("#").strip()
    text = re.sub(r"\s*(?:金额)?单位\s*[:：]\s*(?:亿元|万元|元)\s*$", "", text)
    return text or None


def _unit_only_cells(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Cells that hold nothing but a unit declaration ("单位：万元", "金额单位：元")."""
    return [cell for cell in cells if _UNIT_ONLY_RE.match(cell[1].strip())]


def _is_title(row: _Row) -> bool:
    text = _title_text(row)
    return text is not None and classify_title(_split_label(text)[1]) is not None


def _find_titles(rows: list[_Row]) -> list[_Title]:
    titles: list[_Title] = []
    for index, row in enumerate(rows):
        text = _title_text(row)
        if text is None:
            continue
        label, rest = _split_label(text)
        kind = classify_title(rest)
        if kind is None:
            continue
        if label is None:
            label = _label_above(rows, index) or _label_below(rows, index)
        # "…总表（续）", or the same title printed again at a page break: the table goes on.
        previous = next((t for t in reversed(titles) if t.kind not in BOUNDARY_KINDS), None)
        is_continuation = kind not in BOUNDARY_KINDS and (
            "续" in rest[-4:]
            or (previous is not None and titles[-1] is previous and previous.title == rest)
        )
        titles.append(_Title(index, row.number, rest, label, kind, is_continuation))
    return titles


def title_lines(lines: list[Line]) -> list[int]:
    """Line numbers of every table title of a document, of any kind (statement, project list,
    performance form or other): the boundaries every table reader shares, so that a table none of
    them reads (a blank 专项资金总体绩效目标表) still ends the one before it."""
    return sorted({title.number for title in _find_titles(to_rows(lines))})


def label_start(lines: list[Line], index: int) -> int:
    """Where the table titled at lines[index] starts: at its label line ("表16") when one stands
    above it (blank lines between), else at the title."""
    above = index - 1
    while above >= 0 and not lines[above].joined.strip():
        above -= 1
    if above >= 0 and _LABEL_LINE_RE.match(lines[above].joined.replace(" ", "")):
        return above
    return index


def _label_above(rows: list[_Row], index: int) -> str | None:
    seen = 0
    for row in reversed(rows[max(0, index - 12) : index]):
        if _is_noise(row):
            continue
        seen += 1
        if _LABEL_LINE_RE.match(row.joined.replace(" ", "")):
            return row.joined.replace(" ", "").rstrip(":：")
        if seen >= LABEL_LOOKBACK:
            break
    return None


def _label_below(rows: list[_Row], index: int) -> str | None:
    """A label printed on the line after the title ("公开01表")."""
    for row in rows[index + 1 : index + 1 + LABEL_LOOKBACK]:
        if _is_noise(row):
            continue
        text = row.joined.replace(" ", "")
        return text if _LABEL_BELOW_RE.match(text) else None
    return None
