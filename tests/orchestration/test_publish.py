"""The BI snapshot: a reader keeps it open while the warehouse is written and re-published."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from pathlib import Path

import duckdb

from orchestration.publish import publish_snapshot

# A reader in another process: opens the snapshot read-only, reports the count, waits for a line
# on stdin, then reports the count again through the same connection.
READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select count(*) from t").fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute("select count(*) from t").fetchone()[0], flush=True)
"""


def readline(process: subprocess.Popen, timeout: float = 60) -> str:
    """The child's next stdout line, stripped; fails (instead of hanging) after `timeout` s."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout).strip()
    except queue.Empty:
        process.kill()
        raise AssertionError(f"no output from the child process within {timeout} s") from None


def _write(database: Path, rows: int) -> None:
    conn = duckdb.connect(str(database))
    try:
        conn.execute("create or replace table t as select range as i from range(?)", [rows])
    finally:
        conn.close()


def test_refresh_proceeds_while_a_reader_holds_the_snapshot(tmp_path: Path):
    database, published = tmp_path / "budget.duckdb", tmp_path / "budget.published.duckdb"
    _write(database, 3)
    publish_snapshot(database, published)

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert readline(reader) == "3"
        # the refresh writes the warehouse although a reader is connected (to the snapshot) ...
        _write(database, 5)
        publish_snapshot(database, published)
        # ... the open reader still sees the snapshot it opened, a new reader sees the new one
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert readline(reader) == "3"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    fresh = duckdb.connect(str(published), read_only=True)
    try:
        assert fresh.execute("select count(*) from t").fetchone()[0] == 5
    finally:
        fresh.close()
    assert not list(tmp_path.glob(".*tmp-*")), "temporary copy left behind"
