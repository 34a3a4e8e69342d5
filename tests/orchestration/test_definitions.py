"""The Dagster definitions load, and the sensor registers new, changed and removed documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import SAMPLE_003, SAMPLE_004


@pytest.fixture
def defs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dbt_manifest: Path):
    # dbt_manifest: the definitions are built from the dbt manifest, parsed once per session
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


# A refresh is never blocked by one document's data: only contract tests (keys, relationships,
# accepted values) can fail dbt build, and per-document quality is review status. So scheduled and
# sensor refreshes need no run config (strict mode is a `make run` option only).
NON_BLOCKING: dict = {}


def test_daily_schedule_runs_at_six_shanghai_time_without_blocking(defs):
    schedule = defs.get_schedule_def("daily_refresh")
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert schedule.job_name == "refresh_job"
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(instance=instance)
        (request,) = schedule.evaluate_tick(context).run_requests
    # a scheduled refresh must not be blocked by one misread document
    assert request.run_config == NON_BLOCKING


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
        assert [r.run_key for r in ingest_requests] == [f"ingest-{key}" for key in ids]
        refresh = result.run_requests[-1]
        assert refresh.job_name == "refresh_job"
        assert refresh.run_config == NON_BLOCKING
        # the same raw/ state asks for the same runs again: Dagster drops a run whose run key
        # it has already launched, so a sensor tick that repeats itself starts nothing twice
        again = sensor(dg.build_sensor_context(instance=instance))
        assert [r.run_key for r in again.run_requests] == [r.run_key for r in result.run_requests]

        instance.add_dynamic_partitions("documents", ids)
        unchanged = sensor(dg.build_sensor_context(instance=instance))
        assert isinstance(unchanged, dg.SkipReason)

        (raw / SAMPLE_003.name).unlink()
        removed = sensor(dg.build_sensor_context(instance=instance))
        deleted = removed.dynamic_partitions_requests[1]
        gone = ingest.document_id_for(SAMPLE_003.read_bytes())
        assert list(deleted.partition_keys) == [gone]
        assert [r.job_name for r in removed.run_requests] == ["refresh_job"]
        # a new raw/ state: a new refresh run key
        assert removed.run_requests[0].run_key != refresh.run_key
        assert removed.run_requests[0].run_config == NON_BLOCKING


def test_review_sensor_requests_one_review_per_document_after_a_refresh(defs):
    sensor = defs.get_sensor_def("review_after_refresh")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING

    @dg.op
    def noop():
        return None

    @dg.job(name="refresh_job")
    def stand_in():  # a finished refresh run (the sensor only reads its run id)
        noop()

    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("documents", ["doc-a", "doc-b"])
        run = stand_in.execute_in_process(instance=instance)
        context = dg.build_run_status_sensor_context(
            sensor_name="review_after_refresh",
            dagster_instance=instance,
            dagster_run=run.dagster_run,
            dagster_event=run.get_run_success_event(),
        )
        requests = sensor(context)
    run_id = run.dagster_run.run_id
    assert [(r.partition_key, r.run_key) for r in requests] == [
        ("doc-a", f"review-{run_id}-doc-a"),
        ("doc-b", f"review-{run_id}-doc-b"),
    ]


def test_a_dbt_command_asks_no_version_and_builds_no_adapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dbt_manifest: Path
):
    """dagster-dbt would run `dbt --version` (which asks PyPI for the latest release) and build
    a dbt adapter in this process before each dbt command; the project's resource does neither
    (orchestration/defs/resources.py). Both paths are watched here: the subprocess call
    dagster-dbt makes for the version, and dbt's profile loading the adapter starts with."""
    import dagster_dbt.core.resource as dagster_dbt_resource
    import dbt.config.runtime

    from orchestration.defs.resources import dbt_resource

    calls: list[str] = []
    monkeypatch.setattr(
        dagster_dbt_resource, "check_output", lambda *a, **k: calls.append("version") or b""
    )
    monkeypatch.setattr(dbt.config.runtime, "load_profile", lambda *a, **k: calls.append("adapter"))
    monkeypatch.setenv("DUCKDB_DATABASE", str(tmp_path / "w.duckdb"))
    invocation = dbt_resource().cli(["parse"], target_path=tmp_path / "target")
    assert invocation.wait().is_successful()
    assert invocation.adapter is None
    assert calls == []
