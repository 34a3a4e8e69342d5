"""Publish a read-only snapshot of the warehouse for BI tools. No Dagster imports.

DuckDB lets one process write a file, and a reader in another process blocks that writer. BI tools
therefore read a copy: after a refresh the warehouse is checkpointed (the WAL folded into the file)
and copied to a temporary file beside the snapshot, which then replaces the snapshot with an atomic
rename. A reader holding the old snapshot open keeps reading the old file until it reconnects.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def publish_snapshot(database: Path, published: Path) -> int:
    """Checkpoint ``database`` and atomically replace ``published`` with a copy of it.

    Returns:
        The size of the published file in bytes.
    """
    conn = duckdb.connect(str(database))
    try:
        conn.execute("checkpoint")
    finally:
        conn.close()
    temporary = published.with_name(f".{published.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(database, temporary)
        os.replace(temporary, published)
    finally:
        temporary.unlink(missing_ok=True)
    return published.stat().st_size
