"""Publish: the read-only snapshot BI tools open while the next refresh writes the warehouse."""

import dagster as dg

from orchestration import progress, settings
from orchestration.defs.resources import WAREHOUSE_POOL
from orchestration.defs.transform import budget_dbt_assets
from orchestration.publish import publish_snapshot


@dg.asset(
    key=dg.AssetKey(["published_warehouse"]),
    deps=[budget_dbt_assets],
    group_name="publish",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
)
def published_warehouse(context: dg.AssetExecutionContext):
    """Read-only copy of the warehouse for BI tools, swapped in atomically after each refresh."""
    published = settings.published_path()
    progress.stage(f"Publishing the snapshot for BI tools: {published}")
    size = publish_snapshot(settings.duckdb_path(), published)
    context.log.info(f"published {published}")
    return dg.MaterializeResult(metadata={"path": str(published), "size_bytes": size})
