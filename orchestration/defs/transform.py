"""Transform: the dbt project (staging -> intermediate -> marts) as Dagster assets."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.resources import WAREHOUSE_POOL, dbt_project


@dbt_assets(manifest=dbt_project.manifest_path, pool=WAREHOUSE_POOL)
def budget_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """dbt build: staging views, intermediate conforming, marts tables, and every dbt test."""
    yield from dbt.cli(["build"], context=context).stream()
