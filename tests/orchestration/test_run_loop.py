"""The run loop of `make run`: new documents are loaded in as few Dagster runs as possible."""

from __future__ import annotations

import os

from orchestration.cli import partition_ranges


def test_partition_ranges_cover_exactly_the_wanted_keys():
    order = ["a", "b", "c", "d", "e", "f"]
    assert partition_ranges(order, set(order)) == [("a", "f")]
    assert partition_ranges(order, {"b", "c", "e"}) == [("b", "c"), ("e", "e")]
    assert partition_ranges(order, {"f"}) == [("f", "f")]
    assert partition_ranges(order, set()) == []
    # a key that is not a partition is not invented into a range
    assert partition_ranges(order, {"a", "zz"}) == [("a", "a")]


def test_runs_of_a_killed_process_are_released_and_their_pool_slot_freed():
    import subprocess
    import sys

    import dagster as dg
    from dagster._core.test_utils import create_run_for_test

    from orchestration.cli import CLI_PID_TAG, release_dead_runs
    from orchestration.defs.resources import WAREHOUSE_POOL

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with dg.instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(WAREHOUSE_POOL, 1)
        killed = create_run_for_test(
            instance, status=dg.DagsterRunStatus.STARTED, tags={CLI_PID_TAG: str(dead.pid)}
        )
        alive = create_run_for_test(
            instance, status=dg.DagsterRunStatus.STARTED, tags={CLI_PID_TAG: str(os.getpid())}
        )
        other = create_run_for_test(instance, status=dg.DagsterRunStatus.STARTED)
        assert storage.claim_concurrency_slot(WAREHOUSE_POOL, killed.run_id, "ingest").is_claimed
        # the slot is taken: nothing else can write the warehouse
        assert not storage.claim_concurrency_slot(WAREHOUSE_POOL, other.run_id, "x").is_claimed

        assert release_dead_runs(instance) == [killed.run_id]

        assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED
        assert instance.get_run_by_id(other.run_id).status == dg.DagsterRunStatus.STARTED
        assert storage.get_concurrency_info(WAREHOUSE_POOL).claimed_slots == []


def test_recorded_reviews_are_the_last_of_each_document_read_a_page_at_a_time():
    """The verdicts recorded last, per partition, across pages of the review asset's history."""
    import dagster as dg

    from orchestration import cli
    from orchestration.defs import checks

    instance = dg.DagsterInstance.ephemeral()
    for key, verdict in [
        ("d1", "old"),
        ("d2", "only"),
        ("d1", "new"),
        ("d3", "gone"),
        ("d1", "newest"),
    ]:
        instance.report_runless_asset_event(
            dg.AssetMaterialization(checks.REVIEW_KEY, partition=key, metadata={"v": verdict})
        )
    recorded = cli.recorded_reviews(instance, {"d1", "d2", "d4"}, page=2)
    assert {key: meta["v"].value for key, meta in recorded.items()} == {
        "d1": "newest",
        "d2": "only",
    }
