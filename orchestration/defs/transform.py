"""Transform: the dbt project (staging -> intermediate -> marts) as Dagster assets."""

import json

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.resources import WAREHOUSE_POOL, dbt_project


class DbtBuildConfig(dg.Config):
    """How `dbt build` treats reconciliation failures.

    enforce_reconciliation True (make run, CI): an unacknowledged integrity failure fails dbt
    build. False (scheduled and sensor refreshes): it only warns; the document is marked
    needs_review, its partition's `document_reconciles` check fails, and other documents go on.
    """

    enforce_reconciliation: bool = True


# Run config for refreshes that must not be blocked by one misread document.
NON_BLOCKING_REFRESH = {"ops": {"budget_dbt_assets": {"config": {"enforce_reconciliation": False}}}}


@dbt_assets(manifest=dbt_project.manifest_path, pool=WAREHOUSE_POOL)
def budget_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig
):
    """dbt build: staging views, intermediate conforming, marts tables, and every dbt test."""
    args = ["build"]
    if not config.enforce_reconciliation:
        args += ["--vars", json.dumps({"reconciliation_enforce": False})]
    yield from dbt.cli(args, context=context).stream()
