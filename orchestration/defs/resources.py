"""Resources shared by the definitions: the warehouse (DuckDB) and dbt."""

from __future__ import annotations

from dagster_dbt import DbtCliResource, DbtProject
from dagster_duckdb import DuckDBResource

from orchestration import settings

# Every asset that writes the warehouse runs in this pool; dagster.yaml limits it to one slot,
# because DuckDB allows a single writing process per file.
WAREHOUSE_POOL = "duckdb_warehouse"

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)
# Under `dagster dev` this re-parses the dbt project on load; `make run` / tests run `dbt parse`.
dbt_project.prepare_if_dev()


def warehouse_resource() -> DuckDBResource:
    """The DuckDB warehouse at ``DUCKDB_DATABASE`` (read when the definitions load)."""
    path = settings.duckdb_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(path))


def dbt_resource() -> DbtCliResource:
    """dbt, run from the project directory with its own profiles.yml."""
    return DbtCliResource(project_dir=dbt_project)
