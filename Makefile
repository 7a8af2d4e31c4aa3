# letterkit: `make run` serves the app on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
JOBS ?= auto
LETTERKIT_ENV ?= development
export LETTERKIT_ENV

# `make run` installs what serving needs; test, lint and bench add the development tools.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
RUNTIME_EXTRAS := postgresql,redis,pdf
# The warm LibreOffice (unoserver) runs under the system Python that has python3-uno.
UNO_PYTHON ?= /usr/bin/python3
UNO_VENV ?= .venv-uno
UNOSERVER := $(UNO_VENV)/bin/unoserver
UNO_OK := $(shell command -v soffice >/dev/null 2>&1 && $(UNO_PYTHON) -c 'import uno' >/dev/null 2>&1 && echo yes)
PDF_SERVICE := $(if $(UNO_OK),$(UNOSERVER))
# Validators used only by tests, from npm into the gitignored .cache, installed when missing (and
# when npm is there): the W3C validator for tests/test_valid_pages.py (vnu-jar, it needs only
# Java) and axe-core, which tests/browser/test_axe.py adds to pages in the browser.
VNU_VERSION ?= 26.9.27
VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar
VNU_OK := $(shell command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1 && echo yes)
VNU := $(if $(VNU_OK),$(VNU_JAR))
AXE_VERSION ?= 4.11.0
AXE_JS := .cache/axe/node_modules/axe-core/axe.min.js
AXE := $(if $(shell command -v npm >/dev/null 2>&1 && echo yes),$(AXE_JS))
PO := $(wildcard letterkit/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: install install-dev pdf-service-install vnu axe run test lint typecheck format bench translations extract-messages clean

$(RUN_STAMP): pyproject.toml setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$(RUNTIME_EXTRAS)]'
	@touch $@

$(DEV_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,$(RUNTIME_EXTRAS)]'
	@touch $@

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

$(UNOSERVER):
	$(UNO_PYTHON) -m venv --system-site-packages $(UNO_VENV)
	$(UNO_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'unoserver>=3.0'

pdf-service-install: $(UNOSERVER)

$(VNU_JAR):
	npm install --silent --no-audit --no-fund --no-save --prefix .cache/vnu vnu-jar@$(VNU_VERSION)

vnu: $(VNU_JAR)

$(AXE_JS):
	npm install --silent --no-audit --no-fund --no-save --prefix .cache/axe axe-core@$(AXE_VERSION)

axe: $(AXE_JS)

%.mo: %.po $(RUN_STAMP)
	$(BIN)/pybabel compile --statistics -d letterkit/translations -D messages -i $< -o $@

translations: $(MO)

# With LibreOffice and python3-uno, the warm PDF service runs beside the app while it serves.
run: install translations $(PDF_SERVICE)
	$(BIN)/flask --app app letterkit migrate
	@echo ""
	@echo "  letterkit is at http://$(HOST):$(PORT)/"
	@echo ""
	@if [ -n "$(PDF_SERVICE)" ]; then \
	  LETTERKIT_UNOSERVER=$(UNOSERVER) $(BIN)/flask --app app letterkit pdf-service & \
	  trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	else echo "  PDFs by one-shot LibreOffice (install python3-uno for fast ones)"; fi; \
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

test: install-dev translations $(PDF_SERVICE) $(VNU) $(AXE)
	$(BIN)/python -m pytest -n $(JOBS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# mypy --strict on the pure core only (the files are listed under [tool.mypy] in pyproject.toml).
typecheck: install-dev
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev translations $(PDF_SERVICE)
	@set -e; for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

# Refresh the message catalogue after changing user-facing strings, then translate the .po files.
extract-messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output -w 100 -o letterkit/translations/messages.pot .
	@# GNU msgmerge keeps the catalogs' wrapping (pybabel update would rewrap every file).
	@for po in $(PO); do \
	  msgmerge -q -w 100 --no-fuzzy-matching --no-location -o $$po.new $$po letterkit/translations/messages.pot && \
	  msgattrib -w 100 --no-obsolete -o $$po $$po.new && rm $$po.new; done

clean:
	rm -rf $(VENV) $(UNO_VENV) .pytest_cache .ruff_cache .hypothesis
