"""`make export`: every mart as Parquet and UTF-8 CSV, with a Frictionless data package descriptor.

    python -m orchestration.export [--bom] [--out DIR]

Reads the published snapshot (``<warehouse>.published.duckdb``) when it exists, else the warehouse
itself, always read-only. Writes ``<mart>.parquet`` and ``<mart>.csv`` for every table of schema
``marts`` into ``export/`` beside ``DUCKDB_DATABASE`` (``EXPORT_DIR`` overrides), and
``datapackage.json`` describing them.

- Money stays exact: DECIMAL(18,2) is a Parquet ``decimal(18,2)``, and in CSV the decimal printed
  with its two places (``1234.50``), never a float.
- CSV is UTF-8; ``EXPORT_CSV_BOM=1`` (or ``--bom``) writes a byte-order mark so that Excel opens
  the Chinese text correctly. Lists (e.g. the document lines of a reconciliation figure) are JSON
  arrays in CSV. Booleans are ``true`` / ``false``; an empty field is NULL.
- ``datapackage.json`` (Frictionless Tabular Data Package, with the column types of the Fiscal Data
  Package where they apply) names every column in Chinese and English, with its type, unit and the
  classification it uses. It is generated from the dbt model YAML (``dbt_project/models/marts``):
  a column description written "中文 — English", or ``meta: {zh, en, unit, classification}``; a
  column that references a dimension (dbt ``relationships`` test) uses that dimension's
  ``meta.classification``.

No Dagster here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from orchestration import settings

MARTS_YAML_GLOB = "models/marts/**/_*__models.yml"
DESCRIPTOR_NAME = "datapackage.json"
_CJK = re.compile(r"[\u3400-\u9fff]")
_REF = re.compile(r"ref\(\s*['\"]([\w]+)['\"]\s*\)")
# Fiscal Data Package (v1) column types, by the classification dimension a column references.
_FISCAL_COLUMN_TYPES: dict[str, str] = {
    "dim_function_code": "functional-classification:generic:code",
    "dim_economic_code": "economic-classification:generic:code",
    "dim_department": "administrative-classification:generic:code",
    "dim_fund_source": "fin-source:generic:code",
    "dim_region": "geo-source:code",
}


def export_dir() -> Path:
    """``EXPORT_DIR``, default ``export/`` beside the warehouse file."""
    configured = os.environ.get("EXPORT_DIR")
    if configured:
        return Path(configured).resolve()
    return settings.duckdb_path().parent / "export"


def source_database() -> Path:
    """The published snapshot when there is one, else the warehouse file."""
    published = settings.published_path()
    return published if published.exists() else settings.duckdb_path()


# --- the dbt YAML: what each column means -------------------------------------------------------


@dataclass
class ColumnDoc:
    """What the dbt YAML says about one column."""

    description: str = ""
    zh: str = ""
    en: str = ""
    unit: str | None = None
    classification: str | None = None
    references: str | None = None


@dataclass
class ModelDoc:
    """What the dbt YAML says about one mart model."""

    name: str
    description: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, ColumnDoc] = field(default_factory=dict)


def _split_bilingual(description: str) -> tuple[str, str]:
    """'预算年度 — fiscal year of the document.' -> ('预算年度', 'fiscal year of the document.')."""
    head, sep, tail = description.partition("—")
    if sep and _CJK.search(head):
        return head.strip(), tail.strip()
    return "", description.strip()


def _relationship_target(tests: list[Any]) -> str | None:
    for test in tests or []:
        if isinstance(test, dict) and "relationships" in test:
            spec = test["relationships"] or {}
            to = (spec.get("arguments") or spec).get("to", "")
            match = _REF.search(str(to))
            if match:
                return match.group(1)
    return None


def load_model_docs(dbt_project_dir: Path | None = None) -> dict[str, ModelDoc]:
    """Every mart model of the dbt YAML: columns' bilingual names, units, classifications."""
    project = dbt_project_dir or settings.DBT_PROJECT_DIR
    models: dict[str, ModelDoc] = {}
    for path in sorted(project.glob(MARTS_YAML_GLOB)):
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            doc = ModelDoc(
                entry["name"],
                " ".join(str(entry.get("description") or "").split()),
                dict((entry.get("config") or {}).get("meta") or entry.get("meta") or {}),
            )
            for column in entry.get("columns") or []:
                meta = dict((column.get("config") or {}).get("meta") or column.get("meta") or {})
                description = " ".join(str(column.get("description") or "").split())
                zh, en = _split_bilingual(description)
                doc.columns[column["name"]] = ColumnDoc(
                    description=description,
                    zh=str(meta.get("zh") or zh),
                    en=str(meta.get("en") or en),
                    unit=meta.get("unit"),
                    classification=meta.get("classification"),
                    references=_relationship_target(
                        column.get("data_tests") or column.get("tests") or []
                    ),
                )
            models[doc.name] = doc
    return models


