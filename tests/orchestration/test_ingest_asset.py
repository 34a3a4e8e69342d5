"""The ingest_document asset: stages its document when `make run` has not, never re-extracts."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import ingest
from orchestration.defs.ingest import documents_partitions, ingest_document
from orchestration.defs.resources import WarehouseResource
from orchestration.pipeline import stage
from tests.conftest import SAMPLE_004


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_004, raw / SAMPLE_004.name)
    monkeypatch.setenv("RAW_DIR", str(raw))
    monkeypatch.setenv("STAGING_DIR", str(tmp_path / "staging"))
    calls: list[str] = []
    original = stage.extract_bytes

    def counting(data: bytes, file_name: str) -> stage.Extracted:
        calls.append(file_name)
        return original(data, file_name)

    monkeypatch.setattr(stage, "extract_bytes", counting)
    return raw, tmp_path / "w.duckdb", calls


def _materialize(instance: dg.DagsterInstance, key: str, database: Path) -> dict:
    result = dg.materialize(
        [ingest_document],
        partition_key=key,
        instance=instance,
        resources={"warehouse_db": WarehouseResource(database=str(database))},
    )
    assert result.success
    events = result.asset_materializations_for_node("ingest_document")
    cells = next(e for e in events if e.asset_key == dg.AssetKey(["raw", "statement_cells"]))
    return {name: value.value for name, value in cells.metadata.items()}


def test_asset_stages_loads_and_then_leaves_a_current_document_alone(setup):
    raw, database, calls = setup
    (doc, _path) = ingest.discover(raw)[0]
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(documents_partitions.name, [doc.document_id])
        first = _materialize(instance, doc.document_id, database)
        assert calls == [SAMPLE_004.name]
        assert first["reloaded"] is True and first["status"] == "loaded"
        assert first["row_count"] > 0 and stage.is_staged(doc)

        second = _materialize(instance, doc.document_id, database)
        # the staged files gone too: the warehouse row counts are read back, nothing is extracted
        shutil.rmtree(stage.staged_dir(doc))
        third = _materialize(instance, doc.document_id, database)
        assert calls == [SAMPLE_004.name]
        for later in (second, third):
            assert later["reloaded"] is False
            assert later["row_count"] == first["row_count"]
    conn = duckdb.connect(str(database), read_only=True)
    try:
        loaded = conn.execute("select count(*) from raw.statement_cells").fetchone()[0]
    finally:
        conn.close()
    assert loaded == first["row_count"]
