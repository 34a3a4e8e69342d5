"""A warehouse of many documents for query latency: the marts of a built one, replicated.

Building 10,000 documents end to end does not fit a shared 2-core machine in a bench run, but the
analyst queries only read the marts. Each copy of a marts table gets its document id and every
``*_key`` column suffixed with the copy number, so joins stay one-to-one within a copy and the
data volume and cardinalities are those of ``copies × documents``. Reference dimensions (no
document or key column) are copied once.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb


def _is_key(column: str) -> bool:
    return column == "document_id" or column.endswith("_key")


def scale_up(source: Path, target: Path, documents: int, tables: set[str] | None = None) -> int:
    """Write ``target`` with the marts of ``source`` replicated to about ``documents`` documents.

    ``tables`` limits the copy to the marts tables named (dim_document is always copied).

    Returns:
        The number of documents in ``target``.
    """
    target.unlink(missing_ok=True)
    conn = duckdb.connect(str(target))
    try:
        conn.execute("set enable_progress_bar = false")
        conn.execute(f"attach '{source}' as src (read_only)")
        have = conn.execute("select count(*) from src.marts.dim_document").fetchone()[0]
        copies = max(1, math.ceil(documents / max(have, 1)))
        conn.execute("create schema marts")
        tables_found = conn.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'src' and table_schema = 'marts'"
            " and table_type in ('BASE TABLE', 'VIEW')"
        ).fetchall()
        wanted = None if tables is None else {*tables, "dim_document"}
        for (table,) in tables_found:
            if wanted is not None and table not in wanted:
                continue
            columns = [
                row[0]
                for row in conn.execute(
                    "select column_name from information_schema.columns "
                    "where table_catalog = 'src' and table_schema = 'marts' and table_name = ? "
                    "order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            if not any(_is_key(c) for c in columns):
                conn.execute(f'create table marts."{table}" as select * from src.marts."{table}"')
                continue
            select = ", ".join(
                f'"{c}" || \'~\' || copy::varchar as "{c}"' if _is_key(c) else f'"{c}"'
                for c in columns
            )
            conn.execute(
                f'create table marts."{table}" as select {select} '
                f'from src.marts."{table}", range({copies}) as copies(copy)'
            )
        conn.execute("detach src")
        return conn.execute("select count(*) from marts.dim_document").fetchone()[0]
    finally:
        conn.close()
