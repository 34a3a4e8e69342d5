"""What the last refresh built from, so that a run can skip dbt or rebuild only what changed.

A refresh (dbt build + publish) is a function of the files in the raw directory (names and
content hashes), the extractor version and the dbt project (models, macros, seeds, tests,
configuration). After each successful refresh the publish step records, inside the warehouse
(schema ``pipeline``), the project hash and one row per file the build read, taken from what the
warehouse holds (``raw.document_inventory`` and the extractor version of ``raw.documents``), not
from a second look at the folder. The next run compares the folder and project with that record:

- everything equal and the published snapshot present: nothing to do (``skip``);
- the dbt project or the extractor changed, or no record: ``full`` (``dbt build --full-refresh``);
- otherwise ``incremental``: the per-document models rebuild the new documents, the documents
  whose file name changed, and drop the removed ones (``dbt_project/macros/incremental.sql``).

No Dagster imports.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration import settings

SCHEMA = "pipeline"
# dbt project parts whose change can change any model's rows (target/, logs/ are outputs).
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")


def project_hash(project_dir: Path | None = None) -> str:
    """Hash of every file of the dbt project that defines the models, seeds and tests."""
    root = project_dir or settings.DBT_PROJECT_DIR
    digest = hashlib.sha256()
    for part in PROJECT_PARTS:
        path = root / part
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if not file.exists():
                continue
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


# (file_name, sha256, document_id, extractor_version) of every file a build read.
FileState = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class Plan:
    """What a run must do to make the published warehouse current."""

    mode: str  # "skip" | "incremental" | "full"
    reason: str
    # documents whose rows the incremental models must rebuild although their id is already
    # built (the same content now under another file name or read by another extractor)
    rebuild: tuple[str, ...] = ()
    # documents new to the warehouse (an incremental refresh builds these and ``rebuild``)
    added: tuple[str, ...] = ()

    @property
    def built(self) -> tuple[str, ...]:
        """The documents whose rows an incremental refresh builds: its tests read only these
        documents' rows where a test is by document (dbt_project/macros/tests_by_document.sql)."""
        return tuple(sorted(set(self.added) | set(self.rebuild)))


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(f"create schema if not exists {SCHEMA}")
    conn.execute(
        f"create table if not exists {SCHEMA}.refreshes (refreshed_at timestamp, "
        "mode varchar, reason varchar, project_hash varchar, file_count integer)"
    )
    conn.execute(
        f"create table if not exists {SCHEMA}.refreshed_files "
        "(file_name varchar, sha256 varchar, document_id varchar, extractor_version varchar)"
    )


def built_files(conn: duckdb.DuckDBPyConnection) -> list[FileState]:
    """The files the warehouse now holds: the inventory with each document's extractor version."""
    rows = conn.execute(
        "select files.file_name, files.sha256, files.document_id, documents.extractor_version "
        "from raw.document_inventory as files left join raw.documents as documents "
        "on files.document_id = documents.document_id order by files.file_name"
    ).fetchall()
    return [tuple(row) for row in rows]


def record(conn: duckdb.DuckDBPyConnection, done: Plan, project: str) -> None:
    """Record what the refresh that just succeeded built from (called before publishing)."""
    ensure_schema(conn)
    files = built_files(conn)
    conn.execute("begin transaction")
    try:
        conn.execute(f"delete from {SCHEMA}.refreshed_files")
        conn.execute(
            f"insert into {SCHEMA}.refreshed_files "
            "select files.file_name, files.sha256, files.document_id, documents.extractor_version "
            "from raw.document_inventory as files left join raw.documents as documents "
            "on files.document_id = documents.document_id"
        )
        conn.execute(
            f"insert into {SCHEMA}.refreshes values (?, ?, ?, ?, ?)",
            [datetime.now(), done.mode, done.reason, project, len(files)],
        )
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


def last_refresh(conn: duckdb.DuckDBPyConnection) -> tuple[str, list[FileState]] | None:
    """(project hash, files) of the last recorded refresh, or None."""
    try:
        row = conn.execute(
            f"select project_hash from {SCHEMA}.refreshes order by refreshed_at desc limit 1"
        ).fetchone()
        files = conn.execute(
            f"select file_name, sha256, document_id, extractor_version "
            f"from {SCHEMA}.refreshed_files order by file_name"
        ).fetchall()
    except duckdb.Error:
        return None
    if row is None:
        return None
    return row[0], [tuple(f) for f in files]


def plan(
    previous: tuple[str, list[FileState]] | None,
    current: list[FileState],
    project: str,
    published_exists: bool = True,
) -> Plan:
    """What a refresh must do, given the last refresh and the files now (``current``)."""
    if previous is None:
        return Plan("full", "no refresh recorded in this warehouse")
    last_project, files = previous
    if last_project != project:
        return Plan("full", "the dbt project changed since the last refresh")
    if set(files) == set(current):
        if not published_exists:
            return Plan("incremental", "the published snapshot is missing")
        return Plan("skip", f"nothing changed since the last refresh ({len(current)} files)")
    before = _by_document(files)
    now = _by_document(current)
    # a document built before whose file names or extractor changed: its rows are rebuilt
    rebuild = tuple(sorted(key for key in now if key in before and before[key] != now[key]))
    if rebuild and len(rebuild) * 2 > len(now):
        return Plan("full", f"{len(rebuild)} of {len(now)} documents read again")
    added = tuple(sorted(set(now) - set(before)))
    removed = len(set(before) - set(now))
    return Plan(
        "incremental",
        f"{len(added)} documents new, {removed} removed, {len(rebuild)} read again or renamed",
        rebuild,
        added,
    )


