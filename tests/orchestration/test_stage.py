"""Staging: extraction outside the writer, one content-addressed directory per document."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration import ingest, warehouse
from orchestration.pipeline import load, stage
from tests.conftest import SAMPLE_003, SAMPLE_004


@pytest.fixture
def staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STAGING_DIR", str(tmp_path / "staging"))
    return tmp_path / "staging"


@pytest.fixture
def raw_dir(tmp_path: Path, staging: Path) -> Path:
    directory = tmp_path / "raw"
    directory.mkdir()
    shutil.copy(SAMPLE_003, directory / SAMPLE_003.name)
    shutil.copy(SAMPLE_004, directory / SAMPLE_004.name)
    (directory / "empty.txt").write_bytes(b"")
    return directory


@pytest.fixture
def conn(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    yield connection
    connection.close()


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the documents extracted, in order."""
    calls: list[str] = []
    original = stage.extract_bytes

    def counting(data: bytes, file_name: str) -> stage.Extracted:
        calls.append(file_name)
        return original(data, file_name)

    monkeypatch.setattr(stage, "extract_bytes", counting)
    return calls


def _docs(raw_dir: Path) -> dict[str, tuple[warehouse.DocumentFile, Path]]:
    return {doc.file_name: (doc, path) for doc, path in ingest.discover(raw_dir)}


def test_extract_bytes_quarantines_bad_input_with_the_file_name():
    empty = stage.extract_bytes(b"   \n", "empty.txt")
    assert empty.extraction is None
    assert empty.error == "empty.txt: file is empty"
    # 004 cut inside its first table (T1 spans lines 66-98): the error names file and line
    truncated = "\n".join(SAMPLE_004.read_text(encoding="utf-8").split("\n")[:90])
    cut = stage.extract_bytes(truncated.encode("utf-8"), "cut.txt")
    assert cut.extraction is None and cut.error.startswith("cut.txt:")
    assert cut.error_line is not None and 66 <= cut.error_line <= 90


def test_staged_document_is_extracted_once(raw_dir: Path, staging: Path, extractions: list[str]):
    doc, path = _docs(raw_dir)[SAMPLE_004.name]
    first = stage.stage_document(doc, path)
    assert extractions == [SAMPLE_004.name]
    assert first.parent.parent.name == stage.EXTRACTOR_VERSION
    assert first.name.startswith(doc.sha256)
    assert stage.stage_document(doc, path) == first
    assert extractions == [SAMPLE_004.name]
    # no temporary directory is left beside the staged one
    assert [p.name for p in first.parent.iterdir()] == [first.name]


def test_staged_rows_are_the_loaded_rows(raw_dir: Path, conn):
    doc, path = _docs(raw_dir)[SAMPLE_004.name]
    staged = stage.stage_document(doc, path)
    load.load_staged(conn, doc, staged)
    for table in warehouse.RECORD_TABLES:
        loaded = conn.execute(f"select * from raw.{table}").fetchall()
        parquet = staged / f"{table}.parquet"
        staged_rows = (
            conn.execute(f"select * from read_parquet('{parquet}')").fetchall()
            if parquet.exists()
            else []
        )
        assert sorted(loaded, key=repr) == sorted(staged_rows, key=repr), table
    # 004 has statement cells (T1 starts at line 66), staged with the money column as DECIMAL(18,2)
    schema = pq.read_schema(staged / "statement_cells.parquet")
    assert str(schema.field("amount_yuan").type) == "decimal128(18, 2)"
    version = conn.execute("select extractor_version from raw.documents").fetchone()[0]
    assert version == stage.EXTRACTOR_VERSION


def test_unchanged_document_is_not_extracted_or_loaded_again(
    raw_dir: Path, conn, extractions: list[str], monkeypatch: pytest.MonkeyPatch
):
    docs = _docs(raw_dir)
    results = [ingest.ingest_file(conn, doc, path, force=False) for doc, path in docs.values()]
    assert sorted(extractions) == sorted(docs)
    assert {r.file_name: r.status for r in results}["empty.txt"] == "failed"
    before = conn.execute("select * from raw.documents order by file_name").fetchall()
    extractions.clear()
    for doc, path in docs.values():
        staged = stage.stage_document(doc, path)
        assert load.load_staged(conn, doc, staged).reloaded is False
    assert extractions == []
    assert conn.execute("select * from raw.documents order by file_name").fetchall() == before
    # a new extractor version re-extracts and reloads every document, the failed one included
    monkeypatch.setattr(stage, "EXTRACTOR_VERSION", "0" * 12)
    for doc, path in docs.values():
        staged = stage.stage_document(doc, path)
        assert load.load_staged(conn, doc, staged).reloaded is True
    assert sorted(extractions) == sorted(docs)
    versions = conn.execute("select distinct extractor_version from raw.documents").fetchall()
    assert versions == [("0" * 12,)]


def test_parallel_staging_matches_serial(raw_dir: Path, tmp_path: Path):
    documents = ingest.discover(raw_dir)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert stage.stage_documents(documents, serial, workers=1) == {}
    assert stage.stage_documents(documents, parallel, workers=2) == {}
    for doc, _ in documents:
        a, b = stage.staged_dir(doc, serial), stage.staged_dir(doc, parallel)
        assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
        for file in a.glob("*.parquet"):
            assert pq.read_table(file).equals(pq.read_table(b / file.name)), file.name


def test_an_interrupted_staging_is_ignored_and_swept(raw_dir: Path, staging: Path):
    doc, path = _docs(raw_dir)[SAMPLE_003.name]
    target = stage.staged_dir(doc)
    # what a kill -9 during write_stage leaves: a partial temporary directory, never the target
    partial = target.parent / f".{target.name}.tmp-999-deadbeef"
    partial.mkdir(parents=True)
    (partial / "documents.parquet").write_bytes(b"PAR1 partial")
    assert not stage.is_staged(doc)
    assert stage.sweep_temporary() == 1
    assert not partial.exists()
    assert stage.stage_document(doc, path) == target and stage.is_staged(doc)


def test_staged_files_alone_are_the_raw_schema(raw_dir: Path, staging: Path, conn):
    """The hand-off past one machine: the staged Parquet, read by glob, equal the loaded tables."""
    for doc, path in ingest.discover(raw_dir):
        ingest.ingest_file(conn, doc, path)
    root = staging / stage.EXTRACTOR_VERSION
    for table in warehouse.ALL_TABLES:
        files = sorted(root.glob(f"*/*/{table}.parquet"))
        columns = [c[0] for c in conn.execute(f"describe raw.{table}").fetchall()]
        columns = [c for c in columns if c != "ingested_at"]
        select = ", ".join(columns)
        loaded = conn.execute(f"select {select} from raw.{table}").fetchall()
        from_files = (
            conn.execute(
                f"select {select} from read_parquet(?)", [[str(f) for f in files]]
            ).fetchall()
            if files
            else []
        )
        assert sorted(from_files, key=repr) == sorted(loaded, key=repr), table
    # the three documents (one of them quarantined) are all in the staged registry
    registry = conn.execute(
        "select file_name, status from read_parquet(?) order by file_name",
        [str(root / "*" / "*" / stage.REGISTRY_FILE)],
    ).fetchall()
    assert registry == sorted(
        [(SAMPLE_003.name, "loaded"), (SAMPLE_004.name, "loaded"), ("empty.txt", "failed")]
    )
