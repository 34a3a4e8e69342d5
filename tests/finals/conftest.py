"""One warehouse per session built from the 决算 raw set (tests/finals/variants.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_pipeline
from tests.finals.variants import write_raw_set


@pytest.fixture(scope="session")
def finals_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("finals_warehouse")
    raw = base / "raw"
    write_raw_set(raw)
    database = base / "budget.duckdb"
    result = run_pipeline(raw, database, base / "dagster_home")
    if result.returncode != 0:
        pytest.fail(
            f"pipeline failed:\nSTDOUT:\n{result.stdout[-6000:]}\nSTDERR:\n{result.stderr[-6000:]}"
        )
    return database


@pytest.fixture
def finals(finals_built: Path):
    conn = duckdb.connect(str(finals_built), read_only=True)
    yield conn
    conn.close()
