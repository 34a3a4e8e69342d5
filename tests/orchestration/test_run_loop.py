"""The run loop of `make run`: new documents are loaded in as few Dagster runs as possible."""

from __future__ import annotations

from orchestration.cli import partition_ranges


def test_partition_ranges_cover_exactly_the_wanted_keys():
    order = ["a", "b", "c", "d", "e", "f"]
    assert partition_ranges(order, set(order)) == [("a", "f")]
    assert partition_ranges(order, {"b", "c", "e"}) == [("b", "c"), ("e", "e")]
    assert partition_ranges(order, {"f"}) == [("f", "f")]
    assert partition_ranges(order, set()) == []
    # a key that is not a partition is not invented into a range
    assert partition_ranges(order, {"a", "zz"}) == [("a", "a")]
