"""The refresh plan: skip, incremental or full, from the last refresh and the folder now."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from orchestration.pipeline import state

A = ("a.txt", "aa" * 32, "aa" * 8, "v1")
B = ("b.txt", "bb" * 32, "bb" * 8, "v1")
C = ("c.txt", "cc" * 32, "cc" * 8, "v1")


def test_no_record_is_a_full_build():
    assert state.plan(None, [A], "p1").mode == "full"


def test_same_files_same_project_skips():
    done = state.plan(("p1", [A, B]), [B, A], "p1")
    assert (done.mode, done.reason) == ("skip", "nothing changed since the last refresh (2 files)")
    # C added: its rows are built, and the tests by document read its rows only
    added = state.plan(("p1", [A]), [A, C], "p1")
    assert state.dbt_build_args(added) == [
        "build",
        "--no-write-json",
        "--exclude",
        "resource_type:seed resource_type:unit_test",
    ]
    assert state.dbt_environment(added) == {"REFRESH_DOCUMENTS": '["' + C[2] + '"]'}


def test_missing_snapshot_is_refreshed():
    assert state.plan(("p1", [A]), [A], "p1", published_exists=False).mode == "incremental"


def test_changed_project_is_a_full_refresh():
    done = state.plan(("p1", [A]), [A], "p2")
    assert done.mode == "full"
    assert state.dbt_build_args(done) == ["build", "--no-write-json", "--full-refresh"]
    assert state.dbt_environment(done) == {}


def test_added_and_removed_documents_are_incremental_without_rebuilds():
    done = state.plan(("p1", [A, B]), [A, C], "p1")
    assert (done.mode, done.rebuild, done.built) == ("incremental", (), (C[2],))
    assert done.reason == "1 documents new, 1 removed, 0 read again or renamed"


def test_renamed_or_re_extracted_document_is_rebuilt():
    renamed = ("a-2025.txt", *A[1:])
    re_read = (*B[:3], "v2")
    done = state.plan(("p1", [A, B, C]), [renamed, B, C], "p1")
    assert (done.mode, done.rebuild) == ("incremental", (A[2],))
    assert state.dbt_environment(done) == {"REFRESH_DOCUMENTS": '["' + A[2] + '"]'}
    assert state.plan(("p1", [A, B, C]), [A, re_read, C], "p1").rebuild == (B[2],)
    # most documents read again (a new extractor): a full refresh is cheaper
    assert state.plan(("p1", [A, B]), [A[:3] + ("v2",), re_read], "p1").mode == "full"


def test_project_hash_follows_the_model_files(tmp_path: Path):
    (tmp_path / "models").mkdir()
    (tmp_path / "dbt_project.yml").write_text("name: x\n")
    model = tmp_path / "models" / "m.sql"
    model.write_text("select 1\n")
    before = state.project_hash(tmp_path)
    (tmp_path / "target").mkdir()  # dbt's outputs do not count
    (tmp_path / "target" / "manifest.json").write_text("{}")
    assert state.project_hash(tmp_path) == before
    model.write_text("select 2\n")
    assert state.project_hash(tmp_path) != before


def test_record_and_read_back(tmp_path: Path):
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    conn.execute("create schema raw")
    conn.execute(
        "create table raw.document_inventory (document_id varchar, file_name varchar, "
        "sha256 varchar)"
    )
    conn.execute(
        "create table raw.documents (document_id varchar, file_name varchar, sha256 varchar, "
        "extractor_version varchar)"
    )
    conn.execute("insert into raw.document_inventory values (?, ?, ?)", [A[2], A[0], A[1]])
    conn.execute("insert into raw.documents values (?, ?, ?, ?)", [A[2], A[0], A[1], A[3]])
    assert state.last_refresh(conn) is None
    state.record(conn, state.Plan("full", "first"), "p1")
    assert state.last_refresh(conn) == ("p1", [A])
    assert state.plan(state.last_refresh(conn), state.built_files(conn), "p1").mode == "skip"
    conn.close()


def test_dbt_parse_is_skipped_while_the_project_is_unchanged(tmp_path: Path, monkeypatch):
    """`dbt parse` writes the manifest once per dbt project: a second run with the same project
    reuses it, a changed project (another hash) parses again."""
    from orchestration import cli

    calls = []

    def fake_run(args, **kwargs):
        calls.append(args[1:])
        (tmp_path / "manifest.json").write_text("{}")

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path))
    monkeypatch.setattr(cli.subprocess, "run", fake_run)
    monkeypatch.setattr(state, "project_hash", lambda: "p1")
    assert cli.parse_dbt_project() is True
    assert cli.parse_dbt_project() is False
    assert calls == [["parse", "--quiet"]]
    monkeypatch.setattr(state, "project_hash", lambda: "p2")
    assert cli.parse_dbt_project() is True
    assert calls == [["parse", "--quiet"]] * 2
    (tmp_path / "manifest.json").unlink()  # a manifest removed is parsed again
    assert cli.parse_dbt_project() is True
    assert len(calls) == 3


def test_the_refresh_environment_is_the_plans_only_while_dbt_starts(monkeypatch):
    monkeypatch.setenv("REFRESH_DOCUMENTS", '["set by hand"]')
    with state.refresh_environment(state.plan(None, [A], "p1")):  # a full build: no list
        assert "REFRESH_DOCUMENTS" not in os.environ
    with state.refresh_environment(state.plan(("p1", [A]), [A, C], "p1")):
        assert os.environ["REFRESH_DOCUMENTS"] == '["' + C[2] + '"]'
    assert os.environ["REFRESH_DOCUMENTS"] == '["set by hand"]'
    monkeypatch.delenv("REFRESH_DOCUMENTS")
    with state.refresh_environment(state.plan(("p1", [A]), [A, C], "p1")):
        pass
    assert "REFRESH_DOCUMENTS" not in os.environ
