"""Shared fixtures: the sample documents, and the warehouses built end to end once per session.

The builds (tests/builds.py) start in the background when the session's first test runs, only
those the selected tests need, two at a time; `-m "not slow"` (make test-fast) starts none.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.builds import (
    PROJECT_ROOT,
    RAW_DIR,
    SAMPLE_001,
    SAMPLE_003,
    SAMPLE_004,
    Build,
    Builds,
    run_pipeline,
)
from tests.mixed import IDENTICAL_COPY, REPUBLISHED_COPY, TRUNCATED_COPY

__all__ = [
    "FIXTURES",
    "PROJECT_ROOT",
    "RAW_DIR",
    "SAMPLE_001",
    "SAMPLE_003",
    "SAMPLE_004",
    "IDENTICAL_COPY",
    "REPUBLISHED_COPY",
    "TRUNCATED_COPY",
    "run_pipeline",
]

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# fixture name -> the build (tests/builds.py RECIPES) it returns
FIXTURE_BUILDS = {
    "built_warehouse": "samples",
    "warehouse": "samples",
    "samples_build": "samples",
    "altered_build": "altered",
    "rerun_build": "samples_rerun",
    "pruned_build": "samples_pruned",
    "two_samples_build": "two_samples",
    "added_build": "samples_added",
    "mixed_build": "mixed",
    "finals_built": "finals",
    "finals": "finals",
    "pdf_pair_built": "pdf_pair",
    "pair_added_build": "pair_added",
    "variants_build": "variants",
}

_NEEDED = pytest.StashKey[set]()
_BUILDS = pytest.StashKey[Builds]()
_STARTED = pytest.StashKey[float]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_STARTED] = time.monotonic()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that needs a built warehouse must be marked slow (make test-fast builds none)."""
    unmarked = [
        item.nodeid
        for item in items
        if set(getattr(item, "fixturenames", ())) & FIXTURE_BUILDS.keys()
        and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests using a built warehouse must be marked slow: " + ", ".join(unmarked)
        )


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Note which builds the selected tests (after -m / -k deselection) need."""
    session.config.stash[_NEEDED] = {
        FIXTURE_BUILDS[name]
        for item in session.items
        for name in getattr(item, "fixturenames", ())
        if name in FIXTURE_BUILDS
    }


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """dbt_project/target/manifest.json, parsed once per session (the definitions read it)."""
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run(
        [str(dbt), "parse", "--quiet"],
        cwd=PROJECT_ROOT / "dbt_project",
        check=True,
        timeout=600,
    )
    # (dbt and the definitions both honour DBT_TARGET_PATH when it is set)
    target = PROJECT_ROOT / "dbt_project" / (os.environ.get("DBT_TARGET_PATH") or "target")
    manifest = target / "manifest.json"
    assert manifest.exists(), manifest
    return manifest


@pytest.fixture(scope="session", autouse=True)
def _builds(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Start the session's builds in the background as soon as the first test runs."""
    config = request.config
    builds = Builds(tmp_path_factory.mktemp("builds"), set(config.stash.get(_NEEDED, set())))
    builds.start()
    config.stash[_BUILDS] = builds
    yield builds
    builds.shutdown()


def _finished(builds: Builds, name: str) -> Build:
    build = builds.get(name)
    if build.error:
        pytest.fail(build.error)
    return build


@pytest.fixture(scope="session")
def samples_build(_builds: Builds) -> Build:
    """The three samples, built by `orchestration.cli run` (exit code 0 asserted)."""
    return _finished(_builds, "samples")


@pytest.fixture(scope="session")
def built_warehouse(samples_build: Build) -> Path:
    """The samples' warehouse file (open it read-only); run_stdout.txt is beside it."""
    return samples_build.database


@pytest.fixture(scope="session")
def variants_build(_builds: Builds) -> Build:
    """The synthetic template-family variants of tests/fixtures/variants, built (exit code 0)."""
    return _finished(_builds, "variants")


@pytest.fixture(scope="session")
def altered_build(_builds: Builds) -> Build:
    """Samples with 004 line 185 corrupted and 001's unit list cut (tests/builds.py), built
    strictly: the warehouse is built and published, and the run exits 2 (asserted by the build)."""
    return _finished(_builds, "altered")


@pytest.fixture(scope="session")
def rerun_build(_builds: Builds) -> Build:
    """The samples warehouse run again on the same raw set."""
    return _finished(_builds, "samples_rerun")


@pytest.fixture(scope="session")
def two_samples_build(_builds: Builds) -> Build:
    """001, 004 and an empty file, built from scratch."""
    return _finished(_builds, "two_samples")


@pytest.fixture(scope="session")
def added_build(_builds: Builds) -> Build:
    """The `two_samples` warehouse run again on the three samples (an incremental refresh)."""
    return _finished(_builds, "samples_added")


@pytest.fixture(scope="session")
def mixed_build(_builds: Builds) -> tuple[Path, subprocess.CompletedProcess]:
    """The mixed raw folder (tests/mixed.py) built by `orchestration.cli run` (not strict).

    Returns the warehouse path and the completed run (its exit status and output).
    """
    build = _finished(_builds, "mixed")
    return build.database, build.result


@pytest.fixture(scope="session")
def finals_built(_builds: Builds) -> Path:
    """The 决算 raw set (tests/finals/variants.py), built by `orchestration.cli run`."""
    return _finished(_builds, "finals").database


@pytest.fixture(scope="session")
def pdf_pair_built(_builds: Builds) -> Path:
    """The Beijing tables + notes PDFs, Shanghai and the national 决算 (tests/builds.py)."""
    return _finished(_builds, "pdf_pair").database


@pytest.fixture(scope="session")
def pair_added_build(_builds: Builds) -> Build:
    """The pdf_pair set built without the Beijing notes file, then run again with it."""
    return _finished(_builds, "pair_added")


@pytest.fixture(scope="session")
def pruned_build(_builds: Builds) -> Build:
    """The samples warehouse run again with 003 removed and an empty file added."""
    return _finished(_builds, "samples_pruned")


@pytest.fixture
def warehouse(built_warehouse: Path):
    """A read-only connection to the session warehouse."""
    conn = duckdb.connect(str(built_warehouse), read_only=True)
    yield conn
    conn.close()


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """The suite's own timing: wall time, and each warehouse build (background, in parallel)."""
    total = time.monotonic() - config.stash.get(_STARTED, time.monotonic())
    builds = config.stash.get(_BUILDS, None)
    terminalreporter.section("timing")
    terminalreporter.write_line(f"session wall time: {total:.0f} s")
    if builds is not None:
        for name, seconds in sorted(builds.timings.items()):
            terminalreporter.write_line(f"  build {name:<16} {seconds:6.0f} s")
        terminalreporter.write_line(f"  (at most {builds.parallel} builds at a time)")
