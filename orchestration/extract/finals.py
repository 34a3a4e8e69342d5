"""决算 (final accounts) narrative: execution statements and disclosure-hygiene marks.

A 决算 explains its outturn against the budget in prose, one budget subject at a time
("1.一般公共服务（类）信访事务（款）行政运行（项）。年初预算为5717.32万元，支出决算为5757.63万元，
完成年初预算的100.71%。决算数大于预算数的主要原因是…"). Each such passage becomes one
:class:`~orchestration.extract.records.ExecutionStatement`: the subject as printed (split into its
类 / 款 / 项 names when printed that way), the budget figure and its basis (年初预算 / 调整预算 /
预算), the outturn, the completion rate and the direction word (大于 / 小于 / 持平 …), each as
printed.
Reconciliation recomputes the rate, checks the direction word against the two figures and the
outturn against the tables.

How a line is read: budget, outturn, rate and direction clauses are found in reading order. A budget
clause opens a statement; an outturn clause completes the open statement when it has a budget and
no outturn yet, else opens one of its own ("其中：因公出国（境）费支出决算为4.69万元，完成预算的
15.63%"); a rate belongs to the statement before it; a direction sentence ("“三公”经费支出决算数小于
预算数") to the first statement of the line, the head of any "其中" list. A statement is kept only
when it states an outturn or a rate, and a budget, a rate or a direction beside it: a bare outturn
is an ordinary narrative figure, a bare budget ("“三公”经费预算为10.27万元") a budget's.

Disclosure-hygiene marks (:class:`~orchestration.extract.records.DisclosureMark`) are recorded on
every line, prose or table: placeholders left from a template ("XX局", "XXXX年", "××"), and
the years a reader checks against the document's own year: "截至2023年12月31日" dates and the
years printed in headings and table titles. Whether a year is wrong is decided in the warehouse,
against the document's fiscal year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from orchestration.extract.narrative import _excluded_lines, heading_text, is_heading, is_prose
from orchestration.extract.records import DisclosureMark, DocumentExtraction, ExecutionStatement
from orchestration.extract.text import Line, normalize_name, split_ordinal, strip_markup, to_yuan

_NUMBER = r"(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MONEY_UNIT = r"(?P<unit>亿元|万元|元)"
BUDGET_BASES: tuple[str, ...] = ("年初预算", "调整后预算", "调整预算", "全年预算", "预算")
_BASIS = "|".join(BUDGET_BASES)
_BUDGET_RE = re.compile(rf"(?P<basis>{_BASIS})(?:数)?(?:为|是|共计)\s*{_NUMBER}\s*{_MONEY_UNIT}")
_FINAL_RE = re.compile(rf"(?:决算|执行)(?:数)?(?:为|是|共计)\s*{_NUMBER}\s*{_MONEY_UNIT}")
_RATE_RE = re.compile(rf"完成(?P<basis>{_BASIS})(?:数)?的\s*{_NUMBER}\s*[%％]")
# Direction words, by what they claim about the outturn against the budget.
DIRECTION_WORDS: dict[str, str] = {
    "大于": "greater",
    "高于": "greater",
    "超过": "greater",
    "多于": "greater",
    "小于": "less",
    "低于": "less",
    "少于": "less",
    "等于": "equal",
    "持平": "equal",
}
_WORDS = "|".join(DIRECTION_WORDS)
_DIRECTION_RE = re.compile(
    rf"决算(?:数)?(?P<word>{_WORDS})(?:年初|调整后?|全年)?预算(?:数)?"
    rf"|决算(?:数)?与(?:年初|调整后?|全年)?预算(?:数)?(?:基本)?(?P<flat>持平)"
)
_CLAUSE_START_RE = re.compile(r"[，,；;：:。！？]")
_SUBJECT_PREFIX_RE = re.compile(r"^(?:其中|另外|此外)?[:：]?")
_YEAR_LEAD_RE = re.compile(r"^.*?\d{4}\s*年度?")
_FUNCTION_PATH_RE = re.compile(
    r"^(?P<class_name>[^（(]+)[（(]类[）)]"
    r"(?:(?P<item_name>[^（(]+)[（(]款[）)])?"
    r"(?:(?P<subitem_name>[^（(]+)[（(]项[）)])?"
)

# Placeholders a template leaves behind: "XX局", "XXXX年", "××单位", "X月X日".
_PLACEHOLDER_RE = re.compile(
    r"(?<![A-Za-z])(?:[XxＸｘ×*＊]{2,}|[XＸ×](?=[年月日局县市区]))(?:[\u4e00-\u9fff]{0,2})"
)
_AS_OF_RE = re.compile(
    r"(?:截至|截止|截止到|截至到)\s*(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月"
    r"(?:\s*(?P<day>\d{1,2})\s*日)?"
)
_YEAR_RE = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")
MAX_TITLE_CHARS = 60
# A short line without sentence punctuation is a title when it ends like one.
_TITLE_WORDING_RE = re.compile(r"(?:决算|预算|表|说明|情况)$")
_PAGE_NUMBER_RE = re.compile(r"^[-—－]?\s*\d{1,4}\s*[-—－]?$")
# A numbered item ("7.社会保障和就业（类）…") may wrap like a heading: it opens a paragraph too.
_ITEM_START_RE = re.compile(r"^\d{1,2}[.．、](?!\d)")


@dataclass
class _Open:
    statement: ExecutionStatement
    has_final: bool


def _subject(text: str, start: int) -> str:
    """The printed subject of a clause: the text before the match, back to the clause start."""
    before = text[:start]
    cut = max((m.end() for m in _CLAUSE_START_RE.finditer(before)), default=0)
    clause = before[cut:].strip()
    if not clause and cut:
        # "…行政运行（项）。年初预算为…": the subject is the sentence before
        previous = before[: cut - 1]
        back = max((m.end() for m in _CLAUSE_START_RE.finditer(previous)), default=0)
        clause = previous[back:].strip()
    clause = _SUBJECT_PREFIX_RE.sub("", clause)
    clause = split_ordinal(clause)[1] if split_ordinal(clause)[0] else clause
    return normalize_name(_YEAR_LEAD_RE.sub("", clause)).strip()


def _new_statement(source_line: int, section: str | None, text: str, subject: str) -> _Open:
    path = _FUNCTION_PATH_RE.match(subject)
    return _Open(
        ExecutionStatement(
            statement_ordinal=0,
            source_line=source_line,
            section=section,
            subject=subject,
            class_name=path.group("class_name") if path else None,
            item_name=path.group("item_name") if path else None,
            subitem_name=path.group("subitem_name") if path else None,
            sentence=text,
        ),
        has_final=False,
    )


def statements_in_line(
    text: str, source_line: int, section: str | None
) -> list[ExecutionStatement]:
    """The execution statements of one prose line, in reading order (ordinals left 0)."""
    matches: list[tuple[int, str, re.Match[str]]] = []
    for kind, pattern in (
        ("budget", _BUDGET_RE),
        ("final", _FINAL_RE),
        ("rate", _RATE_RE),
        ("direction", _DIRECTION_RE),
    ):
        matches.extend((m.start(), kind, m) for m in pattern.finditer(text))
    matches.sort(key=lambda item: item[0])
    opened: list[_Open] = []
    for start, kind, match in matches:
        current = opened[-1] if opened else None
        if kind == "budget":
            if current and current.statement.budget_value is None and not current.has_final:
                item = current
            else:
                item = _new_statement(source_line, section, text, _subject(text, start))
                opened.append(item)
            value, unit = Decimal(match.group("value").replace(",", "")), match.group("unit")
            item.statement.budget_basis = match.group("basis")
            item.statement.budget_value = value
            item.statement.budget_unit = unit
            item.statement.budget_yuan = to_yuan(value, unit)
        elif kind == "final":
            if current is None or current.has_final or current.statement.budget_value is None:
                current = _new_statement(source_line, section, text, _subject(text, start))
                opened.append(current)
            value, unit = Decimal(match.group("value").replace(",", "")), match.group("unit")
            current.statement.final_value = value
            current.statement.final_unit = unit
            current.statement.final_yuan = to_yuan(value, unit)
            current.has_final = True
        elif kind == "rate" and current is not None and current.statement.rate_value is None:
            current.statement.rate_basis = match.group("basis")
            current.statement.rate_value = Decimal(match.group("value").replace(",", ""))
        elif kind == "direction" and opened:
            head = opened[0].statement
            if head.direction_word is None:
                word = match.group("word") or match.group("flat")
                head.direction_word = word
                head.direction = DIRECTION_WORDS[word]
                head.direction_text = match.group(0)
    return [
        o.statement
        for o in opened
        if (o.statement.final_value is not None or o.statement.rate_value is not None)
        and (
            o.statement.budget_value is not None
            or o.statement.rate_value is not None
            or o.statement.direction_word is not None
        )
    ]


def marks_in_line(line: Line, is_title: bool) -> list[DisclosureMark]:
    """Placeholders, as-of dates and (for headings and titles) printed years of one line."""
    text = strip_markup(line.joined)
    marks: list[DisclosureMark] = []
    for match in _PLACEHOLDER_RE.finditer(text):
        marks.append(
            DisclosureMark(0, line.number, "placeholder", match.group(0), None, None, None, text)
        )
    for match in _AS_OF_RE.finditer(text):
        day = match.group("day")
        marks.append(
            DisclosureMark(
                0,
                line.number,
                "as_of_date",
                match.group(0),
                int(match.group("year")),
                int(match.group("month")),
                int(day) if day else None,
                text,
            )
        )
    if is_title:
        for match in _YEAR_RE.finditer(text):
            marks.append(
                DisclosureMark(
                    0,
                    line.number,
                    "heading_year",
                    match.group(0),
                    int(match.group("year")),
                    None,
                    None,
                    text,
                )
            )
    return marks


def extract(lines: list[Line], file_name: str, doc: DocumentExtraction) -> None:
    """Append the execution statements and disclosure marks of a document to ``doc``.

    A paragraph wrapped over several lines (as a PDF prints it: "…完成年初预算的" then
    "0.8%。决算数小于预算数…") is read as one: a text line continues the paragraph before it unless
    it opens a numbered item or a heading, across a page number printed between them; the
    statement cites the paragraph's first line. A direction sentence standing alone ("决算数小于
    预算数的主要原因是…") belongs to the statement of the paragraph before it.
    """
    del file_name  # nothing here can fail on a line: a line that does not match yields nothing
    excluded = _excluded_lines(lines, doc)
    titles = {table.title_line for table in doc.tables}
    titles.update(table.first_line for table in doc.performance_tables)
    section: str | None = None
    head = next((line.number for line in lines if not line.is_blank), 0)
    paragraph: list[Line] = []
    last_head: list[ExecutionStatement] = []  # the head statement of the last paragraph

    def flush() -> None:
        if not paragraph:
            return
        # a PDF spaces justified characters apart ("公 务 用 车 … 40.61 万 元"): prose needs none
        text = re.sub(r"\s+", "", "".join(line.cells[0] for line in paragraph))
        found = statements_in_line(text, paragraph[0].number, section)
        for statement in found:
            statement.statement_ordinal = len(doc.execution_statements) + 1
            doc.execution_statements.append(statement)
        if found:
            last_head[:] = found[:1]
        elif last_head and last_head[0].direction_word is None:
            match = _DIRECTION_RE.search(text)
            if match:
                word = match.group("word") or match.group("flat")
                last_head[0].direction_word = word
                last_head[0].direction = DIRECTION_WORDS[word]
                last_head[0].direction_text = match.group(0)
        paragraph.clear()

    for line in lines:
        if line.is_blank:
            continue
        heading = line.layout == "text" and is_heading(line.text)
        is_title = (
            line.number in titles
            or line.number == head
            or (heading and line.number not in excluded)
            or (
                line.layout == "text"
                and not is_prose(line)
                and len(line.joined) <= MAX_TITLE_CHARS
                and bool(_TITLE_WORDING_RE.search(line.joined.strip()))
                and line.number not in excluded
            )
        )
        for mark in marks_in_line(line, is_title):
            mark.mark_ordinal = len(doc.disclosure_marks) + 1
            doc.disclosure_marks.append(mark)
        if line.number in excluded or line.layout != "text":
            flush()
            last_head.clear()
            continue
        text = line.text.strip()
        if _PAGE_NUMBER_RE.match(text):
            continue  # a page number inside a wrapped paragraph
        if heading and not _ITEM_START_RE.match(text):
            flush()
            last_head.clear()
            section = heading_text(line.text)
            continue
        if _ITEM_START_RE.match(text):
            flush()  # a numbered item opens a paragraph of its own
        paragraph.append(line)
    flush()
