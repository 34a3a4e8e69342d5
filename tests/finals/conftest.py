"""A read-only connection to the 决算 warehouse (built once per session: tests/builds.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


@pytest.fixture
def finals(finals_built: Path):
    conn = duckdb.connect(str(finals_built), read_only=True)
    yield conn
    conn.close()
