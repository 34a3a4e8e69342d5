"""A minimal PDF writer for tests: pages of Helvetica text at given positions (no dependencies)."""

from __future__ import annotations

from pathlib import Path

# (x, baseline y from the top of the page, text); the page is A4 portrait in points.
PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0


def write_pdf(
    path: Path, pages: list[list[tuple[float, float, str]]], size: int = 12, rotate: int = 0
) -> Path:
    """Write a PDF whose page i prints each (x, y_from_top, text) of pages[i] in Helvetica.

    Positions are on the unrotated page; ``rotate`` sets /Rotate on every page (viewers turn it).
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for texts in pages:
        ops = []
        for x, y, text in texts:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"BT /F1 {size} Tf {x:.2f} {PAGE_HEIGHT - y:.2f} Td ({escaped}) Tj ET")
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                (
                    f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_WIDTH:g} "
                    f"{PAGE_HEIGHT:g}] /Rotate {rotate} "
                    f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
                ).encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    objects[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    path.write_bytes(bytes(out))
    return path
