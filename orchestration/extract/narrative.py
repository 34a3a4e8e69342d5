"""Narrative figures: every amount, percentage and count stated in the prose of a document.

Budget disclosures explain their tables in prose (情况说明 / 预算编制说明 / 其他相关情况说明), and
the prose restates table figures (001 line 714: "预算收入总计56,728.82万元 … 比上年增加1187.14万元，
增长2.14%"). Reconciliation compares these figures with the tables, so each one is recorded with
what it measures (``metric``), derived from the words around it.

Metric conventions (deterministic; the consumers rely on them):

- A base figure's metric is the noun phrase right before the number, cleaned of the clause's
  scaffolding: ordinals ("（一）", "1、"), dates ("2025年度", "截至2024年12月31日"), the issuing
  body ("阳泉市教育局", "本部门", "本单位"), fillers ("其中", "主要包括", "共有", "涉及"), quotation
  marks, a trailing "为"/"共", and everything up to the last "的" ("使用的办公用房建筑总面积" ->
  "办公用房建筑总面积"). "“教师进修”科目" becomes "教师进修" (the name of the budget subject).
- Counts (个, 人, 辆 …) get the suffix "数": "二级项目222个" -> "二级项目数". When a noun follows
  the number directly ("19个二级预算单位", "16000多名教师") it is the one counted.
- A figure that only makes sense against another one is written "<subject> / <relation>", the
  subject being the metric of the figure it refers to:
  - change amounts: relation "比上年增加" / "比上年减少" (any "比2019年预算", "与上年相比", "较上年"
    is folded to "比上年": budget narratives always compare with the previous year; the sentence
    keeps the wording); plain "增加" / "减少" when the clause prints no comparison
    ("增加278,900元").
    The value stays positive; the direction is in the metric.
  - change rates: "增长率" / "下降率".
  - shares: "占比", or "占<X>比重" when the base is printed ("占部门项目支出总额的100%").
  - clauses with no subject of their own ("涉及金额…", "共计金额…") and very short nouns
    ("实有12辆") are qualified by the previous figure of the sentence.
  The subject is the previous base figure of the sentence; for changes, when the sentence lists
  components after "其中", the head figure before "其中" (001 line 714: the change of 收入总计, not
  of 上年结转). With no base figure in the sentence, the previous one of the paragraph line.

Only prose is read: single-cell lines that contain sentence punctuation, outside the table of
contents and outside the spans of the statement and performance tables already extracted. Years,
dates, ordinals and numbers without a unit are never figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from orchestration.extract.records import DocumentExtraction, NarrativeFigure, NarrativeListItem
from orchestration.extract.text import (
    UNIT_FACTORS,
    Line,
    is_watermark,
    normalize_name,
    split_ordinal,
    strip_markup,
)

# --- constants ------------------------------------------------------------------------------
MONEY_UNITS = tuple(UNIT_FACTORS)  # 元, 万元, 亿元
# Units after a number, longest first so that "万元" wins over "元" and "台（套）" over "台".
UNITS: tuple[str, ...] = (
    "亿元",
    "万元",
    "元",
    "%",
    "平方米",
    "台（套）",
    "个",
    "人",
    "名",
    "辆",
    "台",
    "套",
    "所",
    "项",
    "家",
    "户",
    "间",
    "件",
    "场",
    "次",
)
COUNT_UNITS = frozenset(UNITS) - frozenset(MONEY_UNITS) - {"%", "平方米"}
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in UNITS)
# A number: thousands separators ("56,728.82"), decimals, optional space before the unit
# ("减少 5.40万元", 001 line 755) and "多" ("16000多名", 004 line 30).
_FIGURE_RE = re.compile(
    rf"(?<![\d.,A-Za-z\-第])(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(多)?({_UNIT_ALTERNATION})"
)
# Clause boundaries inside a sentence and sentence boundaries inside a line.
CLAUSE_DELIMITERS = "，,；;：:、。！？!?"
SENTENCE_DELIMITERS = "。；;！？!?"
# Prose must carry sentence punctuation: form fields ("项目名称：X 金额单位：元") and cell text
# ("…评价系统(9个幼儿园+4所中小学)", 004 line 1680) do not.
_PROSE_RE = re.compile(r"[，。；,;]")
_TOC_LEADER_RE = re.compile(r"(?:\.{3,}|…{2,}|·{3,})\s*\d*\s*$|\s\d{1,3}\s*$")
_HEADING_RE = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分"
    r"|[一二三四五六七八九十]+[、.．]"
    r"|[（(][一二三四五六七八九十]+[）)]"
    r"|\d{1,2}[、.．](?!\d))"
)
MAX_HEADING_CHARS = 40

# Scaffolding stripped from the start of a clause, repeatedly, before the metric noun.
_DATE_RE = re.compile(
    r"^(?:截至|截止)?\d{4}年(?:度)?(?:\d{1,2}月(?:\d{1,2}日)?(?:止)?)?(?:[，,]\s*)?"
)
_ISSUER_RE = re.compile(
    r"^(?:本部门|本单位|本级|我部门|我单位"
    r"|[\u4e00-\u9fff]{1,10}?[省市区县州盟旗][\u4e00-\u9fff（）]{0,16}?"
    r"(?:委员会|办公室|研究室|学院|学校|中心|局|院|委|厅|所|馆|站|队|办)"
    # a central body: "国家…局" / "国家…委员会" / "国家…总局" followed by a year
    r"|国家[\u4e00-\u9fff]{1,8}?(?:委员会|总局|局|署|院|部)(?=\d{4}年))"
)
LEADING_FILLERS: tuple[str, ...] = (
    "主要用于以下方面",
    "主要包括",
    "主要用于",
    "其中",
    "包括",
    "所属",
    "共有",
    "共计",
    "合计为",
    "涉及",
    "编报",
    "安排",
    "使用",
    "共",
)
# Clauses introduced by these words have no subject of their own ("涉及金额8,703.11万元").
RELATIVE_OPENERS: tuple[str, ...] = ("涉及", "共计", "共")
TRAILING_FILLERS: tuple[str, ...] = ("为", "共", "达", "约", "是")
_QUOTES_RE = re.compile(r"[“”\"'‘’「」『』]")
_SUBJECT_CODE_RE = re.compile(r"^[“\"「](.+)[”\"」]科目$")
INCREASE_WORDS = ("增加", "增长", "上升", "提高")
DECREASE_WORDS = ("减少", "下降", "降低")
_COMPARE_RE = re.compile(
    r"(?:比|较|与|同)(.*?)(?:相比|相较)?(?:预算数|预算)?(增加|增长|上升|提高|减少|下降|降低)"
)
# Nouns after a count stop at the first "的" or at a verb ("19个单位编报了…", 001 line 776).
_NOUN_STOP_RE = re.compile(r"的|编报|纳入|涉及|参加|组成|开展|完成|实施|用于|包括|等")
SHORT_NOUN = 2  # nouns of this length or less are qualified by the previous figure ("实有")
# An enumeration counted by the figure after it: "由A、B、…、Z等19个二级预算单位" (001 line 79).
# Its first item starts after the last opener word, else after the last clause delimiter.
_ENUMERATION_OPENER_RE = re.compile(r"^.*(?:由|包括|包含|共有|分别是|：|:)")
_ENUMERATION_END = "等"


# --- small pure helpers ---------------------------------------------------------------------
def is_heading(text: str) -> bool:
    """A section heading: a markdown heading, or a short numbered title without punctuation."""
    stripped = strip_markup(text).strip()
    if stripped.startswith("#"):
        return True
    if len(stripped) > MAX_HEADING_CHARS or _PROSE_RE.search(stripped):
        return False
    return bool(_HEADING_RE.match(stripped))


def heading_text(text: str) -> str:
    """A heading as recorded in ``section``: markup, "#" and wrap spaces removed."""
    return normalize_name(strip_markup(text).lstrip("#").strip()).rstrip("：: ")


def is_prose(line: Line) -> bool:
    """A narrative line: plain text (no table cells) with sentence punctuation."""
    if line.layout != "text" or line.is_blank or is_watermark(line.text):
        return False
    text = line.cells[0]
    return bool(_PROSE_RE.search(text)) and not _TOC_LEADER_RE.search(text)


def _strip_leading(text: str) -> str:
    """Remove ordinals, dates, issuer names and fillers from the start of a clause."""
    previous = None
    while text and text != previous:
        previous = text
        prefix, rest = split_ordinal(text)
        if prefix:
            text = rest
        text = _DATE_RE.sub("", text)
        match = _ISSUER_RE.match(text)
        if match and match.end() < len(text):
            text = text[match.end() :]
        for filler in LEADING_FILLERS:
            if text.startswith(filler) and len(text) > len(filler):
                text = text[len(filler) :]
                break
        text = text.strip(" ，,：:")
    return text


def noun_before(clause: str) -> str:
    """The metric noun of a base figure from the clause text before the number."""
    text = re.sub(r"\s+", "", clause)
    quoted = _SUBJECT_CODE_RE.match(_strip_leading(text))
    if quoted:
        return normalize_name(quoted.group(1))
    text = _QUOTES_RE.sub("", text)
    text = _strip_leading(text)
    text = text.rstrip("的")
    if "的" in text:
        text = text.rsplit("的", 1)[1]
    for filler in TRAILING_FILLERS:
        if text.endswith(filler) and len(text) > len(filler):
            text = text[: -len(filler)]
            break
    return normalize_name(text)


def noun_after(text: str) -> str:
    """The noun right after a count ("19个二级预算单位的预算组成" -> "二级预算单位")."""
    match = re.match(r"[\u4e00-\u9fff（）()]+", text)
    if not match:
        return ""
    return normalize_name(_NOUN_STOP_RE.split(match.group(0), 1)[0])


def enumerated_names(before: str) -> list[str]:
    """The names listed right before "等<count>" in a sentence, in order ([] when none).

    ``before`` is the sentence text up to the number: "…预算由阳泉市教育局本级、阳泉市第一中学校、
    …、阳泉市文化艺术学校等" -> ["阳泉市教育局本级", "阳泉市第一中学校", …, "阳泉市文化艺术学校"].
    A single name is no enumeration; "、" inside brackets does not split.
    """
    text = re.sub(r"\s+", "", before)
    if not text.endswith(_ENUMERATION_END):
        return []
    text = text[: -len(_ENUMERATION_END)]
    text = re.split(r"[，,；;。]", text)[-1]
    text = _ENUMERATION_OPENER_RE.sub("", text)
    names: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(depth - 1, 0)
        if char == "、" and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    names = [normalize_name(_QUOTES_RE.sub("", name)) for name in names]
    if len(names) < 2 or any(not name for name in names):
        return []
    return names


def change_relation(clause: str) -> tuple[str, str] | None:
    """("比上年" or "比<X>" or "", direction) when the clause states a change."""
    text = re.sub(r"\s+", "", clause)
    match = _COMPARE_RE.search(text)
    if match:
        against = _QUOTES_RE.sub("", match.group(1))
        direction = "增加" if match.group(2) in INCREASE_WORDS else "减少"
        if not against or re.search(r"\d{4}年|上年|去年|上一年", against):
            return "比上年", direction
        return f"比{normalize_name(against)}", direction
    for word in INCREASE_WORDS + DECREASE_WORDS:
        if text.endswith(word) or text.startswith(word):
            return "", "增加" if word in INCREASE_WORDS else "减少"
    return None


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(start offset, sentence) pairs, sentences ending at 。；！？ (the delimiter kept)."""
    out = []
    start = 0
    for index, char in enumerate(text):
        if char in SENTENCE_DELIMITERS:
            out.append((start, text[start : index + 1]))
            start = index + 1
    if start < len(text):
        out.append((start, text[start:]))
    return out


