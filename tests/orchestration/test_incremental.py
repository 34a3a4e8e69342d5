"""Incremental refreshes: nothing new skips dbt; an incremental build equals a scratch one.

The builds (tests/builds.py): `samples` (the three samples from scratch), `samples_rerun` (its
warehouse run again on the same folder), `two_samples` (001, 004 and an empty file from scratch),
`samples_added` (the `two_samples` warehouse run again on the three samples: 003 added, the empty
file removed) and `samples_pruned` (the `samples` warehouse run again with 003 removed and the
empty file added), `pdf_pair` (four dev PDFs) and `pair_added` (`pair_tables_only`, the same set
without the Beijing notes file, run again with it). Tables are compared exactly: a DOUBLE or an
order-dependent pick would make an incremental build differ from a scratch one by chance.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import ingest
from orchestration.pipeline import state

pytestmark = pytest.mark.slow

# Columns that record when a run happened, not what the documents say.
CLOCK_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "DATE")


def _refreshes(database: Path) -> list[tuple]:
    conn = duckdb.connect(str(database), read_only=True)
    try:
        return conn.execute(
            f"select mode, reason, file_count from {state.SCHEMA}.refreshes order by refreshed_at"
        ).fetchall()
    finally:
        conn.close()


def _models(database: Path) -> dict[str, list[tuple]]:
    """Every row of every marts and intermediate table, order-insensitive, without clock columns."""
    conn = duckdb.connect(str(database), read_only=True)
    try:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('marts', 'intermediate')"
            " and table_type in ('BASE TABLE', 'VIEW')"
        ).fetchall()
        out = {}
        for schema, table in tables:
            columns = [
                name
                for name, data_type in conn.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if data_type not in CLOCK_TYPES
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(f'select {select} from {schema}."{table}"').fetchall()
            out[f"{schema}.{table}"] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def _assert_same_models(incremental: Path, scratch: Path) -> None:
    got, expected = _models(incremental), _models(scratch)
    assert got.keys() == expected.keys()
    assert any(expected.values()), "the scratch build has no rows to compare"
    for table in expected:
        missing = [row for row in expected[table] if row not in got[table]][:3]
        extra = [row for row in got[table] if row not in expected[table]][:3]
        assert got[table] == expected[table], (table, "missing:", missing, "extra:", extra)


def test_run_with_nothing_new_does_not_rebuild(samples_build, rerun_build):
    """The second run on the same folder reports the skip, runs no refresh job (the Dagster
    instance of that run records none) and records no refresh in the warehouse."""
    assert rerun_build.result.returncode == 0, rerun_build.result.stderr[-4000:]
    assert "refresh skipped: nothing changed since the last refresh (3 files)" in (
        rerun_build.result.stdout
    )
    instance = dg.DagsterInstance.from_config(str(rerun_build.base / "dagster_home"))
    try:
        jobs = [run.job_name for run in instance.get_runs()]
    finally:
        instance.dispose()
    assert "refresh_job" not in jobs and "ingest_job" not in jobs, jobs
    first = _refreshes(samples_build.database)
    assert [mode for mode, _, _ in first] == ["full"]
    assert _refreshes(rerun_build.database) == first


def test_adding_a_document_incrementally_gives_the_scratch_marts(samples_build, added_build):
    """001 + 004 + an empty file, then the three samples: the refresh is incremental (003 new,
    the empty file removed) and every marts and intermediate table equals the scratch build's."""
    modes = [mode for mode, _, _ in _refreshes(added_build.database)]
    assert modes == ["full", "incremental"], modes
    _assert_same_models(added_build.database, samples_build.database)
    _assert_same_models(added_build.published, samples_build.published)


def test_removing_a_document_incrementally_gives_the_scratch_marts(two_samples_build, pruned_build):
    """The samples, then 003 removed and an empty file added: incremental, and equal to the
    scratch build of 001 + 004 + the empty file (003's rows are gone from every model)."""
    modes = [mode for mode, _, _ in _refreshes(pruned_build.database)]
    assert modes == ["full", "incremental"], modes
    _assert_same_models(pruned_build.database, two_samples_build.database)


def test_a_file_joining_its_disclosure_rebuilds_the_other_file(pdf_pair_built, pair_added_build):
    """The Beijing tables file built alone (it states no scope), then its notes file added (it
    states 部门预算: its title on p. 1, "…2026 年度部门预算"): the tables file's rows depend on
    the disclosure (int_documents.disclosure_scope, the issuer's level), so the incremental
    refresh rebuilds it too, and every marts and intermediate table equals the scratch build,
    exactly (tolerances and amounts are DECIMAL; every pick has a total order)."""
    refreshes = _refreshes(pair_added_build.database)
    assert [mode for mode, _, _ in refreshes] == ["full", "incremental"], refreshes
    _assert_same_models(pair_added_build.database, pdf_pair_built)
    assert "1 other files of their disclosures" in refreshes[-1][1], refreshes


def test_each_document_verdict_is_recorded_without_a_run_per_document(samples_build):
    """`make run` records each document's review verdict on its partition (a materialization of
    reconciliation/document_review and its document_reconciles check) in one pass, with no
    reconciliation_review_job run: the samples need no review (shared/docs/source-documents.md:
    their printed defects are acknowledged)."""
    from orchestration.defs import checks
    from tests.conftest import SAMPLE_001, SAMPLE_003, SAMPLE_004

    instance = dg.DagsterInstance.from_config(str(samples_build.base / "dagster_home"))
    try:
        jobs = {run.job_name for run in instance.get_runs()}
        verdicts = {}
        for sample in (SAMPLE_001, SAMPLE_003, SAMPLE_004):
            key = ingest.document_id_for(sample.read_bytes())
            records = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=checks.REVIEW_KEY, asset_partitions=[key]),
                limit=1,
            ).records
            assert records, sample.name
            metadata = records[0].asset_materialization.metadata
            verdicts[sample.name] = metadata["needs_review"].value
        evaluations = {
            record.event_log_entry.dagster_event.event_specific_data.partition: (
                record.event_log_entry.dagster_event.event_specific_data.passed
            )
            for record in instance.get_event_records(
                dg.EventRecordsFilter(event_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
            )
            if record.event_log_entry.dagster_event.event_specific_data.check_name
            == "document_reconciles"
        }
    finally:
        instance.dispose()
    assert "reconciliation_review_job" not in jobs, jobs
    assert verdicts == {s.name: False for s in (SAMPLE_001, SAMPLE_003, SAMPLE_004)}
    ids = {ingest.document_id_for(s.read_bytes()) for s in (SAMPLE_001, SAMPLE_003, SAMPLE_004)}
    assert evaluations == dict.fromkeys(ids, True)
