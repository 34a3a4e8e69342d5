"""Bad PDFs fail with a reason a person understands (and are quarantined by the ingest).

The three real bad inputs are in tests/fixtures/pdf/bad/ (origin in tests/fixtures/pdf/README.md);
a truncated and an encrypted PDF are made here.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration import ingest
from orchestration.extract.document import extract_document
from orchestration.extract.source import read_source
from orchestration.extract.text import DocumentError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
BAD = FIXTURES / "bad"
DEV_PDF = FIXTURES / "dev" / "jiangsu-party-committee-office-2019-department-budget-tables.pdf"


def _read(data: bytes, name: str):
    return extract_document(read_source(data, name), name)


def _error(data: bytes, name: str) -> str:
    with pytest.raises(DocumentError) as info:
        _read(data, name)
    assert str(info.value).startswith(f"{name}: ")
    return info.value.reason


def encrypted_pdf() -> bytes:
    """A one-page PDF encrypted with a user password (standard security handler, RC4 40-bit):
    the /U entry does not match the empty password, so no reader can open it without one."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        b"00" * 16,
        b"00" * 16,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return out


def test_scanned_pdf_says_no_text_and_no_ocr():
    path = BAD / "scanned-beijing-government-services-bureau-2026-budget.pdf"
    reason = _error(path.read_bytes(), path.name)
    # the file has 8 pages, every one an image
    assert reason == "scanned: no text on 8 of 8 pages; OCR is not applied"


def test_html_page_saved_as_pdf_says_so():
    path = BAD / "html-page-saved-as-pdf.pdf"
    assert _error(path.read_bytes(), path.name).startswith(
        "an HTML page saved with a .pdf name, not a PDF"
    )


def test_pdf_that_is_no_budget_says_no_table_found():
    path = BAD / "not-a-budget-government-website-annual-report.pdf"
    assert _error(path.read_bytes(), path.name) == (
        "not a budget document: no budget statement, project or performance table found"
    )


@pytest.mark.parametrize("share", [0.1, 0.5, 0.99])
def test_truncated_pdf_is_not_readable(share: float):
    data = DEV_PDF.read_bytes()
    reason = _error(data[: int(len(data) * share)], "cut.pdf")
    assert reason.startswith("not a readable PDF: the file is truncated")


def test_corrupt_pdf_is_not_readable():
    data = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    assert _error(data, "corrupt.pdf").startswith("not a readable PDF: ")


def test_encrypted_pdf_asks_for_its_password():
    assert _error(encrypted_pdf(), "locked.pdf") == (
        "encrypted PDF: it cannot be opened without its password"
    )


def test_bad_pdfs_are_quarantined_and_the_others_load(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in BAD.glob("*.pdf"):
        (raw / path.name).write_bytes(path.read_bytes())
    (raw / "locked.pdf").write_bytes(encrypted_pdf())
    (raw / DEV_PDF.name).write_bytes(DEV_PDF.read_bytes())
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    results = {doc.file_name: ingest.ingest_file(conn, doc, p) for doc, p in ingest.discover(raw)}
    assert {name: r.status for name, r in results.items()} == {
        "html-page-saved-as-pdf.pdf": "failed",
        "locked.pdf": "failed",
        "not-a-budget-government-website-annual-report.pdf": "failed",
        "scanned-beijing-government-services-bureau-2026-budget.pdf": "failed",
        DEV_PDF.name: "loaded",
    }
    failed = conn.execute(
        "select file_name, error_message from raw.documents where status = 'failed' order by 1"
    ).fetchall()
    assert [message.split(": ", 1)[0] for _, message in failed] == [name for name, _ in failed]
    # a quarantined document has no rows anywhere else
    lines = conn.execute(
        "select count(*) from raw.layout_lines l join raw.documents d using (document_id) "
        "where d.status = 'failed'"
    ).fetchone()
    assert lines == (0,)
    reader = conn.execute(
        "select reader_version, page_count from raw.documents where file_name = ?",
        [DEV_PDF.name],
    ).fetchone()
    assert reader[0].startswith("pdfplumber ") and reader[1] == 12


def test_a_page_without_text_is_a_warning_and_the_rest_loads():
    """A PDF with one page that is only an image (here: blank) among text pages loads, and says
    which page it could not read."""
    import io

    import pypdfium2

    pdf = pypdfium2.PdfDocument(DEV_PDF.read_bytes())
    pdf.new_page(595, 842)  # page 13 after the 12 text pages
    buffer = io.BytesIO()
    pdf.save(buffer)
    name = "with-scan.pdf"
    doc = _read(buffer.getvalue(), name)
    assert doc.tables
    [warning] = [w for w in doc.warnings if w.kind == "page_without_text"]
    assert warning.message == f"{name}: page 13 has no text (a scanned image); OCR is not applied"
