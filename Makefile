# The verbs a newcomer needs. Only Python 3.11+ and make are required: the first target that
# needs them creates .venv and installs the pinned dependencies from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: run test test-fast dev lint bench summary clean export docs report browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

## run: ingest every document in raw/, dbt build, print the summary (warehouse/budget.duckdb);
##      exit 0 once the warehouse is built and published. STRICT=1: exit 2 if any document needs review
STRICT ?=
run: $(STAMP)
	$(BIN)/python -m orchestration.cli run $(if $(filter 1 yes true,$(STRICT)),--strict)

## test: lint (ruff, sqlfluff), the headless browser, then every test, including the end-to-end builds into temporary warehouses
test: lint browser
	$(BIN)/python -m pytest --durations=10

## test-fast: parsers, pure logic and single-document ingest (no warehouse build), under a minute
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" --durations=5

# Chromium and a CJK font for the report's browser test (Debian packages; the test skips, saying
# why, where none can be installed).
browser:
	-sh tests/setup_browser.sh

## dev: the Dagster UI on http://127.0.0.1:3000
dev: $(STAMP)
	mkdir -p $(DAGSTER_HOME) && cp -n dagster.yaml $(DAGSTER_HOME)/dagster.yaml || true
	cd dbt_project && ../$(BIN)/dbt parse --quiet
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dagster dev -h 127.0.0.1 -p 3000 -m orchestration.definitions

## summary: print the summary of the existing warehouse
summary: $(STAMP)
	$(BIN)/python -m orchestration.cli summary

## report: the HTML reconciliation report, warehouse/report.html (ANNOTATE=1: also warehouse/annotated/<file>.pdf)
report: $(STAMP)
	$(BIN)/python -m orchestration.html_report $(if $(filter-out 0,$(ANNOTATE)),--annotate,)

## export: every mart as Parquet and CSV + datapackage.json (warehouse/export/; EXPORT_CSV_BOM=1 for Excel)
export: $(STAMP)
	$(BIN)/python -m orchestration.export

## docs: the dbt documentation site, offline (warehouse/docs/index.html: open it in a browser)
docs: $(STAMP)
	$(BIN)/python -m orchestration.docs

lint: $(STAMP)
	$(BIN)/ruff check orchestration tests bench
	$(BIN)/ruff format --check orchestration tests bench
	$(BIN)/sqlfluff lint --processes 2 dbt_project/models dbt_project/macros dbt_project/tests

## bench: extraction vs the pypdfium2 floor, build time by size, incremental add, query latency (bench/)
## BENCH_SIZES=100,300,1000 sets the synthetic warehouse sizes (default 100,300)
## BENCH_PDFS=300 adds the end-to-end build of 300 distinct PDF copies of the dev PDFs (bench/pdf_bench.py)
bench: $(STAMP)
	$(BIN)/python -m bench.extract_bench
	$(BIN)/python -m bench.scale_bench
	$(BIN)/python -m bench.pdf_bench

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs .dagster_home
