# The two commands a new user needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test setup setup-test system system-test lint bench clean

run: setup
	-$(BIN)/python -m medextract ensure-admin
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

test: setup-test
	$(BIN)/python -m pytest

setup: system $(VENV)/.installed
setup-test: system-test $(VENV)/.installed

system:
	@bash scripts/ensure-system-packages.sh run

system-test:
	@bash scripts/ensure-system-packages.sh test

# Re-install only when requirements.txt changes.
$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup-test
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/accuracy.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
