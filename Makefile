# letterkit: `make run` serves the app on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
JOBS ?= auto
LETTERKIT_ENV ?= development
export LETTERKIT_ENV

STAMP := $(VENV)/.installed
PO := $(wildcard letterkit/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: install run test lint typecheck format bench translations extract-messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,postgresql]'
	@touch $(STAMP)

install: $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d letterkit/translations -D messages -i $< -o $@

translations: $(MO)

run: install translations
	$(BIN)/flask --app app letterkit migrate
	@echo ""
	@echo "  letterkit is at http://$(HOST):$(PORT)/"
	@echo ""
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

test: install translations
	$(BIN)/python -m pytest -n $(JOBS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# mypy --strict on the pure core only (the files are listed under [tool.mypy] in pyproject.toml).
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install translations
	@set -e; for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

# Refresh the message catalogue after changing user-facing strings, then translate the .po files.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output -o letterkit/translations/messages.pot .
	$(BIN)/pybabel update -i letterkit/translations/messages.pot -d letterkit/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
