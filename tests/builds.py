"""Warehouses built end to end once per test session, several at a time.

A *raw set* is a recipe for a raw directory (the samples, a deliberately altered copy, ...). Each
build runs ``python -m orchestration.cli run`` on one raw set into its own warehouse, Dagster home
and dbt target directory, so independent builds run side by side (``TEST_PARALLEL_BUILDS``, default
2: both cores). A build may start from another one's warehouse (``after``): the rerun and the
removal tests start from the samples warehouse.

The builds a session needs are started in the background as soon as its first test runs, so the
fast tests run while the warehouses build; a test asking for a build waits for it. To add a raw
set (e.g. the PDF documents), add a ``Recipe`` to ``RECIPES`` and a fixture in ``conftest.py``
naming it in ``FIXTURE_BUILDS``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = PROJECT_ROOT / "raw"
SAMPLE_001 = RAW_DIR / "yangquan-education-bureau-2025-department-budget.txt"
SAMPLE_003 = RAW_DIR / "kaijiang-teaching-research-office-2023-performance-approval.md"
SAMPLE_004 = RAW_DIR / "minhang-education-institute-2020-unit-budget.txt"

# One pipeline run takes minutes; a stalled one fails its tests instead of hanging the suite.
PIPELINE_TIMEOUT_S = 1800
PARALLEL_BUILDS = max(1, int(os.environ.get("TEST_PARALLEL_BUILDS", "2")))


def run_pipeline(
    raw_dir: Path,
    database: Path,
    dagster_home: Path,
    timeout: float = PIPELINE_TIMEOUT_S,
    *,
    strict: bool = False,
) -> subprocess.CompletedProcess:
    """Run `python -m orchestration.cli run [--strict]` in a subprocess against the given paths.

    dbt writes its manifest and artifacts beside the warehouse (DBT_TARGET_PATH), so runs on
    different warehouses do not share dbt_project/target.
    """
    env = {
        **os.environ,
        "RAW_DIR": str(raw_dir),
        "DUCKDB_DATABASE": str(database),
        "DAGSTER_HOME": str(dagster_home),
        "DBT_TARGET_PATH": str(database.parent / "dbt_target"),
    }
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", *(["--strict"] if strict else [])],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- altered copies of the samples (the reconciliation must fail on them) ---------------------
# 004 line 185 (T3 单位支出预算总表): "208 05 05 机关事业单位基本养老保险缴费支出 5641014.86
# 5641014.86 0.00" (合计, 基本支出, 项目支出). The altered copy prints 合计 5641015.86 (+1.00 元).
CORRUPTED_LINE = 185
ORIGINAL = "5641014.86\t5641014.86\t0.00"
CORRUPTED = "5641015.86\t5641014.86\t0.00"

# 001 line 79 lists 19 budget units; the altered copy drops 阳泉市第二中学校 and states 18.
LIST_LINE = 79
DROPPED = "阳泉市第二中学校、"


def _edit_line(path: Path, number: int, edit: Callable[[str], str]) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = edit(lines[number - 1])
    path.write_text("\n".join(lines), encoding="utf-8")


def corrupt_004(path: Path) -> None:
    def edit(line: str) -> str:
        assert line.endswith(ORIGINAL), line
        return line[: -len(ORIGINAL)] + CORRUPTED

    _edit_line(path, CORRUPTED_LINE, edit)


def drop_listed_unit_001(path: Path) -> None:
    def edit(line: str) -> str:
        assert line.count(DROPPED) == 1 and "等19个二级预算单位" in line, line
        return line.replace(DROPPED, "").replace("等19个", "等18个")

    _edit_line(path, LIST_LINE, edit)


# --- recipes ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recipe:
    """How to lay out one build: its raw directory, the warehouse it starts from, and after."""

    prepare_raw: Callable[[Path, Path | None], None]  # (raw dir to fill, raw dir of `after`)
    after: str | None = None  # start from a copy of this build's warehouse
    strict: bool = False  # `run --strict`: exit 2 when a document needs review
    expect_returncode: int = 0


def _copy_samples(raw: Path, _: Path | None) -> None:
    shutil.copytree(RAW_DIR, raw)


def _altered(raw: Path, _: Path | None) -> None:
    shutil.copytree(RAW_DIR, raw)
    corrupt_004(raw / SAMPLE_004.name)
    drop_listed_unit_001(raw / SAMPLE_001.name)


def _same_raw(raw: Path, previous: Path | None) -> None:
    shutil.copytree(previous, raw)


def _one_removed_one_bad(raw: Path, previous: Path | None) -> None:
    shutil.copytree(previous, raw)
    (raw / SAMPLE_003.name).unlink()
    (raw / "empty.txt").write_bytes(b"")


def _two_samples_one_bad(raw: Path, _: Path | None) -> None:
    """The raw set `samples_pruned` ends with: 001, 004 and an empty file, from scratch."""
    raw.mkdir(parents=True)
    for sample in (SAMPLE_001, SAMPLE_004):
        shutil.copy(sample, raw / sample.name)
    (raw / "empty.txt").write_bytes(b"")


def _mixed(raw: Path, _: Path | None) -> None:
    from tests.mixed import make_mixed_raw

    make_mixed_raw(raw)


def _finals(raw: Path, _: Path | None) -> None:
    from tests.finals.variants import write_raw_set

    write_raw_set(raw)


# the dev PDFs of a disclosure split into a tables file and a notes file (Beijing), beside a unit
# budget in 元 (Shanghai) and a 决算 (national)
PDF_PAIR_SET = (
    "beijing-petition-office-2026-department-budget-tables.pdf",
    "beijing-petition-office-2026-department-budget-notes.pdf",
    "shanghai-marine-monitoring-center-2026-unit-budget.pdf",
    "national-public-complaints-bureau-2024-final-accounts.pdf",
)


def _pdf_pair(raw: Path, _: Path | None) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name in PDF_PAIR_SET:
        shutil.copy(PROJECT_ROOT / "tests" / "fixtures" / "pdf" / "dev" / name, raw / name)


def _pair_tables_only(raw: Path, _: Path | None) -> None:
    """The pdf_pair set without the notes file of the Beijing disclosure."""
    raw.mkdir(parents=True, exist_ok=True)
    for name in PDF_PAIR_SET:
        if not name.endswith("-notes.pdf"):
            shutil.copy(PROJECT_ROOT / "tests" / "fixtures" / "pdf" / "dev" / name, raw / name)


def _variants(raw: Path, _: Path | None) -> None:
    shutil.copytree(PROJECT_ROOT / "tests" / "fixtures" / "variants", raw)


RECIPES: dict[str, Recipe] = {
    # the three samples, strictly: a sample that needs review (a misread total, a missing table)
    # fails the session, as in CI
    "samples": Recipe(_copy_samples, strict=True),
    # 004 with one corrupted figure and 001 with one listed unit dropped: the strict build exits 2
    # on purpose (the copies' content hashes differ, so no acknowledgement applies)
    "altered": Recipe(_altered, strict=True, expect_returncode=2),
    # the samples warehouse run again with nothing changed
    "samples_rerun": Recipe(_same_raw, after="samples"),
    # the samples warehouse run again with 003 removed and an empty file added
    "samples_pruned": Recipe(_one_removed_one_bad, after="samples"),
    # 001, 004 and an empty file from scratch: what `samples_pruned` reaches incrementally
    "two_samples": Recipe(_two_samples_one_bad),
    # the `two_samples` warehouse run again on the samples (003 added, empty.txt removed): an
    # incremental refresh that must reach the marts of `samples`, built from scratch
    "samples_added": Recipe(_copy_samples, after="two_samples"),
    # the samples beside other layouts, every bad-input kind, an identical and a republished copy
    "mixed": Recipe(_mixed),
    # the 决算 raw set: the dev 决算 as printed, its planted-error copies, older layouts
    "finals": Recipe(_finals),
    # the Beijing tables + notes pair, the Shanghai unit budget and the national 决算 (PDFs)
    "pdf_pair": Recipe(_pdf_pair),
    # the pdf_pair set without the Beijing notes file, then that warehouse run again with the
    # notes file added: the tables file, built before, is rebuilt as part of its disclosure
    "pair_tables_only": Recipe(_pair_tables_only),
    "pair_added": Recipe(_pdf_pair, after="pair_tables_only"),
    # synthetic template-family variants (tests/fixtures/variants): titles, wording, units,
    # empty tables in words, economic code pairs, former class names
    "variants": Recipe(_variants),
}


@dataclass
class Build:
    """One finished build: its directory, raw set, warehouse and the run's output."""

    name: str
    base: Path
    result: subprocess.CompletedProcess
    seconds: float
    error: str | None = None  # set when the build could not run as its recipe expects

    @property
    def raw(self) -> Path:
        return self.base / "raw"

    @property
    def database(self) -> Path:
        return self.base / "budget.duckdb"

    @property
    def published(self) -> Path:
        return self.base / "budget.published.duckdb"