# --- extraction -----------------------------------------------------------------------------
@dataclass
class _Base:
    """A base (non-relative) figure already seen: the subject of later relative figures."""

    metric: str  # "二级项目数"
    label: str  # the metric without the count suffix, to qualify later figures: "二级项目"
    unit: str
    before_qizhong: bool  # printed before a "其中" of the same sentence


def _excluded_lines(lines: list[Line], doc: DocumentExtraction) -> set[int]:
    """Line numbers inside the table of contents or inside tables other extractors read."""
    excluded: set[int] = set()
    for table in doc.tables:
        excluded.update(range(table.first_line, table.last_line + 1))
    for table in doc.performance_tables:
        excluded.update(range(table.first_line, table.last_line + 1))
    in_toc = False
    for line in lines:
        text = re.sub(r"\s+", "", strip_markup(line.joined)).lstrip("#")
        if text in ("目录", "目次"):
            in_toc = True
        elif in_toc and (is_prose(line) or line.text.lstrip().startswith("#")):
            # The table of contents ends at the first real heading or paragraph.
            in_toc = False
        if in_toc:
            excluded.add(line.number)
    return excluded


# A PDF line that ends without one of these continues its sentence on the next line.
PARAGRAPH_END = "。！？!?"
_PAGE_NUMBER_RE = re.compile(r"^[\s\-—－]*(?:\d{1,4}|第\s*\d{1,4}\s*页)[\s\-—－]*$")


