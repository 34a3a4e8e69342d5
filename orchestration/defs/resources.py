"""Resources shared by the definitions: the warehouse (DuckDB) and dbt."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from orchestration import settings

# Every asset that writes the warehouse runs in this pool; dagster.yaml limits it to one slot,
# because DuckDB allows a single writing process per file.
WAREHOUSE_POOL = "duckdb_warehouse"

dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR,
    # dbt's own DBT_TARGET_PATH moves the manifest and run artifacts (default dbt_project/target),
    # so that two pipelines can build different warehouses at once (the test suite does).
    target_path=os.environ.get("DBT_TARGET_PATH") or "target",
)
# Under `dagster dev` this re-parses the dbt project on load; `make run` / tests run `dbt parse`.
dbt_project.prepare_if_dev()


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file. Each use opens a connection and always closes it.

    (dagster-duckdb's resource leaves its connection open when the body raises; a lingering
    writer would lock BI readers and the next run out of the file.)
    """

    database: str

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(self.database)
        try:
            yield conn
        finally:
            conn.close()


def warehouse_resource() -> WarehouseResource:
    """The warehouse at ``DUCKDB_DATABASE`` (read when the definitions load)."""
    return WarehouseResource(database=str(settings.duckdb_path()))


class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two things it does before each dbt command that this
    project does not use, 3.3 s of every refresh (measured on adding one document to 1,000):

    - it runs ``dbt --version`` to learn the version, and that command also asks PyPI for the
      latest release: a network call at run time. The dbt run here is the one installed beside
      this Python (``dbt_executable``): its version is the installed dbt-core's;
    - it builds a dbt adapter inside this process, which dagster-dbt uses only to fetch row
      counts or column metadata after a model is built; the assets here fetch neither.

    Both are private members of dagster-dbt (pinned below 0.30 in pyproject.toml);
    tests/orchestration/test_definitions.py fails if a dbt command would still run either.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_resource() -> DbtCliResource:
    """dbt, run from the project directory with its own profiles.yml."""
    return WarehouseDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project venv), else the one on PATH."""
    for candidate in (Path(sys.executable).with_name("dbt"), Path(sys.prefix) / "bin" / "dbt"):
        if candidate.exists():
            return str(candidate)
    return shutil.which("dbt") or "dbt"
