"""bench/pdf_corpus.py: copies of the dev PDFs are distinct files that read as their source."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from bench import pdf_corpus
from orchestration.pipeline import stage

DEV = Path("/work/shared/corpus/dev")
# 20 pages (corpus manifest, /work/shared/corpus/README.md); the smallest dev PDF
SHANGHAI = DEV / "shanghai-marine-monitoring-center-2026-unit-budget.pdf"
# 12 pages, /Rotate 90 (corpus manifest)
JIANGSU_2019 = DEV / "jiangsu-party-committee-office-2019-department-budget-tables.pdf"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


def _rotations(path: Path) -> list[int]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_rotation() for page in pdf]
    finally:
        pdf.close()


def test_copies_cycle_through_the_sources_with_their_own_bytes(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    for path in (SHANGHAI, JIANGSU_2019):
        shutil.copy(path, source / path.name)
    written = pdf_corpus.generate(tmp_path / "out", 5, source)
    assert [path.name for path in written] == [
        "jiangsu-party-committee-office-2019-department-budget-tables-copy0001.pdf",
        "shanghai-marine-monitoring-center-2026-unit-budget-copy0001.pdf",
        "jiangsu-party-committee-office-2019-department-budget-tables-copy0002.pdf",
        "shanghai-marine-monitoring-center-2026-unit-budget-copy0002.pdf",
        "jiangsu-party-committee-office-2019-department-budget-tables-copy0003.pdf",
    ]
    hashes = {_sha256(path) for path in written} | {_sha256(SHANGHAI), _sha256(JIANGSU_2019)}
    assert len(hashes) == 7
    assert [pdf_corpus.page_count(path) for path in written] == [12, 20, 12, 20, 12]
    with pikepdf.open(written[3]) as pdf:
        assert str(pdf.docinfo[pdf_corpus.COPY_KEY]) == f"{SHANGHAI.name} #2"
    # pages keep their rotation (the Jiangsu 2019 tables' pages are /Rotate 90: corpus manifest)
    assert 90 in _rotations(written[0])
    assert _rotations(written[0]) == _rotations(JIANGSU_2019)
    assert _rotations(written[3]) == _rotations(SHANGHAI)
    # a second call keeps the files already written
    assert pdf_corpus.generate(tmp_path / "out", 5, source) == written
    assert {_sha256(path) for path in written} <= hashes


def test_a_copy_reads_exactly_as_its_source(tmp_path: Path):
    copy = pdf_corpus.write_copy(SHANGHAI, 7, tmp_path / "copy.pdf")
    assert _page_texts(copy) == _page_texts(SHANGHAI)
    original = stage.extract_bytes(SHANGHAI.read_bytes(), SHANGHAI.name)
    copied = stage.extract_bytes(copy.read_bytes(), SHANGHAI.name)
    assert original.extraction is not None and original.extraction.cells
    assert copied.page_count == original.page_count == 20
    assert copied.extraction == original.extraction
