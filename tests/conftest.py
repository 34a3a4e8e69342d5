"""Shared fixtures: the sample documents, and one warehouse built end to end per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = PROJECT_ROOT / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The three sample documents shipped in raw/ (copies of shared/seeds/ 001, 003, 004).
SAMPLE_001 = RAW_DIR / "yangquan-education-bureau-2025-department-budget.txt"
SAMPLE_003 = RAW_DIR / "kaijiang-teaching-research-office-2023-performance-approval.md"
SAMPLE_004 = RAW_DIR / "minhang-education-institute-2020-unit-budget.txt"


def run_pipeline(raw_dir: Path, database: Path, dagster_home: Path) -> subprocess.CompletedProcess:
    """Run `python -m orchestration.cli run` in a subprocess against the given paths."""
    env = {
        **os.environ,
        "RAW_DIR": str(raw_dir),
        "DUCKDB_DATABASE": str(database),
        "DAGSTER_HOME": str(dagster_home),
    }
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples plus bad inputs, built once per session by `orchestration.cli run`.

    Returns the path of the warehouse file; open it read-only.
    """
    base = tmp_path_factory.mktemp("warehouse")
    raw = base / "raw"
    shutil.copytree(RAW_DIR, raw)
    database = base / "budget.duckdb"
    result = run_pipeline(raw, database, base / "dagster_home")
    if result.returncode != 0:
        pytest.fail(
            f"pipeline failed:\nSTDOUT:\n{result.stdout[-6000:]}\nSTDERR:\n{result.stderr[-6000:]}"
        )
    (base / "run_stdout.txt").write_text(result.stdout)
    return database


@pytest.fixture
def warehouse(built_warehouse: Path):
    """A read-only connection to the session warehouse."""
    conn = duckdb.connect(str(built_warehouse), read_only=True)
    yield conn
    conn.close()