@dataclass
class Builds:
    """Starts the needed builds in the background; `get` waits for one."""

    root: Path
    needed: set[str]
    parallel: int = PARALLEL_BUILDS
    futures: dict[str, Future] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in list(self.needed):  # a build needs the one it starts from
            while RECIPES[name].after:
                name = RECIPES[name].after
                self.needed.add(name)
        self._slots = threading.Semaphore(self.parallel)
        self._pool = ThreadPoolExecutor(max_workers=max(1, len(self.needed)))

    def start(self) -> None:
        # builds others start from go first
        for name in sorted(self.needed, key=lambda n: RECIPES[n].after is not None):
            self._future(name)

    def _future(self, name: str) -> Future:
        if name not in self.futures:
            self.futures[name] = self._pool.submit(self._build, name)
        return self.futures[name]

    def get(self, name: str) -> Build:
        return self._future(name).result(timeout=PIPELINE_TIMEOUT_S * 2)

    def _build(self, name: str) -> Build:
        recipe = RECIPES[name]
        previous = self.get(recipe.after) if recipe.after else None
        base = self.root / name
        base.mkdir(parents=True)
        recipe.prepare_raw(base / "raw", previous.raw if previous else None)
        if previous is not None:  # its warehouse and its published snapshot
            shutil.copy(previous.database, base / "budget.duckdb")
            if previous.published.exists():
                shutil.copy(previous.published, base / "budget.published.duckdb")
        with self._slots:
            started = time.monotonic()
            result = run_pipeline(
                base / "raw", base / "budget.duckdb", base / "dagster_home", strict=recipe.strict
            )
            error = None
            if result.returncode != recipe.expect_returncode:
                error = (
                    f"build {name!r}: exit code {result.returncode}, expected "
                    f"{recipe.expect_returncode}\nSTDOUT:\n"
                    f"{result.stdout[-6000:]}\nSTDERR:\n{result.stderr[-6000:]}"
                )
            seconds = time.monotonic() - started
        self.timings[name] = seconds
        (base / "run_stdout.txt").write_text(result.stdout)
        return Build(name, base, result, seconds, error)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
