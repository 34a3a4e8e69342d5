"""The Dagster definitions load, and the sensor registers new, changed and removed documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import SAMPLE_003, SAMPLE_004


@pytest.fixture
def defs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setenv("RAW_DIR", str(raw))
    monkeypatch.setenv("DUCKDB_DATABASE", str(tmp_path / "w.duckdb"))
    from orchestration.definitions import defs as definitions

    return definitions


def test_definitions_load_with_connected_lineage(defs):
    repo = defs.get_repository_def()
    keys = {key.to_user_string() for key in repo.asset_graph.get_all_asset_keys()}
    assert {"raw/documents", "raw/statement_cells", "raw/document_inventory"} <= keys
    assert any(key.startswith("stg_raw__") for key in keys) or any("stg_raw__" in k for k in keys)
    # dbt sources are the ingest assets: a staging model depends on raw/statement_cells
    graph = repo.asset_graph
    staging = next(
        k for k in graph.get_all_asset_keys() if k.path[-1] == "stg_raw__statement_cells"
    )
    assert dg.AssetKey(["raw", "statement_cells"]) in graph.get(staging).parent_keys
    assert {job.name for job in repo.get_all_jobs()} >= {"ingest_job", "refresh_job"}
    assert repo.get_schedule_def("daily_refresh").cron_schedule == "0 6 * * *"


def test_sensor_adds_new_and_deletes_removed_partitions(defs, tmp_path: Path):
    from orchestration import ingest

    raw = tmp_path / "raw"
    shutil.copy(SAMPLE_003, raw / SAMPLE_003.name)
    shutil.copy(SAMPLE_004, raw / SAMPLE_004.name)
    sensor = defs.get_sensor_def("raw_documents_sensor")
    with dg.instance_for_test() as instance:
        result = sensor(dg.build_sensor_context(instance=instance))
        ids = sorted(doc.document_id for doc, _ in ingest.discover(raw))
        added = result.dynamic_partitions_requests[0]
        assert sorted(added.partition_keys) == ids
        ingest_requests = [r for r in result.run_requests if r.job_name == "ingest_job"]
        assert sorted(r.partition_key for r in ingest_requests) == ids
        assert [r.job_name for r in result.run_requests][-1] == "refresh_job"

        instance.add_dynamic_partitions("documents", ids)
        unchanged = sensor(dg.build_sensor_context(instance=instance))
        assert isinstance(unchanged, dg.SkipReason)

        (raw / SAMPLE_003.name).unlink()
        removed = sensor(dg.build_sensor_context(instance=instance))
        deleted = removed.dynamic_partitions_requests[1]
        gone = ingest.document_id_for(SAMPLE_003.read_bytes())
        assert list(deleted.partition_keys) == [gone]
        assert [r.job_name for r in removed.run_requests] == ["refresh_job"]
