"""Transform: the dbt project (staging -> intermediate -> marts) as Dagster assets."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.resources import WAREHOUSE_POOL, dbt_project
from orchestration.pipeline import state


@dbt_assets(manifest=dbt_project.manifest_path, pool=WAREHOUSE_POOL)
def budget_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """dbt build: staging views, intermediate conforming, marts tables, and every dbt test.

    The per-document models are incremental (``dbt_project/macros/incremental.sql``): the
    refresh compares the warehouse with the last refresh recorded in it
    (``orchestration.pipeline.state``) and builds with ``--full-refresh`` when the dbt project
    changed, else only the documents added, removed or read again.

    Only contract tests (keys unique, relationships, accepted values) are errors, so a build
    fails only when the warehouse itself is wrong. A document's own problems (a misread total,
    a missing table, an unresolved unit) become rows of marts.document_review_reasons and never
    fail or skip a model for the other documents; `make run STRICT=1` turns them into a
    non-zero exit (orchestration/cli.py).
    """
    plan = state.warehouse_plan()
    context.log.info(f"dbt build, {plan.mode}: {plan.reason}")
    with state.refresh_environment(plan):  # the documents of an incremental refresh, for dbt
        invocation = dbt.cli(state.dbt_build_args(plan), context=context)
    yield from invocation.stream()
