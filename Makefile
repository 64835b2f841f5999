# Insats — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# test processes (pytest-xdist): one per core of the 2-core CI machine
TEST_WORKERS ?= 2

.PHONY: run test install lint clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Insats kräver Python 3.11 (PYTHON=$(PYTHON))")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Main job: migrate the SQLite file under var/, load the demo department (once), show the
## summary, then serve the web application on http://127.0.0.1:8000/ with the demo accounts.
run: $(STAMP)
	$(BIN)/insats db upgrade
	$(BIN)/insats demo load --if-empty
	$(BIN)/insats summary
	$(BIN)/insats serve --demo --host $(HOST) --port $(PORT)

## Every test: layer contracts, lint, types, then the test suite (PostgreSQL too when
## INSATS_TEST_DATABASE_URL is set, as .ci/run does).
test: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadscope

clean:
	rm -rf $(VENV) var/*.db var/*.db-wal var/*.db-shm
