"""The 目录 (table of contents) of a document: the statement tables it says it publishes.

A document that prints a 目录 lists its tables there ("表一2025年预算收支总表<TAB>2" with a page
number; "- 1. 2020年单位财务收支预算总表" as a markdown list item). Each entry whose text is a
statement-table title (classified with the statement extractor's title vocabulary) becomes a
:class:`~orchestration.extract.records.ContentsEntry`; the warehouse compares them with the
tables actually found (rule family ``completeness``), so a document cut short, or a table the
reader missed, shows as a review reason naming the listed table and its 目录 line.

The 目录 is the first line reading 目录 / 目 录 within the first ``CONTENTS_SEARCH_LINES``
lines; it runs over the lines that look like entries (a trailing page number, dotted leaders,
or a list item) and blank lines, and ends at the first other line after an entry.
"""

from __future__ import annotations

import re

from orchestration.extract import titles
from orchestration.extract.records import ContentsEntry, DocumentExtraction
from orchestration.extract.text import Line, normalize_name, split_ordinal, strip_markup

CONTENTS_SEARCH_LINES = 200
# Lines of a 目录 at most (a longer run is not a table of contents).
CONTENTS_MAX_LINES = 150
_CONTENTS_HEADING_RE = re.compile(r"^[#\s]*目\s*录\s*$")
_PAGE_RE = re.compile(r"^\d{1,4}$")
_LEADER_RE = re.compile(r"(?:\.{2,}|…+|·{2,})\s*(?P<page>\d{1,4})?\s*$")
_LIST_ITEM_RE = re.compile(r"^\s*[-*+]\s+")


def _entry(line: Line) -> tuple[str, str | None] | None:
    """(entry text, printed page) when the line looks like a 目录 entry, else None."""
    cells = [strip_markup(cell).strip() for cell in line.cells if cell.strip()]
    if not cells:
        return None
    page = None
    if len(cells) >= 2 and _PAGE_RE.match(cells[-1]):
        page = cells[-1]
        cells = cells[:-1]
    text = " ".join(cells)
    leader = _LEADER_RE.search(text)
    if leader:
        page = page or leader.group("page")
        text = text[: leader.start()]
    is_list_item = bool(_LIST_ITEM_RE.match(text))
    if page is None and leader is None and not is_list_item:
        return None
    return _LIST_ITEM_RE.sub("", text).strip(), page


def statement_type_of_entry(text: str) -> tuple[str | None, str]:
    """(statement type, title) of an entry: its ordinal and label removed, None when no table."""
    title = split_ordinal(normalize_name(text))[1]
    title = titles._split_label(title)[1]  # "表一2025年预算收支总表" -> "2025年预算收支总表"
    kind = titles.classify_title(title)
    if kind is None or kind in titles.BOUNDARY_KINDS:
        return None, title
    return kind, title


def extract(lines: list[Line], file_name: str, doc: DocumentExtraction) -> None:
    """Append the statement tables listed in the document's 目录 to ``doc.contents_entries``."""
    del file_name  # entries are located by line
    start = next(
        (
            index
            for index, line in enumerate(lines[:CONTENTS_SEARCH_LINES])
            if _CONTENTS_HEADING_RE.match(strip_markup(line.joined))
        ),
        None,
    )
    if start is None:
        return
    seen_entry = False
    ordinal = 0
    for line in lines[start + 1 : start + 1 + CONTENTS_MAX_LINES]:
        if line.is_blank:
            continue
        entry = _entry(line)
        if entry is None:
            if seen_entry:
                break
            continue
        seen_entry = True
        text, page = entry
        kind, title = statement_type_of_entry(text)
        if kind is None:
            continue
        ordinal += 1
        doc.contents_entries.append(
            ContentsEntry(
                entry_ordinal=ordinal,
                source_line=line.number,
                entry_text=text,
                title=title,
                statement_type=kind,
                page_printed=page,
            )
        )