def _paragraphs(lines: list[Line], excluded: set[int]) -> list[tuple[Line, str, str | None]]:
    """Prose paragraphs as (first line, text, section heading).

    A text dump prints a paragraph on one line. A PDF wraps it over several visual lines, and a
    sentence often breaks mid-clause ("…占10.15%；公务用车购置及运行费支出决" / "算40.61万元，
    …"): a PDF line that does not end its sentence is continued by the next text line, unless
    that line is a heading or starts an enumerated item ("（一）", "1."), so that a paragraph is
    read as one line, as in a text dump; its figures cite the paragraph's first line.
    """
    out: list[tuple[Line, str, str | None]] = []
    section: str | None = None
    open_paragraph = False
    for line in lines:
        if line.number in excluded or line.layout != "text" or line.is_blank:
            open_paragraph = False
            continue
        if is_heading(line.text):
            section = heading_text(line.text)
            open_paragraph = False
            continue
        text = line.cells[0]
        if open_paragraph and _PAGE_NUMBER_RE.match(text):
            continue  # "- 4 -" printed between the two halves of a sentence at a page break
        pdf = line.page_number is not None
        if open_paragraph and out and not split_ordinal(text.strip())[0]:
            first, joined, heading = out[-1]
            out[-1] = (first, joined + text.strip(), heading)
        elif is_prose(line) or (pdf and not is_watermark(text)):
            out.append((line, text, section))
        else:
            open_paragraph = False
            continue
        open_paragraph = pdf and not text.rstrip().endswith(tuple(PARAGRAPH_END))
    return [(line, text, heading) for line, text, heading in out if _PROSE_RE.search(text)]


