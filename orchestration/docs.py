"""`make docs`: the dbt documentation site (lineage, every model and column described), offline.

    python -m orchestration.docs [--out DIR]

Runs ``dbt docs generate --static`` against a private copy of the published snapshot (else of the
warehouse; an empty database when neither exists, so the site still shows every description), so
the warehouse and its snapshot are never opened for writing. Writes into ``docs/`` beside
``DUCKDB_DATABASE`` (``DOCS_DIR`` overrides):

- ``index.html``: dbt's self-contained single page with the manifest and catalog inlined; open it
  straight from disk in a browser (nothing is fetched from the network);
- ``manifest.json`` and ``catalog.json``: the same data, for tools.

No Dagster here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration import settings

SITE_FILES: tuple[tuple[str, str], ...] = (
    ("static_index.html", "index.html"),
    ("manifest.json", "manifest.json"),
    ("catalog.json", "catalog.json"),
)


def docs_dir() -> Path:
    """``DOCS_DIR``, default ``docs/`` beside the warehouse file."""
    configured = os.environ.get("DOCS_DIR")
    if configured:
        return Path(configured).resolve()
    return settings.duckdb_path().parent / "docs"


def _dbt_executable() -> str:
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"


def build_docs(database: Path | None = None, out_dir: Path | None = None) -> Path:
    """Generate the documentation site; returns the path of its ``index.html``."""
    if database is None:
        published = settings.published_path()
        database = published if published.exists() else settings.duckdb_path()
    out_dir = out_dir or docs_dir()
    with tempfile.TemporaryDirectory(prefix="budget-docs-") as work:
        work_dir = Path(work)
        copy = work_dir / "catalog_source.duckdb"
        if database.exists():
            shutil.copyfile(database, copy)
        target = work_dir / "target"
        env = {**os.environ, "DUCKDB_DATABASE": str(copy), "DO_NOT_TRACK": "1"}
        result = subprocess.run(
            [
                _dbt_executable(),
                "docs",
                "generate",
                "--static",
                "--target-path",
                str(target),
                "--log-path",
                str(work_dir / "logs"),
                "--quiet",
            ],
            cwd=settings.DBT_PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(
                "dbt docs generate failed:\n" + (result.stdout + result.stderr)[-4000:]
            )
        staging = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for source, name in SITE_FILES:
            shutil.copyfile(target / source, staging / name)
    previous = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        os.replace(out_dir, previous)
    os.replace(staging, out_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return out_dir / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="orchestration.docs", description=__doc__)
    parser.add_argument("--out", type=Path, help="output directory (default docs/ beside DB)")
    args = parser.parse_args(argv)
    try:
        index = build_docs(out_dir=args.out)
    except RuntimeError as exc:
        print(f"docs: {exc}", file=sys.stderr)
        return 1
    print(f"dbt documentation: {index}")
    print("open it in a browser (file:// works; nothing is downloaded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
