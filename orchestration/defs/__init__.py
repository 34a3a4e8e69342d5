"""Dagster definitions, by role: ingest, transform (dbt), checks, automation."""
