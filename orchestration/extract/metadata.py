"""Document metadata read from the document itself: title, issuing body, fiscal year, kind, scope.

File names are not evidence (crawlers name files after the wrong body or year), so everything here
comes from the printed text: the cover title, the "部门名称：…" style labels printed above the
statement tables, and the years printed in the title. Region and government level are derived from
the issuing body in dbt (``int_documents``), against the 行政区划 seed.

Plain Python, deterministic; the wording is module constants.
"""

from __future__ import annotations

import re
from collections import Counter

from orchestration.extract.records import DocumentExtraction, DocumentMeta
from orchestration.extract.text import Line, find_unit, normalize_name

HEAD_LINES = 80  # non-blank lines searched for the title and the fiscal year
ISSUER_LABEL_LINES = 400  # lines searched for an issuer label before the title is used
COVER_MIN_CHARS = 6  # "预算" alone on a line (a form label, 003 line 9) is no title

_YEAR_RE = re.compile(r"(20\d{2})\s*年")
_BUDGET_YEAR_RE = re.compile(r"预算年度\s*[:：]\s*(20\d{2})")
_HEADING_YEAR_RE = re.compile(
    r"^[（(]?(20\d{2})年度?(?:[）)]$|.{0,30}(?:预算|决算)[^，。；]{0,20}表$)"
)
_YEAR_ONLY_RE = re.compile(r"^(20\d{2})\s*年度?$")
# Document kinds by title wording, most specific first.
DOCUMENT_KINDS: tuple[tuple[str, str], ...] = (
    ("绩效目标批复", "绩效目标批复"),
    ("绩效目标", "绩效目标"),
    ("决算", "决算"),
    ("预算", "预算"),
)
# Scope wording of a title ("区级单位预算" is a 单位预算; "部门综合预算" a 部门预算).
_SCOPE_RE = re.compile(r"(部门|单位)(?:综合|汇总)?(预算|决算)")
# The issuer label printed above statement tables or on a cover: "部门名称：…", "预算单位：…",
# "部门（单位）：…", "部门：…". The label starts the line (a sentence such as "下设一个预算单位，…"
# is not a label); a unit declaration run together with the name ("… 单位：万元") ends it.
_ISSUER_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,6}表\s*\d*\s*)?"
    r"(?:部门名称|预算单位名称|预算单位|单位名称|编制单位|填报单位|部门\s*[（(]单位[）)]|部门"
    r"|预算\s*[（(]单位[）)]\s*名称)\s*[:：]\s*(?P<name>.+?)"
    r"\s*(?:(?:金额)?单位\s*[:：].*)?$"
)
_LABEL_CELL_RE = re.compile(r"^(?:部门名称|预算单位名称|单位名称|部门[（(]单位[）)]名称)[:：]?$")
# "(汇总)" / "(本级)" after a name says what the figures cover, not who issued them.
_CONSOLIDATION_RE = re.compile(r"[（(](?:汇总|本级|合并)[）)]$")
# What a title adds around the issuing body: the year, the kind, and publication wording.
_TITLE_YEAR_RE = re.compile(r"20\d{2}\s*年度?")
_TITLE_TAIL_RE = re.compile(
    r"(?:(?:市级|区级|县级|省级)?(?:部门|单位)?(?:综合|汇总)?(?:预算|决算)"
    r"(?:公开|信息公开|情况说明|说明)?(?:表格|报表|公开表格)?)+$"
)
_TITLE_NOISE_RE = re.compile(r"^[\d\s.、]*|[（(](?:汇总|本级)[）)]$")
# A unit declaration printed on the same line as a title or an issuer label ("… 单位：万元").
_UNIT_DECLARATION_RE = re.compile(r"[（(]?(?:金额)?单位[:：](?:亿元|万元|元)[）)]?")
# Page furniture run into an issuer label by a PDF's text layer: "第1页", "第1页共3页", "-3-",
# and a year printed at the right of the label line ("部门名称：… 2026年 单位：万元").
_NAME_FURNITURE_RE = re.compile(r"(?:第\d+页(?:共\d+页)?|[-—－]\d{1,4}[-—－]|20\d{2}年度?)$")


def compact(text: str) -> str:
    """A printed heading with every space removed (PDF text spaces out "2026 年度")."""
    return re.sub(r"\s+", "", normalize_name(text.lstrip("#")))


def find_title(lines: list[Line]) -> str | None:
    """The document's title: the first heading of the first page that names a budget, final
    account or performance target. A statement title ("预算01表 收支总表") is passed over for a
    cover title when one follows; a year printed on its own line above the title joins it
    ("2026年" / "某市…部门预算")."""
    head = [line for line in lines if not line.is_blank][:HEAD_LINES]
    candidates: list[str] = []
    previous = ""
    for line in head:
        cells = [
            cell
            for cell in line.cells
            if cell and not _UNIT_DECLARATION_RE.fullmatch(compact(cell))
        ]
        text = _UNIT_DECLARATION_RE.sub("", compact(" ".join(cells)))
        if len(cells) > 1:  # a table row is no title
            previous = ""
            continue
        if ("预算" in text or "决算" in text or "绩效" in text) and len(text) <= 60:
            if not _YEAR_RE.search(text) and _YEAR_ONLY_RE.match(previous):
                text = previous + text
            candidates.append(text)
        previous = text
    if not candidates:
        return None
    # A cover title ends in the kind of disclosure ("…2026年度部门预算", "…部门决算公开"): not a
    # table title (…表), a label line (预算年度：2023) or a form label ("预算" alone, 003 line 9).
    covers = [
        text
        for text in candidates
        if len(text) >= COVER_MIN_CHARS
        and "：" not in text
        and _TITLE_TAIL_RE.search(_TITLE_YEAR_RE.sub("", text))
    ]
    return covers[0] if covers else candidates[0]


