"""What the dbt tests of a build found, in one line for the run's log (from run_results.json).

The dbt tests are the warehouse's contract (keys unique, relationships, accepted values): a
failing one fails `dbt build` and so the refresh, and nothing is published. They are not
recorded one by one as Dagster asset checks (orchestration/defs/transform.py says why); this
line is what the run's log keeps of them. No Dagster imports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

# dbt's statuses of a test node, in the order the line gives them
STATUSES = ("pass", "warn", "fail", "error", "skipped")


def test_summary(run_results: Mapping[str, Any]) -> str:
    """'dbt tests: 277 pass, 1 warn, 0 fail, 0 error, 0 skipped; warn: <name> (3 rows)'.

    Every test that did not pass is named, with the number of rows it found where dbt gives it.
    """
    tests = [
        result
        for result in run_results.get("results", [])
        if result.get("unique_id", "").startswith("test.")
    ]
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
