"""The PDF source layer: pages read upright into lines and table rows, with page and box.

Expected values are read from the printed pages of the dev PDFs in tests/fixtures/pdf/dev/
(see tests/fixtures/pdf/README.md for their origin).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from orchestration.extract.source import Source, read_source
from orchestration.extract.source.pdf import READER, _unruled_tables, _Word, nfkc

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "dev"
YANTAI = DEV / "yantai-big-data-bureau-2026-department-budget.pdf"
JIANGSU_2019 = DEV / "jiangsu-party-committee-office-2019-department-budget-tables.pdf"


@cache
def source(path: Path) -> Source:
    return read_source(path.read_bytes(), path.name)


def test_rotated_landscape_page_reads_upright_in_reading_order():
    """Yantai p. 7 (printed "—6—", /Rotate 90): 收入总体情况表, its unit, then the rows."""
    lines = [line for line in source(YANTAI).lines if line.page_number == 7]
    texts = [line.text for line in lines]
    assert texts[:3] == ["公开表2", "收入总体情况表", "部门（单位）：烟台市大数据局 单位：万元"]
    rows = [line.cells for line in lines if line.layout == "tsv"]
    # the wrapped header "一般公共预算收入" (two printed lines) is one cell
    assert "一般公共预算收入" in rows[1]
    assert rows[2][3:7] == ("合 计", "7,503.31", "7,503.31", "7,503.31")
    # a 项 row keeps its blank 类 and 款 cells; the wrapped name is one name
    assert rows[9][:6] == ("", "", "05", "机关事业单位基本养老保险缴费支出", "129.26", "129.26")
    # the page number "—6—" is not a line
    assert not any("6" == text.strip("—- ") for text in texts)


def test_rotated_page_two_sided_table_keeps_blank_cells():
    """Jiangsu 2019 p. 1 (/Rotate 90): 收支预算总表, 收入 | 功能分类 | 支出用途 side by side."""
    lines = [line for line in source(JIANGSU_2019).lines if line.page_number == 1]
    assert lines[0].text == "收支预算总表"
    rows = [line.cells for line in lines if line.layout == "tsv"]
    assert (
        "一、财政拨款",
        "27,664.22",
        "一、一般公共服务支出",
        "22,395.50",
        "一、基本支出",
        "11,700.63",
    ) in rows
    assert ("1.一般公共预算", "27,664.22", "二、外交支出", "", "二、项目支出", "13,025.38") in rows


def test_lines_are_numbered_in_reading_order_with_page_and_box():
    src = source(JIANGSU_2019)
    assert src.reader == READER and src.page_count == 12 and src.encoding is None
    assert [line.number for line in src.lines] == list(range(1, len(src.lines) + 1))
    pages = [line.page_number for line in src.lines]
    assert pages == sorted(pages) and set(pages) == set(range(1, 13))
    assert [layout.source_line for layout in src.layout_lines] == [n.number for n in src.lines]
    for layout in src.layout_lines:
        assert layout.page_width == 1191 or layout.page_height == 1191  # A3 upright
        assert 0 <= layout.x0 < layout.x1 <= layout.page_width
        assert 0 <= layout.top < layout.bottom <= layout.page_height
    # every cell of every table row has a box, blank cells included
    cells = {(c.source_line, c.cell_index) for c in src.layout_cells}
    for line in src.lines:
        if line.layout == "tsv":
            assert {(line.number, i) for i in range(len(line.cells))} <= cells


def test_nfkc_folds_kangxi_radicals_and_keeps_chinese_punctuation():
    assert nfkc("⼀般公共预算⽀出") == "一般公共预算支出"
    assert nfkc("１２３．４５\u3000万元") == "123.45 万元"
    assert nfkc("（一）单位：万元，") == "（一）单位：万元，"


def test_text_dump_lines_have_no_page():
    src = read_source("单位：万元\n合计\t1.00\n".encode(), "a.txt")
    assert src.encoding == "utf-8" and src.page_count is None
    assert [line.page_number for line in src.lines] == [None, None, None]
    assert [(row.source_line, row.page_number, row.x0) for row in src.layout_lines] == [
        (1, None, None),
        (2, None, None),
        (3, None, None),
    ]


def _words(*rows: tuple[float, list[tuple[float, str]]]) -> list[list[_Word]]:
    """Visual lines of 10-point words: (top, [(x0, text), ...]); a Chinese character is 10 points
    wide, a digit or comma 5."""

    def width(text: str) -> float:
        return sum(10 if ord(ch) > 0x2E80 else 5 for ch in text)

    return [
        [_Word(text, x0, top, x0 + width(text), top + 10) for x0, text in words]
        for top, words in rows
    ]


def test_table_without_ruling_is_read_from_column_gaps():
    """Three or more consecutive lines whose words fall into the same gapped columns are rows;
    a blank amount stays a blank cell; a single line of prose stays a text line."""
    lines = _words(
        (10, [(50, "本表反映部门收入情况。")]),
        (30, [(50, "项目"), (250, "合计"), (350, "基本支出")]),
        (45, [(50, "一般公共服务支出"), (250, "16,992.37"), (350, "9,964.07")]),
        (60, [(50, "住房保障支出"), (250, "1,856.69")]),
        (75, [(50, "合计"), (250, "20,849.45"), (350, "9,964.07")]),
    )
    items = _unruled_tables(lines)
    assert [item.is_table for item in items] == [False, True, True, True, True]
    assert items[0].cells == ["本表反映部门收入情况。"]
    assert items[1].cells == ["项目", "合计", "基本支出"]
    assert items[3].cells == ["住房保障支出", "1,856.69", ""]
    assert items[4].cells == ["合计", "20,849.45", "9,964.07"]


def test_two_gapped_lines_are_not_a_table():
    lines = _words(
        (10, [(50, "部门：某单位"), (400, "单位：万元")]),
        (30, [(50, "第一部分"), (400, "概况")]),
    )
    assert [item.is_table for item in _unruled_tables(lines)] == [False, False]
