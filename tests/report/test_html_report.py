"""The HTML report: sections in review order, findings with both figures, crops with the figures
boxed where pdfplumber measures them, cited lines of text documents, the annotated PDF."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import duckdb
import pdfplumber
import pytest
from PIL import Image

from orchestration import html_report
from tests.report import sample_warehouse as sample

SCALE = html_report.RENDER_SCALE


@pytest.fixture
def built(tmp_path: Path):
    database, raw = sample.build(tmp_path)
    conn = duckdb.connect(str(database), read_only=True)
    out = tmp_path / "report.html"
    docs = html_report.build(conn, out, raw, tmp_path / "annotated")
    conn.close()
    return out, docs, raw, tmp_path


def _sections(page: str) -> list[str]:
    return re.findall(r'<section id="doc-[0-9a-f]+" data-document="([^"]+)"', page)


def _images(block: str) -> list[Image.Image]:
    return [
        Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
        for data in re.findall(r'src="data:image/png;base64,([^"]+)"', block)
    ]


def _finding_block(page: str, rule_id: str, instance: str) -> str:
    start = page.index(f'data-rule="{rule_id}" data-instance="{instance}"')
    return page[start : page.index('<p class="todo">', start)]


def _colour_bbox(image: Image.Image, colour: tuple[int, int, int]) -> tuple[int, int, int, int]:
    """Bounding box of the pixels of exactly this colour (the drawn box outline)."""
    mask = Image.new("1", image.size)
    pixels, out = image.load(), mask.load()
    for y in range(image.height):
        for x in range(image.width):
            if pixels[x, y] == colour:
                out[x, y] = 1
    box = mask.getbbox()
    assert box is not None, f"no {colour} box drawn"
    return box


def _dark_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    inner = image.crop((box[0] + 4, box[1] + 4, box[2] - 4, box[3] - 4)).convert("L")
    return sum(inner.histogram()[:100])


def test_documents_come_in_the_order_a_person_needs_them(built) -> None:
    out, _, _, _ = built
    page = out.read_text("utf-8")
    # quarantined first, then needs review, then an open source discrepancy, then clean
    assert _sections(page) == [
        sample.FAILED_NAME,
        sample.PDF_NAME,
        sample.TEXT_NAME,
        sample.CLEAN_NAME,
    ]


def test_a_failed_document_says_where_and_what_to_do(built) -> None:
    page = built[0].read_text("utf-8")
    section = page[page.index(f'data-document="{sample.FAILED_NAME}"') :]
    section = section[: section.index("</section>")]
    assert "extraction failed (line 2): file is truncated" in section
    assert "fix or replace it in the raw directory" in section
    assert "report a bug" in section


def test_every_finding_has_both_figures_the_difference_and_the_rule(built) -> None:
    page = built[0].read_text("utf-8")
    block = _finding_block(page, "within.total_equals_top_level_rows", "T1 L3 合计")
    assert 'data-role="expected">1,234.56 元' in block
    assert 'data-role="actual">1,230.00 元' in block
    assert 'data-role="difference">4.56 元' in block
    # the rule in words, from the catalogue (description, and lhs = rhs from the seed)
    assert "(total row = top-level rows it closes)" in block
    text_block = _finding_block(page, "within.total_equals_top_level_rows", "T1 L2 收入总计")
    assert 'data-role="expected">1,500.00 元' in text_block
    assert 'data-role="difference">1.00 元' in text_block
    # an exact check is not a finding
    assert 'data-rule="within.parent_equals_children"' not in page
    # every finding says what the reader can do, naming the acknowledgement seed
    assert page.count('<p class="todo"><b>What you can do:</b>') == 4 + 1  # + the failed doc
    assert page.count("dbt_project/seeds/acknowledged_discrepancies.csv") == 4


def test_completeness_and_families_are_shown(built) -> None:
    page = built[0].read_text("utf-8")
    section = page[page.index(f'data-document="{sample.PDF_NAME}"') :]
    section = section[: section.index("</section>")]
    assert "Tables found (1):</b> T1 2024年部门收支总表" in section
    assert "completeness.statement_present 收入总表</td><td>fail" in section
    assert "completeness.statement_present 收支总表</td><td>exact" in section
    assert "unacknowledged error count: 1" in section
    assert re.search(r"<td>within_table</td>(<td class=\"n\">\d+</td>){4}", section)


def test_pdf_crop_boxes_both_figures_where_they_are_printed(built) -> None:
    page = built[0].read_text("utf-8")
    block = _finding_block(page, "within.total_equals_top_level_rows", "T1 L3 合计")
    images = _images(block)
    assert len(images) == 1  # both figures on page 1: one crop
    assert 'data-page="1"' in block
    image = images[0]
    words = sample.pdf_word_boxes(built[2] / sample.PDF_NAME)
    red = _colour_bbox(image, html_report.EXPECTED_COLOUR)
    blue = _colour_bbox(image, html_report.ACTUAL_COLOUR)
    printed, against = words[(1, "1,234.56")], words[(1, "1,230.00")]
    # the crop is the full page width: x in pixels is x in points × the scale
    assert abs(red[0] - printed[0] * SCALE) < 6 and abs(red[2] - printed[2] * SCALE) < 6
    assert abs(blue[0] - against[0] * SCALE) < 6 and abs(blue[2] - against[2] * SCALE) < 6
    # one above the other as on the page (200 pt apart)
    assert abs((blue[1] - red[1]) - (against[1] - printed[1]) * SCALE) < 3
    # each box holds the rendered figure's ink
    assert _dark_pixels(image, red) > 30 and _dark_pixels(image, blue) > 30
    # the crop is a band around the figures, not the whole page
    assert image.height < (sample.PAGE_HEIGHT * SCALE) / 2


def test_figures_on_two_pages_give_two_crops_and_a_line_box_fallback(built) -> None:
    page = built[0].read_text("utf-8")
    block = _finding_block(page, "narrative.figure_restates_table", "L8 #1")
    images = _images(block)
    assert re.findall(r'data-page="(\d)"', block) == ["1", "2"]
    _colour_bbox(images[0], html_report.EXPECTED_COLOUR)
    # page 2: line 8's figure has no cell row, so the whole line is boxed (from "Other")
    blue = _colour_bbox(images[1], html_report.ACTUAL_COLOUR)
    words = sample.pdf_word_boxes(built[2] / sample.PDF_NAME)
    assert abs(blue[0] - words[(2, "Other")][0] * SCALE) < 6
    assert abs(blue[2] - words[(2, "99.00")][2] * SCALE) < 6
    views = {d.file_name: d for d in built[1]}
    finding = next(f for f in views[sample.PDF_NAME].findings if f.instance == "L8 #1")
    assert [(b.page_number, b.matched_cell) for b in finding.evidence.boxes] == [
        (1, True),
        (2, False),
    ]


def test_text_documents_show_the_cited_lines_with_the_figures_marked(built) -> None:
    page = built[0].read_text("utf-8")
    block = _finding_block(page, "within.total_equals_top_level_rows", "T1 L2 收入总计")
    assert _images(block) == []
    assert re.search(r'<span data-line="2">\s+2  收入总计\s+<mark class="expected">1,500.00', block)
    assert re.search(r'<span data-line="4">\s+4  支出总计\s+<mark class="actual">1,499.00', block)
    assert 'data-line="3"' not in block  # only the cited lines


def test_report_is_self_contained(built) -> None:
    page = built[0].read_text("utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<style>" in page and "<script" not in page


def test_annotated_pdf_boxes_the_figures_in_red(built) -> None:
    _, docs, raw, base = built
    annotated = base / "annotated" / sample.PDF_NAME
    assert annotated.is_file()
    words = sample.pdf_word_boxes(raw / sample.PDF_NAME)
    with pdfplumber.open(annotated) as pdf:
        first = pdf.pages[0].annots
        second = pdf.pages[1].annots
        assert pdf.pages[0].extract_text().startswith("Total income")  # text kept, not an image
    # page 1: 1,234.56 boxed by both findings, 1,230.00 by one; page 2: line 8
    assert len(first) == 3 and len(second) == 1
    for annot in first + second:
        assert annot["data"]["Subtype"].name == "Square"
        assert list(annot["data"]["C"]) == pytest.approx([220 / 255, 0, 0], abs=0.01)
    target = words[(1, "1,234.56")]
    around = [a for a in first if abs(a["x0"] - target[0]) < 5 and abs(a["top"] - target[1]) < 5]
    assert len(around) == 2
    assert all(a["x1"] >= target[2] and a["bottom"] >= target[3] for a in around)
    assert any("difference 4.56 元" in (a.get("contents") or "") for a in around)


def test_report_without_layout_tables_shows_the_lines_it_can(tmp_path: Path) -> None:
    database, raw = sample.build(tmp_path, with_layout=False)
    conn = duckdb.connect(str(database), read_only=True)
    try:
        docs = html_report.build(conn, tmp_path / "report.html", raw)
    finally:
        conn.close()
    page = (tmp_path / "report.html").read_text("utf-8")
    assert _sections(page)[1] == sample.PDF_NAME
    assert "no page position is recorded for these lines" in page
    assert "data:image/png" not in page
    assert sum(len(d.findings) for d in docs) == 4


def test_cited_figures_are_read_from_the_source_text() -> None:
    figures = html_report.cited_figures(
        "actual",
        "2025年项目支出预算表（本年预算） line 454 [高水平教育质量提升资金 / 合计] = 16.00",
        [454],
    )
    assert figures == [html_report.Figure("actual", 454, "高水平教育质量提升资金 / 合计", "16.00")]
    # a measure named between the row and "=" (minhang 2020, line 1160 of the sample)
    measure = html_report.cited_figures(
        "expected", "line 1160 [排练、观摩、歌曲创作等] 明细金额 = 221120.00", [1160]
    )
    assert [(f.line, f.label, f.printed) for f in measure] == [
        (1160, "排练、观摩、歌曲创作等 明细金额", "221120.00")
    ]
    # a sum over many rows cites its lines only
    bare = html_report.cited_figures("actual", "sum of 5 明细金额 rows, lines 1084–1089", [1, 2])
    assert [(f.line, f.printed) for f in bare] == [(1, None), (2, None)]


@pytest.mark.slow
def test_make_run_writes_the_report_of_the_samples(built_warehouse: Path) -> None:
    """`make run` writes report.html beside the warehouse: every failed check of the samples."""
    page = (built_warehouse.parent / "report.html").read_text("utf-8")
    conn = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        fails = conn.execute(
            "select rule_id, instance from marts.reconciliation_results where status = 'fail'"
        ).fetchall()
        files = [r[0] for r in conn.execute("select file_name from raw.documents").fetchall()]
    finally:
        conn.close()
    assert fails
    for rule_id, instance in fails:
        assert f'data-rule="{rule_id}" data-instance="{html_report._e(instance)}"' in page
    assert sorted(_sections(page)) == sorted(files)
    # 闵行 2020 line 1160 prints 明细金额 221120 against 单价 221220.00 × 数量 1.00
    block = _finding_block(
        page, "project.detail_amount_equals_price_times_quantity", "L1104 男童合唱团经费 / L1160"
    )
    assert '<span data-line="1160">' in block
    assert '<mark class="expected">221120</mark>' in block
    assert 'data-role="difference">-100.00 元' in block


def test_crops_are_capped_per_document(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(html_report, "MAX_CROPPED_FINDINGS", 1)
    database, raw = sample.build(tmp_path)
    conn = duckdb.connect(str(database), read_only=True)
    try:
        docs = html_report.build(conn, tmp_path / "report.html", raw)
    finally:
        conn.close()
    pdf = next(d for d in docs if d.file_name == sample.PDF_NAME)
    # findings in order: the completeness failure (no line), the error (cropped), the finding
    assert [len(f.evidence.crops) for f in pdf.findings] == [0, 1, 0]
    capped = pdf.findings[2]
    assert capped.evidence.note == "page images are shown for the first 1 findings"
    assert [line for line, _, _ in capped.evidence.lines] == [3, 8]


def test_unacknowledged_integrity_failures_flag_review_even_without_the_review_status(
    tmp_path: Path,
) -> None:
    database, raw = sample.build(tmp_path)
    conn = duckdb.connect(str(database))
    conn.execute("update marts.document_review_status set needs_review = false")
    conn.close()
    conn = duckdb.connect(str(database), read_only=True)
    try:
        docs = html_report.build(conn, tmp_path / "report.html", raw)
    finally:
        conn.close()
    views = {d.file_name: d for d in docs}
    # the PDF has two unacknowledged error-severity failures (the 合计 row and the completeness)
    assert views[sample.PDF_NAME].needs_review
    assert any(
        r.startswith("2 unacknowledged integrity failures")
        for r in views[sample.PDF_NAME].review_reasons
    )
    assert not views[sample.TEXT_NAME].needs_review  # a source discrepancy only
    assert [d.file_name for d in docs][:2] == [sample.FAILED_NAME, sample.PDF_NAME]


def _ink_box(image: Image.Image, region: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """Bounding box (in image pixels) of the dark pixels of a region: where text is printed."""
    gray = image.crop(region).convert("L").point(lambda v: 255 if v < 128 else 0)
    box = gray.getbbox()
    assert box is not None
    return (box[0] + region[0], box[1] + region[1], box[2] + region[0], box[3] + region[1])


def _red_around(image: Image.Image, box: tuple[int, int, int, int]) -> dict[str, bool]:
    """Whether red pixels lie just outside each side of the box (a drawn outline)."""
    pixels = image.load()

    def red(x: int, y: int) -> bool:
        r, g, b = pixels[x, y][:3]
        return r > 180 and g < 80 and b < 80

    x0, y0, x1, y1 = box
    mid_x, mid_y = (x0 + x1) // 2, (y0 + y1) // 2
    return {
        "left": any(red(x, mid_y) for x in range(x0 - 8, x0)),
        "right": any(red(x, mid_y) for x in range(x1, x1 + 8)),
        "top": any(red(mid_x, y) for y in range(y0 - 8, y0)),
        "bottom": any(red(mid_x, y) for y in range(y1, y1 + 8)),
    }


def test_a_rotated_page_is_cropped_and_annotated_upright(tmp_path: Path) -> None:
    """/Rotate 90: the layout boxes are upright (as the page is shown); the crop and the red
    annotation land on the printed figure, measured from the ink of the rendered page."""
    import pypdfium2 as pdfium

    from tests.report.pdf_builder import write_pdf

    database, raw = sample.build(tmp_path)
    pdf_path = raw / sample.PDF_NAME
    write_pdf(pdf_path, [[(100, 100, "1,234.56"), (100, 300, "1,230.00")], []], rotate=90)
    pdf = pdfium.PdfDocument(str(pdf_path))
    page = pdf[0]
    width, height = page.get_size()  # upright: 842 × 595
    shown = page.render(scale=1).to_pil().convert("RGB")
    page.close()
    pdf.close()
    assert (width, height) == (842, 595)
    # unrotated y 100 and 300 from the top turn into upright columns near x 742 and 542
    printed = _ink_box(shown, (700, 0, 800, 595))
    against = _ink_box(shown, (500, 0, 600, 595))
    conn = duckdb.connect(str(database))
    conn.execute("delete from raw.layout_cells")
    conn.execute("delete from raw.layout_lines")
    for line, text, box in ((3, "1,234.56", printed), (5, "1,230.00", against)):
        conn.execute(
            "insert into raw.layout_lines values (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
            [sample.PDF_ID, sample.PDF_NAME, line, width, height, *box, text],
        )
        conn.execute(
            "insert into raw.layout_cells values (?, ?, ?, 0, 1, ?, ?, ?, ?, ?)",
            [sample.PDF_ID, sample.PDF_NAME, line, *box, text],
        )
    conn.close()
    conn = duckdb.connect(str(database), read_only=True)
    try:
        html_report.build(conn, tmp_path / "report.html", raw, tmp_path / "annotated")
    finally:
        conn.close()
    page_html = (tmp_path / "report.html").read_text("utf-8")
    crop = _images(_finding_block(page_html, "within.total_equals_top_level_rows", "T1 L3 合计"))[0]
    assert crop.width == round(width * SCALE)
    red = _colour_bbox(crop, html_report.EXPECTED_COLOUR)
    assert red[0] < printed[0] * SCALE < printed[2] * SCALE < red[2]
    assert _dark_pixels(crop, red) > 30
    annotated = pdfium.PdfDocument(str(tmp_path / "annotated" / sample.PDF_NAME))
    page = annotated[0]
    marked = page.render(scale=1, draw_annots=True).to_pil().convert("RGB")
    page.close()
    annotated.close()
    assert _red_around(marked, printed) == dict.fromkeys(("left", "right", "top", "bottom"), True)
    assert _red_around(marked, against) == dict.fromkeys(("left", "right", "top", "bottom"), True)


def test_a_rebuilt_report_reuses_its_crops_and_drops_unused_ones(
    tmp_path: Path, monkeypatch
) -> None:
    """The second build of the same warehouse renders no page (every crop is in the cache beside
    the report) and writes the same page; crops no finding uses any more are removed."""
    database, raw = sample.build(tmp_path)
    out = tmp_path / "report.html"
    cache = tmp_path / ".report.html.crops"
    conn = duckdb.connect(str(database), read_only=True)
    try:
        html_report.build(conn, out, raw)
        first = out.read_text("utf-8")
        crops = sorted(p.name for p in cache.glob("*.png"))
        # the sample PDF's two cropped findings: the 合计 row on page 1, and a finding citing
        # lines 3 (page 1) and 8 (page 2): three crops
        assert len(crops) == 3
        stale = cache / ("0" * 32 + ".png")
        stale.write_bytes(b"not a crop of this report")

        rendered: list[int] = []
        original = html_report.PageRenderer.crop

        def counting(self, page_number, boxes):
            rendered.append(page_number)
            return original(self, page_number, boxes)

        monkeypatch.setattr(html_report.PageRenderer, "crop", counting)
        html_report.build(conn, out, raw)
    finally:
        conn.close()
    strip = re.compile(r"Generated [^<]*")
    assert rendered == []
    assert strip.sub("", out.read_text("utf-8")) == strip.sub("", first)
    assert sorted(p.name for p in cache.glob("*.png")) == crops


def test_text_lines_are_shown_as_the_warehouse_loaded_them(tmp_path: Path) -> None:
    """raw.layout_lines keeps each line of a text dump as decoded at load: the report shows the
    cited lines from there (one query for the corpus, no file decoded again), the text the
    figures were read from even when the file in raw/ has since been edited. Expected text: the
    sample's lines 2 and 4 as loaded (sample_warehouse.TEXT_LINES)."""
    database, raw = sample.build(tmp_path)
    conn = duckdb.connect(str(database))
    try:
        for number, text in enumerate(sample.TEXT_LINES, start=1):
            conn.execute(
                "insert into raw.layout_lines (document_id, file_name, source_line, text) "
                "values (?, ?, ?, ?)",
                [sample.TEXT_ID, sample.TEXT_NAME, number, text],
            )
    finally:
        conn.close()
    edited = [line.replace("1,500.00", "9,999.00") for line in sample.TEXT_LINES]
    (raw / sample.TEXT_NAME).write_text("\n".join(edited) + "\n", encoding="utf-8")
    conn = duckdb.connect(str(database), read_only=True)
    try:
        html_report.build(conn, tmp_path / "report.html", raw)
    finally:
        conn.close()
    block = _finding_block(
        (tmp_path / "report.html").read_text("utf-8"),
        "within.total_equals_top_level_rows",
        "T1 L2 收入总计",
    )
    assert re.search(r'<span data-line="2">\s+2  收入总计\s+<mark class="expected">1,500.00', block)
    assert re.search(r'<span data-line="4">\s+4  支出总计\s+<mark class="actual">1,499.00', block)
    assert "9,999.00" not in block


@pytest.mark.slow
@pytest.mark.parametrize("build_name", ["samples_build", "pair_added_build"])
def test_the_report_built_from_the_markdown_reports_findings_is_the_same(
    build_name: str, request, tmp_path: Path
) -> None:
    """make run reads the failed checks once (report.load) for both reports: the HTML built
    from them is byte for byte the one built by reading the warehouse (the text samples, and
    PDFs whose findings are cropped from their pages)."""
    from orchestration import report

    build = request.getfixturevalue(build_name)
    conn = duckdb.connect(str(build.database), read_only=True)
    try:
        findings = [f for summary in report.load(conn) for f in summary.findings]
        assert any(f.status == "fail" for f in findings)
        read = tmp_path / "read" / "report.html"
        given = tmp_path / "given" / "report.html"
        docs = html_report.build(conn, read, build.raw)
        html_report.build(conn, given, build.raw, findings=findings)
    finally:
        conn.close()
    assert sum(len(doc.findings) for doc in docs) >= 2
    assert given.read_bytes() == read.read_bytes()
