"""Jobs, the daily schedule and the sensor that registers new and changed documents."""

import hashlib

import dagster as dg

from orchestration import ingest
from orchestration.defs.checks import reconciliation_review_job
from orchestration.defs.ingest import document_inventory, documents_partitions, ingest_document
from orchestration.defs.publish import published_warehouse
from orchestration.defs.transform import budget_dbt_assets

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.assets(ingest_document),
    partitions_def=documents_partitions,
    description="Extract one document (partition) into the raw schema.",
)
refresh_job = dg.define_asset_job(
    "refresh_job",
    selection=dg.AssetSelection.assets(document_inventory, budget_dbt_assets, published_warehouse),
    description="Prune removed documents, dbt build every model and test, publish the snapshot.",
)

daily_refresh_schedule = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Shanghai",
)


@dg.sensor(
    name="raw_documents_sensor",
    jobs=[ingest_job, refresh_job],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def raw_documents_sensor(context: dg.SensorEvaluationContext):
    """Register new/changed files in raw/ as partitions, drop removed ones, and refresh after."""
    present = {doc.document_id for doc, _ in ingest.discover()}
    known = set(context.instance.get_dynamic_partitions(documents_partitions.name))
    new = sorted(present - known)
    removed = sorted(known - present)
    if not new and not removed:
        return dg.SkipReason("raw/ unchanged")
    run_requests = [
        dg.RunRequest(run_key=f"ingest-{key}", partition_key=key, job_name=ingest_job.name)
        for key in new
    ]
    # Runs are serialised (dagster.yaml: one run at a time), so the refresh queued after the
    # ingest runs sees their rows.
    state = hashlib.sha256(",".join(sorted(present)).encode()).hexdigest()[:16]
    run_requests.append(dg.RunRequest(run_key=f"refresh-{state}", job_name=refresh_job.name))
    return dg.SensorResult(
        run_requests=run_requests,
        dynamic_partitions_requests=[
            documents_partitions.build_add_request(new),
            documents_partitions.build_delete_request(removed),
        ],
    )


@dg.run_status_sensor(
    name="review_after_refresh",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[refresh_job],
    request_job=reconciliation_review_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def review_after_refresh(context: dg.RunStatusSensorContext):
    """After each successful refresh, record every document's reconciliation verdict."""
    run_id = context.dagster_run.run_id
    return [
        dg.RunRequest(run_key=f"review-{run_id}-{key}", partition_key=key)
        for key in context.instance.get_dynamic_partitions(documents_partitions.name)
    ]
