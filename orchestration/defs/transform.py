"""Transform: the dbt project (staging -> intermediate -> marts) as Dagster assets."""

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.defs.resources import WAREHOUSE_POOL, dbt_project
from orchestration.pipeline import dbt_results, state

# The dbt tests run inside `dbt build` and gate it: a failing test fails the build, the refresh
# and the publish. They are not Dagster asset checks: each check is three writes to Dagster's
# event log in every refresh (planned, output, evaluation), ~900 writes for the ~280 tests, and
# on the default SQLite storage that was 11 s of the 50 s it took to add one document to a
# warehouse of 1,000 (bench/README.md). The run's log gets one line of their results instead.
# The reconciliation checks, the verdicts an auditor reads, stay asset checks (defs/checks.py).
TRANSLATOR = DagsterDbtTranslator(DagsterDbtTranslatorSettings(enable_asset_checks=False))


@dbt_assets(
    manifest=dbt_project.manifest_path, pool=WAREHOUSE_POOL, dagster_dbt_translator=TRANSLATOR
)
def budget_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """dbt build: staging views, intermediate conforming, marts tables, and every dbt test.

    The per-document models are incremental (``dbt_project/macros/incremental.sql``): the
    refresh compares the warehouse with the last refresh recorded in it
    (``orchestration.pipeline.state``) and builds with ``--full-refresh`` when the dbt project
    changed, else only the documents added, removed or read again.

    Only contract tests (keys unique, relationships, accepted values) are errors, so a build
    fails only when the warehouse itself is wrong; the run's log has one line of the tests'
    results (``TRANSLATOR`` above says why they are not asset checks). A document's own
    problems (a misread total, a missing table, an unresolved unit) become rows of
    marts.document_review_reasons and never fail or skip a model for the other documents;
    `make run STRICT=1` turns them into a non-zero exit (orchestration/cli.py).
    """
    plan = state.warehouse_plan()
    context.log.info(f"dbt build, {plan.mode}: {plan.reason}")
    with state.refresh_environment(plan):  # the documents of an incremental refresh, for dbt
        invocation = dbt.cli(state.dbt_build_args(plan), context=context)
    tests = []
    try:
        # what invocation.stream() does, keeping each test's result from dbt's own event
        for raw in invocation.stream_raw_events():
            result = dbt_results.test_result(raw.raw_event)
            if result is not None:
                tests.append(result)
            for event in raw.to_default_asset_events(
                manifest=invocation.manifest,
                dagster_dbt_translator=invocation.dagster_dbt_translator,
                context=context,
                target_path=invocation.target_path,
                project=invocation.project,
            ):
                # a test's result, which dagster-dbt reports as an observation of each model the
                # test reads when tests are not asset checks: summed up in one line below
                if not isinstance(event, dg.AssetObservation):
                    yield event
    finally:
        if tests:  # dbt ran its tests (a failed build too)
            context.log.info(dbt_results.test_summary(tests))
