"""Where a `cli run` spends its time: phases, Dagster steps, dbt nodes.

    python -m bench.profile_run RAW_DIR WORK_DIR

Runs ``orchestration.cli run`` in this process with the warehouse, Dagster home, staging and dbt
target under WORK_DIR, timing each phase of the run (dbt parse, discovery, extraction, the
ingest runs, the refresh run, the review runs, the summary); then prints each Dagster step's
duration from the instance's event log and the dbt nodes by time from dbt's log (``dbt.log``).
Wall seconds on a shared machine: compare shares, not absolutes. A phase that starts worker
processes (the extraction pool) also shows their CPU seconds.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

PHASES: list[tuple[str, float]] = []
# phase -> CPU seconds of the child processes it started and reaped (the extraction pool)
CHILD_CPU: dict[str, float] = defaultdict(float)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(owner, name: str, label: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        start, cpu = time.perf_counter(), _children_cpu()
        try:
            return original(*args, **kwargs)
        finally:
            PHASES.append((label, time.perf_counter() - start))
            CHILD_CPU[label] += _children_cpu() - cpu

    setattr(owner, name, wrapper)


def dagster_steps() -> dict[str, list[float]]:
    """Step key -> durations (s) of every run in the instance, from STEP_START/STEP_SUCCESS."""
    import dagster as dg

    instance = dg.DagsterInstance.get()
    steps: dict[str, list[float]] = defaultdict(list)
    for record in instance.get_run_records():
        started: dict[str, float] = {}
        run = record.dagster_run
        for entry in instance.all_logs(run.run_id):
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            if event.event_type_value == "STEP_START":
                started[event.step_key] = entry.timestamp
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                steps[f"{run.job_name}:{event.step_key}"].append(
                    entry.timestamp - started.pop(event.step_key, entry.timestamp)
                )
    return steps


def dbt_nodes(target: Path) -> list[tuple[str, float]]:
    """dbt nodes by execution time, from the NodeFinished events of the last dbt invocation's
    log (dagster-dbt gives each invocation a directory of its own under the target path, and
    dbt writes its log there as JSON lines; the refresh writes no run_results.json)."""
    found = sorted(target.rglob("dbt.log"), key=lambda p: p.stat().st_mtime)
    if not found:
        return []
    nodes = []
    for line in found[-1].read_text(encoding="utf-8").splitlines():
        if '"NodeFinished"' not in line:
            continue
        event = json.loads(line)
        if event["info"]["name"] == "NodeFinished":
            data = event["data"]
            nodes.append((data["node_info"]["unique_id"], data["run_result"]["execution_time"]))
    return sorted(nodes, key=lambda x: -x[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("raw", type=Path)
    parser.add_argument("work", type=Path)
    args = parser.parse_args()
    work = args.work.resolve()
    os.environ.update(
        RAW_DIR=str(args.raw.resolve()),
        DUCKDB_DATABASE=str(work / "budget.duckdb"),
        DAGSTER_HOME=str(work / "dagster_home"),
        STAGING_DIR=str(work / "stage"),
        DBT_TARGET_PATH=str(work / "dbt_target"),
    )
    from orchestration import cli, ingest
    from orchestration.pipeline import stage

    _timed(cli, "parse_dbt_project", "dbt parse")
    _timed(ingest, "discover", "discover (hash raw/)")
    _timed(cli, "pending_documents", "pending documents")
    _timed(stage, "stage_documents", "extract + stage (parallel)")
    _timed(cli, "reviews_to_record", "reviews to record")
    _timed(cli, "print_summary", "summary + reports")
    import dagster as dg

    original = dg.JobDefinition.execute_in_process

    def execute(self, *a, **kw):
        start = time.perf_counter()
        try:
            return original(self, *a, **kw)
        finally:
            PHASES.append((f"Dagster run {self.name}", time.perf_counter() - start))

    dg.JobDefinition.execute_in_process = execute
    start = time.perf_counter()
    code = cli.main(["run"])
    total = time.perf_counter() - start
    print(f"\n== phases (wall s; run exit {code}; total {total:.1f}) ==")
    totals: dict[str, list[float]] = defaultdict(list)
    for label, seconds in PHASES:
        totals[label].append(seconds)
    for label, values in sorted(totals.items(), key=lambda kv: -sum(kv[1])):
        child = f"; worker processes {CHILD_CPU[label]:.1f} CPU-s" if CHILD_CPU[label] else ""
        print(f"{sum(values):8.1f}  {label} (x{len(values)}{child})")
    print("\n== Dagster steps (s: total, count) ==")
    for step, values in sorted(dagster_steps().items(), key=lambda kv: -sum(kv[1])):
        print(f"{sum(values):8.1f}  {step} (x{len(values)})")
    nodes = dbt_nodes(work / "dbt_target")
    by_kind: dict[str, float] = defaultdict(float)
    for unique_id, seconds in nodes:
        by_kind[unique_id.split(".")[0]] += seconds
    print(f"\n== dbt nodes ({len(nodes)}; s by kind: "
          + ", ".join(f"{k} {v:.1f}" for k, v in by_kind.items()) + ") ==")  # fmt: skip
    for unique_id, seconds in nodes[:25]:
        print(f"{seconds:8.2f}  {unique_id}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
