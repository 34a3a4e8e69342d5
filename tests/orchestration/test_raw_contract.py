"""The raw contract is declared once: the record types (and the registry DDL) define the tables,
and the Dagster asset specs and the dbt sources YAML must name exactly those tables and columns.

A raw table added to the loader but not described to dbt (or the other way round) fails here, not
in a dbt model three layers down.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from orchestration import warehouse
from orchestration.defs.ingest import RAW_TABLE_DESCRIPTIONS

SOURCES_YAML = (
    Path(__file__).resolve().parents[2] / "dbt_project/models/staging/raw/_raw__sources.yml"
)
# Tables of the raw schema written by something other than the per-document loader.
NOT_LOADED_PER_DOCUMENT = {"document_inventory"}


def _source_tables() -> dict[str, list[str]]:
    sources = yaml.safe_load(SOURCES_YAML.read_text(encoding="utf-8"))["sources"]
    raw = next(source for source in sources if source["name"] == "raw")
    return {
        table["name"]: [column["name"] for column in table.get("columns", [])]
        for table in raw["tables"]
    }


def _registry_columns() -> list[str]:
    return re.findall(r"^\s*(\w+)\s+\w", warehouse.REGISTRY_DDL, flags=re.MULTILINE)


def test_every_loaded_table_is_an_asset_and_a_dbt_source() -> None:
    loaded = set(warehouse.ALL_TABLES)
    assert set(RAW_TABLE_DESCRIPTIONS) == loaded
    assert set(_source_tables()) - NOT_LOADED_PER_DOCUMENT == loaded


def test_dbt_sources_describe_exactly_the_columns_of_each_record_table() -> None:
    sources = _source_tables()
    for table, record_class in warehouse.RECORD_TABLES.items():
        expected = [name for name, _ in warehouse.record_columns(record_class)]
        assert sources[table] == expected, table


def test_dbt_sources_describe_exactly_the_registry_columns() -> None:
    assert _source_tables()[warehouse.REGISTRY_TABLE] == _registry_columns()
