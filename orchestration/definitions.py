"""The one Dagster entry point: everything under orchestration/defs/."""

from __future__ import annotations

import dagster as dg

from orchestration.defs import checks
from orchestration.defs.automation import (
    daily_refresh_schedule,
    ingest_job,
    raw_documents_sensor,
    refresh_job,
    review_after_refresh,
)
from orchestration.defs.ingest import document_inventory, ingest_document
from orchestration.defs.publish import published_warehouse
from orchestration.defs.resources import dbt_resource, warehouse_resource
from orchestration.defs.transform import budget_dbt_assets

defs = dg.Definitions(
    assets=[ingest_document, document_inventory, budget_dbt_assets, published_warehouse],
    jobs=[ingest_job, refresh_job],
    schedules=[daily_refresh_schedule],
    sensors=[raw_documents_sensor, review_after_refresh],
    resources={"warehouse_db": warehouse_resource(), "dbt": dbt_resource()},
)
defs = dg.Definitions.merge(defs, checks.defs)  # reconciliation asset checks (defs/checks.py)
