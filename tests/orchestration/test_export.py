"""`make export`: Parquet and CSV read back equal the marts (money exact); descriptor valid."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import frictionless  # the dev extra
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration import export


@pytest.fixture
def tiny_warehouse(tmp_path: Path) -> Path:
    """A warehouse with two marts named like real ones, money that a float would not keep."""
    database = tmp_path / "budget.duckdb"
    conn = duckdb.connect(str(database))
    conn.execute("create schema marts")
    conn.execute(
        """
        create table marts.fct_budget_revenue (
            document_id varchar, fiscal_year integer, function_code varchar,
            printed_name varchar, amount_yuan decimal(18, 2), amount_printed decimal(18, 4),
            printed_unit varchar, raw_text varchar
        )
        """
    )
    conn.execute(
        """
        insert into marts.fct_budget_revenue values
            ('a1', 2025, '2050201', '学前教育', 9999999999999999.99, 99999999999999.9999, '元',
             '99999999999999.9999'),
            ('a1', 2025, '2050202', '小学教育，"含"附属', 0.10, 0.001, '万元', '0.001'),
            ('a1', 2025, null, '-', null, null, null, '-')
        """
    )
    conn.execute(
        """
        create table marts.reconciliation_results (
            document_id varchar, rule_id varchar, expected_yuan decimal(18, 2),
            is_acknowledged boolean, expected_lines integer[]
        )
        """
    )
    conn.execute(
        "insert into marts.reconciliation_results values "
        "('a1', 'within.parent_equals_children', 12345678901234.56, false, [12, 30]), "
        "('a1', 'cross.x', 0.01, true, [])"
    )
    conn.close()
    return database


def _package_errors(descriptor_path: Path) -> list[str]:
    """Errors of the descriptor (Data Package and Table Schema specs) and of every CSV's data.

    The Parquet resources are checked by the round trip instead: this frictionless version
    cannot read Parquet list columns.
    """
    descriptor = json.loads(descriptor_path.read_text("utf-8"))
    try:
        errors = [e.note for e in frictionless.Package.metadata_validate(descriptor)]
    except frictionless.FrictionlessException as exc:
        return [str(exc)]
    package = frictionless.Package(descriptor_path)
    for resource in package.resources:
        if resource.format == "csv":
            report = resource.validate()
            errors += [f"{resource.name}: {e}" for e in report.flatten(["type", "note", "cell"])]
    return errors


def _mart_rows(database: Path, table: str) -> list[tuple]:
    conn = duckdb.connect(str(database), read_only=True)
    try:
        return conn.execute(f"select * from marts.{table}").fetchall()
    finally:
        conn.close()


def test_parquet_round_trip_keeps_decimals_exact(tiny_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    export.export(tiny_warehouse, out, bom=False)
    table = pq.read_table(out / "fct_budget_revenue.parquet")
    assert table.schema.field("amount_yuan").type == pa.decimal128(18, 2)
    values = table.column("amount_yuan").to_pylist()
    assert values[0] == Decimal("9999999999999999.99")  # not representable as a float
    assert values[1] == Decimal("0.10")
    assert values[2] is None
    for name in ("fct_budget_revenue", "reconciliation_results"):
        back = duckdb.sql(f"select * from read_parquet('{out / (name + '.parquet')}')").fetchall()
        assert back == _mart_rows(tiny_warehouse, name)


def test_csv_round_trip_prints_decimals_and_keeps_null_apart(
    tiny_warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    export.export(tiny_warehouse, out, bom=False)
    raw = (out / "fct_budget_revenue.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    assert rows[0]["amount_yuan"] == "9999999999999999.99"
    assert rows[1]["amount_yuan"] == "0.10"
    assert rows[1]["amount_printed"] == "0.0010"  # DECIMAL(18,4) as printed by the mart type
    assert rows[0]["amount_printed"] == "99999999999999.9999"
    assert rows[1]["printed_name"] == '小学教育，"含"附属'
    assert rows[2]["amount_yuan"] == "" and rows[2]["printed_name"] == "-"
    mart = _mart_rows(tiny_warehouse, "fct_budget_revenue")
    for row, expected in zip(rows, mart, strict=True):
        amount = Decimal(row["amount_yuan"]) if row["amount_yuan"] else None
        assert amount == expected[4]
    results = list(
        csv.DictReader((out / "reconciliation_results.csv").read_text("utf-8").splitlines())
    )
    assert json.loads(results[0]["expected_lines"]) == [12, 30]
    assert json.loads(results[1]["expected_lines"]) == []
    assert results[0]["expected_yuan"] == "12345678901234.56"
    assert [r["is_acknowledged"] for r in results] == ["false", "true"]


def test_csv_bom_for_excel(tiny_warehouse: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EXPORT_CSV_BOM", "1")
    out = tmp_path / "export"
    descriptor = export.export(tiny_warehouse, out)
    raw = (out / "fct_budget_revenue.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdocument_id,")
    assert raw.count(b"\xef\xbb\xbf") == 1
    csv_resources = [r for r in descriptor["resources"] if r["format"] == "csv"]
    assert {r["encoding"] for r in csv_resources} == {"utf-8-sig"}
    assert _package_errors(out / export.DESCRIPTOR_NAME) == []


def test_descriptor_names_columns_in_chinese_and_english_with_unit_and_classification(
    tiny_warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    export.export(tiny_warehouse, out, bom=False)
    descriptor = json.loads((out / "datapackage.json").read_text("utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "fct_budget_revenue")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    # From dbt_project/models/marts/budget/_budget__models.yml ("金额（元）— amount in yuan ...").
    amount = fields["amount_yuan"]
    assert amount["zh"] == "金额（元）"
    assert amount["en"].startswith("amount in yuan")
    assert amount["type"] == "number" and amount["unit"] == "CNY (元)"
    assert amount["columnType"] == "value"
    function = fields["function_code"]
    assert function["zh"] == "功能分类科目"
    assert function["classification"].startswith("功能分类")
    assert function["columnType"] == "functional-classification:generic:code"
    assert fields["fiscal_year"]["type"] == "integer"
    assert fields["amount_printed"]["unit"].startswith("printed_unit")
    lines = next(r for r in descriptor["resources"] if r["name"] == "reconciliation_results")
    lines_fields = {f["name"]: f for f in lines["schema"]["fields"]}
    assert lines_fields["expected_lines"]["type"] == "array"
    assert lines_fields["is_acknowledged"]["type"] == "boolean"
    # The descriptor and every CSV validate against the Frictionless specs (schema and data).
    assert _package_errors(out / "datapackage.json") == []


def test_descriptor_validation_catches_a_wrong_type(tiny_warehouse: Path, tmp_path: Path) -> None:
    """The validation above can fail: a text column declared integer is reported."""
    out = tmp_path / "export"
    descriptor = export.export(tiny_warehouse, out, bom=False)
    resource = next(r for r in descriptor["resources"] if r["name"] == "fct_budget_revenue")
    next(f for f in resource["schema"]["fields"] if f["name"] == "printed_name")["type"] = "integer"
    (out / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    errors = _package_errors(out / "datapackage.json")
    assert errors and all("fct_budget_revenue" in e and "type" in e for e in errors)


def test_every_documented_mart_column_has_a_chinese_and_english_name() -> None:
    models = export.load_model_docs()
    assert "fct_budget_revenue" in models and "reconciliation_results" in models
    missing = [
        f"{model.name}.{name}"
        for model in models.values()
        for name, column in model.columns.items()
        if not column.zh or not column.en
    ]
    assert missing == []


@pytest.mark.slow
def test_export_of_the_built_warehouse_round_trips(built_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    descriptor = export.export(built_warehouse, out, bom=False)
    conn = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        tables = export.mart_tables(conn)
        assert "fct_budget_revenue" in tables and "reconciliation_results" in tables
        for table, columns in tables.items():
            parquet = out / f"{table}.parquet"
            diff = conn.execute(
                f"select count(*) from ((select * from marts.{table} except all "
                f"select * from read_parquet('{parquet}')) union all "
                f"(select * from read_parquet('{parquet}') except all "
                f"select * from marts.{table}))"
            ).fetchone()[0]
            assert diff == 0, table
            types = conn.execute(f"describe select * from read_parquet('{parquet}')").fetchall()
            assert [(r[0], r[1]) for r in types] == columns, table
            # CSV: every field is the mart's own text of the value (lists as JSON).
            expected = conn.execute(
                "select "
                + ", ".join(
                    f"coalesce(to_json({c})::varchar, '')"
                    if t.endswith("[]")
                    else f"coalesce({c}::varchar, '')"
                    for c, t in columns
                )
                + f" from marts.{table}"
            ).fetchall()
            with (out / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                assert next(reader) == [c for c, _ in columns]
                got = [tuple(row) for row in reader]
            assert sorted(got) == sorted(expected), table
        total = conn.execute("select sum(amount_yuan) from marts.fct_budget_revenue").fetchone()[0]
    finally:
        conn.close()
    with (out / "fct_budget_revenue.csv").open(encoding="utf-8", newline="") as handle:
        summed = sum(Decimal(r["amount_yuan"]) for r in csv.DictReader(handle))
    assert summed == total
    assert _package_errors(out / "datapackage.json") == []
    assert {r["name"] for r in descriptor["resources"] if r["format"] == "csv"} == set(tables)
    unnamed = [
        f"{r['name']}.{f['name']}"
        for r in descriptor["resources"]
        if r["format"] == "csv"
        for f in r["schema"]["fields"]
        if not f["zh"] or not f["en"]
    ]
    assert unnamed == []
    assert {r["path"] for r in descriptor["resources"] if r["format"] == "parquet"} == {
        f"{t}.parquet" for t in tables
    }
