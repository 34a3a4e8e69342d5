"""Ingest of documents into the raw schema: registry, quarantine, idempotence, pruning."""

from __future__ import annotations

import shutil
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


def test_discover_only_txt_and_md_and_ids_follow_content(raw_dir: Path):
    (raw_dir / "notes.pdf").write_bytes(b"%PDF")
    shutil.copy(SAMPLE_003, raw_dir / SAMPLE_003.name)
    found = ingest.discover(raw_dir)
    assert [doc.file_name for doc, _ in found] == sorted([SAMPLE_003.name, SAMPLE_004.name])
    for doc, path in found:
        assert doc.document_id == ingest.document_id_for(path.read_bytes())
        assert len(doc.document_id) == 16


def test_bad_documents_are_quarantined_and_the_good_one_loads(raw_dir: Path, conn):
    (raw_dir / "empty.txt").write_bytes(b"")
    (raw_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (raw_dir / "notice.md").write_text(NOT_A_BUDGET, encoding="utf-8")
    # 004 cut inside its first table (T1 spans lines 66-98; its 总计 row is line 98)
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
    # the truncated document's error names the line
    line = conn.execute(
        "select error_line from raw.documents where file_name = 'truncated.txt'"
    ).fetchone()[0]
    assert line is not None and 66 <= line <= 90
    # quarantined documents have nothing but their registry row
    for table in warehouse.RECORD_TABLES:
        bad = conn.execute(
            f"select count(*) from raw.{table} where file_name in "
            "('empty.txt', 'image.txt', 'notice.md', 'truncated.txt')"
        ).fetchone()[0]
        assert bad == 0, table
    loaded_rows = conn.execute(
        "select count(*) from raw.statement_cells where file_name = ?", [SAMPLE_004.name]
    ).fetchone()[0]
    assert loaded_rows > 0


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
