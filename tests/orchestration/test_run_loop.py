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


def test_a_verdict_that_changes_is_recorded_again_on_its_partition():
    """A document reviewed after one refresh and again after the next, its verdict changed (an
    acknowledgement added): both are recorded, and the check's latest evaluation of the partition
    is the second. Recorded as runless events, the second failed Dagster's unique index of check
    executions (check, run id, partition) and with it the whole `make run`."""
    import dagster as dg
    from dagster._core.storage.asset_check_execution_record import (
        AssetCheckExecutionRecordStatus as Status,
    )
    from dagster._core.test_utils import create_run_for_test

    from orchestration import cli
    from orchestration.defs import checks

    check_key = dg.AssetCheckKey(checks.REVIEW_KEY, "document_reconciles")
    with dg.instance_for_test() as instance:
        assert cli.last_refresh_run_id(instance) is None
        first = create_run_for_test(instance, job_name=cli.REFRESH_JOB)
        cli.record_review(instance, "d1", {"v": "fails"}, {"passed": False, "metadata": {}}, None)
        cli.record_review(
            instance, "d1", {"v": "fails"}, {"passed": False, "metadata": {}}, first.run_id
        )
        second = create_run_for_test(instance, job_name=cli.REFRESH_JOB)
        assert cli.last_refresh_run_id(instance) == second.run_id
        cli.record_review(
            instance, "d1", {"v": "passes"}, {"passed": True, "metadata": {}}, second.run_id
        )
        # the same refresh's verdict recorded twice (a skipped refresh after it) updates its row
        cli.record_review(
            instance, "d1", {"v": "passes"}, {"passed": True, "metadata": {}}, second.run_id
        )

        recorded = cli.recorded_reviews(instance, {"d1"})
        assert recorded["d1"]["v"].value == "passes"
        executions = instance.event_log_storage.get_asset_check_execution_history(
            check_key, limit=10
        )
        assert {e.partition for e in executions} == {"d1"}
        assert [e.status for e in executions] == [Status.SUCCEEDED, Status.FAILED, Status.FAILED]
        assert [e.run_id for e in executions] == [second.run_id, first.run_id, ""]
