# Two entry points a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench templates clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sheetsync demo demo-output

test: $(STAMP)
	$(BIN)/pytest -q -n auto

lint: $(STAMP)
	$(BIN)/ruff check sheetsync tests
	$(BIN)/ruff format --check sheetsync tests
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks

templates: $(STAMP)
	$(BIN)/python -m sheetsync.backends.xlsx.init

clean:
	rm -rf $(VENV) demo-output