def issuer_from_label(lines: list[Line]) -> str | None:
    """The issuing body from a "部门名称：…" style label, or a form row whose first cell is the
    label and whose second the name ("部门名称 | 北京…", a 整体绩效目标表 header)."""
    for line in lines:
        # a unit printed in a cell of its own beside the label ("部门名称：… | 单位：万元")
        cells = [
            cell
            for cell in line.cells
            if cell.strip() and not _UNIT_DECLARATION_RE.fullmatch(compact(cell))
        ]
        if len(cells) == 2 and _LABEL_CELL_RE.match(compact(cells[0])):
            text = compact(cells[0]) + "：" + compact(cells[1])
        elif len(cells) == 1:
            text = compact(cells[0])
        else:
            continue
        match = _ISSUER_RE.match(text)
        if match:
            name = _strip_furniture(match.group("name").strip())
            name = _CONSOLIDATION_RE.sub("", name)
            if name and not find_unit(name):
                return name
    return None


def _strip_furniture(name: str) -> str:
    """An issuer name without the page furniture a text layer ran into it."""
    while (stripped := _NAME_FURNITURE_RE.sub("", name)) != name:
        name = stripped
    return name


def scope_from_label(lines: list[Line]) -> str | None:
    """部门预算 or 单位预算 from the first issuer label: "部门：…" / "部门名称：…" name a
    department, "预算单位：…" / "单位名称：…" a unit; "部门（单位）", "编制单位" and "填报单位"
    say neither."""
    for line in lines:
        cells = [cell for cell in line.cells if cell.strip()]
        if len(cells) != 1 or not _ISSUER_RE.match(compact(cells[0])):
            continue
        label = re.split(r"[:：]", compact(cells[0]), maxsplit=1)[0]
        label = re.sub(r"^[\u4e00-\u9fff]{0,6}表\s*\d*", "", label)
        if re.fullmatch(r"部门(?:名称)?", label):
            return "部门预算"
        if re.fullmatch(r"(?:预算单位(?:名称)?|单位名称)", label):
            return "单位预算"
        return None
    return None


def issuer_from_title(title: str | None) -> str | None:
    """The issuing body named by a cover title: "2026年某某市教育局部门预算" → the body.

    Returns None when nothing but the year and the kind remains (a title such as
    "2025年度部门预算公开").
    """
    if not title:
        return None
    body = _TITLE_YEAR_RE.sub("", compact(title))
    body = _CONSOLIDATION_RE.sub("", body)  # "…部门预算（汇总）"
    if not _TITLE_TAIL_RE.search(body):
        return None  # not a cover title ("…绩效目标批复表" names a table, not its issuer)
    body = _TITLE_TAIL_RE.sub("", body)
    body = _TITLE_NOISE_RE.sub("", body)
    body = re.sub(r"(?:部门|单位)$", "", body)
    if len(body) < 2 or not re.search(r"[\u4e00-\u9fff]{2}", body):
        return None
    return body


def fiscal_year(lines: list[Line]) -> int | None:
    """The first year printed in the head of the document (预算年度：2025 wins on its line);
    for a tables-only file whose head prints none, the first year in a heading further on
    ("2019年政府采购预算表", "（2026年度）")."""
    for line in [line for line in lines if not line.is_blank][:HEAD_LINES]:
        text = compact(line.joined)
        match = _BUDGET_YEAR_RE.search(text) or _YEAR_RE.search(text)
        if match:
            return int(match.group(1))
    for line in lines:
        if sum(1 for cell in line.cells if cell) != 1:
            continue
        match = _HEADING_YEAR_RE.match(compact(line.joined))
        if match:
            return int(match.group(1))
    return None


def infer_meta(lines: list[Line], doc: DocumentExtraction) -> DocumentMeta:
    """Title, issuing body, fiscal year, kind, scope and printed units of a document."""
    title = find_title(lines)
    issuer = (
        issuer_from_label(lines[:ISSUER_LABEL_LINES])
        or issuer_from_title(title)
        or issuer_from_label(lines)
    )
    if issuer is None and doc.performance_tables:
        issuer = doc.performance_tables[0].department_name
    kind = next((k for word, k in DOCUMENT_KINDS if title and word in title), None)
    scope_match = _SCOPE_RE.search(title or "")
    scope = scope_match.group(1) + scope_match.group(2) if scope_match else None
    if scope is None and kind == "决算":
        # "2023年度决算" titled without its scope: the text says whose ("本部门决算包括…")
        body = "".join(compact(line.joined) for line in lines[:ISSUER_LABEL_LINES])
        found = [(body.find(s), s) for s in ("部门决算", "单位决算") if s in body]
        scope = min(found)[1] if found else None
    if scope is None and kind == "预算":
        # a tables-only file without a cover title: the label above its tables says whose
        scope = scope_from_label(lines[:ISSUER_LABEL_LINES])
    units = Counter(u for line in lines if (u := find_unit(line.text)))
    return DocumentMeta(
        title=title,
        issuing_body=issuer,
        fiscal_year=fiscal_year(lines),
        document_kind=kind,
        scope=scope,
        units_printed=[unit for unit, _ in units.most_common()],
    )
