"""The Dagster reconciliation asset checks, evaluated on the built warehouses.

On the samples every integrity failure is acknowledged (shared/docs/source-documents.md §4): the
checks pass. On the altered raw set (tests/builds.py: 004 line 185 corrupted, 001's unit list cut)
the corrupted 004 fails its `document_reconciles` check and the warehouse-wide check names it;
the cut 001 (whose failures are source discrepancies, severity finding) and 003 pass.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.checks import (
    document_review,
    reconciliation_has_no_unacknowledged_integrity_failures,
)
from orchestration.defs.resources import WarehouseResource
from tests.conftest import SAMPLE_001, SAMPLE_003, SAMPLE_004

pytestmark = pytest.mark.slow


def _resource(database: Path, tmp_path: Path) -> WarehouseResource:
    # the checks open the warehouse read-write: use a copy, not the shared session warehouse
    copy = tmp_path / "budget.duckdb"
    shutil.copy(database, copy)
    return WarehouseResource(database=str(copy))


def _document_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _review(resource: WarehouseResource, document_id: str) -> dg.AssetCheckResult:
    context = dg.build_asset_context(partition_key=document_id)
    result = document_review(context, warehouse_db=resource)
    (check,) = result.check_results
    assert check.check_name == "document_reconciles"
    return check


def test_checks_pass_on_the_samples(built_warehouse: Path, tmp_path: Path):
    resource = _resource(built_warehouse, tmp_path)
    result = reconciliation_has_no_unacknowledged_integrity_failures(warehouse_db=resource)
    assert result.passed
    # WARN: the warehouse-wide check must not fail a refresh; per-document verdicts are ERROR
    # checks on each partition (document_reconciles), below
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["documents"].value == 3
    assert result.metadata["documents_needing_review"].value == "none"
    assert result.metadata["unacknowledged_integrity_failures"].value == 0
    for sample in (SAMPLE_001, SAMPLE_003, SAMPLE_004):
        check = _review(resource, _document_id(sample))
        assert check.passed, sample.name
        assert check.metadata["needs_review"].value is False


def test_checks_fail_on_the_corrupted_document_only(altered_build, tmp_path: Path):
    resource = _resource(altered_build.database, tmp_path)
    result = reconciliation_has_no_unacknowledged_integrity_failures(warehouse_db=resource)
    assert not result.passed
    assert result.metadata["documents_needing_review"].value == SAMPLE_004.name
    corrupted = _review(resource, _document_id(altered_build.raw / SAMPLE_004.name))
    assert not corrupted.passed
    assert corrupted.metadata["needs_review"].value is True
    # the failing rows name the corrupted row (004 line 185) and its parent (line 182)
    rows = corrupted.metadata["failing_rows"].value
    assert "T3 L185 2080505" in rows and "T3 L182 20805 [total]" in rows
    cut = _review(resource, _document_id(altered_build.raw / SAMPLE_001.name))
    assert cut.passed
    assert cut.metadata["checks_fail"].value > 0  # its unit-list findings are still reported
    unchanged = _review(resource, _document_id(SAMPLE_003))
    assert unchanged.passed
