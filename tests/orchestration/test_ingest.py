"""Ingest of documents into the raw schema: registry, quarantine, idempotence, pruning."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration import ingest, warehouse
from orchestration.pipeline import load
from tests.conftest import SAMPLE_003, SAMPLE_004

NOT_A_BUDGET = (
    "关于开展秋季运动会的通知\n\n各学院：\n\n学校定于十月举行秋季运动会，请各单位做好准备。\n"
)


def _table_contents(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {
        table: sorted(
            conn.execute(f"select * from raw.{table}").fetchall(), key=lambda row: repr(row)
        )
        for table in warehouse.ALL_TABLES
    }


def _ingest_all(conn: duckdb.DuckDBPyConnection, raw_dir: Path) -> dict[str, ingest.IngestResult]:
    return {
        doc.file_name: ingest.ingest_file(conn, doc, path) for doc, path in ingest.discover(raw_dir)
    }


@pytest.fixture
def raw_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STAGING_DIR", str(tmp_path / "staging"))
    directory = tmp_path / "raw"
    directory.mkdir()
    shutil.copy(SAMPLE_004, directory / SAMPLE_004.name)
    return directory


@pytest.fixture
def conn(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    yield connection
    connection.close()


def test_discover_only_pdf_txt_and_md_and_ids_follow_content(raw_dir: Path):
    (raw_dir / "notes.pdf").write_bytes(b"%PDF")
    (raw_dir / "notes.docx").write_bytes(b"PK")
    shutil.copy(SAMPLE_003, raw_dir / SAMPLE_003.name)
    found = ingest.discover(raw_dir)
    assert [doc.file_name for doc, _ in found] == sorted(
        ["notes.pdf", SAMPLE_003.name, SAMPLE_004.name]
    )
    for doc, path in found:
        assert doc.document_id == ingest.document_id_for(path.read_bytes())
        assert len(doc.document_id) == 16


def test_identical_copies_are_one_document_with_every_name_recorded(raw_dir: Path):
    shutil.copy(SAMPLE_003, raw_dir / "a-copy.md")
    shutil.copy(SAMPLE_003, raw_dir / SAMPLE_003.name)
    files = ingest.discover_files(raw_dir)
    assert [doc.file_name for doc, _ in files] == sorted(
        ["a-copy.md", SAMPLE_003.name, SAMPLE_004.name]
    )
    ids = {doc.file_name: doc.document_id for doc, _ in files}
    assert ids["a-copy.md"] == ids[SAMPLE_003.name] != ids[SAMPLE_004.name]
    # one partition / one load per document id: the first name in sort order
    documents = ingest.discover(raw_dir)
    assert [doc.file_name for doc, _ in documents] == ["a-copy.md", SAMPLE_004.name]
    assert len({doc.document_id for doc, _ in documents}) == 2


def test_bad_documents_are_quarantined_and_the_good_one_loads(raw_dir: Path, conn):
    (raw_dir / "empty.txt").write_bytes(b"")
    (raw_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (raw_dir / "notice.md").write_text(NOT_A_BUDGET, encoding="utf-8")
    # 004 cut inside its first table (T1 spans lines 66-97; its 总计 row is line 97)
    truncated = "\n".join(SAMPLE_004.read_text(encoding="utf-8").split("\n")[:90])
    (raw_dir / "truncated.txt").write_text(truncated, encoding="utf-8")

    results = _ingest_all(conn, raw_dir)

    assert results[SAMPLE_004.name].status == "loaded"
    expected_reasons = {
        "empty.txt": "empty",
        "image.txt": "binary",
        "notice.md": "not a budget document",
        "truncated.txt": "truncated",
    }
    for file_name, reason in expected_reasons.items():
        result = results[file_name]
        assert result.status == "failed", file_name
        assert result.error.startswith(file_name), result.error
        assert reason in result.error, result.error
    # the truncated document's error names the line where the copy ends (line 90, inside T1,
    # whose 总计 row is line 97)
    line = conn.execute(
        "select error_line from raw.documents where file_name = 'truncated.txt'"
    ).fetchone()[0]
    assert line == 90
    assert results["truncated.txt"].error.startswith("truncated.txt:90:")
    # quarantined documents have nothing but their registry row
    for table in warehouse.RECORD_TABLES:
        bad = conn.execute(
            f"select count(*) from raw.{table} where file_name in "
            "('empty.txt', 'image.txt', 'notice.md', 'truncated.txt')"
        ).fetchone()[0]
        assert bad == 0, table
    # the good document loads exactly as it does alone, despite its quarantined neighbours
    only = raw_dir.parent / "only_004"
    only.mkdir()
    shutil.copy(SAMPLE_004, only / SAMPLE_004.name)
    alone = duckdb.connect(str(raw_dir.parent / "alone.duckdb"))
    try:
        _ingest_all(alone, only)
        together = _table_contents(conn)
        for table, rows in _table_contents(alone).items():
            if table in warehouse.RECORD_TABLES:  # (the registry row carries its load time)
                assert rows == [row for row in together[table] if SAMPLE_004.name in row], table
    finally:
        alone.close()
    # and its T1 总计 row is there as printed (004 line 97: 收入总计 104,733,480.93, 支出总计
    # 104,733,480.93, 47,321,695.47, 6,911,881.86, 50,499,903.60)
    total_row = conn.execute(
        "select amount_yuan from raw.statement_cells where file_name = ? and source_line = 97 "
        "order by amount_yuan",
        [SAMPLE_004.name],
    ).fetchall()
    printed = ("6911881.86", "47321695.47", "50499903.60", "104733480.93", "104733480.93")
    assert [amount for (amount,) in total_row] == [Decimal(v) for v in printed]


def test_gb18030_document_loads_like_its_utf8_twin(raw_dir: Path, conn):
    text = SAMPLE_004.read_text(encoding="utf-8")
    (raw_dir / "gbk-copy.txt").write_bytes(text.encode("gb18030"))
    results = _ingest_all(conn, raw_dir)
    assert results["gbk-copy.txt"].status == "loaded"
    encodings = dict(conn.execute("select file_name, encoding from raw.documents").fetchall())
    assert encodings == {"gbk-copy.txt": "gb18030", SAMPLE_004.name: "utf-8"}
    cells = conn.execute(
        "select file_name, sum(amount_yuan), count(*) from raw.statement_cells group by 1"
    ).fetchall()
    sums = {name: (total, count) for name, total, count in cells}
    assert sums["gbk-copy.txt"] == sums[SAMPLE_004.name]


def test_utf16_document_loads_like_its_utf8_twin(raw_dir: Path, conn):
    """Windows "Unicode" text (UTF-16 with a byte-order mark) is decoded, not rejected."""
    text = SAMPLE_004.read_text(encoding="utf-8")
    (raw_dir / "unicode-copy.txt").write_bytes(text.encode("utf-16"))
    results = _ingest_all(conn, raw_dir)
    assert results["unicode-copy.txt"].status == "loaded"
    encodings = dict(conn.execute("select file_name, encoding from raw.documents").fetchall())
    assert encodings == {"unicode-copy.txt": "utf-16", SAMPLE_004.name: "utf-8"}
    cells = conn.execute(
        "select file_name, sum(amount_yuan), count(*) from raw.statement_cells group by 1"
    ).fetchall()
    sums = {name: (total, count) for name, total, count in cells}
    assert sums["unicode-copy.txt"] == sums[SAMPLE_004.name]


def test_gb18030_copy_cut_mid_character_is_quarantined_with_its_line(raw_dir: Path, conn):
    # 004 in GB18030 cut inside the last character of line 48 (编制说明, prose)
    lines = SAMPLE_004.read_text(encoding="utf-8").split("\n")
    data = "\n".join(lines[:48]).encode("gb18030")[:-1]
    (raw_dir / "cut-gbk.txt").write_bytes(data)
    results = _ingest_all(conn, raw_dir)
    assert results[SAMPLE_004.name].status == "loaded"
    assert results["cut-gbk.txt"].status == "failed"
    assert results["cut-gbk.txt"].error == (
        "cut-gbk.txt:48: file is truncated: it ends in the middle of a GB18030 character"
    )
    row = conn.execute(
        "select status, error_line from raw.documents where file_name = 'cut-gbk.txt'"
    ).fetchone()
    assert row == ("failed", 48)


def test_rerun_with_nothing_changed_is_identical(raw_dir: Path, conn):
    _ingest_all(conn, raw_dir)
    first = _table_contents(conn)
    _ingest_all(conn, raw_dir)
    assert _table_contents(conn) == first
    assert conn.execute("select count(*) from raw.documents").fetchone()[0] == 1


def test_changed_file_replaces_its_rows(raw_dir: Path, conn):
    _ingest_all(conn, raw_dir)
    path = raw_dir / SAMPLE_004.name
    path.write_text(path.read_text(encoding="utf-8") + "\n附：更正说明\n", encoding="utf-8")
    _ingest_all(conn, raw_dir)
    ids = conn.execute("select distinct document_id from raw.statement_cells").fetchall()
    assert ids == [(ingest.document_id_for(path.read_bytes()),)]
    assert conn.execute("select count(*) from raw.documents").fetchone()[0] == 1


def test_removed_file_is_pruned(raw_dir: Path, conn):
    shutil.copy(SAMPLE_003, raw_dir / SAMPLE_003.name)
    _ingest_all(conn, raw_dir)
    (raw_dir / SAMPLE_004.name).unlink()
    present = [doc.document_id for doc, _ in ingest.discover(raw_dir)]
    removed = warehouse.prune_documents(conn, present)
    assert len(removed) == 1
    for table in warehouse.ALL_TABLES:
        names = {
            row[0] for row in conn.execute(f"select distinct file_name from raw.{table}").fetchall()
        }
        assert SAMPLE_004.name not in names, table


def test_failed_write_leaves_previous_rows(raw_dir: Path, conn, monkeypatch):
    _ingest_all(conn, raw_dir)
    before = _table_contents(conn)
    calls = {"n": 0}
    original = load.insert_staged_table

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(load, "insert_staged_table", flaky)
    doc, path = ingest.discover(raw_dir)[0]
    with pytest.raises(RuntimeError):
        ingest.ingest_file(conn, doc, path)
    assert _table_contents(conn) == before


class _Recording:
    """A connection that records the SQL it is given."""

    def __init__(self, conn):
        self.conn, self.statements = conn, []

    def execute(self, sql, *args):
        self.statements.append(sql.strip().split()[0].lower())
        return self.conn.execute(sql, *args)


def test_current_raw_schema_is_only_looked_at(conn):
    """Each load checks the raw schema; on a current one it runs no DDL (each create/alter is
    a committed transaction of its own: hundreds per document in a loader's hot loop)."""
    warehouse.ensure_schema(conn)
    recording = _Recording(conn)
    warehouse.ensure_schema(recording)
    assert recording.statements == ["select"]
    conn.execute("alter table raw.documents drop column page_count")
    assert not warehouse.schema_is_current(conn)
    warehouse.ensure_schema(conn)
    assert warehouse.schema_is_current(conn)


def test_warehouse_written_before_pdf_input_gets_the_new_columns(raw_dir: Path, conn):
    """A raw schema without reader_version / page_count / cell_index (written before PDF input)
    is extended in place, and a document then loads into it."""
    warehouse.ensure_schema(conn)
    conn.execute("alter table raw.documents drop column reader_version")
    conn.execute("alter table raw.documents drop column page_count")
    conn.execute("alter table raw.statement_cells drop column cell_index")
    conn.execute("drop table raw.layout_lines")
    results = _ingest_all(conn, raw_dir)
    assert [r.status for r in results.values()] == ["loaded"]
    assert conn.execute(
        "select count(*) from raw.statement_cells where cell_index is null"
    ).fetchone() == (0,)
    assert conn.execute("select reader_version from raw.documents").fetchone() == ("text",)
