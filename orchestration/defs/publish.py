"""Publish: the read-only snapshot BI tools open while the next refresh writes the warehouse."""

import dagster as dg
import duckdb

from orchestration import progress, settings
from orchestration.defs.resources import WAREHOUSE_POOL
from orchestration.defs.transform import budget_dbt_assets
from orchestration.pipeline import state
from orchestration.publish import publish_snapshot

# Every dbt model, not the seeds (schema `reference`): an incremental refresh leaves the unchanged
# seeds out of `dbt build`, and a dependency on an asset the step did not materialize would skip
# the publish. The publish still waits for the whole dbt step, and a failed build skips it.
DBT_MODEL_KEYS = [key for key in budget_dbt_assets.keys if key.path[0] != "reference"]


@dg.asset(
    key=dg.AssetKey(["published_warehouse"]),
    deps=DBT_MODEL_KEYS,
    group_name="publish",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
)
def published_warehouse(context: dg.AssetExecutionContext):
    """Read-only copy of the warehouse for BI tools, swapped in atomically after each refresh.

    Before the copy, the warehouse records what this refresh built from (schema ``pipeline``),
    so that the next run can skip a refresh with nothing new (orchestration.pipeline.state).
    """
    published = settings.published_path()
    database = settings.duckdb_path()
    done = state.warehouse_plan(database)
    if done.mode == "skip":  # a refresh asked for with nothing new (the schedule, the UI)
        done = state.Plan("rebuild", "refresh run with nothing new")
    conn = duckdb.connect(str(database))
    try:
        state.record(conn, done, state.project_hash())
    finally:
        conn.close()
    progress.stage(f"Publishing the snapshot for BI tools: {published}")
    try:
        size = publish_snapshot(database, published)
    except BaseException:
        state.forget_last(database)  # the snapshot is not this refresh's: do not skip the next
        raise
    context.log.info(f"published {published} (refresh: {done.mode}, {done.reason})")
    return dg.MaterializeResult(
        metadata={
            "path": str(published),
            "size_bytes": size,
            "refresh_mode": done.mode,
            "refresh_reason": done.reason,
        }
    )
