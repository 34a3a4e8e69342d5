"""A run killed with SIGKILL mid-way: the BI snapshot is untouched, the next run converges.

And a BI reader holding the published snapshot never blocks the run nor sees a half build. The
pipeline runs in a subprocess (`orchestration.cli run`), killed with its whole process group (dbt
and the extraction workers included) at a chosen point.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.snapshot import differences
from bench.synthetic import perturb
from orchestration import ingest
from orchestration.pipeline import stage
from tests.conftest import PROJECT_ROOT, RAW_DIR, SAMPLE_001, run_pipeline

pytestmark = pytest.mark.slow

# A copy of 001 with its issuing body renamed: its own content, and only the sample's
# finding-severity discrepancies (a copy of 004 would carry 004's acknowledged integrity failures
# under a new document id, unacknowledged, and make run would rightly fail).
NEW_DOCUMENT = "yangquan-education-bureau-2025-department-budget-copy.txt"

# A BI reader: holds one read-only connection to the snapshot and, until the stop file appears,
# writes what it sees (documents, fact rows, the sum of the budget facts) one line per query.
READER = """
import sys, time, duckdb
from pathlib import Path
con = duckdb.connect(sys.argv[1], read_only=True)
out, stop = Path(sys.argv[2]), Path(sys.argv[3])
with out.open("a") as handle:
    while True:
        row = con.execute(
            "select (select count(*) from marts.dim_document), "
            "(select count(*) from marts.fct_budget_expenditure), "
            "(select sum(amount_yuan) from marts.fct_budget_expenditure)"
        ).fetchone()
        handle.write(repr(row) + "\\n")
        handle.flush()
        if stop.exists():
            break
        time.sleep(0.2)
"""


def _raw_with_new_document(directory: Path) -> Path:
    shutil.copytree(RAW_DIR, directory)
    text = perturb(SAMPLE_001.read_text(encoding="utf-8"), ("阳泉市教育局",), 1)
    (directory / NEW_DOCUMENT).write_text(text, encoding="utf-8")
    return directory


def _env(raw: Path, database: Path, dagster_home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RAW_DIR": str(raw),
        "DUCKDB_DATABASE": str(database),
        "DAGSTER_HOME": str(dagster_home),
    }


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples plus the new document, built from nothing in one uninterrupted run."""
    base = tmp_path_factory.mktemp("clean")
    raw = _raw_with_new_document(base / "raw")
    database = base / "budget.duckdb"
    result = run_pipeline(raw, database, base / "dagster_home")
    assert result.returncode == 0, result.stderr[-4000:]
    return database


def _kill_when(process: subprocess.Popen, point: str, new_doc_staged: Path) -> None:
    """Wait for the kill point, then SIGKILL the run's whole process group.

    The run's output is drained by a thread the whole time: a run writing into a full pipe nobody
    reads would block before it reaches the kill point.
    """
    deadline = time.monotonic() + 900
    building_marts = threading.Event()

    def drain() -> None:
        # dbt prints one line per node; the dbt kill point is when it builds the mart tables
        for line in process.stdout:
            if "START sql table model marts." in line:
                building_marts.set()

    threading.Thread(target=drain, daemon=True).start()
    while not (
        building_marts.is_set()
        if point == "dbt"
        # loading: the new document's extraction is staged, its load is next
        else (new_doc_staged / stage.STAGE_FILE).exists()
    ):
        assert process.poll() is None, "the run ended before the kill point"
        assert time.monotonic() < deadline, "the run did not reach the kill point in 900 s"
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before the kill point"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


@pytest.mark.parametrize("point", ["loading", "dbt"])
def test_killed_run_leaves_snapshot_and_next_run_converges(
    built_warehouse: Path, clean_build: Path, tmp_path: Path, point: str
):
    raw = _raw_with_new_document(tmp_path / "raw")
    database = tmp_path / "budget.duckdb"
    published = tmp_path / "budget.published.duckdb"
    shutil.copy(built_warehouse, database)
    shutil.copy(built_warehouse.with_name("budget.published.duckdb"), published)
    before = _sha(published)
    env = _env(raw, database, tmp_path / "dagster_home")
    new_doc = next(doc for doc, _ in ingest.discover(raw) if doc.file_name == NEW_DOCUMENT)
    staged = stage.staged_dir(new_doc, tmp_path / "staging")

    seen, stop = tmp_path / "reader.txt", tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published), str(seen), str(stop)])
    try:
        run = subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", "run"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        _kill_when(run, point, staged)
        assert run.returncode == -signal.SIGKILL
        # the snapshot BI tools read is the one published before the killed run
        assert _sha(published) == before

        # the next run completes although the reader still holds the snapshot ...
        again = run_pipeline(raw, database, tmp_path / "dagster_home")
        assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    finally:
        stop.touch()
        reader.wait(timeout=60)
    # ... and the reader saw the snapshot it opened, whole, on every query
    lines = seen.read_text().splitlines()
    assert len(lines) >= 2 and set(lines) == {lines[0]}, set(lines)
    assert lines[0].startswith("(3, ")
    # the interrupted-then-finished warehouse equals a clean build of the same documents
    assert [d for d in differences(database, clean_build) if "not compared" not in d] == []
    assert _sha(published) != before