def extract(lines: list[Line], file_name: str, doc: DocumentExtraction) -> None:
    """Append a NarrativeFigure for every figure stated in the prose of the document."""
    excluded = _excluded_lines(lines, doc)
    for line, text, section in _paragraphs(lines, excluded):
        for figure, names in _line_figures(text, line.number, section):
            figure.figure_ordinal = len(doc.narrative_figures) + 1
            doc.narrative_figures.append(figure)
            doc.narrative_list_items.extend(
                NarrativeListItem(
                    figure_ordinal=figure.figure_ordinal,
                    source_line=line.number,
                    item_ordinal=position,
                    name=name,
                )
                for position, name in enumerate(names, start=1)
            )


def figures_in_line(text: str, line_number: int, section: str | None) -> list[NarrativeFigure]:
    """All figures of one prose line, in reading order (figure_ordinal left 0)."""
    return [figure for figure, _ in _line_figures(text, line_number, section)]


def _line_figures(
    text: str, line_number: int, section: str | None
) -> list[tuple[NarrativeFigure, list[str]]]:
    """Each figure of a line with the names enumerated before it when it counts them."""
    figures: list[tuple[NarrativeFigure, list[str]]] = []
    line_base: _Base | None = None
    for _, sentence in split_sentences(text):
        bases: list[_Base] = []
        qizhong_at = sentence.find("其中")
        last_end = 0
        for match in _FIGURE_RE.finditer(sentence):
            number, _, unit = match.groups()
            before = sentence[last_end : match.start()]
            after = sentence[match.end() :]
            if unit in COUNT_UNITS and after.startswith("月"):
                continue  # "5个月" is a duration, not a count
            last_end = match.end()
            clause = re.split(f"[{re.escape(CLAUSE_DELIMITERS)}]", before)[-1]
            value = Decimal(number.replace(",", ""))
            metric, base = _metric(clause, after, unit, bases, line_base, qizhong_at, match.start())
            if base is not None:
                bases.append(base)
                line_base = base
            names = enumerated_names(sentence[: match.start()]) if unit in COUNT_UNITS else []
            figures.append(
                (
                    NarrativeFigure(
                        figure_ordinal=0,
                        source_line=line_number,
                        section=section,
                        metric=metric,
                        value=value,
                        unit=unit,
                        amount_yuan=(
                            (value * UNIT_FACTORS[unit]).quantize(Decimal("0.01"))
                            if unit in MONEY_UNITS
                            else None
                        ),
                        sentence=normalize_name(sentence.strip()),
                    ),
                    names,
                )
            )
    return figures