# --- the descriptor ----------------------------------------------------------------------------


def _table_schema_type(duckdb_type: str) -> tuple[str, dict[str, Any]]:
    """Table Schema type (and extra properties) of a DuckDB column type, as written to CSV."""
    t = duckdb_type.upper()
    if t.endswith("[]"):
        return "array", {}
    if t.startswith("DECIMAL"):
        return "number", {"bareNumber": True}
    if t in {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT"}:
        return "integer", {}
    if t in {"UINTEGER", "UBIGINT"}:
        return "integer", {}
    if t in {"DOUBLE", "FLOAT", "REAL"}:
        return "number", {}
    if t == "BOOLEAN":
        return "boolean", {"trueValues": ["true"], "falseValues": ["false"]}
    if t == "DATE":
        return "date", {}
    if t.startswith("TIMESTAMP"):
        return "datetime", {"format": "any"}
    return "string", {}


def _unit(column: str, duckdb_type: str, doc: ColumnDoc) -> str | None:
    if doc.unit:
        return str(doc.unit)
    if duckdb_type.upper().startswith("DECIMAL") and column.endswith("_yuan"):
        return "CNY (元)"
    return None


def field_descriptor(
    column: str, duckdb_type: str, doc: ColumnDoc, models: dict[str, ModelDoc]
) -> dict[str, Any]:
    """One Table Schema field: name, type, title in Chinese and English, unit, classification."""
    kind, extra = _table_schema_type(duckdb_type)
    out: dict[str, Any] = {"name": column, "type": kind, **extra}
    zh = doc.zh
    en = doc.en or column.replace("_", " ")
    out["title"] = f"{zh} / {en}" if zh else en
    if doc.description:
        out["description"] = doc.description
    out["zh"] = zh
    out["en"] = en
    out["duckdbType"] = duckdb_type
    unit = _unit(column, duckdb_type, doc)
    if unit:
        out["unit"] = unit
    classification = doc.classification
    if not classification and doc.references:
        target = models.get(doc.references)
        classification = (target.meta.get("classification") if target else None) or (doc.references)
    if classification:
        out["classification"] = classification
    if doc.references in _FISCAL_COLUMN_TYPES:
        out["columnType"] = _FISCAL_COLUMN_TYPES[doc.references]
    elif unit and unit.startswith("CNY"):
        out["columnType"] = "value"
    elif column == "fiscal_year":
        out["columnType"] = "date:fiscal-year"
    return out


def build_descriptor(
    tables: dict[str, list[tuple[str, str]]], models: dict[str, ModelDoc], bom: bool
) -> dict[str, Any]:
    """The ``datapackage.json`` for the exported tables (name -> [(column, duckdb type)])."""
    resources: list[dict[str, Any]] = []
    for table, columns in tables.items():
        doc = models.get(table) or ModelDoc(table)
        fields = [
            field_descriptor(c, t, doc.columns.get(c) or ColumnDoc(), models) for c, t in columns
        ]
        schema = {"fields": fields, "missingValues": [""]}
        resources.append(
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig" if bom else "utf-8",
                "title": table,
                "description": doc.description,
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": schema,
            }
        )
        resources.append(
            {
                "name": f"{table}.parquet",
                "path": f"{table}.parquet",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "title": f"{table} (Parquet)",
                "description": (
                    f"The same rows and columns as {table}.csv (its schema describes them), "
                    "with the warehouse's own types: money as Parquet decimal(18,2), lists as "
                    "Parquet lists."
                ),
            }
        )
    return {
        "name": "budget-warehouse-marts",
        "title": "Chinese public-sector budget disclosures: warehouse marts",
        "description": (
            "Every table of schema marts of the budget warehouse: conformed dimensions, facts "
            "(money as DECIMAL(18,2) yuan) and reconciliation results. Each column carries its "
            "Chinese (zh) and English (en) name, unit and classification, from the dbt model "
            "descriptions."
        ),
        "profile": "data-package",
        "licenses": [{"name": "other-at", "title": "As published by the issuing bodies"}],
        "resources": resources,
    }


