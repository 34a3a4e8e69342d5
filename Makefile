# The verbs a newcomer needs. Only Python 3.11+ and make are required: the first target that
# needs them creates .venv and installs the pinned dependencies from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: run test dev lint bench summary clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

## run: ingest every document in raw/, dbt build, print the summary (warehouse/budget.duckdb)
run: $(STAMP)
	$(BIN)/python -m orchestration.cli run

## test: lint (ruff, sqlfluff), then pytest, including an end-to-end ingest + dbt build into a temporary warehouse
test: lint
	$(BIN)/python -m pytest

## dev: the Dagster UI on http://127.0.0.1:3000
dev: $(STAMP)
	mkdir -p $(DAGSTER_HOME) && cp -n dagster.yaml $(DAGSTER_HOME)/dagster.yaml || true
	cd dbt_project && ../$(BIN)/dbt parse --quiet
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dagster dev -h 127.0.0.1 -p 3000 -m orchestration.definitions

## summary: print the summary of the existing warehouse
summary: $(STAMP)
	$(BIN)/python -m orchestration.cli summary

lint: $(STAMP)
	$(BIN)/ruff check orchestration tests bench
	$(BIN)/ruff format --check orchestration tests bench
	$(BIN)/sqlfluff lint --processes 2 dbt_project/models dbt_project/macros dbt_project/tests

## bench: extraction vs the pypdfium2 floor, build time by size, incremental add, query latency (bench/)
## BENCH_SIZES=100,300,1000 sets the synthetic warehouse sizes (default 100,300)
bench: $(STAMP)
	$(BIN)/python -m bench.extract_bench
	$(BIN)/python -m bench.scale_bench

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs .dagster_home
