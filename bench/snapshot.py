"""Compare the raw and marts tables of two warehouses, row for row.

    python -m bench.snapshot A.duckdb B.duckdb

Used to check that a change of the loading path leaves every table identical, and by the bench to
check that an incremental build equals a clean one. Columns that record when a row was loaded
(``ingested_at``) are left out; a column present in only one warehouse is reported, not compared.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

# Columns whose value is the wall-clock time of a load, not the content of the document.
VOLATILE_COLUMNS = frozenset({"ingested_at"})
SCHEMAS = ("raw", "marts")


def snapshot(database: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every base table of the raw and marts schemas: (column names, rows sorted)."""
    conn = duckdb.connect(str(database), read_only=True)
    try:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'marts')"
            " and table_type in ('BASE TABLE', 'VIEW') order by 1, 2"
        ).fetchall()
        result = {}
        for schema, table in tables:
            columns = [
                row[0]
                for row in conn.execute(f'describe {schema}."{table}"').fetchall()
                if row[0] not in VOLATILE_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(f'select {select} from {schema}."{table}"').fetchall()
            result[f"{schema}.{table}"] = (columns, sorted(rows, key=repr))
        return result
    finally:
        conn.close()


def differences(a: Path, b: Path) -> list[str]:
    """Human-readable differences between the two warehouses (empty when identical)."""
    left, right = snapshot(a), snapshot(b)
    out = [f"only in {a.name}: {t}" for t in sorted(left.keys() - right.keys())]
    out += [f"only in {b.name}: {t}" for t in sorted(right.keys() - left.keys())]
    for table in sorted(left.keys() & right.keys()):
        (cols_a, rows_a), (cols_b, rows_b) = left[table], right[table]
        common = [c for c in cols_a if c in cols_b]
        if cols_a != cols_b:
            extra = sorted(set(cols_a) ^ set(cols_b))
            out.append(f"{table}: columns in one only (not compared): {extra}")
        index_a = [cols_a.index(c) for c in common]
        index_b = [cols_b.index(c) for c in common]
        proj_a = sorted((tuple(r[i] for i in index_a) for r in rows_a), key=repr)
        proj_b = sorted((tuple(r[i] for i in index_b) for r in rows_b), key=repr)
        if proj_a != proj_b:
            out.append(f"{table}: {len(proj_a)} vs {len(proj_b)} rows, contents differ")
    return out


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    diff = differences(Path(args[0]), Path(args[1]))
    for line in diff:
        print(line)
    real = [line for line in diff if "not compared" not in line]
    tables = len(snapshot(Path(args[0])))
    print(f"{tables} tables compared: {'identical' if not real else f'{len(real)} differ'}")
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