# --- the export --------------------------------------------------------------------------------


def mart_tables(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Every table and view of schema marts with its columns and DuckDB types, in column order."""
    rows = conn.execute(
        """
        select c.table_name, c.column_name, c.data_type
        from information_schema.columns as c
        join information_schema.tables as t
            on c.table_schema = t.table_schema and c.table_name = t.table_name
        where c.table_schema = 'marts' and t.table_type in ('BASE TABLE', 'VIEW')
        order by c.table_name, c.ordinal_position
        """
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, data_type))
    return tables


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def csv_select(table: str, columns: list[tuple[str, str]]) -> str:
    """The SELECT whose text is the CSV: lists as JSON arrays, everything else DuckDB's text."""
    items = []
    for column, data_type in columns:
        name = _quote(column)
        if data_type.endswith("[]"):
            items.append(f"to_json({name})::varchar as {name}")
        else:
            items.append(name)
    return f"select {', '.join(items)} from marts.{_quote(table)}"


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(
    database: Path | None = None, out_dir: Path | None = None, bom: bool | None = None
) -> dict[str, Any]:
    """Write every mart as Parquet and CSV, and ``datapackage.json``; returns the descriptor.

    Writes into a temporary directory beside ``out_dir`` and swaps it in, so a reader never sees
    a half-written export.
    """
    database = database or source_database()
    out_dir = out_dir or export_dir()
    if bom is None:
        bom = os.environ.get("EXPORT_CSV_BOM", "") not in {"", "0", "false", "no"}
    if not database.exists():
        raise FileNotFoundError(f"no warehouse at {database}: run `make run` first")
    staging = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    conn = duckdb.connect(str(database), read_only=True)
    try:
        tables = mart_tables(conn)
        if not tables:
            raise RuntimeError(f"{database} has no tables in schema marts: run `make run` first")
        for table, columns in tables.items():
            source = f"select * from marts.{_quote(table)}"
            conn.execute(
                f"copy ({source}) to {_sql_path(staging / f'{table}.parquet')} "
                "(format parquet, compression zstd)"
            )
            csv_path = staging / f"{table}.csv"
            conn.execute(
                f"copy ({csv_select(table, columns)}) to {_sql_path(csv_path)} "
                "(format csv, header true, delimiter ',', quote '\"', null '')"
            )
            if bom:
                _prepend_bom(csv_path)
    finally:
        conn.close()
    descriptor = build_descriptor(tables, load_model_docs(), bom)
    (staging / DESCRIPTOR_NAME).write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    previous = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        os.replace(out_dir, previous)
    os.replace(staging, out_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return descriptor


def _prepend_bom(path: Path) -> None:
    with_bom = path.with_name(path.name + ".bom")
    with path.open("rb") as source, with_bom.open("wb") as target:
        target.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(source, target, 1 << 20)
    os.replace(with_bom, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orchestration.export", description=__doc__)
    parser.add_argument("--bom", action="store_true", help="UTF-8 CSV with a BOM (for Excel)")
    parser.add_argument("--out", type=Path, help="output directory (default export/ beside DB)")
    parser.add_argument("--database", type=Path, help="warehouse file (default: the snapshot)")
    args = parser.parse_args(argv)
    try:
        descriptor = export(args.database, args.out, True if args.bom else None)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 1
    out = args.out or export_dir()
    tables = [r["name"] for r in descriptor["resources"] if r.get("format") == "csv"]
    print(f"exported {len(tables)} marts as Parquet and CSV to {out}")
    print(f"descriptor: {out / DESCRIPTOR_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
