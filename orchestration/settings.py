"""Locations of the raw documents and the warehouse file; overridable by environment variables.

``RAW_DIR`` (where documents are read) and ``DUCKDB_DATABASE`` (the warehouse file) are read by
the Dagster resources, the command-line runner and dbt's ``profiles.yml`` alike.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
DEFAULT_DATABASE = PROJECT_ROOT / "warehouse" / "budget.duckdb"
# File suffixes that make a file in the raw directory a document.
DOCUMENT_SUFFIXES: tuple[str, ...] = (".pdf", ".txt", ".md")


def raw_dir() -> Path:
    """The directory documents are read from (``RAW_DIR``, default ``raw/``)."""
    return Path(os.environ.get("RAW_DIR") or DEFAULT_RAW_DIR).resolve()


def duckdb_path() -> Path:
    """The warehouse file (``DUCKDB_DATABASE``, default ``warehouse/budget.duckdb``)."""
    return Path(os.environ.get("DUCKDB_DATABASE") or DEFAULT_DATABASE).resolve()


def published_path() -> Path:
    """The read-only snapshot for BI tools: ``<warehouse>.published.duckdb`` beside the warehouse.

    Replaced atomically after every successful refresh, so a reader can keep it open while the
    next refresh writes the warehouse itself (DuckDB lets an open reader block a writer).
    """
    database = duckdb_path()
    return database.with_name(f"{database.stem}.published{database.suffix}")


def staging_dir() -> Path:
    """Staged extraction results, one per document (``STAGING_DIR``, default beside the warehouse).

    Default ``warehouse/staging/`` for ``warehouse/budget.duckdb``: the per-document files that
    loading reads, and the hand-off to object storage past one machine (README, "Scaling").
    """
    configured = os.environ.get("STAGING_DIR")
    if configured:
        return Path(configured).resolve()
    return duckdb_path().parent / "staging"
