"""What the dbt tests of a build found, in one line for the run's log (from dbt's events).

The dbt tests are the warehouse's contract (keys unique, relationships, accepted values): a
failing one fails `dbt build` and so the refresh, and nothing is published. They are not
recorded one by one as Dagster asset checks (orchestration/defs/transform.py says why); this
line is what the run's log keeps of them. The results come from dbt's events, which
dagster-dbt streams from the dbt process: the build writes no run_results.json
(``state.dbt_build_args``). No Dagster imports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

# dbt's statuses of a test node, in the order the line gives them
STATUSES = ("pass", "warn", "fail", "error", "skipped")


def test_result(raw_event: Mapping[str, Any]) -> dict[str, Any] | None:
    """A test node's result from a dbt log event (``--log-format json``): {unique_id, status,
    failures}; None for any other event. The events are those dbt prints at info level, the
    level of the stream dagster-dbt reads: LogTestResult for a test that ran (pass, warn,
    fail, error), SkippingDetails for one skipped (a parent failed). dbt's NodeFinished, which
    has every node's result too, is a debug event: only in dbt.log."""
    info = raw_event.get("info", {})
    data = raw_event.get("data", {})
    unique_id = data.get("node_info", {}).get("unique_id", "")
    if not unique_id.startswith("test."):
        return None
    if info.get("name") == "LogTestResult":
        return {
            "unique_id": unique_id,
            "status": data.get("status"),
            "failures": data.get("num_failures"),
        }
    if info.get("name") == "SkippingDetails":
        return {"unique_id": unique_id, "status": "skipped", "failures": None}
    return None


def test_summary(results: Iterable[Mapping[str, Any]]) -> str:
    """'dbt tests: 277 pass, 1 warn, 0 fail, 0 error, 0 skipped; warn: <name> (3 rows)'.

    ``results``: each test's {unique_id, status, failures} (``test_result``); a node of another
    kind is not counted. Every test that did not pass is named, with the number of rows it
    found where dbt gives it.
    """
    tests = [result for result in results if result.get("unique_id", "").startswith("test.")]
    counts = Counter(result.get("status") for result in tests)
    line = "dbt tests: " + ", ".join(f"{counts[status]} {status}" for status in STATUSES)
    others = sorted(set(counts) - set(STATUSES) - {None})
    if others:
        line += ", " + ", ".join(f"{counts[status]} {status}" for status in others)
    for status in (*STATUSES[1:], *others):
        named = [_name(result) for result in tests if result.get("status") == status]
        if named:
            line += f"; {status}: " + ", ".join(sorted(named))
    return line


def _name(result: Mapping[str, Any]) -> str:
    name = result["unique_id"].split(".")[2]
    failures = result.get("failures")
    return f"{name} ({failures} rows)" if failures else name