def _by_document(files: list[FileState]) -> dict[str, tuple]:
    """document id -> (its file names, its extractor version)."""
    names: dict[str, set[str]] = {}
    versions: dict[str, str | None] = {}
    for name, _, document_id, version in files:
        names.setdefault(document_id, set()).add(name)
        versions[document_id] = version
    return {key: (frozenset(names[key]), versions[key]) for key in names}


def warehouse_plan(database: Path | None = None) -> Plan:
    """The plan for a refresh of the warehouse as it now is (its inventory and documents)."""
    database = database or settings.duckdb_path()
    conn = duckdb.connect(str(database), read_only=True)
    try:
        current = built_files(conn)
        previous = last_refresh(conn)
        planned = plan(previous, current, project_hash(), settings.published_path().exists())
        if planned.mode == "incremental" and previous is not None:
            changed = {f[2] for f in set(previous[1]) ^ set(current)} | set(planned.rebuild)
            companions = disclosure_companions(conn, changed, {f[2] for f in current})
            if companions:
                planned = Plan(
                    planned.mode,
                    f"{planned.reason}, {len(companions)} other files of their disclosures",
                    tuple(sorted(set(planned.rebuild) | companions)),
                    planned.added,
                )
    finally:
        conn.close()
    return planned


def disclosure_companions(
    conn: duckdb.DuckDBPyConnection, changed: set[str], present: set[str]
) -> set[str]:
    """The documents already built that share an issuing body and fiscal year with a document
    added, removed or read again: the other files of its disclosure (a tables file and its notes
    file). Their rows depend on the disclosure as a whole (``int_documents.disclosure_scope``,
    the issuer's level), so an incremental refresh rebuilds them too. The match is wider than
    dbt's disclosure key (no document kind): rebuilding one file too many costs little."""
    if not changed:
        return set()
    try:
        rows = conn.execute(
            """
            with built as (
                select document_id, issuing_body_name as body, fiscal_year
                from intermediate.int_documents
            ),
            changed_keys as (
                select body, fiscal_year from built where list_contains($changed, document_id)
                union
                select issuing_body, fiscal_year from raw.documents
                where list_contains($changed, document_id)
            )
            select distinct built.document_id
            from built
            inner join changed_keys
                on built.body = changed_keys.body and built.fiscal_year = changed_keys.fiscal_year
            where not list_contains($changed, built.document_id)
            """,
            {"changed": sorted(changed)},
        ).fetchall()
    except duckdb.CatalogException:
        return set()  # no build yet to hold documents
    return {row[0] for row in rows if row[0] in present}


def forget_last(database: Path) -> None:
    """Delete the record of the last refresh (its publish failed): the next run refreshes."""
    conn = duckdb.connect(str(database))
    try:
        ensure_schema(conn)
        conn.execute(
            f"delete from {SCHEMA}.refreshes "
            f"where refreshed_at = (select max(refreshed_at) from {SCHEMA}.refreshes)"
        )
        conn.execute(f"delete from {SCHEMA}.refreshed_files")
    finally:
        conn.close()


def dbt_build_args(plan: Plan) -> list[str]:
    """`dbt build` for a refresh plan: ``--full-refresh`` when the dbt project changed (or on a
    first build); otherwise the incremental models build the documents ``dbt_environment``
    names and drop the removed ones. The seeds are part of the project:
    unchanged since the last refresh, they are neither loaded nor tested again (their tests,
    whose only parents are seeds, are left out with them); so are the unit tests, which test the
    models' SQL on fixed rows, not the data.

    ``--no-write-json``: dbt writes no manifest.json (7 MB at parse and again at the end of the
    run, 0.9 s of an add at 1,000 documents) and no run_results.json; what the pipeline keeps of
    the run, the tests' results, it reads from dbt's events (``dbt_results``)."""
    if plan.mode == "full":
        return ["build", "--no-write-json", "--full-refresh"]
    return ["build", "--no-write-json", "--exclude", "resource_type:seed resource_type:unit_test"]


# The documents an incremental refresh builds, for the dbt process (a JSON list, read by the
# macro refresh_documents(), dbt_project/macros/incremental.sql). An environment variable, not
# dbt --vars: the vars are part of the state dbt parses the project from, so a var that names
# different documents each refresh made dbt parse the whole project again every time (3.4 s
# of the 50 s it took to add one document to 1,000; bench/README.md).
REFRESH_VARIABLES = ("REFRESH_DOCUMENTS",)


def dbt_environment(plan: Plan) -> dict[str, str]:
    """REFRESH_DOCUMENTS: the documents an incremental refresh builds (``plan.built``: the new
    ones and those already built whose rows it rebuilds: the same content under another file
    name, read by another extractor, or another file of a disclosure that changed). The
    incremental models read only these documents' rows and delete theirs before inserting
    (``dbt_project/macros/incremental.sql``); the data tests by document read only these
    documents' rows, the rows of the others being those tested when they were built
    (``dbt_project/macros/tests_by_document.sql``). A full build sets none: every document is
    built and every test reads every row."""
    if plan.mode == "full":
        return {}
    return {"REFRESH_DOCUMENTS": json.dumps(list(plan.built))}


@contextmanager
def refresh_environment(plan: Plan) -> Iterator[None]:
    """``os.environ`` holds exactly ``dbt_environment(plan)`` of the REFRESH_ variables while
    the dbt process is started (it copies the environment): a full build starts with none,
    whatever the shell set. Values set before are put back after."""
    before = {name: os.environ.pop(name, None) for name in REFRESH_VARIABLES}
    os.environ.update(dbt_environment(plan))
    try:
        yield
    finally:
        for name, value in before.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
