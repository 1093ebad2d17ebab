# The two commands a new user needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
API_HOST ?= 127.0.0.1
API_PORT ?= 8000

.PHONY: run api worker test setup setup-test system system-test lint bench clean

run: setup
	-$(BIN)/python -m medextract ensure-admin
	$(BIN)/streamlit run serve.py --server.port $(PORT)

# The HTTP API on the same database as `make run` (./data/medextract.db unless DATABASE_URL says
# otherwise); OpenAPI docs at http://localhost:8000/docs. Tokens: python -m medextract create-token.
api: setup
	$(BIN)/python -m medextract.api --host $(API_HOST) --port $(API_PORT)

# Extraction workers for a deployment, on the database `make run` uses (DATABASE_URL): on PostgreSQL
# procrastinate workers (run it on as many machines as needed), on SQLite the documents table.
# One document per core at a time (WORKERS=N to change), each read in its own sandboxed process.
# `make run` and `make api` already run such a pool themselves unless MEDEXTRACT_BACKGROUND_WORKER=0.
worker: setup
	$(BIN)/python -m medextract.worker $(if $(WORKERS),--concurrency $(WORKERS))

# The suite but for the Chromium tests in TEST_WORKERS processes (pytest-xdist; a worker that runs
# out of tests takes the rest of a busy one's), then the Chromium tests one at a time: each drives
# a Streamlit server and a browser, and two of them at once beside OCR on two cores made a step
# miss its deadline now and then. TEST_WORKERS=0 runs the whole suite in one process.
TEST_WORKERS ?= 2
test: setup-test
ifeq ($(TEST_WORKERS),0)
	$(BIN)/python -m pytest
else
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not browser"
	$(BIN)/python -m pytest -m browser
endif

setup: system $(VENV)/.installed
setup-test: system-test $(VENV)/.installed-dev

system:
	@bash scripts/ensure-system-packages.sh run

system-test:
	@bash scripts/ensure-system-packages.sh test

# Re-install only when a requirements file or pyproject.toml changes. The project's own packages
# (extraction, medextract, docgen, app) are installed in editable mode, so scripts import them
# from any directory and edits take effect without reinstalling.
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Test and lint tools (pytest, hypothesis, playwright, ruff) on top of the above.
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

lint: system $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup-test
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/accuracy.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
