"""The full build of a folder of real PDFs, end to end: `BENCH_PDFS=300 make bench`.

    BENCH_PDFS=300 [BENCH_WORK=/tmp/pdfbench] python -m bench.pdf_bench

Builds ``BENCH_PDFS`` distinct PDF documents from the development PDFs (``bench/pdf_corpus.py``:
each source rewritten with its own ``/BenchCopy`` entry, so its own bytes and sha256, the pages
unchanged), counts their pages, then in a fresh warehouse:

1. the full build, ``orchestration.cli run`` from nothing, through ``bench/profile_run.py`` (wall
   and CPU seconds of every process, the phases, the Dagster steps and the dbt nodes), with the
   extraction pool's CPU seconds per page;
2. a run with nothing new;
3. the add of one more copy.

Prints the load average before and after each run (the machine may be shared). Timing is measured
here, never asserted in tests. Without ``BENCH_PDFS`` it prints how to run it and exits.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench import pdf_corpus
from orchestration import settings

TARGET_300_PDFS_S = 10 * 60


def _load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _env(raw: Path, build: Path) -> dict[str, str]:
    """The environment of profile_run's layout under ``build`` (warehouse, Dagster, stage, dbt)."""
    return {**os.environ, "RAW_DIR": str(raw), "DUCKDB_DATABASE": str(build / "budget.duckdb"),
            "DAGSTER_HOME": str(build / "dagster_home"), "STAGING_DIR": str(build / "stage"),
            "DBT_TARGET_PATH": str(build / "dbt_target")}  # fmt: skip


def _run(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds of the process and its children, exit code, output."""
    cpu, start = _children_cpu(), time.perf_counter()
    result = subprocess.run(command, cwd=settings.PROJECT_ROOT, env=env,
                            capture_output=True, text=True)  # fmt: skip
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
    log.write_text(result.stdout + "\n--- stderr ---\n" + result.stderr, encoding="utf-8")
    return wall, cpu, result.returncode, result.stdout


def corpus_quality(database: Path) -> dict[str, object]:
    conn = duckdb.connect(str(database), read_only=True)
    try:
        cursor = conn.execute("select * from marts.corpus_quality")
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))
    finally:
        conn.close()


def bench_pdfs(count: int, work: Path) -> None:
    print(f"\n== 5. {count} real PDF documents end to end (bench/pdf_corpus.py copies) ==")
    documents = pdf_corpus.generate(work / "all", count + 1)
    raw, build = work / "raw", work / "build"
    shutil.rmtree(build, ignore_errors=True)
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir(parents=True)
    for path in documents[:count]:
        os.link(path, raw / path.name)
    pages = sum(pdf_corpus.page_count(path) for path in documents[:count])
    sources = len({path.name.rsplit("-copy", 1)[0] for path in documents[:count]})
    print(f"{count} documents ({sources} sources), {pages:,} pages; work {work}")
    env = _env(raw, build)
    python = sys.executable

    print(f"full build: load average {_load()} before", flush=True)
    full, full_cpu, code, out = _run([python, "-m", "bench.profile_run", str(raw), str(build)],
                                     env, work / "full.log")  # fmt: skip
    print(f"full build: {full:.1f} s wall, {full_cpu:.1f} CPU-s (exit {code}); "
          f"load average {_load()} after; {full / count:.2f} s/document, "
          f"{full / pages * 1000:.1f} ms/page")  # fmt: skip
    extraction = re.search(
        r"^\s*([\d.]+)\s+extract \+ stage \(parallel\) \(x\d+; worker processes ([\d.]+) CPU-s",
        out,
        re.M,
    )
    if extraction:
        wall_x, cpu_x = float(extraction.group(1)), float(extraction.group(2))
        print(f"extraction: {wall_x:.1f} s wall, {cpu_x:.1f} CPU-s on the pool = "
              f"{cpu_x / pages:.4f} CPU-s/page (all pages of all documents)")  # fmt: skip
        # what an idle machine would take: the pool on every core, the rest (one loader, dbt
        # with one thread, the Dagster runs, the reports) on one core
        cores = os.cpu_count() or 1
        rest = full_cpu - cpu_x
        at_10k = cpu_x * 10_000 / pages / cores + rest
        print(f"estimate for an idle machine from these CPU seconds: {cpu_x:.0f} / {cores} cores "
              f"+ {rest:.0f} on one core = {cpu_x / cores + rest:.0f} s; with 10,000 pages "
              f"(extraction by pages) {at_10k:.0f} s")  # fmt: skip
    verdict = "met" if full <= TARGET_300_PDFS_S * count / 300 else "MISSED"
    print(f"target (300 PDFs <= {TARGET_300_PDFS_S // 60} min, pro rata "
          f"{TARGET_300_PDFS_S * count / 300:.0f} s at {count}): {verdict}")  # fmt: skip
    phases = out.split("\n== phases", 1)
    print("== phases" + phases[1] if len(phases) == 2 else out[-3000:])
    published = build / "budget.published.duckdb"
    if published.exists():
        print(f"corpus_quality: {corpus_quality(published)}")

    command = [python, "-m", "orchestration.cli", "run"]
    print(f"no-op run: load average {_load()} before", flush=True)
    noop, noop_cpu, code, _ = _run(command, env, work / "noop.log")
    print(f"no-op run: {noop:.1f} s wall, {noop_cpu:.1f} CPU-s (exit {code})")
    extra = documents[count]
    os.link(extra, raw / extra.name)
    print(f"add one ({extra.name}): load average {_load()} before", flush=True)
    add, add_cpu, code, _ = _run(command, env, work / "add.log")
    print(f"add one: {add:.1f} s wall, {add_cpu:.1f} CPU-s (exit {code}); "
          f"{add / full:.3f} of the full build's wall ({add_cpu / full_cpu:.3f} of its CPU); "
          f"load average {_load()} after")  # fmt: skip
    if published.exists():
        print(f"corpus_quality: {corpus_quality(published)}")


def main() -> None:
    count = int(os.environ.get("BENCH_PDFS") or 0)
    if count <= 0:
        print("\n== 5. real PDFs end to end: skipped (BENCH_PDFS=300 make bench to run it) ==")
        return
    keep = os.environ.get("BENCH_WORK")
    work = Path(keep) / f"pdfs{count}" if keep else Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    try:
        bench_pdfs(count, work)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
