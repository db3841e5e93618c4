# raportti — `make` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help demo test lint bench server serve clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP) ## Generate the demo inbox and publish its latest complete quarter under outputs/
	$(BIN)/raportti demo

test: $(STAMP) ## Run every test (slow and PostgreSQL ones included), as CI does
	$(BIN)/pytest -n 2 --dist loadgroup

lint: $(STAMP) ## Check the code with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP) ## Run the benchmarks and print their figures
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

server: $(STAMP) ## Start a Prefect server and its UI on http://127.0.0.1:4200 (Ctrl-C stops it)
	PREFECT_SERVER_ANALYTICS_ENABLED=false $(BIN)/prefect server start --host 127.0.0.1

serve: $(STAMP) ## Serve the deployments on the demo's data to that server (after make demo)
	PREFECT_API_URL=$${PREFECT_API_URL:-http://127.0.0.1:$${PREFECT_SERVER_API_PORT:-4200}/api} \
	$(BIN)/raportti serve --demo

clean: ## Remove generated outputs (keeps outputs/README.md) and caches
	find outputs -mindepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .hypothesis
