# The dev loop, written down once.  `make run` and `make test` are the two README commands.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
CATALOG := data/catalog.duckdb
CATALOG_INPUTS := $(wildcard data/seed/*.csv data/gazetteer/*.parquet data/taxonomy/*.csv etl/*.py etl/*.sql etl/views/*.sql data/standardisation/* data/research/*/*.csv data/corrections/*.csv govmap/normalize.py govmap/geocode.py govmap/finder/search.py govmap/finder/adoption_kinds.py govmap/finder/source_quality.py)

.PHONY: run test install install-dev catalog validate report docs bench clean browser-deps db-deps

run: install catalog  ## install, build the catalog if missing or stale, start the app
	$(PY) -m streamlit run app.py

test: install-dev browser-deps db-deps catalog  ## install everything and run the whole test suite
	$(PY) -m pytest

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt requirements-assets.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

browser-deps:
	bash scripts/install-browser.sh

db-deps:  ## Debian's PostgreSQL binaries (the multi-replica store tests start their own server)
	bash scripts/install-postgres.sh

catalog: $(CATALOG)
$(CATALOG): $(CATALOG_INPUTS) | install
	$(PY) -m etl build

validate: install
	$(PY) -m etl validate

report: install catalog  ## data-quality report of the built catalog (docs/data-quality.md)
	$(PY) -m etl report

docs: install
	$(PY) -m etl docs

clean:
	rm -rf $(VENV) $(CATALOG) .pytest_cache test-output
