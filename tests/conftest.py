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


def run_pipeline(
    raw_dir: Path, database: Path, dagster_home: Path, *, strict: bool = False
) -> subprocess.CompletedProcess:
    """Run `python -m orchestration.cli run [--strict]` in a subprocess against the given paths."""
    env = {
        **os.environ,
        "RAW_DIR": str(raw_dir),
        "DUCKDB_DATABASE": str(database),
        "DAGSTER_HOME": str(dagster_home),
    }
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", *(["--strict"] if strict else [])],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples, built once per session by `orchestration.cli run --strict`: a sample that
    needs review (a misread total, a missing table) fails the session, as in CI.

    Returns the path of the warehouse file; open it read-only.
    """
    base = tmp_path_factory.mktemp("warehouse")
    raw = base / "raw"
    shutil.copytree(RAW_DIR, raw)
    database = base / "budget.duckdb"
    result = run_pipeline(raw, database, base / "dagster_home", strict=True)
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


# The mixed raw folder of tests/orchestration/test_isolation.py: the samples beside documents of
# other layouts and every kind of bad input. File names sort the samples' copies after the samples
# (an identical copy is loaded under the first of its names; the later of two versions is current).
MIXED_FIXTURES = FIXTURES / "mixed"
TRUNCATED_COPY = "cut-minhang-2020-unit-budget.txt"  # 004 cut after its line 199 (a table title)
TRUNCATED_AT_LINE = 199
IDENTICAL_COPY = "zz-kaijiang-copy.md"  # the bytes of 003
REPUBLISHED_COPY = "zz-minhang-2020-unit-budget-republished.txt"  # 004 with a correction note
REPUBLICATION_NOTE = "更正说明：本稿替换此前发布的版本。"
NOT_A_BUDGET = (
    "关于开展秋季运动会的通知\n\n各学院：\n\n学校定于十月举行秋季运动会，请各单位做好准备。\n"
)


def make_mixed_raw(raw: Path) -> None:
    """Write the mixed raw folder: samples, synthetic documents, bad inputs, copies, versions."""
    shutil.copytree(RAW_DIR, raw)
    for fixture in MIXED_FIXTURES.iterdir():
        shutil.copy(fixture, raw / fixture.name)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (raw / "note.txt").write_text(NOT_A_BUDGET, encoding="utf-8")
    lines = SAMPLE_004.read_text(encoding="utf-8").split("\n")
    (raw / TRUNCATED_COPY).write_text("\n".join(lines[:TRUNCATED_AT_LINE]), encoding="utf-8")
    shutil.copy(SAMPLE_003, raw / IDENTICAL_COPY)
    republished = [lines[0], REPUBLICATION_NOTE, *lines[1:]]
    (raw / REPUBLISHED_COPY).write_text("\n".join(republished), encoding="utf-8")


@pytest.fixture(scope="session")
def mixed_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess]:
    """The mixed raw folder built once per session by `orchestration.cli run` (not strict).

    Returns the warehouse path and the completed run (its exit status and output).
    """
    base = tmp_path_factory.mktemp("mixed")
    raw = base / "raw"
    make_mixed_raw(raw)
    database = base / "budget.duckdb"
    result = run_pipeline(raw, database, base / "dagster_home")
    (base / "run_stdout.txt").write_text(result.stdout)
    return database, result