def _subject(
    bases: list[_Base], line_base: _Base | None, qizhong_at: int, position: int, change: bool
) -> _Base | None:
    if change and qizhong_at >= 0 and qizhong_at < position:
        heads = [b for b in bases if b.before_qizhong]
        if heads:
            return heads[-1]
    if bases:
        return bases[-1]
    return line_base


def _metric(
    clause: str,
    after: str,
    unit: str,
    bases: list[_Base],
    line_base: _Base | None,
    qizhong_at: int,
    position: int,
) -> tuple[str, _Base | None]:
    """(metric, base record or None when the figure is relative to another)."""
    compact = re.sub(r"\s+", "", clause)
    change = change_relation(compact)
    if unit == "%":
        if compact.startswith("占"):
            rest = noun_before(compact[1:]) if len(compact) > 1 else ""
            relation = f"占{rest}比重" if rest else "占比"
            return _qualified(relation, _subject(bases, line_base, qizhong_at, position, False))
        if change is not None:
            relation = "增长率" if change[1] == "增加" else "下降率"
            return _qualified(relation, _subject(bases, line_base, qizhong_at, position, True))
    elif change is not None:
        relation = f"{change[0]}{change[1]}"
        return _qualified(relation, _subject(bases, line_base, qizhong_at, position, True))

    noun = noun_before(compact)
    if unit in COUNT_UNITS:
        # The counted noun may follow the number: "等19个二级预算单位" (001 line 79),
        # "16000多名教师" (004 line 30). It wins when printed; "二级项目222个，" has none.
        noun = noun_after(after) or noun
    if not noun:
        noun = "未命名"  # a bare number in prose; the sentence still says what it is
    relative = compact.startswith(RELATIVE_OPENERS) or len(noun) <= SHORT_NOUN
    subject = _subject(bases, line_base, qizhong_at, position, False) if relative else None
    if subject is not None and unit in COUNT_UNITS and subject.unit != unit:
        subject = None  # "实有12辆" is qualified by a vehicle count, never by an amount
    label = f"{subject.label} / {noun}" if subject is not None else noun
    metric = f"{label}数" if unit in COUNT_UNITS and not noun.endswith("数") else label
    return metric, _Base(metric, label, unit, qizhong_at < 0 or position < qizhong_at)


def _qualified(relation: str, subject: _Base | None) -> tuple[str, None]:
    return (f"{subject.metric} / {relation}" if subject else relation), None
